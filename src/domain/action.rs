//! Actions with deadlines: the daily work around the meldcode's steps. The aandachtsfunctionaris
//! who coordinates a dossier, or its case manager, assigns an action (what, by when) to a
//! colleague who may see the dossier, or to themselves; the assignee records it done or not done.
//! Both are entries in the chronology (append-only); an action is overdue from the day after its
//! deadline. A deadline is a calendar date or a number of working days (as the Algemene
//! termijnenwet counts them: `calendar`).

use time::Date;

use super::access::coordinates;
use super::calendar::add_working_days;
use super::dossier::Route;
use super::role::Role;

/// The most characters of "what must be done".
pub const WHAT_MAX_CHARS: usize = 500;
/// The most working days a deadline may lie ahead (about three months).
pub const MAX_WORKING_DAYS: u32 = 65;

/// Whether this viewer may assign actions on a dossier: its coordinator (the aandachtsfunctionaris
/// on the stappenplan, directie on the staff route) or its case manager.
pub fn may_assign(role: Role, route: Route, is_case_manager: bool) -> bool {
    coordinates(role, route) || (is_case_manager && route == Route::Stappenplan)
}

/// Whether this viewer may record an action as done or not done: the assignee, or whoever may
/// assign actions on the dossier.
pub fn may_close(is_assignee: bool, may_assign: bool) -> bool {
    is_assignee || may_assign
}

/// An action is overdue from the day after its deadline.
pub fn overdue(due: Date, today: Date) -> bool {
    due < today
}

/// How the deadline was given on the form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeadlineKind {
    /// A calendar date.
    Datum,
    /// A number of working days from today.
    Werkdagen,
}

impl DeadlineKind {
    pub fn parse(code: &str) -> Option<DeadlineKind> {
        match code {
            "datum" => Some(DeadlineKind::Datum),
            "werkdagen" => Some(DeadlineKind::Werkdagen),
            _ => None,
        }
    }
}

/// The outcome of an action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Gedaan,
    NietGedaan,
}

impl Outcome {
    pub fn parse(code: &str) -> Option<Outcome> {
        match code {
            "gedaan" => Some(Outcome::Gedaan),
            "niet_gedaan" => Some(Outcome::NietGedaan),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Outcome::Gedaan => "gedaan",
            Outcome::NietGedaan => "niet_gedaan",
        }
    }
}

/// An assignment as the form sends it, checked: the Dutch message per field name when not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assignment {
    pub what: String,
    pub due: Date,
}

/// Checks the form's fields (`wat`, `termijn` "datum" or "werkdagen", `uiterlijk` a
/// `YYYY-MM-DD` date, `werkdagen` a number) on `today`.
pub fn check(
    what: &str,
    kind: &str,
    date: &str,
    working_days: &str,
    today: Date,
) -> Result<Assignment, Vec<(&'static str, String)>> {
    let mut errors = Vec::new();
    let what = what.trim();
    if what.is_empty() {
        errors.push(("wat", "Schrijf op wat er moet gebeuren.".to_string()));
    } else if what.chars().count() > WHAT_MAX_CHARS {
        errors.push((
            "wat",
            format!("Houd het kort: hoogstens {WHAT_MAX_CHARS} tekens. Details horen in een aantekening."),
        ));
    }
    let due = match DeadlineKind::parse(kind) {
        None => {
            errors.push((
                "termijn",
                "Kies hoe u de termijn opgeeft: een datum of een aantal werkdagen.".to_string(),
            ));
            None
        }
        Some(DeadlineKind::Datum) => match super::entry::parse_date(date.trim()) {
            None => {
                errors.push((
                    "uiterlijk",
                    "Vul de datum in waarop de actie uiterlijk klaar moet zijn, bijvoorbeeld 15-12-2026."
                        .to_string(),
                ));
                None
            }
            Some(d) if d < today => {
                errors.push((
                    "uiterlijk",
                    "De datum ligt in het verleden. Kies vandaag of later.".to_string(),
                ));
                None
            }
            Some(d) if super::dates::check_event(d).is_err() => {
                errors.push(("uiterlijk", super::dates::OUT_OF_RANGE.to_string()));
                None
            }
            Some(d) => Some(d),
        },
        Some(DeadlineKind::Werkdagen) => match working_days.trim().parse::<u32>() {
            Ok(n) if (1..=MAX_WORKING_DAYS).contains(&n) => Some(add_working_days(today, n)),
            _ => {
                errors.push((
                    "werkdagen",
                    format!("Vul een aantal werkdagen in, van 1 tot en met {MAX_WORKING_DAYS}."),
                ));
                None
            }
        },
    };
    match (errors.is_empty(), due) {
        (true, Some(due)) => Ok(Assignment {
            what: what.to_string(),
            due,
        }),
        _ => Err(errors),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    // Thursday 3 December 2026.
    const TODAY: Date = date!(2026 - 12 - 03);

    #[test]
    fn a_deadline_in_working_days_skips_the_weekend_and_public_holidays() {
        // Five working days from Thursday 3 December: Thursday 10 December.
        let a = check("Bel de moeder", "werkdagen", "", "5", TODAY).unwrap();
        assert_eq!(a.due, date!(2026 - 12 - 10));
        // Over Christmas: 24 December plus 2 working days skips 25 and 26 December and Sunday.
        let a = check("x", "werkdagen", "", "2", date!(2026 - 12 - 24)).unwrap();
        assert_eq!(a.due, date!(2026 - 12 - 29));
    }

    #[test]
    fn a_deadline_as_a_date_is_today_or_later() {
        assert_eq!(
            check("x", "datum", "2026-12-03", "", TODAY).unwrap().due,
            TODAY
        );
        let errors = check("x", "datum", "2026-12-02", "", TODAY).unwrap_err();
        assert_eq!(errors[0].0, "uiterlijk");
        let errors = check("x", "datum", "morgen", "", TODAY).unwrap_err();
        assert_eq!(errors[0].0, "uiterlijk");
    }

    #[test]
    fn an_action_says_what_and_by_when_or_each_missing_part_is_named() {
        let errors = check("  ", "", "", "", TODAY).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|(f, _)| *f).collect();
        assert_eq!(fields, ["wat", "termijn"]);
        let errors = check("x", "werkdagen", "", "0", TODAY).unwrap_err();
        assert_eq!(errors[0].0, "werkdagen");
        let errors = check(&"x".repeat(501), "werkdagen", "", "3", TODAY).unwrap_err();
        assert_eq!(errors[0].0, "wat");
    }

    #[test]
    fn an_action_is_overdue_from_the_day_after_its_deadline() {
        assert!(!overdue(TODAY, TODAY));
        assert!(overdue(date!(2026 - 12 - 02), TODAY));
    }

    #[test]
    fn the_coordinator_and_the_case_manager_assign_actions_and_the_assignee_closes_them() {
        assert!(may_assign(
            Role::Aandachtsfunctionaris,
            Route::Stappenplan,
            false
        ));
        assert!(may_assign(Role::Beroepskracht, Route::Stappenplan, true));
        assert!(!may_assign(Role::Beroepskracht, Route::Stappenplan, false));
        assert!(may_close(true, false));
        assert!(may_close(false, true));
        assert!(!may_close(false, false));
    }
}
