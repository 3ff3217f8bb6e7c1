//! Background jobs: the work the server does on its own, on a one-minute tick started by
//! [`Jobs::spawn`] when the application starts serving.
//!
//! | job | how often | on how many instances |
//! | --- | --- | --- |
//! | [`Jobs::send_mail`]: the e-mail outbox | every minute | each instance (every notification is claimed in the database first) |
//! | [`Jobs::send_digests`]: the daily and weekly overviews | every ten minutes | one, by the `digests` lease (and every overview is claimed in the database first) |
//! | [`Jobs::delete_expired_sessions`] | every ten minutes | each instance |
//! | [`Jobs::delete_expired_drafts`]: forms kept after a session ended | every ten minutes | each instance |
//! | [`Jobs::delete_faded_counters`]: login throttle counters | every ten minutes | each instance |
//! | [`Jobs::purge_daily`]: dossiers past the retention period | once a day | one, by the `purge` lease |
//! | [`Jobs::remind_overdue`]: reminders about overdue dossiers | every hour | one, by the `reminders` lease |
//!
//! The first tick comes at once, so every job also runs when the server starts. A job that fails
//! is logged and tried again at its next turn; the others go on. Jobs only call the store and
//! the domain: they know nothing of the web layer.

use std::time::Duration;

use crate::clock::{Clock, today_nl};
use crate::mail::Mailer;
use crate::store::retention::PurgeCandidate;
use crate::store::sessions::DbSessionStore;
use crate::store::{Db, StoreError};

/// What the jobs need of the running application: the database, the clock, this instance's
/// name for the leases, and the e-mail settings. Built from the application's state by
/// `AppState::jobs`.
#[derive(Debug, Clone)]
pub struct Jobs {
    pub db: Db,
    pub clock: Clock,
    /// This instance's name for job leases.
    pub instance: String,
    /// Sends notification e-mails, when an SMTP server is configured.
    pub mailer: Option<Mailer>,
    /// The address users reach the application at, for the link in an e-mail.
    pub public_url: String,
}

impl Jobs {
    /// Starts the jobs on a one-minute tick, for as long as the runtime runs: every minute the
    /// e-mail outbox; every ten minutes the overview e-mails, expired sessions, kept forms and faded login counters; every hour the
    /// reminders; every day the purge. The first tick (minute 0) runs them all.
    pub fn spawn(self) {
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_secs(60));
            let mut minute: u64 = 0;
            loop {
                tick.tick().await;
                if let Err(e) = self.send_mail().await {
                    tracing::warn!(error = %e, "notification e-mails");
                }
                if minute.is_multiple_of(10)
                    && let Err(e) = self.send_digests().await
                {
                    tracing::warn!(error = %e, "overview e-mails");
                }
                if minute.is_multiple_of(10)
                    && let Err(e) = self.delete_expired_sessions().await
                {
                    tracing::warn!(error = %e, "could not delete expired sessions");
                }
                if minute.is_multiple_of(10)
                    && let Err(e) = self.delete_expired_drafts().await
                {
                    tracing::warn!(error = %e, "could not delete expired kept forms");
                }
                if minute.is_multiple_of(10)
                    && let Err(e) = self.delete_faded_counters().await
                {
                    tracing::warn!(error = %e, "could not delete faded login counters");
                }
                if minute.is_multiple_of(24 * 60) {
                    self.purge_daily().await;
                }
                if minute.is_multiple_of(60)
                    && let Err(e) = self.remind_overdue().await
                {
                    tracing::warn!(error = %e, "reminders about overdue dossiers");
                }
                minute += 1;
            }
        });
    }

    /// Every minute: mails the pending notifications (see [`crate::mail::send_pending`]); without
    /// an SMTP server, nothing. Returns how many e-mails were sent.
    pub async fn send_mail(&self) -> anyhow::Result<usize> {
        let Some(mailer) = self.mailer.as_ref() else {
            return Ok(0);
        };
        crate::mail::send_pending(mailer, &self.db, &self.clock, &self.public_url).await
    }

    /// Every ten minutes, on the instance that takes the `digests` lease (for nine minutes):
    /// sends the daily and weekly overviews that are due (see [`crate::mail::send_digests`]; an
    /// overview goes out within ten minutes of its moment). Without an SMTP server, nothing: the
    /// notifications stay in the app. Returns how many e-mails were sent.
    ///
    /// The lease keeps a second instance from doing the same work at the same time; that an
    /// overview is sent once does not rest on it, but on each overview's own claim, so runs on
    /// one instance that overlap send nothing twice either.
    pub async fn send_digests(&self) -> anyhow::Result<usize> {
        let Some(mailer) = self.mailer.as_ref() else {
            return Ok(0);
        };
        let now = self.clock.unix();
        if !self
            .db
            .take_lease("digests", &self.instance, now, now + 9 * 60)
            .await?
        {
            return Ok(0);
        }
        crate::mail::send_digests(mailer, &self.db, &self.clock, &self.public_url).await
    }

    /// Every ten minutes: deletes the sessions that have expired. Returns how many.
    pub async fn delete_expired_sessions(&self) -> Result<u64, StoreError> {
        DbSessionStore::new(self.db.clone(), self.clock.clone())
            .delete_expired()
            .await
    }

    /// Every ten minutes: deletes the forms kept after a session ended whose time is up (they
    /// hold what a user typed, perhaps dossier content). Returns how many.
    pub async fn delete_expired_drafts(&self) -> Result<u64, StoreError> {
        self.db.delete_expired_drafts(self.clock.unix()).await
    }

    /// Every ten minutes: deletes the login throttle's counters that have faded out. Returns how
    /// many.
    pub async fn delete_faded_counters(&self) -> Result<u64, StoreError> {
        self.db.delete_faded_counters(self.clock.unix()).await
    }

    /// Once a day, on the instance that takes the `purge` lease (for 23 hours): purges the
    /// dossiers past the retention period (see [`purge`]). Failures are logged.
    pub async fn purge_daily(&self) {
        let now = self.clock.unix();
        match self
            .db
            .take_lease("purge", &self.instance, now, now + 23 * 60 * 60)
            .await
        {
            Ok(true) => {
                if let Err(e) = purge(&self.db, &self.clock, false).await {
                    tracing::warn!(error = %e, "purge of dossiers past the retention period");
                }
            }
            Ok(false) => {}
            Err(e) => tracing::warn!(error = %e, "purge lease"),
        }
    }

    /// Every hour: notifies aandachtsfunctionarissen of overdue dossiers (review date passed,
    /// Veilig Thuis's feedback due, or no entry for the organisation's
    /// [`crate::domain::dossier::QuietDays`]), and assignees of actions past their deadline, if
    /// this instance takes the `reminders` lease (for 55 minutes). Returns how many
    /// notifications were made.
    pub async fn remind_overdue(&self) -> anyhow::Result<u64> {
        let now = self.clock.unix();
        if !self
            .db
            .take_lease("reminders", &self.instance, now, now + 55 * 60)
            .await?
        {
            return Ok(0);
        }
        let today = today_nl(now).to_string();
        // One installation serves one organisation: its number of quiet days holds for all.
        let quiet = self
            .db
            .organisation()
            .await?
            .map(|org| org.quiet())
            .unwrap_or_default();
        let quiet_since = crate::domain::progress::quiet_since(now, quiet);
        let dossiers = self.db.remind_overdue(&today, quiet_since, now).await?;
        // And whoever has an action past its deadline (domain::action).
        let actions = self.db.remind_overdue_actions(&today, now).await?;
        Ok(dossiers + actions)
    }
}

/// Purges the dossiers closed longer ago than the organisation's retention period. With
/// `dry_run`, only lists them. Returns the dossiers concerned. Run daily by
/// [`Jobs::purge_daily`], and by hand with `meldcode purge`.
pub async fn purge(db: &Db, clock: &Clock, dry_run: bool) -> anyhow::Result<Vec<PurgeCandidate>> {
    let now = clock.unix();
    let years = db.retention_years().await?;
    let cutoff_date = crate::domain::report::add_months(clock.now().date(), -12 * years);
    let cutoff = cutoff_date.midnight().assume_utc().unix_timestamp();
    let candidates = db.purge_candidates(cutoff).await?;
    if !dry_run {
        for c in &candidates {
            db.purge_dossier(c.id, now).await?;
        }
    }
    Ok(candidates)
}
