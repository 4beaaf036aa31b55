//! The audit log as an attacker with write access to the database file
//! would try it (the sqlite3 shell, no dudao involved): each attack is
//! refused or makes `dudao check` fail with a line saying what happened.
//! `check` reports every failing check and never stops at the first.

mod common;

use std::path::{Path, PathBuf};

use common::*;
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
        let out = dudao()
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
    let out = dudao().arg("check").arg(db).output().unwrap();
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

fn triggers(c: &Connection) -> Vec<String> {
    let mut s = c
        .prepare("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_log'")
        .unwrap();
    s.query_map([], |r| r.get(0)).unwrap().map(|r| r.unwrap()).collect()
}

/// Runs `sql` with the append-only triggers dropped, then puts them back
/// exactly as they were (so the schema check alone cannot see it).
fn behind_triggers(db: &Path, sql: &str) {
    let c = shell(db);
    let saved = triggers(&c);
    c.execute_batch(
        "DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete; DROP TRIGGER audit_log_no_replace;",
    )
    .unwrap();
    c.execute_batch(sql).unwrap();
    for t in saved {
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
);

fn rows(c: &Connection, from: i64) -> Vec<Row> {
    let mut s = c
        .prepare(
            "SELECT id, at, uid, user, action, entity, entity_id, old_value, new_value, result
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
        ))
    })
    .unwrap()
    .map(|r| r.unwrap())
    .collect()
}

fn row_hash(prev: &str, r: &Row) -> String {
    hash(&[
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
    ])
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
    assert!(block.contains("1 audit row(s) after the anchored head"), "{block}");
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
        let out = dudao()
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
