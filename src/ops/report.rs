//! Accept, return and restore a report.

use rusqlite::Connection;
use serde_json::json;

use super::{Applied, Command, Context, Outcome, Refusal, conflict, record};
use crate::db::{self, Result};
use crate::domain::input::{MAX_REASON, clean_text};
use crate::domain::{ItemKey, ReportStatus};

pub(super) fn apply(tx: &Connection, ctx: &Context, at: &str, cmd: &Command) -> Result<Outcome> {
    let (report, version) = match cmd {
        Command::Accept { report, version }
        | Command::Return { report, version, .. }
        | Command::Restore { report, version, .. } => (*report, *version),
        _ => unreachable!("report commands only"),
    };
    let Some(st) = db::reports::state(tx, report)? else {
        return Ok(Outcome::Refused(Refusal::NotFound));
    };
    let item = ItemKey::Report {
        unit: st.unit_id,
        month: st.month,
    };
    // Someone else's change since the row was shown comes first: the user
    // is told who made it, not a rule that change may have brought about.
    if st.version != version {
        return conflict(tx, item);
    }
    // The new state, or why not.
    let (status, reason, resubmit_by, undoes) = match cmd {
        Command::Accept { .. } => (ReportStatus::Accepted, String::new(), None, None),
        Command::Return {
            reason, resubmit_by, ..
        } => {
            let reason = match clean_text(reason, MAX_REASON, true) {
                Ok(r) => r,
                Err(e) => return Ok(Outcome::Refused(Refusal::Text(e))),
            };
            if *resubmit_by < ctx.today {
                return Ok(Outcome::Refused(Refusal::DateInPast));
            }
            if (*resubmit_by - ctx.today).num_days() > crate::domain::input::MAX_RESUBMIT_DAYS {
                return Ok(Outcome::Refused(Refusal::DateTooFar));
            }
            (ReportStatus::Returned, reason, Some(resubmit_by.to_string()), None)
        }
        Command::Restore {
            status,
            reason,
            resubmit_by,
            undoes,
            ..
        } => (*status, reason.clone(), resubmit_by.clone(), *undoes),
        _ => unreachable!("report commands only"),
    };
    if !st.latest && !matches!(cmd, Command::Restore { .. }) {
        return Ok(Outcome::Refused(Refusal::Superseded));
    }
    match (cmd, st.status) {
        (Command::Accept { .. }, ReportStatus::Accepted) => return Ok(Outcome::Refused(Refusal::AlreadyAccepted)),
        (Command::Accept { .. }, ReportStatus::Returned) => return Ok(Outcome::Refused(Refusal::IsReturned)),
        (Command::Return { .. }, ReportStatus::Returned) => return Ok(Outcome::Refused(Refusal::AlreadyReturned)),
        _ => {}
    }
    if !db::reports::set_state(tx, report, version, status, &reason, resubmit_by.as_deref())? {
        return conflict(tx, item);
    }
    let old = json!({
        "report": report, "version_no": st.version_no, "version": st.version,
        "status": st.status.code(), "return_reason": st.return_reason, "resubmit_by": st.resubmit_by,
    });
    let mut new = json!({
        "report": report, "version_no": st.version_no, "version": st.version + 1,
        "status": status.code(), "return_reason": reason, "resubmit_by": resubmit_by,
    });
    if let Some(u) = undoes {
        new["undoes"] = json!(u);
    }
    let audit_id = record(tx, ctx, at, cmd.action(), item, Some(old), new)?;
    let undo = (!cmd.is_undo()).then(|| Command::Restore {
        report,
        version: st.version + 1,
        status: st.status,
        reason: st.return_reason.clone(),
        resubmit_by: st.resubmit_by.clone(),
        undoes: Some(audit_id),
    });
    Ok(Outcome::Applied(Applied { item, audit_id, undo }))
}
