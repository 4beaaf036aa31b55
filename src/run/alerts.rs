//! `dudao alerts` and the triage commands (`extend`, `done`, `snooze`,
//! `escalate`, `notice`): the alerts pane on the command line, for cron and
//! scripts, through the same write path as the console.

use std::io::Write;

use super::ids::apply_ids;
use super::{Failure, db_path, fail, lang, office, today};
use crate::cli::{
    AlertsArgs, Cli, DoneArgs, EscalateArgs, ExtendArgs, LevelArg, NoticeArgs, SnoozeArgs, SourceArg, exit,
};
use crate::config::Settings;
use crate::db::alerts::{AlertPolicy, AlertRow, AlertSource};
use crate::db::{self, Mode};
use crate::domain::input::parse_date_input;
use crate::domain::{AlertLevel, ItemKey};
use crate::export::{Cell, Format, Writer};
use crate::ops::Command;
use crate::text::sanitize;

fn policy(conn: &rusqlite::Connection, settings: &Settings) -> Result<AlertPolicy, Failure> {
    let due_day = db::reports::due_day(conn)?;
    settings.alert_policy(due_day).map_err(|e| fail(exit::USAGE, e))
}

fn source_of(a: SourceArg) -> AlertSource {
    match a {
        SourceArg::Report => AlertSource::MissingReport,
        SourceArg::Resubmission => AlertSource::Resubmission,
        SourceArg::Measure => AlertSource::Measure,
        SourceArg::Authority => AlertSource::Authority,
        SourceArg::Meeting => AlertSource::Meeting,
        SourceArg::Milestone => AlertSource::Milestone,
    }
}

fn level_keeps(l: LevelArg, r: &AlertRow) -> bool {
    match l {
        LevelArg::Overdue => r.days_left < 0,
        LevelArg::Circular => r.level == AlertLevel::Circular,
        LevelArg::Red => r.level == AlertLevel::Red,
        LevelArg::Yellow => r.level == AlertLevel::Yellow,
        LevelArg::Blue => r.level == AlertLevel::Blue,
    }
}

/// The alerts `a` selects, in their stable order (most urgent first, then
/// unit, then id).
fn select(
    a: &AlertsArgs,
    conn: &rusqlite::Connection,
    p: &AlertPolicy,
    today: chrono::NaiveDate,
) -> Result<Vec<AlertRow>, Failure> {
    let unit = match &a.unit {
        Some(u) => Some(db::units::resolve(conn, u).map_err(|e| super::flag_failure(exit::INPUT, "--unit", &e))?),
        None => None,
    };
    let within = a.within.unwrap_or(p.thresholds.blue_days);
    Ok(db::alerts::list(conn, today, p)?
        .into_iter()
        .filter(|r| a.all || (!r.snoozed && r.days_left <= within))
        .filter(|r| a.level.is_none_or(|l| level_keeps(l, r)))
        .filter(|r| a.source.is_none_or(|s| r.source == source_of(s)))
        .filter(|r| {
            unit.as_ref()
                .is_none_or(|u| *r.unit == *u.full_name || r.search.split('、').any(|n| n == u.full_name))
        })
        .collect())
}

pub fn list(a: &AlertsArgs, cli: &Cli, settings: &Settings) -> Result<i32, Failure> {
    let path = db_path(a.db.as_ref(), cli, settings)?;
    let conn = db::open(&path, Mode::ReadOnly)?;
    let today = today(cli, &conn)?;
    let p = policy(&conn, settings)?;
    let rows = select(a, &conn, &p, today)?;
    let s = lang(settings).s();
    let human = matches!(a.format, Format::Table | Format::Md);
    let keys: Vec<String> = [
        "id",
        "level",
        "source",
        "unit",
        "item",
        "due",
        "first_due",
        "days_left",
        "day_unit",
        "reminders",
        "last_reminder",
        "extensions",
        "snoozed_until",
        "escalated",
        "notes",
    ]
    .iter()
    .map(|k| k.to_string())
    .collect();
    let days_head = if p.calendar.enabled { s.col_workdays } else { s.col_days };
    let heads: Vec<String> = [
        "ID",
        s.col_level_alert,
        s.col_source,
        s.col_unit,
        s.col_subject,
        s.col_due,
        s.original_due,
        days_head,
        "",
        s.col_reminders,
        s.last_reminder,
        s.extensions,
        s.form_snooze,
        s.flag_escalated,
        s.notes,
    ]
    .iter()
    .map(|k| k.to_string())
    .collect();
    // The table and Markdown leave out the day-unit column (the heading says it).
    let (keys, heads): (Vec<String>, Vec<String>) = if human {
        keys.into_iter().zip(heads).filter(|(k, _)| k != "day_unit").unzip()
    } else {
        (keys, heads)
    };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let r = (|| -> std::io::Result<()> {
        let mut w = Writer::begin(a.format, &mut out, keys, heads)?;
        for r in &rows {
            let mut cells = vec![
                Cell::text(r.key.to_string()),
                Cell::text(if human { s.alert_level(r.level) } else { r.level.code() }),
                Cell::text(if human { s.source(r.source) } else { r.source.code() }),
                Cell::text(&r.unit),
                Cell::text(crate::present::title(r, s)),
                Cell::text(r.due.to_string()),
                Cell::text(r.base_due.to_string()),
                if human {
                    Cell::text(crate::present::days_text(r.days_left, s))
                } else {
                    Cell::Int(r.days_left)
                },
            ];
            if !human {
                cells.push(Cell::text(if p.calendar.enabled { "working" } else { "calendar" }));
            }
            cells.extend([
                Cell::Int(r.reminders as i64),
                Cell::opt(r.last_reminder.map(|d| d.to_string())),
                Cell::Int(r.extensions.len() as i64),
                Cell::opt(r.snoozed_until.map(|d| d.to_string())),
                if human {
                    Cell::text(if r.escalated { s.flag_escalated } else { "" })
                } else {
                    Cell::Int(r.escalated as i64)
                },
                Cell::Int(r.notes as i64),
            ]);
            w.row(&cells)?;
        }
        w.finish()?;
        out.flush()
    })();
    if let Err(e) = r
        && e.kind() != std::io::ErrorKind::BrokenPipe
    {
        return Err(fail(exit::FAILURE, e.to_string()));
    }
    Ok(if rows.iter().any(|r| r.days_left < 0) {
        exit::OVERDUE
    } else {
        exit::OK
    })
}

/// The version guarding an item now (commands carry it).
fn version(conn: &rusqlite::Connection, key: ItemKey) -> Result<i64, String> {
    db::flags::version(conn, key).map_err(|e| crate::i18n::db_error(&e))
}

pub fn extend(a: &ExtendArgs, cli: &Cli, settings: &Settings) -> Result<i32, Failure> {
    let path = db_path(a.db.as_ref(), cli, settings)?;
    let today = {
        let conn = db::open(&path, Mode::ReadOnly)?;
        today(cli, &conn)?
    };
    let to = parse_date_input(&a.to, today).map_err(|e| super::date_failure(exit::USAGE, "--to", e))?;
    apply_ids(
        &path,
        cli,
        settings,
        std::slice::from_ref(&a.id),
        crate::i18n::cli().verb_extended,
        |conn, key| {
            Ok(Command::Extend {
                item: key,
                version: version(conn, key)?,
                to,
                reason: a.reason.clone(),
                late: a.late,
            })
        },
    )
}

pub fn done(a: &DoneArgs, cli: &Cli, settings: &Settings) -> Result<i32, Failure> {
    let path = db_path(a.db.as_ref(), cli, settings)?;
    apply_ids(
        &path,
        cli,
        settings,
        std::slice::from_ref(&a.id),
        crate::i18n::cli().verb_done,
        |conn, key| {
            Ok(Command::Done {
                item: key,
                version: version(conn, key)?,
                note: a.note.clone(),
            })
        },
    )
}

pub fn snooze(a: &SnoozeArgs, cli: &Cli, settings: &Settings) -> Result<i32, Failure> {
    let path = db_path(a.db.as_ref(), cli, settings)?;
    let today = {
        let conn = db::open(&path, Mode::ReadOnly)?;
        today(cli, &conn)?
    };
    let until = match a.until.trim() {
        "none" | "off" => None,
        t => Some(parse_date_input(t, today).map_err(|e| super::date_failure(exit::USAGE, "--until", e))?),
    };
    let c = crate::i18n::cli();
    let verb = if until.is_some() { c.verb_snoozed } else { c.verb_woken };
    apply_ids(&path, cli, settings, std::slice::from_ref(&a.id), verb, |conn, key| {
        Ok(Command::Snooze {
            item: key,
            version: version(conn, key)?,
            until,
            undoes: None,
        })
    })
}

pub fn escalate(a: &EscalateArgs, cli: &Cli, settings: &Settings) -> Result<i32, Failure> {
    let path = db_path(a.db.as_ref(), cli, settings)?;
    let c = crate::i18n::cli();
    let verb = if a.withdraw {
        c.verb_unescalated
    } else {
        c.verb_escalated
    };
    apply_ids(&path, cli, settings, std::slice::from_ref(&a.id), verb, |conn, key| {
        Ok(Command::Escalate {
            item: key,
            version: version(conn, key)?,
            on: !a.withdraw,
            note: a.note.clone(),
            undoes: None,
        })
    })
}

/// The notice (催办通知单) about `key` on `today`, or why there is none.
pub(super) fn notice_for(
    conn: &rusqlite::Connection,
    settings: &Settings,
    today: chrono::NaiveDate,
    key: ItemKey,
) -> Result<(AlertRow, String), Failure> {
    let p = policy(conn, settings)?;
    let Some(r) = db::alerts::one(conn, today, &p, key)? else {
        return Err(fail(
            exit::INPUT,
            crate::i18n::fill(crate::i18n::cli().no_open_deadline, &[&key]),
        ));
    };
    if crate::notice::addressee(&r).is_none() {
        return Err(fail(
            exit::INPUT,
            crate::i18n::fill(crate::i18n::cli().office_own_item, &[&key]),
        ));
    }
    // The notice is the office's document, in Chinese whatever the
    // interface speaks: the item is named in Chinese too.
    let item = crate::present::title(&r, &crate::i18n::ZH);
    let text = crate::notice::fill(
        crate::notice::TEMPLATE,
        &r,
        &item,
        &office(settings),
        today,
        p.calendar.enabled,
    );
    Ok((r, text))
}

/// Warns once when notices are made without the office's contact.
pub(super) fn warn_no_contact(settings: &Settings) {
    if settings.office_contact.0.trim().is_empty() {
        eprintln!("dudao: {}{}", super::msg::warning(), crate::i18n::cli().no_contact);
    }
}

pub fn notice(a: &NoticeArgs, cli: &Cli, settings: &Settings) -> Result<i32, Failure> {
    let path = db_path(a.db.as_ref(), cli, settings)?;
    let conn = db::open(&path, Mode::ReadOnly)?;
    let key = db::units::resolve_item(&conn, &a.id).map_err(|e| fail(exit::INPUT, crate::i18n::db_error(&e)))?;
    let today = today(cli, &conn)?;
    let (_, text) = notice_for(&conn, settings, today, key)?;
    warn_no_contact(settings);
    match &a.out {
        Some(file) => {
            let name = sanitize(&file.display().to_string()).into_owned();
            let mut f = match std::fs::OpenOptions::new().write(true).create_new(true).open(file) {
                Ok(f) => f,
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    return Err(fail(
                        exit::DATABASE,
                        crate::i18n::fill(crate::i18n::cli().notice_exists, &[&name]),
                    ));
                }
                Err(e) => {
                    return Err(fail(
                        exit::FAILURE,
                        crate::i18n::fill(crate::i18n::cli().not_written, &[&name, &e]),
                    ));
                }
            };
            f.write_all(text.as_bytes()).map_err(|e| {
                fail(
                    exit::FAILURE,
                    crate::i18n::fill(crate::i18n::cli().flag_error, &[&name, &e]),
                )
            })?;
            eprintln!(
                "dudao: {}",
                crate::i18n::fill(crate::i18n::cli().notice_saved, &[&key, &name])
            );
        }
        None => {
            let mut out = std::io::stdout().lock();
            if let Err(e) = out.write_all(text.as_bytes())
                && e.kind() != std::io::ErrorKind::BrokenPipe
            {
                return Err(fail(exit::FAILURE, e.to_string()));
            }
        }
    }
    Ok(exit::OK)
}
