//! The web layer: one module per feature, each with its handlers, forms and page structs, and the
//! middleware stack that every request passes.
//!
//! A request flows, outermost first: trace (method and first path segment only, never form
//! fields or tokens) → security headers and Dutch error pages → timeout → body limit → session
//! cookie → session guard (expiry, current user, same-origin and form token) → handler.

pub mod access;
pub mod account;
pub mod activate;
pub mod assets;
pub mod beheer;
pub mod cookies;
pub mod cover;
pub mod dossiers;
pub mod drafts;
pub mod duties;
pub mod error;
pub mod form;
pub mod format;
pub mod guard;
pub mod headers;
pub mod health;
pub mod inspection;
pub mod login;
pub mod oidc;
pub mod page;
pub mod privacy;
pub mod reports;
pub mod setup;
pub mod start;
pub mod urls;
pub mod workspace;

use std::time::Duration;

use axum::Router;
use axum::http::{Request, StatusCode};
use axum::middleware::from_fn_with_state;
use axum::routing::{get, post};
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;
use tower_sessions::SessionManagerLayer;
use tower_sessions::cookie::SameSite;

use crate::app::AppState;
use error::AppError;

/// Builds the whole application. Production and the tests drive this same router.
pub fn router(state: AppState) -> Router {
    let sessions = SessionManagerLayer::new(state.session_store())
        .with_name(state.settings.cookie_name())
        .with_secure(state.settings.secure_cookies)
        .with_http_only(true)
        // Strict: the browser sends the cookie on no request that another site starts, not even a
        // link followed from an e-mail; the login page is one click away in that case.
        .with_same_site(SameSite::Strict)
        .with_path("/");

    let pages = Router::new()
        .route("/", get(start::root))
        .route("/login", get(login::login_form).post(login::login))
        .route("/login/code", get(login::code_form).post(login::code))
        .route("/login/sso", post(oidc::start))
        .route("/login/sso/terug", get(oidc::callback))
        .route("/logout", post(login::logout))
        .route("/sessie/verlengen", get(login::stay))
        .route("/start", get(start::start))
        .route("/nood", get(start::nood))
        .route("/werkruimte", get(workspace::workspace))
        .route(
            "/werkruimte/waarneming",
            get(cover::cover_page).post(cover::name_cover),
        )
        .route(
            "/werkruimte/waarneming/{cover}/beeindigen",
            post(cover::end_cover),
        )
        .route("/evaluatie", get(reports::report))
        .route("/evaluatie/csv", get(reports::csv))
        .route(
            "/evaluatie/jaar",
            get(duties::annual).post(duties::save_annual),
        )
        .route("/meldcode", get(duties::meldcode))
        .route("/meldcode/gelezen", post(duties::acknowledge))
        .route(
            "/beheer/meldcode",
            get(duties::edit_meldcode).post(duties::publish_meldcode),
        )
        .route("/organisatie", get(duties::organisation))
        .route("/privacy", get(privacy::log))
        .route("/leerlingen/{pupil}/inzage", get(inspection::inspection))
        .route(
            "/leerlingen/{pupil}/inzage/beoordelen",
            get(inspection::review).post(inspection::mark),
        )
        .route(
            "/leerlingen/{pupil}/inzage/beoordelen/intrekken",
            post(inspection::withdraw),
        )
        .route("/account", get(account::account))
        .route(
            "/account/meldingen",
            get(account::alerts_form).post(account::save_alerts),
        )
        .route("/account/wachtwoord", post(account::change_password))
        .route("/account/sessie/beeindigen", post(account::end_session))
        .route("/account/pogingen-gezien", post(account::attempts_seen))
        .route(
            "/bevestigen",
            get(account::confirm_form).post(account::confirm),
        )
        .route(
            "/account/tweestaps",
            get(account::two_factor).post(account::enable_two_factor),
        )
        .route(
            "/account/tweestaps/herstelcodes",
            post(account::renew_codes),
        )
        .route("/account/tweestaps/uit", post(account::disable_two_factor))
        .route("/dossiers/{id}/toegang", get(privacy::dossier_log))
        .route("/organisatie/training", post(duties::add_training))
        .route("/setup/{token}", get(setup::form).post(setup::submit))
        .route(
            "/activeren/{token}",
            get(activate::form).post(activate::submit),
        )
        .merge(beheer::router())
        .merge(dossiers::router())
        .fallback(not_found)
        .layer(from_fn_with_state(state.clone(), guard::session_guard))
        .layer(sessions);

    Router::new()
        .route("/healthz", get(health::healthz))
        .route("/static/style.css", get(assets::style))
        .route("/static/favicon.svg", get(assets::icon))
        .route("/static/app.js", get(assets::script))
        .merge(pages)
        .layer(axum::middleware::from_fn(run_to_completion))
        .layer(RequestBodyLimitLayer::new(guard::MAX_UPLOAD_BYTES))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            Duration::from_secs(30),
        ))
        .layer(from_fn_with_state(state.clone(), headers::security_headers))
        .layer(
            TraceLayer::new_for_http().make_span_with(|req: &Request<_>| {
                // Only the first segment of the path: later segments can hold a one-time token.
                let section = req.uri().path().split('/').nth(1).unwrap_or("");
                tracing::info_span!("request", method = %req.method(), section = %section)
            }),
        )
        .with_state(state)
}

/// Runs the request in a task of its own, so that it finishes even when the client goes away or
/// the timeout answers first: a teacher's entry that reached the server is stored, and no
/// transaction is cut off halfway. (sqlx 0.8 can leave a connection inside a transaction when a
/// future is dropped at the wrong moment, issue 3932 of sqlx; a request is never dropped now.)
async fn run_to_completion(
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use tracing::Instrument;
    match tokio::spawn(next.run(req).in_current_span()).await {
        Ok(res) => res,
        Err(e) => {
            tracing::error!(error = %e, "request task failed");
            error::error_page(StatusCode::INTERNAL_SERVER_ERROR)
        }
    }
}

async fn not_found() -> AppError {
    AppError::NotFound
}
