//! Colleagues on a dossier and transfers to another school of the organisation.

use super::*;
use crate::domain::ids::SchoolId;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ColleagueForm {
    collega: String,
    casemanager: String,
}

/// Coordinating a dossier's colleagues belongs to the aandachtsfunctionaris (stappenplan only).
pub(super) fn coordinator(access: &DossierAccess) -> Result<()> {
    if second_line(access) && access.dossier().route == Route::Stappenplan {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// Adds a colleague of the school to the dossier, optionally as the help plan's case manager.
pub async fn add_colleague(
    State(state): State<AppState>,
    DossierWorker(user): DossierWorker,
    Path(id): Path<String>,
    axum::Form(form): axum::Form<ColleagueForm>,
) -> Result<Response> {
    let access = open(&state, &user, &id, Purpose::Write).await?;
    coordinator(&access)?;
    if form.collega.is_empty() {
        return Ok(
            Redirect::to(&urls::dossier_notice(access.id(), PageNotice::KiesCollega))
                .into_response(),
        );
    }
    let colleagues = state.db.colleagues(&access).await?;
    let colleague = colleagues
        .iter()
        .find(|c| c.id.to_string() == form.collega)
        .ok_or(AppError::NotFound)?;
    state
        .db
        .add_member(
            &access,
            colleague,
            !form.casemanager.is_empty(),
            state.clock.unix(),
        )
        .await?;
    Ok(Redirect::to(&urls::dossier_notice(access.id(), PageNotice::Collega)).into_response())
}

/// Removes a colleague: their access ends now.
pub async fn remove_colleague(
    State(state): State<AppState>,
    DossierWorker(user): DossierWorker,
    Path(id): Path<String>,
    axum::Form(form): axum::Form<ColleagueForm>,
) -> Result<Response> {
    let access = open(&state, &user, &id, Purpose::Write).await?;
    coordinator(&access)?;
    let members = state.db.members(&access).await?;
    let colleague = members
        .iter()
        .find(|c| c.id.to_string() == form.collega)
        .ok_or(AppError::NotFound)?;
    state
        .db
        .remove_member(&access, colleague, state.clock.unix())
        .await?;
    Ok(Redirect::to(&urls::dossier_notice(access.id(), PageNotice::CollegaWeg)).into_response())
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct TransferForm {
    school: String,
    /// The search the list was made with, to show the same list again.
    zoek: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct TransferQuery {
    zoek: String,
}

/// How many schools the transfer page lists at once: an organisation can have a thousand.
pub(super) const SCHOOLS_SHOWN: i64 = 20;

#[derive(Template, WebTemplate)]
#[template(path = "dossiers/transfer.html")]
pub struct TransferPage {
    pub ctx: PageCtx,
    pub header: DossierHeader,
    pub search: String,
    pub schools: Vec<(SchoolId, String)>,
    /// More schools match than are shown: the user narrows the search.
    pub more: bool,
    pub error: Option<&'static str>,
}

/// The page to choose the school a dossier goes to: a search by name, at most 20 schools shown.
pub async fn transfer_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    DossierWorker(user): DossierWorker,
    Path(id): Path<String>,
    Query(q): Query<TransferQuery>,
) -> Result<Response> {
    let access = open(&state, &user, &id, Purpose::Read).await?;
    transfer_choice(&state, ctx, &user, &access, q.zoek, None).await
}

pub(super) async fn transfer_choice(
    state: &AppState,
    ctx: PageCtx,
    user: &CurrentUser,
    access: &DossierAccess,
    search: String,
    error: Option<&'static str>,
) -> Result<Response> {
    coordinator(access)?;
    if !access.dossier().open || state.db.pending_transfer(access).await?.is_some() {
        return Ok(Redirect::to(&urls::dossier(access.id())).into_response());
    }
    let mut schools: Vec<(SchoolId, String)> = state
        .db
        .schools_matching(user.user.organisation_id, &search, SCHOOLS_SHOWN + 2)
        .await?
        .into_iter()
        .filter(|s| s.id != access.dossier().school_id)
        .map(|s| (s.id, s.name))
        .collect();
    let more = schools.len() > SCHOOLS_SHOWN as usize;
    schools.truncate(SCHOOLS_SHOWN as usize);
    Ok(TransferPage {
        ctx,
        header: access.dossier().clone(),
        search,
        schools,
        more,
        error,
    }
    .into_response())
}

/// Asks another school of the organisation to take over the dossier (the pupil moves there).
pub async fn transfer(
    State(state): State<AppState>,
    ctx: PageCtx,
    DossierWorker(user): DossierWorker,
    Path(id): Path<String>,
    axum::Form(form): axum::Form<TransferForm>,
) -> Result<Response> {
    let access = open(&state, &user, &id, Purpose::Write).await?;
    coordinator(&access)?;
    if !access.dossier().open || state.db.pending_transfer(&access).await?.is_some() {
        return Err(AppError::Forbidden);
    }
    let target = match form.school.parse::<SchoolId>() {
        Ok(school) if school != access.dossier().school_id => {
            state.db.school(user.user.organisation_id, school).await?
        }
        _ => None,
    };
    let Some(target) = target else {
        let error = Some("Kies de school waar de leerling naartoe gaat.");
        let mut page = transfer_choice(&state, ctx, &user, &access, form.zoek, error).await?;
        *page.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
        return Ok(page);
    };
    state
        .db
        .request_transfer(&access, (target.id, &target.name), state.clock.unix())
        .await?;
    Ok(Redirect::to(&urls::dossier_notice(access.id(), PageNotice::Overdracht)).into_response())
}

/// The receiving aandachtsfunctionaris accepts a transfer; the dossier moves to their school.
pub async fn accept_transfer(
    State(state): State<AppState>,
    DossierWorker(user): DossierWorker,
    Path(transfer): Path<String>,
) -> Result<Response> {
    let transfer = parse_id(&transfer)?;
    let id = state
        .db
        .accept_transfer(
            &viewer(&user),
            transfer,
            state.clock.unix(),
            user.address.as_deref(),
        )
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(Redirect::to(&urls::dossier_notice(id, PageNotice::Overgenomen)).into_response())
}
