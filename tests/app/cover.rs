//! Cover during absence (issue 18, `domain::cover`): an aandachtsfunctionaris names a deputy (a
//! waarnemer: another aandachtsfunctionaris of the organisation, or a colleague the beheerder
//! marked plaatsvervanger for the school) for a period; during it the deputy sees the workspace
//! and the stappenplan dossiers of that school, every access logged as "waarneming"; a handover
//! note is an entry; when the period ends, or is ended early, access ends.

use std::time::Duration;

use meldcode::domain::access::Viewer;
use meldcode::domain::ids::{DossierId, SchoolId, UserId};
use meldcode::domain::listing::ListQuery;
use meldcode::domain::role::Role;

use crate::common::*;

const DAY: i64 = 24 * 60 * 60;

struct School {
    app: TestApp,
    org: Org,
    /// The aandachtsfunctionaris of school A, who names the deputy.
    af: reqwest::Client,
    af_id: UserId,
    /// The aandachtsfunctionaris of school B: a deputy by that role.
    af_b_id: UserId,
    /// A teacher of school A, who opens the dossiers.
    juf: reqwest::Client,
    /// A teacher of school B, not marked plaatsvervanger (yet).
    meester_b_id: UserId,
    /// A stappenplan dossier and a dossier about a staff member, both at school A.
    d: DossierId,
    m: DossierId,
}

async fn login(app: &TestApp, email: &str) -> reqwest::Client {
    let c = client();
    assert_eq!(
        app.login_with(&c, email, PASSWORD).await.status(),
        303,
        "{email} logs in"
    );
    c
}

async fn school() -> School {
    let app = spawn_app().await;
    let org = app.seed_org().await;
    let (a, b) = (org.school_a, org.school_b);
    let af_id = app
        .add_user(&org, "af@a.nl", &[(Role::Aandachtsfunctionaris, a)])
        .await;
    let af_b_id = app
        .add_user(&org, "af-b@a.nl", &[(Role::Aandachtsfunctionaris, b)])
        .await;
    app.add_teacher(&org, "juf@a.nl").await;
    let meester_b_id = app
        .add_user(&org, "meester@b.nl", &[(Role::Beroepskracht, b)])
        .await;
    app.add_user(&org, "directie@a.nl", &[(Role::Directie, a)])
        .await;
    app.add_user(&org, "beheer@a.nl", &[(Role::Beheerder, a)])
        .await;
    let (af, juf) = (login(&app, "af@a.nl").await, login(&app, "juf@a.nl").await);
    let d = open_dossier_at(&app, &juf, a, "Sanne Waarneem", "psychisch").await;
    let school = a.to_string();
    let res = app
        .post_with(
            &juf,
            "/dossiers/nieuw",
            &[
                ("leerling", "nieuw"),
                ("school", &school),
                ("naam", "Tim Personeel"),
                ("geboortedatum", "2016-04-01"),
                ("medewerker", "ja"),
                ("vormen", "seksueel"),
                ("aard", "feit"),
                ("waarneming", "Signaal over een medewerker"),
                ("bron", "eigen"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303, "staff dossier opened");
    let m: DossierId = location(&res)
        .trim_start_matches("/dossiers/")
        .split('?')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    School {
        app,
        org,
        af,
        af_id,
        af_b_id,
        juf,
        meester_b_id,
        d,
        m,
    }
}

/// A day counted from today (the app's clock), as the form sends it.
fn day(app: &TestApp, n: i64) -> String {
    let today = meldcode::web::format::today_nl(app.clock.unix());
    (today + time::Duration::days(n)).to_string()
}

/// The same day as the user types it: dd-mm-jjjj.
fn typed(app: &TestApp, n: i64) -> String {
    let iso = day(app, n);
    let (y, rest) = iso.split_once('-').unwrap();
    let (m, d) = rest.split_once('-').unwrap();
    format!("{d}-{m}-{y}")
}

impl School {
    async fn name(&self, deputy: UserId, from: &str, until: &str) -> reqwest::Response {
        self.app
            .post_with(
                &self.af,
                "/werkruimte/waarneming",
                &[
                    ("waarnemer", &deputy.to_string()),
                    ("van", from),
                    ("tot", until),
                ],
            )
            .await
    }

    async fn page(&self, c: &reqwest::Client, path: &str) -> (u16, String) {
        let res = self.app.get_with(c, path).await;
        let status = res.status().as_u16();
        (status, res.text().await.unwrap())
    }

    async fn cover_id(&self, deputy: UserId) -> i64 {
        sqlx::query_as::<_, (i64,)>("SELECT MAX(id) FROM covers WHERE deputy_id = $1")
            .bind(deputy)
            .fetch_one(self.app.db.pool_for_tests())
            .await
            .unwrap()
            .0
    }

    /// Marks a user plaatsvervanger for school A, as the beheerder.
    async fn mark(&self, user: UserId) {
        let beheer = login(&self.app, "beheer@a.nl").await;
        let res = self
            .app
            .post_with(
                &beheer,
                &format!("/beheer/gebruikers/{user}/plaatsvervanger"),
                &[("school", &self.org.school_a.to_string())],
            )
            .await;
        assert_eq!(res.status(), 303, "marked plaatsvervanger");
    }
}

#[tokio::test]
async fn a_deputy_sees_the_school_s_workspace_and_stappenplan_dossiers_only_during_the_period() {
    let s = school().await;
    let deputy = login(&s.app, "af-b@a.nl").await;
    // Named from tomorrow for a week.
    let res = s.name(s.af_b_id, &day(&s.app, 1), &day(&s.app, 7)).await;
    assert_eq!(res.status(), 303);
    assert_eq!(location(&res), "/werkruimte/waarneming?melding=aangewezen");
    let (_, page) = s.page(&s.af, &location(&res)).await;
    assert!(page.contains("De waarnemer is aangewezen"));
    assert!(page.contains("af-b@a.nl") && page.contains("gepland"));

    // Before the period: nothing of school A.
    let d = format!("/dossiers/{}", s.d);
    assert_eq!(s.page(&deputy, &d).await.0, 404, "not before the period");
    let (_, workspace) = s.page(&deputy, "/werkruimte").await;
    assert!(!workspace.contains("Sanne Waarneem"));
    let (_, start) = s.page(&deputy, "/start").await;
    assert!(
        start.contains("U neemt waar voor af@a.nl, aandachtsfunctionaris van De Regenboog"),
        "the start page says so ahead"
    );

    // On its first day: the school's workspace and its stappenplan dossier, as the
    // aandachtsfunctionaris; never the dossier about a staff member.
    s.app.clock.advance(DAY);
    let deputy = login(&s.app, "af-b@a.nl").await;
    let (_, workspace) = s.page(&deputy, "/werkruimte").await;
    assert!(workspace.contains("Sanne Waarneem"), "in the workspace");
    assert!(workspace.contains("U neemt waar voor af@a.nl"));
    let (status, show) = s.page(&deputy, &d).await;
    assert_eq!(status, 200);
    assert!(show.contains("U werkt in dit dossier als waarnemer voor af@a.nl"));
    assert!(
        show.contains("vastleggen/gesloten"),
        "acts as the aandachtsfunctionaris (closing is theirs)"
    );
    assert!(
        !show.contains("/inzage"),
        "the inspection copy stays the aandachtsfunctionaris's own"
    );
    assert_eq!(
        s.page(&deputy, &format!("/dossiers/{}", s.m)).await.0,
        404,
        "a staff dossier is directie's"
    );
    let pupil: i64 = sqlx::query_as::<_, (i64,)>("SELECT pupil_id FROM dossiers WHERE id = $1")
        .bind(s.d)
        .fetch_one(s.app.db.pool_for_tests())
        .await
        .unwrap()
        .0;
    assert_eq!(
        s.page(&deputy, &format!("/leerlingen/{pupil}/inzage"))
            .await
            .0,
        403
    );

    // The read is logged as "waarneming", and the aandachtsfunctionaris sees it on return: in
    // the dossier's access log and on the cover page.
    let (role,): (String,) = sqlx::query_as(
        "SELECT role FROM audit_log WHERE dossier_id = $1 AND user_id = $2 AND event = 'dossier_read' \
         ORDER BY id DESC LIMIT 1",
    )
    .bind(s.d)
    .bind(s.af_b_id)
    .fetch_one(s.app.db.pool_for_tests())
    .await
    .unwrap();
    assert_eq!(role, "waarneming");
    let af = login(&s.app, "af@a.nl").await;
    let (_, log) = s.page(&af, &format!("/dossiers/{}/toegang", s.d)).await;
    assert!(log.contains("Aandachtsfunctionaris (waarneming)"));
    let (_, page) = s.page(&af, "/werkruimte/waarneming").await;
    assert!(page.contains("Wat waarnemers openden"));
    assert!(page.contains("Sanne Waarneem") && page.contains("Dossier bekeken"));

    // Its last day still counts; the day after, access has ended.
    s.app.clock.advance(6 * DAY);
    let deputy = login(&s.app, "af-b@a.nl").await;
    assert_eq!(s.page(&deputy, &d).await.0, 200, "the last day counts");
    s.app.clock.advance(DAY);
    let deputy = login(&s.app, "af-b@a.nl").await;
    assert_eq!(s.page(&deputy, &d).await.0, 404, "the day after, no more");
    let (_, workspace) = s.page(&deputy, "/werkruimte").await;
    assert!(!workspace.contains("Sanne Waarneem"));
    assert!(!workspace.contains("U neemt waar"));
}

#[tokio::test]
async fn a_teacher_marked_plaatsvervanger_is_named_and_enters_the_workspace_and_no_more() {
    let s = school().await;
    let meester = login(&s.app, "meester@b.nl").await;
    // Not marked: refused, with the Dutch reason and the typed input kept.
    let (from, until) = (typed(&s.app, 0), typed(&s.app, 13));
    let res = s.name(s.meester_b_id, &from, &until).await;
    assert_eq!(res.status(), 422);
    let page = res.text().await.unwrap();
    assert!(page.contains("plaatsvervanger voor deze school heeft aangewezen"));
    assert!(
        page.contains(&format!("value=\"{from}\"")) && page.contains(&format!("value=\"{until}\""))
    );
    assert_eq!(s.page(&meester, "/werkruimte").await.0, 403);

    // Marked by the beheerder, then named from today.
    s.mark(s.meester_b_id).await;
    let res = s.name(s.meester_b_id, &from, &until).await;
    assert_eq!(res.status(), 303);
    // Notified, about no dossier (the notice names no school: the start page shows the cover).
    let (kind, dossier): (String, Option<i64>) =
        sqlx::query_as("SELECT kind, dossier_id FROM notifications WHERE user_id = $1")
            .bind(s.meester_b_id)
            .fetch_one(s.app.db.pool_for_tests())
            .await
            .unwrap();
    assert_eq!((kind.as_str(), dossier), ("waarneming", None));
    // The same session: the cover counts from the next request.
    let (_, start) = s.page(&meester, "/start").await;
    assert!(start.contains("U neemt nu waar voor af@a.nl"));
    assert!(
        start.contains("href=\"/werkruimte\""),
        "the menu shows the workspace"
    );
    let (status, workspace) = s.page(&meester, "/werkruimte").await;
    assert_eq!(status, 200);
    assert!(workspace.contains("Sanne Waarneem"));
    assert!(
        !workspace.contains("Wijs een waarnemer aan"),
        "a deputy names none"
    );
    assert_eq!(s.page(&meester, &format!("/dossiers/{}", s.d)).await.0, 200);
    // No directie's, beheerder's or privacy officer's pages, no naming a deputy in turn.
    for path in [
        "/werkruimte/waarneming",
        "/evaluatie",
        "/organisatie",
        "/beheer",
        "/privacy",
    ] {
        assert_eq!(s.page(&meester, path).await.0, 403, "{path}");
    }
    let res = s
        .app
        .post_with(
            &meester,
            "/werkruimte/waarneming",
            &[("waarnemer", &s.af_b_id.to_string())],
        )
        .await;
    assert_eq!(res.status(), 403);
}

#[tokio::test]
async fn who_may_not_be_named_and_which_periods_are_refused_in_dutch_with_the_text_kept() {
    let s = school().await;
    // Someone of another organisation (by id: the list never offers them).
    let now = s.app.clock.unix();
    let mut tx = s.app.db.begin_write().await.unwrap();
    let (other_org, other_school) =
        meldcode::store::org::create_organisation(&mut tx, "Stichting Elders", "De Linde", now)
            .await
            .unwrap();
    tx.commit().await.unwrap();
    let stranger = s
        .app
        .db
        .add_user(other_org, "af@elders.nl", "af@elders.nl", None, now)
        .await
        .unwrap();
    s.app
        .db
        .grant_role(stranger, other_school, Role::Aandachtsfunctionaris, now)
        .await
        .unwrap();
    let (from, until) = (typed(&s.app, 0), typed(&s.app, 6));
    let cases: [(UserId, &str, &str, &str); 7] = [
        (
            s.af_id,
            &from,
            &until,
            "U kunt uzelf niet als waarnemer aanwijzen",
        ),
        (stranger, &from, &until, "Kies een collega uit de lijst."),
        (
            s.meester_b_id,
            &from,
            &until,
            "Alleen een andere aandachtsfunctionaris van de organisatie",
        ),
        (
            s.af_b_id,
            &typed(&s.app, -1),
            &until,
            "De eerste dag ligt in het verleden",
        ),
        (
            s.af_b_id,
            &until,
            &from,
            "De laatste dag ligt vóór de eerste dag",
        ),
        (
            s.af_b_id,
            &from,
            &typed(&s.app, 84),
            "Een waarneming duurt hoogstens 12 weken",
        ),
        (
            s.af_b_id,
            "morgen",
            "",
            "Vul de eerste dag van de waarneming in",
        ),
    ];
    for (deputy, van, tot, message) in cases {
        let res = s.name(deputy, van, tot).await;
        assert_eq!(res.status(), 422, "{message}");
        let page = res.text().await.unwrap();
        assert!(page.contains(message), "{message}");
        assert!(page.contains("Controleer het formulier"), "{message}");
        assert!(page.contains(&format!("value=\"{van}\"")), "kept: {van}");
        // The list offers only who may be named: the one chosen from it stays chosen.
        if deputy == s.af_b_id {
            assert!(
                page.contains(&format!("<option value=\"{deputy}\" selected")),
                "the deputy chosen stays chosen ({message})"
            );
        }
    }
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM covers")
        .fetch_one(s.app.db.pool_for_tests())
        .await
        .unwrap();
    assert_eq!(n, 0, "nothing stored");
    // Twelve weeks exactly is allowed; the same deputy again for one of those days is not.
    assert_eq!(
        s.name(s.af_b_id, &from, &typed(&s.app, 83)).await.status(),
        303
    );
    let res = s
        .name(s.af_b_id, &typed(&s.app, 83), &typed(&s.app, 90))
        .await;
    assert_eq!(res.status(), 422);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("neemt in (een deel van) die periode al waar")
    );
}

#[tokio::test]
async fn a_teacher_directie_or_beheerder_cannot_name_a_deputy() {
    let s = school().await;
    let beheer = login(&s.app, "beheer@a.nl").await;
    let directie = login(&s.app, "directie@a.nl").await;
    for (c, want) in [(&s.juf, 403), (&directie, 403), (&beheer, 404)] {
        assert_eq!(s.page(c, "/werkruimte/waarneming").await.0, want);
        let res = s
            .app
            .post_with(
                c,
                "/werkruimte/waarneming",
                &[
                    ("waarnemer", &s.af_b_id.to_string()),
                    ("van", &day(&s.app, 0)),
                    ("tot", &day(&s.app, 3)),
                ],
            )
            .await;
        assert_eq!(res.status().as_u16(), want);
    }
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM covers")
        .fetch_one(s.app.db.pool_for_tests())
        .await
        .unwrap();
    assert_eq!(n, 0);
    // Every refusal is in the audit log.
    let (refused,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM audit_log WHERE event = 'access_refused' AND subject LIKE '/werkruimte/waarneming%'",
    )
    .fetch_one(s.app.db.pool_for_tests())
    .await
    .unwrap();
    assert_eq!(refused, 6);
}

#[tokio::test]
async fn ending_a_cover_early_ends_the_deputy_s_access_at_the_next_request() {
    let s = school().await;
    let deputy = login(&s.app, "af-b@a.nl").await;
    assert_eq!(
        s.name(s.af_b_id, &day(&s.app, 0), &day(&s.app, 20))
            .await
            .status(),
        303
    );
    let d = format!("/dossiers/{}", s.d);
    assert_eq!(s.page(&deputy, &d).await.0, 200);
    let cover = s.cover_id(s.af_b_id).await;
    let end = format!("/werkruimte/waarneming/{cover}/beeindigen");
    // The deputy (an aandachtsfunctionaris, of another school) cannot end it.
    assert_eq!(s.app.post_with(&deputy, &end, &[]).await.status(), 403);
    assert_eq!(s.page(&deputy, &d).await.0, 200);
    let res = s.app.post_with(&s.af, &end, &[]).await;
    assert_eq!(location(&res), "/werkruimte/waarneming?melding=beeindigd");
    assert_eq!(s.page(&deputy, &d).await.0, 404, "ended: gone at once");
    let (_, workspace) = s.page(&deputy, "/werkruimte").await;
    assert!(!workspace.contains("Sanne Waarneem"));
    // Ending twice changes nothing; the page says who ended it.
    let res = s.app.post_with(&s.af, &end, &[]).await;
    assert_eq!(
        location(&res),
        "/werkruimte/waarneming?melding=al-afgelopen"
    );
    let (_, page) = s.page(&s.af, "/werkruimte/waarneming").await;
    assert!(page.contains("beëindigd door af@a.nl"));
    let events = s.app.db.audit_events_of(s.af_id).await.unwrap();
    assert_eq!(
        events.iter().filter(|e| *e == "cover_ended").count(),
        1,
        "ended once, logged once"
    );
    assert!(events.contains(&"cover_named".to_string()));
}

#[tokio::test]
async fn withdrawing_the_plaatsvervanger_mark_ends_the_cover_that_rested_on_it() {
    let s = school().await;
    s.mark(s.meester_b_id).await;
    assert_eq!(
        s.name(s.meester_b_id, &day(&s.app, 0), &day(&s.app, 5))
            .await
            .status(),
        303
    );
    let meester = login(&s.app, "meester@b.nl").await;
    let d = format!("/dossiers/{}", s.d);
    assert_eq!(s.page(&meester, &d).await.0, 200);
    let beheer = login(&s.app, "beheer@a.nl").await;
    let (_, user_page) = s
        .page(&beheer, &format!("/beheer/gebruikers/{}", s.meester_b_id))
        .await;
    assert!(user_page.contains("Plaatsvervanger voor De Regenboog"));
    let res = s
        .app
        .post_with(
            &beheer,
            &format!(
                "/beheer/gebruikers/{}/plaatsvervanger-intrekken",
                s.meester_b_id
            ),
            &[("school", &s.org.school_a.to_string())],
        )
        .await;
    assert_eq!(res.status(), 303);
    assert_eq!(s.page(&meester, &d).await.0, 404);
    assert_eq!(s.page(&meester, "/werkruimte").await.0, 403);
    let (_, page) = s.page(&s.af, "/werkruimte/waarneming").await;
    assert!(page.contains("beëindigd door beheer@a.nl"));
    // A beheerder alone is never marked: they see no dossier.
    let beheer_id = s
        .app
        .db
        .credentials("beheer@a.nl")
        .await
        .unwrap()
        .unwrap()
        .id;
    let res = s
        .app
        .post_with(
            &beheer,
            &format!("/beheer/gebruikers/{beheer_id}/plaatsvervanger"),
            &[("school", &s.org.school_a.to_string())],
        )
        .await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.unwrap().contains("ziet geen dossiers"));
}

#[tokio::test]
async fn the_dossier_list_and_search_show_the_deputy_the_covered_school_s_dossiers_and_nothing_more()
 {
    let s = school().await;
    // A dossier at school B, opened by another teacher there: not the deputy's either.
    s.app
        .add_user(&s.org, "juf@b.nl", &[(Role::Beroepskracht, s.org.school_b)])
        .await;
    let juf_b = login(&s.app, "juf@b.nl").await;
    open_dossier_at(&s.app, &juf_b, s.org.school_b, "Sanne Elders", "psychisch").await;
    let second = open_dossier_at(
        &s.app,
        &s.juf,
        s.org.school_a,
        "Bram Waarneem",
        "lichamelijk",
    )
    .await;
    s.mark(s.meester_b_id).await;
    let meester = login(&s.app, "meester@b.nl").await;
    let (_, before) = s.page(&meester, "/dossiers").await;
    assert!(!before.contains("Waarneem"), "nothing before the cover");
    assert_eq!(
        s.name(s.meester_b_id, &day(&s.app, 0), &day(&s.app, 5))
            .await
            .status(),
        303
    );
    let (_, list) = s.page(&meester, "/dossiers").await;
    assert!(list.contains("Sanne Waarneem") && list.contains("Bram Waarneem"));
    assert!(!list.contains("Tim Personeel"), "not the staff dossier");
    assert!(!list.contains("Sanne Elders"), "not another school's");
    let (_, found) = s.page(&meester, "/dossiers?zoek=sanne").await;
    assert!(found.contains("Sanne Waarneem") && !found.contains("Sanne Elders"));
    assert!(!found.contains("Bram Waarneem"));

    // The store's list under the same decision: the covered school's stappenplan dossiers,
    // with the total, and nothing more; the same viewer without the cover sees none.
    let roles = vec![(s.org.school_b, Role::Beroepskracht)];
    let today = meldcode::web::format::today_nl(s.app.clock.unix());
    let covering = Viewer::for_tests_covering(s.meester_b_id, roles.clone(), vec![s.org.school_a]);
    let (page, total) = s
        .app
        .db
        .dossier_page(&covering, &ListQuery::default(), today)
        .await
        .unwrap();
    let mut ids: Vec<DossierId> = page.iter().map(|d| d.header.id).collect();
    ids.sort();
    assert_eq!(ids, vec![s.d, second]);
    assert_eq!(total, 2);
    let alone = Viewer::for_tests(s.meester_b_id, roles);
    let (page, total) = s
        .app
        .db
        .dossier_page(&alone, &ListQuery::default(), today)
        .await
        .unwrap();
    assert!(page.is_empty() && total == 0);
    // The list and the decision agree where they could drift apart: the teacher who opened the
    // staff dossier at school A and moved to school B, now covering A, sees the stappenplan
    // dossier she opened (as the aandachtsfunctionaris) and not her staff dossier (a cover is the
    // stappenplan's), in the list as on opening.
    let juf_id = s.app.db.credentials("juf@a.nl").await.unwrap().unwrap().id;
    let moved = Viewer::for_tests_covering(
        juf_id,
        vec![(s.org.school_b, Role::Beroepskracht)],
        vec![s.org.school_a],
    );
    let (page, _) = s
        .app
        .db
        .dossier_page(&moved, &ListQuery::default(), today)
        .await
        .unwrap();
    let listed: Vec<DossierId> = page.iter().map(|d| d.header.id).collect();
    assert!(listed.contains(&s.d) && !listed.contains(&s.m));
    let now = s.app.clock.unix();
    for (id, visible) in [(s.d, true), (s.m, false)] {
        let opened = s
            .app
            .db
            .open_dossier(
                &moved,
                id,
                meldcode::store::dossiers::Purpose::Read,
                now,
                None,
            )
            .await
            .unwrap();
        assert_eq!(opened.is_some(), visible, "{id}");
    }
    // A beheerder "covering" sees nothing: a cover gives nothing to who works with no dossiers.
    let beheer = Viewer::for_tests_covering(
        s.meester_b_id,
        vec![(s.org.school_a, Role::Beheerder)],
        vec![s.org.school_a],
    );
    let (page, _) = s
        .app
        .db
        .dossier_page(&beheer, &ListQuery::default(), today)
        .await
        .unwrap();
    assert!(page.is_empty());
}

#[tokio::test]
async fn a_handover_note_is_an_entry_in_the_chronology_by_the_aandachtsfunctionaris_or_the_deputy()
{
    let s = school().await;
    let note = format!("/dossiers/{}/aantekening", s.d);
    // An empty note comes back with its message.
    let res = s
        .app
        .post_with(
            &s.af,
            &note,
            &[("soort", "waarneemnotitie"), ("notitie", "")],
        )
        .await;
    assert_eq!(res.status(), 422);
    let res = s
        .app
        .post_with(
            &s.af,
            &note,
            &[
                ("soort", "waarneemnotitie"),
                (
                    "notitie",
                    "Gesprek met moeder staat op donderdag; Veilig Thuis belt terug.",
                ),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    // Not the teacher's to write.
    let res = s
        .app
        .post_with(
            &s.juf,
            &note,
            &[("soort", "waarneemnotitie"), ("notitie", "Van de juf")],
        )
        .await;
    assert_eq!(res.status(), 403);
    // The deputy reads it in the chronology, and writes one back, logged as waarneming.
    assert_eq!(
        s.name(s.af_b_id, &day(&s.app, 0), &day(&s.app, 5))
            .await
            .status(),
        303
    );
    let deputy = login(&s.app, "af-b@a.nl").await;
    let (_, show) = s.page(&deputy, &format!("/dossiers/{}", s.d)).await;
    assert!(show.contains("Notitie voor de waarnemer"));
    assert!(show.contains("Gesprek met moeder staat op donderdag"));
    let (status, form) = s
        .page(
            &deputy,
            &format!("/dossiers/{}/vastleggen/waarneemnotitie", s.d),
        )
        .await;
    assert_eq!(status, 200);
    assert!(form.contains("Wat moet de waarnemer weten?"));
    let res = s
        .app
        .post_with(
            &deputy,
            &note,
            &[
                ("soort", "waarneemnotitie"),
                ("notitie", "Moeder gesproken; zie het gesprek bij stap 3."),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    let kinds: Vec<(String, String)> = sqlx::query_as(
        "SELECT e.author_role, a.role FROM entries e JOIN audit_log a ON a.dossier_id = e.dossier_id \
         AND a.user_id = e.author_id AND a.event = 'dossier_written' \
         WHERE e.dossier_id = $1 AND e.kind = 'waarneemnotitie' AND e.author_id = $2",
    )
    .bind(s.d)
    .bind(s.af_b_id)
    .fetch_all(s.app.db.pool_for_tests())
    .await
    .unwrap();
    assert_eq!(
        kinds,
        vec![(
            "aandachtsfunctionaris".to_string(),
            "waarneming".to_string()
        )]
    );
    // Not on a dossier about a staff member.
    let res = s
        .app
        .post_with(
            &s.af,
            &format!("/dossiers/{}/aantekening", s.m),
            &[("soort", "waarneemnotitie"), ("notitie", "x")],
        )
        .await;
    assert_eq!(res.status(), 404);
}

#[tokio::test]
async fn a_deputy_meets_the_aandachtsfunctionaris_s_second_factor_requirement_while_covering() {
    let s = school().await;
    sqlx::query("UPDATE organisations SET two_factor_roles = 'aandachtsfunctionaris'")
        .execute(s.app.db.pool_for_tests())
        .await
        .unwrap();
    s.app.state.organisation_changed().await;
    s.mark(s.meester_b_id).await;
    let meester = login(&s.app, "meester@b.nl").await;
    assert_eq!(
        s.page(&meester, "/start").await.0,
        200,
        "a teacher needs none"
    );
    // The aandachtsfunctionaris set hers up before (the test's login skips it): named directly.
    let new = meldcode::store::covers::NewCover {
        org_id: s.org.id,
        school_id: s.org.school_a,
        absent: s.af_id,
        deputy: s.meester_b_id,
        period: meldcode::domain::cover::check_period(
            &day(&s.app, 0),
            &day(&s.app, 2),
            meldcode::web::format::today_nl(s.app.clock.unix()),
        )
        .unwrap(),
    };
    let today = meldcode::web::format::today_nl(s.app.clock.unix());
    assert!(
        s.app
            .db
            .name_cover(&new, today, s.app.clock.unix(), None)
            .await
            .unwrap()
            .is_ok()
    );
    let res = s
        .app
        .get_with(&meester, &format!("/dossiers/{}", s.d))
        .await;
    assert_eq!(location(&res), "/account/tweestaps", "as the role requires");
}

/// Concurrency: eight deputies named at once for one school, and one deputy named eight times at
/// once for the same days: every request answered (no 500), within the timeout; each of the
/// eight once, the one once.
#[tokio::test(flavor = "multi_thread")]
async fn naming_deputies_at_once_for_one_school_records_each_once() {
    let s = school().await;
    let mut deputies = Vec::new();
    for i in 0..9 {
        let id = s
            .app
            .add_user(
                &s.org,
                &format!("collega{i}@b.nl"),
                &[(Role::Beroepskracht, s.org.school_b)],
            )
            .await;
        let now = s.app.clock.unix();
        s.app
            .db
            .mark_deputy(
                s.org.school_a,
                id,
                now,
                meldcode::store::audit::Entry::user(
                    meldcode::store::audit::Event::DeputyMarked,
                    None,
                    None,
                ),
            )
            .await
            .unwrap();
        deputies.push(id);
    }
    let (from, until) = (day(&s.app, 0), day(&s.app, 10));
    let s = std::sync::Arc::new(s);
    let mut tasks = Vec::new();
    for (i, deputy) in deputies.iter().enumerate() {
        // Eight different deputies, and the ninth eight times over.
        let times = if i < 8 { 1 } else { 8 };
        for _ in 0..times {
            let (s, deputy, from, until) = (s.clone(), *deputy, from.clone(), until.clone());
            tasks.push(tokio::spawn(async move {
                s.name(deputy, &from, &until).await.status().as_u16()
            }));
        }
    }
    let statuses = tokio::time::timeout(Duration::from_secs(30), async {
        let mut out = Vec::new();
        for t in tasks {
            out.push(t.await.unwrap());
        }
        out
    })
    .await
    .expect("every naming answered within the timeout");
    assert!(
        statuses.iter().all(|s| *s == 303 || *s == 422),
        "{statuses:?}"
    );
    assert_eq!(statuses.iter().filter(|s| **s == 303).count(), 9);
    assert_eq!(statuses.iter().filter(|s| **s == 422).count(), 7);
    for deputy in &deputies {
        let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM covers WHERE deputy_id = $1")
            .bind(deputy)
            .fetch_one(s.app.db.pool_for_tests())
            .await
            .unwrap();
        assert_eq!(n, 1, "deputy {deputy} named once");
    }
    // Each covers school A now.
    let viewer = s
        .app
        .db
        .user_with_roles(
            deputies[0],
            meldcode::web::format::today_nl(s.app.clock.unix()),
        )
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        viewer
            .covers
            .iter()
            .map(|c| c.school_id)
            .collect::<Vec<SchoolId>>(),
        vec![s.org.school_a]
    );
}

async fn notices_of(app: &TestApp, user: UserId, kind: &str) -> i64 {
    sqlx::query_as::<_, (i64,)>(
        "SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND kind = $2",
    )
    .bind(user)
    .bind(kind)
    .fetch_one(app.db.pool_for_tests())
    .await
    .unwrap()
    .0
}

#[tokio::test]
async fn a_deputy_hears_of_new_dossiers_and_overdue_ones_as_the_aandachtsfunctionaris_would_during_the_period_only()
 {
    let s = school().await;
    let res = s.name(s.af_b_id, &day(&s.app, 0), &day(&s.app, 2)).await;
    assert_eq!(res.status(), 303);

    // During the period: a new dossier at the covered school reaches the deputy too.
    let af_before = notices_of(&s.app, s.af_id, "nieuw_dossier").await;
    open_dossier_at(&s.app, &s.juf, s.org.school_a, "Nieuw Tijdens", "psychisch").await;
    assert_eq!(notices_of(&s.app, s.af_b_id, "nieuw_dossier").await, 1);
    assert_eq!(
        notices_of(&s.app, s.af_id, "nieuw_dossier").await,
        af_before + 1,
        "and the aandachtsfunctionaris, once"
    );
    // And the hourly reminder of a quiet dossier.
    let today = day(&s.app, 0);
    let later = s.app.clock.unix() + 60 * DAY;
    s.app
        .db
        .remind_overdue(&today, later, s.app.clock.unix())
        .await
        .unwrap();
    assert!(notices_of(&s.app, s.af_b_id, "achterstallig").await >= 1);

    // After the period: no longer.
    s.app.clock.advance(3 * DAY);
    let juf = login(&s.app, "juf@a.nl").await;
    open_dossier_at(&s.app, &juf, s.org.school_a, "Nieuw Daarna", "psychisch").await;
    assert_eq!(
        notices_of(&s.app, s.af_b_id, "nieuw_dossier").await,
        1,
        "no notice once the cover has ended"
    );
}

#[tokio::test]
async fn during_the_period_an_action_can_be_assigned_to_the_deputy_and_not_after() {
    let s = school().await;
    let res = s.name(s.af_b_id, &day(&s.app, 0), &day(&s.app, 2)).await;
    assert_eq!(res.status(), 303);
    let assign = |af: reqwest::Client| {
        let app = &s.app;
        let d = s.d;
        let deputy = s.af_b_id.to_string();
        async move {
            app.post_with(
                &af,
                &format!("/dossiers/{d}/acties/nieuw"),
                &[
                    ("voor", deputy.as_str()),
                    ("wat", "Het gesprek met de moeder voorbereiden"),
                    ("termijn", "werkdagen"),
                    ("werkdagen", "3"),
                ],
            )
            .await
        }
    };

    let (_, form) = s
        .page(&s.af, &format!("/dossiers/{}/acties/nieuw", s.d))
        .await;
    assert!(form.contains("af-b@a.nl") || form.contains(&format!("value=\"{}\"", s.af_b_id)));
    let res = assign(login(&s.app, "af@a.nl").await).await;
    assert_eq!(res.status(), 303, "the deputy may get an action");

    s.app.clock.advance(3 * DAY);
    let res = assign(login(&s.app, "af@a.nl").await).await;
    assert_eq!(res.status(), 422, "once the cover has ended, no longer");
}
