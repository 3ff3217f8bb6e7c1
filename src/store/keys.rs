//! The organisations' data keys (issue 19, `crate::crypto`): kept wrapped in `data_keys`, held
//! unwrapped in memory once the database is unlocked with the master key.
//!
//! The key ring is read once at start-up ([`Db::unlock`]); a key another instance made later (a
//! new organisation) is read when a value names it. Its locks are plain `std` locks held for a
//! map look-up only, never across an `.await`.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use super::{Db, StoreError};
use crate::crypto::{self, CryptoError, DataKey, MasterKey};

/// How many entries one transaction of the in-place encryption seals.
const ENCRYPT_BATCH: i64 = 500;

/// What the store seals, each bound to its column (the associated data of the cipher).
pub mod purpose {
    pub const ENTRY_BODY: &str = "entries.body";
}

#[derive(Debug, thiserror::Error)]
pub enum UnlockError {
    #[error(
        "het sleutelbestand past niet bij deze database: de sleutels van de organisatie zijn gemaakt met hoofdsleutel {expected}, het bestand bevat hoofdsleutel {given}"
    )]
    WrongKey { expected: String, given: String },
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The master key and the data keys it unwrapped.
pub(crate) struct KeyRing {
    master: MasterKey,
    keys: RwLock<HashMap<u32, Arc<DataKey>>>,
    /// Each organisation's current key (the one new values are sealed with).
    current: RwLock<HashMap<i64, u32>>,
}

impl std::fmt::Debug for KeyRing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeyRing")
            .field("master", &self.master)
            .finish_non_exhaustive()
    }
}

#[derive(sqlx::FromRow)]
struct KeyRow {
    id: i64,
    organisation_id: i64,
    wrapped: String,
    master_key_id: String,
    retired_at: Option<i64>,
}

fn locked() -> StoreError {
    StoreError::Configuration(
        "the database is not unlocked: no master key was given (crypto, store::keys)".into(),
    )
}

fn unreadable(e: CryptoError) -> StoreError {
    StoreError::Decode(Box::new(e))
}

impl Db {
    /// Reads and unwraps every data key with `master`. Refuses a master key that does not open
    /// them (another organisation's key file, or a wrong one), naming both fingerprints.
    pub async fn unlock(&self, master: MasterKey) -> Result<(), UnlockError> {
        let rows = self.key_rows().await?;
        let ring = KeyRing {
            master,
            keys: RwLock::new(HashMap::new()),
            current: RwLock::new(HashMap::new()),
        };
        for row in rows {
            let key = ring
                .master
                .unwrap(row.id as u32, &row.wrapped, row.organisation_id)
                .map_err(|_| UnlockError::WrongKey {
                    expected: row.master_key_id.clone(),
                    given: ring.master.id(),
                })?;
            ring.add(row.organisation_id, row.retired_at.is_none(), key);
        }
        let _ = self.keys.set(Arc::new(ring));
        Ok(())
    }

    /// Whether the database holds data keys (then it cannot be used without its key file).
    pub async fn has_data_keys(&self) -> Result<bool, StoreError> {
        let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM data_keys")
            .fetch_one(self.pool())
            .await?;
        Ok(n > 0)
    }

    fn ring(&self) -> Result<&Arc<KeyRing>, StoreError> {
        self.keys.get().ok_or_else(locked)
    }

    /// The organisation's current data key, made (and stored wrapped) when it has none yet.
    pub(crate) async fn current_key(&self, organisation: i64) -> Result<Arc<DataKey>, StoreError> {
        let ring = self.ring()?;
        if let Some(key) = ring.current_of(organisation) {
            return Ok(key);
        }
        let bytes = DataKey::generate_bytes();
        // Wrapping binds the key to its organisation, not to its id, so it is wrapped before
        // the id is known.
        let wrapped = ring
            .master
            .wrap(&DataKey::from_bytes(0, bytes), organisation);
        let inserted: Option<(i64,)> = sqlx::query_as(
            "INSERT INTO data_keys (organisation_id, wrapped, master_key_id, created_at) \
             VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING id",
        )
        .bind(organisation)
        .bind(wrapped)
        .bind(ring.master.id())
        .bind(time::OffsetDateTime::now_utc().unix_timestamp())
        .fetch_optional(self.writer())
        .await?;
        // None: another request or instance made it first; theirs is read below.
        let made = inserted.map(|(id,)| DataKey::from_bytes(id as u32, bytes));
        match made {
            Some(key) => {
                ring.add(organisation, true, key);
            }
            None => self.load_keys().await?,
        }
        ring.current_of(organisation).ok_or_else(|| {
            StoreError::Protocol(format!(
                "organisation {organisation} has no current data key"
            ))
        })
    }

    /// Every stored data key, wrapped, oldest first: read at unlocking and when a value names a
    /// key this instance does not hold yet.
    async fn key_rows(&self) -> Result<Vec<KeyRow>, StoreError> {
        sqlx::query_as(
            "SELECT id, organisation_id, wrapped, master_key_id, retired_at FROM data_keys ORDER BY id",
        )
        .fetch_all(self.pool())
        .await
    }

    /// Reads the data keys this instance does not hold yet (made by another instance).
    async fn load_keys(&self) -> Result<(), StoreError> {
        let ring = self.ring()?;
        let rows = self.key_rows().await?;
        for row in rows {
            if ring.get(row.id as u32).is_none() {
                let key = ring
                    .master
                    .unwrap(row.id as u32, &row.wrapped, row.organisation_id)
                    .map_err(unreadable)?;
                ring.add(row.organisation_id, row.retired_at.is_none(), key);
            }
        }
        Ok(())
    }

    /// Makes sure every key that `sealed` values name is held, reading new ones once.
    pub(crate) async fn hold_keys_for<'a>(
        &self,
        sealed: impl IntoIterator<Item = &'a str>,
    ) -> Result<(), StoreError> {
        let ring = self.ring()?;
        let missing = sealed
            .into_iter()
            .filter(|v| crypto::is_sealed(v))
            .filter_map(|v| crypto::key_of(v).ok())
            .any(|id| ring.get(id).is_none());
        if missing {
            self.load_keys().await?;
        }
        Ok(())
    }

    /// Gives every organisation without a current data key one: at start-up, after unlocking,
    /// and after an organisation is created (its creation's transaction must have committed: a
    /// key is made on its own, never inside another write, which on SQLite would wait for
    /// itself).
    pub async fn ensure_data_keys(&self) -> Result<(), StoreError> {
        let orgs: Vec<(i64,)> = sqlx::query_as(
            "SELECT o.id FROM organisations o WHERE NOT EXISTS \
             (SELECT 1 FROM data_keys k WHERE k.organisation_id = o.id AND k.retired_at IS NULL)",
        )
        .fetch_all(self.pool())
        .await?;
        for (org,) in orgs {
            self.current_key(org).await?;
        }
        Ok(())
    }

    /// Seals `plain` for `purpose` with the organisation's current key, inside a write
    /// transaction: the key must exist already ([`Db::ensure_data_keys`]); one another instance
    /// made is read (over the read pool, which a write transaction does not hold).
    pub(crate) async fn seal_with_existing_key(
        &self,
        organisation: i64,
        purpose: &str,
        plain: &str,
    ) -> Result<String, StoreError> {
        let ring = self.ring()?;
        if ring.current_of(organisation).is_none() {
            self.load_keys().await?;
        }
        let key = ring.current_of(organisation).ok_or_else(|| {
            StoreError::Protocol(format!(
                "organisation {organisation} has no data key yet (store::keys::ensure_data_keys)"
            ))
        })?;
        Ok(key.seal(purpose, plain.as_bytes()))
    }

    /// Encrypts, in place, the entry bodies an older version stored in plain text: in batches
    /// of [`ENCRYPT_BATCH`] entries, each batch in its own transaction, so an interruption loses
    /// nothing and the next start goes on where it stopped. Once done it is recorded, and later
    /// starts do not look again. On SQLite the file is then rewritten (VACUUM), so that the plain
    /// text is not left behind in its free pages. Returns how many entries it sealed.
    pub async fn encrypt_existing(&self) -> Result<u64, StoreError> {
        let done: Option<(i64,)> =
            sqlx::query_as("SELECT done_at FROM encryption_done WHERE name = $1")
                .bind(purpose::ENTRY_BODY)
                .fetch_optional(self.pool())
                .await?;
        if done.is_some() {
            return Ok(0);
        }
        let mut sealed = 0_u64;
        let mut after = 0_i64;
        loop {
            let rows: Vec<(i64, i64, String)> = sqlx::query_as(
                "SELECT e.id, s.organisation_id, e.body FROM entries e \
                 JOIN dossiers d ON d.id = e.dossier_id JOIN schools s ON s.id = d.school_id \
                 WHERE e.id > $1 ORDER BY e.id LIMIT $2",
            )
            .bind(after)
            .bind(ENCRYPT_BATCH)
            .fetch_all(self.pool())
            .await?;
            let Some(last) = rows.last().map(|r| r.0) else {
                break;
            };
            after = last;
            let plain: Vec<_> = rows
                .into_iter()
                .filter(|(_, _, body)| !crypto::is_sealed(body))
                .collect();
            if plain.is_empty() {
                continue;
            }
            let mut tx = self.begin_write().await?;
            for (id, organisation, body) in &plain {
                let value = self
                    .seal_with_existing_key(*organisation, purpose::ENTRY_BODY, body)
                    .await?;
                // Only if it is still the plain text read above: never seal twice.
                let changed =
                    sqlx::query("UPDATE entries SET body = $1 WHERE id = $2 AND body = $3")
                        .bind(value)
                        .bind(id)
                        .bind(body)
                        .execute(&mut *tx)
                        .await?
                        .rows_affected();
                sealed += changed;
            }
            tx.commit().await?;
        }
        sqlx::query(
            "INSERT INTO encryption_done (name, done_at) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING",
        )
        .bind(purpose::ENTRY_BODY)
        .bind(time::OffsetDateTime::now_utc().unix_timestamp())
        .execute(self.writer())
        .await?;
        if sealed > 0 && self.backend == super::Backend::Sqlite {
            sqlx::query("VACUUM").execute(self.writer()).await?;
            sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
                .execute(self.writer())
                .await?;
        }
        Ok(sealed)
    }

    /// Opens a stored value: a sealed one with the key it names (see [`Db::hold_keys_for`]), an
    /// older plaintext one (not yet reached by the in-place encryption) as it is.
    pub(crate) fn open(&self, purpose: &str, stored: &str) -> Result<String, StoreError> {
        if !crypto::is_sealed(stored) {
            return Ok(stored.to_string());
        }
        let ring = self.ring()?;
        let keys = ring
            .keys
            .read()
            .expect("the key ring's lock is never poisoned");
        let plain =
            crypto::open(|id| keys.get(&id).map(|k| &**k), purpose, stored).map_err(unreadable)?;
        String::from_utf8(plain).map_err(|e| StoreError::Decode(Box::new(e)))
    }
}

impl KeyRing {
    fn add(&self, organisation: i64, current: bool, key: DataKey) {
        let id = key.id();
        self.keys
            .write()
            .expect("the key ring's lock is never poisoned")
            .insert(id, Arc::new(key));
        if current {
            self.current
                .write()
                .expect("the key ring's lock is never poisoned")
                .insert(organisation, id);
        }
    }

    fn get(&self, id: u32) -> Option<Arc<DataKey>> {
        self.keys
            .read()
            .expect("the key ring's lock is never poisoned")
            .get(&id)
            .cloned()
    }

    fn current_of(&self, organisation: i64) -> Option<Arc<DataKey>> {
        let id = *self
            .current
            .read()
            .expect("the key ring's lock is never poisoned")
            .get(&organisation)?;
        self.get(id)
    }
}
