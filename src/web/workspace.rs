//! The aandachtsfunctionaris's workspace: every open dossier of their schools with what is
//! overdue, and the queue of teachers' requests for a consultation.

use crate::domain::ids::RequestId;
use crate::domain::ids::{SchoolId, TransferId};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use serde::Deserialize;

use super::access::{Coordinator, schools_as};
use super::dossiers::viewer;
use super::error::Result;
use super::format::{date_nl, moment_nl, today_nl};
use super::page::PageCtx;
use crate::app::AppState;
use crate::domain::ids::DossierId;
use crate::domain::risk::{RiskFilter, RiskLevel, shown};
use crate::domain::role::Role;

pub struct Row {
    pub id: DossierId,
    pub pupil: String,
    pub school: String,
    pub step: u8,
    pub days_quiet: i64,
    pub overdue: Vec<String>,
    pub requests: i64,
    /// "Melden nodig, nog niet gemeld": days since the weighing that made the report due.
    pub report_due_days: Option<i64>,
    /// The risk level in words ("Niet ingeschat" when no one judged it: `domain::risk`).
    pub risk: &'static str,
    risk_rank: u8,
}

pub struct RequestView {
    pub id: RequestId,
    pub dossier_id: DossierId,
    pub pupil: String,
    pub by: String,
    pub question: String,
    pub when: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "workspace.html")]
pub struct WorkspacePage {
    pub ctx: PageCtx,
    pub rows: Vec<Row>,
    pub requests: Vec<RequestView>,
    /// Dossiers other schools want to hand over: (transfer id, pupil, from school, asked by, when).
    pub transfers: Vec<(TransferId, String, String, String, String)>,
    pub schools: Vec<(SchoolId, String)>,
    pub school: String,
    pub only_overdue: bool,
    pub sort: String,
    /// The risk filter's code (`domain::risk::RiskFilter`), empty for every level.
    pub risk: &'static str,
    pub risk_options: [(&'static str, &'static str); 4],
    pub total: usize,
    /// Where the user stands in for an absent aandachtsfunctionaris today: (whom, school, last
    /// day) (`domain::cover`).
    pub covering: Vec<(String, String, String)>,
    /// Whether the user can name a deputy for their own absence (an aandachtsfunctionaris by
    /// their own role: `domain::area::Area::Waarneming`).
    pub may_plan_cover: bool,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Filter {
    school: String,
    alleen: String,
    sorteer: String,
    risico: String,
}

pub async fn workspace(
    State(state): State<AppState>,
    ctx: PageCtx,
    Coordinator(user): Coordinator,
    Query(f): Query<Filter>,
) -> Result<WorkspacePage> {
    let now = state.clock.unix();
    let today = today_nl(now);
    let v = viewer(&user);
    let quiet = state
        .organisation()
        .await?
        .map(|org| org.quiet())
        .unwrap_or_default();
    let all = state.db.workspace(&v, today, now, quiet).await?;
    let total = all.len();
    let risk = RiskFilter::parse(&f.risico);
    let mut rows: Vec<Row> = all
        .into_iter()
        .filter(|r| f.school.is_empty() || r.header.school_id.to_string() == f.school)
        .filter(|r| {
            f.alleen != "achterstallig" || r.attention.any(r.open_requests) || r.overdue_actions > 0
        })
        .filter(|r| risk.is_none_or(|risk| risk.admits(r.header.risk_level)))
        .map(|r| {
            let mut overdue = Vec::new();
            if let Some(due) = r.attention.review_overdue {
                overdue.push(format!("Evaluatie hulp (sinds {})", date_nl(due)));
            }
            if r.attention.feedback_overdue {
                overdue.push("Terugkoppeling Veilig Thuis".to_string());
            }
            if r.attention.quiet {
                overdue.push(format!("Geen aantekening in {} dagen", quiet.days()));
            }
            match r.attention.standing_still {
                Some(0) => overdue.push(format!(
                    "Na {} dagen nog geen stap doorlopen",
                    (now - r.header.step_reached_at) / (24 * 60 * 60)
                )),
                Some(step) => overdue.push(format!(
                    "Staat stil in stap {step} (al {} dagen)",
                    (now - r.header.step_reached_at) / (24 * 60 * 60)
                )),
                None => {}
            }
            match r.overdue_actions {
                0 => {}
                1 => overdue.push("Actie over de termijn".to_string()),
                n => overdue.push(format!("{n} acties over de termijn")),
            }
            let report_due_days = r
                .attention
                .report_due_since
                .map(|since| (today - today_nl(since)).whole_days().max(0));
            Row {
                report_due_days,
                risk: shown(r.header.risk_level),
                risk_rank: RiskLevel::rank(r.header.risk_level),
                id: r.header.id,
                step: (1..=5).rev().find(|n| r.header.step_done(*n)).unwrap_or(0),
                days_quiet: (now - r.header.last_entry_at) / (24 * 60 * 60),
                pupil: r.header.pupil.name,
                school: r.header.school_name,
                overdue,
                requests: r.open_requests,
            }
        })
        .collect();
    match f.sorteer.as_str() {
        "leerling" => rows.sort_by_key(|r| r.pupil.to_lowercase()),
        "stap" => rows.sort_by_key(|r| r.step),
        "stilte" => rows.sort_by_key(|r| std::cmp::Reverse(r.days_quiet)),
        // The highest risk first; within a level, the store's order (overdue first).
        "risico" => rows.sort_by_key(|r| std::cmp::Reverse(r.risk_rank)),
        // The default keeps the store's order: overdue first, then the longest quiet.
        _ => {}
    }
    let requests = state
        .db
        .open_requests(&v)
        .await?
        .into_iter()
        .map(|r| RequestView {
            id: r.id,
            dossier_id: r.dossier_id,
            pupil: r.pupil_name,
            by: r.requested_by_name,
            question: r.question,
            when: moment_nl(r.created_at),
        })
        .collect();
    let transfers = state
        .db
        .incoming_transfers(&v)
        .await?
        .into_iter()
        .map(|t| {
            let born = t
                .date_of_birth
                .map(|d| format!(" (geboren {})", date_nl(d)))
                .unwrap_or_default();
            (
                t.id,
                format!("{}{born}", t.pupil_name),
                t.from_school,
                t.requested_by,
                moment_nl(t.requested_at),
            )
        })
        .collect();
    // The user's own schools, and those they stand in for today.
    let mut schools = schools_as(&user, Role::Aandachtsfunctionaris);
    for c in &user.covers {
        if !schools.iter().any(|(id, _)| *id == c.school_id) {
            schools.push((c.school_id, c.school_name.clone()));
        }
    }
    let covering = user
        .covers
        .iter()
        .map(|c| {
            (
                c.absent_name.clone(),
                c.school_name.clone(),
                date_nl(c.period.until),
            )
        })
        .collect();
    Ok(WorkspacePage {
        covering,
        may_plan_cover: user.may_enter(crate::domain::area::Area::Waarneming),
        ctx,
        rows,
        requests,
        transfers,
        schools,
        school: f.school,
        only_overdue: f.alleen == "achterstallig",
        sort: f.sorteer,
        risk: risk.map_or("", RiskFilter::code),
        risk_options: RiskFilter::OPTIONS,
        total,
    })
}
