//! Who may enter which part of the application.

use meldcode::domain::role::Role;

use crate::common::*;

#[tokio::test]
async fn a_beheerder_cannot_reach_any_dossier_route() {
    let app = spawn_app().await;
    let org = app.seed_org().await;
    let id = app
        .add_user(
            &org,
            "beheer@school.nl",
            &[
                (Role::Beheerder, org.school_a),
                (Role::Beheerder, org.school_b),
            ],
        )
        .await;
    app.login("beheer@school.nl").await;
    for path in [
        "/dossiers",
        "/dossiers/1",
        "/dossiers/1/stap/1",
        "/dossiers/nieuw",
    ] {
        let res = app.get(path).await;
        assert_eq!(res.status(), 404, "GET {path}");
    }
    let res = app.post("/dossiers/1/notities", &[("tekst", "x")]).await;
    assert_eq!(res.status(), 404);
    let page = app.get("/beheer").await.text().await.unwrap();
    assert!(
        !page.contains(r#"href="/dossiers""#),
        "no menu item to dossiers"
    );
    let refused = app
        .db
        .audit_events_of(id)
        .await
        .unwrap()
        .iter()
        .filter(|e| *e == "access_refused")
        .count();
    assert_eq!(refused, 5, "every refusal is logged");
}

#[tokio::test]
async fn dossier_roles_reach_the_dossier_list() {
    let app = spawn_app().await;
    let org = app.seed_org().await;
    for (email, role) in [
        ("juf@s.nl", Role::Beroepskracht),
        ("af@s.nl", Role::Aandachtsfunctionaris),
        ("dir@s.nl", Role::Directie),
    ] {
        app.add_user(&org, email, &[(role, org.school_a)]).await;
        let c = client();
        app.login_with(&c, email, PASSWORD).await;
        assert_eq!(app.get_with(&c, "/dossiers").await.status(), 200, "{email}");
    }
}

#[tokio::test]
async fn only_a_beheerder_reaches_the_beheer_pages() {
    let app = spawn_app().await;
    let org = app.seed_org().await;
    for role in [
        Role::Beroepskracht,
        Role::Aandachtsfunctionaris,
        Role::Directie,
    ] {
        let email = format!("{}@s.nl", role.code());
        let id = app.add_user(&org, &email, &[(role, org.school_a)]).await;
        let c = client();
        app.login_with(&c, &email, PASSWORD).await;
        for path in [
            "/beheer",
            "/beheer/organisatie",
            "/beheer/signalen",
            "/beheer/gebruikers/nieuw",
            &format!("/beheer/gebruikers/{id}"),
        ] {
            assert_eq!(
                app.get_with(&c, path).await.status(),
                403,
                "{role:?} GET {path}"
            );
        }
        let res = app
            .post_with(&c, "/beheer/scholen", &[("naam", "Stiekem")])
            .await;
        assert_eq!(res.status(), 403);
        let res = app
            .post_with(
                &c,
                &format!("/beheer/gebruikers/{id}/rol-toevoegen"),
                &[("school", &org.school_a.to_string()), ("rol", "beheerder")],
            )
            .await;
        assert_eq!(
            res.status(),
            403,
            "{role:?} cannot make themselves beheerder"
        );
    }
    assert_eq!(app.db.schools(org.id).await.unwrap().len(), 2);
}

#[tokio::test]
async fn pages_behind_login_send_a_visitor_to_the_login_page() {
    let app = spawn_app().await;
    for path in ["/start", "/beheer", "/dossiers", "/beheer/gebruikers/1"] {
        let res = app.get(path).await;
        assert_eq!(res.status(), 303, "{path}");
        assert_eq!(location(&res), "/login?melding=inloggen");
    }
    assert_eq!(location(&app.get("/").await), "/login");
    assert_eq!(
        app.get("/nood").await.status(),
        200,
        "the emergency route needs no login"
    );
}
