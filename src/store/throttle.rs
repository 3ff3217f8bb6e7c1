//! Counters of failed logins, per account and per address (see `domain::throttle`). They live in
//! the database so that every app instance sees the same counts.

use super::{Db, StoreError};
use crate::domain::ids::UserId;
use crate::domain::throttle::{Counter, FORGET_AFTER_SECS};

/// One more failure; a counter quiet for long enough starts again at one.
const RECORD_FAILURE: &str = "INSERT INTO login_throttle (key, failures, last_failure) VALUES ($1, 1, $2) \
     ON CONFLICT (key) DO UPDATE SET \
     failures = CASE WHEN login_throttle.last_failure <= $3 THEN 1 \
                     ELSE login_throttle.failures + 1 END, \
     last_failure = $2";

fn unseen_key(user_id: UserId) -> String {
    format!("unseen:{user_id}")
}

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

    /// The counters named by `keys`, in the same order (None where there is none).
    pub async fn throttle_counters<const N: usize>(
        &self,
        keys: [&str; N],
    ) -> Result<[Option<Counter>; N], StoreError> {
        let sql = format!(
            "SELECT key, failures, last_failure FROM login_throttle WHERE key IN ({})",
            super::placeholders(1, N)
        );
        let mut query = sqlx::query_as::<_, (String, i64, i64)>(&sql);
        for key in keys {
            query = query.bind(key);
        }
        let rows = query.fetch_all(self.pool()).await?;
        Ok(keys.map(|key| {
            rows.iter()
                .find(|(k, _, _)| k == key)
                .map(|&(_, failures, last_failure)| Counter {
                    failures,
                    last_failure,
                })
        }))
    }

    /// Counts one more failure on each counter named by `keys`, in one transaction.
    pub async fn record_failures(&self, keys: &[&str], now: i64) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        for key in keys {
            sqlx::query(RECORD_FAILURE)
                .bind(*key)
                .bind(now)
                .bind(now - FORGET_AFTER_SECS)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await
    }

    /// Forgets the counters named by `keys`.
    pub async fn clear_failures(&self, keys: &[&str]) -> Result<(), StoreError> {
        let sql = format!(
            "DELETE FROM login_throttle WHERE key IN ({})",
            super::placeholders(1, keys.len())
        );
        let mut query = sqlx::query(&sql);
        for key in keys {
            query = query.bind(*key);
        }
        query.execute(self.writer()).await?;
        Ok(())
    }

    /// Counts a failed login on a user's account, to be told at their next login. Unlike the
    /// throttle's counters it does not fade.
    pub async fn count_unseen_failure(&self, user_id: UserId, now: i64) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO login_throttle (key, failures, last_failure) VALUES ($1, 1, $2) \
             ON CONFLICT (key) DO UPDATE SET failures = login_throttle.failures + 1, \
             last_failure = $2",
        )
        .bind(unseen_key(user_id))
        .bind(now)
        .execute(self.writer())
        .await?;
        Ok(())
    }

    /// The failed logins on a user's account since their last login, forgotten once read.
    pub async fn take_unseen_failures(&self, user_id: UserId) -> Result<i64, StoreError> {
        let row: Option<(i64,)> =
            sqlx::query_as("DELETE FROM login_throttle WHERE key = $1 RETURNING failures")
                .bind(unseen_key(user_id))
                .fetch_optional(self.writer())
                .await?;
        Ok(row.map_or(0, |(n,)| n))
    }

    /// Counts one more failure; a counter quiet for long enough starts again at one.
    pub async fn record_failure(&self, key: &str, now: i64) -> Result<(), StoreError> {
        sqlx::query(RECORD_FAILURE)
            .bind(key)
            .bind(now)
            .bind(now - FORGET_AFTER_SECS)
            .execute(self.writer())
            .await?;
        Ok(())
    }

    /// Deletes the throttle's counters that have faded (no failure for [`FORGET_AFTER_SECS`]), so
    /// that the table holds the recent ones only. The unseen-failure counts stay until read.
    pub async fn delete_faded_counters(&self, now: i64) -> Result<u64, StoreError> {
        let done = sqlx::query(
            "DELETE FROM login_throttle WHERE last_failure <= $1 AND key NOT LIKE 'unseen:%'",
        )
        .bind(now - FORGET_AFTER_SECS)
        .execute(self.writer())
        .await?;
        Ok(done.rows_affected())
    }
}
