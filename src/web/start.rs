//! The start page after login, which depends on the user's roles, and the emergency route.

use crate::domain::ids::{ActionId, RequestId};
use askama::Template;
use askama_web::WebTemplate;
use axum::Extension;
use axum::extract::State;

use super::error::Result;
use super::format::moment_nl;
use crate::app::AppState;
use crate::domain::ids::DossierId;
use axum::response::{IntoResponse, Redirect, Response};

use super::guard::CurrentUser;
use super::page::PageCtx;
use crate::domain::area::Area;
use crate::domain::notification::Notice;
use crate::domain::role::Role;
use crate::store::users::RoleAt;

/// `/`: the start page for a logged-in user, the login page for anyone else.
pub async fn root(user: Option<Extension<CurrentUser>>) -> Redirect {
    if user.is_some() {
        Redirect::to(crate::web::urls::path::START)
    } else {
        Redirect::to(crate::web::urls::path::LOGIN)
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "start.html")]
pub struct StartPage {
    pub ctx: PageCtx,
    pub name: String,
    pub roles: Vec<RoleAt>,
    pub beroepskracht: bool,
    pub aandachtsfunctionaris: bool,
    pub directie: bool,
    pub beheerder: bool,
    /// What needs the user's attention: (dossier, text, pupil, when).
    pub notifications: Vec<(DossierId, &'static str, String, String)>,
    /// A (new) version of the organisation's meldcode waits for the user to read it.
    pub must_read: bool,
    /// Directie: open requests for a consultation on staff dossiers: (dossier, request, pupil,
    /// asked by, question, when).
    pub staff_requests: Vec<(DossierId, RequestId, String, String, String, String)>,
    /// The user's open actions, soonest due first: (dossier, action, pupil, what, due, overdue).
    pub actions: Vec<(DossierId, ActionId, String, String, String, bool)>,
    /// Where the user stands in, or will, for an absent aandachtsfunctionaris (`domain::cover`):
    /// (whom, school, first day, last day, in force today).
    pub covers: Vec<(String, String, String, String, bool)>,
}

/// What the start page says of a notification. A code no kind has (none is stored) reads as the
/// most general one.
fn notification_text(code: &str) -> &'static str {
    Notice::parse(code).map_or("Er is iets nieuws in een dossier", Notice::label)
}

pub async fn start(
    State(state): State<AppState>,
    ctx: PageCtx,
    user: CurrentUser,
) -> Result<Response> {
    let has = |r| user.has_role(r);
    // A beheerder who holds no other role has nothing to do with dossiers: their start page is
    // the management page.
    let dossier_work = user.may_enter(Area::Dossiers);
    if has(Role::Beheerder) && !dossier_work {
        return Ok(Redirect::to(crate::web::urls::path::BEHEER).into_response());
    }
    if has(Role::Privacy) && !dossier_work {
        return Ok(Redirect::to(crate::web::urls::path::PRIVACY).into_response());
    }
    // Only about dossiers the user may see now (a role can have ended since), with the pupil's
    // name, as the dossier list shows it.
    let viewer = super::dossiers::viewer(&user);
    let notifications = state
        .db
        .notifications(&viewer)
        .await?
        .into_iter()
        .map(|n| {
            (
                n.dossier_id,
                notification_text(&n.kind),
                n.pupil_name,
                moment_nl(n.created_at),
            )
        })
        .collect();
    let must_read = super::duties::must_read(&state, &user).await?;
    // On the staff route a request for a consultation goes to directie (who may see the dossier).
    let staff_requests = state
        .db
        .open_staff_requests(&viewer)
        .await?
        .into_iter()
        .map(|r| {
            (
                r.dossier_id,
                r.id,
                r.pupil_name,
                r.requested_by_name,
                r.question,
                moment_nl(r.created_at),
            )
        })
        .collect();
    let today = crate::clock::today_nl(state.clock.unix());
    let actions = state
        .db
        .my_open_actions(&viewer)
        .await?
        .into_iter()
        .map(|a| {
            let due = a.due_date();
            (
                a.dossier_id,
                a.id,
                a.pupil,
                a.what,
                due.map_or(a.due.clone(), crate::domain::dates::date_nl),
                due.is_some_and(|d| crate::domain::action::overdue(d, today)),
            )
        })
        .collect();
    // Named deputy: the start page shows the cover itself (its notification names no school).
    let covers = if dossier_work {
        state.db.covers_of_deputy(user.user.id, today).await?
    } else {
        Vec::new()
    }
    .into_iter()
    .map(|c| {
        let active = crate::domain::cover::is_active(c.period, c.ended, today);
        (
            c.absent_name,
            c.school_name,
            crate::domain::dates::date_nl(c.period.from),
            crate::domain::dates::date_nl(c.period.until),
            active,
        )
    })
    .collect();
    Ok(StartPage {
        covers,
        actions,
        must_read,
        staff_requests,
        notifications,
        beroepskracht: has(Role::Beroepskracht),
        aandachtsfunctionaris: has(Role::Aandachtsfunctionaris),
        directie: has(Role::Directie),
        beheerder: has(Role::Beheerder),
        name: user.user.name.clone(),
        roles: user.roles.clone(),
        ctx,
    }
    .into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "nood.html")]
pub struct NoodPage {
    pub ctx: PageCtx,
}

/// The emergency route (noodsituatie): reachable from every page, also without logging in, and
/// also while the database cannot be reached (then with the numbers last read, or the national
/// ones).
pub async fn nood(
    State(state): State<AppState>,
    ctx: std::result::Result<PageCtx, super::error::AppError>,
) -> NoodPage {
    let ctx = match ctx {
        Ok(ctx) => ctx,
        Err(e) => {
            tracing::warn!(error = %e, "emergency page without the database");
            PageCtx::offline(state.last_known_organisation().await.as_ref())
        }
    };
    NoodPage { ctx }
}
