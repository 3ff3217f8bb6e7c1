//! The kinds of notification a user gets (on the start page, and for some by e-mail), with what
//! each says beside its stored code. A notification never carries pupil details: it names the
//! kind of thing that waits, and links to the dossier.

/// What a notification is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Notice {
    /// A dossier was opened at one of the user's schools (to its aandachtsfunctionaris).
    NieuwDossier,
    /// An emergency report was recorded.
    Noodmelding,
    /// The user was added to a dossier as a colleague.
    Toegevoegd,
    /// A colleague asks the user for a consultation.
    OverlegGevraagd,
    /// Something is overdue in a dossier (the daily reminder).
    Achterstallig,
    /// The decision about reporting and help was recorded.
    Besluit,
    /// A report to Veilig Thuis was recorded.
    Melding,
    /// Another school asks to hand a dossier over to the user's school.
    Overdracht,
    /// A dossier was opened about a pupil who already has an open one (to its coordinator, who
    /// can merge them: domain::merge).
    ZelfdeLeerling,
    /// The user's request for a consultation was answered (the teacher hears back).
    OverlegBeantwoord,
    /// An action on a dossier was assigned to the user (domain::action).
    Actie,
    /// An action assigned to the user is past its deadline (the hourly reminder).
    ActieTeLaat,
    /// The user was named deputy (waarnemer) for an absent aandachtsfunctionaris (domain::cover).
    /// About no dossier: the start page shows the cover itself.
    Waarneming,
}

impl Notice {
    /// Every kind.
    pub const ALL: [Notice; 13] = [
        Notice::NieuwDossier,
        Notice::Noodmelding,
        Notice::Toegevoegd,
        Notice::OverlegGevraagd,
        Notice::Achterstallig,
        Notice::Besluit,
        Notice::Melding,
        Notice::Overdracht,
        Notice::ZelfdeLeerling,
        Notice::OverlegBeantwoord,
        Notice::Actie,
        Notice::ActieTeLaat,
        Notice::Waarneming,
    ];

    /// The stable code stored in `notifications.kind`.
    pub fn code(self) -> &'static str {
        self.texts().0
    }

    /// What the start page says.
    pub fn label(self) -> &'static str {
        self.texts().1
    }

    /// What the e-mail says; `None` for kinds that are not mailed.
    pub fn mail_text(self) -> Option<&'static str> {
        self.texts().2
    }

    /// The kind a stored code names; `None` for a code no kind has.
    pub fn parse(code: &str) -> Option<Notice> {
        Notice::ALL.into_iter().find(|n| n.code() == code)
    }

    /// The code, the start page's text and the e-mail's, side by side.
    fn texts(self) -> (&'static str, &'static str, Option<&'static str>) {
        match self {
            Notice::NieuwDossier => (
                "nieuw_dossier",
                "Er is een nieuw dossier geopend",
                Some("Er is een nieuw dossier geopend op een van uw scholen."),
            ),
            Notice::Noodmelding => (
                "noodmelding",
                "Er is een noodmelding vastgelegd",
                Some("Er is een noodmelding vastgelegd op een van uw scholen."),
            ),
            Notice::Toegevoegd => ("toegevoegd", "U bent toegevoegd aan een dossier", None),
            Notice::OverlegGevraagd => (
                "overleg_gevraagd",
                "Een collega vraagt u om overleg",
                Some("Een collega vraagt u om overleg over een dossier."),
            ),
            Notice::Achterstallig => (
                "achterstallig",
                "Bij dit dossier loopt iets achter",
                Some("Bij een dossier op een van uw scholen loopt iets achter."),
            ),
            Notice::Besluit => (
                "besluit",
                "Er is een besluit over melden en hulp vastgelegd",
                None,
            ),
            Notice::Melding => (
                "melding",
                "Er is een melding bij Veilig Thuis vastgelegd",
                None,
            ),
            Notice::Overdracht => (
                "overdracht",
                "Er wordt een dossier aan uw school overgedragen",
                Some("Er wordt een dossier aan uw school overgedragen."),
            ),
            Notice::ZelfdeLeerling => (
                "zelfde_leerling",
                "Er is een dossier geopend over een leerling die al een open dossier heeft",
                Some(
                    "Er is een dossier geopend over een leerling die op uw school al een open dossier heeft. Bekijk of u de twee wilt samenvoegen.",
                ),
            ),
            Notice::OverlegBeantwoord => (
                "overleg_beantwoord",
                "Uw vraag om overleg is beantwoord",
                Some("Uw vraag om overleg over een dossier is beantwoord."),
            ),
            Notice::Actie => (
                "actie",
                "Er is een actie voor u uitgezet",
                Some("Er is in een dossier een actie voor u uitgezet, met een termijn."),
            ),
            Notice::ActieTeLaat => (
                "actie_te_laat",
                "Een actie voor u is over de termijn",
                Some("Een actie die in een dossier voor u is uitgezet, is over de termijn."),
            ),
            Notice::Waarneming => (
                "waarneming",
                "U bent aangewezen als waarnemer van een aandachtsfunctionaris",
                Some(
                    "U bent aangewezen als waarnemer van een aandachtsfunctionaris. In Meldcode ziet u voor welke school en in welke periode.",
                ),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_notice_parses_back_from_its_own_code() {
        for n in Notice::ALL {
            assert_eq!(Notice::parse(n.code()), Some(n));
        }
        assert_eq!(Notice::parse("onbekend"), None);
    }

    #[test]
    fn every_notice_says_something_of_its_own_on_the_start_page() {
        let mut labels: Vec<&str> = Notice::ALL.into_iter().map(Notice::label).collect();
        labels.sort_unstable();
        labels.dedup();
        assert_eq!(labels.len(), Notice::ALL.len());
    }

    #[test]
    fn a_handover_is_not_announced_as_a_new_dossier() {
        assert_ne!(Notice::Overdracht.label(), Notice::NieuwDossier.label());
    }

    #[test]
    fn the_coordinator_s_kinds_an_answer_to_the_teacher_and_an_action_are_mailed_and_the_dossier_s_own_events_are_not()
     {
        let mailed: Vec<Notice> = Notice::ALL
            .into_iter()
            .filter(|n| n.mail_text().is_some())
            .collect();
        assert_eq!(
            mailed,
            vec![
                Notice::NieuwDossier,
                Notice::Noodmelding,
                Notice::OverlegGevraagd,
                Notice::Achterstallig,
                Notice::Overdracht,
                Notice::ZelfdeLeerling,
                Notice::OverlegBeantwoord,
                Notice::Actie,
                Notice::ActieTeLaat,
                Notice::Waarneming
            ]
        );
    }
}
