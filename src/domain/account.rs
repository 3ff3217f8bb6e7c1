//! Accounts: validated e-mail addresses, names and the password policy.
//!
//! Each `parse` returns a Dutch message fit to show next to the form field, so that the web layer
//! only has to put it on the page.

/// The shortest password accepted (OWASP ASVS 5.0, 6.2.1: at least 12 characters).
pub const PASSWORD_MIN_CHARS: usize = 12;
/// The longest password accepted. ASVS asks for at least 64 and the issue for 128; longer
/// passphrases are fine, but an unbounded one would let anyone make argon2 hash megabytes.
pub const PASSWORD_MAX_CHARS: usize = 256;
/// Names and other short texts are bounded so that no form field can grow without limit.
pub const NAME_MAX_CHARS: usize = 120;

/// An e-mail address, trimmed and lower-cased, so that `Juf@School.nl` and `juf@school.nl` are one
/// account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    pub fn parse(input: &str) -> Result<Email, &'static str> {
        let value = input.trim().to_lowercase();
        if value.is_empty() {
            return Err("Vul een e-mailadres in.");
        }
        if value.chars().count() > 254 {
            return Err("Dit e-mailadres is te lang.");
        }
        let Some((local, domain)) = value.split_once('@') else {
            return Err("Dit is geen geldig e-mailadres: er ontbreekt een @.");
        };
        let domain_ok = domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains('@');
        let clean = value.chars().all(|c| !c.is_control() && !c.is_whitespace());
        if local.is_empty() || !domain_ok || !clean {
            return Err("Dit is geen geldig e-mailadres.");
        }
        // The mail library decides in the end: an address it refuses could never be mailed, and a
        // notification to it would never leave the outbox.
        if value.parse::<lettre::Address>().is_err() {
            return Err("Dit is geen geldig e-mailadres.");
        }
        Ok(Email(value))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A short, single-line text such as a person's or a school's name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShortText(String);

impl ShortText {
    /// `what` names the field in the message, e.g. "een naam".
    pub fn parse(input: &str, what: &str) -> Result<ShortText, String> {
        let value = input.trim();
        if value.is_empty() {
            return Err(format!("Vul {what} in."));
        }
        if value.chars().count() > NAME_MAX_CHARS {
            return Err(format!(
                "Dit is te lang: gebruik hoogstens {NAME_MAX_CHARS} tekens."
            ));
        }
        if value.chars().any(char::is_control) {
            return Err("Gebruik geen regeleinden of andere speciale tekens.".to_string());
        }
        Ok(ShortText(value.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A phone number as shown on every page's emergency route (Veilig Thuis, 112, the inspector).
pub fn parse_phone(input: &str) -> Result<String, &'static str> {
    let value = input.trim();
    if value.is_empty() {
        return Err("Vul een telefoonnummer in.");
    }
    if value.len() > 30 {
        return Err("Dit telefoonnummer is te lang.");
    }
    let digits = value.chars().filter(char::is_ascii_digit).count();
    let allowed = value
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '-' | '+' | '(' | ')'));
    if !allowed || digits < 3 {
        return Err("Gebruik alleen cijfers, spaties, streepjes en eventueel een +.");
    }
    Ok(value.to_string())
}

/// Checks a new password against the policy: long enough, not absurdly long, and not easy to
/// guess. "Easy to guess" is judged by zxcvbn, whose built-in lists of common passwords, names and
/// words ship with the crate (nothing is downloaded); the user's own e-mail and name count as
/// guessable too.
pub fn check_new_password(password: &str, personal: &[&str]) -> Result<(), String> {
    let chars = password.chars().count();
    if chars < PASSWORD_MIN_CHARS {
        return Err(format!(
            "Kies een wachtwoord van minstens {PASSWORD_MIN_CHARS} tekens. Een zin van een paar woorden werkt goed."
        ));
    }
    if chars > PASSWORD_MAX_CHARS {
        return Err(format!(
            "Kies een wachtwoord van hoogstens {PASSWORD_MAX_CHARS} tekens."
        ));
    }
    // The user's own e-mail address (or the part before the @) or name inside the password makes it
    // guessable by anyone who knows the user, however long the rest is.
    let lower = password.to_lowercase();
    let personal_inside = personal.iter().any(|p| {
        let p = p.trim().to_lowercase();
        let local = p.split('@').next().unwrap_or("").to_string();
        [p, local]
            .iter()
            .any(|part| part.chars().count() >= 4 && lower.contains(part.as_str()))
    });
    if personal_inside {
        return Err(
            "Uw wachtwoord mag uw naam of e-mailadres niet bevatten. Kies bijvoorbeeld een zin van een paar woorden die niet bij elkaar horen."
                .to_string(),
        );
    }
    // zxcvbn's cost grows with the length; the first 100 characters say enough about strength.
    let sample: String = password.chars().take(100).collect();
    let estimate = zxcvbn::zxcvbn(&sample, personal);
    if u8::from(estimate.score()) < 3 {
        return Err(
            "Dit wachtwoord is te makkelijk te raden: het staat in lijsten van veelgebruikte wachtwoorden of lijkt op uw naam of e-mailadres. Kies bijvoorbeeld een zin van een paar woorden die niet bij elkaar horen."
                .to_string(),
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_is_trimmed_and_lower_cased() {
        let e = Email::parse("  Juf.Jansen@School.NL ").unwrap();
        assert_eq!(e.as_str(), "juf.jansen@school.nl");
    }

    #[test]
    fn email_without_at_or_domain_is_refused_in_dutch() {
        assert!(Email::parse("").unwrap_err().contains("Vul"));
        assert!(Email::parse("jansen").unwrap_err().contains("@"));
        assert!(Email::parse("a@b").is_err());
        assert!(Email::parse("a b@school.nl").is_err());
    }

    #[test]
    fn an_address_the_mail_library_refuses_is_refused_at_entry() {
        for bad in ["a,b@x.nl", "a(b)@x.nl", "a<b@x.nl", "a\"b@x.nl"] {
            assert!(bad.parse::<lettre::Address>().is_err(), "{bad}");
            assert_eq!(
                Email::parse(bad).unwrap_err(),
                "Dit is geen geldig e-mailadres.",
                "{bad}"
            );
        }
        for good in ["juf.jansen@school.nl", "j+meldcode@de-regenboog.nl"] {
            assert!(Email::parse(good).is_ok(), "{good}");
        }
    }

    #[test]
    fn password_shorter_than_twelve_characters_is_refused() {
        let err = check_new_password("Kort-1!x", &[]).unwrap_err();
        assert!(err.contains("minstens 12"));
    }

    #[test]
    fn password_of_twelve_unusual_characters_is_accepted() {
        assert!(check_new_password("vlinder-Kast-97-regen", &[]).is_ok());
    }

    #[test]
    fn password_of_128_characters_is_accepted_and_257_refused() {
        let long: String = "boom-fiets-wolk-".repeat(8);
        assert_eq!(long.chars().count(), 128);
        assert!(check_new_password(&long, &[]).is_ok());
        let too_long = "x".repeat(PASSWORD_MAX_CHARS + 1);
        assert!(check_new_password(&too_long, &[]).is_err());
    }

    #[test]
    fn common_password_is_refused_even_when_long_enough() {
        for common in ["password1234", "welkom123456", "qwertyuiop123"] {
            assert!(
                check_new_password(common, &[]).is_err(),
                "{common} should be refused"
            );
        }
    }

    #[test]
    fn password_made_of_the_users_own_email_is_refused() {
        let email = "m.devries@deregenboog.nl";
        assert!(check_new_password("m.devries@deregenboog", &[email, "Marieke de Vries"]).is_err());
    }

    #[test]
    fn phone_numbers_allow_digits_spaces_and_dashes_only() {
        assert_eq!(parse_phone(" 0800-2000 ").unwrap(), "0800-2000");
        assert!(parse_phone("112").is_ok());
        assert!(parse_phone("bel ons").is_err());
        assert!(parse_phone("").is_err());
    }

    #[test]
    fn short_text_refuses_empty_overlong_and_control_characters() {
        assert!(
            ShortText::parse("  ", "een naam")
                .unwrap_err()
                .contains("naam")
        );
        assert!(ShortText::parse(&"a".repeat(NAME_MAX_CHARS + 1), "x").is_err());
        assert!(ShortText::parse("a\u{0}b", "x").is_err());
        assert_eq!(
            ShortText::parse(" De Regenboog ", "x").unwrap().as_str(),
            "De Regenboog"
        );
    }
}
