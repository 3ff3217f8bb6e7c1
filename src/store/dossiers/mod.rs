//! Pupils, dossiers, entries, members and notifications.
//!
//! A dossier's content can only be read or written through a [`DossierAccess`], and the only way
//! to get one is [`Db::open_dossier`], which makes the access decision (`domain::access::decide`)
//! and writes the audit row. A handler cannot forget the check: without it, it has nothing to pass
//! to the functions that return content.
//!
//! The types and the access decision live here; each part of the work has a file of its own
//! (`create`, `entries`, `lists`, `members`, `notifications`, `requests`, `workspace`,
//! `transfers`), which share this module's imports (`use super::*`).

use sqlx::FromRow;
use time::Date;

use super::{Backend, Db, StoreError};
use crate::domain::access::{DossierFacts, Viewer, coordinates, decide};
use crate::domain::dossier::{CloseReason, Form, Route};
use crate::domain::entry::{Body, FieldErrors, Kind, keys};
use crate::domain::ids::{DossierId, EntryId, PupilId, RequestId, SchoolId, TransferId, UserId};
use crate::domain::notification::Notice;
use crate::domain::progress::{self, Attention, Kept, Standing};
use crate::domain::pupil::name_key;
use crate::domain::risk::RiskLevel;
use crate::domain::role::Role;
use crate::store::audit::{self, Entry, Event};

mod actions;
mod create;
mod entries;
mod lists;
mod members;
mod merge;
mod notifications;
mod requests;
mod transfers;
mod workspace;

pub use actions::{ActionRow, Closed, MyAction};
pub use create::ExistingDossier;
use entries::*;
pub use members::{Circle, PendingTransfer};
use notifications::*;
pub use requests::*;
pub use transfers::*;
pub use workspace::*;

#[derive(Debug, Clone)]
pub struct Pupil {
    pub id: PupilId,
    pub school_id: SchoolId,
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
    pub id: DossierId,
    pub school_id: SchoolId,
    pub school_name: String,
    pub pupil: Pupil,
    pub route: Route,
    pub forms: Vec<Form>,
    pub open: bool,
    pub close_reason: Option<CloseReason>,
    pub emergency: bool,
    pub opened_by: UserId,
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
    /// The latest risk level judged (`domain::risk`); `None`: not judged yet.
    pub risk_level: Option<RiskLevel>,
    /// The case manager of the help plan, if one was named as a colleague: they may judge the
    /// risk level too (`domain::progress::may_record_as`).
    pub case_manager: Option<UserId>,
    /// When the furthest step the dossier reached had its first entry (unix seconds; the
    /// opening, before any step): how long it stands in that step.
    pub step_reached_at: i64,
}

impl DossierHeader {
    pub fn step_done(&self, step: u8) -> bool {
        self.steps_mask & (1 << step) != 0
    }

    /// The state kept beside the dossier, as `domain::progress::attention` reads it.
    pub fn kept(&self) -> Kept {
        Kept {
            review_due: self.review_due,
            feedback_due: self.feedback_due,
            last_entry_at: self.last_entry_at,
            report_due_since: self.report_due_since,
            furthest_step: (1..=5u8).rev().find(|s| self.step_done(*s)),
            step_reached_at: self.step_reached_at,
        }
    }
}

/// A dossier's header as read: a row of `HEADER_COLUMNS`, or the first element of a list line
/// read as JSON ([`header_list_sql`]; the fields in this order, as `HEADER_NAMES` names them).
#[derive(FromRow, serde::Deserialize)]
struct HeaderRow {
    id: i64,
    school_id: SchoolId,
    school_name: String,
    pupil_id: PupilId,
    pupil_name: String,
    date_of_birth: String,
    group_name: String,
    route: String,
    forms: String,
    status: String,
    close_reason: Option<String>,
    emergency: i64,
    opened_by: UserId,
    opened_by_name: String,
    opened_at: i64,
    last_entry_at: i64,
    steps_mask: i64,
    review_due: Option<String>,
    feedback_due: Option<String>,
    report_due_since: Option<i64>,
    risk_level: Option<String>,
    case_manager: Option<UserId>,
    step_reached_at: i64,
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
            id: r.id.into(),
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
            risk_level: r.risk_level.as_deref().and_then(|l| {
                let level = RiskLevel::parse(l);
                if level.is_none() {
                    tracing::error!(
                        dossier = r.id,
                        "a dossier's stored risk level cannot be read; shown as not judged"
                    );
                }
                level
            }),
            case_manager: r.case_manager,
            step_reached_at: r.step_reached_at,
        }
    }
}

/// A dossier's header with the facts of one viewer that the access decision needs.
#[derive(FromRow)]
struct OpenedRow {
    #[sqlx(flatten)]
    header: HeaderRow,
    viewer_member: i64,
}

const HEADER_COLUMNS: &str = "SELECT d.id, d.school_id, s.name AS school_name, p.id AS pupil_id, p.name AS pupil_name, \
     p.date_of_birth, p.group_name, d.route, d.forms, d.status, d.close_reason, d.emergency, d.opened_by, \
     u.name AS opened_by_name, d.opened_at, d.last_entry_at, d.steps_mask, d.review_due, d.feedback_due, d.report_due_since, \
     d.risk_level, d.case_manager, \
     COALESCE(d.step5_at, d.step4_at, d.step3_at, d.step2_at, d.step1_at, d.opened_at) AS step_reached_at";

const HEADER_FROM: &str = "FROM dossiers d JOIN schools s ON s.id = d.school_id JOIN pupils p ON p.id = d.pupil_id \
     JOIN users u ON u.id = d.opened_by";

/// The columns of `HEADER_COLUMNS` by name, in `HeaderRow`'s field order.
const HEADER_NAMES: [&str; 23] = [
    "id",
    "school_id",
    "school_name",
    "pupil_id",
    "pupil_name",
    "date_of_birth",
    "group_name",
    "route",
    "forms",
    "status",
    "close_reason",
    "emergency",
    "opened_by",
    "opened_by_name",
    "opened_at",
    "last_entry_at",
    "steps_mask",
    "review_due",
    "feedback_due",
    "report_due_since",
    "risk_level",
    "case_manager",
    "step_reached_at",
];

/// A list of dossier headers as one row holding a JSON array, for the lists' pages (the start
/// page, the dossier list, the workspace): the driver hands over each row as a message of its
/// own, so a list of 50 dossiers read as 50 rows costs several times one row that holds them
/// all (bench/PROFILE.md, issue 14). Each element is `[[header…], extra…]`: the header in
/// `HeaderRow`'s order, then the `extra` columns (`expression AS name`, by name) in their order;
/// read it with `store::json_rows` as `(HeaderRow,)` or `(HeaderRow, extra…)`. `filter` follows `WHERE`; `order` is the list's order,
/// which must end in a unique column, so that it is also the order of the array.
fn header_list_sql(
    backend: Backend,
    extra: &[(&str, &str)],
    filter: &str,
    order: &str,
    limit: i64,
    offset: i64,
) -> String {
    let header = HEADER_NAMES
        .iter()
        .map(|c| format!("q.{c}"))
        .collect::<Vec<_>>()
        .join(", ");
    let extra_select: String = extra
        .iter()
        .map(|(expr, name)| format!(", {expr} AS {name}"))
        .collect();
    let extra_names: String = extra
        .iter()
        .map(|(_, name)| format!(", q.{name}"))
        .collect();
    let inner = format!(
        "{HEADER_COLUMNS}{extra_select}, ROW_NUMBER() OVER (ORDER BY {order}) AS list_position \
         {HEADER_FROM} WHERE {filter} ORDER BY {order} LIMIT {limit} OFFSET {offset}"
    );
    match backend {
        Backend::Sqlite => format!(
            "SELECT json_group_array(json_array(json_array({header}){extra_names}) \
             ORDER BY q.list_position) FROM ({inner}) q"
        ),
        Backend::Postgres => format!(
            "SELECT COALESCE(json_agg(json_build_array(json_build_array({header}){extra_names}) \
             ORDER BY q.list_position)::text, '[]') FROM ({inner}) q"
        ),
    }
}

/// Permission to work with one dossier, granted by [`Db::open_dossier`]. Its fields are private:
/// no other module can make one.
#[derive(Debug, Clone)]
pub struct DossierAccess {
    header: DossierHeader,
    role: Role,
    /// Whether the role comes from a cover alone (`domain::access::Viewer::through_cover`): the
    /// audit rows of this access then say "waarneming".
    through_cover: bool,
    user_id: UserId,
    address: Option<String>,
}

impl DossierAccess {
    pub fn dossier(&self) -> &DossierHeader {
        &self.header
    }

    pub fn id(&self) -> DossierId {
        self.header.id
    }

    /// The role in which the user acts on this dossier.
    pub fn role(&self) -> Role {
        self.role
    }

    pub fn user_id(&self) -> UserId {
        self.user_id
    }

    /// Whether the user acts on this dossier as a deputy standing in for its school's absent
    /// aandachtsfunctionaris (`domain::cover`), and not by a role of their own.
    pub fn through_cover(&self) -> bool {
        self.through_cover
    }

    /// The acting role as the audit log stores it: the role's code, or "waarneming"
    /// (`domain::cover::AUDIT_ROLE`) for an access through a cover.
    pub(in crate::store) fn audit_role(&self) -> &'static str {
        if self.through_cover {
            crate::domain::cover::AUDIT_ROLE
        } else {
            self.role.code()
        }
    }

    /// Permission to add an entry of `kind` now, if `domain::progress::may_record_as` gives it for
    /// this user's role on this dossier (and whether they are its case manager). [`Db::add_entry`] takes nothing else: a read access
    /// cannot write.
    pub fn write(&self, kind: Kind) -> Option<WriteAccess<'_>> {
        let d = &self.header;
        let case_manager = d.case_manager == Some(self.user_id);
        progress::may_record_as(d.route, self.role, case_manager, d.open, kind)
            .then_some(WriteAccess { access: self, kind })
    }

    /// Permission to add an emergency report (made by phone first) to this open dossier on the
    /// stappenplan, for the one who chose to add it here instead of opening a second dossier
    /// about the same pupil (domain::merge::offers_existing). An emergency report is never
    /// recorded through a step's form, so `may_record` does not list it.
    pub fn write_emergency(&self) -> Option<WriteAccess<'_>> {
        let d = &self.header;
        (d.open && d.route == Route::Stappenplan).then_some(WriteAccess {
            access: self,
            kind: Kind::Noodmelding,
        })
    }

    /// The audit row of an act on this dossier in its role (other store modules log acts on a
    /// dossier's content with it, such as a redaction of the inspection copy).
    pub(in crate::store) fn audit_entry(
        &self,
        event: Event,
        subject: Option<&'static str>,
    ) -> Entry<'_> {
        Entry {
            dossier_id: Some(self.header.id),
            role: Some(self.audit_role()),
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
    Recorded(EntryId),
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
    pub id: EntryId,
    pub kind: Kind,
    pub author_name: String,
    pub author_role: Option<Role>,
    pub created_at: i64,
    pub refers_to: Option<EntryId>,
    pub body: Body,
}

impl EntryRecord {
    /// The entry as where-a-dossier-stands reads it (`domain::progress`).
    pub fn recorded(&self) -> progress::Recorded<'_> {
        progress::Recorded {
            id: self.id,
            kind: self.kind,
            body: &self.body,
            at: self.created_at,
        }
    }
}

/// One stored entry as read: a row of `ENTRY_SELECT`, or an element of the JSON array that
/// [`entries::all_entries`] reads a whole history as (the fields in this order).
#[derive(FromRow, serde::Deserialize)]
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
    fn into_record(self, db: &Db, dossier_id: DossierId) -> EntryRecord {
        let kind = Kind::parse(&self.kind);
        let body = db
            .open(crate::store::keys::purpose::ENTRY_BODY, &self.body)
            .map_err(|e| e.to_string())
            .and_then(|json| serde_json::from_str::<Body>(&json).map_err(|e| e.to_string()));
        let (kind, body) = match (kind, body) {
            (Some(kind), Ok(body)) => (kind, body),
            (kind, body) => {
                tracing::error!(
                    entry = self.id,
                    dossier = dossier_id.get(),
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
                dossier = dossier_id.get(),
                "a stored entry's author role cannot be read; it is shown without one"
            );
        }
        EntryRecord {
            id: self.id.into(),
            kind,
            author_name: self.author_name,
            author_role,
            created_at: self.created_at,
            refers_to: self.refers_to.map(EntryId::from),
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
    /// The viewer asked for a consultation about it that is not answered yet ("wacht op
    /// antwoord"); only [`Db::dossier_page`] reads it.
    pub awaiting_answer: bool,
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
    pub school_id: SchoolId,
    pub pupil: NewPupil,
    pub route: Route,
    pub forms: Vec<Form>,
    /// The first signal (step 1), or the emergency report, recorded with the opening.
    pub first_entry: Option<(Kind, Body)>,
    pub emergency: bool,
}

/// An unread notification about a dossier the user may see now, with its pupil's name.
#[derive(Debug, Clone, FromRow)]
pub struct Notification {
    pub id: i64,
    pub dossier_id: DossierId,
    pub kind: String,
    pub created_at: i64,
    pub pupil_name: String,
}

#[derive(Debug, Clone, FromRow)]
pub struct Colleague {
    pub id: UserId,
    pub name: String,
}

/// A date as stored (`YYYY-MM-DD`; "" when not known).
fn stored_date(value: &str) -> Option<Date> {
    crate::domain::entry::parse_date(value)
}

impl Db {
    /// Whether a dossier with this id exists (purged or not) at a school of the organisation.
    /// Says nothing of its content; used to tie a refused request to the dossier it named.
    pub async fn dossier_exists_in(&self, id: DossierId, org_id: i64) -> Result<bool, StoreError> {
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
        id: DossierId,
        purpose: Purpose,
        now: i64,
        address: Option<&str>,
    ) -> Result<Option<DossierAccess>, StoreError> {
        // One query: the header and whether the viewer was added to the dossier. Nothing of it
        // leaves this function unless `decide` grants access.
        let row: Option<OpenedRow> = sqlx::query_as(&format!(
            "{HEADER_COLUMNS}, (SELECT COUNT(*) FROM dossier_members m \
             WHERE m.dossier_id = d.id AND m.user_id = $2) AS viewer_member \
             {HEADER_FROM} WHERE d.id = $1 AND d.purged_at IS NULL"
        ))
        .bind(id)
        .bind(viewer.user_id())
        .fetch_optional(self.pool())
        .await?;
        // A refusal is tied to the dossier only when it exists: an id that names none would
        // otherwise show in the access log of whichever dossier later gets that number.
        let exists = row.is_some();
        let decided = row.and_then(|row| {
            // A route that cannot be read is not guessed: either guess could show the dossier to
            // someone outside its circle (a dossier about a colleague to that colleague, or a
            // pupil's dossier to directie). It is refused to everyone, and audited as a refusal
            // like any other, and logged so that the beheerder can have the row repaired;
            // nothing of it is changed or lost.
            let Some(route) = Route::parse(&row.header.route) else {
                tracing::error!(
                    dossier = id.get(),
                    "a dossier's stored route cannot be read; access is refused"
                );
                return None;
            };
            let facts = DossierFacts {
                school_id: row.header.school_id,
                route,
                opened_by: row.header.opened_by,
                viewer_is_member: row.viewer_member > 0,
            };
            decide(viewer, &facts).map(|role| (role, row.header))
        });
        let Some((role, row)) = decided else {
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
        let header: DossierHeader = row.into();
        let access = DossierAccess {
            through_cover: viewer.through_cover(header.school_id, role),
            header,
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
}
