//! Queries of the delegated-authority checklist.

use chrono::NaiveDate;
use rusqlite::Connection;

use super::Result;
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
                zone: r.get(2)?,
                domain: AuthorityDomain::from_code(&r.get::<_, String>(3)?).unwrap_or(AuthorityDomain::SciTech),
                level: AuthorityLevel::from_code(&r.get::<_, String>(4)?).unwrap_or(AuthorityLevel::Region),
                name: r.get(5)?,
                grantor: r.get(6)?,
                status: AuthorityStatus::from_code(&r.get::<_, String>(7)?).unwrap_or(AuthorityStatus::Proposed),
                doc_no: r.get(8)?,
                due_date: r
                    .get::<_, Option<String>>(9)?
                    .and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok()),
                note: r.get(10)?,
                version: r.get(11)?,
                zone_short: r.get(12)?,
                proposed_date: r.get(13)?,
                approved_date: r.get(14)?,
                delegated_date: r.get(15)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(v)
}
