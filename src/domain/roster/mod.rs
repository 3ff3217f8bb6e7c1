//! The school's roster as the administration system exports it: an EDEXML 2.1 file (ParnasSys
//! "EDEX", ESIS/Somtoday, Magister) or a plain CSV with a documented header. Parsing is pure: bytes
//! in, a [`Roster`] or one Dutch [`ImportError`] naming the line or element out. Only what the
//! meldcode needs is kept (key, name, date of birth, group; for staff key, name, e-mail): no
//! address, BSN, parents' data or other fields the file carries.
//!
//! What an import changes (added, changed, left) is decided by the store's import from a
//! [`Roster`]; this module only reads files.

use time::Date;

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
