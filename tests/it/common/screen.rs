//! A console in a `TestBackend`, driven by key presses as a user would,
//! with a fixed clock, on a real database file.
#![allow(dead_code)]

use std::time::Duration;

use chrono::NaiveDate;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use dudao::db::{self, Mode};
use dudao::i18n::Lang;
use dudao::tui::app::{App, Deps};
use dudao::tui::keymap::Keymap;
use dudao::tui::theme::{Theme, ThemeKind};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::layout::Rect;

pub fn deps(path: &std::path::Path, lang: Lang) -> Deps {
    Deps {
        conn: db::open(path, Mode::ReadWrite).unwrap(),
        path: path.to_path_buf(),
        db_label: "sample.db".into(),
        read_only: false,
        read_only_forced: false,
        today_set: true,
        today: NaiveDate::from_ymd_opt(2026, 11, 30).unwrap(),
        lang,
        theme: Theme::new(ThemeKind::Default, false),
        keymap: Keymap::default(),
        policy: dudao::db::alerts::AlertPolicy::default(),
        office: dudao::notice::Office {
            name: "自治区推进“双创”领导小组办公室".into(),
            contact: "张明 0891-0000000".into(),
            notices_dir: std::env::temp_dir().join("dudao-test-notices"),
        },
        actor: dudao::db::audit::Actor::os(1000, "tester"),
        inbox_dir: None,
        // A fixed name: snapshots must not show a temporary folder.
        drop_folder: std::path::PathBuf::from("sample.db.inbox"),
    }
}

pub struct Screen {
    pub _dir: tempfile::TempDir,
    pub app: App,
    pub term: Terminal<TestBackend>,
    /// Text is measured as this test expects while it draws.
    pub _text: super::TextShared,
}

impl Screen {
    pub fn new(w: u16, h: u16, lang: Lang) -> Screen {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sample.db");
        std::fs::copy(concat!(env!("CARGO_MANIFEST_DIR"), "/sample.db"), &path).expect("copy sample.db");
        Screen::on(dir, &path, w, h, lang)
    }

    pub fn on(dir: tempfile::TempDir, path: &std::path::Path, w: u16, h: u16, lang: Lang) -> Screen {
        let text = super::text_shared();
        let app = App::new(deps(path, lang), Rect::new(0, 0, w, h)).unwrap();
        let term = Terminal::new(TestBackend::new(w, h)).unwrap();
        Screen {
            _dir: dir,
            app,
            term,
            _text: text,
        }
    }

    pub fn keys(&mut self, keys: &str) -> &mut Self {
        for c in keys.chars() {
            self.key(KeyCode::Char(c));
        }
        self
    }

    pub fn key(&mut self, code: KeyCode) -> &mut Self {
        self.app.handle_key(KeyEvent::new(code, KeyModifiers::NONE));
        self
    }

    pub fn draw(&mut self) -> &TestBackend {
        // A whole frame each time: TestBackend keeps the second half of a
        // double-width character a diff did not rewrite (a real terminal
        // does not), which would leave text of earlier frames in the picture.
        self.term.clear().unwrap();
        let app = &self.app;
        self.term.draw(|f| f.render_widget(app, f.area())).unwrap();
        // As the console's loop does after each frame.
        self.app.frame_written();
        self.term.backend()
    }

    pub fn text(&mut self) -> String {
        let b = self.draw().buffer().clone();
        let mut out = String::new();
        for y in 0..b.area.height {
            let mut x = 0;
            while x < b.area.width {
                let sym = b[(x, y)].symbol();
                out.push_str(sym);
                x += unicode_width::UnicodeWidthStr::width(sym).max(1) as u16;
            }
            out.push('\n');
        }
        out
    }
}

impl Screen {
    /// A key with Ctrl held.
    pub fn ctrl(&mut self, c: char) -> &mut Self {
        self.app
            .handle_key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL));
        self
    }

    /// Types text into whatever has the keys (a form, the filter).
    pub fn type_text(&mut self, text: &str) -> &mut Self {
        self.keys(text)
    }

    /// Waits for the writer to answer and takes its result, as the event loop would.
    pub fn wait(&mut self) -> &mut Self {
        assert!(
            self.app.wait_worker(Duration::from_secs(10)),
            "the writer did not answer"
        );
        self
    }

    /// The database file.
    pub fn path(&self) -> std::path::PathBuf {
        self.app.path().to_path_buf()
    }
}
