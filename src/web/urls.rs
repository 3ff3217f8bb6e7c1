//! The paths that code builds, in one place: a handler redirects to `urls::dossier_notice(id,
//! Notice::Opgeslagen)`, never to a `format!` of its own, so a path and its notices are changed
//! here once. The notices are the Dutch lines a page shows after a redirect (`?melding=`), each
//! with its code beside its text.

use crate::domain::dossier::Step;

/// What a page says after a redirect. The code travels in the query string; the text is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Notice {
    Geopend,
    Medewerker,
    Opgeslagen,
    Collega,
    KiesCollega,
    CollegaWeg,
    Overdracht,
    Overgenomen,
    Gesloten,
    Heropend,
    OverlegGevraagd,
    OverlegGevraagdDirectie,
    VraagLeeg,
    Nood,
}

impl Notice {
    pub const ALL: [Notice; 14] = [
        Notice::Geopend,
        Notice::Medewerker,
        Notice::Opgeslagen,
        Notice::Collega,
        Notice::KiesCollega,
        Notice::CollegaWeg,
        Notice::Overdracht,
        Notice::Overgenomen,
        Notice::Gesloten,
        Notice::Heropend,
        Notice::OverlegGevraagd,
        Notice::OverlegGevraagdDirectie,
        Notice::VraagLeeg,
        Notice::Nood,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Notice::Geopend => "geopend",
            Notice::Medewerker => "medewerker",
            Notice::Opgeslagen => "opgeslagen",
            Notice::Collega => "collega",
            Notice::KiesCollega => "kies-collega",
            Notice::CollegaWeg => "collega-weg",
            Notice::Overdracht => "overdracht",
            Notice::Overgenomen => "overgenomen",
            Notice::Gesloten => "gesloten",
            Notice::Heropend => "heropend",
            Notice::OverlegGevraagd => "overleg-gevraagd",
            Notice::OverlegGevraagdDirectie => "overleg-gevraagd-directie",
            Notice::VraagLeeg => "vraag-leeg",
            Notice::Nood => "nood",
        }
    }

    pub fn text(self) -> &'static str {
        match self {
            Notice::Geopend => {
                "Het dossier is geopend. De aandachtsfunctionaris van de school ziet het nu ook."
            }
            Notice::Medewerker => {
                "Het dossier is geopend en gaat naar de directie. Alleen de directie van de school en u zien het."
            }
            Notice::Opgeslagen => "De aantekening is opgeslagen.",
            Notice::Collega => "De collega is toegevoegd en kan het dossier nu zien.",
            Notice::KiesCollega => "Kies eerst een collega.",
            Notice::CollegaWeg => {
                "De collega is verwijderd en ziet het dossier niet meer. Was deze collega casemanager, wijs dan een nieuwe aan."
            }
            Notice::Overdracht => {
                "De overdracht is gevraagd. Het dossier blijft bij uw school tot de aandachtsfunctionaris van de andere school het overneemt."
            }
            Notice::Overgenomen => "U heeft het dossier overgenomen. Het hoort nu bij uw school.",
            Notice::Gesloten => "Het dossier is gesloten. De reden staat in de aantekeningen.",
            Notice::Heropend => "Het dossier is heropend.",
            Notice::OverlegGevraagd => {
                "Uw vraag om overleg is verstuurd. De aandachtsfunctionaris ziet haar in de werkruimte."
            }
            Notice::OverlegGevraagdDirectie => {
                "Uw vraag om overleg is verstuurd. De directie van de school ziet haar op de startpagina."
            }
            Notice::VraagLeeg => "Schrijf eerst uw vraag op.",
            Notice::Nood => {
                "De noodmelding is vastgelegd. Vul het dossier later aan met wat er is gebeurd en wat u deed."
            }
        }
    }

    /// The notice a `?melding=` code names; an unknown code shows nothing.
    pub fn parse(code: &str) -> Option<Notice> {
        Notice::ALL.into_iter().find(|n| n.code() == code)
    }
}

/// The dossier page.
pub fn dossier(id: i64) -> String {
    format!("/dossiers/{id}")
}

/// The dossier page with a notice.
pub fn dossier_notice(id: i64, notice: Notice) -> String {
    format!("/dossiers/{id}?melding={}", notice.code())
}

/// The dossier page after an entry was saved: filtered to its step, if it has one.
pub fn saved(id: i64, step: Option<Step>) -> String {
    match step {
        Some(s) => format!(
            "/dossiers/{id}?melding={}&stap={}",
            Notice::Opgeslagen.code(),
            s.number()
        ),
        None => dossier_notice(id, Notice::Opgeslagen),
    }
}

/// A step's page with a notice.
pub fn step_notice(id: i64, step: Step, notice: Notice) -> String {
    format!(
        "/dossiers/{id}/stap/{}?melding={}",
        step.number(),
        notice.code()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_notice_reads_back_from_its_code_and_codes_are_unique() {
        for n in Notice::ALL {
            assert_eq!(Notice::parse(n.code()), Some(n));
            assert!(!n.text().is_empty());
        }
        let mut codes: Vec<&str> = Notice::ALL.iter().map(|n| n.code()).collect();
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), Notice::ALL.len());
        assert_eq!(Notice::parse("iets-anders"), None);
    }

    #[test]
    fn paths_are_built_as_the_router_names_them() {
        assert_eq!(dossier(7), "/dossiers/7");
        assert_eq!(
            saved(7, Some(Step::Wegen)),
            "/dossiers/7?melding=opgeslagen&stap=4"
        );
        assert_eq!(saved(7, None), "/dossiers/7?melding=opgeslagen");
        assert_eq!(
            step_notice(7, Step::Consultatie, Notice::VraagLeeg),
            "/dossiers/7/stap/2?melding=vraag-leeg"
        );
    }
}
