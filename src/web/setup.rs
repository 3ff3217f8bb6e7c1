//! The one-time setup link of a new installation: it creates the organisation, its first school and
//! the first beheerder, and stops working once used.

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
use crate::domain::account::{Email, ShortText, check_new_password};
use crate::domain::role::Role;
use crate::store::audit::{Entry, Event};
use crate::store::tokens::{Purpose, take_token};
use crate::store::{is_unique_violation, org, users};

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct SetupForm {
    organisatie: String,
    school: String,
    naam: String,
    email: String,
    password: String,
    password2: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "setup.html")]
pub struct SetupPage {
    pub ctx: PageCtx,
    pub token: String,
    pub form: SetupForm,
    pub errors: Errors,
}

async fn valid_link(state: &AppState, token: &str) -> Result<()> {
    let unused = state.db.organisation().await?.is_none();
    let known = state
        .db
        .peek_token(token, Purpose::Setup, state.clock.unix())
        .await?
        .is_some();
    if unused && known {
        Ok(())
    } else {
        Err(AppError::LinkInvalid)
    }
}

pub async fn form(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(token): Path<String>,
) -> Result<SetupPage> {
    valid_link(&state, &token).await?;
    Ok(SetupPage {
        ctx,
        token,
        form: SetupForm::default(),
        errors: Errors::default(),
    })
}

pub async fn submit(
    State(state): State<AppState>,
    ctx: PageCtx,
    ClientAddress(address): ClientAddress,
    Path(token): Path<String>,
    Form(mut form): Form<SetupForm>,
) -> Result<Response> {
    valid_link(&state, &token).await?;
    let mut errors = Errors::default();
    let org_name = errors.check(
        "organisatie",
        ShortText::parse(&form.organisatie, "de naam van de organisatie"),
    );
    let school = errors.check(
        "school",
        ShortText::parse(&form.school, "de naam van de school"),
    );
    let name = errors.check("naam", ShortText::parse(&form.naam, "uw naam"));
    let email = errors.check("email", Email::parse(&form.email));
    if form.password != form.password2 {
        errors.add("password2", "De twee wachtwoorden zijn niet gelijk.");
    }
    errors.check(
        "password",
        check_new_password(&form.password, &[&form.email, &form.naam]),
    );
    let (Some(org_name), Some(school), Some(name), Some(email), true) =
        (org_name, school, name, email, errors.is_empty())
    else {
        form.password.clear();
        form.password2.clear();
        return Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            SetupPage {
                ctx,
                token,
                form,
                errors,
            },
        )
            .into_response());
    };

    let hash = state.passwords.hash(&form.password).await?;
    let now = state.clock.unix();
    let mut tx = state.db.begin_write().await?;
    // The token is taken inside the transaction: of two racing submissions only one creates.
    if take_token(&mut tx, &token, Purpose::Setup, now)
        .await?
        .is_none()
    {
        return Err(AppError::LinkInvalid);
    }
    let (org_id, school_id) =
        org::create_organisation(&mut tx, org_name.as_str(), school.as_str(), now).await?;
    let user_id = match users::add_user(
        &mut *tx,
        org_id,
        email.as_str(),
        name.as_str(),
        Some(&hash),
        now,
    )
    .await
    {
        Ok(id) => id,
        Err(e) if is_unique_violation(&e) => return Err(AppError::LinkInvalid),
        Err(e) => return Err(e.into()),
    };
    users::grant_role(&mut *tx, user_id, school_id, Role::Beheerder, now).await?;
    tx.commit().await?;
    state.db.ensure_data_keys().await?;
    state.organisation_changed().await;
    state
        .db
        .audit(
            now,
            Entry::user(Event::SetupCompleted, Some(user_id), address.as_deref()),
        )
        .await?;
    Ok(Redirect::to(crate::web::urls::path::LOGIN_SET_UP).into_response())
}
