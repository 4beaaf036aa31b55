//! Monthly reports arriving as files (article 19's 月报制度): reading an
//! untrusted file safely, parsing it (TOML, JSON, or a CSV indicator
//! table), checking it against the catalog, and the drop folder with its
//! `processed/` and `quarantine/` folders. Storing a checked report is the
//! write path's job ([`crate::ops::intake`]).
//!
//! The rules (RELIABILITY.md): regular files only, a size cap, the type
//! from the content, strict UTF-8 or GB18030 (never lossy), the whole file
//! checked before anything is written, then one transaction; the SHA-256 of
//! the bytes makes a second import of the same file a no-op; a refused file
//! goes to quarantine with a sidecar stating why, and nothing is deleted.

pub mod csvdoc;
pub mod decode;
pub mod doc;
pub mod folder;
pub mod template;
pub mod tree;

use std::collections::BTreeSet;
use std::fmt;

use serde::{Deserialize, Serialize};

pub use decode::Encoding;

use crate::domain::{Month, Progress, TargetKind};

/// Files larger than this are refused (a report is a few kilobytes).
pub const MAX_FILE_BYTES: u64 = 1024 * 1024;

/// Why a file (or a typed report) was refused.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum Reason {
    /// A directory, symbolic link, FIFO, device or socket.
    NotRegular {
        kind: String,
    },
    TooLarge {
        size: u64,
        max: u64,
    },
    Unreadable {
        error: String,
    },
    Empty,
    /// A Word, Excel, PDF, image or other binary file.
    NotText {
        kind: String,
    },
    BadEncoding,
    Syntax {
        format: String,
        message: String,
    },
    Missing {
        field: String,
    },
    UnknownField {
        field: String,
        suggest: Option<String>,
    },
    WrongType {
        field: String,
        expected: String,
        found: String,
    },
    UnknownUnit {
        name: String,
    },
    /// A unit name with a zero-width character, which could pose as another unit.
    InvisibleInUnit {
        name: String,
        char_code: u32,
    },
    NotReporting {
        name: String,
    },
    BadMonth {
        text: String,
    },
    MonthOutside {
        month: String,
        first: String,
        last: String,
    },
    UnknownArticle {
        article: String,
    },
    DuplicateArticle {
        article: i64,
    },
    BadStatus {
        text: String,
    },
    UnknownIndicator {
        name: String,
    },
    DuplicateIndicator {
        name: String,
    },
    BadNumber {
        text: String,
    },
    NegativeValue {
        name: String,
        text: String,
    },
    TooLong {
        field: String,
        max: usize,
    },
    BadPhone {
        text: String,
    },
    CsvHeader {
        found: String,
    },
    CsvColumns {
        expected: usize,
        found: usize,
    },
    CsvMixed {
        field: String,
    },
    CsvNoRows,
}

impl Reason {
    /// The short code stored with the refusal.
    pub fn code(&self) -> &'static str {
        match self {
            Reason::NotRegular { .. } => "not_regular",
            Reason::TooLarge { .. } => "too_large",
            Reason::Unreadable { .. } => "unreadable",
            Reason::Empty => "empty",
            Reason::NotText { .. } => "not_text",
            Reason::BadEncoding => "bad_encoding",
            Reason::Syntax { .. } => "syntax",
            Reason::Missing { .. } => "missing",
            Reason::UnknownField { .. } => "unknown_field",
            Reason::WrongType { .. } => "wrong_type",
            Reason::UnknownUnit { .. } => "unknown_unit",
            Reason::InvisibleInUnit { .. } => "invisible_in_unit",
            Reason::NotReporting { .. } => "not_reporting",
            Reason::BadMonth { .. } => "bad_month",
            Reason::MonthOutside { .. } => "month_outside",
            Reason::UnknownArticle { .. } => "unknown_article",
            Reason::DuplicateArticle { .. } => "duplicate_article",
            Reason::BadStatus { .. } => "bad_status",
            Reason::UnknownIndicator { .. } => "unknown_indicator",
            Reason::DuplicateIndicator { .. } => "duplicate_indicator",
            Reason::BadNumber { .. } => "bad_number",
            Reason::NegativeValue { .. } => "negative_value",
            Reason::TooLong { .. } => "too_long",
            Reason::BadPhone { .. } => "bad_phone",
            Reason::CsvHeader { .. } => "csv_header",
            Reason::CsvColumns { .. } => "csv_columns",
            Reason::CsvMixed { .. } => "csv_mixed",
            Reason::CsvNoRows => "csv_no_rows",
        }
    }

    /// The reason in words, in Chinese (`zh`) or English. Text from the
    /// file inside it is not sanitized here; printers sanitize.
    pub fn text(&self, zh: bool) -> String {
        let kind_zh = |k: &str| match k {
            "directory" => "目录",
            "symlink" => "符号链接",
            "fifo" => "命名管道",
            "device" => "设备文件",
            "socket" => "套接字",
            "zip" => "ZIP 压缩包（Word .docx / Excel .xlsx？）",
            "pdf" => "PDF 文件",
            "ole" => "旧版 Word/Excel 文件（.doc/.xls）",
            "image" => "图片",
            "gzip" | "archive" => "压缩包",
            "rtf" => "RTF 文档",
            _ => "二进制文件",
        };
        let kind_en = |k: &str| match k {
            "zip" => "a ZIP file — a Word .docx or Excel .xlsx?".to_string(),
            "pdf" => "a PDF file".to_string(),
            "ole" => "an old Word or Excel file (.doc/.xls)".to_string(),
            "image" => "an image".to_string(),
            "gzip" | "archive" => "an archive".to_string(),
            "rtf" => "an RTF document".to_string(),
            "binary" => "binary data".to_string(),
            k => format!("a {k}"),
        };
        match (self, zh) {
            (Reason::NotRegular { kind }, true) => format!("不是普通文件（是{}）", kind_zh(kind)),
            (Reason::NotRegular { kind }, false) => format!("not a regular file ({})", kind_en(kind)),
            (Reason::TooLarge { size, max }, true) => format!("文件过大（{size} 字节，上限 {max}）"),
            (Reason::TooLarge { size, max }, false) => format!("too large ({size} bytes, at most {max})"),
            (Reason::Unreadable { error }, true) => format!("无法读取：{error}"),
            (Reason::Unreadable { error }, false) => format!("cannot be read: {error}"),
            (Reason::Empty, true) => "文件为空".into(),
            (Reason::Empty, false) => "the file is empty".into(),
            (Reason::NotText { kind }, true) => {
                format!(
                    "不是文本月报（像是{}）；请按模板另存为 TOML、JSON 或 CSV",
                    kind_zh(kind)
                )
            }
            (Reason::NotText { kind }, false) => format!(
                "not a text report: it looks like {}; save it as TOML, JSON or CSV as in the template",
                kind_en(kind)
            ),
            (Reason::BadEncoding, true) => "编码无效：既不是 UTF-8 也不是 GB18030".into(),
            (Reason::BadEncoding, false) => "invalid bytes: neither UTF-8 nor GB18030".into(),
            (Reason::Syntax { format, message }, true) => format!("{format} 格式错误：{message}"),
            (Reason::Syntax { format, message }, false) => format!("{format} syntax: {message}"),
            (Reason::Missing { field }, true) => format!("缺少必填项 {field}"),
            (Reason::Missing { field }, false) => format!("required field {field} is missing or empty"),
            (Reason::UnknownField { field, suggest }, true) => match suggest {
                Some(s) => format!("未知字段 {field}（是否应为 {s}？）"),
                None => format!("未知字段 {field}"),
            },
            (Reason::UnknownField { field, suggest }, false) => match suggest {
                Some(s) => format!("unknown field {field} (did you mean {s}?)"),
                None => format!("unknown field {field}"),
            },
            (Reason::WrongType { field, expected, found }, true) => {
                format!("{field} 应为{}，实为{}", type_zh(expected), type_zh(found))
            }
            (Reason::WrongType { field, expected, found }, false) => {
                format!("{field}: expected {expected}, found {found}")
            }
            (Reason::UnknownUnit { name }, true) => format!("未知单位“{name}”"),
            (Reason::UnknownUnit { name }, false) => format!("unknown unit {name:?}"),
            (Reason::InvisibleInUnit { name, char_code }, true) => {
                format!("单位名“{name}”含不可见字符 U+{char_code:04X}（可冒充其他单位）")
            }
            (Reason::InvisibleInUnit { name, char_code }, false) => format!(
                "unit name {name:?} contains the invisible character U+{char_code:04X} (it could pose as another unit)"
            ),
            (Reason::NotReporting { name }, true) => format!("{name} 不报送月报"),
            (Reason::NotReporting { name }, false) => format!("{name} sends no monthly reports"),
            (Reason::BadMonth { text }, true) => format!("月份“{text}”无法识别（应如 2026-10）"),
            (Reason::BadMonth { text }, false) => format!("month {text:?} is not a month (write 2026-10)"),
            (Reason::MonthOutside { month, first, last }, true) => {
                format!("{month} 不在报送期内（{first} 至 {last}）")
            }
            (Reason::MonthOutside { month, first, last }, false) => {
                format!("{month} is outside the reporting schedule ({first} to {last})")
            }
            (Reason::UnknownArticle { article }, true) => format!("政策中没有第 {article} 条"),
            (Reason::UnknownArticle { article }, false) => format!("the policy has no article {article}"),
            (Reason::DuplicateArticle { article }, true) => format!("第 {article} 条出现了两次"),
            (Reason::DuplicateArticle { article }, false) => format!("article {article} appears twice"),
            (Reason::BadStatus { text }, true) => format!("状态“{text}”无效（应为 正常、滞后 或 完成）"),
            (Reason::BadStatus { text }, false) => {
                format!("status {text:?} is not one of 正常 (on_track), 滞后 (lagging), 完成 (done)")
            }
            (Reason::UnknownIndicator { name }, true) => format!("未知指标“{name}”（见目标任务）"),
            (Reason::UnknownIndicator { name }, false) => {
                format!("unknown indicator {name:?} (see the targets)")
            }
            (Reason::DuplicateIndicator { name }, true) => format!("指标“{name}”出现了两次"),
            (Reason::DuplicateIndicator { name }, false) => format!("indicator {name:?} appears twice"),
            (Reason::BadNumber { text }, true) => format!("“{text}”不是数值"),
            (Reason::BadNumber { text }, false) => format!("{text:?} is not a number"),
            (Reason::NegativeValue { name, text }, true) => format!("{name} 不能为负数（{text}）"),
            (Reason::NegativeValue { name, text }, false) => format!("{name} cannot be negative ({text})"),
            (Reason::TooLong { field, max }, true) => format!("{field} 过长（最多 {max} 字）"),
            (Reason::TooLong { field, max }, false) => format!("{field} is too long (at most {max} characters)"),
            (Reason::BadPhone { text }, true) => format!("电话“{text}”无效"),
            (Reason::BadPhone { text }, false) => format!("phone {text:?} is not a phone number"),
            (Reason::CsvHeader { found }, true) => {
                format!("表头中有未知列“{found}”（应为 单位,月份,指标,数值）")
            }
            (Reason::CsvHeader { found }, false) => {
                format!("unknown column {found:?} in the header (expected unit,month,indicator,value)")
            }
            (Reason::CsvColumns { expected, found }, true) => format!("该行有 {found} 列，表头有 {expected} 列"),
            (Reason::CsvColumns { expected, found }, false) => {
                format!("the row has {found} columns, the header {expected}")
            }
            (Reason::CsvMixed { field }, true) => format!("一个指标表只能是一个单位一个月（{field} 不一致）"),
            (Reason::CsvMixed { field }, false) => {
                format!("an indicator table is for one unit and one month ({field} differs)")
            }
            (Reason::CsvNoRows, true) => "指标表没有数据行".into(),
            (Reason::CsvNoRows, false) => "the indicator table has no rows with a value".into(),
        }
    }
}

/// A value type's name in Chinese.
fn type_zh(t: &str) -> &str {
    match t {
        "string" => "文本",
        "number" => "数值",
        "integer" => "整数",
        "boolean" => "布尔值",
        "null" => "空值",
        "date" => "日期",
        "array" => "数组",
        "array of tables" => "表数组（[[…]]）",
        "table" => "表",
        t => t,
    }
}

/// A refusal and where in the file it was found (1-based line, column in characters).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Refusal {
    pub reason: Reason,
    pub line: Option<usize>,
    pub col: Option<usize>,
}

impl Refusal {
    pub fn new(reason: Reason) -> Refusal {
        Refusal {
            reason,
            line: None,
            col: None,
        }
    }

    /// The refusal at byte offset `at` of `text`.
    pub fn at(reason: Reason, text: &str, at: usize) -> Refusal {
        let (line, col) = line_col(text, at);
        Refusal {
            reason,
            line: Some(line),
            col: Some(col),
        }
    }

    /// The reason with its place, in Chinese or English.
    pub fn text(&self, zh: bool) -> String {
        match (self.line, self.col, zh) {
            (Some(l), Some(c), true) => format!("第 {l} 行第 {c} 列：{}", self.reason.text(true)),
            (Some(l), Some(c), false) => format!("line {l}, column {c}: {}", self.reason.text(false)),
            _ => self.reason.text(zh),
        }
    }
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text(false))
    }
}

/// 1-based line and column (in characters) of byte offset `at` in `text`.
pub fn line_col(text: &str, at: usize) -> (usize, usize) {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
    (line, before[start..].chars().count() + 1)
}

/// What a file was written as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Toml,
    Json,
    Csv,
}

impl Format {
    pub fn code(self) -> &'static str {
        match self {
            Format::Toml => "toml",
            Format::Json => "json",
            Format::Csv => "csv",
        }
    }

    /// The format of a text, from its content (not its name).
    pub fn sniff(text: &str) -> Format {
        let t = text.trim_start();
        if t.starts_with('{') || t.starts_with('[') && !t.starts_with("[[") && !looks_like_toml_header(t) {
            Format::Json
        } else if csvdoc::looks_like_csv(text) {
            Format::Csv
        } else {
            Format::Toml
        }
    }
}

/// `[contact]` at the top of a TOML file, not a JSON array.
fn looks_like_toml_header(t: &str) -> bool {
    let line = t.lines().next().unwrap_or("");
    let inner = line.trim().trim_start_matches('[').trim_end_matches(']');
    line.trim().ends_with(']')
        && !inner.is_empty()
        && inner.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '.')
}

// ---------------------------------------------------------------- checked reports

/// One checked progress entry.
#[derive(Debug, Clone, PartialEq)]
pub struct SubItem {
    pub article_no: i64,
    pub status: Progress,
    pub progress: String,
    pub difficulties: String,
    pub next_steps: String,
}

/// One checked indicator value.
#[derive(Debug, Clone, PartialEq)]
pub struct Value {
    pub code: String,
    pub value: f64,
}

/// A report's content.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportBody {
    pub summary: String,
    pub contact_name: String,
    pub contact_phone: String,
    pub items: Vec<SubItem>,
    pub values: Vec<Value>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Body {
    /// A monthly report: becomes a report version.
    Report(ReportBody),
    /// An indicator table (CSV): values for the unit and month.
    Indicators(Vec<Value>),
}

/// A checked submission for one unit and month.
#[derive(Debug, Clone, PartialEq)]
pub struct Submission {
    pub unit_id: i64,
    /// The unit's full name.
    pub unit: String,
    pub month: Month,
    pub body: Body,
}

/// A unit as a file may name it.
#[derive(Debug, Clone, PartialEq)]
pub struct CatUnit {
    pub id: i64,
    pub full_name: String,
    /// Name, short name, full name and aliases.
    pub names: Vec<String>,
    pub reporting: bool,
}

/// An indicator as a file may name it.
#[derive(Debug, Clone, PartialEq)]
pub struct CatTarget {
    pub code: String,
    pub name: String,
    pub kind: TargetKind,
    pub unit: String,
    pub reporter: Option<i64>,
}

/// What a report is checked against: the database's units, articles and
/// targets, and the months reports are expected for.
#[derive(Debug, Clone, PartialEq)]
pub struct Catalog {
    pub units: Vec<CatUnit>,
    pub articles: BTreeSet<i64>,
    pub targets: Vec<CatTarget>,
    /// The first month of the schedule (`reporting_start`), if set.
    pub first: Option<Month>,
    /// The last month a report may be for: the current one.
    pub last: Month,
}

/// Names compared the way people type them: trimmed, full-width
/// parentheses and spaces as ASCII.
fn fold(s: &str) -> String {
    s.trim()
        .chars()
        .filter_map(|c| match c {
            '（' => Some('('),
            '）' => Some(')'),
            '\u{3000}' | ' ' => None,
            c => Some(c),
        })
        .collect()
}

impl Catalog {
    /// The unit called exactly `name` (any of its names; reporting units first).
    pub fn unit(&self, name: &str) -> Option<&CatUnit> {
        let n = fold(name);
        if n.is_empty() {
            return None;
        }
        let mut hits = self.units.iter().filter(|u| u.names.iter().any(|x| fold(x) == n));
        let first = hits.next()?;
        if first.reporting {
            return Some(first);
        }
        Some(hits.find(|u| u.reporting).unwrap_or(first))
    }

    /// The target named `name` (its code or its name).
    pub fn target(&self, name: &str) -> Option<&CatTarget> {
        let n = fold(name);
        self.targets.iter().find(|t| t.code == n || fold(&t.name) == n)
    }
}

/// A parsed and checked file.
#[derive(Debug, Clone, PartialEq)]
pub struct Parsed {
    pub submission: Submission,
    pub format: Format,
    pub encoding: Encoding,
}

/// Decodes, parses and checks a file's bytes. Any input gives a result or
/// a refusal; the refusal carries the encoding when the text was decoded.
pub fn parse(bytes: &[u8], cat: &Catalog) -> Result<Parsed, (Refusal, Option<Encoding>, Option<Format>)> {
    let (text, encoding) = decode::decode(bytes).map_err(|r| (r, None, None))?;
    let format = Format::sniff(&text);
    let fail = |r: Refusal| (r, Some(encoding), Some(format));
    let syntax = |e: tree::SyntaxError| {
        fail(Refusal::at(
            Reason::Syntax {
                format: format.code().to_uppercase(),
                message: e.message,
            },
            &text,
            e.at,
        ))
    };
    let at = |(reason, loc): doc::Fail| fail(Refusal::at(reason, &text, loc));
    let submission = match format {
        Format::Csv => {
            let raw = csvdoc::read(&text).map_err(|e| match e {
                Ok(f) => at(f),
                Err(s) => syntax(s),
            })?;
            doc::check_indicators(&raw, cat).map_err(at)?
        }
        Format::Json | Format::Toml => {
            let root = if format == Format::Json {
                tree::json(&text)
            } else {
                tree::toml(&text)
            }
            .map_err(syntax)?;
            let raw = doc::read_report(&root).map_err(at)?;
            doc::check_report(&raw, cat).map_err(at)?
        }
    };
    Ok(Parsed {
        submission,
        format,
        encoding,
    })
}

#[cfg(test)]
mod tests;
