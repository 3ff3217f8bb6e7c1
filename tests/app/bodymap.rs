//! The body map (issue 19): where an injury was seen, ticked on a drawing of the body as labelled
//! checkboxes, kept with the signal and shown in the chronology, the print view and the melding.

use crate::common::*;

async fn teacher_with_dossier() -> (TestApp, reqwest::Client, meldcode::domain::ids::DossierId) {
    let app = spawn_app().await;
    let org = app.seed_org().await;
    app.add_teacher(&org, "juf@school.nl").await;
    let juf = client();
    let res = app.login_with(&juf, "juf@school.nl", PASSWORD).await;
    assert_eq!(res.status(), 303);
    let id = open_dossier_at(&app, &juf, org.school_a, "Kaart Kind", "lichamelijk").await;
    (app, juf, id)
}

#[tokio::test]
async fn the_signal_form_offers_each_region_of_the_body_map_as_a_labelled_checkbox() {
    let (app, juf, id) = teacher_with_dossier().await;

    let form = app
        .get_with(&juf, &format!("/dossiers/{id}/stap/1"))
        .await
        .text()
        .await
        .unwrap();

    assert!(form.contains("Waar op het lichaam zag u letsel?"));
    for region in meldcode::domain::bodymap::REGIONS {
        let input = format!(
            r#"id="lichaam-{0}" name="lichaam" value="{0}""#,
            region.code
        );
        assert!(form.contains(&input), "a box for {}", region.code);
        let label = format!(
            r#"<label for="lichaam-{}">{}</label>"#,
            region.code, region.label
        );
        assert!(form.contains(&label), "a label for {}", region.code);
    }
    assert!(
        form.contains("<legend>Voorkant</legend>") && form.contains("<legend>Achterkant</legend>")
    );
    assert!(form.contains(r#"class="bodymap-figure""#), "the drawing");
}

#[tokio::test]
async fn ticked_regions_are_kept_with_the_signal_and_shown_in_words_and_drawn_in_the_chronology_print_and_melding()
 {
    let (app, juf, id) = teacher_with_dossier().await;

    let res = app
        .post_with(
            &juf,
            &format!("/dossiers/{id}/aantekening"),
            &[
                ("soort", "signaal"),
                ("aard", "feit"),
                ("waarneming", "Blauwe plekken op arm en rug."),
                ("bron", "eigen"),
                ("lichaam", "a-onderrug"),
                ("lichaam", "v-bovenarm-l"),
                ("lichaam", "onbekend-gebied"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);

    let words = "voorkant: linkerbovenarm; achterkant: onderrug";
    let page = app
        .get_with(&juf, &format!("/dossiers/{id}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains(words), "the regions in words");
    assert!(
        page.contains(r#"class="bm-v-bovenarm-l marked""#),
        "drawn as marked"
    );
    assert!(page.contains(r#"class="bm-a-onderrug marked""#));
    assert!(
        !page.contains(r#"class="bm-v-hoofd marked""#),
        "nothing else marked"
    );
    assert!(
        !page.contains("onbekend-gebied"),
        "only the map's regions are kept"
    );

    let print = app
        .get_with(&juf, &format!("/dossiers/{id}/afdrukken"))
        .await
        .text()
        .await
        .unwrap();
    assert!(print.contains(words));
    assert!(print.contains(r#"class="bm-a-onderrug marked""#));

    let melding = app
        .get_with(&juf, &format!("/dossiers/{id}/melding"))
        .await
        .text()
        .await
        .unwrap();
    assert!(melding.contains("Letsel gezien op het lichaam"));
    assert!(melding.contains(words));
}

#[tokio::test]
async fn the_first_signal_of_the_opening_form_keeps_its_body_map_too() {
    let app = spawn_app().await;
    let org = app.seed_org().await;
    app.add_teacher(&org, "juf@school.nl").await;
    let juf = client();
    app.login_with(&juf, "juf@school.nl", PASSWORD).await;
    let form = app
        .get_with(&juf, "/dossiers/nieuw")
        .await
        .text()
        .await
        .unwrap();
    assert!(form.contains(r#"id="lichaam-v-hoofd" name="lichaam" value="v-hoofd""#));
    let school = org.school_a.to_string();

    let res = app
        .post_with(
            &juf,
            "/dossiers/nieuw",
            &[
                ("school", &school),
                ("naam", "Wang Kind"),
                ("geboortedatum", "2016-04-01"),
                ("medewerker", "nee"),
                ("vormen", "lichamelijk"),
                ("aard", "feit"),
                ("waarneming", "Blauwe plek op de wang."),
                ("bron", "eigen"),
                ("lichaam", "v-hoofd"),
            ],
        )
        .await;

    assert_eq!(res.status(), 303);
    let page = app
        .get_with(&juf, &location(&res))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("voorkant: hoofd en gezicht"));
    assert!(page.contains(r#"class="bm-v-hoofd marked""#));
}

#[tokio::test]
async fn a_form_with_a_mistake_comes_back_with_the_ticked_regions_still_ticked() {
    let (app, juf, id) = teacher_with_dossier().await;

    let res = app
        .post_with(
            &juf,
            &format!("/dossiers/{id}/aantekening"),
            &[
                ("soort", "signaal"),
                ("aard", "feit"),
                ("waarneming", ""),
                ("bron", "eigen"),
                ("lichaam", "v-hand-r"),
            ],
        )
        .await;

    assert_eq!(res.status(), 422);
    let form = res.text().await.unwrap();
    assert!(form.contains(r#"id="lichaam-v-hand-r" name="lichaam" value="v-hand-r" checked"#));
    assert!(form.contains(r#"class="bm-v-hand-r marked""#));
    assert!(
        form.contains(r#"<details class="field bodymap" id="lichaam" open>"#),
        "opened to show it"
    );
}
