//! The inbox's other views and filters: the status and unit-kind quick
//! filters (with counts), the imports view (`I`) and the unit × month grid
//! (`m`).

use super::App;
use crate::db;
use crate::domain::Month;
use crate::tui::action::Action;
use crate::tui::intent::Tone;
use crate::tui::layout;
use crate::tui::overlay::{Detail, DetailKind, Overlay};
use crate::tui::panes::Pane;
use crate::tui::panes::alerts::KindGroup;
use crate::tui::panes::grid::Grid;
use crate::tui::panes::imports::RECENT;
use crate::tui::panes::inbox::{InboxView, STATUS_CYCLE};

impl App {
    /// `f` and `K` in the inbox: the status filter (全部 → 未阅 → 逾期未报 →
    /// 退回 → 已阅 → 补报) and the unit-kind filter.
    pub(super) fn inbox_filter(&mut self, a: Action) {
        let s = self.lang.s();
        let st = &mut self.inbox;
        match a {
            Action::FilterStatus => {
                let i = STATUS_CYCLE.iter().position(|x| *x == st.status).unwrap_or(0);
                st.status = STATUS_CYCLE[(i + 1) % STATUS_CYCLE.len()];
            }
            _ => {
                let all: Vec<Option<KindGroup>> = std::iter::once(None).chain(KindGroup::ALL.map(Some)).collect();
                let i = all.iter().position(|x| *x == st.kind).unwrap_or(0);
                st.kind = all[(i + 1) % all.len()];
            }
        }
        let page = self.page();
        self.inbox.apply_quick(s, page);
        self.load_inbox_detail();
        let mut parts = Vec::new();
        if let Some(x) = self.inbox.status {
            parts.push(s.inbox_status(x).to_string());
        }
        if let Some(k) = self.inbox.kind {
            parts.push(s.kind_groups[k as usize].to_string());
        }
        let text = if parts.is_empty() {
            s.all_items.to_string()
        } else {
            parts.join(" · ")
        };
        self.say(format!("{}{}{text}", s.filter, s.colon), Tone::Info);
    }

    /// Clears the inbox's quick filters; whether any was set.
    pub(super) fn clear_inbox_filters(&mut self) -> bool {
        if self.inbox.status.is_none() && self.inbox.kind.is_none() {
            return false;
        }
        self.inbox.status = None;
        self.inbox.kind = None;
        let s = self.lang.s();
        let page = self.page();
        self.inbox.apply_quick(s, page);
        self.load_inbox_detail();
        true
    }

    /// `I` and `m`: the imports view or the grid, or back to the month.
    pub(super) fn toggle_view(&mut self, v: InboxView) {
        self.inbox.view = if self.inbox.view == v { InboxView::Month } else { v };
        match self.inbox.view {
            InboxView::Imports => self.report(|app| app.load_imports()),
            InboxView::Grid => self.report(|app| app.load_grid(app.inbox.month)),
            InboxView::Month => {}
        }
        self.dirty = true;
    }

    /// Reads the recent imports (keeping the selection).
    pub(super) fn load_imports(&mut self) -> db::Result<()> {
        let rows = db::intake::recent(&self.conn, RECENT)?;
        let s = self.lang.s();
        let page = layout::table_page(self.body());
        self.inbox.imports.set_rows(rows, s, page);
        Ok(())
    }

    /// Reads the grid of the twelve months ending at `last`.
    pub(super) fn load_grid(&mut self, last: Month) -> db::Result<()> {
        let months = Grid::window(last, self.first_month);
        let rows = db::inbox::months_rows(
            &self.conn,
            &months,
            self.policy.due_day,
            &self.policy.calendar,
            self.today,
        )?;
        let (unit, col) = match &self.inbox.grid {
            Some(g) => (g.unit, g.col.min(months.len().saturating_sub(1))),
            None => (0, months.len().saturating_sub(1)),
        };
        let mut g = Grid {
            months,
            rows,
            unit,
            col,
            offset: self.inbox.grid.as_ref().map(|g| g.offset).unwrap_or(0),
        };
        g.clamp(layout::grid_page(self.body()));
        self.inbox.grid = Some(g);
        Ok(())
    }

    /// A key moving in the imports view or the grid; false when the month
    /// view should take it.
    pub(super) fn navigate_view(&mut self, a: Action, page: usize) -> bool {
        match self.inbox.view {
            InboxView::Month => false,
            InboxView::Imports => {
                self.inbox.imports.navigate(a, page);
                true
            }
            InboxView::Grid => {
                let gp = layout::grid_page(self.body());
                let mut shift: Option<bool> = None;
                if let Some(g) = &mut self.inbox.grid {
                    let n = g.units();
                    match a {
                        Action::Up => g.unit = g.unit.saturating_sub(1),
                        Action::Down => g.unit = (g.unit + 1).min(n.saturating_sub(1)),
                        Action::Top => g.unit = 0,
                        Action::Bottom => g.unit = n.saturating_sub(1),
                        Action::PageDown | Action::HalfPageDown => g.unit = (g.unit + gp).min(n.saturating_sub(1)),
                        Action::PageUp | Action::HalfPageUp => g.unit = g.unit.saturating_sub(gp),
                        Action::Left if g.col == 0 => shift = Some(false),
                        Action::Left => g.col -= 1,
                        Action::Right if g.col + 1 >= g.months.len() => shift = Some(true),
                        Action::Right => g.col += 1,
                        _ => {}
                    }
                    g.clamp(gp);
                }
                if let Some(forward) = shift {
                    self.shift_grid(forward, 1);
                }
                true
            }
        }
    }

    /// Moves the grid's window by `n` months.
    pub(super) fn shift_grid(&mut self, forward: bool, n: u32) {
        let Some(g) = &self.inbox.grid else { return };
        let Some(&last) = g.months.last() else { return };
        let mut m = last;
        for _ in 0..n {
            m = if forward { m.next() } else { m.prev() };
        }
        let s = self.lang.s();
        let newest = Month::of(self.today);
        let oldest = self.first_month;
        if m > newest {
            self.say(s.last_month, Tone::Info);
            return;
        }
        // The window keeps twelve months once there are twelve to show.
        let earliest_last = {
            let mut e = oldest;
            for _ in 1..crate::tui::panes::grid::MONTHS {
                e = e.next();
            }
            e.min(newest)
        };
        if m < earliest_last {
            if last == earliest_last {
                self.say(s.first_month, Tone::Info);
                return;
            }
            m = earliest_last;
        }
        self.report(|app| app.load_grid(m));
    }

    /// Enter in the imports view (everything about the file, and its
    /// sidecar) or the grid (that unit's report of that month).
    pub(super) fn open_view(&mut self) -> bool {
        match self.inbox.view {
            InboxView::Month => false,
            InboxView::Imports => {
                if let Some(e) = self.inbox.imports.selected().cloned() {
                    let sidecar = self.sidecar_of(&e);
                    self.overlays.push(Overlay::Detail(Detail {
                        kind: DetailKind::Import(Box::new((e, sidecar))),
                        scroll: 0,
                        pick: 0,
                    }));
                }
                true
            }
            InboxView::Grid => {
                let Some(r) = self.inbox.grid.as_ref().and_then(|g| g.selected()).cloned() else {
                    return true;
                };
                let key = r.key();
                self.inbox.view = InboxView::Month;
                self.clear_inbox_filters();
                self.inbox.list.filter.clear();
                if self.inbox.month != r.month {
                    self.inbox.month = r.month;
                    self.inbox.list.marks.clear();
                }
                let s = self.lang.s();
                let page = self.page_of(Pane::Inbox);
                self.report(|app| {
                    let rows =
                        db::inbox::month_rows(&app.conn, r.month, app.policy.due_day, &app.policy.calendar, app.today)?;
                    app.inbox.set_all(rows, s, page);
                    Ok(())
                });
                self.inbox.list.select_key(&key, s, page);
                self.load_inbox_detail();
                true
            }
        }
    }

    /// `v`: what changed in the selected report from its previous version.
    pub(super) fn open_versions(&mut self) {
        let s = self.lang.s();
        if self.inbox.view != InboxView::Month {
            return;
        }
        let Some(id) = self.inbox.list.selected().and_then(|r| r.report_id) else {
            self.say(s.not_received, Tone::Info);
            return;
        };
        match db::inbox::version_diff(&self.conn, id) {
            Ok(Some(d)) => self.overlays.push(Overlay::Detail(Detail {
                kind: DetailKind::Versions(Box::new(d)),
                scroll: 0,
                pick: 0,
            })),
            Ok(None) => self.say(s.one_version, Tone::Info),
            Err(e) => self.say(e.to_string(), Tone::Bad),
        }
    }

    /// The sidecar kept with a refused file, read from the drop folder
    /// (only a regular file, at most 64 KiB).
    fn sidecar_of(&self, e: &db::intake::LogEntry) -> Option<String> {
        if e.result != db::intake::LogResult::Refused || e.stored_as.is_empty() {
            return None;
        }
        let root = self.inbox_dir.as_ref()?;
        let rel = std::path::Path::new(&e.stored_as);
        if rel.is_absolute() || rel.components().any(|c| matches!(c, std::path::Component::ParentDir)) {
            return None;
        }
        let p = crate::drop_folder::sidecar_of(&root.join(rel));
        let meta = std::fs::symlink_metadata(&p).ok()?;
        if !meta.is_file() || meta.len() > 64 * 1024 {
            return None;
        }
        std::fs::read(&p).ok().map(|b| String::from_utf8_lossy(&b).into_owned())
    }
}
