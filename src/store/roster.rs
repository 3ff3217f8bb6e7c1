//! The school's roster from its administration system (issue 16): the preview and the import of
//! a [`Roster`] (one transaction: all of it or nothing), and the search over the roster that
//! "Ik maak me zorgen" chooses a pupil from. What an import changes is `domain::import::plan`.
//!
//! The search reads only `pupil_terms`, which holds pupils on the roster who have not left: a
//! pupil typed by hand (known only because a dossier was opened) is never found, so a search
//! tells nobody who has a dossier.

use sqlx::FromRow;

use super::audit::{self, Event};
use super::users::{Actor, add_user, grant_role, set_active_in};
use super::{Db, StoreError};
use crate::domain::ids::{PupilId, SchoolId, UserId};
use crate::domain::import::{KnownPupil, KnownStaff, Plan, plan};
use crate::domain::pupil::{name_key, search_terms};
use crate::domain::role::Role;
use crate::domain::roster::{ImportError, Roster, RosterPupil};

/// At most this many pupils answer one search.
pub const SEARCH_LIMIT: i64 = 20;

/// A pupil on the roster, as a search finds them.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct RosterMatch {
    pub id: PupilId,
    pub name: String,
    /// `YYYY-MM-DD`.
    pub date_of_birth: String,
    pub group_name: String,
}

#[derive(FromRow)]
struct KnownPupilRow {
    id: PupilId,
    source_key: String,
    name: String,
    date_of_birth: String,
    group_name: String,
    left_at: Option<i64>,
}

#[derive(FromRow)]
struct KnownStaffRow {
    user_id: UserId,
    source_key: String,
    name: String,
    email: String,
}

/// The roles an import gives and takes at the school: never the beheerder's.
const SCHOOL_ROLES: &str = "('beroepskracht', 'aandachtsfunctionaris', 'directie')";

type Tx = sqlx::Transaction<'static, sqlx::Any>;

impl Db {
    /// What importing `roster` at the school would change, or why it cannot be imported.
    pub async fn roster_preview(
        &self,
        school_id: SchoolId,
        roster: &Roster,
    ) -> Result<Result<Plan, ImportError>, StoreError> {
        let mut tx = self.begin_write().await?;
        let outcome = match check_school(&mut tx, school_id, roster).await? {
            Err(e) => Err(e),
            Ok(()) => match check_staff(&mut tx, school_id, roster).await? {
                Err(e) => Err(e),
                Ok(()) => {
                    let plan = known_plan(&mut tx, school_id, roster).await?;
                    check_changes(&mut tx, &plan).await?.map(|()| plan)
                }
            },
        };
        tx.rollback().await?;
        Ok(outcome)
    }

    /// Imports `roster` at the school in one transaction, with its audit rows; returns what it
    /// changed, or why nothing was changed.
    pub async fn import_roster(
        &self,
        org_id: i64,
        school_id: SchoolId,
        roster: &Roster,
        actor: &Actor<'_>,
        now: i64,
    ) -> Result<Result<Plan, ImportError>, StoreError> {
        let mut tx = self.begin_write().await?;
        // One import of a school at a time: the school's row is locked first.
        sqlx::query("UPDATE schools SET name = name WHERE id = $1")
            .bind(school_id)
            .execute(&mut *tx)
            .await?;
        if let Err(e) = check_school(&mut tx, school_id, roster).await? {
            tx.rollback().await?;
            return Ok(Err(e));
        }
        if let Err(e) = check_staff(&mut tx, school_id, roster).await? {
            tx.rollback().await?;
            return Ok(Err(e));
        }
        if let Some(brin) = &roster.brin {
            sqlx::query("UPDATE schools SET brin = $1 WHERE id = $2 AND brin IS NULL")
                .bind(brin)
                .bind(school_id)
                .execute(&mut *tx)
                .await?;
        }
        let plan = known_plan(&mut tx, school_id, roster).await?;
        if let Err(e) = check_changes(&mut tx, &plan).await? {
            tx.rollback().await?;
            return Ok(Err(e));
        }
        for p in &plan.add_pupils {
            add_pupil(&mut tx, school_id, p, now).await?;
        }
        for c in &plan.change_pupils {
            let p = &c.pupil;
            sqlx::query(
                "UPDATE pupils SET name = $1, name_key = $2, date_of_birth = $3, group_name = $4, \
                 left_at = NULL WHERE id = $5",
            )
            .bind(&p.name)
            .bind(name_key(&p.name))
            .bind(p.date_of_birth.to_string())
            .bind(&p.group)
            .bind(c.id)
            .execute(&mut *tx)
            .await?;
            set_terms(&mut tx, school_id, c.id, Some(p)).await?;
        }
        for (id, _) in &plan.leave_pupils {
            // Off the search at once. Without a dossier nothing of them is kept; with one, they
            // are marked as left and the dossiers' retention decides.
            set_terms(&mut tx, school_id, *id, None).await?;
            let deleted = sqlx::query(
                "DELETE FROM pupils WHERE id = $1 \
                 AND NOT EXISTS (SELECT 1 FROM dossiers d WHERE d.pupil_id = pupils.id)",
            )
            .bind(*id)
            .execute(&mut *tx)
            .await?;
            if deleted.rows_affected() == 0 {
                sqlx::query("UPDATE pupils SET left_at = $1 WHERE id = $2")
                    .bind(now)
                    .bind(*id)
                    .execute(&mut *tx)
                    .await?;
            }
        }
        for s in &plan.add_staff {
            let existing: Option<(UserId,)> =
                sqlx::query_as("SELECT id FROM users WHERE email = $1 AND organisation_id = $2")
                    .bind(&s.email)
                    .bind(org_id)
                    .fetch_optional(&mut *tx)
                    .await?;
            let user_id = match existing {
                Some((id,)) => id,
                None => {
                    let id = add_user(&mut *tx, org_id, &s.email, &s.name, None, now).await?;
                    let subject = format!("user:{id}");
                    audit::audit(&mut tx, now, actor.entry(Event::UserAdded, &subject)).await?;
                    id
                }
            };
            if grant_role(&mut *tx, user_id, school_id, Role::Beroepskracht, now).await? {
                let subject = format!("user:{user_id} school:{school_id} role:beroepskracht");
                audit::audit(&mut tx, now, actor.entry(Event::RoleGranted, &subject)).await?;
            }
            sqlx::query(
                "INSERT INTO staff_links (school_id, source_key, user_id) VALUES ($1, $2, $3)",
            )
            .bind(school_id)
            .bind(&s.key)
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        }
        for (user_id, s) in &plan.change_staff {
            sqlx::query("UPDATE users SET name = $1, email = $2 WHERE id = $3")
                .bind(&s.name)
                .bind(&s.email)
                .bind(*user_id)
                .execute(&mut *tx)
                .await?;
        }
        let listed: std::collections::BTreeSet<String> = roster
            .staff
            .iter()
            .map(|s| s.key.trim().to_string())
            .collect();
        for (user_id, _) in &plan.leave_staff {
            leave_school(&mut tx, school_id, *user_id, &listed, actor, now).await?;
        }
        let subject = format!(
            "school:{school_id} leerlingen +{} ~{} -{} medewerkers +{} ~{} -{}",
            plan.add_pupils.len(),
            plan.change_pupils.len(),
            plan.leave_pupils.len(),
            plan.add_staff.len(),
            plan.change_staff.len(),
            plan.leave_staff.len()
        );
        audit::audit(&mut tx, now, actor.entry(Event::RosterImported, &subject)).await?;
        tx.commit().await?;
        Ok(Ok(plan))
    }

    /// Whether the school has a roster (then "Ik maak me zorgen" searches it).
    pub async fn has_roster(&self, school_id: SchoolId) -> Result<bool, StoreError> {
        let found: Option<(i64,)> =
            sqlx::query_as("SELECT 1 FROM pupil_terms WHERE school_id = $1 LIMIT 1")
                .bind(school_id)
                .fetch_optional(self.pool())
                .await?;
        Ok(found.is_some())
    }

    /// The roster's pupils whose name or group has a word starting with each of `words` (as
    /// `domain::pupil::search_words` makes them), by name; at most [`SEARCH_LIMIT`]. The first
    /// word is a prefix seek in the term index; the others are checked per pupil found.
    pub async fn search_roster(
        &self,
        school_id: SchoolId,
        words: &[String],
    ) -> Result<Vec<RosterMatch>, StoreError> {
        if words.is_empty() {
            return Ok(Vec::new());
        }
        // Every further word must be the start of one of the pupil's terms.
        let mut sql = String::from(
            "SELECT p.id, p.name, p.date_of_birth, p.group_name FROM pupils p WHERE p.id IN \
             (SELECT t.pupil_id FROM pupil_terms t WHERE t.school_id = $1 AND t.term >= $2 AND t.term < $3)",
        );
        let mut n = 3;
        for _ in &words[1..] {
            sql.push_str(&format!(
                " AND EXISTS (SELECT 1 FROM pupil_terms u WHERE u.pupil_id = p.id AND u.school_id = $1 \
                 AND u.term >= ${} AND u.term < ${})",
                n + 1,
                n + 2
            ));
            n += 2;
        }
        sql.push_str(&format!(" ORDER BY p.name, p.id LIMIT {SEARCH_LIMIT}"));
        let mut query = sqlx::query_as::<_, RosterMatch>(&sql).bind(school_id);
        for w in words {
            query = query.bind(w.clone()).bind(prefix_end(w));
        }
        query.fetch_all(self.pool()).await
    }

    /// A pupil on the school's roster who has not left, by id (the one chosen from a search).
    pub async fn roster_pupil(
        &self,
        school_id: SchoolId,
        id: PupilId,
    ) -> Result<Option<RosterMatch>, StoreError> {
        sqlx::query_as(
            "SELECT id, name, date_of_birth, group_name FROM pupils \
             WHERE id = $1 AND school_id = $2 AND source_key IS NOT NULL AND left_at IS NULL",
        )
        .bind(id)
        .bind(school_id)
        .fetch_optional(self.pool())
        .await
    }
}

/// The first string after every string that starts with `prefix`: a prefix match as a range,
/// which an index seeks (both backends compare terms by code point: SQLite's BINARY, and the
/// column's "C" collation on PostgreSQL).
fn prefix_end(prefix: &str) -> String {
    format!("{prefix}\u{10FFFF}")
}

/// The file is for this school: its BRIN (when the file names one) is the school's, or the
/// school has none yet and no other school of the organisation has this one.
async fn check_school(
    tx: &mut Tx,
    school_id: SchoolId,
    roster: &Roster,
) -> Result<Result<(), ImportError>, StoreError> {
    let Some(brin) = &roster.brin else {
        return Ok(Ok(()));
    };
    let (own, org): (Option<String>, i64) =
        sqlx::query_as("SELECT brin, organisation_id FROM schools WHERE id = $1")
            .bind(school_id)
            .fetch_one(&mut **tx)
            .await?;
    let refuse = |message: String| {
        Ok(Err(ImportError {
            place: "het bestand".into(),
            message,
        }))
    };
    match own {
        Some(own) if own.eq_ignore_ascii_case(brin) => Ok(Ok(())),
        Some(own) => refuse(format!(
            "Dit bestand is van de school met BRIN-nummer {brin}, maar deze school heeft BRIN-nummer {own}. Kies het bestand van deze school, of de school waar het bij hoort."
        )),
        None => {
            let other: Option<(String,)> = sqlx::query_as(
                "SELECT name FROM schools WHERE organisation_id = $1 AND brin = $2 AND id <> $3",
            )
            .bind(org)
            .bind(brin)
            .bind(school_id)
            .fetch_optional(&mut **tx)
            .await?;
            match other {
                Some((name,)) => refuse(format!(
                    "Dit bestand is van de school met BRIN-nummer {brin}: dat is {name}. Lees het daar in."
                )),
                None => Ok(Ok(())),
            }
        }
    }
}

/// Staff in the file whose e-mail address belongs to an account of another organisation cannot
/// be given an account here.
async fn check_staff(
    tx: &mut Tx,
    school_id: SchoolId,
    roster: &Roster,
) -> Result<Result<(), ImportError>, StoreError> {
    let (org,): (i64,) = sqlx::query_as("SELECT organisation_id FROM schools WHERE id = $1")
        .bind(school_id)
        .fetch_one(&mut **tx)
        .await?;
    for s in &roster.staff {
        let email = s.email.trim().to_lowercase();
        let other: Option<(i64,)> =
            sqlx::query_as("SELECT id FROM users WHERE email = $1 AND organisation_id <> $2")
                .bind(&email)
                .bind(org)
                .fetch_optional(&mut **tx)
                .await?;
        if other.is_some() {
            return Ok(Err(ImportError {
                place: format!("medewerker met sleutel {}", s.key),
                message: format!(
                    "Het e-mailadres {email} is al in gebruik bij een andere organisatie. Pas het aan in de leerlingadministratie, of laat deze medewerker weg."
                ),
            }));
        }
    }
    Ok(Ok(()))
}

/// A member of staff whose e-mail address in the file is another account's cannot take it.
async fn check_changes(tx: &mut Tx, plan: &Plan) -> Result<Result<(), ImportError>, StoreError> {
    for (user_id, s) in &plan.change_staff {
        let taken: Option<(UserId,)> =
            sqlx::query_as("SELECT id FROM users WHERE email = $1 AND id <> $2")
                .bind(&s.email)
                .bind(*user_id)
                .fetch_optional(&mut **tx)
                .await?;
        if taken.is_some() {
            return Ok(Err(ImportError {
                place: format!("medewerker met sleutel {}", s.key),
                message: format!(
                    "Het nieuwe e-mailadres {} is al van een ander account in Meldcode. Pas het aan in de leerlingadministratie, of vraag wie dat account heeft.",
                    s.email
                ),
            }));
        }
    }
    Ok(Ok(()))
}

/// The plan from what the school's roster holds now.
async fn known_plan(tx: &mut Tx, school_id: SchoolId, roster: &Roster) -> Result<Plan, StoreError> {
    let pupils: Vec<KnownPupilRow> = sqlx::query_as(
        "SELECT id, source_key, name, date_of_birth, group_name, left_at FROM pupils \
         WHERE school_id = $1 AND source_key IS NOT NULL",
    )
    .bind(school_id)
    .fetch_all(&mut **tx)
    .await?;
    let staff: Vec<KnownStaffRow> = sqlx::query_as(
        "SELECT l.user_id, l.source_key, u.name, u.email FROM staff_links l \
         JOIN users u ON u.id = l.user_id WHERE l.school_id = $1",
    )
    .bind(school_id)
    .fetch_all(&mut **tx)
    .await?;
    let pupils: Vec<KnownPupil> = pupils
        .into_iter()
        .map(|r| KnownPupil {
            id: r.id,
            key: r.source_key,
            name: r.name,
            date_of_birth: r.date_of_birth,
            group: r.group_name,
            left: r.left_at.is_some(),
        })
        .collect();
    let staff: Vec<KnownStaff> = staff
        .into_iter()
        .map(|r| KnownStaff {
            user_id: r.user_id,
            key: r.source_key,
            name: r.name,
            email: r.email,
        })
        .collect();
    Ok(plan(&pupils, &staff, roster))
}

/// A new pupil on the roster: a pupil typed by hand earlier (same date of birth and name, no
/// key yet) becomes this one, so that their dossiers stay theirs; else a new row.
async fn add_pupil(
    tx: &mut Tx,
    school_id: SchoolId,
    p: &RosterPupil,
    now: i64,
) -> Result<(), StoreError> {
    let born = p.date_of_birth.to_string();
    let key = name_key(&p.name);
    let typed: Option<(PupilId,)> = sqlx::query_as(
        "SELECT id FROM pupils WHERE school_id = $1 AND date_of_birth = $2 AND name_key = $3 \
         AND source_key IS NULL ORDER BY id LIMIT 1",
    )
    .bind(school_id)
    .bind(&born)
    .bind(&key)
    .fetch_optional(&mut **tx)
    .await?;
    let id = match typed {
        Some((id,)) => {
            sqlx::query(
                "UPDATE pupils SET source_key = $1, name = $2, group_name = $3, left_at = NULL \
                 WHERE id = $4",
            )
            .bind(&p.key)
            .bind(&p.name)
            .bind(&p.group)
            .bind(id)
            .execute(&mut **tx)
            .await?;
            id
        }
        None => {
            let (id,): (PupilId,) = sqlx::query_as(
                "INSERT INTO pupils (school_id, name, name_key, date_of_birth, group_name, source_key, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
            )
            .bind(school_id)
            .bind(&p.name)
            .bind(&key)
            .bind(&born)
            .bind(&p.group)
            .bind(&p.key)
            .bind(now)
            .fetch_one(&mut **tx)
            .await?;
            id
        }
    };
    set_terms(tx, school_id, id, Some(p)).await
}

/// The pupil's search terms: those of `pupil` (on the roster), or none (left).
async fn set_terms(
    tx: &mut Tx,
    school_id: SchoolId,
    id: PupilId,
    pupil: Option<&RosterPupil>,
) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM pupil_terms WHERE pupil_id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    let Some(p) = pupil else {
        return Ok(());
    };
    for term in search_terms(&p.name, &p.group) {
        sqlx::query("INSERT INTO pupil_terms (school_id, term, pupil_id) VALUES ($1, $2, $3)")
            .bind(school_id)
            .bind(term)
            .bind(id)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// A key of staff the file no longer lists: the link goes. Someone the file still lists under
/// another key (the administration gave them a new one) stays; otherwise their roles at this
/// school end, and with no role left anywhere the account is deactivated and every session of it
/// ends.
async fn leave_school(
    tx: &mut Tx,
    school_id: SchoolId,
    user_id: UserId,
    listed: &std::collections::BTreeSet<String>,
    actor: &Actor<'_>,
    now: i64,
) -> Result<(), StoreError> {
    let links: Vec<(String,)> =
        sqlx::query_as("SELECT source_key FROM staff_links WHERE school_id = $1 AND user_id = $2")
            .bind(school_id)
            .bind(user_id)
            .fetch_all(&mut **tx)
            .await?;
    for (key,) in links.iter().filter(|(k,)| !listed.contains(k)) {
        sqlx::query(
            "DELETE FROM staff_links WHERE school_id = $1 AND user_id = $2 AND source_key = $3",
        )
        .bind(school_id)
        .bind(user_id)
        .bind(key)
        .execute(&mut **tx)
        .await?;
    }
    if links.iter().any(|(k,)| listed.contains(k)) {
        return Ok(());
    }
    let roles: Vec<(String,)> = sqlx::query_as(&format!(
        "SELECT role FROM role_assignments WHERE user_id = $1 AND school_id = $2 AND role IN {SCHOOL_ROLES}"
    ))
    .bind(user_id)
    .bind(school_id)
    .fetch_all(&mut **tx)
    .await?;
    sqlx::query(&format!(
        "DELETE FROM role_assignments WHERE user_id = $1 AND school_id = $2 AND role IN {SCHOOL_ROLES}"
    ))
    .bind(user_id)
    .bind(school_id)
    .execute(&mut **tx)
    .await?;
    for (role,) in roles {
        let subject = format!("user:{user_id} school:{school_id} role:{role}");
        audit::audit(tx, now, actor.entry(Event::RoleRevoked, &subject)).await?;
    }
    let (left,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM role_assignments WHERE user_id = $1")
            .bind(user_id)
            .fetch_one(&mut **tx)
            .await?;
    if left == 0 {
        set_active_in(tx, user_id, false).await?;
        let subject = format!("user:{user_id}");
        audit::audit(tx, now, actor.entry(Event::UserDeactivated, &subject)).await?;
    }
    Ok(())
}
