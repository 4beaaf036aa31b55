//! The console as the event loop drives it.

use std::os::fd::RawFd;
use std::time::{Duration, Instant};

use crossterm::event::KeyEvent;
use ratatui::layout::Rect;

use super::App;
use crate::tui::screen::Screen;

/// How long quitting waits for a change still being saved.
pub const FINISH_WRITES: Duration = Duration::from_secs(12);

impl Screen for App {
    fn handle_key(&mut self, ev: KeyEvent) {
        App::handle_key(self, ev)
    }
    fn handle_paste(&mut self, text: String) {
        App::handle_paste(self, text)
    }
    fn resize(&mut self, w: u16, h: u16) {
        App::resize(self, w, h)
    }
    fn draw(&self, area: Rect, buf: &mut ratatui::buffer::Buffer) {
        ratatui::widgets::Widget::render(self, area, buf)
    }
    fn tick(&mut self) {
        // While the writer works, its commit cannot be told from another
        // user's yet: look again once it has answered.
        if self.writing() {
            return;
        }
        if let Err(e) = self.poll_external() {
            self.fail(&e);
        }
    }
    fn wake_fd(&self) -> Option<RawFd> {
        self.wake.as_ref().map(|w| w.fd())
    }
    fn on_wake(&mut self) {
        if let Some(w) = &self.wake {
            w.drain();
        }
        self.on_loaded();
        self.on_worker();
    }
    fn wants_quit(&self) -> bool {
        self.quit
    }
    fn redraw_flags(&mut self) -> (&mut bool, &mut bool) {
        (&mut self.dirty, &mut self.clear)
    }
    fn frame_written(&mut self) {
        App::frame_written(self)
    }
    fn finish(&mut self) {
        let deadline = Instant::now() + FINISH_WRITES;
        while self.writing() && Instant::now() < deadline {
            self.wait_worker(Duration::from_millis(100));
        }
        // The writer's connection closes first, the console's last: the last
        // one to close checkpoints, so a quit leaves everything in the file.
        if let Some(w) = &mut self.worker {
            w.shutdown(Duration::from_secs(2));
        }
        if let Some(r) = &mut self.loader {
            r.shutdown(Duration::from_secs(2));
        }
    }
}
