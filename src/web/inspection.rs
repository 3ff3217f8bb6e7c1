//! The right of inspection: all dossiers of one pupil that the aandachtsfunctionaris may see,
//! as a printable page and as JSON, to hand to the parents or the pupil; and the review before
//! it, where the aandachtsfunctionaris withholds what the law allows (`domain::inspection`).

use crate::domain::ids::{EntryId, PupilId, RedactionId};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::{Deserialize, Serialize};

use super::access::{Inspector, audit_refusal};
use super::dossiers::viewer;
use super::error::{AppError, Result};
use super::form::Errors;
use super::format::{moment_nl, today_nl};
use super::guard::CurrentUser;
use super::page::PageCtx;
use crate::app::AppState;
use crate::domain::access::Viewer;
use crate::domain::entry;
use crate::domain::inspection::{
    Reason, Redaction, WHOLE_ENTRY, copy_fields, parse_marking, part_label,
};
use crate::domain::role::Role;
use crate::store::audit::Event;
use crate::store::dossiers::{DossierAccess, DossierSummary, EntryRecord, Purpose};
use crate::store::inspection::{Marked, StoredRedaction};

#[derive(Debug, Serialize)]
pub struct ExportEntry {
    pub number: i64,
    pub kind: &'static str,
    pub recorded: String,
    pub author: String,
    pub refers_to: Option<i64>,
    /// Label and value; "[weggelaten: …]" in place of what was withheld.
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

/// One thing left out of the copy, as the copy lists it: where, what, why, and who decided.
#[derive(Debug, Serialize)]
pub struct ExportWithheld {
    pub dossier: i64,
    pub entry: i64,
    pub part: &'static str,
    pub reason: &'static str,
    pub marked_by: String,
}

#[derive(Debug, Serialize)]
pub struct Export {
    pub pupil: String,
    pub date_of_birth: String,
    pub made: String,
    pub made_by: String,
    pub dossiers: Vec<ExportDossier>,
    /// What was withheld and why, so the reader knows that something was.
    pub withheld: Vec<ExportWithheld>,
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

/// The pupil's dossiers the user sees, when the user is the aandachtsfunctionaris of the
/// pupil's school; a pupil of whom they see no dossier is not found, and an aandachtsfunctionaris
/// of another school who sees a dossier in another role is refused (and audited).
async fn pupils_dossiers(
    state: &AppState,
    user: &CurrentUser,
    path: &str,
    pupil: &str,
) -> Result<(PupilId, Viewer, Vec<DossierSummary>)> {
    let pupil: PupilId = pupil.parse().map_err(|_| AppError::NotFound)?;
    let v = viewer(user);
    let summaries = state.db.dossiers_of_pupil(&v, pupil).await?;
    let Some(first) = summaries.first() else {
        return Err(AppError::NotFound);
    };
    if !v.holds(first.header.school_id, Role::Aandachtsfunctionaris) {
        audit_refusal(state, user, path, None).await?;
        return Err(AppError::Forbidden);
    }
    Ok((pupil, v, summaries))
}

/// Each of these dossiers that the viewer may still open, opened for `purpose` (one audit row
/// each), with its entries (oldest first) and the redactions in force in it.
async fn open_each<'a>(
    state: &AppState,
    user: &CurrentUser,
    v: &Viewer,
    summaries: &'a [DossierSummary],
    purpose: Purpose,
) -> Result<Vec<(&'a DossierSummary, Vec<EntryRecord>, Vec<StoredRedaction>)>> {
    let mut opened = Vec::new();
    for s in summaries {
        let Some(access) = state
            .db
            .open_dossier(
                v,
                s.header.id,
                purpose,
                state.clock.unix(),
                user.address.as_deref(),
            )
            .await?
        else {
            continue;
        };
        let entries = state.db.entries(&access).await?;
        let stored = state.db.redactions(&access).await?;
        opened.push((s, entries, stored));
    }
    Ok(opened)
}

/// The redactions in force as the copy applies them.
fn in_force(stored: &[StoredRedaction]) -> Vec<Redaction> {
    stored
        .iter()
        .map(|r| Redaction {
            entry: r.entry,
            field: r.field.clone(),
            reason: r.reason,
        })
        .collect()
}

/// Who wrote an entry, with the role they wrote it in.
fn author(e: &EntryRecord) -> String {
    format!(
        "{}{}",
        e.author_name,
        e.author_role
            .map_or(String::new(), |r| format!(" ({})", r.label()))
    )
}

/// The export of one pupil's dossiers, for the aandachtsfunctionaris of the pupil's school, with
/// what they withheld replaced and listed.
pub async fn inspection(
    State(state): State<AppState>,
    ctx: PageCtx,
    Inspector(user): Inspector,
    uri: Uri,
    Path(pupil): Path<String>,
    Query(f): Query<Format>,
) -> Result<Response> {
    let (pupil, v, summaries) = pupils_dossiers(&state, &user, uri.path(), &pupil).await?;
    // What leaves Meldcode needs a fresh password.
    let back = super::urls::inspection(pupil, f.formaat == "json");
    user.require_recent_auth(state.clock.unix(), &back)?;
    let mut dossiers = Vec::new();
    let mut withheld = Vec::new();
    for (s, entries, stored) in open_each(&state, &user, &v, &summaries, Purpose::Print).await? {
        let redactions = in_force(&stored);
        for r in &stored {
            if let Some(e) = entries.iter().find(|e| e.id == r.entry) {
                withheld.push(ExportWithheld {
                    dossier: s.header.id.get(),
                    entry: r.entry.get(),
                    part: part_label(e.kind, r.field.as_deref()),
                    reason: r.reason.label(),
                    marked_by: r.marked_by.clone(),
                });
            }
        }
        let entries = entries
            .into_iter()
            .map(|e| ExportEntry {
                number: e.id.get(),
                kind: e.kind.label(),
                recorded: moment_nl(e.created_at),
                author: author(&e),
                refers_to: e.refers_to.map(|r| r.get()),
                fields: copy_fields(e.kind, e.id, &e.body, &redactions)
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
    let first = &summaries[0];
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
        withheld,
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

/// A field of an entry on the review page: the aandachtsfunctionaris sees its text, and whether
/// the copy withholds it.
pub struct ReviewField {
    pub key: &'static str,
    pub label: &'static str,
    pub value: String,
    pub withheld: bool,
}

/// A redaction in force, on the review page.
pub struct ReviewMark {
    pub id: RedactionId,
    pub part: &'static str,
    pub reason: &'static str,
    pub explanation: String,
    pub marked_by: String,
    pub marked_at: String,
}

/// What the form to withhold part of an entry holds: as sent, when it comes back with mistakes.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct MarkForm {
    pub aantekening: String,
    pub deel: String,
    pub reden: String,
    pub toelichting: String,
}

pub struct ReviewEntry {
    pub number: EntryId,
    pub kind: &'static str,
    pub recorded: String,
    pub author: String,
    pub fields: Vec<ReviewField>,
    /// The whole entry is withheld.
    pub whole: bool,
    pub marks: Vec<ReviewMark>,
    /// The form's values: as sent when it came back with mistakes, else the whole entry chosen.
    pub input: MarkForm,
    pub errors: Errors,
}

pub struct ReviewDossier {
    pub number: i64,
    pub school: String,
    pub status: &'static str,
    pub entries: Vec<ReviewEntry>,
}

#[derive(Template, WebTemplate)]
#[template(path = "inspection_review.html")]
pub struct ReviewPage {
    pub ctx: PageCtx,
    pub pupil_id: PupilId,
    pub pupil: String,
    pub dossiers: Vec<ReviewDossier>,
    /// The reasons the form offers: code and label.
    pub reasons: Vec<(&'static str, &'static str)>,
    pub whole_entry: &'static str,
    pub notice: Option<&'static str>,
    /// The entry whose form came back with mistakes, for the summary at the top.
    pub failed: Option<(EntryId, Errors)>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ReviewQuery {
    melding: String,
}

/// The review before the copy: every entry of the pupil's dossiers, what is withheld from the
/// copy and why, and a form per entry to withhold it or part of it.
pub async fn review(
    State(state): State<AppState>,
    ctx: PageCtx,
    Inspector(user): Inspector,
    uri: Uri,
    Path(pupil): Path<String>,
    Query(q): Query<ReviewQuery>,
) -> Result<Response> {
    let notice = match q.melding.as_str() {
        "weggelaten" => Some("Vastgelegd. De inzage laat dit nu weg, met de reden."),
        "ingetrokken" => Some("Ingetrokken. De inzage toont dit weer."),
        _ => None,
    };
    review_page(&state, ctx, &user, uri.path(), &pupil, notice, None).await
}

async fn review_page(
    state: &AppState,
    ctx: PageCtx,
    user: &CurrentUser,
    path: &str,
    pupil: &str,
    notice: Option<&'static str>,
    failed: Option<(EntryId, MarkForm, Errors)>,
) -> Result<Response> {
    let (pupil_id, v, summaries) = pupils_dossiers(state, user, path, pupil).await?;
    let mut dossiers = Vec::new();
    for (s, entries, stored) in open_each(state, user, &v, &summaries, Purpose::Read).await? {
        let entries = entries
            .into_iter()
            .map(|e| {
                let of_entry: Vec<&StoredRedaction> =
                    stored.iter().filter(|r| r.entry == e.id).collect();
                let fields = entry::display_keyed(e.kind, &e.body)
                    .into_iter()
                    .map(|(key, label, value)| ReviewField {
                        key,
                        label,
                        value,
                        withheld: !key.is_empty()
                            && of_entry.iter().any(|r| r.field.as_deref() == Some(key)),
                    })
                    .collect();
                let (input, errors) = match &failed {
                    Some((id, form, errors)) if *id == e.id => (form.clone(), errors.clone()),
                    _ => (
                        MarkForm {
                            deel: WHOLE_ENTRY.to_string(),
                            ..MarkForm::default()
                        },
                        Errors::default(),
                    ),
                };
                ReviewEntry {
                    number: e.id,
                    kind: e.kind.label(),
                    recorded: moment_nl(e.created_at),
                    author: author(&e),
                    fields,
                    whole: of_entry.iter().any(|r| r.field.is_none()),
                    marks: of_entry
                        .iter()
                        .map(|r| ReviewMark {
                            id: r.id,
                            part: part_label(e.kind, r.field.as_deref()),
                            reason: r.reason.label(),
                            explanation: r.explanation.clone(),
                            marked_by: r.marked_by.clone(),
                            marked_at: moment_nl(r.marked_at),
                        })
                        .collect(),
                    input,
                    errors,
                }
            })
            .collect();
        dossiers.push(ReviewDossier {
            number: s.header.id.get(),
            school: s.header.school_name.clone(),
            status: if s.header.open { "open" } else { "gesloten" },
            entries,
        });
    }
    let status = if failed.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let page = ReviewPage {
        ctx,
        pupil_id,
        pupil: summaries[0].header.pupil.name.clone(),
        dossiers,
        reasons: Reason::ALL
            .into_iter()
            .map(|r| (r.code(), r.choice()))
            .collect(),
        whole_entry: WHOLE_ENTRY,
        notice,
        failed: failed.map(|(id, _, errors)| (id, errors)),
    };
    Ok((status, page).into_response())
}

/// The dossier of an entry or redaction named in a form, opened to write: only a dossier of
/// this pupil that the user may see, as the aandachtsfunctionaris of its school. Anything else
/// is not found (nothing is written); the dossier's access decision is `open_dossier`'s.
async fn open_to_review(
    state: &AppState,
    user: &CurrentUser,
    path: &str,
    dossier: Option<crate::domain::ids::DossierId>,
) -> Result<DossierAccess> {
    let Some(dossier) = dossier else {
        audit_refusal(state, user, path, None).await?;
        return Err(AppError::NotFound);
    };
    let v = viewer(user);
    let access = state
        .db
        .open_dossier(
            &v,
            dossier,
            Purpose::Write,
            state.clock.unix(),
            user.address.as_deref(),
        )
        .await?
        .ok_or(AppError::NotFound)?;
    if !v.holds(access.dossier().school_id, Role::Aandachtsfunctionaris) {
        audit_refusal(state, user, path, Some(access.id())).await?;
        return Err(AppError::Forbidden);
    }
    Ok(access)
}

/// Withholds an entry, or one field of it, from the pupil's inspection copy. A mistake in the
/// form (no reason, no explanation) shows the review page again with the text kept.
pub async fn mark(
    State(state): State<AppState>,
    ctx: PageCtx,
    Inspector(user): Inspector,
    uri: Uri,
    Path(pupil): Path<String>,
    axum::Form(form): axum::Form<MarkForm>,
) -> Result<Response> {
    let pupil_id: PupilId = pupil.parse().map_err(|_| AppError::NotFound)?;
    let entry_id: EntryId = form.aantekening.parse().map_err(|_| AppError::NotFound)?;
    let dossier = state.db.dossier_of_pupils_entry(pupil_id, entry_id).await?;
    let access = open_to_review(&state, &user, uri.path(), dossier).await?;
    let entry = state
        .db
        .entry(&access, entry_id.get())
        .await?
        .ok_or(AppError::NotFound)?;
    let failed = |errors: Vec<(&'static str, String)>| {
        let mut errors = Errors::from(errors);
        errors.label("deel", "Wat laat u weg?");
        errors.label("reden", "Waarom?");
        errors.label("toelichting", "Toelichting");
        Some((entry_id, form.clone(), errors))
    };
    let marking = match parse_marking(entry.kind, &form.deel, &form.reden, &form.toelichting) {
        Ok(m) => m,
        Err(errors) => {
            return review_page(&state, ctx, &user, uri.path(), &pupil, None, failed(errors)).await;
        }
    };
    match state
        .db
        .mark_redaction(&access, entry_id, &marking, state.clock.unix())
        .await?
    {
        Marked::Stored(_) => Ok(Redirect::to(&super::urls::inspection_review(
            pupil_id,
            "weggelaten",
            Some(entry_id),
        ))
        .into_response()),
        Marked::AlreadyMarked => {
            let message = "Dit is al weggelaten uit de inzage. Wilt u de reden veranderen? Trek de weglating dan eerst in.";
            review_page(
                &state,
                ctx,
                &user,
                uri.path(),
                &pupil,
                None,
                failed(vec![("deel", message.to_string())]),
            )
            .await
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct WithdrawForm {
    weglating: String,
}

/// Withdraws a redaction: the passage is in the copy again (logged like the redaction).
pub async fn withdraw(
    State(state): State<AppState>,
    Inspector(user): Inspector,
    uri: Uri,
    Path(pupil): Path<String>,
    axum::Form(form): axum::Form<WithdrawForm>,
) -> Result<Response> {
    let pupil_id: PupilId = pupil.parse().map_err(|_| AppError::NotFound)?;
    let redaction: RedactionId = form.weglating.parse().map_err(|_| AppError::NotFound)?;
    let dossier = state.db.dossier_of_redaction(pupil_id, redaction).await?;
    let access = open_to_review(&state, &user, uri.path(), dossier).await?;
    if !state
        .db
        .withdraw_redaction(&access, redaction, state.clock.unix())
        .await?
    {
        return Err(AppError::NotFound);
    }
    Ok(Redirect::to(&super::urls::inspection_review(
        pupil_id,
        "ingetrokken",
        None,
    ))
    .into_response())
}
