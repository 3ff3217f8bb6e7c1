//! Pupils, dossiers, entries, members and notifications.
//!
//! A dossier's content can only be read or written through a [`DossierAccess`], and the only way
//! to get one is [`Db::open_dossier`], which makes the access decision (`domain::access::decide`)
//! and writes the audit row. A handler cannot forget the check: without it, it has nothing to pass
//! to the functions that return content.

use sqlx::FromRow;
use time::Date;

use super::audit::{self, Entry, Event};
use super::{Db, StoreError};
use crate::domain::access::{DossierFacts, Viewer, coordinates, decide};
use crate::domain::dossier::{CloseReason, Form, Route};
use crate::domain::entry::{Body, FieldErrors, Kind};
use crate::domain::notification::Notice;
use crate::domain::progress::{self, Standing};
use crate::domain::pupil::name_key;
use crate::domain::role::Role;

#[derive(Debug, Clone)]
pub struct Pupil {
    pub id: i64,
    pub school_id: i64,
    pub name: String,
    /// Not known yet after an emergency report.
    pub date_of_birth: Option<Date>,
    pub group_name: String,
}

impl Pupil {
    /// The group as it reads in a sentence: "groep 4", "klas 2a" (never "groep groep 4").
    pub fn group_label(&self) -> String {
        crate::domain::pupil::group_label(&self.group_name)
    }
}

/// What a dossier is about and where it stands; the entries come separately.
#[derive(Debug, Clone)]
pub struct DossierHeader {
    pub id: i64,
    pub school_id: i64,
    pub school_name: String,
    pub pupil: Pupil,
    pub route: Route,
    pub forms: Vec<Form>,
    pub open: bool,
    pub close_reason: Option<CloseReason>,
    pub emergency: bool,
    pub opened_by: i64,
    pub opened_by_name: String,
    pub opened_at: i64,
    pub last_entry_at: i64,
    /// Bit n set when step n has an entry.
    pub steps_mask: i64,
    /// The help plan's review date, until the review is recorded.
    pub review_due: Option<Date>,
    /// The date Veilig Thuis's feedback is due, until it is recorded.
    pub feedback_due: Option<Date>,
    /// When a report to Veilig Thuis became due that is not recorded yet (unix seconds): the
    /// meldnorm, kept by `domain::progress` with every entry that can change it.
    pub report_due_since: Option<i64>,
}

impl DossierHeader {
    pub fn step_done(&self, step: u8) -> bool {
        self.steps_mask & (1 << step) != 0
    }
}

#[derive(FromRow)]
struct HeaderRow {
    id: i64,
    school_id: i64,
    school_name: String,
    pupil_id: i64,
    pupil_name: String,
    date_of_birth: String,
    group_name: String,
    route: String,
    forms: String,
    status: String,
    close_reason: Option<String>,
    emergency: i64,
    opened_by: i64,
    opened_by_name: String,
    opened_at: i64,
    last_entry_at: i64,
    steps_mask: i64,
    review_due: Option<String>,
    feedback_due: Option<String>,
    report_due_since: Option<i64>,
}

impl From<HeaderRow> for DossierHeader {
    fn from(r: HeaderRow) -> DossierHeader {
        let route = Route::parse(&r.route).unwrap_or_else(|| {
            // Reached only if the row changed after the access decision (which refuses a
            // dossier whose route cannot be read, see `open_dossier`) or in a list (whose SQL
            // names the routes). Of the two routes, the staff-member route has the narrower
            // circle (directie and the opener): a guess of "stappenplan" could put a dossier
            // about a colleague before that colleague.
            tracing::error!(
                dossier = r.id,
                "a dossier's stored route cannot be read; treated as the staff-member route"
            );
            Route::Medewerker
        });
        let forms: Vec<Form> = r
            .forms
            .split(' ')
            .filter(|f| !f.is_empty())
            .filter_map(|f| {
                let form = Form::parse(f);
                if form.is_none() {
                    tracing::error!(
                        dossier = r.id,
                        "a dossier's stored form of violence cannot be read; it is left out"
                    );
                }
                form
            })
            .collect();
        let close_reason = r.close_reason.as_deref().and_then(|c| {
            let reason = CloseReason::parse(c);
            if reason.is_none() && !c.is_empty() {
                tracing::error!(
                    dossier = r.id,
                    "a dossier's stored reason for closing cannot be read; it is left out"
                );
            }
            reason
        });
        DossierHeader {
            id: r.id,
            school_id: r.school_id,
            school_name: r.school_name,
            pupil: Pupil {
                id: r.pupil_id,
                school_id: r.school_id,
                name: r.pupil_name,
                date_of_birth: stored_date(&r.date_of_birth),
                group_name: r.group_name,
            },
            route,
            forms,
            open: r.status == "open",
            close_reason,
            emergency: r.emergency != 0,
            opened_by: r.opened_by,
            opened_by_name: r.opened_by_name,
            opened_at: r.opened_at,
            last_entry_at: r.last_entry_at,
            steps_mask: r.steps_mask,
            review_due: r.review_due.as_deref().and_then(stored_date),
            feedback_due: r.feedback_due.as_deref().and_then(stored_date),
            report_due_since: r.report_due_since,
        }
    }
}

const HEADER_COLUMNS: &str = "SELECT d.id, d.school_id, s.name AS school_name, p.id AS pupil_id, p.name AS pupil_name, \
     p.date_of_birth, p.group_name, d.route, d.forms, d.status, d.close_reason, d.emergency, d.opened_by, \
     u.name AS opened_by_name, d.opened_at, d.last_entry_at, d.steps_mask, d.review_due, d.feedback_due, d.report_due_since";
const HEADER_FROM: &str = "FROM dossiers d JOIN schools s ON s.id = d.school_id JOIN pupils p ON p.id = d.pupil_id \
     JOIN users u ON u.id = d.opened_by";

/// Permission to work with one dossier, granted by [`Db::open_dossier`]. Its fields are private:
/// no other module can make one.
#[derive(Debug, Clone)]
pub struct DossierAccess {
    header: DossierHeader,
    role: Role,
    user_id: i64,
    address: Option<String>,
}

impl DossierAccess {
    pub fn dossier(&self) -> &DossierHeader {
        &self.header
    }

    pub fn id(&self) -> i64 {
        self.header.id
    }

    /// The role in which the user acts on this dossier.
    pub fn role(&self) -> Role {
        self.role
    }

    pub fn user_id(&self) -> i64 {
        self.user_id
    }

    /// Permission to add an entry of `kind` now, if `domain::progress::may_record` gives it for
    /// this user's role on this dossier. [`Db::add_entry`] takes nothing else: a read access
    /// cannot write.
    pub fn write(&self, kind: Kind) -> Option<WriteAccess<'_>> {
        let d = &self.header;
        progress::may_record(d.route, self.role, d.open, kind)
            .then_some(WriteAccess { access: self, kind })
    }

    fn audit_entry(&self, event: Event, subject: Option<&'static str>) -> Entry<'_> {
        Entry {
            dossier_id: Some(self.header.id),
            role: Some(self.role.code()),
            user_id: Some(self.user_id),
            event,
            subject,
            address: self.address.as_deref(),
        }
    }
}

/// Permission to add one kind of entry to one dossier, handed out only by
/// [`DossierAccess::write`] after the domain's check for that kind. Its fields are private.
///
/// Writing with a read access does not compile:
///
/// ```compile_fail
/// # use meldcode::store::{Db, dossiers::DossierAccess};
/// # use meldcode::domain::entry::Body;
/// async fn write(db: &Db, access: &DossierAccess, body: &Body) {
///     let _ = db.add_entry(access, body, None, None, 0).await;
/// }
/// ```
///
/// With the permission the domain hands out, it does:
///
/// ```
/// # use meldcode::store::{Db, dossiers::DossierAccess};
/// # use meldcode::domain::entry::{Body, Kind};
/// async fn write(db: &Db, access: &DossierAccess, body: &Body) {
///     if let Some(w) = access.write(Kind::Signaal) {
///         let _ = db.add_entry(&w, body, None, None, 0).await;
///     }
/// }
/// ```
#[derive(Debug, Clone, Copy)]
pub struct WriteAccess<'a> {
    access: &'a DossierAccess,
    kind: Kind,
}

impl WriteAccess<'_> {
    pub fn kind(&self) -> Kind {
        self.kind
    }
}

/// What became of an entry offered to [`Db::add_entry`].
#[derive(Debug)]
pub enum Added {
    /// Recorded, with this id.
    Recorded(i64),
    /// Not admitted by the dossier's history; nothing was written. Dutch messages per field.
    Refused(FieldErrors),
}

/// Why a dossier is being opened, for the audit log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    Read,
    Write,
    Print,
}

/// One entry, as stored.
#[derive(Debug, Clone)]
pub struct EntryRecord {
    pub id: i64,
    pub kind: Kind,
    pub author_name: String,
    pub author_role: Option<Role>,
    pub created_at: i64,
    pub refers_to: Option<i64>,
    pub body: Body,
}

#[derive(FromRow)]
struct EntryRow {
    id: i64,
    kind: String,
    author_name: String,
    author_role: String,
    created_at: i64,
    refers_to: Option<i64>,
    body: String,
}

const ENTRY_SELECT: &str = "SELECT e.id, e.kind, u.name AS author_name, e.author_role, e.created_at, \
     e.refers_to, e.body FROM entries e JOIN users u ON u.id = e.author_id WHERE e.dossier_id = $1";

impl EntryRow {
    /// The record of a stored entry. One that cannot be read (a kind this version does not know,
    /// a body that is not a JSON object of texts) is not dropped and not guessed at: it becomes
    /// an [`Kind::Onleesbaar`] record with its number, author and time, shown as unreadable, and
    /// the error is logged with the entry's and dossier's id (never its content).
    fn into_record(self, dossier_id: i64) -> EntryRecord {
        let kind = Kind::parse(&self.kind);
        let body = serde_json::from_str::<Body>(&self.body);
        let (kind, body) = match (kind, body) {
            (Some(kind), Ok(body)) => (kind, body),
            (kind, body) => {
                tracing::error!(
                    entry = self.id,
                    dossier = dossier_id,
                    kind_known = kind.is_some(),
                    body_readable = body.is_ok(),
                    "a stored entry cannot be read; it is shown as unreadable"
                );
                (Kind::Onleesbaar, Body::new())
            }
        };
        let author_role = Role::parse(&self.author_role);
        if author_role.is_none() && !self.author_role.is_empty() {
            tracing::error!(
                entry = self.id,
                dossier = dossier_id,
                "a stored entry's author role cannot be read; it is shown without one"
            );
        }
        EntryRecord {
            id: self.id,
            kind,
            author_name: self.author_name,
            author_role,
            created_at: self.created_at,
            refers_to: self.refers_to,
            body,
        }
    }
}

/// A line in a dossier list: no content beyond the pupil and where the dossier stands.
#[derive(Debug, Clone)]
pub struct DossierSummary {
    pub header: DossierHeader,
    /// The steps with at least one entry.
    pub steps_done: Vec<u8>,
}

/// The pupil a new dossier is about, as typed. The store links it to the school's pupil with the
/// same date of birth and name (ignoring case and spacing), or makes a new one: see
/// [`Db::create_dossier`].
#[derive(Debug, Clone)]
pub struct NewPupil {
    pub name: String,
    /// Not known yet in an emergency report.
    pub date_of_birth: Option<Date>,
    pub group_name: String,
}

/// Everything needed to open a dossier.
#[derive(Debug, Clone)]
pub struct NewDossier {
    pub school_id: i64,
    pub pupil: NewPupil,
    pub route: Route,
    pub forms: Vec<Form>,
    /// The first signal (step 1), or the emergency report, recorded with the opening.
    pub first_entry: Option<(Kind, Body)>,
    pub emergency: bool,
}

#[derive(Debug, Clone, FromRow)]
pub struct Notification {
    pub id: i64,
    pub dossier_id: Option<i64>,
    pub kind: String,
    pub created_at: i64,
}

#[derive(Debug, Clone, FromRow)]
pub struct Colleague {
    pub id: i64,
    pub name: String,
}

impl Db {
    /// Gives pupils recorded before names were keyed (migration 0017) their `name_key`, once, at
    /// start-up. The key is made here and not in SQL: SQLite's lower() knows only ASCII.
    pub async fn key_unkeyed_pupils(&self) -> Result<u64, StoreError> {
        let rows: Vec<(i64, String)> =
            sqlx::query_as("SELECT id, name FROM pupils WHERE name_key IS NULL ORDER BY id")
                .fetch_all(self.pool())
                .await?;
        if rows.is_empty() {
            return Ok(0);
        }
        let mut tx = self.begin_write().await?;
        for (id, name) in &rows {
            sqlx::query("UPDATE pupils SET name_key = $1 WHERE id = $2 AND name_key IS NULL")
                .bind(name_key(name))
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(rows.len() as u64)
    }

    /// Whether a dossier with this id exists (purged or not) at a school of the organisation.
    /// Says nothing of its content; used to tie a refused request to the dossier it named.
    pub async fn dossier_exists_in(&self, id: i64, org_id: i64) -> Result<bool, StoreError> {
        let row: Option<(i64,)> = sqlx::query_as(
            "SELECT d.id FROM dossiers d JOIN schools s ON s.id = d.school_id \
             WHERE d.id = $1 AND s.organisation_id = $2",
        )
        .bind(id)
        .bind(org_id)
        .fetch_optional(self.pool())
        .await?;
        Ok(row.is_some())
    }

    /// Opens a dossier for a viewer: decides access, audits, and hands out the [`DossierAccess`].
    /// `None` when the dossier does not exist or the viewer may not see it; a refusal is audited.
    pub async fn open_dossier(
        &self,
        viewer: &Viewer,
        id: i64,
        purpose: Purpose,
        now: i64,
        address: Option<&str>,
    ) -> Result<Option<DossierAccess>, StoreError> {
        let facts: Option<(i64, String, i64, i64)> = sqlx::query_as(
            "SELECT d.school_id, d.route, d.opened_by, \
             (SELECT COUNT(*) FROM dossier_members m WHERE m.dossier_id = d.id AND m.user_id = $2) \
             FROM dossiers d WHERE d.id = $1 AND d.purged_at IS NULL",
        )
        .bind(id)
        .bind(viewer.user_id())
        .fetch_optional(self.pool())
        .await?;
        // A refusal is tied to the dossier only when it exists: an id that names none would
        // otherwise show in the access log of whichever dossier later gets that number.
        let exists = facts.is_some();
        let decision = facts.and_then(|(school_id, route, opened_by, member)| {
            // A route that cannot be read is not guessed: either guess could show the dossier to
            // someone outside its circle (a dossier about a colleague to that colleague, or a
            // pupil's dossier to directie). It is refused to everyone, and audited as a refusal
            // like any other, and logged so that the beheerder can have the row repaired;
            // nothing of it is changed or lost.
            let Some(route) = Route::parse(&route) else {
                tracing::error!(
                    dossier = id,
                    "a dossier's stored route cannot be read; access is refused"
                );
                return None;
            };
            let facts = DossierFacts {
                school_id,
                route,
                opened_by,
                viewer_is_member: member > 0,
            };
            decide(viewer, &facts)
        });
        let Some(role) = decision else {
            let refused = Entry {
                dossier_id: exists.then_some(id),
                role: None,
                user_id: Some(viewer.user_id()),
                event: Event::AccessRefused,
                subject: Some("dossier"),
                address,
            };
            self.audit(now, refused).await?;
            return Ok(None);
        };
        let row: HeaderRow =
            sqlx::query_as(&format!("{HEADER_COLUMNS} {HEADER_FROM} WHERE d.id = $1"))
                .bind(id)
                .fetch_one(self.pool())
                .await?;
        let access = DossierAccess {
            header: row.into(),
            role,
            user_id: viewer.user_id(),
            address: address.map(str::to_string),
        };
        let event = match purpose {
            Purpose::Read => Some(Event::DossierRead),
            Purpose::Print => Some(Event::DossierPrinted),
            // A write is audited with the change itself, in its transaction.
            Purpose::Write => None,
        };
        if let Some(event) = event {
            // The read is logged before the page is built: no audit row, no page.
            self.audit(now, access.audit_entry(event, None)).await?;
        }
        Ok(Some(access))
    }

    /// Opens a new dossier, with its first entry, notifies who must know, and returns its id.
    /// Everything happens in one transaction with its audit row, the pupil's record included:
    /// the typed pupil is linked silently to the school's pupil with the same date of birth and
    /// name, or a new record is made. Either way the caller learns nothing but the new id.
    pub async fn create_dossier(
        &self,
        viewer: &Viewer,
        new: &NewDossier,
        now: i64,
        address: Option<&str>,
    ) -> Result<i64, StoreError> {
        let role = viewer
            .acting_role(new.school_id)
            .unwrap_or(Role::Beroepskracht);
        let mut tx = self.begin_write().await?;
        let pupil_id = link_pupil(&mut tx, new.school_id, &new.pupil, now).await?;
        let forms: Vec<&str> = new.forms.iter().map(|f| f.code()).collect();
        let (dossier_id,): (i64,) = sqlx::query_as(
            "INSERT INTO dossiers (school_id, pupil_id, route, forms, status, emergency, opened_by, opened_at, last_entry_at, standing_version) \
             VALUES ($1, $2, $3, $4, 'open', $5, $6, $7, $7, 1) RETURNING id",
        )
        .bind(new.school_id)
        .bind(pupil_id)
        .bind(new.route.code())
        .bind(forms.join(" "))
        .bind(i64::from(new.emergency))
        .bind(viewer.user_id())
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        let mut opened = Body::new();
        opened.insert("route".into(), new.route.code().into());
        insert_entry(
            &mut tx,
            dossier_id,
            Kind::Geopend,
            &opened,
            viewer.user_id(),
            role,
            None,
            now,
        )
        .await?;
        if let Some((kind, body)) = &new.first_entry {
            insert_entry(
                &mut tx,
                dossier_id,
                *kind,
                body,
                viewer.user_id(),
                role,
                None,
                now,
            )
            .await?;
        }
        // Who must know: the aandachtsfunctionarissen of the school for the stappenplan, directie
        // for a signal about a staff member. Never the person who opened it.
        let who = match new.route {
            Route::Stappenplan => Role::Aandachtsfunctionaris,
            Route::Medewerker => Role::Directie,
        };
        let kind = if new.emergency {
            Notice::Noodmelding
        } else {
            Notice::NieuwDossier
        };
        notify_role(
            &mut tx,
            new.school_id,
            who,
            dossier_id,
            kind,
            viewer.user_id(),
            now,
        )
        .await?;
        let entry = Entry {
            dossier_id: Some(dossier_id),
            role: Some(role.code()),
            user_id: Some(viewer.user_id()),
            event: Event::DossierOpened,
            subject: None,
            address,
        };
        audit::audit(&mut tx, now, entry).await?;
        tx.commit().await?;
        Ok(dossier_id)
    }

    /// The entries of a dossier, oldest first.
    pub async fn entries(&self, access: &DossierAccess) -> Result<Vec<EntryRecord>, StoreError> {
        let rows: Vec<EntryRow> = sqlx::query_as(&format!("{ENTRY_SELECT} ORDER BY e.id"))
            .bind(access.id())
            .fetch_all(self.pool())
            .await?;
        Ok(rows
            .into_iter()
            .map(|r| r.into_record(access.id()))
            .collect())
    }

    /// One entry of the dossier, by its id (an entry of another dossier is not found).
    pub async fn entry(
        &self,
        access: &DossierAccess,
        entry_id: i64,
    ) -> Result<Option<EntryRecord>, StoreError> {
        let row: Option<EntryRow> = sqlx::query_as(&format!("{ENTRY_SELECT} AND e.id = $2"))
            .bind(access.id())
            .bind(entry_id)
            .fetch_optional(self.pool())
            .await?;
        Ok(row.map(|r| r.into_record(access.id())))
    }

    /// Appends an entry, if the dossier's history admits it (`domain::progress::admit`: the
    /// meldnorm up to closing, no contradictory records); else nothing is written and the
    /// refusal comes back with its Dutch messages. The history is read and the decision made
    /// inside the write transaction, after the dossier's row is locked, so two writers of one
    /// dossier decide one after the other. Closing and reopening change the dossier's status in
    /// the same transaction; a consultation answering a teacher's request marks it answered;
    /// every write is audited in it too.
    pub async fn add_entry(
        &self,
        write: &WriteAccess<'_>,
        body: &Body,
        refers_to: Option<i64>,
        answers_request: Option<i64>,
        now: i64,
    ) -> Result<Added, StoreError> {
        let (access, kind) = (write.access, write.kind);
        let mut tx = self.begin_write().await?;
        let standing = if progress::needs_history(kind, body) {
            // The no-op update takes the row lock on PostgreSQL (SQLite has one writer anyway).
            sqlx::query("UPDATE dossiers SET standing_version = standing_version WHERE id = $1")
                .bind(access.id())
                .execute(&mut *tx)
                .await?;
            let records = history_in(&mut tx, access.id()).await?;
            let history: Vec<(Kind, &Body, i64)> = records
                .iter()
                .map(|e| (e.kind, &e.body, e.created_at))
                .collect();
            let d = access.dossier();
            let refused = progress::admit(kind, body, d.route, &d.forms, &history);
            if !refused.is_empty() {
                tx.rollback().await?;
                return Ok(Added::Refused(refused));
            }
            let mut standing = Standing::of(history);
            standing.apply(kind, body, now);
            Some(standing)
        } else {
            None
        };
        let id = insert_entry(
            &mut tx,
            access.id(),
            kind,
            body,
            access.user_id,
            access.role,
            refers_to,
            now,
        )
        .await?;
        if let Some(standing) = standing {
            set_report_due(&mut tx, access.id(), access.dossier().route, &standing).await?;
        }
        match kind {
            Kind::Gesloten => {
                sqlx::query(
                    "UPDATE dossiers SET status = 'gesloten', close_reason = $1, closed_at = $3 WHERE id = $2",
                )
                .bind(body.get("reden"))
                .bind(access.id())
                .bind(now)
                .execute(&mut *tx)
                .await?;
            }
            Kind::Heropend => {
                sqlx::query(
                    "UPDATE dossiers SET status = 'open', close_reason = NULL, closed_at = NULL WHERE id = $1",
                )
                .bind(access.id())
                .execute(&mut *tx)
                .await?;
            }
            _ => {}
        }
        // The aandachtsfunctionaris coordinates every dossier of the school: a decision or a report
        // recorded by someone else is brought to their attention.
        if matches!(kind, Kind::Besluit | Kind::Melding)
            && access.dossier().route == Route::Stappenplan
        {
            let school = access.dossier().school_id;
            notify_role(
                &mut tx,
                school,
                Role::Aandachtsfunctionaris,
                access.id(),
                if kind == Kind::Besluit {
                    Notice::Besluit
                } else {
                    Notice::Melding
                },
                access.user_id,
                now,
            )
            .await?;
        }
        // A consultation answers a request; on the staff route, directie answers with a duty entry.
        let answers = match access.dossier().route {
            Route::Stappenplan => kind == Kind::Consultatie,
            Route::Medewerker => kind == Kind::Medewerkerplicht,
        };
        if let (true, Some(request)) = (answers, answers_request) {
            sqlx::query(
                "UPDATE consultation_requests SET answered_at = $1, answer_entry_id = $2 \
                 WHERE id = $3 AND dossier_id = $4 AND answered_at IS NULL",
            )
            .bind(now)
            .bind(id)
            .bind(request)
            .bind(access.id())
            .execute(&mut *tx)
            .await?;
        }
        audit::audit(
            &mut tx,
            now,
            access.audit_entry(Event::DossierWritten, Some(kind.code())),
        )
        .await?;
        tx.commit().await?;
        Ok(Added::Recorded(id))
    }

    /// Fills in the meldnorm's state for dossiers from before it was kept (migration 0016), once,
    /// from their entries; a few hundred at a time, each in its own transaction.
    pub(crate) async fn fill_in_standing(&self) -> Result<u64, StoreError> {
        let mut done = 0;
        loop {
            let batch: Vec<(i64, String)> = sqlx::query_as(
                "SELECT id, route FROM dossiers WHERE standing_version = 0 ORDER BY id LIMIT 500",
            )
            .fetch_all(self.writer())
            .await?;
            if batch.is_empty() {
                return Ok(done);
            }
            for (id, route) in batch {
                let mut tx = self.begin_write().await?;
                let records = history_in(&mut tx, id).await?;
                let standing =
                    Standing::of(records.iter().map(|e| (e.kind, &e.body, e.created_at)));
                // A route that cannot be read is left without a duty; access to it is refused.
                let route = Route::parse(&route).unwrap_or(Route::Medewerker);
                set_report_due(&mut tx, id, route, &standing).await?;
                tx.commit().await?;
                done += 1;
            }
        }
    }

    /// The dossiers a viewer may see, open ones first, most recently active first. The conditions
    /// are those of `domain::access::decide`, in SQL (a test checks that the two agree).
    pub async fn dossiers_for(&self, viewer: &Viewer) -> Result<Vec<DossierSummary>, StoreError> {
        let Some((visible, ids)) = visible_to(viewer) else {
            return Ok(Vec::new());
        };
        let sql = format!(
            "{HEADER_COLUMNS} {HEADER_FROM} WHERE d.purged_at IS NULL AND {visible} \
             ORDER BY CASE WHEN d.status = 'open' THEN 0 ELSE 1 END, d.last_entry_at DESC, d.id DESC LIMIT 500"
        );
        let mut q = sqlx::query_as::<_, HeaderRow>(&sql).bind(viewer.user_id());
        for id in ids {
            q = q.bind(id);
        }
        Ok(summaries(q.fetch_all(self.pool()).await?))
    }

    /// The pupil's other dossiers that the viewer may see themselves (the same conditions as
    /// [`Db::dossiers_for`]), newest first; for the one who coordinates the dossier (the
    /// aandachtsfunctionaris, or directie on the staff route), and for no one else: everyone
    /// else gets an empty list, so a teacher never learns that the pupil has other dossiers.
    pub async fn other_dossiers(
        &self,
        access: &DossierAccess,
        viewer: &Viewer,
    ) -> Result<Vec<DossierSummary>, StoreError> {
        if viewer.user_id() != access.user_id()
            || !coordinates(access.role(), access.dossier().route)
        {
            return Ok(Vec::new());
        }
        let Some((visible, ids)) = visible_to(viewer) else {
            return Ok(Vec::new());
        };
        let n = ids.len() + 2;
        let sql = format!(
            "{HEADER_COLUMNS} {HEADER_FROM} WHERE d.pupil_id = ${n} AND d.id <> ${} \
             AND d.purged_at IS NULL AND {visible} ORDER BY d.opened_at DESC, d.id DESC LIMIT 50",
            n + 1
        );
        let mut q = sqlx::query_as::<_, HeaderRow>(&sql).bind(viewer.user_id());
        for id in ids {
            q = q.bind(id);
        }
        let q = q.bind(access.dossier().pupil.id).bind(access.id());
        Ok(summaries(q.fetch_all(self.pool()).await?))
    }

    /// Adds a colleague to a dossier: from now on they may see it. With `as_case_manager`, the
    /// colleague also becomes the case manager of the help plan.
    pub async fn add_member(
        &self,
        access: &DossierAccess,
        colleague: &Colleague,
        as_case_manager: bool,
        now: i64,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        let added = sqlx::query("INSERT INTO dossier_members (dossier_id, user_id, added_by, added_at) VALUES ($1, $2, $3, $4) ON CONFLICT (dossier_id, user_id) DO NOTHING")
            .bind(access.id())
            .bind(colleague.id)
            .bind(access.user_id)
            .bind(now)
            .execute(&mut *tx)
            .await?
            .rows_affected()
            > 0;
        let mut body = Body::new();
        body.insert("collega".into(), colleague.name.clone());
        if added {
            insert_entry(
                &mut tx,
                access.id(),
                Kind::CollegaToegevoegd,
                &body,
                access.user_id,
                access.role,
                None,
                now,
            )
            .await?;
            sqlx::query("INSERT INTO notifications (user_id, dossier_id, kind, created_at) VALUES ($1, $2, $3, $4)")
                .bind(colleague.id)
                .bind(access.id())
                .bind(Notice::Toegevoegd.code())
                .bind(now)
                .execute(&mut *tx)
                .await?;
        }
        if as_case_manager {
            sqlx::query("UPDATE dossiers SET case_manager = $1 WHERE id = $2")
                .bind(colleague.id)
                .bind(access.id())
                .execute(&mut *tx)
                .await?;
            insert_entry(
                &mut tx,
                access.id(),
                Kind::Casemanager,
                &body,
                access.user_id,
                access.role,
                None,
                now,
            )
            .await?;
        }
        audit::audit(
            &mut tx,
            now,
            access.audit_entry(Event::DossierWritten, Some("collega_toegevoegd")),
        )
        .await?;
        tx.commit().await
    }

    /// Removes a colleague from a dossier: from now on they no longer see it (unless their role
    /// gives them access anyway). Recorded as an entry and audited.
    pub async fn remove_member(
        &self,
        access: &DossierAccess,
        colleague: &Colleague,
        now: i64,
    ) -> Result<bool, StoreError> {
        let mut tx = self.begin_write().await?;
        let removed =
            sqlx::query("DELETE FROM dossier_members WHERE dossier_id = $1 AND user_id = $2")
                .bind(access.id())
                .bind(colleague.id)
                .execute(&mut *tx)
                .await?
                .rows_affected()
                > 0;
        if removed {
            sqlx::query(
                "UPDATE dossiers SET case_manager = NULL WHERE id = $1 AND case_manager = $2",
            )
            .bind(access.id())
            .bind(colleague.id)
            .execute(&mut *tx)
            .await?;
            let mut body = Body::new();
            body.insert("collega".into(), colleague.name.clone());
            insert_entry(
                &mut tx,
                access.id(),
                Kind::CollegaVerwijderd,
                &body,
                access.user_id,
                access.role,
                None,
                now,
            )
            .await?;
            audit::audit(
                &mut tx,
                now,
                access.audit_entry(Event::DossierWritten, Some("collega_verwijderd")),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(removed)
    }

    /// The case manager of the dossier's help plan, if one was named.
    pub async fn case_manager(
        &self,
        access: &DossierAccess,
    ) -> Result<Option<Colleague>, StoreError> {
        sqlx::query_as("SELECT u.id, u.name FROM dossiers d JOIN users u ON u.id = d.case_manager WHERE d.id = $1")
            .bind(access.id())
            .fetch_optional(self.pool())
            .await
    }

    pub async fn members(&self, access: &DossierAccess) -> Result<Vec<Colleague>, StoreError> {
        sqlx::query_as("SELECT u.id, u.name FROM dossier_members m JOIN users u ON u.id = m.user_id WHERE m.dossier_id = $1 ORDER BY u.name")
            .bind(access.id())
            .fetch_all(self.pool())
            .await
    }

    /// Active colleagues at the dossier's school who work with dossiers, to add to it.
    pub async fn colleagues(&self, access: &DossierAccess) -> Result<Vec<Colleague>, StoreError> {
        let school_id = access.dossier().school_id;
        sqlx::query_as(
            "SELECT DISTINCT u.id, u.name FROM users u JOIN role_assignments r ON r.user_id = u.id \
             WHERE r.school_id = $1 AND r.role IN ('beroepskracht', 'aandachtsfunctionaris', 'directie') AND u.active = 1 ORDER BY u.name",
        )
        .bind(school_id)
        .fetch_all(self.pool())
        .await
    }

    /// A user's unread notifications, newest first.
    pub async fn notifications(&self, user_id: i64) -> Result<Vec<Notification>, StoreError> {
        sqlx::query_as(
            "SELECT id, dossier_id, kind, created_at FROM notifications \
             WHERE user_id = $1 AND read_at IS NULL ORDER BY created_at DESC, id DESC LIMIT 50",
        )
        .bind(user_id)
        .fetch_all(self.pool())
        .await
    }

    /// Marks the user's notifications about the dossier as read (when they open it).
    pub async fn mark_read(&self, access: &DossierAccess, now: i64) -> Result<(), StoreError> {
        let (user_id, dossier_id) = (access.user_id, access.id());
        // Most views have nothing unread: look first, so that a page view is not a write.
        let (unread,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND dossier_id = $2 AND read_at IS NULL",
        )
        .bind(user_id)
        .bind(dossier_id)
        .fetch_one(self.pool())
        .await?;
        if unread == 0 {
            return Ok(());
        }
        sqlx::query("UPDATE notifications SET read_at = $1 WHERE user_id = $2 AND dossier_id = $3 AND read_at IS NULL")
            .bind(now)
            .bind(user_id)
            .bind(dossier_id)
            .execute(self.writer())
            .await?;
        Ok(())
    }
}

/// The id of the school's pupil with this date of birth and name (ignoring case and spacing),
/// made when there is none; a newly typed group replaces the one kept. A pupil whose date of
/// birth is not known (an emergency report) gets a record of their own: a name alone does not
/// tell two pupils apart.
async fn link_pupil(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    school_id: i64,
    pupil: &NewPupil,
    now: i64,
) -> Result<i64, StoreError> {
    let key = name_key(&pupil.name);
    // Dates are stored as `YYYY-MM-DD`, and an unknown date of birth as "".
    let born = pupil
        .date_of_birth
        .map(|d| d.to_string())
        .unwrap_or_default();
    if !born.is_empty() {
        // Two openings for the same new pupil at once must not make two records: the school's
        // row is locked for the rest of the transaction (SQLite has one writer anyway).
        sqlx::query("UPDATE schools SET name = name WHERE id = $1")
            .bind(school_id)
            .execute(&mut **tx)
            .await?;
        let found: Option<(i64, String)> = sqlx::query_as(
            "SELECT id, group_name FROM pupils WHERE school_id = $1 AND date_of_birth = $2 AND name_key = $3 \
             ORDER BY id LIMIT 1",
        )
        .bind(school_id)
        .bind(&born)
        .bind(&key)
        .fetch_optional(&mut **tx)
        .await?;
        if let Some((id, group)) = found {
            if !pupil.group_name.is_empty() && pupil.group_name != group {
                sqlx::query("UPDATE pupils SET group_name = $1 WHERE id = $2")
                    .bind(&pupil.group_name)
                    .bind(id)
                    .execute(&mut **tx)
                    .await?;
            }
            return Ok(id);
        }
    }
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO pupils (school_id, name, name_key, date_of_birth, group_name, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(school_id)
    .bind(&pupil.name)
    .bind(&key)
    .bind(&born)
    .bind(&pupil.group_name)
    .bind(now)
    .fetch_one(&mut **tx)
    .await?;
    Ok(id)
}

/// The condition under which the viewer may see a dossier `d`: `domain::access::decide` in SQL.
/// The viewer's id is `$1`; the school ids to bind follow from `$2`, in the order returned.
/// `None` when the viewer works with no dossiers at all.
fn visible_to(viewer: &Viewer) -> Option<(String, Vec<i64>)> {
    let working: Vec<i64> = {
        let mut v: Vec<i64> = viewer
            .roles()
            .iter()
            .filter(|(_, r)| r.may_work_with_dossiers())
            .map(|(s, _)| *s)
            .collect();
        v.sort_unstable();
        v.dedup();
        v
    };
    if working.is_empty() {
        return None;
    }
    let af = viewer.schools_with(Role::Aandachtsfunctionaris);
    let directie = viewer.schools_with(Role::Directie);
    let mut n = 2;
    let mut next = |len: usize| {
        let p = if len == 0 {
            "NULL".to_string()
        } else {
            super::placeholders(n, len)
        };
        n += len;
        p
    };
    let (w, a, d) = (next(working.len()), next(af.len()), next(directie.len()));
    let sql = format!(
        "d.school_id IN ({w}) AND ( \
           (d.route = 'stappenplan' AND (d.school_id IN ({a}) OR d.opened_by = $1 \
              OR EXISTS (SELECT 1 FROM dossier_members m WHERE m.dossier_id = d.id AND m.user_id = $1))) \
           OR (d.route = 'medewerker' AND (d.school_id IN ({d}) OR d.opened_by = $1)))"
    );
    Some((sql, working.into_iter().chain(af).chain(directie).collect()))
}

fn summaries(rows: Vec<HeaderRow>) -> Vec<DossierSummary> {
    rows.into_iter()
        .map(DossierHeader::from)
        .map(|header| DossierSummary {
            steps_done: (1..=5).filter(|n| header.step_done(*n)).collect(),
            header,
        })
        .collect()
}

/// Notifies everyone active who holds `role` at `school` about a dossier, except `except` (the
/// user who caused it), in the caller's transaction.
#[allow(clippy::too_many_arguments)]
async fn notify_role(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    school: i64,
    role: Role,
    dossier_id: i64,
    kind: Notice,
    except: i64,
    now: i64,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO notifications (user_id, dossier_id, kind, created_at) \
         SELECT DISTINCT r.user_id, $1, $2, $3 FROM role_assignments r JOIN users u ON u.id = r.user_id \
         WHERE r.school_id = $4 AND r.role = $5 AND u.active = 1 AND r.user_id <> $6",
    )
    .bind(dossier_id)
    .bind(kind.code())
    .bind(now)
    .bind(school)
    .bind(role.code())
    .bind(except)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// A dossier's entries, oldest first, read inside the write transaction.
async fn history_in(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    dossier_id: i64,
) -> Result<Vec<EntryRecord>, StoreError> {
    let rows: Vec<EntryRow> = sqlx::query_as(&format!("{ENTRY_SELECT} ORDER BY e.id"))
        .bind(dossier_id)
        .fetch_all(&mut **tx)
        .await?;
    Ok(rows
        .into_iter()
        .map(|r| r.into_record(dossier_id))
        .collect())
}

/// Keeps "melden nodig, nog niet gemeld" beside the dossier. The meldnorm is the stappenplan's;
/// a dossier about a staff member follows its own duties.
async fn set_report_due(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    dossier_id: i64,
    route: Route,
    standing: &Standing,
) -> Result<(), StoreError> {
    let since = match route {
        Route::Stappenplan => standing.duty.map(|d| d.since),
        Route::Medewerker => None,
    };
    sqlx::query("UPDATE dossiers SET report_due_since = $1, standing_version = 1 WHERE id = $2")
        .bind(since)
        .bind(dossier_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

#[allow(clippy::too_many_arguments)]
async fn insert_entry(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    dossier_id: i64,
    kind: Kind,
    body: &Body,
    author_id: i64,
    role: Role,
    refers_to: Option<i64>,
    now: i64,
) -> Result<i64, StoreError> {
    let json = serde_json::to_string(body).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO entries (dossier_id, kind, step, author_id, author_role, created_at, refers_to, body) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(dossier_id)
    .bind(kind.code())
    .bind(kind.step().map(|s| i64::from(s.number())))
    .bind(author_id)
    .bind(role.code())
    .bind(now)
    .bind(refers_to)
    .bind(json)
    .fetch_one(&mut **tx)
    .await?;
    // Where the dossier stands changes with the entry, in the same transaction.
    let change = crate::domain::entry::state_change(kind, body);
    let stored = |d: Option<Date>| d.map(|d| d.to_string());
    let (set_review, review) = change.review_due.map_or((0_i64, None), |d| (1, stored(d)));
    let (set_feedback, feedback) = change
        .feedback_due
        .map_or((0_i64, None), |d| (1, stored(d)));
    sqlx::query(
        "UPDATE dossiers SET last_entry_at = CASE WHEN $8 = 1 THEN $1 ELSE last_entry_at END, steps_mask = steps_mask | $2, \
         review_due = CASE WHEN $3 = 1 THEN $4 ELSE review_due END, \
         feedback_due = CASE WHEN $5 = 1 THEN $6 ELSE feedback_due END WHERE id = $7",
    )
    .bind(now)
    .bind(change.step_bit)
    .bind(set_review)
    .bind(review)
    .bind(set_feedback)
    .bind(feedback)
    .bind(dossier_id)
    .bind(i64::from(change.activity))
    .execute(&mut **tx)
    .await?;
    Ok(id)
}

/// A teacher's request for a consultation, as the dossier and the workspace show it.
#[derive(Debug, Clone, FromRow)]
pub struct ConsultationRequest {
    pub id: i64,
    pub dossier_id: i64,
    pub requested_by_name: String,
    pub question: String,
    pub created_at: i64,
    pub answered_at: Option<i64>,
    pub answer_entry_id: Option<i64>,
    /// Only for users who may see the dossier (the request's own dossier page, the workspace of
    /// the school's aandachtsfunctionaris).
    pub pupil_name: String,
}

/// A line of the aandachtsfunctionaris's workspace.
#[derive(Debug, Clone)]
pub struct WorkspaceRow {
    pub header: DossierHeader,
    pub review_overdue: bool,
    pub feedback_overdue: bool,
    pub quiet: bool,
    pub open_requests: i64,
}

#[derive(FromRow)]
struct WorkspaceRaw {
    #[sqlx(flatten)]
    header: HeaderRow,
    review_overdue: i64,
    feedback_overdue: i64,
    quiet: i64,
    open_requests: i64,
}

const REQUEST_SELECT: &str = "SELECT r.id, r.dossier_id, u.name AS requested_by_name, r.question, r.created_at, \
     r.answered_at, r.answer_entry_id, pq.name AS pupil_name FROM consultation_requests r \
     JOIN users u ON u.id = r.requested_by JOIN dossiers dq ON dq.id = r.dossier_id JOIN pupils pq ON pq.id = dq.pupil_id";

impl Db {
    /// Asks for a consultation: the school's aandachtsfunctionaris, or on the staff route the
    /// school's directie (the aandachtsfunctionaris cannot see such a dossier); they are
    /// notified in the app.
    pub async fn request_consultation(
        &self,
        access: &DossierAccess,
        question: &str,
        now: i64,
    ) -> Result<i64, StoreError> {
        let mut tx = self.begin_write().await?;
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO consultation_requests (dossier_id, requested_by, question, created_at) \
             VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(access.id())
        .bind(access.user_id)
        .bind(question)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        let school = access.dossier().school_id;
        let who = match access.dossier().route {
            Route::Stappenplan => Role::Aandachtsfunctionaris,
            Route::Medewerker => Role::Directie,
        };
        notify_role(
            &mut tx,
            school,
            who,
            access.id(),
            Notice::OverlegGevraagd,
            access.user_id,
            now,
        )
        .await?;
        audit::audit(
            &mut tx,
            now,
            access.audit_entry(Event::DossierWritten, Some("overleg_gevraagd")),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The consultation requests of a dossier, newest first.
    pub async fn consultation_requests(
        &self,
        access: &DossierAccess,
    ) -> Result<Vec<ConsultationRequest>, StoreError> {
        sqlx::query_as(&format!(
            "{REQUEST_SELECT} WHERE r.dossier_id = $1 ORDER BY r.id DESC"
        ))
        .bind(access.id())
        .fetch_all(self.pool())
        .await
    }

    /// The open stappenplan dossiers of the schools where the viewer is aandachtsfunctionaris,
    /// with what is overdue: a report due and not made (first), a help review date passed, Veilig Thuis's feedback due and not
    /// received, or no entry since `quiet_since`. Overdue first, then the longest quiet.
    pub async fn workspace(
        &self,
        viewer: &Viewer,
        today: &str,
        quiet_since: i64,
    ) -> Result<Vec<WorkspaceRow>, StoreError> {
        let schools = viewer.schools_with(Role::Aandachtsfunctionaris);
        if schools.is_empty() {
            return Ok(Vec::new());
        }
        // Overdue is computed by the database from the state kept beside each dossier: no entry
        // is read.
        let sql = format!(
            "{HEADER_COLUMNS}, CASE WHEN d.review_due < $1 THEN 1 ELSE 0 END AS review_overdue, \
             CASE WHEN d.feedback_due < $1 THEN 1 ELSE 0 END AS feedback_overdue, \
             CASE WHEN d.last_entry_at < $2 THEN 1 ELSE 0 END AS quiet, \
             (SELECT COUNT(*) FROM consultation_requests r WHERE r.dossier_id = d.id AND r.answered_at IS NULL) AS open_requests \
             {HEADER_FROM} WHERE d.status = 'open' AND d.route = 'stappenplan' AND d.school_id IN ({}) \
             ORDER BY CASE WHEN d.report_due_since IS NULL THEN 1 ELSE 0 END, d.report_due_since, d.last_entry_at, d.id LIMIT 1000",
            super::placeholders(3, schools.len())
        );
        let mut q = sqlx::query_as::<_, WorkspaceRaw>(&sql)
            .bind(today)
            .bind(quiet_since);
        for s in &schools {
            q = q.bind(*s);
        }
        let mut rows: Vec<WorkspaceRow> = q
            .fetch_all(self.pool())
            .await?
            .into_iter()
            .map(|x| WorkspaceRow {
                header: x.header.into(),
                review_overdue: x.review_overdue != 0,
                feedback_overdue: x.feedback_overdue != 0,
                quiet: x.quiet != 0,
                open_requests: x.open_requests,
            })
            .collect();
        // A report that is due and not made comes first, the longest waiting first; then the most
        // overdue.
        rows.sort_by_key(|r| {
            (
                r.header.report_due_since.is_none(),
                r.header.report_due_since,
                std::cmp::Reverse(
                    u8::from(r.review_overdue)
                        + u8::from(r.feedback_overdue)
                        + u8::from(r.quiet)
                        + u8::from(r.open_requests > 0),
                ),
            )
        });
        Ok(rows)
    }

    /// Unanswered consultation requests at the schools where the viewer is aandachtsfunctionaris.
    pub async fn open_requests(
        &self,
        viewer: &Viewer,
    ) -> Result<Vec<ConsultationRequest>, StoreError> {
        let schools = viewer.schools_with(Role::Aandachtsfunctionaris);
        if schools.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "{REQUEST_SELECT} JOIN dossiers d ON d.id = r.dossier_id WHERE r.answered_at IS NULL \
             AND d.route = 'stappenplan' AND d.school_id IN ({}) ORDER BY r.id",
            super::placeholders(1, schools.len())
        );
        let mut q = sqlx::query_as::<_, ConsultationRequest>(&sql);
        for s in &schools {
            q = q.bind(*s);
        }
        q.fetch_all(self.pool()).await
    }
}

impl Db {
    /// Unanswered consultation requests on staff dossiers of the schools where the viewer is
    /// directie: on the staff route a request goes to directie.
    pub async fn open_staff_requests(
        &self,
        viewer: &Viewer,
    ) -> Result<Vec<ConsultationRequest>, StoreError> {
        let schools = viewer.schools_with(Role::Directie);
        if schools.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "{REQUEST_SELECT} JOIN dossiers d ON d.id = r.dossier_id WHERE r.answered_at IS NULL \
             AND d.route = 'medewerker' AND d.school_id IN ({}) ORDER BY r.id",
            super::placeholders(1, schools.len())
        );
        let mut q = sqlx::query_as::<_, ConsultationRequest>(&sql);
        for s in &schools {
            q = q.bind(*s);
        }
        q.fetch_all(self.pool()).await
    }
}

/// A transfer of a dossier to another school, waiting for that school's aandachtsfunctionaris.
#[derive(Debug, Clone)]
pub struct Transfer {
    pub id: i64,
    pub dossier_id: i64,
    /// The pupil who moves: the receiving aandachtsfunctionaris needs to know whom they accept.
    pub pupil_name: String,
    pub date_of_birth: Option<Date>,
    pub from_school: String,
    pub to_school_id: i64,
    pub to_school: String,
    pub requested_by: String,
    pub requested_at: i64,
}

#[derive(FromRow)]
struct TransferRow {
    id: i64,
    dossier_id: i64,
    pupil_name: String,
    date_of_birth: String,
    from_school: String,
    to_school_id: i64,
    to_school: String,
    requested_by: String,
    requested_at: i64,
}

impl From<TransferRow> for Transfer {
    fn from(r: TransferRow) -> Transfer {
        Transfer {
            id: r.id,
            dossier_id: r.dossier_id,
            pupil_name: r.pupil_name,
            date_of_birth: stored_date(&r.date_of_birth),
            from_school: r.from_school,
            to_school_id: r.to_school_id,
            to_school: r.to_school,
            requested_by: r.requested_by,
            requested_at: r.requested_at,
        }
    }
}

/// A date as stored (`YYYY-MM-DD`; "" when not known).
fn stored_date(value: &str) -> Option<Date> {
    crate::domain::entry::parse_date(value)
}

const TRANSFER_SELECT: &str = "SELECT t.id, t.dossier_id, pt.name AS pupil_name, pt.date_of_birth, sf.name AS from_school, \
     t.to_school AS to_school_id, st.name AS to_school, u.name AS requested_by, t.requested_at FROM dossier_transfers t \
     JOIN schools sf ON sf.id = t.from_school JOIN schools st ON st.id = t.to_school \
     JOIN users u ON u.id = t.requested_by JOIN dossiers dt ON dt.id = t.dossier_id JOIN pupils pt ON pt.id = dt.pupil_id";

impl Db {
    /// Asks another school of the organisation to take over the dossier, when the pupil moves
    /// there. The receiving aandachtsfunctionarissen are notified; nothing moves until one accepts.
    pub async fn request_transfer(
        &self,
        access: &DossierAccess,
        to_school: (i64, &str),
        now: i64,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO dossier_transfers (dossier_id, from_school, to_school, requested_by, requested_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(access.id())
        .bind(access.dossier().school_id)
        .bind(to_school.0)
        .bind(access.user_id)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        let mut body = Body::new();
        body.insert("van".into(), access.dossier().school_name.clone());
        body.insert("naar".into(), to_school.1.to_string());
        insert_entry(
            &mut tx,
            access.id(),
            Kind::OverdrachtGevraagd,
            &body,
            access.user_id,
            access.role,
            None,
            now,
        )
        .await?;
        notify_role(
            &mut tx,
            to_school.0,
            Role::Aandachtsfunctionaris,
            access.id(),
            Notice::Overdracht,
            access.user_id,
            now,
        )
        .await?;
        audit::audit(
            &mut tx,
            now,
            access.audit_entry(Event::DossierWritten, Some("overdracht_gevraagd")),
        )
        .await?;
        tx.commit().await
    }

    /// The transfer waiting on a dossier, if any.
    pub async fn pending_transfer(
        &self,
        access: &DossierAccess,
    ) -> Result<Option<Transfer>, StoreError> {
        let dossier_id = access.id();
        let row: Option<TransferRow> = sqlx::query_as(&format!("{TRANSFER_SELECT} WHERE t.dossier_id = $1 AND t.accepted_at IS NULL ORDER BY t.id DESC LIMIT 1"))
            .bind(dossier_id)
            .fetch_optional(self.pool())
            .await?;
        Ok(row.map(Transfer::from))
    }

    /// Transfers waiting for the schools where the viewer is aandachtsfunctionaris. Only the
    /// schools' names and who asked: the dossier's content opens after accepting.
    pub async fn incoming_transfers(&self, viewer: &Viewer) -> Result<Vec<Transfer>, StoreError> {
        let schools = viewer.schools_with(Role::Aandachtsfunctionaris);
        if schools.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "{TRANSFER_SELECT} WHERE t.accepted_at IS NULL AND t.to_school IN ({}) ORDER BY t.id",
            super::placeholders(1, schools.len())
        );
        let mut q = sqlx::query_as::<_, TransferRow>(&sql);
        for s in &schools {
            q = q.bind(*s);
        }
        Ok(q.fetch_all(self.pool())
            .await?
            .into_iter()
            .map(Transfer::from)
            .collect())
    }

    /// Accepts a transfer: the dossier and its pupil move to the receiving school, the history
    /// stays whole, and the acceptance is an entry. Only an aandachtsfunctionaris of the receiving
    /// school can; returns the dossier id, or `None` when the transfer is not theirs to accept.
    pub async fn accept_transfer(
        &self,
        viewer: &Viewer,
        transfer_id: i64,
        now: i64,
        address: Option<&str>,
    ) -> Result<Option<i64>, StoreError> {
        let Some(t) = sqlx::query_as::<_, TransferRow>(&format!(
            "{TRANSFER_SELECT} WHERE t.id = $1 AND t.accepted_at IS NULL"
        ))
        .bind(transfer_id)
        .fetch_optional(self.pool())
        .await?
        else {
            return Ok(None);
        };
        if !viewer.holds(t.to_school_id, Role::Aandachtsfunctionaris) {
            return Ok(None);
        }
        let mut tx = self.begin_write().await?;
        let taken = sqlx::query("UPDATE dossier_transfers SET accepted_by = $1, accepted_at = $2 WHERE id = $3 AND accepted_at IS NULL")
            .bind(viewer.user_id())
            .bind(now)
            .bind(t.id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if taken == 0 {
            return Ok(None);
        }
        sqlx::query("UPDATE dossiers SET school_id = $1 WHERE id = $2")
            .bind(t.to_school_id)
            .bind(t.dossier_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("UPDATE pupils SET school_id = $1 WHERE id = (SELECT pupil_id FROM dossiers WHERE id = $2)")
            .bind(t.to_school_id)
            .bind(t.dossier_id)
            .execute(&mut *tx)
            .await?;
        let mut body = Body::new();
        body.insert("van".into(), t.from_school.clone());
        body.insert("naar".into(), t.to_school.clone());
        insert_entry(
            &mut tx,
            t.dossier_id,
            Kind::Overgedragen,
            &body,
            viewer.user_id(),
            Role::Aandachtsfunctionaris,
            None,
            now,
        )
        .await?;
        let entry = Entry {
            dossier_id: Some(t.dossier_id),
            role: Some("aandachtsfunctionaris"),
            user_id: Some(viewer.user_id()),
            event: Event::DossierWritten,
            subject: Some("overgedragen"),
            address,
        };
        audit::audit(&mut tx, now, entry).await?;
        tx.commit().await?;
        Ok(Some(t.dossier_id))
    }
}
