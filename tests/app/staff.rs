//! The staff-member route (WPO art. 4a) through the real pages: the duties in their lawful order,
//! closing with duties open, the school's own procedure for other violence, and messages that
//! tell the truth about who sees the dossier.

use meldcode::domain::role::Role;

use crate::common::*;

struct Staff {
    app: TestApp,
    org: Org,
    juf: reqwest::Client,
    af: reqwest::Client,
    directie: reqwest::Client,
}

async fn setup() -> Staff {
    let app = spawn_app().await;
    let org = app.seed_org().await;
    app.add_teacher(&org, "juf@a.nl").await;
    app.add_user(
        &org,
        "af@a.nl",
        &[(Role::Aandachtsfunctionaris, org.school_a)],
    )
    .await;
    app.add_user(&org, "dir@a.nl", &[(Role::Directie, org.school_a)])
        .await;
    let mut clients = Vec::new();
    for email in ["juf@a.nl", "af@a.nl", "dir@a.nl"] {
        let c = client();
        assert_eq!(app.login_with(&c, email, PASSWORD).await.status(), 303);
        clients.push(c);
    }
    let mut it = clients.into_iter();
    Staff {
        juf: it.next().unwrap(),
        af: it.next().unwrap(),
        directie: it.next().unwrap(),
        app,
        org,
    }
}

/// The teacher opens a dossier about a staff member with one form of violence; returns the
/// response (a redirect to the dossier).
async fn open_staff(s: &Staff, form: &str) -> reqwest::Response {
    // Each call about a pupil of its own: a second dossier about the same pupil would first be
    // offered the open one (one dossier per concern, shown in pupils.rs).
    static PUPILS: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let n = PUPILS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let name = format!("Kind Medewerker {n}");
    let school = s.org.school_a.to_string();
    let mut fields = vec![
        ("leerling", "nieuw"),
        ("school", school.as_str()),
        ("naam", name.as_str()),
        ("geboortedatum", "2016-04-01"),
        ("medewerker", "ja"),
        ("aard", "feit"),
        ("waarneming", "De leerling vertelde over de conciërge."),
        ("bron", "eigen"),
    ];
    if !form.is_empty() {
        fields.push(("vormen", form));
    }
    s.app.post_with(&s.juf, "/dossiers/nieuw", &fields).await
}

fn id_of(res: &reqwest::Response) -> i64 {
    location(res)
        .trim_start_matches("/dossiers/")
        .split('?')
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

async fn duty(s: &Staff, id: i64, fields: &[(&str, &str)]) -> reqwest::Response {
    let today = today(&s.app);
    let mut all: Vec<(&str, &str)> = [
        ("soort", "medewerkerplicht"),
        ("datum", today.as_str()),
        ("toelichting", "Vastgelegd door de directeur."),
    ]
    .into_iter()
    .filter(|(k, _)| !fields.iter().any(|(f, _)| f == k))
    .collect();
    all.extend_from_slice(fields);
    s.app
        .post_with(&s.directie, &format!("/dossiers/{id}/aantekening"), &all)
        .await
}

async fn text(s: &Staff, c: &reqwest::Client, path: &str) -> String {
    let res = s.app.get_with(c, path).await;
    assert_eq!(res.status(), 200, "{path}");
    res.text().await.unwrap()
}

#[tokio::test]
async fn opening_a_staff_dossier_says_that_only_directie_sees_it_and_asks_for_a_form() {
    let s = setup().await;
    let res = open_staff(&s, "").await;
    assert_eq!(
        res.status(),
        422,
        "a form of violence is asked on the staff route too"
    );
    let body = res.text().await.unwrap();
    assert!(body.contains("Seksueel geweld of misbruik"));
    assert!(
        body.contains("De leerling vertelde over de conciërge."),
        "text kept"
    );

    let res = open_staff(&s, "seksueel").await;
    assert_eq!(res.status(), 303);
    assert!(
        location(&res).ends_with("melding=medewerker"),
        "{}",
        location(&res)
    );
    let page = text(&s, &s.juf, &location(&res)).await;
    assert!(page.contains("Alleen de directie van de school en u zien het."));
    assert!(
        !page.contains("De aandachtsfunctionaris van de school ziet het nu ook"),
        "the aandachtsfunctionaris does not see a staff dossier"
    );
}

#[tokio::test]
async fn an_aangifte_before_the_consultation_is_refused_with_the_text_kept_unless_acute_danger_is_recorded()
 {
    let s = setup().await;
    let id = id_of(&open_staff(&s, "seksueel").await);
    let typed = "Aangifte gedaan bij politie Rijssen, zaaknummer 123.";
    let res = duty(&s, id, &[("plicht", "aangifte"), ("toelichting", typed)]).await;
    assert_eq!(res.status(), 422);
    let body = res.text().await.unwrap();
    assert!(body.contains(typed), "the typed text is kept");
    assert!(
        body.contains("het overleg met de vertrouwensinspecteur"),
        "the message names what is missing"
    );
    let stored: i64 = sqlx::query_as::<_, (i64,)>(
        "SELECT COUNT(*) FROM entries WHERE dossier_id = $1 AND kind = 'medewerkerplicht'",
    )
    .bind(id)
    .fetch_one(s.app.db.pool_for_tests())
    .await
    .unwrap()
    .0;
    assert_eq!(stored, 0, "nothing stored");

    let res = duty(
        &s,
        id,
        &[
            ("plicht", "aangifte"),
            ("toelichting", typed),
            (
                "reden_volgorde",
                "Acuut gevaar: de medewerker zou vanmiddag weer met de leerling alleen zijn.",
            ),
        ],
    )
    .await;
    assert_eq!(
        res.status(),
        303,
        "accepted with the reason why it could not wait"
    );

    // In order, no reason is asked: consultation with its outcome, parents and accused, aangifte.
    let id = id_of(&open_staff(&s, "seksueel").await);
    let res = duty(&s, id, &[("plicht", "inspecteur")]).await;
    assert_eq!(res.status(), 422, "the consultation records its outcome");
    for plicht in ["bestuur", "inspecteur", "ouders_beschuldigde", "aangifte"] {
        let res = duty(&s, id, &[("plicht", plicht), ("redelijk_vermoeden", "ja")]).await;
        assert_eq!(res.status(), 303, "{plicht}");
    }
    let page = text(&s, &s.directie, &format!("/dossiers/{id}")).await;
    assert!(page.contains("De vertrouwensinspecteur laten weten dat er aangifte is gedaan <strong>(nu aan de beurt)</strong>"));
}

#[tokio::test]
async fn closing_a_staff_dossier_with_an_open_duty_needs_a_reason() {
    let s = setup().await;
    let id = id_of(&open_staff(&s, "seksueel").await);
    assert_eq!(duty(&s, id, &[("plicht", "bestuur")]).await.status(), 303);
    let form = text(
        &s,
        &s.directie,
        &format!("/dossiers/{id}/vastleggen/gesloten"),
    )
    .await;
    assert!(
        form.contains("open_plichten_reden"),
        "the reason is asked while duties are open"
    );
    let close = |reason: &'static str| {
        let mut f = vec![
            ("soort", "gesloten"),
            ("bevestigd", "ja"),
            ("reden", "ongegrond"),
            ("toelichting", "Mijn toelichting bij het sluiten."),
        ];
        if !reason.is_empty() {
            f.push(("open_plichten_reden", reason));
        }
        f
    };
    let res = s
        .app
        .post_with(
            &s.directie,
            &format!("/dossiers/{id}/aantekening"),
            &close(""),
        )
        .await;
    assert_eq!(res.status(), 422);
    let body = res.text().await.unwrap();
    assert!(body.contains("Mijn toelichting bij het sluiten."));
    assert!(
        body.contains("het overleg met de vertrouwensinspecteur"),
        "names the open duty"
    );
    let res = s
        .app
        .post_with(
            &s.directie,
            &format!("/dossiers/{id}/aantekening"),
            &close("Het bestuur heeft de zaak overgenomen en legt de plichten daar vast."),
        )
        .await;
    assert_eq!(res.status(), 303);

    // With no reasonable suspicion after the consultation nothing stands open: no reason asked.
    let id = id_of(&open_staff(&s, "seksueel").await);
    assert_eq!(duty(&s, id, &[("plicht", "bestuur")]).await.status(), 303);
    let res = duty(
        &s,
        id,
        &[("plicht", "inspecteur"), ("redelijk_vermoeden", "nee")],
    )
    .await;
    assert_eq!(res.status(), 303);
    let form = text(
        &s,
        &s.directie,
        &format!("/dossiers/{id}/vastleggen/gesloten"),
    )
    .await;
    assert!(!form.contains("open_plichten_reden"));
    let res = s
        .app
        .post_with(
            &s.directie,
            &format!("/dossiers/{id}/aantekening"),
            &close(""),
        )
        .await;
    assert_eq!(res.status(), 303);
}

#[tokio::test]
async fn a_staff_dossier_about_other_violence_shows_the_schools_own_procedure_not_art_4a() {
    let s = setup().await;
    let id = id_of(&open_staff(&s, "lichamelijk").await);
    let page = text(&s, &s.directie, &format!("/dossiers/{id}")).await;
    assert!(page.contains("klachtenregeling"));
    assert!(!page.contains("nu aan de beurt"), "no art. 4a checklist");
    assert!(!page.contains("aangifte doen bij de politie"));
    // No art. 4a order either: the school decides, and closing asks no reason for duties.
    assert_eq!(duty(&s, id, &[("plicht", "aangifte")]).await.status(), 303);
    let form = text(
        &s,
        &s.directie,
        &format!("/dossiers/{id}/vastleggen/gesloten"),
    )
    .await;
    assert!(!form.contains("open_plichten_reden"));

    let id = id_of(&open_staff(&s, "seksueel").await);
    let page = text(&s, &s.directie, &format!("/dossiers/{id}")).await;
    assert!(page.contains("Het bevoegd gezag meteen inlichten <strong>(nu aan de beurt)</strong>"));
    assert!(!page.contains("klachtenregeling"));
}

#[tokio::test]
async fn a_consultation_request_on_a_staff_dossier_reaches_directie_and_not_the_aandachtsfunctionaris()
 {
    let s = setup().await;
    let id = id_of(&open_staff(&s, "seksueel").await);
    let step2 = text(&s, &s.juf, &format!("/dossiers/{id}/stap/2")).await;
    assert!(step2.contains("Uw vraag aan de directie"));
    assert!(
        !step2.contains("Aandachtsfunctionaris van"),
        "no AF named on a staff dossier"
    );
    let question = "Moet ik de ouders al iets vertellen?";
    let res = s
        .app
        .post_with(
            &s.juf,
            &format!("/dossiers/{id}/overleg-vragen"),
            &[("vraag", question)],
        )
        .await;
    assert_eq!(res.status(), 303);
    assert!(location(&res).ends_with("melding=overleg-gevraagd-directie"));
    let step2 = text(&s, &s.juf, &location(&res)).await;
    assert!(step2.contains("De directie van de school ziet haar op de startpagina."));

    let notified = |user: &'static str| {
        let db = s.app.db.clone();
        async move {
            sqlx::query_as::<_, (i64,)>(
                "SELECT COUNT(*) FROM notifications n JOIN users u ON u.id = n.user_id \
                 WHERE u.email = $1 AND n.dossier_id = $2 AND n.kind = 'overleg_gevraagd'",
            )
            .bind(user)
            .bind(id)
            .fetch_one(db.pool_for_tests())
            .await
            .unwrap()
            .0
        }
    };
    assert_eq!(notified("dir@a.nl").await, 1, "directie is notified");
    assert_eq!(
        notified("af@a.nl").await,
        0,
        "the aandachtsfunctionaris is not"
    );
    let start = text(&s, &s.af, "/start").await;
    assert!(!start.contains(question));
    assert!(!start.contains(&format!("/dossiers/{id}")));
    let work = text(&s, &s.af, "/werkruimte").await;
    assert!(!work.contains(question));

    let start = text(&s, &s.directie, "/start").await;
    assert!(
        start.contains(question),
        "directie's start page shows the request"
    );
    let answer = format!("/dossiers/{id}/vastleggen/medewerkerplicht?verzoek=");
    assert!(start.contains(&answer));
    let rid: i64 =
        sqlx::query_as::<_, (i64,)>("SELECT id FROM consultation_requests WHERE dossier_id = $1")
            .bind(id)
            .fetch_one(s.app.db.pool_for_tests())
            .await
            .unwrap()
            .0;
    let form = text(&s, &s.directie, &format!("{answer}{rid}")).await;
    assert!(form.contains(&format!(r#"name="verzoek" value="{rid}""#)));
    let rid = rid.to_string();
    let res = duty(
        &s,
        id,
        &[
            ("plicht", "anders"),
            (
                "toelichting",
                "Nog niet: eerst overleg met de vertrouwensinspecteur.",
            ),
            ("verzoek", &rid),
        ],
    )
    .await;
    assert_eq!(res.status(), 303);
    let start = text(&s, &s.directie, "/start").await;
    assert!(!start.contains(question), "answered: off the start page");
}
