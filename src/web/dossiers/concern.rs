//! One dossier per concern (domain::merge): merging a second dossier about a pupil into the
//! first, and the pupil's chronology across all their dossiers, for the one who coordinates.

use super::*;
use crate::domain::merge::{self, Side};

/// A dossier as the merge page names it.
pub struct MergeSide {
    pub id: DossierId,
    pub opened: String,
    pub opened_by: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "dossiers/merge.html")]
pub struct MergePage {
    pub ctx: PageCtx,
    pub pupil: String,
    pub keep: MergeSide,
    pub gone: MergeSide,
    /// Why the merge cannot be done now (domain::merge::refusals); empty when it can.
    pub refusals: Vec<&'static str>,
    pub note: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct MergeQuery {
    met: String,
}

fn side_of(access: &DossierAccess) -> Side {
    let d = access.dossier();
    Side {
        id: d.id,
        pupil: d.pupil.id,
        route: d.route,
        open: d.open,
        report_due: d.report_due_since.is_some(),
        awaiting: d.feedback_due.is_some() || d.review_due.is_some(),
        role: access.role(),
    }
}

fn merge_side(access: &DossierAccess) -> MergeSide {
    let d = access.dossier();
    MergeSide {
        id: d.id,
        opened: crate::web::format::date_nl(today_nl(d.opened_at)),
        opened_by: d.opened_by_name.clone(),
    }
}

/// Opens both dossiers of a merge: the one this page is about, and the other (`met`).
async fn both(
    state: &AppState,
    user: &CurrentUser,
    id: &str,
    other: &str,
    purpose: Purpose,
) -> Result<(DossierAccess, DossierAccess)> {
    let keep = open(state, user, id, purpose).await?;
    let gone = open(state, user, other, purpose).await?;
    Ok((keep, gone))
}

fn merge_page(
    ctx: PageCtx,
    keep: &DossierAccess,
    gone: &DossierAccess,
    refusals: Vec<&'static str>,
    note: String,
) -> MergePage {
    MergePage {
        ctx,
        pupil: keep.dossier().pupil.name.clone(),
        keep: merge_side(keep),
        gone: merge_side(gone),
        refusals,
        note,
    }
}

/// The merge, explained, with its button; or why it cannot be done now.
pub async fn merge_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    DossierWorker(user): DossierWorker,
    Path(id): Path<String>,
    Query(q): Query<MergeQuery>,
) -> Result<MergePage> {
    let (keep, gone) = both(&state, &user, &id, &q.met, Purpose::Read).await?;
    let refusals = merge::refusals(&side_of(&keep), &side_of(&gone));
    Ok(merge_page(ctx, &keep, &gone, refusals, String::new()))
}

pub async fn merge_post(
    State(state): State<AppState>,
    ctx: PageCtx,
    DossierWorker(user): DossierWorker,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response> {
    let values = values_of(&body);
    let note = first(&values, "toelichting").to_string();
    let (keep, gone) = both(&state, &user, &id, first(&values, "met"), Purpose::Write).await?;
    if note.chars().count() > 2000 {
        let page = merge_page(
            ctx,
            &keep,
            &gone,
            vec!["De toelichting is te lang: houd haar onder de 2000 tekens."],
            note,
        );
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    }
    match state
        .db
        .merge_dossiers(&keep, &gone, &note, state.clock.unix())
        .await?
    {
        Ok(()) => Ok(
            Redirect::to(&urls::dossier_notice(keep.id(), PageNotice::Samengevoegd))
                .into_response(),
        ),
        Err(refusals) => {
            let page = merge_page(ctx, &keep, &gone, refusals, note);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

/// One entry in the pupil's chronology, with the dossier it belongs to.
pub struct PupilEntry {
    pub dossier: DossierId,
    pub id: EntryId,
    pub label: &'static str,
    pub step: Option<u8>,
    pub author: String,
    pub role: &'static str,
    pub when: String,
    pub at: i64,
    pub fields: Vec<(&'static str, String)>,
}

#[derive(Template, WebTemplate)]
#[template(path = "dossiers/pupil.html")]
pub struct PupilPage {
    pub ctx: PageCtx,
    pub dossier: DossierId,
    pub pupil: String,
    /// The dossiers in it: (id, opened on, open).
    pub dossiers: Vec<(DossierId, String, bool)>,
    /// Every entry of those dossiers, newest first.
    pub entries: Vec<PupilEntry>,
}

/// The pupil's chronology across every dossier about them that the coordinator may see: each
/// dossier is opened (decided and audited) as its own page would be.
pub async fn pupil_chronology(
    State(state): State<AppState>,
    ctx: PageCtx,
    DossierWorker(user): DossierWorker,
    Path(id): Path<String>,
) -> Result<PupilPage> {
    let access = open(&state, &user, &id, Purpose::Read).await?;
    if !second_line(&access) {
        // Only the coordinator learns that a pupil has other dossiers (domain::access).
        return Err(AppError::NotFound);
    }
    let others = state.db.other_dossiers(&access, &viewer(&user)).await?;
    let mut accesses = vec![access];
    for o in others {
        if let Some(a) = state
            .db
            .open_dossier(
                &viewer(&user),
                o.header.id,
                Purpose::Read,
                state.clock.unix(),
                user.address.as_deref(),
            )
            .await?
        {
            accesses.push(a);
        }
    }
    let mut dossiers = Vec::new();
    let mut entries = Vec::new();
    for a in &accesses {
        let d = a.dossier();
        dossiers.push((
            d.id,
            crate::web::format::date_nl(today_nl(d.opened_at)),
            d.open,
        ));
        for e in state.db.entries(a).await? {
            entries.push(PupilEntry {
                dossier: d.id,
                id: e.id,
                label: e.kind.label(),
                step: e.kind.step().map(Step::number),
                author: e.author_name.clone(),
                role: role_label(e.author_role),
                when: moment_nl(e.created_at),
                at: e.created_at,
                fields: entry::display(e.kind, &e.body)
                    .into_iter()
                    .map(|(l, v)| (l, date_or_text(e.kind, l, v)))
                    .collect(),
            });
        }
    }
    dossiers.sort_by_key(|d| d.0);
    // Newest first.
    entries.sort_by_key(|e| std::cmp::Reverse((e.at, e.dossier, e.id)));
    let first = &accesses[0];
    Ok(PupilPage {
        ctx,
        dossier: first.id(),
        pupil: first.dossier().pupil.name.clone(),
        dossiers,
        entries,
    })
}
