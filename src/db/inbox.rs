//! Queries of the monthly-report inbox: expected reports of a month (received
//! or not) and one report's detail.

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, params};

use super::Result;
use crate::domain::{InboxStatus, Month, Progress, ReportStatus, TargetKind, UnitKind};

/// One reporting unit in one month.
#[derive(Debug, Clone, PartialEq)]
pub struct InboxRow {
    pub unit_id: i64,
    pub unit: String,
    pub short: String,
    pub kind: UnitKind,
    pub status: InboxStatus,
    pub due: NaiveDate,
    /// `YYYY-MM-DD HH:MM` of the latest version.
    pub received_at: Option<String>,
    /// Days past due: of arrival for received reports, of today for missing ones.
    pub days_late: i64,
    pub report_id: Option<i64>,
    pub version_no: i64,
    /// Reminders (催办) sent about this unit-month.
    pub reminders: i64,
}

fn parse_day(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s.get(..10)?, "%Y-%m-%d").ok()
}

/// Every reporting unit's status for `month`, in unit order.
pub fn month_rows(conn: &Connection, month: Month, due_day: u32, today: NaiveDate) -> Result<Vec<InboxRow>> {
    let m = month.to_string();
    let default_due = month.report_due(due_day);
    let mut s = conn.prepare_cached(
        "SELECT u.id, u.full_name, u.short_name, u.kind, r.id, r.version_no, r.status, r.received_at, r.due_date,
                (SELECT count(*) FROM reminders k WHERE k.entity = 'report' AND k.entity_key = u.id || ':' || ?1)
         FROM units u
         LEFT JOIN reports r ON r.unit_id = u.id AND r.month = ?1
              AND r.latest = 1
         WHERE u.reporting = 1
         ORDER BY u.sort, u.id",
    )?;
    let rows = s.query_map(params![m], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, Option<i64>>(4)?,
            r.get::<_, Option<i64>>(5)?,
            r.get::<_, Option<String>>(6)?,
            r.get::<_, Option<String>>(7)?,
            r.get::<_, Option<String>>(8)?,
            r.get::<_, i64>(9)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (unit_id, unit, short, kind, report_id, version_no, status, received_at, due, reminders) = row?;
        let due = due.as_deref().and_then(parse_day).unwrap_or(default_due);
        let stored = status.as_deref().and_then(ReportStatus::from_code);
        let received = received_at.as_deref().and_then(parse_day);
        let status = InboxStatus::derive(stored, received, due, today);
        let days_late = match received {
            Some(r) => (r - due).num_days().max(0),
            None => (today - due).num_days().max(0),
        };
        out.push(InboxRow {
            unit_id,
            unit,
            short,
            kind: UnitKind::from_code(&kind).unwrap_or(UnitKind::Department),
            status,
            due,
            received_at,
            days_late,
            report_id,
            version_no: version_no.unwrap_or(0),
            reminders,
        });
    }
    Ok(out)
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
}

/// Everything shown about one received report.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportDetail {
    pub id: i64,
    pub unit: String,
    pub month: String,
    pub version_no: i64,
    pub status: ReportStatus,
    pub received_at: String,
    pub due_date: String,
    pub summary: String,
    pub return_reason: String,
    pub resubmit_by: Option<String>,
    pub items: Vec<ReportItem>,
    pub indicators: Vec<IndicatorLine>,
}

/// A report with its progress entries and indicator values.
pub fn report_detail(conn: &Connection, report_id: i64) -> Result<Option<ReportDetail>> {
    let head = conn
        .query_row(
            "SELECT r.id, u.full_name, r.month, r.version_no, r.status, r.received_at, r.due_date, r.summary,
                    r.return_reason, r.resubmit_by
             FROM reports r JOIN units u ON u.id = r.unit_id WHERE r.id = ?1",
            [report_id],
            |r| {
                Ok(ReportDetail {
                    id: r.get(0)?,
                    unit: r.get(1)?,
                    month: r.get(2)?,
                    version_no: r.get(3)?,
                    status: ReportStatus::from_code(&r.get::<_, String>(4)?).unwrap_or(ReportStatus::New),
                    received_at: r.get(5)?,
                    due_date: r.get(6)?,
                    summary: r.get(7)?,
                    return_reason: r.get(8)?,
                    resubmit_by: r.get(9)?,
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
                article_title: r.get(1)?,
                progress: r.get(2)?,
                status: Progress::from_code(&r.get::<_, String>(3)?).unwrap_or(Progress::OnTrack),
                difficulties: r.get(4)?,
                next_steps: r.get(5)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut s = conn.prepare_cached(
        "SELECT t.name, v.value, t.value, t.unit, t.kind FROM indicator_values v JOIN targets t ON t.code = v.target_code
         WHERE v.report_id = ?1 ORDER BY t.ord",
    )?;
    d.indicators = s
        .query_map([report_id], |r| {
            Ok(IndicatorLine {
                name: r.get(0)?,
                value: r.get(1)?,
                target: r.get(2)?,
                unit: r.get(3)?,
                kind: TargetKind::from_code(&r.get::<_, String>(4)?).unwrap_or(TargetKind::Count),
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(Some(d))
}

/// Unread reports (latest versions with status new), across all months.
pub fn unread_count(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT count(*) FROM reports WHERE status = 'new' AND latest = 1",
        [],
        |r| r.get(0),
    )?)
}
