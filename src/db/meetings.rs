//! The leading group's meetings (article 17).

use chrono::NaiveDate;
use rusqlite::{Connection, params};

use super::Result;
use crate::domain::MeetingStatus;

/// Adds a meeting; returns its id.
pub fn insert(conn: &Connection, date: NaiveDate, title: &str, kind: &str, status: MeetingStatus) -> Result<i64> {
    conn.execute(
        "INSERT INTO meetings (date, title, kind, status) VALUES (?1, ?2, ?3, ?4)",
        params![date.to_string(), title, kind, status.code()],
    )?;
    Ok(conn.last_insert_rowid())
}
