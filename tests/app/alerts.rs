//! Alerts that do not flood (issue 18): each user chooses per kind of notification an e-mail per
//! event (grouped per ten minutes), a daily or a weekly overview; the overviews are sent once,
//! at seven in the morning, with counts only.

use std::time::Duration;

use meldcode::domain::alerts::{self, Cadence};
use meldcode::domain::role::Role;

use crate::common::*;
use crate::mail::smtp_sink;

/// An organisation with a teacher and an aandachtsfunctionaris of school A, both logged in
/// (the teacher as `app.client`), and the app mailing to a sink.
async fn mailing_app() -> (
    TestApp,
    Org,
    reqwest::Client,
    std::sync::Arc<std::sync::Mutex<Vec<String>>>,
) {
    let (port, mails) = smtp_sink().await;
    let app = spawn_app_with(|s| s.smtp_url = Some(format!("smtp://127.0.0.1:{port}"))).await;
    let org = app.seed_org().await;
    app.add_user(&org, "juf@a.nl", &[(Role::Beroepskracht, org.school_a)])
        .await;
    app.add_user(
        &org,
        "af@a.nl",
        &[(Role::Aandachtsfunctionaris, org.school_a)],
    )
    .await;
    app.login("juf@a.nl").await;
    let af = client();
    assert_eq!(app.login_with(&af, "af@a.nl", PASSWORD).await.status(), 303);
    (app, org, af, mails)
}

/// Saves `choices` as `client` and checks that they were taken.
async fn choose(app: &TestApp, client: &reqwest::Client, choices: &[(&str, &str)]) {
    let res = app.post_with(client, "/account/meldingen", choices).await;
    assert_eq!(res.status(), 303, "choices saved");
    assert_eq!(location(&res), "/account/meldingen?melding=opgeslagen");
}

/// Moves the clock to a minute after the next overview moment of `cadence`.
fn to_next(app: &TestApp, cadence: Cadence) {
    let now = app.clock.unix();
    let due = alerts::next_due(cadence, now).unwrap();
    app.clock.advance(due - now + 60);
}

/// The mail state of every notification of `kind`.
async fn states(app: &TestApp, kind: &str) -> Vec<String> {
    sqlx::query_as::<_, (String,)>(
        "SELECT mail_state FROM notifications WHERE kind = $1 ORDER BY id",
    )
    .bind(kind)
    .fetch_all(app.db.pool_for_tests())
    .await
    .unwrap()
    .into_iter()
    .map(|(s,)| s)
    .collect()
}

/// The mails as their readers see them: quoted-printable undone (lettre breaks long lines with
/// a trailing `=`, which would hide a pupil's name from a plain search).
fn read(mails: &std::sync::Mutex<Vec<String>>) -> Vec<String> {
    mails
        .lock()
        .unwrap()
        .iter()
        .map(|raw| {
            let joined = raw.replace("=\n", "");
            let mut out = Vec::new();
            let bytes = joined.as_bytes();
            let mut i = 0;
            while i < bytes.len() {
                if bytes[i] == b'='
                    && i + 2 < bytes.len()
                    && let Some(b) = std::str::from_utf8(&bytes[i + 1..i + 3])
                        .ok()
                        .and_then(|hex| u8::from_str_radix(hex, 16).ok())
                {
                    out.push(b);
                    i += 3;
                    continue;
                }
                out.push(bytes[i]);
                i += 1;
            }
            String::from_utf8_lossy(&out).into_owned()
        })
        .collect()
}

/// Whether the radio button of `cadence` for `kind` is checked on the page.
fn checked(page: &str, kind: &str, cadence: &str) -> bool {
    let id = format!(r#"id="{kind}-{cadence}""#);
    let Some(at) = page.find(&id) else {
        return false;
    };
    let tag_end = at + page[at..].find('>').unwrap();
    page[at..tag_end].contains("checked")
}

#[tokio::test]
async fn a_user_chooses_per_kind_how_often_they_are_mailed_for_their_own_account_only() {
    let app = spawn_app().await;
    let org = app.seed_org().await;
    let juf = app.add_teacher(&org, "juf@a.nl").await;
    app.add_user(
        &org,
        "af@a.nl",
        &[(Role::Aandachtsfunctionaris, org.school_a)],
    )
    .await;
    app.login("af@a.nl").await;

    // The account page leads to the choice; every mailed kind is there, per event until chosen.
    let account = app.get("/account").await.text().await.unwrap();
    assert!(account.contains(r#"href="/account/meldingen""#));
    let page = app.get("/account/meldingen").await.text().await.unwrap();
    for notice in alerts::choosable() {
        assert!(
            checked(&page, notice.code(), "per_melding"),
            "{}",
            notice.code()
        );
        assert!(page.contains(&format!("<legend>{}</legend>", notice.label())));
    }
    assert!(
        !page.contains(r#"id="toegevoegd-"#),
        "a kind that is never mailed is not offered"
    );
    assert!(
        !page.contains(r#"id="noodmelding-wekelijks""#),
        "an emergency report is not offered weekly"
    );
    assert!(
        page.contains(r#"<label for="nieuw_dossier-dagelijks">Een dagelijks overzicht</label>"#)
    );

    // A field naming another user changes nothing of theirs: the page is about the session's own.
    let juf_id = juf.to_string();
    choose(
        &app,
        &app.client,
        &[
            ("nieuw_dossier", "dagelijks"),
            ("achterstallig", "wekelijks"),
            ("noodmelding", "per_melding"),
            ("user_id", &juf_id),
            ("gebruiker", &juf_id),
        ],
    )
    .await;
    let page = app
        .get("/account/meldingen?melding=opgeslagen")
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("Uw keuze is opgeslagen."));
    let af_id: (i64,) = sqlx::query_as("SELECT id FROM users WHERE email = 'af@a.nl'")
        .fetch_one(app.db.pool_for_tests())
        .await
        .unwrap();
    assert!(
        app.db
            .audit_events_of(af_id.0.into())
            .await
            .unwrap()
            .contains(&"alerts_changed".to_string()),
        "the change of one's choice is in the audit log"
    );
    assert!(checked(&page, "nieuw_dossier", "dagelijks"));
    assert!(checked(&page, "achterstallig", "wekelijks"));
    assert!(checked(&page, "noodmelding", "per_melding"));
    assert!(
        checked(&page, "actie", "per_melding"),
        "left out: per event"
    );

    let rows: Vec<(i64, String, String)> =
        sqlx::query_as("SELECT user_id, kind, cadence FROM user_alert_preferences ORDER BY kind")
            .fetch_all(app.db.pool_for_tests())
            .await
            .unwrap();
    assert!(rows.iter().all(|(u, _, _)| *u != juf.get()), "{rows:?}");
    assert_eq!(
        rows.iter()
            .map(|(_, k, c)| (k.as_str(), c.as_str()))
            .collect::<Vec<_>>(),
        vec![
            ("achterstallig", "wekelijks"),
            ("nieuw_dossier", "dagelijks")
        ]
    );

    // The teacher sees her own choices (none), and saving them leaves the coordinator's alone.
    let juf_client = client();
    app.login_with(&juf_client, "juf@a.nl", PASSWORD).await;
    let page = app
        .get_with(&juf_client, "/account/meldingen")
        .await
        .text()
        .await
        .unwrap();
    assert!(checked(&page, "nieuw_dossier", "per_melding"));
    choose(&app, &juf_client, &[("actie", "dagelijks")]).await;
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM user_alert_preferences")
        .fetch_one(app.db.pool_for_tests())
        .await
        .unwrap();
    assert_eq!(n, 3, "two of the coordinator's and one of the teacher's");

    // Back to per event: no row is kept.
    choose(&app, &juf_client, &[("actie", "per_melding")]).await;
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM user_alert_preferences")
        .fetch_one(app.db.pool_for_tests())
        .await
        .unwrap();
    assert_eq!(n, 2);
}

#[tokio::test]
async fn an_urgent_kind_cannot_wait_a_week_and_the_form_comes_back_with_its_message_and_choices() {
    let app = spawn_app().await;
    let org = app.seed_org().await;
    app.add_user(
        &org,
        "af@a.nl",
        &[(Role::Aandachtsfunctionaris, org.school_a)],
    )
    .await;
    app.login("af@a.nl").await;
    let res = app
        .post(
            "/account/meldingen",
            &[
                ("nieuw_dossier", "dagelijks"),
                ("overleg_gevraagd", "wekelijks"),
                ("actie", "<script>alert(1)</script>"),
            ],
        )
        .await;
    assert_eq!(res.status(), 422);
    let page = res.text().await.unwrap();
    assert!(page.contains("<title>Fout: E-mail over meldingen"));
    assert!(
        page.contains(
            r##"<a href="#overleg_gevraagd">Hierover krijgt u minstens elke dag bericht"##
        )
    );
    assert!(page.contains(r##"<a href="#actie">Kies hoe vaak u e-mail wilt over"##));
    assert!(!page.contains("<script>alert"));
    assert!(
        checked(&page, "nieuw_dossier", "dagelijks"),
        "the valid choice is kept"
    );
    assert!(checked(&page, "overleg_gevraagd", "per_melding"));
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM user_alert_preferences")
        .fetch_one(app.db.pool_for_tests())
        .await
        .unwrap();
    assert_eq!(n, 0, "nothing is saved from a form with a mistake");

    // Without the form token nothing is saved either.
    let res = app
        .client
        .post(app.url("/account/meldingen"))
        .form(&[("nieuw_dossier", "dagelijks")])
        .send()
        .await
        .unwrap();
    assert_ne!(res.status(), 303);
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM user_alert_preferences")
        .fetch_one(app.db.pool_for_tests())
        .await
        .unwrap();
    assert_eq!(n, 0);
}

#[tokio::test]
async fn a_kind_set_to_daily_is_not_mailed_per_event_but_once_in_the_overview_at_seven_without_any_pupil_detail()
 {
    let (app, org, af, mails) = mailing_app().await;
    choose(&app, &af, &[("nieuw_dossier", "dagelijks")]).await;

    open_dossier_at(&app, &app.client, org.school_a, "Noor Geheim", "psychisch").await;
    assert_eq!(
        app.state.jobs().send_mail().await.unwrap(),
        0,
        "no e-mail per event"
    );
    assert_eq!(
        app.state.jobs().send_digests().await.unwrap(),
        0,
        "not before seven"
    );
    assert!(mails.lock().unwrap().is_empty());
    assert_eq!(states(&app, "nieuw_dossier").await, ["pending"]);
    // The start page shows it as before: the choice is about e-mail only.
    assert!(
        app.get_with(&af, "/start")
            .await
            .text()
            .await
            .unwrap()
            .contains("Er is een nieuw dossier geopend")
    );

    to_next(&app, Cadence::Daily);
    assert_eq!(app.state.jobs().send_mail().await.unwrap(), 0);
    assert_eq!(app.state.jobs().send_digests().await.unwrap(), 1);
    {
        let mails = read(&mails);
        assert_eq!(mails.len(), 1);
        let mail = &mails[0];
        assert!(mail.contains("af@a.nl"));
        assert!(mail.contains("Subject: Meldcode: uw dagelijks overzicht"));
        assert!(
            mail.contains("- 1 nieuwe melding van het soort: Er is een nieuw dossier geopend.")
        );
        assert!(mail.contains(&format!("{}/start", app.base)));
        assert!(
            mail.contains(&format!("{}/account/meldingen", app.base)),
            "{mail}"
        );
        assert!(!mail.contains("Noor"), "no pupil name");
        assert!(!mail.contains("Geheim"));
        assert!(!mail.contains("vertrouwelijke"), "no dossier content");
        assert!(
            !mail.contains("geen aantekening in"),
            "nothing is quiet yet"
        );
    }
    assert_eq!(states(&app, "nieuw_dossier").await, ["digested"]);
    // Run again, the same day or the next: nothing is sent twice.
    assert_eq!(app.state.jobs().send_digests().await.unwrap(), 0);
    assert_eq!(app.state.jobs().send_mail().await.unwrap(), 0);
    to_next(&app, Cadence::Daily);
    assert_eq!(app.state.jobs().send_digests().await.unwrap(), 0);
    assert_eq!(mails.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn a_kind_set_to_weekly_waits_for_monday_and_tells_the_coordinator_how_many_dossiers_are_quiet()
 {
    let (app, org, af, mails) = mailing_app().await;
    choose(&app, &af, &[("nieuw_dossier", "wekelijks")]).await;
    open_dossier_at(&app, &app.client, org.school_a, "Stil Kind", "psychisch").await;
    assert_eq!(app.state.jobs().send_mail().await.unwrap(), 0);

    // A daily moment that is not Monday's sends nothing of a weekly kind.
    let now = app.clock.unix();
    let monday = alerts::next_due(Cadence::Weekly, now).unwrap();
    if alerts::next_due(Cadence::Daily, now).unwrap() < monday {
        to_next(&app, Cadence::Daily);
        assert_eq!(app.state.jobs().send_digests().await.unwrap(), 0);
    }
    app.clock.advance(monday - app.clock.unix() - 60);
    assert_eq!(
        app.state.jobs().send_digests().await.unwrap(),
        0,
        "a minute before Monday seven"
    );
    assert!(mails.lock().unwrap().is_empty());

    // Fifteen days after the dossier was opened (the job caught up late), the overview goes
    // out once, and names the dossier's quietness as a count.
    app.clock.advance(now + 15 * 24 * 3600 - app.clock.unix());
    assert_eq!(app.state.jobs().send_digests().await.unwrap(), 1);
    assert_eq!(app.state.jobs().send_digests().await.unwrap(), 0);
    {
        let mails = read(&mails);
        assert_eq!(mails.len(), 1);
        let mail = &mails[0];
        assert!(mail.contains("Subject: Meldcode: uw wekelijks overzicht"));
        assert!(
            mail.contains("- 1 nieuwe melding van het soort: Er is een nieuw dossier geopend.")
        );
        assert!(
            mail.contains("- 1 open dossier op uw scholen heeft geen aantekening in 14 dagen."),
            "{mail}"
        );
        assert!(!mail.contains("Stil"), "no pupil name");
        assert!(!mail.contains("vertrouwelijke"), "no dossier content");
    }
    // The workspace names the same dossier quiet.
    let af = client();
    app.login_with(&af, "af@a.nl", PASSWORD).await;
    let workspace = app.get_with(&af, "/werkruimte").await.text().await.unwrap();
    assert!(workspace.contains("Geen aantekening in 14 dagen"));
}

#[tokio::test]
async fn the_overview_counts_the_dossiers_quiet_after_the_organisations_own_number_of_days() {
    let (app, org, af, mails) = mailing_app().await;
    // The overview reads the organisation's number as the hourly reminder does (the beheerder's
    // form for it is tested in conditions.rs).
    sqlx::query("UPDATE organisations SET quiet_days = 5 WHERE id = $1")
        .bind(org.id)
        .execute(app.db.pool_for_tests())
        .await
        .unwrap();
    choose(&app, &af, &[("nieuw_dossier", "dagelijks")]).await;
    open_dossier_at(&app, &app.client, org.school_a, "Stil Kind", "psychisch").await;
    // Six days on, the overview of that morning: quiet after 5 days, where 14 would not be.
    app.clock.advance(6 * 24 * 3600);
    assert_eq!(app.state.jobs().send_digests().await.unwrap(), 1);
    let mails = read(&mails);
    assert!(
        mails[0].contains("- 1 open dossier op uw scholen heeft geen aantekening in 5 dagen."),
        "{}",
        mails[0]
    );
}

#[tokio::test]
async fn a_kind_left_per_event_is_still_mailed_at_most_once_per_ten_minutes() {
    let (app, org, af, mails) = mailing_app().await;
    // Another kind goes in the overview; new dossiers stay per event.
    choose(&app, &af, &[("achterstallig", "dagelijks")]).await;
    open_dossier_at(&app, &app.client, org.school_a, "Eerste Kind", "psychisch").await;
    open_dossier_at(&app, &app.client, org.school_a, "Tweede Kind", "psychisch").await;
    assert_eq!(app.state.jobs().send_mail().await.unwrap(), 1);
    assert_eq!(app.state.jobs().send_mail().await.unwrap(), 0);
    assert_eq!(states(&app, "nieuw_dossier").await, ["sent", "grouped"]);
    assert_eq!(mails.lock().unwrap().len(), 1);
    assert!(read(&mails)[0].contains("Subject: Meldcode: er staat iets voor u klaar"));

    app.clock.advance(11 * 60);
    let juf = client();
    app.login_with(&juf, "juf@a.nl", PASSWORD).await;
    open_dossier_at(&app, &juf, org.school_a, "Derde Kind", "psychisch").await;
    assert_eq!(app.state.jobs().send_mail().await.unwrap(), 1);
    to_next(&app, Cadence::Daily);
    assert_eq!(
        app.state.jobs().send_digests().await.unwrap(),
        0,
        "nothing of a kind in the overview"
    );
    assert_eq!(mails.lock().unwrap().len(), 2);
}

#[tokio::test]
async fn an_overview_is_sent_once_by_eight_runs_at_once_on_two_instances() {
    let (app, org, af, mails) = mailing_app().await;
    choose(&app, &af, &[("nieuw_dossier", "dagelijks")]).await;
    open_dossier_at(&app, &app.client, org.school_a, "Kind", "psychisch").await;
    open_dossier_at(&app, &app.client, org.school_a, "Ander Kind", "psychisch").await;
    to_next(&app, Cadence::Daily);

    let other = meldcode::AppState::new(
        app.db.clone(),
        (*app.state.settings).clone(),
        app.clock.clone(),
    )
    .await
    .unwrap();
    let runs: Vec<_> = (0..8)
        .map(|i| {
            let jobs = if i % 2 == 0 {
                app.state.jobs()
            } else {
                other.jobs()
            };
            tokio::spawn(async move { jobs.send_digests().await.unwrap() })
        })
        .collect();
    let sent = tokio::time::timeout(Duration::from_secs(60), async {
        let mut sent = 0;
        for run in runs {
            sent += run.await.unwrap();
        }
        sent
    })
    .await
    .expect("eight runs finish within a minute");
    assert_eq!(sent, 1, "one overview, however many runs");
    assert_eq!(mails.lock().unwrap().len(), 1);
    assert!(read(&mails)[0].contains("- 2 nieuwe meldingen van het soort"));
    assert_eq!(
        states(&app, "nieuw_dossier").await,
        ["digested", "digested"]
    );
    let (digests,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM mail_digests")
        .fetch_one(app.db.pool_for_tests())
        .await
        .unwrap();
    assert_eq!(digests, 1);
}

#[tokio::test]
async fn an_overview_left_sending_by_a_sender_that_died_is_sent_after_its_claim_runs_out() {
    let (app, org, af, mails) = mailing_app().await;
    choose(&app, &af, &[("nieuw_dossier", "dagelijks")]).await;
    open_dossier_at(&app, &app.client, org.school_a, "Kind", "psychisch").await;
    to_next(&app, Cadence::Daily);

    // Another sender opens and claims the overview, then dies before it sends.
    let now = app.clock.unix();
    let due = alerts::latest_due(Cadence::Daily, now).unwrap();
    assert_eq!(app.db.open_digests(Cadence::Daily, due).await.unwrap(), 1);
    let id = app.db.claimable_digests(now, 10).await.unwrap()[0];
    let claim = app
        .db
        .claim_digest(id, now, now + meldcode::mail::CLAIM_SECS)
        .await
        .unwrap()
        .expect("claimed");
    assert_eq!(claim.attempts, 1);
    assert_eq!(app.state.jobs().send_digests().await.unwrap(), 0, "held");
    assert_eq!(app.state.jobs().send_mail().await.unwrap(), 0);
    assert!(mails.lock().unwrap().is_empty());

    app.clock.advance(meldcode::mail::CLAIM_SECS + 1);
    assert_eq!(
        app.state.jobs().send_digests().await.unwrap(),
        1,
        "not lost"
    );
    assert_eq!(app.state.jobs().send_digests().await.unwrap(), 0);
    assert_eq!(mails.lock().unwrap().len(), 1);
    assert!(read(&mails)[0].contains("- 1 nieuwe melding van het soort"));
    let (state, attempts): (String, i64) =
        sqlx::query_as("SELECT state, attempts FROM mail_digests WHERE id = $1")
            .bind(id)
            .fetch_one(app.db.pool_for_tests())
            .await
            .unwrap();
    assert_eq!((state.as_str(), attempts), ("sent", 2));
}

#[tokio::test]
async fn going_back_to_per_event_mails_what_waited_for_the_overview() {
    let (app, org, af, mails) = mailing_app().await;
    choose(&app, &af, &[("nieuw_dossier", "dagelijks")]).await;
    open_dossier_at(&app, &app.client, org.school_a, "Kind", "psychisch").await;
    assert_eq!(app.state.jobs().send_mail().await.unwrap(), 0);
    choose(&app, &af, &[("nieuw_dossier", "per_melding")]).await;
    assert_eq!(app.state.jobs().send_mail().await.unwrap(), 1, "not lost");
    to_next(&app, Cadence::Daily);
    assert_eq!(app.state.jobs().send_digests().await.unwrap(), 0);
    assert_eq!(mails.lock().unwrap().len(), 1);
}
