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
}
