//! Times as Dutch users read them: stored in UTC, shown in Europe/Amsterdam (summer and winter
//! time from the tz database, never hand-written rules), with Dutch month names.

use time::OffsetDateTime;
use time_tz::OffsetDateTimeExt;
use time_tz::timezones::db::europe::AMSTERDAM;

/// `28 november 2026`: the Dutch date, kept with the other date rules in the domain.
pub use crate::domain::dates::date_nl;

/// A stored moment (unix seconds) as `28 november 2026, 14:05` in Dutch local time.
pub fn moment_nl(unix: i64) -> String {
    let Ok(utc) = OffsetDateTime::from_unix_timestamp(unix) else {
        return String::new();
    };
    let local = utc.to_timezone(AMSTERDAM);
    format!(
        "{}, {:02}:{:02}",
        date_nl(local.date()),
        local.hour(),
        local.minute()
    )
}

/// A stored moment (unix seconds) as the time of day, `14:05`, in Dutch local time.
pub fn clock_nl(unix: i64) -> String {
    let Ok(utc) = OffsetDateTime::from_unix_timestamp(unix) else {
        return String::new();
    };
    let local = utc.to_timezone(AMSTERDAM);
    format!("{:02}:{:02}", local.hour(), local.minute())
}

/// A date as a date field shows it: `28-11-2026` (dag-maand-jaar), whatever the browser's
/// language. A value that is not a date is shown as it was typed, so that nothing typed is lost.
pub fn date_field(value: &str) -> String {
    crate::domain::entry::parse_date(value).map_or_else(
        || value.to_string(),
        |d| format!("{:02}-{:02}-{}", d.day(), d.month() as u8, d.year()),
    )
}

/// Today's date in the Netherlands; it lives with the clock, and is named here too for the pages.
pub use crate::clock::today_nl;

/// A stored `YYYY-MM-DD` date as Dutch text; the input itself when it is not a date.
pub fn iso_date_nl(value: &str) -> String {
    crate::domain::entry::parse_date(value).map_or_else(|| value.to_string(), date_nl)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_shown_in_dutch_summer_and_winter_time() {
        // 2026-07-01 12:00 UTC is 14:00 in summer; 2026-12-01 12:00 UTC is 13:00 in winter.
        assert_eq!(moment_nl(1_782_907_200), "1 juli 2026, 14:00");
        assert_eq!(moment_nl(1_796_126_400), "1 december 2026, 13:00");
    }

    #[test]
    fn the_time_of_day_is_shown_in_dutch_local_time() {
        assert_eq!(clock_nl(1_782_907_200), "14:00");
        assert_eq!(clock_nl(1_796_126_400), "13:00");
    }

    #[test]
    fn a_date_field_shows_day_month_year_and_keeps_what_is_not_a_date() {
        assert_eq!(date_field("2026-11-28"), "28-11-2026");
        assert_eq!(date_field("2/3/2016"), "02-03-2016");
        assert_eq!(date_field("28-11-2026"), "28-11-2026");
        assert_eq!(date_field("eind november"), "eind november");
        assert_eq!(date_field(""), "");
    }

    #[test]
    fn today_in_the_netherlands_starts_at_local_midnight() {
        // 2026-11-28 23:30 UTC is already 29 November in Amsterdam.
        assert_eq!(date_nl(today_nl(1_795_908_600)), "29 november 2026");
    }
}
