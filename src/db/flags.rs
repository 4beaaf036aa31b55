//! Triage state of dated items (`item_flags`), extensions (延期), and the
//! row version that guards each item against lost updates: a report's or
//! milestone's in `item_flags`, a measure's, authority item's or meeting's
//! in its own row.

use std::collections::HashMap;

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, params};

use super::Result;
use super::audit::Actor;
use super::row::{day, opt_text, text};
use crate::domain::ItemKey;
use crate::domain::deadline::Extension;

/// The triage state of one item.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Flags {
    pub closed_at: Option<String>,
    pub closed_by: Option<String>,
    pub close_note: String,
    pub snoozed_until: Option<String>,
    pub escalated_at: Option<String>,
    pub escalated_by: Option<String>,
    pub escalate_note: String,
}

fn read_flags(r: &rusqlite::Row, at: usize) -> rusqlite::Result<Flags> {
    Ok(Flags {
        closed_at: opt_text(r, at)?,
        closed_by: opt_text(r, at + 1)?,
        close_note: text(r, at + 2)?,
        snoozed_until: opt_text(r, at + 3)?,
        escalated_at: opt_text(r, at + 4)?,
        escalated_by: opt_text(r, at + 5)?,
        escalate_note: text(r, at + 6)?,
    })
}

const FLAG_COLS: &str = "closed_at, closed_by, close_note, snoozed_until, escalated_at, escalated_by, escalate_note";

/// The flags of one item (default when it has none).
pub fn flags(conn: &Connection, item: ItemKey) -> Result<Flags> {
    Ok(conn
        .query_row(
            &format!("SELECT {FLAG_COLS} FROM item_flags WHERE entity = ?1 AND entity_key = ?2"),
            params![item.entity(), item.entity_key()],
            |r| read_flags(r, 0),
        )
        .optional()?
        .unwrap_or_default())
}

/// Every item's flags, keyed by (entity, entity_key).
pub fn all_flags(conn: &Connection) -> Result<HashMap<(String, String), (Flags, i64)>> {
    let mut s = conn.prepare_cached(&format!(
        "SELECT entity, entity_key, version, {FLAG_COLS} FROM item_flags"
    ))?;
    let rows = s.query_map([], |r| Ok(((text(r, 0)?, text(r, 1)?), (read_flags(r, 3)?, r.get(2)?))))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The version that guards `item` against lost updates (0: never changed).
pub fn version(conn: &Connection, item: ItemKey) -> Result<i64> {
    let v: Option<i64> = match item {
        ItemKey::Measure(id) => conn
            .query_row("SELECT version FROM measures WHERE id = ?1", [id], |r| r.get(0))
            .optional()?,
        ItemKey::Authority(id) => conn
            .query_row("SELECT version FROM authority_items WHERE id = ?1", [id], |r| r.get(0))
            .optional()?,
        ItemKey::Meeting(id) => conn
            .query_row("SELECT version FROM meetings WHERE id = ?1", [id], |r| r.get(0))
            .optional()?,
        ItemKey::Task(id) => conn
            .query_row("SELECT version FROM tasks WHERE id = ?1", [id], |r| r.get(0))
            .optional()?,
        ItemKey::Report { .. } | ItemKey::Milestone(_) => conn
            .query_row(
                "SELECT version FROM item_flags WHERE entity = ?1 AND entity_key = ?2",
                params![item.entity(), item.entity_key()],
                |r| r.get(0),
            )
            .optional()?,
    };
    Ok(v.unwrap_or(0))
}

/// Moves `item`'s version from `expected` to the next; false when it was
/// not `expected` (someone changed the item since).
pub fn bump(conn: &Connection, item: ItemKey, expected: i64) -> Result<bool> {
    let n = match item {
        ItemKey::Measure(id) => conn.execute(
            "UPDATE measures SET version = version + 1 WHERE id = ?1 AND version = ?2",
            params![id, expected],
        )?,
        ItemKey::Authority(id) => conn.execute(
            "UPDATE authority_items SET version = version + 1 WHERE id = ?1 AND version = ?2",
            params![id, expected],
        )?,
        ItemKey::Meeting(id) => conn.execute(
            "UPDATE meetings SET version = version + 1 WHERE id = ?1 AND version = ?2",
            params![id, expected],
        )?,
        ItemKey::Task(id) => conn.execute(
            "UPDATE tasks SET version = version + 1 WHERE id = ?1 AND version = ?2",
            params![id, expected],
        )?,
        ItemKey::Report { .. } | ItemKey::Milestone(_) => {
            if expected == 0 {
                conn.execute(
                    "INSERT OR IGNORE INTO item_flags (entity, entity_key, version) VALUES (?1, ?2, 1)",
                    params![item.entity(), item.entity_key()],
                )?
            } else {
                conn.execute(
                    "UPDATE item_flags SET version = version + 1 WHERE entity = ?1 AND entity_key = ?2 AND version = ?3",
                    params![item.entity(), item.entity_key(), expected],
                )?
            }
        }
    };
    Ok(n == 1)
}

/// Writes `item`'s flags (after [`bump`] in the same transaction).
pub fn set_flags(conn: &Connection, item: ItemKey, f: &Flags) -> Result<()> {
    conn.execute(
        "INSERT INTO item_flags (entity, entity_key, closed_at, closed_by, close_note, snoozed_until,
                                 escalated_at, escalated_by, escalate_note)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
         ON CONFLICT(entity, entity_key) DO UPDATE SET
             closed_at = excluded.closed_at, closed_by = excluded.closed_by, close_note = excluded.close_note,
             snoozed_until = excluded.snoozed_until, escalated_at = excluded.escalated_at,
             escalated_by = excluded.escalated_by, escalate_note = excluded.escalate_note",
        params![
            item.entity(),
            item.entity_key(),
            f.closed_at,
            f.closed_by,
            f.close_note,
            f.snoozed_until,
            f.escalated_at,
            f.escalated_by,
            f.escalate_note
        ],
    )?;
    Ok(())
}

fn read_ext(r: &rusqlite::Row) -> rusqlite::Result<Option<Extension>> {
    let (Some(old), Some(new)) = (day(&text(r, 1)?), day(&text(r, 2)?)) else {
        return Ok(None);
    };
    Ok(Some(Extension {
        id: r.get(0)?,
        old_due: old,
        new_due: new,
        reason: text(r, 3)?,
        at: day(&text(r, 4)?).unwrap_or(new),
        by: text(r, 5)?,
        late: r.get(6)?,
    }))
}

/// An item's extensions in force (not withdrawn), oldest first.
pub fn extensions(conn: &Connection, item: ItemKey) -> Result<Vec<Extension>> {
    let mut s = conn.prepare_cached(
        "SELECT id, old_due, new_due, reason, at, by_user, late FROM extensions
         WHERE entity = ?1 AND entity_key = ?2 AND withdrawn_at IS NULL ORDER BY id",
    )?;
    let v = s
        .query_map(params![item.entity(), item.entity_key()], read_ext)?
        .filter_map(|r| r.transpose())
        .collect::<rusqlite::Result<_>>()?;
    Ok(v)
}

/// Every extension in force, keyed by (entity, entity_key), oldest first.
pub fn all_extensions(conn: &Connection) -> Result<HashMap<(String, String), Vec<Extension>>> {
    let mut s = conn.prepare_cached(
        "SELECT id, old_due, new_due, reason, at, by_user, late, entity, entity_key FROM extensions
         WHERE withdrawn_at IS NULL ORDER BY id",
    )?;
    let mut out: HashMap<(String, String), Vec<Extension>> = HashMap::new();
    let mut rows = s.query([])?;
    while let Some(r) = rows.next()? {
        if let Some(e) = read_ext(r)? {
            out.entry((text(r, 7)?, text(r, 8)?)).or_default().push(e);
        }
    }
    Ok(out)
}

/// Records an extension; returns its id.
#[allow(clippy::too_many_arguments)]
pub fn insert_extension(
    conn: &Connection,
    item: ItemKey,
    old: NaiveDate,
    new: NaiveDate,
    reason: &str,
    late: bool,
    actor: &Actor,
    at: &str,
) -> Result<i64> {
    conn.execute(
        "INSERT INTO extensions (entity, entity_key, old_due, new_due, reason, at, by_user, by_uid, late)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![
            item.entity(),
            item.entity_key(),
            old.to_string(),
            new.to_string(),
            reason,
            at,
            actor.user,
            actor.uid,
            late
        ],
    )?;
    Ok(conn.last_insert_rowid())
}

/// Withdraws an extension (undo); false when it already was.
pub fn withdraw_extension(conn: &Connection, id: i64, at: &str) -> Result<bool> {
    Ok(conn.execute(
        "UPDATE extensions SET withdrawn_at = ?2 WHERE id = ?1 AND withdrawn_at IS NULL",
        params![id, at],
    )? == 1)
}

/// The old due date of an extension, and whether it is still in force.
pub fn extension_state(conn: &Connection, id: i64) -> Result<Option<(NaiveDate, bool)>> {
    Ok(conn
        .query_row(
            "SELECT old_due, withdrawn_at IS NULL FROM extensions WHERE id = ?1",
            [id],
            |r| Ok((day(&text(r, 0)?), r.get::<_, bool>(1)?)),
        )
        .optional()?
        .and_then(|(d, live)| d.map(|d| (d, live))))
}

/// Sets the due date of a measure, authority item or task (after [`bump`]).
pub fn set_due(conn: &Connection, item: ItemKey, due: NaiveDate) -> Result<()> {
    match item {
        ItemKey::Measure(id) => conn.execute(
            "UPDATE measures SET due_date = ?2 WHERE id = ?1",
            params![id, due.to_string()],
        )?,
        ItemKey::Authority(id) => conn.execute(
            "UPDATE authority_items SET due_date = ?2 WHERE id = ?1",
            params![id, due.to_string()],
        )?,
        ItemKey::Task(id) => conn.execute(
            "UPDATE tasks SET due_date = ?2 WHERE id = ?1",
            params![id, due.to_string()],
        )?,
        _ => 0,
    };
    Ok(())
}

/// A measure's status and done date (after [`bump`]).
pub fn set_measure_status(conn: &Connection, id: i64, done: Option<NaiveDate>) -> Result<()> {
    let (status, date) = match done {
        Some(d) => (crate::domain::MeasureStatus::Done, Some(d.to_string())),
        None => (crate::domain::MeasureStatus::Open, None),
    };
    conn.execute(
        "UPDATE measures SET status = ?2, done_date = ?3 WHERE id = ?1",
        params![id, status.code(), date],
    )?;
    Ok(())
}

/// A meeting's status (after [`bump`]).
pub fn set_meeting_status(conn: &Connection, id: i64, status: crate::domain::MeetingStatus) -> Result<()> {
    conn.execute(
        "UPDATE meetings SET status = ?2 WHERE id = ?1",
        params![id, status.code()],
    )?;
    Ok(())
}
