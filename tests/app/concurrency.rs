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
        app.add_user(
            &org,
            &format!("juf{i}@school.nl"),
            &[(Role::Beroepskracht, org.school_a)],
        )
        .await;
    }
    app.add_user(
        &org,
        "meester@school.nl",
        &[(Role::Beroepskracht, org.school_a)],
    )
    .await;
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
