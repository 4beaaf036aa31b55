//! Loading in the background: what the console asks the reader
//! ([`crate::tui::loader`]) for, and how each part it sends is swapped in. The
//! keyboard never waits for a large read: start-up waits only for the
//! inbox, a change by anyone is read while keys keep working, and the
//! months next to the one shown are read ahead so `[` and `]` are instant.

use super::App;
use super::parts::Held;
use crate::domain::Month;
use crate::tui::ctx::Waiting;
use crate::tui::loader::{Loaded, Part, Want, Which};
use crate::tui::panes;
use crate::tui::panes::Pane;

impl App {
    /// The months `[` and `]` go to from `m`.
    fn neighbours(&self, m: Month) -> Vec<Month> {
        let mut v = Vec::new();
        if m.prev() >= self.first_month {
            v.push(m.prev());
        }
        if m.next() <= Month::of(self.today) {
            v.push(m.next());
        }
        v
    }

    /// Keeps read ahead only the months `[` and `]` go to from the one
    /// shown: at 16,000 units a month is 2 MB.
    fn keep_neighbours(&mut self) {
        let near = self.neighbours(self.inbox.month);
        self.loads.ahead.retain(|(x, _, _)| near.contains(x));
    }

    /// Everything the console shows, as it is now.
    fn want_all(&self) -> Want {
        Want {
            inbox: Some(self.inbox.month),
            head: None,
            ahead: self.neighbours(self.inbox.month),
            current: Some(self.current_month()),
            unread: true,
            alerts: true,
            checklist: true,
            matrix: self
                .matrix
                .loaded
                .then_some(self.matrix.sort == panes::matrix::MatrixSort::Lagging),
        }
    }

    fn request(&mut self, want: Want) -> bool {
        let Some(loader) = &self.loader else { return false };
        self.loads.seq += 1;
        loader.request(self.loads.seq, want)
    }

    /// Reads everything again: in the background when there is a reader,
    /// else in place.
    pub(super) fn reload_all(&mut self) -> crate::db::Result<()> {
        let want = self.want_all();
        self.reload_with(want)
    }

    /// Reads `want` (everything shown) as [`App::reload_all`] does.
    fn reload_with(&mut self, want: Want) -> crate::db::Result<()> {
        if self.loader.is_none() {
            return self.reload();
        }
        if self.request(want) {
            self.loads.fresh_from = self.loads.seq;
            let fresh = self.loads.fresh_from;
            self.loads.ahead.retain(|(_, g, _)| *g >= fresh);
            Ok(())
        } else {
            // The reader is gone: read here.
            self.loader = None;
            self.reload()
        }
    }

    /// Start-up in the background: asks for everything and waits for the
    /// inbox only (up to `wait`); the rest comes while keys already work.
    pub(super) fn first_load(&mut self, wait: std::time::Duration) {
        self.loads.waiting = Waiting {
            inbox: true,
            alerts: true,
            checklist: true,
            matrix: false,
        };
        // The inbox's figures and first screenful come first: they are all
        // the first frame needs of the month.
        let mut want = self.want_all();
        if self.inbox.shows_all_in_unit_order() {
            want.head = Some(self.page_of(Pane::Inbox));
        }
        self.report(|app| app.reload_with(want));
        let deadline = std::time::Instant::now() + wait;
        while self.loads.waiting.inbox {
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            let Some(l) = self.loader.as_ref().and_then(|r| r.recv_timeout(left)) else {
                break;
            };
            let done = matches!(l.part, Ok(Part::Done));
            self.apply(l);
            if done {
                break;
            }
        }
    }

    /// Waits up to `timeout` until the reader has answered every request
    /// made so far, taking each part (tests, benches); false on timeout.
    pub fn wait_loaded(&mut self, timeout: std::time::Duration) -> bool {
        let deadline = std::time::Instant::now() + timeout;
        loop {
            if self.loads.answered >= self.loads.seq {
                return true;
            }
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            let Some(l) = self.loader.as_ref().and_then(|r| r.recv_timeout(left)) else {
                return self.loader.is_none();
            };
            self.apply(l);
        }
    }

    /// Takes every part the reader has sent.
    pub fn on_loaded(&mut self) {
        while let Some(l) = self.loader.as_ref().and_then(|r| r.try_recv()) {
            self.apply(l);
        }
    }

    fn apply(&mut self, l: Loaded) {
        let s = self.lang.s();
        self.dirty = true;
        let part = match l.part {
            Ok(p) => p,
            Err(e) => {
                self.fail(&e);
                return;
            }
        };
        match part {
            Part::Inbox(m, rows) if m == self.inbox.month => {
                self.loads.unreadable.inbox = false;
                self.loads.shown = l.seq;
                let page = self.page_of(Pane::Inbox);
                self.inbox.set_all(rows, s, page);
                self.loads.waiting.inbox = false;
                self.load_inbox_detail();
                self.release_held();
            }
            Part::InboxHead(m, head) => {
                // Only while the month is still awaited and shown as a head
                // shows it (no key has changed its order or filters).
                if m == self.inbox.month && self.loads.waiting.inbox && self.inbox.shows_all_in_unit_order() {
                    let page = self.page_of(Pane::Inbox);
                    self.inbox.set_head(head, s, page);
                    self.loads.waiting.inbox = false;
                    self.load_inbox_detail();
                }
            }
            Part::Inbox(m, rows) => {
                if l.seq >= self.loads.fresh_from {
                    self.loads.ahead.retain(|(x, _, _)| *x != m);
                    self.loads.ahead.push((m, l.seq, rows));
                    self.keep_neighbours();
                }
            }
            Part::Current(d) => {
                self.loads.unreadable.current = false;
                self.inbox_now = d;
            }
            Part::Unread(n) => {
                self.loads.unreadable.unread = false;
                self.unread = n;
            }
            Part::Failed(which, e) => {
                self.fail(&e);
                // A month whose figures and first rows were read keeps its
                // figures: only the rest of its rows is missing.
                if !(which == Which::Inbox && self.inbox.head_only()) {
                    self.loads.unreadable.mark(which);
                }
                // The current month's digest comes from its rows.
                if which == Which::Inbox && self.inbox.month == self.current_month() {
                    self.loads.unreadable.current = true;
                }
            }
            Part::Alerts(rows, d) => {
                self.loads.unreadable.alerts = false;
                let page = self.page_of(Pane::Alerts);
                self.alerts_now = d;
                self.alerts.set_all(rows, s, page);
                self.loads.waiting.alerts = false;
                self.sync_alert_file(true);
            }
            Part::Checklist(items) => {
                self.loads.unreadable.checklist = false;
                self.set_checklist(items);
                self.loads.waiting.checklist = false;
            }
            Part::Matrix(d) => {
                self.loads.unreadable.matrix = false;
                self.matrix.set_data(*d);
                self.loads.waiting.matrix = false;
                self.matrix_follow();
            }
            Part::Done => {
                self.loads.answered = self.loads.answered.max(l.seq);
                self.reopen_form_after(self.loads.answered);
                if l.seq >= self.loads.seq {
                    // Everything asked for came (a part that failed said so).
                    self.loads.waiting = Waiting::default();
                }
                // Views read in place, and open details, follow the data.
                self.report(App::reload_views);
                if self.inbox.head_only() && l.seq >= self.loads.seq {
                    // The rest of the month could not be read (it said why).
                    self.inbox.forget_head();
                    self.release_held();
                }
            }
        }
    }

    /// A frame was written: what waited for it is asked for.
    pub fn frame_written(&mut self) {
        if let Some(w) = self.loads.after_frame.take() {
            self.request(w);
        }
    }

    /// Handles the input held while the inbox held only its first rows.
    fn release_held(&mut self) {
        // Keys typed before a message came do not clear it: it was not seen.
        let said = self.message.take();
        for h in std::mem::take(&mut self.loads.held) {
            match h {
                Held::Key(k) => self.handle_key(k),
                Held::Paste(t) => self.handle_paste(t),
            }
        }
        if self.message.is_none() {
            self.message = said;
        }
    }

    /// Holds input that comes while the inbox holds only its month's first
    /// rows (true: held). Quitting is never held.
    pub(super) fn hold(&mut self, h: Held) -> bool {
        if !self.inbox.head_only() {
            return false;
        }
        if let Held::Key(ev) = &h
            && self.overlays.is_empty()
            && self.keymap.resolve(
                crate::tui::keymap::Scope::Global,
                crate::tui::keymap::Key::from_event(ev),
            ) == Some(crate::tui::action::Action::Quit)
        {
            self.quit = true;
            return true;
        }
        self.loads.held.push(h);
        true
    }

    /// A paste, unless it is held (see [`App::hold`]).
    pub(super) fn hold_paste(&mut self, text: String) -> Option<String> {
        if self.inbox.head_only() {
            self.loads.held.push(Held::Paste(text));
            None
        } else {
            Some(text)
        }
    }

    /// The matrix, first opened: read in the background, else in place.
    pub(super) fn load_matrix(&mut self) {
        let all = self.matrix.sort == panes::matrix::MatrixSort::Lagging;
        if self.request(Want {
            matrix: Some(all),
            ..Want::default()
        }) {
            self.loads.waiting.matrix = true;
        } else {
            let today = Month::of(self.today);
            self.report(|app| app.matrix.load(&app.conn, today));
        }
    }

    /// `[` / `]`: the month read ahead at once, else read in the background.
    pub(super) fn show_month(&mut self, m: Month) {
        let s = self.lang.s();
        let fresh = self.loads.fresh_from;
        // The month left is kept read: going back is instant too.
        let left = std::mem::take(&mut self.inbox.list.rows);
        self.inbox.list.view.clear();
        if self.loads.shown >= fresh && !left.is_empty() {
            let ahead = &mut self.loads.ahead;
            ahead.retain(|(x, _, _)| *x != self.inbox.month);
            ahead.push((self.inbox.month, self.loads.shown, left));
        }
        self.inbox.month = m;
        self.loads.unreadable.inbox = false;
        // Marks belong to the month they were made in.
        self.inbox.list.marks.clear();
        let page = self.page_of(Pane::Inbox);
        let cached = self.loads.ahead.iter().position(|(x, g, _)| *x == m && *g >= fresh);
        let ahead: Vec<Month> = self
            .neighbours(m)
            .into_iter()
            .filter(|n| !self.loads.ahead.iter().any(|(x, g, _)| x == n && *g >= fresh))
            .collect();
        match cached {
            Some(i) => {
                let (_, g, rows) = self.loads.ahead.remove(i);
                self.keep_neighbours();
                self.loads.shown = g;
                self.loads.waiting.inbox = false;
                self.inbox.set_all(rows, s, page);
                self.load_inbox_detail();
                if !ahead.is_empty() {
                    let later = Want {
                        ahead,
                        ..Want::default()
                    };
                    match &mut self.loads.after_frame {
                        Some(w) => w.merge(later),
                        None => self.loads.after_frame = Some(later),
                    }
                }
            }
            None => {
                self.keep_neighbours();
                self.inbox.set_all(Vec::new(), s, page);
                self.inbox.detail = None;
                self.loads.waiting.inbox = true;
                self.request(Want {
                    inbox: Some(m),
                    ahead,
                    ..Want::default()
                });
            }
        }
    }
}
