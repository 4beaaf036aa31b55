//! Console state and `update`, the only place that changes it. Keys go
//! through the keymap of the top overlay (or the focused pane) to an
//! [`Action`]; the view (`view.rs`) only reads. Changes to the database
//! are sent to the writer thread (`edit.rs`, `worker.rs`).

mod edit;
mod inbox_views;
mod loading;
mod parts;
mod screen;

use std::path::PathBuf;

use chrono::NaiveDate;
use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use ratatui::layout::Rect;
use rusqlite::Connection;

use super::action::Action;
use super::ctx::RenderCtx;
use super::intent::{Message, Tone};
use super::keymap::{Key, Keymap, Scope};
use super::layout;
use super::list::SortOrder;
use super::overlay::{Detail, DetailKind, Help, Overlay, detail, help};
use super::panes::alerts::AlertsState;
use super::panes::checklist::ChecklistState;
use super::panes::inbox::InboxState;
use super::panes::matrix::MatrixState;
use super::panes::{self, Pane};
use super::theme::Theme;
use super::worker::Worker;
use crate::db::alerts::AlertPolicy;
use crate::db::audit::Actor;
use crate::db::{self, Result};
use crate::domain::{AlertLevel, Month};
use crate::i18n::Lang;
use parts::Pending;

/// What `App::new` needs: the connection, the clock, the keymap, settings.
pub struct Deps {
    pub conn: Connection,
    /// The database file: the writer opens its own connection to it.
    pub path: PathBuf,
    /// The database file name, as shown in the header.
    pub db_label: String,
    pub read_only: bool,
    /// Read-only because the file cannot be written by this user (not asked for).
    pub read_only_forced: bool,
    /// "Today" (injected so tests and `--today` fix it).
    pub today: NaiveDate,
    /// Whether "today" was set (`--today`, a sample's as-of date) rather
    /// than read off the clock: the header says so.
    pub today_set: bool,
    pub lang: Lang,
    pub theme: Theme,
    pub keymap: Keymap,
    /// How alerts are judged (and the report due day and working days).
    pub policy: AlertPolicy,
    /// The OS user: shown in the header, recorded with every change.
    pub actor: Actor,
    /// Who sends notices (催办通知单) and where they are saved.
    pub office: crate::notice::Office,
    /// The drop folder of report files, watched while the console can
    /// write (`None`: not watched).
    pub inbox_dir: Option<PathBuf>,
    /// The drop folder of this database, watched or not (shown in the
    /// imports view).
    pub drop_folder: PathBuf,
}

pub struct App {
    pub conn: Connection,
    pub path: PathBuf,
    pub db_label: String,
    pub read_only: bool,
    pub read_only_forced: bool,
    pub today: NaiveDate,
    pub today_set: bool,
    pub lang: Lang,
    pub theme: Theme,
    pub keymap: Keymap,
    pub policy: AlertPolicy,
    pub actor: Actor,
    pub office: crate::notice::Office,
    pub pane: Pane,
    /// The whole terminal area, from the last resize.
    pub size: Rect,
    pub inbox: InboxState,
    /// The current reporting month at a glance, for the dashboard,
    /// whatever month the inbox is browsing.
    pub inbox_now: super::digest::InboxDigest,
    /// The alerts at a glance, for the tab bar and the dashboard.
    pub alerts_now: super::digest::AlertsDigest,
    pub checklist: ChecklistState,
    pub matrix: MatrixState,
    pub alerts: AlertsState,
    /// Overlays, the last on top.
    pub overlays: Vec<Overlay>,
    /// Earliest month the inbox can show.
    pub first_month: Month,
    pub unread: i64,
    data_version: i64,
    /// The file as it was when an immutable snapshot of it was opened.
    file_stamp: Option<db::FileStamp>,
    /// Highest audit row seen; rows above it not written by us are others' changes.
    last_audit: i64,
    /// Time at which another user's change was last loaded.
    pub external_update: Option<String>,
    pub message: Option<Message>,
    /// Keys dropped while the terminal was too small to show what they
    /// would do (said on that screen, cleared when it is large again).
    pub(super) small_dropped: usize,
    pub quit: bool,
    /// Something changed since the last draw.
    pub dirty: bool,
    /// The next draw should clear the terminal first.
    pub clear: bool,
    pub(super) worker: Option<Worker>,
    /// The pipe the writer and the reader wake the loop on.
    pub(super) wake: Option<super::wake::Wake>,
    /// The reader, when the console loads in the background (in-process
    /// tests load in place).
    pub(super) loader: Option<super::loader::Loader>,
    pub(super) loads: parts::Loads,
    pub(super) pending: Pending,
    /// The drop folder (for refused files' sidecars).
    pub(super) inbox_dir: Option<PathBuf>,
    pub(super) drop_folder: PathBuf,
}

impl App {
    /// The console with everything read before it returns (tests, benches).
    pub fn new(deps: Deps, size: Rect) -> Result<App> {
        let mut app = App::build(deps, size)?;
        // A part that cannot be read is reported; the console still starts.
        app.report(App::reload);
        Ok(app)
    }

    /// The console as it runs: reads in the background, waiting up to
    /// `wait` for the inbox only.
    pub fn start(deps: Deps, size: Rect, wait: std::time::Duration) -> Result<App> {
        let setting = super::loader::Setting {
            today: deps.today,
            policy: deps.policy.clone(),
        };
        let mut app = App::build(deps, size)?;
        if let Some(wake) = &app.wake {
            app.loader = super::loader::Loader::start(&app.path, setting, wake.ringer()).ok();
        }
        if app.loader.is_some() {
            // Large reads are the reader's: this connection reads a report
            // or a cell at a time and keeps a small page cache.
            let _ = app.conn.pragma_update(None, "cache_size", db::SMALL_CACHE_KIB);
        }
        if app.loader.is_some() {
            app.first_load(wait);
        } else {
            app.report(App::reload);
        }
        Ok(app)
    }

    fn build(deps: Deps, size: Rect) -> Result<App> {
        let current = Month::of(deps.today);
        let first_month = match db::reporting_start(&deps.conn)? {
            Some(m) => m,
            None => db::first_report_month(&deps.conn)?.unwrap_or(current.prev()),
        };
        let wake = super::wake::Wake::new().ok();
        let worker = match &wake {
            Some(wake) if !deps.read_only => {
                let ctx = crate::ops::Context::new(deps.actor.clone(), deps.today)
                    .with_calendar(deps.policy.calendar.clone());
                Worker::start(&deps.path, ctx, deps.inbox_dir.clone(), wake.ringer()).ok()
            }
            _ => None,
        };
        let mut app = App {
            conn: deps.conn,
            path: deps.path,
            db_label: deps.db_label,
            read_only: deps.read_only,
            read_only_forced: deps.read_only_forced,
            today: deps.today,
            today_set: deps.today_set,
            lang: deps.lang,
            theme: deps.theme,
            keymap: deps.keymap,
            policy: deps.policy,
            actor: deps.actor,
            office: deps.office,
            pane: Pane::Inbox,
            size,
            inbox: InboxState::new(current.prev().max(first_month)),
            inbox_now: Default::default(),
            alerts_now: Default::default(),
            checklist: ChecklistState::default(),
            matrix: MatrixState::default(),
            alerts: AlertsState::default(),
            overlays: Vec::new(),
            first_month,
            unread: 0,
            data_version: 0,
            file_stamp: None,
            last_audit: 0,
            external_update: None,
            message: None,
            small_dropped: 0,
            quit: false,
            dirty: true,
            clear: false,
            worker,
            wake,
            loader: None,
            loads: Default::default(),
            pending: Pending::default(),
            inbox_dir: deps.inbox_dir.clone(),
            drop_folder: deps.drop_folder.clone(),
        };
        app.data_version = db::data_version(&app.conn)?;
        app.file_stamp = db::FileStamp::of(&app.path);
        app.last_audit = db::audit::max_id(&app.conn)?;
        Ok(app)
    }

    /// What the renderers may read.
    pub fn ctx(&self) -> RenderCtx<'_> {
        RenderCtx {
            theme: &self.theme,
            s: self.lang.s(),
            keymap: &self.keymap,
            today: self.today,
            read_only: self.read_only,
            read_only_forced: self.read_only_forced,
            drop_folder: (&self.drop_folder, self.inbox_dir.is_some()),
            thresholds: self.policy.thresholds,
            working_days: self.policy.calendar.enabled,
            loading: self.loads.waiting,
            unreadable: self.loads.unreadable,
        }
    }

    /// Where the focused pane is drawn (left of the dashboard column, if any).
    pub fn body(&self) -> Rect {
        layout::pane_area(self.size)
    }

    pub(super) fn page_of(&self, pane: Pane) -> usize {
        let b = self.body();
        match pane {
            Pane::Checklist => layout::checklist_page(b, panes::checklist::zone_count(&self.checklist.all)),
            Pane::Inbox => layout::inbox_page(b),
            Pane::Matrix => layout::matrix_page(b),
            Pane::Alerts => layout::alerts_page(b),
        }
    }

    pub(super) fn page(&self) -> usize {
        self.page_of(self.pane)
    }

    /// The month whose reports are due now (the one before today's).
    pub fn current_month(&self) -> Month {
        Month::of(self.today).prev().max(self.first_month)
    }

    /// Reloads everything loaded so far, keeping selections, marks, filters
    /// and scroll. Each part loads on its own: a part that cannot be read
    /// (a value this binary does not know) leaves the others working, and
    /// the first error is returned to be shown.
    pub fn reload(&mut self) -> Result<()> {
        let s = self.lang.s();
        let mut first_error = None;
        let mut keep = |r: Result<()>| {
            if let Err(e) = r
                && first_error.is_none()
            {
                first_error = Some(e);
            }
        };
        let month = self.inbox.month;
        let current = self.current_month();
        let page = self.page_of(Pane::Inbox);
        keep(
            db::inbox::month_rows(
                &self.conn,
                month,
                self.policy.due_day,
                &self.policy.calendar,
                self.today,
            )
            .map(|rows| self.inbox.set_all(rows, s, page)),
        );
        keep(if month == current {
            self.inbox_now = super::digest::InboxDigest::of(current, self.inbox.all());
            Ok(())
        } else {
            db::inbox::month_rows(
                &self.conn,
                current,
                self.policy.due_day,
                &self.policy.calendar,
                self.today,
            )
            .map(|rows| self.inbox_now = super::digest::InboxDigest::of(current, &rows))
        });
        self.load_inbox_detail();
        keep(self.reload_inbox_view());
        keep(db::checklist::items(&self.conn).map(|items| self.set_checklist(items)));
        let page = self.page_of(Pane::Alerts);
        keep(db::alerts::list(&self.conn, self.today, &self.policy).map(|rows| {
            self.alerts_now = super::digest::AlertsDigest::of(&rows);
            self.alerts.set_all(rows, s, page)
        }));
        if self.matrix.loaded {
            let b = self.body();
            keep(self.matrix.load(&self.conn, Month::of(self.today)).and_then(|()| {
                self.matrix.scroll_into_view(b);
                self.matrix.ensure_statuses(&self.conn, b)
            }));
        }
        keep(db::inbox::unread_count(&self.conn).map(|n| self.unread = n));
        keep(self.refresh_overlays());
        self.sync_alert_file(true);
        self.dirty = true;
        match first_error {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }

    /// The checklist's items (a reload).
    pub(super) fn set_checklist(&mut self, items: Vec<crate::db::checklist::AuthorityRow>) {
        let s = self.lang.s();
        let page = layout::checklist_page(self.body(), panes::checklist::zone_count(&items));
        self.checklist.set_all(items, s, page);
    }

    /// Reads the inbox's imports or grid view again, when one is shown.
    fn reload_inbox_view(&mut self) -> Result<()> {
        match self.inbox.view {
            panes::inbox::InboxView::Imports => self.load_imports(),
            panes::inbox::InboxView::Grid => {
                let last = self
                    .inbox
                    .grid
                    .as_ref()
                    .and_then(|g| g.months.last().copied())
                    .unwrap_or(self.inbox.month);
                self.load_grid(last)
            }
            panes::inbox::InboxView::Month => Ok(()),
        }
    }

    /// After a background load: the views read in place and the open
    /// details follow the data.
    pub(super) fn reload_views(&mut self) -> Result<()> {
        let a = self.reload_inbox_view();
        let b = self.refresh_overlays();
        a.and(b)
    }

    /// Reads an authority item's status changes for its detail.
    pub(super) fn load_authority_history(&mut self, id: i64) {
        let h = db::checklist::events(&self.conn, id).map_err(|e| e.to_string());
        self.checklist.history = Some((id, h));
    }

    /// Reads the detail of the inbox's selected unit-month (keyed by the
    /// row, so it never shows under another row; a read error is shown).
    pub(super) fn load_inbox_detail(&mut self) {
        let Some(row) = self.inbox.list.selected() else {
            self.inbox.detail = None;
            return;
        };
        let key = row.key();
        let file = db::inbox::report_file(&self.conn, key, row.report_id).map_err(|e| e.to_string());
        self.inbox.detail = Some((key, file));
    }

    /// After a reload, open overlays show their record as it is now (a
    /// detail whose record is gone closes, saying so).
    fn refresh_overlays(&mut self) -> Result<()> {
        let mut gone = false;
        for o in &mut self.overlays {
            if let Overlay::Detail(d) = o {
                match &mut d.kind {
                    DetailKind::Cell(c) => {
                        match db::matrix::cell_detail(&self.conn, c.article_no, c.unit_id, Month::of(self.today))? {
                            Some(fresh) => **c = fresh,
                            None => gone = true,
                        }
                    }
                    DetailKind::Authority(id) => {
                        gone |= !self.checklist.all.iter().any(|r| r.id == *id);
                        let id = *id;
                        self.checklist.history =
                            Some((id, db::checklist::events(&self.conn, id).map_err(|e| e.to_string())));
                    }
                    DetailKind::Alert(k) => {
                        gone |= !self.alerts.all().iter().any(|r| r.key == *k);
                        let key = *k;
                        self.alerts.file = Some((
                            key,
                            db::notes::item_file(&self.conn, key, db::inbox::HISTORY_LINES).map_err(|e| e.to_string()),
                        ));
                    }
                    DetailKind::Report => gone |= self.inbox.list.selected().is_none(),
                    DetailKind::Import(_) | DetailKind::Versions(_) => {}
                }
            }
        }
        if gone {
            self.overlays.retain(|o| !matches!(o, Overlay::Detail(_)));
            self.say(self.lang.s().popup_gone, Tone::Info);
        }
        Ok(())
    }

    /// Checks whether the database changed since it was read; reloads if so,
    /// and marks it as another user's change unless every change since was
    /// this console's own. Returns whether anything was reloaded.
    pub fn poll_external(&mut self) -> Result<bool> {
        self.reopen_stale_snapshot()?;
        let v = db::data_version(&self.conn)?;
        if v == self.data_version {
            return Ok(false);
        }
        let audit = db::audit::max_id(&self.conn)?;
        let foreign = db::audit::count_between(&self.conn, self.last_audit, audit, &self.pending.own_audit)?;
        // A commit that wrote no audit row at all is someone else's too.
        let external = foreign > 0 || audit == self.last_audit;
        // Remember the version only once the reload worked (or was asked
        // of the reader), so a failed reload is tried again on the next tick.
        self.reload_all()?;
        self.data_version = v;
        self.last_audit = audit;
        self.pending.own_audit.clear();
        if external {
            self.external_update = Some(chrono::Local::now().format("%H:%M:%S").to_string());
        }
        Ok(true)
    }

    /// A reader that could not share the file's lock files reads it as an
    /// immutable snapshot, which never sees another user's commit: when
    /// the file changed (or someone opened it, making `-wal`/`-shm`), it
    /// is opened again, as a live reader where it now can be.
    fn reopen_stale_snapshot(&mut self) -> Result<()> {
        if !db::is_immutable(&self.conn) {
            return Ok(());
        }
        let now = db::FileStamp::of(&self.path);
        if now == self.file_stamp {
            return Ok(());
        }
        let conn = db::open(&self.path, db::Mode::ReadOnly)?;
        if self.loader.is_some() {
            let _ = conn.pragma_update(None, "cache_size", db::SMALL_CACHE_KIB);
        }
        self.conn = conn;
        self.file_stamp = now;
        // Another connection: its data version starts afresh, so the
        // next comparison reloads.
        self.data_version = -1;
        Ok(())
    }

    /// Whether the writer has work in hand (another user's change cannot be
    /// told from ours until it answers).
    pub fn writing(&self) -> bool {
        self.worker.as_ref().is_some_and(|w| w.busy())
    }

    /// Monthly reports past due and not received, over the months the alerts cover.
    pub fn overdue_reports(&self) -> usize {
        self.alerts_now.overdue_reports
    }

    /// Count of alerts at a level (snoozed ones left out).
    pub fn alerts_at(&self, level: AlertLevel) -> usize {
        self.alerts.count(level)
    }

    /// Selected row and row count of the focused list (1-based), for the footer.
    pub fn position(&self) -> Option<(usize, usize)> {
        use panes::inbox::InboxView;
        match self.pane {
            Pane::Inbox if self.inbox.view == InboxView::Imports => self.inbox.imports.position(),
            Pane::Inbox if self.inbox.view == InboxView::Grid => {
                let g = self.inbox.grid.as_ref()?;
                (g.units() > 0).then(|| (g.unit + 1, g.units()))
            }
            Pane::Inbox => self.inbox.position(),
            Pane::Checklist => self.checklist.list.position(),
            Pane::Alerts => self.alerts.list.position(),
            Pane::Matrix => (self.matrix.row_count() > 0).then(|| (self.matrix.row + 1, self.matrix.row_count())),
        }
    }

    /// Rows marked in the focused list: (shown, hidden by the filter).
    pub fn mark_counts(&self) -> (usize, usize) {
        match self.pane {
            Pane::Inbox => self.inbox.list.mark_counts(),
            Pane::Checklist => self.checklist.list.mark_counts(),
            Pane::Alerts => self.alerts.list.mark_counts(),
            Pane::Matrix => (0, 0),
        }
    }

    /// Whether any row of the focused list is marked.
    pub fn marked(&self) -> usize {
        let (shown, hidden) = self.mark_counts();
        shown + hidden
    }

    pub fn resize(&mut self, w: u16, h: u16) {
        self.size = Rect::new(0, 0, w, h);
        if !layout::too_small(self.size) {
            self.small_dropped = 0;
        }
        self.clamp_lists();
        if self.pane == Pane::Matrix || self.matrix.loaded {
            self.matrix_follow();
        }
        self.sync_alert_file(false);
        self.dirty = true;
    }

    /// With the side column shown, the alerts pane shows its selected
    /// alert's file there: read it when the selection moved (or `fresh`,
    /// after a reload).
    pub(super) fn sync_alert_file(&mut self, fresh: bool) {
        if self.pane != Pane::Alerts || layout::chrome(self.size).side.is_none() {
            return;
        }
        let Some(key) = self.alerts.list.selected().map(|r| r.key) else {
            return;
        };
        if fresh || !matches!(&self.alerts.file, Some((k, _)) if *k == key) {
            self.load_alert_file(key);
        }
    }

    pub(super) fn say(&mut self, text: impl Into<String>, tone: Tone) {
        self.message = Some(Message {
            text: text.into(),
            tone,
        });
        self.dirty = true;
    }

    /// Runs a database step; a failure becomes the footer message, never a crash.
    pub(super) fn report(&mut self, f: impl FnOnce(&mut App) -> Result<()>) {
        if let Err(e) = f(self) {
            self.say(e.to_string(), Tone::Bad);
        }
    }

    /// A key press: the top overlay takes it, else the focused pane's keymap.
    /// Whether Alt + `key` is better read as Esc, then the key: nothing is
    /// bound to it where it lands, and no form is open (a form's text
    /// fields use Alt + letters to move by words).
    fn split_alt(&self, key: Key) -> bool {
        match self.overlays.last() {
            Some(Overlay::Form(_)) => false,
            Some(top) => {
                self.keymap.resolve_only(top.scope(), key).is_none()
                    && self.keymap.resolve(self.pane.scope(), key).is_none()
            }
            None => self.keymap.resolve(self.pane.scope(), key).is_none(),
        }
    }

    pub fn handle_key(&mut self, ev: KeyEvent) {
        if ev.kind == KeyEventKind::Release {
            return;
        }
        self.dirty = true;
        self.message = None;
        if ev.code == KeyCode::Char('c') && ev.modifiers.contains(KeyModifiers::CONTROL) {
            // Ctrl-C quits, but never throws away typed text without asking.
            match self.overlays.last() {
                Some(Overlay::Form(f)) if f.is_dirty() => self.form_key(Some(Action::Cancel), ev),
                _ => self.quit = true,
            }
            return;
        }
        if self.hold(parts::Held::Key(ev)) {
            return;
        }
        let key = Key::from_event(&ev);
        if ev.modifiers == KeyModifiers::ALT && self.split_alt(key) {
            // Esc and a key that arrive together (typed fast, or in one
            // packet over SSH) read as Alt + the key; with nothing bound to
            // that, they are the two keys the user pressed.
            self.handle_key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE));
            self.handle_key(KeyEvent::new(ev.code, KeyModifiers::NONE));
            return;
        }
        if layout::too_small(self.size) {
            // Only quitting works blind; a form with something typed in it
            // is never thrown away unseen: Ctrl-C leaves anyway.
            let typed = self
                .overlays
                .iter()
                .any(|o| matches!(o, super::overlay::Overlay::Form(f) if f.is_dirty()));
            let ctrl_c = ev.code == KeyCode::Char('c') && ev.modifiers.contains(KeyModifiers::CONTROL);
            if ctrl_c || (self.keymap.resolve(Scope::Global, key) == Some(Action::Quit) && !typed) {
                self.quit = true;
            } else {
                self.small_dropped += 1;
                self.dirty = true;
            }
            return;
        }
        let Some(top) = self.overlays.last() else {
            if let Some(a) = self.keymap.resolve(self.pane.scope(), key) {
                self.update(a);
                self.sync_alert_file(false);
            }
            return;
        };
        let scope = top.scope();
        let action = self.keymap.resolve_only(scope, key);
        match scope {
            Scope::Help => self.help_key(action, ev),
            Scope::Filter => self.filter_key(action, ev),
            Scope::Detail => match action {
                Some(a) => self.detail_key(a),
                // Falls through to the pane's keys: scroll, act on the row, help, quit.
                None => {
                    if let Some(a) = self.keymap.resolve(self.pane.scope(), key) {
                        self.detail_key(a);
                    }
                }
            },
            Scope::Form => self.form_key(action, ev),
            Scope::Confirm => self.confirm_key(action),
            _ => {}
        }
    }

    /// Text pasted into the terminal: into the form, filter or search that
    /// is open; elsewhere it is ignored (it is not a sequence of keys).
    pub fn handle_paste(&mut self, text: String) {
        self.dirty = true;
        let Some(text) = self.hold_paste(text) else {
            return;
        };
        let s = self.lang.s();
        let line = crate::text::one_line(&text).trim().to_string();
        match self.overlays.last_mut() {
            Some(Overlay::Form(f)) => f.paste(&text, s),
            Some(Overlay::Help(h)) => h.query.push_str(&line),
            Some(Overlay::Pick(p)) => {
                p.query.push_str(&line);
                p.refilter();
            }
            Some(Overlay::Filter) => {
                self.filter_mut().push_str(&line);
                self.refilter();
            }
            _ => {}
        }
    }

    fn help_key(&mut self, action: Option<Action>, ev: KeyEvent) {
        let max = self.help_max_scroll();
        let Some(Overlay::Help(h)) = self.overlays.last_mut() else {
            return;
        };
        match action {
            Some(Action::Cancel) => {
                self.overlays.pop();
            }
            Some(Action::Up) => h.scroll = h.scroll.saturating_sub(1),
            Some(Action::Down) => h.scroll = (h.scroll + 1).min(max),
            Some(Action::PageUp) => h.scroll = h.scroll.saturating_sub(10),
            Some(Action::PageDown) => h.scroll = (h.scroll + 10).min(max),
            Some(Action::Top) => h.scroll = 0,
            Some(Action::Bottom) => h.scroll = max,
            _ => match ev.code {
                KeyCode::Backspace => {
                    h.query.pop();
                    h.scroll = 0;
                }
                KeyCode::Char(c) if !ev.modifiers.contains(KeyModifiers::CONTROL) => {
                    h.query.push(c);
                    h.scroll = 0;
                }
                _ => {}
            },
        }
    }

    /// The pane's search texts are given back once its filter is closed empty.
    fn release_filter(&mut self) {
        match self.pane {
            Pane::Inbox => self.inbox.list.release_filter(),
            Pane::Checklist => self.checklist.list.release_filter(),
            Pane::Alerts => self.alerts.list.release_filter(),
            Pane::Matrix => {}
        }
    }

    fn filter_key(&mut self, action: Option<Action>, ev: KeyEvent) {
        if matches!(self.overlays.last(), Some(Overlay::Pick(_))) {
            self.pick_key(action, ev);
            return;
        }
        match action {
            Some(Action::Cancel) => {
                self.filter_mut().clear();
                self.refilter();
                self.overlays.pop();
                self.release_filter();
            }
            Some(Action::Submit) => {
                self.overlays.pop();
                self.release_filter();
            }
            Some(a @ (Action::Up | Action::Down)) => {
                let page = self.page();
                self.navigate(a, page);
            }
            _ => match ev.code {
                KeyCode::Backspace => {
                    self.filter_mut().pop();
                    self.refilter();
                }
                KeyCode::Char(c) if !ev.modifiers.contains(KeyModifiers::CONTROL) => {
                    self.filter_mut().push(c);
                    self.refilter();
                }
                _ => {}
            },
        }
    }

    fn detail_key(&mut self, a: Action) {
        let max = self.detail_max_scroll();
        // A matrix cell's detail: arrows choose a month or measure, Enter opens it.
        if let Some(Overlay::Detail(d)) = self.overlays.last()
            && let DetailKind::Cell(c) = &d.kind
        {
            let picks = crate::tui::describe::cell_picks(c);
            if !picks.is_empty() && matches!(a, Action::Up | Action::Down | Action::Open) {
                let (unit, pick) = (c.unit_id, d.pick.min(picks.len() - 1));
                match a {
                    Action::Open => {
                        self.overlays.pop();
                        self.open_cell_pick(unit, picks[pick]);
                    }
                    _ => {
                        let next = if a == Action::Up {
                            pick.saturating_sub(1)
                        } else {
                            (pick + 1).min(picks.len() - 1)
                        };
                        self.set_cell_pick(next);
                    }
                }
                return;
            }
        }
        match a {
            Action::Back | Action::Open => {
                self.overlays.pop();
            }
            Action::Quit => self.quit = true,
            Action::Help => self.open_help(),
            Action::Down
            | Action::Up
            | Action::PageDown
            | Action::PageUp
            | Action::HalfPageDown
            | Action::HalfPageUp
            | Action::Top
            | Action::Bottom => {
                if let Some(Overlay::Detail(d)) = self.overlays.last_mut() {
                    d.scroll = match a {
                        Action::Down => d.scroll + 1,
                        Action::Up => d.scroll.saturating_sub(1),
                        Action::PageDown | Action::HalfPageDown => d.scroll + 10,
                        Action::PageUp | Action::HalfPageUp => d.scroll.saturating_sub(10),
                        Action::Top => 0,
                        _ => max,
                    }
                    .min(max);
                }
            }
            // Acting on the record shown: the actions of the pane.
            Action::Accept
            | Action::Return
            | Action::Note
            | Action::Remind
            | Action::Undo
            | Action::Extend
            | Action::Done
            | Action::Escalate
            | Action::Snooze => self.update(a),
            _ => {}
        }
    }

    /// The lines of help for what is open now, before the search.
    pub fn help_lines(&self) -> Vec<help::HelpLine> {
        let s = self.lang.s();
        // Help opened over an overlay lists that overlay's keys first.
        let below = self.overlays.iter().rev().find(|o| !matches!(o, Overlay::Help(_)));
        let mut scopes = Vec::new();
        if let Some(o) = below {
            scopes.push(o.scope());
        }
        if below.is_none_or(|o| matches!(o, Overlay::Detail(_))) {
            scopes.push(self.pane.scope());
        }
        let mut out = Vec::new();
        for scope in scopes {
            for b in self.keymap.effective(scope) {
                if scope.is_pane_layer() && !self.enabled(b.action) {
                    continue;
                }
                let keys: Vec<String> = b.keys.iter().map(|k| k.to_string()).collect();
                out.push(help::HelpLine {
                    keys: keys.join(" "),
                    desc: s.action(b.action).1.to_string(),
                    name: b.action.name(),
                });
            }
        }
        out
    }

    /// The help lines the search selects.
    pub fn help_items(&self) -> Vec<help::HelpLine> {
        let q = self
            .overlays
            .iter()
            .rev()
            .find_map(|o| match o {
                Overlay::Help(h) => Some(h.query.as_str()),
                _ => None,
            })
            .unwrap_or("");
        help::filter(self.help_lines(), q)
    }

    /// Furthest the help list scrolls: its last line at the bottom of the box.
    pub fn help_max_scroll(&self) -> usize {
        self.help_items()
            .len()
            .saturating_sub(help::list_rows(self.size, self.read_only))
    }

    fn open_help(&mut self) {
        self.overlays.push(Overlay::Help(Help::default()));
    }

    /// The open detail's title and text (as the view draws it).
    pub fn detail_text(&self, d: &Detail) -> (String, detail::Text) {
        let ctx = self.ctx();
        match &d.kind {
            DetailKind::Report => match self.inbox.list.selected() {
                Some(row) => crate::tui::describe::report(&ctx, row, self.inbox.selected_detail()),
                None => (String::new(), Vec::new()),
            },
            DetailKind::Authority(id) => match self.checklist.all.iter().find(|r| r.id == *id) {
                Some(r) => crate::tui::describe::authority(
                    &ctx,
                    r,
                    match &self.checklist.history {
                        Some((k, h)) if k == id => Some(h),
                        _ => None,
                    },
                ),
                None => (String::new(), Vec::new()),
            },
            DetailKind::Alert(k) => match self.alerts.all().iter().find(|r| r.key == *k) {
                Some(r) => crate::tui::describe::alert(&ctx, r, self.alerts.file_of(*k)),
                None => (String::new(), Vec::new()),
            },
            DetailKind::Cell(c) => crate::tui::describe::cell(&ctx, c, d.pick),
            DetailKind::Versions(d) => crate::tui::describe::versions(&ctx, d),
            DetailKind::Import(x) => (
                x.0.file_name.clone(),
                panes::imports::detail_lines(&x.0, x.1.as_deref(), ctx.s)
                    .into_iter()
                    .map(|l| (l, ctx.theme.base))
                    .collect(),
            ),
        }
    }

    /// Keys in a picker: letters narrow it, ↑/↓ choose, Enter takes, Esc leaves.
    fn pick_key(&mut self, action: Option<Action>, ev: KeyEvent) {
        let Some(Overlay::Pick(p)) = self.overlays.last_mut() else {
            return;
        };
        match action {
            Some(Action::Cancel) => {
                self.overlays.pop();
            }
            Some(Action::Submit) => {
                let (purpose, chosen) = (p.purpose, p.chosen());
                self.overlays.pop();
                if let Some(id) = chosen {
                    self.picked(purpose, id);
                }
            }
            Some(Action::Up) => p.sel = p.sel.saturating_sub(1),
            Some(Action::Down) => p.sel = (p.sel + 1).min(p.shown.len().saturating_sub(1)),
            _ => match ev.code {
                KeyCode::Backspace => {
                    p.query.pop();
                    p.refilter();
                }
                KeyCode::Char(c) if !ev.modifiers.contains(KeyModifiers::CONTROL) => {
                    p.query.push(c);
                    p.refilter();
                }
                _ => {}
            },
        }
    }

    /// What a picker chose: a unit to focus on, an article to go to.
    fn picked(&mut self, purpose: super::overlay::PickPurpose, id: i64) {
        let s = self.lang.s();
        match purpose {
            super::overlay::PickPurpose::JumpArticle => {
                self.matrix.focus = None;
                self.matrix.measures = None;
                if self.matrix.select_article(id) {
                    self.matrix_follow();
                } else {
                    self.say(crate::i18n::fill(s.no_article, &[&id]), Tone::Info);
                }
            }
            super::overlay::PickPurpose::FocusUnit => {
                let name = self
                    .matrix
                    .data
                    .units
                    .iter()
                    .find(|u| u.id == id)
                    .map(|u| u.name.to_string())
                    .unwrap_or_default();
                match db::matrix::unit_focus(&self.conn, id, Month::of(self.today)) {
                    Ok(rows) => {
                        self.matrix.measures = None;
                        self.matrix.focus = Some(panes::matrix::Focus {
                            unit: id,
                            name,
                            rows,
                            sel: 0,
                            offset: 0,
                        });
                    }
                    Err(e) => self.say(e.to_string(), Tone::Bad),
                }
            }
        }
    }

    /// `f`, `:`, `c`, `M` in the matrix.
    fn matrix_action(&mut self, a: Action) {
        let s = self.lang.s();
        if !self.matrix.loaded {
            let today = Month::of(self.today);
            self.report(|app| app.matrix.load(&app.conn, today));
        }
        match a {
            Action::FocusUnit if self.matrix.focus.is_some() => self.matrix.focus = None,
            Action::FocusUnit => {
                let options = self
                    .matrix
                    .data
                    .units
                    .iter()
                    .map(|u| (u.id, format!("{}（{}）", u.name, u.short)))
                    .collect();
                self.overlays.push(Overlay::Pick(super::overlay::Pick::new(
                    super::overlay::PickPurpose::FocusUnit,
                    s.pick_unit.to_string(),
                    options,
                )));
            }
            Action::JumpArticle => {
                let options = self
                    .matrix
                    .data
                    .articles
                    .iter()
                    .map(|a| (a.no, format!("{:>2} {}", a.no, a.title)))
                    .collect();
                self.overlays.push(Overlay::Pick(super::overlay::Pick::new(
                    super::overlay::PickPurpose::JumpArticle,
                    s.pick_article.to_string(),
                    options,
                )));
            }
            Action::ToggleCollectives => {
                self.matrix.toggle_collectives();
                self.matrix_follow();
                let b = self.body();
                self.report(|app| app.matrix.ensure_statuses(&app.conn, b));
                self.say(
                    if self.matrix.expanded {
                        s.collectives_expanded
                    } else {
                        s.collectives_collapsed
                    },
                    Tone::Info,
                );
            }
            Action::ToggleMeasures if self.matrix.measures.is_some() => self.matrix.measures = None,
            Action::ToggleMeasures => {
                self.report(|app| {
                    let rows = db::measures::list(&app.conn, &Default::default())?;
                    let mut l = crate::tui::list::ListPane::default();
                    let page = layout::table_page(app.body()).saturating_sub(1);
                    l.set_rows(rows, s, page);
                    app.matrix.measures = Some(l);
                    Ok(())
                });
            }
            _ => {}
        }
    }

    /// Chooses line `pick` of the open cell detail and scrolls it into view.
    fn set_cell_pick(&mut self, pick: usize) {
        let size = self.size;
        let Some(Overlay::Detail(d)) = self.overlays.last_mut() else {
            return;
        };
        d.pick = pick;
        let d = d.clone();
        let (_, text) = self.detail_text(&d);
        let Some(line) = text.iter().position(|(t, _)| t.starts_with("▶ ")) else {
            return;
        };
        let at = detail::wrapped_line(&text, size, line) as u16;
        let rows = layout::detail_area(size).height.saturating_sub(2);
        if let Some(Overlay::Detail(d)) = self.overlays.last_mut() {
            if at < d.scroll {
                d.scroll = at;
            } else if at + 1 > d.scroll + rows {
                d.scroll = at + 1 - rows;
            }
        }
    }

    /// Enter on a month or measure of a cell's detail.
    fn open_cell_pick(&mut self, unit: i64, pick: crate::tui::describe::CellPick) {
        match pick {
            crate::tui::describe::CellPick::Report { month } => {
                let s = self.lang.s();
                self.inbox.month = month;
                self.inbox.view = panes::inbox::InboxView::Month;
                self.inbox.status = None;
                self.inbox.kind = None;
                self.inbox.list.marks.clear();
                self.inbox.list.filter.clear();
                self.focus(Pane::Inbox);
                let page = self.page();
                self.report(|app| {
                    let rows =
                        db::inbox::month_rows(&app.conn, month, app.policy.due_day, &app.policy.calendar, app.today)?;
                    app.inbox.set_all(rows, s, page);
                    Ok(())
                });
                let key = crate::domain::ItemKey::Report { unit, month };
                if self.inbox.list.select_key(&key, s, page) {
                    self.load_inbox_detail();
                    self.overlays.push(Overlay::Detail(Detail {
                        kind: DetailKind::Report,
                        scroll: 0,
                        pick: 0,
                    }));
                }
            }
            crate::tui::describe::CellPick::Measure(id) => self.measure_form(id),
        }
    }

    fn detail_max_scroll(&self) -> u16 {
        match self.overlays.last() {
            Some(Overlay::Detail(d)) => detail::max_scroll(&self.detail_text(d).1, self.size),
            _ => 0,
        }
    }

    fn filter_mut(&mut self) -> &mut String {
        match self.pane {
            Pane::Inbox if self.inbox.view == panes::inbox::InboxView::Imports => &mut self.inbox.imports.filter,
            Pane::Inbox => &mut self.inbox.list.filter,
            Pane::Checklist => &mut self.checklist.list.filter,
            Pane::Matrix => &mut self.matrix.filter,
            Pane::Alerts => &mut self.alerts.list.filter,
        }
    }

    /// The focused pane's filter.
    pub fn filter(&self) -> &str {
        match self.pane {
            Pane::Inbox if self.inbox.view == panes::inbox::InboxView::Imports => &self.inbox.imports.filter,
            Pane::Inbox => &self.inbox.list.filter,
            Pane::Checklist => &self.checklist.list.filter,
            Pane::Matrix => &self.matrix.filter,
            Pane::Alerts => &self.alerts.list.filter,
        }
    }

    /// Whether the filter is being typed.
    pub fn typing_filter(&self) -> bool {
        matches!(self.overlays.last(), Some(Overlay::Filter))
    }

    /// The focused pane's sort order, in words.
    pub fn sort_label(&self) -> &'static str {
        let s = self.lang.s();
        match self.pane {
            Pane::Inbox => self.inbox.list.sort.label(s),
            Pane::Checklist => self.checklist.list.sort.label(s),
            Pane::Matrix => self.matrix.sort.label(s),
            Pane::Alerts => self.alerts.list.sort.label(s),
        }
    }

    fn refilter(&mut self) {
        let s = self.lang.s();
        let page = self.page();
        match self.pane {
            Pane::Inbox if self.inbox.view == panes::inbox::InboxView::Imports => self.inbox.imports.refilter(s, page),
            Pane::Inbox => {
                self.inbox.list.refilter(s, page);
                self.load_inbox_detail();
            }
            Pane::Checklist => self.checklist.list.refilter(s, page),
            Pane::Matrix => {
                let keep = (self.matrix.current_article(), self.matrix.current_unit());
                // Sorting by lagging count needs every status before it sorts.
                let b = self.body();
                self.report(|app| app.matrix.ensure_statuses(&app.conn, b));
                self.matrix.refilter(keep);
                self.matrix_follow();
            }
            Pane::Alerts => self.alerts.list.refilter(s, page),
        }
    }

    /// Scrolls the matrix to its selection and reads what came into view.
    pub(super) fn matrix_follow(&mut self) {
        if !self.matrix.loaded {
            return;
        }
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
        self.inbox.list.clamp(i);
        self.checklist.list.clamp(c);
        self.alerts.list.clamp(a);
    }

    fn focus(&mut self, pane: Pane) {
        self.pane = pane;
        self.clamp_lists();
        if pane == Pane::Matrix && !self.matrix.loaded && !self.loads.waiting.matrix {
            self.load_matrix();
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
        let s = self.lang.s();
        if m < self.first_month || m > Month::of(self.today) {
            self.say(if forward { s.last_month } else { s.first_month }, Tone::Info);
            return;
        }
        if self.loader.is_some() {
            self.show_month(m);
            return;
        }
        self.inbox.month = m;
        // Marks belong to the month they were made in.
        self.inbox.list.marks.clear();
        let page = self.page();
        self.report(|app| {
            let rows = db::inbox::month_rows(&app.conn, m, app.policy.due_day, &app.policy.calendar, app.today)?;
            app.inbox.set_all(rows, s, page);
            app.load_inbox_detail();
            Ok(())
        });
    }

    /// Applies one action.
    pub fn update(&mut self, action: Action) {
        self.dirty = true;
        let page = self.page();
        let s = self.lang.s();
        match action {
            Action::Quit => self.quit = true,
            Action::Help => self.open_help(),
            Action::NextPane => self.focus(Pane::ALL[(self.pane.index() + 1) % 4]),
            Action::PrevPane => self.focus(Pane::ALL[(self.pane.index() + 3) % 4]),
            Action::PaneInbox => self.focus(Pane::Inbox),
            Action::PaneChecklist => self.focus(Pane::Checklist),
            Action::PaneMatrix => self.focus(Pane::Matrix),
            Action::PaneAlerts => self.focus(Pane::Alerts),
            Action::PrevMonth | Action::NextMonth if self.inbox.view == panes::inbox::InboxView::Grid => {
                self.shift_grid(action == Action::NextMonth, 1)
            }
            Action::PrevMonth => self.change_month(false),
            Action::NextMonth => self.change_month(true),
            Action::Filter => self.overlays.push(Overlay::Filter),
            Action::Sort => {
                let label = match self.pane {
                    Pane::Inbox => {
                        let l = self.inbox.list.cycle_sort(s, page);
                        self.load_inbox_detail();
                        l
                    }
                    Pane::Checklist => self.checklist.cycle_sort(s, page),
                    Pane::Alerts => self.alerts.list.cycle_sort(s, page),
                    Pane::Matrix => {
                        self.matrix.sort = self.matrix.sort.next();
                        self.refilter();
                        self.matrix.sort.label(s)
                    }
                };
                self.say(format!("{}{}{}", s.sort, s.colon, label), Tone::Info);
            }
            Action::Transpose => {
                if self.pane == Pane::Matrix {
                    self.matrix.transpose();
                    self.matrix_follow();
                }
            }
            Action::Open => self.open(),
            Action::Back => {
                if self.marked() > 0 {
                    self.clear_marks();
                } else if !self.filter().is_empty() {
                    self.filter_mut().clear();
                    self.refilter();
                } else if self.pane == Pane::Inbox && self.clear_inbox_filters() {
                    self.say(format!("{}{}{}", s.filter, s.colon, s.all_items), Tone::Info);
                } else if self.pane == Pane::Inbox && self.inbox.view != panes::inbox::InboxView::Month {
                    self.inbox.view = panes::inbox::InboxView::Month;
                } else if self.pane == Pane::Alerts && self.alerts.quick != Default::default() {
                    // Then the quick filters (f, S, K, p, Z), back to every alert.
                    self.alerts.quick = Default::default();
                    let s = self.lang.s();
                    let page = self.page();
                    self.alerts.apply_quick(s, page);
                    self.say(format!("{}{}{}", s.filter, s.colon, s.all_items), Tone::Info);
                }
            }
            Action::Redraw => self.clear = true,
            Action::Left | Action::Right
                if self.pane == Pane::Inbox && self.inbox.view == panes::inbox::InboxView::Month =>
            {
                self.change_month(action == Action::Right)
            }
            Action::Mark | Action::MarkAll => self.mark(action),
            Action::Accept
            | Action::Return
            | Action::Note
            | Action::Remind
            | Action::Undo
            | Action::Extend
            | Action::Done
            | Action::Escalate
            | Action::Snooze => self.edit(action),
            Action::FilterLevel | Action::FilterSource => self.quick_filter(action),
            Action::FilterKind if self.pane == Pane::Inbox => self.inbox_filter(action),
            Action::FilterKind | Action::TogglePending | Action::ToggleSnoozed => self.quick_filter(action),
            Action::Info if self.pane == Pane::Checklist => {
                if let Some(id) = self.checklist.selected_item().map(|r| r.id) {
                    self.load_authority_history(id);
                    self.overlays.push(Overlay::Detail(Detail {
                        kind: DetailKind::Authority(id),
                        scroll: 0,
                        pick: 0,
                    }));
                }
            }
            Action::Info => self.open_alert_detail(),
            Action::FilterStatus => self.inbox_filter(action),
            Action::ToggleFold | Action::FoldAll if self.pane == Pane::Checklist => {
                let page = self.page();
                if action == Action::FoldAll {
                    self.checklist.toggle_all(s, page);
                } else {
                    self.checklist.toggle_zone(s, page);
                }
            }
            Action::FocusUnit | Action::JumpArticle | Action::ToggleCollectives | Action::ToggleMeasures => {
                self.matrix_action(action)
            }
            Action::Advance => self.advance(),
            Action::SetStatus => self.set_status(),
            Action::NewItem => self.item_form(false),
            Action::ToggleGrid if self.pane == Pane::Checklist => {
                use panes::checklist::ChecklistView;
                self.checklist.view = match self.checklist.view {
                    ChecklistView::Zones => ChecklistView::Grid,
                    ChecklistView::Grid => ChecklistView::Zones,
                };
            }
            Action::ToggleImports => self.toggle_view(panes::inbox::InboxView::Imports),
            Action::ToggleGrid => self.toggle_view(panes::inbox::InboxView::Grid),
            Action::EnterReport => self.enter_report(),
            Action::Versions => self.open_versions(),
            movement => self.navigate(movement, page),
        }
    }

    fn clear_marks(&mut self) {
        match self.pane {
            Pane::Inbox => self.inbox.list.marks.clear(),
            Pane::Checklist => self.checklist.list.marks.clear(),
            Pane::Alerts => self.alerts.list.marks.clear(),
            Pane::Matrix => {}
        }
    }

    fn mark(&mut self, action: Action) {
        if !self.enabled(action) {
            return;
        }
        let page = self.page();
        let all = action == Action::MarkAll;
        match self.pane {
            Pane::Inbox if all => self.inbox.list.mark_all_shown(),
            Pane::Inbox => {
                self.inbox.list.toggle_mark(page);
                self.load_inbox_detail();
            }
            Pane::Checklist if all => self.checklist.list.mark_all_shown(),
            Pane::Checklist => self.checklist.list.toggle_mark(page),
            Pane::Alerts if all => self.alerts.list.mark_all_shown(),
            Pane::Alerts => self.alerts.list.toggle_mark(page),
            Pane::Matrix => {}
        }
    }

    pub(super) fn navigate(&mut self, a: Action, page: usize) {
        if self.pane == Pane::Inbox && self.navigate_view(a, page) {
            return;
        }
        match self.pane {
            Pane::Inbox => {
                if self.inbox.list.navigate(a, page) {
                    self.load_inbox_detail();
                }
            }
            Pane::Checklist => {
                if self.checklist.view == panes::checklist::ChecklistView::Grid {
                    self.checklist.grid_move(a);
                } else {
                    self.checklist.list.navigate(a, page);
                }
            }
            Pane::Alerts => {
                self.alerts.list.navigate(a, page);
            }
            Pane::Matrix if self.matrix.measures.is_some() => {
                if let Some(m) = &mut self.matrix.measures {
                    m.navigate(a, layout::table_page(self.size).saturating_sub(3));
                }
            }
            Pane::Matrix if self.matrix.focus.is_some() => {
                let rows = layout::table_page(self.body()).saturating_sub(1).max(1);
                if let Some(f) = &mut self.matrix.focus {
                    let mut nav = crate::tui::list::ListNav {
                        sel: f.sel,
                        offset: f.offset,
                    };
                    nav.apply(a, f.rows.len(), rows);
                    nav.clamp(f.rows.len(), rows);
                    f.sel = nav.sel;
                    f.offset = nav.offset;
                }
            }
            Pane::Matrix => {
                if self.matrix.navigate(a, page) {
                    self.matrix_follow();
                }
            }
        }
    }

    /// The alerts' quick filters.
    fn quick_filter(&mut self, a: Action) {
        use panes::alerts::{KindGroup, LevelFilter};
        if self.pane != Pane::Alerts {
            return;
        }
        fn next<T: PartialEq + Copy>(all: &[T], cur: T) -> T {
            let i = all.iter().position(|x| *x == cur).unwrap_or(0);
            all[(i + 1) % all.len()]
        }
        let q = &mut self.alerts.quick;
        match a {
            Action::FilterLevel => q.level = next(&LevelFilter::CYCLE, q.level),
            Action::FilterSource => {
                let all: Vec<Option<crate::db::alerts::AlertSource>> = std::iter::once(None)
                    .chain(crate::db::alerts::AlertSource::ALL.into_iter().map(Some))
                    .collect();
                q.source = next(&all, q.source);
            }
            Action::FilterKind => {
                let all: Vec<Option<KindGroup>> = std::iter::once(None)
                    .chain(KindGroup::ALL.into_iter().map(Some))
                    .collect();
                q.kind = next(&all, q.kind);
            }
            Action::TogglePending => q.hide_pending = !q.hide_pending,
            Action::ToggleSnoozed => q.show_snoozed = !q.show_snoozed,
            _ => {}
        }
        let s = self.lang.s();
        let page = self.page();
        self.alerts.apply_quick(s, page);
        let text = panes::alerts::quick_text(&self.alerts.quick, s);
        let text = if text.is_empty() { s.all_items.to_string() } else { text };
        self.say(format!("{}{}{text}", s.filter, s.colon), Tone::Info);
    }

    /// Reads the selected alert's notes, reminders and history and shows it all.
    fn open_alert_detail(&mut self) {
        let Some(key) = self.alerts.list.selected().map(|r| r.key) else {
            return;
        };
        self.load_alert_file(key);
        self.overlays.push(Overlay::Detail(Detail {
            kind: DetailKind::Alert(key),
            scroll: 0,
            pick: 0,
        }));
    }

    fn load_alert_file(&mut self, key: crate::domain::ItemKey) {
        let file = db::notes::item_file(&self.conn, key, db::inbox::HISTORY_LINES).map_err(|e| e.to_string());
        self.alerts.file = Some((key, file));
    }

    /// Enter on an alert: its report in the inbox, its article in the
    /// matrix, its item in the checklist; otherwise its detail.
    fn jump(&mut self) {
        use crate::domain::ItemKey;
        let Some(r) = self.alerts.list.selected().cloned() else {
            return;
        };
        let s = self.lang.s();
        match r.key {
            ItemKey::Report { month, .. } => {
                if month < self.first_month || month > Month::of(self.today) {
                    self.open_alert_detail();
                    return;
                }
                self.inbox.month = month;
                self.inbox.list.marks.clear();
                // The report shows whatever the inbox was filtered to.
                self.inbox.view = panes::inbox::InboxView::Month;
                self.inbox.status = None;
                self.inbox.kind = None;
                self.focus(Pane::Inbox);
                let page = self.page();
                self.report(|app| {
                    let rows =
                        db::inbox::month_rows(&app.conn, month, app.policy.due_day, &app.policy.calendar, app.today)?;
                    app.inbox.set_all(rows, s, page);
                    Ok(())
                });
                if self.inbox.list.select_key(&r.key, s, page) {
                    self.load_inbox_detail();
                    self.overlays.push(Overlay::Detail(Detail {
                        kind: DetailKind::Report,
                        scroll: 0,
                        pick: 0,
                    }));
                }
            }
            ItemKey::Measure(_) => {
                self.focus(Pane::Matrix);
                if let Some(a) = r.article {
                    self.matrix.select_article(a);
                }
                self.matrix_follow();
            }
            ItemKey::Authority(id) => {
                self.focus(Pane::Checklist);
                let page = self.page();
                if self.checklist.select_item(id, s, page) {
                    self.overlays.push(Overlay::Detail(Detail {
                        kind: DetailKind::Authority(id),
                        scroll: 0,
                        pick: 0,
                    }));
                }
            }
            _ => self.open_alert_detail(),
        }
    }

    fn open(&mut self) {
        if self.pane == Pane::Alerts {
            self.jump();
            return;
        }
        if self.pane == Pane::Inbox && self.open_view() {
            return;
        }
        // The matrix's views: a focused unit's article in depth; a measure's form.
        if self.pane == Pane::Matrix {
            if let Some(m) = &self.matrix.measures {
                if let Some(id) = m.selected().map(|x| x.id) {
                    self.measure_form(id);
                }
                return;
            }
            if let Some(f) = &self.matrix.focus {
                let Some(r) = f.rows.get(f.sel) else { return };
                let (a, u) = (r.article_no, f.unit);
                match db::matrix::cell_detail(&self.conn, a, u, Month::of(self.today)) {
                    Ok(Some(d)) => self.overlays.push(Overlay::Detail(Detail {
                        kind: DetailKind::Cell(Box::new(d)),
                        scroll: 0,
                        pick: 0,
                    })),
                    Ok(None) => {}
                    Err(e) => self.say(e.to_string(), Tone::Bad),
                }
                return;
            }
        }
        // The checklist: a zone heading folds, an item opens its form (its
        // detail when nothing can be changed); in the grid, the cell's items.
        if self.pane == Pane::Checklist {
            use panes::checklist::{CheckRow, ChecklistView};
            let s = self.lang.s();
            let page = self.page();
            if self.checklist.view == ChecklistView::Grid {
                let lines = self.checklist.grid_lines();
                if let Some((zone, _, level)) = lines.get(self.checklist.grid_row) {
                    let d = crate::domain::AuthorityDomain::ALL[self.checklist.grid_col.min(8)];
                    let first = self.checklist.grid_items(*zone, *level, d).first().map(|r| r.id);
                    self.checklist.view = ChecklistView::Zones;
                    if let Some(id) = first {
                        self.checklist.select_item(id, s, page);
                    }
                }
                return;
            }
            match self.checklist.list.selected() {
                Some(CheckRow::Zone { .. }) => self.checklist.toggle_zone(s, page),
                Some(CheckRow::Item(_)) if !self.read_only => self.item_form(true),
                _ => self.update(Action::Info),
            }
            return;
        }
        let s = self.lang.s();
        let kind = match self.pane {
            Pane::Inbox => self.inbox.list.selected().map(|_| DetailKind::Report),
            Pane::Checklist => {
                let id = self.checklist.selected_item().map(|r| r.id);
                if let Some(id) = id {
                    self.load_authority_history(id);
                }
                id.map(DetailKind::Authority)
            }
            Pane::Alerts => self.alerts.list.selected().map(|r| DetailKind::Alert(r.key)),
            Pane::Matrix => match (
                self.matrix.current_article(),
                self.matrix.current_unit(),
                self.matrix.current_cell(),
            ) {
                (Some(a), Some(u), Some(_)) => match db::matrix::cell_detail(&self.conn, a, u, Month::of(self.today)) {
                    Ok(d) => d.map(|d| DetailKind::Cell(Box::new(d))),
                    Err(e) => {
                        self.say(e.to_string(), Tone::Bad);
                        None
                    }
                },
                (Some(_), Some(_), None) => {
                    self.say(s.no_role, Tone::Info);
                    None
                }
                _ => None,
            },
        };
        if let Some(kind) = kind {
            self.overlays.push(Overlay::Detail(Detail {
                kind,
                scroll: 0,
                pick: 0,
            }));
        }
    }
}
