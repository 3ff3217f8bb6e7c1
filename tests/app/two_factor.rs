//! Two-factor authentication with an authenticator app, recovery codes, and the organisation's
//! requirement per role.

use meldcode::domain::role::Role;

use crate::common::*;

/// Sets up two-factor authentication for the client's user; returns the secret and the recovery codes.
async fn enrol(app: &TestApp, c: &reqwest::Client) -> (Vec<u8>, Vec<String>) {
    let page = app
        .get_with(c, "/account/tweestaps")
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("<svg"), "a QR code to scan");
    let secret = page
        .split("<code class=\"secret\">")
        .nth(1)
        .unwrap()
        .split('<')
        .next()
        .unwrap()
        .to_string();
    let raw = totp_rs::Secret::Encoded(secret).to_bytes().unwrap();
    let code = meldcode::domain::twofactor::totp(&raw, "x")
        .unwrap()
        .generate(app.clock.unix() as u64);
    let res = app
        .post_with(c, "/account/tweestaps", &[("code", "000000")])
        .await;
    assert_eq!(res.status(), 422, "a wrong code does not switch it on");
    let res = app
        .post_with(c, "/account/tweestaps", &[("code", &code)])
        .await;
    assert_eq!(res.status(), 200);
    let page = res.text().await.unwrap();
    let codes: Vec<String> = page
        .split("<li><code>")
        .skip(1)
        .map(|s| s.split('<').next().unwrap().to_string())
        .collect();
    assert_eq!(codes.len(), 10, "ten recovery codes, shown once");
    (raw, codes)
}

fn code_at(raw: &[u8], app: &TestApp) -> String {
    meldcode::domain::twofactor::totp(raw, "x")
        .unwrap()
        .generate(app.clock.unix() as u64)
}

#[tokio::test]
async fn with_two_factor_the_password_alone_does_not_log_in() {
    let app = spawn_app().await;
    let org = app.seed_org().await;
    let id = app
        .add_user(&org, "juf@a.nl", &[(Role::Beroepskracht, org.school_a)])
        .await;
    app.login("juf@a.nl").await;
    let (raw, codes) = enrol(&app, &app.client).await;

    let c = client();
    let res = app.login_with(&c, "juf@a.nl", PASSWORD).await;
    assert_eq!(location(&res), "/login/code");
    assert!(
        location(&app.get_with(&c, "/start").await).starts_with("/login"),
        "not logged in yet"
    );
    let res = app
        .post_with(&c, "/login/code", &[("code", "123456")])
        .await;
    assert_eq!(res.status(), 401);
    assert!(res.text().await.unwrap().contains("Deze code klopt niet"));
    let res = app
        .post_with(&c, "/login/code", &[("code", &code_at(&raw, &app))])
        .await;
    assert_eq!(location(&res), "/start");
    assert_eq!(app.get_with(&c, "/start").await.status(), 200);

    // A recovery code works once, typed with any case and spacing.
    let typed = codes[0].to_lowercase().replace('-', " ");
    for (attempt, expected) in [(1, 303), (2, 401)] {
        let c = client();
        app.login_with(&c, "juf@a.nl", PASSWORD).await;
        let res = app.post_with(&c, "/login/code", &[("code", &typed)]).await;
        assert_eq!(res.status(), expected, "attempt {attempt}");
    }
    let events = app.db.audit_events_of(id).await.unwrap();
    assert!(events.contains(&"two_factor_enabled".to_string()));
    assert!(events.contains(&"recovery_code_used".to_string()));
    assert!(events.contains(&"second_factor_failed".to_string()));
}

#[tokio::test]
async fn guessing_codes_is_throttled() {
    let app = spawn_app().await;
    let org = app.seed_org().await;
    app.add_user(&org, "juf@a.nl", &[(Role::Beroepskracht, org.school_a)])
        .await;
    app.login("juf@a.nl").await;
    let (raw, _) = enrol(&app, &app.client).await;
    let c = client();
    app.login_with(&c, "juf@a.nl", PASSWORD).await;
    for _ in 0..5 {
        assert_eq!(
            app.post_with(&c, "/login/code", &[("code", "000000")])
                .await
                .status(),
            401
        );
    }
    let res = app
        .post_with(&c, "/login/code", &[("code", &code_at(&raw, &app))])
        .await;
    assert_eq!(res.status(), 429, "even the right code waits now");
}

#[tokio::test]
async fn a_role_that_requires_two_factor_can_do_nothing_before_setting_it_up() {
    let app = spawn_app().await;
    let org = app.seed_org().await;
    sqlx::query("UPDATE organisations SET two_factor_roles = 'aandachtsfunctionaris beheerder'")
        .execute(app.db.pool_for_tests())
        .await
        .unwrap();
    app.state.organisation_changed().await;
    app.add_user(
        &org,
        "af@a.nl",
        &[(Role::Aandachtsfunctionaris, org.school_a)],
    )
    .await;
    app.add_user(&org, "juf@a.nl", &[(Role::Beroepskracht, org.school_a)])
        .await;
    app.login("af@a.nl").await;
    for path in ["/start", "/dossiers", "/werkruimte", "/account"] {
        assert_eq!(
            location(&app.get(path).await),
            "/account/tweestaps",
            "{path}"
        );
    }
    assert_eq!(
        app.get("/nood").await.status(),
        200,
        "the emergency route stays open"
    );
    enrol(&app, &app.client).await;
    assert_eq!(app.get("/dossiers").await.status(), 200);
    let res = app
        .post("/account/tweestaps/uit", &[("password", PASSWORD)])
        .await;
    assert_eq!(
        res.status(),
        422,
        "a required second step cannot be switched off"
    );

    let juf = client();
    app.login_with(&juf, "juf@a.nl", PASSWORD).await;
    assert_eq!(
        app.get_with(&juf, "/dossiers").await.status(),
        200,
        "not required for a teacher"
    );
}

#[tokio::test]
async fn the_beheerder_clears_two_factor_for_a_user_who_lost_phone_and_codes() {
    let app = spawn_app().await;
    let org = app.seed_org().await;
    let juf = app
        .add_user(&org, "juf@a.nl", &[(Role::Beroepskracht, org.school_a)])
        .await;
    app.add_user(&org, "beheer@a.nl", &[(Role::Beheerder, org.school_a)])
        .await;
    app.login("juf@a.nl").await;
    enrol(&app, &app.client).await;
    let beheer = client();
    app.login_with(&beheer, "beheer@a.nl", PASSWORD).await;
    let res = app
        .post_with(
            &beheer,
            &format!("/beheer/gebruikers/{juf}/tweestaps-herstellen"),
            &[],
        )
        .await;
    assert_eq!(res.status(), 303);
    let c = client();
    assert_eq!(
        location(&app.login_with(&c, "juf@a.nl", PASSWORD).await),
        "/start",
        "the password alone again"
    );
}
