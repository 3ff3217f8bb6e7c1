//! Encryption at rest (issue 19): what a dossier says is encrypted by the application before it
//! reaches the database, so that a copied database file or backup holds only ciphertext.
//!
//! Two levels of key:
//! - the **master key** lives in a file outside the database (`--key-file`, `MELDCODE_KEY_FILE`);
//!   it only wraps (encrypts) data keys;
//! - a **data key** per organisation, stored wrapped in `data_keys`; it encrypts content.
//!
//! So a new master key means re-wrapping a few data keys, not re-encrypting every entry, and the
//! database alone (without the key file) cannot be read.
//!
//! The cipher is XChaCha20-Poly1305 (RustCrypto): authenticated, with random 24-byte nonces that
//! never need a counter shared between instances. Each sealed value names the data key that sealed
//! it and is bound to its purpose (the table and column, as associated data), so a value copied
//! into another column does not open.
//!
//! This module is pure: no IO. The store keeps the keys (`store::keys`).

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;
use zeroize::{Zeroize, ZeroizeOnDrop};

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};

/// What a sealed value starts with; anything else in an encrypted column is an older plaintext
/// value that the in-place migration has not reached yet.
pub const SEALED_PREFIX: &str = "e1.";

const NONCE_LEN: usize = 24;
const KEY_ID_LEN: usize = 4;

/// The first line of a key file, so that the file says what it is to whoever finds it.
const KEY_FILE_HEADER: &str = "# Meldcode hoofdsleutel. Bewaar dit bestand apart van de database en de back-ups: zonder dit bestand zijn de dossiers niet te lezen.";

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum CryptoError {
    #[error("the key file holds no key of 32 bytes in base64")]
    BadKeyFile,
    #[error("a sealed value is malformed")]
    Malformed,
    #[error("a sealed value names data key {0}, which is not known")]
    UnknownKey(u32),
    #[error("a sealed value does not open with its key (another key, or changed)")]
    Tampered,
}

/// The key that wraps the data keys. Never printed, wiped from memory when dropped.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct MasterKey([u8; 32]);

impl std::fmt::Debug for MasterKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "MasterKey({})", self.id())
    }
}

impl MasterKey {
    pub fn generate() -> MasterKey {
        let mut key = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut key);
        MasterKey(key)
    }

    /// Reads a key file: comment lines (`#`) and blank lines are skipped, the one other line is
    /// the key in base64.
    pub fn from_file_text(text: &str) -> Result<MasterKey, CryptoError> {
        let line = text
            .lines()
            .map(str::trim)
            .find(|l| !l.is_empty() && !l.starts_with('#'))
            .ok_or(CryptoError::BadKeyFile)?;
        let mut bytes = STANDARD.decode(line).map_err(|_| CryptoError::BadKeyFile)?;
        let key: [u8; 32] = bytes
            .as_slice()
            .try_into()
            .map_err(|_| CryptoError::BadKeyFile)?;
        bytes.zeroize();
        Ok(MasterKey(key))
    }

    /// The text of a key file for this key.
    pub fn to_file_text(&self) -> String {
        format!("{KEY_FILE_HEADER}\n{}\n", STANDARD.encode(self.0))
    }

    /// A short fingerprint that tells keys apart (kept beside each wrapped data key, shown in
    /// messages); it reveals nothing of the key.
    pub fn id(&self) -> String {
        let tag = hmac_sha256(&self.0, b"meldcode master key id");
        tag[..8].iter().map(|b| format!("{b:02x}")).collect()
    }

    /// A data key encrypted under this key, bound to its organisation.
    pub fn wrap(&self, key: &DataKey, organisation: i64) -> String {
        let sealed = seal_raw(&self.0, &wrap_aad(organisation), &key.key);
        STANDARD.encode(sealed)
    }

    /// The data key `wrapped` holds, with its id in `data_keys`.
    pub fn unwrap(
        &self,
        id: u32,
        wrapped: &str,
        organisation: i64,
    ) -> Result<DataKey, CryptoError> {
        let raw = STANDARD
            .decode(wrapped.trim())
            .map_err(|_| CryptoError::Malformed)?;
        let mut plain = open_raw(&self.0, &wrap_aad(organisation), &raw)?;
        let key: [u8; 32] = plain
            .as_slice()
            .try_into()
            .map_err(|_| CryptoError::Malformed)?;
        plain.zeroize();
        Ok(DataKey::from_bytes(id, key))
    }
}

fn wrap_aad(organisation: i64) -> Vec<u8> {
    format!("meldcode data key, organisation {organisation}").into_bytes()
}

/// An organisation's content key, with the key for its blind indexes derived from it.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct DataKey {
    #[zeroize(skip)]
    id: u32,
    key: [u8; 32],
    index_key: [u8; 32],
}

impl std::fmt::Debug for DataKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "DataKey({})", self.id)
    }
}

impl DataKey {
    /// New random key material; its id is given once it is stored.
    pub fn generate_bytes() -> [u8; 32] {
        let mut key = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut key);
        key
    }

    pub fn from_bytes(id: u32, key: [u8; 32]) -> DataKey {
        let index_key = hmac_sha256(&key, b"meldcode blind index v1");
        DataKey { id, key, index_key }
    }

    pub fn id(&self) -> u32 {
        self.id
    }

    /// `plain` encrypted for `purpose` (the table and column it goes into): `e1.` and base64 of
    /// the key id, the nonce and the ciphertext with its tag.
    pub fn seal(&self, purpose: &str, plain: &[u8]) -> String {
        let mut out = Vec::with_capacity(KEY_ID_LEN + NONCE_LEN + plain.len() + 16);
        out.extend_from_slice(&self.id.to_be_bytes());
        out.extend_from_slice(&seal_raw(&self.key, purpose.as_bytes(), plain));
        format!("{SEALED_PREFIX}{}", URL_SAFE_NO_PAD.encode(out))
    }

    /// A keyed hash of `value` for `purpose`: equal values give equal hashes, so a column of
    /// them can be searched, but the value cannot be read back or guessed without the key.
    pub fn blind(&self, purpose: &str, value: &str) -> String {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.index_key)
            .expect("HMAC takes a key of any length");
        mac.update(purpose.as_bytes());
        mac.update(&[0]);
        mac.update(value.as_bytes());
        URL_SAFE_NO_PAD.encode(&mac.finalize().into_bytes()[..16])
    }
}

/// The data key a sealed value names, without opening it.
pub fn key_of(sealed: &str) -> Result<u32, CryptoError> {
    let raw = decode_sealed(sealed)?;
    Ok(u32::from_be_bytes(
        raw[..KEY_ID_LEN].try_into().expect("checked length"),
    ))
}

/// Whether a stored value is sealed (or an older plaintext one).
pub fn is_sealed(value: &str) -> bool {
    value.starts_with(SEALED_PREFIX)
}

/// Opens a sealed value with whichever of `keys` sealed it.
pub fn open<'a>(
    keys: impl Fn(u32) -> Option<&'a DataKey>,
    purpose: &str,
    sealed: &str,
) -> Result<Vec<u8>, CryptoError> {
    let raw = decode_sealed(sealed)?;
    let id = u32::from_be_bytes(raw[..KEY_ID_LEN].try_into().expect("checked length"));
    let key = keys(id).ok_or(CryptoError::UnknownKey(id))?;
    open_raw(&key.key, purpose.as_bytes(), &raw[KEY_ID_LEN..])
}

fn decode_sealed(sealed: &str) -> Result<Vec<u8>, CryptoError> {
    let b64 = sealed
        .strip_prefix(SEALED_PREFIX)
        .ok_or(CryptoError::Malformed)?;
    let raw = URL_SAFE_NO_PAD
        .decode(b64)
        .map_err(|_| CryptoError::Malformed)?;
    if raw.len() < KEY_ID_LEN + NONCE_LEN + 16 {
        return Err(CryptoError::Malformed);
    }
    Ok(raw)
}

fn seal_raw(key: &[u8; 32], aad: &[u8], plain: &[u8]) -> Vec<u8> {
    let cipher = XChaCha20Poly1305::new(key.into());
    let mut nonce = [0u8; NONCE_LEN];
    rand::rngs::OsRng.fill_bytes(&mut nonce);
    let sealed = cipher
        .encrypt(XNonce::from_slice(&nonce), Payload { msg: plain, aad })
        .expect("XChaCha20-Poly1305 encrypts any message that fits in memory");
    let mut out = Vec::with_capacity(NONCE_LEN + sealed.len());
    out.extend_from_slice(&nonce);
    out.extend_from_slice(&sealed);
    out
}

fn open_raw(key: &[u8; 32], aad: &[u8], raw: &[u8]) -> Result<Vec<u8>, CryptoError> {
    if raw.len() < NONCE_LEN + 16 {
        return Err(CryptoError::Malformed);
    }
    let (nonce, sealed) = raw.split_at(NONCE_LEN);
    XChaCha20Poly1305::new(key.into())
        .decrypt(XNonce::from_slice(nonce), Payload { msg: sealed, aad })
        .map_err(|_| CryptoError::Tampered)
}

fn hmac_sha256(key: &[u8], message: &[u8]) -> [u8; 32] {
    let mut mac =
        <Hmac<Sha256> as Mac>::new_from_slice(key).expect("HMAC takes a key of any length");
    mac.update(message);
    mac.finalize().into_bytes().into()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(id: u32) -> DataKey {
        DataKey::from_bytes(id, DataKey::generate_bytes())
    }

    #[test]
    fn a_sealed_value_opens_with_its_key_and_purpose_and_hides_its_text() {
        let k = key(7);
        let sealed = k.seal("entries.body", "Blauwe plek op de wang".as_bytes());
        assert!(is_sealed(&sealed));
        assert!(!sealed.contains("Blauwe"));
        assert_eq!(key_of(&sealed), Ok(7));
        let opened = open(|id| (id == 7).then_some(&k), "entries.body", &sealed).unwrap();
        assert_eq!(opened, "Blauwe plek op de wang".as_bytes());
    }

    #[test]
    fn the_same_text_sealed_twice_differs_so_equal_entries_cannot_be_told_apart() {
        let k = key(1);
        assert_ne!(k.seal("p", b"zelfde"), k.seal("p", b"zelfde"));
    }

    #[test]
    fn a_value_does_not_open_for_another_purpose_with_another_key_or_when_changed() {
        let k = key(1);
        let other = DataKey::from_bytes(1, DataKey::generate_bytes());
        let sealed = k.seal("entries.body", b"tekst");
        assert_eq!(
            open(|_| Some(&k), "pupils.name", &sealed),
            Err(CryptoError::Tampered)
        );
        assert_eq!(
            open(|_| Some(&other), "entries.body", &sealed),
            Err(CryptoError::Tampered)
        );
        assert_eq!(
            open(|_| None, "entries.body", &sealed),
            Err(CryptoError::UnknownKey(1))
        );
        // One bit of the ciphertext flipped (in the bytes, not in the base64 text, whose last
        // character may carry only padding bits).
        let mut raw = URL_SAFE_NO_PAD
            .decode(sealed.strip_prefix(SEALED_PREFIX).unwrap())
            .unwrap();
        let last = raw.len() - 1;
        raw[last] ^= 1;
        let changed = format!("{SEALED_PREFIX}{}", URL_SAFE_NO_PAD.encode(raw));
        assert_eq!(
            open(|_| Some(&k), "entries.body", &changed),
            Err(CryptoError::Tampered)
        );
        assert_eq!(
            open(|_| Some(&k), "entries.body", "{\"platte\":\"tekst\"}"),
            Err(CryptoError::Malformed)
        );
    }

    #[test]
    fn a_data_key_wrapped_by_the_master_key_unwraps_only_with_it_and_for_its_organisation() {
        let master = MasterKey::generate();
        let dk = key(3);
        let wrapped = master.wrap(&dk, 1);
        let back = master.unwrap(3, &wrapped, 1).unwrap();
        let sealed = dk.seal("p", b"x");
        assert_eq!(open(|_| Some(&back), "p", &sealed).unwrap(), b"x");
        assert_eq!(
            MasterKey::generate().unwrap(3, &wrapped, 1).err(),
            Some(CryptoError::Tampered)
        );
        assert_eq!(
            master.unwrap(3, &wrapped, 2).err(),
            Some(CryptoError::Tampered)
        );
    }

    #[test]
    fn a_key_file_reads_back_the_key_it_was_written_from_and_a_bad_one_is_refused() {
        let master = MasterKey::generate();
        let text = master.to_file_text();
        assert!(text.starts_with("# Meldcode hoofdsleutel"));
        let read = MasterKey::from_file_text(&text).unwrap();
        assert_eq!(read.id(), master.id());
        assert_eq!(
            MasterKey::from_file_text("# alleen commentaar\n").err(),
            Some(CryptoError::BadKeyFile)
        );
        assert_eq!(
            MasterKey::from_file_text("dGUga29ydA==\n").err(),
            Some(CryptoError::BadKeyFile)
        );
        assert!(!format!("{master:?}").contains(&STANDARD.encode(master.0)));
    }

    #[test]
    fn a_blind_index_is_equal_for_equal_values_and_differs_by_key_and_purpose() {
        let k = key(1);
        assert_eq!(k.blind("pupil", "emma"), k.blind("pupil", "emma"));
        assert_ne!(k.blind("pupil", "emma"), k.blind("pupil", "emmy"));
        assert_ne!(k.blind("pupil", "emma"), k.blind("group", "emma"));
        assert_ne!(k.blind("pupil", "emma"), key(1).blind("pupil", "emma"));
    }
}
