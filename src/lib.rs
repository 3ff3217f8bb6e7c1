//! Meldcode: the meldcode huiselijk geweld en kindermishandeling, as a web application for schools.
//!
//! `main.rs` only parses the command line; everything else is here so that the tests drive the
//! very application that production runs (see `web::router`).

pub mod app;
pub mod auth;
pub mod cli;
pub mod clock;
pub mod crypto;
pub mod demo;
pub mod domain;
pub mod jobs;
pub mod mail;
pub mod signing;
pub mod store;
pub mod web;

pub use app::{AppState, Settings};
pub use web::router;

/// Serves the application on `listener` until the process is told to stop: the web layer's
/// router, and the background jobs. Here, at the crate root, the layers are put together: `web`
/// depends on `app` (the state), so `app` cannot name `web` itself.
pub async fn serve(listener: tokio::net::TcpListener, state: AppState) -> std::io::Result<()> {
    let router = web::router(state.clone());
    app::serve(listener, state, router).await
}
