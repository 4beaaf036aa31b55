//! Queries of the delegated-authority checklist.

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, params};

use super::Result;
use super::row::{code, opt_day, opt_text, text};
use crate::domain::{AuthorityDomain, AuthorityLevel, AuthorityStatus};

/// One authority item with its zone and granting department.
#[derive(Debug, Clone, PartialEq)]
pub struct AuthorityRow {
    pub id: i64,
    pub zone_id: i64,
    pub zone: String,
    pub zone_short: String,
    pub domain: AuthorityDomain,
    pub level: AuthorityLevel,
    pub name: String,
    /// The granting department's full name (empty when not recorded).
    pub grantor: String,
    pub status: AuthorityStatus,
    pub doc_no: String,
    pub due_date: Option<NaiveDate>,
    pub proposed_date: Option<String>,
    pub approved_date: Option<String>,
    pub delegated_date: Option<String>,
    pub note: String,
    pub version: i64,
}

/// All items, grouped by zone (in unit order), then domain.
pub fn items(conn: &Connection) -> Result<Vec<AuthorityRow>> {
    let mut s = conn.prepare_cached(
        "SELECT i.id, i.zone_id, z.full_name, i.domain, i.level, i.name, COALESCE(g.full_name, ''), i.status,
                i.doc_no, i.due_date, i.note, i.version, z.short_name, i.proposed_date, i.approved_date, i.delegated_date
         FROM authority_items i JOIN units z ON z.id = i.zone_id LEFT JOIN units g ON g.id = i.grantor_id
         ORDER BY z.sort, z.id, i.id",
    )?;
    let v = s
        .query_map([], |r| {
            Ok(AuthorityRow {
                id: r.get(0)?,
                zone_id: r.get(1)?,
                zone: text(r, 2)?,
                domain: code(r, 3)?,
                level: code(r, 4)?,
                name: text(r, 5)?,
                grantor: text(r, 6)?,
                status: code(r, 7)?,
                doc_no: text(r, 8)?,
                due_date: opt_day(r, 9)?,
                note: text(r, 10)?,
                version: r.get(11)?,
                zone_short: text(r, 12)?,
                proposed_date: opt_text(r, 13)?,
                approved_date: opt_text(r, 14)?,
                delegated_date: opt_text(r, 15)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(v)
}

/// The parts of an item a status change touches (what undo restores).
#[derive(Debug, Clone, PartialEq)]
pub struct AuthorityState {
    pub id: i64,
    pub zone_id: i64,
    pub name: String,
    pub status: AuthorityStatus,
    pub doc_no: String,
    pub proposed_date: Option<String>,
    pub approved_date: Option<String>,
    pub delegated_date: Option<String>,
    pub version: i64,
}

/// An authority item's status and due date (`None`: no such item).
pub fn status_and_due(conn: &Connection, id: i64) -> Result<Option<(AuthorityStatus, Option<NaiveDate>)>> {
    Ok(conn
        .query_row(
            "SELECT status, due_date FROM authority_items WHERE id = ?1",
            [id],
            |r| Ok((code::<AuthorityStatus>(r, 0)?, opt_day(r, 1)?)),
        )
        .optional()?)
}

/// An item's state, if it exists.
pub fn state(conn: &Connection, id: i64) -> Result<Option<AuthorityState>> {
    Ok(conn
        .query_row(
            "SELECT id, zone_id, name, status, doc_no, proposed_date, approved_date, delegated_date, version
             FROM authority_items WHERE id = ?1",
            [id],
            |r| {
                Ok(AuthorityState {
                    id: r.get(0)?,
                    zone_id: r.get(1)?,
                    name: text(r, 2)?,
                    status: code(r, 3)?,
                    doc_no: text(r, 4)?,
                    proposed_date: opt_text(r, 5)?,
                    approved_date: opt_text(r, 6)?,
                    delegated_date: opt_text(r, 7)?,
                    version: r.get(8)?,
                })
            },
        )
        .optional()?)
}

/// Writes an item's status, document number and dates, only if its row
/// version is still `version`; bumps the version. Returns whether it changed.
pub fn set_state(conn: &Connection, st: &AuthorityState, version: i64) -> Result<bool> {
    Ok(conn.execute(
        "UPDATE authority_items SET status = ?3, doc_no = ?4, proposed_date = ?5, approved_date = ?6,
                delegated_date = ?7, version = version + 1
         WHERE id = ?1 AND version = ?2",
        params![
            st.id,
            version,
            st.status.code(),
            st.doc_no,
            st.proposed_date,
            st.approved_date,
            st.delegated_date
        ],
    )? == 1)
}

/// What an item says: the fields the form edits.
#[derive(Debug, Clone, PartialEq)]
pub struct AuthorityFields {
    pub zone_id: i64,
    pub domain: AuthorityDomain,
    pub level: AuthorityLevel,
    pub name: String,
    pub grantor_id: Option<i64>,
    pub due_date: Option<NaiveDate>,
    pub note: String,
}

/// An item's editable fields and row version.
pub fn fields(conn: &Connection, id: i64) -> Result<Option<(AuthorityFields, i64)>> {
    Ok(conn
        .query_row(
            "SELECT zone_id, domain, level, name, grantor_id, due_date, note, version FROM authority_items WHERE id = ?1",
            [id],
            |r| {
                Ok((
                    AuthorityFields {
                        zone_id: r.get(0)?,
                        domain: code(r, 1)?,
                        level: code(r, 2)?,
                        name: text(r, 3)?,
                        grantor_id: r.get(4)?,
                        due_date: opt_day(r, 5)?,
                        note: text(r, 6)?,
                    },
                    r.get(7)?,
                ))
            },
        )
        .optional()?)
}

/// Whether another item of the zone already has this name.
pub fn name_taken(conn: &Connection, zone_id: i64, name: &str, except: Option<i64>) -> Result<bool> {
    Ok(conn.query_row(
        "SELECT count(*) FROM authority_items WHERE zone_id = ?1 AND name = ?2 AND id IS NOT ?3",
        params![zone_id, name, except],
        |r| r.get::<_, i64>(0),
    )? > 0)
}

/// Adds an item (拟下放, proposed on `date`); returns its id.
pub fn insert(conn: &Connection, f: &AuthorityFields, date: NaiveDate) -> Result<i64> {
    conn.execute(
        "INSERT INTO authority_items (zone_id, domain, level, name, grantor_id, status, proposed_date, due_date, note)
         VALUES (?1, ?2, ?3, ?4, ?5, 'proposed', ?6, ?7, ?8)",
        params![
            f.zone_id,
            f.domain.code(),
            f.level.code(),
            f.name,
            f.grantor_id,
            date.to_string(),
            f.due_date.map(|d| d.to_string()),
            f.note
        ],
    )?;
    Ok(conn.last_insert_rowid())
}

/// Rewrites an item's fields if its row version is still `version`.
pub fn update(conn: &Connection, id: i64, version: i64, f: &AuthorityFields) -> Result<bool> {
    Ok(conn.execute(
        "UPDATE authority_items SET zone_id = ?3, domain = ?4, level = ?5, name = ?6, grantor_id = ?7,
                due_date = ?8, note = ?9, version = version + 1
         WHERE id = ?1 AND version = ?2",
        params![
            id,
            version,
            f.zone_id,
            f.domain.code(),
            f.level.code(),
            f.name,
            f.grantor_id,
            f.due_date.map(|d| d.to_string()),
            f.note
        ],
    )? == 1)
}

/// One status change of an item.
#[derive(Debug, Clone, PartialEq)]
pub struct AuthorityEvent {
    pub id: i64,
    /// UTC time it was recorded.
    pub at: String,
    /// The date it took effect.
    pub date: String,
    pub from: Option<AuthorityStatus>,
    pub to: AuthorityStatus,
    pub doc_no: String,
    pub note: String,
    pub user: String,
    pub undo: bool,
}

/// Records a status change; returns its id.
#[allow(clippy::too_many_arguments)]
pub fn insert_event(
    conn: &Connection,
    item: i64,
    at: &str,
    date: NaiveDate,
    from: Option<AuthorityStatus>,
    to: AuthorityStatus,
    doc_no: &str,
    note: &str,
    actor: &super::audit::Actor,
    undo: bool,
) -> Result<i64> {
    conn.execute(
        "INSERT INTO authority_events (item_id, at, date, from_status, to_status, doc_no, note, by_uid, by_user, undo)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![
            item,
            at,
            date.to_string(),
            from.map(|s| s.code()),
            to.code(),
            doc_no,
            note,
            actor.uid,
            actor.user,
            undo
        ],
    )?;
    Ok(conn.last_insert_rowid())
}

/// An item's status changes, oldest first.
pub fn events(conn: &Connection, item: i64) -> Result<Vec<AuthorityEvent>> {
    let mut s = conn.prepare_cached(
        "SELECT id, at, date, from_status, to_status, doc_no, note, by_user, undo
         FROM authority_events WHERE item_id = ?1 ORDER BY id",
    )?;
    Ok(s.query_map([item], |r| {
        Ok(AuthorityEvent {
            id: r.get(0)?,
            at: text(r, 1)?,
            date: text(r, 2)?,
            from: super::row::opt_code(r, 3)?,
            to: code(r, 4)?,
            doc_no: text(r, 5)?,
            note: text(r, 6)?,
            user: text(r, 7)?,
            undo: r.get(8)?,
        })
    })?
    .collect::<rusqlite::Result<_>>()?)
}

/// The high-tech zones that are not synthetic copies: (id, name), in order.
pub fn zones(conn: &Connection) -> Result<Vec<(i64, String)>> {
    let mut s = conn.prepare("SELECT id, name FROM units WHERE kind = 'zone' AND synthetic = 0 ORDER BY sort")?;
    let v = s
        .query_map([], |r| Ok((r.get(0)?, text(r, 1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(v)
}
