//! Cover during absence (waarneming, issue 18): an aandachtsfunctionaris names a deputy (a
//! waarnemer) for a period; during it the deputy acts as aandachtsfunctionaris of that school,
//! and every dossier access through the cover is logged as "waarneming". When the period ends, or
//! is ended early, the access ends at the deputy's next request.
//!
//! The rules here are pure: who may be named, what period is valid, when a cover is in force.
//! The access itself is granted in one place, `domain::access` (the `Viewer` carries the schools
//! covered today, and `decide()` and its SQL twin read them from there).
//!
//! DOMAIN.md says nothing of a deputy. Why the rules are as they are:
//! - Only someone who already works in the meldcode's second line, or whom the organisation (the
//!   beheerder) chose for it, may be named: another aandachtsfunctionaris of the organisation, or
//!   a colleague the beheerder marked as plaatsvervanger for that school. The aandachtsfunctionaris
//!   alone cannot hand the school's dossiers to any teacher.
//! - A beheerder or privacy officer who works with no dossier is never a deputy: DOMAIN.md gives
//!   them no dossier content, and a cover would.
//! - A cover is for a temporary absence and lasts at most [`MAX_DAYS`] (twelve weeks: a school
//!   term between holidays, or a common sick leave). Access to every dossier of a school should
//!   not run on unreviewed: a longer absence is for the beheerder, who names an
//!   aandachtsfunctionaris (the role), or the aandachtsfunctionaris names a new period, each of
//!   them a decision that is logged.
//! - A period starts today or later: access cannot be granted in the past, and the stored period
//!   is when the deputy could really see the dossiers.
//! - The deputy does not get directie's powers (dossiers about a staff member stay directie's),
//!   nor the beheerder's, nor the inspection copy (a pupil's whole file for the parents, with its
//!   redactions: the aandachtsfunctionaris's own judgement), nor may they name a deputy in turn.

use time::Date;

use super::dates;
use super::entry::parse_date;
use super::ids::{SchoolId, UserId};
use super::role::Role;

/// The longest cover: twelve weeks, both ends counted.
pub const MAX_DAYS: i64 = 84;

/// What the audit log stores as the acting role of a dossier access through a cover, so that the
/// aandachtsfunctionaris sees on return what the deputy opened.
pub const AUDIT_ROLE: &str = "waarneming";

/// How the log views show [`AUDIT_ROLE`].
pub const AUDIT_LABEL: &str = "Aandachtsfunctionaris (waarneming)";

/// The first and the last day of a cover, both included: dates in the Netherlands, as the
/// application stores dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub from: Date,
    pub until: Date,
}

impl Period {
    /// Whether `day` lies in the period: from its first day up to and including its last.
    pub fn contains(self, day: Date) -> bool {
        self.from <= day && day <= self.until
    }

    /// How many days the period has, both ends counted.
    pub fn days(self) -> i64 {
        (self.until - self.from).whole_days() + 1
    }

    /// Whether two periods share a day.
    pub fn overlaps(self, other: Period) -> bool {
        self.from <= other.until && other.from <= self.until
    }
}

/// Where a cover stands on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Its first day is still to come.
    Planned,
    /// In force today: the deputy acts as aandachtsfunctionaris of the school.
    Active,
    /// Its last day has passed.
    Over,
    /// Ended before its last day.
    Ended,
}

impl Status {
    pub fn label(self) -> &'static str {
        match self {
            Status::Planned => "gepland",
            Status::Active => "loopt",
            Status::Over => "afgelopen",
            Status::Ended => "beëindigd",
        }
    }

    /// Whether the cover can still be ended (it gives access now, or will).
    pub fn may_end(self) -> bool {
        matches!(self, Status::Planned | Status::Active)
    }
}

/// Where a cover with this period stands on `today`, `ended` when it was ended early.
pub fn status(period: Period, ended: bool, today: Date) -> Status {
    if ended {
        Status::Ended
    } else if today < period.from {
        Status::Planned
    } else if today <= period.until {
        Status::Active
    } else {
        Status::Over
    }
}

/// Whether the cover gives access on `today`: not ended, and today within its period. From the
/// day after its last day it gives nothing.
pub fn is_active(period: Period, ended: bool, today: Date) -> bool {
    status(period, ended, today) == Status::Active
}

/// The period typed in the form (`van`, `tot`), or the Dutch messages per field.
pub fn check_period(
    from: &str,
    until: &str,
    today: Date,
) -> Result<Period, Vec<(&'static str, String)>> {
    let mut errors = Vec::new();
    let mut day = |field: &'static str, text: &str, missing: &str| match parse_date(text.trim()) {
        None => {
            errors.push((field, missing.to_string()));
            None
        }
        Some(d) if dates::check_event(d).is_err() => {
            errors.push((field, dates::OUT_OF_RANGE.to_string()));
            None
        }
        Some(d) => Some(d),
    };
    let from = day(
        "van",
        from,
        "Vul de eerste dag van de waarneming in, bijvoorbeeld 1-12-2026.",
    );
    let until = day(
        "tot",
        until,
        "Vul de laatste dag van de waarneming in, bijvoorbeeld 18-12-2026.",
    );
    if let Some(f) = from
        && f < today
    {
        errors.push((
            "van",
            "De eerste dag ligt in het verleden. Kies vandaag of later: toegang geeft u niet achteraf."
                .to_string(),
        ));
    }
    if let (Some(f), Some(u)) = (from, until) {
        if u < f {
            errors.push(("tot", "De laatste dag ligt vóór de eerste dag.".to_string()));
        } else if (Period { from: f, until: u }).days() > MAX_DAYS {
            errors.push((
                "tot",
                format!(
                    "Een waarneming duurt hoogstens 12 weken ({MAX_DAYS} dagen). Duurt de afwezigheid langer, vraag de beheerder dan een aandachtsfunctionaris aan te wijzen, of wijs daarna opnieuw een waarnemer aan."
                ),
            ));
        }
    }
    match (from, until) {
        (Some(from), Some(until)) if errors.is_empty() => Ok(Period { from, until }),
        _ => Err(errors),
    }
}

/// What the decision on a proposed deputy needs to know about them, as found in the store.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub user_id: UserId,
    /// Whether they may log in.
    pub active: bool,
    /// Whether they belong to the organisation of the school.
    pub same_organisation: bool,
    /// Their own roles, per school of the organisation.
    pub roles: Vec<(SchoolId, Role)>,
    /// Whether the beheerder marked them as plaatsvervanger for this school.
    pub marked_for_school: bool,
}

/// Why this candidate cannot be named deputy for `school` by `absent` (the aandachtsfunctionaris
/// who names them); `None` when they can. The message is Dutch, for the form.
pub fn refusal(absent: UserId, school: SchoolId, c: &Candidate) -> Option<&'static str> {
    if !c.same_organisation {
        // Someone of another organisation is not offered, and not confirmed to exist.
        return Some("Kies een collega uit de lijst.");
    }
    if c.user_id == absent {
        return Some("U kunt uzelf niet als waarnemer aanwijzen. Kies een collega die u vervangt.");
    }
    if !c.active {
        return Some("Deze collega kan niet meer inloggen in Meldcode en kan dus niet waarnemen.");
    }
    if !works_with_dossiers(c.roles.iter().map(|(_, r)| *r)) {
        return Some(
            "Deze collega werkt in Meldcode niet met dossiers (beheer of privacy) en kan daarom niet waarnemen.",
        );
    }
    if c.roles
        .iter()
        .any(|(s, r)| *s == school && *r == Role::Aandachtsfunctionaris)
    {
        return Some(
            "Deze collega is al aandachtsfunctionaris van deze school en ziet haar dossiers al.",
        );
    }
    let af_elsewhere = c
        .roles
        .iter()
        .any(|(_, r)| *r == Role::Aandachtsfunctionaris);
    if !af_elsewhere && !c.marked_for_school {
        return Some(
            "Alleen een andere aandachtsfunctionaris van de organisatie, of een collega die de beheerder als plaatsvervanger voor deze school heeft aangewezen, kan waarnemen.",
        );
    }
    None
}

/// Why a new cover clashes with the deputy's covers for the same school that give access now or
/// later (`existing`); `None` when it does not.
pub fn clash(new: Period, existing: &[Period]) -> Option<&'static str> {
    existing.iter().any(|p| p.overlaps(new)).then_some(
        "Deze collega neemt in (een deel van) die periode al waar voor deze school. Beëindig eerst die waarneming, of kies andere dagen.",
    )
}

/// Whether someone holding these roles may name a deputy for `school`: an aandachtsfunctionaris
/// of that school by their own role. A deputy does not name a deputy in turn.
pub fn may_name(roles: &[(SchoolId, Role)], school: SchoolId) -> bool {
    roles
        .iter()
        .any(|(s, r)| *s == school && *r == Role::Aandachtsfunctionaris)
}

/// Whether someone holding these roles may end a cover at `school` early: any
/// aandachtsfunctionaris of that school by their own role (ending access is the safe side).
pub fn may_end(roles: &[(SchoolId, Role)], school: SchoolId) -> bool {
    may_name(roles, school)
}

/// Whether a cover gives anything to someone holding these roles: only to someone who works with
/// dossiers. A beheerder or privacy officer alone never sees a dossier, by a cover neither.
pub fn works_with_dossiers(roles: impl IntoIterator<Item = Role>) -> bool {
    roles.into_iter().any(Role::may_work_with_dossiers)
}

/// Why the beheerder cannot mark this user as plaatsvervanger of a school's
/// aandachtsfunctionaris; `None` when they can.
pub fn mark_refusal(active: bool, roles: &[Role]) -> Option<&'static str> {
    if !active {
        return Some("Deze gebruiker is gedeactiveerd en kan niet waarnemen.");
    }
    if !works_with_dossiers(roles.iter().copied()) {
        return Some(
            "Geef deze gebruiker eerst een rol waarin hij of zij met dossiers werkt (beroepskracht, aandachtsfunctionaris of directie): een beheerder of functionaris gegevensbescherming ziet geen dossiers.",
        );
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    const A: SchoolId = SchoolId::new(1);
    const B: SchoolId = SchoolId::new(2);
    const AF: UserId = UserId::new(10);
    const TODAY: Date = date!(2026 - 11 - 28);

    fn candidate(id: i64, roles: &[(SchoolId, Role)], marked: bool) -> Candidate {
        Candidate {
            user_id: UserId::new(id),
            active: true,
            same_organisation: true,
            roles: roles.to_vec(),
            marked_for_school: marked,
        }
    }

    #[test]
    fn another_aandachtsfunctionaris_of_the_organisation_or_a_marked_colleague_may_be_named() {
        let af_b = candidate(20, &[(B, Role::Aandachtsfunctionaris)], false);
        assert_eq!(refusal(AF, A, &af_b), None);
        let marked = candidate(21, &[(A, Role::Beroepskracht)], true);
        assert_eq!(refusal(AF, A, &marked), None);
        let marked_directie = candidate(22, &[(B, Role::Directie)], true);
        assert_eq!(refusal(AF, A, &marked_directie), None);
    }

    #[test]
    fn a_plain_teacher_oneself_a_deactivated_user_or_someone_of_another_organisation_is_refused() {
        let teacher = candidate(21, &[(A, Role::Beroepskracht)], false);
        assert!(
            refusal(AF, A, &teacher)
                .unwrap()
                .contains("plaatsvervanger")
        );
        let directie = candidate(22, &[(A, Role::Directie)], false);
        assert!(refusal(AF, A, &directie).is_some());
        let me = candidate(10, &[(A, Role::Aandachtsfunctionaris)], false);
        assert!(refusal(AF, A, &me).unwrap().contains("uzelf"));
        let gone = Candidate {
            active: false,
            ..candidate(20, &[(B, Role::Aandachtsfunctionaris)], false)
        };
        assert!(refusal(AF, A, &gone).unwrap().contains("inloggen"));
        let stranger = Candidate {
            same_organisation: false,
            ..candidate(20, &[(B, Role::Aandachtsfunctionaris)], false)
        };
        assert_eq!(
            refusal(AF, A, &stranger),
            Some("Kies een collega uit de lijst.")
        );
        let co_af = candidate(23, &[(A, Role::Aandachtsfunctionaris)], false);
        assert!(
            refusal(AF, A, &co_af)
                .unwrap()
                .contains("al aandachtsfunctionaris")
        );
    }

    #[test]
    fn a_beheerder_or_privacy_officer_is_never_a_deputy_even_when_marked() {
        for role in [Role::Beheerder, Role::Privacy] {
            let c = candidate(30, &[(A, role)], true);
            assert!(refusal(AF, A, &c).unwrap().contains("niet met dossiers"));
            assert!(mark_refusal(true, &[role]).is_some());
            assert!(!works_with_dossiers([role]));
        }
        assert_eq!(mark_refusal(true, &[Role::Beroepskracht]), None);
        assert!(mark_refusal(false, &[Role::Beroepskracht]).is_some());
        assert!(works_with_dossiers([Role::Beheerder, Role::Beroepskracht]));
    }

    #[test]
    fn a_period_runs_from_today_or_later_up_to_twelve_weeks_both_ends_counted() {
        let p = check_period("2026-11-28", "2027-02-19", TODAY).unwrap();
        assert_eq!(p.days(), MAX_DAYS);
        assert!(check_period("28-11-2026", "28-11-2026", TODAY).is_ok());
        let too_long = check_period("2026-11-28", "2027-02-20", TODAY).unwrap_err();
        assert_eq!(too_long[0].0, "tot");
        assert!(too_long[0].1.contains("12 weken"));
        let past = check_period("2026-11-27", "2026-12-01", TODAY).unwrap_err();
        assert_eq!(past[0].0, "van");
        let reversed = check_period("2026-12-05", "2026-12-01", TODAY).unwrap_err();
        assert_eq!(
            reversed,
            vec![("tot", "De laatste dag ligt vóór de eerste dag.".into())]
        );
        let empty = check_period("", "morgen", TODAY).unwrap_err();
        assert_eq!(
            empty.iter().map(|(f, _)| *f).collect::<Vec<_>>(),
            vec!["van", "tot"]
        );
        let far = check_period("2026-12-01", "2999-01-01", TODAY).unwrap_err();
        assert_eq!(far, vec![("tot", dates::OUT_OF_RANGE.into())]);
    }

    #[test]
    fn a_cover_is_in_force_from_its_first_day_to_its_last_and_not_the_day_after() {
        let p = Period {
            from: date!(2026 - 12 - 01),
            until: date!(2026 - 12 - 18),
        };
        assert_eq!(status(p, false, date!(2026 - 11 - 30)), Status::Planned);
        assert!(!is_active(p, false, date!(2026 - 11 - 30)));
        assert!(is_active(p, false, date!(2026 - 12 - 01)));
        assert!(is_active(p, false, date!(2026 - 12 - 18)));
        assert!(!is_active(p, false, date!(2026 - 12 - 19)));
        assert_eq!(status(p, false, date!(2026 - 12 - 19)), Status::Over);
        assert!(!is_active(p, true, date!(2026 - 12 - 10)));
        assert_eq!(status(p, true, date!(2026 - 12 - 10)), Status::Ended);
        assert!(Status::Planned.may_end() && Status::Active.may_end());
        assert!(!Status::Over.may_end() && !Status::Ended.may_end());
    }

    #[test]
    fn a_deputy_is_named_once_per_school_for_any_one_day() {
        let p = |a, b| Period { from: a, until: b };
        let dec = p(date!(2026 - 12 - 01), date!(2026 - 12 - 18));
        assert!(clash(p(date!(2026 - 12 - 18), date!(2026 - 12 - 20)), &[dec]).is_some());
        assert!(clash(p(date!(2026 - 11 - 28), date!(2026 - 12 - 01)), &[dec]).is_some());
        assert_eq!(
            clash(p(date!(2026 - 12 - 19), date!(2026 - 12 - 20)), &[dec]),
            None
        );
        assert_eq!(clash(dec, &[]), None);
    }

    #[test]
    fn only_an_aandachtsfunctionaris_of_the_school_by_their_own_role_names_or_ends_a_cover() {
        let roles = [(A, Role::Aandachtsfunctionaris), (B, Role::Beroepskracht)];
        assert!(may_name(&roles, A) && may_end(&roles, A));
        assert!(!may_name(&roles, B) && !may_end(&roles, B));
        assert!(!may_name(&[(A, Role::Directie), (A, Role::Beheerder)], A));
    }
}
