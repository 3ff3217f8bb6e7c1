//! The audit log: who did what, when, from where. Append-only: the application has no statement
//! that changes or deletes a row of it.
//!
//! (Longer than ~600 lines: the event list with its Dutch labels, the hash chain and the
//! group-commit queue belong together; a third of the file is their tests.)

use super::{Db, StoreError};
use crate::domain::ids::{DossierId, UserId};
use crate::domain::role::Role;

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
    AuditViewed,
    PasswordChanged,
    SessionEnded,
    Reauthenticated,
    DossierPurged,
    InspectionExported,
    SecondFactorFailed,
    TwoFactorEnabled,
    TwoFactorDisabled,
    RecoveryCodeUsed,
    FormKept,
    FormRestored,
    RosterImported,
    SingleSignOnChanged,
    InspectionRedacted,
    InspectionRedactionWithdrawn,
    CoverNamed,
    CoverEnded,
    DeputyMarked,
    DeputyUnmarked,
    AlertsChanged,
}

impl Event {
    /// Every event, in the order above.
    pub const ALL: [Event; 44] = [
        Event::Login,
        Event::LoginFailed,
        Event::LoginThrottled,
        Event::Logout,
        Event::SessionExpired,
        Event::SetupCompleted,
        Event::SchoolAdded,
        Event::UserAdded,
        Event::UserActivated,
        Event::ActivationLinkIssued,
        Event::UserDeactivated,
        Event::UserReactivated,
        Event::RoleGranted,
        Event::RoleRevoked,
        Event::NumbersChanged,
        Event::SignalListChanged,
        Event::AccessRefused,
        Event::DossierOpened,
        Event::DossierRead,
        Event::DossierWritten,
        Event::DossierPrinted,
        Event::ReportExported,
        Event::MeldcodePublished,
        Event::AuditViewed,
        Event::PasswordChanged,
        Event::SessionEnded,
        Event::Reauthenticated,
        Event::DossierPurged,
        Event::InspectionExported,
        Event::SecondFactorFailed,
        Event::TwoFactorEnabled,
        Event::TwoFactorDisabled,
        Event::RecoveryCodeUsed,
        Event::FormKept,
        Event::FormRestored,
        Event::RosterImported,
        Event::SingleSignOnChanged,
        Event::InspectionRedacted,
        Event::InspectionRedactionWithdrawn,
        Event::CoverNamed,
        Event::CoverEnded,
        Event::DeputyMarked,
        Event::DeputyUnmarked,
        Event::AlertsChanged,
    ];

    /// The stable code the log stores.
    pub fn code(self) -> &'static str {
        self.names().0
    }

    /// The Dutch name the log views show.
    pub fn label(self) -> &'static str {
        self.names().1
    }

    /// The event a stored code names; `None` for a code no event has.
    pub fn parse(code: &str) -> Option<Event> {
        Event::ALL.into_iter().find(|e| e.code() == code)
    }

    /// The code and the Dutch label, side by side.
    fn names(self) -> (&'static str, &'static str) {
        match self {
            Event::Login => ("login", "Ingelogd"),
            Event::LoginFailed => ("login_failed", "Inloggen mislukt"),
            Event::LoginThrottled => ("login_throttled", "Inloggen vertraagd"),
            Event::Logout => ("logout", "Uitgelogd"),
            Event::SessionExpired => ("session_expired", "Sessie verlopen"),
            Event::SetupCompleted => ("setup_completed", "Ingericht"),
            Event::SchoolAdded => ("school_added", "School toegevoegd"),
            Event::UserAdded => ("user_added", "Gebruiker toegevoegd"),
            Event::UserActivated => ("user_activated", "Wachtwoord gekozen"),
            Event::ActivationLinkIssued => ("activation_link_issued", "Activeringslink gemaakt"),
            Event::UserDeactivated => ("user_deactivated", "Gebruiker gedeactiveerd"),
            Event::UserReactivated => ("user_reactivated", "Gebruiker weer toegang gegeven"),
            Event::RoleGranted => ("role_granted", "Rol toegekend"),
            Event::RoleRevoked => ("role_revoked", "Rol ingetrokken"),
            Event::NumbersChanged => ("numbers_changed", "Telefoonnummers en afspraken gewijzigd"),
            Event::SignalListChanged => ("signal_list_changed", "Signalenlijst gewijzigd"),
            Event::AccessRefused => ("access_refused", "Toegang geweigerd"),
            Event::DossierOpened => ("dossier_opened", "Dossier geopend"),
            Event::DossierRead => ("dossier_read", "Dossier bekeken"),
            Event::DossierWritten => ("dossier_written", "Dossier aangevuld"),
            Event::DossierPrinted => ("dossier_printed", "Dossier afgedrukt of samengevat"),
            Event::ReportExported => ("report_exported", "Rapport gedownload"),
            Event::MeldcodePublished => ("meldcode_published", "Meldcode gepubliceerd"),
            Event::AuditViewed => ("audit_viewed", "Toegangslog bekeken"),
            Event::PasswordChanged => ("password_changed", "Wachtwoord gewijzigd"),
            Event::SessionEnded => ("session_ended", "Sessie beëindigd"),
            Event::Reauthenticated => ("reauthenticated", "Wachtwoord bevestigd"),
            Event::DossierPurged => ("dossier_purged", "Dossier gewist na de bewaartermijn"),
            Event::InspectionExported => ("inspection_exported", "Inzage gemaakt"),
            Event::SecondFactorFailed => ("second_factor_failed", "Verkeerde tweestapscode"),
            Event::TwoFactorEnabled => ("two_factor_enabled", "Tweestapsverificatie aangezet"),
            Event::TwoFactorDisabled => ("two_factor_disabled", "Tweestapsverificatie uitgezet"),
            Event::RecoveryCodeUsed => ("recovery_code_used", "Herstelcode gebruikt"),
            Event::FormKept => ("form_kept", "Formulier bewaard na verlopen sessie"),
            Event::FormRestored => ("form_restored", "Bewaard formulier teruggezet"),
            Event::RosterImported => ("roster_imported", "Leerlingen en medewerkers ingelezen"),
            Event::SingleSignOnChanged => (
                "single_sign_on_changed",
                "Inloggen via de organisatie ingesteld",
            ),
            Event::InspectionRedacted => ("inspection_redacted", "Weggelaten uit de inzage"),
            Event::InspectionRedactionWithdrawn => (
                "inspection_redaction_withdrawn",
                "Weglating uit de inzage ingetrokken",
            ),
            Event::CoverNamed => ("cover_named", "Waarnemer aangewezen"),
            Event::CoverEnded => ("cover_ended", "Waarneming beëindigd"),
            Event::DeputyMarked => (
                "deputy_marked",
                "Plaatsvervanger aandachtsfunctionaris aangewezen",
            ),
            Event::DeputyUnmarked => (
                "deputy_unmarked",
                "Plaatsvervanger aandachtsfunctionaris ingetrokken",
            ),
            Event::AlertsChanged => (
                "alerts_changed",
                "Keuze voor e-mail over meldingen gewijzigd",
            ),
        }
    }
}

/// One entry. `subject` names what the event was about (a user id, a role, a path), never
/// dossier content.
#[derive(Debug, Clone)]
pub struct Entry<'a> {
    /// The dossier concerned, for reads, writes and refusals of a dossier.
    pub dossier_id: Option<DossierId>,
    /// The role in which the user acted, where there is one (on a dossier, always).
    pub role: Option<&'a str>,
    pub user_id: Option<UserId>,
    pub event: Event,
    pub subject: Option<&'a str>,
    pub address: Option<&'a str>,
}

impl<'a> Entry<'a> {
    /// A user-level row: what a user did (or, for a failed login, someone not yet known) outside
    /// the content of a dossier. No role, subject or dossier unless added with the methods below.
    /// Rows about a dossier's content come from its `DossierAccess` instead.
    pub fn user(event: Event, user_id: Option<UserId>, address: Option<&'a str>) -> Entry<'a> {
        Entry {
            dossier_id: None,
            role: None,
            user_id,
            event,
            subject: None,
            address,
        }
    }

    /// The role in which the user acted.
    pub fn as_role(self, role: Role) -> Entry<'a> {
        Entry {
            role: Some(role.code()),
            ..self
        }
    }

    /// What the event was about (a user id, a role, a path), never dossier content.
    pub fn about(self, subject: &'a str) -> Entry<'a> {
        Entry {
            subject: Some(subject),
            ..self
        }
    }

    /// The dossier the row belongs to in that dossier's own access log (a refusal at its address,
    /// a look at its log).
    pub fn for_dossier(self, dossier_id: Option<DossierId>) -> Entry<'a> {
        Entry { dossier_id, ..self }
    }
}

impl Db {
    /// Writes one audit row in a transaction of its own.
    /// Writes one audit row durably before returning. Rows from concurrent requests are gathered
    /// and committed together: every read of a dossier writes a row, and one commit for many
    /// keeps reads from queueing behind each other's commits.
    pub async fn audit(&self, at: i64, entry: Entry<'_>) -> Result<(), StoreError> {
        self.audit_queue().write(at, &entry).await
    }

    /// The events recorded for a user, newest first (for tests and the log views).
    pub async fn audit_events_of(&self, user_id: UserId) -> Result<Vec<String>, StoreError> {
        let rows: Vec<(String,)> =
            sqlx::query_as("SELECT event FROM audit_log WHERE user_id = $1 ORDER BY id DESC")
                .bind(user_id)
                .fetch_all(self.pool())
                .await?;
        Ok(rows.into_iter().map(|(e,)| e).collect())
    }

    /// Gives rows written before the chain existed their place in it, once, oldest first.
    pub async fn chain_unhashed_audit_rows(&self) -> Result<u64, StoreError> {
        // Rows without a hash can only be the oldest ones (from before the chain): when the
        // oldest row has one, there is nothing to do, and start-up need not scan the whole log.
        let oldest: Option<(Option<String>,)> =
            sqlx::query_as("SELECT hash FROM audit_log ORDER BY id LIMIT 1")
                .fetch_optional(self.pool())
                .await?;
        if !matches!(oldest, Some((None,))) {
            return Ok(0);
        }
        let mut tx = self.begin_write().await?;
        let rows: Vec<ChainRow> = sqlx::query_as(&format!(
            "SELECT {CHAIN_COLUMNS} FROM audit_log WHERE hash IS NULL ORDER BY id"
        ))
        .fetch_all(&mut *tx)
        .await?;
        let n = rows.len() as u64;
        for row in rows {
            let prev = take_head(&mut tx).await?;
            let hash = row_hash(&prev, &row);
            sqlx::query("UPDATE audit_log SET prev_hash = $1, hash = $2 WHERE id = $3")
                .bind(&prev)
                .bind(&hash)
                .bind(row.id)
                .execute(&mut *tx)
                .await?;
            set_head(&mut tx, &hash).await?;
        }
        tx.commit().await?;
        Ok(n)
    }

    /// Walks the whole chain, oldest first. `Ok(n)` when all `n` rows are intact; otherwise the
    /// id of the first row whose content or link does not match.
    pub async fn verify_audit_chain(&self) -> Result<Result<u64, i64>, StoreError> {
        let mut prev = "genesis".to_string();
        let mut last_id = 0_i64;
        let mut n = 0_u64;
        // In pages, so that a long log is never held in memory at once.
        loop {
            let rows: Vec<ChainRow> = sqlx::query_as(&format!(
                "SELECT {CHAIN_COLUMNS} FROM audit_log WHERE id > $1 ORDER BY id LIMIT 1000"
            ))
            .bind(last_id)
            .fetch_all(self.pool())
            .await?;
            if rows.is_empty() {
                break;
            }
            for row in rows {
                let expected = row_hash(&prev, &row);
                if row.prev_hash.as_deref() != Some(prev.as_str())
                    || row.hash.as_deref() != Some(expected.as_str())
                {
                    return Ok(Err(row.id));
                }
                prev = expected;
                last_id = row.id;
                n += 1;
            }
        }
        // The head must point at the last row: a removed tail would otherwise go unnoticed.
        let (head,): (String,) = sqlx::query_as("SELECT last_hash FROM audit_head WHERE id = 1")
            .fetch_one(self.pool())
            .await?;
        if head != prev {
            return Ok(Err(last_id + 1));
        }
        Ok(Ok(n))
    }
}

const CHAIN_COLUMNS: &str =
    "id, at, user_id, event, subject, address, dossier_id, role, prev_hash, hash";

#[derive(Debug, sqlx::FromRow)]
struct ChainRow {
    id: i64,
    at: i64,
    user_id: Option<UserId>,
    event: String,
    subject: Option<String>,
    address: Option<String>,
    dossier_id: Option<DossierId>,
    role: Option<String>,
    prev_hash: Option<String>,
    hash: Option<String>,
}

/// The fields of a row that its hash covers.
struct Fields<'a> {
    at: i64,
    user_id: Option<UserId>,
    event: &'a str,
    subject: Option<&'a str>,
    address: Option<&'a str>,
    dossier_id: Option<DossierId>,
    role: Option<&'a str>,
}

/// The hash of a row: SHA-256 over the previous row's hash and every field of this row, each
/// field length-prefixed so that no two different rows give the same input. The acting role was
/// added later: it is hashed only when present, so older rows keep their hashes.
fn hash_fields(prev: &str, f: &Fields<'_>) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    let opt_num = |v: Option<i64>| v.map_or("-".to_string(), |n| n.to_string());
    let mut parts = vec![
        prev.to_string(),
        f.at.to_string(),
        opt_num(f.user_id.map(UserId::get)),
        f.event.to_string(),
        f.subject.unwrap_or("\u{0}").to_string(),
        f.address.unwrap_or("\u{0}").to_string(),
        opt_num(f.dossier_id.map(DossierId::get)),
    ];
    if let Some(role) = f.role {
        parts.push(format!("role:{role}"));
    }
    for part in parts {
        h.update((part.len() as u64).to_be_bytes());
        h.update(part.as_bytes());
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

fn row_hash(prev: &str, r: &ChainRow) -> String {
    hash_fields(
        prev,
        &Fields {
            at: r.at,
            user_id: r.user_id,
            event: &r.event,
            subject: r.subject.as_deref(),
            address: r.address.as_deref(),
            dossier_id: r.dossier_id,
            role: r.role.as_deref(),
        },
    )
}

/// Takes the chain's head for this transaction: the UPDATE locks the head row until commit, so
/// concurrent writers queue up and each links to the one before.
async fn take_head(tx: &mut sqlx::Transaction<'static, sqlx::Any>) -> Result<String, StoreError> {
    let (prev,): (String,) = sqlx::query_as(
        "UPDATE audit_head SET writes = writes + 1 WHERE id = 1 RETURNING last_hash",
    )
    .fetch_one(&mut **tx)
    .await?;
    Ok(prev)
}

async fn set_head(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    hash: &str,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE audit_head SET last_hash = $1 WHERE id = 1")
        .bind(hash)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Writes one audit row inside the caller's transaction: it commits or rolls back with the change
/// it logs, and links to the row before it.
pub async fn audit(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    at: i64,
    entry: Entry<'_>,
) -> Result<(), StoreError> {
    append(tx, &[(at, entry)]).await
}

/// Appends rows to the log in the caller's transaction, each linked to the one before, with one
/// multi-row INSERT per few hundred rows: the head row is taken once and set once.
pub async fn append(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    rows: &[(i64, Entry<'_>)],
) -> Result<(), StoreError> {
    const COLUMNS: usize = 9;
    let mut prev = take_head(tx).await?;
    for chunk in rows.chunks(300) {
        let mut sql = String::from(
            "INSERT INTO audit_log (at, user_id, event, subject, address, dossier_id, role, prev_hash, hash) VALUES ",
        );
        let mut links = Vec::with_capacity(chunk.len());
        for (i, (at, e)) in chunk.iter().enumerate() {
            let hash = hash_fields(
                &prev,
                &Fields {
                    at: *at,
                    user_id: e.user_id,
                    event: e.event.code(),
                    subject: e.subject,
                    address: e.address,
                    dossier_id: e.dossier_id,
                    role: e.role,
                },
            );
            links.push((std::mem::replace(&mut prev, hash.clone()), hash));
            if i > 0 {
                sql.push(',');
            }
            let placeholders: Vec<String> = (1..=COLUMNS)
                .map(|c| format!("${}", i * COLUMNS + c))
                .collect();
            sql.push_str(&format!("({})", placeholders.join(", ")));
        }
        let mut q = sqlx::query(&sql);
        for ((at, e), (p, h)) in chunk.iter().zip(links) {
            q = q
                .bind(*at)
                .bind(e.user_id)
                .bind(e.event.code())
                .bind(e.subject)
                .bind(e.address)
                .bind(e.dossier_id)
                .bind(e.role)
                .bind(p)
                .bind(h);
        }
        q.execute(&mut **tx).await?;
    }
    set_head(tx, &prev).await
}

#[cfg(test)]
mod tests {
    use super::{Entry, Event, Fields, hash_fields};
    use crate::domain::ids::{DossierId, UserId};
    use crate::domain::role::Role;

    #[test]
    fn every_event_has_its_own_code_and_a_dutch_label() {
        for e in Event::ALL {
            assert_eq!(Event::parse(e.code()), Some(e), "{e:?}");
            assert!(!e.label().is_empty());
        }
        let mut codes: Vec<&str> = Event::ALL.into_iter().map(Event::code).collect();
        let mut labels: Vec<&str> = Event::ALL.into_iter().map(Event::label).collect();
        codes.sort_unstable();
        codes.dedup();
        labels.sort_unstable();
        labels.dedup();
        assert_eq!(codes.len(), Event::ALL.len());
        assert_eq!(labels.len(), Event::ALL.len());
        assert_eq!(Event::parse("iets_anders"), None);
    }

    #[test]
    fn a_user_level_row_names_no_dossier_unless_told() {
        let e = Entry::user(Event::Logout, Some(UserId::new(7)), Some("10.0.0.1"));
        assert_eq!(
            (e.dossier_id, e.role, e.user_id, e.subject, e.address),
            (None, None, Some(UserId::new(7)), None, Some("10.0.0.1"))
        );
        let e = e
            .as_role(Role::Beheerder)
            .about("5")
            .for_dossier(Some(DossierId::new(3)));
        assert_eq!(
            (e.dossier_id, e.role, e.subject),
            (Some(DossierId::new(3)), Some("beheerder"), Some("5"))
        );
    }

    fn f() -> Fields<'static> {
        Fields {
            at: 1,
            user_id: Some(UserId::new(2)),
            event: "login",
            subject: Some("s"),
            address: Some("a"),
            dossier_id: Some(DossierId::new(3)),
            role: None,
        }
    }

    #[test]
    fn a_row_hash_changes_with_every_field_and_with_the_previous_row() {
        let base = hash_fields("p", &f());
        assert_eq!(base, hash_fields("p", &f()));
        assert_ne!(base, hash_fields("q", &f()));
        assert_ne!(base, hash_fields("p", &Fields { at: 9, ..f() }));
        assert_ne!(
            base,
            hash_fields(
                "p",
                &Fields {
                    user_id: None,
                    ..f()
                }
            )
        );
        assert_ne!(
            base,
            hash_fields(
                "p",
                &Fields {
                    event: "logout",
                    ..f()
                }
            )
        );
        assert_ne!(
            base,
            hash_fields(
                "p",
                &Fields {
                    subject: None,
                    ..f()
                }
            )
        );
        assert_ne!(
            base,
            hash_fields(
                "p",
                &Fields {
                    address: Some("b"),
                    ..f()
                }
            )
        );
        assert_ne!(
            base,
            hash_fields(
                "p",
                &Fields {
                    dossier_id: None,
                    ..f()
                }
            )
        );
        assert_ne!(
            base,
            hash_fields(
                "p",
                &Fields {
                    role: Some("directie"),
                    ..f()
                }
            )
        );
    }
}

/// A row of the audit log as the log views show it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LogRow {
    pub id: i64,
    pub at: i64,
    pub user_name: Option<String>,
    pub user_email: Option<String>,
    pub role: Option<String>,
    pub event: String,
    pub subject: Option<String>,
    pub address: Option<String>,
    pub dossier_id: Option<DossierId>,
}

/// What to show of the log. Every condition is optional.
#[derive(Debug, Clone, Default)]
pub struct LogFilter {
    pub user_id: Option<UserId>,
    pub dossier_id: Option<DossierId>,
    pub from: Option<i64>,
    pub to: Option<i64>,
    /// Only rows older than this id (the next page).
    pub before: Option<i64>,
    pub limit: i64,
}

impl Db {
    /// Rows of the audit log, newest first, by the filter.
    pub async fn audit_log(&self, f: &LogFilter) -> Result<Vec<LogRow>, StoreError> {
        // Each condition is switched off by its NULL parameter, so one statement serves all.
        sqlx::query_as(
            "SELECT a.id, a.at, u.name AS user_name, u.email AS user_email, a.role, a.event, a.subject, \
             a.address, a.dossier_id FROM audit_log a LEFT JOIN users u ON u.id = a.user_id \
             WHERE ($1 IS NULL OR a.user_id = $1) AND ($2 IS NULL OR a.dossier_id = $2) \
             AND ($3 IS NULL OR a.at >= $3) AND ($4 IS NULL OR a.at < $4) AND ($5 IS NULL OR a.id < $5) \
             ORDER BY a.id DESC LIMIT $6",
        )
        .bind(f.user_id)
        .bind(f.dossier_id)
        .bind(f.from)
        .bind(f.to)
        .bind(f.before)
        .bind(f.limit)
        .fetch_all(self.pool())
        .await
    }
}

/// An audit row that can travel to the queue's task.
struct Owned {
    at: i64,
    dossier_id: Option<DossierId>,
    role: Option<String>,
    user_id: Option<UserId>,
    event: Event,
    subject: Option<String>,
    address: Option<String>,
}

type Done = tokio::sync::oneshot::Sender<Result<(), String>>;

/// The group-commit queue for audit rows written outside a change's own transaction.
#[derive(Debug, Clone)]
pub struct Queue {
    sender: tokio::sync::mpsc::Sender<(Owned, Done)>,
}

/// At most this many rows in one commit.
const GROUP: usize = 256;

impl Queue {
    pub(crate) fn start(db: Db) -> Queue {
        let (sender, mut receiver) = tokio::sync::mpsc::channel::<(Owned, Done)>(4096);
        tokio::spawn(async move {
            while let Some(first) = receiver.recv().await {
                let mut batch = vec![first];
                while batch.len() < GROUP {
                    match receiver.try_recv() {
                        Ok(next) => batch.push(next),
                        Err(_) => break,
                    }
                }
                let result = write_batch(&db, &batch).await.map_err(|e| e.to_string());
                for (_, done) in batch {
                    let _ = done.send(result.clone());
                }
            }
        });
        Queue { sender }
    }

    /// Queues a row and waits until its transaction has committed.
    async fn write(&self, at: i64, e: &Entry<'_>) -> Result<(), StoreError> {
        let owned = Owned {
            at,
            dossier_id: e.dossier_id,
            role: e.role.map(str::to_string),
            user_id: e.user_id,
            event: e.event,
            subject: e.subject.map(str::to_string),
            address: e.address.map(str::to_string),
        };
        let (done, wait) = tokio::sync::oneshot::channel();
        let closed = || sqlx::Error::Protocol("the audit queue stopped".into());
        self.sender
            .send((owned, done))
            .await
            .map_err(|_| closed())?;
        match wait.await {
            Ok(Ok(())) => Ok(()),
            Ok(Err(message)) => Err(sqlx::Error::Protocol(format!(
                "audit write failed: {message}"
            ))),
            Err(_) => Err(closed()),
        }
    }
}

async fn write_batch(db: &Db, batch: &[(Owned, Done)]) -> Result<(), StoreError> {
    let rows: Vec<(i64, Entry<'_>)> = batch
        .iter()
        .map(|(o, _)| {
            (
                o.at,
                Entry {
                    dossier_id: o.dossier_id,
                    role: o.role.as_deref(),
                    user_id: o.user_id,
                    event: o.event,
                    subject: o.subject.as_deref(),
                    address: o.address.as_deref(),
                },
            )
        })
        .collect();
    let mut tx = db.begin_write().await?;
    append(&mut tx, &rows).await?;
    tx.commit().await
}
