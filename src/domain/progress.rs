//! Where a dossier stands under the meldcode, as far as its history decides what may be recorded
//! next: whether a report to Veilig Thuis is due and not made (the meldnorm), and which entries
//! would contradict the record (closing against the meldnorm, closing as unfounded against the
//! weighing, reporting after an unfounded closing without a new weighing).
//!
//! [`Standing`] is built from a dossier's entries, oldest first, one [`Standing::apply`] each; the
//! store does that inside the write transaction, so the decision [`admit`] makes cannot be
//! overtaken by a concurrent write. The pages ask the same functions, so what a page says and
//! what a form accepts cannot disagree.

use super::dossier::{Advice, Assessment, CloseReason, Form, Meldnorm, Route, advise};
use super::entry::{self, Body, FieldErrors, Kind, keys};

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
        let s = standing(&entries);
        assert!(refusals(Kind::Melding, &body(&[]), Route::Stappenplan, &s).is_empty());
        assert!(s.report_due(), "the new weighing makes the report due");
    }
}
