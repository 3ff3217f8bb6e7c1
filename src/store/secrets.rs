//! Keys the application makes for itself once and every instance shares: they sign cookies, so
//! a cookie set by one instance is good at the next.

use super::{Db, StoreError};

impl Db {
    /// The secret named `name`, made from `fresh` the first time it is asked for. When two
    /// instances start at once, one value wins and both read it.
    pub async fn secret(&self, name: &str, fresh: &str) -> Result<String, StoreError> {
        sqlx::query(
            "INSERT INTO app_secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING",
        )
        .bind(name)
        .bind(fresh)
        .execute(self.writer())
        .await?;
        let (value,): (String,) = sqlx::query_as("SELECT value FROM app_secrets WHERE name = $1")
            .bind(name)
            .fetch_one(self.writer())
            .await?;
        Ok(value)
    }
}
