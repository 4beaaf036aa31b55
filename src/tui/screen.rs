//! What the event loop drives: the console and the quarterly review are
//! both a [`Screen`].

use std::os::fd::RawFd;
use std::time::Duration;

use crossterm::event::KeyEvent;
use ratatui::layout::Rect;

/// How often another user's commit is looked for.
pub const POLL_EXTERNAL: Duration = Duration::from_millis(500);
/// Longest wait for input; bounds how late a signal is noticed.
pub const TICK: Duration = Duration::from_millis(200);

/// A full-screen program the event loop drives.
pub trait Screen {
    fn handle_key(&mut self, ev: KeyEvent);
    /// Text pasted into the terminal (bracketed paste).
    fn handle_paste(&mut self, text: String);
    fn resize(&mut self, w: u16, h: u16);
    fn draw(&self, area: Rect, buf: &mut ratatui::buffer::Buffer);
    /// Called about every [`POLL_EXTERNAL`]: look for others' changes, timers.
    fn tick(&mut self);
    /// A descriptor that wakes the loop (a worker's results), if any.
    fn wake_fd(&self) -> Option<RawFd>;
    /// The wake descriptor became readable.
    fn on_wake(&mut self);
    fn wants_quit(&self) -> bool;
    /// The screen's redraw flags: (draw, clear first).
    fn redraw_flags(&mut self) -> (&mut bool, &mut bool);
    /// The terminal answered how wide it draws ambiguous characters: the
    /// whole screen is drawn again (after clearing) measured that way.
    fn ambiguous_width(&mut self, wide: bool) {
        if wide != crate::text::ambiguous_wide() {
            crate::text::set_ambiguous_wide(wide);
            let (dirty, clear) = self.redraw_flags();
            *dirty = true;
            *clear = true;
        }
    }
    /// Whether to draw (and clear first); resets the flags.
    fn take_redraw(&mut self) -> (bool, bool) {
        let (dirty, clear) = self.redraw_flags();
        let r = (*dirty || *clear, *clear);
        *dirty = false;
        *clear = false;
        r
    }
    /// Whether the screen draws large text where the terminal can (kitty's
    /// text-sizing protocol, OSC 66): the terminal is then asked at start.
    fn wants_text_sizing(&self) -> bool {
        false
    }
    /// The terminal answered that it draws text at 2× (OSC 66).
    fn text_sizing(&mut self, _on: bool) {}
    /// Before leaving on quit: let pending work finish.
    fn finish(&mut self);
    /// A frame was written (work that would slow it starts now).
    fn frame_written(&mut self) {}
}
