//! `dudao review`: the quarterly review on the meeting-room terminal. Seven
//! full-screen pages of the quarter's figures, read-only (the connection is
//! read-only and no key writes), paged by key or on a kiosk timer.
//! The pages themselves are drawn in `pages`.
//!
//! The screen is drawn only when the page, the size or the pause state
//! changes: between page changes nothing is written to the terminal. The
//! figures are read again on a page change after another connection
//! committed (`PRAGMA data_version`), never on a timer.

mod pages;

use std::os::fd::RawFd;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use rusqlite::Connection;

use super::theme::Theme;
use super::widgets::put;
use crate::db::alerts::AlertPolicy;
use crate::domain::Quarter;
use crate::figures::Review;
use crate::i18n::Lang;
use crate::review::strings::ReviewStrings;
use crate::text::width;

/// The number of pages.
pub const PAGES: usize = 7;
/// Smallest size the pages are drawn at; below it a short message.
pub const MIN_W: u16 = 40;
pub const MIN_H: u16 = 12;

/// What the review needs.
pub struct ReviewDeps {
    pub conn: Connection,
    pub path: PathBuf,
    pub quarter: Quarter,
    pub today: NaiveDate,
    pub policy: AlertPolicy,
    pub lang: Lang,
    pub theme: Theme,
    /// Seconds per page on the kiosk timer.
    pub kiosk: Option<u64>,
    /// Opened as an immutable snapshot (a read-only folder): the header says so.
    pub immutable: bool,
}

/// The review's state.
pub struct ReviewScreen {
    deps: ReviewDeps,
    data: Review,
    page: usize,
    paused: bool,
    next_at: Option<Instant>,
    data_version: i64,
    /// The figures were read again after someone else's change.
    updated: bool,
    dirty: bool,
    clear: bool,
    quit: bool,
    /// The terminal draws text at 2× and 3× (kitty's OSC 66): page titles
    /// and the overview's labels are drawn large.
    sizing: bool,
}

impl ReviewScreen {
    /// Reads the figures and starts on page 1.
    pub fn new(deps: ReviewDeps) -> crate::db::Result<ReviewScreen> {
        let data = crate::figures::review(&deps.conn, deps.quarter, deps.today, &deps.policy)?;
        let data_version = crate::db::data_version(&deps.conn)?;
        let next_at = deps.kiosk.map(|s| Instant::now() + Duration::from_secs(s));
        Ok(ReviewScreen {
            deps,
            data,
            page: 0,
            paused: false,
            next_at,
            data_version,
            updated: false,
            dirty: true,
            clear: false,
            quit: false,
            sizing: false,
        })
    }

    pub fn page(&self) -> usize {
        self.page
    }

    pub fn paused(&self) -> bool {
        self.paused
    }

    fn s(&self) -> &'static ReviewStrings {
        ReviewStrings::of(self.deps.lang)
    }

    /// Shows page `p` (0-based), reading the figures again first when
    /// another connection has committed since they were read.
    pub fn go(&mut self, p: usize) {
        let p = p % PAGES;
        if p != self.page {
            self.page = p;
            self.refresh();
            // Large text is one character to the terminal: a new page is
            // drawn on a clean screen rather than over parts of it.
            self.clear |= self.sizing;
        }
        self.dirty = true;
    }

    fn refresh(&mut self) {
        self.updated = false;
        let Ok(v) = crate::db::data_version(&self.deps.conn) else {
            return;
        };
        if v == self.data_version {
            return;
        }
        if let Ok(d) = crate::figures::review(&self.deps.conn, self.deps.quarter, self.deps.today, &self.deps.policy) {
            self.updated = d != self.data;
            self.data = d;
            self.data_version = v;
        }
    }

    fn restart_timer(&mut self) {
        self.next_at = self
            .deps
            .kiosk
            .filter(|_| !self.paused)
            .map(|s| Instant::now() + Duration::from_secs(s));
    }

    /// Any key pauses the kiosk timer; `p` toggles it.
    pub fn key(&mut self, ev: KeyEvent) {
        if ev.kind == KeyEventKind::Release {
            return;
        }
        let toggle = matches!(ev.code, KeyCode::Char('p') | KeyCode::Char('P'));
        if self.deps.kiosk.is_some() {
            let was = self.paused;
            self.paused = if toggle { !self.paused } else { true };
            if was != self.paused {
                self.dirty = true;
            }
            self.restart_timer();
        }
        match ev.code {
            KeyCode::Char('q') | KeyCode::Char('Q') | KeyCode::Esc => self.quit = true,
            KeyCode::Char('c') if ev.modifiers.contains(KeyModifiers::CONTROL) => self.quit = true,
            KeyCode::Right | KeyCode::PageDown | KeyCode::Char(' ') | KeyCode::Char('l') | KeyCode::Char('j') => {
                self.go(self.page + 1)
            }
            KeyCode::Left | KeyCode::PageUp | KeyCode::Backspace | KeyCode::Char('h') | KeyCode::Char('k') => {
                self.go(self.page + PAGES - 1)
            }
            KeyCode::Home => self.go(0),
            KeyCode::End => self.go(PAGES - 1),
            KeyCode::Char(c @ '1'..='7') => self.go(c as usize - '1' as usize),
            _ => {}
        }
    }

    /// The kiosk timer: the next page when its time has come.
    pub fn advance_if_due(&mut self, now: Instant) {
        if self.paused {
            return;
        }
        if let Some(t) = self.next_at
            && now >= t
        {
            self.go(self.page + 1);
            self.restart_timer();
        }
    }

    /// Draws the whole screen.
    pub fn render(&self, area: Rect, buf: &mut Buffer) {
        self.render_with(area, buf, None);
    }

    /// Draws the whole screen; with `big`, room is left for large labels
    /// (see [`pages::BigLabel`]), which are collected there.
    fn render_with(&self, area: Rect, buf: &mut Buffer, mut big: Option<&mut Vec<pages::BigLabel>>) {
        let t = &self.deps.theme;
        let s = self.s();
        buf.set_style(area, t.base);
        if area.width < MIN_W || area.height < MIN_H {
            let msg = format!("{} ({}×{})", s.too_small, area.width, area.height);
            for (i, line) in super::widgets::wrap(&msg, area.width.max(1) as usize)
                .iter()
                .enumerate()
            {
                if i as u16 >= area.height {
                    break;
                }
                put(buf, area.x, area.y + i as u16, area.width, line, t.title, false);
            }
            return;
        }
        self.header(Rect { height: 1, ..area }, buf);
        let title = Rect {
            y: area.y + 1,
            height: 1,
            ..area
        };
        let dots: String = (0..PAGES).map(|i| if i == self.page { '●' } else { '○' }).collect();
        // Seven cells, or fourteen where ● and ○ are two cells wide.
        let dots_w = (width(&dots) as u16 + 1).min(title.width / 2);
        let heading = format!("{} · {}", self.page + 1, s.pages[self.page]);
        let heading_style = t.title.add_modifier(Modifier::BOLD);
        put(
            buf,
            title.x,
            title.y,
            title.width.saturating_sub(dots_w),
            &format!(" {heading}"),
            heading_style,
            false,
        );
        // Large on a terminal that can: three times on a tall screen, else
        // twice, where it fits; the body starts below it.
        let room = title.width.saturating_sub(dots_w + 2);
        let scale = match &big {
            Some(_) if area.height >= 40 && width(&heading) as u16 * 3 <= room => 3,
            Some(_) if area.height >= 20 && width(&heading) as u16 * 2 <= room => 2,
            _ => 1,
        };
        if let Some(labels) = big.as_deref_mut()
            && scale > 1
        {
            labels.push(pages::BigLabel {
                x: title.x + 1,
                y: title.y,
                scale,
                text: heading,
                style: heading_style,
            });
        }
        put(buf, title.right() - dots_w, title.y, dots_w, &dots, t.key, true);
        let foot = Rect {
            y: area.bottom() - 1,
            height: 1,
            ..area
        };
        let keys = if width(s.keys) + 2 <= foot.width as usize {
            s.keys
        } else {
            s.keys_short
        };
        put(buf, foot.x, foot.y, foot.width, &format!(" {keys}"), t.dim, false);
        if self.updated {
            put(
                buf,
                foot.x,
                foot.y,
                foot.width,
                &format!("⟳ {}", s.updated),
                t.yellow,
                true,
            );
        }
        let body = Rect {
            x: area.x + 1,
            y: area.y + 1 + scale,
            width: area.width - 2,
            height: area.height - 2 - scale,
        };
        let f = &self.data.figures;
        match self.page {
            0 => pages::overview(f, s, t, body, buf, big),
            1 => pages::targets(f, s, t, body, buf),
            2 => pages::units(f, s, t, body, buf),
            3 => pages::ranking(f, s, t, body, buf),
            4 => pages::checklist(f, s, t, self.deps.lang, body, buf),
            5 => pages::escalated(f, s, t, body, buf),
            _ => pages::quarter_on_quarter(&self.data, s, t, body, buf),
        }
    }

    fn header(&self, area: Rect, buf: &mut Buffer) {
        let t = &self.deps.theme;
        let s = self.s();
        buf.set_style(area, t.header);
        let f = &self.data.figures;
        let mut right = format!(" {} ", s.read_only);
        if self.deps.immutable {
            right.push_str(&format!("· {} ", s.immutable));
        }
        if self.data.frozen.is_some() {
            right.push_str(&format!("· {} ", s.frozen));
        }
        right.push_str(&format!("· {}/{} ", self.page + 1, PAGES));
        if let Some(k) = self.deps.kiosk {
            if self.paused {
                right.push_str(&format!("· ⏸ {} ", s.paused));
            } else {
                right.push_str(&format!("· ▶ {}{} ", k, s.seconds));
            }
        }
        let rw = (width(&right) as u16).min(area.width);
        let left = format!(" {} · {} · {} {}", s.title, s.quarter(&f.quarter), s.as_of, f.as_of);
        put(buf, area.x, area.y, area.width - rw, &left, t.header, false);
        put(buf, area.right() - rw, area.y, rw, &right, t.header, true);
    }
}

impl crate::tui::screen::Screen for ReviewScreen {
    fn handle_key(&mut self, ev: KeyEvent) {
        self.key(ev)
    }
    fn handle_paste(&mut self, _text: String) {
        self.key(KeyEvent::new(KeyCode::Null, KeyModifiers::NONE));
    }
    fn resize(&mut self, _w: u16, _h: u16) {
        self.clear = true;
        self.dirty = true;
    }
    fn draw(&self, area: Rect, buf: &mut Buffer) {
        let mut big = Vec::new();
        self.render_with(area, buf, self.sizing.then_some(&mut big));
        // As in the console: nothing forbidden leaves in a frame, whichever
        // widget drew it (the big digits and charts included).
        crate::tui::view::sanitize_frame(area, buf);
        // Then the large labels: our own words, in our own escape sequence.
        for label in &big {
            label.draw(buf);
        }
    }
    fn tick(&mut self) {
        self.advance_if_due(Instant::now());
    }
    fn wake_fd(&self) -> Option<RawFd> {
        None
    }
    fn on_wake(&mut self) {}
    fn wants_quit(&self) -> bool {
        self.quit
    }
    fn redraw_flags(&mut self) -> (&mut bool, &mut bool) {
        (&mut self.dirty, &mut self.clear)
    }
    fn finish(&mut self) {}
    fn wants_text_sizing(&self) -> bool {
        true
    }
    fn text_sizing(&mut self, on: bool) {
        if on != self.sizing {
            self.sizing = on;
            self.dirty = true;
            self.clear = true;
        }
    }
}
