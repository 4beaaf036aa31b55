//! The queries behind `dudao check`: SQLite's own checks, the schema
//! version, the text cells and the application's invariants. Each returns
//! one line per problem found (at most [`MAX_LINES`], then a count).

use rusqlite::Connection;
use rusqlite::types::ValueRef;

use super::Result;

/// At most this many lines are listed under one check.
pub const MAX_LINES: usize = 20;

pub fn capped(mut v: Vec<String>, total: usize) -> Vec<String> {
    if total > v.len() {
        v.push(format!("… and {} more", total - v.len()));
    }
    v
}

fn text_of(v: ValueRef<'_>) -> String {
    match v {
        ValueRef::Text(b) | ValueRef::Blob(b) => String::from_utf8_lossy(b).into_owned(),
        ValueRef::Integer(n) => n.to_string(),
        ValueRef::Real(x) => x.to_string(),
        ValueRef::Null => String::new(),
    }
}

fn strings(conn: &Connection, sql: &str) -> Result<Vec<String>> {
    let mut s = conn.prepare(sql)?;
    let mut rows = s.query([])?;
    let (mut v, mut total) = (Vec::new(), 0);
    while let Some(r) = rows.next()? {
        total += 1;
        if v.len() < MAX_LINES {
            v.push(text_of(r.get_ref(0)?));
        }
    }
    Ok(capped(v, total))
}

/// Invariants: each is a query returning one line per violation.
pub const INVARIANTS: &[(&str, &str)] = &[
    (
        "assignment via a collective the unit belongs to",
        "SELECT 'assignment ' || x.id || ': unit ' || x.unit_id || ' not a member of ' || x.via_id
         FROM assignments x WHERE x.via_id IS NOT NULL AND NOT EXISTS
           (SELECT 1 FROM collective_members c WHERE c.collective_id = x.via_id AND c.member_id = x.unit_id)",
    ),
    (
        "collectives hold no direct reports",
        "SELECT 'report ' || r.id || ' belongs to collective ' || u.name
         FROM reports r JOIN units u ON u.id = r.unit_id WHERE u.kind = 'collective'",
    ),
    (
        "report versions are 1..n without gaps",
        "SELECT 'unit ' || unit_id || ' month ' || month || ': versions ' || group_concat(version_no)
         FROM reports GROUP BY unit_id, month HAVING max(version_no) != count(*)",
    ),
    (
        "exactly the newest version of each report is marked latest",
        "SELECT 'unit ' || unit_id || ' month ' || month || ': latest flags ' || group_concat(version_no || '=' || latest)
         FROM reports GROUP BY unit_id, month
         HAVING sum(latest) != 1 OR max(CASE WHEN latest = 1 THEN version_no END) != max(version_no)",
    ),
    (
        "returned reports carry a reason",
        "SELECT 'report ' || id || ' returned without a reason' FROM reports
         WHERE status = 'returned' AND trim(return_reason) = ''",
    ),
    (
        "imported reports come from an accepted import",
        "SELECT 'report ' || r.id || ' has source file but no imported file record' FROM reports r
         WHERE r.source = 'file' AND NOT EXISTS (SELECT 1 FROM imports i WHERE i.id = r.import_id AND i.result = 'imported')",
    ),
    (
        "months are YYYY-MM",
        "SELECT 'report ' || id || ' month ' || month FROM reports
         WHERE month NOT GLOB '[12][0-9][0-9][0-9]-[01][0-9]' OR substr(month, 6, 2) NOT BETWEEN '01' AND '12'",
    ),
    (
        "indicator values match their report",
        "SELECT 'indicator value ' || v.id FROM indicator_values v JOIN reports r ON r.id = v.report_id
         WHERE r.unit_id != v.unit_id OR r.month != v.period",
    ),
    (
        "finished measures have a done date",
        "SELECT 'measure ' || id FROM measures WHERE (status = 'done') != (done_date IS NOT NULL)",
    ),
    (
        "delegated authority items have a document number",
        "SELECT 'authority item ' || id || ' (' || name || ')' FROM authority_items
         WHERE status IN ('delegated','undertaken') AND trim(doc_no) = ''",
    ),
    (
        "audited entities exist",
        "SELECT 'audit ' || a.id || ': ' || a.entity || ' ' || a.entity_id || ' is missing' FROM audit_log a
         WHERE a.result = 'ok' AND a.entity_id != '' AND (
              (a.entity = 'report' AND NOT EXISTS (SELECT 1 FROM units u
                   WHERE u.id = CAST(substr(a.entity_id, 1, instr(a.entity_id, ':') - 1) AS INTEGER)))
           OR (a.entity = 'authority' AND NOT EXISTS (SELECT 1 FROM authority_items i WHERE CAST(i.id AS TEXT) = a.entity_id))
           OR (a.entity = 'measure' AND NOT EXISTS (SELECT 1 FROM measures m WHERE CAST(m.id AS TEXT) = a.entity_id))
           OR (a.entity = 'meeting' AND NOT EXISTS (SELECT 1 FROM meetings g WHERE CAST(g.id AS TEXT) = a.entity_id)))",
    ),
    (
        "every note and reminder is about an existing unit or item",
        "SELECT 'note ' || id || ': ' || entity || ' ' || entity_key FROM notes n WHERE NOT (
              (entity = 'report' AND EXISTS (SELECT 1 FROM units u WHERE u.id = CAST(substr(n.entity_key, 1, instr(n.entity_key, ':') - 1) AS INTEGER)))
           OR (entity = 'measure' AND EXISTS (SELECT 1 FROM measures m WHERE CAST(m.id AS TEXT) = n.entity_key))
           OR (entity = 'authority' AND EXISTS (SELECT 1 FROM authority_items i WHERE CAST(i.id AS TEXT) = n.entity_key))
           OR (entity = 'meeting' AND EXISTS (SELECT 1 FROM meetings g WHERE CAST(g.id AS TEXT) = n.entity_key)))",
    ),
];

/// The file's schema is the one the migrations create: every table, index,
/// view and trigger (the audit log's append-only triggers among them)
/// present as created, nothing added, whatever its name (a trigger called
/// `sqlite_…`, made with `PRAGMA writable_schema`, counts too).
pub fn schema_as_created(conn: &Connection) -> Result<Vec<String>> {
    Ok(super::schema::differences(conn)?
        .iter()
        .map(|d| d.to_string())
        .collect())
}

fn quote(ident: &str) -> String {
    format!("\"{}\"", ident.replace('"', "\"\""))
}

/// Every cell of a TEXT column holds text, and that text is UTF-8: a BLOB
/// or a flipped byte is named by table, row and column.
pub fn text_cells(conn: &Connection) -> Result<Vec<String>> {
    let tables = {
        let mut s = conn.prepare(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND substr(name, 1, 7) != 'sqlite_' ORDER BY name",
        )?;
        s.query_map([], |r| Ok(text_of(r.get_ref(0)?)))?
            .collect::<rusqlite::Result<Vec<String>>>()?
    };
    let (mut out, mut total) = (Vec::new(), 0usize);
    for t in tables {
        let cols: Vec<String> = {
            let mut s = conn.prepare(&format!("PRAGMA table_info({})", quote(&t)))?;
            s.query_map([], |r| Ok((text_of(r.get_ref(1)?), text_of(r.get_ref(2)?))))?
                .collect::<rusqlite::Result<Vec<(String, String)>>>()?
                .into_iter()
                .filter(|(_, ty)| ty.to_ascii_uppercase().contains("TEXT"))
                .map(|(c, _)| c)
                .collect()
        };
        if cols.is_empty() {
            continue;
        }
        let list: Vec<String> = cols.iter().map(|c| quote(c)).collect();
        let mut s = conn.prepare(&format!("SELECT rowid, {} FROM {}", list.join(", "), quote(&t)))?;
        let mut rows = s.query([])?;
        while let Some(r) = rows.next()? {
            let rowid = text_of(r.get_ref(0)?);
            for (i, c) in cols.iter().enumerate() {
                let problem = match r.get_ref(i + 1)? {
                    ValueRef::Blob(_) => Some("a BLOB where text is expected".to_string()),
                    ValueRef::Text(b) => std::str::from_utf8(b)
                        .err()
                        .map(|e| format!("not valid UTF-8 (byte {})", e.valid_up_to())),
                    _ => None,
                };
                if let Some(p) = problem {
                    total += 1;
                    if out.len() < MAX_LINES {
                        out.push(format!("{t} row {rowid} column {c}: {p}"));
                    }
                }
            }
        }
    }
    Ok(capped(out, total))
}

pub fn foreign_keys(conn: &Connection) -> Result<Vec<String>> {
    let mut s = conn.prepare("PRAGMA foreign_key_check")?;
    let mut rows = s.query([])?;
    let (mut v, mut total) = (Vec::new(), 0);
    while let Some(r) = rows.next()? {
        total += 1;
        if v.len() < MAX_LINES {
            v.push(format!(
                "{} row {} -> {}",
                text_of(r.get_ref(0)?),
                text_of(r.get_ref(1)?),
                text_of(r.get_ref(2)?)
            ));
        }
    }
    Ok(capped(v, total))
}

pub fn schema_version(conn: &Connection) -> Result<Vec<String>> {
    let v: i32 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    let recorded: Option<String> = conn
        .query_row("SELECT value FROM meta WHERE key = 'schema_version'", [], |r| {
            Ok(text_of(r.get_ref(0)?))
        })
        .ok();
    Ok(if v != super::current_version() {
        vec![format!("user_version {v}, expected {}", super::current_version())]
    } else if recorded.as_deref() != Some(v.to_string().as_str()) {
        vec![format!(
            "meta schema_version {recorded:?} does not match user_version {v}"
        )]
    } else {
        vec![]
    })
}

/// `PRAGMA integrity_check`: nothing when it says `ok`.
pub fn integrity(conn: &Connection) -> Result<Vec<String>> {
    strings(conn, "PRAGMA integrity_check").map(|v| v.into_iter().filter(|s| s != "ok").collect())
}

/// The invariant called `name` (one of [`INVARIANTS`]).
pub fn invariant(conn: &Connection, name: &str) -> Result<Vec<String>> {
    match INVARIANTS.iter().find(|(n, _)| *n == name) {
        Some((_, sql)) => strings(conn, sql),
        None => Ok(Vec::new()),
    }
}
