//! 催办通知单: the written notice a reminder can be, filled from the
//! template in `assets/notice-template.txt` with the item, its unit, its due
//! date and how late it is, and the office's name and contact.

use crate::db::alerts::AlertRow;
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

/// The notice about one alert, on `date`. `item` names it in words (the
/// console and command line title it in the user's language); every value
/// is sanitized.
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
    let contact = if office.contact.trim().is_empty() {
        "（请在配置文件的 office_contact 中填写）".to_string()
    } else {
        office.contact.clone()
    };
    let fields = [
        ("{id}", r.key.to_string()),
        ("{unit}", r.unit.clone()),
        ("{item}", item.to_string()),
        ("{due}", r.due.to_string()),
        ("{status}", status),
        ("{office}", office.name.clone()),
        ("{contact}", contact),
        ("{date}", date.format("%Y年%m月%d日").to_string()),
    ];
    let mut out = template.to_string();
    for (k, v) in fields {
        out = out.replace(k, &sanitize(&v));
    }
    out
}

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
