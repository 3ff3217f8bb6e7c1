//! Who may see a dossier: the one decision every dossier route goes through (DOMAIN.md, "Who
//! sees what"), as a pure function so that every case is unit-tested.
//!
//! - beroepskracht: the dossiers they opened or were added to; nothing else, not even titles;
//! - aandachtsfunctionaris: every stappenplan dossier of their own schools;
//! - directie: the staff-perpetrator dossiers of their schools, and dossiers they were added to;
//! - beheerder: no dossier content at all;
//! - a deputy (waarnemer, `domain::cover`): during the cover, as the aandachtsfunctionaris of the
//!   school covered, every stappenplan dossier of that school, and nothing more.
//!
//! A dossier about a staff member (route `Medewerker`) is visible only to directie of its school
//! and to the person who raised it: a cover never opens one.

use super::dossier::Route;
use super::ids::{SchoolId, UserId};
use super::role::Role;

/// The user asking, with their roles per school and the schools they cover today for an absent
/// aandachtsfunctionaris (`domain::cover`). Its fields are private: it is made only from the
/// logged-in user (`web::guard::CurrentUser::viewer`), and by the demo loader acting as its users.
#[derive(Debug, Clone)]
pub struct Viewer {
    user_id: UserId,
    roles: Vec<(SchoolId, Role)>,
    /// The schools whose aandachtsfunctionaris this user stands in for today (covers in force,
    /// loaded with the user on every request): empty for anyone who works with no dossiers.
    covers: Vec<SchoolId>,
}

impl Viewer {
    /// For the session guard's logged-in user (and the demo loader); nothing else builds one.
    /// `covers`: the schools covered today (`store::covers`). A cover gives nothing to someone
    /// who works with no dossiers (`cover::works_with_dossiers`).
    pub(crate) fn of_session(
        user_id: UserId,
        roles: Vec<(SchoolId, Role)>,
        covers: Vec<SchoolId>,
    ) -> Viewer {
        let mut covers = if super::cover::works_with_dossiers(roles.iter().map(|(_, r)| *r)) {
            covers
        } else {
            Vec::new()
        };
        covers.sort_unstable();
        covers.dedup();
        Viewer {
            user_id,
            roles,
            covers,
        }
    }

    /// For the integration tests' own checks of the store (the `test-support` feature, which
    /// only the tests switch on); the application gets a viewer from the session guard alone.
    #[doc(hidden)]
    #[cfg(any(test, feature = "test-support"))]
    pub fn for_tests(user_id: UserId, roles: Vec<(SchoolId, Role)>) -> Viewer {
        Viewer::of_session(user_id, roles, Vec::new())
    }

    /// [`Viewer::for_tests`] for a deputy covering `covers` today.
    #[doc(hidden)]
    #[cfg(any(test, feature = "test-support"))]
    pub fn for_tests_covering(
        user_id: UserId,
        roles: Vec<(SchoolId, Role)>,
        covers: Vec<SchoolId>,
    ) -> Viewer {
        Viewer::of_session(user_id, roles, covers)
    }

    pub fn user_id(&self) -> UserId {
        self.user_id
    }

    /// The user's roles, per school.
    pub fn roles(&self) -> &[(SchoolId, Role)] {
        &self.roles
    }

    pub fn holds(&self, school_id: SchoolId, role: Role) -> bool {
        self.roles
            .iter()
            .any(|(s, r)| *s == school_id && *r == role)
    }

    /// The schools whose absent aandachtsfunctionaris this user stands in for today.
    pub fn covers(&self) -> &[SchoolId] {
        &self.covers
    }

    /// Whether this user acts as aandachtsfunctionaris of `school_id`: by their own role, or
    /// standing in for an absent one today.
    pub fn coordinates_at(&self, school_id: SchoolId) -> bool {
        self.holds(school_id, Role::Aandachtsfunctionaris) || self.covers.contains(&school_id)
    }

    /// The schools where this user acts as aandachtsfunctionaris: their own, and those covered
    /// today (the workspace, its requests and transfers).
    pub fn coordinated_schools(&self) -> Vec<SchoolId> {
        let mut v = self.schools_with(Role::Aandachtsfunctionaris);
        v.extend(self.covers.iter().copied());
        v.sort_unstable();
        v.dedup();
        v
    }

    /// Whether acting in `role` at `school_id` comes from a cover alone (the audit log marks it
    /// "waarneming"): as aandachtsfunctionaris of a school where the user holds no such role.
    pub fn through_cover(&self, school_id: SchoolId, role: Role) -> bool {
        role == Role::Aandachtsfunctionaris
            && !self.holds(school_id, Role::Aandachtsfunctionaris)
            && self.covers.contains(&school_id)
    }

    /// The schools where this user holds `role`.
    pub fn schools_with(&self, role: Role) -> Vec<SchoolId> {
        let mut v: Vec<SchoolId> = self
            .roles
            .iter()
            .filter(|(_, r)| *r == role)
            .map(|(s, _)| *s)
            .collect();
        v.sort_unstable();
        v.dedup();
        v
    }

    /// The role in which this user acts on a stappenplan dossier of `school_id`: the most
    /// responsible one they hold there that works with dossiers, the aandachtsfunctionaris's also
    /// when standing in for one.
    pub fn acting_role(&self, school_id: SchoolId) -> Option<Role> {
        if self.covers.contains(&school_id) {
            Some(Role::Aandachtsfunctionaris)
        } else {
            self.own_acting_role(school_id)
        }
    }

    /// [`Viewer::acting_role`] by the user's own roles alone, without a cover.
    pub fn own_acting_role(&self, school_id: SchoolId) -> Option<Role> {
        [
            Role::Aandachtsfunctionaris,
            Role::Directie,
            Role::Beroepskracht,
        ]
        .into_iter()
        .find(|r| self.holds(school_id, *r))
    }
}

/// What the decision needs to know about a dossier; nothing of its content.
#[derive(Debug, Clone, Copy)]
pub struct DossierFacts {
    pub school_id: SchoolId,
    pub route: Route,
    pub opened_by: UserId,
    /// Whether the viewer was added to the dossier (and not removed).
    pub viewer_is_member: bool,
}

/// Decides whether the viewer may see the dossier, and in which role they act on it.
pub fn decide(viewer: &Viewer, dossier: &DossierFacts) -> Option<Role> {
    // Only someone who works with dossiers at the dossier's own school: a beheerder never, and a
    // teacher who moved to another school no longer.
    let school = dossier.school_id;
    let opener = dossier.opened_by == viewer.user_id;
    match dossier.route {
        Route::Stappenplan => {
            let acting = viewer.acting_role(school)?;
            (opener || dossier.viewer_is_member || viewer.coordinates_at(school)).then_some(acting)
        }
        // Directie's, and the opener's, by their own roles: a cover (the aandachtsfunctionaris's)
        // never opens one, nor changes the role in which its opener acts.
        Route::Medewerker => {
            let acting = viewer.own_acting_role(school)?;
            if viewer.holds(school, Role::Directie) {
                Some(Role::Directie)
            } else {
                opener.then_some(acting)
            }
        }
    }
}

/// Whether someone acting in `role` coordinates a dossier on `route`: the aandachtsfunctionaris
/// for the stappenplan, directie for a dossier about a staff member. Only the coordinator learns
/// that the pupil has other dossiers (and only those they may see themselves).
pub fn coordinates(role: Role, route: Route) -> bool {
    role == coordinator(route)
}

/// The role that coordinates dossiers on `route`, and so receives their consultation requests.
pub fn coordinator(route: Route) -> Role {
    match route {
        Route::Stappenplan => Role::Aandachtsfunctionaris,
        Route::Medewerker => Role::Directie,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: SchoolId = SchoolId::new(1);
    const B: SchoolId = SchoolId::new(2);

    fn viewer(id: i64, roles: &[(SchoolId, Role)]) -> Viewer {
        Viewer::of_session(UserId::new(id), roles.to_vec(), Vec::new())
    }

    fn deputy(id: i64, roles: &[(SchoolId, Role)], covers: &[SchoolId]) -> Viewer {
        Viewer::of_session(UserId::new(id), roles.to_vec(), covers.to_vec())
    }

    fn dossier(route: Route, opened_by: i64, member: bool) -> DossierFacts {
        DossierFacts {
            school_id: A,
            route,
            opened_by: UserId::new(opened_by),
            viewer_is_member: member,
        }
    }

    #[test]
    fn a_teacher_sees_the_dossiers_they_opened_or_were_added_to_and_no_other() {
        let juf = viewer(10, &[(A, Role::Beroepskracht)]);
        assert_eq!(
            decide(&juf, &dossier(Route::Stappenplan, 10, false)),
            Some(Role::Beroepskracht)
        );
        assert_eq!(
            decide(&juf, &dossier(Route::Stappenplan, 11, true)),
            Some(Role::Beroepskracht)
        );
        assert_eq!(decide(&juf, &dossier(Route::Stappenplan, 11, false)), None);
    }

    #[test]
    fn the_aandachtsfunctionaris_sees_every_dossier_of_their_own_school_only() {
        let af = viewer(20, &[(A, Role::Aandachtsfunctionaris)]);
        assert_eq!(
            decide(&af, &dossier(Route::Stappenplan, 11, false)),
            Some(Role::Aandachtsfunctionaris)
        );
        let other_school = viewer(21, &[(B, Role::Aandachtsfunctionaris)]);
        assert_eq!(
            decide(&other_school, &dossier(Route::Stappenplan, 11, false)),
            None
        );
    }

    #[test]
    fn a_staff_perpetrator_dossier_is_visible_only_to_directie_and_whoever_raised_it() {
        let raiser = viewer(10, &[(A, Role::Beroepskracht)]);
        let directie = viewer(30, &[(A, Role::Directie)]);
        let af = viewer(20, &[(A, Role::Aandachtsfunctionaris)]);
        let colleague = viewer(11, &[(A, Role::Beroepskracht)]);
        let d = dossier(Route::Medewerker, 10, false);
        assert_eq!(decide(&raiser, &d), Some(Role::Beroepskracht));
        assert_eq!(decide(&directie, &d), Some(Role::Directie));
        assert_eq!(decide(&af, &d), None);
        assert_eq!(
            decide(&colleague, &dossier(Route::Medewerker, 10, true)),
            None
        );
    }

    #[test]
    fn directie_sees_stappenplan_dossiers_only_when_added() {
        let directie = viewer(30, &[(A, Role::Directie)]);
        assert_eq!(
            decide(&directie, &dossier(Route::Stappenplan, 10, false)),
            None
        );
        assert_eq!(
            decide(&directie, &dossier(Route::Stappenplan, 10, true)),
            Some(Role::Directie)
        );
    }

    #[test]
    fn a_beheerder_sees_no_dossier_even_one_they_were_added_to() {
        let beheer = viewer(40, &[(A, Role::Beheerder)]);
        assert_eq!(
            decide(&beheer, &dossier(Route::Stappenplan, 10, true)),
            None
        );
        assert_eq!(
            decide(&beheer, &dossier(Route::Stappenplan, 40, false)),
            None
        );
    }

    #[test]
    fn a_teacher_who_left_the_school_no_longer_sees_its_dossiers() {
        let moved = viewer(10, &[(B, Role::Beroepskracht)]);
        assert_eq!(
            decide(&moved, &dossier(Route::Stappenplan, 10, false)),
            None
        );
    }

    #[test]
    fn someone_holding_several_roles_acts_in_the_most_responsible_one() {
        let both = viewer(
            50,
            &[(A, Role::Beroepskracht), (A, Role::Aandachtsfunctionaris)],
        );
        assert_eq!(
            decide(&both, &dossier(Route::Stappenplan, 50, false)),
            Some(Role::Aandachtsfunctionaris)
        );
    }

    #[test]
    fn only_the_coordinator_learns_that_a_pupil_has_other_dossiers() {
        assert!(coordinates(Role::Aandachtsfunctionaris, Route::Stappenplan));
        assert!(coordinates(Role::Directie, Route::Medewerker));
        assert!(!coordinates(Role::Beroepskracht, Route::Stappenplan));
        assert!(!coordinates(Role::Beroepskracht, Route::Medewerker));
        assert!(!coordinates(Role::Directie, Route::Stappenplan));
        assert!(!coordinates(Role::Aandachtsfunctionaris, Route::Medewerker));
        assert!(!coordinates(Role::Beheerder, Route::Stappenplan));
    }

    #[test]
    fn a_deputy_acts_as_aandachtsfunctionaris_of_the_covered_school_for_the_stappenplan_only() {
        // A teacher of school B standing in for the aandachtsfunctionaris of school A.
        let waarnemer = deputy(60, &[(B, Role::Beroepskracht)], &[A]);
        let d = dossier(Route::Stappenplan, 11, false);
        assert_eq!(decide(&waarnemer, &d), Some(Role::Aandachtsfunctionaris));
        assert!(waarnemer.through_cover(A, Role::Aandachtsfunctionaris));
        assert_eq!(waarnemer.coordinated_schools(), vec![A]);
        // Never a dossier about a staff member: that is directie's.
        assert_eq!(
            decide(&waarnemer, &dossier(Route::Medewerker, 11, false)),
            None
        );
        // Without the cover (the day after it), nothing.
        let after = deputy(60, &[(B, Role::Beroepskracht)], &[]);
        assert_eq!(decide(&after, &d), None);
        // Their own roles are not held through the cover.
        assert!(!waarnemer.holds(A, Role::Aandachtsfunctionaris));
        assert_eq!(waarnemer.schools_with(Role::Aandachtsfunctionaris), vec![]);
    }

    #[test]
    fn a_cover_gives_nothing_to_who_never_works_with_dossiers_and_an_own_role_is_no_cover() {
        let beheer = deputy(40, &[(A, Role::Beheerder)], &[A]);
        assert_eq!(
            decide(&beheer, &dossier(Route::Stappenplan, 10, false)),
            None
        );
        assert!(beheer.covers().is_empty());
        // An aandachtsfunctionaris of the school by their own role acts by that role.
        let af = deputy(20, &[(A, Role::Aandachtsfunctionaris)], &[A]);
        assert!(!af.through_cover(A, Role::Aandachtsfunctionaris));
        // A directie member covering their own school: the stappenplan as aandachtsfunctionaris
        // through the cover, the staff dossiers as directie by their own role.
        let dir = deputy(30, &[(A, Role::Directie)], &[A]);
        assert_eq!(
            decide(&dir, &dossier(Route::Stappenplan, 10, false)),
            Some(Role::Aandachtsfunctionaris)
        );
        assert_eq!(
            decide(&dir, &dossier(Route::Medewerker, 10, false)),
            Some(Role::Directie)
        );
        assert!(!dir.through_cover(A, Role::Directie));
    }
}
