//! Pane 1, the monthly-report inbox: every reporting unit's report for one
//! month, received or not, and the selected report's detail.

use chrono::NaiveDate;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Widget};
use rusqlite::Connection;

use super::{ListNav, matches};
use crate::db::Result;
use crate::db::inbox::{InboxRow, ReportDetail, month_rows, report_detail};
use crate::domain::{InboxStatus, Month};
use crate::tui::app::App;
use crate::tui::i18n::Strings;
use crate::tui::widgets::{Cell, Col, empty_state, label_width, table, wrap};

#[derive(Debug, Clone)]
pub struct InboxState {
    pub month: Month,
    pub rows: Vec<InboxRow>,
    /// Indices into `rows` after filter and sort.
    pub view: Vec<usize>,
    pub nav: ListNav,
    pub filter: String,
    pub sort: usize,
    pub detail: Option<ReportDetail>,
}

/// Sort columns, in the order `s` cycles them.
pub const SORTS: usize = 4;

fn severity(s: InboxStatus) -> u8 {
    match s {
        InboxStatus::Missing => 0,
        InboxStatus::Returned => 1,
        InboxStatus::Late => 2,
        InboxStatus::New => 3,
        InboxStatus::Pending => 4,
        InboxStatus::Accepted => 5,
    }
}

impl InboxState {
    pub fn new(month: Month) -> InboxState {
        InboxState {
            month,
            rows: Vec::new(),
            view: Vec::new(),
            nav: ListNav::default(),
            filter: String::new(),
            sort: 0,
            detail: None,
        }
    }

    pub fn selected(&self) -> Option<&InboxRow> {
        self.view.get(self.nav.sel).map(|&i| &self.rows[i])
    }

    /// Reloads the month, keeping the selected unit.
    pub fn load(&mut self, conn: &Connection, due_day: u32, today: NaiveDate, s: &Strings, page: usize) -> Result<()> {
        let keep = self.selected().map(|r| r.unit_id);
        self.rows = month_rows(conn, self.month, due_day, today)?;
        self.refilter(s, keep, page);
        self.load_detail(conn)
    }

    /// Applies filter and sort, keeping `keep` selected when it is still shown.
    pub fn refilter(&mut self, s: &Strings, keep: Option<i64>, page: usize) {
        let f = &self.filter;
        let mut view: Vec<usize> = (0..self.rows.len())
            .filter(|&i| {
                let r = &self.rows[i];
                matches(
                    f,
                    &[
                        &r.unit,
                        &r.short,
                        s.inbox_status(r.status),
                        r.received_at.as_deref().unwrap_or(""),
                    ],
                )
            })
            .collect();
        let rows = &self.rows;
        match self.sort {
            1 => view.sort_by_key(|&i| severity(rows[i].status)),
            2 => view.sort_by_key(|&i| std::cmp::Reverse(rows[i].days_late)),
            3 => view.sort_by(|&a, &b| rows[b].received_at.cmp(&rows[a].received_at)),
            _ => {}
        }
        self.view = view;
        let pos = keep.and_then(|id| self.view.iter().position(|&i| self.rows[i].unit_id == id));
        self.nav.reselect(pos, self.view.len(), page);
    }

    pub fn load_detail(&mut self, conn: &Connection) -> Result<()> {
        self.detail = match self.selected().and_then(|r| r.report_id) {
            Some(id) => report_detail(conn, id)?,
            None => None,
        };
        Ok(())
    }
}

/// (month bar, table with header, detail).
pub fn layout(body: Rect) -> (Rect, Rect, Rect) {
    let [bar, rest] = body.layout(&Layout::vertical([Constraint::Length(1), Constraint::Fill(1)]));
    if rest.width >= 140 {
        let [t, d] = rest.layout(&Layout::horizontal([
            Constraint::Percentage(55),
            Constraint::Percentage(45),
        ]));
        (bar, t, d)
    } else {
        let detail_h = (rest.height * 2 / 5).max(6);
        let [t, d] = rest.layout(&Layout::vertical([Constraint::Fill(1), Constraint::Length(detail_h)]));
        (bar, t, d)
    }
}

/// Rows of the table that fit in `body`.
pub fn page(body: Rect) -> usize {
    layout(body).1.height.saturating_sub(1) as usize
}

pub fn render(app: &App, body: Rect, buf: &mut Buffer) {
    let s = app.lang.s();
    let th = &app.theme;
    let st = &app.inbox;
    let (bar, tarea, darea) = layout(body);

    let received = st.rows.iter().filter(|r| r.report_id.is_some()).count();
    let missing = st.rows.iter().filter(|r| r.status == InboxStatus::Missing).count();
    let returned = st.rows.iter().filter(|r| r.status == InboxStatus::Returned).count();
    let keys = format!(
        "{}/{}",
        app.keymap
            .key_of(crate::tui::action::Action::PrevMonth)
            .map(|k| k.to_string())
            .unwrap_or_default(),
        app.keymap
            .key_of(crate::tui::action::Action::NextMonth)
            .map(|k| k.to_string())
            .unwrap_or_default()
    );
    let line = Line::from(vec![
        Span::styled(format!("◀ {} {} ▶", st.month, s.month_reports), th.title),
        Span::styled(format!(" ({keys}) "), th.dim),
        Span::raw(format!(
            " {} {}  {} {}  ",
            s.expected,
            st.rows.len(),
            s.received,
            received
        )),
        Span::styled(
            format!("{} {}  ", s.inbox_status(InboxStatus::Missing), missing),
            th.red,
        ),
        Span::styled(
            format!("{} {}", s.inbox_status(InboxStatus::Returned), returned),
            th.magenta,
        ),
    ]);
    Paragraph::new(line).render(bar, buf);

    let cols = [
        Col::flex(s.col_unit),
        Col::new(
            s.col_status,
            label_width(
                s.col_status,
                InboxStatus::ALL.iter().map(|x| format!("✔ {}", s.inbox_status(*x))),
            ),
        ),
        Col::new(s.col_due, 10),
        Col::new(s.col_received, 16),
        Col::right(s.col_late, label_width(s.col_late, ["999".to_string()])),
        Col::right(s.col_reminders, label_width(s.col_reminders, ["99".to_string()])),
    ];
    let page = tarea.height.saturating_sub(1) as usize;
    let rows: Vec<Vec<Cell>> = st
        .view
        .iter()
        .skip(st.nav.offset)
        .take(page)
        .map(|&i| {
            let r = &st.rows[i];
            let (style, sym) = th.inbox(r.status);
            vec![
                Cell::plain(&r.unit),
                Cell::new(format!("{sym} {}", s.inbox_status(r.status)), style),
                Cell::plain(r.due.to_string()),
                Cell::plain(r.received_at.as_deref().unwrap_or("—")),
                Cell::plain(if r.days_late > 0 {
                    r.days_late.to_string()
                } else {
                    String::new()
                }),
                Cell::plain(if r.reminders > 0 {
                    r.reminders.to_string()
                } else {
                    String::new()
                }),
            ]
        })
        .collect();
    table(buf, tarea, &cols, &rows, st.nav.sel.checked_sub(st.nav.offset), th);
    if st.view.is_empty() {
        empty_state(buf, tarea, !st.rows.is_empty(), s, th);
    }

    // Detail of the selected unit-month.
    let title = st
        .selected()
        .map(|r| format!(" {} · {} ", r.unit, st.month))
        .unwrap_or_default();
    let borders = if darea.x > body.x {
        Borders::TOP | Borders::LEFT
    } else {
        Borders::TOP
    };
    let block = Block::default()
        .borders(borders)
        .border_style(th.border)
        .title(Span::styled(crate::text::one_line(&title), th.title));
    let inner = block.inner(darea);
    block.render(darea, buf);
    let w = inner.width as usize;
    let mut lines: Vec<Line> = Vec::new();
    match (st.selected(), &st.detail) {
        (Some(_), Some(d)) => {
            let (style, sym) = th.inbox(st.selected().map(|r| r.status).unwrap_or(InboxStatus::New));
            lines.push(Line::from(vec![
                Span::styled(
                    format!(
                        "{sym} {} ",
                        s.inbox_status(st.selected().map(|r| r.status).unwrap_or(InboxStatus::New))
                    ),
                    style,
                ),
                Span::styled(
                    crate::text::one_line(&format!(
                        "{} {} · {} {}",
                        s.version, d.version_no, s.col_received, d.received_at
                    )),
                    th.dim,
                ),
            ]));
            if !d.return_reason.is_empty() {
                let by = d.resubmit_by.as_deref().unwrap_or("—");
                for l in wrap(
                    &format!(
                        "{}{c}{}（{} {by}）",
                        s.return_reason,
                        d.return_reason,
                        s.resubmit_by,
                        c = s.colon
                    ),
                    w,
                ) {
                    lines.push(Line::styled(l, th.magenta));
                }
            }
            for l in wrap(&s.kv(s.summary, &d.summary), w) {
                lines.push(Line::raw(l));
            }
            for it in &d.items {
                let (style, sym) = th.progress(it.status);
                let head = format!("{sym} {} [{}] ", s.article(it.article_no), s.progress(it.status));
                let body = crate::text::one_line(&it.progress);
                let mut first = true;
                for l in wrap(&format!("{head}{body}"), w) {
                    if first {
                        // The head (symbol, article, status) in colour, the rest plain.
                        let spans = match l.strip_prefix(head.as_str()) {
                            Some(rest) => vec![Span::styled(head.clone(), style), Span::raw(rest.to_string())],
                            None => vec![Span::styled(l, style)],
                        };
                        lines.push(Line::from(spans));
                        first = false;
                    } else {
                        lines.push(Line::raw(l));
                    }
                }
                if !it.difficulties.is_empty() {
                    for l in wrap(&format!("  {}{c}{}", s.difficulties, it.difficulties, c = s.colon), w) {
                        lines.push(Line::styled(l, th.yellow));
                    }
                }
            }
            if !d.indicators.is_empty() {
                let parts: Vec<String> = d.indicators.iter().map(|i| indicator_text(i, s)).collect();
                for l in wrap(&s.kv(s.indicators, parts.join("；")), w) {
                    lines.push(Line::styled(l, th.blue));
                }
            }
        }
        (Some(r), None) => {
            lines.push(Line::styled(s.not_received, th.red));
            lines.push(Line::raw(s.kv(s.col_due, r.due)));
            if r.days_late > 0 {
                lines.push(Line::raw(s.kv(s.days_overdue, r.days_late)));
            }
            lines.push(Line::raw(s.kv(s.reminded, r.reminders)));
        }
        _ => {}
    }
    Paragraph::new(lines).render(inner, buf);
}

/// "name value/target unit"; a per-zone target reads as zones reached.
pub fn indicator_text(i: &crate::db::inbox::IndicatorLine, s: &Strings) -> String {
    match i.kind {
        crate::domain::TargetKind::PerZone => {
            format!("{} {}{}", i.name, fmt_num(i.value), s.zones_reached)
        }
        _ => format!("{} {}/{}{}", i.name, fmt_num(i.value), fmt_num(i.target), i.unit),
    }
}

pub fn fmt_num(v: f64) -> String {
    if v.fract() == 0.0 {
        format!("{}", v as i64)
    } else {
        format!("{v:.1}")
    }
}
