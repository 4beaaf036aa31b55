//! The integration tests, in one binary: one link instead of forty, and
//! tests from every file run side by side on the test harness's threads.
//! Each file is a module named as the file was (`cargo test pty::` runs
//! one of them); shared helpers are in `common/`. A test that changes
//! process-wide state (how text is measured) holds
//! [`common::text_exclusive`]; one that draws or measures text in this
//! process holds [`common::text_shared`] (a `common::screen::Screen` does).

mod common;

mod alerts_cli;
mod ambiguous_width;
mod architecture;
mod audit_attacks;
mod backup;
mod changes_cli;
mod checklist_cli;
mod checklist_pty;
mod checklist_screens;
mod cli;
mod crashes;
mod db;
mod edit_pty;
mod edit_screens;
mod gbk;
mod hostile_input;
mod import_cli;
mod import_pty;
mod inbox_cli;
mod inbox_views;
mod loading;
mod loading_pty;
mod man;
mod opening;
mod pty;
mod query_plans;
mod read_only_media;
mod render_sizes;
mod review_cli;
mod review_pdf;
mod review_pty;
mod review_screens;
mod several_users;
mod snapshots;
mod ssh;
mod ssh_roles;
mod tasks_cli;
mod terminals;
mod trust;
mod words;
