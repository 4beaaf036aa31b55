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

use rusqlite::{Connection, OptionalExtension, types::ValueRef};

use super::{DbError, Result};

/// Appended to the database file's name.
pub const SUFFIX: &str = ".audit-head";
/// The `meta` key set once a database has an anchor (its absence then fails `check`).
pub const META_KEY: &str = "audit_anchor";

/// The anchor file of the database at `db`: next to the file itself, when
/// `db` is a symlink to it, so that every way to the file shares one anchor.
pub fn path_for(db: &Path) -> PathBuf {
    let db = std::fs::canonicalize(db).unwrap_or_else(|_| db.to_path_buf());
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
        let line = format!("C {} {}", self.id, self.hash);
        let _ = append(&self.file, &self.db, &format!("{line}\n"), false);
        to_syslog(&self.db, &line);
    }
}

/// Sends the committed head to the system log (journald, rsyslog), which
/// staff cannot rewrite: `journalctl -t dudao-audit -o cat` gives lines
/// `check --anchor` reads. Nothing happens where there is no system log.
fn to_syslog(db: &Path, line: &str) {
    static OPEN: std::sync::Once = std::sync::Once::new();
    OPEN.call_once(|| {
        // SAFETY: the ident is a static NUL-terminated string.
        unsafe { libc::openlog(c"dudao-audit".as_ptr(), libc::LOG_PID, libc::LOG_USER) };
    });
    let db = std::path::absolute(db).unwrap_or_else(|_| db.to_path_buf());
    let msg = format!("{}: {line}", crate::text::one_line(&db.display().to_string()));
    if let Ok(c) = std::ffi::CString::new(msg) {
        // SAFETY: a constant format taking one NUL-terminated string.
        unsafe { libc::syslog(libc::LOG_INFO, c"%s".as_ptr(), c.as_ptr()) };
    }
}

/// True for a database being built under dudao's temporary name (by
/// `init`, `demo` or `restore`): it gets its anchor once in place.
fn under_construction(db: &Path) -> bool {
    db.file_name()
        .is_some_and(|n| n.to_string_lossy().contains(super::TEMP_MARK))
}

/// Inside a write transaction, after its audit rows: marks the database
/// as anchored and appends the `P` line. An anchor that cannot be written
/// fails the transaction (nothing is changed).
pub fn prepare(tx: &Connection) -> Result<Option<Pending>> {
    let Some(db) = db_path(tx) else {
        return Ok(None);
    };
    if under_construction(&db) {
        return Ok(None);
    }
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

/// Anchors a database that has none yet (a new one made by `init`, once
/// it is in place): its head, through the one write path.
pub fn start(conn: &mut Connection) -> Result<()> {
    super::write_tx(conn, |_| Ok(()))
}

/// How much of the anchor's end is read before each write.
const TAIL: u64 = 64 * 1024;

/// Under the write lock, before a change:
/// - the newest head the anchor saw committed must still be in the log
///   with its hash; a log cut or rewritten since is never written to
///   again (a new row would take the missing id and hide the cut);
/// - a `P` line whose writer stopped before its `C` is settled for good:
///   no other writer can be between BEGIN and COMMIT now, so its row is
///   there with that hash (committed: a `C` line is added) or it is not
///   (rolled back: an `R` line). A cut made before this write goes
///   undetected only for that one commit's rows, and only until now.
pub fn before_write(tx: &Connection) -> Result<()> {
    let Some(db) = db_path(tx) else {
        return Ok(());
    };
    if under_construction(&db) {
        return Ok(());
    }
    let file = path_for(&db);
    let text = match read_tail(&file) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(error) => return Err(DbError::Anchor { path: file, error }),
    };
    let lines = parse_lines(&text);
    let stored = |id: i64| -> Result<Option<Vec<u8>>> {
        Ok(tx
            .query_row("SELECT hash FROM audit_log WHERE id = ?1", [id], |r| {
                Ok(match r.get_ref(0)? {
                    ValueRef::Text(b) | ValueRef::Blob(b) => b.to_vec(),
                    _ => Vec::new(),
                })
            })
            .optional()?)
    };
    if let Some(c) = lines.iter().filter(|l| l.kind == Kind::Committed).max_by_key(|l| l.id) {
        match stored(c.id)? {
            None => {
                let max: i64 = tx.query_row("SELECT COALESCE(max(id), 0) FROM audit_log", [], |r| r.get(0))?;
                return Err(DbError::Tampered {
                    path: db,
                    what: super::Tamper::RowsMissing {
                        from: (max + 1).min(c.id),
                        to: c.id,
                    },
                });
            }
            Some(h) if h != c.hash.as_bytes() => {
                return Err(DbError::Tampered {
                    path: db,
                    what: super::Tamper::RowRewritten { id: c.id },
                });
            }
            Some(_) => {}
        }
    }
    let settled = |l: &Line| {
        lines
            .iter()
            .any(|o| o.kind != Kind::Pending && o.id == l.id && o.hash == l.hash)
    };
    for p in lines.iter().filter(|l| l.kind == Kind::Pending && !settled(l)) {
        let kind = if stored(p.id)?.as_deref() == Some(p.hash.as_bytes()) {
            "C"
        } else {
            "R"
        };
        append(&file, &db, &format!("{kind} {} {}\n", p.id, p.hash), true).map_err(|error| DbError::Anchor {
            path: file.clone(),
            error,
        })?;
    }
    Ok(())
}

/// The anchor's last [`TAIL`] bytes (whole lines only), or all of it when
/// no committed head is among them.
fn read_tail(file: &Path) -> std::io::Result<String> {
    use std::io::{Read, Seek, SeekFrom};
    let mut f = std::fs::File::open(file)?;
    let len = f.metadata()?.len();
    if len > TAIL {
        f.seek(SeekFrom::Start(len - TAIL))?;
        let mut buf = Vec::with_capacity(TAIL as usize);
        f.read_to_end(&mut buf)?;
        let start = buf.iter().position(|b| *b == b'\n').map_or(buf.len(), |i| i + 1);
        let text = String::from_utf8_lossy(&buf[start..]).into_owned();
        if parse_lines(&text).iter().any(|l| l.kind == Kind::Committed) {
            return Ok(text);
        }
        f.seek(SeekFrom::Start(0))?;
    }
    let mut buf = Vec::new();
    f.read_to_end(&mut buf)?;
    Ok(String::from_utf8_lossy(&buf).into_owned())
}

/// Appends one line in one `write` (O_APPEND: lines of several processes
/// never interleave). A new file gets the database file's permissions, as
/// SQLite gives its `-wal` and `-shm`, so everyone who can write the
/// database can write its anchor.
fn append(file: &Path, db: &Path, line: &str, sync: bool) -> std::io::Result<()> {
    let md = std::fs::metadata(db).ok();
    let mode = md.as_ref().map(|m| m.permissions().mode() & 0o666).unwrap_or(0o660);
    let existed = file.exists();
    let mut f = std::fs::OpenOptions::new()
        .read(true)
        .append(true)
        .create(true)
        .mode(mode)
        .custom_flags(libc::O_NOFOLLOW)
        .open(file)?;
    if !existed {
        // The umask may have taken group write away, and outside a setgid
        // folder the group would be the user's own: the database's it is.
        let _ = f.set_permissions(std::fs::Permissions::from_mode(mode));
        if let Some(m) = &md {
            let _ = std::os::unix::fs::fchown(&f, None, Some(std::os::unix::fs::MetadataExt::gid(m)));
        }
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

/// What a line of the anchor says about a head.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// `P`: about to commit.
    Pending,
    /// `C`: committed (written after COMMIT, or by the next writer that
    /// found the row there).
    Committed,
    /// `R`: the next writer found the row absent: that commit rolled back.
    RolledBack,
}

/// One readable line of the anchor.
#[derive(Debug, Clone)]
struct Line {
    kind: Kind,
    id: i64,
    hash: String,
}

/// The readable lines of an anchor text, in order. A line's last three
/// words count (`P|C|R id hash`), so lines copied from the system log,
/// prefixed with its time and tag, read as well. A line cut short by a
/// crash (no newline) is skipped.
fn parse_lines(text: &str) -> Vec<Line> {
    parse_counting(text).0
}

fn parse_counting(text: &str) -> (Vec<Line>, usize) {
    let mut out = Vec::new();
    let mut unreadable = 0;
    for raw in text.split_inclusive('\n') {
        let torn = !raw.ends_with('\n');
        let line = raw.trim_end_matches('\n').trim_end_matches('\r');
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let words: Vec<&str> = line.split_whitespace().collect();
        let parsed = match words.as_slice() {
            [.., kind @ ("P" | "C" | "R"), id, hash]
                if hash.len() == 64 && hash.bytes().all(|b| b.is_ascii_hexdigit()) =>
            {
                id.parse::<i64>().ok().map(|id| Line {
                    kind: match *kind {
                        "P" => Kind::Pending,
                        "C" => Kind::Committed,
                        _ => Kind::RolledBack,
                    },
                    id,
                    hash: hash.to_string(),
                })
            }
            _ => None,
        };
        match parsed {
            Some(l) if !torn => out.push(l),
            _ => unreadable += 1,
        }
    }
    (out, unreadable)
}

/// One anchored head.
#[derive(Debug, Clone)]
struct Mark {
    hash: String,
    committed: bool,
}

/// The heads in an anchor text: per id, the head the anchor vouches for;
/// the ids seen committed with one hash and then with another (a log cut
/// and written again); the `P` lines never settled; unreadable lines.
struct Marks {
    heads: std::collections::BTreeMap<i64, Mark>,
    rewritten: Vec<i64>,
    unsettled: Vec<(i64, String)>,
    unreadable: usize,
}

fn parse_marks(text: &str) -> Marks {
    let (lines, unreadable) = parse_counting(text);
    let mut heads: std::collections::BTreeMap<i64, Mark> = Default::default();
    let mut rewritten = Vec::new();
    for l in &lines {
        if l.kind == Kind::RolledBack {
            continue;
        }
        let committed = l.kind == Kind::Committed;
        match heads.get_mut(&l.id) {
            None => {
                heads.insert(
                    l.id,
                    Mark {
                        hash: l.hash.clone(),
                        committed,
                    },
                );
            }
            Some(m) if m.hash == l.hash => m.committed |= committed,
            // Once committed, a row is there for good: another head with
            // its id means the log was cut and written again.
            Some(m) if m.committed => {
                if !rewritten.contains(&l.id) {
                    rewritten.push(l.id);
                }
            }
            // A writer stopped before COMMIT, then the next one used the id.
            Some(m) => {
                m.hash = l.hash.clone();
                m.committed = committed;
            }
        }
    }
    let unsettled = lines
        .iter()
        .filter(|l| {
            l.kind == Kind::Pending
                && !lines
                    .iter()
                    .any(|o| o.kind != Kind::Pending && o.id == l.id && o.hash == l.hash)
        })
        .map(|l| (l.id, l.hash.clone()))
        .collect();
    Marks {
        heads,
        rewritten,
        unsettled,
        unreadable,
    }
}

/// What [`verify`] found: problems (each a FAIL line) and a summary.
#[derive(Debug, Default)]
pub struct Verdict {
    pub problems: Vec<String>,
    pub summary: String,
}

/// At most this many anchored rows are listed.
const MAX_LISTED: usize = 20;

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
    let marks = parse_marks(&String::from_utf8_lossy(&text));
    if !marked {
        v.problems.push(format!(
            "{shown} exists but the database does not record being anchored (meta {META_KEY} removed?)"
        ));
    }
    let (bad, anchored) = compare(conn, &marks)?;
    let total = bad.len();
    v.problems.extend(bad.into_iter().take(MAX_LISTED));
    if total > MAX_LISTED {
        v.problems
            .push(format!("… and {} more anchored rows", total - MAX_LISTED));
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
    v.summary = format!("head id {anchored}, {} commits recorded", marks.heads.len());
    for (id, hash) in &marks.unsettled {
        let there = conn
            .query_row("SELECT hash FROM audit_log WHERE id = ?1", [id], |r| {
                r.get::<_, String>(0)
            })
            .optional()
            .ok()
            .flatten()
            .is_some_and(|h| h == *hash);
        v.summary.push_str(&format!(
            "; P line of row {id} not settled yet ({}; the next write settles it)",
            if there {
                "the row is there with that hash: committed"
            } else {
                "the row is absent: rolled back, or cut since"
            }
        ));
    }
    if marks.unreadable > 0 {
        v.summary
            .push_str(&format!(", {} unreadable line(s) ignored", marks.unreadable));
    }
    Ok(v)
}

/// Each committed head that the log no longer has, or has with another
/// hash, and each id the anchor saw committed twice with different
/// hashes; and the newest row the marks vouch for.
fn compare(conn: &Connection, marks: &Marks) -> Result<(Vec<String>, i64)> {
    let mut stmt = conn.prepare("SELECT hash FROM audit_log WHERE id = ?1")?;
    let mut bad = Vec::new();
    let mut anchored = 0;
    for id in &marks.rewritten {
        bad.push(format!(
            "audit row {id} was committed, then the anchor saw another row {id}: rows were cut from the log and written again"
        ));
    }
    for (id, m) in &marks.heads {
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
    Ok((bad, anchored))
}

/// Compares the log with a copy of its anchor kept elsewhere (an older
/// copy, or `C` lines taken from the system log): every head it saw
/// committed must still be there with the same hash. Rows written after
/// the copy was made are not its business.
pub fn verify_copy(conn: &Connection, copy: &Path) -> Result<Verdict> {
    let mut v = Verdict::default();
    let shown = crate::text::sanitize(&copy.display().to_string()).into_owned();
    let text = match std::fs::read(copy) {
        Ok(t) => t,
        Err(e) => {
            v.problems.push(format!("{shown}: {e}"));
            return Ok(v);
        }
    };
    let marks = parse_marks(&String::from_utf8_lossy(&text));
    let committed = marks.heads.values().filter(|m| m.committed).count();
    if committed == 0 {
        v.problems.push(format!("{shown}: no committed head (C id hash) in it"));
        return Ok(v);
    }
    let (bad, anchored) = compare(conn, &marks)?;
    let total = bad.len();
    v.problems.extend(bad.into_iter().take(MAX_LISTED));
    if total > MAX_LISTED {
        v.problems
            .push(format!("… and {} more anchored rows", total - MAX_LISTED));
    }
    v.summary = format!("{shown}: head id {anchored}, {committed} commits");
    if marks.unreadable > 0 {
        v.summary
            .push_str(&format!(", {} other line(s) ignored", marks.unreadable));
    }
    Ok(v)
}
