//! `dudao review`, `dudao snapshot`, `dudao circular`, and the
//! `export alerts` / `export missing` views.
//!
//! The review never writes: the database is opened read-only (an immutable
//! snapshot where the folder or file cannot be written). A finished quarter
//! is frozen by `dudao snapshot`, a writer's explicit act; until then page 7
//! compares against the previous quarter recomputed from today's data and
//! says so.

use std::io::{IsTerminal, Write};

use super::{Failure, db_path, fail, lang, today};
use crate::cli::{CircularArgs, Cli, DocFormat, ReviewArgs, ReviewTable, SnapshotArgs, exit};
use crate::config::Settings;
use crate::db::alerts::AlertPolicy;
use crate::db::{self, Mode};
use crate::domain::Quarter;
use crate::figures;
use crate::text::sanitize;

fn policy(conn: &rusqlite::Connection, settings: &Settings) -> Result<AlertPolicy, Failure> {
    let due_day = db::reports::due_day(conn)?;
    settings.alert_policy(due_day).map_err(|e| fail(exit::USAGE, e))
}

/// A quarter that has begun by `today` (a later one has no figures yet).
fn begun(q: Quarter, today: chrono::NaiveDate) -> Result<Quarter, Failure> {
    if q.first_day() > today {
        return Err(fail(
            exit::USAGE,
            crate::i18n::fill(crate::i18n::cli().quarter_has_not_begun, &[&q, &today]),
        ));
    }
    Ok(q)
}

fn write_out(f: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) -> Result<i32, Failure> {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    match f(&mut out).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(fail(exit::FAILURE, e.to_string())),
        _ => Ok(exit::OK),
    }
}

pub fn review(a: &ReviewArgs, cli: &Cli, settings: &Settings) -> Result<i32, Failure> {
    let path = db_path(a.db.as_ref(), cli, settings)?;
    if a.export.is_none() && (!std::io::stdout().is_terminal() || !std::io::stdin().is_terminal()) {
        return Err(fail(
            exit::USAGE,
            crate::i18n::cli().review_needs_terminal_stdin.to_string(),
        ));
    }
    if a.table.is_some() && a.export != Some(DocFormat::Csv) {
        return Err(fail(exit::USAGE, crate::i18n::cli().table_goes_with_export.to_string()));
    }
    let immutable = db::needs_snapshot(&path);
    // A read-only reader makes `-wal`/`-shm` where there were none; they
    // are removed after (see `tidy_side_files`).
    let tidy = !immutable && !db::review::side_files(&path);
    let conn = db::open(&path, Mode::ReadOnly)?;
    let today = today(cli, &conn)?;
    let quarter = begun(a.quarter.unwrap_or_else(|| Quarter::of(today)), today)?;
    let policy = policy(&conn, settings)?;
    let lang = lang(settings);
    if let Some(format) = a.export {
        let r = figures::review(&conn, quarter, today, &policy)?;
        let table = a.table.map(|t| match t {
            ReviewTable::Headline => "headline",
            ReviewTable::Targets => "targets",
            ReviewTable::Units => "units",
            ReviewTable::Ranking => "ranking",
            ReviewTable::Checklist => "checklist",
            ReviewTable::Escalated => "escalated",
            ReviewTable::Compare => "compare",
        });
        drop(conn);
        if tidy {
            db::review::tidy_side_files(&path);
        }
        return write_out(|out| match format {
            DocFormat::Md => crate::review::doc::markdown(&r, lang, out),
            DocFormat::Html => crate::review::doc::html(&r, lang, out),
            DocFormat::Csv => crate::review::doc::csv(&r, lang, table, out),
        });
    }
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
        || super::term_setup(settings).env.colors == crate::tui::term::ColorDepth::None;
    let deps = crate::tui::review::ReviewDeps {
        conn,
        path: path.clone(),
        quarter,
        today,
        policy,
        lang,
        theme: {
            let t = crate::tui::theme::Theme::new(crate::tui::theme::ThemeKind::HighContrast, no_color);
            if super::term_setup(settings).env.linux_console {
                t.on_linux_console()
            } else {
                t
            }
        },
        kiosk: a.kiosk,
        immutable,
    };
    // A finished quarter nobody froze yet: the review does not write, but
    // says how, on leaving, to a user who could.
    let unfrozen = quarter.finished(today) && db::review::snapshot(&deps.conn, quarter)?.is_none();
    let screen = crate::tui::review::ReviewScreen::new(deps)?;
    // The screen (and its connection) is gone when this returns.
    let code = crate::tui::run_screen_with(screen, super::term_setup(settings))?;
    if tidy {
        db::review::tidy_side_files(&path);
    }
    if unfrozen && code == exit::OK && db::writable(&path) {
        // The review itself never writes; a user who could is asked, once
        // the screen is closed, whether to freeze the quarter now (not
        // after a kiosk, which nobody may be watching: it is only told).
        let question = crate::i18n::fill(crate::i18n::cli().has_ended_its_figures, &[&quarter]);
        if a.kiosk.is_none() && std::io::stdin().is_terminal() && ask(&question) {
            let args = SnapshotArgs {
                quarter: Some(quarter),
                db: Some(path.clone()),
            };
            return snapshot(&args, cli, settings);
        }
        eprintln!(
            "dudao: {}",
            crate::i18n::fill(crate::i18n::cli().not_frozen_dudao_snapshot, &[&quarter])
        );
    }
    Ok(code)
}

/// Asks a yes/no question on the terminal; only y, yes or 是 is yes.
fn ask(question: &str) -> bool {
    let mut err = std::io::stderr();
    let _ = write!(err, "dudao: {question}");
    let _ = err.flush();
    let mut answer = String::new();
    if std::io::stdin().read_line(&mut answer).is_err() {
        return false;
    }
    matches!(answer.trim().to_lowercase().as_str(), "y" | "yes" | "是")
}

pub fn snapshot(a: &SnapshotArgs, cli: &Cli, settings: &Settings) -> Result<i32, Failure> {
    let path = db_path(a.db.as_ref(), cli, settings)?;
    if !db::writable(&path) && path.exists() {
        return Err(fail(
            exit::DATABASE,
            format!(
                "{}: cannot be written by this user; a snapshot is stored in the database",
                sanitize(&path.display().to_string())
            ),
        ));
    }
    let mut conn = db::open(&path, Mode::ReadWrite)?;
    let today = today(cli, &conn)?;
    let quarter = begun(a.quarter.unwrap_or_else(|| Quarter::last_finished(today)), today)?;
    let policy = policy(&conn, settings)?;
    let ctx = crate::ops::Context::new(db::audit::Actor::current(), today).with_calendar(policy.calendar.clone());
    match crate::ops::snapshot::freeze(&mut conn, &ctx, &policy, quarter)? {
        crate::ops::snapshot::Frozen::Taken { .. } => {
            let s =
                crate::figures::snapshot(&conn, quarter)?.ok_or_else(|| fail(exit::FAILURE, "snapshot not stored"))?;
            let h = s.figures.headline;
            eprintln!(
                "dudao: {}",
                crate::i18n::fill(
                    crate::i18n::cli().froze_as_reports_time,
                    &[
                        &quarter,
                        &s.as_of,
                        &h.reports_on_time,
                        &h.reports_due,
                        &h.overdue_items,
                        &h.checklist_done,
                        &h.checklist_total,
                        &h.targets_on_pace,
                        &h.targets_total
                    ]
                )
            );
        }
        crate::ops::snapshot::Frozen::Exists { taken_at, by_user } => {
            let (at, by) = (sanitize(&taken_at), sanitize(&by_user));
            eprintln!(
                "dudao: {}",
                crate::i18n::fill(crate::i18n::cli().frozen_by_left_as, &[&quarter, &at, &by])
            );
        }
        crate::ops::snapshot::Frozen::Refused(r) => {
            return Err(fail(exit::INPUT, crate::i18n::lang().s().refusal(&r)));
        }
    }
    Ok(exit::OK)
}

pub fn circular(a: &CircularArgs, cli: &Cli, settings: &Settings) -> Result<i32, Failure> {
    let path = db_path(a.db.as_ref(), cli, settings)?;
    if a.format == crate::cli::CircularFormat::Docx && std::io::stdout().is_terminal() {
        return Err(fail(
            exit::USAGE,
            crate::i18n::cli().word_document_binary_redirect.to_string(),
        ));
    }
    let tidy = !db::needs_snapshot(&path) && !db::review::side_files(&path);
    let conn = db::open(&path, Mode::ReadOnly)?;
    let today = today(cli, &conn)?;
    let quarter = begun(a.quarter.unwrap_or_else(|| Quarter::last_finished(today)), today)?;
    let policy = policy(&conn, settings)?;
    let r = figures::review(&conn, quarter, today, &policy)?;
    drop(conn);
    if tidy {
        db::review::tidy_side_files(&path);
    }
    let text = crate::review::circular::fill(crate::review::circular::TEMPLATE, &r, &settings.office_name.0, today);
    match a.format {
        crate::cli::CircularFormat::Md => write_out(|out| out.write_all(text.as_bytes())),
        crate::cli::CircularFormat::Docx => {
            let bytes = crate::review::circular::docx(&text).map_err(|e| fail(exit::FAILURE, e.to_string()))?;
            write_out(|out| out.write_all(&bytes))
        }
    }
}

/// `dudao export missing`: the reports of last month (the month reported
/// in this one) not received and past due.
pub fn export_missing(
    conn: &rusqlite::Connection,
    format: crate::export::Format,
    settings: &Settings,
    today: chrono::NaiveDate,
) -> Result<i32, Failure> {
    use crate::domain::{InboxStatus, Month};
    use crate::export::{Cell, Format, Writer};
    let p = policy(conn, settings)?;
    let month = Month::of(today).prev();
    let rows = db::inbox::month_rows(conn, month, p.due_day, &p.calendar, today)?;
    let l = lang(settings);
    let s = l.s();
    let human = matches!(format, Format::Table | Format::Md);
    let keys = ["unit", "month", "status", "due", "days_late", "reminders"];
    let heads = [
        s.col_unit,
        if s.is_zh() { "月份" } else { "month" },
        s.col_status,
        s.col_due,
        s.col_late,
        s.col_reminders,
    ];
    write_out(|out| {
        let mut w = Writer::begin(
            format,
            out,
            keys.iter().map(|k| k.to_string()).collect(),
            heads.iter().map(|k| k.to_string()).collect(),
        )?;
        for r in rows.iter().filter(|r| r.status == InboxStatus::Missing) {
            w.row(&[
                Cell::text(r.unit()),
                Cell::text(month.to_string()),
                Cell::text(if human {
                    s.inbox_status(r.status)
                } else {
                    r.status.code()
                }),
                Cell::text(r.due.to_string()),
                Cell::Int(r.days_late.into()),
                Cell::Int(r.reminders.into()),
            ])?;
        }
        w.finish()
    })
}
