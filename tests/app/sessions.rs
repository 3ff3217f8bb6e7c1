//! Errors and sessions, as a user meets them: messages that name their field, "Fout:" in the
//! title, optional fields marked, dates typed as day-month-year, the time the session ends beside
//! a form, and a form sent after the session ended filled in again after the next login (only for
//! the user whose session it was, never planted from another site, and not kept for ever).

use meldcode::domain::session::{DRAFT_KEEP_SECS, IDLE_SECS};
use meldcode::web::format::clock_nl;

use crate::common::*;

/// A logged-in teacher of school A with a dossier of their own.
async fn teacher_with_dossier() -> (TestApp, Org, meldcode::domain::ids::DossierId) {
    let app = spawn_app().await;
    let org = app.seed_org().await;
    app.add_teacher(&org, "juf@school.nl").await;
    app.login("juf@school.nl").await;
    let client = app.client.clone();
    let id = open_dossier_at(&app, &client, org.school_a, "Sam de Vries", "lichamelijk").await;
    (app, org, id)
}

/// Posts a form with a token taken earlier (the page was loaded before the session ended).
async fn post_with_token(
    app: &TestApp,
    client: &reqwest::Client,
    path: &str,
    token: &str,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    let mut form: Vec<(&str, &str)> = vec![("_csrf", token)];
    form.extend_from_slice(fields);
    client.post(app.url(path)).form(&form).send().await.unwrap()
}

async fn entries(app: &TestApp, id: meldcode::domain::ids::DossierId) -> i64 {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM entries WHERE dossier_id = $1")
        .bind(id.get())
        .fetch_one(app.db.pool_for_tests())
        .await
        .unwrap();
    n
}

const OBSERVATION: &str = "Sam had vanochtend een blauwe plek op de arm en zei: papa was boos.";

#[tokio::test]
async fn a_form_with_mistakes_says_fout_in_its_title_and_names_each_field_by_its_label() {
    let (app, _org, _id) = teacher_with_dossier().await;
    let res = app.post("/dossiers/nieuw", &[("naam", "Sam")]).await;
    assert_eq!(res.status(), 422);
    let body = res.text().await.unwrap();
    assert!(
        body.contains("<title>Fout: Ik maak me zorgen"),
        "title starts with Fout:"
    );
    let summary = body.find("error-summary").expect("a summary");
    assert!(
        summary
            < body
                .find("<form method=\"post\" action=\"/dossiers/nieuw\"")
                .unwrap()
    );
    assert!(body.contains(r#"class="error-summary" role="alert" tabindex="-1""#));
    // Each message in the summary stands on its own: it names its field.
    assert!(body.contains("Vul de geboortedatum in"));
    assert!(
        body.contains("Beschrijving: "),
        "a short message gets its field's label"
    );

    let ok = app.get("/dossiers/nieuw").await.text().await.unwrap();
    assert!(ok.contains("<title>Ik maak me zorgen"));
}

#[tokio::test]
async fn optional_fields_say_niet_verplicht_and_dates_are_typed_as_day_month_year() {
    let (app, _org, id) = teacher_with_dossier().await;
    for path in ["/nood/melding", "/dossiers/nieuw"] {
        let body = app.get(path).await.text().await.unwrap();
        assert!(
            body.contains("(niet verplicht)"),
            "{path} marks optional fields"
        );
        assert!(
            !body.contains(r#"type="date""#),
            "{path} has no date widget"
        );
        assert!(body.contains(
            r#"id="geboortedatum" name="geboortedatum" type="text" inputmode="numeric""#
        ));
    }
    // An entry form: a date typed as the browser's widget would send it comes back as dd-mm-jjjj.
    let body = app
        .post(
            &format!("/dossiers/{id}/aantekening"),
            &[("soort", "gesprek"), ("datum", "2026-01-05")],
        )
        .await
        .text()
        .await
        .unwrap();
    assert!(!body.contains(r#"type="date""#));
    assert!(body.contains(r#"inputmode="numeric" value="05-01-2026""#));
    assert!(body.contains("bijvoorbeeld 28-11-2026"));
    // And a date typed day-month-year is accepted.
    let res = app
        .post(
            "/dossiers/nieuw",
            &[
                ("naam", "Noor Jansen"),
                ("geboortedatum", "28-11-2016"),
                ("medewerker", "nee"),
                ("vormen", "lichamelijk"),
                ("aard", "feit"),
                ("waarneming", "Zag iets"),
                ("bron", "eigen"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
}

#[tokio::test]
async fn a_page_with_a_form_says_when_the_session_ends_without_activity() {
    let (app, _org, _id) = teacher_with_dossier().await;
    let now = app.clock.unix();
    let body = app.get("/dossiers/nieuw").await.text().await.unwrap();
    // The session began a moment ago (the login): its end is at most a few seconds before now + 30 min.
    let told = (0..10)
        .map(|s| clock_nl(now + IDLE_SECS - s))
        .any(|at| body.contains(&format!("Zonder activiteit wordt u om {at} uitgelogd.")));
    assert!(told, "the time the session ends stands beside the form");
    // The script's warning comes five minutes before the end.
    let warn_in: i64 = body
        .split(r#"data-warn-in=""#)
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .and_then(|n| n.parse().ok())
        .expect("the warning's time");
    assert!((IDLE_SECS - 5 * 60 - 10..=IDLE_SECS - 5 * 60).contains(&warn_in));
}

#[tokio::test]
async fn staying_logged_in_moves_the_idle_limit_on() {
    let (app, _org, _id) = teacher_with_dossier().await;
    app.clock.advance(26 * 60);
    let res = app.get("/sessie/verlengen").await;
    assert_eq!(res.status(), 204);
    app.clock.advance(26 * 60);
    assert_eq!(app.get("/start").await.status(), 200, "still logged in");
    app.clock.advance(IDLE_SECS + 1);
    let res = app.get("/sessie/verlengen").await;
    assert!(
        location(&res).starts_with("/login"),
        "after the limit, a login"
    );
}

#[tokio::test]
async fn an_entry_form_sent_after_the_session_ended_is_filled_in_again_after_logging_in() {
    let (app, _org, id) = teacher_with_dossier().await;
    let user = app
        .db
        .credentials("juf@school.nl")
        .await
        .unwrap()
        .unwrap()
        .id;
    let token = app.token_with(&app.client).await;
    let before = entries(&app, id).await;
    app.clock.advance(IDLE_SECS + 60);

    let res = post_with_token(
        &app,
        &app.client,
        &format!("/dossiers/{id}/aantekening"),
        &token,
        &[
            ("soort", "signaal"),
            ("aard", "feit"),
            ("waarneming", OBSERVATION),
            ("bron", "eigen"),
        ],
    )
    .await;
    assert_eq!(res.status(), 303);
    assert_eq!(location(&res), "/login?melding=bewaard");
    let login = app
        .get("/login?melding=bewaard")
        .await
        .text()
        .await
        .unwrap();
    assert!(login.contains("hebben we voor u bewaard"));
    assert_eq!(
        entries(&app, id).await,
        before,
        "nothing was saved in the dossier"
    );

    let res = app.login("juf@school.nl").await;
    let landing = location(&res);
    assert_eq!(landing, format!("/dossiers/{id}/stap/1?soort=signaal"));
    let page = app.get(&landing).await.text().await.unwrap();
    assert!(page.contains(OBSERVATION), "the typed text is in the form");
    assert!(page.contains(r#"id="aard-feit" name="aard" value="feit" checked"#));
    assert!(page.contains("Uw tekst is terug."));
    assert!(page.contains("Het is nog niet opgeslagen"));

    // Restored once: the draft is gone, and both moments are in the audit log.
    let again = app.get(&landing).await.text().await.unwrap();
    assert!(!again.contains(OBSERVATION));
    assert_eq!(
        app.db.draft_path(user, app.clock.unix()).await.unwrap(),
        None
    );
    let events = app.db.audit_events_of(user).await.unwrap();
    assert!(events.contains(&"form_kept".to_string()));
    assert!(events.contains(&"form_restored".to_string()));
}

#[tokio::test]
async fn the_opening_and_emergency_forms_come_back_filled_in_after_logging_in() {
    let (app, _org, _id) = teacher_with_dossier().await;
    for (path, fields) in [
        (
            "/dossiers/nieuw",
            vec![
                ("naam", "Noor Jansen"),
                ("geboortedatum", "28-11-2016"),
                ("waarneming", OBSERVATION),
            ],
        ),
        (
            "/nood/melding",
            vec![
                ("naam", "Noor Jansen"),
                ("gebeld", "112"),
                ("wat", OBSERVATION),
            ],
        ),
    ] {
        let token = app.token_with(&app.client).await;
        app.clock.advance(IDLE_SECS + 60);
        let res = post_with_token(&app, &app.client, path, &token, &fields).await;
        assert_eq!(location(&res), "/login?melding=bewaard", "{path}");
        let res = app.login("juf@school.nl").await;
        assert_eq!(location(&res), path);
        let page = app.get(path).await.text().await.unwrap();
        assert!(page.contains(OBSERVATION), "{path}: the text is back");
        assert!(
            page.contains(r#"value="Noor Jansen""#),
            "{path}: the name is back"
        );
        assert!(page.contains("Uw tekst is terug."));
    }
}

#[tokio::test]
async fn a_kept_form_is_restored_only_to_the_user_whose_session_ended() {
    let (app, org, id) = teacher_with_dossier().await;
    app.add_teacher(&org, "meester@school.nl").await;
    let token = app.token_with(&app.client).await;
    app.clock.advance(IDLE_SECS + 60);
    post_with_token(
        &app,
        &app.client,
        &format!("/dossiers/{id}/aantekening"),
        &token,
        &[("soort", "signaal"), ("waarneming", OBSERVATION)],
    )
    .await;

    // Another user logging in, even in the same browser, lands on their start page.
    let res = app
        .login_with(&app.client, "meester@school.nl", PASSWORD)
        .await;
    assert_eq!(location(&res), "/start");
    let page = app
        .get(&format!("/dossiers/{id}/stap/1?soort=signaal"))
        .await
        .text()
        .await
        .unwrap();
    assert!(!page.contains(OBSERVATION));
}

#[tokio::test]
async fn a_post_from_another_site_or_without_the_sessions_token_keeps_nothing() {
    let (app, _org, id) = teacher_with_dossier().await;
    let user = app
        .db
        .credentials("juf@school.nl")
        .await
        .unwrap()
        .unwrap()
        .id;
    let token = app.token_with(&app.client).await;
    app.clock.advance(IDLE_SECS + 60);
    let path = format!("/dossiers/{id}/aantekening");
    // From another site, with the right token even: refused before the form is read.
    let res = app
        .client
        .post(app.url(&path))
        .header("sec-fetch-site", "cross-site")
        .form(&[
            ("_csrf", token.as_str()),
            ("soort", "signaal"),
            ("waarneming", "geplant"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    assert_eq!(
        app.db.draft_path(user, app.clock.unix()).await.unwrap(),
        None
    );

    // A second session of the same user, with a wrong token: shown back, never kept.
    let (app2, token2) = (&app, "niet-het-token");
    let other = client();
    app2.login_with(&other, "juf@school.nl", PASSWORD).await;
    app2.clock.advance(IDLE_SECS + 60);
    let res = post_with_token(
        app2,
        &other,
        &path,
        token2,
        &[("soort", "signaal"), ("waarneming", OBSERVATION)],
    )
    .await;
    assert_eq!(res.status(), 403);
    let body = res.text().await.unwrap();
    assert!(body.contains(OBSERVATION), "the text is shown back");
    assert!(body.contains("Beschrijving"), "under the form's own label");
    assert!(
        !body.contains(">waarneming<"),
        "not under its internal name"
    );
    assert_eq!(
        app.db.draft_path(user, app.clock.unix()).await.unwrap(),
        None
    );
}

#[tokio::test]
async fn a_kept_form_expires_after_a_few_hours_and_the_tidy_up_job_deletes_it() {
    let (app, _org, id) = teacher_with_dossier().await;
    let user = app
        .db
        .credentials("juf@school.nl")
        .await
        .unwrap()
        .unwrap()
        .id;
    let token = app.token_with(&app.client).await;
    app.clock.advance(IDLE_SECS + 60);
    post_with_token(
        &app,
        &app.client,
        &format!("/dossiers/{id}/aantekening"),
        &token,
        &[("soort", "signaal"), ("waarneming", OBSERVATION)],
    )
    .await;
    assert!(
        app.db
            .draft_path(user, app.clock.unix())
            .await
            .unwrap()
            .is_some()
    );

    app.clock.advance(DRAFT_KEEP_SECS + 1);
    let res = app.login("juf@school.nl").await;
    assert_eq!(
        location(&res),
        "/start",
        "an expired form is not returned to"
    );
    assert_eq!(app.state.jobs().delete_expired_drafts().await.unwrap(), 1);
    assert_eq!(app.state.jobs().delete_expired_drafts().await.unwrap(), 0);
}
