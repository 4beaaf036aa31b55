//! What a person sees on an emulated screen (`emu.rs`): whether boxes are
//! whole, and where bars are and how long.
#![allow(dead_code)]

use super::emu::Emu;

/// What a bar cell stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BarCell {
    /// Solid: done, on time, the value's share.
    Full,
    /// Late.
    Late,
    /// Missing.
    Missing,
    /// The rest of a gauge.
    Rest,
}

/// How a cell reads as part of a bar, if it does: block glyphs, or (on
/// terminals that cannot draw those one cell wide) reverse-video cells and
/// ASCII.
pub fn bar_cell(emu: &Emu, row: usize, col: usize) -> Option<BarCell> {
    let c = emu.cell(row, col);
    if c.covered {
        return None;
    }
    match (c.text.as_str(), c.attrs.reverse) {
        ("█", false) | (" ", true) => Some(BarCell::Full),
        ("▓", false) | ("/", true) => Some(BarCell::Late),
        ("▒", false) | ("x", false) => Some(BarCell::Missing),
        ("░", false) | (".", false) => Some(BarCell::Rest),
        _ => None,
    }
}

/// A run of bar cells on a row: where it starts and its cells.
#[derive(Debug, Clone)]
pub struct Bar {
    pub col: usize,
    pub cells: Vec<BarCell>,
}

impl Bar {
    pub fn count(&self, k: BarCell) -> usize {
        self.cells.iter().filter(|c| **c == k).count()
    }
    pub fn len(&self) -> usize {
        self.cells.len()
    }
}

/// The runs of at least `min` bar cells on a row.
pub fn bars(emu: &Emu, row: usize, min: usize) -> Vec<Bar> {
    let (_, cols) = emu.size();
    let mut out = Vec::new();
    let mut cur: Option<Bar> = None;
    for col in 0..cols as usize {
        match (bar_cell(emu, row, col), &mut cur) {
            (Some(k), Some(b)) => b.cells.push(k),
            (Some(k), None) => cur = Some(Bar { col, cells: vec![k] }),
            (None, _) => {
                if let Some(b) = cur.take().filter(|b| b.len() >= min) {
                    out.push(b);
                }
            }
        }
    }
    if let Some(b) = cur.filter(|b| b.len() >= min) {
        out.push(b);
    }
    out
}

/// Box drawing and block elements (U+2500–U+259F): ambiguous, so two
/// cells wide on such a terminal, where neither a box nor pixel digits
/// could be drawn with them.
fn is_box_drawing(s: &str) -> bool {
    s.chars().any(|c| ('\u{2500}'..='\u{259f}').contains(&c))
}

/// What is wrong with the boxes on the screen of a terminal that draws
/// ambiguous characters wide: any box-drawing character (it would take
/// two cells, so a box could not close), and any ASCII box whose corners
/// and sides do not meet.
pub fn box_problems(emu: &Emu) -> Vec<String> {
    let (rows, cols) = emu.size();
    let (rows, cols) = (rows as usize, cols as usize);
    let at = |r: usize, c: usize| -> &str {
        if r >= rows || c >= cols || emu.cell(r, c).covered {
            ""
        } else {
            emu.cell(r, c).text.as_str()
        }
    };
    let mut out = Vec::new();
    for r in 0..rows {
        for c in 0..cols {
            if is_box_drawing(at(r, c)) {
                out.push(format!(
                    "({c},{r}) {:?} drawn two cells wide: {}",
                    at(r, c),
                    emu.row_text(r)
                ));
            }
        }
    }
    // Top-left corners: a '+' with a line to its right and below it.
    for r in 0..rows {
        for c in 0..cols {
            if at(r, c) != "+" || at(r, c + 1) != "-" || at(r + 1, c) != "|" {
                continue;
            }
            // The top-right corner: the next '+' on the row with a side below.
            let Some(c2) = (c + 1..cols).find(|&x| at(r, x) == "+" && matches!(at(r + 1, x), "|" | "+")) else {
                out.push(format!(
                    "({c},{r}): a box without a top-right corner: {}",
                    emu.row_text(r)
                ));
                continue;
            };
            let Some(r2) = (r + 1..rows).find(|&y| at(y, c) != "|") else {
                out.push(format!("({c},{r}): a box whose left side runs off the screen"));
                continue;
            };
            if at(r2, c) != "+" {
                out.push(format!(
                    "({c},{r2}): the left side of the box at ({c},{r}) ends in {:?}: {}",
                    at(r2, c),
                    emu.row_text(r2)
                ));
                continue;
            }
            if at(r2, c2) != "+" {
                out.push(format!(
                    "({c2},{r2}): the box at ({c},{r}) has no bottom-right corner ({:?}): {}",
                    at(r2, c2),
                    emu.row_text(r2)
                ));
            }
            if let Some(y) = (r + 1..r2).find(|&y| at(y, c2) != "|") {
                out.push(format!(
                    "({c2},{y}): the right side of the box at ({c},{r}) is broken ({:?}): {}",
                    at(y, c2),
                    emu.row_text(y)
                ));
            }
        }
    }
    out
}
