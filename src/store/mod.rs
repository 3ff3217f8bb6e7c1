//! The store: every SQL statement of the application, one function per query.
//!
//! The same queries run on SQLite (the default, embedded) and PostgreSQL (for several app instances
//! on one database). They go through sqlx's `Any` driver with runtime `query_as` and `FromRow`, so
//! there is one query text for both backends: `$1` placeholders (SQLite accepts them too), times as
//! unix seconds and flags as 0/1 in BIGINT columns, `ON CONFLICT` upserts and `RETURNING`, which both
//! understand. The schema itself differs only where the dialects do, so each backend has its own
//! migrations folder. The few queries that read many rows for a hot page (a dossier's history, the
//! dossier lists, a user's roles) read them as one row holding a JSON array, whose aggregate
//! function differs per dialect: sqlx hands over every row as a message of its own, and that, not
//! the `Any` driver, is what a read costs (measured in bench/PROFILE.md, issue 14).

pub mod alerts;
pub mod audit;
pub mod backup;
pub mod covers;
pub mod dossiers;
pub mod drafts;
pub mod duties;
pub mod generate;
mod ids;
pub mod inspection;
pub mod keys;
pub mod mail;
pub mod oidc;
pub mod org;
pub mod reports;
pub mod retention;
pub mod roster;
pub mod secrets;
pub mod sessions;
pub mod throttle;
pub mod tokens;
pub mod users;

use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyPool, Connection, Executor};

pub use sqlx::Error as StoreError;

/// Which database sits behind the pool.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The database: a connection pool and the backend it speaks to.
#[derive(Debug, Clone)]
pub struct Db {
    /// For reading (on PostgreSQL, for everything).
    pool: AnyPool,
    /// For writing: on SQLite one connection, on PostgreSQL the same pool as `pool`.
    writer: AnyPool,
    backend: Backend,
    /// The queue of audit rows written on their own (reads, logins): one task commits what has
    /// gathered in one transaction. Started on first use.
    audit_queue: std::sync::Arc<std::sync::OnceLock<audit::Queue>>,
    /// The data keys, once [`Db::unlock`] has been given the master key (`keys.rs`).
    keys: std::sync::Arc<std::sync::OnceLock<std::sync::Arc<keys::KeyRing>>>,
}

/// How long a request waits for a database connection before it is told the database is
/// unavailable.
pub const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(2);

/// A pooled connection idle for longer than this is pinged before it is handed out again.
pub const PING_WHEN_IDLE: Duration = Duration::from_secs(2);

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

/// Turns what a user may type as `DATABASE_URL` into a URL sqlx understands: a bare file name
/// means a SQLite file, and a SQLite file is created when it does not exist yet.
pub fn normalise_url(url: &str) -> String {
    let url = url.trim();
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        return url.to_string();
    }
    let mut sqlite = if url.starts_with("sqlite:") {
        url.to_string()
    } else {
        format!("sqlite://{url}")
    };
    if !sqlite.contains("mode=") && !sqlite.contains(":memory:") {
        sqlite.push_str(if sqlite.contains('?') {
            "&mode=rwc"
        } else {
            "?mode=rwc"
        });
    }
    sqlite
}

impl Db {
    /// Connects to the database named by `url` (see [`normalise_url`]). Does not migrate.
    pub async fn connect(url: &str) -> Result<Db, StoreError> {
        sqlx::any::install_default_drivers();
        let url = normalise_url(url);
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else {
            Backend::Postgres
        };
        let read_only = url.contains("mode=ro");
        // The SQLite file is made (when new) before the pools open, and the pools then only open
        // the very file they started with: a removed or replaced file is an outage (503), never a
        // new empty database, and no write goes to a file that is no longer there.
        let file = match backend {
            Backend::Sqlite if !url.contains(":memory:") => {
                let first = AnyConnectOptions::from_str(&url)?;
                sqlx::AnyConnection::connect_with(&first)
                    .await?
                    .close()
                    .await?;
                Some(Arc::new(SqliteFile::of(&url)?))
            }
            _ => None,
        };
        let url = url.replace("mode=rwc", "mode=rw");
        let options = AnyConnectOptions::from_str(&url)?;
        let pool_options = |size: u32| {
            let file = file.clone();
            AnyPoolOptions::new()
                // A page waits at most this long for a connection: when the database is down, the
                // user learns it within seconds (503 with the emergency numbers), instead of
                // after a long wait.
                .acquire_timeout(ACQUIRE_TIMEOUT)
                .max_connections(size)
                // sqlx pings every connection it hands out (`test_before_acquire`): for SQLite a
                // round trip to the connection's worker thread, for PostgreSQL one over the
                // network, before every query, as much as the query itself (bench/PROFILE.md,
                // issue 14). A connection in use moments ago is alive; one that sat idle for
                // longer than `PING_WHEN_IDLE` is still pinged (a restarted PostgreSQL server
                // leaves dead connections in the pool), and replaced when it does not answer.
                .test_before_acquire(false)
                .before_acquire(move |conn, meta| {
                    let file = file.clone();
                    Box::pin(async move {
                        if !outside_transaction(conn) || !file.is_none_or(|f| f.unchanged()) {
                            return Ok(false);
                        }
                        if meta.idle_for > PING_WHEN_IDLE
                            && let Err(error) = conn.ping().await
                        {
                            tracing::info!(%error, "an idle connection did not answer; replaced");
                            return Ok(false);
                        }
                        Ok(true)
                    })
                })
        };
        let (pool, writer) = match backend {
            Backend::Sqlite => {
                // WAL lets readers go on while one connection writes; the busy timeout makes a
                // writer of another process (the command line) wait instead of failing; foreign
                // keys are off by default in SQLite and must be switched on per connection.
                // `synchronous = FULL`: a commit is on disk before it returns, so a dossier entry
                // that was confirmed survives a power cut too. SQLite's caches together stay
                // near 16 MiB (`soft_heap_limit`, for the whole process), so that a large report
                // does not leave the server holding its pages. A read-only connection (checking a
                // backup) changes nothing in the file.
                let pragmas = if read_only {
                    "PRAGMA query_only = ON; PRAGMA busy_timeout = 10000;"
                } else {
                    "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; \
                     PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000; \
                     PRAGMA soft_heap_limit = 16777216;"
                };
                let connect = |size: u32| {
                    let file = file.clone();
                    pool_options(size)
                        .after_connect(move |conn, _meta| {
                            let file = file.clone();
                            Box::pin(async move {
                                if let Some(f) = file
                                    && !f.unchanged()
                                {
                                    return Err(f.gone());
                                }
                                conn.execute(pragmas).await?;
                                Ok(())
                            })
                        })
                        .connect_with(options.clone())
                };
                // Readers share a few connections. SQLite writes one at a time whatever happens,
                // so every write goes through one connection of its own: writers wait their turn
                // in the pool's queue, in order, instead of in SQLite's busy handler, which sleeps
                // in steps of up to 100 ms.
                let pool = connect(4).await?;
                let writer = if read_only {
                    pool.clone()
                } else {
                    connect(1).await?
                };
                (pool, writer)
            }
            Backend::Postgres => {
                let pool = pool_options(16).connect_with(options).await?;
                (pool.clone(), pool)
            }
        };
        Ok(Db {
            pool,
            writer,
            backend,
            audit_queue: Default::default(),
            keys: Default::default(),
        })
    }

    /// Brings the schema up to date. Safe to run from several instances at once on PostgreSQL
    /// (sqlx takes an advisory lock).
    pub async fn migrate(&self) -> Result<(), sqlx::migrate::MigrateError> {
        match self.backend {
            Backend::Sqlite => SQLITE_MIGRATIONS.run(&self.writer).await?,
            Backend::Postgres => POSTGRES_MIGRATIONS.run(&self.pool).await?,
        }
        // Audit rows from before the hash chain join it once.
        self.chain_unhashed_audit_rows()
            .await
            .map_err(sqlx::migrate::MigrateError::Execute)?;
        // Pupils from before their names were keyed get their key once.
        self.key_unkeyed_pupils()
            .await
            .map_err(sqlx::migrate::MigrateError::Execute)?;
        // Dossiers from before the meldnorm's state was kept get it from their entries, once.
        self.fill_in_standing()
            .await
            .map_err(sqlx::migrate::MigrateError::Execute)?;
        Ok(())
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The pool to read with. Private to the store: everything outside it calls a store function.
    fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// The pool to write with, for a statement that writes on its own (outside
    /// [`Db::begin_write`]). Private to the store, like [`Db::pool`].
    fn writer(&self) -> &AnyPool {
        &self.writer
    }

    /// The pool to read with, for the integration tests' own assertions and set-ups (the
    /// `test-support` feature, which only the tests switch on). Not for the application.
    #[doc(hidden)]
    #[cfg(any(test, feature = "test-support"))]
    pub fn pool_for_tests(&self) -> &AnyPool {
        &self.pool
    }

    /// The pool to write with, for the integration tests (see [`Db::pool_for_tests`]).
    #[doc(hidden)]
    #[cfg(any(test, feature = "test-support"))]
    pub fn writer_for_tests(&self) -> &AnyPool {
        &self.writer
    }

    pub(crate) fn audit_queue(&self) -> &audit::Queue {
        self.audit_queue
            .get_or_init(|| audit::Queue::start(self.clone()))
    }

    /// Starts a transaction that will write. On SQLite it takes the write lock at once
    /// (`BEGIN IMMEDIATE`): a deferred transaction that reads first and writes later can fail with
    /// "database is locked" without waiting, where an immediate one waits its turn.
    pub async fn begin_write(&self) -> Result<sqlx::Transaction<'static, sqlx::Any>, StoreError> {
        match self.backend {
            Backend::Sqlite => self.writer.begin_with("BEGIN IMMEDIATE").await,
            Backend::Postgres => self.writer.begin().await,
        }
    }

    /// Whether the database answers a trivial query.
    pub async fn ping(&self) -> bool {
        sqlx::query("SELECT 1").execute(&self.pool).await.is_ok()
    }

    /// Closes the pool; used by tests to show what happens when the database is gone.
    pub async fn close(&self) {
        self.pool.close().await;
        self.writer.close().await;
    }
}

/// The SQLite file the pools opened at start-up, by its device and inode.
#[derive(Debug)]
struct SqliteFile {
    path: std::path::PathBuf,
    id: (u64, u64),
}

impl SqliteFile {
    fn of(url: &str) -> Result<SqliteFile, StoreError> {
        let path = url
            .trim_start_matches("sqlite://")
            .trim_start_matches("sqlite:")
            .split('?')
            .next()
            .unwrap_or_default();
        let path = std::path::PathBuf::from(path);
        let id = Self::id_of(&path)?;
        Ok(SqliteFile { path, id })
    }

    fn id_of(path: &std::path::Path) -> std::io::Result<(u64, u64)> {
        use std::os::unix::fs::MetadataExt;
        let m = std::fs::metadata(path)?;
        Ok((m.dev(), m.ino()))
    }

    /// Whether the file is still the one the pools started with (a stat, microseconds).
    fn unchanged(&self) -> bool {
        let same = Self::id_of(&self.path).is_ok_and(|id| id == self.id);
        if !same {
            tracing::error!(
                "the SQLite database file was removed or replaced; Meldcode answers 503 until it \
                 is back (a file restored from a backup needs a restart of Meldcode)"
            );
        }
        same
    }

    fn gone(&self) -> StoreError {
        sqlx::Error::Io(std::io::Error::new(
            std::io::ErrorKind::NotFound,
            "the SQLite database file was removed or replaced",
        ))
    }
}

/// Whether an idle connection may be handed out: not while it still counts an open transaction.
/// sqlx 0.8 can leave one behind when a BEGIN's caller is dropped at the wrong moment (sqlx issue
/// 3932); writes on it would then fail, or wait inside a transaction that never commits. Such a
/// connection is closed instead (which rolls back what it held) and the pool opens a fresh one.
fn outside_transaction(conn: &mut sqlx::AnyConnection) -> bool {
    use sqlx::{Database, TransactionManager};
    let depth = <sqlx::Any as Database>::TransactionManager::get_transaction_depth(conn);
    if depth > 0 {
        tracing::warn!(
            depth,
            "a pooled connection was left inside a transaction; closed"
        );
    }
    depth == 0
}

/// The rows of a query that reads them as one JSON array (see the module's doc): each element
/// deserialises as `T`, an array in `T`'s field order.
pub(crate) fn json_rows<T: serde::de::DeserializeOwned>(json: &str) -> Result<Vec<T>, StoreError> {
    serde_json::from_str(json).map_err(|e| sqlx::Error::Decode(Box::new(e)))
}

/// `$start, $start+1, …` for a list of binds, as one query text serves both backends.
pub(crate) fn placeholders(start: usize, n: usize) -> String {
    (start..start + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Whether an error means that the database cannot be reached now (down, restarting, locked by
/// another process, its file gone), as opposed to a fault in a query. Pages answer such an error
/// with 503 and a page that says so; it passes when the database is back.
pub fn is_unavailable(err: &StoreError) -> bool {
    match err {
        sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::Io(_)
        | sqlx::Error::Tls(_)
        | sqlx::Error::WorkerCrashed => true,
        sqlx::Error::Database(db) => {
            let code = db.code().unwrap_or_default();
            // PostgreSQL: connection exceptions (08…), shutting down or starting (57P01-57P03),
            // too many connections (53300). SQLite: busy (5) or locked (6) beyond the busy
            // timeout, the file cannot be opened (14), disk I/O errors (10 and its extended
            // codes, which end in 10 when taken modulo 256). SQLite's codes are numbers of at
            // most four digits; PostgreSQL's have five characters (42501, a missing privilege,
            // is a fault, not an outage).
            code.starts_with("08")
                || matches!(code.as_ref(), "57P01" | "57P02" | "57P03" | "53300")
                || (code.len() < 5
                    && code
                        .parse::<i64>()
                        .is_ok_and(|c| matches!(c & 0xff, 5 | 6 | 10 | 14)))
        }
        _ => false,
    }
}

/// Whether an error is the violation of a unique constraint (a name or e-mail already taken).
pub fn is_unique_violation(err: &StoreError) -> bool {
    match err {
        sqlx::Error::Database(db) => db.is_unique_violation(),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::normalise_url;

    #[test]
    fn a_bare_file_name_means_a_sqlite_file_created_on_first_use() {
        assert_eq!(
            normalise_url("meldcode.db"),
            "sqlite://meldcode.db?mode=rwc"
        );
        assert_eq!(
            normalise_url("sqlite://x.db?mode=ro"),
            "sqlite://x.db?mode=ro"
        );
        assert_eq!(
            normalise_url("postgres://postgres@127.0.0.1/meldcode"),
            "postgres://postgres@127.0.0.1/meldcode"
        );
    }
}
