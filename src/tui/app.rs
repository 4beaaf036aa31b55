//! Console state and `update`, the only place that changes it. The view
//! (`view.rs`) only reads.

use chrono::NaiveDate;
use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use ratatui::layout::Rect;
use rusqlite::Connection;

use super::action::Action;
use super::i18n::Lang;
use super::keymap::{Key, Keymap, Scope};
use super::panes::{alerts::AlertsState, checklist::ChecklistState, inbox::InboxState, matrix::MatrixState};
use super::theme::Theme;
use super::view;
use crate::db::alerts::{AlertRow, AlertSource};
use crate::db::checklist::AuthorityRow;
use crate::db::inbox::ReportDetail;
use crate::db::matrix::CellDetail;
use crate::db::{self, Result};
use crate::domain::{AlertLevel, AlertThresholds, Month};

/// What `App::new` needs: the connection, the clock, the keymap, settings.
pub struct Deps {
    pub conn: Connection,
    /// The database file name, as shown in the header.
    pub db_label: String,
    pub read_only: bool,
    /// "Today" (injected so tests and `--today` fix it).
    pub today: NaiveDate,
    pub lang: Lang,
    pub theme: Theme,
    pub keymap: Keymap,
    pub report_due_day: u32,
    pub thresholds: AlertThresholds,
    /// The OS user, for the header.
    pub user: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pane {
    Inbox,
    Checklist,
    Matrix,
    Alerts,
}

/// Whether an action does anything in a pane (help and hints list only these).
pub fn applies(action: Action, pane: Pane) -> bool {
    match action {
        Action::Left | Action::Right => matches!(pane, Pane::Inbox | Pane::Matrix),
        _ => true,
    }
}

impl Pane {
    pub const ALL: [Pane; 4] = [Pane::Inbox, Pane::Checklist, Pane::Matrix, Pane::Alerts];

    pub fn index(self) -> usize {
        Pane::ALL.iter().position(|p| *p == self).unwrap_or(0)
    }

    pub fn scope(self) -> Scope {
        match self {
            Pane::Inbox => Scope::Inbox,
            Pane::Checklist => Scope::Checklist,
            Pane::Matrix => Scope::Matrix,
            Pane::Alerts => Scope::Alerts,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Normal,
    /// Typing a filter for the focused pane.
    Filter,
    /// The `?` overlay, with its search.
    Help,
    Popup,
}

/// What Enter opened.
#[derive(Debug, Clone, PartialEq)]
pub enum Popup {
    Cell(CellDetail),
    Report(ReportDetail),
    Authority(AuthorityRow),
    Alert(AlertRow),
}

pub struct App {
    pub conn: Connection,
    pub db_label: String,
    pub read_only: bool,
    pub today: NaiveDate,
    pub lang: Lang,
    pub theme: Theme,
    pub keymap: Keymap,
    pub due_day: u32,
    pub thresholds: AlertThresholds,
    pub user: String,
    pub pane: Pane,
    pub mode: Mode,
    /// The whole terminal area, from the last resize.
    pub size: Rect,
    pub inbox: InboxState,
    pub checklist: ChecklistState,
    pub matrix: MatrixState,
    pub alerts: AlertsState,
    pub popup: Option<Popup>,
    pub popup_scroll: u16,
    pub help_query: String,
    pub help_scroll: usize,
    /// Earliest month the inbox can show.
    pub first_month: Month,
    pub unread: i64,
    data_version: i64,
    /// Time at which another user's change was last loaded.
    pub external_update: Option<String>,
    /// One-line message in the footer until the next key.
    pub message: Option<String>,
    pub quit: bool,
    /// Something changed since the last draw.
    pub dirty: bool,
    /// The next draw should clear the terminal first.
    pub clear: bool,
}

impl App {
    pub fn new(deps: Deps, size: Rect) -> Result<App> {
        let current = Month::of(deps.today);
        let first_month = match db::reporting_start(&deps.conn)? {
            Some(m) => m,
            None => db::first_report_month(&deps.conn)?.unwrap_or(current.prev()),
        };
        let mut app = App {
            conn: deps.conn,
            db_label: deps.db_label,
            read_only: deps.read_only,
            today: deps.today,
            lang: deps.lang,
            theme: deps.theme,
            keymap: deps.keymap,
            due_day: deps.report_due_day,
            thresholds: deps.thresholds,
            user: deps.user,
            pane: Pane::Inbox,
            mode: Mode::Normal,
            size,
            inbox: InboxState::new(current.prev().max(first_month)),
            checklist: ChecklistState::default(),
            matrix: MatrixState::default(),
            alerts: AlertsState::default(),
            popup: None,
            popup_scroll: 0,
            help_query: String::new(),
            help_scroll: 0,
            first_month,
            unread: 0,
            data_version: 0,
            external_update: None,
            message: None,
            quit: false,
            dirty: true,
            clear: false,
        };
        app.data_version = db::data_version(&app.conn)?;
        app.reload()?;
        Ok(app)
    }

    /// Where the focused pane is drawn (left of the dashboard column, if any).
    fn body(&self) -> Rect {
        view::pane_area(self.size)
    }

    fn page(&self) -> usize {
        self.page_of(self.pane)
    }

    /// Reloads everything loaded so far, keeping selections, filters and scroll.
    pub fn reload(&mut self) -> Result<()> {
        let s = self.lang.s();
        let b = self.body();
        self.inbox
            .load(&self.conn, self.due_day, self.today, s, super::panes::inbox::page(b))?;
        let cpage = self.page_of(Pane::Checklist);
        self.checklist.load(&self.conn, s, cpage)?;
        self.alerts.load(
            &self.conn,
            self.today,
            self.thresholds,
            self.due_day,
            s,
            super::panes::alerts::page(b),
        )?;
        if self.matrix.loaded {
            self.matrix.load(&self.conn, Month::of(self.today))?;
            self.matrix.scroll_into_view(b);
            self.matrix.ensure_statuses(&self.conn, b)?;
        }
        self.unread = db::inbox::unread_count(&self.conn)?;
        self.refresh_popup()?;
        self.dirty = true;
        Ok(())
    }

    /// After a reload, an open popup shows the record as it is now (or
    /// closes, saying so, when the record is gone).
    fn refresh_popup(&mut self) -> Result<()> {
        let Some(popup) = &self.popup else { return Ok(()) };
        let fresh = match popup {
            Popup::Report(d) => db::inbox::report_detail(&self.conn, d.id)?.map(Popup::Report),
            Popup::Authority(r) => self
                .checklist
                .rows
                .iter()
                .find(|x| x.id == r.id)
                .cloned()
                .map(Popup::Authority),
            Popup::Alert(r) => self
                .alerts
                .rows
                .iter()
                .find(|x| x.source == r.source && x.key == r.key)
                .cloned()
                .map(Popup::Alert),
            Popup::Cell(d) => db::matrix::cell_detail(&self.conn, d.article_no, d.unit_id)?.map(Popup::Cell),
        };
        if fresh.is_none() {
            self.mode = Mode::Normal;
            self.message = Some(self.lang.s().popup_gone.to_string());
        }
        self.popup = fresh;
        Ok(())
    }

    fn page_of(&self, pane: Pane) -> usize {
        let b = self.body();
        match pane {
            Pane::Checklist => {
                let zones = self
                    .checklist
                    .rows
                    .iter()
                    .map(|r| r.zone_id)
                    .collect::<std::collections::BTreeSet<_>>()
                    .len();
                super::panes::checklist::page(b, zones)
            }
            Pane::Inbox => super::panes::inbox::page(b),
            Pane::Matrix => super::panes::matrix::page(b),
            Pane::Alerts => super::panes::alerts::page(b),
        }
    }

    /// Checks whether another connection committed; reloads if so.
    /// Returns whether anything was reloaded.
    pub fn poll_external(&mut self) -> Result<bool> {
        let v = db::data_version(&self.conn)?;
        if v == self.data_version {
            return Ok(false);
        }
        // Remember the version only once the reload worked, so a failed
        // reload is tried again on the next tick.
        self.reload()?;
        self.data_version = v;
        self.external_update = Some(chrono::Local::now().format("%H:%M:%S").to_string());
        Ok(true)
    }

    /// Furthest the help list scrolls: its last line at the bottom of the box.
    pub fn help_max_scroll(&self) -> usize {
        view::help_lines(self).len().saturating_sub(view::help_list_rows(self))
    }

    /// Monthly reports past due and not received, over the months the alerts cover.
    pub fn overdue_reports(&self) -> usize {
        self.alerts
            .rows
            .iter()
            .filter(|r| r.source == AlertSource::MissingReport && r.days_left < 0)
            .count()
    }

    /// Selected row and row count of the focused list (1-based), for the footer.
    pub fn position(&self) -> Option<(usize, usize)> {
        let (sel, len) = match self.pane {
            Pane::Inbox => (self.inbox.nav.sel, self.inbox.view.len()),
            Pane::Checklist => (self.checklist.nav.sel, self.checklist.view.len()),
            Pane::Alerts => (self.alerts.nav.sel, self.alerts.view.len()),
            Pane::Matrix => (self.matrix.row, self.matrix.row_count()),
        };
        (len > 0).then_some((sel + 1, len))
    }

    /// True when the terminal is below the size the console draws in.
    pub fn too_small(&self) -> bool {
        self.size.width < view::MIN_W || self.size.height < view::MIN_H
    }

    /// Count of red alerts (overdue or escalated).
    pub fn red_alerts(&self) -> usize {
        self.alerts.count(AlertLevel::Red)
    }

    pub fn resize(&mut self, w: u16, h: u16) {
        self.size = Rect::new(0, 0, w, h);
        self.clamp_lists();
        if self.pane == Pane::Matrix {
            self.matrix_follow();
        }
        self.popup_scroll = self.popup_scroll.min(view::popup_max_scroll(self));
        self.dirty = true;
    }

    /// A key press: text modes take characters, otherwise the keymap decides.
    pub fn handle_key(&mut self, ev: KeyEvent) {
        if ev.kind == KeyEventKind::Release {
            return;
        }
        self.dirty = true;
        self.message = None;
        if ev.code == KeyCode::Char('c') && ev.modifiers.contains(KeyModifiers::CONTROL) {
            self.quit = true;
            return;
        }
        if self.too_small() {
            if self.keymap.resolve(Scope::Global, Key::from_event(&ev)) == Some(Action::Quit) {
                self.quit = true;
            }
            return;
        }
        match self.mode {
            Mode::Help => match ev.code {
                KeyCode::Esc | KeyCode::Enter => self.mode = Mode::Normal,
                KeyCode::Backspace => {
                    self.help_query.pop();
                    self.help_scroll = 0;
                }
                KeyCode::Up => self.help_scroll = self.help_scroll.saturating_sub(1),
                KeyCode::Home => self.help_scroll = 0,
                KeyCode::End => self.help_scroll = self.help_max_scroll(),
                KeyCode::PageUp => self.help_scroll = self.help_scroll.saturating_sub(10),
                KeyCode::PageDown => self.help_scroll = (self.help_scroll + 10).min(self.help_max_scroll()),
                KeyCode::Down if self.help_scroll < self.help_max_scroll() => self.help_scroll += 1,
                KeyCode::Char(c) if !ev.modifiers.contains(KeyModifiers::CONTROL) => {
                    self.help_query.push(c);
                    self.help_scroll = 0;
                }
                _ => {}
            },
            Mode::Filter => match ev.code {
                KeyCode::Esc => {
                    self.filter_mut().clear();
                    self.refilter();
                    self.mode = Mode::Normal;
                }
                KeyCode::Enter => self.mode = Mode::Normal,
                KeyCode::Backspace => {
                    self.filter_mut().pop();
                    self.refilter();
                }
                KeyCode::Up => self.update(Action::Up),
                KeyCode::Down => self.update(Action::Down),
                KeyCode::Char(c) if !ev.modifiers.contains(KeyModifiers::CONTROL) => {
                    self.filter_mut().push(c);
                    self.refilter();
                }
                _ => {}
            },
            Mode::Popup => {
                let action = self.keymap.resolve(Scope::Global, Key::from_event(&ev));
                match action {
                    Some(Action::Down) => self.popup_scroll = (self.popup_scroll + 1).min(view::popup_max_scroll(self)),
                    Some(Action::Up) => self.popup_scroll = self.popup_scroll.saturating_sub(1),
                    Some(Action::PageDown | Action::HalfPageDown) => {
                        self.popup_scroll = (self.popup_scroll + 10).min(view::popup_max_scroll(self))
                    }
                    Some(Action::PageUp | Action::HalfPageUp) => {
                        self.popup_scroll = self.popup_scroll.saturating_sub(10)
                    }
                    Some(Action::Top) => self.popup_scroll = 0,
                    Some(Action::Bottom) => self.popup_scroll = view::popup_max_scroll(self),
                    Some(Action::Quit) => self.quit = true,
                    Some(Action::Back | Action::Open) => {
                        self.popup = None;
                        self.mode = Mode::Normal;
                    }
                    _ => {}
                }
            }
            Mode::Normal => {
                if let Some(a) = self.keymap.resolve(self.pane.scope(), Key::from_event(&ev)) {
                    self.update(a);
                }
            }
        }
    }

    fn filter_mut(&mut self) -> &mut String {
        match self.pane {
            Pane::Inbox => &mut self.inbox.filter,
            Pane::Checklist => &mut self.checklist.filter,
            Pane::Matrix => &mut self.matrix.filter,
            Pane::Alerts => &mut self.alerts.filter,
        }
    }

    /// The focused pane's filter.
    pub fn filter(&self) -> &str {
        match self.pane {
            Pane::Inbox => &self.inbox.filter,
            Pane::Checklist => &self.checklist.filter,
            Pane::Matrix => &self.matrix.filter,
            Pane::Alerts => &self.alerts.filter,
        }
    }

    /// The focused pane's sort column, in words.
    pub fn sort_label(&self) -> &'static str {
        let s = self.lang.s();
        match self.pane {
            Pane::Inbox => s.sort_inbox[self.inbox.sort],
            Pane::Checklist => s.sort_checklist[self.checklist.sort],
            Pane::Matrix => s.sort_matrix[self.matrix.sort],
            Pane::Alerts => s.sort_alerts[self.alerts.sort],
        }
    }

    fn refilter(&mut self) {
        let s = self.lang.s();
        let page = self.page();
        match self.pane {
            Pane::Inbox => {
                let keep = self.inbox.selected().map(|r| r.unit_id);
                self.inbox.refilter(s, keep, page);
                self.report(|app| app.inbox.load_detail(&app.conn));
            }
            Pane::Checklist => {
                let keep = self.checklist.selected().map(|r| r.id);
                self.checklist.refilter(s, keep, page);
            }
            Pane::Matrix => {
                let keep = (self.matrix.current_article(), self.matrix.current_unit());
                // Sorting by lagging count needs every status before it sorts.
                let b = self.body();
                self.report(|app| app.matrix.ensure_statuses(&app.conn, b));
                self.matrix.refilter(keep);
                self.matrix_follow();
            }
            Pane::Alerts => {
                let keep = self.alerts.selected().map(|r| (r.source, r.key.clone()));
                self.alerts.refilter(s, keep, page);
            }
        }
    }

    /// Runs a database step; a failure becomes the footer message, never a crash.
    fn report(&mut self, f: impl FnOnce(&mut App) -> Result<()>) {
        if let Err(e) = f(self) {
            self.message = Some(e.to_string());
        }
    }

    /// Scrolls the matrix to its selection and reads what came into view.
    fn matrix_follow(&mut self) {
        let b = self.body();
        self.matrix.scroll_into_view(b);
        self.report(|app| app.matrix.ensure_statuses(&app.conn, b));
    }

    /// Keeps every list's selection visible for the current screen size.
    fn clamp_lists(&mut self) {
        let (i, c, a) = (
            self.page_of(Pane::Inbox),
            self.page_of(Pane::Checklist),
            self.page_of(Pane::Alerts),
        );
        self.inbox.nav.clamp(self.inbox.view.len(), i);
        self.checklist.nav.clamp(self.checklist.view.len(), c);
        self.alerts.nav.clamp(self.alerts.view.len(), a);
    }

    fn focus(&mut self, pane: Pane) {
        self.pane = pane;
        self.clamp_lists();
        if pane == Pane::Matrix && !self.matrix.loaded {
            let today = Month::of(self.today);
            self.report(|app| app.matrix.load(&app.conn, today));
        }
        if pane == Pane::Matrix {
            self.matrix_follow();
        }
    }

    fn change_month(&mut self, forward: bool) {
        let m = if forward {
            self.inbox.month.next()
        } else {
            self.inbox.month.prev()
        };
        if m < self.first_month || m > Month::of(self.today) {
            let s = self.lang.s();
            self.message = Some(if forward { s.last_month } else { s.first_month }.to_string());
            return;
        }
        self.inbox.month = m;
        let s = self.lang.s();
        let page = self.page();
        self.report(|app| app.inbox.load(&app.conn, app.due_day, app.today, s, page));
    }

    /// Applies one action.
    pub fn update(&mut self, action: Action) {
        self.dirty = true;
        let page = self.page();
        match action {
            Action::Quit => self.quit = true,
            Action::Help => {
                self.mode = Mode::Help;
                self.help_query.clear();
                self.help_scroll = 0;
            }
            Action::NextPane => self.focus(Pane::ALL[(self.pane.index() + 1) % 4]),
            Action::PrevPane => self.focus(Pane::ALL[(self.pane.index() + 3) % 4]),
            Action::PaneInbox => self.focus(Pane::Inbox),
            Action::PaneChecklist => self.focus(Pane::Checklist),
            Action::PaneMatrix => self.focus(Pane::Matrix),
            Action::PaneAlerts => self.focus(Pane::Alerts),
            Action::PrevMonth => self.change_month(false),
            Action::NextMonth => self.change_month(true),
            Action::Filter => self.mode = Mode::Filter,
            Action::Sort => {
                match self.pane {
                    Pane::Inbox => self.inbox.sort = (self.inbox.sort + 1) % super::panes::inbox::SORTS,
                    Pane::Checklist => self.checklist.sort = (self.checklist.sort + 1) % super::panes::checklist::SORTS,
                    Pane::Matrix => self.matrix.sort = (self.matrix.sort + 1) % super::panes::matrix::SORTS,
                    Pane::Alerts => self.alerts.sort = (self.alerts.sort + 1) % super::panes::alerts::SORTS,
                }
                self.refilter();
                let s = self.lang.s();
                self.message = Some(format!("{}{}{}", s.sort, s.colon, self.sort_label()));
            }
            Action::Transpose => {
                if self.pane == Pane::Matrix {
                    self.matrix.transpose();
                    self.matrix_follow();
                }
            }
            Action::Open => self.open(),
            Action::Back => {
                if !self.filter().is_empty() {
                    self.filter_mut().clear();
                    self.refilter();
                }
            }
            Action::Redraw => self.clear = true,
            Action::Left | Action::Right if self.pane == Pane::Inbox => self.change_month(action == Action::Right),
            movement => self.navigate(movement, page),
        }
    }

    fn navigate(&mut self, a: Action, page: usize) {
        match self.pane {
            Pane::Inbox => {
                if self.inbox.nav.apply(a, self.inbox.view.len(), page) {
                    self.report(|app| app.inbox.load_detail(&app.conn));
                }
            }
            Pane::Checklist => {
                self.checklist.nav.apply(a, self.checklist.view.len(), page);
            }
            Pane::Alerts => {
                self.alerts.nav.apply(a, self.alerts.view.len(), page);
            }
            Pane::Matrix => {
                let m = &mut self.matrix;
                let (rows, cols) = (m.row_count(), m.col_count());
                match a {
                    Action::FirstColumn => m.col = 0,
                    Action::LastColumn => m.col = cols.saturating_sub(1),
                    Action::Left => m.col = m.col.saturating_sub(1),
                    Action::Right => m.col = (m.col + 1).min(cols.saturating_sub(1)),
                    _ => {
                        let mut nav = super::panes::ListNav {
                            sel: m.row,
                            offset: m.row_off,
                        };
                        nav.apply(a, rows, page);
                        m.row = nav.sel;
                    }
                }
                self.matrix_follow();
            }
        }
    }

    fn open(&mut self) {
        let popup = match self.pane {
            Pane::Inbox => {
                if self.inbox.detail.is_none() && self.inbox.selected().is_some() {
                    self.message = Some(self.lang.s().nothing_to_open.to_string());
                }
                self.inbox.detail.clone().map(Popup::Report)
            }
            Pane::Checklist => self.checklist.selected().cloned().map(Popup::Authority),
            Pane::Alerts => self.alerts.selected().cloned().map(Popup::Alert),
            Pane::Matrix => match (
                self.matrix.current_article(),
                self.matrix.current_unit(),
                self.matrix.current_cell(),
            ) {
                (Some(a), Some(u), Some(_)) => match db::matrix::cell_detail(&self.conn, a, u) {
                    Ok(d) => d.map(Popup::Cell),
                    Err(e) => {
                        self.message = Some(e.to_string());
                        None
                    }
                },
                (Some(_), Some(_), None) => {
                    self.message = Some(self.lang.s().no_role.to_string());
                    None
                }
                _ => None,
            },
        };
        if let Some(p) = popup {
            self.popup = Some(p);
            self.popup_scroll = 0;
            self.mode = Mode::Popup;
        }
    }
}
