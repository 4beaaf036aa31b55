//! `dudao report …` and `dudao remind`: the inbox on the command line,
//! through the same write path as the console (`ops`), with the same rules
//! and audit rows.

use super::ids::{apply_ids, apply_ids_keys};
use std::io::Write;
use std::path::{Path, PathBuf};

use super::{Failure, db_path, fail, lang, today};
use crate::cli::{
    ChannelArg, Cli, IdsArgs, NoteArgs, RemindArgs, ReportCommand, ReportListArgs, ReturnArgs, ShowArgs, ShowFormat,
    StatusArg, exit,
};
use crate::config::Settings;
use crate::db::inbox::{InboxRow, ReportFile};
use crate::db::{self, DbError, Mode};
use crate::domain::input::parse_date_input;
use crate::domain::{Channel, InboxStatus, ItemKey, Month};
use crate::export::{Cell, Format, Writer};
use crate::i18n::{Strings, fill};
use crate::ops::Command;
use crate::text::{local_time, sanitize};

pub fn run(c: &ReportCommand, cli: &Cli, settings: &Settings) -> Result<i32, Failure> {
    match c {
        ReportCommand::List(a) => list(a, cli, settings),
        ReportCommand::Show(a) => show(a, cli, settings),
        ReportCommand::Accept(a) => accept(a, cli, settings),
        ReportCommand::Return(a) => ret(a, cli, settings),
        ReportCommand::Note(a) => note(a, cli, settings),
    }
}

/// Ids and the database: a last argument that names an existing file is
/// the database (`dudao report accept R12-2026-10 office.db`). One that
/// looks like a database file (`.db`, `.sqlite`, …) but does not exist is
/// refused as such, not taken for an id.
fn split_db(ids: &[String], cli: &Cli, settings: &Settings) -> Result<(Vec<String>, PathBuf), Failure> {
    if ids.len() > 1
        && let Some(last) = ids.last()
    {
        // Anything at that path (a FIFO, a symlink loop, …) is the
        // database, for `db::open` to say what is wrong with it.
        if Path::new(last).is_file() || (looks_like_db(last) && std::fs::symlink_metadata(last).is_ok()) {
            let path = db_path(Some(&PathBuf::from(last)), cli, settings)?;
            return Ok((ids[..ids.len() - 1].to_vec(), path));
        }
        if looks_like_db(last) {
            return Err(fail(
                exit::DATABASE,
                format!(
                    "the database file {} does not exist (or is not a file); nothing was changed",
                    sanitize(last)
                ),
            ));
        }
    }
    Ok((ids.to_vec(), db_path(None, cli, settings)?))
}

/// Whether an argument names a database file rather than an item.
fn looks_like_db(arg: &str) -> bool {
    Path::new(arg)
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| ["db", "sqlite", "sqlite3", "db3"].contains(&e.to_ascii_lowercase().as_str()))
}

fn status_of(a: StatusArg) -> InboxStatus {
    match a {
        StatusArg::Pending => InboxStatus::Pending,
        StatusArg::Missing => InboxStatus::Missing,
        StatusArg::New => InboxStatus::New,
        StatusArg::Late => InboxStatus::Late,
        StatusArg::Accepted => InboxStatus::Accepted,
        StatusArg::Returned => InboxStatus::Returned,
        StatusArg::Closed => InboxStatus::Closed,
    }
}

/// Column keys (CSV, JSON) and headings (table, Markdown) of `report list`.
fn list_columns(s: &Strings) -> (Vec<String>, Vec<String>) {
    let keys = [
        "id",
        "unit",
        "month",
        "status",
        "due",
        "received_at",
        "days_late",
        "reminders",
        "version_no",
        "on_time",
    ];
    let heads = [
        "ID",
        s.col_unit,
        s.month_col,
        s.col_status,
        s.col_due,
        s.col_received,
        s.col_late,
        s.col_reminders,
        s.version,
        s.on_time_col,
    ];
    (
        keys.iter().map(|k| k.to_string()).collect(),
        heads.iter().map(|k| k.to_string()).collect(),
    )
}

fn list(a: &ReportListArgs, cli: &Cli, settings: &Settings) -> Result<i32, Failure> {
    let path = db_path(a.db.as_ref(), cli, settings)?;
    let conn = db::open(&path, Mode::ReadOnly)?;
    let today = today(cli, &conn)?;
    let month: Month = match &a.month {
        Some(m) => m
            .parse()
            .map_err(|_: String| super::flag_failure(exit::USAGE, "--month", &DbError::BadMonth(m.clone())))?,
        None => Month::of(today).prev(),
    };
    let (first, last) = db::items::report_months(&conn, today)?;
    if month > last || first.is_some_and(|f| month < f) {
        let why = db::items::Absent::OutsideSchedule { month, first, last };
        return Err(fail(
            exit::INPUT,
            fill(
                crate::i18n::cli().flag_error,
                &[&"--month", &lang(settings).s().absent(&why)],
            ),
        ));
    }
    let unit = match &a.unit {
        Some(u) => Some(db::units::resolve(&conn, u).map_err(|e| super::flag_failure(exit::INPUT, "--unit", &e))?),
        None => None,
    };
    let due_day = db::reports::due_day(&conn)?;
    let cal = settings.calendar().map_err(|e| fail(exit::USAGE, e))?;
    let rows: Vec<InboxRow> = db::inbox::month_rows(&conn, month, due_day, &cal, today)?
        .into_iter()
        .filter(|r| a.status.is_none_or(|st| r.status == status_of(st)))
        .filter(|r| unit.as_ref().is_none_or(|u| u.id == r.unit_id))
        .collect();
    let s = lang(settings).s();
    let human = matches!(a.format, Format::Table | Format::Md);
    let (keys, heads) = list_columns(s);
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let r = (|| -> std::io::Result<()> {
        let mut w = Writer::begin(a.format, &mut out, keys, heads)?;
        for r in &rows {
            let status = if human {
                s.inbox_status(r.status).to_string()
            } else {
                r.status.code().to_string()
            };
            w.row(&[
                Cell::text(r.key().to_string()),
                Cell::text(r.unit()),
                Cell::text(r.month.to_string()),
                Cell::Text(status),
                Cell::text(r.due.to_string()),
                Cell::opt(r.received_at.as_deref()),
                Cell::Int(r.days_late.into()),
                Cell::Int(r.reminders.into()),
                if r.report_id.is_some() {
                    Cell::Int(r.version_no.into())
                } else {
                    Cell::Null
                },
                match (db::inbox::on_time(r), human) {
                    (Some(t), true) => Cell::text(if t { s.yes_word } else { s.no_word }),
                    (Some(t), false) => Cell::text(if t { "yes" } else { "no" }),
                    (None, _) => Cell::Null,
                },
            ])?;
        }
        w.finish()?;
        out.flush()
    })();
    // The month's on-time figure, for people (stdout stays data).
    let (ok, n) = db::inbox::rate(rows.iter());
    if let Some(p) = (ok * 100 + n / 2).checked_div(n) {
        eprintln!(
            "dudao: {}",
            fill(crate::i18n::cli().on_time_line, &[&month, &ok, &n, &p])
        );
    }
    match r {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(fail(exit::FAILURE, e.to_string())),
        _ => Ok(exit::OK),
    }
}

/// The report file of a unit-month id.
fn file(
    conn: &rusqlite::Connection,
    key: ItemKey,
    cal: &crate::domain::deadline::Calendar,
    today: chrono::NaiveDate,
) -> Result<(InboxRow, ReportFile), Failure> {
    let ItemKey::Report { unit, month } = key else {
        return Err(fail(exit::INPUT, fill(crate::i18n::cli().not_a_report, &[&key])));
    };
    let u = db::units::by_id(conn, unit)?
        .filter(|u| u.reporting)
        .ok_or_else(|| fail(exit::INPUT, fill(crate::i18n::cli().no_reporting_unit, &[&key, &unit])))?;
    let due_day = db::reports::due_day(conn)?;
    let row = db::inbox::month_rows(conn, month, due_day, cal, today)?
        .into_iter()
        .find(|r| r.unit_id == u.id)
        .ok_or_else(|| fail(exit::INPUT, fill(crate::i18n::cli().not_found, &[&key])))?;
    let f = db::inbox::report_file(conn, key, row.report_id)?;
    Ok((row, f))
}

fn show(a: &ShowArgs, cli: &Cli, settings: &Settings) -> Result<i32, Failure> {
    let path = db_path(a.db.as_ref(), cli, settings)?;
    let conn = db::open(&path, Mode::ReadOnly)?;
    let key = db::units::resolve_item(&conn, &a.id).map_err(|e| fail(exit::INPUT, crate::i18n::db_error(&e)))?;
    let today = today(cli, &conn)?;
    let cal = settings.calendar().map_err(|e| fail(exit::USAGE, e))?;
    let (row, f) = file(&conn, key, &cal, today)?;
    let s = lang(settings).s();
    let text = match a.format {
        ShowFormat::Json => show_json(&row, &f).to_string() + "\n",
        ShowFormat::Text => show_text(&row, &f, s),
    };
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(fail(exit::FAILURE, e.to_string())),
        _ => Ok(exit::OK),
    }
}

fn show_json(row: &InboxRow, f: &ReportFile) -> serde_json::Value {
    use serde_json::json;
    let clean = |t: &str| sanitize(t).into_owned();
    let report = f.report.as_ref().map(|d| {
        json!({
            "version_no": d.version_no,
            "status": d.status.code(),
            "received_at": clean(&d.received_at),
            "due_date": row.due.to_string(),
            "summary": clean(&d.summary),
            "return_reason": clean(&d.return_reason),
            "resubmit_by": f.resubmit_by().as_deref().map(clean),
            "contact": { "name": clean(&d.contact_name), "phone": clean(&d.contact_phone) },
            "source": d.source,
            "file": d.file_name.as_deref().map(clean),
            "items": d.items.iter().map(|i| json!({
                "article": i.article_no,
                "progress": clean(&i.progress),
                "status": i.status.code(),
                "difficulties": clean(&i.difficulties),
                "next_steps": clean(&i.next_steps),
            })).collect::<Vec<_>>(),
            "indicators": d.indicators.iter().map(|i| json!({
                "name": clean(&i.name), "value": i.value, "target": i.target, "unit": clean(&i.unit),
                "from_table": i.from_table,
            })).collect::<Vec<_>>(),
        })
    });
    let versions: Vec<_> = f
        .versions
        .iter()
        .map(|v| {
            json!({
                "version_no": v.version_no, "received_at": clean(&v.received_at), "status": v.status.code(),
                "source": v.source, "file": v.file_name.as_deref().map(clean),
            })
        })
        .collect();
    json!({
        "id": row.key().to_string(),
        "unit": clean(row.unit()),
        "month": row.month.to_string(),
        "status": row.status.code(),
        "due": row.due.to_string(),
        "days_late": row.days_late,
        "report": report,
        "versions": versions,
        "reminders": f.reminders.iter().map(|r| json!({
            "at": clean(&r.at), "by": clean(&r.user), "channel": r.channel.code(),
            "note": clean(&r.note), "withdrawn": r.withdrawn,
        })).collect::<Vec<_>>(),
        "notes": f.notes.iter().map(|n| json!({
            "at": clean(&n.at), "by": clean(&n.user), "text": clean(&n.text), "withdrawn": n.withdrawn,
        })).collect::<Vec<_>>(),
        "history": f.history.iter().map(|h| json!({
            "at": clean(&h.at), "by": clean(&h.user), "action": clean(&h.action), "result": clean(&h.result),
        })).collect::<Vec<_>>(),
    })
}

fn show_text(row: &InboxRow, f: &ReportFile, s: &Strings) -> String {
    let mut t = String::new();
    let mut line = |l: String| {
        t.push_str(&sanitize(&l));
        t.push('\n');
    };
    line(format!("{}  {} · {}", row.key(), row.unit(), row.month));
    match &f.report {
        None => {
            line(format!(
                "{} · {} · {}",
                s.inbox_status(row.status),
                s.kv(s.col_due, row.due),
                s.not_received
            ));
            if row.days_late > 0 {
                line(s.kv(s.days_overdue, row.days_late));
            }
        }
        Some(d) => {
            line(format!(
                "{} · {} {} · {} · {}",
                s.inbox_status(row.status),
                s.version,
                d.version_no,
                s.kv(s.col_due, row.due),
                s.kv(s.col_received, &d.received_at)
            ));
            if !d.return_reason.is_empty() {
                line(format!(
                    "{}{}{}（{} {}）",
                    s.return_reason,
                    s.colon,
                    d.return_reason,
                    s.resubmit_by,
                    f.resubmit_by().as_deref().unwrap_or("—")
                ));
            }

            if !d.contact_name.is_empty() || !d.contact_phone.is_empty() {
                line(s.kv(s.contact, format!("{} {}", d.contact_name, d.contact_phone).trim()));
            }
            line(s.kv(s.summary, &d.summary));
            for it in &d.items {
                line(format!(
                    "  {} {} [{}]",
                    s.article(it.article_no),
                    it.article_title,
                    s.progress(it.status)
                ));
                line(format!("    {}", it.progress));
                if !it.difficulties.is_empty() {
                    line(format!("    {}", s.kv(s.difficulties, &it.difficulties)));
                }
                if !it.next_steps.is_empty() {
                    line(format!("    {}", s.kv(s.next_steps, &it.next_steps)));
                }
            }
            for i in &d.indicators {
                let from = if i.from_table { s.from_table } else { "" };
                line(format!("  {}{from}", crate::present::indicator_text(i, s)));
            }
        }
    }
    if let Some(e) = &f.extension {
        line(crate::i18n::fill(s.extended_note, &[&e.new_due, &e.old_due, &e.reason]));
    }
    if !f.versions.is_empty() {
        line(format!("{}{}", s.versions, s.colon));
        for v in &f.versions {
            line(format!("  {}", crate::present::version_text(v, s)));
        }
    }
    if !f.reminders.is_empty() {
        line(format!("{}{}", s.reminders, s.colon));
        for r in &f.reminders {
            let gone = if r.withdrawn { s.withdrawn } else { "" };
            line(format!(
                "  {} {} {} {}{gone}",
                local_time(&r.at),
                r.user,
                s.channel(r.channel),
                r.note
            ));
        }
    }
    if !f.notes.is_empty() {
        line(format!("{}{}", s.notes, s.colon));
        for n in &f.notes {
            let gone = if n.withdrawn { s.withdrawn } else { "" };
            line(format!("  {} {}{gone}: {}", local_time(&n.at), n.user, n.text));
        }
    }
    if !f.history.is_empty() {
        line(format!("{}{}", s.audit_trail, s.colon));
        for h in &f.history {
            line(format!(
                "  {} {} {} ({})",
                local_time(&h.at),
                h.user,
                s.audit_action(&h.action),
                s.audit_result(&h.result)
            ));
        }
    }
    t
}

/// The latest report row of a unit-month, for accept and return.
fn latest(conn: &rusqlite::Connection, key: ItemKey) -> Result<(i64, i64), String> {
    let ItemKey::Report { unit, month } = key else {
        return Err(fill(crate::i18n::cli().not_a_report, &[&key]));
    };
    match db::reports::latest(conn, unit, month) {
        Ok(Some(r)) => Ok((r.id, r.version)),
        Ok(None) => Err(fill(crate::i18n::cli().no_report_yet, &[&key])),
        Err(e) => Err(crate::i18n::db_error(&e)),
    }
}

fn accept(a: &IdsArgs, cli: &Cli, settings: &Settings) -> Result<i32, Failure> {
    let (ids, path) = split_db(&a.ids, cli, settings)?;
    apply_ids(
        &path,
        cli,
        settings,
        &ids,
        crate::i18n::cli().verb_accepted,
        |conn, key| latest(conn, key).map(|(report, version)| Command::Accept { report, version }),
    )
}

fn ret(a: &ReturnArgs, cli: &Cli, settings: &Settings) -> Result<i32, Failure> {
    let path = db_path(a.db.as_ref(), cli, settings)?;
    let today = {
        let conn = db::open(&path, Mode::ReadOnly)?;
        today(cli, &conn)?
    };
    let resubmit_by = match &a.resubmit_by {
        Some(d) => parse_date_input(d, today).map_err(|e| super::date_failure(exit::USAGE, "--resubmit-by", e))?,
        None => today + chrono::Duration::days(5),
    };
    apply_ids(
        &path,
        cli,
        settings,
        std::slice::from_ref(&a.id),
        crate::i18n::cli().verb_returned,
        |conn, key| {
            latest(conn, key).map(|(report, version)| Command::Return {
                report,
                version,
                reason: a.reason.clone(),
                resubmit_by,
            })
        },
    )
}

fn note(a: &NoteArgs, cli: &Cli, settings: &Settings) -> Result<i32, Failure> {
    let path = db_path(a.db.as_ref(), cli, settings)?;
    apply_ids(
        &path,
        cli,
        settings,
        std::slice::from_ref(&a.id),
        crate::i18n::cli().verb_note,
        |_, key| {
            Ok(Command::Note {
                item: key,
                text: a.text.clone(),
            })
        },
    )
}

pub fn remind(a: &RemindArgs, cli: &Cli, settings: &Settings) -> Result<i32, Failure> {
    let (ids, path) = split_db(&a.ids, cli, settings)?;
    let channel = match a.channel {
        ChannelArg::Phone => Channel::Phone,
        ChannelArg::Notice => Channel::Notice,
        ChannelArg::Meeting => Channel::Meeting,
        ChannelArg::System => Channel::System,
    };
    let done = apply_ids_keys(
        &path,
        cli,
        settings,
        &ids,
        crate::i18n::cli().verb_reminded,
        |_, key| {
            Ok(Command::Remind {
                item: key,
                channel,
                note: a.note.clone(),
            })
        },
    )?;
    let mut code = done.code;
    // A reminder given as a written notice: the notices are saved, as the
    // console saves them.
    if channel == Channel::Notice && !done.applied.is_empty() {
        let conn = db::open(&path, Mode::ReadOnly)?;
        let dir = &settings.notices_dir.0;
        super::alerts::warn_no_contact(settings);
        for key in done.applied {
            let saved = super::alerts::notice_for(&conn, settings, done.today, key).and_then(|(r, text)| {
                crate::notice::save(dir, &r, done.today, &text).map_err(|e| {
                    fail(
                        exit::FAILURE,
                        format!("{e} (in {})", sanitize(&dir.display().to_string())),
                    )
                })
            });
            match saved {
                Ok(p) => eprintln!("dudao: {key}: notice saved to {}", sanitize(&p.display().to_string())),
                Err(f) => {
                    eprintln!(
                        "dudao: {key}: the reminder is recorded, but no notice was saved: {}",
                        f.message
                    );
                    code = exit::FAILURE;
                }
            }
        }
    }
    Ok(code)
}
