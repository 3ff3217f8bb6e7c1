//! The one error type of the web layer. Its response is a calm Dutch page in the application's own
//! layout; the real cause goes to the log, never to the page.

use askama::Template;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

use super::page::PageCtx;

pub type Result<T, E = AppError> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// Not logged in (or the session ended): go to the login page.
    #[error("login required")]
    LoginRequired,
    /// The session just ended by time (idle or absolute): to the login page, which says so.
    #[error("session ended")]
    SessionEnded,
    /// The user may not do this, and may know that the thing exists.
    #[error("forbidden")]
    Forbidden,
    /// Not found, or not to be known to exist by this user.
    #[error("not found")]
    NotFound,
    /// A one-time link that is unknown, expired or used.
    #[error("link no longer valid")]
    LinkInvalid,
    #[error("too many requests")]
    TooManyRequests,
    /// A login through the organisation's identity provider was refused or could not be finished
    /// (`web::oidc`): the page says `message`, a fixed Dutch text; `cause` goes to the log.
    #[error("sign-in through the identity provider: {cause}")]
    SignIn {
        status: StatusCode,
        message: &'static str,
        cause: String,
    },
    /// The password must be confirmed first (exports, role changes); then back to this path.
    #[error("password confirmation needed")]
    Reauth(String),
    /// A database error: 503 when the database cannot be reached now (see
    /// `store::is_unavailable`), otherwise 500.
    #[error("database: {0}")]
    Store(#[from] sqlx::Error),
    /// The session store could not reach the database.
    #[error("database unavailable: {0}")]
    Unavailable(String),
    #[error("internal: {0}")]
    Internal(#[from] anyhow::Error),
}

/// A session store failure is an internal error, or an outage when the database could not be
/// reached (the store marks those): the cause goes to the log.
impl From<tower_sessions::session::Error> for AppError {
    fn from(e: tower_sessions::session::Error) -> AppError {
        let message = e.to_string();
        if message.contains(crate::store::sessions::UNAVAILABLE) {
            AppError::Unavailable(message)
        } else {
            AppError::Internal(anyhow::anyhow!("session: {message}"))
        }
    }
}

#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage {
    pub ctx: PageCtx,
    pub title: &'static str,
    pub message: &'static str,
}

/// Marks a response as one of our error pages, so that the session guard can render it again
/// with the user's menu and logout button (this function has no request at hand).
#[derive(Debug, Clone, Copy)]
pub struct ErrorStatus(pub StatusCode);

/// Renders the error page for a status, with the fixed Dutch text that belongs to it.
pub fn error_page(status: StatusCode) -> Response {
    error_page_with(status, PageCtx::fallback())
}

/// The error page in the layout of the given context.
pub fn error_page_with(status: StatusCode, ctx: PageCtx) -> Response {
    let (title, message) = match status {
        StatusCode::FORBIDDEN => (
            "Geen toegang",
            "U heeft geen toegang tot deze pagina. Denkt u dat dit niet klopt? Neem contact op met de beheerder van uw school.",
        ),
        StatusCode::NOT_FOUND => (
            "Pagina niet gevonden",
            "Deze pagina bestaat niet, of u heeft er geen toegang toe. Controleer het adres of ga terug naar de startpagina.",
        ),
        StatusCode::GONE => (
            "Deze link werkt niet meer",
            "De link is al gebruikt of verlopen. Vraag de beheerder om een nieuwe link.",
        ),
        StatusCode::PAYLOAD_TOO_LARGE => (
            "Te veel tekst",
            "Wat u verstuurde is groter dan Meldcode aanneemt. Ga terug, maak de tekst korter of verdeel hem over meer aantekeningen.",
        ),
        StatusCode::TOO_MANY_REQUESTS => (
            "Even wachten",
            "Er kwamen te veel verzoeken tegelijk binnen. Wacht een minuut en probeer het dan opnieuw.",
        ),
        StatusCode::METHOD_NOT_ALLOWED => (
            "Dit kan zo niet",
            "Deze pagina kan niet op deze manier worden geopend. Ga terug en gebruik de knoppen op de pagina.",
        ),
        s if s.is_client_error() => (
            "Dit verzoek klopt niet",
            "Meldcode kon dit verzoek niet verwerken. Ga terug en probeer het opnieuw.",
        ),
        StatusCode::SERVICE_UNAVAILABLE => (
            "Meldcode is even niet bereikbaar",
            "Meldcode kan de gegevens nu niet bereiken. Wat u zojuist verstuurde, is misschien niet opgeslagen: ga terug, bewaar uw tekst ergens en probeer het over een paar minuten opnieuw. Is er acuut gevaar? Bel 112. Voor advies of een melding kunt u altijd Veilig Thuis bellen: 0800-2000, gratis, dag en nacht.",
        ),
        _ => (
            "Er ging iets mis",
            "Er ging aan onze kant iets mis. Er is niets opgeslagen van deze laatste handeling. Probeer het opnieuw; lukt het niet, meld het dan bij de beheerder.",
        ),
    };
    render(status, ctx, title, message)
}

/// The error page with its title and text.
fn render(
    status: StatusCode,
    ctx: PageCtx,
    title: &'static str,
    message: &'static str,
) -> Response {
    let page = ErrorPage {
        ctx,
        title,
        message,
    };
    match page.render() {
        Ok(html) => {
            let mut res = (status, axum::response::Html(html)).into_response();
            res.extensions_mut().insert(ErrorStatus(status));
            res
        }
        Err(e) => {
            tracing::error!(error = %e, "error page did not render");
            (status, title).into_response()
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        match self {
            AppError::LoginRequired => {
                Redirect::to(crate::web::urls::path::LOGIN_REQUIRED).into_response()
            }
            AppError::SessionEnded => {
                Redirect::to(crate::web::urls::path::LOGIN_SESSION_EXPIRED).into_response()
            }
            AppError::Forbidden => error_page(StatusCode::FORBIDDEN),
            AppError::NotFound => error_page(StatusCode::NOT_FOUND),
            AppError::LinkInvalid => error_page(StatusCode::GONE),
            AppError::TooManyRequests => error_page(StatusCode::TOO_MANY_REQUESTS),
            AppError::SignIn {
                status,
                message,
                cause,
            } => {
                tracing::warn!(cause = %cause, "login through the identity provider refused");
                render(
                    status,
                    PageCtx::fallback(),
                    "Inloggen is niet gelukt",
                    message,
                )
            }
            AppError::Reauth(back) => {
                Redirect::to(&super::urls::confirm_password(&back)).into_response()
            }
            AppError::Store(e) if crate::store::is_unavailable(&e) => {
                tracing::error!(error = %e, "database unavailable");
                error_page(StatusCode::SERVICE_UNAVAILABLE)
            }
            AppError::Store(e) => {
                tracing::error!(error = %e, "database error");
                error_page(StatusCode::INTERNAL_SERVER_ERROR)
            }
            AppError::Unavailable(e) => {
                tracing::error!(error = %e, "database unavailable");
                error_page(StatusCode::SERVICE_UNAVAILABLE)
            }
            AppError::Internal(e) => {
                tracing::error!(error = %e, "internal error");
                error_page(StatusCode::INTERNAL_SERVER_ERROR)
            }
        }
    }
}
