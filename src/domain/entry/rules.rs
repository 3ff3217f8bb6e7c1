//! The rules that span the fields of one entry, each naming the part of DOMAIN.md it carries
//! out: a third-party source is named, a diagnosis says who made it, the conversation before a
//! report is held with whom the pupil's age says, a report with steps missing gives a lawful
//! ground, and so on. A new rule about what one entry must say goes here, with a unit test named
//! after it; a rule that depends on the dossier's earlier entries goes to `domain::progress`.

use super::super::dossier::{self, ReportConversationWith, missing_before_report};
use super::validate::parse_date;
use super::{Body, Context, FieldErrors, Kind, has, is, keys};

/// The rules that span fields. Each names the part of DOMAIN.md it carries out.
pub(super) fn rules(kind: Kind, body: &Body, ctx: &Context, errors: &mut FieldErrors) {
    let mut need = |cond: bool, key: &'static str, msg: &str| {
        if cond {
            errors.push((key, msg.to_string()));
        }
    };
    match kind {
        Kind::Signaal => {
            // Information from third parties names its source.
            need(
                is(body, keys::BRON, "derde") && !has(body, keys::BRON_WIE),
                keys::BRON_WIE,
                "Vermeld wie het vertelde: informatie van anderen noemt altijd de bron.",
            );
            // A diagnosis is recorded only if made by a qualified professional: record who.
            need(
                has(body, keys::DIAGNOSE) && !has(body, keys::DIAGNOSE_DOOR),
                keys::DIAGNOSE_DOOR,
                "Vermeld wie de diagnose stelde en wat diens beroep is.",
            );
        }
        Kind::Consultatie => {
            // Advice from Veilig Thuis is asked on anonymous pupil data.
            need(
                is(body, keys::MET, "veilig_thuis") && !has(body, keys::ANONIEM),
                keys::ANONIEM,
                "Vraag Veilig Thuis om advies zonder naam of andere gegevens van de leerling, en bevestig dat hier.",
            );
        }
        Kind::Gesprek => {
            // Parents are informed beforehand as a rule; if not, why not.
            need(
                is(body, keys::OUDERS_VOORAF, "nee") && !has(body, keys::OUDERS_VOORAF_WAAROM),
                keys::OUDERS_VOORAF_WAAROM,
                "Leg uit waarom de ouders niet vooraf zijn ingelicht.",
            );
        }
        Kind::Weging => {
            need(
                is(body, keys::VRAAG1, "ja") && !has(body, keys::VRAAG2),
                keys::VRAAG2,
                "Beantwoord ook vraag 2 als er een vermoeden is.",
            );
            need(
                has(body, keys::VRAAG2) && !has(body, keys::VRAAG2_TOELICHTING),
                keys::VRAAG2_TOELICHTING,
                "Onderbouw uw antwoord op vraag 2.",
            );
        }
        Kind::Besluit => {
            // Step 5 asks question 2 first; questions 3 and 4 only when reporting is not necessary.
            need(
                is(body, keys::VRAAG2, "nee") && !has(body, keys::VRAAG3),
                keys::VRAAG3,
                "Beantwoord vraag 3: melden is niet nodig, kan de school dan hulp bieden of organiseren?",
            );
            need(
                is(body, keys::VRAAG3, "ja") && !has(body, keys::VRAAG4),
                keys::VRAAG4,
                "Beantwoord vraag 4: aanvaarden de betrokkenen de hulp?",
            );
            // Questions 3 and 4 only when reporting is not necessary (question 2 "nee"): with
            // (doubt about) unsafety the school reports, and answers 3 to 5 with Veilig Thuis.
            let reporting = matches!(
                body.get(keys::VRAAG2).map(String::as_str),
                Some("ja" | "twijfel")
            );
            need(
                reporting && has(body, keys::VRAAG3),
                keys::VRAAG3,
                "Vraag 3 beantwoordt u alleen als melden niet nodig is (vraag 2: nee). Bij ja of twijfel meldt u, en beantwoordt u de vragen 3 tot 5 samen met Veilig Thuis.",
            );
            need(
                has(body, keys::VRAAG4) && !is(body, keys::VRAAG3, "ja"),
                keys::VRAAG4,
                "Vraag 4 beantwoordt u alleen als de school hulp kan bieden of organiseren (vraag 3: ja).",
            );
            need(
                has(body, keys::VRAAG3) && !has(body, keys::VRAAG3_TOELICHTING),
                keys::VRAAG3_TOELICHTING,
                "Onderbouw uw antwoord op vraag 3.",
            );
            need(
                has(body, keys::VRAAG4) && !has(body, keys::VRAAG4_TOELICHTING),
                keys::VRAAG4_TOELICHTING,
                "Onderbouw uw antwoord op vraag 4.",
            );
        }
        Kind::Hulpplan => {
            // The review date may be any date after the plan (and, by its field, not in the past).
            let plan = body.get(keys::DATUM).and_then(|d| parse_date(d));
            for key in [keys::TERMIJN, keys::EVALUATIEDATUM] {
                let later = body.get(key).and_then(|d| parse_date(d));
                // (A date before today has its own message from the field.)
                need(
                    matches!((plan, later), (Some(p), Some(l)) if l <= p && l >= ctx.today),
                    key,
                    "Deze datum moet na de datum van het plan liggen.",
                );
            }
        }
        Kind::Evaluatie | Kind::Gesloten => {
            let succeeded = if kind == Kind::Evaluatie {
                is(body, keys::VRAAG5, "ja")
            } else {
                is(body, keys::REDEN, "hulp_geslaagd")
            };
            need(
                succeeded && !has(body, keys::MONITORING),
                keys::MONITORING,
                "Leg de afspraken vast over het volgen van de veiligheid.",
            );
        }
        Kind::Meldgesprek => {
            need(
                has(body, keys::BEZWAREN) && !has(body, keys::AFWEGING),
                keys::AFWEGING,
                "Er waren bezwaren: leg vast hoe u ze afwoog tegen de noodzaak de leerling te beschermen.",
            );
            // Who is spoken to depends on the pupil's age on the day.
            let on = body
                .get(keys::DATUM)
                .and_then(|d| parse_date(d))
                .unwrap_or(ctx.today);
            if let (Some(age), Some(met)) = (
                ctx.pupil_born.map(|b| dossier::age_on(b, on)),
                body.get(keys::MET),
            ) {
                match ReportConversationWith::for_age(age) {
                    ReportConversationWith::Ouders => need(
                        met == "leerling",
                        keys::MET,
                        "De leerling is jonger dan 12: voer dit gesprek met de ouder(s).",
                    ),
                    ReportConversationWith::Leerling => {
                        need(
                            met == "ouders",
                            keys::MET,
                            "De leerling is 16 of ouder: voer dit gesprek met de leerling zelf.",
                        );
                        // From 16 the pupil decides whether the parents are spoken to as well.
                        need(
                            met == "leerling_en_ouders" && !has(body, keys::TOESTEMMING),
                            keys::TOESTEMMING,
                            "De leerling is 16 of ouder: leg vast of de leerling toestemming gaf om ook met de ouders te spreken, of waarom dat niet is gevraagd.",
                        );
                        need(
                            met == "leerling_en_ouders"
                                && is(body, keys::TOESTEMMING, "niet_gevraagd")
                                && !has(body, keys::TOESTEMMING_TOELICHTING),
                            keys::TOESTEMMING_TOELICHTING,
                            "Leg uit waarom u de leerling niet om toestemming vroeg.",
                        );
                    }
                    ReportConversationWith::LeerlingEnOfOuders => {}
                }
            }
        }
        Kind::Melding => {
            need(
                has(body, keys::ANONIEM) && !has(body, keys::ANONIEM_GROND),
                keys::ANONIEM_GROND,
                "Kies op welke grond u anoniem wilt blijven.",
            );
            // All steps must be gone through before a report, or the reason why not recorded.
            // The reason is one of the lawful grounds, with an explanation.
            let missing = missing_before_report(&ctx.steps_done);
            need(
                !missing.is_empty() && !has(body, keys::ONTBREKENDE_GROND),
                keys::ONTBREKENDE_GROND,
                "Niet alle stappen zijn doorlopen: kies de reden (acuut gevaar, of een van de twee redenen om een gesprek over te slaan).",
            );
            need(
                !missing.is_empty() && !has(body, keys::ONTBREKENDE_STAPPEN),
                keys::ONTBREKENDE_STAPPEN,
                "Niet alle stappen zijn doorlopen: licht toe waarom.",
            );
        }
        _ => {}
    }
}

/// Whether a follow-up may say that a hypothesis was confirmed or refuted: only of an entry that
/// recorded a hypothesis.
pub fn relation_allowed(relation: &str, referred_kind: Kind, referred: &Body) -> bool {
    match relation {
        "hypothese_bevestigd" | "hypothese_weerlegd" => {
            referred_kind == Kind::Signaal && is(referred, keys::AARD, "hypothese")
        }
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{ctx, error_keys, values};
    use super::super::{Context, Step, validate};
    use super::*;
    use time::macros::date;

    #[test]
    fn a_signal_from_a_third_party_must_name_its_source() {
        let v = values(&[
            ("aard", "feit"),
            ("waarneming", "Blauwe plek op de arm"),
            ("bron", "derde"),
        ]);
        assert_eq!(
            error_keys(validate(Kind::Signaal, &v, &ctx())),
            vec!["bron_wie"]
        );
        let mut ok = v.clone();
        ok.insert("bron_wie".into(), vec!["Moeder van een klasgenoot".into()]);
        assert!(validate(Kind::Signaal, &ok, &ctx()).is_ok());
    }

    #[test]
    fn a_diagnosis_is_recorded_only_with_who_made_it() {
        let v = values(&[
            ("aard", "feit"),
            ("waarneming", "x"),
            ("bron", "eigen"),
            ("diagnose", "PTSS"),
        ]);
        assert_eq!(
            error_keys(validate(Kind::Signaal, &v, &ctx())),
            vec!["diagnose_door"]
        );
    }

    #[test]
    fn advice_from_veilig_thuis_is_asked_anonymously() {
        let v = values(&[
            ("met", "veilig_thuis"),
            ("naam", "Adviseur"),
            ("datum", "2026-11-27"),
            ("vraag", "q"),
            ("advies", "a"),
        ]);
        assert_eq!(
            error_keys(validate(Kind::Consultatie, &v, &ctx())),
            vec!["anoniem"]
        );
        let mut ok = v.clone();
        ok.insert("anoniem".into(), vec!["ja".into()]);
        assert!(validate(Kind::Consultatie, &ok, &ctx()).is_ok());
    }

    #[test]
    fn parents_not_informed_beforehand_needs_a_reason() {
        let v = values(&[
            ("met", "leerling"),
            ("datum", "2026-11-27"),
            ("doel", "d"),
            ("feiten", "f"),
            ("reactie", "r"),
            ("kind_alleen", "ja"),
            ("ouders_vooraf", "nee"),
        ]);
        assert_eq!(
            error_keys(validate(Kind::Gesprek, &v, &ctx())),
            vec!["ouders_vooraf_waarom"]
        );
    }

    #[test]
    fn the_conversation_before_a_report_is_with_parents_under_12_and_the_pupil_from_16() {
        let base = [
            ("datum", "2026-11-27"),
            ("uitleg", "u"),
            ("reactie", "r"),
            ("besluit", "b"),
        ];
        let mut young = values(&base);
        young.insert("met".into(), vec!["leerling".into()]);
        assert_eq!(
            error_keys(validate(Kind::Meldgesprek, &young, &ctx())),
            vec!["met"]
        );
        let old = Context {
            pupil_born: Some(date!(2010 - 06 - 01)),
            ..ctx()
        };
        let mut parents_only = values(&base);
        parents_only.insert("met".into(), vec!["ouders".into()]);
        assert_eq!(
            error_keys(validate(Kind::Meldgesprek, &parents_only, &old)),
            vec!["met"]
        );
        let middle = Context {
            pupil_born: Some(date!(2013 - 06 - 01)),
            ..ctx()
        };
        assert!(validate(Kind::Meldgesprek, &young, &middle).is_ok());
    }

    #[test]
    fn the_age_that_counts_is_the_age_on_the_day_of_the_conversation() {
        // Twelve on the day it is recorded, but eleven on the day of the conversation.
        let ctx = Context {
            pupil_born: Some(date!(2014 - 11 - 28)),
            ..ctx()
        };
        let v = values(&[
            ("met", "leerling"),
            ("datum", "2026-11-27"),
            ("uitleg", "u"),
            ("reactie", "r"),
            ("besluit", "b"),
        ]);
        assert_eq!(
            error_keys(validate(Kind::Meldgesprek, &v, &ctx)),
            vec!["met"]
        );
    }

    #[test]
    fn objections_before_a_report_must_be_weighed() {
        let v = values(&[
            ("met", "ouders"),
            ("datum", "2026-11-27"),
            ("uitleg", "u"),
            ("reactie", "r"),
            ("bezwaren", "Vader is boos"),
            ("besluit", "b"),
        ]);
        assert_eq!(
            error_keys(validate(Kind::Meldgesprek, &v, &ctx())),
            vec!["afweging"]
        );
    }

    #[test]
    fn a_report_with_steps_missing_names_a_lawful_ground_and_explains_it() {
        let mut v = values(&[
            ("datum", "2026-11-27"),
            ("wijze", "telefoon"),
            ("contact", "Mw. Jansen"),
            ("feiten", "f"),
            ("afspraken", "a"),
        ]);
        assert_eq!(
            error_keys(validate(Kind::Melding, &v, &ctx())),
            vec!["ontbrekende_grond", "ontbrekende_stappen"]
        );
        v.insert("ontbrekende_stappen".into(), vec!["Geen tijd".into()]);
        v.insert("ontbrekende_grond".into(), vec!["geen_tijd".into()]);
        assert_eq!(
            error_keys(validate(Kind::Melding, &v, &ctx())),
            vec!["ontbrekende_grond"],
            "only the lawful grounds"
        );
        for ground in ["acuut", "veiligheid", "contact_verbreken"] {
            v.insert("ontbrekende_grond".into(), vec![ground.into()]);
            assert!(validate(Kind::Melding, &v, &ctx()).is_ok(), "{ground}");
        }
        v.remove("ontbrekende_grond");
        v.remove("ontbrekende_stappen");
        let all = Context {
            steps_done: Step::ALL.into_iter().collect(),
            ..ctx()
        };
        assert!(validate(Kind::Melding, &v, &all).is_ok());
    }

    #[test]
    fn an_anonymous_reporter_names_the_ground() {
        let all = Context {
            steps_done: Step::ALL.into_iter().collect(),
            ..ctx()
        };
        let v = values(&[
            ("datum", "2026-11-27"),
            ("wijze", "online"),
            ("contact", "c"),
            ("feiten", "f"),
            ("afspraken", "a"),
            ("anoniem", "ja"),
        ]);
        assert_eq!(
            error_keys(validate(Kind::Melding, &v, &all)),
            vec!["anoniem_grond"]
        );
    }

    #[test]
    fn questions_3_and_4_are_answered_only_when_question_2_is_nee() {
        for q2 in ["ja", "twijfel"] {
            let v = values(&[
                ("vraag2", q2),
                ("vraag2_toelichting", "t"),
                ("vraag3", "ja"),
                ("vraag3_toelichting", "t"),
                ("vraag4", "ja"),
                ("vraag4_toelichting", "t"),
            ]);
            assert_eq!(
                error_keys(validate(Kind::Besluit, &v, &ctx())),
                vec!["vraag3"],
                "{q2}"
            );
        }
        let v = values(&[
            ("vraag2", "nee"),
            ("vraag2_toelichting", "t"),
            ("vraag3", "nee"),
            ("vraag3_toelichting", "t"),
            ("vraag4", "ja"),
            ("vraag4_toelichting", "t"),
        ]);
        assert_eq!(
            error_keys(validate(Kind::Besluit, &v, &ctx())),
            vec!["vraag4"],
            "question 4 only when help is possible"
        );
    }

    #[test]
    fn a_pupil_of_16_or_older_consents_before_the_parents_join_the_report_conversation() {
        let sixteen = Context {
            pupil_born: Some(date!(2010 - 06 - 01)),
            ..ctx()
        };
        let mut v = values(&[
            ("met", "leerling_en_ouders"),
            ("datum", "2026-11-27"),
            ("uitleg", "u"),
            ("reactie", "r"),
            ("besluit", "b"),
        ]);
        assert_eq!(
            error_keys(validate(Kind::Meldgesprek, &v, &sixteen)),
            vec!["toestemming"]
        );
        v.insert("toestemming".into(), vec!["niet_gevraagd".into()]);
        assert_eq!(
            error_keys(validate(Kind::Meldgesprek, &v, &sixteen)),
            vec!["toestemming_toelichting"]
        );
        v.insert(
            "toestemming_toelichting".into(),
            vec!["De leerling was in acuut gevaar.".into()],
        );
        assert!(validate(Kind::Meldgesprek, &v, &sixteen).is_ok());
        v.insert("toestemming".into(), vec!["ja".into()]);
        let body = validate(Kind::Meldgesprek, &v, &sixteen).unwrap();
        assert!(
            !body.contains_key("toestemming_toelichting"),
            "a reason for not asking is kept only when it was not asked"
        );
        // Under 16 the parents are spoken to without asking the pupil.
        v.remove("toestemming");
        assert!(validate(Kind::Meldgesprek, &v, &ctx()).is_ok());
    }

    #[test]
    fn the_help_plans_review_date_lies_after_the_plan_which_may_be_earlier_in_the_week() {
        // The plan was made on Monday and is recorded on Saturday (ctx's today, 28 November).
        let plan = |review: &str| {
            values(&[
                ("datum", "2026-11-23"),
                ("hulp", "h"),
                ("rollen", "r"),
                ("casemanager", "c"),
                ("termijn", "2027-01-31"),
                ("evaluatiedatum", review),
            ])
        };
        assert!(validate(Kind::Hulpplan, &plan("2026-11-28"), &ctx()).is_ok());
        let past = validate(Kind::Hulpplan, &plan("2026-11-25"), &ctx()).unwrap_err();
        assert_eq!(past[0].0, "evaluatiedatum");
        assert!(past[0].1.contains("in het verleden"));
        let mut before_plan = plan("2026-12-15");
        before_plan.insert("datum".into(), vec!["2026-11-28".into()]);
        before_plan.insert("termijn".into(), vec!["2026-11-28".into()]);
        assert_eq!(
            error_keys(validate(Kind::Hulpplan, &before_plan, &ctx())),
            vec!["termijn"]
        );
    }

    #[test]
    fn closing_after_successful_help_records_monitoring_agreements() {
        let v = values(&[("reden", "hulp_geslaagd"), ("toelichting", "t")]);
        assert_eq!(
            error_keys(validate(Kind::Gesloten, &v, &ctx())),
            vec!["monitoring"]
        );
        let v = values(&[
            ("reden", "ongegrond"),
            (
                "toelichting",
                "Verklaring van de blauwe plek: val bij voetbal",
            ),
        ]);
        assert!(validate(Kind::Gesloten, &v, &ctx()).is_ok());
    }

    #[test]
    fn step_5_asks_question_2_first_then_3_and_4() {
        let v = values(&[("vraag2", "nee"), ("vraag2_toelichting", "t")]);
        assert_eq!(
            error_keys(validate(Kind::Besluit, &v, &ctx())),
            vec!["vraag3"]
        );
        let v = values(&[
            ("vraag2", "nee"),
            ("vraag2_toelichting", "t"),
            ("vraag3", "ja"),
            ("vraag3_toelichting", "t"),
        ]);
        assert_eq!(
            error_keys(validate(Kind::Besluit, &v, &ctx())),
            vec!["vraag4"]
        );
        let v = values(&[("vraag2", "twijfel"), ("vraag2_toelichting", "t")]);
        assert!(validate(Kind::Besluit, &v, &ctx()).is_ok());
    }

    #[test]
    fn only_a_hypothesis_can_be_confirmed_or_refuted() {
        let mut hyp = Body::new();
        hyp.insert("aard".into(), "hypothese".into());
        let mut fact = Body::new();
        fact.insert("aard".into(), "feit".into());
        assert!(relation_allowed("hypothese_bevestigd", Kind::Signaal, &hyp));
        assert!(!relation_allowed(
            "hypothese_weerlegd",
            Kind::Signaal,
            &fact
        ));
        assert!(relation_allowed("correctie", Kind::Gesprek, &Body::new()));
    }
}
