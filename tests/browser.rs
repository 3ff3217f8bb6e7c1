//! Real-browser journeys in Debian's headless Chromium, over WebDriver (fantoccini and
//! chromedriver), with axe-core checking every page for WCAG 2.1 A/AA violations and a screenshot
//! of every page in `target/browser-screenshots/`.
//!
//! They run when `/usr/bin/chromium` and `/usr/bin/chromedriver` are there (`.ci/run` installs
//! them) and say clearly that they were skipped when not. axe-core comes from npm, installed
//! into `target/axe` on first use.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::key::Key;
use fantoccini::{Client, ClientBuilder, Locator};
use meldcode::clock::Clock;
use meldcode::store::Db;
use meldcode::{AppState, Settings};
use serde_json::json;

#[path = "support/idp.rs"]
mod idp;

const PASSWORD: &str = "Meldcode-demo-2026";
const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

fn target() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("target")
}

/// axe-core's source, installed from npm into target/axe when missing.
fn axe() -> Option<String> {
    let dir = target().join("axe");
    let file = dir.join("node_modules/axe-core/axe.min.js");
    if !file.exists() {
        let _ = std::fs::create_dir_all(&dir);
        let status = Command::new("npm")
            .args([
                "install",
                "--prefix",
                dir.to_str()?,
                "axe-core@4",
                "--no-audit",
                "--no-fund",
                "--silent",
            ])
            .status()
            .ok()?;
        if !status.success() {
            return None;
        }
    }
    std::fs::read_to_string(file).ok()
}

fn skip(reason: &str) -> bool {
    println!("BROWSER TESTS SKIPPED: {reason}");
    eprintln!("BROWSER TESTS SKIPPED: {reason}");
    true
}

/// The application's clock, which a journey moves forward (a session ending by time).
static CLOCK: std::sync::OnceLock<Clock> = std::sync::OnceLock::new();

/// The demo organisation on a fresh SQLite file, served on a free port.
async fn start_app() -> String {
    let file = std::env::temp_dir().join(format!(
        "mc-browser-{}-{}.db",
        std::process::id(),
        rand::random::<u32>()
    ));
    let db = Db::connect(file.to_str().unwrap()).await.unwrap();
    db.migrate().await.unwrap();
    db.unlock(meldcode::crypto::MasterKey::generate())
        .await
        .unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let settings = Settings {
        secure_cookies: false,
        public_url: base.clone(),
        trust_forwarded_for: false,
        smtp_url: None,
        mail_from: "Meldcode <m@test.example>".into(),
    };
    let clock = CLOCK.get_or_init(Clock::system).clone();
    let state = AppState::new(db.clone(), settings, clock).await.unwrap();
    meldcode::demo::load(&db, &state.passwords, Clock::system().unix())
        .await
        .unwrap();
    tokio::spawn(meldcode::serve(listener, state));
    base
}

struct Browser {
    client: Client,
    driver: Child,
    base: String,
    axe: String,
    journey: &'static str,
    shots: usize,
    /// Use the keyboard only: focus and keys, never a click.
    keyboard: bool,
    problems: Vec<String>,
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.driver.kill();
    }
}

async fn browser(
    base: &str,
    axe: &str,
    journey: &'static str,
    width: u32,
    keyboard: bool,
) -> Browser {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let driver = Command::new(CHROMEDRIVER)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        json!({
            "binary": CHROMIUM,
            "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--disable-dev-shm-usage", format!("--window-size={width},900"), "--lang=nl-NL"]
        }),
    );
    let mut last = None;
    for _ in 0..50 {
        match ClientBuilder::rustls()
            .unwrap()
            .capabilities(caps.clone())
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
        {
            Ok(client) => {
                let _ = client.set_window_size(width, 900).await;
                return Browser {
                    client,
                    driver,
                    base: base.to_string(),
                    axe: axe.to_string(),
                    journey,
                    shots: 0,
                    keyboard,
                    problems: Vec::new(),
                };
            }
            Err(e) => last = Some(e),
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    panic!("chromedriver did not start: {last:?}");
}

impl Browser {
    /// Screenshot, axe, and a look for an error page, after every page.
    async fn check(&mut self, name: &str) {
        self.shots += 1;
        let dir = target().join("browser-screenshots");
        let _ = std::fs::create_dir_all(&dir);
        if let Ok(png) = self.client.screenshot().await {
            let _ = std::fs::write(
                dir.join(format!("{}-{:02}-{name}.png", self.journey, self.shots)),
                png,
            );
        }
        let text = self.client.find(Locator::Css("main")).await.ok();
        let text = match text {
            Some(m) => m.text().await.unwrap_or_default(),
            None => String::new(),
        };
        for bad in [
            "Er ging iets mis",
            "Pagina niet gevonden",
            "Geen toegang",
            "Uw formulier is niet verstuurd",
        ] {
            if text.contains(bad) {
                self.problems.push(format!(
                    "{} {name}: the page says \"{bad}\":\n{}",
                    self.journey,
                    text.chars().take(600).collect::<String>()
                ));
            }
        }
        let _ = self.client.execute(&self.axe, vec![]).await;
        let found = self
            .client
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})
                    .then(r => done(r.violations.map(v => v.id + ' at ' + v.nodes.map(n => n.target.join(' ')).join(', '))))
                    .catch(e => done(['axe failed: ' + e]));",
                vec![],
            )
            .await;
        match found {
            Ok(serde_json::Value::Array(v)) => {
                for violation in v {
                    self.problems
                        .push(format!("{} {name}: axe: {violation}", self.journey));
                }
            }
            other => self.problems.push(format!(
                "{} {name}: axe did not run: {other:?}",
                self.journey
            )),
        }
    }

    async fn go(&mut self, path: &str, name: &str) {
        self.client
            .goto(&format!("{}{path}", self.base))
            .await
            .unwrap();
        self.check(name).await;
    }

    async fn el(&self, css: &str) -> fantoccini::elements::Element {
        match self
            .client
            .wait()
            .at_most(Duration::from_secs(5))
            .for_element(Locator::Css(css))
            .await
        {
            Ok(e) => e,
            Err(e) => {
                let src = self.client.find(Locator::Css("main")).await;
                let text = match src {
                    Ok(m) => m.text().await.unwrap_or_default(),
                    Err(_) => String::new(),
                };
                panic!(
                    "{}: no element {css} ({e}); the page shows:\n{}",
                    self.journey,
                    text.chars().take(800).collect::<String>()
                );
            }
        }
    }

    async fn type_in(&self, css: &str, text: &str) {
        self.el(css).await.send_keys(text).await.unwrap();
    }

    /// A date field: set as the form sends it, whatever the browser's display format.
    async fn date(&self, id: &str, value: &str) {
        self.client
            .execute(
                &format!("document.getElementById('{id}').value = '{value}';"),
                vec![],
            )
            .await
            .unwrap();
    }

    /// A radio button or check box: with the keyboard, the space bar.
    async fn tick(&self, css: &str) {
        let e = self.el(css).await;
        if self.keyboard {
            e.send_keys(" ").await.unwrap()
        } else {
            e.click().await.unwrap()
        }
    }

    /// A link or button: with the keyboard, Enter.
    async fn press(&mut self, css: &str, name: &str) {
        let e = self.el(css).await;
        if self.keyboard {
            e.send_keys(&Key::Enter.to_string()).await.unwrap()
        } else {
            e.click().await.unwrap()
        }
        tokio::time::sleep(Duration::from_millis(150)).await;
        self.check(name).await;
    }

    async fn page_text(&self) -> String {
        self.el("main").await.text().await.unwrap()
    }

    async fn login(&mut self, email: &str) {
        self.go("/login", "inloggen").await;
        self.type_in("#email", email).await;
        self.type_in("#password", PASSWORD).await;
        self.press("form[action='/login'] button", "na-inloggen")
            .await;
    }

    async fn logout(&mut self) {
        self.press("form.logout button", "uitgelogd").await;
        assert!(
            self.page_text().await.contains("U bent uitgelogd"),
            "{}: logged out",
            self.journey
        );
    }

    /// Ends the WebDriver session, which quits its Chromium (killing chromedriver alone, as
    /// `Drop` does, would leave the browser running), and returns what was found.
    async fn finish(self) -> Vec<String> {
        let _ = self.client.clone().close().await;
        self.problems.clone()
    }
}

/// Journey 1: a teacher notices signals, opens a dossier, records a hypothesis from a third party,
/// and asks the aandachtsfunctionaris for a consultation.
async fn journey_1(b: &mut Browser, pupil: &str) {
    b.login("leerkracht@regenboog.example").await;
    b.press("a[href='/dossiers/nieuw']", "ik-maak-me-zorgen")
        .await;
    b.type_in("#naam", pupil).await;
    b.date("geboortedatum", "2016-04-01").await;
    b.type_in("#groep", "7").await;
    b.tick("#medewerker-nee").await;
    b.tick("#vorm-lichamelijk").await;
    b.tick("#aard-feit").await;
    b.type_in(
        "#waarneming",
        "Blauwe plek op de wang, maandagochtend bij binnenkomst.",
    )
    .await;
    b.tick("#bron-eigen").await;
    // The body map: opened, the cheek ticked (the drawing marks it as the box is ticked).
    b.press("details#lichaam summary", "lichaamskaart").await;
    b.tick("#lichaam-v-hoofd").await;
    b.check("lichaamskaart-aangevinkt").await;
    b.press(
        "form[action='/dossiers/nieuw'] button[type=submit]",
        "dossier-geopend",
    )
    .await;
    assert!(
        b.page_text().await.contains("Het dossier is geopend"),
        "journey 1: dossier opened"
    );
    assert!(
        b.page_text().await.contains("voorkant: hoofd en gezicht"),
        "journey 1: the body map is kept with the first signal"
    );
    b.press("a[href$='/stap/1']", "stap-1").await;
    b.tick("#aard-hypothese").await;
    b.type_in(
        "#waarneming",
        "Mogelijk is er thuis spanning sinds de verhuizing.",
    )
    .await;
    b.tick("#bron-derde").await;
    b.type_in("#bron_wie", "De moeder van een klasgenoot").await;
    b.press(
        "form[action$='/aantekening'] button[type=submit]",
        "signaal-opgeslagen",
    )
    .await;
    assert!(
        b.page_text().await.contains("De aantekening is opgeslagen"),
        "journey 1: signal saved"
    );
    b.press("a[href$='/stap/2']", "stap-2").await;
    b.type_in(
        "#vraag-overleg",
        "Hoe pak ik het gesprek met de ouders aan?",
    )
    .await;
    b.press("form[action$='/overleg-vragen'] button", "overleg-gevraagd")
        .await;
    assert!(
        b.page_text()
            .await
            .contains("Uw vraag om overleg is verstuurd"),
        "journey 1: consultation asked"
    );
    b.go("/dossiers", "dossiers-wacht").await;
    assert!(
        b.page_text().await.contains("wacht op antwoord"),
        "journey 1: the list says the question waits"
    );
    b.logout().await;
}

async fn run_journeys() -> Vec<String> {
    let axe = axe().expect("axe-core from npm");
    let base = start_app().await;
    let mut problems = Vec::new();

    // Journey 1, with the mouse at desktop width, with the keyboard alone, and at 320 px.
    let mut b = browser(&base, &axe, "j1-muis", 1280, false).await;
    journey_1(&mut b, "Muis Kind").await;
    problems.extend(b.finish().await);
    let mut b = browser(&base, &axe, "j1-toetsenbord", 1280, true).await;
    journey_1(&mut b, "Toetsenbord Kind").await;
    problems.extend(b.finish().await);
    let mut b = browser(&base, &axe, "j1-320", 320, false).await;
    journey_1(&mut b, "Smal Kind").await;
    problems.extend(b.finish().await);

    // Journey 2: the aandachtsfunctionaris answers the request; the teacher records the
    // conversation, the weighing, the decision to report and the conversation about it, and the report.
    let mut b = browser(&base, &axe, "j2", 1280, false).await;
    b.login("af@regenboog.example").await;
    b.go("/werkruimte", "werkruimte").await;
    b.press("a[href*='verzoek=']", "overleg-vastleggen").await;
    b.type_in(
        "#advies",
        "Eerst met het kind praten; de ouders daarna uitnodigen.",
    )
    .await;
    b.press(
        "form[action$='/aantekening'] button[type=submit]",
        "overleg-opgeslagen",
    )
    .await;
    b.logout().await;
    // The teacher hears back: "Voor u" on the start page, and the list no longer waits.
    b.login("leerkracht@regenboog.example").await;
    b.go("/start", "start-antwoord").await;
    assert!(
        b.page_text()
            .await
            .contains("Uw vraag om overleg is beantwoord"),
        "journey 2: the teacher hears back"
    );
    b.go("/dossiers", "dossiers").await;
    let link = b
        .client
        .find(Locator::XPath("//a[normalize-space()='Muis Kind']"))
        .await
        .unwrap();
    link.click().await.unwrap();
    b.check("dossier").await;
    b.press("a[href$='/stap/3']", "stap-3").await;
    b.tick("#met-leerling").await;
    b.date("datum", &today()).await;
    b.type_in("#doel", "Ik vertelde dat ik me zorgen maak.")
        .await;
    b.type_in("#feiten", "De blauwe plek op maandag.").await;
    b.type_in("#reactie", "Het kind zei dat het was gevallen.")
        .await;
    b.press(
        "form[action$='/aantekening'] button[type=submit]",
        "gesprek-opgeslagen",
    )
    .await;
    b.press("a[href$='/stap/4']", "stap-4").await;
    b.type_in("#risico", "Matig").await;
    b.type_in("#aard", "Lichamelijk").await;
    b.type_in("#ernst", "Zorgelijk").await;
    b.tick("#vraag1-ja").await;
    b.type_in("#vraag1_toelichting", "De signalen houden aan.")
        .await;
    b.tick("#vraag2-ja").await;
    b.type_in("#vraag2_toelichting", "Structurele onveiligheid.")
        .await;
    b.press(
        "form[action$='/aantekening'] button[type=submit]",
        "weging-opgeslagen",
    )
    .await;
    b.press("a[href$='/stap/5']", "stap-5").await;
    b.tick("#vraag2-ja").await;
    b.type_in("#vraag2_toelichting", "Melden is nodig.").await;
    b.press(
        "form[action$='/aantekening'] button[type=submit]",
        "besluit-opgeslagen",
    )
    .await;
    let dossier = b.client.current_url().await.unwrap().path().to_string();
    b.go(
        &format!("{dossier}/stap/5?soort=meldgesprek"),
        "meldgesprek",
    )
    .await;
    b.tick("#met-ouders").await;
    b.date("datum", &today()).await;
    b.type_in("#uitleg", "Ik legde uit waarom ik ga melden.")
        .await;
    b.type_in("#reactie", "Moeder begreep het.").await;
    b.type_in("#besluit", "Ik meld.").await;
    b.press(
        "form[action$='/aantekening'] button[type=submit]",
        "meldgesprek-opgeslagen",
    )
    .await;
    b.go(&format!("{dossier}/stap/5?soort=melding"), "melding")
        .await;
    b.date("datum", &today()).await;
    b.tick("#wijze-telefoon").await;
    b.type_in("#contact", "Mw. Kok").await;
    b.type_in("#feiten", "De blauwe plek; het verhaal van het kind.")
        .await;
    b.type_in("#afspraken", "School blijft het kind volgen.")
        .await;
    b.press("form[action$='/aantekening'] button[type=submit]", "gemeld")
        .await;
    assert!(
        b.page_text().await.contains("Gemeld bij Veilig Thuis"),
        "journey 2: reported"
    );
    b.logout().await;
    problems.extend(b.finish().await);

    // Journey 3: the aandachtsfunctionaris finds the overdue help review and records it.
    let mut b = browser(&base, &axe, "j3", 1280, false).await;
    b.login("af@regenboog.example").await;
    b.go("/werkruimte?alleen=achterstallig", "achterstallig")
        .await;
    assert!(
        b.page_text().await.contains("Evaluatie hulp"),
        "journey 3: overdue review listed"
    );
    let link = b
        .client
        .find(Locator::XPath("//a[normalize-space()='Lucas Visser']"))
        .await
        .unwrap();
    link.click().await.unwrap();
    b.check("lucas").await;
    let dossier = b.client.current_url().await.unwrap().path().to_string();
    b.go(&format!("{dossier}/stap/5?soort=evaluatie"), "evaluatie")
        .await;
    b.tick("#vraag5-ja").await;
    b.type_in("#toelichting", "Het gaat beter met Lucas.").await;
    b.type_in("#monitoring", "De IB'er spreekt Lucas elke maand.")
        .await;
    b.press(
        "form[action$='/aantekening'] button[type=submit]",
        "evaluatie-opgeslagen",
    )
    .await;
    assert!(
        !b.page_text()
            .await
            .contains("evaluatiedatum van het hulpplan"),
        "journey 3: no longer overdue"
    );
    b.logout().await;
    problems.extend(b.finish().await);

    // Journey 4: directie opens the evaluation report and downloads its CSV.
    let mut b = browser(&base, &axe, "j4", 1280, false).await;
    b.login("directie@regenboog.example").await;
    b.press("a[href='/evaluatie']", "evaluatie").await;
    let csv = b
        .client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             const a = document.querySelector(\"a[href^='/evaluatie/csv']\");
             fetch(a.getAttribute('href')).then(r => r.text().then(t => done(r.status + '|' + r.headers.get('content-type') + '|' + t)));",
            vec![],
        )
        .await
        .unwrap();
    let csv = csv.as_str().unwrap_or_default().to_string();
    assert!(
        csv.starts_with("200|text/csv"),
        "journey 4: CSV download: {csv}"
    );
    assert!(csv.contains("Aantal"), "journey 4: CSV content");
    b.logout().await;
    problems.extend(b.finish().await);

    // Journey 5: the emergency route from an arbitrary page.
    let mut b = browser(&base, &axe, "j5", 1280, false).await;
    b.login("leerkracht@regenboog.example").await;
    b.go("/meldcode", "willekeurige-pagina").await;
    b.press("a.emergency-link", "nood").await;
    assert!(
        b.page_text().await.contains("Noodsituatie"),
        "journey 5: emergency page"
    );
    b.press("a[href='/nood/melding']", "noodmelding").await;
    b.type_in("#naam", "Nood Kind").await;
    b.tick("#gebeld-112").await;
    b.type_in("#wat", "Het kind kwam met verwondingen binnen; 112 gebeld.")
        .await;
    b.press(
        "form[action='/nood/melding'] button[type=submit]",
        "noodmelding-vastgelegd",
    )
    .await;
    assert!(
        b.page_text().await.contains("noodmelding"),
        "journey 5: emergency report recorded"
    );
    b.logout().await;
    problems.extend(b.finish().await);

    // Journey 6, on a phone: the aandachtsfunctionaris weighs a dossier with doubt about unsafety,
    // tries to close it as "help succeeded" and is refused (the meldnorm), records the report,
    // and then closes it as handed over.
    let mut b = browser(&base, &axe, "j6-390", 390, false).await;
    journey_6(&mut b, "Toetsenbord Kind").await;
    problems.extend(b.finish().await);

    problems.extend(journey_directie_beheer(&base, &axe).await);

    // A timed-out form restored: the session ends while a teacher types; after logging in again
    // the form is back with the text in place.
    let mut b = browser(&base, &axe, "j8-herstel", 1280, false).await;
    journey_restore(&mut b).await;
    problems.extend(b.finish().await);

    // One dossier per concern: a second dossier about the same pupil is refused in favour of
    // the open one, and two opened apart are merged by the aandachtsfunctionaris.
    let mut b = browser(&base, &axe, "j9-dubbel", 1280, false).await;
    journey_duplicate(&mut b).await;
    problems.extend(b.finish().await);

    // The roster: beheer reads in the demo school's EDEXML file and a month later's, and a
    // teacher chooses the pupil by searching it, at 320 px with the keyboard alone.
    let mut b = browser(&base, &axe, "j10-leerlingen", 1280, false).await;
    journey_roster(&mut b).await;
    problems.extend(b.finish().await);
    let mut b = browser(&base, &axe, "j10-zoeken-320-toetsenbord", 320, true).await;
    journey_roster_search(&mut b).await;
    problems.extend(b.finish().await);

    // Single sign-on: beheer sets up the organisation's OpenID provider (a real one, started
    // here), and a teacher logs in through it.
    let provider = idp::start_provider(&format!("{base}/login/sso/terug"), false).await;
    let mut b = browser(&base, &axe, "j11-sso", 1280, false).await;
    journey_sso(&mut b, &provider.issuer).await;
    problems.extend(b.finish().await);

    // The melding for Veilig Thuis of the demo dossiers in step 5, on a screen, on paper (a PDF
    // printed by Chromium) and at 320 px.
    let mut b = browser(&base, &axe, "j12-melding", 1280, false).await;
    journey_melding(&mut b).await;
    problems.extend(b.finish().await);
    let mut b = browser(&base, &axe, "j12-melding-320", 320, true).await;
    journey_melding(&mut b).await;
    problems.extend(b.finish().await);

    // The inspection copy: the aandachtsfunctionaris withholds a passage that concerns a third
    // party, and the copy shows the redaction.
    let mut b = browser(&base, &axe, "j13-inzage", 1280, false).await;
    journey_redaction(&mut b).await;
    problems.extend(b.finish().await);

    // The honour route: a teacher opens a dossier about honour-related violence; the steps say
    // to consult specific expertise first, and a conversation before it is refused.
    let mut b = browser(&base, &axe, "j14-eer-320", 320, true).await;
    journey_honour(&mut b).await;
    problems.extend(b.finish().await);

    // Actions: the aandachtsfunctionaris assigns one to the teacher, who completes it from her
    // start page, at 320 px with the keyboard.
    let mut b = browser(&base, &axe, "j15-actie", 1280, false).await;
    journey_assign_action(&mut b).await;
    problems.extend(b.finish().await);
    let mut b = browser(&base, &axe, "j15-actie-afronden-320", 320, true).await;
    journey_complete_action(&mut b).await;
    problems.extend(b.finish().await);
    problems
}

/// The aandachtsfunctionaris assigns an action on Lucas Visser's dossier to Sanne de Boer.
async fn journey_assign_action(b: &mut Browser) {
    b.login("af@regenboog.example").await;
    b.go("/dossiers?zoek=lucas", "dossiers-zoeken").await;
    let href = b
        .el("main table a[href^='/dossiers/']")
        .await
        .attr("href")
        .await
        .unwrap()
        .unwrap();
    b.go(&href, "dossier").await;
    b.press("a[href$='/acties/nieuw']", "actie-uitzetten").await;
    b.el("#voor")
        .await
        .select_by_label("Sanne de Boer")
        .await
        .unwrap();
    b.type_in("#wat", "Moeder van Lucas bellen over de scheiding")
        .await;
    b.tick("#termijn-werkdagen").await;
    b.type_in("#werkdagen", "3").await;
    b.press(
        "form[action$='/acties/nieuw'] button[type=submit]",
        "actie-uitgezet",
    )
    .await;
    assert!(
        b.page_text().await.contains("De actie is uitgezet"),
        "{}: the action is assigned",
        b.journey
    );
    // And judges the risk, with its reason.
    b.press("a[href$='/vastleggen/risico']", "risico").await;
    b.tick("#niveau-midden").await;
    b.type_in(
        "#onderbouwing",
        "Moeder staat er alleen voor; Lucas trekt zich terug.",
    )
    .await;
    b.press(
        "form[action$='/aantekening'] button[type=submit]",
        "risico-opgeslagen",
    )
    .await;
    assert!(
        b.page_text().await.contains("Midden"),
        "{}: the risk level is on the dossier",
        b.journey
    );
    b.logout().await;
}

/// Sanne de Boer finds the action on her start page and records it done.
async fn journey_complete_action(b: &mut Browser) {
    b.login("leerkracht@regenboog.example").await;
    assert!(
        b.page_text().await.contains("Uw acties"),
        "{}: the start page lists her action",
        b.journey
    );
    b.press("#acties + ul a[href*='/acties/']", "actie-openen")
        .await;
    b.tick("#uitkomst-gedaan").await;
    b.type_in("#toelichting", "Gebeld; moeder komt donderdag langs.")
        .await;
    b.press(
        "form[action*='/acties/'] button[type=submit]",
        "actie-afgerond",
    )
    .await;
    assert!(
        b.page_text().await.contains("De actie is afgerond"),
        "{}: the action is recorded done",
        b.journey
    );
    b.logout().await;
}

/// Withholding a passage from Mila Peters's inspection copy, through the review page.
async fn journey_redaction(b: &mut Browser) {
    b.login("af@regenboog.example").await;
    // Found by a few letters of her name in the dossier list.
    b.go("/dossiers?zoek=mil", "dossiers-zoeken").await;
    let href = b
        .el("main table a[href^='/dossiers/']")
        .await
        .attr("href")
        .await
        .unwrap()
        .unwrap();
    assert!(
        b.page_text().await.contains("Mila Peters"),
        "{}: the search finds Mila",
        b.journey
    );
    b.go(&href, "dossier").await;
    b.press("a[href$='/inzage']", "inzage").await;
    b.press("a[href$='/inzage/beoordelen']", "beoordelen").await;
    // The first signal's description: what someone told about the family.
    let radio = b
        .el("input[name=deel][id$='-waarneming']")
        .await
        .attr("id")
        .await
        .unwrap()
        .unwrap();
    let n = radio
        .trim_start_matches("deel-")
        .trim_end_matches("-waarneming")
        .to_string();
    b.press(
        &format!("#aantekening-{n} details.withhold summary"),
        "weglaten-open",
    )
    .await;
    b.tick(&format!("#{radio}")).await;
    b.tick(&format!("#reden-{n}-derden")).await;
    b.type_in(&format!("#toelichting-{n}"), "Gaat ook over de moeder.")
        .await;
    b.press(
        &format!("#aantekening-{n} details.withhold button[type=submit]"),
        "weggelaten",
    )
    .await;
    assert!(
        b.page_text().await.contains("(wordt weggelaten)"),
        "{}: the review page marks the passage",
        b.journey
    );
    b.press("main p a[href$='/inzage']", "inzage-met-weglating")
        .await;
    let text = b.page_text().await;
    assert!(
        text.contains("[weggelaten:"),
        "{}: the copy shows the redaction",
        b.journey
    );
    b.logout().await;
}

/// A teacher opens a dossier about honour-related violence; step 3 says to consult first.
async fn journey_honour(b: &mut Browser) {
    b.login("leerkracht@regenboog.example").await;
    b.press("a[href='/dossiers/nieuw']", "ik-maak-me-zorgen")
        .await;
    b.type_in("#naam", "Eer Kind").await;
    b.date("geboortedatum", "2013-02-01").await;
    b.tick("#medewerker-nee").await;
    b.tick("#vorm-eergerelateerd").await;
    b.tick("#aard-feit").await;
    b.type_in(
        "#waarneming",
        "Ze vertelde dat haar broer haar volgt en dat ze na de zomer naar het buitenland moet trouwen.",
    )
    .await;
    b.tick("#bron-eigen").await;
    b.press(
        "form[action='/dossiers/nieuw'] button[type=submit]:not([name=actie])",
        "dossier-geopend",
    )
    .await;
    b.press("a[href$='/stap/3']", "stap-3").await;
    let text = b.page_text().await;
    assert!(
        text.contains("LEC EGG"),
        "{}: step 3 names the specific expertise",
        b.journey
    );
    b.logout().await;
}

/// The aandachtsfunctionaris prepares the melding of the demo's reported dossier (Mila Peters)
/// and of the one with a help plan (Lucas Visser), and prints the first to PDF.
async fn journey_melding(b: &mut Browser) {
    b.login("af@regenboog.example").await;
    for (pupil, reported) in [("Mila Peters", true), ("Lucas Visser", false)] {
        b.go("/dossiers", "dossiers").await;
        let link = b
            .client
            .find(Locator::XPath(&format!(
                "//main//a[contains(., '{pupil}')]"
            )))
            .await
            .unwrap();
        let href = link.attr("href").await.unwrap().unwrap();
        b.go(&href, "dossier").await;
        b.press("a[href$='/melding']", "melding").await;
        let text = b.page_text().await;
        for title in [
            "1. Meldcode",
            "2. Melder",
            "3. Betrokkenen",
            "4. Melding",
            "5. Ondersteunend netwerk",
            "6. Overige informatie",
            "7. Afronden",
        ] {
            assert!(
                text.contains(title),
                "{}: {title} on the melding",
                b.journey
            );
        }
        assert_eq!(
            text.contains("Gemeld op"),
            reported,
            "{}: {pupil}",
            b.journey
        );
        // The text of a section to copy opens by keyboard or mouse.
        b.press("#melding + dl + details summary", "melding-tekst-open")
            .await;
        let copy = b.el("#tekst-melding").await.prop("value").await.unwrap();
        assert!(
            copy.is_some_and(|t| t.contains("eigen waarneming van")),
            "{}: the section's text to copy",
            b.journey
        );
        if reported && !b.keyboard {
            let pdf = b
                .client
                .print(fantoccini::wd::PrintConfiguration::default())
                .await
                .expect("Chromium prints the melding");
            assert!(pdf.starts_with(b"%PDF"), "a PDF");
            let dir = target().join("browser-screenshots");
            let _ = std::fs::write(dir.join("j12-melding.pdf"), &pdf);
        }
    }
    b.logout().await;
}

/// Beheer configures the provider; a teacher presses "Inloggen met …", logs in at the provider
/// (its own test page, not ours: no axe there) and lands in Meldcode.
async fn journey_sso(b: &mut Browser, issuer: &str) {
    b.login("beheer@voorbeeld.example").await;
    b.go("/beheer/sso", "sso-instellen").await;
    b.tick("#aanbieder-anders").await;
    b.type_in("#issuer", issuer).await;
    b.type_in("#naam", "Stichting Voorbeeld").await;
    b.type_in("#client_id", idp::CLIENT_ID).await;
    b.type_in("#client_secret", idp::CLIENT_SECRET).await;
    b.type_in("#domeinen", "regenboog.example").await;
    b.press(
        "form[action='/beheer/sso'] button[type=submit]",
        "sso-opgeslagen",
    )
    .await;
    assert!(
        !b.page_text().await.contains("Geheim-van-de-test"),
        "journey 11: the secret is not shown"
    );
    b.logout().await;
    b.go("/login", "login-met-sso").await;
    // The provider's page is not ours: pressed without the check that runs axe.
    b.el("form[action='/login/sso'] button")
        .await
        .click()
        .await
        .unwrap();
    // At the provider: its login form.
    b.el("input[name=login]")
        .await
        .send_keys("leerkracht@regenboog.example")
        .await
        .unwrap();
    b.el("button").await.click().await.unwrap();
    // Back in Meldcode, perhaps through the page that goes on from our own site.
    let landed = b
        .client
        .wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::Css("form.logout"))
        .await;
    assert!(landed.is_ok(), "journey 11: logged in through the provider");
    b.check("sso-ingelogd").await;
    assert!(
        b.client.source().await.unwrap().contains("Sanne de Boer"),
        "journey 11: logged in as the teacher"
    );
    b.logout().await;
}

/// Beheer reads in an EDEXML file: preview, confirm; then the changed file.
async fn journey_roster(b: &mut Browser) {
    b.login("beheer@voorbeeld.example").await;
    b.go("/beheer", "beheer").await;
    let school = b
        .client
        .find(Locator::XPath("//a[normalize-space()='De Regenboog']"))
        .await
        .expect("journey 10: the school on the beheer page");
    school.click().await.unwrap();
    b.check("school").await;
    b.press("a[href$='/inlezen']", "inlezen").await;
    for (file, name, expect) in [
        ("demo-edexml.xml", "eerste", "Nieuwe leerlingen: 24"),
        (
            "demo-edexml-changed.xml",
            "maand-later",
            "Niet meer op school: 2",
        ),
    ] {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/data")
            .join(file);
        b.el("#bestand")
            .await
            .send_keys(&path.display().to_string())
            .await
            .unwrap();
        b.press(
            "form[enctype] button[type=submit]",
            &format!("voorbeeld-{name}"),
        )
        .await;
        assert!(
            b.page_text().await.contains(expect),
            "journey 10: the preview of {file} says {expect}"
        );
        b.press("button[name=bevestigd]", &format!("ingelezen-{name}"))
            .await;
        assert!(
            b.page_text()
                .await
                .contains("De leerlingen en medewerkers zijn ingelezen"),
            "journey 10: {file} read in"
        );
        b.press("a[href$='/inlezen']", &format!("opnieuw-{name}"))
            .await;
    }
    b.logout().await;
}

/// A teacher chooses the pupil from the roster by a few letters, and opens the dossier.
async fn journey_roster_search(b: &mut Browser) {
    b.login("leerkracht@regenboog.example").await;
    b.go("/dossiers/nieuw", "nieuw").await;
    b.type_in("#waarneming", "Zit vaak alleen in de pauze.")
        .await;
    b.type_in("#zoek", "noor").await;
    b.press("button[name=actie]", "gezocht").await;
    let found = b.page_text().await;
    assert!(
        found.contains("gevonden") && found.contains("Zit vaak alleen in de pauze."),
        "journey 10: pupils found, the text kept"
    );
    b.tick("input[name=leerling_id]").await;
    b.tick("#medewerker-nee").await;
    b.tick("#vorm-psychisch").await;
    b.tick("#aard-feit").await;
    b.tick("#bron-eigen").await;
    b.press(
        "form[action='/dossiers/nieuw'] button[type=submit]:not([name])",
        "geopend",
    )
    .await;
    let opened = b.page_text().await;
    assert!(
        opened.contains("Het dossier is geopend") && opened.contains("Noor"),
        "journey 10: the dossier is about the pupil chosen"
    );
    b.logout().await;
}

/// Opens a dossier about "Dubbel Kind" as the logged-in user; returns the page's text.
async fn open_about_the_same_pupil(b: &mut Browser, name: &str, what: &str) -> String {
    b.go("/dossiers/nieuw", &format!("{name}-nieuw")).await;
    b.type_in("#naam", "Dubbel Kind").await;
    b.date("geboortedatum", "2015-05-05").await;
    b.tick("#medewerker-nee").await;
    b.tick("#vorm-psychisch").await;
    b.tick("#aard-feit").await;
    b.type_in("#waarneming", what).await;
    b.tick("#bron-eigen").await;
    b.press(
        "form[action='/dossiers/nieuw'] button[type=submit]",
        &format!("{name}-verstuurd"),
    )
    .await;
    b.page_text().await
}

async fn journey_duplicate(b: &mut Browser) {
    b.login("leerkracht@regenboog.example").await;
    let first = open_about_the_same_pupil(b, "eerste", "Huilt vaak in de klas.").await;
    assert!(
        first.contains("Het dossier is geopend"),
        "journey 9: opened"
    );
    // The same teacher again: the open dossier is offered, adding is the default.
    let again = open_about_the_same_pupil(b, "tweede", "Vandaag weer verdrietig.").await;
    assert!(
        again.contains("Er is al een open dossier over deze leerling"),
        "journey 9: the open dossier is offered"
    );
    b.press("#bestaand button[type=submit]", "toegevoegd").await;
    let added = b.page_text().await;
    assert!(
        added.contains("Uw signaal is toegevoegd aan het open dossier")
            && added.contains("Vandaag weer verdrietig."),
        "journey 9: the signal went to the open dossier"
    );
    b.logout().await;
    // Directie, who may not see that dossier, opens one about the same pupil: nothing is said.
    b.login("directie@regenboog.example").await;
    let other = open_about_the_same_pupil(b, "directie", "Zag haar huilen op het plein.").await;
    assert!(
        other.contains("Het dossier is geopend") && !other.contains("Er is al een open dossier"),
        "journey 9: nothing revealed to who may not see it"
    );
    b.logout().await;
    // The aandachtsfunctionaris is told, and merges the two.
    b.login("af@regenboog.example").await;
    b.go("/start", "af-start").await;
    let told = b
        .client
        .find(Locator::XPath(
            "//a[contains(., 'al een open dossier heeft') and contains(., 'Dubbel Kind')]",
        ))
        .await
        .expect("journey 9: the aandachtsfunctionaris is told on the start page");
    told.click().await.unwrap();
    b.check("af-dossier").await;
    b.press("a[href*='/samenvoegen?met=']", "samenvoegen").await;
    b.type_in("#toelichting", "Twee collega's, één zorg.").await;
    b.press(
        "form[action$='/samenvoegen'] button[type=submit]",
        "samengevoegd",
    )
    .await;
    assert!(
        b.page_text()
            .await
            .contains("De dossiers zijn samengevoegd"),
        "journey 9: merged"
    );
    b.press("a[href$='/leerling']", "leerling-tijdlijn").await;
    let all = b.page_text().await;
    assert!(
        all.contains("Huilt vaak in de klas.") && all.contains("Zag haar huilen op het plein."),
        "journey 9: one chronology of the pupil"
    );
    b.logout().await;
}

/// Directie chooses a schooljaar and saves the report as Dutch Excel opens it; the
/// aandachtsfunctionaris reads who looked at a dossier; beheer adds a school and is led to name
/// its aandachtsfunctionaris, copies the activation link, and previews the meldcode text.
async fn journey_directie_beheer(base: &str, axe: &str) -> Vec<String> {
    let mut b = browser(base, axe, "j7-directie", 1280, false).await;
    b.login("directie@regenboog.example").await;
    b.press("a[href='/evaluatie']", "evaluatie").await;
    b.press(
        "a[href='/evaluatie?periode=vorig-schooljaar']",
        "vorig-schooljaar",
    )
    .await;
    b.press(
        "a[href='/evaluatie?periode=dit-schooljaar']",
        "dit-schooljaar",
    )
    .await;
    let text = b.page_text().await;
    assert!(
        text.contains("1 augustus") && text.contains("tot en met 31 juli"),
        "journey 7: the report covers this schooljaar"
    );
    // The file with every table, fetched as the link would save it: its first bytes and cells.
    let file = b
        .client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             const a = document.querySelector(\"a[href^='/evaluatie/csv?tabel=alles']\");
             fetch(a.getAttribute('href')).then(r => r.arrayBuffer().then(buf => {
               const bytes = new Uint8Array(buf);
               done({status: r.status, type: r.headers.get('content-type'),
                     head: Array.from(bytes.slice(0, 3)),
                     text: new TextDecoder('utf-8', {ignoreBOM: true}).decode(bytes)});
             })).catch(e => done({error: String(e)}));",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(file["status"], 200, "journey 7: the download: {file}");
    assert!(
        file["type"].as_str().unwrap_or("").starts_with("text/csv"),
        "journey 7: {file}"
    );
    assert_eq!(
        file["head"],
        json!([0xEF, 0xBB, 0xBF]),
        "journey 7: the file starts with the UTF-8 byte order mark"
    );
    let csv = file["text"].as_str().unwrap_or_default();
    assert!(
        csv.contains("\nIn het kort\nWat;Aantal;Opmerking\n"),
        "journey 7: cells separated by ';', each table under its title: {csv}"
    );
    assert!(csv.contains("Dossiers geopend;"), "journey 7: a row: {csv}");
    b.logout().await;
    let mut problems = b.finish().await;

    // The access log of a dossier, for its aandachtsfunctionaris: a table reachable by keyboard.
    let mut b = browser(base, axe, "j7-toegangslog", 1280, false).await;
    b.login("af@regenboog.example").await;
    b.go("/dossiers", "dossiers").await;
    let link = b
        .client
        .find(Locator::XPath("//a[normalize-space()='Lucas Visser']"))
        .await
        .unwrap();
    link.click().await.unwrap();
    b.check("dossier").await;
    let dossier = b.client.current_url().await.unwrap().path().to_string();
    b.go(&format!("{dossier}/toegang"), "toegangslog").await;
    let region = b.el("div.table-wrap[role='region']").await;
    assert_eq!(
        region.attr("tabindex").await.unwrap().as_deref(),
        Some("0"),
        "journey 7: the access log's table can take focus"
    );
    b.logout().await;
    problems.extend(b.finish().await);

    let mut b = browser(base, axe, "j7-beheer", 1280, false).await;
    b.login("beheer@voorbeeld.example").await;
    // The organisation's settings: numbers, quiet days, the support arrangement.
    b.go("/beheer/organisatie", "organisatie-instellingen")
        .await;
    b.go("/beheer", "beheer").await;
    b.type_in("#naam", "De Vlinder").await;
    b.press("form[action='/beheer/scholen'] button", "school-toegevoegd")
        .await;
    assert!(
        b.page_text()
            .await
            .contains("Volgende stap: wijs de aandachtsfunctionaris van De Vlinder aan."),
        "journey 7: after adding a school, naming its aandachtsfunctionaris is next"
    );
    b.press(
        "a[href*='rol=aandachtsfunctionaris']",
        "nieuwe-aandachtsfunctionaris",
    )
    .await;
    b.type_in("#naam", "Iris Jansen").await;
    b.type_in("#email", "iris@vlinder.example").await;
    b.press(
        "form[action='/beheer/gebruikers/nieuw'] button[type=submit]",
        "activeringslink",
    )
    .await;
    let copy = b.el("button[data-copy='link']").await;
    assert!(
        copy.is_displayed().await.unwrap(),
        "journey 7: the script shows the copy button"
    );
    copy.click().await.unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;
    let said = b
        .el("[data-copy-status='link']")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        said.contains("gekopieerd") || said.contains("geselecteerd"),
        "journey 7: the copy button says what it did: {said:?}"
    );
    b.check("link-gekopieerd").await;
    b.go("/beheer", "beheer-na").await;
    let overview = b.page_text().await;
    assert!(
        overview.contains("De Vlinder") && !overview.contains("De Vlinder nog geen"),
        "journey 7: the new school has its aandachtsfunctionaris"
    );
    b.go("/beheer/meldcode", "meldcode").await;
    b.press("button[value='voorbeeld']", "meldcode-voorbeeld")
        .await;
    assert!(
        b.page_text()
            .await
            .contains("Voorbeeld: zo leest iedereen de meldcode"),
        "journey 7: the meldcode text is previewed"
    );
    b.logout().await;
    problems.extend(b.finish().await);
    problems
}

/// A timed-out form restored: a form with a mistake (its summary takes focus, the title says
/// "Fout:"), the warning before the idle limit and its button, then the session ending while the
/// teacher types, and after logging in again the same form with the text in place.
async fn journey_restore(b: &mut Browser) {
    const TEXT: &str = "Hij vertelde dat hij thuis geslagen wordt als hij te laat is.";
    b.login("leerkracht@regenboog.example").await;
    b.go("/dossiers/nieuw", "nieuw").await;
    b.type_in("#naam", "Herstel Kind").await;
    b.type_in("#geboortedatum", "28-11-2016").await;
    b.press(
        "form[action='/dossiers/nieuw'] button[type=submit]",
        "nieuw-met-fouten",
    )
    .await;
    let title = b.client.title().await.unwrap();
    assert!(
        title.starts_with("Fout: "),
        "journey 8: the title says Fout: ({title})"
    );
    let focused = b
        .client
        .execute("return document.activeElement.className;", vec![])
        .await
        .unwrap();
    assert_eq!(focused, "error-summary", "journey 8: the summary has focus");
    assert!(
        b.page_text().await.contains("Zonder activiteit wordt u om"),
        "journey 8: the time the session ends stands beside the form"
    );

    // The warning the script shows five minutes before the end, and its button.
    b.client
        .execute(
            "document.getElementById('sessie-waarschuwing').hidden = false;",
            vec![],
        )
        .await
        .unwrap();
    b.check("waarschuwing").await;
    b.press(".session-stay", "ingelogd-gebleven").await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let hidden = b
        .client
        .execute(
            "return document.getElementById('sessie-waarschuwing').hidden;",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(
        hidden,
        serde_json::Value::Bool(true),
        "journey 8: stayed logged in"
    );

    b.tick("#medewerker-nee").await;
    b.tick("#vorm-lichamelijk").await;
    b.tick("#aard-feit").await;
    b.type_in("#waarneming", TEXT).await;
    b.tick("#bron-eigen").await;
    // The teacher is called away; the session ends before the form is sent.
    CLOCK
        .get()
        .unwrap()
        .advance(meldcode::domain::session::IDLE_SECS + 60);
    b.press(
        "form[action='/dossiers/nieuw'] button[type=submit]",
        "verlopen-bewaard",
    )
    .await;
    assert!(
        b.page_text().await.contains("hebben we voor u bewaard"),
        "journey 8: the login page says the form was kept"
    );
    b.type_in("#email", "leerkracht@regenboog.example").await;
    b.type_in("#password", PASSWORD).await;
    b.press("form[action='/login'] button", "formulier-terug")
        .await;
    let text = b.page_text().await;
    assert!(
        text.contains("Uw tekst is terug") && text.contains("nog niet opgeslagen"),
        "journey 8: the page says the text was kept, not yet saved"
    );
    let typed = b.el("#waarneming").await.prop("value").await.unwrap();
    assert_eq!(
        typed.as_deref(),
        Some(TEXT),
        "journey 8: the text is in place"
    );
    b.press(
        "form[action='/dossiers/nieuw'] button[type=submit]",
        "dossier-geopend-na-herstel",
    )
    .await;
    assert!(
        b.page_text().await.contains("Het dossier is geopend"),
        "journey 8: the restored form opened the dossier"
    );
    b.logout().await;
}

/// Journey 6: closing a dossier that must be reported.
async fn journey_6(b: &mut Browser, pupil: &str) {
    b.login("af@regenboog.example").await;
    b.go("/dossiers", "dossiers").await;
    let link = b
        .client
        .find(Locator::XPath(&format!("//a[normalize-space()='{pupil}']")))
        .await
        .unwrap();
    link.click().await.unwrap();
    b.check("dossier").await;
    let dossier = b.client.current_url().await.unwrap().path().to_string();
    b.go(&format!("{dossier}/stap/4"), "stap-4").await;
    b.type_in("#risico", "Onduidelijk").await;
    b.type_in("#aard", "Lichamelijk").await;
    b.type_in("#ernst", "Zorgelijk").await;
    b.tick("#vraag1-ja").await;
    b.type_in("#vraag1_toelichting", "De blauwe plekken houden aan.")
        .await;
    b.tick("#vraag2-twijfel").await;
    b.type_in(
        "#vraag2_toelichting",
        "We weten niet of het thuis veilig is.",
    )
    .await;
    b.press(
        "form[action$='/aantekening'] button[type=submit]",
        "weging-twijfel",
    )
    .await;
    assert!(
        b.page_text()
            .await
            .contains("Melden nodig, nog niet gemeld"),
        "journey 6: the dossier says a report is due"
    );
    b.go(&format!("{dossier}/vastleggen/gesloten"), "sluiten")
        .await;
    b.tick("#reden-hulp_geslaagd").await;
    b.type_in("#toelichting", "De ouders werken goed mee.")
        .await;
    b.type_in("#monitoring", "De mentor volgt het kind.").await;
    b.press(
        "form[action$='/aantekening'] button[type=submit]",
        "sluiten-geweigerd",
    )
    .await;
    let text = b.page_text().await;
    assert!(
        text.contains("Melden bij Veilig Thuis is nodig"),
        "journey 6: closing refused"
    );
    assert!(
        text.contains("Controleer het formulier"),
        "journey 6: the message is on the form"
    );
    b.go(&format!("{dossier}/stap/5?soort=melding"), "melding")
        .await;
    b.date("datum", &today()).await;
    b.tick("#wijze-telefoon").await;
    b.type_in("#contact", "Mw. Kok").await;
    b.type_in(
        "#feiten",
        "Blauwe plekken, twijfel over de veiligheid thuis.",
    )
    .await;
    b.type_in("#afspraken", "School blijft het kind volgen.")
        .await;
    b.tick("#ontbrekende_grond-veiligheid").await;
    b.type_in(
        "#ontbrekende_stappen",
        "Een gesprek met de ouders kon het kind in gevaar brengen.",
    )
    .await;
    b.press("form[action$='/aantekening'] button[type=submit]", "gemeld")
        .await;
    assert!(
        !b.page_text()
            .await
            .contains("Melden nodig, nog niet gemeld"),
        "journey 6: the report meets the duty"
    );
    b.go(
        &format!("{dossier}/vastleggen/gesloten"),
        "sluiten-na-melding",
    )
    .await;
    b.tick("#reden-overdracht_na_melding").await;
    b.type_in("#toelichting", "Veilig Thuis heeft het overgenomen.")
        .await;
    b.press(
        "form[action$='/aantekening'] button[type=submit]",
        "sluiten-bevestigen",
    )
    .await;
    assert!(
        b.page_text().await.contains("Dossier sluiten?"),
        "journey 6: closing asks for confirmation"
    );
    // "Nee": back to the form, with the text still there; then close after all.
    b.press("button[name=terug]", "sluiten-terug").await;
    assert_eq!(
        b.el("#toelichting")
            .await
            .prop("value")
            .await
            .unwrap()
            .as_deref(),
        Some("Veilig Thuis heeft het overgenomen."),
        "journey 6: going back keeps what was typed"
    );
    b.press(
        "form[action$='/aantekening'] button[type=submit]",
        "sluiten-bevestigen-2",
    )
    .await;
    b.press("button[name=bevestigd]", "gesloten").await;
    assert!(
        b.page_text().await.contains("Het dossier is gesloten"),
        "journey 6: closed after the report"
    );
    b.logout().await;
}

fn today() -> String {
    meldcode::web::format::today_nl(Clock::system().unix()).to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn six_journeys_in_a_real_browser_with_no_accessibility_violations() {
    if std::env::var("MELDCODE_TEST_DATABASE_URL").is_ok_and(|u| !u.is_empty()) {
        skip("the journeys run once, in the SQLite pass; the PostgreSQL pass covers the store");
        return;
    }
    if !Path::new(CHROMIUM).exists() || !Path::new(CHROMEDRIVER).exists() {
        skip(
            "install Debian's chromium and chromium-driver (apt-get install chromium chromium-driver); .ci/run does",
        );
        return;
    }
    // Two TLS crypto back-ends are compiled in; WebDriver over loopback needs no TLS, but the
    // client library wants one chosen.
    let _ = rustls::crypto::ring::default_provider().install_default();
    if axe().is_none() {
        skip("axe-core could not be installed from npm");
        return;
    }
    let problems = run_journeys().await;
    println!(
        "browser journeys: screenshots in {}",
        target().join("browser-screenshots").display()
    );
    assert!(
        problems.is_empty(),
        "{} problem(s):\n{}",
        problems.len(),
        problems.join("\n")
    );
}
