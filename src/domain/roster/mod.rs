//! The school's roster as the administration system exports it: an EDEXML 2.1 file (ParnasSys
//! "EDEX", ESIS/Somtoday, Magister) or a plain CSV with a documented header. Parsing is pure: bytes
//! in, a [`Roster`] or one Dutch [`ImportError`] naming the line or element out. Only what the
//! meldcode needs is kept (key, name, date of birth, group; for staff key, name, e-mail): no
//! address, BSN, parents' data or other fields the file carries.
//!
//! What an import changes (added, changed, left) is decided by the store's import from a
//! [`Roster`]; this module only reads files. [`parse`] chooses the format from the content (never
//! from the file's name or the browser's type); the private modules `edexml` and `csv` read one
//! format each.

mod csv;
mod edexml;

use std::fmt;

use time::{Date, Month};

use crate::domain::account::Email;
use crate::domain::pupil;

pub use self::csv::{CSV_HEADER, CSV_TEMPLATE, parse_csv};
pub use self::edexml::parse_edexml;

/// The largest file that is read at all (checked before parsing).
pub const MAX_BYTES: usize = 10 * 1024 * 1024;

/// What a file says about the school's people.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Roster {
    /// The school's BRIN number as the file states it (EDEXML always; CSV never).
    pub brin: Option<String>,
    pub pupils: Vec<RosterPupil>,
    pub staff: Vec<RosterStaff>,
}

/// A pupil as the administration system knows them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RosterPupil {
    /// The administration system's own key: an import matches on it.
    pub key: String,
    /// The name as it is shown: first name, prefix ("van", "de") and surname.
    pub name: String,
    pub date_of_birth: Date,
    /// The group's name as the school calls it ("Groep 4b", "4b", "klas 2a"); may be empty.
    pub group: String,
}

/// A member of staff (a teacher) as the administration system knows them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RosterStaff {
    pub key: String,
    pub name: String,
    /// Lower case; staff without an e-mail address cannot get an account and are refused.
    pub email: String,
}

/// Why a file cannot be imported: where (a line of a CSV, an element of an EDEXML file) and what,
/// in Dutch, for the beheerder who chose the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportError {
    /// "regel 12", "leerling met key 1234", "het bestand".
    pub place: String,
    pub message: String,
}

impl ImportError {
    pub fn new(place: impl Into<String>, message: impl Into<String>) -> ImportError {
        ImportError {
            place: place.into(),
            message: message.into(),
        }
    }

    /// An error about the file as a whole ("het bestand").
    pub fn file(message: impl Into<String>) -> ImportError {
        ImportError::new("het bestand", message)
    }
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.place, self.message)
    }
}

impl std::error::Error for ImportError {}

/// Reads a roster file in either format: EDEXML when the content (after a byte order mark and
/// white space) starts with `<`, otherwise CSV. The size is checked before anything is read.
pub fn parse(bytes: &[u8]) -> Result<Roster, ImportError> {
    check_size(bytes)?;
    let content = strip_bom(bytes);
    let first = content.iter().find(|b| !b.is_ascii_whitespace());
    if first == Some(&b'<') {
        parse_edexml(bytes)
    } else {
        parse_csv(bytes)
    }
}

/// Refuses a file over [`MAX_BYTES`], before a single byte of it is parsed.
fn check_size(bytes: &[u8]) -> Result<(), ImportError> {
    if bytes.len() > MAX_BYTES {
        return Err(ImportError::file(format!(
            "Het bestand is groter dan {} MB en wordt niet gelezen.",
            MAX_BYTES / (1024 * 1024)
        )));
    }
    Ok(())
}

/// The UTF-8 byte order mark that Excel and some administration systems put before the text.
const BOM: &[u8] = b"\xEF\xBB\xBF";

fn strip_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(BOM).unwrap_or(bytes)
}

/// The file as text, without a byte order mark. Both formats are read as UTF-8 only: a file in
/// another encoding would turn every "ë" into rubbish in the pupils' names.
fn utf8_text(bytes: &[u8]) -> Result<&str, ImportError> {
    std::str::from_utf8(strip_bom(bytes)).map_err(|e| {
        let line = line_of(bytes, e.valid_up_to());
        ImportError::new(
            format!("regel {line}"),
            "Het bestand is niet als UTF-8 opgeslagen. Exporteer het opnieuw als UTF-8 \
             (in Excel: \"CSV UTF-8 (door komma's gescheiden)\").",
        )
    })
}

/// The line (counted from 1) that byte `offset` of `bytes` is on.
fn line_of(bytes: &[u8], offset: usize) -> usize {
    let end = offset.min(bytes.len());
    bytes[..end].iter().filter(|&&b| b == b'\n').count() + 1
}

/// The name as it is shown: "roepnaam voorvoegsel achternaam", each part trimmed, single spaces,
/// empty parts left out ("Sanne de Vries", "Ahmed Yilmaz").
fn display_name(first: &str, prefix: &str, surname: &str) -> String {
    [first, prefix, surname]
        .iter()
        .flat_map(|part| part.split_whitespace())
        .collect::<Vec<_>>()
        .join(" ")
}

/// A roster's names are bounded like a typed name: no file can put a text of any length on a page.
fn check_name(name: &str) -> Result<(), String> {
    if name.chars().count() > crate::domain::account::NAME_MAX_CHARS {
        return Err(format!(
            "De naam is langer dan {} tekens.",
            crate::domain::account::NAME_MAX_CHARS
        ));
    }
    Ok(())
}

/// The e-mail address of a member of staff: trimmed and lower-cased, and one that could get an
/// account (the same check as the account form's).
fn staff_email(input: &str) -> Result<String, String> {
    match Email::parse(input) {
        Ok(email) => Ok(email.as_str().to_string()),
        Err(message) if input.trim().is_empty() => Err(format!(
            "Er staat geen e-mailadres bij; zonder e-mailadres kan geen account worden gemaakt. \
             ({message})"
        )),
        Err(message) => Err(format!("\"{}\": {message}", input.trim())),
    }
}

/// A group's name as it is kept (single spaces, bounded like a typed group).
fn group_name(name: &str) -> String {
    pupil::clean_group(name)
}

/// A date written `YYYY-MM-DD` (as EDEXML always writes it), checked against the calendar.
fn iso_date(text: &str) -> Option<Date> {
    let mut parts = text.trim().split('-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return None;
    }
    calendar_date(y, m, d)
}

/// A date written `YYYY-MM-DD` or `DD-MM-YYYY` (as Dutch spreadsheets write it; a day or month of
/// one digit is accepted too, since Excel drops the zero).
fn dutch_or_iso_date(text: &str) -> Option<Date> {
    let text = text.trim();
    let parts: Vec<&str> = text.split('-').collect();
    let [a, b, c] = parts.as_slice() else {
        return None;
    };
    let short = |s: &str| (1..=2).contains(&s.len());
    if a.len() == 4 && short(b) && short(c) {
        calendar_date(a, b, c)
    } else if short(a) && short(b) && c.len() == 4 {
        calendar_date(c, b, a)
    } else {
        None
    }
}

fn calendar_date(year: &str, month: &str, day: &str) -> Option<Date> {
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !(digits(year) && digits(month) && digits(day)) {
        return None;
    }
    let month = Month::try_from(month.parse::<u8>().ok()?).ok()?;
    Date::from_calendar_date(year.parse().ok()?, month, day.parse().ok()?).ok()
}

/// A roster without pupils is refused: imported, it would mark every pupil of the school as
/// having left. An empty file is nearly always a wrong or failed export.
fn check_not_empty(roster: &Roster) -> Result<(), ImportError> {
    if roster.pupils.is_empty() {
        return Err(ImportError::file(
            "Het bestand bevat geen leerlingen. Is het de goede export?",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn the_format_is_chosen_from_the_content_not_the_name() {
        let xml = parse(include_bytes!("../../../tests/data/demo-edexml.xml")).unwrap();
        assert_eq!(xml.brin.as_deref(), Some("99XX"));
        let csv = parse(include_bytes!("../../../tests/data/demo-roster.csv")).unwrap();
        assert_eq!(csv.brin, None);
        assert!(!csv.pupils.is_empty());
        // White space and a byte order mark before the `<` still make it XML.
        let mut padded = b"\xEF\xBB\xBF \n".to_vec();
        padded.extend_from_slice(b"<EDEX><school></school></EDEX>");
        let error = parse(&padded).unwrap_err();
        assert!(error.message.contains("BRIN"), "{error}");
    }

    #[test]
    fn a_file_over_the_limit_is_refused_before_parsing() {
        // Not XML and not CSV: had it been parsed, the error would have been another.
        let mut bytes = vec![b'<'; MAX_BYTES + 1];
        bytes[1] = 0xFF;
        for parse_fn in [parse, parse_edexml, parse_csv] {
            let error = parse_fn(&bytes).unwrap_err();
            assert_eq!(error.place, "het bestand");
            assert!(error.message.contains("groter dan 10 MB"), "{error}");
        }
    }

    #[test]
    fn a_name_is_roepnaam_voorvoegsel_achternaam_with_single_spaces() {
        assert_eq!(display_name(" Sanne ", "de", "Vries"), "Sanne de Vries");
        assert_eq!(display_name("Ahmed", "", "Yilmaz"), "Ahmed Yilmaz");
        assert_eq!(
            display_name("Jan  Willem", " van  der ", " Berg"),
            "Jan Willem van der Berg"
        );
    }

    #[test]
    fn dates_must_exist_on_the_calendar() {
        assert_eq!(iso_date("2016-02-29"), Some(date!(2016 - 02 - 29)));
        assert_eq!(iso_date("2017-02-29"), None);
        assert_eq!(iso_date("29-02-2016"), None);
        assert_eq!(iso_date("2016-2-9"), None);
        assert_eq!(dutch_or_iso_date("29-02-2016"), Some(date!(2016 - 02 - 29)));
        assert_eq!(dutch_or_iso_date("9-2-2016"), Some(date!(2016 - 02 - 09)));
        assert_eq!(dutch_or_iso_date("2016-02-09"), Some(date!(2016 - 02 - 09)));
        assert_eq!(dutch_or_iso_date("31-04-2016"), None);
        assert_eq!(dutch_or_iso_date("09/02/2016"), None);
        assert_eq!(dutch_or_iso_date("+9-02-2016"), None);
    }

    #[test]
    fn a_file_in_another_encoding_than_utf8_is_refused_naming_the_line() {
        // "Zoë" in Windows-1252 on line 2.
        let error = parse_csv(b"soort;sleutel\nleerling;Zo\xEB").unwrap_err();
        assert_eq!(error.place, "regel 2");
        assert!(error.message.contains("UTF-8"), "{error}");
    }
}
