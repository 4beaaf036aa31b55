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
