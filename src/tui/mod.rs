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
    let exit = event_loop(&mut terminal, &mut app, &signal);
    ratatui::restore();
    Ok(match exit {
        Exit::Quit => 0,
        Exit::Signal(n) => 128 + n as i32,
        Exit::Terminal(e) => {
            eprintln!("dudao: terminal error: {e}");
            1
        }
    })
}

fn event_loop(terminal: &mut ratatui::DefaultTerminal, app: &mut App, signal: &AtomicUsize) -> Exit {
    let mut last_poll = Instant::now();
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
        match event::poll(TICK) {
            Ok(true) => match event::read() {
                Ok(Event::Key(k)) => app.handle_key(k),
                Ok(Event::Resize(w, h)) => app.resize(w, h),
                Ok(_) => {}
                Err(e) => return Exit::Terminal(e),
            },
            Ok(false) => {}
            Err(e) => return Exit::Terminal(e),
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
