//! What the organisation must see to: the meldcode read by everyone, training, experts, and the
//! yearly evaluation.

use meldcode::domain::role::Role;

use crate::common::*;

async fn text(app: &TestApp, c: &reqwest::Client, path: &str) -> (u16, String) {
    let res = app.get_with(c, path).await;
    (res.status().as_u16(), res.text().await.unwrap())
}

#[tokio::test]
async fn every_user_is_asked_to_read_each_new_version_of_the_meldcode_and_directie_sees_who_has_not()
 {
    let app = spawn_app().await;
    let org = app.seed_org().await;
    app.add_user(&org, "beheer@a.nl", &[(Role::Beheerder, org.school_a)])
        .await;
    app.add_user(&org, "juf@a.nl", &[(Role::Beroepskracht, org.school_a)])
        .await;
    app.add_user(&org, "dir@a.nl", &[(Role::Directie, org.school_a)])
        .await;
    let (beheer, juf, dir) = (client(), client(), client());
    for (c, e) in [
        (&beheer, "beheer@a.nl"),
        (&juf, "juf@a.nl"),
        (&dir, "dir@a.nl"),
    ] {
        app.login_with(c, e, PASSWORD).await;
    }
    let res = app
        .post_with(
            &beheer,
            "/beheer/meldcode",
            &[("tekst", "Onze meldcode.\n\nStap 1: signalen.")],
        )
        .await;
    assert_eq!(res.status(), 303);

    let (_, start) = text(&app, &juf, "/start").await;
    assert!(start.contains("nieuwe) versie van de meldcode"));
    let (_, org_page) = text(&app, &dir, "/organisatie").await;
    assert!(
        org_page.contains("juf@a.nl"),
        "directie sees who has not read it"
    );
    let (_, page) = text(&app, &juf, "/meldcode").await;
    assert!(page.contains("Stap 1: signalen."));
    let version = page
        .split(r#"name="versie" value=""#)
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_string();
    let res = app
        .post_with(&juf, "/meldcode/gelezen", &[("versie", &version)])
        .await;
    assert_eq!(location(&res), "/meldcode?melding=gelezen");
    let (_, start) = text(&app, &juf, "/start").await;
    assert!(!start.contains("versie van de meldcode"));
    let (_, org_page) = text(&app, &dir, "/organisatie").await;
    let read_section = org_page
        .split("id=\"gelezen\"")
        .nth(1)
        .unwrap()
        .split("</section>")
        .next()
        .unwrap();
    assert!(!read_section.contains("juf@a.nl"));

    // A new version asks everyone again.
    app.post_with(&beheer, "/beheer/meldcode", &[("tekst", "Versie twee.")])
        .await;
    let (_, start) = text(&app, &juf, "/start").await;
    assert!(start.contains("versie van de meldcode"));
    // An empty text is refused, with a Dutch message.
    let res = app
        .post_with(&beheer, "/beheer/meldcode", &[("tekst", "   ")])
        .await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.unwrap().contains("De tekst is leeg."));
    assert_eq!(app.get_with(&juf, "/beheer/meldcode").await.status(), 403);
}

#[tokio::test]
async fn directie_records_training_and_sees_who_is_due() {
    let app = spawn_app().await;
    let org = app.seed_org().await;
    let juf = app
        .add_user(&org, "juf@a.nl", &[(Role::Beroepskracht, org.school_a)])
        .await;
    let other = app
        .add_user(&org, "juf@b.nl", &[(Role::Beroepskracht, org.school_b)])
        .await;
    app.add_user(&org, "dir@a.nl", &[(Role::Directie, org.school_a)])
        .await;
    app.login("dir@a.nl").await;
    let (_, page) = text(&app, &app.client, "/organisatie").await;
    assert!(page.contains("toe aan training"), "never trained: due");
    assert!(
        !page.contains("juf@b.nl"),
        "another school's staff is not listed"
    );

    let res = app
        .post(
            "/organisatie/training",
            &[
                ("gebruiker", &juf.to_string()),
                ("titel", "Teamtraining meldcode"),
                ("datum", "2099-01-01"),
            ],
        )
        .await;
    assert_eq!(res.status(), 422);
    let body = res.text().await.unwrap();
    assert!(body.contains("in de toekomst"));
    assert!(
        body.contains(r#"value="Teamtraining meldcode""#),
        "the typed text is kept"
    );
    let res = app
        .post(
            "/organisatie/training",
            &[
                ("gebruiker", &other.to_string()),
                ("titel", "x"),
                ("datum", "2026-01-01"),
            ],
        )
        .await;
    assert_eq!(res.status(), 422, "not someone of another school");

    let today = meldcode::web::format::today_nl(app.clock.unix()).to_string();
    let res = app
        .post(
            "/organisatie/training",
            &[
                ("gebruiker", &juf.to_string()),
                ("titel", "Teamtraining meldcode"),
                ("datum", &today),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    let (_, page) = text(&app, &app.client, "/organisatie").await;
    assert!(page.contains("Teamtraining meldcode"));
    assert!(page.contains("op tijd"));
}

#[tokio::test]
async fn the_school_experts_are_named_where_step_2_refers_to_them() {
    let app = spawn_app().await;
    let org = app.seed_org().await;
    app.add_user(&org, "juf@a.nl", &[(Role::Beroepskracht, org.school_a)])
        .await;
    app.add_user(
        &org,
        "ahmed@a.nl",
        &[(Role::Aandachtsfunctionaris, org.school_a)],
    )
    .await;
    app.login("juf@a.nl").await;
    let school = org.school_a.to_string();
    let res = app
        .post(
            "/dossiers/nieuw",
            &[
                ("leerling", "nieuw"),
                ("school", &school),
                ("naam", "Kind"),
                ("geboortedatum", "2016-04-01"),
                ("medewerker", "nee"),
                ("vormen", "psychisch"),
                ("aard", "feit"),
                ("waarneming", "w"),
                ("bron", "eigen"),
            ],
        )
        .await;
    let id = location(&res)
        .trim_start_matches("/dossiers/")
        .split('?')
        .next()
        .unwrap()
        .to_string();
    let (_, step2) = text(&app, &app.client, &format!("/dossiers/{id}/stap/2")).await;
    assert!(step2.contains("Aandachtsfunctionaris van De Regenboog: <strong>ahmed@a.nl</strong>"));
}

#[tokio::test]
async fn the_board_gets_a_yearly_evaluation_kept_per_schooljaar() {
    let app = spawn_app().await;
    let org = app.seed_org().await;
    app.add_user(&org, "dir@a.nl", &[(Role::Directie, org.school_a)])
        .await;
    app.add_user(&org, "juf@a.nl", &[(Role::Beroepskracht, org.school_a)])
        .await;
    app.login("dir@a.nl").await;
    let (status, page) = text(&app, &app.client, "/evaluatie/jaar").await;
    assert_eq!(status, 200);
    assert!(page.contains("Gebruik in cijfers"));
    assert!(page.contains("Training"));
    let year =
        meldcode::domain::period::schooljaar_of(meldcode::web::format::today_nl(app.clock.unix()))
            .to_string();
    let label = format!("{year}-{}", year.parse::<i32>().unwrap() + 1);
    assert!(
        page.contains(&format!("Jaarevaluatie meldcode, schooljaar {label}")),
        "the evaluation is per schooljaar, 1 August to 31 July"
    );
    let res = app
        .post(
            "/evaluatie/jaar",
            &[
                ("jaar", &year),
                ("evaluatie", ""),
                ("acties", "Meer training"),
            ],
        )
        .await;
    assert_eq!(res.status(), 422);
    assert!(
        res.text().await.unwrap().contains("Meer training"),
        "the typed text is kept"
    );
    let res = app
        .post(
            "/evaluatie/jaar",
            &[
                ("jaar", &year),
                ("evaluatie", "Goed jaar, meldcode goed gebruikt."),
                ("acties", "Meer training"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    let (_, page) = text(&app, &app.client, &format!("/evaluatie/jaar?jaar={year}")).await;
    assert!(page.contains("Goed jaar, meldcode goed gebruikt."));
    let last = (year.parse::<i32>().unwrap() - 1).to_string();
    let (_, page) = text(&app, &app.client, &format!("/evaluatie/jaar?jaar={last}")).await;
    assert!(
        !page.contains("Goed jaar"),
        "each schooljaar has its own evaluation"
    );

    let juf = client();
    app.login_with(&juf, "juf@a.nl", PASSWORD).await;
    assert_eq!(app.get_with(&juf, "/evaluatie/jaar").await.status(), 403);
    assert_eq!(app.get_with(&juf, "/organisatie").await.status(), 403);
}

#[tokio::test]
async fn the_veilig_thuis_region_shows_on_every_page() {
    let app = spawn_app().await;
    let org = app.seed_org().await;
    app.add_user(&org, "beheer@a.nl", &[(Role::Beheerder, org.school_a)])
        .await;
    app.login("beheer@a.nl").await;
    let res = app
        .post(
            "/beheer/organisatie",
            &[
                ("veilig_thuis", "0800-2000"),
                ("regio", "Twente"),
                ("nood", "112"),
                ("inspectie", "0900-111 3111"),
                ("training", "24"),
                ("bewaren", "5"),
                ("stil", "14"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    let (_, page) = text(&app, &client(), "/login").await;
    assert!(page.contains("Veilig Thuis Twente"));
}

#[tokio::test]
async fn a_training_date_before_1990_is_refused_with_the_text_kept() {
    let app = spawn_app().await;
    let org = app.seed_org().await;
    let juf = app
        .add_user(&org, "juf@a.nl", &[(Role::Beroepskracht, org.school_a)])
        .await;
    app.add_user(&org, "dir@a.nl", &[(Role::Directie, org.school_a)])
        .await;
    app.login("dir@a.nl").await;
    for date in ["1900-01-01", "-0001-01-01"] {
        let res = app
            .post(
                "/organisatie/training",
                &[
                    ("gebruiker", &juf.to_string()),
                    ("titel", "Teamtraining meldcode"),
                    ("datum", date),
                ],
            )
            .await;
        assert_eq!(res.status(), 422, "{date}");
        let body = res.text().await.unwrap();
        assert!(body.contains(r#"value="Teamtraining meldcode""#), "{date}");
        assert!(
            body.contains("Kies een datum tussen 1 januari 1990 en 31 december 2100.")
                || body.contains("Vul de datum van de training in."),
            "{date}"
        );
    }
}

#[tokio::test]
async fn the_meldcode_text_can_be_previewed_and_a_kleine_correctie_asks_nobody_to_confirm_again() {
    let app = spawn_app().await;
    let org = app.seed_org().await;
    app.add_user(&org, "beheer@a.nl", &[(Role::Beheerder, org.school_a)])
        .await;
    app.add_user(&org, "juf@a.nl", &[(Role::Beroepskracht, org.school_a)])
        .await;
    app.add_user(&org, "meester@a.nl", &[(Role::Beroepskracht, org.school_a)])
        .await;
    app.add_user(&org, "dir@a.nl", &[(Role::Directie, org.school_a)])
        .await;
    let (beheer, juf, meester, dir) = (client(), client(), client(), client());
    for (c, e) in [
        (&beheer, "beheer@a.nl"),
        (&juf, "juf@a.nl"),
        (&meester, "meester@a.nl"),
        (&dir, "dir@a.nl"),
    ] {
        app.login_with(c, e, PASSWORD).await;
    }

    // A preview shows the text as users will read it, publishes nothing and keeps the text.
    let res = app
        .post_with(
            &beheer,
            "/beheer/meldcode",
            &[
                ("tekst", "Bel Veilig Thuis: 0800-2001.\n\nStap 1: signalen."),
                ("actie", "voorbeeld"),
            ],
        )
        .await;
    assert_eq!(res.status(), 200);
    let page = res.text().await.unwrap();
    assert!(page.contains("Voorbeeld: zo leest iedereen de meldcode"));
    assert!(page.contains("<p>Bel Veilig Thuis: 0800-2001.</p>"));
    assert!(page.contains(">Bel Veilig Thuis: 0800-2001.\n\nStap 1: signalen.</textarea>"));
    let (_, start) = text(&app, &juf, "/start").await;
    assert!(
        !start.contains("versie van de meldcode"),
        "nothing published"
    );
    // The first text has nothing to correct: the choice is not offered yet.
    assert!(!page.contains("Een kleine correctie"));

    let res = app
        .post_with(
            &beheer,
            "/beheer/meldcode",
            &[
                ("tekst", "Bel Veilig Thuis: 0800-2001.\n\nStap 1: signalen."),
                ("actie", "publiceren"),
            ],
        )
        .await;
    assert_eq!(location(&res), "/beheer/meldcode?melding=gepubliceerd");
    // The teacher confirms version 1; the other teacher does not yet.
    let (_, page) = text(&app, &juf, "/meldcode").await;
    let version = page
        .split(r#"name="versie" value=""#)
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_string();
    app.post_with(&juf, "/meldcode/gelezen", &[("versie", &version)])
        .await;

    // A typing error in the phone number: a kleine correctie.
    let (_, edit) = text(&app, &beheer, "/beheer/meldcode").await;
    assert!(edit.contains("Een kleine correctie"));
    let res = app
        .post_with(
            &beheer,
            "/beheer/meldcode",
            &[
                ("tekst", "Bel Veilig Thuis: 0800-2000.\n\nStap 1: signalen."),
                ("soort", "correctie"),
                ("actie", "publiceren"),
            ],
        )
        .await;
    assert_eq!(location(&res), "/beheer/meldcode?melding=gecorrigeerd");
    let (_, edit) = text(&app, &beheer, &location(&res)).await;
    assert!(edit.contains("De kleine correctie is gepubliceerd."));

    // Who confirmed version 1 is not asked again, and reads the corrected text.
    let (_, start) = text(&app, &juf, "/start").await;
    assert!(!start.contains("versie van de meldcode"));
    let (_, page) = text(&app, &juf, "/meldcode").await;
    assert!(page.contains("0800-2000"));
    assert!(page.contains("een kleine correctie van de versie ervoor"));
    assert!(page.contains("U heeft deze versie gelezen."));
    // Who had not confirmed is still asked, and confirming the correction counts.
    let (_, start) = text(&app, &meester, "/start").await;
    assert!(start.contains("versie van de meldcode"));
    let (_, org_page) = text(&app, &dir, "/organisatie").await;
    let read_section = org_page
        .split("id=\"gelezen\"")
        .nth(1)
        .unwrap()
        .split("</section>")
        .next()
        .unwrap();
    assert!(read_section.contains("meester@a.nl"));
    assert!(!read_section.contains("juf@a.nl"));
    let (_, page) = text(&app, &meester, "/meldcode").await;
    let version = page
        .split(r#"name="versie" value=""#)
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_string();
    app.post_with(&meester, "/meldcode/gelezen", &[("versie", &version)])
        .await;
    let (_, start) = text(&app, &meester, "/start").await;
    assert!(!start.contains("versie van de meldcode"));

    // A new version after the correction asks everyone again.
    app.post_with(
        &beheer,
        "/beheer/meldcode",
        &[("tekst", "Versie drie."), ("soort", "nieuw")],
    )
    .await;
    for c in [&juf, &meester] {
        let (_, start) = text(&app, c, "/start").await;
        assert!(start.contains("versie van de meldcode"));
    }
    let events: Vec<(String,)> = sqlx::query_as(
        "SELECT subject FROM audit_log WHERE event = 'meldcode_published' ORDER BY id",
    )
    .fetch_all(app.db.pool_for_tests())
    .await
    .unwrap();
    assert_eq!(
        events.into_iter().map(|(s,)| s).collect::<Vec<_>>(),
        vec!["versie 1", "versie 2 (kleine correctie)", "versie 3"]
    );
}
