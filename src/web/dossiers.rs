//! The dossier routes. Every one of them takes a [`DossierWorker`] first: a user without a role
//! that works with dossiers (the beheerder) gets "not found" on all of them, and the refusal is
//! logged. The dossier itself arrives with the stappenplan; until then the list is empty.

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::routing::get;

use super::access::DossierWorker;
use super::error::{AppError, Result};
use super::page::PageCtx;
use crate::app::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/dossiers", get(list))
        .route("/dossiers/{*rest}", get(one).post(one))
}

#[derive(Template, WebTemplate)]
#[template(path = "dossiers/list.html")]
pub struct DossierList {
    pub ctx: PageCtx,
}

pub async fn list(ctx: PageCtx, DossierWorker(_user): DossierWorker) -> DossierList {
    DossierList { ctx }
}

/// Any address below `/dossiers/`: no dossier exists yet, so for those allowed in it is not found.
pub async fn one(DossierWorker(_user): DossierWorker) -> Result<()> {
    Err(AppError::NotFound)
}
