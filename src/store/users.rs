//! Users and their roles per school.

use sqlx::FromRow;

use super::audit::{self, Entry, Event};
use super::{Backend, Db, StoreError};
use crate::domain::ids::{SchoolId, UserId};
use crate::domain::role::Role;

/// A user as the rest of the application sees it.
#[derive(Debug, Clone)]
pub struct User {
    pub id: UserId,
    pub organisation_id: i64,
    pub email: String,
    pub name: String,
    pub active: bool,
    /// False until the user has chosen a password through an activation link.
    pub has_password: bool,
    /// Whether the user set up two-factor authentication.
    pub two_factor: bool,
}

#[derive(FromRow)]
struct UserRow {
    id: UserId,
    organisation_id: i64,
    email: String,
    name: String,
    active: i64,
    has_password: i64,
    two_factor: i64,
}

impl From<UserRow> for User {
    fn from(r: UserRow) -> User {
        User {
            id: r.id,
            organisation_id: r.organisation_id,
            email: r.email,
            name: r.name,
            active: r.active != 0,
            has_password: r.has_password != 0,
            two_factor: r.two_factor != 0,
        }
    }
}

/// One role held at one school.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleAt {
    pub school_id: SchoolId,
    pub school_name: String,
    pub role: Role,
}

impl RoleAt {
    /// How the role reads in lists: the beheerder manages the whole organisation, whatever school
    /// the role was assigned at.
    pub fn display(&self) -> String {
        match self.role {
            Role::Beheerder => "Beheerder · hele organisatie".to_string(),
            Role::Privacy => "Functionaris gegevensbescherming · hele organisatie".to_string(),
            role => format!("{} · {}", role.label(), self.school_name),
        }
    }
}

/// A role assignment as read: a row, or an element of the JSON array that
/// [`Db::user_with_roles`] reads a user's roles as (the fields in this order).
#[derive(FromRow, serde::Deserialize)]
struct RoleRow {
    school_id: SchoolId,
    school_name: String,
    role: String,
}

#[derive(FromRow)]
struct UserRoleRow {
    #[sqlx(flatten)]
    user: UserRow,
    /// The roles as a JSON array of `RoleRow`s.
    roles: String,
    /// The covers in force today as a JSON array (`store::covers::in_force_json`).
    covers: String,
}

/// A logged-in user as the session guard loads them on every request: the account, the roles
/// per school, and the covers in force today, where they stand in for an absent
/// aandachtsfunctionaris (`domain::cover`).
#[derive(Debug, Clone)]
pub struct SessionUser {
    pub user: User,
    pub roles: Vec<RoleAt>,
    pub covers: Vec<super::covers::CoverAt>,
}

/// A stored role assignment's role. One this version does not know grants nothing (the safe
/// side of an access right), and is logged rather than passed over in silence.
fn parse_stored_role(code: &str, school_id: SchoolId) -> Option<Role> {
    let role = Role::parse(code);
    if role.is_none() {
        tracing::error!(
            school = school_id.get(),
            "a stored role assignment cannot be read; it grants nothing"
        );
    }
    role
}

/// A user to add, with their roles (school id, role).
#[derive(Debug, Clone)]
pub struct NewUser<'a> {
    pub org_id: i64,
    pub email: &'a str,
    pub name: &'a str,
    /// `None` for a user who will choose a password through an activation link.
    pub password_hash: Option<&'a str>,
    pub roles: &'a [(SchoolId, Role)],
}

/// Who makes a change, for its audit rows: a beheerder (their id, role and address), or the
/// command line (nobody logged in: all `None`).
#[derive(Debug, Clone, Copy, Default)]
pub struct Actor<'a> {
    pub user_id: Option<UserId>,
    pub role: Option<&'a str>,
    pub address: Option<&'a str>,
}

impl<'a> Actor<'a> {
    pub(super) fn entry<'b>(&self, event: Event, subject: &'b str) -> Entry<'b>
    where
        'a: 'b,
    {
        Entry {
            role: self.role,
            ..Entry::user(event, self.user_id, self.address).about(subject)
        }
    }
}

/// Roles as the application shows them: by school name, then by role.
fn sorted_roles(rows: Vec<RoleRow>) -> Vec<RoleAt> {
    let mut roles: Vec<RoleAt> = rows
        .into_iter()
        .filter_map(|r| {
            Some(RoleAt {
                role: parse_stored_role(&r.role, r.school_id)?,
                school_id: r.school_id,
                school_name: r.school_name,
            })
        })
        .collect();
    roles.sort_by(|a, b| (&a.school_name, a.role).cmp(&(&b.school_name, b.role)));
    roles
}

/// What the login needs: the id and the stored hash (absent until activated).
#[derive(Debug, Clone, FromRow)]
pub struct Credentials {
    pub id: UserId,
    pub password_hash: Option<String>,
    pub active: i64,
}

const USER_COLUMNS: &str = "id, organisation_id, email, name, active, \
     CASE WHEN password_hash IS NULL THEN 0 ELSE 1 END AS has_password, \
     CASE WHEN totp_enabled_at IS NULL THEN 0 ELSE 1 END AS two_factor";

impl Db {
    pub async fn user(&self, id: UserId) -> Result<Option<User>, StoreError> {
        let row: Option<UserRow> =
            sqlx::query_as(&format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1"))
                .bind(id)
                .fetch_optional(self.pool())
                .await?;
        Ok(row.map(User::from))
    }

    /// Users of the organisation, by name.
    pub async fn users(&self, org_id: i64) -> Result<Vec<User>, StoreError> {
        let rows: Vec<UserRow> = sqlx::query_as(&format!(
            "SELECT {USER_COLUMNS} FROM users WHERE organisation_id = $1 ORDER BY name, id"
        ))
        .bind(org_id)
        .fetch_all(self.pool())
        .await?;
        Ok(rows.into_iter().map(User::from).collect())
    }

    pub async fn credentials(&self, email: &str) -> Result<Option<Credentials>, StoreError> {
        sqlx::query_as("SELECT id, password_hash, active FROM users WHERE email = $1")
            .bind(email)
            .fetch_optional(self.pool())
            .await
    }

    /// The roles of a user, with the school's name, ordered by school and role.
    pub async fn roles(&self, user_id: UserId) -> Result<Vec<RoleAt>, StoreError> {
        let rows: Vec<RoleRow> = sqlx::query_as(
            "SELECT r.school_id, s.name AS school_name, r.role FROM role_assignments r \
             JOIN schools s ON s.id = r.school_id WHERE r.user_id = $1",
        )
        .bind(user_id)
        .fetch_all(self.pool())
        .await?;
        Ok(sorted_roles(rows))
    }

    /// A user with their roles and the covers in force on `today`, in one query: what the
    /// session guard loads on every request (so a cover's access ends at the first request after
    /// it ends).
    pub async fn user_with_roles(
        &self,
        id: UserId,
        today: time::Date,
    ) -> Result<Option<SessionUser>, StoreError> {
        // One row, whatever the number of roles: a board member with the directie role at a
        // thousand schools was a thousand rows, each handed over by the driver on its own
        // (bench/PROFILE.md, issue 14). The roles come as one JSON array, the covers as another.
        let roles = match self.backend {
            Backend::Sqlite => {
                "(SELECT json_group_array(json_array(r.school_id, s.name, r.role)) \
                 FROM role_assignments r JOIN schools s ON s.id = r.school_id WHERE r.user_id = u.id)"
            }
            Backend::Postgres => {
                "(SELECT COALESCE(json_agg(json_build_array(r.school_id, s.name, r.role))::text, '[]') \
                 FROM role_assignments r JOIN schools s ON s.id = r.school_id WHERE r.user_id = u.id)"
            }
        };
        let covers = super::covers::in_force_json(self.backend, "$2");
        let row: Option<UserRoleRow> = sqlx::query_as(&format!(
            "SELECT u.id, u.organisation_id, u.email, u.name, u.active, \
             CASE WHEN u.password_hash IS NULL THEN 0 ELSE 1 END AS has_password, \
             CASE WHEN u.totp_enabled_at IS NULL THEN 0 ELSE 1 END AS two_factor, \
             {roles} AS roles, {covers} AS covers FROM users u WHERE u.id = $1"
        ))
        .bind(id)
        .bind(today.to_string())
        .fetch_optional(self.pool())
        .await?;
        let Some(row) = row else {
            return Ok(None);
        };
        let roles: Vec<RoleRow> = super::json_rows(&row.roles)?;
        let covers: Vec<super::covers::CoverAtRow> = super::json_rows(&row.covers)?;
        Ok(Some(SessionUser {
            user: User::from(row.user),
            roles: sorted_roles(roles),
            covers: covers
                .into_iter()
                .filter_map(super::covers::CoverAtRow::into_cover)
                .collect(),
        }))
    }

    /// Every role assignment in the organisation, for the beheerder's user list.
    pub async fn all_roles(&self, org_id: i64) -> Result<Vec<(UserId, RoleAt)>, StoreError> {
        let rows: Vec<(UserId, SchoolId, String, String)> = sqlx::query_as(
            "SELECT r.user_id, r.school_id, s.name, r.role FROM role_assignments r \
             JOIN schools s ON s.id = r.school_id WHERE s.organisation_id = $1 \
             ORDER BY s.name, r.role",
        )
        .bind(org_id)
        .fetch_all(self.pool())
        .await?;
        Ok(rows
            .into_iter()
            .filter_map(|(user_id, school_id, school_name, role)| {
                Some((
                    user_id,
                    RoleAt {
                        school_id,
                        school_name,
                        role: parse_stored_role(&role, school_id)?,
                    },
                ))
            })
            .collect())
    }

    /// Adds a user. `password_hash` is `None` for a user who will choose a password through an
    /// activation link. An e-mail already in use is a unique violation.
    pub async fn add_user(
        &self,
        org_id: i64,
        email: &str,
        name: &str,
        password_hash: Option<&str>,
        now: i64,
    ) -> Result<UserId, StoreError> {
        add_user(self.writer(), org_id, email, name, password_hash, now).await
    }

    /// Adds a user with their roles and the audit rows of both, in one transaction: a failure
    /// anywhere (a duplicate e-mail address, a school that does not exist) leaves nothing behind.
    /// The audit rows are "user added", then one "role granted" per role, by `actor`.
    pub async fn add_user_with_roles(
        &self,
        new: &NewUser<'_>,
        actor: &Actor<'_>,
        now: i64,
    ) -> Result<UserId, StoreError> {
        let mut tx = self.begin_write().await?;
        let user_id = add_user(
            &mut *tx,
            new.org_id,
            new.email,
            new.name,
            new.password_hash,
            now,
        )
        .await?;
        let subject = format!("user:{user_id}");
        audit::audit(&mut tx, now, actor.entry(Event::UserAdded, &subject)).await?;
        for (school_id, role) in new.roles {
            if grant_role(&mut *tx, user_id, *school_id, *role, now).await? {
                let subject = format!("user:{user_id} school:{school_id} role:{}", role.code());
                audit::audit(&mut tx, now, actor.entry(Event::RoleGranted, &subject)).await?;
            }
        }
        tx.commit().await?;
        Ok(user_id)
    }

    /// Grants a role; granting one already held changes nothing.
    pub async fn grant_role(
        &self,
        user_id: UserId,
        school_id: SchoolId,
        role: Role,
        now: i64,
    ) -> Result<bool, StoreError> {
        grant_role(self.writer(), user_id, school_id, role, now).await
    }

    /// Revokes a role; returns whether it was held.
    pub async fn revoke_role(
        &self,
        user_id: UserId,
        school_id: SchoolId,
        role: Role,
    ) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "DELETE FROM role_assignments WHERE user_id = $1 AND school_id = $2 AND role = $3",
        )
        .bind(user_id)
        .bind(school_id)
        .bind(role.code())
        .execute(self.writer())
        .await?;
        Ok(done.rows_affected() > 0)
    }

    /// Deactivates or reactivates a user. Deactivation also deletes every session of the user in
    /// the same transaction, so that they are logged out everywhere at once.
    pub async fn set_active(&self, user_id: UserId, active: bool) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        set_active_in(&mut tx, user_id, active).await?;
        tx.commit().await
    }

    /// How many active users hold the beheerder role; the last one cannot be removed.
    pub async fn active_beheerders(&self, org_id: i64) -> Result<i64, StoreError> {
        let (n,): (i64,) = sqlx::query_as(
            "SELECT COUNT(DISTINCT u.id) FROM users u JOIN role_assignments r ON r.user_id = u.id \
             WHERE u.organisation_id = $1 AND u.active = 1 AND r.role = 'beheerder'",
        )
        .bind(org_id)
        .fetch_one(self.pool())
        .await?;
        Ok(n)
    }
}

pub async fn add_user<'e>(
    exec: impl sqlx::Executor<'e, Database = sqlx::Any>,
    org_id: i64,
    email: &str,
    name: &str,
    password_hash: Option<&str>,
    now: i64,
) -> Result<UserId, StoreError> {
    let (id,): (UserId,) = sqlx::query_as(
        "INSERT INTO users (organisation_id, email, name, password_hash, active, created_at) \
         VALUES ($1, $2, $3, $4, 1, $5) RETURNING id",
    )
    .bind(org_id)
    .bind(email)
    .bind(name)
    .bind(password_hash)
    .bind(now)
    .fetch_one(exec)
    .await?;
    Ok(id)
}

pub async fn grant_role<'e>(
    exec: impl sqlx::Executor<'e, Database = sqlx::Any>,
    user_id: UserId,
    school_id: SchoolId,
    role: Role,
    now: i64,
) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "INSERT INTO role_assignments (user_id, school_id, role, created_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (user_id, school_id, role) DO NOTHING",
    )
    .bind(user_id)
    .bind(school_id)
    .bind(role.code())
    .bind(now)
    .execute(exec)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// Sets whether a user may log in; deactivating also ends every session of theirs, in the same
/// transaction, so that they are logged out everywhere at once.
pub(super) async fn set_active_in(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    user_id: UserId,
    active: bool,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE users SET active = $1 WHERE id = $2")
        .bind(i64::from(active))
        .bind(user_id)
        .execute(&mut **tx)
        .await?;
    if !active {
        sqlx::query("DELETE FROM sessions WHERE user_id = $1")
            .bind(user_id)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// Sets a user's password and ends every session that was open with the old one.
pub async fn set_password(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    user_id: UserId,
    hash: &str,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
        .bind(hash)
        .bind(user_id)
        .execute(&mut **tx)
        .await?;
    sqlx::query("DELETE FROM sessions WHERE user_id = $1")
        .bind(user_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Two-factor authentication: the secret of the authenticator app and the recovery codes. The
/// recovery codes are stored as hashes only: they are shown once and never again.
impl Db {
    /// The authenticator secret of a user who set up two-factor authentication.
    pub async fn totp_secret(&self, user_id: UserId) -> Result<Option<Vec<u8>>, StoreError> {
        let row: Option<(Option<String>,)> = sqlx::query_as(
            "SELECT totp_secret FROM users WHERE id = $1 AND totp_enabled_at IS NOT NULL",
        )
        .bind(user_id)
        .fetch_optional(self.pool())
        .await?;
        use base64::Engine;
        Ok(row
            .and_then(|(s,)| s)
            .and_then(|s| base64::engine::general_purpose::STANDARD.decode(s).ok()))
    }

    /// Turns two-factor authentication on with this secret and these (hashed) recovery codes;
    /// earlier recovery codes stop working.
    pub async fn enable_totp(
        &self,
        user_id: UserId,
        secret: &[u8],
        code_hashes: &[String],
        now: i64,
    ) -> Result<(), StoreError> {
        use base64::Engine;
        let mut tx = self.begin_write().await?;
        sqlx::query("UPDATE users SET totp_secret = $1, totp_enabled_at = $2 WHERE id = $3")
            .bind(base64::engine::general_purpose::STANDARD.encode(secret))
            .bind(now)
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        replace_recovery_codes(&mut tx, user_id, code_hashes).await?;
        tx.commit().await
    }

    /// New recovery codes for a user who has two-factor authentication.
    pub async fn renew_recovery_codes(
        &self,
        user_id: UserId,
        code_hashes: &[String],
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        replace_recovery_codes(&mut tx, user_id, code_hashes).await?;
        tx.commit().await
    }

    /// Turns two-factor authentication off (by the user, or reset by the beheerder).
    pub async fn disable_totp(&self, user_id: UserId) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        sqlx::query("UPDATE users SET totp_secret = NULL, totp_enabled_at = NULL WHERE id = $1")
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1")
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await
    }

    /// Uses a recovery code: true once per code.
    pub async fn use_recovery_code(
        &self,
        user_id: UserId,
        code_hash: &str,
        now: i64,
    ) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "UPDATE recovery_codes SET used_at = $1 WHERE user_id = $2 AND code_hash = $3 AND used_at IS NULL",
        )
        .bind(now)
        .bind(user_id)
        .bind(code_hash)
        .execute(self.writer())
        .await?;
        Ok(done.rows_affected() == 1)
    }

    pub async fn unused_recovery_codes(&self, user_id: UserId) -> Result<i64, StoreError> {
        let (n,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL",
        )
        .bind(user_id)
        .fetch_one(self.pool())
        .await?;
        Ok(n)
    }
}

async fn replace_recovery_codes(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    user_id: UserId,
    code_hashes: &[String],
) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1")
        .bind(user_id)
        .execute(&mut **tx)
        .await?;
    for hash in code_hashes {
        sqlx::query("INSERT INTO recovery_codes (user_id, code_hash) VALUES ($1, $2)")
            .bind(user_id)
            .bind(hash)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// Changes to who may do what, each written with its audit row in one transaction: the change
/// and its record commit together or not at all.
impl Db {
    pub async fn grant_role_audited(
        &self,
        user_id: UserId,
        school_id: SchoolId,
        role: Role,
        now: i64,
        entry: crate::store::audit::Entry<'_>,
    ) -> Result<bool, StoreError> {
        let mut tx = self.begin_write().await?;
        let granted = grant_role(&mut *tx, user_id, school_id, role, now).await?;
        if granted {
            crate::store::audit::audit(&mut tx, now, entry).await?;
        }
        tx.commit().await?;
        Ok(granted)
    }

    pub async fn revoke_role_audited(
        &self,
        user_id: UserId,
        school_id: SchoolId,
        role: Role,
        now: i64,
        entry: crate::store::audit::Entry<'_>,
    ) -> Result<bool, StoreError> {
        let mut tx = self.begin_write().await?;
        let done = sqlx::query(
            "DELETE FROM role_assignments WHERE user_id = $1 AND school_id = $2 AND role = $3",
        )
        .bind(user_id)
        .bind(school_id)
        .bind(role.code())
        .execute(&mut *tx)
        .await?;
        let revoked = done.rows_affected() > 0;
        if revoked {
            crate::store::audit::audit(&mut tx, now, entry).await?;
        }
        tx.commit().await?;
        Ok(revoked)
    }

    /// Deactivates (ending every session) or reactivates a user, with the audit row.
    pub async fn set_active_audited(
        &self,
        user_id: UserId,
        active: bool,
        now: i64,
        entry: crate::store::audit::Entry<'_>,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        set_active_in(&mut tx, user_id, active).await?;
        crate::store::audit::audit(&mut tx, now, entry).await?;
        tx.commit().await
    }
}
