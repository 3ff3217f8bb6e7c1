//! Dossiers and the stappenplan, through the real pages: who sees what, the rules of each step,
//! append-only entries, the audit of every read and write.

use meldcode::domain::ids::UserId;
use meldcode::domain::role::Role;

use crate::common::*;

struct School {
    app: TestApp,
    org: Org,
    juf: reqwest::Client,
    juf2: reqwest::Client,
    af: reqwest::Client,
    af_b: reqwest::Client,
    directie: reqwest::Client,
    beheer: reqwest::Client,
    juf_id: UserId,
    af_id: UserId,
    juf2_id: UserId,
}

async fn school() -> School {
    let app = spawn_app().await;
    let org = app.seed_org().await;
    let juf_id = app
        .add_user(&org, "juf@a.nl", &[(Role::Beroepskracht, org.school_a)])
        .await;
    let juf2_id = app
        .add_user(&org, "juf2@a.nl", &[(Role::Beroepskracht, org.school_a)])
        .await;
    let af_id = app
        .add_user(
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
    app.add_user(&org, "dir@a.nl", &[(Role::Directie, org.school_a)])
        .await;
    app.add_user(&org, "beheer@a.nl", &[(Role::Beheerder, org.school_a)])
        .await;
    let mut clients = Vec::new();
    for email in [
        "juf@a.nl",
        "juf2@a.nl",
        "af@a.nl",
        "af@b.nl",
        "dir@a.nl",
        "beheer@a.nl",
    ] {
        let c = client();
        assert_eq!(app.login_with(&c, email, PASSWORD).await.status(), 303);
        clients.push(c);
    }
    let mut it = clients.into_iter();
    School {
        juf: it.next().unwrap(),
        juf2: it.next().unwrap(),
        af: it.next().unwrap(),
        af_b: it.next().unwrap(),
        directie: it.next().unwrap(),
        beheer: it.next().unwrap(),
        app,
        org,
        juf_id,
        af_id,
        juf2_id,
    }
}

/// Opens a dossier through "Ik maak me zorgen" and returns its id.
async fn open_dossier(s: &School, c: &reqwest::Client, pupil: &str, staff: bool) -> i64 {
    let school = s.org.school_a.to_string();
    let res = s
        .app
        .post_with(
            c,
            "/dossiers/nieuw",
            &[
                ("leerling", "nieuw"),
                ("school", &school),
                ("naam", pupil),
                ("geboortedatum", "2016-04-01"),
                ("groep", "7"),
                ("medewerker", if staff { "ja" } else { "nee" }),
                ("vormen", "lichamelijk"),
                ("aard", "feit"),
                (
                    "waarneming",
                    "Blauwe plek op de wang, maandagochtend gezien.",
                ),
                ("bron", "eigen"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303, "dossier opened");
    location(&res)
        .trim_start_matches("/dossiers/")
        .split('?')
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

async fn record(
    s: &School,
    c: &reqwest::Client,
    id: i64,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    s.app
        .post_with(c, &format!("/dossiers/{id}/aantekening"), fields)
        .await
}

async fn page(s: &School, c: &reqwest::Client, path: &str) -> (u16, String) {
    let res = s.app.get_with(c, path).await;
    (res.status().as_u16(), res.text().await.unwrap())
}

#[tokio::test]
async fn a_teacher_opens_a_dossier_and_the_aandachtsfunctionaris_is_notified_in_the_app() {
    let s = school().await;
    let id = open_dossier(&s, &s.juf, "Test Kind", false).await;
    let (status, body) = page(&s, &s.juf, &format!("/dossiers/{id}")).await;
    assert_eq!(status, 200);
    assert!(body.contains("Test Kind"));
    assert!(body.contains("Blauwe plek op de wang"));
    let (_, start) = page(&s, &s.af, "/start").await;
    assert!(
        start.contains(&format!("/dossiers/{id}")),
        "the AF sees the new dossier on the start page"
    );
    let (_, start) = page(&s, &s.juf2, "/start").await;
    assert!(
        !start.contains(&format!("/dossiers/{id}")),
        "another teacher is not notified"
    );
}

#[tokio::test]
async fn the_opening_form_with_mistakes_comes_back_with_the_text_kept() {
    let s = school().await;
    let res = s
        .app
        .post_with(
            &s.juf,
            "/dossiers/nieuw",
            &[
                ("leerling", "nieuw"),
                ("naam", "Kind Zonder Datum"),
                (
                    "waarneming",
                    "Mijn lange observatie die niet verloren mag gaan.",
                ),
                ("bron", "derde"),
            ],
        )
        .await;
    assert_eq!(res.status(), 422);
    let body = res.text().await.unwrap();
    assert!(body.contains("Mijn lange observatie die niet verloren mag gaan."));
    assert!(body.contains(r#"value="Kind Zonder Datum""#));
    for message in ["geboortedatum", "medewerker", "Vermeld wie het vertelde"] {
        assert!(body.contains(message), "{message}");
    }
}

#[tokio::test]
async fn who_sees_a_dossier_follows_the_rules_per_role_and_school() {
    let s = school().await;
    let id = open_dossier(&s, &s.juf, "Zichtbaar Kind", false).await;
    let entry: i64 =
        sqlx::query_as::<_, (i64,)>("SELECT MAX(id) FROM entries WHERE dossier_id = $1")
            .bind(id)
            .fetch_one(s.app.db.pool_for_tests())
            .await
            .unwrap()
            .0;
    let mut paths: Vec<String> = (1..=5)
        .map(|n| format!("/dossiers/{id}/stap/{n}"))
        .collect();
    paths.extend([
        format!("/dossiers/{id}"),
        format!("/dossiers/{id}/afdrukken"),
        format!("/dossiers/{id}/melding"),
        format!("/dossiers/{id}/vastleggen/verwijsindex"),
        format!("/dossiers/{id}/vastleggen/politie"),
        format!("/dossiers/{id}/aanvullen/{entry}"),
    ]);
    // (who, may see)
    let cases: [(&str, &reqwest::Client, bool); 6] = [
        ("the teacher who opened it", &s.juf, true),
        ("the aandachtsfunctionaris of the school", &s.af, true),
        ("another teacher of the school", &s.juf2, false),
        (
            "the aandachtsfunctionaris of another school",
            &s.af_b,
            false,
        ),
        ("directie, not added", &s.directie, false),
        ("the beheerder", &s.beheer, false),
    ];
    for (who, c, allowed) in cases {
        for path in &paths {
            let (status, _) = page(&s, c, path).await;
            assert_eq!(status, if allowed { 200 } else { 404 }, "{who}: {path}");
        }
        let res = record(
            &s,
            c,
            id,
            &[
                ("soort", "signaal"),
                ("aard", "feit"),
                ("waarneming", "x"),
                ("bron", "eigen"),
            ],
        )
        .await;
        assert_eq!(res.status(), if allowed { 303 } else { 404 }, "{who}: POST");
        let (_, list) = page(&s, c, "/dossiers").await;
        assert_eq!(
            list.contains("Zichtbaar Kind"),
            allowed,
            "{who}: the list agrees with the decision"
        );
    }
    let refused: i64 = sqlx::query_as::<_, (i64,)>(
        "SELECT COUNT(*) FROM audit_log WHERE event = 'access_refused' AND dossier_id = $1",
    )
    .bind(id)
    .fetch_one(s.app.db.pool_for_tests())
    .await
    .unwrap()
    .0;
    assert!(refused >= 4 * 7 - 7, "refusals are logged, got {refused}");
}

#[tokio::test]
async fn a_signal_about_a_staff_member_goes_to_directie_and_is_invisible_to_other_staff() {
    let s = school().await;
    let id = open_dossier(&s, &s.juf, "Kind Medewerker", true).await;
    let (_, start) = page(&s, &s.directie, "/start").await;
    assert!(
        start.contains(&format!("/dossiers/{id}")),
        "directie is notified"
    );
    let (_, start) = page(&s, &s.af, "/start").await;
    assert!(
        !start.contains(&format!("/dossiers/{id}")),
        "the aandachtsfunctionaris is not"
    );
    assert_eq!(
        page(&s, &s.juf, &format!("/dossiers/{id}")).await.0,
        200,
        "whoever raised it"
    );
    let (status, body) = page(&s, &s.directie, &format!("/dossiers/{id}")).await;
    assert_eq!(status, 200, "directie of the school");
    assert!(body.contains("vertrouwensinspecteur") || body.contains("bevoegd gezag"));
    assert_eq!(
        page(&s, &s.af, &format!("/dossiers/{id}")).await.0,
        404,
        "not the aandachtsfunctionaris"
    );
    assert_eq!(
        page(&s, &s.juf2, &format!("/dossiers/{id}")).await.0,
        404,
        "not a colleague"
    );
    // The staff route leaves the stappenplan: no step forms there, but the duties of the law.
    let res = record(&s, &s.directie, id, &[("soort", "weging")]).await;
    assert_eq!(res.status(), 403);
    let res = record(
        &s,
        &s.directie,
        id,
        &[
            ("soort", "medewerkerplicht"),
            ("plicht", "inspecteur"),
            ("datum", &today(&s.app)),
            ("toelichting", "Overleg gehad."),
        ],
    )
    .await;
    assert_eq!(res.status(), 303);
}

#[tokio::test]
async fn entries_are_append_only_and_a_correction_refers_to_the_original() {
    let s = school().await;
    let id = open_dossier(&s, &s.juf, "Kind Correctie", false).await;
    let original: i64 = sqlx::query_as::<_, (i64,)>(
        "SELECT MAX(id) FROM entries WHERE dossier_id = $1 AND kind = 'signaal'",
    )
    .bind(id)
    .fetch_one(s.app.db.pool_for_tests())
    .await
    .unwrap()
    .0;
    let (status, form) = page(&s, &s.juf, &format!("/dossiers/{id}/aanvullen/{original}")).await;
    assert_eq!(status, 200);
    assert!(form.contains(&format!(r#"name="verwijst_naar" value="{original}""#)));
    let res = record(
        &s,
        &s.juf,
        id,
        &[
            ("soort", "aanvulling"),
            ("verwijst_naar", &original.to_string()),
            ("relatie", "correctie"),
            ("tekst", "Het was de linkerwang, niet de rechter."),
        ],
    )
    .await;
    assert_eq!(res.status(), 303);
    let (_, body) = page(&s, &s.juf, &format!("/dossiers/{id}")).await;
    assert!(
        body.contains("Blauwe plek op de wang"),
        "the original stays as it was"
    );
    assert!(body.contains("Het was de linkerwang"));
    assert!(body.contains(&format!("aantekening nr. {original}")));

    // Not even the database lets an entry change or disappear.
    let update = sqlx::query("UPDATE entries SET body = '{}' WHERE id = $1")
        .bind(original)
        .execute(s.app.db.pool_for_tests())
        .await;
    assert!(update.is_err(), "entries cannot be updated");
    let delete = sqlx::query("DELETE FROM entries WHERE id = $1")
        .bind(original)
        .execute(s.app.db.pool_for_tests())
        .await;
    assert!(delete.is_err(), "entries cannot be deleted");
}

#[tokio::test]
async fn only_a_hypothesis_can_be_confirmed_or_refuted() {
    let s = school().await;
    let id = open_dossier(&s, &s.juf, "Kind Hypothese", false).await;
    let fact: i64 = sqlx::query_as::<_, (i64,)>(
        "SELECT MAX(id) FROM entries WHERE dossier_id = $1 AND kind = 'signaal'",
    )
    .bind(id)
    .fetch_one(s.app.db.pool_for_tests())
    .await
    .unwrap()
    .0;
    let res = record(
        &s,
        &s.juf,
        id,
        &[
            ("soort", "aanvulling"),
            ("verwijst_naar", &fact.to_string()),
            ("relatie", "hypothese_bevestigd"),
            ("tekst", "x"),
        ],
    )
    .await;
    assert_eq!(res.status(), 422);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("Alleen een veronderstelling")
    );
    record(
        &s,
        &s.juf,
        id,
        &[
            ("soort", "signaal"),
            ("aard", "hypothese"),
            ("waarneming", "Misschien slaat vader."),
            ("bron", "eigen"),
        ],
    )
    .await;
    let hyp: i64 = sqlx::query_as::<_, (i64,)>(
        "SELECT MAX(id) FROM entries WHERE dossier_id = $1 AND kind = 'signaal'",
    )
    .bind(id)
    .fetch_one(s.app.db.pool_for_tests())
    .await
    .unwrap()
    .0;
    let res = record(
        &s,
        &s.juf,
        id,
        &[
            ("soort", "aanvulling"),
            ("verwijst_naar", &hyp.to_string()),
            ("relatie", "hypothese_weerlegd"),
            ("tekst", "Vader was die week in het buitenland."),
        ],
    )
    .await;
    assert_eq!(res.status(), 303);
}

#[tokio::test]
async fn a_step_form_with_mistakes_keeps_the_text_and_names_the_rule() {
    let s = school().await;
    let id = open_dossier(&s, &s.juf, "Kind Gesprek", false).await;
    let res = record(
        &s,
        &s.juf,
        id,
        &[
            ("soort", "gesprek_overgeslagen"),
            ("reden", "geen_tijd"),
            ("toelichting", "Het was erg druk deze week."),
        ],
    )
    .await;
    assert_eq!(res.status(), 422);
    let body = res.text().await.unwrap();
    assert!(body.contains("Het was erg druk deze week."));
    assert!(body.contains("Kies een van de mogelijkheden."));
    let res = record(
        &s,
        &s.juf,
        id,
        &[
            ("soort", "consultatie"),
            ("met", "veilig_thuis"),
            ("naam", "Adviseur"),
            ("datum", "2026-01-05"),
            ("vraag", "Mijn vraag"),
            ("advies", "Het advies"),
        ],
    )
    .await;
    assert_eq!(res.status(), 422);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("zonder naam of andere gegevens van de leerling")
    );
}

#[tokio::test]
async fn a_report_without_all_steps_asks_why_and_the_conversation_before_it_follows_the_age() {
    let s = school().await;
    let id = open_dossier(&s, &s.juf, "Kind Melding", false).await;
    let today = today(&s.app);
    let report = [
        ("soort", "melding"),
        ("datum", today.as_str()),
        ("wijze", "telefoon"),
        ("contact", "Mw. Kok"),
        ("feiten", "Feiten."),
        ("afspraken", "School volgt het kind."),
    ];
    let res = record(&s, &s.juf, id, &report).await;
    assert_eq!(res.status(), 422);
    let body = res.text().await.unwrap();
    assert!(body.contains("Niet alle stappen zijn doorlopen"));
    let mut with_reason = report.to_vec();
    with_reason.push((
        "ontbrekende_stappen",
        "Noodsituatie: het kind durfde niet naar huis.",
    ));
    with_reason.push(("ontbrekende_grond", "acuut"));
    assert_eq!(record(&s, &s.juf, id, &with_reason).await.status(), 303);

    // The pupil (born 2016) is under 12: the conversation about the report is with the parents.
    let res = record(
        &s,
        &s.juf,
        id,
        &[
            ("soort", "meldgesprek"),
            ("met", "leerling"),
            ("datum", today.as_str()),
            ("uitleg", "u"),
            ("reactie", "r"),
            ("besluit", "b"),
        ],
    )
    .await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.unwrap().contains("jonger dan 12"));
}

#[tokio::test]
async fn veilig_thuis_feedback_is_shown_overdue_after_five_working_days() {
    let s = school().await;
    let id = open_dossier(&s, &s.juf, "Kind Terugkoppeling", false).await;
    let today = meldcode::web::format::today_nl(s.app.clock.unix()).to_string();
    let report = [
        ("soort", "melding"),
        ("datum", today.as_str()),
        ("wijze", "online"),
        ("contact", "c"),
        ("feiten", "f"),
        ("afspraken", "a"),
        ("ontbrekende_stappen", "Nood."),
        ("ontbrekende_grond", "acuut"),
    ];
    assert_eq!(record(&s, &s.juf, id, &report).await.status(), 303);
    let (_, body) = page(&s, &s.juf, &format!("/dossiers/{id}")).await;
    assert!(!body.contains("5 werkdagen zijn voorbij"));
    s.app.clock.advance(8 * 24 * 3600);
    // Log in again: a week later the session has long ended.
    let c = client();
    s.app.login_with(&c, "juf@a.nl", PASSWORD).await;
    let (_, body) = page(&s, &c, &format!("/dossiers/{id}")).await;
    assert!(body.contains("5 werkdagen zijn voorbij"));
}

#[tokio::test]
async fn closing_and_the_help_plan_belong_to_the_aandachtsfunctionaris() {
    let s = school().await;
    let id = open_dossier(&s, &s.juf, "Kind Sluiten", false).await;
    let close = [
        ("soort", "gesloten"),
        ("bevestigd", "ja"),
        ("reden", "leerling_vertrokken"),
        ("toelichting", "Het gezin is verhuisd naar Spanje."),
    ];
    assert_eq!(
        record(&s, &s.juf, id, &close).await.status(),
        403,
        "a teacher does not close"
    );
    let plan_made = today(&s.app);
    let plan = [
        ("soort", "hulpplan"),
        ("datum", plan_made.as_str()),
        ("hulp", "h"),
        ("rollen", "r"),
        ("casemanager", "c"),
        ("termijn", "2099-01-01"),
        ("evaluatiedatum", "2099-01-01"),
    ];
    assert_eq!(
        record(&s, &s.juf, id, &plan).await.status(),
        403,
        "help is organised by the second line"
    );
    // Step 5: a help plan needs the decision first; the form says so and keeps the plan.
    let res = record(&s, &s.af, id, &plan).await;
    assert_eq!(res.status(), 422, "no help plan before the decision");
    let body = res.text().await.unwrap();
    assert!(body.contains("Leg eerst het besluit vast"), "{body}");
    let decision = [
        ("soort", "besluit"),
        ("vraag2", "nee"),
        ("vraag2_toelichting", "Geen onveiligheid."),
        ("vraag3", "ja"),
        ("vraag3_toelichting", "De IB'er regelt hulp."),
        ("vraag4", "ja"),
        ("vraag4_toelichting", "De ouders doen mee."),
    ];
    assert_eq!(record(&s, &s.af, id, &decision).await.status(), 303);
    assert_eq!(record(&s, &s.af, id, &plan).await.status(), 303);
    // Closing asks for confirmation: the first press shows what will be recorded and closes
    // nothing; "Nee" goes back to the form with the text; "Ja" closes.
    let unconfirmed: Vec<(&str, &str)> = close
        .iter()
        .copied()
        .filter(|(k, _)| *k != "bevestigd")
        .collect();
    let res = record(&s, &s.af, id, &unconfirmed).await;
    assert_eq!(res.status(), 200);
    let body = res.text().await.unwrap();
    assert!(body.contains("Dossier sluiten?"), "{body}");
    assert!(body.contains("name=\"bevestigd\" value=\"ja\""));
    assert!(body.contains("value=\"Het gezin is verhuisd naar Spanje.\""));
    let (_, page_now) = page(&s, &s.af, &format!("/dossiers/{id}")).await;
    assert!(
        !page_now.contains("De leerling heeft de school verlaten"),
        "not closed yet"
    );
    let mut back = unconfirmed.clone();
    back.push(("terug", "ja"));
    let res = record(&s, &s.af, id, &back).await;
    assert_eq!(res.status(), 200);
    let body = res.text().await.unwrap();
    assert!(body.contains("<h1>Dossier sluiten</h1>"), "{body}");
    assert!(body.contains("Het gezin is verhuisd naar Spanje."));
    assert_eq!(record(&s, &s.af, id, &close).await.status(), 303);
    let (_, body) = page(&s, &s.af, &format!("/dossiers/{id}")).await;
    assert!(body.contains("De leerling heeft de school verlaten"));
    assert!(body.contains("af@a.nl"), "who closed it is recorded");
    // A closed dossier takes no new steps, but can be reopened, which is an entry too.
    let res = record(
        &s,
        &s.juf,
        id,
        &[
            ("soort", "signaal"),
            ("aard", "feit"),
            ("waarneming", "x"),
            ("bron", "eigen"),
        ],
    )
    .await;
    assert_eq!(res.status(), 403);
    assert_eq!(
        record(
            &s,
            &s.af,
            id,
            &[("soort", "heropend"), ("reden", "Nieuwe signalen.")]
        )
        .await
        .status(),
        303
    );
    let (_, body) = page(&s, &s.af, &format!("/dossiers/{id}")).await;
    assert!(body.contains("Dossier heropend"));
}

#[tokio::test]
async fn a_colleague_added_by_the_aandachtsfunctionaris_sees_the_dossier_from_then_on() {
    let s = school().await;
    let id = open_dossier(&s, &s.juf, "Kind Collega", false).await;
    assert_eq!(page(&s, &s.juf2, &format!("/dossiers/{id}")).await.0, 404);
    let res = s
        .app
        .post_with(
            &s.juf,
            &format!("/dossiers/{id}/collega"),
            &[("collega", &s.juf2_id.to_string())],
        )
        .await;
    assert_eq!(res.status(), 403, "a teacher does not add colleagues");
    let res = s
        .app
        .post_with(
            &s.af,
            &format!("/dossiers/{id}/collega"),
            &[("collega", &s.juf2_id.to_string())],
        )
        .await;
    assert_eq!(res.status(), 303);
    assert_eq!(page(&s, &s.juf2, &format!("/dossiers/{id}")).await.0, 200);
}

#[tokio::test]
async fn every_read_and_write_of_a_dossier_is_audited() {
    let s = school().await;
    let id = open_dossier(&s, &s.juf, "Kind Audit", false).await;
    page(&s, &s.af, &format!("/dossiers/{id}")).await;
    page(&s, &s.af, &format!("/dossiers/{id}/afdrukken")).await;
    record(
        &s,
        &s.af,
        id,
        &[
            ("soort", "signaal"),
            ("aard", "feit"),
            ("waarneming", "x"),
            ("bron", "eigen"),
        ],
    )
    .await;
    let events: Vec<(UserId, String)> =
        sqlx::query_as("SELECT user_id, event FROM audit_log WHERE dossier_id = $1 ORDER BY id")
            .bind(id)
            .fetch_all(s.app.db.pool_for_tests())
            .await
            .unwrap();
    assert!(events.contains(&(s.juf_id, "dossier_opened".into())));
    assert!(events.contains(&(s.af_id, "dossier_read".into())));
    assert!(events.contains(&(s.af_id, "dossier_printed".into())));
    assert!(events.contains(&(s.af_id, "dossier_written".into())));
}

#[tokio::test]
async fn the_emergency_route_records_an_immediate_report_to_complete_later() {
    let s = school().await;
    let (status, nood) = page(&s, &s.juf, "/nood").await;
    assert_eq!(status, 200);
    assert!(nood.contains("/nood/melding"));
    let res = s
        .app
        .post_with(
            &s.juf,
            "/nood/melding",
            &[
                ("leerling", "nieuw"),
                ("naam", "Kind In Nood"),
                ("gebeld", "112"),
                ("wat", "Kind kwam met verwondingen binnen."),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    let (_, body) = page(&s, &s.juf, &location(&res)).await;
    assert!(body.contains("Kind In Nood"));
    assert!(body.contains("noodmelding"));
    let (_, start) = page(&s, &s.af, "/start").await;
    assert!(start.contains("noodmelding"));
}

#[tokio::test]
async fn the_melding_lists_facts_with_their_sources_and_marks_hypotheses() {
    let s = school().await;
    let id = open_dossier(&s, &s.juf, "Kind Samenvatting", false).await;
    record(
        &s,
        &s.juf,
        id,
        &[
            ("soort", "signaal"),
            ("aard", "hypothese"),
            ("waarneming", "Mogelijk spanning thuis."),
            ("bron", "derde"),
            ("bron_wie", "De oma van het kind"),
        ],
    )
    .await;
    let (status, body) = page(&s, &s.juf, &format!("/dossiers/{id}/melding")).await;
    assert_eq!(status, 200);
    assert!(body.contains("verteld door De oma van het kind"));
    assert!(body.contains("Veronderstelling, geen vastgesteld feit"));
    assert!(body.contains("Nog niet gemeld"));
    // The reporter is reminded that the family may later read what was reported.
    assert!(body.contains("kunnen later lezen wat u meldde"));
}

/// Issue 17: the melding of every demo dossier that reached step 5 reads as a complete report,
/// in the order of Veilig Thuis's form, and the reported one says what the family was told.
#[tokio::test]
async fn every_demo_dossier_in_step_5_has_a_melding_in_the_order_of_veilig_thuis_form() {
    use meldcode::domain::access::Viewer;

    let app = spawn_app().await;
    let now = app.clock.unix();
    meldcode::demo::load(&app.db, &app.state.passwords, now)
        .await
        .expect("demo loads");
    let af = client();
    let email = "af@regenboog.example";
    assert_eq!(
        app.login_with(&af, email, meldcode::demo::PASSWORD)
            .await
            .status(),
        303
    );
    let id = app.db.credentials(email).await.unwrap().unwrap().id;
    let roles = app.db.roles(id).await.unwrap();
    let viewer = Viewer::for_tests(id, roles.iter().map(|r| (r.school_id, r.role)).collect());
    let in_step_5: Vec<_> = app
        .db
        .dossier_page(
            &viewer,
            &Default::default(),
            meldcode::web::format::today_nl(now),
        )
        .await
        .unwrap()
        .0
        .into_iter()
        .filter(|d| d.header.step_done(5) && d.header.route.code() == "stappenplan")
        .collect();
    assert!(in_step_5.len() >= 2, "the demo has dossiers in step 5");
    let mut reported = 0;
    for d in &in_step_5 {
        let res = app
            .get_with(&af, &format!("/dossiers/{}/melding", d.header.id))
            .await;
        assert_eq!(res.status(), 200);
        let body = res.text().await.unwrap();
        let titles = [
            "1. Meldcode",
            "2. Melder",
            "3. Betrokkenen",
            "4. Melding",
            "5. Ondersteunend netwerk",
            "6. Overige informatie",
            "7. Afronden",
        ];
        let at: Vec<usize> = titles
            .iter()
            .map(|t| {
                body.find(t)
                    .unwrap_or_else(|| panic!("{t} in {}", d.header.id))
            })
            .collect();
        assert!(at.is_sorted(), "the sections in Veilig Thuis's order");
        assert!(body.contains(&d.header.pupil.name));
        assert!(body.contains("Ahmed El Amrani, aandachtsfunctionaris"));
        assert!(body.contains("eigen waarneming van"));
        if body.contains("Gemeld op") {
            reported += 1;
            // Reported: only the parents' details (never kept) are left to fill in.
            assert_eq!(body.matches("<dt class=\"missing\">").count(), 1, "{body}");
            assert!(body.contains("Weet het gezin van de melding?"));
            assert!(body.contains("Wat de school na de melding blijft doen"));
        }
    }
    assert_eq!(reported, 1, "the demo's reported dossier");
}

#[tokio::test]
async fn the_afwegingskader_advises_a_report_after_question_2_yes() {
    let s = school().await;
    let id = open_dossier(&s, &s.juf, "Kind Weging", false).await;
    let res = record(
        &s,
        &s.juf,
        id,
        &[
            ("soort", "weging"),
            ("risico", "r"),
            ("aard", "a"),
            ("ernst", "e"),
            ("vraag1", "ja"),
            ("vraag1_toelichting", "t"),
            ("vraag2", "twijfel"),
            ("vraag2_toelichting", "t"),
        ],
    )
    .await;
    assert_eq!(res.status(), 303);
    let (_, body) = page(&s, &s.juf, &format!("/dossiers/{id}")).await;
    assert!(body.contains("melden bij Veilig Thuis is nodig"));
}

#[tokio::test]
async fn the_organisation_loads_its_own_signal_list_and_step_1_offers_it() {
    let s = school().await;
    let res = s
        .app
        .post_with(
            &s.beheer,
            "/beheer/signalen",
            &[("band", "4-12"), ("lijst", "Zonder groepskop")],
        )
        .await;
    assert_eq!(res.status(), 422);
    let body = res.text().await.unwrap();
    assert!(body.contains("Begin met een groep"));
    assert!(body.contains("Zonder groepskop"), "the typed list is kept");

    let list = "# Eigen groep\n- Komt vaak te laat zonder uitleg\n- Eigen signaal twee\n";
    let res = s
        .app
        .post_with(
            &s.beheer,
            "/beheer/signalen",
            &[("band", "4-12"), ("lijst", list)],
        )
        .await;
    assert_eq!(res.status(), 303);

    // The pupil is 10: the 4-12 list is the organisation's own now.
    let id = open_dossier(&s, &s.juf, "Kind Lijst", false).await;
    let (_, step1) = page(&s, &s.juf, &format!("/dossiers/{id}/stap/1")).await;
    assert!(step1.contains("Komt vaak te laat zonder uitleg"));
    let res = record(
        &s,
        &s.juf,
        id,
        &[
            ("soort", "signaal"),
            ("aard", "feit"),
            ("waarneming", "Weer te laat."),
            ("bron", "eigen"),
            ("signalen", "Komt vaak te laat zonder uitleg"),
            ("signalen", "Verzonnen signaal"),
        ],
    )
    .await;
    assert_eq!(res.status(), 303);
    let (_, body) = page(&s, &s.juf, &format!("/dossiers/{id}")).await;
    assert!(body.contains("Komt vaak te laat zonder uitleg"));
    assert!(
        !body.contains("Verzonnen signaal"),
        "only signals of the list are stored"
    );

    // Back to the default list; the entry keeps what it recorded.
    let res = s
        .app
        .post_with(&s.beheer, "/beheer/signalen/standaard", &[("band", "4-12")])
        .await;
    assert_eq!(res.status(), 303);
    let (_, body) = page(&s, &s.juf, &format!("/dossiers/{id}")).await;
    assert!(body.contains("Komt vaak te laat zonder uitleg"));
}

/// Rule: a request whose client goes away (a closed laptop, a lost connection) still finishes,
/// and leaves no transaction open: every later write works. sqlx 0.8 could leave the one write
/// connection inside a transaction when a request was dropped halfway, after which every write
/// failed.
#[tokio::test]
async fn requests_cut_off_by_their_clients_finish_and_later_writes_still_work() {
    let app = spawn_app().await;
    let org = app.seed_org().await;
    app.add_user(&org, "juf@a.nl", &[(Role::Beroepskracht, org.school_a)])
        .await;
    let juf = client();
    app.login_with(&juf, "juf@a.nl", PASSWORD).await;
    let id = open_dossier_at(&app, &juf, org.school_a, "Kind Onderbroken", "lichamelijk").await;
    let token = app.token_with(&juf).await;
    let path = app.url(&format!("/dossiers/{id}/aantekening"));
    let cut = (0..60u64).map(|i| {
        let request = juf
            .post(&path)
            .timeout(std::time::Duration::from_micros(300 + i * 97))
            .form(&[
                ("_csrf", token.as_str()),
                ("soort", "signaal"),
                ("aard", "feit"),
                ("bron", "eigen"),
                ("waarneming", "Onderbroken waarneming"),
            ]);
        tokio::spawn(async move { request.send().await.map(|r| r.status().as_u16()) })
    });
    let mut outcomes = Vec::new();
    for task in cut.collect::<Vec<_>>() {
        outcomes.push(task.await.unwrap());
    }
    let stored_answers = outcomes.iter().filter(|r| matches!(r, Ok(303))).count();
    assert!(
        outcomes.iter().any(|r| r.is_err()),
        "some requests were cut off"
    );
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;

    let res = app
        .post_with(
            &juf,
            &format!("/dossiers/{id}/aantekening"),
            &[
                ("soort", "signaal"),
                ("aard", "feit"),
                ("bron", "eigen"),
                ("waarneming", "Waarneming daarna"),
            ],
        )
        .await;
    assert_eq!(
        res.status(),
        303,
        "a write after the cut-off requests works"
    );
    let page = app
        .get_with(&juf, &format!("/dossiers/{id}"))
        .await
        .text()
        .await
        .unwrap();
    let stored = page.matches("Onderbroken waarneming").count();
    assert!(
        stored >= stored_answers,
        "every entry confirmed to its client is in the dossier ({stored} of {stored_answers})"
    );
}

/// Rule: a connection handed back inside a transaction (what sqlx 0.8 can do when a BEGIN's
/// caller is dropped at the wrong moment) is not reused: the next write succeeds and commits.
#[tokio::test]
async fn a_connection_left_inside_a_transaction_is_not_reused() {
    let app = spawn_app().await;
    let org = app.seed_org().await;
    let mut stale = app.db.writer_for_tests().acquire().await.unwrap();
    use sqlx::TransactionManager;
    <sqlx::Any as sqlx::Database>::TransactionManager::begin(&mut stale, None)
        .await
        .unwrap();
    drop(stale); // back in the pool, still counting an open transaction

    let school = app.db.add_school(org.id, "Na de storing", 0).await;
    assert!(school.is_ok(), "the next write works: {school:?}");
    let names: Vec<String> = app
        .db
        .schools(org.id)
        .await
        .unwrap()
        .into_iter()
        .map(|s| s.name)
        .collect();
    assert!(
        names.contains(&"Na de storing".to_string()),
        "and is committed"
    );
}

#[tokio::test]
async fn an_entry_that_cannot_be_read_stays_in_the_chronology_marked_unreadable() {
    let s = school().await;
    let id = open_dossier(&s, &s.juf, "Kind Onleesbaar", false).await;
    // Rows a newer version or a broken restore could leave: an unknown kind, and a known kind
    // whose body is not valid JSON. Entries cannot be changed, but they can be inserted.
    let mut unreadable = Vec::new();
    for (kind, body) in [
        ("toekomstige_soort", r#"{"tekst":"Geheime inhoud"}"#),
        ("signaal", r#"{"waarneming": "Geheime inh"#),
    ] {
        let (entry,): (i64,) = sqlx::query_as(
            "INSERT INTO entries (dossier_id, kind, step, author_id, author_role, created_at, refers_to, body) \
             VALUES ($1, $2, NULL, $3, 'beroepskracht', $4, NULL, $5) RETURNING id",
        )
        .bind(id)
        .bind(kind)
        .bind(s.juf_id)
        .bind(s.app.clock.unix())
        .bind(body)
        .fetch_one(s.app.db.pool_for_tests())
        .await
        .unwrap();
        unreadable.push(entry);
    }
    for path in [
        format!("/dossiers/{id}"),
        format!("/dossiers/{id}/afdrukken"),
    ] {
        let (status, body) = page(&s, &s.juf, &path).await;
        assert_eq!(status, 200, "{path}");
        assert!(
            body.contains("Blauwe plek op de wang"),
            "the other entries stay: {path}"
        );
        assert_eq!(
            body.matches("Deze aantekening kan niet worden gelezen")
                .count(),
            2,
            "{path}"
        );
        assert!(body.contains("Neem contact op met de beheerder"), "{path}");
        for entry in &unreadable {
            assert!(
                body.contains(&format!("nr. {entry}")),
                "{path}: nr. {entry}"
            );
        }
        assert!(
            !body.contains("Geheime"),
            "nothing half-read is shown: {path}"
        );
    }
}

#[tokio::test]
async fn a_date_of_birth_in_the_future_or_over_30_years_back_and_an_entry_date_outside_1990_to_2100_are_refused()
 {
    let s = school().await;
    let school = s.org.school_a.to_string();
    for (dob, message) in [
        ("-0001-01-01", "Vul een geldige geboortedatum in"),
        ("1900-01-01", "meer dan 30 jaar terug"),
        ("2999-01-01", "in de toekomst"),
    ] {
        let res = s
            .app
            .post_with(
                &s.juf,
                "/dossiers/nieuw",
                &[
                    ("leerling", "nieuw"),
                    ("school", &school),
                    ("naam", "Kind Datum"),
                    ("geboortedatum", dob),
                    ("groep", "7"),
                    ("medewerker", "nee"),
                    ("vormen", "lichamelijk"),
                    ("aard", "feit"),
                    ("waarneming", "Mijn observatie die blijft staan."),
                    ("bron", "eigen"),
                ],
            )
            .await;
        assert_eq!(res.status(), 422, "{dob}");
        let body = res.text().await.unwrap();
        assert!(body.contains(message), "{dob}: {message}");
        assert!(body.contains("Mijn observatie die blijft staan."), "{dob}");
    }
    let (pupils,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM pupils")
        .fetch_one(s.app.db.pool_for_tests())
        .await
        .unwrap();
    assert_eq!(pupils, 0, "no pupil stored with such a date");

    let id = open_dossier(&s, &s.juf, "Kind Consultatie", false).await;
    for date in ["1900-01-01", "-0001-01-01", "9999-12-31"] {
        let res = record(
            &s,
            &s.juf,
            id,
            &[
                ("soort", "consultatie"),
                ("met", "aandachtsfunctionaris"),
                ("naam", "Collega"),
                ("datum", date),
                ("vraag", "Mijn vraag aan de collega"),
                ("advies", "Het advies"),
            ],
        )
        .await;
        assert_eq!(res.status(), 422, "{date}");
        let body = res.text().await.unwrap();
        assert!(body.contains("Mijn vraag aan de collega"), "{date}");
        assert!(
            body.contains("Kies een datum tussen 1 januari 1990 en 31 december 2100.")
                || body.contains("Vul een geldige datum in"),
            "{date}"
        );
    }
}

#[tokio::test]
async fn a_long_dossier_shows_its_newest_entries_with_a_link_to_all_and_where_it_stands_from_all() {
    use meldcode::web::dossiers::CHRONOLOGY_PAGE;
    let s = school().await;
    let id = open_dossier(&s, &s.juf, "Kind Lang", false).await;
    assert_eq!(s.app.db.lengthen(id.into(), 300).await.unwrap(), 300);
    let shown = |html: &str| html.matches(r#"<article class="entry""#).count();
    let (status, all) = page(&s, &s.af, &format!("/dossiers/{id}?alle=1")).await;
    assert_eq!(status, 200);
    let total = shown(&all);
    assert!(total > 300, "every entry when asked: {total}");
    assert!(all.contains("Waarneming 0:") && all.contains("Waarneming 299:"));
    assert!(!all.contains("Eerdere aantekeningen tonen"));

    let (status, newest) = page(&s, &s.af, &format!("/dossiers/{id}")).await;
    assert_eq!(status, 200);
    assert_eq!(shown(&newest), CHRONOLOGY_PAGE, "the newest page only");
    let oldest_shown = 300 - CHRONOLOGY_PAGE;
    assert!(newest.contains("Waarneming 299:"));
    assert!(newest.contains(&format!("Waarneming {oldest_shown}:")));
    assert!(!newest.contains(&format!("Waarneming {}:", oldest_shown - 1)));
    assert!(newest.contains(&format!(
        "Er zijn nog {} eerdere aantekeningen.",
        total - CHRONOLOGY_PAGE
    )));
    assert!(newest.contains(&format!(
        r##"<a href="/dossiers/{id}?alle=1#chronologie">Eerdere aantekeningen tonen</a>"##
    )));
    // Where the dossier stands still counts every entry: step 1 has the 300 and the first signal.
    let step_1 = all.matches("Waarneming ").count() + 1;
    assert!(
        newest.contains(&format!("{step_1} aantekeningen")),
        "{step_1}"
    );

    // Filtered on a step: the newest of that step, and the link keeps the step.
    let (_, step) = page(&s, &s.af, &format!("/dossiers/{id}?stap=1")).await;
    assert_eq!(shown(&step), CHRONOLOGY_PAGE);
    assert!(step.contains(&format!("/dossiers/{id}?alle=1&amp;stap=1#chronologie")));
    let (_, step_all) = page(&s, &s.af, &format!("/dossiers/{id}?stap=1&alle=1")).await;
    assert_eq!(shown(&step_all), step_1);

    // On paper, every entry.
    let (status, print) = page(&s, &s.af, &format!("/dossiers/{id}/afdrukken")).await;
    assert_eq!(status, 200);
    assert_eq!(print.matches(r#"<article class="entry""#).count(), total);
}

/// How many of the user's notifications are unread.
async fn unread(app: &TestApp, user: UserId) -> i64 {
    let (n,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND read_at IS NULL")
            .bind(user)
            .fetch_one(app.db.pool_for_tests())
            .await
            .unwrap();
    n
}

#[tokio::test]
async fn opening_a_dossier_marks_its_notifications_read_and_a_view_without_any_writes_nothing() {
    let s = school().await;
    let id = open_dossier(&s, &s.juf, "Kind Melding", false).await;
    let res = s
        .app
        .post_with(
            &s.af,
            &format!("/dossiers/{id}/collega"),
            &[("collega", &s.juf2_id.to_string())],
        )
        .await;
    assert_eq!(res.status(), 303);
    assert_eq!(
        unread(&s.app, s.juf2_id).await,
        1,
        "told that they were added"
    );
    let (status, html) = page(&s, &s.juf2, &format!("/dossiers/{id}")).await;
    assert_eq!(status, 200);
    assert!(html.contains("Kind Melding"));
    assert_eq!(
        unread(&s.app, s.juf2_id).await,
        0,
        "read by opening the dossier"
    );
    // Another view finds nothing unread and shows the same page.
    assert_eq!(page(&s, &s.juf2, &format!("/dossiers/{id}")).await.0, 200);
}

/// The lists (start page, dossier list, workspace, a pupil's other dossiers) read their headers
/// as one JSON array per list instead of a row per dossier (issue 14). Each line must say exactly
/// what the dossier's own page (read as a row) says of the same dossier, in the list's order.
#[tokio::test]
async fn every_list_line_shows_the_dossier_as_its_own_page_does() {
    use meldcode::domain::access::Viewer;
    use meldcode::store::dossiers::Purpose;

    let app = spawn_app().await;
    let now = app.clock.unix();
    meldcode::demo::load(&app.db, &app.state.passwords, now)
        .await
        .expect("demo loads");
    let today = time::OffsetDateTime::from_unix_timestamp(now)
        .unwrap()
        .date();
    let mut lines_checked = 0;
    for email in [
        "leerkracht@regenboog.example",
        "af@regenboog.example",
        "directie@regenboog.example",
        "directie@kompas.example",
    ] {
        let id = app
            .db
            .credentials(email)
            .await
            .unwrap()
            .expect("demo user")
            .id;
        let roles = app.db.roles(id).await.unwrap();
        let viewer = Viewer::for_tests(id, roles.iter().map(|r| (r.school_id, r.role)).collect());
        let (list, total) = app
            .db
            .dossier_page(&viewer, &Default::default(), today)
            .await
            .unwrap();
        assert_eq!(
            total,
            list.len() as i64,
            "{email}: the demo fits on one page"
        );
        if email.starts_with("leerkracht") || email.starts_with("af") {
            assert!(!list.is_empty(), "{email} sees dossiers");
        }
        // Open ones first, then the most recently active, then the highest id.
        let keys: Vec<_> = list
            .iter()
            .map(|s| (!s.header.open, -s.header.last_entry_at, -s.header.id.get()))
            .collect();
        assert!(keys.is_sorted(), "{email}: the list keeps its order");
        let workspace = app
            .db
            .workspace(&viewer, today, now, Default::default())
            .await
            .unwrap();
        let headers = list
            .iter()
            .map(|s| &s.header)
            .chain(workspace.iter().map(|w| &w.header));
        for header in headers {
            let access = app
                .db
                .open_dossier(&viewer, header.id, Purpose::Read, now, None)
                .await
                .unwrap()
                .expect("a listed dossier opens");
            assert_eq!(
                format!("{header:?}"),
                format!("{:?}", access.dossier()),
                "{email}: the list line of dossier {} agrees with its page",
                header.id
            );
            for other in app.db.other_dossiers(&access, &viewer).await.unwrap() {
                let page = app
                    .db
                    .open_dossier(&viewer, other.header.id, Purpose::Read, now, None)
                    .await
                    .unwrap()
                    .expect("another dossier of the pupil opens");
                assert_eq!(
                    format!("{:?}", other.header),
                    format!("{:?}", page.dossier())
                );
            }
            lines_checked += 1;
        }
    }
    assert!(
        lines_checked >= 8,
        "the demo's dossiers were compared: {lines_checked}"
    );
}
