//! The paths that code builds, in one place: a handler redirects to `urls::dossier_notice(id,
//! PageNotice::Opgeslagen)`, never to a `format!` of its own, so a path and its notices are changed
//! here once. The notices are the Dutch lines a page shows after a redirect (`?melding=`), each
//! with its code beside its text.

use crate::domain::dossier::Step;
use crate::domain::entry::Kind;
use crate::domain::ids::{DossierId, EntryId, PupilId, RequestId, SchoolId, UserId};

/// What a page says after a redirect. The code travels in the query string; the text is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageNotice {
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
    SignaalToegevoegd,
    NoodToegevoegd,
    Samengevoegd,
    ActieUitgezet,
    ActieAfgerond,
    ActieAlAfgerond,
}

impl PageNotice {
    pub const ALL: [PageNotice; 20] = [
        PageNotice::Geopend,
        PageNotice::Medewerker,
        PageNotice::Opgeslagen,
        PageNotice::Collega,
        PageNotice::KiesCollega,
        PageNotice::CollegaWeg,
        PageNotice::Overdracht,
        PageNotice::Overgenomen,
        PageNotice::Gesloten,
        PageNotice::Heropend,
        PageNotice::OverlegGevraagd,
        PageNotice::OverlegGevraagdDirectie,
        PageNotice::VraagLeeg,
        PageNotice::Nood,
        PageNotice::SignaalToegevoegd,
        PageNotice::NoodToegevoegd,
        PageNotice::Samengevoegd,
        PageNotice::ActieUitgezet,
        PageNotice::ActieAfgerond,
        PageNotice::ActieAlAfgerond,
    ];

    pub fn code(self) -> &'static str {
        match self {
            PageNotice::Geopend => "geopend",
            PageNotice::Medewerker => "medewerker",
            PageNotice::Opgeslagen => "opgeslagen",
            PageNotice::Collega => "collega",
            PageNotice::KiesCollega => "kies-collega",
            PageNotice::CollegaWeg => "collega-weg",
            PageNotice::Overdracht => "overdracht",
            PageNotice::Overgenomen => "overgenomen",
            PageNotice::Gesloten => "gesloten",
            PageNotice::Heropend => "heropend",
            PageNotice::OverlegGevraagd => "overleg-gevraagd",
            PageNotice::OverlegGevraagdDirectie => "overleg-gevraagd-directie",
            PageNotice::VraagLeeg => "vraag-leeg",
            PageNotice::Nood => "nood",
            PageNotice::SignaalToegevoegd => "signaal-toegevoegd",
            PageNotice::NoodToegevoegd => "nood-toegevoegd",
            PageNotice::Samengevoegd => "samengevoegd",
            PageNotice::ActieUitgezet => "actie",
            PageNotice::ActieAfgerond => "actie-afgerond",
            PageNotice::ActieAlAfgerond => "actie-al-afgerond",
        }
    }

    pub fn text(self) -> &'static str {
        match self {
            PageNotice::Geopend => {
                "Het dossier is geopend. De aandachtsfunctionaris van de school ziet het nu ook."
            }
            PageNotice::Medewerker => {
                "Het dossier is geopend en gaat naar de directie. Alleen de directie van de school en u zien het."
            }
            PageNotice::Opgeslagen => "De aantekening is opgeslagen.",
            PageNotice::Collega => "De collega is toegevoegd en kan het dossier nu zien.",
            PageNotice::KiesCollega => "Kies eerst een collega.",
            PageNotice::CollegaWeg => {
                "De collega is verwijderd en ziet het dossier niet meer. Was deze collega casemanager, wijs dan een nieuwe aan."
            }
            PageNotice::Overdracht => {
                "De overdracht is gevraagd. Het dossier blijft bij uw school tot de aandachtsfunctionaris van de andere school het overneemt."
            }
            PageNotice::Overgenomen => {
                "U heeft het dossier overgenomen. Het hoort nu bij uw school."
            }
            PageNotice::Gesloten => "Het dossier is gesloten. De reden staat in de aantekeningen.",
            PageNotice::Heropend => "Het dossier is heropend.",
            PageNotice::OverlegGevraagd => {
                "Uw vraag om overleg is verstuurd. De aandachtsfunctionaris ziet haar in de werkruimte."
            }
            PageNotice::OverlegGevraagdDirectie => {
                "Uw vraag om overleg is verstuurd. De directie van de school ziet haar op de startpagina."
            }
            PageNotice::VraagLeeg => "Schrijf eerst uw vraag op.",
            PageNotice::Nood => {
                "De noodmelding is vastgelegd. Vul het dossier later aan met wat er is gebeurd en wat u deed."
            }
            PageNotice::SignaalToegevoegd => {
                "Uw signaal is toegevoegd aan het open dossier over deze leerling. Zo staat alles over deze zorg bij elkaar."
            }
            PageNotice::NoodToegevoegd => {
                "De noodmelding is vastgelegd in het open dossier over deze leerling. De aandachtsfunctionaris is op de hoogte gebracht. Vul het dossier later aan met wat er is gebeurd en wat u deed."
            }
            PageNotice::Samengevoegd => {
                "De dossiers zijn samengevoegd. Het andere dossier is gesloten en verwijst naar dit dossier; beide geschiedenissen zijn bewaard."
            }
            PageNotice::ActieUitgezet => {
                "De actie is uitgezet. Wie haar krijgt, ziet haar op de startpagina."
            }
            PageNotice::ActieAfgerond => "De actie is afgerond. Dat staat nu in de aantekeningen.",
            PageNotice::ActieAlAfgerond => {
                "Deze actie was al afgerond door iemand anders. Er is niets veranderd."
            }
        }
    }

    /// The notice a `?melding=` code names; an unknown code shows nothing.
    pub fn parse(code: &str) -> Option<PageNotice> {
        PageNotice::ALL.into_iter().find(|n| n.code() == code)
    }
}

/// Paths without values, each a constant here so that no handler writes one of its own.
pub mod path {
    /// The choice of how often to be e-mailed, after saving it.
    pub const ACCOUNT_ALERTS_SAVED: &str = "/account/meldingen?melding=opgeslagen";
    /// The account page after a new password.
    pub const ACCOUNT_PASSWORD_CHANGED: &str = "/account?melding=wachtwoord";
    /// The account page after ending another session.
    pub const ACCOUNT_SESSION_ENDED: &str = "/account?melding=sessie";
    /// The beheerder's overview.
    pub const BEHEER: &str = "/beheer";
    /// The meldcode text page after publishing a small correction.
    pub const BEHEER_MELDCODE_CORRECTED: &str = "/beheer/meldcode?melding=gecorrigeerd";
    /// The meldcode text page after publishing a version.
    pub const BEHEER_MELDCODE_PUBLISHED: &str = "/beheer/meldcode?melding=gepubliceerd";
    /// The overview after saving the phone numbers.
    pub const BEHEER_NUMBERS_SAVED: &str = "/beheer?melding=nummers";
    /// The signal lists after going back to the default.
    pub const BEHEER_SIGNALS_RESET: &str = "/beheer/signalen?melding=standaard";
    /// The single sign-on page (web::beheer::sso) after saving it.
    pub const BEHEER_SSO_SAVED: &str = "/beheer/sso?melding=sso";
    /// The single sign-on page after switching it off.
    pub const BEHEER_SSO_REMOVED: &str = "/beheer/sso?melding=sso-uit";
    /// The signal lists after saving one.
    pub const BEHEER_SIGNALS_SAVED: &str = "/beheer/signalen?melding=signalen";
    /// The aandachtsfunctionaris's page of covers during absence (web::cover).
    pub const COVER: &str = "/werkruimte/waarneming";
    /// That page after naming a deputy.
    pub const COVER_NAMED: &str = "/werkruimte/waarneming?melding=aangewezen";
    /// That page after ending a cover early.
    pub const COVER_ENDED: &str = "/werkruimte/waarneming?melding=beeindigd";
    /// That page when the cover to end was over or ended already.
    pub const COVER_ALREADY_OVER: &str = "/werkruimte/waarneming?melding=al-afgelopen";
    /// The login page.
    pub const LOGIN: &str = "/login";
    /// The login page after activating an account.
    pub const LOGIN_ACTIVATED: &str = "/login?melding=geactiveerd";
    /// The second step of logging in: the code.
    pub const LOGIN_CODE: &str = "/login/code";
    /// The login page after logging out.
    pub const LOGIN_LOGGED_OUT: &str = "/login?melding=uitgelogd";
    /// The login page when a page needs a login.
    pub const LOGIN_REQUIRED: &str = "/login?melding=inloggen";
    /// The login page after the session ended while a form was sent, and the form was kept.
    pub const LOGIN_FORM_KEPT: &str = "/login?melding=bewaard";
    /// The login page after the session ended.
    pub const LOGIN_SESSION_EXPIRED: &str = "/login?melding=verlopen";
    /// The login page after setting up the organisation.
    pub const LOGIN_SET_UP: &str = "/login?melding=ingericht";
    /// The organisation's meldcode text.
    pub const MELDCODE: &str = "/meldcode";
    /// The meldcode text after confirming it was read.
    pub const MELDCODE_READ: &str = "/meldcode?melding=gelezen";
    /// Directie's organisation page after recording a training.
    pub const ORGANISATION_TRAINING_SAVED: &str = "/organisatie?melding=training";
    /// The privacy officer's log.
    pub const PRIVACY: &str = "/privacy";
    /// The start page.
    pub const START: &str = "/start";
    /// Setting up or managing the second factor.
    pub const TWO_FACTOR: &str = "/account/tweestaps";
}

/// A pupil's inspection export (inzage), as a page or as JSON.
pub fn inspection(pupil: PupilId, json: bool) -> String {
    if json {
        format!("/leerlingen/{pupil}/inzage?formaat=json")
    } else {
        format!("/leerlingen/{pupil}/inzage")
    }
}

/// The review of a pupil's inspection copy, with a notice code, at an entry if given.
pub fn inspection_review(pupil: PupilId, notice: &str, entry: Option<EntryId>) -> String {
    let anchor = entry.map_or(String::new(), |e| format!("#aantekening-{e}"));
    format!("/leerlingen/{pupil}/inzage/beoordelen?melding={notice}{anchor}")
}

/// A page with the query string it was asked with (`None` or empty: none).
pub fn with_query(path: &str, query: Option<&str>) -> String {
    match query.filter(|q| !q.is_empty()) {
        Some(q) => format!("{path}?{q}"),
        None => path.to_string(),
    }
}

/// The beheerder's page of one user, with a notice code if any.
pub fn beheer_user(id: UserId, notice: Option<&str>) -> String {
    match notice {
        Some(code) => format!("/beheer/gebruikers/{id}?melding={code}"),
        None => format!("/beheer/gebruikers/{id}"),
    }
}

/// The beheerder's page of one school (naming its aandachtsfunctionaris), with a notice code.
pub fn beheer_school(id: SchoolId, notice: Option<&str>) -> String {
    match notice {
        Some(code) => format!("/beheer/scholen/{id}?melding={code}"),
        None => format!("/beheer/scholen/{id}"),
    }
}

/// The yearly evaluation of `year`, after saving it.
pub fn yearly_evaluation_saved(year: i32) -> String {
    format!("/evaluatie/jaar?jaar={year}&melding=opgeslagen")
}

/// The password check before an action that needs a fresh one, returning to `back` afterwards.
pub fn confirm_password(back: &str) -> String {
    let query = serde_urlencoded::to_string([("terug", back)]).unwrap_or_default();
    format!("/bevestigen?{query}")
}

/// The dossier page.
pub fn dossier(id: DossierId) -> String {
    format!("/dossiers/{id}")
}

/// The dossier page with a notice.
pub fn dossier_notice(id: DossierId, notice: PageNotice) -> String {
    format!("/dossiers/{id}?melding={}", notice.code())
}

/// The dossier page after an entry was saved: the whole chronology (never silently filtered to
/// the step just saved), at the new entry, with the notice and what comes next above it.
pub fn saved(id: DossierId, entry: EntryId) -> String {
    format!(
        "/dossiers/{id}?melding={}#aantekening-{entry}",
        PageNotice::Opgeslagen.code()
    )
}

/// The aandachtsfunctionaris's form to record the consultation a teacher asked for (step 2).
pub fn answer_request(id: DossierId, request: RequestId) -> String {
    format!("/dossiers/{id}/stap/2?verzoek={request}")
}

/// Directie's form to answer a request for a consultation on a staff dossier.
pub fn answer_staff_request(id: DossierId, request: RequestId) -> String {
    format!("/dossiers/{id}/vastleggen/medewerkerplicht?verzoek={request}")
}

/// The form that records an entry of `kind`: on its step's page, or (for the kinds outside the
/// steps, such as closing) on its own.
pub fn form(id: DossierId, kind: Kind) -> String {
    match kind.step() {
        Some(step) => format!(
            "/dossiers/{id}/stap/{}?soort={}",
            step.number(),
            kind.code()
        ),
        None => format!("/dossiers/{id}/vastleggen/{}", kind.code()),
    }
}

/// A step's page with a notice.
pub fn step_notice(id: DossierId, step: Step, notice: PageNotice) -> String {
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
        for n in PageNotice::ALL {
            assert_eq!(PageNotice::parse(n.code()), Some(n));
            assert!(!n.text().is_empty());
        }
        let mut codes: Vec<&str> = PageNotice::ALL.iter().map(|n| n.code()).collect();
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), PageNotice::ALL.len());
        assert_eq!(PageNotice::parse("iets-anders"), None);
    }

    #[test]
    fn paths_are_built_as_the_router_names_them() {
        let d = DossierId::from(7);
        assert_eq!(dossier(d), "/dossiers/7");
        assert_eq!(
            inspection(PupilId::new(3), true),
            "/leerlingen/3/inzage?formaat=json"
        );
        assert_eq!(with_query("/evaluatie", Some("")), "/evaluatie");
        assert_eq!(with_query("/evaluatie", Some("a=1")), "/evaluatie?a=1");
        assert_eq!(
            beheer_user(UserId::new(5), Some("rol")),
            "/beheer/gebruikers/5?melding=rol"
        );
        assert_eq!(confirm_password("/a?b=c"), "/bevestigen?terug=%2Fa%3Fb%3Dc");
        assert_eq!(
            saved(d, EntryId::new(12)),
            "/dossiers/7?melding=opgeslagen#aantekening-12"
        );
        assert_eq!(
            step_notice(d, Step::Consultatie, PageNotice::VraagLeeg),
            "/dossiers/7/stap/2?melding=vraag-leeg"
        );
    }
}
