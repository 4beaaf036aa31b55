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

/// The bundled 督办单 template. Fields: `{grade}`, `{code}`, `{unit}`,
/// `{origin}`, `{title}`, `{text}`, `{partners}`, `{due}`, `{status}`,
/// `{ask}`, `{copy}`, `{office}`, `{contact}`, `{date}`.
pub const TASK_TEMPLATE: &str = include_str!("../assets/task-notice-template.txt");

/// A 督办单 about `t`, graded: the deadline, how far it is or how late,
/// what is asked at this grade, and a copy to the 分管领导 when yellow or
/// red (the line is left out otherwise, or when the task names none, as is
/// the contact line when the office has none).
pub fn task_notice(
    t: &crate::db::tasks::Task,
    grade: crate::domain::task::Grade,
    days_left: i64,
    office: &Office,
    date: chrono::NaiveDate,
    working_days: bool,
) -> String {
    use crate::domain::task::{Grade, TaskSource};
    let unit_word = if working_days { "个工作日" } else { "天" };
    let status = match days_left {
        d if d < 0 => format!("已逾期 {} {unit_word}", -d),
        0 => "今天到期".to_string(),
        d => format!("距办结时限还有 {d} {unit_word}"),
    };
    let ask = match grade {
        Grade::Blue => "办结时限临近，请按时办结。",
        Grade::Yellow => "办理进度滞后，请加快推进，确保按时办结。",
        Grade::Red => "请立即办理，说明逾期原因和拟办结时间。",
    };
    let origin = match t.source {
        TaskSource::Office => "领导小组办公室督办立项".to_string(),
        _ if t.origin.is_empty() => "领导小组工作安排".to_string(),
        TaskSource::Decision => format!("{}议定", t.origin),
        TaskSource::Instruction => t.origin.clone(),
    };
    let partners = if t.partners.is_empty() {
        "无".to_string()
    } else {
        t.partner_names.join("、")
    };
    let copy = if matches!(grade, Grade::Yellow | Grade::Red) {
        t.leader.trim().to_string()
    } else {
        String::new()
    };
    let mut template = TASK_TEMPLATE.to_string();
    if copy.is_empty() {
        template = without_line_of(&template, "{copy}");
    }
    if office.contact.trim().is_empty() {
        template = without_line_of(&template, "{contact}");
    }
    let fields = [
        ("{grade}", grade.zh().to_string()),
        ("{code}", t.code.clone()),
        ("{unit}", t.lead_name.clone()),
        ("{origin}", origin),
        ("{title}", t.title.clone()),
        ("{text}", t.text.clone()),
        ("{partners}", partners),
        ("{due}", t.due.to_string()),
        ("{status}", status),
        ("{ask}", ask.to_string()),
        ("{copy}", copy),
        ("{office}", office.name.clone()),
        ("{contact}", office.contact.trim().to_string()),
        ("{date}", date.format("%Y年%m月%d日").to_string()),
    ];
    let mut out = template;
    for (k, v) in fields {
        out = out.replace(k, &sanitize(&v));
    }
    out
}

/// A notice as Markdown: its first line the title, the rest as paragraphs
/// (for the Markdown and Word forms).
pub fn as_markdown(text: &str) -> String {
    let mut lines = text.lines();
    let title = lines.next().unwrap_or("").trim();
    let mut out = format!("# {}\n", crate::text::md_inline(title));
    for l in lines {
        let l = l.trim();
        if l.is_empty() {
            out.push('\n');
        } else {
            out.push_str(&crate::text::md_inline(l));
            out.push_str("\n\n");
        }
    }
    out
}
