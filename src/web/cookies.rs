//! The application's own cookies beside the session cookie, both signed with the
//! [`CookieKey`](crate::signing::CookieKey):
//!
//! - the **form cookie** gives a browser without a session the form token of the login page
//!   (signed double submit, as OWASP describes it): the login page needs a token against
//!   cross-site posts, but a session row for every anonymous visit would let anyone fill the
//!   sessions table, so nothing is stored until a login succeeds;
//! - the **device cookie** marks a browser in which a user logged in successfully: attempts from
//!   it are not held back by someone else guessing at that account (see `domain::throttle`).
//!
//! Both are `HttpOnly`, `SameSite=Strict`, for path `/`, and with secure cookies `Secure` and
//! `__Host-` prefixed, so that no sibling host can set them.

use crate::domain::ids::UserId;
use axum::http::{HeaderMap, HeaderValue, header};

use crate::signing::CookieKey;

/// A browser is trusted for an account this long after its last successful login there.
pub const DEVICE_TRUST_SECS: i64 = 90 * 24 * 60 * 60;

pub fn form_cookie_name(secure: bool) -> &'static str {
    if secure {
        "__Host-meldcode-formulier"
    } else {
        "meldcode-formulier"
    }
}

pub fn device_cookie_name(secure: bool) -> &'static str {
    if secure {
        "__Host-meldcode-apparaat"
    } else {
        "meldcode-apparaat"
    }
}

/// The value of the cookie `name` in the request, if sent.
pub fn read(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

/// A `Set-Cookie` header value for one of our cookies; without a maximum age it lasts as long as
/// the browser stays open.
pub fn set_cookie(name: &str, value: &str, max_age_secs: Option<i64>, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    let age = max_age_secs.map_or(String::new(), |s| format!("; Max-Age={s}"));
    let line = format!("{name}={value}{age}; Path=/; HttpOnly; SameSite=Strict{secure}");
    HeaderValue::from_str(&line).unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// The form token that belongs to a form cookie's value (a random nonce).
pub fn form_token(key: &CookieKey, nonce: &str) -> String {
    key.sign("formulier", nonce)
}

/// A browser's proof that `user_id` logged in there successfully at `issued` (unix seconds).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DeviceCookie {
    pub user_id: UserId,
    pub issued: i64,
}

impl DeviceCookie {
    pub fn encode(&self, key: &CookieKey) -> String {
        let message = format!("{}.{}", self.user_id, self.issued);
        let signature = key.sign("apparaat", &message);
        format!("{message}.{signature}")
    }

    /// The cookie, when its signature holds and it is not too old.
    pub fn decode(key: &CookieKey, value: &str, now: i64) -> Option<DeviceCookie> {
        let (message, signature) = value.rsplit_once('.')?;
        if !key.verify("apparaat", message, signature) {
            return None;
        }
        let (user_id, issued) = message.split_once('.')?;
        let cookie = DeviceCookie {
            user_id: user_id.parse().ok()?,
            issued: issued.parse().ok()?,
        };
        (now - cookie.issued < DEVICE_TRUST_SECS && cookie.issued <= now + 60).then_some(cookie)
    }

    /// The throttle counter of this device.
    pub fn throttle_key(&self) -> String {
        format!("device:{}:{}", self.user_id, self.issued)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_device_cookie_is_trusted_only_with_its_signature_and_for_ninety_days() {
        let key = CookieKey::from_secret("geheim");
        let c = DeviceCookie {
            user_id: UserId::new(7),
            issued: 1_000_000,
        };
        let value = c.encode(&key);
        assert_eq!(DeviceCookie::decode(&key, &value, 1_000_100), Some(c));
        let forged = value.replacen("7.", "8.", 1);
        assert_eq!(DeviceCookie::decode(&key, &forged, 1_000_100), None);
        assert_eq!(
            DeviceCookie::decode(&key, &value, 1_000_000 + DEVICE_TRUST_SECS),
            None
        );
        assert_eq!(DeviceCookie::decode(&key, "onzin", 1_000_100), None);
    }

    #[test]
    fn a_cookie_is_read_by_its_exact_name() {
        let mut h = HeaderMap::new();
        h.insert(
            header::COOKIE,
            HeaderValue::from_static("meldcode=abc; meldcode-formulier=xyz"),
        );
        assert_eq!(read(&h, "meldcode-formulier").as_deref(), Some("xyz"));
        assert_eq!(read(&h, "meldcode").as_deref(), Some("abc"));
        assert_eq!(read(&h, "meldcode-apparaat"), None);
    }
}
