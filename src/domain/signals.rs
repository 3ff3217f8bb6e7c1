//! The default signal lists (signalenlijsten) shipped with the app, one per age band.
//!
//! In step 1 of the meldcode a beroepskracht maps the signals (DOMAIN.md, "Step 1" and
//! "Signalling lists"). Next to free-text observations the teacher can tick signals from a list
//! for the pupil's age band: 0 to 4, 4 to 12 and 12 to 18 years. The organisation may load its
//! own list; the lists here are the defaults used when it has none.
//!
//! **A signal is an indication, not proof.** Almost every signal here can have another cause, and
//! a list is never complete: other observations can point to abuse as well, and a child who is
//! abused may show none of these. Signals gain meaning from their number, their combination and
//! their context, and from the conversations of steps 2 and 3. The interface must present them
//! that way, and the dossier records them as observations, never as conclusions.
//!
//! The texts are written in Dutch for this app, after the kind of public signalenlijsten used in
//! education and childcare. Each is a short, observable phrase that fits a checkbox.
//!
//! Every signal has a stable ASCII code, unique across all bands, of the form
//! `<band>.<group>.<number>`, for example `4-12.lich.01`. Dossier entries store the signal's text
//! (see [`List`]), so that an entry reads the same whatever later happens to a list.
//!
//! (Longer than ~600 lines because it holds the three default lists themselves, as data.)

/// An age band (leeftijdsgroep) of the signal lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AgeBand {
    /// 0 to 4 years: babies, toddlers and pre-schoolers.
    UpTo4,
    /// 4 to 12 years: the primary school age.
    From4To12,
    /// 12 to 18 years: adolescents; pupils of 18 and over fall in this band too.
    From12To18,
}

impl AgeBand {
    /// Every band, youngest first.
    pub const ALL: [AgeBand; 3] = [AgeBand::UpTo4, AgeBand::From4To12, AgeBand::From12To18];

    /// Band for an age in whole years: 0..=3 -> UpTo4, 4..=11 -> From4To12, 12 and over -> From12To18.
    pub fn for_age(years: u32) -> AgeBand {
        match years {
            0..=3 => AgeBand::UpTo4,
            4..=11 => AgeBand::From4To12,
            _ => AgeBand::From12To18,
        }
    }

    /// The stable code stored in the database, used in forms and as prefix of the signal codes.
    pub fn code(self) -> &'static str {
        match self {
            AgeBand::UpTo4 => "0-4",
            AgeBand::From4To12 => "4-12",
            AgeBand::From12To18 => "12-18",
        }
    }

    /// Parses a band code; `None` for anything else.
    pub fn parse(code: &str) -> Option<AgeBand> {
        let code = code.trim();
        AgeBand::ALL.into_iter().find(|b| b.code() == code)
    }

    /// The Dutch name shown to users.
    pub fn label(self) -> &'static str {
        match self {
            AgeBand::UpTo4 => "0 tot 4 jaar",
            AgeBand::From4To12 => "4 tot 12 jaar",
            AgeBand::From12To18 => "12 tot 18 jaar",
        }
    }
}

/// One signal a teacher can tick: its stable code and its Dutch text.
#[derive(Debug)]
pub struct Signal {
    pub code: &'static str,
    pub text: &'static str,
}

/// A titled group of signals within one band's list, such as "Lichamelijke signalen".
#[derive(Debug)]
pub struct SignalGroup {
    pub title: &'static str,
    pub signals: &'static [Signal],
}

/// The default list for an age band.
pub fn default_list(band: AgeBand) -> &'static [SignalGroup] {
    match band {
        AgeBand::UpTo4 => UP_TO_4,
        AgeBand::From4To12 => FROM_4_TO_12,
        AgeBand::From12To18 => FROM_12_TO_18,
    }
}

/// Looks up a signal by code in a band's default list.
pub fn find(band: AgeBand, code: &str) -> Option<&'static Signal> {
    default_list(band)
        .iter()
        .flat_map(|group| group.signals.iter())
        .find(|signal| signal.code == code)
}

/// Shorthand that keeps the lists below readable.
const fn sig(code: &'static str, text: &'static str) -> Signal {
    Signal { code, text }
}

static UP_TO_4: &[SignalGroup] = &[
    SignalGroup {
        title: "Lichamelijke signalen",
        signals: &[
            sig(
                "0-4.lich.01",
                "Blauwe plekken of andere verwondingen op ongebruikelijke plaatsen",
            ),
            sig("0-4.lich.02", "Brand-, bijt- of krabwonden"),
            sig(
                "0-4.lich.03",
                "Letsel dat niet past bij wat het kind zelf al kan (bijv. kruipen, lopen)",
            ),
            sig(
                "0-4.lich.04",
                "Uitleg over letsel ontbreekt, past niet of verandert steeds",
            ),
            sig(
                "0-4.lich.05",
                "Herhaaldelijk letsel of bezoek aan de huisarts of spoedeisende hulp",
            ),
            sig(
                "0-4.lich.06",
                "Kind groeit slecht of blijft achter in gewicht",
            ),
        ],
    },
    SignalGroup {
        title: "Gedrag van het kind",
        signals: &[
            sig(
                "0-4.gedr.01",
                "Kind is opvallend passief, stil of lusteloos",
            ),
            sig(
                "0-4.gedr.02",
                "Kind laat weinig gevoel zien, ook niet bij pijn",
            ),
            sig(
                "0-4.gedr.03",
                "Kind is erg waakzaam en volgt volwassenen voortdurend met de ogen",
            ),
            sig(
                "0-4.gedr.04",
                "Kind schrikt sterk van aanraking, harde geluiden of snelle bewegingen",
            ),
            sig("0-4.gedr.05", "Kind huilt veel en is moeilijk te troosten"),
            sig(
                "0-4.gedr.06",
                "Kind is opvallend agressief naar andere kinderen",
            ),
            sig(
                "0-4.gedr.07",
                "Kind zoekt bij iedere onbekende volwassene contact",
            ),
        ],
    },
    SignalGroup {
        title: "Ontwikkeling en spel",
        signals: &[
            sig("0-4.ontw.01", "Achterstand in taal en spraak"),
            sig("0-4.ontw.02", "Achterstand in de motoriek"),
            sig(
                "0-4.ontw.03",
                "Kind valt terug in de ontwikkeling (bijv. weer brabbelen, niet meer zindelijk)",
            ),
            sig(
                "0-4.ontw.04",
                "Kind speelt weinig uit zichzelf en toont weinig interesse in spel",
            ),
            sig("0-4.ontw.05", "Kind vermijdt oogcontact"),
            sig("0-4.ontw.06", "Kind speelt nauwelijks met andere kinderen"),
        ],
    },
    SignalGroup {
        title: "Verwaarlozing",
        signals: &[
            sig(
                "0-4.verw.01",
                "Kind komt hongerig aan of eet opvallend gulzig",
            ),
            sig(
                "0-4.verw.02",
                "Vieze kleding of kleding die niet bij het weer past",
            ),
            sig("0-4.verw.03", "Ernstige of langdurige luieruitslag"),
            sig("0-4.verw.04", "Kind is zichtbaar onverzorgd of ruikt sterk"),
            sig("0-4.verw.05", "Kind is vaak oververmoeid of vaak ziek"),
            sig(
                "0-4.verw.06",
                "Afspraken bij consultatiebureau of arts worden vaak overgeslagen",
            ),
            sig("0-4.verw.07", "Kind wordt vaak te laat of niet opgehaald"),
        ],
    },
    SignalGroup {
        title: "Signalen bij de ouders / in het gezin",
        signals: &[
            sig(
                "0-4.gezin.01",
                "Ouder praat negatief of kleinerend over het kind",
            ),
            sig(
                "0-4.gezin.02",
                "Ouder reageert nauwelijks op huilen of behoeften van het kind",
            ),
            sig(
                "0-4.gezin.03",
                "Ouder verwacht dingen van het kind die niet passen bij de leeftijd",
            ),
            sig("0-4.gezin.04", "Ouder pakt het kind ruw aan of straft hard"),
            sig(
                "0-4.gezin.05",
                "Ouder maakt een verwarde indruk of lijkt onder invloed",
            ),
            sig(
                "0-4.gezin.06",
                "Aanwijzingen voor ruzie of geweld tussen de ouders",
            ),
            sig(
                "0-4.gezin.07",
                "Kind gedraagt zich anders in het bijzijn van een ouder",
            ),
        ],
    },
    SignalGroup {
        title: "Seksueel misbruik",
        signals: &[
            sig(
                "0-4.seks.01",
                "Seksueel gedrag dat niet past bij de leeftijd",
            ),
            sig(
                "0-4.seks.02",
                "Seksuele kennis die niet past bij de leeftijd",
            ),
            sig(
                "0-4.seks.03",
                "Pijn, jeuk, roodheid of wondjes bij geslachtsdelen of anus",
            ),
            sig("0-4.seks.04", "Kind is angstig bij verschonen of uitkleden"),
            sig(
                "0-4.seks.05",
                "Kind speelt seksuele handelingen na, met poppen of andere kinderen",
            ),
        ],
    },
];

static FROM_4_TO_12: &[SignalGroup] = &[
    SignalGroup {
        title: "Lichamelijke signalen",
        signals: &[
            sig(
                "4-12.lich.01",
                "Blauwe plekken of andere verwondingen op ongebruikelijke plaatsen",
            ),
            sig("4-12.lich.02", "Brand-, bijt- of krabwonden"),
            sig(
                "4-12.lich.03",
                "Uitleg over letsel ontbreekt, past niet of verandert steeds",
            ),
            sig(
                "4-12.lich.04",
                "Kind bedekt armen of benen, ook bij warm weer of bij gym",
            ),
            sig(
                "4-12.lich.05",
                "Vaak buikpijn, hoofdpijn of andere vage klachten",
            ),
            sig("4-12.lich.06", "Opvallend vermageren of aankomen"),
        ],
    },
    SignalGroup {
        title: "Gedrag van het kind",
        signals: &[
            sig(
                "4-12.gedr.01",
                "Kind is angstig, teruggetrokken of opvallend stil",
            ),
            sig(
                "4-12.gedr.02",
                "Kind is opvallend agressief of vernielt spullen",
            ),
            sig("4-12.gedr.03", "Plotselinge verandering in gedrag"),
            sig(
                "4-12.gedr.04",
                "Kind schrikt sterk bij aanraking of snelle bewegingen",
            ),
            sig("4-12.gedr.05", "Kind wil na school niet naar huis"),
            sig(
                "4-12.gedr.06",
                "Kind is overdreven aangepast en wil het iedereen naar de zin maken",
            ),
            sig(
                "4-12.gedr.07",
                "Kind heeft een negatief zelfbeeld of veel faalangst",
            ),
            sig(
                "4-12.gedr.08",
                "Kind vertelt over geweld, straf of angst thuis",
            ),
        ],
    },
    SignalGroup {
        title: "Ontwikkeling en leren",
        signals: &[
            sig("4-12.ontw.01", "Leerprestaties gaan duidelijk achteruit"),
            sig("4-12.ontw.02", "Kind kan zich slecht concentreren"),
            sig("4-12.ontw.03", "Achterstand in taal, spraak of motoriek"),
            sig(
                "4-12.ontw.04",
                "Kind valt terug in gedrag van jonger (bijv. bedplassen, duimen)",
            ),
            sig("4-12.ontw.05", "Kind verzuimt vaak of komt vaak te laat"),
            sig(
                "4-12.ontw.06",
                "Kind heeft weinig contact met klasgenoten, pest of wordt gepest",
            ),
        ],
    },
    SignalGroup {
        title: "Verwaarlozing",
        signals: &[
            sig(
                "4-12.verw.01",
                "Kind komt zonder ontbijt of heeft geen eten bij zich",
            ),
            sig(
                "4-12.verw.02",
                "Vieze kleding of kleding die niet bij het weer past",
            ),
            sig(
                "4-12.verw.03",
                "Kind is zichtbaar onverzorgd of ruikt sterk",
            ),
            sig(
                "4-12.verw.04",
                "Kind is vaak moe of valt in de klas in slaap",
            ),
            sig("4-12.verw.05", "Slecht verzorgd gebit"),
            sig(
                "4-12.verw.06",
                "Klachten (bijv. aan ogen, oren, huid) worden niet behandeld",
            ),
            sig("4-12.verw.07", "Kind wordt vaak te laat of niet opgehaald"),
        ],
    },
    SignalGroup {
        title: "Signalen bij de ouders / in het gezin",
        signals: &[
            sig(
                "4-12.gezin.01",
                "Ouder praat negatief of kleinerend over het kind",
            ),
            sig(
                "4-12.gezin.02",
                "Ouder vermijdt contact met school of komt afspraken niet na",
            ),
            sig(
                "4-12.gezin.03",
                "Ouder geeft wisselende of onlogische uitleg over letsel of verzuim",
            ),
            sig(
                "4-12.gezin.04",
                "Ouder maakt een verwarde indruk of lijkt onder invloed",
            ),
            sig(
                "4-12.gezin.05",
                "Kind vertelt over ruzie of geweld tussen de ouders",
            ),
            sig(
                "4-12.gezin.06",
                "Kind draagt thuis veel zorg voor ouders, broers of zussen",
            ),
            sig("4-12.gezin.07", "Ouder houdt het kind opvallend vaak thuis"),
        ],
    },
    SignalGroup {
        title: "Seksueel misbruik",
        signals: &[
            sig(
                "4-12.seks.01",
                "Seksueel gedrag of taalgebruik dat niet past bij de leeftijd",
            ),
            sig(
                "4-12.seks.02",
                "Seksuele kennis die niet past bij de leeftijd",
            ),
            sig(
                "4-12.seks.03",
                "Pijn of klachten bij plassen, zitten of lopen",
            ),
            sig(
                "4-12.seks.04",
                "Kind wil zich niet omkleden bij gym of zwemmen",
            ),
            sig(
                "4-12.seks.05",
                "Kind tekent of speelt opvallend vaak seksuele situaties",
            ),
            sig(
                "4-12.seks.06",
                "Kind is bang voor een bepaalde persoon of plek",
            ),
            sig("4-12.seks.07", "Kind heeft onverklaarde cadeaus of geld"),
        ],
    },
    // Most girls at risk of circumcision are between 4 and 12 years old, so the primary school
    // band carries this group as well as the 12 to 18 band.
    SignalGroup {
        title: "Meisjesbesnijdenis",
        signals: &[
            sig(
                "4-12.vgv.01",
                "Familie komt uit een land of gemeenschap waar besnijdenis voorkomt",
            ),
            sig(
                "4-12.vgv.02",
                "Meisje vertelt over een reis naar het land van herkomst of een feest",
            ),
            sig(
                "4-12.vgv.03",
                "Meisje is bang voor een komende vakantie of familiebezoek",
            ),
            sig("4-12.vgv.04", "Langdurig verzuim rond een vakantie"),
            sig(
                "4-12.vgv.05",
                "Na een vakantie moeite met lopen, zitten of plassen",
            ),
            sig("4-12.vgv.06", "Meisje gaat vaak of lang naar het toilet"),
            sig(
                "4-12.vgv.07",
                "Meisje wil na een vakantie niet meedoen met gym of zwemmen",
            ),
        ],
    },
];

static FROM_12_TO_18: &[SignalGroup] = &[
    SignalGroup {
        title: "Lichamelijke signalen",
        signals: &[
            sig(
                "12-18.lich.01",
                "Blauwe plekken of andere verwondingen op ongebruikelijke plaatsen",
            ),
            sig(
                "12-18.lich.02",
                "Uitleg over letsel ontbreekt, past niet of verandert steeds",
            ),
            sig(
                "12-18.lich.03",
                "Jongere bedekt armen of benen, ook bij warm weer of bij gym",
            ),
            sig(
                "12-18.lich.04",
                "Sporen van zelfbeschadiging, zoals snijwonden of krassen",
            ),
            sig("12-18.lich.05", "Opvallend vermageren of aankomen"),
            sig(
                "12-18.lich.06",
                "Vaak lichamelijke klachten zonder duidelijke oorzaak",
            ),
        ],
    },
    SignalGroup {
        title: "Gedrag van de jongere",
        signals: &[
            sig(
                "12-18.gedr.01",
                "Jongere is somber, angstig of teruggetrokken",
            ),
            sig(
                "12-18.gedr.02",
                "Plotselinge verandering in gedrag of uiterlijk",
            ),
            sig(
                "12-18.gedr.03",
                "Jongere is opvallend agressief of opstandig",
            ),
            sig("12-18.gedr.04", "Jongere gebruikt alcohol of drugs"),
            sig(
                "12-18.gedr.05",
                "Jongere praat over zelfdoding of over er niet meer willen zijn",
            ),
            sig(
                "12-18.gedr.06",
                "Jongere wil niet naar huis of loopt weg van huis",
            ),
            sig(
                "12-18.gedr.07",
                "Jongere wordt door een partner gecontroleerd, bedreigd of geslagen",
            ),
            sig(
                "12-18.gedr.08",
                "Jongere vertelt over geweld, straf of angst thuis",
            ),
        ],
    },
    SignalGroup {
        title: "School en leren",
        signals: &[
            sig("12-18.ontw.01", "Schoolprestaties gaan duidelijk achteruit"),
            sig("12-18.ontw.02", "Jongere verzuimt vaak of spijbelt"),
            sig("12-18.ontw.03", "Jongere kan zich slecht concentreren"),
            sig(
                "12-18.ontw.04",
                "Jongere is vaak moe of valt in de les in slaap",
            ),
            sig(
                "12-18.ontw.05",
                "Jongere heeft weinig contact met klasgenoten, pest of wordt gepest",
            ),
        ],
    },
    SignalGroup {
        title: "Signalen bij de ouders / in het gezin",
        signals: &[
            sig(
                "12-18.gezin.01",
                "Ouder is moeilijk bereikbaar of vermijdt contact met school",
            ),
            sig(
                "12-18.gezin.02",
                "Ouder praat negatief of kleinerend over de jongere",
            ),
            sig(
                "12-18.gezin.03",
                "Jongere vertelt over ruzie of geweld tussen de ouders",
            ),
            sig(
                "12-18.gezin.04",
                "Jongere draagt thuis veel zorg voor ouders, broers of zussen",
            ),
            sig(
                "12-18.gezin.05",
                "Ouder maakt een verwarde indruk of lijkt onder invloed",
            ),
            sig(
                "12-18.gezin.06",
                "Jongere is zichtbaar onverzorgd of heeft vaak geen eten bij zich",
            ),
            sig(
                "12-18.gezin.07",
                "Klachten of ziekte van de jongere worden niet behandeld",
            ),
        ],
    },
    SignalGroup {
        title: "Seksueel misbruik en uitbuiting",
        signals: &[
            sig(
                "12-18.seks.01",
                "Jongere vertelt over ongewenst seksueel contact",
            ),
            sig(
                "12-18.seks.02",
                "Naaktbeelden van de jongere worden verspreid of gebruikt als dreiging",
            ),
            sig(
                "12-18.seks.03",
                "Jongere heeft een relatie met een veel oudere persoon",
            ),
            sig(
                "12-18.seks.04",
                "Onverklaard geld, dure spullen of een nieuwe telefoon",
            ),
            sig(
                "12-18.seks.05",
                "Jongere wil zich niet omkleden bij gym of vermijdt aanraking",
            ),
            sig(
                "12-18.seks.06",
                "Seksueel grensoverschrijdend gedrag naar anderen",
            ),
            sig("12-18.seks.07", "Zwangerschap of soa op jonge leeftijd"),
        ],
    },
    SignalGroup {
        title: "Eergerelateerd geweld en huwelijksdwang",
        signals: &[
            sig(
                "12-18.eer.01",
                "Jongere wordt sterk gecontroleerd, bijv. altijd gebracht en gehaald",
            ),
            sig(
                "12-18.eer.02",
                "Jongere mag niet mee op schoolreis of kamp, of niet naar gym of zwemmen",
            ),
            sig(
                "12-18.eer.03",
                "Jongere is bang dat familie hoort van een relatie of van gedrag",
            ),
            sig(
                "12-18.eer.04",
                "Jongere vertelt over een geregeld of naderend huwelijk",
            ),
            sig(
                "12-18.eer.05",
                "Jongere is bang voor een reis naar het land van herkomst",
            ),
            sig(
                "12-18.eer.06",
                "Jongere komt na een vakantie niet terug op school",
            ),
            sig(
                "12-18.eer.07",
                "Jongere wordt door familie of via sociale media bedreigd",
            ),
            sig(
                "12-18.eer.08",
                "Jongere spreekt over eer, schande of de naam van de familie",
            ),
        ],
    },
    SignalGroup {
        title: "Meisjesbesnijdenis",
        signals: &[
            sig(
                "12-18.vgv.01",
                "Familie komt uit een land of gemeenschap waar besnijdenis voorkomt",
            ),
            sig(
                "12-18.vgv.02",
                "Meisje vertelt over een reis naar het land van herkomst of een feest",
            ),
            sig(
                "12-18.vgv.03",
                "Meisje is bang voor een komende vakantie of familiebezoek",
            ),
            sig("12-18.vgv.04", "Langdurig verzuim rond een vakantie"),
            sig(
                "12-18.vgv.05",
                "Na een vakantie moeite met lopen, zitten of plassen",
            ),
            sig("12-18.vgv.06", "Meisje gaat vaak of lang naar het toilet"),
            sig(
                "12-18.vgv.07",
                "Veel pijn bij de menstruatie of steeds terugkerende blaasontsteking",
            ),
            sig("12-18.vgv.08", "Meisje wil niet meedoen met gym of zwemmen"),
        ],
    },
];

/// A signal list as the application uses it: the default for a band, or the organisation's own.
/// Entries store the texts of the ticked signals, not codes, so that what was recorded stays
/// readable whatever later happens to the list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct List {
    pub groups: Vec<Group>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    pub title: String,
    pub signals: Vec<String>,
}

/// Bounds on an organisation's own list, so that a pasted document cannot grow without limit.
pub const MAX_GROUPS: usize = 30;
pub const MAX_SIGNALS: usize = 400;
pub const MAX_SIGNAL_CHARS: usize = 200;

impl List {
    /// The default list of a band.
    pub fn default_for(band: AgeBand) -> List {
        List {
            groups: default_list(band)
                .iter()
                .map(|g| Group {
                    title: g.title.to_string(),
                    signals: g.signals.iter().map(|s| s.text.to_string()).collect(),
                })
                .collect(),
        }
    }

    /// Reads a list written as plain text: a line starting with `#` starts a group, every other
    /// non-empty line is a signal of that group (a leading `-` or `*` is dropped).
    pub fn parse(text: &str) -> Result<List, String> {
        let mut groups: Vec<Group> = Vec::new();
        let mut count = 0;
        for (n, raw) in text.lines().enumerate() {
            let line = raw.trim();
            if line.is_empty() {
                continue;
            }
            if line.chars().any(char::is_control) {
                return Err(format!(
                    "Regel {} bevat tekens die hier niet passen.",
                    n + 1
                ));
            }
            if let Some(title) = line.strip_prefix('#') {
                let title = title.trim_start_matches('#').trim();
                if title.is_empty() {
                    return Err(format!(
                        "Regel {}: geef de groep een naam na het #-teken.",
                        n + 1
                    ));
                }
                groups.push(Group {
                    title: title.to_string(),
                    signals: Vec::new(),
                });
                continue;
            }
            let signal = line.trim_start_matches(['-', '*']).trim();
            if signal.chars().count() > MAX_SIGNAL_CHARS {
                return Err(format!(
                    "Regel {}: een signaal mag hoogstens {MAX_SIGNAL_CHARS} tekens hebben.",
                    n + 1
                ));
            }
            let Some(group) = groups.last_mut() else {
                return Err("Begin met een groep: een regel die met # begint, bijvoorbeeld \"# Lichamelijke signalen\".".to_string());
            };
            if !group.signals.iter().any(|s| s == signal) {
                group.signals.push(signal.to_string());
                count += 1;
            }
        }
        if count == 0 {
            return Err("De lijst bevat geen signalen.".to_string());
        }
        if groups.len() > MAX_GROUPS || count > MAX_SIGNALS {
            return Err(format!(
                "De lijst is te lang: hoogstens {MAX_GROUPS} groepen en {MAX_SIGNALS} signalen."
            ));
        }
        groups.retain(|g| !g.signals.is_empty());
        Ok(List { groups })
    }

    /// The list as plain text, in the form [`List::parse`] reads.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        for g in &self.groups {
            out.push_str("# ");
            out.push_str(&g.title);
            out.push('\n');
            for s in &g.signals {
                out.push_str("- ");
                out.push_str(s);
                out.push('\n');
            }
            out.push('\n');
        }
        out
    }

    /// Whether a text is one of the list's signals.
    pub fn contains(&self, signal: &str) -> bool {
        self.groups
            .iter()
            .any(|g| g.signals.iter().any(|s| s == signal))
    }
}

/// Looks up a signal by code in any band's default list (codes are unique across bands).
pub fn find_any(code: &str) -> Option<&'static Signal> {
    AgeBand::ALL.into_iter().find_map(|band| find(band, code))
}

#[cfg(test)]
mod list_tests {
    use super::*;

    #[test]
    fn an_organisation_list_is_read_from_plain_text_with_groups() {
        let list = List::parse(
            "# Lichamelijk\n- Blauwe plekken\n* Brandwonden\n\n# Gedrag\nTeruggetrokken\n",
        )
        .unwrap();
        assert_eq!(list.groups.len(), 2);
        assert_eq!(
            list.groups[0].signals,
            vec!["Blauwe plekken", "Brandwonden"]
        );
        assert!(list.contains("Teruggetrokken"));
        assert_eq!(List::parse(&list.to_text()).unwrap(), list);
    }

    #[test]
    fn a_list_without_a_group_or_without_signals_is_refused_in_dutch() {
        assert!(
            List::parse("Blauwe plekken")
                .unwrap_err()
                .contains("Begin met een groep")
        );
        assert!(
            List::parse("# Leeg\n")
                .unwrap_err()
                .contains("geen signalen")
        );
        assert!(List::parse(&format!("# G\n{}", "x".repeat(MAX_SIGNAL_CHARS + 1))).is_err());
    }

    #[test]
    fn every_default_list_survives_the_text_round_trip() {
        for band in AgeBand::ALL {
            let list = List::default_for(band);
            assert_eq!(List::parse(&list.to_text()).unwrap(), list);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    fn all_signals() -> impl Iterator<Item = (AgeBand, &'static Signal)> {
        AgeBand::ALL.into_iter().flat_map(|band| {
            default_list(band)
                .iter()
                .flat_map(move |group| group.signals.iter().map(move |signal| (band, signal)))
        })
    }

    #[test]
    fn every_signal_code_is_unique_across_all_bands() {
        let mut seen = HashSet::new();
        for (_, signal) in all_signals() {
            assert!(seen.insert(signal.code), "duplicate code {}", signal.code);
        }
    }

    #[test]
    fn every_signal_code_is_ascii_and_starts_with_its_band() {
        for (band, signal) in all_signals() {
            let prefix = format!("{}.", band.code());
            assert!(signal.code.is_ascii(), "{}", signal.code);
            assert!(signal.code.starts_with(&prefix), "{}", signal.code);
            assert_eq!(signal.code.split('.').count(), 3, "{}", signal.code);
        }
    }

    #[test]
    fn age_band_boundaries_are_4_and_12() {
        assert_eq!(AgeBand::for_age(0), AgeBand::UpTo4);
        assert_eq!(AgeBand::for_age(3), AgeBand::UpTo4);
        assert_eq!(AgeBand::for_age(4), AgeBand::From4To12);
        assert_eq!(AgeBand::for_age(11), AgeBand::From4To12);
        assert_eq!(AgeBand::for_age(12), AgeBand::From12To18);
        assert_eq!(AgeBand::for_age(17), AgeBand::From12To18);
        assert_eq!(AgeBand::for_age(18), AgeBand::From12To18);
    }

    #[test]
    fn every_band_has_groups_with_signals() {
        for band in AgeBand::ALL {
            let groups = default_list(band);
            assert!(groups.len() >= 5, "{} has too few groups", band.code());
            for group in groups {
                assert!(!group.title.is_empty());
                assert!(
                    (4..=8).contains(&group.signals.len()),
                    "{} / {} has {} signals",
                    band.code(),
                    group.title,
                    group.signals.len()
                );
            }
        }
    }

    #[test]
    fn every_signal_text_is_short_enough_to_tick() {
        for (_, signal) in all_signals() {
            let text = signal.text;
            assert!(!text.trim().is_empty(), "{}", signal.code);
            assert!(text.chars().count() <= 80, "{} is too long", signal.code);
            assert_eq!(text, text.trim(), "{}", signal.code);
            assert!(!text.ends_with('.'), "{}", signal.code);
        }
    }

    #[test]
    fn find_returns_the_signal_of_a_code() {
        for (band, signal) in all_signals() {
            let found = find(band, signal.code).expect(signal.code);
            assert!(std::ptr::eq(found, signal));
        }
        assert_eq!(
            find(AgeBand::From4To12, "4-12.lich.01").map(|s| s.text),
            Some("Blauwe plekken of andere verwondingen op ongebruikelijke plaatsen")
        );
    }

    #[test]
    fn find_does_not_look_in_other_bands() {
        assert!(find(AgeBand::UpTo4, "4-12.lich.01").is_none());
        assert!(find(AgeBand::From12To18, "bestaat.niet.01").is_none());
    }

    #[test]
    fn codes_parse_back() {
        for band in AgeBand::ALL {
            assert_eq!(AgeBand::parse(band.code()), Some(band));
            assert!(!band.label().is_empty());
        }
        assert_eq!(AgeBand::parse(" 12-18 "), Some(AgeBand::From12To18));
        assert_eq!(AgeBand::parse("0-18"), None);
        assert_eq!(AgeBand::parse(""), None);
    }
}
