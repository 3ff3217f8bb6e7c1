//! The beheerder's pages: schools, users and their roles, and the organisation's numbers.
//! Every handler takes [`Beheerder`]; none of them reads a dossier.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;

use super::access::Beheerder;
use super::error::{AppError, Result};
use super::form::Errors;
use super::page::PageCtx;
use crate::app::AppState;
use crate::domain::account::{Email, ShortText, parse_phone};
use crate::domain::role::Role;
use crate::domain::signals::{AgeBand, List};
use crate::store::audit::{Entry, Event};
use crate::store::is_unique_violation;
use crate::store::org::{Numbers, Organisation, School};
use crate::store::tokens::{Purpose, new_token};
use crate::store::users::{Actor, NewUser, RoleAt, User};

/// An activation link stays valid for a week.
const ACTIVATION_VALID_SECS: i64 = 7 * 24 * 60 * 60;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/beheer", get(overview))
        .route("/beheer/scholen", post(add_school))
        .route("/beheer/organisatie", get(numbers_form).post(save_numbers))
        .route("/beheer/signalen", get(signal_lists).post(save_signal_list))
        .route("/beheer/signalen/standaard", post(reset_signal_list))
        .route(
            "/beheer/gebruikers/nieuw",
            get(new_user_form).post(add_user),
        )
        .route("/beheer/gebruikers/{id}", get(user_page))
        .route("/beheer/gebruikers/{id}/rol-toevoegen", post(grant))
        .route("/beheer/gebruikers/{id}/rol-intrekken", post(revoke))
        .route(
            "/beheer/gebruikers/{id}/deactiveren",
            get(confirm_deactivate).post(deactivate),
        )
        .route("/beheer/gebruikers/{id}/heractiveren", post(reactivate))
        .route("/beheer/gebruikers/{id}/nieuwe-link", post(new_link))
        .route(
            "/beheer/gebruikers/{id}/tweestaps-herstellen",
            post(reset_two_factor),
        )
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Melding {
    melding: String,
}

/// Fixed texts for the messages after a redirect: the address never carries the user's own text.
fn notice(code: &str) -> Option<&'static str> {
    match code {
        "school" => Some("De school is toegevoegd."),
        "nummers" => Some("De telefoonnummers zijn opgeslagen."),
        "rol" => Some("De rol is toegekend."),
        "rol-ingetrokken" => Some("De rol is ingetrokken."),
        "gedeactiveerd" => Some("De gebruiker is gedeactiveerd en overal uitgelogd."),
        "geactiveerd" => Some("De gebruiker kan weer inloggen."),
        "tweestaps" => Some(
            "De tweestapsverificatie is gewist. Bij het volgende inloggen stelt de gebruiker haar opnieuw in.",
        ),
        "signalen" => Some("De signalenlijst is opgeslagen."),
        "standaard" => Some("De standaardlijst is weer in gebruik."),
        _ => None,
    }
}

async fn organisation(state: &AppState, b: &Beheerder) -> Result<Organisation> {
    state
        .db
        .organisation()
        .await?
        .filter(|o| o.id == b.0.user.organisation_id)
        .ok_or(AppError::NotFound)
}

/// The audit row of a beheerder's action.
fn entry<'a>(b: &'a Beheerder, event: Event, subject: &'a str) -> Entry<'a> {
    b.0.audit_entry(event)
        .as_role(Role::Beheerder)
        .about(subject)
}

async fn audit(state: &AppState, b: &Beheerder, event: Event, subject: &str) -> Result<()> {
    state
        .db
        .audit(state.clock.unix(), b.0.audit_entry(event).about(subject))
        .await?;
    Ok(())
}

pub struct UserRow {
    pub user: User,
    pub roles: Vec<RoleAt>,
}

#[derive(Template, WebTemplate)]
#[template(path = "beheer/overview.html")]
pub struct Overview {
    pub ctx: PageCtx,
    pub org: Organisation,
    pub schools: Vec<School>,
    pub users: Vec<UserRow>,
    pub school_name: String,
    pub errors: Errors,
    pub notice: Option<&'static str>,
}

async fn overview_page(
    state: &AppState,
    b: &Beheerder,
    ctx: PageCtx,
    school_name: String,
    errors: Errors,
    notice: Option<&'static str>,
) -> Result<Overview> {
    let org = organisation(state, b).await?;
    let schools = state.db.schools(org.id).await?;
    let all_roles = state.db.all_roles(org.id).await?;
    let users = state
        .db
        .users(org.id)
        .await?
        .into_iter()
        .map(|user| {
            let roles = all_roles
                .iter()
                .filter(|(uid, _)| *uid == user.id)
                .map(|(_, r)| r.clone())
                .collect();
            UserRow { user, roles }
        })
        .collect();
    Ok(Overview {
        ctx,
        org,
        schools,
        users,
        school_name,
        errors,
        notice,
    })
}

pub async fn overview(
    State(state): State<AppState>,
    ctx: PageCtx,
    b: Beheerder,
    Query(q): Query<Melding>,
) -> Result<Overview> {
    overview_page(
        &state,
        &b,
        ctx,
        String::new(),
        Errors::default(),
        notice(&q.melding),
    )
    .await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct SchoolForm {
    naam: String,
}

pub async fn add_school(
    State(state): State<AppState>,
    ctx: PageCtx,
    b: Beheerder,
    Form(form): Form<SchoolForm>,
) -> Result<Response> {
    let org = organisation(&state, &b).await?;
    let mut errors = Errors::default();
    if let Some(name) = errors.check(
        "naam",
        ShortText::parse(&form.naam, "de naam van de school"),
    ) {
        match state
            .db
            .add_school(org.id, name.as_str(), state.clock.unix())
            .await
        {
            Ok(id) => {
                audit(&state, &b, Event::SchoolAdded, &format!("school:{id}")).await?;
                return Ok(Redirect::to("/beheer?melding=school").into_response());
            }
            Err(e) if is_unique_violation(&e) => {
                errors.add("naam", "Er is al een school met deze naam.")
            }
            Err(e) => return Err(e.into()),
        }
    }
    let page = overview_page(&state, &b, ctx, form.naam, errors, None).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct NumbersForm {
    veilig_thuis: String,
    regio: String,
    nood: String,
    inspectie: String,
    training: String,
    bewaren: String,
    /// The roles that must use two-factor authentication (check boxes).
    #[serde(skip)]
    tweestaps: Vec<String>,
}

impl NumbersForm {
    /// Reads the form by hand: the check boxes repeat one name, which serde_urlencoded cannot
    /// gather into a list.
    fn from_body(body: &[u8]) -> NumbersForm {
        let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(body).unwrap_or_default();
        let get = |k: &str| {
            pairs
                .iter()
                .find(|(key, _)| key == k)
                .map(|(_, v)| v.clone())
                .unwrap_or_default()
        };
        NumbersForm {
            veilig_thuis: get("veilig_thuis"),
            regio: get("regio"),
            nood: get("nood"),
            inspectie: get("inspectie"),
            training: get("training"),
            bewaren: get("bewaren"),
            tweestaps: pairs
                .iter()
                .filter(|(k, _)| k == "tweestaps")
                .map(|(_, v)| v.clone())
                .collect(),
        }
    }

    pub fn requires(&self, role: &Role) -> bool {
        self.tweestaps.iter().any(|r| r == role.code())
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "beheer/numbers.html")]
pub struct NumbersPage {
    pub ctx: PageCtx,
    pub roles: [Role; 5],
    pub form: NumbersForm,
    pub errors: Errors,
}

pub async fn numbers_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    b: Beheerder,
) -> Result<NumbersPage> {
    let org = organisation(&state, &b).await?;
    let form = NumbersForm {
        veilig_thuis: org.veilig_thuis_phone,
        regio: org.veilig_thuis_region,
        nood: org.emergency_phone,
        inspectie: org.inspector_phone,
        training: org.training_interval_months.to_string(),
        bewaren: org.retention_years.to_string(),
        tweestaps: org
            .two_factor_roles
            .split_whitespace()
            .map(str::to_string)
            .collect(),
    };
    Ok(NumbersPage {
        ctx,
        roles: Role::ALL,
        form,
        errors: Errors::default(),
    })
}

pub async fn save_numbers(
    State(state): State<AppState>,
    ctx: PageCtx,
    b: Beheerder,
    body: axum::body::Bytes,
) -> Result<Response> {
    let form = NumbersForm::from_body(&body);
    let org = organisation(&state, &b).await?;
    let mut errors = Errors::default();
    // The three numbers share their messages: the summary says which field each is about.
    for (field, label) in [
        ("veilig_thuis", "Veilig Thuis"),
        ("regio", "Regio van Veilig Thuis"),
        ("nood", "Alarmnummer"),
        ("inspectie", "Vertrouwensinspecteur"),
    ] {
        errors.label(field, label);
    }
    let vt = errors.check("veilig_thuis", parse_phone(&form.veilig_thuis));
    let nood = errors.check("nood", parse_phone(&form.nood));
    let insp = errors.check("inspectie", parse_phone(&form.inspectie));
    let region = form.regio.trim().to_string();
    if region.chars().count() > 80 || region.chars().any(char::is_control) {
        errors.add("regio", "Gebruik hoogstens 80 gewone tekens.");
    }
    let interval = form
        .training
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|m| (1..=120).contains(m));
    if interval.is_none() {
        errors.add("training", "Vul een aantal maanden in, van 1 tot 120.");
    }
    let retention = form
        .bewaren
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|y| (1..=100).contains(y));
    if retention.is_none() {
        errors.add("bewaren", "Vul een aantal jaren in, van 1 tot 100.");
    }
    let (
        Some(veilig_thuis_phone),
        Some(emergency_phone),
        Some(inspector_phone),
        Some(training_interval_months),
        Some(retention_years),
        true,
    ) = (vt, nood, insp, interval, retention, errors.is_empty())
    else {
        return Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            NumbersPage {
                ctx,
                roles: Role::ALL,
                form,
                errors,
            },
        )
            .into_response());
    };
    state
        .db
        .update_numbers(
            org.id,
            &Numbers {
                veilig_thuis_phone,
                emergency_phone,
                inspector_phone,
                veilig_thuis_region: region,
                training_interval_months,
                retention_years,
                two_factor_roles: Role::ALL
                    .iter()
                    .filter(|r| form.requires(r))
                    .map(|r| r.code())
                    .collect::<Vec<_>>()
                    .join(" "),
            },
        )
        .await?;
    state.organisation_changed().await;
    audit(&state, &b, Event::NumbersChanged, "organisation").await?;
    Ok(Redirect::to("/beheer?melding=nummers").into_response())
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct NewUserForm {
    naam: String,
    email: String,
    school: String,
    rol: Vec<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "beheer/new_user.html")]
pub struct NewUserPage {
    pub ctx: PageCtx,
    pub schools: Vec<School>,
    pub roles: [Role; 5],
    pub form: NewUserForm,
    pub errors: Errors,
}

impl NewUserForm {
    pub fn has_role(&self, role: &Role) -> bool {
        self.rol.iter().any(|r| r == role.code())
    }
}

pub async fn new_user_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    b: Beheerder,
) -> Result<NewUserPage> {
    let org = organisation(&state, &b).await?;
    let schools = state.db.schools(org.id).await?;
    Ok(NewUserPage {
        ctx,
        schools,
        roles: Role::ALL,
        form: NewUserForm::default(),
        errors: Errors::default(),
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "beheer/link.html")]
pub struct LinkPage {
    pub ctx: PageCtx,
    pub user: User,
    pub link: String,
}

async fn issue_link(state: &AppState, b: &Beheerder, ctx: PageCtx, user: User) -> Result<LinkPage> {
    let token = new_token();
    state
        .db
        .store_token(
            &token,
            Purpose::Activation,
            Some(user.id),
            state.clock.unix(),
            ACTIVATION_VALID_SECS,
        )
        .await?;
    audit(
        state,
        b,
        Event::ActivationLinkIssued,
        &format!("user:{}", user.id),
    )
    .await?;
    let link = format!("{}/activeren/{token}", state.settings.public_url);
    Ok(LinkPage { ctx, user, link })
}

pub async fn add_user(
    State(state): State<AppState>,
    ctx: PageCtx,
    b: Beheerder,
    body: axum::body::Bytes,
) -> Result<Response> {
    // Several checkboxes share the name `rol`; serde_urlencoded gathers repeated keys into a list
    // only through a list of pairs, so the form is read that way.
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(&body).unwrap_or_default();
    let mut form = NewUserForm::default();
    for (k, v) in pairs {
        match k.as_str() {
            "naam" => form.naam = v,
            "email" => form.email = v,
            "school" => form.school = v,
            "rol" => form.rol.push(v),
            _ => {}
        }
    }
    let org = organisation(&state, &b).await?;
    let schools = state.db.schools(org.id).await?;
    let mut errors = Errors::default();
    let name = errors.check("naam", ShortText::parse(&form.naam, "de naam"));
    let email = errors.check("email", Email::parse(&form.email));
    let school = schools.iter().find(|s| s.id.to_string() == form.school);
    if school.is_none() {
        errors.add("school", "Kies een school.");
    }
    let roles: Vec<Role> = form.rol.iter().filter_map(|r| Role::parse(r)).collect();
    if roles.is_empty() {
        errors.add("rol", "Kies minstens één rol.");
    }
    if let (Some(name), Some(email), Some(school), true) = (name, email, school, errors.is_empty())
    {
        let now = state.clock.unix();
        let roles: Vec<(i64, Role)> = roles.iter().map(|r| (school.id, *r)).collect();
        let new = NewUser {
            org_id: org.id,
            email: email.as_str(),
            name: name.as_str(),
            password_hash: None,
            roles: &roles,
        };
        let actor = Actor {
            user_id: Some(b.0.user.id),
            role: Some(Role::Beheerder.code()),
            address: b.0.address.as_deref(),
        };
        // The user, the roles and their audit rows in one transaction: nothing half-made.
        match state.db.add_user_with_roles(&new, &actor, now).await {
            Ok(user_id) => {
                let user = state.db.user(user_id).await?.ok_or(AppError::NotFound)?;
                return Ok(issue_link(&state, &b, ctx, user).await?.into_response());
            }
            Err(e) if is_unique_violation(&e) => {
                errors.add("email", "Er is al een gebruiker met dit e-mailadres.")
            }
            Err(e) => return Err(e.into()),
        }
    }
    let page = NewUserPage {
        ctx,
        schools,
        roles: Role::ALL,
        form,
        errors,
    };
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "beheer/user.html")]
pub struct UserPage {
    pub ctx: PageCtx,
    pub user: User,
    pub roles: Vec<RoleAt>,
    pub schools: Vec<School>,
    pub all_roles: [Role; 5],
    pub error: Option<&'static str>,
    pub notice: Option<&'static str>,
}

/// A user of the beheerder's own organisation; any other id is not found.
async fn user_of_org(state: &AppState, b: &Beheerder, id: &str) -> Result<User> {
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    match state.db.user(id).await? {
        Some(u) if u.organisation_id == b.0.user.organisation_id => Ok(u),
        _ => Err(AppError::NotFound),
    }
}

async fn user_page_with(
    state: &AppState,
    b: &Beheerder,
    ctx: PageCtx,
    user: User,
    error: Option<&'static str>,
    notice: Option<&'static str>,
) -> Result<UserPage> {
    let roles = state.db.roles(user.id).await?;
    let schools = state.db.schools(b.0.user.organisation_id).await?;
    Ok(UserPage {
        ctx,
        user,
        roles,
        schools,
        all_roles: Role::ALL,
        error,
        notice,
    })
}

pub async fn user_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    b: Beheerder,
    Path(id): Path<String>,
    Query(q): Query<Melding>,
) -> Result<UserPage> {
    let user = user_of_org(&state, &b, &id).await?;
    user_page_with(&state, &b, ctx, user, None, notice(&q.melding)).await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RoleForm {
    school: String,
    rol: String,
}

fn back_to(user: &User, melding: &str) -> Response {
    Redirect::to(&format!("/beheer/gebruikers/{}?melding={melding}", user.id)).into_response()
}

pub async fn grant(
    State(state): State<AppState>,
    ctx: PageCtx,
    b: Beheerder,
    Path(id): Path<String>,
    Form(form): Form<RoleForm>,
) -> Result<Response> {
    let user = user_of_org(&state, &b, &id).await?;
    // Changing roles changes who may see what: the password must be fresh.
    b.0.require_recent_auth(
        state.clock.unix(),
        &format!("/beheer/gebruikers/{}", user.id),
    )?;
    let school = state
        .db
        .school(b.0.user.organisation_id, form.school.parse().unwrap_or(-1))
        .await?;
    let (Some(school), Some(role)) = (school, Role::parse(&form.rol)) else {
        let page = user_page_with(
            &state,
            &b,
            ctx,
            user,
            Some("Kies een school en een rol."),
            None,
        )
        .await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    };
    let subject = format!("user:{} school:{} role:{}", user.id, school.id, role.code());
    state
        .db
        .grant_role_audited(
            user.id,
            school.id,
            role,
            state.clock.unix(),
            entry(&b, Event::RoleGranted, &subject),
        )
        .await?;
    Ok(back_to(&user, "rol"))
}

/// Whether taking the beheerder role (or the account) away from `user` would leave the
/// organisation without any active beheerder, and so without anyone who can manage it.
async fn would_leave_no_beheerder(
    state: &AppState,
    user: &User,
    losing_beheerder: bool,
) -> Result<bool> {
    if !losing_beheerder {
        return Ok(false);
    }
    Ok(state.db.active_beheerders(user.organisation_id).await? <= 1)
}

pub async fn revoke(
    State(state): State<AppState>,
    ctx: PageCtx,
    b: Beheerder,
    Path(id): Path<String>,
    Form(form): Form<RoleForm>,
) -> Result<Response> {
    let user = user_of_org(&state, &b, &id).await?;
    // Changing roles changes who may see what: the password must be fresh.
    b.0.require_recent_auth(
        state.clock.unix(),
        &format!("/beheer/gebruikers/{}", user.id),
    )?;
    let school_id: i64 = form.school.parse().unwrap_or(-1);
    let Some(role) = Role::parse(&form.rol) else {
        return Err(AppError::NotFound);
    };
    let roles = state.db.roles(user.id).await?;
    let last_beheerder_role =
        role == Role::Beheerder && roles.iter().filter(|r| r.role == Role::Beheerder).count() == 1;
    if user.active && would_leave_no_beheerder(&state, &user, last_beheerder_role).await? {
        let page = user_page_with(
            &state,
            &b,
            ctx,
            user,
            Some("Dit is de laatste beheerder. Geef eerst iemand anders de rol beheerder."),
            None,
        )
        .await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    }
    let subject = format!("user:{} school:{school_id} role:{}", user.id, role.code());
    state
        .db
        .revoke_role_audited(
            user.id,
            school_id,
            role,
            state.clock.unix(),
            entry(&b, Event::RoleRevoked, &subject),
        )
        .await?;
    Ok(back_to(&user, "rol-ingetrokken"))
}

#[derive(Template, WebTemplate)]
#[template(path = "beheer/deactivate.html")]
pub struct DeactivatePage {
    pub ctx: PageCtx,
    pub user: User,
}

/// Taking someone's access away is asked once more: one click on a shared tablet is too easy.
pub async fn confirm_deactivate(
    State(state): State<AppState>,
    ctx: PageCtx,
    b: Beheerder,
    Path(id): Path<String>,
) -> Result<DeactivatePage> {
    let user = user_of_org(&state, &b, &id).await?;
    Ok(DeactivatePage { ctx, user })
}

pub async fn deactivate(
    State(state): State<AppState>,
    ctx: PageCtx,
    b: Beheerder,
    Path(id): Path<String>,
) -> Result<Response> {
    let user = user_of_org(&state, &b, &id).await?;
    let is_beheerder = state
        .db
        .roles(user.id)
        .await?
        .iter()
        .any(|r| r.role == Role::Beheerder);
    if user.active && would_leave_no_beheerder(&state, &user, is_beheerder).await? {
        let page = user_page_with(
            &state,
            &b,
            ctx,
            user,
            Some("Dit is de laatste beheerder. Geef eerst iemand anders de rol beheerder."),
            None,
        )
        .await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    }
    let subject = format!("user:{}", user.id);
    state
        .db
        .set_active_audited(
            user.id,
            false,
            state.clock.unix(),
            entry(&b, Event::UserDeactivated, &subject),
        )
        .await?;
    Ok(back_to(&user, "gedeactiveerd"))
}

pub async fn reactivate(
    State(state): State<AppState>,
    b: Beheerder,
    Path(id): Path<String>,
) -> Result<Response> {
    let user = user_of_org(&state, &b, &id).await?;
    let subject = format!("user:{}", user.id);
    state
        .db
        .set_active_audited(
            user.id,
            true,
            state.clock.unix(),
            entry(&b, Event::UserReactivated, &subject),
        )
        .await?;
    Ok(back_to(&user, "geactiveerd"))
}

pub async fn new_link(
    State(state): State<AppState>,
    ctx: PageCtx,
    b: Beheerder,
    Path(id): Path<String>,
) -> Result<LinkPage> {
    let user = user_of_org(&state, &b, &id).await?;
    if !user.active {
        return Err(AppError::NotFound);
    }
    issue_link(&state, &b, ctx, user).await
}

pub struct SignalListView {
    pub band: &'static str,
    pub label: &'static str,
    pub own: bool,
    pub text: String,
    pub error: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "beheer/signals.html")]
pub struct SignalListsPage {
    pub ctx: PageCtx,
    pub lists: Vec<SignalListView>,
    pub notice: Option<&'static str>,
}

async fn signal_list_views(state: &AppState, org_id: i64) -> Result<Vec<SignalListView>> {
    let mut views = Vec::new();
    for band in AgeBand::ALL {
        let (list, own) = state.db.signal_list(org_id, band).await?;
        views.push(SignalListView {
            band: band.code(),
            label: band.label(),
            own,
            text: list.to_text(),
            error: None,
        });
    }
    Ok(views)
}

/// The organisation's own signal lists, one per age band; without one, the default serves.
pub async fn signal_lists(
    State(state): State<AppState>,
    ctx: PageCtx,
    b: Beheerder,
    Query(q): Query<Melding>,
) -> Result<SignalListsPage> {
    let org = organisation(&state, &b).await?;
    let lists = signal_list_views(&state, org.id).await?;
    Ok(SignalListsPage {
        ctx,
        lists,
        notice: notice(&q.melding),
    })
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct SignalListForm {
    band: String,
    lijst: String,
}

pub async fn save_signal_list(
    State(state): State<AppState>,
    ctx: PageCtx,
    b: Beheerder,
    Form(form): Form<SignalListForm>,
) -> Result<Response> {
    let org = organisation(&state, &b).await?;
    let band = AgeBand::parse(&form.band).ok_or(AppError::NotFound)?;
    match List::parse(&form.lijst) {
        Ok(list) => {
            state
                .db
                .save_signal_list(org.id, band, &list, b.0.user.id, state.clock.unix())
                .await?;
            audit(&state, &b, Event::SignalListChanged, band.code()).await?;
            Ok(Redirect::to("/beheer/signalen?melding=signalen").into_response())
        }
        Err(message) => {
            let mut lists = signal_list_views(&state, org.id).await?;
            if let Some(view) = lists.iter_mut().find(|v| v.band == band.code()) {
                view.text = form.lijst;
                view.error = Some(message);
            }
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                SignalListsPage {
                    ctx,
                    lists,
                    notice: None,
                },
            )
                .into_response())
        }
    }
}

pub async fn reset_signal_list(
    State(state): State<AppState>,
    b: Beheerder,
    Form(form): Form<SignalListForm>,
) -> Result<Response> {
    let org = organisation(&state, &b).await?;
    let band = AgeBand::parse(&form.band).ok_or(AppError::NotFound)?;
    state.db.reset_signal_list(org.id, band).await?;
    audit(&state, &b, Event::SignalListChanged, band.code()).await?;
    Ok(Redirect::to("/beheer/signalen?melding=standaard").into_response())
}

/// For a user who lost both their phone and their recovery codes: the beheerder clears their
/// two-factor set-up (after confirming their own password recently); the user sets it up again.
pub async fn reset_two_factor(
    State(state): State<AppState>,
    b: Beheerder,
    Path(id): Path<String>,
) -> Result<Response> {
    let user = user_of_org(&state, &b, &id).await?;
    b.0.require_recent_auth(
        state.clock.unix(),
        &format!("/beheer/gebruikers/{}", user.id),
    )?;
    state.db.disable_totp(user.id).await?;
    audit(
        &state,
        &b,
        Event::TwoFactorDisabled,
        &format!("user:{}", user.id),
    )
    .await?;
    Ok(back_to(&user, "tweestaps"))
}
