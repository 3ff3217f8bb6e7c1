//! Single sign-on end to end against a real OpenID provider: `oidc-provider` (npm, a certified
//! implementation) runs as a child process (tests/oidc/provider.mjs), and the test walks a
//! browser's way by hand: the application → the provider's login form → the application's
//! callback. `npm ci --prefix tests/oidc` installs the provider.

use meldcode::domain::role::Role;

use crate::common::*;

#[path = "../support/idp.rs"]
mod idp;
use idp::{CLIENT_SECRET, IdP};

/// Starts a provider that sends browsers back to `app`'s callback.
async fn start_provider(app: &TestApp, rogue: bool) -> IdP {
    idp::start_provider(&app.url("/login/sso/terug"), rogue).await
}

/// The organisation, a beheerder who configures `idp` on the beheer page, and the teacher
/// juf@school.nl of school A.
async fn organisation_with(app: &TestApp, idp: &IdP, domains: &str) -> Org {
    let org = app.seed_org().await;
    app.add_user(&org, "beheer@school.nl", &[(Role::Beheerder, org.school_a)])
        .await;
    app.add_teacher(&org, "juf@school.nl").await;
    let beheer = client();
    let res = app.login_with(&beheer, "beheer@school.nl", PASSWORD).await;
    assert_eq!(res.status(), 303);
    let res = app
        .post_with(
            &beheer,
            "/beheer/sso",
            &[
                ("aanbieder", "anders"),
                ("issuer", &idp.issuer),
                ("naam", "Stichting Test"),
                ("client_id", idp::CLIENT_ID),
                ("client_secret", CLIENT_SECRET),
                ("domeinen", domains),
                ("wachtwoord", "ja"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303, "the provider is saved");
    org
}

fn absolute(base: &str, location: &str) -> String {
    reqwest::Url::parse(base)
        .unwrap()
        .join(location)
        .unwrap()
        .to_string()
}

/// What the test account tells the provider's login form.
struct Account<'a> {
    login: &'a str,
    verified: bool,
    mfa: bool,
}

impl<'a> Account<'a> {
    fn verified(login: &'a str) -> Account<'a> {
        Account {
            login,
            verified: true,
            mfa: false,
        }
    }
}

/// Presses "Inloggen met …" and logs in at the provider: returns the address the provider sends
/// the browser back to (the application's callback with code and state), not yet followed.
async fn through_provider(app: &TestApp, c: &reqwest::Client, account: &Account<'_>) -> String {
    let mut next = to_provider(app, c).await;
    // The provider: authorization endpoint → its login form.
    let res = c.get(&next).send().await.unwrap();
    assert_eq!(res.status(), 303, "the provider asks for a login");
    next = absolute(&next, &location(&res));
    let res = c.get(&next).send().await.unwrap();
    assert_eq!(res.status(), 200, "the provider's login form");
    let res = c
        .post(&next)
        .form(&[
            ("login", account.login),
            ("verified", if account.verified { "1" } else { "0" }),
            ("mfa", if account.mfa { "1" } else { "0" }),
        ])
        .send()
        .await
        .unwrap();
    assert!(
        res.status().is_redirection(),
        "the provider takes the login"
    );
    next = absolute(&next, &location(&res));
    // Back at the authorization endpoint, which now answers with the code.
    for _ in 0..3 {
        let res = c.get(&next).send().await.unwrap();
        assert!(
            res.status().is_redirection(),
            "the provider redirects, got {}",
            res.status()
        );
        next = absolute(&next, &location(&res));
        if next.starts_with(&app.url("/login/sso/terug")) {
            return next;
        }
    }
    panic!("the provider did not send the browser back: {next}");
}

fn with_param(url: &str, key: &str, value: &str) -> String {
    let mut url = reqwest::Url::parse(url).unwrap();
    let pairs: Vec<(String, String)> = url
        .query_pairs()
        .map(|(k, v)| {
            let v = if k == key {
                value.to_string()
            } else {
                v.into()
            };
            (k.into(), v)
        })
        .collect();
    url.query_pairs_mut().clear().extend_pairs(pairs);
    url.to_string()
}

/// Presses "Inloggen met …": the page that goes on to the provider; returns where it goes.
async fn to_provider(app: &TestApp, c: &reqwest::Client) -> String {
    let res = app.post_with(c, "/login/sso", &[]).await;
    assert_eq!(res.status(), 200, "the button leads to a page that goes on");
    let html = res.text().await.unwrap();
    assert!(html.contains("http-equiv=\"refresh\""), "{html}");
    let at = html
        .find("class=\"button\" href=\"")
        .expect("a link to the provider")
        + "class=\"button\" href=\"".len();
    html[at..at + html[at..].find('"').unwrap()]
        .replace("&amp;", "&")
        .replace("&#38;", "&")
}

fn param(url: &str, key: &str) -> String {
    reqwest::Url::parse(url)
        .unwrap()
        .query_pairs()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

async fn is_logged_in(app: &TestApp, c: &reqwest::Client) -> bool {
    app.get_with(c, "/start").await.status() == 200
}

async fn login_rows(app: &TestApp, subject: &str) -> i64 {
    let (n,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM audit_log WHERE event = 'login' AND subject = $1")
            .bind(subject)
            .fetch_one(app.db.pool_for_tests())
            .await
            .unwrap();
    n
}

#[tokio::test]
async fn oidc_a_teacher_logs_in_through_the_organisations_provider() {
    let app = spawn_app().await;
    let idp = start_provider(&app, false).await;
    organisation_with(&app, &idp, "").await;
    let c = client();

    let page = app.get_with(&c, "/login").await.text().await.unwrap();
    assert!(page.contains("Inloggen met Stichting Test"));
    let back = through_provider(&app, &c, &Account::verified("juf@school.nl")).await;
    let res = c.get(&back).send().await.unwrap();

    assert_eq!(res.status(), 303);
    assert!(!location(&res).starts_with("/login"), "{}", location(&res));
    assert!(is_logged_in(&app, &c).await);
    assert_eq!(login_rows(&app, "sso").await, 1, "the login is audited");
}

#[tokio::test]
async fn oidc_the_beheer_page_never_shows_the_client_secret() {
    let app = spawn_app().await;
    let idp = start_provider(&app, false).await;
    organisation_with(&app, &idp, "school.nl").await;
    let beheer = client();
    app.login_with(&beheer, "beheer@school.nl", PASSWORD).await;

    let page = app
        .get_with(&beheer, "/beheer/sso")
        .await
        .text()
        .await
        .unwrap();

    assert!(page.contains("Ingesteld"));
    assert!(!page.contains(CLIENT_SECRET));
    assert!(page.contains(&idp.issuer));
}

#[tokio::test]
async fn oidc_a_return_without_the_strict_session_cookie_continues_from_our_own_page() {
    let app = spawn_app().await;
    let idp = start_provider(&app, false).await;
    organisation_with(&app, &idp, "").await;
    let c = client();
    let back = through_provider(&app, &c, &Account::verified("juf@school.nl")).await;

    // A browser does not send a SameSite=Strict cookie on a redirect another site started.
    let page = client().get(&back).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("http-equiv=\"refresh\""));
    let start = html
        .find("href=\"/login/sso/terug?")
        .expect("a link onwards")
        + 6;
    let next = html[start..start + html[start..].find('"').unwrap()]
        .replace("&amp;", "&")
        .replace("&#38;", "&");
    // The page's own link, followed from our site, carries the cookie.
    let res = app.get_with(&c, &next).await;

    assert_eq!(res.status(), 303, "{next}: {}", res.text().await.unwrap());
    assert!(is_logged_in(&app, &c).await);
}

#[tokio::test]
async fn oidc_a_return_with_another_state_logs_nobody_in() {
    let app = spawn_app().await;
    let idp = start_provider(&app, false).await;
    organisation_with(&app, &idp, "").await;
    let c = client();
    let back = through_provider(&app, &c, &Account::verified("juf@school.nl")).await;

    let res = c
        .get(with_param(&back, "state", "een-andere-state"))
        .send()
        .await
        .unwrap();

    assert_eq!(res.status(), 400);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("Inloggen is niet gelukt")
    );
    assert!(!is_logged_in(&app, &c).await);
    // The flow was used up: the right state no longer helps either.
    let res = c.get(format!("{back}&verder=1")).send().await.unwrap();
    assert_eq!(res.status(), 400);
    assert!(!is_logged_in(&app, &c).await);
}

#[tokio::test]
async fn oidc_a_code_used_once_does_not_log_in_again() {
    let app = spawn_app().await;
    let idp = start_provider(&app, false).await;
    organisation_with(&app, &idp, "").await;
    let first = client();
    let back = through_provider(&app, &first, &Account::verified("juf@school.nl")).await;
    assert_eq!(first.get(&back).send().await.unwrap().status(), 303);

    // Another browser begins a flow of its own and is handed the used code with its own state.
    let other = client();
    let state = param(&to_provider(&app, &other).await, "state");
    let res = other
        .get(with_param(&back, "state", &state))
        .send()
        .await
        .unwrap();

    assert_eq!(res.status(), 401);
    assert!(!is_logged_in(&app, &other).await);
}

#[tokio::test]
async fn oidc_an_id_token_the_providers_keys_do_not_confirm_is_refused() {
    let app = spawn_app().await;
    let idp = start_provider(&app, true).await;
    organisation_with(&app, &idp, "").await;
    let c = client();
    let back = through_provider(&app, &c, &Account::verified("juf@school.nl")).await;

    let res = c.get(&back).send().await.unwrap();

    assert_eq!(res.status(), 401);
    assert!(!is_logged_in(&app, &c).await);
    assert_eq!(login_rows(&app, "sso").await, 0);
}

#[tokio::test]
async fn oidc_an_expired_id_token_is_refused() {
    let app = spawn_app().await;
    // The provider's ID tokens live 30 seconds; the application's clock runs two minutes ahead by
    // the time the browser comes back (well inside the ten minutes a login flow may take).
    let idp =
        idp::start_provider_with(&app.url("/login/sso/terug"), &["--id-token-seconds", "30"]).await;
    organisation_with(&app, &idp, "").await;
    let c = client();
    let back = through_provider(&app, &c, &Account::verified("juf@school.nl")).await;
    app.clock.advance(120);

    let res = c.get(&back).send().await.unwrap();

    assert_eq!(res.status(), 401, "an expired ID token logs nobody in");
    assert!(!is_logged_in(&app, &c).await);
    assert_eq!(login_rows(&app, "sso").await, 0);
}

#[tokio::test]
async fn oidc_an_id_token_that_has_not_expired_by_the_applications_clock_logs_in() {
    // The same short-lived token, presented at once: the refusal above is the expiry's, not the
    // option's.
    let app = spawn_app().await;
    let idp =
        idp::start_provider_with(&app.url("/login/sso/terug"), &["--id-token-seconds", "30"]).await;
    organisation_with(&app, &idp, "").await;
    let c = client();
    let back = through_provider(&app, &c, &Account::verified("juf@school.nl")).await;

    let res = c.get(&back).send().await.unwrap();

    assert_eq!(res.status(), 303, "a valid ID token logs in");
    assert!(is_logged_in(&app, &c).await);
}

#[tokio::test]
async fn oidc_an_unknown_address_gets_a_calm_page_and_no_account() {
    let app = spawn_app().await;
    let idp = start_provider(&app, false).await;
    let org = organisation_with(&app, &idp, "").await;
    let users_before = app.db.users(org.id).await.unwrap().len();
    let c = client();
    let back = through_provider(&app, &c, &Account::verified("onbekend@school.nl")).await;

    let res = c.get(&back).send().await.unwrap();

    assert_eq!(res.status(), 403);
    let page = res.text().await.unwrap();
    assert!(page.contains("geen actieve gebruiker"), "{page}");
    assert_eq!(app.db.users(org.id).await.unwrap().len(), users_before);
    assert!(!is_logged_in(&app, &c).await);
}

#[tokio::test]
async fn oidc_an_unverified_address_counts_only_in_a_listed_domain() {
    let app = spawn_app().await;
    let idp = start_provider(&app, false).await;
    organisation_with(&app, &idp, "bestuur.nl").await;
    let unverified = Account {
        login: "juf@school.nl",
        verified: false,
        mfa: false,
    };
    let c = client();
    let back = through_provider(&app, &c, &unverified).await;
    assert_eq!(c.get(&back).send().await.unwrap().status(), 403);

    let beheer = client();
    app.login_with(&beheer, "beheer@school.nl", PASSWORD).await;
    let res = app
        .post_with(
            &beheer,
            "/beheer/sso",
            &[
                ("aanbieder", "anders"),
                ("issuer", &idp.issuer),
                ("client_id", idp::CLIENT_ID),
                ("domeinen", "school.nl"),
                ("wachtwoord", "ja"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303, "saved without retyping the secret");
    let c = client();
    let back = through_provider(&app, &c, &unverified).await;

    assert_eq!(c.get(&back).send().await.unwrap().status(), 303);
    assert!(is_logged_in(&app, &c).await);
}

#[tokio::test]
async fn oidc_a_deactivated_user_stays_out() {
    let app = spawn_app().await;
    let idp = start_provider(&app, false).await;
    let org = organisation_with(&app, &idp, "").await;
    let juf2 = app.add_teacher(&org, "juf2@school.nl").await;
    app.db.set_active(juf2, false).await.unwrap();
    let c = client();
    let back = through_provider(&app, &c, &Account::verified("juf2@school.nl")).await;

    let res = c.get(&back).send().await.unwrap();

    assert_eq!(res.status(), 403);
    assert!(!is_logged_in(&app, &c).await);
}

#[tokio::test]
async fn oidc_a_provider_login_with_mfa_skips_the_code_and_one_without_asks_it() {
    let app = spawn_app().await;
    let idp = start_provider(&app, false).await;
    let org = organisation_with(&app, &idp, "").await;
    let meester = app.add_teacher(&org, "meester@school.nl").await;
    app.db
        .enable_totp(meester, b"0123456789abcdef0123", &[], app.clock.unix())
        .await
        .unwrap();

    let with_mfa = client();
    let account = Account {
        login: "meester@school.nl",
        verified: true,
        mfa: true,
    };
    let back = through_provider(&app, &with_mfa, &account).await;
    let res = with_mfa.get(&back).send().await.unwrap();
    assert_eq!(res.status(), 303);
    assert!(!location(&res).starts_with("/login"), "{}", location(&res));
    assert!(is_logged_in(&app, &with_mfa).await);

    let without = client();
    let back = through_provider(&app, &without, &Account::verified("meester@school.nl")).await;
    let res = without.get(&back).send().await.unwrap();
    assert_eq!(location(&res), "/login/code");
    assert!(!is_logged_in(&app, &without).await);
}

#[tokio::test]
async fn oidc_password_login_can_be_closed_for_the_providers_domain_but_not_for_beheerders() {
    let app = spawn_app().await;
    let idp = start_provider(&app, false).await;
    organisation_with(&app, &idp, "school.nl").await;
    let beheer = client();
    app.login_with(&beheer, "beheer@school.nl", PASSWORD).await;
    let res = app
        .post_with(
            &beheer,
            "/beheer/sso",
            &[
                ("aanbieder", "anders"),
                ("issuer", &idp.issuer),
                ("naam", "Stichting Test"),
                ("client_id", idp::CLIENT_ID),
                ("domeinen", "school.nl"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);

    let res = app.login_with(&client(), "juf@school.nl", PASSWORD).await;
    assert_eq!(res.status(), 403);
    assert!(res.text().await.unwrap().contains("Stichting Test"));
    let res = app
        .login_with(&client(), "beheer@school.nl", PASSWORD)
        .await;
    assert_eq!(res.status(), 303, "the beheerder keeps the password");
}

#[tokio::test]
async fn oidc_a_login_makes_a_beroepskracht_account_only_when_allowed_and_in_a_listed_domain() {
    let app = spawn_app().await;
    let idp = start_provider(&app, false).await;
    let org = organisation_with(&app, &idp, "school.nl").await;
    let beheer = client();
    app.login_with(&beheer, "beheer@school.nl", PASSWORD).await;
    let school = org.school_a.to_string();
    let res = app
        .post_with(
            &beheer,
            "/beheer/sso",
            &[
                ("aanbieder", "anders"),
                ("issuer", &idp.issuer),
                ("client_id", idp::CLIENT_ID),
                ("domeinen", "school.nl"),
                ("wachtwoord", "ja"),
                ("nieuw", &school),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);

    let c = client();
    let back = through_provider(&app, &c, &Account::verified("nieuw@school.nl")).await;
    assert_eq!(c.get(&back).send().await.unwrap().status(), 303);
    assert!(is_logged_in(&app, &c).await);
    let user = app
        .db
        .credentials("nieuw@school.nl")
        .await
        .unwrap()
        .expect("an account was made");
    let roles = app.db.roles(user.id).await.unwrap();
    assert_eq!(roles.len(), 1);
    assert_eq!(roles[0].role, Role::Beroepskracht);
    assert_eq!(roles[0].school_id, org.school_a);

    let stranger = client();
    let back = through_provider(&app, &stranger, &Account::verified("iemand@elders.nl")).await;
    assert_eq!(stranger.get(&back).send().await.unwrap().status(), 403);
    assert!(
        app.db
            .credentials("iemand@elders.nl")
            .await
            .unwrap()
            .is_none()
    );
}
