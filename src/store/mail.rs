//! The notification outbox for e-mail, reminders about overdue dossiers, and job leases.

use crate::domain::ids::UserId;
use sqlx::FromRow;

use super::{Db, StoreError};
use crate::domain::notification::Notice;

/// A notification waiting to be mailed, with its recipient.
#[derive(Debug, Clone, FromRow)]
pub struct PendingMail {
    pub id: i64,
    pub user_id: UserId,
    pub email: String,
    pub name: String,
    pub kind: String,
}

impl Db {
    /// Notifications the mail sender may take now, oldest first: pending ones whose wait after a
    /// failed attempt is over, and ones claimed by a sender whose claim ran out (it died, or lost
    /// its database connection, halfway). A pending notification of a kind its user wants in a
    /// daily or weekly overview (`store::alerts`) is left to that overview.
    pub async fn pending_mail(&self, now: i64, limit: i64) -> Result<Vec<PendingMail>, StoreError> {
        sqlx::query_as(
            "SELECT n.id, n.user_id, u.email, u.name, n.kind FROM notifications n JOIN users u ON u.id = n.user_id \
             WHERE n.mail_state IN ('pending', 'sending') AND n.mail_after <= $1 AND u.active = 1 \
             AND n.digest_id IS NULL AND (n.mail_state = 'sending' OR NOT EXISTS \
             (SELECT 1 FROM user_alert_preferences p WHERE p.user_id = n.user_id AND p.kind = n.kind)) \
             ORDER BY n.id LIMIT $2",
        )
        .bind(now)
        .bind(limit)
        .fetch_all(self.pool())
        .await
    }

    /// Takes a notification for mailing until `until`, counting the attempt. Returns the number
    /// of attempts including this one, or `None` when another sender holds it, it is done, or an
    /// overview took it (its user chose one after it was listed).
    pub async fn claim_mail(
        &self,
        id: i64,
        now: i64,
        until: i64,
    ) -> Result<Option<i64>, StoreError> {
        let row: Option<(i64,)> = sqlx::query_as(
            "UPDATE notifications SET mail_state = 'sending', mail_after = $1, mail_attempts = mail_attempts + 1 \
             WHERE id = $2 AND mail_state IN ('pending', 'sending') AND mail_after <= $3 AND digest_id IS NULL \
             RETURNING mail_attempts",
        )
        .bind(until)
        .bind(id)
        .bind(now)
        .fetch_optional(self.writer())
        .await?;
        Ok(row.map(|(n,)| n))
    }

    /// Puts a notification whose sending failed back in the queue, not to be tried before `after`.
    pub async fn retry_mail(&self, id: i64, after: i64) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE notifications SET mail_state = 'pending', mail_after = $1 WHERE id = $2",
        )
        .bind(after)
        .bind(id)
        .execute(self.writer())
        .await?;
        Ok(())
    }

    /// Whether this user was mailed about this kind since `since`.
    pub async fn mailed_since(
        &self,
        user_id: UserId,
        kind: &str,
        since: i64,
    ) -> Result<bool, StoreError> {
        let (n,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND kind = $2 AND mail_state = 'sent' AND mailed_at > $3",
        )
        .bind(user_id)
        .bind(kind)
        .bind(since)
        .fetch_one(self.pool())
        .await?;
        Ok(n > 0)
    }

    /// Records what became of a notification's e-mail.
    pub async fn finish_mail(&self, id: i64, state: &str, now: i64) -> Result<(), StoreError> {
        sqlx::query("UPDATE notifications SET mail_state = $1, mailed_at = $2 WHERE id = $3")
            .bind(state)
            .bind(now)
            .bind(id)
            .execute(self.writer())
            .await?;
        Ok(())
    }

    /// Notifies the aandachtsfunctionarissen of every open dossier that is overdue (a help
    /// review date passed, Veilig Thuis's feedback due, or no entry since `quiet_since`), at
    /// most once a day per dossier and person. Returns how many notifications were made.
    ///
    /// The condition is `domain::progress::attention` over the kept state, written as SQL so
    /// that the whole organisation is one statement (`tests/app/mail.rs` checks that the
    /// reminder and the workspace agree).
    pub async fn remind_overdue(
        &self,
        today: &str,
        quiet_since: i64,
        now: i64,
    ) -> Result<u64, StoreError> {
        // The school's aandachtsfunctionarissen, and a deputy standing in for one today.
        let sql = format!(
            "INSERT INTO notifications (user_id, dossier_id, kind, created_at) \
             SELECT DISTINCT r.user_id, d.id, $5, $1 FROM dossiers d \
             JOIN (SELECT school_id, user_id FROM role_assignments WHERE role = 'aandachtsfunctionaris' \
                   UNION SELECT c.school_id, c.deputy_id FROM covers c WHERE {}) r \
               ON r.school_id = d.school_id \
             JOIN users u ON u.id = r.user_id AND u.active = 1 \
             WHERE d.status = 'open' AND d.route = 'stappenplan' \
             AND (d.review_due < $2 OR d.feedback_due < $2 OR d.last_entry_at < $3) \
             AND NOT EXISTS (SELECT 1 FROM notifications n WHERE n.user_id = r.user_id AND n.dossier_id = d.id \
                             AND n.kind = $5 AND n.created_at > $4)",
            crate::store::covers::in_force("$2")
        );
        let done = sqlx::query(&sql)
            .bind(now)
            .bind(today)
            .bind(quiet_since)
            .bind(now - 24 * 60 * 60)
            .bind(Notice::Achterstallig.code())
            .execute(self.writer())
            .await?;
        Ok(done.rows_affected())
    }

    /// Notifies the assignee of every open action past its deadline (`domain::action::overdue`:
    /// from the day after it), at most once a day per dossier and person. Returns how many
    /// notifications were made.
    pub async fn remind_overdue_actions(&self, today: &str, now: i64) -> Result<u64, StoreError> {
        let done = sqlx::query(
            "INSERT INTO notifications (user_id, dossier_id, kind, created_at) \
             SELECT DISTINCT a.assignee, a.dossier_id, $4, $1 FROM dossier_actions a \
             JOIN dossiers d ON d.id = a.dossier_id JOIN users u ON u.id = a.assignee AND u.active = 1 \
             WHERE a.closed_at IS NULL AND a.due < $2 AND d.status = 'open' AND d.purged_at IS NULL \
             AND NOT EXISTS (SELECT 1 FROM notifications n WHERE n.user_id = a.assignee \
                             AND n.dossier_id = a.dossier_id AND n.kind = $4 AND n.created_at > $3)",
        )
        .bind(now)
        .bind(today)
        .bind(now - 24 * 60 * 60)
        .bind(Notice::ActieTeLaat.code())
        .execute(self.writer())
        .await?;
        Ok(done.rows_affected())
    }

    /// Takes the lease on a background job until `until`, if nobody holds it now. Only the holder
    /// runs the job, so several instances do not each send the same reminders.
    pub async fn take_lease(
        &self,
        job: &str,
        holder: &str,
        now: i64,
        until: i64,
    ) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "INSERT INTO job_leases (name, holder, until) VALUES ($1, $2, $3) \
             ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, until = excluded.until \
             WHERE job_leases.until <= $4 OR job_leases.holder = excluded.holder",
        )
        .bind(job)
        .bind(holder)
        .bind(until)
        .bind(now)
        .execute(self.writer())
        .await?;
        Ok(done.rows_affected() == 1)
    }
}
