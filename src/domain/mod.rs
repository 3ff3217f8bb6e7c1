//! The meldcode's own rules, as pure types and functions: no database, no HTTP, no clock.
//!
//! Everything here is unit-tested on its own. The web and store layers call into it; it calls
//! into nothing of theirs.

pub mod access;
pub mod account;
pub mod action;
pub mod alerts;
pub mod area;
pub mod bodymap;
pub mod calendar;
pub mod conditions;
pub mod cover;
pub mod dates;
pub mod dossier;
pub mod entry;
pub mod honour;
pub mod ids;
pub mod import;
pub mod inspection;
pub mod listing;
pub mod melding;
pub mod merge;
pub mod notification;
pub mod oidc;
pub mod period;
pub mod progress;
pub mod pupil;
pub mod report;
pub mod risk;
pub mod role;
pub mod roster;
pub mod session;
pub mod signals;
pub mod staff;
pub mod throttle;
pub mod twofactor;
