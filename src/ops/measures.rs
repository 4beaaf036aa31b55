//! Setting a measure's due date, status (open, or done on a date) and
//! owners (among the article's lead and partner units).

use rusqlite::Connection;
use serde_json::json;

use super::{Applied, Command, Context, Outcome, Refusal, precheck, record};
use crate::db::measures::MeasurePlan;
use crate::db::{self, Result};
use crate::domain::ItemKey;

/// How far ahead a measure's due date may lie, in days.
pub const MAX_DUE_DAYS: i64 = 5 * 366;

fn plan_json(p: &MeasurePlan) -> serde_json::Value {
    json!({
        "due_date": p.due.map(|d| d.to_string()),
        "status": if p.done.is_some() { "done" } else { "open" },
        "done_date": p.done.map(|d| d.to_string()),
        "owners": p.owners,
    })
}

pub(super) fn apply(tx: &Connection, ctx: &Context, at: &str, cmd: &Command) -> Result<Outcome> {
    let Command::MeasureSet {
        measure,
        version,
        plan,
        undoes,
    } = cmd
    else {
        unreachable!("measure commands only")
    };
    let key = ItemKey::Measure(*measure);
    if let Some(o) = precheck(tx, ctx, key, Some(*version))? {
        return Ok(o);
    }
    let Some(old) = db::measures::get(tx, *measure)? else {
        return Ok(Outcome::Refused(Refusal::NotFound));
    };
    let mut owners = plan.owners.clone();
    owners.sort_unstable();
    owners.dedup();
    if owners.is_empty() {
        return Ok(Outcome::Refused(Refusal::NoOwners));
    }
    let named: Vec<i64> = db::measures::article_units(tx, old.article_no)?
        .into_iter()
        .map(|u| u.0)
        .collect();
    if owners.iter().any(|o| !named.contains(o)) {
        return Ok(Outcome::Refused(Refusal::NotOnArticle));
    }
    if let Some(d) = plan.due
        && (d - ctx.today).num_days() > MAX_DUE_DAYS
    {
        return Ok(Outcome::Refused(Refusal::DateTooFar));
    }
    if plan.done.is_some_and(|d| d > ctx.today) {
        return Ok(Outcome::Refused(Refusal::DateInFuture));
    }
    let new = MeasurePlan { owners, ..plan.clone() };
    if !db::measures::set(tx, *measure, *version, &new)? {
        return super::conflict(tx, key);
    }
    let mut n = plan_json(&new);
    if let Some(u) = undoes {
        n["undoes"] = json!(u);
    }
    let audit_id = record(tx, ctx, at, cmd.action(), key, Some(plan_json(&old.plan())), n)?;
    let undo = (!cmd.is_undo()).then(|| Command::MeasureSet {
        measure: *measure,
        version: version + 1,
        plan: old.plan(),
        undoes: Some(audit_id),
    });
    Ok(Outcome::Applied(Applied {
        item: key,
        audit_id,
        undo,
    }))
}
