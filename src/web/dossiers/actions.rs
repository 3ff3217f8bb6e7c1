//! Actions with deadlines on a dossier (`domain::action`): the list on the dossier page, the form
//! that assigns one and the form that records it done or not done.

use super::*;
use crate::domain::action::{self, Outcome};
use crate::domain::dates::date_nl;
use crate::domain::ids::ActionId;
use crate::domain::ids::UserId;
use crate::store::dossiers::{ActionRow, Closed};

/// An action as the dossier page lists it.
pub struct ActionView {
    pub id: ActionId,
    pub what: String,
    pub assignee: String,
    pub due: String,
    pub overdue: bool,
    pub assigned_by: String,
    /// "Gedaan" or "Niet gedaan" once closed.
    pub outcome: Option<&'static str>,
    /// Whether the viewer may record it done or not done.
    pub may_close: bool,
}

/// The dossier's actions, for its page.
#[derive(Default)]
pub struct ActionsView {
    pub open: Vec<ActionView>,
    pub closed: Vec<ActionView>,
    pub may_assign: bool,
}

/// Whether the viewer may assign actions on this dossier: its coordinator or its case manager.
fn may_assign(access: &DossierAccess, case_manager: Option<UserId>) -> bool {
    access.dossier().open
        && action::may_assign(
            access.role(),
            access.dossier().route,
            case_manager == Some(access.user_id()),
        )
}

fn view(a: &ActionRow, viewer: UserId, may_assign: bool, today: time::Date) -> ActionView {
    ActionView {
        id: a.id,
        what: a.what.clone(),
        assignee: a.assignee_name.clone(),
        due: a.due_date().map_or(a.due.clone(), date_nl),
        overdue: a.closed_at.is_none() && a.due_date().is_some_and(|d| action::overdue(d, today)),
        assigned_by: a.assigned_by_name.clone(),
        outcome: a.outcome.as_deref().map(|o| match Outcome::parse(o) {
            Some(Outcome::Gedaan) => "Gedaan",
            _ => "Niet gedaan",
        }),
        may_close: a.closed_at.is_none() && action::may_close(a.assignee == viewer, may_assign),
    }
}

/// The actions section of the dossier page.
pub(super) async fn actions_view(
    state: &AppState,
    access: &DossierAccess,
    case_manager: Option<UserId>,
) -> Result<ActionsView> {
    let may_assign = may_assign(access, case_manager);
    let today = today_nl(state.clock.unix());
    let (open, closed): (Vec<ActionRow>, Vec<ActionRow>) = state
        .db
        .dossier_actions(access)
        .await?
        .into_iter()
        .partition(|a| a.closed_at.is_none());
    let me = access.user_id();
    Ok(ActionsView {
        open: open
            .iter()
            .map(|a| view(a, me, may_assign, today))
            .collect(),
        closed: closed
            .iter()
            .map(|a| view(a, me, may_assign, today))
            .collect(),
        may_assign,
    })
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct AssignForm {
    pub voor: String,
    pub wat: String,
    pub termijn: String,
    pub werkdagen: String,
    pub uiterlijk: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "dossiers/action_new.html")]
pub struct AssignPage {
    pub ctx: PageCtx,
    pub o: Overview,
    pub form: AssignForm,
    pub errors: Errors,
    /// Who may get the action: (id, name, chosen).
    pub people: Vec<(UserId, String, bool)>,
    pub me: UserId,
}

/// The dossier, its overview and the case manager, for the action pages.
async fn dossier_for_actions(
    state: &AppState,
    user: &CurrentUser,
    id: &str,
    purpose: Purpose,
) -> Result<(DossierAccess, Overview, Option<UserId>)> {
    let access = open(state, user, id, purpose).await?;
    let records = state.db.entries(&access).await?;
    let o = overview(
        access.dossier().clone(),
        &records,
        today_nl(state.clock.unix()),
    );
    let case_manager = state
        .db
        .circle(&access, false)
        .await?
        .case_manager
        .map(|c| c.id);
    Ok((access, o, case_manager))
}

async fn assign_page(
    state: &AppState,
    ctx: PageCtx,
    access: &DossierAccess,
    o: Overview,
    form: AssignForm,
    errors: Errors,
) -> Result<AssignPage> {
    let today = today_nl(state.clock.unix()).to_string();
    let people = state
        .db
        .action_candidates(access, &today)
        .await?
        .into_iter()
        .map(|c| {
            let chosen = c.id.to_string() == form.voor;
            (c.id, c.name, chosen)
        })
        .collect();
    Ok(AssignPage {
        ctx,
        o,
        form,
        errors,
        people,
        me: access.user_id(),
    })
}

/// The form that assigns an action.
pub async fn new_action(
    State(state): State<AppState>,
    ctx: PageCtx,
    DossierWorker(user): DossierWorker,
    Path(id): Path<String>,
) -> Result<AssignPage> {
    let (access, o, case_manager) = dossier_for_actions(&state, &user, &id, Purpose::Read).await?;
    if !may_assign(&access, case_manager) {
        return Err(AppError::Forbidden);
    }
    let form = AssignForm {
        termijn: "werkdagen".into(),
        ..AssignForm::default()
    };
    assign_page(&state, ctx, &access, o, form, Errors::default()).await
}

/// Assigns an action, or shows the form again with the Dutch messages and the typed text.
pub async fn assign(
    State(state): State<AppState>,
    ctx: PageCtx,
    DossierWorker(user): DossierWorker,
    Path(id): Path<String>,
    axum::Form(form): axum::Form<AssignForm>,
) -> Result<Response> {
    let (access, o, case_manager) = dossier_for_actions(&state, &user, &id, Purpose::Write).await?;
    if !may_assign(&access, case_manager) {
        return Err(AppError::Forbidden);
    }
    let today = today_nl(state.clock.unix());
    let candidates = state
        .db
        .action_candidates(&access, &today.to_string())
        .await?;
    let assignee = candidates.iter().find(|c| c.id.to_string() == form.voor);
    let mut errors = Errors::default();
    if assignee.is_none() {
        errors.add(
            "voor",
            "Kies voor wie de actie is: iemand die dit dossier mag zien, of uzelf.",
        );
    }
    let checked = action::check(
        &form.wat,
        &form.termijn,
        &form.uiterlijk,
        &form.werkdagen,
        today,
    );
    if let Err(messages) = &checked {
        for (field, message) in messages {
            errors.add(field, message.clone());
        }
    }
    match (assignee, checked) {
        (Some(assignee), Ok(assignment)) if errors.is_empty() => {
            state
                .db
                .assign_action(&access, assignee, &assignment, state.clock.unix())
                .await?;
            Ok(Redirect::to(&urls::dossier_notice(
                access.id(),
                PageNotice::ActieUitgezet,
            ))
            .into_response())
        }
        _ => {
            let page = assign_page(&state, ctx, &access, o, form, errors).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct CloseForm {
    pub uitkomst: String,
    pub toelichting: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "dossiers/action_close.html")]
pub struct ClosePage {
    pub ctx: PageCtx,
    pub o: Overview,
    pub action: ActionView,
    pub form: CloseForm,
    pub errors: Errors,
}

/// An action of this dossier, as the forms that close it find it.
enum Found {
    /// Open, and the viewer may close it.
    Open(Box<(ActionRow, ActionView)>),
    /// Recorded done or not done already (by someone else meanwhile, perhaps).
    Closed,
}

/// The action of this dossier named in the address: 404 for another dossier's (or no) action,
/// 403 when it is not the viewer's to close.
async fn find_action(
    state: &AppState,
    access: &DossierAccess,
    case_manager: Option<UserId>,
    action: &str,
) -> Result<Found> {
    let action: ActionId = action.parse().map_err(|_| AppError::NotFound)?;
    let row = state
        .db
        .dossier_actions(access)
        .await?
        .into_iter()
        .find(|a| a.id == action)
        .ok_or(AppError::NotFound)?;
    if row.closed_at.is_some() {
        return Ok(Found::Closed);
    }
    let v = view(
        &row,
        access.user_id(),
        may_assign(access, case_manager),
        today_nl(state.clock.unix()),
    );
    if !v.may_close {
        return Err(AppError::Forbidden);
    }
    Ok(Found::Open(Box::new((row, v))))
}

fn already_closed(access: &DossierAccess) -> Response {
    Redirect::to(&urls::dossier_notice(
        access.id(),
        PageNotice::ActieAlAfgerond,
    ))
    .into_response()
}

/// The form that records an action done or not done.
pub async fn close_action_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    DossierWorker(user): DossierWorker,
    Path((id, action)): Path<(String, String)>,
) -> Result<Response> {
    let (access, o, case_manager) = dossier_for_actions(&state, &user, &id, Purpose::Read).await?;
    let Found::Open(found) = find_action(&state, &access, case_manager, &action).await? else {
        return Ok(already_closed(&access));
    };
    let (_, action) = *found;
    Ok(ClosePage {
        ctx,
        o,
        action,
        form: CloseForm::default(),
        errors: Errors::default(),
    }
    .into_response())
}

/// Records the action done or not done: an entry in the chronology.
pub async fn close_action(
    State(state): State<AppState>,
    ctx: PageCtx,
    DossierWorker(user): DossierWorker,
    Path((id, action)): Path<(String, String)>,
    axum::Form(form): axum::Form<CloseForm>,
) -> Result<Response> {
    let (access, o, case_manager) = dossier_for_actions(&state, &user, &id, Purpose::Write).await?;
    // Recorded by someone else meanwhile: the dossier page says so.
    let Found::Open(found) = find_action(&state, &access, case_manager, &action).await? else {
        return Ok(already_closed(&access));
    };
    let (row, view) = *found;
    let mut errors = Errors::default();
    let outcome = Outcome::parse(&form.uitkomst);
    if outcome.is_none() {
        errors.add("uitkomst", "Kies of de actie is gedaan of niet.");
    }
    if form.toelichting.chars().count() > 2000 {
        errors.add("toelichting", "Houd de toelichting korter dan 2000 tekens.");
    }
    let Some(outcome) = outcome.filter(|_| errors.is_empty()) else {
        let page = ClosePage {
            ctx,
            o,
            action: view,
            form,
            errors,
        };
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    };
    let notice = match state
        .db
        .close_action(
            &access,
            &row,
            outcome,
            &form.toelichting,
            state.clock.unix(),
        )
        .await?
    {
        Closed::Recorded => PageNotice::ActieAfgerond,
        Closed::AlreadyClosed => PageNotice::ActieAlAfgerond,
    };
    Ok(Redirect::to(&urls::dossier_notice(access.id(), notice)).into_response())
}
