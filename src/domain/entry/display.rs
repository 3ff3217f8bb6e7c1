//! An entry as the chronology shows it: each field's label and readable value, and the notice
//! for an entry that cannot be read.

use super::{Body, Input, Kind};

/// What the chronology says of an entry that cannot be read.
pub const UNREADABLE_NOTICE: &str = "Deze aantekening kan niet worden gelezen. Er is niets gewist of veranderd, maar de opgeslagen gegevens zijn niet te tonen. Neem contact op met de beheerder; vermeld het dossier- en aantekeningnummer.";

/// An entry's fields for display: label and readable value, in the kind's order.
pub fn display(kind: Kind, body: &Body) -> Vec<(&'static str, String)> {
    display_keyed(kind, body)
        .into_iter()
        .map(|(_, label, value)| (label, value))
        .collect()
}

/// [`display`] with each field's key first, for what refers to one field (the inspection copy
/// withholds single fields); the notice of an unreadable entry has the key "".
pub fn display_keyed(kind: Kind, body: &Body) -> Vec<(&'static str, &'static str, String)> {
    if kind == Kind::Onleesbaar {
        return vec![("", "Let op", UNREADABLE_NOTICE.to_string())];
    }
    kind.fields()
        .iter()
        .filter_map(|field| {
            let value = body.get(field.key).filter(|v| !v.is_empty())?;
            Some((field.key, field.label, readable(field.input, value)))
        })
        .collect()
}

/// One field of an entry as the chronology shows it (a choice by its label, a tick as "Ja"), or
/// None when the entry does not hold it.
pub fn field(kind: Kind, key: &str, body: &Body) -> Option<String> {
    let value = body.get(key).filter(|v| !v.is_empty())?;
    let input = kind
        .fields()
        .iter()
        .find(|f| f.key == key)
        .map_or(Input::Line, |f| f.input);
    Some(readable(input, value))
}

fn readable(input: Input, value: &str) -> String {
    match input {
        Input::Choice(options) => options
            .iter()
            .find(|(c, _)| *c == value)
            .map_or(value.to_string(), |(_, l)| l.to_string()),
        Input::Check => "Ja".to_string(),
        Input::Signals => value.lines().collect::<Vec<_>>().join("; "),
        Input::BodyMap => crate::domain::bodymap::readable(value),
        _ => value.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unreadable_entry_is_shown_with_a_notice_and_choices_by_their_labels() {
        let mut body = Body::new();
        body.insert("aard".into(), "feit".into());
        body.insert("onthulling".into(), "ja".into());
        body.insert("signalen".into(), "Eerste\nTweede".into());
        body.insert("onbekend".into(), "niet getoond".into());
        assert_eq!(
            display(Kind::Signaal, &body),
            vec![
                (
                    "Wat legt u vast?",
                    "Een feit: iets wat ik zelf zag of hoorde".to_string()
                ),
                (
                    "Signalen uit de signalenlijst",
                    "Eerste; Tweede".to_string()
                ),
                (
                    "De leerling vertelde zelf over onveiligheid thuis",
                    "Ja".to_string()
                ),
            ]
        );
        assert_eq!(
            display(Kind::Onleesbaar, &body),
            vec![("Let op", UNREADABLE_NOTICE.to_string())]
        );
    }
}
