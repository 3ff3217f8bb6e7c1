//! The law enforced, not only shown (issue 12): the meldnorm up to closing, and no contradictory
//! records. Each test names the rule; a refusal comes back as the same form (422) with the
//! user's text and a Dutch message, and the dossier is left as it was.

use meldcode::domain::ids::DossierId;
use std::time::Duration;

use meldcode::domain::role::Role;

use crate::common::*;

struct Setup {
    app: TestApp,
    org: Org,
    juf: reqwest::Client,
    af: reqwest::Client,
}

async fn setup() -> Setup {
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
    app.login_with(&juf, "juf@a.nl", PASSWORD).await;
    app.login_with(&af, "af@a.nl", PASSWORD).await;
    Setup { app, org, juf, af }
}

impl Setup {
    async fn open(&self, pupil: &str) -> DossierId {
        open_dossier_at(
            &self.app,
            &self.juf,
            self.org.school_a,
            pupil,
            "lichamelijk",
        )
        .await
    }

    async fn record(
        &self,
        c: &reqwest::Client,
        id: DossierId,
        fields: &[(&str, &str)],
    ) -> (u16, String) {
        let res = self
            .app
            .post_with(c, &format!("/dossiers/{id}/aantekening"), fields)
            .await;
        (res.status().as_u16(), res.text().await.unwrap())
    }

    async fn page(&self, c: &reqwest::Client, path: &str) -> String {
        self.app.get_with(c, path).await.text().await.unwrap()
    }

    async fn weigh(&self, id: DossierId, q1: &str, q2: &str) {
        let mut fields = vec![
            ("soort", "weging"),
            ("risico", "Risico gewogen"),
            ("aard", "Lichamelijk"),
            ("ernst", "Ernstig"),
            ("vraag1", q1),
            ("vraag1_toelichting", "Onderbouwing vraag 1"),
        ];
        if !q2.is_empty() {
            fields.extend([
                ("vraag2", q2),
                ("vraag2_toelichting", "Onderbouwing vraag 2"),
            ]);
        }
        let (status, body) = self.record(&self.af, id, &fields).await;
        assert_eq!(status, 303, "weighing recorded: {body}");
    }

    async fn report(&self, id: DossierId) -> u16 {
        let today = today(&self.app);
        self.record(
            &self.af,
            id,
            &[
                ("soort", "melding"),
                ("datum", &today),
                ("wijze", "telefoon"),
                ("contact", "Mw. Kok"),
                ("feiten", "De feiten."),
                ("afspraken", "School blijft het kind volgen."),
                ("ontbrekende_grond", "acuut"),
                ("ontbrekende_stappen", "Het kind durfde niet naar huis."),
            ],
        )
        .await
        .0
    }
}

const CLOSE_HELPED: [(&str, &str); 5] = [
    ("soort", "gesloten"),
    ("bevestigd", "ja"),
    ("reden", "hulp_geslaagd"),
    ("toelichting", "Mijn getypte toelichting bij het sluiten"),
    ("monitoring", "Mentor houdt wekelijks contact"),
];

#[tokio::test]
async fn meldnorm_doubt_about_unsafety_blocks_closing_as_help_succeeded_until_the_report() {
    let s = setup().await;
    let id = s.open("Twijfel Kind").await;
    s.weigh(id, "ja", "twijfel").await;

    let (status, body) = s.record(&s.af, id, &CLOSE_HELPED).await;
    assert_eq!(status, 422);
    assert!(body.contains("Melden bij Veilig Thuis is nodig"));
    assert!(
        body.contains("Mijn getypte toelichting bij het sluiten"),
        "the typed text is kept"
    );
    let dossier = s.page(&s.af, &format!("/dossiers/{id}")).await;
    assert!(dossier.contains("Melden nodig, nog niet gemeld"));
    assert!(!dossier.contains("Dossier gesloten"), "nothing was written");

    // Not "the pupil left" either: no closing reason stands in for the report.
    let left = [
        ("soort", "gesloten"),
        ("bevestigd", "ja"),
        ("reden", "leerling_vertrokken"),
        ("toelichting", "Verhuisd"),
    ];
    assert_eq!(s.record(&s.af, id, &left).await.0, 422);

    assert_eq!(s.report(id).await, 303);
    let dossier = s.page(&s.af, &format!("/dossiers/{id}")).await;
    assert!(!dossier.contains("Melden nodig, nog niet gemeld"));
    let handed_over = [
        ("soort", "gesloten"),
        ("bevestigd", "ja"),
        ("reden", "overdracht_na_melding"),
        ("toelichting", "Veilig Thuis heeft het overgenomen."),
    ];
    assert_eq!(s.record(&s.af, id, &handed_over).await.0, 303);
}

#[tokio::test]
async fn meldnorm_a_later_weighing_with_its_reasons_can_lift_the_duty() {
    let s = setup().await;
    let id = s.open("Herwogen Kind").await;
    s.weigh(id, "ja", "ja").await;
    assert_eq!(s.record(&s.af, id, &CLOSE_HELPED).await.0, 422);
    // A new weighing finds no unsafety after all; help is possible and accepted.
    s.weigh(id, "ja", "nee").await;
    let (status, body) = s
        .record(
            &s.af,
            id,
            &[
                ("soort", "besluit"),
                ("vraag2", "nee"),
                ("vraag2_toelichting", "Geen onveiligheid meer"),
                ("vraag3", "ja"),
                ("vraag3_toelichting", "IB regelt hulp"),
                ("vraag4", "ja"),
                ("vraag4_toelichting", "Ouders doen mee"),
            ],
        )
        .await;
    assert_eq!(status, 303, "{body}");
    assert_eq!(s.record(&s.af, id, &CLOSE_HELPED).await.0, 303);
}

#[tokio::test]
async fn meldnorm_the_workspace_puts_a_report_that_is_due_first_with_the_days_since_the_weighing() {
    let s = setup().await;
    let calm = s.open("Rustig Kind").await;
    let due = s.open("Melden Kind").await;
    s.weigh(due, "ja", "twijfel").await;
    // The calm one gets the latest entry, so by activity alone it would come first.
    s.weigh(calm, "ja", "nee").await;
    s.app.clock.advance(3 * 24 * 3600);
    let af = client();
    s.app.login_with(&af, "af@a.nl", PASSWORD).await;
    let page = s.page(&af, "/werkruimte").await;
    assert!(page.contains("Melden nodig, nog niet gemeld (3 dagen sinds de weging)"));
    let (first, second) = (
        page.find("Melden Kind").unwrap(),
        page.find("Rustig Kind").unwrap(),
    );
    assert!(first < second, "the report that is due comes first");

    let only = s.page(&af, "/werkruimte?alleen=achterstallig").await;
    assert!(only.contains("Melden Kind"));
}

#[tokio::test]
async fn questions_3_and_4_are_refused_when_question_2_calls_for_a_report() {
    let s = setup().await;
    let id = s.open("Besluit Kind").await;
    let (status, body) = s
        .record(
            &s.af,
            id,
            &[
                ("soort", "besluit"),
                ("vraag2", "twijfel"),
                ("vraag2_toelichting", "Mijn onderbouwing van de twijfel"),
                ("vraag3", "ja"),
                ("vraag3_toelichting", "t"),
            ],
        )
        .await;
    assert_eq!(status, 422);
    assert!(body.contains("Vraag 3 beantwoordt u alleen als melden niet nodig is"));
    assert!(body.contains("Mijn onderbouwing van de twijfel"));
}

#[tokio::test]
async fn a_report_with_steps_missing_chooses_a_lawful_ground() {
    let s = setup().await;
    let id = s.open("Grond Kind").await;
    let today = today(&s.app);
    let (status, body) = s
        .record(
            &s.juf,
            id,
            &[
                ("soort", "melding"),
                ("datum", &today),
                ("wijze", "online"),
                ("contact", "c"),
                ("feiten", "Mijn gemelde feiten"),
                ("afspraken", "a"),
                ("ontbrekende_stappen", "Geen tijd gehad"),
            ],
        )
        .await;
    assert_eq!(status, 422);
    assert!(body.contains("kies de reden"));
    assert!(body.contains("Acuut gevaar"), "the grounds are offered");
    assert!(body.contains("Mijn gemelde feiten"));
}

#[tokio::test]
async fn the_anonymity_ground_is_only_stored_when_anonymity_is_asked_for() {
    let s = setup().await;
    let id = s.open("Open Melder Kind").await;
    let today = today(&s.app);
    let (status, _) = s
        .record(
            &s.af,
            id,
            &[
                ("soort", "melding"),
                ("datum", &today),
                ("wijze", "online"),
                ("contact", "c"),
                ("feiten", "f"),
                ("afspraken", "a"),
                ("anoniem_grond", "vertrouwensrelatie"),
                ("ontbrekende_grond", "acuut"),
                ("ontbrekende_stappen", "Nood"),
            ],
        )
        .await;
    assert_eq!(status, 303);
    let dossier = s.page(&s.af, &format!("/dossiers/{id}")).await;
    assert!(!dossier.contains("Grond voor anonimiteit"));
}

#[tokio::test]
async fn closing_as_unfounded_names_its_ground_and_reopening_asks_for_new_signals() {
    let s = setup().await;
    let id = s.open("Ongegrond Kind").await;
    let close = [
        ("soort", "gesloten"),
        ("bevestigd", "ja"),
        ("reden", "ongegrond"),
        ("toelichting", "Mijn uitleg: het was een val"),
    ];
    let (status, body) = s.record(&s.af, id, &close).await;
    assert_eq!(status, 422, "no weighing: the ground must be named");
    assert!(body.contains("Er is geen weging vastgelegd"));
    assert!(body.contains("Mijn uitleg: het was een val"));
    let mut by_conversation = close.to_vec();
    by_conversation.push(("grond", "gesprek"));
    let (status, body) = s.record(&s.af, id, &by_conversation).await;
    assert_eq!(status, 422, "the conversation is not on record");
    assert!(body.contains("Er is nog geen gesprek vastgelegd"));

    // After a weighing that finds no suspicion, closing as unfounded agrees with the record.
    s.weigh(id, "nee", "").await;
    assert_eq!(s.record(&s.af, id, &close).await.0, 303);

    let reopen = [("soort", "heropend"), ("reden", "Nieuwe zorgen")];
    let (status, body) = s.record(&s.af, id, &reopen).await;
    assert_eq!(status, 422);
    assert!(body.contains("Beschrijf de nieuwe signalen"));
    let mut with_signals = reopen.to_vec();
    with_signals.push(("nieuwe_signalen", "Opnieuw blauwe plekken"));
    assert_eq!(s.record(&s.af, id, &with_signals).await.0, 303);

    // A report now needs a new weighing first.
    assert_eq!(s.report(id).await, 422);
    s.weigh(id, "ja", "ja").await;
    assert_eq!(s.report(id).await, 303);
}

#[tokio::test]
async fn closing_as_unfounded_against_a_weighing_that_found_a_suspicion_is_refused() {
    let s = setup().await;
    let id = s.open("Tegenstrijdig Kind").await;
    s.weigh(id, "ja", "nee").await;
    let (status, body) = s
        .record(
            &s.af,
            id,
            &[
                ("soort", "gesloten"),
                ("bevestigd", "ja"),
                ("reden", "ongegrond"),
                ("toelichting", "Toch niets"),
                ("grond", "gesprek"),
            ],
        )
        .await;
    assert_eq!(status, 422);
    assert!(body.contains("Volgens de laatste weging is er wel een vermoeden"));
}

#[tokio::test]
async fn no_entry_is_dated_before_the_dossier_was_opened() {
    let s = setup().await;
    let id = s.open("Datum Kind").await;
    let (status, body) = s
        .record(
            &s.juf,
            id,
            &[
                ("soort", "consultatie"),
                ("met", "collega"),
                ("naam", "Meester Bas"),
                ("datum", "2026-01-05"),
                ("vraag", "Mijn vraag aan Bas"),
                ("advies", "Het advies"),
            ],
        )
        .await;
    assert_eq!(status, 422);
    assert!(body.contains("vóór de opening van het dossier"));
    assert!(body.contains("Mijn vraag aan Bas"));
}

#[tokio::test]
async fn a_help_plan_made_earlier_in_the_week_is_recorded_with_its_own_date() {
    let s = setup().await;
    let id = s.open("Plan Kind").await;
    // The plan was made on the day the dossier was opened; it is recorded three days later.
    let made = meldcode::web::format::today_nl(s.app.clock.unix());
    s.app.clock.advance(3 * 24 * 3600);
    let af = client();
    s.app.login_with(&af, "af@a.nl", PASSWORD).await;
    let today = meldcode::web::format::today_nl(s.app.clock.unix());
    let (made, review, past) = (
        made.to_string(),
        (today + time::Duration::days(7)).to_string(),
        (today - time::Duration::days(1)).to_string(),
    );
    let mut plan = [
        ("soort", "hulpplan"),
        ("datum", made.as_str()),
        ("hulp", "Mijn beschreven hulp"),
        ("rollen", "r"),
        ("casemanager", "c"),
        ("termijn", review.as_str()),
        ("evaluatiedatum", past.as_str()),
    ];
    let decision = [
        ("soort", "besluit"),
        ("vraag2", "nee"),
        ("vraag2_toelichting", "t"),
        ("vraag3", "ja"),
        ("vraag3_toelichting", "t"),
        ("vraag4", "ja"),
        ("vraag4_toelichting", "t"),
    ];
    assert_eq!(s.record(&af, id, &decision).await.0, 303);
    let (status, body) = s.record(&af, id, &plan).await;
    assert_eq!(status, 422, "a review date in the past");
    assert!(body.contains("Deze datum ligt in het verleden"));
    assert!(body.contains("Mijn beschreven hulp"));
    plan[6].1 = review.as_str();
    assert_eq!(s.record(&af, id, &plan).await.0, 303);
}

#[tokio::test]
async fn a_pupil_of_16_or_older_consents_before_the_parents_join_the_report_conversation() {
    let s = setup().await;
    let school = s.org.school_a.to_string();
    let res = s
        .app
        .post_with(
            &s.juf,
            "/dossiers/nieuw",
            &[
                ("leerling", "nieuw"),
                ("school", &school),
                ("naam", "Zestien Jaar"),
                ("geboortedatum", "2009-05-01"),
                ("medewerker", "nee"),
                ("vormen", "psychisch"),
                ("aard", "feit"),
                ("waarneming", "w"),
                ("bron", "eigen"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    let id: DossierId = location(&res)
        .trim_start_matches("/dossiers/")
        .split('?')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let today = today(&s.app);
    let mut talk = vec![
        ("soort", "meldgesprek"),
        ("met", "leerling_en_ouders"),
        ("datum", today.as_str()),
        ("uitleg", "Mijn uitleg over de melding"),
        ("reactie", "r"),
        ("besluit", "b"),
    ];
    let (status, body) = s.record(&s.juf, id, &talk).await;
    assert_eq!(status, 422);
    assert!(body.contains("of de leerling toestemming gaf"));
    assert!(body.contains("Mijn uitleg over de melding"));
    talk.push(("toestemming", "ja"));
    assert_eq!(s.record(&s.juf, id, &talk).await.0, 303);
}

/// Closing runs in a transaction that reads the dossier's history under a lock on its row: many
/// closings of one dossier at once end in exactly one, and none freezes.
#[tokio::test]
async fn many_closings_of_one_dossier_at_once_close_it_exactly_once() {
    let s = setup().await;
    let id = s.open("Gelijktijdig Kind").await;
    s.weigh(id, "nee", "").await;
    let n = 4 * std::thread::available_parallelism().map_or(2, usize::from);
    let close = [
        ("soort", "gesloten"),
        ("bevestigd", "ja"),
        ("reden", "ongegrond"),
        ("toelichting", "Geen vermoeden"),
    ];
    let url = s.app.url(&format!("/dossiers/{id}/aantekening"));
    let token = s.app.token_with(&s.af).await;
    let mut tries = tokio::task::JoinSet::new();
    for _ in 0..n {
        let (af, url, token) = (s.af.clone(), url.clone(), token.clone());
        tries.spawn(async move {
            let mut form: Vec<(&str, &str)> = close.to_vec();
            form.push(("_csrf", &token));
            let res = af.post(&url).form(&form).send().await.unwrap();
            res.status().as_u16()
        });
    }
    let statuses: Vec<u16> = tokio::time::timeout(Duration::from_secs(30), tries.join_all())
        .await
        .expect("no closing may hang");
    assert_eq!(
        statuses.iter().filter(|s| **s == 303).count(),
        1,
        "{statuses:?}"
    );
    assert!(
        statuses.iter().all(|s| *s == 303 || *s == 422 || *s == 403),
        "{statuses:?}"
    );
    let (closings,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM entries WHERE dossier_id = $1 AND kind = 'gesloten'")
            .bind(id)
            .fetch_one(s.app.db.pool_for_tests())
            .await
            .unwrap();
    assert_eq!(closings, 1);
}

/// Dossiers from before the meldnorm was kept beside them get it from their entries when the
/// database is migrated.
#[tokio::test]
async fn dossiers_from_before_the_meldnorm_was_kept_get_it_when_migrating() {
    let s = setup().await;
    let id = s.open("Oud Kind").await;
    s.weigh(id, "ja", "twijfel").await;
    sqlx::query("UPDATE dossiers SET report_due_since = NULL, standing_version = 0 WHERE id = $1")
        .bind(id)
        .execute(s.app.db.writer_for_tests())
        .await
        .unwrap();
    s.app.db.migrate().await.unwrap();
    let (since, version): (Option<i64>, i64) =
        sqlx::query_as("SELECT report_due_since, standing_version FROM dossiers WHERE id = $1")
            .bind(id)
            .fetch_one(s.app.db.pool_for_tests())
            .await
            .unwrap();
    assert!(since.is_some(), "the report that is due is found again");
    assert_eq!(version, 1);
}

#[tokio::test]
async fn a_report_after_all_steps_needs_the_conversation_about_it_first() {
    let s = setup().await;
    let id = s.open("Gesprek Kind").await;
    let today = today(&s.app);
    for step in [
        vec![
            ("soort", "consultatie"),
            ("met", "collega"),
            ("naam", "Meester Bas"),
            ("datum", today.as_str()),
            ("vraag", "v"),
            ("advies", "a"),
        ],
        vec![
            ("soort", "gesprek"),
            ("met", "ouders"),
            ("datum", today.as_str()),
            ("doel", "d"),
            ("feiten", "f"),
            ("reactie", "r"),
        ],
    ] {
        assert_eq!(s.record(&s.af, id, &step).await.0, 303);
    }
    s.weigh(id, "ja", "ja").await;
    let report = [
        ("soort", "melding"),
        ("datum", today.as_str()),
        ("wijze", "telefoon"),
        ("contact", "Mw. Kok"),
        ("feiten", "Mijn feiten voor Veilig Thuis"),
        ("afspraken", "a"),
    ];
    let (status, body) = s.record(&s.af, id, &report).await;
    assert_eq!(status, 422);
    assert!(body.contains("Voer eerst het gesprek over de melding"));
    assert!(body.contains("Mijn feiten voor Veilig Thuis"));
    let skipped = [
        ("soort", "meldgesprek_overgeslagen"),
        ("reden", "veiligheid"),
        ("toelichting", "Vader is gewelddadig."),
    ];
    assert_eq!(s.record(&s.af, id, &skipped).await.0, 303);
    assert_eq!(s.record(&s.af, id, &report).await.0, 303);
}

#[tokio::test]
async fn step_5_the_decision_starts_from_question_2_of_the_latest_weighing_and_the_checklist_follows_it()
 {
    let s = setup().await;
    let id = s.open("Besluit Kind").await;
    s.weigh(id, "ja", "nee").await;
    let form = s
        .page(&s.af, &format!("/dossiers/{id}/stap/5?soort=besluit"))
        .await;
    assert!(
        form.contains(r#"id="vraag2-nee" name="vraag2" value="nee" checked"#),
        "question 2 as the weighing answered it: {form}"
    );
    assert!(form.contains("Onderbouwing vraag 2"), "with its reasons");
    assert!(form.contains("komen uit de"), "and where it came from");
    // Before the decision: the decision is what comes now, the rest later, in order.
    let list = |page: &str| {
        let start = page
            .find("Stap 5 in volgorde")
            .expect("the step-5 checklist");
        page[start..start + page[start..].find("</ol>").unwrap()].to_string()
    };
    let before = list(&form);
    let order = [
        "Besluit over melden",
        "Hulpplan, of het gesprek",
        "Melding bij Veilig Thuis",
        "Terugkoppeling",
        "Evaluatie van de hulp",
    ];
    let at: Vec<usize> = order.iter().map(|t| before.find(t).expect(t)).collect();
    assert!(at.windows(2).all(|w| w[0] < w[1]), "in order: {before}");
    assert!(before.contains(r#"class="nu""#) && before.contains("nu aan de beurt"));
    // After a decision for help: the decision is done, the help plan is next, no report needed.
    let (status, body) = s
        .record(
            &s.af,
            id,
            &[
                ("soort", "besluit"),
                ("vraag2", "nee"),
                ("vraag2_toelichting", "Geen onveiligheid"),
                ("vraag3", "ja"),
                ("vraag3_toelichting", "IB regelt hulp"),
                ("vraag4", "ja"),
                ("vraag4_toelichting", "Ouders doen mee"),
            ],
        )
        .await;
    assert_eq!(status, 303, "{body}");
    let after = list(&s.page(&s.af, &format!("/dossiers/{id}/stap/5")).await);
    assert!(
        after.contains("Gedaan: </span>Besluit over melden"),
        "{after}"
    );
    assert!(
        after.contains("soort=hulpplan\">Hulpplan</a> <strong>(nu aan de beurt)"),
        "{after}"
    );
    assert!(
        after.contains("Melding bij Veilig Thuis <span class=\"muted\">(niet nodig"),
        "{after}"
    );
    // The dossier page shows the same list, and links "Volgende" to the help plan's form.
    let dossier = s.page(&s.af, &format!("/dossiers/{id}")).await;
    assert!(dossier.contains("Stap 5 in volgorde"));
    // "Volgende" is the first step not gone through (here step 2), and links to its form.
    assert!(
        dossier.contains("stap/2?soort=consultatie\">Naar het formulier: Collegiale consultatie"),
        "{dossier}"
    );
}
