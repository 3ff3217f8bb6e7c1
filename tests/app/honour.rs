//! The honour route (issue 17): a dossier about honour-related violence, forced marriage or
//! female genital mutilation. A conversation waits for a consultation with specific expertise,
//! one with the parents also for that expertise's judgement that it is safe; skipping for safety
//! is explained; the step instructions say so; an ordinary dossier is unaffected. Each test names
//! the rule, through the real pages.

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

/// The heading of the honour route's block in the step instructions.
const ROUTE_BLOCK: &str =
    "Dit dossier: eergerelateerd geweld, huwelijksdwang of meisjesbesnijdenis";

impl School {
    /// A dossier about a pupil of 10 (born 2016) with this form of violence.
    async fn open(&self, pupil: &str, form: &str) -> DossierId {
        open_dossier_at(&self.app, &self.juf, self.org.school_a, pupil, form).await
    }

    async fn page(&self, c: &reqwest::Client, path: &str) -> String {
        let res = self.app.get_with(c, path).await;
        assert_eq!(res.status(), 200, "{path}");
        res.text().await.unwrap()
    }

    async fn record(
        &self,
        c: &reqwest::Client,
        id: DossierId,
        fields: &[(&str, &str)],
    ) -> (u16, String) {
        let res = self
            .app
            .post_with(c, &format!("/dossiers/{id}/aantekening"), fields)
            .await;
        (res.status().as_u16(), res.text().await.unwrap())
    }

    async fn consult(&self, id: DossierId, met: &str) {
        let today = today(&self.app);
        let (status, body) = self
            .record(
                &self.af,
                id,
                &[
                    ("soort", "consultatie"),
                    ("met", met),
                    ("naam", "Mw. Yilmaz"),
                    ("datum", today.as_str()),
                    ("vraag", "Is een gesprek met de ouders veilig?"),
                    (
                        "advies",
                        "Ja, op school, met de aandachtsfunctionaris erbij.",
                    ),
                    ("anoniem", "ja"),
                ],
            )
            .await;
        assert_eq!(status, 303, "consultation with {met} recorded: {body}");
    }
}

fn conversation_with_parents(today: &str) -> Vec<(&'static str, String)> {
    [
        ("soort", "gesprek"),
        ("met", "ouders"),
        ("datum", today),
        (
            "doel",
            "Onze zorgen over de reis naar het buitenland bespreken",
        ),
        ("feiten", "Zij vertelde over een bruiloft in de zomer"),
        ("reactie", "Vader wilde er niet over praten"),
    ]
    .into_iter()
    .map(|(k, v)| (k, v.to_string()))
    .collect()
}

fn fields<'a>(v: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    v.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

#[tokio::test]
async fn a_conversation_with_the_parents_is_refused_with_the_text_kept_until_specific_expertise_judged_it_safe()
 {
    let s = school().await;
    let id = s.open("Kind Eer", "huwelijksdwang").await;
    let today = today(&s.app);
    let talk = conversation_with_parents(&today);

    // No consultation with specific expertise yet: refused, the form comes back as typed.
    let (status, body) = s.record(&s.af, id, &fields(&talk)).await;
    assert_eq!(status, 422);
    assert!(
        body.contains("overlegt u eerst met specifieke deskundigheid"),
        "{body}"
    );
    assert!(
        body.contains("Zij vertelde over een bruiloft in de zomer"),
        "text kept"
    );
    assert!(
        body.contains("Gesprek niet gevoerd"),
        "points to skipping for safety"
    );

    // A consultation with the aandachtsfunctionaris alone is not specific expertise.
    s.consult(id, "aandachtsfunctionaris").await;
    assert_eq!(s.record(&s.af, id, &fields(&talk)).await.0, 422);

    // With the LEC EGG consulted, the parents still only when the experts judged it safe.
    let step2 = s.page(&s.af, &format!("/dossiers/{id}/stap/2")).await;
    assert!(
        step2.contains(r#"value="lec_egg""#),
        "the LEC EGG is a choice"
    );
    s.consult(id, "lec_egg").await;
    let (status, body) = s.record(&s.af, id, &fields(&talk)).await;
    assert_eq!(status, 422);
    assert!(
        body.contains("kan het gevaar voor de leerling groter maken"),
        "{body}"
    );
    assert!(
        body.contains(r#"name="veilig_met_ouders""#),
        "the question is asked"
    );
    assert!(
        body.contains("Vader wilde er niet over praten"),
        "text kept"
    );

    let mut judged_safe = fields(&talk);
    judged_safe.push(("veilig_met_ouders", "ja"));
    assert_eq!(s.record(&s.af, id, &judged_safe).await.0, 303);
    let page = s.page(&s.af, &format!("/dossiers/{id}")).await;
    assert!(page.contains("Vader wilde er niet over praten"));
}

#[tokio::test]
async fn the_conversation_about_a_report_waits_for_the_expertise_and_may_be_skipped_for_safety() {
    let s = school().await;
    let id = s.open("Kind Melding Eer", "eergerelateerd").await;
    let today = today(&s.app);
    let about_report = [
        ("soort", "meldgesprek"),
        ("met", "ouders"),
        ("datum", today.as_str()),
        ("uitleg", "Waarom wij Veilig Thuis bellen"),
        ("reactie", "r"),
        ("besluit", "Melden"),
    ];
    let (status, body) = s.record(&s.af, id, &about_report).await;
    assert_eq!(status, 422);
    assert!(
        body.contains("Gesprek over de melding niet gevoerd"),
        "{body}"
    );
    assert!(body.contains("Waarom wij Veilig Thuis bellen"), "text kept");
    s.consult(id, "veilig_thuis").await;
    let (status, body) = s.record(&s.af, id, &about_report).await;
    assert_eq!(status, 422, "the parents: only when judged safe");
    assert!(body.contains("om de veiligheid"), "{body}");
    let skipped = [
        ("soort", "meldgesprek_overgeslagen"),
        ("reden", "veiligheid"),
        (
            "toelichting",
            "Veilig Thuis raadt een gesprek met de ouders af.",
        ),
    ];
    assert_eq!(s.record(&s.af, id, &skipped).await.0, 303);
}

#[tokio::test]
async fn skipping_for_safety_is_offered_first_and_explained_on_this_route_only() {
    let s = school().await;
    let honour = s.open("Kind Besnijdenis", "meisjesbesnijdenis").await;
    let ordinary = s.open("Kind Gewoon", "lichamelijk").await;
    let explained = "Om de veiligheid: meestal de juiste keuze";
    for path in [
        "stap/3?soort=gesprek_overgeslagen",
        "stap/5?soort=meldgesprek_overgeslagen",
    ] {
        let form = s.page(&s.af, &format!("/dossiers/{honour}/{path}")).await;
        assert!(form.contains(explained), "{path}");
        let safety = form.find(r#"value="veiligheid""#).expect("safety offered");
        let contact = form.find(r#"value="contact_verbreken""#).expect("contact");
        assert!(safety < contact, "safety first");
        let form = s.page(&s.af, &format!("/dossiers/{ordinary}/{path}")).await;
        assert!(!form.contains(explained), "{path}");
    }
}

#[tokio::test]
async fn the_step_instructions_show_the_honour_route_only_in_this_route() {
    let s = school().await;
    let honour = s.open("Kind Besnijdenis", "meisjesbesnijdenis").await;
    let ordinary = s.open("Kind Gewoon", "psychisch").await;
    for step in [2, 3, 5] {
        let page = s
            .page(&s.juf, &format!("/dossiers/{honour}/stap/{step}"))
            .await;
        let block = &page[page.find(ROUTE_BLOCK).expect("the block")..];
        let block = &block[..block.find("</section>").unwrap()];
        assert!(block.contains("LEC EGG"), "stap {step}");
        assert!(
            block.contains("Verklaring tegen meisjesbesnijdenis"),
            "stap {step}"
        );
        let page = s
            .page(&s.juf, &format!("/dossiers/{ordinary}/stap/{step}"))
            .await;
        assert!(!page.contains(ROUTE_BLOCK), "stap {step}");
        assert!(!page.contains(r#"name="veilig_met_ouders""#), "stap {step}");
        assert!(!page.contains(r#"value="lec_egg""#), "stap {step}");
    }
    // Forced marriage: the route, without the FGM declaration.
    let marriage = s.open("Kind Huwelijk", "huwelijksdwang").await;
    let page = s
        .page(&s.juf, &format!("/dossiers/{marriage}/stap/2"))
        .await;
    let block = &page[page.find(ROUTE_BLOCK).expect("the block")..];
    let block = &block[..block.find("</section>").unwrap()];
    assert!(!block.contains("Verklaring tegen meisjesbesnijdenis"));
}

#[tokio::test]
async fn the_next_step_names_the_consultation_with_specific_expertise_before_the_conversation() {
    let s = school().await;
    let id = s.open("Kind Volgende", "eergerelateerd").await;
    s.consult(id, "aandachtsfunctionaris").await;
    let page = s.page(&s.af, &format!("/dossiers/{id}")).await;
    assert!(
        page.contains(
            "Volgende:</strong> overleg met specifieke deskundigheid (Veilig Thuis of het LEC EGG)"
        ),
        "{page}"
    );
    assert!(page.contains(&format!(
        r#"href="/dossiers/{id}/stap/2?soort=consultatie""#
    )));
    s.consult(id, "lec_egg").await;
    let page = s.page(&s.af, &format!("/dossiers/{id}")).await;
    assert!(page.contains("Volgende:</strong> gesprek met de leerling en/of de ouders"));
    assert!(
        !page.contains("specifieke deskundigheid nodig"),
        "no longer missing"
    );
}

#[tokio::test]
async fn an_ordinary_dossier_talks_with_the_parents_without_the_honour_route() {
    let s = school().await;
    let id = s.open("Kind Gewoon", "lichamelijk").await;
    let today = today(&s.app);
    let talk = conversation_with_parents(&today);
    let (status, body) = s.record(&s.juf, id, &fields(&talk)).await;
    assert_eq!(status, 303, "{body}");
    let form = s.page(&s.juf, &format!("/dossiers/{id}/stap/3")).await;
    assert!(!form.contains("Eergerelateerd geweld, huwelijksdwang of meisjesbesnijdenis"));
}

#[tokio::test]
async fn a_conversation_that_already_took_place_on_the_honour_route_is_recorded_with_its_account() {
    let s = school().await;
    let id = s.open("Kind Al Gesproken", "huwelijksdwang").await;
    let today = today(&s.app);
    let mut fields = conversation_with_parents(&today);
    fields.push((
        "al_gevoerd",
        "Vader kwam onaangekondigd naar school; ik kon het gesprek niet weigeren.".to_string(),
    ));
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    // Before any consultation with specific expertise, and without its judgement: the record
    // holds the conversation all the same, with the account of why it came first.
    let (status, _) = s.record(&s.juf, id, &fields).await;
    assert_eq!(status, 303);
    let page = s.page(&s.af, &format!("/dossiers/{id}")).await;
    assert!(page.contains("ik kon het gesprek niet weigeren"));
    // Without the account it is still refused, with the way to record it named.
    let without: Vec<(&str, &str)> = fields
        .iter()
        .copied()
        .filter(|(k, _)| *k != "al_gevoerd")
        .collect();
    let (status, body) = s.record(&s.juf, id, &without).await;
    assert_eq!(status, 422);
    assert!(body.contains("Vond het gesprek al plaats?"));
}
