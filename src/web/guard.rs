//! The session guard: one middleware in front of every page that
//! 1. ends a session that has been idle for 30 minutes or is older than 12 hours,
//! 2. loads the logged-in user (ending the session of a deactivated user at once), and
//! 3. refuses every state-changing request that does not come from one of our own pages: the
//!    `Origin` and `Sec-Fetch-Site` headers must say same-origin, and the form must carry the
//!    session's token. Because this is one middleware and not a check in each handler, a new
//!    form cannot forget it.
//!
//! A refused form does not lose the user's work. When the session has just ended by time and the
//! form carries that session's own token, the form is kept for its user and filled in again after
//! the next login (`web::drafts`); otherwise the page that explains the refusal shows what was
//! typed, ready to copy.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::OnceLock;

use askama::Template;
use axum::body::{Body, to_bytes};
use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use subtle::ConstantTimeEq;
use tower_sessions::Session;

use super::cookies;
use super::drafts;
use super::error::{AppError, ErrorStatus, error_page, error_page_with};
use super::page::{CSRF_KEY, PageCtx};
use crate::app::AppState;
use crate::domain::area::Area;
use crate::domain::ids::UserId;
use crate::domain::role::Role;
use crate::domain::session::SessionAuth;
use crate::store::audit::{Entry, Event};
use crate::store::covers::CoverAt;
use crate::store::users::{RoleAt, SessionUser, User};

/// The largest form body accepted. Generous for text, but bounded: the body is read into memory.
pub const MAX_FORM_BYTES: usize = 256 * 1024;

/// The largest upload accepted (a roster file, or its base64 carried on to the confirmation),
/// only on the routes that take one ([`takes_upload`]) and only as multipart/form-data.
pub const MAX_UPLOAD_BYTES: usize = crate::domain::roster::MAX_BYTES / 3 * 4 + 64 * 1024;

/// Whether a path takes an uploaded file: a school's roster import.
pub fn takes_upload(path: &str) -> bool {
    let mut parts = path.trim_start_matches('/').split('/');
    matches!(
        (parts.next(), parts.next(), parts.next(), parts.next(), parts.next()),
        (Some("beheer"), Some("scholen"), Some(id), Some("inlezen"), None)
            if !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit())
    )
}

/// The multipart boundary of a request, when it is multipart/form-data.
fn multipart_boundary(headers: &axum::http::HeaderMap) -> Option<String> {
    let ct = headers
        .get(axum::http::header::CONTENT_TYPE)?
        .to_str()
        .ok()?;
    multer::parse_boundary(ct).ok()
}

/// The value of the text field `name` in a multipart/form-data body: only to find the form's
/// token (the handler reads the body with a real multipart parser).
fn multipart_field(body: &[u8], boundary: &str, name: &str) -> Option<String> {
    let delimiter = format!("--{boundary}");
    let wanted = format!("name=\"{name}\"");
    let text = body;
    let mut rest = text;
    while let Some(at) = find(rest, delimiter.as_bytes()) {
        rest = &rest[at + delimiter.len()..];
        let end = find(rest, delimiter.as_bytes()).unwrap_or(rest.len());
        let part = &rest[..end];
        let head_end = find(part, b"\r\n\r\n")?;
        let head = String::from_utf8_lossy(&part[..head_end]);
        if head.contains(&wanted) && !head.contains("filename=") {
            let value = &part[head_end + 4..];
            let value = value.strip_suffix(b"\r\n").unwrap_or(value);
            return String::from_utf8(value.to_vec()).ok();
        }
    }
    None
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// The logged-in user, with their roles and the covers in force today, as loaded by the guard for
/// this request.
#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub user: User,
    pub roles: Vec<RoleAt>,
    /// Where the user stands in for an absent aandachtsfunctionaris today (`domain::cover`).
    /// Loaded on every request: the day after a cover's last day, or once it is ended, it is gone.
    pub covers: Vec<CoverAt>,
    pub address: Option<String>,
    /// The session's login facts (when the password was checked).
    pub auth: SessionAuth,
}

impl CurrentUser {
    /// The logged-in user as the access rules see them: the only way a request gets a `Viewer`.
    pub fn viewer(&self) -> crate::domain::access::Viewer {
        crate::domain::access::Viewer::of_session(
            self.user.id,
            self.roles.iter().map(|r| (r.school_id, r.role)).collect(),
            self.covers.iter().map(|c| c.school_id).collect(),
        )
    }

    /// Whether the user holds `role` by their own assignment (a cover is no role).
    pub fn has_role(&self, role: Role) -> bool {
        self.roles.iter().any(|r| r.role == role)
    }

    /// Whether the user stands in for an absent aandachtsfunctionaris today: a cover in force, for
    /// someone who works with dossiers (`domain::cover::works_with_dossiers`; the viewer asks the
    /// same).
    pub fn covering(&self) -> bool {
        !self.covers.is_empty()
            && crate::domain::cover::works_with_dossiers(self.roles.iter().map(|r| r.role))
    }

    /// The roles in which the user acts today, at any school: their own, and the
    /// aandachtsfunctionaris's while covering for one (so a deputy meets the second-factor
    /// requirement of the role they act in).
    pub fn acting_roles(&self) -> Vec<Role> {
        let mut roles = self.role_list();
        if self.covering() && !roles.contains(&Role::Aandachtsfunctionaris) {
            roles.push(Role::Aandachtsfunctionaris);
        }
        roles
    }

    /// The user's own roles per school, as `domain::cover` reads them.
    pub fn roles_at(&self) -> Vec<(crate::domain::ids::SchoolId, Role)> {
        self.roles.iter().map(|r| (r.school_id, r.role)).collect()
    }

    /// The roles the user holds, at any school.
    pub fn role_list(&self) -> Vec<Role> {
        let mut roles: Vec<Role> = self.roles.iter().map(|r| r.role).collect();
        roles.sort_unstable();
        roles.dedup();
        roles
    }

    /// Whether the user may enter an area of the application (the gates and the menu ask this):
    /// by their roles, or as a deputy through a cover in force today.
    pub fn may_enter(&self, area: Area) -> bool {
        area.admits_as(&self.role_list(), self.covering())
    }

    /// A user-level audit row about this user, from their address.
    pub fn audit_entry(&self, event: Event) -> Entry<'_> {
        Entry::user(event, Some(self.user.id), self.address.as_deref())
    }

    /// Exports and role changes need the password confirmed in the last 15 minutes; otherwise
    /// the user confirms it first and comes back to `back` (a path of ours).
    pub fn require_recent_auth(&self, now: i64, back: &str) -> Result<(), AppError> {
        if self.auth.recently_confirmed(now) {
            Ok(())
        } else {
            Err(AppError::Reauth(back.to_string()))
        }
    }
}

/// Marks a request whose session has just ended by time, so the login page can say so.
#[derive(Debug, Clone, Copy)]
pub struct SessionEnded;

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &AppState) -> Result<Self, AppError> {
        match parts.extensions.get::<CurrentUser>() {
            Some(user) => Ok(user.clone()),
            None if parts.extensions.get::<SessionEnded>().is_some() => Err(AppError::SessionEnded),
            None => Err(AppError::LoginRequired),
        }
    }
}

/// The client's address: the socket's peer, or behind a trusted proxy the last address it added
/// to `X-Forwarded-For` (earlier entries can be forged by the client).
pub fn client_address(
    headers: &HeaderMap,
    extensions: &axum::http::Extensions,
    state: &AppState,
) -> Option<String> {
    if state.settings.trust_forwarded_for
        && let Some(last) = headers
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.rsplit(',').next())
    {
        return Some(last.trim().to_string());
    }
    extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| addr.ip().to_string())
}

/// The form token of a browser without a session, carried by its form cookie (see
/// [`super::cookies`]): the login page's forms use it, and nothing is stored on the server. The
/// token is signed only when a page or a check needs it, and a nonce made only when a page shows
/// it to a browser that sent none: a logged-in request pays nothing for it.
#[derive(Debug, Clone)]
pub struct AnonymousForm {
    key: crate::signing::CookieKey,
    /// The nonce of the form cookie that came with the request.
    sent: Option<String>,
    /// The nonce made for a browser without one; set on the response as a new cookie.
    fresh: Arc<OnceLock<String>>,
}

impl AnonymousForm {
    fn of(state: &AppState, headers: &HeaderMap) -> AnonymousForm {
        let name = cookies::form_cookie_name(state.settings.secure_cookies);
        let sent = cookies::read(headers, name).filter(|n| {
            n.len() == 43
                && n.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        });
        AnonymousForm {
            key: state.cookie_key.clone(),
            sent,
            fresh: Arc::default(),
        }
    }

    /// The token for a page's forms.
    pub fn token(&self) -> String {
        let nonce = match &self.sent {
            Some(nonce) => nonce,
            None => self.fresh.get_or_init(crate::store::tokens::new_token),
        };
        cookies::form_token(&self.key, nonce)
    }

    /// The token a posted form must carry, when the browser sent its cookie.
    fn expected(&self) -> Option<String> {
        self.sent
            .as_ref()
            .map(|n| cookies::form_token(&self.key, n))
    }
}

pub async fn session_guard(
    State(state): State<AppState>,
    session: Session,
    mut req: Request,
    next: Next,
) -> Response {
    let path = req.uri().path().to_string();
    let anonymous = AnonymousForm::of(&state, req.headers());
    req.extensions_mut().insert(anonymous.clone());
    let mut res = match guard(&state, &session, &mut req, &anonymous).await {
        Ok(None) => next.run(req).await,
        Ok(Some(refusal)) => refusal,
        // The emergency route works without the database: the page falls back on the numbers it
        // knows, and nobody is logged out by the outage.
        Err(e) if path == "/nood" && req.method() == Method::GET => {
            tracing::warn!(error = %e, "emergency page served without its session");
            next.run(req).await
        }
        Err(e) => e.into_response(),
    };
    if let Some(nonce) = anonymous.fresh.get() {
        let name = cookies::form_cookie_name(state.settings.secure_cookies);
        let cookie = cookies::set_cookie(name, nonce, None, state.settings.secure_cookies);
        res.headers_mut().append(header::SET_COOKIE, cookie);
    }
    // An error page made without the request at hand gets the logged-in user's menu and logout
    // button, so that nobody thinks they were logged out, and can log out from there.
    // Only error pages pay for this: the user is loaded again only when there is one.
    let Some(&ErrorStatus(status)) = res.extensions().get::<ErrorStatus>() else {
        return res;
    };
    // Not while the database is away: loading the user would only make the answer wait longer.
    if status == StatusCode::SERVICE_UNAVAILABLE {
        return res;
    }
    match session_user(&session, &state).await {
        Some(user) => match PageCtx::build(&state, &session, Some(&user), None, &path).await {
            Ok(ctx) => error_page_with(status, ctx),
            Err(_) => res,
        },
        None => res,
    }
}

/// The user of a still-valid session, for re-rendering an error page.
async fn session_user(session: &Session, state: &AppState) -> Option<CurrentUser> {
    let auth = session
        .get::<SessionAuth>(SessionAuth::KEY)
        .await
        .ok()
        .flatten()?;
    let today = crate::clock::today_nl(state.clock.unix());
    let SessionUser {
        user,
        roles,
        covers,
    } = state
        .db
        .user_with_roles(auth.user_id, today)
        .await
        .ok()
        .flatten()
        .filter(|u| u.user.active)?;
    Some(CurrentUser {
        user,
        roles,
        covers,
        address: None,
        auth,
    })
}

async fn guard(
    state: &AppState,
    session: &Session,
    req: &mut Request,
    anonymous: &AnonymousForm,
) -> Result<Option<Response>, AppError> {
    let now = state.clock.unix();
    let address = client_address(req.headers(), req.extensions(), state);

    // The user and form token of a session that ends now: a form sent with that token is theirs,
    // from one of our pages, and is kept for them (see `web::drafts`).
    let mut ended: Option<(UserId, Option<String>)> = None;
    if let Some(mut auth) = session.get::<SessionAuth>(SessionAuth::KEY).await? {
        if auth.is_expired(now) {
            ended = Some((auth.user_id, session.get::<String>(CSRF_KEY).await?));
            session.flush().await?;
            req.extensions_mut().insert(SessionEnded);
            state
                .db
                .audit(
                    now,
                    Entry::user(
                        Event::SessionExpired,
                        Some(auth.user_id),
                        address.as_deref(),
                    ),
                )
                .await?;
        } else {
            let today = crate::clock::today_nl(now);
            match state.db.user_with_roles(auth.user_id, today).await? {
                Some(SessionUser {
                    user,
                    roles,
                    covers,
                }) if user.active => {
                    if auth.needs_touch(now) {
                        auth.last_seen = now;
                        session.insert(SessionAuth::KEY, auth).await?;
                    }
                    let current = CurrentUser {
                        user,
                        roles,
                        covers,
                        address: address.clone(),
                        auth,
                    };
                    // The organisation requires two-factor authentication for some roles: until the
                    // user has set it up, the set-up page is all they can reach.
                    let must_enrol = !current.user.two_factor
                        && !current.auth.second_factor_by_provider
                        && state.organisation().await?.is_some_and(|o| {
                            crate::domain::twofactor::required_for(
                                &o.two_factor_roles,
                                current.acting_roles(),
                            )
                        });
                    req.extensions_mut().insert(current);
                    let path = req.uri().path();
                    let allowed = path.starts_with("/account/tweestaps")
                        || path == "/logout"
                        || path == "/nood";
                    if must_enrol && !allowed {
                        return Ok(Some(
                            axum::response::Redirect::to(crate::web::urls::path::TWO_FACTOR)
                                .into_response(),
                        ));
                    }
                }
                // Deactivated or removed: the session ends now, whatever its age.
                _ => session.flush().await?,
            }
        }
    }

    if is_safe(req.method()) {
        return Ok(None);
    }

    if !same_origin(req.headers()) {
        tracing::warn!("cross-origin state-changing request refused");
        return Ok(Some(error_page(StatusCode::FORBIDDEN)));
    }

    // Read the form to find its token; the body is put back for the handler.
    // An upload (multipart) only where a route takes one, and only for a logged-in user.
    let upload = multipart_boundary(req.headers()).filter(|_| {
        takes_upload(req.uri().path()) && req.extensions().get::<CurrentUser>().is_some()
    });
    let limit = if upload.is_some() {
        MAX_UPLOAD_BYTES
    } else {
        MAX_FORM_BYTES
    };
    let body = std::mem::take(req.body_mut());
    let bytes = match to_bytes(body, limit).await {
        Ok(b) => b,
        Err(_) => return Ok(Some(error_page(StatusCode::PAYLOAD_TOO_LARGE))),
    };
    let fields: Vec<(String, String)> = match &upload {
        Some(boundary) => multipart_field(&bytes, boundary, "_csrf")
            .map(|t| vec![("_csrf".to_string(), t)])
            .unwrap_or_default(),
        None => serde_urlencoded::from_bytes(&bytes).unwrap_or_default(),
    };
    let sent = fields
        .iter()
        .find(|(k, _)| k == "_csrf")
        .map(|(_, v)| v.as_str());
    // A session's own token, or for a browser without one (the login page) its form cookie's.
    let expected = match session.get::<String>(CSRF_KEY).await? {
        Some(token) => Some(token),
        None => anonymous.expected(),
    };
    let valid = match (sent, expected.as_deref()) {
        (Some(s), Some(e)) => bool::from(s.as_bytes().ct_eq(e.as_bytes())),
        _ => false,
    };
    if !valid {
        let path = req.uri().path().to_string();
        if let Some((user_id, Some(token))) = &ended
            && sent.is_some_and(|s| bool::from(s.as_bytes().ct_eq(token.as_bytes())))
            && drafts::keep(state, *user_id, &path, &fields, address.as_deref()).await?
        {
            return Ok(Some(
                axum::response::Redirect::to(crate::web::urls::path::LOGIN_FORM_KEPT)
                    .into_response(),
            ));
        }
        return Ok(Some(form_expired(&path, &fields)));
    }
    *req.body_mut() = Body::from(bytes);
    Ok(None)
}

fn is_safe(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// A browser says where a request comes from. `Sec-Fetch-Site` (every current browser) is the
/// authority when present: only `same-origin` (or `none`, typed by the user) passes. Browsers
/// without it send `Origin`, which must then match the `Host` the request was sent to. Because
/// our pages send `Referrer-Policy: no-referrer`, browsers put `Origin: null` on our own form
/// posts, so `null` cannot count as foreign. Requests without either header (not from a browser)
/// still need the form token, as every request does.
fn same_origin(headers: &HeaderMap) -> bool {
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return site == "same-origin" || site == "none";
    }
    if let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        if origin == "null" {
            return true;
        }
        let host = headers
            .get(header::HOST)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        let authority = origin.split_once("://").map_or("", |(_, rest)| rest);
        return authority == host;
    }
    true
}

#[derive(Template)]
#[template(path = "form_expired.html")]
struct FormExpiredPage {
    ctx: PageCtx,
    kept: Vec<(String, String)>,
}

/// The refusal of a form without a valid token: a session that ended long ago, or a form from
/// elsewhere. What was typed is shown back under the form's own labels (never a password), so
/// that no work is lost.
fn form_expired(path: &str, fields: &[(String, String)]) -> Response {
    let kept = drafts::labelled(path, fields);
    let page = FormExpiredPage {
        ctx: PageCtx::fallback(),
        kept,
    };
    match page.render() {
        Ok(html) => (StatusCode::FORBIDDEN, Html(html)).into_response(),
        Err(_) => error_page(StatusCode::FORBIDDEN),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn a_post_from_our_own_page_is_same_origin() {
        assert!(same_origin(&headers(&[
            ("host", "meldcode.school.nl"),
            ("origin", "https://meldcode.school.nl"),
            ("sec-fetch-site", "same-origin"),
        ])));
    }

    #[test]
    fn only_a_schools_import_takes_an_upload_and_its_token_is_found_in_the_multipart_body() {
        assert!(takes_upload("/beheer/scholen/12/inlezen"));
        for p in [
            "/beheer/scholen/x/inlezen",
            "/beheer/scholen/12/inlezen/x",
            "/login",
            "/beheer/scholen//inlezen",
        ] {
            assert!(!takes_upload(p), "{p}");
        }
        let body = b"--XyZ\r\nContent-Disposition: form-data; name=\"bestand\"; filename=\"_csrf\"\r\n\r\nname=\"_csrf\"\r\n--XyZ\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\ntoken123\r\n--XyZ--\r\n";
        assert_eq!(
            multipart_field(body, "XyZ", "_csrf").as_deref(),
            Some("token123")
        );
        assert_eq!(multipart_field(body, "XyZ", "ander"), None);
    }

    #[test]
    fn a_post_from_another_site_is_refused() {
        assert!(!same_origin(&headers(&[
            ("host", "meldcode.school.nl"),
            ("origin", "https://evil.example")
        ])));
        assert!(!same_origin(&headers(&[
            ("host", "meldcode.school.nl"),
            ("sec-fetch-site", "cross-site")
        ])));
        assert!(!same_origin(&headers(&[
            ("host", "meldcode.school.nl"),
            ("sec-fetch-site", "same-site")
        ])));
    }
}

/// The client's address as an extractor, for handlers that log or throttle by it.
#[derive(Debug, Clone)]
pub struct ClientAddress(pub Option<String>);

impl FromRequestParts<AppState> for ClientAddress {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        Ok(ClientAddress(client_address(
            &parts.headers,
            &parts.extensions,
            state,
        )))
    }
}
