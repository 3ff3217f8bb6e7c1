//! The risk level with its reason (issue 18): set and changed as an entry by the
//! aandachtsfunctionaris or the case manager, kept beside the dossier, and shown on the dossier
//! page, in the workspace, in the dossier list's filters and, counted, in directie's report.

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
    async fn open(&self, c: &reqwest::Client, pupil: &str) -> DossierId {
        open_dossier_at(&self.app, c, self.org.school_a, pupil, "psychisch").await
    }

    /// Records a risk level with its reason as `c`; returns the response.
    async fn judge(
        &self,
        c: &reqwest::Client,
        id: DossierId,
        level: &str,
        reason: &str,
    ) -> reqwest::Response {
        self.app
            .post_with(
                c,
                &format!("/dossiers/{id}/aantekening"),
                &[
                    ("soort", "risico"),
                    ("niveau", level),
                    ("onderbouwing", reason),
                ],
            )
            .await
    }

    async fn page(&self, c: &reqwest::Client, path: &str) -> String {
        let res = self.app.get_with(c, path).await;
        assert_eq!(res.status(), 200, "{path}");
        res.text().await.unwrap()
    }
}

/// The part of a page between two markers.
fn between<'a>(page: &'a str, from: &str, to: &str) -> &'a str {
    let start = page.find(from).unwrap_or_else(|| panic!("{from}"));
    let rest = &page[start..];
    &rest[..rest.find(to).unwrap_or(rest.len())]
}

#[tokio::test]
async fn the_risk_level_is_set_and_changed_with_its_reason_and_the_chronology_keeps_both() {
    let s = school().await;
    let id = s.open(&s.juf, "Sanne Risico").await;
    let header = s.page(&s.af, &format!("/dossiers/{id}")).await;
    assert!(
        between(&header, "<dt>Risico</dt>", "</dd>").contains("Niet ingeschat"),
        "a dossier nobody judged says so"
    );
    assert!(header.contains(&format!("/dossiers/{id}/vastleggen/risico")));

    let res = s
        .judge(
            &s.af,
            id,
            "midden",
            "Twee keer blauwe plekken in een maand.",
        )
        .await;
    assert_eq!(res.status(), 303);
    let res = s
        .judge(&s.af, id, "hoog", "De leerling vertelde over slaan thuis.")
        .await;
    assert_eq!(res.status(), 303);

    let page = s.page(&s.af, &format!("/dossiers/{id}")).await;
    let risk = between(&page, "<dt>Risico</dt>", "</dd>");
    assert!(risk.contains("Hoog"), "{risk}");
    // The header links to the entry that gives the reason of the level it shows.
    let chronology = &page[page.find("id=\"chronologie\"").unwrap()..];
    let latest = chronology
        .find("De leerling vertelde over slaan thuis.")
        .expect("the latest reason");
    let earlier = chronology
        .find("Twee keer blauwe plekken in een maand.")
        .expect("the earlier reason stays");
    assert!(latest < earlier, "newest first, both kept");
    assert_eq!(chronology.matches("Risico ingeschat").count(), 2);
    let anchor = between(risk, "#aantekening-", "\"");
    let entry_id = anchor.trim_start_matches("#aantekening-");
    let entry = between(
        chronology,
        &format!("id=\"aantekening-{entry_id}\""),
        "</article>",
    );
    assert!(entry.contains("De leerling vertelde over slaan thuis.") && entry.contains("Hoog"));
}

#[tokio::test]
async fn a_risk_level_without_its_reason_comes_back_with_the_text_kept() {
    let s = school().await;
    let id = s.open(&s.juf, "Sanne Reden").await;
    let res = s.judge(&s.af, id, "hoog", "").await;
    assert_eq!(res.status(), 422);
    let page = res.text().await.unwrap();
    assert!(page.contains("Waarom dit risico?"));
    // The level chosen is still chosen.
    assert!(
        page.contains("value=\"hoog\" checked") || page.contains("value=\"hoog\" selected"),
        "the level is kept"
    );
    let res = s.judge(&s.af, id, "", "Wat ik zag en hoorde.").await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.unwrap().contains("Wat ik zag en hoorde."));
    let page = s.page(&s.af, &format!("/dossiers/{id}")).await;
    assert!(between(&page, "<dt>Risico</dt>", "</dd>").contains("Niet ingeschat"));
}

#[tokio::test]
async fn a_beroepskracht_cannot_set_the_risk_level_but_the_case_manager_can() {
    let s = school().await;
    let id = s.open(&s.juf, "Sanne Rol").await;
    let page = s.page(&s.juf, &format!("/dossiers/{id}")).await;
    assert!(!page.contains("/vastleggen/risico"), "no link offered");
    let res = s.judge(&s.juf, id, "laag", "Ik schat het laag in.").await;
    assert_eq!(res.status(), 403);
    let page = s.page(&s.juf, &format!("/dossiers/{id}")).await;
    assert!(!page.contains("Ik schat het laag in."));
    assert!(between(&page, "<dt>Risico</dt>", "</dd>").contains("Niet ingeschat"));

    // Named case manager of the help plan, a colleague may judge it.
    let meester = s.app.add_teacher(&s.org, "meester@a.nl").await;
    let res = s
        .app
        .post_with(
            &s.af,
            &format!("/dossiers/{id}/collega"),
            &[("collega", &meester.to_string()), ("casemanager", "ja")],
        )
        .await;
    assert_eq!(res.status(), 303);
    let cm = client();
    assert_eq!(
        s.app
            .login_with(&cm, "meester@a.nl", PASSWORD)
            .await
            .status(),
        303
    );
    let res = s
        .judge(&cm, id, "laag", "Het gaat beter, zie het hulpplan.")
        .await;
    assert_eq!(res.status(), 303);
    let page = s.page(&s.af, &format!("/dossiers/{id}")).await;
    assert!(between(&page, "<dt>Risico</dt>", "</dd>").contains("Laag"));
}

#[tokio::test]
async fn the_workspace_shows_the_risk_level_sorts_the_highest_first_and_filters_on_a_level() {
    let s = school().await;
    let laag = s.open(&s.juf, "Kind Laag").await;
    let hoog = s.open(&s.juf, "Kind Hoog").await;
    let niet = s.open(&s.juf, "Kind Niet").await;
    assert_eq!(s.judge(&s.af, laag, "laag", "r").await.status(), 303);
    assert_eq!(s.judge(&s.af, hoog, "hoog", "r").await.status(), 303);
    let row = |page: &str, id: DossierId| {
        page.find(&format!("href=\"/dossiers/{id}\""))
            .map(|at| between(&page[at..], "\"", "</tr>").to_string())
    };

    // A column in words, for every open dossier, and no JavaScript needed: a GET form.
    let page = s.page(&s.af, "/werkruimte").await;
    assert!(page.contains("<th scope=\"col\">Risico</th>"));
    assert!(page.contains("<form method=\"get\" action=\"/werkruimte\""));
    assert!(row(&page, hoog).unwrap().contains(">Hoog</td>"));
    assert!(row(&page, laag).unwrap().contains(">Laag</td>"));
    assert!(row(&page, niet).unwrap().contains(">Niet ingeschat</td>"));

    let page = s.page(&s.af, "/werkruimte?sorteer=risico").await;
    let at = |id: DossierId| page.find(&format!("href=\"/dossiers/{id}\"")).unwrap();
    assert!(
        at(hoog) < at(laag) && at(laag) < at(niet),
        "hoog, laag, niet ingeschat"
    );
    assert!(page.contains("<option value=\"risico\" selected>"));

    let page = s.page(&s.af, "/werkruimte?risico=hoog").await;
    assert!(row(&page, hoog).is_some() && row(&page, laag).is_none() && row(&page, niet).is_none());
    assert!(page.contains("<option value=\"hoog\" selected>"));
    let page = s.page(&s.af, "/werkruimte?risico=niet").await;
    assert!(row(&page, niet).is_some() && row(&page, hoog).is_none());
    // Nonsense in the address filters nothing.
    let page = s.page(&s.af, "/werkruimte?risico=rood").await;
    assert!(row(&page, niet).is_some() && row(&page, hoog).is_some());
}

#[tokio::test]
async fn the_dossier_list_filters_on_the_risk_level_among_the_dossiers_the_user_may_see() {
    let s = school().await;
    let midden = s.open(&s.juf, "Kind Midden").await;
    let hoog = s.open(&s.juf, "Kind Hoog").await;
    let niet = s.open(&s.juf, "Kind Niet").await;
    assert_eq!(s.judge(&s.af, midden, "midden", "r").await.status(), 303);
    assert_eq!(s.judge(&s.af, hoog, "hoog", "r").await.status(), 303);
    let links = |page: &str, id: DossierId| page.contains(&format!("href=\"/dossiers/{id}\""));

    let page = s.page(&s.af, "/dossiers?risico=midden").await;
    assert!(links(&page, midden) && !links(&page, hoog) && !links(&page, niet));
    assert!(page.contains("1 dossier gevonden"));
    assert!(page.contains("<option value=\"midden\" selected>"));
    let page = s.page(&s.af, "/dossiers?risico=niet").await;
    assert!(links(&page, niet) && !links(&page, midden) && !links(&page, hoog));
    // Only ever among the dossiers the user may see: the teacher opened all three.
    let page = s.page(&s.juf, "/dossiers?risico=hoog&stand=open").await;
    assert!(links(&page, hoog) && !links(&page, midden));
    let page = s.page(&s.af, "/dossiers?risico=onzin").await;
    assert!(links(&page, niet) && links(&page, hoog) && links(&page, midden));
}

/// The figure in the report table with this id, in its row with this label.
fn report_cell(page: &str, table: &str, label: &str) -> String {
    let table = &page[page.find(&format!("id=\"{table}\"")).expect(table)..];
    let i = table
        .find(&format!("<th scope=\"row\">{label}</th>"))
        .unwrap_or_else(|| panic!("row {label}"));
    table[i..]
        .split("<td>")
        .nth(1)
        .unwrap()
        .split("</td>")
        .next()
        .unwrap()
        .to_string()
}

#[tokio::test]
async fn directies_report_counts_the_dossiers_per_risk_level_and_hides_counts_below_five() {
    let s = school().await;
    let mut names = Vec::new();
    for (i, level) in [
        "hoog", "hoog", "hoog", "hoog", "hoog", "midden", "midden", "",
    ]
    .into_iter()
    .enumerate()
    {
        let name = format!("Leerling Risico{i}");
        let id = s.open(&s.juf, &name).await;
        if !level.is_empty() {
            let reason = format!("Reden bij {name}");
            assert_eq!(s.judge(&s.af, id, level, &reason).await.status(), 303);
        }
        names.push(name);
    }
    s.app
        .add_user(&s.org, "dir@a.nl", &[(Role::Directie, s.org.school_a)])
        .await;
    let dir = client();
    assert_eq!(
        s.app.login_with(&dir, "dir@a.nl", PASSWORD).await.status(),
        303
    );

    let page = s.page(&dir, "/evaluatie").await;
    let cell = |label| report_cell(&page, "risico", label);
    assert_eq!(cell("Hoog"), "5");
    assert_eq!(cell("Midden"), "&#60; 5");
    assert_eq!(cell("Laag"), "0");
    assert_eq!(cell("Niet ingeschat"), "&#60; 5");
    // Counts only: no name, no reason.
    for name in &names {
        assert!(!page.contains(name.as_str()));
    }
    assert!(!page.contains("Reden bij"));

    let res = s.app.get_with(&dir, "/evaluatie/csv?tabel=risico").await;
    assert_eq!(res.status(), 200);
    let csv = res.text().await.unwrap();
    assert!(csv.contains("Hoog;5;\n"), "{csv}");
    assert!(csv.contains("Midden;;< 5\n"), "{csv}");
    assert!(!csv.contains("Leerling Risico"));
}
