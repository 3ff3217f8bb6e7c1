//! Logging in through the organisation's identity provider: OpenID Connect's authorization code
//! flow with PKCE (the `openidconnect` crate does the protocol: discovery, the token exchange and
//! the ID token's signature and claims).
//!
//! `POST /login/sso` keeps the flow's state, nonce and PKCE verifier in the server-side session
//! and sends the browser to the provider. The provider sends it back to `GET /login/sso/terug`,
//! which checks the state, exchanges the code, verifies the ID token against the nonce, finds the
//! account (by the linked subject, else by a usable e-mail address, see `domain::oidc`; made only
//! when the beheerder allowed it) and logs
//! in through `login::complete_login`, as a password login does.
//!
//! The session cookie is `SameSite=Strict`, so a browser does not send it on the provider's
//! redirect back (a navigation another site started). The callback then answers with a page that
//! goes on to the same address from our own site ([`ContinuePage`]); that second request carries
//! the cookie, and the flow is found.

use std::sync::OnceLock;
use std::time::Duration;

use askama::Template;
use askama_web::WebTemplate;
use axum::Extension;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use openidconnect::core::{CoreAuthenticationFlow, CoreClient, CoreProviderMetadata};
use openidconnect::{
    AuthorizationCode, ClientId, ClientSecret, CsrfToken, EndpointMaybeSet, EndpointNotSet,
    EndpointSet, IssuerUrl, Nonce, PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, Scope,
    TokenResponse,
};
use serde::{Deserialize, Serialize};
use tower_sessions::Session;

use super::error::{AppError, Result};
use super::guard::{ClientAddress, CurrentUser};
use super::page::PageCtx;
use crate::app::AppState;
use crate::domain::account::{Email, ShortText};
use crate::domain::ids::{SchoolId, UserId};
use crate::domain::oidc::{email_usable, in_domains, signals_mfa};
use crate::domain::role::Role;
use crate::domain::session::{SecondFactorPending, SessionAuth};
use crate::store::audit::{Entry, Event};
use crate::store::oidc::Provider;
use crate::store::users::{Actor, NewUser};

/// Where the provider sends the browser back, after the application's public address.
pub const CALLBACK_PATH: &str = "/login/sso/terug";

/// A flow begun at `POST /login/sso`, kept in the session until the provider sends the browser
/// back. One use: the callback takes it out whatever happens next.
#[derive(Serialize, Deserialize)]
struct Flow {
    state: String,
    nonce: String,
    pkce_verifier: String,
    at: i64,
}

impl Flow {
    const KEY: &'static str = "oidc_flow";
    /// The login at the provider must be done within ten minutes.
    const VALID_SECS: i64 = 10 * 60;
}

/// The client after discovery: an authorization and token endpoint, perhaps a userinfo endpoint.
type Client = CoreClient<
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointMaybeSet,
    EndpointMaybeSet,
>;

/// One HTTP client for talking to providers. It follows no redirects: a discovery document or
/// token endpoint that redirects elsewhere could point the server at an internal address (SSRF).
fn http_client() -> &'static openidconnect::reqwest::Client {
    static CLIENT: OnceLock<openidconnect::reqwest::Client> = OnceLock::new();
    CLIENT.get_or_init(|| {
        openidconnect::reqwest::Client::builder()
            .redirect(openidconnect::reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(10))
            .build()
            .expect("the HTTP client for OpenID providers builds")
    })
}

/// A refusal of a login through the provider: a fixed Dutch text for the page, the cause for the
/// log (never a token or the secret).
fn refused(status: StatusCode, message: &'static str, cause: impl Into<String>) -> AppError {
    AppError::SignIn {
        status,
        message,
        cause: cause.into(),
    }
}

const PROVIDER_DOWN: &str = "De inlogdienst van uw organisatie is nu niet bereikbaar of gaf een antwoord dat Meldcode niet kon controleren. Probeer het over een paar minuten opnieuw, of log in met uw e-mailadres en wachtwoord.";
const START_AGAIN: &str = "Het inloggen kon niet worden afgemaakt: het duurde te lang, of het begon niet in deze browser. Ga terug naar de inlogpagina en probeer het opnieuw.";
const NOT_VERIFIED: &str = "Het inloggen kon niet worden gecontroleerd. Ga terug naar de inlogpagina en probeer het opnieuw.";
const NO_ACCOUNT: &str = "U bent bij uw organisatie ingelogd, maar bij dit account hoort in Meldcode geen actieve gebruiker. Vraag de beheerder van Meldcode op uw school om u toe te voegen.";
const CANCELLED: &str = "Het inloggen bij uw organisatie is afgebroken of geweigerd. Ga terug naar de inlogpagina en probeer het opnieuw.";

/// The organisation's provider, if one is configured.
pub(super) async fn configured(state: &AppState) -> Result<Option<Provider>> {
    let Some(org) = state.organisation().await? else {
        return Ok(None);
    };
    Ok(state.db.oidc_provider(org.id).await?)
}

async fn client(state: &AppState, p: &Provider) -> Result<Client> {
    let issuer = IssuerUrl::new(p.issuer.clone())
        .map_err(|e| refused(StatusCode::BAD_GATEWAY, PROVIDER_DOWN, e.to_string()))?;
    // Discovery checks that the document names the configured issuer.
    let metadata = CoreProviderMetadata::discover_async(issuer, http_client())
        .await
        .map_err(|e| {
            refused(
                StatusCode::BAD_GATEWAY,
                PROVIDER_DOWN,
                format!("discovery: {e}"),
            )
        })?;
    let redirect = RedirectUrl::new(format!("{}{CALLBACK_PATH}", state.settings.public_url))
        .map_err(|e| AppError::Internal(anyhow::anyhow!("redirect URL: {e}")))?;
    Ok(CoreClient::from_provider_metadata(
        metadata,
        ClientId::new(p.client_id.clone()),
        Some(ClientSecret::new(p.client_secret.clone())),
    )
    .set_redirect_uri(redirect))
}

/// The page on the way to the provider. Not a redirect: the page's policy allows a form to send
/// the browser to our own site only (`form-action 'self'`), and a browser applies that to the
/// redirect after the form too. A page of ours that goes on by itself (and by its link, without
/// JavaScript) is a navigation, which that rule leaves alone.
#[derive(Template, WebTemplate)]
#[template(path = "login_sso_leave.html")]
pub struct LeavePage {
    pub ctx: PageCtx,
    /// The provider's name on the button.
    pub name: String,
    /// The provider's authorization address, with state, nonce and the PKCE challenge.
    pub next: String,
}

/// `POST /login/sso`: the button "Inloggen met …". Sends the browser to the provider.
pub async fn start(
    State(state): State<AppState>,
    ctx: PageCtx,
    session: Session,
    user: Option<Extension<CurrentUser>>,
) -> Result<Response> {
    if user.is_some() {
        return Ok(Redirect::to(super::urls::path::START).into_response());
    }
    let Some(p) = configured(&state).await? else {
        return Err(AppError::NotFound);
    };
    let client = client(&state, &p).await?;
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let (url, csrf, nonce) = client
        .authorize_url(
            CoreAuthenticationFlow::AuthorizationCode,
            CsrfToken::new_random,
            Nonce::new_random,
        )
        .add_scope(Scope::new("email".to_string()))
        .add_scope(Scope::new("profile".to_string()))
        .set_pkce_challenge(challenge)
        .url();
    session
        .insert(
            Flow::KEY,
            Flow {
                state: csrf.secret().clone(),
                nonce: nonce.secret().clone(),
                pkce_verifier: verifier.secret().clone(),
                at: state.clock.unix(),
            },
        )
        .await?;
    Ok(LeavePage {
        ctx,
        name: p.name.clone(),
        next: url.to_string(),
    }
    .into_response())
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct CallbackQuery {
    code: String,
    state: String,
    error: String,
    /// Set by [`ContinuePage`]: the request comes from our own page, so the cookie came with it.
    verder: String,
}

/// The page that takes the provider's answer on from our own site, so that the browser sends the
/// `SameSite=Strict` session cookie (see the module's comment).
#[derive(Template, WebTemplate)]
#[template(path = "login_sso_continue.html")]
pub struct ContinuePage {
    pub ctx: PageCtx,
    /// `/login/sso/terug?code=…&state=…&verder=1`
    pub next: String,
}

/// `GET /login/sso/terug`: the provider sends the browser back here with a code.
pub async fn callback(
    State(state): State<AppState>,
    session: Session,
    ctx: PageCtx,
    user: Option<Extension<CurrentUser>>,
    ClientAddress(address): ClientAddress,
    Query(q): Query<CallbackQuery>,
) -> Result<Response> {
    if user.is_some() {
        return Ok(Redirect::to(super::urls::path::START).into_response());
    }
    let flow = session.remove::<Flow>(Flow::KEY).await?;
    if flow.is_none() && q.verder.is_empty() {
        let next = serde_urlencoded::to_string([
            ("code", q.code.as_str()),
            ("state", q.state.as_str()),
            ("error", q.error.as_str()),
            ("verder", "1"),
        ])
        .map_err(|e| AppError::Internal(e.into()))?;
        let next = format!("{CALLBACK_PATH}?{next}");
        return Ok(ContinuePage { ctx, next }.into_response());
    }
    let now = state.clock.unix();
    let address = address.as_deref();
    let failed = |user_id: Option<UserId>| Entry {
        subject: Some("sso"),
        ..Entry::user(Event::LoginFailed, user_id, address)
    };
    if !q.error.is_empty() {
        return Err(refused(
            StatusCode::UNAUTHORIZED,
            CANCELLED,
            "the provider answered with an error",
        ));
    }
    let Some(flow) = flow.filter(|f| now - f.at < Flow::VALID_SECS) else {
        return Err(refused(
            StatusCode::BAD_REQUEST,
            START_AGAIN,
            "no flow in the session",
        ));
    };
    // The state ties the answer to the browser that began the flow (login CSRF).
    use subtle::ConstantTimeEq;
    if !bool::from(flow.state.as_bytes().ct_eq(q.state.as_bytes())) {
        state.db.audit(now, failed(None)).await?;
        return Err(refused(
            StatusCode::BAD_REQUEST,
            NOT_VERIFIED,
            "state does not match",
        ));
    }
    let Some(p) = configured(&state).await? else {
        return Err(AppError::NotFound);
    };
    let client = client(&state, &p).await?;
    let token = client
        .exchange_code(AuthorizationCode::new(q.code))
        .map_err(|e| refused(StatusCode::BAD_GATEWAY, PROVIDER_DOWN, e.to_string()))?
        .set_pkce_verifier(PkceCodeVerifier::new(flow.pkce_verifier))
        .request_async(http_client())
        .await;
    // The error's text can hold the provider's answer; only its kind goes to the log.
    let token = match token {
        Ok(t) => t,
        Err(e) => {
            state.db.audit(now, failed(None)).await?;
            return Err(refused(
                StatusCode::UNAUTHORIZED,
                NOT_VERIFIED,
                format!("token exchange: {}", token_error_kind(&e)),
            ));
        }
    };
    let Some(id_token) = token.id_token() else {
        return Err(refused(
            StatusCode::BAD_GATEWAY,
            NOT_VERIFIED,
            "no ID token in the answer",
        ));
    };
    // Signature (against the provider's published keys), issuer, audience, expiry and nonce.
    // Expiry is judged by the application's own clock, the one every other time limit uses.
    let clock = state.clock.clone();
    let verifier = client.id_token_verifier().set_time_fn(move || {
        chrono::DateTime::from_timestamp(clock.unix(), 0).unwrap_or(chrono::DateTime::UNIX_EPOCH)
    });
    let claims = match id_token.claims(&verifier, &Nonce::new(flow.nonce)) {
        Ok(c) => c,
        Err(e) => {
            state.db.audit(now, failed(None)).await?;
            return Err(refused(
                StatusCode::UNAUTHORIZED,
                NOT_VERIFIED,
                format!("ID token: {e}"),
            ));
        }
    };
    let issuer = claims.issuer().as_str();
    let subject = claims.subject().as_str();
    let email = claims.email().map(|e| e.as_str().trim().to_lowercase());
    let mfa = signals_mfa(
        claims
            .auth_method_refs()
            .into_iter()
            .flatten()
            .map(|m| m.as_str()),
        claims.auth_context_ref().map(|a| a.as_str()),
    );

    // The account: by the subject once linked, else by an address the provider or the
    // organisation vouches for.
    let mut user_id = state.db.oidc_linked_user(issuer, subject).await?;
    if user_id.is_none()
        && let Some(email) = email
            .as_deref()
            .filter(|e| email_usable(e, claims.email_verified(), &p.domains))
        && let Some(c) = state.db.credentials(email).await?
    {
        if c.active != 0 {
            state
                .db
                .link_oidc_subject(issuer, subject, c.id, now)
                .await?;
        }
        user_id = Some(c.id);
    }
    // No account: one is made only when the beheerder allowed it, for an address in the
    // organisation's own domains, and only as a beroepskracht (web::beheer::sso).
    if user_id.is_none()
        && let Some(school) = p.create_school_id
        && let Some(email) = email.as_deref().and_then(|e| Email::parse(e).ok())
        && in_domains(email.as_str(), &p.domains)
        && claims.email_verified() != Some(false)
    {
        let name = claims
            .name()
            .and_then(|n| n.get(None))
            .and_then(|n| ShortText::parse(n.as_str(), "De naam").ok())
            .map(|n| n.as_str().to_string())
            .unwrap_or_else(|| email.as_str().to_string());
        let roles = [(SchoolId::new(school), Role::Beroepskracht)];
        let new = NewUser {
            org_id: p.organisation_id,
            email: email.as_str(),
            name: &name,
            password_hash: None,
            roles: &roles,
        };
        let actor = Actor {
            address,
            ..Actor::default()
        };
        let id = state.db.add_user_with_roles(&new, &actor, now).await?;
        state.db.link_oidc_subject(issuer, subject, id, now).await?;
        user_id = Some(id);
    }
    let active = match user_id {
        Some(id) => state.db.user(id).await?.filter(|u| u.active),
        None => None,
    };
    let Some(user) = active else {
        state.db.audit(now, failed(user_id)).await?;
        return Err(refused(
            StatusCode::FORBIDDEN,
            NO_ACCOUNT,
            "no active user for this login",
        ));
    };

    // The provider did not confirm a second factor: the user's own code is asked, as after a
    // password (login::code completes the login).
    if !mfa && state.db.totp_secret(user.id).await?.is_some() {
        session.cycle_id().await?;
        session
            .insert(
                SecondFactorPending::KEY,
                SecondFactorPending {
                    user_id: user.id,
                    at: now,
                },
            )
            .await?;
        return Ok(Redirect::to(super::urls::path::LOGIN_CODE).into_response());
    }
    let how = if mfa { "sso-mfa" } else { "sso" };
    super::login::complete_login(&state, &session, user.id, now, address, Some(how)).await?;
    if mfa {
        // The provider's second factor stands for Meldcode's: the organisation's two-factor
        // requirement does not send this session to set up an app (see the session guard).
        if let Some(auth) = session.get::<SessionAuth>(SessionAuth::KEY).await? {
            session
                .insert(
                    SessionAuth::KEY,
                    SessionAuth {
                        second_factor_by_provider: true,
                        ..auth
                    },
                )
                .await?;
        }
    }
    let landing = super::drafts::landing(&state, &session, user.id).await?;
    Ok(super::login::trusting_device(
        &state,
        user.id,
        now,
        Redirect::to(&landing),
    ))
}

fn token_error_kind<RE: std::error::Error + 'static, T: openidconnect::ErrorResponse>(
    e: &openidconnect::RequestTokenError<RE, T>,
) -> String {
    match e {
        openidconnect::RequestTokenError::ServerResponse(r) => format!("refused: {r:?}"),
        openidconnect::RequestTokenError::Request(_) => "request failed".to_string(),
        openidconnect::RequestTokenError::Parse(_, _) => "unreadable answer".to_string(),
        openidconnect::RequestTokenError::Other(_) => "other".to_string(),
    }
}

/// Whether a password login must be refused because the organisation has users of the
/// provider's domains log in through it. A beheerder keeps the password: when the provider is
/// down, they must still get in. Returns the provider's name for the message.
pub(super) async fn password_closed(
    state: &AppState,
    user_id: UserId,
    email: &str,
) -> Result<Option<String>> {
    let Some(p) = configured(state).await? else {
        return Ok(None);
    };
    if p.password_login != 0 || !in_domains(email, &p.domains) {
        return Ok(None);
    }
    let roles = state.db.roles(user_id).await?;
    if roles.iter().any(|r| r.role == Role::Beheerder) {
        return Ok(None);
    }
    Ok(Some(p.name))
}
