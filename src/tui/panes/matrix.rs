//! Pane 3, the task matrix: articles × units (or transposed), each cell the
//! unit's role and status. Row and column headers stay put while scrolling.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};
use rusqlite::Connection;

pub use super::matrix_views::Focus;
use super::{Effect, FilterEdit, Handled, PaneCx, PaneState, apply_edit, is_movement};
use crate::db::Result;
use crate::db::matrix::{CellStatus, MatrixCell, MatrixData, load};
use crate::domain::{Month, Role};
use crate::i18n::Strings;
use crate::text::width;
use crate::tui::action::Action;
use crate::tui::ctx::RenderCtx;
use crate::tui::intent::Tone;
use crate::tui::layout;
use crate::tui::list::{ListNav, SortOrder, matches};
use crate::tui::widgets::put;

#[derive(Debug, Clone, Default)]
pub struct MatrixState {
    pub loaded: bool,
    pub data: MatrixData,
    /// Visible articles (indices into `data.articles`), in display order.
    pub articles: Vec<usize>,
    /// Visible units (indices into `data.units`).
    pub units: Vec<usize>,
    pub row: usize,
    pub col: usize,
    pub row_off: usize,
    pub col_off: usize,
    pub transposed: bool,
    pub filter: String,
    pub sort: MatrixSort,
    /// "lead/partner" counts of each display row and column, computed when
    /// the data or the filter changes (not on every frame).
    pub row_totals: Vec<String>,
    pub col_totals: Vec<String>,
    /// Each column group's lead/partner count over the rows shown.
    pub group_totals: Vec<(crate::domain::KindGroup, String)>,
    /// Collectives expanded into their members' columns (`c`); otherwise a
    /// collective is one column and its members' roles through it are not shown.
    pub expanded: bool,
    /// Focused on one unit (`f`): its articles, with role, status, measures.
    pub focus: Option<Focus>,
    /// The measures view (`M`).
    pub measures: Option<crate::tui::list::ListPane<crate::db::measures::Measure>>,
}

/// Orders of the matrix's articles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MatrixSort {
    #[default]
    Article,
    /// Most lagging or unreported units first.
    Lagging,
}

impl crate::tui::list::SortOrder for MatrixSort {
    const ALL: &'static [MatrixSort] = &[MatrixSort::Article, MatrixSort::Lagging];
    fn label(self, s: &Strings) -> &'static str {
        s.sort_matrix[match self {
            MatrixSort::Article => 0,
            MatrixSort::Lagging => 1,
        }]
    }
}

/// Widths of the parts of the grid.
struct Geometry {
    head_w: u16,
    col_w: u16,
    total_w: u16,
}

fn geometry(transposed: bool, body_w: u16, total_w: u16) -> Geometry {
    // The totals column is as wide as its widest figure: never cut.
    let total_w = total_w.max(7);
    if transposed {
        Geometry {
            head_w: if body_w >= 140 { 34 } else { 22 },
            col_w: 6,
            total_w,
        }
    } else {
        Geometry {
            head_w: if body_w >= 140 { 34 } else { 22 },
            col_w: 7,
            total_w,
        }
    }
}

impl MatrixState {
    /// Width of the widest row total (and of the column totals' cells).
    fn total_w(&self) -> u16 {
        self.row_totals.iter().map(|t| width(t) as u16 + 1).max().unwrap_or(0)
    }
}

impl MatrixState {
    pub fn load(&mut self, conn: &Connection, today: Month) -> Result<()> {
        let mut data = load(conn, today, crate::db::matrix::EAGER_UNITS)?;
        // Sorting by lagging count needs every status; read them unless the load did.
        if self.sort == MatrixSort::Lagging && data.status_loaded.len() < data.units.len() {
            crate::db::matrix::fill_statuses(conn, &mut data, None)?;
        }
        self.set_data(data);
        Ok(())
    }

    /// New data (a reload), keeping the selected article and unit.
    pub fn set_data(&mut self, data: crate::db::matrix::MatrixData) {
        let keep = (self.current_article(), self.current_unit());
        self.data = data;
        self.loaded = true;
        self.refilter(keep);
    }

    pub fn current_article(&self) -> Option<i64> {
        let i = if self.transposed {
            self.articles.get(self.col)
        } else {
            self.articles.get(self.row)
        };
        i.map(|&i| self.data.articles[i].no)
    }

    pub fn current_unit(&self) -> Option<i64> {
        let i = if self.transposed {
            self.units.get(self.row)
        } else {
            self.units.get(self.col)
        };
        i.map(|&i| self.data.units[i].id)
    }

    pub fn current_cell(&self) -> Option<MatrixCell> {
        self.visible_cell(self.current_article()?, self.current_unit()?)
    }

    fn lagging(&self, article: i64) -> usize {
        self.units
            .iter()
            .filter(|&&u| {
                self.visible_cell(article, self.data.units[u].id)
                    .is_some_and(|c| matches!(c.status, CellStatus::Lagging | CellStatus::NotReported))
            })
            .count()
    }

    /// Recomputes visible articles and units from the filter.
    pub fn refilter(&mut self, keep: (Option<i64>, Option<i64>)) {
        let d = &self.data;
        let f = &self.filter;
        let expanded = self.expanded;
        // Collapsed, collectives are columns and their members' roles through
        // them are not; expanded, members are columns and collectives not.
        let shown_unit = |u: usize| {
            let unit = &d.units[u];
            let collective = unit.kind == crate::domain::UnitKind::Collective;
            if expanded {
                !collective
            } else {
                (0..d.articles.len()).any(|a| d.cell_ix(a, u).is_some_and(|c| c.via.is_none()))
            }
        };
        let unit_hits: Vec<usize> = (0..d.units.len())
            .filter(|&i| shown_unit(i) && !f.is_empty() && matches(f, &[&d.units[i].name, &d.units[i].short]))
            .collect();
        let has_role = |a: usize, u: usize| d.cell_ix(a, u).is_some_and(|c| expanded || c.via.is_none());
        if f.is_empty() {
            self.articles = (0..d.articles.len()).collect();
            self.units = (0..d.units.len()).filter(|&u| shown_unit(u)).collect();
        } else if !unit_hits.is_empty() {
            self.articles = (0..d.articles.len())
                .filter(|&a| unit_hits.iter().any(|&u| has_role(a, u)))
                .collect();
            self.units = unit_hits;
        } else {
            self.articles = (0..d.articles.len())
                .filter(|&a| matches(f, &[&d.articles[a].title, &d.articles[a].no.to_string()]))
                .collect();
            let arts = &self.articles;
            self.units = (0..d.units.len())
                .filter(|&u| shown_unit(u) && arts.iter().any(|&a| has_role(a, u)))
                .collect();
        }
        if self.sort == MatrixSort::Lagging {
            let mut keyed: Vec<(usize, usize)> = self
                .articles
                .iter()
                .map(|&a| (self.lagging(self.data.articles[a].no), a))
                .collect();
            keyed.sort_by(|x, y| y.0.cmp(&x.0).then(x.1.cmp(&y.1)));
            self.articles = keyed.into_iter().map(|(_, a)| a).collect();
        }
        let (ka, ku) = keep;
        let apos = ka.and_then(|no| self.articles.iter().position(|&a| self.data.articles[a].no == no));
        let upos = ku.and_then(|id| self.units.iter().position(|&u| self.data.units[u].id == id));
        let (r, c) = if self.transposed { (upos, apos) } else { (apos, upos) };
        self.row = r.unwrap_or(self.row);
        self.col = c.unwrap_or(self.col);
        self.clamp_selection();
        self.compute_totals();
    }

    /// The cell at a display row and column.
    pub fn cell_at(&self, r: usize, c: usize) -> Option<MatrixCell> {
        let (a, u) = if self.transposed {
            (self.articles[c], self.units[r])
        } else {
            (self.articles[r], self.units[c])
        };
        self.shown(self.data.cell_ix(a, u)?)
    }

    /// A cell as the collectives toggle shows it: collapsed, a role that
    /// came through a collective shows in the collective's column only.
    pub fn visible_cell(&self, article: i64, unit: i64) -> Option<MatrixCell> {
        self.shown(self.data.cell(article, unit)?)
    }

    fn shown(&self, c: MatrixCell) -> Option<MatrixCell> {
        (self.expanded || c.via.is_none()).then_some(c)
    }

    /// Lead/partner counts of each row, column and column group, in one
    /// pass over the cells shown.
    fn compute_totals(&mut self) {
        let (rows, cols) = (self.row_count(), self.col_count());
        let mut row_lp = vec![(0usize, 0usize); rows];
        let mut col_lp = vec![(0usize, 0usize); cols];
        // Groups in the order they first appear.
        let mut group_lp: Vec<(crate::domain::KindGroup, (usize, usize))> = Vec::new();
        for (c, col) in col_lp.iter_mut().enumerate() {
            let g = self.col_group(c);
            let gi = match group_lp.iter().position(|(x, _)| *x == g) {
                Some(i) => i,
                None => {
                    group_lp.push((g, (0, 0)));
                    group_lp.len() - 1
                }
            };
            for (r, row) in row_lp.iter_mut().enumerate() {
                let Some(cell) = self.cell_at(r, c) else { continue };
                let lead = cell.role == Role::Lead;
                for t in [row, &mut *col, &mut group_lp[gi].1] {
                    if lead {
                        t.0 += 1;
                    } else {
                        t.1 += 1;
                    }
                }
            }
        }
        let fmt = |(l, p): (usize, usize)| format!("{l}/{p}");
        self.row_totals = row_lp.into_iter().map(fmt).collect();
        self.col_totals = col_lp.into_iter().map(fmt).collect();
        self.group_totals = group_lp.into_iter().map(|(g, t)| (g, fmt(t))).collect();
    }

    /// Switches collectives between one column and their members' columns.
    pub fn toggle_collectives(&mut self) {
        let keep = (self.current_article(), self.current_unit());
        self.expanded = !self.expanded;
        self.refilter(keep);
    }

    pub fn row_count(&self) -> usize {
        if self.transposed {
            self.units.len()
        } else {
            self.articles.len()
        }
    }

    pub fn col_count(&self) -> usize {
        if self.transposed {
            self.articles.len()
        } else {
            self.units.len()
        }
    }

    fn clamp_selection(&mut self) {
        self.row = self.row.min(self.row_count().saturating_sub(1));
        self.col = self.col.min(self.col_count().saturating_sub(1));
    }

    pub fn transpose(&mut self) {
        let keep = (self.current_article(), self.current_unit());
        self.transposed = !self.transposed;
        self.row_off = 0;
        self.col_off = 0;
        self.refilter(keep);
    }

    /// Group (departments, prefectures, zones, offices) of a visible column.
    fn col_group(&self, c: usize) -> crate::domain::KindGroup {
        if self.transposed {
            crate::domain::KindGroup::Departments
        } else {
            self.data.units[self.units[c]].kind.group()
        }
    }

    /// How many columns fit from `col_off` in `grid_w` columns.
    fn cols_fitting(&self, from: usize, grid_w: u16, g: &Geometry) -> usize {
        let mut used = g.head_w + 1 + g.total_w;
        let mut n = 0;
        for c in from..self.col_count() {
            let sep = if c > from && self.col_group(c) != self.col_group(c - 1) {
                1
            } else {
                0
            };
            if used + sep + g.col_w > grid_w {
                break;
            }
            used += sep + g.col_w;
            n += 1;
        }
        n.max(1)
    }

    /// Reads the statuses of the units on screen (all of them when sorting
    /// by lagging count, which needs every status) that are not read yet.
    pub fn ensure_statuses(&mut self, conn: &Connection, body: Rect) -> Result<()> {
        if !self.loaded {
            return Ok(());
        }
        let units: Vec<i64> = if self.sort == MatrixSort::Lagging {
            self.units.iter().map(|&u| self.data.units[u].id).collect()
        } else if self.transposed {
            let rows = layout::matrix_page(body);
            self.units
                .iter()
                .skip(self.row_off)
                .take(rows)
                .map(|&u| self.data.units[u].id)
                .collect()
        } else {
            let g = geometry(false, body.width, self.total_w());
            let n = self.cols_fitting(self.col_off, body.width, &g);
            // A screen more on each side, so moving one column reads nothing.
            let from = self.col_off.saturating_sub(n);
            self.units
                .iter()
                .skip(from)
                .take(3 * n)
                .map(|&u| self.data.units[u].id)
                .collect()
        };
        let missing: Vec<i64> = units
            .into_iter()
            .filter(|id| !self.data.status_loaded.contains(id))
            .collect();
        if !missing.is_empty() {
            crate::db::matrix::fill_statuses(conn, &mut self.data, Some(&missing))?;
        }
        Ok(())
    }

    /// Selects the row (or, transposed, the column) of article `no`,
    /// clearing the filter if it hides it; false when no such article.
    pub fn select_article(&mut self, no: i64) -> bool {
        let find = |m: &Self| m.articles.iter().position(|&a| m.data.articles[a].no == no);
        if find(self).is_none() && !self.filter.is_empty() {
            self.filter.clear();
            let keep = (Some(no), self.current_unit());
            self.refilter(keep);
        }
        match find(self) {
            Some(p) if self.transposed => {
                self.col = p;
                true
            }
            Some(p) => {
                self.row = p;
                true
            }
            None => false,
        }
    }

    /// Applies a movement (rows, columns, first/last column); returns whether
    /// the action was one.
    pub fn navigate(&mut self, a: crate::tui::action::Action, page: usize) -> bool {
        use crate::tui::action::Action;
        let (rows, cols) = (self.row_count(), self.col_count());
        match a {
            Action::FirstColumn => self.col = 0,
            Action::LastColumn => self.col = cols.saturating_sub(1),
            Action::Left => self.col = self.col.saturating_sub(1),
            Action::Right => self.col = (self.col + 1).min(cols.saturating_sub(1)),
            _ => {
                let mut nav = ListNav {
                    sel: self.row,
                    offset: self.row_off,
                };
                if !nav.apply(a, rows, page) {
                    return false;
                }
                self.row = nav.sel;
            }
        }
        true
    }

    /// Keeps the selected cell visible in `body`.
    pub fn scroll_into_view(&mut self, body: Rect) {
        let g = geometry(self.transposed, body.width, self.total_w());
        let rows = layout::matrix_page(body);
        if self.row < self.row_off {
            self.row_off = self.row;
        }
        if self.row >= self.row_off + rows {
            self.row_off = self.row + 1 - rows;
        }
        // After the terminal grew, pull earlier rows back into the spare room.
        self.row_off = self.row_off.min(self.row_count().saturating_sub(rows));
        if self.col < self.col_off {
            self.col_off = self.col;
        }
        while self.col >= self.col_off + self.cols_fitting(self.col_off, body.width, &g) {
            self.col_off += 1;
        }
        // After the terminal grew, pull earlier columns back into the spare room.
        while self.col_off > 0
            && self.col_off + self.cols_fitting(self.col_off, body.width, &g) >= self.col_count()
            && self.cols_fitting(self.col_off - 1, body.width, &g) >= self.col_count() - (self.col_off - 1)
        {
            self.col_off -= 1;
        }
    }
}

fn center(s: &str, w: u16) -> String {
    let sw = width(s) as u16;
    if sw >= w {
        return crate::text::fit(s, w as usize);
    }
    let left = (w - sw) / 2;
    format!(
        "{}{}{}",
        " ".repeat(left as usize),
        s,
        " ".repeat((w - sw - left) as usize)
    )
}

pub fn render(ctx: &RenderCtx, st: &MatrixState, body: Rect, buf: &mut Buffer) {
    let s = ctx.s;
    let th = ctx.theme;
    let d = &st.data;
    let g = geometry(st.transposed, body.width, st.total_w());
    if body.height < 5 {
        return;
    }
    if !st.loaded
        && let Some(why) = crate::tui::widgets::not_read(s, ctx.loading.matrix, ctx.unreadable.matrix)
    {
        put(buf, body.x, body.y, body.width, why, th.dim, false);
        return;
    }

    // Info line: the selected cell in words, role and status first so that
    // a long unit name is what gets cut.
    let mut info = vec![];
    if let (Some(a), Some(u)) = (st.current_article(), st.current_unit()) {
        let title = d
            .articles
            .iter()
            .find(|x| x.no == a)
            .map(|x| x.title.as_str())
            .unwrap_or("");
        let unit = d.units.iter().find(|x| x.id == u).map(|x| &*x.name).unwrap_or("");
        match st.current_cell() {
            Some(c) => {
                let (style, sym) = th.cell(c.status);
                info.push(Span::styled(format!("{sym} {} ", s.cell_status(c.status)), style));
                let via = c
                    .via
                    .and_then(|v| d.units.iter().find(|u| u.id == v))
                    .map(|v| format!("（{} {}）", s.via, v.short))
                    .unwrap_or_default();
                info.push(Span::raw(format!(
                    "{}{} │ ",
                    s.role_long(c.role),
                    crate::text::one_line(&via)
                )));
            }
            None => info.push(Span::styled(format!("{} │ ", s.no_role), th.dim)),
        }
        info.push(Span::styled(
            crate::text::one_line(&format!("{} {title} × {unit}", s.article(a))),
            th.title,
        ));
    } else {
        info.push(Span::styled(
            if d.articles.is_empty() { s.no_rows } else { s.no_match },
            th.dim,
        ));
    }
    // Drawn span by span so a long line is cut with an ellipsis.
    let mut x = body.x;
    for sp in info {
        let w = (width(&sp.content) as u16).min(body.right().saturating_sub(x));
        put(buf, x, body.y, w, &sp.content, sp.style, false);
        x += w;
    }

    let group_y = body.y + 1;
    let header_y = body.y + 2;
    let grid_y = body.y + 3;
    let rows = layout::matrix_page(body);
    let ncols = st.cols_fitting(st.col_off, body.width, &g);
    let first = st.col_off;
    let last = (first + ncols).min(st.col_count());

    // Column x positions with group separators.
    let mut xs = Vec::new();
    let mut x = body.x + g.head_w + 1;
    for c in first..last {
        if c > first && st.col_group(c) != st.col_group(c - 1) {
            for y in group_y..grid_y + rows as u16 + 1 {
                buf.set_string(x, y, "│", th.border);
            }
            x += 1;
        }
        xs.push(x);
        x += g.col_w;
    }
    let total_x = x;

    // Group line: each group's name and lead/partner count over its span
    // (departments │ prefectures │ zones │ offices); transposed, the articles.
    if st.transposed {
        put(
            buf,
            body.x + g.head_w + 1,
            group_y,
            total_x.saturating_sub(body.x + g.head_w + 1),
            s.articles_word,
            th.dim,
            false,
        );
    } else {
        let mut k = 0;
        while k < xs.len() {
            let gid = st.col_group(first + k);
            let mut end = k;
            while end + 1 < xs.len() && st.col_group(first + end + 1) == gid {
                end += 1;
            }
            let span_w = xs[end] + g.col_w - xs[k];
            let total = st
                .group_totals
                .iter()
                .find(|(x, _)| *x == gid)
                .map(|(_, t)| t.as_str())
                .unwrap_or("");
            let label = format!("{} {total}", s.kind_group(gid));
            put(buf, xs[k], group_y, span_w, &label, th.title, false);
            k = end + 1;
        }
    }

    // Header row.
    let corner = if st.transposed { s.col_unit } else { s.article };
    put(buf, body.x, header_y, g.head_w, corner, th.title, false);
    for (k, c) in (first..last).enumerate() {
        let label = if st.transposed {
            d.articles[st.articles[c]].no.to_string()
        } else {
            d.units[st.units[c]].short.to_string()
        };
        let style = if c == st.col { th.selected } else { th.title };
        put(
            buf,
            xs[k],
            header_y,
            g.col_w,
            &center(&crate::text::one_line(&label), g.col_w),
            style,
            false,
        );
    }
    put(
        buf,
        total_x,
        header_y,
        g.total_w,
        &center(s.lead_partner, g.total_w),
        th.title,
        false,
    );

    for (k, r) in (st.row_off..st.row_count()).take(rows).enumerate() {
        let y = grid_y + k as u16;
        let label = if st.transposed {
            let u = &d.units[st.units[r]];
            format!("{} {}", crate::text::fit(&u.short, 6), u.name)
        } else {
            let a = &d.articles[st.articles[r]];
            format!("{:>2} {}", a.no, a.title)
        };
        let hstyle = if r == st.row { th.selected } else { th.base };
        put(buf, body.x, y, g.head_w, &crate::text::one_line(&label), hstyle, false);
        for (j, c) in (first..last).enumerate() {
            let text;
            let mut style: Style;
            match st.cell_at(r, c) {
                Some(cell) => {
                    let (st_style, sym) = th.cell(cell.status);
                    text = format!("{}{}", s.role(cell.role), sym);
                    style = st_style;
                    if cell.role == Role::Lead {
                        style = style.patch(th.title);
                    }
                }
                None => {
                    text = "·".into();
                    style = th.dim;
                }
            }
            if r == st.row && c == st.col {
                style = crate::tui::widgets::readable(style.patch(th.selected), th);
            }
            put(buf, xs[j], y, g.col_w, &center(&text, g.col_w), style, false);
        }
        let total = st.row_totals.get(r).map(String::as_str).unwrap_or("");
        put(buf, total_x, y, g.total_w, &center(total, g.total_w), th.dim, false);
    }

    // Column totals.
    let ty = grid_y + rows as u16;
    put(buf, body.x, ty, g.head_w, s.total, th.title, false);
    for (j, c) in (first..last).enumerate() {
        let total = st.col_totals.get(c).map(String::as_str).unwrap_or("");
        put(buf, xs[j], ty, g.col_w, &center(total, g.col_w), th.dim, false);
    }

    // Legend and scroll position.
    let pos = format!("  [{}–{}/{}]", first + 1, last, st.col_count());
    Paragraph::new(Line::from(vec![
        Span::styled(s.legend, th.dim),
        Span::styled(pos, th.dim),
    ]))
    .render(
        Rect {
            y: body.y + body.height - 1,
            height: 1,
            ..body
        },
        buf,
    );
}

impl MatrixState {
    /// Scrolls to the selection and reads the statuses that came into view.
    pub fn follow(&mut self, cx: &PaneCx) -> Handled {
        if !self.loaded {
            return Handled::done();
        }
        let b = cx.body();
        self.scroll_into_view(b);
        self.ensure_statuses(cx.conn, b).into()
    }

    /// Reads the matrix now if it has not been read (a key that needs it
    /// came before the background read).
    fn ensure_loaded(&mut self, cx: &PaneCx) -> crate::db::Result<()> {
        if self.loaded {
            return Ok(());
        }
        self.load(cx.conn, Month::of(cx.today))
    }

    /// The filter or sort changed: the articles and units shown again,
    /// keeping the selected ones.
    fn refilter_keeping(&mut self, cx: &PaneCx) -> Handled {
        let keep = (self.current_article(), self.current_unit());
        // Sorting by lagging count needs every status before it sorts.
        let read = self.ensure_statuses(cx.conn, cx.body());
        self.refilter(keep);
        match read {
            Ok(()) => self.follow(cx),
            Err(e) => Handled::Consumed(vec![Effect::Failed(e)]),
        }
    }

    /// `M`: the measures list, or back to the grid.
    fn toggle_measures(&mut self, cx: &PaneCx) -> crate::db::Result<()> {
        if self.measures.take().is_some() {
            return Ok(());
        }
        let rows = crate::db::measures::list(cx.conn, &Default::default())?;
        let mut l = crate::tui::list::ListPane::default();
        l.set_rows(rows, cx.s, layout::table_page(cx.body()).saturating_sub(1));
        self.measures = Some(l);
        Ok(())
    }
}

impl PaneState for MatrixState {
    fn page(&self, body: Rect) -> usize {
        layout::matrix_page(body)
    }

    fn position(&self) -> Option<(usize, usize)> {
        (self.row_count() > 0).then(|| (self.row + 1, self.row_count()))
    }

    fn filter(&self) -> &str {
        &self.filter
    }

    fn sort_label(&self, s: &Strings) -> &'static str {
        self.sort.label(s)
    }

    fn handle(&mut self, a: Action, cx: &PaneCx) -> Handled {
        let s = cx.s;
        let body = cx.body();
        match a {
            a if is_movement(a)
                || matches!(
                    a,
                    Action::Left | Action::Right | Action::FirstColumn | Action::LastColumn
                ) =>
            {
                if let Some(m) = &mut self.measures {
                    m.navigate(a, layout::table_page(cx.size).saturating_sub(3));
                } else if let Some(f) = &mut self.focus {
                    let rows = layout::table_page(body).saturating_sub(1).max(1);
                    let mut nav = crate::tui::list::ListNav {
                        sel: f.sel,
                        offset: f.offset,
                    };
                    nav.apply(a, f.rows.len(), rows);
                    nav.clamp(f.rows.len(), rows);
                    f.sel = nav.sel;
                    f.offset = nav.offset;
                } else if self.navigate(a, self.page(body)) {
                    return self.follow(cx);
                }
                Handled::done()
            }
            Action::Sort => {
                self.sort = self.sort.next();
                let mut h = self.refilter_keeping(cx);
                if let Handled::Consumed(e) = &mut h {
                    e.insert(
                        0,
                        Effect::Say(format!("{}{}{}", s.sort, s.colon, self.sort.label(s)), Tone::Info),
                    );
                }
                h
            }
            Action::Back if !self.filter.is_empty() => self.edit_filter(FilterEdit::Clear, cx),
            Action::Back | Action::Mark | Action::MarkAll => Handled::done(),
            Action::Transpose => {
                self.transpose();
                self.follow(cx)
            }
            Action::FocusUnit | Action::JumpArticle | Action::ToggleCollectives | Action::ToggleMeasures => {
                if let Err(e) = self.ensure_loaded(cx) {
                    return Handled::Consumed(vec![Effect::Failed(e)]);
                }
                match a {
                    Action::FocusUnit if self.focus.is_some() => {
                        self.focus = None;
                        Handled::done()
                    }
                    Action::ToggleCollectives => {
                        self.toggle_collectives();
                        let said = if self.expanded {
                            s.collectives_expanded
                        } else {
                            s.collectives_collapsed
                        };
                        let mut h = self.follow(cx);
                        if let Handled::Consumed(e) = &mut h {
                            e.insert(0, Effect::Say(said.to_string(), Tone::Info));
                        }
                        h
                    }
                    Action::ToggleMeasures => self.toggle_measures(cx).into(),
                    // The pickers are the console's.
                    _ => Handled::Ignored,
                }
            }
            _ => Handled::Ignored,
        }
    }

    fn edit_filter(&mut self, edit: FilterEdit, cx: &PaneCx) -> Handled {
        apply_edit(&mut self.filter, edit);
        self.refilter_keeping(cx)
    }

    fn fit(&mut self, cx: &PaneCx) -> Handled {
        self.follow(cx)
    }

    fn render(&self, ctx: &RenderCtx, area: Rect, buf: &mut Buffer) {
        match (&self.focus, &self.measures) {
            (_, Some(m)) => super::matrix_views::render_measures(ctx, m, area, buf),
            (Some(f), None) => super::matrix_views::render_focus(ctx, f, area, buf),
            (None, None) => render(ctx, self, area, buf),
        }
    }
}
