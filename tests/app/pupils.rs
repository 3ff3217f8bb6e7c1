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
            c.post(&url)
                .form(&form)
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        });
    }
    let statuses = tokio::time::timeout(std::time::Duration::from_secs(30), opens.join_all())
        .await
        .expect("no opening may hang");
    assert!(statuses.iter().all(|s| *s == 303), "{statuses:?}");
    let (pupils, dossiers): (i64, i64) = sqlx::query_as(
        "SELECT COUNT(DISTINCT p.id), COUNT(d.id) FROM pupils p JOIN dossiers d ON d.pupil_id = p.id \
         WHERE p.school_id = $1",
    )
    .bind(w.org.school_a)
    .fetch_one(w.app.db.pool_for_tests())
    .await
    .unwrap();
    assert_eq!((pupils, dossiers), (1, n as i64));
}
