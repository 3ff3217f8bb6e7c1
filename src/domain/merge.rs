//! One dossier per concern (issue 15). A second dossier about the same pupil is most often opened
//! by someone who did not know of the first: it splits the signals, the consultations and the
//! weighing of one concern over two records. So:
//!
//! - opening a dossier for a pupil with an open dossier on the same route that the user may see
//!   offers to add the signal there ([`offers_existing`]); where the user may not see it, nothing
//!   is said to them, and the coordinator is told instead (the store's notification);
//! - the coordinator can merge one into the other ([`refusals`]): both histories stay whole, each
//!   gets an entry about the merge, and the one merged away is closed and points to the other.

use super::access::coordinates;
use super::dossier::Route;
use super::ids::{DossierId, PupilId};
use super::role::Role;

/// What the merge decision needs to know of one dossier, read inside the merge's transaction.
#[derive(Debug, Clone, Copy)]
pub struct Side {
    pub id: DossierId,
    pub pupil: PupilId,
    pub route: Route,
    pub open: bool,
    /// A report to Veilig Thuis is due and not recorded (the meldnorm).
    pub report_due: bool,
    /// Veilig Thuis's feedback or the help plan's review is still to be recorded.
    pub awaiting: bool,
    /// The role in which the user acts on this dossier.
    pub role: Role,
}

/// Whether opening a dossier on `route` should first offer the open dossier `existing` (on
/// `existing_route`) of the same pupil, which the user may see: only one about the same kind of
/// concern. A signal about a staff member is not a signal about home, and has its own circle.
pub fn offers_existing(route: Route, existing_route: Route, existing_open: bool) -> bool {
    existing_open && route == existing_route
}

/// Why `gone` cannot be merged into `keep` now, in Dutch; empty when it can. The rules:
/// - two different dossiers about the same pupil, on the same route, both open;
/// - only the one who coordinates both (the aandachtsfunctionaris on the stappenplan, directie
///   on the staff route);
/// - the one merged away carries no duty that would be lost with its closing: no report that is
///   due (the meldnorm), no feedback or review still to come. Those stay where they are: merge the
///   other way round.
pub fn refusals(keep: &Side, gone: &Side) -> Vec<&'static str> {
    let mut out = Vec::new();
    if keep.id == gone.id {
        out.push("Een dossier kan niet met zichzelf worden samengevoegd.");
        return out;
    }
    if !coordinates(keep.role, keep.route) || !coordinates(gone.role, gone.route) {
        out.push("Alleen wie beide dossiers coördineert, kan ze samenvoegen.");
        return out;
    }
    if keep.pupil != gone.pupil {
        out.push("Alleen dossiers over dezelfde leerling kunnen worden samengevoegd.");
    }
    if keep.route != gone.route {
        out.push(
            "Een dossier over een medewerker en een dossier volgens het stappenplan blijven apart.",
        );
    }
    if !keep.open || !gone.open {
        out.push("Beide dossiers moeten open zijn. Heropen een gesloten dossier eerst.");
    }
    if gone.report_due {
        out.push("In het andere dossier moet nog gemeld worden bij Veilig Thuis. Voeg daarom dit dossier samen met dat dossier: open het andere dossier en kies daar voor samenvoegen.");
    } else if gone.awaiting {
        out.push("In het andere dossier wacht nog een terugkoppeling of evaluatie. Voeg daarom dit dossier samen met dat dossier: open het andere dossier en kies daar voor samenvoegen.");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn side(id: i64) -> Side {
        Side {
            id: DossierId::new(id),
            pupil: PupilId::new(7),
            route: Route::Stappenplan,
            open: true,
            report_due: false,
            awaiting: false,
            role: Role::Aandachtsfunctionaris,
        }
    }

    #[test]
    fn a_second_dossier_about_the_same_pupil_is_offered_only_for_the_same_kind_of_concern() {
        assert!(offers_existing(
            Route::Stappenplan,
            Route::Stappenplan,
            true
        ));
        assert!(!offers_existing(
            Route::Stappenplan,
            Route::Stappenplan,
            false
        ));
        assert!(!offers_existing(
            Route::Medewerker,
            Route::Stappenplan,
            true
        ));
        assert!(!offers_existing(
            Route::Stappenplan,
            Route::Medewerker,
            true
        ));
    }

    #[test]
    fn the_coordinator_merges_two_open_dossiers_about_one_pupil_on_one_route() {
        assert!(refusals(&side(1), &side(2)).is_empty());
        let mut staff = (side(1), side(2));
        staff.0.route = Route::Medewerker;
        staff.1.route = Route::Medewerker;
        staff.0.role = Role::Directie;
        staff.1.role = Role::Directie;
        assert!(refusals(&staff.0, &staff.1).is_empty());
    }

    #[test]
    fn merging_is_refused_to_anyone_but_the_coordinator_of_both() {
        let mut teacher = side(2);
        teacher.role = Role::Beroepskracht;
        assert_eq!(refusals(&side(1), &teacher).len(), 1);
        let mut staff = side(2);
        staff.route = Route::Medewerker;
        // The aandachtsfunctionaris does not coordinate the staff route.
        assert_eq!(
            refusals(&side(1), &staff),
            vec!["Alleen wie beide dossiers coördineert, kan ze samenvoegen."]
        );
    }

    #[test]
    fn merging_is_refused_for_another_pupil_a_closed_dossier_or_itself() {
        let mut other = side(2);
        other.pupil = PupilId::new(8);
        assert!(!refusals(&side(1), &other).is_empty());
        let mut closed = side(2);
        closed.open = false;
        assert!(!refusals(&side(1), &closed).is_empty());
        assert!(!refusals(&closed, &side(1)).is_empty());
        assert!(!refusals(&side(1), &side(1)).is_empty());
    }

    #[test]
    fn a_dossier_with_a_report_due_is_never_merged_away_so_the_meldnorm_cannot_be_lost() {
        let mut due = side(2);
        due.report_due = true;
        let r = refusals(&side(1), &due);
        assert_eq!(r.len(), 1);
        assert!(r[0].contains("Veilig Thuis"));
        // The other way round it can: the duty stays in the dossier that goes on.
        assert!(refusals(&due, &side(1)).is_empty());
        let mut waiting = side(2);
        waiting.awaiting = true;
        assert_eq!(refusals(&side(1), &waiting).len(), 1);
    }
}
