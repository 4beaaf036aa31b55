//! Promises the README makes about opening a file, each through the real
//! binary: a healthy file is never refused, a damaged one is named with
//! SQLite's own verdict, a lock is shown and can be walked away from, and
//! nothing is left beside a file that was refused.

use crate::common;
use crate::common::pty;

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::common::{dudao, dudao_en, sample_copy, stderr, stdout};
use pty::Pty;
use rusqlite::Connection;

fn side(db: &Path, suffix: &str) -> PathBuf {
    let mut p = db.as_os_str().to_owned();
    p.push(suffix);
    PathBuf::from(p)
}

/// A copy of a database whose main file's header counts pages that are
/// still only in its `-wal`: what another process sees while a checkpoint
/// is moving pages in, or after one was killed half-way. SQLite reads it
/// whole; dudao must too.
fn header_ahead_of_file(dir: &Path) -> PathBuf {
    let db = sample_copy(dir);
    let before = std::fs::metadata(&db).unwrap().len();
    let mut c = dudao::db::open(&db, dudao::db::Mode::ReadWrite).unwrap();
    c.pragma_update(None, "wal_autocheckpoint", 0).unwrap();
    let ctx = dudao::ops::Context::new(
        dudao::db::audit::Actor::current(),
        chrono::NaiveDate::from_ymd_opt(2026, 11, 30).unwrap(),
    );
    let measure: i64 = c.query_row("SELECT min(id) FROM measures", [], |r| r.get(0)).unwrap();
    let text = "进展说明".repeat(400);
    for _ in 0..60 {
        let cmd = dudao::ops::Command::Note {
            item: dudao::domain::ItemKey::Measure(measure),
            text: text.clone(),
        };
        assert!(dudao::ops::apply(&mut c, &ctx, &cmd).unwrap().is_applied());
    }
    c.execute_batch("PRAGMA wal_checkpoint(PASSIVE)").unwrap();
    assert!(std::fs::metadata(&db).unwrap().len() > before, "the file did not grow");
    // The files as they were at that moment, the main file cut back to
    // its size before the checkpoint moved the new pages in.
    let copy = dir.join("copy").join("office.db");
    std::fs::create_dir(copy.parent().unwrap()).unwrap();
    std::fs::copy(&db, &copy).unwrap();
    std::fs::copy(side(&db, "-wal"), side(&copy, "-wal")).unwrap();
    std::fs::copy(side(&db, ".audit-head"), side(&copy, ".audit-head")).unwrap();
    drop(c);
    std::fs::OpenOptions::new()
        .write(true)
        .open(&copy)
        .unwrap()
        .set_len(before)
        .unwrap();
    copy
}

#[test]
fn a_file_whose_header_runs_ahead_of_it_while_pages_sit_in_the_wal_opens() {
    let dir = tempfile::tempdir().unwrap();
    let db = header_ahead_of_file(dir.path());
    let out = dudao()
        .args(["export", "reports", "--format", "csv"])
        .arg(&db)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let out = dudao().arg("check").arg(&db).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}\n{}", stdout(&out), stderr(&out));
    assert!(!stderr(&out).contains("备份"), "{}", stderr(&out));
    // The notes are all there (from the WAL).
    let c = Connection::open(&db).unwrap();
    let notes: i64 = c
        .query_row("SELECT count(*) FROM notes WHERE length(text) > 1000", [], |r| r.get(0))
        .unwrap();
    assert_eq!(notes, 60);
}

#[test]
fn a_truly_truncated_file_is_refused_with_sqlites_verdict() {
    let dir = tempfile::tempdir().unwrap();
    let sample = std::fs::read(common::repo_root().join("sample.db")).unwrap();
    let db = dir.path().join("cut.db");
    std::fs::write(&db, &sample[..sample.len() / 2]).unwrap();
    let out = dudao_en().arg("check").arg(&db).output().unwrap();
    assert_eq!(out.status.code(), Some(3));
    let err = stderr(&out);
    assert!(
        err.contains("truncated") && err.contains("SQLite's check finds it damaged"),
        "{err}"
    );
    assert_eq!(std::fs::read(&db).unwrap(), &sample[..sample.len() / 2]);
}

/// A dudao file someone switched to rollback mode, cut off mid-transaction:
/// its `-journal` is hot. SQLite restores the last committed state when a
/// connection that may write reads it; dudao lets it.
#[test]
fn a_hot_rollback_journal_is_rolled_back_and_the_committed_state_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let db = sample_copy(dir.path());
    let committed: i64 = {
        let c = Connection::open(&db).unwrap();
        c.execute_batch("PRAGMA journal_mode=DELETE").unwrap();
        c.query_row("SELECT count(*) FROM reports WHERE status = 'accepted'", [], |r| {
            r.get(0)
        })
        .unwrap()
    };
    // A writer in the middle of a transaction that has spilled to the file.
    let c = Connection::open(&db).unwrap();
    c.execute_batch(
        "PRAGMA cache_size=1; BEGIN; UPDATE reports SET status = 'accepted', summary = hex(randomblob(200));",
    )
    .unwrap();
    let hot = dir.path().join("hot");
    std::fs::create_dir(&hot).unwrap();
    let copy = hot.join("office.db");
    std::fs::copy(&db, &copy).unwrap();
    std::fs::copy(side(&db, "-journal"), side(&copy, "-journal")).unwrap();
    c.execute_batch("ROLLBACK").unwrap();
    drop(c);
    assert!(std::fs::metadata(side(&copy, "-journal")).unwrap().len() > 0);

    let out = dudao()
        .args(["export", "reports", "--format", "csv"])
        .arg(&copy)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let c = Connection::open(&copy).unwrap();
    let accepted: i64 = c
        .query_row("SELECT count(*) FROM reports WHERE status = 'accepted'", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(accepted, committed, "the half-done transaction is visible");
    let ok: String = c.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
    assert_eq!(ok, "ok");
}

/// The same file, for a user who may not write it: the message says what
/// is wrong and who can mend it, and nothing is touched.
#[test]
fn a_hot_journal_a_reader_cannot_roll_back_is_explained() {
    use std::os::unix::fs::PermissionsExt;
    let root = std::process::Command::new("id")
        .arg("-u")
        .output()
        .map(|o| o.stdout == b"0\n")
        .unwrap_or(false);
    if !root || std::process::Command::new("setpriv").arg("--help").output().is_err() {
        eprintln!("needs root and setpriv; skipped");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let db = sample_copy(dir.path());
    Connection::open(&db)
        .unwrap()
        .execute_batch("PRAGMA journal_mode=DELETE")
        .unwrap();
    let c = Connection::open(&db).unwrap();
    c.execute_batch("PRAGMA cache_size=1; BEGIN; UPDATE reports SET summary = hex(randomblob(200));")
        .unwrap();
    let hot = dir.path().join("hot");
    std::fs::create_dir(&hot).unwrap();
    std::fs::set_permissions(&hot, std::fs::Permissions::from_mode(0o755)).unwrap();
    let copy = hot.join("office.db");
    std::fs::copy(&db, &copy).unwrap();
    std::fs::copy(side(&db, "-journal"), side(&copy, "-journal")).unwrap();
    c.execute_batch("ROLLBACK").unwrap();
    let before = std::fs::read(&copy).unwrap();
    let out = std::process::Command::new("setpriv")
        .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
        .arg(assert_cmd::cargo::cargo_bin!("dudao"))
        .args(["--no-config", "check"])
        .arg(&copy)
        .env("HOME", "/tmp")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("回滚日志") && err.contains("能写入该文件的用户"), "{err}");
    assert!(before == std::fs::read(&copy).unwrap(), "the file was touched");
}

/// Another program holds the file under an EXCLUSIVE lock: the console
/// says so, naming the process, and `q` leaves at once.
#[test]
fn a_locked_file_is_shown_as_locked_and_q_quits_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let db = sample_copy(dir.path());
    let holder = Connection::open(&db).unwrap();
    holder
        .execute_batch("PRAGMA locking_mode=EXCLUSIVE; BEGIN EXCLUSIVE; SELECT count(*) FROM units;")
        .unwrap();
    let mut t = Pty::console(&db, &[]);
    let screen = t.wait_for("锁定");
    assert!(screen.contains(&format!("pid {}", std::process::id())), "{screen}");
    assert!(screen.contains("按 q 退出"), "{screen}");
    let asked = std::time::Instant::now();
    t.send(b"q");
    let exit = t.wait_exit_within(Duration::from_secs(3));
    assert!(asked.elapsed() < Duration::from_secs(2), "{:?}", asked.elapsed());
    assert_eq!(exit.code, 1);
    drop(holder);
}

/// A file the console refuses (a newer schema, a missing table, a damaged
/// first page) is left as it was found: no `-wal` or `-shm` beside it.
#[test]
fn a_file_the_console_refuses_gets_no_side_files() {
    let dir = tempfile::tempdir().unwrap();
    let newer = sample_copy(dir.path());
    Connection::open(&newer)
        .unwrap()
        .pragma_update(None, "user_version", 999)
        .unwrap();
    let missing = dir.path().join("missing.db");
    std::fs::copy(common::repo_root().join("sample.db"), &missing).unwrap();
    Connection::open(&missing)
        .unwrap()
        .execute_batch("PRAGMA foreign_keys=OFF; DROP TABLE notes;")
        .unwrap();
    for db in [&newer, &missing] {
        assert!(!side(db, "-wal").exists() && !side(db, "-shm").exists());
        let before = std::fs::read(db).unwrap();
        let mut t = Pty::console(db, &[]);
        let exit = t.wait_exit();
        assert_eq!(exit.code, 3, "{}", t.screen());
        for s in ["-wal", "-shm"] {
            assert!(!side(db, s).exists(), "{} left beside {db:?}", s);
        }
        assert_eq!(std::fs::read(db).unwrap(), before);
    }
}

/// `dudao config | head -1` and the like: a reader that closes the pipe
/// early ends the command quietly, never with a panic and a backtrace.
#[test]
fn every_command_is_quiet_on_a_closed_pipe() {
    let dir = tempfile::tempdir().unwrap();
    let db = sample_copy(dir.path());
    let db = db.to_str().unwrap();
    let commands: &[&[&str]] = &[
        &["config"],
        &["check", db],
        &["template", "report"],
        &["completions", "bash"],
        &["export", "reports", "--format", "csv", db],
        &["report", "list", "--month", "2026-10", db],
        &["alerts", db],
        &["review", "--export", "md", "--quarter", "2026Q3", db],
    ];
    for args in commands {
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        let out = std::process::Command::new(assert_cmd::cargo::cargo_bin!("dudao"))
            .arg("--no-config")
            .args(*args)
            .stdout(writer)
            .stderr(std::process::Stdio::piped())
            .output()
            .unwrap();
        let err = stderr(&out);
        assert!(
            !err.contains("panicked") && !err.contains("Broken pipe") && !err.contains("backtrace"),
            "{args:?}: {err}"
        );
        use std::os::unix::process::ExitStatusExt;
        assert!(
            out.status.code().is_some_and(|c| c != 101) || out.status.signal() == Some(libc::SIGPIPE),
            "{args:?}: {:?}",
            out.status
        );
    }
}

/// Where "today" is set (the sample's as-of date, `--today`), the console
/// says so, and a report arriving then is stamped with that day alone: a
/// set date and the clock's time of day never make one timestamp.
#[test]
fn a_set_today_is_said_on_screen_and_never_mixed_with_the_clock() {
    let dir = tempfile::tempdir().unwrap();
    let db = sample_copy(dir.path());
    let mut t = Pty::console(&db, &[]);
    let s = t.wait_for("今日按 2026-11-30");
    assert!(!s.contains("截至 2026-11-30"), "{s}");
    t.send(b"q");
    t.wait_exit();

    let file = dir.path().join("r.toml");
    std::fs::write(
        &file,
        "unit = \"文化厅\"\nmonth = \"2026-11\"\nsummary = \"本月进展\"\n\n[[progress]]\narticle = 19\nstatus = \"正常\"\nprogress = \"按时报送\"\n",
    )
    .unwrap();
    let out = dudao().arg("--db").arg(&db).arg("import").arg(&file).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let c = Connection::open(&db).unwrap();
    let received: String = c
        .query_row(
            "SELECT received_at FROM reports WHERE month = '2026-11' AND unit_id = (SELECT id FROM units WHERE name = '文化厅')",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(received, "2026-11-30", "a set day with the clock's time");
}

/// Each database has its own drop folder by default (beside it): a file
/// meant for one is never imported into another; `dudao config` and the
/// console's imports view say which folder it is.
#[test]
fn each_database_has_its_own_drop_folder() {
    let dir = tempfile::tempdir().unwrap();
    let a = sample_copy(dir.path());
    let b = dir.path().join("other.db");
    std::fs::copy(&a, &b).unwrap();
    let drop_a = dir.path().join("sample.db.inbox");
    std::fs::create_dir(&drop_a).unwrap();
    std::fs::write(
        drop_a.join("r.toml"),
        "unit = \"文化厅\"\nmonth = \"2026-11\"\nsummary = \"本月进展\"\n\n[[progress]]\narticle = 19\nstatus = \"正常\"\nprogress = \"按时报送\"\n",
    )
    .unwrap();
    let out = dudao().arg("--db").arg(&b).arg("config").output().unwrap();
    assert!(
        stdout(&out).contains(&format!("{:?}", format!("{}.inbox", b.display()))),
        "{}",
        stdout(&out)
    );
    let count = |db: &Path| -> i64 {
        Connection::open(db)
            .unwrap()
            .query_row("SELECT count(*) FROM reports WHERE month = '2026-11'", [], |r| r.get(0))
            .unwrap()
    };
    let before = count(&b);
    let out = dudao().arg("--db").arg(&b).arg("import").output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(count(&b), before, "another database's file was imported");
    let before = count(&a);
    let out = dudao().arg("--db").arg(&a).arg("import").output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(count(&a), before + 1);

    let mut t = Pty::console_sized(24, 160, &b, &["--lang", "en"]);
    t.wait_for("Inbox");
    t.send(b"I");
    let s = t.wait_for("drop folder");
    // `import` made the folder: this console watches it.
    assert!(
        s.contains("drop folder") && s.contains("other.db.inbox") && !s.contains("not watched"),
        "{s}"
    );
    t.send(b"q");
    t.wait_exit();
}

/// The README's quick start leaves the repository as it found it: its
/// console command, run as written (its arguments after `--`), cannot
/// change the tracked sample.db, whatever keys are pressed.
#[test]
fn the_quick_start_leaves_sample_db_as_it_was() {
    let readme = std::fs::read_to_string(common::repo_root().join("README.md")).unwrap();
    let line = readme
        .lines()
        .find(|l| l.starts_with("cargo run") && l.contains("sample.db"))
        .expect("a console command in the quick start");
    let args: Vec<&str> = line
        .split('#')
        .next()
        .unwrap()
        .split_once(" -- ")
        .expect("cargo run … -- ARGS")
        .1
        .split_whitespace()
        .collect();
    let sample = common::repo_root().join("sample.db");
    let before = std::fs::read(&sample).unwrap();
    let os: Vec<&std::ffi::OsStr> = args.iter().map(std::ffi::OsStr::new).collect();
    let mut t = Pty::spawn(24, 80, &common::repo_root(), &os);
    t.wait_for("月报收件箱");
    for key in [&b"a"[..], b"c", b"4", b"d"] {
        t.send(key);
    }
    t.send(b"q");
    t.wait_exit();
    assert!(before == std::fs::read(&sample).unwrap(), "sample.db was changed");
    for s in ["-wal", "-shm", ".audit-head"] {
        assert!(!side(&sample, s).exists(), "{s} left beside sample.db");
    }
}
