//! Triage of dated items: extend (延期), done (办结), snooze, escalate, and
//! their inverses. Each checks the version that guards the item before any
//! rule of its own (`super::precheck`), then bumps it.

use chrono::NaiveDate;
use rusqlite::Connection;
use serde_json::json;

use super::{Applied, Command, Context, Outcome, Refusal, conflict, precheck, record};
use crate::db::items::ItemState;
use crate::db::{self, Result};
use crate::domain::input::{MAX_EXTEND_DAYS, MAX_REASON, MAX_SNOOZE_DAYS, clean_text};
use crate::domain::{ItemKey, MeasureStatus, MeetingStatus, ReportStatus};

fn refused(r: Refusal) -> Result<Outcome> {
    Ok(Outcome::Refused(r))
}

/// The due date in force for an open item that can be extended, or why not.
fn current_due(tx: &Connection, ctx: &Context, item: ItemKey) -> Result<std::result::Result<NaiveDate, Refusal>> {
    if db::flags::flags(tx, item)?.closed_at.is_some() {
        return Ok(Err(Refusal::AlreadyDone));
    }
    let base = match item {
        ItemKey::Report { unit, month } => {
            if db::items::state(tx, item)? == ItemState::Missing {
                return Ok(Err(Refusal::NotFound));
            }
            match db::reports::latest(tx, unit, month)? {
                Some(r) if r.status == ReportStatus::Returned => db::reports::resubmit_or_due(tx, r.id)?
                    .unwrap_or_else(|| month.report_due(db::reports::due_day(tx).unwrap_or(5))),
                Some(_) => return Ok(Err(Refusal::ReportArrived)),
                None => month.report_due(db::reports::due_day(tx)?),
            }
        }
        ItemKey::Measure(id) => match db::measures::status_and_due(tx, id)? {
            Some((MeasureStatus::Done, _)) => return Ok(Err(Refusal::AlreadyDone)),
            Some((MeasureStatus::Open, Some(d))) => d,
            Some((MeasureStatus::Open, None)) => return Ok(Err(Refusal::NotApplicable)),
            None => return Ok(Err(Refusal::NotFound)),
        },
        ItemKey::Authority(id) => match db::checklist::status_and_due(tx, id)? {
            Some((s, Some(d))) if s.is_open() => d,
            Some((s, _)) if !s.is_open() => return Ok(Err(Refusal::Closed)),
            Some(_) => return Ok(Err(Refusal::NotApplicable)),
            None => return Ok(Err(Refusal::NotFound)),
        },
        ItemKey::Task(id) => match db::tasks::get(tx, id)? {
            Some(t) if t.state.is_open() => t.due,
            Some(_) => return Ok(Err(Refusal::Closed)),
            None => return Ok(Err(Refusal::NotFound)),
        },
        ItemKey::Meeting(_) | ItemKey::Milestone(_) => return Ok(Err(Refusal::NotApplicable)),
    };
    // Reports keep their extensions beside them; measures and authority
    // items have them written into their due date already.
    let due = match item {
        ItemKey::Report { .. } => db::flags::extensions(tx, item)?
            .last()
            .map(|e| e.new_due)
            .unwrap_or(base),
        _ => base,
    };
    Ok(Ok(ctx.calendar.roll_forward(due)))
}

/// Whether an item is closed: done, held, delegated or withdrawn (then it
/// takes no snooze or escalation, as it takes no extension or reminder).
fn is_closed(tx: &Connection, item: ItemKey) -> Result<bool> {
    if db::flags::flags(tx, item)?.closed_at.is_some() {
        return Ok(true);
    }
    Ok(match item {
        // A report's state is its own; the milestone is "closed" to
        // reminders only, until it is marked done.
        ItemKey::Report { .. } | ItemKey::Milestone(_) => false,
        _ => db::items::state(tx, item)? == ItemState::Closed,
    })
}

/// Whether an item can be marked done, or why not.
fn can_close(tx: &Connection, item: ItemKey) -> Result<Option<Refusal>> {
    if db::flags::flags(tx, item)?.closed_at.is_some() {
        return Ok(Some(Refusal::AlreadyDone));
    }
    Ok(match item {
        ItemKey::Authority(_) => Some(Refusal::UseChecklist),
        ItemKey::Task(_) => Some(Refusal::UseTaskLoop),
        ItemKey::Milestone(_) => None,
        ItemKey::Report { unit, month } => match db::items::state(tx, item)? {
            ItemState::Missing => Some(Refusal::NotFound),
            _ => match db::reports::latest(tx, unit, month)? {
                Some(r) if r.status != ReportStatus::Returned => Some(Refusal::ReportArrived),
                _ => None,
            },
        },
        _ => match db::items::state(tx, item)? {
            ItemState::Missing => Some(Refusal::NotFound),
            ItemState::Closed => Some(Refusal::AlreadyDone),
            ItemState::Open { .. } => None,
        },
    })
}

fn applied(item: ItemKey, audit_id: i64, undo: Option<Command>) -> Result<Outcome> {
    Ok(Outcome::Applied(Applied { item, audit_id, undo }))
}

fn with_undoes(mut v: serde_json::Value, undoes: Option<i64>) -> serde_json::Value {
    if let Some(u) = undoes {
        v["undoes"] = json!(u);
    }
    v
}

pub(super) fn apply(tx: &Connection, ctx: &Context, at: &str, cmd: &Command) -> Result<Outcome> {
    let today = ctx.today;
    match cmd {
        Command::Extend {
            item,
            version,
            to,
            reason,
            late,
        } => {
            if let Some(o) = precheck(tx, ctx, *item, Some(*version))? {
                return Ok(o);
            }
            let reason = match clean_text(reason, MAX_REASON, true) {
                Ok(r) => r,
                Err(e) => return refused(Refusal::Text(e)),
            };
            let old = match current_due(tx, ctx, *item)? {
                Ok(d) => d,
                Err(r) => return refused(r),
            };
            if *to <= old {
                return refused(Refusal::NotLater);
            }
            if *to < today {
                return refused(Refusal::DateInPast);
            }
            if (*to - today).num_days() > MAX_EXTEND_DAYS {
                return refused(Refusal::DateTooFar);
            }
            let is_late = today > old;
            if is_late && !late {
                return refused(Refusal::LateNeedsConfirm);
            }
            if !db::flags::bump(tx, *item, *version)? {
                return conflict(tx, *item);
            }
            let id = db::flags::insert_extension(tx, *item, old, *to, &reason, is_late, &ctx.actor, at)?;
            db::flags::set_due(tx, *item, *to)?;
            let audit_id = record(
                tx,
                ctx,
                at,
                cmd.action(),
                *item,
                Some(json!({ "due": old.to_string() })),
                json!({ "extension": id, "due": to.to_string(), "reason": reason, "late": is_late }),
            )?;
            applied(
                *item,
                audit_id,
                Some(Command::WithdrawExtension {
                    item: *item,
                    version: version + 1,
                    extension: id,
                    undoes: Some(audit_id),
                }),
            )
        }
        Command::WithdrawExtension {
            item,
            version,
            extension,
            undoes,
        } => {
            if let Some(o) = precheck(tx, ctx, *item, Some(*version))? {
                return Ok(o);
            }
            let Some((old_due, live)) = db::flags::extension_state(tx, *extension)? else {
                return refused(Refusal::NotFound);
            };
            if !live {
                return refused(Refusal::AlreadyWithdrawn);
            }
            if !db::flags::bump(tx, *item, *version)? {
                return conflict(tx, *item);
            }
            db::flags::withdraw_extension(tx, *extension, at)?;
            db::flags::set_due(tx, *item, old_due)?;
            let audit_id = record(
                tx,
                ctx,
                at,
                cmd.action(),
                *item,
                None,
                with_undoes(json!({ "extension": extension, "due": old_due.to_string() }), *undoes),
            )?;
            applied(*item, audit_id, None)
        }
        Command::Done { item, version, note } => {
            if let Some(o) = precheck(tx, ctx, *item, Some(*version))? {
                return Ok(o);
            }
            let note = match clean_text(note, MAX_REASON, false) {
                Ok(n) => n,
                Err(e) => return refused(Refusal::Text(e)),
            };
            if let Some(r) = can_close(tx, *item)? {
                return refused(r);
            }
            if !db::flags::bump(tx, *item, *version)? {
                return conflict(tx, *item);
            }
            match item {
                ItemKey::Measure(id) => db::flags::set_measure_status(tx, *id, Some(today))?,
                ItemKey::Meeting(id) => db::flags::set_meeting_status(tx, *id, MeetingStatus::Held)?,
                _ => {
                    let mut f = db::flags::flags(tx, *item)?;
                    f.closed_at = Some(at.to_string());
                    f.closed_by = Some(ctx.actor.user.clone());
                    f.close_note = note.clone();
                    db::flags::set_flags(tx, *item, &f)?;
                }
            }
            let note_id = if note.is_empty() || matches!(item, ItemKey::Milestone(_)) {
                None
            } else {
                Some(db::notes::insert_note(tx, *item, &ctx.actor, at, &note)?)
            };
            let audit_id = record(tx, ctx, at, cmd.action(), *item, None, json!({ "note": note }))?;
            applied(
                *item,
                audit_id,
                Some(Command::Reopen {
                    item: *item,
                    version: version + 1,
                    note: note_id,
                    undoes: Some(audit_id),
                }),
            )
        }
        Command::Reopen {
            item,
            version,
            note,
            undoes,
        } => {
            if let Some(o) = precheck(tx, ctx, *item, Some(*version))? {
                return Ok(o);
            }
            if !db::flags::bump(tx, *item, *version)? {
                return conflict(tx, *item);
            }
            match item {
                ItemKey::Measure(id) => db::flags::set_measure_status(tx, *id, None)?,
                ItemKey::Meeting(id) => db::flags::set_meeting_status(tx, *id, MeetingStatus::Planned)?,
                _ => {
                    let mut f = db::flags::flags(tx, *item)?;
                    f.closed_at = None;
                    f.closed_by = None;
                    f.close_note = String::new();
                    db::flags::set_flags(tx, *item, &f)?;
                }
            }
            if let Some(n) = note {
                db::notes::withdraw_note(tx, *n, at)?;
            }
            let audit_id = record(tx, ctx, at, cmd.action(), *item, None, with_undoes(json!({}), *undoes))?;
            applied(*item, audit_id, None)
        }
        Command::Snooze {
            item,
            version,
            until,
            undoes,
        } => {
            if let Some(o) = precheck(tx, ctx, *item, Some(*version))? {
                return Ok(o);
            }
            if let Some(u) = until {
                if *u <= today && undoes.is_none() {
                    return refused(Refusal::DateInPast);
                }
                if (*u - today).num_days() > MAX_SNOOZE_DAYS {
                    return refused(Refusal::DateTooFar);
                }
                if undoes.is_none() && is_closed(tx, *item)? {
                    return refused(Refusal::Closed);
                }
            }
            let mut f = db::flags::flags(tx, *item)?;
            let snoozed = f
                .snoozed_until
                .as_deref()
                .and_then(db::row::day)
                .is_some_and(|d| d > today);
            if until.is_none() && undoes.is_none() && !snoozed {
                return refused(Refusal::AlreadyWithdrawn);
            }
            if !db::flags::bump(tx, *item, *version)? {
                return conflict(tx, *item);
            }
            let before = f.snoozed_until.clone();
            f.snoozed_until = until.map(|u| u.to_string());
            db::flags::set_flags(tx, *item, &f)?;
            let audit_id = record(
                tx,
                ctx,
                at,
                cmd.action(),
                *item,
                Some(json!({ "snoozed_until": before })),
                with_undoes(json!({ "snoozed_until": f.snoozed_until }), *undoes),
            )?;
            let undo = undoes.is_none().then(|| Command::Snooze {
                item: *item,
                version: version + 1,
                until: before.as_deref().and_then(db::row::day),
                undoes: Some(audit_id),
            });
            applied(*item, audit_id, undo)
        }
        Command::Escalate {
            item,
            version,
            on,
            note,
            undoes,
        } => {
            if let Some(o) = precheck(tx, ctx, *item, Some(*version))? {
                return Ok(o);
            }
            let note = match clean_text(note, MAX_REASON, false) {
                Ok(n) => n,
                Err(e) => return refused(Refusal::Text(e)),
            };
            let mut f = db::flags::flags(tx, *item)?;
            if *on && f.escalated_at.is_some() {
                return refused(Refusal::AlreadyEscalated);
            }
            if !on && f.escalated_at.is_none() {
                return refused(Refusal::AlreadyWithdrawn);
            }
            if *on && undoes.is_none() && is_closed(tx, *item)? {
                return refused(Refusal::Closed);
            }
            if !db::flags::bump(tx, *item, *version)? {
                return conflict(tx, *item);
            }
            let before = (f.escalated_at.clone(), f.escalated_by.clone(), f.escalate_note.clone());
            if *on {
                // Undoing a take-back puts the escalation back as it was:
                // its time and who made it, from the take-back's audit row.
                let earlier = match undoes {
                    Some(u) => crate::db::audit::old_value(tx, *u)?,
                    None => None,
                };
                let was = |k: &str| {
                    earlier
                        .as_ref()
                        .and_then(|v| v.get(k))
                        .and_then(|v| v.as_str())
                        .map(str::to_string)
                };
                f.escalated_at = Some(was("escalated_at").unwrap_or_else(|| at.to_string()));
                f.escalated_by = Some(was("escalated_by").unwrap_or_else(|| ctx.actor.user.clone()));
                f.escalate_note = note.clone();
            } else {
                f.escalated_at = None;
                f.escalated_by = None;
                f.escalate_note = String::new();
            }
            db::flags::set_flags(tx, *item, &f)?;
            let audit_id = record(
                tx,
                ctx,
                at,
                cmd.action(),
                *item,
                Some(json!({ "escalated_at": before.0, "escalated_by": before.1, "note": before.2 })),
                with_undoes(
                    json!({ "escalated": on, "escalated_at": f.escalated_at, "note": f.escalate_note }),
                    *undoes,
                ),
            )?;
            // Taking an escalation back is undone with its note (and, from
            // this audit row, its time and author).
            let undo = undoes.is_none().then(|| Command::Escalate {
                item: *item,
                version: version + 1,
                on: !on,
                note: if *on { String::new() } else { before.2.clone() },
                undoes: Some(audit_id),
            });
            applied(*item, audit_id, undo)
        }
        _ => unreachable!("triage commands only"),
    }
}
