//! One report row's state, as the write path reads and changes it.

use rusqlite::{Connection, OptionalExtension, params};

use super::Result;
use super::row::{code, opt_text, text};
use crate::domain::{Month, ReportStatus};

/// The changeable state of one report version.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportState {
    pub id: i64,
    pub unit_id: i64,
    pub month: Month,
    pub version_no: i64,
    pub status: ReportStatus,
    /// Row version for optimistic concurrency.
    pub version: i64,
    pub return_reason: String,
    pub resubmit_by: Option<String>,
    pub latest: bool,
}

const COLS: &str = "id, unit_id, month, version_no, status, version, return_reason, resubmit_by, latest FROM reports";

fn read(r: &rusqlite::Row) -> rusqlite::Result<ReportState> {
    let month = text(r, 2)?;
    Ok(ReportState {
        id: r.get(0)?,
        unit_id: r.get(1)?,
        month: month
            .parse()
            .map_err(|e: String| rusqlite::Error::FromSqlConversionFailure(2, rusqlite::types::Type::Text, e.into()))?,
        version_no: r.get(3)?,
        status: code(r, 4)?,
        version: r.get(5)?,
        return_reason: text(r, 6)?,
        resubmit_by: opt_text(r, 7)?,
        latest: r.get(8)?,
    })
}

/// A report row by id.
pub fn state(conn: &Connection, id: i64) -> Result<Option<ReportState>> {
    Ok(conn
        .query_row(&format!("SELECT {COLS} WHERE id = ?1"), [id], read)
        .optional()?)
}

/// The newest version of a unit's report for a month, if any arrived.
/// When a report must come back: its resubmission date, else its due date.
pub fn resubmit_or_due(conn: &Connection, id: i64) -> Result<Option<chrono::NaiveDate>> {
    Ok(conn
        .query_row(
            "SELECT COALESCE(resubmit_by, due_date) FROM reports WHERE id = ?1",
            [id],
            |row| super::row::opt_day(row, 0),
        )
        .optional()?
        .flatten())
}

pub fn latest(conn: &Connection, unit: i64, month: Month) -> Result<Option<ReportState>> {
    Ok(conn
        .query_row(
            &format!("SELECT {COLS} WHERE unit_id = ?1 AND month = ?2 AND latest = 1"),
            params![unit, month.to_string()],
            read,
        )
        .optional()?)
}

/// Sets a report's status, reason and resubmission date, only if its row
/// version is still `version`; bumps the version. Returns whether it changed.
pub fn set_state(
    conn: &Connection,
    id: i64,
    version: i64,
    status: ReportStatus,
    reason: &str,
    resubmit_by: Option<&str>,
) -> Result<bool> {
    Ok(conn.execute(
        "UPDATE reports SET status = ?3, return_reason = ?4, resubmit_by = ?5, version = version + 1
         WHERE id = ?1 AND version = ?2",
        params![id, version, status.code(), reason, resubmit_by],
    )? == 1)
}

/// The office-wide day of the following month on which reports are due.
pub fn due_day(conn: &Connection) -> Result<u32> {
    Ok(super::meta(conn, "report_due_day")?
        .and_then(|d| d.parse().ok())
        .unwrap_or(super::load::DEFAULT_REPORT_DUE_DAY))
}

/// A new version of a unit's report for a month.
#[derive(Debug, Clone)]
pub struct NewVersion<'a> {
    pub unit_id: i64,
    pub month: Month,
    pub due_date: chrono::NaiveDate,
    /// Local `YYYY-MM-DD HH:MM`.
    pub received_at: &'a str,
    pub body: &'a crate::intake::ReportBody,
    /// `file` or `typed` (`demo` for the sample's).
    pub source: &'a str,
    pub import_id: Option<i64>,
    /// New for everything that arrives; the sample's own history sets others.
    pub status: ReportStatus,
    pub return_reason: &'a str,
    pub resubmit_by: Option<chrono::NaiveDate>,
}

/// Adds a report version with its progress entries and indicator values;
/// the trigger marks earlier versions as superseded.
/// Returns the report's id and version number.
pub fn insert_version(conn: &Connection, v: &NewVersion) -> Result<(i64, i64)> {
    let m = v.month.to_string();
    let version_no: i64 = conn.query_row(
        "SELECT coalesce(max(version_no), 0) + 1 FROM reports WHERE unit_id = ?1 AND month = ?2",
        params![v.unit_id, m],
        |r| r.get(0),
    )?;
    conn.execute(
        "INSERT INTO reports (unit_id, month, version_no, status, due_date, received_at, summary, source,
                              import_id, contact_name, contact_phone, return_reason, resubmit_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
        params![
            v.unit_id,
            m,
            version_no,
            v.status.code(),
            v.due_date.to_string(),
            v.received_at,
            v.body.summary,
            v.source,
            v.import_id,
            v.body.contact_name,
            v.body.contact_phone,
            v.return_reason,
            v.resubmit_by.map(|d| d.to_string()),
        ],
    )?;
    let id = conn.last_insert_rowid();
    let mut s = conn.prepare_cached(
        "INSERT INTO report_items (report_id, article_no, progress, status, difficulties, next_steps)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    for it in &v.body.items {
        s.execute(params![
            id,
            it.article_no,
            it.progress,
            it.status.code(),
            it.difficulties,
            it.next_steps
        ])?;
    }
    let mut s = conn.prepare_cached("INSERT INTO report_values (report_id, target_code, value) VALUES (?1, ?2, ?3)")?;
    for x in &v.body.values {
        s.execute(params![id, x.code, x.value])?;
    }
    put_values(conn, v.unit_id, v.month, &v.body.values, Some(id), v.import_id)?;
    Ok((id, version_no))
}

/// Sets the indicator figures in force for a unit and month (the newest
/// source wins), remembering the report or import they came from.
pub fn put_values(
    conn: &Connection,
    unit_id: i64,
    month: Month,
    values: &[crate::intake::Value],
    report_id: Option<i64>,
    import_id: Option<i64>,
) -> Result<()> {
    let mut s = conn.prepare_cached(
        "INSERT INTO indicator_values (unit_id, period, target_code, value, report_id, import_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (unit_id, period, target_code)
         DO UPDATE SET value = excluded.value, report_id = excluded.report_id, import_id = excluded.import_id",
    )?;
    for x in values {
        s.execute(params![
            unit_id,
            month.to_string(),
            x.code,
            x.value,
            report_id,
            import_id
        ])?;
    }
    Ok(())
}
