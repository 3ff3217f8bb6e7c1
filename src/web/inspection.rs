//! The right of inspection: all dossiers of one pupil that the aandachtsfunctionaris may see,
//! as a printable page and as JSON, to hand to the parents or the pupil after review.

use crate::domain::ids::PupilId;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, Uri, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};

use super::access::{Inspector, audit_refusal};
use super::dossiers::viewer;
use super::error::{AppError, Result};
use super::format::{moment_nl, today_nl};
use super::page::PageCtx;
use crate::app::AppState;
use crate::domain::entry;
use crate::domain::role::Role;
use crate::store::audit::Event;
use crate::store::dossiers::Purpose;

#[derive(Debug, Serialize)]
pub struct ExportEntry {
    pub number: i64,
    pub kind: &'static str,
    pub recorded: String,
    pub author: String,
    pub refers_to: Option<i64>,
    pub fields: Vec<(String, String)>,
}

#[derive(Debug, Serialize)]
pub struct ExportDossier {
    pub number: i64,
    pub school: String,
    pub status: &'static str,
    pub forms: Vec<&'static str>,
    pub entries: Vec<ExportEntry>,
}

#[derive(Debug, Serialize)]
pub struct Export {
    pub pupil: String,
    pub date_of_birth: String,
    pub made: String,
    pub made_by: String,
    pub dossiers: Vec<ExportDossier>,
}

#[derive(Template, WebTemplate)]
#[template(path = "inspection.html")]
pub struct InspectionPage {
    pub ctx: PageCtx,
    pub export: Export,
    pub pupil_id: PupilId,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Format {
    formaat: String,
}

/// The export of one pupil's dossiers, for the aandachtsfunctionaris of the pupil's school.
pub async fn inspection(
    State(state): State<AppState>,
    ctx: PageCtx,
    Inspector(user): Inspector,
    uri: Uri,
    Path(pupil): Path<String>,
    Query(f): Query<Format>,
) -> Result<Response> {
    let pupil: PupilId = pupil.parse().map_err(|_| AppError::NotFound)?;
    let v = viewer(&user);
    let summaries: Vec<_> = state
        .db
        .dossiers_for(&v)
        .await?
        .into_iter()
        .filter(|s| s.header.pupil.id == pupil)
        .collect();
    let Some(first) = summaries.first() else {
        return Err(AppError::NotFound);
    };
    if !v.holds(first.header.school_id, Role::Aandachtsfunctionaris) {
        // An aandachtsfunctionaris of another school who sees this pupil's dossier in another
        // role: refused, and audited like any gate's refusal.
        audit_refusal(&state, &user, uri.path(), None).await?;
        return Err(AppError::Forbidden);
    }
    // What leaves Meldcode needs a fresh password.
    let back = super::urls::inspection(pupil, f.formaat == "json");
    user.require_recent_auth(state.clock.unix(), &back)?;
    let mut dossiers = Vec::new();
    for s in &summaries {
        let Some(access) = state
            .db
            .open_dossier(
                &v,
                s.header.id,
                Purpose::Print,
                state.clock.unix(),
                user.address.as_deref(),
            )
            .await?
        else {
            continue;
        };
        let entries = state
            .db
            .entries(&access)
            .await?
            .into_iter()
            .map(|e| ExportEntry {
                number: e.id.get(),
                kind: e.kind.label(),
                recorded: moment_nl(e.created_at),
                author: format!(
                    "{}{}",
                    e.author_name,
                    e.author_role
                        .map_or(String::new(), |r| format!(" ({})", r.label()))
                ),
                refers_to: e.refers_to.map(|r| r.get()),
                fields: entry::display(e.kind, &e.body)
                    .into_iter()
                    .map(|(l, v)| (l.to_string(), v))
                    .collect(),
            })
            .collect();
        dossiers.push(ExportDossier {
            number: s.header.id.get(),
            school: s.header.school_name.clone(),
            status: if s.header.open { "open" } else { "gesloten" },
            forms: s.header.forms.iter().map(|f| f.label()).collect(),
            entries,
        });
    }
    state
        .db
        .audit(
            state.clock.unix(),
            user.audit_entry(Event::InspectionExported)
                .as_role(Role::Aandachtsfunctionaris)
                .about(if f.formaat == "json" { "json" } else { "html" }),
        )
        .await?;
    let export = Export {
        pupil: first.header.pupil.name.clone(),
        date_of_birth: first
            .header
            .pupil
            .date_of_birth
            .map_or_else(|| "onbekend".to_string(), crate::web::format::date_nl),
        made: crate::web::format::date_nl(today_nl(state.clock.unix())),
        made_by: user.user.name.clone(),
        dossiers,
    };
    if f.formaat == "json" {
        let body = serde_json::to_vec_pretty(&export).map_err(|e| AppError::Internal(e.into()))?;
        let mut res = body.into_response();
        res.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json; charset=utf-8"),
        );
        res.headers_mut().insert(
            header::CONTENT_DISPOSITION,
            HeaderValue::from_static("attachment; filename=\"meldcode-inzage.json\""),
        );
        return Ok(res);
    }
    Ok(InspectionPage {
        ctx,
        export,
        pupil_id: pupil,
    }
    .into_response())
}
