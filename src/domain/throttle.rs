//! Login throttling: slow down password guessing without letting anyone lock a colleague out.
//!
//! Counters of failures are kept per account (keyed on the e-mail typed), per account and client
//! address together, per client address, and per trusted device. Below a number of free attempts
//! nothing happens. Beyond it, each further attempt must wait, twice as long after every failure,
//! but never longer than [`MAX_WAIT_SECS`]. A counter is forgotten after [`FORGET_AFTER_SECS`]
//! without failures, and a successful login resets the counters of that account.
//!
//! Which counters hold back an attempt is the point (OWASP's "device cookies"): a browser in which
//! the user logged in successfully before carries a device cookie for that account, and an attempt
//! from it counts only against that device. Whoever guesses at a colleague's account from
//! elsewhere, even from the same school network, slows down only browsers without such a cookie:
//! the colleague on their own laptop is never held back by someone else's guessing
//! ([`login_verdict`]). Guessing is still slow: at most one guess a minute per account beyond the
//! free attempts, from however many addresses.

/// The longest wait ever imposed, in seconds.
pub const MAX_WAIT_SECS: i64 = 60;
/// After this long without a failure a counter starts again from zero.
pub const FORGET_AFTER_SECS: i64 = 15 * 60;
/// Failed attempts on one account before waiting starts.
pub const FREE_ATTEMPTS_PER_ACCOUNT: i64 = 5;
/// Failed attempts from one address before waiting starts. Generous, because a whole school often
/// shares one public address.
pub const FREE_ATTEMPTS_PER_ADDRESS: i64 = 30;

/// Failed attempts from one trusted device before waiting starts.
pub const FREE_ATTEMPTS_PER_DEVICE: i64 = 5;
/// Failed attempts on one account from one address before waiting starts.
pub const FREE_ATTEMPTS_PER_ACCOUNT_AT_ADDRESS: i64 = 5;

/// What the counter says about a new attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Allowed,
    /// Try again after this many seconds.
    Wait(i64),
}

/// The state of one counter: failures so far and the time (unix seconds) of the last one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Counter {
    pub failures: i64,
    pub last_failure: i64,
}

/// Decides whether a login attempt may go ahead, given the counter and the free attempts.
pub fn verdict(counter: Option<Counter>, free: i64, now: i64) -> Verdict {
    let Some(c) = counter else {
        return Verdict::Allowed;
    };
    if now - c.last_failure >= FORGET_AFTER_SECS || c.failures < free {
        return Verdict::Allowed;
    }
    let over = (c.failures - free).min(10) as u32;
    let wait = (1_i64 << (over + 1)).min(MAX_WAIT_SECS);
    let ready_at = c.last_failure + wait;
    if now >= ready_at {
        Verdict::Allowed
    } else {
        Verdict::Wait(ready_at - now)
    }
}

/// The stricter of two verdicts.
pub fn stricter(a: Verdict, b: Verdict) -> Verdict {
    match (a, b) {
        (Verdict::Wait(x), Verdict::Wait(y)) => Verdict::Wait(x.max(y)),
        (Verdict::Wait(x), _) | (_, Verdict::Wait(x)) => Verdict::Wait(x),
        _ => Verdict::Allowed,
    }
}

/// The counters that bear on one login attempt.
#[derive(Debug, Clone, Copy, Default)]
pub struct LoginCounters {
    pub account: Option<Counter>,
    pub account_at_address: Option<Counter>,
    pub address: Option<Counter>,
    pub device: Option<Counter>,
}

/// Whether a login attempt may go ahead. From a device trusted for this account (a successful
/// login there before) only that device's own failures count; from anywhere else the account's,
/// the account-and-address's and the address's.
pub fn login_verdict(trusted_device: bool, c: &LoginCounters, now: i64) -> Verdict {
    if trusted_device {
        return verdict(c.device, FREE_ATTEMPTS_PER_DEVICE, now);
    }
    stricter(
        stricter(
            verdict(c.account, FREE_ATTEMPTS_PER_ACCOUNT, now),
            verdict(
                c.account_at_address,
                FREE_ATTEMPTS_PER_ACCOUNT_AT_ADDRESS,
                now,
            ),
        ),
        verdict(c.address, FREE_ATTEMPTS_PER_ADDRESS, now),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(failures: i64, last_failure: i64) -> Option<Counter> {
        Some(Counter {
            failures,
            last_failure,
        })
    }

    #[test]
    fn free_attempts_are_never_delayed() {
        assert_eq!(verdict(None, 5, 1000), Verdict::Allowed);
        assert_eq!(verdict(c(4, 1000), 5, 1000), Verdict::Allowed);
    }

    #[test]
    fn beyond_the_free_attempts_each_failure_doubles_the_wait() {
        assert_eq!(verdict(c(5, 1000), 5, 1000), Verdict::Wait(2));
        assert_eq!(verdict(c(6, 1000), 5, 1000), Verdict::Wait(4));
        assert_eq!(verdict(c(7, 1000), 5, 1001), Verdict::Wait(7));
    }

    #[test]
    fn no_colleague_is_ever_locked_out_longer_than_a_minute() {
        assert_eq!(verdict(c(500, 1000), 5, 1000), Verdict::Wait(MAX_WAIT_SECS));
        assert_eq!(
            verdict(c(500, 1000), 5, 1000 + MAX_WAIT_SECS),
            Verdict::Allowed
        );
    }

    #[test]
    fn a_quiet_quarter_of_an_hour_forgets_the_failures() {
        assert_eq!(
            verdict(c(50, 1000), 5, 1000 + FORGET_AFTER_SECS),
            Verdict::Allowed
        );
    }

    #[test]
    fn the_stricter_verdict_wins() {
        assert_eq!(
            stricter(Verdict::Allowed, Verdict::Wait(3)),
            Verdict::Wait(3)
        );
        assert_eq!(
            stricter(Verdict::Wait(9), Verdict::Wait(3)),
            Verdict::Wait(9)
        );
        assert_eq!(
            stricter(Verdict::Allowed, Verdict::Allowed),
            Verdict::Allowed
        );
    }

    #[test]
    fn guessing_at_an_account_never_holds_back_the_owner_on_a_trusted_device() {
        let attacked = LoginCounters {
            account: c(500, 1000),
            account_at_address: c(500, 1000),
            address: c(500, 1000),
            device: None,
        };
        assert_eq!(login_verdict(true, &attacked, 1000), Verdict::Allowed);
        assert_eq!(
            login_verdict(false, &attacked, 1000),
            Verdict::Wait(MAX_WAIT_SECS)
        );
    }

    #[test]
    fn a_trusted_device_that_guesses_is_slowed_like_any_other() {
        let guessing = LoginCounters {
            device: c(FREE_ATTEMPTS_PER_DEVICE, 1000),
            ..Default::default()
        };
        assert_eq!(login_verdict(true, &guessing, 1000), Verdict::Wait(2));
    }

    #[test]
    fn an_untrusted_attempt_waits_for_the_strictest_of_account_address_and_both() {
        let only_address = LoginCounters {
            address: c(FREE_ATTEMPTS_PER_ADDRESS + 1, 1000),
            ..Default::default()
        };
        assert_eq!(login_verdict(false, &only_address, 1000), Verdict::Wait(4));
        let only_pair = LoginCounters {
            account_at_address: c(FREE_ATTEMPTS_PER_ACCOUNT_AT_ADDRESS, 1000),
            ..Default::default()
        };
        assert_eq!(login_verdict(false, &only_pair, 1000), Verdict::Wait(2));
        assert_eq!(
            login_verdict(false, &LoginCounters::default(), 1000),
            Verdict::Allowed
        );
    }
}
