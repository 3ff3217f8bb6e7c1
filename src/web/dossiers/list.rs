//! The dossier list: the dossiers the user may see, open ones first, with a search by name or
//! group, filters and pages (`domain::listing`).

use super::*;
use crate::domain::listing::{self, ListQuery, Status};
use crate::domain::risk::RiskFilter;

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
    pub query: ListQuery,
    pub statuses: [Status; 3],
    /// The steps to filter on, and whether it is the one chosen.
    pub step_choices: Vec<(u8, bool)>,
    /// The risk levels to filter on (`domain::risk::RiskFilter`): (code, label, chosen).
    pub risk_choices: Vec<(&'static str, &'static str, bool)>,
    pub current_page: i64,
    /// How many dossiers match, over all pages.
    pub total: i64,
    /// The numbers of the first and last dossier on this page (1-based).
    pub first: i64,
    pub last: i64,
    pub pages: i64,
    /// The addresses of the previous and next page, with the same search and filters.
    pub previous: Option<String>,
    pub next: Option<String>,
}

/// The list's search and filters as the address carries them.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ListParams {
    zoek: String,
    stand: String,
    stap: String,
    te_laat: String,
    risico: String,
    pagina: String,
}

impl ListParams {
    fn query(&self) -> ListQuery {
        ListQuery::parse(
            &self.zoek,
            &self.stand,
            &self.stap,
            &self.te_laat,
            &self.pagina,
        )
        .with_risk(&self.risico)
    }
}

/// The list's address for `page` of this search.
fn page_url(q: &ListQuery, page: i64) -> String {
    let mut parts: Vec<(&str, String)> = Vec::new();
    if !q.typed.is_empty() {
        parts.push(("zoek", q.typed.clone()));
    }
    if q.status != Status::All {
        parts.push(("stand", q.status.code().to_string()));
    }
    if let Some(s) = q.step {
        parts.push(("stap", s.to_string()));
    }
    if q.overdue {
        parts.push(("te_laat", "ja".to_string()));
    }
    if let Some(r) = q.risk {
        parts.push(("risico", r.code().to_string()));
    }
    if page > 1 {
        parts.push(("pagina", page.to_string()));
    }
    match serde_urlencoded::to_string(&parts) {
        Ok(query) if !query.is_empty() => format!("/dossiers?{query}"),
        _ => "/dossiers".to_string(),
    }
}

pub async fn list(
    State(state): State<AppState>,
    ctx: PageCtx,
    DossierWorker(user): DossierWorker,
    Query(params): Query<ListParams>,
) -> Result<DossierList> {
    let query = params.query();
    let (summaries, total) = state
        .db
        .dossier_page(&viewer(&user), &query, today_nl(state.clock.unix()))
        .await?;
    let pages = listing::pages(total);
    let first = if summaries.is_empty() {
        0
    } else {
        query.offset() + 1
    };
    let last = query.offset() + summaries.len() as i64;
    let rows = summaries
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
    Ok(DossierList {
        ctx,
        rows,
        previous: (query.page > 1).then(|| page_url(&query, (query.page - 1).min(pages))),
        next: (query.page < pages).then(|| page_url(&query, query.page + 1)),
        statuses: Status::ALL,
        step_choices: (1..=5).map(|n| (n, query.step == Some(n))).collect(),
        risk_choices: RiskFilter::OPTIONS
            .into_iter()
            .map(|(code, label)| (code, label, query.risk.map(RiskFilter::code) == Some(code)))
            .collect(),
        current_page: query.page.min(pages),
        query,
        total,
        first,
        last,
        pages,
    })
}
