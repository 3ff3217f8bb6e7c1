//! Retention: closed dossiers are purged when the organisation's retention period after closing
//! has passed. The content is erased (entries, requests, members, notifications, transfers, what
//! was withheld from the inspection copy, and the pupil's details when no other dossier needs
//! them); an anonymous tombstone stays, so the evaluation figures keep counting it. The audit log keeps its rows and records the purge.

use crate::domain::ids::DossierId;
use sqlx::FromRow;

use super::audit::{self, Entry, Event};
use super::{Db, StoreError};

#[derive(Debug, Clone, FromRow)]
pub struct PurgeCandidate {
    pub id: DossierId,
    pub school: String,
    pub closed_at: i64,
}

impl Db {
    /// Closed dossiers closed before `cutoff` and not yet purged, oldest first. A dossier merged
    /// into another (domain::merge) is part of that one's history: it waits until that one is
    /// purged itself.
    pub async fn purge_candidates(&self, cutoff: i64) -> Result<Vec<PurgeCandidate>, StoreError> {
        sqlx::query_as(
            "SELECT d.id, s.name AS school, d.closed_at FROM dossiers d JOIN schools s ON s.id = d.school_id \
             WHERE d.status = 'gesloten' AND d.closed_at < $1 AND d.purged_at IS NULL \
             AND (d.merged_into IS NULL OR EXISTS (SELECT 1 FROM dossiers m WHERE m.id = d.merged_into \
             AND m.purged_at IS NOT NULL)) ORDER BY d.closed_at, d.id",
        )
        .bind(cutoff)
        .fetch_all(self.pool())
        .await
    }

    /// Purges one dossier, in one transaction with its audit row.
    pub async fn purge_dossier(&self, id: DossierId, now: i64) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        sqlx::query("INSERT INTO purge_permits (dossier_id) VALUES ($1)")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        for sql in [
            "DELETE FROM consultation_requests WHERE dossier_id = $1",
            "DELETE FROM notifications WHERE dossier_id = $1",
            "DELETE FROM dossier_members WHERE dossier_id = $1",
            "DELETE FROM dossier_transfers WHERE dossier_id = $1",
            // What was withheld from the inspection copy names entries: it goes with them.
            "DELETE FROM inspection_redactions WHERE dossier_id = $1",
            "DELETE FROM dossier_actions WHERE dossier_id = $1",
            "DELETE FROM entries WHERE dossier_id = $1",
            "UPDATE dossiers SET purged_at = $2, case_manager = NULL, risk_level = NULL, review_due = NULL, feedback_due = NULL WHERE id = $1",
            // The pupil's details go too, unless another dossier that is kept still needs them,
            // or the pupil is still on the school's roster (the school's own list, not the
            // dossier's: it goes when an import marks them as left and a later purge comes).
            "UPDATE pupils SET name = '(verwijderd)', name_key = '', date_of_birth = '', group_name = '' \
             WHERE id = (SELECT pupil_id FROM dossiers WHERE id = $1) \
             AND (pupils.source_key IS NULL OR pupils.left_at IS NOT NULL) \
             AND NOT EXISTS (SELECT 1 FROM dossiers o WHERE o.pupil_id = pupils.id AND o.purged_at IS NULL)",
            "DELETE FROM purge_permits WHERE dossier_id = $1",
        ] {
            let q = sqlx::query(sql).bind(id);
            let q = if sql.contains("$2") { q.bind(now) } else { q };
            q.execute(&mut *tx).await?;
        }
        let entry = Entry {
            dossier_id: Some(id),
            role: None,
            user_id: None,
            event: Event::DossierPurged,
            subject: Some("bewaartermijn"),
            address: None,
        };
        audit::audit(&mut tx, now, entry).await?;
        tx.commit().await
    }

    /// The organisation's retention period after closing, in years.
    pub async fn retention_years(&self) -> Result<i64, StoreError> {
        let row: Option<(i64,)> =
            sqlx::query_as("SELECT retention_years FROM organisations ORDER BY id LIMIT 1")
                .fetch_optional(self.pool())
                .await?;
        Ok(row.map_or(5, |(y,)| y))
    }
}
