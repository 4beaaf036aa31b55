//! `dudao backup` and `dudao restore`, and the warning every writing
//! command gives on a network filesystem.

use crate::common::pty;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::common::*;
use rusqlite::Connection;

fn audit_rows(db: &Path) -> i64 {
    Connection::open(db)
        .unwrap()
        .query_row("SELECT count(*) FROM audit_log", [], |r| r.get(0))
        .unwrap()
}

fn anchor(db: &Path) -> PathBuf {
    PathBuf::from(format!("{}.audit-head", db.display()))
}

fn remind(db: &Path, id: &str) {
    let out = dudao_en()
        .args(["--today", "2026-11-30", "remind", id])
        .arg(db)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn a_backup_taken_while_others_write_passes_check_and_carries_the_anchor() {
    let dir = tempfile::tempdir().unwrap();
    let db = sample_copy(dir.path());
    remind(&db, "M85");
    let stop = Arc::new(AtomicBool::new(false));
    let writer = {
        let (db, stop) = (db.clone(), stop.clone());
        std::thread::spawn(move || {
            let mut n = 0;
            while !stop.load(Ordering::Relaxed) {
                remind(&db, ["M2", "M3", "M15", "M21"][n % 4]);
                n += 1;
            }
            n
        })
    };
    let mut copies = Vec::new();
    for i in 0..5 {
        let dest = dir.path().join(format!("copy{i}.db"));
        let out = dudao_en().arg("backup").arg(&dest).arg(&db).output().unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        assert!(stderr(&out).contains("written and checked"), "{}", stderr(&out));
        copies.push(dest);
    }
    stop.store(true, Ordering::Relaxed);
    let writes = writer.join().unwrap();
    assert!(writes > 0);
    for c in &copies {
        assert!(anchor(c).exists(), "no anchor beside {c:?}");
        let out = dudao_en().arg("check").arg(c).output().unwrap();
        assert!(out.status.success(), "{c:?}: {}", stdout(&out));
        assert!(stdout(&out).contains("ok    audit log anchor (outside the database): head id"));
        // A copy with its anchor cut short by its last rows is caught.
        let c2 = dir.path().join("tampered.db");
        std::fs::copy(c, &c2).unwrap();
        let text = std::fs::read_to_string(anchor(c)).unwrap();
        std::fs::write(anchor(&c2), text).unwrap();
        Connection::open(&c2)
            .unwrap()
            .execute_batch(
                "DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE id = (SELECT max(id) FROM audit_log);",
            )
            .unwrap();
        let out = dudao_en().arg("check").arg(&c2).output().unwrap();
        assert_eq!(out.status.code(), Some(1));
        for f in [c2.clone(), anchor(&c2)] {
            std::fs::remove_file(f).unwrap();
        }
    }
    // Never over an existing file; a folder gets a dated name.
    let out = dudao_en().arg("backup").arg(&copies[0]).arg(&db).output().unwrap();
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(stderr(&out).contains("already exists"), "{}", stderr(&out));
    let folder = dir.path().join("nightly");
    std::fs::create_dir(&folder).unwrap();
    let out = dudao_en().arg("backup").arg(&folder).arg(&db).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let made = PathBuf::from(stdout(&out).trim());
    assert!(made.starts_with(&folder) && made.exists(), "{made:?}");
    assert!(made.file_name().unwrap().to_str().unwrap().starts_with("sample-"));
}

#[test]
fn restore_asks_refuses_while_the_database_is_open_and_keeps_the_file_it_replaces() {
    let dir = tempfile::tempdir().unwrap();
    let db = sample_copy(dir.path());
    remind(&db, "M85");
    let copy = dir.path().join("monday.db");
    dudao_en().arg("backup").arg(&copy).arg(&db).assert().success();
    let at_backup = audit_rows(&copy);
    for id in ["M2", "M3"] {
        remind(&db, id);
    }
    let before = audit_rows(&db);
    // Without a terminal and without --yes: nothing happens.
    let out = dudao_en().arg("restore").arg(&copy).arg(&db).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_eq!(audit_rows(&db), before);
    // Someone has the console open: refused, naming them.
    let mut t = pty::Pty::console(&db, &[]);
    t.wait_for("◀ 2026-10 月报 ▶");
    let out = dudao_en()
        .args(["restore", "--yes"])
        .arg(&copy)
        .arg(&db)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("is open in") && stderr(&out).contains(&format!("pid {}", t.pid())),
        "{}",
        stderr(&out)
    );
    assert_eq!(audit_rows(&db), before);
    t.send(b"q");
    assert!(t.wait_exit().success());
    // Confirmed on a terminal (asked in Chinese, the default).
    let args = [std::ffi::OsStr::new("restore"), copy.as_os_str(), db.as_os_str()];
    let mut t = pty::Pty::spawn(24, 100, dir.path(), &args);
    t.wait_for("输入 yes 确认恢复");
    t.type_text("yes\r");
    let exit = t.wait_exit();
    assert!(exit.success(), "{exit:?}\n{}", t.screen());
    // The backup's rows and the restore's own audit row.
    assert_eq!(audit_rows(&db), at_backup + 1);
    let out = dudao_en().arg("check").arg(&db).output().unwrap();
    assert!(out.status.success(), "{}", stdout(&out));
    // The replaced file is kept, whole, with its anchor.
    let saved: Vec<PathBuf> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_str().unwrap().contains(".before-restore-") && !p.to_str().unwrap().ends_with(".audit-head"))
        .collect();
    assert_eq!(saved.len(), 1, "{saved:?}");
    assert_eq!(audit_rows(&saved[0]), before);
    dudao_en().arg("check").arg(&saved[0]).assert().success();
}

#[test]
fn restore_refuses_a_backup_that_fails_check() {
    let dir = tempfile::tempdir().unwrap();
    let db = sample_copy(dir.path());
    remind(&db, "M85");
    let copy = dir.path().join("copy.db");
    dudao_en().arg("backup").arg(&copy).arg(&db).assert().success();
    std::fs::remove_file(anchor(&copy)).unwrap();
    let before = std::fs::read(&db).unwrap();
    let out = dudao_en()
        .args(["restore", "--yes"])
        .arg(&copy)
        .arg(&db)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("does not pass `dudao check`"), "{}", stderr(&out));
    assert_eq!(std::fs::read(&db).unwrap(), before);
}

#[test]
fn every_command_that_writes_warns_on_a_network_filesystem() {
    let dir = tempfile::tempdir().unwrap();
    let db = sample_copy(dir.path());
    let warn = "filesystem; SQLite's WAL mode is unsafe there";
    let run = |args: &[&str]| {
        let out = dudao_en()
            .env("DUDAO_TEST_NETWORK_FS", "1")
            .args(["--today", "2026-11-30"])
            .args(args)
            .output()
            .unwrap();
        (out.status.code(), stderr(&out))
    };
    let d = db.to_str().unwrap();
    let report = repo_root().join("tests/fixtures/reports/ok-utf8.toml");
    let writes: Vec<Vec<&str>> = vec![
        vec!["remind", "M85", d],
        vec!["extend", "M85", "--to", "+20", "--reason", "x", "--late", d],
        vec!["done", "M2", d],
        vec!["snooze", "M3", "--until", "+7", d],
        vec!["escalate", "M15", d],
        vec!["report", "accept", "R1-2026-10", d],
        vec!["report", "note", "R1-2026-10", "--text", "x", d],
        vec!["measure", "set", "M21", "--due", "2027-01-31", d],
        vec!["import", "--db", d, report.to_str().unwrap()],
    ];
    for args in &writes {
        let (code, err) = run(args);
        assert!(err.contains(warn), "{args:?} ({code:?}) gave no warning: {err}");
    }
    let new = dir.path().join("new.db");
    let (_, err) = run(&["init", new.to_str().unwrap()]);
    assert!(err.contains(warn), "init: {err}");
    for args in [vec!["check", d], vec!["export", "units", d]] {
        let (_, err) = run(&args);
        assert!(!err.contains(warn), "{args:?} only reads: {err}");
    }
}

#[test]
fn restore_onto_a_new_machine_makes_the_file_without_asking() {
    let dir = tempfile::tempdir().unwrap();
    let db = sample_copy(dir.path());
    remind(&db, "M85");
    let copy = dir.path().join("copy.db");
    dudao_en().arg("backup").arg(&copy).arg(&db).assert().success();
    let fresh = dir.path().join("new-server").join("office.db");
    std::fs::create_dir(fresh.parent().unwrap()).unwrap();
    let out = dudao_en().arg("restore").arg(&copy).arg(&fresh).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("a new file"), "{}", stderr(&out));
    assert_eq!(audit_rows(&fresh), audit_rows(&copy) + 1);
    assert!(anchor(&fresh).exists());
    dudao_en().arg("check").arg(&fresh).assert().success();
}
