//! A user's own account: their active sessions (ending any of them), changing their password,
//! and confirming the password again before an export or a role change.

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use tower_sessions::Session;

use super::error::{AppError, Result};
use super::form::Errors;
use super::format::moment_nl;
use super::guard::CurrentUser;
use super::page::PageCtx;
use crate::app::AppState;
use crate::domain::account::check_new_password;
use crate::domain::alerts::{self, Cadence};
use crate::domain::notification::Notice;
use crate::domain::session::SessionAuth;
use crate::domain::throttle::{self, FREE_ATTEMPTS_PER_ACCOUNT, Verdict};
use crate::store::audit::Event;
use crate::store::sessions::handle_of;
use crate::store::tokens::hash_token;

async fn audit(state: &AppState, user: &CurrentUser, event: Event) -> Result<()> {
    state
        .db
        .audit(state.clock.unix(), user.audit_entry(event))
        .await?;
    Ok(())
}

pub struct SessionView {
    pub handle: String,
    pub started: String,
    pub last_seen: String,
    pub current: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "account.html")]
pub struct AccountPage {
    pub ctx: PageCtx,
    pub email: String,
    pub sessions: Vec<SessionView>,
    pub errors: Errors,
    pub notice: Option<&'static str>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Melding {
    melding: String,
}

async fn account_page(
    state: &AppState,
    ctx: PageCtx,
    user: &CurrentUser,
    session: &Session,
    errors: Errors,
    notice: Option<&'static str>,
) -> Result<AccountPage> {
    let current = session.id().map(|id| handle_of(&id.to_string()));
    let sessions = state
        .db
        .user_sessions(user.user.id, state.clock.unix())
        .await?
        .into_iter()
        .map(|s| SessionView {
            current: Some(&s.handle) == current.as_ref(),
            started: moment_nl(s.auth.auth_at),
            last_seen: moment_nl(s.auth.last_seen),
            handle: s.handle,
        })
        .collect();
    Ok(AccountPage {
        ctx,
        email: user.user.email.clone(),
        sessions,
        errors,
        notice,
    })
}

pub async fn account(
    State(state): State<AppState>,
    ctx: PageCtx,
    user: CurrentUser,
    session: Session,
    Query(q): Query<Melding>,
) -> Result<AccountPage> {
    let notice = match q.melding.as_str() {
        "wachtwoord" => Some("Uw wachtwoord is gewijzigd."),
        "sessie" => Some("De sessie is beëindigd; dat apparaat moet opnieuw inloggen."),
        _ => None,
    };
    account_page(&state, ctx, &user, &session, Errors::default(), notice).await
}

// ---------------------------------------------------------------------------------------------
// How often the user is e-mailed, per kind of notification (domain::alerts)

/// One choice of one kind on the page.
pub struct CadenceOption {
    pub code: &'static str,
    pub label: &'static str,
    pub checked: bool,
}

/// One kind of notification on the page, with the choices it allows.
pub struct KindChoice {
    pub code: &'static str,
    pub label: &'static str,
    /// Whether the kind cannot wait a week (`domain::alerts::allowed`).
    pub at_least_daily: bool,
    pub options: Vec<CadenceOption>,
}

#[derive(Template, WebTemplate)]
#[template(path = "account_alerts.html")]
pub struct AlertsPage {
    pub ctx: PageCtx,
    pub kinds: Vec<KindChoice>,
    pub errors: Errors,
    pub notice: Option<&'static str>,
}

/// The page's kinds, every one that is mailed (so a kind added to `Notice::ALL` appears of
/// itself), each with the choice `chosen` gives it.
fn kind_choices(chosen: impl Fn(Notice) -> Cadence) -> Vec<KindChoice> {
    alerts::choosable()
        .map(|notice| {
            let current = chosen(notice);
            let allowed = alerts::allowed(notice);
            KindChoice {
                code: notice.code(),
                label: notice.label(),
                at_least_daily: !allowed.contains(&Cadence::Weekly),
                options: allowed
                    .iter()
                    .map(|c| CadenceOption {
                        code: c.code(),
                        label: c.label(),
                        checked: *c == current,
                    })
                    .collect(),
            }
        })
        .collect()
}

/// The user's own choices as stored: per event where no row says otherwise.
async fn stored_choices(state: &AppState, user: &CurrentUser) -> Result<Vec<(Notice, Cadence)>> {
    let rows = state.db.alert_preferences(user.user.id).await?;
    Ok(alerts::choosable()
        .map(|notice| {
            let row = rows
                .iter()
                .find(|(kind, _)| kind == notice.code())
                .map(|(_, cadence)| cadence.as_str());
            (notice, Cadence::from_stored(row))
        })
        .collect())
}

fn choice_of(choices: &[(Notice, Cadence)], notice: Notice) -> Cadence {
    choices
        .iter()
        .find(|(n, _)| *n == notice)
        .map_or(Cadence::PerEvent, |(_, c)| *c)
}

/// `/account/meldingen`: how often the user is e-mailed per kind. Only their own account: the
/// page names no other user and takes no user from the address or the form.
pub async fn alerts_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    user: CurrentUser,
    Query(q): Query<Melding>,
) -> Result<AlertsPage> {
    let choices = stored_choices(&state, &user).await?;
    Ok(AlertsPage {
        ctx,
        kinds: kind_choices(|n| choice_of(&choices, n)),
        errors: Errors::default(),
        notice: (q.melding == "opgeslagen").then_some("Uw keuze is opgeslagen."),
    })
}

/// Saves the user's choices: one field per kind, named by its code, with the code of a choice.
/// A choice a kind does not allow comes back with its message and the other choices kept.
pub async fn save_alerts(
    State(state): State<AppState>,
    ctx: PageCtx,
    user: CurrentUser,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response> {
    let mut errors = Errors::default();
    let stored = stored_choices(&state, &user).await?;
    let mut choices = Vec::new();
    for notice in alerts::choosable() {
        let value = fields
            .iter()
            .find(|(name, _)| name == notice.code())
            .map_or("", |(_, v)| v.as_str());
        match alerts::choose(notice, value) {
            Ok(cadence) => choices.push((notice, cadence)),
            Err(message) => {
                errors.add(notice.code(), message);
                // The page shows what was stored for this kind; the others as sent.
                choices.push((notice, choice_of(&stored, notice)));
            }
        }
    }
    if !errors.is_empty() {
        let page = AlertsPage {
            ctx,
            kinds: kind_choices(|n| choice_of(&choices, n)),
            errors,
            notice: None,
        };
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    }
    state
        .db
        .save_alert_preferences(user.user.id, &choices)
        .await?;
    audit(&state, &user, Event::AlertsChanged).await?;
    Ok(Redirect::to(crate::web::urls::path::ACCOUNT_ALERTS_SAVED).into_response())
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct EndForm {
    sessie: String,
}

pub async fn end_session(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    Form(form): Form<EndForm>,
) -> Result<Response> {
    let current = session.id().map(|id| handle_of(&id.to_string()));
    if current.as_deref() == Some(form.sessie.as_str()) {
        // Ending this very session is logging out.
        audit(&state, &user, Event::Logout).await?;
        session.flush().await?;
        return Ok(Redirect::to(crate::web::urls::path::LOGIN_LOGGED_OUT).into_response());
    }
    if !state.db.end_session(user.user.id, &form.sessie).await? {
        return Err(AppError::NotFound);
    }
    audit(&state, &user, Event::SessionEnded).await?;
    Ok(Redirect::to(crate::web::urls::path::ACCOUNT_SESSION_ENDED).into_response())
}

/// The user saw the notice of failed logins on their account: it is not shown again.
pub async fn attempts_seen(_user: CurrentUser, session: Session) -> Result<Response> {
    session
        .remove::<i64>(super::page::FAILED_ATTEMPTS_KEY)
        .await?;
    Ok(Redirect::to(crate::web::urls::path::START).into_response())
}

/// Checks the password of the logged-in user, counting failures like a login does, so that a
/// stolen session cannot be used to guess the password.
async fn confirm_password(
    state: &AppState,
    user: &CurrentUser,
    password: &str,
) -> Result<std::result::Result<(), String>> {
    let now = state.clock.unix();
    let key = format!("account:{}", hash_token(&user.user.email));
    if let Verdict::Wait(seconds) = throttle::verdict(
        state.db.throttle_counter(&key).await?,
        FREE_ATTEMPTS_PER_ACCOUNT,
        now,
    ) {
        return Ok(Err(format!(
            "Er is te vaak een verkeerd wachtwoord geprobeerd. Wacht {seconds} seconden."
        )));
    }
    let hash = state
        .db
        .credentials(&user.user.email)
        .await?
        .and_then(|c| c.password_hash);
    if state.passwords.verify(password, hash.as_deref()).await? {
        state.db.clear_failures(&[&key]).await?;
        Ok(Ok(()))
    } else {
        state.db.record_failure(&key, now).await?;
        Ok(Err("Dit wachtwoord klopt niet.".to_string()))
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct PasswordForm {
    huidig: String,
    password: String,
    password2: String,
    andere_beeindigen: String,
}

pub async fn change_password(
    State(state): State<AppState>,
    ctx: PageCtx,
    user: CurrentUser,
    session: Session,
    Form(form): Form<PasswordForm>,
) -> Result<Response> {
    let mut errors = Errors::default();
    if let Err(message) = confirm_password(&state, &user, &form.huidig).await? {
        errors.add("huidig", message);
    }
    if form.password != form.password2 {
        errors.add("password2", "De twee nieuwe wachtwoorden zijn niet gelijk.");
    }
    errors.check(
        "password",
        check_new_password(&form.password, &[&user.user.email, &user.user.name]),
    );
    if !errors.is_empty() {
        let page = account_page(&state, ctx, &user, &session, errors, None).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    }
    let hash = state.passwords.hash(&form.password).await?;
    let keep = session.id().map(|id| id.to_string());
    let end_others = !form.andere_beeindigen.is_empty();
    state
        .db
        .change_password(
            user.user.id,
            &hash,
            if end_others { keep.as_deref() } else { None },
        )
        .await?;
    audit(&state, &user, Event::PasswordChanged).await?;
    Ok(Redirect::to(crate::web::urls::path::ACCOUNT_PASSWORD_CHANGED).into_response())
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ConfirmQuery {
    terug: String,
}

/// Only a path of ours is a place to go back to: never another site (an open redirect).
fn safe_back(back: &str) -> String {
    let ok = back.starts_with('/')
        && !back.starts_with("//")
        && !back.contains('\\')
        && !back.chars().any(char::is_control);
    if ok {
        back.to_string()
    } else {
        "/start".to_string()
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "confirm.html")]
pub struct ConfirmPage {
    pub ctx: PageCtx,
    pub back: String,
    pub error: Option<String>,
}

pub async fn confirm_form(
    ctx: PageCtx,
    _user: CurrentUser,
    Query(q): Query<ConfirmQuery>,
) -> ConfirmPage {
    ConfirmPage {
        ctx,
        back: safe_back(&q.terug),
        error: None,
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ConfirmForm {
    password: String,
    terug: String,
}

pub async fn confirm(
    State(state): State<AppState>,
    ctx: PageCtx,
    user: CurrentUser,
    session: Session,
    Form(form): Form<ConfirmForm>,
) -> Result<Response> {
    let back = safe_back(&form.terug);
    if let Err(message) = confirm_password(&state, &user, &form.password).await? {
        return Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            ConfirmPage {
                ctx,
                back,
                error: Some(message),
            },
        )
            .into_response());
    }
    let mut auth: SessionAuth = user.auth;
    auth.reauth_at = state.clock.unix();
    session.insert(SessionAuth::KEY, auth).await?;
    audit(&state, &user, Event::Reauthenticated).await?;
    Ok(Redirect::to(&back).into_response())
}

#[cfg(test)]
mod tests {
    use super::safe_back;

    #[test]
    fn only_a_path_of_ours_is_a_place_to_go_back_to() {
        assert_eq!(
            safe_back("/evaluatie/csv?tabel=vormen"),
            "/evaluatie/csv?tabel=vormen"
        );
        for bad in [
            "https://evil.example",
            "//evil.example",
            "/\\evil.example",
            "evil",
            "/a\nb",
        ] {
            assert_eq!(safe_back(bad), "/start", "{bad:?}");
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Two-factor authentication

/// The session key of a secret being set up (not yet confirmed with a code).
const SETUP_KEY: &str = "totp_setup";

#[derive(Template, WebTemplate)]
#[template(path = "two_factor.html")]
pub struct TwoFactorPage {
    pub ctx: PageCtx,
    pub enabled: bool,
    pub required: bool,
    /// While setting up: the QR code (SVG) and the secret to type by hand.
    pub qr_svg: String,
    pub secret: String,
    pub remaining: i64,
    /// Shown once, right after they were made.
    pub codes: Vec<String>,
    pub error: Option<String>,
}

async fn required_for(state: &AppState, user: &CurrentUser) -> Result<bool> {
    Ok(state.organisation().await?.is_some_and(|o| {
        crate::domain::twofactor::required_for(
            &o.two_factor_roles,
            user.roles.iter().map(|r| r.role),
        )
    }))
}

async fn two_factor_page(
    state: &AppState,
    ctx: PageCtx,
    user: &CurrentUser,
    session: &Session,
    codes: Vec<String>,
    error: Option<String>,
) -> Result<TwoFactorPage> {
    use base64::Engine;
    let required = required_for(state, user).await?;
    let enabled = state.db.totp_secret(user.user.id).await?.is_some();
    let (mut qr_svg, mut secret) = (String::new(), String::new());
    if !enabled {
        // The secret lives in the session until a code confirms the app has it.
        let stored: Option<String> = session.get(SETUP_KEY).await?;
        let raw =
            match stored.and_then(|s| base64::engine::general_purpose::STANDARD.decode(s).ok()) {
                Some(raw) => raw,
                None => {
                    let raw = crate::domain::twofactor::new_secret();
                    session
                        .insert(
                            SETUP_KEY,
                            base64::engine::general_purpose::STANDARD.encode(&raw),
                        )
                        .await?;
                    raw
                }
            };
        if let Some(totp) = crate::domain::twofactor::totp(&raw, &user.user.email) {
            secret = totp.get_secret_base32();
            qr_svg = qrcode::QrCode::new(totp.get_url())
                .map(|q| {
                    q.render::<qrcode::render::svg::Color>()
                        .min_dimensions(200, 200)
                        .build()
                })
                .unwrap_or_default();
        }
    }
    let remaining = if enabled {
        state.db.unused_recovery_codes(user.user.id).await?
    } else {
        0
    };
    Ok(TwoFactorPage {
        ctx,
        enabled,
        required,
        qr_svg,
        secret,
        remaining,
        codes,
        error,
    })
}

pub async fn two_factor(
    State(state): State<AppState>,
    ctx: PageCtx,
    user: CurrentUser,
    session: Session,
) -> Result<TwoFactorPage> {
    two_factor_page(&state, ctx, &user, &session, Vec::new(), None).await
}

/// New recovery codes: shown once, stored as hashes.
async fn make_codes() -> (Vec<String>, Vec<String>) {
    let codes = crate::domain::twofactor::new_recovery_codes();
    let hashes = codes
        .iter()
        .map(|c| hash_token(&crate::domain::twofactor::normalise_recovery_code(c)))
        .collect();
    (codes, hashes)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct SetupForm {
    code: String,
}

/// Confirms the app with a code and turns two-factor authentication on.
pub async fn enable_two_factor(
    State(state): State<AppState>,
    ctx: PageCtx,
    user: CurrentUser,
    session: Session,
    Form(form): Form<SetupForm>,
) -> Result<Response> {
    use base64::Engine;
    let stored: Option<String> = session.get(SETUP_KEY).await?;
    let Some(raw) = stored.and_then(|s| base64::engine::general_purpose::STANDARD.decode(s).ok())
    else {
        return Ok(Redirect::to(crate::web::urls::path::TWO_FACTOR).into_response());
    };
    if !crate::domain::twofactor::check(&raw, &form.code, state.clock.unix()) {
        let page = two_factor_page(
            &state,
            ctx,
            &user,
            &session,
            Vec::new(),
            Some("Deze code klopt niet. Typ de code die de app nu laat zien.".into()),
        )
        .await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    }
    let (codes, hashes) = make_codes().await;
    state
        .db
        .enable_totp(user.user.id, &raw, &hashes, state.clock.unix())
        .await?;
    session.remove::<String>(SETUP_KEY).await?;
    audit(&state, &user, Event::TwoFactorEnabled).await?;
    Ok(two_factor_page(&state, ctx, &user, &session, codes, None)
        .await?
        .into_response())
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct PasswordOnly {
    password: String,
}

pub async fn renew_codes(
    State(state): State<AppState>,
    ctx: PageCtx,
    user: CurrentUser,
    session: Session,
    Form(form): Form<PasswordOnly>,
) -> Result<Response> {
    if let Err(message) = confirm_password(&state, &user, &form.password).await? {
        let page = two_factor_page(&state, ctx, &user, &session, Vec::new(), Some(message)).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    }
    if state.db.totp_secret(user.user.id).await?.is_none() {
        return Ok(Redirect::to(crate::web::urls::path::TWO_FACTOR).into_response());
    }
    let (codes, hashes) = make_codes().await;
    state.db.renew_recovery_codes(user.user.id, &hashes).await?;
    Ok(two_factor_page(&state, ctx, &user, &session, codes, None)
        .await?
        .into_response())
}

pub async fn disable_two_factor(
    State(state): State<AppState>,
    ctx: PageCtx,
    user: CurrentUser,
    session: Session,
    Form(form): Form<PasswordOnly>,
) -> Result<Response> {
    let refuse = |message: &str| message.to_string();
    let error = if required_for(&state, &user).await? {
        Some(refuse(
            "Uw organisatie verplicht tweestapsverificatie voor uw rol; u kunt haar niet uitzetten.",
        ))
    } else {
        confirm_password(&state, &user, &form.password).await?.err()
    };
    if let Some(message) = error {
        let page = two_factor_page(&state, ctx, &user, &session, Vec::new(), Some(message)).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    }
    state.db.disable_totp(user.user.id).await?;
    audit(&state, &user, Event::TwoFactorDisabled).await?;
    Ok(Redirect::to(crate::web::urls::path::TWO_FACTOR).into_response())
}
