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
