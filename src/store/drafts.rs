//! Forms sent after their session had ended (table `form_drafts`): what the user typed, kept for
//! that user alone until they log in again (see `web::drafts`). One per user, the latest; kept
//! briefly (`domain::session::draft_kept_until`), deleted when restored or when it expires.

use super::audit::{self, Entry, Event};
use super::{Db, StoreError};
use crate::domain::ids::UserId;

/// A kept form: where it is filled in again, and its fields (name, value) as sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    pub form_path: String,
    pub fields: Vec<(String, String)>,
}

impl Db {
    /// Keeps a form for its user, replacing one kept before, with the audit row (the path only,
    /// never the text) in the same transaction.
    pub async fn keep_draft(
        &self,
        user_id: UserId,
        draft: &Draft,
        now: i64,
        address: Option<&str>,
    ) -> Result<(), StoreError> {
        let fields =
            serde_json::to_string(&draft.fields).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO form_drafts (user_id, form_path, fields, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (user_id) DO UPDATE SET \
             form_path = excluded.form_path, fields = excluded.fields, \
             created_at = excluded.created_at, expires_at = excluded.expires_at",
        )
        .bind(user_id)
        .bind(&draft.form_path)
        .bind(&fields)
        .bind(now)
        .bind(crate::domain::session::draft_kept_until(now))
        .execute(&mut *tx)
        .await?;
        let entry = Entry::user(Event::FormKept, Some(user_id), address).about(&draft.form_path);
        audit::audit(&mut tx, now, entry).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Where the user's kept form, if any and not expired, is filled in again.
    pub async fn draft_path(
        &self,
        user_id: UserId,
        now: i64,
    ) -> Result<Option<String>, StoreError> {
        let row: Option<(String,)> = sqlx::query_as(
            "SELECT form_path FROM form_drafts WHERE user_id = $1 AND expires_at > $2",
        )
        .bind(user_id)
        .bind(now)
        .fetch_optional(self.pool())
        .await?;
        Ok(row.map(|(p,)| p))
    }

    /// Takes the user's kept form for `form_path` out of the store (it is deleted: restored once),
    /// with the audit row in the same transaction. `None` when there is none or it has expired.
    pub async fn take_draft(
        &self,
        user_id: UserId,
        form_path: &str,
        now: i64,
        address: Option<&str>,
    ) -> Result<Option<Draft>, StoreError> {
        let mut tx = self.begin_write().await?;
        let row: Option<(String, i64)> = sqlx::query_as(
            "DELETE FROM form_drafts WHERE user_id = $1 AND form_path = $2 \
             RETURNING fields, expires_at",
        )
        .bind(user_id)
        .bind(form_path)
        .fetch_optional(&mut *tx)
        .await?;
        // An expired one is deleted all the same: the tidy-up job would have done so.
        let Some((fields, _)) = row.filter(|(_, expires_at)| *expires_at > now) else {
            tx.commit().await?;
            return Ok(None);
        };
        let fields: Vec<(String, String)> =
            serde_json::from_str(&fields).map_err(|e| sqlx::Error::Decode(Box::new(e)))?;
        let entry = Entry::user(Event::FormRestored, Some(user_id), address).about(form_path);
        audit::audit(&mut tx, now, entry).await?;
        tx.commit().await?;
        Ok(Some(Draft {
            form_path: form_path.to_string(),
            fields,
        }))
    }

    /// Deletes the kept forms that have expired. Run by the tidy-up job; returns how many.
    pub async fn delete_expired_drafts(&self, now: i64) -> Result<u64, StoreError> {
        let done = sqlx::query("DELETE FROM form_drafts WHERE expires_at <= $1")
            .bind(now)
            .execute(self.writer())
            .await?;
        Ok(done.rows_affected())
    }
}
