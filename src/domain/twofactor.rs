//! Two-factor authentication: a time-based code from an authenticator app (RFC 6238: six digits,
//! a new one every 30 seconds, one step of clock difference allowed either way), and single-use
//! recovery codes for when the phone is lost.

use totp_rs::{Algorithm, TOTP};

use super::role::Role;

/// How many recovery codes a user gets, shown once.
pub const RECOVERY_CODES: usize = 10;

/// The TOTP for a secret; `account` is what the app shows (the user's e-mail address).
pub fn totp(secret: &[u8], account: &str) -> Option<TOTP> {
    TOTP::new(
        Algorithm::SHA1,
        6,
        1,
        30,
        secret.to_vec(),
        Some("Meldcode".to_string()),
        account.to_string(),
    )
    .ok()
}

/// A new random secret (160 bits, as RFC 4226 recommends).
pub fn new_secret() -> Vec<u8> {
    use rand::RngCore;
    let mut bytes = vec![0u8; 20];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    bytes
}

/// Whether `code` is the current code (or the one just before or after) at unix time `now`.
pub fn check(secret: &[u8], code: &str, now: i64) -> bool {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if code.len() != 6 || !code.chars().all(|c| c.is_ascii_digit()) || now < 0 {
        return false;
    }
    totp(secret, "x").is_some_and(|t| t.check(&code, now as u64))
}

/// New recovery codes: ten groups of four letters and digits, easy to type from paper.
pub fn new_recovery_codes() -> Vec<String> {
    use rand::Rng;
    // No 0/O or 1/I/L: codes are read from paper.
    const ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
    let mut rng = rand::rngs::OsRng;
    (0..RECOVERY_CODES)
        .map(|_| {
            let raw: String = (0..12)
                .map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char)
                .collect();
            format!("{}-{}-{}", &raw[0..4], &raw[4..8], &raw[8..12])
        })
        .collect()
}

/// A recovery code as typed: upper case, without spaces or dashes, so that typing is forgiving.
pub fn normalise_recovery_code(code: &str) -> String {
    code.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// The roles the organisation requires two-factor authentication for, from their stored codes.
pub fn required_roles(stored: &str) -> Vec<Role> {
    stored.split_whitespace().filter_map(Role::parse).collect()
}

/// Whether a user with these roles must use two-factor authentication.
pub fn required_for(stored: &str, roles: impl IntoIterator<Item = Role>) -> bool {
    let required = required_roles(stored);
    roles.into_iter().any(|r| required.contains(&r))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_current_code_and_its_neighbours_are_accepted_and_nothing_else() {
        let secret = new_secret();
        let t = totp(&secret, "juf@school.nl").unwrap();
        let now = 1_795_900_000_i64;
        let code = t.generate(now as u64);
        assert!(check(&secret, &code, now));
        assert!(
            check(&secret, &code, now + 30),
            "one step of clock difference"
        );
        assert!(!check(&secret, &code, now + 90), "not three steps later");
        assert!(!check(&secret, "12345", now));
        assert!(!check(&secret, "abcdef", now));
        let spaced = format!("{} {}", &code[..3], &code[3..]);
        assert!(check(&secret, &spaced, now), "spaces are forgiven");
    }

    #[test]
    fn recovery_codes_are_ten_unambiguous_groups_and_typing_is_forgiving() {
        let codes = new_recovery_codes();
        assert_eq!(codes.len(), RECOVERY_CODES);
        for c in &codes {
            assert_eq!(c.len(), 14);
            assert!(!c.contains('0') && !c.contains('O') && !c.contains('1') && !c.contains('I'));
        }
        assert_eq!(normalise_recovery_code(" abcd-efgh 2345 "), "ABCDEFGH2345");
    }

    #[test]
    fn the_organisation_requires_it_for_the_roles_it_names() {
        let stored = "aandachtsfunctionaris directie beheerder privacy";
        assert!(required_for(stored, [Role::Directie]));
        assert!(!required_for(stored, [Role::Beroepskracht]));
        assert!(required_for(stored, [Role::Beroepskracht, Role::Beheerder]));
        assert!(!required_for("", [Role::Beheerder]));
    }
}
