//! `dudao backup` and `dudao restore`.

use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};

use super::msg::pick;
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
            pick(
                format!(
                    "备份 {} 已写出，但未通过 `dudao check`（数据库本身有这些问题；请对它运行 `dudao check`）",
                    shown(&dest)
                ),
                format!(
                    "backup {} written, but it does not pass `dudao check` (the database itself has these problems; run `dudao check` on it)",
                    shown(&dest)
                ),
            ),
        ));
    }
    let anchor_path = db::anchor::path_for(&dest);
    // A database nobody has changed through dudao yet has no anchor to carry.
    let (anchor_zh, anchor_en) = if anchor_path.exists() {
        let a = shown(&anchor_path);
        (format!("锚文件 {a}"), format!("anchor {a}"))
    } else {
        (
            "原库尚无锚文件".to_string(),
            "the database has no anchor yet".to_string(),
        )
    };
    eprintln!(
        "dudao: {}",
        pick(
            format!(
                "备份 {} 已写出并通过检查（审计日志至第 {head} 行，{anchor_zh}）",
                shown(&dest)
            ),
            format!(
                "backup {} written and checked (audit log up to row {head}, {anchor_en})",
                shown(&dest)
            ),
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
            pick(
                format!("{} 未通过 `dudao check`；未作任何恢复", shown(&a.src)),
                format!("{} does not pass `dudao check`; nothing was restored", shown(&a.src)),
            ),
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
            pick(
                format!("{} 已从 {} 恢复（新文件）", shown(&path), shown(&a.src)),
                format!("{} restored from {} (a new file)", shown(&path), shown(&a.src)),
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
            pick(
                format!(
                    "{} 正被 {} 打开；恢复前所有人都须关闭 dudao（未作任何修改）",
                    shown(&path),
                    sanitize(&who.join("、"))
                ),
                format!(
                    "{} is open in {}; everyone must close dudao before a restore (nothing was changed)",
                    shown(&path),
                    sanitize(&who.join(", "))
                ),
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
                pick(
                    "恢复会替换数据库：请在终端上确认，或加 --yes（未作任何修改）",
                    "restore replaces the database: confirm on a terminal, or pass --yes (nothing was changed)",
                ),
            ));
        }
        let row = head.as_ref().map(|h| h.0).unwrap_or(0);
        eprint!(
            "{}",
            pick(
                format!(
                    "用备份 {}（审计日志至第 {row} 行）替换 {}？\n现有文件将保留为 {}。\n输入 yes 确认恢复：",
                    shown(&a.src),
                    shown(&path),
                    shown(&saved)
                ),
                format!(
                    "Replace {} with the backup {} (audit log up to row {row})?\nThe current file is kept as {}.\nType yes to restore: ",
                    shown(&path),
                    shown(&a.src),
                    shown(&saved)
                ),
            )
        );
        let _ = std::io::stderr().flush();
        let mut answer = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut answer)
            .map_err(|e| fail(exit::FAILURE, e.to_string()))?;
        if answer.trim() != "yes" {
            eprintln!("dudao: {}", pick("未作任何修改", "nothing was changed"));
            return Ok(exit::FAILURE);
        }
    }
    db::backup::replace(&src, &a.src, &path, &saved)?;
    drop(src);
    audit_restore(&path, &a.src, Some(&saved))?;
    eprintln!(
        "dudao: {}",
        pick(
            format!(
                "{} 已从 {} 恢复；被替换的文件保留为 {}",
                shown(&path),
                shown(&a.src),
                shown(&saved)
            ),
            format!(
                "{} restored from {}; the file it replaced is {}",
                shown(&path),
                shown(&a.src),
                shown(&saved)
            ),
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
