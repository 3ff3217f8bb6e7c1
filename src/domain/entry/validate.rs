//! Checking a form against its kind's fields: each field on its own (required, length, a valid
//! choice, a date in its range), then the rules that span fields (`rules.rs`). Also how a typed or
//! stored date is read.

use super::super::dates;
use super::rules::rules;
use super::{Body, Context, DateRule, Field, FieldErrors, Input, Kind, LINE_MAX, TEXT_MAX, Values};
use super::{has, is, keys};
use time::Date;

/// A typed or stored date. Dutch users write day-month-year: `28-11-2026`, also `1-2-2026`
/// (and with `/` or `.`, or as eight digits from a number pad: `28112026`); the application
/// stores `2026-11-28`. All are
/// read; the year always has four digits and there is no sign (`-0001-01-01`, `+2026-01-01` and
/// `28-11-26` are no dates). Whether the date is in a sensible range is `domain::dates`'s rule,
/// applied where a date is entered.
pub fn parse_date(value: &str) -> Option<Date> {
    let value = value.trim();
    // Eight digits without separators, as a phone's number pad types them: day, month, year.
    if value.len() == 8 && value.bytes().all(|b| b.is_ascii_digit()) {
        let (d, m, y) = (&value[..2], &value[2..4], &value[4..]);
        let month = time::Month::try_from(m.parse::<u8>().ok()?).ok()?;
        return Date::from_calendar_date(y.parse().ok()?, month, d.parse().ok()?).ok();
    }
    let sep = value.chars().find(|c| !c.is_ascii_digit())?;
    let parts: Vec<&str> = value.split(sep).collect();
    let [a, b, c] = parts[..] else {
        return None;
    };
    if [a, b, c]
        .iter()
        .any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    let (year, month, day) = match (a.len(), b.len(), c.len()) {
        (4, 2, 2) if sep == '-' => (a, b, c),
        (1..=2, 1..=2, 4) if matches!(sep, '-' | '/' | '.') => (c, b, a),
        _ => return None,
    };
    let month = time::Month::try_from(month.parse::<u8>().ok()?).ok()?;
    Date::from_calendar_date(year.parse().ok()?, month, day.parse().ok()?).ok()
}

fn first<'a>(values: &'a Values, key: &str) -> &'a str {
    values
        .get(key)
        .and_then(|v| v.first())
        .map_or("", |s| s.trim())
}

/// Checks a form against its kind's fields and rules. On success, the body to store.
pub fn validate(kind: Kind, values: &Values, ctx: &Context) -> Result<Body, FieldErrors> {
    let mut body = Body::new();
    let mut errors = FieldErrors::new();
    for field in kind.fields() {
        let value = first(values, field.key);
        let stored = match field.input {
            Input::Line | Input::Text => {
                let max = if field.input == Input::Line {
                    LINE_MAX
                } else {
                    TEXT_MAX
                };
                if value.chars().count() > max {
                    errors.push((
                        field.key,
                        format!("Dit is te lang: gebruik hoogstens {max} tekens."),
                    ));
                }
                let bad_control = value
                    .chars()
                    .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t');
                if bad_control || (field.input == Input::Line && value.contains('\n')) {
                    errors.push((
                        field.key,
                        "Deze tekst bevat tekens die hier niet passen.".into(),
                    ));
                }
                value.replace("\r\n", "\n")
            }
            Input::Date(rule) => {
                if value.is_empty() {
                    String::new()
                } else {
                    match parse_date(value) {
                        None => {
                            errors.push((
                                field.key,
                                "Vul een geldige datum in, bijvoorbeeld 28-11-2026.".into(),
                            ));
                            value.to_string()
                        }
                        Some(d) if dates::check_event(d).is_err() => {
                            errors.push((field.key, dates::OUT_OF_RANGE.into()));
                            value.to_string()
                        }
                        Some(d) if rule == DateRule::Past && d > ctx.today => {
                            errors.push((field.key, "Deze datum ligt in de toekomst.".into()));
                            value.to_string()
                        }
                        Some(d) if ctx.opened_on.is_some_and(|o| d < o) => {
                            errors.push((field.key, before_opening_message(ctx)));
                            value.to_string()
                        }
                        Some(d) if rule == DateRule::Future && d < ctx.today => {
                            errors.push((
                                field.key,
                                "Deze datum ligt in het verleden: kies vandaag of later.".into(),
                            ));
                            value.to_string()
                        }
                        Some(d) => d.to_string(),
                    }
                }
            }
            Input::Choice(options) => {
                if !value.is_empty() && !options.iter().any(|(code, _)| *code == value) {
                    errors.push((field.key, "Kies een van de mogelijkheden.".into()));
                }
                value.to_string()
            }
            Input::Check => {
                if value.is_empty() {
                    String::new()
                } else {
                    "ja".to_string()
                }
            }
            Input::Signals => {
                // Only signals of the list in use; their texts are stored, one per line.
                let ticked: Vec<&str> = values
                    .get(field.key)
                    .map(|v| {
                        v.iter()
                            .map(|s| s.trim())
                            .filter(|s| ctx.signals.as_ref().is_some_and(|l| l.contains(s)))
                            .collect()
                    })
                    .unwrap_or_default();
                ticked.join("\n")
            }
            Input::BodyMap => crate::domain::bodymap::stored(
                values
                    .get(field.key)
                    .map(|v| v.iter().map(String::as_str).collect::<Vec<_>>())
                    .unwrap_or_default(),
            ),
        };
        if field.required && stored.is_empty() {
            errors.push((field.key, required_message(field)));
        }
        if !stored.is_empty() {
            body.insert(field.key.to_string(), stored);
        }
    }
    rules(kind, &body, ctx, &mut errors);
    // What a choice makes irrelevant is not stored: an anonymity ground without anonymity asked
    // for would read as if the reporter wished to stay anonymous.
    if kind == Kind::Melding && !has(&body, keys::ANONIEM) {
        body.remove(keys::ANONIEM_GROND);
    }
    if kind == Kind::Meldgesprek && !is(&body, keys::TOESTEMMING, "niet_gevraagd") {
        body.remove(keys::TOESTEMMING_TOELICHTING);
    }
    if errors.is_empty() {
        Ok(body)
    } else {
        Err(errors)
    }
}

/// An entry is not dated before its dossier was opened (issue 12: no contradictory records).
fn before_opening_message(ctx: &Context) -> String {
    let opened = ctx.opened_on.map_or(String::new(), |d| {
        format!(" ({:02}-{:02}-{})", d.day(), u8::from(d.month()), d.year())
    });
    format!(
        "Deze datum ligt vóór de opening van het dossier{opened}. Gebeurde er eerder iets? Beschrijf dat dan in de tekst, met de datum erbij."
    )
}

fn required_message(field: &Field) -> String {
    match field.input {
        Input::Choice(_) => "Maak een keuze.".to_string(),
        Input::Date(_) => "Vul een datum in.".to_string(),
        _ => "Vul dit in.".to_string(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_date_typed_on_a_number_pad_as_eight_digits_reads_as_day_month_year() {
        use time::macros::date;
        assert_eq!(super::parse_date("28112026"), Some(date!(2026 - 11 - 28)));
        assert_eq!(super::parse_date("01042016"), Some(date!(2016 - 04 - 01)));
        assert_eq!(super::parse_date("31022026"), None, "no 31 February");
        assert_eq!(super::parse_date("2811202"), None);
    }

    use super::super::testing::{ctx, error_keys, values};
    use super::super::{Context, Step, display};
    use super::*;

    #[test]
    fn only_signals_of_the_list_in_use_are_stored_by_their_text() {
        let list = ctx().signals.unwrap();
        let known = list.groups[0].signals[0].clone();
        let v = values(&[
            ("aard", "feit"),
            ("waarneming", "x"),
            ("bron", "eigen"),
            ("signalen", &known),
            ("signalen", "Iets wat niet op de lijst staat"),
        ]);
        let body = validate(Kind::Signaal, &v, &ctx()).unwrap();
        assert_eq!(body["signalen"], known);
    }

    #[test]
    fn a_hypothesis_is_recorded_as_one() {
        let v = values(&[
            ("aard", "hypothese"),
            ("waarneming", "Mogelijk spanning thuis"),
            ("bron", "eigen"),
        ]);
        let body = validate(Kind::Signaal, &v, &ctx()).unwrap();
        assert_eq!(body["aard"], "hypothese");
        assert!(
            display(Kind::Signaal, &body)
                .iter()
                .any(|(_, v)| v.contains("veronderstelling"))
        );
        assert_eq!(
            error_keys(validate(
                Kind::Signaal,
                &values(&[("waarneming", "x"), ("bron", "eigen")]),
                &ctx()
            )),
            vec!["aard"]
        );
    }

    #[test]
    fn a_conversation_may_be_skipped_only_for_the_two_lawful_reasons() {
        let v = values(&[("reden", "geen_tijd"), ("toelichting", "druk")]);
        assert_eq!(
            error_keys(validate(Kind::GesprekOvergeslagen, &v, &ctx())),
            vec!["reden"]
        );
        let v = values(&[("reden", "veiligheid"), ("toelichting", "Vader dreigde")]);
        assert!(validate(Kind::GesprekOvergeslagen, &v, &ctx()).is_ok());
        let v = values(&[("reden", "contact_verbreken")]);
        assert_eq!(
            error_keys(validate(Kind::GesprekOvergeslagen, &v, &ctx())),
            vec!["toelichting"]
        );
    }

    #[test]
    fn the_anonymity_ground_is_stored_only_when_anonymity_is_asked_for() {
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
            ("anoniem_grond", "vertrouwensrelatie"),
        ]);
        let body = validate(Kind::Melding, &v, &all).unwrap();
        assert!(!body.contains_key("anoniem_grond"));
        let mut anonymous = v.clone();
        anonymous.insert("anoniem".into(), vec!["ja".into()]);
        let body = validate(Kind::Melding, &anonymous, &all).unwrap();
        assert_eq!(body["anoniem_grond"], "vertrouwensrelatie");
    }

    #[test]
    fn no_entry_is_dated_before_the_dossier_was_opened() {
        let v = values(&[("datum", "2026-11-01"), ("uitkomst", "u")]);
        let errors = validate(Kind::Terugkoppeling, &v, &ctx()).unwrap_err();
        assert_eq!(errors[0].0, "datum");
        assert!(
            errors[0]
                .1
                .contains("vóór de opening van het dossier (02-11-2026)")
        );
        let v = values(&[("datum", "2026-11-02"), ("uitkomst", "u")]);
        assert!(validate(Kind::Terugkoppeling, &v, &ctx()).is_ok());
    }

    #[test]
    fn dates_of_events_are_not_in_the_future_and_review_dates_not_in_the_past() {
        let v = values(&[("datum", "2027-01-01"), ("uitkomst", "u")]);
        assert_eq!(
            error_keys(validate(Kind::Terugkoppeling, &v, &ctx())),
            vec!["datum"]
        );
        // Typed the Dutch way, stored as the browser sends it.
        let v = values(&[("datum", "28-11-2026"), ("uitkomst", "u")]);
        assert_eq!(
            validate(Kind::Terugkoppeling, &v, &ctx()).unwrap()["datum"],
            "2026-11-28"
        );
        let v = values(&[
            ("datum", "2026-11-27"),
            ("hulp", "h"),
            ("rollen", "r"),
            ("casemanager", "c"),
            ("termijn", "2026-12-31"),
            ("evaluatiedatum", "2026-01-01"),
        ]);
        assert_eq!(
            error_keys(validate(Kind::Hulpplan, &v, &ctx())),
            vec!["evaluatiedatum"]
        );
    }

    #[test]
    fn a_date_in_an_entry_lies_between_1990_and_2100_and_has_a_four_digit_year() {
        for bad in [
            "1900-01-01",
            "-0001-01-01",
            "+2026-01-01",
            "9999-12-31",
            "0226-11-28",
        ] {
            let v = values(&[("datum", bad), ("uitkomst", "u")]);
            assert_eq!(
                error_keys(validate(Kind::Terugkoppeling, &v, &ctx())),
                vec!["datum"],
                "{bad}"
            );
        }
        let v = values(&[
            ("datum", "2026-11-27"),
            ("hulp", "h"),
            ("rollen", "r"),
            ("casemanager", "c"),
            ("termijn", "2026-12-31"),
            ("evaluatiedatum", "2101-01-01"),
        ]);
        assert_eq!(
            error_keys(validate(Kind::Hulpplan, &v, &ctx())),
            vec!["evaluatiedatum"]
        );
        let v = values(&[("datum", "1990-01-01"), ("uitkomst", "u")]);
        let opening = Context {
            opened_on: None,
            ..ctx()
        };
        assert!(validate(Kind::Terugkoppeling, &v, &opening).is_ok());
    }

    #[test]
    fn overlong_text_and_control_characters_are_refused() {
        let long = "x".repeat(TEXT_MAX + 1);
        let v = values(&[("reden", &long)]);
        assert_eq!(
            error_keys(validate(Kind::Heropend, &v, &ctx())),
            vec!["reden"]
        );
        let v = values(&[("reden", "a\u{0}b")]);
        assert_eq!(
            error_keys(validate(Kind::Heropend, &v, &ctx())),
            vec!["reden"]
        );
    }
}
