//! Whether an item exists and is still open, for the write path's checks.

use rusqlite::{Connection, OptionalExtension};

use super::Result;
use super::row::{code, text};
use crate::domain::{AuthorityStatus, ItemKey, MeasureStatus};

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
        ItemKey::Milestone(_) => Some(ItemState::Closed),
    };
    Ok(st.unwrap_or(ItemState::Missing))
}
