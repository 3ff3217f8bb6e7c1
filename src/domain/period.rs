//! The periods a report covers. A school counts in schooljaren (school years), which run from
//! 1 August to 31 July; a board also reports per calendar year. The presets name the periods
//! directie asks for most, computed from today.

use time::{Date, Month};

/// The schooljaar (school year) a date falls in, named by the year in which it starts: 1 August
/// 2026 up to and including 31 July 2027 is schooljaar 2026.
pub fn schooljaar_of(date: Date) -> i32 {
    if date.month() as u8 >= Month::August as u8 {
        date.year()
    } else {
        date.year() - 1
    }
}

/// The first and last day of schooljaar `start` (1 August `start` to 31 July `start + 1`).
/// `None` for a year the calendar cannot hold.
pub fn schooljaar(start: i32) -> Option<(Date, Date)> {
    Some((
        Date::from_calendar_date(start, Month::August, 1).ok()?,
        Date::from_calendar_date(start.checked_add(1)?, Month::July, 31).ok()?,
    ))
}

/// How a schooljaar is written: "2026-2027".
pub fn schooljaar_label(start: i32) -> String {
    format!("{start}-{}", start + 1)
}

/// The first and last day of calendar year `year`.
pub fn kalenderjaar(year: i32) -> Option<(Date, Date)> {
    Some((
        Date::from_calendar_date(year, Month::January, 1).ok()?,
        Date::from_calendar_date(year, Month::December, 31).ok()?,
    ))
}

/// A period directie can choose with one click.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Preset {
    DitSchooljaar,
    VorigSchooljaar,
    DitKalenderjaar,
    VorigKalenderjaar,
}

impl Preset {
    pub const ALL: [Preset; 4] = [
        Preset::DitSchooljaar,
        Preset::VorigSchooljaar,
        Preset::DitKalenderjaar,
        Preset::VorigKalenderjaar,
    ];

    /// The code in a report's address (`?periode=dit-schooljaar`).
    pub fn code(self) -> &'static str {
        match self {
            Preset::DitSchooljaar => "dit-schooljaar",
            Preset::VorigSchooljaar => "vorig-schooljaar",
            Preset::DitKalenderjaar => "dit-kalenderjaar",
            Preset::VorigKalenderjaar => "vorig-kalenderjaar",
        }
    }

    pub fn parse(code: &str) -> Option<Preset> {
        Preset::ALL.into_iter().find(|p| p.code() == code)
    }

    /// What the choice says, with the years it covers on `today`: "Dit schooljaar (2026-2027)".
    pub fn label(self, today: Date) -> String {
        let (name, years) = match self {
            Preset::DitSchooljaar => ("Dit schooljaar", schooljaar_label(schooljaar_of(today))),
            Preset::VorigSchooljaar => (
                "Vorig schooljaar",
                schooljaar_label(schooljaar_of(today) - 1),
            ),
            Preset::DitKalenderjaar => ("Dit kalenderjaar", today.year().to_string()),
            Preset::VorigKalenderjaar => ("Vorig kalenderjaar", (today.year() - 1).to_string()),
        };
        format!("{name} ({years})")
    }

    /// The first and last day of the period on `today`. The current year runs to its end, also
    /// past today: a report of "dit schooljaar" is the whole schooljaar so far.
    pub fn range(self, today: Date) -> Option<(Date, Date)> {
        match self {
            Preset::DitSchooljaar => schooljaar(schooljaar_of(today)),
            Preset::VorigSchooljaar => schooljaar(schooljaar_of(today) - 1),
            Preset::DitKalenderjaar => kalenderjaar(today.year()),
            Preset::VorigKalenderjaar => kalenderjaar(today.year() - 1),
        }
    }

    /// The preset whose period is exactly `from` to `to` on `today`, if any (to mark it chosen).
    pub fn matching(from: Date, to: Date, today: Date) -> Option<Preset> {
        Preset::ALL
            .into_iter()
            .find(|p| p.range(today) == Some((from, to)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn a_schooljaar_runs_from_1_august_to_31_july() {
        assert_eq!(schooljaar_of(date!(2026 - 08 - 01)), 2026);
        assert_eq!(schooljaar_of(date!(2026 - 12 - 03)), 2026);
        assert_eq!(schooljaar_of(date!(2027 - 07 - 31)), 2026);
        assert_eq!(schooljaar_of(date!(2026 - 07 - 31)), 2025);
        assert_eq!(
            schooljaar(2026),
            Some((date!(2026 - 08 - 01), date!(2027 - 07 - 31)))
        );
        assert_eq!(schooljaar_label(2026), "2026-2027");
    }

    #[test]
    fn the_presets_are_this_and_last_schooljaar_and_calendar_year_from_today() {
        let today = date!(2027 - 03 - 15);
        assert_eq!(
            Preset::DitSchooljaar.range(today),
            Some((date!(2026 - 08 - 01), date!(2027 - 07 - 31)))
        );
        assert_eq!(
            Preset::VorigSchooljaar.range(today),
            Some((date!(2025 - 08 - 01), date!(2026 - 07 - 31)))
        );
        assert_eq!(
            Preset::DitKalenderjaar.range(today),
            Some((date!(2027 - 01 - 01), date!(2027 - 12 - 31)))
        );
        assert_eq!(
            Preset::VorigKalenderjaar.range(today),
            Some((date!(2026 - 01 - 01), date!(2026 - 12 - 31)))
        );
        assert_eq!(
            Preset::DitSchooljaar.label(today),
            "Dit schooljaar (2026-2027)"
        );
        assert_eq!(
            Preset::VorigKalenderjaar.label(today),
            "Vorig kalenderjaar (2026)"
        );
    }

    #[test]
    fn on_1_august_a_new_schooljaar_begins_and_the_old_one_is_last_year() {
        let today = date!(2026 - 08 - 01);
        assert_eq!(
            Preset::DitSchooljaar.range(today),
            Some((date!(2026 - 08 - 01), date!(2027 - 07 - 31)))
        );
        assert_eq!(
            Preset::VorigSchooljaar.range(today),
            Some((date!(2025 - 08 - 01), date!(2026 - 07 - 31)))
        );
    }

    #[test]
    fn a_preset_is_known_again_from_its_code_and_its_dates() {
        let today = date!(2026 - 12 - 03);
        for p in Preset::ALL {
            assert_eq!(Preset::parse(p.code()), Some(p));
            let (from, to) = p.range(today).unwrap();
            assert_eq!(Preset::matching(from, to, today), Some(p));
        }
        assert_eq!(Preset::parse("volgend-jaar"), None);
        assert_eq!(
            Preset::matching(date!(2026 - 01 - 02), date!(2026 - 12 - 31), today),
            None
        );
    }
}
