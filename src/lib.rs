//! Meldcode: the meldcode huiselijk geweld en kindermishandeling, as a web application for schools.
//!
//! `main.rs` only parses the command line; everything else is here so that the tests drive the
//! very application that production runs (see `web::router`).

pub mod app;
pub mod auth;
pub mod cli;
pub mod clock;
pub mod demo;
pub mod domain;
pub mod mail;
pub mod signing;
pub mod store;
pub mod web;

pub use app::{AppState, Settings, serve};
pub use web::router;
