//! The route for a staff member as suspected perpetrator (DOMAIN.md, "Staff as suspected
//! perpetrator"; Wet op het primair onderwijs art. 4a).
//!
//! Art. 4a applies to a (possible) sexual offence against a pupil by someone who works for the
//! school. Its duties come in a lawful order: the bevoegd gezag is informed; it consults the
//! vertrouwensinspecteur at once; when that consultation shows a reasonable suspicion, it informs
//! the parents and the accused, reports to the police (aangifte) and informs the inspector of the
//! aangifte. With no reasonable suspicion the later duties fall away. For other violence by staff
//! the school follows its own procedure, not art. 4a.
//!
//! Everything here works on domain values: the dossier's forms and its entries as (kind, body).

use super::dossier::{Form, Route};
use super::entry::{Body, FieldErrors, Kind, keys};

/// Whether art. 4a WPO applies: the dossier concerns sexual violence.
pub fn applies_art_4a(forms: &[Form]) -> bool {
    forms.contains(&Form::Seksueel)
}

/// The duties of art. 4a, in their lawful order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Duty {
    /// The bevoegd gezag is informed (at once).
    BevoegdGezag,
    /// The bevoegd gezag consults the vertrouwensinspecteur (at once), and records the outcome.
    Vertrouwensinspecteur,
    /// With a reasonable suspicion: the parents and the accused are informed, before the aangifte.
    OudersEnBeschuldigde,
    /// With a reasonable suspicion: aangifte with the police.
    Aangifte,
    /// With a reasonable suspicion: the inspector is informed of the aangifte.
    InspecteurOverAangifte,
}

impl Duty {
    pub const ALL: [Duty; 5] = [
        Duty::BevoegdGezag,
        Duty::Vertrouwensinspecteur,
        Duty::OudersEnBeschuldigde,
        Duty::Aangifte,
        Duty::InspecteurOverAangifte,
    ];

    /// The `plicht` value of the entry that records this duty.
    pub fn code(self) -> &'static str {
        match self {
            Duty::BevoegdGezag => "bestuur",
            Duty::Vertrouwensinspecteur => "inspecteur",
            Duty::OudersEnBeschuldigde => "ouders_beschuldigde",
            Duty::Aangifte => "aangifte",
            Duty::InspecteurOverAangifte => "inspecteur_aangifte",
        }
    }

    pub fn parse(code: &str) -> Option<Duty> {
        Duty::ALL.into_iter().find(|d| d.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Duty::BevoegdGezag => "Het bevoegd gezag meteen inlichten",
            Duty::Vertrouwensinspecteur => {
                "Meteen overleggen met de vertrouwensinspecteur, en de uitkomst vastleggen"
            }
            Duty::OudersEnBeschuldigde => {
                "Bij een redelijk vermoeden: de ouders en de beschuldigde inlichten"
            }
            Duty::Aangifte => "Bij een redelijk vermoeden: aangifte doen bij de politie",
            Duty::InspecteurOverAangifte => {
                "De vertrouwensinspecteur laten weten dat er aangifte is gedaan"
            }
        }
    }

    /// How a refusal names this duty: what has not been recorded yet.
    fn missing(self) -> &'static str {
        match self {
            Duty::BevoegdGezag => "het inlichten van het bevoegd gezag",
            Duty::Vertrouwensinspecteur => "het overleg met de vertrouwensinspecteur",
            Duty::OudersEnBeschuldigde => "het inlichten van de ouders en de beschuldigde",
            Duty::Aangifte => "de aangifte",
            Duty::InspecteurOverAangifte => "het bericht aan de inspecteur over de aangifte",
        }
    }

    /// Whether this duty holds only with a reasonable suspicion after the consultation.
    fn only_with_suspicion(self) -> bool {
        self > Duty::Vertrouwensinspecteur
    }
}

/// Where a duty stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DutyState {
    Done,
    /// The first duty not done: what is next.
    Next,
    Open,
    /// The consultation showed no reasonable suspicion: the duty falls away.
    FallenAway,
}

fn plicht(kind: Kind, body: &Body) -> Option<&str> {
    (kind == Kind::Medewerkerplicht)
        .then(|| body.get(keys::PLICHT).map(String::as_str))
        .flatten()
}

fn recorded(entries: &[(Kind, &Body)], duty: Duty) -> bool {
    entries
        .iter()
        .any(|(k, b)| plicht(*k, b) == Some(duty.code()))
}

/// The outcome of the consultation with the vertrouwensinspecteur as last recorded: `Some(true)`
/// for a reasonable suspicion. An entry "geen aangifte: geen redelijk vermoeden" counts as "no".
/// `None` when no outcome was recorded (also for consultations recorded before the outcome was
/// asked).
pub fn suspicion(entries: &[(Kind, &Body)]) -> Option<bool> {
    let mut outcome = None;
    for (kind, body) in entries {
        match plicht(*kind, body) {
            Some("inspecteur") => match body.get(keys::REDELIJK_VERMOEDEN).map(String::as_str) {
                Some("ja") => outcome = Some(true),
                Some("nee") => outcome = Some(false),
                _ => {}
            },
            Some("geen_aangifte") => outcome = Some(false),
            _ => {}
        }
    }
    outcome
}

/// The art. 4a duties of the dossier in their order, with where each stands. Empty when art. 4a
/// does not apply.
pub fn checklist(forms: &[Form], entries: &[(Kind, &Body)]) -> Vec<(Duty, DutyState)> {
    if !applies_art_4a(forms) {
        return Vec::new();
    }
    let no_suspicion = suspicion(entries) == Some(false);
    let mut next_given = false;
    Duty::ALL
        .into_iter()
        .map(|duty| {
            let state = if recorded(entries, duty) {
                DutyState::Done
            } else if no_suspicion && duty.only_with_suspicion() {
                DutyState::FallenAway
            } else if !next_given {
                next_given = true;
                DutyState::Next
            } else {
                DutyState::Open
            };
            (duty, state)
        })
        .collect()
}

/// The art. 4a duties that still stand open, in order. A duty that holds only with a reasonable
/// suspicion stays open while the outcome of the consultation is not known.
pub fn open_duties(forms: &[Form], entries: &[(Kind, &Body)]) -> Vec<Duty> {
    checklist(forms, entries)
        .into_iter()
        .filter(|(_, s)| matches!(s, DutyState::Next | DutyState::Open))
        .map(|(d, _)| d)
        .collect()
}

fn has(body: &Body, key: &str) -> bool {
    body.get(key).is_some_and(|v| !v.trim().is_empty())
}

fn list(duties: &[Duty]) -> String {
    let names: Vec<&str> = duties.iter().map(|d| d.missing()).collect();
    match names.as_slice() {
        [] => String::new(),
        [one] => (*one).to_string(),
        [rest @ .., last] => format!("{} en {}", rest.join(", "), last),
    }
}

/// A new Medewerkerplicht entry, against the entries before it, when art. 4a applies: informing
/// the parents and the accused, or the aangifte, before the consultation with the
/// vertrouwensinspecteur is recorded (and the aangifte before the parents and the accused are
/// informed) needs the reason why it could not wait; informing the inspector of an aangifte needs
/// the aangifte; the consultation records its outcome; "geen aangifte" follows the consultation.
pub fn a_staff_duty_follows_the_lawful_order(
    forms: &[Form],
    body: &Body,
    earlier: &[(Kind, &Body)],
) -> FieldErrors {
    let mut errors = FieldErrors::new();
    if !applies_art_4a(forms) {
        return errors;
    }
    let consulted = recorded(earlier, Duty::Vertrouwensinspecteur);
    match body.get(keys::PLICHT).map(String::as_str) {
        Some("inspecteur") if !has(body, keys::REDELIJK_VERMOEDEN) => errors.push((
            keys::REDELIJK_VERMOEDEN,
            "Leg de uitkomst van het overleg vast: is er een redelijk vermoeden?".into(),
        )),
        Some(code @ ("ouders_beschuldigde" | "aangifte")) if !has(body, keys::REDEN_VOLGORDE) => {
            let mut before = Vec::new();
            if !consulted {
                before.push(Duty::Vertrouwensinspecteur);
            }
            if code == "aangifte" && !recorded(earlier, Duty::OudersEnBeschuldigde) {
                before.push(Duty::OudersEnBeschuldigde);
            }
            if !before.is_empty() {
                errors.push((
                    keys::REDEN_VOLGORDE,
                    format!(
                        "De wet zet eerst {}. Dat is nog niet vastgelegd. Leg dat eerst vast, of schrijf op waarom deze stap niet kon wachten (bijvoorbeeld acuut gevaar voor de leerling).",
                        list(&before)
                    ),
                ));
            }
        }
        Some("inspecteur_aangifte") if !recorded(earlier, Duty::Aangifte) => errors.push((
            keys::PLICHT,
            "Er is nog geen aangifte vastgelegd. Leg eerst de aangifte vast.".into(),
        )),
        Some("geen_aangifte") if !consulted => errors.push((
            keys::PLICHT,
            "Of er een redelijk vermoeden is, blijkt uit het overleg met de vertrouwensinspecteur. Leg eerst dat overleg vast, met de uitkomst.".into(),
        )),
        _ => {}
    }
    errors
}

/// Closing a staff dossier while art. 4a duties stand open needs the reason, recorded on the
/// closing form; the message names the open duties.
pub fn a_staff_dossier_closes_with_open_duties_only_with_a_reason(
    forms: &[Form],
    body: &Body,
    earlier: &[(Kind, &Body)],
) -> FieldErrors {
    let open = open_duties(forms, earlier);
    if open.is_empty() || has(body, keys::OPEN_PLICHTEN_REDEN) {
        return FieldErrors::new();
    }
    vec![(
        keys::OPEN_PLICHTEN_REDEN,
        format!(
            "Nog niet vastgelegd: {}. Leg dat eerst vast, of schrijf op waarom u het dossier toch sluit.",
            list(&open)
        ),
    )]
}

/// The rules of the staff route for a new entry of `kind` with `body`, given the dossier's route,
/// forms and earlier entries (oldest first). Empty when nothing is refused. Called by
/// `domain::progress::admit`, which the store runs inside the entry's write transaction.
pub fn staff_route_rules(
    route: Route,
    forms: &[Form],
    kind: Kind,
    body: &Body,
    earlier: &[(Kind, &Body)],
) -> FieldErrors {
    match (route, kind) {
        (Route::Medewerker, Kind::Medewerkerplicht) => {
            a_staff_duty_follows_the_lawful_order(forms, body, earlier)
        }
        (Route::Medewerker, Kind::Gesloten) => {
            a_staff_dossier_closes_with_open_duties_only_with_a_reason(forms, body, earlier)
        }
        _ => FieldErrors::new(),
    }
}

/// The fields of a form that do not apply to this dossier: the art. 4a fields of a
/// Medewerkerplicht entry where art. 4a does not apply, and the reason for closing with open
/// duties unless it is a staff dossier with open duties.
pub fn omitted_fields(
    route: Route,
    forms: &[Form],
    kind: Kind,
    entries: &[(Kind, &Body)],
) -> Vec<&'static str> {
    match kind {
        Kind::Medewerkerplicht if !applies_art_4a(forms) => {
            vec![keys::REDELIJK_VERMOEDEN, keys::REDEN_VOLGORDE]
        }
        Kind::Gesloten if route != Route::Medewerker || open_duties(forms, entries).is_empty() => {
            vec![keys::OPEN_PLICHTEN_REDEN]
        }
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn duty(code: &str, extra: &[(&str, &str)]) -> Body {
        let mut b = Body::new();
        b.insert("plicht".into(), code.into());
        b.insert("datum".into(), "2026-11-27".into());
        b.insert("toelichting".into(), "t".into());
        for (k, v) in extra {
            b.insert((*k).into(), (*v).into());
        }
        b
    }

    fn keys(errors: FieldErrors) -> Vec<&'static str> {
        errors.into_iter().map(|(k, _)| k).collect()
    }

    const SEXUAL: &[Form] = &[Form::Seksueel];
    const PHYSICAL: &[Form] = &[Form::Lichamelijk];

    #[test]
    fn art_4a_applies_to_sexual_violence_only() {
        assert!(applies_art_4a(&[Form::Lichamelijk, Form::Seksueel]));
        assert!(!applies_art_4a(PHYSICAL));
        assert!(!applies_art_4a(&[]));
    }

    #[test]
    fn the_duties_come_in_the_lawful_order_and_the_first_not_done_is_next() {
        let bestuur = duty("bestuur", &[]);
        let entries = [(Kind::Medewerkerplicht, &bestuur)];
        assert_eq!(
            checklist(SEXUAL, &entries),
            vec![
                (Duty::BevoegdGezag, DutyState::Done),
                (Duty::Vertrouwensinspecteur, DutyState::Next),
                (Duty::OudersEnBeschuldigde, DutyState::Open),
                (Duty::Aangifte, DutyState::Open),
                (Duty::InspecteurOverAangifte, DutyState::Open),
            ]
        );
        assert!(checklist(PHYSICAL, &entries).is_empty());
    }

    #[test]
    fn with_no_reasonable_suspicion_the_later_duties_fall_away() {
        let bestuur = duty("bestuur", &[]);
        let nee = duty("inspecteur", &[(keys::REDELIJK_VERMOEDEN, "nee")]);
        let entries = [
            (Kind::Medewerkerplicht, &bestuur),
            (Kind::Medewerkerplicht, &nee),
        ];
        assert!(open_duties(SEXUAL, &entries).is_empty());
        assert_eq!(
            checklist(SEXUAL, &entries)[2],
            (Duty::OudersEnBeschuldigde, DutyState::FallenAway)
        );
        let ja = duty("inspecteur", &[(keys::REDELIJK_VERMOEDEN, "ja")]);
        let entries = [
            (Kind::Medewerkerplicht, &bestuur),
            (Kind::Medewerkerplicht, &ja),
        ];
        assert_eq!(
            open_duties(SEXUAL, &entries),
            vec![
                Duty::OudersEnBeschuldigde,
                Duty::Aangifte,
                Duty::InspecteurOverAangifte
            ]
        );
    }

    #[test]
    fn a_consultation_without_a_recorded_outcome_leaves_the_later_duties_open() {
        let legacy = duty("inspecteur", &[]);
        let entries = [(Kind::Medewerkerplicht, &legacy)];
        assert_eq!(suspicion(&entries), None);
        assert!(open_duties(SEXUAL, &entries).contains(&Duty::Aangifte));
        let geen = duty("geen_aangifte", &[]);
        let entries = [
            (Kind::Medewerkerplicht, &legacy),
            (Kind::Medewerkerplicht, &geen),
        ];
        assert_eq!(suspicion(&entries), Some(false));
    }

    #[test]
    fn an_aangifte_before_the_consultation_is_refused_unless_it_records_why() {
        let aangifte = duty("aangifte", &[]);
        let errors = a_staff_duty_follows_the_lawful_order(SEXUAL, &aangifte, &[]);
        assert_eq!(keys(errors.clone()), vec![keys::REDEN_VOLGORDE]);
        assert!(errors[0].1.contains("vertrouwensinspecteur"), "{errors:?}");
        let acute = duty(
            "aangifte",
            &[(keys::REDEN_VOLGORDE, "De leerling is in acuut gevaar.")],
        );
        assert!(a_staff_duty_follows_the_lawful_order(SEXUAL, &acute, &[]).is_empty());
        // Not where art. 4a does not apply.
        assert!(a_staff_duty_follows_the_lawful_order(PHYSICAL, &aangifte, &[]).is_empty());
    }

    #[test]
    fn informing_parents_and_accused_before_the_consultation_asks_why() {
        let ouders = duty("ouders_beschuldigde", &[]);
        assert_eq!(
            keys(a_staff_duty_follows_the_lawful_order(SEXUAL, &ouders, &[])),
            vec![keys::REDEN_VOLGORDE]
        );
        let ja = duty("inspecteur", &[(keys::REDELIJK_VERMOEDEN, "ja")]);
        assert!(
            a_staff_duty_follows_the_lawful_order(
                SEXUAL,
                &ouders,
                &[(Kind::Medewerkerplicht, &ja)]
            )
            .is_empty()
        );
    }

    #[test]
    fn the_aangifte_comes_after_informing_parents_and_accused_or_says_why() {
        let ja = duty("inspecteur", &[(keys::REDELIJK_VERMOEDEN, "ja")]);
        let aangifte = duty("aangifte", &[]);
        let errors = a_staff_duty_follows_the_lawful_order(
            SEXUAL,
            &aangifte,
            &[(Kind::Medewerkerplicht, &ja)],
        );
        assert_eq!(keys(errors.clone()), vec![keys::REDEN_VOLGORDE]);
        assert!(errors[0].1.contains("ouders en de beschuldigde"));
        let ouders = duty("ouders_beschuldigde", &[]);
        assert!(
            a_staff_duty_follows_the_lawful_order(
                SEXUAL,
                &aangifte,
                &[
                    (Kind::Medewerkerplicht, &ja),
                    (Kind::Medewerkerplicht, &ouders)
                ]
            )
            .is_empty()
        );
    }

    #[test]
    fn the_consultation_records_its_outcome() {
        let without = duty("inspecteur", &[]);
        assert_eq!(
            keys(a_staff_duty_follows_the_lawful_order(SEXUAL, &without, &[])),
            vec![keys::REDELIJK_VERMOEDEN]
        );
        assert!(a_staff_duty_follows_the_lawful_order(PHYSICAL, &without, &[]).is_empty());
    }

    #[test]
    fn the_inspector_is_told_of_an_aangifte_only_after_it() {
        let told = duty("inspecteur_aangifte", &[(keys::REDEN_VOLGORDE, "spoed")]);
        assert_eq!(
            keys(a_staff_duty_follows_the_lawful_order(SEXUAL, &told, &[])),
            vec!["plicht"]
        );
        let aangifte = duty("aangifte", &[(keys::REDEN_VOLGORDE, "spoed")]);
        assert!(
            a_staff_duty_follows_the_lawful_order(
                SEXUAL,
                &told,
                &[(Kind::Medewerkerplicht, &aangifte)]
            )
            .is_empty()
        );
    }

    #[test]
    fn a_staff_dossier_with_open_duties_is_closed_only_with_a_reason() {
        let mut close = Body::new();
        close.insert("reden".into(), "ongegrond".into());
        let bestuur = duty("bestuur", &[]);
        let earlier = [(Kind::Medewerkerplicht, &bestuur)];
        let errors = staff_route_rules(Route::Medewerker, SEXUAL, Kind::Gesloten, &close, &earlier);
        assert_eq!(keys(errors.clone()), vec![keys::OPEN_PLICHTEN_REDEN]);
        assert!(errors[0].1.contains("vertrouwensinspecteur"));
        close.insert(
            keys::OPEN_PLICHTEN_REDEN.into(),
            "De medewerker werkt hier niet meer; bestuur handelt het af.".into(),
        );
        assert!(
            staff_route_rules(Route::Medewerker, SEXUAL, Kind::Gesloten, &close, &earlier)
                .is_empty()
        );
        let mut plain = Body::new();
        plain.insert("reden".into(), "ongegrond".into());
        assert!(
            staff_route_rules(Route::Medewerker, PHYSICAL, Kind::Gesloten, &plain, &[]).is_empty(),
            "no art. 4a duties for other violence"
        );
        assert!(
            staff_route_rules(Route::Stappenplan, SEXUAL, Kind::Gesloten, &plain, &[]).is_empty(),
            "not on the stappenplan"
        );
    }

    #[test]
    fn the_closing_reason_is_asked_only_on_a_staff_dossier_with_open_duties() {
        assert_eq!(
            omitted_fields(Route::Stappenplan, SEXUAL, Kind::Gesloten, &[]),
            vec![keys::OPEN_PLICHTEN_REDEN]
        );
        assert!(omitted_fields(Route::Medewerker, SEXUAL, Kind::Gesloten, &[]).is_empty());
        assert_eq!(
            omitted_fields(Route::Medewerker, PHYSICAL, Kind::Medewerkerplicht, &[]),
            vec![keys::REDELIJK_VERMOEDEN, keys::REDEN_VOLGORDE]
        );
    }

    #[test]
    fn every_duty_is_a_choice_of_the_staff_entry() {
        let Some(field) = Kind::Medewerkerplicht
            .fields()
            .iter()
            .find(|f| f.key == "plicht")
        else {
            panic!("the staff entry records its duty");
        };
        let super::super::entry::Input::Choice(options) = field.input else {
            panic!("a choice");
        };
        for d in Duty::ALL {
            assert!(options.iter().any(|(c, _)| *c == d.code()), "{d:?}");
            assert_eq!(Duty::parse(d.code()), Some(d));
        }
        for key in [keys::REDELIJK_VERMOEDEN, keys::REDEN_VOLGORDE] {
            assert!(Kind::Medewerkerplicht.fields().iter().any(|f| f.key == key));
        }
        assert!(
            Kind::Gesloten
                .fields()
                .iter()
                .any(|f| f.key == keys::OPEN_PLICHTEN_REDEN)
        );
    }
}
