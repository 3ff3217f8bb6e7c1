//! Counters of failed logins, per account and per address (see `domain::throttle`). They live in
//! the database so that every app instance sees the same counts.

use super::{Db, StoreError};
use crate::domain::throttle::{Counter, FORGET_AFTER_SECS};

impl Db {
    pub async fn throttle_counter(&self, key: &str) -> Result<Option<Counter>, StoreError> {
        let row: Option<(i64, i64)> =
            sqlx::query_as("SELECT failures, last_failure FROM login_throttle WHERE key = $1")
                .bind(key)
                .fetch_optional(self.pool())
                .await?;
        Ok(row.map(|(failures, last_failure)| Counter {
            failures,
            last_failure,
        }))
    }

    /// Counts one more failure; a counter quiet for long enough starts again at one.
    pub async fn record_failure(&self, key: &str, now: i64) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO login_throttle (key, failures, last_failure) VALUES ($1, 1, $2) \
             ON CONFLICT (key) DO UPDATE SET \
             failures = CASE WHEN login_throttle.last_failure <= $3 THEN 1 \
                             ELSE login_throttle.failures + 1 END, \
             last_failure = $2",
        )
        .bind(key)
        .bind(now)
        .bind(now - FORGET_AFTER_SECS)
        .execute(self.writer())
        .await?;
        Ok(())
    }

    pub async fn clear_failures(&self, key: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM login_throttle WHERE key = $1")
            .bind(key)
            .execute(self.writer())
            .await?;
        Ok(())
    }
}
