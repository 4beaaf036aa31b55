//! Units by name: what the command line accepts for `--unit` and `UNIT/MONTH`.

use rusqlite::{Connection, OptionalExtension, params};

use super::row::{code, text};
use super::{DbError, Result};
use crate::domain::{ItemKey, Month, UnitKind};

/// A unit as the command line names it.
#[derive(Debug, Clone, PartialEq)]
pub struct UnitRef {
    pub id: i64,
    pub name: String,
    pub short: String,
    pub full_name: String,
    pub kind: UnitKind,
    pub reporting: bool,
}

const COLS: &str = "id, name, short_name, full_name, kind, reporting FROM units";

fn read(r: &rusqlite::Row) -> rusqlite::Result<UnitRef> {
    Ok(UnitRef {
        id: r.get(0)?,
        name: text(r, 1)?,
        short: text(r, 2)?,
        full_name: text(r, 3)?,
        kind: code(r, 4)?,
        reporting: r.get(5)?,
    })
}

/// A unit by id.
pub fn by_id(conn: &Connection, id: i64) -> Result<Option<UnitRef>> {
    Ok(conn
        .query_row(&format!("SELECT {COLS} WHERE id = ?1"), [id], read)
        .optional()?)
}

/// The unit a person means by `name`: its name, short name, full name or an
/// alias, exactly; else the only unit whose name contains it. Ambiguous or
/// unknown names are refused, listing the candidates.
pub fn resolve(conn: &Connection, name: &str) -> Result<UnitRef> {
    let t = name.trim();
    let exact = conn
        .query_row(
            &format!(
                "SELECT {COLS} WHERE name = ?1 OR short_name = ?1 OR full_name = ?1
                 OR id IN (SELECT unit_id FROM unit_aliases WHERE alias = ?1)
                 ORDER BY reporting DESC, sort LIMIT 1"
            ),
            [t],
            read,
        )
        .optional()?;
    if let Some(u) = exact {
        return Ok(u);
    }
    if t.is_empty() {
        return Err(DbError::Invalid("no unit named".into()));
    }
    let mut s = conn.prepare_cached(&format!(
        "SELECT {COLS} WHERE instr(full_name, ?1) > 0 OR instr(name, ?1) > 0 ORDER BY sort LIMIT 6"
    ))?;
    let found: Vec<UnitRef> = s.query_map(params![t], read)?.collect::<rusqlite::Result<_>>()?;
    match found.len() {
        1 => Ok(found.into_iter().next().expect("one")),
        0 => Err(DbError::Invalid(format!(
            "no unit is called {t:?} (see `dudao export units` for the names)"
        ))),
        _ => {
            let names: Vec<&str> = found.iter().map(|u| u.full_name.as_str()).collect();
            Err(DbError::Invalid(format!(
                "{t:?} could mean any of: {}{}",
                names[..names.len().min(5)].join("、"),
                if names.len() > 5 { "、…" } else { "" }
            )))
        }
    }
}

/// An item id as typed on the command line: `R12-2026-10`, `M5`, … or
/// `UNIT/MONTH` for a unit's report (`科技厅/2026-10`).
pub fn resolve_item(conn: &Connection, s: &str) -> Result<ItemKey> {
    if let Some((unit, month)) = s.rsplit_once('/') {
        let month: Month = month.trim().parse().map_err(DbError::Invalid)?;
        let u = resolve(conn, unit)?;
        return Ok(ItemKey::Report { unit: u.id, month });
    }
    s.parse::<ItemKey>().map_err(|e| DbError::Invalid(e.to_string()))
}

/// Every unit of a kind, in unit order.
pub fn of_kind(conn: &Connection, kind: UnitKind) -> Result<Vec<UnitRef>> {
    let mut s = conn.prepare_cached(&format!(
        "SELECT {COLS} WHERE kind = ?1 AND synthetic = 0 ORDER BY sort, id"
    ))?;
    Ok(s.query_map([kind.code()], read)?.collect::<rusqlite::Result<_>>()?)
}

/// Every reporting unit, in the catalog's order.
pub fn reporting(conn: &Connection) -> Result<Vec<UnitRef>> {
    let mut s = conn.prepare(&format!("SELECT {COLS} WHERE reporting = 1 ORDER BY sort, id"))?;
    let v = s.query_map([], read)?.collect::<rusqlite::Result<_>>()?;
    Ok(v)
}

/// The articles a unit has a role on (`lead_only`: as lead unit), in order.
pub fn articles(conn: &Connection, unit: i64, lead_only: bool) -> Result<Vec<i64>> {
    let mut s = conn.prepare_cached(
        "SELECT DISTINCT article_no FROM assignments
         WHERE unit_id = ?1 AND (?2 = 0 OR role = 'lead') ORDER BY article_no",
    )?;
    let v = s
        .query_map(params![unit, lead_only], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(v)
}

/// A synthetic copy `k` of a reporting unit (for `demo --scale`): named
/// after it with （模拟k）, with the same roles and collective memberships.
pub fn add_synthetic_copy(conn: &Connection, of: i64, k: i64) -> Result<i64> {
    conn.execute(
        "INSERT INTO units (name, short_name, full_name, kind, reporting, synthetic, sort)
         SELECT name || '（模拟' || ?2 || '）', short_name || ?2, full_name || '（模拟' || ?2 || '）', kind,
                1, 1, sort + 1000 * ?2
         FROM units WHERE id = ?1",
        params![of, k],
    )?;
    let id = conn.last_insert_rowid();
    conn.execute(
        "INSERT INTO assignments (article_no, unit_id, role, via_id, ord)
         SELECT article_no, ?1, role, via_id, ord FROM assignments WHERE unit_id = ?2",
        params![id, of],
    )?;
    conn.execute(
        "INSERT INTO collective_members (collective_id, member_id)
         SELECT collective_id, ?1 FROM collective_members WHERE member_id = ?2",
        params![id, of],
    )?;
    Ok(id)
}
