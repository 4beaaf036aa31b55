//! The inbox's imports view (`I`): the files met in the drop folder or on
//! the command line, newest first — imported, duplicate or refused, with
//! the reason; Enter shows everything about one, with its sidecar.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use crate::db::intake::{LogEntry, LogResult};
use crate::i18n::Strings;
use crate::text::local_time;
use crate::tui::ctx::RenderCtx;
use crate::tui::list::{ListPane, ListRow, SortOrder};
use crate::tui::widgets::{Cell, Col, empty_state, table};

/// How many logged files the view reads.
pub const RECENT: usize = 500;

/// The imports view has one order: newest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ImportSort {
    #[default]
    Newest,
}

impl SortOrder for ImportSort {
    const ALL: &'static [ImportSort] = &[ImportSort::Newest];
    fn label(self, s: &Strings) -> &'static str {
        s.sort_newest
    }
}

impl ListRow for LogEntry {
    type Key = i64;
    type Sort = ImportSort;

    fn key(&self) -> i64 {
        self.id
    }

    fn search_texts(&self, s: &Strings, add: &mut dyn FnMut(&str)) {
        add(&self.file_name);
        add(self.unit.as_deref().unwrap_or(""));
        add(self.month.as_deref().unwrap_or(""));
        add(result_word(self.result, s));
        add(&reason_text(self, s));
        add(&self.user);
    }

    fn sort(_: &[Self], _: &mut [usize], _: ImportSort, _: &Strings) {}
}

pub fn result_word(r: LogResult, s: &Strings) -> &'static str {
    match r {
        LogResult::Imported => s.imported,
        LogResult::Duplicate => s.duplicate,
        LogResult::Refused => s.refused,
    }
}

/// The refusal in the interface's language, with its place.
pub fn reason_text(e: &LogEntry, s: &Strings) -> String {
    match e.refusal() {
        Some(r) => crate::i18n::intake::refusal(&r, s.lang()),
        None => e.reason.clone(),
    }
}

/// "版本 2" / the refusal / "与 … 相同".
fn what(e: &LogEntry, s: &Strings) -> String {
    match e.result {
        LogResult::Imported => match e.version_no {
            Some(v) => format!("{} {v}", s.version),
            None => s.indicator_table.to_string(),
        },
        LogResult::Duplicate => s.same_bytes.to_string(),
        LogResult::Refused => reason_text(e, s),
    }
}

pub fn render(ctx: &RenderCtx, list: &ListPane<LogEntry>, area: Rect, buf: &mut Buffer) {
    let s = ctx.s;
    let th = ctx.theme;
    let wide = area.width >= 120;
    let cols = [
        Col::new(s.col_time, if wide { 16 } else { 11 }),
        Col::new(s.col_result, 8),
        Col::new(s.col_file, if wide { 30 } else { 16 }),
        Col::new(s.col_unit, if wide { 14 } else { 10 }),
        Col::new(s.month_col, 7),
        Col::flex(s.col_what),
    ];
    let page = area.height.saturating_sub(1) as usize;
    let nav = list.nav;
    let cells: Vec<Vec<Cell>> = list
        .view
        .iter()
        .skip(nav.offset)
        .take(page)
        .map(|&i| {
            let e = &list.rows[i];
            let (style, sym) = match e.result {
                LogResult::Imported => (th.green, "✔"),
                LogResult::Duplicate => (th.dim, "="),
                LogResult::Refused => (th.red, "✗"),
            };
            vec![
                Cell::plain({
                    let t = local_time(&e.at);
                    if wide {
                        t
                    } else {
                        t.get(5..).map(str::to_string).unwrap_or(t)
                    }
                }),
                Cell::new(format!("{sym} {}", result_word(e.result, s)), style),
                Cell::plain(&e.file_name),
                Cell::plain(e.unit.as_deref().unwrap_or("—")),
                Cell::plain(e.month.as_deref().unwrap_or("—")),
                Cell::new(
                    what(e, s),
                    if e.result == LogResult::Refused {
                        th.red
                    } else {
                        th.base
                    },
                ),
            ]
        })
        .collect();
    table(buf, area, &cols, &cells, nav.sel.checked_sub(nav.offset), &[], th);
    if list.view.is_empty() {
        empty_state(buf, area, !list.rows.is_empty(), s, th);
    }
}

/// Everything about one logged file, and the sidecar kept with a refused one.
pub fn detail_lines(e: &LogEntry, sidecar: Option<&str>, s: &Strings) -> Vec<String> {
    let mut out = vec![
        s.kv(s.col_file, &e.file_name),
        s.kv(s.col_result, result_word(e.result, s)),
        s.kv(s.col_time, local_time(&e.at)),
        s.kv(s.col_user, &e.user),
    ];
    if let (Some(u), Some(m)) = (&e.unit, &e.month) {
        out.push(s.kv(s.col_unit, format!("{u} {m}")));
    }
    if let Some(v) = e.version_no {
        out.push(s.kv(s.version, v));
    }
    if !e.format.is_empty() || !e.encoding.is_empty() {
        out.push(s.kv(s.col_format, format!("{} · {}", e.format, e.encoding)));
    }
    if let Some(n) = e.size {
        out.push(s.kv(s.col_size, format!("{n} B")));
    }
    if !e.sha256.is_empty() {
        out.push(s.kv("SHA-256", &e.sha256));
    }
    if !e.stored_as.is_empty() {
        out.push(s.kv(s.col_stored, &e.stored_as));
    }
    if e.result == LogResult::Refused {
        out.push(String::new());
        out.push(s.kv(s.col_reason, reason_text(e, s)));
    }
    if let Some(text) = sidecar {
        out.push(String::new());
        out.push(format!("{}{}", s.sidecar, s.colon));
        out.extend(text.lines().map(str::to_string));
    }
    out
}
