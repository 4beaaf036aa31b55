//! 督办: tasks with their 督办编号, units, deadlines and the loop's events;
//! the units' requests; leaders' 批示. Writes happen inside the caller's
//! transaction (`ops` through `db::write_tx`).

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, params};

use super::Result;
use super::row::{code, day, opt_text, text};
use crate::domain::task::{FeedbackSource, RequestKind, RequestStatus, TaskSource, TaskState};

/// One task as the office sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct Task {
    pub id: i64,
    /// 督办编号 (`双创督〔2026〕12号`).
    pub code: String,
    pub year: i32,
    pub seq: i64,
    pub source: TaskSource,
    /// The decision or 批示 it came from, in a line ("2026年第三季度领导小组会议 议定事项2").
    pub origin: String,
    pub decision_id: Option<i64>,
    pub instruction_id: Option<i64>,
    pub title: String,
    pub text: String,
    pub lead: i64,
    pub lead_name: String,
    pub lead_short: String,
    /// Partner units: (id, short name), in catalog order.
    pub partners: Vec<(i64, String)>,
    /// The partners' full names, in the same order (for documents).
    pub partner_names: Vec<String>,
    /// 分管领导, copied on yellow and red notices.
    pub leader: String,
    pub assigned_on: NaiveDate,
    /// The deadline in force (an approved extension moved it).
    pub due: NaiveDate,
    pub state: TaskState,
    pub acknowledged_on: Option<NaiveDate>,
    pub closed_on: Option<NaiveDate>,
    pub close_note: String,
    /// Requests waiting for the office.
    pub pending_requests: u32,
    /// Feedback entries in force.
    pub feedback: u32,
    pub version: i64,
}

/// A new task, before it has an id.
#[derive(Debug, Clone, PartialEq)]
pub struct NewTask {
    pub prefix: String,
    pub year: i32,
    pub source: TaskSource,
    pub decision_id: Option<i64>,
    pub instruction_id: Option<i64>,
    pub title: String,
    pub text: String,
    pub lead: i64,
    pub partners: Vec<i64>,
    pub leader: String,
    pub assigned_on: NaiveDate,
    pub due: NaiveDate,
}

/// A step of the loop as recorded.
#[derive(Debug, Clone, PartialEq)]
pub struct TaskEvent {
    pub id: i64,
    pub task_id: i64,
    pub unit: Option<(i64, String)>,
    pub date: NaiveDate,
    /// `acknowledge`, `feedback`, `request_close`, `close`, `return`.
    pub kind: String,
    pub text: String,
    pub source: FeedbackSource,
    pub report_id: Option<i64>,
    pub at: String,
    pub by_user: String,
    pub undone: bool,
}

/// A unit's request and the office's answer.
#[derive(Debug, Clone, PartialEq)]
pub struct TaskRequest {
    pub id: i64,
    pub task_id: i64,
    pub task_code: String,
    pub task_title: String,
    pub unit: i64,
    pub unit_short: String,
    pub kind: RequestKind,
    pub reason: String,
    pub new_due: Option<NaiveDate>,
    pub new_text: Option<String>,
    pub status: RequestStatus,
    pub at: String,
    pub by_user: String,
    pub decided_at: Option<String>,
    pub decided_by: Option<String>,
    pub decision_note: String,
}

/// A leader's 批示.
#[derive(Debug, Clone, PartialEq)]
pub struct Instruction {
    pub id: i64,
    pub leader: String,
    pub date: NaiveDate,
    pub text: String,
    /// The document it was written on, and its 文号.
    pub document: String,
    pub doc_no: String,
}

/// Which tasks to list.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TaskFilter {
    pub open_only: bool,
    /// Lead or partner.
    pub unit: Option<i64>,
    pub year: Option<i32>,
    pub state: Option<TaskState>,
}

const COLS: &str = "t.id, t.code, t.year, t.seq, t.source, t.decision_id, t.instruction_id, t.title, t.text,
    t.lead_unit_id, u.full_name, u.short_name, t.leader, t.assigned_on, t.due_date, t.state,
    t.acknowledged_on, t.closed_on, t.close_note, t.version,
    (SELECT count(*) FROM task_requests q WHERE q.task_id = t.id AND q.status = 'pending'),
    (SELECT count(*) FROM task_events e WHERE e.task_id = t.id AND e.kind = 'feedback' AND e.undone_at IS NULL),
    CASE t.source
      WHEN 'decision' THEN (SELECT m.title || ' 议定事项' || d.ord FROM decisions d JOIN meetings m ON m.id = d.meeting_id
                            WHERE d.id = t.decision_id)
      WHEN 'instruction' THEN (SELECT i.leader || ' ' || i.date || ' 批示' FROM instructions i WHERE i.id = t.instruction_id)
      ELSE '' END
    FROM tasks t JOIN units u ON u.id = t.lead_unit_id";

fn read(r: &rusqlite::Row) -> rusqlite::Result<Task> {
    let date = |i: usize| -> rusqlite::Result<NaiveDate> {
        day(&text(r, i)?).ok_or_else(|| {
            rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, "not a date".into())
        })
    };
    Ok(Task {
        id: r.get(0)?,
        code: text(r, 1)?,
        year: r.get(2)?,
        seq: r.get(3)?,
        source: code(r, 4)?,
        decision_id: r.get(5)?,
        instruction_id: r.get(6)?,
        title: text(r, 7)?,
        text: text(r, 8)?,
        lead: r.get(9)?,
        lead_name: text(r, 10)?,
        lead_short: text(r, 11)?,
        partners: Vec::new(),
        partner_names: Vec::new(),
        leader: text(r, 12)?,
        assigned_on: date(13)?,
        due: date(14)?,
        state: code(r, 15)?,
        acknowledged_on: opt_text(r, 16)?.as_deref().and_then(day),
        closed_on: opt_text(r, 17)?.as_deref().and_then(day),
        close_note: text(r, 18)?,
        version: r.get(19)?,
        pending_requests: r.get(20)?,
        feedback: r.get(21)?,
        origin: text(r, 22)?,
    })
}

fn with_partners(conn: &Connection, mut v: Vec<Task>) -> Result<Vec<Task>> {
    let mut s = conn.prepare_cached(
        "SELECT p.unit_id, u.short_name, u.full_name FROM task_partners p JOIN units u ON u.id = p.unit_id
         WHERE p.task_id = ?1 ORDER BY u.sort, u.id",
    )?;
    for t in &mut v {
        let rows: Vec<(i64, String, String)> = s
            .query_map([t.id], |r| Ok((r.get(0)?, text(r, 1)?, text(r, 2)?)))?
            .collect::<rusqlite::Result<_>>()?;
        t.partner_names = rows.iter().map(|r| r.2.clone()).collect();
        t.partners = rows.into_iter().map(|r| (r.0, r.1)).collect();
    }
    Ok(v)
}

/// One task.
pub fn get(conn: &Connection, id: i64) -> Result<Option<Task>> {
    let t = conn
        .query_row(&format!("SELECT {COLS} WHERE t.id = ?1"), [id], read)
        .optional()?;
    Ok(with_partners(conn, t.into_iter().collect())?.pop())
}

/// A task by its 督办编号 (`双创督〔2026〕12号`).
pub fn by_code(conn: &Connection, code: &str) -> Result<Option<i64>> {
    Ok(conn
        .query_row("SELECT id FROM tasks WHERE code = ?1", [code], |r| r.get(0))
        .optional()?)
}

/// Tasks, newest year first, then by number.
pub fn list(conn: &Connection, f: &TaskFilter) -> Result<Vec<Task>> {
    let mut s = conn.prepare_cached(&format!(
        "SELECT {COLS}
         WHERE (?1 = 0 OR t.state <> 'closed')
           AND (?2 IS NULL OR t.lead_unit_id = ?2
                OR EXISTS (SELECT 1 FROM task_partners p WHERE p.task_id = t.id AND p.unit_id = ?2))
           AND (?3 IS NULL OR t.year = ?3)
           AND (?4 IS NULL OR t.state = ?4)
         ORDER BY t.year DESC, t.seq DESC"
    ))?;
    let v = s
        .query_map(params![f.open_only, f.unit, f.year, f.state.map(|s| s.code())], read)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    with_partners(conn, v)
}

/// The next number of `year`.
pub fn next_seq(conn: &Connection, year: i32) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT COALESCE(max(seq), 0) + 1 FROM tasks WHERE year = ?1",
        [year],
        |r| r.get(0),
    )?)
}

/// Adds a task with the next number of its year; its id and number.
pub fn insert(conn: &Connection, t: &NewTask) -> Result<(i64, String)> {
    let seq = next_seq(conn, t.year)?;
    let code = crate::domain::task::TaskNo {
        prefix: t.prefix.clone(),
        year: t.year,
        seq,
    }
    .to_string();
    conn.execute(
        "INSERT INTO tasks (year, seq, code, source, decision_id, instruction_id, title, text, lead_unit_id,
                            leader, assigned_on, due_date, state)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, 'assigned')",
        params![
            t.year,
            seq,
            code,
            t.source.code(),
            t.decision_id,
            t.instruction_id,
            t.title,
            t.text,
            t.lead,
            t.leader,
            t.assigned_on.to_string(),
            t.due.to_string()
        ],
    )?;
    let id = conn.last_insert_rowid();
    let mut p = conn.prepare_cached("INSERT INTO task_partners (task_id, unit_id) VALUES (?1, ?2)")?;
    for u in &t.partners {
        p.execute(params![id, u])?;
    }
    Ok((id, code))
}

/// Removes a task that has no events and no requests (the undo of its
/// creation); false when it has some.
pub fn delete_untouched(conn: &Connection, id: i64) -> Result<bool> {
    let touched: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM task_events WHERE task_id = ?1)
             OR EXISTS (SELECT 1 FROM task_requests WHERE task_id = ?1)",
        [id],
        |r| r.get(0),
    )?;
    if touched {
        return Ok(false);
    }
    conn.execute("DELETE FROM task_partners WHERE task_id = ?1", [id])?;
    Ok(conn.execute("DELETE FROM tasks WHERE id = ?1", [id])? == 1)
}

/// Moves a task to `state` (with the dates that go with it); the caller
/// has checked and bumped its version.
pub fn set_state(conn: &Connection, id: i64, state: TaskState, on: NaiveDate, note: &str) -> Result<()> {
    let d = on.to_string();
    conn.execute(
        "UPDATE tasks SET state = ?2,
            acknowledged_on = CASE WHEN ?2 = 'acknowledged' AND acknowledged_on IS NULL THEN ?3
                                   WHEN ?2 = 'in_progress' AND acknowledged_on IS NULL THEN ?3
                                   ELSE acknowledged_on END,
            closed_on = CASE WHEN ?2 = 'closed' THEN ?3 ELSE NULL END,
            close_note = CASE WHEN ?2 = 'closed' THEN ?4 ELSE '' END
         WHERE id = ?1",
        params![id, state.code(), d, note],
    )?;
    Ok(())
}

/// Puts back a task's state and acknowledgment date (an undo).
pub fn restore_state(conn: &Connection, id: i64, state: TaskState, acknowledged_on: Option<NaiveDate>) -> Result<()> {
    conn.execute(
        "UPDATE tasks SET state = ?2, acknowledged_on = ?3,
            closed_on = CASE WHEN ?2 = 'closed' THEN closed_on ELSE NULL END,
            close_note = CASE WHEN ?2 = 'closed' THEN close_note ELSE '' END
         WHERE id = ?1",
        params![id, state.code(), acknowledged_on.map(|d| d.to_string())],
    )?;
    Ok(())
}

/// Sets a task's deadline (an approved extension, or its undo).
pub fn set_due(conn: &Connection, id: i64, due: NaiveDate) -> Result<()> {
    conn.execute(
        "UPDATE tasks SET due_date = ?2 WHERE id = ?1",
        params![id, due.to_string()],
    )?;
    Ok(())
}

/// Sets a task's wording (an approved adjustment, or its undo).
pub fn set_text(conn: &Connection, id: i64, text: &str) -> Result<()> {
    conn.execute("UPDATE tasks SET text = ?2 WHERE id = ?1", params![id, text])?;
    Ok(())
}

/// Records a step of the loop; its id.
#[allow(clippy::too_many_arguments)]
pub fn add_event(
    conn: &Connection,
    task: i64,
    unit: Option<i64>,
    date: NaiveDate,
    kind: &str,
    text: &str,
    source: FeedbackSource,
    report: Option<i64>,
    at: &str,
    actor: &super::audit::Actor,
) -> Result<i64> {
    conn.execute(
        "INSERT INTO task_events (task_id, unit_id, date, kind, text, source, report_id, at, by_uid, by_user)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![
            task,
            unit,
            date.to_string(),
            kind,
            text,
            source.code(),
            report,
            at,
            actor.uid,
            actor.user
        ],
    )?;
    Ok(conn.last_insert_rowid())
}

/// Marks a step undone; false when it was already.
pub fn undo_event(conn: &Connection, id: i64, at: &str) -> Result<bool> {
    Ok(conn.execute(
        "UPDATE task_events SET undone_at = ?2 WHERE id = ?1 AND undone_at IS NULL",
        params![id, at],
    )? == 1)
}

/// One step by id: (task, kind, undone).
pub fn event(conn: &Connection, id: i64) -> Result<Option<(i64, String, bool)>> {
    Ok(conn
        .query_row(
            "SELECT task_id, kind, undone_at IS NOT NULL FROM task_events WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, text(r, 1)?, r.get(2)?)),
        )
        .optional()?)
}

/// The loop's steps of a task, oldest first.
pub fn events(conn: &Connection, task: i64) -> Result<Vec<TaskEvent>> {
    let mut s = conn.prepare_cached(
        "SELECT e.id, e.task_id, e.unit_id, u.short_name, e.date, e.kind, e.text, e.source, e.report_id, e.at,
                e.by_user, e.undone_at IS NOT NULL
         FROM task_events e LEFT JOIN units u ON u.id = e.unit_id
         WHERE e.task_id = ?1 ORDER BY e.id",
    )?;
    let rows = s.query_map([task], |r| {
        let unit: Option<i64> = r.get(2)?;
        Ok(TaskEvent {
            id: r.get(0)?,
            task_id: r.get(1)?,
            unit: unit.map(|u| (u, text(r, 3).unwrap_or_default())),
            date: day(&text(r, 4)?).unwrap_or_default(),
            kind: text(r, 5)?,
            text: text(r, 6)?,
            source: code(r, 7)?,
            report_id: r.get(8)?,
            at: text(r, 9)?,
            by_user: text(r, 10)?,
            undone: r.get(11)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Whether a report already carried feedback on a task (a re-import of the
/// same file adds nothing).
pub fn has_report_feedback(conn: &Connection, task: i64, report: i64) -> Result<bool> {
    Ok(conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM task_events WHERE task_id = ?1 AND report_id = ?2 AND undone_at IS NULL)",
        params![task, report],
        |r| r.get(0),
    )?)
}

/// Adds a request; its id.
#[allow(clippy::too_many_arguments)]
pub fn add_request(
    conn: &Connection,
    task: i64,
    unit: i64,
    kind: RequestKind,
    reason: &str,
    new_due: Option<NaiveDate>,
    new_text: Option<&str>,
    at: &str,
    by_user: &str,
) -> Result<i64> {
    conn.execute(
        "INSERT INTO task_requests (task_id, unit_id, kind, reason, new_due, new_text, status, at, by_user)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'pending', ?7, ?8)",
        params![
            task,
            unit,
            kind.code(),
            reason,
            new_due.map(|d| d.to_string()),
            new_text,
            at,
            by_user
        ],
    )?;
    Ok(conn.last_insert_rowid())
}

const REQ_COLS: &str =
    "q.id, q.task_id, t.code, t.title, q.unit_id, u.short_name, q.kind, q.reason, q.new_due, q.new_text,
    q.status, q.at, q.by_user, q.decided_at, q.decided_by, q.decision_note
    FROM task_requests q JOIN tasks t ON t.id = q.task_id JOIN units u ON u.id = q.unit_id";

fn read_request(r: &rusqlite::Row) -> rusqlite::Result<TaskRequest> {
    Ok(TaskRequest {
        id: r.get(0)?,
        task_id: r.get(1)?,
        task_code: text(r, 2)?,
        task_title: text(r, 3)?,
        unit: r.get(4)?,
        unit_short: text(r, 5)?,
        kind: code(r, 6)?,
        reason: text(r, 7)?,
        new_due: opt_text(r, 8)?.as_deref().and_then(day),
        new_text: opt_text(r, 9)?,
        status: code(r, 10)?,
        at: text(r, 11)?,
        by_user: text(r, 12)?,
        decided_at: opt_text(r, 13)?,
        decided_by: opt_text(r, 14)?,
        decision_note: text(r, 15)?,
    })
}

/// One request.
pub fn request(conn: &Connection, id: i64) -> Result<Option<TaskRequest>> {
    Ok(conn
        .query_row(&format!("SELECT {REQ_COLS} WHERE q.id = ?1"), [id], read_request)
        .optional()?)
}

/// A task's requests (all), oldest first; or, with `task` `None`, every
/// request waiting for the office.
pub fn requests(conn: &Connection, task: Option<i64>) -> Result<Vec<TaskRequest>> {
    let mut s = conn.prepare_cached(&format!(
        "SELECT {REQ_COLS} WHERE (?1 IS NULL AND q.status = 'pending') OR q.task_id = ?1 ORDER BY q.id"
    ))?;
    let rows = s.query_map([task], read_request)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Records the office's answer; false when the request was not pending.
pub fn decide_request(
    conn: &Connection,
    id: i64,
    status: RequestStatus,
    note: &str,
    at: &str,
    by_user: &str,
) -> Result<bool> {
    Ok(conn.execute(
        "UPDATE task_requests SET status = ?2, decision_note = ?3, decided_at = ?4, decided_by = ?5
         WHERE id = ?1 AND status = 'pending'",
        params![id, status.code(), note, at, by_user],
    )? == 1)
}

/// Puts a decided request back to pending (the undo of the answer).
pub fn undecide_request(conn: &Connection, id: i64) -> Result<bool> {
    Ok(conn.execute(
        "UPDATE task_requests SET status = 'pending', decision_note = '', decided_at = NULL, decided_by = NULL
         WHERE id = ?1 AND status <> 'pending'",
        [id],
    )? == 1)
}

/// Removes a pending request (the undo of its recording).
pub fn delete_pending_request(conn: &Connection, id: i64) -> Result<bool> {
    Ok(conn.execute("DELETE FROM task_requests WHERE id = ?1 AND status = 'pending'", [id])? == 1)
}

/// Records a 批示; its id.
pub fn add_instruction(conn: &Connection, i: &Instruction, at: &str, by_user: &str) -> Result<i64> {
    conn.execute(
        "INSERT INTO instructions (leader, date, text, document, doc_no, at, by_user)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![i.leader, i.date.to_string(), i.text, i.document, i.doc_no, at, by_user],
    )?;
    Ok(conn.last_insert_rowid())
}

/// Removes a 批示 no task came from (the undo of its recording).
pub fn delete_unused_instruction(conn: &Connection, id: i64) -> Result<bool> {
    Ok(conn.execute(
        "DELETE FROM instructions WHERE id = ?1 AND NOT EXISTS (SELECT 1 FROM tasks WHERE instruction_id = ?1)",
        [id],
    )? == 1)
}

/// Every 批示, newest first.
pub fn instructions(conn: &Connection) -> Result<Vec<Instruction>> {
    let mut s = conn.prepare_cached(
        "SELECT id, leader, date, text, document, doc_no FROM instructions ORDER BY date DESC, id DESC",
    )?;
    let rows = s.query_map([], |r| {
        Ok(Instruction {
            id: r.get(0)?,
            leader: text(r, 1)?,
            date: day(&text(r, 2)?).unwrap_or_default(),
            text: text(r, 3)?,
            document: text(r, 4)?,
            doc_no: text(r, 5)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// One 批示.
pub fn instruction(conn: &Connection, id: i64) -> Result<Option<Instruction>> {
    Ok(instructions(conn)?.into_iter().find(|i| i.id == id))
}
