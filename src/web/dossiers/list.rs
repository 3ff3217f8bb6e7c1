//! The dossier list: the dossiers the user may see, open ones first.

use super::*;

pub struct ListRow {
    pub id: DossierId,
    pub pupil: String,
    pub school: String,
    pub open: bool,
    pub staff_route: bool,
    pub emergency: bool,
    pub steps: Vec<(u8, bool)>,
    pub last_activity: String,
    /// The user's request for a consultation waits for an answer.
    pub awaiting_answer: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "dossiers/list.html")]
pub struct DossierList {
    pub ctx: PageCtx,
    pub rows: Vec<ListRow>,
}

pub async fn list(
    State(state): State<AppState>,
    ctx: PageCtx,
    DossierWorker(user): DossierWorker,
) -> Result<DossierList> {
    let rows = state
        .db
        .dossiers_for(&viewer(&user))
        .await?
        .into_iter()
        .map(|s| ListRow {
            id: s.header.id,
            pupil: s.header.pupil.name.clone(),
            school: s.header.school_name.clone(),
            open: s.header.open,
            staff_route: s.header.route == Route::Medewerker,
            emergency: s.header.emergency,
            awaiting_answer: s.awaiting_answer,
            steps: Step::ALL
                .iter()
                .map(|st| (st.number(), s.steps_done.contains(&st.number())))
                .collect(),
            last_activity: moment_nl(s.header.last_entry_at),
        })
        .collect();
    Ok(DossierList { ctx, rows })
}
