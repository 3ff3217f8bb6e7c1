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
use super::role::Role;

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
    /// Whether the conversation about a report was recorded, held or skipped with its reason.
    pub report_conversation: bool,
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
            report_conversation: false,
            advice_was_report: false,
        }
    }
}

/// Whether recording this entry needs the dossier's history: the entries [`admit`] decides on,
/// and those that can change whether a report is due.
pub fn needs_history(kind: Kind, body: &Body) -> bool {
    matches!(
        kind,
        Kind::Melding | Kind::Gesloten | Kind::Heropend | Kind::Medewerkerplicht
    ) || entry::answers_assessment(kind, body)
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
            Kind::Heropend => {
                self.weighing_needed |= self.closed_as == Some(CloseReason::Ongegrond);
                self.open = true;
                self.closed_as = None;
            }
            Kind::Weging => self.weighing_needed = false,
            Kind::Gesprek => self.conversation = true,
            Kind::Consultatie => self.consultation = true,
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
    let second_line_only = matches!(
        kind,
        Kind::Hulpplan | Kind::Gesloten | Kind::Heropend | Kind::Medewerkerplicht
    );
    on_route
        && open_state
        && (!second_line_only || coordinates(role, route))
        && Kind::RECORDABLE.contains(&kind)
}

/// One entry as where-a-dossier-stands reads it.
#[derive(Debug, Clone, Copy)]
pub struct Recorded<'a> {
    pub id: i64,
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

/// Where a dossier stands, as the pages show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
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
    /// Suspected FGM or honour-related violence, and no consultation with specific expertise.
    pub expertise_missing: bool,
    /// "Melden nodig, nog niet gemeld" (open stappenplan dossiers only).
    pub report_due: Option<ReportDuty>,
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
    let later = |after: i64, kinds: &[Kind]| {
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
    let review_overdue = last_plan.and_then(|plan| {
        let review = date(plan, keys::EVALUATIEDATUM)?;
        (open && !later(plan.id, &[Kind::Evaluatie]) && review < today).then_some(review)
    });

    // DOMAIN.md, step 2: FGM and honour-related violence need specific expertise.
    let expertise_missing = open
        && forms.iter().any(|f| f.needs_specific_expertise())
        && !entries
            .iter()
            .any(|e| e.kind == Kind::Consultatie && e.body.contains_key(keys::DESKUNDIGE));

    let report_due = standing
        .duty
        .filter(|_| open && route == Route::Stappenplan);
    Status {
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
mod tests {
    use super::*;

    fn body(pairs: &[(&str, &str)]) -> Body {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn standing(entries: &[(Kind, Body)]) -> Standing {
        Standing::of(
            entries
                .iter()
                .enumerate()
                .map(|(i, (k, b))| (*k, b, 1000 + i as i64)),
        )
    }

    fn weighing(q1: &str, q2: &str) -> (Kind, Body) {
        (Kind::Weging, body(&[("vraag1", q1), ("vraag2", q2)]))
    }

    fn close(reason: &str) -> Body {
        body(&[("reden", reason), ("toelichting", "t"), ("monitoring", "m")])
    }

    fn keys(errors: FieldErrors) -> Vec<&'static str> {
        errors.into_iter().map(|(k, _)| k).collect()
    }

    #[test]
    fn meldnorm_doubt_about_unsafety_makes_a_report_due_from_the_weighing() {
        let s = standing(&[weighing("ja", "twijfel")]);
        assert_eq!(
            s.duty,
            Some(ReportDuty {
                norm: Meldnorm::Onveiligheid,
                since: 1000
            })
        );
    }

    #[test]
    fn meldnorm_a_dossier_that_must_be_reported_cannot_close_before_the_report() {
        let s = standing(&[weighing("ja", "twijfel")]);
        for reason in [
            "hulp_geslaagd",
            "ongegrond",
            "overdracht_na_melding",
            "leerling_vertrokken",
        ] {
            assert_eq!(
                keys(refusals(
                    Kind::Gesloten,
                    &close(reason),
                    Route::Stappenplan,
                    &s
                )),
                vec!["reden"],
                "{reason}"
            );
        }
    }

    #[test]
    fn meldnorm_a_help_plan_does_not_stand_in_for_the_report() {
        let s = standing(&[
            weighing("ja", "ja"),
            (Kind::Hulpplan, body(&[("hulp", "h")])),
        ]);
        assert!(s.report_due());
        assert!(
            !refusals(
                Kind::Gesloten,
                &close("hulp_geslaagd"),
                Route::Stappenplan,
                &s
            )
            .is_empty()
        );
    }

    #[test]
    fn meldnorm_a_recorded_report_meets_the_duty_and_the_dossier_may_close() {
        let s = standing(&[weighing("ja", "ja"), (Kind::Melding, body(&[]))]);
        assert!(!s.report_due());
        assert!(
            refusals(
                Kind::Gesloten,
                &close("overdracht_na_melding"),
                Route::Stappenplan,
                &s
            )
            .is_empty()
        );
    }

    #[test]
    fn meldnorm_an_emergency_call_to_veilig_thuis_counts_as_the_report() {
        let s = standing(&[
            (Kind::Noodmelding, body(&[("gebeld", "veilig_thuis")])),
            weighing("ja", "ja"),
        ]);
        assert!(s.reported);
        let police_only = standing(&[(Kind::Noodmelding, body(&[("gebeld", "112")]))]);
        assert!(!police_only.reported);
    }

    #[test]
    fn meldnorm_a_later_weighing_with_its_reasons_can_change_the_answer() {
        let s = standing(&[weighing("ja", "twijfel"), weighing("ja", "nee")]);
        assert!(!s.report_due());
        let s = standing(&[weighing("ja", "ja"), weighing("nee", "")]);
        assert!(!s.report_due());
    }

    #[test]
    fn meldnorm_confirming_answers_after_a_report_do_not_make_another_due() {
        let s = standing(&[
            weighing("ja", "ja"),
            (Kind::Melding, body(&[])),
            (Kind::Besluit, body(&[("vraag2", "ja")])),
        ]);
        assert!(!s.report_due());
    }

    #[test]
    fn meldnorm_help_that_does_not_work_makes_a_report_due_again() {
        let s = standing(&[
            weighing("ja", "nee"),
            (
                Kind::Besluit,
                body(&[("vraag2", "nee"), ("vraag3", "ja"), ("vraag4", "ja")]),
            ),
            (Kind::Evaluatie, body(&[("vraag5", "nee")])),
        ]);
        assert_eq!(s.duty.map(|d| d.norm), Some(Meldnorm::HulpWerktNiet));
        assert_eq!(s.duty.map(|d| d.since), Some(1002));
    }

    #[test]
    fn meldnorm_no_help_possible_or_not_accepted_makes_a_report_due() {
        let s = standing(&[
            weighing("ja", "nee"),
            (Kind::Besluit, body(&[("vraag2", "nee"), ("vraag3", "nee")])),
        ]);
        assert_eq!(s.duty.map(|d| d.norm), Some(Meldnorm::GeenEffectieveHulp));
        let s = standing(&[
            weighing("ja", "nee"),
            (
                Kind::Besluit,
                body(&[("vraag2", "nee"), ("vraag3", "ja"), ("vraag4", "nee")]),
            ),
        ]);
        assert_eq!(s.duty.map(|d| d.norm), Some(Meldnorm::HulpNietGeaccepteerd));
    }

    #[test]
    fn meldnorm_a_disclosure_by_the_child_makes_a_report_due() {
        let s = standing(&[
            weighing("ja", "nee"),
            (Kind::Signaal, body(&[("onthulling", "ja")])),
        ]);
        assert_eq!(s.duty.map(|d| d.norm), Some(Meldnorm::Onthulling));
    }

    #[test]
    fn a_staff_dossier_follows_the_staff_route_rules_through_the_same_admission() {
        let history: Vec<(Kind, Body, i64)> = vec![];
        let refs: Vec<(Kind, &Body, i64)> = history.iter().map(|(k, b, t)| (*k, b, *t)).collect();
        let aangifte = body(&[
            ("plicht", "aangifte"),
            ("datum", "2026-11-27"),
            ("toelichting", "t"),
        ]);
        assert!(
            !admit(
                Kind::Medewerkerplicht,
                &aangifte,
                Route::Medewerker,
                &[Form::Seksueel],
                &refs
            )
            .is_empty(),
            "an aangifte before the inspector's consultation is refused"
        );
    }

    fn recorded(entries: &[(Kind, Body, i64)]) -> Vec<Recorded<'_>> {
        entries
            .iter()
            .enumerate()
            .map(|(i, (kind, body, at))| Recorded {
                id: i as i64 + 1,
                kind: *kind,
                body,
                at: *at,
            })
            .collect()
    }

    const DAY: i64 = 24 * 3600;

    #[test]
    fn feedback_from_veilig_thuis_is_overdue_after_five_working_days_until_it_is_recorded() {
        use time::macros::date;
        // Reported on Thursday 26 November 2026: due Thursday 3 December.
        let mut entries = vec![(Kind::Melding, body(&[("datum", "2026-11-26")]), 0)];
        let on = |entries: &[(Kind, Body, i64)], today| {
            status(Route::Stappenplan, &[], true, &recorded(entries), today)
        };
        assert!(!on(&entries, date!(2026 - 12 - 03)).feedback_overdue);
        assert!(on(&entries, date!(2026 - 12 - 04)).feedback_overdue);
        assert_eq!(
            on(&entries, date!(2026 - 12 - 04)).next,
            Some(Next::Reported {
                on: date!(2026 - 11 - 26),
                feedback_due: date!(2026 - 12 - 03),
                feedback_received: false
            })
        );
        entries.push((Kind::Terugkoppeling, body(&[("datum", "2026-12-04")]), DAY));
        assert!(!on(&entries, date!(2026 - 12 - 10)).feedback_overdue);
        let closed = status(
            Route::Stappenplan,
            &[],
            false,
            &recorded(&entries[..1]),
            date!(2026 - 12 - 10),
        );
        assert!(
            !closed.feedback_overdue,
            "a closed dossier has nothing overdue"
        );
    }

    #[test]
    fn a_help_plan_is_overdue_after_its_review_date_until_question_5_is_answered() {
        use time::macros::date;
        let mut entries = vec![(Kind::Hulpplan, body(&[("evaluatiedatum", "2026-12-01")]), 0)];
        let on = |entries: &[(Kind, Body, i64)], today| {
            status(Route::Stappenplan, &[], true, &recorded(entries), today).review_overdue
        };
        assert_eq!(on(&entries, date!(2026 - 12 - 01)), None);
        assert_eq!(
            on(&entries, date!(2026 - 12 - 02)),
            Some(date!(2026 - 12 - 01))
        );
        entries.push((Kind::Evaluatie, body(&[("vraag5", "ja")]), DAY));
        assert_eq!(on(&entries, date!(2026 - 12 - 02)), None);
    }

    #[test]
    fn fgm_or_honour_related_violence_without_specific_expertise_is_flagged() {
        use time::macros::date;
        let today = date!(2026 - 12 - 02);
        let consult = vec![(Kind::Consultatie, body(&[("met", "collega")]), 0)];
        let flagged = |forms: &[Form], entries: &[(Kind, Body, i64)]| {
            status(Route::Stappenplan, forms, true, &recorded(entries), today).expertise_missing
        };
        assert!(flagged(&[Form::Eergerelateerd], &consult));
        assert!(!flagged(&[Form::Lichamelijk], &consult));
        let expert = vec![(Kind::Consultatie, body(&[("deskundige", "Mw. Yilmaz")]), 0)];
        assert!(!flagged(&[Form::Meisjesbesnijdenis], &expert));
    }

    #[test]
    fn the_afwegingskader_says_what_is_next_and_nothing_on_a_closed_or_staff_dossier() {
        use time::macros::date;
        let today = date!(2026 - 12 - 02);
        let (k, b) = weighing("ja", "nee");
        let entries = vec![(k, b, 0)];
        let next = |route, open| status(route, &[], open, &recorded(&entries), today).next;
        assert_eq!(
            next(Route::Stappenplan, true),
            Some(Next::Afwegingskader(Advice::Answer(3)))
        );
        assert_eq!(next(Route::Stappenplan, false), None);
        assert_eq!(next(Route::Medewerker, true), None);
        let s = status(Route::Stappenplan, &[], true, &recorded(&entries), today);
        assert_eq!(s.step_counts[3], (Step::Wegen, 1));
        assert_eq!(
            s.missing_before_report,
            vec![Step::Signalen, Step::Consultatie, Step::Gesprek]
        );
    }

    #[test]
    fn a_report_due_shows_only_on_an_open_stappenplan_dossier() {
        use time::macros::date;
        let today = date!(2026 - 12 - 02);
        let (k, b) = weighing("ja", "ja");
        let entries = vec![(k, b, 0)];
        let due = |route, open| status(route, &[], open, &recorded(&entries), today).report_due;
        assert!(due(Route::Stappenplan, true).is_some());
        assert!(due(Route::Stappenplan, false).is_none());
        assert!(due(Route::Medewerker, true).is_none());
    }

    #[test]
    fn help_plans_closing_and_reopening_belong_to_the_second_line() {
        for kind in [Kind::Hulpplan, Kind::Gesloten] {
            assert!(!may_record(
                Route::Stappenplan,
                Role::Beroepskracht,
                true,
                kind
            ));
            assert!(may_record(
                Route::Stappenplan,
                Role::Aandachtsfunctionaris,
                true,
                kind
            ));
        }
        assert!(may_record(
            Route::Stappenplan,
            Role::Aandachtsfunctionaris,
            false,
            Kind::Heropend
        ));
        assert!(!may_record(
            Route::Stappenplan,
            Role::Aandachtsfunctionaris,
            true,
            Kind::Heropend
        ));
        assert!(may_record(
            Route::Stappenplan,
            Role::Beroepskracht,
            true,
            Kind::Signaal
        ));
    }

    #[test]
    fn a_closed_dossier_takes_only_corrections_and_reopening() {
        let role = Role::Aandachtsfunctionaris;
        let allowed: Vec<Kind> = Kind::RECORDABLE
            .into_iter()
            .filter(|k| may_record(Route::Stappenplan, role, false, *k))
            .collect();
        assert_eq!(allowed, vec![Kind::Aanvulling, Kind::Heropend]);
    }

    #[test]
    fn the_staff_route_leaves_the_stappenplan_and_its_duties_are_directies() {
        assert!(!may_record(
            Route::Medewerker,
            Role::Directie,
            true,
            Kind::Weging
        ));
        assert!(may_record(
            Route::Medewerker,
            Role::Directie,
            true,
            Kind::Medewerkerplicht
        ));
        assert!(!may_record(
            Route::Medewerker,
            Role::Beroepskracht,
            true,
            Kind::Medewerkerplicht
        ));
        assert!(!may_record(
            Route::Stappenplan,
            Role::Aandachtsfunctionaris,
            true,
            Kind::Medewerkerplicht
        ));
        assert!(may_record(
            Route::Medewerker,
            Role::Beroepskracht,
            true,
            Kind::Signaal
        ));
    }

    #[test]
    fn a_report_needs_the_conversation_about_it_or_a_lawful_reason_to_skip_it() {
        let weighed = standing(&[weighing("ja", "ja")]);
        let report = body(&[("datum", "2026-11-27")]);
        assert_eq!(
            keys(refusals(
                Kind::Melding,
                &report,
                Route::Stappenplan,
                &weighed
            )),
            vec!["datum"]
        );
        let talked = standing(&[weighing("ja", "ja"), (Kind::Meldgesprek, body(&[]))]);
        assert!(refusals(Kind::Melding, &report, Route::Stappenplan, &talked).is_empty());
        let skipped = standing(&[
            weighing("ja", "ja"),
            (
                Kind::MeldgesprekOvergeslagen,
                body(&[("reden", "veiligheid")]),
            ),
        ]);
        assert!(refusals(Kind::Melding, &report, Route::Stappenplan, &skipped).is_empty());
        let acute = body(&[("datum", "2026-11-27"), ("ontbrekende_grond", "acuut")]);
        assert!(refusals(Kind::Melding, &acute, Route::Stappenplan, &weighed).is_empty());
    }

    #[test]
    fn closing_handed_over_after_a_report_needs_a_report() {
        let s = standing(&[]);
        assert_eq!(
            keys(refusals(
                Kind::Gesloten,
                &close("overdracht_na_melding"),
                Route::Stappenplan,
                &s
            )),
            vec!["reden"]
        );
    }

    #[test]
    fn closing_as_unfounded_against_a_weighing_that_found_a_suspicion_is_refused() {
        let s = standing(&[
            weighing("ja", "nee"),
            (
                Kind::Besluit,
                body(&[("vraag2", "nee"), ("vraag3", "ja"), ("vraag4", "ja")]),
            ),
        ]);
        assert_eq!(
            keys(refusals(
                Kind::Gesloten,
                &close("ongegrond"),
                Route::Stappenplan,
                &s
            )),
            vec!["reden"]
        );
        let s = standing(&[weighing("nee", "")]);
        assert!(refusals(Kind::Gesloten, &close("ongegrond"), Route::Stappenplan, &s).is_empty());
    }

    #[test]
    fn closing_as_unfounded_without_a_weighing_names_its_ground_in_the_record() {
        let none = standing(&[]);
        assert_eq!(
            keys(refusals(
                Kind::Gesloten,
                &close("ongegrond"),
                Route::Stappenplan,
                &none
            )),
            vec!["grond"]
        );
        let mut by_conversation = close("ongegrond");
        by_conversation.insert("grond".into(), "gesprek".into());
        assert_eq!(
            keys(refusals(
                Kind::Gesloten,
                &by_conversation,
                Route::Stappenplan,
                &none
            )),
            vec!["grond"],
            "the conversation must be on record"
        );
        let talked = standing(&[(Kind::Gesprek, body(&[]))]);
        assert!(
            refusals(
                Kind::Gesloten,
                &by_conversation,
                Route::Stappenplan,
                &talked
            )
            .is_empty()
        );
    }

    #[test]
    fn reopening_an_unfounded_dossier_asks_for_the_new_signals() {
        let s = standing(&[weighing("nee", ""), (Kind::Gesloten, close("ongegrond"))]);
        let plain = body(&[("reden", "Opnieuw zorgen")]);
        assert_eq!(
            keys(refusals(Kind::Heropend, &plain, Route::Stappenplan, &s)),
            vec!["nieuwe_signalen"]
        );
        let mut with_signals = plain.clone();
        with_signals.insert("nieuwe_signalen".into(), "Nieuwe blauwe plekken".into());
        assert!(refusals(Kind::Heropend, &with_signals, Route::Stappenplan, &s).is_empty());
    }

    #[test]
    fn a_report_after_reopening_an_unfounded_dossier_needs_a_new_weighing_first() {
        let mut entries = vec![
            weighing("nee", ""),
            (Kind::Gesloten, close("ongegrond")),
            (Kind::Heropend, body(&[("reden", "r")])),
        ];
        let s = standing(&entries);
        assert_eq!(
            keys(refusals(Kind::Melding, &body(&[]), Route::Stappenplan, &s)),
            vec!["datum"]
        );
        entries.push(weighing("ja", "ja"));
        entries.push((Kind::Meldgesprek, body(&[])));
        let s = standing(&entries);
        assert!(refusals(Kind::Melding, &body(&[]), Route::Stappenplan, &s).is_empty());
        assert!(s.report_due(), "the new weighing makes the report due");
    }
}
