//! Single sign-on: the organisation's OpenID Connect provider and the accounts linked to its
//! subjects (table `oidc_providers`, `oidc_links`; migration 0023).

use sqlx::FromRow;

use super::{Db, StoreError};
use crate::domain::ids::UserId;

/// The identity provider as the beheerder configured it.
///
/// `Debug` leaves the client secret out: a settings struct must not put it in a log line.
#[derive(Clone, FromRow)]
pub struct Provider {
    pub organisation_id: i64,
    /// `microsoft`, `google` or `anders` (see `domain::oidc::Preset`).
    pub preset: String,
    /// The provider's name on the login button: "Inloggen met {name}".
    pub name: String,
    pub issuer: String,
    pub client_id: String,
    pub client_secret: String,
    /// The e-mail domains the provider covers, space-separated.
    pub domains: String,
    /// 0 when users of the covered domains (beheerders excepted) must log in through the provider.
    pub password_login: i64,
    /// The school at which a login that finds no account makes one, as a beroepskracht; `None`:
    /// never (the default).
    pub create_school_id: Option<i64>,
}

impl std::fmt::Debug for Provider {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Provider")
            .field("organisation_id", &self.organisation_id)
            .field("preset", &self.preset)
            .field("name", &self.name)
            .field("issuer", &self.issuer)
            .field("client_id", &self.client_id)
            .field("client_secret", &"(verborgen)")
            .field("domains", &self.domains)
            .field("password_login", &self.password_login)
            .field("create_school_id", &self.create_school_id)
            .finish()
    }
}

impl Db {
    /// The organisation's provider, if one is configured.
    pub async fn oidc_provider(&self, org_id: i64) -> Result<Option<Provider>, StoreError> {
        sqlx::query_as(
            "SELECT organisation_id, preset, name, issuer, client_id, client_secret, domains, \
             password_login, create_school_id FROM oidc_providers WHERE organisation_id = $1",
        )
        .bind(org_id)
        .fetch_optional(self.pool())
        .await
    }

    /// Stores the organisation's provider. An empty `client_secret` keeps the one stored (the page
    /// never shows it, so a beheerder who changes something else leaves the field empty).
    pub async fn save_oidc_provider(&self, p: &Provider, now: i64) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO oidc_providers (organisation_id, preset, name, issuer, client_id, \
             client_secret, domains, password_login, create_school_id, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
             ON CONFLICT (organisation_id) DO UPDATE SET preset = excluded.preset, \
             name = excluded.name, issuer = excluded.issuer, client_id = excluded.client_id, \
             client_secret = CASE WHEN excluded.client_secret = '' \
                 THEN oidc_providers.client_secret ELSE excluded.client_secret END, \
             domains = excluded.domains, password_login = excluded.password_login, \
             create_school_id = excluded.create_school_id, updated_at = excluded.updated_at",
        )
        .bind(p.organisation_id)
        .bind(&p.preset)
        .bind(&p.name)
        .bind(&p.issuer)
        .bind(&p.client_id)
        .bind(&p.client_secret)
        .bind(&p.domains)
        .bind(p.password_login)
        .bind(p.create_school_id)
        .bind(now)
        .execute(self.writer())
        .await?;
        Ok(())
    }

    /// Removes the organisation's provider; the links stay, for when it is configured again.
    pub async fn remove_oidc_provider(&self, org_id: i64) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM oidc_providers WHERE organisation_id = $1")
            .bind(org_id)
            .execute(self.writer())
            .await?;
        Ok(())
    }

    /// The user a provider's subject was linked to.
    pub async fn oidc_linked_user(
        &self,
        issuer: &str,
        subject: &str,
    ) -> Result<Option<UserId>, StoreError> {
        let row: Option<(UserId,)> =
            sqlx::query_as("SELECT user_id FROM oidc_links WHERE issuer = $1 AND subject = $2")
                .bind(issuer)
                .bind(subject)
                .fetch_optional(self.pool())
                .await?;
        Ok(row.map(|r| r.0))
    }

    /// Links a provider's subject to a user (the first login matched by e-mail address). A subject
    /// already linked keeps its user.
    pub async fn link_oidc_subject(
        &self,
        issuer: &str,
        subject: &str,
        user_id: UserId,
        now: i64,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO oidc_links (issuer, subject, user_id, linked_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (issuer, subject) DO NOTHING",
        )
        .bind(issuer)
        .bind(subject)
        .bind(user_id)
        .bind(now)
        .execute(self.writer())
        .await?;
        Ok(())
    }
}
