//! A real OpenID provider for the tests: `oidc-provider` (npm, a certified implementation) runs
//! as a child process (tests/oidc/provider.mjs, installed from npm by the first test that needs
//! it, as `npm ci --prefix tests/oidc` would). Shared
//! by the HTTP tests (tests/app/oidc.rs) and the browser journeys (tests/browser.rs).

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// The provider's one client, as provider.mjs registers it.
pub const CLIENT_ID: &str = "meldcode";
pub const CLIENT_SECRET: &str = "geheim-van-de-test";

/// The provider process; killed when the test ends, however it ends.
pub struct IdP {
    child: Child,
    pub issuer: String,
}

impl Drop for IdP {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn provider_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/oidc")
}

/// Installs the provider from npm (its package-lock.json) the first time a test needs it, once
/// for all the tests running at the same time: `cargo test` needs no step before it.
fn ensure_installed() {
    static INSTALL: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _once = INSTALL.lock().unwrap_or_else(|e| e.into_inner());
    let dir = provider_dir();
    if dir.join("node_modules/oidc-provider").is_dir() {
        return;
    }
    let status = Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund", "--silent", "--prefix"])
        .arg(&dir)
        .status();
    assert!(
        status.is_ok_and(|s| s.success()),
        "could not install the test OpenID provider: `npm ci --prefix tests/oidc` failed (is Node.js with npm installed, and the npm registry reachable?)"
    );
}

/// Starts a provider that sends browsers back to `redirect_uri`, and waits until it listens.
/// `rogue`: it signs ID tokens with a key other than the one it publishes.
///
/// The provider picks its own port and prints "listening <issuer>" once it listens, so no other
/// process can take a port chosen here beforehand; it has a minute to do so (Node loads slowly on
/// a machine busy with the rest of the tests), and if it exits instead, its error output is shown.
pub async fn start_provider(redirect_uri: &str, rogue: bool) -> IdP {
    start_provider_with(redirect_uri, if rogue { &["--rogue"] } else { &[] }).await
}

/// As [`start_provider`], with the provider's own options (`--rogue`, `--id-token-seconds N`).
pub async fn start_provider_with(redirect_uri: &str, options: &[&str]) -> IdP {
    use std::io::{BufRead, BufReader, Read};
    ensure_installed();
    let dir = provider_dir();
    let mut cmd = Command::new("node");
    cmd.arg(dir.join("provider.mjs"))
        .arg(redirect_uri)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .args(options);
    let mut child = cmd.spawn().expect("node runs (is Node.js installed?)");
    // Both pipes are read to their end, so that the provider never blocks on (or fails writing
    // to) a full or closed pipe; its error output is kept for the message below.
    let mut stderr = child.stderr.take().expect("stderr is piped");
    let errors = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stderr.read_to_string(&mut text);
        text
    });
    let stdout = child.stdout.take().expect("stdout is piped");
    let first_line = tokio::task::spawn_blocking(move || {
        let mut reader = BufReader::new(stdout);
        let mut line = String::new();
        let read = reader.read_line(&mut line).map(|_| line);
        std::thread::spawn(move || std::io::copy(&mut reader, &mut std::io::sink()));
        read
    });
    let issuer = match tokio::time::timeout(Duration::from_secs(60), first_line).await {
        Ok(Ok(Ok(line))) => line.trim().strip_prefix("listening ").map(str::to_string),
        _ => None,
    };
    let Some(issuer) = issuer else {
        let _ = child.kill();
        let _ = child.wait();
        let errors = errors.join().unwrap_or_default();
        panic!("the OpenID provider did not start within a minute; it said: {errors}");
    };
    IdP { child, issuer }
}
