//! Whether an item exists and is still open, for the write path's checks.

use std::fmt;

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension};

use super::Result;
use super::row::{code, text};
use crate::domain::{AuthorityStatus, ItemKey, MeasureStatus, Month};

/// What the write path needs to know about an item before acting on it.
#[derive(Debug, Clone, PartialEq)]
pub enum ItemState {
    /// No such item.
    Missing,
    /// Still to be done; `unit` is the unit a reminder goes to, if any.
    Open { unit: Option<i64> },
    /// Done, withdrawn or held: nothing to chase.
    Closed,
}

/// The state of a measure, authority item or meeting. Reports are judged by
/// their own rules (`ops`), milestones are never open to action.
pub fn state(conn: &Connection, item: ItemKey) -> Result<ItemState> {
    let st = match item {
        ItemKey::Measure(id) => conn
            .query_row(
                "SELECT m.status, (SELECT o.unit_id FROM measure_owners o JOIN units u ON u.id = o.unit_id
                                   WHERE o.measure_id = m.id ORDER BY u.sort LIMIT 1)
                 FROM measures m WHERE m.id = ?1",
                [id],
                |r| {
                    let s: MeasureStatus = code(r, 0)?;
                    let unit: Option<i64> = r.get(1)?;
                    Ok(match s {
                        MeasureStatus::Open => ItemState::Open { unit },
                        MeasureStatus::Done => ItemState::Closed,
                    })
                },
            )
            .optional()?,
        ItemKey::Authority(id) => conn
            .query_row("SELECT status, zone_id FROM authority_items WHERE id = ?1", [id], |r| {
                let s: AuthorityStatus = code(r, 0)?;
                Ok(if s.is_open() {
                    ItemState::Open { unit: Some(r.get(1)?) }
                } else {
                    ItemState::Closed
                })
            })
            .optional()?,
        ItemKey::Meeting(id) => conn
            .query_row("SELECT status FROM meetings WHERE id = ?1", [id], |r| {
                Ok(if text(r, 0)? == "planned" {
                    ItemState::Open { unit: None }
                } else {
                    ItemState::Closed
                })
            })
            .optional()?,
        ItemKey::Report { unit, .. } => conn
            .query_row("SELECT reporting FROM units WHERE id = ?1", [unit], |r| {
                Ok(if r.get::<_, bool>(0)? {
                    ItemState::Open { unit: Some(unit) }
                } else {
                    ItemState::Closed
                })
            })
            .optional()?,
        ItemKey::Task(id) => conn
            .query_row("SELECT state, lead_unit_id FROM tasks WHERE id = ?1", [id], |r| {
                let s: crate::domain::task::TaskState = code(r, 0)?;
                Ok(if s.is_open() {
                    ItemState::Open { unit: Some(r.get(1)?) }
                } else {
                    ItemState::Closed
                })
            })
            .optional()?,
        // The one milestone: the targets' deadline, when the policy sets one.
        ItemKey::Milestone(1) => super::meta(conn, "targets_deadline")?.map(|_| ItemState::Closed),
        ItemKey::Milestone(_) => None,
    };
    Ok(st.unwrap_or(ItemState::Missing))
}

/// The months reports are expected for on `today`: from `reporting_start`
/// (when the database records it) through the current month.
pub fn report_months(conn: &Connection, today: NaiveDate) -> Result<(Option<Month>, Month)> {
    Ok((super::reporting_start(conn)?, Month::of(today)))
}

/// Why an id names nothing the office tracks.
#[derive(Debug, Clone, PartialEq)]
pub enum Absent {
    /// No measure, authority item, meeting, milestone or unit with that id.
    Unknown,
    /// The unit sends no monthly reports.
    NotReporting,
    /// No report is expected for that month (before reporting starts, or
    /// after the current month).
    OutsideSchedule {
        month: Month,
        first: Option<Month>,
        last: Month,
    },
}

impl fmt::Display for Absent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Absent::Unknown => write!(f, "no such item"),
            Absent::NotReporting => write!(f, "this unit sends no monthly reports"),
            Absent::OutsideSchedule { month, first, last } => {
                write!(f, "no report is expected for {month}: reports are expected ")?;
                match first {
                    Some(first) => write!(f, "from {first} through {last} (the current month)"),
                    None => write!(f, "up to {last} (the current month)"),
                }
            }
        }
    }
}

/// Whether `item` is something the office tracks on `today`: an existing
/// measure, authority item, meeting or milestone, or the report a
/// reporting unit owes for a month of the schedule ([`report_months`]).
pub fn absent(conn: &Connection, item: ItemKey, today: NaiveDate) -> Result<Option<Absent>> {
    match state(conn, item)? {
        ItemState::Missing => return Ok(Some(Absent::Unknown)),
        ItemState::Closed if matches!(item, ItemKey::Report { .. }) => return Ok(Some(Absent::NotReporting)),
        _ => {}
    }
    if let ItemKey::Report { month, .. } = item {
        let (first, last) = report_months(conn, today)?;
        if month > last || first.is_some_and(|f| month < f) {
            return Ok(Some(Absent::OutsideSchedule { month, first, last }));
        }
    }
    Ok(None)
}
