//! What is withheld from a pupil's inspection copy (table `inspection_redactions`; the rules in
//! `domain::inspection`). A redaction names an entry, and maybe one field of it, of a dossier of
//! that pupil; the entry itself is never changed. Marking and withdrawing go with their audit
//! row in one transaction, and take the dossier's `DossierAccess`: only `open_dossier` decides
//! who may.

use sqlx::FromRow;

use super::audit::{self, Event};
use super::dossiers::DossierAccess;
use super::{Db, StoreError, is_unique_violation};
use crate::domain::ids::{DossierId, EntryId, PupilId, RedactionId};
use crate::domain::inspection::{Marking, Reason};

/// A redaction in force, as the review page and the copy read it.
#[derive(Debug, Clone)]
pub struct StoredRedaction {
    pub id: RedactionId,
    pub entry: EntryId,
    /// The field's key; `None` for the whole entry.
    pub field: Option<String>,
    pub reason: Reason,
    pub explanation: String,
    pub marked_by: String,
    pub marked_at: i64,
}

#[derive(FromRow)]
struct RedactionRow {
    id: RedactionId,
    entry_id: EntryId,
    field_key: String,
    reason: String,
    explanation: String,
    marked_by: String,
    marked_at: i64,
}

/// What became of a redaction offered to [`Db::mark_redaction`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Marked {
    Stored(RedactionId),
    /// The same entry or field is already withheld; nothing was written.
    AlreadyMarked,
}

impl Db {
    /// The dossier of `entry` when it is an entry of a dossier about `pupil` that is kept (not
    /// purged); otherwise `None`. Only the dossier's id comes back: the caller opens it with
    /// `open_dossier`, which decides whether this user may.
    pub async fn dossier_of_pupils_entry(
        &self,
        pupil: PupilId,
        entry: EntryId,
    ) -> Result<Option<DossierId>, StoreError> {
        let row: Option<(DossierId,)> = sqlx::query_as(
            "SELECT d.id FROM entries e JOIN dossiers d ON d.id = e.dossier_id \
             WHERE e.id = $1 AND d.pupil_id = $2 AND d.purged_at IS NULL",
        )
        .bind(entry)
        .bind(pupil)
        .fetch_optional(self.pool())
        .await?;
        Ok(row.map(|(d,)| d))
    }

    /// The dossier of a redaction in force about `pupil`; `None` for any other id. As
    /// [`Db::dossier_of_pupils_entry`], only the id: `open_dossier` decides.
    pub async fn dossier_of_redaction(
        &self,
        pupil: PupilId,
        redaction: RedactionId,
    ) -> Result<Option<DossierId>, StoreError> {
        let row: Option<(DossierId,)> = sqlx::query_as(
            "SELECT r.dossier_id FROM inspection_redactions r \
             JOIN dossiers d ON d.id = r.dossier_id \
             WHERE r.id = $1 AND r.pupil_id = $2 AND r.withdrawn_at IS NULL \
             AND d.purged_at IS NULL",
        )
        .bind(redaction)
        .bind(pupil)
        .fetch_optional(self.pool())
        .await?;
        Ok(row.map(|(d,)| d))
    }

    /// The redactions in force in one dossier, for its pupil's inspection copy, by entry.
    pub async fn redactions(
        &self,
        access: &DossierAccess,
    ) -> Result<Vec<StoredRedaction>, StoreError> {
        let rows: Vec<RedactionRow> = sqlx::query_as(
            "SELECT r.id, r.entry_id, r.field_key, r.reason, r.explanation, \
             u.name AS marked_by, r.marked_at FROM inspection_redactions r \
             JOIN users u ON u.id = r.marked_by \
             WHERE r.dossier_id = $1 AND r.pupil_id = $2 AND r.withdrawn_at IS NULL \
             ORDER BY r.entry_id, r.field_key, r.id",
        )
        .bind(access.id())
        .bind(access.dossier().pupil.id)
        .fetch_all(self.pool())
        .await?;
        Ok(rows
            .into_iter()
            .map(|r| {
                // The table's CHECK admits only the reasons the domain knows. Should a code be
                // unknown all the same (a reason removed from a later version), the passage stays
                // withheld: leaving it out errs on the side of the third party.
                let reason = Reason::parse(&r.reason).unwrap_or_else(|| {
                    tracing::error!(
                        redaction = r.id.get(),
                        "a redaction's stored reason cannot be read; it stays withheld"
                    );
                    Reason::Derden
                });
                StoredRedaction {
                    id: r.id,
                    entry: r.entry_id,
                    field: (!r.field_key.is_empty()).then_some(r.field_key),
                    reason,
                    explanation: r.explanation,
                    marked_by: r.marked_by,
                    marked_at: r.marked_at,
                }
            })
            .collect())
    }

    /// Withholds an entry of the dossier, or one field of it, from its pupil's inspection copy,
    /// with the audit row (entry number, field key and reason: never the text) in the same
    /// transaction. `entry` must be an entry of this dossier (the caller read it through the
    /// same access); the same passage twice is [`Marked::AlreadyMarked`].
    pub async fn mark_redaction(
        &self,
        access: &DossierAccess,
        entry: EntryId,
        marking: &Marking,
        now: i64,
    ) -> Result<Marked, StoreError> {
        let mut tx = self.begin_write().await?;
        let inserted: Result<(RedactionId,), StoreError> = sqlx::query_as(
            "INSERT INTO inspection_redactions (pupil_id, dossier_id, entry_id, field_key, \
             reason, explanation, marked_by, marked_at) \
             SELECT d.pupil_id, d.id, e.id, $3, $4, $5, $6, $7 FROM entries e \
             JOIN dossiers d ON d.id = e.dossier_id WHERE e.id = $1 AND d.id = $2 RETURNING id",
        )
        .bind(entry)
        .bind(access.id())
        .bind(marking.part.key())
        .bind(marking.reason.code())
        .bind(&marking.explanation)
        .bind(access.user_id())
        .bind(now)
        .fetch_one(&mut *tx)
        .await;
        let id = match inserted {
            Ok((id,)) => id,
            // The unique index on the redactions in force: this passage is withheld already.
            Err(e) if is_unique_violation(&e) => return Ok(Marked::AlreadyMarked),
            Err(e) => return Err(e),
        };
        let subject = format!(
            "aantekening {entry} {}: {}",
            match marking.part.key() {
                "" => "geheel",
                key => key,
            },
            marking.reason.code()
        );
        let row = access
            .audit_entry(Event::InspectionRedacted, None)
            .about(&subject);
        audit::audit(&mut tx, now, row).await?;
        tx.commit().await?;
        Ok(Marked::Stored(id))
    }

    /// Withdraws a redaction in force in this dossier: the passage is in the copy again. The row
    /// stays (who withdrew it, when), with the audit row in the same transaction. `false` when
    /// no redaction in force of this dossier has that id.
    pub async fn withdraw_redaction(
        &self,
        access: &DossierAccess,
        redaction: RedactionId,
        now: i64,
    ) -> Result<bool, StoreError> {
        let mut tx = self.begin_write().await?;
        let row: Option<(EntryId, String)> = sqlx::query_as(
            "UPDATE inspection_redactions SET withdrawn_at = $3, withdrawn_by = $4 \
             WHERE id = $1 AND dossier_id = $2 AND withdrawn_at IS NULL \
             RETURNING entry_id, field_key",
        )
        .bind(redaction)
        .bind(access.id())
        .bind(now)
        .bind(access.user_id())
        .fetch_optional(&mut *tx)
        .await?;
        let Some((entry, field)) = row else {
            return Ok(false);
        };
        let subject = format!(
            "aantekening {entry} {}",
            if field.is_empty() { "geheel" } else { &field }
        );
        let row = access
            .audit_entry(Event::InspectionRedactionWithdrawn, None)
            .about(&subject);
        audit::audit(&mut tx, now, row).await?;
        tx.commit().await?;
        Ok(true)
    }
}
