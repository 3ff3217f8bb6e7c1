//! The honour route (issue 17): a dossier about honour-related violence, forced marriage or
//! female genital mutilation ([`Form::honour_route`]).
//!
//! With these forms a conversation with the family can raise the danger: a girl may be taken
//! abroad, married off or cut sooner, or punished for having spoken. So the steps change
//! (DOMAIN.md, steps 2, 3 and 5):
//! - before any conversation (step 3, or the one before a report in step 5) the school consults
//!   specific expertise: Veilig Thuis, or the police's Landelijk Expertisecentrum Eergerelateerd
//!   Geweld (LEC EGG), or another expert it names;
//! - a conversation with the parents is held only when that expertise judged it safe; otherwise
//!   the conversation is skipped for reasons of safety, one of the two lawful reasons.
//!
//! This module says which dossiers are on the route, what counts as specific expertise, and what
//! a conversation needs; `domain::progress::admit` applies [`refusal`] inside the write
//! transaction, and `progress::status` names the consultation as the next step while it is
//! missing. The pages show the route from [`applies`].

use super::dossier::Form;
use super::entry::{Body, Kind, keys};

/// Whether a dossier about these forms of violence is on the honour route.
pub fn applies(forms: &[Form]) -> bool {
    forms.iter().any(|f| f.honour_route())
}

/// The fields that a form asks only on the honour route (the specific expertise consulted, and
/// its judgement that a conversation with the parents is safe); elsewhere they are left out.
pub const ROUTE_FIELDS: [&str; 3] = [keys::DESKUNDIGE, keys::VEILIG_MET_OUDERS, keys::AL_GEVOERD];

/// The choices that a form offers only on the honour route: the LEC EGG as the one consulted.
pub const ROUTE_CHOICES: [&str; 1] = [LEC_EGG];

/// The consultation's "met" value for the police's Landelijk Expertisecentrum Eergerelateerd
/// Geweld.
pub const LEC_EGG: &str = "lec_egg";

/// Whether a consultation (step 2) counts as one with specific expertise: with the LEC EGG or
/// Veilig Thuis, or one that names the specific expertise consulted.
pub fn is_specific_expertise(consultation: &Body) -> bool {
    let met = consultation.get(keys::MET).map_or("", String::as_str);
    matches!(met, LEC_EGG | "veilig_thuis")
        || consultation
            .get(keys::DESKUNDIGE)
            .is_some_and(|d| !d.trim().is_empty())
}

/// Whether a conversation's body says it is (also) with the parents.
pub fn with_parents(body: &Body) -> bool {
    matches!(
        body.get(keys::MET).map(String::as_str),
        Some("ouders" | "leerling_en_ouders")
    )
}

/// Whether recording this kind on a dossier about these forms needs its history: on the honour
/// route a conversation needs the consultation before it.
pub fn needs_history(kind: Kind, forms: &[Form]) -> bool {
    matches!(kind, Kind::Gesprek | Kind::Meldgesprek) && applies(forms)
}

/// Why this conversation may not be recorded on a dossier about these forms, given whether a
/// consultation with specific expertise is recorded (`expertise`): the field the message is
/// about, and the message. `None` off the honour route and for every other kind.
pub fn refusal(
    kind: Kind,
    body: &Body,
    forms: &[Form],
    expertise: bool,
) -> Option<(&'static str, String)> {
    if !matches!(kind, Kind::Gesprek | Kind::Meldgesprek) || !applies(forms) {
        return None;
    }
    // A conversation that already took place is part of the record all the same: it is recorded
    // with the account of why it came before the consultation (or the judgement), never refused.
    if body
        .get(keys::AL_GEVOERD)
        .is_some_and(|v| !v.trim().is_empty())
    {
        return None;
    }
    let skip = match kind {
        Kind::Meldgesprek => "\u{201c}Gesprek over de melding niet gevoerd\u{201d}",
        _ => "\u{201c}Gesprek niet gevoerd\u{201d}",
    };
    // Specific expertise before any conversation, with the pupil too.
    if !expertise {
        return Some((
            keys::MET,
            format!(
                "Bij een vermoeden van eergerelateerd geweld, huwelijksdwang of meisjesbesnijdenis overlegt u eerst met specifieke deskundigheid, voordat u met de leerling of de ouders spreekt: met Veilig Thuis of met het LEC EGG van de politie. Leg dat overleg vast bij stap 2. Kan een gesprek het gevaar groter maken? Leg dan vast dat u het gesprek niet voert, om de veiligheid ({skip}). Vond het gesprek al plaats? Schrijf dan hieronder wat er gebeurde en waarom toen al."
            ),
        ));
    }
    // No conversation with the parents that could raise the danger.
    if with_parents(body)
        && body
            .get(keys::VEILIG_MET_OUDERS)
            .is_none_or(|v| v.is_empty())
    {
        return Some((
            keys::VEILIG_MET_OUDERS,
            format!(
                "Een gesprek met de ouders kan het gevaar voor de leerling groter maken. Voer het alleen als de deskundigen die u raadpleegde (LEC EGG of Veilig Thuis) het veilig vinden, en vink dat hier aan. Vinden zij het niet veilig? Leg dan vast dat u het gesprek niet voert, om de veiligheid ({skip}). Vond het gesprek al plaats? Schrijf dan hieronder wat er gebeurde en waarom."
            ),
        ));
    }
    None
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

    #[test]
    fn honour_related_violence_forced_marriage_and_fgm_put_a_dossier_on_the_honour_route() {
        assert!(applies(&[Form::Lichamelijk, Form::Eergerelateerd]));
        assert!(applies(&[Form::Huwelijksdwang]));
        assert!(applies(&[Form::Meisjesbesnijdenis]));
        assert!(!applies(&[Form::Lichamelijk, Form::Psychisch]));
        assert!(!applies(&[]));
    }

    #[test]
    fn lec_egg_veilig_thuis_or_a_named_expert_count_as_specific_expertise() {
        assert!(is_specific_expertise(&body(&[("met", "lec_egg")])));
        assert!(is_specific_expertise(&body(&[("met", "veilig_thuis")])));
        assert!(is_specific_expertise(&body(&[
            ("met", "collega"),
            ("deskundige", "Mw. Yilmaz, GGD")
        ])));
        assert!(!is_specific_expertise(&body(&[(
            "met",
            "aandachtsfunctionaris"
        )])));
        assert!(!is_specific_expertise(&body(&[
            ("met", "collega"),
            ("deskundige", " ")
        ])));
    }

    #[test]
    fn on_the_honour_route_no_conversation_before_a_consultation_with_specific_expertise() {
        let forms = [Form::Huwelijksdwang];
        for kind in [Kind::Gesprek, Kind::Meldgesprek] {
            let with_pupil = body(&[("met", "leerling")]);
            let refused = refusal(kind, &with_pupil, &forms, false);
            assert_eq!(refused.as_ref().map(|(k, _)| *k), Some("met"), "{kind:?}");
            assert!(
                refused.unwrap().1.contains("niet gevoerd"),
                "points to skipping"
            );
            assert_eq!(refusal(kind, &with_pupil, &forms, true), None, "{kind:?}");
        }
    }

    #[test]
    fn on_the_honour_route_no_conversation_with_the_parents_unless_the_experts_judged_it_safe() {
        let forms = [Form::Eergerelateerd];
        for kind in [Kind::Gesprek, Kind::Meldgesprek] {
            for met in ["ouders", "leerling_en_ouders"] {
                let unsafe_talk = body(&[("met", met)]);
                let refused = refusal(kind, &unsafe_talk, &forms, true);
                assert_eq!(
                    refused.as_ref().map(|(k, _)| *k),
                    Some("veilig_met_ouders"),
                    "{kind:?} {met}"
                );
                assert!(refused.unwrap().1.contains("om de veiligheid"));
                let judged_safe = body(&[("met", met), ("veilig_met_ouders", "ja")]);
                assert_eq!(refusal(kind, &judged_safe, &forms, true), None);
            }
        }
    }

    #[test]
    fn on_the_honour_route_a_conversation_that_already_took_place_is_recorded_with_its_account() {
        let forms = [Form::Huwelijksdwang];
        for kind in [Kind::Gesprek, Kind::Meldgesprek] {
            let held = body(&[
                ("met", "ouders"),
                (
                    "al_gevoerd",
                    "Vader kwam onaangekondigd naar school en vroeg wat er speelde.",
                ),
            ]);
            // Neither before the consultation nor without the judgement is it refused: the
            // record holds what happened, and why.
            assert_eq!(refusal(kind, &held, &forms, false), None, "{kind:?}");
            assert_eq!(refusal(kind, &held, &forms, true), None, "{kind:?}");
            let blank = body(&[("met", "ouders"), ("al_gevoerd", "  ")]);
            assert!(refusal(kind, &blank, &forms, false).is_some(), "{kind:?}");
        }
    }

    #[test]
    fn off_the_honour_route_conversations_are_not_held_back() {
        let parents = body(&[("met", "ouders")]);
        for kind in [Kind::Gesprek, Kind::Meldgesprek] {
            assert_eq!(refusal(kind, &parents, &[Form::Lichamelijk], false), None);
            assert!(!needs_history(kind, &[Form::Lichamelijk]));
            assert!(needs_history(kind, &[Form::Meisjesbesnijdenis]));
        }
        // Skipping a conversation is never held back: it is the safe way on the route.
        assert_eq!(
            refusal(
                Kind::GesprekOvergeslagen,
                &body(&[("reden", "veiligheid")]),
                &[Form::Eergerelateerd],
                false
            ),
            None
        );
    }

    #[test]
    fn on_the_honour_route_skipping_for_safety_is_the_first_reason_offered() {
        for kind in [Kind::GesprekOvergeslagen, Kind::MeldgesprekOvergeslagen] {
            let reason = kind
                .fields()
                .iter()
                .find(|f| f.key == keys::REDEN)
                .expect("a reason");
            match reason.input {
                super::super::entry::Input::Choice(options) => {
                    assert_eq!(options[0].0, "veiligheid", "{kind:?}")
                }
                _ => panic!("the reason is a choice"),
            }
        }
    }
}
