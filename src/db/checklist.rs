//! Queries of the delegated-authority checklist.

use chrono::NaiveDate;
use rusqlite::Connection;

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
        "SELECT i.id, i.zone_id, z.full_name, i.domain, i.level, i.name, COALESCE(g.short_name, ''), i.status,
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
