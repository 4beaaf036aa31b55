//! The console as a user sees it: the release binary in a pseudo-terminal,
//! timed from outside. Exec to the inbox's figures on an emulated screen,
//! each pane's first open, keypress to frame (moving, paging, switching
//! panes, changing month, typing a filter), bytes written, and peak
//! resident memory with every pane visited.
//!
//! Run: `cargo bench --bench console` on sample.db, or
//! `scripts/bench-large.sh` for about a million reports (it makes the
//! database and sets DUDAO_BENCH_DB). DUDAO_BENCH_SIZE=160x48 changes the
//! screen (default 80x24); DUDAO_BENCH_KEYS sets samples per key kind.
//!
//! A frame ends with the end of synchronized output (`ESC [ ? 2026 l`); the
//! time of a key is from the write of its bytes to the end of the last
//! frame it caused (output then silent for 60 ms), so work that a key
//! sends to the worker and swaps in later counts too. Timestamps are taken
//! by the thread reading the terminal, as bytes arrive.

use std::io::{Read, Write};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};

const END_SYNC: &[u8] = b"\x1b[?2026l";
const QUIET: Duration = Duration::from_millis(60);

struct Chunk {
    at: Instant,
    bytes: Vec<u8>,
}

struct Console {
    child: Box<dyn portable_pty::Child + Send + Sync>,
    writer: Arc<Mutex<Box<dyn Write + Send>>>,
    chunks: Arc<Mutex<Vec<Chunk>>>,
    parser: vt100::Parser,
    fed: usize,
    started: Instant,
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

impl Console {
    fn start(db: &std::path::Path, rows: u16, cols: u16, extra: &[&str]) -> Console {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("open a pseudo-terminal");
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_dudao"));
        cmd.arg("--no-config");
        for a in extra {
            cmd.arg(a);
        }
        cmd.arg(db);
        cmd.env("TERM", "xterm-256color");
        cmd.env("LANG", "C.UTF-8");
        cmd.env_remove("NO_COLOR");
        let mut reader = pair.master.try_clone_reader().expect("reader");
        let writer: Arc<Mutex<Box<dyn Write + Send>>> =
            Arc::new(Mutex::new(pair.master.take_writer().expect("writer")));
        let chunks = Arc::new(Mutex::new(Vec::new()));
        let started = Instant::now();
        let child = pair.slave.spawn_command(cmd).expect("spawn dudao");
        drop(pair.slave);
        {
            let chunks = Arc::clone(&chunks);
            let writer = Arc::clone(&writer);
            std::thread::spawn(move || {
                let mut buf = vec![0u8; 1 << 16];
                // Keep the pty master alive as long as the reader.
                let _master = pair.master;
                loop {
                    match reader.read(&mut buf) {
                        Ok(0) | Err(_) => break,
                        Ok(n) => {
                            let at = Instant::now();
                            let bytes = buf[..n].to_vec();
                            // Answer the start-up questions as a terminal
                            // that draws ambiguous characters narrow would:
                            // the cursor position, then what it is (the
                            // console waits for that before its first frame).
                            if contains(&bytes, b"\x1b[6n") {
                                let mut w = writer.lock().unwrap();
                                let _ = w.write_all(b"\x1b[1;2R");
                                let _ = w.flush();
                            }
                            if contains(&bytes, b"\x1b[c") {
                                let mut w = writer.lock().unwrap();
                                let _ = w.write_all(b"\x1b[?62;22c");
                                let _ = w.flush();
                            }
                            chunks.lock().unwrap().push(Chunk { at, bytes });
                        }
                    }
                }
            });
        }
        Console {
            child,
            writer,
            chunks,
            parser: vt100::Parser::new(nz(rows), nz(cols), 0),
            fed: 0,
            started,
        }
    }

    fn pid(&self) -> u32 {
        self.child.process_id().expect("pid")
    }

    fn send(&self, b: &[u8]) -> Instant {
        let mut w = self.writer.lock().unwrap();
        let at = Instant::now();
        w.write_all(b).expect("write key");
        w.flush().expect("flush key");
        at
    }

    /// The arrival time of the chunk after which the screen first satisfies
    /// `pred`, feeding new output to the emulated terminal.
    fn until(&mut self, what: &str, pred: impl Fn(&str) -> bool) -> Instant {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            {
                let chunks = self.chunks.lock().unwrap();
                while self.fed < chunks.len() {
                    let c = &chunks[self.fed];
                    self.parser.process(&c.bytes);
                    self.fed += 1;
                    if pred(&self.parser.screen().contents()) {
                        return c.at;
                    }
                }
            }
            assert!(Instant::now() < deadline, "timed out waiting for {what}");
            std::thread::sleep(Duration::from_millis(1));
        }
    }

    /// Waits until the output has been silent for [`QUIET`]; returns the
    /// arrival of the last chunk that ended a frame after `since`, if any.
    fn settle(&mut self, since: Instant) -> Option<Instant> {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            std::thread::sleep(Duration::from_millis(2));
            let chunks = self.chunks.lock().unwrap();
            let last = chunks.last().map(|c| c.at).unwrap_or(self.started);
            let end = chunks
                .iter()
                .rev()
                .take_while(|c| c.at >= since)
                .find(|c| contains(&c.bytes, END_SYNC))
                .map(|c| c.at);
            // Quiet after a frame, or long quiet without one (a key that
            // changes nothing on screen).
            let quiet = last.elapsed() >= QUIET && since.elapsed() >= QUIET;
            if quiet && (end.is_some() || since.elapsed() >= Duration::from_secs(5)) {
                while self.fed < chunks.len() {
                    self.parser.process(&chunks[self.fed].bytes);
                    self.fed += 1;
                }
                return end;
            }
            assert!(Instant::now() < deadline, "the console never went quiet");
        }
    }

    /// Presses `key` and returns keypress to the last frame it caused.
    fn press(&mut self, key: &[u8]) -> Option<Duration> {
        let at = self.send(key);
        self.settle(at).map(|end| end.duration_since(at))
    }

    fn bytes_total(&self) -> usize {
        self.chunks.lock().unwrap().iter().map(|c| c.bytes.len()).sum()
    }

    fn quit(mut self) {
        self.send(b"q");
        let _ = self.child.wait();
    }
}

fn peak_rss_kb(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn percentile(v: &[Duration], p: f64) -> Duration {
    let mut v = v.to_vec();
    v.sort();
    let i = ((v.len() as f64 - 1.0) * p).round() as usize;
    v[i.min(v.len() - 1)]
}

fn line(name: &str, v: &[Duration], target_ms: f64, p99: bool) {
    let p50 = percentile(v, 0.5);
    let p99v = percentile(v, 0.99);
    let max = *v.iter().max().expect("samples");
    let judged = if p99 { p99v } else { p50 };
    let verdict = if ms(judged) <= target_ms { "ok" } else { "OVER" };
    println!(
        "{name:<30} n={:<4} p50 {:>7.1} ms  p99 {:>7.1} ms  max {:>7.1} ms  {verdict} (target {} ≤ {target_ms} ms)",
        v.len(),
        ms(p50),
        ms(p99v),
        ms(max),
        if p99 { "p99" } else { "median" },
    );
}

fn inbox_ready(s: &str) -> bool {
    s.contains("未阅") && s.contains(" 月报 ▶") && s.lines().last().is_some_and(|l| l.contains("帮助"))
}

fn main() {
    let db = std::env::var_os("DUDAO_BENCH_DB")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("sample.db"));
    let (rows, cols) = std::env::var("DUDAO_BENCH_SIZE")
        .ok()
        .and_then(|s| {
            let (c, r) = s.split_once('x')?;
            Some((r.parse().ok()?, c.parse().ok()?))
        })
        .unwrap_or((24u16, 80u16));
    let samples: usize = std::env::var("DUDAO_BENCH_KEYS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(100);
    let reports: i64 = rusqlite::Connection::open_with_flags(&db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
        .and_then(|c| c.query_row("SELECT count(*) FROM reports", [], |r| r.get(0)))
        .expect("count reports");
    println!(
        "database: {} ({reports} reports), screen {cols}×{rows}, {} cores",
        db.display(),
        std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1)
    );

    // Process start alone: `dudao --version`.
    let mut start_only = Vec::new();
    for _ in 0..5 {
        let t0 = Instant::now();
        let ok = std::process::Command::new(env!("CARGO_BIN_EXE_dudao"))
            .arg("--version")
            .output()
            .expect("run dudao --version")
            .status
            .success();
        assert!(ok);
        start_only.push(t0.elapsed());
    }
    line("process start (--version)", &start_only, 10.0, false);

    // Exec to the inbox's figures, fifteen runs (on two cores a run in
    // five lands a few milliseconds late: the median of five moved by 20%).
    let mut first = Vec::new();
    let mut first_bytes = 0;
    for _ in 0..15 {
        let mut c = Console::start(&db, rows, cols, &[]);
        let at = c.until("the inbox", inbox_ready);
        first.push(at.duration_since(c.started));
        c.settle(Instant::now());
        first_bytes = c.bytes_total();
        c.quit();
    }
    line("exec to first complete frame", &first, 50.0, false);
    println!("{:<30} {first_bytes} bytes", "first screen written");

    let mut c = Console::start(&db, rows, cols, &[]);
    c.until("the inbox", inbox_ready);
    c.settle(Instant::now());
    // Each pane's first open, until its content is on screen (the matrix
    // is read in the background: until it is drawn, not "读取中").
    let panes: [(&str, &[u8], &str); 4] = [
        ("checklist", b"2", "按高新区"),
        ("matrix", b"3", "●正常 ▲滞后"),
        ("alerts", b"4", "到期"),
        ("inbox", b"1", " 月报 ▶"),
    ];
    for (name, key, mark) in panes {
        let at = c.send(key);
        let shown = c.until(name, |s| s.contains(mark) && !s.contains("读取中"));
        c.settle(at);
        line(&format!("first open: {name}"), &[shown.duration_since(at)], 50.0, false);
    }
    let mut kinds: Vec<(&str, Vec<Duration>, usize)> = Vec::new();
    let mut measure = |c: &mut Console, name: &'static str, keys: &[&[u8]]| {
        let mut v = Vec::new();
        let before = c.bytes_total();
        for i in 0..samples {
            if let Some(d) = c.press(keys[i % keys.len()]) {
                v.push(d);
            }
        }
        let bytes = (c.bytes_total() - before) / samples.max(1);
        kinds.push((name, v, bytes));
    };
    for (pane, key) in [("inbox", b"1"), ("checklist", b"2"), ("matrix", b"3"), ("alerts", b"4")] {
        c.press(key);
        let name: &'static str = match pane {
            "inbox" => "move (j/k), inbox",
            "checklist" => "move (j/k), checklist",
            "matrix" => "move (j/k), matrix",
            _ => "move (j/k), alerts",
        };
        measure(&mut c, name, &[b"j", b"j", b"j", b"k", b"k", b"k"]);
    }
    c.press(b"1");
    measure(&mut c, "page (PgDn/PgUp), inbox", &[b"\x1b[6~", b"\x1b[5~"]);
    measure(&mut c, "month ([ and ]), inbox", &[b"[", b"]"]);
    measure(&mut c, "switch pane (1–4)", &[b"2", b"3", b"4", b"1"]);
    c.press(b"1");
    let mut open_filter = Vec::new();
    open_filter.extend(c.press(b"/"));
    measure(
        &mut c,
        "filter keystroke, inbox",
        &["拉".as_bytes(), "萨".as_bytes(), b"\x7f", b"\x7f"],
    );
    c.press(b"\x1b");
    c.press(b"4");
    open_filter.extend(c.press(b"/"));
    measure(
        &mut c,
        "filter keystroke, alerts",
        &["科".as_bytes(), "技".as_bytes(), b"\x7f", b"\x7f"],
    );
    c.press(b"\x1b");
    // Opening the filter (it prepares nothing: the first keystroke looks at every row).
    kinds.push(("open the filter (/)", open_filter, 0));
    for (name, v, bytes) in &kinds {
        if v.is_empty() {
            println!("{name:<30} no frame");
            continue;
        }
        line(name, v, 8.0, true);
        if *bytes > 0 {
            println!("{:<30} {bytes} bytes per key", "");
        }
    }
    let all: Vec<Duration> = kinds.iter().flat_map(|(_, v, _)| v.iter().copied()).collect();
    line("every key above", &all, 8.0, true);
    match peak_rss_kb(c.pid()) {
        Some(kb) => {
            let mb = kb as f64 / 1024.0;
            println!(
                "{:<30} {mb:.1} MB  {} (target ≤ 30 MB)",
                "peak resident memory",
                if mb <= 30.0 { "ok" } else { "OVER" }
            );
        }
        None => println!("peak resident memory: not available"),
    }
    c.quit();
}

fn nz(n: u16) -> std::num::NonZeroU16 {
    std::num::NonZeroU16::new(n).expect("screen size is not zero")
}
