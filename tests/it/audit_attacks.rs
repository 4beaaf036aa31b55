//! The audit log as an attacker with write access to the database file
//! would try it (the sqlite3 shell, no dudao involved): each attack is
//! refused or makes `dudao check` fail with a line saying what happened.
//! `check` reports every failing check and never stops at the first.

use crate::common::pty;

use std::path::{Path, PathBuf};

use crate::common::*;
use pty::Pty;
use rusqlite::Connection;
use sha2::{Digest, Sha256};

/// A copy of sample.db after three changes through the command line (so
/// the anchor has seen several commits).
fn anchored() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = sample_copy(dir.path());
    for args in [
        &["remind", "M85"][..],
        &["report", "note", "R1-2026-10", "--text", "第一条"],
        &["report", "accept", "R1-2026-10"],
        &["report", "note", "R2-2026-10", "--text", "标记MARK科技"],
    ] {
        let out = dudao_en()
            .args(["--today", "2026-11-30"])
            .args(args)
            .arg(&db)
            .output()
            .unwrap();
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    }
    assert!(Path::new(&format!("{}.audit-head", db.display())).exists());
    (dir, db)
}

fn check(db: &Path) -> (i32, String) {
    let out = dudao_en().arg("check").arg(db).output().unwrap();
    let s = stdout(&out);
    assert!(!stderr(&out).contains("database error"), "{}", stderr(&out));
    (out.status.code().unwrap(), s)
}

/// The FAIL block of one check: its FAIL line and the lines under it.
fn failed(report: &str, name: &str) -> Option<String> {
    let mut lines = report.lines();
    lines.find(|l| l.starts_with("FAIL") && l.contains(name))?;
    Some(
        lines
            .take_while(|l| l.starts_with("      "))
            .collect::<Vec<_>>()
            .join("\n"),
    )
}

/// The attacker's shell: a plain connection (no dudao pragmas).
fn shell(db: &Path) -> Connection {
    Connection::open(db).unwrap()
}

/// The audit log's triggers: (name, SQL).
fn triggers(c: &Connection) -> Vec<(String, String)> {
    let mut s = c
        .prepare("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_log'")
        .unwrap();
    s.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(|r| r.unwrap())
        .collect()
}

/// Runs `sql` with the append-only triggers dropped, then puts them back
/// exactly as they were (so the schema check alone cannot see it).
fn behind_triggers(db: &Path, sql: &str) {
    let c = shell(db);
    let saved = triggers(&c);
    for (name, _) in &saved {
        c.execute_batch(&format!("DROP TRIGGER {name}")).unwrap();
    }
    c.execute_batch(sql).unwrap();
    for (_, t) in saved {
        c.execute_batch(&t).unwrap();
    }
}

fn max_id(db: &Path) -> i64 {
    shell(db)
        .query_row("SELECT max(id) FROM audit_log", [], |r| r.get(0))
        .unwrap()
}

#[test]
fn an_untouched_anchored_database_passes() {
    let (_d, db) = anchored();
    let (code, out) = check(&db);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("ok    audit log anchor"), "{out}");
}

#[test]
fn removing_the_newest_rows_fails_check() {
    for n in [1, 3] {
        let (_d, db) = anchored();
        let m = max_id(&db);
        behind_triggers(&db, &format!("DELETE FROM audit_log WHERE id > {}", m - n));
        let (code, out) = check(&db);
        assert_eq!(code, 1, "{out}");
        let block = failed(&out, "audit log anchor").unwrap_or_else(|| panic!("{out}"));
        assert!(block.contains(&format!("audit row {m} is missing")), "{block}");
        // The chain itself still holds: only the anchor can tell.
        assert!(out.contains("ok    audit log hash chain"), "{out}");
    }
}

#[test]
fn removing_every_row_fails_check() {
    let (_d, db) = anchored();
    behind_triggers(&db, "DELETE FROM audit_log");
    let (code, out) = check(&db);
    assert_eq!(code, 1, "{out}");
    let block = failed(&out, "audit log anchor").unwrap_or_else(|| panic!("{out}"));
    assert!(block.contains("is missing"), "{block}");
}

#[test]
fn removing_the_anchor_file_of_an_anchored_database_fails_check() {
    let (_d, db) = anchored();
    std::fs::remove_file(format!("{}.audit-head", db.display())).unwrap();
    let (code, out) = check(&db);
    assert_eq!(code, 1, "{out}");
    assert!(
        failed(&out, "audit log anchor").unwrap().contains("is missing"),
        "{out}"
    );
}

#[test]
fn insert_or_replace_on_an_audit_id_is_refused() {
    let (_d, db) = anchored();
    let replace = "INSERT OR REPLACE INTO audit_log
        (id, at, uid, user, action, entity, entity_id, result, prev_hash, hash)
        SELECT id, at, 0, 'mallory', action, entity, entity_id, result, prev_hash, hash FROM audit_log WHERE id = 2";
    // The attacker's shell (recursive_triggers off): the BEFORE INSERT guard.
    let e = shell(&db).execute(replace, []).unwrap_err();
    assert!(e.to_string().contains("append-only"), "{e}");
    // A dudao connection (recursive_triggers on) refuses it as well.
    let c = dudao::db::open(&db, dudao::db::Mode::ReadWrite).unwrap();
    let e = c.execute(replace, []).unwrap_err();
    assert!(e.to_string().contains("append-only"), "{e}");
    let user: String = c
        .query_row("SELECT user FROM audit_log WHERE id = 2", [], |r| r.get(0))
        .unwrap();
    assert_ne!(user, "mallory");
    // Appending a row stays possible.
    let n: i64 = c.query_row("SELECT count(*) FROM audit_log", [], |r| r.get(0)).unwrap();
    assert_eq!(n, max_id(&db));
}

#[test]
fn dropping_the_triggers_fails_check() {
    let (_d, db) = anchored();
    shell(&db)
        .execute_batch("DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;")
        .unwrap();
    let (code, out) = check(&db);
    assert_eq!(code, 1, "{out}");
    let block = failed(&out, "schema as created").unwrap_or_else(|| panic!("{out}"));
    assert!(block.contains("trigger audit_log_no_update is missing"), "{block}");
    assert!(block.contains("trigger audit_log_no_delete is missing"), "{block}");
}

#[test]
fn a_changed_or_added_trigger_fails_check() {
    let (_d, db) = anchored();
    shell(&db)
        .execute_batch(
            "DROP TRIGGER audit_log_no_update;
             CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log WHEN 0 BEGIN SELECT 1; END;
             CREATE TRIGGER sneaky AFTER INSERT ON audit_log BEGIN SELECT 1; END;",
        )
        .unwrap();
    let (_, out) = check(&db);
    let block = failed(&out, "schema as created").unwrap_or_else(|| panic!("{out}"));
    assert!(block.contains("trigger audit_log_no_update differs"), "{block}");
    assert!(block.contains("trigger sneaky was not created by dudao"), "{block}");
}

fn hash(parts: &[String]) -> String {
    let mut h = Sha256::new();
    for p in parts {
        h.update(p.as_bytes());
        h.update([0x1f]);
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

type Row = (
    i64,
    String,
    i64,
    String,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    String,
    // The item's state the row records (part of its hash when present).
    Option<String>,
);

fn rows(c: &Connection, from: i64) -> Vec<Row> {
    let mut s = c
        .prepare(
            "SELECT id, at, uid, user, action, entity, entity_id, old_value, new_value, result, state
             FROM audit_log WHERE id >= ?1 ORDER BY id",
        )
        .unwrap();
    s.query_map([from], |r| {
        Ok((
            r.get(0)?,
            r.get(1)?,
            r.get(2)?,
            r.get(3)?,
            r.get(4)?,
            r.get(5)?,
            r.get(6)?,
            r.get(7)?,
            r.get(8)?,
            r.get(9)?,
            r.get(10)?,
        ))
    })
    .unwrap()
    .map(|r| r.unwrap())
    .collect()
}

fn row_hash(prev: &str, r: &Row) -> String {
    let mut parts = vec![
        prev.into(),
        r.1.clone(),
        r.2.to_string(),
        r.3.clone(),
        r.4.clone(),
        r.5.clone(),
        r.6.clone(),
        r.7.clone().unwrap_or("\u{0}".into()),
        r.8.clone().unwrap_or("\u{0}".into()),
        r.9.clone(),
    ];
    parts.extend(r.10.clone());
    hash(&parts)
}

#[test]
fn rewriting_a_row_and_rehashing_the_chain_fails_check() {
    let (_d, db) = anchored();
    let m = max_id(&db);
    let target = m - 2;
    let c = shell(&db);
    let prev: String = c
        .query_row("SELECT hash FROM audit_log WHERE id = ?1", [target - 1], |r| r.get(0))
        .unwrap();
    let mut sql = String::new();
    let mut prev = prev;
    for mut r in rows(&c, target) {
        if r.0 == target {
            r.3 = "someone-else".into();
        }
        let h = row_hash(&prev, &r);
        sql.push_str(&format!(
            "UPDATE audit_log SET user = '{}', prev_hash = '{prev}', hash = '{h}' WHERE id = {};",
            r.3, r.0
        ));
        prev = h;
    }
    drop(c);
    behind_triggers(&db, &sql);
    let (code, out) = check(&db);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("ok    audit log hash chain"),
        "the forgery is a valid chain: {out}"
    );
    let block = failed(&out, "audit log anchor").unwrap_or_else(|| panic!("{out}"));
    assert!(block.contains(&format!("audit row {m} differs")), "{block}");
}

#[test]
fn appending_a_row_with_any_user_fails_check() {
    let (_d, db) = anchored();
    let c = shell(&db);
    let prev: String = c
        .query_row("SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1", [], |r| r.get(0))
        .unwrap();
    let r: Row = (
        0,
        "2026-11-30T08:00:00Z".into(),
        0,
        "root".into(),
        "accept".into(),
        "report".into(),
        "1:2026-10".into(),
        None,
        Some("{}".into()),
        "ok".into(),
        None,
    );
    let h = row_hash(&prev, &r);
    c.execute(
        "INSERT INTO audit_log (at, uid, user, action, entity, entity_id, old_value, new_value, result, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        rusqlite::params![r.1, r.2, r.3, r.4, r.5, r.6, r.7, r.8, r.9, prev, h],
    )
    .unwrap();
    drop(c);
    let (code, out) = check(&db);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("ok    audit log hash chain"), "{out}");
    let block = failed(&out, "audit log anchor").unwrap_or_else(|| panic!("{out}"));
    assert!(
        block.contains("after the anchored head (id ") && block.contains("1 audit row(s) were not written"),
        "{block}"
    );
}

#[test]
fn a_flipped_byte_in_a_text_cell_is_named() {
    let (_d, db) = anchored();
    // The note is in the main file (the last connection checkpointed on close).
    let mut bytes = std::fs::read(&db).unwrap();
    let needle = "标记MARK科技".as_bytes();
    let at = bytes
        .windows(needle.len())
        .position(|w| w == needle)
        .expect("note text in the file");
    // The first byte of 科 (0xE7) becomes 0xFF: no longer UTF-8.
    bytes[at + "标记MARK".len()] = 0xFF;
    std::fs::write(&db, &bytes).unwrap();
    let (code, out) = check(&db);
    assert_eq!(code, 1, "{out}");
    let block = failed(&out, "valid UTF-8").unwrap_or_else(|| panic!("{out}"));
    // Whichever row held those bytes (the note or its audit row) is named
    // with its table, row and column.
    let named = block.lines().any(|l| {
        let l = l.trim();
        (l.starts_with("notes row ") && l.ends_with("column text: not valid UTF-8 (byte 10)"))
            || (l.starts_with("audit_log row ") && l.contains("column new_value: not valid UTF-8"))
    });
    assert!(named, "{block}");
}

#[test]
fn a_blob_where_text_belongs_is_named_and_every_check_still_runs() {
    let (_d, db) = anchored();
    let m = max_id(&db);
    shell(&db)
        .execute_batch(
            "UPDATE units SET note = X'00FF10' WHERE id = 3; UPDATE reports SET summary = X'41' WHERE id = 5;",
        )
        .unwrap();
    behind_triggers(
        &db,
        &format!(
            "UPDATE audit_log SET user = CAST(user AS BLOB) WHERE id = {m}; DELETE FROM audit_log WHERE id = {m};"
        ),
    );
    shell(&db).execute_batch("DROP TRIGGER audit_log_no_delete;").unwrap();
    let (code, out) = check(&db);
    assert_eq!(code, 1, "{out}");
    let block = failed(&out, "valid UTF-8").unwrap_or_else(|| panic!("{out}"));
    assert!(
        block.contains("units row 3 column note: a BLOB where text is expected"),
        "{block}"
    );
    assert!(block.contains("reports row 5 column summary: a BLOB"), "{block}");
    // Each failing check has its own FAIL line; every check is listed.
    assert!(failed(&out, "schema as created").is_some(), "{out}");
    assert!(failed(&out, "audit log anchor").is_some(), "{out}");
    let listed = out
        .lines()
        .filter(|l| l.starts_with("ok") || l.starts_with("FAIL"))
        .count();
    let clean = check(&anchored().1).1;
    let all = clean.lines().filter(|l| l.starts_with("ok")).count();
    assert_eq!(listed, all, "{out}");
}

#[test]
fn a_blob_in_the_audit_log_breaks_the_chain_without_a_database_error() {
    let (_d, db) = anchored();
    behind_triggers(
        &db,
        "UPDATE audit_log SET new_value = CAST(new_value AS BLOB) || X'FF' WHERE id = 2",
    );
    let (code, out) = check(&db);
    assert_eq!(code, 1, "{out}");
    assert!(
        failed(&out, "hash chain")
            .unwrap()
            .contains("chain broken at audit row 2"),
        "{out}"
    );
    assert!(
        failed(&out, "valid UTF-8")
            .unwrap()
            .contains("audit_log row 2 column new_value"),
        "{out}"
    );
}

#[test]
fn a_writer_stopped_between_its_anchor_line_and_commit_is_no_false_alarm() {
    let (_d, db) = anchored();
    let anchor = format!("{}.audit-head", db.display());
    // A writer announced rows it never committed (killed before COMMIT)…
    let m = max_id(&db);
    let mut f = std::fs::OpenOptions::new().append(true).open(&anchor).unwrap();
    use std::io::Write;
    writeln!(f, "P {} {}", m + 2, "ab".repeat(32)).unwrap();
    // … and a line cut short by a crash.
    write!(f, "P {} 12", m + 3).unwrap();
    drop(f);
    let (code, out) = check(&db);
    assert_eq!(code, 0, "{out}");
    // The next writer takes those ids for its own rows (its lines start
    // after the cut one): still no alarm.
    for args in [&["remind", "M2"][..], &["remind", "M3", "M15"]] {
        let out = dudao_en()
            .args(["--today", "2026-11-30"])
            .args(args)
            .arg(&db)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
    }
    let (code, out) = check(&db);
    assert_eq!(code, 0, "{out}");
    // The last commit's `C` lost (killed after COMMIT): its `P` still anchors it.
    let text = std::fs::read_to_string(&anchor).unwrap();
    let cut = text.trim_end().rfind('\n').unwrap();
    std::fs::write(&anchor, &text[..=cut]).unwrap();
    let (code, out) = check(&db);
    assert_eq!(code, 0, "{out}");
}

/// What the anchor next to the database cannot catch, and what a copy of
/// it kept elsewhere (or the system log's lines) does: someone who can
/// write both files rewrites a row, re-hashes the chain and forges the
/// anchor to match.
#[test]
fn a_forger_of_both_files_is_caught_by_an_anchor_copy_kept_elsewhere() {
    let (d, db) = anchored();
    let anchor = format!("{}.audit-head", db.display());
    // Yesterday's copy, and the same heads as the system log shows them.
    let offsite = d.path().join("offsite.audit-head");
    std::fs::copy(&anchor, &offsite).unwrap();
    let journal = d.path().join("journal.txt");
    let lines: String = std::fs::read_to_string(&anchor)
        .unwrap()
        .lines()
        .filter(|l| l.starts_with("C "))
        .map(|l| format!("Dec 04 08:00:00 host dudao-audit[42]: {}: {l}\n", db.display()))
        .collect();
    std::fs::write(&journal, lines).unwrap();
    // Work goes on.
    for id in ["M2", "M3"] {
        let out = dudao_en()
            .args(["--today", "2026-11-30", "remind", id])
            .arg(&db)
            .output()
            .unwrap();
        assert!(out.status.success());
    }
    let with = |copies: &[&Path]| {
        let mut c = dudao_en();
        c.arg("check").arg(&db);
        for p in copies {
            c.arg("--anchor").arg(p);
        }
        let out = c.output().unwrap();
        (out.status.code().unwrap(), stdout(&out))
    };
    let (code, out) = with(&[&offsite, &journal]);
    assert_eq!(code, 0, "{out}");
    assert_eq!(
        out.matches("ok    audit log against the anchor copy").count(),
        2,
        "{out}"
    );
    // The forgery: row 2 rewritten, the chain after it re-hashed, the
    // anchor next to the database rewritten with the new hashes.
    let c = shell(&db);
    let mut prev: String = c
        .query_row("SELECT hash FROM audit_log WHERE id = 1", [], |r| r.get(0))
        .unwrap();
    let mut sql = String::new();
    let mut text = std::fs::read_to_string(&anchor).unwrap();
    for mut r in rows(&c, 2) {
        let old: String = c
            .query_row("SELECT hash FROM audit_log WHERE id = ?1", [r.0], |x| x.get(0))
            .unwrap();
        if r.0 == 2 {
            r.3 = "someone-else".into();
        }
        let h = row_hash(&prev, &r);
        sql.push_str(&format!(
            "UPDATE audit_log SET user = '{}', prev_hash = '{prev}', hash = '{h}' WHERE id = {};",
            r.3, r.0
        ));
        text = text.replace(&old, &h);
        prev = h;
    }
    drop(c);
    behind_triggers(&db, &sql);
    std::fs::write(&anchor, text).unwrap();
    // The anchor beside the database is fooled, as documented…
    let (code, out) = with(&[]);
    assert_eq!(code, 0, "{out}");
    // … the copies kept elsewhere are not.
    let (code, out) = with(&[&offsite, &journal]);
    assert_eq!(code, 1, "{out}");
    assert_eq!(
        out.matches("FAIL  audit log against the anchor copy").count(),
        2,
        "{out}"
    );
    assert!(out.contains("differs from the hash the anchor recorded"), "{out}");
}

#[test]
fn the_anchor_gets_the_database_files_permissions_whatever_the_umask() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let db = sample_copy(dir.path());
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o660)).unwrap();
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg("umask 077 && exec \"$0\" \"$@\"")
        .arg(assert_cmd::cargo::cargo_bin!("dudao"))
        .args(["--no-config", "--today", "2026-11-30", "remind", "M85"])
        .arg(&db)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let mode = std::fs::metadata(format!("{}.audit-head", db.display()))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o660, "{mode:o}");
}

/// Audit rows written through `db::write` (not only the `ops` write path)
/// keep an anchored database's anchor up to date.
#[test]
fn every_audited_write_of_dudao_keeps_the_anchor() {
    let (_d, db) = anchored();
    let mut c = dudao::db::open(&db, dudao::db::Mode::ReadWrite).unwrap();
    dudao::db::write_tx(&mut c, |tx| {
        dudao::db::audit::record(
            tx,
            &dudao::db::audit::Actor::current(),
            &dudao::db::audit::Entry {
                at: &dudao::db::audit::now_utc(),
                action: "test",
                entity: "meta",
                entity_id: "",
                old: None,
                new: None,
                result: "ok",
            },
        )
    })
    .unwrap();
    drop(c);
    let (code, out) = check(&db);
    assert_eq!(code, 0, "{out}");
}

#[test]
fn a_database_reached_through_a_symlink_has_one_anchor_next_to_the_file() {
    let (d, db) = anchored();
    let link = d.path().join("elsewhere");
    std::fs::create_dir(&link).unwrap();
    let via = link.join("office.db");
    std::os::unix::fs::symlink(&db, &via).unwrap();
    let out = dudao_en()
        .args(["--today", "2026-11-30", "remind", "M2"])
        .arg(&via)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!link.join("office.db.audit-head").exists());
    for p in [&db, &via] {
        let (code, out) = check(p);
        assert_eq!(code, 0, "{p:?}: {out}");
    }
}

/// Runs a writing command the way staff do; returns its exit code and stderr.
fn write_cmd(db: &Path, args: &[&str]) -> (i32, String) {
    let out = dudao_en()
        .args(["--today", "2026-11-30"])
        .args(args)
        .arg("--db")
        .arg(db)
        .output()
        .unwrap();
    (out.status.code().unwrap(), stderr(&out))
}

/// Rows cut from the end of the log, then an ordinary write: the new row
/// would take the missing id and its anchor line hide the cut. The write
/// is refused, naming the missing rows, and `check` keeps failing.
#[test]
fn a_cut_log_never_heals_on_the_next_write() {
    let (_d, db) = anchored();
    let m = max_id(&db);
    behind_triggers(&db, &format!("DELETE FROM audit_log WHERE id > {}", m - 2));
    let before = std::fs::read(&db).unwrap();
    for args in [
        &["report", "note", "R3-2026-10", "--text", "掩盖"][..],
        &["remind", "M2"],
        &["snapshot", "--quarter", "2026Q3"],
    ] {
        let (code, err) = write_cmd(&db, args);
        assert_eq!(code, 3, "{args:?}: {err}");
        assert!(
            err.contains(&format!("audit rows {}–{m} are missing", m - 1)) && err.contains("nothing was changed"),
            "{err}"
        );
    }
    assert_eq!(max_id(&db), m - 2, "a row was written");
    let (code, out) = check(&db);
    assert_eq!(code, 1, "{out}");
    assert!(
        failed(&out, "audit log anchor")
            .unwrap()
            .contains(&format!("audit row {m} is missing")),
        "{out}"
    );
    let _ = before;
}

/// The console's `a` on a cut log is refused the same way, and says so.
#[test]
fn the_console_refuses_to_write_to_a_cut_log() {
    let (_d, db) = anchored();
    let m = max_id(&db);
    behind_triggers(&db, &format!("DELETE FROM audit_log WHERE id > {}", m - 1));
    let mut t = Pty::console(&db, &["--today", "2026-11-30", "--lang", "en"]);
    t.wait_for("Inbox");
    t.send(b"a");
    t.wait_for("missing");
    t.send(b"q");
    t.wait_exit();
    assert_eq!(max_id(&db), m - 1, "a row was written");
}

/// Drops a commit's `C` line, as a writer killed between COMMIT and
/// writing it leaves the anchor.
fn lose_last_c(db: &Path) {
    let anchor = format!("{}.audit-head", db.display());
    let text = std::fs::read_to_string(&anchor).unwrap();
    let body = text.trim_end_matches('\n');
    let cut = body.rfind('\n').unwrap();
    assert!(body[cut + 1..].starts_with("C "), "{}", &body[cut + 1..]);
    std::fs::write(&anchor, &text[..=cut]).unwrap();
}

/// Two writers in a row killed after COMMIT and before their `C` line:
/// the second settled the first's `P` under the write lock, so cutting
/// both commits' rows is caught. `check` names a `P` still unsettled.
#[test]
fn the_next_writer_settles_a_dangling_p_line() {
    let (_d, db) = anchored();
    let m = max_id(&db);
    assert_eq!(write_cmd(&db, &["remind", "M2"]).0, 0);
    lose_last_c(&db);
    let (code, out) = check(&db);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("not settled yet"), "{out}");
    assert_eq!(write_cmd(&db, &["remind", "M3"]).0, 0);
    lose_last_c(&db);
    let anchor = std::fs::read_to_string(format!("{}.audit-head", db.display())).unwrap();
    let first = m + 1;
    assert!(
        anchor.lines().any(|l| l.starts_with(&format!("C {first} "))),
        "{anchor}"
    );
    behind_triggers(&db, &format!("DELETE FROM audit_log WHERE id > {m}"));
    let (code, out) = check(&db);
    assert_eq!(code, 1, "{out}");
    assert!(
        failed(&out, "audit log anchor")
            .unwrap()
            .contains(&format!("audit row {first} is missing")),
        "{out}"
    );
}

/// A trigger called `sqlite_…`, made with `PRAGMA writable_schema`, is an
/// object of the schema like any other: `check` names it, and no write
/// runs with it in place (it would rewrite every returned report).
#[test]
fn a_hidden_sqlite_trigger_is_found_and_no_write_runs_under_it() {
    let (_d, db) = anchored();
    let returned = |db: &Path| -> i64 {
        shell(db)
            .query_row("SELECT count(*) FROM reports WHERE status = 'returned'", [], |r| {
                r.get(0)
            })
            .unwrap()
    };
    let before = returned(&db);
    assert!(before > 0);
    let c = shell(&db);
    c.execute_batch(
        "PRAGMA writable_schema = ON;
         INSERT INTO sqlite_schema (type, name, tbl_name, rootpage, sql) VALUES ('trigger', 'sqlite_x', 'audit_log', 0,
           'CREATE TRIGGER sqlite_x AFTER INSERT ON audit_log BEGIN UPDATE reports SET status = ''accepted'' WHERE status = ''returned''; END');
         PRAGMA writable_schema = OFF;",
    )
    .unwrap();
    drop(c);
    let (code, out) = check(&db);
    assert_eq!(code, 1, "{out}");
    let block = failed(&out, "schema as created").unwrap_or_else(|| panic!("{out}"));
    assert!(block.contains("trigger sqlite_x was not created by dudao"), "{block}");
    let (code, err) = write_cmd(&db, &["report", "note", "R3-2026-10", "--text", "x"]);
    assert_eq!(code, 3, "{err}");
    assert!(err.contains("sqlite_x"), "{err}");
    assert_eq!(returned(&db), before, "the hidden trigger ran");
}

/// `INSERT OR REPLACE` with a new id and an existing row's hash would
/// delete that row through the hash's UNIQUE conflict, no trigger firing:
/// refused outright.
#[test]
fn replace_with_a_new_id_and_an_existing_hash_is_refused() {
    let (_d, db) = anchored();
    let m = max_id(&db);
    let sql = format!(
        "INSERT OR REPLACE INTO audit_log (id, at, uid, user, action, entity, entity_id, result, prev_hash, hash)
         SELECT {}, at, 0, 'mallory', action, entity, entity_id, result, prev_hash, hash FROM audit_log WHERE id = 2",
        m + 100
    );
    let e = shell(&db).execute(&sql, []).unwrap_err();
    assert!(e.to_string().contains("append-only"), "{e}");
    let n: i64 = shell(&db)
        .query_row("SELECT count(*) FROM audit_log WHERE id = 2", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 1, "row 2 was deleted");
    assert_eq!(max_id(&db), m);
}

/// The realistic fraud: a direct UPDATE with no audit row. `check` names
/// each item whose rows no longer match its last audited state — an item
/// changed through dudao, and one the demo made and nobody touched since.
#[test]
fn a_direct_update_of_a_report_reminder_note_or_checklist_item_fails_check() {
    let (_d, db) = anchored();
    let c = shell(&db);
    // R1-2026-10 was accepted through dudao; report 3:2026-10 never touched.
    let unit2: i64 = c
        .query_row(
            "SELECT unit_id FROM reports WHERE id = (SELECT min(id) FROM reports WHERE status = 'returned')",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let month2: String = c
        .query_row(
            "SELECT month FROM reports WHERE id = (SELECT min(id) FROM reports WHERE status = 'returned')",
            [],
            |r| r.get(0),
        )
        .unwrap();
    c.execute_batch(&format!(
        "UPDATE reports SET status = 'returned', return_reason = '伪造' WHERE unit_id = 1 AND month = '2026-10';
         UPDATE reports SET status = 'accepted' WHERE unit_id = {unit2} AND month = '{month2}' AND status = 'returned';
         UPDATE reminders SET note = '改过' WHERE id = (SELECT min(id) FROM reminders);
         UPDATE notes SET text = '改过' WHERE id = (SELECT max(id) FROM notes);
         UPDATE authority_items SET status = 'undertaken', doc_no = '藏政〔2026〕1号' WHERE id = 1;"
    ))
    .unwrap();
    let (reminder_entity, reminder_key): (String, String) = c
        .query_row(
            "SELECT entity, entity_key FROM reminders WHERE id = (SELECT min(id) FROM reminders)",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    drop(c);
    let (code, out) = check(&db);
    assert_eq!(code, 1, "{out}");
    let block = failed(&out, "as its last audited change left it").unwrap_or_else(|| panic!("{out}"));
    for needle in [
        "report 1:2026-10".to_string(),
        format!("report {unit2}:{month2}"),
        format!("{reminder_entity} {reminder_key}"),
        "report 2:2026-10".to_string(),
        "authority 1 ".to_string(),
    ] {
        assert!(block.contains(&needle), "{needle} not named:\n{block}");
    }
}

/// Every command that writes leaves a file that passes `check`: the
/// snapshot among them (it used to commit outside the anchored path).
#[test]
fn check_passes_after_every_command_that_writes() {
    let (d, db) = anchored();
    let file = d.path().join("r.toml");
    let template = dudao_en()
        .args(["template", "report", "--unit", "文化厅", "--month", "2026-11"])
        .output()
        .unwrap();
    std::fs::write(&file, &template.stdout).unwrap();
    let file = file.to_str().unwrap().to_string();
    let commands: Vec<Vec<&str>> = vec![
        vec!["snapshot", "--quarter", "2026Q3"],
        vec!["report", "accept", "R5-2026-10"],
        vec![
            "report",
            "return",
            "R6-2026-10",
            "--reason",
            "补充数据",
            "--resubmit-by",
            "2026-12-10",
        ],
        vec!["report", "note", "R7-2026-10", "--text", "电话确认"],
        vec!["remind", "M4"],
        vec!["extend", "M5", "--to", "2027-01-15", "--reason", "等待批复"],
        vec!["done", "M6", "--note", "已完成"],
        vec!["snooze", "M7", "--until", "2026-12-20"],
        vec!["escalate", "M8", "--note", "提请领导小组"],
        vec!["authority", "set-status", "A1", "submitted"],
        vec!["measure", "set", "M9", "--due", "2027-02-01"],
        vec!["import", &file],
    ];
    for args in &commands {
        let (code, err) = write_cmd(&db, args);
        assert!(code == 0 || code == 4, "{args:?}: {code} {err}");
        let (code, out) = check(&db);
        assert_eq!(code, 0, "after {args:?}:\n{out}");
    }
}
