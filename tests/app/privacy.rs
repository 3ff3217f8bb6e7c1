//! Reviewing the audit log: the privacy officer sees all, the aandachtsfunctionaris per dossier.

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
            .fetch_one(app.db.pool())
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
