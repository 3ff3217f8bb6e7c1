//! Times as Dutch users read them: stored in UTC, shown in Europe/Amsterdam (summer and winter
//! time from the tz database, never hand-written rules), with Dutch month names.

use time::{Date, OffsetDateTime};
use time_tz::OffsetDateTimeExt;
use time_tz::timezones::db::europe::AMSTERDAM;

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

/// `28 november 2026`
pub fn date_nl(d: Date) -> String {
    format!(
        "{} {} {}",
        d.day(),
        MONTHS[d.month() as usize - 1],
        d.year()
    )
}

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
    fn today_in_the_netherlands_starts_at_local_midnight() {
        // 2026-11-28 23:30 UTC is already 29 November in Amsterdam.
        assert_eq!(date_nl(today_nl(1_795_908_600)), "29 november 2026");
    }
}
