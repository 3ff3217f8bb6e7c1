//! The organisation's own signal lists per age band.

use super::*;

pub struct SignalListView {
    pub band: &'static str,
    pub label: &'static str,
    pub own: bool,
    pub text: String,
    pub error: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "beheer/signals.html")]
pub struct SignalListsPage {
    pub ctx: PageCtx,
    pub lists: Vec<SignalListView>,
    pub notice: Option<&'static str>,
}

pub(super) async fn signal_list_views(
    state: &AppState,
    org_id: i64,
) -> Result<Vec<SignalListView>> {
    let mut views = Vec::new();
    for band in AgeBand::ALL {
        let (list, own) = state.db.signal_list(org_id, band).await?;
        views.push(SignalListView {
            band: band.code(),
            label: band.label(),
            own,
            text: list.to_text(),
            error: None,
        });
    }
    Ok(views)
}

/// The organisation's own signal lists, one per age band; without one, the default serves.
pub async fn signal_lists(
    State(state): State<AppState>,
    ctx: PageCtx,
    b: Beheerder,
    Query(q): Query<Melding>,
) -> Result<SignalListsPage> {
    let org = organisation(&state, &b).await?;
    let lists = signal_list_views(&state, org.id).await?;
    Ok(SignalListsPage {
        ctx,
        lists,
        notice: notice(&q.melding),
    })
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct SignalListForm {
    band: String,
    lijst: String,
}

pub async fn save_signal_list(
    State(state): State<AppState>,
    ctx: PageCtx,
    b: Beheerder,
    Form(form): Form<SignalListForm>,
) -> Result<Response> {
    let org = organisation(&state, &b).await?;
    let band = AgeBand::parse(&form.band).ok_or(AppError::NotFound)?;
    match List::parse(&form.lijst) {
        Ok(list) => {
            state
                .db
                .save_signal_list(org.id, band, &list, b.0.user.id, state.clock.unix())
                .await?;
            audit(&state, &b, Event::SignalListChanged, band.code()).await?;
            Ok(Redirect::to(crate::web::urls::path::BEHEER_SIGNALS_SAVED).into_response())
        }
        Err(message) => {
            let mut lists = signal_list_views(&state, org.id).await?;
            if let Some(view) = lists.iter_mut().find(|v| v.band == band.code()) {
                view.text = form.lijst;
                view.error = Some(message);
            }
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                SignalListsPage {
                    ctx,
                    lists,
                    notice: None,
                },
            )
                .into_response())
        }
    }
}

pub async fn reset_signal_list(
    State(state): State<AppState>,
    b: Beheerder,
    Form(form): Form<SignalListForm>,
) -> Result<Response> {
    let org = organisation(&state, &b).await?;
    let band = AgeBand::parse(&form.band).ok_or(AppError::NotFound)?;
    state.db.reset_signal_list(org.id, band).await?;
    audit(&state, &b, Event::SignalListChanged, band.code()).await?;
    Ok(Redirect::to(crate::web::urls::path::BEHEER_SIGNALS_RESET).into_response())
}
