//! `GET /healthz`: 200 when the application can serve, 503 when it cannot. For load balancers and
//! monitoring; it reveals nothing else. It checks what every user needs: the database answers,
//! and password checks are getting done (when they are stuck, nobody can log in or confirm their
//! password, although every page that needs neither still works).

use std::time::Duration;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use crate::app::AppState;

/// How long password checks may make no progress while some wait. One check takes tens of
/// milliseconds, so a long queue still finishes one well within this.
const PASSWORD_STALL: Duration = Duration::from_secs(5);

pub async fn healthz(State(state): State<AppState>) -> Response {
    let (status, body) = if state.passwords.stalled(PASSWORD_STALL) {
        (StatusCode::SERVICE_UNAVAILABLE, "password checks stalled")
    } else if state.db.ping().await {
        (StatusCode::OK, "ok")
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "database unavailable")
    };
    (status, body).into_response()
}
