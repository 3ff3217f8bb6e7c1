//! What the organisation must see to (meldcode section IV.b) beyond training, experts and the
//! text itself: the agreement on how it supports staff who are held to account, in or out of
//! court, for how they applied the meldcode. The customer's meldcode: "Afspraken worden gemaakt
//! over de wijze waarop [de organisatie] zijn beroepskrachten zal ondersteunen als zij door
//! cliënten in of buiten rechte worden aangesproken op de wijze waarop zij de meldcode toepassen."
//!
//! The messages are Dutch and fit to show beside the field they are about.

use super::account::{Email, ShortText, parse_phone};

/// The longest arrangement text accepted: a few paragraphs, not a whole regulation.
pub const SUPPORT_MAX_CHARS: usize = 4_000;

/// The recorded arrangement: what the organisation does, and whom to contact about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Support {
    /// The arrangement in the organisation's own words; paragraphs separated by an empty line.
    pub text: String,
    pub contact_name: String,
    /// A phone number or an e-mail address.
    pub contact: String,
}

/// The part of the arrangement a message is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Text,
    ContactName,
    Contact,
}

impl Support {
    /// The arrangement as the beheerder typed it. All three empty: not recorded (`Ok(None)`).
    /// Otherwise all three are needed: the text, the contact's name, and a phone number or an
    /// e-mail address.
    pub fn parse(
        text: &str,
        contact_name: &str,
        contact: &str,
    ) -> Result<Option<Support>, Vec<(Part, String)>> {
        let text = text.trim().replace("\r\n", "\n");
        let (contact_name, contact) = (contact_name.trim(), contact.trim());
        if text.is_empty() && contact_name.is_empty() && contact.is_empty() {
            return Ok(None);
        }
        let mut errors = Vec::new();
        if text.is_empty() {
            errors.push((
                Part::Text,
                "Beschrijf hoe de organisatie medewerkers ondersteunt, of maak alle drie de velden leeg."
                    .to_string(),
            ));
        } else if text.chars().count() > SUPPORT_MAX_CHARS {
            errors.push((
                Part::Text,
                format!("Dit is te lang: gebruik hoogstens {SUPPORT_MAX_CHARS} tekens."),
            ));
        } else if text
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\t')
        {
            errors.push((Part::Text, "Gebruik alleen gewone tekens.".to_string()));
        }
        let name = ShortText::parse(contact_name, "de naam van de contactpersoon");
        if let Err(e) = &name {
            errors.push((Part::ContactName, e.clone()));
        }
        let contact = parse_contact(contact);
        if let Err(e) = &contact {
            errors.push((Part::Contact, e.clone()));
        }
        match (name, contact, errors.is_empty()) {
            (Ok(name), Ok(contact), true) => Ok(Some(Support {
                text,
                contact_name: name.as_str().to_string(),
                contact,
            })),
            _ => Err(errors),
        }
    }

    /// The arrangement as stored (checked when it was saved); `None` while it is not recorded.
    pub fn from_stored(text: &str, contact_name: &str, contact: &str) -> Option<Support> {
        (!text.trim().is_empty()).then(|| Support {
            text: text.to_string(),
            contact_name: contact_name.to_string(),
            contact: contact.to_string(),
        })
    }

    /// The text's paragraphs, as the pages show them.
    pub fn paragraphs(&self) -> Vec<String> {
        self.text
            .split("\n\n")
            .map(|p| p.trim().to_string())
            .filter(|p| !p.is_empty())
            .collect()
    }

    /// Whether the contact is an e-mail address (otherwise a phone number).
    pub fn contact_is_email(&self) -> bool {
        self.contact.contains('@')
    }

    /// The phone number as a `tel:` link wants it: digits and a leading +.
    pub fn contact_tel(&self) -> String {
        self.contact
            .chars()
            .filter(|c| c.is_ascii_digit() || *c == '+')
            .collect()
    }
}

/// A phone number or an e-mail address: with an @ it must be an e-mail address.
fn parse_contact(input: &str) -> Result<String, String> {
    if input.is_empty() {
        return Err("Vul een telefoonnummer of e-mailadres in.".to_string());
    }
    if input.contains('@') {
        Email::parse(input)
            .map(|e| e.as_str().to_string())
            .map_err(str::to_string)
    } else {
        parse_phone(input).map_err(|_| {
            "Vul een telefoonnummer (cijfers, spaties, streepjes) of een e-mailadres in."
                .to_string()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_arrangement_is_not_recorded_and_a_partial_one_names_what_is_missing() {
        assert_eq!(Support::parse("  ", "", " "), Ok(None));
        let errors =
            Support::parse("De organisatie betaalt juridisch advies.", "", "").unwrap_err();
        let parts: Vec<Part> = errors.iter().map(|(p, _)| *p).collect();
        assert_eq!(parts, vec![Part::ContactName, Part::Contact]);
        let errors = Support::parse("", "Els de Vries", "0548-123456").unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].0, Part::Text);
    }

    #[test]
    fn the_contact_is_a_phone_number_or_an_e_mail_address() {
        let s = Support::parse("Tekst.", "Els de Vries", "0548-123 456")
            .unwrap()
            .unwrap();
        assert!(!s.contact_is_email());
        assert_eq!(s.contact_tel(), "0548123456");
        let s = Support::parse("Tekst.", "Els", " P&O@Stichting.nl ")
            .unwrap()
            .unwrap();
        assert_eq!(s.contact, "p&o@stichting.nl");
        assert!(s.contact_is_email());
        for wrong in ["bel Els", "els@", "12"] {
            let errors = Support::parse("Tekst.", "Els", wrong).unwrap_err();
            assert_eq!(errors[0].0, Part::Contact, "{wrong:?}");
        }
    }

    #[test]
    fn the_arrangement_text_is_bounded_and_keeps_its_paragraphs() {
        let long = "a".repeat(SUPPORT_MAX_CHARS + 1);
        assert_eq!(
            Support::parse(&long, "Els", "0548-123456").unwrap_err()[0].0,
            Part::Text
        );
        let s = Support::parse("Eerste alinea.\r\n\r\nTweede alinea.", "Els", "0548-123456")
            .unwrap()
            .unwrap();
        assert_eq!(s.paragraphs(), vec!["Eerste alinea.", "Tweede alinea."]);
    }
}
