//! The store: every SQL statement of the application, one function per query.
//!
//! The same queries run on SQLite (the default, embedded) and PostgreSQL (for several app instances
//! on one database). They go through sqlx's `Any` driver with runtime `query_as` and `FromRow`, so
//! there is one query text for both backends: `$1` placeholders (SQLite accepts them too), times as
//! unix seconds and flags as 0/1 in BIGINT columns, `ON CONFLICT` upserts and `RETURNING`, which both
//! understand. The schema itself differs only where the dialects do, so each backend has its own
//! migrations folder.

pub mod audit;
pub mod dossiers;
pub mod duties;
pub mod generate;
pub mod mail;
pub mod org;
pub mod reports;
pub mod retention;
pub mod sessions;
pub mod throttle;
pub mod tokens;
pub mod users;

use std::str::FromStr;
use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyPool, Executor};

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
    pool: AnyPool,
    backend: Backend,
    /// The queue of audit rows written on their own (reads, logins): one task commits what has
    /// gathered in one transaction. Started on first use.
    audit_queue: std::sync::Arc<std::sync::OnceLock<audit::Queue>>,
}

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
        let options = AnyConnectOptions::from_str(&url)?;
        let pool_options = AnyPoolOptions::new()
            .acquire_timeout(Duration::from_secs(10))
            .max_connections(match backend {
                // SQLite writes one at a time whatever the pool size; a few connections let
                // readers run beside the writer (WAL).
                Backend::Sqlite => 8,
                Backend::Postgres => 16,
            });
        let read_only = url.contains("mode=ro");
        let pool = match backend {
            Backend::Sqlite => {
                pool_options
                    .after_connect(move |conn, _meta| {
                        Box::pin(async move {
                            // WAL lets readers go on while one connection writes; the busy timeout
                            // makes a second writer wait instead of failing; foreign keys are off
                            // by default in SQLite and must be switched on per connection. A
                            // read-only connection (checking a backup) changes nothing in the file.
                            let pragmas = if read_only {
                                "PRAGMA query_only = ON; PRAGMA busy_timeout = 10000;"
                            } else {
                                "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
                                 PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000;"
                            };
                            conn.execute(pragmas).await?;
                            Ok(())
                        })
                    })
                    .connect_with(options)
                    .await?
            }
            Backend::Postgres => pool_options.connect_with(options).await?,
        };
        Ok(Db {
            pool,
            backend,
            audit_queue: Default::default(),
        })
    }

    /// Brings the schema up to date. Safe to run from several instances at once on PostgreSQL
    /// (sqlx takes an advisory lock).
    pub async fn migrate(&self) -> Result<(), sqlx::migrate::MigrateError> {
        match self.backend {
            Backend::Sqlite => SQLITE_MIGRATIONS.run(&self.pool).await?,
            Backend::Postgres => POSTGRES_MIGRATIONS.run(&self.pool).await?,
        }
        // Audit rows from before the hash chain join it once.
        self.chain_unhashed_audit_rows()
            .await
            .map_err(sqlx::migrate::MigrateError::Execute)?;
        Ok(())
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
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
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await,
            Backend::Postgres => self.pool.begin().await,
        }
    }

    /// Whether the database answers a trivial query.
    pub async fn ping(&self) -> bool {
        sqlx::query("SELECT 1").execute(&self.pool).await.is_ok()
    }

    /// Closes the pool; used by tests to show what happens when the database is gone.
    pub async fn close(&self) {
        self.pool.close().await;
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
