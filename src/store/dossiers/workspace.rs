//! The aandachtsfunctionaris's workspace: open dossiers with what is overdue.

use super::*;

/// A line of the aandachtsfunctionaris's workspace.
#[derive(Debug, Clone)]
pub struct WorkspaceRow {
    pub header: DossierHeader,
    /// What is overdue, as `domain::progress::attention` says from the kept state.
    pub attention: Attention,
    pub open_requests: i64,
    /// Open actions past their deadline (`domain::action::overdue`).
    pub overdue_actions: i64,
}

impl Db {
    /// The open stappenplan dossiers of the schools where the viewer is aandachtsfunctionaris (or
    /// stands in for one today, `domain::cover`),
    /// with what asks for attention (`domain::progress::attention`): a report due and not made
    /// first, the longest waiting first; then the most overdue (a help review date passed,
    /// Veilig Thuis's feedback late, no entry for the organisation's `quiet` days, open
    /// requests), then the longest quiet.
    pub async fn workspace(
        &self,
        viewer: &Viewer,
        today: Date,
        now: i64,
        quiet: crate::domain::dossier::QuietDays,
    ) -> Result<Vec<WorkspaceRow>, StoreError> {
        let schools = viewer.coordinated_schools();
        if schools.is_empty() {
            return Ok(Vec::new());
        }
        // What is overdue follows from the state kept beside each dossier: no entry is read.
        let sql = header_list_sql(
            self.backend,
            &[
                (
                    "(SELECT COUNT(*) FROM consultation_requests r WHERE r.dossier_id = d.id AND r.answered_at IS NULL)",
                    "open_requests",
                ),
                // Overdue from the day after the deadline: due before today.
                (
                    &format!(
                        "(SELECT COUNT(*) FROM dossier_actions a WHERE a.dossier_id = d.id \
                         AND a.closed_at IS NULL AND a.due < ${})",
                        schools.len() + 1
                    ),
                    "overdue_actions",
                ),
            ],
            &format!(
                "d.status = 'open' AND d.route = 'stappenplan' AND d.school_id IN ({})",
                crate::store::placeholders(1, schools.len())
            ),
            "CASE WHEN d.report_due_since IS NULL THEN 1 ELSE 0 END, d.report_due_since, d.last_entry_at, d.id",
            1000,
            0,
        );
        let mut q = sqlx::query_as::<_, (String,)>(&sql);
        for s in &schools {
            q = q.bind(*s);
        }
        let (json,) = q.bind(today.to_string()).fetch_one(self.pool()).await?;
        let lines: Vec<(HeaderRow, i64, i64)> = crate::store::json_rows(&json)?;
        let mut rows: Vec<WorkspaceRow> = lines
            .into_iter()
            .map(|(header, open_requests, overdue_actions)| {
                let header = DossierHeader::from(header);
                WorkspaceRow {
                    attention: progress::attention(&header.kept(), today, now, quiet),
                    header,
                    open_requests,
                    overdue_actions,
                }
            })
            .collect();
        rows.sort_by_key(|r| {
            (
                r.attention.report_due_since.is_none(),
                r.attention.report_due_since,
                std::cmp::Reverse(r.attention.weight(r.open_requests)),
            )
        });
        Ok(rows)
    }
}
