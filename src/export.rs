//! Views of the database out as csv, json, markdown or an aligned table.
//! Rows stream from SQLite to the writer; only `table` needs them all at once.

use std::io::Write;

use rusqlite::Connection;
use rusqlite::types::ValueRef;

use crate::db::Result;
use crate::text::{fit, one_line, sanitize, width};

/// Output formats of `export` and the other listing commands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Aligned columns for reading in a terminal.
    Table,
    /// RFC 4180 CSV, safe against spreadsheet formula injection.
    Csv,
    /// An array of objects.
    Json,
    /// A Markdown table.
    Md,
}

/// The views `dudao export` knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum View {
    /// The policy's articles with their lead and partner units.
    Articles,
    /// Every unit, with kind, aliases and collective members.
    Units,
    /// Division of labour: one row per article, unit and role.
    Matrix,
    /// Measures (tasks) with owners, due dates and status.
    Measures,
    /// The 2025 targets with the latest reported value.
    Targets,
    /// Received monthly reports (every version), with working days late and whether on time.
    Reports,
    /// On-time reporting per unit over the last twelve months due.
    Ontime,
    /// Delegated-authority checklist items.
    Authority,
    /// Open dated items due within the blue threshold or overdue (as `dudao alerts`).
    Alerts,
    /// Last month's reports not received and past due.
    Missing,
    /// 督办 tasks: 督办编号, origin, units, deadline, state, requests.
    Tasks,
    /// The leading group's meetings with attendance and 议定事项.
    Meetings,
}

/// The query behind a view (`None`: the view is computed, not queried).
fn table(view: View) -> Option<crate::db::export::Table> {
    use crate::db::export::Table;
    Some(match view {
        View::Articles => Table::Articles,
        View::Units => Table::Units,
        View::Matrix => Table::Matrix,
        View::Measures => Table::Measures,
        View::Targets => Table::Targets,
        View::Reports => Table::Reports,
        View::Authority => Table::Authority,
        View::Tasks => Table::Tasks,
        View::Meetings => Table::Meetings,
        View::Ontime | View::Alerts | View::Missing => return None,
    })
}

/// A cell value in the output.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Null,
    Int(i64),
    Real(f64),
    Text(String),
}

impl Cell {
    fn from(v: ValueRef) -> Cell {
        match v {
            ValueRef::Null => Cell::Null,
            ValueRef::Integer(i) => Cell::Int(i),
            ValueRef::Real(f) => Cell::Real(f),
            ValueRef::Text(t) => Cell::Text(sanitize(&String::from_utf8_lossy(t)).into_owned()),
            ValueRef::Blob(_) => Cell::Text("<blob>".into()),
        }
    }

    /// A text cell (sanitized here).
    pub fn text(s: impl AsRef<str>) -> Cell {
        Cell::Text(sanitize(s.as_ref()).into_owned())
    }

    /// A text cell, or null when `None`.
    pub fn opt(s: Option<impl AsRef<str>>) -> Cell {
        s.map(Cell::text).unwrap_or(Cell::Null)
    }

    fn plain(&self) -> String {
        match self {
            Cell::Null => String::new(),
            Cell::Int(i) => i.to_string(),
            Cell::Real(f) => fmt_real(*f),
            Cell::Text(t) => t.clone(),
        }
    }

    fn json(&self) -> serde_json::Value {
        match self {
            Cell::Null => serde_json::Value::Null,
            Cell::Int(i) => (*i).into(),
            Cell::Real(f) => serde_json::Number::from_f64(*f)
                .map(Into::into)
                .unwrap_or(serde_json::Value::Null),
            Cell::Text(t) => t.clone().into(),
        }
    }
}

fn fmt_real(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        format!("{f}")
    }
}

/// One CSV field: quoted when needed; control, bidi and zero-width
/// characters of a text cell made visible; a text cell that a spreadsheet
/// would read as a formula gets a leading `'`.
pub fn csv_field(s: &str, numeric: bool) -> String {
    let mut s = if numeric {
        s.to_string()
    } else {
        crate::text::sanitize(s).into_owned()
    };
    if !numeric && formula_like(&s) {
        s.insert(0, '\'');
    }
    if s.contains([',', '"', '\n', '\r']) || s.starts_with(' ') || s.ends_with(' ') {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

/// A text cell as [`csv_field`] writes it, without a copy when it needs
/// no quoting, no neutralising and no sanitizing (most cells).
fn write_csv_text(out: &mut dyn Write, t: &str) -> std::io::Result<()> {
    let plain = !t.is_empty()
        && !t.contains([',', '"', '\n', '\r'])
        && !t.starts_with(' ')
        && !t.ends_with(' ')
        && !formula_like(t)
        && matches!(crate::text::sanitize(t), std::borrow::Cow::Borrowed(_));
    if plain {
        out.write_all(t.as_bytes())
    } else {
        out.write_all(csv_field(t, false).as_bytes())
    }
}

/// Whether a spreadsheet could take the cell for a formula: it starts with
/// a tab, CR or newline, or its first visible character (after spaces,
/// full-width spaces included) is `= + - @` or their full-width forms.
fn formula_like(s: &str) -> bool {
    if s.starts_with(['\t', '\r', '\n']) {
        return true;
    }
    s.trim_start_matches(|c: char| c.is_whitespace() || crate::text::is_invisible(c))
        .starts_with(['=', '+', '-', '@', '＝', '＋', '－', '＠'])
}

fn md_escape(s: &str) -> String {
    crate::text::md_inline(s)
}

/// Writes rows in one format as they come; only `table` keeps them until
/// the end, to align the columns.
pub struct Writer<'a> {
    format: Format,
    out: &'a mut dyn Write,
    /// JSON keys (stable, English).
    keys: Vec<String>,
    /// Column headings for table and Markdown (in the reader's language).
    heads: Vec<String>,
    rows: usize,
    table: Vec<Vec<String>>,
}

impl<'a> Writer<'a> {
    /// Starts the output: `keys` name the columns for CSV and JSON, `heads`
    /// (same length) for the table and Markdown.
    pub fn begin(
        format: Format,
        out: &'a mut dyn Write,
        keys: Vec<String>,
        heads: Vec<String>,
    ) -> std::io::Result<Writer<'a>> {
        let w = Writer {
            format,
            out,
            keys,
            heads,
            rows: 0,
            table: Vec::new(),
        };
        match format {
            Format::Csv => writeln!(
                w.out,
                "{}",
                w.keys.iter().map(|c| csv_field(c, false)).collect::<Vec<_>>().join(",")
            )?,
            Format::Json => write!(w.out, "[")?,
            Format::Md => {
                writeln!(
                    w.out,
                    "| {} |",
                    w.heads.iter().map(|h| md_escape(h)).collect::<Vec<_>>().join(" | ")
                )?;
                writeln!(w.out, "|{}", "---|".repeat(w.heads.len()))?;
            }
            Format::Table => {}
        }
        Ok(w)
    }

    pub fn row(&mut self, cells: &[Cell]) -> std::io::Result<()> {
        match self.format {
            Format::Csv => {
                // Written field by field: a million rows must not cost a
                // million joined lines.
                for (i, c) in cells.iter().enumerate() {
                    if i > 0 {
                        self.out.write_all(b",")?;
                    }
                    match c {
                        Cell::Null => {}
                        Cell::Int(n) => write!(self.out, "{n}")?,
                        Cell::Real(_) => self.out.write_all(csv_field(&c.plain(), true).as_bytes())?,
                        Cell::Text(t) => write_csv_text(self.out, t)?,
                    }
                }
                self.out.write_all(b"\n")?;
            }
            Format::Json => {
                let mut obj = serde_json::Map::new();
                for (k, c) in self.keys.iter().zip(cells) {
                    obj.insert(k.clone(), c.json());
                }
                let sep = if self.rows == 0 { "\n" } else { ",\n" };
                write!(self.out, "{sep}  {}", serde_json::Value::Object(obj))?;
            }
            Format::Md => {
                let line: Vec<String> = cells.iter().map(|c| md_escape(&c.plain())).collect();
                writeln!(self.out, "| {} |", line.join(" | "))?;
            }
            Format::Table => self.table.push(cells.iter().map(|c| one_line(&c.plain())).collect()),
        }
        self.rows += 1;
        Ok(())
    }

    pub fn finish(self) -> std::io::Result<()> {
        match self.format {
            Format::Json => writeln!(self.out, "{}]", if self.rows == 0 { "" } else { "\n" }),
            Format::Table => write_table(self.out, &self.heads, &self.table),
            _ => Ok(()),
        }
    }
}

/// Writes one view in one format.
/// What some views need besides the database: the working-day calendar
/// and today.
#[derive(Debug, Clone)]
pub struct Env {
    pub calendar: crate::domain::deadline::Calendar,
    pub today: chrono::NaiveDate,
    /// Chinese column names and labels (table and Markdown with the zh
    /// interface); CSV and JSON keep English keys and codes.
    pub chinese: bool,
}

pub fn export(conn: &Connection, view: View, format: Format, out: &mut dyn Write, env: &Env) -> Result<()> {
    if matches!(view, View::Alerts | View::Missing) {
        return Err(crate::db::DbError::Invalid(format!(
            "{view:?}: written by the command line"
        )));
    }
    if view == View::Ontime {
        return ontime(conn, format, out, env);
    }
    let Some(table) = table(view) else {
        return Ok(());
    };
    let io = crate::db::DbError::Io;
    let human = env.chinese && matches!(format, Format::Table | Format::Md);
    let cols = crate::db::export::columns(conn, table)?;
    let heads: Vec<String> = if human {
        cols.iter().map(|c| labels::head(c).unwrap_or(c).to_string()).collect()
    } else {
        cols.clone()
    };
    let mut w = Writer::begin(format, out, cols.clone(), heads).map_err(io)?;
    crate::db::export::stream(conn, table, |values| {
        let mut cells: Vec<Cell> = values.iter().map(|v| Cell::from(*v)).collect();
        if view == View::Reports {
            timeliness(&mut cells, &env.calendar);
        }
        if human {
            for (c, cell) in cols.iter().zip(cells.iter_mut()) {
                if let Cell::Text(t) = cell
                    && let Some(l) = labels::value(view, c, t)
                {
                    *t = l.to_string();
                }
            }
        }
        w.row(&cells).map_err(io)
    })?;
    w.finish().map_err(io)?;
    Ok(())
}

/// A report row's due date rolled to a working day, its working days late
/// and whether it came on time (columns 4, 6 and 7).
fn timeliness(cells: &mut [Cell], cal: &crate::domain::deadline::Calendar) {
    let day = |c: &Cell| match c {
        Cell::Text(t) => crate::db::row::day(t),
        _ => None,
    };
    let (Some(due), Some(received)) = (day(&cells[4]), day(&cells[5])) else {
        return;
    };
    let due = cal.roll_forward(due);
    let late = (-cal.days_left(received, due)).max(0);
    cells[4] = Cell::Text(due.to_string());
    cells[6] = Cell::Int(late);
    cells[7] = Cell::Text(if late == 0 { "yes" } else { "no" }.into());
}

/// Per reporting unit, the twelve months due up to last month: reports
/// counted, on time, late, missing, and the on-time rate.
fn ontime(conn: &Connection, format: Format, out: &mut dyn Write, env: &Env) -> Result<()> {
    use crate::db::inbox::{months_rows, on_time};
    use crate::domain::{InboxStatus, Month};
    let last = Month::of(env.today).prev();
    let first = crate::db::reporting_start(conn)?.unwrap_or(last);
    let mut months = Vec::new();
    let mut m = last;
    while months.len() < 12 && m >= first {
        months.push(m);
        m = m.prev();
    }
    months.reverse();
    let due_day = crate::db::reports::due_day(conn)?;
    let rows = months_rows(conn, &months, due_day, &env.calendar, env.today)?;
    let cols: Vec<String> = ["unit", "from", "to", "counted", "on_time", "late", "missing", "rate"]
        .iter()
        .map(|c| c.to_string())
        .collect();
    let io = crate::db::DbError::Io;
    let heads: Vec<String> = if env.chinese && matches!(format, Format::Table | Format::Md) {
        cols.iter().map(|c| labels::head(c).unwrap_or(c).to_string()).collect()
    } else {
        cols.clone()
    };
    let mut w = Writer::begin(format, out, cols, heads).map_err(io)?;
    let units = rows.last().map(Vec::len).unwrap_or(0);
    for u in 0..units {
        let of_unit: Vec<&crate::db::inbox::InboxRow> = rows.iter().filter_map(|m| m.get(u)).collect();
        let counted = of_unit.iter().filter(|r| on_time(r).is_some()).count();
        let ok = of_unit.iter().filter(|r| on_time(r) == Some(true)).count();
        let missing = of_unit.iter().filter(|r| r.status == InboxStatus::Missing).count();
        let late = counted - ok - missing;
        let rate = (ok * 1000 + counted / 2).checked_div(counted).map(|p| p as f64 / 10.0);
        w.row(&[
            Cell::text(of_unit[0].unit()),
            Cell::text(months.first().map(|m| m.to_string()).unwrap_or_default()),
            Cell::text(months.last().map(|m| m.to_string()).unwrap_or_default()),
            Cell::Int(counted as i64),
            Cell::Int(ok as i64),
            Cell::Int(late as i64),
            Cell::Int(missing as i64),
            rate.map(Cell::Real).unwrap_or(Cell::Null),
        ])
        .map_err(io)?;
    }
    w.finish().map_err(io)?;
    Ok(())
}

/// Aligned columns (double-width aware); long cells are cut at 40 columns.
pub fn write_table(out: &mut dyn Write, cols: &[String], data: &[Vec<String>]) -> std::io::Result<()> {
    const MAX: usize = 40;
    let widths: Vec<usize> = (0..cols.len())
        .map(|i| {
            data.iter()
                .map(|r| width(&r[i]))
                .chain([width(&cols[i])])
                .max()
                .unwrap_or(0)
                .min(MAX)
        })
        .collect();
    let line = |cells: &[String]| -> String {
        let parts: Vec<String> = cells.iter().zip(&widths).map(|(c, w)| fit(c, *w)).collect();
        parts.join("  ").trim_end().to_string()
    };
    writeln!(out, "{}", line(cols))?;
    for r in data {
        writeln!(out, "{}", line(r))?;
    }
    Ok(())
}

/// "What does this unit owe?": the articles it is named in, with its role,
/// status and open measures (`dudao export matrix --unit U`).
pub fn unit_focus(
    out: &mut dyn Write,
    format: Format,
    unit: &str,
    rows: &[crate::db::matrix::FocusRow],
    s: &crate::i18n::Strings,
    human: bool,
) -> std::io::Result<()> {
    let keys = [
        "unit",
        "article_no",
        "title",
        "role",
        "via",
        "status",
        "open_measures",
        "measures",
    ];
    let heads = [
        s.col_unit,
        s.col_article,
        s.article_title,
        s.col_role,
        s.via,
        s.col_status,
        s.open_measures,
        s.col_measure,
    ];
    let mut w = Writer::begin(
        format,
        out,
        keys.iter().map(|k| k.to_string()).collect(),
        heads.iter().map(|k| k.to_string()).collect(),
    )?;
    for r in rows {
        let (role, status) = if human {
            (s.role_long(r.role).to_string(), s.cell_status(r.status).to_string())
        } else {
            (r.role.code().to_string(), cell_code(r.status).to_string())
        };
        let measures: Vec<String> = r
            .open_measures
            .iter()
            .map(|(id, text, due)| match due {
                Some(d) => format!("M{id} {text}（{d}）"),
                None => format!("M{id} {text}"),
            })
            .collect();
        w.row(&[
            Cell::text(unit),
            Cell::Int(r.article_no),
            Cell::text(&r.title),
            Cell::Text(role),
            Cell::opt(r.via.as_deref()),
            Cell::Text(status),
            Cell::Int(r.open_measures.len() as i64),
            Cell::text(measures.join("；")),
        ])?;
    }
    w.finish()
}

/// A cell status's stable code.
pub fn cell_code(c: crate::db::matrix::CellStatus) -> &'static str {
    use crate::db::matrix::CellStatus as C;
    match c {
        C::OnTrack => "on_track",
        C::Lagging => "lagging",
        C::Done => "done",
        C::NotReported => "not_reported",
        C::Collective => "collective",
        C::NotLoaded => "not_loaded",
    }
}

/// Chinese column names and value labels of the views (the words of the
/// console), for people reading a table or Markdown.
mod labels {
    use super::View;
    use crate::domain::{
        AuthorityDomain, AuthorityLevel, AuthorityStatus, MeasureStatus, ReportStatus, Role, TargetKind, UnitKind,
    };
    use crate::i18n::ZH;

    pub fn head(key: &str) -> Option<&'static str> {
        Some(match key {
            "article_no" => "条",
            "section" => "部分",
            "section_title" => "部分标题",
            "title" | "article_title" => "标题",
            "lead" => "牵头单位",
            "partner" => "配合单位",
            "body" => "正文",
            "id" => "编号",
            "name" => "名称",
            "short_name" => "简称",
            "full_name" => "全称",
            "kind" => "类别",
            "reporting" => "报送月报",
            "aliases" => "别名",
            "members" => "成员单位",
            "note" => "备注",
            "unit" => "单位",
            "role" => "分工",
            "via" => "所属集合",
            "ord" => "序号",
            "text" => "措施",
            "owners" => "责任单位",
            "due_date" => "到期日",
            "status" => "状态",
            "done_date" => "办结日",
            "extensions" => "延期次数",
            "code" => "代码",
            "comparator" => "比较",
            "target" => "2025年目标",
            "deadline" => "期限",
            "reporter" => "报数单位",
            "latest" => "最新值",
            "latest_period" => "最新月份",
            "month" => "月份",
            "version_no" => "版本",
            "received_at" => "收到时间",
            "days_late" => "迟报工作日",
            "on_time" => "按时",
            "from" => "起",
            "to" => "止",
            "counted" => "应报",
            "late" => "迟报",
            "missing" => "未报",
            "rate" => "按时率（%）",
            "summary" => "摘要",
            "return_reason" => "退回原因",
            "resubmit_by" => "重报期限",
            "source" => "来源",
            "contact_name" => "联系人",
            "contact_phone" => "联系电话",
            "file" => "文件",
            "zone" => "高新区",
            "domain" => "领域",
            "level" => "层级",
            "grantor" => "下放部门",
            "doc_no" => "文号",
            "proposed_date" => "拟下放日期",
            "approved_date" => "批准日期",
            "delegated_date" => "下放日期",
            _ => return None,
        })
    }

    /// The label of a stored code in `view`'s column `key`.
    pub fn value(view: View, key: &str, v: &str) -> Option<&'static str> {
        let s = &ZH;
        match (view, key) {
            (View::Authority, "status") => AuthorityStatus::from_code(v).map(|x| s.authority(x)),
            (View::Authority, "domain") => AuthorityDomain::from_code(v).map(|x| s.domain(x)),
            (View::Authority, "level") => AuthorityLevel::from_code(v).map(|x| s.level(x)),
            (View::Matrix, "role") => Role::from_code(v).map(|x| s.role_long(x)),
            (View::Measures, "status") => MeasureStatus::from_code(v).map(|x| s.measure_status(x)),
            (View::Reports, "status") => ReportStatus::from_code(v).map(|x| s.report_status(x)),
            (View::Reports, "on_time") => match v {
                "yes" => Some("是"),
                "no" => Some("否"),
                _ => None,
            },
            (View::Reports, "source") => match v {
                "file" => Some("文件"),
                "typed" => Some("录入"),
                "demo" => Some("示例"),
                _ => None,
            },
            (View::Units, "kind") => UnitKind::from_code(v).map(|k| match k {
                UnitKind::Department => "部门",
                UnitKind::PartyOffice => "党委部门",
                UnitKind::Regulator => "监管机构",
                UnitKind::Prefecture => "地（市）",
                UnitKind::Zone => "高新区",
                UnitKind::Office => "办公室",
                UnitKind::Collective => "集合",
            }),
            (View::Targets, "kind") => TargetKind::from_code(v).map(|k| match k {
                TargetKind::Count => "数量",
                TargetKind::Amount => "金额",
                TargetKind::GrowthRate => "增长率",
                TargetKind::Coverage => "覆盖",
                TargetKind::PerZone => "每个高新区",
            }),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_is_injection_safe_and_quoted() {
        assert_eq!(csv_field("=HYPERLINK(\"x\")", false), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(csv_field("+1", false), "'+1");
        assert_eq!(csv_field("-5", true), "-5");
        assert_eq!(csv_field("@SUM(A1)", false), "'@SUM(A1)");
        assert_eq!(csv_field("\tx", false), "'\tx");
        assert_eq!(csv_field("科技厅，教育厅", false), "科技厅，教育厅");
        assert_eq!(csv_field("a,b", false), "\"a,b\"");
        // Full-width formula characters, a space or a newline before one.
        assert_eq!(csv_field("＝SUM(A1)", false), "'＝SUM(A1)");
        assert_eq!(csv_field("＋1", false), "'＋1");
        assert_eq!(csv_field("－1", false), "'－1");
        assert_eq!(csv_field("＠x", false), "'＠x");
        assert_eq!(csv_field(" =1+1", false), "' =1+1");
        assert_eq!(csv_field("\u{3000}=1", false), "'\u{3000}=1");
        assert_eq!(csv_field("\n=1", false), "\"'\n=1\"");
        assert_eq!(csv_field("科技厅 = 1", false), "科技厅 = 1");
        // Zero-width characters are made visible, never passed on.
        assert_eq!(csv_field("科\u{200b}技厅", false), "科<U+200B>技厅");
    }
}
