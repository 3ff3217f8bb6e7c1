//! What an entry changes beyond itself: the afwegingskader's answers as recorded so far
//! ([`assessment`]), and how the dossier's kept state moves ([`state_change`]: the step it counts
//! for, the review date and the date Veilig Thuis's feedback is due).

use time::Date;

use super::super::dossier::{self, Answer, Assessment};
use super::super::risk::RiskLevel;
use super::validate::parse_date;
use super::{Body, Kind, has, keys};

/// The answers of the afwegingskader as recorded in a dossier's entries, oldest first: a later
/// answer replaces an earlier one (steps may be taken again).
pub fn assessment<'a>(entries: impl IntoIterator<Item = (Kind, &'a Body)>) -> Assessment {
    let mut a = Assessment::default();
    for (kind, body) in entries {
        apply_to_assessment(&mut a, kind, body);
    }
    a
}

/// Whether an entry of this kind, with this body, can change the afwegingskader's answers.
pub fn answers_assessment(kind: Kind, body: &Body) -> bool {
    matches!(kind, Kind::Weging | Kind::Besluit | Kind::Evaluatie)
        || (kind == Kind::Signaal && has(body, keys::ONTHULLING))
}

/// One entry's answers laid over the ones before it.
pub fn apply_to_assessment(a: &mut Assessment, kind: Kind, body: &Body) {
    let yes = |b: &Body, k: &str| b.get(k).map(|v| v == "ja");
    match kind {
        Kind::Signaal if has(body, keys::ONTHULLING) => a.disclosure = true,
        Kind::Weging => {
            a.q1_suspicion = yes(body, keys::VRAAG1).or(a.q1_suspicion);
            a.q2_unsafety = body
                .get(keys::VRAAG2)
                .and_then(|v| Answer::parse(v))
                .or(a.q2_unsafety);
        }
        Kind::Besluit => {
            a.q2_unsafety = body
                .get(keys::VRAAG2)
                .and_then(|v| Answer::parse(v))
                .or(a.q2_unsafety);
            a.q3_help_possible = yes(body, keys::VRAAG3).or(a.q3_help_possible);
            a.q4_help_accepted = yes(body, keys::VRAAG4).or(a.q4_help_accepted);
        }
        Kind::Evaluatie => a.q5_help_works = yes(body, keys::VRAAG5),
        _ => {}
    }
}

/// How an entry changes where its dossier stands, as kept beside the dossier for lists and the
/// workspace: the step it counts for, and the dates by which something is due.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StateChange {
    /// Whether the entry is work on the dossier (and so resets "days without an entry"); adding a
    /// colleague or asking for a transfer is administration, not work on the case.
    pub activity: bool,
    /// Bit n set for step n.
    pub step_bit: i64,
    /// `Some(date)` sets, `Some(None)` clears the help plan's review date.
    pub review_due: Option<Option<Date>>,
    /// `Some(date)` sets, `Some(None)` clears the date Veilig Thuis's feedback is due.
    pub feedback_due: Option<Option<Date>>,
    /// The risk level judged by this entry (`Kind::Risico`), which becomes the dossier's.
    pub risk_level: Option<RiskLevel>,
}

/// The lawful reason a conversation was skipped, as its code: kept beside the sealed body so
/// that the yearly report counts the reasons without reading any entry (issue 19).
pub fn lawful_skip_reason(kind: Kind, body: &Body) -> Option<&'static str> {
    if !matches!(
        kind,
        Kind::GesprekOvergeslagen | Kind::MeldgesprekOvergeslagen
    ) {
        return None;
    }
    let given = body.get(keys::REDEN)?;
    super::fields::SKIP_REASONS
        .iter()
        .map(|(code, _)| *code)
        .find(|code| code == given)
}

pub fn state_change(kind: Kind, body: &Body) -> StateChange {
    let step_bit = kind.step().map_or(0, |s| 1_i64 << s.number());
    let date = |k: &str| body.get(k).and_then(|d| parse_date(d));
    let (review_due, feedback_due) = match kind {
        // A help plan is reviewed on its review date, when question 5 is answered.
        Kind::Hulpplan => (Some(date(keys::EVALUATIEDATUM)), None),
        Kind::Evaluatie => (Some(None), None),
        // Veilig Thuis gives feedback within 5 working days after a report.
        Kind::Melding => (
            None,
            Some(
                date(keys::DATUM)
                    .map(|d| dossier::add_working_days(d, dossier::FEEDBACK_WORKING_DAYS)),
            ),
        ),
        Kind::Terugkoppeling => (None, Some(None)),
        // A closed dossier has nothing due.
        Kind::Gesloten => (Some(None), Some(None)),
        _ => (None, None),
    };
    let activity = !matches!(
        kind,
        Kind::CollegaToegevoegd
            | Kind::CollegaVerwijderd
            | Kind::Casemanager
            | Kind::OverdrachtGevraagd
            | Kind::Overgedragen
            | Kind::Samengevoegd
            | Kind::OpgegaanIn
    );
    StateChange {
        activity,
        step_bit,
        review_due,
        feedback_due,
        risk_level: match kind {
            Kind::Risico => body.get(keys::NIVEAU).and_then(|l| RiskLevel::parse(l)),
            _ => None,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_report_makes_feedback_due_after_5_working_days_and_feedback_clears_it() {
        let mut b = Body::new();
        b.insert("datum".into(), "2026-11-26".into());
        let c = state_change(Kind::Melding, &b);
        assert_eq!(c.step_bit, 1 << 5);
        assert_eq!(
            c.feedback_due,
            Some(Some(time::macros::date!(2026 - 12 - 03)))
        );
        assert_eq!(
            state_change(Kind::Terugkoppeling, &b).feedback_due,
            Some(None)
        );
    }

    #[test]
    fn a_help_plan_sets_its_review_date_and_the_evaluation_clears_it() {
        let mut b = Body::new();
        b.insert("evaluatiedatum".into(), "2027-01-15".into());
        assert_eq!(
            state_change(Kind::Hulpplan, &b).review_due,
            Some(Some(time::macros::date!(2027 - 01 - 15)))
        );
        assert_eq!(
            state_change(Kind::Evaluatie, &Body::new()).review_due,
            Some(None)
        );
        assert_eq!(
            state_change(Kind::Signaal, &Body::new()),
            StateChange {
                activity: true,
                step_bit: 2,
                ..Default::default()
            }
        );
        assert!(
            !state_change(Kind::CollegaToegevoegd, &Body::new()).activity,
            "administration is not work on the case"
        );
    }

    #[test]
    fn the_latest_answers_form_the_assessment() {
        let mut w1 = Body::new();
        w1.insert("vraag1".into(), "ja".into());
        w1.insert("vraag2".into(), "ja".into());
        let mut b = Body::new();
        b.insert("vraag2".into(), "nee".into());
        b.insert("vraag3".into(), "ja".into());
        let a = assessment([(Kind::Weging, &w1), (Kind::Besluit, &b)]);
        assert_eq!(a.q1_suspicion, Some(true));
        assert_eq!(a.q2_unsafety, Some(Answer::Nee));
        assert_eq!(a.q3_help_possible, Some(true));
    }
}
