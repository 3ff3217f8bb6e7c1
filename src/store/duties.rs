//! What the organisation must see to (meldcode section IV.b): training records, the published
//! meldcode text with who confirmed reading it, the experts per school, and the board's yearly
//! evaluation.

use crate::domain::ids::{SchoolId, UserId};
use sqlx::FromRow;

use super::{Db, StoreError};

/// A user's training status: the most recent training, if any.
#[derive(Debug, Clone, FromRow)]
pub struct TrainingStatus {
    pub user_id: UserId,
    pub name: String,
    /// `YYYY-MM-DD`
    pub last_on: Option<String>,
    pub last_title: Option<String>,
}

#[derive(Debug, Clone, FromRow)]
pub struct MeldcodeVersion {
    pub id: i64,
    pub version: i64,
    pub body: String,
    pub published_at: i64,
    /// 1 for a small correction ("kleine correctie"): a confirmation of the version it corrects
    /// still counts. 0 for a version everyone is asked to confirm.
    pub minor: i64,
}

impl MeldcodeVersion {
    /// Whether this version is a small correction of the one before it.
    pub fn is_correction(&self) -> bool {
        self.minor == 1
    }
}

/// The versions a confirmation of any counts for the version `c`: from the newest version up to
/// `c` that everyone was asked to confirm (a small correction after it changes nothing).
const STILL_CONFIRMED: &str = "v.version >= (SELECT COALESCE(MAX(b.version), 0) FROM meldcode_versions b \
     WHERE b.organisation_id = c.organisation_id AND b.minor = 0 AND b.version <= c.version)";

#[derive(Debug, Clone, FromRow)]
pub struct AnnualEvaluation {
    pub evaluation: String,
    pub actions: String,
    pub updated_at: i64,
}

impl Db {
    pub async fn add_training(
        &self,
        org_id: i64,
        user_id: UserId,
        title: &str,
        followed_on: &str,
        by: UserId,
        now: i64,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO trainings (organisation_id, user_id, title, followed_on, recorded_by, recorded_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(org_id)
        .bind(user_id)
        .bind(title)
        .bind(followed_on)
        .bind(by)
        .bind(now)
        .execute(self.writer())
        .await?;
        Ok(())
    }

    /// The active users holding a role that works with dossiers at any of `schools`, with their
    /// most recent training.
    pub async fn training_status(
        &self,
        schools: &[SchoolId],
    ) -> Result<Vec<TrainingStatus>, StoreError> {
        if schools.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT u.id AS user_id, u.name, \
             (SELECT MAX(t.followed_on) FROM trainings t WHERE t.user_id = u.id) AS last_on, \
             (SELECT t.title FROM trainings t WHERE t.user_id = u.id ORDER BY t.followed_on DESC, t.id DESC LIMIT 1) AS last_title \
             FROM users u WHERE u.active = 1 AND u.id IN (SELECT r.user_id FROM role_assignments r \
             WHERE r.role <> 'beheerder' AND r.school_id IN ({})) ORDER BY u.name",
            super::placeholders(1, schools.len())
        );
        let mut q = sqlx::query_as::<_, TrainingStatus>(&sql);
        for s in schools {
            q = q.bind(*s);
        }
        q.fetch_all(self.pool()).await
    }

    pub async fn current_meldcode(
        &self,
        org_id: i64,
    ) -> Result<Option<MeldcodeVersion>, StoreError> {
        sqlx::query_as(
            "SELECT id, version, body, published_at, minor FROM meldcode_versions WHERE organisation_id = $1 \
             ORDER BY version DESC LIMIT 1",
        )
        .bind(org_id)
        .fetch_optional(self.pool())
        .await
    }

    /// Whether the organisation has published a meldcode text that the user has not yet confirmed
    /// reading: its newest version that is not a small correction, or a version after it. For
    /// the start page: the user's few confirmations, by the primary key.
    pub async fn must_read_meldcode(
        &self,
        org_id: i64,
        user_id: UserId,
    ) -> Result<bool, StoreError> {
        let (n,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM (SELECT MAX(version) AS base FROM meldcode_versions \
             WHERE organisation_id = $1 AND minor = 0) b WHERE b.base IS NOT NULL AND NOT EXISTS \
             (SELECT 1 FROM meldcode_acknowledgements a JOIN meldcode_versions v ON v.id = a.version_id \
             WHERE a.user_id = $2 AND v.organisation_id = $1 AND v.version >= b.base)",
        )
        .bind(org_id)
        .bind(user_id)
        .fetch_one(self.pool())
        .await?;
        Ok(n > 0)
    }

    /// Publishes a new version of the organisation's meldcode text; earlier versions stay.
    pub async fn publish_meldcode(
        &self,
        org_id: i64,
        body: &str,
        by: UserId,
        now: i64,
    ) -> Result<i64, StoreError> {
        let mut tx = self.begin_write().await?;
        let (next,): (i64,) = sqlx::query_as("SELECT COALESCE(MAX(version), 0) + 1 FROM meldcode_versions WHERE organisation_id = $1")
            .bind(org_id)
            .fetch_one(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO meldcode_versions (organisation_id, version, body, published_at, published_by) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(org_id)
        .bind(next)
        .bind(body)
        .bind(now)
        .bind(by)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(next)
    }

    /// Publishes a small correction ("kleine correctie") of the current meldcode text as a new
    /// version that nobody is asked to confirm again; earlier versions stay.
    pub async fn publish_correction(
        &self,
        org_id: i64,
        body: &str,
        by: UserId,
        now: i64,
    ) -> Result<i64, StoreError> {
        let mut tx = self.begin_write().await?;
        let (next,): (i64,) = sqlx::query_as("SELECT COALESCE(MAX(version), 0) + 1 FROM meldcode_versions WHERE organisation_id = $1")
            .bind(org_id)
            .fetch_one(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO meldcode_versions (organisation_id, version, body, published_at, published_by, minor) VALUES ($1, $2, $3, $4, $5, 1)",
        )
        .bind(org_id)
        .bind(next)
        .bind(body)
        .bind(now)
        .bind(by)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(next)
    }

    pub async fn acknowledge(
        &self,
        user_id: UserId,
        version_id: i64,
        now: i64,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO meldcode_acknowledgements (user_id, version_id, acknowledged_at) VALUES ($1, $2, $3) \
             ON CONFLICT (user_id, version_id) DO NOTHING",
        )
        .bind(user_id)
        .bind(version_id)
        .bind(now)
        .execute(self.writer())
        .await?;
        Ok(())
    }

    /// Whether the user confirmed reading version `version_id`, or the version it corrects, or a
    /// version in between.
    pub async fn acknowledged(&self, user_id: UserId, version_id: i64) -> Result<bool, StoreError> {
        let (n,): (i64,) = sqlx::query_as(&format!(
            "SELECT COUNT(*) FROM meldcode_acknowledgements a JOIN meldcode_versions v ON v.id = a.version_id \
             JOIN meldcode_versions c ON c.id = $2 WHERE a.user_id = $1 \
             AND v.organisation_id = c.organisation_id AND {STILL_CONFIRMED}"
        ))
        .bind(user_id)
        .bind(version_id)
        .fetch_one(self.pool())
        .await?;
        Ok(n > 0)
    }

    /// Active users with a role at any of `schools` who have not confirmed reading `version_id`
    /// (or the version it corrects, or one in between).
    pub async fn not_acknowledged(
        &self,
        version_id: i64,
        schools: &[SchoolId],
    ) -> Result<Vec<(i64, String)>, StoreError> {
        if schools.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT u.id, u.name FROM users u WHERE u.active = 1 \
             AND u.id IN (SELECT r.user_id FROM role_assignments r WHERE r.school_id IN ({})) \
             AND NOT EXISTS (SELECT 1 FROM meldcode_acknowledgements a JOIN meldcode_versions v ON v.id = a.version_id \
             JOIN meldcode_versions c ON c.id = $1 WHERE a.user_id = u.id \
             AND v.organisation_id = c.organisation_id AND {STILL_CONFIRMED}) \
             ORDER BY u.name",
            super::placeholders(2, schools.len())
        );
        let mut q = sqlx::query_as::<_, (i64, String)>(&sql).bind(version_id);
        for s in schools {
            q = q.bind(*s);
        }
        q.fetch_all(self.pool()).await
    }

    /// The aandachtsfunctionarissen of a school: the experts the steps refer to.
    pub async fn experts(&self, school_id: SchoolId) -> Result<Vec<String>, StoreError> {
        let rows: Vec<(String,)> = sqlx::query_as(
            "SELECT DISTINCT u.name FROM users u JOIN role_assignments r ON r.user_id = u.id \
             WHERE r.school_id = $1 AND r.role = 'aandachtsfunctionaris' AND u.active = 1 ORDER BY u.name",
        )
        .bind(school_id)
        .fetch_all(self.pool())
        .await?;
        Ok(rows.into_iter().map(|(n,)| n).collect())
    }

    pub async fn annual_evaluation(
        &self,
        org_id: i64,
        year: i32,
    ) -> Result<Option<AnnualEvaluation>, StoreError> {
        sqlx::query_as("SELECT evaluation, actions, updated_at FROM annual_evaluations WHERE organisation_id = $1 AND year = $2")
            .bind(org_id)
            .bind(i64::from(year))
            .fetch_optional(self.pool())
            .await
    }

    pub async fn save_annual_evaluation(
        &self,
        org_id: i64,
        year: i32,
        evaluation: &str,
        actions: &str,
        by: UserId,
        now: i64,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO annual_evaluations (organisation_id, year, evaluation, actions, updated_at, updated_by) \
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (organisation_id, year) DO UPDATE SET \
             evaluation = excluded.evaluation, actions = excluded.actions, updated_at = excluded.updated_at, \
             updated_by = excluded.updated_by",
        )
        .bind(org_id)
        .bind(i64::from(year))
        .bind(evaluation)
        .bind(actions)
        .bind(now)
        .bind(by)
        .execute(self.writer())
        .await?;
        Ok(())
    }
}
