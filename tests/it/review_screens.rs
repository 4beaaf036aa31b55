//! The review's seven pages drawn on a copy of sample.db for 2026Q3 with a
//! fixed today, snapshots at 80×24 and 200×60; tiny windows; keys; the
//! kiosk timer; figures read again on a page change after another user's
//! write, and only then.

use crate::common;

use std::time::{Duration, Instant};

use chrono::NaiveDate;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use dudao::db::{self, Mode};
use dudao::i18n::Lang;
use dudao::tui::review::{PAGES, ReviewDeps, ReviewScreen};
use dudao::tui::theme::{Theme, ThemeKind};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

struct Fixture {
    _dir: tempfile::TempDir,
    path: std::path::PathBuf,
    _text: common::TextShared,
}

fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let path = common::sample_copy(dir.path());
    Fixture {
        _dir: dir,
        path,
        _text: common::text_shared(),
    }
}

fn screen(path: &std::path::Path, lang: Lang, kiosk: Option<u64>) -> ReviewScreen {
    ReviewScreen::new(ReviewDeps {
        conn: db::open(path, Mode::ReadOnly).unwrap(),
        path: path.to_path_buf(),
        quarter: "2026Q3".parse().unwrap(),
        today: NaiveDate::from_ymd_opt(2026, 11, 30).unwrap(),
        policy: dudao::db::alerts::AlertPolicy::default(),
        lang,
        theme: Theme::new(ThemeKind::HighContrast, false),
        kiosk,
        immutable: false,
    })
    .unwrap()
}

fn text(s: &ReviewScreen, w: u16, h: u16) -> String {
    let area = Rect::new(0, 0, w, h);
    let mut b = Buffer::empty(area);
    s.render(area, &mut b);
    let mut out = String::new();
    for y in 0..h {
        let mut x = 0;
        while x < w {
            let sym = b[(x, y)].symbol();
            out.push_str(sym);
            x += unicode_width::UnicodeWidthStr::width(sym).max(1) as u16;
        }
        out.push('\n');
    }
    out
}

fn key(s: &mut ReviewScreen, code: KeyCode) {
    s.key(KeyEvent::new(code, KeyModifiers::NONE));
}

#[test]
fn every_page_at_both_sizes() {
    let f = fixture();
    let mut s = screen(&f.path, Lang::Zh, None);
    let wants: [&[&str]; PAGES] = [
        &["月报按时报送", "逾期事项", "授权清单完成", "目标达进度"],
        &["国家级高新区", "吸纳就业", "✔ 已达标", "✘ 滞后"],
        &["█ 月报按时报送", "▓ 迟报", "▒ 未报"],
        &["表扬：月报全部按时", "通报：逾期最多", "科技厅"],
        &["拉萨高新区", "林芝高新区", "合计"],
        &["M21", "涉及多部门协调", "dawa"],
        &["2026Q3", "2026Q2", "上季度数据为存档"],
    ];
    for (w, h) in [(80u16, 24u16), (200, 60)] {
        for (page, want_here) in wants.iter().enumerate() {
            key(&mut s, KeyCode::Char(char::from(b'1' + page as u8)));
            assert_eq!(s.page(), page);
            let t = text(&s, w, h);
            let first = t.lines().next().unwrap();
            assert!(first.contains("只读"), "{first}");
            assert!(first.contains("2026年第三季度") && first.contains(&format!("{}/7", page + 1)));
            for want in *want_here {
                assert!(t.contains(want), "page {} at {w}×{h}: {want} missing\n{t}", page + 1);
            }
            insta::assert_snapshot!(format!("review_page{}_{w}x{h}", page + 1), t);
        }
    }
}

#[test]
fn english_overview() {
    let f = fixture();
    let s = screen(&f.path, Lang::En, None);
    let t = text(&s, 80, 24);
    assert!(t.contains("read-only") && t.contains("Reports on time"), "{t}");
    insta::assert_snapshot!("review_page1_80x24_en", t);
}

/// The big digits fill a large screen: the overview's figures are drawn
/// eight rows high at 200×60 and four at 80×24.
#[test]
fn digits_grow_with_the_screen() {
    let f = fixture();
    let s = screen(&f.path, Lang::Zh, None);
    let tall = |t: &str| t.lines().filter(|l| l.contains("██")).count();
    let small = tall(&text(&s, 80, 24));
    let large = tall(&text(&s, 200, 60));
    assert!(large >= 2 * small.max(1), "{small} {large}");
}

/// On a 200×60 projector the figures use the screen: each overview tile's
/// digits span at least 80% of the tile, each target's bar (page 2) and the
/// longest unit's bar (page 3) at least 80% of the width.
#[test]
fn digits_and_bars_fill_a_projector() {
    let f = fixture();
    let mut s = screen(&f.path, Lang::Zh, None);
    let (w, h) = (200u16, 60u16);
    let draw = |s: &ReviewScreen| {
        let area = Rect::new(0, 0, w, h);
        let mut b = Buffer::empty(area);
        s.render(area, &mut b);
        b
    };
    let block = |b: &Buffer, x: u16, y: u16| b[(x, y)].symbol() == "█";
    // Page 1: four tiles, two by two.
    let b = draw(&s);
    for (tx, ty) in [(1u16, 2u16), (100, 2), (1, 30), (100, 30)] {
        let (tw, th) = (99u16, 28u16);
        let cols: Vec<u16> = (tx..tx + tw)
            .filter(|&x| (ty..ty + th).any(|y| block(&b, x, y)))
            .collect();
        let span = cols.last().unwrap() - cols.first().unwrap() + 1;
        assert!(
            span as f64 >= 0.8 * (tw - 2) as f64,
            "tile at ({tx},{ty}): digits span {span} of {}",
            tw - 2
        );
    }
    // Page 2: every gauge (filled and rest) across the screen.
    key(&mut s, KeyCode::Char('2'));
    let b = draw(&s);
    let mut gauges = 0;
    for y in 0..h {
        let n = (0..w).filter(|&x| matches!(b[(x, y)].symbol(), "█" | "░")).count();
        if n > 0 {
            assert!(n as f64 >= 0.8 * w as f64, "page 2, row {y}: a bar of {n}");
            gauges += 1;
        }
    }
    assert_eq!(gauges, 20, "a bar per target");
    // Page 3: the longest unit's bar.
    key(&mut s, KeyCode::Char('3'));
    let b = draw(&s);
    let longest = (3..h)
        .map(|y| {
            (0..w)
                .filter(|&x| matches!(b[(x, y)].symbol(), "█" | "▓" | "▒"))
                .count()
        })
        .max()
        .unwrap();
    assert!(longest as f64 >= 0.8 * w as f64, "page 3: the longest bar is {longest}");
}

#[test]
fn tiny_windows_say_so_and_never_panic() {
    let f = fixture();
    let mut s = screen(&f.path, Lang::Zh, Some(5));
    for page in 0..PAGES {
        key(&mut s, KeyCode::Char(char::from(b'1' + page as u8)));
        for (w, h) in [
            (1, 1),
            (10, 3),
            (39, 24),
            (80, 11),
            (40, 12),
            (41, 13),
            (60, 15),
            (300, 90),
        ] {
            let t = text(&s, w, h);
            if w < 40 || h < 12 {
                assert!(t.contains("窗口") || w < 10, "{w}×{h}: {t}");
            }
        }
    }
}

#[test]
fn keys_move_between_pages_and_quit() {
    let f = fixture();
    let mut s = screen(&f.path, Lang::Zh, None);
    use dudao::tui::Screen as _;
    for (code, page) in [
        (KeyCode::Right, 1),
        (KeyCode::Char(' '), 2),
        (KeyCode::PageDown, 3),
        (KeyCode::Left, 2),
        (KeyCode::PageUp, 1),
        (KeyCode::Char('7'), 6),
        (KeyCode::Right, 0),
        (KeyCode::Left, 6),
        (KeyCode::Home, 0),
    ] {
        key(&mut s, code);
        assert_eq!(s.page(), page, "{code:?}");
    }
    assert!(!s.wants_quit());
    key(&mut s, KeyCode::Char('q'));
    assert!(s.wants_quit());
}

#[test]
fn kiosk_advances_and_any_key_pauses() {
    let f = fixture();
    let mut s = screen(&f.path, Lang::Zh, Some(10));
    let later = Instant::now() + Duration::from_secs(11);
    s.advance_if_due(Instant::now());
    assert_eq!(s.page(), 0, "not before its time");
    s.advance_if_due(later);
    assert_eq!(s.page(), 1);
    assert!(text(&s, 80, 24).lines().next().unwrap().contains("▶ 10秒"));
    // Any key pauses; the timer then does nothing.
    key(&mut s, KeyCode::Char('x'));
    assert!(s.paused());
    s.advance_if_due(later + Duration::from_secs(60));
    assert_eq!(s.page(), 1);
    assert!(text(&s, 80, 24).lines().next().unwrap().contains("已暂停"));
    // p resumes; p again pauses.
    key(&mut s, KeyCode::Char('p'));
    assert!(!s.paused());
    s.advance_if_due(Instant::now() + Duration::from_secs(11));
    assert_eq!(s.page(), 2);
    key(&mut s, KeyCode::Char('p'));
    assert!(s.paused());
}

/// Another user's change shows at the next page change, not before; the
/// screen is not redrawn meanwhile.
#[test]
fn another_users_write_shows_on_the_next_page_change() {
    let f = fixture();
    // The running quarter, so the change falls inside its figures.
    let mut s = ReviewScreen::new(ReviewDeps {
        conn: db::open(&f.path, Mode::ReadOnly).unwrap(),
        path: f.path.clone(),
        quarter: "2026Q4".parse().unwrap(),
        today: NaiveDate::from_ymd_opt(2026, 11, 30).unwrap(),
        policy: dudao::db::alerts::AlertPolicy::default(),
        lang: Lang::Zh,
        theme: Theme::new(ThemeKind::HighContrast, false),
        kiosk: None,
        immutable: false,
    })
    .unwrap();
    use dudao::tui::Screen as _;
    key(&mut s, KeyCode::Char('5'));
    let _ = s.take_redraw();
    let before = text(&s, 80, 24);
    let other = rusqlite::Connection::open(&f.path).unwrap();
    other
        .execute_batch(
            "UPDATE authority_items SET status = 'undertaken', doc_no = 'X';
             INSERT INTO authority_events (item_id, at, date, from_status, to_status, doc_no, by_uid, by_user)
                 SELECT id, '2026-11-01T00:00:00Z', '2026-11-01', NULL, 'undertaken', 'X', 0, 'test' FROM authority_items;",
        )
        .unwrap();
    s.tick();
    assert_eq!(s.take_redraw(), (false, false), "nothing drawn between page changes");
    assert_eq!(text(&s, 80, 24), before, "figures changed before a page change");
    key(&mut s, KeyCode::Char('6'));
    let t = text(&s, 80, 24);
    assert!(t.contains("数据已更新"), "the first page after the change says so\n{t}");
    key(&mut s, KeyCode::Char('5'));
    let after = text(&s, 80, 24);
    assert!(after.contains("65/65"), "{after}");
    assert!(!after.contains("数据已更新"), "{after}");
}
