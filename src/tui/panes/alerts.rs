//! Pane 4, deadline alerts: every open item with a date, most urgent first,
//! as traffic lights with a symbol and a word.

use chrono::NaiveDate;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};
use rusqlite::Connection;

use super::{ListNav, matches};
use crate::db::Result;
use crate::db::alerts::{AlertRow, list};
use crate::domain::{AlertLevel, AlertThresholds};
use crate::tui::app::App;
use crate::tui::i18n::Strings;
use crate::tui::widgets::{Cell, Col, empty_state, label_width, table};

#[derive(Debug, Clone, Default)]
pub struct AlertsState {
    pub rows: Vec<AlertRow>,
    pub view: Vec<usize>,
    pub nav: ListNav,
    pub filter: String,
    pub sort: usize,
}

pub const SORTS: usize = 3;

impl AlertsState {
    pub fn selected(&self) -> Option<&AlertRow> {
        self.view.get(self.nav.sel).map(|&i| &self.rows[i])
    }

    pub fn load(
        &mut self,
        conn: &Connection,
        today: NaiveDate,
        t: AlertThresholds,
        due_day: u32,
        s: &Strings,
        page: usize,
    ) -> Result<()> {
        let keep = self.selected().map(|r| (r.source, r.key.clone()));
        self.rows = list(conn, today, t, due_day)?;
        self.refilter(s, keep, page);
        Ok(())
    }

    pub fn refilter(&mut self, s: &Strings, keep: Option<(crate::db::alerts::AlertSource, String)>, page: usize) {
        let f = &self.filter;
        let mut view: Vec<usize> = (0..self.rows.len())
            .filter(|&i| {
                let r = &self.rows[i];
                matches(
                    f,
                    &[&r.unit, &r.search, &r.title, s.source(r.source), s.alert_level(r.level)],
                )
            })
            .collect();
        let rows = &self.rows;
        match self.sort {
            1 => view.sort_by_cached_key(|&i| (crate::text::pinyin_key(&rows[i].unit), rows[i].days_left)),
            2 => view.sort_by_key(|&i| (s.source(rows[i].source), rows[i].days_left)),
            _ => {}
        }
        self.view = view;
        let pos = keep.and_then(|(src, key)| {
            self.view
                .iter()
                .position(|&i| self.rows[i].source == src && self.rows[i].key == key)
        });
        self.nav.reselect(pos, self.view.len(), page);
    }

    pub fn count(&self, level: AlertLevel) -> usize {
        self.rows.iter().filter(|r| r.level == level).count()
    }
}

pub fn layout(body: Rect) -> (Rect, Rect) {
    let [bar, t] = body.layout(&Layout::vertical([Constraint::Length(1), Constraint::Fill(1)]));
    (bar, t)
}

pub fn page(body: Rect) -> usize {
    layout(body).1.height.saturating_sub(1) as usize
}

/// "overdue 12 days" / "7 days left", in the UI language.
pub fn days_text(days_left: i64, s: &Strings) -> String {
    match days_left {
        d if d < 0 => format!("{}{}{}", s.days_late.0, -d, s.days_late.1),
        0 => s.due_today.to_string(),
        d => format!("{}{d}{}", s.days_left.0, s.days_left.1),
    }
}

/// An alert's subject, with its article where it has one.
pub fn title(r: &AlertRow, s: &Strings) -> String {
    if r.source == crate::db::alerts::AlertSource::Milestone {
        return s.milestone_targets.to_string();
    }
    match r.article {
        Some(a) => format!("{} {}", s.article(a), r.title),
        None => r.title.clone(),
    }
}

pub fn render(app: &App, body: Rect, buf: &mut Buffer) {
    let s = app.lang.s();
    let th = &app.theme;
    let st = &app.alerts;
    let (bar, tarea) = layout(body);
    let mut spans = Vec::new();
    for l in AlertLevel::ALL {
        let (style, sym) = th.alert(*l);
        spans.push(Span::styled(
            format!("{sym} {} {}   ", s.alert_level(*l), st.count(*l)),
            style,
        ));
    }
    spans.push(Span::styled(
        format!(
            "(≤{}{} {} · ≤{}{} {})",
            app.thresholds.yellow_days,
            s.day_unit,
            s.alert_level(AlertLevel::Yellow),
            app.thresholds.blue_days,
            s.day_unit,
            s.alert_level(AlertLevel::Blue)
        ),
        th.dim,
    ));
    Paragraph::new(Line::from(spans)).render(bar, buf);

    let cols = [
        Col::new(
            s.col_level_alert,
            label_width(
                s.col_level_alert,
                AlertLevel::ALL.iter().map(|l| format!("● {}", s.alert_level(*l))),
            ),
        ),
        Col::new(
            s.col_source,
            label_width(s.col_source, s.sources.iter().map(|x| x.to_string())),
        ),
        Col::new(s.col_unit, 14),
        Col::flex(s.col_subject),
        Col::new(s.col_due, 10),
        Col::right(s.col_days, 10),
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
            let (style, sym) = th.alert(r.level);
            vec![
                Cell::new(format!("{sym} {}", s.alert_level(r.level)), style),
                Cell::plain(s.source(r.source)),
                Cell::plain(&r.unit),
                Cell::plain(title(r, s)),
                Cell::plain(r.due.to_string()),
                Cell::new(
                    days_text(r.days_left, s),
                    if r.days_left < 0 { th.red } else { th.base },
                ),
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
}
