//! Pane 4, deadline alerts: every open item with a date, most urgent first,
//! as traffic lights with a symbol and a word.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use crate::db::alerts::{AlertRow, AlertSource};
use crate::domain::{AlertLevel, ItemKey};
use crate::tui::ctx::RenderCtx;
use crate::tui::i18n::Strings;
use crate::tui::layout;
use crate::tui::list::{ListPane, ListRow, SortOrder, matches};
use crate::tui::widgets::{Cell, Col, empty_state, label_width, table};

pub type AlertsState = ListPane<AlertRow>;

/// Orders of the alerts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AlertSort {
    #[default]
    Urgency,
    Unit,
    Source,
}

impl SortOrder for AlertSort {
    const ALL: &'static [AlertSort] = &[AlertSort::Urgency, AlertSort::Unit, AlertSort::Source];
    fn label(self, s: &Strings) -> &'static str {
        s.sort_alerts[Self::ALL.iter().position(|x| *x == self).unwrap_or(0)]
    }
}

impl ListRow for AlertRow {
    type Key = ItemKey;
    type Sort = AlertSort;

    fn key(&self) -> ItemKey {
        self.key
    }

    fn matches(&self, f: &str, s: &Strings) -> bool {
        matches(
            f,
            &[
                &self.unit,
                &self.search,
                &self.title,
                s.source(self.source),
                s.alert_level(self.level),
            ],
        )
    }

    fn sort(rows: &[Self], view: &mut [usize], sort: AlertSort, s: &Strings) {
        match sort {
            AlertSort::Urgency => {}
            AlertSort::Unit => {
                view.sort_by_cached_key(|&i| (crate::text::pinyin_key(&rows[i].unit), rows[i].days_left))
            }
            AlertSort::Source => view.sort_by_key(|&i| (s.source(rows[i].source), rows[i].days_left)),
        }
    }
}

/// How many alerts are at `level`.
pub fn count(rows: &[AlertRow], level: AlertLevel) -> usize {
    rows.iter().filter(|r| r.level == level).count()
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
    if r.source == AlertSource::Milestone {
        return s.milestone_targets.to_string();
    }
    match r.article {
        Some(a) => format!("{} {}", s.article(a), r.title),
        None => r.title.clone(),
    }
}

pub fn render(ctx: &RenderCtx, st: &AlertsState, body: Rect, buf: &mut Buffer) {
    let s = ctx.s;
    let th = ctx.theme;
    let (bar, tarea) = layout::alerts(body);
    let mut spans = Vec::new();
    for l in AlertLevel::ALL {
        let (style, sym) = th.alert(*l);
        spans.push(Span::styled(
            format!("{sym} {} {}   ", s.alert_level(*l), count(&st.rows, *l)),
            style,
        ));
    }
    spans.push(Span::styled(
        format!(
            "(≤{}{} {} · ≤{}{} {})",
            ctx.thresholds.yellow_days,
            s.day_unit,
            s.alert_level(AlertLevel::Yellow),
            ctx.thresholds.blue_days,
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
    let shown: Vec<&AlertRow> = st
        .view
        .iter()
        .skip(st.nav.offset)
        .take(page)
        .map(|&i| &st.rows[i])
        .collect();
    let rows: Vec<Vec<Cell>> = shown
        .iter()
        .map(|r| {
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
    let marks: Vec<bool> = if st.marks.is_empty() {
        Vec::new()
    } else {
        shown.iter().map(|r| st.is_marked(r)).collect()
    };
    table(
        buf,
        tarea,
        &cols,
        &rows,
        st.nav.sel.checked_sub(st.nav.offset),
        &marks,
        th,
    );
    if st.view.is_empty() {
        empty_state(buf, tarea, !st.rows.is_empty(), s, th);
    }
}
