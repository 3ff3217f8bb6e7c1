//! Dossier entries (aantekeningen): what each kind records, and the rules its fields must meet.
//!
//! A dossier is a legal record, so entries are append-only: a correction or follow-up is a new
//! entry that refers to the old one. Each kind is described by a list of fields (the form and
//! the display are both made from it) and checked by [`validate`], which applies the meldcode's
//! rules that span fields: a third-party source must be named, a diagnosis needs who made it, a
//! skipped conversation needs a lawful reason, and so on.
//!
//! Where things live:
//! - here: [`Kind`] (its codes, labels and step), the types of a form and an entry ([`Values`],
//!   [`Body`], [`Field`], [`Input`]) and what validation needs to know ([`Context`]);
//! - [`keys`]: the body keys that code reads or writes beyond the field lists, defined once;
//! - `fields.rs`: the fields of each kind ([`Kind::fields`]): a new field or a new entry kind's
//!   form goes there;
//! - `validate.rs`: [`validate`] and [`parse_date`], the checks of each field on its own;
//! - `rules.rs`: the rules that span fields of one entry, and [`relation_allowed`]: a new rule of
//!   the meldcode about what one entry must say goes there;
//! - `display.rs`: [`display`], an entry as the chronology shows it;
//! - `assessment.rs`: what an entry changes: the afwegingskader's answers ([`assessment`]) and
//!   the dossier's kept state ([`state_change`]).
//!
//! Rules that depend on the dossier's history (closing against the meldnorm, the staff route's
//! order) are not here but in `domain::progress` and `domain::staff`.

use std::collections::{BTreeMap, BTreeSet};

use time::Date;

use super::dossier::{Form, Step};

mod assessment;
mod display;
mod fields;
pub mod keys;
#[cfg(test)]
mod rule_tests;
mod rules;
mod validate;

pub use assessment::{
    StateChange, answers_assessment, apply_to_assessment, assessment, lawful_skip_reason,
    state_change,
};
pub use display::{UNREADABLE_NOTICE, display, display_keyed, field as shown_field};
pub use rules::relation_allowed;
pub use validate::{parse_date, validate};

/// What the form sent: every value of every field (check boxes can repeat a name).
pub type Values = BTreeMap<String, Vec<String>>;
/// What an entry stores: one value per field key.
pub type Body = BTreeMap<String, String>;
/// Messages per field, in Dutch.
pub type FieldErrors = Vec<(&'static str, String)>;

pub const LINE_MAX: usize = 200;
pub const TEXT_MAX: usize = 10_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Geopend,
    Signaal,
    Consultatie,
    Gesprek,
    GesprekOvergeslagen,
    Weging,
    Besluit,
    Hulpplan,
    Evaluatie,
    Meldgesprek,
    MeldgesprekOvergeslagen,
    Melding,
    Terugkoppeling,
    Aanvulling,
    Gesloten,
    Heropend,
    Noodmelding,
    Medewerkerplicht,
    Verwijsindex,
    Politie,
    CollegaToegevoegd,
    CollegaVerwijderd,
    Casemanager,
    OverdrachtGevraagd,
    Overgedragen,
    /// Another dossier about the same pupil was merged into this one (domain::merge).
    Samengevoegd,
    /// This dossier was merged into another about the same pupil, and continues there.
    OpgegaanIn,
    /// An action with a deadline, assigned to a colleague (domain::action).
    Actie,
    /// An action recorded as done or not done; refers to the action's entry.
    ActieAfgerond,
    /// The risk level (laag, midden, hoog) judged now, with its reason (`domain::risk`): set
    /// and changed by the second line, the latest kept beside the dossier.
    Risico,
    /// A handover note for a deputy standing in for the absent aandachtsfunctionaris
    /// (`domain::cover`): what the deputy must know of this dossier. Written by the second line,
    /// kept in the chronology like any entry.
    Waarneemnotitie,
    /// Not a kind anyone records: a stored entry that cannot be read (an unknown kind, or a body
    /// that is not what its kind stores). It stays in the chronology, marked as unreadable, so
    /// that the legal record never loses an entry without a trace. [`Kind::parse`] never returns it.
    Onleesbaar,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateRule {
    /// A date on which something happened: not in the future.
    Past,
    /// A date agreed for later: today or after.
    Future,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Input {
    Line,
    Text,
    Date(DateRule),
    Choice(&'static [(&'static str, &'static str)]),
    Check,
    /// Signals ticked from the signal list of the pupil's age band.
    Signals,
    /// Regions of the body map (`domain::bodymap`) where an injury was seen.
    BodyMap,
}

#[derive(Debug, Clone, Copy)]
pub struct Field {
    pub key: &'static str,
    pub label: &'static str,
    pub hint: &'static str,
    pub input: Input,
    pub required: bool,
}

impl Kind {
    /// The kinds a user can record through a form, per step or route.
    pub const RECORDABLE: [Kind; 20] = [
        Kind::Signaal,
        Kind::Consultatie,
        Kind::Gesprek,
        Kind::GesprekOvergeslagen,
        Kind::Weging,
        Kind::Besluit,
        Kind::Hulpplan,
        Kind::Evaluatie,
        Kind::Meldgesprek,
        Kind::MeldgesprekOvergeslagen,
        Kind::Melding,
        Kind::Terugkoppeling,
        Kind::Aanvulling,
        Kind::Gesloten,
        Kind::Heropend,
        Kind::Medewerkerplicht,
        Kind::Verwijsindex,
        Kind::Politie,
        Kind::Risico,
        Kind::Waarneemnotitie,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Kind::Geopend => "geopend",
            Kind::Signaal => "signaal",
            Kind::Consultatie => "consultatie",
            Kind::Gesprek => "gesprek",
            Kind::GesprekOvergeslagen => "gesprek_overgeslagen",
            Kind::Weging => "weging",
            Kind::Besluit => "besluit",
            Kind::Hulpplan => "hulpplan",
            Kind::Evaluatie => "evaluatie",
            Kind::Meldgesprek => "meldgesprek",
            Kind::MeldgesprekOvergeslagen => "meldgesprek_overgeslagen",
            Kind::Melding => "melding",
            Kind::Terugkoppeling => "terugkoppeling",
            Kind::Aanvulling => "aanvulling",
            Kind::Gesloten => "gesloten",
            Kind::Heropend => "heropend",
            Kind::Noodmelding => "noodmelding",
            Kind::Medewerkerplicht => "medewerkerplicht",
            Kind::Verwijsindex => "verwijsindex",
            Kind::Politie => "politie",
            Kind::CollegaToegevoegd => "collega_toegevoegd",
            Kind::CollegaVerwijderd => "collega_verwijderd",
            Kind::Casemanager => "casemanager",
            Kind::OverdrachtGevraagd => "overdracht_gevraagd",
            Kind::Overgedragen => "overgedragen",
            Kind::Samengevoegd => "samengevoegd",
            Kind::OpgegaanIn => "opgegaan_in",
            Kind::Actie => "actie",
            Kind::ActieAfgerond => "actie_afgerond",
            Kind::Risico => "risico",
            Kind::Waarneemnotitie => "waarneemnotitie",
            Kind::Onleesbaar => "onleesbaar",
        }
    }

    pub fn parse(code: &str) -> Option<Kind> {
        Kind::RECORDABLE
            .into_iter()
            .chain([
                Kind::Geopend,
                Kind::Noodmelding,
                Kind::CollegaToegevoegd,
                Kind::CollegaVerwijderd,
                Kind::Casemanager,
                Kind::OverdrachtGevraagd,
                Kind::Overgedragen,
                Kind::Samengevoegd,
                Kind::OpgegaanIn,
                Kind::Actie,
                Kind::ActieAfgerond,
            ])
            .find(|k| k.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Kind::Geopend => "Dossier geopend",
            Kind::Signaal => "Signaal",
            Kind::Consultatie => "Collegiale consultatie",
            Kind::Gesprek => "Gesprek",
            Kind::GesprekOvergeslagen => "Gesprek niet gevoerd",
            Kind::Weging => "Weging",
            Kind::Besluit => "Besluit over melden en hulp",
            Kind::Hulpplan => "Hulpplan",
            Kind::Evaluatie => "Evaluatie van de hulp",
            Kind::Meldgesprek => "Gesprek over de melding",
            Kind::MeldgesprekOvergeslagen => "Gesprek over de melding niet gevoerd",
            Kind::Melding => "Melding bij Veilig Thuis",
            Kind::Terugkoppeling => "Terugkoppeling van Veilig Thuis",
            Kind::Aanvulling => "Correctie of aanvulling",
            Kind::Gesloten => "Dossier gesloten",
            Kind::Heropend => "Dossier heropend",
            Kind::Noodmelding => "Noodmelding",
            Kind::Medewerkerplicht => "Stap bij een vermoeden tegen een medewerker",
            Kind::Verwijsindex => "Verwijsindex overwogen",
            Kind::Politie => "Afstemming met de politie",
            Kind::CollegaToegevoegd => "Collega toegevoegd",
            Kind::CollegaVerwijderd => "Collega verwijderd",
            Kind::Casemanager => "Casemanager aangewezen",
            Kind::OverdrachtGevraagd => "Overdracht aan een andere school gevraagd",
            Kind::Overgedragen => "Overgedragen aan een andere school",
            Kind::Samengevoegd => "Ander dossier over deze leerling hierin samengevoegd",
            Kind::OpgegaanIn => "Samengevoegd met een ander dossier over deze leerling",
            Kind::Actie => "Actie",
            Kind::ActieAfgerond => "Actie afgerond",
            Kind::Risico => "Risico ingeschat",
            Kind::Waarneemnotitie => "Notitie voor de waarnemer",
            Kind::Onleesbaar => "Onleesbare aantekening",
        }
    }

    /// The heading of the form that records this kind: what the user is about to do.
    pub fn form_title(self) -> &'static str {
        match self {
            Kind::Gesloten => "Dossier sluiten",
            Kind::Heropend => "Dossier heropenen",
            Kind::Aanvulling => "Corrigeren of aanvullen",
            Kind::Verwijsindex => "Verwijsindex overwegen",
            Kind::Medewerkerplicht => "Stap vastleggen bij een vermoeden tegen een medewerker",
            Kind::Risico => "Risico inschatten",
            Kind::Waarneemnotitie => "Notitie voor de waarnemer schrijven",
            other => other.label(),
        }
    }

    /// The button that records this kind: it names the action, not "Opslaan".
    pub fn submit_label(self) -> &'static str {
        match self {
            Kind::Gesloten => "Dossier sluiten",
            Kind::Heropend => "Dossier heropenen",
            Kind::Besluit => "Besluit vastleggen",
            Kind::Hulpplan => "Hulpplan vastleggen",
            Kind::Melding => "Melding vastleggen",
            Kind::Weging => "Weging vastleggen",
            Kind::Aanvulling => "Correctie of aanvulling opslaan",
            Kind::Consultatie => "Overleg vastleggen",
            Kind::Risico => "Risico vastleggen",
            Kind::Waarneemnotitie => "Notitie opslaan",
            _ => "Aantekening opslaan",
        }
    }

    /// The step an entry of this kind belongs to, if any.
    pub fn step(self) -> Option<Step> {
        match self {
            Kind::Signaal => Some(Step::Signalen),
            Kind::Consultatie => Some(Step::Consultatie),
            Kind::Gesprek | Kind::GesprekOvergeslagen => Some(Step::Gesprek),
            Kind::Weging => Some(Step::Wegen),
            Kind::Besluit
            | Kind::Hulpplan
            | Kind::Evaluatie
            | Kind::Meldgesprek
            | Kind::MeldgesprekOvergeslagen
            | Kind::Melding
            | Kind::Terugkoppeling => Some(Step::Beslissen),
            _ => None,
        }
    }
}

/// What validation needs to know about the dossier and the day.
#[derive(Debug, Clone)]
pub struct Context {
    pub today: Date,
    pub forms: Vec<Form>,
    /// The steps gone through so far.
    pub steps_done: BTreeSet<Step>,
    /// The signal list for the pupil's age band (the organisation's own or the default): the
    /// signals that can be ticked.
    pub signals: Option<super::signals::List>,
    /// The pupil's date of birth, if known: ages count on the date of each conversation or
    /// decision, not on the day it is recorded.
    pub pupil_born: Option<Date>,
    /// The day the dossier was opened: nothing in it is dated before (a note may say in its text
    /// when something was seen earlier). `None` while the dossier is being opened.
    pub opened_on: Option<Date>,
}

fn has(body: &Body, key: &str) -> bool {
    body.get(key).is_some_and(|v| !v.is_empty())
}

fn is(body: &Body, key: &str, value: &str) -> bool {
    body.get(key).is_some_and(|v| v == value)
}

#[cfg(test)]
mod label_tests {
    use super::*;

    #[test]
    fn buttons_name_their_action_and_closing_says_so() {
        assert_eq!(Kind::Gesloten.submit_label(), "Dossier sluiten");
        assert_eq!(Kind::Besluit.submit_label(), "Besluit vastleggen");
        assert!(
            Kind::RECORDABLE
                .iter()
                .all(|k| k.submit_label() != "Opslaan")
        );
    }
}

#[cfg(test)]
mod testing {
    //! What the unit tests of the entry modules share: a dossier's context and a form.
    use super::*;
    use time::macros::date;

    /// A dossier of a pupil born in 2017, opened on 2 November 2026; today is 28 November 2026.
    pub fn ctx() -> Context {
        Context {
            today: date!(2026 - 11 - 28),
            forms: vec![],
            steps_done: BTreeSet::new(),
            signals: Some(super::super::signals::List::default_for(
                super::super::signals::AgeBand::From4To12,
            )),
            pupil_born: Some(date!(2017 - 06 - 01)),
            opened_on: Some(date!(2026 - 11 - 02)),
        }
    }

    /// A form as sent: each pair one value (a key may repeat, as check boxes do).
    pub fn values(pairs: &[(&str, &str)]) -> Values {
        let mut v = Values::new();
        for (k, val) in pairs {
            v.entry(k.to_string()).or_default().push(val.to_string());
        }
        v
    }

    /// The fields a validation refused, in order (none when it passed).
    pub fn error_keys(r: Result<Body, FieldErrors>) -> Vec<&'static str> {
        r.err()
            .unwrap_or_default()
            .into_iter()
            .map(|(k, _)| k)
            .collect()
    }
}
