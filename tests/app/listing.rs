//! Finding a dossier (issue 18): the dossier list's search by name or group, its filters and its
//! pages with the total shown, only ever over the dossiers the user may see.

use meldcode::domain::ids::{DossierId, SchoolId};
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
    app.add_user(
        &org,
        "af@a.nl",
        &[(Role::Aandachtsfunctionaris, org.school_a)],
    )
    .await;
    app.add_user(
        &org,
        "af-b@a.nl",
        &[(Role::Aandachtsfunctionaris, org.school_b)],
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
    /// Opens a dossier about a pupil in a group, as `c`, at `school`.
    async fn open(
        &self,
        c: &reqwest::Client,
        school: SchoolId,
        name: &str,
        group: &str,
    ) -> DossierId {
        let school = school.to_string();
        let res = self
            .app
            .post_with(
                c,
                "/dossiers/nieuw",
                &[
                    ("school", &school),
                    ("naam", name),
                    ("geboortedatum", "2016-04-01"),
                    ("groep", group),
                    ("medewerker", "nee"),
                    ("vormen", "psychisch"),
                    ("aard", "feit"),
                    ("waarneming", "Een waarneming."),
                    ("bron", "eigen"),
                ],
            )
            .await;
        assert_eq!(res.status(), 303, "{name} opened");
        location(&res)
            .trim_start_matches("/dossiers/")
            .split('?')
            .next()
            .unwrap()
            .parse()
            .unwrap()
    }

    async fn list(&self, c: &reqwest::Client, query: &str) -> String {
        let res = self.app.get_with(c, &format!("/dossiers{query}")).await;
        assert_eq!(res.status(), 200, "{query}");
        res.text().await.unwrap()
    }
}

fn links_to(page: &str, id: DossierId) -> bool {
    page.contains(&format!("href=\"/dossiers/{id}\""))
}

#[tokio::test]
async fn a_search_by_name_or_group_finds_only_dossiers_the_user_may_see() {
    let s = school().await;
    let emma = s.open(&s.juf, s.org.school_a, "Emma de Vries", "7").await;
    let daan = s
        .open(&s.juf, s.org.school_a, "Daan Emmen", "groep 5")
        .await;
    let other = s.open(&s.af, s.org.school_a, "Emma Jansen", "7").await;
    // Another school's aandachtsfunctionaris opens a dossier about an Emma too.
    let af_b = client();
    assert_eq!(
        s.app
            .login_with(&af_b, "af-b@a.nl", PASSWORD)
            .await
            .status(),
        303
    );
    let elsewhere = s.open(&af_b, s.org.school_b, "Emma Bakker", "7").await;

    // The start of any word of the name: "emm" finds Emma and Emmen, not "de Vries" alone.
    let page = s.list(&s.af, "?zoek=emm").await;
    for id in [emma, daan, other] {
        assert!(links_to(&page, id), "the aandachtsfunctionaris finds {id}");
    }
    assert!(
        !links_to(&page, elsewhere),
        "never another school's dossier"
    );
    assert!(page.contains("3 dossiers gevonden"));
    let page = s.list(&s.af, "?zoek=vries").await;
    assert!(links_to(&page, emma) && !links_to(&page, daan));
    // The group, whether typed as "7" or "groep 7".
    let page = s.list(&s.af, "?zoek=groep+7").await;
    assert!(links_to(&page, emma) && links_to(&page, other) && !links_to(&page, daan));
    // The teacher sees only what she opened: the aandachtsfunctionaris's Emma is not found.
    let page = s.list(&s.juf, "?zoek=emma").await;
    assert!(links_to(&page, emma));
    assert!(!links_to(&page, other) && !links_to(&page, elsewhere));
    assert!(page.contains("1 dossier gevonden"));
    // Nothing found says so; LIKE's own characters are taken literally ("em%ma" is no "emma").
    let page = s.list(&s.af, "?zoek=em%25ma").await;
    assert!(page.contains("Geen dossiers gevonden die hierbij passen."));
    assert!(!links_to(&page, emma));
    // The typed search stays in the field.
    let page = s.list(&s.af, "?zoek=Emm").await;
    assert!(page.contains("value=\"Emm\""));
}

#[tokio::test]
async fn the_list_shows_the_total_and_pages_of_fifty_instead_of_stopping_silently() {
    let s = school().await;
    let mut ids = Vec::new();
    for n in 0..53 {
        ids.push(
            s.open(&s.af, s.org.school_a, &format!("Kind Nummer{n:02}"), "3")
                .await,
        );
    }
    let first = s.list(&s.af, "").await;
    assert!(
        first.contains("53 dossiers; u ziet 1 tot en met 50."),
        "{first}"
    );
    assert!(first.contains("Pagina 1 van 2"));
    assert!(first.contains("href=\"/dossiers?pagina=2\""));
    // The most recently active first: the last three opened are on page 1, the first three on 2.
    let second = s.list(&s.af, "?pagina=2").await;
    assert!(second.contains("u ziet 51 tot en met 53."));
    for id in &ids[..3] {
        assert!(links_to(&second, *id) && !links_to(&first, *id));
    }
    assert_eq!(
        second.matches("<tr>").count() - 1,
        3,
        "three rows and the header"
    );
    // A search pages too, and its pages keep the search.
    let found = s.list(&s.af, "?zoek=kind&stand=open").await;
    assert!(found.contains("53 dossiers gevonden"));
    let nav = &found[found.find("class=\"pagination\"").expect("pages")..];
    assert!(
        nav.contains("href=\"/dossiers?zoek=kind&#38;stand=open&#38;pagina=2\""),
        "{}",
        &nav[..300]
    );
    // A page past the end shows nothing and says where the list ends; nonsense is no error.
    let past = s.list(&s.af, "?pagina=99").await;
    assert!(past.contains("Pagina 2 van 2"));
    let nonsense = s.list(&s.af, "?pagina=abc&stap=9&stand=weg").await;
    assert!(nonsense.contains("53 dossiers"));
}

#[tokio::test]
async fn the_filters_on_open_or_closed_furthest_step_and_overdue_agree_with_the_dossier() {
    let s = school().await;
    let quiet = s.open(&s.af, s.org.school_a, "Kind Rustig", "4").await;
    let due = s.open(&s.af, s.org.school_a, "Kind Melden", "4").await;
    let closed = s.open(&s.af, s.org.school_a, "Kind Dicht", "4").await;
    // A weighing that makes a report due: the dossier has something overdue, at step 4.
    let weighing = [
        ("soort", "weging"),
        ("risico", "r"),
        ("aard", "a"),
        ("ernst", "e"),
        ("vraag1", "ja"),
        ("vraag1_toelichting", "t"),
        ("vraag2", "ja"),
        ("vraag2_toelichting", "t"),
    ];
    let res = s
        .app
        .post_with(&s.af, &format!("/dossiers/{due}/aantekening"), &weighing)
        .await;
    assert_eq!(res.status(), 303);
    let res = s
        .app
        .post_with(
            &s.af,
            &format!("/dossiers/{closed}/aantekening"),
            &[
                ("soort", "gesloten"),
                ("reden", "leerling_vertrokken"),
                ("toelichting", "Het gezin is verhuisd."),
                ("bevestigd", "ja"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303, "closed");

    let overdue = s.list(&s.af, "?te_laat=ja").await;
    assert!(links_to(&overdue, due));
    assert!(!links_to(&overdue, quiet) && !links_to(&overdue, closed));
    let step4 = s.list(&s.af, "?stap=4").await;
    assert!(links_to(&step4, due) && !links_to(&step4, quiet));
    let step1 = s.list(&s.af, "?stap=1").await;
    assert!(links_to(&step1, quiet) && !links_to(&step1, due));
    let shut = s.list(&s.af, "?stand=gesloten").await;
    assert!(links_to(&shut, closed) && !links_to(&shut, quiet));
    let open = s.list(&s.af, "?stand=open").await;
    assert!(links_to(&open, quiet) && links_to(&open, due) && !links_to(&open, closed));
    // The chosen filters stay chosen in the form.
    assert!(shut.contains("<option value=\"gesloten\" selected>"));
    assert!(overdue.contains("id=\"te_laat\" name=\"te_laat\" value=\"ja\" checked"));
}

#[tokio::test]
async fn the_inspection_copy_reads_all_of_a_pupils_dossiers_by_pupil_not_from_a_list_page() {
    let s = school().await;
    // The pupil's dossier is the oldest and quietest: on the list's last page.
    let oldest = s.open(&s.af, s.org.school_a, "Kind Oudste", "6").await;
    for n in 0..(meldcode::domain::listing::PAGE_SIZE + 2) {
        s.open(&s.af, s.org.school_a, &format!("Kind Later{n:02}"), "6")
            .await;
    }
    let first_page = s.list(&s.af, "").await;
    assert!(!links_to(&first_page, oldest), "not on the first page");
    let dossier = s.list(&s.af, &format!("/{oldest}")).await;
    let start = dossier.find("/leerlingen/").expect("the inspection link");
    let pupil: String = dossier[start + "/leerlingen/".len()..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    let res = s
        .app
        .get_with(&s.af, &format!("/leerlingen/{pupil}/inzage"))
        .await;
    assert_eq!(res.status(), 200);
    let copy = res.text().await.unwrap();
    assert!(
        copy.contains(&format!("Dossier {oldest} ")),
        "the pupil's dossier is in the copy"
    );
    assert!(!copy.contains("Kind Later"), "and no other pupil's");
}
