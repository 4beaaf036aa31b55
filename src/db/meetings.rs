//! The leading group's meetings (article 17): the date, the agenda (议题)
//! the office prepares, and once held the minutes: who attended and each
//! 议定事项 (decision).

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, params};

use super::Result;
use super::row::{code, day, opt_text, text};
use crate::domain::task::AgendaSource;
use crate::domain::{ItemKey, MeetingStatus};

/// Adds a meeting; returns its id.
pub fn insert(conn: &Connection, date: NaiveDate, title: &str, kind: &str, status: MeetingStatus) -> Result<i64> {
    conn.execute(
        "INSERT INTO meetings (date, title, kind, status) VALUES (?1, ?2, ?3, ?4)",
        params![date.to_string(), title, kind, status.code()],
    )?;
    Ok(conn.last_insert_rowid())
}

/// A meeting with everything recorded about it.
#[derive(Debug, Clone, PartialEq)]
pub struct Meeting {
    pub id: i64,
    pub date: NaiveDate,
    pub title: String,
    pub kind: String,
    pub status: MeetingStatus,
    pub version: i64,
    /// Agenda items in force, in order.
    pub agenda: Vec<AgendaItem>,
    /// Once held: the day and who attended.
    pub minutes: Option<Minutes>,
    /// 议定事项 in force, in order.
    pub decisions: Vec<Decision>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AgendaItem {
    pub id: i64,
    pub ord: i64,
    pub title: String,
    pub source: AgendaSource,
    /// The item it was escalated from.
    pub item: Option<ItemKey>,
    pub unit: Option<(i64, String)>,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Minutes {
    pub held_on: NaiveDate,
    /// One name per line.
    pub attendees: String,
    pub at: String,
    pub by_user: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    pub id: i64,
    pub meeting_id: i64,
    /// 议定事项 number within its meeting (1, 2, …).
    pub ord: i64,
    pub text: String,
    pub agenda_id: Option<i64>,
    /// Tasks made from it: (id, 督办编号).
    pub tasks: Vec<(i64, String)>,
}

/// Every meeting, newest first, without agendas or minutes.
pub fn list(conn: &Connection) -> Result<Vec<Meeting>> {
    let mut s =
        conn.prepare_cached("SELECT id, date, title, kind, status, version FROM meetings ORDER BY date DESC")?;
    let rows = s.query_map([], |r| {
        Ok(Meeting {
            id: r.get(0)?,
            date: day(&text(r, 1)?).unwrap_or_default(),
            title: text(r, 2)?,
            kind: text(r, 3)?,
            status: code(r, 4)?,
            version: r.get(5)?,
            agenda: Vec::new(),
            minutes: None,
            decisions: Vec::new(),
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// One meeting with its agenda, minutes and decisions.
pub fn get(conn: &Connection, id: i64) -> Result<Option<Meeting>> {
    let Some(mut m) = list(conn)?.into_iter().find(|m| m.id == id) else {
        return Ok(None);
    };
    let mut s = conn.prepare_cached(
        "SELECT a.id, a.ord, a.title, a.source, a.entity, a.entity_key, a.unit_id, u.short_name, a.note
         FROM agenda_items a LEFT JOIN units u ON u.id = a.unit_id
         WHERE a.meeting_id = ?1 AND a.withdrawn_at IS NULL ORDER BY a.ord, a.id",
    )?;
    m.agenda = s
        .query_map([id], |r| {
            let (e, k) = (opt_text(r, 4)?, opt_text(r, 5)?);
            let unit: Option<i64> = r.get(6)?;
            Ok(AgendaItem {
                id: r.get(0)?,
                ord: r.get(1)?,
                title: text(r, 2)?,
                source: code(r, 3)?,
                item: e.zip(k).and_then(|(e, k)| ItemKey::from_stored(&e, &k)),
                unit: unit.map(|u| (u, text(r, 7).unwrap_or_default())),
                note: text(r, 8)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    m.minutes = conn
        .query_row(
            "SELECT held_on, attendees, at, by_user FROM meeting_minutes WHERE meeting_id = ?1",
            [id],
            |r| {
                Ok(Minutes {
                    held_on: day(&text(r, 0)?).unwrap_or_default(),
                    attendees: text(r, 1)?,
                    at: text(r, 2)?,
                    by_user: text(r, 3)?,
                })
            },
        )
        .optional()?;
    m.decisions = decisions(conn, id)?;
    Ok(Some(m))
}

/// A meeting's decisions in force, with the tasks made from each.
pub fn decisions(conn: &Connection, meeting: i64) -> Result<Vec<Decision>> {
    let mut s = conn.prepare_cached(
        "SELECT id, meeting_id, ord, text, agenda_id FROM decisions
         WHERE meeting_id = ?1 AND withdrawn_at IS NULL ORDER BY ord, id",
    )?;
    let mut v: Vec<Decision> = s
        .query_map([meeting], |r| {
            Ok(Decision {
                id: r.get(0)?,
                meeting_id: r.get(1)?,
                ord: r.get(2)?,
                text: text(r, 3)?,
                agenda_id: r.get(4)?,
                tasks: Vec::new(),
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut t = conn.prepare_cached("SELECT id, code FROM tasks WHERE decision_id = ?1 ORDER BY seq")?;
    for d in &mut v {
        d.tasks = t
            .query_map([d.id], |r| Ok((r.get(0)?, text(r, 1)?)))?
            .collect::<rusqlite::Result<_>>()?;
    }
    Ok(v)
}

/// One decision: (meeting, in force).
pub fn decision(conn: &Connection, id: i64) -> Result<Option<(i64, bool)>> {
    Ok(conn
        .query_row(
            "SELECT meeting_id, withdrawn_at IS NULL FROM decisions WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?)
}

/// Adds an agenda item at the end; its id.
#[allow(clippy::too_many_arguments)]
pub fn add_agenda(
    conn: &Connection,
    meeting: i64,
    title: &str,
    source: AgendaSource,
    item: Option<ItemKey>,
    unit: Option<i64>,
    note: &str,
    at: &str,
    by_user: &str,
) -> Result<i64> {
    let ord: i64 = conn.query_row(
        "SELECT COALESCE(max(ord), 0) + 1 FROM agenda_items WHERE meeting_id = ?1",
        [meeting],
        |r| r.get(0),
    )?;
    conn.execute(
        "INSERT INTO agenda_items (meeting_id, ord, title, source, entity, entity_key, unit_id, note, at, by_user)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![
            meeting,
            ord,
            title,
            source.code(),
            item.map(|k| k.entity()),
            item.map(|k| k.entity_key()),
            unit,
            note,
            at,
            by_user
        ],
    )?;
    Ok(conn.last_insert_rowid())
}

/// Whether an item is already on a meeting's agenda.
pub fn on_agenda(conn: &Connection, meeting: i64, item: ItemKey) -> Result<bool> {
    Ok(conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM agenda_items WHERE meeting_id = ?1 AND entity = ?2 AND entity_key = ?3
                        AND withdrawn_at IS NULL)",
        params![meeting, item.entity(), item.entity_key()],
        |r| r.get(0),
    )?)
}

/// One agenda item's meeting, if it is in force.
pub fn agenda_meeting(conn: &Connection, id: i64) -> Result<Option<i64>> {
    Ok(agenda_state(conn, id)?.filter(|a| a.1).map(|a| a.0))
}

/// One agenda item's meeting and whether it is in force.
pub fn agenda_state(conn: &Connection, id: i64) -> Result<Option<(i64, bool)>> {
    Ok(conn
        .query_row(
            "SELECT meeting_id, withdrawn_at IS NULL FROM agenda_items WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?)
}

/// Withdraws (or, with `at` `None`, restores) an agenda item; false when
/// it already was.
pub fn set_agenda_withdrawn(conn: &Connection, id: i64, at: Option<&str>) -> Result<bool> {
    Ok(conn.execute(
        "UPDATE agenda_items SET withdrawn_at = ?2 WHERE id = ?1 AND (withdrawn_at IS NULL) = (?2 IS NOT NULL)",
        params![id, at],
    )? == 1)
}

/// Records the minutes (the meeting was held on `held_on`); the meeting
/// becomes held. False when it already has minutes.
pub fn set_minutes(
    conn: &Connection,
    meeting: i64,
    held_on: NaiveDate,
    attendees: &str,
    at: &str,
    by_user: &str,
) -> Result<bool> {
    let n = conn.execute(
        "INSERT OR IGNORE INTO meeting_minutes (meeting_id, held_on, attendees, at, by_user) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![meeting, held_on.to_string(), attendees, at, by_user],
    )?;
    if n == 1 {
        conn.execute("UPDATE meetings SET status = 'held' WHERE id = ?1", [meeting])?;
    }
    Ok(n == 1)
}

/// Removes the minutes (their undo): the meeting is planned again.
pub fn clear_minutes(conn: &Connection, meeting: i64) -> Result<bool> {
    let n = conn.execute("DELETE FROM meeting_minutes WHERE meeting_id = ?1", [meeting])?;
    if n == 1 {
        conn.execute("UPDATE meetings SET status = 'planned' WHERE id = ?1", [meeting])?;
    }
    Ok(n == 1)
}

/// Adds a decision at the end; its id and number.
pub fn add_decision(
    conn: &Connection,
    meeting: i64,
    text_: &str,
    agenda: Option<i64>,
    at: &str,
    by_user: &str,
) -> Result<(i64, i64)> {
    let ord: i64 = conn.query_row(
        "SELECT COALESCE(max(ord), 0) + 1 FROM decisions WHERE meeting_id = ?1",
        [meeting],
        |r| r.get(0),
    )?;
    conn.execute(
        "INSERT INTO decisions (meeting_id, ord, text, agenda_id, at, by_user) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![meeting, ord, text_, agenda, at, by_user],
    )?;
    Ok((conn.last_insert_rowid(), ord))
}

/// Withdraws (or restores) a decision no task came from; false otherwise.
pub fn set_decision_withdrawn(conn: &Connection, id: i64, at: Option<&str>) -> Result<bool> {
    Ok(conn.execute(
        "UPDATE decisions SET withdrawn_at = ?2
         WHERE id = ?1 AND (withdrawn_at IS NULL) = (?2 IS NOT NULL)
           AND NOT EXISTS (SELECT 1 FROM tasks WHERE decision_id = ?1)",
        params![id, at],
    )? == 1)
}

/// Removes a meeting nothing was recorded for (the undo of planning it).
pub fn delete_empty(conn: &Connection, id: i64) -> Result<bool> {
    Ok(conn.execute(
        "DELETE FROM meetings WHERE id = ?1 AND status = 'planned'
           AND NOT EXISTS (SELECT 1 FROM agenda_items WHERE meeting_id = ?1)
           AND NOT EXISTS (SELECT 1 FROM decisions WHERE meeting_id = ?1)",
        [id],
    )? == 1)
}

/// A meeting by its date.
pub fn by_date(conn: &Connection, date: NaiveDate) -> Result<Option<i64>> {
    Ok(conn
        .query_row("SELECT id FROM meetings WHERE date = ?1", [date.to_string()], |r| {
            r.get(0)
        })
        .optional()?)
}
