//! Notes, reminders (催办) and the audit history of one item: reads for the
//! detail views, and the inserts and withdrawals the write path makes.
//! Nothing here deletes: undo withdraws a row, and the row stays.

use rusqlite::{Connection, OptionalExtension, params};

use super::Result;
use super::audit::Actor;
use super::row::{code, opt_text, text};
use crate::domain::{Channel, ItemKey};

/// A note on an item.
#[derive(Debug, Clone, PartialEq)]
pub struct Note {
    pub id: i64,
    pub at: String,
    pub user: String,
    pub text: String,
    pub withdrawn: bool,
}

/// A reminder (催办) about an item.
#[derive(Debug, Clone, PartialEq)]
pub struct Reminder {
    pub id: i64,
    pub at: String,
    pub user: String,
    pub channel: Channel,
    pub note: String,
    pub withdrawn: bool,
}

/// One line of an item's history, from the audit log.
#[derive(Debug, Clone, PartialEq)]
pub struct HistoryLine {
    pub id: i64,
    pub at: String,
    pub user: String,
    pub action: String,
    pub result: String,
    /// The new value (JSON) as recorded.
    pub new_value: Option<String>,
}

/// An item's notes, reminders and history, for its detail.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemFile {
    pub key: ItemKey,
    pub notes: Vec<Note>,
    pub reminders: Vec<Reminder>,
    pub history: Vec<HistoryLine>,
    /// Done, snoozed, escalated: by whom, when, why.
    pub flags: super::flags::Flags,
}

/// Reads an item's file (the last `limit` lines of its history).
pub fn item_file(conn: &Connection, key: ItemKey, limit: usize) -> Result<ItemFile> {
    Ok(ItemFile {
        key,
        notes: notes(conn, key)?,
        reminders: reminders(conn, key)?,
        history: history(conn, key, limit)?,
        flags: super::flags::flags(conn, key)?,
    })
}

/// An item's notes, oldest first.
pub fn notes(conn: &Connection, item: ItemKey) -> Result<Vec<Note>> {
    let mut s = conn.prepare_cached(
        "SELECT id, at, by_user, text, withdrawn_at IS NOT NULL FROM notes
         WHERE entity = ?1 AND entity_key = ?2 ORDER BY id",
    )?;
    let v = s
        .query_map(params![item.entity(), item.entity_key()], |r| {
            Ok(Note {
                id: r.get(0)?,
                at: text(r, 1)?,
                user: text(r, 2)?,
                text: text(r, 3)?,
                withdrawn: r.get(4)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(v)
}

/// An item's reminders, oldest first.
pub fn reminders(conn: &Connection, item: ItemKey) -> Result<Vec<Reminder>> {
    let mut s = conn.prepare_cached(
        "SELECT id, at, by_user, channel, note, withdrawn_at IS NOT NULL FROM reminders
         WHERE entity = ?1 AND entity_key = ?2 ORDER BY id",
    )?;
    let v = s
        .query_map(params![item.entity(), item.entity_key()], |r| {
            Ok(Reminder {
                id: r.get(0)?,
                at: text(r, 1)?,
                user: text(r, 2)?,
                channel: code(r, 3)?,
                note: text(r, 4)?,
                withdrawn: r.get(5)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(v)
}

/// Reminders in force (not withdrawn) about an item.
pub fn reminder_count(conn: &Connection, item: ItemKey) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT count(*) FROM reminders WHERE entity = ?1 AND entity_key = ?2 AND withdrawn_at IS NULL",
        params![item.entity(), item.entity_key()],
        |r| r.get(0),
    )?)
}

/// The audit log's lines about an item, oldest first (at most the last `limit`).
pub fn history(conn: &Connection, item: ItemKey, limit: usize) -> Result<Vec<HistoryLine>> {
    let mut s = conn.prepare_cached(
        "SELECT id, at, user, action, result, new_value FROM (
             SELECT id, at, user, action, result, new_value FROM audit_log
             WHERE entity = ?1 AND entity_id = ?2 ORDER BY id DESC LIMIT ?3)
         ORDER BY id",
    )?;
    let v = s
        .query_map(params![item.entity(), item.entity_key(), limit as i64], |r| {
            Ok(HistoryLine {
                id: r.get(0)?,
                at: text(r, 1)?,
                user: text(r, 2)?,
                action: text(r, 3)?,
                result: text(r, 4)?,
                new_value: opt_text(r, 5)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(v)
}

/// The last successful change recorded about an item: (user, time, action).
pub fn last_change(conn: &Connection, item: ItemKey) -> Result<Option<(String, String, String)>> {
    Ok(conn
        .query_row(
            "SELECT user, at, action FROM audit_log WHERE entity = ?1 AND entity_id = ?2 AND result = 'ok'
             ORDER BY id DESC LIMIT 1",
            params![item.entity(), item.entity_key()],
            |r| Ok((text(r, 0)?, text(r, 1)?, text(r, 2)?)),
        )
        .optional()?)
}

/// Adds a note; returns its id.
pub fn insert_note(conn: &Connection, item: ItemKey, actor: &Actor, at: &str, body: &str) -> Result<i64> {
    conn.execute(
        "INSERT INTO notes (entity, entity_key, at, by_uid, by_user, text) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![item.entity(), item.entity_key(), at, actor.uid, actor.user, body],
    )?;
    Ok(conn.last_insert_rowid())
}

/// Adds a reminder; returns its id.
pub fn insert_reminder(
    conn: &Connection,
    item: ItemKey,
    unit: Option<i64>,
    actor: &Actor,
    at: &str,
    channel: Channel,
    note: &str,
) -> Result<i64> {
    conn.execute(
        "INSERT INTO reminders (entity, entity_key, unit_id, at, by_user, by_uid, note, channel)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            item.entity(),
            item.entity_key(),
            unit,
            at,
            actor.user,
            actor.uid,
            note,
            channel.code()
        ],
    )?;
    Ok(conn.last_insert_rowid())
}

/// What a note or reminder row is, for withdrawing it.
#[derive(Debug, Clone, PartialEq)]
pub struct Withdrawable {
    pub item: Option<ItemKey>,
    pub withdrawn: bool,
    pub text: String,
}

fn withdrawable(conn: &Connection, sql: &str, id: i64) -> Result<Option<Withdrawable>> {
    Ok(conn
        .query_row(sql, [id], |r| {
            Ok(Withdrawable {
                item: ItemKey::from_stored(&text(r, 0)?, &text(r, 1)?),
                withdrawn: r.get(2)?,
                text: text(r, 3)?,
            })
        })
        .optional()?)
}

/// A note's item and state.
pub fn note_state(conn: &Connection, id: i64) -> Result<Option<Withdrawable>> {
    withdrawable(
        conn,
        "SELECT entity, entity_key, withdrawn_at IS NOT NULL, text FROM notes WHERE id = ?1",
        id,
    )
}

/// A reminder's item and state.
pub fn reminder_state(conn: &Connection, id: i64) -> Result<Option<Withdrawable>> {
    withdrawable(
        conn,
        "SELECT entity, entity_key, withdrawn_at IS NOT NULL, note FROM reminders WHERE id = ?1",
        id,
    )
}

/// Marks a note withdrawn unless it already is; returns whether it changed.
pub fn withdraw_note(conn: &Connection, id: i64, at: &str) -> Result<bool> {
    Ok(conn.execute(
        "UPDATE notes SET withdrawn_at = ?2 WHERE id = ?1 AND withdrawn_at IS NULL",
        params![id, at],
    )? == 1)
}

/// Marks a reminder withdrawn unless it already is; returns whether it changed.
pub fn withdraw_reminder(conn: &Connection, id: i64, at: &str) -> Result<bool> {
    Ok(conn.execute(
        "UPDATE reminders SET withdrawn_at = ?2 WHERE id = ?1 AND withdrawn_at IS NULL",
        params![id, at],
    )? == 1)
}

/// The reminders a unit received (in force), newest first: (item, reminder).
pub fn reminders_to_unit(conn: &Connection, unit: i64, limit: usize) -> Result<Vec<(ItemKey, Reminder)>> {
    let mut s = conn.prepare_cached(
        "SELECT entity, entity_key, id, at, by_user, channel, note FROM reminders
         WHERE unit_id = ?1 AND withdrawn_at IS NULL ORDER BY at DESC, id DESC LIMIT ?2",
    )?;
    let rows = s.query_map(params![unit, limit as i64], |r| {
        Ok((
            text(r, 0)?,
            text(r, 1)?,
            Reminder {
                id: r.get(2)?,
                at: text(r, 3)?,
                user: text(r, 4)?,
                channel: code(r, 5)?,
                note: text(r, 6)?,
                withdrawn: false,
            },
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (e, k, rem) = row?;
        if let Some(key) = ItemKey::from_stored(&e, &k) {
            out.push((key, rem));
        }
    }
    Ok(out)
}
