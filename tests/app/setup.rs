//! The one-time setup link and users' activation links.

use meldcode::store::tokens::{Purpose, new_token};

use crate::common::*;

async fn app_with_setup_link() -> (TestApp, String) {
    let app = spawn_app().await;
    let token = new_token();
    app.db
        .store_token(&token, Purpose::Setup, None, app.clock.unix(), 3600)
        .await
        .unwrap();
    (app, format!("/setup/{token}"))
}

const NEW_PASSWORD: &str = "Lantaarn-Molen-Regenjas-7";

fn setup_form(password2: &str) -> Vec<(&'static str, String)> {
    vec![
        ("organisatie", "Stichting PCPO Voorbeeld".into()),
        ("school", "De Wegwijzer".into()),
        ("naam", "Petra Smit".into()),
        ("email", "petra@pcpo.example".into()),
        ("password", NEW_PASSWORD.into()),
        ("password2", password2.into()),
    ]
}

async fn post_owned(
    app: &TestApp,
    path: &str,
    form: &[(&'static str, String)],
) -> reqwest::Response {
    let fields: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    app.post(path, &fields).await
}

#[tokio::test]
async fn the_setup_link_creates_organisation_school_and_beheerder_and_works_once() {
    let (app, link) = app_with_setup_link().await;
    assert_eq!(app.get(&link).await.status(), 200);

    let res = post_owned(&app, &link, &setup_form(NEW_PASSWORD)).await;
    assert_eq!(res.status(), 303);
    assert_eq!(location(&res), "/login?melding=ingericht");

    let org = app
        .db
        .organisation()
        .await
        .unwrap()
        .expect("organisation created");
    assert_eq!(org.name, "Stichting PCPO Voorbeeld");
    assert_eq!(org.veilig_thuis_phone, "0800-2000");
    assert_eq!(
        app.db.schools(org.id).await.unwrap()[0].name,
        "De Wegwijzer"
    );

    // The new beheerder can log in and lands on the beheer page.
    let c = client();
    let res = app.login_with(&c, "petra@pcpo.example", NEW_PASSWORD).await;
    assert_eq!(res.status(), 303);
    // A new organisation requires two-factor authentication for the beheerder: set it up first.
    assert_eq!(
        location(&app.get_with(&c, "/start").await),
        "/account/tweestaps"
    );

    // The link is spent, for viewing and for posting.
    assert_eq!(app.get(&link).await.status(), 410);
    assert_eq!(
        post_owned(&app, &link, &setup_form(NEW_PASSWORD))
            .await
            .status(),
        410
    );
}

#[tokio::test]
async fn an_unknown_setup_link_does_not_work() {
    let (app, _link) = app_with_setup_link().await;
    assert_eq!(app.get("/setup/verzonnen").await.status(), 410);
}

#[tokio::test]
async fn a_setup_form_with_mistakes_comes_back_with_the_text_kept_and_no_password() {
    let (app, link) = app_with_setup_link().await;
    let res = post_owned(&app, &link, &setup_form("Iets-anders-dan-eerst-1")).await;
    assert_eq!(res.status(), 422);
    let body = res.text().await.unwrap();
    assert!(body.contains("De twee wachtwoorden zijn niet gelijk."));
    assert!(body.contains(r#"value="Stichting PCPO Voorbeeld""#));
    assert!(body.contains(r#"value="petra@pcpo.example""#));
    assert!(!body.contains(NEW_PASSWORD));
    assert!(app.db.organisation().await.unwrap().is_none());

    let mut weak = setup_form("welkom123456");
    weak[4].1 = "welkom123456".into();
    let body = post_owned(&app, &link, &weak).await.text().await.unwrap();
    assert!(body.contains("te makkelijk te raden"));
}

#[tokio::test]
async fn an_activation_link_lets_a_new_user_choose_a_password_once() {
    let app = spawn_app().await;
    let org = app.seed_org().await;
    app.add_user(
        &org,
        "beheer@school.nl",
        &[(meldcode::domain::role::Role::Beheerder, org.school_a)],
    )
    .await;
    app.login("beheer@school.nl").await;

    let school = org.school_a.to_string();
    let res = app
        .post(
            "/beheer/gebruikers/nieuw",
            &[
                ("naam", "Joris Kok"),
                ("email", "joris@school.nl"),
                ("school", &school),
                ("rol", "beroepskracht"),
                ("rol", "directie"),
            ],
        )
        .await;
    assert_eq!(res.status(), 200);
    let page = res.text().await.unwrap();
    let start = page.find("/activeren/").expect("the link is shown");
    let token: String = page[start + "/activeren/".len()..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    let link = format!("/activeren/{token}");

    let joris = client();
    assert_eq!(app.get_with(&joris, &link).await.status(), 200);
    // Before activation the account has no password: nothing opens it.
    assert_eq!(
        app.login_with(&client(), "joris@school.nl", "")
            .await
            .status(),
        401
    );

    let res = app
        .post_with(
            &joris,
            &link,
            &[("password", "kort"), ("password2", "kort")],
        )
        .await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.unwrap().contains("minstens 12"));

    let res = app
        .post_with(
            &joris,
            &link,
            &[("password", NEW_PASSWORD), ("password2", NEW_PASSWORD)],
        )
        .await;
    assert_eq!(location(&res), "/login?melding=geactiveerd");
    assert_eq!(
        app.login_with(&joris, "joris@school.nl", NEW_PASSWORD)
            .await
            .status(),
        303
    );

    let roles: Vec<_> = app
        .db
        .roles(
            app.db
                .credentials("joris@school.nl")
                .await
                .unwrap()
                .unwrap()
                .id,
        )
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.role.code())
        .collect();
    assert_eq!(roles, vec!["beroepskracht", "directie"]);
    assert_eq!(app.get_with(&client(), &link).await.status(), 410);
}
