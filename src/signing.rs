//! The key the application signs its own cookies with (HMAC-SHA-256). It is made once and kept in
//! the database (`Db::secret`), so that every instance accepts what another one signed.

use std::sync::Arc;

use base64::Engine;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

#[derive(Clone)]
pub struct CookieKey(Arc<[u8; 32]>);

/// Never print the key.
impl std::fmt::Debug for CookieKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CookieKey(..)")
    }
}

impl CookieKey {
    /// The key derived from the stored secret.
    pub fn from_secret(secret: &str) -> CookieKey {
        CookieKey(Arc::new(Sha256::digest(secret.as_bytes()).into()))
    }

    fn mac(&self, purpose: &str, message: &str) -> Hmac<Sha256> {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.0[..])
            .expect("HMAC takes a key of any length");
        // The purpose keeps a signature made for one use from passing for another.
        mac.update(purpose.as_bytes());
        mac.update(&[0]);
        mac.update(message.as_bytes());
        mac
    }

    /// The signature of `message` for `purpose`, as URL-safe base64.
    pub fn sign(&self, purpose: &str, message: &str) -> String {
        base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode(self.mac(purpose, message).finalize().into_bytes())
    }

    /// Whether `signature` is that of `message` for `purpose` (compared in constant time).
    pub fn verify(&self, purpose: &str, message: &str, signature: &str) -> bool {
        let Ok(bytes) = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(signature) else {
            return false;
        };
        self.mac(purpose, message).verify_slice(&bytes).is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signature_holds_only_for_its_message_purpose_and_key() {
        let key = CookieKey::from_secret("geheim");
        let sig = key.sign("apparaat", "42.1000");
        assert!(key.verify("apparaat", "42.1000", &sig));
        assert!(!key.verify("apparaat", "43.1000", &sig));
        assert!(!key.verify("formulier", "42.1000", &sig));
        assert!(!CookieKey::from_secret("ander").verify("apparaat", "42.1000", &sig));
        assert!(!key.verify("apparaat", "42.1000", "geen base64!"));
        assert_eq!(format!("{key:?}"), "CookieKey(..)");
    }
}
