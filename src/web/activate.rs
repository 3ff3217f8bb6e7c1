//! A user's activation link: the beheerder creates the account, the user chooses their own password.
//! The same link serves when a beheerder issues a new one for a forgotten password.

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::error::{AppError, Result};
use super::form::Errors;
use super::guard::ClientAddress;
use super::page::PageCtx;
use crate::app::AppState;
use crate::domain::account::check_new_password;
use crate::store::audit::{Entry, Event};
use crate::store::tokens::{Purpose, take_token};
use crate::store::users;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ActivateForm {
    password: String,
    password2: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "activate.html")]
pub struct ActivatePage {
    pub ctx: PageCtx,
    pub token: String,
    pub email: String,
    pub errors: Errors,
}

async fn user_of(state: &AppState, token: &str) -> Result<crate::store::users::User> {
    let Some(Some(user_id)) = state
        .db
        .peek_token(token, Purpose::Activation, state.clock.unix())
        .await?
    else {
        return Err(AppError::LinkInvalid);
    };
    match state.db.user(user_id).await? {
        Some(u) if u.active => Ok(u),
        _ => Err(AppError::LinkInvalid),
    }
}

pub async fn form(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(token): Path<String>,
) -> Result<ActivatePage> {
    let user = user_of(&state, &token).await?;
    Ok(ActivatePage {
        ctx,
        token,
        email: user.email,
        errors: Errors::default(),
    })
}

pub async fn submit(
    State(state): State<AppState>,
    ctx: PageCtx,
    ClientAddress(address): ClientAddress,
    Path(token): Path<String>,
    Form(form): Form<ActivateForm>,
) -> Result<Response> {
    let user = user_of(&state, &token).await?;
    let mut errors = Errors::default();
    if form.password != form.password2 {
        errors.add("password2", "De twee wachtwoorden zijn niet gelijk.");
    }
    errors.check(
        "password",
        check_new_password(&form.password, &[&user.email, &user.name]),
    );
    if !errors.is_empty() {
        let page = ActivatePage {
            ctx,
            token,
            email: user.email,
            errors,
        };
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    }
    let hash = state.passwords.hash(&form.password).await?;
    let now = state.clock.unix();
    let mut tx = state.db.begin_write().await?;
    if take_token(&mut tx, &token, Purpose::Activation, now).await? != Some(Some(user.id)) {
        return Err(AppError::LinkInvalid);
    }
    users::set_password(&mut tx, user.id, &hash).await?;
    tx.commit().await?;
    state
        .db
        .audit(
            now,
            Entry::user(Event::UserActivated, Some(user.id), address.as_deref()),
        )
        .await?;
    Ok(Redirect::to(crate::web::urls::path::LOGIN_ACTIVATED).into_response())
}
