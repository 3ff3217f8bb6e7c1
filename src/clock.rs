//! The application's clock. Production reads the system time; tests move it forward to show what
//! happens after half an hour of inactivity without waiting half an hour.
//!
//! Also what "today" is for a Dutch school ([`today_nl`]): the date in Europe/Amsterdam.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use time::{Date, OffsetDateTime};
use time_tz::OffsetDateTimeExt;
use time_tz::timezones::db::europe::AMSTERDAM;

#[derive(Debug, Clone, Default)]
pub struct Clock {
    /// Seconds added to the system time; always 0 outside tests.
    offset: Arc<AtomicI64>,
}

impl Clock {
    pub fn system() -> Clock {
        Clock::default()
    }

    pub fn now(&self) -> OffsetDateTime {
        OffsetDateTime::now_utc() + time::Duration::seconds(self.offset.load(Ordering::Relaxed))
    }

    /// Now, in unix seconds: the form in which times are stored.
    pub fn unix(&self) -> i64 {
        self.now().unix_timestamp()
    }

    /// Moves this clock (and every clone of it) forward. For tests.
    pub fn advance(&self, seconds: i64) {
        self.offset.fetch_add(seconds, Ordering::Relaxed);
    }
}

/// Today's date in the Netherlands (what "today" means for a Dutch school), for a moment in unix
/// seconds: summer and winter time from the tz database.
pub fn today_nl(unix: i64) -> Date {
    OffsetDateTime::from_unix_timestamp(unix)
        .map(|t| t.to_timezone(AMSTERDAM).date())
        .unwrap_or(Date::MIN)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn today_in_the_netherlands_starts_at_local_midnight() {
        // 2026-11-28 23:30 UTC is already 29 November in Amsterdam.
        assert_eq!(today_nl(1_795_908_600), date!(2026 - 11 - 29));
        // 2026-11-28 22:59 UTC is still 28 November.
        assert_eq!(today_nl(1_795_906_740), date!(2026 - 11 - 28));
    }
}
