//! Tests of DOMAIN.md's rules that are checked by the entry forms, each named after its rule
//! (RULES.md traces every rule to a test). Only compiled for tests.

use super::testing::*;
use super::*;
use crate::domain::dossier::Step;

fn complete_report() -> Values {
    values(&[
        ("datum", "2026-11-27"),
        ("wijze", "telefoon"),
        ("contact", "Mw. Jansen"),
        ("feiten", "Blauwe plek op de wang, maandag gezien."),
        ("afspraken", "De mentor blijft het kind volgen."),
    ])
}

fn all_steps() -> Context {
    Context {
        steps_done: Step::ALL.into_iter().collect(),
        ..ctx()
    }
}

fn choices(kind: Kind, key: &str) -> Vec<&'static str> {
    match kind.fields().iter().find(|f| f.key == key).map(|f| f.input) {
        Some(Input::Choice(options)) => options.iter().map(|(c, _)| *c).collect(),
        other => panic!("{key} of {kind:?} is no choice: {other:?}"),
    }
}

#[test]
fn a_signal_can_concern_other_children_of_the_family_whom_the_teacher_never_sees() {
    let v = values(&[
        ("aard", "feit"),
        ("waarneming", "Zus vertelde over de baby thuis."),
        ("bron", "eigen"),
        ("kinderen_van_client", "on"),
    ]);
    let body = validate(Kind::Signaal, &v, &ctx()).unwrap();
    assert_eq!(body["kinderen_van_client"], "ja");
    assert!(
        display(Kind::Signaal, &body)
            .iter()
            .any(|(label, _)| label.contains("andere kinderen in het gezin"))
    );
}

#[test]
fn data_that_contradicts_the_suspicion_is_recorded_too() {
    let v = values(&[
        ("aard", "feit"),
        ("waarneming", "Blauwe plek op de arm."),
        ("bron", "eigen"),
        (
            "contra",
            "Het kind vertelde uit zichzelf over een val bij voetbal.",
        ),
    ]);
    let body = validate(Kind::Signaal, &v, &ctx()).unwrap();
    assert_eq!(
        body["contra"],
        "Het kind vertelde uit zichzelf over een val bij voetbal."
    );
    assert!(
        display(Kind::Signaal, &body)
            .iter()
            .any(|(label, _)| *label == "Wat spreekt het vermoeden tegen?")
    );
}

#[test]
fn a_consultation_records_who_was_consulted_when_and_the_advice() {
    assert_eq!(
        choices(Kind::Consultatie, "met"),
        vec![
            "aandachtsfunctionaris",
            "zorgteam",
            "collega",
            "veilig_thuis",
            "lec_egg"
        ]
    );
    let v = values(&[("met", "zorgteam"), ("vraag", "Wat nu?")]);
    assert_eq!(
        error_keys(validate(Kind::Consultatie, &v, &ctx())),
        vec!["naam", "datum", "advies"]
    );
    let v = values(&[
        ("met", "zorgteam"),
        ("naam", "Zorg- en adviesteam, overleg van dinsdag"),
        ("datum", "2026-11-24"),
        ("vraag", "Wat nu?"),
        ("advies", "Eerst met de moeder praten."),
    ]);
    assert!(validate(Kind::Consultatie, &v, &ctx()).is_ok());
}

#[test]
fn the_weighing_records_risk_nature_and_severity_and_any_instrument_used() {
    let v = values(&[("vraag1", "nee"), ("vraag1_toelichting", "t")]);
    assert_eq!(
        error_keys(validate(Kind::Weging, &v, &ctx())),
        vec!["risico", "aard", "ernst"]
    );
    let v = values(&[
        ("risico", "r"),
        ("aard", "a"),
        ("ernst", "e"),
        ("instrument", "Risicotaxatie-instrument van de stichting"),
        ("vraag1", "nee"),
        ("vraag1_toelichting", "t"),
    ]);
    let body = validate(Kind::Weging, &v, &ctx()).unwrap();
    assert_eq!(
        body["instrument"],
        "Risicotaxatie-instrument van de stichting"
    );
}

#[test]
fn the_weighing_asks_about_unsafety_when_it_finds_a_suspicion() {
    let base = [
        ("risico", "r"),
        ("aard", "a"),
        ("ernst", "e"),
        ("vraag1_toelichting", "t"),
    ];
    let mut suspicion = values(&base);
    suspicion.insert("vraag1".into(), vec!["ja".into()]);
    assert_eq!(
        error_keys(validate(Kind::Weging, &suspicion, &ctx())),
        vec!["vraag2"]
    );
    assert_eq!(
        choices(Kind::Weging, "vraag2"),
        vec!["ja", "twijfel", "nee"]
    );
    suspicion.insert("vraag2".into(), vec!["twijfel".into()]);
    assert_eq!(
        error_keys(validate(Kind::Weging, &suspicion, &ctx())),
        vec!["vraag2_toelichting"],
        "the answer is argued"
    );
    let mut none = values(&base);
    none.insert("vraag1".into(), vec!["nee".into()]);
    assert!(validate(Kind::Weging, &none, &ctx()).is_ok());
}

#[test]
fn the_conversation_before_a_report_explains_hears_weighs_objections_and_decides() {
    let keys: Vec<&str> = Kind::Meldgesprek.fields().iter().map(|f| f.key).collect();
    let pos = |k| keys.iter().position(|x| *x == k).unwrap();
    assert!(
        pos("uitleg") < pos("reactie")
            && pos("reactie") < pos("bezwaren")
            && pos("bezwaren") < pos("afweging")
            && pos("afweging") < pos("besluit")
    );
    let v = values(&[("met", "ouders"), ("datum", "2026-11-27")]);
    assert_eq!(
        error_keys(validate(Kind::Meldgesprek, &v, &ctx())),
        vec!["uitleg", "reactie", "besluit"]
    );
}

#[test]
fn the_conversation_before_a_report_may_be_skipped_only_for_the_same_two_reasons() {
    assert_eq!(
        choices(Kind::MeldgesprekOvergeslagen, "reden"),
        choices(Kind::GesprekOvergeslagen, "reden")
    );
    let v = values(&[("reden", "geen_tijd"), ("toelichting", "druk")]);
    assert_eq!(
        error_keys(validate(Kind::MeldgesprekOvergeslagen, &v, &ctx())),
        vec!["reden"]
    );
    let v = values(&[("reden", "veiligheid"), ("toelichting", "Vader dreigde")]);
    assert!(validate(Kind::MeldgesprekOvergeslagen, &v, &ctx()).is_ok());
    let v = values(&[("reden", "contact_verbreken")]);
    assert_eq!(
        error_keys(validate(Kind::MeldgesprekOvergeslagen, &v, &ctx())),
        vec!["toelichting"],
        "the reason is recorded"
    );
}

#[test]
fn a_report_sticks_to_facts_names_what_others_said_and_agrees_what_the_school_still_does() {
    let v = values(&[
        ("datum", "2026-11-27"),
        ("wijze", "telefoon"),
        ("contact", "Mw. Jansen"),
    ]);
    assert_eq!(
        error_keys(validate(Kind::Melding, &v, &all_steps())),
        vec!["feiten", "afspraken"]
    );
    let mut v = complete_report();
    v.insert(
        "van_anderen".into(),
        vec!["De buurvrouw hoorde geschreeuw.".into()],
    );
    let body = validate(Kind::Melding, &v, &all_steps()).unwrap();
    assert_eq!(body["van_anderen"], "De buurvrouw hoorde geschreeuw.");
}

#[test]
fn reporting_is_a_right_and_asks_no_consent_of_the_family() {
    assert!(
        Kind::Melding
            .fields()
            .iter()
            .all(|f| !f.key.contains("toestemming") && !f.label.contains("toestemming")),
        "a report has no consent field"
    );
    assert!(validate(Kind::Melding, &complete_report(), &all_steps()).is_ok());
}

#[test]
fn an_anonymous_reporter_has_exactly_the_three_lawful_grounds() {
    assert_eq!(
        choices(Kind::Melding, "anoniem_grond"),
        vec!["bedreiging_kind", "bedreiging_melder", "vertrouwensrelatie"]
    );
    let mut v = complete_report();
    v.insert("anoniem".into(), vec!["ja".into()]);
    v.insert("anoniem_grond".into(), vec!["liever_niet".into()]);
    assert_eq!(
        error_keys(validate(Kind::Melding, &v, &all_steps())),
        vec!["anoniem_grond"]
    );
}

#[test]
fn a_help_plan_records_the_help_its_term_the_roles_and_a_case_manager() {
    let v = values(&[("datum", "2026-11-27"), ("evaluatiedatum", "2027-01-15")]);
    assert_eq!(
        error_keys(validate(Kind::Hulpplan, &v, &ctx())),
        vec!["hulp", "rollen", "casemanager", "termijn"]
    );
}

#[test]
fn the_feedback_of_veilig_thuis_records_the_outcome_of_its_safety_assessment() {
    let v = values(&[("datum", "2026-11-27")]);
    assert_eq!(
        error_keys(validate(Kind::Terugkoppeling, &v, &ctx())),
        vec!["uitkomst"]
    );
}

#[test]
fn an_emergency_call_records_whom_was_called_veilig_thuis_112_or_another_service() {
    assert_eq!(
        choices(Kind::Noodmelding, "gebeld"),
        vec!["veilig_thuis", "112", "beide", "anders"]
    );
    let v = values(&[
        ("gebeld", "anders"),
        ("wat", "Raad voor de Kinderbescherming gebeld."),
    ]);
    assert!(validate(Kind::Noodmelding, &v, &ctx()).is_ok());
}

#[test]
fn a_suspected_serious_crime_records_the_coordination_with_the_police() {
    let v = values(&[("datum", "2026-11-27")]);
    assert_eq!(
        error_keys(validate(Kind::Politie, &v, &ctx())),
        vec!["contact", "afspraken"]
    );
    let v = values(&[
        ("datum", "2026-11-27"),
        ("contact", "Wijkagent De Vries"),
        (
            "afspraken",
            "Geen gesprek met het kind voordat de politie het verhoor heeft gedaan.",
        ),
    ]);
    assert!(validate(Kind::Politie, &v, &ctx()).is_ok());
}

#[test]
fn a_signal_in_the_verwijsindex_is_considered_and_the_choice_explained() {
    assert_eq!(
        choices(Kind::Verwijsindex, "besluit"),
        vec!["gemeld", "niet_gemeld"]
    );
    let v = values(&[("besluit", "niet_gemeld")]);
    assert_eq!(
        error_keys(validate(Kind::Verwijsindex, &v, &ctx())),
        vec!["reden"]
    );
}

#[test]
fn a_risk_level_needs_a_level_of_the_three_and_its_reason() {
    let v = values(&[("niveau", ""), ("onderbouwing", "")]);
    assert_eq!(
        error_keys(validate(Kind::Risico, &v, &ctx())),
        vec!["niveau", "onderbouwing"]
    );
    let v = values(&[("niveau", "zeer_hoog"), ("onderbouwing", "r")]);
    assert_eq!(
        error_keys(validate(Kind::Risico, &v, &ctx())),
        vec!["niveau"]
    );
    let v = values(&[
        ("niveau", "midden"),
        ("onderbouwing", "Blauwe plekken, twee keer."),
    ]);
    assert!(validate(Kind::Risico, &v, &ctx()).is_ok());
}
