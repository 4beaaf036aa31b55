//! A screen drawn as the console draws it — through its frame backend,
//! frame after frame, only what changed — into the test emulator
//! (`emu.rs`), so a test sees what a given kind of terminal shows and can
//! compare it with what the program meant to show.
#![allow(dead_code)]

use std::io::Write;
use std::sync::{Arc, Mutex};

use dudao::tui::Screen;
use dudao::tui::term::{Charset, ColorDepth, FrameBackend, FrameWriter, TermEnv};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier};

use super::emu::{Attrs, Colour, Emu, Model};

/// Collects what the backend writes.
#[derive(Clone, Default)]
struct Sink(Arc<Mutex<Vec<u8>>>);

impl Write for Sink {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

pub struct Through {
    term: ratatui::Terminal<FrameBackend>,
    sink: Sink,
    pub emu: Emu,
    /// Every byte written so far.
    pub bytes: Vec<u8>,
    /// The last frame drawn.
    pub last: Buffer,
}

impl Through {
    pub fn new(w: u16, h: u16, charset: Charset, model: Model) -> Through {
        let sink = Sink::default();
        let env = TermEnv {
            charset,
            colors: ColorDepth::Full,
            linux_console: false,
        };
        let backend = FrameBackend::new(FrameWriter::new(env, Box::new(sink.clone())));
        let area = Rect::new(0, 0, w, h);
        let term = ratatui::Terminal::with_options(
            backend,
            ratatui::TerminalOptions {
                viewport: ratatui::Viewport::Fixed(area),
            },
        )
        .unwrap();
        Through {
            term,
            sink,
            emu: Emu::new(h, w, model),
            bytes: Vec::new(),
            last: Buffer::empty(area),
        }
    }

    fn pump(&mut self) {
        let out = std::mem::take(&mut *self.sink.0.lock().unwrap());
        self.emu.feed(&out);
        self.emu.take_answers();
        self.bytes.extend_from_slice(&out);
    }

    /// Draws one frame of `screen` (only what changed since the last, as
    /// the console does) and returns what the program meant to show.
    pub fn draw<S: Screen>(&mut self, screen: &S) -> Buffer {
        let frame = self.term.draw(|f| screen.draw(f.area(), f.buffer_mut())).unwrap();
        self.last = frame.buffer.clone();
        self.pump();
        self.last.clone()
    }

    /// Clears the screen and forgets the last frame, as the console does
    /// when the size or the width of ambiguous characters changes.
    pub fn clear(&mut self) {
        let area = self.term.get_frame().area();
        self.term.backend_mut().write_all(b"\x1b[2J").unwrap();
        self.term.resize(area).unwrap();
        self.pump();
    }

    /// Resizes both the program's terminal and the emulator.
    pub fn resize(&mut self, w: u16, h: u16) {
        self.emu.resize(h, w);
        self.term.resize(Rect::new(0, 0, w, h)).unwrap();
        self.pump();
    }

    /// Where the emulated screen differs from the last frame the program
    /// drew: text, the covered half of a wide character, colours, bold and
    /// reverse video. Empty when the terminal shows what was meant.
    pub fn mismatches(&self) -> Vec<String> {
        let buf = &self.last;
        let mut out = Vec::new();
        for y in 0..buf.area.height as usize {
            let mut x = 0usize;
            while x < buf.area.width as usize {
                let cell = &buf[(x as u16, y as u16)];
                let sym = cell.symbol();
                let got = self.emu.cell(y, x);
                let span = if sym.is_empty() {
                    1
                } else {
                    sym.chars().map(|c| self.emu.char_width(c)).sum::<usize>().max(1)
                };
                if sym.is_empty() {
                    if !got.covered {
                        out.push(format!(
                            "({x},{y}): meant the right half of a wide character, shows {:?}",
                            got.text
                        ));
                    }
                } else if got.covered || got.text != sym {
                    out.push(format!(
                        "({x},{y}): meant {sym:?}, shows {:?}{}\n  meant: {}\n  shows: {}",
                        got.text,
                        if got.covered { " (covered)" } else { "" },
                        row_of(buf, y),
                        self.emu.row_text(y)
                    ));
                } else if want_attrs(cell) != got.attrs {
                    out.push(format!(
                        "({x},{y}) {sym:?}: meant {:?}, shows {:?}",
                        want_attrs(cell),
                        got.attrs
                    ));
                }
                for k in 1..span {
                    if x + k >= buf.area.width as usize {
                        out.push(format!("({x},{y}): {sym:?} runs past the edge"));
                        break;
                    }
                    let hidden = buf[((x + k) as u16, y as u16)].symbol();
                    if !hidden.is_empty() && hidden != " " {
                        out.push(format!(
                            "({},{y}): {hidden:?} is hidden behind {sym:?}\n  meant: {}",
                            x + k,
                            row_of(buf, y)
                        ));
                    }
                    if !self.emu.cell(y, x + k).covered {
                        out.push(format!("({},{y}): {sym:?} should cover this cell", x + k));
                    }
                }
                x += span;
            }
            if out.len() > 20 {
                break;
            }
        }
        out
    }

    /// Panics with the differences when the terminal does not show what
    /// the program meant, or a line wrapped, or half a character was
    /// overwritten.
    pub fn assert_shown(&self, what: &str) {
        let m = self.mismatches();
        assert!(
            m.is_empty() && self.emu.wraps.is_empty() && self.emu.broken.is_empty(),
            "{what}: the terminal does not show what was meant\n{}\nwrapped: {:?}\nbroken: {:?}\n--- screen ---\n{}",
            m.join("\n"),
            self.emu.wraps,
            self.emu.broken,
            self.emu.contents()
        );
    }
}

/// A row of a buffer as text, covered cells left out.
pub fn row_of(buf: &Buffer, y: usize) -> String {
    (0..buf.area.width)
        .map(|x| buf[(x, y as u16)].symbol())
        .collect::<Vec<_>>()
        .concat()
}

fn colour(c: Color) -> Colour {
    match c {
        Color::Reset => Colour::Default,
        Color::Black => Colour::Indexed(0),
        Color::Red => Colour::Indexed(1),
        Color::Green => Colour::Indexed(2),
        Color::Yellow => Colour::Indexed(3),
        Color::Blue => Colour::Indexed(4),
        Color::Magenta => Colour::Indexed(5),
        Color::Cyan => Colour::Indexed(6),
        Color::Gray => Colour::Indexed(7),
        Color::DarkGray => Colour::Indexed(8),
        Color::LightRed => Colour::Indexed(9),
        Color::LightGreen => Colour::Indexed(10),
        Color::LightYellow => Colour::Indexed(11),
        Color::LightBlue => Colour::Indexed(12),
        Color::LightMagenta => Colour::Indexed(13),
        Color::LightCyan => Colour::Indexed(14),
        Color::White => Colour::Indexed(15),
        Color::Indexed(n) => Colour::Indexed(n),
        Color::Rgb(r, g, b) => Colour::Rgb(r, g, b),
    }
}

fn want_attrs(cell: &ratatui::buffer::Cell) -> Attrs {
    Attrs {
        fg: colour(cell.fg),
        bg: colour(cell.bg),
        bold: cell.modifier.contains(Modifier::BOLD),
        reverse: cell.modifier.contains(Modifier::REVERSED),
    }
}
