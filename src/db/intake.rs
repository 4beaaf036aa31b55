//! Report files in the database: the catalog a file is checked against,
//! the ledger of imported bytes (`imports`), and the log of every file met
//! (`intake_log`: imported, duplicate or refused, where it went and why).

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, params};

use super::Result;
use super::audit::Actor;
use super::row::{code, opt_text, text};
use crate::domain::Month;
use crate::intake::{CatTarget, CatUnit, Catalog};

/// The units, articles, targets and schedule a report is checked against;
/// reports may be for months up to `today`'s.
pub fn catalog(conn: &Connection, today: NaiveDate) -> Result<Catalog> {
    let mut s = conn.prepare_cached(
        "SELECT u.id, u.full_name, u.name, u.short_name, u.reporting,
                (SELECT group_concat(alias, char(31)) FROM unit_aliases a WHERE a.unit_id = u.id)
         FROM units u ORDER BY u.sort, u.id",
    )?;
    let units = s
        .query_map([], |r| {
            let full = text(r, 1)?;
            let mut names = vec![full.clone(), text(r, 2)?, text(r, 3)?];
            if let Some(a) = opt_text(r, 5)? {
                names.extend(a.split('\u{1f}').map(str::to_string));
            }
            names.retain(|n| !n.is_empty());
            Ok(CatUnit {
                id: r.get(0)?,
                full_name: full,
                names,
                reporting: r.get(4)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut s = conn.prepare_cached("SELECT no FROM articles")?;
    let articles = s.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
    let mut s = conn.prepare_cached("SELECT code, name, kind, unit, reporter_id FROM targets ORDER BY ord")?;
    let targets = s
        .query_map([], |r| {
            Ok(CatTarget {
                code: text(r, 0)?,
                name: text(r, 1)?,
                kind: code(r, 2)?,
                unit: text(r, 3)?,
                reporter: r.get(4)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut s = conn.prepare_cached(
        "SELECT t.id, t.code, t.lead_unit_id, t.state <> 'closed',
                COALESCE((SELECT group_concat(p.unit_id) FROM task_partners p WHERE p.task_id = t.id), '')
         FROM tasks t",
    )?;
    let tasks = s
        .query_map([], |r| {
            let partners: String = text(r, 4)?;
            Ok(crate::intake::CatTask {
                id: r.get(0)?,
                code: text(r, 1)?,
                lead: r.get(2)?,
                open: r.get(3)?,
                partners: partners.split(',').filter_map(|p| p.parse().ok()).collect(),
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(Catalog {
        tasks,
        units,
        articles,
        targets,
        first: super::reporting_start(conn)?,
        last: Month::of(today),
    })
}

/// An earlier import of the same bytes.
#[derive(Debug, Clone, PartialEq)]
pub struct Earlier {
    pub import_id: i64,
    pub at: String,
    pub file_name: String,
}

/// The import of these bytes, if they were imported before.
pub fn imported(conn: &Connection, sha256: &str) -> Result<Option<Earlier>> {
    Ok(conn
        .query_row(
            "SELECT id, received_at, original_name FROM imports WHERE sha256 = ?1 AND result = 'imported'",
            [sha256],
            |r| {
                Ok(Earlier {
                    import_id: r.get(0)?,
                    at: text(r, 1)?,
                    file_name: text(r, 2)?,
                })
            },
        )
        .optional()?)
}

/// Records imported bytes; returns the import's id.
pub fn insert_import(
    conn: &Connection,
    sha256: &str,
    file_name: &str,
    encoding: &str,
    at: &str,
    actor: &Actor,
) -> Result<i64> {
    conn.execute(
        "INSERT INTO imports (sha256, original_name, encoding, received_at, result, by_uid, by_user)
         VALUES (?1, ?2, ?3, ?4, 'imported', ?5, ?6)",
        params![sha256, file_name, encoding, at, actor.uid, actor.user],
    )?;
    Ok(conn.last_insert_rowid())
}

/// Whether a file was imported, a duplicate, or refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogResult {
    Imported,
    Duplicate,
    Refused,
}

impl LogResult {
    pub fn code(self) -> &'static str {
        match self {
            LogResult::Imported => "imported",
            LogResult::Duplicate => "duplicate",
            LogResult::Refused => "refused",
        }
    }

    fn from_code(c: &str) -> LogResult {
        match c {
            "imported" => LogResult::Imported,
            "duplicate" => LogResult::Duplicate,
            _ => LogResult::Refused,
        }
    }
}

/// One file met, as logged.
#[derive(Debug, Clone, PartialEq)]
pub struct LogEntry {
    pub id: i64,
    /// UTC time.
    pub at: String,
    pub user: String,
    pub file_name: String,
    /// Where the file went (`processed/…`, `quarantine/…`), if it was moved or copied.
    pub stored_as: String,
    pub sha256: String,
    pub size: Option<i64>,
    pub encoding: String,
    pub format: String,
    pub result: LogResult,
    pub reason_code: String,
    /// The refusal as JSON (see [`crate::intake::Refusal`]).
    pub reason: String,
    pub unit_id: Option<i64>,
    pub unit: Option<String>,
    pub month: Option<String>,
    pub report_id: Option<i64>,
    pub version_no: Option<i64>,
}

impl LogEntry {
    /// The refusal, if the file was refused and its reason reads.
    pub fn refusal(&self) -> Option<crate::intake::Refusal> {
        serde_json::from_str(&self.reason).ok()
    }
}

/// What to log about a file.
#[derive(Debug, Clone, Default)]
pub struct NewLog<'a> {
    pub at: &'a str,
    pub file_name: &'a str,
    pub stored_as: &'a str,
    pub sha256: &'a str,
    pub size: Option<u64>,
    pub encoding: &'a str,
    pub format: &'a str,
    pub reason_code: &'a str,
    pub reason: &'a str,
    pub unit_id: Option<i64>,
    pub month: Option<String>,
    pub report_id: Option<i64>,
    pub import_id: Option<i64>,
}

/// Logs a file; returns the entry's id.
pub fn insert_log(conn: &Connection, actor: &Actor, result: LogResult, e: &NewLog) -> Result<i64> {
    conn.execute(
        "INSERT INTO intake_log (at, by_uid, by_user, file_name, stored_as, sha256, size, encoding, format,
                                 result, reason_code, reason, unit_id, month, report_id, import_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
        params![
            e.at,
            actor.uid,
            actor.user,
            e.file_name,
            e.stored_as,
            e.sha256,
            e.size.map(|s| s as i64),
            e.encoding,
            e.format,
            result.code(),
            e.reason_code,
            e.reason,
            e.unit_id,
            e.month,
            e.report_id,
            e.import_id,
        ],
    )?;
    Ok(conn.last_insert_rowid())
}

const LOG_COLS: &str = "l.id, l.at, l.by_user, l.file_name, l.stored_as, l.sha256, l.size, l.encoding, l.format,
     l.result, l.reason_code, l.reason, l.unit_id, u.full_name, l.month, l.report_id, r.version_no
     FROM intake_log l LEFT JOIN units u ON u.id = l.unit_id LEFT JOIN reports r ON r.id = l.report_id";

fn read(r: &rusqlite::Row) -> rusqlite::Result<LogEntry> {
    Ok(LogEntry {
        id: r.get(0)?,
        at: text(r, 1)?,
        user: text(r, 2)?,
        file_name: text(r, 3)?,
        stored_as: text(r, 4)?,
        sha256: text(r, 5)?,
        size: r.get(6)?,
        encoding: text(r, 7)?,
        format: text(r, 8)?,
        result: LogResult::from_code(&text(r, 9)?),
        reason_code: text(r, 10)?,
        reason: text(r, 11)?,
        unit_id: r.get(12)?,
        unit: opt_text(r, 13)?,
        month: opt_text(r, 14)?,
        report_id: r.get(15)?,
        version_no: r.get(16)?,
    })
}

/// The most recent files met, newest first.
pub fn recent(conn: &Connection, limit: usize) -> Result<Vec<LogEntry>> {
    let mut s = conn.prepare_cached(&format!("SELECT {LOG_COLS} ORDER BY l.id DESC LIMIT ?1"))?;
    Ok(s.query_map([limit as i64], read)?.collect::<rusqlite::Result<_>>()?)
}

/// One logged file.
pub fn entry(conn: &Connection, id: i64) -> Result<Option<LogEntry>> {
    Ok(conn
        .query_row(&format!("SELECT {LOG_COLS} WHERE l.id = ?1"), [id], read)
        .optional()?)
}

/// Counts of logged files by result since `since` (UTC time text).
pub fn counts_since(conn: &Connection, since: &str) -> Result<(i64, i64, i64)> {
    Ok(conn.query_row(
        "SELECT coalesce(sum(result = 'imported'), 0), coalesce(sum(result = 'duplicate'), 0),
                coalesce(sum(result = 'refused'), 0)
         FROM intake_log WHERE at >= ?1",
        [since],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?)
}

/// What a unit's own report template holds: the articles it is named in
/// (as lead or partner, directly or through a collective) and the
/// indicators it reports.
pub fn unit_template(
    conn: &Connection,
    unit_id: i64,
    unit: &str,
    month: Month,
) -> Result<crate::intake::template::UnitTemplate> {
    use crate::intake::template::{TemplateArticle, TemplateIndicator, TemplateTask, UnitTemplate};
    let mut s = conn.prepare_cached(
        "SELECT a.no, a.title, min(CASE s.role WHEN 'lead' THEN 0 ELSE 1 END)
         FROM assignments s JOIN articles a ON a.no = s.article_no
         WHERE s.unit_id = ?1 GROUP BY a.no ORDER BY a.no",
    )?;
    let articles = s
        .query_map([unit_id], |r| {
            Ok(TemplateArticle {
                no: r.get(0)?,
                title: text(r, 1)?,
                role: if r.get::<_, i64>(2)? == 0 { "牵头" } else { "参与" }.to_string(),
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut s = conn.prepare_cached("SELECT name, unit FROM targets WHERE reporter_id = ?1 ORDER BY ord")?;
    let indicators = s
        .query_map([unit_id], |r| {
            Ok(TemplateIndicator {
                name: text(r, 0)?,
                unit: text(r, 1)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let tasks = super::tasks::list(
        conn,
        &super::tasks::TaskFilter {
            open_only: true,
            unit: Some(unit_id),
            ..Default::default()
        },
    )?
    .into_iter()
    .rev()
    .map(|t| TemplateTask {
        lead: t.lead == unit_id,
        code: t.code,
        title: t.title,
        due: t.due.to_string(),
    })
    .collect();
    Ok(UnitTemplate {
        unit: unit.to_string(),
        month: month.to_string(),
        articles,
        indicators,
        tasks,
    })
}
