//! The inspection copy (inzage) and its review: what the aandachtsfunctionaris withholds (about
//! others, told in confidence, personal work notes) is replaced in the copy and listed, logged,
//! and never changes the dossier itself.

use meldcode::domain::ids::DossierId;
use meldcode::domain::role::Role;

use crate::common::*;

const WITHHELD_THIRD: &str = "[weggelaten: gaat over anderen dan de leerling en de ouders]";
const TEXT: &str = "Zeer vertrouwelijke waarneming";

struct Setup {
    app: TestApp,
    juf: reqwest::Client,
    af: reqwest::Client,
    org: Org,
    pupil: i64,
    dossier: DossierId,
    /// The dossier's first signal: "Wat legt u vast?", "Beschrijving" (TEXT), "Van wie komt…".
    entry: i64,
}

async fn setup() -> Setup {
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
    let (juf, af) = (client(), client());
    app.login_with(&juf, "juf@a.nl", PASSWORD).await;
    app.login_with(&af, "af@a.nl", PASSWORD).await;
    let dossier = open_dossier_at(&app, &juf, org.school_a, "Inzage Kind", "psychisch").await;
    let (pupil, entry) = pupil_and_entry(&app, dossier).await;
    Setup {
        app,
        juf,
        af,
        org,
        pupil,
        dossier,
        entry,
    }
}

/// The pupil of a dossier and its newest entry.
async fn pupil_and_entry(app: &TestApp, dossier: DossierId) -> (i64, i64) {
    sqlx::query_as::<_, (i64, i64)>(
        "SELECT d.pupil_id, MAX(e.id) FROM dossiers d JOIN entries e ON e.dossier_id = d.id \
         WHERE d.id = $1 GROUP BY d.pupil_id",
    )
    .bind(dossier)
    .fetch_one(app.db.pool_for_tests())
    .await
    .unwrap()
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_as::<_, (i64,)>(sql)
        .fetch_one(app.db.pool_for_tests())
        .await
        .unwrap()
        .0
}

async fn mark(
    s: &Setup,
    client: &reqwest::Client,
    pupil: i64,
    entry: i64,
    part: &str,
    reason: &str,
    explanation: &str,
) -> reqwest::Response {
    let entry = entry.to_string();
    s.app
        .post_with(
            client,
            &format!("/leerlingen/{pupil}/inzage/beoordelen"),
            &[
                ("aantekening", &entry),
                ("deel", part),
                ("reden", reason),
                ("toelichting", explanation),
            ],
        )
        .await
}

async fn text(s: &Setup, client: &reqwest::Client, path: &str) -> String {
    s.app.get_with(client, path).await.text().await.unwrap()
}

/// The entry's body as stored (sealed): byte for byte, to show that a redaction never changes it.
async fn stored_body(s: &Setup) -> String {
    let (body,): (String,) = sqlx::query_as("SELECT body FROM entries WHERE id = $1")
        .bind(s.entry)
        .fetch_one(s.app.db.pool_for_tests())
        .await
        .unwrap();
    body
}

#[tokio::test]
async fn a_passage_withheld_from_the_inspection_copy_shows_its_reason_there_and_in_the_log() {
    let s = setup().await;
    let body_before = stored_body(&s).await;

    let res = mark(
        &s,
        &s.af,
        s.pupil,
        s.entry,
        "waarneming",
        "derden",
        "Gaat over het gezin van de buren",
    )
    .await;
    assert_eq!(res.status(), 303);
    assert!(location(&res).starts_with(&format!(
        "/leerlingen/{}/inzage/beoordelen?melding=weggelaten",
        s.pupil
    )));

    // The copy: the passage replaced by its reason, the rest of the entry kept, and the list of
    // what was withheld with the entry, the field, the reason and who decided.
    let copy = text(&s, &s.af, &format!("/leerlingen/{}/inzage", s.pupil)).await;
    assert!(copy.contains(WITHHELD_THIRD));
    assert!(!copy.contains(TEXT), "the withheld text is not in the copy");
    assert!(copy.contains("Een feit: iets wat ik zelf zag of hoorde"));
    assert!(copy.contains(&format!(
        "<td data-label=\"Aantekening\">nr. {}</td><td data-label=\"Wat\">Beschrijving</td>",
        s.entry
    )));
    assert!(
        copy.contains("af@a.nl"),
        "who marked it and prepared the copy"
    );
    assert!(copy.contains("Samengesteld op"));
    assert!(
        !copy.contains("Gaat over het gezin van de buren"),
        "the explanation in one's own words stays out of the copy"
    );

    // The dossier itself is unchanged: its page, its print view and the stored entry.
    for page in ["", "/afdrukken"] {
        let html = text(&s, &s.af, &format!("/dossiers/{}{page}", s.dossier)).await;
        assert!(
            html.contains(TEXT),
            "the dossier{page} still shows the text"
        );
    }
    assert_eq!(
        stored_body(&s).await,
        body_before,
        "the stored entry is not changed"
    );

    // The log: one row on the dossier, shown by its Dutch label in the dossier's access log.
    let logged = count(
        &s.app,
        &format!(
            "SELECT COUNT(*) FROM audit_log WHERE event = 'inspection_redacted' AND dossier_id = {}",
            s.dossier
        ),
    )
    .await;
    assert_eq!(logged, 1);
    let log = text(&s, &s.af, &format!("/dossiers/{}/toegang", s.dossier)).await;
    assert!(log.contains("Weggelaten uit de inzage"));

    // The same passage twice: the form again with a message, nothing more stored.
    let res = mark(
        &s,
        &s.af,
        s.pupil,
        s.entry,
        "waarneming",
        "derden",
        "Nog eens",
    )
    .await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.unwrap().contains("Dit is al weggelaten"));
    let stored = count(&s.app, "SELECT COUNT(*) FROM inspection_redactions").await;
    assert_eq!(stored, 1);
}

#[tokio::test]
async fn the_json_copy_withholds_a_whole_entry_and_lists_what_was_withheld_and_why() {
    let s = setup().await;
    let res = mark(
        &s,
        &s.af,
        s.pupil,
        s.entry,
        "heel",
        "werkaantekening",
        "Mijn eigen notitie",
    )
    .await;
    assert_eq!(res.status(), 303);

    let res = s
        .app
        .get_with(
            &s.af,
            &format!("/leerlingen/{}/inzage?formaat=json", s.pupil),
        )
        .await;
    let body = res.text().await.unwrap();
    assert!(!body.contains(TEXT));
    let json: serde_json::Value = serde_json::from_str(&body).unwrap();
    let entry = json["dossiers"][0]["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["number"] == s.entry)
        .unwrap();
    assert_eq!(
        entry["fields"],
        serde_json::json!([["Inhoud", "[weggelaten: persoonlijke werkaantekening]"]])
    );
    assert_eq!(
        json["withheld"],
        serde_json::json!([{
            "dossier": s.dossier.get(),
            "entry": s.entry,
            "part": "De hele aantekening",
            "reason": "persoonlijke werkaantekening",
            "marked_by": "af@a.nl",
        }])
    );
    assert_eq!(json["made_by"], "af@a.nl");
    assert!(json["made"].as_str().is_some_and(|m| !m.is_empty()));
}

#[tokio::test]
async fn a_withdrawn_redaction_puts_the_passage_back_in_the_copy_and_is_logged() {
    let s = setup().await;
    mark(
        &s,
        &s.af,
        s.pupil,
        s.entry,
        "waarneming",
        "vertrouwelijk",
        "Verteld door een collega",
    )
    .await;
    let id = count(&s.app, "SELECT MAX(id) FROM inspection_redactions").await;
    let review = text(
        &s,
        &s.af,
        &format!("/leerlingen/{}/inzage/beoordelen", s.pupil),
    )
    .await;
    assert!(review.contains("Verteld door een collega") && review.contains("Toch tonen"));

    let path = format!("/leerlingen/{}/inzage/beoordelen/intrekken", s.pupil);
    let res = s
        .app
        .post_with(&s.af, &path, &[("weglating", &id.to_string())])
        .await;
    assert_eq!(res.status(), 303);

    let copy = text(&s, &s.af, &format!("/leerlingen/{}/inzage", s.pupil)).await;
    assert!(copy.contains(TEXT) && !copy.contains("[weggelaten:"));
    assert!(copy.contains("Er is niets weggelaten."));
    let logged = count(
        &s.app,
        "SELECT COUNT(*) FROM audit_log WHERE event = 'inspection_redaction_withdrawn'",
    )
    .await;
    assert_eq!(logged, 1);
    let log = text(&s, &s.af, &format!("/dossiers/{}/toegang", s.dossier)).await;
    assert!(log.contains("Weglating uit de inzage ingetrokken"));
    // Withdrawn once; a second time finds nothing in force.
    let res = s
        .app
        .post_with(&s.af, &path, &[("weglating", &id.to_string())])
        .await;
    assert_eq!(res.status(), 404);
    // Marked again after the withdrawal: a new redaction in force.
    let res = mark(
        &s,
        &s.af,
        s.pupil,
        s.entry,
        "waarneming",
        "derden",
        "Toch over de buren",
    )
    .await;
    assert_eq!(res.status(), 303);
}

#[tokio::test]
async fn a_redaction_naming_an_entry_or_redaction_of_another_pupil_is_refused_and_nothing_is_stored()
 {
    let s = setup().await;
    // Another pupil of the same school, whose dossier this aandachtsfunctionaris may see.
    let other = open_dossier_at(
        &s.app,
        &s.juf,
        s.org.school_a,
        "Ander Kind",
        "verwaarlozing",
    )
    .await;
    let (other_pupil, other_entry) = pupil_and_entry(&s.app, other).await;

    let res = mark(&s, &s.af, s.pupil, other_entry, "heel", "derden", "Vals").await;
    assert_eq!(res.status(), 404);
    for forged in ["999999", "-1", "x"] {
        let res = s
            .app
            .post_with(
                &s.af,
                &format!("/leerlingen/{}/inzage/beoordelen", s.pupil),
                &[
                    ("aantekening", forged),
                    ("deel", "heel"),
                    ("reden", "derden"),
                    ("toelichting", "Vals"),
                ],
            )
            .await;
        assert_eq!(res.status(), 404, "entry {forged}");
    }
    assert_eq!(
        count(&s.app, "SELECT COUNT(*) FROM inspection_redactions").await,
        0
    );

    // A redaction of the other pupil cannot be withdrawn through this pupil's review.
    let res = mark(
        &s,
        &s.af,
        other_pupil,
        other_entry,
        "heel",
        "derden",
        "Echt",
    )
    .await;
    assert_eq!(res.status(), 303);
    let id = count(&s.app, "SELECT MAX(id) FROM inspection_redactions").await;
    let res = s
        .app
        .post_with(
            &s.af,
            &format!("/leerlingen/{}/inzage/beoordelen/intrekken", s.pupil),
            &[("weglating", &id.to_string())],
        )
        .await;
    assert_eq!(res.status(), 404);
    assert_eq!(
        count(
            &s.app,
            "SELECT COUNT(*) FROM inspection_redactions WHERE withdrawn_at IS NULL"
        )
        .await,
        1
    );
}

#[tokio::test]
async fn a_redaction_without_a_reason_or_explanation_shows_the_form_again_with_the_text_kept() {
    let s = setup().await;
    let review = text(
        &s,
        &s.af,
        &format!("/leerlingen/{}/inzage/beoordelen", s.pupil),
    )
    .await;
    assert!(
        review.contains("name=\"_csrf\""),
        "every form carries the token"
    );
    assert!(review.contains(&format!("<label for=\"toelichting-{}\">", s.entry)));

    let res = mark(
        &s,
        &s.af,
        s.pupil,
        s.entry,
        "waarneming",
        "",
        "Mijn eigen woorden",
    )
    .await;
    assert_eq!(res.status(), 422);
    let page = res.text().await.unwrap();
    assert!(page.contains("Kies de reden waarom u dit weglaat."));
    assert!(
        page.contains("Mijn eigen woorden</textarea>"),
        "the text is kept"
    );
    assert!(
        page.contains("value=\"waarneming\" checked"),
        "the choice is kept"
    );

    let res = mark(&s, &s.af, s.pupil, s.entry, "heel", "derden", "   ").await;
    assert_eq!(res.status(), 422);
    let page = res.text().await.unwrap();
    assert!(page.contains("Schrijf in een paar woorden waarom u dit weglaat."));
    assert!(page.contains("value=\"derden\" checked"));

    assert_eq!(
        count(&s.app, "SELECT COUNT(*) FROM inspection_redactions").await,
        0
    );
}

#[tokio::test]
async fn a_beroepskracht_can_neither_review_nor_withhold_anything_from_the_inspection_copy() {
    let s = setup().await;
    let res = s
        .app
        .get_with(
            &s.juf,
            &format!("/leerlingen/{}/inzage/beoordelen", s.pupil),
        )
        .await;
    assert_eq!(res.status(), 403);
    let res = mark(
        &s,
        &s.juf,
        s.pupil,
        s.entry,
        "heel",
        "derden",
        "Niet van mij",
    )
    .await;
    assert_eq!(res.status(), 403);
    assert_eq!(
        count(&s.app, "SELECT COUNT(*) FROM inspection_redactions").await,
        0
    );
}

#[tokio::test]
async fn a_dossier_purged_after_the_retention_period_takes_what_was_withheld_from_it_along() {
    let s = setup().await;
    let res = mark(
        &s,
        &s.af,
        s.pupil,
        s.entry,
        "heel",
        "derden",
        "Over de buren",
    )
    .await;
    assert_eq!(res.status(), 303);

    // The redaction names the entry: the purge must not be held back by it, nor leave it behind.
    s.app
        .db
        .purge_dossier(s.dossier, s.app.clock.unix())
        .await
        .unwrap();
    assert_eq!(
        count(&s.app, "SELECT COUNT(*) FROM inspection_redactions").await,
        0
    );
}
