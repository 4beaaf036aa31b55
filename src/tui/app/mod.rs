//! Console state and `update`, the only place that changes it. Keys go
//! through the keymap of the top overlay (or the focused pane) to an
//! [`Action`]; the view (`view.rs`) only reads. Changes to the database
//! are sent to the writer thread (`edit.rs`, `worker.rs`).

/// What a pane may use (see [`PaneCx`]), borrowing only the fields it
/// names, so that a pane's state can be changed beside it.
macro_rules! cx {
    ($app:expr) => {
        crate::tui::panes::PaneCx {
            conn: &$app.conn,
            lang: $app.lang,
            s: $app.lang.s(),
            size: $app.size,
            today: $app.today,
            first_month: $app.first_month,
            policy: &$app.policy,
        }
    };
}
pub(crate) use cx;

mod edit;
mod inbox_views;
mod loading;
mod parts;
mod screen;
mod view;

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
use super::overlay::{Detail, DetailKind, Help, Overlay, detail, help};
use super::panes::alerts::AlertsState;
use super::panes::checklist::ChecklistState;
use super::panes::inbox::InboxState;
use super::panes::matrix::MatrixState;
use super::panes::{self, Effect, FilterEdit, Handled, Pane, PaneCx, PaneState};
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
    conn: Connection,
    path: PathBuf,
    db_label: String,
    read_only: bool,
    read_only_forced: bool,
    today: NaiveDate,
    today_set: bool,
    lang: Lang,
    theme: Theme,
    keymap: Keymap,
    policy: AlertPolicy,
    actor: Actor,
    office: crate::notice::Office,
    pane: Pane,
    /// The whole terminal area, from the last resize.
    size: Rect,
    inbox: InboxState,
    /// The current reporting month at a glance, for the dashboard,
    /// whatever month the inbox is browsing.
    inbox_now: super::digest::InboxDigest,
    /// The alerts at a glance, for the tab bar and the dashboard.
    alerts_now: super::digest::AlertsDigest,
    checklist: ChecklistState,
    matrix: MatrixState,
    alerts: AlertsState,
    /// Overlays, the last on top.
    overlays: Vec<Overlay>,
    /// Earliest month the inbox can show.
    first_month: Month,
    unread: i64,
    data_version: i64,
    /// The file as it was when an immutable snapshot of it was opened.
    file_stamp: Option<db::FileStamp>,
    /// Highest audit row seen; rows above it not written by us are others' changes.
    last_audit: i64,
    /// Time at which another user's change was last loaded.
    external_update: Option<String>,
    message: Option<Message>,
    /// Keys dropped while the terminal was too small to show what they
    /// would do (said on that screen, cleared when it is large again).
    small_dropped: usize,
    quit: bool,
    /// Something changed since the last draw.
    dirty: bool,
    /// The next draw should clear the terminal first.
    clear: bool,
    worker: Option<Worker>,
    /// The pipe the writer and the reader wake the loop on.
    wake: Option<super::wake::Wake>,
    /// The reader, when the console loads in the background (in-process
    /// tests load in place).
    loader: Option<super::loader::Loader>,
    loads: parts::Loads,
    pending: Pending,
    /// The drop folder (for refused files' sidecars).
    inbox_dir: Option<PathBuf>,
    drop_folder: PathBuf,
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

    /// The focused pane.
    pub fn pane(&self) -> Pane {
        self.pane
    }

    /// The inbox as it stands (tests, benches).
    pub fn inbox(&self) -> &InboxState {
        &self.inbox
    }

    /// The checklist as it stands (tests, benches).
    pub fn checklist(&self) -> &ChecklistState {
        &self.checklist
    }

    /// The matrix as it stands (tests, benches).
    pub fn matrix(&self) -> &MatrixState {
        &self.matrix
    }

    /// The alerts as they stand (tests, benches).
    pub fn alerts(&self) -> &AlertsState {
        &self.alerts
    }

    /// The database file.
    pub fn path(&self) -> &std::path::Path {
        &self.path
    }

    /// The terminal's size, from the last resize.
    pub fn size(&self) -> Rect {
        self.size
    }

    /// Whether the user has asked to quit.
    pub fn quitting(&self) -> bool {
        self.quit
    }

    /// When another user's change was last read (`HH:MM:SS`).
    pub fn external_update(&self) -> Option<&str> {
        self.external_update.as_deref()
    }

    /// Selects the row of `key` in the focused pane, as a jump does
    /// (clearing a filter that hides it, unfolding its zone); whether it
    /// is there.
    pub fn select(&mut self, key: &crate::domain::ItemKey) -> bool {
        use crate::domain::ItemKey;
        let s = self.lang.s();
        let page = self.page();
        let found = match (self.pane, key) {
            (Pane::Inbox, _) => self.inbox.list.select_key(key, s, page),
            (Pane::Alerts, _) => self.alerts.list.select_key(key, s, page),
            (Pane::Checklist, ItemKey::Authority(id)) => self.checklist.select_item(*id, s, page),
            (Pane::Matrix, ItemKey::Measure(_)) | (Pane::Checklist, _) | (Pane::Matrix, _) => false,
        };
        if found {
            self.load_inbox_detail();
            self.sync_alert_file(false);
            self.dirty = true;
        }
        found
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

    /// A pane's state, to read.
    fn state(&self, pane: Pane) -> &dyn PaneState {
        match pane {
            Pane::Inbox => &self.inbox,
            Pane::Checklist => &self.checklist,
            Pane::Matrix => &self.matrix,
            Pane::Alerts => &self.alerts,
        }
    }

    /// The focused pane's state, to read.
    fn focused(&self) -> &dyn PaneState {
        self.state(self.pane)
    }

    /// Runs `f` on a pane's state with what a pane may use, then shows what
    /// the pane asks (see [`Handled`]).
    fn on_pane(&mut self, pane: Pane, f: impl FnOnce(&mut dyn PaneState, &PaneCx) -> Handled) -> Handled {
        let cx = cx!(self);
        let state: &mut dyn PaneState = match pane {
            Pane::Inbox => &mut self.inbox,
            Pane::Checklist => &mut self.checklist,
            Pane::Matrix => &mut self.matrix,
            Pane::Alerts => &mut self.alerts,
        };
        match f(state, &cx) {
            Handled::Consumed(effects) => {
                self.show_effects(effects);
                Handled::done()
            }
            Handled::Ignored => Handled::Ignored,
        }
    }

    /// A key for the focused pane; whether it took it.
    fn pane_key(&mut self, a: Action) -> bool {
        !matches!(self.on_pane(self.pane, |p, cx| p.handle(a, cx)), Handled::Ignored)
    }

    /// What panes ask of the console.
    fn show_effects(&mut self, effects: Vec<Effect>) {
        for e in effects {
            match e {
                Effect::Say(text, tone) => self.say(text, tone),
                Effect::Failed(e) => self.fail(&e),
            }
        }
        self.dirty = true;
    }

    /// Rows a page key moves in `pane`.
    fn page_of(&self, pane: Pane) -> usize {
        self.state(pane).page(self.body())
    }

    /// Rows a page key moves in the focused pane.
    fn page(&self) -> usize {
        self.page_of(self.pane)
    }

    /// The checklist's items (a reload).
    fn set_checklist(&mut self, items: Vec<crate::db::checklist::AuthorityRow>) {
        let s = self.lang.s();
        let page = layout::checklist_page(self.body(), panes::checklist::zone_count(&items));
        self.checklist.set_all(items, s, page);
    }

    /// Reads the detail of the inbox's selected unit-month.
    fn load_inbox_detail(&mut self) {
        let cx = cx!(self);
        self.inbox.load_detail(&cx);
    }

    /// With the dashboard column shown, the alerts pane shows its selected
    /// alert's file there (read when the selection moved, or `fresh`).
    fn sync_alert_file(&mut self, fresh: bool) {
        if self.pane == Pane::Alerts {
            let cx = cx!(self);
            self.alerts.sync_file(&cx, fresh);
        }
    }

    /// Scrolls the matrix to its selection and reads what came into view.
    fn matrix_follow(&mut self) {
        self.on_pane(Pane::Matrix, |p, cx| p.fit(cx));
    }

    /// Keeps every pane's selection in view for the current screen size.
    fn fit_panes(&mut self, matrix: bool) {
        for p in Pane::ALL {
            if p != Pane::Matrix || matrix {
                self.on_pane(p, |st, cx| st.fit(cx));
            }
        }
    }

    /// Selected row and row count of the focused list (1-based), for the footer.
    pub fn position(&self) -> Option<(usize, usize)> {
        self.focused().position()
    }

    /// Rows marked in the focused list: (shown, hidden by the filter).
    pub fn mark_counts(&self) -> (usize, usize) {
        self.focused().mark_counts()
    }

    /// How many rows of the focused list are marked.
    pub fn marked(&self) -> usize {
        let (shown, hidden) = self.mark_counts();
        shown + hidden
    }

    /// The focused pane's filter.
    pub fn filter(&self) -> &str {
        self.focused().filter()
    }

    /// The focused pane's sort order, in words.
    pub fn sort_label(&self) -> &'static str {
        self.focused().sort_label(self.lang.s())
    }

    /// A read or a change that failed, in the footer in the interface's words.
    pub(super) fn fail(&mut self, e: &db::DbError) {
        self.say(crate::i18n::db_error_in(self.lang, e), Tone::Bad);
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

    /// After a background load: the views read in place and the open
    /// details follow the data.
    fn reload_inbox_view(&mut self) -> Result<()> {
        let cx = cx!(self);
        self.inbox.reload_view(&cx)
    }

    pub(super) fn reload_views(&mut self) -> Result<()> {
        let a = self.reload_inbox_view();
        let b = self.refresh_overlays();
        a.and(b)
    }

    /// Reads an authority item's status changes for its detail.
    pub(super) fn load_authority_history(&mut self, id: i64) {
        let h = db::checklist::events(&self.conn, id).map_err(|e| crate::i18n::db_error_in(self.lang, &e));
        self.checklist.history = Some((id, h));
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
                        self.checklist.history = Some((
                            id,
                            db::checklist::events(&self.conn, id).map_err(|e| crate::i18n::db_error_in(self.lang, &e)),
                        ));
                    }
                    DetailKind::Alert(k) => {
                        gone |= !self.alerts.all().iter().any(|r| r.key == *k);
                        let key = *k;
                        self.alerts.file = Some((
                            key,
                            db::notes::item_file(&self.conn, key, db::inbox::HISTORY_LINES)
                                .map_err(|e| crate::i18n::db_error_in(self.lang, &e)),
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

    pub fn resize(&mut self, w: u16, h: u16) {
        self.size = Rect::new(0, 0, w, h);
        if !layout::too_small(self.size) {
            self.small_dropped = 0;
        }
        self.fit_panes(self.pane == Pane::Matrix || self.matrix.loaded);
        self.sync_alert_file(false);
        self.dirty = true;
    }

    /// The filter line closed.
    fn focused_mut_close_filter(&mut self) {
        self.on_pane(self.pane, |p, _| {
            p.close_filter();
            Handled::done()
        });
    }

    /// A change to the focused pane's filter as it is typed.
    fn edit_filter(&mut self, edit: FilterEdit) {
        self.on_pane(self.pane, |p, cx| p.edit_filter(edit, cx));
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
            self.fail(&e);
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
            Some(Overlay::Filter) => self.edit_filter(FilterEdit::Paste(&line)),
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

    fn filter_key(&mut self, action: Option<Action>, ev: KeyEvent) {
        if matches!(self.overlays.last(), Some(Overlay::Pick(_))) {
            self.pick_key(action, ev);
            return;
        }
        match action {
            Some(Action::Cancel) => {
                self.edit_filter(FilterEdit::Clear);
                self.overlays.pop();
                self.focused_mut_close_filter();
            }
            Some(Action::Submit) => {
                self.overlays.pop();
                self.focused_mut_close_filter();
            }
            Some(a @ (Action::Up | Action::Down)) => {
                self.pane_key(a);
            }
            _ => match ev.code {
                KeyCode::Backspace => self.edit_filter(FilterEdit::Pop),
                KeyCode::Char(c) if !ev.modifiers.contains(KeyModifiers::CONTROL) => {
                    self.edit_filter(FilterEdit::Push(c))
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
                    Err(e) => self.fail(&e),
                }
            }
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

    /// Whether the filter is being typed.
    pub fn typing_filter(&self) -> bool {
        matches!(self.overlays.last(), Some(Overlay::Filter))
    }

    fn focus(&mut self, pane: Pane) {
        self.pane = pane;
        if pane == Pane::Matrix && !self.matrix.loaded && !self.loads.waiting.matrix {
            self.load_matrix();
        }
        self.fit_panes(pane == Pane::Matrix);
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

    /// Applies one action: the console's own (panes, help, filter, open,
    /// changes, details), else the focused pane's ([`PaneState::handle`]).
    pub fn update(&mut self, action: Action) {
        self.dirty = true;
        match action {
            Action::Quit => self.quit = true,
            Action::Help => self.open_help(),
            Action::NextPane => self.focus(Pane::ALL[(self.pane.index() + 1) % 4]),
            Action::PrevPane => self.focus(Pane::ALL[(self.pane.index() + 3) % 4]),
            Action::PaneInbox => self.focus(Pane::Inbox),
            Action::PaneChecklist => self.focus(Pane::Checklist),
            Action::PaneMatrix => self.focus(Pane::Matrix),
            Action::PaneAlerts => self.focus(Pane::Alerts),
            Action::Filter => self.overlays.push(Overlay::Filter),
            Action::Redraw => self.clear = true,
            Action::Open => self.open(),
            // Marks are for rows that can be changed.
            Action::Mark | Action::MarkAll if !self.enabled(action) => {}
            Action::Accept
            | Action::Return
            | Action::Note
            | Action::Remind
            | Action::Undo
            | Action::Extend
            | Action::Done
            | Action::Escalate
            | Action::Snooze => self.edit(action),
            Action::Info if self.pane == Pane::Checklist => {
                if let Some(id) = self.checklist.selected_item().map(|r| r.id) {
                    self.load_authority_history(id);
                    self.push_detail(DetailKind::Authority(id));
                }
            }
            Action::Info => self.open_alert_detail(),
            Action::Advance => self.advance(),
            Action::SetStatus => self.set_status(),
            Action::NewItem => self.item_form(false),
            Action::EnterReport => self.enter_report(),
            Action::Versions => self.open_versions(),
            other => {
                if !self.pane_key(other) {
                    self.pane_ignored(other);
                }
            }
        }
    }

    /// A key the focused pane left to the console: another month, a picker.
    fn pane_ignored(&mut self, a: Action) {
        match a {
            Action::PrevMonth | Action::NextMonth => self.change_month(a == Action::NextMonth),
            // In the inbox's month, ← and → are the months.
            Action::Left | Action::Right if self.pane == Pane::Inbox => self.change_month(a == Action::Right),
            Action::FocusUnit | Action::JumpArticle if self.pane == Pane::Matrix => self.open_matrix_picker(a),
            _ => {}
        }
    }

    /// `f` and `:` in the matrix: a unit to focus on, an article to go to.
    fn open_matrix_picker(&mut self, a: Action) {
        use super::overlay::{Pick, PickPurpose};
        let s = self.lang.s();
        let (purpose, title, options) = if a == Action::FocusUnit {
            let options = self
                .matrix
                .data
                .units
                .iter()
                .map(|u| (u.id, format!("{}（{}）", u.name, u.short)))
                .collect();
            (PickPurpose::FocusUnit, s.pick_unit, options)
        } else {
            let options = self
                .matrix
                .data
                .articles
                .iter()
                .map(|a| (a.no, format!("{:>2} {}", a.no, a.title)))
                .collect();
            (PickPurpose::JumpArticle, s.pick_article, options)
        };
        self.overlays
            .push(Overlay::Pick(Pick::new(purpose, title.to_string(), options)));
    }

    /// Opens a detail over everything.
    fn push_detail(&mut self, kind: DetailKind) {
        self.overlays.push(Overlay::Detail(Detail {
            kind,
            scroll: 0,
            pick: 0,
        }));
    }

    /// Reads the selected alert's notes, reminders and history and shows it all.
    fn open_alert_detail(&mut self) {
        let Some(key) = self.alerts.list.selected().map(|r| r.key) else {
            return;
        };
        let cx = cx!(self);
        self.alerts.load_file(key, &cx);
        self.push_detail(DetailKind::Alert(key));
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
                    Err(e) => self.fail(&e),
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
                        self.fail(&e);
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
