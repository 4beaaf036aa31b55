//! The state of an audited item as a digest, so that a change made to the
//! file outside dudao — an `UPDATE reports SET status = 'accepted'` in the
//! sqlite3 shell, with no audit row — can be found.
//!
//! An item's state is every row that belongs to it: a report's versions,
//! their progress entries and indicator values; a measure with its owners;
//! an authority item with its workflow events; a meeting; and, for every
//! item, its flags (done, snoozed, escalated), reminders, notes and
//! extensions. Each audit row about an item records the item's state after
//! the change (`audit::record`); the write path adds a `state`
//! row when a later change in the same transaction moved it again
//! ([`settle`]). A database built by `init` or `demo`, or upgraded to this
//! schema, records every item's state once, in `audit_baseline`, whose
//! digest its `baseline` audit row carries.
//!
//! `dudao check` ([`verify`]) recomputes every item's state and compares it
//! with the last one the log recorded (or the baseline's): an item that
//! differs was changed outside dudao; one with neither was made outside it.
//!
//! Not covered: the policy's own tables (articles, units, assignments,
//! targets), the intake log, and columns a later migration adds to these
//! tables (the column lists below are fixed, so upgrades keep old states).

use std::collections::BTreeMap;

use rusqlite::types::ValueRef;
use rusqlite::{Connection, OptionalExtension, params};
use sha2::{Digest, Sha256};

use super::Result;
use crate::domain::ItemKey;

/// The rows of one kind of item, in a fixed order. `?1` and `?2` are the
/// item's key: the unit and month of a report, the id otherwise.
const REPORT: &[&str] = &[
    "SELECT id, version_no, status, due_date, received_at, summary, return_reason, resubmit_by, source,
            import_id, version, latest, contact_name, contact_phone
     FROM reports WHERE unit_id = ?1 AND month = ?2 ORDER BY version_no",
    "SELECT i.report_id, i.article_no, i.progress, i.status, i.difficulties, i.next_steps
     FROM reports r JOIN report_items i ON i.report_id = r.id
     WHERE r.unit_id = ?1 AND r.month = ?2 ORDER BY r.version_no, i.article_no",
    "SELECT v.report_id, v.target_code, v.value
     FROM reports r JOIN report_values v ON v.report_id = r.id
     WHERE r.unit_id = ?1 AND r.month = ?2 ORDER BY r.version_no, v.target_code",
    "SELECT target_code, value, report_id, import_id FROM indicator_values
     WHERE unit_id = ?1 AND period = ?2 ORDER BY target_code",
];
const MEASURE: &[&str] = &[
    "SELECT article_no, ord, text, due_date, status, done_date, version FROM measures WHERE id = ?1",
    "SELECT unit_id FROM measure_owners WHERE measure_id = ?1 ORDER BY unit_id",
];
const AUTHORITY: &[&str] = &[
    "SELECT zone_id, domain, level, name, grantor_id, status, doc_no, proposed_date, approved_date,
            delegated_date, due_date, note, version
     FROM authority_items WHERE id = ?1",
    "SELECT id, at, date, from_status, to_status, doc_no, note, by_uid, by_user, undo
     FROM authority_events WHERE item_id = ?1 ORDER BY id",
];
const MEETING: &[&str] = &["SELECT date, title, kind, status, version FROM meetings WHERE id = ?1"];
/// A meeting's rows added by schema 10 (agenda, minutes, decisions): each
/// source is fed only when it has rows, after its tag, so that a meeting
/// recorded before keeps the state its audit rows hold.
const MEETING_SINCE_10: &[&str] = &[
    "SELECT id, ord, title, source, entity, entity_key, unit_id, note, at, by_user, withdrawn_at
     FROM agenda_items WHERE meeting_id = ?1 ORDER BY id",
    "SELECT held_on, attendees, at, by_user FROM meeting_minutes WHERE meeting_id = ?1",
    "SELECT id, ord, text, agenda_id, at, by_user, withdrawn_at FROM decisions WHERE meeting_id = ?1 ORDER BY id",
];
const TASK: &[&str] = &[
    "SELECT year, seq, code, source, decision_id, instruction_id, title, text, lead_unit_id, leader, assigned_on,
            due_date, state, acknowledged_on, closed_on, close_note, version
     FROM tasks WHERE id = ?1",
    "SELECT unit_id FROM task_partners WHERE task_id = ?1 ORDER BY unit_id",
    "SELECT id, unit_id, date, kind, text, source, report_id, at, by_uid, by_user, undone_at
     FROM task_events WHERE task_id = ?1 ORDER BY id",
    "SELECT id, unit_id, kind, reason, new_due, new_text, status, at, by_user, decided_at, decided_by, decision_note
     FROM task_requests WHERE task_id = ?1 ORDER BY id",
];
/// Rows of every kind of item, keyed by its `entity` and `entity_key`.
const EVERY_ITEM: &[&str] = &[
    "SELECT closed_at, closed_by, close_note, snoozed_until, escalated_at, escalated_by, escalate_note, version
     FROM item_flags WHERE entity = ?1 AND entity_key = ?2",
    "SELECT id, unit_id, at, by_user, note, answered, channel, by_uid, withdrawn_at
     FROM reminders WHERE entity = ?1 AND entity_key = ?2 ORDER BY id",
    "SELECT id, at, by_uid, by_user, text, withdrawn_at
     FROM notes WHERE entity = ?1 AND entity_key = ?2 ORDER BY id",
    "SELECT id, old_due, new_due, reason, at, by_user, late, by_uid, withdrawn_at
     FROM extensions WHERE entity = ?1 AND entity_key = ?2 ORDER BY id",
];

/// The digest of `item`'s rows as they are now: 32 hex digits (the first
/// half of a SHA-256).
pub fn of(conn: &Connection, item: ItemKey) -> Result<String> {
    let mut h = Sha256::new();
    let (own, a, b): (&[&str], rusqlite::types::Value, rusqlite::types::Value) = match item {
        ItemKey::Report { unit, month } => (REPORT, unit.into(), month.to_string().into()),
        ItemKey::Measure(id) => (MEASURE, id.into(), rusqlite::types::Value::Null),
        ItemKey::Authority(id) => (AUTHORITY, id.into(), rusqlite::types::Value::Null),
        ItemKey::Meeting(id) => (MEETING, id.into(), rusqlite::types::Value::Null),
        ItemKey::Task(id) => (TASK, id.into(), rusqlite::types::Value::Null),
        ItemKey::Milestone(_) => (&[], rusqlite::types::Value::Null, rusqlite::types::Value::Null),
    };
    for sql in own {
        let n = sql.matches("?2").count();
        let mut s = conn.prepare_cached(sql)?;
        let rows = if n > 0 {
            s.query(params![a, b])?
        } else {
            s.query(params![a])?
        };
        feed(&mut h, rows)?;
    }
    if let ItemKey::Meeting(id) = item {
        for (tag, sql) in MEETING_SINCE_10.iter().enumerate() {
            let mut s = conn.prepare_cached(sql)?;
            if s.exists([id])? {
                h.update(format!("since-10:{tag};").as_bytes());
                feed(&mut h, s.query([id])?)?;
            }
        }
    }
    let (entity, key) = (item.entity(), item.entity_key());
    for sql in EVERY_ITEM {
        let mut s = conn.prepare_cached(sql)?;
        feed(&mut h, s.query(params![entity, key])?)?;
    }
    Ok(hex(&h.finalize()[..16]))
}

/// [`of`] for an audit row's entity and id; `None` when they name no item.
pub fn of_stored(conn: &Connection, entity: &str, key: &str) -> Result<Option<String>> {
    match ItemKey::from_stored(entity, key) {
        Some(item) => of(conn, item).map(Some),
        None => Ok(None),
    }
}

/// Every value of every row, each with its type and length, then an end
/// mark for the source (so no two different row sets feed alike).
fn feed(h: &mut Sha256, mut rows: rusqlite::Rows<'_>) -> Result<()> {
    while let Some(r) = rows.next()? {
        let n = r.as_ref().column_count();
        h.update([b'r']);
        for i in 0..n {
            match r.get_ref(i)? {
                ValueRef::Null => h.update([0u8]),
                ValueRef::Integer(v) => {
                    h.update([1u8]);
                    h.update(v.to_be_bytes());
                }
                ValueRef::Real(v) => {
                    h.update([2u8]);
                    h.update(v.to_bits().to_be_bytes());
                }
                ValueRef::Text(t) => {
                    h.update([3u8]);
                    h.update((t.len() as u64).to_be_bytes());
                    h.update(t);
                }
                ValueRef::Blob(t) => {
                    h.update([4u8]);
                    h.update((t.len() as u64).to_be_bytes());
                    h.update(t);
                }
            }
        }
    }
    h.update([b'.']);
    Ok(())
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|b| format!("{b:02x}")).collect()
}

/// Every item the file has rows for, as (entity, entity_key), in order.
pub fn items(conn: &Connection) -> Result<Vec<(String, String)>> {
    let mut out = std::collections::BTreeSet::new();
    let mut add = |sql: &str| -> Result<()> {
        let mut s = conn.prepare(sql)?;
        let mut rows = s.query([])?;
        while let Some(r) = rows.next()? {
            let (e, k): (String, String) = (r.get(0)?, r.get(1)?);
            out.insert((e, k));
        }
        Ok(())
    };
    add("SELECT DISTINCT 'report', unit_id || ':' || month FROM reports")?;
    add("SELECT DISTINCT 'report', unit_id || ':' || period FROM indicator_values")?;
    add("SELECT 'measure', CAST(id AS TEXT) FROM measures")?;
    add("SELECT 'authority', CAST(id AS TEXT) FROM authority_items")?;
    add("SELECT 'meeting', CAST(id AS TEXT) FROM meetings")?;
    add("SELECT 'task', CAST(id AS TEXT) FROM tasks")?;
    for t in ["item_flags", "reminders", "notes", "extensions"] {
        add(&format!("SELECT DISTINCT entity, entity_key FROM {t}"))?;
    }
    Ok(out.into_iter().collect())
}

/// Records every item's state in `audit_baseline` (inside the caller's
/// transaction) and returns how many and their digest, for the
/// `baseline` audit row. A database has one baseline.
pub fn write_baseline(conn: &Connection) -> Result<(usize, String)> {
    let mut ins = conn.prepare_cached("INSERT INTO audit_baseline (entity, entity_key, state) VALUES (?1, ?2, ?3)")?;
    let mut n = 0;
    for (e, k) in items(conn)? {
        if let Some(state) = of_stored(conn, &e, &k)? {
            ins.execute(params![e, k, state])?;
            n += 1;
        }
    }
    Ok((n, baseline_digest(conn)?))
}

/// The digest of the whole `audit_baseline` table, in key order.
fn baseline_digest(conn: &Connection) -> Result<String> {
    let mut h = Sha256::new();
    let mut s = conn.prepare("SELECT entity, entity_key, state FROM audit_baseline ORDER BY entity, entity_key")?;
    feed(&mut h, s.query([])?)?;
    Ok(hex(&h.finalize()))
}

/// Whether the database has its baseline (its `baseline` audit row).
pub fn has_baseline(conn: &Connection) -> Result<bool> {
    Ok(conn
        .query_row("SELECT 1 FROM audit_log WHERE action = 'baseline' LIMIT 1", [], |_| {
            Ok(())
        })
        .optional()?
        .is_some())
}

/// What `dudao check` finds about item states (worded in `i18n::check`).
#[derive(Debug, Clone, PartialEq)]
pub enum Problem {
    /// No `baseline` audit row (a file not opened by this dudao since it
    /// was upgraded): items never changed through dudao cannot be verified.
    NoBaseline,
    /// The baseline table does not match the digest its audit row holds.
    BaselineChanged { audit_row: i64 },
    /// An item's rows differ from the state its last audit row recorded
    /// (`audit_row`), or from the baseline's (`None`).
    Differs {
        item: Named,
        audit_row: Option<i64>,
        baseline_row: i64,
    },
    /// An item with rows, no audit row and no place in the baseline.
    Unaudited { item: Named },
}

/// An item as `check` names it: its entity and key, and what people call it.
#[derive(Debug, Clone, PartialEq)]
pub struct Named {
    pub entity: String,
    pub key: String,
    pub name: Option<String>,
}

/// For `dudao check`: every item whose rows differ from the state the log
/// last recorded for it (or the baseline's), every item with rows but no
/// recorded state, and a baseline that does not match its audit row.
pub fn verify(conn: &Connection) -> Result<Vec<Problem>> {
    let mut out = Vec::new();
    let baseline_row: Option<(i64, Option<String>)> = conn
        .query_row(
            "SELECT id, new_value FROM audit_log WHERE action = 'baseline' ORDER BY id LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let Some((baseline_id, baseline_new)) = baseline_row else {
        out.push(Problem::NoBaseline);
        return Ok(out);
    };
    let recorded = baseline_new
        .and_then(|v| serde_json::from_str::<serde_json::Value>(&v).ok())
        .and_then(|v| v.get("digest").and_then(|d| d.as_str()).map(String::from));
    if recorded.as_deref() != Some(baseline_digest(conn)?.as_str()) {
        out.push(Problem::BaselineChanged { audit_row: baseline_id });
    }
    // The state each item is expected in: its last audited one, else the baseline's.
    let mut expected: BTreeMap<(String, String), (String, Option<i64>)> = BTreeMap::new();
    {
        let mut s = conn.prepare("SELECT entity, entity_key, state FROM audit_baseline")?;
        let mut rows = s.query([])?;
        while let Some(r) = rows.next()? {
            expected.insert((r.get(0)?, r.get(1)?), (r.get(2)?, None));
        }
        let mut s =
            conn.prepare("SELECT id, entity, entity_id, state FROM audit_log WHERE state IS NOT NULL ORDER BY id")?;
        let mut rows = s.query([])?;
        while let Some(r) = rows.next()? {
            expected.insert((r.get(1)?, r.get(2)?), (r.get(3)?, Some(r.get(0)?)));
        }
    }
    let mut all: std::collections::BTreeSet<(String, String)> = items(conn)?.into_iter().collect();
    all.extend(expected.keys().cloned());
    for (entity, key) in all {
        let Some(now) = of_stored(conn, &entity, &key)? else {
            continue;
        };
        let item = || -> Result<Named> {
            Ok(Named {
                name: named(conn, &entity, &key)?,
                entity: entity.clone(),
                key: key.clone(),
            })
        };
        match expected.get(&(entity.clone(), key.clone())) {
            Some((state, _)) if *state == now => {}
            Some((_, row)) => out.push(Problem::Differs {
                item: item()?,
                audit_row: *row,
                baseline_row: baseline_id,
            }),
            None => out.push(Problem::Unaudited { item: item()? }),
        }
    }
    Ok(out)
}

/// What a person calls an item: a report's unit and month, an authority
/// item's name, a measure's text (shortened).
fn named(conn: &Connection, entity: &str, key: &str) -> Result<Option<String>> {
    let one = |sql: &str, p: &dyn rusqlite::ToSql| -> Result<Option<String>> {
        Ok(conn.query_row(sql, [p], |r| r.get::<_, String>(0)).optional()?)
    };
    Ok(match ItemKey::from_stored(entity, key) {
        Some(ItemKey::Report { unit, month }) => {
            one("SELECT name FROM units WHERE id = ?1", &unit)?.map(|u| format!("{u} {month}"))
        }
        Some(ItemKey::Authority(id)) => one("SELECT name FROM authority_items WHERE id = ?1", &id)?,
        Some(ItemKey::Measure(id)) => {
            one("SELECT text FROM measures WHERE id = ?1", &id)?.map(|t| crate::text::truncate(&t, 30).into_owned())
        }
        Some(ItemKey::Meeting(id)) => one("SELECT title FROM meetings WHERE id = ?1", &id)?,
        _ => None,
    })
}
