//! Login throttling: slow down password guessing without letting anyone lock a colleague out.
//!
//! Two counters are kept, one per account (keyed on the e-mail typed) and one per client address.
//! Below a number of free attempts nothing happens. Beyond it, each further attempt must wait,
//! twice as long after every failure, but never longer than [`MAX_WAIT_SECS`]: an attacker is held
//! to about one guess a minute per account, while the colleague whose account is under attack
//! still gets in within a minute. A counter is forgotten after [`FORGET_AFTER_SECS`] without
//! failures, and the account counter is reset by a successful login.

/// The longest wait ever imposed, in seconds.
pub const MAX_WAIT_SECS: i64 = 60;
/// After this long without a failure a counter starts again from zero.
pub const FORGET_AFTER_SECS: i64 = 15 * 60;
/// Failed attempts on one account before waiting starts.
pub const FREE_ATTEMPTS_PER_ACCOUNT: i64 = 5;
/// Failed attempts from one address before waiting starts. Generous, because a whole school often
/// shares one public address.
pub const FREE_ATTEMPTS_PER_ADDRESS: i64 = 30;

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
}
