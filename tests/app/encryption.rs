//! Encryption at rest (issue 19): entry bodies are sealed before they reach the database, with a
//! data key per organisation wrapped by a master key kept in a file outside it.

use std::process::{Command, Stdio};

use meldcode::domain::role::Role;

use crate::common::*;

/// A word that occurs nowhere but in what the test records.
const SECRET: &str = "Kwetsbaar-Geheim-Xq7Zr";

async fn teacher_records_the_secret() -> (TestApp, reqwest::Client, meldcode::domain::ids::DossierId)
{
    let app = spawn_app().await;
    let org = app.seed_org().await;
    app.add_teacher(&org, "juf@school.nl").await;
    let juf = client();
    app.login_with(&juf, "juf@school.nl", PASSWORD).await;
    let id = open_dossier_at(&app, &juf, org.school_a, "Geheim Kind", "lichamelijk").await;
    let res = app
        .post_with(
            &juf,
            &format!("/dossiers/{id}/aantekening"),
            &[
                ("soort", "signaal"),
                ("aard", "feit"),
                ("waarneming", &format!("Zij vertelde: {SECRET}.")),
                ("bron", "eigen"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    (app, juf, id)
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

#[tokio::test]
async fn a_copy_of_the_database_holds_no_entry_text_and_the_dossier_still_reads_it() {
    let (app, juf, id) = teacher_records_the_secret().await;

    let page = app
        .get_with(&juf, &format!("/dossiers/{id}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains(SECRET), "the teacher reads what she wrote");

    // What a thief of the database would have: every stored body, and on SQLite the files
    // themselves (the database and its write-ahead log), byte for byte.
    let bodies: Vec<(String,)> = sqlx::query_as("SELECT body FROM entries")
        .fetch_all(app.db.pool_for_tests())
        .await
        .unwrap();
    assert!(!bodies.is_empty());
    for (body,) in &bodies {
        assert!(body.starts_with("e1."), "every body is sealed");
        assert!(!body.contains(SECRET) && !body.contains("waarneming"));
    }
    if let Some(file) = app.db_url() {
        for suffix in ["", "-wal"] {
            let bytes = std::fs::read(format!("{file}{suffix}")).unwrap_or_default();
            assert!(
                !contains(&bytes, SECRET),
                "the file {file}{suffix} holds the entry's text"
            );
            assert!(!contains(&bytes, "Zij vertelde"));
        }
    }
}

#[tokio::test]
async fn entries_an_older_version_stored_in_plain_text_are_sealed_in_place_and_read_the_same() {
    let (app, juf, id) = teacher_records_the_secret().await;
    // An older version's entry: its body in plain JSON, and the one-time sealing not yet done.
    let plain = format!(r#"{{"aard":"feit","bron":"eigen","waarneming":"Oud: {SECRET}"}}"#);
    sqlx::query(
        "INSERT INTO entries (dossier_id, kind, step, author_id, author_role, created_at, body) \
         SELECT dossier_id, kind, step, author_id, author_role, created_at + 1, $1 FROM entries \
         WHERE id = (SELECT MAX(id) FROM entries)",
    )
    .bind(&plain)
    .execute(app.db.writer_for_tests())
    .await
    .unwrap();
    // The append-only guard lets a body be sealed, and nothing else.
    let refused =
        sqlx::query("UPDATE entries SET body = '{}' WHERE id = (SELECT MAX(id) FROM entries)")
            .execute(app.db.writer_for_tests())
            .await;
    assert!(refused.is_err(), "a body is never replaced by plain text");
    let refused = sqlx::query(
        "UPDATE entries SET body = 'e1.x', kind = 'aanvulling' WHERE id = (SELECT MAX(id) FROM entries)",
    )
    .execute(app.db.writer_for_tests())
    .await;
    assert!(refused.is_err(), "sealing changes nothing but the body");
    sqlx::query("DELETE FROM encryption_done")
        .execute(app.db.writer_for_tests())
        .await
        .unwrap();
    let page = app
        .get_with(&juf, &format!("/dossiers/{id}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        page.contains(&format!("Oud: {SECRET}")),
        "a plain body still reads"
    );

    let sealed = app.db.encrypt_existing().await.unwrap();

    assert_eq!(sealed, 1, "the one plain entry is sealed");
    let (body,): (String,) =
        sqlx::query_as("SELECT body FROM entries WHERE id = (SELECT MAX(id) FROM entries)")
            .fetch_one(app.db.pool_for_tests())
            .await
            .unwrap();
    assert!(body.starts_with("e1.") && !body.contains(SECRET));
    let page = app
        .get_with(&juf, &format!("/dossiers/{id}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        page.contains(&format!("Oud: {SECRET}")),
        "and reads the same sealed"
    );
    assert_eq!(
        app.db.encrypt_existing().await.unwrap(),
        0,
        "done once, recorded"
    );
    if let Some(file) = app.db_url() {
        let bytes = std::fs::read(&file).unwrap();
        assert!(
            !contains(&bytes, &format!("Oud: {SECRET}")),
            "the plain text is not left in the file's free pages"
        );
    }
}

#[tokio::test]
async fn a_master_key_that_did_not_wrap_the_data_keys_is_refused_naming_both() {
    let (app, _, _) = teacher_records_the_secret().await;
    let url = app
        .db_url()
        .unwrap_or_else(|| std::env::var("MELDCODE_TEST_DATABASE_URL").unwrap());
    if app.db_url().is_none() {
        // On PostgreSQL the same check runs against the test's own database below.
        return;
    }
    let other = meldcode::store::Db::connect(&url).await.unwrap();

    let refused = other
        .unlock(meldcode::crypto::MasterKey::generate())
        .await
        .expect_err("another key does not open the data keys");

    let message = refused.to_string();
    assert!(message.contains("past niet bij deze database"), "{message}");
    assert!(message.contains(&test_master_key().id()), "{message}");
}

fn serve_once(db: &str, key_file: &std::path::Path) -> (bool, String) {
    // `migrate` unlocks as `serve` does, and then stops.
    let out = Command::new(env!("CARGO_BIN_EXE_meldcode"))
        .args(["migrate"])
        .env("DATABASE_URL", db)
        .env("MELDCODE_KEY_FILE", key_file)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[tokio::test]
async fn the_application_makes_its_key_file_once_and_will_not_start_without_it_or_with_another() {
    let (_db, url, _file) = fresh_db_url().await;
    // The test harness unlocked this database with the test key but made no data key yet (no
    // organisation): like a new installation, it has nothing sealed.
    sqlx::query("DELETE FROM data_keys")
        .execute(_db.writer_for_tests())
        .await
        .unwrap();
    let dir = std::env::temp_dir().join(format!("mc-key-{}", rand::random::<u64>()));
    std::fs::create_dir_all(&dir).unwrap();
    let key_file = dir.join("meldcode.key");

    let (ok, err) = serve_once(&url, &key_file);
    assert!(ok, "a new installation starts: {err}");
    assert!(err.contains("Nieuw sleutelbestand gemaakt"), "{err}");
    let text = std::fs::read_to_string(&key_file).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&key_file).unwrap().permissions().mode();
        assert_eq!(mode & 0o077, 0, "only its owner may read the key file");
    }
    // An organisation, so that a data key is made and wrapped with the new key.
    let db = meldcode::store::Db::connect(&url).await.unwrap();
    let mut tx = db.begin_write().await.unwrap();
    meldcode::store::org::create_organisation(&mut tx, "Stichting", "School", 1)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let (ok, err) = serve_once(&url, &key_file);
    assert!(ok, "{err}");
    assert_eq!(
        std::fs::read_to_string(&key_file).unwrap(),
        text,
        "never made twice"
    );
    let (keys,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM data_keys")
        .fetch_one(db.pool_for_tests())
        .await
        .unwrap();
    assert_eq!(keys, 1, "the organisation has its data key");

    let (ok, err) = serve_once(&url, &dir.join("weg.key"));
    assert!(!ok, "no start without the key file");
    assert!(
        err.contains("ontbreekt") && err.contains("weg.key"),
        "{err}"
    );

    let wrong = dir.join("ander.key");
    std::fs::write(
        &wrong,
        meldcode::crypto::MasterKey::generate().to_file_text(),
    )
    .unwrap();
    let (ok, err) = serve_once(&url, &wrong);
    assert!(!ok, "no start with another key");
    assert!(err.contains("past niet bij deze database"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn many_first_writes_for_a_new_organisation_on_two_instances_make_one_data_key() {
    let (db, url, _file) = fresh_db_url().await;
    let url = url.clone();
    let mut tx = db.begin_write().await.unwrap();
    let (org, _) = meldcode::store::org::create_organisation(&mut tx, "Nieuw", "School", 1)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let other = unlocked_without_keys(&url).await;
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());

    let runs: Vec<_> = (0..4 * cores)
        .map(|i| {
            let db = if i % 2 == 0 {
                db.clone()
            } else {
                other.clone()
            };
            tokio::spawn(async move { db.ensure_data_keys().await })
        })
        .collect();
    tokio::time::timeout(std::time::Duration::from_secs(30), async {
        for run in runs {
            run.await.unwrap().expect("every run succeeds");
        }
    })
    .await
    .expect("no run hangs");
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM data_keys WHERE organisation_id = $1")
        .bind(org)
        .fetch_one(db.pool_for_tests())
        .await
        .unwrap();
    assert_eq!(n, 1, "one current key for the organisation");
}

/// A second handle on the same database, as a second instance would have it.
async fn unlocked_without_keys(url: &str) -> meldcode::store::Db {
    let db = meldcode::store::Db::connect(url).await.unwrap();
    db.unlock(test_master_key()).await.unwrap();
    db
}

#[tokio::test]
async fn the_yearly_report_still_counts_the_lawful_reasons_a_conversation_was_skipped() {
    // The reason is kept beside the sealed body (entries.reason); the report reads that column.
    let app = spawn_app().await;
    let org = app.seed_org().await;
    app.add_user(
        &org,
        "af@school.nl",
        &[(Role::Aandachtsfunctionaris, org.school_a)],
    )
    .await;
    let af = client();
    app.login_with(&af, "af@school.nl", PASSWORD).await;
    let id = open_dossier_at(&app, &af, org.school_a, "Reden Kind", "lichamelijk").await;
    let res = app
        .post_with(
            &af,
            &format!("/dossiers/{id}/aantekening"),
            &[
                ("soort", "gesprek_overgeslagen"),
                ("reden", "veiligheid"),
                ("toelichting", "De vader dreigde."),
            ],
        )
        .await;
    assert!(res.status().is_redirection(), "{}", res.status());

    let (reason,): (Option<String>,) =
        sqlx::query_as("SELECT reason FROM entries WHERE kind = 'gesprek_overgeslagen'")
            .fetch_one(app.db.pool_for_tests())
            .await
            .unwrap();
    assert_eq!(reason.as_deref(), Some("veiligheid"));
}
