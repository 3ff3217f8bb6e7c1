//! The organisation (bevoegd gezag) and its schools.

use crate::domain::ids::{SchoolId, UserId};
use sqlx::FromRow;

use super::{Db, StoreError};

/// The organisation that runs the schools. One installation serves one organisation.
#[derive(Debug, Clone, FromRow)]
pub struct Organisation {
    pub id: i64,
    pub name: String,
    /// Veilig Thuis, the advice and reporting centre: 0800-2000 nationally.
    pub veilig_thuis_phone: String,
    pub emergency_phone: String,
    /// The confidential inspector (vertrouwensinspecteur) of the education inspectorate.
    pub inspector_phone: String,
    /// The Veilig Thuis region, e.g. "Twente"; empty when not set.
    pub veilig_thuis_region: String,
    /// How often staff should follow a meldcode training, in months.
    pub training_interval_months: i64,
    /// How many years after closing a dossier is purged.
    pub retention_years: i64,
    /// The roles that must use two-factor authentication, as space-separated codes.
    pub two_factor_roles: String,
    /// How the organisation supports staff who are held to account, in or out of court, for how
    /// they applied the meldcode (section IV.b); empty until the beheerder records it.
    pub support_text: String,
    /// Whom staff contact about that support: a name, and a phone number or e-mail address.
    pub support_contact_name: String,
    pub support_contact: String,
    /// After how many days without an entry an open dossier is quiet: see `quiet()`.
    pub quiet_days: i64,
}

impl Organisation {
    /// The organisation's number of quiet days, as the rule in `domain::dossier` takes it.
    pub fn quiet(&self) -> crate::domain::dossier::QuietDays {
        crate::domain::dossier::QuietDays::from_stored(self.quiet_days)
    }

    /// The support arrangement, once recorded.
    pub fn support(&self) -> Option<crate::domain::conditions::Support> {
        crate::domain::conditions::Support::from_stored(
            &self.support_text,
            &self.support_contact_name,
            &self.support_contact,
        )
    }
}

#[derive(Debug, Clone, FromRow)]
pub struct School {
    pub id: SchoolId,
    pub name: String,
}

/// The numbers an organisation can change.
#[derive(Debug, Clone)]
pub struct Numbers {
    pub veilig_thuis_phone: String,
    pub emergency_phone: String,
    pub inspector_phone: String,
    pub veilig_thuis_region: String,
    pub training_interval_months: i64,
    pub retention_years: i64,
    pub two_factor_roles: String,
    /// The support arrangement: `None` leaves it unrecorded (all three texts empty).
    pub support: Option<crate::domain::conditions::Support>,
    pub quiet_days: crate::domain::dossier::QuietDays,
}

impl Db {
    pub async fn organisation(&self) -> Result<Option<Organisation>, StoreError> {
        sqlx::query_as(
            "SELECT id, name, veilig_thuis_phone, emergency_phone, inspector_phone, veilig_thuis_region, \
             training_interval_months, retention_years, two_factor_roles, support_text, \
             support_contact_name, support_contact, quiet_days FROM organisations ORDER BY id LIMIT 1",
        )
        .fetch_optional(self.pool())
        .await
    }

    pub async fn update_numbers(&self, org_id: i64, n: &Numbers) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE organisations SET veilig_thuis_phone = $1, emergency_phone = $2, \
             inspector_phone = $3, veilig_thuis_region = $4, training_interval_months = $5, \
             retention_years = $7, two_factor_roles = $8, support_text = $9, \
             support_contact_name = $10, support_contact = $11, quiet_days = $12 WHERE id = $6",
        )
        .bind(&n.veilig_thuis_phone)
        .bind(&n.emergency_phone)
        .bind(&n.inspector_phone)
        .bind(&n.veilig_thuis_region)
        .bind(n.training_interval_months)
        .bind(org_id)
        .bind(n.retention_years)
        .bind(&n.two_factor_roles)
        .bind(n.support.as_ref().map_or("", |s| s.text.as_str()))
        .bind(n.support.as_ref().map_or("", |s| s.contact_name.as_str()))
        .bind(n.support.as_ref().map_or("", |s| s.contact.as_str()))
        .bind(n.quiet_days.days())
        .execute(self.writer())
        .await?;
        Ok(())
    }

    pub async fn schools(&self, org_id: i64) -> Result<Vec<School>, StoreError> {
        sqlx::query_as("SELECT id, name FROM schools WHERE organisation_id = $1 ORDER BY name")
            .bind(org_id)
            .fetch_all(self.pool())
            .await
    }

    /// At most `limit` schools of the organisation whose name contains `part` (any case), by name.
    pub async fn schools_matching(
        &self,
        org_id: i64,
        part: &str,
        limit: i64,
    ) -> Result<Vec<School>, StoreError> {
        let escaped: String = part
            .trim()
            .to_lowercase()
            .chars()
            .flat_map(|c| match c {
                '%' | '_' | '\\' => vec!['\\', c],
                c => vec![c],
            })
            .collect();
        sqlx::query_as(
            "SELECT id, name FROM schools WHERE organisation_id = $1 \
             AND LOWER(name) LIKE $2 ESCAPE '\\' ORDER BY name LIMIT $3",
        )
        .bind(org_id)
        .bind(format!("%{escaped}%"))
        .bind(limit)
        .fetch_all(self.pool())
        .await
    }

    pub async fn school_by_name(
        &self,
        org_id: i64,
        name: &str,
    ) -> Result<Option<School>, StoreError> {
        sqlx::query_as("SELECT id, name FROM schools WHERE organisation_id = $1 AND name = $2")
            .bind(org_id)
            .bind(name)
            .fetch_optional(self.pool())
            .await
    }

    pub async fn school(&self, org_id: i64, id: SchoolId) -> Result<Option<School>, StoreError> {
        sqlx::query_as("SELECT id, name FROM schools WHERE organisation_id = $1 AND id = $2")
            .bind(org_id)
            .bind(id)
            .fetch_optional(self.pool())
            .await
    }

    /// Adds a school; a name already in use is a unique violation (see `is_unique_violation`).
    pub async fn add_school(
        &self,
        org_id: i64,
        name: &str,
        now: i64,
    ) -> Result<SchoolId, StoreError> {
        insert_school(self.writer(), org_id, name, now).await
    }
}

/// Creates the organisation with its first school, in one transaction: used by the setup link,
/// the command line and the demo. Once that transaction has committed, the caller gives the
/// organisation its data key (`Db::ensure_data_keys`).
pub async fn create_organisation(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    name: &str,
    first_school: &str,
    now: i64,
) -> Result<(i64, SchoolId), StoreError> {
    let (org_id,): (i64,) =
        sqlx::query_as("INSERT INTO organisations (name, created_at) VALUES ($1, $2) RETURNING id")
            .bind(name)
            .bind(now)
            .fetch_one(&mut **tx)
            .await?;
    let school_id = insert_school(&mut **tx, org_id, first_school, now).await?;
    Ok((org_id, school_id))
}

/// Adds a school; a name already in use in the organisation is a unique violation.
pub async fn insert_school<'e>(
    exec: impl sqlx::Executor<'e, Database = sqlx::Any>,
    org_id: i64,
    name: &str,
    now: i64,
) -> Result<SchoolId, StoreError> {
    let (id,): (SchoolId,) = sqlx::query_as(
        "INSERT INTO schools (organisation_id, name, created_at) VALUES ($1, $2, $3) RETURNING id",
    )
    .bind(org_id)
    .bind(name)
    .bind(now)
    .fetch_one(exec)
    .await?;
    Ok(id)
}

/// Sets the roles that must use two-factor authentication (space-separated codes; empty: none),
/// within a transaction that makes the organisation: the demo's, whose published logins have no
/// phone.
pub async fn set_two_factor_roles<'e>(
    exec: impl sqlx::Executor<'e, Database = sqlx::Any>,
    org_id: i64,
    roles: &str,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE organisations SET two_factor_roles = $2 WHERE id = $1")
        .bind(org_id)
        .bind(roles)
        .execute(exec)
        .await?;
    Ok(())
}

impl Db {
    /// The signal list in use for a band: the organisation's own, or the default. The flag says
    /// whether it is the organisation's own.
    pub async fn signal_list(
        &self,
        org_id: i64,
        band: crate::domain::signals::AgeBand,
    ) -> Result<(crate::domain::signals::List, bool), StoreError> {
        use crate::domain::signals::List;
        let row: Option<(String,)> = sqlx::query_as(
            "SELECT body FROM signal_lists WHERE organisation_id = $1 AND band = $2",
        )
        .bind(org_id)
        .bind(band.code())
        .fetch_optional(self.pool())
        .await?;
        // A stored list was checked when it was saved; should it no longer parse, the default
        // serves rather than nothing.
        let parsed = row.map(|(body,)| List::parse(&body).ok());
        if let Some(None) = parsed {
            tracing::error!(
                organisation = org_id,
                band = band.code(),
                "the organisation's stored signal list cannot be read; the default list is used"
            );
        }
        Ok(match parsed.flatten() {
            Some(list) => (list, true),
            None => (List::default_for(band), false),
        })
    }

    /// Saves an organisation's own list for a band (already checked with `List::parse`).
    pub async fn save_signal_list(
        &self,
        org_id: i64,
        band: crate::domain::signals::AgeBand,
        list: &crate::domain::signals::List,
        user_id: UserId,
        now: i64,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO signal_lists (organisation_id, band, body, updated_at, updated_by) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (organisation_id, band) DO UPDATE SET \
             body = excluded.body, updated_at = excluded.updated_at, updated_by = excluded.updated_by",
        )
        .bind(org_id)
        .bind(band.code())
        .bind(list.to_text())
        .bind(now)
        .bind(user_id)
        .execute(self.writer())
        .await?;
        Ok(())
    }

    /// Goes back to the default list for a band.
    pub async fn reset_signal_list(
        &self,
        org_id: i64,
        band: crate::domain::signals::AgeBand,
    ) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM signal_lists WHERE organisation_id = $1 AND band = $2")
            .bind(org_id)
            .bind(band.code())
            .execute(self.writer())
            .await?;
        Ok(())
    }
}
