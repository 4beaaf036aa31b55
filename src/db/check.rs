//! The queries behind `dudao check`: SQLite's own checks, the schema
//! version, the text cells and the application's invariants. Each returns
//! what it found as typed [`Problem`]s (at most [`MAX_LINES`], then how
//! many more); `check` words them in the user's language.

use rusqlite::Connection;
use rusqlite::types::ValueRef;

use super::Result;

/// At most this many lines are listed under one check.
pub const MAX_LINES: usize = 20;

/// One thing a check found wrong.
#[derive(Debug, Clone, PartialEq)]
pub enum Problem {
    /// A line of SQLite's `integrity_check` (SQLite's own words).
    Sqlite(String),
    /// A row whose foreign key points nowhere.
    ForeignKey {
        table: String,
        row: String,
        parent: String,
    },
    /// `PRAGMA user_version` is not this dudao's.
    UserVersion {
        found: i32,
        expected: i32,
    },
    /// The version recorded in `meta` does not match `user_version`.
    MetaVersion {
        recorded: Option<String>,
        found: i32,
    },
    /// An object of the schema not as dudao made it.
    Schema(super::schema::Difference),
    /// The audit log's hash chain breaks at this row.
    ChainBroken {
        id: i64,
    },
    Anchor(super::anchor::Problem),
    Item(super::state::Problem),
    /// A text cell holding a BLOB, or bytes that are not UTF-8 (valid up
    /// to `valid_up_to`).
    TextCell {
        table: String,
        row: String,
        column: String,
        blob: bool,
        valid_up_to: usize,
    },
    /// A row that breaks an invariant, with the values that name it.
    Invariant {
        which: Invariant,
        values: Vec<String>,
    },
    /// More problems than are listed.
    More {
        count: usize,
    },
}

/// The application's invariants, each a query returning one row per
/// violation (its columns name the rows concerned).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Invariant {
    ViaMember,
    CollectiveReports,
    VersionGaps,
    Latest,
    ReturnReason,
    ImportedFrom,
    MonthShape,
    IndicatorReport,
    DoneDate,
    DocNo,
    AuditedExist,
    NotesAbout,
}

impl Invariant {
    pub const ALL: [Invariant; 12] = [
        Invariant::ViaMember,
        Invariant::CollectiveReports,
        Invariant::VersionGaps,
        Invariant::Latest,
        Invariant::ReturnReason,
        Invariant::ImportedFrom,
        Invariant::MonthShape,
        Invariant::IndicatorReport,
        Invariant::DoneDate,
        Invariant::DocNo,
        Invariant::AuditedExist,
        Invariant::NotesAbout,
    ];

    fn sql(self) -> &'static str {
        match self {
            Invariant::ViaMember => {
                "SELECT x.id, x.unit_id, x.via_id
                 FROM assignments x WHERE x.via_id IS NOT NULL AND NOT EXISTS
                   (SELECT 1 FROM collective_members c WHERE c.collective_id = x.via_id AND c.member_id = x.unit_id)"
            }
            Invariant::CollectiveReports => {
                "SELECT r.id, u.name FROM reports r JOIN units u ON u.id = r.unit_id WHERE u.kind = 'collective'"
            }
            Invariant::VersionGaps => {
                "SELECT unit_id, month, group_concat(version_no)
                 FROM reports GROUP BY unit_id, month HAVING max(version_no) != count(*)"
            }
            Invariant::Latest => {
                "SELECT unit_id, month, group_concat(version_no || '=' || latest)
                 FROM reports GROUP BY unit_id, month
                 HAVING sum(latest) != 1 OR max(CASE WHEN latest = 1 THEN version_no END) != max(version_no)"
            }
            Invariant::ReturnReason => {
                "SELECT id FROM reports WHERE status = 'returned' AND trim(return_reason) = ''"
            }
            Invariant::ImportedFrom => {
                "SELECT r.id FROM reports r
                 WHERE r.source = 'file' AND NOT EXISTS
                   (SELECT 1 FROM imports i WHERE i.id = r.import_id AND i.result = 'imported')"
            }
            Invariant::MonthShape => {
                "SELECT id, month FROM reports
                 WHERE month NOT GLOB '[12][0-9][0-9][0-9]-[01][0-9]' OR substr(month, 6, 2) NOT BETWEEN '01' AND '12'"
            }
            Invariant::IndicatorReport => {
                "SELECT v.id FROM indicator_values v JOIN reports r ON r.id = v.report_id
                 WHERE r.unit_id != v.unit_id OR r.month != v.period"
            }
            Invariant::DoneDate => "SELECT id FROM measures WHERE (status = 'done') != (done_date IS NOT NULL)",
            Invariant::DocNo => {
                "SELECT id, name FROM authority_items WHERE status IN ('delegated','undertaken') AND trim(doc_no) = ''"
            }
            Invariant::AuditedExist => {
                "SELECT a.id, a.entity, a.entity_id FROM audit_log a
                 WHERE a.result = 'ok' AND a.entity_id != '' AND (
                      (a.entity = 'report' AND NOT EXISTS (SELECT 1 FROM units u
                           WHERE u.id = CAST(substr(a.entity_id, 1, instr(a.entity_id, ':') - 1) AS INTEGER)))
                   OR (a.entity = 'authority' AND NOT EXISTS (SELECT 1 FROM authority_items i WHERE CAST(i.id AS TEXT) = a.entity_id))
                   OR (a.entity = 'measure' AND NOT EXISTS (SELECT 1 FROM measures m WHERE CAST(m.id AS TEXT) = a.entity_id))
                   OR (a.entity = 'meeting' AND NOT EXISTS (SELECT 1 FROM meetings g WHERE CAST(g.id AS TEXT) = a.entity_id)))"
            }
            Invariant::NotesAbout => {
                "SELECT id, entity, entity_key FROM notes n WHERE NOT (
                      (entity = 'report' AND EXISTS (SELECT 1 FROM units u WHERE u.id = CAST(substr(n.entity_key, 1, instr(n.entity_key, ':') - 1) AS INTEGER)))
                   OR (entity = 'measure' AND EXISTS (SELECT 1 FROM measures m WHERE CAST(m.id AS TEXT) = n.entity_key))
                   OR (entity = 'authority' AND EXISTS (SELECT 1 FROM authority_items i WHERE CAST(i.id AS TEXT) = n.entity_key))
                   OR (entity = 'meeting' AND EXISTS (SELECT 1 FROM meetings g WHERE CAST(g.id AS TEXT) = n.entity_key)))"
            }
        }
    }
}

/// `list` cut at [`MAX_LINES`], with how many more there were.
pub fn capped(mut list: Vec<Problem>) -> Vec<Problem> {
    if list.len() > MAX_LINES {
        let count = list.len() - MAX_LINES;
        list.truncate(MAX_LINES);
        list.push(Problem::More { count });
    }
    list
}

fn text_of(v: ValueRef<'_>) -> String {
    match v {
        ValueRef::Text(b) | ValueRef::Blob(b) => String::from_utf8_lossy(b).into_owned(),
        ValueRef::Integer(n) => n.to_string(),
        ValueRef::Real(x) => x.to_string(),
        ValueRef::Null => String::new(),
    }
}

/// Every row of `sql` as its columns' texts: at most [`MAX_LINES`] rows,
/// then how many more.
fn rows(conn: &Connection, sql: &str, make: impl Fn(Vec<String>) -> Problem) -> Result<Vec<Problem>> {
    let mut s = conn.prepare(sql)?;
    let n = s.column_count();
    let mut rows = s.query([])?;
    let (mut v, mut total) = (Vec::new(), 0);
    while let Some(r) = rows.next()? {
        total += 1;
        if v.len() < MAX_LINES {
            let values = (0..n)
                .map(|i| r.get_ref(i).map(text_of))
                .collect::<rusqlite::Result<_>>()?;
            v.push(make(values));
        }
    }
    if total > v.len() {
        v.push(Problem::More { count: total - v.len() });
    }
    Ok(v)
}

/// The rows that break `which`.
pub fn invariant(conn: &Connection, which: Invariant) -> Result<Vec<Problem>> {
    rows(conn, which.sql(), |values| Problem::Invariant { which, values })
}

/// The file's schema is the one the migrations create: every table, index,
/// view and trigger (the audit log's append-only triggers among them)
/// present as created, nothing added, whatever its name (a trigger called
/// `sqlite_…`, made with `PRAGMA writable_schema`, counts too).
pub fn schema_as_created(conn: &Connection) -> Result<Vec<Problem>> {
    Ok(capped(
        super::schema::differences(conn)?
            .into_iter()
            .map(Problem::Schema)
            .collect(),
    ))
}

fn quote(ident: &str) -> String {
    format!("\"{}\"", ident.replace('"', "\"\""))
}

/// Every cell of a TEXT column holds text, and that text is UTF-8: a BLOB
/// or a flipped byte is named by table, row and column.
pub fn text_cells(conn: &Connection) -> Result<Vec<Problem>> {
    let tables = {
        let mut s = conn.prepare(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND substr(name, 1, 7) != 'sqlite_' ORDER BY name",
        )?;
        s.query_map([], |r| Ok(text_of(r.get_ref(0)?)))?
            .collect::<rusqlite::Result<Vec<String>>>()?
    };
    let mut out = Vec::new();
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
                let bad = match r.get_ref(i + 1)? {
                    ValueRef::Blob(_) => Some((true, 0)),
                    ValueRef::Text(b) => std::str::from_utf8(b).err().map(|e| (false, e.valid_up_to())),
                    _ => None,
                };
                if let Some((blob, valid_up_to)) = bad {
                    out.push(Problem::TextCell {
                        table: t.clone(),
                        row: rowid.clone(),
                        column: c.clone(),
                        blob,
                        valid_up_to,
                    });
                }
            }
        }
    }
    Ok(capped(out))
}

pub fn foreign_keys(conn: &Connection) -> Result<Vec<Problem>> {
    rows(
        conn,
        "SELECT \"table\", rowid, parent FROM pragma_foreign_key_check",
        |v| {
            let mut v = v.into_iter();
            Problem::ForeignKey {
                table: v.next().unwrap_or_default(),
                row: v.next().unwrap_or_default(),
                parent: v.next().unwrap_or_default(),
            }
        },
    )
}

pub fn schema_version(conn: &Connection) -> Result<Vec<Problem>> {
    let v: i32 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    let recorded: Option<String> = conn
        .query_row("SELECT value FROM meta WHERE key = 'schema_version'", [], |r| {
            Ok(text_of(r.get_ref(0)?))
        })
        .ok();
    Ok(if v != super::current_version() {
        vec![Problem::UserVersion {
            found: v,
            expected: super::current_version(),
        }]
    } else if recorded.as_deref() != Some(v.to_string().as_str()) {
        vec![Problem::MetaVersion { recorded, found: v }]
    } else {
        vec![]
    })
}

/// `PRAGMA integrity_check`: nothing when it says `ok`.
pub fn integrity(conn: &Connection) -> Result<Vec<Problem>> {
    Ok(rows(conn, "PRAGMA integrity_check", |v| {
        Problem::Sqlite(v.into_iter().next().unwrap_or_default())
    })?
    .into_iter()
    .filter(|p| !matches!(p, Problem::Sqlite(s) if s == "ok"))
    .collect())
}
