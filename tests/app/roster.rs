//! The school's roster from its administration system (issue 16): an import matched on the
//! administration system's key, repeated imports, staff accounts, and the search that
//! "Ik maak me zorgen" chooses a pupil from.

use std::time::Duration;

use meldcode::domain::pupil::search_words;
use meldcode::domain::roster::{Roster, RosterPupil, RosterStaff};
use meldcode::store::users::Actor;
use time::macros::date;

use crate::common::*;

fn pupil(key: &str, name: &str, group: &str) -> RosterPupil {
    RosterPupil {
        key: key.into(),
        name: name.into(),
        date_of_birth: date!(2017 - 03 - 01),
        group: group.into(),
    }
}

fn teacher(key: &str, name: &str, email: &str) -> RosterStaff {
    RosterStaff {
        key: key.into(),
        name: name.into(),
        email: email.into(),
    }
}

fn roster() -> Roster {
    Roster {
        brin: Some("99XX".into()),
        pupils: vec![
            pupil("L1", "Sanne de Vries", "Groep 4b"),
            pupil("L2", "Daan Bakker", "Groep 4b"),
            pupil("L3", "Noor Jansen", "Groep 5a"),
        ],
        staff: vec![
            teacher("M1", "Juf Anna", "anna@regenboog.example"),
            teacher("M2", "Meester Bas", "bas@regenboog.example"),
        ],
    }
}

async fn names(app: &TestApp, school: meldcode::domain::ids::SchoolId, q: &str) -> Vec<String> {
    app.db
        .search_roster(school, &search_words(q))
        .await
        .unwrap()
        .into_iter()
        .map(|m| m.name)
        .collect()
}

#[tokio::test]
async fn a_repeated_import_updates_by_key_marks_who_left_and_duplicates_nothing() {
    let app = spawn_app().await;
    let org = app.seed_org().await;
    let now = app.clock.unix();
    let first = app
        .db
        .import_roster(org.id, org.school_a, &roster(), &Actor::default(), now)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((first.add_pupils.len(), first.add_staff.len()), (3, 2));
    assert_eq!(
        names(&app, org.school_a, "san").await,
        vec!["Sanne de Vries"]
    );
    assert_eq!(
        names(&app, org.school_a, "4b").await,
        vec!["Daan Bakker", "Sanne de Vries"]
    );
    assert_eq!(
        names(&app, org.school_a, "vries s").await,
        vec!["Sanne de Vries"]
    );
    assert!(
        names(&app, org.school_b, "san").await.is_empty(),
        "only the school's own roster"
    );

    // The same file again changes nothing.
    let again = app
        .db
        .import_roster(org.id, org.school_a, &roster(), &Actor::default(), now)
        .await
        .unwrap()
        .unwrap();
    assert!(again.is_empty(), "{again:?}");

    // A month later: Daan left, Noor moved up a group, Mila is new, Meester Bas left.
    let mut later = roster();
    later.pupils.remove(1);
    later.pupils[1].group = "Groep 6a".into();
    later.pupils.push(pupil("L4", "Mila Peters", "Groep 3"));
    later.staff.truncate(1);
    let changed = app
        .db
        .import_roster(org.id, org.school_a, &later, &Actor::default(), now + 60)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(changed.add_pupils.len(), 1);
    assert_eq!(changed.change_pupils.len(), 1);
    assert_eq!(changed.leave_pupils.len(), 1);
    assert_eq!(changed.leave_staff.len(), 1);
    assert!(
        names(&app, org.school_a, "daan").await.is_empty(),
        "a pupil who left is not found"
    );
    assert_eq!(names(&app, org.school_a, "6a").await, vec!["Noor Jansen"]);
    let (rows,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM pupils WHERE school_id = $1")
        .bind(org.school_a)
        .fetch_one(app.db.pool_for_tests())
        .await
        .unwrap();
    assert_eq!(
        rows, 3,
        "nobody duplicated; a pupil who left without a dossier is not kept"
    );
    // Staff: Anna has an account with the role beroepskracht; Bas's account is deactivated.
    let anna = app.db.credentials("anna@regenboog.example").await.unwrap();
    assert!(anna.is_some());
    let users = app.db.users(org.id).await.unwrap();
    let bas = users
        .iter()
        .find(|u| u.email == "bas@regenboog.example")
        .unwrap();
    assert!(!bas.active, "staff who left are deactivated");
}

#[tokio::test]
async fn a_pupil_typed_by_hand_before_the_import_becomes_the_roster_pupil_with_their_dossier() {
    let app = spawn_app().await;
    let org = app.seed_org().await;
    let juf = client();
    app.add_teacher(&org, "juf@a.nl").await;
    app.login_with(&juf, "juf@a.nl", PASSWORD).await;
    let id = open_dossier_at(&app, &juf, org.school_a, "Sanne de Vries", "lichamelijk").await;
    let typed_born: (String,) = sqlx::query_as(
        "SELECT p.date_of_birth FROM dossiers d JOIN pupils p ON p.id = d.pupil_id WHERE d.id = $1",
    )
    .bind(id)
    .fetch_one(app.db.pool_for_tests())
    .await
    .unwrap();
    let mut r = roster();
    r.pupils[0].date_of_birth = time::Date::parse(
        &typed_born.0,
        &time::format_description::well_known::Iso8601::DATE,
    )
    .unwrap();
    let plan = app
        .db
        .import_roster(
            org.id,
            org.school_a,
            &r,
            &Actor::default(),
            app.clock.unix(),
        )
        .await
        .unwrap()
        .unwrap();
    assert_eq!(plan.add_pupils.len(), 3);
    let (keyed,): (Option<String>,) = sqlx::query_as(
        "SELECT p.source_key FROM dossiers d JOIN pupils p ON p.id = d.pupil_id WHERE d.id = $1",
    )
    .bind(id)
    .fetch_one(app.db.pool_for_tests())
    .await
    .unwrap();
    assert_eq!(
        keyed.as_deref(),
        Some("L1"),
        "the dossier's pupil is now on the roster"
    );
    // When Sanne leaves, her dossier keeps her: she is marked as left, and not found any more.
    let mut without = r.clone();
    without.pupils.remove(0);
    app.db
        .import_roster(
            org.id,
            org.school_a,
            &without,
            &Actor::default(),
            app.clock.unix(),
        )
        .await
        .unwrap()
        .unwrap();
    let (name, left): (String, Option<i64>) = sqlx::query_as(
        "SELECT p.name, p.left_at FROM dossiers d JOIN pupils p ON p.id = d.pupil_id WHERE d.id = $1",
    )
    .bind(id)
    .fetch_one(app.db.pool_for_tests())
    .await
    .unwrap();
    assert_eq!(name, "Sanne de Vries");
    assert!(left.is_some(), "marked as left");
    assert!(names(&app, org.school_a, "sanne").await.is_empty());
}

#[tokio::test]
async fn a_file_of_another_school_changes_nothing() {
    let app = spawn_app().await;
    let org = app.seed_org().await;
    let now = app.clock.unix();
    app.db
        .import_roster(org.id, org.school_a, &roster(), &Actor::default(), now)
        .await
        .unwrap()
        .unwrap();
    // The same BRIN at the other school is refused, and so is another BRIN here.
    let refused = app
        .db
        .import_roster(org.id, org.school_b, &roster(), &Actor::default(), now)
        .await
        .unwrap()
        .unwrap_err();
    assert!(refused.message.contains("BRIN-nummer 99XX"), "{refused:?}");
    let mut other = roster();
    other.brin = Some("11AA".into());
    other.pupils.push(pupil("L9", "Nieuw Kind", "3"));
    let refused = app
        .db
        .import_roster(org.id, org.school_a, &other, &Actor::default(), now)
        .await
        .unwrap()
        .unwrap_err();
    assert!(refused.message.contains("11AA"), "{refused:?}");
    assert!(
        names(&app, org.school_a, "nieuw").await.is_empty(),
        "nothing imported"
    );
}

#[tokio::test]
async fn many_imports_of_one_school_at_once_all_finish_and_leave_one_roster() {
    let app = spawn_app().await;
    let org = app.seed_org().await;
    let n = 4 * std::thread::available_parallelism().map_or(2, usize::from);
    let now = app.clock.unix();
    let runs = (0..n).map(|_| {
        let db = app.db.clone();
        let school = org.school_a;
        tokio::spawn(async move {
            db.import_roster(org.id, school, &roster(), &Actor::default(), now)
                .await
        })
    });
    let results = tokio::time::timeout(Duration::from_secs(60), futures_join(runs))
        .await
        .expect("no import hangs");
    let added: usize = results
        .into_iter()
        .map(|r| r.unwrap().unwrap().unwrap().add_pupils.len())
        .sum();
    assert_eq!(
        added, 3,
        "one import added the pupils; the others found them"
    );
    assert_eq!(names(&app, org.school_a, "groep").await.len(), 3);
}

async fn futures_join<T>(
    handles: impl Iterator<Item = tokio::task::JoinHandle<T>>,
) -> Vec<Result<T, tokio::task::JoinError>> {
    let mut out = Vec::new();
    for h in handles.collect::<Vec<_>>() {
        out.push(h.await);
    }
    out
}

#[tokio::test]
async fn a_teacher_chooses_the_pupil_by_searching_the_roster_and_the_typed_text_stays() {
    let app = spawn_app().await;
    let org = app.seed_org().await;
    let now = app.clock.unix();
    let mut r = roster();
    r.pupils.push(pupil("L5", "Sanne Bos", "Groep 7"));
    app.db
        .import_roster(org.id, org.school_a, &r, &Actor::default(), now)
        .await
        .unwrap()
        .unwrap();
    let juf = client();
    app.add_teacher(&org, "juf@a.nl").await;
    app.login_with(&juf, "juf@a.nl", PASSWORD).await;
    let form = app
        .get_with(&juf, "/dossiers/nieuw")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        form.contains("Zoek de leerling in de leerlingenlijst"),
        "{form}"
    );
    let school = org.school_a.to_string();
    let typed = [
        ("school", school.as_str()),
        ("medewerker", "nee"),
        ("vormen", "lichamelijk"),
        ("aard", "feit"),
        ("waarneming", "Mijn getypte waarneming"),
        ("bron", "eigen"),
    ];
    // "Zoeken" posts the form: it comes back with the pupils found and the text kept.
    let mut search = typed.to_vec();
    search.extend([("zoek", "sanne"), ("actie", "zoeken")]);
    let res = app.post_with(&juf, "/dossiers/nieuw", &search).await;
    assert_eq!(res.status(), 200);
    let page = res.text().await.unwrap();
    assert!(page.contains("2 leerlingen gevonden"), "{page}");
    assert!(
        page.contains("Sanne Bos, groep 7, geboren 1 maart 2017"),
        "{page}"
    );
    assert!(page.contains("Sanne de Vries, groep 4b"));
    assert!(page.contains("Mijn getypte waarneming"), "the text stays");
    // Choosing one opens the dossier about that roster pupil.
    let (bos,): (i64,) = sqlx::query_as("SELECT id FROM pupils WHERE source_key = 'L5'")
        .fetch_one(app.db.pool_for_tests())
        .await
        .unwrap();
    let bos = bos.to_string();
    let mut choose = typed.to_vec();
    choose.push(("leerling_id", bos.as_str()));
    let res = app.post_with(&juf, "/dossiers/nieuw", &choose).await;
    assert_eq!(res.status(), 303, "{}", res.text().await.unwrap());
    let (pupil_of_dossier,): (i64,) = sqlx::query_as("SELECT pupil_id FROM dossiers")
        .fetch_one(app.db.pool_for_tests())
        .await
        .unwrap();
    assert_eq!(pupil_of_dossier.to_string(), bos);
    // The search reveals nothing about who has a dossier: the same answer as before, and a
    // pupil typed by hand (known only from a dossier) is never found.
    open_dossier_at(&app, &juf, org.school_a, "Sanne Geheim", "lichamelijk").await;
    let again = app
        .post_with(&juf, "/dossiers/nieuw", &search)
        .await
        .text()
        .await
        .unwrap();
    assert!(again.contains("2 leerlingen gevonden"), "{again}");
    assert!(!again.contains("Geheim"));
    // A pupil of another school's roster cannot be chosen by its id: nothing is opened.
    let other = Roster {
        brin: Some("22BB".into()),
        pupils: vec![pupil("K1", "Kompas Kind", "Groep 1")],
        staff: vec![],
    };
    app.db
        .import_roster(org.id, org.school_b, &other, &Actor::default(), now)
        .await
        .unwrap()
        .unwrap();
    let (foreign_id,): (i64,) = sqlx::query_as("SELECT id FROM pupils WHERE source_key = 'K1'")
        .fetch_one(app.db.pool_for_tests())
        .await
        .unwrap();
    let foreign_id = foreign_id.to_string();
    let mut foreign = typed.to_vec();
    foreign.push(("leerling_id", foreign_id.as_str()));
    let res = app.post_with(&juf, "/dossiers/nieuw", &foreign).await;
    assert_eq!(res.status(), 422, "no pupil chosen, none typed");
    assert!(!res.text().await.unwrap().contains("Kompas Kind"));
}

/// Uploads `bytes` as the school's roster file through the beheer page (the first press), or
/// carries `carried` (base64) with the confirmation.
async fn upload(
    app: &TestApp,
    school: meldcode::domain::ids::SchoolId,
    bytes: Option<Vec<u8>>,
    carried: Option<&str>,
) -> reqwest::Response {
    let token = app.token_with(&app.client).await;
    let mut form = reqwest::multipart::Form::new().text("_csrf", token);
    if let Some(b) = bytes {
        form = form.part(
            "bestand",
            reqwest::multipart::Part::bytes(b).file_name("export.xml"),
        );
    }
    if let Some(c) = carried {
        form = form.text("inhoud", c.to_string()).text("bevestigd", "ja");
    }
    app.client
        .post(app.url(&format!("/beheer/scholen/{school}/inlezen")))
        .multipart(form)
        .send()
        .await
        .unwrap()
}

fn carried_file(page: &str) -> String {
    let at = page
        .find("name=\"inhoud\" value=\"")
        .expect("the file carried to the confirmation");
    let rest = &page[at + "name=\"inhoud\" value=\"".len()..];
    rest[..rest.find('"').unwrap()].to_string()
}

async fn beheerder() -> (TestApp, Org) {
    let app = spawn_app().await;
    let org = app.seed_org().await;
    app.add_user(
        &org,
        "beheer@a.nl",
        &[(meldcode::domain::role::Role::Beheerder, org.school_a)],
    )
    .await;
    app.login("beheer@a.nl").await;
    (app, org)
}

#[tokio::test]
async fn a_beheerder_reads_in_the_demo_schools_edexml_file_previews_it_and_repeats_it_with_changes()
{
    let (app, org) = beheerder().await;
    let page = app
        .get(&format!("/beheer/scholen/{}/inlezen", org.school_a))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("enctype=\"multipart/form-data\""), "{page}");
    // The first press previews and changes nothing.
    let first = include_bytes!("../data/demo-edexml.xml").to_vec();
    let res = upload(&app, org.school_a, Some(first.clone()), None).await;
    assert_eq!(res.status(), 200);
    let preview = res.text().await.unwrap();
    assert!(preview.contains("Dit verandert er"), "{preview}");
    assert!(preview.contains("Nieuwe leerlingen: 24"), "{preview}");
    assert!(preview.contains("Nieuwe medewerkers: 4"), "{preview}");
    assert!(
        app.db
            .search_roster(org.school_a, &search_words("a"))
            .await
            .unwrap()
            .is_empty()
    );
    // Confirmed: read in.
    let res = upload(&app, org.school_a, None, Some(&carried_file(&preview))).await;
    assert_eq!(res.status(), 303);
    assert!(location(&res).contains("melding=ingelezen"));
    let roster_size = |app: &TestApp| {
        let pool = app.db.pool_for_tests().clone();
        let school = org.school_a;
        async move {
            let (n,): (i64,) = sqlx::query_as(
                "SELECT COUNT(*) FROM pupils WHERE school_id = $1 AND source_key IS NOT NULL AND left_at IS NULL",
            )
            .bind(school)
            .fetch_one(&pool)
            .await
            .unwrap();
            n
        }
    };
    assert_eq!(roster_size(&app).await, 24);
    // Nothing the meldcode does not need is kept: no BSN or address from the file in any row.
    let rows: Vec<(String, String, String, String, Option<String>)> =
        sqlx::query_as("SELECT name, name_key, date_of_birth, group_name, source_key FROM pupils")
            .fetch_all(app.db.pool_for_tests())
            .await
            .unwrap();
    let kept = format!("{rows:?}");
    assert!(kept.contains("Groep"), "the rows are read: {kept}");
    for never in ["999900301", "Lindelaan", "Kastanjestraat"] {
        assert!(!kept.contains(never), "{never} is not kept");
    }
    // A month later: two left, two new, one moved group, one renamed; a teacher left, one came.
    let changed = include_bytes!("../data/demo-edexml-changed.xml").to_vec();
    let preview = upload(&app, org.school_a, Some(changed), None)
        .await
        .text()
        .await
        .unwrap();
    assert!(preview.contains("Nieuwe leerlingen: 2"), "{preview}");
    assert!(preview.contains("Gewijzigd: 2"), "{preview}");
    assert!(preview.contains("Niet meer op school: 2"), "{preview}");
    assert!(preview.contains("Medewerkers die weg zijn: 1"), "{preview}");
    let res = upload(&app, org.school_a, None, Some(&carried_file(&preview))).await;
    assert_eq!(res.status(), 303);
    assert_eq!(roster_size(&app).await, 24, "24 - 2 + 2");
    // The same file again changes nothing.
    let again = include_bytes!("../data/demo-edexml-changed.xml").to_vec();
    let preview = upload(&app, org.school_a, Some(again), None)
        .await
        .text()
        .await
        .unwrap();
    assert!(
        preview.contains("Niets: de leerlingenlijst is al zoals in dit bestand."),
        "{preview}"
    );
}

#[tokio::test]
async fn a_malformed_or_hostile_file_gets_a_dutch_message_naming_its_place_and_changes_nothing() {
    let (app, org) = beheerder().await;
    let hostile: [(&str, Vec<u8>, &str); 4] = [
        (
            "entities",
            b"<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY a \"aaaa\">]><EDEX>&a;</EDEX>".to_vec(),
            "DOCTYPE",
        ),
        (
            "broken xml",
            b"<EDEX><school><brincode>99XX</school>".to_vec(),
            "niet ingelezen",
        ),
        (
            "formula",
            format!(
                "{}\nleerling;L1;=HYPERLINK(\"x\");;Vries;2017-03-01;4b;\n",
                meldcode::domain::roster::CSV_HEADER
            )
            .into_bytes(),
            "Regel 2",
        ),
        (
            "too big",
            vec![b' '; meldcode::domain::roster::MAX_BYTES + 1],
            "10 MB",
        ),
    ];
    for (what, bytes, says) in hostile {
        let res = upload(&app, org.school_a, Some(bytes), None).await;
        let status = res.status().as_u16();
        let page = res.text().await.unwrap();
        assert!(status == 422 || status == 413, "{what}: {status}");
        if status == 422 {
            assert!(page.contains(says), "{what}: {page}");
            assert!(page.contains("Er is niets veranderd."), "{what}");
        }
    }
    // Another school's file: its BRIN is named, nothing read in.
    let first = include_bytes!("../data/demo-edexml.xml").to_vec();
    let preview = upload(&app, org.school_a, Some(first.clone()), None)
        .await
        .text()
        .await
        .unwrap();
    upload(&app, org.school_a, None, Some(&carried_file(&preview))).await;
    let res = upload(&app, org.school_b, Some(first), None).await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.unwrap().contains("BRIN-nummer 99XX"));
    assert!(!app.db.has_roster(org.school_b).await.unwrap());
}

#[tokio::test]
async fn staff_who_get_a_new_key_stay_and_an_address_of_another_account_is_refused() {
    let app = spawn_app().await;
    let org = app.seed_org().await;
    let now = app.clock.unix();
    app.db
        .import_roster(org.id, org.school_a, &roster(), &Actor::default(), now)
        .await
        .unwrap()
        .unwrap();
    // The administration gives Anna a new key: the same account, still a beroepskracht here.
    let mut rekeyed = roster();
    rekeyed.staff[0].key = "M1-nieuw".into();
    let plan = app
        .db
        .import_roster(org.id, org.school_a, &rekeyed, &Actor::default(), now)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((plan.add_staff.len(), plan.leave_staff.len()), (1, 1));
    let users = app.db.users(org.id).await.unwrap();
    let anna = users
        .iter()
        .find(|u| u.email == "anna@regenboog.example")
        .unwrap();
    assert!(anna.active, "still on the staff, under her new key");
    assert_eq!(users.len(), 2, "no second account");
    let roles = app.db.roles(anna.id).await.unwrap();
    assert!(!roles.is_empty(), "her role at the school stays");
    // Bas's address in the file becomes Anna's: refused, naming him, nothing changed.
    let mut taken = rekeyed.clone();
    taken.staff[1].email = "anna@regenboog.example".into();
    let refused = app
        .db
        .import_roster(org.id, org.school_a, &taken, &Actor::default(), now)
        .await
        .unwrap()
        .unwrap_err();
    assert!(refused.place.contains("M2"), "{refused:?}");
    assert!(refused.message.contains("anna@regenboog.example"));
    let preview = app.db.roster_preview(org.school_a, &taken).await.unwrap();
    assert!(preview.is_err(), "the preview says so too");
}
