//! A small terminal emulator for the tests, where `vt100` cannot go: it can
//! draw East Asian Ambiguous characters two cells wide (as xterm
//! `-cjk_width`, Xshell, SecureCRT and PuTTY with CJK settings do), read its
//! input as strict GBK (every byte must be valid GBK, as a GBK client or
//! `luit -encoding GBK` needs), and understand kitty's text-sizing protocol
//! (OSC 66) when told to. It answers the queries a terminal answers
//! (cursor position, primary device attributes), computed from its own
//! width model, so a program that asks it learns what it is.
//!
//! Overwrites follow xterm: a character written over either half of a wide
//! character erases the whole of it. Such an event, and any line that
//! wraps, is recorded, for tests that want to know the program never drew
//! past a line's end or over half of a character.
#![allow(dead_code)]

use unicode_width::UnicodeWidthChar;

/// A cell's colour as the program set it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Colour {
    #[default]
    Default,
    /// 0–255 (the 16 basic colours are 0–15).
    Indexed(u8),
    Rgb(u8, u8, u8),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Attrs {
    pub fg: Colour,
    pub bg: Colour,
    pub bold: bool,
    pub reverse: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    /// What is drawn here; empty for the right half of a wide character
    /// and for the cells a scaled (OSC 66) block covers.
    pub text: String,
    /// The right half of a wide character (or covered by a scaled block).
    pub covered: bool,
    pub attrs: Attrs,
    /// The scale of an OSC 66 block drawn from here (1 = plain text).
    pub scale: u8,
}

impl Default for Cell {
    fn default() -> Cell {
        Cell {
            text: " ".into(),
            covered: false,
            attrs: Attrs::default(),
            scale: 1,
        }
    }
}

/// How the emulated terminal behaves.
#[derive(Debug, Clone, Copy, Default)]
pub struct Model {
    /// East Asian Ambiguous characters are two cells wide.
    pub ambiguous_wide: bool,
    /// Input is GBK; anything not valid GBK is recorded as an error.
    pub gbk: bool,
    /// Kitty's text-sizing protocol (OSC 66) is understood.
    pub text_sizing: bool,
}

pub struct Emu {
    pub model: Model,
    rows: usize,
    cols: usize,
    grid: Vec<Vec<Cell>>,
    row: usize,
    col: usize,
    /// The cursor is past the last column (the next character wraps).
    pending_wrap: bool,
    saved: (usize, usize),
    attrs: Attrs,
    autowrap: bool,
    parser: vte::Parser,
    /// Bytes held back: an incomplete GBK pair at the end of a write.
    held: Vec<u8>,
    /// Answers the terminal owes the program.
    pub answers: Vec<u8>,
    /// Bytes that were not valid GBK (with what came before them).
    pub gbk_errors: Vec<String>,
    /// Lines that wrapped because something was written past their end.
    pub wraps: Vec<String>,
    /// A wide character of which one half was overwritten.
    pub broken: Vec<String>,
    /// Control sequences this emulator does not know.
    pub unknown: Vec<String>,
    /// Every OSC 66 block drawn: (row, column, scale, text).
    pub sized: Vec<(usize, usize, u8, String)>,
}

impl Emu {
    pub fn new(rows: u16, cols: u16, model: Model) -> Emu {
        let (rows, cols) = (rows as usize, cols as usize);
        Emu {
            model,
            rows,
            cols,
            grid: vec![vec![Cell::default(); cols]; rows],
            row: 0,
            col: 0,
            pending_wrap: false,
            saved: (0, 0),
            attrs: Attrs::default(),
            autowrap: true,
            parser: vte::Parser::new(),
            held: Vec::new(),
            answers: Vec::new(),
            gbk_errors: Vec::new(),
            wraps: Vec::new(),
            broken: Vec::new(),
            unknown: Vec::new(),
            sized: Vec::new(),
        }
    }

    pub fn size(&self) -> (u16, u16) {
        (self.rows as u16, self.cols as u16)
    }

    /// Resizes as xterm does: the grid is cut or padded, the cursor kept inside.
    pub fn resize(&mut self, rows: u16, cols: u16) {
        let (rows, cols) = (rows as usize, cols as usize);
        self.grid.resize(rows, vec![Cell::default(); cols]);
        for r in &mut self.grid {
            r.resize(cols, Cell::default());
        }
        self.rows = rows;
        self.cols = cols;
        self.row = self.row.min(rows - 1);
        self.col = self.col.min(cols - 1);
        self.pending_wrap = false;
    }

    /// Feeds bytes the program wrote.
    pub fn feed(&mut self, bytes: &[u8]) {
        if !self.model.gbk {
            let mut parser = std::mem::take(&mut self.parser);
            parser.advance(self, bytes);
            self.parser = parser;
            return;
        }
        let mut all = std::mem::take(&mut self.held);
        all.extend_from_slice(bytes);
        let (text, rest) = strict_gbk(&all, &mut self.gbk_errors);
        self.held = rest;
        let mut parser = std::mem::take(&mut self.parser);
        parser.advance(self, text.as_bytes());
        self.parser = parser;
    }

    /// Takes the answers owed to the program.
    pub fn take_answers(&mut self) -> Vec<u8> {
        std::mem::take(&mut self.answers)
    }

    pub fn cell(&self, row: usize, col: usize) -> &Cell {
        &self.grid[row][col]
    }

    /// Cursor position, 0-based (row, column).
    pub fn cursor(&self) -> (usize, usize) {
        (self.row, self.col)
    }

    /// One row as text: wide characters once, covered cells skipped.
    pub fn row_text(&self, row: usize) -> String {
        self.grid[row]
            .iter()
            .filter(|c| !c.covered)
            .map(|c| c.text.as_str())
            .collect()
    }

    /// The screen as text, rows joined by newlines, trailing blanks trimmed.
    pub fn contents(&self) -> String {
        let mut rows: Vec<String> = (0..self.rows)
            .map(|r| self.row_text(r).trim_end().to_string())
            .collect();
        while rows.last().is_some_and(|r| r.is_empty()) {
            rows.pop();
        }
        rows.join("\n")
    }

    /// How many cells `c` takes on this terminal.
    pub fn char_width(&self, c: char) -> usize {
        if self.model.ambiguous_wide {
            c.width_cjk().unwrap_or(0)
        } else {
            c.width().unwrap_or(0)
        }
    }

    fn blank(&self) -> Cell {
        // Erasing fills with the current background, as xterm does.
        Cell {
            attrs: Attrs {
                bg: self.attrs.bg,
                ..Attrs::default()
            },
            ..Cell::default()
        }
    }

    /// The cell whose character covers (row, col): itself, the left half
    /// of a wide character, or the start of a scaled block.
    fn owner_of(&self, row: usize, col: usize) -> Option<(usize, usize)> {
        if !self.grid[row][col].covered {
            return Some((row, col));
        }
        if let Some(x) = (0..col).rev().find(|&x| !self.grid[row][x].covered)
            && x + self.span(&self.grid[row][x]) > col
        {
            return Some((row, x));
        }
        self.sized.iter().rev().find_map(|(r, c, s, t)| {
            let w = t.chars().map(|ch| self.char_width(ch)).sum::<usize>() * *s as usize;
            let live = self.grid[*r][*c].scale == *s && self.grid[*r][*c].text == *t;
            (live && (*r..r + *s as usize).contains(&row) && (*c..c + w).contains(&col)).then_some((*r, *c))
        })
    }

    /// Erases whatever character (wide or scaled) covers (row, col), so
    /// that the cell can be written. Writing over the right half of a wide
    /// character (`why` names what was written) is recorded.
    fn clear_owner(&mut self, row: usize, col: usize, why: &str) {
        let b = self.blank();
        let Some((r, c)) = self.owner_of(row, col) else {
            self.grid[row][col] = b;
            return;
        };
        let owner = self.grid[r][c].clone();
        let s = owner.scale as usize;
        let w = self.span(&owner);
        if w <= 1 && s == 1 {
            return;
        }
        if s == 1 && (r, c) != (row, col) && !why.is_empty() {
            self.broken.push(format!(
                "row {row}: {why} over the right half of {:?} at column {c}",
                owner.text
            ));
        }
        for y in r..(r + s).min(self.rows) {
            for x in c..(c + w).min(self.cols) {
                self.grid[y][x] = b.clone();
            }
        }
    }

    /// Cells a cell's text takes on this row.
    fn span(&self, cell: &Cell) -> usize {
        if cell.covered {
            return 1;
        }
        let w: usize = cell.text.chars().map(|ch| self.char_width(ch)).sum();
        (w * cell.scale as usize).max(1)
    }

    fn newline(&mut self) {
        if self.row + 1 >= self.rows {
            self.grid.remove(0);
            self.grid.push(vec![self.blank(); self.cols]);
        } else {
            self.row += 1;
        }
    }

    fn put_char(&mut self, ch: char) {
        let w = self.char_width(ch);
        if w == 0 {
            // Combining: joins the character before it.
            let (r, c) = (self.row, self.col.saturating_sub(1));
            self.grid[r][c].text.push(ch);
            return;
        }
        if self.pending_wrap || self.col + w > self.cols {
            if self.autowrap {
                self.wraps.push(format!(
                    "row {}: {ch:?} written past the end of the line: {:?}",
                    self.row,
                    self.row_text(self.row)
                ));
                self.pending_wrap = false;
                self.col = 0;
                self.newline();
            } else {
                self.col = self.cols - w;
            }
        }
        let (r, c) = (self.row, self.col);
        self.clear_owner(r, c, &format!("{ch:?}"));
        if w == 2 {
            // Over the right half of a wide character, or the left half of
            // the next one (which a program redrawing shifted text does:
            // not recorded, the next write covers the rest).
            let why = if self.grid[r][c + 1].covered {
                format!("{ch:?}")
            } else {
                String::new()
            };
            self.clear_owner(r, c + 1, &why);
        }
        self.grid[r][c] = Cell {
            text: ch.to_string(),
            covered: false,
            attrs: self.attrs,
            scale: 1,
        };
        if w == 2 {
            self.grid[r][c + 1] = Cell {
                text: String::new(),
                covered: true,
                attrs: self.attrs,
                scale: 1,
            };
        }
        if c + w >= self.cols {
            self.col = self.cols - 1;
            self.pending_wrap = true;
        } else {
            self.col = c + w;
        }
    }

    /// An OSC 66 block: `text` at `scale` times its size.
    fn put_sized(&mut self, scale: u8, text: &str) {
        let w: usize = text.chars().map(|c| self.char_width(c)).sum::<usize>() * scale as usize;
        let s = scale as usize;
        if self.col + w > self.cols || self.row + s > self.rows {
            self.wraps
                .push(format!("row {}: scaled {text:?} does not fit", self.row));
            return;
        }
        let (r, c) = (self.row, self.col);
        for dy in 0..s {
            for dx in 0..w {
                self.clear_owner(r + dy, c + dx, "");
                self.grid[r + dy][c + dx] = Cell {
                    text: String::new(),
                    covered: true,
                    attrs: self.attrs,
                    scale: 1,
                };
            }
        }
        self.grid[r][c] = Cell {
            text: text.to_string(),
            covered: false,
            attrs: self.attrs,
            scale,
        };
        self.sized.push((r, c, scale, text.to_string()));
        self.col = (c + w).min(self.cols - 1);
        self.pending_wrap = c + w >= self.cols;
    }

    fn erase(&mut self, row: usize, from: usize, to: usize) {
        for c in from..to.min(self.cols) {
            self.clear_owner(row, c, "");
            self.grid[row][c] = self.blank();
        }
    }

    fn sgr(&mut self, params: &vte::Params) {
        let flat: Vec<u16> = params.iter().flat_map(|p| p.iter().copied()).collect();
        if flat.is_empty() {
            self.attrs = Attrs::default();
            return;
        }
        let mut i = 0;
        while i < flat.len() {
            let p = flat[i];
            match p {
                0 => self.attrs = Attrs::default(),
                1 => self.attrs.bold = true,
                22 => self.attrs.bold = false,
                7 => self.attrs.reverse = true,
                27 => self.attrs.reverse = false,
                30..=37 => self.attrs.fg = Colour::Indexed((p - 30) as u8),
                90..=97 => self.attrs.fg = Colour::Indexed((p - 90 + 8) as u8),
                40..=47 => self.attrs.bg = Colour::Indexed((p - 40) as u8),
                100..=107 => self.attrs.bg = Colour::Indexed((p - 100 + 8) as u8),
                39 => self.attrs.fg = Colour::Default,
                49 => self.attrs.bg = Colour::Default,
                38 | 48 => {
                    let c = match flat.get(i + 1) {
                        Some(5) => {
                            let n = flat.get(i + 2).copied().unwrap_or(0) as u8;
                            i += 2;
                            Colour::Indexed(n)
                        }
                        Some(2) => {
                            let g = |k: usize| flat.get(i + k).copied().unwrap_or(0) as u8;
                            let c = Colour::Rgb(g(2), g(3), g(4));
                            i += 4;
                            c
                        }
                        _ => Colour::Default,
                    };
                    if p == 38 {
                        self.attrs.fg = c;
                    } else {
                        self.attrs.bg = c;
                    }
                }
                _ => {}
            }
            i += 1;
        }
    }
}

impl vte::Perform for Emu {
    fn print(&mut self, c: char) {
        self.put_char(c);
    }

    fn execute(&mut self, byte: u8) {
        match byte {
            b'\r' => {
                self.col = 0;
                self.pending_wrap = false;
            }
            b'\n' | 0x0b | 0x0c => {
                self.pending_wrap = false;
                self.newline();
            }
            0x08 => {
                self.pending_wrap = false;
                self.col = self.col.saturating_sub(1);
            }
            b'\t' => {
                self.col = ((self.col / 8 + 1) * 8).min(self.cols - 1);
            }
            0x07 => {}
            other => self.unknown.push(format!("C0 {other:#04x}")),
        }
    }

    fn csi_dispatch(&mut self, params: &vte::Params, intermediates: &[u8], _ignore: bool, action: char) {
        let p: Vec<u16> = params.iter().map(|p| p.first().copied().unwrap_or(0)).collect();
        let n = |k: usize, d: u16| p.get(k).copied().filter(|v| *v != 0).unwrap_or(d) as usize;
        let private = intermediates.first() == Some(&b'?');
        self.pending_wrap = self.pending_wrap && matches!(action, 'm');
        match (private, action) {
            (false, 'H' | 'f') => {
                self.row = (n(0, 1) - 1).min(self.rows - 1);
                self.col = (n(1, 1) - 1).min(self.cols - 1);
            }
            (false, 'A') => self.row = self.row.saturating_sub(n(0, 1)),
            (false, 'B') => self.row = (self.row + n(0, 1)).min(self.rows - 1),
            (false, 'C') => self.col = (self.col + n(0, 1)).min(self.cols - 1),
            (false, 'D') => self.col = self.col.saturating_sub(n(0, 1)),
            (false, 'G') => self.col = (n(0, 1) - 1).min(self.cols - 1),
            (false, 'd') => self.row = (n(0, 1) - 1).min(self.rows - 1),
            (false, 'J') => {
                let (r, c) = (self.row, self.col);
                match p.first().copied().unwrap_or(0) {
                    0 => {
                        self.erase(r, c, self.cols);
                        for y in r + 1..self.rows {
                            self.erase(y, 0, self.cols);
                        }
                    }
                    1 => {
                        for y in 0..r {
                            self.erase(y, 0, self.cols);
                        }
                        self.erase(r, 0, c + 1);
                    }
                    _ => {
                        for y in 0..self.rows {
                            self.erase(y, 0, self.cols);
                        }
                    }
                }
            }
            (false, 'K') => {
                let (r, c) = (self.row, self.col);
                match p.first().copied().unwrap_or(0) {
                    0 => self.erase(r, c, self.cols),
                    1 => self.erase(r, 0, c + 1),
                    _ => self.erase(r, 0, self.cols),
                }
            }
            (false, 'X') => {
                let (r, c) = (self.row, self.col);
                self.erase(r, c, c + n(0, 1));
            }
            (false, 'm') => self.sgr(params),
            (false, 'n') if p.first() == Some(&6) => {
                let col = self.col + 1;
                self.answers
                    .extend_from_slice(format!("\x1b[{};{}R", self.row + 1, col).as_bytes());
            }
            (false, 'c') => self.answers.extend_from_slice(b"\x1b[?62;22c"),
            (false, 'r') => {}
            (true, 'h' | 'l') => {
                let on = action == 'h';
                for m in &p {
                    match m {
                        7 => self.autowrap = on,
                        1049 | 1047 | 47 => {
                            for y in 0..self.rows {
                                self.erase(y, 0, self.cols);
                            }
                            if on {
                                self.row = 0;
                                self.col = 0;
                            }
                        }
                        // Cursor, synchronized output, bracketed paste,
                        // mouse, focus: nothing to draw.
                        25 | 2026 | 2004 | 1000 | 1002 | 1003 | 1006 | 1004 | 1 | 12 => {}
                        other => self.unknown.push(format!("DECSET {other}")),
                    }
                }
            }
            (false, 'h' | 'l') => {}
            _ => self.unknown.push(format!(
                "CSI {:?} {p:?} {action}",
                String::from_utf8_lossy(intermediates)
            )),
        }
    }

    fn esc_dispatch(&mut self, intermediates: &[u8], _ignore: bool, byte: u8) {
        match (intermediates, byte) {
            ([], b'7') => self.saved = (self.row, self.col),
            ([], b'8') => (self.row, self.col) = self.saved,
            ([], b'M') => self.row = self.row.saturating_sub(1),
            ([], b'=' | b'>') => {}
            ([b'(' | b')'], _) => {}
            _ => self.unknown.push(format!("ESC {intermediates:?} {}", byte as char)),
        }
    }

    fn osc_dispatch(&mut self, params: &[&[u8]], _bell_terminated: bool) {
        if params.first() != Some(&&b"66"[..]) {
            return;
        }
        if !self.model.text_sizing {
            // Unknown OSC: ignored, as xterm does.
            return;
        }
        let meta = String::from_utf8_lossy(params.get(1).copied().unwrap_or_default()).into_owned();
        let text = params
            .get(2..)
            .unwrap_or_default()
            .iter()
            .map(|p| String::from_utf8_lossy(p).into_owned())
            .collect::<Vec<_>>()
            .join(";");
        let mut scale = 1u8;
        for kv in meta.split(':') {
            if let Some(v) = kv.strip_prefix("s=") {
                scale = v.parse().unwrap_or(1).clamp(1, 7);
            }
        }
        self.put_sized(scale, &text);
    }
}

/// Decodes `b` as strict GBK (GB2312 and the GBK extension, two bytes at
/// most: no GB18030 four-byte codes, no lone 0x80). Errors are recorded and
/// the bytes shown as `?`. An incomplete pair at the end is returned to
/// wait for the next write.
pub fn strict_gbk(b: &[u8], errors: &mut Vec<String>) -> (String, Vec<u8>) {
    let mut out = String::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let lead = b[i];
        if lead < 0x80 {
            out.push(lead as char);
            i += 1;
            continue;
        }
        if !(0x81..=0xfe).contains(&lead) {
            errors.push(format!("byte {lead:#04x} after {:?}", tail(&out)));
            out.push('?');
            i += 1;
            continue;
        }
        let Some(&trail) = b.get(i + 1) else {
            return (out, b[i..].to_vec());
        };
        let valid_trail = (0x40..=0xfe).contains(&trail) && trail != 0x7f;
        let decoded = if valid_trail {
            let (s, _, bad) = encoding_rs::GBK.decode(&b[i..i + 2]);
            (!bad).then(|| s.into_owned())
        } else {
            None
        };
        match decoded {
            Some(s) => {
                out.push_str(&s);
                i += 2;
            }
            None => {
                errors.push(format!("bytes {lead:#04x} {trail:#04x} after {:?}", tail(&out)));
                out.push('?');
                i += 1;
            }
        }
    }
    (out, Vec::new())
}

fn tail(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    chars[chars.len().saturating_sub(20)..]
        .iter()
        .filter(|c| !c.is_control())
        .collect()
}
