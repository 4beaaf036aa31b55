//! `dudao check`: SQLite's own checks plus the app's invariants.

use rusqlite::Connection;

use crate::db::{self, Result, audit};

/// One named check and what it found.
#[derive(Debug, Clone)]
pub struct Finding {
    pub name: &'static str,
    /// Empty when the check passed.
    pub problems: Vec<String>,
}

impl Finding {
    pub fn ok(&self) -> bool {
        self.problems.is_empty()
    }
}

fn strings(conn: &Connection, sql: &str) -> Result<Vec<String>> {
    let mut s = conn.prepare(sql)?;
    let v = s
        .query_map([], |r| r.get::<_, String>(0))?
        .take(20)
        .collect::<rusqlite::Result<_>>()?;
    Ok(v)
}

/// Invariants: each is a query returning one line per violation.
const INVARIANTS: &[(&str, &str)] = &[
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

/// Runs every check; never stops at the first failure.
pub fn run(conn: &Connection) -> Result<Vec<Finding>> {
    let mut out = Vec::new();
    let integrity = strings(conn, "PRAGMA integrity_check")?;
    out.push(Finding {
        name: "integrity_check",
        problems: integrity.into_iter().filter(|s| s != "ok").collect(),
    });
    let mut s = conn.prepare("PRAGMA foreign_key_check")?;
    let fk: Vec<String> = s
        .query_map([], |r| {
            Ok(format!(
                "{} row {} -> {}",
                r.get::<_, String>(0)?,
                r.get::<_, Option<i64>>(1)?.unwrap_or(0),
                r.get::<_, String>(2)?
            ))
        })?
        .take(20)
        .collect::<rusqlite::Result<_>>()?;
    out.push(Finding {
        name: "foreign_key_check",
        problems: fk,
    });
    let v: i32 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    let recorded = db::meta(conn, "schema_version")?;
    out.push(Finding {
        name: "schema version",
        problems: if v != db::current_version() {
            vec![format!("user_version {v}, expected {}", db::current_version())]
        } else if recorded.as_deref() != Some(v.to_string().as_str()) {
            vec![format!(
                "meta schema_version {recorded:?} does not match user_version {v}"
            )]
        } else {
            vec![]
        },
    });
    out.push(Finding {
        name: "audit log hash chain",
        problems: audit::verify_chain(conn)?
            .map(|id| format!("chain broken at audit row {id}"))
            .into_iter()
            .collect(),
    });
    for (name, sql) in INVARIANTS {
        out.push(Finding {
            name,
            problems: strings(conn, sql)?,
        });
    }
    Ok(out)
}
