//! The audit log's anchor outside the database: a small append-only text
//! file next to it (`NAME.audit-head`) that remembers the log's head.
//!
//! The hash chain proves the rows hang together, but nothing inside the
//! file can prove that rows were not cut from the end, or that the whole
//! chain was not rewritten and re-hashed. So every commit of the write path
//! appends two lines here:
//!
//! - `P id hash` inside the write transaction, after its audit rows and
//!   before COMMIT (flushed to disk): the head about to be committed;
//! - `C id hash` after COMMIT: it was committed.
//!
//! `dudao check` then requires every row the anchor saw committed to exist
//! with the same hash, and no row after the newest anchored one. A `P`
//! without its `C` is a writer stopped between the two lines (a crash, a
//! `kill -9`): it may have committed (then its row has that hash and counts
//! as anchored) or not (then the next writer's rows took its ids); it is no
//! evidence either way.
//!
//! What this does not catch, by design: a person who can write both the
//! database and this file (any staff account has to, to work) and forges
//! both consistently. The README's "Data safety" section says so.

use std::io::Write;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OptionalExtension, Transaction, types::ValueRef};

use super::{DbError, Result};

/// Appended to the database file's name.
pub const SUFFIX: &str = ".audit-head";
/// The `meta` key set once a database has an anchor (its absence then fails `check`).
pub const META_KEY: &str = "audit_anchor";

/// The anchor file of the database at `db`.
pub fn path_for(db: &Path) -> PathBuf {
    let mut p = db.as_os_str().to_owned();
    p.push(SUFFIX);
    PathBuf::from(p)
}

fn db_path(conn: &Connection) -> Option<PathBuf> {
    conn.path().filter(|p| !p.is_empty()).map(PathBuf::from)
}

/// The newest audit row: its id and hash.
pub fn head(conn: &Connection) -> Result<Option<(i64, String)>> {
    Ok(conn
        .query_row("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()?)
}

/// A `P` line written; [`Pending::committed`] adds its `C`.
#[derive(Debug)]
pub struct Pending {
    file: PathBuf,
    db: PathBuf,
    id: i64,
    hash: String,
}

impl Pending {
    /// Records that the transaction committed. Best effort: a missing `C`
    /// only makes the removal of that one commit's rows undetectable.
    pub fn committed(self) {
        let _ = append(&self.file, &self.db, &format!("C {} {}\n", self.id, self.hash), false);
    }
}

/// Inside a write transaction, after its audit rows: marks the database
/// as anchored and appends the `P` line. An anchor that cannot be written
/// fails the transaction (nothing is changed).
pub fn prepare(tx: &Connection) -> Result<Option<Pending>> {
    let Some(db) = db_path(tx) else {
        return Ok(None);
    };
    let Some((id, hash)) = head(tx)? else {
        return Ok(None);
    };
    let file = path_for(&db);
    if super::meta(tx, META_KEY)?.is_none() {
        let name = file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        tx.execute("INSERT INTO meta (key, value) VALUES (?1, ?2)", [META_KEY, &name])?;
    }
    append(&file, &db, &format!("P {id} {hash}\n"), true).map_err(|e| DbError::Anchor {
        path: file.clone(),
        error: e,
    })?;
    Ok(Some(Pending { file, db, id, hash }))
}

/// Commits `tx` with the anchor's two lines around it.
pub fn commit(tx: Transaction<'_>) -> Result<()> {
    let pending = prepare(&tx)?;
    tx.commit()?;
    if let Some(p) = pending {
        p.committed();
    }
    Ok(())
}

/// Anchors a database that has none yet (a new one made by `init`).
pub fn start(conn: &mut Connection) -> Result<()> {
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    commit(tx)
}

/// Appends one line in one `write` (O_APPEND: lines of several processes
/// never interleave). A new file gets the database file's permissions, as
/// SQLite gives its `-wal` and `-shm`, so everyone who can write the
/// database can write its anchor.
fn append(file: &Path, db: &Path, line: &str, sync: bool) -> std::io::Result<()> {
    let mode = std::fs::metadata(db)
        .map(|m| m.permissions().mode() & 0o666)
        .unwrap_or(0o660);
    let existed = file.exists();
    let mut f = std::fs::OpenOptions::new()
        .read(true)
        .append(true)
        .create(true)
        .mode(mode)
        .custom_flags(libc::O_NOFOLLOW)
        .open(file)?;
    if !existed {
        // The umask may have taken group write away.
        let _ = f.set_permissions(std::fs::Permissions::from_mode(mode));
        let header =
            "# dudao audit anchor: P id hash = about to commit, C id hash = committed. Keep with the database.\n";
        f.write_all(format!("{header}{line}").as_bytes())?;
        if let Some(dir) = file.parent().filter(|d| !d.as_os_str().is_empty())
            && let Ok(d) = std::fs::File::open(dir)
        {
            let _ = d.sync_all();
        }
    } else {
        // A line cut short by a crash is closed first, so this one stays whole.
        use std::io::{Read, Seek, SeekFrom};
        let mut last = [b'\n'];
        if f.seek(SeekFrom::End(-1)).is_ok() {
            f.read_exact(&mut last)?;
        }
        if last[0] == b'\n' {
            f.write_all(line.as_bytes())?;
        } else {
            f.write_all(format!("\n{line}").as_bytes())?;
        }
    }
    if sync {
        f.sync_data()?;
    }
    Ok(())
}

/// One anchored head.
#[derive(Debug, Clone)]
struct Mark {
    hash: String,
    committed: bool,
}

/// What [`verify`] found: problems (each a FAIL line) and a summary.
#[derive(Debug, Default)]
pub struct Verdict {
    pub problems: Vec<String>,
    pub summary: String,
}

/// Compares the database's audit log with its anchor file.
pub fn verify(conn: &Connection) -> Result<Verdict> {
    let mut v = Verdict::default();
    let Some(db) = db_path(conn) else {
        v.summary = "in-memory database, no anchor".into();
        return Ok(v);
    };
    let file = path_for(&db);
    let shown = crate::text::sanitize(&file.display().to_string()).into_owned();
    let marked = super::meta(conn, META_KEY).unwrap_or(None).is_some();
    let text = match std::fs::read(&file) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            if marked {
                v.problems.push(format!(
                    "{shown} is missing, but the database was anchored: removed rows at the end of the log cannot be ruled out (keep the anchor with the database; `dudao backup` copies both)"
                ));
            } else {
                v.summary = "not started yet; the first change through dudao starts it".into();
            }
            return Ok(v);
        }
        Err(e) => {
            v.problems.push(format!("{shown}: {e}"));
            return Ok(v);
        }
    };
    let text = String::from_utf8_lossy(&text);
    let mut marks: std::collections::BTreeMap<i64, Mark> = Default::default();
    let mut unreadable = 0;
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    for raw in &lines {
        let torn = !raw.ends_with('\n');
        let line = raw.trim_end_matches('\n');
        if line.starts_with('#') || line.is_empty() {
            continue;
        }
        let parts: Vec<&str> = line.split(' ').collect();
        let parsed = match parts.as_slice() {
            [kind @ ("P" | "C"), id, hash] if hash.len() == 64 && hash.bytes().all(|b| b.is_ascii_hexdigit()) => {
                id.parse::<i64>().ok().map(|id| (*kind == "C", id, hash.to_string()))
            }
            _ => None,
        };
        match parsed {
            Some((committed, id, hash)) if !torn => {
                let e = marks.entry(id).or_insert(Mark {
                    hash: hash.clone(),
                    committed: false,
                });
                if e.hash != hash {
                    // A writer stopped before COMMIT, then the next one used the id.
                    e.hash = hash;
                    e.committed = false;
                }
                e.committed |= committed;
            }
            // A line cut short by a crash is no evidence either way.
            _ => unreadable += 1,
        }
    }
    if !marked {
        v.problems.push(format!(
            "{shown} exists but the database does not record being anchored (meta {META_KEY} removed?)"
        ));
    }
    let mut stmt = conn.prepare("SELECT hash FROM audit_log WHERE id = ?1")?;
    let mut bad = Vec::new();
    // The newest row the anchor vouches for.
    let mut anchored = 0;
    for (id, m) in &marks {
        let stored: Option<Vec<u8>> = stmt
            .query_row([id], |r| {
                Ok(match r.get_ref(0)? {
                    ValueRef::Text(b) | ValueRef::Blob(b) => b.to_vec(),
                    _ => Vec::new(),
                })
            })
            .optional()?;
        let same = stored.as_deref() == Some(m.hash.as_bytes());
        if same || m.committed {
            anchored = anchored.max(*id);
        }
        // A `P` without its `C` is no evidence: that writer may have been
        // stopped before COMMIT, and the next one wrote other rows there.
        // A later committed head covers those rows through the chain.
        match stored {
            None if m.committed => bad.push(format!(
                "audit row {id} is missing: the anchor saw it committed (rows removed from the log)"
            )),
            Some(_) if m.committed && !same => bad.push(format!(
                "audit row {id} differs from the hash the anchor recorded (the log was rewritten)"
            )),
            _ => {}
        }
    }
    let total = bad.len();
    v.problems.extend(bad.into_iter().take(20));
    if total > 20 {
        v.problems.push(format!("… and {} more anchored rows", total - 20));
    }
    let (count, max): (i64, i64) = conn.query_row("SELECT count(*), COALESCE(max(id), 0) FROM audit_log", [], |r| {
        Ok((r.get(0)?, r.get(1)?))
    })?;
    if max > anchored {
        let extra: i64 = conn.query_row("SELECT count(*) FROM audit_log WHERE id > ?1", [anchored], |r| r.get(0))?;
        v.problems.push(format!(
            "{extra} audit row(s) after the anchored head (id {anchored}) were not written through dudao's write path"
        ));
    }
    if count != max {
        v.problems.push(format!(
            "audit ids are not contiguous: {count} rows, newest id {max} (rows removed)"
        ));
    }
    v.summary = format!("head id {anchored}, {} commits recorded", marks.len());
    if unreadable > 0 {
        v.summary
            .push_str(&format!(", {unreadable} unreadable line(s) ignored"));
    }
    Ok(v)
}
