//! Users: adding one with an activation link, their page, roles, deactivating, second factor.

use super::*;
use crate::domain::ids::SchoolId;
use crate::domain::ids::UserId;

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

/// A school and role chosen beforehand, as after adding a school: `?school=3&rol=aandachtsfunctionaris`.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Prefill {
    school: String,
    rol: String,
}

pub async fn new_user_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    b: Beheerder,
    Query(pre): Query<Prefill>,
) -> Result<NewUserPage> {
    let org = organisation(&state, &b).await?;
    let schools = state.db.schools(org.id).await?;
    let form = NewUserForm {
        school: pre.school,
        rol: Role::parse(&pre.rol)
            .map(|r| vec![r.code().to_string()])
            .unwrap_or_default(),
        ..NewUserForm::default()
    };
    Ok(NewUserPage {
        ctx,
        schools,
        roles: Role::ALL,
        form,
        errors: Errors::default(),
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "beheer/link.html")]
pub struct LinkPage {
    pub ctx: PageCtx,
    pub user: User,
    pub link: String,
    /// The token of the link, for the form that mails it.
    pub token: String,
    /// Whether Meldcode can send e-mail (an SMTP server is configured).
    pub can_mail: bool,
    pub error: Option<&'static str>,
}

pub(super) async fn issue_link(
    state: &AppState,
    b: &Beheerder,
    ctx: PageCtx,
    user: User,
) -> Result<LinkPage> {
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
    Ok(link_page(state, ctx, user, token, None))
}

fn link_page(
    state: &AppState,
    ctx: PageCtx,
    user: User,
    token: String,
    error: Option<&'static str>,
) -> LinkPage {
    LinkPage {
        ctx,
        link: activation_link(state, &token),
        user,
        token,
        can_mail: state.mailer.is_some(),
        error,
    }
}

fn activation_link(state: &AppState, token: &str) -> String {
    format!("{}/activeren/{token}", state.settings.public_url)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct MailLinkForm {
    token: String,
}

/// Sends the activation link just shown to the user's own e-mail address. The link is the one on
/// the page (the beheerder's browser has it anyway); it is checked to be this user's, still valid
/// and unused, so the form cannot mail any other text.
pub async fn mail_link(
    State(state): State<AppState>,
    ctx: PageCtx,
    b: Beheerder,
    Path(id): Path<String>,
    Form(form): Form<MailLinkForm>,
) -> Result<Response> {
    let user = user_of_org(&state, &b, &id).await?;
    let Some(mailer) = state.mailer.as_ref() else {
        return Err(AppError::NotFound);
    };
    let now = state.clock.unix();
    let valid = state
        .db
        .peek_token(&form.token, Purpose::Activation, now)
        .await?
        == Some(Some(user.id));
    if !user.active || !valid {
        let page = user_page_with(
            &state,
            &b,
            ctx,
            user,
            Some("Deze link werkt niet meer. Maak hieronder een nieuwe link."),
            None,
        )
        .await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    }
    let link = activation_link(&state, &form.token);
    let days = ACTIVATION_VALID_SECS / (24 * 60 * 60);
    if let Err(e) = crate::mail::send_activation(mailer, &user.name, &user.email, &link, days).await
    {
        // The link stays on the page, to be copied and passed on by hand.
        // (The SMTP server's message can repeat the address: only the SMTP code is logged.)
        let code = e
            .downcast_ref::<lettre::transport::smtp::Error>()
            .and_then(|e| e.status())
            .map(|c| c.to_string());
        tracing::warn!(
            user = user.id.get(),
            smtp_code = code.as_deref(),
            "an activation e-mail could not be sent"
        );
        let page = link_page(
            &state,
            ctx,
            user,
            form.token,
            Some(
                "De e-mail kon niet worden verstuurd. Kopieer de link hieronder en geef hem zelf door.",
            ),
        );
        return Ok((StatusCode::SERVICE_UNAVAILABLE, page).into_response());
    }
    audit(
        &state,
        &b,
        Event::ActivationLinkIssued,
        &format!("user:{} per e-mail", user.id),
    )
    .await?;
    Ok(back_to(&user, "link-gemaild"))
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
        let roles: Vec<(SchoolId, Role)> = roles.iter().map(|r| (school.id, *r)).collect();
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
    /// The schools for which the user is marked plaatsvervanger of the aandachtsfunctionaris
    /// (`domain::cover`): who may be named deputy there.
    pub deputy_marks: Vec<(SchoolId, String)>,
    pub schools: Vec<School>,
    pub all_roles: [Role; 5],
    pub error: Option<&'static str>,
    pub notice: Option<&'static str>,
}

/// A user of the beheerder's own organisation; any other id is not found.
pub(super) async fn user_of_org(state: &AppState, b: &Beheerder, id: &str) -> Result<User> {
    let id: UserId = id.parse().map_err(|_| AppError::NotFound)?;
    match state.db.user(id).await? {
        Some(u) if u.organisation_id == b.0.user.organisation_id => Ok(u),
        _ => Err(AppError::NotFound),
    }
}

pub(super) async fn user_page_with(
    state: &AppState,
    b: &Beheerder,
    ctx: PageCtx,
    user: User,
    error: Option<&'static str>,
    notice: Option<&'static str>,
) -> Result<UserPage> {
    let roles = state.db.roles(user.id).await?;
    let schools = state.db.schools(b.0.user.organisation_id).await?;
    let deputy_marks = state.db.deputy_marks(user.id).await?;
    Ok(UserPage {
        ctx,
        user,
        roles,
        deputy_marks,
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

pub(super) fn back_to(user: &User, melding: &str) -> Response {
    Redirect::to(&urls::beheer_user(user.id, Some(melding))).into_response()
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
    b.0.require_recent_auth(state.clock.unix(), &urls::beheer_user(user.id, None))?;
    let school = state
        .db
        .school(
            b.0.user.organisation_id,
            form.school.parse().unwrap_or(SchoolId::new(-1)),
        )
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
pub(super) async fn would_leave_no_beheerder(
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
    b.0.require_recent_auth(state.clock.unix(), &urls::beheer_user(user.id, None))?;
    let school_id: SchoolId = form.school.parse().unwrap_or(SchoolId::new(-1));
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

/// For a user who lost both their phone and their recovery codes: the beheerder clears their
/// two-factor set-up (after confirming their own password recently); the user sets it up again.
pub async fn reset_two_factor(
    State(state): State<AppState>,
    b: Beheerder,
    Path(id): Path<String>,
) -> Result<Response> {
    let user = user_of_org(&state, &b, &id).await?;
    b.0.require_recent_auth(state.clock.unix(), &urls::beheer_user(user.id, None))?;
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

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct DeputyForm {
    school: String,
}

/// Marks a user plaatsvervanger of a school's aandachtsfunctionaris: the aandachtsfunctionaris
/// may then name them deputy for a period of absence (`domain::cover`). The mark grants nothing
/// by itself; it changes who may come to see dossiers, so the password must be fresh.
pub async fn mark_deputy(
    State(state): State<AppState>,
    ctx: PageCtx,
    b: Beheerder,
    Path(id): Path<String>,
    Form(form): Form<DeputyForm>,
) -> Result<Response> {
    let user = user_of_org(&state, &b, &id).await?;
    b.0.require_recent_auth(state.clock.unix(), &urls::beheer_user(user.id, None))?;
    let school = state
        .db
        .school(
            b.0.user.organisation_id,
            form.school.parse().unwrap_or(SchoolId::new(-1)),
        )
        .await?;
    let roles: Vec<Role> = state
        .db
        .roles(user.id)
        .await?
        .into_iter()
        .map(|r| r.role)
        .collect();
    let refusal = match &school {
        None => Some("Kies een school."),
        Some(_) => crate::domain::cover::mark_refusal(user.active, &roles),
    };
    let (Some(school), None) = (school, refusal) else {
        let page = user_page_with(&state, &b, ctx, user, refusal, None).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    };
    let subject = format!("user:{} school:{}", user.id, school.id);
    state
        .db
        .mark_deputy(
            school.id,
            user.id,
            state.clock.unix(),
            entry(&b, Event::DeputyMarked, &subject),
        )
        .await?;
    Ok(back_to(&user, "plaatsvervanger"))
}

/// Withdraws the mark; a cover that rested on it ends with it.
pub async fn unmark_deputy(
    State(state): State<AppState>,
    b: Beheerder,
    Path(id): Path<String>,
    Form(form): Form<DeputyForm>,
) -> Result<Response> {
    let user = user_of_org(&state, &b, &id).await?;
    b.0.require_recent_auth(state.clock.unix(), &urls::beheer_user(user.id, None))?;
    let school = state
        .db
        .school(
            b.0.user.organisation_id,
            form.school.parse().unwrap_or(SchoolId::new(-1)),
        )
        .await?
        .ok_or(AppError::NotFound)?;
    let subject = format!("user:{} school:{}", user.id, school.id);
    let now = state.clock.unix();
    state
        .db
        .unmark_deputy(
            school.id,
            user.id,
            b.0.user.id,
            crate::clock::today_nl(now),
            now,
            entry(&b, Event::DeputyUnmarked, &subject),
        )
        .await?;
    Ok(back_to(&user, "plaatsvervanger-ingetrokken"))
}
