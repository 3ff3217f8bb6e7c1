//! The rules of `domain::progress`, each test named after its rule.

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
            id: EntryId::from(i as i64 + 1),
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
    assert!(flagged(&[Form::Huwelijksdwang], &consult));
    assert!(!flagged(&[Form::Lichamelijk], &consult));
    let expert = vec![(Kind::Consultatie, body(&[("deskundige", "Mw. Yilmaz")]), 0)];
    assert!(!flagged(&[Form::Meisjesbesnijdenis], &expert));
    let lec_egg = vec![(Kind::Consultatie, body(&[("met", "lec_egg")]), 0)];
    assert!(!flagged(&[Form::Huwelijksdwang], &lec_egg));
}

#[test]
fn on_the_honour_route_a_conversation_is_refused_until_specific_expertise_and_with_parents_until_judged_safe()
 {
    let forms = [Form::Eergerelateerd];
    let (af, lec) = (
        body(&[("met", "aandachtsfunctionaris")]),
        body(&[("met", "lec_egg")]),
    );
    let parents = body(&[("met", "ouders")]);
    let judged_safe = body(&[("met", "ouders"), ("veilig_met_ouders", "ja")]);
    let only_af = [(Kind::Consultatie, &af, 1)];
    let with_lec = [(Kind::Consultatie, &af, 1), (Kind::Consultatie, &lec, 2)];
    for kind in [Kind::Gesprek, Kind::Meldgesprek] {
        assert!(
            needs_history(kind, &parents, &forms),
            "decided in the write"
        );
        assert_eq!(
            keys(admit(
                kind,
                &judged_safe,
                Route::Stappenplan,
                &forms,
                &only_af
            )),
            vec!["met"],
            "{kind:?}: specific expertise first"
        );
        assert_eq!(
            keys(admit(kind, &parents, Route::Stappenplan, &forms, &with_lec)),
            vec!["veilig_met_ouders"],
            "{kind:?}: the parents only when judged safe"
        );
        assert!(admit(kind, &judged_safe, Route::Stappenplan, &forms, &with_lec).is_empty());
        // An ordinary dossier is not held back.
        let ordinary = [Form::Lichamelijk];
        assert!(!needs_history(kind, &parents, &ordinary));
        assert!(admit(kind, &parents, Route::Stappenplan, &ordinary, &[]).is_empty());
    }
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
fn the_risk_level_is_set_by_the_aandachtsfunctionaris_or_the_case_manager_never_by_a_beroepskracht_alone()
 {
    let risk = |role, case_manager, open| {
        may_record_as(Route::Stappenplan, role, case_manager, open, Kind::Risico)
    };
    assert!(risk(Role::Aandachtsfunctionaris, false, true));
    assert!(risk(Role::Beroepskracht, true, true), "the casemanager");
    assert!(!risk(Role::Beroepskracht, false, true));
    assert!(!risk(Role::Directie, false, true));
    // Not on a closed dossier, and not on the staff route, which has its own duties.
    assert!(!risk(Role::Aandachtsfunctionaris, false, false));
    assert!(!may_record_as(
        Route::Medewerker,
        Role::Directie,
        true,
        true,
        Kind::Risico
    ));
    // Being the case manager widens nothing else.
    assert!(!may_record_as(
        Route::Stappenplan,
        Role::Beroepskracht,
        true,
        true,
        Kind::Gesloten
    ));
}

#[test]
fn a_risk_entry_sets_the_dossiers_level_and_other_entries_leave_it() {
    let risk = body(&[("niveau", "hoog"), ("onderbouwing", "o")]);
    assert_eq!(
        entry::state_change(Kind::Risico, &risk).risk_level,
        Some(crate::domain::risk::RiskLevel::Hoog)
    );
    assert_eq!(entry::state_change(Kind::Signaal, &risk).risk_level, None);
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

use time::macros::date;

fn kept(review: Option<Date>, feedback: Option<Date>, last: i64) -> Kept {
    Kept {
        review_due: review,
        feedback_due: feedback,
        last_entry_at: last,
        report_due_since: None,
        furthest_step: None,
        step_reached_at: last,
    }
}

const Q: dossier::QuietDays = dossier::QuietDays::DEFAULT;

/// Rule (issue 18): a dossier whose step stands still is flagged: entries come, but the furthest
/// step was reached longer ago than the organisation's quiet days, before step 5.
#[test]
fn a_dossier_that_gathers_entries_without_reaching_a_further_step_stands_still() {
    let today = date!(2026 - 12 - 03);
    let now = 1_000 * DAY;
    let in_step = |step: Option<u8>, reached_days_ago: i64, last_days_ago: i64| Kept {
        furthest_step: step,
        step_reached_at: now - reached_days_ago * DAY,
        ..kept(None, None, now - last_days_ago * DAY)
    };
    // Step 1 reached 20 days ago, a signal yesterday: it stands still in step 1.
    let still = attention(&in_step(Some(1), 20, 1), today, now, Q);
    assert_eq!(still.standing_still, Some(1));
    assert!(still.any(0) && !still.quiet);
    // Reached 10 days ago: not yet (the default is 14 days).
    assert_eq!(
        attention(&in_step(Some(2), 10, 1), today, now, Q).standing_still,
        None
    );
    // Step 5 has its own dates (report, feedback, review): never "standing still".
    assert_eq!(
        attention(&in_step(Some(5), 60, 1), today, now, Q).standing_still,
        None
    );
    // No entry for 20 days either: it is quiet, which says more.
    let quiet = attention(&in_step(Some(1), 20, 20), today, now, Q);
    assert!(quiet.quiet);
    assert_eq!(quiet.standing_still, None);
    // Opened 20 days ago and no step gone through at all.
    assert_eq!(
        attention(&in_step(None, 20, 1), today, now, Q).standing_still,
        Some(0)
    );
    // The organisation's own number counts: with 30 days, 20 is not standing still.
    let thirty = dossier::QuietDays::parse("30").unwrap();
    assert_eq!(
        attention(&in_step(Some(1), 20, 1), today, now, thirty).standing_still,
        None
    );
}

#[test]
fn a_help_review_is_overdue_from_the_day_after_its_date_until_it_is_recorded() {
    let today = date!(2026 - 12 - 03);
    let now = 1_000 * DAY;
    let due_today = attention(&kept(Some(today), None, now), today, now, Q);
    assert_eq!(due_today.review_overdue, None);
    let passed = date!(2026 - 12 - 02);
    let late = attention(&kept(Some(passed), None, now), today, now, Q);
    assert_eq!(late.review_overdue, Some(passed));
    assert!(late.any(0));
    // Recorded: the kept date is cleared, and nothing is overdue.
    assert!(!attention(&kept(None, None, now), today, now, Q).any(0));
}

#[test]
fn veilig_thuis_feedback_is_late_after_its_due_day_as_the_dossier_page_says() {
    let reported = date!(2026 - 11 - 26);
    let due = dossier::add_working_days(reported, dossier::FEEDBACK_WORKING_DAYS);
    let now = 1_000 * DAY;
    for today in [due, due.next_day().unwrap()] {
        // The workspace (from the kept date) and the dossier page (from the report's date) agree.
        assert_eq!(
            attention(&kept(None, Some(due), now), today, now, Q).feedback_overdue,
            dossier::feedback_overdue(reported, today, false),
            "{today}"
        );
    }
    assert!(
        attention(&kept(None, Some(due), now), due.next_day().unwrap(), now, Q).feedback_overdue
    );
}

#[test]
fn an_open_dossier_without_an_entry_for_fourteen_days_is_quiet() {
    let today = date!(2026 - 12 - 03);
    let now = 1_000 * DAY;
    let quiet = dossier::QuietDays::DEFAULT;
    assert_eq!(quiet.days(), 14);
    assert!(!attention(&kept(None, None, now - 14 * DAY), today, now, quiet).quiet);
    assert!(attention(&kept(None, None, now - 14 * DAY - 1), today, now, quiet).quiet);
}

#[test]
fn an_open_dossier_is_quiet_after_the_organisations_own_number_of_days() {
    let today = date!(2026 - 12 - 03);
    let now = 1_000 * DAY;
    let quiet = dossier::QuietDays::parse("5").unwrap();
    assert!(!attention(&kept(None, None, now - 5 * DAY), today, now, quiet).quiet);
    assert!(attention(&kept(None, None, now - 5 * DAY - 1), today, now, quiet).quiet);
    // Six days without an entry: quiet for an organisation that chose 5, not for the default.
    let six = kept(None, None, now - 6 * DAY);
    assert!(!attention(&six, today, now, dossier::QuietDays::DEFAULT).quiet);
}

#[test]
fn a_report_due_asks_for_attention_whatever_else_is_overdue() {
    let today = date!(2026 - 12 - 03);
    let now = 1_000 * DAY;
    let mut k = kept(None, None, now);
    k.report_due_since = Some(now - 3 * DAY);
    let a = attention(&k, today, now, Q);
    assert_eq!(a.weight(0), 0);
    assert!(a.any(0));
    assert_eq!(
        attention(&kept(None, None, now), today, now, Q).weight(2),
        1
    );
}

#[test]
fn a_dossier_merged_into_another_is_closed_and_cannot_be_reopened() {
    let s = standing(&[(Kind::OpgegaanIn, body(&[("dossier", "nummer 1")]))]);
    assert!(!s.open);
    assert_eq!(s.closed_as, Some(CloseReason::Samengevoegd));
    let reopen = body(&[("reden", "Toch apart verder")]);
    assert_eq!(
        keys(refusals(Kind::Heropend, &reopen, Route::Stappenplan, &s)),
        vec!["reden"]
    );
}

/// The next step of a stappenplan dossier with these entries, as `status` computes it.
fn next_after(entries: &[(Kind, Body)]) -> Option<NextStep> {
    next_after_on(&[], entries)
}

/// The same, for a dossier about these forms of violence.
fn next_after_on(forms: &[Form], entries: &[(Kind, Body)]) -> Option<NextStep> {
    let recorded: Vec<Recorded> = entries
        .iter()
        .enumerate()
        .map(|(i, (k, b))| Recorded {
            id: EntryId::new(i as i64 + 1),
            kind: *k,
            body: b,
            at: 1000 + i as i64,
        })
        .collect();
    status(
        Route::Stappenplan,
        forms,
        true,
        &recorded,
        time::macros::date!(2026 - 11 - 28),
    )
    .next_step
}

#[test]
fn on_the_honour_route_the_next_step_is_the_consultation_with_specific_expertise_before_any_conversation()
 {
    let forms = [Form::Meisjesbesnijdenis];
    let signal = (Kind::Signaal, body(&[("aard", "feit")]));
    let af = (Kind::Consultatie, body(&[("met", "aandachtsfunctionaris")]));
    let vt = (
        Kind::Consultatie,
        body(&[("met", "veilig_thuis"), ("anoniem", "ja")]),
    );
    let skipped = (Kind::GesprekOvergeslagen, body(&[("reden", "veiligheid")]));
    let expertise = Some(NextStep::SpecificExpertise);
    assert_eq!(
        next_after_on(&forms, std::slice::from_ref(&signal)),
        expertise
    );
    assert_eq!(
        next_after_on(&forms, &[signal.clone(), af.clone()]),
        expertise
    );
    // A report due: the conversation about it waits for the expertise too.
    let due = [
        signal.clone(),
        af.clone(),
        skipped.clone(),
        weighing("ja", "ja"),
    ];
    assert_eq!(next_after_on(&forms, &due), expertise);
    assert_eq!(
        next_after_on(&forms, &[signal.clone(), af.clone(), vt.clone()]),
        Some(NextStep::Conversation)
    );
    assert_eq!(NextStep::SpecificExpertise.kind(), Kind::Consultatie);
    assert_eq!(NextStep::SpecificExpertise.step(), Some(Step::Consultatie));
    assert!(NextStep::SpecificExpertise.label().contains("LEC EGG"));
    // An ordinary dossier: the aandachtsfunctionaris, then the conversation.
    assert_eq!(
        next_after(&[signal.clone(), af.clone()]),
        Some(NextStep::Conversation)
    );
}

#[test]
fn the_next_step_is_the_first_step_not_gone_through_then_what_the_afwegingskader_asks() {
    let signal = (
        Kind::Signaal,
        body(&[("aard", "feit"), ("waarneming", "w")]),
    );
    let consult = (Kind::Consultatie, body(&[("met", "af")]));
    let talk = (Kind::Gesprek, body(&[("met", "ouders")]));
    assert_eq!(
        next_after(std::slice::from_ref(&signal)),
        Some(NextStep::Consultation)
    );
    assert_eq!(
        next_after(&[signal.clone(), consult.clone()]),
        Some(NextStep::Conversation)
    );
    assert_eq!(
        next_after(&[signal.clone(), consult.clone(), talk.clone()]),
        Some(NextStep::Weighing)
    );
    assert_eq!(
        NextStep::Conversation.label(),
        "gesprek met de leerling en/of de ouders"
    );
    // Weighed: the afwegingskader speaks. Question 1 "no": close as unfounded.
    let all = [signal.clone(), consult.clone(), talk.clone()];
    let mut unfounded = all.to_vec();
    unfounded.push(weighing("nee", ""));
    assert_eq!(next_after(&unfounded), Some(NextStep::CloseUnfounded));
    // Question 2 unanswered: answer it.
    let mut half = all.to_vec();
    half.push((Kind::Weging, body(&[("vraag1", "ja")])));
    assert_eq!(next_after(&half), Some(NextStep::Question(2)));
    assert_eq!(NextStep::Question(2).step(), Some(Step::Wegen));
    // A closed dossier has no next step.
    let recorded: Vec<Recorded> = Vec::new();
    let closed = status(
        Route::Stappenplan,
        &[],
        false,
        &recorded,
        time::macros::date!(2026 - 11 - 28),
    );
    assert_eq!(closed.next_step, None);
}

#[test]
fn the_next_step_after_a_report_becomes_due_is_the_conversation_about_it_then_the_report() {
    // The meldnorm does not wait for steps not gone through.
    let due = [weighing("ja", "ja")];
    assert_eq!(next_after(&due), Some(NextStep::ReportConversation));
    let mut talked = due.to_vec();
    talked.push((Kind::Meldgesprek, body(&[("met", "ouders")])));
    assert_eq!(next_after(&talked), Some(NextStep::Report));
    let mut reported = talked.clone();
    reported.push((Kind::Melding, body(&[("datum", "2026-11-27")])));
    assert_eq!(next_after(&reported), Some(NextStep::Feedback));
    reported.push((Kind::Terugkoppeling, body(&[("datum", "2026-11-28")])));
    assert_eq!(next_after(&reported), Some(NextStep::FollowAgreements));
}

#[test]
fn step_5_question_2_is_carried_from_the_latest_weighing_that_answered_it() {
    let first = body(&[
        ("vraag1", "ja"),
        ("vraag2", "ja"),
        ("vraag2_toelichting", "Eerst"),
    ]);
    let later = body(&[
        ("vraag1", "ja"),
        ("vraag2", "nee"),
        ("vraag2_toelichting", "Later"),
    ]);
    let unanswered = body(&[("vraag1", "ja")]);
    let entries = vec![
        (Kind::Weging, first, 1),
        (Kind::Weging, later, 2),
        (Kind::Weging, unanswered, 3),
    ];
    let (from, carried) = decision_from_weighing(&recorded(&entries)).unwrap();
    assert_eq!(from, EntryId::from(2));
    assert_eq!(carried.get("vraag2").map(String::as_str), Some("nee"));
    assert_eq!(
        carried.get("vraag2_toelichting").map(String::as_str),
        Some("Later")
    );
    assert_eq!(
        carried.len(),
        2,
        "only question 2 and its reasons: {carried:?}"
    );
    assert!(decision_from_weighing(&recorded(&entries[2..])).is_none());
}

#[test]
fn step_5_a_help_plan_needs_a_decision_since_the_latest_weighing() {
    let plan = body(&[("hulp", "h")]);
    let refused = |s: &Standing| keys(refusals(Kind::Hulpplan, &plan, Route::Stappenplan, s));
    let decision = (
        Kind::Besluit,
        body(&[("vraag2", "nee"), ("vraag3", "ja"), ("vraag4", "ja")]),
    );
    assert_eq!(refused(&standing(&[weighing("ja", "nee")])), vec!["hulp"]);
    assert!(refused(&standing(&[weighing("ja", "nee"), decision.clone()])).is_empty());
    assert_eq!(
        refused(&standing(&[
            weighing("ja", "nee"),
            decision,
            weighing("ja", "nee")
        ])),
        vec!["hulp"],
        "a new weighing asks for a new decision"
    );
    // A report is a decision to report: help may be organised with Veilig Thuis after it.
    let reported = standing(&[weighing("ja", "ja"), (Kind::Melding, body(&[]))]);
    assert!(refused(&reported).is_empty());
}

#[test]
fn step_5_the_evaluation_of_help_needs_a_help_plan() {
    let evaluation = body(&[("vraag5", "ja")]);
    let refused = |s: &Standing| {
        keys(refusals(
            Kind::Evaluatie,
            &evaluation,
            Route::Stappenplan,
            s,
        ))
    };
    assert_eq!(refused(&standing(&[weighing("ja", "nee")])), vec!["vraag5"]);
    let planned = standing(&[
        weighing("ja", "nee"),
        (
            Kind::Besluit,
            body(&[("vraag2", "nee"), ("vraag3", "ja"), ("vraag4", "ja")]),
        ),
        (Kind::Hulpplan, body(&[("hulp", "h")])),
    ]);
    assert!(refused(&planned).is_empty());
}

#[test]
fn after_a_help_plan_the_next_step_is_its_evaluation() {
    let decided = [
        weighing("ja", "nee"),
        (Kind::Signaal, body(&[])),
        (
            Kind::Besluit,
            body(&[("vraag2", "nee"), ("vraag3", "ja"), ("vraag4", "ja")]),
        ),
    ];
    let done: BTreeSet<Step> = Step::ALL.into_iter().collect();
    let next =
        |s: &Standing| next_step(&done, s, Some(Next::Afwegingskader(advise(&s.assessment))));
    assert_eq!(next(&standing(&decided)), Some(NextStep::HelpPlan));
    let mut planned = decided.to_vec();
    planned.push((Kind::Hulpplan, body(&[("hulp", "h")])));
    assert_eq!(next(&standing(&planned)), Some(NextStep::Evaluation));
}

#[test]
fn a_handover_note_for_a_deputy_is_written_by_the_second_line_on_an_open_stappenplan_dossier() {
    let note = |route, role, open| may_record(route, role, open, Kind::Waarneemnotitie);
    // The aandachtsfunctionaris (and a deputy, who acts as one through the cover).
    assert!(note(Route::Stappenplan, Role::Aandachtsfunctionaris, true));
    assert!(!note(Route::Stappenplan, Role::Beroepskracht, true));
    assert!(!note(Route::Stappenplan, Role::Directie, true));
    assert!(!note(
        Route::Stappenplan,
        Role::Aandachtsfunctionaris,
        false
    ));
    // A staff dossier is directie's, and no deputy's: no handover note there.
    assert!(!note(Route::Medewerker, Role::Directie, true));
    // Being the case manager widens nothing here.
    assert!(!may_record_as(
        Route::Stappenplan,
        Role::Beroepskracht,
        true,
        true,
        Kind::Waarneemnotitie
    ));
}
