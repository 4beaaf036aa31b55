//! A database on read-only media (an archive, a share mounted read-only, a
//! folder the meeting-room account cannot write): opened read-only it is an
//! immutable snapshot, nothing is written and no lock files are left.
//! Run as a non-root user (root ignores permissions), via setpriv.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Command;

use crate::common::*;

fn as_nobody() -> Option<Command> {
    let setpriv = ["/usr/bin/setpriv", "/bin/setpriv"]
        .into_iter()
        .find(|p| Path::new(p).exists())?;
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } != 0 {
        // Already unprivileged: run the binary directly.
        return Some(Command::new(assert_cmd::cargo::cargo_bin!("dudao")));
    }
    let mut c = Command::new(setpriv);
    c.args(["--reuid=65534", "--regid=65534", "--clear-groups"]);
    c.arg(assert_cmd::cargo::cargo_bin!("dudao"));
    Some(c)
}

fn fingerprint(p: &Path) -> (Vec<u8>, std::time::SystemTime) {
    (
        std::fs::read(p).unwrap(),
        std::fs::metadata(p).unwrap().modified().unwrap(),
    )
}

#[test]
fn a_database_in_a_read_only_folder_is_read_as_a_snapshot() {
    let Some(_) = as_nobody() else {
        eprintln!("skipped: setpriv is not installed");
        return;
    };
    let top = tempfile::tempdir().unwrap();
    std::fs::set_permissions(top.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let ro = top.path().join("archive");
    std::fs::create_dir(&ro).unwrap();
    let db = sample_copy(&ro);
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o444)).unwrap();
    std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o555)).unwrap();
    let before = fingerprint(&db);

    for args in [
        vec!["--no-config", "--read-only", "export", "articles", "--format", "csv"],
        vec!["--no-config", "export", "authority", "--format", "json"],
        vec!["--no-config", "report", "list", "--month", "2026-10", "--format", "csv"],
    ] {
        let out = as_nobody().unwrap().args(&args).arg(&db).output().unwrap();
        assert!(
            out.status.success(),
            "{args:?} failed on a read-only folder: {}",
            stderr(&out)
        );
        assert!(!stdout(&out).is_empty(), "{args:?} printed nothing");
    }
    assert_eq!(fingerprint(&db), before, "the file changed");
    let names: Vec<_> = std::fs::read_dir(&ro)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(names, vec!["sample.db".to_string()], "lock files were left: {names:?}");
    std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o755)).unwrap();
}

#[test]
fn a_read_only_file_in_a_writable_folder_opens_read_only_and_is_unchanged() {
    let Some(_) = as_nobody() else {
        eprintln!("skipped: setpriv is not installed");
        return;
    };
    let top = tempfile::tempdir().unwrap();
    std::fs::set_permissions(top.path(), std::fs::Permissions::from_mode(0o777)).unwrap();
    let db = sample_copy(top.path());
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o444)).unwrap();
    let before = fingerprint(&db);
    let out = as_nobody()
        .unwrap()
        .args(["--no-config", "export", "units", "--format", "csv"])
        .arg(&db)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(fingerprint(&db), before, "the file changed");
    for side in ["sample.db-wal", "sample.db-shm", "sample.db-journal"] {
        assert!(!top.path().join(side).exists(), "{side} was left behind");
    }
}

/// A command that only reads leaves a writable folder as it found it: the
/// `-wal`/`-shm` its read-only connection had to make are removed when it
/// is done (nobody else had the database open).
#[test]
fn commands_that_only_read_leave_no_lock_files_behind() {
    for args in [
        vec!["export", "articles"],
        vec!["check"],
        vec!["--today", "2026-11-30", "alerts"],
        vec!["--today", "2026-11-30", "report", "list"],
        vec![
            "--today",
            "2026-11-30",
            "review",
            "--export",
            "md",
            "--quarter",
            "2026Q3",
        ],
    ] {
        let dir = tempfile::tempdir().unwrap();
        let db = sample_copy(dir.path());
        let before = fingerprint(&db);
        let out = dudao().args(&args).arg(&db).output().unwrap();
        assert!(matches!(out.status.code(), Some(0 | 5)), "{args:?}: {}", stderr(&out));
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        assert_eq!(names, vec!["sample.db".to_string()], "{args:?} left {names:?}");
        assert_eq!(fingerprint(&db).0, before.0, "{args:?} changed the file");
    }
}
