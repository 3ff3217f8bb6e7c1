//! The range a date may take wherever one is entered: in a form (an entry, a training, a pupil's
//! date of birth) or in an address (the evaluation's period). A date far outside it is a typing
//! mistake (`0226` for `2026`) or an attack on the arithmetic that follows (`9999-12-31` plus a
//! day overflows); it is refused with a Dutch message, never stored and never computed with.
//!
//! Stored dates are not checked again on reading: a legal record keeps what it holds.

use time::Date;
use time::macros::date;

/// The earliest date of anything that happens in a dossier or the organisation: the meldcode
/// dates from 2013, the Wet meldcode's forerunners from the 1990s; nothing recorded here is older.
pub const EARLIEST_EVENT: Date = date!(1990 - 01 - 01);
/// The latest date anything may be planned for (a review date, the end of a period).
pub const LATEST_EVENT: Date = date!(2100 - 12 - 31);
/// A pupil is at most this old: school pupils up to the end of secondary or vocational school,
/// with room for adults who are still a school's client. An older date of birth is a typing mistake.
pub const PUPIL_MAX_AGE_YEARS: i32 = 30;

/// The message for a date outside [`EARLIEST_EVENT`]..=[`LATEST_EVENT`].
pub const OUT_OF_RANGE: &str = "Kies een datum tussen 1 januari 1990 en 31 december 2100.";

const MONTHS: [&str; 12] = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
];

/// A date as Dutch text: `28 november 2026`.
pub fn date_nl(d: Date) -> String {
    format!(
        "{} {} {}",
        d.day(),
        MONTHS[d.month() as usize - 1],
        d.year()
    )
}

/// A date of something that happens or is planned: within 1990-01-01..=2100-12-31.
pub fn check_event(d: Date) -> Result<Date, &'static str> {
    if (EARLIEST_EVENT..=LATEST_EVENT).contains(&d) {
        Ok(d)
    } else {
        Err(OUT_OF_RANGE)
    }
}

/// A pupil's date of birth: not after `today`, and not more than [`PUPIL_MAX_AGE_YEARS`] years
/// before it.
pub fn check_date_of_birth(d: Date, today: Date) -> Result<Date, &'static str> {
    if d > today {
        return Err("Deze geboortedatum ligt in de toekomst.");
    }
    if super::dossier::age_on(d, today) >= PUPIL_MAX_AGE_YEARS {
        return Err(
            "Deze geboortedatum ligt meer dan 30 jaar terug: kijk het jaartal na (dag, maand en jaar).",
        );
    }
    Ok(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_event_date_lies_between_1990_and_2100() {
        assert!(check_event(date!(1990 - 01 - 01)).is_ok());
        assert!(check_event(date!(2026 - 11 - 28)).is_ok());
        assert!(check_event(date!(2100 - 12 - 31)).is_ok());
        assert_eq!(check_event(date!(1989 - 12 - 31)), Err(OUT_OF_RANGE));
        assert_eq!(check_event(date!(2101 - 01 - 01)), Err(OUT_OF_RANGE));
        assert_eq!(check_event(date!(9999 - 12 - 31)), Err(OUT_OF_RANGE));
        assert_eq!(check_event(date!(-0001 - 01 - 01)), Err(OUT_OF_RANGE));
    }

    #[test]
    fn a_date_of_birth_is_not_in_the_future_nor_more_than_30_years_back() {
        let today = date!(2026 - 11 - 28);
        assert!(check_date_of_birth(date!(2016 - 04 - 01), today).is_ok());
        assert!(check_date_of_birth(today, today).is_ok());
        assert!(check_date_of_birth(date!(1996 - 11 - 29), today).is_ok());
        assert!(check_date_of_birth(date!(1996 - 11 - 28), today).is_err());
        assert!(check_date_of_birth(date!(2026 - 11 - 29), today).is_err());
        assert!(check_date_of_birth(date!(1900 - 01 - 01), today).is_err());
        assert!(check_date_of_birth(date!(-0001 - 01 - 01), today).is_err());
    }

    #[test]
    fn a_date_is_read_as_dutch_users_type_it_and_as_browsers_send_it() {
        use crate::domain::entry::parse_date;
        let d = Some(date!(2026 - 11 - 28));
        for typed in [
            "28-11-2026",
            "2026-11-28",
            " 28-11-2026 ",
            "28/11/2026",
            "28.11.2026",
        ] {
            assert_eq!(parse_date(typed), d, "{typed}");
        }
        assert_eq!(parse_date("1-2-2026"), Some(date!(2026 - 02 - 01)));
        assert_eq!(parse_date("01-02-2026"), Some(date!(2026 - 02 - 01)));
        for bad in [
            "",
            "28-11-26",
            "31-02-2026",
            "28-13-2026",
            "0-11-2026",
            "-0001-01-01",
            "+2026-01-01",
            "2026/11/28",
            "2026-1-2",
            "28-11/2026",
            "28 11 2026",
            "28-11-2026-1",
            "2026-11-28T10:00",
            "\u{0662}\u{0668}-11-2026",
            "november 28",
        ] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
    }
}
