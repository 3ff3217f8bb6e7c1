//! Notification e-mails, sent over real SMTP to a small SMTP server started by the test.

use std::sync::{Arc, Mutex};

use meldcode::domain::role::Role;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

use crate::common::*;

/// A minimal SMTP server that accepts every message and keeps its text.
pub async fn smtp_sink() -> (u16, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let mails = Arc::new(Mutex::new(Vec::new()));
    let store = mails.clone();
    tokio::spawn(async move {
        loop {
            let Ok((socket, _)) = listener.accept().await else {
                return;
            };
            let store = store.clone();
            tokio::spawn(async move {
                let (read, mut write) = socket.into_split();
                let mut lines = BufReader::new(read).lines();
                write.write_all(b"220 sink ESMTP\r\n").await.unwrap();
                let mut in_data = false;
                let mut message = String::new();
                while let Ok(Some(line)) = lines.next_line().await {
                    if in_data {
                        if line == "." {
                            in_data = false;
                            store.lock().unwrap().push(std::mem::take(&mut message));
                            write.write_all(b"250 OK queued\r\n").await.unwrap();
                        } else {
                            message.push_str(&line);
                            message.push('\n');
                        }
                        continue;
                    }
                    let upper = line.to_uppercase();
                    let reply: &[u8] = if upper.starts_with("EHLO") || upper.starts_with("HELO") {
                        b"250-sink\r\n250 8BITMIME\r\n"
                    } else if upper.starts_with("DATA") {
                        in_data = true;
                        b"354 go ahead\r\n"
                    } else if upper.starts_with("QUIT") {
                        write.write_all(b"221 bye\r\n").await.unwrap();
                        return;
                    } else {
                        b"250 OK\r\n"
                    };
                    write.write_all(reply).await.unwrap();
                }
            });
        }
    });
    (port, mails)
}

#[tokio::test]
async fn a_new_dossier_mails_the_aandachtsfunctionaris_without_any_pupil_detail_at_most_once_per_ten_minutes()
 {
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

    open_dossier_at(&app, &app.client, org.school_a, "Noor Geheim", "psychisch").await;
    assert_eq!(app.state.jobs().send_mail().await.unwrap(), 1);
    {
        let mails = mails.lock().unwrap();
        assert_eq!(mails.len(), 1);
        let mail = &mails[0];
        assert!(mail.contains("af@a.nl"));
        assert!(mail.contains("/start"));
        assert!(!mail.contains("Noor"), "no pupil name");
        assert!(!mail.contains("Geheim"));
        assert!(!mail.contains("vertrouwelijke"), "no dossier content");
    }

    // A second new dossier within ten minutes: grouped, no second e-mail.
    open_dossier_at(&app, &app.client, org.school_a, "Tweede Kind", "psychisch").await;
    assert_eq!(app.state.jobs().send_mail().await.unwrap(), 0);
    assert_eq!(mails.lock().unwrap().len(), 1);

    // Eleven minutes later, the next one is mailed again.
    app.clock.advance(11 * 60);
    let juf = client();
    app.login_with(&juf, "juf@a.nl", PASSWORD).await;
    open_dossier_at(&app, &juf, org.school_a, "Derde Kind", "psychisch").await;
    assert_eq!(app.state.jobs().send_mail().await.unwrap(), 1);
    assert_eq!(mails.lock().unwrap().len(), 2);
}

#[tokio::test]
async fn without_an_smtp_server_notifications_stay_in_the_app() {
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
    app.login("juf@a.nl").await;
    open_dossier_at(&app, &app.client, org.school_a, "Kind", "psychisch").await;
    assert_eq!(app.state.jobs().send_mail().await.unwrap(), 0);
    let af = client();
    app.login_with(&af, "af@a.nl", PASSWORD).await;
    assert!(
        app.get_with(&af, "/start")
            .await
            .text()
            .await
            .unwrap()
            .contains("nieuw dossier")
    );
}

#[tokio::test]
async fn overdue_dossiers_are_brought_to_the_aandachtsfunctionaris_once_a_day_by_one_instance() {
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
    app.login("juf@a.nl").await;
    open_dossier_at(&app, &app.client, org.school_a, "Stil Kind", "psychisch").await;
    assert_eq!(
        app.state.jobs().remind_overdue().await.unwrap(),
        0,
        "nothing overdue yet"
    );

    let af = client();
    app.login_with(&af, "af@a.nl", PASSWORD).await;
    let quiet = "Geen aantekening in 14 dagen";
    let workspace = app.get_with(&af, "/werkruimte").await.text().await.unwrap();
    assert!(
        !workspace.contains(quiet),
        "the workspace agrees: not quiet yet"
    );

    app.clock.advance(15 * 24 * 3600);
    // The lease taken above has expired by now; a second instance cannot run the job while one holds it.
    assert_eq!(app.state.jobs().remind_overdue().await.unwrap(), 1);
    // The reminder (SQL over the kept state) and the workspace (domain::progress::attention)
    // name the same dossier.
    app.login_with(&af, "af@a.nl", PASSWORD).await;
    let workspace = app.get_with(&af, "/werkruimte").await.text().await.unwrap();
    assert!(workspace.contains(quiet), "the workspace agrees: quiet now");
    let other = meldcode::AppState::new(
        app.db.clone(),
        (*app.state.settings).clone(),
        app.clock.clone(),
    )
    .await
    .unwrap();
    assert_eq!(
        other.jobs().remind_overdue().await.unwrap(),
        0,
        "the other instance does not run it"
    );
    app.clock.advance(3600);
    assert_eq!(
        app.state.jobs().remind_overdue().await.unwrap(),
        0,
        "at most once a day per dossier"
    );
}

/// The state and attempts of the one notification of `kind`.
async fn outbox_row(app: &TestApp, kind: &str) -> (i64, String, i64) {
    sqlx::query_as("SELECT id, mail_state, mail_attempts FROM notifications WHERE kind = $1")
        .bind(kind)
        .fetch_one(app.db.pool_for_tests())
        .await
        .unwrap()
}

/// An organisation with a beroepskracht and an aandachtsfunctionaris at `af_email`, and one new
/// dossier, so that one notification waits to be mailed.
async fn one_notification_for(app: &TestApp, af_email: &str) {
    let org = app.seed_org().await;
    app.add_user(&org, "juf@a.nl", &[(Role::Beroepskracht, org.school_a)])
        .await;
    app.add_user(
        &org,
        af_email,
        &[(Role::Aandachtsfunctionaris, org.school_a)],
    )
    .await;
    app.login("juf@a.nl").await;
    open_dossier_at(app, &app.client, org.school_a, "Kind", "psychisch").await;
}

#[tokio::test]
async fn a_notification_to_an_address_the_mail_library_refuses_is_marked_failed_not_left_sending() {
    let (port, mails) = smtp_sink().await;
    let app = spawn_app_with(|s| s.smtp_url = Some(format!("smtp://127.0.0.1:{port}"))).await;
    // Stored before addresses were checked by the mail library.
    one_notification_for(&app, "a,b@x.nl").await;
    assert_eq!(app.state.jobs().send_mail().await.unwrap(), 0);
    let (_, state, _) = outbox_row(&app, "nieuw_dossier").await;
    assert_eq!(state, "failed");
    assert!(mails.lock().unwrap().is_empty());
}

#[tokio::test]
async fn a_send_that_keeps_failing_is_retried_after_a_delay_a_bounded_number_of_times_then_failed()
{
    // A port nobody listens on: every connection is refused.
    let closed = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    let app = spawn_app_with(|s| s.smtp_url = Some(format!("smtp://127.0.0.1:{port}"))).await;
    one_notification_for(&app, "af@a.nl").await;

    for attempt in 1..meldcode::mail::MAX_ATTEMPTS {
        assert_eq!(app.state.jobs().send_mail().await.unwrap(), 0);
        let (_, state, attempts) = outbox_row(&app, "nieuw_dossier").await;
        assert_eq!((state.as_str(), attempts), ("pending", attempt));
        // Not tried again before its delay has passed.
        app.state.jobs().send_mail().await.unwrap();
        assert_eq!(outbox_row(&app, "nieuw_dossier").await.2, attempt);
        app.clock.advance(meldcode::mail::retry_delay(attempt) + 1);
    }
    app.state.jobs().send_mail().await.unwrap();
    let (_, state, attempts) = outbox_row(&app, "nieuw_dossier").await;
    assert_eq!(
        (state.as_str(), attempts),
        ("failed", meldcode::mail::MAX_ATTEMPTS)
    );
    app.clock.advance(24 * 3600);
    app.state.jobs().send_mail().await.unwrap();
    assert_eq!(
        outbox_row(&app, "nieuw_dossier").await.2,
        meldcode::mail::MAX_ATTEMPTS
    );
}

#[tokio::test]
async fn a_notification_left_sending_by_a_sender_that_died_is_sent_again_after_a_while() {
    let (port, mails) = smtp_sink().await;
    let app = spawn_app_with(|s| s.smtp_url = Some(format!("smtp://127.0.0.1:{port}"))).await;
    one_notification_for(&app, "af@a.nl").await;
    let (id, _, _) = outbox_row(&app, "nieuw_dossier").await;
    // Another instance claims it and dies before it finishes.
    let now = app.clock.unix();
    assert_eq!(
        app.db
            .claim_mail(id, now, now + meldcode::mail::CLAIM_SECS)
            .await
            .unwrap(),
        Some(1)
    );
    assert_eq!(app.state.jobs().send_mail().await.unwrap(), 0);
    assert_eq!(outbox_row(&app, "nieuw_dossier").await.1, "sending");

    app.clock.advance(meldcode::mail::CLAIM_SECS + 1);
    assert_eq!(app.state.jobs().send_mail().await.unwrap(), 1);
    let (_, state, attempts) = outbox_row(&app, "nieuw_dossier").await;
    assert_eq!((state.as_str(), attempts), ("sent", 2));
    assert_eq!(mails.lock().unwrap().len(), 1);
}
