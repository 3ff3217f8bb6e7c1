//! Who may enter which part of the application: one extractor per area of `domain::area`, each
//! letting in whom that area's rule admits and auditing every refusal. Each part's handlers take
//! their area's extractor; the menu is made from the same table (`web::page`), so a gate and its
//! menu item cannot disagree.

use crate::domain::ids::{DossierId, SchoolId};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;

use super::error::AppError;
use super::guard::CurrentUser;
use crate::app::AppState;
use crate::domain::area::{Area, Refusal};
use crate::domain::role::Role;
use crate::store::audit::Event;

/// A beheerder ([`Area::Beheer`]): manages the organisation's schools, users and settings, and
/// sees no dossier.
#[derive(Debug, Clone)]
pub struct Beheerder(pub CurrentUser);

/// A user who works with dossiers ([`Area::Dossiers`]: beroepskracht, aandachtsfunctionaris or
/// directie). Every dossier route takes this first; the decision on one dossier comes on top of it.
#[derive(Debug, Clone)]
pub struct DossierWorker(pub CurrentUser);

/// An aandachtsfunctionaris in the workspace ([`Area::Werkruimte`]), or a deputy standing in for
/// one today (`domain::cover`).
#[derive(Debug, Clone)]
pub struct Coordinator(pub CurrentUser);

/// An aandachtsfunctionaris by their own role, naming a deputy for a period of absence or ending
/// one ([`Area::Waarneming`]). A deputy does not name a deputy in turn.
#[derive(Debug, Clone)]
pub struct CoverPlanner(pub CurrentUser);

impl CoverPlanner {
    /// The schools where the user is aandachtsfunctionaris by their own role: those they can
    /// name a deputy for. Never empty: the gate let them in for that role.
    pub fn schools(&self) -> Vec<(SchoolId, String)> {
        schools_as(&self.0, Role::Aandachtsfunctionaris)
    }
}

/// An aandachtsfunctionaris exporting a pupil's dossiers ([`Area::Inzage`]). Whether the pupil is
/// of one of their schools is decided inside.
#[derive(Debug, Clone)]
pub struct Inspector(pub CurrentUser);

/// Directie in the evaluation ([`Area::Evaluatie`]): the reports and the yearly evaluation.
#[derive(Debug, Clone)]
pub struct Evaluator(pub CurrentUser);

/// Directie or the beheerder overseeing the organisation's duties ([`Area::Organisatie`]).
#[derive(Debug, Clone)]
pub struct Overseer(pub CurrentUser);

/// The privacy officer (functionaris gegevensbescherming) reading the whole audit log
/// ([`Area::Toegangslog`]).
#[derive(Debug, Clone)]
pub struct PrivacyOfficer(pub CurrentUser);

impl Evaluator {
    /// The schools the evaluation covers: those where the user is directie. Never empty: the
    /// gate let them in for that role.
    pub fn schools(&self) -> Vec<(SchoolId, String)> {
        schools_as(&self.0, Role::Directie)
    }
}

/// The schools where the user holds `role`, each once, as the roles list them.
pub fn schools_as(user: &CurrentUser, role: Role) -> Vec<(SchoolId, String)> {
    let mut own: Vec<(SchoolId, String)> = user
        .roles
        .iter()
        .filter(|r| r.role == role)
        .map(|r| (r.school_id, r.school_name.clone()))
        .collect();
    own.dedup();
    own
}

/// Writes the audit row of a refusal: who, where (the path as asked), and the dossier when the
/// refusal concerns one of ours.
pub async fn audit_refusal(
    state: &AppState,
    user: &CurrentUser,
    path: &str,
    dossier_id: Option<DossierId>,
) -> Result<(), AppError> {
    state
        .db
        .audit(
            state.clock.unix(),
            user.audit_entry(Event::AccessRefused)
                .about(path)
                .for_dossier(dossier_id),
        )
        .await?;
    Ok(())
}

/// The dossier a path names: `/dossiers/{id}` and everything below it.
///
/// The refusal is tied to that dossier only when it exists in the user's own organisation (the
/// caller checks): an id that names no dossier of ours would otherwise appear in the access log
/// of whichever dossier later gets that number, as an attempt made before it existed. The path
/// as asked is kept in the row's subject either way.
fn named_dossier(path: &str) -> Option<DossierId> {
    let rest = path.strip_prefix("/dossiers/")?;
    let segment = rest.split('/').next()?;
    // Only digits: "+5" or " 5" would parse, but are not how the application names a dossier.
    if segment.is_empty() || !segment.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    segment.parse().ok()
}

/// The gate of an area: the logged-in user when the area admits them; otherwise the refusal is
/// audited and answered as the area refuses (403, or 404 for dossier work).
async fn enter(parts: &mut Parts, state: &AppState, area: Area) -> Result<CurrentUser, AppError> {
    let user = CurrentUser::from_request_parts(parts, state).await?;
    if user.may_enter(area) {
        return Ok(user);
    }
    let roles = user.role_list();
    let path = parts.uri.path();
    // A refusal at a dossier's address shows in that dossier's own access log.
    let dossier = match named_dossier(path) {
        Some(id)
            if state
                .db
                .dossier_exists_in(id, user.user.organisation_id)
                .await? =>
        {
            Some(id)
        }
        _ => None,
    };
    audit_refusal(state, &user, path, dossier).await?;
    Err(match area.refusal(&roles) {
        Refusal::Forbidden => AppError::Forbidden,
        Refusal::NotFound => AppError::NotFound,
    })
}

/// One extractor per gated area: each lets in whom [`Area::admits`] lets in.
macro_rules! gate {
    ($($gate:ident => $area:expr),* $(,)?) => {
        $(
            impl FromRequestParts<AppState> for $gate {
                type Rejection = AppError;

                async fn from_request_parts(
                    parts: &mut Parts,
                    state: &AppState,
                ) -> Result<Self, AppError> {
                    enter(parts, state, $area).await.map($gate)
                }
            }
        )*
    };
}

gate! {
    Beheerder => Area::Beheer,
    DossierWorker => Area::Dossiers,
    Coordinator => Area::Werkruimte,
    CoverPlanner => Area::Waarneming,
    Inspector => Area::Inzage,
    Evaluator => Area::Evaluatie,
    Overseer => Area::Organisatie,
    PrivacyOfficer => Area::Toegangslog,
}

#[cfg(test)]
mod tests {
    use super::named_dossier;
    use crate::domain::ids::DossierId;

    #[test]
    fn a_refusal_names_the_dossier_only_when_the_path_names_one() {
        assert_eq!(named_dossier("/dossiers/42"), Some(DossierId::new(42)));
        assert_eq!(
            named_dossier("/dossiers/42/toegang"),
            Some(DossierId::new(42))
        );
        assert_eq!(
            named_dossier("/dossiers/42/stap/3"),
            Some(DossierId::new(42))
        );
        assert_eq!(named_dossier("/dossiers"), None);
        assert_eq!(named_dossier("/dossiers/nieuw"), None);
        assert_eq!(named_dossier("/dossiers/+5"), None);
        assert_eq!(named_dossier("/dossiers/99999999999999999999999"), None);
        assert_eq!(named_dossier("/werkruimte"), None);
    }
}
