//! The roster as a plain CSV, for a school whose administration system has no EDEXML export or
//! that keeps its roster in a spreadsheet. The columns are fixed ([`CSV_HEADER`]); the beheerder
//! downloads [`CSV_TEMPLATE`] and fills it in.
//!
//! - The file is UTF-8, with or without a byte order mark (Excel's "CSV UTF-8").
//! - The separator is `;` (Dutch Excel) or `,`, whichever the header line uses.
//! - `soort` is `leerling` or `medewerker`. A leerling needs `sleutel`, `achternaam` and
//!   `geboortedatum` (`JJJJ-MM-DD` or `DD-MM-JJJJ`); `roepnaam`, `voorvoegsel` and `groep` may
//!   be empty, `email` is not read. A medewerker needs `sleutel`, `achternaam` and `email`;
//!   `geboortedatum` and `groep` are not read.
//! - A cell a spreadsheet would run as a formula (starting with `=`, `+`, `@`, a tab, a carriage
//!   return, or `-` followed by anything but a digit) is refused, not silently changed: a roster
//!   from a spreadsheet that holds formulas is not the roster the school meant.
//!
//! Every error names the line it is on ("regel 7"), counted as a text editor counts them.

use std::collections::HashMap;

use super::{
    ImportError, Roster, RosterPupil, RosterStaff, check_name, check_not_empty, check_size,
    display_name, dutch_or_iso_date, group_name, staff_email, utf8_text,
};

/// The columns of a roster CSV, in this order, as the header line names them.
pub const CSV_HEADER: &str =
    "soort;sleutel;roepnaam;voorvoegsel;achternaam;geboortedatum;groep;email";

/// The file a beheerder downloads to fill in: the header and two example lines, with invented
/// names.
pub const CSV_TEMPLATE: &str = "\
soort;sleutel;roepnaam;voorvoegsel;achternaam;geboortedatum;groep;email\r
leerling;1001;Sanne;de;Vries;14-03-2018;Groep 4;\r
medewerker;M01;Els;;Jansen;;;e.jansen@school.example\r
";

const COLUMNS: usize = 8;
const SOORT: usize = 0;
const SLEUTEL: usize = 1;
const ROEPNAAM: usize = 2;
const VOORVOEGSEL: usize = 3;
const ACHTERNAAM: usize = 4;
const GEBOORTEDATUM: usize = 5;
const GROEP: usize = 6;
const EMAIL: usize = 7;

/// Reads a roster CSV into a [`Roster`] (without a BRIN: a CSV does not state one), or the first
/// reason it cannot be imported.
pub fn parse_csv(bytes: &[u8]) -> Result<Roster, ImportError> {
    check_size(bytes)?;
    let text = utf8_text(bytes)?;
    let header_line = text.lines().next().unwrap_or_default();
    if text.trim().is_empty() {
        return Err(ImportError::file("Het bestand is leeg."));
    }
    let separator = separator_of(header_line)?;
    let mut reader = ::csv::ReaderBuilder::new()
        .delimiter(separator)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let columns: Vec<&str> = CSV_HEADER.split(';').collect();

    let mut roster = Roster::default();
    let mut pupil_lines: HashMap<String, u64> = HashMap::new();
    let mut staff_lines: HashMap<String, u64> = HashMap::new();
    let mut header_seen = false;
    for record in reader.records() {
        let record = record.map_err(|error| {
            let place = match error.position() {
                Some(position) => format!("regel {}", position.line()),
                None => "het bestand".to_string(),
            };
            ImportError::new(place, format!("De regel is niet te lezen: {error}."))
        })?;
        let line = record.position().map_or(0, |p| p.line());
        let place = format!("regel {line}");
        let cells: Vec<&str> = record.iter().collect();
        // Excel writes rows of empty cells below the data and separators after the last column.
        if cells.iter().all(|cell| cell.trim().is_empty()) {
            continue;
        }
        let used = cells
            .iter()
            .rposition(|cell| !cell.trim().is_empty())
            .map_or(0, |last| last + 1);

        if !header_seen {
            header_seen = true;
            let names: Vec<String> = cells[..used]
                .iter()
                .map(|cell| cell.trim().to_lowercase())
                .collect();
            if names != columns {
                return Err(ImportError::new(
                    place,
                    format!(
                        "De eerste regel moet de kopregel zijn: {}",
                        CSV_HEADER.replace(';', &char::from(separator).to_string())
                    ),
                ));
            }
            continue;
        }

        if cells.len() < COLUMNS || used > COLUMNS {
            return Err(ImportError::new(
                place,
                format!(
                    "Deze regel heeft {} kolommen in plaats van {COLUMNS} (gescheiden door \"{}\").",
                    cells.len().max(used),
                    char::from(separator)
                ),
            ));
        }
        for (column, cell) in columns.iter().zip(&cells) {
            if let Some(sign) = formula_start(cell) {
                return Err(ImportError::new(
                    place,
                    format!(
                        "De kolom \"{column}\" begint met {sign}; een spreadsheet voert zo'n cel \
                         uit als formule. Haal het teken weg en lees het bestand opnieuw in."
                    ),
                ));
            }
        }
        let cell = |index: usize| cells[index].trim();
        let required = |index: usize| -> Result<&str, ImportError> {
            match cell(index) {
                "" => Err(ImportError::new(
                    &place,
                    format!("De kolom \"{}\" is leeg.", columns[index]),
                )),
                value => Ok(value),
            }
        };

        match cell(SOORT).to_lowercase().as_str() {
            "leerling" => {
                let key = required(SLEUTEL)?;
                let name = display_name(cell(ROEPNAAM), cell(VOORVOEGSEL), required(ACHTERNAAM)?);
                check_name(&name).map_err(|message| ImportError::new(&place, message))?;
                let date = required(GEBOORTEDATUM)?;
                let date_of_birth = dutch_or_iso_date(date).ok_or_else(|| {
                    ImportError::new(
                        &place,
                        format!(
                            "De geboortedatum \"{date}\" is geen datum (verwacht: DD-MM-JJJJ of \
                             JJJJ-MM-DD)."
                        ),
                    )
                })?;
                if let Some(first) = pupil_lines.insert(key.to_string(), line) {
                    return Err(duplicate(&place, "leerling", key, first));
                }
                roster.pupils.push(RosterPupil {
                    key: key.to_string(),
                    name,
                    date_of_birth,
                    group: group_name(cell(GROEP)),
                });
            }
            "medewerker" => {
                let key = required(SLEUTEL)?;
                let name = display_name(cell(ROEPNAAM), cell(VOORVOEGSEL), required(ACHTERNAAM)?);
                check_name(&name).map_err(|message| ImportError::new(&place, message))?;
                let email = staff_email(cell(EMAIL))
                    .map_err(|message| ImportError::new(&place, message))?;
                if let Some(first) = staff_lines.insert(key.to_string(), line) {
                    return Err(duplicate(&place, "medewerker", key, first));
                }
                roster.staff.push(RosterStaff {
                    key: key.to_string(),
                    name,
                    email,
                });
            }
            "" => return Err(ImportError::new(place, "De kolom \"soort\" is leeg.")),
            other => {
                return Err(ImportError::new(
                    place,
                    format!(
                        "De soort \"{other}\" is onbekend: vul \"leerling\" of \"medewerker\" in."
                    ),
                ));
            }
        }
    }
    check_not_empty(&roster)?;
    Ok(roster)
}

/// The separator the header line uses: `;` or `,`.
fn separator_of(header_line: &str) -> Result<u8, ImportError> {
    let semicolons = header_line.matches(';').count();
    let commas = header_line.matches(',').count();
    if semicolons == 0 && commas == 0 {
        return Err(ImportError::new(
            "regel 1",
            format!("De eerste regel moet de kopregel zijn: {CSV_HEADER}"),
        ));
    }
    Ok(if semicolons >= commas { b';' } else { b',' })
}

/// The sign a cell starts with if a spreadsheet would run it as a formula (CSV injection), as it
/// is named in the error. Spaces before the sign do not make it safe.
fn formula_start(cell: &str) -> Option<&'static str> {
    let mut chars = cell.trim_start_matches(' ').chars();
    match chars.next()? {
        '=' => Some("\"=\""),
        '+' => Some("\"+\""),
        '@' => Some("\"@\""),
        '\t' => Some("een tab"),
        '\r' => Some("een regeleinde"),
        '-' if chars.next().is_some_and(|c| !c.is_ascii_digit()) => Some("\"-\""),
        _ => None,
    }
}

fn duplicate(place: &str, what: &str, key: &str, first: u64) -> ImportError {
    ImportError::new(
        place,
        format!(
            "De sleutel {key} staat ook op regel {first} bij een {what}; een sleutel hoort bij één persoon."
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    /// A CSV with the header and `rows`, separated by newlines.
    fn csv(rows: &[&str]) -> Vec<u8> {
        let mut text = format!("{CSV_HEADER}\n");
        for row in rows {
            text.push_str(row);
            text.push('\n');
        }
        text.into_bytes()
    }

    #[test]
    fn the_template_is_the_header_and_two_lines_that_are_read() {
        assert!(CSV_TEMPLATE.starts_with(CSV_HEADER));
        assert_eq!(CSV_TEMPLATE.lines().count(), 3);
        let roster = parse_csv(CSV_TEMPLATE.as_bytes()).unwrap();
        assert_eq!(roster.brin, None);
        assert_eq!(
            roster.pupils,
            vec![RosterPupil {
                key: "1001".into(),
                name: "Sanne de Vries".into(),
                date_of_birth: date!(2018 - 03 - 14),
                group: "Groep 4".into(),
            }]
        );
        assert_eq!(
            roster.staff,
            vec![RosterStaff {
                key: "M01".into(),
                name: "Els Jansen".into(),
                email: "e.jansen@school.example".into(),
            }]
        );
    }

    #[test]
    fn another_separator_and_a_bom_are_read() {
        let text = "\u{FEFF}Soort, Sleutel ,roepnaam,voorvoegsel,achternaam,geboortedatum,groep,email\r\n\
                    leerling,1001,Sanne,de,Vries,2018-03-14,\"Groep 4, de Uilen\",\r\n\
                    Medewerker,M01,Els,,Jansen,,,  E.Jansen@School.Example \r\n";
        let roster = parse_csv(text.as_bytes()).unwrap();
        assert_eq!(roster.pupils[0].name, "Sanne de Vries");
        assert_eq!(roster.pupils[0].date_of_birth, date!(2018 - 03 - 14));
        assert_eq!(roster.pupils[0].group, "Groep 4, de Uilen");
        assert_eq!(roster.staff[0].email, "e.jansen@school.example");
    }

    #[test]
    fn a_csv_formula_cell_is_refused_naming_its_line() {
        for cell in [
            "=HYPERLINK(\"x\")",
            "+31",
            "@SUM(A1)",
            "\tx",
            "-A1",
            "  =1+1",
        ] {
            let row = format!("leerling;1001;Sanne;;{cell};14-03-2018;4;");
            let file = csv(&["leerling;1000;Kim;;Smit;01-01-2018;4;", &row]);
            let error = parse_csv(&file).unwrap_err();
            assert_eq!(error.place, "regel 3", "{cell:?}");
            assert!(error.message.contains("formule"), "{error}");
            assert!(error.message.contains("achternaam"), "{error}");
        }
        // A minus before a digit is a number, not a formula.
        let roster = parse_csv(&csv(&["leerling;-12;Kim;;Smit;01-01-2018;4;"])).unwrap();
        assert_eq!(roster.pupils[0].key, "-12");
    }

    #[test]
    fn duplicate_keys_are_refused_naming_the_line_and_key() {
        let file = csv(&[
            "leerling;1001;Sanne;de;Vries;14-03-2018;4;",
            "leerling;1002;Kim;;Smit;01-01-2018;4;",
            "leerling; 1001 ;Noor;;Bakker;01-02-2018;4;",
        ]);
        let error = parse_csv(&file).unwrap_err();
        assert_eq!(error.place, "regel 4");
        assert!(error.message.contains("1001"), "{error}");
        assert!(error.message.contains("regel 2"), "{error}");

        // A pupil and a member of staff may share a key: they come from different lists.
        let file = csv(&[
            "leerling;1;Sanne;de;Vries;14-03-2018;4;",
            "medewerker;1;Els;;Jansen;;;e.jansen@school.example",
            "medewerker;1;Piet;;Jansen;;;p.jansen@school.example",
        ]);
        let error = parse_csv(&file).unwrap_err();
        assert_eq!(error.place, "regel 4");
        assert!(error.message.contains("regel 3"), "{error}");
    }

    #[test]
    fn dates_are_read_as_dd_mm_yyyy_or_yyyy_mm_dd_and_a_bad_one_names_its_line() {
        let file = csv(&[
            "leerling;1;Sanne;;Vries;14-03-2018;4;",
            "leerling;2;Kim;;Smit;2017-12-01;4;",
        ]);
        let roster = parse_csv(&file).unwrap();
        assert_eq!(roster.pupils[0].date_of_birth, date!(2018 - 03 - 14));
        assert_eq!(roster.pupils[1].date_of_birth, date!(2017 - 12 - 01));

        let file = csv(&[
            "leerling;1;Sanne;;Vries;14-03-2018;4;",
            "leerling;2;Kim;;Smit;31-02-2018;4;",
        ]);
        let error = parse_csv(&file).unwrap_err();
        assert_eq!(error.place, "regel 3");
        assert!(error.message.contains("31-02-2018"), "{error}");
    }

    #[test]
    fn missing_required_fields_are_refused_naming_line_and_column() {
        let cases = [
            ("leerling;;Sanne;;Vries;14-03-2018;4;", "sleutel"),
            ("leerling;1;Sanne;;;14-03-2018;4;", "achternaam"),
            ("leerling;1;Sanne;;Vries;;4;", "geboortedatum"),
            ("medewerker;M1;Els;;;;;e@school.example", "achternaam"),
            (";1;Sanne;;Vries;14-03-2018;4;", "soort"),
        ];
        for (row, column) in cases {
            let error = parse_csv(&csv(&[row])).unwrap_err();
            assert_eq!(error.place, "regel 2", "{row}");
            assert!(error.message.contains(column), "{row}: {error}");
        }
        let error = parse_csv(&csv(&["medewerker;M1;Els;;Jansen;;;"])).unwrap_err();
        assert_eq!(error.place, "regel 2");
        assert!(error.message.contains("geen e-mailadres"), "{error}");
    }

    #[test]
    fn an_unknown_soort_is_refused_naming_its_line() {
        let file = csv(&[
            "leerling;1;Sanne;;Vries;14-03-2018;4;",
            "ouder;2;Piet;;Vries;;;piet@thuis.example",
        ]);
        let error = parse_csv(&file).unwrap_err();
        assert_eq!(error.place, "regel 3");
        assert!(error.message.contains("\"ouder\""), "{error}");
        assert!(error.message.contains("medewerker"), "{error}");
    }

    #[test]
    fn a_wrong_number_of_columns_is_refused_naming_its_line() {
        let file = csv(&[
            "leerling;1;Sanne;;Vries;14-03-2018;4;",
            "leerling;2;Kim;Smit;01-01-2018;4",
        ]);
        let error = parse_csv(&file).unwrap_err();
        assert_eq!(error.place, "regel 3");
        assert!(
            error.message.contains("6 kolommen in plaats van 8"),
            "{error}"
        );

        let error = parse_csv(&csv(&["leerling;1;Sanne;;Vries;14-03-2018;4;;extra"])).unwrap_err();
        assert_eq!(error.place, "regel 2");
        assert!(error.message.contains("9 kolommen"), "{error}");

        // Empty cells after the last column and empty rows, as Excel writes them, are fine.
        let file = csv(&["leerling;1;Sanne;;Vries;14-03-2018;4;;;", ";;;;;;;", ""]);
        assert_eq!(parse_csv(&file).unwrap().pupils.len(), 1);
    }

    #[test]
    fn the_first_line_must_be_the_header() {
        let error = parse_csv(b"leerling;1;Sanne;;Vries;14-03-2018;4;\n").unwrap_err();
        assert_eq!(error.place, "regel 1");
        assert!(error.message.contains(CSV_HEADER), "{error}");

        let error = parse_csv(b"naam\nSanne de Vries\n").unwrap_err();
        assert_eq!(error.place, "regel 1");

        let error = parse_csv(b"  \n").unwrap_err();
        assert_eq!(error.message, "Het bestand is leeg.");
    }

    #[test]
    fn a_csv_without_pupils_is_refused() {
        let error = parse_csv(&csv(&["medewerker;M1;Els;;Jansen;;;e@school.example"])).unwrap_err();
        assert!(error.message.contains("geen leerlingen"), "{error}");
    }

    #[test]
    fn the_demo_csv_is_read() {
        let roster = parse_csv(include_bytes!("../../../tests/data/demo-roster.csv")).unwrap();
        assert_eq!(roster.brin, None);
        assert_eq!((roster.pupils.len(), roster.staff.len()), (8, 2));
        assert!(roster.pupils.iter().all(|p| !p.group.is_empty()));
    }
}
