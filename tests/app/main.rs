//! Integration tests: the real application over HTTP, one fresh database per test. One test binary
//! with a module per area, so that the suite links once.

mod common;

mod access;
mod account;
mod actions;
mod alerts;
mod areas;
mod audit;
mod auth;
mod beheer;
mod bodymap;
mod cli;
mod concurrency;
mod conditions;
mod cover;
mod dossiers;
mod duties;
mod encryption;
mod honour;
mod inspection;
mod instances;
mod listing;
mod mail;
mod matrix;
mod meldnorm;
mod oidc;
mod outage;
mod privacy;
mod pupils;
mod reports;
mod retention;
mod risk;
mod roster;
mod rules;
mod security;
mod sessions;
mod setup;
mod staff;
mod two_factor;
mod workspace;
