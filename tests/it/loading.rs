//! Reading in the background, in process, where the order of events can be
//! held still: a month read ahead before someone else's change is never
//! shown after it; the reader's parts agree with a read in place.

use crate::common;
use crate::common::screen;

use std::time::Duration;

use dudao::i18n::Lang;
use dudao::tui::app::App;
use ratatui::layout::Rect;
use screen::Screen;

const WAIT: Duration = Duration::from_secs(10);

fn background(w: u16, h: u16) -> Screen {
    let mut s = starting(w, h, "");
    assert!(s.app.wait_loaded(WAIT), "the first load finishes");
    s
}

/// The console started in the background on a copy of the sample, after
/// `sql` (run with CHECK constraints off: what another program could
/// write); it returns as start-up does, with the rest still on its way.
fn starting(w: u16, h: u16, sql: &str) -> Screen {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sample.db");
    std::fs::copy(concat!(env!("CARGO_MANIFEST_DIR"), "/sample.db"), &path).unwrap();
    if !sql.is_empty() {
        let c = rusqlite::Connection::open(&path).unwrap();
        c.execute_batch(&format!("PRAGMA ignore_check_constraints = 1; {sql}"))
            .unwrap();
    }
    let text = common::text_shared();
    let app = App::start(screen::deps(&path, Lang::Zh), Rect::new(0, 0, w, h), WAIT).unwrap();
    let term = ratatui::Terminal::new(ratatui::backend::TestBackend::new(w, h)).unwrap();
    Screen {
        _dir: dir,
        app,
        term,
        _text: text,
    }
}

/// A unit kind this dudao does not know, on the last reporting unit
/// (below the first screenful).
const BOGUS_LAST_UNIT: &str = "UPDATE units SET kind = 'bogus'
    WHERE id = (SELECT id FROM units WHERE reporting = 1 ORDER BY sort DESC, id DESC LIMIT 1);";

fn bar(s: &mut Screen) -> String {
    s.text().lines().nth(2).unwrap_or("").to_string()
}

#[test]
fn a_month_read_ahead_before_a_change_is_not_shown_after_it() {
    let mut s = background(120, 30);
    let db = s.app.path().to_path_buf();
    // Read ahead: [ and ] answer at once.
    s.keys("[");
    assert!(
        bar(&mut s).contains("◀ 2026-09 月报 ▶") && bar(&mut s).contains("已阅 32"),
        "{}",
        bar(&mut s)
    );
    s.keys("]");
    assert!(
        bar(&mut s).contains("◀ 2026-10 月报 ▶") && bar(&mut s).contains("已阅 11"),
        "{}",
        bar(&mut s)
    );
    // Another user accepts a returned report of 2026-09.
    let c = rusqlite::Connection::open(&db).unwrap();
    let n = c
        .execute(
            "UPDATE reports SET status = 'accepted', version = version + 1 WHERE id =
               (SELECT id FROM reports WHERE month = '2026-09' AND latest = 1 AND status = 'returned'
                ORDER BY id LIMIT 1)",
            [],
        )
        .unwrap();
    assert_eq!(n, 1);
    assert!(s.app.poll_external().unwrap(), "the change is seen");
    // Before the reader answers, 2026-09 is not shown as it was.
    s.keys("[");
    let before = bar(&mut s);
    assert!(before.contains("◀ 2026-09 月报 ▶"), "{before}");
    assert!(!before.contains("已阅 32"), "a stale month was shown: {before}");
    assert!(s.app.wait_loaded(WAIT));
    let after = bar(&mut s);
    assert!(after.contains("已阅 33"), "{after}");
}

#[test]
fn what_the_reader_reads_is_what_a_read_in_place_reads() {
    for (w, h) in [(80, 24), (160, 48)] {
        let mut bg = background(w, h);
        let mut inplace = Screen::new(w, h, Lang::Zh);
        for keys in ["", "[", "2", "3", "4", "1"] {
            bg.keys(keys);
            inplace.keys(keys);
            assert!(bg.app.wait_loaded(WAIT));
            assert_eq!(bg.text(), inplace.text(), "after {keys:?} at {w}×{h}");
        }
    }
}

#[test]
fn start_up_shows_the_months_first_rows_and_figures_and_keys_wait_for_the_rest() {
    for (w, h) in [(80, 24), (160, 48)] {
        // Start-up returns once the month's figures and first screenful are
        // in: the rest of the month is still on its way.
        let mut s = starting(w, h, "");
        assert!(
            s.app.inbox().head_only(),
            "the month's first rows came first at {w}×{h}"
        );
        let mut whole = Screen::new(w, h, Lang::Zh);
        // The month as shown before the rest came is the month as it is:
        // figures, rows, the position among all rows (the tab bar and the
        // dashboard fill in as their own parts come).
        let body = dudao::tui::layout::pane_area(Rect::new(0, 0, w, h)).width as usize;
        let inbox = |t: &str| {
            t.lines()
                .skip(2)
                .take(h as usize / 2)
                .map(|l| {
                    let mut used = 0;
                    l.chars()
                        .take_while(|c| {
                            used += dudao::text::width(c.encode_utf8(&mut [0; 4]));
                            used <= body
                        })
                        .collect::<String>()
                })
                .collect::<Vec<_>>()
                .join("\n")
        };
        let first = s.text();
        assert_eq!(inbox(&first), inbox(&whole.text()), "at {w}×{h}");
        let footer = |t: &str| t.lines().last().unwrap_or("").to_string();
        assert!(footer(&first).contains("1/41"), "{}", footer(&first));
        // Keys typed meanwhile act once the month is whole, in order.
        // (End goes to the month's last unit, not the last one read.)
        s.keys("jjs").key(crossterm::event::KeyCode::End).keys("k");
        assert!(footer(&s.text()).contains("1/41"), "a key acted on the first rows only");
        assert!(s.app.wait_loaded(WAIT));
        s.app.on_loaded();
        assert!(!s.app.inbox().head_only());
        whole.keys("jjs").key(crossterm::event::KeyCode::End).keys("k");
        assert_eq!(s.text(), whole.text(), "after the held keys at {w}×{h}");
        assert_eq!(s.app.position(), Some((40, 41)), "the held keys were handled in order");
    }
}

#[test]
fn quitting_is_never_held() {
    let mut s = starting(80, 24, "");
    assert!(s.app.inbox().head_only());
    s.keys("q");
    assert!(s.app.quitting());
}

#[test]
fn the_months_next_to_the_one_shown_are_read_once_its_frame_is_out() {
    let mut s = background(120, 30);
    // 2026-09 was read ahead at start; the months next to it are read
    // after its frame (read at once, they would slow that frame).
    s.keys("[");
    assert!(bar(&mut s).contains("◀ 2026-09 月报 ▶"));
    assert!(s.app.wait_loaded(WAIT));
    s.app.on_loaded();
    s.keys("[");
    let b = bar(&mut s);
    assert!(
        b.contains("◀ 2026-08 月报 ▶") && b.contains("已阅"),
        "2026-08 was read ahead: {b}"
    );
    assert!(!b.contains("读取中"), "{b}");
}

#[test]
fn when_the_rest_of_the_month_cannot_be_read_the_first_rows_stay_and_keys_work() {
    let mut s = starting(80, 24, BOGUS_LAST_UNIT);
    assert!(s.app.inbox().head_only());
    s.keys("j");
    assert!(s.app.wait_loaded(WAIT));
    s.app.on_loaded();
    assert!(
        !s.app.inbox().head_only(),
        "the console does not wait for rows that never come"
    );
    let t = s.text();
    assert!(t.contains("bogus"), "the reason is shown: {t}");
    assert!(t.contains("全部 41"), "the month's figures stay: {t}");
    assert_eq!(s.app.position().map(|p| p.0), Some(2), "the held key was handled");
}

#[test]
fn a_part_that_cannot_be_read_shows_as_unknown_never_as_zeros() {
    let mut s = starting(160, 48, BOGUS_LAST_UNIT);
    assert!(s.app.wait_loaded(WAIT));
    s.app.on_loaded();
    let t = s.text();
    let tabs = t.lines().nth(1).unwrap();
    assert!(!tabs.contains("逾期0") && !tabs.contains("红0"), "{tabs}");
    assert!(tabs.contains("到期预警 ?"), "{tabs}");
    assert!(t.contains("无法读取"), "{t}");
    assert!(!t.contains("读取中"), "{t}");
    // The alerts pane says so in place of its rows, not "no rows".
    let t = s.keys("4").text();
    assert!(t.contains("无法读取") && !t.contains("没有记录"), "{t}");
}

#[test]
fn a_month_that_cannot_be_read_shows_no_figures() {
    // A status this dudao does not know, in the month shown at start.
    let mut s = starting(
        80,
        24,
        "UPDATE reports SET status = 'bogus' WHERE id = (SELECT min(id) FROM reports WHERE month = '2026-10');",
    );
    assert!(s.app.wait_loaded(WAIT));
    s.app.on_loaded();
    let b = bar(&mut s);
    assert!(b.contains("◀ 2026-10 月报 ▶") && b.contains("无法读取"), "{b}");
    assert!(!b.contains("全部 0"), "{b}");
    // Another month reads as usual.
    s.keys("[");
    assert!(s.app.wait_loaded(WAIT));
    s.app.on_loaded();
    let b = bar(&mut s);
    assert!(
        b.contains("◀ 2026-09 月报 ▶") && b.contains("已阅 32") && !b.contains("无法读取"),
        "{b}"
    );
}
