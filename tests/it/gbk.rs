//! On a GBK terminal (a GBK client, `luit -encoding GBK`), every byte the
//! console and the review send is valid GBK — GB2312 and its extension,
//! never one of GB18030's four-byte codes — and the Chinese is right:
//! every pane, popup and review page is drawn through the console's own
//! frame backend into the tests' emulator reading strict GBK, and what it
//! shows is compared with what was meant, on a terminal that draws
//! ambiguous characters narrow (luit and xterm) and one that draws them
//! wide (Xshell, SecureCRT). Symbols GBK lacks are drawn as GBK stand-ins
//! that keep their meaning: ✔ → √, ✗ → ×, ‼ → ！, ◐ → ◎. (The settings
//! are process-wide: the test holds `common::text_exclusive`.)

use crate::common;
use crate::common::emu;
use crate::common::screen;
use crate::common::through;

use chrono::NaiveDate;
use crossterm::event::KeyCode;
use dudao::db::{self, Mode};
use dudao::i18n::Lang;
use dudao::tui::review::{ReviewDeps, ReviewScreen};
use dudao::tui::term::Charset;
use dudao::tui::theme::{Theme, ThemeKind};
use emu::Model;
use screen::Screen;
use through::Through;

fn gbk(wide: bool) -> Model {
    Model {
        ambiguous_wide: wide,
        gbk: true,
        text_sizing: false,
    }
}

fn assert_gbk(t: &Through, what: &str) {
    assert!(
        t.emu.gbk_errors.is_empty(),
        "{what}: not GBK: {:?}\n{}",
        t.emu.gbk_errors,
        t.emu.contents()
    );
    t.assert_shown(what);
}

#[test]
fn every_screen_is_strict_gbk_and_reads_right() {
    let _text = common::text_exclusive();
    // GBK has each of these; the stand-ins too.
    for c in [
        '√', '×', '←', '→', '！', '◎', '◇', '◆', '●', '○', '▲', '▼', '※', '‖', '⊙', '－', '▓', '？',
    ] {
        assert!(dudao::text::in_gbk(c), "{c}");
    }
    for c in [
        '✔', '✗', '↩', '‼', '◀', '▶', '◐', '◑', '◔', '◕', '▾', '░', '▒', '⟳', '€',
    ] {
        assert!(!dudao::text::in_gbk(c), "{c}");
        assert!(dudao::text::in_gbk(dudao::text::gbk_stand_in(c)), "{c}");
    }
    dudao::text::set_gbk_only(true);
    let dir = tempfile::tempdir().unwrap();
    let db = common::sample_copy(dir.path());
    for wide in [false, true] {
        dudao::text::set_ambiguous_wide(wide);
        for (w, h) in [(80u16, 24u16), (200, 60)] {
            let mut s = Screen::new(w, h, Lang::Zh);
            let mut t = Through::new(w, h, Charset::Gbk, gbk(wide));
            let c = KeyCode::Char;
            let mut seen = String::new();
            for (keys, what) in [
                (&[][..], "inbox"),
                (&[KeyCode::Enter][..], "report detail"),
                (&[KeyCode::Esc, c('r')][..], "return form"),
                (&[KeyCode::Esc, c('m')][..], "inbox grid"),
                (&[c('m'), c('2')][..], "checklist"),
                (&[c('S')][..], "status picker"),
                (&[KeyCode::Esc, c('m')][..], "checklist grid"),
                (&[c('m'), c('3')][..], "matrix"),
                (&[KeyCode::Enter][..], "matrix cell"),
                (&[KeyCode::Esc, c('4')][..], "alerts"),
                (&[c('i')][..], "alert detail"),
                (&[KeyCode::Esc, c('?')][..], "help"),
                (&[KeyCode::Esc, c('1')][..], "inbox again"),
            ] {
                for k in keys {
                    s.key(*k);
                }
                t.draw(&s.app);
                s.app.frame_written();
                let what = format!("{what} at {w}×{h}, ambiguous {}", if wide { 2 } else { 1 });
                assert_gbk(&t, &what);
                seen.push_str(&t.emu.contents());
            }
            for want in [
                "月报收件箱",
                "授权清单",
                "任务矩阵",
                "到期预警",
                "科技厅",
                "√ 已阅",
                "× 逾期未报",
                "！ 通报",
                "◎ 黄",
                "● 红",
                "← 2026-10 月报 →",
                "◆ 已批准",
            ] {
                assert!(seen.contains(want), "{want} not shown at {w}×{h}, wide {wide}");
            }
        }
        for (w, h) in [(80u16, 24u16), (200, 60)] {
            let mut r = review(&db);
            let mut t = Through::new(w, h, Charset::Gbk, gbk(wide));
            for p in [0, 1, 2, 3, 4, 5, 6, 2, 1] {
                r.go(p);
                t.draw(&r);
                assert_gbk(&t, &format!("review page {} at {w}×{h}, wide {wide}", p + 1));
            }
        }
    }
}

fn review(path: &std::path::Path) -> ReviewScreen {
    ReviewScreen::new(ReviewDeps {
        conn: db::open(path, Mode::ReadOnly).unwrap(),
        path: path.to_path_buf(),
        quarter: "2026Q3".parse().unwrap(),
        today: NaiveDate::from_ymd_opt(2026, 11, 30).unwrap(),
        policy: dudao::db::alerts::AlertPolicy::default(),
        lang: Lang::Zh,
        theme: Theme::new(ThemeKind::HighContrast, false),
        kiosk: None,
        immutable: false,
    })
    .unwrap()
}
