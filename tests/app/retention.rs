//! Retention: content goes after the organisation's period; an anonymous tombstone stays.

use meldcode::domain::ids::DossierId;
use meldcode::domain::role::Role;

use crate::common::*;

#[tokio::test]
async fn a_closed_dossier_is_purged_after_the_retention_period_leaving_an_anonymous_tombstone() {
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
    let kept = open_dossier_at(&app, &juf, org.school_a, "Blijvend Kind", "psychisch").await;
    let id = open_dossier_at(&app, &juf, org.school_a, "Vertrokken Kind", "lichamelijk").await;
    let res = app
        .post_with(
            &af,
            &format!("/dossiers/{id}/aantekening"),
            &[
                ("soort", "gesloten"),
                ("bevestigd", "ja"),
                ("reden", "leerling_vertrokken"),
                ("toelichting", "Het gezin is verhuisd."),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);

    // Four years later: within the default period of five years.
    app.clock.advance(4 * 366 * 24 * 3600);
    assert!(
        meldcode::jobs::purge(&app.db, &app.clock, true)
            .await
            .unwrap()
            .is_empty()
    );

    app.clock.advance(2 * 366 * 24 * 3600);
    let listed = meldcode::jobs::purge(&app.db, &app.clock, true)
        .await
        .unwrap();
    assert_eq!(
        listed.iter().map(|c| c.id).collect::<Vec<_>>(),
        vec![id],
        "the dry run lists it"
    );
    let entries = |d: DossierId| {
        let db = app.db.clone();
        async move {
            sqlx::query_as::<_, (i64,)>("SELECT COUNT(*) FROM entries WHERE dossier_id = $1")
                .bind(d)
                .fetch_one(db.pool_for_tests())
                .await
                .unwrap()
                .0
        }
    };
    assert!(entries(id).await > 0, "a dry run removes nothing");

    let purged = meldcode::jobs::purge(&app.db, &app.clock, false)
        .await
        .unwrap();
    assert_eq!(purged.len(), 1);
    assert_eq!(entries(id).await, 0, "the content is gone");
    assert!(entries(kept).await > 0, "the open dossier stays");
    let (forms, reason, pupil): (String, Option<String>, String) = sqlx::query_as(
        "SELECT d.forms, d.close_reason, p.name FROM dossiers d JOIN pupils p ON p.id = d.pupil_id WHERE d.id = $1",
    )
    .bind(id)
    .fetch_one(app.db.pool_for_tests())
    .await
    .unwrap();
    assert_eq!(
        (forms.as_str(), reason.as_deref()),
        ("lichamelijk", Some("leerling_vertrokken")),
        "the tombstone keeps what the figures need"
    );
    assert_eq!(pupil, "(verwijderd)", "and not the pupil");

    let af = client();
    app.login_with(&af, "af@a.nl", PASSWORD).await;
    assert_eq!(
        app.get_with(&af, &format!("/dossiers/{id}")).await.status(),
        404
    );
    let list = app.get_with(&af, "/dossiers").await.text().await.unwrap();
    assert!(!list.contains("Vertrokken Kind") && !list.contains("(verwijderd)"));
    let events = sqlx::query_as::<_, (i64,)>(
        "SELECT COUNT(*) FROM audit_log WHERE event = 'dossier_purged' AND dossier_id = $1",
    )
    .bind(id)
    .fetch_one(app.db.pool_for_tests())
    .await
    .unwrap()
    .0;
    assert_eq!(events, 1, "the purge is in the audit log");
    assert!(
        app.db.verify_audit_chain().await.unwrap().is_ok(),
        "which stays intact"
    );
}
