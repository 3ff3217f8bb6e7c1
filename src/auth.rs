//! Password hashing with argon2id.
//!
//! Hashing is deliberately slow and memory-hungry (the crate's defaults, which are OWASP's:
//! 19 MiB, two passes, one lane), so it runs on tokio's blocking threads, and a semaphore bounds
//! how many run at once: a burst of logins queues up instead of exhausting memory or starving the
//! threads that serve pages (all cores but one: [`password_workers`]). A check reuses the memory
//! of an earlier one (a buffer per permit) instead of allocating 19 MiB each time, which the
//! allocator would keep.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use argon2::password_hash::{Output, ParamsString, PasswordHash, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use subtle::ConstantTimeEq;
use tokio::sync::Semaphore;

#[derive(Debug, Clone)]
pub struct Passwords {
    permits: Arc<Semaphore>,
    /// A hash of a random password. Logins for unknown e-mail addresses are verified against it,
    /// so that an unknown address takes as long as a wrong password and timing reveals nothing.
    dummy_hash: Arc<String>,
    /// Memory for checks, returned after use: at most one buffer per permit.
    memory: Arc<MemoryPool>,
    /// Whether checks are getting done, for the health check: how many are waiting or running,
    /// and when the last one finished.
    progress: Arc<Progress>,
}

/// The health of the password workers, kept without taking a permit (a health check that queued
/// for one would slow logins and be slowed by them).
#[derive(Debug)]
struct Progress {
    started: Instant,
    /// Checks and hashes asked for and not yet finished.
    unfinished: AtomicUsize,
    /// Milliseconds after `started` at which the last one finished, or at which one was asked for
    /// while none was unfinished (a quiet hour is no stall).
    last_progress_ms: AtomicU64,
}

impl Progress {
    fn now_ms(&self) -> u64 {
        u64::try_from(self.started.elapsed().as_millis()).unwrap_or(u64::MAX)
    }
}

/// Counts a check as unfinished while it lives, and as finished when it ends in any way
/// (done, failed, or its caller gone).
struct Unfinished<'a>(&'a Progress);

impl<'a> Unfinished<'a> {
    fn new(progress: &'a Progress) -> Self {
        if progress.unfinished.fetch_add(1, Ordering::SeqCst) == 0 {
            progress
                .last_progress_ms
                .store(progress.now_ms(), Ordering::SeqCst);
        }
        Unfinished(progress)
    }
}

impl Drop for Unfinished<'_> {
    fn drop(&mut self) {
        self.0
            .last_progress_ms
            .store(self.0.now_ms(), Ordering::SeqCst);
        self.0.unfinished.fetch_sub(1, Ordering::SeqCst);
    }
}

/// How many password checks run at once on a machine with `cores` cores: all but one, so that a
/// flood of logins (a morning rush, or someone guessing) leaves a core to serve pages; one on a
/// single core. The memory pool holds at most one 19 MiB buffer per check that can run.
pub fn password_workers(cores: usize) -> usize {
    cores.saturating_sub(1).max(1)
}

impl Passwords {
    pub async fn new() -> anyhow::Result<Passwords> {
        let cores = std::thread::available_parallelism().map_or(2, usize::from);
        let random = crate::store::tokens::new_token();
        let mut passwords = Passwords {
            permits: Arc::new(Semaphore::new(password_workers(cores))),
            dummy_hash: Arc::default(),
            memory: Arc::default(),
            progress: Arc::new(Progress {
                started: Instant::now(),
                unfinished: AtomicUsize::new(0),
                last_progress_ms: AtomicU64::new(0),
            }),
        };
        passwords.dummy_hash = Arc::new(passwords.hash(&random).await?);
        Ok(passwords)
    }

    pub async fn hash(&self, password: &str) -> anyhow::Result<String> {
        let password = password.to_string();
        self.run(move |memory| hash_with(password.as_bytes(), memory))
            .await?
    }

    /// Whether `password` matches `hash`. With no hash (unknown user, or a user who has not chosen
    /// a password yet) the dummy hash is checked, and the answer is always false.
    pub async fn verify(&self, password: &str, hash: Option<&str>) -> anyhow::Result<bool> {
        // No permit here: `run` takes the one permit a check needs. Taking one here as well held
        // two per check, and with as many permits as cores, two checks at once waited on each
        // other for ever (every login froze until restart).
        let known = hash.is_some();
        let hash = hash.map_or_else(|| self.dummy_hash.to_string(), str::to_string);
        let password = password.to_string();
        let matches = self
            .run(move |memory| verify_now(password.as_bytes(), &hash, memory))
            .await?;
        Ok(known && matches)
    }

    /// Runs `f` on a blocking thread, under a permit, with argon2 memory from the pool (or new
    /// memory, while fewer buffers exist than permits), and puts the memory back.
    async fn run<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Vec<Block>) -> T + Send + 'static,
    ) -> anyhow::Result<T> {
        let _unfinished = Unfinished::new(&self.progress);
        let _permit = self.permits.acquire().await?;
        let pool = self.memory.clone();
        Ok(tokio::task::spawn_blocking(move || {
            let taken = pool.lock().ok().and_then(|mut p| p.pop());
            let mut memory = taken.unwrap_or_default();
            let result = f(&mut memory);
            if let Ok(mut p) = pool.lock() {
                p.push(memory);
            }
            result
        })
        .await?)
    }
}

impl Passwords {
    /// Whether password checks are stuck: some are waiting or running, and none has finished for
    /// `limit`. A check takes tens of milliseconds, so even a queue of logins finishes one well
    /// within a second; when none does, nobody can log in and the health check must say so.
    pub fn stalled(&self, limit: Duration) -> bool {
        let p = &self.progress;
        let unfinished = p.unfinished.load(Ordering::SeqCst);
        let since = p
            .now_ms()
            .saturating_sub(p.last_progress_ms.load(Ordering::SeqCst));
        unfinished > 0 && u128::from(since) > limit.as_millis()
    }
}

type MemoryPool = std::sync::Mutex<Vec<Vec<Block>>>;

/// Checks `password` against a PHC string, in `memory` (grown to the size the hash's parameters
/// need, then kept for the next check). Compares in constant time.
fn verify_now(password: &[u8], hash: &str, memory: &mut Vec<Block>) -> bool {
    let Ok(parsed) = PasswordHash::new(hash) else {
        return false;
    };
    let (Ok(algorithm), Ok(params)) = (
        Algorithm::try_from(parsed.algorithm),
        Params::try_from(&parsed),
    ) else {
        return false;
    };
    let Ok(version) = parsed
        .version
        .map_or(Ok(Version::default()), Version::try_from)
    else {
        return false;
    };
    let (Some(salt), Some(expected)) = (parsed.salt, parsed.hash) else {
        return false;
    };
    let mut salt_bytes = [0u8; 64];
    let Ok(salt) = salt.decode_b64(&mut salt_bytes) else {
        return false;
    };
    memory.resize(params.block_count(), Block::default());
    let mut out = vec![0u8; expected.len()];
    Argon2::new(algorithm, version, params)
        .hash_password_into_with_memory(password, salt, &mut out, &mut memory[..])
        .is_ok()
        && bool::from(out.as_slice().ct_eq(expected.as_bytes()))
}

/// How many password checks per second the machine can do with every core busy: the ceiling for
/// login throughput, measured by the benchmark.
pub fn verifications_per_second(duration: std::time::Duration) -> anyhow::Result<f64> {
    let hash = hash_now("benchmark-password")?;
    let cores = std::thread::available_parallelism().map_or(2, usize::from);
    let started = std::time::Instant::now();
    let done: usize = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..cores)
            .map(|_| {
                scope.spawn(|| {
                    let mut memory = Vec::new();
                    let mut n = 0;
                    while started.elapsed() < duration {
                        n += usize::from(verify_now(b"benchmark-password", &hash, &mut memory));
                    }
                    n
                })
            })
            .collect();
        workers.into_iter().map(|w| w.join().unwrap_or(0)).sum()
    });
    Ok(done as f64 / started.elapsed().as_secs_f64())
}

fn hash_now(password: &str) -> anyhow::Result<String> {
    hash_with(password.as_bytes(), &mut Vec::new())
}

/// A new argon2id hash (the crate's default parameters, a random salt) as a PHC string, computed
/// in `memory`.
fn hash_with(password: &[u8], memory: &mut Vec<Block>) -> anyhow::Result<String> {
    let err = |e: &dyn std::fmt::Display| anyhow::anyhow!("argon2: {e}");
    let salt = SaltString::generate(&mut argon2::password_hash::rand_core::OsRng);
    let mut salt_bytes = [0u8; 64];
    let raw_salt = salt
        .as_salt()
        .decode_b64(&mut salt_bytes)
        .map_err(|e| err(&e))?;
    let params = Params::default();
    memory.resize(params.block_count(), Block::default());
    let mut out = [0u8; Params::DEFAULT_OUTPUT_LEN];
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone())
        .hash_password_into_with_memory(password, raw_salt, &mut out, &mut memory[..])
        .map_err(|e| err(&e))?;
    let phc = PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(&params).map_err(|e| err(&e))?,
        salt: Some(salt.as_salt()),
        hash: Some(Output::new(&out).map_err(|e| err(&e))?),
    };
    Ok(phc.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_hash_verifies_its_own_password_and_no_other() {
        let p = Passwords::new().await.unwrap();
        let hash = p.hash("vlinder-Kast-97-regen").await.unwrap();
        assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(
            p.verify("vlinder-Kast-97-regen", Some(&hash))
                .await
                .unwrap()
        );
        assert!(
            !p.verify("vlinder-kast-97-regen", Some(&hash))
                .await
                .unwrap()
        );
    }

    #[test]
    fn a_check_follows_the_parameters_in_the_hash_and_reuses_its_memory() {
        // A hash made with other (older, smaller) parameters still verifies: the check reads m,
        // t and p from the hash, as the crate's own verifier does.
        let small = Params::new(8 * 1024, 1, 1, None).unwrap();
        let salt = SaltString::generate(&mut argon2::password_hash::rand_core::OsRng);
        let old = Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, small)
            .hash_password(b"oude-Sleutel-12", &salt)
            .unwrap()
            .to_string();
        let current = hash_now("vlinder-Kast-97-regen").unwrap();
        // Our hash is what the crate itself makes and checks.
        use argon2::password_hash::{PasswordHasher, PasswordVerifier};
        let parsed = PasswordHash::new(&current).unwrap();
        assert!(
            Argon2::default()
                .verify_password(b"vlinder-Kast-97-regen", &parsed)
                .is_ok()
        );
        let mut memory = Vec::new();
        assert!(verify_now(b"oude-Sleutel-12", &old, &mut memory));
        assert_eq!(memory.len(), 8 * 1024, "memory sized by the hash");
        assert!(verify_now(b"vlinder-Kast-97-regen", &current, &mut memory));
        assert_eq!(
            memory.len(),
            19 * 1024,
            "and grown for the current parameters"
        );
        assert!(!verify_now(b"vlinder-kast-97-regen", &current, &mut memory));
        assert!(!verify_now(b"oude-Sleutel-12", "geen hash", &mut memory));
        let bcrypt_like = "$2b$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW";
        assert!(!verify_now(b"x", bcrypt_like, &mut memory));
    }

    /// The deadlock of issue 11: each check took two permits, so with as many permits as cores
    /// two checks at once waited on each other for ever. Four times as many checks and hashes as
    /// there are cores, right, wrong and unknown mixed, must all finish.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn many_checks_and_hashes_at_once_all_finish() {
        let p = Passwords::new().await.unwrap();
        let hash = p.hash("vlinder-Kast-97-regen").await.unwrap();
        let n = 4 * std::thread::available_parallelism().map_or(2, usize::from);
        let mut tasks = tokio::task::JoinSet::new();
        for i in 0..n {
            let (p, hash) = (p.clone(), hash.clone());
            tasks.spawn(async move {
                match i % 4 {
                    0 => p
                        .verify("vlinder-Kast-97-regen", Some(&hash))
                        .await
                        .unwrap(),
                    1 => !p
                        .verify("verkeerd-wachtwoord-1", Some(&hash))
                        .await
                        .unwrap(),
                    2 => !p.verify("wie-dan-ook-123", None).await.unwrap(),
                    _ => p
                        .hash("nieuw-Wachtwoord-88")
                        .await
                        .unwrap()
                        .starts_with("$argon2id$"),
                }
            });
        }
        let all = tokio::time::timeout(Duration::from_secs(60), tasks.join_all())
            .await
            .expect("every check finishes: no deadlock");
        assert_eq!(all.len(), n);
        assert!(
            all.into_iter().all(|ok| ok),
            "every check gave the right answer"
        );
        assert!(!p.stalled(Duration::from_millis(1)), "nothing unfinished");
    }

    #[tokio::test]
    async fn checks_that_cannot_get_a_worker_show_as_stalled_and_recover() {
        let p = Passwords::new().await.unwrap();
        assert!(!p.stalled(Duration::ZERO), "idle is not stalled");
        let all = p.permits.available_permits() as u32;
        let held = p.permits.clone().acquire_many_owned(all).await.unwrap();
        let waiting = tokio::spawn({
            let p = p.clone();
            async move { p.verify("wie-dan-ook-123", None).await }
        });
        tokio::time::sleep(Duration::from_millis(300)).await;
        assert!(
            p.stalled(Duration::from_millis(200)),
            "a check waits and none finishes"
        );
        assert!(
            !p.stalled(Duration::from_secs(5)),
            "but not for five seconds yet"
        );
        drop(held);
        assert!(!waiting.await.unwrap().unwrap());
        assert!(
            !p.stalled(Duration::ZERO),
            "recovered once the workers are free"
        );
    }

    #[test]
    fn password_checks_leave_a_core_for_pages_when_there_is_more_than_one() {
        assert_eq!(password_workers(1), 1);
        assert_eq!(password_workers(2), 1);
        assert_eq!(password_workers(8), 7);
        assert_eq!(password_workers(0), 1);
    }

    #[tokio::test]
    async fn an_unknown_user_never_verifies() {
        let p = Passwords::new().await.unwrap();
        assert!(!p.verify("whatever-it-is-123", None).await.unwrap());
    }
}
