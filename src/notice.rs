//! 催办通知单: the written notice a reminder can be, filled from the
//! template in `assets/notice-template.txt` with the item, its unit, its due
//! date and how late it is, and the office's name and contact.

use crate::db::alerts::{AlertRow, AlertSource};
use crate::domain::ItemKey;
use crate::text::sanitize;

/// The bundled template. Fields: `{id}`, `{unit}`, `{item}`, `{due}`,
/// `{status}`, `{office}`, `{contact}`, `{date}`.
pub const TEMPLATE: &str = include_str!("../assets/notice-template.txt");

/// Who sends notices.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Office {
    pub name: String,
    /// Contact person and phone, as printed on notices.
    pub contact: String,
    /// Where the console saves notices.
    pub notices_dir: std::path::PathBuf,
}

/// The units a notice about `r` is addressed to, by full name; `None` for
/// the office's own items (meetings, milestones), which get no notice.
pub fn addressee(r: &AlertRow) -> Option<&str> {
    match r.source {
        AlertSource::Meeting | AlertSource::Milestone => None,
        _ => Some(&r.search),
    }
}

/// What is owed, for the notice's 事项 line: a returned report is owed again
/// (the month's report, returned, and why); anything else is `item`.
fn owed(r: &AlertRow, item: &str) -> String {
    match (r.source, r.key) {
        (AlertSource::Resubmission, ItemKey::Report { month, .. }) => {
            let reason = if r.reason.trim().is_empty() {
                String::new()
            } else {
                format!("；退回原因：{}", r.reason.trim())
            };
            format!("{}年{}月月报（已退回，请修改后重报{reason}）", month.year, month.month)
        }
        _ => item.to_string(),
    }
}

/// The notice about one alert, on `date`. `item` names it in words (the
/// console and command line title it in the user's language); every value
/// is sanitized. The units are named in full ([`addressee`]); with no
/// office contact configured, the template's line holding `{contact}` is
/// left out (callers warn that it is missing).
pub fn fill(
    template: &str,
    r: &AlertRow,
    item: &str,
    office: &Office,
    date: chrono::NaiveDate,
    working_days: bool,
) -> String {
    let unit_word = if working_days { "个工作日" } else { "天" };
    let status = match r.days_left {
        d if d < 0 => format!("已逾期 {} {unit_word}", -d),
        0 => "今天到期".to_string(),
        d => format!("将于 {d} {unit_word}后到期"),
    };
    let contact = office.contact.trim();
    let template = if contact.is_empty() {
        without_line_of(template, "{contact}")
    } else {
        template.to_string()
    };
    let fields = [
        ("{id}", r.key.to_string()),
        ("{unit}", addressee(r).unwrap_or(&r.unit).to_string()),
        ("{item}", owed(r, item)),
        ("{due}", r.due.to_string()),
        ("{status}", status),
        ("{office}", office.name.clone()),
        ("{contact}", contact.to_string()),
        ("{date}", date.format("%Y年%m月%d日").to_string()),
    ];
    let mut out = template;
    for (k, v) in fields {
        out = out.replace(k, &sanitize(&v));
    }
    out
}

/// `template` without the line holding `field`, and without the blank line
/// that set it apart.
fn without_line_of(template: &str, field: &str) -> String {
    let lines: Vec<&str> = template.split('\n').collect();
    let Some(at) = lines.iter().position(|l| l.contains(field)) else {
        return template.to_string();
    };
    let blank = |i: usize| lines.get(i).is_some_and(|l| l.trim().is_empty());
    let (from, to) = if at > 0 && blank(at - 1) && blank(at + 1) {
        (at - 1, at)
    } else {
        (at, at)
    };
    lines
        .iter()
        .enumerate()
        .filter(|(i, _)| *i < from || *i > to)
        .map(|(_, l)| *l)
        .collect::<Vec<_>>()
        .join("\n")
}

/// The warning for a notice made without a contact line.
pub const NO_CONTACT: &str =
    "office_contact is not set in the configuration; the notice has no contact line (联系人及电话)";

/// Saves a notice as `<dir>/<ID>-<date>.txt` (never over an earlier one:
/// `-2`, `-3`… are added); returns the path.
pub fn save(
    dir: &std::path::Path,
    r: &AlertRow,
    date: chrono::NaiveDate,
    text: &str,
) -> std::io::Result<std::path::PathBuf> {
    use std::io::Write;
    std::fs::create_dir_all(dir)?;
    for n in 1..1000 {
        let name = if n == 1 {
            format!("{}-{date}.txt", r.key)
        } else {
            format!("{}-{date}-{n}.txt", r.key)
        };
        let path = dir.join(name);
        match std::fs::OpenOptions::new().write(true).create_new(true).open(&path) {
            Ok(mut f) => {
                f.write_all(text.as_bytes())?;
                return Ok(path);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
    Err(std::io::Error::other("too many notices of one item on one day"))
}
