//! On a terminal that draws East Asian ambiguous characters (● · “ ” — …,
//! box drawing) two cells wide, every line of every pane still fills the
//! terminal exactly: nothing runs past the edge or overwrites the next
//! character. (Its own test binary: the setting is process-wide.)

mod common;
#[path = "common/screen.rs"]
mod screen;

use crossterm::event::KeyCode;
use dudao::tui::i18n::Lang;
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
    dudao::text::set_ambiguous_wide(false);
}
