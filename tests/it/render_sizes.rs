//! Rendering never panics, at any terminal size from 1×1 to 300×100
//! (stepped so the sweep takes seconds) and through random resize
//! sequences mixed with key presses, in every pane and overlay.

use crate::common::screen;

use crossterm::event::KeyCode;
use dudao::i18n::Lang;
use proptest::prelude::*;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use screen::Screen;

fn draw_at(s: &mut Screen, w: u16, h: u16) {
    s.app.resize(w, h);
    let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
    let app = &s.app;
    term.draw(|f| f.render_widget(app, f.area())).unwrap();
}

fn sizes(max: u16, small: u16, step: usize) -> Vec<u16> {
    let mut v: Vec<u16> = (1..=small).collect();
    v.extend((small + 1..=max).step_by(step));
    if v.last() != Some(&max) {
        v.push(max);
    }
    v
}

#[test]
fn every_size_from_1x1_to_300x100_draws_every_view() {
    let mut s = Screen::new(80, 24, Lang::Zh);
    // Each view: how to reach it from the inbox, and how to leave it.
    let views: &[(&[KeyCode], &[KeyCode])] = &[
        (&[KeyCode::Char('1')], &[]),
        (&[KeyCode::Char('2')], &[]),
        (&[KeyCode::Char('3')], &[]),
        (&[KeyCode::Char('4')], &[]),
        (&[KeyCode::Char('1'), KeyCode::Enter], &[KeyCode::Esc]),
        (&[KeyCode::Char('?')], &[KeyCode::Esc]),
        (
            &[KeyCode::Char('1'), KeyCode::Enter, KeyCode::Char('r')],
            &[KeyCode::Esc, KeyCode::Esc, KeyCode::Esc],
        ),
        (&[KeyCode::Char('3'), KeyCode::Enter], &[KeyCode::Esc]),
    ];
    let (ws, hs) = (sizes(300, 10, 17), sizes(100, 8, 9));
    for (enter, leave) in views {
        s.app.resize(120, 40);
        for k in *enter {
            s.key(*k);
        }
        for &w in &ws {
            for &h in &hs {
                draw_at(&mut s, w, h);
            }
        }
        s.app.resize(120, 40);
        for k in *leave {
            s.key(*k);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn random_resizes_and_keys_never_panic(
        steps in proptest::collection::vec(
            (1u16..=300, 1u16..=100, proptest::sample::select(vec!['1', '2', '3', '4', 'j', 'k', 'G', 'g', 't', 's', '?', 'x', 'm', 'h', 'l'])),
            1..25,
        ),
        lang in proptest::bool::ANY,
    ) {
        let mut s = Screen::new(80, 24, if lang { Lang::En } else { Lang::Zh });
        for (w, h, key) in steps {
            draw_at(&mut s, w, h);
            match key {
                'x' => { s.key(KeyCode::Esc); }
                'm' => { s.key(KeyCode::Enter); }
                c => { s.key(KeyCode::Char(c)); }
            }
            draw_at(&mut s, w, h);
        }
    }
}
