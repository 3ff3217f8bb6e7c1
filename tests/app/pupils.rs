//! Who has a dossier is itself confidential (issue 12): no page lists pupils, a typed pupil is
//! linked on the server to the school's pupil with the same name and date of birth, and only
//! the one who coordinates a dossier sees the pupil's other dossiers that they may see.

use meldcode::domain::role::Role;

use crate::common::*;

struct World {
    app: TestApp,
    org: Org,
    juf: reqwest::Client,
    juf2: reqwest::Client,
    af: reqwest::Client,
    directie: reqwest::Client,
}

async fn world() -> World {
    let app = spawn_app().await;
    let org = app.seed_org().await;
    app.add_teacher(&org, "juf@a.nl").await;
    app.add_teacher(&org, "juf2@a.nl").await;
    app.add_user(
        &org,
        "af@a.nl",
        &[(Role::Aandachtsfunctionaris, org.school_a)],
    )
    .await;
    app.add_user(&org, "dir@a.nl", &[(Role::Directie, org.school_a)])
        .await;
    let (juf, juf2, af, directie) = (client(), client(), client(), client());
    for (c, email) in [
        (&juf, "juf@a.nl"),
        (&juf2, "juf2@a.nl"),
        (&af, "af@a.nl"),
        (&directie, "dir@a.nl"),
    ] {
        assert_eq!(app.login_with(c, email, PASSWORD).await.status(), 303);
    }
    World {
        app,
        org,
        juf,
        juf2,
        af,
        directie,
    }
}

/// The opening form as a teacher sends it, for a pupil typed as given.
fn opening<'a>(
    school: &'a str,
    name: &'a str,
    born: &'a str,
    group: &'a str,
    staff: bool,
) -> Vec<(&'a str, &'a str)> {
    vec![
        ("school", school),
        ("naam", name),
        ("geboortedatum", born),
        ("groep", group),
        ("medewerker", if staff { "ja" } else { "nee" }),
        ("vormen", "psychisch"),
        ("aard", "feit"),
        ("waarneming", "Zit in de pauze steeds alleen en huilt."),
        ("bron", "eigen"),
    ]
}

fn id_in(location: &str) -> i64 {
    location
        .trim_start_matches("/dossiers/")
        .split('?')
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

async fn open(w: &World, c: &reqwest::Client, name: &str, born: &str, staff: bool) -> i64 {
    let school = w.org.school_a.to_string();
    let res = w
        .app
        .post_with(
            c,
            "/dossiers/nieuw",
            &opening(&school, name, born, "", staff),
        )
        .await;
    assert_eq!(res.status(), 303, "dossier opened");
    id_in(&location(&res))
}

async fn pupil_of(app: &TestApp, dossier: i64) -> i64 {
    sqlx::query_as::<_, (i64,)>("SELECT pupil_id FROM dossiers WHERE id = $1")
        .bind(dossier)
        .fetch_one(app.db.pool_for_tests())
        .await
        .unwrap()
        .0
}

async fn page(w: &World, c: &reqwest::Client, path: &str) -> String {
    let res = w.app.get_with(c, path).await;
    assert_eq!(res.status(), 200, "GET {path}");
    res.text().await.unwrap()
}

#[tokio::test]
async fn a_teachers_opening_pages_name_no_pupil_who_has_a_dossier() {
    let w = world().await;
    open(&w, &w.juf2, "Lotte Bakker", "2016-04-01", false).await;
    open(&w, &w.juf2, "Daan Visser", "2015-09-12", true).await;
    open(&w, &w.af, "Emma Smit", "2017-01-30", false).await;
    for path in ["/dossiers/nieuw", "/nood/melding"] {
        let html = page(&w, &w.juf, path).await;
        for name in ["Lotte", "Bakker", "Daan", "Visser", "Emma", "Smit"] {
            assert!(!html.contains(name), "{path} names {name}");
        }
        assert!(!html.contains(r#"name="leerling""#), "{path} lists pupils");
        assert!(html.contains(r#"name="naam""#) && html.contains(r#"name="geboortedatum""#));
        assert!(html.contains(r#"name="groep""#));
    }
}

#[tokio::test]
async fn a_known_pupil_is_linked_silently_and_the_answer_is_the_same_as_for_a_new_one() {
    let w = world().await;
    let first = open(&w, &w.juf2, "Lotte Bakker", "2016-04-01", false).await;
    let school = w.org.school_a.to_string();

    // Another teacher types the same pupil in other case and spacing, the date the Dutch way.
    let known = w
        .app
        .post_with(
            &w.juf,
            "/dossiers/nieuw",
            &opening(&school, "  lotte   BAKKER ", "1-4-2016", "groep 6", false),
        )
        .await;
    let new = w
        .app
        .post_with(
            &w.juf,
            "/dossiers/nieuw",
            &opening(&school, "Nina de Wit", "01-04-2016", "6", false),
        )
        .await;
    assert_eq!(known.status(), 303);
    assert_eq!(new.status(), 303);
    let (known_at, new_at) = (location(&known), location(&new));
    let (known_id, new_id) = (id_in(&known_at), id_in(&new_at));
    assert_eq!(known_at, format!("/dossiers/{known_id}?melding=geopend"));
    assert_eq!(new_at, format!("/dossiers/{new_id}?melding=geopend"));
    let mut known_headers: Vec<String> = known.headers().keys().map(|k| k.to_string()).collect();
    let mut new_headers: Vec<String> = new.headers().keys().map(|k| k.to_string()).collect();
    known_headers.sort();
    new_headers.sort();
    assert_eq!(known_headers, new_headers);
    assert_eq!(known.text().await.unwrap(), new.text().await.unwrap());

    // On the server the first is the same pupil, the second a new one.
    assert_eq!(
        pupil_of(&w.app, known_id).await,
        pupil_of(&w.app, first).await
    );
    assert_ne!(
        pupil_of(&w.app, new_id).await,
        pupil_of(&w.app, first).await
    );
    // Another date of birth is another pupil.
    let other = w
        .app
        .post_with(
            &w.juf,
            "/dossiers/nieuw",
            &opening(&school, "Lotte Bakker", "2016-04-02", "", false),
        )
        .await;
    assert_ne!(
        pupil_of(&w.app, id_in(&location(&other))).await,
        pupil_of(&w.app, first).await
    );

    // The teacher's dossier page tells nothing of the earlier dossier; the group reads once.
    let html = page(&w, &w.juf, &format!("/dossiers/{known_id}")).await;
    assert!(!html.contains("Deze leerling heeft"));
    assert!(!html.contains(&format!(r#"href="/dossiers/{first}""#)));
    assert!(html.contains("groep 6") && !html.contains("groep groep"));

    // A refusal is the same page for a known and an unknown pupil, the typed text kept.
    let mut refused = Vec::new();
    for name in ["Lotte Bakker", "Onbekend Kind"] {
        let mut form = opening(&school, name, "2016-04-01", "6", false);
        form.retain(|(k, _)| *k != "waarneming");
        let res = w.app.post_with(&w.juf, "/dossiers/nieuw", &form).await;
        assert_eq!(res.status(), 422);
        let html = res.text().await.unwrap();
        assert!(html.contains(name), "typed name kept");
        refused.push(html.replace(name, "NAAM"));
    }
    assert_eq!(refused[0], refused[1]);
}

#[tokio::test]
async fn the_coordinator_sees_the_pupils_other_dossiers_that_they_may_see_and_a_teacher_none() {
    let w = world().await;
    let earlier = open(&w, &w.juf, "Lotte Bakker", "2016-04-01", false).await;
    let staff = open(&w, &w.juf, "Lotte Bakker", "2016-04-01", true).await;
    let staff2 = open(&w, &w.juf2, "lotte bakker", "01-04-2016", true).await;
    let latest = open(&w, &w.juf2, "LOTTE BAKKER", "2016-04-01", false).await;
    let unrelated = open(&w, &w.juf2, "Nina de Wit", "2016-04-01", false).await;
    let link = |id: i64| format!(r#"href="/dossiers/{id}""#);

    // The aandachtsfunctionaris: the earlier stappenplan dossier, never a staff-route one.
    let html = page(&w, &w.af, &format!("/dossiers/{latest}")).await;
    assert!(html.contains("Deze leerling heeft een eerder dossier"));
    assert!(html.contains(&link(earlier)));
    assert!(!html.contains(&link(staff)) && !html.contains(&link(staff2)));
    assert!(!html.contains(&link(unrelated)));
    let html = page(&w, &w.af, &format!("/dossiers/{earlier}")).await;
    assert!(html.contains("Deze leerling heeft nog een dossier"));
    assert!(html.contains(&link(latest)));
    assert!(!html.contains(&link(staff)) && !html.contains(&link(staff2)));
    let html = page(&w, &w.af, &format!("/dossiers/{unrelated}")).await;
    assert!(!html.contains("Deze leerling heeft"));

    // Directie on a staff-route dossier: the other staff-route dossier, no stappenplan one.
    let html = page(&w, &w.directie, &format!("/dossiers/{staff2}")).await;
    assert!(html.contains("Deze leerling heeft een eerder dossier"));
    assert!(html.contains(&link(staff)));
    assert!(!html.contains(&link(earlier)) && !html.contains(&link(latest)));

    // Teachers see nothing of it, not even of the dossiers they opened themselves.
    for (c, id) in [
        (&w.juf, earlier),
        (&w.juf, staff),
        (&w.juf2, latest),
        (&w.juf2, staff2),
    ] {
        let html = page(&w, c, &format!("/dossiers/{id}")).await;
        assert!(!html.contains("Deze leerling heeft"), "dossier {id}");
        for other in [earlier, staff, staff2, latest] {
            if other != id {
                assert!(!html.contains(&link(other)), "dossier {id} links {other}");
            }
        }
    }
}

#[tokio::test]
async fn the_opening_form_reads_dates_the_dutch_way_and_names_fields_by_their_labels() {
    let w = world().await;
    let school = w.org.school_a.to_string();
    let mut form = opening(&school, "Lotte Bakker", "2016-13-01", "4", false);
    form.retain(|(k, _)| *k != "bron");
    let res = w.app.post_with(&w.juf, "/dossiers/nieuw", &form).await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(html.contains("bijvoorbeeld 28-11-2016"));
    assert!(!html.contains("2026-11-28") && !html.contains("2016-11-28"));
    assert!(html.contains("Van wie komt deze informatie: Maak een keuze."));
    assert!(html.contains("2016-13-01"), "typed date kept");

    // The emergency form names its fields in the summary too.
    let res = w
        .app
        .post_with(
            &w.juf,
            "/nood/melding",
            &[("school", &school), ("naam", "Lotte")],
        )
        .await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(html.contains("Wie belde u: Maak een keuze."));
    assert!(html.contains("Wat is er gebeurd: Vul dit in."));
}

#[tokio::test]
async fn pupils_recorded_before_names_were_keyed_are_found_after_start_up() {
    let w = world().await;
    let now = w.app.clock.unix();
    sqlx::query(
        "INSERT INTO pupils (school_id, name, date_of_birth, group_name, created_at) \
         VALUES ($1, $2, '2016-04-01', '', $3)",
    )
    .bind(w.org.school_a)
    .bind("Özlem  Çelik")
    .bind(now)
    .execute(w.app.db.writer_for_tests())
    .await
    .unwrap();
    assert_eq!(w.app.db.key_unkeyed_pupils().await.unwrap(), 1);
    assert_eq!(w.app.db.key_unkeyed_pupils().await.unwrap(), 0, "once");
    let id = open(&w, &w.juf, "özlem çelik", "01-04-2016", false).await;
    let (name,): (String,) = sqlx::query_as(
        "SELECT p.name FROM dossiers d JOIN pupils p ON p.id = d.pupil_id WHERE d.id = $1",
    )
    .bind(id)
    .fetch_one(w.app.db.pool_for_tests())
    .await
    .unwrap();
    assert_eq!(name, "Özlem  Çelik", "linked to the earlier record");
}

/// Opening a dossier locks the school's row while the pupil is looked up and made: many teachers
/// opening a dossier about the same new pupil at once get one pupil record, and none hangs.
#[tokio::test]
async fn many_dossiers_opened_at_once_for_one_new_pupil_make_one_pupil_record() {
    let w = world().await;
    let n = 4 * std::thread::available_parallelism().map_or(2, usize::from);
    let url = w.app.url("/dossiers/nieuw");
    let school = w.org.school_a.to_string();
    let mut opens = tokio::task::JoinSet::new();
    for i in 0..n {
        let c = if i % 2 == 0 { &w.juf } else { &w.juf2 };
        let token = w.app.token_with(c).await;
        let (c, url, school) = (c.clone(), url.clone(), school.clone());
        opens.spawn(async move {
            // The same pupil, typed a little differently each time.
            let name = if i % 2 == 0 {
                "Sam de Vries"
            } else {
                "sam  de vries"
            };
            let mut form = opening(&school, name, "2015-03-02", "", false);
            form.push(("_csrf", &token));
            let res = c.post(&url).form(&form).send().await.unwrap();
            let status = res.status().as_u16();
            let offered = res
                .text()
                .await
                .unwrap()
                .contains("Er is al een open dossier over deze leerling");
            (status, offered)
        });
    }
    let answers = tokio::time::timeout(std::time::Duration::from_secs(30), opens.join_all())
        .await
        .expect("no opening may hang");
    // Each opens a dossier, or, once the teacher's own dossier about the pupil exists, is offered
    // to add the signal there (one dossier per concern).
    assert!(
        answers
            .iter()
            .all(|a| *a == (303, false) || *a == (200, true)),
        "{answers:?}"
    );
    let opened = answers.iter().filter(|a| a.0 == 303).count();
    assert!(opened >= 1);
    let (pupils, dossiers): (i64, i64) = sqlx::query_as(
        "SELECT COUNT(DISTINCT p.id), COUNT(d.id) FROM pupils p JOIN dossiers d ON d.pupil_id = p.id \
         WHERE p.school_id = $1",
    )
    .bind(w.org.school_a)
    .fetch_one(w.app.db.pool_for_tests())
    .await
    .unwrap();
    assert_eq!((pupils, dossiers), (1, opened as i64));
}

/// The kinds of the unread notifications about a dossier, sorted.
async fn notices_about(app: &TestApp, dossier: i64) -> Vec<String> {
    let rows: Vec<(String,)> = sqlx::query_as(
        "SELECT kind FROM notifications WHERE dossier_id = $1 AND read_at IS NULL ORDER BY kind",
    )
    .bind(dossier)
    .fetch_all(app.db.pool_for_tests())
    .await
    .unwrap();
    rows.into_iter().map(|r| r.0).collect()
}

/// The kinds of a dossier's entries, oldest first.
async fn kinds_of(app: &TestApp, dossier: i64) -> Vec<String> {
    let rows: Vec<(String,)> =
        sqlx::query_as("SELECT kind FROM entries WHERE dossier_id = $1 ORDER BY id")
            .bind(dossier)
            .fetch_all(app.db.pool_for_tests())
            .await
            .unwrap();
    rows.into_iter().map(|r| r.0).collect()
}

async fn dossier_count(app: &TestApp) -> i64 {
    sqlx::query_as::<_, (i64,)>("SELECT COUNT(*) FROM dossiers")
        .fetch_one(app.db.pool_for_tests())
        .await
        .unwrap()
        .0
}

#[tokio::test]
async fn one_dossier_per_concern_an_open_dossier_the_user_may_see_is_offered_and_the_signal_added_there()
 {
    let w = world().await;
    let first = open(&w, &w.juf, "Lotte Bakker", "2016-04-01", false).await;
    let school = w.org.school_a.to_string();
    let mut form = opening(&school, "lotte bakker", "1-4-2016", "", false);
    form.retain(|(k, _)| *k != "waarneming");
    form.push(("waarneming", "Vandaag weer een blauwe plek op de arm."));

    // The same teacher types the same pupil again: the open dossier is offered, adding is the
    // default, and what was typed stays in the form.
    let res = w.app.post_with(&w.juf, "/dossiers/nieuw", &form).await;
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    assert!(html.contains("Er is al een open dossier over deze leerling"));
    assert!(html.contains("geopend op "));
    assert!(html.contains(&format!(r#"name="bestaand_id" value="{first}""#)));
    assert!(html.contains(r#"value="toevoegen" checked"#));
    assert!(html.contains("Vandaag weer een blauwe plek op de arm."));
    assert_eq!(dossier_count(&w.app).await, 1);

    // Adding it there: no second dossier, a second signal in the first.
    let id = first.to_string();
    let mut add = form.clone();
    add.extend([("bestaand", "toevoegen"), ("bestaand_id", id.as_str())]);
    let res = w.app.post_with(&w.juf, "/dossiers/nieuw", &add).await;
    assert_eq!(res.status(), 303);
    assert_eq!(
        location(&res),
        format!("/dossiers/{first}?melding=signaal-toegevoegd")
    );
    assert_eq!(dossier_count(&w.app).await, 1);
    assert_eq!(
        kinds_of(&w.app, first).await,
        ["geopend", "signaal", "signaal"]
    );
    let html = page(&w, &w.juf, &format!("/dossiers/{first}")).await;
    assert!(html.contains("Vandaag weer een blauwe plek op de arm."));

    // A choice made about another dossier than the one found is asked again.
    let mut stale = form.clone();
    stale.extend([("bestaand", "toevoegen"), ("bestaand_id", "999999")]);
    let res = w.app.post_with(&w.juf, "/dossiers/nieuw", &stale).await;
    assert_eq!(res.status(), 200);
    assert_eq!(dossier_count(&w.app).await, 1);

    // Choosing a new dossier anyway opens one, and the aandachtsfunctionaris is told that the
    // pupil has another open dossier.
    let mut new = form.clone();
    new.extend([("bestaand", "nieuw"), ("bestaand_id", id.as_str())]);
    let res = w.app.post_with(&w.juf, "/dossiers/nieuw", &new).await;
    assert_eq!(res.status(), 303);
    let second = id_in(&location(&res));
    assert_ne!(second, first);
    assert_eq!(notices_about(&w.app, second).await, ["zelfde_leerling"]);
    // A staff-route signal about the same pupil is another concern: not offered.
    let res = w
        .app
        .post_with(
            &w.juf,
            "/dossiers/nieuw",
            &opening(&school, "Lotte Bakker", "2016-04-01", "", true),
        )
        .await;
    assert_eq!(res.status(), 303);
}

#[tokio::test]
async fn one_dossier_per_concern_a_dossier_the_user_may_not_see_is_not_revealed_and_the_coordinator_is_told()
 {
    let w = world().await;
    let first = open(&w, &w.juf2, "Lotte Bakker", "2016-04-01", false).await;
    assert_eq!(notices_about(&w.app, first).await, ["nieuw_dossier"]);
    // Another teacher, who may not see the first dossier, opens one about the same pupil: the
    // same answer as for any pupil (shown in a_known_pupil_is_linked_silently…).
    let second = open(&w, &w.juf, "Lotte Bakker", "2016-04-01", false).await;
    assert_eq!(notices_about(&w.app, second).await, ["zelfde_leerling"]);
    // The aandachtsfunctionaris reads it on the start page, and can merge from the dossier.
    let start = page(&w, &w.af, "/start").await;
    assert!(
        start.contains("Er is een dossier geopend over een leerling die al een open dossier heeft")
    );
    let html = page(&w, &w.af, &format!("/dossiers/{second}")).await;
    assert!(html.contains(&format!("/dossiers/{second}/samenvoegen?met={first}")));
    assert!(html.contains(&format!("/dossiers/{second}/leerling")));
    // The teacher's page offers neither.
    let html = page(&w, &w.juf, &format!("/dossiers/{second}")).await;
    assert!(!html.contains("samenvoegen") && !html.contains("/leerling"));
}

#[tokio::test]
async fn the_coordinator_merges_two_dossiers_about_one_pupil_and_both_histories_stay_whole() {
    let w = world().await;
    let keep = open(&w, &w.juf2, "Lotte Bakker", "2016-04-01", false).await;
    let gone = open(&w, &w.juf, "Lotte Bakker", "2016-04-01", false).await;
    let before_keep = kinds_of(&w.app, keep).await;
    let before_gone = kinds_of(&w.app, gone).await;

    // A teacher cannot merge: the other dossier is not theirs to open, and their own page says no.
    let res = w
        .app
        .get_with(&w.juf, &format!("/dossiers/{gone}/samenvoegen?met={keep}"))
        .await;
    assert_eq!(res.status(), 404);
    let res = w
        .app
        .post_with(
            &w.juf2,
            &format!("/dossiers/{keep}/samenvoegen"),
            &[("met", &keep.to_string())],
        )
        .await;
    assert_eq!(res.status(), 422);

    // The aandachtsfunctionaris: the page explains, the merge is done.
    let html = page(
        &w,
        &w.af,
        &format!("/dossiers/{keep}/samenvoegen?met={gone}"),
    )
    .await;
    assert!(html.contains("Dossiers samenvoegen") && html.contains("Niets wordt gewist"));
    let res = w
        .app
        .post_with(
            &w.af,
            &format!("/dossiers/{keep}/samenvoegen"),
            &[
                ("met", &gone.to_string()),
                ("toelichting", "Twee collega's, één zorg."),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    assert_eq!(
        location(&res),
        format!("/dossiers/{keep}?melding=samengevoegd")
    );

    // Both histories whole, with an entry in each; the one merged away is closed and points on.
    let after_keep = kinds_of(&w.app, keep).await;
    let after_gone = kinds_of(&w.app, gone).await;
    assert_eq!(after_keep[..before_keep.len()], before_keep[..]);
    assert_eq!(after_gone[..before_gone.len()], before_gone[..]);
    assert_eq!(
        after_keep[before_keep.len()..],
        ["samengevoegd", "collega_toegevoegd"]
    );
    assert_eq!(after_gone[before_gone.len()..], ["opgegaan_in"]);
    let (status, reason, into): (String, Option<String>, Option<i64>) =
        sqlx::query_as("SELECT status, close_reason, merged_into FROM dossiers WHERE id = $1")
            .bind(gone)
            .fetch_one(w.app.db.pool_for_tests())
            .await
            .unwrap();
    assert_eq!(
        (status.as_str(), reason.as_deref(), into),
        ("gesloten", Some("samengevoegd"), Some(keep))
    );
    let html = page(&w, &w.af, &format!("/dossiers/{gone}")).await;
    assert!(html.contains("Samengevoegd met een ander dossier over deze leerling"));
    assert!(html.contains(&format!("nummer {keep}, geopend op")));

    // The teacher of the dossier merged away goes on in the other, and is told.
    assert_eq!(
        w.app
            .get_with(&w.juf, &format!("/dossiers/{keep}"))
            .await
            .status(),
        200
    );
    let told: (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM notifications n JOIN users u ON u.id = n.user_id \
         WHERE n.dossier_id = $1 AND n.kind = 'toegevoegd' AND u.email = 'juf@a.nl'",
    )
    .bind(keep)
    .fetch_one(w.app.db.pool_for_tests())
    .await
    .unwrap();
    assert_eq!(told.0, 1);

    // The dossier merged away cannot be reopened, and cannot be merged again.
    let res = w
        .app
        .post_with(
            &w.af,
            &format!("/dossiers/{gone}/aantekening"),
            &[
                ("soort", "heropend"),
                ("reden", "Toch apart."),
                ("nieuwe_signalen", "Geen."),
            ],
        )
        .await;
    assert_eq!(res.status(), 422);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("Ga verder in dat dossier")
    );
    let res = w
        .app
        .post_with(
            &w.af,
            &format!("/dossiers/{keep}/samenvoegen"),
            &[("met", &gone.to_string())],
        )
        .await;
    assert_eq!(res.status(), 422);

    // One chronology of the pupil across both dossiers, for the coordinator only.
    let html = page(&w, &w.af, &format!("/dossiers/{keep}/leerling")).await;
    assert!(html.contains(&format!("dossier {keep}")) && html.contains(&format!("dossier {gone}")));
    assert!(html.contains("Ander dossier over deze leerling hierin samengevoegd"));
    assert!(html.contains("één zorg."));
    assert_eq!(
        w.app
            .get_with(&w.juf, &format!("/dossiers/{keep}/leerling"))
            .await
            .status(),
        404
    );
}

#[tokio::test]
async fn one_dossier_per_concern_the_emergency_route_offers_the_open_dossier_too() {
    let w = world().await;
    let first = open(&w, &w.juf, "Lotte Bakker", "2016-04-01", false).await;
    let school = w.org.school_a.to_string();
    let id = first.to_string();
    let mut form = vec![
        ("school", school.as_str()),
        ("naam", "Lotte Bakker"),
        ("geboortedatum", "01-04-2016"),
        ("gebeld", "veilig_thuis"),
        ("wat", "Lotte zei dat ze niet naar huis durft."),
    ];
    let res = w.app.post_with(&w.juf, "/nood/melding", &form).await;
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    assert!(html.contains("Er is al een open dossier over deze leerling"));
    assert!(html.contains("Lotte zei dat ze niet naar huis durft."));
    form.extend([("bestaand", "toevoegen"), ("bestaand_id", id.as_str())]);
    let res = w.app.post_with(&w.juf, "/nood/melding", &form).await;
    assert_eq!(res.status(), 303);
    assert_eq!(
        location(&res),
        format!("/dossiers/{first}?melding=nood-toegevoegd")
    );
    assert_eq!(dossier_count(&w.app).await, 1);
    assert_eq!(
        kinds_of(&w.app, first).await,
        ["geopend", "signaal", "noodmelding"]
    );
    let notices = notices_about(&w.app, first).await;
    assert!(notices.contains(&"noodmelding".to_string()), "{notices:?}");
}

#[tokio::test]
async fn a_dossier_merged_into_another_is_kept_as_long_as_the_one_it_went_on_in() {
    let w = world().await;
    let keep = open(&w, &w.juf2, "Lotte Bakker", "2016-04-01", false).await;
    let gone = open(&w, &w.juf, "Lotte Bakker", "2016-04-01", false).await;
    let res = w
        .app
        .post_with(
            &w.af,
            &format!("/dossiers/{keep}/samenvoegen"),
            &[("met", &gone.to_string())],
        )
        .await;
    assert_eq!(res.status(), 303);
    let later = w.app.clock.unix() + 100;
    let ids = |c: Vec<meldcode::store::retention::PurgeCandidate>| {
        c.into_iter().map(|p| p.id.get()).collect::<Vec<i64>>()
    };
    // Closed by the merge, but the dossier it went on in is open: not a candidate.
    assert!(!ids(w.app.db.purge_candidates(later).await.unwrap()).contains(&gone));
    // Once that one is purged, it is.
    w.app
        .db
        .purge_dossier(meldcode::domain::ids::DossierId::new(keep), later)
        .await
        .unwrap();
    assert!(ids(w.app.db.purge_candidates(later).await.unwrap()).contains(&gone));
}

/// Merging locks both dossiers' rows in the order of their ids inside its transaction: many
/// merges of one pair at once, in both directions, end with exactly one merge, and none hangs.
#[tokio::test]
async fn many_merges_of_one_pair_at_once_in_both_directions_make_one_merge_and_none_hangs() {
    let w = world().await;
    let a = open(&w, &w.juf2, "Lotte Bakker", "2016-04-01", false).await;
    let b = open(&w, &w.juf, "Lotte Bakker", "2016-04-01", false).await;
    let n = 4 * std::thread::available_parallelism().map_or(2, usize::from);
    let token = w.app.token_with(&w.af).await;
    let mut merges = tokio::task::JoinSet::new();
    for i in 0..n {
        let (keep, gone) = if i % 2 == 0 { (a, b) } else { (b, a) };
        let url = w.app.url(&format!("/dossiers/{keep}/samenvoegen"));
        let (c, token) = (w.af.clone(), token.clone());
        merges.spawn(async move {
            c.post(&url)
                .form(&[("met", gone.to_string()), ("_csrf", token)])
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        });
    }
    let statuses = tokio::time::timeout(std::time::Duration::from_secs(30), merges.join_all())
        .await
        .expect("no merge may hang");
    assert_eq!(
        statuses.iter().filter(|s| **s == 303).count(),
        1,
        "{statuses:?}"
    );
    assert!(
        statuses.iter().all(|s| *s == 303 || *s == 422),
        "{statuses:?}"
    );
    let (merged, entries): (i64, i64) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM dossiers WHERE merged_into IS NOT NULL), \
         (SELECT COUNT(*) FROM entries WHERE kind IN ('samengevoegd', 'opgegaan_in'))",
    )
    .fetch_one(w.app.db.pool_for_tests())
    .await
    .unwrap();
    assert_eq!((merged, entries), (1, 2));
}
