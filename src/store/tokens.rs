//! One-time links: the setup link of a new installation and a user's activation link.
//!
//! Only a SHA-256 hash of the token is stored: someone who reads the database cannot use a link.
//! Using a link deletes its row in the same statement that checks it, so a link works once.

use crate::domain::ids::UserId;
use sha2::{Digest, Sha256};

use super::{Db, StoreError};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    Setup,
    Activation,
}

impl Purpose {
    fn code(self) -> &'static str {
        match self {
            Purpose::Setup => "setup",
            Purpose::Activation => "activation",
        }
    }
}

/// A new random token: 32 bytes, URL-safe base64.
pub fn new_token() -> String {
    use base64::Engine;
    use rand::RngCore;
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

pub fn hash_token(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

impl Db {
    /// Stores a new token. For `Setup`, every earlier setup token is removed: only the link printed
    /// last works.
    pub async fn store_token(
        &self,
        token: &str,
        purpose: Purpose,
        user_id: Option<UserId>,
        now: i64,
        valid_secs: i64,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        if purpose == Purpose::Setup {
            sqlx::query("DELETE FROM one_time_tokens WHERE purpose = 'setup'")
                .execute(&mut *tx)
                .await?;
        }
        if let Some(user_id) = user_id {
            // A new activation link replaces the user's earlier one.
            sqlx::query("DELETE FROM one_time_tokens WHERE user_id = $1 AND purpose = $2")
                .bind(user_id)
                .bind(purpose.code())
                .execute(&mut *tx)
                .await?;
        }
        sqlx::query(
            "INSERT INTO one_time_tokens (token_hash, purpose, user_id, expires_at, created_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(hash_token(token))
        .bind(purpose.code())
        .bind(user_id)
        .bind(now + valid_secs)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        tx.commit().await
    }

    /// Whether a token is valid, without using it (to show the form behind a link).
    /// Returns the user it belongs to (`Some(None)` for a setup token).
    pub async fn peek_token(
        &self,
        token: &str,
        purpose: Purpose,
        now: i64,
    ) -> Result<Option<Option<UserId>>, StoreError> {
        let row: Option<(Option<UserId>,)> = sqlx::query_as(
            "SELECT user_id FROM one_time_tokens WHERE token_hash = $1 AND purpose = $2 AND expires_at > $3",
        )
        .bind(hash_token(token))
        .bind(purpose.code())
        .bind(now)
        .fetch_optional(self.pool())
        .await?;
        Ok(row.map(|(u,)| u))
    }
}

/// Uses a token inside the caller's transaction: deletes it and says whom it was for. `None` when
/// it does not exist, has expired or was used already. Deleting and checking in one statement means
/// two requests racing with the same link cannot both succeed.
pub async fn take_token(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    token: &str,
    purpose: Purpose,
    now: i64,
) -> Result<Option<Option<UserId>>, StoreError> {
    let row: Option<(Option<UserId>,)> = sqlx::query_as(
        "DELETE FROM one_time_tokens WHERE token_hash = $1 AND purpose = $2 AND expires_at > $3 \
         RETURNING user_id",
    )
    .bind(hash_token(token))
    .bind(purpose.code())
    .bind(now)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(row.map(|(u,)| u))
}
