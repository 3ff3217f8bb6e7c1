//! The risk level (risico-inschatting) of a dossier: laag, midden or hoog, with its reason.
//!
//! The aandachtsfunctionaris, or the case manager of the help plan, records how unsafe they judge
//! the pupil's situation now, as an entry of its own (`Kind::Risico`) with the reason for the
//! judgement. Like every entry it is never changed: a new judgement is a new entry, and the
//! chronology keeps them all. The latest is kept beside the dossier (its `risk_level` column), so
//! that the workspace, the dossier list and directie's report read it without reading entries. A
//! dossier without such an entry is "niet ingeschat": nobody judged it yet, which is not "laag".
//!
//! This is the one home of the level: its stored codes, its Dutch labels, its order and the
//! choices of the form all come from here.

/// How unsafe the pupil's situation is judged, in rising order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RiskLevel {
    Laag,
    Midden,
    Hoog,
}

impl RiskLevel {
    /// Every level, from low to high.
    pub const ALL: [RiskLevel; 3] = [RiskLevel::Laag, RiskLevel::Midden, RiskLevel::Hoog];

    /// The choices of the entry's form: (stored code, label), from high to low so that the most
    /// serious judgement is read first.
    pub const CHOICES: &'static [(&'static str, &'static str)] =
        &[("hoog", "Hoog"), ("midden", "Midden"), ("laag", "Laag")];

    /// The code stored in the entry's body and beside the dossier; it never changes.
    pub fn code(self) -> &'static str {
        match self {
            RiskLevel::Laag => "laag",
            RiskLevel::Midden => "midden",
            RiskLevel::Hoog => "hoog",
        }
    }

    pub fn parse(code: &str) -> Option<RiskLevel> {
        RiskLevel::ALL.into_iter().find(|l| l.code() == code)
    }

    /// The word the pages show: always in words, never by colour alone (WCAG 1.4.1).
    pub fn label(self) -> &'static str {
        match self {
            RiskLevel::Laag => "Laag",
            RiskLevel::Midden => "Midden",
            RiskLevel::Hoog => "Hoog",
        }
    }

    /// The rank a list sorts on: higher is more serious; a dossier not yet judged ranks lowest,
    /// below "laag", because nothing is known of it yet (it is not safe, only not judged).
    pub fn rank(level: Option<RiskLevel>) -> u8 {
        match level {
            None => 0,
            Some(RiskLevel::Laag) => 1,
            Some(RiskLevel::Midden) => 2,
            Some(RiskLevel::Hoog) => 3,
        }
    }
}

/// What a dossier without a risk entry shows.
pub const NOT_JUDGED: &str = "Niet ingeschat";

/// The words a page shows for a dossier's level, judged or not.
pub fn shown(level: Option<RiskLevel>) -> &'static str {
    level.map_or(NOT_JUDGED, RiskLevel::label)
}

/// A filter on the risk level, as the workspace and the dossier list read it from the address
/// (`risico=hoog`, `risico=niet`): one level, or the dossiers not judged yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RiskFilter {
    Level(RiskLevel),
    NotJudged,
}

impl RiskFilter {
    /// The code in the address.
    pub fn code(self) -> &'static str {
        match self {
            RiskFilter::Level(l) => l.code(),
            RiskFilter::NotJudged => "niet",
        }
    }

    /// Reads the address's value; anything else is no filter (an unknown value never hides
    /// dossiers).
    pub fn parse(code: &str) -> Option<RiskFilter> {
        match code {
            "niet" => Some(RiskFilter::NotJudged),
            other => RiskLevel::parse(other).map(RiskFilter::Level),
        }
    }

    /// Whether a dossier with this kept level passes the filter.
    pub fn admits(self, level: Option<RiskLevel>) -> bool {
        match self {
            RiskFilter::Level(l) => level == Some(l),
            RiskFilter::NotJudged => level.is_none(),
        }
    }

    /// The filter's options, in the order the pages offer them: (code, label).
    pub const OPTIONS: [(&'static str, &'static str); 4] = [
        ("hoog", "Hoog"),
        ("midden", "Midden"),
        ("laag", "Laag"),
        ("niet", NOT_JUDGED),
    ];
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_risk_level_is_laag_midden_or_hoog_and_its_code_never_changes() {
        let pinned = [
            (RiskLevel::Laag, "laag"),
            (RiskLevel::Midden, "midden"),
            (RiskLevel::Hoog, "hoog"),
        ];
        for (level, code) in pinned {
            assert_eq!(level.code(), code);
            assert_eq!(RiskLevel::parse(code), Some(level));
        }
        assert_eq!(RiskLevel::parse("onbekend"), None);
        // The form offers exactly these levels.
        let offered: Vec<Option<RiskLevel>> = RiskLevel::CHOICES
            .iter()
            .map(|(c, _)| RiskLevel::parse(c))
            .collect();
        assert_eq!(
            offered,
            vec![
                Some(RiskLevel::Hoog),
                Some(RiskLevel::Midden),
                Some(RiskLevel::Laag)
            ]
        );
    }

    #[test]
    fn a_dossier_not_judged_says_so_and_ranks_below_laag() {
        assert_eq!(shown(None), "Niet ingeschat");
        assert_eq!(shown(Some(RiskLevel::Hoog)), "Hoog");
        assert!(RiskLevel::rank(None) < RiskLevel::rank(Some(RiskLevel::Laag)));
        assert!(RiskLevel::rank(Some(RiskLevel::Midden)) < RiskLevel::rank(Some(RiskLevel::Hoog)));
    }

    #[test]
    fn a_risk_filter_admits_one_level_or_the_dossiers_not_judged_and_ignores_anything_else() {
        let hoog = RiskFilter::parse("hoog").unwrap();
        assert!(hoog.admits(Some(RiskLevel::Hoog)));
        assert!(!hoog.admits(Some(RiskLevel::Laag)) && !hoog.admits(None));
        let niet = RiskFilter::parse("niet").unwrap();
        assert!(niet.admits(None) && !niet.admits(Some(RiskLevel::Laag)));
        assert_eq!(RiskFilter::parse(""), None);
        assert_eq!(RiskFilter::parse("HOOG"), None);
        for (code, _) in RiskFilter::OPTIONS {
            assert_eq!(RiskFilter::parse(code).map(RiskFilter::code), Some(code));
        }
    }
}
