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
pub mod describe;
pub mod digest;
pub mod input;
pub mod intent;
pub mod keymap;
pub mod layout;
pub mod list;
pub mod loader;
pub mod overlay;
pub mod panes;
pub mod review;
pub mod screen;
pub mod term;
pub mod theme;
pub mod view;
pub mod wake;
pub mod widgets;
pub mod worker;

use std::io::Read;
use std::os::fd::{AsRawFd, RawFd};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use ratatui::layout::Rect;

use app::{App, Deps};
pub use screen::{POLL_EXTERNAL, Screen, TICK};

/// Why the loop ended.
enum Exit {
    Quit,
    Signal(usize),
    Terminal(std::io::Error),
}

/// How long start-up waits for the inbox before showing the console anyway
/// (its rows then come when read).
const FIRST_LOAD_WAIT: Duration = Duration::from_secs(3);

/// Runs the console until the user quits or a signal arrives; returns the
/// process exit code (0, or 128 + signal, or 1 when the terminal failed).
pub fn run(deps: Deps, setup: TermSetup) -> Result<i32, crate::db::DbError> {
    let (w, h) = crossterm::terminal::size().unwrap_or((80, 24));
    let app = App::start(deps, Rect::new(0, 0, w, h), FIRST_LOAD_WAIT)?;
    run_screen_with(app, setup)
}

/// How the console talks to the terminal: its charset and colours, and how
/// wide it draws ambiguous characters (`None`: ask the terminal).
#[derive(Debug, Clone, Copy)]
pub struct TermSetup {
    pub env: term::TermEnv,
    pub ambiguous_wide: Option<bool>,
}

impl TermSetup {
    /// From the environment, asking the terminal about ambiguous widths.
    pub fn from_env() -> TermSetup {
        TermSetup {
            env: term::TermEnv::from_env(""),
            ambiguous_wide: None,
        }
    }
}

/// How long the first frame waits for the terminal's answers to the
/// start-up questions (a terminal answers in a few milliseconds, over SSH a
/// round trip); a terminal that never answers gets it after this.
pub const PROBE_WAIT: Duration = Duration::from_millis(250);

/// A start-up question whose answer is a cursor position.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Question {
    /// Where the cursor went after a middle dot: column 3 when the terminal
    /// draws ambiguous characters two cells wide.
    Width,
    /// Where it went after a space at twice the size (OSC 66 `s=2`):
    /// column 3 when the terminal draws text at 2×, 1 when it ignored it.
    Sizing,
}

/// The questions asked of the terminal before the first frame, so that it
/// is drawn as the terminal will show it (not drawn narrow, then cleared and
/// drawn again). Answers come in order; primary device attributes, asked
/// last, end the wait.
struct Probe {
    pending: std::collections::VecDeque<Question>,
    /// The first frame waits until this, or the device attributes.
    until: Option<Instant>,
}

impl Probe {
    /// Asks what `setup` leaves open and `screen` wants to know; `None`
    /// when nothing is asked.
    fn ask<S: Screen>(terminal: &mut Term, setup: &TermSetup, screen: &S) -> Option<Probe> {
        use std::io::Write;
        let mut pending = std::collections::VecDeque::new();
        let mut q = String::new();
        if setup.ambiguous_wide.is_none() {
            q.push_str("\x1b[H\u{b7}\x1b[6n");
            pending.push_back(Question::Width);
        }
        // The Linux console would print an OSC it does not know.
        if screen.wants_text_sizing() && setup.env.sizing_possible() {
            q.push_str("\x1b[H\x1b]66;s=2; \x07\x1b[6n");
            pending.push_back(Question::Sizing);
        }
        if pending.is_empty() {
            return None;
        }
        // Device attributes, then the screen cleared of the questions' marks.
        q.push_str("\x1b[c\x1b[H\x1b[2J");
        let w = terminal.backend_mut();
        let _ = w.write_all(q.as_bytes());
        let _ = std::io::Write::flush(w);
        Some(Probe {
            pending,
            until: Some(Instant::now() + PROBE_WAIT),
        })
    }

    /// Whether the first frame still waits for answers.
    fn holding(&mut self, now: Instant) -> bool {
        if self.until.is_some_and(|t| now >= t) {
            self.until = None;
        }
        self.until.is_some()
    }

    /// Takes an answer: a cursor position answers the oldest question.
    fn answer<S: Screen>(&mut self, i: &input::Input, screen: &mut S) {
        match i {
            input::Input::CursorPosition(_, col) => match self.pending.pop_front() {
                Some(Question::Width) => screen.ambiguous_width(*col >= 3),
                Some(Question::Sizing) => screen.text_sizing(*col == 3),
                None => {}
            },
            input::Input::DeviceAttributes => {
                // Questions not answered by now never will be.
                self.pending.clear();
                self.until = None;
            }
            _ => {}
        }
    }
}

/// The terminal the console draws on: frames leave in one write.
pub type Term = ratatui::Terminal<term::FrameBackend>;

/// Runs any screen with the console's terminal lifecycle.
pub fn run_screen<S: Screen>(screen: S) -> Result<i32, crate::db::DbError> {
    run_screen_with(screen, TermSetup::from_env())
}

/// [`run_screen`] on a terminal set up as `setup` says.
pub fn run_screen_with<S: Screen>(mut screen: S, setup: TermSetup) -> Result<i32, crate::db::DbError> {
    let signal = Arc::new(AtomicUsize::new(0));
    for sig in [
        signal_hook::consts::SIGHUP,
        signal_hook::consts::SIGTERM,
        signal_hook::consts::SIGQUIT,
    ] {
        signal_hook::flag::register_usize(sig, Arc::clone(&signal), sig as usize)?;
    }
    // Window size changes arrive as a byte on this pipe, which the loop
    // waits on beside the terminal.
    let (winch_read, winch_write) = std::os::unix::net::UnixStream::pair()?;
    winch_read.set_nonblocking(true)?;
    let winch = signal_hook::low_level::pipe::register(signal_hook::consts::SIGWINCH, winch_write)?;
    let (w, h) = crossterm::terminal::size().unwrap_or((80, 24));
    // Raw mode, the alternate screen and the panic hook as ratatui sets them
    // up; frames then go through the frame writer.
    drop(ratatui::try_init()?);
    let mut terminal: Term = ratatui::Terminal::new(term::FrameBackend::new(term::FrameWriter::stdout(setup.env)))?;
    let _ = crossterm::execute!(std::io::stdout(), crossterm::event::EnableBracketedPaste);
    crate::text::set_gbk_only(setup.env.charset == term::Charset::Gbk);
    if let Some(wide) = setup.ambiguous_wide {
        screen.ambiguous_width(wide);
    }
    let probe = Probe::ask(&mut terminal, &setup, &screen);
    screen.resize(w, h);
    let exit = event_loop(
        &mut terminal,
        &mut screen,
        &signal,
        &winch_read,
        setup.env.charset,
        probe,
    );
    if matches!(exit, Exit::Quit) {
        screen.finish();
    }
    signal_hook::low_level::unregister(winch);
    // The terminal may be gone: restoring it and reporting are best effort,
    // and must never panic (a panic while exiting would abort). ratatui's
    // `Terminal` drop prints to stderr when it cannot show the cursor, and
    // printing to a dead terminal panics, so it is shown here and forgotten.
    let _ = crossterm::execute!(std::io::stdout(), crossterm::event::DisableBracketedPaste);
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

fn event_loop<S: Screen>(
    terminal: &mut Term,
    screen: &mut S,
    signal: &AtomicUsize,
    winch: &std::os::unix::net::UnixStream,
    charset: term::Charset,
    mut probe: Option<Probe>,
) -> Exit {
    let mut gb = (charset != term::Charset::Utf8).then(term::InputDecoder::default);
    let mut last_poll = Instant::now();
    let mut decoder = input::Decoder::default();
    // When an incomplete sequence (a lone ESC) is taken as it is.
    let mut flush_at: Option<Instant> = None;
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let sig = signal.load(Ordering::Relaxed);
        if sig != 0 {
            return Exit::Signal(sig);
        }
        if screen.wants_quit() {
            return Exit::Quit;
        }
        // The first frame waits for the answers to the start-up questions.
        let holding = probe.as_mut().is_some_and(|p| p.holding(Instant::now()));
        if !holding {
            let (draw, clear) = screen.take_redraw();
            if clear && let Err(e) = clear_screen(terminal) {
                return Exit::Terminal(e);
            }
            if draw && let Err(e) = terminal.draw(|f| screen.draw(f.area(), f.buffer_mut())) {
                return Exit::Terminal(e);
            }
            if draw {
                screen.frame_written();
            }
        }
        let mut timeout = match flush_at {
            Some(t) => t.saturating_duration_since(Instant::now()).min(TICK),
            None => TICK,
        };
        if let Some(t) = probe.as_ref().and_then(|p| p.until) {
            timeout = timeout.min(t.saturating_duration_since(Instant::now()));
        }
        // Wait on the terminal, the writer and window size changes (a
        // signal interrupts the wait too).
        let ready = match wait(timeout, screen.wake_fd(), winch.as_raw_fd()) {
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
        if ready.resized {
            let mut sink = [0u8; 64];
            while matches!((&*winch).read(&mut sink), Ok(n) if n > 0) {}
            if let Ok((w, h)) = crossterm::terminal::size() {
                screen.resize(w, h);
            }
        }
        if ready.input > 0 {
            let want = (ready.input as usize).min(buf.len());
            // SAFETY: reading into our own buffer; `want` bytes are waiting,
            // so the read does not block.
            let n = unsafe { libc::read(libc::STDIN_FILENO, buf.as_mut_ptr().cast(), want) };
            if n < 0 {
                let e = std::io::Error::last_os_error();
                if e.kind() != std::io::ErrorKind::Interrupted {
                    return Exit::Terminal(e);
                }
            } else if n == 0 {
                return Exit::Signal(signal_hook::consts::SIGHUP as usize);
            } else {
                match &mut gb {
                    Some(g) => decoder.feed(&g.decode(&buf[..n as usize])),
                    None => decoder.feed(&buf[..n as usize]),
                }
            }
        }
        let flush = flush_at.is_some_and(|t| Instant::now() >= t);
        while let Some(i) = decoder.next(flush) {
            match i {
                input::Input::Key(k) => screen.handle_key(k),
                input::Input::Paste(text) => screen.handle_paste(text),
                // Answers to the start-up questions (late ones too: the
                // screen is then drawn again as they say).
                answer @ (input::Input::CursorPosition(..) | input::Input::DeviceAttributes) => {
                    if let Some(p) = &mut probe {
                        p.answer(&answer, screen);
                    }
                }
            }
        }
        flush_at = if decoder.pending() {
            flush_at.or_else(|| Some(Instant::now() + input::SEQUENCE_WAIT))
        } else {
            None
        };
        if last_poll.elapsed() >= POLL_EXTERNAL {
            last_poll = Instant::now();
            screen.tick();
        }
    }
}

/// Clears the screen and forgets the last frame, so the next is drawn whole.
/// (`Terminal::clear` would ask the terminal where the cursor is and wait
/// for an answer some terminals never give.)
fn clear_screen(terminal: &mut Term) -> std::io::Result<()> {
    let size = terminal.size()?;
    terminal.resize(Rect::new(0, 0, size.width, size.height))
}

/// What woke the wait.
struct Ready {
    /// Bytes waiting on the terminal.
    input: i32,
    /// The wake descriptor (the writer) has something.
    woken: bool,
    /// The window size changed.
    resized: bool,
}

/// Waits up to `timeout` for input on the terminal (stdin), the wake
/// descriptor or the resize pipe. An error means the terminal is gone: hung
/// up (POLLHUP), or readable with nothing to read (end of file), never
/// guessed from a count of empty wake-ups.
fn wait(timeout: Duration, wake: Option<RawFd>, winch: RawFd) -> std::io::Result<Ready> {
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
        libc::pollfd {
            fd: winch,
            events: libc::POLLIN,
            revents: 0,
        },
    ];
    let none = Ready {
        input: 0,
        woken: false,
        resized: false,
    };
    // SAFETY: three valid pollfds owned by this frame (a negative fd is ignored).
    let rc = unsafe { libc::poll(fds.as_mut_ptr(), 3, timeout.as_millis().min(i32::MAX as u128) as i32) };
    if rc < 0 {
        let e = std::io::Error::last_os_error();
        return if e.kind() == std::io::ErrorKind::Interrupted {
            Ok(none)
        } else {
            Err(e)
        };
    }
    let hung_up = || std::io::Error::new(std::io::ErrorKind::BrokenPipe, "terminal hung up");
    if fds[0].revents & (libc::POLLHUP | libc::POLLERR | libc::POLLNVAL) != 0 {
        return Err(hung_up());
    }
    let mut input = 0;
    if fds[0].revents & libc::POLLIN != 0 {
        input = pending_bytes(libc::STDIN_FILENO).unwrap_or(1);
        if input == 0 {
            // Readable with no bytes waiting: a read would return 0, end of file.
            return Err(hung_up());
        }
    }
    Ok(Ready {
        input,
        woken: fds[1].revents & libc::POLLIN != 0,
        resized: fds[2].revents & libc::POLLIN != 0,
    })
}

/// Bytes waiting to be read on `fd` (FIONREAD), if the terminal says.
fn pending_bytes(fd: RawFd) -> Option<i32> {
    let mut n: libc::c_int = 0;
    // SAFETY: FIONREAD writes one int into `n`.
    let rc = unsafe { libc::ioctl(fd, libc::FIONREAD, &mut n) };
    (rc == 0).then_some(n)
}
