//! What the organisation must see to: the published meldcode that every user confirms reading,
//! training records, the experts per school, and the board's yearly evaluation.

use crate::domain::ids::SchoolId;
use crate::domain::ids::UserId;
use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::access::{Beheerder, Evaluator, Overseer, schools_as};
use super::error::{AppError, Result};
use super::form::Errors;
use super::format::{iso_date_nl, moment_nl, today_nl};
use super::guard::CurrentUser;
use super::page::PageCtx;
use super::reports::{Table, tables};
use crate::app::AppState;
use crate::domain::account::ShortText;
use crate::domain::conditions::Support;
use crate::domain::entry::parse_date;
use crate::domain::period::{schooljaar, schooljaar_label, schooljaar_of};
use crate::domain::report::training_overdue;
use crate::domain::role::Role;
use crate::store::audit::Event;
use crate::store::reports::Scope;

/// The longest meldcode text accepted.
const MELDCODE_MAX: usize = 100_000;
const EVALUATION_MAX: usize = 20_000;

// ---------------------------------------------------------------------------------------------
// The meldcode text

#[derive(Template, WebTemplate)]
#[template(path = "meldcode.html")]
pub struct MeldcodePage {
    pub ctx: PageCtx,
    /// (id, version, paragraphs, published)
    pub current: Option<(i64, i64, Vec<String>, String)>,
    /// Whether the current version is a small correction of the one before it.
    pub correction: bool,
    pub acknowledged: bool,
    pub notice: Option<&'static str>,
    /// How the organisation supports staff held to account for applying the meldcode (section
    /// IV.b), once the beheerder has recorded it.
    pub support: Option<Support>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Melding {
    melding: String,
}

fn paragraphs(text: &str) -> Vec<String> {
    text.split("\n\n")
        .map(|p| p.trim().to_string())
        .filter(|p| !p.is_empty())
        .collect()
}

/// The organisation's meldcode, for everyone, with the confirmation that one has read it.
pub async fn meldcode(
    State(state): State<AppState>,
    ctx: PageCtx,
    user: CurrentUser,
    Query(q): Query<Melding>,
) -> Result<MeldcodePage> {
    let current = state.db.current_meldcode(user.user.organisation_id).await?;
    let acknowledged = match &current {
        Some(v) => state.db.acknowledged(user.user.id, v.id).await?,
        None => true,
    };
    let support = state.organisation().await?.and_then(|org| org.support());
    Ok(MeldcodePage {
        ctx,
        support,
        correction: current.as_ref().is_some_and(|v| v.is_correction()),
        current: current.map(|v| {
            (
                v.id,
                v.version,
                paragraphs(&v.body),
                moment_nl(v.published_at),
            )
        }),
        acknowledged,
        notice: (q.melding == "gelezen").then_some(
            "Dank u. U heeft bevestigd dat u deze versie van de meldcode heeft gelezen.",
        ),
    })
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct AckForm {
    versie: String,
}

pub async fn acknowledge(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(form): Form<AckForm>,
) -> Result<Response> {
    let current = state
        .db
        .current_meldcode(user.user.organisation_id)
        .await?
        .ok_or(AppError::NotFound)?;
    // Only the current version can be confirmed: confirming an old one says nothing.
    if current.id.to_string() != form.versie {
        return Ok(Redirect::to(crate::web::urls::path::MELDCODE).into_response());
    }
    state
        .db
        .acknowledge(user.user.id, current.id, state.clock.unix())
        .await?;
    Ok(Redirect::to(crate::web::urls::path::MELDCODE_READ).into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "beheer/meldcode.html")]
pub struct EditMeldcodePage {
    pub ctx: PageCtx,
    pub text: String,
    pub version: Option<i64>,
    /// The chosen kind of change: `nieuw` (everyone confirms again) or `correctie`.
    pub kind: String,
    /// The text as users will see it, after "Voorbeeld bekijken".
    pub preview: Option<Vec<String>>,
    pub errors: Errors,
    pub notice: Option<&'static str>,
}

/// A new version that everyone is asked to read and confirm.
const NEW_VERSION: &str = "nieuw";
/// A small correction ("kleine correctie"): a typing error, a phone number. Nobody is asked to
/// confirm again: a confirmation of the version it corrects still counts.
const CORRECTION: &str = "correctie";

pub async fn edit_meldcode(
    State(state): State<AppState>,
    ctx: PageCtx,
    b: Beheerder,
    Query(q): Query<Melding>,
) -> Result<EditMeldcodePage> {
    let current = state.db.current_meldcode(b.0.user.organisation_id).await?;
    let notice = match q.melding.as_str() {
        "gepubliceerd" => {
            Some("De nieuwe versie is gepubliceerd. Iedereen wordt gevraagd haar te lezen.")
        }
        "gecorrigeerd" => Some(
            "De kleine correctie is gepubliceerd. Wie de vorige versie las, hoeft niets opnieuw te bevestigen.",
        ),
        _ => None,
    };
    Ok(EditMeldcodePage {
        ctx,
        text: current.as_ref().map(|v| v.body.clone()).unwrap_or_default(),
        version: current.map(|v| v.version),
        kind: NEW_VERSION.into(),
        preview: None,
        errors: Errors::default(),
        notice,
    })
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct MeldcodeForm {
    tekst: String,
    /// `nieuw` or `correctie` (absent: a new version).
    soort: String,
    /// `voorbeeld` shows the text as users will see it, without publishing.
    actie: String,
}

pub async fn publish_meldcode(
    State(state): State<AppState>,
    ctx: PageCtx,
    b: Beheerder,
    Form(form): Form<MeldcodeForm>,
) -> Result<Response> {
    let text = form.tekst.replace("\r\n", "\n");
    let current = state.db.current_meldcode(b.0.user.organisation_id).await?;
    // A correction needs a version to correct; an unknown kind is a new version (the safe one).
    let correction = form.soort == CORRECTION && current.is_some();
    let kind = if correction { CORRECTION } else { NEW_VERSION };
    let mut errors = Errors::default();
    errors.label("tekst", "Tekst van de meldcode");
    if text.trim().is_empty() {
        errors.add("tekst", "De tekst is leeg.");
    } else if text.chars().count() > MELDCODE_MAX {
        errors.add(
            "tekst",
            format!("De tekst is te lang: hoogstens {MELDCODE_MAX} tekens."),
        );
    } else if text
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t')
    {
        errors.add("tekst", "De tekst bevat tekens die hier niet passen.");
    }
    let preview = form.actie == "voorbeeld";
    if !errors.is_empty() || preview {
        let status = if errors.is_empty() {
            StatusCode::OK
        } else {
            StatusCode::UNPROCESSABLE_ENTITY
        };
        let page = EditMeldcodePage {
            ctx,
            preview: errors.is_empty().then(|| paragraphs(&text)),
            text: form.tekst,
            version: current.map(|v| v.version),
            kind: kind.into(),
            errors,
            notice: None,
        };
        return Ok((status, page).into_response());
    }
    let now = state.clock.unix();
    let (org, body, by) = (b.0.user.organisation_id, text.trim(), b.0.user.id);
    let version = if correction {
        state.db.publish_correction(org, body, by, now).await?
    } else {
        state.db.publish_meldcode(org, body, by, now).await?
    };
    let subject = if correction {
        format!("versie {version} (kleine correctie)")
    } else {
        format!("versie {version}")
    };
    state
        .db
        .audit(
            now,
            b.0.audit_entry(Event::MeldcodePublished).about(&subject),
        )
        .await?;
    Ok(Redirect::to(if correction {
        crate::web::urls::path::BEHEER_MELDCODE_CORRECTED
    } else {
        crate::web::urls::path::BEHEER_MELDCODE_PUBLISHED
    })
    .into_response())
}

// ---------------------------------------------------------------------------------------------
// The organisation's duties: training, confirmations, experts

/// The schools an overseer oversees: directie of their schools, the beheerder of all of them.
async fn overseen_schools(
    state: &AppState,
    overseer: &Overseer,
) -> Result<Vec<(SchoolId, String)>> {
    let user = &overseer.0;
    if user.has_role(Role::Beheerder) {
        return Ok(state
            .db
            .schools(user.user.organisation_id)
            .await?
            .into_iter()
            .map(|s| (s.id, s.name))
            .collect());
    }
    Ok(schools_as(user, Role::Directie))
}

pub struct TrainingRow {
    pub user_id: UserId,
    pub name: String,
    pub last: String,
    pub title: String,
    pub overdue: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "organisation.html")]
pub struct OrganisationPage {
    pub ctx: PageCtx,
    pub interval: i64,
    pub training: Vec<TrainingRow>,
    pub overdue: usize,
    pub version: Option<i64>,
    pub not_read: Vec<String>,
    pub experts: Vec<(String, Vec<String>)>,
    pub form: TrainingForm,
    pub errors: Errors,
    pub notice: Option<&'static str>,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct TrainingForm {
    pub gebruiker: String,
    pub titel: String,
    pub datum: String,
}

async fn organisation_page(
    state: &AppState,
    ctx: PageCtx,
    user: &Overseer,
    form: TrainingForm,
    errors: Errors,
    notice: Option<&'static str>,
) -> Result<OrganisationPage> {
    let schools = overseen_schools(state, user).await?;
    let ids: Vec<SchoolId> = schools.iter().map(|(id, _)| *id).collect();
    let org = state.organisation().await?.ok_or(AppError::NotFound)?;
    let today = today_nl(state.clock.unix());
    let training: Vec<TrainingRow> = state
        .db
        .training_status(&ids)
        .await?
        .into_iter()
        .map(|t| TrainingRow {
            overdue: training_overdue(
                t.last_on.as_deref().and_then(parse_date),
                today,
                org.training_interval_months,
            ),
            user_id: t.user_id,
            name: t.name,
            last: t
                .last_on
                .as_deref()
                .map(iso_date_nl)
                .unwrap_or_else(|| "nooit".into()),
            title: t.last_title.unwrap_or_default(),
        })
        .collect();
    let current = state.db.current_meldcode(org.id).await?;
    let not_read = match &current {
        Some(v) => state
            .db
            .not_acknowledged(v.id, &ids)
            .await?
            .into_iter()
            .map(|(_, n)| n)
            .collect(),
        None => Vec::new(),
    };
    let mut experts = Vec::new();
    for (id, name) in &schools {
        experts.push((name.clone(), state.db.experts(*id).await?));
    }
    Ok(OrganisationPage {
        ctx,
        interval: org.training_interval_months,
        overdue: training.iter().filter(|t| t.overdue).count(),
        training,
        version: current.map(|v| v.version),
        not_read,
        experts,
        form,
        errors,
        notice,
    })
}

pub async fn organisation(
    State(state): State<AppState>,
    ctx: PageCtx,
    user: Overseer,
    Query(q): Query<Melding>,
) -> Result<OrganisationPage> {
    let notice = (q.melding == "training").then_some("De training is vastgelegd.");
    organisation_page(
        &state,
        ctx,
        &user,
        TrainingForm::default(),
        Errors::default(),
        notice,
    )
    .await
}

pub async fn add_training(
    State(state): State<AppState>,
    ctx: PageCtx,
    user: Overseer,
    Form(form): Form<TrainingForm>,
) -> Result<Response> {
    let schools = overseen_schools(&state, &user).await?;
    let ids: Vec<SchoolId> = schools.iter().map(|(id, _)| *id).collect();
    let people = state.db.training_status(&ids).await?;
    let mut errors = Errors::default();
    let person = people
        .iter()
        .find(|p| p.user_id.to_string() == form.gebruiker);
    if person.is_none() {
        errors.add("gebruiker", "Kies een medewerker.");
    }
    let title = errors.check(
        "titel",
        ShortText::parse(&form.titel, "de naam van de training"),
    );
    let today = today_nl(state.clock.unix());
    let date = match parse_date(&form.datum) {
        Some(d) if crate::domain::dates::check_event(d).is_err() => {
            errors.add("datum", crate::domain::dates::OUT_OF_RANGE);
            None
        }
        Some(d) if d <= today => Some(d),
        Some(_) => {
            errors.add("datum", "Deze datum ligt in de toekomst.");
            None
        }
        None => {
            errors.add("datum", "Vul de datum van de training in.");
            None
        }
    };
    let (Some(person), Some(title), Some(date), true) = (person, title, date, errors.is_empty())
    else {
        let page = organisation_page(&state, ctx, &user, form, errors, None).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    };
    state
        .db
        .add_training(
            user.0.user.organisation_id,
            person.user_id,
            title.as_str(),
            &date.to_string(),
            user.0.user.id,
            state.clock.unix(),
        )
        .await?;
    Ok(Redirect::to(crate::web::urls::path::ORGANISATION_TRAINING_SAVED).into_response())
}

// ---------------------------------------------------------------------------------------------
// The yearly evaluation for the board

#[derive(Template, WebTemplate)]
#[template(path = "annual.html")]
pub struct AnnualPage {
    pub ctx: PageCtx,
    /// The schooljaar, by the year it starts in.
    pub year: i32,
    /// How the schooljaar is written: "2026-2027".
    pub label: String,
    /// The schooljaren to choose from, newest first, with their labels.
    pub years: Vec<(i32, String)>,
    pub tables: Vec<Table>,
    pub trained: usize,
    pub training_overdue: usize,
    pub staff: usize,
    pub version: Option<i64>,
    pub not_read: usize,
    pub experts: Vec<(String, Vec<String>)>,
    /// The support arrangement for staff held to account; `None`: not recorded yet.
    pub support: Option<Support>,
    pub evaluation: String,
    pub actions: String,
    pub updated: Option<String>,
    pub errors: Errors,
    pub notice: Option<&'static str>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct YearQuery {
    jaar: String,
    melding: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct AnnualForm {
    jaar: String,
    evaluatie: String,
    acties: String,
}

async fn annual_page(
    state: &AppState,
    ctx: PageCtx,
    evaluator: &Evaluator,
    year: i32,
    texts: Option<(String, String)>,
    errors: Errors,
    notice: Option<&'static str>,
) -> Result<AnnualPage> {
    let own = evaluator.schools();
    let schools: Vec<SchoolId> = own.iter().map(|(id, _)| *id).collect();
    let org = state.organisation().await?.ok_or(AppError::NotFound)?;
    let now = state.clock.unix();
    let today = today_nl(now);
    // The board evaluates per schooljaar: 1 August `year` to 31 July `year + 1`.
    let (start, last) = schooljaar(year).ok_or(AppError::NotFound)?;
    let scope = Scope {
        schools: schools.clone(),
        from: start.midnight().assume_utc().unix_timestamp(),
        to: (last + time::Duration::days(1))
            .midnight()
            .assume_utc()
            .unix_timestamp(),
        today: today.to_string(),
        quiet_since: now - super::reports::INACTIVE_DAYS * 24 * 60 * 60,
    };
    let report = state.db.report(&scope).await?;
    let staff = state.db.training_status(&schools).await?;
    let training_overdue_count = staff
        .iter()
        .filter(|t| {
            training_overdue(
                t.last_on.as_deref().and_then(parse_date),
                today,
                org.training_interval_months,
            )
        })
        .count();
    let current = state.db.current_meldcode(org.id).await?;
    let not_read = match &current {
        Some(v) => state.db.not_acknowledged(v.id, &schools).await?.len(),
        None => 0,
    };
    let mut experts = Vec::new();
    for (school, name) in own {
        experts.push((name, state.db.experts(school).await?));
    }
    let saved = state.db.annual_evaluation(org.id, year).await?;
    let (evaluation, actions) = texts.unwrap_or_else(|| {
        saved
            .as_ref()
            .map(|s| (s.evaluation.clone(), s.actions.clone()))
            .unwrap_or_default()
    });
    Ok(AnnualPage {
        ctx,
        year,
        label: schooljaar_label(year),
        years: (schooljaar_of(today) - 4..=schooljaar_of(today))
            .rev()
            .map(|y| (y, schooljaar_label(y)))
            .collect(),
        tables: tables(&report),
        trained: staff.len() - training_overdue_count,
        training_overdue: training_overdue_count,
        staff: staff.len(),
        version: current.map(|v| v.version),
        not_read,
        experts,
        support: org.support(),
        evaluation,
        actions,
        updated: saved.map(|s| moment_nl(s.updated_at)),
        errors,
        notice,
    })
}

pub async fn annual(
    State(state): State<AppState>,
    ctx: PageCtx,
    user: Evaluator,
    Query(q): Query<YearQuery>,
) -> Result<AnnualPage> {
    let this_year = schooljaar_of(today_nl(state.clock.unix()));
    let year = q
        .jaar
        .parse::<i32>()
        .ok()
        .filter(|y| (2000..=this_year).contains(y))
        .unwrap_or(this_year);
    let notice = (q.melding == "opgeslagen").then_some("De evaluatie is opgeslagen.");
    annual_page(&state, ctx, &user, year, None, Errors::default(), notice).await
}

pub async fn save_annual(
    State(state): State<AppState>,
    ctx: PageCtx,
    evaluator: Evaluator,
    Form(form): Form<AnnualForm>,
) -> Result<Response> {
    let this_year = schooljaar_of(today_nl(state.clock.unix()));
    let year = form
        .jaar
        .parse::<i32>()
        .ok()
        .filter(|y| (2000..=this_year).contains(y))
        .ok_or(AppError::NotFound)?;
    let mut errors = Errors::default();
    errors.label("evaluatie", "Evaluatie");
    errors.label("acties", "Acties voor het komende jaar");
    for (field, text) in [("evaluatie", &form.evaluatie), ("acties", &form.acties)] {
        if text.chars().count() > EVALUATION_MAX {
            errors.add(
                field,
                format!("Dit is te lang: hoogstens {EVALUATION_MAX} tekens."),
            );
        }
    }
    if form.evaluatie.trim().is_empty() {
        errors.add("evaluatie", "Schrijf de evaluatie op.");
    }
    if !errors.is_empty() {
        let page = annual_page(
            &state,
            ctx,
            &evaluator,
            year,
            Some((form.evaluatie, form.acties)),
            errors,
            None,
        )
        .await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    }
    state
        .db
        .save_annual_evaluation(
            evaluator.0.user.organisation_id,
            year,
            form.evaluatie.trim(),
            form.acties.trim(),
            evaluator.0.user.id,
            state.clock.unix(),
        )
        .await?;
    Ok(Redirect::to(&super::urls::yearly_evaluation_saved(year)).into_response())
}

/// For the start page: whether the user still has to confirm the current meldcode.
pub async fn must_read(state: &AppState, user: &CurrentUser) -> Result<bool> {
    Ok(state
        .db
        .must_read_meldcode(user.user.organisation_id, user.user.id)
        .await?)
}
