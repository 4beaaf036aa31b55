//! The task matrix's other views: one unit's articles (`f`) and every
//! measure (`M`).

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use crate::db::measures::Measure;
use crate::domain::MeasureStatus;
use crate::i18n::Strings;
use crate::tui::ctx::RenderCtx;
use crate::tui::list::{ListPane, ListRow, SortOrder};
use crate::tui::widgets::{Cell, Col, empty_state, put, table};

/// The matrix focused on one unit.
#[derive(Debug, Clone, PartialEq)]
pub struct Focus {
    pub unit: i64,
    pub name: String,
    pub rows: Vec<crate::db::matrix::FocusRow>,
    pub sel: usize,
    pub offset: usize,
}

/// The measures view has one order: by article.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MeasureSort {
    #[default]
    Article,
    Due,
}

impl SortOrder for MeasureSort {
    const ALL: &'static [MeasureSort] = &[MeasureSort::Article, MeasureSort::Due];
    fn label(self, s: &Strings) -> &'static str {
        match self {
            MeasureSort::Article => s.col_article,
            MeasureSort::Due => s.col_due,
        }
    }
}

impl ListRow for Measure {
    type Key = i64;
    type Sort = MeasureSort;

    fn key(&self) -> i64 {
        self.id
    }

    fn search_texts(&self, s: &Strings, add: &mut dyn FnMut(&str)) {
        add(&self.text);
        add(&self.article_title);
        for o in &self.owners {
            add(&o.1);
        }
        add(&self.article_no.to_string());
        add(s.measure_status(self.status));
    }

    fn sort(rows: &[Self], view: &mut [usize], sort: MeasureSort, _: &Strings) {
        if sort == MeasureSort::Due {
            view.sort_by_key(|&i| (rows[i].due.is_none(), rows[i].due, rows[i].id));
        }
    }
}

/// Every measure: article, text, owners, due date, status.
pub fn render_measures(ctx: &RenderCtx, list: &ListPane<Measure>, area: Rect, buf: &mut Buffer) {
    let s = ctx.s;
    let th = ctx.theme;
    put(buf, area.x, area.y, area.width, s.measures_title, th.title, false);
    let tarea = Rect {
        y: area.y + 1,
        height: area.height.saturating_sub(1),
        ..area
    };
    let wide = area.width >= 120;
    let cols = [
        Col::new("ID", 5),
        Col::new(s.col_article, 4),
        Col::flex(s.col_measure),
        Col::new(s.col_owners, if wide { 24 } else { 12 }),
        Col::new(s.col_due, 10),
        Col::new(s.col_status, 8),
    ];
    let page = tarea.height.saturating_sub(1) as usize;
    let nav = list.nav;
    let cells: Vec<Vec<Cell>> = list
        .view
        .iter()
        .skip(nav.offset)
        .take(page)
        .map(|&i| {
            let m = &list.rows[i];
            let owners: Vec<&str> = m.owners.iter().map(|o| o.1.as_str()).collect();
            let overdue = m.status == MeasureStatus::Open && m.due.is_some_and(|d| d < ctx.today);
            let (style, sym) = match m.status {
                MeasureStatus::Done => (th.green, "✔"),
                MeasureStatus::Open if overdue => (th.red, "!"),
                MeasureStatus::Open => (th.base, "○"),
            };
            vec![
                Cell::plain(format!("M{}", m.id)),
                Cell::plain(m.article_no.to_string()),
                Cell::plain(&m.text),
                Cell::plain(owners.join("、")),
                Cell::new(m.due.map(|d| d.to_string()).unwrap_or_default(), style),
                Cell::new(format!("{sym} {}", s.measure_status(m.status)), style),
            ]
        })
        .collect();
    table(buf, tarea, &cols, &cells, nav.sel.checked_sub(nav.offset), &[], th);
    if list.view.is_empty() {
        empty_state(buf, tarea, !list.rows.is_empty(), s, th);
    }
}

/// One unit's articles: role, status, open measures.
pub fn render_focus(ctx: &RenderCtx, f: &Focus, area: Rect, buf: &mut Buffer) {
    let s = ctx.s;
    let th = ctx.theme;
    let title = crate::i18n::fill(s.focus_title, &[&f.name, &f.rows.len()]);
    put(buf, area.x, area.y, area.width, &title, th.title, false);
    let tarea = Rect {
        y: area.y + 1,
        height: area.height.saturating_sub(1),
        ..area
    };
    let cols = [
        Col::new(s.col_article, 4),
        Col::flex(s.article_title),
        Col::new(s.col_role, 10),
        Col::new(s.col_status, 8),
        Col::new(s.open_measures, 10),
    ];
    let page = tarea.height.saturating_sub(1) as usize;
    let cells: Vec<Vec<Cell>> = f
        .rows
        .iter()
        .skip(f.offset)
        .take(page)
        .map(|r| {
            let (style, sym) = th.cell(r.status);
            let role = match &r.via {
                Some(_) => format!("{}*", s.role_long(r.role)),
                None => s.role_long(r.role).to_string(),
            };
            let open = match r.open_measures.first() {
                Some((_, text, _)) if r.open_measures.len() == 1 => format!("1 {text}"),
                Some(_) => r.open_measures.len().to_string(),
                None => String::new(),
            };
            vec![
                Cell::plain(r.article_no.to_string()),
                Cell::plain(&r.title),
                Cell::plain(role),
                Cell::new(format!("{sym} {}", s.cell_status(r.status)), style),
                Cell::plain(open),
            ]
        })
        .collect();
    table(buf, tarea, &cols, &cells, f.sel.checked_sub(f.offset), &[], th);
}
