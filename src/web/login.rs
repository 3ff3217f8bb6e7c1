//! Logging in and out.
//!
//! Every failed login gets one and the same message, whether the address is unknown, the password
//! wrong, the account not activated or deactivated: nothing tells an attacker which addresses
//! exist. Unknown addresses are checked against a dummy hash so that timing does not tell either.

use crate::domain::ids::UserId;
use askama::Template;
use askama_web::WebTemplate;
use axum::Extension;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use tower_sessions::Session;

use super::cookies::{self, DeviceCookie};
use super::error::Result;
use super::guard::{ClientAddress, CurrentUser, SessionEnded};
use super::page::{CSRF_KEY, FAILED_ATTEMPTS_KEY, PageCtx};
use crate::app::AppState;
use crate::domain::account::Email;
use crate::domain::session::{SecondFactorPending, SessionAuth};
use crate::domain::throttle::{self, FREE_ATTEMPTS_PER_ACCOUNT, LoginCounters, Verdict};
use crate::store::audit::{Entry, Event};
use crate::store::tokens::{hash_token, new_token};

/// The one message for every failed login.
pub const LOGIN_FAILED: &str = "Het e-mailadres of het wachtwoord klopt niet.";

#[derive(Template, WebTemplate)]
#[template(path = "login.html")]
pub struct LoginPage {
    pub ctx: PageCtx,
    pub email: String,
    pub error: Option<String>,
    pub notice: Option<&'static str>,
    /// Always empty: a failed login has one message for the whole form, never per field.
    pub errors: super::form::Errors,
    /// The organisation's identity provider, for the button "Inloggen met …" (`web::oidc`).
    pub sso: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct LoginQuery {
    melding: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct LoginForm {
    email: String,
    password: String,
}

fn notice_for(code: &str) -> Option<&'static str> {
    match code {
        "uitgelogd" => Some("U bent uitgelogd."),
        "inloggen" => Some("Log eerst in om verder te gaan."),
        "verlopen" => Some("Uw sessie is verlopen. Log opnieuw in."),
        "bewaard" => Some(
            "Uw sessie was verlopen voordat u het formulier verstuurde. Wat u invulde, hebben we voor u bewaard; het is nog niet opgeslagen. Log opnieuw in, dan staat het weer in het formulier.",
        ),
        "ingericht" => {
            Some("Meldcode is ingericht. Log in met het e-mailadres en wachtwoord die u net koos.")
        }
        "geactiveerd" => Some("Uw wachtwoord is ingesteld. U kunt nu inloggen."),
        _ => None,
    }
}

pub async fn login_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    user: Option<Extension<CurrentUser>>,
    ended: Option<Extension<SessionEnded>>,
    Query(q): Query<LoginQuery>,
) -> Result<Response> {
    if user.is_some() {
        return Ok(Redirect::to(crate::web::urls::path::START).into_response());
    }
    let sso = super::oidc::configured(&state).await?.map(|p| p.name);
    let notice = if ended.is_some() {
        notice_for("verlopen")
    } else {
        notice_for(&q.melding)
    };
    Ok(LoginPage {
        ctx,
        email: String::new(),
        error: None,
        notice,
        errors: Default::default(),
        sso,
    }
    .into_response())
}

pub async fn login(
    State(state): State<AppState>,
    session: Session,
    ctx: PageCtx,
    ClientAddress(address): ClientAddress,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Result<Response> {
    let now = state.clock.unix();
    let email = Email::parse(&form.email)
        .map(|e| e.as_str().to_string())
        .unwrap_or_else(|_| form.email.trim().to_lowercase());
    let sso = super::oidc::configured(&state).await?.map(|p| p.name);
    let refuse = |ctx: PageCtx, status: StatusCode, message: String| {
        let page = LoginPage {
            ctx,
            email: form.email.trim().to_string(),
            error: Some(message),
            notice: None,
            errors: Default::default(),
            sso: sso.clone(),
        };
        (status, page).into_response()
    };

    let credentials = state.db.credentials(&email).await?;
    let user_id = credentials.as_ref().map(|c| c.id);
    // A browser in which this account logged in before is held back only by its own failures
    // (see domain::throttle): whoever guesses at the account elsewhere cannot lock its owner out.
    let secure = state.settings.secure_cookies;
    let device = cookies::read(&headers, cookies::device_cookie_name(secure))
        .and_then(|v| DeviceCookie::decode(&state.cookie_key, &v, now))
        .filter(|d| Some(d.user_id) == user_id);
    // The counters are keyed on a hash of the address typed, so the table holds no e-mail addresses.
    let account = hash_token(&email);
    let address = address.as_deref();
    let account_key = format!("account:{account}");
    let pair_key = format!("account:{account}@{}", address.unwrap_or("unknown"));
    let address_key = format!("address:{}", address.unwrap_or("unknown"));
    let device_key = device.map(|d| d.throttle_key()).unwrap_or_default();
    let [account_c, pair_c, address_c, device_c] = state
        .db
        .throttle_counters([&account_key, &pair_key, &address_key, &device_key])
        .await?;
    let counters = LoginCounters {
        account: account_c,
        account_at_address: pair_c,
        address: address_c,
        device: device_c,
    };
    if let Verdict::Wait(seconds) = throttle::login_verdict(device.is_some(), &counters, now) {
        state
            .db
            .audit(now, Entry::user(Event::LoginThrottled, user_id, address))
            .await?;
        return Ok(refuse(
            ctx,
            StatusCode::TOO_MANY_REQUESTS,
            format!(
                "Er is te vaak een verkeerd wachtwoord geprobeerd. Wacht {seconds} seconden en probeer het dan opnieuw."
            ),
        ));
    }

    let hash = credentials
        .as_ref()
        .filter(|c| c.active != 0)
        .and_then(|c| c.password_hash.as_deref());
    let ok = state.passwords.verify(&form.password, hash).await?;
    let Some(user_id) = user_id.filter(|_| ok) else {
        // From a trusted device only that device's counter grows; from elsewhere the account's,
        // the pair's and the address's.
        if device.is_some() {
            state.db.record_failures(&[&device_key], now).await?;
        } else {
            state
                .db
                .record_failures(&[&account_key, &pair_key, &address_key], now)
                .await?;
        }
        if let Some(id) = user_id {
            state.db.count_unseen_failure(id, now).await?;
        }
        state
            .db
            .audit(now, Entry::user(Event::LoginFailed, user_id, address))
            .await?;
        return Ok(refuse(
            ctx,
            StatusCode::UNAUTHORIZED,
            LOGIN_FAILED.to_string(),
        ));
    };

    // The account's own counter is left to fade: were it reset by the owner's login, whoever
    // guesses at the account would get fresh free attempts every time the owner logs in.
    state.db.clear_failures(&[&pair_key, &device_key]).await?;
    // The organisation may have its provider's users log in there only (web::oidc).
    if let Some(name) = super::oidc::password_closed(&state, user_id, &email).await? {
        return Ok(refuse(
            ctx,
            StatusCode::FORBIDDEN,
            format!("Uw organisatie laat u inloggen met {name}. Gebruik de knop hieronder."),
        ));
    }
    // With two-factor authentication the password is only the first step: the session waits for
    // the code and is not logged in until then.
    if state.db.totp_secret(user_id).await?.is_some() {
        session.cycle_id().await?;
        session
            .insert(
                SecondFactorPending::KEY,
                SecondFactorPending { user_id, at: now },
            )
            .await?;
        return Ok(Redirect::to(crate::web::urls::path::LOGIN_CODE).into_response());
    }
    complete_login(&state, &session, user_id, now, address, None).await?;
    let landing = super::drafts::landing(&state, &session, user_id).await?;
    Ok(trusting_device(
        &state,
        user_id,
        now,
        Redirect::to(&landing),
    ))
}

/// The response with a device cookie: this browser is trusted for the account from now on (for
/// the next 90 days), see `domain::throttle`.
pub(super) fn trusting_device(
    state: &AppState,
    user_id: UserId,
    now: i64,
    res: impl IntoResponse,
) -> Response {
    let secure = state.settings.secure_cookies;
    let cookie = cookies::set_cookie(
        cookies::device_cookie_name(secure),
        &DeviceCookie {
            user_id,
            issued: now,
        }
        .encode(&state.cookie_key),
        Some(cookies::DEVICE_TRUST_SECS),
        secure,
    );
    let mut res = res.into_response();
    res.headers_mut().append(header::SET_COOKIE, cookie);
    res
}

/// Makes the session a logged-in one: a new session id (an id planted before the login, session
/// fixation, is worthless), the login facts, a new form token, and the audit row.
pub(super) async fn complete_login(
    state: &AppState,
    session: &Session,
    user_id: UserId,
    now: i64,
    address: Option<&str>,
    how: Option<&'static str>,
) -> Result<()> {
    // A new session id at login: an id planted before the login (session fixation) is worthless.
    session.cycle_id().await?;
    session
        .insert(SessionAuth::KEY, SessionAuth::new(user_id, now))
        .await?;
    session.insert(CSRF_KEY, new_token()).await?;
    // Failed attempts on the account since the last login: the start page tells the user once.
    let unseen = state.db.take_unseen_failures(user_id).await?;
    if unseen > 0 {
        session.insert(FAILED_ATTEMPTS_KEY, unseen).await?;
    }
    state
        .db
        .audit(
            now,
            Entry {
                subject: how,
                ..Entry::user(Event::Login, Some(user_id), address)
            },
        )
        .await?;
    Ok(())
}

#[derive(Template, WebTemplate)]
#[template(path = "login_code.html")]
pub struct CodePage {
    pub ctx: PageCtx,
    pub error: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct CodeForm {
    code: String,
}

/// The second step of a login with two-factor authentication: a code from the app, or a recovery code.
pub async fn code_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    session: Session,
    user: Option<Extension<CurrentUser>>,
) -> Result<Response> {
    if user.is_some() {
        return Ok(Redirect::to(crate::web::urls::path::START).into_response());
    }
    match pending(&state, &session).await? {
        Some(_) => Ok(CodePage { ctx, error: None }.into_response()),
        None => Ok(Redirect::to(crate::web::urls::path::LOGIN).into_response()),
    }
}

async fn pending(state: &AppState, session: &Session) -> Result<Option<SecondFactorPending>> {
    let p = session
        .get::<SecondFactorPending>(SecondFactorPending::KEY)
        .await?;
    Ok(p.filter(|p| !p.is_expired(state.clock.unix())))
}

pub async fn code(
    State(state): State<AppState>,
    ctx: PageCtx,
    session: Session,
    user: Option<Extension<CurrentUser>>,
    ClientAddress(address): ClientAddress,
    Form(form): Form<CodeForm>,
) -> Result<Response> {
    if user.is_some() {
        return Ok(Redirect::to(crate::web::urls::path::START).into_response());
    }
    let Some(p) = pending(&state, &session).await? else {
        return Ok(Redirect::to(crate::web::urls::path::LOGIN_SESSION_EXPIRED).into_response());
    };
    let now = state.clock.unix();
    // Guessing codes is throttled like guessing passwords.
    let key = format!("second_factor:{}", p.user_id);
    if let Verdict::Wait(seconds) = throttle::verdict(
        state.db.throttle_counter(&key).await?,
        FREE_ATTEMPTS_PER_ACCOUNT,
        now,
    ) {
        let page = CodePage {
            ctx,
            error: Some(format!(
                "Er is te vaak een verkeerde code geprobeerd. Wacht {seconds} seconden."
            )),
        };
        return Ok((StatusCode::TOO_MANY_REQUESTS, page).into_response());
    }
    let secret = state.db.totp_secret(p.user_id).await?.unwrap_or_default();
    let typed = form.code.trim();
    let by_app = crate::domain::twofactor::check(&secret, typed, now);
    let by_recovery = !by_app && {
        let normalised = crate::domain::twofactor::normalise_recovery_code(typed);
        normalised.len() == 12
            && state
                .db
                .use_recovery_code(p.user_id, &hash_token(&normalised), now)
                .await?
    };
    if !(by_app || by_recovery) {
        state.db.record_failure(&key, now).await?;
        state
            .db
            .audit(
                now,
                Entry::user(
                    Event::SecondFactorFailed,
                    Some(p.user_id),
                    address.as_deref(),
                ),
            )
            .await?;
        let page = CodePage { ctx, error: Some("Deze code klopt niet. Neem de code die de app nu laat zien, of een van uw herstelcodes.".to_string()) };
        return Ok((StatusCode::UNAUTHORIZED, page).into_response());
    }
    state.db.clear_failures(&[&key]).await?;
    session
        .remove::<SecondFactorPending>(SecondFactorPending::KEY)
        .await?;
    if by_recovery {
        state
            .db
            .audit(
                now,
                Entry::user(Event::RecoveryCodeUsed, Some(p.user_id), address.as_deref()),
            )
            .await?;
    }
    complete_login(
        &state,
        &session,
        p.user_id,
        now,
        address.as_deref(),
        Some("tweestaps"),
    )
    .await?;
    let landing = super::drafts::landing(&state, &session, p.user_id).await?;
    Ok(trusting_device(
        &state,
        p.user_id,
        now,
        Redirect::to(&landing),
    ))
}

/// "Blijf ingelogd": the button of the warning before the idle limit (static/app.js) asks for
/// this. Like every request of a logged-in user it moves the session's idle limit on (the guard
/// writes `last_seen`); it answers with nothing else. A visitor is sent to the login page.
pub async fn stay(_user: CurrentUser) -> StatusCode {
    StatusCode::NO_CONTENT
}

/// Logging out ends the session on the server: its row is deleted, so the old cookie is worthless.
pub async fn logout(
    State(state): State<AppState>,
    session: Session,
    user: Option<Extension<CurrentUser>>,
) -> Result<Response> {
    if let Some(Extension(user)) = user {
        state
            .db
            .audit(state.clock.unix(), user.audit_entry(Event::Logout))
            .await?;
    }
    session.flush().await?;
    Ok(Redirect::to(crate::web::urls::path::LOGIN_LOGGED_OUT).into_response())
}
