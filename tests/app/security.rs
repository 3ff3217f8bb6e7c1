//! Cross-site request forgery, headers, cookies, limits and error pages.

use meldcode::domain::role::Role;

use crate::common::*;

async fn logged_in_beheerder() -> (TestApp, Org) {
    let app = spawn_app().await;
    let org = app.seed_org().await;
    app.add_user(&org, "beheer@school.nl", &[(Role::Beheerder, org.school_a)])
        .await;
    app.login("beheer@school.nl").await;
    (app, org)
}

#[tokio::test]
async fn a_post_from_another_site_is_refused_even_with_a_valid_token() {
    let (app, org) = logged_in_beheerder().await;
    let token = app.token_with(&app.client).await;
    for (header, value) in [
        ("origin", "https://evil.example"),
        ("sec-fetch-site", "cross-site"),
    ] {
        let res = app
            .client
            .post(app.url("/beheer/scholen"))
            .header(header, value)
            .form(&[("_csrf", token.as_str()), ("naam", "Nepschool")])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 403, "{header}: {value}");
    }
    let schools = app.db.schools(org.id).await.unwrap();
    assert!(schools.iter().all(|s| s.name != "Nepschool"));
}

#[tokio::test]
async fn a_post_without_the_form_token_is_refused_and_keeps_what_was_typed() {
    let (app, org) = logged_in_beheerder().await;
    for token in [None, Some("verzonnen-token")] {
        let mut form = vec![("naam", "Basisschool De Linde")];
        if let Some(t) = token {
            form.push(("_csrf", t));
        }
        let res = app
            .client
            .post(app.url("/beheer/scholen"))
            .form(&form)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 403);
        let body = res.text().await.unwrap();
        assert!(body.contains("Uw formulier is niet verstuurd"));
        assert!(
            body.contains("Basisschool De Linde"),
            "the typed text is shown back"
        );
    }
    assert_eq!(app.db.schools(org.id).await.unwrap().len(), 2);
}

#[tokio::test]
async fn a_form_sent_after_the_session_ended_shows_the_text_but_never_a_password() {
    let (app, _org) = logged_in_beheerder().await;
    let token = app.token_with(&app.client).await;
    app.clock.advance(meldcode::domain::session::IDLE_SECS + 1);
    let res = app
        .client
        .post(app.url("/beheer/scholen"))
        .form(&[
            ("_csrf", token.as_str()),
            ("naam", "Lange tekst die niet verloren mag gaan"),
            ("password", "Geheim-wachtwoord-99"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    let body = res.text().await.unwrap();
    assert!(body.contains("Lange tekst die niet verloren mag gaan"));
    assert!(!body.contains("Geheim-wachtwoord-99"));
}

#[tokio::test]
async fn nothing_changes_state_on_get() {
    let (app, _org) = logged_in_beheerder().await;
    let res = app.get("/logout").await;
    assert_eq!(res.status(), 405);
    assert!(res.text().await.unwrap().contains("Dit kan zo niet"));
    assert_eq!(app.get("/beheer").await.status(), 200, "still logged in");
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let (app, _org) = logged_in_beheerder().await;
    for path in [
        "/beheer",
        "/nood",
        "/bestaat-niet",
        "/static/style.css",
        "/static/app.js",
        "/healthz",
    ] {
        let res = app.get(path).await;
        let h = res.headers();
        let csp = h
            .get("content-security-policy")
            .unwrap_or_else(|| panic!("CSP on {path}"))
            .to_str()
            .unwrap();
        for directive in [
            "script-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "frame-ancestors 'none'",
        ] {
            assert!(csp.contains(directive), "{directive} on {path}");
        }
        assert!(!csp.contains("unsafe-inline"));
        assert_eq!(
            h.get("x-content-type-options").unwrap(),
            "nosniff",
            "{path}"
        );
        assert_eq!(h.get("referrer-policy").unwrap(), "no-referrer", "{path}");
        assert!(
            h.get("strict-transport-security").is_none(),
            "no HSTS over plain http"
        );
    }
    assert_eq!(
        app.get("/beheer")
            .await
            .headers()
            .get("cache-control")
            .unwrap(),
        "no-store"
    );
}

#[tokio::test]
async fn hsts_is_sent_when_served_over_https() {
    let app = spawn_app_with(|s| s.public_url = "https://meldcode.school.example".into()).await;
    let res = app.get("/login").await;
    let hsts = res
        .headers()
        .get("strict-transport-security")
        .expect("HSTS")
        .to_str()
        .unwrap();
    assert!(hsts.contains("max-age=31536000"));
}

#[tokio::test]
async fn every_cookie_is_host_only_secure_httponly_and_strict() {
    let app = spawn_app_with(|s| s.secure_cookies = true).await;
    let org = app.seed_org().await;
    app.add_user(
        &org,
        "juf@school.nl",
        &[(meldcode::domain::role::Role::Beroepskracht, org.school_a)],
    )
    .await;
    let cookies = |res: &reqwest::Response| -> Vec<String> {
        res.headers()
            .get_all("set-cookie")
            .iter()
            .map(|v| v.to_str().unwrap().to_string())
            .collect()
    };
    let find = |all: &[String], name: &str| -> String {
        all.iter()
            .find(|c| c.starts_with(&format!("{name}=")))
            .unwrap_or_else(|| panic!("a cookie {name} in {all:?}"))
            .clone()
    };
    // The login page gives a visitor its form cookie only (no session).
    let res = app.get("/login").await;
    let visitor = cookies(&res);
    let form_cookie = find(&visitor, "__Host-meldcode-formulier");
    let token = token_in(&res.text().await.unwrap()).unwrap();
    // The test client does not send Secure cookies over plain http: send it by hand.
    let res = client()
        .post(app.url("/login"))
        .header("cookie", form_cookie.split(';').next().unwrap())
        .form(&[
            ("_csrf", token.as_str()),
            ("email", "juf@school.nl"),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    let login = cookies(&res);
    let session = find(&login, "__Host-meldcode");
    let device = find(&login, "__Host-meldcode-apparaat");
    for cookie in [&form_cookie, &session, &device] {
        for attribute in ["Secure", "HttpOnly", "SameSite=Strict", "Path=/"] {
            assert!(cookie.contains(attribute), "{attribute} in {cookie}");
        }
        assert!(!cookie.contains("Domain"), "a __Host- cookie has no Domain");
    }
    for cookie in [&form_cookie, &session] {
        assert!(
            !cookie.contains("Max-Age") && !cookie.contains("Expires"),
            "ends with the browser: {cookie}"
        );
    }
    assert!(device.contains("Max-Age=7776000"), "trusted for 90 days");
}

#[tokio::test]
async fn an_oversized_body_gets_a_dutch_page_not_a_crash() {
    let (app, _org) = logged_in_beheerder().await;
    let token = app.token_with(&app.client).await;
    let huge = "x".repeat(meldcode::web::guard::MAX_FORM_BYTES + 10);
    let res = app
        .client
        .post(app.url("/beheer/scholen"))
        .form(&[("_csrf", token.as_str()), ("naam", huge.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 413);
    assert!(res.text().await.unwrap().contains("Te veel tekst"));
}

#[tokio::test]
async fn an_unknown_page_is_a_dutch_404_in_the_layout_with_the_emergency_route() {
    let app = spawn_app().await;
    let res = app.get("/bestaat/niet").await;
    assert_eq!(res.status(), 404);
    let body = res.text().await.unwrap();
    assert!(body.contains("Pagina niet gevonden"));
    assert!(body.contains(r#"href="/nood""#));
    assert!(body.contains("0800-2000"));
}

#[tokio::test]
async fn the_emergency_route_is_on_every_page_with_the_organisations_numbers() {
    let (app, org) = logged_in_beheerder().await;
    let res = app
        .post(
            "/beheer/organisatie",
            &[
                ("veilig_thuis", "0800-1234"),
                ("nood", "112"),
                ("inspectie", "0900-111 3111"),
                ("training", "24"),
                ("bewaren", "5"),
                ("stil", "14"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    for path in ["/beheer", "/nood", "/beheer/organisatie"] {
        let body = app.get(path).await.text().await.unwrap();
        assert!(body.contains("0800-1234"), "{path}");
        assert!(body.contains(r#"href="/nood""#), "{path}");
    }
    // Also for someone not logged in.
    let anon = client();
    let body = app.get_with(&anon, "/login").await.text().await.unwrap();
    assert!(body.contains("0800-1234"));
    assert_eq!(app.db.organisation().await.unwrap().unwrap().id, org.id);
}

#[tokio::test]
async fn a_wrong_phone_number_comes_back_with_a_dutch_message_and_the_text_kept() {
    let (app, _org) = logged_in_beheerder().await;
    let res = app
        .post(
            "/beheer/organisatie",
            &[
                ("veilig_thuis", "bel ons maar"),
                ("nood", "112"),
                ("inspectie", "0900-111 3111"),
                ("training", "24"),
                ("bewaren", "5"),
                ("stil", "14"),
            ],
        )
        .await;
    assert_eq!(res.status(), 422);
    let body = res.text().await.unwrap();
    assert!(body.contains("Gebruik alleen cijfers"));
    assert!(body.contains(r#"value="bel ons maar""#));
}

#[tokio::test]
async fn healthz_answers_200_with_a_database_and_503_without() {
    let app = spawn_app().await;
    assert_eq!(app.get("/healthz").await.status(), 200);
    app.db.close().await;
    assert_eq!(app.get("/healthz").await.status(), 503);
}

#[tokio::test]
async fn no_page_refers_to_another_host() {
    let app = spawn_app().await;
    let org = app.seed_org().await;
    app.add_user(
        &org,
        "juf@school.nl",
        &[
            (Role::Beroepskracht, org.school_a),
            (Role::Beheerder, org.school_a),
        ],
    )
    .await;
    let anon = client();
    let mut pages = vec![app.get_with(&anon, "/login").await.text().await.unwrap()];
    app.login("juf@school.nl").await;
    for path in [
        "/start",
        "/nood",
        "/beheer",
        "/beheer/gebruikers/nieuw",
        "/dossiers",
    ] {
        pages.push(app.get(path).await.text().await.unwrap());
    }
    for page in pages {
        for attr in [
            "src=\"http",
            "href=\"http",
            "href=\"//",
            "src=\"//",
            "url(http",
        ] {
            assert!(!page.contains(attr), "found {attr}");
        }
    }
}
