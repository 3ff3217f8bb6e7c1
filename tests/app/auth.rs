//! Logging in and out, sessions and their limits, throttling.

use meldcode::domain::role::Role;
use meldcode::domain::session::{ABSOLUTE_SECS, IDLE_SECS};
use meldcode::domain::throttle::{
    FREE_ATTEMPTS_PER_ACCOUNT, FREE_ATTEMPTS_PER_ADDRESS, MAX_WAIT_SECS,
};

use crate::common::*;

#[tokio::test]
async fn login_lands_on_a_start_page_that_depends_on_the_roles() {
    let app = spawn_app().await;
    let org = app.seed_org().await;
    app.add_user(
        &org,
        "juf@school.nl",
        &[(Role::Beroepskracht, org.school_a)],
    )
    .await;
    app.add_user(
        &org,
        "af@school.nl",
        &[(Role::Aandachtsfunctionaris, org.school_a)],
    )
    .await;
    app.add_user(&org, "beheer@school.nl", &[(Role::Beheerder, org.school_a)])
        .await;

    let res = app.login("juf@school.nl").await;
    assert_eq!(location(&res), "/start");
    let page = app.get("/start").await.text().await.unwrap();
    assert!(page.contains("Zorgen over een leerling?"));
    assert!(!page.contains("Als aandachtsfunctionaris"));

    let af = client();
    app.login_with(&af, "af@school.nl", PASSWORD).await;
    let page = app.get_with(&af, "/start").await.text().await.unwrap();
    assert!(page.contains("Als aandachtsfunctionaris"));
    assert!(!page.contains("Zorgen over een leerling?"));

    // A beheerder without other roles has no dossier work: the start page is the beheer page.
    let beheer = client();
    app.login_with(&beheer, "beheer@school.nl", PASSWORD).await;
    let res = app.get_with(&beheer, "/start").await;
    assert_eq!(location(&res), "/beheer");
}

#[tokio::test]
async fn failed_login_says_the_same_for_unknown_user_wrong_password_and_deactivated_account() {
    let app = spawn_app().await;
    let org = app.seed_org().await;
    app.add_user(
        &org,
        "juf@school.nl",
        &[(Role::Beroepskracht, org.school_a)],
    )
    .await;
    let gone = app
        .add_user(
            &org,
            "weg@school.nl",
            &[(Role::Beroepskracht, org.school_a)],
        )
        .await;
    app.db.set_active(gone, false).await.unwrap();

    let mut bodies = Vec::new();
    for (email, password) in [
        ("niemand@school.nl", PASSWORD),
        ("juf@school.nl", "Verkeerd-wachtwoord-123"),
        ("weg@school.nl", PASSWORD),
    ] {
        let c = client();
        let res = app.login_with(&c, email, password).await;
        assert_eq!(res.status(), 401, "{email}");
        let body = res.text().await.unwrap();
        assert!(body.contains(meldcode::web::login::LOGIN_FAILED), "{email}");
        // The e-mail typed stays in the form.
        assert!(body.contains(&format!(r#"value="{email}""#)));
        let token = token_in(&body).unwrap();
        bodies.push(body.replace(email, "").replace(&token, ""));
    }
    assert_eq!(bodies[0], bodies[1]);
    assert_eq!(bodies[1], bodies[2]);
}

#[tokio::test]
async fn session_id_changes_at_login() {
    let app = spawn_app().await;
    let org = app.seed_org().await;
    app.add_user(
        &org,
        "juf@school.nl",
        &[(Role::Beroepskracht, org.school_a)],
    )
    .await;
    let before = session_cookie(&app.get("/login").await).expect("a session for the login form");
    let res = app.login("juf@school.nl").await;
    let after = session_cookie(&res).expect("a new session cookie at login");
    assert_ne!(before, after);
}

#[tokio::test]
async fn logout_ends_the_session_on_the_server() {
    let app = spawn_app().await;
    let org = app.seed_org().await;
    let id = app
        .add_user(
            &org,
            "juf@school.nl",
            &[(Role::Beroepskracht, org.school_a)],
        )
        .await;
    let cookie = session_cookie(&app.login("juf@school.nl").await).unwrap();
    assert_eq!(app.db.session_count(id).await.unwrap(), 1);

    let res = app.post("/logout", &[]).await;
    assert_eq!(location(&res), "/login?melding=uitgelogd");
    assert_eq!(app.db.session_count(id).await.unwrap(), 0);

    // Replaying the old cookie, as someone who copied it would, gets nowhere.
    let replay = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let res = replay
        .get(app.url("/start"))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    assert!(location(&res).starts_with("/login"));
    assert!(
        app.db
            .audit_events_of(id)
            .await
            .unwrap()
            .contains(&"logout".to_string())
    );
}

#[tokio::test]
async fn session_ends_after_thirty_minutes_without_activity() {
    let app = spawn_app().await;
    let org = app.seed_org().await;
    app.add_user(
        &org,
        "juf@school.nl",
        &[(Role::Beroepskracht, org.school_a)],
    )
    .await;
    app.login("juf@school.nl").await;

    // Activity keeps the session alive past half an hour in all.
    app.clock.advance(IDLE_SECS - 120);
    assert_eq!(app.get("/start").await.status(), 200);
    app.clock.advance(IDLE_SECS - 120);
    assert_eq!(app.get("/start").await.status(), 200);

    app.clock.advance(IDLE_SECS + 1);
    let res = app.get("/start").await;
    assert_eq!(location(&res), "/login?melding=verlopen");
    let page = app
        .get("/login?melding=verlopen")
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("Uw sessie is verlopen"));
}

#[tokio::test]
async fn session_ends_twelve_hours_after_login_however_active() {
    let app = spawn_app().await;
    let org = app.seed_org().await;
    app.add_user(
        &org,
        "juf@school.nl",
        &[(Role::Beroepskracht, org.school_a)],
    )
    .await;
    app.login("juf@school.nl").await;
    let step = IDLE_SECS - 60;
    let mut elapsed = 0;
    while elapsed + step < ABSOLUTE_SECS {
        app.clock.advance(step);
        elapsed += step;
        assert_eq!(
            app.get("/start").await.status(),
            200,
            "still logged in after {elapsed} s"
        );
    }
    app.clock.advance(ABSOLUTE_SECS - elapsed);
    assert_eq!(
        location(&app.get("/start").await),
        "/login?melding=verlopen"
    );
}

#[tokio::test]
async fn throttling_slows_guessing_on_one_account_but_never_locks_it_for_long() {
    let app = spawn_app().await;
    let org = app.seed_org().await;
    let id = app
        .add_user(
            &org,
            "juf@school.nl",
            &[(Role::Beroepskracht, org.school_a)],
        )
        .await;
    for _ in 0..FREE_ATTEMPTS_PER_ACCOUNT {
        let res = app
            .login_with(&client(), "juf@school.nl", "Fout-fout-fout-123")
            .await;
        assert_eq!(res.status(), 401);
    }
    // Even the right password must wait now: the attacker learns nothing from trying it.
    let res = app.login_with(&client(), "juf@school.nl", PASSWORD).await;
    assert_eq!(res.status(), 429);
    assert!(res.text().await.unwrap().contains("Wacht"));
    assert!(
        app.db
            .audit_events_of(id)
            .await
            .unwrap()
            .contains(&"login_throttled".to_string())
    );

    // The colleague whose account was attacked gets in after at most a minute.
    app.clock.advance(MAX_WAIT_SECS);
    let res = app.login_with(&client(), "juf@school.nl", PASSWORD).await;
    assert_eq!(res.status(), 303);
}

#[tokio::test]
async fn throttling_slows_one_address_trying_many_accounts() {
    let app = spawn_app().await;
    let org = app.seed_org().await;
    app.add_user(
        &org,
        "juf@school.nl",
        &[(Role::Beroepskracht, org.school_a)],
    )
    .await;
    for i in 0..FREE_ATTEMPTS_PER_ADDRESS {
        let res = app
            .login_with(
                &client(),
                &format!("gok{i}@school.nl"),
                "Fout-fout-fout-123",
            )
            .await;
        assert_eq!(res.status(), 401);
    }
    let res = app.login_with(&client(), "juf@school.nl", PASSWORD).await;
    assert_eq!(res.status(), 429);
}

#[tokio::test]
async fn a_deactivated_user_is_logged_out_at_once() {
    let app = spawn_app().await;
    let org = app.seed_org().await;
    let juf = app
        .add_user(
            &org,
            "juf@school.nl",
            &[(Role::Beroepskracht, org.school_a)],
        )
        .await;
    app.add_user(&org, "beheer@school.nl", &[(Role::Beheerder, org.school_a)])
        .await;
    app.login("juf@school.nl").await;
    assert_eq!(app.get("/start").await.status(), 200);

    let beheer = client();
    app.login_with(&beheer, "beheer@school.nl", PASSWORD).await;
    let res = app
        .post_with(
            &beheer,
            &format!("/beheer/gebruikers/{juf}/deactiveren"),
            &[],
        )
        .await;
    assert_eq!(res.status(), 303);

    assert_eq!(app.db.session_count(juf).await.unwrap(), 0);
    let res = app.get("/start").await;
    assert!(location(&res).starts_with("/login"));
    // And the password no longer opens a session.
    assert_eq!(
        app.login_with(&client(), "juf@school.nl", PASSWORD)
            .await
            .status(),
        401
    );
}
