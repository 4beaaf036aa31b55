//! 督办: assigning a task (交办) with its 督办编号, the loop's steps (签收,
//! 反馈, 申请办结, 销号, 退回重办), the units' requests (a later deadline,
//! another wording) and the office's answers. Every step is audited on the
//! task, checks the version that guards it, and has its undo.

use chrono::Datelike;
use rusqlite::Connection;
use serde_json::json;

use super::{Applied, Command, Context, NewTaskCommand, Outcome, Refusal, TaskOrigin, conflict, precheck, record};
use crate::db::{self, Result};
use crate::domain::ItemKey;
use crate::domain::input::{MAX_EXTEND_DAYS, MAX_NOTE, MAX_REASON, clean_text};
use crate::domain::task::{
    FeedbackSource, MAX_TASK_TEXT, MAX_TASK_TITLE, RequestKind, RequestStatus, TaskSource, TaskStep,
};

fn refused(r: Refusal) -> Result<Outcome> {
    Ok(Outcome::Refused(r))
}

fn applied(item: ItemKey, audit_id: i64, undo: Option<Command>) -> Result<Outcome> {
    Ok(Outcome::Applied(Applied { item, audit_id, undo }))
}

fn with_undoes(mut v: serde_json::Value, undoes: &Option<i64>) -> serde_json::Value {
    if let Some(u) = undoes {
        v["undoes"] = json!(u);
    }
    v
}

/// Longest leader's name, in characters.
pub const MAX_LEADER: usize = 40;

/// The cleaned text, or the refusal.
macro_rules! clean {
    ($t:expr, $max:expr, $required:expr) => {
        match clean_text($t, $max, $required) {
            Ok(t) => t,
            Err(e) => return refused(Refusal::Text(e)),
        }
    };
}

/// The kind recorded in `task_events` for a step.
pub fn step_kind(step: TaskStep) -> &'static str {
    match step {
        TaskStep::Acknowledge => "acknowledge",
        TaskStep::Feedback => "feedback",
        TaskStep::RequestClose => "request_close",
        TaskStep::Close => "close",
        TaskStep::Return => "return",
    }
}

pub(super) fn apply(tx: &Connection, ctx: &Context, at: &str, cmd: &Command) -> Result<Outcome> {
    match cmd {
        Command::TaskAssign { task } => assign(tx, ctx, at, cmd, task),
        Command::TaskWithdraw { task, undoes } => {
            let key = ItemKey::Task(*task);
            if db::tasks::get(tx, *task)?.is_none() {
                return refused(Refusal::NotFound);
            }
            if !db::tasks::delete_untouched(tx, *task)? {
                return refused(Refusal::InUse);
            }
            let audit_id = record(tx, ctx, at, cmd.action(), key, None, with_undoes(json!({}), undoes))?;
            applied(key, audit_id, None)
        }
        Command::TaskStep {
            task,
            version,
            step,
            unit,
            date,
            text,
            report,
        } => {
            let key = ItemKey::Task(*task);
            let Some(t) = db::tasks::get(tx, *task)? else {
                return refused(Refusal::NotFound);
            };
            if let Some(o) = precheck(tx, ctx, key, Some(*version))? {
                return Ok(o);
            }
            // Who acts: the lead unit acknowledges and asks to close; any
            // unit on the task reports progress; the office closes or returns.
            let unit = match step {
                TaskStep::Acknowledge | TaskStep::RequestClose => match unit {
                    Some(u) if *u != t.lead => {
                        return refused(if t.partners.iter().any(|p| p.0 == *u) {
                            Refusal::LeadOnly
                        } else {
                            Refusal::NotOnTask
                        });
                    }
                    _ => Some(t.lead),
                },
                TaskStep::Feedback => match unit {
                    Some(u) if *u != t.lead && !t.partners.iter().any(|p| p.0 == *u) => {
                        return refused(Refusal::NotOnTask);
                    }
                    Some(u) => Some(*u),
                    None => Some(t.lead),
                },
                TaskStep::Close | TaskStep::Return => None,
            };
            let Some(next) = t.state.after(*step) else {
                return refused(Refusal::StepNotAllowed {
                    from: t.state,
                    step: *step,
                });
            };
            let text = match step {
                TaskStep::Feedback => clean!(text, MAX_TASK_TEXT, true),
                TaskStep::Return => clean!(text, MAX_REASON, true),
                _ => clean!(text, MAX_NOTE, false),
            };
            if *date > ctx.today {
                return refused(Refusal::DateInFuture);
            }
            if let Some(r) = report
                && db::tasks::has_report_feedback(tx, *task, *r)?
            {
                return refused(Refusal::Unchanged);
            }
            if !db::flags::bump(tx, key, *version)? {
                return conflict(tx, key);
            }
            let source = if report.is_some() {
                FeedbackSource::Report
            } else {
                FeedbackSource::Typed
            };
            let event = db::tasks::add_event(
                tx,
                *task,
                unit,
                *date,
                step_kind(*step),
                &text,
                source,
                *report,
                at,
                &ctx.actor,
            )?;
            db::tasks::set_state(tx, *task, next, *date, &text)?;
            let audit_id = record(
                tx,
                ctx,
                at,
                cmd.action(),
                key,
                Some(json!({ "state": t.state.code() })),
                json!({ "state": next.code(), "event": event, "unit": unit, "date": date.to_string(),
                        "text": text, "report": report }),
            )?;
            applied(
                key,
                audit_id,
                Some(Command::TaskUnstep {
                    task: *task,
                    version: version + 1,
                    event,
                    state: t.state,
                    acknowledged_on: t.acknowledged_on,
                    undoes: Some(audit_id),
                }),
            )
        }
        Command::TaskUnstep {
            task,
            version,
            event,
            state,
            acknowledged_on,
            undoes,
        } => {
            let key = ItemKey::Task(*task);
            let Some(t) = db::tasks::get(tx, *task)? else {
                return refused(Refusal::NotFound);
            };
            if let Some(o) = precheck(tx, ctx, key, Some(*version))? {
                return Ok(o);
            }
            match db::tasks::event(tx, *event)? {
                Some((tid, _, false)) if tid == *task => {}
                Some((tid, _, true)) if tid == *task => return refused(Refusal::AlreadyWithdrawn),
                _ => return refused(Refusal::NotFound),
            }
            if !db::flags::bump(tx, key, *version)? {
                return conflict(tx, key);
            }
            db::tasks::undo_event(tx, *event, at)?;
            db::tasks::restore_state(tx, *task, *state, *acknowledged_on)?;
            let audit_id = record(
                tx,
                ctx,
                at,
                cmd.action(),
                key,
                Some(json!({ "state": t.state.code() })),
                with_undoes(json!({ "state": state.code(), "event": event }), undoes),
            )?;
            applied(key, audit_id, None)
        }
        Command::TaskAsk {
            task,
            unit,
            kind,
            reason,
            new_due,
            new_text,
        } => {
            let key = ItemKey::Task(*task);
            let Some(t) = db::tasks::get(tx, *task)? else {
                return refused(Refusal::NotFound);
            };
            if !t.state.is_open() {
                return refused(Refusal::Closed);
            }
            if *unit != t.lead && !t.partners.iter().any(|p| p.0 == *unit) {
                return refused(Refusal::NotOnTask);
            }
            let reason = clean!(reason, MAX_REASON, true);
            let (due, text) = match kind {
                RequestKind::Extension => {
                    let Some(d) = new_due else {
                        return refused(Refusal::NotLater);
                    };
                    if *d <= t.due {
                        return refused(Refusal::NotLater);
                    }
                    if (*d - ctx.today).num_days() > MAX_EXTEND_DAYS {
                        return refused(Refusal::DateTooFar);
                    }
                    (Some(*d), None)
                }
                RequestKind::Wording => {
                    let text = clean!(new_text.as_deref().unwrap_or(""), MAX_TASK_TEXT, true);
                    if text == t.text {
                        return refused(Refusal::Unchanged);
                    }
                    (None, Some(text))
                }
            };
            let id = db::tasks::add_request(
                tx,
                *task,
                *unit,
                *kind,
                &reason,
                due,
                text.as_deref(),
                at,
                &ctx.actor.user,
            )?;
            let audit_id = record(
                tx,
                ctx,
                at,
                cmd.action(),
                key,
                None,
                json!({ "request": id, "kind": kind.code(), "unit": unit, "reason": reason,
                        "new_due": due.map(|d| d.to_string()), "new_text": text }),
            )?;
            applied(
                key,
                audit_id,
                Some(Command::TaskUnask {
                    request: id,
                    undoes: Some(audit_id),
                }),
            )
        }
        Command::TaskUnask { request, undoes } => {
            let Some(q) = db::tasks::request(tx, *request)? else {
                return refused(Refusal::NotFound);
            };
            let key = ItemKey::Task(q.task_id);
            if !db::tasks::delete_pending_request(tx, *request)? {
                return refused(Refusal::AlreadyDecided);
            }
            let audit_id = record(
                tx,
                ctx,
                at,
                cmd.action(),
                key,
                None,
                with_undoes(json!({ "request": request }), undoes),
            )?;
            applied(key, audit_id, None)
        }
        Command::TaskDecide { request, approve, note } => {
            let Some(q) = db::tasks::request(tx, *request)? else {
                return refused(Refusal::NotFound);
            };
            let key = ItemKey::Task(q.task_id);
            if q.status != RequestStatus::Pending {
                return refused(Refusal::AlreadyDecided);
            }
            let Some(t) = db::tasks::get(tx, q.task_id)? else {
                return refused(Refusal::NotFound);
            };
            if !t.state.is_open() {
                return refused(Refusal::Closed);
            }
            let note = clean!(note, MAX_REASON, !approve);
            if !db::flags::bump(tx, key, t.version)? {
                return conflict(tx, key);
            }
            let mut extension = None;
            let mut old_text = None;
            if *approve {
                match (q.kind, q.new_due, &q.new_text) {
                    (RequestKind::Extension, Some(d), _) => {
                        let id = db::flags::insert_extension(tx, key, t.due, d, &q.reason, false, &ctx.actor, at)?;
                        db::flags::set_due(tx, key, d)?;
                        extension = Some(id);
                    }
                    (RequestKind::Wording, _, Some(text)) => {
                        db::tasks::set_text(tx, q.task_id, text)?;
                        old_text = Some(t.text.clone());
                    }
                    _ => return refused(Refusal::NotFound),
                }
            }
            let status = if *approve {
                RequestStatus::Approved
            } else {
                RequestStatus::Refused
            };
            db::tasks::decide_request(tx, *request, status, &note, at, &ctx.actor.user)?;
            let audit_id = record(
                tx,
                ctx,
                at,
                cmd.action(),
                key,
                Some(json!({ "due": t.due.to_string(), "text": old_text })),
                json!({ "request": request, "status": status.code(), "note": note, "extension": extension,
                        "due": q.new_due.filter(|_| *approve).map(|d| d.to_string()),
                        "text": q.new_text.clone().filter(|_| *approve) }),
            )?;
            applied(
                key,
                audit_id,
                Some(Command::TaskUndecide {
                    request: *request,
                    extension,
                    old_text,
                    undoes: Some(audit_id),
                }),
            )
        }
        Command::TaskUndecide {
            request,
            extension,
            old_text,
            undoes,
        } => {
            let Some(q) = db::tasks::request(tx, *request)? else {
                return refused(Refusal::NotFound);
            };
            let key = ItemKey::Task(q.task_id);
            let Some(t) = db::tasks::get(tx, q.task_id)? else {
                return refused(Refusal::NotFound);
            };
            if !db::tasks::undecide_request(tx, *request)? {
                return refused(Refusal::AlreadyWithdrawn);
            }
            if !db::flags::bump(tx, key, t.version)? {
                return conflict(tx, key);
            }
            if let Some(e) = extension
                && let Some((old_due, true)) = db::flags::extension_state(tx, *e)?
            {
                db::flags::withdraw_extension(tx, *e, at)?;
                db::flags::set_due(tx, key, old_due)?;
            }
            if let Some(text) = old_text {
                db::tasks::set_text(tx, q.task_id, text)?;
            }
            let audit_id = record(
                tx,
                ctx,
                at,
                cmd.action(),
                key,
                None,
                with_undoes(json!({ "request": request, "status": "pending" }), undoes),
            )?;
            applied(key, audit_id, None)
        }
        _ => unreachable!("task commands only"),
    }
}

fn assign(tx: &Connection, ctx: &Context, at: &str, cmd: &Command, n: &NewTaskCommand) -> Result<Outcome> {
    let title = clean!(&n.title, MAX_TASK_TITLE, true);
    let text = clean!(&n.text, MAX_TASK_TEXT, true);
    let leader = clean!(&n.leader, MAX_LEADER, false);
    let prefix = clean!(&n.prefix, 20, true);
    if db::units::by_id(tx, n.lead)?.is_none() {
        return refused(Refusal::NotFound);
    }
    let mut partners = n.partners.clone();
    partners.sort_unstable();
    partners.dedup();
    if !crate::domain::task::partners_valid(n.lead, &partners) {
        return refused(Refusal::LeadIsPartner);
    }
    for p in &partners {
        if db::units::by_id(tx, *p)?.is_none() {
            return refused(Refusal::NotFound);
        }
    }
    if n.due < ctx.today {
        return refused(Refusal::DateInPast);
    }
    if (n.due - ctx.today).num_days() > MAX_EXTEND_DAYS * 3 {
        return refused(Refusal::DateTooFar);
    }
    let (source, decision_id, instruction_id, origin) = match &n.source {
        TaskOrigin::Decision(d) => match db::meetings::decision(tx, *d)? {
            Some((_, true)) => (TaskSource::Decision, Some(*d), None, json!({ "decision": d })),
            _ => return refused(Refusal::NotFound),
        },
        TaskOrigin::Instruction(i) => match db::tasks::instruction(tx, *i)? {
            Some(_) => (TaskSource::Instruction, None, Some(*i), json!({ "instruction": i })),
            None => return refused(Refusal::NotFound),
        },
        TaskOrigin::NewInstruction(i) => {
            let leader = clean!(&i.leader, MAX_LEADER, true);
            let body = clean!(&i.text, MAX_TASK_TEXT, true);
            let document = clean!(&i.document, MAX_TASK_TITLE * 2, false);
            let doc_no = clean!(&i.doc_no, 60, false);
            if i.date > ctx.today {
                return refused(Refusal::DateInFuture);
            }
            let ins = db::tasks::Instruction {
                id: 0,
                leader,
                date: i.date,
                text: body,
                document,
                doc_no,
            };
            let id = db::tasks::add_instruction(tx, &ins, at, &ctx.actor.user)?;
            (
                TaskSource::Instruction,
                None,
                Some(id),
                json!({ "instruction": id, "leader": ins.leader, "date": ins.date.to_string(), "text": ins.text,
                        "document": ins.document, "doc_no": ins.doc_no }),
            )
        }
        TaskOrigin::Office => (TaskSource::Office, None, None, json!({})),
    };
    let new = db::tasks::NewTask {
        prefix,
        year: ctx.today.year(),
        source,
        decision_id,
        instruction_id,
        title,
        text,
        lead: n.lead,
        partners,
        leader,
        assigned_on: ctx.today,
        due: n.due,
    };
    let (id, code) = db::tasks::insert(tx, &new)?;
    let key = ItemKey::Task(id);
    let audit_id = record(
        tx,
        ctx,
        at,
        cmd.action(),
        key,
        None,
        json!({ "code": code, "source": source.code(), "origin": origin, "title": new.title, "text": new.text,
                "lead": new.lead, "partners": new.partners, "leader": new.leader,
                "due": new.due.to_string() }),
    )?;
    applied(
        key,
        audit_id,
        Some(Command::TaskWithdraw {
            task: id,
            undoes: Some(audit_id),
        }),
    )
}
