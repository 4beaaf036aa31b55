//! Opening never changes a file that is not dudao's, and every file that
//! cannot be opened gets one clear line naming it and exit code 3.

use crate::common::pty;

use std::path::{Path, PathBuf};

use crate::common::*;
use dudao::db::{self, DbError, Mode};
use rusqlite::Connection;

/// Every command that opens a database, read-only and for writing.
const COMMANDS: &[&[&str]] = &[
    &["check"],
    &["export", "units", "--format", "csv"],
    &["--today", "2026-11-30", "remind", "M85"],
    &["--today", "2026-11-30", "report", "accept", "R1-2026-10"],
];

fn files(db: &Path) -> Vec<(PathBuf, Option<Vec<u8>>)> {
    ["", "-wal", "-shm", "-journal", ".audit-head"]
        .iter()
        .map(|s| {
            let p = PathBuf::from(format!("{}{s}", db.display()));
            let b = std::fs::read(&p).ok();
            (p, b)
        })
        .collect()
}

fn one_line(err: &str, db: &Path, words: &str) {
    assert_eq!(err.lines().count(), 1, "not one line: {err}");
    assert!(err.contains(&db.display().to_string()), "path not named: {err}");
    assert!(err.contains(words), "{err}");
    assert!(!err.contains("CREATE "), "SQL printed: {err}");
}

fn refused_untouched(db: &Path, words: &str) {
    let before = files(db);
    for args in COMMANDS {
        let out = dudao_en().args(*args).arg(db).output().unwrap();
        assert_eq!(out.status.code(), Some(3), "{args:?}: {}", stderr(&out));
        one_line(&stderr(&out), db, words);
        assert_eq!(files(db), before, "{args:?} changed a file");
    }
    // The console, as staff start it, in a terminal.
    for extra in [&[][..], &["--read-only"][..]] {
        let mut t = pty::Pty::console(db, extra);
        let exit = t.wait_exit();
        assert_eq!(exit.code, 3, "console {extra:?}: {exit:?}\n{}", t.screen());
        assert!(t.screen().contains("dudao"), "{}", t.screen());
        assert_eq!(files(db), before, "the console {extra:?} changed a file");
    }
    for mode in [Mode::ReadOnly, Mode::ReadWrite] {
        let e = db::open(db, mode).unwrap_err();
        assert!(matches!(e, DbError::NotDudao(_)), "{e}");
        assert_eq!(files(db), before, "open {mode:?} changed a file");
    }
}

#[test]
fn another_programs_database_with_a_pending_wal_is_left_as_it_is() {
    let dir = tempfile::tempdir().unwrap();
    let live = dir.path().join("live.db");
    let w = Connection::open(&live).unwrap();
    w.execute_batch(
        "PRAGMA journal_mode=WAL; PRAGMA wal_autocheckpoint=0; PRAGMA user_version=7;
         CREATE TABLE t(x); INSERT INTO t VALUES ('committed, only in the WAL');",
    )
    .unwrap();
    // What the other program left when it stopped: the file and its WAL.
    let copy = dir.path().join("other.db");
    std::fs::copy(&live, &copy).unwrap();
    std::fs::copy(dir.path().join("live.db-wal"), dir.path().join("other.db-wal")).unwrap();
    drop(w);
    assert!(std::fs::metadata(format!("{}-wal", copy.display())).unwrap().len() > 0);
    refused_untouched(&copy, "not a dudao one");
    assert!(!Path::new(&format!("{}-shm", copy.display())).exists());
    // The WAL still holds the other program's row.
    let c = Connection::open(&copy).unwrap();
    let x: String = c.query_row("SELECT x FROM t", [], |r| r.get(0)).unwrap();
    assert_eq!(x, "committed, only in the WAL");
}

#[test]
fn another_programs_leftover_rollback_journal_is_not_rolled_back() {
    let dir = tempfile::tempdir().unwrap();
    let live = dir.path().join("live.db");
    let mut w = Connection::open(&live).unwrap();
    w.execute_batch(
        "PRAGMA journal_mode=DELETE; PRAGMA cache_size=2; CREATE TABLE t(x);
         INSERT INTO t VALUES ('before');",
    )
    .unwrap();
    let tx = w.transaction().unwrap();
    for i in 0..2000 {
        tx.execute("INSERT INTO t VALUES (?1)", [format!("{i:0>200}")]).unwrap();
    }
    // Mid-transaction (pages spilled to the file): the journal is hot.
    let copy = dir.path().join("other.db");
    std::fs::copy(&live, &copy).unwrap();
    std::fs::copy(dir.path().join("live.db-journal"), dir.path().join("other.db-journal")).unwrap();
    tx.rollback().unwrap();
    assert!(std::fs::metadata(format!("{}-journal", copy.display())).unwrap().len() > 0);
    refused_untouched(&copy, "not a dudao one");
}

#[test]
fn a_plain_sqlite_file_with_user_version_0_is_one_line_exit_3() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("plain.db");
    Connection::open(&p)
        .unwrap()
        .execute_batch("CREATE TABLE t(x);")
        .unwrap();
    refused_untouched(&p, "not a dudao one");
}

fn cli_one_line(db: &Path, args: &[&str], words: &str) {
    let out = dudao_en().args(args).arg(db).output().unwrap();
    assert_eq!(out.status.code(), Some(3), "{args:?}: {}", stderr(&out));
    one_line(&stderr(&out), db, words);
}

#[test]
fn a_symlink_loop_is_one_line_exit_3() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a.db"), dir.path().join("b.db"));
    std::os::unix::fs::symlink(&b, &a).unwrap();
    std::os::unix::fs::symlink(&a, &b).unwrap();
    for args in COMMANDS {
        cli_one_line(&a, args, "cannot open");
    }
}

#[test]
fn a_fifo_is_one_line_exit_3_and_never_read() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("pipe.db");
    let c = std::ffi::CString::new(p.to_str().unwrap()).unwrap();
    // SAFETY: a NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
    for args in COMMANDS {
        cli_one_line(&p, args, "not a regular file");
    }
}

#[test]
fn a_missing_table_is_one_line_exit_3() {
    let dir = tempfile::tempdir().unwrap();
    let db = sample_copy(dir.path());
    Connection::open(&db)
        .unwrap()
        .execute_batch("DROP TABLE report_values;")
        .unwrap();
    for args in COMMANDS {
        cli_one_line(&db, args, "table report_values is missing");
    }
}

#[test]
fn a_damaged_page_is_a_damaged_database_exit_3() {
    let dir = tempfile::tempdir().unwrap();
    let db = sample_copy(dir.path());
    let (root, page_size): (i64, i64) = {
        let c = Connection::open(&db).unwrap();
        (
            c.query_row("SELECT rootpage FROM sqlite_master WHERE name = 'units'", [], |r| {
                r.get(0)
            })
            .unwrap(),
            c.pragma_query_value(None, "page_size", |r| r.get(0)).unwrap(),
        )
    };
    let mut bytes = std::fs::read(&db).unwrap();
    let at = ((root - 1) * page_size) as usize;
    bytes[at..at + page_size as usize].fill(0xA5);
    std::fs::write(&db, &bytes).unwrap();
    cli_one_line(&db, &["export", "units", "--format", "csv"], "database is damaged");
    cli_one_line(&db, &["--today", "2026-11-30", "remind", "M85"], "database is damaged");
    // check reports it as failures and still runs every check.
    let out = dudao_en().arg("check").arg(&db).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let s = stdout(&out);
    assert!(s.contains("FAIL  integrity_check"), "{s}");
    assert!(s.contains("every note and reminder"), "stopped early: {s}");
}

#[test]
fn a_failed_upgrade_is_one_line_without_sql_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = sample_copy(dir.path());
    // One version back with the last migration's objects already there:
    // the upgrade fails.
    let back = db::current_version() - 1;
    Connection::open(&db)
        .unwrap()
        .pragma_update(None, "user_version", back)
        .unwrap();
    let out = dudao_en()
        .args(["--today", "2026-11-30", "remind", "M85"])
        .arg(&db)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    one_line(&stderr(&out), &db, &format!("upgrading the schema from version {back}"));
    let v: i32 = Connection::open(&db)
        .unwrap()
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!(v, back);
}

/// `dudao` as the unprivileged user `nobody` (root ignores permissions).
fn as_nobody() -> Option<std::process::Command> {
    let setpriv = ["/usr/bin/setpriv", "/bin/setpriv"]
        .into_iter()
        .find(|p| Path::new(p).exists())?;
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } != 0 {
        return Some(std::process::Command::new(assert_cmd::cargo::cargo_bin!("dudao")));
    }
    let mut c = std::process::Command::new(setpriv);
    c.args(["--reuid=65534", "--regid=65534", "--clear-groups"]);
    c.arg(assert_cmd::cargo::cargo_bin!("dudao"));
    Some(c)
}

#[test]
fn check_and_export_work_on_an_anchored_archive_on_read_only_media() {
    use std::os::unix::fs::PermissionsExt;
    let Some(_) = as_nobody() else {
        eprintln!("skipped: setpriv is not installed");
        return;
    };
    let top = tempfile::tempdir().unwrap();
    std::fs::set_permissions(top.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let work = tempfile::tempdir().unwrap();
    let live = sample_copy(work.path());
    let out = dudao_en()
        .args(["--today", "2026-11-30", "remind", "M85"])
        .arg(&live)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let ro = top.path().join("archive");
    std::fs::create_dir(&ro).unwrap();
    let db = ro.join("office.db");
    std::fs::copy(&live, &db).unwrap();
    std::fs::copy(
        format!("{}.audit-head", live.display()),
        format!("{}.audit-head", db.display()),
    )
    .unwrap();
    for f in [&db, &PathBuf::from(format!("{}.audit-head", db.display()))] {
        std::fs::set_permissions(f, std::fs::Permissions::from_mode(0o444)).unwrap();
    }
    std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o555)).unwrap();
    let before = files(&db);
    let out = as_nobody()
        .unwrap()
        .args(["--no-config", "--lang", "en", "check"])
        .arg(&db)
        .output()
        .unwrap();
    let s = stdout(&out);
    std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o755)).unwrap();
    assert!(out.status.success(), "{s}{}", stderr(&out));
    assert!(
        s.contains("ok    audit log anchor (outside the database): head id"),
        "{s}"
    );
    assert_eq!(files(&db), before);
    let names: Vec<_> = std::fs::read_dir(&ro)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names.len(), 2, "lock files left: {names:?}");
}

#[test]
fn a_change_to_a_database_the_user_cannot_write_says_so_in_one_line() {
    use std::os::unix::fs::PermissionsExt;
    let Some(_) = as_nobody() else {
        eprintln!("skipped: setpriv is not installed");
        return;
    };
    let top = tempfile::tempdir().unwrap();
    std::fs::set_permissions(top.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let ro = top.path().join("archive");
    std::fs::create_dir(&ro).unwrap();
    let db = sample_copy(&ro);
    std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o555)).unwrap();
    let before = files(&db);
    let out = as_nobody()
        .unwrap()
        .args(["--no-config", "--lang", "en", "--today", "2026-11-30", "remind", "M85"])
        .arg(&db)
        .output()
        .unwrap();
    std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    one_line(&stderr(&out), &db, "nobody cannot write this database");
    assert!(!stderr(&out).contains("open read-only"), "{}", stderr(&out));
    assert_eq!(files(&db), before);
}

/// The same lines in Chinese, the command line's default language.
#[test]
fn the_lines_speak_chinese_by_default() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe.db");
    let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    // SAFETY: a NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
    let (a, b) = (dir.path().join("a.db"), dir.path().join("b.db"));
    std::os::unix::fs::symlink(&b, &a).unwrap();
    std::os::unix::fs::symlink(&a, &b).unwrap();
    let db = sample_copy(dir.path());
    let back = db::current_version() - 1;
    Connection::open(&db)
        .unwrap()
        .pragma_update(None, "user_version", back)
        .unwrap();
    for (path, args, words) in [
        (&fifo, &["check"][..], "不是普通文件"),
        (&a, &["check"][..], "无法打开"),
        (&db, &["--today", "2026-11-30", "remind", "M85"][..], "升级到"),
    ] {
        let out = dudao().args(args).arg(path).output().unwrap();
        assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
        one_line(&stderr(&out), path, words);
    }
}
