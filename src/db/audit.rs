//! The append-only audit log: who (OS uid from `getuid()`), when, what, old
//! and new values, result; each row hashes the previous one.

use rusqlite::{Connection, OptionalExtension, params};
use sha2::{Digest, Sha256};

use super::Result;
use crate::domain::account::Person;

/// The person behind a change: the OS user, from the operating system,
/// never from input; and, in a session that came in by a key line naming
/// a person (`--as`), that person with their role and key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub uid: i64,
    pub user: String,
    pub person: Option<Person>,
}

static SESSION: std::sync::OnceLock<Person> = std::sync::OnceLock::new();

/// Fixes the person this process runs as, once, at start (the key line's
/// `--as`, checked against the accounts). Every change it makes is theirs.
pub fn set_session_person(p: Person) -> bool {
    SESSION.set(p).is_ok()
}

/// The person this process runs as, if a key line named one.
pub fn session_person() -> Option<&'static Person> {
    SESSION.get()
}

impl Actor {
    /// The OS user running this process (`getuid()` and the password
    /// database), and the session's person if there is one.
    pub fn current() -> Actor {
        // SAFETY: getuid has no preconditions.
        let uid = unsafe { libc::getuid() };
        Actor {
            uid: uid as i64,
            user: user_name(uid).unwrap_or_else(|| format!("uid{uid}")),
            person: session_person().cloned(),
        }
    }

    /// The fixed identity the demo generator records, so sample data is reproducible.
    pub fn demo() -> Actor {
        Actor {
            uid: -1,
            user: "dudao-demo".into(),
            person: None,
        }
    }

    /// An OS user with no session person (as stored in older rows).
    pub fn os(uid: i64, user: impl Into<String>) -> Actor {
        Actor {
            uid,
            user: user.into(),
            person: None,
        }
    }
}

pub(crate) fn user_name(uid: libc::uid_t) -> Option<String> {
    let mut buf = vec![0 as libc::c_char; 4096];
    // SAFETY: pwd and buf are owned and sized; getpwuid_r writes within them.
    let mut pwd: libc::passwd = unsafe { std::mem::zeroed() };
    let mut result: *mut libc::passwd = std::ptr::null_mut();
    let rc = unsafe { libc::getpwuid_r(uid, &mut pwd, buf.as_mut_ptr(), buf.len(), &mut result) };
    if rc != 0 || result.is_null() {
        return None;
    }
    // SAFETY: pw_name points into buf and is NUL-terminated on success.
    let name = unsafe { std::ffi::CStr::from_ptr(pwd.pw_name) };
    Some(name.to_string_lossy().into_owned())
}

/// One audit entry to append.
#[derive(Debug, Clone)]
pub struct Entry<'a> {
    pub at: &'a str,
    pub action: &'a str,
    pub entity: &'a str,
    pub entity_id: &'a str,
    pub old: Option<serde_json::Value>,
    pub new: Option<serde_json::Value>,
    /// `ok`, `conflict`, `rejected`, …
    pub result: &'a str,
}

const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What a row's hash covers, besides the previous row's hash.
struct Fields<'a> {
    at: &'a str,
    uid: i64,
    user: &'a str,
    action: &'a str,
    entity: &'a str,
    entity_id: &'a str,
    old: Option<&'a str>,
    new: Option<&'a str>,
    result: &'a str,
    /// Rows written before item states were recorded have none, and hash
    /// as they always did.
    state: Option<&'a str>,
    /// The session's person and key fingerprint; rows without either hash
    /// as they always did.
    person: Option<&'a str>,
    key_fp: Option<&'a str>,
}

fn row_hash(prev: &str, f: &Fields) -> String {
    let uid = f.uid.to_string();
    let mut parts: Vec<&[u8]> = vec![
        prev.as_bytes(),
        f.at.as_bytes(),
        uid.as_bytes(),
        f.user.as_bytes(),
        f.action.as_bytes(),
        f.entity.as_bytes(),
        f.entity_id.as_bytes(),
        f.old.unwrap_or("\u{0}").as_bytes(),
        f.new.unwrap_or("\u{0}").as_bytes(),
        f.result.as_bytes(),
    ];
    if let Some(s) = f.state {
        parts.push(s.as_bytes());
    }
    person_parts(&mut parts, f.state, f.person, f.key_fp);
    hash_parts(&parts)
}

/// The person's part of a row's hash: nothing when the row names none;
/// else a mark, the state's place (kept, so a row with a person and no
/// state cannot hash as one with a state), the person and the key.
fn person_parts<'a>(parts: &mut Vec<&'a [u8]>, state: Option<&'a str>, person: Option<&'a str>, key: Option<&'a str>) {
    if person.is_none() && key.is_none() {
        return;
    }
    if state.is_none() {
        parts.push(b"\0nostate");
    }
    parts.push(b"\0person");
    parts.push(person.unwrap_or("").as_bytes());
    parts.push(key.unwrap_or("").as_bytes());
}

fn hash_parts(parts: &[&[u8]]) -> String {
    let mut h = Sha256::new();
    for part in parts {
        h.update(part);
        h.update([0x1f]);
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// Appends an entry and returns its id. Call inside the transaction of the
/// change it records, after the change: an entry about an item records
/// the item's state as the change left it ([`super::state`]).
pub fn record(conn: &Connection, actor: &Actor, e: &Entry) -> Result<i64> {
    let prev: String = conn
        .query_row("SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1", [], |r| r.get(0))
        .optional()?
        .unwrap_or_else(|| GENESIS.to_string());
    let old = e.old.as_ref().map(|v| v.to_string());
    let new = e.new.as_ref().map(|v| v.to_string());
    let state = super::state::of_stored(conn, e.entity, e.entity_id)?;
    let hash = row_hash(
        &prev,
        &Fields {
            at: e.at,
            uid: actor.uid,
            user: &actor.user,
            action: e.action,
            entity: e.entity,
            entity_id: e.entity_id,
            old: old.as_deref(),
            new: new.as_deref(),
            result: e.result,
            state: state.as_deref(),
            person: actor.person.as_ref().map(|p| p.name.as_str()),
            key_fp: actor.person.as_ref().and_then(|p| p.key_fp.as_deref()),
        },
    );
    conn.execute(
        "INSERT INTO audit_log (at, uid, user, action, entity, entity_id, old_value, new_value, result, prev_hash, hash, state,
                                person, key_fp)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
        params![
            e.at,
            actor.uid,
            actor.user,
            e.action,
            e.entity,
            e.entity_id,
            old,
            new,
            e.result,
            prev,
            hash,
            state,
            actor.person.as_ref().map(|p| p.name.as_str()),
            actor.person.as_ref().and_then(|p| p.key_fp.as_deref())
        ],
    )?;
    Ok(conn.last_insert_rowid())
}

/// The old value recorded by an audit row (what an undo restores).
pub fn old_value(conn: &Connection, id: i64) -> Result<Option<serde_json::Value>> {
    let v: Option<Option<String>> = conn
        .query_row("SELECT old_value FROM audit_log WHERE id = ?1", [id], |r| r.get(0))
        .optional()?;
    Ok(v.flatten().and_then(|t| serde_json::from_str(&t).ok()))
}

/// Now in UTC, as stored in the log.
pub fn now_utc() -> String {
    chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// Verifies the hash chain; returns the id of the first bad row, if any.
/// Reads the stored bytes whatever their type, so a BLOB or a number put
/// where text belongs is a broken row, not a database error.
pub fn verify_chain(conn: &Connection) -> Result<Option<i64>> {
    use rusqlite::types::ValueRef;
    let mut stmt = conn.prepare(
        "SELECT id, at, uid, user, action, entity, entity_id, old_value, new_value, result, prev_hash, hash, state,
                person, key_fp
         FROM audit_log ORDER BY id",
    )?;
    let mut rows = stmt.query([])?;
    let mut prev: Vec<u8> = GENESIS.as_bytes().to_vec();
    while let Some(r) = rows.next()? {
        let id: i64 = r.get(0)?;
        let bytes = |i: usize| -> rusqlite::Result<Option<Vec<u8>>> {
            Ok(match r.get_ref(i)? {
                ValueRef::Text(b) | ValueRef::Blob(b) => Some(b.to_vec()),
                ValueRef::Null => None,
                ValueRef::Integer(n) => Some(n.to_string().into_bytes()),
                ValueRef::Real(x) => Some(x.to_string().into_bytes()),
            })
        };
        let uid_ok = matches!(r.get_ref(2)?, ValueRef::Integer(_));
        let text = |i: usize| -> rusqlite::Result<Vec<u8>> { Ok(bytes(i)?.unwrap_or_default()) };
        let old = bytes(7)?;
        let new = bytes(8)?;
        let state = bytes(12)?;
        let (t1, t2, t3, t4, t5, t6, t9) = (text(1)?, text(2)?, text(3)?, text(4)?, text(5)?, text(6)?, text(9)?);
        let mut parts: Vec<&[u8]> = vec![
            &prev,
            &t1,
            &t2,
            &t3,
            &t4,
            &t5,
            &t6,
            old.as_deref().unwrap_or("\u{0}".as_bytes()),
            new.as_deref().unwrap_or("\u{0}".as_bytes()),
            &t9,
        ];
        if let Some(s) = &state {
            parts.push(s);
        }
        let (person, key) = (bytes(13)?, bytes(14)?);
        if person.is_some() || key.is_some() {
            if state.is_none() {
                parts.push(b"\0nostate");
            }
            parts.push(b"\0person");
            parts.push(person.as_deref().unwrap_or(b""));
            parts.push(key.as_deref().unwrap_or(b""));
        }
        let h = hash_parts(&parts);
        let stored = text(11)?;
        if !uid_ok || text(10)? != prev || stored != h.as_bytes() {
            return Ok(Some(id));
        }
        prev = stored;
    }
    Ok(None)
}

/// The newest audit row's id (0 when the log is empty).
pub fn max_id(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("SELECT COALESCE(max(id), 0) FROM audit_log", [], |r| r.get(0))?)
}

/// How many audit rows with `from < id <= to` are not in `own`.
pub fn count_between(conn: &Connection, from: i64, to: i64, own: &std::collections::HashSet<i64>) -> Result<usize> {
    let mut s = conn.prepare_cached("SELECT id FROM audit_log WHERE id > ?1 AND id <= ?2")?;
    let mut rows = s.query(params![from, to])?;
    let mut n = 0;
    while let Some(r) = rows.next()? {
        if !own.contains(&r.get::<_, i64>(0)?) {
            n += 1;
        }
    }
    Ok(n)
}

/// Writes the baseline and its `baseline` audit row (inside the caller's
/// transaction): at the end of `init` and `demo`, and once when an older
/// database is upgraded to this schema.
pub fn record_baseline(conn: &Connection, actor: &Actor, at: &str) -> Result<i64> {
    let (items, digest) = super::state::write_baseline(conn)?;
    record(
        conn,
        actor,
        &Entry {
            at,
            action: "baseline",
            entity: "database",
            entity_id: "",
            old: None,
            new: Some(serde_json::json!({ "items": items, "digest": digest })),
            result: "ok",
        },
    )
}

/// At the end of a write transaction: each item audited since `since`
/// whose state moved after its last audit row in this transaction (a later
/// change in the same transaction) gets a `state` row, so the log always
/// ends on the state the transaction left.
pub fn settle(conn: &Connection, since: i64) -> Result<()> {
    let mut s = conn.prepare_cached(
        "SELECT a.entity, a.entity_id, a.state, a.uid, a.user, a.at FROM audit_log a
         WHERE a.id > ?1 AND a.state IS NOT NULL
           AND a.id = (SELECT max(b.id) FROM audit_log b
                       WHERE b.id > ?1 AND b.entity = a.entity AND b.entity_id = a.entity_id)",
    )?;
    let last: Vec<(String, String, String, i64, String, String)> = s
        .query_map([since], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    for (entity, key, state, uid, user, at) in last {
        if super::state::of_stored(conn, &entity, &key)?.as_deref() != Some(state.as_str()) {
            record(
                conn,
                &Actor::os(uid, user),
                &Entry {
                    at: &at,
                    action: "state",
                    entity: &entity,
                    entity_id: &key,
                    old: None,
                    new: None,
                    result: "ok",
                },
            )?;
        }
    }
    Ok(())
}
