//! How often a user is e-mailed about each kind of notification (issue 18, "alerts that do not
//! flood"): an e-mail per event (grouped per ten minutes, `mail::GROUP_SECS`), a daily overview
//! or a weekly overview, chosen per kind. The choice is about e-mail only: the start page shows
//! every notification as before.
//!
//! Nothing changes for a user who never chooses: every kind is mailed per event until they do.
//! There is no "never": an e-mail is how a user who is not logged in hears that something waits
//! for them. Two kinds cannot wait a week: an emergency report and a colleague's request for a
//! consultation ([`allowed`]); they are mailed per event or in the daily overview.
//!
//! The overviews go out at a fixed local time in the Netherlands ([`DIGEST_TIME`]): every day,
//! and on Mondays for the weekly one; summer and winter time come from the tz database.

use time::macros::time;
use time::{Date, OffsetDateTime, PrimitiveDateTime, Time, Weekday};
use time_tz::timezones::db::europe::AMSTERDAM;
use time_tz::{OffsetDateTimeExt, PrimitiveDateTimeExt};

use super::notification::Notice;

/// How often a user hears of one kind of notification by e-mail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Cadence {
    /// An e-mail per notification, at most one per kind per ten minutes (as before issue 18).
    PerEvent,
    /// One overview a day, at [`DIGEST_TIME`].
    Daily,
    /// One overview a week, on Monday at [`DIGEST_TIME`].
    Weekly,
}

/// When the overviews go out: seven in the morning in the Netherlands, before school starts.
pub const DIGEST_TIME: Time = time!(7:00);

/// The day of the weekly overview.
pub const WEEKLY_DAY: Weekday = Weekday::Monday;

impl Cadence {
    /// Every choice, in the order the page offers them.
    pub const ALL: [Cadence; 3] = [Cadence::PerEvent, Cadence::Daily, Cadence::Weekly];

    /// The choices that are an overview, in the order the job sends them.
    pub const DIGESTS: [Cadence; 2] = [Cadence::Daily, Cadence::Weekly];

    /// The stable code: the form's value, and for an overview what `user_alert_preferences`
    /// stores (per event is the absence of a row).
    pub fn code(self) -> &'static str {
        match self {
            Cadence::PerEvent => "per_melding",
            Cadence::Daily => "dagelijks",
            Cadence::Weekly => "wekelijks",
        }
    }

    /// What the page says of the choice.
    pub fn label(self) -> &'static str {
        match self {
            Cadence::PerEvent => "Een e-mail per melding",
            Cadence::Daily => "Een dagelijks overzicht",
            Cadence::Weekly => "Een wekelijks overzicht",
        }
    }

    /// What the overview's e-mail calls itself.
    pub fn digest_name(self) -> &'static str {
        match self {
            Cadence::PerEvent => "e-mail",
            Cadence::Daily => "dagelijks overzicht",
            Cadence::Weekly => "wekelijks overzicht",
        }
    }

    /// The choice a code names; `None` for a code no choice has.
    pub fn parse(code: &str) -> Option<Cadence> {
        Cadence::ALL.into_iter().find(|c| c.code() == code)
    }

    /// The choice a stored row says; no row (or one that no longer means anything) is per event,
    /// so that nothing is held back by a value this version does not know.
    pub fn from_stored(code: Option<&str>) -> Cadence {
        code.and_then(Cadence::parse).unwrap_or(Cadence::PerEvent)
    }

    /// Whether notifications of this choice wait for an overview.
    pub fn is_digest(self) -> bool {
        self != Cadence::PerEvent
    }
}

/// The kinds a user can choose for: those that are mailed at all (`Notice::mail_text`), in the
/// order of [`Notice::ALL`], so that a kind added there appears here of itself.
pub fn choosable() -> impl Iterator<Item = Notice> {
    Notice::ALL.into_iter().filter(|n| n.mail_text().is_some())
}

/// The choices a kind allows. An emergency report and a request for a consultation cannot wait
/// a week: a colleague waits for an answer, and an emergency needs its follow-up within days.
pub fn allowed(notice: Notice) -> &'static [Cadence] {
    match notice {
        Notice::Noodmelding | Notice::OverlegGevraagd => &[Cadence::PerEvent, Cadence::Daily],
        _ => &Cadence::ALL,
    }
}

/// The choice for `notice` read from the form's value, or the Dutch message for the field.
/// An empty value (no button chosen) is per event, the default.
pub fn choose(notice: Notice, value: &str) -> Result<Cadence, String> {
    let value = value.trim();
    if value.is_empty() {
        return Ok(Cadence::PerEvent);
    }
    let Some(cadence) = Cadence::parse(value) else {
        return Err(format!(
            "Kies hoe vaak u e-mail wilt over: {}.",
            notice.label()
        ));
    };
    if !allowed(notice).contains(&cadence) {
        return Err(format!(
            "Hierover krijgt u minstens elke dag bericht, omdat het niet kan wachten: kies een e-mail per melding of een dagelijks overzicht ({}).",
            notice.label()
        ));
    }
    Ok(cadence)
}

/// The moment (unix seconds) of [`DIGEST_TIME`] in the Netherlands on `date`.
fn digest_moment(date: Date) -> i64 {
    let local = PrimitiveDateTime::new(date, DIGEST_TIME);
    match local.assume_timezone(AMSTERDAM).take_first() {
        Some(t) => t.unix_timestamp(),
        // Seven in the morning always exists in Amsterdam (the clocks change at night); should
        // the tz database ever say otherwise, winter time is as good a guess as any.
        None => local
            .assume_offset(time::macros::offset!(+1))
            .unix_timestamp(),
    }
}

/// The date in the Netherlands at `unix`.
fn date_nl(unix: i64) -> Date {
    OffsetDateTime::from_unix_timestamp(unix)
        .map(|t| t.to_timezone(AMSTERDAM).date())
        .unwrap_or(Date::MIN)
}

/// Whether an overview of `cadence` goes out on `date`.
fn is_digest_day(cadence: Cadence, date: Date) -> bool {
    match cadence {
        Cadence::PerEvent => false,
        Cadence::Daily => true,
        Cadence::Weekly => date.weekday() == WEEKLY_DAY,
    }
}

/// The latest overview moment of `cadence` at or before `now` (unix seconds); `None` for per
/// event. An overview of this moment holds the notifications made before it.
pub fn latest_due(cadence: Cadence, now: i64) -> Option<i64> {
    if !cadence.is_digest() {
        return None;
    }
    let mut date = date_nl(now);
    // At most a week back, for the weekly overview; one day more for the moment before seven.
    for _ in 0..8 {
        if is_digest_day(cadence, date) && digest_moment(date) <= now {
            return Some(digest_moment(date));
        }
        date = date.previous_day()?;
    }
    None
}

/// The first overview moment of `cadence` after `now` (unix seconds): when a notification made
/// now is mailed. `None` for per event.
pub fn next_due(cadence: Cadence, now: i64) -> Option<i64> {
    if !cadence.is_digest() {
        return None;
    }
    let mut date = date_nl(now);
    for _ in 0..8 {
        if is_digest_day(cadence, date) && digest_moment(date) > now {
            return Some(digest_moment(date));
        }
        date = date.next_day()?;
    }
    None
}

/// What an overview tells an aandachtsfunctionaris of their open dossiers, as the workspace flags
/// them (`domain::progress::attention`): how many are quiet, how many stand still in a step, and
/// the organisation's number of days for both.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Waiting {
    pub quiet: i64,
    pub standing_still: i64,
    pub days: i64,
}

/// The lines of an overview e-mail: per kind how many new notifications, and for an
/// aandachtsfunctionaris how many open dossiers are quiet or stand still. Counts only: never a
/// pupil, a dossier or its content.
pub fn digest_lines(counts: &[(Notice, i64)], waiting: Option<Waiting>) -> Vec<String> {
    let mut lines: Vec<String> = counts
        .iter()
        .filter(|(_, n)| *n > 0)
        .map(|(notice, n)| {
            let what = if *n == 1 {
                "nieuwe melding"
            } else {
                "nieuwe meldingen"
            };
            format!("{n} {what} van het soort: {}.", notice.label())
        })
        .collect();
    let Some(w) = waiting else {
        return lines;
    };
    let (days, plural) = (w.days, |n: i64| n != 1);
    if w.quiet > 0 {
        let (what, has) = if plural(w.quiet) {
            ("open dossiers", "hebben")
        } else {
            ("open dossier", "heeft")
        };
        // The workspace's words for the same dossiers: "Geen aantekening in 14 dagen".
        lines.push(format!(
            "{} {what} op uw scholen {has} geen aantekening in {days} dagen.",
            w.quiet
        ));
    }
    if w.standing_still > 0 {
        let (what, stands) = if plural(w.standing_still) {
            ("open dossiers", "staan")
        } else {
            ("open dossier", "staat")
        };
        lines.push(format!(
            "{} {what} op uw scholen {stands} stil: al {days} dagen geen volgende stap, wel nieuwe aantekeningen.",
            w.standing_still
        ));
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    fn unix(t: OffsetDateTime) -> i64 {
        t.unix_timestamp()
    }

    #[test]
    fn every_choice_parses_back_from_its_own_code_and_no_row_is_per_event() {
        for c in Cadence::ALL {
            assert_eq!(Cadence::parse(c.code()), Some(c));
        }
        assert_eq!(Cadence::from_stored(None), Cadence::PerEvent);
        assert_eq!(Cadence::from_stored(Some("maandelijks")), Cadence::PerEvent);
        assert_eq!(Cadence::from_stored(Some("wekelijks")), Cadence::Weekly);
        assert!(!Cadence::PerEvent.is_digest());
        assert!(Cadence::DIGESTS.into_iter().all(Cadence::is_digest));
    }

    #[test]
    fn only_kinds_that_are_mailed_can_be_chosen_for_and_they_come_from_every_kind() {
        let kinds: Vec<Notice> = choosable().collect();
        assert!(kinds.contains(&Notice::NieuwDossier));
        assert!(!kinds.contains(&Notice::Toegevoegd), "never mailed");
        assert_eq!(
            kinds.len(),
            Notice::ALL
                .into_iter()
                .filter(|n| n.mail_text().is_some())
                .count()
        );
    }

    #[test]
    fn an_emergency_report_and_a_request_for_consultation_are_mailed_at_least_daily() {
        for urgent in [Notice::Noodmelding, Notice::OverlegGevraagd] {
            assert!(choose(urgent, "wekelijks").is_err(), "{urgent:?}");
            assert_eq!(choose(urgent, "dagelijks"), Ok(Cadence::Daily));
            assert_eq!(choose(urgent, "per_melding"), Ok(Cadence::PerEvent));
        }
        assert_eq!(
            choose(Notice::NieuwDossier, "wekelijks"),
            Ok(Cadence::Weekly)
        );
        assert_eq!(choose(Notice::NieuwDossier, ""), Ok(Cadence::PerEvent));
        let wrong = choose(Notice::NieuwDossier, "<script>").unwrap_err();
        assert!(wrong.contains("Kies hoe vaak"));
    }

    #[test]
    fn the_daily_overview_is_due_at_seven_in_the_morning_dutch_time_winter_and_summer() {
        // Winter (CET, UTC+1): 06:00 UTC is seven in Amsterdam.
        let winter = unix(datetime!(2026-01-14 06:00 UTC));
        assert_eq!(latest_due(Cadence::Daily, winter), Some(winter));
        assert_eq!(
            latest_due(Cadence::Daily, winter - 1),
            Some(winter - 24 * 3600)
        );
        assert_eq!(next_due(Cadence::Daily, winter - 1), Some(winter));
        assert_eq!(next_due(Cadence::Daily, winter), Some(winter + 24 * 3600));
        // Summer (CEST, UTC+2): 05:00 UTC.
        let summer = unix(datetime!(2026-07-01 05:00 UTC));
        assert_eq!(latest_due(Cadence::Daily, summer + 3600), Some(summer));
        assert_eq!(next_due(Cadence::Daily, summer - 60), Some(summer));
        assert_eq!(latest_due(Cadence::PerEvent, summer), None);
        assert_eq!(next_due(Cadence::PerEvent, summer), None);
    }

    #[test]
    fn across_the_change_to_summer_and_back_the_overview_stays_at_seven_local_time() {
        // Summer time starts in the night of Sunday 29 March 2026: Saturday's overview at 06:00
        // UTC, Sunday's at 05:00 UTC, 23 hours later.
        let saturday = unix(datetime!(2026-03-28 06:00 UTC));
        let sunday = unix(datetime!(2026-03-29 05:00 UTC));
        assert_eq!(next_due(Cadence::Daily, saturday), Some(sunday));
        assert_eq!(sunday - saturday, 23 * 3600);
        // It ends in the night of Sunday 25 October 2026: 05:00 UTC, then 06:00 UTC, 25 hours.
        let before = unix(datetime!(2026-10-24 05:00 UTC));
        let after = unix(datetime!(2026-10-25 06:00 UTC));
        assert_eq!(next_due(Cadence::Daily, before), Some(after));
        assert_eq!(latest_due(Cadence::Daily, after - 1), Some(before));
        // The weekly overview on the Monday after the change: 30 March 07:00 CEST = 05:00 UTC.
        assert_eq!(
            next_due(Cadence::Weekly, saturday),
            Some(unix(datetime!(2026-03-30 05:00 UTC)))
        );
    }

    #[test]
    fn the_weekly_overview_is_due_on_monday_at_seven() {
        // Monday 12 January 2026, 07:00 CET.
        let monday = unix(datetime!(2026-01-12 06:00 UTC));
        assert_eq!(
            time::OffsetDateTime::from_unix_timestamp(monday)
                .unwrap()
                .weekday(),
            Weekday::Monday
        );
        assert_eq!(latest_due(Cadence::Weekly, monday), Some(monday));
        assert_eq!(
            latest_due(Cadence::Weekly, monday - 1),
            Some(monday - 7 * 24 * 3600)
        );
        // From any moment of the week, the next Monday.
        for hours in [1, 30, 100, 167] {
            assert_eq!(
                next_due(Cadence::Weekly, monday + hours * 3600),
                Some(monday + 7 * 24 * 3600),
                "{hours}"
            );
            assert_eq!(
                latest_due(Cadence::Weekly, monday + hours * 3600),
                Some(monday)
            );
        }
    }

    fn waiting(quiet: i64, standing_still: i64, days: i64) -> Waiting {
        Waiting {
            quiet,
            standing_still,
            days,
        }
    }

    #[test]
    fn an_overview_counts_per_kind_and_quiet_dossiers_and_names_nothing_else() {
        let lines = digest_lines(
            &[
                (Notice::NieuwDossier, 3),
                (Notice::OverlegGevraagd, 1),
                (Notice::Actie, 0),
            ],
            Some(waiting(2, 1, 14)),
        );
        assert_eq!(
            lines,
            vec![
                "3 nieuwe meldingen van het soort: Er is een nieuw dossier geopend.",
                "1 nieuwe melding van het soort: Een collega vraagt u om overleg.",
                "2 open dossiers op uw scholen hebben geen aantekening in 14 dagen.",
                "1 open dossier op uw scholen staat stil: al 14 dagen geen volgende stap, wel nieuwe aantekeningen.",
            ]
        );
        assert_eq!(
            digest_lines(&[(Notice::Actie, 1)], Some(waiting(0, 0, 14))),
            vec!["1 nieuwe melding van het soort: Er is een actie voor u uitgezet."]
        );
        assert!(
            digest_lines(&[], Some(waiting(1, 0, 21)))[0]
                .starts_with("1 open dossier op uw scholen heeft")
        );
    }
}
