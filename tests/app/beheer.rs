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
    assert!(location(&res).starts_with("/beheer/scholen/"));
    assert!(
        app.get("/beheer")
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

#[tokio::test]
async fn after_adding_a_school_the_next_step_is_naming_its_aandachtsfunctionaris() {
    let (app, org, me) = beheerder().await;
    let ahmed = app
        .add_user(
            &org,
            "ahmed@school.nl",
            &[(Role::Beroepskracht, org.school_a)],
        )
        .await;

    // Adding the school leads to its page, which asks for its aandachtsfunctionaris.
    let res = app.post("/beheer/scholen", &[("naam", "De Linde")]).await;
    assert_eq!(res.status(), 303);
    let page_path = location(&res);
    assert!(page_path.ends_with("?melding=school"), "{page_path}");
    let page = app.get(&page_path).await.text().await.unwrap();
    assert!(page.contains("De school is toegevoegd."));
    assert!(page.contains("Volgende stap: wijs de aandachtsfunctionaris van De Linde aan."));
    assert!(
        page.contains("ahmed@school.nl"),
        "an existing user can be chosen"
    );
    let linde = app
        .db
        .schools(org.id)
        .await
        .unwrap()
        .into_iter()
        .find(|s| s.name == "De Linde")
        .unwrap()
        .id;
    assert!(page.contains(&format!(
        "/beheer/gebruikers/nieuw?school={linde}&amp;rol=aandachtsfunctionaris"
    )));
    // Until then the overview says the school has none.
    let overview = app.get("/beheer").await.text().await.unwrap();
    assert!(overview.contains("nog geen aandachtsfunctionaris"));

    // Choosing nobody is a Dutch message on the same page, not an error.
    let action = format!("/beheer/scholen/{linde}/aandachtsfunctionaris");
    let res = app.post(&action, &[("gebruiker", "")]).await;
    assert_eq!(res.status(), 422);
    let body = res.text().await.unwrap();
    assert!(body.contains("Kies wie de aandachtsfunctionaris van deze school wordt."));
    assert!(body.contains("<title>Fout: "));

    // Naming an existing user gives them the role at this school, audited.
    let res = app
        .post(&action, &[("gebruiker", &ahmed.to_string())])
        .await;
    assert_eq!(res.status(), 303);
    let page = app.get(&location(&res)).await.text().await.unwrap();
    assert!(page.contains("De aandachtsfunctionaris is aangewezen."));
    assert!(page.contains("<strong>ahmed@school.nl</strong>"));
    assert_eq!(
        app.db.experts(linde).await.unwrap(),
        vec!["ahmed@school.nl"]
    );
    assert!(
        app.db
            .audit_events_of(me)
            .await
            .unwrap()
            .contains(&"role_granted".to_string())
    );

    // The other way: a new user, with the school and the role already chosen.
    let form = app
        .get(&format!(
            "/beheer/gebruikers/nieuw?school={linde}&rol=aandachtsfunctionaris"
        ))
        .await
        .text()
        .await
        .unwrap();
    assert!(form.contains(&format!(
        "<option value=\"{linde}\" selected>De Linde</option>"
    )));
    assert!(form.contains(r#"value="aandachtsfunctionaris" checked"#));

    // Another organisation's school, or no school at all, is not found.
    assert_eq!(app.get("/beheer/scholen/999999").await.status(), 404);
    assert_eq!(app.get("/beheer/scholen/abc").await.status(), 404);
}

#[tokio::test]
async fn an_activation_link_is_mailed_to_the_user_or_shown_to_copy_with_a_button() {
    let (port, mails) = crate::mail::smtp_sink().await;
    let app = spawn_app_with(|s| s.smtp_url = Some(format!("smtp://127.0.0.1:{port}"))).await;
    let org = app.seed_org().await;
    app.add_user(&org, "beheer@school.nl", &[(Role::Beheerder, org.school_a)])
        .await;
    app.login("beheer@school.nl").await;
    let res = app
        .post(
            "/beheer/gebruikers/nieuw",
            &[
                ("naam", "Joris Kok"),
                ("email", "joris@school.nl"),
                ("school", &org.school_a.to_string()),
                ("rol", "beroepskracht"),
            ],
        )
        .await;
    assert_eq!(res.status(), 200);
    let page = res.text().await.unwrap();
    // The link to copy: a button that the script shows, and without script the text to select.
    assert!(page.contains(r#"data-copy="link" hidden>Kopieer de link</button>"#));
    assert!(page.contains(r#"<input id="link" class="copy" type="text" readonly"#));
    assert!(page.contains("Stuur de link per e-mail naar joris@school.nl"));
    let token = page
        .split(r#"name="token" value=""#)
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_string();
    let joris = user_id_of(&app, "joris@school.nl").await.unwrap();

    // A text that is not this user's valid link is not mailed.
    let action = format!("/beheer/gebruikers/{joris}/link-mailen");
    let res = app.post(&action, &[("token", "verzonnen")]).await;
    assert_eq!(res.status(), 422);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("Deze link werkt niet meer.")
    );
    assert!(mails.lock().unwrap().is_empty());

    let res = app.post(&action, &[("token", &token)]).await;
    assert_eq!(res.status(), 303);
    let page = app.get(&location(&res)).await.text().await.unwrap();
    assert!(page.contains("De activeringslink is per e-mail verstuurd."));
    let mail = mails.lock().unwrap().concat();
    // Quoted-printable breaks long lines with a '=' at the end; the reader joins them.
    let joined = mail.replace("=\n", "");
    assert!(joined.contains(&format!("/activeren/{token}")), "{mail}");
    assert!(mail.contains("Subject: Meldcode: kies uw wachtwoord"));
    assert!(mail.contains("joris@school.nl"));

    // The mailed link works: the user chooses a password with it.
    let activation = app
        .get_with(&client(), &format!("/activeren/{token}"))
        .await;
    assert_eq!(activation.status(), 200);
}

#[tokio::test]
async fn without_an_smtp_server_the_link_is_only_shown_to_copy() {
    let (app, org, _) = beheerder().await;
    let res = app
        .post(
            "/beheer/gebruikers/nieuw",
            &[
                ("naam", "Joris Kok"),
                ("email", "joris@school.nl"),
                ("school", &org.school_a.to_string()),
                ("rol", "beroepskracht"),
            ],
        )
        .await;
    let page = res.text().await.unwrap();
    assert!(!page.contains("per e-mail"));
    assert!(page.contains("Kopieer de link"));
    let joris = user_id_of(&app, "joris@school.nl").await.unwrap();
    let res = app
        .post(
            &format!("/beheer/gebruikers/{joris}/link-mailen"),
            &[("token", "x")],
        )
        .await;
    assert_eq!(res.status(), 404);
}

#[tokio::test]
async fn the_pages_speak_plain_dutch_with_one_word_for_the_case_manager() {
    // What users read comes from the templates and the web layer's texts.
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    let mut dirs = vec![
        root.join("templates"),
        root.join("src/web"),
        root.join("src/domain"),
    ];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else {
                files.push(path);
            }
        }
    }
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        for jargon in [
            "Download als",
            "het log ",
            "het log.",
            "casusregisseur",
            "Casusregisseur",
            "case manager",
            "data-label=\"Adres\"",
        ] {
            // Comments in English may say "case manager"; only Dutch text shown to users counts.
            let shown = text
                .lines()
                .filter(|l| !l.trim_start().starts_with("//"))
                .any(|l| l.contains(jargon));
            assert!(!shown, "{} says {jargon:?}", file.display());
        }
    }
}
