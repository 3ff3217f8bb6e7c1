//! The audit log, for review: the privacy officer (functionaris gegevensbescherming) sees all of
//! it, filterable by user, dossier and period; the aandachtsfunctionaris sees who accessed each
//! dossier of their school. Nobody can change or delete it from the application; looking at it is
//! logged too.

use crate::domain::ids::{DossierId, UserId};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::Uri;
use serde::Deserialize;

use super::access::{DossierWorker, PrivacyOfficer, audit_refusal};
use super::dossiers::viewer;
use super::error::{AppError, Result};
use super::format::moment_nl;
use super::guard::CurrentUser;
use super::page::PageCtx;
use crate::app::AppState;
use crate::domain::entry::parse_date;
use crate::domain::role::Role;
use crate::store::audit::{Event, LogFilter, LogRow};
use crate::store::dossiers::Purpose;

const PAGE: i64 = 100;

/// The Dutch name of a stored event code.
pub fn event_label(code: &str) -> &'static str {
    Event::parse(code).map_or("Overig", Event::label)
}

/// The Dutch name of a stored acting role: a role's label, or for an access through a cover
/// "Aandachtsfunctionaris (waarneming)" (`domain::cover`), so that the aandachtsfunctionaris sees
/// on return what the deputy opened.
pub fn role_label(code: Option<&str>) -> &'static str {
    match code {
        Some(crate::domain::cover::AUDIT_ROLE) => crate::domain::cover::AUDIT_LABEL,
        Some(code) => Role::parse(code).map_or("", Role::label),
        None => "",
    }
}

pub struct LogView {
    pub when: String,
    pub who: String,
    pub role: String,
    pub what: &'static str,
    pub detail: String,
    pub address: String,
    pub dossier: Option<DossierId>,
}

fn view(r: LogRow) -> LogView {
    LogView {
        when: moment_nl(r.at),
        who: match (r.user_name, r.user_email) {
            (Some(n), Some(e)) => format!("{n} ({e})"),
            _ => "onbekend".into(),
        },
        role: role_label(r.role.as_deref()).to_string(),
        what: event_label(&r.event),
        detail: r.subject.unwrap_or_default(),
        address: r.address.unwrap_or_default(),
        dossier: r.dossier_id,
    }
}

async fn log_viewed(
    state: &AppState,
    user: &CurrentUser,
    dossier: Option<DossierId>,
) -> Result<()> {
    state
        .db
        .audit(
            state.clock.unix(),
            user.audit_entry(Event::AuditViewed).for_dossier(dossier),
        )
        .await?;
    Ok(())
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct LogQuery {
    gebruiker: String,
    dossier: String,
    van: String,
    tot: String,
    voor: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "privacy.html")]
pub struct LogPage {
    pub ctx: PageCtx,
    pub rows: Vec<LogView>,
    pub users: Vec<(UserId, String)>,
    pub user: String,
    pub dossier: String,
    pub from: String,
    pub to: String,
    /// Why a date of the filter was not used.
    pub error: Option<&'static str>,
    /// The address of the next page, if there is one.
    pub next: Option<String>,
}

/// The whole audit log, for the privacy officer.
pub async fn log(
    State(state): State<AppState>,
    ctx: PageCtx,
    PrivacyOfficer(user): PrivacyOfficer,
    Query(q): Query<LogQuery>,
) -> Result<LogPage> {
    // A date that is no date or lies outside 1990..2100 filters nothing, and the page says so.
    let mut error = None;
    let mut day = |s: &str| {
        if s.trim().is_empty() {
            return None;
        }
        match parse_date(s).map(crate::domain::dates::check_event) {
            Some(Ok(d)) => Some(d.midnight().assume_utc().unix_timestamp()),
            Some(Err(msg)) => {
                error = Some(msg);
                None
            }
            None => {
                error = Some("Vul geldige datums in. Schrijf een datum zo: 28-11-2026.");
                None
            }
        }
    };
    let (from, to) = (day(&q.van), day(&q.tot));
    let filter = LogFilter {
        user_id: q.gebruiker.parse().ok(),
        dossier_id: q.dossier.trim().parse().ok(),
        from,
        to: to.map(|t| t + 24 * 60 * 60),
        before: q.voor.parse().ok(),
        limit: PAGE,
    };
    let rows = state.db.audit_log(&filter).await?;
    let next = (rows.len() as i64 == PAGE).then(|| {
        let last = rows.last().map_or(0, |r| r.id);
        serde_urlencoded::to_string([
            ("gebruiker", &q.gebruiker),
            ("dossier", &q.dossier),
            ("van", &q.van),
            ("tot", &q.tot),
            ("voor", &last.to_string()),
        ])
        .map(|qs| super::urls::with_query("/privacy", Some(&qs)))
        .unwrap_or_default()
    });
    log_viewed(&state, &user, None).await?;
    let users = state
        .db
        .users(user.user.organisation_id)
        .await?
        .into_iter()
        .map(|u| (u.id, format!("{} ({})", u.name, u.email)))
        .collect();
    Ok(LogPage {
        ctx,
        rows: rows.into_iter().map(view).collect(),
        users,
        user: q.gebruiker,
        dossier: q.dossier,
        from: q.van,
        to: q.tot,
        next,
        error,
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "dossiers/access_log.html")]
pub struct DossierLogPage {
    pub ctx: PageCtx,
    pub id: DossierId,
    pub pupil: String,
    pub rows: Vec<LogView>,
}

/// Who accessed this dossier: for its school's aandachtsfunctionaris (directie for a dossier about
/// a staff member).
pub async fn dossier_log(
    State(state): State<AppState>,
    ctx: PageCtx,
    DossierWorker(user): DossierWorker,
    uri: Uri,
    Path(id): Path<String>,
) -> Result<DossierLogPage> {
    let id: DossierId = id.parse().map_err(|_| AppError::NotFound)?;
    let access = state
        .db
        .open_dossier(
            &viewer(&user),
            id,
            Purpose::Read,
            state.clock.unix(),
            user.address.as_deref(),
        )
        .await?
        .ok_or(AppError::NotFound)?;
    // Who coordinates the dossier sees who looked at it (domain::access::coordinates).
    if !crate::domain::access::coordinates(access.role(), access.dossier().route) {
        // Refused like any other gate: the refusal shows in the dossier's own access log.
        audit_refusal(&state, &user, uri.path(), Some(id)).await?;
        return Err(AppError::Forbidden);
    }
    let rows = state
        .db
        .audit_log(&LogFilter {
            dossier_id: Some(id),
            limit: 500,
            ..LogFilter::default()
        })
        .await?;
    log_viewed(&state, &user, Some(id)).await?;
    Ok(DossierLogPage {
        ctx,
        id,
        pupil: access.dossier().pupil.name.clone(),
        rows: rows.into_iter().map(view).collect(),
    })
}
