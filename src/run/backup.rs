//! `dudao backup` and `dudao restore`.

use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};

use super::{Failure, db_path, fail, warn_network_fs};
use crate::cli::{BackupArgs, Cli, RestoreArgs, exit};
use crate::config::Settings;
use crate::db::{self, Mode, audit};
use crate::text::sanitize;

fn shown(p: &Path) -> String {
    sanitize(&p.display().to_string()).into_owned()
}

/// Runs `dudao check` on a file; the names of the failing checks.
fn failing(path: &Path) -> Result<Vec<String>, Failure> {
    let conn = db::open(path, Mode::ReadOnly)?;
    Ok(crate::check::run(&conn)?
        .into_iter()
        .filter(|f| !f.ok())
        .map(|f| format!("{}: {}", f.name, f.problems.join("; ")))
        .collect())
}

pub(super) fn backup(a: &BackupArgs, cli: &Cli, settings: &Settings) -> Result<i32, Failure> {
    let path = db_path(a.db.as_ref(), cli, settings)?;
    let dest = if a.dest.is_dir() {
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "dudao".into());
        a.dest
            .join(format!("{stem}-{}.db", chrono::Utc::now().format("%Y%m%d-%H%M%S")))
    } else {
        a.dest.clone()
    };
    let conn = db::open(&path, Mode::ReadOnly)?;
    let head = db::backup::copy_to(&conn, &path, &dest)?;
    drop(conn);
    let bad = failing(&dest)?;
    if !bad.is_empty() {
        for b in &bad {
            eprintln!("dudao: FAIL {}", sanitize(b));
        }
        return Err(fail(
            exit::FAILURE,
            format!(
                "backup {} written, but it does not pass `dudao check` (the database itself has these problems; run `dudao check` on it)",
                shown(&dest)
            ),
        ));
    }
    eprintln!(
        "dudao: backup {} written and checked (audit log up to row {head}, anchor {})",
        shown(&dest),
        shown(&db::anchor::path_for(&dest))
    );
    println!("{}", shown(&dest));
    Ok(exit::OK)
}

pub(super) fn restore(a: &RestoreArgs, cli: &Cli, settings: &Settings) -> Result<i32, Failure> {
    let path = db_path(a.db.as_ref(), cli, settings)?;
    // The backup first: a restore from a damaged or tampered copy is refused.
    let bad = failing(&a.src)?;
    if !bad.is_empty() {
        for b in &bad {
            eprintln!("dudao: FAIL {}", sanitize(b));
        }
        return Err(fail(
            exit::FAILURE,
            format!("{} does not pass `dudao check`; nothing was restored", shown(&a.src)),
        ));
    }
    // The database replaced must be a dudao database too (never a typo).
    drop(db::open(&path, Mode::ReadOnly)?);
    let others = db::lock::openers(&path);
    if !others.is_empty() {
        let who: Vec<String> = others.iter().map(|h| h.to_string()).collect();
        return Err(fail(
            exit::FAILURE,
            format!(
                "{} is open in {}; everyone must close dudao before a restore (nothing was changed)",
                shown(&path),
                sanitize(&who.join(", "))
            ),
        ));
    }
    let src = db::open(&a.src, Mode::ReadOnly)?;
    let head = db::anchor::head(&src)?;
    let saved = PathBuf::from(format!(
        "{}.before-restore-{}",
        path.display(),
        chrono::Utc::now().format("%Y%m%d-%H%M%S")
    ));
    if !a.yes {
        if !std::io::stdin().is_terminal() {
            return Err(fail(
                exit::USAGE,
                "restore replaces the database: confirm on a terminal, or pass --yes (nothing was changed)",
            ));
        }
        eprint!(
            "Replace {} with the backup {} (audit log up to row {})?\nThe current file is kept as {}.\nType yes to restore: ",
            shown(&path),
            shown(&a.src),
            head.as_ref().map(|h| h.0).unwrap_or(0),
            shown(&saved)
        );
        let _ = std::io::stderr().flush();
        let mut answer = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut answer)
            .map_err(|e| fail(exit::FAILURE, e.to_string()))?;
        if answer.trim() != "yes" {
            eprintln!("dudao: nothing was changed");
            return Ok(exit::FAILURE);
        }
    }
    db::backup::replace(&src, &a.src, &path, &saved)?;
    drop(src);
    warn_network_fs(&path);
    // The restore itself is audited in the restored file.
    let mut conn = db::open(&path, Mode::ReadWrite)?;
    let tx = conn
        .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
        .map_err(db::DbError::from)?;
    audit::record(
        &tx,
        &audit::Actor::current(),
        &audit::Entry {
            at: &audit::now_utc(),
            action: "restore",
            entity: "database",
            entity_id: "",
            old: Some(serde_json::json!({ "saved_as": saved.display().to_string() })),
            new: Some(serde_json::json!({ "from": a.src.display().to_string() })),
            result: "ok",
        },
    )?;
    db::anchor::commit(tx)?;
    eprintln!(
        "dudao: {} restored from {}; the file it replaced is {}",
        shown(&path),
        shown(&a.src),
        shown(&saved)
    );
    Ok(exit::OK)
}
