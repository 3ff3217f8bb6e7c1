//! The audit log's hash chain.

use meldcode::domain::ids::UserId;
use std::process::Command;

use meldcode::domain::role::Role;

use crate::common::*;

fn verify(url: &str) -> (bool, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_meldcode"))
        .env("MELDCODE_KEY_FILE", test_key_file())
        .args(["audit", "verify"])
        .env("DATABASE_URL", url)
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

#[tokio::test]
async fn audit_verify_finds_a_row_changed_by_hand_in_the_database() {
    let (db, url, _file) = fresh_db_url().await;
    let clock = meldcode::clock::Clock::system();
    let now = clock.unix();
    for (i, event) in [
        meldcode::store::audit::Event::Login,
        meldcode::store::audit::Event::Logout,
        meldcode::store::audit::Event::LoginFailed,
    ]
    .into_iter()
    .enumerate()
    {
        db.audit(
            now + i as i64,
            meldcode::store::audit::Entry {
                dossier_id: None,
                role: None,
                user_id: Some(UserId::new(7)),
                event,
                subject: None,
                address: Some("127.0.0.1"),
            },
        )
        .await
        .unwrap();
    }
    let (ok, out) = verify(&url);
    assert!(ok, "{out}");
    assert!(out.contains("intact: 3 regels"), "{out}");

    // The application cannot change a row: the database refuses.
    assert!(
        sqlx::query("UPDATE audit_log SET event = 'login' WHERE id = 2")
            .execute(db.pool_for_tests())
            .await
            .is_err()
    );
    assert!(
        sqlx::query("DELETE FROM audit_log WHERE id = 3")
            .execute(db.pool_for_tests())
            .await
            .is_err()
    );

    // Someone with full access to the database drops the guard and changes row 2.
    let drop = match db.backend() {
        meldcode::store::Backend::Sqlite => "DROP TRIGGER audit_log_no_update",
        meldcode::store::Backend::Postgres => "DROP TRIGGER audit_log_append_only ON audit_log",
    };
    sqlx::query(drop)
        .execute(db.pool_for_tests())
        .await
        .unwrap();
    sqlx::query("UPDATE audit_log SET user_id = 8 WHERE id = 2")
        .execute(db.pool_for_tests())
        .await
        .unwrap();
    let (ok, out) = verify(&url);
    assert!(!ok);
    assert!(out.contains("breekt bij regel 2"), "{out}");
}

#[tokio::test]
async fn the_chain_holds_after_many_requests_from_several_users() {
    let app = spawn_app().await;
    let org = app.seed_org().await;
    app.add_user(&org, "juf@a.nl", &[(Role::Beroepskracht, org.school_a)])
        .await;
    app.add_user(
        &org,
        "af@a.nl",
        &[(Role::Aandachtsfunctionaris, org.school_a)],
    )
    .await;
    let (juf, af) = (client(), client());
    app.login_with(&juf, "juf@a.nl", PASSWORD).await;
    app.login_with(&af, "af@a.nl", PASSWORD).await;
    let mut handles = Vec::new();
    for i in 0..4 {
        let c = if i % 2 == 0 { juf.clone() } else { af.clone() };
        let base = app.base.clone();
        handles.push(tokio::spawn(async move {
            for _ in 0..5 {
                c.get(format!("{base}/dossiers")).send().await.unwrap();
                c.get(format!("{base}/dossiers/999")).send().await.unwrap();
            }
        }));
    }
    for h in handles {
        h.await.unwrap();
    }
    let id = open_dossier_at(&app, &juf, org.school_a, "Keten Kind", "psychisch").await;
    app.get_with(&af, &format!("/dossiers/{id}")).await;
    let result = app.db.verify_audit_chain().await.unwrap();
    assert!(matches!(result, Ok(n) if n > 20), "{result:?}");
}
