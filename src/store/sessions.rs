//! The session store behind tower-sessions, in the application's own database.
//!
//! tower-sessions-sqlx-store would need a backend-specific pool, and it keeps the session data as
//! an opaque blob. This store keeps the logged-in user's id in a column of its own, so that
//! deactivating a user can delete all of that user's sessions in one statement, and it derives the
//! row's expiry from the session's idle and absolute limits, so that an expired session cannot be
//! loaded even if no request ever touches it again.

use crate::domain::ids::UserId;
use async_trait::async_trait;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, SessionStore};

use super::Db;
use crate::clock::Clock;
use crate::domain::session::{ANONYMOUS_SECS, SessionAuth};

/// How long after its end a session row is still loaded (see `load`).
const ENDED_GRACE_SECS: i64 = 60 * 60;

#[derive(Debug, Clone)]
pub struct DbSessionStore {
    db: Db,
    clock: Clock,
}

impl DbSessionStore {
    pub fn new(db: Db, clock: Clock) -> DbSessionStore {
        DbSessionStore { db, clock }
    }

    /// The user and expiry stored beside the data.
    fn columns(&self, record: &Record) -> (Option<UserId>, i64) {
        let auth = record
            .data
            .get(SessionAuth::KEY)
            .and_then(|v| serde_json::from_value::<SessionAuth>(v.clone()).ok());
        match auth {
            Some(a) => (Some(a.user_id), a.expires_at()),
            None => (None, self.clock.unix() + ANONYMOUS_SECS),
        }
    }

    /// Deletes sessions that have expired. Run now and then by a background task.
    pub async fn delete_expired(&self) -> Result<u64, sqlx::Error> {
        let done = sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
            .bind(self.clock.unix() - ENDED_GRACE_SECS)
            .execute(self.db.writer())
            .await?;
        Ok(done.rows_affected())
    }
}

/// Marks a session store error that means the database cannot be reached (the web layer answers
/// 503 for those, 500 for others).
pub const UNAVAILABLE: &str = "[database unavailable]";

fn backend(err: sqlx::Error) -> session_store::Error {
    if super::is_unavailable(&err) {
        session_store::Error::Backend(format!("{UNAVAILABLE} {err}"))
    } else {
        session_store::Error::Backend(err.to_string())
    }
}

#[async_trait]
impl SessionStore for DbSessionStore {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        let data = serde_json::to_string(&record.data)
            .map_err(|e| session_store::Error::Encode(e.to_string()))?;
        let (user_id, expires_at) = self.columns(record);
        // A collision of two random 128-bit ids is practically impossible, but if it happens the
        // existing session must not be overwritten: draw a new id instead.
        loop {
            let done = sqlx::query(
                "INSERT INTO sessions (id, user_id, data, expires_at) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (id) DO NOTHING",
            )
            .bind(record.id.to_string())
            .bind(user_id)
            .bind(&data)
            .bind(expires_at)
            .execute(self.db.writer())
            .await
            .map_err(backend)?;
            if done.rows_affected() == 1 {
                return Ok(());
            }
            record.id = Id::default();
        }
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        let data = serde_json::to_string(&record.data)
            .map_err(|e| session_store::Error::Encode(e.to_string()))?;
        let (user_id, expires_at) = self.columns(record);
        sqlx::query(
            "INSERT INTO sessions (id, user_id, data, expires_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (id) DO UPDATE SET user_id = excluded.user_id, data = excluded.data, \
             expires_at = excluded.expires_at",
        )
        .bind(record.id.to_string())
        .bind(user_id)
        .bind(&data)
        .bind(expires_at)
        .execute(self.db.writer())
        .await
        .map_err(backend)?;
        Ok(())
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        // A session that ended less than an hour ago is still handed out, so that the session
        // guard can end it explicitly and tell the user why they must log in again. The guard
        // checks the exact limits of a logged-in session on every request; an anonymous one only
        // holds the login form's token.
        let row: Option<(String, i64)> = sqlx::query_as(
            "SELECT data, expires_at FROM sessions WHERE id = $1 AND expires_at > $2",
        )
        .bind(id.to_string())
        .bind(self.clock.unix() - ENDED_GRACE_SECS)
        .fetch_optional(self.db.pool())
        .await
        .map_err(backend)?;
        let Some((data, expires_at)) = row else {
            return Ok(None);
        };
        let data =
            serde_json::from_str(&data).map_err(|e| session_store::Error::Decode(e.to_string()))?;
        let expiry_date = time::OffsetDateTime::from_unix_timestamp(expires_at)
            .map_err(|e| session_store::Error::Decode(e.to_string()))?;
        Ok(Some(Record {
            id: *id,
            data,
            expiry_date,
        }))
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        sqlx::query("DELETE FROM sessions WHERE id = $1")
            .bind(id.to_string())
            .execute(self.db.writer())
            .await
            .map_err(backend)?;
        Ok(())
    }
}

impl Db {
    /// How many sessions a user has (for tests and, later, the user's own session list).
    pub async fn session_count(&self, user_id: UserId) -> Result<i64, sqlx::Error> {
        let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM sessions WHERE user_id = $1")
            .bind(user_id)
            .fetch_one(self.pool())
            .await?;
        Ok(n)
    }
}

/// A logged-in session as its user sees it in the list of their sessions.
#[derive(Debug, Clone)]
pub struct SessionInfo {
    /// A handle that names the session without revealing its id (the id is the secret cookie).
    pub handle: String,
    pub auth: SessionAuth,
}

/// The handle of a session id: a hash, so that pages never show a session id.
pub fn handle_of(id: &str) -> String {
    crate::store::tokens::hash_token(id)[..20].to_string()
}

impl Db {
    /// A user's sessions, most recently used first.
    pub async fn user_sessions(
        &self,
        user_id: UserId,
        now: i64,
    ) -> Result<Vec<SessionInfo>, sqlx::Error> {
        let rows: Vec<(String, String)> =
            sqlx::query_as("SELECT id, data FROM sessions WHERE user_id = $1 AND expires_at > $2")
                .bind(user_id)
                .bind(now)
                .fetch_all(self.pool())
                .await?;
        let mut sessions: Vec<SessionInfo> = rows
            .into_iter()
            .filter_map(|(id, data)| {
                let value: serde_json::Value = serde_json::from_str(&data).ok()?;
                let auth: SessionAuth =
                    serde_json::from_value(value.get(SessionAuth::KEY)?.clone()).ok()?;
                Some(SessionInfo {
                    handle: handle_of(&id),
                    auth,
                })
            })
            .collect();
        sessions.sort_by_key(|s| std::cmp::Reverse(s.auth.last_seen));
        Ok(sessions)
    }

    /// Ends one of a user's sessions, named by its handle.
    pub async fn end_session(&self, user_id: UserId, handle: &str) -> Result<bool, sqlx::Error> {
        let ids: Vec<(String,)> = sqlx::query_as("SELECT id FROM sessions WHERE user_id = $1")
            .bind(user_id)
            .fetch_all(self.pool())
            .await?;
        let Some((id,)) = ids.into_iter().find(|(id,)| handle_of(id) == handle) else {
            return Ok(false);
        };
        sqlx::query("DELETE FROM sessions WHERE id = $1 AND user_id = $2")
            .bind(id)
            .bind(user_id)
            .execute(self.writer())
            .await?;
        Ok(true)
    }

    /// Changes a user's password; with `keep`, every other session of the user ends.
    pub async fn change_password(
        &self,
        user_id: UserId,
        hash: &str,
        end_others_except: Option<&str>,
    ) -> Result<(), sqlx::Error> {
        let mut tx = self.begin_write().await?;
        sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
            .bind(hash)
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        if let Some(keep) = end_others_except {
            sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND id <> $2")
                .bind(user_id)
                .bind(keep)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await
    }
}
