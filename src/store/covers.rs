//! Cover during absence (`domain::cover`): naming a deputy and ending a cover, the covers of a
//! school and of a deputy, what deputies opened, and the beheerder's marks of who may be named.
//!
//! Which covers are in force is read with the user on every request ([`Db::user_with_roles`],
//! with [`in_force`]): the period, not ended, and both people still qualifying ([`QUALIFIES`]).
//! So a cover's access ends at the first request after its last day, after it is ended early, or
//! after its basis goes (the absent user no longer aandachtsfunctionaris of the school, the
//! deputy no longer an aandachtsfunctionaris of the organisation nor marked for the school).

use sqlx::FromRow;
use time::Date;

use super::audit::{self, Entry, Event};
use super::{Db, StoreError};
use crate::domain::cover::{self, Candidate, Period};
use crate::domain::entry::parse_date;
use crate::domain::ids::{CoverId, DossierId, SchoolId, UserId};
use crate::domain::notification::Notice;
use crate::domain::role::Role;

/// The people a cover `c` names still qualify: the absent user still holds the
/// aandachtsfunctionaris role at the school, and the deputy is still an aandachtsfunctionaris of
/// the organisation or still marked for the school (the lasting conditions of
/// `domain::cover::refusal`, checked on every read).
pub(crate) const QUALIFIES: &str = "EXISTS (SELECT 1 FROM role_assignments qa WHERE qa.user_id = c.absent_id \
     AND qa.school_id = c.school_id AND qa.role = 'aandachtsfunctionaris') \
     AND (EXISTS (SELECT 1 FROM role_assignments qd JOIN schools qs ON qs.id = qd.school_id \
            JOIN schools cs ON cs.id = c.school_id WHERE qd.user_id = c.deputy_id \
            AND qd.role = 'aandachtsfunctionaris' AND qs.organisation_id = cs.organisation_id) \
          OR EXISTS (SELECT 1 FROM school_deputies qm WHERE qm.user_id = c.deputy_id \
            AND qm.school_id = c.school_id))";

/// The condition under which a cover `c` gives access on the day bound at `today` (a
/// placeholder such as `$2`, bound as `YYYY-MM-DD`): `domain::cover::is_active` (not ended, the
/// day within its period, both ends included) and [`QUALIFIES`].
pub(crate) fn in_force(today: &str) -> String {
    format!(
        "c.ended_at IS NULL AND c.starts_on <= {today} AND c.ends_on >= {today} AND {QUALIFIES}"
    )
}

/// The SQL that reads the covers in force of the user `u` as one JSON array (one element per
/// cover, the fields of [`CoverAt`] in order), for the session guard's one query.
pub(crate) fn in_force_json(backend: super::Backend, today: &str) -> String {
    let fields = "c.id, c.school_id, s.name, a.name, c.starts_on, c.ends_on";
    let from = format!(
        "FROM covers c JOIN schools s ON s.id = c.school_id JOIN users a ON a.id = c.absent_id \
         WHERE c.deputy_id = u.id AND {}",
        in_force(today)
    );
    match backend {
        super::Backend::Sqlite => format!("(SELECT json_group_array(json_array({fields})) {from})"),
        super::Backend::Postgres => {
            format!("(SELECT COALESCE(json_agg(json_build_array({fields}))::text, '[]') {from})")
        }
    }
}

/// A cover in force for the logged-in user: they stand in for `absent_name` at the school.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CoverAt {
    pub id: CoverId,
    pub school_id: SchoolId,
    pub school_name: String,
    /// The aandachtsfunctionaris stood in for.
    pub absent_name: String,
    pub period: Period,
}

/// A cover as read with the user (an element of [`in_force_json`]'s array).
#[derive(serde::Deserialize)]
pub(crate) struct CoverAtRow(CoverId, SchoolId, String, String, String, String);

/// A stored period; one that cannot be read grants nothing, and is logged.
fn stored_period(id: CoverId, from: &str, until: &str) -> Option<Period> {
    match (parse_date(from), parse_date(until)) {
        (Some(from), Some(until)) => Some(Period { from, until }),
        _ => {
            tracing::error!(
                cover = id.get(),
                "a cover's stored period cannot be read; it grants nothing"
            );
            None
        }
    }
}

impl CoverAtRow {
    pub(crate) fn into_cover(self) -> Option<CoverAt> {
        let CoverAtRow(id, school_id, school_name, absent_name, from, until) = self;
        Some(CoverAt {
            period: stored_period(id, &from, &until)?,
            id,
            school_id,
            school_name,
            absent_name,
        })
    }
}

/// A line of the aandachtsfunctionaris's list of covers at their schools.
#[derive(Debug, Clone)]
pub struct CoverLine {
    pub id: CoverId,
    pub school_id: SchoolId,
    pub school_name: String,
    pub absent_name: String,
    pub deputy_id: UserId,
    pub deputy_name: String,
    pub period: Period,
    pub ended: bool,
    /// Who ended it early, if someone did.
    pub ended_by: Option<String>,
    /// Whether both people still qualify ([`QUALIFIES`]): a cover that no longer does gives
    /// nothing, whatever its period.
    pub qualifies: bool,
}

#[derive(FromRow)]
struct CoverLineRow {
    id: CoverId,
    school_id: SchoolId,
    school_name: String,
    absent_name: String,
    deputy_id: UserId,
    deputy_name: String,
    starts_on: String,
    ends_on: String,
    ended_at: Option<i64>,
    ended_by: Option<String>,
    qualifies: i64,
}

impl CoverLineRow {
    fn into_line(self) -> Option<CoverLine> {
        Some(CoverLine {
            period: stored_period(self.id, &self.starts_on, &self.ends_on)?,
            id: self.id,
            school_id: self.school_id,
            school_name: self.school_name,
            absent_name: self.absent_name,
            deputy_id: self.deputy_id,
            deputy_name: self.deputy_name,
            ended: self.ended_at.is_some(),
            ended_by: self.ended_by,
            qualifies: self.qualifies != 0,
        })
    }
}

const LINE_SELECT: &str = "SELECT c.id, c.school_id, s.name AS school_name, a.name AS absent_name, \
     c.deputy_id, w.name AS deputy_name, c.starts_on, c.ends_on, c.ended_at, e.name AS ended_by";

const LINE_FROM: &str = "FROM covers c JOIN schools s ON s.id = c.school_id \
     JOIN users a ON a.id = c.absent_id JOIN users w ON w.id = c.deputy_id \
     LEFT JOIN users e ON e.id = c.ended_by";

/// A new cover, as the aandachtsfunctionaris named it.
#[derive(Debug, Clone, Copy)]
pub struct NewCover {
    pub org_id: i64,
    pub school_id: SchoolId,
    /// The aandachtsfunctionaris who names the deputy (and will be absent).
    pub absent: UserId,
    pub deputy: UserId,
    pub period: Period,
}

/// Why a cover was not named: the form's field and the Dutch message.
pub type Refused = (&'static str, &'static str);

/// Someone who may be named deputy, for the form's list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CoverCandidate {
    pub id: UserId,
    pub name: String,
    /// Why they may be named: "aandachtsfunctionaris van …", "plaatsvervanger voor …".
    pub because: String,
}

/// What a deputy did in a dossier through a cover: a row of the audit log marked "waarneming".
#[derive(Debug, Clone, FromRow)]
pub struct CoverActivity {
    pub at: i64,
    pub deputy_name: String,
    pub event: String,
    pub dossier_id: DossierId,
    pub pupil_name: String,
}

/// What became of a request to end a cover early.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    Ended,
    /// Ended already, or past its last day: nothing changed.
    AlreadyOver,
}

impl Db {
    /// Names a deputy, in one transaction: the school's row locked (two namings for one school
    /// decide one after the other), the candidate's facts read and `domain::cover::refusal`
    /// decided inside, no clash with the deputy's other covers of the school
    /// (`domain::cover::clash`), then the cover, the deputy's notice (about no dossier) and the
    /// audit row. The caller checked `domain::cover::may_name` and the period.
    pub async fn name_cover(
        &self,
        new: &NewCover,
        today: Date,
        now: i64,
        address: Option<&str>,
    ) -> Result<Result<CoverId, Refused>, StoreError> {
        let mut tx = self.begin_write().await?;
        // The no-op update takes the row lock on PostgreSQL (SQLite has one writer anyway).
        let school =
            sqlx::query("UPDATE schools SET name = name WHERE id = $1 AND organisation_id = $2")
                .bind(new.school_id)
                .bind(new.org_id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
        if school == 0 {
            tx.rollback().await?;
            return Ok(Err((
                "school",
                "Kies een school waarvan u aandachtsfunctionaris bent.",
            )));
        }
        let user: Option<(i64, i64)> =
            sqlx::query_as("SELECT active, organisation_id FROM users WHERE id = $1")
                .bind(new.deputy)
                .fetch_optional(&mut *tx)
                .await?;
        let roles: Vec<(SchoolId, String)> = sqlx::query_as(
            "SELECT r.school_id, r.role FROM role_assignments r JOIN schools s ON s.id = r.school_id \
             WHERE r.user_id = $1 AND s.organisation_id = $2",
        )
        .bind(new.deputy)
        .bind(new.org_id)
        .fetch_all(&mut *tx)
        .await?;
        let (marked,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM school_deputies WHERE school_id = $1 AND user_id = $2",
        )
        .bind(new.school_id)
        .bind(new.deputy)
        .fetch_one(&mut *tx)
        .await?;
        let candidate = Candidate {
            user_id: new.deputy,
            active: user.is_some_and(|(active, _)| active != 0),
            same_organisation: user.is_some_and(|(_, org)| org == new.org_id),
            roles: roles
                .iter()
                .filter_map(|(s, r)| Some((*s, Role::parse(r)?)))
                .collect(),
            marked_for_school: marked > 0,
        };
        if let Some(message) = cover::refusal(new.absent, new.school_id, &candidate) {
            tx.rollback().await?;
            return Ok(Err(("waarnemer", message)));
        }
        let existing: Vec<(i64, String, String)> = sqlx::query_as(
            "SELECT id, starts_on, ends_on FROM covers WHERE school_id = $1 AND deputy_id = $2 \
             AND ended_at IS NULL AND ends_on >= $3",
        )
        .bind(new.school_id)
        .bind(new.deputy)
        .bind(today.to_string())
        .fetch_all(&mut *tx)
        .await?;
        let existing: Vec<Period> = existing
            .iter()
            .filter_map(|(id, from, until)| stored_period(CoverId::new(*id), from, until))
            .collect();
        if let Some(message) = cover::clash(new.period, &existing) {
            tx.rollback().await?;
            return Ok(Err(("van", message)));
        }
        let (id,): (CoverId,) = sqlx::query_as(
            "INSERT INTO covers (school_id, absent_id, deputy_id, starts_on, ends_on, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(new.school_id)
        .bind(new.absent)
        .bind(new.deputy)
        .bind(new.period.from.to_string())
        .bind(new.period.until.to_string())
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        // The deputy's notice names no school and no pupil, as every notice (and its e-mail).
        sqlx::query(
            "INSERT INTO notifications (user_id, dossier_id, kind, created_at) VALUES ($1, NULL, $2, $3)",
        )
        .bind(new.deputy)
        .bind(Notice::Waarneming.code())
        .bind(now)
        .execute(&mut *tx)
        .await?;
        let subject = format!(
            "cover:{id} school:{} waarnemer:{} van:{} tot:{}",
            new.school_id, new.deputy, new.period.from, new.period.until
        );
        let entry = Entry::user(Event::CoverNamed, Some(new.absent), address)
            .as_role(Role::Aandachtsfunctionaris)
            .about(&subject);
        audit::audit(&mut tx, now, entry).await?;
        tx.commit().await?;
        Ok(Ok(id))
    }

    /// One cover of the organisation, as its list shows it; `None` for any other id.
    pub async fn cover(&self, id: CoverId, org_id: i64) -> Result<Option<CoverLine>, StoreError> {
        let row: Option<CoverLineRow> = sqlx::query_as(&format!(
            "{LINE_SELECT}, CASE WHEN {QUALIFIES} THEN 1 ELSE 0 END AS qualifies {LINE_FROM} \
             WHERE c.id = $1 AND s.organisation_id = $2"
        ))
        .bind(id)
        .bind(org_id)
        .fetch_optional(self.pool())
        .await?;
        Ok(row.and_then(CoverLineRow::into_line))
    }

    /// Ends a cover early, with its audit row, in one transaction; a cover ended meanwhile (or
    /// past its last day) is left as it is. The caller checked `domain::cover::may_end`.
    pub async fn end_cover(
        &self,
        id: CoverId,
        by: UserId,
        today: Date,
        now: i64,
        address: Option<&str>,
    ) -> Result<Ending, StoreError> {
        let mut tx = self.begin_write().await?;
        let done = sqlx::query(
            "UPDATE covers SET ended_at = $1, ended_by = $2 WHERE id = $3 AND ended_at IS NULL \
             AND ends_on >= $4",
        )
        .bind(now)
        .bind(by)
        .bind(id)
        .bind(today.to_string())
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if done == 0 {
            tx.rollback().await?;
            return Ok(Ending::AlreadyOver);
        }
        let subject = format!("cover:{id}");
        let entry = Entry::user(Event::CoverEnded, Some(by), address)
            .as_role(Role::Aandachtsfunctionaris)
            .about(&subject);
        audit::audit(&mut tx, now, entry).await?;
        tx.commit().await?;
        Ok(Ending::Ended)
    }

    /// The covers at these schools that give access now or later, and those that ended since
    /// `since` (for the aandachtsfunctionaris's look back): the latest first.
    pub async fn covers_at(
        &self,
        schools: &[SchoolId],
        since: Date,
    ) -> Result<Vec<CoverLine>, StoreError> {
        if schools.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "{LINE_SELECT}, CASE WHEN {QUALIFIES} THEN 1 ELSE 0 END AS qualifies {LINE_FROM} \
             WHERE c.school_id IN ({}) AND c.ends_on >= $1 ORDER BY c.starts_on DESC, c.id DESC",
            super::placeholders(2, schools.len())
        );
        let mut q = sqlx::query_as::<_, CoverLineRow>(&sql).bind(since.to_string());
        for s in schools {
            q = q.bind(*s);
        }
        Ok(q.fetch_all(self.pool())
            .await?
            .into_iter()
            .filter_map(CoverLineRow::into_line)
            .collect())
    }

    /// The user's covers as deputy that give access today or will (not ended, not past, both
    /// people still qualifying), soonest first: for their start page.
    pub async fn covers_of_deputy(
        &self,
        deputy: UserId,
        today: Date,
    ) -> Result<Vec<CoverLine>, StoreError> {
        let rows: Vec<CoverLineRow> = sqlx::query_as(&format!(
            "{LINE_SELECT}, 1 AS qualifies {LINE_FROM} WHERE c.deputy_id = $1 AND c.ended_at IS NULL \
             AND c.ends_on >= $2 AND {QUALIFIES} ORDER BY c.starts_on, c.id"
        ))
        .bind(deputy)
        .bind(today.to_string())
        .fetch_all(self.pool())
        .await?;
        Ok(rows
            .into_iter()
            .filter_map(CoverLineRow::into_line)
            .collect())
    }

    /// Who may be named deputy by `me` for one of `schools` (where `me` is aandachtsfunctionaris):
    /// the other active aandachtsfunctionarissen of the organisation, and the active colleagues
    /// the beheerder marked for one of these schools, by name. Whether one may be named for a
    /// given school is decided when the form is sent (`domain::cover::refusal`).
    pub async fn cover_candidates(
        &self,
        org_id: i64,
        schools: &[SchoolId],
        me: UserId,
    ) -> Result<Vec<CoverCandidate>, StoreError> {
        let af: Vec<(UserId, String, String)> = sqlx::query_as(
            "SELECT u.id, u.name, s.name FROM users u JOIN role_assignments r ON r.user_id = u.id \
             JOIN schools s ON s.id = r.school_id WHERE u.organisation_id = $1 AND s.organisation_id = $1 \
             AND r.role = 'aandachtsfunctionaris' AND u.active = 1 AND u.id <> $2 ORDER BY s.name",
        )
        .bind(org_id)
        .bind(me)
        .fetch_all(self.pool())
        .await?;
        let marked: Vec<(UserId, String, String)> = if schools.is_empty() {
            Vec::new()
        } else {
            let sql = format!(
                "SELECT u.id, u.name, s.name FROM users u JOIN school_deputies m ON m.user_id = u.id \
                 JOIN schools s ON s.id = m.school_id WHERE u.organisation_id = $1 AND u.active = 1 \
                 AND u.id <> $2 AND m.school_id IN ({}) ORDER BY s.name",
                super::placeholders(3, schools.len())
            );
            let mut q = sqlx::query_as(&sql).bind(org_id).bind(me);
            for s in schools {
                q = q.bind(*s);
            }
            q.fetch_all(self.pool()).await?
        };
        let mut out: Vec<CoverCandidate> = Vec::new();
        let reasons =
            af.into_iter()
                .map(|(id, name, school)| (id, name, format!("aandachtsfunctionaris van {school}")))
                .chain(marked.into_iter().map(|(id, name, school)| {
                    (id, name, format!("plaatsvervanger voor {school}"))
                }));
        for (id, name, because) in reasons {
            match out.iter_mut().find(|c| c.id == id) {
                Some(c) => {
                    c.because.push_str(", ");
                    c.because.push_str(&because);
                }
                None => out.push(CoverCandidate { id, name, because }),
            }
        }
        out.sort_by_key(|a| (a.name.to_lowercase(), a.id));
        Ok(out)
    }

    /// What deputies opened, printed or wrote through a cover in the dossiers of these schools
    /// (audit rows marked "waarneming"), newest first: for the aandachtsfunctionaris back from
    /// absence. Read by the deputies of the schools' covers, whose rows the log's index finds.
    pub async fn cover_activity(
        &self,
        schools: &[SchoolId],
        limit: i64,
    ) -> Result<Vec<CoverActivity>, StoreError> {
        if schools.is_empty() {
            return Ok(Vec::new());
        }
        let n = schools.len();
        let sql = format!(
            "SELECT a.at, u.name AS deputy_name, a.event, a.dossier_id, p.name AS pupil_name \
             FROM audit_log a JOIN users u ON u.id = a.user_id JOIN dossiers d ON d.id = a.dossier_id \
             JOIN pupils p ON p.id = d.pupil_id \
             WHERE a.user_id IN (SELECT c.deputy_id FROM covers c WHERE c.school_id IN ({})) \
             AND a.role = $1 AND d.school_id IN ({}) AND d.purged_at IS NULL \
             ORDER BY a.id DESC LIMIT {limit}",
            super::placeholders(2, n),
            super::placeholders(2 + n, n)
        );
        let mut q = sqlx::query_as::<_, CoverActivity>(&sql).bind(cover::AUDIT_ROLE);
        for s in schools.iter().chain(schools) {
            q = q.bind(*s);
        }
        q.fetch_all(self.pool()).await
    }
}

/// The beheerder's marks: who, beside the organisation's aandachtsfunctionarissen, may be named
/// deputy for a school. A mark grants nothing by itself.
impl Db {
    /// The schools for which the user is marked plaatsvervanger, by name.
    pub async fn deputy_marks(&self, user: UserId) -> Result<Vec<(SchoolId, String)>, StoreError> {
        sqlx::query_as(
            "SELECT s.id, s.name FROM school_deputies m JOIN schools s ON s.id = m.school_id \
             WHERE m.user_id = $1 ORDER BY s.name",
        )
        .bind(user)
        .fetch_all(self.pool())
        .await
    }

    /// Marks a user plaatsvervanger for a school, with the audit row; marking twice changes
    /// nothing. The caller checked `domain::cover::mark_refusal`.
    pub async fn mark_deputy(
        &self,
        school: SchoolId,
        user: UserId,
        now: i64,
        entry: Entry<'_>,
    ) -> Result<bool, StoreError> {
        let mut tx = self.begin_write().await?;
        let done = sqlx::query(
            "INSERT INTO school_deputies (school_id, user_id, created_at) VALUES ($1, $2, $3) \
             ON CONFLICT (school_id, user_id) DO NOTHING",
        )
        .bind(school)
        .bind(user)
        .bind(now)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if done > 0 {
            audit::audit(&mut tx, now, entry).await?;
        }
        tx.commit().await?;
        Ok(done > 0)
    }

    /// Withdraws a mark, with the audit row. The user's covers of that school that rested on it
    /// (they are no aandachtsfunctionaris of the organisation) and give access now or later end
    /// with it, by `by`, in the same transaction: a mark given again later does not bring them
    /// back.
    pub async fn unmark_deputy(
        &self,
        school: SchoolId,
        user: UserId,
        by: UserId,
        today: Date,
        now: i64,
        entry: Entry<'_>,
    ) -> Result<bool, StoreError> {
        let mut tx = self.begin_write().await?;
        let done = sqlx::query("DELETE FROM school_deputies WHERE school_id = $1 AND user_id = $2")
            .bind(school)
            .bind(user)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if done > 0 {
            sqlx::query(&format!(
                "UPDATE covers SET ended_at = $1, ended_by = $2 WHERE school_id = $3 AND deputy_id = $4 \
                 AND ended_at IS NULL AND ends_on >= $5 AND id IN (SELECT c.id FROM covers c \
                 WHERE c.school_id = $3 AND c.deputy_id = $4 AND NOT ({QUALIFIES}))"
            ))
            .bind(now)
            .bind(by)
            .bind(school)
            .bind(user)
            .bind(today.to_string())
            .execute(&mut *tx)
            .await?;
            audit::audit(&mut tx, now, entry).await?;
        }
        tx.commit().await?;
        Ok(done > 0)
    }
}
