//! Ids of different things are different types: a dossier's id cannot be passed where an entry's
//! is meant, nor the other way round. They are numbers in the database and in paths; the store
//! and the web layer convert at their edges (`get()` to bind, `From<i64>` when read, `parse` from
//! a path).

use std::fmt;
use std::str::FromStr;

macro_rules! id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
        )]
        #[serde(transparent)]
        pub struct $name(i64);

        impl $name {
            /// The id stored as `n` (constants and tests; values read come through `From`).
            pub const fn new(n: i64) -> $name {
                $name(n)
            }

            /// The number as stored.
            pub fn get(self) -> i64 {
                self.0
            }
        }

        impl From<i64> for $name {
            fn from(n: i64) -> $name {
                $name(n)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl FromStr for $name {
            type Err = std::num::ParseIntError;
            fn from_str(s: &str) -> Result<$name, Self::Err> {
                s.parse().map($name)
            }
        }
    };
}

id!(
    /// A dossier (casus).
    DossierId
);
id!(
    /// An entry (aantekening) of a dossier.
    EntryId
);
id!(
    /// A school (vestiging) of the organisation.
    SchoolId
);
id!(
    /// A user's account.
    UserId
);
id!(
    /// A pupil as the school knows them.
    PupilId
);
id!(
    /// A teacher's request for a consultation with the aandachtsfunctionaris or directie.
    RequestId
);
id!(
    /// A request to hand a dossier over to another school.
    TransferId
);
id!(
    /// A passage withheld from a pupil's inspection copy (domain::inspection).
    RedactionId
);
id!(
    /// An action with a deadline on a dossier (domain::action).
    ActionId
);
id!(
    /// A period in which a deputy stands in for an absent aandachtsfunctionaris (domain::cover).
    CoverId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_reads_from_a_path_and_shows_as_its_number() {
        let id: DossierId = "42".parse().unwrap();
        assert_eq!(id.get(), 42);
        assert_eq!(id.to_string(), "42");
        assert!("x".parse::<EntryId>().is_err());
    }
}
