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

/// Starts a provider that sends browsers back to `redirect_uri`, and waits for its discovery
/// document. `rogue`: it signs ID tokens with a key other than the one it publishes.
pub async fn start_provider(redirect_uri: &str, rogue: bool) -> IdP {
    ensure_installed();
    let dir = provider_dir();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut cmd = Command::new("node");
    cmd.arg(dir.join("provider.mjs"))
        .arg(port.to_string())
        .arg(redirect_uri)
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    if rogue {
        cmd.arg("--rogue");
    }
    let idp = IdP {
        child: cmd.spawn().expect("node runs (is Node.js installed?)"),
        issuer: format!("http://127.0.0.1:{port}"),
    };
    let discovery = format!("{}/.well-known/openid-configuration", idp.issuer);
    for _ in 0..100 {
        if let Ok(res) = reqwest::get(&discovery).await
            && res.status().is_success()
        {
            return idp;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the OpenID provider did not start on port {port}");
}
