//! `dudao review` in a real pseudo-terminal: the kiosk timer turns the
//! pages by itself and a key pauses it (nothing is written while paused);
//! and the review never writes the database — a writable file, a 0444 file
//! and a file in a 0555 folder (the last two as a non-root user through
//! setpriv): bytes and mtime unchanged, no `-wal`/`-shm` left.

use crate::common;
use crate::common::pty;

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::time::Duration;

use pty::Pty;

const ARGS: [&str; 4] = ["--quarter", "2026Q3", "--today", "2026-11-30"];

fn review_args(db: &Path, extra: &[&str]) -> Vec<std::ffi::OsString> {
    let mut v: Vec<std::ffi::OsString> = vec!["review".into()];
    v.extend(ARGS.iter().map(Into::into));
    v.extend(extra.iter().map(Into::into));
    v.push(db.as_os_str().to_owned());
    v
}

fn header(s: &str) -> String {
    s.lines().next().unwrap_or("").to_string()
}

#[test]
fn kiosk_turns_pages_by_itself_and_a_key_pauses_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = common::sample_copy(dir.path());
    let args = review_args(&db, &["--kiosk", "1"]);
    let args: Vec<&std::ffi::OsStr> = args.iter().map(|a| a.as_os_str()).collect();
    let mut t = Pty::spawn(24, 80, dir.path(), &args);
    let s = t.wait_for("1/7");
    assert!(header(&s).contains("只读") && header(&s).contains("▶ 1秒"), "{s}");
    // By itself: page 2, then page 3.
    t.wait_for("2/7");
    t.wait_for("3/7");
    // Any key pauses.
    t.send(b"x");
    let s = t.wait_for("已暂停");
    let page = header(&s);
    // Paused: the page stays and nothing at all is written, for longer
    // than three kiosk intervals.
    let bytes = t.byte_count();
    std::thread::sleep(Duration::from_millis(3500));
    assert_eq!(t.byte_count(), bytes, "bytes written while paused");
    assert_eq!(header(&t.screen()), page);
    // p resumes; the pages turn again.
    t.send(b"p");
    t.wait_until("the next page", pty::default_timeout(), |s| {
        !header(s).contains("已暂停") && header(s) != page
    });
    t.send(b"q");
    assert!(t.wait_exit().success());
    assert!(pty::contains_bytes(&t.bytes(), pty::LEAVE_ALT_SCREEN));
}

fn fingerprint(p: &Path) -> (Vec<u8>, std::time::SystemTime) {
    (
        std::fs::read(p).unwrap(),
        std::fs::metadata(p).unwrap().modified().unwrap(),
    )
}

fn side_files(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n != "sample.db")
        .collect()
}

fn root_and_setpriv() -> bool {
    // SAFETY: geteuid has no preconditions.
    let root = unsafe { libc::geteuid() } == 0;
    root && ["/usr/bin/setpriv", "/bin/setpriv"]
        .iter()
        .any(|p| Path::new(p).exists())
}

const NOBODY: [&str; 4] = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"];

/// Goes through every page with every key, then quits; returns the header
/// of the first screen and everything written to the terminal.
fn browse(db: &Path, cwd: &Path, wrapper: &[&str]) -> (String, String) {
    browse_answering(db, cwd, wrapper, true, None)
}

/// [`browse`], answering `answer` when asked on leaving whether to freeze
/// the quarter (a user who can write is asked; others are not).
fn browse_answering(db: &Path, cwd: &Path, wrapper: &[&str], kiosk: bool, answer: Option<&[u8]>) -> (String, String) {
    // A kiosk is never asked (nobody may be watching it).
    let kiosk: &[&str] = if kiosk { &["--kiosk", "30"] } else { &[] };
    let args = review_args(db, kiosk);
    let args: Vec<&std::ffi::OsStr> = args.iter().map(|a| a.as_os_str()).collect();
    let mut t = Pty::spawn_via(24, 80, cwd, wrapper, &args, &[("HOME", "/tmp")]);
    let first = header(&t.wait_for("1/7"));
    for (keys, want) in [
        (&b"2"[..], "2/7"),
        (b"3", "3/7"),
        (b"4", "4/7"),
        (b"5", "5/7"),
        (b"6", "6/7"),
        (b"7", "7/7"),
        (b"\x1b[C", "1/7"),
        (b" ", "2/7"),
        (b"\x1b[D", "1/7"),
        (b"p", "1/7"),
        (b"aerdxzn", "1/7"),
    ] {
        t.send(keys);
        t.wait_for(want);
    }
    t.send(b"q");
    if let Some(a) = answer {
        t.wait_for("[y/N]");
        t.send(a);
    }
    assert!(t.wait_exit().success(), "{}", t.screen());
    (first, String::from_utf8_lossy(&t.bytes()).into_owned())
}

const HINT: &str = "dudao snapshot --quarter 2026Q3";

#[test]
fn review_never_writes_a_writable_file() {
    let dir = tempfile::tempdir().unwrap();
    let db = common::sample_copy(dir.path());
    let before = fingerprint(&db);
    // 2026Q3 has ended and is not frozen: a user who could freeze it is
    // asked on leaving; "no" leaves the file as it was, saying how to later.
    let (head, all) = browse_answering(&db, dir.path(), &[], false, Some(b"n\r"));
    assert!(head.contains("只读"), "{head}");
    assert!(all.contains("现在存档"), "not asked");
    assert!(all.contains(HINT), "no hint to freeze the quarter");
    assert!(!head.contains("快照"), "a writable file is read live: {head}");
    assert_eq!(fingerprint(&db), before, "the file changed");
    assert_eq!(side_files(dir.path()), Vec::<String>::new(), "files left behind");
}

/// Answering yes freezes the quarter as `dudao snapshot` does: once, with
/// its audit row; the next review of it is not asked again.
#[test]
fn a_writer_leaving_the_review_of_a_finished_quarter_can_freeze_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = common::sample_copy(dir.path());
    let (_, all) = browse_answering(&db, dir.path(), &[], false, Some(b"y\r"));
    assert!(all.contains("已存档 2026Q3"), "{all}");
    let c = rusqlite::Connection::open(&db).unwrap();
    let (frozen, audited): (i64, i64) = c
        .query_row(
            "SELECT (SELECT count(*) FROM quarter_snapshots WHERE quarter = '2026Q3'),
                    (SELECT count(*) FROM audit_log WHERE action = 'snapshot' AND entity_id = '2026Q3')",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((frozen, audited), (1, 1));
    drop(c);
    // Not asked again (a question would hold the exit).
    let (_, again) = browse_answering(&db, dir.path(), &[], false, None);
    assert!(!again.contains("[y/N]"), "asked again about a frozen quarter");
}

#[test]
fn review_never_writes_a_0444_file_as_another_user() {
    if !root_and_setpriv() {
        eprintln!("needs root and setpriv; skipped");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o777)).unwrap();
    let db = common::sample_copy(dir.path());
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o444)).unwrap();
    let before = fingerprint(&db);
    let (head, all) = browse(&db, dir.path(), &NOBODY);
    assert!(head.contains("只读") && head.contains("快照"), "{head}");
    assert!(!all.contains(HINT), "a user who cannot write is not told to freeze");
    assert_eq!(fingerprint(&db), before, "the file changed");
    assert_eq!(side_files(dir.path()), Vec::<String>::new(), "files left behind");
}

#[test]
fn review_never_writes_a_file_in_a_read_only_folder_as_another_user() {
    if !root_and_setpriv() {
        eprintln!("needs root and setpriv; skipped");
        return;
    }
    let top = tempfile::tempdir().unwrap();
    std::fs::set_permissions(top.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let ro = top.path().join("archive");
    std::fs::create_dir(&ro).unwrap();
    let db = common::sample_copy(&ro);
    std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o555)).unwrap();
    let before = fingerprint(&db);
    let (head, _) = browse(&db, top.path(), &NOBODY);
    assert!(head.contains("只读") && head.contains("快照"), "{head}");
    assert_eq!(fingerprint(&db), before, "the file changed");
    assert_eq!(side_files(&ro), Vec::<String>::new(), "files left behind");
    // The documents too.
    let out = std::process::Command::new("setpriv")
        .args(&NOBODY[1..])
        .arg(assert_cmd::cargo::cargo_bin!("dudao"))
        .args(["--no-config", "review", "--export", "html"])
        .args(ARGS)
        .arg(&db)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(fingerprint(&db), before, "the file changed");
    assert_eq!(side_files(&ro), Vec::<String>::new(), "files left behind");
    std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o755)).unwrap();
}
