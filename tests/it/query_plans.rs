//! Every query the panes run, caught as the console runs it (SQLite's trace
//! hook on the console's connection while each pane and view is opened),
//! then asked `EXPLAIN QUERY PLAN` on a demo database with thousands of
//! reports: none reads a large table from end to end. A new query that
//! forgets its index fails here, naming the query and its plan.

use crate::common;
use crate::common::screen;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use crossterm::event::KeyCode;
use dudao::i18n::Lang;
use dudao::tui::app::App;
use ratatui::layout::Rect;
use rusqlite::trace::{TraceEvent, TraceEventCodes};

/// Tables that grow with every month, unit and action: never read whole.
/// (`item_flags` and `extensions` hold one row per item someone closed,
/// snoozed, escalated or extended, and the alerts need every one: they are
/// read whole by design.) A scan of a partial index is allowed: it holds
/// only open work (open reminders, notes not withdrawn), not history.
const LARGE: &[&str] = &[
    "reports",
    "report_items",
    "report_values",
    "indicator_values",
    "audit_log",
    "reminders",
    "notes",
    "intake_log",
    "imports",
    "authority_events",
];

fn scans_large(plan: &[String], partial: &[String]) -> Vec<String> {
    plan.iter()
        .filter(|l| {
            let l = l.trim();
            let whole = LARGE.iter().any(|t| {
                // SQLite names the table right after SCAN (aliases are not
                // used for these tables in dudao's queries).
                l == format!("SCAN {t}") || l.starts_with(&format!("SCAN {t} "))
            });
            let by_partial = partial.iter().any(|i| l.ends_with(&format!(" INDEX {i}")));
            whole && !by_partial
        })
        .cloned()
        .collect()
}

/// The partial indexes (`CREATE INDEX … WHERE …`) of the database.
fn partial_indexes(conn: &rusqlite::Connection) -> Vec<String> {
    let mut s = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND sql LIKE '% WHERE %'")
        .unwrap();
    s.query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

fn plan(conn: &rusqlite::Connection, sql: &str) -> Vec<String> {
    let mut s = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).unwrap();
    s.query_map([], |r| r.get::<_, String>(3))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

#[test]
fn no_pane_reads_a_large_table_whole() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("scaled.db");
    common::dudao()
        .args(["demo", "--scale", "4", "--out"])
        .arg(&db)
        .assert()
        .success();
    let mut deps = screen::deps(&db, Lang::Zh);
    let seen: Arc<Mutex<BTreeMap<String, String>>> = Arc::default();
    {
        let seen = Arc::clone(&seen);
        deps.conn
            .trace_v2(
                TraceEventCodes::SQLITE_TRACE_STMT,
                Some(move |e: TraceEvent<'_>| {
                    if let TraceEvent::Stmt(stmt, text) = e
                        && !text.starts_with("--")
                    {
                        let sql = stmt.sql().into_owned();
                        let first = sql.trim_start().to_ascii_uppercase();
                        if first.starts_with("SELECT") || first.starts_with("WITH") {
                            let expanded = stmt.expanded_sql().unwrap_or_else(|| sql.clone());
                            seen.lock().unwrap().entry(sql).or_insert(expanded);
                        }
                    }
                }),
            )
            .unwrap();
    }
    // The reader's first read at start-up: the month's figures and first
    // rows, before the rest (in process the console reads in place).
    {
        let cal = dudao::domain::deadline::Calendar::bundled();
        let mut read =
            dudao::db::inbox::MonthRead::read(&deps.conn, "2026-10".parse().unwrap(), 5, &cal, deps.today).unwrap();
        assert!(!read.head(&deps.conn, 20).unwrap().rows.is_empty());
    }
    let text = common::text_shared();
    let app = App::new(deps, Rect::new(0, 0, 160, 48)).unwrap();
    let term = ratatui::Terminal::new(ratatui::backend::TestBackend::new(160, 48)).unwrap();
    let mut s = screen::Screen {
        _dir: tempfile::tempdir().unwrap(),
        app,
        term,
        _text: text,
    };
    // Every pane and view, as a user opens them.
    s.text();
    s.keys("[").text();
    s.keys("]").text();
    s.key(KeyCode::Enter).text();
    s.key(KeyCode::Esc).keys("v").text();
    s.key(KeyCode::Esc).keys("I").text();
    s.key(KeyCode::Esc).keys("1m").text();
    s.key(KeyCode::Esc).keys("1/科").text();
    s.key(KeyCode::Esc).key(KeyCode::Esc);
    s.keys("2").text();
    s.keys("i").text();
    s.key(KeyCode::Esc).keys("m").text();
    s.key(KeyCode::Esc).keys("3").text();
    s.key(KeyCode::Enter).text();
    s.key(KeyCode::Esc).keys("M").text();
    s.key(KeyCode::Esc).keys("s").text();
    s.keys("4").text();
    s.keys("i").text();
    s.key(KeyCode::Esc).key(KeyCode::Enter).text();
    s.keys("4").keys("Z").text();
    drop(s);

    let seen = seen.lock().unwrap().clone();
    assert!(seen.len() >= 10, "the panes' queries were caught: {}", seen.len());
    let check = rusqlite::Connection::open_with_flags(&db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
    let partial = partial_indexes(&check);
    let mut bad = Vec::new();
    for (sql, expanded) in &seen {
        let p = plan(&check, expanded);
        let scans = scans_large(&p, &partial);
        if !scans.is_empty() {
            bad.push(format!("{sql}\n  plan: {}\n", p.join(" | ")));
        }
    }
    assert!(
        bad.is_empty(),
        "{} of {} pane queries read a large table whole:\n{}",
        bad.len(),
        seen.len(),
        bad.join("\n")
    );
}
