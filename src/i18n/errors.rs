//! Why something could not be done, in words: database errors (opening,
//! locks, damage, a tampered file) in either language.

use std::path::Path;

use super::Lang;
use crate::db::{BUSY_TIMEOUT_MS, DbError, Tamper, current_version, opened_path};

/// A database error in the command line's language.
pub fn db_error(e: &DbError) -> String {
    db_error_in(super::lang(), e)
}

/// A database error in `lang`.
pub fn db_error_in(lang: Lang, e: &DbError) -> String {
    match lang {
        Lang::Zh => zh(e),
        Lang::En => en(e),
    }
}

fn p(p: &Path) -> String {
    crate::text::sanitize(&p.display().to_string()).into_owned()
}

fn en(e: &DbError) -> String {
    match e {
        DbError::Missing(x) => format!("{}: no such file (create one with `dudao init` or `dudao demo`)", p(x)),
        DbError::CannotOpen { path, error } => format!("{}: cannot open: {error}", p(path)),
        DbError::NotRegular(x) => format!(
            "{}: not a regular file (a FIFO, socket or device), not a database (left untouched)",
            p(x)
        ),
        DbError::NoFolder(x) => format!("{}: folder does not exist", p(x)),
        DbError::IsDirectory(x) => format!("{}: is a directory, not a database file", p(x)),
        DbError::Empty(x) => format!("{}: empty file, not a dudao database (left untouched)", p(x)),
        DbError::NotSqlite(x) => format!("{}: not an SQLite database (left untouched)", p(x)),
        DbError::Truncated {
            path,
            expected,
            actual,
            detail,
        } => format!(
            "{}: truncated database: its header says {expected} bytes, the file has {actual}, and SQLite's check finds it damaged: {} (left untouched; restore a backup)",
            p(path),
            crate::text::sanitize(detail)
        ),
        DbError::HotJournal(x) => format!(
            "{0}: a write was cut off mid-transaction and its rollback journal ({0}-journal) must be rolled back, which needs write access; a user who can write the file should run `dudao check {0}` once (SQLite then restores the last committed state). Left untouched",
            p(x)
        ),
        DbError::NotDudao(x) => format!("{}: an SQLite database, but not a dudao one (left untouched)", p(x)),
        DbError::TooNew { path, found, supported } => format!(
            "{}: schema version {found} is newer than this dudao understands ({supported}); upgrade dudao (file left untouched)",
            p(path)
        ),
        DbError::NeedsUpgrade { path, found } => format!(
            "{}: schema version {found} needs an upgrade to {}; open it once without --read-only",
            p(path),
            current_version()
        ),
        DbError::Exists(x) => format!("{}: already exists; refusing to overwrite it", p(x)),
        DbError::Corrupt { path, detail } => {
            format!("{}: database is damaged: {detail} (left untouched)", p(path))
        }
        DbError::Damaged(detail) => format!(
            "{}: database is damaged: {} (run `dudao check` on it and restore a backup)",
            opened_path().map(|x| p(&x)).unwrap_or_else(|| "the database".into()),
            crate::text::sanitize(detail)
        ),
        DbError::UpgradeFailed { path, from, detail } => format!(
            "{}: upgrading the schema from version {from} to {} failed: {}; the file was left at version {from} (restore a backup, or report this)",
            p(path),
            current_version(),
            crate::text::sanitize(detail)
        ),
        DbError::BadData(m) => format!("unreadable data: {}", crate::text::sanitize(m)),
        DbError::Busy(Some(who)) => format!(
            "the database is busy: {} is writing to it; nothing was changed, try again",
            crate::text::sanitize(who)
        ),
        DbError::Busy(None) => {
            "the database is busy (another program is writing to it); nothing was changed, try again".to_string()
        }
        DbError::Locked(Some(who)) => format!(
            "the database is locked by {} and could not be read for {} seconds; nothing was changed, try again once it has finished",
            crate::text::sanitize(who),
            BUSY_TIMEOUT_MS / 1000
        ),
        DbError::Locked(None) => format!(
            "the database is locked by another program and could not be read for {} seconds; nothing was changed, try again once it has finished",
            BUSY_TIMEOUT_MS / 1000
        ),
        DbError::Unit { name, could_be } => unit_en(name, could_be),
        DbError::BadId(id) => format!(
            "{}: not an item id (R12-2026-10 or UNIT/2026-10 for a report, M5 a measure, A3 an authority item, G2 a meeting, P1 a milestone)",
            crate::text::sanitize(id)
        ),
        DbError::BadMonth(m) => format!("{}: not a month (write 2026-10)", crate::text::sanitize(m)),
        DbError::QuarterRunning { quarter, ends } => {
            format!("{quarter} has not ended yet (it ends on {ends}); only a finished quarter can be frozen")
        }
        DbError::Invalid(m) => crate::text::sanitize(m).into_owned(),
        DbError::ReadOnly => "the database is open read-only; nothing can be changed".to_string(),
        DbError::Anchor { path, error } => format!(
            "cannot write the audit anchor {}: {error}; nothing was changed",
            p(path)
        ),
        DbError::Tampered { path, what } => format!(
            "{}: {}. The file was changed outside dudao, so nothing more is written to it; nothing was changed. Run `dudao check` on it, and restore a backup once the office has kept this copy as evidence",
            p(path),
            tamper_en(what)
        ),
        DbError::Io(e) => format!("{e}"),
        DbError::Sql(e) => format!("database error: {}", crate::text::sanitize(&e.to_string())),
    }
}

fn tamper_en(t: &Tamper) -> String {
    match t {
        Tamper::Schema(d) => d.to_string(),
        Tamper::RowsMissing { from, to } if from == to => {
            format!("audit row {to} is missing, though the audit anchor saw it committed (rows were cut from the log)")
        }
        Tamper::RowsMissing { from, to } => format!(
            "audit rows {from}–{to} are missing, though the audit anchor saw row {to} committed (rows were cut from the log)"
        ),
        Tamper::RowRewritten { id } => {
            format!("audit row {id} differs from the one the audit anchor saw committed (the log was rewritten)")
        }
    }
}

fn zh(e: &DbError) -> String {
    let p = |p: &std::path::Path| crate::text::sanitize(&p.display().to_string()).into_owned();
    match e {
        DbError::Missing(x) => format!("{}：文件不存在（可用 `dudao init` 或 `dudao demo` 新建）", p(x)),
        DbError::CannotOpen { path, error } => format!("{}：无法打开：{error}", p(path)),
        DbError::NotRegular(x) => format!("{}：不是普通文件（FIFO、套接字或设备），不是数据库（未作改动）", p(x)),
        DbError::Damaged(detail) => format!(
            "{}：数据库已损坏：{}（请对它运行 `dudao check` 并从备份恢复）",
            crate::db::opened_path()
                .map(|x| p(&x))
                .unwrap_or_else(|| "数据库".into()),
            crate::text::sanitize(detail)
        ),
        DbError::UpgradeFailed { path, from, detail } => format!(
            "{}：数据库结构从版本 {from} 升级到 {} 失败：{}；文件仍为版本 {from}（请从备份恢复，或报告此问题）",
            p(path),
            crate::db::current_version(),
            crate::text::sanitize(detail)
        ),
        DbError::Anchor { path, error } => format!("无法写入审计锚点 {}：{error}；未作任何修改", p(path)),
        DbError::Tampered { path, what } => format!(
            "{}：{}。该文件曾在 dudao 之外被改动，不再向其写入任何内容；未作任何修改。请对它运行 `dudao check`，把这份文件留作证据后再从备份恢复",
            p(path),
            tamper_zh(what)
        ),
        DbError::NoFolder(x) => format!("{}：文件夹不存在", p(x)),
        DbError::IsDirectory(x) => format!("{}：是文件夹，不是数据库文件", p(x)),
        DbError::Empty(x) => format!("{}：空文件，不是 dudao 数据库（未作改动）", p(x)),
        DbError::NotSqlite(x) => format!("{}：不是 SQLite 数据库（未作改动）", p(x)),
        DbError::Truncated {
            path,
            expected,
            actual,
            detail,
        } => format!(
            "{}：数据库被截断：文件头记载 {expected} 字节，实际只有 {actual} 字节，SQLite 的检查也发现损坏：{}（未作改动；请从备份恢复）",
            p(path),
            crate::text::sanitize(detail)
        ),
        DbError::HotJournal(x) => format!(
            "{0}：有一次写入在事务中途被打断，其回滚日志（{0}-journal）须先回滚，这需要写权限；请由能写入该文件的用户运行一次 `dudao check {0}`（SQLite 会恢复到最后一次提交的状态）。文件未作改动",
            p(x)
        ),
        DbError::Locked(Some(who)) => format!(
            "数据库被 {} 锁定，{} 秒内无法读取；未作任何修改，请待其结束后重试",
            crate::text::sanitize(who),
            crate::db::BUSY_TIMEOUT_MS / 1000
        ),
        DbError::Locked(None) => format!(
            "数据库被另一程序锁定，{} 秒内无法读取；未作任何修改，请待其结束后重试",
            crate::db::BUSY_TIMEOUT_MS / 1000
        ),
        DbError::NotDudao(x) => format!("{}：是 SQLite 数据库，但不是 dudao 的（未作改动）", p(x)),
        DbError::TooNew { path, found, supported } => format!(
            "{}：数据库结构版本 {found} 比本程序支持的 {supported} 新；请升级 dudao（文件未作改动）",
            p(path)
        ),
        DbError::NeedsUpgrade { path, found } => format!(
            "{}：数据库结构版本 {found} 需要升级到 {}；请不带 --read-only 打开一次",
            p(path),
            crate::db::current_version()
        ),
        DbError::Exists(x) => format!("{}：已存在，不会覆盖", p(x)),
        DbError::Corrupt { path, detail } => format!(
            "{}：数据库已损坏：{}（未作改动）",
            p(path),
            crate::text::sanitize(detail)
        ),
        DbError::Busy(Some(who)) => format!(
            "数据库正忙：{} 正在写入；未作任何修改，请重试",
            crate::text::sanitize(who)
        ),
        DbError::Busy(None) => "数据库正忙（另一程序正在写入）；未作任何修改，请重试".into(),
        DbError::ReadOnly => "数据库以只读方式打开，不能修改".into(),
        DbError::BadData(m) => format!("无法读取的数据：{}", crate::text::sanitize(m)),
        DbError::Sql(x) => format!("数据库错误：{}", crate::text::sanitize(&x.to_string())),
        DbError::Unit { name, could_be } => unit_zh(name, could_be),
        DbError::BadId(id) => format!(
            "{}：不是事项编号（月报写 R12-2026-10 或 单位/2026-10，措施 M5，授权事项 A3，会议 G2，政策节点 P1）",
            crate::text::sanitize(id)
        ),
        DbError::BadMonth(m) => format!("{}：不是月份（写作 2026-10）", crate::text::sanitize(m)),
        DbError::QuarterRunning { quarter, ends } => {
            format!("{quarter} 尚未结束（{ends} 结束）；只能存档已结束的季度")
        }
        DbError::Io(x) => crate::text::sanitize(&x.to_string()).into_owned(),
        other => en(other),
    }
}

/// What a tampered file shows, in Chinese.
fn tamper_zh(t: &crate::db::Tamper) -> String {
    use crate::db::Tamper;
    use crate::db::schema::Difference;
    let c = |s: &str| crate::text::sanitize(s).into_owned();
    match t {
        Tamper::Schema(Difference::Missing { kind, name }) => format!("数据库结构缺少 {kind} {}", c(name)),
        Tamper::Schema(Difference::Changed { kind, name }) => {
            format!("数据库结构中的 {kind} {} 与 dudao 创建的不同", c(name))
        }
        Tamper::Schema(Difference::Foreign { kind, name }) => {
            format!("数据库结构中有不是 dudao 创建的 {kind} {}", c(name))
        }
        Tamper::RowsMissing { from, to } if from == to => {
            format!("审计日志第 {to} 行不见了，而审计锚点记录它已提交（日志被截去）")
        }
        Tamper::RowsMissing { from, to } => {
            format!("审计日志第 {from}–{to} 行不见了，而审计锚点记录第 {to} 行已提交（日志被截去）")
        }
        Tamper::RowRewritten { id } => format!("审计日志第 {id} 行与审计锚点记录的已提交内容不同（日志被改写）"),
    }
}

/// The names a unit name could mean, at most five.
fn candidates(could_be: &[String]) -> String {
    let shown: Vec<&str> = could_be.iter().take(5).map(String::as_str).collect();
    let more = if could_be.len() > 5 { "、…" } else { "" };
    crate::text::sanitize(&format!("{}{more}", shown.join("、"))).into_owned()
}

fn unit_en(name: &str, could_be: &[String]) -> String {
    let n = crate::text::sanitize(name);
    match could_be.len() {
        _ if name.is_empty() => "no unit named".to_string(),
        0 => format!("no unit is called {n:?} (see `dudao export units` for the names)"),
        _ => format!("{n:?} could mean any of: {}", candidates(could_be)),
    }
}

fn unit_zh(name: &str, could_be: &[String]) -> String {
    let n = crate::text::sanitize(name);
    match could_be.len() {
        _ if name.is_empty() => "没有给出单位名称".to_string(),
        0 => format!("没有名为“{n}”的单位（单位名称见 `dudao export units`）"),
        _ => format!("“{n}”可能指：{}", candidates(could_be)),
    }
}
