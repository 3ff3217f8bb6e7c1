//! Single sign-on with the organisation's identity provider (OpenID Connect): the presets, what a
//! beheerder may enter, and the rules a verified ID token is judged by. No IO: the protocol itself
//! (discovery, PKCE, the token exchange, signature checks) is `web::oidc`'s, through the
//! `openidconnect` crate.

/// The providers a beheerder can choose by name; any other is given by its issuer URL and found
/// through discovery.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Preset {
    /// Microsoft Entra ID: the issuer names the organisation's tenant.
    Microsoft,
    /// Google Workspace.
    Google,
    /// Any other provider, by its issuer URL.
    Other,
}

impl Preset {
    pub const ALL: [Preset; 3] = [Preset::Microsoft, Preset::Google, Preset::Other];

    pub fn code(self) -> &'static str {
        match self {
            Preset::Microsoft => "microsoft",
            Preset::Google => "google",
            Preset::Other => "anders",
        }
    }

    pub fn parse(code: &str) -> Option<Preset> {
        Preset::ALL.into_iter().find(|p| p.code() == code)
    }

    /// The label in the beheer form.
    pub fn label(self) -> &'static str {
        match self {
            Preset::Microsoft => "Microsoft Entra ID (Microsoft 365)",
            Preset::Google => "Google Workspace",
            Preset::Other => "Een andere aanbieder (issuer-URL)",
        }
    }

    /// The name on the login button when the beheerder gives none.
    pub fn default_name(self) -> &'static str {
        match self {
            Preset::Microsoft => "Microsoft",
            Preset::Google => "Google",
            Preset::Other => "uw organisatie",
        }
    }

    /// The issuer URL: from the tenant for Microsoft, fixed for Google, as typed for another.
    pub fn issuer(self, tenant: &str, typed: &str) -> Result<String, &'static str> {
        match self {
            Preset::Microsoft => {
                let tenant = tenant.trim();
                let ok = !tenant.is_empty()
                    && tenant.len() <= 64
                    && tenant
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.');
                if !ok {
                    return Err(
                        "Vul de tenant-id van uw organisatie in (zoals in het Entra-beheercentrum).",
                    );
                }
                Ok(format!("https://login.microsoftonline.com/{tenant}/v2.0"))
            }
            Preset::Google => Ok("https://accounts.google.com".to_string()),
            Preset::Other => parse_issuer(typed),
        }
    }
}

/// An issuer URL as a beheerder may enter it: `https://`, without query or fragment. Plain
/// `http://` only on this machine (localhost, 127.0.0.1), for a provider under test.
pub fn parse_issuer(input: &str) -> Result<String, &'static str> {
    const WRONG: &str =
        "Vul het adres van de aanbieder in, dat begint met https:// (de issuer-URL).";
    let url = input.trim().trim_end_matches('/');
    let rest = if let Some(rest) = url.strip_prefix("https://") {
        rest
    } else if let Some(rest) = url.strip_prefix("http://") {
        let host = rest.split(['/', ':']).next().unwrap_or("");
        if host != "localhost" && host != "127.0.0.1" {
            return Err(WRONG);
        }
        rest
    } else {
        return Err(WRONG);
    };
    let host = rest.split(['/', ':']).next().unwrap_or("");
    let ok = !host.is_empty()
        && url.len() <= 300
        && !url.contains(['?', '#', ' ', '@', '\\'])
        && url.chars().all(|c| c.is_ascii_graphic());
    if ok { Ok(url.to_string()) } else { Err(WRONG) }
}

/// The e-mail domains a provider covers, as typed (spaces, commas or new lines between them):
/// lower case, without a leading `@`, each with a dot.
pub fn parse_domains(input: &str) -> Result<Vec<String>, String> {
    let mut domains = Vec::new();
    for d in input.split(|c: char| c.is_whitespace() || c == ',' || c == ';') {
        let d = d.trim().trim_start_matches('@').to_lowercase();
        if d.is_empty() {
            continue;
        }
        let ok = d.contains('.')
            && d.len() <= 253
            && !d.starts_with(['.', '-'])
            && d.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-');
        if !ok {
            return Err(format!("'{d}' is geen domeinnaam, zoals school.nl."));
        }
        if !domains.contains(&d) {
            domains.push(d);
        }
    }
    Ok(domains)
}

/// Whether an address lies in one of the domains (space-separated, as stored).
pub fn in_domains(email: &str, domains: &str) -> bool {
    let Some((_, domain)) = email.rsplit_once('@') else {
        return false;
    };
    let domain = domain.to_lowercase();
    domains.split_whitespace().any(|d| d == domain)
}

/// Whether the address an ID token carries may find a Meldcode account: the provider says it
/// verified it, or it lies in a domain the beheerder listed for the provider (Microsoft Entra
/// sends no `email_verified`; the organisation's own domain is its to vouch for).
pub fn email_usable(email: &str, email_verified: Option<bool>, domains: &str) -> bool {
    email_verified == Some(true) || in_domains(email, domains)
}

/// Whether the provider says the login used more than one factor: `amr` (RFC 8176) holds `mfa`,
/// or `acr` names a multi-factor level. Then Meldcode does not ask for its own code again.
pub fn signals_mfa<'a>(amr: impl IntoIterator<Item = &'a str>, acr: Option<&str>) -> bool {
    let by_amr = amr.into_iter().any(|m| m == "mfa");
    let by_acr = acr.is_some_and(|acr| {
        acr == "http://schemas.openid.net/pape/policies/2007/06/multi-factor"
            || acr.split([':', '/', ' ']).any(|part| part == "mfa")
    });
    by_amr || by_acr
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn microsoft_issuer_is_made_from_the_tenant() {
        assert_eq!(
            Preset::Microsoft.issuer("0b5a-11", "").unwrap(),
            "https://login.microsoftonline.com/0b5a-11/v2.0"
        );
        assert!(Preset::Microsoft.issuer("", "").is_err());
        assert!(Preset::Microsoft.issuer("a/../b", "").is_err());
    }

    #[test]
    fn google_issuer_is_fixed() {
        assert_eq!(
            Preset::Google.issuer("", "https://evil.example").unwrap(),
            "https://accounts.google.com"
        );
    }

    #[test]
    fn an_issuer_must_be_https_except_on_this_machine() {
        assert_eq!(
            parse_issuer(" https://idp.example.nl/ ").unwrap(),
            "https://idp.example.nl"
        );
        assert!(parse_issuer("http://idp.example.nl").is_err());
        assert!(parse_issuer("http://127.0.0.1:4000").is_ok());
        assert!(parse_issuer("javascript:alert(1)").is_err());
        assert!(parse_issuer("https://idp.example.nl/?x=1").is_err());
        assert!(parse_issuer("https://user@idp.example.nl").is_err());
        assert!(parse_issuer("https://").is_err());
    }

    #[test]
    fn domains_are_read_lower_case_without_at_sign() {
        assert_eq!(
            parse_domains("@School.nl, bestuur.nl\nschool.nl").unwrap(),
            vec!["school.nl", "bestuur.nl"]
        );
        assert!(parse_domains("school").is_err());
        assert!(parse_domains("<b>.nl").is_err());
    }

    #[test]
    fn an_address_is_usable_when_verified_or_in_a_listed_domain() {
        assert!(email_usable("juf@school.nl", Some(true), ""));
        assert!(!email_usable("juf@school.nl", Some(false), ""));
        assert!(!email_usable("juf@school.nl", None, "bestuur.nl"));
        assert!(email_usable("juf@School.NL", None, "bestuur.nl school.nl"));
        assert!(!email_usable("juf@evilschool.nl", None, "school.nl"));
    }

    #[test]
    fn mfa_is_read_from_amr_or_acr() {
        assert!(signals_mfa(["pwd", "mfa"], None));
        assert!(!signals_mfa(["pwd"], None));
        assert!(!signals_mfa([], Some("1")));
        assert!(signals_mfa([], Some("urn:example:mfa")));
        assert!(signals_mfa(
            [],
            Some("http://schemas.openid.net/pape/policies/2007/06/multi-factor")
        ));
        assert!(!signals_mfa([], Some("urn:example:mfactor")));
    }
}
