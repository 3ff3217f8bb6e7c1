//! The gates of the application's areas (`domain::area`, `web::access`): every refusal is audited
//! with the path as asked, and the menu shows exactly the areas a role may enter, each of which
//! then lets them in.

use meldcode::domain::ids::{DossierId, UserId};
use meldcode::domain::role::Role;
use meldcode::store::audit::LogFilter;

use crate::common::*;

/// The hrefs of the main menu on a page.
fn menu(html: &str) -> Vec<String> {
    let Some(start) = html.find(r#"<nav aria-label="Hoofdmenu">"#) else {
        return Vec::new();
    };
    let nav = &html[start..start + html[start..].find("</nav>").unwrap()];
    nav.split(r#"href=""#)
        .skip(1)
        .map(|s| s[..s.find('"').unwrap()].to_string())
        .collect()
}

/// The (subject, dossier) of every refusal logged for a user, oldest first.
async fn refusals(app: &TestApp, user: UserId) -> Vec<(String, Option<DossierId>)> {
    let mut rows: Vec<(String, Option<DossierId>)> = app
        .db
        .audit_log(&LogFilter {
            user_id: Some(user),
            limit: 1000,
            ..LogFilter::default()
        })
        .await
        .unwrap()
        .into_iter()
        .filter(|r| r.event == "access_refused")
        .map(|r| (r.subject.unwrap_or_default(), r.dossier_id))
        .collect();
    rows.reverse();
    rows
}

#[tokio::test]
async fn the_menu_shows_exactly_the_areas_a_role_may_enter() {
    let app = spawn_app().await;
    let org = app.seed_org().await;
    let cases: [(Role, &[&str]); 5] = [
        (Role::Beroepskracht, &["/start", "/dossiers", "/meldcode"]),
        (
            Role::Aandachtsfunctionaris,
            &["/start", "/dossiers", "/werkruimte", "/meldcode"],
        ),
        (
            Role::Directie,
            &[
                "/start",
                "/dossiers",
                "/evaluatie",
                "/organisatie",
                "/meldcode",
            ],
        ),
        (
            Role::Beheerder,
            &["/start", "/organisatie", "/meldcode", "/beheer"],
        ),
        (Role::Privacy, &["/start", "/privacy", "/meldcode"]),
    ];
    for (role, expected) in cases {
        let email = format!("{}@s.nl", role.code());
        let id = app.add_user(&org, &email, &[(role, org.school_a)]).await;
        let c = client();
        app.login_with(&c, &email, PASSWORD).await;
        let page = app.get_with(&c, "/meldcode").await.text().await.unwrap();
        assert_eq!(menu(&page), expected, "{role:?}");
        // Every item leads somewhere the user is let in.
        for href in expected {
            let status = app.get_with(&c, href).await.status().as_u16();
            assert!(
                status == 200 || status == 303,
                "{role:?}: {href} answered {status}"
            );
        }
        assert!(refusals(&app, id).await.is_empty(), "{role:?}");
    }
    // Roles add up: directie who is also aandachtsfunctionaris sees both areas.
    app.add_user(
        &org,
        "beide@s.nl",
        &[
            (Role::Directie, org.school_a),
            (Role::Aandachtsfunctionaris, org.school_b),
        ],
    )
    .await;
    let c = client();
    app.login_with(&c, "beide@s.nl", PASSWORD).await;
    let page = app.get_with(&c, "/meldcode").await.text().await.unwrap();
    assert_eq!(
        menu(&page),
        [
            "/start",
            "/dossiers",
            "/werkruimte",
            "/evaluatie",
            "/organisatie",
            "/meldcode"
        ]
    );
}

#[tokio::test]
async fn every_gate_audits_its_refusal_with_the_path_as_asked() {
    let app = spawn_app().await;
    let org = app.seed_org().await;
    let a = org.school_a;
    let juf = app
        .add_user(&org, "juf@s.nl", &[(Role::Beroepskracht, a)])
        .await;
    let af = app
        .add_user(&org, "af@s.nl", &[(Role::Aandachtsfunctionaris, a)])
        .await;
    let dir = app.add_user(&org, "dir@s.nl", &[(Role::Directie, a)]).await;
    let beheer = app
        .add_user(&org, "beheer@s.nl", &[(Role::Beheerder, a)])
        .await;
    let fg = app.add_user(&org, "fg@s.nl", &[(Role::Privacy, a)]).await;
    let cases: [(UserId, &str, &str, &str, u16); 12] = [
        (juf, "juf@s.nl", "GET", "/werkruimte", 403),
        (juf, "juf@s.nl", "GET", "/leerlingen/1/inzage", 403),
        (juf, "juf@s.nl", "GET", "/evaluatie", 403),
        (af, "af@s.nl", "POST", "/evaluatie/jaar", 403),
        (af, "af@s.nl", "GET", "/organisatie", 403),
        (dir, "dir@s.nl", "GET", "/privacy", 403),
        (dir, "dir@s.nl", "GET", "/beheer", 403),
        (beheer, "beheer@s.nl", "GET", "/werkruimte", 404),
        (beheer, "beheer@s.nl", "GET", "/leerlingen/1/inzage", 404),
        (beheer, "beheer@s.nl", "GET", "/evaluatie/csv", 403),
        (fg, "fg@s.nl", "POST", "/organisatie/training", 403),
        (fg, "fg@s.nl", "GET", "/dossiers", 404),
    ];
    let mut clients: std::collections::HashMap<&str, reqwest::Client> = Default::default();
    for (user, email, method, path, status) in cases {
        if !clients.contains_key(email) {
            let c = client();
            app.login_with(&c, email, PASSWORD).await;
            clients.insert(email, c);
        }
        let c = &clients[email];
        let before = refusals(&app, user).await.len();
        let res = match method {
            "GET" => app.get_with(c, path).await,
            _ => app.post_with(c, path, &[]).await,
        };
        assert_eq!(res.status().as_u16(), status, "{email} {method} {path}");
        let after = refusals(&app, user).await;
        assert_eq!(after.len(), before + 1, "{email} {method} {path} is logged");
        assert_eq!(after.last().unwrap(), &(path.to_string(), None));
    }
}

#[tokio::test]
async fn a_refused_look_at_a_dossiers_access_log_shows_in_that_log() {
    let app = spawn_app().await;
    let org = app.seed_org().await;
    let juf = app.add_teacher(&org, "juf@s.nl").await;
    let c = client();
    app.login_with(&c, "juf@s.nl", PASSWORD).await;
    let id = open_dossier_at(&app, &c, org.school_a, "Kind", "psychisch").await;
    let path = format!("/dossiers/{id}/toegang");
    // The teacher may read the dossier, but its access log is the aandachtsfunctionaris's.
    assert_eq!(app.get_with(&c, &path).await.status(), 403);
    assert_eq!(refusals(&app, juf).await, [(path, Some(id))]);
}
