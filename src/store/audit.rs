//! The audit log: who did what, when, from where. Append-only: the application has no statement
//! that changes or deletes a row of it.

use super::{Db, StoreError};

/// What happened. The codes are stable; they are what the log stores.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    Login,
    LoginFailed,
    LoginThrottled,
    Logout,
    SessionExpired,
    SetupCompleted,
    SchoolAdded,
    UserAdded,
    UserActivated,
    ActivationLinkIssued,
    UserDeactivated,
    UserReactivated,
    RoleGranted,
    RoleRevoked,
    NumbersChanged,
    SignalListChanged,
    AccessRefused,
    DossierOpened,
    DossierRead,
    DossierWritten,
    DossierPrinted,
    ReportExported,
    MeldcodePublished,
}

impl Event {
    pub fn code(self) -> &'static str {
        match self {
            Event::Login => "login",
            Event::LoginFailed => "login_failed",
            Event::LoginThrottled => "login_throttled",
            Event::Logout => "logout",
            Event::SessionExpired => "session_expired",
            Event::SetupCompleted => "setup_completed",
            Event::SchoolAdded => "school_added",
            Event::UserAdded => "user_added",
            Event::UserActivated => "user_activated",
            Event::ActivationLinkIssued => "activation_link_issued",
            Event::UserDeactivated => "user_deactivated",
            Event::UserReactivated => "user_reactivated",
            Event::RoleGranted => "role_granted",
            Event::RoleRevoked => "role_revoked",
            Event::NumbersChanged => "numbers_changed",
            Event::SignalListChanged => "signal_list_changed",
            Event::AccessRefused => "access_refused",
            Event::DossierOpened => "dossier_opened",
            Event::DossierRead => "dossier_read",
            Event::DossierWritten => "dossier_written",
            Event::DossierPrinted => "dossier_printed",
            Event::ReportExported => "report_exported",
            Event::MeldcodePublished => "meldcode_published",
        }
    }
}

/// One entry. `subject` names what the event was about (a user id, a role, a path), never
/// dossier content.
#[derive(Debug, Clone)]
pub struct Entry<'a> {
    /// The dossier concerned, for reads, writes and refusals of a dossier.
    pub dossier_id: Option<i64>,
    pub user_id: Option<i64>,
    pub event: Event,
    pub subject: Option<&'a str>,
    pub address: Option<&'a str>,
}

impl Db {
    pub async fn audit(&self, at: i64, entry: Entry<'_>) -> Result<(), StoreError> {
        audit(self.pool(), at, entry).await
    }

    /// The events recorded for a user, newest first (for tests and the later log views).
    pub async fn audit_events_of(&self, user_id: i64) -> Result<Vec<String>, StoreError> {
        let rows: Vec<(String,)> =
            sqlx::query_as("SELECT event FROM audit_log WHERE user_id = $1 ORDER BY id DESC")
                .bind(user_id)
                .fetch_all(self.pool())
                .await?;
        Ok(rows.into_iter().map(|(e,)| e).collect())
    }
}

/// Writes one audit row; inside a transaction, it commits or rolls back with the change it logs.
pub async fn audit<'e>(
    exec: impl sqlx::Executor<'e, Database = sqlx::Any>,
    at: i64,
    entry: Entry<'_>,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO audit_log (at, user_id, event, subject, address, dossier_id) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(at)
    .bind(entry.user_id)
    .bind(entry.event.code())
    .bind(entry.subject)
    .bind(entry.address)
    .bind(entry.dossier_id)
    .execute(exec)
    .await?;
    Ok(())
}
