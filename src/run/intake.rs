//! `dudao import` and `dudao template report`.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use super::{Failure, db_path, fail, today};
use crate::cli::{Cli, ImportArgs, TemplateArgs, TemplateCommand, TemplateFormat, exit};
use crate::config::Settings;
use crate::db::{self, Mode, audit::Actor};
use crate::domain::Month;
use crate::drop_folder::{DropFolder, Keep, Watch, import_path};
use crate::i18n::fill;
use crate::intake::template;
use crate::ops;
use crate::text::sanitize;

/// `--inbox`, else the database's drop folder.
fn folder(a: &ImportArgs, settings: &Settings, db: &std::path::Path) -> DropFolder {
    DropFolder::new(a.inbox.clone().unwrap_or_else(|| settings.drop_folder(db).0))
}

fn context(cli: &Cli, settings: &Settings, conn: &rusqlite::Connection) -> Result<ops::Context, Failure> {
    let cal = settings.calendar().map_err(|e| fail(exit::USAGE, e))?;
    Ok(ops::Context::new(Actor::current(), today(cli, conn)?).with_calendar(cal))
}

/// Imports the named files, or the drop folder's waiting files, or keeps
/// watching the folder. Exit 0 when every file was imported or a
/// duplicate, 4 when any was refused.
pub(super) fn import(a: &ImportArgs, cli: &Cli, settings: &Settings) -> Result<i32, Failure> {
    if cli.global.read_only {
        return Err(fail(exit::USAGE, crate::i18n::cli().import_read_only));
    }
    let path = db_path(None, cli, settings)?;
    let mut conn = super::open_for_writing(&path)?;
    let folder = folder(a, settings, &path);
    folder.ensure().map_err(|e| {
        fail(
            exit::FAILURE,
            fill(
                crate::i18n::cli().drop_folder_error,
                &[&sanitize(&folder.root.display().to_string()), &e],
            ),
        )
    })?;
    if a.watch {
        return watch(cli, settings, &mut conn, folder);
    }
    let ctx = context(cli, settings, &conn)?;
    let cat = db::intake::catalog(&conn, ctx.today)?;
    let stdin_file;
    let named: &[PathBuf] = if a.files.len() == 1 && a.files[0].as_os_str() == "-" {
        // `-`: the file comes on standard input (`ssh host import - < 月报.toml`):
        // it is put in the drop folder under a name of its own and imported
        // from there, as any dropped file.
        stdin_file = [from_stdin(&folder)?];
        &stdin_file
    } else {
        &a.files
    };
    let files: Vec<(PathBuf, Keep)> = if named.is_empty() {
        let waiting = folder.waiting().map_err(|e| fail(exit::FAILURE, e.to_string()))?;
        waiting.into_iter().map(|(p, _)| (p, Keep::Move)).collect()
    } else {
        named
            .iter()
            .map(|p| {
                let keep = if folder.holds(p) { Keep::Move } else { Keep::Copy };
                (p.clone(), keep)
            })
            .collect()
    };
    if files.is_empty() {
        eprintln!(
            "dudao: {}",
            fill(
                crate::i18n::cli().nothing_to_import,
                &[&sanitize(&folder.root.display().to_string())]
            )
        );
        return Ok(exit::OK);
    }
    let _lock = folder.try_lock().ok().flatten();
    let (mut imported, mut dup, mut refused, mut file_errors) = (0, 0, 0, 0);
    for (p, keep) in files {
        let r = import_path(&mut conn, &ctx, &cat, &folder, &p, keep)?;
        eprintln!("dudao: {}", crate::drop_folder::import_line(&r));
        match &r.outcome {
            ops::intake::ImportOutcome::Imported { .. } => imported += 1,
            ops::intake::ImportOutcome::Duplicate { .. } => dup += 1,
            ops::intake::ImportOutcome::Refused { .. } => refused += 1,
        }
        if r.file_error.is_some() {
            file_errors += 1;
        }
    }
    eprintln!(
        "dudao: {}",
        fill(crate::i18n::cli().import_summary, &[&imported, &dup, &refused])
    );
    Ok(if refused > 0 {
        exit::INPUT
    } else if file_errors > 0 {
        exit::FAILURE
    } else {
        exit::OK
    })
}

/// Reads a file from standard input (at most the size any file may have,
/// and one byte more to tell a larger one) into the drop folder.
fn from_stdin(folder: &DropFolder) -> Result<PathBuf, Failure> {
    use std::io::{Read, Write};
    let mut bytes = Vec::new();
    std::io::stdin()
        .take(crate::intake::MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| fail(exit::INPUT, e.to_string()))?;
    let stamp = chrono::Local::now().format("%Y%m%d-%H%M%S");
    let name = format!("stdin-{stamp}-{}", std::process::id());
    let path = folder.root.join(name);
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .map_err(|e| fail(exit::FAILURE, format!("{}: {e}", path.display())))?;
    f.write_all(&bytes)
        .and_then(|()| f.sync_all())
        .map_err(|e| fail(exit::FAILURE, format!("{}: {e}", path.display())))?;
    Ok(path)
}

/// Watches the drop folder until SIGINT, SIGTERM or SIGHUP.
fn watch(cli: &Cli, settings: &Settings, conn: &mut rusqlite::Connection, folder: DropFolder) -> Result<i32, Failure> {
    let stop = Arc::new(AtomicBool::new(false));
    for sig in [
        signal_hook::consts::SIGINT,
        signal_hook::consts::SIGTERM,
        signal_hook::consts::SIGHUP,
    ] {
        signal_hook::flag::register(sig, Arc::clone(&stop)).map_err(|e| fail(exit::FAILURE, e.to_string()))?;
    }
    eprintln!(
        "dudao: {}",
        fill(
            crate::i18n::cli().watching,
            &[&sanitize(&folder.root.display().to_string())]
        )
    );
    let mut w = Watch::new(folder);
    let mut last_error: Option<String> = None;
    while !stop.load(Ordering::Relaxed) {
        // Today is read each round: a service runs across months.
        let ctx = context(cli, settings, conn)?;
        match w.round(conn, &ctx) {
            Ok(reports) => {
                for r in reports {
                    eprintln!("dudao: {}", crate::drop_folder::import_line(&r));
                }
                last_error = None;
            }
            Err(e) => {
                if last_error.as_deref() != Some(e.as_str()) {
                    eprintln!("dudao: {}", sanitize(&e));
                }
                last_error = Some(e);
            }
        }
        for _ in 0..10 {
            if stop.load(Ordering::Relaxed) {
                break;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
    eprintln!("dudao: {}", crate::i18n::cli().stopped_watching);
    Ok(exit::OK)
}

/// Prints a report template.
pub(super) fn template(c: &TemplateCommand, cli: &Cli, settings: &Settings) -> Result<i32, Failure> {
    let TemplateCommand::Report(a) = c;
    let text = match &a.unit {
        None => match a.format {
            TemplateFormat::Toml => template::EXAMPLE.to_string(),
            TemplateFormat::Json => template::example_json(),
        },
        Some(u) => unit_template(a, u, cli, settings)?,
    };
    print!("{text}");
    Ok(exit::OK)
}

fn unit_template(a: &TemplateArgs, unit: &str, cli: &Cli, settings: &Settings) -> Result<String, Failure> {
    let path = db_path(a.db.as_ref(), cli, settings)?;
    let conn = db::open(&path, Mode::ReadOnly)?;
    let u = db::units::resolve(&conn, unit).map_err(|e| super::flag_failure(exit::INPUT, "--unit", &e))?;
    if !u.reporting {
        return Err(fail(
            exit::INPUT,
            fill(crate::i18n::cli().sends_no_reports, &[&sanitize(&u.full_name)]),
        ));
    }
    let month = match &a.month {
        Some(m) => crate::intake::doc::parse_month(m)
            .ok_or_else(|| fail(exit::USAGE, fill(crate::i18n::cli().not_a_month, &[&sanitize(m)])))?,
        None => Month::of(today(cli, &conn)?).prev(),
    };
    let t = db::intake::unit_template(&conn, u.id, &u.full_name, month)?;
    Ok(match a.format {
        TemplateFormat::Toml => template::unit_toml(&t),
        TemplateFormat::Json => template::unit_json(&t),
    })
}
