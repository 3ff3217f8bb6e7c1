//! The running application: its settings, its shared state, and start-up (serving it on a
//! socket, with the background jobs of `crate::jobs`).

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::net::TcpListener;
use tokio::sync::RwLock;

use crate::auth::Passwords;
use crate::clock::Clock;
use crate::jobs::Jobs;
use crate::store::Db;
use crate::store::org::Organisation;
use crate::store::reports::{Report, Scope};
use crate::store::sessions::DbSessionStore;

/// How the application is deployed.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Whether the session cookie carries `Secure` (and so the `__Host-` prefix). Only switched off
    /// for plain-http use on one's own machine.
    pub secure_cookies: bool,
    /// The address users reach the application at, without a trailing slash; used in links the
    /// server prints, and to decide on HSTS (only when it is https).
    pub public_url: String,
    /// Whether to take the client's address from `X-Forwarded-For` (only behind a proxy that sets
    /// it). Otherwise the socket's peer address is used.
    pub trust_forwarded_for: bool,
    /// The SMTP server for notification e-mails (see `mail::Mailer::new`); none: in the app only.
    pub smtp_url: Option<String>,
    /// The sender of notification e-mails.
    pub mail_from: String,
}

impl Settings {
    pub fn cookie_name(&self) -> &'static str {
        // The __Host- prefix makes the browser refuse the cookie unless it is Secure, for path /,
        // and without a Domain: no sibling host can set or overwrite it.
        if self.secure_cookies {
            "__Host-meldcode"
        } else {
            "meldcode"
        }
    }

    pub fn https(&self) -> bool {
        self.public_url.starts_with("https://")
    }
}

/// Everything a request handler may need. Cheap to clone: every field is shared.
#[derive(Debug, Clone)]
pub struct AppState {
    /// The database, behind the store's functions.
    pub db: Db,
    pub settings: Arc<Settings>,
    /// Password hashing, bounded to a few at a time.
    pub passwords: Passwords,
    pub clock: Clock,
    /// Sends notification e-mails, when an SMTP server is configured.
    pub mailer: Option<crate::mail::Mailer>,
    /// This instance's name for job leases.
    pub instance: String,
    /// Signs the form and device cookies; the same at every instance (kept in the database).
    pub cookie_key: crate::signing::CookieKey,
    /// The organisation's name and numbers, read on every page for the emergency route; kept for a
    /// short while so that a page does not cost an extra query.
    org_cache: Arc<RwLock<Option<CachedOrganisation>>>,
    /// Evaluation reports computed in the last few minutes (see [`AppState::report`]).
    report_cache: Arc<std::sync::Mutex<ReportCache>>,
    /// Held while a report is computed.
    report_turn: Arc<tokio::sync::Mutex<()>>,
}

/// Reports by (schools, from, to), with the moment they were computed.
type ReportCache = HashMap<(Vec<crate::domain::ids::SchoolId>, i64, i64), (i64, Arc<Report>)>;

/// How long a computed report is shown again: its figures are aggregates over a period, and a
/// report over every school of a large organisation takes long to compute.
pub const REPORT_CACHE_SECS: i64 = 5 * 60;
const REPORT_CACHE_SIZE: usize = 64;

/// The organisation as read at a moment (`None` inside: no organisation yet).
type CachedOrganisation = (Instant, Option<Organisation>);

const ORG_CACHE_TTL: Duration = Duration::from_secs(30);

impl AppState {
    pub async fn new(db: Db, settings: Settings, clock: Clock) -> anyhow::Result<AppState> {
        let mailer = match &settings.smtp_url {
            Some(url) => Some(crate::mail::Mailer::new(url, &settings.mail_from)?),
            None => None,
        };
        let cookie_key = crate::signing::CookieKey::from_secret(
            &db.secret("cookies", &crate::store::tokens::new_token())
                .await?,
        );
        Ok(AppState {
            mailer,
            cookie_key,
            instance: crate::store::tokens::new_token(),
            db,
            settings: Arc::new(settings),
            passwords: Passwords::new().await?,
            clock,
            org_cache: Arc::default(),
            report_cache: Arc::default(),
            report_turn: Arc::default(),
        })
    }

    /// The organisation, from the cache when it is fresh. Other instances see a change within
    /// [`ORG_CACHE_TTL`].
    pub async fn organisation(&self) -> Result<Option<Organisation>, sqlx::Error> {
        if let Some((at, org)) = self.org_cache.read().await.as_ref()
            && at.elapsed() < ORG_CACHE_TTL
        {
            return Ok(org.clone());
        }
        let org = self.db.organisation().await?;
        *self.org_cache.write().await = Some((Instant::now(), org.clone()));
        Ok(org)
    }

    /// The organisation as last read, however long ago, without asking the database: for the
    /// emergency page while the database cannot be reached.
    pub async fn last_known_organisation(&self) -> Option<Organisation> {
        self.org_cache
            .read()
            .await
            .as_ref()
            .and_then(|(_, o)| o.clone())
    }

    /// The report over `scope`, computed at most [`REPORT_CACHE_SECS`] ago, with that moment.
    /// The key is the scope's schools and period only: a user gets here only for schools where
    /// they are directie, and the figures are the same for everyone who may see them.
    pub async fn report(&self, scope: &Scope) -> Result<(i64, Arc<Report>), sqlx::Error> {
        let now = self.clock.unix();
        let mut schools = scope.schools.clone();
        schools.sort_unstable();
        schools.dedup();
        let key = (schools, scope.from, scope.to);
        let fresh = |cache: &ReportCache| {
            cache
                .get(&key)
                .filter(|(at, _)| now - *at < REPORT_CACHE_SECS)
                .cloned()
        };
        if let Some(hit) = fresh(&self.reports()) {
            return Ok(hit);
        }
        // One report is computed at a time: requests that arrive meanwhile wait and then find it
        // in the cache, instead of each computing the same (and starving the other pages).
        let _turn = self.report_turn.lock().await;
        if let Some(hit) = fresh(&self.reports()) {
            return Ok(hit);
        }
        let report = Arc::new(self.db.report(scope).await?);
        let mut cache = self.reports();
        cache.retain(|_, (at, _)| now - *at < REPORT_CACHE_SECS);
        if cache.len() >= REPORT_CACHE_SIZE
            && let Some(oldest) = cache
                .iter()
                .min_by_key(|(_, (at, _))| *at)
                .map(|(k, _)| k.clone())
        {
            cache.remove(&oldest);
        }
        cache.insert(key, (now, report.clone()));
        Ok((now, report))
    }

    fn reports(&self) -> std::sync::MutexGuard<'_, ReportCache> {
        // A panic while holding the lock leaves a usable map behind: take it.
        self.report_cache
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Forgets the cached organisation after a change.
    pub async fn organisation_changed(&self) {
        *self.org_cache.write().await = None;
    }

    pub fn session_store(&self) -> DbSessionStore {
        DbSessionStore::new(self.db.clone(), self.clock.clone())
    }

    /// The background jobs of this instance (see [`crate::jobs`]).
    pub fn jobs(&self) -> Jobs {
        Jobs {
            db: self.db.clone(),
            clock: self.clock.clone(),
            instance: self.instance.clone(),
            mailer: self.mailer.clone(),
            public_url: self.settings.public_url.clone(),
        }
    }
}

/// Serves `router` (the web layer's, `crate::web::router`) on `listener` until the process is
/// told to stop, and starts the background jobs (`crate::jobs`). The crate root's
/// [`crate::serve`] puts the two together; this module does not name the web layer, which
/// depends on it.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    router: axum::Router,
) -> std::io::Result<()> {
    state.jobs().spawn();
    axum::serve(
        listener,
        router.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}
