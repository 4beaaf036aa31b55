//! The console: terminal lifecycle and the event loop. Input goes through the
//! keymap to `App::update`; the screen is drawn only when something changed,
//! so an idle console writes nothing. The loop drives any [`Screen`], so a
//! second full-screen program (the quarterly review) shares the lifecycle.
//!
//! Module map: `app` (state and update), `edit` (changes, undo), `worker`
//! (the writer thread), `action` and `keymap` (keys), `layout` (geometry),
//! `list` (the list type of three panes), `panes` (one file per pane),
//! `overlay` (detail, help, forms, questions), `view` (the whole screen),
//! `ctx`, `theme`, `i18n`, `widgets`.

pub mod action;
pub mod app;
pub mod ctx;
pub mod edit;
pub mod i18n;
pub mod keymap;
pub mod layout;
pub mod list;
pub mod overlay;
pub mod panes;
pub mod theme;
pub mod view;
pub mod widgets;
pub mod worker;

use std::os::fd::RawFd;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use crossterm::event::{self, Event, KeyEvent};
use ratatui::layout::Rect;

use app::{App, Deps};

/// How often another user's commit is looked for.
pub const POLL_EXTERNAL: Duration = Duration::from_millis(500);
/// Longest wait for input; bounds how late a signal is noticed.
pub const TICK: Duration = Duration::from_millis(200);
/// How long quitting waits for a change still being saved.
pub const FINISH_WRITES: Duration = Duration::from_secs(12);

/// A full-screen program the event loop drives.
pub trait Screen {
    fn handle_key(&mut self, ev: KeyEvent);
    fn resize(&mut self, w: u16, h: u16);
    fn draw(&self, area: Rect, buf: &mut ratatui::buffer::Buffer);
    /// Called about every [`POLL_EXTERNAL`]: look for others' changes, timers.
    fn tick(&mut self);
    /// A descriptor that wakes the loop (a worker's results), if any.
    fn wake_fd(&self) -> Option<RawFd>;
    /// The wake descriptor became readable.
    fn on_wake(&mut self);
    fn wants_quit(&self) -> bool;
    /// Whether to draw (and clear first); resets the flags.
    fn take_redraw(&mut self) -> (bool, bool);
    /// Before leaving on quit: let pending work finish.
    fn finish(&mut self);
}

impl Screen for App {
    fn handle_key(&mut self, ev: KeyEvent) {
        App::handle_key(self, ev)
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
            self.message = Some(app::Message {
                text: e.to_string(),
                tone: app::Tone::Bad,
            });
            self.dirty = true;
        }
    }
    fn wake_fd(&self) -> Option<RawFd> {
        self.worker.as_ref().map(|w| w.wake_fd())
    }
    fn on_wake(&mut self) {
        self.on_worker();
    }
    fn wants_quit(&self) -> bool {
        self.quit
    }
    fn take_redraw(&mut self) -> (bool, bool) {
        let r = (self.dirty || self.clear, self.clear);
        self.dirty = false;
        self.clear = false;
        r
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
    }
}

/// Why the loop ended.
enum Exit {
    Quit,
    Signal(usize),
    Terminal(std::io::Error),
}

/// Runs the console until the user quits or a signal arrives; returns the
/// process exit code (0, or 128 + signal, or 1 when the terminal failed).
pub fn run(deps: Deps) -> Result<i32, crate::db::DbError> {
    let (w, h) = crossterm::terminal::size().unwrap_or((80, 24));
    let app = App::new(deps, Rect::new(0, 0, w, h))?;
    run_screen(app)
}

/// Runs any screen with the console's terminal lifecycle.
pub fn run_screen<S: Screen>(mut screen: S) -> Result<i32, crate::db::DbError> {
    let signal = Arc::new(AtomicUsize::new(0));
    for sig in [
        signal_hook::consts::SIGHUP,
        signal_hook::consts::SIGTERM,
        signal_hook::consts::SIGQUIT,
    ] {
        signal_hook::flag::register_usize(sig, Arc::clone(&signal), sig as usize)?;
    }
    let (w, h) = crossterm::terminal::size().unwrap_or((80, 24));
    let mut terminal = ratatui::try_init()?;
    // Start crossterm's event source now, so a resize that comes before the
    // first key is not lost, and take the size it reports from here on.
    let _ = event::poll(Duration::ZERO);
    match crossterm::terminal::size() {
        Ok((w2, h2)) if (w2, h2) != (w, h) => screen.resize(w2, h2),
        _ => screen.resize(w, h),
    }
    let exit = event_loop(&mut terminal, &mut screen, &signal);
    if matches!(exit, Exit::Quit) {
        screen.finish();
    }
    // The terminal may be gone: restoring it and reporting are best effort,
    // and must never panic (a panic while exiting would abort). ratatui's
    // `Terminal` drop prints to stderr when it cannot show the cursor, and
    // printing to a dead terminal panics, so it is shown here and forgotten.
    let _ = terminal.show_cursor();
    std::mem::forget(terminal);
    let _ = ratatui::try_restore();
    Ok(match exit {
        Exit::Quit => 0,
        Exit::Signal(n) => 128 + n as i32,
        Exit::Terminal(e) => {
            use std::io::Write;
            let _ = writeln!(std::io::stderr(), "dudao: terminal error: {e}");
            1
        }
    })
}

fn event_loop<S: Screen>(terminal: &mut ratatui::DefaultTerminal, screen: &mut S, signal: &AtomicUsize) -> Exit {
    let mut last_poll = Instant::now();
    loop {
        let sig = signal.load(Ordering::Relaxed);
        if sig != 0 {
            return Exit::Signal(sig);
        }
        if screen.wants_quit() {
            return Exit::Quit;
        }
        let (draw, clear) = screen.take_redraw();
        if clear && let Err(e) = terminal.clear() {
            return Exit::Terminal(e);
        }
        if draw && let Err(e) = terminal.draw(|f| screen.draw(f.area(), f.buffer_mut())) {
            return Exit::Terminal(e);
        }
        // Wait on the terminal and the writer ourselves (a signal or SIGWINCH
        // interrupts the wait), then drain what crossterm has parsed, never
        // blocking inside crossterm: its poll spins forever on a hung-up tty
        // (crossterm#793).
        let ready = match wait(TICK, screen.wake_fd()) {
            Ok(r) => r,
            // A hung-up terminal ends the program as SIGHUP would.
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {
                return Exit::Signal(signal_hook::consts::SIGHUP as usize);
            }
            Err(e) => return Exit::Terminal(e),
        };
        if ready.woken {
            screen.on_wake();
        }
        loop {
            match event::poll(Duration::ZERO) {
                Ok(true) => match event::read() {
                    Ok(Event::Key(k)) => screen.handle_key(k),
                    Ok(Event::Resize(w, h)) => screen.resize(w, h),
                    Ok(_) => {}
                    Err(e) => return Exit::Terminal(e),
                },
                Ok(false) => break,
                Err(e) => return Exit::Terminal(e),
            }
        }
        if last_poll.elapsed() >= POLL_EXTERNAL {
            last_poll = Instant::now();
            screen.tick();
        }
    }
}

/// What woke the wait.
struct Ready {
    /// The wake descriptor (the writer) has something.
    woken: bool,
}

/// Waits up to `timeout` for input on the terminal (stdin) or the wake
/// descriptor. An error means the terminal is gone: hung up (POLLHUP), or
/// readable with nothing to read (end of file), decided before crossterm
/// reads anything, never guessed from a count of empty wake-ups.
fn wait(timeout: Duration, wake: Option<RawFd>) -> std::io::Result<Ready> {
    let mut fds = [
        libc::pollfd {
            fd: libc::STDIN_FILENO,
            events: libc::POLLIN,
            revents: 0,
        },
        libc::pollfd {
            fd: wake.unwrap_or(-1),
            events: libc::POLLIN,
            revents: 0,
        },
    ];
    // SAFETY: two valid pollfds owned by this frame (a negative fd is ignored).
    let rc = unsafe { libc::poll(fds.as_mut_ptr(), 2, timeout.as_millis().min(i32::MAX as u128) as i32) };
    if rc < 0 {
        let e = std::io::Error::last_os_error();
        return if e.kind() == std::io::ErrorKind::Interrupted {
            Ok(Ready { woken: false })
        } else {
            Err(e)
        };
    }
    let hung_up = || std::io::Error::new(std::io::ErrorKind::BrokenPipe, "terminal hung up");
    if fds[0].revents & (libc::POLLHUP | libc::POLLERR | libc::POLLNVAL) != 0 {
        return Err(hung_up());
    }
    if fds[0].revents & libc::POLLIN != 0 && pending_bytes(libc::STDIN_FILENO) == Some(0) {
        // Readable with no bytes waiting: a read would return 0, end of file.
        return Err(hung_up());
    }
    Ok(Ready {
        woken: fds[1].revents & libc::POLLIN != 0,
    })
}

/// Bytes waiting to be read on `fd` (FIONREAD), if the terminal says.
fn pending_bytes(fd: RawFd) -> Option<i32> {
    let mut n: libc::c_int = 0;
    // SAFETY: FIONREAD writes one int into `n`.
    let rc = unsafe { libc::ioctl(fd, libc::FIONREAD, &mut n) };
    (rc == 0).then_some(n)
}
