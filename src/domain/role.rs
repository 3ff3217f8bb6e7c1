//! Roles (rollen) a user holds, per school.
//!
//! The four roles come from the meldcode's division of work (DOMAIN.md, "Who uses it"):
//! - `Beroepskracht`: the teacher or support staff who notices signals and opens a dossier;
//! - `Aandachtsfunctionaris`: the school's designated safeguarding officer, consulted in step 2 and
//!   coordinating every dossier of the school;
//! - `Directie`: the director or board, who evaluates the use of the meldcode and handles signals
//!   about staff;
//! - `Beheerder`: the functional administrator, who manages schools, users and settings and never
//!   sees dossier content;
//! - `Privacy`: the privacy officer (functionaris gegevensbescherming), who reviews the whole
//!   audit log and sees no dossier content.

use std::fmt;

/// One of the four roles of the meldcode. A user may hold several, each at a given school.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    Beroepskracht,
    Aandachtsfunctionaris,
    Directie,
    Beheerder,
    Privacy,
}

impl Role {
    /// Every role, in the order the interface lists them.
    pub const ALL: [Role; 5] = [
        Role::Beroepskracht,
        Role::Aandachtsfunctionaris,
        Role::Directie,
        Role::Beheerder,
        Role::Privacy,
    ];

    /// The stable code stored in the database and used in forms and on the command line.
    pub fn code(self) -> &'static str {
        match self {
            Role::Beroepskracht => "beroepskracht",
            Role::Aandachtsfunctionaris => "aandachtsfunctionaris",
            Role::Directie => "directie",
            Role::Beheerder => "beheerder",
            Role::Privacy => "privacy",
        }
    }

    /// The Dutch word shown to users.
    pub fn label(self) -> &'static str {
        match self {
            Role::Beroepskracht => "Beroepskracht",
            Role::Aandachtsfunctionaris => "Aandachtsfunctionaris",
            Role::Directie => "Directie",
            Role::Beheerder => "Beheerder",
            Role::Privacy => "Functionaris gegevensbescherming",
        }
    }

    /// Parses a role code; `None` for anything else.
    pub fn parse(code: &str) -> Option<Role> {
        Role::ALL
            .into_iter()
            .find(|r| r.code().eq_ignore_ascii_case(code.trim()))
    }

    /// Whether this role ever works with dossier content. The beheerder never does: DOMAIN.md
    /// gives the functional administrator schools, users and settings, and no dossier. Nor does
    /// the privacy officer, who sees who accessed what, not what it said.
    pub fn may_work_with_dossiers(self) -> bool {
        !matches!(self, Role::Beheerder | Role::Privacy)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_role_parses_back_from_its_code() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.code()), Some(role));
        }
        assert_eq!(Role::parse(" Directie "), Some(Role::Directie));
        assert_eq!(Role::parse("admin"), None);
    }

    #[test]
    fn beheerder_and_privacy_officer_are_the_roles_without_dossier_content() {
        let without: Vec<Role> = Role::ALL
            .into_iter()
            .filter(|r| !r.may_work_with_dossiers())
            .collect();
        assert_eq!(without, vec![Role::Beheerder, Role::Privacy]);
    }
}
