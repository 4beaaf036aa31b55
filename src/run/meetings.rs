//! `dudao meeting …`: the leading group's meetings on the command line:
//! planning one, its agenda (议题), the minutes (who attended) and the
//! 议定事项, each through `ops` with its audit row; the minutes as a
//! document (text, Markdown, Word).

use super::tasks::write_out;
use super::{Failure, db_path, fail, lang, today};
use crate::cli::{Cli, MeetingCommand, NoticeFormat, exit};
use crate::config::Settings;
use crate::db::{self, Mode, audit::Actor};
use crate::domain::input::parse_date_input;
use crate::domain::task::AgendaSource;
use crate::domain::{ItemKey, MeetingStatus};
use crate::export::{Cell, Writer};
use crate::i18n::fill;
use crate::ops::{self, Command, Outcome};
use crate::text::sanitize;

pub(super) fn meeting(c: &MeetingCommand, cli: &Cli, settings: &Settings) -> Result<i32, Failure> {
    match c {
        MeetingCommand::List(a) => list(a, cli, settings),
        MeetingCommand::Show(a) => show(a, cli, settings),
        MeetingCommand::Plan(a) => plan(a, cli, settings),
        MeetingCommand::Agenda(a) => agenda(a, cli, settings),
        MeetingCommand::Minutes(a) => minutes(a, cli, settings),
        MeetingCommand::Decide(a) => decide(a, cli, settings),
    }
}

fn words() -> &'static crate::i18n::tasks::Tasks {
    crate::i18n::lang().tasks()
}

/// `G3` or `3`: a meeting that exists.
fn meeting_id(conn: &rusqlite::Connection, id: &str) -> Result<db::meetings::Meeting, Failure> {
    let t = id.trim();
    let n = t
        .strip_prefix(['G', 'g'])
        .unwrap_or(t)
        .parse::<i64>()
        .map_err(|_| fail(exit::INPUT, fill(words().not_meeting_id, &[&sanitize(id)])))?;
    db::meetings::get(conn, n)?.ok_or_else(|| fail(exit::INPUT, fill(words().no_meeting, &[&sanitize(id)])))
}

fn write_ctx(cli: &Cli, settings: &Settings, conn: &rusqlite::Connection) -> Result<ops::Context, Failure> {
    let cal = settings.calendar().map_err(|e| fail(exit::USAGE, e))?;
    Ok(ops::Context::new(Actor::current(), today(cli, conn)?).with_calendar(cal))
}

fn list(a: &crate::cli::MeetingListArgs, cli: &Cli, settings: &Settings) -> Result<i32, Failure> {
    let path = db_path(a.db.as_ref(), cli, settings)?;
    let conn = db::open(&path, Mode::ReadOnly)?;
    let w = lang(settings).tasks();
    let human = matches!(a.format, crate::export::Format::Table | crate::export::Format::Md);
    let rows = db::meetings::list(&conn)?;
    let keys = ["id", "date", "title", "status", "agenda", "decisions"];
    let heads = ["ID", w.col_date, w.col_meeting, w.col_status, w.h_agenda, w.h_decisions];
    write_out(|out| {
        let mut wr = Writer::begin(
            a.format,
            out,
            keys.iter().map(|k| k.to_string()).collect(),
            heads.iter().map(|k| k.to_string()).collect(),
        )?;
        for m in &rows {
            let full = db::meetings::get(&conn, m.id)
                .map_err(|e| std::io::Error::other(e.to_string()))?
                .unwrap_or_else(|| m.clone());
            let status = match (human, m.status) {
                (false, s) => s.code(),
                (true, MeetingStatus::Held) => w.meeting_held_word,
                (true, MeetingStatus::Planned) => w.meeting_planned,
            };
            wr.row(&[
                Cell::text(ItemKey::Meeting(m.id).to_string()),
                Cell::text(m.date.to_string()),
                Cell::text(&m.title),
                Cell::text(status),
                Cell::Int(full.agenda.len() as i64),
                Cell::Int(full.decisions.len() as i64),
            ])?;
        }
        wr.finish()
    })
}

/// The meeting as a document: title, date, attendance, agenda, decisions
/// and the tasks made from them (Markdown; the text form drops the marks).
fn minutes_markdown(m: &db::meetings::Meeting, w: &crate::i18n::tasks::Tasks, colon: &str) -> String {
    use crate::text::md_inline as md;
    let mut out = String::new();
    let title = if m.minutes.is_some() {
        // 领导小组…会议 → 领导小组…会议纪要.
        match m.title.strip_suffix("会议") {
            Some(_) if w.h_minutes_title == "会议纪要" => format!("{}纪要", m.title),
            _ => format!("{}{}", m.title, w.h_minutes_title),
        }
    } else {
        m.title.clone()
    };
    out.push_str(&format!("# {}\n\n", md(&title)));
    match &m.minutes {
        Some(x) => {
            out.push_str(&format!("{}{colon}{}\n\n", w.h_held_on, x.held_on));
            let names: Vec<&str> = x.attendees.lines().filter(|l| !l.trim().is_empty()).collect();
            out.push_str(&format!("{}{colon}{}\n\n", w.h_attendees, md(&names.join("、"))));
        }
        None => out.push_str(&format!("{}{colon}{}（{}）\n\n", w.col_date, m.date, w.meeting_planned)),
    }
    if !m.agenda.is_empty() {
        out.push_str(&format!("## {}\n\n", w.h_agenda));
        for (i, a) in m.agenda.iter().enumerate() {
            let from = match (&a.unit, a.source) {
                (Some(u), AgendaSource::Submitted) => format!("（{}，{}）", w.agenda_source(a.source), u.1),
                (_, s) => format!("（{}）", w.agenda_source(s)),
            };
            out.push_str(&format!("{}. {}{}\n", i + 1, md(&a.title), md(&from)));
        }
        out.push('\n');
    }
    if !m.decisions.is_empty() {
        out.push_str(&format!("## {}\n\n", w.h_decisions));
        for d in &m.decisions {
            let tasks = if d.tasks.is_empty() {
                String::new()
            } else {
                let codes: Vec<&str> = d.tasks.iter().map(|t| t.1.as_str()).collect();
                format!("（{}{colon}{}）", w.h_tasks_from, codes.join("、"))
            };
            out.push_str(&format!("{}. {}{}\n", d.ord, md(&d.text), md(&tasks)));
        }
        out.push('\n');
    }
    out
}

fn show(a: &crate::cli::MeetingShowArgs, cli: &Cli, settings: &Settings) -> Result<i32, Failure> {
    let path = db_path(a.db.as_ref(), cli, settings)?;
    let conn = db::open(&path, Mode::ReadOnly)?;
    let m = meeting_id(&conn, &a.id)?;
    let l = lang(settings);
    let text = minutes_markdown(&m, l.tasks(), l.s().colon);
    match a.format {
        NoticeFormat::Md => write_out(|out| out.write_all(text.as_bytes())),
        NoticeFormat::Text => {
            let plain = crate::text::md_unescape(&text.replace("## ", "").replace("# ", ""));
            // The decisions' and agenda items' ids, for `task assign --decision`.
            let mut ids = String::new();
            for d in &m.decisions {
                ids.push_str(&format!("  {} {} → --decision {}\n", w_h(&l), d.ord, d.id));
            }
            let body = if ids.is_empty() { plain } else { format!("{plain}{ids}") };
            write_out(|out| out.write_all(sanitize_lines(&body).as_bytes()))
        }
        NoticeFormat::Docx => {
            use std::io::IsTerminal;
            if std::io::stdout().is_terminal() {
                return Err(fail(exit::USAGE, words().docx_binary));
            }
            let bytes = crate::review::circular::docx(&text).map_err(|e| fail(exit::FAILURE, e.to_string()))?;
            write_out(|out| out.write_all(&bytes))
        }
    }
}

fn w_h(l: &crate::i18n::Lang) -> &'static str {
    l.tasks().h_decisions
}

fn sanitize_lines(t: &str) -> String {
    t.lines()
        .map(|l| sanitize(l).into_owned())
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

fn plan(a: &crate::cli::MeetingPlanArgs, cli: &Cli, settings: &Settings) -> Result<i32, Failure> {
    let path = db_path(a.db.as_ref(), cli, settings)?;
    let mut conn = super::open_for_writing(&path)?;
    let ctx = write_ctx(cli, settings, &conn)?;
    let date = parse_date_input(&a.date, ctx.today).map_err(|e| super::date_failure(exit::INPUT, "--date", e))?;
    let cmd = Command::MeetingPlan {
        date,
        title: a.title.clone(),
    };
    let o = ops::apply(&mut conn, &ctx, &cmd)?;
    let what = match &o {
        Outcome::Applied(x) => format!("{} {}", x.item, a.title),
        _ => a.title.clone(),
    };
    Ok(super::ids::say_outcome(&what, &o, &cmd, &date.to_string()))
}

fn agenda(a: &crate::cli::MeetingAgendaArgs, cli: &Cli, settings: &Settings) -> Result<i32, Failure> {
    let path = db_path(a.db.as_ref(), cli, settings)?;
    let mut conn = super::open_for_writing(&path)?;
    let ctx = write_ctx(cli, settings, &conn)?;
    let m = meeting_id(&conn, &a.id)?;
    let unit = match &a.unit {
        Some(u) => Some(
            db::units::resolve(&conn, u)
                .map_err(|e| super::flag_failure(exit::INPUT, "--unit", &e))?
                .id,
        ),
        None => None,
    };
    let item = match &a.item {
        Some(i) => Some(db::units::resolve_item(&conn, i).map_err(|e| super::flag_failure(exit::INPUT, "--item", &e))?),
        None => None,
    };
    let source = match (item, unit) {
        (Some(_), _) => AgendaSource::Escalated,
        (None, Some(_)) => AgendaSource::Submitted,
        (None, None) => AgendaSource::Office,
    };
    let cmd = Command::AgendaAdd {
        meeting: m.id,
        title: a.title.clone(),
        source,
        item,
        unit,
        note: a.note.clone(),
    };
    let o = ops::apply(&mut conn, &ctx, &cmd)?;
    let name = format!("{} {}", ItemKey::Meeting(m.id), m.title);
    let verb = fill(words().agenda_added, &[&a.title]);
    Ok(super::ids::say_outcome(&name, &o, &cmd, &verb))
}

fn minutes(a: &crate::cli::MeetingMinutesArgs, cli: &Cli, settings: &Settings) -> Result<i32, Failure> {
    let path = db_path(a.db.as_ref(), cli, settings)?;
    let mut conn = super::open_for_writing(&path)?;
    let ctx = write_ctx(cli, settings, &conn)?;
    let m = meeting_id(&conn, &a.id)?;
    let held_on = match &a.held_on {
        Some(d) => parse_date_input(d, ctx.today).map_err(|e| super::date_failure(exit::INPUT, "--held-on", e))?,
        None => m.date,
    };
    let cmd = Command::MinutesRecord {
        meeting: m.id,
        held_on,
        attendees: a.attendees.clone(),
    };
    let o = ops::apply(&mut conn, &ctx, &cmd)?;
    let name = format!("{} {}", ItemKey::Meeting(m.id), m.title);
    let verb = fill(words().minutes_recorded, &[&held_on]);
    Ok(super::ids::say_outcome(&name, &o, &cmd, &verb))
}

fn decide(a: &crate::cli::MeetingDecideArgs, cli: &Cli, settings: &Settings) -> Result<i32, Failure> {
    let path = db_path(a.db.as_ref(), cli, settings)?;
    let mut conn = super::open_for_writing(&path)?;
    let ctx = write_ctx(cli, settings, &conn)?;
    let m = meeting_id(&conn, &a.id)?;
    // The agenda item by its number on the agenda, as `meeting show` lists it.
    let agenda = match a.agenda {
        Some(n) => Some(
            m.agenda
                .get((n as usize).wrapping_sub(1))
                .map(|x| x.id)
                .ok_or_else(|| fail(exit::INPUT, fill(words().agenda_no, &[&ItemKey::Meeting(m.id), &n])))?,
        ),
        None => None,
    };
    let cmd = Command::DecisionAdd {
        meeting: m.id,
        text: a.text.clone(),
        agenda,
    };
    let o = ops::apply(&mut conn, &ctx, &cmd)?;
    let name = format!("{} {}", ItemKey::Meeting(m.id), m.title);
    let verb = match &o {
        Outcome::Applied(_) => {
            let d = db::meetings::decisions(&conn, m.id)?;
            let last = d.iter().max_by_key(|d| d.id);
            match last {
                Some(d) => fill(words().decision_added, &[&d.ord, &d.id]),
                None => String::new(),
            }
        }
        _ => String::new(),
    };
    Ok(super::ids::say_outcome(&name, &o, &cmd, &verb))
}
