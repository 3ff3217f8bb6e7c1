//! Rules for evaluation reports: small numbers are hidden so that no child can be recognised, and
//! cells of a CSV download cannot run as a formula in a spreadsheet.

/// Counts from 1 to this number are shown as "< 5".
pub const SUPPRESS_BELOW: i64 = 5;

/// A figure as shown in a report: 0 as 0, 1 to 4 as "< 5", the rest as the number.
pub fn shown(count: i64) -> String {
    if count > 0 && count < SUPPRESS_BELOW {
        format!("< {SUPPRESS_BELOW}")
    } else {
        count.to_string()
    }
}

/// Whether a figure is hidden (drawn without a bar in a chart).
pub fn suppressed(count: i64) -> bool {
    count > 0 && count < SUPPRESS_BELOW
}

/// Dutch Excel opens a CSV file without an import step when its cells are separated by `;` (the
/// list separator of the Dutch locale, where `,` is the decimal comma) and the file starts with a
/// UTF-8 byte order mark (without it, "é" comes out as "Ã©").
pub const CSV_DELIMITER: u8 = b';';
pub const CSV_BOM: &str = "\u{FEFF}";

/// A count as a download writes it, in two cells: the number, and a note. A hidden count leaves
/// the number's cell empty and says "< 5" in the note's, so that a spreadsheet reads the whole
/// count column as numbers.
pub fn csv_count(count: i64) -> [String; 2] {
    if suppressed(count) {
        [String::new(), shown(count)]
    } else {
        [count.to_string(), String::new()]
    }
}

/// A spreadsheet runs a cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return as a
/// formula (CSV injection); a leading apostrophe makes it text.
pub fn csv_cell(value: &str) -> String {
    match value.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{value}"),
        _ => value.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_from_1_to_4_are_shown_as_less_than_5() {
        assert_eq!(shown(0), "0");
        for n in 1..=4 {
            assert_eq!(shown(n), "< 5");
            assert!(suppressed(n));
        }
        assert_eq!(shown(5), "5");
        assert!(!suppressed(0) && !suppressed(5));
    }

    #[test]
    fn csv_cells_that_a_spreadsheet_would_run_become_text() {
        for bad in ["=SUM(A1)", "+1", "-1+2", "@cmd", "\tx", "\rx"] {
            assert!(csv_cell(bad).starts_with('\''), "{bad:?}");
        }
        assert_eq!(csv_cell("Lichamelijk"), "Lichamelijk");
        assert_eq!(csv_cell("< 5"), "< 5");
    }

    #[test]
    fn a_hidden_count_in_a_download_is_an_empty_number_and_a_note_of_less_than_5() {
        assert_eq!(csv_count(0), ["0".to_string(), String::new()]);
        for n in 1..=4 {
            assert_eq!(csv_count(n), [String::new(), "< 5".to_string()]);
        }
        assert_eq!(csv_count(12), ["12".to_string(), String::new()]);
    }
}

/// Adds whole months to a date; a day past the end of the target month becomes its last day.
pub fn add_months(date: time::Date, months: i64) -> time::Date {
    let total = i64::from(date.year()) * 12 + i64::from(date.month() as u8) - 1 + months;
    let year = (total.div_euclid(12)) as i32;
    let month =
        time::Month::try_from((total.rem_euclid(12) + 1) as u8).unwrap_or(time::Month::January);
    let last = time::util::days_in_month(month, year);
    time::Date::from_calendar_date(year, month, date.day().min(last)).unwrap_or(date)
}

/// Whether someone is due for a meldcode training: never trained, or the last one longer ago
/// than the organisation's interval.
pub fn training_overdue(last: Option<time::Date>, today: time::Date, interval_months: i64) -> bool {
    last.is_none_or(|d| add_months(d, interval_months) < today)
}

#[cfg(test)]
mod duty_tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn months_are_added_on_the_calendar() {
        assert_eq!(add_months(date!(2026 - 01 - 31), 1), date!(2026 - 02 - 28));
        assert_eq!(add_months(date!(2025 - 11 - 15), 24), date!(2027 - 11 - 15));
    }

    #[test]
    fn a_training_is_due_when_never_followed_or_older_than_the_interval() {
        let today = date!(2026 - 11 - 28);
        assert!(training_overdue(None, today, 24));
        assert!(!training_overdue(Some(date!(2025 - 01 - 10)), today, 24));
        assert!(training_overdue(Some(date!(2024 - 11 - 27)), today, 24));
    }
}
