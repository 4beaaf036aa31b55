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
            crate::i18n::fill(crate::i18n::cli().backup_written_but_does, &[&shown(&dest)]),
        ));
    }
    let anchor_path = db::anchor::path_for(&dest);
    // A database nobody has changed through dudao yet has no anchor to carry.
    let anchor = if anchor_path.exists() {
        crate::i18n::fill(crate::i18n::cli().anchor_file, &[&shown(&anchor_path)])
    } else {
        crate::i18n::cli().no_anchor_yet.to_string()
    };
    eprintln!(
        "dudao: {}",
        crate::i18n::fill(
            crate::i18n::cli().backup_written_checked_audit,
            &[&shown(&dest), &head, &anchor]
        )
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
            crate::i18n::fill(crate::i18n::cli().does_not_pass_dudao, &[&shown(&a.src)]),
        ));
    }
    // Onto a new machine: nothing is replaced, nothing to confirm.
    if std::fs::symlink_metadata(&path).is_err() {
        let src = db::open(&a.src, Mode::ReadOnly)?;
        db::backup::copy_to(&src, &a.src, &path)?;
        drop(src);
        audit_restore(&path, &a.src, None)?;
        eprintln!(
            "dudao: {}",
            crate::i18n::fill(
                crate::i18n::cli().restored_from_new_file,
                &[&shown(&path), &shown(&a.src)]
            )
        );
        return Ok(exit::OK);
    }
    // The database replaced must be a dudao database too (never a typo).
    drop(db::open(&path, Mode::ReadOnly)?);
    let others = db::lock::openers(&path);
    if !others.is_empty() {
        let who: Vec<String> = others.iter().map(|h| h.to_string()).collect();
        return Err(fail(
            exit::FAILURE,
            crate::i18n::fill(
                crate::i18n::cli().open_everyone_must_close,
                &[&shown(&path), &sanitize(&who.join(crate::i18n::cli().list_sep))],
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
                crate::i18n::cli().restore_replaces_database_confirm.to_string(),
            ));
        }
        let row = head.as_ref().map(|h| h.0).unwrap_or(0);
        eprint!(
            "{}",
            crate::i18n::fill(
                crate::i18n::cli().replace_with_backup_audit,
                &[&shown(&path), &shown(&a.src), &row, &shown(&saved)]
            )
        );
        let _ = std::io::stderr().flush();
        let mut answer = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut answer)
            .map_err(|e| fail(exit::FAILURE, e.to_string()))?;
        if answer.trim() != "yes" {
            eprintln!("dudao: {}", crate::i18n::cli().nothing_changed);
            return Ok(exit::FAILURE);
        }
    }
    db::backup::replace(&src, &a.src, &path, &saved)?;
    drop(src);
    audit_restore(&path, &a.src, Some(&saved))?;
    eprintln!(
        "dudao: {}",
        crate::i18n::fill(
            crate::i18n::cli().restored_from_file_replaced,
            &[&shown(&path), &shown(&a.src), &shown(&saved)]
        )
    );
    Ok(exit::OK)
}

/// The restore itself, audited in the restored file.
fn audit_restore(path: &Path, src: &Path, saved: Option<&Path>) -> Result<(), Failure> {
    warn_network_fs(path);
    let mut conn = db::open(path, Mode::ReadWrite)?;
    db::write_tx(&mut conn, |tx| {
        audit::record(
            tx,
            &audit::Actor::current(),
            &audit::Entry {
                at: &audit::now_utc(),
                action: "restore",
                entity: "database",
                entity_id: "",
                old: saved.map(|s| serde_json::json!({ "saved_as": s.display().to_string() })),
                new: Some(serde_json::json!({ "from": src.display().to_string() })),
                result: "ok",
            },
        )
    })?;
    Ok(())
}
