//! Evaluation reports for directie: counts only, small numbers hidden, CSV safe for spreadsheets.

use meldcode::domain::ids::{DossierId, SchoolId};
use meldcode::domain::role::Role;
use meldcode::store::reports::Scope;

use crate::common::*;

/// The figure in the report table's row with this label.
fn cell(page: &str, label: &str) -> String {
    let i = page
        .find(&format!("<th scope=\"row\">{label}</th>"))
        .unwrap_or_else(|| panic!("row {label}"));
    page[i..]
        .split("<td>")
        .nth(1)
        .unwrap()
        .split("</td>")
        .next()
        .unwrap()
        .to_string()
}

#[tokio::test]
async fn the_report_counts_without_names_and_hides_counts_below_five() {
    let app = spawn_app().await;
    let org = app.seed_org().await;
    app.add_user(&org, "juf@a.nl", &[(Role::Beroepskracht, org.school_a)])
        .await;
    app.add_user(&org, "juf@b.nl", &[(Role::Beroepskracht, org.school_b)])
        .await;
    app.add_user(&org, "dir@a.nl", &[(Role::Directie, org.school_a)])
        .await;
    let juf = client();
    app.login_with(&juf, "juf@a.nl", PASSWORD).await;
    let mut names = Vec::new();
    for i in 0..6 {
        let name = format!("Leerling Lichaam{i}");
        open_dossier_at(&app, &juf, org.school_a, &name, "lichamelijk").await;
        names.push(name);
    }
    for i in 0..2 {
        let name = format!("Leerling Psyche{i}");
        open_dossier_at(&app, &juf, org.school_a, &name, "psychisch").await;
        names.push(name);
    }
    // Another school's dossiers are not in this directie's report.
    let juf_b = client();
    app.login_with(&juf_b, "juf@b.nl", PASSWORD).await;
    for i in 0..5 {
        open_dossier_at(
            &app,
            &juf_b,
            org.school_b,
            &format!("Ander Kind{i}"),
            "seksueel",
        )
        .await;
    }

    let dir = client();
    app.login_with(&dir, "dir@a.nl", PASSWORD).await;
    let res = app.get_with(&dir, "/evaluatie").await;
    assert_eq!(res.status(), 200);
    let page = res.text().await.unwrap();
    for name in &names {
        assert!(!page.contains(name.as_str()), "no pupil name in the report");
    }
    let row = |label: &str| cell(&page, label);
    assert_eq!(row("Dossiers geopend"), "8");
    assert_eq!(row("Lichamelijk geweld of mishandeling"), "6");
    assert_eq!(row("Psychisch of emotioneel geweld"), "&#60; 5");
    assert_eq!(
        row("Seksueel geweld of misbruik"),
        "0",
        "school B is not counted"
    );
    assert!(page.contains("<svg"), "charts are drawn on the server");

    let res = app.get_with(&dir, "/evaluatie/csv?tabel=vormen").await;
    assert_eq!(res.status(), 200);
    assert!(
        res.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    // As Dutch Excel opens it without an import step: a UTF-8 byte order mark, `;` between
    // cells, and a hidden count as an empty number with "< 5" in a column of its own.
    let bytes = res.bytes().await.unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "UTF-8 with a BOM");
    let csv = String::from_utf8(bytes[3..].to_vec()).unwrap();
    assert!(
        csv.lines().next().unwrap().ends_with(";Aantal;Opmerking"),
        "{csv}"
    );
    assert!(
        csv.contains("Lichamelijk geweld of mishandeling;6;\n"),
        "{csv}"
    );
    assert!(
        csv.contains("Psychisch of emotioneel geweld;;< 5\n"),
        "{csv}"
    );
    for name in &names {
        assert!(!csv.contains(name.as_str()));
    }
    let exported: i64 = sqlx::query_as::<_, (i64,)>(
        "SELECT COUNT(*) FROM audit_log WHERE event = 'report_exported'",
    )
    .fetch_one(app.db.pool_for_tests())
    .await
    .unwrap()
    .0;
    assert_eq!(exported, 1, "the export is logged");
    let times = app
        .get_with(&dir, "/evaluatie/csv?tabel=tijd")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        times.contains("Stap;Dossiers;Opmerking;Mediaan;Langst"),
        "{times}"
    );
}

#[tokio::test]
async fn only_directie_sees_the_evaluation() {
    let app = spawn_app().await;
    let org = app.seed_org().await;
    for (email, role) in [
        ("juf@a.nl", Role::Beroepskracht),
        ("af@a.nl", Role::Aandachtsfunctionaris),
        ("beheer@a.nl", Role::Beheerder),
    ] {
        app.add_user(&org, email, &[(role, org.school_a)]).await;
        let c = client();
        app.login_with(&c, email, PASSWORD).await;
        assert_eq!(
            app.get_with(&c, "/evaluatie").await.status(),
            403,
            "{email}"
        );
        assert_eq!(
            app.get_with(&c, "/evaluatie/csv?tabel=vormen")
                .await
                .status(),
            403,
            "{email}"
        );
    }
}

#[tokio::test]
async fn a_directie_cannot_widen_the_report_to_another_school_through_the_address() {
    let app = spawn_app().await;
    let org = app.seed_org().await;
    app.add_user(&org, "juf@b.nl", &[(Role::Beroepskracht, org.school_b)])
        .await;
    app.add_user(&org, "dir@a.nl", &[(Role::Directie, org.school_a)])
        .await;
    let juf_b = client();
    app.login_with(&juf_b, "juf@b.nl", PASSWORD).await;
    for i in 0..6 {
        open_dossier_at(
            &app,
            &juf_b,
            org.school_b,
            &format!("Kind{i}"),
            "lichamelijk",
        )
        .await;
    }
    let dir = client();
    app.login_with(&dir, "dir@a.nl", PASSWORD).await;
    let csv = app
        .get_with(
            &dir,
            &format!("/evaluatie/csv?tabel=totaal&school={}", org.school_b),
        )
        .await
        .text()
        .await
        .unwrap();
    assert!(csv.contains("Dossiers geopend;0;"), "{csv}");
}

#[tokio::test]
async fn a_malformed_or_reversed_period_gets_a_dutch_message_not_an_error() {
    let app = spawn_app().await;
    let org = app.seed_org().await;
    app.add_user(&org, "dir@a.nl", &[(Role::Directie, org.school_a)])
        .await;
    app.login("dir@a.nl").await;
    let res = app.get("/evaluatie?van=gisteren&tot=2026-13-45").await;
    assert_eq!(res.status(), 200);
    assert!(res.text().await.unwrap().contains("Vul geldige datums in."));
    let res = app.get("/evaluatie?van=2026-06-01&tot=2026-01-01").await;
    assert!(res.text().await.unwrap().contains("omgedraaid"));
}

/// Rule: a computed report is shown again for five minutes (it can take long over a whole
/// organisation), says when it was computed, and is computed anew after that.
#[tokio::test]
async fn a_report_is_reused_for_five_minutes_then_computed_anew() {
    let app = spawn_app().await;
    let org = app.seed_org().await;
    app.add_user(&org, "juf@a.nl", &[(Role::Beroepskracht, org.school_a)])
        .await;
    app.add_user(&org, "dir@a.nl", &[(Role::Directie, org.school_a)])
        .await;
    let (juf, dir) = (client(), client());
    app.login_with(&juf, "juf@a.nl", PASSWORD).await;
    app.login_with(&dir, "dir@a.nl", PASSWORD).await;
    for i in 0..5 {
        open_dossier_at(
            &app,
            &juf,
            org.school_a,
            &format!("Kind {i}"),
            "lichamelijk",
        )
        .await;
    }
    let opened = |page: &str| cell(page, "Dossiers geopend");
    let page = app.get_with(&dir, "/evaluatie").await.text().await.unwrap();
    assert_eq!(opened(&page), "5");
    assert!(page.contains("Berekend op"));

    open_dossier_at(&app, &juf, org.school_a, "Kind 5", "lichamelijk").await;
    let page = app.get_with(&dir, "/evaluatie").await.text().await.unwrap();
    assert_eq!(opened(&page), "5", "the same figures within five minutes");

    app.clock.advance(meldcode::app::REPORT_CACHE_SECS);
    let page = app.get_with(&dir, "/evaluatie").await.text().await.unwrap();
    assert_eq!(opened(&page), "6", "computed anew after five minutes");
}

/// A board member can be directie of many schools: the page offers them in one list box instead
/// of a checkbox each, and its links name schools only when fewer than all are chosen.
#[tokio::test]
async fn a_directie_of_many_schools_gets_a_compact_choice_and_short_links() {
    let app = spawn_app().await;
    let org = app.seed_org().await;
    let mut roles = vec![
        (Role::Directie, org.school_a),
        (Role::Directie, org.school_b),
    ];
    for i in 0..30 {
        let id = app
            .db
            .add_school(org.id, &format!("School {i:02}"), 0)
            .await
            .unwrap();
        roles.push((Role::Directie, id));
    }
    app.add_user(&org, "bestuur@a.nl", &roles).await;
    let board = client();
    app.login_with(&board, "bestuur@a.nl", PASSWORD).await;
    let page = app
        .get_with(&board, "/evaluatie")
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("<select id=\"scholen\" name=\"school\" multiple"));
    assert!(
        !page.contains("type=\"checkbox\""),
        "no checkbox per school"
    );
    assert!(page.contains("alle 32 scholen"));
    assert!(
        !page.contains("school="),
        "links name no schools when all are chosen"
    );

    let one = format!("/evaluatie?school={}", org.school_b);
    let page = app.get_with(&board, &one).await.text().await.unwrap();
    assert!(
        page.contains(&format!("school={}", org.school_b)),
        "a narrower choice is kept in the links"
    );
    assert!(page.contains(&format!("<option value=\"{}\" selected>", org.school_b)));
}

#[tokio::test]
async fn a_period_outside_1990_to_2100_gets_a_dutch_message_on_the_page_and_the_csv_never_a_panic()
{
    let app = spawn_app().await;
    let org = app.seed_org().await;
    app.add_user(&org, "dir@a.nl", &[(Role::Directie, org.school_a)])
        .await;
    app.login("dir@a.nl").await;
    for query in [
        "tot=9999-12-31",
        "van=9999-12-31",
        "van=-0001-01-01",
        "van=1900-01-01&tot=2026-01-01",
    ] {
        let res = app.get(&format!("/evaluatie?{query}")).await;
        assert_eq!(res.status(), 200, "{query}");
        let body = res.text().await.unwrap();
        assert!(
            body.contains("Kies een datum tussen 1 januari 1990 en 31 december 2100.")
                || body.contains("Vul geldige datums in."),
            "{query}"
        );
        // The download does not use another period than asked: back to the page that says why.
        let res = app
            .get(&format!("/evaluatie/csv?tabel=vormen&{query}"))
            .await;
        assert_eq!(res.status(), 303, "{query}");
        assert!(location(&res).starts_with("/evaluatie?"), "{query}");
    }
}

/// The first moment of each step kept on every dossier (migration 0018), beside what its entries
/// say: (dossier, kept, first entry of the step).
async fn step_moments(app: &TestApp) -> Vec<(i64, [Option<i64>; 5], [Option<i64>; 5])> {
    type Row = (
        i64,
        Option<i64>,
        Option<i64>,
        Option<i64>,
        Option<i64>,
        Option<i64>,
        Option<i64>,
        Option<i64>,
        Option<i64>,
        Option<i64>,
        Option<i64>,
    );
    let first = |n: u8| {
        format!(
            "(SELECT MIN(e.created_at) FROM entries e WHERE e.dossier_id = d.id AND e.step = {n})"
        )
    };
    let sql = format!(
        "SELECT d.id, d.step1_at, d.step2_at, d.step3_at, d.step4_at, d.step5_at, {}, {}, {}, {}, {} \
         FROM dossiers d ORDER BY d.id",
        first(1),
        first(2),
        first(3),
        first(4),
        first(5)
    );
    let rows: Vec<Row> = sqlx::query_as(&sql)
        .fetch_all(app.db.pool_for_tests())
        .await
        .unwrap();
    rows.into_iter()
        .map(|r| (r.0, [r.1, r.2, r.3, r.4, r.5], [r.6, r.7, r.8, r.9, r.10]))
        .collect()
}

/// Every dossier's kept step moments equal the first entry of each step; those of `id`.
async fn kept_moments_agree(app: &TestApp, id: DossierId) -> [Option<i64>; 5] {
    let all = step_moments(app).await;
    for (dossier, kept, entries) in &all {
        assert_eq!(
            kept, entries,
            "dossier {dossier}: kept step moments agree with its entries"
        );
    }
    all.iter()
        .find(|(d, _, _)| *d == id.get())
        .expect("the dossier")
        .1
}

#[tokio::test]
async fn the_first_moment_of_each_step_is_kept_on_the_dossier_as_its_entries_say() {
    let app = spawn_app().await;
    let org = app.seed_org().await;
    app.add_user(&org, "juf@a.nl", &[(Role::Beroepskracht, org.school_a)])
        .await;
    app.add_user(
        &org,
        "af@a.nl",
        &[(Role::Aandachtsfunctionaris, org.school_a)],
    )
    .await;
    app.add_user(
        &org,
        "af@b.nl",
        &[(Role::Aandachtsfunctionaris, org.school_b)],
    )
    .await;
    let (juf, af_a, af_b) = (client(), client(), client());
    app.login_with(&juf, "juf@a.nl", PASSWORD).await;
    app.login_with(&af_a, "af@a.nl", PASSWORD).await;
    app.login_with(&af_b, "af@b.nl", PASSWORD).await;
    let id = open_dossier_at(&app, &juf, org.school_a, "Kind Stappen", "lichamelijk").await;
    let opened = kept_moments_agree(&app, id).await;
    assert!(opened[0].is_some(), "the first signal is step 1");
    assert_eq!(opened[1..], [None; 4]);

    let post = |c: &reqwest::Client, fields: Vec<(&'static str, String)>| {
        let (app, c) = (&app, c.clone());
        async move {
            let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let res = app
                .post_with(&c, &format!("/dossiers/{id}/aantekening"), &fields)
                .await;
            assert_eq!(res.status(), 303, "{fields:?} recorded");
        }
    };
    let date = today(&app);
    app.clock.advance(60);
    post(
        &juf,
        vec![
            ("soort", "signaal".into()),
            ("aard", "feit".into()),
            ("bron", "eigen".into()),
            ("waarneming", "Nog een waarneming".into()),
        ],
    )
    .await;
    app.clock.advance(60);
    post(
        &af_a,
        vec![
            ("soort", "consultatie".into()),
            ("met", "aandachtsfunctionaris".into()),
            ("naam", "Collega".into()),
            ("datum", date.clone()),
            ("vraag", "Mijn vraag".into()),
            ("advies", "Het advies".into()),
        ],
    )
    .await;
    app.clock.advance(60);
    post(
        &af_a,
        vec![
            ("soort", "gesprek".into()),
            ("met", "ouders".into()),
            ("datum", date.clone()),
            ("doel", "d".into()),
            ("feiten", "f".into()),
            ("reactie", "r".into()),
        ],
    )
    .await;
    let kept = kept_moments_agree(&app, id).await;
    assert_eq!(
        kept[0], opened[0],
        "a later signal leaves step 1's first moment"
    );
    assert!(kept[1].unwrap() < kept[2].unwrap());
    assert_eq!(kept[3..], [None; 2]);

    // A decision and a help plan (step 5), closing, reopening and then weighing (step 4).
    app.clock.advance(60);
    post(
        &af_a,
        vec![
            ("soort", "besluit".into()),
            ("vraag2", "nee".into()),
            ("vraag2_toelichting", "t".into()),
            ("vraag3", "ja".into()),
            ("vraag3_toelichting", "t".into()),
            ("vraag4", "ja".into()),
            ("vraag4_toelichting", "t".into()),
        ],
    )
    .await;
    post(
        &af_a,
        vec![
            ("soort", "hulpplan".into()),
            ("datum", date.clone()),
            ("hulp", "h".into()),
            ("rollen", "r".into()),
            ("casemanager", "c".into()),
            ("termijn", "2099-01-01".into()),
            ("evaluatiedatum", "2099-01-01".into()),
        ],
    )
    .await;
    app.clock.advance(60);
    post(
        &af_a,
        vec![
            ("soort", "gesloten".into()),
            ("bevestigd", "ja".into()),
            ("reden", "leerling_vertrokken".into()),
            ("toelichting", "Verhuisd.".into()),
        ],
    )
    .await;
    app.clock.advance(60);
    post(
        &af_a,
        vec![
            ("soort", "heropend".into()),
            ("reden", "Nieuwe signalen.".into()),
        ],
    )
    .await;
    app.clock.advance(60);
    post(
        &af_a,
        vec![
            ("soort", "weging".into()),
            ("risico", "r".into()),
            ("aard", "a".into()),
            ("ernst", "e".into()),
            ("vraag1", "ja".into()),
            ("vraag1_toelichting", "t".into()),
            ("vraag2", "nee".into()),
            ("vraag2_toelichting", "t".into()),
        ],
    )
    .await;
    let reopened = kept_moments_agree(&app, id).await;
    assert_eq!(
        reopened[..3],
        kept[..3],
        "reopening keeps the first moments"
    );
    assert!(
        reopened[4].unwrap() < reopened[3].unwrap(),
        "step 5 before step 4 here"
    );

    // Transferred to another school: the moments go with the dossier, and new entries there
    // keep them up to date.
    let res = app
        .post_with(
            &af_a,
            &format!("/dossiers/{id}/overdragen"),
            &[("school", &org.school_b.to_string())],
        )
        .await;
    assert_eq!(res.status(), 303);
    let (transfer,): (i64,) =
        sqlx::query_as("SELECT id FROM dossier_transfers WHERE dossier_id = $1")
            .bind(id)
            .fetch_one(app.db.pool_for_tests())
            .await
            .unwrap();
    let res = app
        .post_with(
            &af_b,
            &format!("/werkruimte/overdracht/{transfer}/accepteren"),
            &[],
        )
        .await;
    assert_eq!(res.status(), 303);
    app.clock.advance(60);
    post(
        &af_b,
        vec![
            ("soort", "signaal".into()),
            ("aard", "feit".into()),
            ("bron", "eigen".into()),
            ("waarneming", "Op de nieuwe school".into()),
        ],
    )
    .await;
    assert_eq!(kept_moments_agree(&app, id).await, reopened);

    // More dossiers, opened later, for medians of more than one.
    for i in 0..3 {
        app.clock.advance(120);
        let other = open_dossier_at(
            &app,
            &juf,
            org.school_a,
            &format!("Kind Later{i}"),
            "psychisch",
        )
        .await;
        if i > 0 {
            app.clock.advance(30 * i);
            let res = app
                .post_with(
                    &af_a,
                    &format!("/dossiers/{other}/aantekening"),
                    &[
                        ("soort", "consultatie"),
                        ("met", "aandachtsfunctionaris"),
                        ("naam", "Collega"),
                        ("datum", &date),
                        ("vraag", "Mijn vraag"),
                        ("advies", "Het advies"),
                    ],
                )
                .await;
            assert_eq!(res.status(), 303);
        }
    }
    kept_moments_agree(&app, id).await;
    report_step_times_agree(&app, vec![org.school_a, org.school_b]).await;
    report_step_times_agree(&app, vec![org.school_a]).await;
}

/// Entries of several steps written at once into one dossier (4 × cores, under a timeout): each
/// keeps the dossier's step moments in its own transaction, and none is lost or stuck.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn entries_of_many_steps_at_once_keep_the_first_moments_and_nothing_waits_for_ever() {
    let app = std::sync::Arc::new(spawn_app().await);
    let org = app.seed_org().await;
    app.add_user(&org, "juf@a.nl", &[(Role::Beroepskracht, org.school_a)])
        .await;
    app.add_user(
        &org,
        "af@a.nl",
        &[(Role::Aandachtsfunctionaris, org.school_a)],
    )
    .await;
    let (juf, af) = (client(), client());
    app.login_with(&juf, "juf@a.nl", PASSWORD).await;
    app.login_with(&af, "af@a.nl", PASSWORD).await;
    let id = open_dossier_at(&app, &juf, org.school_a, "Kind Tegelijk", "psychisch").await;
    let date = today(&app);
    let n = 4 * std::thread::available_parallelism().map_or(2, usize::from);
    let mut writes = tokio::task::JoinSet::new();
    for i in 0..n {
        let (task_app, date) = (app.clone(), date.clone());
        let (c, fields): (reqwest::Client, Vec<(&str, String)>) = match i % 4 {
            0 => (
                juf.clone(),
                vec![
                    ("soort", "signaal".into()),
                    ("aard", "feit".into()),
                    ("bron", "eigen".into()),
                    ("waarneming", format!("Waarneming {i}")),
                ],
            ),
            1 => (
                af.clone(),
                vec![
                    ("soort", "consultatie".into()),
                    ("met", "aandachtsfunctionaris".into()),
                    ("naam", "Collega".into()),
                    ("datum", date),
                    ("vraag", "Mijn vraag".into()),
                    ("advies", "Het advies".into()),
                ],
            ),
            2 => (
                af.clone(),
                vec![
                    ("soort", "gesprek".into()),
                    ("met", "ouders".into()),
                    ("datum", date),
                    ("doel", "d".into()),
                    ("feiten", "f".into()),
                    ("reactie", "r".into()),
                ],
            ),
            _ => (
                juf.clone(),
                vec![
                    ("soort", "weging".into()),
                    ("risico", "r".into()),
                    ("aard", "a".into()),
                    ("ernst", "e".into()),
                    ("vraag1", "ja".into()),
                    ("vraag1_toelichting", "t".into()),
                    ("vraag2", "nee".into()),
                    ("vraag2_toelichting", "t".into()),
                ],
            ),
        };
        writes.spawn(async move {
            let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            task_app
                .post_with(&c, &format!("/dossiers/{id}/aantekening"), &fields)
                .await
                .status()
                .as_u16()
        });
        // The moments differ, and a later one may commit before an earlier one.
        app.clock.advance(1);
    }
    let statuses = tokio::time::timeout(std::time::Duration::from_secs(60), writes.join_all())
        .await
        .expect("every entry is answered");
    assert!(statuses.iter().all(|s| *s == 303), "{statuses:?}");
    let kept = kept_moments_agree(&app, id).await;
    assert!(kept[..4].iter().all(Option::is_some));
    report_step_times_agree(&app, vec![org.school_a]).await;
    assert_eq!(app.get("/healthz").await.status(), 200);
}

/// The report's time to each step over `schools` and all time, beside the same figures worked
/// out here from the entries (the first entry of each step after the opening, per dossier).
async fn report_step_times_agree(app: &TestApp, schools: Vec<SchoolId>) {
    let report = app
        .db
        .report(&Scope {
            schools: schools.clone(),
            from: 0,
            to: i64::MAX / 4,
            today: today(app),
            quiet_since: 0,
        })
        .await
        .unwrap();
    let rows: Vec<(i64, i64, i64, Option<i64>)> = sqlx::query_as(
        "SELECT d.school_id, d.opened_at, e.step, MIN(e.created_at) FROM dossiers d \
         JOIN entries e ON e.dossier_id = d.id WHERE e.step IS NOT NULL \
         GROUP BY d.id, d.school_id, d.opened_at, e.step",
    )
    .fetch_all(app.db.pool_for_tests())
    .await
    .unwrap();
    for t in &report.step_times {
        let mut x: Vec<i64> = rows
            .iter()
            .filter(|(s, _, step, _)| {
                schools.iter().any(|id| id.get() == *s) && *step == i64::from(t.step.number())
            })
            .map(|(_, opened, _, first)| first.unwrap() - opened)
            .collect();
        x.sort_unstable();
        let median = match x.len() {
            0 => None,
            n if n % 2 == 1 => Some(x[n / 2]),
            n => Some((x[n / 2 - 1] + x[n / 2]) / 2),
        };
        assert_eq!(
            (t.dossiers, t.median, t.longest),
            (x.len() as i64, median, x.last().copied()),
            "step {}",
            t.step.number()
        );
    }
}

#[tokio::test]
async fn the_report_covers_this_schooljaar_by_default_and_offers_schooljaar_and_calendar_year_presets()
 {
    use meldcode::domain::period::Preset;
    let app = spawn_app().await;
    let org = app.seed_org().await;
    app.add_user(&org, "juf@a.nl", &[(Role::Beroepskracht, org.school_a)])
        .await;
    app.add_user(&org, "dir@a.nl", &[(Role::Directie, org.school_a)])
        .await;
    let juf = client();
    app.login_with(&juf, "juf@a.nl", PASSWORD).await;
    open_dossier_at(&app, &juf, org.school_a, "Leerling Nu", "lichamelijk").await;
    app.login("dir@a.nl").await;
    let today = meldcode::web::format::today_nl(app.clock.unix());
    let (from, to) = Preset::DitSchooljaar.range(today).unwrap();
    let nl = meldcode::web::format::date_nl;

    // Without a choice: this schooljaar, 1 August to 31 July, marked as the chosen preset.
    let page = app.get("/evaluatie").await.text().await.unwrap();
    assert!(
        page.contains(&format!("{} tot en met {}", nl(from), nl(to))),
        "this schooljaar"
    );
    assert!(page.contains(&format!(
        "<a href=\"/evaluatie?periode=dit-schooljaar\" aria-current=\"page\">{}</a>",
        Preset::DitSchooljaar.label(today)
    )));
    for p in Preset::ALL {
        assert!(page.contains(&p.label(today)), "{p:?} is offered");
    }
    assert_eq!(cell(&page, "Dossiers geopend"), "&#60; 5");

    // Last schooljaar: its own dates, and today's dossier is not in it.
    let (from, to) = Preset::VorigSchooljaar.range(today).unwrap();
    let page = app
        .get("/evaluatie?periode=vorig-schooljaar")
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains(&format!("{} tot en met {}", nl(from), nl(to))));
    assert_eq!(cell(&page, "Dossiers geopend"), "0");
    assert!(
        page.contains(&format!("tabel=alles&amp;van={from}"))
            && page.contains(&format!("tot={to}")),
        "the download names the preset's dates"
    );

    // The calendar years: 1 January to 31 December.
    let page = app
        .get("/evaluatie?periode=dit-kalenderjaar")
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains(&format!(
        "1 januari {y} tot en met 31 december {y}",
        y = today.year()
    )));
    assert_eq!(cell(&page, "Dossiers geopend"), "&#60; 5");

    // An unknown preset is a Dutch message on the page, never an error.
    let res = app.get("/evaluatie?periode=volgende-eeuw").await;
    assert_eq!(res.status(), 200);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("Kies een van de perioden, of vul zelf datums in.")
    );
}

#[tokio::test]
async fn one_download_holds_every_table_under_its_own_title_as_dutch_excel_opens_it() {
    let app = spawn_app().await;
    let org = app.seed_org().await;
    app.add_user(&org, "juf@a.nl", &[(Role::Beroepskracht, org.school_a)])
        .await;
    app.add_user(&org, "dir@a.nl", &[(Role::Directie, org.school_a)])
        .await;
    let juf = client();
    app.login_with(&juf, "juf@a.nl", PASSWORD).await;
    for i in 0..5 {
        let name = format!("Leerling Lichaam{i}");
        open_dossier_at(&app, &juf, org.school_a, &name, "lichamelijk").await;
    }
    open_dossier_at(&app, &juf, org.school_a, "Leerling Psyche", "psychisch").await;
    app.login("dir@a.nl").await;
    let page = app.get("/evaluatie").await.text().await.unwrap();
    assert!(page.contains("Alle tabellen in één bestand opslaan voor Excel"));
    assert!(!page.contains("Download als"));

    let res = app.get("/evaluatie/csv?tabel=alles").await;
    assert_eq!(res.status(), 200);
    assert!(
        res.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains("meldcode-evaluatie-")
    );
    let bytes = res.bytes().await.unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "UTF-8 with a BOM");
    let csv = String::from_utf8(bytes[3..].to_vec()).unwrap();
    assert!(csv.starts_with("Evaluatie van de meldcode;"), "{csv}");
    // Each table under its own title line, after an empty line, with its header below it.
    for title in [
        "In het kort",
        "Geopende dossiers naar zorg",
        "Geopende dossiers naar bereikte stap",
        "Geopende dossiers naar uitkomst",
        "Gesprekken niet gevoerd, en waarom",
    ] {
        assert!(
            csv.contains(&format!("\n\n{title}\nWat;Aantal;Opmerking\n")),
            "{title}: {csv}"
        );
    }
    assert!(csv.contains(
        "\n\nTijd tot elke stap, na het openen\nStap;Dossiers;Opmerking;Mediaan;Langst\n"
    ));
    assert!(csv.contains("Dossiers geopend;6;\n"), "{csv}");
    assert!(
        csv.contains("Lichamelijk geweld of mishandeling;5;\n"),
        "{csv}"
    );
    assert!(
        csv.contains("Psychisch of emotioneel geweld;;< 5\n"),
        "{csv}"
    );
    assert!(!csv.contains("Leerling"), "no pupil in the file");
    // A download without a table named is the same file.
    let again = app.get("/evaluatie/csv").await.bytes().await.unwrap();
    assert_eq!(again, bytes);
}
