//! Measures (the trackable tasks of an article): their due dates, status
//! and owners, as the matrix, `dudao measure` and the write path read and
//! change them.

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, params};

use super::Result;
use super::row::{code, opt_day, text};
use crate::domain::MeasureStatus;

/// A measure with its owners.
#[derive(Debug, Clone, PartialEq)]
pub struct Measure {
    pub id: i64,
    pub article_no: i64,
    pub article_title: String,
    pub ord: i64,
    pub text: String,
    pub due: Option<NaiveDate>,
    pub status: MeasureStatus,
    pub done_date: Option<NaiveDate>,
    /// Owner unit ids and full names, in unit order.
    pub owners: Vec<(i64, String)>,
    /// Row version, for optimistic concurrency.
    pub version: i64,
}

/// What a measure can be set to: its whole changeable state.
#[derive(Debug, Clone, PartialEq)]
pub struct MeasurePlan {
    pub due: Option<NaiveDate>,
    /// `Some(date)`: done on that date; `None`: open.
    pub done: Option<NaiveDate>,
    pub owners: Vec<i64>,
}

impl Measure {
    pub fn plan(&self) -> MeasurePlan {
        MeasurePlan {
            due: self.due,
            done: self.done_date.filter(|_| self.status == MeasureStatus::Done),
            owners: self.owners.iter().map(|o| o.0).collect(),
        }
    }
}

/// Which measures to list.
#[derive(Debug, Clone, Default)]
pub struct MeasureFilter {
    pub article: Option<i64>,
    /// Measures this unit owns.
    pub unit: Option<i64>,
    pub open_only: bool,
}

const COLS: &str = "m.id, m.article_no, a.title, m.ord, m.text, m.due_date, m.status, m.done_date, m.version
     FROM measures m JOIN articles a ON a.no = m.article_no";

fn read(r: &rusqlite::Row) -> rusqlite::Result<Measure> {
    Ok(Measure {
        id: r.get(0)?,
        article_no: r.get(1)?,
        article_title: text(r, 2)?,
        ord: r.get(3)?,
        text: text(r, 4)?,
        due: opt_day(r, 5)?,
        status: code(r, 6)?,
        done_date: opt_day(r, 7)?,
        owners: Vec::new(),
        version: r.get(8)?,
    })
}

fn owners(conn: &Connection, id: i64) -> Result<Vec<(i64, String)>> {
    let mut s = conn.prepare_cached(
        "SELECT u.id, u.full_name FROM measure_owners o JOIN units u ON u.id = o.unit_id
         WHERE o.measure_id = ?1 ORDER BY u.sort, u.id",
    )?;
    Ok(s.query_map([id], |r| Ok((r.get(0)?, text(r, 1)?)))?
        .collect::<rusqlite::Result<_>>()?)
}

/// One measure with its owners.
/// A measure's status and due date (`None`: no such measure).
pub fn status_and_due(conn: &Connection, id: i64) -> Result<Option<(MeasureStatus, Option<NaiveDate>)>> {
    Ok(conn
        .query_row("SELECT status, due_date FROM measures WHERE id = ?1", [id], |r| {
            Ok((code::<MeasureStatus>(r, 0)?, opt_day(r, 1)?))
        })
        .optional()?)
}

pub fn get(conn: &Connection, id: i64) -> Result<Option<Measure>> {
    let m = conn
        .query_row(&format!("SELECT {COLS} WHERE m.id = ?1"), [id], read)
        .optional()?;
    match m {
        Some(mut m) => {
            m.owners = owners(conn, m.id)?;
            Ok(Some(m))
        }
        None => Ok(None),
    }
}

/// Measures by article and order, filtered.
pub fn list(conn: &Connection, f: &MeasureFilter) -> Result<Vec<Measure>> {
    let mut s = conn.prepare_cached(&format!(
        "SELECT {COLS}
         WHERE (?1 IS NULL OR m.article_no = ?1)
           AND (?2 IS NULL OR EXISTS (SELECT 1 FROM measure_owners o WHERE o.measure_id = m.id AND o.unit_id = ?2))
           AND (?3 = 0 OR m.status = 'open')
         ORDER BY m.article_no, m.ord"
    ))?;
    let mut v: Vec<Measure> = s
        .query_map(params![f.article, f.unit, f.open_only], read)?
        .collect::<rusqlite::Result<_>>()?;
    for m in &mut v {
        m.owners = owners(conn, m.id)?;
    }
    Ok(v)
}

/// The units named on an article (lead or partner, directly or through a
/// collective): who may own its measures.
pub fn article_units(conn: &Connection, article: i64) -> Result<Vec<(i64, String)>> {
    let mut s = conn.prepare_cached(
        "SELECT u.id, u.full_name FROM units u
         WHERE u.id IN (SELECT unit_id FROM assignments WHERE article_no = ?1)
         ORDER BY u.sort, u.id",
    )?;
    Ok(s.query_map([article], |r| Ok((r.get(0)?, text(r, 1)?)))?
        .collect::<rusqlite::Result<_>>()?)
}

/// Sets a measure's due date, status and owners if its row version is
/// still `version`; bumps the version. Returns whether it changed.
pub fn set(conn: &Connection, id: i64, version: i64, p: &MeasurePlan) -> Result<bool> {
    let (status, done) = match p.done {
        Some(d) => (MeasureStatus::Done, Some(d.to_string())),
        None => (MeasureStatus::Open, None),
    };
    let n = conn.execute(
        "UPDATE measures SET due_date = ?3, status = ?4, done_date = ?5, version = version + 1
         WHERE id = ?1 AND version = ?2",
        params![id, version, p.due.map(|d| d.to_string()), status.code(), done],
    )?;
    if n != 1 {
        return Ok(false);
    }
    conn.execute("DELETE FROM measure_owners WHERE measure_id = ?1", [id])?;
    let mut s = conn.prepare_cached("INSERT INTO measure_owners (measure_id, unit_id) VALUES (?1, ?2)")?;
    for o in &p.owners {
        s.execute(params![id, o])?;
    }
    Ok(true)
}

/// Every measure's article and text, in order.
pub fn texts(conn: &Connection) -> Result<Vec<(i64, String)>> {
    let mut s = conn.prepare("SELECT article_no, text FROM measures ORDER BY article_no, ord")?;
    let v = s
        .query_map([], |r| Ok((r.get(0)?, text(r, 1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(v)
}

/// The measures that have an owner, in order.
pub fn owned(conn: &Connection) -> Result<Vec<i64>> {
    let mut s =
        conn.prepare("SELECT id FROM measures WHERE id IN (SELECT measure_id FROM measure_owners) ORDER BY id")?;
    let v = s.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
    Ok(v)
}

/// A measure's first owner (by unit id).
pub fn first_owner(conn: &Connection, id: i64) -> Result<Option<i64>> {
    Ok(conn
        .query_row(
            "SELECT unit_id FROM measure_owners WHERE measure_id = ?1 ORDER BY unit_id LIMIT 1",
            [id],
            |r| r.get(0),
        )
        .optional()?)
}
