//! dudao (督导): a terminal console for the office that supervises the Tibet
//! 双创 innovation policy.
//!
//! Module map:
//! - [`domain`]: pure types and rules (units, roles, months, statuses, alert levels).
//! - [`policy`]: parser of a 分工方案 policy text, catalog of units and targets.
//! - [`db`]: every SQL statement: opening safely, migrations, audit, queries.
//! - [`demo`]: the deterministic sample-data generator.
//! - [`intake`]: report files: reading untrusted files, parsing, checking.
//! - [`drop_folder`]: the drop folder: watching it, importing its files, filing them away.
//! - [`review`]: the quarterly review: figures, snapshots, documents.
//! - [`i18n`]: every word the program says, in Chinese and English.
//! - [`export`]: tables out as csv, json, markdown or aligned text.
//! - [`check`]: integrity and invariant checks.
//! - [`text`]: sanitizing untrusted text, display-width helpers.
//! - [`tui`]: the console (ratatui): app state, keymap, panes, view.
//! - [`config`]: `config.toml` and where each setting came from.
//! - [`cli`], [`run`]: the command line and its handlers.

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
