//! The lifetime of a logged-in session (OWASP ASVS 5.0, chapter 7).
//!
//! A session ends after [`IDLE_SECS`] without a request, and in any case [`ABSOLUTE_SECS`] after
//! the login, whatever the activity. To avoid a database write on every request, the time of the
//! last request is only written when it is more than [`TOUCH_AFTER_SECS`] old; the idle limit is
//! therefore enforced to within that margin.

use crate::domain::ids::UserId;
use serde::{Deserialize, Serialize};

pub const IDLE_SECS: i64 = 30 * 60;
pub const ABSOLUTE_SECS: i64 = 12 * 60 * 60;
pub const TOUCH_AFTER_SECS: i64 = 60;
/// A session without a login (holding only the form token of the login page) lives this long.
pub const ANONYMOUS_SECS: i64 = 60 * 60;

/// What a session remembers of the login. Stored under [`SessionAuth::KEY`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionAuth {
    pub user_id: UserId,
    /// When the password was checked (unix seconds).
    pub auth_at: i64,
    /// The last request seen, to within [`TOUCH_AFTER_SECS`].
    pub last_seen: i64,
    /// When the password was last confirmed again (for exports and role changes).
    #[serde(default)]
    pub reauth_at: i64,
}

/// A login whose password was right and whose second factor is still to come. Stored under
/// [`SecondFactorPending::KEY`]; the session is not logged in until the code is given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecondFactorPending {
    pub user_id: UserId,
    pub at: i64,
}

impl SecondFactorPending {
    pub const KEY: &'static str = "second_factor";
    /// The code must follow the password within five minutes.
    pub const VALID_SECS: i64 = 5 * 60;

    pub fn is_expired(&self, now: i64) -> bool {
        now - self.at >= Self::VALID_SECS
    }
}

/// Exports and role changes need a password confirmed this recently (OWASP ASVS 5.0, 7.5.3).
pub const REAUTH_SECS: i64 = 15 * 60;

impl SessionAuth {
    pub const KEY: &'static str = "auth";

    pub fn new(user_id: UserId, now: i64) -> SessionAuth {
        SessionAuth {
            user_id,
            auth_at: now,
            last_seen: now,
            reauth_at: now,
        }
    }

    /// The moment the session ends if nothing more happens.
    pub fn expires_at(&self) -> i64 {
        (self.last_seen + IDLE_SECS).min(self.auth_at + ABSOLUTE_SECS)
    }

    pub fn is_expired(&self, now: i64) -> bool {
        now >= self.expires_at()
    }

    /// Whether the password was confirmed within [`REAUTH_SECS`].
    pub fn recently_confirmed(&self, now: i64) -> bool {
        now - self.auth_at.max(self.reauth_at) < REAUTH_SECS
    }

    /// Whether `last_seen` is old enough to be worth a write.
    pub fn needs_touch(&self, now: i64) -> bool {
        now - self.last_seen >= TOUCH_AFTER_SECS
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn session_ends_after_thirty_minutes_without_a_request() {
        let s = SessionAuth::new(UserId::new(1), 1_000);
        assert!(!s.is_expired(1_000 + IDLE_SECS - 1));
        assert!(s.is_expired(1_000 + IDLE_SECS));
    }

    #[test]
    fn session_ends_twelve_hours_after_login_however_active() {
        let mut s = SessionAuth::new(UserId::new(1), 0);
        s.last_seen = ABSOLUTE_SECS - 10;
        assert!(!s.is_expired(ABSOLUTE_SECS - 1));
        assert!(s.is_expired(ABSOLUTE_SECS));
    }

    #[test]
    fn exports_and_role_changes_need_the_password_confirmed_within_15_minutes() {
        let mut s = SessionAuth::new(UserId::new(1), 0);
        assert!(s.recently_confirmed(REAUTH_SECS - 1));
        assert!(!s.recently_confirmed(REAUTH_SECS));
        s.reauth_at = 3_000;
        assert!(s.recently_confirmed(3_000 + REAUTH_SECS - 1));
    }

    #[test]
    fn last_seen_is_written_at_most_once_a_minute() {
        let s = SessionAuth::new(UserId::new(1), 1_000);
        assert!(!s.needs_touch(1_059));
        assert!(s.needs_touch(1_060));
    }
}
