//! The inspection copy (inzage): what the aandachtsfunctionaris may withhold from the copy of a
//! pupil's dossiers handed to the parents or the pupil, and the copy with those passages replaced.
//!
//! Parents and pupils have a right of inspection (AVG art. 15), but it may not harm the rights of
//! others (art. 15 lid 4): what a dossier says about another family, what a colleague told in
//! confidence, and a professional's personal work notes may be left out. The dossier itself
//! never changes; only the copy says "[weggelaten: …]" where something was left out, and lists
//! what was withheld and why, so the reader knows that something was.

use super::entry::{Body, Kind, display_keyed};
use super::ids::EntryId;

/// Why a passage is withheld from the inspection copy: the grounds the law allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    /// It is about others than the pupil and the parents (derden): another family, a classmate.
    Derden,
    /// Someone told it in confidence (a colleague, another parent).
    Vertrouwelijk,
    /// A personal work note (werkaantekening) of the professional, not part of the record proper.
    Werkaantekening,
}

impl Reason {
    /// Every reason, in the order the form offers them.
    pub const ALL: [Reason; 3] = [
        Reason::Derden,
        Reason::Vertrouwelijk,
        Reason::Werkaantekening,
    ];

    /// The stable code the form sends and the store keeps.
    pub fn code(self) -> &'static str {
        match self {
            Reason::Derden => "derden",
            Reason::Vertrouwelijk => "vertrouwelijk",
            Reason::Werkaantekening => "werkaantekening",
        }
    }

    /// The reason as the copy states it to the parents or the pupil: "[weggelaten: …]".
    pub fn label(self) -> &'static str {
        match self {
            Reason::Derden => "gaat over anderen dan de leerling en de ouders",
            Reason::Vertrouwelijk => "iemand vertelde het in vertrouwen",
            Reason::Werkaantekening => "persoonlijke werkaantekening",
        }
    }

    /// The reason as the form offers it, a whole sentence.
    pub fn choice(self) -> &'static str {
        match self {
            Reason::Derden => "Het gaat over anderen dan de leerling en de ouders (derden).",
            Reason::Vertrouwelijk => "Iemand vertelde het mij in vertrouwen.",
            Reason::Werkaantekening => "Het is een persoonlijke werkaantekening.",
        }
    }

    /// The reason a code names; `None` for any other text.
    pub fn parse(code: &str) -> Option<Reason> {
        Reason::ALL.into_iter().find(|r| r.code() == code)
    }
}

/// What the copy shows in place of what is withheld.
pub fn withheld_notice(reason: Reason) -> String {
    format!("[weggelaten: {}]", reason.label())
}

/// The form's value for "the whole entry" (the other values are field keys).
pub const WHOLE_ENTRY: &str = "heel";

/// The longest explanation kept: a short account in one's own words, not a second dossier.
pub const EXPLANATION_MAX_CHARS: usize = 500;

/// What of an entry is withheld.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// The whole entry: the copy keeps only its kind, date and author.
    Entry,
    /// One field, by its key in the entry's kind.
    Field(&'static str),
}

impl Part {
    /// The key stored for this part: "" for the whole entry.
    pub fn key(self) -> &'static str {
        match self {
            Part::Entry => "",
            Part::Field(key) => key,
        }
    }
}

/// A redaction as the aandachtsfunctionaris asked for it, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Marking {
    pub part: Part,
    pub reason: Reason,
    /// Why, in their own words (trimmed, never empty).
    pub explanation: String,
}

/// Checks a redaction as the form sends it for an entry of `kind`: `part` is [`WHOLE_ENTRY`] or
/// the key of one of the kind's fields, `reason` a [`Reason`]'s code, `explanation` a short text.
/// On a mistake, the Dutch messages per form field (`deel`, `reden`, `toelichting`), in the
/// form's order.
pub fn parse_marking(
    kind: Kind,
    part: &str,
    reason: &str,
    explanation: &str,
) -> Result<Marking, Vec<(&'static str, String)>> {
    let mut errors = Vec::new();
    let part = if part == WHOLE_ENTRY {
        Some(Part::Entry)
    } else {
        kind.fields()
            .iter()
            .find(|f| f.key == part)
            .map(|f| Part::Field(f.key))
    };
    if part.is_none() {
        errors.push((
            "deel",
            "Kies wat u weglaat: de hele aantekening of één onderdeel.".to_string(),
        ));
    }
    let reason = Reason::parse(reason);
    if reason.is_none() {
        errors.push(("reden", "Kies de reden waarom u dit weglaat.".to_string()));
    }
    let explanation = explanation.trim();
    if explanation.is_empty() {
        errors.push((
            "toelichting",
            "Schrijf in een paar woorden waarom u dit weglaat.".to_string(),
        ));
    } else if explanation.chars().count() > EXPLANATION_MAX_CHARS {
        errors.push((
            "toelichting",
            format!("Dit is te lang: gebruik hoogstens {EXPLANATION_MAX_CHARS} tekens."),
        ));
    }
    match (part, reason) {
        (Some(part), Some(reason)) if errors.is_empty() => Ok(Marking {
            part,
            reason,
            explanation: explanation.to_string(),
        }),
        _ => Err(errors),
    }
}

/// A redaction in force, as the copy applies it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redaction {
    pub entry: EntryId,
    /// The field's key; `None` for the whole entry.
    pub field: Option<String>,
    pub reason: Reason,
}

/// What the copy names as withheld: the field's label, or the whole entry.
pub fn part_label(kind: Kind, field: Option<&str>) -> &'static str {
    match field {
        None => "De hele aantekening",
        Some(key) => kind
            .fields()
            .iter()
            .find(|f| f.key == key)
            .map_or("Een onderdeel", |f| f.label),
    }
}

/// One entry's fields in the inspection copy: label and value as the dossier shows them, with
/// "[weggelaten: …]" in place of a field withheld, or one line in place of all fields when the
/// whole entry is (its field labels could tell what it was about).
pub fn copy_fields(
    kind: Kind,
    entry: EntryId,
    body: &Body,
    redactions: &[Redaction],
) -> Vec<(&'static str, String)> {
    let of_entry: Vec<&Redaction> = redactions.iter().filter(|r| r.entry == entry).collect();
    if let Some(whole) = of_entry.iter().find(|r| r.field.is_none()) {
        return vec![("Inhoud", withheld_notice(whole.reason))];
    }
    display_keyed(kind, body)
        .into_iter()
        .map(|(key, label, value)| {
            match of_entry
                .iter()
                .find(|r| r.field.as_deref() == Some(key) && !key.is_empty())
            {
                Some(r) => (label, withheld_notice(r.reason)),
                None => (label, value),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::entry::keys;

    fn signal() -> Body {
        let mut body = Body::new();
        body.insert(keys::AARD.into(), "feit".into());
        body.insert(keys::WAARNEMING.into(), "De buurman zei iets".into());
        body.insert(keys::BRON.into(), "derde".into());
        body.insert(keys::BRON_WIE.into(), "Buurvrouw Jansen".into());
        body
    }

    #[test]
    fn a_withheld_field_shows_its_reason_in_place_of_its_text_and_the_rest_stays() {
        let redactions = [Redaction {
            entry: EntryId::new(7),
            field: Some(keys::BRON_WIE.to_string()),
            reason: Reason::Vertrouwelijk,
        }];
        let copy = copy_fields(Kind::Signaal, EntryId::new(7), &signal(), &redactions);
        assert!(copy.contains(&(
            "Wie vertelde het?",
            "[weggelaten: iemand vertelde het in vertrouwen]".to_string()
        )));
        assert!(copy.contains(&("Beschrijving", "De buurman zei iets".to_string())));
        assert!(!copy.iter().any(|(_, v)| v.contains("Jansen")));
    }

    #[test]
    fn a_withheld_entry_keeps_none_of_its_fields_in_the_copy() {
        let redactions = [Redaction {
            entry: EntryId::new(7),
            field: None,
            reason: Reason::Derden,
        }];
        let copy = copy_fields(Kind::Signaal, EntryId::new(7), &signal(), &redactions);
        assert_eq!(
            copy,
            vec![(
                "Inhoud",
                "[weggelaten: gaat over anderen dan de leerling en de ouders]".to_string()
            )]
        );
    }

    #[test]
    fn a_redaction_of_another_entry_changes_nothing_in_this_one() {
        let redactions = [Redaction {
            entry: EntryId::new(8),
            field: None,
            reason: Reason::Werkaantekening,
        }];
        let copy = copy_fields(Kind::Signaal, EntryId::new(7), &signal(), &redactions);
        assert_eq!(
            copy,
            crate::domain::entry::display(Kind::Signaal, &signal())
        );
    }

    #[test]
    fn a_redaction_needs_a_part_of_the_entry_a_lawful_reason_and_an_explanation() {
        let ok = parse_marking(Kind::Signaal, keys::BRON_WIE, "derden", "  Over de buren ");
        assert_eq!(
            ok,
            Ok(Marking {
                part: Part::Field(keys::BRON_WIE),
                reason: Reason::Derden,
                explanation: "Over de buren".to_string()
            })
        );
        assert_eq!(
            parse_marking(
                Kind::Signaal,
                WHOLE_ENTRY,
                "werkaantekening",
                "Eigen notitie"
            )
            .unwrap()
            .part,
            Part::Entry
        );
        let fields = |r: Result<Marking, Vec<(&'static str, String)>>| {
            r.unwrap_err()
                .into_iter()
                .map(|(k, _)| k)
                .collect::<Vec<_>>()
        };
        assert_eq!(
            fields(parse_marking(Kind::Signaal, WHOLE_ENTRY, "", "")),
            vec!["reden", "toelichting"]
        );
        assert_eq!(
            fields(parse_marking(Kind::Signaal, "bestaat_niet", "omdat", "x")),
            vec!["deel", "reden"]
        );
        let long = "x".repeat(EXPLANATION_MAX_CHARS + 1);
        assert_eq!(
            fields(parse_marking(Kind::Signaal, WHOLE_ENTRY, "derden", &long)),
            vec!["toelichting"]
        );
    }

    #[test]
    fn the_reasons_read_back_from_their_codes_and_name_the_ground_in_plain_dutch() {
        for r in Reason::ALL {
            assert_eq!(Reason::parse(r.code()), Some(r));
            assert!(withheld_notice(r).starts_with("[weggelaten: "));
        }
        assert_eq!(Reason::parse("Derden"), None);
        assert_eq!(part_label(Kind::Signaal, None), "De hele aantekening");
        assert_eq!(
            part_label(Kind::Signaal, Some(keys::BRON_WIE)),
            "Wie vertelde het?"
        );
    }
}
