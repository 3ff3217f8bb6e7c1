//! What the organisation must see to (meldcode section IV.b), beyond training and experts: how it
//! supports staff held to account for applying the meldcode, and its own number of quiet days.

use meldcode::domain::role::Role;

use crate::common::*;

const ARRANGEMENT: &str = "De directeur neemt het gesprek met de ouders van u over.\n\nBij een klacht of rechtszaak betaalt de stichting juridisch advies.";

async fn text(app: &TestApp, c: &reqwest::Client, path: &str) -> (u16, String) {
    let res = app.get_with(c, path).await;
    (res.status().as_u16(), res.text().await.unwrap())
}

/// The beheerder's settings form, with the numbers as they were and these fields changed.
async fn save_settings(
    app: &TestApp,
    c: &reqwest::Client,
    changed: &[(&str, &str)],
) -> reqwest::Response {
    let mut fields = vec![
        ("veilig_thuis", "0800-2000"),
        ("nood", "112"),
        ("inspectie", "0900-111 3111"),
        ("training", "24"),
        ("bewaren", "5"),
        ("stil", "14"),
    ];
    for (k, v) in changed {
        fields.retain(|(key, _)| key != k);
        fields.push((k, v));
    }
    app.post_with(c, "/beheer/organisatie", &fields).await
}

async fn support_columns(app: &TestApp) -> (String, String, String, i64) {
    sqlx::query_as(
        "SELECT support_text, support_contact_name, support_contact, quiet_days FROM organisations",
    )
    .fetch_one(app.db.pool_for_tests())
    .await
    .unwrap()
}

#[tokio::test]
async fn the_beheerder_records_how_staff_are_supported_with_bad_input_kept_and_audited() {
    let app = spawn_app().await;
    let org = app.seed_org().await;
    app.add_user(&org, "beheer@a.nl", &[(Role::Beheerder, org.school_a)])
        .await;
    app.login("beheer@a.nl").await;
    let (status, page) = text(&app, &app.client, "/beheer/organisatie").await;
    assert_eq!(status, 200);
    assert!(page.contains("Ondersteuning van medewerkers die worden aangesproken"));
    assert!(page.contains(r#"name="stil" type="text" value="14""#));

    // A text without a contact, and a contact that is neither a number nor an address.
    let res = save_settings(
        &app,
        &app.client,
        &[
            ("ondersteuning", ARRANGEMENT),
            ("ondersteuning_naam", ""),
            ("ondersteuning_contact", "bel Els maar"),
        ],
    )
    .await;
    assert_eq!(res.status(), 422);
    let page = res.text().await.unwrap();
    assert!(page.contains("Vul de naam van de contactpersoon in."));
    assert!(
        page.contains(
            "Vul een telefoonnummer (cijfers, spaties, streepjes) of een e-mailadres in."
        )
    );
    assert!(page.contains("De directeur neemt het gesprek met de ouders van u over."));
    assert!(page.contains(r#"value="bel Els maar""#));
    assert!(page.contains(r#"aria-invalid="true""#));
    assert_eq!(support_columns(&app).await.0, "", "nothing saved");

    let res = save_settings(
        &app,
        &app.client,
        &[
            ("ondersteuning", ARRANGEMENT),
            ("ondersteuning_naam", "Els de Vries"),
            ("ondersteuning_contact", "0548-123 456"),
        ],
    )
    .await;
    assert_eq!(res.status(), 303);
    let (text_saved, name, contact, _) = support_columns(&app).await;
    assert_eq!(text_saved, ARRANGEMENT);
    assert_eq!(
        (name.as_str(), contact.as_str()),
        ("Els de Vries", "0548-123 456")
    );
    let (_, page) = text(&app, &app.client, "/beheer/organisatie").await;
    assert!(page.contains(r#"value="Els de Vries""#));
    let (audited,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM audit_log WHERE event = 'numbers_changed' AND subject = 'organisation'",
    )
    .fetch_one(app.db.pool_for_tests())
    .await
    .unwrap();
    assert_eq!(audited, 1, "the change is audited like the numbers");

    // Emptying all three fields takes the arrangement away again.
    let res = save_settings(
        &app,
        &app.client,
        &[
            ("ondersteuning", " "),
            ("ondersteuning_naam", ""),
            ("ondersteuning_contact", ""),
        ],
    )
    .await;
    assert_eq!(res.status(), 303);
    assert_eq!(support_columns(&app).await.0, "");
}

#[tokio::test]
async fn a_teacher_reads_the_support_arrangement_beside_the_meldcode_and_the_board_sees_it_in_the_annual_evaluation()
 {
    let app = spawn_app().await;
    let org = app.seed_org().await;
    app.add_user(&org, "beheer@a.nl", &[(Role::Beheerder, org.school_a)])
        .await;
    app.add_user(&org, "juf@a.nl", &[(Role::Beroepskracht, org.school_a)])
        .await;
    app.add_user(&org, "dir@a.nl", &[(Role::Directie, org.school_a)])
        .await;
    let juf = client();
    app.login_with(&juf, "juf@a.nl", PASSWORD).await;
    let dir = client();
    app.login_with(&dir, "dir@a.nl", PASSWORD).await;

    // Not recorded yet: the meldcode page says nothing of it, the evaluation says it is missing.
    let (status, page) = text(&app, &juf, "/meldcode").await;
    assert_eq!(status, 200);
    assert!(!page.contains("Als u wordt aangesproken"));
    let (status, page) = text(&app, &dir, "/evaluatie/jaar").await;
    assert_eq!(status, 200);
    assert!(page.contains("Ondersteuning van medewerkers die worden aangesproken"));
    assert!(page.contains("Er is nog geen afspraak vastgelegd"));

    app.login("beheer@a.nl").await;
    let res = save_settings(
        &app,
        &app.client,
        &[
            ("ondersteuning", ARRANGEMENT),
            ("ondersteuning_naam", "Els de Vries"),
            ("ondersteuning_contact", "Vertrouwen@Stichting.nl"),
        ],
    )
    .await;
    assert_eq!(res.status(), 303);

    let (_, page) = text(&app, &juf, "/meldcode").await;
    assert!(page.contains("Als u wordt aangesproken op hoe u de meldcode toepaste"));
    assert!(page.contains("<p>De directeur neemt het gesprek met de ouders van u over.</p>"));
    assert!(
        page.contains("<p>Bij een klacht of rechtszaak betaalt de stichting juridisch advies.</p>")
    );
    assert!(page.contains("Els de Vries"));
    assert!(page.contains(r#"href="mailto:vertrouwen@stichting.nl""#));

    let (_, page) = text(&app, &dir, "/evaluatie/jaar").await;
    assert!(!page.contains("Er is nog geen afspraak vastgelegd"));
    assert!(page.contains("Bij een klacht of rechtszaak betaalt de stichting juridisch advies."));
    assert!(page.contains("Contactpersoon: Els de Vries, vertrouwen@stichting.nl."));
}

#[tokio::test]
async fn only_the_beheerder_changes_the_support_arrangement_and_the_quiet_days() {
    let app = spawn_app().await;
    let org = app.seed_org().await;
    for (email, role) in [
        ("juf@a.nl", Role::Beroepskracht),
        ("af@a.nl", Role::Aandachtsfunctionaris),
        ("dir@a.nl", Role::Directie),
    ] {
        app.add_user(&org, email, &[(role, org.school_a)]).await;
        let c = client();
        app.login_with(&c, email, PASSWORD).await;
        let res = save_settings(
            &app,
            &c,
            &[
                ("ondersteuning", "Stiekem"),
                ("ondersteuning_naam", "Iemand"),
                ("ondersteuning_contact", "0548-123456"),
                ("stil", "3"),
            ],
        )
        .await;
        assert_eq!(res.status(), 403, "{email}");
    }
    assert_eq!(
        support_columns(&app).await,
        (String::new(), String::new(), String::new(), 14)
    );
}

#[tokio::test]
async fn a_dossier_is_quiet_after_the_organisations_own_number_of_days() {
    let app = spawn_app().await;
    let org = app.seed_org().await;
    app.add_user(&org, "beheer@a.nl", &[(Role::Beheerder, org.school_a)])
        .await;
    app.add_user(&org, "juf@a.nl", &[(Role::Beroepskracht, org.school_a)])
        .await;
    app.add_user(
        &org,
        "af@a.nl",
        &[(Role::Aandachtsfunctionaris, org.school_a)],
    )
    .await;
    let beheer = client();
    app.login_with(&beheer, "beheer@a.nl", PASSWORD).await;
    for wrong in ["2", "91", "veertien"] {
        let res = save_settings(&app, &beheer, &[("stil", wrong)]).await;
        assert_eq!(res.status(), 422, "{wrong}");
        let page = res.text().await.unwrap();
        assert!(page.contains("Vul een aantal dagen in, van 3 tot en met 90."));
        assert!(page.contains(&format!(r#"value="{wrong}""#)));
    }
    assert_eq!(support_columns(&app).await.3, 14);
    let res = save_settings(&app, &beheer, &[("stil", "5")]).await;
    assert_eq!(res.status(), 303);
    assert_eq!(support_columns(&app).await.3, 5);

    app.login("juf@a.nl").await;
    open_dossier_at(&app, &app.client, org.school_a, "Stil Kind", "psychisch").await;
    let af = client();
    app.login_with(&af, "af@a.nl", PASSWORD).await;
    let (_, page) = text(&app, &af, "/werkruimte").await;
    assert!(page.contains("Stil Kind"));
    assert!(!page.contains("Geen aantekening in"), "not quiet yet");
    assert_eq!(app.state.jobs().remind_overdue().await.unwrap(), 0);

    // Six days on: quiet after the organisation's 5 days, where the default would wait for 14.
    app.clock.advance(6 * 24 * 3600);
    app.login_with(&af, "af@a.nl", PASSWORD).await;
    let (_, page) = text(&app, &af, "/werkruimte?alleen=achterstallig").await;
    assert!(page.contains("Stil Kind"));
    assert!(page.contains("Geen aantekening in 5 dagen"));
    // The hourly reminder agrees with the workspace.
    assert_eq!(app.state.jobs().remind_overdue().await.unwrap(), 1);
}
