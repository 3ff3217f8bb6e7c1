//! The parts (areas) of the application, and which roles may enter each.
//!
//! This is the one table of areas: the web layer's gates (extractors in `web::access`) ask
//! [`Area::admits`] and [`Area::refusal`], and the menu is [`menu`] of the same table, so a gate
//! and its menu item cannot disagree. Who may enter what comes from DOMAIN.md, "Who uses it":
//! - the dossiers are for the roles that work with dossier content (never the beheerder or the
//!   privacy officer);
//! - the workspace and the right of inspection are the aandachtsfunctionaris's, who coordinates
//!   every dossier of the school;
//! - the evaluation (reports and the yearly evaluation) is directie's;
//! - the organisation's duties (training, experts) are overseen by directie and the beheerder;
//! - the whole audit log is the privacy officer's;
//! - the beheer pages are the beheerder's;
//! - the start page and the meldcode text are for every logged-in user;
//! - a deputy standing in for an absent aandachtsfunctionaris (`domain::cover`) enters the
//!   dossiers and the workspace through the cover, and nothing else through it: not the inspection
//!   copy, and not the page where an aandachtsfunctionaris names a deputy ([`Area::Waarneming`]).

use super::role::Role;

/// One part of the application, entered through one gate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Area {
    Start,
    Dossiers,
    Werkruimte,
    Evaluatie,
    Organisatie,
    Toegangslog,
    Meldcode,
    Beheer,
    /// The right of inspection: one pupil's dossiers to hand over. Reached from a dossier, not
    /// from the menu.
    Inzage,
    /// Naming a deputy for a period of absence (`domain::cover`): the aandachtsfunctionaris's by
    /// their own role. Reached from the workspace, not from the menu.
    Waarneming,
}

/// How a gate answers someone it does not let in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// 403: the area exists, but not for this user.
    Forbidden,
    /// 404: a user who never works with dossiers does not even learn which dossier addresses
    /// exist.
    NotFound,
}

impl Area {
    /// Every area, in the order of the menu.
    pub const ALL: [Area; 10] = [
        Area::Start,
        Area::Dossiers,
        Area::Werkruimte,
        Area::Evaluatie,
        Area::Organisatie,
        Area::Toegangslog,
        Area::Meldcode,
        Area::Beheer,
        Area::Inzage,
        Area::Waarneming,
    ];

    /// The path the area starts at; every path below it belongs to it.
    pub fn path(self) -> &'static str {
        match self {
            Area::Start => "/start",
            Area::Dossiers => "/dossiers",
            Area::Werkruimte => "/werkruimte",
            Area::Evaluatie => "/evaluatie",
            Area::Organisatie => "/organisatie",
            Area::Toegangslog => "/privacy",
            Area::Meldcode => "/meldcode",
            Area::Beheer => "/beheer",
            Area::Inzage => "/leerlingen",
            Area::Waarneming => "/werkruimte/waarneming",
        }
    }

    /// The menu item's label; `None` for an area the menu does not show.
    pub fn menu_label(self) -> Option<&'static str> {
        match self {
            Area::Start => Some("Start"),
            Area::Dossiers => Some("Dossiers"),
            Area::Werkruimte => Some("Werkruimte"),
            Area::Evaluatie => Some("Evaluatie"),
            Area::Organisatie => Some("Organisatie"),
            Area::Toegangslog => Some("Toegangslog"),
            Area::Meldcode => Some("Meldcode"),
            Area::Beheer => Some("Beheer"),
            Area::Inzage | Area::Waarneming => None,
        }
    }

    /// Whether a user with these roles (at any of their schools) may enter. Which school's
    /// dossiers or figures they then see is decided inside the area.
    pub fn admits(self, roles: &[Role]) -> bool {
        let has = |role: Role| roles.contains(&role);
        match self {
            Area::Start | Area::Meldcode => true,
            Area::Dossiers => roles.iter().any(|r| r.may_work_with_dossiers()),
            Area::Werkruimte | Area::Inzage | Area::Waarneming => has(Role::Aandachtsfunctionaris),
            Area::Evaluatie => has(Role::Directie),
            Area::Organisatie => has(Role::Directie) || has(Role::Beheerder),
            Area::Toegangslog => has(Role::Privacy),
            Area::Beheer => has(Role::Beheerder),
        }
    }

    /// Whether a deputy standing in for an absent aandachtsfunctionaris today enters through the
    /// cover (`domain::cover`): the dossiers and the workspace, where the school's dossiers are.
    /// Not the inspection copy, nor naming a deputy in turn.
    pub fn open_to_deputies(self) -> bool {
        matches!(self, Area::Dossiers | Area::Werkruimte)
    }

    /// Whether a user with these roles enters, `covering` when they stand in for an absent
    /// aandachtsfunctionaris today: [`Area::admits`], or [`Area::open_to_deputies`] for a deputy.
    /// The gates and the menu ask this.
    pub fn admits_as(self, roles: &[Role], covering: bool) -> bool {
        self.admits(roles) || (covering && self.open_to_deputies())
    }

    /// How the gate refuses a user it does not admit: areas of dossier work answer "not found"
    /// to a user who never works with dossiers, as the dossiers themselves do.
    pub fn refusal(self, roles: &[Role]) -> Refusal {
        let dossier_work = matches!(
            self,
            Area::Dossiers | Area::Werkruimte | Area::Inzage | Area::Waarneming
        );
        if dossier_work && !Area::Dossiers.admits(roles) {
            Refusal::NotFound
        } else {
            Refusal::Forbidden
        }
    }

    /// Whether a path lies in this area.
    pub fn contains(self, path: &str) -> bool {
        path.strip_prefix(self.path())
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('/') || rest.starts_with('?'))
    }
}

/// The menu of a user with these roles: every area with a menu label that admits them, in order.
pub fn menu(roles: &[Role]) -> Vec<Area> {
    menu_as(roles, false)
}

/// [`menu`] for a user who may be standing in for an absent aandachtsfunctionaris today
/// (`covering`): the areas [`Area::admits_as`] lets them into.
pub fn menu_as(roles: &[Role], covering: bool) -> Vec<Area> {
    Area::ALL
        .into_iter()
        .filter(|a| a.menu_label().is_some() && a.admits_as(roles, covering))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_logged_in_user_enters_the_start_page_and_the_meldcode() {
        for roles in [
            &[][..],
            &[Role::Beheerder],
            &[Role::Privacy],
            &[Role::Beroepskracht],
        ] {
            assert!(Area::Start.admits(roles));
            assert!(Area::Meldcode.admits(roles));
        }
    }

    #[test]
    fn the_dossiers_are_for_the_roles_that_work_with_dossier_content() {
        for role in Role::ALL {
            assert_eq!(
                Area::Dossiers.admits(&[role]),
                role.may_work_with_dossiers(),
                "{role:?}"
            );
        }
        assert!(Area::Dossiers.admits(&[Role::Beheerder, Role::Beroepskracht]));
    }

    #[test]
    fn the_workspace_and_the_inspection_are_the_aandachtsfunctionaris_s() {
        for area in [Area::Werkruimte, Area::Inzage, Area::Waarneming] {
            for role in Role::ALL {
                assert_eq!(
                    area.admits(&[role]),
                    role == Role::Aandachtsfunctionaris,
                    "{area:?} {role:?}"
                );
            }
        }
    }

    #[test]
    fn the_evaluation_is_directie_s() {
        for role in Role::ALL {
            assert_eq!(Area::Evaluatie.admits(&[role]), role == Role::Directie);
        }
    }

    #[test]
    fn the_organisation_s_duties_are_overseen_by_directie_and_the_beheerder() {
        for role in Role::ALL {
            assert_eq!(
                Area::Organisatie.admits(&[role]),
                matches!(role, Role::Directie | Role::Beheerder),
                "{role:?}"
            );
        }
    }

    #[test]
    fn the_audit_log_is_the_privacy_officer_s_and_beheer_the_beheerder_s() {
        for role in Role::ALL {
            assert_eq!(Area::Toegangslog.admits(&[role]), role == Role::Privacy);
            assert_eq!(Area::Beheer.admits(&[role]), role == Role::Beheerder);
        }
    }

    #[test]
    fn areas_of_dossier_work_are_not_found_for_who_never_works_with_dossiers() {
        for area in [
            Area::Dossiers,
            Area::Werkruimte,
            Area::Inzage,
            Area::Waarneming,
        ] {
            assert_eq!(area.refusal(&[Role::Beheerder]), Refusal::NotFound);
            assert_eq!(area.refusal(&[Role::Privacy]), Refusal::NotFound);
        }
        assert_eq!(
            Area::Werkruimte.refusal(&[Role::Beroepskracht]),
            Refusal::Forbidden
        );
        assert_eq!(Area::Inzage.refusal(&[Role::Directie]), Refusal::Forbidden);
        assert_eq!(Area::Beheer.refusal(&[Role::Privacy]), Refusal::Forbidden);
        assert_eq!(
            Area::Evaluatie.refusal(&[Role::Beheerder]),
            Refusal::Forbidden
        );
    }

    #[test]
    fn the_menu_shows_exactly_the_areas_a_role_may_enter() {
        use Area::*;
        let menu_of = |role| menu(&[role]);
        assert_eq!(
            menu_of(Role::Beroepskracht),
            vec![Start, Dossiers, Meldcode]
        );
        assert_eq!(
            menu_of(Role::Aandachtsfunctionaris),
            vec![Start, Dossiers, Werkruimte, Meldcode]
        );
        assert_eq!(
            menu_of(Role::Directie),
            vec![Start, Dossiers, Evaluatie, Organisatie, Meldcode]
        );
        assert_eq!(
            menu_of(Role::Beheerder),
            vec![Start, Organisatie, Meldcode, Beheer]
        );
        assert_eq!(menu_of(Role::Privacy), vec![Start, Toegangslog, Meldcode]);
        for role in Role::ALL {
            for area in Area::ALL {
                assert_eq!(
                    menu_of(role).contains(&area),
                    area.menu_label().is_some() && area.admits(&[role])
                );
            }
        }
    }

    #[test]
    fn a_path_belongs_to_the_area_it_lies_under() {
        assert!(Area::Dossiers.contains("/dossiers"));
        assert!(Area::Dossiers.contains("/dossiers/4/stap/2"));
        assert!(!Area::Dossiers.contains("/dossiersx"));
        assert!(Area::Beheer.contains("/beheer/meldcode"));
        assert!(!Area::Meldcode.contains("/beheer/meldcode"));
        assert!(Area::Start.contains("/start"));
        assert!(!Area::Start.contains("/"));
        assert!(Area::Inzage.contains("/leerlingen/3/inzage"));
        assert!(Area::Waarneming.contains("/werkruimte/waarneming/4/beeindigen"));
        assert!(!Area::Waarneming.contains("/werkruimte"));
    }

    #[test]
    fn a_deputy_enters_the_dossiers_and_the_workspace_through_the_cover_and_nothing_else() {
        use Area::*;
        let teacher = [Role::Beroepskracht];
        for area in Area::ALL {
            assert_eq!(
                area.admits_as(&teacher, true),
                area.admits(&teacher) || matches!(area, Dossiers | Werkruimte),
                "{area:?}"
            );
        }
        // Not the inspection copy, not naming a deputy, not directie's or the beheerder's areas.
        for area in [
            Inzage,
            Waarneming,
            Evaluatie,
            Organisatie,
            Beheer,
            Toegangslog,
        ] {
            assert!(!area.admits_as(&teacher, true), "{area:?}");
        }
        assert_eq!(
            menu_as(&teacher, true),
            vec![Start, Dossiers, Werkruimte, Meldcode]
        );
        assert_eq!(menu_as(&teacher, false), menu(&teacher));
        // The day after the cover: the teacher's own menu again.
        assert_eq!(menu(&teacher), vec![Start, Dossiers, Meldcode]);
    }
}
