//! The console: terminal lifecycle and the event loop. Input goes through the
//! keymap to `App::update`; the screen is drawn only when something changed,
//! so an idle console writes nothing.

pub mod action;
pub mod app;
pub mod i18n;
pub mod keymap;
pub mod panes;
pub mod theme;
pub mod view;
pub mod widgets;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use crossterm::event::{self, Event};
use ratatui::layout::Rect;

use app::{App, Deps};

/// How often another user's commit is looked for.
pub const POLL_EXTERNAL: Duration = Duration::from_millis(500);
/// Longest wait for input; bounds how late a signal is noticed.
pub const TICK: Duration = Duration::from_millis(200);

/// Why the loop ended.
enum Exit {
    Quit,
    Signal(usize),
    Terminal(std::io::Error),
}

/// Runs the console until the user quits or a signal arrives; returns the
/// process exit code (0, or 128 + signal, or 1 when the terminal failed).
pub fn run(deps: Deps) -> Result<i32, crate::db::DbError> {
    let signal = Arc::new(AtomicUsize::new(0));
    for sig in [
        signal_hook::consts::SIGHUP,
        signal_hook::consts::SIGTERM,
        signal_hook::consts::SIGQUIT,
    ] {
        signal_hook::flag::register_usize(sig, Arc::clone(&signal), sig as usize)?;
    }
    let (w, h) = crossterm::terminal::size().unwrap_or((80, 24));
    let mut app = App::new(deps, Rect::new(0, 0, w, h))?;
    let mut terminal = ratatui::try_init()?;
    // Start crossterm's event source now, so a resize that comes before the
    // first key is not lost, and take the size it reports from here on.
    let _ = event::poll(Duration::ZERO);
    if let Ok((w2, h2)) = crossterm::terminal::size()
        && (w2, h2) != (w, h)
    {
        app.resize(w2, h2);
    }
    let exit = event_loop(&mut terminal, &mut app, &signal);
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

fn event_loop(terminal: &mut ratatui::DefaultTerminal, app: &mut App, signal: &AtomicUsize) -> Exit {
    let mut last_poll = Instant::now();
    let mut idle_reads = 0u32;
    loop {
        let sig = signal.load(Ordering::Relaxed);
        if sig != 0 {
            return Exit::Signal(sig);
        }
        if app.quit {
            return Exit::Quit;
        }
        if app.clear {
            if let Err(e) = terminal.clear() {
                return Exit::Terminal(e);
            }
            app.clear = false;
            app.dirty = true;
        }
        if app.dirty {
            if let Err(e) = terminal.draw(|f| f.render_widget(&*app, f.area())) {
                return Exit::Terminal(e);
            }
            app.dirty = false;
        }
        // Wait on the terminal ourselves (a signal or SIGWINCH interrupts the
        // wait), then drain what crossterm has parsed, never blocking inside
        // crossterm: its poll spins forever on a hung-up tty (crossterm#793).
        let readable = match wait_for_input(TICK) {
            Ok(r) => r,
            // A hung-up terminal ends the program as SIGHUP would.
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {
                return Exit::Signal(signal_hook::consts::SIGHUP as usize);
            }
            Err(e) => return Exit::Terminal(e),
        };
        let mut handled = false;
        loop {
            match event::poll(Duration::ZERO) {
                Ok(true) => match event::read() {
                    Ok(Event::Key(k)) => app.handle_key(k),
                    Ok(Event::Resize(w, h)) => app.resize(w, h),
                    Ok(_) => {}
                    Err(e) => return Exit::Terminal(e),
                },
                Ok(false) => break,
                Err(e) => return Exit::Terminal(e),
            }
            handled = true;
        }
        // Readable yet nothing to read, over and over: the terminal is at end of file.
        idle_reads = if readable && !handled { idle_reads + 1 } else { 0 };
        if idle_reads > 50 {
            return Exit::Terminal(std::io::Error::new(
                std::io::ErrorKind::UnexpectedEof,
                "terminal closed",
            ));
        }
        if last_poll.elapsed() >= POLL_EXTERNAL {
            last_poll = Instant::now();
            if let Err(e) = app.poll_external() {
                app.message = Some(e.to_string());
                app.dirty = true;
            }
        }
    }
}

/// Waits up to `timeout` for input on the terminal (stdin). An error means
/// the terminal is gone (hung up, closed): the caller leaves at once.
fn wait_for_input(timeout: Duration) -> std::io::Result<bool> {
    let mut fds = libc::pollfd {
        fd: libc::STDIN_FILENO,
        events: libc::POLLIN,
        revents: 0,
    };
    // SAFETY: one valid pollfd, owned by this frame.
    let rc = unsafe { libc::poll(&mut fds, 1, timeout.as_millis().min(i32::MAX as u128) as i32) };
    if rc < 0 {
        let e = std::io::Error::last_os_error();
        return if e.kind() == std::io::ErrorKind::Interrupted {
            Ok(false)
        } else {
            Err(e)
        };
    }
    if fds.revents & (libc::POLLHUP | libc::POLLERR | libc::POLLNVAL) != 0 {
        return Err(std::io::Error::new(std::io::ErrorKind::BrokenPipe, "terminal hung up"));
    }
    Ok(rc > 0)
}
