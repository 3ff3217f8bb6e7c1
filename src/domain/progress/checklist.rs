//! Step 5 as an ordered checklist: the decision, then the help plan or the conversation about
//! the report, the report, Veilig Thuis's feedback, and the evaluation of the help. DOMAIN.md:
//! step 5 is two decisions in this order (is reporting necessary? is help (also) possible?);
//! help is no longer an alternative to reporting, so the list follows the decision taken.

use super::{NextStep, Standing};
use crate::domain::dossier::{Advice, advise};
use crate::domain::entry::Kind;

/// One task of step 5.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Task {
    /// Questions 2 to 4: is reporting necessary, and is help possible and accepted?
    Decision,
    /// Before the decision: what follows it, one or the other (or both).
    HelpOrConversation,
    HelpPlan,
    ReportConversation,
    Report,
    Feedback,
    /// Question 5: does the help bring the safety needed?
    Evaluation,
}

impl Task {
    pub fn label(self) -> &'static str {
        match self {
            Task::Decision => "Besluit over melden en hulp (afwegingsvragen 2 tot en met 4)",
            Task::HelpOrConversation => "Hulpplan, of het gesprek over de melding",
            Task::HelpPlan => "Hulpplan",
            Task::ReportConversation => "Gesprek over de melding met de leerling en/of de ouders",
            Task::Report => "Melding bij Veilig Thuis",
            Task::Feedback => "Terugkoppeling van Veilig Thuis",
            Task::Evaluation => "Evaluatie van de hulp (afwegingsvraag 5)",
        }
    }

    /// The entry that records it (its form on the step-5 page).
    pub fn kind(self) -> Option<Kind> {
        match self {
            Task::Decision => Some(Kind::Besluit),
            Task::HelpOrConversation => None,
            Task::HelpPlan => Some(Kind::Hulpplan),
            Task::ReportConversation => Some(Kind::Meldgesprek),
            Task::Report => Some(Kind::Melding),
            Task::Feedback => Some(Kind::Terugkoppeling),
            Task::Evaluation => Some(Kind::Evaluatie),
        }
    }

    /// The task a next step belongs to, if it is one of step 5's.
    pub fn of(next: NextStep) -> Option<Task> {
        match next {
            NextStep::Question(2..=4) => Some(Task::Decision),
            NextStep::Question(_) | NextStep::Evaluation => Some(Task::Evaluation),
            NextStep::ReportConversation => Some(Task::ReportConversation),
            NextStep::Report => Some(Task::Report),
            NextStep::Feedback => Some(Task::Feedback),
            NextStep::HelpPlan => Some(Task::HelpPlan),
            _ => None,
        }
    }
}

/// Where a task stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    Done,
    /// What the meldcode asks now ([`super::next_step`]).
    Now,
    /// Still to come.
    Later,
    /// Not needed after the decision taken (no report called for; no help agreed).
    NotNeeded,
}

/// What the checklist reads beyond the standing: whether Veilig Thuis's feedback on the latest
/// report and the evaluation of the latest help plan are recorded, and the next step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Facts {
    pub feedback_received: bool,
    pub evaluated: bool,
    pub next: Option<NextStep>,
}

/// Step 5's tasks in their order, each with its mark.
pub fn checklist(s: &Standing, f: Facts) -> Vec<(Task, Mark)> {
    let advice = advise(&s.assessment);
    let report_path = s.duty.is_some() || s.reported || matches!(advice, Advice::Report(_));
    let help_path =
        s.help_planned || matches!(advice, Advice::HelpPlan | Advice::CloseWithMonitoring);
    let mut tasks = vec![(Task::Decision, s.decided)];
    if report_path {
        tasks.push((
            Task::ReportConversation,
            s.report_conversation || s.reported,
        ));
    } else if help_path {
        tasks.push((Task::HelpPlan, s.help_planned));
    } else {
        tasks.push((Task::HelpOrConversation, false));
    }
    tasks.push((Task::Report, s.reported));
    tasks.push((Task::Feedback, s.reported && f.feedback_received));
    // After a report the school may still organise help with Veilig Thuis: the plan then
    // comes after the feedback, before its evaluation.
    if report_path && s.help_planned {
        tasks.push((Task::HelpPlan, true));
    }
    tasks.push((Task::Evaluation, s.help_planned && f.evaluated));
    let now = f.next.and_then(Task::of);
    tasks
        .into_iter()
        .map(|(task, done)| {
            let not_needed = match task {
                Task::Report | Task::Feedback => s.decided && !report_path,
                Task::Evaluation => s.decided && !help_path,
                _ => false,
            };
            let mark = if done {
                Mark::Done
            } else if now == Some(task) {
                Mark::Now
            } else if not_needed {
                Mark::NotNeeded
            } else {
                Mark::Later
            };
            (task, mark)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::entry::Body;

    fn body(pairs: &[(&str, &str)]) -> Body {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn after(entries: &[(Kind, &[(&str, &str)])]) -> Standing {
        let bodies: Vec<(Kind, Body)> = entries.iter().map(|(k, p)| (*k, body(p))).collect();
        Standing::of(
            bodies
                .iter()
                .enumerate()
                .map(|(i, (k, b))| (*k, b, i as i64)),
        )
    }

    fn marks(s: &Standing, f: Facts) -> Vec<(Task, Mark)> {
        checklist(s, f)
    }

    const WEIGHED: (Kind, &[(&str, &str)]) = (Kind::Weging, &[("vraag1", "ja")]);
    const HELP: (Kind, &[(&str, &str)]) = (
        Kind::Besluit,
        &[("vraag2", "nee"), ("vraag3", "ja"), ("vraag4", "ja")],
    );
    const REPORT: (Kind, &[(&str, &str)]) = (Kind::Besluit, &[("vraag2", "ja")]);

    #[test]
    fn step_5_before_the_decision_lists_the_decision_first_and_the_rest_to_come() {
        let s = after(&[WEIGHED]);
        let next = Some(NextStep::Question(2));
        let list = marks(
            &s,
            Facts {
                feedback_received: false,
                evaluated: false,
                next,
            },
        );
        assert_eq!(
            list,
            vec![
                (Task::Decision, Mark::Now),
                (Task::HelpOrConversation, Mark::Later),
                (Task::Report, Mark::Later),
                (Task::Feedback, Mark::Later),
                (Task::Evaluation, Mark::Later),
            ]
        );
    }

    #[test]
    fn step_5_after_a_decision_for_help_lists_the_help_plan_and_no_report() {
        let s = after(&[WEIGHED, HELP]);
        let f = Facts {
            feedback_received: false,
            evaluated: false,
            next: Some(NextStep::HelpPlan),
        };
        assert_eq!(
            marks(&s, f),
            vec![
                (Task::Decision, Mark::Done),
                (Task::HelpPlan, Mark::Now),
                (Task::Report, Mark::NotNeeded),
                (Task::Feedback, Mark::NotNeeded),
                (Task::Evaluation, Mark::Later),
            ]
        );
        let planned = after(&[WEIGHED, HELP, (Kind::Hulpplan, &[])]);
        let list = marks(
            &planned,
            Facts {
                next: Some(NextStep::Evaluation),
                ..f
            },
        );
        assert_eq!(list[1], (Task::HelpPlan, Mark::Done));
        assert_eq!(list[4], (Task::Evaluation, Mark::Now));
        let evaluated = marks(
            &planned,
            Facts {
                evaluated: true,
                next: None,
                ..f
            },
        );
        assert_eq!(evaluated[4], (Task::Evaluation, Mark::Done));
    }

    #[test]
    fn step_5_after_a_decision_to_report_lists_conversation_report_and_feedback_in_order() {
        let s = after(&[WEIGHED, REPORT]);
        let f = Facts {
            feedback_received: false,
            evaluated: false,
            next: Some(NextStep::ReportConversation),
        };
        assert_eq!(
            marks(&s, f),
            vec![
                (Task::Decision, Mark::Done),
                (Task::ReportConversation, Mark::Now),
                (Task::Report, Mark::Later),
                (Task::Feedback, Mark::Later),
                (Task::Evaluation, Mark::NotNeeded),
            ]
        );
        let reported = after(&[
            WEIGHED,
            REPORT,
            (Kind::Meldgesprek, &[]),
            (Kind::Melding, &[]),
        ]);
        let list = marks(
            &reported,
            Facts {
                next: Some(NextStep::Feedback),
                ..f
            },
        );
        assert_eq!(list[2], (Task::Report, Mark::Done));
        assert_eq!(list[3], (Task::Feedback, Mark::Now));
        let fed_back = marks(
            &reported,
            Facts {
                feedback_received: true,
                next: None,
                ..f
            },
        );
        assert_eq!(fed_back[3], (Task::Feedback, Mark::Done));
    }

    #[test]
    fn step_5_help_that_failed_turns_the_list_to_the_report_and_keeps_the_plan_done() {
        let s = after(&[
            WEIGHED,
            HELP,
            (Kind::Hulpplan, &[]),
            (Kind::Evaluatie, &[("vraag5", "nee")]),
        ]);
        let list = marks(
            &s,
            Facts {
                feedback_received: false,
                evaluated: true,
                next: Some(NextStep::ReportConversation),
            },
        );
        assert_eq!(
            list,
            vec![
                (Task::Decision, Mark::Done),
                (Task::ReportConversation, Mark::Now),
                (Task::Report, Mark::Later),
                (Task::Feedback, Mark::Later),
                (Task::HelpPlan, Mark::Done),
                (Task::Evaluation, Mark::Done),
            ]
        );
    }
}
