//! Reports arriving: a file imported, found to be a duplicate, or refused
//! (each logged, with its audit row, in one transaction), and a report
//! typed in by hand from paper ([`crate::ops::Command::Submit`]).

use chrono::NaiveDate;
use rusqlite::Connection;
use serde_json::json;

use super::{Applied, Context, Outcome};
use crate::db::audit::{self, Entry};
use crate::db::intake::{Earlier, LogResult, NewLog};
use crate::db::{self, Result};
use crate::domain::{ItemKey, Month, ReportStatus};
use crate::intake::{Body, Encoding, Format, Parsed, Refusal, Submission};

/// A file as met: its name, where it was put, its bytes' hash and size.
#[derive(Debug, Clone, Default)]
pub struct FileMeta<'a> {
    pub file_name: &'a str,
    /// Where the file goes (`processed/…` or `quarantine/…`), or empty.
    pub stored_as: &'a str,
    /// SHA-256 of the bytes (empty when they could not be read).
    pub sha256: &'a str,
    pub size: Option<u64>,
}

/// What importing one file did.
#[derive(Debug, Clone, PartialEq)]
pub enum ImportOutcome {
    Imported {
        item: ItemKey,
        /// The unit's full name.
        unit: String,
        month: Month,
        /// The report version made (`None` for an indicator table).
        report: Option<(i64, i64)>,
        values: usize,
        log_id: i64,
    },
    /// The same bytes were imported before: nothing changed.
    Duplicate { earlier: Earlier, log_id: i64 },
    /// The file was refused: nothing changed but the log.
    Refused { refusal: Refusal, log_id: i64 },
}

/// Parsing's result for a file: the checked content, or the refusal (with
/// the encoding and format when they were found).
pub type ParseResult = std::result::Result<Parsed, (Refusal, Option<Encoding>, Option<Format>)>;

/// Records a file in one transaction: imported (a new report version, or
/// an indicator table's values), a duplicate of bytes imported before, or
/// refused. Always logged and audited.
pub fn record_file(
    conn: &mut Connection,
    ctx: &Context,
    meta: &FileMeta,
    parsed: &ParseResult,
) -> Result<ImportOutcome> {
    // A unit's reporter sends its own unit's reports only: another unit's
    // is refused, logged and audited as any refused file.
    let mine;
    let parsed = match (ctx.actor.person.as_ref(), parsed) {
        (Some(p), Ok(ok))
            if p.role == crate::domain::account::AccountRole::Reporter && p.unit != Some(ok.submission.unit_id) =>
        {
            mine = Err((
                Refusal::new(crate::intake::Reason::NotYourUnit {
                    unit: ok.submission.unit.clone(),
                }),
                Some(ok.encoding),
                Some(ok.format),
            ));
            &mine
        }
        _ => parsed,
    };
    db::write_tx(conn, |tx| {
        let at = audit::now_utc();
        Ok(match parsed {
            Err((refusal, enc, fmt)) => refuse(tx, ctx, &at, meta, refusal, *enc, *fmt)?,
            Ok(p) => match db::intake::imported(tx, meta.sha256)? {
                Some(earlier) => duplicate(tx, ctx, &at, meta, p, earlier)?,
                None => import(tx, ctx, &at, meta, p)?,
            },
        })
    })
}

fn refuse(
    tx: &Connection,
    ctx: &Context,
    at: &str,
    meta: &FileMeta,
    refusal: &Refusal,
    enc: Option<Encoding>,
    fmt: Option<Format>,
) -> Result<ImportOutcome> {
    let reason = serde_json::to_string(refusal).unwrap_or_default();
    let log_id = db::intake::insert_log(
        tx,
        &ctx.actor,
        LogResult::Refused,
        &NewLog {
            at,
            file_name: meta.file_name,
            stored_as: meta.stored_as,
            sha256: meta.sha256,
            size: meta.size,
            encoding: enc.map(Encoding::code).unwrap_or(""),
            format: fmt.map(Format::code).unwrap_or(""),
            reason_code: refusal.reason.code(),
            reason: &reason,
            ..NewLog::default()
        },
    )?;
    audit::record(
        tx,
        &ctx.actor,
        &Entry {
            at,
            action: "import",
            entity: "file",
            entity_id: &log_id.to_string(),
            old: None,
            new: Some(json!({
                "file": meta.file_name, "sha256": meta.sha256, "stored_as": meta.stored_as,
                "reason": refusal.reason.code(), "line": refusal.line, "col": refusal.col,
            })),
            result: "rejected",
        },
    )?;
    Ok(ImportOutcome::Refused {
        refusal: refusal.clone(),
        log_id,
    })
}

fn duplicate(
    tx: &Connection,
    ctx: &Context,
    at: &str,
    meta: &FileMeta,
    p: &Parsed,
    earlier: Earlier,
) -> Result<ImportOutcome> {
    let log_id = db::intake::insert_log(
        tx,
        &ctx.actor,
        LogResult::Duplicate,
        &NewLog {
            at,
            file_name: meta.file_name,
            stored_as: meta.stored_as,
            sha256: meta.sha256,
            size: meta.size,
            encoding: p.encoding.code(),
            format: p.format.code(),
            unit_id: Some(p.submission.unit_id),
            month: Some(p.submission.month.to_string()),
            import_id: Some(earlier.import_id),
            ..NewLog::default()
        },
    )?;
    audit::record(
        tx,
        &ctx.actor,
        &Entry {
            at,
            action: "import",
            entity: "file",
            entity_id: &log_id.to_string(),
            old: None,
            new: Some(json!({
                "file": meta.file_name, "sha256": meta.sha256, "duplicate_of": earlier.import_id,
            })),
            result: "duplicate",
        },
    )?;
    Ok(ImportOutcome::Duplicate { earlier, log_id })
}

fn import(tx: &Connection, ctx: &Context, at: &str, meta: &FileMeta, p: &Parsed) -> Result<ImportOutcome> {
    let sub = &p.submission;
    let item = ItemKey::Report {
        unit: sub.unit_id,
        month: sub.month,
    };
    let import_id = db::intake::insert_import(tx, meta.sha256, meta.file_name, p.encoding.code(), at, &ctx.actor)?;
    let (report, values) = match &sub.body {
        Body::Report(body) => {
            let due = due_for(tx, ctx, sub.unit_id, sub.month)?;
            let received = received_at(ctx);
            let r = db::reports::insert_version(
                tx,
                &db::reports::NewVersion {
                    unit_id: sub.unit_id,
                    month: sub.month,
                    due_date: due,
                    received_at: &received,
                    body,
                    source: "file",
                    import_id: Some(import_id),
                    status: ReportStatus::New,
                    return_reason: "",
                    resubmit_by: None,
                },
            )?;
            report_tasks(tx, ctx, at, sub.unit_id, r.0, body)?;
            (Some(r), body.values.len())
        }
        Body::Indicators(values) => {
            db::reports::put_values(tx, sub.unit_id, sub.month, values, None, Some(import_id))?;
            (None, values.len())
        }
    };
    let log_id = db::intake::insert_log(
        tx,
        &ctx.actor,
        LogResult::Imported,
        &NewLog {
            at,
            file_name: meta.file_name,
            stored_as: meta.stored_as,
            sha256: meta.sha256,
            size: meta.size,
            encoding: p.encoding.code(),
            format: p.format.code(),
            unit_id: Some(sub.unit_id),
            month: Some(sub.month.to_string()),
            report_id: report.map(|r| r.0),
            import_id: Some(import_id),
            ..NewLog::default()
        },
    )?;
    audit::record(
        tx,
        &ctx.actor,
        &Entry {
            at,
            action: "import",
            entity: item.entity(),
            entity_id: &item.entity_key(),
            old: None,
            new: Some(json!({
                "file": meta.file_name, "sha256": meta.sha256, "stored_as": meta.stored_as,
                "format": p.format.code(), "encoding": p.encoding.code(),
                "report": report.map(|r| r.0), "version_no": report.map(|r| r.1), "values": values,
            })),
            result: "ok",
        },
    )?;
    Ok(ImportOutcome::Imported {
        item,
        unit: sub.unit.clone(),
        month: sub.month,
        report,
        values,
        log_id,
    })
}

/// Progress on 督办 tasks carried by a monthly report: each becomes a
/// feedback step of its task (audited as the unit's, from the report), and
/// the lead unit's `close = true` a request to close, as if the unit had
/// given them one by one. A step the task's state no longer takes (it was
/// closed since the file was written) is left out; the report stands.
fn report_tasks(
    tx: &Connection,
    ctx: &Context,
    at: &str,
    unit: i64,
    report: i64,
    body: &crate::intake::ReportBody,
) -> Result<()> {
    use crate::domain::task::TaskStep;
    for t in &body.tasks {
        let mut steps: Vec<(TaskStep, &str)> = Vec::new();
        if !t.progress.is_empty() {
            steps.push((TaskStep::Feedback, t.progress.as_str()));
        }
        if t.close {
            steps.push((TaskStep::RequestClose, ""));
        }
        for (step, text) in &steps {
            let Some(task) = db::tasks::get(tx, t.task_id)? else {
                break;
            };
            let cmd = super::Command::TaskStep {
                task: t.task_id,
                version: task.version,
                step: *step,
                unit: Some(unit),
                date: ctx.today,
                text: text.to_string(),
                report: (*step == TaskStep::Feedback).then_some(report),
            };
            tx.execute_batch("SAVEPOINT task_step")?;
            let o = super::tasks::apply(tx, ctx, at, &cmd)?;
            if o.is_applied() {
                tx.execute_batch("RELEASE task_step")?;
            } else {
                tx.execute_batch("ROLLBACK TO task_step; RELEASE task_step")?;
                break;
            }
        }
    }
    Ok(())
}

/// When a new version of a unit-month's report was due: by the
/// resubmission date when the last version was returned, else by the
/// extension in force, else on the office's due day (rolled to a working day).
fn due_for(tx: &Connection, ctx: &Context, unit: i64, month: Month) -> Result<NaiveDate> {
    if let Some(prev) = db::reports::latest(tx, unit, month)?
        && prev.status == ReportStatus::Returned
        && let Some(d) = prev.resubmit_by.as_deref().and_then(crate::db::row::day)
    {
        return Ok(d);
    }
    let item = ItemKey::Report { unit, month };
    if let Some(e) = db::flags::extensions(tx, item)?.last() {
        return Ok(e.new_due);
    }
    let due_day = db::reports::due_day(tx)?;
    Ok(ctx.calendar.roll_forward(month.report_due(due_day)))
}

/// The arrival time: now, by the clock. Where the office's "today" is
/// set to another day (`--today`, a sample's as-of date), that day alone:
/// a set date and the clock's time are never mixed in one timestamp.
fn received_at(ctx: &Context) -> String {
    let now = chrono::Local::now();
    if now.date_naive() == ctx.today {
        now.format("%Y-%m-%d %H:%M").to_string()
    } else {
        ctx.today.to_string()
    }
}

/// [`crate::ops::Command::Submit`]: a report typed in from paper becomes a new version.
pub(super) fn submit(tx: &Connection, ctx: &Context, at: &str, sub: &Submission) -> Result<Outcome> {
    let item = ItemKey::Report {
        unit: sub.unit_id,
        month: sub.month,
    };
    let Body::Report(body) = &sub.body else {
        return Ok(Outcome::Refused(super::Refusal::NotApplicable));
    };
    let due = due_for(tx, ctx, sub.unit_id, sub.month)?;
    let received = received_at(ctx);
    let (report, version_no) = db::reports::insert_version(
        tx,
        &db::reports::NewVersion {
            unit_id: sub.unit_id,
            month: sub.month,
            due_date: due,
            received_at: &received,
            body,
            source: "typed",
            import_id: None,
            status: ReportStatus::New,
            return_reason: "",
            resubmit_by: None,
        },
    )?;
    report_tasks(tx, ctx, at, sub.unit_id, report, body)?;
    let audit_id = super::record(
        tx,
        ctx,
        at,
        "enter",
        item,
        None,
        json!({
            "report": report, "version_no": version_no, "articles": body.items.len(),
            "values": body.values.len(),
        }),
    )?;
    Ok(Outcome::Applied(Applied {
        item,
        audit_id,
        undo: None,
    }))
}
