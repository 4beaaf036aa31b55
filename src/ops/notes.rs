//! Notes and reminders (催办) on any item, and their withdrawal.

use rusqlite::Connection;
use serde_json::json;

use super::{Applied, Command, Context, Outcome, Refusal, precheck, record};
use crate::db::items::ItemState;
use crate::db::{self, Result};
use crate::domain::input::{MAX_NOTE, MAX_REASON, clean_text};
use crate::domain::{ItemKey, ReportStatus};

pub(super) fn apply(tx: &Connection, ctx: &Context, at: &str, cmd: &Command) -> Result<Outcome> {
    match cmd {
        Command::Note { item, text } => {
            let text = match clean_text(text, MAX_NOTE, true) {
                Ok(t) => t,
                Err(e) => return Ok(Outcome::Refused(Refusal::Text(e))),
            };
            if let Some(o) = precheck(tx, ctx, *item, None)? {
                return Ok(o);
            }
            if matches!(item, ItemKey::Milestone(_)) {
                return Ok(Outcome::Refused(Refusal::NotApplicable));
            }
            let id = db::notes::insert_note(tx, *item, &ctx.actor, at, &text)?;
            let audit_id = record(
                tx,
                ctx,
                at,
                cmd.action(),
                *item,
                None,
                json!({ "note": id, "text": text }),
            )?;
            Ok(applied(
                *item,
                audit_id,
                Command::WithdrawNote {
                    note: id,
                    undoes: Some(audit_id),
                },
            ))
        }
        Command::Remind { item, channel, note } => {
            let note = match clean_text(note, MAX_REASON, false) {
                Ok(t) => t,
                Err(e) => return Ok(Outcome::Refused(Refusal::Text(e))),
            };
            if let Some(o) = precheck(tx, ctx, *item, None)? {
                return Ok(o);
            }
            let unit = match chaseable(tx, ctx, *item)? {
                Ok(unit) => unit,
                Err(r) => return Ok(Outcome::Refused(r)),
            };
            let id = db::notes::insert_reminder(tx, *item, unit, &ctx.actor, at, *channel, &note)?;
            let audit_id = record(
                tx,
                ctx,
                at,
                cmd.action(),
                *item,
                None,
                json!({ "reminder": id, "channel": channel.code(), "note": note }),
            )?;
            Ok(applied(
                *item,
                audit_id,
                Command::WithdrawReminder {
                    reminder: id,
                    undoes: Some(audit_id),
                },
            ))
        }
        Command::WithdrawNote { note, undoes } => {
            let Some(st) = db::notes::note_state(tx, *note)? else {
                return Ok(Outcome::Refused(Refusal::NotFound));
            };
            withdraw(tx, ctx, at, cmd, st, *undoes, "note", *note, db::notes::withdraw_note)
        }
        Command::WithdrawReminder { reminder, undoes } => {
            let Some(st) = db::notes::reminder_state(tx, *reminder)? else {
                return Ok(Outcome::Refused(Refusal::NotFound));
            };
            withdraw(
                tx,
                ctx,
                at,
                cmd,
                st,
                *undoes,
                "reminder",
                *reminder,
                db::notes::withdraw_reminder,
            )
        }
        _ => unreachable!("note commands only"),
    }
}

fn applied(item: ItemKey, audit_id: i64, undo: Command) -> Outcome {
    Outcome::Applied(Applied {
        item,
        audit_id,
        undo: Some(undo),
    })
}

#[allow(clippy::too_many_arguments)]
fn withdraw(
    tx: &Connection,
    ctx: &Context,
    at: &str,
    cmd: &Command,
    st: db::notes::Withdrawable,
    undoes: Option<i64>,
    what: &str,
    id: i64,
    write: fn(&Connection, i64, &str) -> Result<bool>,
) -> Result<Outcome> {
    let Some(item) = st.item else {
        return Ok(Outcome::Refused(Refusal::NotFound));
    };
    if st.withdrawn || !write(tx, id, at)? {
        return Ok(Outcome::Refused(Refusal::AlreadyWithdrawn));
    }
    let mut new = json!({ what: id, "withdrawn": true });
    if let Some(u) = undoes {
        new["undoes"] = json!(u);
    }
    let audit_id = record(
        tx,
        ctx,
        at,
        cmd.action(),
        item,
        Some(json!({ what: id, "text": st.text })),
        new,
    )?;
    Ok(Outcome::Applied(Applied {
        item,
        audit_id,
        undo: None,
    }))
}

/// Whether an item can be chased (催办) today, and the unit the reminder
/// goes to: a report that is overdue and missing, or returned; a measure or
/// authority item that is still open. Meetings and milestones are the
/// office's own items and are not chased.
fn chaseable(tx: &Connection, ctx: &Context, item: ItemKey) -> Result<std::result::Result<Option<i64>, Refusal>> {
    let unit = match db::items::state(tx, item)? {
        ItemState::Missing => return Ok(Err(Refusal::NotFound)),
        ItemState::Closed if matches!(item, ItemKey::Milestone(_)) => return Ok(Err(Refusal::NotApplicable)),
        // Meetings are the office's own: there is no unit to chase (the
        // console offers no reminder on them either).
        _ if matches!(item, ItemKey::Meeting(_)) => return Ok(Err(Refusal::NotApplicable)),
        ItemState::Closed => return Ok(Err(Refusal::Closed)),
        ItemState::Open { unit } => unit,
    };
    if let ItemKey::Report { unit: u, month } = item {
        match db::reports::latest(tx, u, month)? {
            Some(r) if r.status == ReportStatus::Returned => {}
            Some(_) => return Ok(Err(Refusal::ReportArrived)),
            None => {
                let due = ctx.calendar.roll_forward(month.report_due(db::reports::due_day(tx)?));
                if ctx.today <= due {
                    return Ok(Err(Refusal::NotYetDue));
                }
            }
        }
    }
    Ok(Ok(unit))
}
