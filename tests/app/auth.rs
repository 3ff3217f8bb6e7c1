//! Logging in and out, sessions and their limits, throttling.

use meldcode::domain::ids::UserId;
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
    app.add_teacher(&org, "juf@school.nl").await;
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
    app.add_teacher(&org, "juf@school.nl").await;
    let gone = app.add_teacher(&org, "weg@school.nl").await;
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
    app.add_teacher(&org, "juf@school.nl").await;
    // A visitor has no session at all: there is nothing to plant.
    assert_eq!(session_cookie(&app.get("/login").await), None);
    let first = session_cookie(&app.login("juf@school.nl").await).expect("a session at login");
    app.post("/logout", &[]).await;
    let second = session_cookie(&app.login("juf@school.nl").await).expect("a session at login");
    assert_ne!(first, second, "each login its own session id");
}

#[tokio::test]
async fn logout_ends_the_session_on_the_server() {
    let app = spawn_app().await;
    let org = app.seed_org().await;
    let id = app.add_teacher(&org, "juf@school.nl").await;
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
    app.add_teacher(&org, "juf@school.nl").await;
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
    app.add_teacher(&org, "juf@school.nl").await;
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
    let id = app.add_teacher(&org, "juf@school.nl").await;
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
    app.add_teacher(&org, "juf@school.nl").await;
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
    let juf = app.add_teacher(&org, "juf@school.nl").await;
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

/// Issue 11: a wrong password every quarter second kept the real user out for minutes. Now the
/// browser the colleague logged in with before is held back only by its own failures.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_attacker_guessing_at_a_colleagues_account_does_not_keep_them_out() {
    let app = std::sync::Arc::new(spawn_app().await);
    let org = app.seed_org().await;
    app.add_teacher(&org, "juf@school.nl").await;
    // The colleague logged in on their own laptop before.
    let laptop = client();
    assert_eq!(
        app.login_with(&laptop, "juf@school.nl", PASSWORD)
            .await
            .status(),
        303
    );
    assert_eq!(app.post_with(&laptop, "/logout", &[]).await.status(), 303);

    let attacker = tokio::spawn({
        let app = app.clone();
        async move {
            let mut statuses = Vec::new();
            for _ in 0..(FREE_ATTEMPTS_PER_ACCOUNT + 15) {
                let res = app
                    .login_with(&client(), "juf@school.nl", "Fout-fout-fout-123")
                    .await;
                statuses.push(res.status().as_u16());
            }
            statuses
        }
    });
    let mut owner = Vec::new();
    for _ in 0..10 {
        let res = app.login_with(&laptop, "juf@school.nl", PASSWORD).await;
        owner.push(res.status().as_u16());
        app.post_with(&laptop, "/logout", &[]).await;
    }
    let attacker = attacker.await.unwrap();
    assert!(
        owner.iter().all(|s| *s == 303),
        "owner got in every time: {owner:?}"
    );
    assert!(
        attacker.contains(&429),
        "the attacker is still slowed down: {attacker:?}"
    );
    // A browser without the device cookie, such as a new one, still waits while guessing goes on.
    let res = app.login_with(&client(), "juf@school.nl", PASSWORD).await;
    assert_eq!(res.status(), 429);

    // After logging in, the owner is told that someone tried since their last login.
    app.clock.advance(MAX_WAIT_SECS);
    let res = app
        .login_with(&client(), "juf@school.nl", "Fout-fout-fout-123")
        .await;
    assert_eq!(res.status(), 401);
    app.login_with(&laptop, "juf@school.nl", PASSWORD).await;
    let page = app.get_with(&laptop, "/start").await.text().await.unwrap();
    assert!(
        page.contains("keer geprobeerd in te loggen op uw account"),
        "{page}"
    );
    app.post_with(&laptop, "/account/pogingen-gezien", &[])
        .await;
    let page = app.get_with(&laptop, "/start").await.text().await.unwrap();
    assert!(!page.contains("keer geprobeerd in te loggen op uw account"));
}

#[tokio::test]
async fn a_device_cookie_of_another_account_or_forged_gives_no_trust() {
    let app = spawn_app().await;
    let org = app.seed_org().await;
    for email in ["juf@school.nl", "meester@school.nl"] {
        app.add_user(&org, email, &[(Role::Beroepskracht, org.school_a)])
            .await;
    }
    // The browser is trusted for the teacher next door, not for this account.
    let shared = client();
    app.login_with(&shared, "meester@school.nl", PASSWORD).await;
    app.post_with(&shared, "/logout", &[]).await;
    for _ in 0..FREE_ATTEMPTS_PER_ACCOUNT {
        app.login_with(&client(), "juf@school.nl", "Fout-fout-fout-123")
            .await;
    }
    let res = app.login_with(&shared, "juf@school.nl", PASSWORD).await;
    assert_eq!(res.status(), 429);
}

/// Issue 11: every anonymous visit to the login page wrote a session row (905 a second from one
/// client). The login form's token now lives in a signed cookie; nothing is stored until a login
/// succeeds.
#[tokio::test]
async fn visiting_the_login_page_stores_no_session_and_its_form_still_works() {
    let app = spawn_app().await;
    let org = app.seed_org().await;
    app.add_teacher(&org, "juf@school.nl").await;
    let count = || async {
        let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM sessions")
            .fetch_one(app.db.pool_for_tests())
            .await
            .unwrap();
        n
    };
    for _ in 0..20 {
        assert_eq!(app.get_with(&client(), "/login").await.status(), 200);
        app.get_with(&client(), "/nood").await;
    }
    let wrong = client();
    app.login_with(&wrong, "juf@school.nl", "Fout-fout-fout-123")
        .await;
    assert_eq!(count().await, 0, "no session rows for visitors");

    // The form token is bound to the browser's form cookie: another browser's token is refused.
    let token = token_in(&app.get_with(&wrong, "/login").await.text().await.unwrap()).unwrap();
    let res = client()
        .post(app.url("/login"))
        .form(&[
            ("_csrf", token.as_str()),
            ("email", "juf@school.nl"),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);

    app.login("juf@school.nl").await;
    assert_eq!(count().await, 1, "one session, for the login");
}

#[tokio::test]
async fn faded_login_counters_are_deleted_but_unseen_failures_are_kept() {
    let app = spawn_app().await;
    let now = app.clock.unix();
    app.db
        .record_failures(&["address:10.0.0.1"], now)
        .await
        .unwrap();
    app.db
        .count_unseen_failure(UserId::new(7), now)
        .await
        .unwrap();
    let later = now + meldcode::domain::throttle::FORGET_AFTER_SECS;
    assert_eq!(app.db.delete_faded_counters(later).await.unwrap(), 1);
    assert_eq!(
        app.db.throttle_counter("address:10.0.0.1").await.unwrap(),
        None
    );
    assert_eq!(
        app.db.take_unseen_failures(UserId::new(7)).await.unwrap(),
        1
    );
    assert_eq!(
        app.db.take_unseen_failures(UserId::new(7)).await.unwrap(),
        0,
        "told once"
    );
}
