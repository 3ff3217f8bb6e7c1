//! A user's own sessions and password, and confirming the password before exports and role changes.

use meldcode::domain::role::Role;

use crate::common::*;

const NEW_PASSWORD: &str = "Paraplu-Zeilboot-Kaneel-61";

#[tokio::test]
async fn a_user_sees_their_sessions_and_ends_another_one() {
    let app = spawn_app().await;
    let org = app.seed_org().await;
    app.add_user(&org, "juf@a.nl", &[(Role::Beroepskracht, org.school_a)])
        .await;
    let (laptop, tablet) = (client(), client());
    app.login_with(&laptop, "juf@a.nl", PASSWORD).await;
    app.login_with(&tablet, "juf@a.nl", PASSWORD).await;
    let page = app
        .get_with(&laptop, "/account")
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(page.matches("name=\"sessie\"").count(), 2);
    assert!(page.contains("(deze sessie)"));
    // The other session's handle: the one not marked as this session.
    let other = page
        .split("<li>")
        .filter(|li| li.contains("name=\"sessie\"") && !li.contains("(deze sessie)"))
        .map(|li| {
            li.split("name=\"sessie\" value=\"")
                .nth(1)
                .unwrap()
                .split('"')
                .next()
                .unwrap()
                .to_string()
        })
        .next()
        .unwrap();
    let res = app
        .post_with(&laptop, "/account/sessie/beeindigen", &[("sessie", &other)])
        .await;
    assert_eq!(location(&res), "/account?melding=sessie");
    assert!(
        location(&app.get_with(&tablet, "/start").await).starts_with("/login"),
        "the tablet is logged out"
    );
    assert_eq!(
        app.get_with(&laptop, "/start").await.status(),
        200,
        "the laptop is not"
    );
    let res = app
        .post_with(
            &laptop,
            "/account/sessie/beeindigen",
            &[("sessie", "bestaat-niet")],
        )
        .await;
    assert_eq!(res.status(), 404);
}

#[tokio::test]
async fn changing_the_password_asks_the_current_one_and_can_end_other_sessions() {
    let app = spawn_app().await;
    let org = app.seed_org().await;
    let id = app
        .add_user(&org, "juf@a.nl", &[(Role::Beroepskracht, org.school_a)])
        .await;
    let (laptop, tablet) = (client(), client());
    app.login_with(&laptop, "juf@a.nl", PASSWORD).await;
    app.login_with(&tablet, "juf@a.nl", PASSWORD).await;

    let res = app
        .post_with(
            &laptop,
            "/account/wachtwoord",
            &[
                ("huidig", "Fout-wachtwoord-00"),
                ("password", NEW_PASSWORD),
                ("password2", NEW_PASSWORD),
                ("andere_beeindigen", "ja"),
            ],
        )
        .await;
    assert_eq!(res.status(), 422);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("Dit wachtwoord klopt niet.")
    );

    let res = app
        .post_with(
            &laptop,
            "/account/wachtwoord",
            &[
                ("huidig", PASSWORD),
                ("password", NEW_PASSWORD),
                ("password2", NEW_PASSWORD),
                ("andere_beeindigen", "ja"),
            ],
        )
        .await;
    assert_eq!(location(&res), "/account?melding=wachtwoord");
    assert_eq!(
        app.get_with(&laptop, "/start").await.status(),
        200,
        "this session stays"
    );
    assert!(
        location(&app.get_with(&tablet, "/start").await).starts_with("/login"),
        "the others end"
    );
    assert_eq!(
        app.login_with(&client(), "juf@a.nl", PASSWORD)
            .await
            .status(),
        401
    );
    assert_eq!(
        app.login_with(&client(), "juf@a.nl", NEW_PASSWORD)
            .await
            .status(),
        303
    );
    assert!(
        app.db
            .audit_events_of(id)
            .await
            .unwrap()
            .contains(&"password_changed".to_string())
    );
}

#[tokio::test]
async fn a_download_asks_for_the_password_again_after_a_quarter_of_an_hour() {
    let app = spawn_app().await;
    let org = app.seed_org().await;
    app.add_user(&org, "dir@a.nl", &[(Role::Directie, org.school_a)])
        .await;
    app.login("dir@a.nl").await;
    assert_eq!(
        app.get("/evaluatie/csv?tabel=vormen").await.status(),
        200,
        "fresh from the login"
    );

    app.clock.advance(16 * 60);
    let res = app.get("/evaluatie/csv?tabel=vormen").await;
    let to = location(&res);
    assert!(to.starts_with("/bevestigen?terug="), "{to}");
    let back = to.split("terug=").nth(1).unwrap();
    let back: String = serde_urlencoded::from_str::<Vec<(String, String)>>(&format!("t={back}"))
        .unwrap()[0]
        .1
        .clone();
    assert_eq!(back, "/evaluatie/csv?tabel=vormen");
    let res = app
        .post(
            "/bevestigen",
            &[("password", "Fout-wachtwoord-00"), ("terug", &back)],
        )
        .await;
    assert_eq!(res.status(), 422);
    let res = app
        .post("/bevestigen", &[("password", PASSWORD), ("terug", &back)])
        .await;
    assert_eq!(location(&res), back);
    assert_eq!(app.get(&back).await.status(), 200);

    // Never back to another site.
    let res = app
        .post(
            "/bevestigen",
            &[("password", PASSWORD), ("terug", "https://evil.example/")],
        )
        .await;
    assert_eq!(location(&res), "/start");
}

#[tokio::test]
async fn a_role_change_asks_for_the_password_again_after_a_quarter_of_an_hour() {
    let app = spawn_app().await;
    let org = app.seed_org().await;
    app.add_user(&org, "beheer@a.nl", &[(Role::Beheerder, org.school_a)])
        .await;
    let juf = app
        .add_user(&org, "juf@a.nl", &[(Role::Beroepskracht, org.school_a)])
        .await;
    app.login("beheer@a.nl").await;
    app.clock.advance(16 * 60);
    let school = org.school_a.to_string();
    let res = app
        .post(
            &format!("/beheer/gebruikers/{juf}/rol-toevoegen"),
            &[("school", &school), ("rol", "directie")],
        )
        .await;
    assert!(
        location(&res).starts_with("/bevestigen?terug=%2Fbeheer%2Fgebruikers%2F"),
        "{}",
        location(&res)
    );
    assert_eq!(
        app.db.roles(juf).await.unwrap().len(),
        1,
        "nothing changed yet"
    );
}
