//! The quarterly review's reads: the facts behind a quarter's figures
//! (`figures::compute` makes the figures of them) and the frozen snapshots
//! of finished quarters, stored as JSON.

use std::collections::HashMap;

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, params};

use super::Result;
use super::alerts::AlertPolicy;
use super::row::{code, day, text};
use crate::db::alerts::AlertRow;
use crate::db::inbox::InboxRow;
use crate::domain::{AuthorityDomain, AuthorityStatus, Quarter, TargetKind, UnitKind};

/// Everything the figures are computed from.
#[derive(Debug, Clone)]
pub struct Facts {
    pub quarter: Quarter,
    pub as_of: NaiveDate,
    /// The first day reports were expected (targets' pace starts there).
    pub start: NaiveDate,
    /// Each month of the quarter: every reporting unit's row as of `as_of`.
    pub months: Vec<Vec<InboxRow>>,
    /// Open dated items as of `as_of`.
    pub alerts: Vec<AlertRow>,
    /// When, by whom and why each alert's item was escalated, by alert index.
    pub escalations: Vec<Option<(String, String, String)>>,
    pub authority: Vec<AuthorityFact>,
    /// Zones in catalog order (checklist rows), full names.
    pub zones: Vec<String>,
    pub targets: Vec<TargetFact>,
}

/// One checklist item's zone, domain and status as of the date.
#[derive(Debug, Clone)]
pub struct AuthorityFact {
    pub zone: String,
    pub domain: AuthorityDomain,
    pub status: AuthorityStatus,
}

/// A 2025 target and the latest value of each reporter up to the date.
#[derive(Debug, Clone)]
pub struct TargetFact {
    pub code: String,
    pub name: String,
    pub unit: String,
    pub target: f64,
    /// `>=` or `>`.
    pub comparator: String,
    pub kind: TargetKind,
    pub deadline: NaiveDate,
    /// (period, value), one per reporting unit.
    pub values: Vec<(String, f64)>,
}

/// A stored snapshot as the file holds it: the figures are JSON
/// (`figures::Figures`), read back above the database layer.
#[derive(Debug, Clone, PartialEq)]
pub struct Stored {
    pub as_of: String,
    pub taken_at: String,
    pub by_user: String,
    pub figures: String,
}

/// The facts of `quarter` as of [`Quarter::as_of`]`(today)`. Call inside a
/// transaction so every part comes from one state of the file.
pub fn facts(conn: &Connection, quarter: Quarter, today: NaiveDate, policy: &AlertPolicy) -> Result<Facts> {
    let as_of = quarter.as_of(today);
    let start = super::reporting_start(conn)?
        .map(|m| m.first_day())
        .unwrap_or_else(|| quarter.first_day());
    let due_day = super::reports::due_day(conn)?;
    let first = super::reporting_start(conn)?;
    let mut months = Vec::new();
    for m in quarter.months() {
        if m.first_day() > as_of {
            break;
        }
        // Before reporting started nothing was owed.
        if first.is_some_and(|f| m < f) {
            continue;
        }
        let mut rows = super::inbox::month_rows(conn, m, due_day, &policy.calendar, as_of)?;
        for r in &mut rows {
            as_if_unreceived_after(r, as_of, &policy.calendar);
        }
        months.push(rows);
    }
    let alerts = super::alerts::list(conn, as_of, policy)?;
    let flags = super::flags::all_flags(conn)?;
    let end = format!("{as_of}T23:59:59Z");
    let escalations = alerts
        .iter()
        .map(|a| {
            let f = &flags.get(&(a.key.entity().to_string(), a.key.entity_key()))?.0;
            let at = f.escalated_at.clone().filter(|at| *at <= end)?;
            Some((at, f.escalated_by.clone().unwrap_or_default(), f.escalate_note.clone()))
        })
        .collect();
    Ok(Facts {
        quarter,
        as_of,
        start,
        months,
        alerts,
        escalations,
        authority: authority_at(conn, as_of)?,
        zones: zones(conn)?,
        targets: targets_at(conn, as_of)?,
    })
}

/// A report that arrived after `as_of` had not arrived then: the row
/// shows it missing (or pending), as the office saw it on that day.
fn as_if_unreceived_after(
    r: &mut crate::db::inbox::InboxRow,
    as_of: NaiveDate,
    cal: &crate::domain::deadline::Calendar,
) {
    use crate::domain::InboxStatus;
    let received = r.received_at.as_deref().and_then(day);
    if received.is_none_or(|d| d <= as_of) {
        return;
    }
    r.report_id = None;
    r.received_at = None;
    r.status = if as_of > r.due {
        InboxStatus::Missing
    } else {
        InboxStatus::Pending
    };
    r.days_late = i32::try_from((-cal.days_left(as_of, r.due)).max(0)).unwrap_or(i32::MAX);
}

/// The high-tech zones, in catalog order (full names).
fn zones(conn: &Connection) -> Result<Vec<String>> {
    let mut s = conn.prepare_cached("SELECT full_name FROM units WHERE kind = ?1 ORDER BY sort, id")?;
    let rows = s.query_map([UnitKind::Zone.code()], |r| text(r, 0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Each checklist item's status on `date`: the last recorded change on or
/// before it, else (no history) the item's status when it was proposed by
/// then. Items proposed later are left out.
fn authority_at(conn: &Connection, date: NaiveDate) -> Result<Vec<AuthorityFact>> {
    let d = date.to_string();
    let mut s = conn.prepare_cached(
        "SELECT z.full_name, i.domain, i.status, i.proposed_date,
            (SELECT e.to_status FROM authority_events e WHERE e.item_id = i.id AND e.date <= ?1
             ORDER BY e.date DESC, e.id DESC LIMIT 1),
            (SELECT count(*) FROM authority_events e WHERE e.item_id = i.id)
         FROM authority_items i JOIN units z ON z.id = i.zone_id
         ORDER BY z.sort, i.id",
    )?;
    let mut rows = s.query(params![d])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let events: i64 = r.get(5)?;
        let at: Option<String> = r.get(4)?;
        let status: AuthorityStatus = match (at, events) {
            (Some(st), _) => AuthorityStatus::from_code(&st)
                .ok_or_else(|| super::DbError::BadData(format!("authority status {st:?}")))?,
            (None, 0) => {
                let proposed: Option<String> = r.get(3)?;
                if proposed.as_deref().and_then(day).is_some_and(|p| p > date) {
                    continue;
                }
                code(r, 2)?
            }
            // History starts after the date: the item did not exist yet.
            (None, _) => continue,
        };
        let domain: AuthorityDomain = code(r, 1)?;
        out.push(AuthorityFact {
            zone: text(r, 0)?,
            domain,
            status,
        });
    }
    Ok(out)
}

/// The targets with each reporter's latest value for a month up to `date`.
fn targets_at(conn: &Connection, date: NaiveDate) -> Result<Vec<TargetFact>> {
    let month = crate::domain::Month::of(date).to_string();
    let mut s = conn.prepare_cached(
        "SELECT iv.target_code, iv.period, iv.value FROM indicator_values iv
         WHERE iv.period <= ?1 AND iv.period = (SELECT max(period) FROM indicator_values x
             WHERE x.target_code = iv.target_code AND x.unit_id = iv.unit_id AND x.period <= ?1)
         ORDER BY iv.target_code, iv.unit_id",
    )?;
    let mut values: HashMap<String, Vec<(String, f64)>> = HashMap::new();
    let mut rows = s.query(params![month])?;
    while let Some(r) = rows.next()? {
        values.entry(text(r, 0)?).or_default().push((text(r, 1)?, r.get(2)?));
    }
    let mut s = conn
        .prepare_cached("SELECT code, name, unit, value, comparator, kind, deadline FROM targets ORDER BY ord, code")?;
    let mut rows = s.query([])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let code_: String = text(r, 0)?;
        let kind: TargetKind = code(r, 5)?;
        let deadline = day(&text(r, 6)?).ok_or_else(|| super::DbError::BadData("target deadline".into()))?;
        out.push(TargetFact {
            values: values.remove(&code_).unwrap_or_default(),
            code: code_,
            name: text(r, 1)?,
            unit: text(r, 2)?,
            target: r.get(3)?,
            comparator: text(r, 4)?,
            kind,
            deadline,
        });
    }
    Ok(out)
}

/// The snapshot of `quarter`, if one was taken.
pub fn snapshot(conn: &Connection, quarter: Quarter) -> Result<Option<Stored>> {
    Ok(conn
        .query_row(
            "SELECT as_of, taken_at, by_user, figures FROM quarter_snapshots WHERE quarter = ?1",
            [quarter.to_string()],
            |r| {
                Ok(Stored {
                    as_of: text(r, 0)?,
                    taken_at: text(r, 1)?,
                    by_user: text(r, 2)?,
                    figures: text(r, 3)?,
                })
            },
        )
        .optional()?)
}

/// Stores a snapshot of `quarter` as of `as_of` (its figures as JSON);
/// false when the quarter already has one (it stays).
pub fn insert_snapshot(
    conn: &Connection,
    quarter: &str,
    as_of: NaiveDate,
    figures_json: &str,
    at: &str,
    actor: &super::audit::Actor,
) -> Result<bool> {
    let n = conn.execute(
        "INSERT INTO quarter_snapshots (quarter, as_of, taken_at, by_uid, by_user, figures)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(quarter) DO NOTHING",
        params![quarter, as_of.to_string(), at, actor.uid, actor.user, figures_json],
    )?;
    Ok(n == 1)
}

/// Runs `f` in one read transaction, so every read in it comes from one
/// state of the file.
pub fn in_one_read<T>(conn: &Connection, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
    let tx = conn.unchecked_transaction()?;
    let out = f(&tx)?;
    tx.finish()?;
    Ok(out)
}

/// The quarters that have a snapshot, oldest first.
pub fn snapshot_quarters(conn: &Connection) -> Result<Vec<String>> {
    let mut s = conn.prepare_cached("SELECT quarter FROM quarter_snapshots ORDER BY quarter")?;
    let rows = s.query_map([], |r| text(r, 0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Whether a `-wal` or `-shm` file sits beside `path` (someone has, or had,
/// the database open).
pub fn side_files(path: &std::path::Path) -> bool {
    ["-wal", "-shm"].iter().any(|suffix| {
        let mut p = path.as_os_str().to_owned();
        p.push(suffix);
        std::path::Path::new(&p).exists()
    })
}

/// After a read-only session, `-wal`/`-shm` with an empty log beside the
/// file (a WAL reader makes them; only a writer removes them): a
/// connection that can write is opened and closed, which removes them when
/// nobody else has the database open (SQLite decides, under its own
/// locks). It runs no statement; a checkpoint on close finds an empty log
/// and leaves the file untouched. A log with frames in it is left to its
/// writer. Nothing happens for a file or folder this user cannot write.
pub fn tidy_side_files(path: &std::path::Path) {
    if !super::writable(path) || !side_files(path) {
        return;
    }
    // A log with frames in it is a writer's: its last close settles it.
    let mut wal = path.as_os_str().to_owned();
    wal.push("-wal");
    if std::fs::metadata(std::path::Path::new(&wal)).is_ok_and(|m| m.len() > 0) {
        return;
    }
    let flags = rusqlite::OpenFlags::SQLITE_OPEN_READ_WRITE | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX;
    if let Ok(c) = Connection::open_with_flags(path, flags) {
        let _ = c.busy_timeout(std::time::Duration::from_millis(200));
        // Reading the schema makes SQLite open the log, so that closing is
        // the last connection's close.
        let _ = c.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get::<_, i64>(0));
        let _ = c.close();
    }
}
