//! Rules of DOMAIN.md that had no test of their own until RULES.md indexed them: each test is
//! named after the rule it shows, through the real pages.

use meldcode::domain::ids::DossierId;
use meldcode::domain::role::Role;

use crate::common::*;

struct School {
    app: TestApp,
    org: Org,
    juf: reqwest::Client,
    af: reqwest::Client,
}

async fn school() -> School {
    let app = spawn_app().await;
    let org = app.seed_org().await;
    app.add_teacher(&org, "juf@a.nl").await;
    app.add_user(
        &org,
        "af@a.nl",
        &[(Role::Aandachtsfunctionaris, org.school_a)],
    )
    .await;
    let (juf, af) = (client(), client());
    assert_eq!(
        app.login_with(&juf, "juf@a.nl", PASSWORD).await.status(),
        303
    );
    assert_eq!(app.login_with(&af, "af@a.nl", PASSWORD).await.status(), 303);
    School { app, org, juf, af }
}

impl School {
    async fn page(&self, c: &reqwest::Client, path: &str) -> String {
        let res = self.app.get_with(c, path).await;
        assert_eq!(res.status(), 200, "{path}");
        res.text().await.unwrap()
    }

    async fn record(&self, c: &reqwest::Client, id: DossierId, fields: &[(&str, &str)]) -> u16 {
        self.app
            .post_with(c, &format!("/dossiers/{id}/aantekening"), fields)
            .await
            .status()
            .as_u16()
    }
}

/// The hint on the dossier page that names the steps not yet gone through before a decision to
/// report; empty when there is none.
fn missing_steps_hint(page: &str) -> &str {
    const HINT: &str = "Nog niet doorlopen vóór een besluit over melden:";
    page.find(HINT)
        .map(|start| {
            let rest = &page[start..];
            &rest[..rest.find("</p>").unwrap_or(rest.len())]
        })
        .unwrap_or("")
}

#[tokio::test]
async fn a_dossier_can_carry_several_forms_of_violence() {
    let s = school().await;
    let school = s.org.school_a.to_string();
    let res = s
        .app
        .post_with(
            &s.juf,
            "/dossiers/nieuw",
            &[
                ("school", &school),
                ("naam", "Kind Twee Vormen"),
                ("geboortedatum", "2016-04-01"),
                ("medewerker", "nee"),
                ("vormen", "lichamelijk"),
                ("vormen", "verwaarlozing"),
                ("aard", "feit"),
                (
                    "waarneming",
                    "Blauwe plekken en steeds zonder eten naar school.",
                ),
                ("bron", "eigen"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    let page = s.page(&s.juf, &location(&res)).await;
    assert!(page.contains("Lichamelijk geweld of mishandeling"));
    assert!(page.contains("Verwaarlozing (lichamelijk of emotioneel)"));
}

#[tokio::test]
async fn steps_may_be_taken_in_any_order_and_again_and_the_dossier_shows_what_is_missing() {
    let s = school().await;
    let id = open_dossier_at(&s.app, &s.juf, s.org.school_a, "Kind Volgorde", "psychisch").await;
    let today = today(&s.app);
    // Step 4 before steps 2 and 3: allowed.
    let weighing = [
        ("soort", "weging"),
        ("risico", "r"),
        ("aard", "a"),
        ("ernst", "e"),
        ("vraag1", "ja"),
        ("vraag1_toelichting", "t"),
        ("vraag2", "nee"),
        ("vraag2_toelichting", "t"),
    ];
    assert_eq!(s.record(&s.juf, id, &weighing).await, 303);
    let page = s.page(&s.juf, &format!("/dossiers/{id}")).await;
    let hint = missing_steps_hint(&page);
    assert!(hint.contains("Collegiale consultatie"), "{hint}");
    assert!(hint.contains("Gesprek met leerling"), "{hint}");
    assert!(!hint.contains("Wegen"), "{hint}");

    // Step 2 twice: a step may be taken more than once.
    for advice in ["Eerst afwachten.", "Nu met de ouders praten."] {
        let consultation = [
            ("soort", "consultatie"),
            ("met", "aandachtsfunctionaris"),
            ("naam", "af@a.nl"),
            ("datum", today.as_str()),
            ("vraag", "Wat doe ik nu?"),
            ("advies", advice),
        ];
        assert_eq!(s.record(&s.juf, id, &consultation).await, 303, "{advice}");
    }
    let page = s.page(&s.juf, &format!("/dossiers/{id}")).await;
    assert!(page.contains("Eerst afwachten.") && page.contains("Nu met de ouders praten."));
    let hint = missing_steps_hint(&page);
    assert!(!hint.contains("Collegiale consultatie"), "{hint}");
    assert!(hint.contains("Gesprek met leerling"), "{hint}");

    // And the weighing again, after the conversation.
    let conversation = [
        ("soort", "gesprek"),
        ("met", "ouders"),
        ("datum", today.as_str()),
        ("doel", "d"),
        ("feiten", "f"),
        ("reactie", "r"),
    ];
    assert_eq!(s.record(&s.juf, id, &conversation).await, 303);
    assert_eq!(s.record(&s.juf, id, &weighing).await, 303);
    let page = s.page(&s.juf, &format!("/dossiers/{id}")).await;
    assert_eq!(missing_steps_hint(&page), "", "all steps gone through");
}

#[tokio::test]
async fn female_genital_mutilation_asks_for_specific_expertise_until_step_2_names_it() {
    let s = school().await;
    let id = open_dossier_at(
        &s.app,
        &s.juf,
        s.org.school_a,
        "Kind Deskundigheid",
        "meisjesbesnijdenis",
    )
    .await;
    let callout = "specifieke deskundigheid nodig";
    assert!(
        s.page(&s.juf, &format!("/dossiers/{id}"))
            .await
            .contains(callout)
    );
    let step2 = s.page(&s.juf, &format!("/dossiers/{id}/stap/2")).await;
    assert!(step2.contains(r#"name="deskundige""#), "the field is asked");
    let step3 = s.page(&s.juf, &format!("/dossiers/{id}/stap/3")).await;
    assert!(step3.contains("Verklaring tegen meisjesbesnijdenis"));
    let today = today(&s.app);
    let consultation = [
        ("soort", "consultatie"),
        ("met", "collega"),
        ("naam", "Mw. Bakker"),
        ("datum", today.as_str()),
        ("vraag", "Hoe ga ik het gesprek aan?"),
        ("advies", "Gebruik de verklaring."),
        (
            "deskundige",
            "Mw. Bakker, GGD, aandachtsfunctionaris meisjesbesnijdenis",
        ),
    ];
    assert_eq!(s.record(&s.juf, id, &consultation).await, 303);
    assert!(
        !s.page(&s.juf, &format!("/dossiers/{id}"))
            .await
            .contains(callout)
    );
    // Other forms do not ask for it.
    let other = open_dossier_at(&s.app, &s.juf, s.org.school_a, "Kind Anders", "psychisch").await;
    assert!(
        !s.page(&s.juf, &format!("/dossiers/{other}"))
            .await
            .contains(callout)
    );
    let step2 = s.page(&s.juf, &format!("/dossiers/{other}/stap/2")).await;
    assert!(!step2.contains(r#"name="deskundige""#));
}

#[tokio::test]
async fn the_current_numbers_are_shown_and_never_the_obsolete_0900_numbers() {
    let s = school().await;
    for c in [&s.juf, &client()] {
        let page = s.page(c, "/nood").await;
        for number in ["0800-2000", "112", "0900-111 3111"] {
            assert!(page.contains(number), "{number}");
        }
        // The customer's 2017 text still names the Steunpunt Huiselijk Geweld and the AMK.
        for obsolete in [
            "0900 126 26 26",
            "0900-1262626",
            "0900 123 123 0",
            "0900-1231230",
        ] {
            assert!(!page.contains(obsolete), "{obsolete}");
        }
    }
}

#[tokio::test]
async fn the_retention_period_the_organisation_sets_is_the_one_enforced() {
    let s = school().await;
    s.app
        .add_user(&s.org, "beheer@a.nl", &[(Role::Beheerder, s.org.school_a)])
        .await;
    let id = open_dossier_at(&s.app, &s.juf, s.org.school_a, "Kind Bewaren", "psychisch").await;
    let close = [
        ("soort", "gesloten"),
        ("bevestigd", "ja"),
        ("reden", "leerling_vertrokken"),
        ("toelichting", "Het gezin is verhuisd."),
    ];
    assert_eq!(s.record(&s.af, id, &close).await, 303);
    s.app.clock.advance(400 * 24 * 3600);
    let listed = |app: &TestApp| {
        let (db, clock) = (app.db.clone(), app.clock.clone());
        async move {
            meldcode::jobs::purge(&db, &clock, true)
                .await
                .unwrap()
                .into_iter()
                .map(|c| c.id)
                .collect::<Vec<_>>()
        }
    };
    assert!(
        listed(&s.app).await.is_empty(),
        "within the default period of five years"
    );
    let beheer = client();
    s.app.login_with(&beheer, "beheer@a.nl", PASSWORD).await;
    let res = s
        .app
        .post_with(
            &beheer,
            "/beheer/organisatie",
            &[
                ("veilig_thuis", "0800-2000"),
                ("nood", "112"),
                ("inspectie", "0900-111 3111"),
                ("training", "24"),
                ("bewaren", "1"),
                ("stil", "14"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    assert_eq!(
        listed(&s.app).await,
        vec![id],
        "after the organisation's one year"
    );
}
