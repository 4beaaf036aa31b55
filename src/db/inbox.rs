//! Queries of the monthly-report inbox: expected reports of a month (received
//! or not) and one report's detail.

use chrono::NaiveDate;
use std::collections::HashMap;
use std::sync::Arc;

use compact_str::CompactString;
use rusqlite::types::ValueRef;
use rusqlite::{Connection, OptionalExtension, params};

use super::Result;
use super::row::{code, day, opt_text, text};
use crate::domain::{InboxStatus, ItemKey, Month, Progress, ReportStatus, TargetKind, UnitKind};

/// One reporting unit in one month.
#[derive(Debug, Clone, PartialEq)]
pub struct InboxRow {
    pub unit_id: i64,
    /// Shared with the unit's rows of other months read by this thread.
    pub names: Arc<UnitNames>,
    pub kind: UnitKind,
    pub status: InboxStatus,
    pub due: NaiveDate,
    /// `YYYY-MM-DD HH:MM` of the latest version (held inline: no
    /// allocation per row at 16,000 units a month).
    pub received_at: Option<CompactString>,
    /// Working days past due: of arrival for received reports, of today for missing ones.
    pub days_late: i32,
    pub report_id: Option<i64>,
    pub version_no: u32,
    /// Row version of the latest report, for optimistic concurrency.
    pub version: i64,
    /// Reminders (催办) in force about this unit-month.
    pub reminders: u32,
    pub month: Month,
}

/// A unit's full and short names. Rows are kept by the month (16,000 a
/// month at scale, three months at a time): they hold one pointer to these.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitNames {
    pub full: Arc<str>,
    pub short: Arc<str>,
}

impl InboxRow {
    /// The unit's full name.
    pub fn unit(&self) -> &str {
        &self.names.full
    }

    /// The unit's short name.
    pub fn short(&self) -> &str {
        &self.names.short
    }

    /// The item this row is: the unit's report for the month.
    pub fn key(&self) -> ItemKey {
        ItemKey::Report {
            unit: self.unit_id,
            month: self.month,
        }
    }
}

/// Every reporting unit's status for `month`, in unit order. A report not
/// received is due on day `due_day` of the next month, or the next working
/// day after it (`cal`).
pub fn month_rows(
    conn: &Connection,
    month: Month,
    due_day: u32,
    cal: &crate::domain::deadline::Calendar,
    today: NaiveDate,
) -> Result<Vec<InboxRow>> {
    MonthRead::read(conn, month, due_day, cal, today)?.rows(conn)
}

/// A month's first rows and its figures, which a screen can show before
/// the rest of the month is read.
#[derive(Debug, Clone, PartialEq)]
pub struct MonthHead {
    /// The first reporting units' rows, in unit order.
    pub rows: Vec<InboxRow>,
    /// Every reporting unit's row of each status, in `InboxStatus::ALL` order.
    pub counts: [usize; InboxStatus::ALL.len()],
}

impl MonthHead {
    /// Rows in the whole month.
    pub fn total(&self) -> usize {
        self.counts.iter().sum()
    }
}

/// A month being read. What decides each unit's row — its latest report,
/// an extension, a closing — is read first; the month's figures with its
/// first rows ([`MonthRead::head`]) and then every row ([`MonthRead::rows`])
/// come from the same reading, so they agree with each other.
pub struct MonthRead<'c> {
    /// `:YYYY-MM`, the end of the month's reports' item keys.
    suffix: String,
    judge: Judge<'c>,
    /// The month's latest reports by unit, in unit id order; taken out
    /// (`None`) as each unit's row is made.
    got: Vec<(i64, Option<Got>)>,
    at: Positions,
}

/// What a unit's row is, given its report: the rules and what the month's
/// extensions and closings say.
struct Judge<'c> {
    month: Month,
    cal: &'c crate::domain::deadline::Calendar,
    today: NaiveDate,
    default_due: NaiveDate,
    /// The extension in force (the latest), by unit: its new due date.
    extended: IdMap<Option<NaiveDate>>,
    /// Whether the unit-month is closed (settled without a report).
    closed: IdMap<bool>,
    /// Most rows share their due date and its working-day answers.
    rolled: Option<(NaiveDate, NaiveDate)>,
    overdue: Option<(NaiveDate, i64)>,
}

/// A unit's row without its names: what [`Judge::judge`] decides.
struct Judged {
    status: InboxStatus,
    due: NaiveDate,
    days_late: i32,
}

impl Judge<'_> {
    fn roll(&mut self, d: NaiveDate) -> NaiveDate {
        match self.rolled {
            Some((k, v)) if k == d => v,
            _ => {
                let v = self.cal.roll_forward(d);
                self.rolled = Some((d, v));
                v
            }
        }
    }

    /// Working days from `due` to today, when past it.
    fn late_today(&mut self, due: NaiveDate) -> i64 {
        match self.overdue {
            Some((k, v)) if k == due => v,
            _ => {
                let v = (-self.cal.days_left(self.today, due)).max(0);
                self.overdue = Some((due, v));
                v
            }
        }
    }

    fn judge(&mut self, unit_id: i64, report: Option<&Got>) -> Judged {
        let stored = report.map(|g| g.status);
        // The due date in force: an extension's, else the report's own (a
        // resubmission's), else the month's; on a day off, the next working day.
        let extended = self.extended.get(&unit_id).copied().flatten();
        let own = report.and_then(|g| g.due);
        let due = self.roll(extended.or(own).unwrap_or(self.default_due));
        let received = report.and_then(|g| g.received_at.as_deref()).and_then(day);
        let closed = self.closed.get(&unit_id).copied().unwrap_or(false);
        let status = InboxStatus::derive(stored, received, due, self.today, closed);
        // Working days past due: of arrival for received reports, of today for missing ones.
        let days_late = match (status, received) {
            (InboxStatus::Closed, _) => 0,
            (_, Some(x)) if x <= due => 0,
            (_, Some(x)) => (-self.cal.days_left(x, due)).max(0),
            (_, None) if stored.is_some() => 0,
            (_, None) => self.late_today(due),
        };
        Judged {
            status,
            due,
            days_late: i32::try_from(days_late).unwrap_or(i32::MAX),
        }
    }

    /// The unit's row, from its `units` row (`id, full_name, short_name, kind`).
    fn row(&mut self, r: &rusqlite::Row, report: Option<Got>, reminders: u32) -> Result<InboxRow> {
        let unit_id: i64 = r.get(0)?;
        let j = self.judge(unit_id, report.as_ref());
        let names = shared_names_raw(unit_id, r, 1, 2)?;
        let (report_id, version_no, version, received_at) = match report {
            Some(g) => (Some(g.id), g.version_no, g.version, g.received_at),
            None => (None, 0, 0, None),
        };
        Ok(InboxRow {
            unit_id,
            names,
            kind: code(r, 3)?,
            status: j.status,
            due: j.due,
            received_at,
            days_late: j.days_late,
            report_id,
            version_no: u32::try_from(version_no).unwrap_or(0),
            version,
            reminders,
            month: self.month,
        })
    }
}

/// Reporting units with their names, in unit order.
const UNITS_IN_ORDER: &str = "SELECT id, full_name, short_name, kind FROM units WHERE reporting = 1 ORDER BY sort, id";

impl<'c> MonthRead<'c> {
    /// Reads what decides each unit's row of `month`: the latest reports
    /// (one range scan of the covering index (month, unit_id, …), not a
    /// B-tree descent per unit), extensions and closings.
    pub fn read(
        conn: &Connection,
        month: Month,
        due_day: u32,
        cal: &'c crate::domain::deadline::Calendar,
        today: NaiveDate,
    ) -> Result<MonthRead<'c>> {
        let m = month.to_string();
        let suffix = format!(":{m}");
        // The latest extension in force wins (rows come in id order).
        let mut extended = IdMap::default();
        per_unit(
            conn,
            "SELECT entity_key, new_due FROM extensions
             WHERE entity = 'report' AND entity_key LIKE '%' || ?1 AND withdrawn_at IS NULL ORDER BY id",
            &suffix,
            |unit, new_due| {
                extended.insert(unit, new_due.and_then(day));
            },
        )?;
        let mut closed = IdMap::default();
        per_unit(
            conn,
            "SELECT entity_key, closed_at FROM item_flags WHERE entity = 'report' AND entity_key LIKE '%' || ?1",
            &suffix,
            |unit, closed_at| {
                closed.insert(unit, closed_at.is_some());
            },
        )?;
        let mut s = conn.prepare_cached(
            "SELECT unit_id, id, version_no, status, received_at, due_date, version
             FROM reports WHERE month = ?1 AND latest = 1 ORDER BY unit_id",
        )?;
        let mut got: Vec<(i64, Option<Got>)> = Vec::new();
        let mut q = s.query(params![m])?;
        while let Some(r) = q.next()? {
            let unit: i64 = r.get(0)?;
            let g = Got {
                id: r.get(1)?,
                version_no: r.get(2)?,
                status: code(r, 3)?,
                received_at: opt_compact(r, 4)?,
                due: opt_day_of(r, 5)?,
                version: r.get(6)?,
            };
            // Two "latest" versions (written by another tool): the higher.
            match got.last_mut() {
                Some((u, Some(last))) if *u == unit => {
                    if g.version_no > last.version_no {
                        *last = g;
                    }
                }
                _ => got.push((unit, Some(g))),
            }
        }
        drop(q);
        let at = Positions::of(got.iter().map(|(u, _)| *u));
        Ok(MonthRead {
            suffix,
            judge: Judge {
                month,
                cal,
                today,
                default_due: month.report_due(due_day),
                extended,
                closed,
                rolled: None,
                overdue: None,
            },
            got,
            at,
        })
    }

    /// The month's figures and its first `n` rows. Only the first rows'
    /// names and reminders are read: the figures need neither.
    pub fn head(&mut self, conn: &Connection, n: usize) -> Result<MonthHead> {
        let mut counts = [0; InboxStatus::ALL.len()];
        let mut s = conn.prepare_cached("SELECT id FROM units WHERE reporting = 1")?;
        let mut q = s.query([])?;
        while let Some(r) = q.next()? {
            let unit_id: i64 = r.get(0)?;
            let report = self.at.of_id(unit_id).and_then(|i| self.got[i].1.as_ref());
            counts[self.judge.judge(unit_id, report).status as usize] += 1;
        }
        drop(q);
        let mut reminders = conn.prepare_cached(
            "SELECT count(*) FROM reminders WHERE entity = 'report' AND entity_key = ?1 AND withdrawn_at IS NULL",
        )?;
        let mut s = conn.prepare_cached(&format!("{UNITS_IN_ORDER} LIMIT ?1"))?;
        let mut q = s.query([i64::try_from(n).unwrap_or(i64::MAX)])?;
        let mut rows = Vec::with_capacity(n);
        while let Some(r) = q.next()? {
            let unit_id: i64 = r.get(0)?;
            let report = self.at.of_id(unit_id).and_then(|i| self.got[i].1.clone());
            let count: i64 = reminders.query_row([format!("{unit_id}{}", self.suffix)], |r| r.get(0))?;
            rows.push(self.judge.row(r, report, u32::try_from(count).unwrap_or(u32::MAX))?);
        }
        Ok(MonthHead { rows, counts })
    }

    /// Every reporting unit's row, in unit order.
    pub fn rows(mut self, conn: &Connection) -> Result<Vec<InboxRow>> {
        // Reminders in force about the month's reports, read in one pass
        // (the month's few, not a lookup per unit).
        let mut reminders: IdMap<u32> = IdMap::default();
        per_unit(
            conn,
            "SELECT entity_key, NULL FROM reminders
             WHERE entity = 'report' AND entity_key LIKE '%' || ?1 AND withdrawn_at IS NULL",
            &self.suffix,
            |unit, _| *reminders.entry(unit).or_default() += 1,
        )?;
        let mut s = conn.prepare_cached(UNITS_IN_ORDER)?;
        let mut rows = Vec::with_capacity(self.got.len());
        let mut q = s.query([])?;
        while let Some(r) = q.next()? {
            let unit_id: i64 = r.get(0)?;
            let report = self.at.of_id(unit_id).and_then(|i| self.got[i].1.take());
            let n = reminders.get(&unit_id).copied().unwrap_or(0);
            rows.push(self.judge.row(r, report, n)?);
        }
        rows.shrink_to_fit();
        Ok(rows)
    }
}

/// Runs `sql` (item keys and a value, for keys ending in `suffix`) and
/// hands each unit's value to `each`. A key is the unit's id as written by
/// dudao (`7:2026-10`); any other spelling is not the unit's.
fn per_unit(conn: &Connection, sql: &str, suffix: &str, mut each: impl FnMut(i64, Option<&str>)) -> Result<()> {
    let mut s = conn.prepare_cached(sql)?;
    let mut q = s.query(params![suffix])?;
    while let Some(r) = q.next()? {
        let key = match r.get_ref(0)? {
            ValueRef::Text(b) => b,
            _ => continue,
        };
        let Some(unit) = key.strip_suffix(suffix.as_bytes()).and_then(canonical_id) else {
            continue;
        };
        let value = match r.get_ref(1)? {
            ValueRef::Text(b) => std::str::from_utf8(b).ok(),
            _ => None,
        };
        each(unit, value);
    }
    Ok(())
}

/// A unit id written as dudao writes it: decimal digits, no sign, no
/// leading zero.
fn canonical_id(b: &[u8]) -> Option<i64> {
    if b.is_empty() || (b[0] == b'0' && b.len() > 1) || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    std::str::from_utf8(b).ok()?.parse().ok()
}

/// Where each unit's entry is in a list of entries, by unit id: a table
/// indexed by id when the ids are dense (they are: units are numbered as
/// they are made), else a map.
enum Positions {
    Dense { first: i64, at: Vec<u32> },
    Sparse(IdMap<usize>),
}

impl Positions {
    fn of(ids: impl Iterator<Item = i64> + Clone) -> Positions {
        let (n, lo, hi) = ids.clone().fold((0usize, i64::MAX, i64::MIN), |(n, lo, hi), u| {
            (n + 1, lo.min(u), hi.max(u))
        });
        if n > 0 && hi.checked_sub(lo).is_some_and(|span| span < (4 * n as i64).max(1024)) {
            let mut at = vec![u32::MAX; (hi - lo + 1) as usize];
            for (i, u) in ids.enumerate() {
                at[(u - lo) as usize] = i as u32;
            }
            Positions::Dense { first: lo, at }
        } else {
            Positions::Sparse(ids.enumerate().map(|(i, u)| (u, i)).collect())
        }
    }

    fn of_id(&self, id: i64) -> Option<usize> {
        match self {
            Positions::Dense { first, at } => id
                .checked_sub(*first)
                .and_then(|k| usize::try_from(k).ok())
                .and_then(|k| at.get(k))
                .filter(|&&i| i != u32::MAX)
                .map(|&i| i as usize),
            Positions::Sparse(m) => m.get(&id).copied(),
        }
    }
}

/// What the inbox needs of a unit's latest report for a month.
#[derive(Clone)]
struct Got {
    id: i64,
    version_no: i64,
    status: ReportStatus,
    received_at: Option<CompactString>,
    due: Option<NaiveDate>,
    version: i64,
}

/// A short nullable text column held inline (a timestamp): no allocation.
fn opt_compact(r: &rusqlite::Row, i: usize) -> rusqlite::Result<Option<CompactString>> {
    Ok(match r.get_ref(i)? {
        ValueRef::Text(b) => Some(match std::str::from_utf8(b) {
            Ok(t) => CompactString::new(t),
            Err(_) => CompactString::from(String::from_utf8_lossy(b)),
        }),
        ValueRef::Null => None,
        _ => opt_text(r, i)?.map(CompactString::from),
    })
}

/// A nullable `YYYY-MM-DD…` column as a date, read without a copy.
fn opt_day_of(r: &rusqlite::Row, i: usize) -> rusqlite::Result<Option<NaiveDate>> {
    Ok(match r.get_ref(i)? {
        ValueRef::Text(b) => std::str::from_utf8(b).ok().and_then(day),
        _ => None,
    })
}

/// A unit's names, shared.
pub(crate) type Names = Arc<UnitNames>;

/// Unit ids hashed by one multiplication instead of SipHash: the names
/// are looked up once per row, 16,000 rows a month.
#[derive(Default, Clone, Copy)]
pub(crate) struct IdHasher(u64);

impl std::hash::Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(5) ^ u64::from(b)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }
    fn write_i64(&mut self, n: i64) {
        self.0 = (n as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

/// A map keyed by row id, hashed by [`IdHasher`].
pub(crate) type IdMap<V> = HashMap<i64, V, std::hash::BuildHasherDefault<IdHasher>>;

thread_local! {
    /// Unit names read by this thread, by unit id: each month's rows share
    /// them (16,000 units × the months kept read ahead).
    static NAMES: std::cell::RefCell<IdMap<Names>> = Default::default();
}

/// The unit's full and short names, shared with earlier reads when they
/// have not changed (a renamed unit gets its new names).
pub(crate) fn shared_names(id: i64, full: &str, short: &str) -> Names {
    NAMES.with_borrow_mut(|m| shared_in(m, id, full, short))
}

fn shared_in(m: &mut IdMap<Names>, id: i64, full: &str, short: &str) -> Names {
    let e = m.entry(id).or_insert_with(|| {
        Arc::new(UnitNames {
            full: Arc::from(full),
            short: Arc::from(short),
        })
    });
    if &*e.full != full || &*e.short != short {
        *e = Arc::new(UnitNames {
            full: Arc::from(full),
            short: Arc::from(short),
        });
    }
    Arc::clone(e)
}

/// [`shared_names`] from a row's columns `full` and `short`, compared as
/// stored: nothing is copied when the names are the ones already held.
pub(crate) fn shared_names_raw(id: i64, r: &rusqlite::Row, full: usize, short: usize) -> rusqlite::Result<Names> {
    let (f, sh) = (r.get_ref(full)?, r.get_ref(short)?);
    let same = |v: ValueRef, held: &Arc<str>| matches!(v, ValueRef::Text(b) if b == held.as_bytes());
    let held = NAMES.with_borrow(|m| {
        m.get(&id)
            .filter(|e| same(f, &e.full) && same(sh, &e.short))
            .map(Arc::clone)
    });
    match held {
        Some(n) => Ok(n),
        None => {
            fn as_str(v: ValueRef<'_>) -> Option<std::borrow::Cow<'_, str>> {
                match v {
                    ValueRef::Text(b) => std::str::from_utf8(b).ok().map(std::borrow::Cow::Borrowed),
                    _ => None,
                }
            }
            let full = match as_str(f) {
                Some(t) => t,
                None => text(r, full)?.into(),
            };
            let short = match as_str(sh) {
                Some(t) => t,
                None => text(r, short)?.into(),
            };
            Ok(shared_names(id, &full, &short))
        }
    }
}

/// One per-article progress entry of a report.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportItem {
    pub article_no: i64,
    pub article_title: String,
    pub progress: String,
    pub status: Progress,
    pub difficulties: String,
    pub next_steps: String,
}

/// One indicator value carried by a report, with its target.
#[derive(Debug, Clone, PartialEq)]
pub struct IndicatorLine {
    pub name: String,
    pub value: f64,
    pub target: f64,
    pub unit: String,
    pub kind: TargetKind,
    /// From an indicator table (CSV) for the month, not the report itself.
    pub from_table: bool,
}

/// Everything shown about one received report.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportDetail {
    pub id: i64,
    pub unit_id: i64,
    pub unit: String,
    pub month: String,
    pub version_no: i64,
    /// Row version, for optimistic concurrency.
    pub version: i64,
    pub status: ReportStatus,
    pub received_at: String,
    pub due_date: String,
    pub summary: String,
    pub return_reason: String,
    pub resubmit_by: Option<String>,
    pub contact_name: String,
    pub contact_phone: String,
    /// `file`, `typed` or `demo`.
    pub source: String,
    /// The file it came from, when imported.
    pub file_name: Option<String>,
    pub items: Vec<ReportItem>,
    pub indicators: Vec<IndicatorLine>,
}

/// A report with its progress entries and indicator values.
pub fn report_detail(conn: &Connection, report_id: i64) -> Result<Option<ReportDetail>> {
    let head = conn
        .query_row(
            "SELECT r.id, u.full_name, r.month, r.version_no, r.status, r.received_at, r.due_date, r.summary,
                    r.return_reason, r.resubmit_by, r.version, r.unit_id, r.contact_name, r.contact_phone,
                    r.source, i.original_name
             FROM reports r JOIN units u ON u.id = r.unit_id LEFT JOIN imports i ON i.id = r.import_id
             WHERE r.id = ?1",
            [report_id],
            |r| {
                Ok(ReportDetail {
                    id: r.get(0)?,
                    unit: text(r, 1)?,
                    month: text(r, 2)?,
                    version_no: r.get(3)?,
                    status: code(r, 4)?,
                    received_at: text(r, 5)?,
                    due_date: text(r, 6)?,
                    summary: text(r, 7)?,
                    return_reason: text(r, 8)?,
                    resubmit_by: opt_text(r, 9)?,
                    version: r.get(10)?,
                    unit_id: r.get(11)?,
                    contact_name: text(r, 12)?,
                    contact_phone: text(r, 13)?,
                    source: text(r, 14)?,
                    file_name: opt_text(r, 15)?,
                    items: Vec::new(),
                    indicators: Vec::new(),
                })
            },
        )
        .optional()?;
    let Some(mut d) = head else { return Ok(None) };
    let mut s = conn.prepare_cached(
        "SELECT i.article_no, a.title, i.progress, i.status, i.difficulties, i.next_steps
         FROM report_items i JOIN articles a ON a.no = i.article_no WHERE i.report_id = ?1 ORDER BY i.article_no",
    )?;
    d.items = s
        .query_map([report_id], |r| {
            Ok(ReportItem {
                article_no: r.get(0)?,
                article_title: text(r, 1)?,
                progress: text(r, 2)?,
                status: code(r, 3)?,
                difficulties: text(r, 4)?,
                next_steps: text(r, 5)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    // The values this version was sent with, then the month's figures that
    // came in an indicator table.
    let mut s = conn.prepare_cached(
        "SELECT t.name, v.value, t.value, t.unit, t.kind, 0 AS tbl, t.ord FROM report_values v
           JOIN targets t ON t.code = v.target_code WHERE v.report_id = ?1
         UNION ALL
         SELECT t.name, v.value, t.value, t.unit, t.kind, 1, t.ord FROM indicator_values v
           JOIN targets t ON t.code = v.target_code
         WHERE v.unit_id = ?2 AND v.period = ?3 AND v.report_id IS NULL AND v.import_id IS NOT NULL
         ORDER BY tbl, 7",
    )?;
    d.indicators = s
        .query_map(params![report_id, d.unit_id, d.month], |r| {
            Ok(IndicatorLine {
                name: text(r, 0)?,
                value: r.get(1)?,
                target: r.get(2)?,
                unit: text(r, 3)?,
                kind: code(r, 4)?,
                from_table: r.get(5)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(Some(d))
}

/// Unread reports (latest versions with status new), across all months.
pub fn unread_count(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT count(*) FROM reports WHERE status = ?1 AND latest = 1",
        [ReportStatus::New.code()],
        |r| r.get(0),
    )?)
}

/// Everything the console shows about one unit-month: the report (if one
/// arrived), its notes and reminders, and its history from the audit log.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportFile {
    pub key: ItemKey,
    pub report: Option<ReportDetail>,
    /// Every version received, oldest first.
    pub versions: Vec<VersionLine>,
    /// The extension (延期) in force, if any.
    pub extension: Option<crate::domain::deadline::Extension>,
    pub notes: Vec<super::notes::Note>,
    pub reminders: Vec<super::notes::Reminder>,
    pub history: Vec<super::notes::HistoryLine>,
}

impl ReportFile {
    /// When a returned report is to come back: the extension's date when it
    /// was extended, else the date it was returned with.
    pub fn resubmit_by(&self) -> Option<String> {
        match (&self.extension, &self.report) {
            (Some(e), _) => Some(e.new_due.to_string()),
            (None, Some(d)) => d.resubmit_by.clone(),
            (None, None) => None,
        }
    }
}

/// How many history lines a detail shows.
pub const HISTORY_LINES: usize = 30;

/// The file of a unit-month; `report_id` is its latest report, if any.
pub fn report_file(conn: &Connection, key: ItemKey, report_id: Option<i64>) -> Result<ReportFile> {
    let report = match report_id {
        Some(id) => report_detail(conn, id)?,
        None => None,
    };
    let versions = match key {
        ItemKey::Report { unit, month } => versions(conn, unit, month)?,
        _ => Vec::new(),
    };
    Ok(ReportFile {
        key,
        report,
        versions,
        extension: super::flags::extensions(conn, key)?.pop(),
        notes: super::notes::notes(conn, key)?,
        reminders: super::notes::reminders(conn, key)?,
        history: super::notes::history(conn, key, HISTORY_LINES)?,
    })
}

/// One received version of a unit-month's report.
#[derive(Debug, Clone, PartialEq)]
pub struct VersionLine {
    pub report_id: i64,
    pub version_no: i64,
    pub received_at: String,
    pub status: ReportStatus,
    /// `file`, `typed` or `demo`.
    pub source: String,
    pub file_name: Option<String>,
}

/// Every version of a unit's report for a month, oldest first.
pub fn versions(conn: &Connection, unit: i64, month: Month) -> Result<Vec<VersionLine>> {
    let mut s = conn.prepare_cached(
        "SELECT r.id, r.version_no, r.received_at, r.status, r.source, i.original_name
         FROM reports r LEFT JOIN imports i ON i.id = r.import_id
         WHERE r.unit_id = ?1 AND r.month = ?2 ORDER BY r.version_no",
    )?;
    Ok(s.query_map(params![unit, month.to_string()], |r| {
        Ok(VersionLine {
            report_id: r.get(0)?,
            version_no: r.get(1)?,
            received_at: text(r, 2)?,
            status: code(r, 3)?,
            source: text(r, 4)?,
            file_name: opt_text(r, 5)?,
        })
    })?
    .collect::<rusqlite::Result<_>>()?)
}

/// Whether a unit-month's report came on time: `None` when it does not
/// count yet (not yet due) or at all (settled without a report).
pub fn on_time(r: &InboxRow) -> Option<bool> {
    match r.status {
        InboxStatus::Pending | InboxStatus::Closed => None,
        _ => Some(r.report_id.is_some() && r.days_late == 0),
    }
}

/// On time out of those that count: (on time, counted).
pub fn rate<'a>(rows: impl IntoIterator<Item = &'a InboxRow>) -> (usize, usize) {
    rows.into_iter()
        .filter_map(on_time)
        .fold((0, 0), |(ok, n), t| (ok + usize::from(t), n + 1))
}

/// The expected reports of `months` (oldest first), one list per month.
pub fn months_rows(
    conn: &Connection,
    months: &[Month],
    due_day: u32,
    cal: &crate::domain::deadline::Calendar,
    today: NaiveDate,
) -> Result<Vec<Vec<InboxRow>>> {
    months
        .iter()
        .map(|m| month_rows(conn, *m, due_day, cal, today))
        .collect()
}

/// What changed in one field from one version of a report to the next.
#[derive(Debug, Clone, PartialEq)]
pub enum ChangeField {
    Summary,
    Contact,
    /// An article entry that is new in this version.
    ArticleAdded(i64),
    /// An article entry the earlier version had and this one does not.
    ArticleRemoved(i64),
    Status(i64),
    Progress(i64),
    Difficulties(i64),
    NextSteps(i64),
    /// An indicator value, by its name.
    Indicator(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub field: ChangeField,
    pub old: String,
    pub new: String,
}

/// A version of a report against the one before it.
#[derive(Debug, Clone, PartialEq)]
pub struct VersionDiff {
    pub unit: String,
    pub month: String,
    pub old: VersionLine,
    pub new: VersionLine,
    pub changes: Vec<Change>,
}

/// The changes from `old` to `new`, field by field and article by article.
pub fn diff(old: &ReportDetail, new: &ReportDetail) -> Vec<Change> {
    let mut out = Vec::new();
    let mut push = |field: ChangeField, o: &str, n: &str| {
        if o != n {
            out.push(Change {
                field,
                old: o.to_string(),
                new: n.to_string(),
            });
        }
    };
    push(ChangeField::Summary, &old.summary, &new.summary);
    push(
        ChangeField::Contact,
        format!("{} {}", old.contact_name, old.contact_phone).trim(),
        format!("{} {}", new.contact_name, new.contact_phone).trim(),
    );
    let mut articles: Vec<i64> = old.items.iter().chain(&new.items).map(|i| i.article_no).collect();
    articles.sort_unstable();
    articles.dedup();
    for a in articles {
        let o = old.items.iter().find(|i| i.article_no == a);
        let n = new.items.iter().find(|i| i.article_no == a);
        match (o, n) {
            (None, Some(n)) => push(ChangeField::ArticleAdded(a), "", &n.progress),
            (Some(o), None) => push(ChangeField::ArticleRemoved(a), &o.progress, ""),
            (Some(o), Some(n)) => {
                push(ChangeField::Status(a), o.status.code(), n.status.code());
                push(ChangeField::Progress(a), &o.progress, &n.progress);
                push(ChangeField::Difficulties(a), &o.difficulties, &n.difficulties);
                push(ChangeField::NextSteps(a), &o.next_steps, &n.next_steps);
            }
            (None, None) => {}
        }
    }
    let sent = |d: &ReportDetail| -> Vec<(String, f64)> {
        d.indicators
            .iter()
            .filter(|i| !i.from_table)
            .map(|i| (i.name.clone(), i.value))
            .collect()
    };
    let (ov, nv) = (sent(old), sent(new));
    let mut names: Vec<&String> = ov.iter().chain(&nv).map(|(n, _)| n).collect();
    names.sort();
    names.dedup();
    let num = |v: Option<f64>| v.map(|v| v.to_string()).unwrap_or_default();
    for name in names {
        let o = ov.iter().find(|(n, _)| n == name).map(|x| x.1);
        let n = nv.iter().find(|(n, _)| n == name).map(|x| x.1);
        push(ChangeField::Indicator(name.clone()), &num(o), &num(n));
    }
    out
}

/// Version `report_id` against the version before it (`None` when it is
/// the first, or gone).
pub fn version_diff(conn: &Connection, report_id: i64) -> Result<Option<VersionDiff>> {
    let Some(new) = report_detail(conn, report_id)? else {
        return Ok(None);
    };
    let Ok(month) = new.month.parse::<Month>() else {
        return Ok(None);
    };
    let all = versions(conn, new.unit_id, month)?;
    let Some(pos) = all.iter().position(|v| v.report_id == report_id) else {
        return Ok(None);
    };
    if pos == 0 {
        return Ok(None);
    }
    let Some(old) = report_detail(conn, all[pos - 1].report_id)? else {
        return Ok(None);
    };
    Ok(Some(VersionDiff {
        unit: new.unit.clone(),
        month: new.month.clone(),
        old: all[pos - 1].clone(),
        new: all[pos].clone(),
        changes: diff(&old, &new),
    }))
}

#[cfg(test)]
mod tests {
    use super::Positions;

    #[test]
    fn positions_by_id_dense_and_sparse() {
        for ids in [vec![3i64, 4, 7, 9], vec![5, 1_000_000, 2_000_000_000, -4]] {
            let at = Positions::of(ids.iter().copied());
            assert_eq!(matches!(at, Positions::Dense { .. }), ids[1] == 4);
            for (i, &u) in ids.iter().enumerate() {
                assert_eq!(at.of_id(u), Some(i), "{u}");
            }
            for u in [0, 2, 5 - 1, 8, 10, i64::MIN, i64::MAX] {
                if !ids.contains(&u) {
                    assert_eq!(at.of_id(u), None, "{u}");
                }
            }
        }
        assert_eq!(Positions::of(std::iter::empty()).of_id(1), None);
    }
}
