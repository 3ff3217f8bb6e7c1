//! `GET /healthz`: 200 when the database answers, 503 when it does not. For load balancers and
//! monitoring; it reveals nothing else.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use crate::app::AppState;

pub async fn healthz(State(state): State<AppState>) -> Response {
    let (status, body) = if state.db.ping().await {
        (StatusCode::OK, "ok")
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "database unavailable")
    };
    (status, body).into_response()
}
