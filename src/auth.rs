//! Password hashing with argon2id.
//!
//! Hashing is deliberately slow and memory-hungry (the crate's defaults, which are OWASP's:
//! 19 MiB, two passes, one lane), so it runs on tokio's blocking threads, and a semaphore bounds
//! how many run at once: a burst of logins queues up instead of exhausting memory or starving the
//! threads that serve pages.

use std::sync::Arc;

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use tokio::sync::Semaphore;

#[derive(Debug, Clone)]
pub struct Passwords {
    permits: Arc<Semaphore>,
    /// A hash of a random password. Logins for unknown e-mail addresses are verified against it,
    /// so that an unknown address takes as long as a wrong password and timing reveals nothing.
    dummy_hash: Arc<String>,
}

impl Passwords {
    pub async fn new() -> anyhow::Result<Passwords> {
        let parallel = std::thread::available_parallelism().map_or(2, usize::from);
        let random = crate::store::tokens::new_token();
        let dummy_hash = tokio::task::spawn_blocking(move || hash_now(&random)).await??;
        Ok(Passwords {
            permits: Arc::new(Semaphore::new(parallel)),
            dummy_hash: Arc::new(dummy_hash),
        })
    }

    pub async fn hash(&self, password: &str) -> anyhow::Result<String> {
        let _permit = self.permits.acquire().await?;
        let password = password.to_string();
        tokio::task::spawn_blocking(move || hash_now(&password)).await?
    }

    /// Whether `password` matches `hash`. With no hash (unknown user, or a user who has not chosen
    /// a password yet) the dummy hash is checked, and the answer is always false.
    pub async fn verify(&self, password: &str, hash: Option<&str>) -> anyhow::Result<bool> {
        let _permit = self.permits.acquire().await?;
        let known = hash.is_some();
        let hash = hash.map_or_else(|| self.dummy_hash.to_string(), str::to_string);
        let password = password.to_string();
        let matches = tokio::task::spawn_blocking(move || {
            PasswordHash::new(&hash)
                .map(|parsed| {
                    Argon2::default()
                        .verify_password(password.as_bytes(), &parsed)
                        .is_ok()
                })
                .unwrap_or(false)
        })
        .await?;
        Ok(known && matches)
    }
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
                    let parsed = PasswordHash::new(&hash).expect("a hash of our own");
                    let mut n = 0;
                    while started.elapsed() < duration {
                        let ok = Argon2::default()
                            .verify_password(b"benchmark-password", &parsed)
                            .is_ok();
                        n += usize::from(ok);
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
    let salt = SaltString::generate(&mut argon2::password_hash::rand_core::OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| anyhow::anyhow!("argon2: {e}"))
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

    #[tokio::test]
    async fn an_unknown_user_never_verifies() {
        let p = Passwords::new().await.unwrap();
        assert!(!p.verify("whatever-it-is-123", None).await.unwrap());
    }
}
