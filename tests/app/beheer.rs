//! The beheerder manages schools, users and roles.

use meldcode::domain::ids::{SchoolId, UserId};
use meldcode::domain::role::Role;

use crate::common::*;

async fn beheerder() -> (TestApp, Org, UserId) {
    let app = spawn_app().await;
    let org = app.seed_org().await;
    let id = app
        .add_user(&org, "beheer@school.nl", &[(Role::Beheerder, org.school_a)])
        .await;
    app.login("beheer@school.nl").await;
    (app, org, id)
}

#[tokio::test]
async fn a_beheerder_adds_a_school_and_a_duplicate_name_is_refused_with_the_text_kept() {
    let (app, org, me) = beheerder().await;
    let res = app.post("/beheer/scholen", &[("naam", "De Linde")]).await;
    assert_eq!(location(&res), "/beheer?melding=school");
    assert!(
        app.get("/beheer?melding=school")
            .await
            .text()
            .await
            .unwrap()
            .contains("De Linde")
    );

    let res = app.post("/beheer/scholen", &[("naam", "De Linde")]).await;
    assert_eq!(res.status(), 422);
    let body = res.text().await.unwrap();
    assert!(body.contains("Er is al een school met deze naam."));
    assert!(body.contains(r#"value="De Linde""#));

    let res = app.post("/beheer/scholen", &[("naam", "   ")]).await;
    assert_eq!(res.status(), 422);
    assert_eq!(app.db.schools(org.id).await.unwrap().len(), 3);
    assert!(
        app.db
            .audit_events_of(me)
            .await
            .unwrap()
            .contains(&"school_added".to_string())
    );
}

#[tokio::test]
async fn a_new_user_form_with_mistakes_keeps_the_text_and_names_each_mistake() {
    let (app, _org, _) = beheerder().await;
    let res = app
        .post(
            "/beheer/gebruikers/nieuw",
            &[
                ("naam", "Joris Kok"),
                ("email", "joris-at-school"),
                ("school", ""),
            ],
        )
        .await;
    assert_eq!(res.status(), 422);
    let body = res.text().await.unwrap();
    assert!(body.contains(r#"value="Joris Kok""#));
    assert!(body.contains(r#"value="joris-at-school""#));
    assert!(body.contains("Kies een school."));
    assert!(body.contains("Kies minstens één rol."));
    assert!(body.contains("er ontbreekt een @"));
}

#[tokio::test]
async fn a_user_may_hold_several_roles_at_several_schools_and_lose_one() {
    let (app, org, me) = beheerder().await;
    let juf = app
        .add_user(
            &org,
            "juf@school.nl",
            &[(Role::Beroepskracht, org.school_a)],
        )
        .await;
    let base = format!("/beheer/gebruikers/{juf}");
    let res = app
        .post(
            &format!("{base}/rol-toevoegen"),
            &[
                ("school", &org.school_b.to_string()),
                ("rol", "aandachtsfunctionaris"),
            ],
        )
        .await;
    assert_eq!(location(&res), format!("{base}?melding=rol"));
    let roles: Vec<(SchoolId, Role)> = app
        .db
        .roles(juf)
        .await
        .unwrap()
        .into_iter()
        .map(|r| (r.school_id, r.role))
        .collect();
    assert!(roles.contains(&(org.school_a, Role::Beroepskracht)));
    assert!(roles.contains(&(org.school_b, Role::Aandachtsfunctionaris)));

    let res = app
        .post(
            &format!("{base}/rol-intrekken"),
            &[
                ("school", &org.school_a.to_string()),
                ("rol", "beroepskracht"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    let roles = app.db.roles(juf).await.unwrap();
    assert_eq!(roles.len(), 1);
    assert_eq!(roles[0].role, Role::Aandachtsfunctionaris);

    let events = app.db.audit_events_of(me).await.unwrap();
    assert!(events.contains(&"role_granted".to_string()));
    assert!(events.contains(&"role_revoked".to_string()));
}

#[tokio::test]
async fn the_last_beheerder_can_neither_be_deactivated_nor_lose_the_role() {
    let (app, org, me) = beheerder().await;
    let res = app
        .post(&format!("/beheer/gebruikers/{me}/deactiveren"), &[])
        .await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.unwrap().contains("laatste beheerder"));
    let res = app
        .post(
            &format!("/beheer/gebruikers/{me}/rol-intrekken"),
            &[("school", &org.school_a.to_string()), ("rol", "beheerder")],
        )
        .await;
    assert_eq!(res.status(), 422);
    assert!(app.db.user(me).await.unwrap().unwrap().active);
    assert_eq!(app.db.roles(me).await.unwrap().len(), 1);
}

#[tokio::test]
async fn a_deactivated_user_can_be_given_access_again() {
    let (app, org, _) = beheerder().await;
    let juf = app
        .add_user(
            &org,
            "juf@school.nl",
            &[(Role::Beroepskracht, org.school_a)],
        )
        .await;
    app.post(&format!("/beheer/gebruikers/{juf}/deactiveren"), &[])
        .await;
    assert!(!app.db.user(juf).await.unwrap().unwrap().active);
    let res = app
        .post(&format!("/beheer/gebruikers/{juf}/heractiveren"), &[])
        .await;
    assert_eq!(res.status(), 303);
    assert_eq!(
        app.login_with(&client(), "juf@school.nl", PASSWORD)
            .await
            .status(),
        303
    );
}

#[tokio::test]
async fn an_unknown_or_malformed_user_id_is_not_found() {
    let (app, _org, _) = beheerder().await;
    for path in [
        "/beheer/gebruikers/999999",
        "/beheer/gebruikers/abc",
        "/beheer/gebruikers/1%27%20OR%201=1",
    ] {
        assert_eq!(app.get(path).await.status(), 404, "{path}");
    }
    assert_eq!(
        app.post("/beheer/gebruikers/999999/deactiveren", &[])
            .await
            .status(),
        404
    );
}

#[tokio::test]
async fn the_user_list_shows_names_roles_and_status_but_no_dossier() {
    let (app, org, _) = beheerder().await;
    app.add_user(
        &org,
        "juf@school.nl",
        &[(Role::Beroepskracht, org.school_b)],
    )
    .await;
    let body = app.get("/beheer").await.text().await.unwrap();
    assert!(body.contains("juf@school.nl"));
    assert!(body.contains("Beroepskracht · Het Kompas"));
    assert!(!body.to_lowercase().contains("dossiers van"));
}

#[tokio::test]
async fn text_with_markup_is_shown_as_text_never_run() {
    let (app, org, _) = beheerder().await;
    app.post("/beheer/scholen", &[("naam", "<script>alert(1)</script>")])
        .await;
    let body = app.get("/beheer").await.text().await.unwrap();
    assert!(!body.contains("<script>alert(1)</script>"));
    assert!(body.contains("&#60;script&#62;") || body.contains("&lt;script&gt;"));
    assert!(
        app.db
            .schools(org.id)
            .await
            .unwrap()
            .iter()
            .any(|s| s.name == "<script>alert(1)</script>")
    );
}

async fn user_id_of(app: &TestApp, email: &str) -> Option<UserId> {
    sqlx::query_as::<_, (UserId,)>("SELECT id FROM users WHERE email = $1")
        .bind(email)
        .fetch_optional(app.db.pool_for_tests())
        .await
        .unwrap()
        .map(|(id,)| id)
}

/// The audit rows about one user: (event, subject, by whom).
async fn audit_rows_about(app: &TestApp, user_id: UserId) -> Vec<(String, String, Option<UserId>)> {
    sqlx::query_as(
        "SELECT event, subject, user_id FROM audit_log WHERE subject = $1 OR subject LIKE $2 ORDER BY id",
    )
    .bind(format!("user:{user_id}"))
    .bind(format!("user:{user_id} %"))
    .fetch_all(app.db.pool_for_tests())
    .await
    .unwrap()
}

#[tokio::test]
async fn a_user_added_by_a_beheerder_appears_whole_with_every_role_and_its_audit_rows() {
    let (app, org, me) = beheerder().await;
    let res = app
        .post(
            "/beheer/gebruikers/nieuw",
            &[
                ("naam", "Joris Kok"),
                ("email", "joris@school.nl"),
                ("school", &org.school_a.to_string()),
                ("rol", "beroepskracht"),
                ("rol", "aandachtsfunctionaris"),
            ],
        )
        .await;
    assert_eq!(res.status(), 200, "the activation link is shown");
    let user = user_id_of(&app, "joris@school.nl").await.unwrap();
    let mut roles: Vec<Role> = app
        .db
        .roles(user)
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.role)
        .collect();
    roles.sort_by_key(|r| r.code());
    assert_eq!(roles, [Role::Aandachtsfunctionaris, Role::Beroepskracht]);
    let rows = audit_rows_about(&app, user).await;
    let events: Vec<&str> = rows.iter().map(|(e, _, _)| e.as_str()).collect();
    assert_eq!(
        events,
        [
            "user_added",
            "role_granted",
            "role_granted",
            "activation_link_issued"
        ]
    );
    assert!(rows.iter().all(|(_, _, by)| *by == Some(me)));
}

#[tokio::test]
async fn adding_a_user_that_fails_midway_leaves_no_user_role_or_audit_row_behind() {
    let (app, org, _) = beheerder().await;
    let now = app.clock.unix();
    // The second role names a school that does not exist: the user and the first role, already
    // written in the transaction, must go with it.
    let roles = [
        (org.school_a, Role::Beroepskracht),
        (SchoolId::new(org.school_b.get() + 1000), Role::Directie),
    ];
    let new = meldcode::store::users::NewUser {
        org_id: org.id,
        email: "half@school.nl",
        name: "Half Gemaakt",
        password_hash: None,
        roles: &roles,
    };
    let actor = meldcode::store::users::Actor::default();
    assert!(app.db.add_user_with_roles(&new, &actor, now).await.is_err());
    assert!(user_id_of(&app, "half@school.nl").await.is_none());
    let (users, grants, audited): (i64, i64, i64) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM users WHERE email = 'half@school.nl'), \
         (SELECT COUNT(*) FROM role_assignments r JOIN users u ON u.id = r.user_id WHERE u.email = 'half@school.nl'), \
         (SELECT COUNT(*) FROM audit_log WHERE event IN ('user_added', 'role_granted') AND user_id IS NULL)",
    )
    .fetch_one(app.db.pool_for_tests())
    .await
    .unwrap();
    assert_eq!((users, grants, audited), (0, 0, 0));

    // A duplicate address, through the form: refused with the text kept, and nothing added.
    let res = app
        .post(
            "/beheer/gebruikers/nieuw",
            &[
                ("naam", "Nog Een Beheerder"),
                ("email", "beheer@school.nl"),
                ("school", &org.school_a.to_string()),
                ("rol", "directie"),
            ],
        )
        .await;
    assert_eq!(res.status(), 422);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("Er is al een gebruiker met dit e-mailadres.")
    );
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM users")
        .fetch_one(app.db.pool_for_tests())
        .await
        .unwrap();
    assert_eq!(n, 1);
}
