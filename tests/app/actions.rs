//! Actions with deadlines (issue 18): the aandachtsfunctionaris assigns an action to a colleague
//! who may see the dossier; the assignee sees it on the start page and records it done or not
//! done as an entry in the chronology; an overdue action shows and is reminded of.

use std::time::Duration;

use meldcode::domain::ids::DossierId;
use meldcode::domain::role::Role;

use crate::common::*;

struct School {
    app: TestApp,
    org: Org,
    juf: reqwest::Client,
    af: reqwest::Client,
}

async fn school() -> School {
    let app = spawn_app().await;
    let org = app.seed_org().await;
    app.add_teacher(&org, "juf@a.nl").await;
    app.add_teacher(&org, "meester@a.nl").await;
    app.add_user(
        &org,
        "af@a.nl",
        &[(Role::Aandachtsfunctionaris, org.school_a)],
    )
    .await;
    let (juf, af) = (client(), client());
    assert_eq!(
        app.login_with(&juf, "juf@a.nl", PASSWORD).await.status(),
        303
    );
    assert_eq!(app.login_with(&af, "af@a.nl", PASSWORD).await.status(), 303);
    School { app, org, juf, af }
}

impl School {
    async fn page(&self, c: &reqwest::Client, path: &str) -> (u16, String) {
        let res = self.app.get_with(c, path).await;
        (res.status().as_u16(), res.text().await.unwrap())
    }

    /// The id of a person in the "Voor wie" list of the assign form, by name.
    async fn person(&self, id: DossierId, name: &str) -> String {
        let (status, form) = self
            .page(&self.af, &format!("/dossiers/{id}/acties/nieuw"))
            .await;
        assert_eq!(status, 200);
        let form = &form[form.find("<select id=\"voor\"").expect("the list")..];
        let at = form
            .find(&format!(">{name}"))
            .expect("the person in the list");
        let before = &form[..at];
        let value = &before[before.rfind("value=\"").unwrap() + 7..];
        value[..value.find('"').unwrap()].to_string()
    }

    async fn assign(&self, id: DossierId, fields: &[(&str, &str)]) -> reqwest::Response {
        self.app
            .post_with(&self.af, &format!("/dossiers/{id}/acties/nieuw"), fields)
            .await
    }

    /// The first "Afronden" link on the dossier page, as `who` sees it.
    async fn close_link(&self, who: &reqwest::Client, id: DossierId) -> String {
        let (_, page) = self.page(who, &format!("/dossiers/{id}")).await;
        let prefix = format!("/dossiers/{id}/acties/");
        let at = page.find(&prefix).expect("an action to close");
        page[at..].split('"').next().unwrap().to_string()
    }
}

#[tokio::test]
async fn an_action_is_assigned_seen_on_the_start_page_and_closed_as_an_entry() {
    let s = school().await;
    let id = open_dossier_at(&s.app, &s.juf, s.org.school_a, "Kind Actie", "psychisch").await;
    let juf = s.person(id, "juf@a.nl").await;
    let res = s
        .assign(
            id,
            &[
                ("voor", &juf),
                ("wat", "Moeder bellen over het gesprek"),
                ("termijn", "werkdagen"),
                ("werkdagen", "3"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    assert!(location(&res).contains("melding=actie"));
    // The chronology holds it; the teacher sees it on her start page, with its deadline.
    let (_, dossier) = s.page(&s.af, &format!("/dossiers/{id}")).await;
    assert!(dossier.contains("Moeder bellen over het gesprek"));
    assert!(
        dossier.contains("Wat moet er gebeuren?"),
        "the entry in the chronology"
    );
    let (_, start) = s.page(&s.juf, "/start").await;
    assert!(start.contains("Uw acties"));
    assert!(start.contains("Moeder bellen over het gesprek"));
    assert!(
        start.contains("Er is een actie voor u uitgezet"),
        "notified"
    );
    // She records it done, with a note.
    let link = s.close_link(&s.juf, id).await;
    let res = s
        .app
        .post_with(
            &s.juf,
            &link,
            &[("uitkomst", "gedaan"), ("toelichting", "Afspraak staat.")],
        )
        .await;
    assert_eq!(res.status(), 303);
    assert!(location(&res).contains("melding=actie-afgerond"));
    let (_, dossier) = s.page(&s.af, &format!("/dossiers/{id}")).await;
    assert!(dossier.contains("Actie afgerond"));
    assert!(dossier.contains("Afspraak staat."));
    let (_, start) = s.page(&s.juf, "/start").await;
    assert!(!start.contains("Uw acties"), "no open action left");
    // Recorded once: the form again says so and writes nothing.
    let res = s
        .app
        .post_with(&s.juf, &link, &[("uitkomst", "niet_gedaan")])
        .await;
    assert!(location(&res).contains("melding=actie-al-afgerond"));
    let (_, dossier) = s.page(&s.af, &format!("/dossiers/{id}")).await;
    assert_eq!(dossier.matches("-titel\">Actie afgerond</h3>").count(), 1);
}

#[tokio::test]
async fn an_action_needs_what_by_when_and_someone_who_may_see_the_dossier() {
    let s = school().await;
    let id = open_dossier_at(&s.app, &s.juf, s.org.school_a, "Kind Fout", "psychisch").await;
    // "meester" works at the school but did not open the dossier and was not added: not offered.
    let (_, form) = s.page(&s.af, &format!("/dossiers/{id}/acties/nieuw")).await;
    assert!(!form.contains(">meester@a.nl"));
    let res = s
        .assign(
            id,
            &[
                ("voor", ""),
                ("wat", "Mijn getypte tekst"),
                ("termijn", "datum"),
                ("uiterlijk", "01-01-2020"),
            ],
        )
        .await;
    assert_eq!(res.status(), 422);
    let page = res.text().await.unwrap();
    assert!(page.contains("<title>Fout:"));
    assert!(page.contains("Kies voor wie de actie is"));
    assert!(page.contains("De datum ligt in het verleden"));
    assert!(
        page.contains("Mijn getypte tekst"),
        "the typed text is kept"
    );
    // Nothing was written.
    let (_, dossier) = s.page(&s.af, &format!("/dossiers/{id}")).await;
    assert!(!dossier.contains("Mijn getypte tekst"));
}

#[tokio::test]
async fn a_teacher_who_is_not_case_manager_assigns_nothing_and_closes_only_her_own_action() {
    let s = school().await;
    let id = open_dossier_at(&s.app, &s.juf, s.org.school_a, "Kind Rol", "psychisch").await;
    assert_eq!(
        s.page(&s.juf, &format!("/dossiers/{id}/acties/nieuw"))
            .await
            .0,
        403
    );
    let res = s
        .app
        .post_with(
            &s.juf,
            &format!("/dossiers/{id}/acties/nieuw"),
            &[
                ("voor", "1"),
                ("wat", "x"),
                ("termijn", "werkdagen"),
                ("werkdagen", "2"),
            ],
        )
        .await;
    assert_eq!(res.status(), 403);
    // An action for the aandachtsfunctionaris herself: the teacher may not close it.
    let af = s.person(id, "af@a.nl").await;
    let res = s
        .assign(
            id,
            &[
                ("voor", &af),
                ("wat", "Overleg VT"),
                ("termijn", "werkdagen"),
                ("werkdagen", "2"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    let link = s.close_link(&s.af, id).await;
    assert_eq!(s.page(&s.juf, &link).await.0, 403);
    let (_, dossier) = s.page(&s.juf, &format!("/dossiers/{id}")).await;
    assert!(dossier.contains("Overleg VT"), "she sees the action");
    assert!(
        !dossier.contains(&format!("href=\"{link}\"")),
        "without a link to close it"
    );
    // Another dossier's path for the action: not found.
    let other = open_dossier_at(&s.app, &s.juf, s.org.school_a, "Kind Ander", "psychisch").await;
    let action = link.rsplit('/').next().unwrap();
    assert_eq!(
        s.page(&s.af, &format!("/dossiers/{other}/acties/{action}"))
            .await
            .0,
        404
    );
}

/// The hourly reminder's statement for actions alone, on the app's clock.
async fn remind(app: &TestApp) -> u64 {
    let now = app.clock.unix();
    app.db
        .remind_overdue_actions(&today(app), now)
        .await
        .unwrap()
}

#[tokio::test]
async fn an_action_past_its_deadline_shows_as_late_in_the_workspace_and_its_assignee_is_reminded_once_a_day()
 {
    let s = school().await;
    let id = open_dossier_at(&s.app, &s.juf, s.org.school_a, "Kind Laat", "psychisch").await;
    let juf = s.person(id, "juf@a.nl").await;
    let res = s
        .assign(
            id,
            &[
                ("voor", &juf),
                ("wat", "Verslag schrijven"),
                ("termijn", "werkdagen"),
                ("werkdagen", "1"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    let (_, start) = s.page(&s.juf, "/start").await;
    assert!(!start.contains("te laat"));
    assert_eq!(remind(&s.app).await, 0, "not late yet");
    // Five days later (past one working day, whatever today is).
    s.app.clock.advance(5 * 24 * 60 * 60);
    let juf = client();
    assert_eq!(
        s.app.login_with(&juf, "juf@a.nl", PASSWORD).await.status(),
        303
    );
    let (_, start) = s.page(&juf, "/start").await;
    assert!(start.contains("te laat"), "late on the start page");
    // And in the aandachtsfunctionaris's workspace, also when she shows only what is overdue.
    let af = client();
    assert_eq!(
        s.app.login_with(&af, "af@a.nl", PASSWORD).await.status(),
        303
    );
    let (_, workspace) = s.page(&af, "/werkruimte?alleen=achterstallig").await;
    assert!(
        workspace.contains("Actie over de termijn"),
        "in the workspace"
    );
    assert!(s.app.state.jobs().remind_overdue().await.unwrap() >= 1);
    let (_, start) = s.page(&juf, "/start").await;
    assert!(start.contains("Een actie voor u is over de termijn"));
    // Not again within the day.
    assert_eq!(remind(&s.app).await, 0);
}

/// Concurrency: the assignee and the aandachtsfunctionaris, in many tabs at once, record the
/// same action: exactly one entry, every request answered (no 500), within the timeout.
#[tokio::test(flavor = "multi_thread")]
async fn closing_one_action_at_once_from_many_requests_records_it_once() {
    let s = school().await;
    let id = open_dossier_at(&s.app, &s.juf, s.org.school_a, "Kind Tegelijk", "psychisch").await;
    let juf = s.person(id, "juf@a.nl").await;
    let res = s
        .assign(
            id,
            &[
                ("voor", &juf),
                ("wat", "Tegelijk"),
                ("termijn", "werkdagen"),
                ("werkdagen", "2"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    let link = s.close_link(&s.af, id).await;
    let n = 4 * std::thread::available_parallelism().map_or(2, usize::from);
    let mut tries = tokio::task::JoinSet::new();
    for i in 0..n {
        let app_url = s.app.url(&link);
        let who = if i % 2 == 0 {
            s.juf.clone()
        } else {
            s.af.clone()
        };
        let token = s.app.token_with(&who).await;
        tries.spawn(async move {
            who.post(app_url)
                .form(&[("uitkomst", "gedaan"), ("_csrf", token.as_str())])
                .send()
                .await
                .map(|r| r.status().as_u16())
        });
    }
    let statuses = tokio::time::timeout(Duration::from_secs(60), tries.join_all())
        .await
        .expect("every request is answered in time");
    for status in statuses {
        assert_eq!(status.expect("answered"), 303);
    }
    let (_, dossier) = s.page(&s.af, &format!("/dossiers/{id}")).await;
    assert_eq!(dossier.matches("-titel\">Actie afgerond</h3>").count(), 1);
}
