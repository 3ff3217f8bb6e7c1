//! The fields of each entry kind: what its form asks and what its display shows, in order.
//!
//! This file is over 600 lines because it is data: one list per kind, which a reader compares
//! side by side (the same key, label and choices recur across kinds). Splitting it would scatter
//! the forms without making any one of them shorter.
//!
//! A key that other code reads or writes is a constant of [`super::keys`]; a key only the form
//! and the display use stays a literal here.

use super::super::risk::RiskLevel;
use super::keys;
use super::{DateRule, Field, Input, Kind};

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
pub(super) const SKIP_REASONS: &[(&str, &str)] = &[
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
        keys::AARD,
        "Wat legt u vast?",
        "Houd feiten en veronderstellingen uit elkaar.",
        Input::Choice(&[
            ("feit", "Een feit: iets wat ik zelf zag of hoorde"),
            ("hypothese", "Een veronderstelling of hypothese"),
        ]),
        true,
    ),
    f(
        keys::WAARNEMING,
        "Beschrijving",
        "Zo feitelijk mogelijk: wat, wanneer, waar, wie. Citeer letterlijk wat er gezegd werd.",
        Input::Text,
        true,
    ),
    f(
        keys::SIGNALEN,
        "Signalen uit de signalenlijst",
        "Vink aan wat past. Signalen zijn aanwijzingen, geen bewijs.",
        Input::Signals,
        false,
    ),
    f(
        keys::LICHAAM,
        "Waar op het lichaam zag u letsel?",
        "Vink alleen aan wat u zelf zag. Beschrijf het letsel (kleur, grootte, vorm) in de beschrijving. Links en rechts zijn die van de leerling.",
        Input::BodyMap,
        false,
    ),
    f(
        keys::BRON,
        "Van wie komt deze informatie?",
        "",
        Input::Choice(&[
            ("eigen", "Eigen waarneming"),
            ("derde", "Iemand anders vertelde het"),
        ]),
        true,
    ),
    f(
        keys::BRON_WIE,
        "Wie vertelde het?",
        "Verplicht als iemand anders het vertelde: naam en functie of relatie tot de leerling.",
        Input::Line,
        false,
    ),
    f(
        keys::CONTRA,
        "Wat spreekt het vermoeden tegen?",
        "Ook gegevens die het vermoeden weerspreken legt u vast.",
        Input::Text,
        false,
    ),
    f(
        keys::DIAGNOSE,
        "Diagnose",
        "Alleen een diagnose van een deskundige, nooit een eigen inschatting.",
        Input::Line,
        false,
    ),
    f(
        keys::DIAGNOSE_DOOR,
        "Diagnose gesteld door",
        "Naam en beroep van wie de diagnose stelde.",
        Input::Line,
        false,
    ),
    f(
        keys::ONTHULLING,
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
        keys::MET,
        "Met wie overlegde u?",
        "",
        Input::Choice(&[
            ("aandachtsfunctionaris", "De aandachtsfunctionaris"),
            ("zorgteam", "Het zorg- en adviesteam"),
            ("collega", "Een deskundige collega"),
            ("veilig_thuis", "Veilig Thuis (anoniem advies)"),
            (
                "lec_egg",
                "Het Landelijk Expertisecentrum Eergerelateerd Geweld (LEC EGG) van de politie",
            ),
        ]),
        true,
    ),
    f(
        keys::NAAM,
        "Naam",
        "Wie sprak u precies?",
        Input::Line,
        true,
    ),
    f(keys::DATUM, "Datum", "", Input::Date(DateRule::Past), true),
    f(keys::VRAAG, "Uw vraag", "", Input::Text, true),
    f(keys::ADVIES, "Het advies", "", Input::Text, true),
    f(
        keys::ANONIEM,
        "Ik heb Veilig Thuis geen naam of andere gegevens van de leerling gegeven",
        "Alleen bij advies van Veilig Thuis. Advies vragen doorbreekt uw beroepsgeheim niet, zolang het anoniem is.",
        Input::Check,
        false,
    ),
    f(
        keys::DESKUNDIGE,
        "Specifieke deskundigheid",
        "Bij een vermoeden van eergerelateerd geweld, huwelijksdwang of meisjesbesnijdenis: wie met specifieke deskundigheid raadpleegde u?",
        Input::Line,
        false,
    ),
];

const GESPREK: &[Field] = &[
    f(
        keys::MET,
        "Met wie sprak u?",
        "",
        Input::Choice(MET_WIE),
        true,
    ),
    f(
        keys::VEILIG_MET_OUDERS,
        "De geraadpleegde deskundigen (LEC EGG of Veilig Thuis) vinden dit gesprek met de ouders veilig",
        "Alleen bij een vermoeden van eergerelateerd geweld, huwelijksdwang of meisjesbesnijdenis, als u met de ouders spreekt.",
        Input::Check,
        false,
    ),
    f(
        keys::AL_GEVOERD,
        "Vond dit gesprek al plaats vóór het overleg met specifieke deskundigheid? Wat gebeurde er, en waarom toen al?",
        "Alleen als het gesprek al gevoerd is. Leg het dan toch vast, met deze uitleg, en overleg nu alsnog met Veilig Thuis of het LEC EGG.",
        Input::Text,
        false,
    ),
    f(keys::DATUM, "Datum", "", Input::Date(DateRule::Past), true),
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
        keys::REACTIE,
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
        keys::OUDERS_VOORAF,
        "Waren de ouders vooraf ingelicht?",
        "In de regel licht u de ouders vooraf in, tenzij de veiligheid dat niet toelaat.",
        Input::Choice(&[("ja", "Ja"), ("nee", "Nee"), ("nvt", "Niet van toepassing")]),
        false,
    ),
    f(
        keys::OUDERS_VOORAF_WAAROM,
        "Waarom niet?",
        "",
        Input::Text,
        false,
    ),
];

const GESPREK_OVERGESLAGEN: &[Field] = &[
    f(
        keys::REDEN,
        "Waarom voert u het gesprek niet?",
        "Alleen deze twee redenen zijn geldig.",
        Input::Choice(SKIP_REASONS),
        true,
    ),
    f(keys::TOELICHTING, "Toelichting", "", Input::Text, true),
];

const WEGING: &[Field] = &[
    f(keys::RISICO, "Het risico", "", Input::Text, true),
    f(keys::AARD, "De aard van het geweld", "", Input::Text, true),
    f(keys::ERNST, "De ernst", "", Input::Text, true),
    f(
        "instrument",
        "Gebruikt instrument",
        "Bijvoorbeeld het risicotaxatie-instrument van de organisatie.",
        Input::Line,
        false,
    ),
    f(
        keys::VRAAG1,
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
        keys::VRAAG2,
        "Afwegingsvraag 2: is er sprake van acute en/of structurele onveiligheid?",
        "Twijfel telt als ja.",
        Input::Choice(JA_TWIJFEL_NEE),
        false,
    ),
    f(
        keys::VRAAG2_TOELICHTING,
        "Onderbouwing van vraag 2",
        "",
        Input::Text,
        false,
    ),
];

const BESLUIT: &[Field] = &[
    f(
        keys::VRAAG2,
        "Afwegingsvraag 2, eerst: is melden noodzakelijk? Is er acute en/of structurele onveiligheid?",
        "Twijfel telt als ja: dan meldt u.",
        Input::Choice(JA_TWIJFEL_NEE),
        true,
    ),
    f(
        keys::VRAAG2_TOELICHTING,
        "Onderbouwing",
        "",
        Input::Text,
        true,
    ),
    f(
        keys::VRAAG3,
        "Afwegingsvraag 3: kan de school effectieve hulp bieden of organiseren?",
        "Alleen als melden niet nodig is (vraag 2: nee).",
        Input::Choice(JA_NEE),
        false,
    ),
    f(
        keys::VRAAG3_TOELICHTING,
        "Onderbouwing van vraag 3",
        "",
        Input::Text,
        false,
    ),
    f(
        keys::VRAAG4,
        "Afwegingsvraag 4: aanvaarden de betrokkenen de hulp en zetten zij zich ervoor in?",
        "Alleen als de school hulp kan bieden (vraag 3: ja).",
        Input::Choice(JA_NEE),
        false,
    ),
    f(
        keys::VRAAG4_TOELICHTING,
        "Onderbouwing van vraag 4",
        "",
        Input::Text,
        false,
    ),
];

const HULPPLAN: &[Field] = &[
    f(
        keys::DATUM,
        "Datum van het plan",
        "Wanneer is het plan gemaakt? Dat mag eerder zijn dan vandaag.",
        Input::Date(DateRule::Past),
        true,
    ),
    f(keys::HULP, "Welke hulp?", "", Input::Text, true),
    f(
        "rollen",
        "Wie doet wat?",
        "De rollen van de betrokkenen.",
        Input::Text,
        true,
    ),
    f(
        keys::CASEMANAGER,
        "Casemanager",
        "Wie houdt de regie?",
        Input::Line,
        true,
    ),
    f(
        keys::TERMIJN,
        "Binnen welke termijn moet de hulp werken?",
        "",
        Input::Date(DateRule::Future),
        true,
    ),
    f(
        keys::EVALUATIEDATUM,
        "Evaluatiedatum",
        "Op deze datum beantwoordt u afwegingsvraag 5. Elke datum na het plan, vandaag of later.",
        Input::Date(DateRule::Future),
        true,
    ),
];

const EVALUATIE: &[Field] = &[
    f(
        keys::VRAAG5,
        "Afwegingsvraag 5: leidt de hulp binnen de afgesproken termijn tot de nodige veiligheid en het welzijn?",
        "",
        Input::Choice(JA_NEE),
        true,
    ),
    f(keys::TOELICHTING, "Onderbouwing", "", Input::Text, true),
    f(
        keys::MONITORING,
        "Afspraken over het volgen van de veiligheid",
        "Verplicht als de hulp heeft gewerkt.",
        Input::Text,
        false,
    ),
];

const MELDGESPREK: &[Field] = &[
    f(
        keys::MET,
        "Met wie sprak u?",
        "",
        Input::Choice(MET_WIE),
        true,
    ),
    f(
        keys::VEILIG_MET_OUDERS,
        "De geraadpleegde deskundigen (LEC EGG of Veilig Thuis) vinden dit gesprek met de ouders veilig",
        "Alleen bij een vermoeden van eergerelateerd geweld, huwelijksdwang of meisjesbesnijdenis, als u met de ouders spreekt.",
        Input::Check,
        false,
    ),
    f(
        keys::AL_GEVOERD,
        "Vond dit gesprek al plaats vóór het overleg met specifieke deskundigheid? Wat gebeurde er, en waarom toen al?",
        "Alleen als het gesprek al gevoerd is. Leg het dan toch vast, met deze uitleg, en overleg nu alsnog met Veilig Thuis of het LEC EGG.",
        Input::Text,
        false,
    ),
    f(keys::DATUM, "Datum", "", Input::Date(DateRule::Past), true),
    f(
        "uitleg",
        "1. Uitleg: waarom en waarvoor u gaat melden",
        "",
        Input::Text,
        true,
    ),
    f(keys::REACTIE, "2. De reactie", "", Input::Text, true),
    f(
        keys::BEZWAREN,
        "3. Bezwaren, en hoe u eraan tegemoet probeerde te komen",
        "",
        Input::Text,
        false,
    ),
    f(
        keys::AFWEGING,
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
        keys::TOESTEMMING,
        "Toestemming van de leerling om ook met de ouders te spreken",
        "Alleen bij een leerling van 16 of ouder met wie u samen met de ouders sprak.",
        Input::Choice(&[
            ("ja", "De leerling gaf toestemming"),
            ("niet_gevraagd", "Niet gevraagd"),
        ]),
        false,
    ),
    f(
        keys::TOESTEMMING_TOELICHTING,
        "Waarom is de toestemming niet gevraagd?",
        "",
        Input::Text,
        false,
    ),
];

const MELDING: &[Field] = &[
    f(
        keys::DATUM,
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
        keys::ANONIEM,
        "Ik wil anoniem blijven tegenover het gezin",
        "In de regel wordt bekend wie meldde (\u{201c}open, tenzij\u{201d}).",
        Input::Check,
        false,
    ),
    f(
        keys::ANONIEM_GROND,
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
        keys::ONTBREKENDE_GROND,
        "Waarom zijn niet alle stappen doorlopen?",
        "Alleen deze redenen zijn geldig.",
        Input::Choice(MISSING_STEPS_GROUNDS),
        false,
    ),
    f(
        keys::ONTBREKENDE_STAPPEN,
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

const ACTIE: &[Field] = &[
    f(keys::WAT, "Wat moet er gebeuren?", "", Input::Text, true),
    f(keys::VOOR, "Voor wie", "", Input::Line, true),
    f(
        keys::UITERLIJK,
        "Uiterlijk klaar op",
        "",
        Input::Date(DateRule::Future),
        true,
    ),
];
const ACTIE_AFGEROND: &[Field] = &[
    f(keys::WAT, "De actie", "", Input::Text, true),
    f(
        keys::UITKOMST,
        "Hoe is het gegaan?",
        "",
        Input::Choice(&[("gedaan", "Gedaan"), ("niet_gedaan", "Niet gedaan")]),
        true,
    ),
    f(keys::TOELICHTING, "Toelichting", "", Input::Text, false),
];
const TERUGKOPPELING: &[Field] = &[
    f(keys::DATUM, "Datum", "", Input::Date(DateRule::Past), true),
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
        keys::RELATIE,
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
        keys::REDEN,
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
        keys::GROND,
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
    f(keys::TOELICHTING, "Toelichting", "", Input::Text, true),
    f(
        keys::MONITORING,
        "Afspraken over het volgen van de veiligheid",
        "Verplicht als de hulp heeft gewerkt.",
        Input::Text,
        false,
    ),
    f(
        keys::OPEN_PLICHTEN_REDEN,
        "Waarom sluit u het dossier terwijl er nog wettelijke plichten openstaan?",
        "Alleen bij een vermoeden tegen een medewerker, als nog niet alle plichten zijn vastgelegd.",
        Input::Text,
        false,
    ),
];

const HEROPEND: &[Field] = &[
    f(
        keys::REDEN,
        "Waarom heropent u het dossier?",
        "",
        Input::Text,
        true,
    ),
    f(
        keys::NIEUWE_SIGNALEN,
        "Welke nieuwe signalen zijn er?",
        "Het dossier was gesloten omdat het vermoeden ongegrond bleek: wat is er sindsdien gezien of gehoord?",
        Input::Text,
        false,
    ),
];

const NOODMELDING: &[Field] = &[
    f(
        keys::GEBELD,
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
        keys::WAT,
        "Wat is er gebeurd?",
        "Kort; u vult het dossier later aan.",
        Input::Text,
        true,
    ),
];

const MEDEWERKERPLICHT: &[Field] = &[
    f(
        keys::PLICHT,
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
    f(keys::DATUM, "Datum", "", Input::Date(DateRule::Past), true),
    f(
        keys::REDELIJK_VERMOEDEN,
        "Uitkomst van het overleg: is er een redelijk vermoeden?",
        "Alleen bij het overleg met de vertrouwensinspecteur. Bij nee vervallen de volgende plichten.",
        Input::Choice(JA_NEE),
        false,
    ),
    f(
        keys::TOELICHTING,
        "Toelichting",
        "Wat werd besproken of besloten, met wie.",
        Input::Text,
        true,
    ),
    f(
        keys::REDEN_VOLGORDE,
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
    f(keys::REDEN, "Waarom?", "", Input::Text, true),
];

const POLITIE: &[Field] = &[
    f(keys::DATUM, "Datum", "", Input::Date(DateRule::Past), true),
    f("contact", "Contact bij de politie", "", Input::Line, true),
    f(
        "afspraken",
        "Afspraken",
        "Bij een vermoeden van een ernstig misdrijf: welke stappen zijn afgestemd?",
        Input::Text,
        true,
    ),
];

const RISICO: &[Field] = &[
    f(
        keys::NIVEAU,
        "Risico",
        "Hoe onveilig schat u de situatie van de leerling nu in?",
        Input::Choice(RiskLevel::CHOICES),
        true,
    ),
    f(
        keys::ONDERBOUWING,
        "Waarom dit risico?",
        "Noem de feiten en signalen waarop u de inschatting baseert. Een latere inschatting legt u opnieuw vast; deze blijft staan.",
        Input::Text,
        true,
    ),
];

const WAARNEEMNOTITIE: &[Field] = &[f(
    "notitie",
    "Wat moet de waarnemer weten?",
    "Wat loopt er, wat moet er gebeuren en wanneer, met wie is er contact, en waar moet de waarnemer op letten. Schrijf feiten; een nieuw signaal legt u vast als signaal.",
    Input::Text,
    true,
)];

/// The fields of entries the application writes itself (not through a form): for display.
const COLLEGA: &[Field] = &[f(keys::COLLEGA, "Collega", "", Input::Line, false)];
const SAMENVOEGING: &[Field] = &[
    f(keys::DOSSIER, "Dossier", "", Input::Line, false),
    f(keys::TOELICHTING, "Toelichting", "", Input::Text, false),
];
const OVERDRACHT: &[Field] = &[
    f(keys::VAN, "Van school", "", Input::Line, false),
    f(keys::NAAR, "Naar school", "", Input::Line, false),
];

impl Kind {
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
            Kind::Risico => RISICO,
            Kind::Waarneemnotitie => WAARNEEMNOTITIE,
            Kind::CollegaToegevoegd | Kind::CollegaVerwijderd | Kind::Casemanager => COLLEGA,
            Kind::OverdrachtGevraagd | Kind::Overgedragen => OVERDRACHT,
            Kind::Samengevoegd | Kind::OpgegaanIn => SAMENVOEGING,
            Kind::Actie => ACTIE,
            Kind::ActieAfgerond => ACTIE_AFGEROND,
            Kind::Geopend | Kind::Onleesbaar => &[],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{ctx, error_keys, values};
    use super::super::validate;
    use super::*;

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
}
