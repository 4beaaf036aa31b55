//! Rules every change from the command line obeys, through the real binary
//! on temporary copies of sample.db: `--read-only`, typed text, batches of
//! ids, the schedule of reports, date limits and the notices.

mod common;

use common::*;
use rusqlite::Connection;

fn sample() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = sample_copy(dir.path());
    (dir, db)
}

/// `dudao --today 2026-11-30 ARGS… DB`.
fn run(db: &std::path::Path, args: &[&str]) -> std::process::Output {
    dudao()
        .args(["--today", "2026-11-30"])
        .args(args)
        .arg(db)
        .output()
        .unwrap()
}

fn audit_count(db: &std::path::Path) -> i64 {
    Connection::open(db)
        .unwrap()
        .query_row("SELECT count(*) FROM audit_log", [], |r| r.get(0))
        .unwrap()
}

#[test]
fn read_only_refuses_every_change_and_leaves_the_file_untouched() {
    let (_d, db) = sample();
    let before = std::fs::read(&db).unwrap();
    let changes: &[&[&str]] = &[
        &["extend", "M85", "--to", "+20", "--reason", "x", "--late"],
        &["done", "M85"],
        &["snooze", "M85", "--until", "+7"],
        &["escalate", "M85"],
        &["remind", "M85"],
        &["report", "accept", "R1-2026-10"],
        &["report", "return", "R1-2026-10", "--reason", "x"],
        &["report", "note", "R1-2026-10", "--text", "x"],
    ];
    for args in changes {
        let out = dudao()
            .args(["--read-only", "--today", "2026-11-30"])
            .args(*args)
            .arg(&db)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        let err = stderr(&out);
        assert!(
            err.contains("--read-only") && err.contains("nothing was changed"),
            "{args:?}: {err}"
        );
        assert!(std::fs::read(&db).unwrap() == before, "{args:?} changed the file");
    }
    // Reading still works.
    let out = dudao()
        .args(["--read-only", "--today", "2026-11-30", "notice", "M85"])
        .arg(&db)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(std::fs::read(&db).unwrap() == before);
}

/// Typed text is stored without control or direction-changing characters,
/// as the console's fields leave them out.
#[test]
fn typed_text_is_stored_without_control_characters() {
    let (_d, db) = sample();
    let hostile = "已电话\x1b]0;PWNED\x07联系\x1b[2J，\u{202e}周五前\u{9b}31m补报\r";
    let out = run(&db, &["report", "note", "R1-2026-10", "--text", hostile]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = run(&db, &["extend", "M85", "--to", "+20", "--reason", hostile, "--late"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = run(&db, &["remind", "M2", "--note", hostile]);
    assert!(out.status.success(), "{}", stderr(&out));
    let c = Connection::open(&db).unwrap();
    let stored: Vec<String> = [
        "SELECT text FROM notes ORDER BY id DESC LIMIT 1",
        "SELECT reason FROM extensions ORDER BY id DESC LIMIT 1",
        "SELECT note FROM reminders ORDER BY id DESC LIMIT 1",
    ]
    .iter()
    .map(|q| c.query_row(q, [], |r| r.get(0)).unwrap())
    .collect();
    for t in &stored {
        assert_eq!(t, "已电话]0;PWNED联系[2J，周五前31m补报", "{t:?}");
        assert!(!t.chars().any(dudao::text::is_dangerous), "{t:?}");
    }
    // Nothing left but control characters is an empty text.
    let out = run(&db, &["report", "note", "R1-2026-10", "--text", "\x1b\x07\u{202e}"]);
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
}
