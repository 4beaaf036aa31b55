//! The terminals staff really use, through the real binary in a
//! pseudo-terminal: frames in synchronized output and small moves; GBK
//! clients (GB18030 out and in); 16 colours and none; a terminal that draws
//! ambiguous characters two cells wide.

mod common;
#[path = "common/pty.rs"]
mod pty;

use std::path::{Path, PathBuf};
use std::time::Duration;

use common::sample_copy;
use pty::{Pty, contains_bytes};

fn sample() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = sample_copy(dir.path());
    (dir, db)
}

fn start(db: &Path, env: &[(&str, &str)]) -> Pty {
    let mut t = Pty::console_env(db, &["--today", "2026-11-30"], env);
    t.wait_until("the inbox", pty::default_timeout(), |s| {
        s.contains("◀ 2026-10 月报 ▶") && s.lines().last().is_some_and(|l| l.contains("? 帮助"))
    });
    t
}

/// Waits until the output stops growing for a moment.
fn settle(t: &Pty) {
    let mut last = t.byte_count();
    loop {
        std::thread::sleep(pty::scaled(Duration::from_millis(300)));
        let now = t.byte_count();
        if now == last {
            return;
        }
        last = now;
    }
}

fn quit(t: &mut Pty) {
    t.send(b"q");
    assert!(t.wait_exit().success());
}

#[test]
fn frames_are_synchronized_and_moving_a_row_writes_little() {
    let (_d, db) = sample();
    let mut t = start(&db, &[]);
    // The checklist: a list without a preview beside it.
    t.send(b"2");
    t.wait_for("按高新区");
    settle(&t);
    let all = t.bytes();
    assert!(
        all.windows(8).any(|w| w == b"\x1b[?2026h"),
        "frames begin a synchronized update"
    );
    assert!(all.windows(8).any(|w| w == b"\x1b[?2026l"), "and end it");
    // One row down (no popup open): a few hundred bytes, not a screen.
    let mark = t.byte_count();
    t.send(b"j");
    t.wait_until("the move", pty::default_timeout(), |s| s.contains("2/70"));
    settle(&t);
    let moved = t.bytes_since(mark);
    assert!(
        moved.len() < 500,
        "moving one row wrote {} bytes: {:?}",
        moved.len(),
        String::from_utf8_lossy(&moved)
    );
    // Each frame is one synchronized block.
    let begins = moved.windows(8).filter(|w| *w == b"\x1b[?2026h").count();
    let ends = moved.windows(8).filter(|w| *w == b"\x1b[?2026l").count();
    assert_eq!(begins, ends);
    assert!(begins >= 1);
    quit(&mut t);
}

#[test]
fn a_gbk_client_gets_gb18030_and_can_type_chinese() {
    let (_d, db) = sample();
    let mut t = Pty::console_env(
        &db,
        &["--today", "2026-11-30"],
        &[("LANG", "zh_CN.GB18030"), ("LC_ALL", ""), ("LC_CTYPE", "")],
    );
    let (want, _, _) = encoding_rs::GB18030.encode("月报收件箱");
    let deadline = std::time::Instant::now() + pty::default_timeout();
    while !contains_bytes(&t.bytes(), &want) {
        assert!(std::time::Instant::now() < deadline, "no GB18030 text written");
        std::thread::sleep(Duration::from_millis(50));
    }
    settle(&t);
    assert!(
        !contains_bytes(&t.bytes(), "月报收件箱".as_bytes()),
        "no UTF-8 reaches a GB18030 terminal"
    );
    // Typing 生态 in GB18030 filters the inbox to 生态环境厅.
    t.send(b"/");
    let (typed, _, _) = encoding_rs::GB18030.encode("生态");
    t.send(&typed);
    t.send(b"\r");
    let mark = t.byte_count();
    let (unit, _, _) = encoding_rs::GB18030.encode("生态环境厅");
    let deadline = std::time::Instant::now() + pty::default_timeout();
    loop {
        let (footer, _, _) = encoding_rs::GB18030.encode("1/1");
        let since = t.bytes_since(mark);
        if contains_bytes(&since, &footer) || contains_bytes(&t.bytes(), &unit) && contains_bytes(&since, b"1/1") {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the filter did not narrow to one row"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    quit(&mut t);
}

/// SGR sequences in `b`: their parameter lists.
fn sgr_params(b: &[u8]) -> Vec<String> {
    let mut out = Vec::new();
    let mut i = 0;
    while i + 1 < b.len() {
        if b[i] == 0x1b && b[i + 1] == b'[' {
            let mut j = i + 2;
            while j < b.len() && (b[j].is_ascii_digit() || b[j] == b';') {
                j += 1;
            }
            if j < b.len() && b[j] == b'm' {
                out.push(String::from_utf8_lossy(&b[i + 2..j]).into_owned());
            }
            i = j;
        } else {
            i += 1;
        }
    }
    out
}

#[test]
fn colours_follow_what_the_terminal_announces() {
    let (_d, db) = sample();
    // 16 colours: no 256-colour sequences, basic ones instead.
    let mut t = start(&db, &[("TERM", "xterm"), ("COLORTERM", "")]);
    settle(&t);
    let sgr = sgr_params(&t.bytes());
    assert!(
        sgr.iter().all(|p| !p.contains("38;5;") && !p.contains("48;5;")),
        "{sgr:?}"
    );
    assert!(
        sgr.iter()
            .any(|p| p.split(';').any(|x| matches!(x.parse::<u32>(), Ok(30..=37 | 90..=97)))),
        "basic colours: {sgr:?}"
    );
    quit(&mut t);
    // No colours on a dumb terminal: only attributes (bold, reverse, reset).
    let mut t = start(&db, &[("TERM", "dumb"), ("COLORTERM", "")]);
    settle(&t);
    let sgr = sgr_params(&t.bytes());
    for p in &sgr {
        for x in p.split(';') {
            if let Ok(n) = x.parse::<u32>() {
                // 39 and 49 put the default colours back; they are no colour.
                let colour = (30..=38).contains(&n) || (40..=48).contains(&n) || (90..=107).contains(&n);
                assert!(!colour, "colour {n} in {p:?}");
            }
        }
    }
    quit(&mut t);
}

#[test]
fn a_terminal_that_draws_ambiguous_characters_wide_gets_ascii_lines() {
    let (_d, db) = sample();
    let mut t = start(&db, &[]);
    settle(&t);
    // The console asked where the cursor went after a middle dot.
    assert!(
        contains_bytes(&t.bytes(), "\u{b7}\x1b[6n".as_bytes()),
        "the width question"
    );
    let s = t.screen();
    assert!(s.contains('─'), "line drawing by default: {s}");
    // The terminal answers: column 3, the dot took two cells.
    t.send(b"\x1b[1;3R");
    let s = t.wait_until("ASCII lines", pty::default_timeout(), |s| {
        !s.contains('─') && s.contains("---")
    });
    assert!(s.contains("2026-10"), "{s}");
    quit(&mut t);
}
