//! `dudao task …`: the 督办 loop on the command line, through the same
//! write path as the console (`ops`), with the same rules and audit rows:
//! assigning with the next 督办编号, the units' steps, the office's
//! closing and returning, requests and answers, and graded notices.

use std::io::Write;
use std::path::PathBuf;

use super::{Failure, db_path, fail, lang, today};
use crate::cli::{Cli, GradeArg, NoticeFormat, TaskCommand, exit};
use crate::config::Settings;
use crate::db::tasks::{Task, TaskFilter};
use crate::db::{self, Mode, audit::Actor};
use crate::domain::ItemKey;
use crate::domain::input::parse_date_input;
use crate::domain::task::{Grade, RequestKind, TaskState, TaskStep};
use crate::export::{Cell, Writer};
use crate::i18n::fill;
use crate::ops::{self, Command, NewTaskCommand, Outcome, TaskOrigin};
use crate::text::sanitize;

pub(super) fn task(c: &TaskCommand, cli: &Cli, settings: &Settings) -> Result<i32, Failure> {
    match c {
        TaskCommand::List(a) => list(a, cli, settings),
        TaskCommand::Show(a) => show(a, cli, settings),
        TaskCommand::Assign(a) => assign(a, cli, settings),
        TaskCommand::Ack(a) => step(a, TaskStep::Acknowledge, cli, settings),
        TaskCommand::Progress(a) => step(a, TaskStep::Feedback, cli, settings),
        TaskCommand::RequestClose(a) => step(a, TaskStep::RequestClose, cli, settings),
        TaskCommand::Close(a) => step(a, TaskStep::Close, cli, settings),
        TaskCommand::Return(a) => step(a, TaskStep::Return, cli, settings),
        TaskCommand::Ask(a) => ask(a, cli, settings),
        TaskCommand::Requests(a) => requests(a, cli, settings),
        TaskCommand::Approve(a) => decide(a, true, cli, settings),
        TaskCommand::Refuse(a) => decide(a, false, cli, settings),
        TaskCommand::Notice(a) => notice(a, cli, settings),
    }
}

fn words() -> &'static crate::i18n::tasks::Tasks {
    crate::i18n::lang().tasks()
}

/// `D7`, `7`, or the 督办编号: a task that exists.
pub(super) fn task_id(conn: &rusqlite::Connection, id: &str) -> Result<i64, Failure> {
    let t = id.trim();
    let n = match t.strip_prefix(['D', 'd']).unwrap_or(t).parse::<i64>() {
        Ok(n) => Some(n),
        Err(_) => db::tasks::by_code(conn, t)?,
    };
    let Some(n) = n else {
        return Err(fail(exit::INPUT, fill(words().not_task_id, &[&sanitize(id)])));
    };
    match db::tasks::get(conn, n)? {
        Some(_) => Ok(n),
        None => Err(fail(exit::INPUT, fill(words().no_task, &[&sanitize(id)]))),
    }
}

fn unit_id(conn: &rusqlite::Connection, name: &str, flag: &str) -> Result<i64, Failure> {
    Ok(db::units::resolve(conn, name)
        .map_err(|e| super::flag_failure(exit::INPUT, flag, &e))?
        .id)
}

fn write_ctx(cli: &Cli, settings: &Settings, conn: &rusqlite::Connection) -> Result<ops::Context, Failure> {
    let cal = settings.calendar().map_err(|e| fail(exit::USAGE, e))?;
    Ok(ops::Context::new(Actor::current(), today(cli, conn)?).with_calendar(cal))
}

pub(super) fn write_out(f: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) -> Result<i32, Failure> {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    match f(&mut out).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(fail(exit::FAILURE, e.to_string())),
        _ => Ok(exit::OK),
    }
}

/// Days left before a task's deadline as the alerts count them (working or
/// calendar days); negative when overdue.
fn days_left(cal: &crate::domain::deadline::Calendar, today: chrono::NaiveDate, t: &Task) -> i64 {
    cal.days_left(today, cal.roll_forward(t.due))
}

fn state_by_name(text: &str) -> Option<TaskState> {
    let t = text.trim();
    TaskState::ALL.iter().copied().find(|s| {
        s.code().eq_ignore_ascii_case(t)
            || crate::i18n::tasks::Tasks::ZH.state(*s) == t
            || crate::i18n::tasks::Tasks::EN.state(*s).eq_ignore_ascii_case(t)
    })
}

fn list(a: &crate::cli::TaskListArgs, cli: &Cli, settings: &Settings) -> Result<i32, Failure> {
    let path = db_path(a.db.as_ref(), cli, settings)?;
    let conn = db::open(&path, Mode::ReadOnly)?;
    let today = today(cli, &conn)?;
    let cal = settings.calendar().map_err(|e| fail(exit::USAGE, e))?;
    let state = match &a.state {
        Some(x) => Some(state_by_name(x).ok_or_else(|| {
            let all: Vec<String> = TaskState::ALL
                .iter()
                .map(|s| format!("{} ({})", s.code(), crate::i18n::tasks::Tasks::ZH.state(*s)))
                .collect();
            fail(exit::INPUT, format!("--state {}: {}", sanitize(x), all.join(", ")))
        })?),
        None => None,
    };
    let unit = match &a.unit {
        Some(u) => Some(unit_id(&conn, u, "--unit")?),
        None => None,
    };
    let rows = db::tasks::list(
        &conn,
        &TaskFilter {
            open_only: a.open,
            unit,
            year: a.year,
            state,
        },
    )?;
    let w = lang(settings).tasks();
    let human = matches!(a.format, crate::export::Format::Table | crate::export::Format::Md);
    let keys = [
        "id",
        "code",
        "title",
        "source",
        "lead",
        "partners",
        "assigned",
        "due",
        "days_left",
        "state",
        "requests",
    ];
    let heads = [
        "ID",
        w.col_no,
        w.col_title,
        w.col_source,
        w.col_lead,
        w.col_partners,
        w.h_assigned,
        w.col_due,
        w.col_left,
        w.col_state,
        w.col_requests,
    ];
    write_out(|out| {
        let mut wr = Writer::begin(
            a.format,
            out,
            keys.iter().map(|k| k.to_string()).collect(),
            heads.iter().map(|k| k.to_string()).collect(),
        )?;
        for t in &rows {
            let (source, state) = if human {
                (w.source(t.source), w.state(t.state))
            } else {
                (t.source.code(), t.state.code())
            };
            let left = t.state.is_open().then(|| days_left(&cal, today, t));
            wr.row(&[
                Cell::text(ItemKey::Task(t.id).to_string()),
                Cell::text(&t.code),
                Cell::text(&t.title),
                Cell::text(source),
                Cell::text(&t.lead_short),
                Cell::text(t.partners.iter().map(|p| p.1.as_str()).collect::<Vec<_>>().join("、")),
                Cell::text(t.assigned_on.to_string()),
                Cell::text(t.due.to_string()),
                match left {
                    Some(d) => Cell::Int(d),
                    None => Cell::Null,
                },
                Cell::text(state),
                Cell::Int(i64::from(t.pending_requests)),
            ])?;
        }
        wr.finish()
    })
}

fn show(a: &crate::cli::TaskIdArgs, cli: &Cli, settings: &Settings) -> Result<i32, Failure> {
    let path = db_path(a.db.as_ref(), cli, settings)?;
    let conn = db::open(&path, Mode::ReadOnly)?;
    let id = task_id(&conn, &a.id)?;
    let today = today(cli, &conn)?;
    let cal = settings.calendar().map_err(|e| fail(exit::USAGE, e))?;
    let Some(t) = db::tasks::get(&conn, id)? else {
        return Err(fail(exit::INPUT, fill(words().no_task, &[&sanitize(&a.id)])));
    };
    let (w, s) = (lang(settings).tasks(), lang(settings).s());
    let mut text = String::new();
    let mut line = |l: String| {
        text.push_str(&sanitize(&l));
        text.push('\n');
    };
    line(format!("{}  {}  {}", ItemKey::Task(t.id), t.code, t.title));
    line(s.kv(w.col_state, w.state(t.state)));
    let origin = if t.origin.is_empty() {
        w.source(t.source).to_string()
    } else {
        format!("{} · {}", w.source(t.source), t.origin)
    };
    line(s.kv(w.h_origin, origin));
    if let Some(i) = t
        .instruction_id
        .and_then(|i| db::tasks::instruction(&conn, i).ok().flatten())
    {
        line(s.kv(w.h_instruction, format!("{} {} {}", i.leader, i.date, i.text)));
        if !i.document.is_empty() || !i.doc_no.is_empty() {
            line(s.kv(w.h_document, format!("{} {}", i.document, i.doc_no).trim().to_string()));
        }
    }
    line(s.kv(w.col_title, &t.text));
    line(s.kv(w.col_lead, &t.lead_name));
    if !t.partners.is_empty() {
        line(s.kv(
            w.col_partners,
            t.partners.iter().map(|p| p.1.as_str()).collect::<Vec<_>>().join("、"),
        ));
    }
    if !t.leader.is_empty() {
        line(s.kv(w.h_leader, &t.leader));
    }
    line(s.kv(w.h_assigned, t.assigned_on));
    let due = if t.state.is_open() {
        let d = days_left(&cal, today, &t);
        format!("{} ({})", t.due, crate::present::days_words(d, cal.enabled, s))
    } else {
        t.due.to_string()
    };
    line(s.kv(w.col_due, due));
    if let Some(d) = t.acknowledged_on {
        line(s.kv(w.h_acknowledged, d));
    }
    if let Some(d) = t.closed_on {
        line(s.kv(w.h_closed, d));
        if !t.close_note.is_empty() {
            line(s.kv(w.h_close_note, &t.close_note));
        }
    }
    let events = db::tasks::events(&conn, id)?;
    if !events.is_empty() {
        line(format!("{}{}", w.h_history, s.colon));
        for e in &events {
            let who = e.unit.as_ref().map(|u| u.1.as_str()).unwrap_or(s.office_short);
            let from = if e.source == crate::domain::task::FeedbackSource::Report {
                w.h_from_report
            } else {
                ""
            };
            let undone = if e.undone {
                format!("（{}）", w.h_undone)
            } else {
                String::new()
            };
            let body = if e.text.is_empty() {
                String::new()
            } else {
                format!("：{}", e.text)
            };
            line(format!(
                "  {} {who} {}{from}{body}{undone}",
                e.date,
                w.event_kind(&e.kind)
            ));
        }
    }
    let reqs = db::tasks::requests(&conn, Some(id))?;
    if !reqs.is_empty() {
        line(format!("{}{}", w.h_requests, s.colon));
        for q in &reqs {
            line(format!("  {}", request_line(w, q)));
        }
    }
    write_out(|out| out.write_all(text.as_bytes()))
}

/// "#3 科技厅 申请延期 → 2027-01-31（理由）· 已同意（说明）".
fn request_line(w: &crate::i18n::tasks::Tasks, q: &db::tasks::TaskRequest) -> String {
    let change = match (q.kind, q.new_due, &q.new_text) {
        (RequestKind::Extension, Some(d), _) => format!(" → {d}"),
        (RequestKind::Wording, _, Some(t)) => format!(" → {t}"),
        _ => String::new(),
    };
    let note = if q.decision_note.is_empty() {
        String::new()
    } else {
        format!("（{}）", q.decision_note)
    };
    format!(
        "#{} {} {}{change}（{}）· {}{note}",
        q.id,
        q.unit_short,
        w.request_kind(q.kind),
        q.reason,
        w.request_status(q.status)
    )
}

fn assign(a: &crate::cli::TaskAssignArgs, cli: &Cli, settings: &Settings) -> Result<i32, Failure> {
    let path = db_path(a.db.as_ref(), cli, settings)?;
    let mut conn = super::open_for_writing(&path)?;
    let ctx = write_ctx(cli, settings, &conn)?;
    let lead = unit_id(&conn, &a.lead, "--lead")?;
    let partners = a
        .partner
        .iter()
        .map(|p| unit_id(&conn, p, "--partner"))
        .collect::<Result<Vec<_>, _>>()?;
    let due = match (&a.due, a.within) {
        (Some(d), _) => parse_date_input(d, ctx.today).map_err(|e| super::date_failure(exit::INPUT, "--due", e))?,
        (None, Some(n)) => ctx.calendar.add_working_days(ctx.today, n),
        (None, None) => return Err(fail(exit::USAGE, words().need_due)),
    };
    let source = match (a.decision, a.instruction, &a.instruction_by) {
        (Some(d), _, _) => TaskOrigin::Decision(d),
        (_, Some(i), _) => TaskOrigin::Instruction(i),
        (_, _, Some(by)) => {
            let date = a.instruction_date.as_deref().unwrap_or("");
            let date = parse_date_input(date, ctx.today)
                .map_err(|e| super::date_failure(exit::INPUT, "--instruction-date", e))?;
            TaskOrigin::NewInstruction(db::tasks::Instruction {
                id: 0,
                leader: by.clone(),
                date,
                text: a.instruction_text.clone().unwrap_or_default(),
                document: a.instruction_document.clone(),
                doc_no: a.instruction_doc_no.clone(),
            })
        }
        _ => TaskOrigin::Office,
    };
    let cmd = Command::TaskAssign {
        task: Box::new(NewTaskCommand {
            source,
            title: a.title.clone(),
            text: a.text.clone(),
            lead,
            partners,
            leader: a.leader.clone(),
            due,
            prefix: settings.task_prefix.0.clone(),
        }),
    };
    let o = ops::apply(&mut conn, &ctx, &cmd)?;
    let what = match &o {
        Outcome::Applied(x) => {
            let code = match x.item {
                ItemKey::Task(id) => db::tasks::get(&conn, id)?.map(|t| t.code).unwrap_or_default(),
                _ => String::new(),
            };
            fill(words().assigned, &[&x.item, &code])
        }
        _ => a.title.clone(),
    };
    let verb = format!("{} {due}", crate::i18n::lang().tasks().state_assigned);
    Ok(super::ids::say_outcome(&what, &o, &cmd, &verb))
}

fn step(a: &crate::cli::TaskStepArgs, step: TaskStep, cli: &Cli, settings: &Settings) -> Result<i32, Failure> {
    let path = db_path(a.db.as_ref(), cli, settings)?;
    let mut conn = super::open_for_writing(&path)?;
    let ctx = write_ctx(cli, settings, &conn)?;
    let id = task_id(&conn, &a.id)?;
    let unit = match &a.unit {
        Some(u) => Some(unit_id(&conn, u, "--unit")?),
        None => None,
    };
    let date = match &a.date {
        Some(d) => parse_date_input(d, ctx.today).map_err(|e| super::date_failure(exit::INPUT, "--date", e))?,
        None => ctx.today,
    };
    let t = db::tasks::get(&conn, id)?.ok_or_else(|| fail(exit::INPUT, fill(words().no_task, &[&sanitize(&a.id)])))?;
    let cmd = Command::TaskStep {
        task: id,
        version: t.version,
        step,
        unit,
        date,
        text: a.text.clone(),
        report: None,
    };
    let o = ops::apply(&mut conn, &ctx, &cmd)?;
    let w = words();
    let name = format!("{} {}", ItemKey::Task(id), t.code);
    let after = t.state.after(step).map(|s| w.state(s)).unwrap_or("");
    let verb = format!("{} {} → {after}", w.step(step), w.state(t.state));
    Ok(super::ids::say_outcome(&name, &o, &cmd, &verb))
}

fn ask(a: &crate::cli::TaskAskArgs, cli: &Cli, settings: &Settings) -> Result<i32, Failure> {
    let path = db_path(a.db.as_ref(), cli, settings)?;
    let mut conn = super::open_for_writing(&path)?;
    let ctx = write_ctx(cli, settings, &conn)?;
    let id = task_id(&conn, &a.id)?;
    let t = db::tasks::get(&conn, id)?.ok_or_else(|| fail(exit::INPUT, fill(words().no_task, &[&sanitize(&a.id)])))?;
    let unit = match &a.unit {
        Some(u) => unit_id(&conn, u, "--unit")?,
        None => t.lead,
    };
    let (kind, new_due) = match &a.extend_to {
        Some(d) => (
            RequestKind::Extension,
            Some(parse_date_input(d, ctx.today).map_err(|e| super::date_failure(exit::INPUT, "--extend-to", e))?),
        ),
        None => (RequestKind::Wording, None),
    };
    let cmd = Command::TaskAsk {
        task: id,
        unit,
        kind,
        reason: a.reason.clone(),
        new_due,
        new_text: a.wording.clone(),
    };
    let o = ops::apply(&mut conn, &ctx, &cmd)?;
    let w = words();
    let name = format!("{} {}", ItemKey::Task(id), t.code);
    let verb = match &o {
        Outcome::Applied(x) => {
            let q = db::tasks::requests(&conn, Some(id))?
                .into_iter()
                .filter(|q| q.status == crate::domain::task::RequestStatus::Pending)
                .map(|q| q.id)
                .max()
                .unwrap_or(0);
            let _ = x;
            format!(
                "{}（{}）",
                fill(w.request_recorded, &[&format!("#{q}")]),
                w.request_kind(kind)
            )
        }
        _ => w.request_kind(kind).to_string(),
    };
    Ok(super::ids::say_outcome(&name, &o, &cmd, &verb))
}

fn requests(a: &crate::cli::TaskRequestsArgs, cli: &Cli, settings: &Settings) -> Result<i32, Failure> {
    let path = db_path(a.db.as_ref(), cli, settings)?;
    let conn = db::open(&path, Mode::ReadOnly)?;
    let rows = db::tasks::requests(&conn, None)?;
    let w = lang(settings).tasks();
    let human = matches!(a.format, crate::export::Format::Table | crate::export::Format::Md);
    let keys = ["request", "task", "code", "unit", "kind", "asked", "reason", "at"];
    let heads = [
        "#",
        "ID",
        w.col_no,
        w.col_unit,
        w.col_kind,
        w.col_change,
        w.col_reason,
        w.col_date,
    ];
    write_out(|out| {
        let mut wr = Writer::begin(
            a.format,
            out,
            keys.iter().map(|k| k.to_string()).collect(),
            heads.iter().map(|k| k.to_string()).collect(),
        )?;
        for q in &rows {
            let kind = if human { w.request_kind(q.kind) } else { q.kind.code() };
            let asked = match (q.new_due, &q.new_text) {
                (Some(d), _) => d.to_string(),
                (_, Some(t)) => t.clone(),
                _ => String::new(),
            };
            wr.row(&[
                Cell::Int(q.id),
                Cell::text(ItemKey::Task(q.task_id).to_string()),
                Cell::text(&q.task_code),
                Cell::text(&q.unit_short),
                Cell::text(kind),
                Cell::text(asked),
                Cell::text(&q.reason),
                Cell::text(crate::text::local_time(&q.at)),
            ])?;
        }
        wr.finish()
    })
}

fn decide(a: &crate::cli::TaskDecideArgs, approve: bool, cli: &Cli, settings: &Settings) -> Result<i32, Failure> {
    let path = db_path(a.db.as_ref(), cli, settings)?;
    let mut conn = super::open_for_writing(&path)?;
    let ctx = write_ctx(cli, settings, &conn)?;
    let w = words();
    let Some(q) = db::tasks::request(&conn, a.request)? else {
        return Err(fail(exit::INPUT, fill(w.no_request, &[&format!("#{}", a.request)])));
    };
    let cmd = Command::TaskDecide {
        request: a.request,
        approve,
        note: a.note.clone(),
    };
    let o = ops::apply(&mut conn, &ctx, &cmd)?;
    let name = format!("#{} {} {}", q.id, ItemKey::Task(q.task_id), q.task_code);
    let status = if approve { w.request_approved } else { w.request_refused };
    let verb = format!("{} {status}", w.request_kind(q.kind));
    Ok(super::ids::say_outcome(&name, &o, &cmd, &verb))
}

/// The tasks a notice is for: those named, or every open task graded at
/// `grade` or above; each with its grade and days left.
fn graded(
    conn: &rusqlite::Connection,
    settings: &Settings,
    today: chrono::NaiveDate,
    ids: &[String],
    min: Grade,
) -> Result<Vec<(Task, Option<Grade>, i64)>, Failure> {
    let cal = settings.calendar().map_err(|e| fail(exit::USAGE, e))?;
    let thresholds = settings.alerts.0;
    let judge = |t: Task| {
        let left = days_left(&cal, today, &t);
        let since = cal.days_left(t.assigned_on, today);
        (Grade::of(t.state, left, since, thresholds), left, t)
    };
    if ids.is_empty() {
        let open = db::tasks::list(
            conn,
            &TaskFilter {
                open_only: true,
                ..Default::default()
            },
        )?;
        let mut v: Vec<_> = open
            .into_iter()
            .map(judge)
            .filter(|(g, _, _)| g.is_some_and(|g| g >= min))
            .map(|(g, l, t)| (t, g, l))
            .collect();
        // The most urgent first: red, yellow, blue; then fewest days left.
        v.sort_by(|a, b| b.1.cmp(&a.1).then(a.2.cmp(&b.2)).then(a.0.id.cmp(&b.0.id)));
        return Ok(v);
    }
    let mut v = Vec::new();
    for id in ids {
        let n = task_id(conn, id)?;
        let t = db::tasks::get(conn, n)?.ok_or_else(|| fail(exit::INPUT, fill(words().no_task, &[&sanitize(id)])))?;
        let (g, l, t) = judge(t);
        v.push((t, g, l));
    }
    Ok(v)
}

fn notice(a: &crate::cli::TaskNoticeArgs, cli: &Cli, settings: &Settings) -> Result<i32, Failure> {
    // A last argument that is an existing file is the database.
    let mut ids = a.ids.clone();
    let db_arg: Option<PathBuf> = match ids.last() {
        Some(l) if std::path::Path::new(l).is_file() => ids.pop().map(PathBuf::from),
        _ => None,
    };
    let path = db_path(db_arg.as_ref(), cli, settings)?;
    let conn = db::open(&path, Mode::ReadOnly)?;
    let today = today(cli, &conn)?;
    let min = match a.grade {
        GradeArg::Blue => Grade::Blue,
        GradeArg::Yellow => Grade::Yellow,
        GradeArg::Red => Grade::Red,
    };
    let list = graded(&conn, settings, today, &ids, min)?;
    let w = words();
    let office = super::office(settings);
    let working = settings.working_days.0;
    let mut docs: Vec<(String, String)> = Vec::new();
    for (t, g, left) in &list {
        let Some(g) = g else {
            eprintln!(
                "dudao: {}",
                fill(w.not_graded, &[&format!("{} {}", ItemKey::Task(t.id), t.code)])
            );
            continue;
        };
        let text = crate::notice::task_notice(t, *g, *left, &office, today, working);
        let name = format!("{}-{}-{}", ItemKey::Task(t.id), g.code(), today);
        docs.push((name, text));
    }
    if docs.is_empty() {
        eprintln!("dudao: {}", w.no_graded);
        return Ok(if ids.is_empty() { exit::OK } else { exit::INPUT });
    }
    super::alerts::warn_no_contact(settings);
    let render = |text: &str| -> Result<Vec<u8>, Failure> {
        Ok(match a.format {
            NoticeFormat::Text => text.as_bytes().to_vec(),
            NoticeFormat::Md => crate::notice::as_markdown(text).into_bytes(),
            NoticeFormat::Docx => crate::review::circular::docx(&crate::notice::as_markdown(text))
                .map_err(|e| fail(exit::FAILURE, e.to_string()))?,
        })
    };
    let ext = match a.format {
        NoticeFormat::Text => "txt",
        NoticeFormat::Md => "md",
        NoticeFormat::Docx => "docx",
    };
    match &a.out {
        Some(dir) => {
            std::fs::create_dir_all(dir).map_err(|e| fail(exit::FAILURE, format!("{}: {e}", dir.display())))?;
            for (name, text) in &docs {
                let file = dir.join(format!("{name}.{ext}"));
                let bytes = render(text)?;
                let shown = sanitize(&file.display().to_string()).into_owned();
                let mut f = std::fs::OpenOptions::new()
                    .write(true)
                    .create_new(true)
                    .open(&file)
                    .map_err(|e| {
                        if e.kind() == std::io::ErrorKind::AlreadyExists {
                            fail(exit::DATABASE, fill(crate::i18n::cli().notice_exists, &[&shown]))
                        } else {
                            fail(exit::FAILURE, fill(crate::i18n::cli().not_written, &[&shown, &e]))
                        }
                    })?;
                f.write_all(&bytes)
                    .map_err(|e| fail(exit::FAILURE, fill(crate::i18n::cli().not_written, &[&shown, &e])))?;
                eprintln!("dudao: {}", fill(w.notice_saved, &[&shown]));
            }
            Ok(exit::OK)
        }
        None => {
            if a.format == NoticeFormat::Docx {
                use std::io::IsTerminal;
                if docs.len() > 1 || std::io::stdout().is_terminal() {
                    return Err(fail(exit::USAGE, w.docx_binary));
                }
            }
            let mut all = Vec::new();
            for (i, (_, text)) in docs.iter().enumerate() {
                if i > 0 {
                    all.extend_from_slice(if a.format == NoticeFormat::Md {
                        b"\n---\n\n"
                    } else {
                        b"\n\x0c\n"
                    });
                }
                all.extend(render(text)?);
            }
            write_out(|out| out.write_all(&all))
        }
    }
}
