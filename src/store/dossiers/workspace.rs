//! The aandachtsfunctionaris's workspace: open dossiers with what is overdue.

use super::*;

/// A line of the aandachtsfunctionaris's workspace.
#[derive(Debug, Clone)]
pub struct WorkspaceRow {
    pub header: DossierHeader,
    pub review_overdue: bool,
    pub feedback_overdue: bool,
    pub quiet: bool,
    pub open_requests: i64,
}

#[derive(FromRow)]
pub(super) struct WorkspaceRaw {
    #[sqlx(flatten)]
    header: HeaderRow,
    review_overdue: i64,
    feedback_overdue: i64,
    quiet: i64,
    open_requests: i64,
}

impl Db {
    /// The open stappenplan dossiers of the schools where the viewer is aandachtsfunctionaris,
    /// with what is overdue: a report due and not made (first), a help review date passed, Veilig Thuis's feedback due and not
    /// received, or no entry since `quiet_since`. Overdue first, then the longest quiet.
    pub async fn workspace(
        &self,
        viewer: &Viewer,
        today: &str,
        quiet_since: i64,
    ) -> Result<Vec<WorkspaceRow>, StoreError> {
        let schools = viewer.schools_with(Role::Aandachtsfunctionaris);
        if schools.is_empty() {
            return Ok(Vec::new());
        }
        // Overdue is computed by the database from the state kept beside each dossier: no entry
        // is read.
        let sql = format!(
            "{HEADER_COLUMNS}, CASE WHEN d.review_due < $1 THEN 1 ELSE 0 END AS review_overdue, \
             CASE WHEN d.feedback_due < $1 THEN 1 ELSE 0 END AS feedback_overdue, \
             CASE WHEN d.last_entry_at < $2 THEN 1 ELSE 0 END AS quiet, \
             (SELECT COUNT(*) FROM consultation_requests r WHERE r.dossier_id = d.id AND r.answered_at IS NULL) AS open_requests \
             {HEADER_FROM} WHERE d.status = 'open' AND d.route = 'stappenplan' AND d.school_id IN ({}) \
             ORDER BY CASE WHEN d.report_due_since IS NULL THEN 1 ELSE 0 END, d.report_due_since, d.last_entry_at, d.id LIMIT 1000",
            crate::store::placeholders(3, schools.len())
        );
        let mut q = sqlx::query_as::<_, WorkspaceRaw>(&sql)
            .bind(today)
            .bind(quiet_since);
        for s in &schools {
            q = q.bind(*s);
        }
        let mut rows: Vec<WorkspaceRow> = q
            .fetch_all(self.pool())
            .await?
            .into_iter()
            .map(|x| WorkspaceRow {
                header: x.header.into(),
                review_overdue: x.review_overdue != 0,
                feedback_overdue: x.feedback_overdue != 0,
                quiet: x.quiet != 0,
                open_requests: x.open_requests,
            })
            .collect();
        // A report that is due and not made comes first, the longest waiting first; then the most
        // overdue.
        rows.sort_by_key(|r| {
            (
                r.header.report_due_since.is_none(),
                r.header.report_due_since,
                std::cmp::Reverse(
                    u8::from(r.review_overdue)
                        + u8::from(r.feedback_overdue)
                        + u8::from(r.quiet)
                        + u8::from(r.open_requests > 0),
                ),
            )
        });
        Ok(rows)
    }
}
