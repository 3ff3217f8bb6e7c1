//! A SQLite database's copy and its check, for `meldcode backup` and `meldcode restore`.
//! (PostgreSQL is backed up with its own tools.)

use super::{Db, StoreError};

impl Db {
    /// Writes a consistent copy of the SQLite database to the new file `path`, from one read
    /// transaction (`VACUUM INTO`), while the server goes on.
    pub async fn copy_into(&self, path: &str) -> Result<(), StoreError> {
        sqlx::query("VACUUM INTO $1")
            .bind(path)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// SQLite's own check of the whole file (`PRAGMA integrity_check`): "ok", or what is wrong.
    pub async fn integrity_check(&self) -> Result<String, StoreError> {
        let (integrity,): (String,) = sqlx::query_as("PRAGMA integrity_check")
            .fetch_one(self.pool())
            .await?;
        Ok(integrity)
    }
}
