//! Several app instances on one database, sharing nothing in memory: a session started on one
//! continues on the other, and both write. (On PostgreSQL this is the deployment for organisations
//! that outgrow one machine; the same holds for two processes on one SQLite file.)

use meldcode::clock::Clock;
use meldcode::domain::role::Role;
use meldcode::{AppState, Settings};
use tokio::net::TcpListener;

use crate::common::*;

#[tokio::test]
async fn log_in_on_one_instance_continue_and_write_on_the_other() {
    let a = spawn_app().await;
    let org = a.seed_org().await;
    a.add_user(&org, "juf@a.nl", &[(Role::Beroepskracht, org.school_a)])
        .await;
    a.add_user(
        &org,
        "af@a.nl",
        &[(Role::Aandachtsfunctionaris, org.school_a)],
    )
    .await;

    // A second instance: its own state, caches and password hasher; only the database is shared.
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let b_base = format!("http://{}", listener.local_addr().unwrap());
    let settings = Settings {
        public_url: b_base.clone(),
        ..(*a.state.settings).clone()
    };
    let b_state = AppState::new(a.db.clone(), settings, Clock::system())
        .await
        .unwrap();
    tokio::spawn(meldcode::serve(listener, b_state));

    // The cookie is for the host, not the port: the browser brings it to either instance.
    let c = client();
    assert_eq!(a.login_with(&c, "juf@a.nl", PASSWORD).await.status(), 303);
    let on_b = c.get(format!("{b_base}/start")).send().await.unwrap();
    assert_eq!(
        on_b.status(),
        200,
        "the session continues on the other instance"
    );
    assert!(on_b.text().await.unwrap().contains("Welkom"));

    // Write on A, then on B.
    let id = open_dossier_at(&a, &c, org.school_a, "Twee Instanties", "psychisch").await;
    let page = c
        .get(format!("{b_base}/nood"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let token = token_in(&page).unwrap();
    let res = c
        .post(format!("{b_base}/dossiers/{id}/aantekening"))
        .form(&[
            ("_csrf", token.as_str()),
            ("soort", "signaal"),
            ("aard", "feit"),
            ("waarneming", "Geschreven op instantie B."),
            ("bron", "eigen"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    let page = a
        .get_with(&c, &format!("/dossiers/{id}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("Geschreven op instantie B."),
        "what B wrote, A shows"
    );

    // Logging out on B ends the session on A too.
    let res = c
        .post(format!("{b_base}/logout"))
        .form(&[("_csrf", token.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    assert!(location(&a.get_with(&c, "/start").await).starts_with("/login"));
    assert!(
        a.db.verify_audit_chain().await.unwrap().is_ok(),
        "one chain across instances"
    );
}
