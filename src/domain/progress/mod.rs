//! Where a dossier stands under the meldcode, as far as its history decides what may be recorded
//! next: whether a report to Veilig Thuis is due and not made (the meldnorm), and which entries
//! would contradict the record (closing against the meldnorm, closing as unfounded against the
//! weighing, reporting after an unfounded closing without a new weighing).
//!
//! [`status`] is what the pages show of where a dossier stands (steps, the afwegingskader's next
//! question or advice, what is overdue), and [`may_record`] which entry kinds a user may add now:
//! the dossier page, the step pages and the forms all ask these, never a rule of their own.
//!
//! [`Standing`] is built from a dossier's entries, oldest first, one [`Standing::apply`] each; the
//! store does that inside the write transaction, so the decision [`admit`] makes cannot be
//! overtaken by a concurrent write. The pages ask the same functions, so what a page says and
//! what a form accepts cannot disagree.

use std::collections::BTreeSet;

use time::Date;

use super::access::coordinates;
use super::dossier::{
    self, Advice, Assessment, CloseReason, Form, Meldnorm, Route, Step, advise,
    missing_before_report,
};
use super::entry::{self, Body, FieldErrors, Kind, keys};
use super::honour;
use super::ids::EntryId;
use super::role::Role;

mod checklist;
pub use checklist::{Facts, Mark, Task, checklist};

/// A report to Veilig Thuis that the afwegingskader calls for and that is not recorded yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReportDuty {
    /// Which meldnorm applies.
    pub norm: Meldnorm,
    /// When the entry that made the report necessary was recorded (unix seconds).
    pub since: i64,
}

/// What a dossier's entries say about where it stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Standing {
    /// The afwegingskader's answers, the latest of each.
    pub assessment: Assessment,
    /// A report that is due and not made.
    pub duty: Option<ReportDuty>,
    /// Whether a report to Veilig Thuis was ever recorded (also one made in an emergency call).
    pub reported: bool,
    pub open: bool,
    /// Why the dossier was closed, while it is closed.
    pub closed_as: Option<CloseReason>,
    /// Reopened after it was closed as unfounded, and not weighed since: a report needs a new
    /// weighing first.
    pub weighing_needed: bool,
    /// Whether a conversation (step 3) and a consultation (step 2) were recorded.
    pub conversation: bool,
    pub consultation: bool,
    /// Whether a consultation with specific expertise was recorded (LEC EGG, Veilig Thuis, or a
    /// named expert: `honour::is_specific_expertise`), which the honour route asks first.
    pub specific_expertise: bool,
    /// Whether the conversation about a report was recorded, held or skipped with its reason.
    pub report_conversation: bool,
    /// Whether step 5's decision was taken since the latest weighing: a decision recorded, or a
    /// report made (a report is a decision to report). A help plan needs one first.
    pub decided: bool,
    /// Whether a help plan was ever recorded: the evaluation (question 5) needs one.
    pub help_planned: bool,
    /// Whether a help plan was recorded since the latest decision: then the evaluation is next.
    pub plan_since_decision: bool,
    /// Whether the afwegingskader called for a report after the last entry that answered it.
    advice_was_report: bool,
}

impl Default for Standing {
    fn default() -> Standing {
        Standing {
            assessment: Assessment::default(),
            duty: None,
            reported: false,
            open: true,
            closed_as: None,
            weighing_needed: false,
            conversation: false,
            consultation: false,
            specific_expertise: false,
            report_conversation: false,
            decided: false,
            help_planned: false,
            plan_since_decision: false,
            advice_was_report: false,
        }
    }
}

/// Whether recording this entry on a dossier about `forms` needs the dossier's history: the
/// entries [`admit`] decides on (a conversation on the honour route among them), and those that
/// can change whether a report is due.
pub fn needs_history(kind: Kind, body: &Body, forms: &[Form]) -> bool {
    honour::needs_history(kind, forms)
        || matches!(
            kind,
            Kind::Melding
                | Kind::Gesloten
                | Kind::Heropend
                | Kind::Medewerkerplicht
                | Kind::Noodmelding
                | Kind::Hulpplan
                | Kind::Evaluatie
        )
        || entry::answers_assessment(kind, body)
}

impl Standing {
    /// The standing after these entries, oldest first: (kind, body, recorded at).
    pub fn of<'a>(entries: impl IntoIterator<Item = (Kind, &'a Body, i64)>) -> Standing {
        let mut s = Standing::default();
        for (kind, body, at) in entries {
            s.apply(kind, body, at);
        }
        s
    }

    /// Lays one more entry over the standing.
    pub fn apply(&mut self, kind: Kind, body: &Body, at: i64) {
        let value = |k: &str| body.get(k).map_or("", String::as_str);
        match kind {
            Kind::Melding => self.report_made(),
            // An emergency call to Veilig Thuis is a report made in that call.
            Kind::Noodmelding if matches!(value(keys::GEBELD), "veilig_thuis" | "beide") => {
                self.report_made()
            }
            Kind::Gesloten => {
                self.open = false;
                self.closed_as = CloseReason::parse(value(keys::REDEN));
            }
            // Merged away: closed, and it goes on in the other dossier.
            Kind::OpgegaanIn => {
                self.open = false;
                self.closed_as = Some(CloseReason::Samengevoegd);
            }
            Kind::Heropend => {
                self.weighing_needed |= self.closed_as == Some(CloseReason::Ongegrond);
                self.open = true;
                self.closed_as = None;
            }
            // A new weighing asks for a new decision.
            Kind::Weging => {
                self.weighing_needed = false;
                self.decided = false;
            }
            Kind::Besluit => {
                self.decided = true;
                self.plan_since_decision = false;
            }
            Kind::Hulpplan => {
                self.help_planned = true;
                self.plan_since_decision = true;
            }
            Kind::Gesprek => self.conversation = true,
            Kind::Consultatie => {
                self.consultation = true;
                self.specific_expertise |= honour::is_specific_expertise(body);
            }
            Kind::Meldgesprek | Kind::MeldgesprekOvergeslagen => self.report_conversation = true,
            _ => {}
        }
        if entry::answers_assessment(kind, body) {
            entry::apply_to_assessment(&mut self.assessment, kind, body);
            let advice = advise(&self.assessment);
            match advice {
                Advice::Report(norm) => {
                    // A report becomes due when the answers turn to reporting, and again when the
                    // help did not bring safety (question 5 "nee": report again). Answers that
                    // confirm a report already made do not make another one due.
                    let help_failed = kind == Kind::Evaluatie && value(keys::VRAAG5) == "nee";
                    if !self.advice_was_report || help_failed {
                        self.duty = Some(ReportDuty { norm, since: at });
                    }
                }
                // A later weighing that changes the answer lifts the duty: it is recorded, with its
                // reasons, in that weighing.
                _ => self.duty = None,
            }
            self.advice_was_report = matches!(advice, Advice::Report(_));
        }
    }

    fn report_made(&mut self) {
        self.reported = true;
        self.decided = true;
        self.duty = None;
    }

    /// Whether a report is due and not made: "melden nodig, nog niet gemeld".
    pub fn report_due(&self) -> bool {
        self.duty.is_some()
    }
}

/// Whether someone acting in `role` may add an entry of `kind` now to a dossier on `route` that is
/// open or not. Each route has its own kinds (the staff route leaves the stappenplan); a closed
/// dossier takes only corrections and reopening; help plans, closing, reopening and the staff
/// route's duties belong to the second line (`access::coordinates`), not to the teacher alone.
pub fn may_record(route: Route, role: Role, open: bool, kind: Kind) -> bool {
    may_record_as(route, role, false, open, kind)
}

/// [`may_record`] for someone who may also be the case manager of the dossier's help plan
/// (named as a colleague, `store::dossiers::members`). The risk level (`domain::risk`) is the
/// second line's judgement: the aandachtsfunctionaris's, or the case manager's who keeps the
/// direction of the help; a beroepskracht who is neither does not set it. It belongs to the
/// stappenplan: a dossier about a staff member follows its own duties.
pub fn may_record_as(route: Route, role: Role, case_manager: bool, open: bool, kind: Kind) -> bool {
    let on_route = match route {
        Route::Stappenplan => !matches!(kind, Kind::Medewerkerplicht),
        Route::Medewerker => matches!(
            kind,
            Kind::Signaal
                | Kind::Medewerkerplicht
                | Kind::Aanvulling
                | Kind::Politie
                | Kind::Gesloten
                | Kind::Heropend
        ),
    };
    let open_state = if kind == Kind::Heropend {
        !open
    } else {
        open || kind == Kind::Aanvulling
    };
    // The handover note for a deputy (domain::cover) is the aandachtsfunctionaris's, or the
    // deputy's who hands back: the second line of the stappenplan.
    let second_line_only = matches!(
        kind,
        Kind::Hulpplan
            | Kind::Gesloten
            | Kind::Heropend
            | Kind::Medewerkerplicht
            | Kind::Risico
            | Kind::Waarneemnotitie
    );
    let second_line = coordinates(role, route) || (case_manager && kind == Kind::Risico);
    on_route && open_state && (!second_line_only || second_line) && Kind::RECORDABLE.contains(&kind)
}

/// One entry as where-a-dossier-stands reads it.
#[derive(Debug, Clone, Copy)]
pub struct Recorded<'a> {
    pub id: EntryId,
    pub kind: Kind,
    pub body: &'a Body,
    /// When it was recorded (unix seconds).
    pub at: i64,
}

/// What comes next in the stappenplan, as the dossier page shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Next {
    /// What the afwegingskader says (the next question, or its advice).
    Afwegingskader(Advice),
    /// Reported to Veilig Thuis on `on`, and not weighed again since: Veilig Thuis's feedback is
    /// due by `feedback_due`, or has come.
    Reported {
        on: Date,
        feedback_due: Date,
        feedback_received: bool,
    },
}

/// What the meldcode asks next in an open stappenplan dossier, as its page says it
/// ("Volgende: gesprek met de leerling en/of de ouders"), with the step where it is recorded.
/// The order of steps 1 to 4 is not binding (DOMAIN.md), but each is gone through before a
/// decision; this names the first not gone through, then what the afwegingskader asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NextStep {
    Signals,
    Consultation,
    /// On the honour route: the consultation with specific expertise (LEC EGG or Veilig Thuis),
    /// before any conversation.
    SpecificExpertise,
    Conversation,
    Weighing,
    /// Answer this question of the afwegingskader (2 at step 4 or 5, 3 to 5 at step 5).
    Question(u8),
    /// A report is due and the conversation about it is not recorded yet.
    ReportConversation,
    Report,
    Feedback,
    HelpPlan,
    /// A help plan is recorded: evaluate it on its review date (question 5).
    Evaluation,
    CloseUnfounded,
    CloseWithMonitoring,
    /// Reported, and Veilig Thuis's feedback came: carry out what was agreed, then close.
    FollowAgreements,
}

impl NextStep {
    /// The words after "Volgende: ".
    pub fn label(self) -> String {
        match self {
            NextStep::Signals => "signalen vastleggen".into(),
            NextStep::Consultation => "overleg met de aandachtsfunctionaris".into(),
            NextStep::SpecificExpertise => {
                "overleg met specifieke deskundigheid (Veilig Thuis of het LEC EGG), vóór een gesprek met de leerling of de ouders".into()
            }
            NextStep::Conversation => "gesprek met de leerling en/of de ouders".into(),
            NextStep::Weighing => "wegen met het afwegingskader".into(),
            NextStep::Question(n) => format!("afwegingsvraag {n} beantwoorden"),
            NextStep::ReportConversation => {
                "gesprek over de melding, met de leerling en/of de ouders".into()
            }
            NextStep::Report => "melden bij Veilig Thuis".into(),
            NextStep::Feedback => "de terugkoppeling van Veilig Thuis vastleggen".into(),
            NextStep::HelpPlan => "een hulpplan vastleggen".into(),
            NextStep::Evaluation => {
                "de hulp evalueren op de evaluatiedatum van het hulpplan (afwegingsvraag 5)".into()
            }
            NextStep::CloseUnfounded => "het dossier sluiten: het vermoeden is ongegrond".into(),
            NextStep::CloseWithMonitoring => {
                "het dossier sluiten, met afspraken over het volgen van de veiligheid".into()
            }
            NextStep::FollowAgreements => {
                "doen wat met Veilig Thuis is afgesproken, en daarna het dossier sluiten".into()
            }
        }
    }

    /// The entry that records it, whose form the "Volgende" link opens.
    pub fn kind(self) -> Kind {
        match self {
            NextStep::Signals => Kind::Signaal,
            NextStep::Consultation | NextStep::SpecificExpertise => Kind::Consultatie,
            NextStep::Conversation => Kind::Gesprek,
            NextStep::Weighing | NextStep::Question(..=2) => Kind::Weging,
            NextStep::Question(3 | 4) => Kind::Besluit,
            NextStep::Question(_) | NextStep::Evaluation => Kind::Evaluatie,
            NextStep::ReportConversation => Kind::Meldgesprek,
            NextStep::Report => Kind::Melding,
            NextStep::Feedback => Kind::Terugkoppeling,
            NextStep::HelpPlan => Kind::Hulpplan,
            NextStep::CloseUnfounded
            | NextStep::CloseWithMonitoring
            | NextStep::FollowAgreements => Kind::Gesloten,
        }
    }

    /// The step whose page records it (closing is on the dossier's own page).
    pub fn step(self) -> Option<Step> {
        match self {
            NextStep::Signals => Some(Step::Signalen),
            NextStep::Consultation | NextStep::SpecificExpertise => Some(Step::Consultatie),
            NextStep::Conversation => Some(Step::Gesprek),
            NextStep::Weighing => Some(Step::Wegen),
            NextStep::Question(2) => Some(Step::Wegen),
            NextStep::Question(_)
            | NextStep::ReportConversation
            | NextStep::Report
            | NextStep::Feedback
            | NextStep::HelpPlan
            | NextStep::Evaluation => Some(Step::Beslissen),
            NextStep::CloseUnfounded
            | NextStep::CloseWithMonitoring
            | NextStep::FollowAgreements => None,
        }
    }
}

/// The next step of a dossier from the same facts [`status`] reads: the steps gone through, the
/// standing, and where the afwegingskader or a report stands. `None` when `next` is (closed, or
/// the staff route, which has its own duties in order).
pub fn next_step(
    done: &BTreeSet<Step>,
    standing: &Standing,
    next: Option<Next>,
) -> Option<NextStep> {
    let next = next?;
    let first_missing = [
        (Step::Signalen, NextStep::Signals),
        (Step::Consultatie, NextStep::Consultation),
        (Step::Gesprek, NextStep::Conversation),
        (Step::Wegen, NextStep::Weighing),
    ]
    .into_iter()
    .find(|(s, _)| !done.contains(s))
    .map(|(_, n)| n);
    Some(match next {
        Next::Reported {
            feedback_received: false,
            ..
        } => NextStep::Feedback,
        Next::Reported { .. } => NextStep::FollowAgreements,
        Next::Afwegingskader(advice) => match (first_missing, advice) {
            // A report that is due goes first: the meldnorm does not wait for missing steps,
            // but the conversation about it comes before it.
            (_, Advice::Report(_)) if !standing.report_conversation => NextStep::ReportConversation,
            (_, Advice::Report(_)) => NextStep::Report,
            (Some(missing), _) => missing,
            (None, Advice::Answer(n)) => NextStep::Question(n),
            (None, Advice::HelpPlan) if standing.plan_since_decision => NextStep::Evaluation,
            (None, Advice::HelpPlan) => NextStep::HelpPlan,
            (None, Advice::CloseUnfounded) => NextStep::CloseUnfounded,
            (None, Advice::CloseWithMonitoring) => NextStep::CloseWithMonitoring,
        },
    })
}

/// On the honour route the consultation with specific expertise comes before any conversation
/// (`domain::honour`): while it is missing, it is what comes next instead of the consultation or
/// a conversation (step 3, or the one before a report).
fn expertise_first(next: NextStep, expertise_missing: bool) -> NextStep {
    match next {
        NextStep::Consultation | NextStep::Conversation | NextStep::ReportConversation
            if expertise_missing =>
        {
            NextStep::SpecificExpertise
        }
        next => next,
    }
}

/// Where a dossier stands, as the pages show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    /// What the meldcode asks next ([`next_step`]).
    pub next_step: Option<NextStep>,
    pub standing: Standing,
    /// The number of entries per step, steps 1 to 5.
    pub step_counts: [(Step, usize); 5],
    /// Steps 1 to 4 not yet gone through before a decision to report.
    pub missing_before_report: Vec<Step>,
    /// `None` on a closed dossier and on the staff route.
    pub next: Option<Next>,
    /// A report without Veilig Thuis's feedback after its 5 working days.
    pub feedback_overdue: bool,
    /// The latest help plan's review date, passed without an evaluation.
    pub review_overdue: Option<Date>,
    /// On the honour route (`domain::honour`), and no consultation with specific expertise.
    pub expertise_missing: bool,
    /// "Melden nodig, nog niet gemeld" (open stappenplan dossiers only).
    pub report_due: Option<ReportDuty>,
    /// Step 5 as an ordered checklist with its marks (stappenplan dossiers only).
    pub step5: Vec<(Task, Mark)>,
}

/// Step 5 starts from step 4: the decision's form opens with question 2 (acute and/or structural
/// unsafety) as the latest weighing answered it, with its reasons, to be confirmed or changed.
/// The weighing it came from, and the values; `None` when no weighing answered question 2.
pub fn decision_from_weighing(entries: &[Recorded]) -> Option<(EntryId, Body)> {
    let weighing = entries.iter().rev().find(|e| {
        e.kind == Kind::Weging && e.body.get(keys::VRAAG2).is_some_and(|v| !v.is_empty())
    })?;
    let carried = [keys::VRAAG2, keys::VRAAG2_TOELICHTING]
        .into_iter()
        .filter_map(|k| Some((k.to_string(), weighing.body.get(k)?.clone())))
        .collect();
    Some((weighing.id, carried))
}

/// Where a dossier on `route` about `forms`, open or not, stands on `today`, from its entries
/// (oldest first).
pub fn status(
    route: Route,
    forms: &[Form],
    open: bool,
    entries: &[Recorded],
    today: Date,
) -> Status {
    let standing = Standing::of(entries.iter().map(|e| (e.kind, e.body, e.at)));
    let count = |s: Step| entries.iter().filter(|e| e.kind.step() == Some(s)).count();
    let done: BTreeSet<Step> = entries.iter().filter_map(|e| e.kind.step()).collect();
    let date = |e: &Recorded, key: &str| e.body.get(key).and_then(|d| entry::parse_date(d));
    let later = |after: EntryId, kinds: &[Kind]| {
        entries
            .iter()
            .any(|e| e.id > after && kinds.contains(&e.kind))
    };

    // DOMAIN.md: after a report Veilig Thuis gives feedback within 5 working days.
    let last_report = entries.iter().rev().find(|e| e.kind == Kind::Melding);
    let reported = last_report.and_then(|r| Some((r.id, date(r, keys::DATUM)?)));
    let feedback_received = reported.is_some_and(|(id, _)| later(id, &[Kind::Terugkoppeling]));
    let feedback_overdue = open
        && reported.is_some_and(|(_, on)| dossier::feedback_overdue(on, today, feedback_received));

    // The afwegingskader's next step; after a report, where the report stands, unless the
    // questions were answered again since.
    let next = match (open, route, reported) {
        (false, _, _) | (_, Route::Medewerker, _) => None,
        (true, Route::Stappenplan, Some((id, on)))
            if !later(id, &[Kind::Weging, Kind::Besluit, Kind::Evaluatie]) =>
        {
            Some(Next::Reported {
                on,
                feedback_due: dossier::add_working_days(on, dossier::FEEDBACK_WORKING_DAYS),
                feedback_received,
            })
        }
        _ => Some(Next::Afwegingskader(advise(&standing.assessment))),
    };

    // A help plan is evaluated (question 5) on its review date.
    let last_plan = entries.iter().rev().find(|e| e.kind == Kind::Hulpplan);
    let evaluated = last_plan.is_some_and(|plan| later(plan.id, &[Kind::Evaluatie]));
    let review_overdue = last_plan.and_then(|plan| {
        let review = date(plan, keys::EVALUATIEDATUM)?;
        (open && !later(plan.id, &[Kind::Evaluatie]) && review < today).then_some(review)
    });

    // DOMAIN.md, step 2: FGM and honour-related violence (and forced marriage) need specific
    // expertise.
    let expertise_missing = open && honour::applies(forms) && !standing.specific_expertise;

    let report_due = standing
        .duty
        .filter(|_| open && route == Route::Stappenplan);
    let next_step =
        next_step(&done, &standing, next).map(|n| expertise_first(n, expertise_missing));
    // Within step 5 the order of steps 1 to 4 does not hold it up: its list marks what the
    // afwegingskader or the report asks now.
    let all_steps: BTreeSet<Step> = Step::ALL.into_iter().collect();
    let step5 = match route {
        Route::Stappenplan => checklist(
            &standing,
            Facts {
                feedback_received,
                evaluated,
                next: self::next_step(&all_steps, &standing, next),
            },
        ),
        Route::Medewerker => Vec::new(),
    };
    Status {
        next_step,
        step5,
        step_counts: Step::ALL.map(|s| (s, count(s))),
        missing_before_report: missing_before_report(&done),
        next,
        feedback_overdue,
        review_overdue,
        expertise_missing,
        report_due,
        standing,
    }
}

/// What is kept beside a dossier by every entry that can change it (the help plan's review date
/// and Veilig Thuis's feedback date by `entry::assessment::state_change`, the report duty by
/// [`Standing`]): enough for a list of many dossiers to say what is overdue without reading one
/// entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Kept {
    /// The latest help plan's review date, until the review (vraag 5) is recorded.
    pub review_due: Option<Date>,
    /// The day after which Veilig Thuis's feedback is late, until it is recorded.
    pub feedback_due: Option<Date>,
    /// When the latest entry was recorded (unix seconds).
    pub last_entry_at: i64,
    /// Since when a report is due and not made (unix seconds).
    pub report_due_since: Option<i64>,
    /// The furthest step with an entry (`None`: none yet), and when it had its first.
    pub furthest_step: Option<u8>,
    pub step_reached_at: i64,
}

/// What in an open dossier asks for its coordinator's attention: what the workspace lists and
/// the hourly reminder is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Attention {
    /// "Melden nodig, nog niet gemeld", since this moment (unix seconds).
    pub report_due_since: Option<i64>,
    /// The help plan's review date, passed without the review.
    pub review_overdue: Option<Date>,
    /// Veilig Thuis's feedback is late (DOMAIN.md: within 5 working days of the report).
    pub feedback_overdue: bool,
    /// No entry for the organisation's [`dossier::QuietDays`].
    pub quiet: bool,
    /// The step a dossier stands still in: entries come, but for the organisation's quiet days
    /// no step further than this one was reached (before step 5; step 5's own duties have their
    /// dates). `Some(0)`: opened that long ago and still no step gone through.
    pub standing_still: Option<u8>,
}

impl Attention {
    /// Whether anything asks for attention (with `open_requests`, the teachers' open requests
    /// for a consultation).
    pub fn any(&self, open_requests: i64) -> bool {
        self.weight(open_requests) > 0 || self.report_due_since.is_some()
    }

    /// How many kinds of thing are overdue: the workspace shows the most overdue first, after
    /// every dossier with a report due.
    pub fn weight(&self, open_requests: i64) -> u8 {
        u8::from(self.review_overdue.is_some())
            + u8::from(self.feedback_overdue)
            + u8::from(self.quiet)
            + u8::from(self.standing_still.is_some())
            + u8::from(open_requests > 0)
    }
}

/// The moment before which an open dossier's latest entry makes it quiet, with the
/// organisation's number of days.
pub fn quiet_since(now: i64, quiet: dossier::QuietDays) -> i64 {
    quiet.since(now)
}

/// What asks for attention in an open dossier with this kept state, on `today` at `now`, with the
/// organisation's number of quiet days. A date is overdue from the day after it (a review planned
/// for today is not late yet).
pub fn attention(kept: &Kept, today: Date, now: i64, quiet: dossier::QuietDays) -> Attention {
    Attention {
        report_due_since: kept.report_due_since,
        review_overdue: kept.review_due.filter(|due| *due < today),
        feedback_overdue: kept.feedback_due.is_some_and(|due| due < today),
        quiet: kept.last_entry_at < quiet_since(now, quiet),
        standing_still: standing_still(kept, now, quiet),
    }
}

/// The step an open dossier stands still in (issue 18): the furthest step reached is not yet
/// step 5 and was reached longer ago than the organisation's quiet days, while entries still
/// come (a dossier without entries for that long is quiet, which says more). The meldcode's
/// steps are meant to follow each other; a dossier that keeps gathering signals in step 1 without
/// a consultation is what this brings to the coordinator's attention.
pub fn standing_still(kept: &Kept, now: i64, quiet: dossier::QuietDays) -> Option<u8> {
    let since = quiet_since(now, quiet);
    let step = kept.furthest_step.unwrap_or(0);
    (step < 5 && kept.step_reached_at < since && kept.last_entry_at >= since).then_some(step)
}

/// What the meldnorm says, briefly, for messages that name it.
pub fn norm_reason(norm: Meldnorm) -> &'static str {
    match norm {
        Meldnorm::Onveiligheid => "er is (twijfel over) acute en/of structurele onveiligheid",
        Meldnorm::GeenEffectieveHulp => "de school kan geen effectieve hulp bieden of organiseren",
        Meldnorm::HulpNietGeaccepteerd => "de betrokkenen aanvaarden de hulp niet",
        Meldnorm::HulpWerktNiet => "de hulp bracht niet binnen de termijn de nodige veiligheid",
        Meldnorm::Onthulling => "de leerling vertelde zelf over onveiligheid thuis",
    }
}

/// Whether the dossier's history lets this entry be recorded now: the stappenplan's rules on the
/// standing, then the staff route's duties (`domain::staff`). `history` is the dossier's entries,
/// oldest first, as (kind, body, recorded at). The messages are Dutch and name the field they are
/// about, so the form comes back with them and with the user's text.
pub fn admit(
    kind: Kind,
    body: &Body,
    route: Route,
    forms: &[Form],
    history: &[(Kind, &Body, i64)],
) -> FieldErrors {
    let standing = Standing::of(history.iter().copied());
    let errors = refusals(kind, body, route, &standing);
    if !errors.is_empty() {
        return errors;
    }
    // The honour route: specific expertise before any conversation, and no conversation with the
    // parents that could raise the danger.
    if let Some(refused) = honour::refusal(kind, body, forms, standing.specific_expertise) {
        return vec![refused];
    }
    let earlier: Vec<(Kind, &Body)> = history.iter().map(|(k, b, _)| (*k, *b)).collect();
    super::staff::staff_route_rules(route, forms, kind, body, &earlier)
}

/// The refusals that follow from the standing alone (closing, reopening and reporting).
pub fn refusals(kind: Kind, body: &Body, route: Route, s: &Standing) -> FieldErrors {
    let mut errors = FieldErrors::new();
    let mut refuse = |key: &'static str, msg: String| errors.push((key, msg));
    let value = |k: &str| body.get(k).map_or("", String::as_str);
    // Two people closing (or reopening) at once: the second finds it already done.
    if kind == Kind::Gesloten && !s.open {
        refuse(keys::REDEN, "Dit dossier is al gesloten.".into());
        return errors;
    }
    if kind == Kind::Heropend && s.open {
        refuse(keys::REDEN, "Dit dossier is al open.".into());
        return errors;
    }
    // A dossier merged into another goes on there: reopening it would split the concern again.
    if kind == Kind::Heropend && s.closed_as == Some(CloseReason::Samengevoegd) {
        refuse(
            keys::REDEN,
            "Dit dossier is samengevoegd met een ander dossier over deze leerling. Ga verder in dat dossier.".into(),
        );
        return errors;
    }
    match kind {
        Kind::Gesloten if route == Route::Stappenplan => {
            // The meldnorm, up to closing: while a report is due, no closing reason stands in for
            // it: not "help succeeded", not a help plan, not "the pupil left".
            if let Some(duty) = s.duty {
                refuse(
                    keys::REDEN,
                    format!(
                        "Melden bij Veilig Thuis is nodig: {}. Sluit het dossier pas als de melding is vastgelegd (stap 5), of als een nieuwe weging met onderbouwing tot een ander antwoord leidt.",
                        norm_reason(duty.norm)
                    ),
                );
                return errors;
            }
            match CloseReason::parse(value(keys::REDEN)) {
                Some(CloseReason::OverdrachtNaMelding) if !s.reported => refuse(
                    keys::REDEN,
                    "Er is geen melding bij Veilig Thuis vastgelegd. Leg eerst de melding vast bij stap 5, of kies een andere reden.".into(),
                ),
                Some(CloseReason::Ongegrond) => closing_unfounded(body, s, &mut refuse),
                _ => {}
            }
        }
        // DOMAIN.md, step 5: first the decision (is reporting necessary? is help possible?), then
        // the help: a help plan without a decision since the latest weighing skips the first.
        Kind::Hulpplan if !s.decided => refuse(
            keys::HULP,
            "Leg eerst het besluit vast (stap 5, \u{201c}Besluit over melden en hulp\u{201d}): is melden nodig, en kan de school hulp bieden of organiseren? Daarna legt u het hulpplan vast.".into(),
        ),
        // Question 5 asks whether the help works: it needs the help plan it evaluates.
        Kind::Evaluatie if !s.help_planned => refuse(
            keys::VRAAG5,
            "Er is nog geen hulpplan vastgelegd. Afwegingsvraag 5 beoordeelt of de afgesproken hulp werkt: leg eerst het hulpplan vast.".into(),
        ),
        Kind::Melding if s.weighing_needed => refuse(
            keys::DATUM,
            "Dit dossier was gesloten omdat het vermoeden ongegrond bleek, en is daarna heropend. Leg eerst een nieuwe weging vast (stap 4) voordat u meldt. Is er acuut gevaar? Gebruik dan de noodknop.".into(),
        ),
        // DOMAIN.md, step 5: before a report the school talks it through with the pupil and/or the
        // parents, or records why not (the same two reasons as in step 3); a report made in acute
        // danger records that ground on the report itself.
        Kind::Melding
            if !s.report_conversation
                && !matches!(
                    value(keys::ONTBREKENDE_GROND),
                    "acuut" | "veiligheid" | "contact_verbreken"
                ) =>
        {
            refuse(
                keys::DATUM,
                "Voer eerst het gesprek over de melding met de leerling en/of de ouders, en leg het vast bij stap 5 (\u{201c}Gesprek over de melding\u{201d}). Kan het gesprek niet, omdat het de veiligheid in gevaar brengt of het contact zou verbreken? Leg dat dan vast als \u{201c}Gesprek over de melding niet gevoerd\u{201d}.".into(),
            )
        }
        Kind::Heropend
            if s.closed_as == Some(CloseReason::Ongegrond) && value(keys::NIEUWE_SIGNALEN).is_empty() =>
        {
            refuse(
                keys::NIEUWE_SIGNALEN,
                "Het dossier was gesloten omdat het vermoeden ongegrond bleek. Beschrijf de nieuwe signalen die tot heropenen leiden.".into(),
            )
        }
        _ => {}
    }
    errors
}

/// Closing as unfounded agrees with the record: not against a weighing that found a suspicion, and
/// without a weighing only on a ground the dossier shows (the conversation or the consultation
/// took the concern away).
fn closing_unfounded(body: &Body, s: &Standing, refuse: &mut impl FnMut(&'static str, String)) {
    match s.assessment.q1_suspicion {
        Some(true) => refuse(
            keys::REDEN,
            "Volgens de laatste weging is er wel een vermoeden (afwegingsvraag 1: ja). Bleek het toch ongegrond? Leg dat eerst vast in een nieuwe weging bij stap 4, met de onderbouwing.".into(),
        ),
        Some(false) => {}
        None => match body.get(keys::GROND).map(String::as_str) {
            None | Some("") => refuse(
                keys::GROND,
                "Er is geen weging vastgelegd: kies waaruit bleek dat het vermoeden ongegrond is.".into(),
            ),
            Some("gesprek") if !s.conversation => refuse(
                keys::GROND,
                "Er is nog geen gesprek vastgelegd bij stap 3. Leg het gesprek eerst vast.".into(),
            ),
            Some("consultatie") if !s.consultation => refuse(
                keys::GROND,
                "Er is nog geen collegiale consultatie vastgelegd bij stap 2. Leg die eerst vast.".into(),
            ),
            Some(_) => {}
        },
    }
}

#[cfg(test)]
mod tests;
