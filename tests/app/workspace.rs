//! The aandachtsfunctionaris's workspace and consultation requests.

use meldcode::domain::ids::DossierId;
use meldcode::domain::ids::SchoolId;
use meldcode::domain::role::Role;

use crate::common::*;

struct Setup {
    app: TestApp,
    juf: reqwest::Client,
    af: reqwest::Client,
    school_a: SchoolId,
}

async fn setup() -> Setup {
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
    Setup {
        school_a: org.school_a,
        app,
        juf,
        af,
    }
}

async fn open(s: &Setup, pupil: &str) -> DossierId {
    open_dossier_at(&s.app, &s.juf, s.school_a, pupil, "psychisch").await
}

async fn text(app: &TestApp, c: &reqwest::Client, path: &str) -> (u16, String) {
    let res = app.get_with(c, path).await;
    (res.status().as_u16(), res.text().await.unwrap())
}

#[tokio::test]
async fn the_workspace_shows_open_dossiers_with_what_is_overdue_first() {
    let s = setup().await;
    let quiet = open(&s, "Stil Kind").await;
    let today = meldcode::web::format::today_nl(s.app.clock.unix());
    let review = (today + time::Duration::days(3)).to_string();
    let planned = open(&s, "Plan Kind").await;
    // A help plan follows a decision (step 5).
    let res = s
        .app
        .post_with(
            &s.af,
            &format!("/dossiers/{planned}/aantekening"),
            &[
                ("soort", "besluit"),
                ("vraag2", "nee"),
                ("vraag2_toelichting", "t"),
                ("vraag3", "ja"),
                ("vraag3_toelichting", "t"),
                ("vraag4", "ja"),
                ("vraag4_toelichting", "t"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    let res = s
        .app
        .post_with(
            &s.af,
            &format!("/dossiers/{planned}/aantekening"),
            &[
                ("soort", "hulpplan"),
                ("datum", &today.to_string()),
                ("hulp", "h"),
                ("rollen", "r"),
                ("casemanager", "c"),
                ("termijn", &review),
                ("evaluatiedatum", &review),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);

    // Ten days later: the help review date has passed. The quiet dossier is not yet 14 days quiet.
    s.app.clock.advance(10 * 24 * 3600);
    let af = client();
    s.app.login_with(&af, "af@a.nl", PASSWORD).await;
    let (status, page) = text(&s.app, &af, "/werkruimte").await;
    assert_eq!(status, 200);
    assert!(page.contains("Evaluatie hulp"));
    let plan_at = page.find("Plan Kind").unwrap();
    let quiet_at = page.find("Stil Kind").unwrap();
    assert!(plan_at < quiet_at, "overdue first");

    // Five days more: the first dossier has had no entry for 15 days.
    s.app.clock.advance(5 * 24 * 3600);
    let af = client();
    s.app.login_with(&af, "af@a.nl", PASSWORD).await;
    let (_, page) = text(&s.app, &af, "/werkruimte?alleen=achterstallig").await;
    assert!(page.contains("Geen aantekening in 14 dagen"));
    assert!(page.contains(&format!("/dossiers/{quiet}")));
}

#[tokio::test]
async fn a_teacher_asks_for_a_consultation_and_the_answer_is_the_step_2_entry() {
    let s = setup().await;
    let id = open(&s, "Overleg Kind").await;
    let res = s
        .app
        .post_with(
            &s.juf,
            &format!("/dossiers/{id}/overleg-vragen"),
            &[("vraag", "Moet ik de ouders al bellen?")],
        )
        .await;
    assert_eq!(
        location(&res),
        format!("/dossiers/{id}/stap/2?melding=overleg-gevraagd")
    );
    let (_, step2) = text(&s.app, &s.juf, &format!("/dossiers/{id}/stap/2")).await;
    assert!(step2.contains("wacht op antwoord"));

    let (_, start) = text(&s.app, &s.af, "/start").await;
    assert!(start.contains("vraagt u om overleg"));
    let (_, ws) = text(&s.app, &s.af, "/werkruimte").await;
    assert!(ws.contains("Moet ik de ouders al bellen?"));
    let request: i64 =
        sqlx::query_as::<_, (i64,)>("SELECT id FROM consultation_requests WHERE dossier_id = $1")
            .bind(id)
            .fetch_one(s.app.db.pool_for_tests())
            .await
            .unwrap()
            .0;
    let (_, form) = text(
        &s.app,
        &s.af,
        &format!("/dossiers/{id}/stap/2?verzoek={request}"),
    )
    .await;
    assert!(
        form.contains("Moet ik de ouders al bellen?"),
        "the question is filled in"
    );
    assert!(form.contains(&format!(r#"name="verzoek" value="{request}""#)));

    let today = meldcode::web::format::today_nl(s.app.clock.unix()).to_string();
    let res = s
        .app
        .post_with(
            &s.af,
            &format!("/dossiers/{id}/aantekening"),
            &[
                ("soort", "consultatie"),
                ("verzoek", &request.to_string()),
                ("met", "aandachtsfunctionaris"),
                ("naam", "AF"),
                ("datum", &today),
                ("vraag", "Moet ik de ouders al bellen?"),
                ("advies", "Eerst met het kind praten."),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    let (_, step2) = text(&s.app, &s.juf, &format!("/dossiers/{id}/stap/2")).await;
    assert!(step2.contains("beantwoord op"));
    let (_, ws) = text(&s.app, &s.af, "/werkruimte").await;
    assert!(
        !ws.contains("Moet ik de ouders al bellen?"),
        "the queue is empty again"
    );
}

#[tokio::test]
async fn only_an_aandachtsfunctionaris_has_a_workspace() {
    let s = setup().await;
    assert_eq!(s.app.get_with(&s.juf, "/werkruimte").await.status(), 403);
    assert_eq!(s.app.get_with(&s.af, "/werkruimte").await.status(), 200);
}

#[tokio::test]
async fn the_aandachtsfunctionaris_hears_of_a_report_a_teacher_recorded() {
    let s = setup().await;
    let id = open(&s, "Gemeld Kind").await;
    s.app.get_with(&s.af, &format!("/dossiers/{id}")).await;
    let res = s
        .app
        .post_with(
            &s.juf,
            &format!("/dossiers/{id}/aantekening"),
            &[
                ("soort", "melding"),
                ("datum", &today(&s.app)),
                ("wijze", "telefoon"),
                ("contact", "c"),
                ("feiten", "f"),
                ("afspraken", "a"),
                ("ontbrekende_stappen", "Nood."),
                ("ontbrekende_grond", "acuut"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    let (_, start) = text(&s.app, &s.af, "/start").await;
    assert!(start.contains("melding bij Veilig Thuis vastgelegd"));
}

#[tokio::test]
async fn removing_a_colleague_ends_their_access_and_is_recorded() {
    let s = setup().await;
    let org_id = s.app.db.organisation().await.unwrap().unwrap().id;
    let org = Org {
        id: org_id,
        school_a: s.school_a,
        school_b: SchoolId::new(0),
    };
    let juf2 = s
        .app
        .add_user(&org, "juf2@a.nl", &[(Role::Beroepskracht, s.school_a)])
        .await;
    let c2 = client();
    s.app.login_with(&c2, "juf2@a.nl", PASSWORD).await;
    let id = open(&s, "Kind Toegang").await;
    let res = s
        .app
        .post_with(
            &s.af,
            &format!("/dossiers/{id}/collega"),
            &[("collega", &juf2.to_string()), ("casemanager", "ja")],
        )
        .await;
    assert_eq!(res.status(), 303);
    assert_eq!(
        s.app
            .get_with(&c2, &format!("/dossiers/{id}"))
            .await
            .status(),
        200
    );
    let (_, page) = text(&s.app, &s.af, &format!("/dossiers/{id}")).await;
    assert!(page.contains("Casemanager van het hulpplan: <strong>juf2@a.nl</strong>"));

    let res = s
        .app
        .post_with(
            &s.af,
            &format!("/dossiers/{id}/collega/verwijderen"),
            &[("collega", &juf2.to_string())],
        )
        .await;
    assert_eq!(res.status(), 303);
    assert_eq!(
        s.app
            .get_with(&c2, &format!("/dossiers/{id}"))
            .await
            .status(),
        404,
        "access ended"
    );
    let (_, page) = text(&s.app, &s.af, &format!("/dossiers/{id}")).await;
    assert!(page.contains("Collega verwijderd"));
    assert!(!page.contains("Casemanager van het hulpplan"));
    let res = s
        .app
        .post_with(
            &s.juf,
            &format!("/dossiers/{id}/collega/verwijderen"),
            &[("collega", &juf2.to_string())],
        )
        .await;
    assert_eq!(res.status(), 403, "a teacher does not manage access");
}

#[tokio::test]
async fn a_dossier_moves_with_the_pupil_to_another_school_once_its_aandachtsfunctionaris_accepts() {
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
    let (juf, af_a, af_b) = (client(), client(), client());
    app.login_with(&juf, "juf@a.nl", PASSWORD).await;
    app.login_with(&af_a, "af@a.nl", PASSWORD).await;
    app.login_with(&af_b, "af@b.nl", PASSWORD).await;
    let s = Setup {
        app,
        juf,
        af: af_a,
        school_a: org.school_a,
    };
    let id = open(&s, "Verhuisd Kind").await;

    let res = s
        .app
        .post_with(
            &s.juf,
            &format!("/dossiers/{id}/overdragen"),
            &[("school", &org.school_b.to_string())],
        )
        .await;
    assert_eq!(res.status(), 403, "a teacher does not transfer");

    // The school is chosen on a page of its own, by a search on its name: an organisation can
    // have a thousand schools, too many for one list on the dossier page.
    let (_, show) = text(&s.app, &s.af, &format!("/dossiers/{id}")).await;
    assert!(show.contains(&format!("/dossiers/{id}/overdragen")));
    assert!(
        !show.contains("Het Kompas"),
        "no list of schools on the dossier page"
    );
    let (status, page) = text(
        &s.app,
        &s.af,
        &format!("/dossiers/{id}/overdragen?zoek=KOMP"),
    )
    .await;
    assert_eq!(status, 200);
    assert!(
        page.contains("Het Kompas"),
        "found by part of its name, in any case"
    );
    let (_, page) = text(
        &s.app,
        &s.af,
        &format!("/dossiers/{id}/overdragen?zoek=%25"),
    )
    .await;
    assert!(
        !page.contains("Het Kompas"),
        "a % in the search is a character, not a wildcard"
    );
    let (_, page) = text(&s.app, &s.af, &format!("/dossiers/{id}/overdragen")).await;
    assert!(page.contains("Het Kompas"));
    assert!(
        !page.contains(&format!("value=\"{}\"", s.school_a)),
        "the dossier's own school is not offered"
    );
    let res = s
        .app
        .post_with(
            &s.af,
            &format!("/dossiers/{id}/overdragen"),
            &[("school", ""), ("zoek", "komp")],
        )
        .await;
    assert_eq!(res.status(), 422, "no school chosen");
    let page = res.text().await.unwrap();
    assert!(page.contains("Kies de school"));
    assert!(page.contains("value=\"komp\""), "the search is kept");
    let res = s
        .app
        .post_with(
            &s.af,
            &format!("/dossiers/{id}/overdragen"),
            &[("school", &org.school_b.to_string())],
        )
        .await;
    assert_eq!(res.status(), 303);
    assert_eq!(
        s.app
            .get_with(&af_b, &format!("/dossiers/{id}"))
            .await
            .status(),
        404,
        "not before accepting"
    );

    let (_, ws) = text(&s.app, &af_b, "/werkruimte").await;
    assert!(ws.contains("Over te nemen dossiers"));
    assert!(
        ws.contains("Verhuisd Kind"),
        "the receiving school knows whom it accepts"
    );
    assert!(
        !ws.contains("Zeer vertrouwelijke waarneming"),
        "but not the content before accepting"
    );
    let transfer: i64 =
        sqlx::query_as::<_, (i64,)>("SELECT id FROM dossier_transfers WHERE dossier_id = $1")
            .bind(id)
            .fetch_one(s.app.db.pool_for_tests())
            .await
            .unwrap()
            .0;
    let res = s
        .app
        .post_with(
            &s.af,
            &format!("/werkruimte/overdracht/{transfer}/accepteren"),
            &[],
        )
        .await;
    assert_eq!(
        res.status(),
        404,
        "the sending school cannot accept its own transfer"
    );
    let res = s
        .app
        .post_with(
            &af_b,
            &format!("/werkruimte/overdracht/{transfer}/accepteren"),
            &[],
        )
        .await;
    assert_eq!(res.status(), 303);

    let (status, page) = text(&s.app, &af_b, &format!("/dossiers/{id}")).await;
    assert_eq!(status, 200);
    assert!(page.contains("Het Kompas"));
    assert!(page.contains("Overgedragen aan een andere school"));
    assert!(page.contains("Dossier geopend"), "the history stays whole");
    assert_eq!(
        s.app
            .get_with(&s.af, &format!("/dossiers/{id}"))
            .await
            .status(),
        404,
        "the old school no longer sees it"
    );
}

#[tokio::test]
async fn the_start_page_names_only_dossiers_the_user_may_see_now() {
    let s = setup().await;
    open(&s, "Nieuw Kind").await;
    let (status, start) = text(&s.app, &s.af, "/start").await;
    assert_eq!(status, 200);
    assert!(
        start.contains("Nieuw Kind"),
        "the aandachtsfunctionaris is told of the new dossier, by the pupil's name"
    );
    // The role at the school ends (the aandachtsfunctionaris moved to another school): the
    // notification is no longer shown, nor the pupil's name.
    let org_id = s.app.db.organisation().await.unwrap().unwrap().id;
    let af = s.app.db.credentials("af@a.nl").await.unwrap().unwrap().id;
    s.app
        .db
        .revoke_role(af, s.school_a, Role::Aandachtsfunctionaris)
        .await
        .unwrap();
    s.app
        .db
        .grant_role(
            af,
            s.app
                .db
                .add_school(org_id, "Elders", s.app.clock.unix())
                .await
                .unwrap(),
            Role::Aandachtsfunctionaris,
            s.app.clock.unix(),
        )
        .await
        .unwrap();
    let (status, start) = text(&s.app, &s.af, "/start").await;
    assert_eq!(status, 200);
    assert!(!start.contains("Nieuw Kind"), "{start}");
}

#[tokio::test]
async fn the_teacher_sees_what_comes_next_asks_for_a_consultation_and_hears_back() {
    let s = setup().await;
    let id = open(&s, "Antwoord Kind").await;
    // After opening, the teacher's main button asks for the consultation.
    let (_, page) = text(&s.app, &s.juf, &format!("/dossiers/{id}")).await;
    assert!(page.contains("Vraag de aandachtsfunctionaris om overleg"));
    assert!(page.contains("<strong>Volgende:</strong> overleg met de aandachtsfunctionaris"));
    let res = s
        .app
        .post_with(
            &s.juf,
            &format!("/dossiers/{id}/overleg-vragen"),
            &[("vraag", "Wat doe ik nu?")],
        )
        .await;
    assert_eq!(res.status(), 303);

    // The teacher's page and list say it waits; the aandachtsfunctionaris's page has the button.
    let (_, page) = text(&s.app, &s.juf, &format!("/dossiers/{id}")).await;
    assert!(page.contains("wacht op antwoord"));
    assert!(!page.contains("Vraag de aandachtsfunctionaris om overleg"));
    let (_, list) = text(&s.app, &s.juf, "/dossiers").await;
    assert!(list.contains("wacht op antwoord"));
    let (_, af_list) = text(&s.app, &s.af, "/dossiers").await;
    assert!(
        !af_list.contains("wacht op antwoord"),
        "only the one who asked waits"
    );
    let request: i64 =
        sqlx::query_as::<_, (i64,)>("SELECT id FROM consultation_requests WHERE dossier_id = $1")
            .bind(id)
            .fetch_one(s.app.db.pool_for_tests())
            .await
            .unwrap()
            .0;
    let (_, af_page) = text(&s.app, &s.af, &format!("/dossiers/{id}")).await;
    assert!(af_page.contains("Overleg vastleggen"));
    assert!(af_page.contains(&format!("/dossiers/{id}/stap/2?verzoek={request}")));
    assert!(af_page.contains("Wat doe ik nu?"));

    // The answer: the teacher hears back on the start page and by e-mail (without content).
    let today = meldcode::web::format::today_nl(s.app.clock.unix()).to_string();
    let res = s
        .app
        .post_with(
            &s.af,
            &format!("/dossiers/{id}/aantekening"),
            &[
                ("soort", "consultatie"),
                ("verzoek", &request.to_string()),
                ("met", "aandachtsfunctionaris"),
                ("naam", "AF"),
                ("datum", &today),
                ("vraag", "Wat doe ik nu?"),
                ("advies", "Praat eerst met de ouders."),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    // Saved: the whole chronology, at the new entry, never filtered to its step.
    let back = location(&res);
    assert!(
        back.starts_with(&format!("/dossiers/{id}?melding=opgeslagen#aantekening-")),
        "{back}"
    );
    assert!(!back.contains("stap="));
    let (_, start) = text(&s.app, &s.juf, "/start").await;
    assert!(start.contains("Voor u") && start.contains("Uw vraag om overleg is beantwoord"));
    let (kind,): (String,) = sqlx::query_as(
        "SELECT n.kind FROM notifications n JOIN users u ON u.id = n.user_id \
         WHERE n.dossier_id = $1 AND u.email = 'juf@a.nl'",
    )
    .bind(id)
    .fetch_one(s.app.db.pool_for_tests())
    .await
    .unwrap();
    assert_eq!(kind, "overleg_beantwoord");
    assert!(meldcode::mail::text_for(&kind).is_some_and(|t| !t.contains("Antwoord Kind")));
    let (_, list) = text(&s.app, &s.juf, "/dossiers").await;
    assert!(!list.contains("wacht op antwoord"));
    // And the page says what comes next by the meldcode.
    let (_, page) = text(&s.app, &s.juf, &format!("/dossiers/{id}")).await;
    assert!(page.contains("<strong>Volgende:</strong> gesprek met de leerling en/of de ouders"));
    assert!(page.contains(&format!(r#"href="/dossiers/{id}/stap/3""#)));
}

/// Issue 18: the teacher sees when the aandachtsfunctionaris has read her new signal, from the
/// aandachtsfunctionaris's own reads of the dossier (not the teacher's, not before the signal).
#[tokio::test]
async fn the_teacher_sees_when_the_aandachtsfunctionaris_has_read_her_new_signal() {
    let s = setup().await;
    let id = open(&s, "Kind Gelezen").await;
    let page = |c: &reqwest::Client| {
        let c = c.clone();
        let path = format!("/dossiers/{id}");
        let app = &s.app;
        async move { app.get_with(&c, &path).await.text().await.unwrap() }
    };
    let mine = page(&s.juf).await;
    assert!(mine.contains("nog niet gelezen door de aandachtsfunctionaris"));
    // The aandachtsfunctionaris opens the dossier: read.
    let hers = page(&s.af).await;
    assert!(
        !hers.contains("gelezen door de aandachtsfunctionaris"),
        "not on her own page"
    );
    let mine = page(&s.juf).await;
    assert!(mine.contains("<strong>gelezen door de aandachtsfunctionaris</strong>"));
    // A new signal a minute later is unread again until she opens the dossier once more.
    s.app.clock.advance(60);
    let res = s
        .app
        .post_with(
            &s.juf,
            &format!("/dossiers/{id}/aantekening"),
            &[
                ("soort", "signaal"),
                ("aard", "feit"),
                ("waarneming", "Weer een blauwe plek."),
                ("bron", "eigen"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    assert!(
        location(&res).starts_with(&format!("/dossiers/{id}")),
        "recorded"
    );
    let mine = page(&s.juf).await;
    assert!(mine.contains("nog niet gelezen door de aandachtsfunctionaris"));
    page(&s.af).await;
    assert!(
        page(&s.juf)
            .await
            .contains("<strong>gelezen door de aandachtsfunctionaris</strong>")
    );
}

/// Rule (issue 18): a dossier whose step stands still (entries come, no further step for the
/// organisation's quiet days) is flagged in the workspace and counted in the overview e-mail.
#[tokio::test]
async fn a_dossier_gathering_signals_without_a_next_step_is_flagged_as_standing_still() {
    let s = setup().await;
    let id = open(&s, "Stap Kind").await;
    // Twenty days on, the teacher adds another signal: still only step 1.
    s.app.clock.advance(20 * 24 * 3600);
    let juf = client();
    s.app.login_with(&juf, "juf@a.nl", PASSWORD).await;
    let res = s
        .app
        .post_with(
            &juf,
            &format!("/dossiers/{id}/aantekening"),
            &[
                ("soort", "signaal"),
                ("aard", "feit"),
                ("waarneming", "Weer een blauwe plek."),
                ("bron", "eigen"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);

    let af = client();
    s.app.login_with(&af, "af@a.nl", PASSWORD).await;
    let (_, page) = text(&s.app, &af, "/werkruimte?alleen=achterstallig").await;
    assert!(
        page.contains("Staat stil in stap 1 (al 20 dagen)"),
        "{page}"
    );
    assert!(
        !page.contains("Geen aantekening in"),
        "not quiet: entries come"
    );
    let af_id: (i64,) = sqlx::query_as("SELECT id FROM users WHERE email = 'af@a.nl'")
        .fetch_one(s.app.db.pool_for_tests())
        .await
        .unwrap();
    let since = meldcode::domain::progress::quiet_since(
        s.app.clock.unix(),
        meldcode::domain::dossier::QuietDays::DEFAULT,
    );
    let counts = s
        .app
        .db
        .quiet_dossiers_of(af_id.0.into(), since)
        .await
        .unwrap();
    assert_eq!(
        counts,
        (0, 1),
        "the overview counts it as standing still, not quiet"
    );

    // A consultation recorded: step 2 reached today, no longer standing still.
    let res = s
        .app
        .post_with(
            &af,
            &format!("/dossiers/{id}/aantekening"),
            &[
                ("soort", "consultatie"),
                ("met", "aandachtsfunctionaris"),
                ("naam", "AF"),
                ("datum", &today(&s.app)),
                ("vraag", "Wat nu?"),
                ("advies", "Gesprek voeren."),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    let (_, page) = text(&s.app, &af, "/werkruimte").await;
    assert!(!page.contains("Staat stil"));
}
