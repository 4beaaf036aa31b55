//! Freezing a finished quarter's figures (`dudao snapshot`, and the
//! read-write console for the last finished quarter): one `BEGIN IMMEDIATE`
//! transaction reads the facts, computes the figures, stores them and
//! writes the audit row. A quarter is frozen once; later calls change nothing.

use rusqlite::Connection;

use super::Context;
use crate::db::alerts::AlertPolicy;
use crate::db::audit::{self, Entry};
use crate::db::{DbError, Result};
use crate::domain::Quarter;

/// What freezing did.
#[derive(Debug, Clone, PartialEq)]
pub enum Frozen {
    /// Stored now; the audit row's id.
    Taken { audit_id: i64 },
    /// The quarter had a snapshot already (taken at, by); nothing changed.
    Exists { taken_at: String, by_user: String },
    /// The session's person may not freeze a quarter (主任 only); recorded.
    Refused(super::Refusal),
}

/// Freezes `quarter`, which must have ended before `ctx.today`.
pub fn freeze(conn: &mut Connection, ctx: &Context, policy: &AlertPolicy, quarter: Quarter) -> Result<Frozen> {
    if let Some(r) = super::permit::check_need(ctx.actor.person.as_ref(), crate::domain::account::Need::Director) {
        super::record_not_permitted(conn, ctx, "snapshot", "quarter", &quarter.to_string(), &r)?;
        return Ok(Frozen::Refused(r));
    }
    if !quarter.finished(ctx.today) {
        return Err(DbError::QuarterRunning {
            quarter: quarter.to_string(),
            ends: quarter.last_day().to_string(),
        });
    }
    crate::db::write_tx(conn, |tx| {
        if let Some(s) = crate::db::review::snapshot(tx, quarter)? {
            return Ok(Frozen::Exists {
                taken_at: s.taken_at,
                by_user: s.by_user,
            });
        }
        let at = audit::now_utc();
        let (figures, _) = crate::figures::freeze(tx, quarter, ctx.today, policy, &at, &ctx.actor)?;
        let audit_id = audit::record(
            tx,
            &ctx.actor,
            &Entry {
                at: &at,
                action: "snapshot",
                entity: "quarter",
                entity_id: &quarter.to_string(),
                old: None,
                new: Some(serde_json::to_value(figures.headline).unwrap_or_default()),
                result: "ok",
            },
        )?;
        Ok(Frozen::Taken { audit_id })
    })
}
