//! A real pseudo-terminal around the `dudao` binary, for end-to-end tests.
//!
//! After television's `tests/common`: the child runs in a portable-pty; a
//! reader thread appends every byte it writes to a shared buffer; the screen
//! is what a terminal of the current size makes of those bytes: a `vt100`
//! parser, or the tests' own emulator (`emu.rs`: ambiguous characters wide,
//! strict GBK, OSC 66) when a test asks for one. Like a real terminal, it
//! answers the program's questions as they arrive: where the cursor is
//! (computed by that terminal's own idea of widths) and what it is
//! (primary device attributes).
#![allow(dead_code)]

pub use super::emu;

use std::io::{Read, Write};
use std::num::NonZeroU16;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};

/// How often the screen is looked at while waiting.
const POLL: Duration = Duration::from_millis(50);
/// Gap after a lone ESC so that it is not read as Alt + the next key.
pub const ESC_GAP: Duration = Duration::from_millis(300);

/// `base` scaled by `DUDAO_TEST_TIMEOUT_SCALE` (a positive number), if set.
pub fn scaled(base: Duration) -> Duration {
    let scale = std::env::var("DUDAO_TEST_TIMEOUT_SCALE")
        .ok()
        .and_then(|s| s.trim().parse::<f64>().ok())
        .filter(|f| f.is_finite() && *f > 0.0)
        .unwrap_or(1.0);
    base.mul_f64(scale)
}

/// The default deadline of every wait.
pub fn default_timeout() -> Duration {
    scaled(Duration::from_secs(10))
}

/// Key sequences as an xterm sends them.
pub mod keys {
    pub const ENTER: &[u8] = b"\r";
    pub const ESC: &[u8] = b"\x1b";
    pub const TAB: &[u8] = b"\t";
    pub const SHIFT_TAB: &[u8] = b"\x1b[Z";
    pub const CTRL_C: &[u8] = b"\x03";
    pub const BACKSPACE: &[u8] = b"\x7f";
}

/// Leaves the alternate screen.
pub const LEAVE_ALT_SCREEN: &[u8] = b"\x1b[?1049l";

/// How a finished child ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exit {
    pub code: u32,
    /// Set when a signal killed it (the app itself never dies this way).
    pub signal: Option<String>,
}

impl Exit {
    pub fn success(&self) -> bool {
        self.code == 0 && self.signal.is_none()
    }
}

/// The output read from the master so far.
#[derive(Default)]
struct Output {
    bytes: Vec<u8>,
}

/// The terminal model, fed as bytes arrive, so a resize applies to the
/// bytes that follow it, as in a real terminal.
enum Term {
    Vt100 {
        parser: vt100::Parser,
        /// The end of the bytes read so far, for questions split across reads.
        carry: Vec<u8>,
    },
    Emu(emu::Emu),
}

/// Questions a terminal answers: cursor position, primary device attributes.
const QUERIES: [&[u8]; 3] = [b"\x1b[6n", b"\x1b[c", b"\x1b[0c"];

impl Term {
    /// Feeds bytes the program wrote; returns what the terminal answers.
    fn feed(&mut self, b: &[u8]) -> Vec<u8> {
        match self {
            Term::Emu(e) => {
                e.feed(b);
                e.take_answers()
            }
            Term::Vt100 { parser, carry } => {
                let mut answers = Vec::new();
                let mut from = 0;
                for i in 0..b.len() {
                    if b[i] != b'n' && b[i] != b'c' {
                        continue;
                    }
                    let mut tail = if i < 4 { carry.clone() } else { Vec::new() };
                    tail.extend_from_slice(&b[i.saturating_sub(4)..=i]);
                    let Some(q) = QUERIES.iter().find(|q| tail.ends_with(q)) else {
                        continue;
                    };
                    parser.process(&b[from..=i]);
                    from = i + 1;
                    if q[2] == b'6' {
                        let (row, col) = parser.screen().cursor_position();
                        answers.extend_from_slice(format!("\x1b[{};{}R", row + 1, col + 1).as_bytes());
                    } else {
                        answers.extend_from_slice(b"\x1b[?62;22c");
                    }
                }
                parser.process(&b[from..]);
                let mut all = std::mem::take(carry);
                all.extend_from_slice(b);
                *carry = all[all.len().saturating_sub(4)..].to_vec();
                answers
            }
        }
    }

    fn contents(&self) -> String {
        match self {
            Term::Vt100 { parser, .. } => parser.screen().contents(),
            Term::Emu(e) => e.contents(),
        }
    }

    fn resize(&mut self, rows: u16, cols: u16) {
        match self {
            Term::Vt100 { parser, .. } => parser.screen_mut().set_size(nz(rows), nz(cols)),
            Term::Emu(e) => e.resize(rows, cols),
        }
    }
}

type Writer = Arc<Mutex<Option<Box<dyn Write + Send>>>>;

pub struct Pty {
    child: Box<dyn Child + Send + Sync>,
    /// `None` once the terminal was hung up.
    master: Option<Box<dyn MasterPty + Send>>,
    /// Shared with the reader, which answers the program's questions.
    writer: Writer,
    output: Arc<Mutex<Output>>,
    eof: Arc<AtomicBool>,
    /// Tells the reader to close its end after its next read.
    stop: Arc<AtomicBool>,
    reader: Option<JoinHandle<()>>,
    term: Arc<Mutex<Term>>,
    size: (u16, u16),
    exit: Option<Exit>,
}

fn nz(n: u16) -> NonZeroU16 {
    NonZeroU16::new(n).expect("terminal size is not zero")
}

impl Pty {
    /// Spawns `dudao --no-config <args…>` in a `rows`×`cols` pseudo-terminal,
    /// with TERM=xterm-256color, without NO_COLOR, in `cwd`.
    pub fn spawn(rows: u16, cols: u16, cwd: &Path, args: &[&std::ffi::OsStr]) -> Pty {
        Pty::spawn_env(rows, cols, cwd, args, &[])
    }

    /// As [`Pty::spawn`], with extra environment variables set last.
    pub fn spawn_env(rows: u16, cols: u16, cwd: &Path, args: &[&std::ffi::OsStr], env: &[(&str, &str)]) -> Pty {
        Pty::spawn_via(rows, cols, cwd, &[], args, env)
    }

    /// As [`Pty::spawn_env`], started through `wrapper` (e.g. `setpriv
    /// --reuid=…` to run as another user): `wrapper… dudao args…`.
    pub fn spawn_via(
        rows: u16,
        cols: u16,
        cwd: &Path,
        wrapper: &[&str],
        args: &[&std::ffi::OsStr],
        env: &[(&str, &str)],
    ) -> Pty {
        Pty::spawn_full(rows, cols, cwd, wrapper, args, env, None)
    }

    /// As [`Pty::spawn_env`], on the tests' emulator behaving as `model`
    /// says (ambiguous characters wide, GBK, OSC 66) instead of vt100.
    pub fn spawn_emu(
        rows: u16,
        cols: u16,
        cwd: &Path,
        args: &[&std::ffi::OsStr],
        env: &[(&str, &str)],
        model: emu::Model,
    ) -> Pty {
        Pty::spawn_full(rows, cols, cwd, &[], args, env, Some(model))
    }

    fn spawn_full(
        rows: u16,
        cols: u16,
        cwd: &Path,
        wrapper: &[&str],
        args: &[&std::ffi::OsStr],
        env: &[(&str, &str)],
        model: Option<emu::Model>,
    ) -> Pty {
        let system = native_pty_system();
        let pair = system
            .openpty(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("open a pseudo-terminal");
        let mut cmd = match wrapper.split_first() {
            Some((prog, rest)) => {
                let mut c = CommandBuilder::new(prog);
                c.args(rest);
                c.arg(env!("CARGO_BIN_EXE_dudao"));
                c
            }
            None => CommandBuilder::new(env!("CARGO_BIN_EXE_dudao")),
        };
        // No user config, unless the test names one.
        if !args.iter().any(|a| *a == "--config") {
            cmd.arg("--no-config");
        }
        for a in args {
            cmd.arg(a);
        }
        cmd.cwd(cwd);
        cmd.env("TERM", "xterm-256color");
        cmd.env_remove("NO_COLOR");
        cmd.env_remove("COLORTERM");
        for (k, v) in env {
            cmd.env(k, v);
        }
        let child = pair.slave.spawn_command(cmd).expect("spawn dudao");
        // Only the child keeps the slave open, so the reader sees EOF when it exits.
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().expect("pty reader");
        let writer: Writer = Arc::new(Mutex::new(Some(pair.master.take_writer().expect("pty writer"))));
        let term = Arc::new(Mutex::new(match model {
            Some(m) => Term::Emu(emu::Emu::new(rows, cols, m)),
            None => Term::Vt100 {
                parser: vt100::Parser::new(nz(rows), nz(cols), 0),
                carry: Vec::new(),
            },
        }));
        let output = Arc::new(Mutex::new(Output::default()));
        let eof = Arc::new(AtomicBool::new(false));
        let stop = Arc::new(AtomicBool::new(false));
        let reader = {
            let output = Arc::clone(&output);
            let eof = Arc::clone(&eof);
            let stop = Arc::clone(&stop);
            let term = Arc::clone(&term);
            let writer = Arc::clone(&writer);
            std::thread::spawn(move || {
                let mut buf = [0u8; 8192];
                loop {
                    match reader.read(&mut buf) {
                        // EOF, or EIO once the slave side is closed.
                        Ok(0) | Err(_) => break,
                        Ok(n) => {
                            // The terminal takes the bytes before the test sees them.
                            let mut t = term.lock().unwrap_or_else(|e| e.into_inner());
                            let answers = t.feed(&buf[..n]);
                            output
                                .lock()
                                .unwrap_or_else(|e| e.into_inner())
                                .bytes
                                .extend_from_slice(&buf[..n]);
                            drop(t);
                            if !answers.is_empty()
                                && let Some(w) = writer.lock().unwrap_or_else(|e| e.into_inner()).as_mut()
                            {
                                let _ = w.write_all(&answers);
                                let _ = w.flush();
                            }
                        }
                    }
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                }
                drop(reader);
                eof.store(true, Ordering::SeqCst);
            })
        };
        Pty {
            child,
            master: Some(pair.master),
            writer,
            output,
            eof,
            stop,
            reader: Some(reader),
            term,
            size: (rows, cols),
            exit: None,
        }
    }

    /// Spawns the console on `db` at 80×24 with extra arguments.
    pub fn console(db: &Path, extra: &[&str]) -> Pty {
        Pty::console_sized(24, 80, db, extra)
    }

    /// The console at 80×24 with extra environment variables.
    pub fn console_env(db: &Path, extra: &[&str], env: &[(&str, &str)]) -> Pty {
        let mut args: Vec<&std::ffi::OsStr> = extra.iter().map(|s| s.as_ref()).collect();
        args.push(db.as_os_str());
        Pty::spawn_env(24, 80, db.parent().expect("db has a folder"), &args, env)
    }

    pub fn console_sized(rows: u16, cols: u16, db: &Path, extra: &[&str]) -> Pty {
        let mut args: Vec<&std::ffi::OsStr> = extra.iter().map(|s| s.as_ref()).collect();
        args.push(db.as_os_str());
        Pty::spawn(rows, cols, db.parent().expect("db has a folder"), &args)
    }

    pub fn pid(&self) -> u32 {
        self.child.process_id().expect("child has a pid")
    }

    /// Every byte the program wrote so far.
    pub fn bytes(&self) -> Vec<u8> {
        self.output.lock().unwrap().bytes.clone()
    }

    /// How many bytes the program wrote so far.
    pub fn byte_count(&self) -> usize {
        self.output.lock().unwrap().bytes.len()
    }

    /// Bytes written from offset `from` on.
    pub fn bytes_since(&self, from: usize) -> Vec<u8> {
        let out = self.output.lock().unwrap();
        out.bytes.get(from..).unwrap_or_default().to_vec()
    }

    /// The screen text now: rows joined by newlines, trailing blanks trimmed.
    pub fn screen(&self) -> String {
        self.term.lock().unwrap().contents()
    }

    /// Looks at the emulator (for a terminal spawned with [`Pty::spawn_emu`]).
    pub fn emu<R>(&self, f: impl FnOnce(&emu::Emu) -> R) -> R {
        match &*self.term.lock().unwrap() {
            Term::Emu(e) => f(e),
            Term::Vt100 { .. } => panic!("this terminal is vt100, not the emulator"),
        }
    }

    /// The screen's rows.
    pub fn rows(&self) -> Vec<String> {
        self.screen().lines().map(str::to_owned).collect()
    }

    /// Writes bytes to the program's input.
    pub fn send(&mut self, bytes: &[u8]) {
        let mut w = self.writer.lock().unwrap();
        let w = w.as_mut().expect("the terminal was hung up");
        w.write_all(bytes).expect("write to the pty");
        w.flush().expect("flush the pty");
    }

    /// Writes text (UTF-8) to the program's input.
    pub fn type_text(&mut self, text: &str) {
        self.send(text.as_bytes());
    }

    /// Sends a lone ESC and waits long enough that it is not read as Alt.
    pub fn esc(&mut self) {
        self.send(keys::ESC);
        std::thread::sleep(ESC_GAP);
    }

    /// Resizes the terminal (the program gets SIGWINCH).
    pub fn resize(&mut self, rows: u16, cols: u16) {
        // Bytes already written were meant for the old size.
        self.term.lock().unwrap().resize(rows, cols);
        self.size = (rows, cols);
        self.master
            .as_ref()
            .expect("the terminal was hung up")
            .resize(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("resize the pty");
    }

    /// Polls the screen until `pred` holds on a settled screen (nothing new
    /// written for one poll interval); panics with the last screen after
    /// `timeout`. Returns the screen that matched.
    pub fn wait_until(&mut self, what: &str, timeout: Duration, pred: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + timeout;
        loop {
            let seen = self.byte_count();
            let s = self.screen();
            // A frame can arrive in several reads: accept a match only once
            // the output has been quiet for a poll interval.
            let matched = pred(&s);
            if matched {
                std::thread::sleep(POLL);
                if self.byte_count() == seen {
                    return s;
                }
            }
            if Instant::now() >= deadline {
                let status = match self.child.try_wait() {
                    Ok(Some(st)) => format!("exited: {st}"),
                    Ok(None) => "still running".to_string(),
                    Err(e) => format!("unknown: {e}"),
                };
                let settle = if matched { ", matched but never settled" } else { "" };
                panic!(
                    "timed out after {timeout:?} waiting for {what}{settle}\n(child {status})\n--- screen ---\n{s}\n--------------"
                );
            }
            if !matched {
                std::thread::sleep(POLL);
            }
        }
    }

    /// Waits until the screen contains `text`.
    pub fn wait_for(&mut self, text: &str) -> String {
        let t = text.to_owned();
        self.wait_until(&format!("{text:?}"), default_timeout(), move |s| s.contains(&t))
    }

    /// Waits until the screen contains every one of `texts`.
    pub fn wait_for_all(&mut self, texts: &[&str]) -> String {
        let t: Vec<String> = texts.iter().map(|s| s.to_string()).collect();
        self.wait_until(&format!("all of {texts:?}"), default_timeout(), move |s| {
            t.iter().all(|x| s.contains(x.as_str()))
        })
    }

    /// Waits until the screen no longer contains `text`.
    pub fn wait_gone(&mut self, text: &str) -> String {
        let t = text.to_owned();
        self.wait_until(&format!("{text:?} to disappear"), default_timeout(), move |s| {
            !s.contains(&t)
        })
    }

    /// Waits until the screen's row `row` (0-based) contains `text`.
    pub fn wait_for_row(&mut self, row: usize, text: &str) -> String {
        let t = text.to_owned();
        self.wait_until(&format!("{text:?} on row {row}"), default_timeout(), move |s| {
            s.lines().nth(row).is_some_and(|l| l.contains(&t))
        })
    }

    /// Closes the terminal, as when its window is closed: every handle on
    /// the master side is dropped, so the kernel hangs up the child's tty.
    /// `wake` is sent first so that the program writes something and the
    /// reader thread, blocked in `read`, gets to close its handle too.
    pub fn hang_up(&mut self, wake: &[u8]) {
        self.stop.store(true, Ordering::SeqCst);
        self.send(wake);
        let deadline = Instant::now() + default_timeout();
        while !self.eof.load(Ordering::SeqCst) {
            assert!(
                Instant::now() < deadline,
                "the program wrote nothing after {wake:?}; the reader cannot let go"
            );
            std::thread::sleep(Duration::from_millis(10));
        }
        *self.writer.lock().unwrap() = None;
        self.master = None;
    }

    /// The exit status, if the program has ended.
    pub fn try_exit(&mut self) -> Option<Exit> {
        if self.exit.is_none() {
            if let Some(st) = self.child.try_wait().expect("try_wait") {
                self.exit = Some(Exit {
                    code: st.exit_code(),
                    signal: st.signal().map(str::to_owned),
                });
            }
        }
        self.exit.clone()
    }

    /// Waits for the program to end within `timeout`, then for the reader to
    /// drain everything it wrote. Panics with the screen on timeout.
    pub fn wait_exit_within(&mut self, timeout: Duration) -> Exit {
        let deadline = Instant::now() + timeout;
        let exit = loop {
            if let Some(e) = self.try_exit() {
                break e;
            }
            if Instant::now() >= deadline {
                panic!(
                    "dudao did not exit within {timeout:?}\n--- screen ---\n{}\n--------------",
                    self.screen()
                );
            }
            std::thread::sleep(Duration::from_millis(10));
        };
        // The slave closes with the child; the reader then ends on EOF/EIO.
        let drain = Instant::now() + scaled(Duration::from_secs(2));
        while !self.eof.load(Ordering::SeqCst) && Instant::now() < drain {
            std::thread::sleep(Duration::from_millis(10));
        }
        exit
    }

    pub fn wait_exit(&mut self) -> Exit {
        self.wait_exit_within(default_timeout())
    }
}

impl Drop for Pty {
    fn drop(&mut self) {
        if self.try_exit().is_none() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
        if self.eof.load(Ordering::SeqCst) {
            if let Some(h) = self.reader.take() {
                let _ = h.join();
            }
        }
    }
}

/// Whether `haystack` contains `needle` as a byte string.
pub fn contains_bytes(haystack: &[u8], needle: &[u8]) -> bool {
    needle.is_empty() || haystack.windows(needle.len()).any(|w| w == needle)
}

/// The screen without any whitespace, for texts that may wrap.
pub fn squeeze(screen: &str) -> String {
    screen.chars().filter(|c| !c.is_whitespace()).collect()
}
