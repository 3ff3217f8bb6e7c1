//! The `meldcode` binary's commands for scripted provisioning.

use std::io::Write;
use std::process::{Command, Stdio};

use meldcode::domain::role::Role;

use crate::common::*;

fn meldcode(db: &str, args: &[&str], stdin: Option<&str>) -> (bool, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_meldcode"))
        .env("MELDCODE_KEY_FILE", test_key_file())
        .args(args)
        .env("DATABASE_URL", db)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    {
        let mut input = child.stdin.take().unwrap();
        if let Some(s) = stdin {
            input.write_all(s.as_bytes()).unwrap();
        }
    }
    let out = child.wait_with_output().unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[tokio::test]
async fn schools_and_users_can_be_provisioned_from_a_script() {
    let (db, url, _file) = fresh_db_url().await;

    let (ok, _, err) = meldcode(&url, &["school", "add", "De Regenboog"], None);
    assert!(!ok);
    assert_eq!(err.lines().count(), 1, "one clear line: {err}");
    assert!(err.contains("--organisation"));

    let (ok, out, err) = meldcode(
        &url,
        &[
            "school",
            "add",
            "De Regenboog",
            "--organisation",
            "Stichting Test",
        ],
        None,
    );
    assert!(ok, "{err}");
    assert!(out.contains("De Regenboog"));

    let add = [
        "user",
        "add",
        "--email",
        "Juf@School.nl",
        "--name",
        "Juf Jansen",
        "--school",
        "De Regenboog",
        "--role",
        "beroepskracht",
        "--role",
        "aandachtsfunctionaris",
        "--password-stdin",
    ];
    let (ok, _, err) = meldcode(&url, &add, Some(&format!("{PASSWORD}\n")));
    assert!(ok, "{err}");
    let creds = db
        .credentials("juf@school.nl")
        .await
        .unwrap()
        .expect("user stored lower-cased");
    let roles: Vec<&str> = db
        .roles(creds.id)
        .await
        .unwrap()
        .iter()
        .map(|r| r.role.code())
        .collect();
    assert_eq!(roles, vec!["beroepskracht", "aandachtsfunctionaris"]);

    // The same e-mail again, an unknown role, a weak password, an unknown school: one line each.
    let (ok, _, err) = meldcode(&url, &add, Some(PASSWORD));
    assert!(!ok && err.contains("al een gebruiker"), "{err}");
    let mut bad_role = add.to_vec();
    bad_role[1 + 2] = "ander@school.nl";
    bad_role[9] = "admin";
    let (ok, _, err) = meldcode(&url, &bad_role, Some(PASSWORD));
    assert!(!ok && err.contains("onbekende rol"), "{err}");
    let mut other = add.to_vec();
    other[3] = "ander@school.nl";
    let (ok, _, err) = meldcode(&url, &other, Some("welkom123456"));
    assert!(!ok && err.contains("te makkelijk"), "{err}");
    other[7] = "Bestaat Niet";
    let (ok, _, err) = meldcode(&url, &other, Some(PASSWORD));
    assert!(!ok && err.contains("geen school"), "{err}");
    assert_eq!(err.lines().count(), 1);
}

#[tokio::test]
async fn demo_loads_two_schools_and_a_user_for_every_role_once() {
    let (db, url, _file) = fresh_db_url().await;
    let (ok, out, err) = meldcode(&url, &["demo"], None);
    assert!(ok, "{err}");
    for role in [
        "Beroepskracht",
        "Aandachtsfunctionaris",
        "Directie",
        "Beheerder",
    ] {
        assert!(out.contains(role), "{role} in {out}");
    }
    let org = db.organisation().await.unwrap().unwrap();
    assert_eq!(db.schools(org.id).await.unwrap().len(), 2);
    assert_eq!(
        org.two_factor_roles, "",
        "the demo's published logins need no second factor"
    );
    assert!(
        org.support().is_some(),
        "the demo shows the support arrangement of section IV.b"
    );
    assert_eq!(org.quiet().days(), 14);
    let (ok, _, err) = meldcode(&url, &["demo"], None);
    assert!(!ok && err.contains("al een organisatie"), "{err}");
}

#[tokio::test]
async fn serve_on_an_empty_database_prints_a_setup_link_that_opens_the_setup_page() {
    use std::io::{BufRead, BufReader};
    let (_db, url, _file) = fresh_db_url().await;
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let addr = format!("127.0.0.1:{port}");
    let mut child = Command::new(env!("CARGO_BIN_EXE_meldcode"))
        .env("MELDCODE_KEY_FILE", test_key_file())
        .args(["serve", "--addr", &addr, "--insecure-http"])
        .env("DATABASE_URL", &url)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut link = None;
    for line in lines.by_ref().take(10) {
        let line = line.unwrap();
        if let Some(i) = line.find("/setup/") {
            link = Some(line[i..].trim().to_string());
        }
        if line.contains("draait op") {
            break;
        }
    }
    let link = link.expect("a setup link is printed");
    let res = reqwest::get(format!("http://{addr}{link}")).await.unwrap();
    let status = res.status();
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(status, 200);
}

#[tokio::test]
async fn the_server_log_holds_no_personal_data() {
    use std::io::Read;
    let (db, url, _file) = fresh_db_url().await;
    let (ok, _, err) = meldcode(
        &url,
        &[
            "school",
            "add",
            "De Regenboog",
            "--organisation",
            "Stichting Test",
        ],
        None,
    );
    assert!(ok, "{err}");
    let add = [
        "user",
        "add",
        "--email",
        "geheim.adres@school.nl",
        "--name",
        "Juf Geheimnaam",
        "--school",
        "De Regenboog",
        "--role",
        "beroepskracht",
        "--password-stdin",
    ];
    assert!(meldcode(&url, &add, Some(PASSWORD)).0);
    let school = db
        .schools(db.organisation().await.unwrap().unwrap().id)
        .await
        .unwrap()[0]
        .id;

    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let addr = format!("127.0.0.1:{port}");
    let mut child = Command::new(env!("CARGO_BIN_EXE_meldcode"))
        .env("MELDCODE_KEY_FILE", test_key_file())
        .args(["serve", "--addr", &addr, "--insecure-http"])
        .env("DATABASE_URL", &url)
        .env("RUST_LOG", "debug")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let base = format!("http://{addr}");
    for _ in 0..100 {
        if reqwest::get(format!("{base}/healthz")).await.is_ok() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    // Drive the running server as a user would: a failed and a good login, a new dossier.
    let app = TestApp::attach(&base, db.clone()).await;
    let c = client();
    app.login_with(&c, "geheim.adres@school.nl", "Verkeerd-Wachtwoord-99")
        .await;
    assert_eq!(
        app.login_with(&c, "geheim.adres@school.nl", PASSWORD)
            .await
            .status(),
        303
    );
    open_dossier_at(&app, &c, school, "Leerling Geheimnaam", "psychisch").await;
    let _ = child.kill();
    let mut log = String::new();
    child
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut log)
        .unwrap();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut log)
        .unwrap();
    let _ = child.wait();
    assert!(log.contains("request"), "the log shows requests: {log}");
    for secret in [
        "geheim.adres",
        "Geheimnaam",
        PASSWORD,
        "Verkeerd-Wachtwoord",
        "vertrouwelijke waarneming",
    ] {
        assert!(!log.contains(secret), "{secret} in the log");
    }
}

#[tokio::test]
async fn a_backup_made_while_the_server_writes_restores_and_verifies() {
    // SQLite only: PostgreSQL is backed up with its own tools (README).
    let app = spawn_app().await;
    if app.db.backend() != meldcode::store::Backend::Sqlite {
        let (_, url, _) = fresh_db_url().await;
        let (ok, _, err) = meldcode(&url, &["backup", "/tmp/never.db"], None);
        assert!(!ok && err.contains("pg_dump"), "{err}");
        return;
    }
    let org = app.seed_org().await;
    app.add_user(&org, "juf@a.nl", &[(Role::Beroepskracht, org.school_a)])
        .await;
    app.login("juf@a.nl").await;
    let id = open_dossier_at(&app, &app.client, org.school_a, "Back-up Kind", "psychisch").await;
    let url = app.db_url().unwrap();

    let dir = std::env::temp_dir().join(format!("mc-backup-{id}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let copy = dir.join("kopie.db");
    // Writes go on while the backup runs.
    let writer = {
        let (base, c) = (app.base.clone(), app.client.clone());
        tokio::spawn(async move {
            for _ in 0..20 {
                c.get(format!("{base}/dossiers/{id}")).send().await.unwrap();
            }
        })
    };
    let (ok, out, err) = meldcode(&url, &["backup", copy.to_str().unwrap()], None);
    writer.await.unwrap();
    assert!(ok, "{err}");
    assert!(out.contains("auditlog intact"), "{out}");
    let (ok, _, err) = meldcode(&url, &["backup", copy.to_str().unwrap()], None);
    assert!(!ok && err.contains("bestaat al"), "never overwrites: {err}");

    let restored = dir.join("terug.db");
    let target = restored.to_str().unwrap().to_string();
    let (ok, out, err) = meldcode(&target, &["restore", copy.to_str().unwrap()], None);
    assert!(ok, "{err}");
    assert!(out.contains("Teruggezet"), "{out}");
    let (ok, _, err) = meldcode(&target, &["restore", copy.to_str().unwrap()], None);
    assert!(!ok && err.contains("--force"), "{err}");

    let db = meldcode::store::Db::connect(&target).await.unwrap();
    let (name,): (String,) = sqlx::query_as(
        "SELECT p.name FROM dossiers d JOIN pupils p ON p.id = d.pupil_id WHERE d.id = $1",
    )
    .bind(id)
    .fetch_one(db.pool_for_tests())
    .await
    .unwrap();
    assert_eq!(name, "Back-up Kind");
    assert!(db.verify_audit_chain().await.unwrap().is_ok());
    let (ok, out, _) = meldcode(&target, &["audit", "verify"], None);
    assert!(ok && out.contains("intact"), "{out}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn a_school_roster_is_imported_from_the_command_line_and_a_dry_run_changes_nothing() {
    let (db, url, _file) = fresh_db_url().await;
    let (ok, _, err) = meldcode(
        &url,
        &[
            "school",
            "add",
            "De Regenboog",
            "--organisation",
            "Stichting Test",
        ],
        None,
    );
    assert!(ok, "{err}");
    let file = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/demo-edexml.xml");
    let (ok, out, err) = meldcode(
        &url,
        &["import", file, "--school", "De Regenboog", "--dry-run"],
        None,
    );
    assert!(ok, "{err}");
    assert!(out.contains("Leerlingen: 24 nieuw"), "{out}");
    assert!(out.contains("er is niets veranderd"), "{out}");
    let count = || async {
        let (n,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM pupils WHERE source_key IS NOT NULL")
                .fetch_one(db.pool_for_tests())
                .await
                .unwrap();
        n
    };
    assert_eq!(count().await, 0, "a dry run changes nothing");
    let (ok, out, err) = meldcode(&url, &["import", file, "--school", "De Regenboog"], None);
    assert!(ok, "{err}");
    assert!(out.contains("Medewerkers: 4 nieuw"), "{out}");
    assert_eq!(count().await, 24);
    let (ok, out, _) = meldcode(&url, &["import", file, "--school", "De Regenboog"], None);
    assert!(ok);
    assert!(
        out.contains("Leerlingen: 0 nieuw, 0 gewijzigd, 0 vertrokken, 24 ongewijzigd"),
        "{out}"
    );
    // A file that is not a roster: one clear line, and nothing changed.
    let (ok, _, err) = meldcode(
        &url,
        &[
            "import",
            concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml"),
            "--school",
            "De Regenboog",
        ],
        None,
    );
    assert!(!ok);
    assert!(err.contains("Er is niets veranderd"), "{err}");
}
