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
pub mod template;
pub mod tree;

use std::collections::BTreeSet;

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
    /// A 督办编号 that names no task.
    UnknownTask {
        task: String,
    },
    /// The unit is neither the task's lead nor a partner.
    NotOnTask {
        task: String,
    },
    /// The task is closed (销号): no more progress on it.
    TaskClosed {
        task: String,
    },
    DuplicateTask {
        task: String,
    },
    /// Only the lead unit asks to close a task.
    CloseNotLead {
        task: String,
    },
    /// A unit's reporter sent another unit's report.
    NotYourUnit {
        unit: String,
    },
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
            Reason::UnknownTask { .. } => "unknown_task",
            Reason::NotOnTask { .. } => "not_on_task",
            Reason::TaskClosed { .. } => "task_closed",
            Reason::DuplicateTask { .. } => "duplicate_task",
            Reason::CloseNotLead { .. } => "close_not_lead",
            Reason::NotYourUnit { .. } => "not_your_unit",
        }
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
    /// Progress on the unit's 督办 tasks.
    pub tasks: Vec<SubTask>,
}

/// Progress on a 督办 task, reported with the monthly report.
#[derive(Debug, Clone, PartialEq)]
pub struct SubTask {
    pub task_id: i64,
    pub progress: String,
    /// The lead unit asks to close it (申请办结).
    pub close: bool,
}

/// A 督办 task as a file may name it.
#[derive(Debug, Clone, PartialEq)]
pub struct CatTask {
    pub id: i64,
    /// 督办编号.
    pub code: String,
    pub lead: i64,
    pub partners: Vec<i64>,
    pub open: bool,
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
    /// 督办 tasks, for progress reported with a monthly report.
    pub tasks: Vec<CatTask>,
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
