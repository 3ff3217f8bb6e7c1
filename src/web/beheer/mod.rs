//! The beheerder's pages: schools, users and their roles, and the organisation's numbers.
//! Every handler takes [`Beheerder`]; none of them reads a dossier.
//!
//! One file per part (`organisation`, `users`, `signal_lists`); they share this module's imports
//! and helpers (`use super::*`).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;

use super::access::Beheerder;
use super::error::{AppError, Result};
use super::form::Errors;
use super::page::PageCtx;
use super::urls;
use crate::app::AppState;
use crate::domain::account::{Email, ShortText, parse_phone};
use crate::domain::role::Role;
use crate::domain::signals::{AgeBand, List};
use crate::store::audit::{Entry, Event};
use crate::store::is_unique_violation;
use crate::store::org::{Numbers, Organisation, School};
use crate::store::tokens::{Purpose, new_token};
use crate::store::users::{Actor, NewUser, RoleAt, User};

mod organisation;
mod roster;
mod signal_lists;
mod sso;
mod users;

use organisation::*;
use roster::*;
use signal_lists::*;
use sso::*;
use users::*;

/// An activation link stays valid for a week.
pub(super) const ACTIVATION_VALID_SECS: i64 = 7 * 24 * 60 * 60;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/beheer", get(overview))
        .route("/beheer/scholen", post(add_school))
        .route("/beheer/scholen/{id}", get(school_page))
        .route(
            "/beheer/scholen/{id}/aandachtsfunctionaris",
            post(name_expert),
        )
        .route(
            "/beheer/scholen/{id}/inlezen",
            get(roster_form)
                .post(roster_upload)
                .layer(axum::extract::DefaultBodyLimit::max(
                    super::guard::MAX_UPLOAD_BYTES,
                )),
        )
        .route("/beheer/inlezen/sjabloon.csv", get(roster_template))
        .route("/beheer/organisatie", get(numbers_form).post(save_numbers))
        .route("/beheer/signalen", get(signal_lists).post(save_signal_list))
        .route("/beheer/signalen/standaard", post(reset_signal_list))
        .route("/beheer/sso", get(sso_form).post(save_sso))
        .route("/beheer/sso/verwijderen", post(remove_sso))
        .route(
            "/beheer/gebruikers/nieuw",
            get(new_user_form).post(add_user),
        )
        .route("/beheer/gebruikers/{id}", get(user_page))
        .route("/beheer/gebruikers/{id}/rol-toevoegen", post(grant))
        .route("/beheer/gebruikers/{id}/rol-intrekken", post(revoke))
        .route("/beheer/gebruikers/{id}/plaatsvervanger", post(mark_deputy))
        .route(
            "/beheer/gebruikers/{id}/plaatsvervanger-intrekken",
            post(unmark_deputy),
        )
        .route(
            "/beheer/gebruikers/{id}/deactiveren",
            get(confirm_deactivate).post(deactivate),
        )
        .route("/beheer/gebruikers/{id}/heractiveren", post(reactivate))
        .route("/beheer/gebruikers/{id}/nieuwe-link", post(new_link))
        .route("/beheer/gebruikers/{id}/link-mailen", post(mail_link))
        .route(
            "/beheer/gebruikers/{id}/tweestaps-herstellen",
            post(reset_two_factor),
        )
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Melding {
    melding: String,
}

/// Fixed texts for the messages after a redirect: the address never carries the user's own text.
pub(super) fn notice(code: &str) -> Option<&'static str> {
    match code {
        "school" => Some("De school is toegevoegd."),
        "aandachtsfunctionaris" => Some("De aandachtsfunctionaris is aangewezen."),
        "nummers" => Some("De telefoonnummers zijn opgeslagen."),
        "rol" => Some("De rol is toegekend."),
        "rol-ingetrokken" => Some("De rol is ingetrokken."),
        "plaatsvervanger" => Some(
            "De gebruiker is plaatsvervanger van de aandachtsfunctionaris van de school: de aandachtsfunctionaris kan hem of haar als waarnemer aanwijzen.",
        ),
        "plaatsvervanger-ingetrokken" => Some(
            "De gebruiker is geen plaatsvervanger meer. Een waarneming die daarop rustte, is beëindigd.",
        ),
        "gedeactiveerd" => Some("De gebruiker is gedeactiveerd en overal uitgelogd."),
        "geactiveerd" => Some("De gebruiker kan weer inloggen."),
        "link-gemaild" => Some(
            "De activeringslink is per e-mail verstuurd. De gebruiker kiest daarmee zelf een wachtwoord.",
        ),
        "tweestaps" => Some(
            "De tweestapsverificatie is gewist. Bij het volgende inloggen stelt de gebruiker haar opnieuw in.",
        ),
        "signalen" => Some("De signalenlijst is opgeslagen."),
        "ingelezen" => Some(
            "De leerlingen en medewerkers zijn ingelezen. Leerkrachten kunnen de leerling nu zoeken bij \u{201c}Ik maak me zorgen\u{201d}.",
        ),
        "standaard" => Some("De standaardlijst is weer in gebruik."),
        "sso" => Some("Inloggen via uw organisatie is ingesteld."),
        "sso-uit" => {
            Some("Inloggen via uw organisatie staat uit. Iedereen logt in met een wachtwoord.")
        }
        _ => None,
    }
}

pub(super) async fn organisation(state: &AppState, b: &Beheerder) -> Result<Organisation> {
    state
        .db
        .organisation()
        .await?
        .filter(|o| o.id == b.0.user.organisation_id)
        .ok_or(AppError::NotFound)
}

/// The audit row of a beheerder's action.
pub(super) fn entry<'a>(b: &'a Beheerder, event: Event, subject: &'a str) -> Entry<'a> {
    b.0.audit_entry(event)
        .as_role(Role::Beheerder)
        .about(subject)
}

pub(super) async fn audit(
    state: &AppState,
    b: &Beheerder,
    event: Event,
    subject: &str,
) -> Result<()> {
    state
        .db
        .audit(state.clock.unix(), b.0.audit_entry(event).about(subject))
        .await?;
    Ok(())
}
