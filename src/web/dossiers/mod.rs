//! The dossier pages: the list, "Ik maak me zorgen" (opening a dossier), the dossier with its
//! steps and chronology, each step's page with its instructions beside its form, recording
//! entries, corrections, closing and reopening, adding colleagues, the emergency report, and the
//! print views.
//!
//! Every route takes a [`DossierWorker`] first (the beheerder gets "not found" everywhere), and
//! every route about one dossier gets its [`DossierAccess`] from `Db::open_dossier`, which decides
//! and audits. A dossier the user may not see is "not found", as one that does not exist.
//!
//! One file per part of the work, each with its handlers, forms and page structs: `list`,
//! `opening` ("Ik maak me zorgen"), `page` (the dossier page), `fields` and `record` (the step
//! pages and recording), `colleagues` (colleagues and transfers), `emergency`, `print`. The
//! imports below serve all of them (`use super::*`); the parts share this module's helpers.

use std::collections::{BTreeMap, BTreeSet};

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;

use super::error::{AppError, Result};
use super::form::Errors;
use super::guard::CurrentUser;
use super::page::PageCtx;
use crate::app::AppState;
use crate::domain::access::Viewer;
use crate::domain::access::coordinates;
use crate::domain::dossier::{self, Advice, Form, ReportConversationWith, Route, Step};
use crate::domain::entry::{self, Context, Input, Kind, Values, keys};
use crate::domain::honour;
use crate::domain::ids::{DossierId, EntryId};
use crate::domain::progress::{self, Mark, Next, NextStep, Recorded, ReportDuty, Standing, Task};
use crate::domain::role::Role;
use crate::domain::signals::{self, AgeBand};
use crate::domain::staff::{self, DutyState};
use crate::store::dossiers::{
    Added, DossierAccess, DossierHeader, EntryRecord, NewDossier, NewPupil, Purpose,
};
use crate::web::access::DossierWorker;
use crate::web::format::{iso_date_nl, moment_nl, today_nl};
use crate::web::urls::{self, PageNotice};

mod actions;
mod bodymap;
mod closing;
mod colleagues;
mod concern;
mod emergency;
mod fields;
mod list;
mod opening;
mod page;
pub use page::CHRONOLOGY_PAGE;
mod print;
mod record;

use actions::*;
use colleagues::*;
use concern::*;
use emergency::*;
use fields::*;
use list::*;
use opening::*;
use page::*;
use print::*;
use record::*;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/dossiers", get(list))
        .route("/dossiers/nieuw", get(new_form).post(create))
        .route("/dossiers/{id}", get(show))
        .route("/dossiers/{id}/stap/{step}", get(step_page))
        .route("/dossiers/{id}/vastleggen/{kind}", get(record_kind))
        .route("/dossiers/{id}/aanvullen/{entry}", get(amend_page))
        .route("/dossiers/{id}/aantekening", post(record))
        .route("/dossiers/{id}/collega", post(add_colleague))
        .route("/dossiers/{id}/collega/verwijderen", post(remove_colleague))
        .route(
            "/dossiers/{id}/overdragen",
            get(transfer_page).post(transfer),
        )
        .route(
            "/werkruimte/overdracht/{transfer}/accepteren",
            post(accept_transfer),
        )
        .route("/dossiers/{id}/overleg-vragen", post(request_consultation))
        .route("/dossiers/{id}/afdrukken", get(print))
        .route("/dossiers/{id}/melding", get(melding))
        .route("/dossiers/{id}/acties/nieuw", get(new_action).post(assign))
        .route(
            "/dossiers/{id}/acties/{action}",
            get(close_action_page).post(close_action),
        )
        .route("/nood/melding", get(emergency_page).post(emergency))
        .route(
            "/dossiers/{id}/samenvoegen",
            get(merge_form).post(merge_post),
        )
        .route("/dossiers/{id}/leerling", get(pupil_chronology))
        // Anything else below /dossiers: also behind the DossierWorker gate.
        .route("/dossiers/{id}/{*rest}", get(unknown).post(unknown))
}

/// The logged-in user as the access rules see them (`CurrentUser::viewer`).
pub fn viewer(user: &CurrentUser) -> Viewer {
    user.viewer()
}

pub(super) fn parse_id<T: std::str::FromStr>(id: &str) -> Result<T> {
    id.parse().map_err(|_| AppError::NotFound)
}

pub(super) async fn open(
    state: &AppState,
    user: &CurrentUser,
    id: &str,
    purpose: Purpose,
) -> Result<DossierAccess> {
    let id = parse_id(id)?;
    state
        .db
        .open_dossier(
            &viewer(user),
            id,
            purpose,
            state.clock.unix(),
            user.address.as_deref(),
        )
        .await?
        .ok_or(AppError::NotFound)
}

pub(super) fn values_of(body: &Bytes) -> Values {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(body).unwrap_or_default();
    let mut values = Values::new();
    for (k, v) in pairs {
        values.entry(k).or_default().push(v);
    }
    values
}

pub(super) fn first<'a>(values: &'a Values, key: &str) -> &'a str {
    values
        .get(key)
        .and_then(|v| v.first())
        .map_or("", |s| s.as_str())
}

pub async fn unknown(DossierWorker(_): DossierWorker) -> AppError {
    AppError::NotFound
}
