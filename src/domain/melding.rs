//! The melding: a report to Veilig Thuis prepared from the dossier, in the order of the sections
//! Veilig Thuis's reporting forms have (meldcode, melder, betrokkenen, melding, ondersteunend
//! netwerk, overige informatie, afronden). Veilig Thuis is regional and has no API: the reporter
//! reads this out on the phone, or copies each section into the region's web form.
//!
//! DOMAIN.md, step 5: stick to facts and events, say which information comes from others, mark a
//! hypothesis as one, agree with Veilig Thuis what the school keeps doing, and discuss the report
//! with the family first unless one of the two lawful reasons applies (record which). Every line
//! here comes from what the dossier holds; what it does not hold yet is named as still to do
//! ([`Item::Missing`]), never filled in.
//!
//! Pure: the page gives it the dossier's entries (oldest first) and the people around it.

use time::Date;

use super::dates::date_nl;
use super::dossier::{ReportConversationWith, age_on};
use super::entry::{Body, Kind, keys, shown_field};

/// The reminder shown above every melding: what is reported may later be read by the family.
pub const READ_LATER: &str = "Ouders, en leerlingen vanaf 12 jaar, hebben recht op inzage: zij kunnen later lezen wat u meldde. Schrijf daarom alleen feiten en gebeurtenissen op, zeg van wie informatie komt, en noem een veronderstelling een veronderstelling.";

/// One entry of the dossier, as the melding reads it.
pub struct Source<'a> {
    pub id: i64,
    pub kind: Kind,
    pub body: &'a Body,
    pub author: &'a str,
    /// The entry it follows up (a correction, a hypothesis confirmed or refuted).
    pub refers_to: Option<i64>,
    /// The day it was recorded (Dutch local date).
    pub recorded: Date,
}

/// Who reports, and to which Veilig Thuis.
pub struct Parties<'a> {
    pub school: &'a str,
    pub reporter: &'a str,
    /// The reporter's function at the school ("aandachtsfunctionaris").
    pub reporter_role: &'a str,
    pub reporter_email: &'a str,
    pub pupil: &'a str,
    pub date_of_birth: Option<Date>,
    /// "groep 7", or empty.
    pub group: &'a str,
    /// The forms of violence the dossier is about, by their labels.
    pub forms: &'a [&'static str],
    /// The organisation's Veilig Thuis by name: "Veilig Thuis Twente".
    pub veilig_thuis: &'a str,
    pub veilig_thuis_phone: &'a str,
    pub today: Date,
}

/// One line of a section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Item {
    /// A labelled statement from the dossier.
    Line { label: String, text: String },
    /// A statement that is a hypothesis, not a fact: always shown as one.
    Hypothesis { label: String, text: String },
    /// Something the report needs that the dossier does not hold (yet): what to do about it.
    Missing(String),
}

impl Item {
    fn line(label: impl Into<String>, text: impl Into<String>) -> Item {
        Item::Line {
            label: label.into(),
            text: text.into(),
        }
    }

    /// What the line is about; "Nog aanvullen" for something still to do.
    pub fn label(&self) -> &str {
        match self {
            Item::Line { label, .. } | Item::Hypothesis { label, .. } => label,
            Item::Missing(_) => "Nog aanvullen",
        }
    }

    pub fn text(&self) -> &str {
        match self {
            Item::Line { text, .. } | Item::Hypothesis { text, .. } | Item::Missing(text) => text,
        }
    }

    pub fn is_hypothesis(&self) -> bool {
        matches!(self, Item::Hypothesis { .. })
    }

    pub fn is_missing(&self) -> bool {
        matches!(self, Item::Missing(_))
    }

    /// The item as plain text, as it is copied into Veilig Thuis's form.
    pub fn plain(&self) -> String {
        match self {
            Item::Line { label, text } => format!("{label}: {text}"),
            Item::Hypothesis { label, text } => {
                format!("{label}: (veronderstelling, geen vastgesteld feit) {text}")
            }
            Item::Missing(text) => format!("[nog aanvullen] {text}"),
        }
    }
}

/// One section of Veilig Thuis's form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    /// The anchor on the page: "melder".
    pub id: &'static str,
    pub title: &'static str,
    pub items: Vec<Item>,
}

impl Section {
    /// The section as plain text, a paragraph per item: what the reporter copies.
    pub fn plain(&self) -> String {
        self.items
            .iter()
            .map(Item::plain)
            .collect::<Vec<_>>()
            .join("\n\n")
    }

    pub fn missing(&self) -> usize {
        self.items
            .iter()
            .filter(|i| matches!(i, Item::Missing(_)))
            .count()
    }
}

/// The report in Veilig Thuis's order, and whether (and when) it was made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Melding {
    pub sections: Vec<Section>,
    /// The date of the recorded report, when there is one.
    pub reported_on: Option<String>,
}

impl Melding {
    /// How many things the report still needs, over all sections.
    pub fn missing(&self) -> usize {
        self.sections.iter().map(Section::missing).sum()
    }
}

fn get<'a>(s: &'a Source<'_>, key: &str) -> &'a str {
    s.body.get(key).map_or("", String::as_str).trim()
}

fn shown(s: &Source<'_>, key: &str) -> String {
    shown_field(s.kind, key, s.body).unwrap_or_default()
}

/// Text as a sentence: ending in a full stop unless it ends in one already (or in ? or !).
fn sentence(text: &str) -> String {
    let t = text.trim();
    match t.chars().last() {
        None => String::new(),
        Some('.' | '?' | '!' | ':') => t.to_string(),
        Some(_) => format!("{t}."),
    }
}

/// Sentences joined into one paragraph; empty parts left out.
fn sentences(parts: &[&str]) -> String {
    parts
        .iter()
        .map(|p| sentence(p))
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// A stored `YYYY-MM-DD` as Dutch text, or the recording day when the entry has no date.
fn when(s: &Source<'_>) -> String {
    super::entry::parse_date(get(s, keys::DATUM)).map_or_else(|| date_nl(s.recorded), date_nl)
}

fn of<'a, 'b>(entries: &'a [Source<'b>], kind: Kind) -> impl Iterator<Item = &'a Source<'b>> {
    entries.iter().filter(move |e| e.kind == kind)
}

/// With whom a conversation was held, as a sentence reads it.
fn with_whom(s: &Source<'_>) -> &'static str {
    match get(s, keys::MET) {
        "leerling" => "de leerling",
        "ouders" => "de ouder(s)",
        "leerling_en_ouders" => "de leerling en de ouder(s)",
        _ => "",
    }
}

/// The melding, prepared from the dossier: `entries` oldest first.
pub fn prepare(p: &Parties<'_>, entries: &[Source<'_>]) -> Melding {
    let report = of(entries, Kind::Melding).last();
    Melding {
        sections: vec![
            meldcode(entries, report),
            melder(p, report),
            betrokkenen(p, entries),
            melding(p, entries),
            network(entries, report),
            family(p, entries),
            finish(p, report),
        ],
        reported_on: report.map(when),
    }
}

/// "Meldcode": that the school works with it, and which steps it went through.
fn meldcode(entries: &[Source<'_>], report: Option<&Source<'_>>) -> Section {
    let mut items = vec![Item::line(
        "Werkwijze",
        "De school werkt met de meldcode huiselijk geweld en kindermishandeling en het afwegingskader.",
    )];
    let steps: [(&str, &[Kind]); 4] = [
        ("Stap 1, signalen in kaart brengen", &[Kind::Signaal]),
        ("Stap 2, collegiale consultatie", &[Kind::Consultatie]),
        (
            "Stap 3, gesprek met de leerling en/of de ouders",
            &[Kind::Gesprek, Kind::GesprekOvergeslagen],
        ),
        ("Stap 4, wegen", &[Kind::Weging]),
    ];
    let mut missing = Vec::new();
    for (title, kinds) in steps {
        let done: Vec<&Source<'_>> = entries.iter().filter(|e| kinds.contains(&e.kind)).collect();
        match (done.first(), done.last()) {
            (Some(first), Some(last)) if first.recorded != last.recorded => items.push(Item::line(
                title,
                format!(
                    "doorlopen ({} aantekeningen, van {} tot {})",
                    done.len(),
                    date_nl(first.recorded),
                    date_nl(last.recorded)
                ),
            )),
            (Some(first), _) if done.len() > 1 => items.push(Item::line(
                title,
                format!(
                    "doorlopen op {} ({} aantekeningen)",
                    date_nl(first.recorded),
                    done.len()
                ),
            )),
            (Some(only), _) => items.push(Item::line(
                title,
                format!("doorlopen op {}", date_nl(only.recorded)),
            )),
            _ => missing.push(title),
        }
    }
    for title in &missing {
        items.push(Item::line(*title, "niet doorlopen"));
    }
    if !missing.is_empty() {
        let ground = report.map(|r| shown(r, keys::ONTBREKENDE_GROND));
        match ground.filter(|g| !g.is_empty()) {
            Some(g) => {
                let r = report.expect("a ground comes from the report");
                items.push(Item::line(
                    "Waarom niet alle stappen",
                    sentences(&[&g, get(r, keys::ONTBREKENDE_STAPPEN)]),
                ));
            }
            None => items.push(Item::Missing(
                "Niet alle stappen zijn doorlopen. Doorloop ze eerst, of leg bij de melding vast waarom u niet kon wachten."
                    .into(),
            )),
        }
    }
    Section {
        id: "meldcode",
        title: "Meldcode",
        items,
    }
}

/// "Melder": the school and the reporter, and whether the family may know who reported.
fn melder(p: &Parties<'_>, report: Option<&Source<'_>>) -> Section {
    let mut items = vec![
        Item::line("School", p.school),
        Item::line("Melder", format!("{}, {}", p.reporter, p.reporter_role)),
        Item::line("Bereikbaar via", p.reporter_email),
    ];
    match report {
        Some(r) if !get(r, keys::ANONIEM).is_empty() => items.push(Item::line(
            "Anoniem tegenover het gezin",
            match shown(r, keys::ANONIEM_GROND) {
                g if g.is_empty() => "ja".to_string(),
                g => format!("ja, omdat: {g}"),
            },
        )),
        _ => items.push(Item::line(
            "Bekendheid tegenover het gezin",
            "Het gezin mag weten dat de school meldde (open, tenzij). Anoniem blijven kan alleen als bekendmaking de leerling, andere kinderen of uzelf bedreigt, of de vertrouwensrelatie ernstig verstoort; leg dat dan vast bij de melding.",
        )),
    }
    Section {
        id: "melder",
        title: "Melder",
        items,
    }
}

/// "Betrokkenen": the pupil; the parents as the dossier records them.
fn betrokkenen(p: &Parties<'_>, entries: &[Source<'_>]) -> Section {
    let mut items = vec![Item::line("Leerling", p.pupil)];
    match p.date_of_birth {
        Some(d) => items.push(Item::line(
            "Geboortedatum",
            format!("{} ({} jaar)", date_nl(d), age_on(d, p.today)),
        )),
        None => items.push(Item::Missing(
            "De geboortedatum van de leerling staat niet in het dossier: neem hem over uit de leerlingadministratie."
                .into(),
        )),
    }
    if !p.group.is_empty() {
        items.push(Item::line(
            "Groep of klas",
            format!("{} van {}", p.group, p.school),
        ));
    }
    let with_parents: Vec<String> = entries
        .iter()
        .filter(|e| {
            matches!(e.kind, Kind::Gesprek | Kind::Meldgesprek)
                && super::honour::with_parents(e.body)
        })
        .map(when)
        .collect();
    if !with_parents.is_empty() {
        items.push(Item::line(
            "Contact met de ouders",
            format!("gesproken op {}", with_parents.join(", ")),
        ));
    }
    items.push(Item::Missing(
        "Meldcode bewaart geen namen, adressen of telefoonnummers van ouders of verzorgers: neem ze over uit de leerlingadministratie, met wie het gezag heeft als u dat weet."
            .into(),
    ));
    if entries
        .iter()
        .any(|e| e.kind == Kind::Signaal && !get(e, "kinderen_van_client").is_empty())
    {
        items.push(Item::line(
            "Andere kinderen",
            "Er zijn ook zorgen over andere kinderen in het gezin, die de school zelf niet ziet (bijvoorbeeld broertjes of zusjes).",
        ));
    }
    Section {
        id: "betrokkenen",
        title: "Betrokkenen",
        items,
    }
}

/// "Melding": the concern, the facts with their sources, and what steps 1 to 4 brought.
fn melding(p: &Parties<'_>, entries: &[Source<'_>]) -> Section {
    let mut items = Vec::new();
    if !p.forms.is_empty() {
        items.push(Item::line("Zorgen over", p.forms.join(", ")));
    }
    for e in of(entries, Kind::Noodmelding) {
        items.push(Item::line(
            format!("Noodmelding, {}", date_nl(e.recorded)),
            sentences(&[
                get(e, keys::WAT),
                &format!("Gebeld: {}", shown(e, keys::GEBELD)),
            ]),
        ));
    }
    let mut facts = 0;
    for e in of(entries, Kind::Signaal) {
        facts += 1;
        let source = if get(e, keys::BRON) == "derde" {
            format!("verteld door {}", get(e, keys::BRON_WIE))
        } else {
            format!("eigen waarneming van {}", e.author)
        };
        let label = format!("{}, {}", date_nl(e.recorded), source);
        let text = get(e, keys::WAARNEMING).to_string();
        items.push(if get(e, keys::AARD) == "hypothese" {
            Item::Hypothesis { label, text }
        } else {
            Item::line(label, text)
        });
        // What later became of it: a hypothesis confirmed or refuted, a correction.
        for a in entries
            .iter()
            .filter(|a| a.kind == Kind::Aanvulling && a.refers_to == Some(e.id))
        {
            items.push(Item::line(
                format!(
                    "Later, {}: {}",
                    date_nl(a.recorded),
                    shown(a, keys::RELATIE).to_lowercase()
                ),
                get(a, "tekst"),
            ));
        }
        if !get(e, keys::SIGNALEN).is_empty() {
            items.push(Item::line(
                "Signalen uit de signalenlijst",
                shown(e, keys::SIGNALEN),
            ));
        }
        if !get(e, keys::LICHAAM).is_empty() {
            items.push(Item::line(
                "Letsel gezien op het lichaam",
                shown(e, keys::LICHAAM),
            ));
        }
        if !get(e, keys::DIAGNOSE).is_empty() {
            items.push(Item::line(
                "Diagnose",
                format!(
                    "{} (gesteld door {})",
                    get(e, keys::DIAGNOSE),
                    get(e, keys::DIAGNOSE_DOOR)
                ),
            ));
        }
        if !get(e, keys::CONTRA).is_empty() {
            items.push(Item::line(
                "Wat het vermoeden tegenspreekt",
                get(e, keys::CONTRA),
            ));
        }
    }
    if facts == 0 {
        items.push(Item::Missing(
            "Er zijn nog geen signalen vastgelegd: leg bij stap 1 vast wat u zag en hoorde.".into(),
        ));
    }
    for e in of(entries, Kind::Consultatie) {
        let expertise = match get(e, keys::DESKUNDIGE) {
            "" => String::new(),
            d => format!("Specifieke deskundigheid: {d}"),
        };
        items.push(Item::line(
            format!(
                "Overleg op {}: {}, {}",
                when(e),
                get(e, keys::NAAM),
                shown(e, keys::MET)
            ),
            sentences(&[
                &format!("Vraag: {}", get(e, keys::VRAAG)),
                &format!("Advies: {}", get(e, keys::ADVIES)),
                &expertise,
            ]),
        ));
    }
    for e in entries {
        match e.kind {
            Kind::Gesprek => items.push(Item::line(
                format!("Gesprek op {} met {}", when(e), with_whom(e)),
                sentences(&[
                    &format!("Besproken: {}", get(e, "feiten")),
                    &format!("Reactie: {}", get(e, keys::REACTIE)),
                ]),
            )),
            Kind::GesprekOvergeslagen => items.push(Item::line(
                format!("Geen gesprek gevoerd ({})", date_nl(e.recorded)),
                sentences(&[&shown(e, keys::REDEN), get(e, keys::TOELICHTING)]),
            )),
            _ => {}
        }
    }
    if let Some(w) = of(entries, Kind::Weging).last() {
        items.push(Item::line(
            format!("Weging van {}", date_nl(w.recorded)),
            sentences(&[
                &format!("Risico: {}", get(w, keys::RISICO)),
                &format!("Aard: {}", get(w, keys::AARD)),
                &format!("Ernst: {}", get(w, keys::ERNST)),
            ]),
        ));
        if !get(w, "instrument").is_empty() {
            items.push(Item::line("Gebruikt instrument", get(w, "instrument")));
        }
    }
    if let Some(b) = of(entries, Kind::Besluit).last() {
        items.push(Item::line(
            format!("Besluit van {}", date_nl(b.recorded)),
            sentences(&[
                &format!(
                    "Acute en/of structurele onveiligheid: {}",
                    shown(b, keys::VRAAG2).to_lowercase()
                ),
                get(b, keys::VRAAG2_TOELICHTING),
            ]),
        ));
    } else if let Some(w) = of(entries, Kind::Weging)
        .filter(|w| !get(w, keys::VRAAG2).is_empty())
        .last()
    {
        items.push(Item::line(
            "Acute en/of structurele onveiligheid",
            sentences(&[&shown(w, keys::VRAAG2), get(w, keys::VRAAG2_TOELICHTING)]),
        ));
    } else {
        items.push(Item::Missing(
            "Er is nog geen weging of besluit vastgelegd (stap 4 en 5).".into(),
        ));
    }
    Section {
        id: "melding",
        title: "Melding",
        items,
    }
}

/// "Ondersteunend netwerk": what the school keeps doing, the help around the pupil, the police.
fn network(entries: &[Source<'_>], report: Option<&Source<'_>>) -> Section {
    let mut items = Vec::new();
    match report.map(|r| get(r, "afspraken")).filter(|a| !a.is_empty()) {
        Some(a) => items.push(Item::line("Wat de school na de melding blijft doen", a)),
        None => items.push(Item::Missing(
            "Spreek met Veilig Thuis af wat de school na de melding blijft doen, binnen het gewone werk, en leg het vast bij de melding."
                .into(),
        )),
    }
    for h in of(entries, Kind::Hulpplan) {
        items.push(Item::line(
            format!("Hulpplan van {}", when(h)),
            sentences(&[
                get(h, keys::HULP),
                &format!("Wie doet wat: {}", get(h, "rollen")),
                &format!("Casemanager: {}", get(h, keys::CASEMANAGER)),
            ]),
        ));
    }
    for e in of(entries, Kind::Politie) {
        items.push(Item::line(
            format!(
                "Afstemming met de politie op {} ({})",
                when(e),
                get(e, "contact")
            ),
            get(e, "afspraken"),
        ));
    }
    for e in of(entries, Kind::Verwijsindex) {
        items.push(Item::line(
            format!(
                "Verwijsindex risicojongeren: {}",
                shown(e, "besluit").to_lowercase()
            ),
            get(e, keys::REDEN),
        ));
    }
    Section {
        id: "netwerk",
        title: "Ondersteunend netwerk",
        items,
    }
}

/// "Overige informatie": whether the family knows of the report, and what was said to them.
fn family(p: &Parties<'_>, entries: &[Source<'_>]) -> Section {
    let mut items = Vec::new();
    let mut told = false;
    for e in entries {
        match e.kind {
            Kind::Meldgesprek => {
                told = true;
                items.push(Item::line(
                    "Weet het gezin van de melding?",
                    format!("Ja: besproken op {} met {}.", when(e), with_whom(e)),
                ));
                items.push(Item::line("Wat de school zei", get(e, "uitleg")));
                items.push(Item::line("De reactie", get(e, keys::REACTIE)));
                if !get(e, keys::BEZWAREN).is_empty() {
                    items.push(Item::line("Bezwaren", get(e, keys::BEZWAREN)));
                }
                if !get(e, keys::AFWEGING).is_empty() {
                    items.push(Item::line(
                        "Afweging van de bezwaren",
                        get(e, keys::AFWEGING),
                    ));
                }
            }
            Kind::MeldgesprekOvergeslagen => {
                told = true;
                items.push(Item::line(
                    "Weet het gezin van de melding?",
                    sentences(&[
                        "Nee",
                        &format!(
                            "Niet besproken, omdat: {}",
                            shown(e, keys::REDEN).to_lowercase()
                        ),
                        get(e, keys::TOELICHTING),
                    ]),
                ));
            }
            _ => {}
        }
    }
    if !told {
        let with = p.date_of_birth.map_or(
            "met de leerling (vanaf 12 jaar) en/of de ouders (bij een leerling jonger dan 16)",
            |d| ReportConversationWith::for_age(age_on(d, p.today)).label(),
        );
        items.push(Item::Missing(format!(
            "Bespreek de melding vooraf {with}, tenzij de veiligheid dat niet toelaat of het gezin dan het contact verbreekt. Leg vast wat u zei en hoe er gereageerd werd, of waarom u het niet besprak."
        )));
    }
    Section {
        id: "overig",
        title: "Overige informatie",
        items,
    }
}

/// "Afronden": when and how it was reported, or where to report.
fn finish(p: &Parties<'_>, report: Option<&Source<'_>>) -> Section {
    let vt = p.veilig_thuis;
    let mut items = Vec::new();
    match report {
        Some(r) => {
            items.push(Item::line(
                "Gemeld",
                format!(
                    "op {}, {}, bij {vt}",
                    when(r),
                    shown(r, "wijze").to_lowercase()
                ),
            ));
            items.push(Item::line("Contactpersoon bij Veilig Thuis", get(r, "contact")));
        }
        None => items.push(Item::Missing(format!(
            "Nog niet gemeld. Meld bij {vt} (telefoon {}) of via het meldformulier van uw regio, en leg de melding daarna vast in het dossier.",
            p.veilig_thuis_phone
        ))),
    }
    items.push(Item::line(
        "Terugkoppeling",
        format!(
            "{vt} laat de school weten wat het met de melding doet. Leg die terugkoppeling vast in het dossier."
        ),
    ));
    Section {
        id: "afronden",
        title: "Afronden",
        items,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn body(pairs: &[(&str, &str)]) -> Body {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    struct Dossier(Vec<(i64, Kind, Body, Option<i64>)>);

    impl Dossier {
        fn new() -> Dossier {
            Dossier(Vec::new())
        }
        fn add(mut self, kind: Kind, pairs: &[(&str, &str)]) -> Dossier {
            let id = self.0.len() as i64 + 1;
            self.0.push((id, kind, body(pairs), None));
            self
        }
        fn follow_up(mut self, of: i64, pairs: &[(&str, &str)]) -> Dossier {
            let id = self.0.len() as i64 + 1;
            self.0.push((id, Kind::Aanvulling, body(pairs), Some(of)));
            self
        }
        fn prepare(&self, born: Option<Date>) -> Melding {
            let sources: Vec<Source<'_>> = self
                .0
                .iter()
                .map(|(id, kind, body, refers_to)| Source {
                    id: *id,
                    kind: *kind,
                    body,
                    author: "Juf Anna",
                    refers_to: *refers_to,
                    recorded: date!(2026 - 11 - 02),
                })
                .collect();
            prepare(
                &Parties {
                    school: "De Regenboog",
                    reporter: "Ahmed El Amrani",
                    reporter_role: "aandachtsfunctionaris",
                    reporter_email: "ahmed@school.nl",
                    pupil: "Emma de Vries",
                    date_of_birth: born,
                    group: "groep 6",
                    forms: &["Lichamelijke mishandeling"],
                    veilig_thuis: "Veilig Thuis Twente",
                    veilig_thuis_phone: "0800-2000",
                    today: date!(2026 - 12 - 03),
                },
                &sources,
            )
        }
    }

    fn section<'a>(m: &'a Melding, id: &str) -> &'a Section {
        m.sections.iter().find(|s| s.id == id).unwrap()
    }

    fn signal() -> Dossier {
        Dossier::new()
            .add(
                Kind::Signaal,
                &[
                    ("aard", "feit"),
                    ("waarneming", "Blauwe plek op de bovenarm."),
                    ("bron", "eigen"),
                ],
            )
            .add(
                Kind::Signaal,
                &[
                    ("aard", "hypothese"),
                    ("waarneming", "Mogelijk spanning thuis."),
                    ("bron", "derde"),
                    ("bron_wie", "de oma van Emma"),
                ],
            )
    }

    #[test]
    fn the_melding_follows_the_sections_of_veilig_thuis_reporting_form_in_order() {
        let m = signal().prepare(Some(date!(2017 - 05 - 01)));
        let ids: Vec<&str> = m.sections.iter().map(|s| s.id).collect();
        assert_eq!(
            ids,
            [
                "meldcode",
                "melder",
                "betrokkenen",
                "melding",
                "netwerk",
                "overig",
                "afronden"
            ]
        );
        assert_eq!(m.reported_on, None);
    }

    #[test]
    fn a_fact_names_its_source_and_a_hypothesis_is_marked_as_one() {
        let m = signal().prepare(None);
        let items = &section(&m, "melding").items;
        assert!(items.contains(&Item::Line {
            label: "2 november 2026, eigen waarneming van Juf Anna".into(),
            text: "Blauwe plek op de bovenarm.".into()
        }));
        let hypothesis = items
            .iter()
            .find(|i| matches!(i, Item::Hypothesis { .. }))
            .expect("the hypothesis is marked");
        assert!(hypothesis.plain().contains("verteld door de oma van Emma"));
        assert!(
            hypothesis
                .plain()
                .contains("veronderstelling, geen vastgesteld feit")
        );
    }

    #[test]
    fn an_injury_marked_on_the_body_map_is_named_in_words_under_its_signal() {
        let m = Dossier::new()
            .add(
                Kind::Signaal,
                &[
                    ("aard", "feit"),
                    ("waarneming", "Blauwe plekken."),
                    ("bron", "eigen"),
                    ("lichaam", "v-bovenarm-l\na-onderrug"),
                ],
            )
            .prepare(None);
        let text = section(&m, "melding").plain();
        let signal = text.find("Blauwe plekken.").unwrap();
        let map = text
            .find("voorkant: linkerbovenarm; achterkant: onderrug")
            .expect("the regions in words");
        assert!(map > signal);
    }

    #[test]
    fn a_refuted_hypothesis_shows_what_became_of_it_under_the_signal() {
        let m = signal()
            .follow_up(
                2,
                &[
                    ("relatie", "hypothese_weerlegd"),
                    ("tekst", "Oma vertelde later dat het meeviel."),
                ],
            )
            .prepare(None);
        let text = section(&m, "melding").plain();
        let hypothesis = text.find("Mogelijk spanning thuis.").unwrap();
        let refuted = text.find("de veronderstelling is weerlegd").unwrap();
        assert!(refuted > hypothesis);
        assert!(text.contains("Oma vertelde later dat het meeviel."));
    }

    #[test]
    fn before_the_report_the_family_conversation_is_asked_for_by_the_pupils_age() {
        // Emma is 9: the conversation before a report is with the parents (DOMAIN.md, step 5).
        let m = signal().prepare(Some(date!(2017 - 05 - 01)));
        let overig = section(&m, "overig");
        assert_eq!(overig.missing(), 1);
        assert!(
            overig
                .plain()
                .contains("met de ouder(s) (leerling jonger dan 12)")
        );
        // And 14: the pupil and/or the parents.
        let m = signal().prepare(Some(date!(2012 - 05 - 01)));
        assert!(
            section(&m, "overig")
                .plain()
                .contains("leerling van 12 tot 16")
        );
    }

    #[test]
    fn a_family_not_told_of_the_report_shows_the_lawful_reason() {
        let m = signal()
            .add(
                Kind::MeldgesprekOvergeslagen,
                &[("reden", "veiligheid"), ("toelichting", "Vader dreigde.")],
            )
            .prepare(None);
        let overig = section(&m, "overig");
        assert_eq!(overig.missing(), 0);
        let text = overig.plain();
        assert!(
            text.contains("Nee. Niet besproken, omdat: de veiligheid"),
            "{text}"
        );
        assert!(text.contains("Vader dreigde."));
    }

    #[test]
    fn what_was_said_to_the_family_before_the_report_is_part_of_it() {
        let m = signal()
            .add(
                Kind::Meldgesprek,
                &[
                    ("met", "ouders"),
                    ("datum", "2026-11-20"),
                    ("uitleg", "Wij maken ons zorgen en melden bij Veilig Thuis."),
                    ("reactie", "Moeder was boos."),
                ],
            )
            .prepare(None);
        let text = section(&m, "overig").plain();
        assert!(text.contains("Ja: besproken op 20 november 2026 met de ouder(s)."));
        assert!(text.contains("Wij maken ons zorgen en melden bij Veilig Thuis."));
        assert!(text.contains("Moeder was boos."));
        // The conversation with the parents is named among the betrokkenen too.
        assert!(
            section(&m, "betrokkenen")
                .plain()
                .contains("gesproken op 20 november 2026")
        );
    }

    #[test]
    fn a_recorded_report_gives_its_date_the_agreements_and_the_ground_for_anonymity() {
        let m = signal()
            .add(
                Kind::Melding,
                &[
                    ("datum", "2026-11-25"),
                    ("wijze", "telefoon"),
                    ("contact", "Mevrouw Jansen"),
                    ("feiten", "f"),
                    ("anoniem", "ja"),
                    ("anoniem_grond", "bedreiging_melder"),
                    ("afspraken", "De school blijft Emma dagelijks zien."),
                ],
            )
            .prepare(None);
        assert_eq!(m.reported_on.as_deref(), Some("25 november 2026"));
        assert!(
            section(&m, "netwerk")
                .plain()
                .contains("De school blijft Emma dagelijks zien.")
        );
        assert_eq!(section(&m, "netwerk").missing(), 0);
        assert!(
            section(&m, "melder")
                .plain()
                .contains("ja, omdat: Bekendmaking bedreigt mij of collega's")
        );
        let afronden = section(&m, "afronden").plain();
        assert!(afronden.contains("op 25 november 2026, telefonisch, bij Veilig Thuis Twente"));
        assert!(afronden.contains("Mevrouw Jansen"));
    }

    #[test]
    fn steps_not_gone_through_are_named_with_the_reports_ground_or_asked_for() {
        let m = signal().prepare(None);
        let meldcode = section(&m, "meldcode");
        assert!(
            meldcode
                .plain()
                .contains("Stap 2, collegiale consultatie: niet doorlopen")
        );
        assert_eq!(meldcode.missing(), 1);
        let m = signal()
            .add(
                Kind::Melding,
                &[
                    ("datum", "2026-11-25"),
                    ("ontbrekende_grond", "acuut"),
                    ("ontbrekende_stappen", "Emma durfde niet naar huis."),
                ],
            )
            .prepare(None);
        let meldcode = section(&m, "meldcode");
        assert_eq!(meldcode.missing(), 0);
        assert!(meldcode.plain().contains("Emma durfde niet naar huis."));
    }

    #[test]
    fn the_text_reads_as_sentences_whatever_punctuation_was_typed() {
        assert_eq!(sentence(" Hoog "), "Hoog.");
        assert_eq!(sentence("Wat nu?"), "Wat nu?");
        assert_eq!(
            sentences(&["Vraag: wat nu?", "", "Advies: melden"]),
            "Vraag: wat nu? Advies: melden."
        );
    }

    #[test]
    fn the_parents_details_are_not_kept_and_the_report_says_where_to_find_them() {
        let m = signal().prepare(Some(date!(2017 - 05 - 01)));
        let b = section(&m, "betrokkenen").plain();
        assert!(b.contains(
            "[nog aanvullen] Meldcode bewaart geen namen, adressen of telefoonnummers van ouders"
        ));
        assert!(b.contains("1 mei 2017 (9 jaar)"));
    }
}
