//! The demo organisation: two schools and a user for every role, to log in with right away.
//! Names and addresses are invented; the `.example` domain can never reach a real mailbox.
//!
//! (Longer than ~600 lines: it is data, eight invented dossiers written out entry by entry.)

use crate::domain::ids::SchoolId;
use anyhow::bail;

use crate::auth::Passwords;
use crate::domain::access::Viewer;
use crate::domain::dossier::{Form, Route};
use crate::domain::entry::{Body, Kind};
use crate::domain::ids::DossierId;
use crate::domain::role::Role;
use crate::store::dossiers::{Added, DossierAccess, NewDossier, NewPupil, Purpose};
use crate::store::{Db, org, users};

/// The password of every demo user. Printed by `meldcode demo`: never use demo data for real work.
pub const PASSWORD: &str = "Meldcode-demo-2026";

pub struct Login {
    pub email: &'static str,
    pub roles: String,
}

const ORGANISATION: &str = "Stichting Voorbeeld Onderwijs";
const SCHOOLS: [&str; 2] = ["De Regenboog", "Het Kompas"];

/// (e-mail, name, school index, roles)
const USERS: [(&str, &str, usize, &[Role]); 6] = [
    (
        "leerkracht@regenboog.example",
        "Sanne de Boer",
        0,
        &[Role::Beroepskracht],
    ),
    (
        "af@regenboog.example",
        "Ahmed El Amrani",
        0,
        &[Role::Aandachtsfunctionaris],
    ),
    (
        "directie@regenboog.example",
        "Marleen Visser",
        0,
        &[Role::Directie],
    ),
    (
        "beheer@voorbeeld.example",
        "Tom Bakker",
        0,
        &[Role::Beheerder],
    ),
    (
        "leerkracht@kompas.example",
        "Kees Mulder",
        1,
        &[Role::Beroepskracht],
    ),
    // In a small school the director is often the aandachtsfunctionaris too.
    (
        "directie@kompas.example",
        "Fatma Yilmaz",
        1,
        &[Role::Aandachtsfunctionaris, Role::Directie],
    ),
];

/// Loads the demo organisation into an empty database.
pub async fn load(db: &Db, passwords: &Passwords, now: i64) -> anyhow::Result<Vec<Login>> {
    if db.organisation().await?.is_some() {
        bail!(
            "de database bevat al een organisatie; demo-gegevens gaan alleen in een lege database"
        );
    }
    // One hash serves every demo user: they share the published demo password anyway.
    let hash = passwords.hash(PASSWORD).await?;
    let mut tx = db.begin_write().await?;
    let (org_id, first) = org::create_organisation(&mut tx, ORGANISATION, SCHOOLS[0], now).await?;
    let second = org::insert_school(&mut *tx, org_id, SCHOOLS[1], now).await?;
    let school_ids = [first, second];
    let mut logins = Vec::new();
    for (email, name, school, roles) in USERS {
        let user_id = users::add_user(&mut *tx, org_id, email, name, Some(&hash), now).await?;
        for role in roles {
            users::grant_role(&mut *tx, user_id, school_ids[school], *role, now).await?;
        }
        let labels: Vec<&str> = roles.iter().map(|r| r.label()).collect();
        logins.push(Login {
            email,
            roles: format!("{} ({})", labels.join(" + "), SCHOOLS[school]),
        });
    }
    // The demo logs in with a published password and no phone: two-factor authentication is not
    // required here (a real organisation requires it for every role but beroepskracht).
    org::set_two_factor_roles(&mut *tx, org_id, "").await?;
    tx.commit().await?;
    db.ensure_data_keys().await?;
    // The customer's region: the melding and the emergency route name "Veilig Thuis Twente".
    if let Some(o) = db.organisation().await? {
        let numbers = org::Numbers {
            quiet_days: o.quiet(),
            veilig_thuis_region: "Twente".into(),
            veilig_thuis_phone: o.veilig_thuis_phone,
            emergency_phone: o.emergency_phone,
            inspector_phone: o.inspector_phone,
            training_interval_months: o.training_interval_months,
            retention_years: o.retention_years,
            // The demo shows the arrangement the meldcode asks for (section IV.b) filled in.
            support: crate::domain::conditions::Support::parse(
                "Spreken ouders of anderen u aan op hoe u de meldcode toepaste, dan neemt de \
                 directeur het gesprek met hen van u over. U hoeft zich niet alleen te verweren.\n\n\
                 Komt het tot een klacht, een tuchtzaak of een rechtszaak, dan regelt en betaalt \
                 de stichting juridisch advies en zo nodig een advocaat.",
                "Bestuurssecretariaat",
                "0548-000000",
            )
            .ok()
            .flatten(),
            two_factor_roles: o.two_factor_roles,
        };
        db.update_numbers(org_id, &numbers).await?;
    }
    dossiers(db, now).await?;
    duties(db, org_id, now).await?;
    Ok(logins)
}

/// Builds an entry body from pairs.
fn body(pairs: &[(&str, &str)]) -> Body {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

const DAY: i64 = 24 * 60 * 60;

/// A date `days` before `now`, as stored in entries.
fn days_ago(now: i64, days: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(now - days * DAY)
        .map(|t| t.date().to_string())
        .unwrap_or_default()
}

async fn viewer(db: &Db, email: &str) -> anyhow::Result<Viewer> {
    let id = db
        .credentials(email)
        .await?
        .map(|c| c.id)
        .ok_or_else(|| anyhow::anyhow!("demo user {email} missing"))?;
    let roles = db
        .roles(id)
        .await?
        .into_iter()
        .map(|r| (r.school_id, r.role))
        .collect();
    Ok(Viewer::of_session(id, roles, Vec::new()))
}

/// Demo dossiers, one in every step and route, with their history spread over the past weeks.
async fn dossiers(db: &Db, now: i64) -> anyhow::Result<()> {
    let org = db
        .organisation()
        .await?
        .ok_or_else(|| anyhow::anyhow!("no organisation"))?;
    let schools = db.schools(org.id).await?;
    let school = |name: &str| {
        schools
            .iter()
            .find(|s| s.name == name)
            .map_or(SchoolId::new(0), |s| s.id)
    };
    let (regenboog, kompas) = (school(SCHOOLS[0]), school(SCHOOLS[1]));
    let juf = viewer(db, "leerkracht@regenboog.example").await?;
    let af = viewer(db, "af@regenboog.example").await?;
    let meester = viewer(db, "leerkracht@kompas.example").await?;
    let kompas_directie = viewer(db, "directie@kompas.example").await?;

    let feit = |text: &str| body(&[("aard", "feit"), ("waarneming", text), ("bron", "eigen")]);
    // (school, pupil, date of birth, group, forms, first signal, route)
    let open = |school_id: SchoolId,
                name: &str,
                dob: &str,
                group: &str,
                forms: &[Form],
                first: Body,
                route: Route| NewDossier {
        school_id,
        pupil: NewPupil {
            name: name.into(),
            date_of_birth: crate::domain::entry::parse_date(dob),
            group_name: group.into(),
        },
        route,
        forms: forms.to_vec(),
        first_entry: Some((Kind::Signaal, first)),
        emergency: false,
    };
    let add = |access: &DossierAccess, kind: Kind, pairs: &[(&str, &str)], at: i64| {
        let b = body(pairs);
        let access = access.clone();
        async move {
            let write = access
                .write(kind)
                .ok_or_else(|| anyhow::anyhow!("demo entry not allowed: {kind:?}"))?;
            match db.add_entry(&write, &b, None, None, at).await? {
                Added::Recorded(id) => Ok(id),
                Added::Refused(why) => Err(anyhow::anyhow!("demo entry refused: {why:?}")),
            }
        }
    };
    let as_of = |v: &Viewer, id: DossierId| {
        let v = v.clone();
        async move {
            db.open_dossier(&v, id, Purpose::Write, now, None)
                .await?
                .ok_or_else(|| anyhow::anyhow!("demo access"))
        }
    };

    // Step 1: signals only, a fact and a hypothesis.
    let id = db.create_dossier(&juf, &open(regenboog, "Noah Jansen", "2017-05-12", "6", &[Form::Verwaarlozing], feit("Noah kwam deze week drie keer zonder ontbijt en zonder jas naar school, bij 4 graden."), Route::Stappenplan), now - 3 * DAY, None).await?;
    let d = as_of(&juf, id).await?;
    add(
        &d,
        Kind::Signaal,
        &[
            ("aard", "hypothese"),
            (
                "waarneming",
                "Misschien is er thuis weinig toezicht sinds moeder ziek is.",
            ),
            ("bron", "derde"),
            ("bron_wie", "Buurvrouw, moeder van een klasgenoot"),
        ],
        now - 2 * DAY,
    )
    .await?;

    // Steps 1 and 2.
    let id = db
        .create_dossier(
            &juf,
            &open(
                regenboog,
                "Emma de Vries",
                "2015-09-03",
                "8",
                &[Form::Psychisch, Form::GetuigeHuiselijkGeweld],
                feit("Emma zei in de kring: \"Papa schreeuwt elke avond en mama huilt dan.\""),
                Route::Stappenplan,
            ),
            now - 10 * DAY,
            None,
        )
        .await?;
    let d = as_of(&juf, id).await?;
    add(&d, Kind::Consultatie, &[("met", "aandachtsfunctionaris"), ("naam", "Ahmed El Amrani"), ("datum", &days_ago(now, 8)), ("vraag", "Hoe ga ik het gesprek met Emma en haar ouders aan?"), ("advies", "Eerst met Emma alleen praten, ouders daarna uitnodigen. Signalen blijven vastleggen.")], now - 8 * DAY).await?;

    // Steps 1 to 3.
    let id = db
        .create_dossier(
            &juf,
            &open(
                regenboog,
                "Sara Yilmaz",
                "2014-01-20",
                "8",
                &[Form::Lichamelijk],
                feit("Blauwe plekken op beide bovenarmen, gezien bij de gymles."),
                Route::Stappenplan,
            ),
            now - 14 * DAY,
            None,
        )
        .await?;
    let d = as_of(&juf, id).await?;
    add(
        &d,
        Kind::Consultatie,
        &[
            ("met", "aandachtsfunctionaris"),
            ("naam", "Ahmed El Amrani"),
            ("datum", &days_ago(now, 13)),
            ("vraag", "Wat nu?"),
            ("advies", "Gesprek met Sara en daarna met de ouders."),
        ],
        now - 13 * DAY,
    )
    .await?;
    add(
        &d,
        Kind::Gesprek,
        &[
            ("met", "leerling"),
            ("datum", &days_ago(now, 12)),
            (
                "doel",
                "Ik vertelde Sara dat ik me zorgen maak en daarom met haar praat.",
            ),
            ("feiten", "Ik zag de blauwe plekken bij gym."),
            (
                "reactie",
                "Sara zei dat ze van de fiets was gevallen en keek weg.",
            ),
            ("kind_alleen", "ja"),
            ("ouders_vooraf", "nee"),
            (
                "ouders_vooraf_waarom",
                "Sara vroeg uitdrukkelijk haar ouders niet te bellen; eerst advies gevraagd.",
            ),
        ],
        now - 12 * DAY,
    )
    .await?;

    // Steps 1 to 4.
    let id = db
        .create_dossier(
            &juf,
            &open(
                regenboog,
                "Daan Smit",
                "2019-02-14",
                "4",
                &[Form::Verwaarlozing],
                feit("Daan heeft al twee weken hoofdluis en dezelfde kleren aan."),
                Route::Stappenplan,
            ),
            now - 20 * DAY,
            None,
        )
        .await?;
    let d = as_of(&af, id).await?;
    add(
        &d,
        Kind::Consultatie,
        &[
            ("met", "zorgteam"),
            ("naam", "Zorg- en adviesteam De Regenboog"),
            ("datum", &days_ago(now, 18)),
            ("vraag", "Verwaarlozing?"),
            (
                "advies",
                "Ouders uitnodigen, hulp via schoolmaatschappelijk werk bespreken.",
            ),
        ],
        now - 18 * DAY,
    )
    .await?;
    add(&d, Kind::Gesprek, &[("met", "ouders"), ("datum", &days_ago(now, 16)), ("doel", "Zorgen delen over de verzorging van Daan."), ("feiten", "Hoofdluis, kleding, vermoeidheid."), ("reactie", "Moeder vertelde dat ze twee banen heeft en het niet redt; ze staat open voor hulp."), ("duiding", "Overbelasting van het gezin, geen onwil.")], now - 16 * DAY).await?;
    add(
        &d,
        Kind::Weging,
        &[
            ("risico", "Matig: verwaarlozing door overbelasting."),
            ("aard", "Lichamelijke verwaarlozing."),
            ("ernst", "Niet acuut."),
            ("vraag1", "ja"),
            ("vraag1_toelichting", "Signalen houden aan."),
            ("vraag2", "nee"),
            (
                "vraag2_toelichting",
                "Geen acute of structurele onveiligheid; moeder werkt mee.",
            ),
        ],
        now - 15 * DAY,
    )
    .await?;

    // Step 5 with a report: Veilig Thuis has not given feedback in 5 working days.
    let id = db.create_dossier(&juf, &open(regenboog, "Mila Peters", "2016-06-30", "7", &[Form::Lichamelijk, Form::GetuigeHuiselijkGeweld], feit("Mila vertelde dat haar vader haar moeder slaat en dat zij dan in de kast gaat zitten."), Route::Stappenplan), now - 21 * DAY, None).await?;
    let d = as_of(&af, id).await?;
    add(
        &d,
        Kind::Signaal,
        &[
            ("aard", "feit"),
            (
                "waarneming",
                "Mila vertelde het zelf, in tranen, na de pauze.",
            ),
            ("bron", "eigen"),
            ("onthulling", "ja"),
        ],
        now - 21 * DAY,
    )
    .await?;
    add(
        &d,
        Kind::Consultatie,
        &[
            ("met", "veilig_thuis"),
            ("naam", "Adviseur Veilig Thuis"),
            ("datum", &days_ago(now, 20)),
            ("vraag", "Anoniem: wat is wijs na deze onthulling?"),
            (
                "advies",
                "Melden; vooraf met de ouders bespreken als dat veilig kan.",
            ),
            ("anoniem", "ja"),
        ],
        now - 20 * DAY,
    )
    .await?;
    add(
        &d,
        Kind::GesprekOvergeslagen,
        &[
            ("reden", "veiligheid"),
            (
                "toelichting",
                "Een gesprek met vader kan de veiligheid van Mila en moeder in gevaar brengen.",
            ),
        ],
        now - 19 * DAY,
    )
    .await?;
    add(
        &d,
        Kind::Weging,
        &[
            ("risico", "Hoog."),
            ("aard", "Getuige van huiselijk geweld."),
            ("ernst", "Ernstig."),
            ("vraag1", "ja"),
            ("vraag1_toelichting", "Eigen verhaal van Mila."),
            ("vraag2", "ja"),
            ("vraag2_toelichting", "Structurele onveiligheid thuis."),
        ],
        now - 19 * DAY,
    )
    .await?;
    add(
        &d,
        Kind::Besluit,
        &[
            ("vraag2", "ja"),
            ("vraag2_toelichting", "Structurele onveiligheid: melden."),
        ],
        now - 18 * DAY,
    )
    .await?;
    add(
        &d,
        Kind::MeldgesprekOvergeslagen,
        &[
            ("reden", "veiligheid"),
            (
                "toelichting",
                "Contact met de ouders vooraf brengt Mila en moeder in gevaar.",
            ),
        ],
        now - 18 * DAY,
    )
    .await?;
    add(
        &d,
        Kind::Melding,
        &[
            ("datum", &days_ago(now, 14)),
            ("wijze", "telefoon"),
            ("contact", "Mw. Kok, Veilig Thuis Twente"),
            (
                "feiten",
                "Mila vertelde dat vader moeder slaat; zij verstopt zich dan.",
            ),
            (
                "afspraken",
                "School blijft Mila volgen en meldt nieuwe signalen direct.",
            ),
        ],
        now - 14 * DAY,
    )
    .await?;

    // A help plan whose review date has passed.
    let id = db
        .create_dossier(
            &juf,
            &open(
                regenboog,
                "Lucas Visser",
                "2018-11-02",
                "5",
                &[Form::Psychisch],
                feit("Lucas is sinds de scheiding van zijn ouders teruggetrokken en huilt vaak."),
                Route::Stappenplan,
            ),
            now - 60 * DAY,
            None,
        )
        .await?;
    let d = as_of(&af, id).await?;
    add(
        &d,
        Kind::Consultatie,
        &[
            ("met", "aandachtsfunctionaris"),
            ("naam", "Ahmed El Amrani"),
            ("datum", &days_ago(now, 58)),
            ("vraag", "Vechtscheiding?"),
            ("advies", "Ouders samen uitnodigen."),
        ],
        now - 58 * DAY,
    )
    .await?;
    add(
        &d,
        Kind::Gesprek,
        &[
            ("met", "ouders"),
            ("datum", &days_ago(now, 55)),
            ("doel", "Zorgen over Lucas delen."),
            ("feiten", "Teruggetrokken, huilt."),
            ("reactie", "Beide ouders schrokken en willen hulp."),
        ],
        now - 55 * DAY,
    )
    .await?;
    add(
        &d,
        Kind::Weging,
        &[
            ("risico", "Laag tot matig."),
            ("aard", "Psychisch: klem tussen ouders."),
            ("ernst", "Matig."),
            ("vraag1", "ja"),
            ("vraag1_toelichting", "Spanning door scheiding."),
            ("vraag2", "nee"),
            ("vraag2_toelichting", "Geen onveiligheid."),
        ],
        now - 54 * DAY,
    )
    .await?;
    add(
        &d,
        Kind::Besluit,
        &[
            ("vraag2", "nee"),
            ("vraag2_toelichting", "Niet nodig."),
            ("vraag3", "ja"),
            ("vraag3_toelichting", "Via het wijkteam."),
            ("vraag4", "ja"),
            ("vraag4_toelichting", "Ouders stemmen in."),
        ],
        now - 53 * DAY,
    )
    .await?;
    add(
        &d,
        Kind::Hulpplan,
        &[
            (
                "hulp",
                "Ouderbegeleiding via het wijkteam; gesprekken met de intern begeleider.",
            ),
            (
                "rollen",
                "Wijkteam begeleidt ouders; IB volgt Lucas in de klas.",
            ),
            ("casemanager", "Ahmed El Amrani"),
            ("termijn", &days_ago(now, 20)),
            ("evaluatiedatum", &days_ago(now, 5)),
        ],
        now - 52 * DAY,
    )
    .await?;

    // Closed: the suspicion proved unfounded.
    let id = db
        .create_dossier(
            &juf,
            &open(
                regenboog,
                "Finn de Graaf",
                "2016-03-08",
                "7",
                &[Form::Lichamelijk],
                feit("Schaafwonden op beide knieën en een blauw oog."),
                Route::Stappenplan,
            ),
            now - 40 * DAY,
            None,
        )
        .await?;
    let d = as_of(&af, id).await?;
    add(
        &d,
        Kind::Weging,
        &[
            ("risico", "Geen."),
            ("aard", "Sportblessure."),
            ("ernst", "Geen."),
            ("vraag1", "nee"),
            (
                "vraag1_toelichting",
                "Finn viel bij de voetbaltraining; de trainer bevestigde het.",
            ),
        ],
        now - 38 * DAY,
    )
    .await?;
    add(&d, Kind::Gesloten, &[("reden", "ongegrond"), ("toelichting", "De verwondingen kwamen van een val bij het voetbal; het vermoeden bleek ongegrond.")], now - 38 * DAY).await?;

    // Het Kompas: a signal about a staff member, handled by directie.
    let id = db.create_dossier(&meester, &open(kompas, "Julia Mulder", "2018-04-17", "5", &[Form::Seksueel], feit("Julia vertelde dat de gymleraar haar na de les alleen in het materiaalhok riep."), Route::Medewerker), now - 4 * DAY, None).await?;
    let d = as_of(&kompas_directie, id).await?;
    add(
        &d,
        Kind::Medewerkerplicht,
        &[
            ("plicht", "bestuur"),
            ("datum", &days_ago(now, 4)),
            ("toelichting", "Bestuurder telefonisch ingelicht."),
        ],
        now - 4 * DAY,
    )
    .await?;
    add(&d, Kind::Medewerkerplicht, &[("plicht", "inspecteur"), ("datum", &days_ago(now, 3)), ("redelijk_vermoeden", "ja"), ("toelichting", "Overleg met de vertrouwensinspecteur: advies om het gesprek met de ouders voor te bereiden.")], now - 3 * DAY).await?;
    Ok(())
}

/// The organisation's meldcode text (version 1), and some training records.
async fn duties(db: &Db, org_id: i64, now: i64) -> anyhow::Result<()> {
    let beheer = viewer(db, "beheer@voorbeeld.example").await?.user_id();
    db.publish_meldcode(org_id, MELDCODE_TEXT, beheer, now - 200 * DAY)
        .await?;
    for (email, title, days) in [
        (
            "af@regenboog.example",
            "Training aandachtsfunctionaris meldcode",
            120,
        ),
        (
            "leerkracht@regenboog.example",
            "Teamtraining signaleren",
            400,
        ),
        (
            "directie@kompas.example",
            "Training aandachtsfunctionaris meldcode",
            900,
        ),
    ] {
        let user = viewer(db, email).await?.user_id();
        db.add_training(
            org_id,
            user,
            title,
            &days_ago(now, days),
            beheer,
            now - days * DAY,
        )
        .await?;
    }
    Ok(())
}

const MELDCODE_TEXT: &str = "Meldcode huiselijk geweld en kindermishandeling van Stichting Voorbeeld Onderwijs (voorbeeldtekst).

Signaleert u huiselijk geweld of kindermishandeling, dan volgt u de vijf stappen van de meldcode. De volgorde is niet verplicht, maar voor een besluit over melden zijn alle stappen doorlopen.

Stap 1: breng de signalen in kaart. Leg feiten vast en noem een veronderstelling een veronderstelling.

Stap 2: overleg met de aandachtsfunctionaris van uw school, en vraag zo nodig anoniem advies aan Veilig Thuis (0800-2000).

Stap 3: ga in gesprek met de leerling en/of de ouders, tenzij de veiligheid dat niet toelaat.

Stap 4: weeg met het afwegingskader of er een vermoeden is en of er acute of structurele onveiligheid is.

Stap 5: beslis eerst of melden nodig is, en daarna of hulp bieden of organiseren (ook) mogelijk is.

Bij acuut gevaar belt u 112.";
