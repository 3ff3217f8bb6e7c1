//! Who may enter which part of the application. Each part's handlers take one of these extractors;
//! a handler that forgets it does not compile against the data it needs, because the extractor is
//! what hands out the user's schools.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;

use super::error::AppError;
use super::guard::CurrentUser;
use crate::app::AppState;
use crate::domain::role::Role;
use crate::store::audit::{Entry, Event};

/// A beheerder: manages the organisation's schools, users and settings, and sees no dossier.
#[derive(Debug, Clone)]
pub struct Beheerder(pub CurrentUser);

/// A user who works with dossiers (beroepskracht, aandachtsfunctionaris or directie). Every dossier
/// route takes this first; the decision on one dossier comes on top of it.
#[derive(Debug, Clone)]
pub struct DossierWorker(pub CurrentUser);

async fn refuse(
    parts: &Parts,
    state: &AppState,
    user: &CurrentUser,
    dossier_id: Option<i64>,
) -> Result<(), AppError> {
    state
        .db
        .audit(
            state.clock.unix(),
            Entry {
                dossier_id,
                role: None,
                user_id: Some(user.user.id),
                event: Event::AccessRefused,
                subject: Some(parts.uri.path()),
                address: user.address.as_deref(),
            },
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
fn named_dossier(path: &str) -> Option<i64> {
    let rest = path.strip_prefix("/dossiers/")?;
    let segment = rest.split('/').next()?;
    // Only digits: "+5" or " 5" would parse, but are not how the application names a dossier.
    if segment.is_empty() || !segment.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    segment.parse().ok()
}

impl FromRequestParts<AppState> for Beheerder {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let user = CurrentUser::from_request_parts(parts, state).await?;
        if user.has_role(Role::Beheerder) {
            Ok(Beheerder(user))
        } else {
            refuse(parts, state, &user, None).await?;
            Err(AppError::Forbidden)
        }
    }
}

impl FromRequestParts<AppState> for DossierWorker {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let user = CurrentUser::from_request_parts(parts, state).await?;
        if user.roles.iter().any(|r| r.role.may_work_with_dossiers()) {
            Ok(DossierWorker(user))
        } else {
            // A beheerder may not even learn which dossier addresses exist: not found, not
            // forbidden. The refusal is logged, with the dossier when the path names one, so
            // that it shows in that dossier's own access log.
            let dossier = named_dossier(parts.uri.path());
            let dossier = match dossier {
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
            refuse(parts, state, &user, dossier).await?;
            Err(AppError::NotFound)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::named_dossier;

    #[test]
    fn a_refusal_names_the_dossier_only_when_the_path_names_one() {
        assert_eq!(named_dossier("/dossiers/42"), Some(42));
        assert_eq!(named_dossier("/dossiers/42/toegang"), Some(42));
        assert_eq!(named_dossier("/dossiers/42/stap/3"), Some(42));
        assert_eq!(named_dossier("/dossiers"), None);
        assert_eq!(named_dossier("/dossiers/nieuw"), None);
        assert_eq!(named_dossier("/dossiers/+5"), None);
        assert_eq!(named_dossier("/dossiers/99999999999999999999999"), None);
        assert_eq!(named_dossier("/werkruimte"), None);
    }
}
