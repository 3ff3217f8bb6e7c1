//! Reviewing the audit log: the privacy officer sees all, the aandachtsfunctionaris per dossier.

use meldcode::domain::ids::{DossierId, UserId};
use meldcode::domain::role::Role;

use crate::common::*;

#[tokio::test]
async fn the_privacy_officer_reviews_the_whole_log_and_sees_no_dossier() {
    let app = spawn_app().await;
    let org = app.seed_org().await;
    app.add_user(&org, "juf@a.nl", &[(Role::Beroepskracht, org.school_a)])
        .await;
    app.add_user(&org, "fg@a.nl", &[(Role::Privacy, org.school_a)])
        .await;
    let juf = client();
    app.login_with(&juf, "juf@a.nl", PASSWORD).await;
    let id = open_dossier_at(&app, &juf, org.school_a, "Log Kind", "psychisch").await;
    app.get_with(&juf, &format!("/dossiers/{id}")).await;

    let fg = client();
    app.login_with(&fg, "fg@a.nl", PASSWORD).await;
    assert_eq!(location(&app.get_with(&fg, "/start").await), "/privacy");
    let page = app
        .get_with(&fg, &format!("/privacy?dossier={id}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("Dossier geopend"));
    assert!(page.contains("Dossier bekeken"));
    assert!(page.contains("juf@a.nl"));
    assert!(!page.contains("Log Kind"), "the log names no pupil");
    assert!(!page.contains("Ingelogd"), "filtered on the dossier");
    assert_eq!(
        app.get_with(&fg, &format!("/dossiers/{id}")).await.status(),
        404,
        "no dossier content"
    );

    // Looking at the log is logged too.
    let viewed: i64 =
        sqlx::query_as::<_, (i64,)>("SELECT COUNT(*) FROM audit_log WHERE event = 'audit_viewed'")
            .fetch_one(app.db.pool_for_tests())
            .await
            .unwrap()
            .0;
    assert_eq!(viewed, 1);
    assert_eq!(app.get_with(&juf, "/privacy").await.status(), 403);
}

#[tokio::test]
async fn the_aandachtsfunctionaris_sees_who_accessed_a_dossier_of_the_school() {
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
    app.add_user(
        &org,
        "af@b.nl",
        &[(Role::Aandachtsfunctionaris, org.school_b)],
    )
    .await;
    let (juf, af, af_b) = (client(), client(), client());
    app.login_with(&juf, "juf@a.nl", PASSWORD).await;
    app.login_with(&af, "af@a.nl", PASSWORD).await;
    app.login_with(&af_b, "af@b.nl", PASSWORD).await;
    let id = open_dossier_at(&app, &juf, org.school_a, "Log Kind", "psychisch").await;
    app.get_with(&af_b, &format!("/dossiers/{id}")).await;

    let res = app.get_with(&af, &format!("/dossiers/{id}/toegang")).await;
    assert_eq!(res.status(), 200);
    let page = res.text().await.unwrap();
    assert!(page.contains("Dossier geopend"));
    assert!(
        page.contains("af@b.nl"),
        "the refused attempt from another school is listed"
    );
    assert!(page.contains("Toegang geweigerd"));
    assert_eq!(
        app.get_with(&juf, &format!("/dossiers/{id}/toegang"))
            .await
            .status(),
        403
    );
    assert_eq!(
        app.get_with(&af_b, &format!("/dossiers/{id}/toegang"))
            .await
            .status(),
        404
    );
}

#[tokio::test]
async fn the_aandachtsfunctionaris_exports_all_dossiers_of_one_pupil_for_inspection() {
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
    let first = open_dossier_at(&app, &juf, org.school_a, "Inzage Kind", "psychisch").await;
    let pupil: i64 = sqlx::query_as::<_, (i64,)>("SELECT pupil_id FROM dossiers WHERE id = $1")
        .bind(first)
        .fetch_one(app.db.pool_for_tests())
        .await
        .unwrap()
        .0;
    // A second dossier about the same pupil: typed again, linked on the server.
    let school = org.school_a.to_string();
    let res = app
        .post_with(
            &juf,
            "/dossiers/nieuw",
            &[
                ("school", &school),
                ("naam", "inzage  kind"),
                ("geboortedatum", "1-4-2016"),
                ("medewerker", "nee"),
                ("vormen", "verwaarlozing"),
                ("aard", "feit"),
                ("waarneming", "Tweede zorg"),
                ("bron", "eigen"),
                // Offered the open dossier first (one dossier per concern), the teacher
                // chooses a new one: it is about another concern.
                ("bestaand", "nieuw"),
                ("bestaand_id", &first.to_string()),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);

    let page = app
        .get_with(&af, &format!("/leerlingen/{pupil}/inzage"))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("Inzage: Inzage Kind"));
    assert!(
        page.contains("Zeer vertrouwelijke waarneming") && page.contains("Tweede zorg"),
        "both dossiers"
    );
    let res = app
        .get_with(&af, &format!("/leerlingen/{pupil}/inzage?formaat=json"))
        .await;
    assert!(
        res.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/json")
    );
    let json: serde_json::Value = serde_json::from_str(&res.text().await.unwrap()).unwrap();
    assert_eq!(json["pupil"], "Inzage Kind");
    assert_eq!(json["dossiers"].as_array().unwrap().len(), 2);

    assert_eq!(
        app.get_with(&juf, &format!("/leerlingen/{pupil}/inzage"))
            .await
            .status(),
        403,
        "the teacher does not export"
    );
    let exported: i64 = sqlx::query_as::<_, (i64,)>(
        "SELECT COUNT(*) FROM audit_log WHERE event = 'inspection_exported'",
    )
    .fetch_one(app.db.pool_for_tests())
    .await
    .unwrap()
    .0;
    assert_eq!(exported, 2, "each export is logged");

    // After a quarter of an hour the password is asked again.
    app.clock.advance(16 * 60);
    let res = app
        .get_with(&af, &format!("/leerlingen/{pupil}/inzage"))
        .await;
    assert!(location(&res).starts_with("/bevestigen"));
}

#[tokio::test]
async fn a_refused_request_by_a_beheerder_or_privacy_officer_shows_in_that_dossiers_access_log() {
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
    let beheer = app
        .add_user(&org, "beheer@a.nl", &[(Role::Beheerder, org.school_a)])
        .await;
    let fg = app
        .add_user(&org, "fg@a.nl", &[(Role::Privacy, org.school_a)])
        .await;
    let juf = client();
    app.login_with(&juf, "juf@a.nl", PASSWORD).await;
    let id = open_dossier_at(&app, &juf, org.school_a, "Kind", "psychisch").await;

    for (email, path) in [
        ("beheer@a.nl", format!("/dossiers/{id}")),
        ("fg@a.nl", format!("/dossiers/{id}/afdrukken")),
    ] {
        let c = client();
        app.login_with(&c, email, PASSWORD).await;
        assert_eq!(app.get_with(&c, &path).await.status(), 404, "{email}");
        // An id that names no dossier is logged without one.
        assert_eq!(app.get_with(&c, "/dossiers/987654").await.status(), 404);
    }

    let refused: Vec<(UserId, Option<DossierId>, String)> = sqlx::query_as(
        "SELECT user_id, dossier_id, subject FROM audit_log WHERE event = 'access_refused' ORDER BY id",
    )
    .fetch_all(app.db.pool_for_tests())
    .await
    .unwrap();
    assert_eq!(
        refused,
        [
            (beheer, Some(id), format!("/dossiers/{id}")),
            (beheer, None, "/dossiers/987654".to_string()),
            (fg, Some(id), format!("/dossiers/{id}/afdrukken")),
            (fg, None, "/dossiers/987654".to_string()),
        ]
    );

    let af = client();
    app.login_with(&af, "af@a.nl", PASSWORD).await;
    let log = app
        .get_with(&af, &format!("/dossiers/{id}/toegang"))
        .await
        .text()
        .await
        .unwrap();
    assert!(log.contains("Toegang geweigerd"));
    assert!(log.contains("beheer@a.nl"));
    assert!(log.contains("fg@a.nl"));
}
