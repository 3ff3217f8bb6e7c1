//! Cover during absence (`domain::cover`): the aandachtsfunctionaris names a deputy (waarnemer)
//! for a period at `/werkruimte/waarneming`, sees the covers of their schools (ending one early),
//! and, back from absence, what the deputies opened. The gate is [`CoverPlanner`]: an
//! aandachtsfunctionaris by their own role; a deputy does not name a deputy in turn.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::access::{CoverPlanner, audit_refusal};
use super::error::{AppError, Result};
use super::form::Errors;
use super::format::{moment_nl, today_nl};
use super::page::PageCtx;
use super::privacy::event_label;
use super::urls;
use crate::app::AppState;
use crate::domain::cover::{self, Status};
use crate::domain::dates::date_nl;
use crate::domain::ids::{CoverId, DossierId, SchoolId, UserId};
use crate::store::audit::Event;
use crate::store::covers::{CoverCandidate, CoverLine, Ending, NewCover};

/// How far back the page looks at covers that are over: as long as the longest cover.
const LOOK_BACK_DAYS: i64 = cover::MAX_DAYS;

/// At most this many rows of what deputies did.
const ACTIVITY_ROWS: i64 = 100;

/// Fixed texts for the messages after a redirect: the address never carries the user's own text.
fn notice(code: &str) -> Option<&'static str> {
    match code {
        "aangewezen" => Some(
            "De waarnemer is aangewezen en krijgt daarvan bericht. In de periode ziet de waarnemer de werkruimte en de dossiers van de school.",
        ),
        "beeindigd" => Some("De waarneming is beëindigd. De waarnemer ziet de dossiers niet meer."),
        "al-afgelopen" => Some("Deze waarneming was al afgelopen of beëindigd."),
        _ => None,
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct CoverForm {
    pub school: String,
    pub waarnemer: String,
    pub van: String,
    pub tot: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Melding {
    melding: String,
}

/// A cover as the page lists it.
pub struct CoverView {
    pub id: CoverId,
    pub deputy: String,
    pub school: String,
    pub absent: String,
    pub from: String,
    pub until: String,
    pub status: &'static str,
    /// Whether it gives access now or later, and can be ended.
    pub may_end: bool,
    /// Why it gives nothing although its period runs (its basis went), or who ended it.
    pub note: Option<String>,
}

fn view(line: CoverLine, today: time::Date) -> CoverView {
    let status = cover::status(line.period, line.ended, today);
    let lapsed = !line.qualifies && status.may_end();
    let note = match (&line.ended_by, lapsed) {
        (Some(by), _) if status == Status::Ended => Some(format!("beëindigd door {by}")),
        (_, true) => Some(
            "geeft geen toegang meer: de aandachtsfunctionaris of de waarnemer voldoet niet meer"
                .to_string(),
        ),
        _ => None,
    };
    CoverView {
        id: line.id,
        deputy: line.deputy_name,
        school: line.school_name,
        absent: line.absent_name,
        from: date_nl(line.period.from),
        until: date_nl(line.period.until),
        status: status.label(),
        may_end: status.may_end(),
        note,
    }
}

/// What a deputy did through a cover, as the page lists it.
pub struct ActivityView {
    pub when: String,
    pub deputy: String,
    pub what: &'static str,
    pub dossier: DossierId,
    pub pupil: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "cover.html")]
pub struct CoverPage {
    pub ctx: PageCtx,
    /// The schools the user can name a deputy for (their own as aandachtsfunctionaris).
    pub schools: Vec<(SchoolId, String)>,
    pub candidates: Vec<CoverCandidate>,
    pub form: CoverForm,
    pub errors: Errors,
    pub notice: Option<&'static str>,
    /// Covers that give access now or later.
    pub current: Vec<CoverView>,
    /// Covers that are over or ended, the last twelve weeks.
    pub past: Vec<CoverView>,
    pub activity: Vec<ActivityView>,
}

impl CoverPage {
    pub fn chosen(&self, id: &UserId) -> bool {
        self.form.waarnemer == id.to_string()
    }
}

async fn page(
    state: &AppState,
    ctx: PageCtx,
    planner: &CoverPlanner,
    form: CoverForm,
    errors: Errors,
    notice: Option<&'static str>,
) -> Result<CoverPage> {
    let user = &planner.0;
    let schools = planner.schools();
    let ids: Vec<SchoolId> = schools.iter().map(|(id, _)| *id).collect();
    let today = today_nl(state.clock.unix());
    let candidates = state
        .db
        .cover_candidates(user.user.organisation_id, &ids, user.user.id)
        .await?;
    let since = today - time::Duration::days(LOOK_BACK_DAYS);
    let (current, past): (Vec<CoverView>, Vec<CoverView>) = state
        .db
        .covers_at(&ids, since)
        .await?
        .into_iter()
        .map(|line| view(line, today))
        .partition(|v| v.may_end);
    let activity: Vec<ActivityView> = state
        .db
        .cover_activity(&ids, ACTIVITY_ROWS)
        .await?
        .into_iter()
        .map(|a| ActivityView {
            when: moment_nl(a.at),
            deputy: a.deputy_name,
            what: event_label(&a.event),
            dossier: a.dossier_id,
            pupil: a.pupil_name,
        })
        .collect();
    // Rows of the audit log were shown: that look is logged too, as every look at the log.
    if !activity.is_empty() {
        state
            .db
            .audit(
                state.clock.unix(),
                user.audit_entry(Event::AuditViewed).about("waarneming"),
            )
            .await?;
    }
    Ok(CoverPage {
        ctx,
        schools,
        candidates,
        form,
        errors,
        notice,
        current,
        past,
        activity,
    })
}

/// The page: the form that names a deputy, the covers of the user's schools, what deputies did.
pub async fn cover_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    planner: CoverPlanner,
    Query(q): Query<Melding>,
) -> Result<CoverPage> {
    let today = today_nl(state.clock.unix());
    let form = CoverForm {
        van: today.to_string(),
        ..CoverForm::default()
    };
    page(
        &state,
        ctx,
        &planner,
        form,
        Errors::default(),
        notice(&q.melding),
    )
    .await
}

/// Names a deputy, or shows the form again with the Dutch messages and what was typed.
pub async fn name_cover(
    State(state): State<AppState>,
    ctx: PageCtx,
    planner: CoverPlanner,
    axum::Form(form): axum::Form<CoverForm>,
) -> Result<Response> {
    let user = &planner.0;
    let schools = planner.schools();
    let today = today_nl(state.clock.unix());
    let mut errors = Errors::default();
    errors.label("school", "School");
    errors.label("waarnemer", "Waarnemer");
    errors.label("van", "Eerste dag");
    errors.label("tot", "Laatste dag");
    // With one school the form sends none: it is that school.
    let school = match schools.as_slice() {
        [(only, _)] if form.school.trim().is_empty() => Some(*only),
        _ => form
            .school
            .trim()
            .parse::<SchoolId>()
            .ok()
            .filter(|s| cover::may_name(&user.roles_at(), *s)),
    };
    if school.is_none() {
        errors.add("school", "Kies de school waarvoor de waarnemer komt.");
    }
    let deputy = form.waarnemer.trim().parse::<UserId>().ok();
    if deputy.is_none() {
        errors.add("waarnemer", "Kies wie voor u waarneemt.");
    }
    let period = match cover::check_period(&form.van, &form.tot, today) {
        Ok(p) => Some(p),
        Err(messages) => {
            for (field, message) in messages {
                errors.add(field, message);
            }
            None
        }
    };
    if let (Some(school_id), Some(deputy), Some(period), true) =
        (school, deputy, period, errors.is_empty())
    {
        let new = NewCover {
            org_id: user.user.organisation_id,
            school_id,
            absent: user.user.id,
            deputy,
            period,
        };
        match state
            .db
            .name_cover(&new, today, state.clock.unix(), user.address.as_deref())
            .await?
        {
            Ok(_) => return Ok(Redirect::to(urls::path::COVER_NAMED).into_response()),
            Err((field, message)) => errors.add(field, message),
        }
    }
    let page = page(&state, ctx, &planner, form, errors, None).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

/// Ends a cover early: an aandachtsfunctionaris of its school by their own role may. The deputy's
/// access ends at their next request.
pub async fn end_cover(
    State(state): State<AppState>,
    planner: CoverPlanner,
    uri: Uri,
    Path(id): Path<String>,
) -> Result<Response> {
    let user = &planner.0;
    let id: CoverId = id.parse().map_err(|_| AppError::NotFound)?;
    let line = state
        .db
        .cover(id, user.user.organisation_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !cover::may_end(&user.roles_at(), line.school_id) {
        audit_refusal(&state, user, uri.path(), None).await?;
        return Err(AppError::Forbidden);
    }
    let today = today_nl(state.clock.unix());
    let ended = state
        .db
        .end_cover(
            id,
            user.user.id,
            today,
            state.clock.unix(),
            user.address.as_deref(),
        )
        .await?;
    Ok(Redirect::to(match ended {
        Ending::Ended => urls::path::COVER_ENDED,
        Ending::AlreadyOver => urls::path::COVER_ALREADY_OVER,
    })
    .into_response())
}
