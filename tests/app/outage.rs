//! The database goes away and comes back. While it is away every page says so within seconds
//! (503, a Dutch page with the emergency numbers), the emergency page works without it, and
//! /healthz says 503; afterwards everything works again by itself.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use meldcode::store::Db;

use crate::common::*;

/// What every page must do while the database is away.
async fn pages_say_the_database_is_away(app: &TestApp, token: &str) {
    let started = Instant::now();
    let res = app.get("/start").await;
    let took = started.elapsed();
    assert_eq!(res.status(), 503, "a page during the outage");
    let page = res.text().await.unwrap();
    assert!(page.contains("even niet bereikbaar"), "{page}");
    assert!(
        page.contains("112") && page.contains("0800-2000"),
        "emergency numbers on it"
    );
    eprintln!("a page during the outage answered 503 in {took:?}");
    assert!(
        took < Duration::from_secs(4),
        "answered within seconds, took {took:?}"
    );

    let res = app
        .client
        .post(app.url("/logout"))
        .form(&[("_csrf", token)])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 503, "a form post during the outage");

    let res = app.get("/nood").await;
    assert_eq!(
        res.status(),
        200,
        "the emergency page works without the database"
    );
    assert!(res.text().await.unwrap().contains("112"));

    assert_eq!(app.get("/healthz").await.status(), 503);
}

/// Logs a teacher in; returns the session's form token.
async fn logged_in(app: &TestApp) -> String {
    let org = app.seed_org().await;
    app.add_teacher(&org, "juf@school.nl").await;
    app.login("juf@school.nl").await;
    assert_eq!(app.get("/start").await.status(), 200);
    app.token_with(&app.client).await
}

/// Pages work again within a few seconds of the database's return.
async fn pages_recover(app: &TestApp) {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let status = app.get("/start").await.status();
        if status == 200 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "still {status} after the database came back"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert_eq!(app.get("/healthz").await.status(), 200);
}

#[tokio::test]
async fn a_sqlite_file_that_disappears_is_an_outage_not_a_new_empty_database() {
    if std::env::var("MELDCODE_TEST_DATABASE_URL").is_ok_and(|u| !u.is_empty()) {
        return; // the PostgreSQL pass tests its own outage below
    }
    let app = spawn_app().await;
    let token = logged_in(&app).await;
    let file = PathBuf::from(app.db_url().unwrap());
    let away = file.with_extension("weg");
    std::fs::rename(&file, &away).unwrap();
    pages_say_the_database_is_away(&app, &token).await;
    assert!(
        !file.exists(),
        "no new, empty database was made in its place"
    );
    std::fs::rename(&away, &file).unwrap();
    pages_recover(&app).await;
}

/// A PostgreSQL server of the test's own (never the machine's shared one), stopped on drop.
struct OwnPostgres {
    bin: PathBuf,
    dir: PathBuf,
    port: u16,
}

impl OwnPostgres {
    fn start() -> Option<OwnPostgres> {
        let bin = std::fs::read_dir("/usr/lib/postgresql")
            .ok()?
            .filter_map(|e| e.ok())
            .map(|e| e.path().join("bin"))
            .find(|b| b.join("initdb").exists())?;
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let dir = std::env::temp_dir().join(format!("mc_pg_{port}"));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let pg = OwnPostgres { bin, dir, port };
        // initdb refuses to run as root: the cluster belongs to the postgres user when we are root.
        Command::new("chown")
            .args(["postgres:postgres", pg.dir.to_str().unwrap()])
            .status()
            .ok();
        assert!(
            pg.run(
                "initdb",
                &[
                    "-A",
                    "trust",
                    "-U",
                    "postgres",
                    "-D",
                    pg.data().to_str().unwrap()
                ]
            ),
            "initdb"
        );
        assert!(pg.ctl("start"), "pg_ctl start");
        Some(pg)
    }

    fn data(&self) -> PathBuf {
        self.dir.join("data")
    }

    fn run(&self, tool: &str, args: &[&str]) -> bool {
        let tool = self.bin.join(tool);
        let root = Command::new("id")
            .arg("-u")
            .output()
            .is_ok_and(|o| o.stdout == b"0\n");
        let mut cmd = if root {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(&tool);
            c
        } else {
            Command::new(&tool)
        };
        cmd.args(args)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    }

    fn ctl(&self, what: &str) -> bool {
        let options = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1",
            self.port,
            self.dir.display()
        );
        let data = self.data();
        let mut args = vec!["-D", data.to_str().unwrap(), "-w", "-o", &options];
        if what == "stop" {
            args.extend(["-m", "fast"]);
        }
        args.push(what);
        self.run("pg_ctl", &args)
    }

    fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }
}

impl Drop for OwnPostgres {
    fn drop(&mut self) {
        self.ctl("stop");
        let _ = std::fs::remove_dir_all(Path::new(&self.dir));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_postgres_server_that_stops_is_an_outage_and_its_return_ends_it() {
    if std::env::var("MELDCODE_TEST_DATABASE_URL").map_or(true, |u| u.is_empty()) {
        return; // the SQLite pass tests its own outage above
    }
    let pg = OwnPostgres::start().expect("PostgreSQL's initdb on this machine");
    let db = Db::connect(&pg.url()).await.unwrap();
    db.migrate().await.unwrap();
    let app = spawn_app_on(db, None, |_| {}).await;
    let token = logged_in(&app).await;
    assert!(pg.ctl("stop"), "pg_ctl stop");
    pages_say_the_database_is_away(&app, &token).await;
    assert!(pg.ctl("start"), "pg_ctl start");
    pages_recover(&app).await;
}

/// `n` start pages at once, under a timeout: their statuses.
async fn start_pages_at_once(app: &std::sync::Arc<TestApp>, n: usize) -> Vec<u16> {
    let mut pages = tokio::task::JoinSet::new();
    for _ in 0..n {
        let app = app.clone();
        pages.spawn(async move { app.get("/start").await.status().as_u16() });
    }
    tokio::time::timeout(Duration::from_secs(60), pages.join_all())
        .await
        .expect("every page answers")
}

/// The pool no longer pings a connection it hands out moments after its last use (issue 14: the
/// ping cost as much as the query); one that sat idle for longer than `PING_WHEN_IDLE` is still
/// pinged. When the server ended such connections (a restart, a proxy's idle timeout), the next
/// pages get fresh ones: no user sees an outage that is not there.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connections_the_server_ended_while_idle_are_replaced_before_a_page_uses_them() {
    if std::env::var("MELDCODE_TEST_DATABASE_URL").map_or(true, |u| u.is_empty()) {
        return; // an embedded SQLite connection cannot be ended from outside
    }
    let app = std::sync::Arc::new(spawn_app().await);
    logged_in(&app).await;
    // Fill the pool with connections: pages at once, four times the cores.
    let n = 4 * std::thread::available_parallelism().map_or(2, usize::from);
    let statuses = start_pages_at_once(&app, n).await;
    assert!(statuses.iter().all(|s| *s == 200), "{statuses:?}");
    // The server ends every connection of this database but the one that asks it to.
    let ended: Vec<(bool,)> = sqlx::query_as(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
         WHERE datname = current_database() AND pid <> pg_backend_pid()",
    )
    .fetch_all(app.db.pool_for_tests())
    .await
    .unwrap();
    assert!(!ended.is_empty(), "the pool held connections to end");
    tokio::time::sleep(meldcode::store::PING_WHEN_IDLE + Duration::from_millis(500)).await;
    let statuses = start_pages_at_once(&app, n).await;
    assert!(
        statuses.iter().all(|s| *s == 200),
        "no page meets a dead connection: {statuses:?}"
    );
}
