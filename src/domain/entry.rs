//! Dossier entries (aantekeningen): what each kind records, and the rules its fields must meet.
//!
//! A dossier is a legal record, so entries are append-only: a correction or follow-up is a new
//! entry that refers to the old one. Each kind is described by a list of fields (the form and
//! the display are both made from it) and checked by [`validate`], which applies the meldcode's
//! rules that span fields: a third-party source must be named, a diagnosis needs who made it, a
//! skipped conversation needs a lawful reason, and so on.

use std::collections::{BTreeMap, BTreeSet};

use time::Date;

use super::dossier::{Answer, Form, ReportConversationWith, Step, missing_before_report};

/// What the form sent: every value of every field (check boxes can repeat a name).
pub type Values = BTreeMap<String, Vec<String>>;
/// What an entry stores: one value per field key.
pub type Body = BTreeMap<String, String>;
/// Messages per field, in Dutch.
pub type FieldErrors = Vec<(&'static str, String)>;

pub const LINE_MAX: usize = 200;
pub const TEXT_MAX: usize = 10_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Geopend,
    Signaal,
    Consultatie,
    Gesprek,
    GesprekOvergeslagen,
    Weging,
    Besluit,
    Hulpplan,
    Evaluatie,
    Meldgesprek,
    MeldgesprekOvergeslagen,
    Melding,
    Terugkoppeling,
    Aanvulling,
    Gesloten,
    Heropend,
    Noodmelding,
    Medewerkerplicht,
    Verwijsindex,
    Politie,
    CollegaToegevoegd,
    CollegaVerwijderd,
    Casemanager,
    OverdrachtGevraagd,
    Overgedragen,
    /// Not a kind anyone records: a stored entry that cannot be read (an unknown kind, or a body
    /// that is not what its kind stores). It stays in the chronology, marked as unreadable, so
    /// that the legal record never loses an entry without a trace. [`Kind::parse`] never returns it.
    Onleesbaar,
}

/// What the chronology says of an entry that cannot be read.
pub const UNREADABLE_NOTICE: &str = "Deze aantekening kan niet worden gelezen. Er is niets gewist of veranderd, maar de opgeslagen gegevens zijn niet te tonen. Neem contact op met de beheerder; vermeld het dossier- en aantekeningnummer.";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateRule {
    /// A date on which something happened: not in the future.
    Past,
    /// A date agreed for later: today or after.
    Future,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Input {
    Line,
    Text,
    Date(DateRule),
    Choice(&'static [(&'static str, &'static str)]),
    Check,
    /// Signals ticked from the signal list of the pupil's age band.
    Signals,
}

#[derive(Debug, Clone, Copy)]
pub struct Field {
    pub key: &'static str,
    pub label: &'static str,
    pub hint: &'static str,
    pub input: Input,
    pub required: bool,
}

const fn f(
    key: &'static str,
    label: &'static str,
    hint: &'static str,
    input: Input,
    required: bool,
) -> Field {
    Field {
        key,
        label,
        hint,
        input,
        required,
    }
}

const JA_NEE: &[(&str, &str)] = &[("ja", "Ja"), ("nee", "Nee")];
const JA_TWIJFEL_NEE: &[(&str, &str)] = &[("ja", "Ja"), ("twijfel", "Twijfel"), ("nee", "Nee")];
const SKIP_REASONS: &[(&str, &str)] = &[
    (
        "veiligheid",
        "De veiligheid van de leerling, van mij of van een ander staat op het spel",
    ),
    (
        "contact_verbreken",
        "Er is een goede reden om aan te nemen dat de leerling of de ouders het contact verbreken",
    ),
];
const MET_WIE: &[(&str, &str)] = &[
    ("leerling", "De leerling"),
    ("ouders", "De ouder(s)"),
    ("leerling_en_ouders", "De leerling en de ouder(s)"),
];

const SIGNAAL: &[Field] = &[
    f(
        "aard",
        "Wat legt u vast?",
        "Houd feiten en veronderstellingen uit elkaar.",
        Input::Choice(&[
            ("feit", "Een feit: iets wat ik zelf zag of hoorde"),
            ("hypothese", "Een veronderstelling of hypothese"),
        ]),
        true,
    ),
    f(
        "waarneming",
        "Beschrijving",
        "Zo feitelijk mogelijk: wat, wanneer, waar, wie. Citeer letterlijk wat er gezegd werd.",
        Input::Text,
        true,
    ),
    f(
        "signalen",
        "Signalen uit de signalenlijst",
        "Vink aan wat past. Signalen zijn aanwijzingen, geen bewijs.",
        Input::Signals,
        false,
    ),
    f(
        "bron",
        "Van wie komt deze informatie?",
        "",
        Input::Choice(&[
            ("eigen", "Eigen waarneming"),
            ("derde", "Iemand anders vertelde het"),
        ]),
        true,
    ),
    f(
        "bron_wie",
        "Wie vertelde het?",
        "Verplicht als iemand anders het vertelde: naam en functie of relatie tot de leerling.",
        Input::Line,
        false,
    ),
    f(
        "contra",
        "Wat spreekt het vermoeden tegen?",
        "Ook gegevens die het vermoeden weerspreken legt u vast.",
        Input::Text,
        false,
    ),
    f(
        "diagnose",
        "Diagnose",
        "Alleen een diagnose van een deskundige, nooit een eigen inschatting.",
        Input::Line,
        false,
    ),
    f(
        "diagnose_door",
        "Diagnose gesteld door",
        "Naam en beroep van wie de diagnose stelde.",
        Input::Line,
        false,
    ),
    f(
        "onthulling",
        "De leerling vertelde zelf over onveiligheid thuis",
        "",
        Input::Check,
        false,
    ),
    f(
        "kinderen_van_client",
        "Er zijn ook zorgen over andere kinderen in het gezin die ik zelf niet zie (bijvoorbeeld broertjes of zusjes)",
        "",
        Input::Check,
        false,
    ),
];

const CONSULTATIE: &[Field] = &[
    f(
        "met",
        "Met wie overlegde u?",
        "",
        Input::Choice(&[
            ("aandachtsfunctionaris", "De aandachtsfunctionaris"),
            ("zorgteam", "Het zorg- en adviesteam"),
            ("collega", "Een deskundige collega"),
            ("veilig_thuis", "Veilig Thuis (anoniem advies)"),
        ]),
        true,
    ),
    f("naam", "Naam", "Wie sprak u precies?", Input::Line, true),
    f("datum", "Datum", "", Input::Date(DateRule::Past), true),
    f("vraag", "Uw vraag", "", Input::Text, true),
    f("advies", "Het advies", "", Input::Text, true),
    f(
        "anoniem",
        "Ik heb Veilig Thuis geen naam of andere gegevens van de leerling gegeven",
        "Alleen bij advies van Veilig Thuis. Advies vragen doorbreekt uw beroepsgeheim niet, zolang het anoniem is.",
        Input::Check,
        false,
    ),
    f(
        "deskundige",
        "Specifieke deskundigheid",
        "Bij een vermoeden van meisjesbesnijdenis of eergerelateerd geweld: wie met specifieke deskundigheid raadpleegde u?",
        Input::Line,
        false,
    ),
];

const GESPREK: &[Field] = &[
    f("met", "Met wie sprak u?", "", Input::Choice(MET_WIE), true),
    f("datum", "Datum", "", Input::Date(DateRule::Past), true),
    f(
        "doel",
        "1. Het doel van het gesprek",
        "Wat vertelde u over waarom u dit gesprek voert?",
        Input::Text,
        true,
    ),
    f(
        "feiten",
        "2. De feiten en waarnemingen",
        "Welke feiten en waarnemingen legde u voor?",
        Input::Text,
        true,
    ),
    f(
        "reactie",
        "3. De reactie",
        "Hoe reageerden de leerling of de ouders?",
        Input::Text,
        true,
    ),
    f(
        "duiding",
        "4. Uw duiding, pas na de reactie",
        "Alleen als het nodig is: hoe duidde u wat u zag, hoorde en hoorde vertellen?",
        Input::Text,
        false,
    ),
    f(
        "kind_alleen",
        "Ik heb de leerling alleen gesproken",
        "",
        Input::Check,
        false,
    ),
    f(
        "ouders_vooraf",
        "Waren de ouders vooraf ingelicht?",
        "In de regel licht u de ouders vooraf in, tenzij de veiligheid dat niet toelaat.",
        Input::Choice(&[("ja", "Ja"), ("nee", "Nee"), ("nvt", "Niet van toepassing")]),
        false,
    ),
    f(
        "ouders_vooraf_waarom",
        "Waarom niet?",
        "",
        Input::Text,
        false,
    ),
];

const GESPREK_OVERGESLAGEN: &[Field] = &[
    f(
        "reden",
        "Waarom voert u het gesprek niet?",
        "Alleen deze twee redenen zijn geldig.",
        Input::Choice(SKIP_REASONS),
        true,
    ),
    f("toelichting", "Toelichting", "", Input::Text, true),
];

const WEGING: &[Field] = &[
    f("risico", "Het risico", "", Input::Text, true),
    f("aard", "De aard van het geweld", "", Input::Text, true),
    f("ernst", "De ernst", "", Input::Text, true),
    f(
        "instrument",
        "Gebruikt instrument",
        "Bijvoorbeeld het risicotaxatie-instrument van de organisatie.",
        Input::Line,
        false,
    ),
    f(
        "vraag1",
        "Afwegingsvraag 1: is er een vermoeden van (dreiging van) huiselijk geweld of kindermishandeling?",
        "",
        Input::Choice(JA_NEE),
        true,
    ),
    f(
        "vraag1_toelichting",
        "Onderbouwing van vraag 1",
        "",
        Input::Text,
        true,
    ),
    f(
        "vraag2",
        "Afwegingsvraag 2: is er sprake van acute en/of structurele onveiligheid?",
        "Twijfel telt als ja.",
        Input::Choice(JA_TWIJFEL_NEE),
        false,
    ),
    f(
        "vraag2_toelichting",
        "Onderbouwing van vraag 2",
        "",
        Input::Text,
        false,
    ),
];

const BESLUIT: &[Field] = &[
    f(
        "vraag2",
        "Afwegingsvraag 2, eerst: is melden noodzakelijk? Is er acute en/of structurele onveiligheid?",
        "Twijfel telt als ja: dan meldt u.",
        Input::Choice(JA_TWIJFEL_NEE),
        true,
    ),
    f("vraag2_toelichting", "Onderbouwing", "", Input::Text, true),
    f(
        "vraag3",
        "Afwegingsvraag 3: kan de school effectieve hulp bieden of organiseren?",
        "Alleen als melden niet nodig is (vraag 2: nee).",
        Input::Choice(JA_NEE),
        false,
    ),
    f(
        "vraag3_toelichting",
        "Onderbouwing van vraag 3",
        "",
        Input::Text,
        false,
    ),
    f(
        "vraag4",
        "Afwegingsvraag 4: aanvaarden de betrokkenen de hulp en zetten zij zich ervoor in?",
        "Alleen als de school hulp kan bieden (vraag 3: ja).",
        Input::Choice(JA_NEE),
        false,
    ),
    f(
        "vraag4_toelichting",
        "Onderbouwing van vraag 4",
        "",
        Input::Text,
        false,
    ),
];

const HULPPLAN: &[Field] = &[
    f(
        "datum",
        "Datum van het plan",
        "Wanneer is het plan gemaakt? Dat mag eerder zijn dan vandaag.",
        Input::Date(DateRule::Past),
        true,
    ),
    f("hulp", "Welke hulp?", "", Input::Text, true),
    f(
        "rollen",
        "Wie doet wat?",
        "De rollen van de betrokkenen.",
        Input::Text,
        true,
    ),
    f(
        "casemanager",
        "Casemanager",
        "Wie houdt de regie?",
        Input::Line,
        true,
    ),
    f(
        "termijn",
        "Binnen welke termijn moet de hulp werken?",
        "",
        Input::Date(DateRule::Future),
        true,
    ),
    f(
        "evaluatiedatum",
        "Evaluatiedatum",
        "Op deze datum beantwoordt u afwegingsvraag 5. Elke datum na het plan, vandaag of later.",
        Input::Date(DateRule::Future),
        true,
    ),
];

const EVALUATIE: &[Field] = &[
    f(
        "vraag5",
        "Afwegingsvraag 5: leidt de hulp binnen de afgesproken termijn tot de nodige veiligheid en het welzijn?",
        "",
        Input::Choice(JA_NEE),
        true,
    ),
    f("toelichting", "Onderbouwing", "", Input::Text, true),
    f(
        "monitoring",
        "Afspraken over het volgen van de veiligheid",
        "Verplicht als de hulp heeft gewerkt.",
        Input::Text,
        false,
    ),
];

const MELDGESPREK: &[Field] = &[
    f("met", "Met wie sprak u?", "", Input::Choice(MET_WIE), true),
    f("datum", "Datum", "", Input::Date(DateRule::Past), true),
    f(
        "uitleg",
        "1. Uitleg: waarom en waarvoor u gaat melden",
        "",
        Input::Text,
        true,
    ),
    f("reactie", "2. De reactie", "", Input::Text, true),
    f(
        "bezwaren",
        "3. Bezwaren, en hoe u eraan tegemoet probeerde te komen",
        "",
        Input::Text,
        false,
    ),
    f(
        "afweging",
        "4. Uw afweging van de bezwaren tegen de noodzaak te beschermen",
        "Verplicht als er bezwaren zijn.",
        Input::Text,
        false,
    ),
    f(
        "besluit",
        "5. Uw besluit",
        "Melden als bescherming voorgaat.",
        Input::Text,
        true,
    ),
    f(
        "toestemming",
        "Toestemming van de leerling om ook met de ouders te spreken",
        "Alleen bij een leerling van 16 of ouder met wie u samen met de ouders sprak.",
        Input::Choice(&[
            ("ja", "De leerling gaf toestemming"),
            ("niet_gevraagd", "Niet gevraagd"),
        ]),
        false,
    ),
    f(
        "toestemming_toelichting",
        "Waarom is de toestemming niet gevraagd?",
        "",
        Input::Text,
        false,
    ),
];

const MELDING: &[Field] = &[
    f(
        "datum",
        "Datum van de melding",
        "",
        Input::Date(DateRule::Past),
        true,
    ),
    f(
        "wijze",
        "Hoe meldde u?",
        "",
        Input::Choice(&[("telefoon", "Telefonisch"), ("online", "Online")]),
        true,
    ),
    f(
        "contact",
        "Contactpersoon bij Veilig Thuis",
        "",
        Input::Line,
        true,
    ),
    f(
        "feiten",
        "De gemelde feiten en gebeurtenissen",
        "Houd u aan feiten en gebeurtenissen.",
        Input::Text,
        true,
    ),
    f(
        "van_anderen",
        "Informatie die van anderen komt",
        "Zeg van wie.",
        Input::Text,
        false,
    ),
    f(
        "anoniem",
        "Ik wil anoniem blijven tegenover het gezin",
        "In de regel wordt bekend wie meldde (\u{201c}open, tenzij\u{201d}).",
        Input::Check,
        false,
    ),
    f(
        "anoniem_grond",
        "Grond voor anonimiteit",
        "",
        Input::Choice(&[
            (
                "bedreiging_kind",
                "Bekendmaking bedreigt de leerling, andere kinderen of het gezin",
            ),
            (
                "bedreiging_melder",
                "Bekendmaking bedreigt mij of collega's",
            ),
            (
                "vertrouwensrelatie",
                "Bekendmaking verstoort de vertrouwensrelatie ernstig",
            ),
        ]),
        false,
    ),
    f(
        "afspraken",
        "Wat blijft de school na de melding doen?",
        "Afgesproken met Veilig Thuis, binnen het gewone werk.",
        Input::Text,
        true,
    ),
    f(
        "ontbrekende_grond",
        "Waarom zijn niet alle stappen doorlopen?",
        "Alleen deze redenen zijn geldig.",
        Input::Choice(MISSING_STEPS_GROUNDS),
        false,
    ),
    f(
        "ontbrekende_stappen",
        "Toelichting: waarom niet alle stappen",
        "Wat maakte dat u niet kon wachten, of waarom u het gesprek niet voerde?",
        Input::Text,
        false,
    ),
];

/// The lawful grounds to report before all steps are gone through (DOMAIN.md, "Emergencies" and
/// step 3): acute danger, and the two reasons to skip a conversation.
const MISSING_STEPS_GROUNDS: &[(&str, &str)] = &[
    ("acuut", "Acuut gevaar: er moest meteen gehandeld worden"),
    (
        "veiligheid",
        "Een gesprek bracht de veiligheid van de leerling, van mij of van een ander in gevaar",
    ),
    (
        "contact_verbreken",
        "Er was een goede reden om aan te nemen dat de leerling of de ouders het contact zouden verbreken",
    ),
];

const TERUGKOPPELING: &[Field] = &[
    f("datum", "Datum", "", Input::Date(DateRule::Past), true),
    f(
        "uitkomst",
        "Wat liet Veilig Thuis weten?",
        "De uitkomst van de veiligheidsbeoordeling.",
        Input::Text,
        true,
    ),
];

const AANVULLING: &[Field] = &[
    f(
        "relatie",
        "Wat voor aantekening is dit?",
        "",
        Input::Choice(&[
            ("correctie", "Een correctie"),
            ("aanvulling", "Een aanvulling of vervolg"),
            ("hypothese_bevestigd", "De veronderstelling is bevestigd"),
            ("hypothese_weerlegd", "De veronderstelling is weerlegd"),
        ]),
        true,
    ),
    f("tekst", "Tekst", "", Input::Text, true),
];

const GESLOTEN: &[Field] = &[
    f(
        "reden",
        "Waarom sluit u het dossier?",
        "",
        Input::Choice(&[
            ("ongegrond", "Het vermoeden bleek ongegrond"),
            ("hulp_geslaagd", "De hulp heeft gewerkt"),
            (
                "overdracht_na_melding",
                "Overgedragen na een melding bij Veilig Thuis",
            ),
            (
                "leerling_vertrokken",
                "De leerling heeft de school verlaten",
            ),
        ]),
        true,
    ),
    f(
        "grond",
        "Waaruit bleek dat het vermoeden ongegrond is?",
        "Alleen als er geen weging is vastgelegd.",
        Input::Choice(&[
            (
                "gesprek",
                "Het gesprek met de leerling of de ouders (stap 3) nam de zorg weg",
            ),
            (
                "consultatie",
                "De collegiale consultatie (stap 2) nam de zorg weg",
            ),
        ]),
        false,
    ),
    f("toelichting", "Toelichting", "", Input::Text, true),
    f(
        "monitoring",
        "Afspraken over het volgen van de veiligheid",
        "Verplicht als de hulp heeft gewerkt.",
        Input::Text,
        false,
    ),
    f(
        "open_plichten_reden",
        "Waarom sluit u het dossier terwijl er nog wettelijke plichten openstaan?",
        "Alleen bij een vermoeden tegen een medewerker, als nog niet alle plichten zijn vastgelegd.",
        Input::Text,
        false,
    ),
];

const HEROPEND: &[Field] = &[
    f(
        "reden",
        "Waarom heropent u het dossier?",
        "",
        Input::Text,
        true,
    ),
    f(
        "nieuwe_signalen",
        "Welke nieuwe signalen zijn er?",
        "Het dossier was gesloten omdat het vermoeden ongegrond bleek: wat is er sindsdien gezien of gehoord?",
        Input::Text,
        false,
    ),
];

const NOODMELDING: &[Field] = &[
    f(
        "gebeld",
        "Wie belde u?",
        "",
        Input::Choice(&[
            ("veilig_thuis", "Veilig Thuis"),
            ("112", "112"),
            ("beide", "Veilig Thuis en 112"),
            (
                "anders",
                "Iemand anders (Raad voor de Kinderbescherming, crisisdienst)",
            ),
        ]),
        true,
    ),
    f(
        "wat",
        "Wat is er gebeurd?",
        "Kort; u vult het dossier later aan.",
        Input::Text,
        true,
    ),
];

const MEDEWERKERPLICHT: &[Field] = &[
    f(
        "plicht",
        "Welke stap legt u vast?",
        "",
        Input::Choice(&[
            ("bestuur", "Het bevoegd gezag is ingelicht"),
            ("inspecteur", "Overleg met de vertrouwensinspecteur"),
            (
                "ouders_beschuldigde",
                "Ouders en de beschuldigde zijn ingelicht",
            ),
            ("aangifte", "Aangifte bij de politie"),
            (
                "inspecteur_aangifte",
                "De vertrouwensinspecteur weet van de aangifte",
            ),
            ("geen_aangifte", "Geen aangifte: geen redelijk vermoeden"),
            ("anders", "Iets anders"),
        ]),
        true,
    ),
    f("datum", "Datum", "", Input::Date(DateRule::Past), true),
    f(
        "redelijk_vermoeden",
        "Uitkomst van het overleg: is er een redelijk vermoeden?",
        "Alleen bij het overleg met de vertrouwensinspecteur. Bij nee vervallen de volgende plichten.",
        Input::Choice(JA_NEE),
        false,
    ),
    f(
        "toelichting",
        "Toelichting",
        "Wat werd besproken of besloten, met wie.",
        Input::Text,
        true,
    ),
    f(
        "reden_volgorde",
        "Waarom kon deze stap niet wachten?",
        "Alleen als u de ouders en de beschuldigde inlicht of aangifte doet voordat de eerdere stap is vastgelegd, bijvoorbeeld bij acuut gevaar voor de leerling.",
        Input::Text,
        false,
    ),
];

const VERWIJSINDEX: &[Field] = &[
    f(
        "besluit",
        "Signaal in de Verwijsindex risicojongeren",
        "",
        Input::Choice(&[("gemeld", "Afgegeven"), ("niet_gemeld", "Niet afgegeven")]),
        true,
    ),
    f("reden", "Waarom?", "", Input::Text, true),
];

const POLITIE: &[Field] = &[
    f("datum", "Datum", "", Input::Date(DateRule::Past), true),
    f("contact", "Contact bij de politie", "", Input::Line, true),
    f(
        "afspraken",
        "Afspraken",
        "Bij een vermoeden van een ernstig misdrijf: welke stappen zijn afgestemd?",
        Input::Text,
        true,
    ),
];

/// The fields of entries the application writes itself (not through a form): for display.
const COLLEGA: &[Field] = &[f("collega", "Collega", "", Input::Line, false)];
const OVERDRACHT: &[Field] = &[
    f("van", "Van school", "", Input::Line, false),
    f("naar", "Naar school", "", Input::Line, false),
];

impl Kind {
    /// The kinds a user can record through a form, per step or route.
    pub const RECORDABLE: [Kind; 18] = [
        Kind::Signaal,
        Kind::Consultatie,
        Kind::Gesprek,
        Kind::GesprekOvergeslagen,
        Kind::Weging,
        Kind::Besluit,
        Kind::Hulpplan,
        Kind::Evaluatie,
        Kind::Meldgesprek,
        Kind::MeldgesprekOvergeslagen,
        Kind::Melding,
        Kind::Terugkoppeling,
        Kind::Aanvulling,
        Kind::Gesloten,
        Kind::Heropend,
        Kind::Medewerkerplicht,
        Kind::Verwijsindex,
        Kind::Politie,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Kind::Geopend => "geopend",
            Kind::Signaal => "signaal",
            Kind::Consultatie => "consultatie",
            Kind::Gesprek => "gesprek",
            Kind::GesprekOvergeslagen => "gesprek_overgeslagen",
            Kind::Weging => "weging",
            Kind::Besluit => "besluit",
            Kind::Hulpplan => "hulpplan",
            Kind::Evaluatie => "evaluatie",
            Kind::Meldgesprek => "meldgesprek",
            Kind::MeldgesprekOvergeslagen => "meldgesprek_overgeslagen",
            Kind::Melding => "melding",
            Kind::Terugkoppeling => "terugkoppeling",
            Kind::Aanvulling => "aanvulling",
            Kind::Gesloten => "gesloten",
            Kind::Heropend => "heropend",
            Kind::Noodmelding => "noodmelding",
            Kind::Medewerkerplicht => "medewerkerplicht",
            Kind::Verwijsindex => "verwijsindex",
            Kind::Politie => "politie",
            Kind::CollegaToegevoegd => "collega_toegevoegd",
            Kind::CollegaVerwijderd => "collega_verwijderd",
            Kind::Casemanager => "casemanager",
            Kind::OverdrachtGevraagd => "overdracht_gevraagd",
            Kind::Overgedragen => "overgedragen",
            Kind::Onleesbaar => "onleesbaar",
        }
    }

    pub fn parse(code: &str) -> Option<Kind> {
        Kind::RECORDABLE
            .into_iter()
            .chain([
                Kind::Geopend,
                Kind::Noodmelding,
                Kind::CollegaToegevoegd,
                Kind::CollegaVerwijderd,
                Kind::Casemanager,
                Kind::OverdrachtGevraagd,
                Kind::Overgedragen,
            ])
            .find(|k| k.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Kind::Geopend => "Dossier geopend",
            Kind::Signaal => "Signaal",
            Kind::Consultatie => "Collegiale consultatie",
            Kind::Gesprek => "Gesprek",
            Kind::GesprekOvergeslagen => "Gesprek niet gevoerd",
            Kind::Weging => "Weging",
            Kind::Besluit => "Besluit over melden en hulp",
            Kind::Hulpplan => "Hulpplan",
            Kind::Evaluatie => "Evaluatie van de hulp",
            Kind::Meldgesprek => "Gesprek over de melding",
            Kind::MeldgesprekOvergeslagen => "Gesprek over de melding niet gevoerd",
            Kind::Melding => "Melding bij Veilig Thuis",
            Kind::Terugkoppeling => "Terugkoppeling van Veilig Thuis",
            Kind::Aanvulling => "Correctie of aanvulling",
            Kind::Gesloten => "Dossier gesloten",
            Kind::Heropend => "Dossier heropend",
            Kind::Noodmelding => "Noodmelding",
            Kind::Medewerkerplicht => "Stap bij een vermoeden tegen een medewerker",
            Kind::Verwijsindex => "Verwijsindex overwogen",
            Kind::Politie => "Afstemming met de politie",
            Kind::CollegaToegevoegd => "Collega toegevoegd",
            Kind::CollegaVerwijderd => "Collega verwijderd",
            Kind::Casemanager => "Casemanager aangewezen",
            Kind::OverdrachtGevraagd => "Overdracht aan een andere school gevraagd",
            Kind::Overgedragen => "Overgedragen aan een andere school",
            Kind::Onleesbaar => "Onleesbare aantekening",
        }
    }

    /// The heading of the form that records this kind: what the user is about to do.
    pub fn form_title(self) -> &'static str {
        match self {
            Kind::Gesloten => "Dossier sluiten",
            Kind::Heropend => "Dossier heropenen",
            Kind::Aanvulling => "Corrigeren of aanvullen",
            Kind::Verwijsindex => "Verwijsindex overwegen",
            Kind::Medewerkerplicht => "Stap vastleggen bij een vermoeden tegen een medewerker",
            other => other.label(),
        }
    }

    /// The step an entry of this kind belongs to, if any.
    pub fn step(self) -> Option<Step> {
        match self {
            Kind::Signaal => Some(Step::Signalen),
            Kind::Consultatie => Some(Step::Consultatie),
            Kind::Gesprek | Kind::GesprekOvergeslagen => Some(Step::Gesprek),
            Kind::Weging => Some(Step::Wegen),
            Kind::Besluit
            | Kind::Hulpplan
            | Kind::Evaluatie
            | Kind::Meldgesprek
            | Kind::MeldgesprekOvergeslagen
            | Kind::Melding
            | Kind::Terugkoppeling => Some(Step::Beslissen),
            _ => None,
        }
    }

    pub fn fields(self) -> &'static [Field] {
        match self {
            Kind::Signaal => SIGNAAL,
            Kind::Consultatie => CONSULTATIE,
            Kind::Gesprek => GESPREK,
            Kind::GesprekOvergeslagen => GESPREK_OVERGESLAGEN,
            Kind::Weging => WEGING,
            Kind::Besluit => BESLUIT,
            Kind::Hulpplan => HULPPLAN,
            Kind::Evaluatie => EVALUATIE,
            Kind::Meldgesprek => MELDGESPREK,
            Kind::MeldgesprekOvergeslagen => GESPREK_OVERGESLAGEN,
            Kind::Melding => MELDING,
            Kind::Terugkoppeling => TERUGKOPPELING,
            Kind::Aanvulling => AANVULLING,
            Kind::Gesloten => GESLOTEN,
            Kind::Heropend => HEROPEND,
            Kind::Noodmelding => NOODMELDING,
            Kind::Medewerkerplicht => MEDEWERKERPLICHT,
            Kind::Verwijsindex => VERWIJSINDEX,
            Kind::Politie => POLITIE,
            Kind::CollegaToegevoegd | Kind::CollegaVerwijderd | Kind::Casemanager => COLLEGA,
            Kind::OverdrachtGevraagd | Kind::Overgedragen => OVERDRACHT,
            Kind::Geopend | Kind::Onleesbaar => &[],
        }
    }
}

/// What validation needs to know about the dossier and the day.
#[derive(Debug, Clone)]
pub struct Context {
    pub today: Date,
    pub forms: Vec<Form>,
    /// The steps gone through so far.
    pub steps_done: BTreeSet<Step>,
    /// The signal list for the pupil's age band (the organisation's own or the default): the
    /// signals that can be ticked.
    pub signals: Option<super::signals::List>,
    /// The pupil's date of birth, if known: ages count on the date of each conversation or
    /// decision, not on the day it is recorded.
    pub pupil_born: Option<Date>,
    /// The day the dossier was opened: nothing in it is dated before (a note may say in its text
    /// when something was seen earlier). `None` while the dossier is being opened.
    pub opened_on: Option<Date>,
}

/// A typed or stored date. Dutch users write day-month-year: `28-11-2026`, also `1-2-2026`
/// (and with `/` or `.`); browsers send, and the application stores, `2026-11-28`. Both are
/// read; the year always has four digits and there is no sign (`-0001-01-01`, `+2026-01-01` and
/// `28-11-26` are no dates). Whether the date is in a sensible range is `domain::dates`'s rule,
/// applied where a date is entered.
pub fn parse_date(value: &str) -> Option<Date> {
    let value = value.trim();
    let sep = value.chars().find(|c| !c.is_ascii_digit())?;
    let parts: Vec<&str> = value.split(sep).collect();
    let [a, b, c] = parts[..] else {
        return None;
    };
    if [a, b, c]
        .iter()
        .any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    let (year, month, day) = match (a.len(), b.len(), c.len()) {
        (4, 2, 2) if sep == '-' => (a, b, c),
        (1..=2, 1..=2, 4) if matches!(sep, '-' | '/' | '.') => (c, b, a),
        _ => return None,
    };
    let month = time::Month::try_from(month.parse::<u8>().ok()?).ok()?;
    Date::from_calendar_date(year.parse().ok()?, month, day.parse().ok()?).ok()
}

fn first<'a>(values: &'a Values, key: &str) -> &'a str {
    values
        .get(key)
        .and_then(|v| v.first())
        .map_or("", |s| s.trim())
}

/// Checks a form against its kind's fields and rules. On success, the body to store.
pub fn validate(kind: Kind, values: &Values, ctx: &Context) -> Result<Body, FieldErrors> {
    let mut body = Body::new();
    let mut errors = FieldErrors::new();
    for field in kind.fields() {
        let value = first(values, field.key);
        let stored = match field.input {
            Input::Line | Input::Text => {
                let max = if field.input == Input::Line {
                    LINE_MAX
                } else {
                    TEXT_MAX
                };
                if value.chars().count() > max {
                    errors.push((
                        field.key,
                        format!("Dit is te lang: gebruik hoogstens {max} tekens."),
                    ));
                }
                let bad_control = value
                    .chars()
                    .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t');
                if bad_control || (field.input == Input::Line && value.contains('\n')) {
                    errors.push((
                        field.key,
                        "Deze tekst bevat tekens die hier niet passen.".into(),
                    ));
                }
                value.replace("\r\n", "\n")
            }
            Input::Date(rule) => {
                if value.is_empty() {
                    String::new()
                } else {
                    match parse_date(value) {
                        None => {
                            errors.push((
                                field.key,
                                "Vul een geldige datum in, bijvoorbeeld 28-11-2026.".into(),
                            ));
                            value.to_string()
                        }
                        Some(d) if super::dates::check_event(d).is_err() => {
                            errors.push((field.key, super::dates::OUT_OF_RANGE.into()));
                            value.to_string()
                        }
                        Some(d) if rule == DateRule::Past && d > ctx.today => {
                            errors.push((field.key, "Deze datum ligt in de toekomst.".into()));
                            value.to_string()
                        }
                        Some(d) if ctx.opened_on.is_some_and(|o| d < o) => {
                            errors.push((field.key, before_opening_message(ctx)));
                            value.to_string()
                        }
                        Some(d) if rule == DateRule::Future && d < ctx.today => {
                            errors.push((
                                field.key,
                                "Deze datum ligt in het verleden: kies vandaag of later.".into(),
                            ));
                            value.to_string()
                        }
                        Some(d) => d.to_string(),
                    }
                }
            }
            Input::Choice(options) => {
                if !value.is_empty() && !options.iter().any(|(code, _)| *code == value) {
                    errors.push((field.key, "Kies een van de mogelijkheden.".into()));
                }
                value.to_string()
            }
            Input::Check => {
                if value.is_empty() {
                    String::new()
                } else {
                    "ja".to_string()
                }
            }
            Input::Signals => {
                // Only signals of the list in use; their texts are stored, one per line.
                let ticked: Vec<&str> = values
                    .get(field.key)
                    .map(|v| {
                        v.iter()
                            .map(|s| s.trim())
                            .filter(|s| ctx.signals.as_ref().is_some_and(|l| l.contains(s)))
                            .collect()
                    })
                    .unwrap_or_default();
                ticked.join("\n")
            }
        };
        if field.required && stored.is_empty() {
            errors.push((field.key, required_message(field)));
        }
        if !stored.is_empty() {
            body.insert(field.key.to_string(), stored);
        }
    }
    rules(kind, &body, ctx, &mut errors);
    // What a choice makes irrelevant is not stored: an anonymity ground without anonymity asked
    // for would read as if the reporter wished to stay anonymous.
    if kind == Kind::Melding && !has(&body, "anoniem") {
        body.remove("anoniem_grond");
    }
    if kind == Kind::Meldgesprek && !is(&body, "toestemming", "niet_gevraagd") {
        body.remove("toestemming_toelichting");
    }
    if errors.is_empty() {
        Ok(body)
    } else {
        Err(errors)
    }
}

/// An entry is not dated before its dossier was opened (issue 12: no contradictory records).
fn before_opening_message(ctx: &Context) -> String {
    let opened = ctx.opened_on.map_or(String::new(), |d| {
        format!(" ({:02}-{:02}-{})", d.day(), u8::from(d.month()), d.year())
    });
    format!(
        "Deze datum ligt vóór de opening van het dossier{opened}. Gebeurde er eerder iets? Beschrijf dat dan in de tekst, met de datum erbij."
    )
}

fn required_message(field: &Field) -> String {
    match field.input {
        Input::Choice(_) => "Maak een keuze.".to_string(),
        Input::Date(_) => "Vul een datum in.".to_string(),
        _ => "Vul dit in.".to_string(),
    }
}

fn has(body: &Body, key: &str) -> bool {
    body.get(key).is_some_and(|v| !v.is_empty())
}

fn is(body: &Body, key: &str, value: &str) -> bool {
    body.get(key).is_some_and(|v| v == value)
}

/// The rules that span fields. Each names the part of DOMAIN.md it carries out.
fn rules(kind: Kind, body: &Body, ctx: &Context, errors: &mut FieldErrors) {
    let mut need = |cond: bool, key: &'static str, msg: &str| {
        if cond {
            errors.push((key, msg.to_string()));
        }
    };
    match kind {
        Kind::Signaal => {
            // Information from third parties names its source.
            need(
                is(body, "bron", "derde") && !has(body, "bron_wie"),
                "bron_wie",
                "Vermeld wie het vertelde: informatie van anderen noemt altijd de bron.",
            );
            // A diagnosis is recorded only if made by a qualified professional: record who.
            need(
                has(body, "diagnose") && !has(body, "diagnose_door"),
                "diagnose_door",
                "Vermeld wie de diagnose stelde en wat diens beroep is.",
            );
        }
        Kind::Consultatie => {
            // Advice from Veilig Thuis is asked on anonymous pupil data.
            need(
                is(body, "met", "veilig_thuis") && !has(body, "anoniem"),
                "anoniem",
                "Vraag Veilig Thuis om advies zonder naam of andere gegevens van de leerling, en bevestig dat hier.",
            );
        }
        Kind::Gesprek => {
            // Parents are informed beforehand as a rule; if not, why not.
            need(
                is(body, "ouders_vooraf", "nee") && !has(body, "ouders_vooraf_waarom"),
                "ouders_vooraf_waarom",
                "Leg uit waarom de ouders niet vooraf zijn ingelicht.",
            );
        }
        Kind::Weging => {
            need(
                is(body, "vraag1", "ja") && !has(body, "vraag2"),
                "vraag2",
                "Beantwoord ook vraag 2 als er een vermoeden is.",
            );
            need(
                has(body, "vraag2") && !has(body, "vraag2_toelichting"),
                "vraag2_toelichting",
                "Onderbouw uw antwoord op vraag 2.",
            );
        }
        Kind::Besluit => {
            // Step 5 asks question 2 first; questions 3 and 4 only when reporting is not necessary.
            need(
                is(body, "vraag2", "nee") && !has(body, "vraag3"),
                "vraag3",
                "Beantwoord vraag 3: melden is niet nodig, kan de school dan hulp bieden of organiseren?",
            );
            need(
                is(body, "vraag3", "ja") && !has(body, "vraag4"),
                "vraag4",
                "Beantwoord vraag 4: aanvaarden de betrokkenen de hulp?",
            );
            // Questions 3 and 4 only when reporting is not necessary (question 2 "nee"): with
            // (doubt about) unsafety the school reports, and answers 3 to 5 with Veilig Thuis.
            let reporting = matches!(
                body.get("vraag2").map(String::as_str),
                Some("ja" | "twijfel")
            );
            need(
                reporting && has(body, "vraag3"),
                "vraag3",
                "Vraag 3 beantwoordt u alleen als melden niet nodig is (vraag 2: nee). Bij ja of twijfel meldt u, en beantwoordt u de vragen 3 tot 5 samen met Veilig Thuis.",
            );
            need(
                has(body, "vraag4") && !is(body, "vraag3", "ja"),
                "vraag4",
                "Vraag 4 beantwoordt u alleen als de school hulp kan bieden of organiseren (vraag 3: ja).",
            );
            need(
                has(body, "vraag3") && !has(body, "vraag3_toelichting"),
                "vraag3_toelichting",
                "Onderbouw uw antwoord op vraag 3.",
            );
            need(
                has(body, "vraag4") && !has(body, "vraag4_toelichting"),
                "vraag4_toelichting",
                "Onderbouw uw antwoord op vraag 4.",
            );
        }
        Kind::Hulpplan => {
            // The review date may be any date after the plan (and, by its field, not in the past).
            let plan = body.get("datum").and_then(|d| parse_date(d));
            for key in ["termijn", "evaluatiedatum"] {
                let later = body.get(key).and_then(|d| parse_date(d));
                // (A date before today has its own message from the field.)
                need(
                    matches!((plan, later), (Some(p), Some(l)) if l <= p && l >= ctx.today),
                    key,
                    "Deze datum moet na de datum van het plan liggen.",
                );
            }
        }
        Kind::Evaluatie | Kind::Gesloten => {
            let succeeded = if kind == Kind::Evaluatie {
                is(body, "vraag5", "ja")
            } else {
                is(body, "reden", "hulp_geslaagd")
            };
            need(
                succeeded && !has(body, "monitoring"),
                "monitoring",
                "Leg de afspraken vast over het volgen van de veiligheid.",
            );
        }
        Kind::Meldgesprek => {
            need(
                has(body, "bezwaren") && !has(body, "afweging"),
                "afweging",
                "Er waren bezwaren: leg vast hoe u ze afwoog tegen de noodzaak de leerling te beschermen.",
            );
            // Who is spoken to depends on the pupil's age on the day.
            let on = body
                .get("datum")
                .and_then(|d| parse_date(d))
                .unwrap_or(ctx.today);
            if let (Some(age), Some(met)) = (
                ctx.pupil_born.map(|b| super::dossier::age_on(b, on)),
                body.get("met"),
            ) {
                match ReportConversationWith::for_age(age) {
                    ReportConversationWith::Ouders => need(
                        met == "leerling",
                        "met",
                        "De leerling is jonger dan 12: voer dit gesprek met de ouder(s).",
                    ),
                    ReportConversationWith::Leerling => {
                        need(
                            met == "ouders",
                            "met",
                            "De leerling is 16 of ouder: voer dit gesprek met de leerling zelf.",
                        );
                        // From 16 the pupil decides whether the parents are spoken to as well.
                        need(
                            met == "leerling_en_ouders" && !has(body, "toestemming"),
                            "toestemming",
                            "De leerling is 16 of ouder: leg vast of de leerling toestemming gaf om ook met de ouders te spreken, of waarom dat niet is gevraagd.",
                        );
                        need(
                            met == "leerling_en_ouders"
                                && is(body, "toestemming", "niet_gevraagd")
                                && !has(body, "toestemming_toelichting"),
                            "toestemming_toelichting",
                            "Leg uit waarom u de leerling niet om toestemming vroeg.",
                        );
                    }
                    ReportConversationWith::LeerlingEnOfOuders => {}
                }
            }
        }
        Kind::Melding => {
            need(
                has(body, "anoniem") && !has(body, "anoniem_grond"),
                "anoniem_grond",
                "Kies op welke grond u anoniem wilt blijven.",
            );
            // All steps must be gone through before a report, or the reason why not recorded.
            // The reason is one of the lawful grounds, with an explanation.
            let missing = missing_before_report(&ctx.steps_done);
            need(
                !missing.is_empty() && !has(body, "ontbrekende_grond"),
                "ontbrekende_grond",
                "Niet alle stappen zijn doorlopen: kies de reden (acuut gevaar, of een van de twee redenen om een gesprek over te slaan).",
            );
            need(
                !missing.is_empty() && !has(body, "ontbrekende_stappen"),
                "ontbrekende_stappen",
                "Niet alle stappen zijn doorlopen: licht toe waarom.",
            );
        }
        _ => {}
    }
}

/// Whether a follow-up may say that a hypothesis was confirmed or refuted: only of an entry that
/// recorded a hypothesis.
pub fn relation_allowed(relation: &str, referred_kind: Kind, referred: &Body) -> bool {
    match relation {
        "hypothese_bevestigd" | "hypothese_weerlegd" => {
            referred_kind == Kind::Signaal && is(referred, "aard", "hypothese")
        }
        _ => true,
    }
}

/// An entry's fields for display: label and readable value, in the kind's order.
pub fn display(kind: Kind, body: &Body) -> Vec<(&'static str, String)> {
    if kind == Kind::Onleesbaar {
        return vec![("Let op", UNREADABLE_NOTICE.to_string())];
    }
    kind.fields()
        .iter()
        .filter_map(|field| {
            let value = body.get(field.key).filter(|v| !v.is_empty())?;
            let shown = match field.input {
                Input::Choice(options) => options
                    .iter()
                    .find(|(c, _)| c == value)
                    .map_or(value.clone(), |(_, l)| l.to_string()),
                Input::Check => "Ja".to_string(),
                Input::Signals => value.lines().collect::<Vec<_>>().join("; "),
                _ => value.clone(),
            };
            Some((field.label, shown))
        })
        .collect()
}

/// The answers of the afwegingskader as recorded in a dossier's entries, oldest first: a later
/// answer replaces an earlier one (steps may be taken again).
pub fn assessment<'a>(
    entries: impl IntoIterator<Item = (Kind, &'a Body)>,
) -> super::dossier::Assessment {
    let mut a = super::dossier::Assessment::default();
    for (kind, body) in entries {
        apply_to_assessment(&mut a, kind, body);
    }
    a
}

/// Whether an entry of this kind, with this body, can change the afwegingskader's answers.
pub fn answers_assessment(kind: Kind, body: &Body) -> bool {
    matches!(kind, Kind::Weging | Kind::Besluit | Kind::Evaluatie)
        || (kind == Kind::Signaal && has(body, "onthulling"))
}

/// One entry's answers laid over the ones before it.
pub fn apply_to_assessment(a: &mut super::dossier::Assessment, kind: Kind, body: &Body) {
    let yes = |b: &Body, k: &str| b.get(k).map(|v| v == "ja");
    match kind {
        Kind::Signaal if has(body, "onthulling") => a.disclosure = true,
        Kind::Weging => {
            a.q1_suspicion = yes(body, "vraag1").or(a.q1_suspicion);
            a.q2_unsafety = body
                .get("vraag2")
                .and_then(|v| Answer::parse(v))
                .or(a.q2_unsafety);
        }
        Kind::Besluit => {
            a.q2_unsafety = body
                .get("vraag2")
                .and_then(|v| Answer::parse(v))
                .or(a.q2_unsafety);
            a.q3_help_possible = yes(body, "vraag3").or(a.q3_help_possible);
            a.q4_help_accepted = yes(body, "vraag4").or(a.q4_help_accepted);
        }
        Kind::Evaluatie => a.q5_help_works = yes(body, "vraag5"),
        _ => {}
    }
}

/// How an entry changes where its dossier stands, as kept beside the dossier for lists and the
/// workspace: the step it counts for, and the dates by which something is due.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StateChange {
    /// Whether the entry is work on the dossier (and so resets "days without an entry"); adding a
    /// colleague or asking for a transfer is administration, not work on the case.
    pub activity: bool,
    /// Bit n set for step n.
    pub step_bit: i64,
    /// `Some(date)` sets, `Some(None)` clears the help plan's review date.
    pub review_due: Option<Option<String>>,
    /// `Some(date)` sets, `Some(None)` clears the date Veilig Thuis's feedback is due.
    pub feedback_due: Option<Option<String>>,
}

pub fn state_change(kind: Kind, body: &Body) -> StateChange {
    let step_bit = kind.step().map_or(0, |s| 1_i64 << s.number());
    let date = |k: &str| body.get(k).and_then(|d| parse_date(d));
    let (review_due, feedback_due) = match kind {
        // A help plan is reviewed on its review date, when question 5 is answered.
        Kind::Hulpplan => (Some(date("evaluatiedatum").map(|d| d.to_string())), None),
        Kind::Evaluatie => (Some(None), None),
        // Veilig Thuis gives feedback within 5 working days after a report.
        Kind::Melding => (
            None,
            Some(date("datum").map(|d| {
                super::dossier::add_working_days(d, super::dossier::FEEDBACK_WORKING_DAYS)
                    .to_string()
            })),
        ),
        Kind::Terugkoppeling => (None, Some(None)),
        // A closed dossier has nothing due.
        Kind::Gesloten => (Some(None), Some(None)),
        _ => (None, None),
    };
    let activity = !matches!(
        kind,
        Kind::CollegaToegevoegd
            | Kind::CollegaVerwijderd
            | Kind::Casemanager
            | Kind::OverdrachtGevraagd
            | Kind::Overgedragen
    );
    StateChange {
        activity,
        step_bit,
        review_due,
        feedback_due,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn ctx() -> Context {
        Context {
            today: date!(2026 - 11 - 28),
            forms: vec![],
            steps_done: BTreeSet::new(),
            signals: Some(super::super::signals::List::default_for(
                super::super::signals::AgeBand::From4To12,
            )),
            pupil_born: Some(date!(2017 - 06 - 01)),
            opened_on: Some(date!(2026 - 11 - 02)),
        }
    }

    fn values(pairs: &[(&str, &str)]) -> Values {
        let mut v = Values::new();
        for (k, val) in pairs {
            v.entry(k.to_string()).or_default().push(val.to_string());
        }
        v
    }

    fn error_keys(r: Result<Body, FieldErrors>) -> Vec<&'static str> {
        r.err()
            .unwrap_or_default()
            .into_iter()
            .map(|(k, _)| k)
            .collect()
    }

    #[test]
    fn a_signal_from_a_third_party_must_name_its_source() {
        let v = values(&[
            ("aard", "feit"),
            ("waarneming", "Blauwe plek op de arm"),
            ("bron", "derde"),
        ]);
        assert_eq!(
            error_keys(validate(Kind::Signaal, &v, &ctx())),
            vec!["bron_wie"]
        );
        let mut ok = v.clone();
        ok.insert("bron_wie".into(), vec!["Moeder van een klasgenoot".into()]);
        assert!(validate(Kind::Signaal, &ok, &ctx()).is_ok());
    }

    #[test]
    fn only_signals_of_the_list_in_use_are_stored_by_their_text() {
        let list = ctx().signals.unwrap();
        let known = list.groups[0].signals[0].clone();
        let v = values(&[
            ("aard", "feit"),
            ("waarneming", "x"),
            ("bron", "eigen"),
            ("signalen", &known),
            ("signalen", "Iets wat niet op de lijst staat"),
        ]);
        let body = validate(Kind::Signaal, &v, &ctx()).unwrap();
        assert_eq!(body["signalen"], known);
    }

    #[test]
    fn a_report_makes_feedback_due_after_5_working_days_and_feedback_clears_it() {
        let mut b = Body::new();
        b.insert("datum".into(), "2026-11-26".into());
        let c = state_change(Kind::Melding, &b);
        assert_eq!(c.step_bit, 1 << 5);
        assert_eq!(c.feedback_due, Some(Some("2026-12-03".into())));
        assert_eq!(
            state_change(Kind::Terugkoppeling, &b).feedback_due,
            Some(None)
        );
    }

    #[test]
    fn a_help_plan_sets_its_review_date_and_the_evaluation_clears_it() {
        let mut b = Body::new();
        b.insert("evaluatiedatum".into(), "2027-01-15".into());
        assert_eq!(
            state_change(Kind::Hulpplan, &b).review_due,
            Some(Some("2027-01-15".into()))
        );
        assert_eq!(
            state_change(Kind::Evaluatie, &Body::new()).review_due,
            Some(None)
        );
        assert_eq!(
            state_change(Kind::Signaal, &Body::new()),
            StateChange {
                activity: true,
                step_bit: 2,
                ..Default::default()
            }
        );
        assert!(
            !state_change(Kind::CollegaToegevoegd, &Body::new()).activity,
            "administration is not work on the case"
        );
    }

    #[test]
    fn a_hypothesis_is_recorded_as_one() {
        let v = values(&[
            ("aard", "hypothese"),
            ("waarneming", "Mogelijk spanning thuis"),
            ("bron", "eigen"),
        ]);
        let body = validate(Kind::Signaal, &v, &ctx()).unwrap();
        assert_eq!(body["aard"], "hypothese");
        assert!(
            display(Kind::Signaal, &body)
                .iter()
                .any(|(_, v)| v.contains("veronderstelling"))
        );
        assert_eq!(
            error_keys(validate(
                Kind::Signaal,
                &values(&[("waarneming", "x"), ("bron", "eigen")]),
                &ctx()
            )),
            vec!["aard"]
        );
    }

    #[test]
    fn a_diagnosis_is_recorded_only_with_who_made_it() {
        let v = values(&[
            ("aard", "feit"),
            ("waarneming", "x"),
            ("bron", "eigen"),
            ("diagnose", "PTSS"),
        ]);
        assert_eq!(
            error_keys(validate(Kind::Signaal, &v, &ctx())),
            vec!["diagnose_door"]
        );
    }

    #[test]
    fn advice_from_veilig_thuis_is_asked_anonymously() {
        let v = values(&[
            ("met", "veilig_thuis"),
            ("naam", "Adviseur"),
            ("datum", "2026-11-27"),
            ("vraag", "q"),
            ("advies", "a"),
        ]);
        assert_eq!(
            error_keys(validate(Kind::Consultatie, &v, &ctx())),
            vec!["anoniem"]
        );
        let mut ok = v.clone();
        ok.insert("anoniem".into(), vec!["ja".into()]);
        assert!(validate(Kind::Consultatie, &ok, &ctx()).is_ok());
    }

    #[test]
    fn the_conversation_records_its_four_parts_with_interpretation_last_and_optional() {
        let keys: Vec<&str> = Kind::Gesprek.fields().iter().map(|f| f.key).collect();
        let pos = |k| keys.iter().position(|x| *x == k).unwrap();
        assert!(
            pos("doel") < pos("feiten")
                && pos("feiten") < pos("reactie")
                && pos("reactie") < pos("duiding")
        );
        let v = values(&[
            ("met", "leerling"),
            ("datum", "2026-11-27"),
            ("doel", "d"),
            ("feiten", "f"),
        ]);
        assert_eq!(
            error_keys(validate(Kind::Gesprek, &v, &ctx())),
            vec!["reactie"]
        );
    }

    #[test]
    fn parents_not_informed_beforehand_needs_a_reason() {
        let v = values(&[
            ("met", "leerling"),
            ("datum", "2026-11-27"),
            ("doel", "d"),
            ("feiten", "f"),
            ("reactie", "r"),
            ("kind_alleen", "ja"),
            ("ouders_vooraf", "nee"),
        ]);
        assert_eq!(
            error_keys(validate(Kind::Gesprek, &v, &ctx())),
            vec!["ouders_vooraf_waarom"]
        );
    }

    #[test]
    fn a_conversation_may_be_skipped_only_for_the_two_lawful_reasons() {
        let v = values(&[("reden", "geen_tijd"), ("toelichting", "druk")]);
        assert_eq!(
            error_keys(validate(Kind::GesprekOvergeslagen, &v, &ctx())),
            vec!["reden"]
        );
        let v = values(&[("reden", "veiligheid"), ("toelichting", "Vader dreigde")]);
        assert!(validate(Kind::GesprekOvergeslagen, &v, &ctx()).is_ok());
        let v = values(&[("reden", "contact_verbreken")]);
        assert_eq!(
            error_keys(validate(Kind::GesprekOvergeslagen, &v, &ctx())),
            vec!["toelichting"]
        );
    }

    #[test]
    fn the_conversation_before_a_report_is_with_parents_under_12_and_the_pupil_from_16() {
        let base = [
            ("datum", "2026-11-27"),
            ("uitleg", "u"),
            ("reactie", "r"),
            ("besluit", "b"),
        ];
        let mut young = values(&base);
        young.insert("met".into(), vec!["leerling".into()]);
        assert_eq!(
            error_keys(validate(Kind::Meldgesprek, &young, &ctx())),
            vec!["met"]
        );
        let old = Context {
            pupil_born: Some(date!(2010 - 06 - 01)),
            ..ctx()
        };
        let mut parents_only = values(&base);
        parents_only.insert("met".into(), vec!["ouders".into()]);
        assert_eq!(
            error_keys(validate(Kind::Meldgesprek, &parents_only, &old)),
            vec!["met"]
        );
        let middle = Context {
            pupil_born: Some(date!(2013 - 06 - 01)),
            ..ctx()
        };
        assert!(validate(Kind::Meldgesprek, &young, &middle).is_ok());
    }

    #[test]
    fn the_age_that_counts_is_the_age_on_the_day_of_the_conversation() {
        // Twelve on the day it is recorded, but eleven on the day of the conversation.
        let ctx = Context {
            pupil_born: Some(date!(2014 - 11 - 28)),
            ..ctx()
        };
        let v = values(&[
            ("met", "leerling"),
            ("datum", "2026-11-27"),
            ("uitleg", "u"),
            ("reactie", "r"),
            ("besluit", "b"),
        ]);
        assert_eq!(
            error_keys(validate(Kind::Meldgesprek, &v, &ctx)),
            vec!["met"]
        );
    }

    #[test]
    fn objections_before_a_report_must_be_weighed() {
        let v = values(&[
            ("met", "ouders"),
            ("datum", "2026-11-27"),
            ("uitleg", "u"),
            ("reactie", "r"),
            ("bezwaren", "Vader is boos"),
            ("besluit", "b"),
        ]);
        assert_eq!(
            error_keys(validate(Kind::Meldgesprek, &v, &ctx())),
            vec!["afweging"]
        );
    }

    #[test]
    fn a_report_with_steps_missing_names_a_lawful_ground_and_explains_it() {
        let mut v = values(&[
            ("datum", "2026-11-27"),
            ("wijze", "telefoon"),
            ("contact", "Mw. Jansen"),
            ("feiten", "f"),
            ("afspraken", "a"),
        ]);
        assert_eq!(
            error_keys(validate(Kind::Melding, &v, &ctx())),
            vec!["ontbrekende_grond", "ontbrekende_stappen"]
        );
        v.insert("ontbrekende_stappen".into(), vec!["Geen tijd".into()]);
        v.insert("ontbrekende_grond".into(), vec!["geen_tijd".into()]);
        assert_eq!(
            error_keys(validate(Kind::Melding, &v, &ctx())),
            vec!["ontbrekende_grond"],
            "only the lawful grounds"
        );
        for ground in ["acuut", "veiligheid", "contact_verbreken"] {
            v.insert("ontbrekende_grond".into(), vec![ground.into()]);
            assert!(validate(Kind::Melding, &v, &ctx()).is_ok(), "{ground}");
        }
        v.remove("ontbrekende_grond");
        v.remove("ontbrekende_stappen");
        let all = Context {
            steps_done: Step::ALL.into_iter().collect(),
            ..ctx()
        };
        assert!(validate(Kind::Melding, &v, &all).is_ok());
    }

    #[test]
    fn an_anonymous_reporter_names_the_ground() {
        let all = Context {
            steps_done: Step::ALL.into_iter().collect(),
            ..ctx()
        };
        let v = values(&[
            ("datum", "2026-11-27"),
            ("wijze", "online"),
            ("contact", "c"),
            ("feiten", "f"),
            ("afspraken", "a"),
            ("anoniem", "ja"),
        ]);
        assert_eq!(
            error_keys(validate(Kind::Melding, &v, &all)),
            vec!["anoniem_grond"]
        );
    }

    #[test]
    fn the_anonymity_ground_is_stored_only_when_anonymity_is_asked_for() {
        let all = Context {
            steps_done: Step::ALL.into_iter().collect(),
            ..ctx()
        };
        let v = values(&[
            ("datum", "2026-11-27"),
            ("wijze", "online"),
            ("contact", "c"),
            ("feiten", "f"),
            ("afspraken", "a"),
            ("anoniem_grond", "vertrouwensrelatie"),
        ]);
        let body = validate(Kind::Melding, &v, &all).unwrap();
        assert!(!body.contains_key("anoniem_grond"));
        let mut anonymous = v.clone();
        anonymous.insert("anoniem".into(), vec!["ja".into()]);
        let body = validate(Kind::Melding, &anonymous, &all).unwrap();
        assert_eq!(body["anoniem_grond"], "vertrouwensrelatie");
    }

    #[test]
    fn questions_3_and_4_are_answered_only_when_question_2_is_nee() {
        for q2 in ["ja", "twijfel"] {
            let v = values(&[
                ("vraag2", q2),
                ("vraag2_toelichting", "t"),
                ("vraag3", "ja"),
                ("vraag3_toelichting", "t"),
                ("vraag4", "ja"),
                ("vraag4_toelichting", "t"),
            ]);
            assert_eq!(
                error_keys(validate(Kind::Besluit, &v, &ctx())),
                vec!["vraag3"],
                "{q2}"
            );
        }
        let v = values(&[
            ("vraag2", "nee"),
            ("vraag2_toelichting", "t"),
            ("vraag3", "nee"),
            ("vraag3_toelichting", "t"),
            ("vraag4", "ja"),
            ("vraag4_toelichting", "t"),
        ]);
        assert_eq!(
            error_keys(validate(Kind::Besluit, &v, &ctx())),
            vec!["vraag4"],
            "question 4 only when help is possible"
        );
    }

    #[test]
    fn a_pupil_of_16_or_older_consents_before_the_parents_join_the_report_conversation() {
        let sixteen = Context {
            pupil_born: Some(date!(2010 - 06 - 01)),
            ..ctx()
        };
        let mut v = values(&[
            ("met", "leerling_en_ouders"),
            ("datum", "2026-11-27"),
            ("uitleg", "u"),
            ("reactie", "r"),
            ("besluit", "b"),
        ]);
        assert_eq!(
            error_keys(validate(Kind::Meldgesprek, &v, &sixteen)),
            vec!["toestemming"]
        );
        v.insert("toestemming".into(), vec!["niet_gevraagd".into()]);
        assert_eq!(
            error_keys(validate(Kind::Meldgesprek, &v, &sixteen)),
            vec!["toestemming_toelichting"]
        );
        v.insert(
            "toestemming_toelichting".into(),
            vec!["De leerling was in acuut gevaar.".into()],
        );
        assert!(validate(Kind::Meldgesprek, &v, &sixteen).is_ok());
        v.insert("toestemming".into(), vec!["ja".into()]);
        let body = validate(Kind::Meldgesprek, &v, &sixteen).unwrap();
        assert!(
            !body.contains_key("toestemming_toelichting"),
            "a reason for not asking is kept only when it was not asked"
        );
        // Under 16 the parents are spoken to without asking the pupil.
        v.remove("toestemming");
        assert!(validate(Kind::Meldgesprek, &v, &ctx()).is_ok());
    }

    #[test]
    fn no_entry_is_dated_before_the_dossier_was_opened() {
        let v = values(&[("datum", "2026-11-01"), ("uitkomst", "u")]);
        let errors = validate(Kind::Terugkoppeling, &v, &ctx()).unwrap_err();
        assert_eq!(errors[0].0, "datum");
        assert!(
            errors[0]
                .1
                .contains("vóór de opening van het dossier (02-11-2026)")
        );
        let v = values(&[("datum", "2026-11-02"), ("uitkomst", "u")]);
        assert!(validate(Kind::Terugkoppeling, &v, &ctx()).is_ok());
    }

    #[test]
    fn the_help_plans_review_date_lies_after_the_plan_which_may_be_earlier_in_the_week() {
        // The plan was made on Monday and is recorded on Saturday (ctx's today, 28 November).
        let plan = |review: &str| {
            values(&[
                ("datum", "2026-11-23"),
                ("hulp", "h"),
                ("rollen", "r"),
                ("casemanager", "c"),
                ("termijn", "2027-01-31"),
                ("evaluatiedatum", review),
            ])
        };
        assert!(validate(Kind::Hulpplan, &plan("2026-11-28"), &ctx()).is_ok());
        let past = validate(Kind::Hulpplan, &plan("2026-11-25"), &ctx()).unwrap_err();
        assert_eq!(past[0].0, "evaluatiedatum");
        assert!(past[0].1.contains("in het verleden"));
        let mut before_plan = plan("2026-12-15");
        before_plan.insert("datum".into(), vec!["2026-11-28".into()]);
        before_plan.insert("termijn".into(), vec!["2026-11-28".into()]);
        assert_eq!(
            error_keys(validate(Kind::Hulpplan, &before_plan, &ctx())),
            vec!["termijn"]
        );
    }

    #[test]
    fn closing_after_successful_help_records_monitoring_agreements() {
        let v = values(&[("reden", "hulp_geslaagd"), ("toelichting", "t")]);
        assert_eq!(
            error_keys(validate(Kind::Gesloten, &v, &ctx())),
            vec!["monitoring"]
        );
        let v = values(&[
            ("reden", "ongegrond"),
            (
                "toelichting",
                "Verklaring van de blauwe plek: val bij voetbal",
            ),
        ]);
        assert!(validate(Kind::Gesloten, &v, &ctx()).is_ok());
    }

    #[test]
    fn step_5_asks_question_2_first_then_3_and_4() {
        let v = values(&[("vraag2", "nee"), ("vraag2_toelichting", "t")]);
        assert_eq!(
            error_keys(validate(Kind::Besluit, &v, &ctx())),
            vec!["vraag3"]
        );
        let v = values(&[
            ("vraag2", "nee"),
            ("vraag2_toelichting", "t"),
            ("vraag3", "ja"),
            ("vraag3_toelichting", "t"),
        ]);
        assert_eq!(
            error_keys(validate(Kind::Besluit, &v, &ctx())),
            vec!["vraag4"]
        );
        let v = values(&[("vraag2", "twijfel"), ("vraag2_toelichting", "t")]);
        assert!(validate(Kind::Besluit, &v, &ctx()).is_ok());
    }

    #[test]
    fn dates_of_events_are_not_in_the_future_and_review_dates_not_in_the_past() {
        let v = values(&[("datum", "2027-01-01"), ("uitkomst", "u")]);
        assert_eq!(
            error_keys(validate(Kind::Terugkoppeling, &v, &ctx())),
            vec!["datum"]
        );
        // Typed the Dutch way, stored as the browser sends it.
        let v = values(&[("datum", "28-11-2026"), ("uitkomst", "u")]);
        assert_eq!(
            validate(Kind::Terugkoppeling, &v, &ctx()).unwrap()["datum"],
            "2026-11-28"
        );
        let v = values(&[
            ("datum", "2026-11-27"),
            ("hulp", "h"),
            ("rollen", "r"),
            ("casemanager", "c"),
            ("termijn", "2026-12-31"),
            ("evaluatiedatum", "2026-01-01"),
        ]);
        assert_eq!(
            error_keys(validate(Kind::Hulpplan, &v, &ctx())),
            vec!["evaluatiedatum"]
        );
    }

    #[test]
    fn a_date_in_an_entry_lies_between_1990_and_2100_and_has_a_four_digit_year() {
        for bad in [
            "1900-01-01",
            "-0001-01-01",
            "+2026-01-01",
            "9999-12-31",
            "0226-11-28",
        ] {
            let v = values(&[("datum", bad), ("uitkomst", "u")]);
            assert_eq!(
                error_keys(validate(Kind::Terugkoppeling, &v, &ctx())),
                vec!["datum"],
                "{bad}"
            );
        }
        let v = values(&[
            ("datum", "2026-11-27"),
            ("hulp", "h"),
            ("rollen", "r"),
            ("casemanager", "c"),
            ("termijn", "2026-12-31"),
            ("evaluatiedatum", "2101-01-01"),
        ]);
        assert_eq!(
            error_keys(validate(Kind::Hulpplan, &v, &ctx())),
            vec!["evaluatiedatum"]
        );
        let v = values(&[("datum", "1990-01-01"), ("uitkomst", "u")]);
        let opening = Context {
            opened_on: None,
            ..ctx()
        };
        assert!(validate(Kind::Terugkoppeling, &v, &opening).is_ok());
    }

    #[test]
    fn overlong_text_and_control_characters_are_refused() {
        let long = "x".repeat(TEXT_MAX + 1);
        let v = values(&[("reden", &long)]);
        assert_eq!(
            error_keys(validate(Kind::Heropend, &v, &ctx())),
            vec!["reden"]
        );
        let v = values(&[("reden", "a\u{0}b")]);
        assert_eq!(
            error_keys(validate(Kind::Heropend, &v, &ctx())),
            vec!["reden"]
        );
    }

    #[test]
    fn only_a_hypothesis_can_be_confirmed_or_refuted() {
        let mut hyp = Body::new();
        hyp.insert("aard".into(), "hypothese".into());
        let mut fact = Body::new();
        fact.insert("aard".into(), "feit".into());
        assert!(relation_allowed("hypothese_bevestigd", Kind::Signaal, &hyp));
        assert!(!relation_allowed(
            "hypothese_weerlegd",
            Kind::Signaal,
            &fact
        ));
        assert!(relation_allowed("correctie", Kind::Gesprek, &Body::new()));
    }

    #[test]
    fn the_latest_answers_form_the_assessment() {
        let mut w1 = Body::new();
        w1.insert("vraag1".into(), "ja".into());
        w1.insert("vraag2".into(), "ja".into());
        let mut b = Body::new();
        b.insert("vraag2".into(), "nee".into());
        b.insert("vraag3".into(), "ja".into());
        let a = assessment([(Kind::Weging, &w1), (Kind::Besluit, &b)]);
        assert_eq!(a.q1_suspicion, Some(true));
        assert_eq!(a.q2_unsafety, Some(Answer::Nee));
        assert_eq!(a.q3_help_possible, Some(true));
    }

    // Tests added for RULES.md: each names a rule of DOMAIN.md that had no test of its own.

    fn complete_report() -> Values {
        values(&[
            ("datum", "2026-11-27"),
            ("wijze", "telefoon"),
            ("contact", "Mw. Jansen"),
            ("feiten", "Blauwe plek op de wang, maandag gezien."),
            ("afspraken", "De mentor blijft het kind volgen."),
        ])
    }

    fn all_steps() -> Context {
        Context {
            steps_done: Step::ALL.into_iter().collect(),
            ..ctx()
        }
    }

    fn choices(kind: Kind, key: &str) -> Vec<&'static str> {
        match kind.fields().iter().find(|f| f.key == key).map(|f| f.input) {
            Some(Input::Choice(options)) => options.iter().map(|(c, _)| *c).collect(),
            other => panic!("{key} of {kind:?} is no choice: {other:?}"),
        }
    }

    #[test]
    fn a_signal_can_concern_other_children_of_the_family_whom_the_teacher_never_sees() {
        let v = values(&[
            ("aard", "feit"),
            ("waarneming", "Zus vertelde over de baby thuis."),
            ("bron", "eigen"),
            ("kinderen_van_client", "on"),
        ]);
        let body = validate(Kind::Signaal, &v, &ctx()).unwrap();
        assert_eq!(body["kinderen_van_client"], "ja");
        assert!(
            display(Kind::Signaal, &body)
                .iter()
                .any(|(label, _)| label.contains("andere kinderen in het gezin"))
        );
    }

    #[test]
    fn data_that_contradicts_the_suspicion_is_recorded_too() {
        let v = values(&[
            ("aard", "feit"),
            ("waarneming", "Blauwe plek op de arm."),
            ("bron", "eigen"),
            (
                "contra",
                "Het kind vertelde uit zichzelf over een val bij voetbal.",
            ),
        ]);
        let body = validate(Kind::Signaal, &v, &ctx()).unwrap();
        assert_eq!(
            body["contra"],
            "Het kind vertelde uit zichzelf over een val bij voetbal."
        );
        assert!(
            display(Kind::Signaal, &body)
                .iter()
                .any(|(label, _)| *label == "Wat spreekt het vermoeden tegen?")
        );
    }

    #[test]
    fn a_consultation_records_who_was_consulted_when_and_the_advice() {
        assert_eq!(
            choices(Kind::Consultatie, "met"),
            vec![
                "aandachtsfunctionaris",
                "zorgteam",
                "collega",
                "veilig_thuis"
            ]
        );
        let v = values(&[("met", "zorgteam"), ("vraag", "Wat nu?")]);
        assert_eq!(
            error_keys(validate(Kind::Consultatie, &v, &ctx())),
            vec!["naam", "datum", "advies"]
        );
        let v = values(&[
            ("met", "zorgteam"),
            ("naam", "Zorg- en adviesteam, overleg van dinsdag"),
            ("datum", "2026-11-24"),
            ("vraag", "Wat nu?"),
            ("advies", "Eerst met de moeder praten."),
        ]);
        assert!(validate(Kind::Consultatie, &v, &ctx()).is_ok());
    }

    #[test]
    fn the_weighing_records_risk_nature_and_severity_and_any_instrument_used() {
        let v = values(&[("vraag1", "nee"), ("vraag1_toelichting", "t")]);
        assert_eq!(
            error_keys(validate(Kind::Weging, &v, &ctx())),
            vec!["risico", "aard", "ernst"]
        );
        let v = values(&[
            ("risico", "r"),
            ("aard", "a"),
            ("ernst", "e"),
            ("instrument", "Risicotaxatie-instrument van de stichting"),
            ("vraag1", "nee"),
            ("vraag1_toelichting", "t"),
        ]);
        let body = validate(Kind::Weging, &v, &ctx()).unwrap();
        assert_eq!(
            body["instrument"],
            "Risicotaxatie-instrument van de stichting"
        );
    }

    #[test]
    fn the_weighing_asks_about_unsafety_when_it_finds_a_suspicion() {
        let base = [
            ("risico", "r"),
            ("aard", "a"),
            ("ernst", "e"),
            ("vraag1_toelichting", "t"),
        ];
        let mut suspicion = values(&base);
        suspicion.insert("vraag1".into(), vec!["ja".into()]);
        assert_eq!(
            error_keys(validate(Kind::Weging, &suspicion, &ctx())),
            vec!["vraag2"]
        );
        assert_eq!(
            choices(Kind::Weging, "vraag2"),
            vec!["ja", "twijfel", "nee"]
        );
        suspicion.insert("vraag2".into(), vec!["twijfel".into()]);
        assert_eq!(
            error_keys(validate(Kind::Weging, &suspicion, &ctx())),
            vec!["vraag2_toelichting"],
            "the answer is argued"
        );
        let mut none = values(&base);
        none.insert("vraag1".into(), vec!["nee".into()]);
        assert!(validate(Kind::Weging, &none, &ctx()).is_ok());
    }

    #[test]
    fn the_conversation_before_a_report_explains_hears_weighs_objections_and_decides() {
        let keys: Vec<&str> = Kind::Meldgesprek.fields().iter().map(|f| f.key).collect();
        let pos = |k| keys.iter().position(|x| *x == k).unwrap();
        assert!(
            pos("uitleg") < pos("reactie")
                && pos("reactie") < pos("bezwaren")
                && pos("bezwaren") < pos("afweging")
                && pos("afweging") < pos("besluit")
        );
        let v = values(&[("met", "ouders"), ("datum", "2026-11-27")]);
        assert_eq!(
            error_keys(validate(Kind::Meldgesprek, &v, &ctx())),
            vec!["uitleg", "reactie", "besluit"]
        );
    }

    #[test]
    fn the_conversation_before_a_report_may_be_skipped_only_for_the_same_two_reasons() {
        assert_eq!(
            choices(Kind::MeldgesprekOvergeslagen, "reden"),
            choices(Kind::GesprekOvergeslagen, "reden")
        );
        let v = values(&[("reden", "geen_tijd"), ("toelichting", "druk")]);
        assert_eq!(
            error_keys(validate(Kind::MeldgesprekOvergeslagen, &v, &ctx())),
            vec!["reden"]
        );
        let v = values(&[("reden", "veiligheid"), ("toelichting", "Vader dreigde")]);
        assert!(validate(Kind::MeldgesprekOvergeslagen, &v, &ctx()).is_ok());
        let v = values(&[("reden", "contact_verbreken")]);
        assert_eq!(
            error_keys(validate(Kind::MeldgesprekOvergeslagen, &v, &ctx())),
            vec!["toelichting"],
            "the reason is recorded"
        );
    }

    #[test]
    fn a_report_sticks_to_facts_names_what_others_said_and_agrees_what_the_school_still_does() {
        let v = values(&[
            ("datum", "2026-11-27"),
            ("wijze", "telefoon"),
            ("contact", "Mw. Jansen"),
        ]);
        assert_eq!(
            error_keys(validate(Kind::Melding, &v, &all_steps())),
            vec!["feiten", "afspraken"]
        );
        let mut v = complete_report();
        v.insert(
            "van_anderen".into(),
            vec!["De buurvrouw hoorde geschreeuw.".into()],
        );
        let body = validate(Kind::Melding, &v, &all_steps()).unwrap();
        assert_eq!(body["van_anderen"], "De buurvrouw hoorde geschreeuw.");
    }

    #[test]
    fn reporting_is_a_right_and_asks_no_consent_of_the_family() {
        assert!(
            Kind::Melding
                .fields()
                .iter()
                .all(|f| !f.key.contains("toestemming") && !f.label.contains("toestemming")),
            "a report has no consent field"
        );
        assert!(validate(Kind::Melding, &complete_report(), &all_steps()).is_ok());
    }

    #[test]
    fn an_anonymous_reporter_has_exactly_the_three_lawful_grounds() {
        assert_eq!(
            choices(Kind::Melding, "anoniem_grond"),
            vec!["bedreiging_kind", "bedreiging_melder", "vertrouwensrelatie"]
        );
        let mut v = complete_report();
        v.insert("anoniem".into(), vec!["ja".into()]);
        v.insert("anoniem_grond".into(), vec!["liever_niet".into()]);
        assert_eq!(
            error_keys(validate(Kind::Melding, &v, &all_steps())),
            vec!["anoniem_grond"]
        );
    }

    #[test]
    fn a_help_plan_records_the_help_its_term_the_roles_and_a_case_manager() {
        let v = values(&[("datum", "2026-11-27"), ("evaluatiedatum", "2027-01-15")]);
        assert_eq!(
            error_keys(validate(Kind::Hulpplan, &v, &ctx())),
            vec!["hulp", "rollen", "casemanager", "termijn"]
        );
    }

    #[test]
    fn the_feedback_of_veilig_thuis_records_the_outcome_of_its_safety_assessment() {
        let v = values(&[("datum", "2026-11-27")]);
        assert_eq!(
            error_keys(validate(Kind::Terugkoppeling, &v, &ctx())),
            vec!["uitkomst"]
        );
    }

    #[test]
    fn an_emergency_call_records_whom_was_called_veilig_thuis_112_or_another_service() {
        assert_eq!(
            choices(Kind::Noodmelding, "gebeld"),
            vec!["veilig_thuis", "112", "beide", "anders"]
        );
        let v = values(&[
            ("gebeld", "anders"),
            ("wat", "Raad voor de Kinderbescherming gebeld."),
        ]);
        assert!(validate(Kind::Noodmelding, &v, &ctx()).is_ok());
    }

    #[test]
    fn a_suspected_serious_crime_records_the_coordination_with_the_police() {
        let v = values(&[("datum", "2026-11-27")]);
        assert_eq!(
            error_keys(validate(Kind::Politie, &v, &ctx())),
            vec!["contact", "afspraken"]
        );
        let v = values(&[
            ("datum", "2026-11-27"),
            ("contact", "Wijkagent De Vries"),
            (
                "afspraken",
                "Geen gesprek met het kind voordat de politie het verhoor heeft gedaan.",
            ),
        ]);
        assert!(validate(Kind::Politie, &v, &ctx()).is_ok());
    }

    #[test]
    fn a_signal_in_the_verwijsindex_is_considered_and_the_choice_explained() {
        assert_eq!(
            choices(Kind::Verwijsindex, "besluit"),
            vec!["gemeld", "niet_gemeld"]
        );
        let v = values(&[("besluit", "niet_gemeld")]);
        assert_eq!(
            error_keys(validate(Kind::Verwijsindex, &v, &ctx())),
            vec!["reden"]
        );
    }
}
