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

async fn refuse(parts: &Parts, state: &AppState, user: &CurrentUser) -> Result<(), AppError> {
    state
        .db
        .audit(
            state.clock.unix(),
            Entry {
                dossier_id: None,
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

impl FromRequestParts<AppState> for Beheerder {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let user = CurrentUser::from_request_parts(parts, state).await?;
        if user.has_role(Role::Beheerder) {
            Ok(Beheerder(user))
        } else {
            refuse(parts, state, &user).await?;
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
            // forbidden. The refusal is logged.
            refuse(parts, state, &user).await?;
            Err(AppError::NotFound)
        }
    }
}
