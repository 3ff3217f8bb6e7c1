//! Finding a dossier in the dossier list: a search by the pupil's name or group, filters (open or
//! closed, the step a dossier has reached, something overdue) and pages of [`PAGE_SIZE`] with the
//! total shown. The list never stops silently: whatever matches is counted and can be paged to.
//!
//! Pure: the handler reads the address's query into a [`ListQuery`]; the store turns it into SQL
//! after the access decision, so a search only ever finds dossiers the user may see.

use super::pupil::search_words;
use super::risk::RiskFilter;

/// How many dossiers one page of the list shows.
pub const PAGE_SIZE: i64 = 50;
/// The highest page number the address may ask for (beyond it: the last page).
const MAX_PAGE: i64 = 100_000;

/// Open, closed, or both.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Status {
    #[default]
    All,
    Open,
    Closed,
}

impl Status {
    pub const ALL: [Status; 3] = [Status::All, Status::Open, Status::Closed];

    pub fn code(self) -> &'static str {
        match self {
            Status::All => "alle",
            Status::Open => "open",
            Status::Closed => "gesloten",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Status::All => "Open en gesloten",
            Status::Open => "Alleen open",
            Status::Closed => "Alleen gesloten",
        }
    }

    fn parse(code: &str) -> Status {
        Status::ALL
            .into_iter()
            .find(|s| s.code() == code)
            .unwrap_or_default()
    }
}

/// What the user asked the list for. Anything the address holds that is not one of the choices
/// counts as no choice: a list is never refused. The default is the whole list's first page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListQuery {
    /// The search as typed (kept for the form), at most `pupil::SEARCH_MAX_CHARS` characters.
    pub typed: String,
    /// The words to find, each at the start of a word of the pupil's name or group.
    pub words: Vec<String>,
    pub status: Status,
    /// Dossiers whose furthest step with an entry is this one (1 to 5).
    pub step: Option<u8>,
    /// Open dossiers with something overdue (`progress::attention`): a report due and not made,
    /// a help plan's review date passed, Veilig Thuis's feedback late.
    pub overdue: bool,
    /// Dossiers at one risk level, or not judged yet (`domain::risk`).
    pub risk: Option<RiskFilter>,
    /// 1 for the first page.
    pub page: i64,
}

impl Default for ListQuery {
    fn default() -> ListQuery {
        ListQuery {
            typed: String::new(),
            words: Vec::new(),
            status: Status::All,
            step: None,
            overdue: false,
            risk: None,
            page: 1,
        }
    }
}

impl ListQuery {
    /// From the address's fields: `zoek`, `stand`, `stap`, `te_laat` ("ja") and `pagina`.
    pub fn parse(zoek: &str, stand: &str, stap: &str, te_laat: &str, pagina: &str) -> ListQuery {
        let typed: String = zoek
            .trim()
            .chars()
            .take(super::pupil::SEARCH_MAX_CHARS)
            .collect();
        // "groep 7" finds the pupils of group 7: the group is kept as "7" as often as "groep 7".
        let words = search_words(&typed)
            .into_iter()
            .filter(|w| !matches!(w.as_str(), "groep" | "gr"))
            .collect();
        ListQuery {
            typed,
            words,
            status: Status::parse(stand),
            step: stap.parse().ok().filter(|n| (1..=5).contains(n)),
            overdue: te_laat == "ja",
            risk: None,
            page: pagina.parse().unwrap_or(1).clamp(1, MAX_PAGE),
        }
    }

    /// The same query narrowed to the risk level the address's `risico` names (`hoog`,
    /// `midden`, `laag`, or `niet` for not judged yet); anything else narrows nothing.
    pub fn with_risk(self, risico: &str) -> ListQuery {
        ListQuery {
            risk: RiskFilter::parse(risico),
            ..self
        }
    }

    /// Whether anything narrows the list (then an empty result says "nothing found", not "no
    /// dossiers").
    pub fn narrows(&self) -> bool {
        !self.words.is_empty()
            || self.status != Status::All
            || self.step.is_some()
            || self.overdue
            || self.risk.is_some()
    }

    /// The rows to skip for this page.
    pub fn offset(&self) -> i64 {
        (self.page - 1) * PAGE_SIZE
    }

    /// The range of a dossier's step mask (bit n set when step n has an entry) for "furthest step
    /// n": from bit n up to, not including, bit n + 1.
    pub fn step_mask_range(step: u8) -> (i64, i64) {
        (1 << step, 1 << (step + 1))
    }

    /// The pattern for one search word: the word at the start of a word of " name group", with
    /// LIKE's own characters taken literally (escaped with `\`).
    pub fn like_pattern(word: &str) -> String {
        let escaped: String = word
            .chars()
            .flat_map(|c| match c {
                '%' | '_' | '\\' => vec!['\\', c],
                c => vec![c],
            })
            .collect();
        format!("% {escaped}%")
    }
}

/// How many pages `total` dossiers fill (at least one, for the empty list).
pub fn pages(total: i64) -> i64 {
    ((total + PAGE_SIZE - 1) / PAGE_SIZE).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_search_keeps_its_words_and_the_word_groep_finds_a_group_kept_as_a_number() {
        let q = ListQuery::parse("  Groep 7  de Vries ", "", "", "", "");
        assert_eq!(q.typed, "Groep 7  de Vries");
        assert_eq!(q.words, ["7", "de", "vries"]);
        assert!(q.narrows());
    }

    #[test]
    fn anything_not_a_choice_counts_as_no_choice_and_a_list_is_never_refused() {
        let q = ListQuery::parse("", "verwijderd", "9", "misschien", "-3");
        assert_eq!(q, ListQuery::default());
        assert!(!q.narrows());
        let q = ListQuery::parse("", "gesloten", "5", "ja", "999999999999");
        assert_eq!(q.status, Status::Closed);
        assert_eq!(q.step, Some(5));
        assert!(q.overdue);
        assert_eq!(q.page, MAX_PAGE);
    }

    #[test]
    fn the_risk_filter_narrows_the_list_to_one_level_or_the_dossiers_not_judged() {
        let q = ListQuery::parse("", "", "", "", "").with_risk("hoog");
        assert_eq!(
            q.risk,
            Some(RiskFilter::Level(crate::domain::risk::RiskLevel::Hoog))
        );
        assert!(q.narrows());
        let q = ListQuery::parse("", "", "", "", "").with_risk("niet");
        assert_eq!(q.risk, Some(RiskFilter::NotJudged));
        let q = ListQuery::parse("", "", "", "", "").with_risk("zeer hoog");
        assert_eq!(q, ListQuery::default());
    }

    #[test]
    fn pages_hold_fifty_dossiers_and_the_total_decides_how_many_there_are() {
        assert_eq!(pages(0), 1);
        assert_eq!(pages(50), 1);
        assert_eq!(pages(51), 2);
        let q = ListQuery::parse("", "", "", "", "3");
        assert_eq!(q.offset(), 100);
    }

    #[test]
    fn the_furthest_step_is_the_highest_bit_of_the_step_mask() {
        // Steps 1, 2 and 4 gone through: mask 0b10110, the furthest step is 4.
        let mask = 0b10110;
        let (lo, hi) = ListQuery::step_mask_range(4);
        assert!((lo..hi).contains(&mask));
        let (lo, hi) = ListQuery::step_mask_range(2);
        assert!(!(lo..hi).contains(&mask));
    }

    #[test]
    fn like_characters_in_a_search_are_taken_literally() {
        assert_eq!(ListQuery::like_pattern("100%_a\\"), "% 100\\%\\_a\\\\%");
    }
}
