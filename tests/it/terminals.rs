//! The terminals staff really use, through the real binary in a
//! pseudo-terminal: frames in synchronized output and small moves; GB18030
//! clients (out and in) and GBK ones (every byte valid GBK, on the tests'
//! emulator reading strict GBK); 16 colours and none; the Linux console; a
//! terminal that draws ambiguous characters two cells wide (asked before
//! the first frame, or set with --ambiguous-width); one that draws text at
//! 2× (kitty's OSC 66) and one that does not.

use crate::common::pty;

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::common::sample_copy;
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

use pty::emu::Model;

const WIDE: Model = Model {
    ambiguous_wide: true,
    gbk: false,
    text_sizing: false,
};

/// The console on the tests' emulator, `rows`×`cols`, with `extra` arguments.
fn start_emu(db: &Path, rows: u16, cols: u16, extra: &[&str], env: &[(&str, &str)], model: Model) -> Pty {
    let mut args: Vec<&std::ffi::OsStr> = vec!["--today".as_ref(), "2026-11-30".as_ref()];
    args.extend(extra.iter().map(|a| std::ffi::OsStr::new(*a)));
    args.push(db.as_os_str());
    Pty::spawn_emu(rows, cols, db.parent().unwrap(), &args, env, model)
}

/// Whether `b` holds a box-drawing character (UTF-8 E2 94 xx / E2 95 xx).
fn has_box_drawing(b: &[u8]) -> bool {
    b.windows(2).any(|w| w[0] == 0xe2 && (w[1] == 0x94 || w[1] == 0x95))
}

/// Nothing drawn past a line's end or over half a character.
fn assert_clean(t: &Pty, what: &str) {
    t.emu(|e| {
        assert!(
            e.wraps.is_empty() && e.broken.is_empty(),
            "{what}: wrapped {:?}, broken {:?}\n{}",
            e.wraps,
            e.broken,
            e.contents()
        );
    });
}

/// The screen as the program draws it whole: after a resize away and back
/// (each clears and draws everything).
fn redrawn(t: &mut Pty, rows: u16, cols: u16) -> String {
    t.resize(rows, cols - 1);
    settle(t);
    t.resize(rows, cols);
    settle(t);
    t.screen()
}

#[test]
fn a_terminal_that_draws_ambiguous_characters_wide_gets_that_layout_from_the_first_frame() {
    let (_d, db) = sample();
    let mut t = start_emu(&db, 24, 80, &[], &[], WIDE);
    t.wait_until("the inbox", pty::default_timeout(), |s| {
        s.contains("2026-10 月报") && s.lines().last().is_some_and(|l| l.contains("? 帮助"))
    });
    settle(&t);
    let all = t.bytes();
    // Asked, answered, and drawn as answered: never a frame of Unicode box
    // lines (the narrow layout) first, then cleared and drawn again.
    assert!(contains_bytes(&all, "\u{b7}\x1b[6n".as_bytes()), "the width question");
    assert!(!has_box_drawing(&all), "a frame in the narrow layout was written");
    let s = t.screen();
    assert!(s.contains("---"), "ASCII lines: {s}");
    assert_clean(&t, "inbox");
    // Every pane, and back: nothing left behind.
    for (k, want) in [
        ("2", "按高新区"),
        ("3", "牵/配"),
        ("4", "工作日"),
        ("?", "帮助"),
        ("\x1b", ""),
        ("1", "2026-10 月报"),
    ] {
        t.send(k.as_bytes());
        if k == "\x1b" {
            std::thread::sleep(pty::ESC_GAP);
            continue;
        }
        t.wait_for(want);
        assert_clean(&t, k);
    }
    settle(&t);
    let seen = t.screen();
    assert_eq!(seen, redrawn(&mut t, 24, 80), "leftovers after moving between panes");
    assert!(!has_box_drawing(&t.bytes()), "box lines two cells wide");
    quit(&mut t);
}

#[test]
fn ambiguous_width_set_on_the_command_line_asks_nothing() {
    let (_d, db) = sample();
    let mut t = start_emu(&db, 24, 80, &["--ambiguous-width", "2"], &[], WIDE);
    t.wait_for("2026-10 月报");
    settle(&t);
    let all = t.bytes();
    assert!(!contains_bytes(&all, b"\x1b[6n"), "asked anyway");
    assert!(!has_box_drawing(&all));
    assert!(t.screen().contains("---"));
    assert_clean(&t, "inbox");
    quit(&mut t);
    // And 1 on a narrow terminal: box lines, no question either.
    let mut t = Pty::console_env(&db, &["--ambiguous-width", "1"], &[]);
    let s = t.wait_for("2026-10 月报");
    assert!(s.contains('─'), "{s}");
    assert!(!contains_bytes(&t.bytes(), b"\x1b[6n"));
    quit(&mut t);
}

fn review_args<'a>(db: &'a Path, extra: &'a [&'a str]) -> Vec<&'a std::ffi::OsStr> {
    let mut v: Vec<&std::ffi::OsStr> = ["review", "--quarter", "2026Q4", "--today", "2026-11-30"]
        .iter()
        .map(std::ffi::OsStr::new)
        .collect();
    v.extend(extra.iter().map(std::ffi::OsStr::new));
    v.push(db.as_os_str());
    v
}

/// The review through the real binary on a terminal that draws ambiguous
/// characters wide: every page, then page 3 → 2, shows what a whole redraw
/// of that page shows (nothing of the page before is left).
#[test]
fn review_pages_leave_nothing_behind_on_a_wide_ambiguous_terminal() {
    let (_d, db) = sample();
    for (rows, cols) in [(24u16, 80u16), (60, 200)] {
        let mut t = Pty::spawn_emu(rows, cols, db.parent().unwrap(), &review_args(&db, &[]), &[], WIDE);
        t.wait_for("1/7");
        for p in ["2", "3", "4", "5", "6", "7", "3", "2"] {
            t.send(p.as_bytes());
            t.wait_for(&format!("{p}/7"));
            assert_clean(&t, &format!("page {p} at {cols}×{rows}"));
        }
        settle(&t);
        let seen = t.screen();
        let whole = redrawn(&mut t, rows, cols);
        assert_eq!(seen, whole, "page 3 → 2 at {cols}×{rows} left something behind");
        assert!(!has_box_drawing(&t.bytes()), "box lines two cells wide");
        t.send(b"q");
        assert!(t.wait_exit().success());
    }
}

/// The review on a terminal that draws text at 2× (kitty's OSC 66, asked
/// and answered): page titles and the overview's labels are drawn large,
/// in Chinese. On one that ignores OSC 66, nothing is sent large.
#[test]
fn large_titles_where_the_terminal_can_draw_them_and_only_there() {
    let (_d, db) = sample();
    let sizing = Model {
        text_sizing: true,
        ..Model::default()
    };
    let mut t = Pty::spawn_emu(60, 200, db.parent().unwrap(), &review_args(&db, &[]), &[], sizing);
    t.wait_for("1/7");
    settle(&t);
    let sized = t.emu(|e| e.sized.clone());
    let texts: Vec<&str> = sized.iter().map(|(_, _, _, s)| s.as_str()).collect();
    assert!(texts.contains(&"1 · 总览"), "{sized:?}");
    assert!(
        texts.contains(&"月报按时报送") && texts.contains(&"逾期事项"),
        "{sized:?}"
    );
    assert!(sized.iter().filter(|s| s.3 != " ").all(|s| s.2 >= 2), "{sized:?}");
    t.send(b"2");
    t.wait_for("2/7");
    settle(&t);
    assert!(t.emu(|e| e.sized.iter().any(|s| s.3.contains("2025年目标完成情况"))));
    assert_clean(&t, "page 2, large title");
    t.send(b"q");
    assert!(t.wait_exit().success());

    // A terminal without it: the question, and nothing else large.
    let mut t = Pty::spawn_emu(
        60,
        200,
        db.parent().unwrap(),
        &review_args(&db, &[]),
        &[],
        Model::default(),
    );
    t.wait_for("1/7");
    t.send(b"2");
    t.wait_for("2/7");
    settle(&t);
    let all = t.bytes();
    let osc = all.windows(5).filter(|w| *w == b"\x1b]66;").count();
    assert_eq!(
        osc,
        1,
        "only the question: {}",
        String::from_utf8_lossy(&all).matches("\x1b]66;").count()
    );
    assert!(t.screen().contains("2 · 2025年目标完成情况"));
    t.send(b"q");
    assert!(t.wait_exit().success());
}

/// The Linux console draws bright backgrounds (the selection's colour 100)
/// as black: the selected row is reverse video there.
#[test]
fn the_linux_console_selects_in_reverse_video() {
    let (_d, db) = sample();
    let mut t = start(&db, &[("TERM", "linux"), ("COLORTERM", "")]);
    t.send(b"2");
    t.wait_for("按高新区");
    t.send(b"jj");
    settle(&t);
    let sgr = sgr_params(&t.bytes());
    assert!(
        sgr.iter()
            .all(|p| !p.split(';').any(|x| x == "100") && !p.contains("48;5;8")),
        "a grey background: {sgr:?}"
    );
    assert!(
        sgr.iter().any(|p| p.split(';').any(|x| x == "7")),
        "reverse video: {sgr:?}"
    );
    // The review does not ask the Linux console about large text (it would
    // print the question).
    quit(&mut t);
    let mut t = Pty::spawn_env(
        24,
        80,
        db.parent().unwrap(),
        &review_args(&db, &[]),
        &[("TERM", "linux")],
    );
    t.wait_for("1/7");
    assert!(!contains_bytes(&t.bytes(), b"\x1b]66"));
    t.send(b"q");
    assert!(t.wait_exit().success());
}

/// Every byte on a GBK terminal is valid GBK — by the locale
/// (LANG=zh_CN.GBK, luit and xterm: ambiguous characters narrow) or by
/// --charset gbk (a GBK client drawing them wide) — for every pane, the
/// help and every review page, and the Chinese reads right, with GBK
/// stand-ins for the symbols GBK lacks (‼ → ！, ✔ → √).
#[test]
fn a_gbk_terminal_gets_nothing_but_gbk() {
    let (_d, db) = sample();
    let narrow_gbk = Model {
        gbk: true,
        ..Model::default()
    };
    let wide_gbk = Model {
        gbk: true,
        ambiguous_wide: true,
        ..Model::default()
    };
    let locale = [("LANG", "zh_CN.GBK"), ("LC_ALL", ""), ("LC_CTYPE", "")];
    let utf8 = [("LANG", "C.UTF-8"), ("LC_ALL", ""), ("LC_CTYPE", "")];
    for (extra, env, model) in [
        (&[][..], &locale[..], narrow_gbk),
        (&["--charset", "gbk"][..], &utf8[..], wide_gbk),
    ] {
        let mut t = start_emu(&db, 24, 80, extra, env, model);
        t.wait_for("2026-10 月报");
        let mut seen = t.screen();
        for (k, want) in [
            ("4", "工作日"),
            ("2", "按高新区"),
            ("3", "牵/配"),
            ("?", "帮助"),
            ("\x1b", ""),
            ("1", "2026-10 月报"),
        ] {
            t.send(k.as_bytes());
            if k == "\x1b" {
                std::thread::sleep(pty::ESC_GAP);
                continue;
            }
            seen.push_str(&t.wait_for(want));
            assert_clean(&t, k);
        }
        quit(&mut t);
        t.emu(|e| assert!(e.gbk_errors.is_empty(), "{extra:?}: not GBK: {:?}", e.gbk_errors));
        for want in [
            "月报收件箱",
            "到期预警 ！24",
            "科技厅",
            "√ 已阅",
            "× 逾期未报",
            "！ 通报",
        ] {
            assert!(seen.contains(want), "{extra:?}: {want} not shown\n{seen}");
        }
        // The review too.
        let args = review_args(&db, extra);
        let mut t = Pty::spawn_emu(24, 80, db.parent().unwrap(), &args, env, model);
        t.wait_for("1/7");
        for p in ["2", "3", "4", "5", "6", "7"] {
            t.send(p.as_bytes());
            t.wait_for(&format!("{p}/7"));
            assert_clean(&t, p);
        }
        t.send(b"q");
        assert!(t.wait_exit().success());
        t.emu(|e| assert!(e.gbk_errors.is_empty(), "review {extra:?}: not GBK: {:?}", e.gbk_errors));
    }
}
