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
/// The warning that the session is about to end comes this long before its end (at 25 minutes
/// without a request), so that there is time to choose to stay logged in.
pub const WARN_BEFORE_SECS: i64 = 5 * 60;
/// A form sent after its session ended is kept this long for its user (see [`draft_kept_until`]).
pub const DRAFT_KEEP_SECS: i64 = 4 * 60 * 60;
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
    /// The organisation's identity provider said the login used a second factor (`amr` or
    /// `acr`, see `domain::oidc::signals_mfa`): Meldcode's own is neither asked nor required.
    #[serde(default)]
    pub second_factor_by_provider: bool,
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
            second_factor_by_provider: false,
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

    /// Seconds until the session ends if nothing more happens (never negative).
    pub fn seconds_left(&self, now: i64) -> i64 {
        (self.expires_at() - now).max(0)
    }

    /// Seconds until the page warns that the session is about to end: [`WARN_BEFORE_SECS`]
    /// before its end, or at once when that moment has passed.
    pub fn warn_in(&self, now: i64) -> i64 {
        (self.seconds_left(now) - WARN_BEFORE_SECS).max(0)
    }

    /// Whether `last_seen` is old enough to be worth a write.
    pub fn needs_touch(&self, now: i64) -> bool {
        now - self.last_seen >= TOUCH_AFTER_SECS
    }
}

/// Until when a form sent after its session ended is kept for its user: a few hours
/// ([`DRAFT_KEEP_SECS`]) from the moment it was sent. The text is dossier content, so it is kept
/// no longer than a user plausibly needs to log in again; after that the tidy-up job deletes it.
pub fn draft_kept_until(sent_at: i64) -> i64 {
    sent_at + DRAFT_KEEP_SECS
}

/// Whether a field of a form sent after the session ended may be kept: never the form token or a
/// password, and nothing left empty.
pub fn draft_keeps_field(name: &str, value: &str) -> bool {
    name != "_csrf"
        && !name.contains("password")
        && !name.contains("wachtwoord")
        && !value.trim().is_empty()
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

    #[test]
    fn the_time_left_counts_down_to_the_idle_limit_and_never_below_zero() {
        let s = SessionAuth::new(UserId::new(1), 1_000);
        assert_eq!(s.seconds_left(1_000), IDLE_SECS);
        assert_eq!(s.seconds_left(1_000 + 600), IDLE_SECS - 600);
        assert_eq!(s.seconds_left(1_000 + IDLE_SECS + 5), 0);
    }

    #[test]
    fn the_time_left_stops_at_the_absolute_limit() {
        let mut s = SessionAuth::new(UserId::new(1), 0);
        s.last_seen = ABSOLUTE_SECS - 600;
        assert_eq!(s.seconds_left(ABSOLUTE_SECS - 600), 600);
    }

    #[test]
    fn the_warning_comes_at_twenty_five_minutes_without_a_request() {
        let s = SessionAuth::new(UserId::new(1), 1_000);
        assert_eq!(s.warn_in(1_000), 25 * 60);
        assert_eq!(s.warn_in(1_000 + 25 * 60 + 1), 0);
    }

    #[test]
    fn a_form_sent_after_the_session_ended_is_kept_for_four_hours() {
        assert_eq!(draft_kept_until(10_000), 10_000 + 4 * 60 * 60);
    }

    #[test]
    fn a_kept_form_never_holds_a_password_the_token_or_empty_fields() {
        assert!(draft_keeps_field("waarneming", "Hij had blauwe plekken"));
        assert!(!draft_keeps_field("_csrf", "abc"));
        assert!(!draft_keeps_field("password", "Geheim-99"));
        assert!(!draft_keeps_field("nieuw_wachtwoord", "Geheim-99"));
        assert!(!draft_keeps_field("groep", "  "));
    }
}
