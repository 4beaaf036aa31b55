//! On a terminal that draws East Asian ambiguous characters (● · “ ” — …,
//! box drawing) two cells wide, every line of every pane still fills the
//! terminal exactly: nothing runs past the edge or overwrites the next
//! character. Each frame goes through the console's own frame backend into
//! an emulator of such a terminal (`common/emu.rs`), frame after frame as
//! the console sends them, so what the terminal shows is compared with what
//! was meant: every pane, popup and review page at 80×24, 120×40 and
//! 200×60, boxes whole, bars as long as their values say, nothing left
//! behind by the page before. (The setting is process-wide: each test
//! here holds `common::text_exclusive` while it draws.)

use crate::common;
use crate::common::emu;
use crate::common::looks;
use crate::common::screen;
use crate::common::through;

use crossterm::event::KeyCode;
use dudao::i18n::Lang;
use screen::Screen;
use unicode_width::UnicodeWidthStr;

/// Each row's width as such a terminal draws it: cells hidden behind a
/// double-width character are not drawn; ambiguous ones count two.
fn row_widths(s: &mut Screen) -> Vec<(usize, String)> {
    let buf = s.draw().buffer().clone();
    (0..buf.area.height)
        .map(|y| {
            let mut w = 0;
            let mut covered = 0;
            let mut text = String::new();
            for x in 0..buf.area.width {
                let sym = buf[(x, y)].symbol();
                if covered > 0 {
                    covered -= 1;
                    continue;
                }
                covered = UnicodeWidthStr::width(sym).saturating_sub(1);
                w += UnicodeWidthStr::width_cjk(sym);
                text.push_str(sym);
            }
            (w, text)
        })
        .collect()
}

#[test]
fn every_pane_fills_each_line_exactly_when_ambiguous_characters_are_wide() {
    let _text = common::text_exclusive();
    dudao::text::set_ambiguous_wide(true);
    for (w, h) in [(80u16, 24u16), (160, 48)] {
        let mut s = Screen::new(w, h, Lang::Zh);
        let check = |s: &mut Screen, what: &str| {
            for (y, (width, text)) in row_widths(s).into_iter().enumerate() {
                assert_eq!(width, w as usize, "{what} {w}x{h}, row {y}: {text:?}");
            }
        };
        check(&mut s, "inbox");
        s.key(KeyCode::Enter);
        check(&mut s, "report detail");
        s.key(KeyCode::Esc);
        s.keys("m");
        check(&mut s, "grid");
        s.keys("m2");
        check(&mut s, "checklist");
        s.keys("m");
        check(&mut s, "checklist grid");
        s.keys("m3");
        check(&mut s, "matrix");
        s.key(KeyCode::Enter);
        check(&mut s, "cell");
        s.key(KeyCode::Esc);
        s.keys("4");
        check(&mut s, "alerts");
        s.keys("i");
        check(&mut s, "alert detail");
        s.key(KeyCode::Esc);
        s.keys("?");
        check(&mut s, "help");
    }
}

use chrono::NaiveDate;
use dudao::db::{self, Mode};
use dudao::tui::review::{ReviewDeps, ReviewScreen};
use dudao::tui::term::Charset;
use dudao::tui::theme::{Theme, ThemeKind};
use emu::Model;
use looks::{BarCell, bars, box_problems};
use through::Through;

const SIZES: [(u16, u16); 3] = [(80, 24), (120, 40), (200, 60)];

fn wide() -> Model {
    Model {
        ambiguous_wide: true,
        ..Model::default()
    }
}

fn review(path: &std::path::Path, no_color: bool) -> ReviewScreen {
    ReviewScreen::new(ReviewDeps {
        conn: db::open(path, Mode::ReadOnly).unwrap(),
        path: path.to_path_buf(),
        quarter: "2026Q3".parse().unwrap(),
        today: NaiveDate::from_ymd_opt(2026, 11, 30).unwrap(),
        policy: dudao::db::alerts::AlertPolicy::default(),
        lang: Lang::Zh,
        theme: Theme::new(ThemeKind::HighContrast, no_color),
        kiosk: None,
        immutable: false,
    })
    .unwrap()
}

fn figures(path: &std::path::Path) -> dudao::figures::Figures {
    let conn = db::open(path, Mode::ReadOnly).unwrap();
    dudao::figures::review(
        &conn,
        "2026Q3".parse().unwrap(),
        NaiveDate::from_ymd_opt(2026, 11, 30).unwrap(),
        &dudao::db::alerts::AlertPolicy::default(),
    )
    .unwrap()
    .figures
}

fn assert_boxes(t: &Through, what: &str) {
    let p = box_problems(&t.emu);
    assert!(
        p.is_empty(),
        "{what}: broken boxes\n{}\n--- screen ---\n{}",
        p.join("\n"),
        t.emu.contents()
    );
}

/// Every pane and popup, drawn frame after frame as a user moves between
/// them, shows on the terminal as meant, with whole boxes.
#[test]
fn every_pane_and_popup_shows_as_meant() {
    let _text = common::text_exclusive();
    dudao::text::set_ambiguous_wide(true);
    for (w, h) in SIZES {
        let mut s = Screen::new(w, h, Lang::Zh);
        let mut t = Through::new(w, h, Charset::Utf8, wide());
        let mut step = |s: &mut Screen, keys: &[KeyCode], what: &str, boxes: bool| {
            for k in keys {
                s.key(*k);
            }
            t.draw(&s.app);
            s.app.frame_written();
            let what = format!("{what} at {w}×{h}");
            t.assert_shown(&what);
            if boxes {
                assert_boxes(&t, &what);
            }
        };
        let c = KeyCode::Char;
        step(&mut s, &[], "inbox", true);
        step(&mut s, &[c('j'), c('j')], "inbox, third row", true);
        step(&mut s, &[KeyCode::Enter], "report detail", false);
        step(&mut s, &[KeyCode::Esc, c('r')], "return form", false);
        step(&mut s, &[KeyCode::Esc, c('m')], "inbox grid", true);
        step(&mut s, &[c('m'), c('2')], "checklist", true);
        step(&mut s, &[c('j')], "checklist, second row", true);
        step(&mut s, &[c('S')], "status picker", false);
        step(&mut s, &[KeyCode::Esc, c('N')], "new item form", false);
        step(&mut s, &[KeyCode::Esc, c('m')], "checklist grid", true);
        step(&mut s, &[c('m'), c('3')], "matrix", true);
        step(&mut s, &[KeyCode::Enter], "matrix cell", false);
        step(&mut s, &[KeyCode::Esc, c('4')], "alerts", true);
        step(&mut s, &[c('j'), c('j'), c('j')], "alerts, fourth row", true);
        step(&mut s, &[c('i')], "alert detail", false);
        step(&mut s, &[KeyCode::Esc, c('d')], "confirm", false);
        step(&mut s, &[KeyCode::Esc, c('/')], "filter", true);
        step(&mut s, &[c('k'), c('j')], "filter typed", true);
        step(&mut s, &[KeyCode::Esc, KeyCode::Esc, c('?')], "help", false);
        step(&mut s, &[KeyCode::Esc, c('1')], "back to the inbox", true);
    }
}

/// All seven review pages, in order and back, then 3 → 2: each shows as
/// meant (nothing of the page before left on the screen), boxes whole.
#[test]
fn every_review_page_shows_as_meant_and_leaves_nothing_behind() {
    let _text = common::text_exclusive();
    dudao::text::set_ambiguous_wide(true);
    let dir = tempfile::tempdir().unwrap();
    let db = common::sample_copy(dir.path());
    for (w, h) in SIZES {
        let mut r = review(&db, false);
        let mut t = Through::new(w, h, Charset::Utf8, wide());
        let order = [0, 1, 2, 3, 4, 5, 6, 5, 4, 3, 2, 1, 0, 2, 1, 6, 0];
        for p in order {
            r.go(p);
            t.draw(&r);
            let what = format!("page {} at {w}×{h}", p + 1);
            t.assert_shown(&what);
            assert_boxes(&t, &what);
        }
    }
}

/// The filled part of `bar` against `ratio` of its length, within a cell.
fn assert_proportional(filled: usize, len: usize, ratio: f64, what: &str) {
    let want = ratio.clamp(0.0, 1.0) * len as f64;
    assert!(
        (filled as f64 - want).abs() <= 1.0,
        "{what}: {filled} of {len} cells filled, {want:.1} meant"
    );
}

/// Review page 2: each target's bar is as long as its value's share of the
/// goal; page 3: each unit's bar has as many cells per report as any
/// other's, on time, late and missing each told apart by the glyph alone.
#[test]
fn review_bars_are_proportional() {
    let _text = common::text_exclusive();
    dudao::text::set_ambiguous_wide(true);
    let dir = tempfile::tempdir().unwrap();
    let db = common::sample_copy(dir.path());
    let f = figures(&db);
    for (w, h) in SIZES {
        let mut r = review(&db, true);
        let mut t = Through::new(w, h, Charset::Utf8, wide());
        r.go(1);
        t.draw(&r);
        let rows: Vec<_> = (0..h as usize)
            .filter_map(|y| bars(&t.emu, y, 4).into_iter().next())
            .collect();
        let shown = rows.len().min(f.targets.len());
        assert!(
            shown >= 10,
            "page 2 at {w}×{h}: {} bars\n{}",
            rows.len(),
            t.emu.contents()
        );
        for (b, tl) in rows.iter().zip(&f.targets) {
            let ratio = tl.value.unwrap_or(0.0) / tl.target;
            assert_eq!(b.count(BarCell::Full) + b.count(BarCell::Rest), b.len(), "{b:?}");
            assert_proportional(
                b.count(BarCell::Full),
                b.len(),
                ratio,
                &format!("page 2 at {w}×{h}, {}", tl.name),
            );
        }
        let lens: std::collections::BTreeSet<usize> = rows.iter().map(|b| b.len()).collect();
        assert_eq!(lens.len(), 1, "page 2 at {w}×{h}: every gauge as long: {lens:?}");

        r.go(2);
        t.draw(&r);
        // Legend on the first row of the body, then one unit per row.
        let legend = bars(&t.emu, 2, 1);
        let kinds: Vec<BarCell> = legend.iter().map(|b| b.cells[0]).collect();
        assert_eq!(
            kinds,
            [BarCell::Full, BarCell::Late, BarCell::Missing],
            "page 3 legend at {w}×{h}:\n{}",
            t.emu.contents()
        );
        let mut per_report = std::collections::BTreeSet::new();
        let mut seen = 0;
        for y in 3..h as usize - 1 {
            let row = t.emu.row_text(y);
            // The longest short name the row starts with (拉萨 and 拉萨高新区 both do).
            let Some(u) = f
                .units
                .iter()
                .filter(|u| row.trim_start().starts_with(&u.short))
                .max_by_key(|u| u.short.len())
            else {
                continue;
            };
            let bs = bars(&t.emu, y, 1);
            let due = u.due() as usize;
            if due == 0 {
                continue;
            }
            let b = bs
                .first()
                .unwrap_or_else(|| panic!("page 3 at {w}×{h}: no bar for {}: {row}", u.short));
            assert_eq!(
                (
                    b.count(BarCell::Full) > 0,
                    b.count(BarCell::Late) > 0,
                    b.count(BarCell::Missing) > 0
                ),
                (u.on_time > 0, u.late > 0, u.missing > 0),
                "page 3 at {w}×{h}, {}: {row}",
                u.short
            );
            let cell = b.len() as f64 / due as f64;
            per_report.insert((cell * 10.0).round() as i64);
            for (k, n) in [
                (BarCell::Full, u.on_time),
                (BarCell::Late, u.late),
                (BarCell::Missing, u.missing),
            ] {
                assert!(
                    (b.count(k) as f64 - n as f64 * cell).abs() <= 1.0,
                    "page 3 at {w}×{h}, {}: {:?} {} cells for {n} reports of {due} in {}",
                    u.short,
                    k,
                    b.count(k),
                    b.len()
                );
            }
            seen += 1;
        }
        assert!(seen >= 10, "page 3 at {w}×{h}: {seen} units\n{}", t.emu.contents());
        assert!(
            per_report.iter().max().unwrap() - per_report.iter().min().unwrap() <= 10,
            "page 3 at {w}×{h}: cells per report differ: {per_report:?}"
        );
    }
}

/// The checklist's zone headings: bars as long as the share delegated, and
/// every status word whole.
#[test]
fn checklist_bars_are_proportional_and_status_words_whole() {
    let _text = common::text_exclusive();
    dudao::text::set_ambiguous_wide(true);
    for (w, h) in SIZES {
        let mut s = Screen::new(w, h, Lang::Zh);
        let mut t = Through::new(w, h, Charset::Utf8, wide());
        s.keys("2");
        t.draw(&s.app);
        t.assert_shown("checklist");
        let mut zones = 0;
        for y in 0..h as usize {
            let row = t.emu.row_text(y);
            // "拉萨高新区 ####...... 3/13 23%": the figures after the bar.
            let Some(b) = bars(&t.emu, y, 4).into_iter().next() else {
                continue;
            };
            let after: String = (b.col + b.len()..w as usize)
                .map(|x| t.emu.cell(y, x).text.clone())
                .collect();
            let Some(frac) = after
                .split_whitespace()
                .next()
                .and_then(|w| w.split_once('/'))
                .filter(|(a, b)| a.parse::<usize>().is_ok() && b.parse::<usize>().is_ok())
            else {
                continue;
            };
            let (done, total): (f64, f64) = (frac.0.parse().unwrap(), frac.1.parse().unwrap());
            assert_proportional(
                b.count(BarCell::Full),
                b.len(),
                done / total,
                &format!("checklist at {w}×{h}: {row}"),
            );
            zones += 1;
        }
        assert!(zones >= 2, "checklist at {w}×{h}: zone bars\n{}", t.emu.contents());
        let screen = t.emu.contents();
        for word in ["拟下放", "已报批", "已批准", "已下放", "已承接"] {
            let cut: String = word.chars().take(2).collect::<String>() + "…";
            assert!(!screen.contains(&cut), "checklist at {w}×{h}: {cut} cut\n{screen}");
        }
        assert!(screen.contains("已下放") && screen.contains("拟下放"), "{screen}");
    }
}

/// Every review page and every pane at sizes from 1×1 to 300×100 draws
/// without panicking where ambiguous characters are wide (bars, digits and
/// dots are laid out differently there).
#[test]
fn any_size_draws_without_panicking() {
    let _text = common::text_exclusive();
    dudao::text::set_ambiguous_wide(true);
    let dir = tempfile::tempdir().unwrap();
    let db = common::sample_copy(dir.path());
    let mut r = review(&db, false);
    // And with page titles and labels drawn large (OSC 66).
    let mut large = review(&db, false);
    dudao::tui::Screen::text_sizing(&mut large, true);
    let mut s = Screen::new(80, 24, Lang::Zh);
    for w in [1u16, 10, 39, 40, 41, 60, 79, 80, 100, 120, 159, 160, 200, 300] {
        for h in [1u16, 5, 11, 12, 13, 20, 24, 30, 40, 45, 60, 100] {
            let area = ratatui::layout::Rect::new(0, 0, w, h);
            for p in 0..7 {
                for r in [&mut r, &mut large] {
                    r.go(p);
                    let mut b = ratatui::buffer::Buffer::empty(area);
                    dudao::tui::Screen::draw(&*r, area, &mut b);
                }
            }
            s.app.resize(w, h);
            for k in ['1', '2', '3', '4'] {
                s.keys(&k.to_string());
                let mut b = ratatui::buffer::Buffer::empty(area);
                dudao::tui::Screen::draw(&s.app, area, &mut b);
            }
        }
    }
}
