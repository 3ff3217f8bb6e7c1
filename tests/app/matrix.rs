//! The authorization matrix: every route, every role, own school and another school, own dossier
//! and someone else's. The matrix is data in one place, and a test checks that every route the
//! application defines has a row here (or a named reason why it is tested elsewhere): a new route
//! cannot be added without deciding who may use it.
//!
//! The same routes also get hostile input: markup, SQL, control characters, oversized and
//! malformed values and ids. Nothing may answer with a server error.

use meldcode::domain::ids::{DossierId, SchoolId, UserId};
use meldcode::domain::role::Role;

use crate::common::*;

/// Who asks, in the order of the expectation strings below.
const ACTORS: [&str; 9] = [
    "anon", "juf_a", "juf2_a", "af_a", "af_b", "dir_a", "beheer", "privacy", "waarn",
];

/// Expectations, one letter per actor:
/// O allowed (2xx, 3xx other than to the login page, 401, 422, or 429 from login throttling),
/// L sent to the login page, F 403, N 404.
/// `waarn` is a beroepskracht of school B whom the beheerder marked plaatsvervanger for school A
/// and af_a named deputy (waarnemer) from today (issue 18, domain::cover): through the cover they
/// act as the aandachtsfunctionaris of school A on its stappenplan dossiers and in the
/// workspace, and nowhere else (not the staff dossier, the inspection copy, naming a deputy,
/// directie's or the beheerder's pages).
/// Placeholders: {d} the dossier of school A opened by juf_a, {e} one of its entries, {u} a user
/// of the organisation, {s} school A, {me} the beheerder's own id, {y} this schooljaar, {c} a
/// planned cover at school A (af_b for af_a; af_a ends it).
const MATRIX: &[(&str, &str, &str, &str)] = &[
    // method, path, form body, expectations
    ("GET", "/", "", "LOOOOOOOO"),
    ("GET", "/login", "", "OOOOOOOOO"),
    (
        "POST",
        "/login",
        "email=x%40y.nl&password=verkeerd",
        "OOOOOOOOO",
    ),
    ("GET", "/login/code", "", "LOOOOOOOO"),
    ("POST", "/login/code", "code=000000", "LOOOOOOOO"),
    // Single sign-on: no provider is configured here (tests/app/oidc.rs drives a real one).
    ("POST", "/login/sso", "", "NOOOOOOOO"),
    ("GET", "/login/sso/terug?code=x&state=y", "", "OOOOOOOOO"),
    ("GET", "/start", "", "LOOOOOOOO"),
    ("GET", "/sessie/verlengen", "", "LOOOOOOOO"),
    ("GET", "/nood", "", "OOOOOOOOO"),
    ("GET", "/nood/melding", "", "LOOOOONNO"),
    ("POST", "/nood/melding", "", "LOOOOONNO"),
    ("GET", "/dossiers", "", "LOOOOONNO"),
    ("GET", "/dossiers/nieuw", "", "LOOOOONNO"),
    ("POST", "/dossiers/nieuw", "", "LOOOOONNO"),
    ("GET", "/dossiers/{d}", "", "LONONNNNO"),
    ("GET", "/dossiers/{d}/stap/1", "", "LONONNNNO"),
    ("GET", "/dossiers/{d}/stap/5", "", "LONONNNNO"),
    (
        "GET",
        "/dossiers/{d}/vastleggen/verwijsindex",
        "",
        "LONONNNNO",
    ),
    ("GET", "/dossiers/{d}/aanvullen/{e}", "", "LONONNNNO"),
    ("GET", "/dossiers/{d}/afdrukken", "", "LONONNNNO"),
    ("GET", "/dossiers/{d}/melding", "", "LONONNNNO"),
    // Actions: the aandachtsfunctionaris assigns; the opener sees the dossier but may not.
    ("GET", "/dossiers/{d}/acties/nieuw", "", "LFNONNNNO"),
    ("POST", "/dossiers/{d}/acties/nieuw", "", "LFNONNNNO"),
    // An action that does not exist (tests/app/actions.rs closes real ones).
    ("GET", "/dossiers/{d}/acties/999999", "", "LNNNNNNNN"),
    (
        "POST",
        "/dossiers/{d}/acties/999999",
        "uitkomst=gedaan",
        "LNNNNNNNN",
    ),
    (
        "POST",
        "/dossiers/{d}/aantekening",
        "soort=signaal",
        "LONONNNNO",
    ),
    // The risk level (issue 18): the aandachtsfunctionaris or the case manager, not the teacher.
    // The form is shown to the teacher saying that it is not hers to record (as for any kind).
    ("GET", "/dossiers/{d}/vastleggen/risico", "", "LONONNNNO"),
    (
        "POST",
        "/dossiers/{d}/aantekening",
        "soort=risico",
        "LFNONNNNO",
    ),
    (
        "POST",
        "/dossiers/{d}/overleg-vragen",
        "vraag=",
        "LONONNNNO",
    ),
    // Merging: the page says why not to anyone who may see both; only the coordinator can.
    ("GET", "/dossiers/{d}/samenvoegen?met={d}", "", "LONONNNNO"),
    ("POST", "/dossiers/{d}/samenvoegen", "met={d}", "LONONNNNO"),
    ("GET", "/dossiers/{d}/leerling", "", "LNNONNNNO"),
    // {m}: a dossier about a staff member (WPO art. 4a), opened by juf_a: directie, not the AF.
    ("GET", "/dossiers/{m}", "", "LONNNONNN"),
    ("GET", "/dossiers/{m}/stap/2", "", "LONNNONNN"),
    (
        "GET",
        "/dossiers/{m}/vastleggen/medewerkerplicht?verzoek=1",
        "",
        "LONNNONNN",
    ),
    (
        "POST",
        "/dossiers/{m}/aantekening",
        "soort=medewerkerplicht&plicht=aangifte",
        "LFNNNONNN",
    ),
    (
        "POST",
        "/dossiers/{m}/aantekening",
        "soort=gesloten&reden=ongegrond",
        "LFNNNONNN",
    ),
    (
        "POST",
        "/dossiers/{m}/overleg-vragen",
        "vraag=",
        "LONNNONNN",
    ),
    ("POST", "/dossiers/{d}/collega", "collega=", "LFNONNNNO"),
    (
        "POST",
        "/dossiers/{d}/collega/verwijderen",
        "collega=0",
        "LFNNNNNNN",
    ),
    ("GET", "/dossiers/{d}/overdragen", "", "LFNONNNNO"),
    ("POST", "/dossiers/{d}/overdragen", "school=", "LFNONNNNO"),
    ("GET", "/dossiers/{d}/toegang", "", "LFNONNNNO"),
    ("GET", "/dossiers/{d}/bestaat-niet", "", "LNNNNNNNN"),
    ("POST", "/dossiers/{d}/bestaat-niet", "", "LNNNNNNNN"),
    (
        "POST",
        "/werkruimte/overdracht/999999/accepteren",
        "",
        "LNNNNNNNN",
    ),
    ("GET", "/werkruimte", "", "LFFOOFNNO"),
    // Cover during absence (issue 18): an aandachtsfunctionaris by their own role names a deputy
    // and ends a cover of their own school; a deputy names none. af_b is aandachtsfunctionaris,
    // but not of school A: ending its cover is refused. The empty form comes back (422).
    ("GET", "/werkruimte/waarneming", "", "LFFOOFNNF"),
    ("POST", "/werkruimte/waarneming", "waarnemer=", "LFFOOFNNF"),
    (
        "POST",
        "/werkruimte/waarneming/{c}/beeindigen",
        "",
        "LFFOFFNNF",
    ),
    (
        "POST",
        "/werkruimte/waarneming/999999/beeindigen",
        "",
        "LFFNNFNNF",
    ),
    // The inspection's gate answers before the pupil is looked up: every dossier worker who is no
    // aandachtsfunctionaris is refused alike (403), whether or not they know the pupil.
    ("GET", "/leerlingen/{p}/inzage", "", "LFFONFNNF"),
    // The review before the copy: the same gate. An aandachtsfunctionaris of another school who
    // names an entry of this pupil finds nothing (the dossier's own decision); af_a's empty
    // reason comes back as the form with its message (422), and redaction 0 does not exist.
    ("GET", "/leerlingen/{p}/inzage/beoordelen", "", "LFFONFNNF"),
    (
        "POST",
        "/leerlingen/{p}/inzage/beoordelen",
        "aantekening={e}&deel=heel&reden=&toelichting=",
        "LFFONFNNF",
    ),
    (
        "POST",
        "/leerlingen/{p}/inzage/beoordelen/intrekken",
        "weglating=0",
        "LFFNNFNNF",
    ),
    ("GET", "/evaluatie", "", "LFFFFOFFF"),
    ("GET", "/evaluatie/csv?tabel=vormen", "", "LFFFFOFFF"),
    ("GET", "/evaluatie/jaar", "", "LFFFFOFFF"),
    (
        "POST",
        "/evaluatie/jaar",
        "jaar={y}&evaluatie=",
        "LFFFFOFFF",
    ),
    ("GET", "/account", "", "LOOOOOOOO"),
    // How often one is e-mailed (issue 18): every logged-in user, for their own account.
    ("GET", "/account/meldingen", "", "LOOOOOOOO"),
    (
        "POST",
        "/account/meldingen",
        "nieuw_dossier=dagelijks",
        "LOOOOOOOO",
    ),
    (
        "POST",
        "/account/meldingen",
        "noodmelding=wekelijks",
        "LOOOOOOOO",
    ),
    ("POST", "/account/wachtwoord", "", "LOOOOOOOO"),
    (
        "POST",
        "/account/sessie/beeindigen",
        "sessie=onbekend",
        "LNNNNNNNN",
    ),
    ("POST", "/account/pogingen-gezien", "", "LOOOOOOOO"),
    ("GET", "/account/tweestaps", "", "LOOOOOOOO"),
    ("POST", "/account/tweestaps", "code=000000", "LOOOOOOOO"),
    (
        "POST",
        "/account/tweestaps/herstelcodes",
        "password=fout",
        "LOOOOOOOO",
    ),
    (
        "POST",
        "/account/tweestaps/uit",
        "password=fout",
        "LOOOOOOOO",
    ),
    ("GET", "/bevestigen?terug=/start", "", "LOOOOOOOO"),
    (
        "POST",
        "/bevestigen",
        "password=fout&terug=/start",
        "LOOOOOOOO",
    ),
    ("GET", "/meldcode", "", "LOOOOOOOO"),
    ("POST", "/meldcode/gelezen", "versie=", "LOOOOOOOO"),
    ("GET", "/organisatie", "", "LFFFFOOFF"),
    ("POST", "/organisatie/training", "", "LFFFFOOFF"),
    ("GET", "/privacy", "", "LFFFFFFOF"),
    ("GET", "/beheer", "", "LFFFFFOFF"),
    ("GET", "/beheer/organisatie", "", "LFFFFFOFF"),
    ("POST", "/beheer/organisatie", "", "LFFFFFOFF"),
    ("GET", "/beheer/signalen", "", "LFFFFFOFF"),
    ("POST", "/beheer/signalen", "band=4-12&lijst=", "LFFFFFOFF"),
    ("POST", "/beheer/signalen/standaard", "band=", "LFFFFFNFF"),
    ("GET", "/beheer/sso", "", "LFFFFFOFF"),
    (
        "POST",
        "/beheer/sso",
        "aanbieder=anders&issuer=",
        "LFFFFFOFF",
    ),
    ("POST", "/beheer/sso/verwijderen", "", "LFFFFFOFF"),
    ("GET", "/beheer/meldcode", "", "LFFFFFOFF"),
    ("POST", "/beheer/meldcode", "tekst=", "LFFFFFOFF"),
    ("POST", "/beheer/scholen", "naam=", "LFFFFFOFF"),
    ("GET", "/beheer/scholen/{s}", "", "LFFFFFOFF"),
    ("GET", "/beheer/scholen/{s}/inlezen", "", "LFFFFFOFF"),
    ("POST", "/beheer/scholen/{s}/inlezen", "", "LFFFFFOFF"),
    ("GET", "/beheer/inlezen/sjabloon.csv", "", "LFFFFFOFF"),
    (
        "POST",
        "/beheer/scholen/{s}/aandachtsfunctionaris",
        "gebruiker=",
        "LFFFFFOFF",
    ),
    ("GET", "/beheer/gebruikers/nieuw", "", "LFFFFFOFF"),
    ("POST", "/beheer/gebruikers/nieuw", "", "LFFFFFOFF"),
    ("GET", "/beheer/gebruikers/{u}", "", "LFFFFFOFF"),
    (
        "POST",
        "/beheer/gebruikers/{u}/rol-toevoegen",
        "",
        "LFFFFFOFF",
    ),
    (
        "POST",
        "/beheer/gebruikers/{u}/rol-intrekken",
        "rol=geen",
        "LFFFFFNFF",
    ),
    // The beheerder marks who may be named deputy for a school (issue 18): no school chosen
    // comes back with its message (422); withdrawing a mark at no school is not found.
    (
        "POST",
        "/beheer/gebruikers/{u}/plaatsvervanger",
        "school=",
        "LFFFFFOFF",
    ),
    (
        "POST",
        "/beheer/gebruikers/{u}/plaatsvervanger-intrekken",
        "school=",
        "LFFFFFNFF",
    ),
    ("GET", "/beheer/gebruikers/{u}/deactiveren", "", "LFFFFFOFF"),
    (
        "POST",
        "/beheer/gebruikers/{me}/deactiveren",
        "",
        "LFFFFFOFF",
    ),
    (
        "POST",
        "/beheer/gebruikers/{u}/heractiveren",
        "",
        "LFFFFFOFF",
    ),
    (
        "POST",
        "/beheer/gebruikers/{u}/nieuwe-link",
        "",
        "LFFFFFOFF",
    ),
    (
        "POST",
        "/beheer/gebruikers/{u}/link-mailen",
        "token=x",
        "LFFFFFNFF",
    ),
    (
        "POST",
        "/beheer/gebruikers/{u}/tweestaps-herstellen",
        "",
        "LFFFFFOFF",
    ),
];

/// Routes tested elsewhere, with the reason.
const ELSEWHERE: &[(&str, &str)] = &[
    ("/logout", "ends the session itself: auth.rs"),
    ("/setup/{token}", "a one-time link: setup.rs"),
    ("/activeren/{token}", "a one-time link: setup.rs"),
    ("/healthz", "public, for machines: security.rs"),
    ("/static/style.css", "public file: security.rs"),
    ("/static/favicon.svg", "public file: security.rs"),
    ("/static/app.js", "public file: security.rs"),
];

/// The paths and methods the application's router defines, read from its source.
fn defined_routes() -> Vec<(String, Vec<&'static str>)> {
    // Every file under src/web, folders included.
    let mut files = Vec::new();
    let mut dirs = vec![std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/web")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else {
                files.push(path);
            }
        }
    }
    let mut routes = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(file).unwrap();
        let mut rest = text.as_str();
        while let Some(i) = rest.find(".route(") {
            rest = &rest[i + ".route(".len()..];
            let start = rest.find('"').unwrap() + 1;
            let end = start + rest[start..].find('"').unwrap();
            let path = rest[start..end].to_string();
            // The handlers: up to the parenthesis that closes `.route(`.
            let mut depth = 1;
            let mut close = end;
            for (j, c) in rest[end..].char_indices() {
                match c {
                    '(' => depth += 1,
                    ')' => depth -= 1,
                    _ => {}
                }
                if depth == 0 {
                    close = end + j;
                    break;
                }
            }
            let handlers = &rest[end..close];
            let mut methods = Vec::new();
            if handlers.contains("get(") {
                methods.push("GET");
            }
            if handlers.contains("post(") {
                methods.push("POST");
            }
            routes.push((path, methods));
        }
    }
    routes
}

/// Whether a matrix path (with placeholders filled in or not) is an instance of a route pattern.
fn matches(pattern: &str, path: &str) -> bool {
    let path = path.split('?').next().unwrap();
    let (p, q): (Vec<&str>, Vec<&str>) = (pattern.split('/').collect(), path.split('/').collect());
    if pattern.contains("{*") {
        let fixed = p.len() - 1;
        return q.len() > fixed
            && p[..fixed]
                .iter()
                .zip(&q)
                .all(|(a, b)| a.starts_with('{') || a == b);
    }
    p.len() == q.len() && p.iter().zip(&q).all(|(a, b)| a.starts_with('{') || a == b)
}

#[test]
fn every_route_of_the_application_has_a_row_in_the_matrix() {
    for (route, methods) in defined_routes() {
        if ELSEWHERE.iter().any(|(p, _)| *p == route) {
            continue;
        }
        for method in methods {
            let covered = MATRIX
                .iter()
                .any(|(m, p, _, _)| *m == method && matches(&route, p));
            assert!(
                covered,
                "no row in the authorization matrix for {method} {route}"
            );
        }
    }
}

struct World {
    app: TestApp,
    clients: Vec<reqwest::Client>,
    d: DossierId,
    m: i64,
    e: i64,
    u: UserId,
    me: UserId,
    p: i64,
    /// School A.
    s: SchoolId,
    /// A planned cover at school A.
    c: i64,
}

async fn world() -> World {
    let app = spawn_app().await;
    let org = app.seed_org().await;
    let (a, b) = (org.school_a, org.school_b);
    let users: [(&str, &[(Role, SchoolId)]); 8] = [
        ("juf_a@s.nl", &[(Role::Beroepskracht, a)]),
        ("juf2_a@s.nl", &[(Role::Beroepskracht, a)]),
        ("af_a@s.nl", &[(Role::Aandachtsfunctionaris, a)]),
        ("af_b@s.nl", &[(Role::Aandachtsfunctionaris, b)]),
        ("dir_a@s.nl", &[(Role::Directie, a)]),
        ("beheer@s.nl", &[(Role::Beheerder, a)]),
        ("privacy@s.nl", &[(Role::Privacy, a)]),
        ("waarn@s.nl", &[(Role::Beroepskracht, b)]),
    ];
    let mut ids = Vec::new();
    let mut clients = vec![client()];
    for (email, roles) in users {
        ids.push(app.add_user(&org, email, roles).await);
        let c = client();
        assert_eq!(app.login_with(&c, email, PASSWORD).await.status(), 303);
        clients.push(c);
    }
    let d = open_dossier_at(&app, &clients[1], a, "Matrix Kind", "psychisch").await;
    let school = a.to_string();
    let res = app
        .post_with(
            &clients[1],
            "/dossiers/nieuw",
            &[
                ("leerling", "nieuw"),
                ("school", &school),
                ("naam", "Matrix Medewerker"),
                ("geboortedatum", "2016-04-01"),
                ("medewerker", "ja"),
                ("vormen", "seksueel"),
                ("aard", "feit"),
                ("waarneming", "Signaal over een medewerker"),
                ("bron", "eigen"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303, "staff dossier opened");
    let m: i64 = location(&res)
        .trim_start_matches("/dossiers/")
        .split('?')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let e: i64 = sqlx::query_as::<_, (i64,)>("SELECT MAX(id) FROM entries WHERE dossier_id = $1")
        .bind(d)
        .fetch_one(app.db.pool_for_tests())
        .await
        .unwrap()
        .0;
    app.db
        .publish_meldcode(org.id, "Meldcode", ids[5], app.clock.unix())
        .await
        .unwrap();
    let p: i64 = sqlx::query_as::<_, (i64,)>("SELECT pupil_id FROM dossiers WHERE id = $1")
        .bind(d)
        .fetch_one(app.db.pool_for_tests())
        .await
        .unwrap()
        .0;
    // The deputy: marked by the beheerder for school A, named by af_a from today for a week
    // (after logging in: the cover counts from the next request). And a planned cover of af_b.
    let school = a.to_string();
    let res = app
        .post_with(
            &clients[6],
            &format!("/beheer/gebruikers/{}/plaatsvervanger", ids[7]),
            &[("school", &school)],
        )
        .await;
    assert_eq!(res.status(), 303, "deputy marked");
    let today = meldcode::web::format::today_nl(app.clock.unix());
    let day = |n: i64| (today + time::Duration::days(n)).to_string();
    for (deputy, from, until) in [(ids[7], day(0), day(7)), (ids[3], day(1), day(8))] {
        let deputy = deputy.to_string();
        let res = app
            .post_with(
                &clients[3],
                "/werkruimte/waarneming",
                &[("waarnemer", &deputy), ("van", &from), ("tot", &until)],
            )
            .await;
        assert_eq!(res.status(), 303, "cover named");
    }
    let c: i64 = sqlx::query_as::<_, (i64,)>("SELECT id FROM covers WHERE deputy_id = $1")
        .bind(ids[3])
        .fetch_one(app.db.pool_for_tests())
        .await
        .unwrap()
        .0;
    World {
        c,
        app,
        clients,
        d,
        m,
        e,
        u: ids[1],
        me: ids[5],
        p,
        s: a,
    }
}

fn fill(w: &World, s: &str) -> String {
    let year = meldcode::domain::period::schooljaar_of(meldcode::web::format::today_nl(
        w.app.clock.unix(),
    ))
    .to_string();
    s.replace("{d}", &w.d.to_string())
        .replace("{m}", &w.m.to_string())
        .replace("{e}", &w.e.to_string())
        .replace("{u}", &w.u.to_string())
        .replace("{me}", &w.me.to_string())
        .replace("{p}", &w.p.to_string())
        .replace("{s}", &w.s.to_string())
        .replace("{c}", &w.c.to_string())
        .replace("{y}", &year)
}

/// Sends a request as a browser on our own page would: with the session's form token.
async fn send(
    w: &World,
    client: &reqwest::Client,
    method: &str,
    path: &str,
    body: &str,
) -> reqwest::Response {
    if method == "GET" {
        return client.get(w.app.url(path)).send().await.unwrap();
    }
    let token = w.app.token_with(client).await;
    let body = if body.is_empty() {
        format!("_csrf={token}")
    } else {
        format!("_csrf={token}&{body}")
    };
    client
        .post(w.app.url(path))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .unwrap()
}

fn verdict(res: &reqwest::Response) -> char {
    let status = res.status().as_u16();
    match status {
        403 => 'F',
        404 => 'N',
        303 | 302 | 307 if location(res).starts_with("/login") => 'L',
        200..=399 | 401 | 422 | 429 => 'O',
        other => panic!("unexpected status {other}"),
    }
}

#[tokio::test]
async fn every_route_answers_every_role_as_the_matrix_says() {
    let w = world().await;
    let mut failures = Vec::new();
    for (method, path, body, expected) in MATRIX {
        let path = fill(&w, path);
        let body = fill(&w, body);
        for (i, want) in expected.chars().enumerate() {
            let res = send(&w, &w.clients[i], method, &path, &body).await;
            let got = verdict(&res);
            if got != want {
                failures.push(format!(
                    "{method} {path} as {}: expected {want}, got {got} ({})",
                    ACTORS[i],
                    res.status()
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "authorization matrix:\n{}",
        failures.join("\n")
    );
}

/// Values that have broken web applications before.
const HOSTILE: &[&str] = &[
    "<script>alert(1)</script>",
    "\"><img src=x onerror=alert(1)>",
    "' OR '1'='1'; DROP TABLE users; --",
    "%00%01%02\u{7}\u{1b}[31m",
    "2026-02-31",
    "99999999999999999999999",
    "-1",
    "../../etc/passwd",
    "\u{202e}gnp.exe",
    "ÿ\u{fffd}\u{10ffff}",
];

#[tokio::test]
async fn hostile_input_on_every_route_gets_no_server_error_and_no_script_is_stored() {
    let w = world().await;
    let fields = [
        "naam",
        "email",
        "school",
        "rol",
        "leerling",
        "geboortedatum",
        "groep",
        "vormen",
        "medewerker",
        "aard",
        "waarneming",
        "bron",
        "bron_wie",
        "soort",
        "verwijst_naar",
        "verzoek",
        "datum",
        "met",
        "vraag",
        "advies",
        "reden",
        "toelichting",
        "tekst",
        "collega",
        "band",
        "lijst",
        "veilig_thuis",
        "nood",
        "inspectie",
        "training",
        "regio",
        "evaluatie",
        "acties",
        "jaar",
        "gebruiker",
        "titel",
        "versie",
        "gebeld",
        "wat",
        "signalen",
        "aantekening",
        "deel",
        "weglating",
        "waarnemer",
        "van",
        "tot",
    ];
    let mut failures = Vec::new();
    for (method, path, _, _) in MATRIX {
        for hostile in HOSTILE {
            // Hostile values in every field, and in the ids of the path.
            let body: String = serde_urlencoded::to_string(
                fields.iter().map(|f| (*f, *hostile)).collect::<Vec<_>>(),
            )
            .unwrap();
            let encoded = hostile
                .replace('%', "%25")
                .replace('/', "%2F")
                .replace('?', "%3F")
                .replace('#', "%23")
                .replace(' ', "%20");
            let hostile_path = fill(&w, path).replace(&w.d.to_string(), &encoded);
            for path in [fill(&w, path), hostile_path] {
                for actor in [3, 6, 1] {
                    let res = send(&w, &w.clients[actor], method, &path, &body).await;
                    if res.status().is_server_error() {
                        failures.push(format!(
                            "{method} {path} as {}: {}",
                            ACTORS[actor],
                            res.status()
                        ));
                    }
                }
            }
        }
    }
    // A form far over the size limit, and bytes that are not UTF-8.
    let token = w.app.token_with(&w.clients[3]).await;
    for body in [
        format!("_csrf={token}&tekst={}", "x".repeat(400_000)),
        format!("_csrf={token}&waarneming=%FF%FE%FD&aard=feit"),
    ] {
        let res = w.clients[3]
            .post(w.app.url(&format!("/dossiers/{}/aantekening", w.d)))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .unwrap();
        if res.status().is_server_error() {
            failures.push(format!("oversized or malformed body: {}", res.status()));
        }
    }
    assert!(
        failures.is_empty(),
        "server errors:\n{}",
        failures.join("\n")
    );

    // Whatever was stored is shown as text, never as markup that runs.
    for (actor, path) in [
        (3, format!("/dossiers/{}", w.d)),
        (6, "/beheer".to_string()),
        (6, "/beheer/signalen".to_string()),
    ] {
        let page = w.clients[actor]
            .get(w.app.url(&path))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(!page.contains("<script>alert"), "{path}");
        assert!(!page.contains("<img src=x"), "{path}");
    }
}
