//! dudao (督导): a terminal console for the office that supervises the Tibet
//! 双创 innovation policy.
//!
//! The modules are layered (see ARCHITECTURE.md; `tests/architecture.rs`
//! checks it): [`text`] → [`domain`] → [`policy`] → [`intake`] → [`db`] →
//! [`figures`] → [`ops`] → [`i18n`] → [`present`] → [`check`], [`config`],
//! [`export`], [`notice`], [`drop_folder`], [`demo`] → [`review`] → [`tui`] →
//! [`cli`] → [`run`]. A module imports only from layers below its own.

pub mod check;
pub mod cli;
pub mod config;
pub mod db;
pub mod demo;
pub mod domain;
pub mod drop_folder;
pub mod export;
pub mod figures;
pub mod i18n;
pub mod intake;
pub mod notice;
pub mod ops;
pub mod policy;
pub mod present;
pub mod review;
pub mod run;
pub mod text;
pub mod tui;
