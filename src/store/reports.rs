//! Evaluation reports for directie: aggregate SQL over the dossiers of chosen schools and a
//! period. No dossier is loaded into memory and no pupil is named: every query returns counts or
//! durations only.

use crate::domain::ids::SchoolId;
use sqlx::FromRow;

use super::{Db, StoreError};
use crate::domain::dossier::{CloseReason, Form, Step};
use crate::domain::risk::RiskLevel;

/// What a report covers: schools and a period `[from, to)` in unix seconds.
#[derive(Debug, Clone)]
pub struct Scope {
    pub schools: Vec<SchoolId>,
    pub from: i64,
    pub to: i64,
    /// Today (`YYYY-MM-DD`), for overdue reviews.
    pub today: String,
    /// Open dossiers without an entry since this moment count as inactive.
    pub quiet_since: i64,
}

#[derive(Debug, Clone, Default, FromRow)]
pub struct Totals {
    pub opened: i64,
    pub closed: i64,
    pub staff_route: i64,
    pub inactive_30_days: i64,
    pub overdue_reviews: i64,
    pub reported: i64,
}

/// How long until a step was first taken, in seconds after the opening.
#[derive(Debug, Clone)]
pub struct StepTime {
    pub step: Step,
    pub dossiers: i64,
    pub median: Option<i64>,
    pub longest: Option<i64>,
}

#[derive(Debug, Clone, Default)]
pub struct Report {
    pub totals: Totals,
    pub by_form: Vec<(Form, i64)>,
    /// Highest step with an entry (0: none yet).
    pub by_step: Vec<(u8, i64)>,
    /// Outcome code (open, a close reason, or the staff route) and count.
    pub by_outcome: Vec<(&'static str, i64)>,
    pub step_times: Vec<StepTime>,
    /// The risk level kept on the stappenplan dossiers opened in the period (`domain::risk`),
    /// from high to low, then `None`: not judged.
    pub by_risk: Vec<(Option<RiskLevel>, i64)>,
    /// (which conversation, reason code, count)
    pub skipped: Vec<(&'static str, &'static str, i64)>,
}

impl Db {
    pub async fn report(&self, scope: &Scope) -> Result<Report, StoreError> {
        if scope.schools.is_empty() {
            return Ok(Report::default());
        }
        // $1 from, $2 to, then the schools.
        let schools = super::placeholders(3, scope.schools.len());
        let in_period = "d.opened_at >= $1 AND d.opened_at < $2";
        // These statements carry one parameter per school (a board member has a thousand) and
        // run seldom: they are not kept prepared, which would hold their memory per connection.
        macro_rules! bind_scope {
            ($q:expr) => {{
                let mut q = $q.persistent(false).bind(scope.from).bind(scope.to);
                for s in &scope.schools {
                    q = q.bind(*s);
                }
                q
            }};
        }
        let n = 3 + scope.schools.len();

        let totals_sql = format!(
            "SELECT \
             COALESCE(SUM(CASE WHEN {in_period} THEN 1 ELSE 0 END), 0) AS opened, \
             COALESCE(SUM(CASE WHEN d.closed_at >= $1 AND d.closed_at < $2 THEN 1 ELSE 0 END), 0) AS closed, \
             COALESCE(SUM(CASE WHEN {in_period} AND d.route = 'medewerker' THEN 1 ELSE 0 END), 0) AS staff_route, \
             COALESCE(SUM(CASE WHEN d.status = 'open' AND d.last_entry_at < ${n} THEN 1 ELSE 0 END), 0) AS inactive_30_days, \
             COALESCE(SUM(CASE WHEN d.status = 'open' AND d.review_due < ${} THEN 1 ELSE 0 END), 0) AS overdue_reviews, \
             (SELECT COUNT(DISTINCT e.dossier_id) FROM entries e JOIN dossiers d2 ON d2.id = e.dossier_id \
              WHERE e.kind = 'melding' AND e.created_at >= $1 AND e.created_at < $2 AND d2.school_id IN ({schools})) AS reported \
             FROM dossiers d WHERE d.school_id IN ({schools})",
            n + 1
        );
        let totals: Totals = bind_scope!(sqlx::query_as::<_, Totals>(&totals_sql))
            .bind(scope.quiet_since)
            .bind(&scope.today)
            .fetch_one(self.pool())
            .await?;

        // One pass over the period's dossiers for the forms, the highest step reached and the
        // time to each step's count and longest.
        // Forms: a dossier can carry several, kept as space-separated codes.
        let forms: Vec<Form> = Form::ALL
            .into_iter()
            .filter(|f| *f != Form::Ouderenmishandeling)
            .collect();
        let mut columns: Vec<String> = forms
            .iter()
            .map(|f| format!("COALESCE(SUM(CASE WHEN ' ' || d.forms || ' ' LIKE '% {} %' THEN 1 ELSE 0 END), 0)", f.code()))
            .collect();
        // Highest step reached on the stappenplan: bit n of steps_mask is step n.
        let highest = "CASE WHEN d.steps_mask >= 32 THEN 5 WHEN d.steps_mask >= 16 THEN 4 WHEN d.steps_mask >= 8 THEN 3 \
             WHEN d.steps_mask >= 4 THEN 2 WHEN d.steps_mask >= 2 THEN 1 ELSE 0 END";
        columns.extend((0..=5u8).map(|k| {
            format!("COALESCE(SUM(CASE WHEN d.route = 'stappenplan' AND {highest} = {k} THEN 1 ELSE 0 END), 0)")
        }));
        // Time to each step: the first moment of the step, kept on the dossier (migration 0018),
        // after the opening. No entry is read.
        let moment = |step: Step| format!("d.step{}_at", step.number());
        columns.extend(Step::ALL.into_iter().map(|s| {
            let at = moment(s);
            format!("COUNT({at}), MAX({at} - d.opened_at)")
        }));
        // The risk level kept beside each stappenplan dossier (migration 0025): high to low, then
        // not judged. The codes come from domain::risk, never from the user.
        let risks: Vec<Option<RiskLevel>> = RiskLevel::ALL
            .into_iter()
            .rev()
            .map(Some)
            .chain([None])
            .collect();
        columns.extend(risks.iter().map(|level| {
            let condition = match level {
                Some(l) => format!("d.risk_level = '{}'", l.code()),
                None => "d.risk_level IS NULL".to_string(),
            };
            format!(
                "COALESCE(SUM(CASE WHEN d.route = 'stappenplan' AND {condition} THEN 1 ELSE 0 END), 0)"
            )
        }));
        let sql = format!(
            "SELECT {} FROM dossiers d WHERE {in_period} AND d.school_id IN ({schools})",
            columns.join(", ")
        );
        let row = bind_scope!(sqlx::query(&sql))
            .fetch_one(self.pool())
            .await?;
        let by_form = forms
            .iter()
            .enumerate()
            .map(|(i, f)| Ok((*f, sqlx::Row::try_get::<i64, _>(&row, i)?)))
            .collect::<Result<Vec<_>, StoreError>>()?;
        let by_step = (0..=5u8)
            .map(|k| {
                Ok((
                    k,
                    sqlx::Row::try_get::<i64, _>(&row, forms.len() + usize::from(k))?,
                ))
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        let times_at = forms.len() + 6;
        let risk_at = times_at + 2 * Step::ALL.len();
        let by_risk = risks
            .iter()
            .enumerate()
            .map(|(i, l)| Ok((*l, sqlx::Row::try_get::<i64, _>(&row, risk_at + i)?)))
            .collect::<Result<Vec<_>, StoreError>>()?;

        let sql = format!(
            "SELECT d.route, d.status, COALESCE(d.close_reason, '') AS reason, COUNT(*) AS n FROM dossiers d \
             WHERE {in_period} AND d.school_id IN ({schools}) GROUP BY d.route, d.status, d.close_reason"
        );
        let outcomes: Vec<(String, String, String, i64)> = bind_scope!(sqlx::query_as(&sql))
            .fetch_all(self.pool())
            .await?;
        let mut by_outcome: Vec<(&'static str, i64)> = vec![("open", 0), ("medewerker", 0)];
        by_outcome.extend(CloseReason::ALL.iter().map(|r| (r.code(), 0)));
        for (route, status, reason, count) in outcomes {
            let key = if route == "medewerker" {
                "medewerker"
            } else if status == "open" {
                "open"
            } else {
                CloseReason::parse(&reason).map_or("open", CloseReason::code)
            };
            if let Some(slot) = by_outcome.iter_mut().find(|(k, _)| *k == key) {
                slot.1 += count;
            }
        }

        // The median of each step's time: the durations of the period's dossiers in one query
        // (numbers only), sorted here; the middle one, or the mean of the middle two.
        let durations: Vec<String> = Step::ALL
            .into_iter()
            .map(|s| format!("{at} - d.opened_at", at = moment(s)))
            .collect();
        let any_step: Vec<String> = Step::ALL
            .into_iter()
            .map(|s| format!("{} IS NOT NULL", moment(s)))
            .collect();
        let sql = format!(
            "SELECT {} FROM dossiers d WHERE {in_period} AND d.school_id IN ({schools}) AND ({})",
            durations.join(", "),
            any_step.join(" OR ")
        );
        let rows = bind_scope!(sqlx::query(&sql))
            .fetch_all(self.pool())
            .await?;
        let mut step_times = Vec::new();
        for (i, step) in Step::ALL.into_iter().enumerate() {
            let count: i64 = sqlx::Row::try_get(&row, times_at + 2 * i)?;
            let longest: Option<i64> = sqlx::Row::try_get(&row, times_at + 2 * i + 1)?;
            let mut x = rows
                .iter()
                .map(|r| sqlx::Row::try_get::<Option<i64>, _>(r, i))
                .filter_map(Result::transpose)
                .collect::<Result<Vec<i64>, _>>()?;
            x.sort_unstable();
            let n = x.len();
            let median = match n {
                0 => None,
                n if n % 2 == 1 => Some(x[n / 2]),
                n => Some((x[n / 2 - 1] + x[n / 2]) / 2),
            };
            step_times.push(StepTime {
                step,
                dossiers: count,
                median,
                longest,
            });
        }

        // Conversations not held, and why (the two lawful reasons).
        let sql = format!(
            "SELECT e.kind, \
             COALESCE(SUM(CASE WHEN e.reason = 'veiligheid' THEN 1 ELSE 0 END), 0), \
             COALESCE(SUM(CASE WHEN e.reason = 'contact_verbreken' THEN 1 ELSE 0 END), 0) \
             FROM entries e JOIN dossiers d ON d.id = e.dossier_id \
             WHERE e.kind IN ('gesprek_overgeslagen', 'meldgesprek_overgeslagen') \
             AND e.created_at >= $1 AND e.created_at < $2 AND d.school_id IN ({schools}) GROUP BY e.kind"
        );
        let rows: Vec<(String, i64, i64)> = bind_scope!(sqlx::query_as(&sql))
            .fetch_all(self.pool())
            .await?;
        let mut skipped = Vec::new();
        for (kind, label) in [
            ("gesprek_overgeslagen", "gesprek"),
            ("meldgesprek_overgeslagen", "meldgesprek"),
        ] {
            let (v, c) = rows
                .iter()
                .find(|(k, _, _)| k == kind)
                .map_or((0, 0), |(_, v, c)| (*v, *c));
            skipped.push((label, "veiligheid", v));
            skipped.push((label, "contact_verbreken", c));
        }

        Ok(Report {
            totals,
            by_form,
            by_step,
            by_outcome,
            step_times,
            by_risk,
            skipped,
        })
    }
}
