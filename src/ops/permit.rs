//! Who may do what: every change is checked here, inside the one write
//! path, against the session's person (a key line's `--as`): 主任 sign off,
//! 工作人员 do the daily work, 观察员 only read, a 单位填报员 acts only on
//! its own unit's report and tasks. A process with no person (the OS user
//! on a single-user install) may do everything, as before.

use rusqlite::Connection;

use super::{Command, Refusal};
use crate::db::{self, Result};
use crate::domain::ItemKey;
use crate::domain::account::{AccountRole, Need, Person};
use crate::domain::task::TaskStep;

/// What `cmd` needs.
fn need(tx: &Connection, cmd: &Command) -> Result<Need> {
    Ok(match cmd {
        // Sign-off and what goes to the leading group.
        Command::Done { .. } | Command::Reopen { .. } | Command::Escalate { .. } => Need::Director,
        Command::TaskStep {
            step: TaskStep::Close | TaskStep::Return,
            ..
        } => Need::Director,
        Command::TaskUnstep { event, .. } => match db::tasks::event(tx, *event)? {
            Some((_, kind, _)) if kind == "close" || kind == "return" => Need::Director,
            _ => Need::Unit,
        },
        // A unit's own steps.
        Command::Submit { .. }
        | Command::TaskStep { .. }
        | Command::TaskAsk { .. }
        | Command::TaskUnask { .. }
        | Command::Note { .. } => Need::Unit,
        _ => Need::Staff,
    })
}

/// The unit a unit's step acts for, if it is that unit's own.
fn unit_of(tx: &Connection, cmd: &Command) -> Result<Option<Vec<i64>>> {
    let task_units = |task: i64| -> Result<Vec<i64>> {
        Ok(match db::tasks::get(tx, task)? {
            Some(t) => std::iter::once(t.lead).chain(t.partners.iter().map(|p| p.0)).collect(),
            None => Vec::new(),
        })
    };
    Ok(Some(match cmd {
        Command::Submit { submission } => vec![submission.unit_id],
        Command::TaskStep { task, unit, .. } => match unit {
            // A unit acts as itself, on a task it is on.
            Some(u) if task_units(*task)?.contains(u) => vec![*u],
            Some(_) => Vec::new(),
            None => db::tasks::get(tx, *task)?.map(|t| vec![t.lead]).unwrap_or_default(),
        },
        Command::TaskUnstep { task, .. } => task_units(*task)?,
        Command::TaskAsk { task, unit, .. } => {
            if task_units(*task)?.contains(unit) {
                vec![*unit]
            } else {
                Vec::new()
            }
        }
        Command::TaskUnask { request, .. } => db::tasks::request(tx, *request)?
            .map(|q| vec![q.unit])
            .unwrap_or_default(),
        Command::Note { item, .. } => match item {
            ItemKey::Report { unit, .. } => vec![*unit],
            ItemKey::Task(t) => task_units(*t)?,
            _ => Vec::new(),
        },
        _ => return Ok(None),
    }))
}

/// Why `person` may not apply `cmd`, or `None` when they may.
pub fn check(tx: &Connection, person: &Person, cmd: &Command) -> Result<Option<Refusal>> {
    let need = need(tx, cmd)?;
    if !person.role.may(need) {
        return Ok(Some(Refusal::NotPermitted { role: person.role }));
    }
    if person.role == AccountRole::Reporter {
        // A reporter's steps are its own unit's, on its own items.
        let mine = match (unit_of(tx, cmd)?, person.unit) {
            (Some(units), Some(u)) => units.contains(&u),
            _ => false,
        };
        if !mine {
            return Ok(Some(Refusal::NotYourUnit));
        }
        // Acting for its unit: the step names that unit.
        if let Command::TaskStep { unit: None, task, .. } = cmd
            && db::tasks::get(tx, *task)?.map(|t| t.lead) != person.unit
        {
            return Ok(Some(Refusal::NotYourUnit));
        }
    }
    Ok(None)
}

/// Why `person` may not make a change outside the commands (a snapshot,
/// an account, an import), or `None`.
pub fn check_need(person: Option<&Person>, need: Need) -> Option<Refusal> {
    let p = person?;
    (!p.role.may(need)).then_some(Refusal::NotPermitted { role: p.role })
}
