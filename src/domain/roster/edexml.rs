//! EDEXML 2.1, the Dutch standard export of pupils, groups and teachers (ParnasSys "EDEX",
//! ESIS/Somtoday, Magister), read as a stream. The parts that are used:
//!
//! ```text
//! <EDEX>
//!   <school><brincode>99XX</brincode><dependancecode>00</dependancecode>...</school>
//!   <groepen><groep key="G1"><naam>Groep 4</naam>...</groep>...</groepen>
//!   <leerlingen>
//!     <leerling key="L1"><achternaam/><voorvoegsel/><roepnaam/> (or <voorletters-1/>)
//!       <geboortedatum>2018-03-14</geboortedatum><groep key="G1"/>...</leerling>
//!   </leerlingen>
//!   <leerkrachten>
//!     <leerkracht key="T1"><achternaam/><voorvoegsel/><roepnaam/><emailadres/>...</leerkracht>
//!   </leerkrachten>
//! </EDEX>
//! ```
//!
//! Every other element (BSN, address, parents, composite groups, ...) is skipped without being
//! kept. Element names are matched on their local name, so a namespace prefix (`<le:leerling>`,
//! as the UWLR variant writes it) makes no difference.
//!
//! Safety: the file is capped at [`MAX_BYTES`](super::MAX_BYTES) before parsing, a DOCTYPE is refused outright (so
//! no entity of a DTD can ever be expanded: no "billion laughs", no external entity reading local
//! files), only the five predefined entities and character references are resolved, and nesting
//! is bounded.

use std::collections::HashMap;

use quick_xml::XmlVersion;
use quick_xml::errors::{Error as XmlError, IllFormedError};
use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::{BytesStart, Event};
use quick_xml::reader::Reader;

use super::{
    ImportError, Roster, RosterPupil, RosterStaff, check_name, check_not_empty, check_size,
    display_name, group_name, iso_date, line_of, staff_email, utf8_text,
};

/// What a file with a DOCTYPE is told. A DTD can declare entities that expand to gigabytes or read
/// files of the server; an administration system's export never needs one.
pub(super) const DOCTYPE_MESSAGE: &str =
    "Het bestand bevat een DOCTYPE; dat wordt om veiligheidsredenen niet gelezen.";

/// The deepest nesting read. EDEXML nests five levels; a file nested far deeper is not an export
/// and would only cost memory.
const MAX_DEPTH: usize = 32;

/// The root elements accepted: EDEXML's own, and the UWLR "leerlinggegevens" that has the same
/// structure.
const ROOTS: [&str; 2] = ["EDEX", "leerlinggegevens"];

/// Reads an EDEXML 2.1 file into a [`Roster`], or the first reason it cannot be imported.
pub fn parse_edexml(bytes: &[u8]) -> Result<Roster, ImportError> {
    check_size(bytes)?;
    let text = utf8_text(bytes)?;
    let source = text.as_bytes();
    let mut reader = Reader::from_str(text);
    let mut document = Document::default();
    // The local names of the open elements, the root first.
    let mut open: Vec<String> = Vec::new();
    // The text of the element being read; only leaf elements' texts are used.
    let mut content = String::new();

    loop {
        let event = reader.read_event().map_err(|error| {
            let line = line_of(source, reader.error_position() as usize);
            malformed(line, &open, &error)
        })?;
        let line = line_of(source, reader.buffer_position() as usize);
        match event {
            Event::DocType(_) => return Err(ImportError::file(DOCTYPE_MESSAGE)),
            Event::Start(_) | Event::Empty(_) if open.len() >= MAX_DEPTH => {
                return Err(ImportError::new(
                    format!("regel {line}"),
                    format!("De elementen zijn dieper dan {MAX_DEPTH} niveaus genest."),
                ));
            }
            Event::Start(element) | Event::Empty(element) if local_name(&element).is_empty() => {
                // "a < b" in a text: the reader takes "< b" for a tag without a name.
                let inside = open
                    .last()
                    .map_or(String::new(), |name| format!(" (in <{name}>)"));
                return Err(ImportError::new(
                    format!("regel {line}"),
                    format!(
                        "Het bestand is geen geldige XML{inside}: een < zonder elementnaam; in een \
                         tekst wordt < als &lt; geschreven."
                    ),
                ));
            }
            Event::Start(element) => {
                let name = local_name(&element);
                document.open(&open, &name, &element, line)?;
                open.push(name);
                content.clear();
            }
            Event::Empty(element) => {
                let name = local_name(&element);
                document.open(&open, &name, &element, line)?;
                document.close(&open, &name, "")?;
                content.clear();
            }
            Event::End(_) => {
                // The reader has checked that the end tag matches the open element.
                let name = open.pop().unwrap_or_default();
                document.close(&open, &name, content.trim())?;
                content.clear();
            }
            Event::Text(text) => content.push_str(&text.xml10_content()),
            Event::CData(data) => content.push_str(&data.xml10_content()),
            Event::GeneralRef(reference) => {
                let resolved = reference
                    .resolve_char_ref()
                    .map_err(|error| malformed(line, &open, &error))?;
                match resolved {
                    Some(character) => content.push(character),
                    None => match resolve_predefined_entity(&reference) {
                        Some(replacement) => content.push_str(replacement),
                        None => {
                            return Err(ImportError::new(
                                format!("regel {line}"),
                                format!(
                                    "De entiteit &{}; is onbekend; alleen &amp;, &lt;, &gt;, \
                                     &quot; en &apos; worden gelezen.",
                                    &*reference
                                ),
                            ));
                        }
                    },
                }
            }
            Event::Eof => break,
            Event::Comment(_) | Event::Decl(_) | Event::PI(_) => {}
        }
    }
    if let Some(name) = open.last() {
        return Err(ImportError::new(
            format!("regel {}", line_of(source, source.len())),
            format!("Het bestand houdt op voordat <{name}> is afgesloten."),
        ));
    }
    document.finish()
}

/// The element's name without a namespace prefix.
fn local_name(element: &BytesStart<'_>) -> String {
    element.local_name().as_ref().to_string()
}

/// The error for XML that is not well-formed: the line, the element it was in and what is wrong.
fn malformed(line: usize, open: &[String], error: &XmlError) -> ImportError {
    let what = match error {
        XmlError::IllFormed(IllFormedError::MismatchedEndTag { expected, found }) => {
            format!("</{found}> staat waar </{expected}> werd verwacht")
        }
        XmlError::IllFormed(IllFormedError::UnmatchedEndTag(name)) => {
            format!("</{name}> sluit een element af dat niet geopend is")
        }
        other => other.to_string(),
    };
    let inside = match open.last() {
        Some(name) => format!(" (in <{name}>)"),
        None => String::new(),
    };
    ImportError::new(
        format!("regel {line}"),
        format!("Het bestand is geen geldige XML{inside}: {what}."),
    )
}

/// A pupil or teacher being read: the elements that are kept, nothing else.
#[derive(Default)]
struct Person {
    key: String,
    line: usize,
    surname: String,
    prefix: String,
    first_name: String,
    initials: String,
    date_of_birth: String,
    email: String,
    /// The key of the pupil's stamgroep (`<groep key="..."/>`), if any.
    group_key: Option<String>,
}

impl Person {
    fn new(key: String, line: usize) -> Person {
        Person {
            key,
            line,
            ..Person::default()
        }
    }

    /// Keeps the text of one of the person's own elements; any other element is ignored.
    fn set(&mut self, element: &str, text: &str) {
        let field = match element {
            "achternaam" => &mut self.surname,
            "voorvoegsel" => &mut self.prefix,
            "roepnaam" => &mut self.first_name,
            "voorletters-1" => &mut self.initials,
            "geboortedatum" => &mut self.date_of_birth,
            "emailadres" => &mut self.email,
            _ => return,
        };
        *field = text.to_string();
    }

    /// "roepnaam voorvoegsel achternaam", with the initials when no roepnaam is given.
    fn name(&self, place: &str) -> Result<String, ImportError> {
        if self.surname.trim().is_empty() {
            return Err(ImportError::new(place, "Er staat geen achternaam bij."));
        }
        let first = if self.first_name.trim().is_empty() {
            &self.initials
        } else {
            &self.first_name
        };
        let name = display_name(first, &self.prefix, &self.surname);
        check_name(&name).map_err(|message| ImportError::new(place, message))?;
        Ok(name)
    }
}

/// What has been read so far.
#[derive(Default)]
struct Document {
    brin: Option<String>,
    /// Group key to the group's name, and the line each key was first seen on.
    groups: HashMap<String, (String, usize)>,
    group: Option<(String, String, usize)>,
    pupil: Option<Person>,
    staff_member: Option<Person>,
    pupils: Vec<Person>,
    pupil_lines: HashMap<String, usize>,
    staff: Vec<RosterStaff>,
    staff_lines: HashMap<String, usize>,
}

impl Document {
    /// An element opens inside `open` (the root first).
    fn open(
        &mut self,
        open: &[String],
        name: &str,
        element: &BytesStart<'_>,
        line: usize,
    ) -> Result<(), ImportError> {
        let Some((_root, path)) = open.split_first() else {
            if !ROOTS.contains(&name) {
                return Err(ImportError::new(
                    format!("regel {line}"),
                    format!(
                        "Dit is geen EDEXML-bestand: het begint met <{name}> in plaats van <EDEX>."
                    ),
                ));
            }
            return Ok(());
        };
        match (path_of(path).as_slice(), name) {
            (["groepen"], "groep") => {
                self.group = Some((key_of(element, name, line)?, String::new(), line));
            }
            (["leerlingen"], "leerling") => {
                self.pupil = Some(Person::new(key_of(element, name, line)?, line));
            }
            (["leerlingen", "leerling"], "groep") => {
                let key = key_of(element, name, line)?;
                if let Some(pupil) = self.pupil.as_mut() {
                    // A pupil has one stamgroep; a second reference would be a faulty export, and
                    // the first is kept.
                    pupil.group_key.get_or_insert(key);
                }
            }
            (["leerkrachten"], "leerkracht") => {
                self.staff_member = Some(Person::new(key_of(element, name, line)?, line));
            }
            _ => {}
        }
        Ok(())
    }

    /// An element inside `open` closes, with `text` as its trimmed content.
    fn close(&mut self, open: &[String], name: &str, text: &str) -> Result<(), ImportError> {
        let Some((_root, path)) = open.split_first() else {
            return Ok(());
        };
        match (path_of(path).as_slice(), name) {
            (["school"], "brincode") if self.brin.is_none() => {
                self.brin = Some(text.to_string());
            }
            (["groepen", "groep"], "naam") => {
                if let Some(group) = self.group.as_mut() {
                    group.1 = group_name(text);
                }
            }
            (["groepen"], "groep") => {
                if let Some((key, group, line)) = self.group.take() {
                    if let Some((_, first)) = self.groups.get(&key) {
                        return Err(ImportError::new(
                            format!("groep met key {key}"),
                            format!(
                                "Deze key staat twee keer in het bestand (regel {first} en regel {line})."
                            ),
                        ));
                    }
                    self.groups.insert(key, (group, line));
                }
            }
            (["leerlingen", "leerling"], field) => {
                if let Some(pupil) = self.pupil.as_mut() {
                    pupil.set(field, text);
                }
            }
            (["leerlingen"], "leerling") => {
                if let Some(pupil) = self.pupil.take() {
                    if let Some(first) = self.pupil_lines.insert(pupil.key.clone(), pupil.line) {
                        return Err(duplicate("leerling", &pupil.key, first, pupil.line));
                    }
                    self.pupils.push(pupil);
                }
            }
            (["leerkrachten", "leerkracht"], field) => {
                if let Some(member) = self.staff_member.as_mut() {
                    member.set(field, text);
                }
            }
            (["leerkrachten"], "leerkracht") => {
                if let Some(member) = self.staff_member.take() {
                    let staff = staff_of(&member)?;
                    if let Some(first) = self.staff_lines.insert(member.key.clone(), member.line) {
                        return Err(duplicate("leerkracht", &member.key, first, member.line));
                    }
                    self.staff.push(staff);
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// The roster, once the whole file is read (a pupil's group may be listed after the pupil).
    fn finish(self) -> Result<Roster, ImportError> {
        let brin = match self.brin.as_deref().map(str::trim) {
            Some(brin) if !brin.is_empty() => brin.to_uppercase(),
            _ => {
                return Err(ImportError::file(
                    "Er staat geen BRIN-nummer in (<school><brincode>); is het een volledige \
                     EDEXML-export?",
                ));
            }
        };
        if brin.chars().count() != 4 || !brin.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Err(ImportError::file(format!(
                "\"{brin}\" is geen BRIN-nummer (vier cijfers en letters, zoals 12AB)."
            )));
        }
        let mut pupils = Vec::with_capacity(self.pupils.len());
        for person in &self.pupils {
            pupils.push(pupil_of(person, &self.groups)?);
        }
        let roster = Roster {
            brin: Some(brin),
            pupils,
            staff: self.staff,
        };
        check_not_empty(&roster)?;
        Ok(roster)
    }
}

fn path_of(path: &[String]) -> Vec<&str> {
    path.iter().map(String::as_str).collect()
}

/// The `key` attribute every group, pupil and teacher has; trimmed, and required.
fn key_of(element: &BytesStart<'_>, name: &str, line: usize) -> Result<String, ImportError> {
    let place = || format!("regel {line}");
    for attribute in element.attributes() {
        let attribute = attribute.map_err(|error| {
            ImportError::new(
                place(),
                format!("Het bestand is geen geldige XML (in <{name}>): {error}."),
            )
        })?;
        if attribute.key.local_name().as_ref() == "key" {
            let value = attribute
                .normalized_value(XmlVersion::Implicit1_0)
                .map_err(|error| {
                    ImportError::new(
                        place(),
                        format!("Het bestand is geen geldige XML (in <{name}>): {error}."),
                    )
                })?;
            let value = value.trim();
            if !value.is_empty() {
                return Ok(value.to_string());
            }
        }
    }
    Err(ImportError::new(
        place(),
        format!("Een <{name}> zonder key: zonder key kan een import niemand herkennen."),
    ))
}

fn duplicate(what: &str, key: &str, first: usize, second: usize) -> ImportError {
    ImportError::new(
        format!("{what} met key {key}"),
        format!("Deze key staat twee keer in het bestand (regel {first} en regel {second})."),
    )
}

fn pupil_of(
    person: &Person,
    groups: &HashMap<String, (String, usize)>,
) -> Result<RosterPupil, ImportError> {
    let place = format!("leerling met key {}", person.key);
    let name = person.name(&place)?;
    if person.date_of_birth.is_empty() {
        return Err(ImportError::new(place, "Er staat geen geboortedatum bij."));
    }
    let date_of_birth = iso_date(&person.date_of_birth).ok_or_else(|| {
        ImportError::new(
            &place,
            format!(
                "De geboortedatum \"{}\" is geen datum (verwacht: JJJJ-MM-DD).",
                person.date_of_birth
            ),
        )
    })?;
    let group = match &person.group_key {
        None => String::new(),
        Some(key) => match groups.get(key) {
            Some((group, _)) => group.clone(),
            None => {
                return Err(ImportError::new(
                    place,
                    format!("De groep met key {key} staat niet in het bestand (<groepen>)."),
                ));
            }
        },
    };
    Ok(RosterPupil {
        key: person.key.clone(),
        name,
        date_of_birth,
        group,
    })
}

fn staff_of(person: &Person) -> Result<RosterStaff, ImportError> {
    let place = format!("leerkracht met key {}", person.key);
    let name = person.name(&place)?;
    let email = staff_email(&person.email).map_err(|message| ImportError::new(&place, message))?;
    Ok(RosterStaff {
        key: person.key.clone(),
        name,
        email,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    /// A small EDEXML file: the school, `groups`, `pupils` and `teachers` as XML fragments.
    fn edexml(groups: &str, pupils: &str, teachers: &str) -> Vec<u8> {
        format!(
            r#"<?xml version="1.0" encoding="UTF-8"?>
<EDEX>
  <school><schooljaar>2026-2027</schooljaar><brincode>99XX</brincode><dependancecode>00</dependancecode></school>
  <groepen>{groups}</groepen>
  <leerlingen>{pupils}</leerlingen>
  <leerkrachten>{teachers}</leerkrachten>
</EDEX>
"#
        )
        .into_bytes()
    }

    fn pupil(key: &str, name: &str, born: &str, group: &str) -> String {
        format!(
            r#"<leerling key="{key}"><achternaam>{name}</achternaam><roepnaam>Kim</roepnaam><geboortedatum>{born}</geboortedatum><groep key="{group}"/></leerling>"#
        )
    }

    const GROUP_4: &str = r#"<groep key="G4"><naam>Groep 4</naam><jaargroep>4</jaargroep></groep>"#;

    #[test]
    fn an_edexml_file_gives_pupils_with_their_group_and_staff_with_email() {
        let file = edexml(
            r#"<groep key="G4"><naam>Groep 4</naam></groep><groep key="G7"><naam> Groep  7b </naam></groep>"#,
            r#"<leerling key="1001"><achternaam>Vries</achternaam><voorvoegsel>de</voorvoegsel><roepnaam>Sanne</roepnaam><geboortedatum>2018-03-14</geboortedatum><groep key="G4"/></leerling>
               <leerling key="1002"><achternaam>Yilmaz</achternaam><voorletters-1>A.</voorletters-1><geboortedatum>2015-11-02</geboortedatum><groep key="G7"></groep></leerling>
               <leerling key="1003"><achternaam>Bakker</achternaam><roepnaam>Noor</roepnaam><geboortedatum>2019-06-30</geboortedatum></leerling>"#,
            r#"<leerkracht key="T1"><achternaam>Jansen</achternaam><roepnaam>Els</roepnaam><emailadres> E.Jansen@Regenboog.example </emailadres><groepen><groep key="G4"/></groepen></leerkracht>"#,
        );
        let roster = parse_edexml(&file).unwrap();
        assert_eq!(roster.brin.as_deref(), Some("99XX"));
        assert_eq!(
            roster.pupils,
            vec![
                RosterPupil {
                    key: "1001".into(),
                    name: "Sanne de Vries".into(),
                    date_of_birth: date!(2018 - 03 - 14),
                    group: "Groep 4".into(),
                },
                RosterPupil {
                    key: "1002".into(),
                    name: "A. Yilmaz".into(),
                    date_of_birth: date!(2015 - 11 - 02),
                    group: "Groep 7b".into(),
                },
                RosterPupil {
                    key: "1003".into(),
                    name: "Noor Bakker".into(),
                    date_of_birth: date!(2019 - 06 - 30),
                    group: String::new(),
                },
            ]
        );
        assert_eq!(
            roster.staff,
            vec![RosterStaff {
                key: "T1".into(),
                name: "Els Jansen".into(),
                email: "e.jansen@regenboog.example".into(),
            }]
        );
    }

    #[test]
    fn a_doctype_is_refused_so_no_entity_is_ever_expanded() {
        let lol = br#"<?xml version="1.0"?>
<!DOCTYPE EDEX [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<EDEX><school><brincode>&lol2;</brincode></school></EDEX>"#;
        let external = br#"<?xml version="1.0"?>
<!DOCTYPE EDEX [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<EDEX><school><brincode>&xxe;</brincode></school></EDEX>"#;
        for file in [&lol[..], &external[..]] {
            let error = parse_edexml(file).unwrap_err();
            assert_eq!(error.place, "het bestand");
            assert_eq!(error.message, DOCTYPE_MESSAGE);
        }
    }

    #[test]
    fn an_undeclared_entity_is_refused_and_the_predefined_ones_are_read() {
        let file = edexml(
            GROUP_4,
            r#"<leerling key="1"><achternaam>Hof</achternaam><voorvoegsel>van &apos;t</voorvoegsel><roepnaam>J&#233;r&#xF4;me</roepnaam><geboortedatum>2018-01-01</geboortedatum><groep key="G4"/></leerling>"#,
            "",
        );
        let roster = parse_edexml(&file).unwrap();
        assert_eq!(roster.pupils[0].name, "Jérôme van 't Hof");

        let file = edexml(GROUP_4, &pupil("1", "Hof&xxe;", "2018-01-01", "G4"), "");
        let error = parse_edexml(&file).unwrap_err();
        assert_eq!(error.place, "regel 5");
        assert!(error.message.contains("&xxe;"), "{error}");
    }

    #[test]
    fn fields_the_meldcode_does_not_need_are_not_kept() {
        let file = edexml(
            GROUP_4,
            r#"<leerling key="1001" eckid="https://ketenid.nl/201703/abc">
                 <achternaam>Vries</achternaam><voorvoegsel>de</voorvoegsel><roepnaam>Sanne</roepnaam>
                 <voornamen>Sanne Maria</voornamen><geslacht>V</geslacht>
                 <geboortedatum>2018-03-14</geboortedatum>
                 <bsn>123456782</bsn><bsn_ondwnr-4>6782</bsn_ondwnr-4>
                 <adres><straat>Lindelaan</straat><huisnummer>17</huisnummer><postcode>9999 ZZ</postcode><plaats>Ergenshuizen</plaats></adres>
                 <ouders><ouder key="O1"><achternaam>Geheimhouder</achternaam><emailadres>ouder@privé.example</emailadres><telefoon>0612345678</telefoon></ouder></ouders>
                 <groep key="G4"/>
               </leerling>"#,
            r#"<leerkracht key="T1"><achternaam>Jansen</achternaam><roepnaam>Els</roepnaam><emailadres>e.jansen@regenboog.example</emailadres>
                 <bsn>987654321</bsn><adres><straat>Kastanjelaan</straat></adres></leerkracht>"#,
        );
        let roster = parse_edexml(&file).unwrap();
        let kept = format!("{roster:?}");
        for secret in [
            "123456782",
            "6782",
            "987654321",
            "Lindelaan",
            "9999 ZZ",
            "Ergenshuizen",
            "Kastanjelaan",
            "Geheimhouder",
            "ouder@",
            "0612345678",
            "Maria",
            "ketenid",
        ] {
            assert!(!kept.contains(secret), "{secret} was kept: {kept}");
        }
        assert_eq!(roster.pupils[0].name, "Sanne de Vries");
        assert_eq!(roster.staff[0].name, "Els Jansen");
    }

    #[test]
    fn namespace_prefixes_make_no_difference() {
        let file = br#"<le:EDEX xmlns:le="http://www.edustandaard.nl/leerresultaten/2/leerlinggegevens">
  <le:school><le:brincode>99xx</le:brincode></le:school>
  <le:groepen><le:groep key="G4"><le:naam>4</le:naam></le:groep></le:groepen>
  <le:leerlingen><le:leerling le:key="1"><le:achternaam>Smit</le:achternaam><le:roepnaam>Daan</le:roepnaam><le:geboortedatum>2018-01-01</le:geboortedatum><le:groep key="G4"/></le:leerling></le:leerlingen>
</le:EDEX>"#;
        let roster = parse_edexml(file).unwrap();
        assert_eq!(roster.brin.as_deref(), Some("99XX"));
        assert_eq!(roster.pupils[0].name, "Daan Smit");
        assert_eq!(roster.pupils[0].group, "4");
    }

    #[test]
    fn malformed_xml_is_refused_naming_the_line_and_element() {
        let file = b"<EDEX>\n<school><brincode>99XX</brincode></school>\n<leerlingen>\n<leerling key=\"1\"><achternaam>Smit</voornaam>\n</leerling></leerlingen></EDEX>";
        let error = parse_edexml(file).unwrap_err();
        assert_eq!(error.place, "regel 4");
        assert!(error.message.contains("geen geldige XML"), "{error}");
        assert!(error.message.contains("</voornaam>"), "{error}");
        assert!(error.message.contains("</achternaam>"), "{error}");

        let cut_off = b"<EDEX>\n<school><brincode>99XX</brincode></school>\n<leerlingen>\n";
        let error = parse_edexml(cut_off).unwrap_err();
        assert!(error.message.contains("<leerlingen>"), "{error}");
        assert!(error.message.contains("houdt op"), "{error}");
    }

    #[test]
    fn a_bare_less_than_sign_in_a_text_is_malformed_xml() {
        let file = edexml(GROUP_4, &pupil("1", "a < b", "2018-01-01", "G4"), "");
        let error = parse_edexml(&file).unwrap_err();
        assert_eq!(error.place, "regel 5");
        assert!(error.message.contains("(in <achternaam>)"), "{error}");
        assert!(error.message.contains("&lt;"), "{error}");
    }

    #[test]
    fn a_file_that_is_not_edexml_is_refused_naming_its_root() {
        let error = parse_edexml(b"<html><body>Inloggen</body></html>").unwrap_err();
        assert_eq!(error.place, "regel 1");
        assert!(error.message.contains("<html>"), "{error}");
    }

    #[test]
    fn deep_nesting_is_refused() {
        let file = format!("<EDEX>{}", "<a>".repeat(100));
        let error = parse_edexml(file.as_bytes()).unwrap_err();
        assert!(error.message.contains("genest"), "{error}");
    }

    #[test]
    fn a_bad_date_of_birth_is_refused_naming_the_pupil_key() {
        for born in ["2018-02-30", "14-03-2018", ""] {
            let file = edexml(GROUP_4, &pupil("1007", "Smit", born, "G4"), "");
            let error = parse_edexml(&file).unwrap_err();
            assert_eq!(error.place, "leerling met key 1007", "{born}");
            assert!(error.message.contains("geboortedatum"), "{error}");
        }
    }

    #[test]
    fn duplicate_keys_are_refused_naming_the_key() {
        let twice = format!(
            "{}\n{}",
            pupil("1001", "Smit", "2018-01-01", "G4"),
            pupil("1001", "Visser", "2018-02-01", "G4")
        );
        let error = parse_edexml(&edexml(GROUP_4, &twice, "")).unwrap_err();
        assert_eq!(error.place, "leerling met key 1001");
        assert!(error.message.contains("twee keer"), "{error}");
        assert!(error.message.contains("regel 5 en regel 6"), "{error}");

        let teacher = r#"<leerkracht key="T1"><achternaam>Jansen</achternaam><emailadres>a@b.example</emailadres></leerkracht>"#;
        let file = edexml(
            GROUP_4,
            &pupil("1", "Smit", "2018-01-01", "G4"),
            &format!("{teacher}{teacher}"),
        );
        let error = parse_edexml(&file).unwrap_err();
        assert_eq!(error.place, "leerkracht met key T1");
        assert!(error.message.contains("twee keer"), "{error}");

        let file = edexml(
            &format!("{GROUP_4}{GROUP_4}"),
            &pupil("1", "Smit", "2018-01-01", "G4"),
            "",
        );
        let error = parse_edexml(&file).unwrap_err();
        assert_eq!(error.place, "groep met key G4");
    }

    #[test]
    fn staff_without_an_email_are_refused_naming_the_key() {
        let file = edexml(
            GROUP_4,
            &pupil("1", "Smit", "2018-01-01", "G4"),
            r#"<leerkracht key="T9"><achternaam>Jansen</achternaam><emailadres> </emailadres></leerkracht>"#,
        );
        let error = parse_edexml(&file).unwrap_err();
        assert_eq!(error.place, "leerkracht met key T9");
        assert!(error.message.contains("geen e-mailadres"), "{error}");

        let file = edexml(
            GROUP_4,
            &pupil("1", "Smit", "2018-01-01", "G4"),
            r#"<leerkracht key="T9"><achternaam>Jansen</achternaam><emailadres>jansen-at-school</emailadres></leerkracht>"#,
        );
        let error = parse_edexml(&file).unwrap_err();
        assert_eq!(error.place, "leerkracht met key T9");
        assert!(error.message.contains("jansen-at-school"), "{error}");
    }

    #[test]
    fn a_missing_brin_is_refused() {
        let file = String::from_utf8(edexml(GROUP_4, &pupil("1", "Smit", "2018-01-01", "G4"), ""))
            .unwrap()
            .replace("<brincode>99XX</brincode>", "");
        let error = parse_edexml(file.as_bytes()).unwrap_err();
        assert_eq!(error.place, "het bestand");
        assert!(error.message.contains("BRIN"), "{error}");
    }

    #[test]
    fn a_pupil_needs_a_key_a_surname_and_a_known_group() {
        let no_key = r#"<leerling><achternaam>Smit</achternaam><geboortedatum>2018-01-01</geboortedatum></leerling>"#;
        let error = parse_edexml(&edexml(GROUP_4, no_key, "")).unwrap_err();
        assert_eq!(error.place, "regel 5");
        assert!(error.message.contains("zonder key"), "{error}");

        let error =
            parse_edexml(&edexml(GROUP_4, &pupil("8", " ", "2018-01-01", "G4"), "")).unwrap_err();
        assert_eq!(error.place, "leerling met key 8");
        assert!(error.message.contains("achternaam"), "{error}");

        let error = parse_edexml(&edexml(
            GROUP_4,
            &pupil("8", "Smit", "2018-01-01", "G9"),
            "",
        ))
        .unwrap_err();
        assert_eq!(error.place, "leerling met key 8");
        assert!(error.message.contains("G9"), "{error}");
    }

    #[test]
    fn a_file_without_pupils_is_refused_so_an_import_cannot_empty_the_school() {
        let error = parse_edexml(&edexml(GROUP_4, "", "")).unwrap_err();
        assert!(error.message.contains("geen leerlingen"), "{error}");
    }

    #[test]
    fn the_demo_files_are_read_with_their_changes() {
        let before = parse_edexml(include_bytes!("../../../tests/data/demo-edexml.xml")).unwrap();
        let after = parse_edexml(include_bytes!(
            "../../../tests/data/demo-edexml-changed.xml"
        ))
        .unwrap();
        assert_eq!(before.brin.as_deref(), Some("99XX"));
        assert_eq!(after.brin.as_deref(), Some("99XX"));
        assert_eq!((before.pupils.len(), before.staff.len()), (24, 4));
        assert_eq!((after.pupils.len(), after.staff.len()), (24, 4));
        let mut groups: Vec<&str> = before.pupils.iter().map(|p| p.group.as_str()).collect();
        groups.sort();
        groups.dedup();
        assert_eq!(groups.len(), 3);
        assert!(
            before
                .staff
                .iter()
                .all(|s| s.email.ends_with("@regenboog.example"))
        );

        let keys = |r: &Roster| -> Vec<String> { r.pupils.iter().map(|p| p.key.clone()).collect() };
        let (old, new) = (keys(&before), keys(&after));
        assert_eq!(old.iter().filter(|k| !new.contains(k)).count(), 2, "left");
        assert_eq!(new.iter().filter(|k| !old.contains(k)).count(), 2, "new");
        let same_key = |p: &RosterPupil| before.pupils.iter().find(|b| b.key == p.key);
        let moved = after
            .pupils
            .iter()
            .filter(|p| same_key(p).is_some_and(|b| b.group != p.group))
            .count();
        let renamed = after
            .pupils
            .iter()
            .filter(|p| same_key(p).is_some_and(|b| b.name != p.name))
            .count();
        assert_eq!((moved, renamed), (1, 1));
        let staff_keys =
            |r: &Roster| -> Vec<String> { r.staff.iter().map(|s| s.key.clone()).collect() };
        let (old, new) = (staff_keys(&before), staff_keys(&after));
        assert_eq!(old.iter().filter(|k| !new.contains(k)).count(), 1, "left");
        assert_eq!(new.iter().filter(|k| !old.contains(k)).count(), 1, "new");
    }
}
