//! The test harness: every test gets the real application on its own port and its own fresh
//! database, and a client that keeps cookies like a browser.
//!
//! The database is a new SQLite file, or, when `MELDCODE_TEST_DATABASE_URL` names a PostgreSQL
//! server, a new database on it. `.ci/run` runs the whole suite both ways.

use std::path::PathBuf;

use meldcode::clock::Clock;
use meldcode::domain::ids::{DossierId, SchoolId, UserId};
use meldcode::domain::role::Role;
use meldcode::store::Db;
use meldcode::{AppState, Settings};
use reqwest::redirect::Policy;
use tokio::net::TcpListener;

pub const PASSWORD: &str = "Zonnig-Fietspad-Kastanje-42";

/// The master key every test database is unlocked with (issue 19). Fixed, so that a second
/// instance on the same database, and the binary a test runs, open what the first one sealed.
pub const TEST_KEY_FILE_TEXT: &str = "# Meldcode-testsleutel, nergens anders te gebruiken\nAQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=\n";

pub fn test_master_key() -> meldcode::crypto::MasterKey {
    meldcode::crypto::MasterKey::from_file_text(TEST_KEY_FILE_TEXT).unwrap()
}

/// The test key as a key file, for the binary (`MELDCODE_KEY_FILE`).
pub fn test_key_file() -> PathBuf {
    let path = std::env::temp_dir().join(format!("meldcode-test-{}.key", std::process::id()));
    if !path.exists() {
        let part = path.with_extension(format!("{}.part", rand::random::<u32>()));
        std::fs::write(&part, TEST_KEY_FILE_TEXT).unwrap();
        let _ = std::fs::rename(&part, &path);
    }
    path
}

/// Unlocks a test database with the test key and gives its organisations data keys.
pub async fn unlocked(db: Db) -> Db {
    db.unlock(test_master_key())
        .await
        .expect("the test key opens the test database");
    db.ensure_data_keys().await.expect("data keys");
    db
}

pub struct TestApp {
    pub base: String,
    pub db: Db,
    pub clock: Clock,
    pub state: AppState,
    pub client: reqwest::Client,
    sqlite_file: Option<PathBuf>,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(f) = &self.sqlite_file {
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", f.display()));
            }
        }
    }
}

fn random_name() -> String {
    use rand::Rng;
    let n: u64 = rand::thread_rng().r#gen();
    format!("mc_test_{n:016x}")
}

/// A fresh, migrated database for one test.
pub async fn fresh_db() -> (Db, Option<PathBuf>) {
    let (db, _, file) = fresh_db_url().await;
    (db, file)
}

/// A fresh, migrated database with its URL, for tests that run the binary against it.
pub async fn fresh_db_url() -> (Db, String, Option<PathBuf>) {
    match std::env::var("MELDCODE_TEST_DATABASE_URL") {
        Ok(server) if !server.is_empty() => {
            let name = random_name();
            let admin = Db::connect(&server).await.expect("PostgreSQL reachable");
            sqlx::query(&format!("CREATE DATABASE {name}"))
                .execute(admin.pool_for_tests())
                .await
                .expect("create test database");
            admin.close().await;
            let (base, _) = server.rsplit_once('/').expect("URL with a database name");
            let url = format!("{base}/{name}");
            let db = Db::connect(&url).await.expect("connect test database");
            db.migrate().await.expect("migrate");
            (unlocked(db).await, url, None)
        }
        _ => {
            let file = std::env::temp_dir().join(format!("{}.db", random_name()));
            let url = file.to_str().unwrap().to_string();
            let db = Db::connect(&url).await.expect("open SQLite");
            db.migrate().await.expect("migrate");
            (unlocked(db).await, url, Some(file))
        }
    }
}

pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(Policy::none())
        .build()
        .unwrap()
}

/// The application with the session cookie allowed over plain http (the documented switch for
/// local use), so that the test client sends it back.
pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

/// The application with settings changed by `configure` (e.g. secure cookies, an https address).
pub async fn spawn_app_with(configure: impl FnOnce(&mut Settings)) -> TestApp {
    let (db, sqlite_file) = fresh_db().await;
    spawn_app_on(db, sqlite_file, configure).await
}

/// The application on a database the test made itself.
pub async fn spawn_app_on(
    db: Db,
    sqlite_file: Option<PathBuf>,
    configure: impl FnOnce(&mut Settings),
) -> TestApp {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let clock = Clock::system();
    let mut settings = Settings {
        secure_cookies: false,
        public_url: base.clone(),
        trust_forwarded_for: false,
        smtp_url: None,
        mail_from: "Meldcode <meldcode@test.example>".into(),
    };
    configure(&mut settings);
    let db = unlocked(db).await;
    let state = AppState::new(db.clone(), settings, clock.clone())
        .await
        .unwrap();
    tokio::spawn(meldcode::serve(listener, state.clone()));
    TestApp {
        base,
        db,
        clock,
        state,
        client: client(),
        sqlite_file,
    }
}

/// The organisation with two schools, as most tests need it.
pub struct Org {
    pub id: i64,
    pub school_a: SchoolId,
    pub school_b: SchoolId,
}

impl TestApp {
    /// A handle on a server that runs elsewhere (a child process), for the request helpers.
    pub async fn attach(base: &str, db: Db) -> TestApp {
        let clock = Clock::system();
        let settings = Settings {
            secure_cookies: false,
            public_url: base.to_string(),
            trust_forwarded_for: false,
            smtp_url: None,
            mail_from: "Meldcode <meldcode@test.example>".into(),
        };
        let state = AppState::new(db.clone(), settings, clock.clone())
            .await
            .unwrap();
        TestApp {
            base: base.to_string(),
            db,
            clock,
            state,
            client: client(),
            sqlite_file: None,
        }
    }

    /// The SQLite file's path as a database URL, when the test runs on SQLite.
    pub fn db_url(&self) -> Option<String> {
        self.sqlite_file
            .as_ref()
            .map(|f| f.to_string_lossy().to_string())
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).send().await.unwrap()
    }

    pub async fn get_with(&self, client: &reqwest::Client, path: &str) -> reqwest::Response {
        client.get(self.url(path)).send().await.unwrap()
    }

    /// Posts a form with the session's form token, as a page of ours would.
    pub async fn post(&self, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        self.post_with(&self.client, path, fields).await
    }

    pub async fn post_with(
        &self,
        client: &reqwest::Client,
        path: &str,
        fields: &[(&str, &str)],
    ) -> reqwest::Response {
        let token = self.token_with(client).await;
        let mut form: Vec<(&str, &str)> = vec![("_csrf", token.as_str())];
        form.extend_from_slice(fields);
        client
            .post(self.url(path))
            .form(&form)
            .send()
            .await
            .unwrap()
    }

    /// The form token of the client's session, read from a page as a browser would see it.
    pub async fn token_with(&self, client: &reqwest::Client) -> String {
        let html = self.get_with(client, "/nood").await.text().await.unwrap();
        if let Some(t) = token_in(&html) {
            return t;
        }
        let html = self.get_with(client, "/login").await.text().await.unwrap();
        token_in(&html).expect("a page with a form token")
    }

    pub async fn seed_org(&self) -> Org {
        let now = self.clock.unix();
        let mut tx = self.db.begin_write().await.unwrap();
        let (id, school_a) = meldcode::store::org::create_organisation(
            &mut tx,
            "Stichting Test",
            "De Regenboog",
            now,
        )
        .await
        .unwrap();
        // Most tests log in with a password alone; two_factor.rs tests the requirement itself.
        sqlx::query("UPDATE organisations SET two_factor_roles = '' WHERE id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        self.db.ensure_data_keys().await.unwrap();
        let school_b = self.db.add_school(id, "Het Kompas", now).await.unwrap();
        Org {
            id,
            school_a,
            school_b,
        }
    }

    /// Adds an active user with the test password and the given roles.
    pub async fn add_user(&self, org: &Org, email: &str, roles: &[(Role, SchoolId)]) -> UserId {
        let hash = self.state.passwords.hash(PASSWORD).await.unwrap();
        let id = self
            .db
            .add_user(org.id, email, email, Some(&hash), self.clock.unix())
            .await
            .unwrap();
        for (role, school) in roles {
            self.db
                .grant_role(id, *school, *role, self.clock.unix())
                .await
                .unwrap();
        }
        id
    }

    /// Adds an active teacher (beroepskracht) of school A with the test password.
    pub async fn add_teacher(&self, org: &Org, email: &str) -> UserId {
        self.add_user(org, email, &[(Role::Beroepskracht, org.school_a)])
            .await
    }

    pub async fn login_with(
        &self,
        client: &reqwest::Client,
        email: &str,
        password: &str,
    ) -> reqwest::Response {
        self.post_with(
            client,
            "/login",
            &[("email", email), ("password", password)],
        )
        .await
    }

    pub async fn login(&self, email: &str) -> reqwest::Response {
        let res = self.login_with(&self.client, email, PASSWORD).await;
        assert_eq!(res.status(), 303, "login of {email} should succeed");
        res
    }
}

pub fn token_in(html: &str) -> Option<String> {
    let start = html.find(r#"name="_csrf" value=""#)? + r#"name="_csrf" value=""#.len();
    let end = html[start..].find('"')?;
    Some(html[start..start + end].to_string())
}

pub fn location(res: &reqwest::Response) -> String {
    res.headers()
        .get("location")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default()
}

/// The session cookie's value as last set by the server.
pub fn session_cookie(res: &reqwest::Response) -> Option<String> {
    res.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("meldcode=") || c.starts_with("__Host-meldcode="))
        .map(|c| c.split(';').next().unwrap().to_string())
}

/// Opens a dossier through "Ik maak me zorgen" as `client`, about a new pupil born 2016-04-01,
/// with one form of violence and a first signal; returns its id.
pub async fn open_dossier_at(
    app: &TestApp,
    client: &reqwest::Client,
    school: SchoolId,
    pupil: &str,
    form: &str,
) -> DossierId {
    let school = school.to_string();
    let res = app
        .post_with(
            client,
            "/dossiers/nieuw",
            &[
                ("school", &school),
                ("naam", pupil),
                ("geboortedatum", "2016-04-01"),
                ("medewerker", "nee"),
                ("vormen", form),
                ("aard", "feit"),
                ("waarneming", "Zeer vertrouwelijke waarneming"),
                ("bron", "eigen"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303, "dossier opened");
    location(&res)
        .trim_start_matches("/dossiers/")
        .split('?')
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

/// Today's date in the Netherlands by the app's clock, as forms send it (`YYYY-MM-DD`).
pub fn today(app: &TestApp) -> String {
    meldcode::web::format::today_nl(app.clock.unix()).to_string()
}
