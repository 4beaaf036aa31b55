//! A report document's fields, read from a [`Node`] tree (TOML or JSON) or
//! from a form, and checked against the catalog. Reading and checking are
//! separate so a report typed by hand goes through the same checks as a
//! file: a location is a byte offset in a file, or a field's index in a form.

use super::tree::{Node, Val};
use super::{Body, Catalog, Reason, ReportBody, SubItem, Submission, Value};
use crate::domain::{Month, Progress, TargetKind};

/// Where a value came from: a byte offset in the text, or a form field.
pub type Loc = usize;

/// A value with its location.
#[derive(Debug, Clone, PartialEq)]
pub struct At<T> {
    pub v: T,
    pub at: Loc,
}

impl<T> At<T> {
    pub fn new(v: T, at: Loc) -> At<T> {
        At { v, at }
    }
}

/// A scalar as written: a number or a text (a number may come quoted).
#[derive(Debug, Clone, PartialEq)]
pub enum Scalar {
    Num(f64),
    Text(String),
}

/// One progress entry as written.
#[derive(Debug, Clone, PartialEq)]
pub struct RawItem {
    pub article: At<Scalar>,
    pub status: At<String>,
    pub progress: At<String>,
    pub difficulties: Option<At<String>>,
    pub next_steps: Option<At<String>>,
}

/// One indicator value as written.
#[derive(Debug, Clone, PartialEq)]
pub struct RawValue {
    pub indicator: At<String>,
    pub value: At<Scalar>,
}

/// Progress on a 督办 task as written.
#[derive(Debug, Clone, PartialEq)]
pub struct RawTask {
    /// Its 督办编号 (or `D7`).
    pub task: At<String>,
    pub progress: At<String>,
    /// `close = true`: the lead unit asks to close it.
    pub close: Option<At<bool>>,
}

/// A report as written, before it is checked.
#[derive(Debug, Clone, PartialEq)]
pub struct RawReport {
    pub unit: At<String>,
    pub month: At<String>,
    pub summary: At<String>,
    pub contact_name: Option<At<String>>,
    pub contact_phone: Option<At<String>>,
    pub progress: Vec<RawItem>,
    pub indicators: Vec<RawValue>,
    pub tasks: Vec<RawTask>,
}

/// An indicator table as written (CSV): one unit, one month, values.
#[derive(Debug, Clone, PartialEq)]
pub struct RawIndicators {
    pub unit: At<String>,
    pub month: At<String>,
    pub values: Vec<RawValue>,
}

/// A refusal before line and column are known.
pub type Fail = (Reason, Loc);

const TOP: &[&str] = &[
    "format",
    "unit",
    "month",
    "summary",
    "contact",
    "progress",
    "indicators",
    "tasks",
];
const CONTACT: &[&str] = &["name", "phone"];
const ITEM: &[&str] = &["article", "status", "progress", "difficulties", "next_steps"];
const VALUE: &[&str] = &["indicator", "value"];
const TASK: &[&str] = &["task", "progress", "close"];

/// The fields of a table, refusing keys it does not know.
struct Table<'a> {
    entries: &'a [(String, std::ops::Range<usize>, Node)],
    at: Loc,
    path: String,
}

fn table<'a>(n: &'a Node, path: &str, known: &[&str]) -> Result<Table<'a>, Fail> {
    let Val::Obj(entries) = &n.val else {
        return Err((
            Reason::WrongType {
                field: if path.is_empty() {
                    "(document)".into()
                } else {
                    path.into()
                },
                expected: "table".into(),
                found: n.val.type_name().into(),
            },
            n.at.start,
        ));
    };
    for (k, kat, _) in entries {
        if !known.contains(&k.as_str()) {
            return Err((
                Reason::UnknownField {
                    field: join(path, k),
                    suggest: suggest(k, known),
                },
                kat.start,
            ));
        }
    }
    Ok(Table {
        entries,
        at: n.at.start,
        path: path.to_string(),
    })
}

fn join(path: &str, k: &str) -> String {
    if path.is_empty() {
        k.to_string()
    } else {
        format!("{path}.{k}")
    }
}

/// The known key closest to a misspelt one (at most two edits away).
fn suggest(k: &str, known: &[&str]) -> Option<String> {
    let lower = k.to_lowercase();
    known
        .iter()
        .map(|c| (edits(&lower, c), *c))
        .filter(|(d, _)| *d <= 2)
        .min()
        .map(|(_, c)| c.to_string())
}

fn edits(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != cb)).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

impl<'a> Table<'a> {
    fn get(&self, k: &str) -> Option<&'a Node> {
        self.entries
            .iter()
            .find(|(key, _, v)| key == k && v.val != Val::Null)
            .map(|(_, _, v)| v)
    }

    fn missing(&self, k: &str) -> Fail {
        (
            Reason::Missing {
                field: join(&self.path, k),
            },
            self.at,
        )
    }

    fn wrong(&self, k: &str, n: &Node, expected: &str) -> Fail {
        (
            Reason::WrongType {
                field: join(&self.path, k),
                expected: expected.into(),
                found: n.val.type_name().into(),
            },
            n.at.start,
        )
    }

    fn text(&self, k: &str) -> Result<Option<At<String>>, Fail> {
        match self.get(k) {
            None => Ok(None),
            Some(n) => match &n.val {
                Val::Str(s) => Ok(Some(At::new(s.clone(), n.at.start))),
                Val::Date(d) => Ok(Some(At::new(d.clone(), n.at.start))),
                _ => Err(self.wrong(k, n, "string")),
            },
        }
    }

    fn req_text(&self, k: &str) -> Result<At<String>, Fail> {
        self.text(k)?.ok_or_else(|| self.missing(k))
    }

    fn scalar(&self, k: &str) -> Result<At<Scalar>, Fail> {
        let n = self.get(k).ok_or_else(|| self.missing(k))?;
        match &n.val {
            Val::Int(i) => Ok(At::new(Scalar::Num(*i as f64), n.at.start)),
            Val::Float(f) => Ok(At::new(Scalar::Num(*f), n.at.start)),
            Val::Str(s) => Ok(At::new(Scalar::Text(s.clone()), n.at.start)),
            _ => Err(self.wrong(k, n, "number")),
        }
    }

    fn boolean(&self, k: &str) -> Result<Option<At<bool>>, Fail> {
        match self.get(k) {
            None => Ok(None),
            Some(n) => match &n.val {
                Val::Bool(b) => Ok(Some(At::new(*b, n.at.start))),
                Val::Str(s) if matches!(s.trim(), "是" | "true") => Ok(Some(At::new(true, n.at.start))),
                Val::Str(s) if matches!(s.trim(), "否" | "false" | "") => Ok(Some(At::new(false, n.at.start))),
                _ => Err(self.wrong(k, n, "true or false")),
            },
        }
    }

    fn list(&self, k: &str) -> Result<&'a [Node], Fail> {
        match self.get(k) {
            None => Ok(&[]),
            Some(n) => match &n.val {
                Val::Arr(a) => Ok(a),
                _ => Err(self.wrong(k, n, "array of tables")),
            },
        }
    }
}

/// Reads a report document's fields (no checks against the catalog yet).
pub fn read_report(root: &Node) -> Result<RawReport, Fail> {
    let t = table(root, "", TOP)?;
    let contact = match t.get("contact") {
        Some(c) => Some(table(c, "contact", CONTACT)?),
        None => None,
    };
    let mut progress = Vec::new();
    for (i, n) in t.list("progress")?.iter().enumerate() {
        let it = table(n, &format!("progress[{}]", i + 1), ITEM)?;
        progress.push(RawItem {
            article: it.scalar("article")?,
            status: it.req_text("status")?,
            progress: it.req_text("progress")?,
            difficulties: it.text("difficulties")?,
            next_steps: it.text("next_steps")?,
        });
    }
    let mut indicators = Vec::new();
    for (i, n) in t.list("indicators")?.iter().enumerate() {
        let it = table(n, &format!("indicators[{}]", i + 1), VALUE)?;
        indicators.push(RawValue {
            indicator: it.req_text("indicator")?,
            value: it.scalar("value")?,
        });
    }
    let mut tasks = Vec::new();
    for (i, n) in t.list("tasks")?.iter().enumerate() {
        let it = table(n, &format!("tasks[{}]", i + 1), TASK)?;
        tasks.push(RawTask {
            task: it.req_text("task")?,
            progress: it.req_text("progress")?,
            close: it.boolean("close")?,
        });
    }
    if let Some(f) = t.get("format")
        && !matches!(&f.val, Val::Str(s) if s.starts_with("dudao-report"))
    {
        return Err((
            Reason::WrongType {
                field: "format".into(),
                expected: "\"dudao-report/1\"".into(),
                found: f.val.type_name().into(),
            },
            f.at.start,
        ));
    }
    Ok(RawReport {
        unit: t.req_text("unit")?,
        month: t.req_text("month")?,
        summary: t.req_text("summary")?,
        contact_name: contact.as_ref().map(|c| c.text("name")).transpose()?.flatten(),
        contact_phone: contact.as_ref().map(|c| c.text("phone")).transpose()?.flatten(),
        progress,
        indicators,
        tasks,
    })
}

// ---------------------------------------------------------------- checks

/// Longest summary, in characters.
pub const MAX_SUMMARY: usize = 4000;
/// Longest progress, difficulties or next-steps text.
pub const MAX_TEXT: usize = 2000;
/// Longest contact name or phone.
pub const MAX_CONTACT: usize = 40;

/// Checks a report against the catalog: the unit sends reports, the month
/// is in the schedule, articles and indicators exist (once each), statuses
/// and numbers read, texts fit.
pub fn check_report(raw: &RawReport, cat: &Catalog) -> Result<Submission, Fail> {
    let (unit_id, unit) = check_unit(&raw.unit, cat)?;
    let month = check_month(&raw.month, cat)?;
    let summary = check_text(&raw.summary, "summary", MAX_SUMMARY, true)?;
    let contact_name = match &raw.contact_name {
        Some(n) => check_text(n, "contact.name", MAX_CONTACT, false)?,
        None => String::new(),
    };
    let contact_phone = match &raw.contact_phone {
        Some(p) => check_phone(p)?,
        None => String::new(),
    };
    let mut items: Vec<SubItem> = Vec::new();
    for (i, it) in raw.progress.iter().enumerate() {
        let path = |f: &str| format!("progress[{}].{f}", i + 1);
        let article = check_article(&it.article, cat)?;
        if items.iter().any(|x| x.article_no == article) {
            return Err((Reason::DuplicateArticle { article }, it.article.at));
        }
        items.push(SubItem {
            article_no: article,
            status: check_status(&it.status)?,
            progress: check_text(&it.progress, &path("progress"), MAX_TEXT, true)?,
            difficulties: match &it.difficulties {
                Some(d) => check_text(d, &path("difficulties"), MAX_TEXT, false)?,
                None => String::new(),
            },
            next_steps: match &it.next_steps {
                Some(d) => check_text(d, &path("next_steps"), MAX_TEXT, false)?,
                None => String::new(),
            },
        });
    }
    let values = check_values(&raw.indicators, cat)?;
    let tasks = check_tasks(&raw.tasks, unit_id, cat)?;
    Ok(Submission {
        unit_id,
        unit,
        month,
        body: Body::Report(ReportBody {
            summary,
            contact_name,
            contact_phone,
            items,
            values,
            tasks,
        }),
    })
}

/// Checks progress on 督办 tasks: each names an open task of the unit
/// (lead or partner), once; only the lead asks to close.
fn check_tasks(raw: &[RawTask], unit_id: i64, cat: &Catalog) -> Result<Vec<super::SubTask>, Fail> {
    let mut out: Vec<super::SubTask> = Vec::new();
    for (i, t) in raw.iter().enumerate() {
        let name = t.task.v.trim();
        let by_id = name.strip_prefix(['D', 'd']).and_then(|n| n.parse::<i64>().ok());
        let found = cat.tasks.iter().find(|c| c.code == name || by_id == Some(c.id));
        let Some(c) = found else {
            return Err((Reason::UnknownTask { task: t.task.v.clone() }, t.task.at));
        };
        if c.lead != unit_id && !c.partners.contains(&unit_id) {
            return Err((Reason::NotOnTask { task: c.code.clone() }, t.task.at));
        }
        if !c.open {
            return Err((Reason::TaskClosed { task: c.code.clone() }, t.task.at));
        }
        if out.iter().any(|x| x.task_id == c.id) {
            return Err((Reason::DuplicateTask { task: c.code.clone() }, t.task.at));
        }
        let close = t.close.as_ref().is_some_and(|b| b.v);
        // Left empty and not closing: nothing reported on it this month.
        if t.progress.v.trim().is_empty() && !close {
            continue;
        }
        if close && c.lead != unit_id {
            return Err((
                Reason::CloseNotLead { task: c.code.clone() },
                t.close.as_ref().map_or(t.task.at, |b| b.at),
            ));
        }
        out.push(super::SubTask {
            task_id: c.id,
            progress: check_text(&t.progress, &format!("tasks[{}].progress", i + 1), MAX_TEXT, false)?,
            close,
        });
    }
    Ok(out)
}

/// Checks an indicator table.
pub fn check_indicators(raw: &RawIndicators, cat: &Catalog) -> Result<Submission, Fail> {
    let (unit_id, unit) = check_unit(&raw.unit, cat)?;
    let month = check_month(&raw.month, cat)?;
    let values = check_values(&raw.values, cat)?;
    Ok(Submission {
        unit_id,
        unit,
        month,
        body: Body::Indicators(values),
    })
}

fn check_values(raw: &[RawValue], cat: &Catalog) -> Result<Vec<Value>, Fail> {
    let mut out: Vec<Value> = Vec::new();
    for v in raw {
        // An empty value (`value = ""`, an empty cell) is not reported this month.
        if matches!(&v.value.v, Scalar::Text(t) if t.trim().is_empty()) {
            continue;
        }
        let name = v.indicator.v.trim();
        let Some(t) = cat.target(name) else {
            return Err((
                Reason::UnknownIndicator {
                    name: v.indicator.v.clone(),
                },
                v.indicator.at,
            ));
        };
        if out.iter().any(|x| x.code == t.code) {
            return Err((
                Reason::DuplicateIndicator {
                    name: v.indicator.v.clone(),
                },
                v.indicator.at,
            ));
        }
        let n = number(&v.value.v).ok_or_else(|| {
            (
                Reason::BadNumber {
                    text: scalar_text(&v.value.v),
                },
                v.value.at,
            )
        })?;
        if n < 0.0 && t.kind != TargetKind::GrowthRate {
            return Err((
                Reason::NegativeValue {
                    name: t.name.clone(),
                    text: scalar_text(&v.value.v),
                },
                v.value.at,
            ));
        }
        out.push(Value {
            code: t.code.clone(),
            value: n,
        });
    }
    Ok(out)
}

fn scalar_text(s: &Scalar) -> String {
    match s {
        Scalar::Num(n) => n.to_string(),
        Scalar::Text(t) => t.clone(),
    }
}

/// A number as written: plain, quoted, with full-width digits, thousands
/// separators or a trailing `%`. Not NaN or infinite.
pub fn number(s: &Scalar) -> Option<f64> {
    let n = match s {
        Scalar::Num(n) => *n,
        Scalar::Text(t) => {
            let t: String = t
                .trim()
                .chars()
                .map(|c| match c {
                    '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
                    '．' => '.',
                    '－' => '-',
                    '％' => '%',
                    c => c,
                })
                .filter(|c| *c != ',' && *c != '，')
                .collect();
            let t = t.strip_suffix('%').unwrap_or(&t).trim();
            if t.is_empty()
                || !t
                    .bytes()
                    .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'+' | b'e' | b'E'))
            {
                return None;
            }
            t.parse().ok()?
        }
    };
    n.is_finite().then_some(n)
}

fn check_unit(u: &At<String>, cat: &Catalog) -> Result<(i64, String), Fail> {
    if let Some(c) = u.v.chars().find(|c| crate::text::is_invisible(*c)) {
        return Err((
            Reason::InvisibleInUnit {
                name: u.v.clone(),
                char_code: c as u32,
            },
            u.at,
        ));
    }
    match cat.unit(&u.v) {
        None => Err((Reason::UnknownUnit { name: u.v.clone() }, u.at)),
        Some(x) if !x.reporting => Err((
            Reason::NotReporting {
                name: x.full_name.clone(),
            },
            u.at,
        )),
        Some(x) => Ok((x.id, x.full_name.clone())),
    }
}

/// Reads `2026-10`, `2026/10`, `2026.10`, `202610`, `2026年10月` (and a
/// TOML date's month).
pub fn parse_month(t: &str) -> Option<Month> {
    let t = t.trim();
    let t = t.strip_suffix('月').unwrap_or(t);
    let digits: String = t
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            c => c,
        })
        .collect();
    let (y, m) = if let Some((y, rest)) = digits.split_once(['-', '/', '.', '年']) {
        // A date (`2026-10-01`) counts as its month.
        let m = rest.split(['-', '/', '.']).next().unwrap_or("");
        (y, m)
    } else if digits.len() == 6 {
        digits.split_at(4)
    } else {
        return None;
    };
    if y.len() != 4 || m.is_empty() || m.len() > 2 || !(y.bytes().chain(m.bytes())).all(|b| b.is_ascii_digit()) {
        return None;
    }
    Month::new(y.parse().ok()?, m.parse().ok()?)
}

fn check_month(m: &At<String>, cat: &Catalog) -> Result<Month, Fail> {
    let Some(month) = parse_month(&m.v) else {
        return Err((Reason::BadMonth { text: m.v.clone() }, m.at));
    };
    let early = cat.first.is_some_and(|f| month < f);
    if early || month > cat.last {
        return Err((
            Reason::MonthOutside {
                month: month.to_string(),
                first: cat.first.map(|f| f.to_string()).unwrap_or_default(),
                last: cat.last.to_string(),
            },
            m.at,
        ));
    }
    Ok(month)
}

fn check_article(a: &At<Scalar>, cat: &Catalog) -> Result<i64, Fail> {
    let n = match &a.v {
        Scalar::Num(n) if n.fract() == 0.0 && n.abs() < 1e9 => Some(*n as i64),
        Scalar::Num(_) => None,
        Scalar::Text(t) => {
            let t = t.trim();
            let t = t.strip_prefix('第').unwrap_or(t);
            let t = t.strip_suffix('条').unwrap_or(t).trim();
            t.parse::<i64>().ok()
        }
    };
    match n {
        Some(n) if cat.articles.contains(&n) => Ok(n),
        Some(n) => Err((Reason::UnknownArticle { article: n.to_string() }, a.at)),
        None => Err((
            Reason::UnknownArticle {
                article: scalar_text(&a.v),
            },
            a.at,
        )),
    }
}

/// A status by its Chinese label or code.
pub fn parse_status(t: &str) -> Option<Progress> {
    match t.trim().to_lowercase().as_str() {
        "正常" | "进展正常" | "on_track" | "on track" | "normal" => Some(Progress::OnTrack),
        "滞后" | "lagging" | "late" | "behind" => Some(Progress::Lagging),
        "完成" | "已完成" | "done" | "completed" => Some(Progress::Done),
        _ => None,
    }
}

fn check_status(s: &At<String>) -> Result<Progress, Fail> {
    parse_status(&s.v).ok_or_else(|| (Reason::BadStatus { text: s.v.clone() }, s.at))
}

/// A text as sent (kept exactly; it is sanitized wherever it is shown),
/// trimmed at the ends, not empty when `required`, at most `max` characters.
fn check_text(t: &At<String>, field: &str, max: usize, required: bool) -> Result<String, Fail> {
    let v = t.v.trim();
    if required && v.is_empty() {
        return Err((Reason::Missing { field: field.into() }, t.at));
    }
    if v.chars().count() > max {
        return Err((
            Reason::TooLong {
                field: field.into(),
                max,
            },
            t.at,
        ));
    }
    Ok(v.to_string())
}

fn check_phone(p: &At<String>) -> Result<String, Fail> {
    let v = p.v.trim();
    let ok = v.chars().count() <= MAX_CONTACT
        && v.chars().filter(|c| c.is_ascii_digit()).count() >= 3
        && v.chars()
            .all(|c| c.is_ascii_digit() || " -+()（）转xX,，、/".contains(c));
    if v.is_empty() || ok {
        Ok(v.to_string())
    } else {
        Err((Reason::BadPhone { text: p.v.clone() }, p.at))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_in_the_ways_people_write_them() {
        for t in [
            "2026-10",
            "2026/10",
            "2026.10",
            "202610",
            "2026年10月",
            "2026-10-01",
            "２０２６-１０",
        ] {
            assert_eq!(parse_month(t), Month::new(2026, 10), "{t}");
        }
        for t in ["2026-13", "26-10", "2026", "October", "2026-1a", ""] {
            assert_eq!(parse_month(t), None, "{t}");
        }
    }

    #[test]
    fn numbers_in_the_ways_people_write_them() {
        let t = |s: &str| number(&Scalar::Text(s.into()));
        assert_eq!(t("12.5"), Some(12.5));
        assert_eq!(t(" 1,234 "), Some(1234.0));
        assert_eq!(t("１２．５"), Some(12.5));
        assert_eq!(t("12%"), Some(12.0));
        for bad in ["", "abc", "12 亿", "NaN", "inf", "1e999", "--1"] {
            assert_eq!(t(bad), None, "{bad}");
        }
        assert_eq!(number(&Scalar::Num(f64::NAN)), None);
    }

    #[test]
    fn misspelt_keys_get_a_suggestion() {
        assert_eq!(suggest("sumary", TOP).as_deref(), Some("summary"));
        assert_eq!(suggest("Month", TOP).as_deref(), Some("month"));
        assert_eq!(suggest("zzzzzz", TOP), None);
    }
}
