//! The one write path. Every change the office makes is a typed [`Command`]
//! carrying the identity of the row and the `version` the user saw; the
//! console (through its worker thread) and the command line both call
//! [`apply`] or [`apply_all`]:
//!
//! - one `BEGIN IMMEDIATE` transaction holds the change and its audit row
//!   (OS user from the uid, old and new values), all or nothing;
//! - a row changed by someone else since it was shown is not overwritten:
//!   the outcome is [`Outcome::Conflict`], naming who changed it;
//! - a command that does not apply (accepting an accepted report, chasing a
//!   report that arrived) is [`Outcome::Refused`] with the reason;
//! - conflicts and refusals are recorded in the audit log too;
//! - a busy database is retried with backoff for about ten seconds, then
//!   reported as busy, naming the process that holds the lock when it can
//!   be found: nobody sees "database is locked".
//!
//! Every applied command returns its inverse, which [`apply`] can run later
//! as a new, audited transaction (undo never deletes history).
//!
//! The SQL itself lives in `db::` (`db::reports`, `db::notes`, …).

mod checklist;
pub mod intake;
mod measures;
mod meetings;

pub use measures::MAX_DUE_DAYS as MAX_MEASURE_DUE_DAYS;
pub mod accounts;
mod notes;
pub mod permit;
mod report;
pub mod snapshot;
mod tasks;
#[cfg(test)]
mod tests;
mod triage;

use std::fmt;

use chrono::NaiveDate;
use rusqlite::Connection;

use crate::db::audit::{self, Actor, Entry};
use crate::db::{self, DbError, Result};
use crate::domain::deadline::Calendar;
use crate::domain::input::TextError;
use crate::domain::{Channel, ItemKey, ReportStatus};

/// Who acts, and when.
#[derive(Debug, Clone)]
pub struct Context {
    pub actor: Actor,
    /// The office's today (injected in tests and by `--today`).
    pub today: NaiveDate,
    /// Working days: due dates on a day off roll to the next working day.
    pub calendar: Calendar,
}

impl Context {
    /// With the bundled holiday calendar.
    pub fn new(actor: Actor, today: NaiveDate) -> Context {
        Context {
            actor,
            today,
            calendar: Calendar::bundled(),
        }
    }

    pub fn with_calendar(mut self, calendar: Calendar) -> Context {
        self.calendar = calendar;
        self
    }
}

/// A change to the database.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    /// 已阅: accept a received report (its newest version).
    Accept { report: i64, version: i64 },
    /// 退回: send a report back for revision, with a reason and a date.
    Return {
        report: i64,
        version: i64,
        reason: String,
        resubmit_by: NaiveDate,
    },
    /// Put a report's status back (the inverse of accept and return).
    Restore {
        report: i64,
        version: i64,
        status: ReportStatus,
        reason: String,
        resubmit_by: Option<String>,
        /// The audit row of the action this undoes.
        undoes: Option<i64>,
    },
    /// A note on any item.
    Note { item: ItemKey, text: String },
    /// Withdraw a note (the inverse of `Note`; the row stays).
    WithdrawNote { note: i64, undoes: Option<i64> },
    /// 催办: a recorded reminder about an overdue item.
    Remind {
        item: ItemKey,
        channel: Channel,
        note: String,
    },
    /// Withdraw a reminder (the inverse of `Remind`; the row stays).
    WithdrawReminder { reminder: i64, undoes: Option<i64> },
    /// 延期: a new due date with a reason. Extending an item already past
    /// its due date needs `late` (an explicit confirmation) and is flagged.
    Extend {
        item: ItemKey,
        version: i64,
        to: NaiveDate,
        reason: String,
        late: bool,
    },
    /// Withdraw an extension (the inverse of `Extend`).
    WithdrawExtension {
        item: ItemKey,
        version: i64,
        extension: i64,
        undoes: Option<i64>,
    },
    /// 办结: the item is done (a measure done, a meeting held, a report
    /// settled without arriving), with a note.
    Done { item: ItemKey, version: i64, note: String },
    /// Open a done item again (the inverse of `Done`).
    Reopen {
        item: ItemKey,
        version: i64,
        /// The note the `Done` added, withdrawn with it.
        note: Option<i64>,
        undoes: Option<i64>,
    },
    /// Hide the item until a date (`None`: show it again).
    Snooze {
        item: ItemKey,
        version: i64,
        until: Option<NaiveDate>,
        undoes: Option<i64>,
    },
    /// Escalate to the leading group (listed for its next quarterly review),
    /// or take the escalation back.
    Escalate {
        item: ItemKey,
        version: i64,
        on: bool,
        note: String,
        undoes: Option<i64>,
    },
    /// A report typed in from paper: a new version of the unit-month's
    /// report, checked like a file ([`crate::intake::doc::check_report`]).
    Submit { submission: Box<crate::intake::Submission> },
    /// Move an authority item along its workflow (拟下放 → … → 已承接, 暂缓,
    /// 收回) on `date`, with the document number where the step needs one
    /// and a note (a reason for 暂缓 and 收回).
    AuthorityMove {
        item: i64,
        version: i64,
        to: crate::domain::AuthorityStatus,
        date: NaiveDate,
        doc_no: String,
        note: String,
        /// The audit row of the change this undoes (an added item undone is 收回).
        undoes: Option<i64>,
    },
    /// Put an item's status, document number and dates back (undoes a move).
    AuthorityRestore {
        item: i64,
        version: i64,
        state: Box<db::checklist::AuthorityState>,
        undoes: Option<i64>,
    },
    /// A new authority item, 拟下放 from today.
    AuthorityAdd {
        fields: Box<db::checklist::AuthorityFields>,
    },
    /// New values for an item's zone, domain, level, name, granting
    /// department, due date and note.
    AuthorityEdit {
        item: i64,
        version: i64,
        fields: Box<db::checklist::AuthorityFields>,
        undoes: Option<i64>,
    },
    /// A measure's due date, status (open, or done on a date) and owners.
    MeasureSet {
        measure: i64,
        version: i64,
        plan: db::measures::MeasurePlan,
        undoes: Option<i64>,
    },
    /// Plans a leading-group meeting on `date`.
    MeetingPlan { date: NaiveDate, title: String },
    /// Removes a planned meeting nothing was recorded for (undoes planning it).
    MeetingUnplan { meeting: i64, undoes: Option<i64> },
    /// Adds an agenda item (议题) to a meeting not yet held.
    AgendaAdd {
        meeting: i64,
        title: String,
        source: crate::domain::task::AgendaSource,
        /// The escalated item it comes from.
        item: Option<ItemKey>,
        /// The unit that submitted it for 审定.
        unit: Option<i64>,
        note: String,
    },
    /// Withdraws an agenda item (`restore`: puts it back).
    AgendaWithdraw {
        agenda: i64,
        restore: bool,
        undoes: Option<i64>,
    },
    /// Records that a meeting was held: when, and who attended.
    MinutesRecord {
        meeting: i64,
        held_on: NaiveDate,
        attendees: String,
    },
    /// Removes the minutes (undoes recording them).
    MinutesClear { meeting: i64, undoes: Option<i64> },
    /// Records a 议定事项 of a held meeting.
    DecisionAdd {
        meeting: i64,
        text: String,
        agenda: Option<i64>,
    },
    /// Withdraws a decision no task came from (`restore`: puts it back).
    DecisionWithdraw {
        decision: i64,
        restore: bool,
        undoes: Option<i64>,
    },
    /// Assigns a task (交办) with the next 督办编号 of its year.
    TaskAssign { task: Box<NewTaskCommand> },
    /// Removes a task nothing has happened to (undoes assigning it).
    TaskWithdraw { task: i64, undoes: Option<i64> },
    /// A step of the loop: a unit acknowledges, reports progress or asks
    /// to close; the office closes (销号) or returns it (退回重办).
    TaskStep {
        task: i64,
        version: i64,
        step: crate::domain::task::TaskStep,
        /// The unit acting (acknowledging, reporting, asking to close).
        unit: Option<i64>,
        date: NaiveDate,
        text: String,
        /// The monthly report the progress came in.
        report: Option<i64>,
    },
    /// Takes a step back (undoes the office's close or return, or a step
    /// recorded by mistake): the task's state before it returns.
    TaskUnstep {
        task: i64,
        version: i64,
        event: i64,
        state: crate::domain::task::TaskState,
        acknowledged_on: Option<NaiveDate>,
        undoes: Option<i64>,
    },
    /// A unit asks for a later deadline or another wording.
    TaskAsk {
        task: i64,
        unit: i64,
        kind: crate::domain::task::RequestKind,
        reason: String,
        new_due: Option<NaiveDate>,
        new_text: Option<String>,
    },
    /// Removes a request not yet answered (undoes recording it).
    TaskUnask { request: i64, undoes: Option<i64> },
    /// The office answers a request: approved (the deadline or wording
    /// changes) or refused.
    TaskDecide { request: i64, approve: bool, note: String },
    /// Takes an answer back: the request is pending again, the deadline
    /// (the extension the approval made is withdrawn) or wording as before.
    TaskUndecide {
        request: i64,
        extension: Option<i64>,
        old_text: Option<String>,
        undoes: Option<i64>,
    },
}

/// A task to assign: where it came from, what it is, who does it, by when.
#[derive(Debug, Clone, PartialEq)]
pub struct NewTaskCommand {
    pub source: TaskOrigin,
    pub title: String,
    pub text: String,
    pub lead: i64,
    pub partners: Vec<i64>,
    /// 分管领导, copied on yellow and red notices.
    pub leader: String,
    pub due: NaiveDate,
    /// The 督办编号's prefix (`双创督`).
    pub prefix: String,
}

/// Where a new task comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum TaskOrigin {
    /// A decision (议定事项) recorded in a meeting's minutes.
    Decision(i64),
    /// A 批示 recorded before.
    Instruction(i64),
    /// A new 批示, recorded with the task.
    NewInstruction(db::tasks::Instruction),
    /// The office's own 立项.
    Office,
}

impl Command {
    /// The action's name in the audit log.
    pub fn action(&self) -> &'static str {
        match self {
            Command::Accept { .. } => "accept",
            Command::Return { .. } => "return",
            Command::Restore { .. } => "restore",
            Command::Note { .. } => "note",
            Command::WithdrawNote { .. } => "withdraw_note",
            Command::Remind { .. } => "remind",
            Command::WithdrawReminder { .. } => "withdraw_reminder",
            Command::Extend { .. } => "extend",
            Command::WithdrawExtension { .. } => "withdraw_extension",
            Command::Done { .. } => "done",
            Command::Reopen { .. } => "reopen",
            Command::Snooze { until: Some(_), .. } => "snooze",
            Command::Snooze { until: None, .. } => "unsnooze",
            Command::Escalate { on: true, .. } => "escalate",
            Command::Escalate { on: false, .. } => "unescalate",
            Command::Submit { .. } => "enter",
            Command::AuthorityMove { .. } => "authority_status",
            Command::AuthorityRestore { .. } => "authority_restore",
            Command::AuthorityAdd { .. } => "authority_add",
            Command::AuthorityEdit { .. } => "authority_edit",
            Command::MeasureSet { .. } => "measure_set",
            Command::MeetingPlan { .. } => "meeting_plan",
            Command::MeetingUnplan { .. } => "meeting_unplan",
            Command::AgendaAdd { .. } => "agenda_add",
            Command::AgendaWithdraw { restore: false, .. } => "agenda_withdraw",
            Command::AgendaWithdraw { restore: true, .. } => "agenda_restore",
            Command::MinutesRecord { .. } => "minutes",
            Command::MinutesClear { .. } => "minutes_clear",
            Command::DecisionAdd { .. } => "decision_add",
            Command::DecisionWithdraw { restore: false, .. } => "decision_withdraw",
            Command::DecisionWithdraw { restore: true, .. } => "decision_restore",
            Command::TaskAssign { .. } => "task_assign",
            Command::TaskWithdraw { .. } => "task_withdraw",
            Command::TaskStep { step, .. } => match step {
                crate::domain::task::TaskStep::Acknowledge => "task_acknowledge",
                crate::domain::task::TaskStep::Feedback => "task_feedback",
                crate::domain::task::TaskStep::RequestClose => "task_request_close",
                crate::domain::task::TaskStep::Close => "task_close",
                crate::domain::task::TaskStep::Return => "task_return",
            },
            Command::TaskUnstep { .. } => "task_unstep",
            Command::TaskAsk { .. } => "task_ask",
            Command::TaskUnask { .. } => "task_unask",
            Command::TaskDecide { approve: true, .. } => "task_approve",
            Command::TaskDecide { approve: false, .. } => "task_refuse",
            Command::TaskUndecide { .. } => "task_undecide",
        }
    }

    /// Whether this command undoes another.
    pub fn is_undo(&self) -> bool {
        match self {
            Command::Restore { .. }
            | Command::WithdrawNote { .. }
            | Command::WithdrawReminder { .. }
            | Command::WithdrawExtension { .. }
            | Command::Reopen { .. } => true,
            Command::Snooze { undoes, .. }
            | Command::Escalate { undoes, .. }
            | Command::AuthorityMove { undoes, .. }
            | Command::AuthorityRestore { undoes, .. }
            | Command::AuthorityEdit { undoes, .. }
            | Command::MeasureSet { undoes, .. }
            | Command::MeetingUnplan { undoes, .. }
            | Command::AgendaWithdraw { undoes, .. }
            | Command::MinutesClear { undoes, .. }
            | Command::DecisionWithdraw { undoes, .. }
            | Command::TaskWithdraw { undoes, .. }
            | Command::TaskUnstep { undoes, .. }
            | Command::TaskUnask { undoes, .. }
            | Command::TaskUndecide { undoes, .. } => undoes.is_some(),
            _ => false,
        }
    }
}

/// What applying one command did.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Applied(Applied),
    /// Someone else changed the row since it was shown; nothing was written.
    Conflict(Conflict),
    /// The command does not apply to the item as it is; nothing was written.
    Refused(Refusal),
}

impl Outcome {
    pub fn is_applied(&self) -> bool {
        matches!(self, Outcome::Applied(_))
    }
}

/// A change that was made.
#[derive(Debug, Clone, PartialEq)]
pub struct Applied {
    pub item: ItemKey,
    /// The audit row recording it.
    pub audit_id: i64,
    /// The command that reverses it.
    pub undo: Option<Command>,
}

/// Another person's change that stood in the way.
#[derive(Debug, Clone, PartialEq)]
pub struct Conflict {
    pub item: ItemKey,
    /// Who changed it last, when, and how (from the audit log), if recorded.
    pub by: Option<(String, String, String)>,
}

impl fmt::Display for Conflict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.by {
            Some((user, at, action)) => write!(
                f,
                "{} was changed by {user} at {at} ({action}) after it was shown; nothing was changed",
                self.item
            ),
            None => write!(
                f,
                "{} was changed by someone else after it was shown; nothing was changed",
                self.item
            ),
        }
    }
}

/// Why a command does not apply.
#[derive(Debug, Clone, PartialEq)]
pub enum Refusal {
    /// No such report, note, reminder or item.
    NotFound,
    /// A newer version of the report has arrived; act on that one.
    Superseded,
    AlreadyAccepted,
    AlreadyReturned,
    /// A returned report waits for its resubmission; it cannot be accepted.
    IsReturned,
    /// The report has arrived (and was not returned): nothing to chase.
    ReportArrived,
    /// The report is not due yet: nothing to chase.
    NotYetDue,
    /// The item is done, withdrawn or held: nothing to chase.
    Closed,
    /// Notes and reminders do not apply to this kind of item.
    NotApplicable,
    /// An undo found the note or reminder already withdrawn.
    AlreadyWithdrawn,
    /// A date that must not lie before today does (for a snooze: a date
    /// that must lie after today does not).
    DateInPast,
    /// A date further ahead than allowed (`domain::input::MAX_RESUBMIT_DAYS`,
    /// `MAX_EXTEND_DAYS`, `MAX_SNOOZE_DAYS`, by command).
    DateTooFar,
    /// A typed text that is empty or too long.
    Text(TextError),
    /// The item is past its due date: extending it needs confirming.
    LateNeedsConfirm,
    /// A new due date must lie after the one in force.
    NotLater,
    /// Authority items move through their own statuses (the checklist).
    UseChecklist,
    AlreadyDone,
    AlreadyEscalated,
    /// The checklist's workflow does not allow this move.
    StatusNotAllowed {
        from: crate::domain::AuthorityStatus,
        to: crate::domain::AuthorityStatus,
    },
    /// 已下放 and 已承接 need the document number (文号).
    NeedsDocNo,
    /// 暂缓 and 收回 need a reason.
    NeedsReason,
    /// A date that must not lie after today does.
    DateInFuture,
    /// Another item of the zone has this name.
    NameTaken,
    /// Not a high-tech zone (items belong to a zone).
    NotAZone,
    /// An owner who is not named on the measure's article.
    NotOnArticle,
    /// A measure needs at least one owner.
    NoOwners,
    /// 督办 tasks are closed through their loop (签收, 反馈, 申请办结, 销号).
    UseTaskLoop,
    /// The loop does not take this step from the task's state.
    StepNotAllowed {
        from: crate::domain::task::TaskState,
        step: crate::domain::task::TaskStep,
    },
    /// The unit is neither the task's lead nor a partner.
    NotOnTask,
    /// Only the lead unit acknowledges a task or asks to close it.
    LeadOnly,
    /// A partner unit that is also the lead.
    LeadIsPartner,
    /// The request was answered already (or is no longer pending).
    AlreadyDecided,
    /// The meeting's minutes are recorded already (it was held).
    MeetingHeld,
    /// Decisions are recorded with the minutes of a held meeting.
    MeetingNotHeld,
    /// Something came from it (a task from a decision or a 批示, records
    /// of a meeting), so it stays.
    InUse,
    /// The request changes nothing (the same deadline or wording).
    Unchanged,
    /// Another meeting is planned on that day.
    DateTaken,
    /// The session's person's role does not take this step.
    NotPermitted {
        role: crate::domain::account::AccountRole,
    },
    /// A unit's reporter acts only on its own unit's items.
    NotYourUnit,
}

/// Records that the session's person was refused a change made outside
/// the commands (a snapshot, an account): an audit row with the result
/// `refused`, in its own transaction.
pub fn record_not_permitted(
    conn: &mut Connection,
    ctx: &Context,
    action: &str,
    entity: &str,
    entity_id: &str,
    r: &Refusal,
) -> Result<()> {
    db::write_tx(conn, |tx| {
        audit::record(
            tx,
            &ctx.actor,
            &Entry {
                at: &audit::now_utc(),
                action,
                entity,
                entity_id,
                old: None,
                new: Some(serde_json::json!({ "reason": r.to_string() })),
                result: "refused",
            },
        )
        .map(|_| ())
    })
}

/// The refusal as the audit log records it: English, and never reworded
/// (the log is hashed and read by later versions). What a person reads is
/// worded for its command in their language (`i18n`'s `refusal_for`).
impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refusal::NotFound => write!(f, "no such item"),
            Refusal::Superseded => write!(f, "a newer version of this report has arrived; act on that one"),
            Refusal::AlreadyAccepted => write!(f, "the report is already accepted"),
            Refusal::AlreadyReturned => write!(f, "the report is already returned"),
            Refusal::IsReturned => write!(f, "the report was returned and awaits its resubmission"),
            Refusal::ReportArrived => write!(f, "the report has arrived; there is nothing to chase"),
            Refusal::NotYetDue => write!(f, "the report is not due yet; there is nothing to chase"),
            Refusal::Closed => write!(f, "the item is closed; there is nothing to chase"),
            Refusal::NotApplicable => write!(f, "this kind of item takes no notes or reminders"),
            Refusal::AlreadyWithdrawn => write!(f, "it was already withdrawn"),
            Refusal::DateInPast => write!(f, "the date lies before today"),
            Refusal::DateTooFar => write!(f, "the date lies too far ahead"),
            Refusal::Text(e) => write!(f, "{e}"),
            Refusal::LateNeedsConfirm => write!(
                f,
                "the item is past its due date; extending it now needs confirming (--late) and is flagged"
            ),
            Refusal::NotLater => write!(f, "the new due date must lie after the one in force"),
            Refusal::UseChecklist => write!(
                f,
                "authority items are done by moving their status in the checklist (pane 2 of the console; dudao authority set-status)"
            ),
            Refusal::AlreadyDone => write!(f, "the item is already done"),
            Refusal::AlreadyEscalated => write!(f, "the item is already escalated"),
            Refusal::StatusNotAllowed { from, to } => write!(
                f,
                "an item that is {} cannot become {} (the workflow: proposed → submitted → approved → delegated → undertaken; suspended; revoked is final)",
                from.code(),
                to.code()
            ),
            Refusal::NeedsDocNo => write!(f, "delegating needs the document number (--doc-no, 文号)"),
            Refusal::NeedsReason => write!(f, "suspending or revoking needs a reason (--note)"),
            Refusal::DateInFuture => write!(f, "the date lies after today"),
            Refusal::NameTaken => write!(f, "the zone already has an item of that name"),
            Refusal::NotAZone => write!(f, "items belong to a high-tech zone"),
            Refusal::NotOnArticle => write!(f, "an owner must be a lead or partner unit of the measure's article"),
            Refusal::NoOwners => write!(f, "a measure needs at least one owner"),
            Refusal::UseTaskLoop => write!(f, "tasks are closed through their loop"),
            Refusal::StepNotAllowed { from, step } => write!(f, "a task that is {} cannot take {step:?}", from.code()),
            Refusal::NotOnTask => write!(f, "the unit is neither the task's lead nor a partner"),
            Refusal::LeadOnly => write!(f, "only the lead unit acknowledges a task or asks to close it"),
            Refusal::LeadIsPartner => write!(f, "a partner unit cannot also be the lead"),
            Refusal::AlreadyDecided => write!(f, "the request was answered already"),
            Refusal::MeetingHeld => write!(f, "the meeting's minutes are recorded already"),
            Refusal::MeetingNotHeld => write!(f, "the meeting has no minutes yet"),
            Refusal::InUse => write!(f, "something came from it; it stays"),
            Refusal::Unchanged => write!(f, "that is how it stands already"),
            Refusal::DateTaken => write!(f, "another meeting is planned on that day"),
            Refusal::NotPermitted { role } => write!(f, "the role {} does not take this step", role.code()),
            Refusal::NotYourUnit => write!(f, "a reporter acts only on its own unit's items"),
        }
    }
}

/// Errors of the write path: the database could not be written (busy after
/// every retry, read-only, damaged, …). Conflicts and refusals are outcomes.
pub type OpError = DbError;

pub use crate::db::write::{retry_within, with_retry};

/// Applies one command in its own transaction.
pub fn apply(conn: &mut Connection, ctx: &Context, cmd: &Command) -> Result<Outcome> {
    Ok(apply_all(conn, ctx, std::slice::from_ref(cmd))?
        .pop()
        .expect("one outcome per command"))
}

/// Applies commands as one user action: one transaction. Each command
/// applies, conflicts or is refused on its own (a conflict skips that
/// command only); an error rolls every one of them back.
pub fn apply_all(conn: &mut Connection, ctx: &Context, cmds: &[Command]) -> Result<Vec<Outcome>> {
    Ok(apply_batch(conn, ctx, cmds)?.outcomes)
}

/// The outcomes of a batch and every audit row it wrote.
#[derive(Debug, Clone, PartialEq)]
pub struct Batch {
    pub outcomes: Vec<Outcome>,
    /// Audit rows written by this batch (applied changes, conflicts and
    /// refusals), so a console can tell its own commits from others'.
    pub audit_ids: Vec<i64>,
}

/// [`apply_all`], also returning the audit rows written.
pub fn apply_batch(conn: &mut Connection, ctx: &Context, cmds: &[Command]) -> Result<Batch> {
    db::write_tx(conn, |tx| {
        let mut outcomes = Vec::with_capacity(cmds.len());
        let mut audit_ids = Vec::with_capacity(cmds.len());
        let at = audit::now_utc();
        for cmd in cmds {
            // Each command in a savepoint of its own: kept when it applied,
            // undone when it conflicted or was refused.
            tx.execute_batch("SAVEPOINT command")?;
            // An error rolls the whole transaction back. Who may do it
            // is asked first, here, for every writer.
            let outcome = match ctx.actor.person.as_ref() {
                Some(p) => match permit::check(tx, p, cmd)? {
                    Some(r) => Outcome::Refused(r),
                    None => apply_one(tx, ctx, &at, cmd)?,
                },
                None => apply_one(tx, ctx, &at, cmd)?,
            };
            if outcome.is_applied() {
                tx.execute_batch("RELEASE command")?;
            } else {
                tx.execute_batch("ROLLBACK TO command; RELEASE command")?;
            }
            match &outcome {
                Outcome::Applied(a) => audit_ids.push(a.audit_id),
                _ => audit_ids.push(record_refusal(tx, ctx, &at, cmd, &outcome)?),
            }
            outcomes.push(outcome);
        }
        Ok(Batch { outcomes, audit_ids })
    })
}

fn apply_one(tx: &Connection, ctx: &Context, at: &str, cmd: &Command) -> Result<Outcome> {
    match cmd {
        Command::Accept { .. } | Command::Return { .. } | Command::Restore { .. } => report::apply(tx, ctx, at, cmd),
        Command::Note { .. }
        | Command::WithdrawNote { .. }
        | Command::Remind { .. }
        | Command::WithdrawReminder { .. } => notes::apply(tx, ctx, at, cmd),
        Command::Extend { .. }
        | Command::WithdrawExtension { .. }
        | Command::Done { .. }
        | Command::Reopen { .. }
        | Command::Snooze { .. }
        | Command::Escalate { .. } => triage::apply(tx, ctx, at, cmd),
        Command::Submit { submission } => intake::submit(tx, ctx, at, submission),
        Command::AuthorityMove { .. }
        | Command::AuthorityRestore { .. }
        | Command::AuthorityAdd { .. }
        | Command::AuthorityEdit { .. } => checklist::apply(tx, ctx, at, cmd),
        Command::MeasureSet { .. } => measures::apply(tx, ctx, at, cmd),
        Command::MeetingPlan { .. }
        | Command::MeetingUnplan { .. }
        | Command::AgendaAdd { .. }
        | Command::AgendaWithdraw { .. }
        | Command::MinutesRecord { .. }
        | Command::MinutesClear { .. }
        | Command::DecisionAdd { .. }
        | Command::DecisionWithdraw { .. } => meetings::apply(tx, ctx, at, cmd),
        Command::TaskAssign { .. }
        | Command::TaskWithdraw { .. }
        | Command::TaskStep { .. }
        | Command::TaskUnstep { .. }
        | Command::TaskAsk { .. }
        | Command::TaskUnask { .. }
        | Command::TaskDecide { .. }
        | Command::TaskUndecide { .. } => tasks::apply(tx, ctx, at, cmd),
    }
}

/// The item a command is about, as far as it can be told without the database.
fn item_hint(tx: &Connection, cmd: &Command) -> Result<(String, String)> {
    let key = match cmd {
        Command::Note { item, .. } | Command::Remind { item, .. } => Some(*item),
        Command::Accept { report, .. } | Command::Return { report, .. } | Command::Restore { report, .. } => {
            db::reports::state(tx, *report)?.map(|s| ItemKey::Report {
                unit: s.unit_id,
                month: s.month,
            })
        }
        Command::WithdrawNote { note, .. } => db::notes::note_state(tx, *note)?.and_then(|w| w.item),
        Command::WithdrawReminder { reminder, .. } => db::notes::reminder_state(tx, *reminder)?.and_then(|w| w.item),
        Command::Extend { item, .. }
        | Command::WithdrawExtension { item, .. }
        | Command::Done { item, .. }
        | Command::Reopen { item, .. }
        | Command::Snooze { item, .. }
        | Command::Escalate { item, .. } => Some(*item),
        Command::Submit { submission } => Some(ItemKey::Report {
            unit: submission.unit_id,
            month: submission.month,
        }),
        Command::AuthorityMove { item, .. }
        | Command::AuthorityRestore { item, .. }
        | Command::AuthorityEdit { item, .. } => Some(ItemKey::Authority(*item)),
        Command::AuthorityAdd { .. } => None,
        Command::MeasureSet { measure, .. } => Some(ItemKey::Measure(*measure)),
        Command::MeetingUnplan { meeting, .. }
        | Command::AgendaAdd { meeting, .. }
        | Command::MinutesRecord { meeting, .. }
        | Command::MinutesClear { meeting, .. }
        | Command::DecisionAdd { meeting, .. } => Some(ItemKey::Meeting(*meeting)),
        Command::AgendaWithdraw { agenda, .. } => db::meetings::agenda_meeting(tx, *agenda)?.map(ItemKey::Meeting),
        Command::DecisionWithdraw { decision, .. } => {
            db::meetings::decision(tx, *decision)?.map(|d| ItemKey::Meeting(d.0))
        }
        Command::MeetingPlan { .. } | Command::TaskAssign { .. } => None,
        Command::TaskWithdraw { task, .. }
        | Command::TaskStep { task, .. }
        | Command::TaskUnstep { task, .. }
        | Command::TaskAsk { task, .. } => Some(ItemKey::Task(*task)),
        Command::TaskUnask { request, .. }
        | Command::TaskDecide { request, .. }
        | Command::TaskUndecide { request, .. } => db::tasks::request(tx, *request)?.map(|q| ItemKey::Task(q.task_id)),
    };
    Ok(match key {
        Some(k) => (k.entity().to_string(), k.entity_key()),
        None => ("unknown".to_string(), String::new()),
    })
}

/// Records a conflict or refusal in the audit log (RELIABILITY.md: refused
/// actions are logged too).
fn record_refusal(tx: &Connection, ctx: &Context, at: &str, cmd: &Command, outcome: &Outcome) -> Result<i64> {
    let (entity, entity_id) = item_hint(tx, cmd)?;
    let (result, why) = match outcome {
        Outcome::Conflict(c) => ("conflict", c.to_string()),
        Outcome::Refused(r) => ("refused", r.to_string()),
        Outcome::Applied(a) => return Ok(a.audit_id),
    };
    audit::record(
        tx,
        &ctx.actor,
        &Entry {
            at,
            action: cmd.action(),
            entity: &entity,
            entity_id: &entity_id,
            old: None,
            new: Some(serde_json::json!({ "reason": why })),
            result,
        },
    )
}

/// Writes the audit row of an applied change; returns its id.
fn record(
    tx: &Connection,
    ctx: &Context,
    at: &str,
    action: &str,
    item: ItemKey,
    old: Option<serde_json::Value>,
    new: serde_json::Value,
) -> Result<i64> {
    audit::record(
        tx,
        &ctx.actor,
        &Entry {
            at,
            action,
            entity: item.entity(),
            entity_id: &item.entity_key(),
            old,
            new: Some(new),
            result: "ok",
        },
    )
}

/// The checks a command on an item starts with, in this order: the item
/// is one the office tracks (else `NotFound`), then, for commands that carry
/// the version the user saw, nobody changed it since (else a conflict naming
/// who did). Business rules come after, so a race is reported as the other
/// person's change, not as a rule that change brought about ("already
/// escalated", "must be later"). `None`: go on.
fn precheck(tx: &Connection, ctx: &Context, item: ItemKey, version: Option<i64>) -> Result<Option<Outcome>> {
    if db::items::absent(tx, item, ctx.today)?.is_some() {
        return Ok(Some(Outcome::Refused(Refusal::NotFound)));
    }
    if let Some(v) = version
        && db::flags::version(tx, item)? != v
    {
        return conflict(tx, item).map(Some);
    }
    Ok(None)
}

/// The conflict outcome for `item`, naming its last change.
fn conflict(tx: &Connection, item: ItemKey) -> Result<Outcome> {
    Ok(Outcome::Conflict(Conflict {
        item,
        by: db::notes::last_change(tx, item)?,
    }))
}
