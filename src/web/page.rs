//! What every page's layout needs: the form token, who is logged in, the menu, and the numbers of
//! the emergency route. Handlers take a [`PageCtx`] and put it in their page struct as `ctx`.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use tower_sessions::Session;

use super::error::AppError;
use super::guard::{AnonymousForm, CurrentUser};
use crate::app::AppState;
use crate::domain::area;

/// The session key of the token every form carries against cross-site request forgery.
pub const CSRF_KEY: &str = "csrf";
/// The session key of the number of failed logins on the account since the previous login: every
/// page says so until the user marks it as seen.
pub const FAILED_ATTEMPTS_KEY: &str = "failed_attempts";

#[derive(Debug, Clone)]
pub struct NavItem {
    pub href: &'static str,
    pub label: &'static str,
    pub current: bool,
}

#[derive(Debug, Clone)]
pub struct PageCtx {
    pub csrf: String,
    pub user_name: Option<String>,
    pub nav: Vec<NavItem>,
    pub veilig_thuis_phone: String,
    /// "Veilig Thuis" or "Veilig Thuis Twente", as the organisation set its region.
    pub veilig_thuis_name: String,
    pub emergency_phone: String,
    pub inspector_phone: String,
    /// Failed logins on the user's account since their previous login, until they say they saw it.
    pub failed_attempts: Option<i64>,
    /// When the session ends without activity, for the notice beside a form (logged in only).
    pub session_ends: Option<SessionEnds>,
    /// The fields of a form kept when the session ended, taken back for this page after the
    /// login (see `web::drafts`): the page fills them in and says they are not yet saved.
    pub restored: Option<Vec<(String, String)>>,
}

/// When the session ends if nothing more happens: shown as a time of day beside forms, and read
/// by the script, which warns [`crate::domain::session::WARN_BEFORE_SECS`] before.
#[derive(Debug, Clone)]
pub struct SessionEnds {
    /// `14:35`, Dutch local time.
    pub at: String,
    pub seconds_left: i64,
    /// Seconds until the warning.
    pub warn_in: i64,
}

impl PageCtx {
    /// The context of a page rendered without a request at hand (error pages): the national
    /// numbers, no user, no menu.
    pub fn fallback() -> PageCtx {
        PageCtx {
            csrf: String::new(),
            user_name: None,
            nav: Vec::new(),
            veilig_thuis_phone: "0800-2000".into(),
            veilig_thuis_name: "Veilig Thuis".into(),
            emergency_phone: "112".into(),
            inspector_phone: "0900-111 3111".into(),
            failed_attempts: None,
            session_ends: None,
            restored: None,
        }
    }

    /// The kept fields restored on this page, as the entry forms read their values.
    pub fn restored_values(&self) -> Option<crate::domain::entry::Values> {
        let fields = self.restored.as_ref()?;
        let mut values = crate::domain::entry::Values::new();
        for (k, v) in fields {
            values.entry(k.clone()).or_default().push(v.clone());
        }
        Some(values)
    }

    pub fn veilig_thuis_tel(&self) -> String {
        Self::tel(&self.veilig_thuis_phone)
    }

    pub fn emergency_tel(&self) -> String {
        Self::tel(&self.emergency_phone)
    }

    pub fn inspector_tel(&self) -> String {
        Self::tel(&self.inspector_phone)
    }

    /// A phone number as a `tel:` link target: digits and a leading + only.
    pub fn tel(number: &str) -> String {
        number
            .chars()
            .filter(|c| c.is_ascii_digit() || *c == '+')
            .collect()
    }
}

/// The menu: the areas of `domain::area` that admit the user, each marked current when the path
/// lies in it. The gates ask the same table, so a menu item never leads to a refusal.
fn nav_for(user: Option<&CurrentUser>, path: &str) -> Vec<NavItem> {
    let Some(user) = user else {
        return Vec::new();
    };
    area::menu_as(&user.role_list(), user.covering())
        .into_iter()
        .filter_map(|a| {
            Some(NavItem {
                href: a.path(),
                label: a.menu_label()?,
                current: a.contains(path),
            })
        })
        .collect()
}

impl PageCtx {
    /// The context for a request: the session's form token (made on first need), the user, the
    /// menu for the path, and the organisation's numbers.
    pub async fn build(
        state: &AppState,
        session: &Session,
        user: Option<&CurrentUser>,
        anonymous: Option<&AnonymousForm>,
        path: &str,
    ) -> Result<PageCtx, AppError> {
        let csrf = match session.get::<String>(CSRF_KEY).await? {
            Some(token) => token,
            None => match (user, anonymous) {
                // Without a login, the token comes from the form cookie: an anonymous visit
                // stores nothing on the server.
                (None, Some(anonymous)) => anonymous.token(),
                _ => {
                    let token = crate::store::tokens::new_token();
                    session.insert(CSRF_KEY, &token).await?;
                    token
                }
            },
        };
        let failed_attempts = match user {
            Some(_) => session.get::<i64>(FAILED_ATTEMPTS_KEY).await?,
            None => None,
        };
        let org = state.organisation().await?;
        let now = state.clock.unix();
        let session_ends = user.map(|u| SessionEnds {
            at: super::format::clock_nl(u.auth.expires_at()),
            seconds_left: u.auth.seconds_left(now),
            warn_in: u.auth.warn_in(now),
        });
        let restored = match user {
            Some(u) => super::drafts::restore(state, session, u, path).await?,
            None => None,
        };
        Ok(PageCtx {
            failed_attempts,
            session_ends,
            restored,
            csrf,
            user_name: user.map(|u| u.user.name.clone()),
            nav: nav_for(user, path),
            ..PageCtx::offline(org.as_ref())
        })
    }

    /// The context with the organisation's numbers (or the national ones), no user and no form
    /// token: for a page made without the database.
    pub fn offline(org: Option<&crate::store::org::Organisation>) -> PageCtx {
        let fallback = PageCtx::fallback();
        PageCtx {
            veilig_thuis_phone: org.map_or(fallback.veilig_thuis_phone, |o| {
                o.veilig_thuis_phone.clone()
            }),
            veilig_thuis_name: org
                .filter(|o| !o.veilig_thuis_region.is_empty())
                .map_or(fallback.veilig_thuis_name, |o| {
                    format!("Veilig Thuis {}", o.veilig_thuis_region)
                }),
            emergency_phone: org.map_or(fallback.emergency_phone, |o| o.emergency_phone.clone()),
            inspector_phone: org.map_or(fallback.inspector_phone, |o| o.inspector_phone.clone()),
            ..fallback
        }
    }
}

impl FromRequestParts<AppState> for PageCtx {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let session = parts
            .extensions
            .get::<Session>()
            .cloned()
            .ok_or_else(|| anyhow::anyhow!("session layer missing"))?;
        let user = parts.extensions.get::<CurrentUser>();
        let anonymous = parts.extensions.get::<AnonymousForm>();
        PageCtx::build(state, &session, user, anonymous, parts.uri.path()).await
    }
}
