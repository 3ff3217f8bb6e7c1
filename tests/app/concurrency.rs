//! Many requests at once: nothing may freeze. Each test runs its load at four times the cores,
//! under a timeout, and then checks that the application still serves.

use std::time::Duration;

use meldcode::domain::role::Role;

use crate::common::*;

fn load() -> usize {
    4 * std::thread::available_parallelism().map_or(2, usize::from)
}

/// The morning rush of issue 11: a handful of logins at once froze every login until restart,
/// because each password check took two of the permits that bound them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn many_logins_at_once_right_wrong_and_unknown_all_finish_and_the_next_one_succeeds() {
    let app = spawn_app().await;
    let org = app.seed_org().await;
    let n = load();
    for i in 0..n {
        app.add_teacher(&org, &format!("juf{i}@school.nl")).await;
    }
    app.add_teacher(&org, "meester@school.nl").await;
    let app = std::sync::Arc::new(app);
    let mut logins = tokio::task::JoinSet::new();
    for i in 0..n {
        let app = app.clone();
        logins.spawn(async move {
            let (email, password, expected) = match i % 3 {
                0 => (format!("juf{i}@school.nl"), PASSWORD, 303),
                1 => (format!("juf{i}@school.nl"), "Verkeerd-Wachtwoord-1", 401),
                _ => (
                    format!("onbekend{i}@school.nl"),
                    "Verkeerd-Wachtwoord-1",
                    401,
                ),
            };
            let res = app.login_with(&client(), &email, password).await;
            (res.status().as_u16(), expected)
        });
    }
    let results = tokio::time::timeout(Duration::from_secs(60), logins.join_all())
        .await
        .expect("every login answers: none waits for ever");
    for (status, expected) in results {
        assert_eq!(status, expected);
    }
    let health = app.get("/healthz").await;
    assert_eq!(health.status(), 200);
    let res = tokio::time::timeout(
        Duration::from_secs(10),
        app.login_with(&client(), "meester@school.nl", PASSWORD),
    )
    .await
    .expect("the next login answers");
    assert_eq!(res.status(), 303, "and succeeds");
}

/// Failures are counted in a transaction on the one write connection: many wrong passwords at
/// once on one account must all be counted, none lost and none stuck.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn many_wrong_passwords_at_once_are_all_counted_and_nothing_waits_for_ever() {
    let app = std::sync::Arc::new(spawn_app().await);
    let org = app.seed_org().await;
    app.add_teacher(&org, "juf@school.nl").await;
    let n = load();
    let mut tries = tokio::task::JoinSet::new();
    for _ in 0..n {
        let app = app.clone();
        tries.spawn(async move {
            app.login_with(&client(), "juf@school.nl", "Verkeerd-Wachtwoord-1")
                .await
                .status()
                .as_u16()
        });
    }
    let statuses = tokio::time::timeout(Duration::from_secs(60), tries.join_all())
        .await
        .expect("every attempt answers");
    assert!(
        statuses.iter().all(|s| *s == 401 || *s == 429),
        "{statuses:?}"
    );
    let wrong = statuses.iter().filter(|s| **s == 401).count() as i64;
    let key = format!(
        "account:{}",
        meldcode::store::tokens::hash_token("juf@school.nl")
    );
    let counted = app.db.throttle_counter(&key).await.unwrap().unwrap();
    assert_eq!(counted.failures, wrong, "every wrong password counted once");
}

/// Users added at once, each with roles and audit rows in one transaction, all arrive whole.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn many_users_added_at_once_all_arrive_whole() {
    let app = std::sync::Arc::new(spawn_app().await);
    let org = app.seed_org().await;
    let n = load();
    let mut adds = tokio::task::JoinSet::new();
    for i in 0..n {
        let (app, org_id, school) = (app.clone(), org.id, org.school_a);
        adds.spawn(async move {
            let email = format!("juf{i}@school.nl");
            let roles = [
                (school, Role::Beroepskracht),
                (school, Role::Aandachtsfunctionaris),
            ];
            app.db
                .add_user_with_roles(
                    &meldcode::store::users::NewUser {
                        org_id,
                        email: &email,
                        name: &email,
                        password_hash: None,
                        roles: &roles,
                    },
                    &meldcode::store::users::Actor::default(),
                    app.clock.unix(),
                )
                .await
                .unwrap()
        });
    }
    let ids = tokio::time::timeout(Duration::from_secs(60), adds.join_all())
        .await
        .expect("every addition finishes");
    for id in ids {
        assert_eq!(app.db.roles(id).await.unwrap().len(), 2, "user {id} whole");
    }
}

/// The mail sender of every instance may try to claim the same notification at once: exactly one
/// gets it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_notification_claimed_by_many_senders_at_once_goes_to_exactly_one() {
    let app = std::sync::Arc::new(spawn_app().await);
    let org = app.seed_org().await;
    app.add_user(
        &org,
        "af@school.nl",
        &[(Role::Aandachtsfunctionaris, org.school_a)],
    )
    .await;
    app.add_teacher(&org, "juf@school.nl").await;
    app.login("juf@school.nl").await;
    open_dossier_at(&app, &app.client, org.school_a, "Sam", "lichamelijk").await;
    let now = app.clock.unix();
    let pending = app.db.pending_mail(now, 10).await.unwrap();
    let id = pending.first().expect("a notification to mail").id;
    let mut claims = tokio::task::JoinSet::new();
    for _ in 0..load() {
        let app = app.clone();
        claims.spawn(async move { app.db.claim_mail(id, now, now + 900).await.unwrap() });
    }
    let got = tokio::time::timeout(Duration::from_secs(60), claims.join_all())
        .await
        .expect("every claim answers");
    assert_eq!(got.iter().filter(|c| c.is_some()).count(), 1, "{got:?}");
}
