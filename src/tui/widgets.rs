//! Drawing helpers shared by the panes: a double-width-aware table, and
//! sanitized text. Every string from the database is drawn through here.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};

use super::theme::Theme;
use crate::text::{fit, fit_right, one_line, width};

/// A table column: title, width in columns (0 = share the rest), alignment.
#[derive(Debug, Clone)]
pub struct Col {
    pub title: String,
    pub width: u16,
    pub right: bool,
}

impl Col {
    pub fn new(title: &str, width: u16) -> Col {
        Col {
            title: title.to_string(),
            width,
            right: false,
        }
    }
    pub fn flex(title: &str) -> Col {
        Col {
            title: title.to_string(),
            width: 0,
            right: false,
        }
    }
    pub fn right(title: &str, width: u16) -> Col {
        Col {
            title: title.to_string(),
            width,
            right: true,
        }
    }
}

/// A table cell: sanitized, single-line text with a style.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    pub text: String,
    pub style: Style,
}

impl Cell {
    /// Text from anywhere (the database included): sanitized here.
    pub fn new(text: impl AsRef<str>, style: Style) -> Cell {
        Cell {
            text: one_line(text.as_ref()),
            style,
        }
    }
    pub fn plain(text: impl AsRef<str>) -> Cell {
        Cell::new(text, Style::default())
    }
}

/// Width of a column that must show its title and every one of `labels` whole.
pub fn label_width(title: &str, labels: impl IntoIterator<Item = String>) -> u16 {
    labels
        .into_iter()
        .map(|l| width(&l))
        .chain([width(title)])
        .max()
        .unwrap_or(0) as u16
}

/// A bordered box with a title, as the summary panels use.
pub fn titled_block<'a>(theme: &Theme, title: &str) -> ratatui::widgets::Block<'a> {
    ratatui::widgets::Block::default()
        .borders(ratatui::widgets::Borders::ALL)
        .border_style(theme.border)
        .title(ratatui::text::Span::styled(
            format!(" {} ", one_line(title)),
            theme.title,
        ))
}

/// Column widths for `total` columns with one space between columns.
pub fn widths(cols: &[Col], total: u16) -> Vec<u16> {
    let gaps = cols.len().saturating_sub(1) as u16;
    let fixed: u16 = cols.iter().map(|c| c.width).sum();
    let flex = cols.iter().filter(|c| c.width == 0).count() as u16;
    let rest = total.saturating_sub(fixed + gaps);
    cols.iter()
        .map(|c| if c.width == 0 { rest / flex.max(1) } else { c.width })
        .collect()
}

/// Writes `text` fitted to `w` columns at (x, y).
pub fn put(buf: &mut Buffer, x: u16, y: u16, w: u16, text: &str, style: Style, right: bool) {
    if w == 0 {
        return;
    }
    // Text may come from the database: sanitized here, where it is drawn.
    let clean = one_line(text);
    let s = if right {
        fit_right(&clean, w as usize)
    } else {
        fit(&clean, w as usize)
    };
    buf.set_stringn(x, y, s, w as usize, style);
}

/// Width of the marks gutter, shown while any row of a list is marked.
pub const MARK_W: u16 = 2;

/// Draws a header row and `rows` (already the visible slice); `selected` is an
/// index into `rows`. `marks` (one per row, or empty) adds a gutter with a ✓
/// on each marked row.
pub fn table(
    buf: &mut Buffer,
    area: Rect,
    cols: &[Col],
    rows: &[Vec<Cell>],
    selected: Option<usize>,
    marks: &[bool],
    theme: &Theme,
) {
    if area.height == 0 || area.width == 0 {
        return;
    }
    let gutter = if marks.is_empty() { 0 } else { MARK_W.min(area.width) };
    let ws = widths(cols, area.width - gutter);
    let mut x = area.x + gutter;
    for (c, w) in cols.iter().zip(&ws) {
        put(buf, x, area.y, *w, &c.title, theme.title, c.right);
        x += w + 1;
    }
    for (i, row) in rows.iter().enumerate().take(area.height.saturating_sub(1) as usize) {
        let y = area.y + 1 + i as u16;
        let sel = selected == Some(i);
        if sel {
            buf.set_style(
                Rect {
                    x: area.x,
                    y,
                    width: area.width,
                    height: 1,
                },
                theme.selected,
            );
        }
        if marks.get(i) == Some(&true) {
            let style = if sel {
                theme.key.patch(theme.selected)
            } else {
                theme.key
            };
            put(buf, area.x, y, gutter, "✓", style, false);
        }
        let mut x = area.x + gutter;
        for ((c, w), cell) in cols.iter().zip(&ws).zip(row) {
            let style = if sel {
                readable(cell.style.patch(theme.selected), theme)
            } else {
                cell.style
            };
            put(buf, x, y, *w, &cell.text, style, c.right);
            x += w + 1;
        }
    }
}

/// A selected cell whose text colour is the selection's background (grey
/// on grey), or that is dark grey in a reverse-video selection (the Linux
/// console: black on black), takes the selection's own text colour.
pub fn readable(style: ratatui::style::Style, theme: &Theme) -> ratatui::style::Style {
    use ratatui::style::Color;
    let reversed = theme.selected.bg.is_none() && theme.selected.add_modifier.contains(Modifier::REVERSED);
    if reversed && matches!(style.fg, Some(Color::DarkGray | Color::Black)) {
        return ratatui::style::Style {
            fg: Some(Color::Reset),
            ..style
        };
    }
    if style.fg.is_some() && style.fg == theme.selected.bg {
        ratatui::style::Style {
            fg: theme.selected.fg.or(Some(ratatui::style::Color::Reset)),
            ..style
        }
    } else {
        style
    }
}

/// Why a part has nothing to show: it is still being read, or it could
/// not be read (then the reason was said). Never shown as zeros or "no rows".
pub fn not_read(s: &crate::i18n::Strings, loading: bool, unreadable: bool) -> Option<&'static str> {
    if loading {
        Some(s.loading)
    } else if unreadable {
        Some(s.unreadable)
    } else {
        None
    }
}

/// What an empty table says in place of its rows (see [`not_read`]).
pub fn not_read_state(buf: &mut Buffer, table: Rect, why: &str, theme: &Theme) {
    if table.height > 1 {
        put(buf, table.x, table.y + 1, table.width, why, theme.dim, false);
    }
}

/// The line under a table's header when it shows nothing: "no rows" when
/// there are none, "nothing matches" when the filter hid them all.
pub fn empty_state(buf: &mut Buffer, table: Rect, has_rows: bool, s: &crate::i18n::Strings, theme: &Theme) {
    if table.height > 1 {
        let msg = if has_rows { s.no_match } else { s.no_rows };
        put(buf, table.x, table.y + 1, table.width, msg, theme.dim, false);
    }
}

/// Wraps sanitized text into lines of at most `w` columns (double-width
/// aware). Closing punctuation never starts a line, opening punctuation never
/// ends one, and runs of ASCII letters and digits (2025, R&D) stay whole.
pub fn wrap(text: &str, w: usize) -> Vec<String> {
    let w = w.max(2);
    let clean = crate::text::sanitize(text);
    let mut out = Vec::new();
    for para in clean.split('\n') {
        // Continuation lines keep the paragraph's indent (up to half the width).
        let indent_w = para.chars().take_while(|c| *c == ' ').count().min(w / 2);
        let indent = " ".repeat(indent_w);
        let mut line = String::new();
        let mut lw = 0;
        let start_line = |out: &mut Vec<String>, line: &mut String, lw: &mut usize| {
            out.push(std::mem::take(line));
            line.push_str(&indent);
            *lw = indent_w;
        };
        for token in tokens(para) {
            let tw = width(&token);
            if lw + tw > w && lw > indent_w {
                start_line(&mut out, &mut line, &mut lw);
                if token == " " {
                    continue;
                }
            }
            if tw > w - indent_w {
                // A token wider than the line: break it by characters.
                for c in token.chars() {
                    let cw = width(c.encode_utf8(&mut [0; 4]));
                    if lw + cw > w && lw > indent_w {
                        start_line(&mut out, &mut line, &mut lw);
                    }
                    line.push(c);
                    lw += cw;
                }
            } else {
                line.push_str(&token);
                lw += tw;
            }
        }
        out.push(line);
    }
    out
}

const CLOSING: &str = "，。、；：！？）”’》」』】,.;:!?)%…";
const OPENING: &str = "（“‘《「『【(";

/// Splits a paragraph into pieces that must not be broken apart.
fn tokens(para: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for c in para.chars() {
        let c = if c == '\t' { ' ' } else { c };
        let join = match out.last().and_then(|t| t.chars().last()) {
            None => false,
            Some(prev) => {
                CLOSING.contains(c)
                    || OPENING.contains(prev)
                    || (c.is_ascii_alphanumeric() && (prev.is_ascii_alphanumeric() || prev == '&' || prev == '.'))
                    || (c == '&' && prev.is_ascii_alphanumeric())
            }
        };
        match out.last_mut() {
            Some(t) if join => t.push(c),
            _ => out.push(c.to_string()),
        }
    }
    out
}

/// What a bar cell stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BarPart {
    /// Done, on time, the value's share of its goal.
    Full,
    /// Late.
    Late,
    /// Missing.
    Missing,
    /// The rest of a gauge.
    Rest,
}

/// Whether bars are drawn with reverse video and ASCII rather than block
/// elements: where ambiguous characters are two cells wide (a block would
/// take two) and on GBK terminals (GBK lacks ▒ and ░).
pub fn plain_bars() -> bool {
    crate::text::ambiguous_wide() || crate::text::gbk_only()
}

/// The symbol and modifier a bar cell is drawn with on this terminal. Each
/// part has its own symbol, so the parts are told apart without colour
/// (NO_COLOR): █ ▓ ▒ ░, or a reverse-video blank, a reverse-video /, x and
/// a dot.
pub fn bar_glyph(part: BarPart) -> (&'static str, Modifier) {
    if plain_bars() {
        match part {
            BarPart::Full => (" ", Modifier::REVERSED),
            BarPart::Late => ("/", Modifier::REVERSED),
            BarPart::Missing => ("x", Modifier::empty()),
            BarPart::Rest => (".", Modifier::empty()),
        }
    } else {
        match part {
            BarPart::Full => ("█", Modifier::empty()),
            BarPart::Late => ("▓", Modifier::empty()),
            BarPart::Missing => ("▒", Modifier::empty()),
            BarPart::Rest => ("░", Modifier::empty()),
        }
    }
}

/// Draws a bar from (x, y): segments of `cells` cells each, one cell per
/// column whatever the terminal, cut at `w` columns in all. Returns the
/// columns drawn.
pub fn draw_bar(buf: &mut Buffer, x: u16, y: u16, w: u16, segments: &[(u16, BarPart, Style)]) -> u16 {
    let mut at = 0u16;
    for (cells, part, style) in segments {
        let (sym, m) = bar_glyph(*part);
        for _ in 0..*cells {
            if at >= w || !buf.area.contains(ratatui::layout::Position::new(x + at, y)) {
                return at;
            }
            let cell = &mut buf[(x + at, y)];
            cell.set_symbol(sym);
            cell.set_style(style.add_modifier(m));
            at += 1;
        }
    }
    at
}

/// Cells of `w` for `part` of `whole`, halves rounded up; 0 when `whole`
/// is 0.
pub fn share(part: f64, whole: f64, w: u16) -> u16 {
    if whole <= 0.0 {
        return 0;
    }
    ((part.clamp(0.0, whole) * w as f64 + whole / 2.0) / whole)
        .floor()
        .min(w as f64) as u16
}

/// A one-line gauge over `w` cells from (x, y): `done` of `total` filled
/// in `style`, the rest in `rest`.
pub fn gauge(buf: &mut Buffer, (x, y, w): (u16, u16, u16), done: f64, total: f64, (style, rest): (Style, Style)) {
    let filled = share(done, total, w);
    draw_bar(
        buf,
        x,
        y,
        w,
        &[(filled, BarPart::Full, style), (w - filled, BarPart::Rest, rest)],
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_respects_width() {
        let lines = wrap("建立自治区知识产权维权援助工作中心。", 10);
        assert!(lines.iter().all(|l| width(l) <= 10), "{lines:?}");
        assert_eq!(lines.concat(), "建立自治区知识产权维权援助工作中心。");
        assert_eq!(wrap("a\x1b[2Jb", 40), ["a␛[2Jb"]);
        // No line starts with closing punctuation; numbers stay whole.
        let lines = wrap("继续执行到2025年12月，打造创新创业新型生态。", 12);
        assert!(lines.iter().all(|l| !l.starts_with(['，', '。'])), "{lines:?}");
        assert!(
            lines.iter().any(|l| l.contains("2025")) && lines.iter().any(|l| l.contains("12月")),
            "{lines:?}"
        );
        let lines = wrap("终端太小，请放大到至少 80×24（当前 20×5）", 20);
        assert!(lines.iter().all(|l| !l.starts_with('）')), "{lines:?}");
        // Continuation lines keep the indent of their paragraph.
        let lines = wrap("    围绕“引导支持众创空间、科技企业孵化器”，已印发配套实施细则。", 20);
        assert!(lines.len() > 2, "{lines:?}");
        assert!(
            lines.iter().all(|l| l.starts_with("    ") && width(l) <= 20),
            "{lines:?}"
        );
    }

    #[test]
    fn widths_share_the_rest() {
        let w = widths(&[Col::new("a", 10), Col::flex("b"), Col::new("c", 5)], 40);
        assert_eq!(w, [10, 23, 5]);
        let mut b = Buffer::empty(Rect::new(0, 0, 6, 1));
        gauge(&mut b, (1, 0, 4), 1.0, 2.0, (Style::default(), Style::default()));
        let row: String = (0..6).map(|x| b[(x, 0)].symbol()).collect();
        assert_eq!(row, " ██░░ ");
    }
}
