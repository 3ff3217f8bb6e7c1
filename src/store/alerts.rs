//! How often each user is e-mailed per kind of notification (`domain::alerts`), and the overview
//! e-mails (digests) of the kinds they want daily or weekly.
//!
//! A notification of such a kind stays 'pending' in the outbox, which leaves it alone
//! ([`Db::pending_mail`] skips it). The overview job opens one `mail_digests` row per user,
//! cadence and moment ([`Db::open_digests`]: the unique key makes it one however many senders
//! run), claims it ([`Db::claim_digest`], which also takes the notifications it is about), and
//! marks it and them done ([`Db::finish_digest`]).

use sqlx::FromRow;

use super::{Db, StoreError};
use crate::domain::alerts::Cadence;
use crate::domain::ids::UserId;
use crate::domain::notification::Notice;

/// An overview claimed for sending, with its recipient.
#[derive(Debug, Clone, FromRow)]
pub struct DigestClaim {
    pub id: i64,
    pub user_id: UserId,
    pub cadence: String,
    pub due_at: i64,
    /// Attempts including this one.
    pub attempts: i64,
    pub email: String,
    pub name: String,
}

impl Db {
    /// The user's choices that are not per event, as (kind code, cadence code).
    pub async fn alert_preferences(
        &self,
        user_id: UserId,
    ) -> Result<Vec<(String, String)>, StoreError> {
        sqlx::query_as(
            "SELECT kind, cadence FROM user_alert_preferences WHERE user_id = $1 ORDER BY kind",
        )
        .bind(user_id)
        .fetch_all(self.pool())
        .await
    }

    /// Replaces the user's choices with `choices` in one transaction; a kind chosen per event
    /// (or left out) keeps no row.
    pub async fn save_alert_preferences(
        &self,
        user_id: UserId,
        choices: &[(Notice, Cadence)],
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        sqlx::query("DELETE FROM user_alert_preferences WHERE user_id = $1")
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        for (notice, cadence) in choices.iter().filter(|(_, c)| c.is_digest()) {
            sqlx::query(
                "INSERT INTO user_alert_preferences (user_id, kind, cadence) VALUES ($1, $2, $3)",
            )
            .bind(user_id)
            .bind(notice.code())
            .bind(cadence.code())
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await
    }

    /// Opens the overview of `cadence` for the moment `due_at` for every active user who has a
    /// notification of a kind they want in it, made before that moment and in no overview yet.
    /// An overview that exists for that user and moment is left as it is (sent or not), so a
    /// second run, or a second instance, opens nothing twice. Returns how many were opened.
    pub async fn open_digests(&self, cadence: Cadence, due_at: i64) -> Result<u64, StoreError> {
        let done = sqlx::query(
            "INSERT INTO mail_digests (user_id, cadence, due_at) \
             SELECT DISTINCT n.user_id, $1, $2 FROM notifications n \
             JOIN user_alert_preferences p ON p.user_id = n.user_id AND p.kind = n.kind AND p.cadence = $1 \
             JOIN users u ON u.id = n.user_id AND u.active = 1 \
             WHERE n.mail_state = 'pending' AND n.digest_id IS NULL AND n.created_at < $2 \
             ON CONFLICT (user_id, cadence, due_at) DO NOTHING",
        )
        .bind(cadence.code())
        .bind(due_at)
        .execute(self.writer())
        .await?;
        Ok(done.rows_affected())
    }

    /// Overviews a sender may take now, oldest first: pending ones whose wait after a failed
    /// attempt is over, and ones whose sender's claim ran out.
    pub async fn claimable_digests(&self, now: i64, limit: i64) -> Result<Vec<i64>, StoreError> {
        let rows: Vec<(i64,)> = sqlx::query_as(
            "SELECT id FROM mail_digests WHERE state IN ('pending', 'sending') AND not_before <= $1 \
             ORDER BY id LIMIT $2",
        )
        .bind(now)
        .bind(limit)
        .fetch_all(self.pool())
        .await?;
        Ok(rows.into_iter().map(|(id,)| id).collect())
    }

    /// Takes an overview for sending until `until`, counting the attempt, and in the same
    /// transaction the notifications it is about: the user's pending ones of the kinds they want
    /// in this overview, made before its moment and in no overview yet. `None` when another
    /// sender holds it or it is done. Only a claimed overview takes notifications, so what its
    /// sender counts is what [`Db::finish_digest`] marks.
    pub async fn claim_digest(
        &self,
        id: i64,
        now: i64,
        until: i64,
    ) -> Result<Option<DigestClaim>, StoreError> {
        let mut tx = self.begin_write().await?;
        let claimed: Option<(UserId, String, i64, i64)> = sqlx::query_as(
            "UPDATE mail_digests SET state = 'sending', not_before = $1, attempts = attempts + 1 \
             WHERE id = $2 AND state IN ('pending', 'sending') AND not_before <= $3 \
             RETURNING user_id, cadence, due_at, attempts",
        )
        .bind(until)
        .bind(id)
        .bind(now)
        .fetch_optional(&mut *tx)
        .await?;
        let Some((user_id, cadence, due_at, attempts)) = claimed else {
            return Ok(None);
        };
        sqlx::query(
            "UPDATE notifications SET digest_id = $1 WHERE user_id = $2 AND mail_state = 'pending' \
             AND digest_id IS NULL AND created_at < $3 AND kind IN \
             (SELECT p.kind FROM user_alert_preferences p WHERE p.user_id = $2 AND p.cadence = $4)",
        )
        .bind(id)
        .bind(user_id)
        .bind(due_at)
        .bind(&cadence)
        .execute(&mut *tx)
        .await?;
        let (email, name): (String, String) =
            sqlx::query_as("SELECT email, name FROM users WHERE id = $1")
                .bind(user_id)
                .fetch_one(&mut *tx)
                .await?;
        tx.commit().await?;
        Ok(Some(DigestClaim {
            id,
            user_id,
            cadence,
            due_at,
            attempts,
            email,
            name,
        }))
    }

    /// How many notifications of each kind an overview is about, by kind code.
    pub async fn digest_counts(&self, id: i64) -> Result<Vec<(String, i64)>, StoreError> {
        sqlx::query_as(
            "SELECT kind, COUNT(*) FROM notifications WHERE digest_id = $1 GROUP BY kind ORDER BY kind",
        )
        .bind(id)
        .fetch_all(self.pool())
        .await
    }

    /// How many open dossiers of the schools where the user is aandachtsfunctionaris have had no
    /// entry since `quiet_since`, and how many stand still in a step: the workspace's "Geen
    /// aantekening in … dagen" and "Staat stil in stap …" (`domain::progress::attention` and
    /// `standing_still`, over the kept `last_entry_at` and `stepN_at`; the same conditions in SQL),
    /// and the hourly reminder's condition for the first ([`Db::remind_overdue`]).
    pub async fn quiet_dossiers_of(
        &self,
        user_id: UserId,
        quiet_since: i64,
    ) -> Result<(i64, i64), StoreError> {
        let (quiet, still): (i64, i64) = sqlx::query_as(
            "SELECT COALESCE(SUM(CASE WHEN d.last_entry_at < $1 THEN 1 ELSE 0 END), 0), \
             COALESCE(SUM(CASE WHEN d.last_entry_at >= $1 AND d.step5_at IS NULL \
               AND COALESCE(d.step4_at, d.step3_at, d.step2_at, d.step1_at, d.opened_at) < $1 \
               THEN 1 ELSE 0 END), 0) \
             FROM dossiers d WHERE d.status = 'open' AND d.route = 'stappenplan' \
             AND d.school_id IN (SELECT r.school_id FROM role_assignments r \
             WHERE r.user_id = $2 AND r.role = 'aandachtsfunctionaris')",
        )
        .bind(quiet_since)
        .bind(user_id)
        .fetch_one(self.pool())
        .await?;
        Ok((quiet, still))
    }

    /// Records what became of an overview ('sent', 'none' or 'failed') and, in the same
    /// transaction, of the notifications it was about: 'digested' when it was sent, 'none' when
    /// nothing was left to say, 'failed' with it.
    pub async fn finish_digest(&self, id: i64, state: &str, now: i64) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        sqlx::query("UPDATE mail_digests SET state = $1, sent_at = $2 WHERE id = $3")
            .bind(state)
            .bind(now)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        let notification_state = match state {
            "sent" => "digested",
            other => other,
        };
        sqlx::query(
            "UPDATE notifications SET mail_state = $1, mailed_at = $2 WHERE digest_id = $3",
        )
        .bind(notification_state)
        .bind(now)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        tx.commit().await
    }

    /// Puts an overview whose sending failed back, not to be tried before `not_before`.
    pub async fn retry_digest(&self, id: i64, not_before: i64) -> Result<(), StoreError> {
        sqlx::query("UPDATE mail_digests SET state = 'pending', not_before = $1 WHERE id = $2")
            .bind(not_before)
            .bind(id)
            .execute(self.writer())
            .await?;
        Ok(())
    }
}
