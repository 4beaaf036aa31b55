//! The seven pages of the review, each drawn from the figures alone into
//! the body of the screen (below the header and page title, above the
//! keys line).

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::widgets::{Block, BorderType, Borders, Widget};

use crate::domain::AuthorityDomain;
use crate::figures::Review;
use crate::figures::{Figures, PrevSource, compare, num, pct};
use crate::i18n::Lang;
use crate::review::strings::ReviewStrings;
use crate::text::{fit, width};
use crate::tui::theme::Theme;
use crate::tui::widgets::put;

/// A label the terminal draws `scale` times as wide and tall as text
/// (kitty's text-sizing protocol, OSC 66), where it was asked and said it
/// can. The page leaves it room: `scale` rows from `y`, `scale` times the
/// text's width from `x`.
#[derive(Debug, Clone, PartialEq)]
pub struct BigLabel {
    pub x: u16,
    pub y: u16,
    pub scale: u16,
    /// Our own words (a page title, a label): nothing from the database.
    pub text: String,
    pub style: Style,
}

impl BigLabel {
    /// Puts the label in the frame, after the frame was sanitized: one
    /// cell holds the sequence and says how wide it is; the cells it covers
    /// are left to it (ratatui does not draw them).
    pub fn draw(&self, buf: &mut Buffer) {
        use ratatui::buffer::CellDiffOption;
        let text = crate::text::one_line(&self.text);
        let w = width(&text) as u16 * self.scale;
        let area = Rect::new(self.x, self.y, w, self.scale).intersection(buf.area);
        if area.width < w || area.height < self.scale || w == 0 {
            return;
        }
        for y in area.top()..area.bottom() {
            for x in area.left()..area.right() {
                let c = &mut buf[(x, y)];
                c.set_symbol(" ");
                c.diff_option = CellDiffOption::Skip;
            }
        }
        let c = &mut buf[(self.x, self.y)];
        c.set_symbol(&format!("\x1b]66;s={};{text}\x07", self.scale));
        c.set_style(self.style);
        c.diff_option = CellDiffOption::ForcedWidth(std::num::NonZeroU16::new(w).unwrap_or(std::num::NonZeroU16::MIN));
    }
}

/// A thick-bordered panel (no thin lines that vanish on a projector).
fn panel<'a>(t: &Theme, title: &'a str) -> Block<'a> {
    Block::default()
        .borders(Borders::ALL)
        .border_type(BorderType::Thick)
        .border_style(t.border)
        .title(format!(" {title} "))
        .title_style(t.title)
}

/// Pixel sizes of the big digits, largest first: (size, columns and rows per character).
const SIZES: [(tui_big_text::PixelSize, u16, u16); 3] = [
    (tui_big_text::PixelSize::Full, 8, 8),
    (tui_big_text::PixelSize::HalfHeight, 8, 4),
    (tui_big_text::PixelSize::Quadrant, 4, 4),
];

/// The largest size at which `chars` characters fit in `area` (an index
/// into [`SIZES`]; `SIZES.len()` when none fits).
fn fitting(chars: u16, area: Rect) -> usize {
    SIZES
        .iter()
        .position(|(_, cw, ch)| chars * cw <= area.width && *ch <= area.height)
        .unwrap_or(SIZES.len())
}

/// Draws `text` in big pixel digits in `area`. At size `SIZES[0]` (eight
/// rows or more) the 8×8 font is scaled to fill the area: rows by whole
/// multiples, columns to all but a margin of two on each side, a pixel
/// never more than four times as wide as tall. Smaller, size `SIZES[from]`
/// or below as it fits where the terminal draws those glyphs one cell wide,
/// else the 8×8 font squeezed to the rows there are; as bold text when
/// none fits.
fn big(text: &str, style: Style, area: Rect, from: usize, buf: &mut Buffer) {
    let n = text.chars().count() as u16;
    let plain = crate::tui::widgets::plain_bars();
    if from == 0 && area.height >= 8 && n * 8 <= area.width {
        scaled(text, style, area, area.height / 8 * 8, buf);
        return;
    }
    if plain {
        // Quadrants and half blocks would be two cells wide, or not in GBK.
        if area.height >= 5 && n * 8 * 3 <= area.width * 4 {
            scaled(text, style, area, area.height.min(8), buf);
            return;
        }
    } else {
        for &(size, cw, ch) in SIZES.iter().skip(from.max(1)) {
            if n * cw <= area.width && ch <= area.height {
                let top = area.y + (area.height - ch) / 2;
                let r = Rect {
                    y: top,
                    height: ch,
                    ..area
                };
                tui_big_text::BigText::builder()
                    .pixel_size(size)
                    .style(style)
                    .centered()
                    .lines(vec![text.to_string().into()])
                    .build()
                    .render(r, buf);
                return;
            }
        }
    }
    let w = width(text) as u16;
    let x = area.x + area.width.saturating_sub(w) / 2;
    put(
        buf,
        x,
        area.y + area.height / 2,
        area.width.min(w),
        text,
        style.add_modifier(Modifier::BOLD),
        false,
    );
}

/// The 8×8 font drawn `rows` rows high, centred in `area`, its pixels as
/// wide as fills the area (see [`big`]), each pixel a solid bar cell.
fn scaled(text: &str, style: Style, area: Rect, rows: u16, buf: &mut Buffer) {
    let n = text.chars().count() as u16;
    let src = Rect::new(0, 0, n * 8, 8);
    let mut glyphs = Buffer::empty(src);
    tui_big_text::BigText::builder()
        .pixel_size(tui_big_text::PixelSize::Full)
        .lines(vec![text.to_string().into()])
        .build()
        .render(src, &mut glyphs);
    let per_row = (rows / 8).max(1);
    let room = area.width.saturating_sub(4).max(src.width.min(area.width));
    let cols = room.min(src.width * 4 * per_row);
    let x0 = area.x + (area.width - cols) / 2;
    let y0 = area.y + (area.height - rows) / 2;
    for y in 0..rows {
        let sy = y * 8 / rows;
        for x in 0..cols {
            let sx = (x as u32 * src.width as u32 / cols as u32) as u16;
            if glyphs[(sx, sy)].symbol() != " " {
                crate::tui::widgets::draw_bar(
                    buf,
                    x0 + x,
                    y0 + y,
                    1,
                    &[(1, crate::tui::widgets::BarPart::Full, style)],
                );
            }
        }
    }
}

fn centered(text: &str, style: Style, x: u16, y: u16, w: u16, buf: &mut Buffer) {
    let tw = (width(text) as u16).min(w);
    put(buf, x + (w - tw) / 2, y, tw, text, style, false);
}

/// Page 1. With `big`, each tile's label is drawn twice the size inside
/// it, above the digits (collected there; see [`BigLabel`]).
pub(super) fn overview(
    f: &Figures,
    s: &ReviewStrings,
    t: &Theme,
    body: Rect,
    buf: &mut Buffer,
    mut labels: Option<&mut Vec<BigLabel>>,
) {
    let h = &f.headline;
    let pct_text = |p: Option<i64>| p.map(|p| format!("{p}%")).unwrap_or_else(|| "—".into());
    let tiles = [
        (
            s.on_time,
            pct_text(h.on_time_pct()),
            s.reports_line(h),
            if h.reports_missing > 0 { t.yellow } else { t.green },
        ),
        (
            s.overdue,
            h.overdue_items.to_string(),
            format!("{} {} · {} {}", h.overdue_items, s.items, s.escalated_n, h.escalated),
            if h.overdue_items > 0 { t.red } else { t.green },
        ),
        (
            s.checklist,
            pct_text(h.checklist_pct()),
            format!("{}/{} · {}", h.checklist_done, h.checklist_total, s.done_of),
            t.blue,
        ),
        (
            s.on_pace,
            format!("{}/{}", h.targets_on_pace, h.targets_total),
            format!("{}/{} {}", h.targets_on_pace, h.targets_total, s.of_targets),
            if h.targets_on_pace == h.targets_total {
                t.green
            } else {
                t.yellow
            },
        ),
    ];
    // 2×2 tiles; one row of four on a wide, low screen.
    let (cols, rows) = if body.width >= 4 * 34 && body.height < 20 {
        (4, 1)
    } else {
        (2, 2)
    };
    let tw = body.width / cols;
    let th = body.height / rows;
    // One size for every tile: the largest at which the longest figure fits.
    let longest = tiles.iter().map(|t| t.1.chars().count()).max().unwrap_or(1) as u16;
    let inner_of = |r: Rect| panel(t, "").inner(r);
    let probe = inner_of(Rect::new(0, 0, tw, th));
    let size = fitting(
        longest,
        Rect {
            height: probe.height.saturating_sub(1),
            ..probe
        },
    );
    for (i, (label, value, sub, style)) in tiles.iter().enumerate() {
        let (c, r) = (i as u16 % cols, i as u16 / cols);
        let area = Rect {
            x: body.x + c * tw,
            y: body.y + r * th,
            width: if c == cols - 1 { body.width - c * tw } else { tw },
            height: if r == rows - 1 { body.height - r * th } else { th },
        };
        // A label drawn large needs two rows and twice its width.
        let large =
            labels.is_some() && inner_of(area).height >= 12 && width(label) as u16 * 2 + 2 <= inner_of(area).width;
        let block = panel(t, if large { "" } else { label });
        let inner = block.inner(area);
        block.render(area, buf);
        if inner.height == 0 || inner.width == 0 {
            continue;
        }
        let mut digits = Rect {
            height: inner.height.saturating_sub(1),
            ..inner
        };
        if large && let Some(labels) = labels.as_deref_mut() {
            let lw = width(label) as u16 * 2;
            put(
                buf,
                inner.x + (inner.width - lw) / 2,
                inner.y,
                lw,
                label,
                t.title,
                false,
            );
            labels.push(BigLabel {
                x: inner.x + (inner.width - lw) / 2,
                y: inner.y,
                scale: 2,
                text: label.to_string(),
                style: t.title,
            });
            digits.y += 2;
            digits.height = digits.height.saturating_sub(2);
        }
        big(value, *style, digits, size, buf);
        // The first tile's line shortened where it does not fit.
        let short;
        let sub = if i == 0 && width(sub) > inner.width as usize {
            short = format!(
                "{}/{} · {} {} · {} {}",
                h.reports_on_time, h.reports_due, s.late, h.reports_late, s.missing, h.reports_missing
            );
            &short
        } else {
            sub
        };
        centered(sub, t.base, inner.x, inner.bottom() - 1, inner.width, buf);
    }
}

pub(super) fn targets(f: &Figures, s: &ReviewStrings, t: &Theme, body: Rect, buf: &mut Buffer) {
    let n = f.targets.len();
    // With room for two lines a target (a large screen): its name, value
    // and mark, then its bar across the whole width.
    if n > 0 && body.height as usize >= 2 * n && body.width >= 60 {
        let step = if body.height as usize >= 3 * n { 3 } else { 2 };
        let w = body.width;
        let mark_w: u16 = 10;
        let val_w: u16 = (w / 5).clamp(10, 24);
        let name_w = w.saturating_sub(mark_w + val_w + 2);
        for (i, tl) in f.targets.iter().enumerate() {
            let y = body.y + (i * step) as u16;
            put(buf, body.x, y, name_w, &tl.name, t.title, false);
            let (value, mark, style) = target_texts(tl, s, t);
            put(buf, body.x + name_w + 1, y, val_w, &value, t.base, true);
            put(buf, body.x + name_w + val_w + 2, y, mark_w, mark, style, false);
            let (v, goal) = (tl.value.unwrap_or(0.0), tl.target.max(1e-9));
            crate::tui::widgets::gauge(buf, (body.x, y + 1, w), v, goal, (style, t.dim));
        }
        return;
    }
    let cols: usize = if body.width >= 160 && n > body.height as usize {
        2
    } else {
        1
    };
    let per_col = n.div_ceil(cols).max(1);
    let step = if per_col * 2 <= body.height as usize { 2 } else { 1 };
    let colw = body.width / cols as u16;
    for (c, chunk) in f.targets.chunks(per_col).enumerate() {
        let x = body.x + c as u16 * colw;
        let w = colw.saturating_sub(1);
        let name_w = (w / 3).clamp(8, 30);
        let mark_w: u16 = 10;
        let val_w: u16 = (w / 5).clamp(10, 24);
        let bar_w = w.saturating_sub(name_w + mark_w + val_w + 3);
        let rows = body.height as usize / step;
        for (i, tl) in chunk.iter().enumerate() {
            let y = body.y + (i * step) as u16;
            if i >= rows {
                break;
            }
            if i + 1 == rows && chunk.len() > rows {
                put(buf, x, y, w, &format!("… +{}", chunk.len() - i), t.dim, false);
                break;
            }
            put(buf, x, y, name_w, &tl.name, t.base, false);
            let (value, mark, style) = target_texts(tl, s, t);
            let bx = x + name_w + 1;
            let (v, goal) = (tl.value.unwrap_or(0.0), tl.target.max(1e-9));
            crate::tui::widgets::gauge(buf, (bx, y, bar_w), v, goal, (style, t.dim));
            put(buf, bx + bar_w + 1, y, val_w, &value, t.base, true);
            put(buf, bx + bar_w + val_w + 2, y, mark_w, mark, style, false);
        }
    }
}

/// A target's value ("36/40家"), its mark (met, on pace, behind) and the
/// style of both its mark and its bar.
fn target_texts(tl: &crate::figures::TargetLine, s: &ReviewStrings, t: &Theme) -> (String, &'static str, Style) {
    let value = match tl.value {
        Some(v) => format!("{}/{}{}", num(v), num(tl.target), tl.unit),
        None => format!("{}/{}", s.no_value, num(tl.target)),
    };
    let mark = if tl.met {
        s.met_mark
    } else if tl.on_pace {
        s.on_pace_mark
    } else {
        s.behind_mark
    };
    (value, mark, if tl.on_pace { t.green } else { t.red })
}

pub(super) fn units(f: &Figures, s: &ReviewStrings, t: &Theme, body: Rect, buf: &mut Buffer) {
    use crate::tui::widgets::{BarPart, draw_bar, share};
    // Legend first: the symbols say what the colours say.
    let legend = [
        (BarPart::Full, s.on_time, t.green),
        (BarPart::Late, s.late, t.yellow),
        (BarPart::Missing, s.missing, t.red),
    ];
    let mut x = body.x;
    for (part, label, style) in legend {
        draw_bar(buf, x, body.y, 1, &[(1, part, style)]);
        let lw = width(label) as u16 + 2;
        put(buf, x + 2, body.y, lw, label, t.base, false);
        x += lw + 2;
    }
    let area = Rect {
        y: body.y + 1,
        height: body.height - 1,
        ..body
    };
    let n = f.units.len();
    if n == 0 {
        put(buf, area.x, area.y, area.width, s.none, t.dim, false);
        return;
    }
    let rows = area.height as usize;
    let max_cols = (area.width / 26).max(1) as usize;
    let cols = n.div_ceil(rows).clamp(1, max_cols);
    let colw = area.width / cols as u16;
    let max_due = f.units.iter().map(|u| u.due()).max().unwrap_or(1).max(1) as f64;
    let name_w: u16 = if colw >= 40 { 14 } else { 10 };
    let count_w: u16 = 8;
    let bar_w = colw.saturating_sub(name_w + count_w + 3);
    let shown = (rows * cols).min(n);
    for (i, u) in f.units.iter().take(shown).enumerate() {
        let (c, r) = (i / rows, i % rows);
        let x = area.x + c as u16 * colw;
        let y = area.y + r as u16;
        if i + 1 == shown && shown < n {
            put(buf, x, y, colw, &format!("… +{}", n - i), t.dim, false);
            break;
        }
        put(buf, x, y, name_w, &u.short, t.base, false);
        // Every report the same share of the bar, whichever unit: ends
        // rounded from the start, so the parts add up.
        let end = |k: i64| share(k as f64, max_due, bar_w);
        let (a, b, e) = (end(u.on_time), end(u.on_time + u.late), end(u.due()));
        draw_bar(
            buf,
            x + name_w + 1,
            y,
            bar_w,
            &[
                (a, BarPart::Full, t.green),
                (b - a, BarPart::Late, t.yellow),
                (e - b, BarPart::Missing, t.red),
            ],
        );
        let counts = format!("{}/{}/{}", u.on_time, u.late, u.missing);
        put(buf, x + name_w + 1 + bar_w + 1, y, count_w, &counts, t.base, false);
    }
}

pub(super) fn ranking(f: &Figures, s: &ReviewStrings, t: &Theme, body: Rect, buf: &mut Buffer) {
    let side = body.width >= 100;
    let (a, b) = if side {
        let w = body.width / 2;
        (
            Rect { width: w - 1, ..body },
            Rect {
                x: body.x + w + 1,
                width: body.width - w - 1,
                ..body
            },
        )
    } else {
        let h = body.height / 2;
        (
            Rect { height: h, ..body },
            Rect {
                y: body.y + h,
                height: body.height - h,
                ..body
            },
        )
    };
    let best = f.best();
    let block = panel(t, s.best);
    let inner = block.inner(a);
    block.render(a, buf);
    let head = format!("{:<4}{}", s.rank, s.unit);
    let inner = rule_line(
        buf,
        inner,
        t,
        [s.rule(s.best_rule, &best), s.rule(s.best_rule_short, &best)],
    );
    table_rows(
        buf,
        inner,
        t,
        &head,
        s.on_time,
        best.rows
            .iter()
            .map(|r| {
                (
                    r.rank,
                    r.unit.unit.clone(),
                    format!("{}/{}", r.unit.on_time, r.unit.due()),
                )
            })
            .collect(),
        t.green,
        s.none,
    );
    let worst = f.worst();
    let block = panel(t, s.worst);
    let inner = block.inner(b);
    block.render(b, buf);
    let inner = rule_line(
        buf,
        inner,
        t,
        [s.rule(s.worst_rule, &worst), s.rule(s.worst_rule_short, &worst)],
    );
    table_rows(
        buf,
        inner,
        t,
        &head,
        &format!("{} · {} · {}", s.overdue_items, s.missing, s.longest),
        worst
            .rows
            .iter()
            .map(|r| {
                let u = r.unit;
                (
                    r.rank,
                    u.unit.clone(),
                    format!("{} · {} · {}", u.overdue_items, u.missing, u.max_days_overdue),
                )
            })
            .collect(),
        t.red,
        s.none,
    );
}

/// The ranking's rule at the bottom of its panel, wrapped to its width:
/// the whole rule where it fits in a third of the panel (three lines at
/// most), else its short form; returns the area left above it.
fn rule_line(buf: &mut Buffer, area: Rect, t: &Theme, [long, short]: [String; 2]) -> Rect {
    let room = (area.height / 3).min(3) as usize;
    let mut lines = crate::tui::widgets::wrap(&long, area.width as usize);
    if lines.len() > room {
        lines = crate::tui::widgets::wrap(&short, area.width as usize);
    }
    let n = lines.len().min(room) as u16;
    if n == 0 {
        return area;
    }
    for (i, l) in lines.iter().take(n as usize).enumerate() {
        put(
            buf,
            area.x,
            area.y + area.height - n + i as u16,
            area.width,
            l,
            t.dim,
            false,
        );
    }
    Rect {
        height: area.height - n,
        ..area
    }
}

#[allow(clippy::too_many_arguments)]
fn table_rows(
    buf: &mut Buffer,
    area: Rect,
    t: &Theme,
    head: &str,
    right_head: &str,
    rows: Vec<(usize, String, String)>,
    style: Style,
    none: &str,
) {
    if area.height == 0 || area.width < 10 {
        return;
    }
    let rw = (area.width / 2).min(width(right_head).max(12) as u16);
    put(buf, area.x, area.y, area.width - rw, head, t.title, false);
    put(buf, area.right() - rw, area.y, rw, right_head, t.title, true);
    if rows.is_empty() {
        if area.height > 1 {
            put(buf, area.x, area.y + 1, area.width, none, t.dim, false);
        }
        return;
    }
    let step = if rows.len() * 2 < area.height as usize { 2 } else { 1 };
    for (i, (rank, name, value)) in rows.iter().enumerate() {
        let y = area.y + 1 + (i * step) as u16;
        if y >= area.bottom() {
            break;
        }
        put(buf, area.x, y, 4, &rank.to_string(), t.key, false);
        put(buf, area.x + 4, y, area.width - rw - 4, name, t.base, false);
        put(buf, area.right() - rw, y, rw, value, style, true);
    }
}

pub(super) fn checklist(f: &Figures, s: &ReviewStrings, t: &Theme, lang: Lang, body: Rect, buf: &mut Buffer) {
    let n = AuthorityDomain::ALL.len() as u16;
    let zone_w: u16 = if body.width >= 120 { 18 } else { 12 };
    let total_w: u16 = 8;
    let cell_w = ((body.width.saturating_sub(zone_w + total_w + 2)) / (n + 1)).max(4);
    let bar_w = body.width.saturating_sub(zone_w + total_w + cell_w * n + 2);
    let label = |d: AuthorityDomain| lang.s().domain_short(d);
    put(buf, body.x, body.y, zone_w, s.zone, t.title, false);
    for (i, d) in AuthorityDomain::ALL.iter().enumerate() {
        put(
            buf,
            // A column apart from its neighbour.
            body.x + zone_w + i as u16 * cell_w + 1,
            body.y,
            cell_w - 1,
            label(*d),
            t.title,
            true,
        );
    }
    let tx = body.x + zone_w + n * cell_w + 1;
    put(buf, tx, body.y, total_w, s.total, t.title, true);
    // Rows spread over the screen: up to three lines apart on a projector.
    let step = (body.height as usize / (f.zones.len() + 2)).clamp(1, 3);
    let mut y = body.y + step as u16;
    let line = |y: u16, name: &str, cells: &[(i64, i64)], done: i64, total: i64, buf: &mut Buffer, bold: bool| {
        let base = if bold { t.title } else { t.base };
        put(buf, body.x, y, zone_w, name, base, false);
        for (i, (d, n)) in cells.iter().enumerate() {
            let (text, style) = if *n == 0 {
                ("·".to_string(), t.dim)
            } else if d == n {
                (format!("{d}/{n}"), t.green)
            } else {
                (format!("{d}/{n}"), base)
            };
            put(buf, body.x + zone_w + i as u16 * cell_w, y, cell_w, &text, style, true);
        }
        put(buf, tx, y, total_w, &format!("{done}/{total}"), base, true);
        if bar_w >= 6 {
            let p = pct(done, total).unwrap_or(0);
            let bx = tx + total_w + 1;
            crate::tui::widgets::gauge(buf, (bx, y, bar_w - 6), p as f64, 100.0, (t.blue, t.dim));
            put(buf, bx + (bar_w - 6), y, 5, &format!("{p}%"), base, true);
        }
    };
    for z in &f.zones {
        if y >= body.bottom() {
            return;
        }
        line(y, &z.zone, &z.domains, z.done, z.total, buf, false);
        y += step as u16;
    }
    if y < body.bottom() {
        let totals = f.domain_totals();
        line(
            y,
            s.total,
            &totals,
            f.headline.checklist_done,
            f.headline.checklist_total,
            buf,
            true,
        );
    }
}

pub(super) fn escalated(f: &Figures, s: &ReviewStrings, t: &Theme, body: Rect, buf: &mut Buffer) {
    use crate::tui::widgets::wrap;
    if f.escalated.is_empty() {
        centered(
            s.none_escalated,
            t.title,
            body.x,
            body.y + body.height / 2,
            body.width,
            buf,
        );
        return;
    }
    // Each item gets an equal share of the rows: its title, then the unit,
    // dates and note, wrapped; a blank line between items when room allows.
    let n = f.escalated.len();
    let share = (body.height as usize / n).max(2);
    let w = body.width as usize;
    let mut y = body.y;
    for (i, e) in f.escalated.iter().enumerate() {
        if y + 1 >= body.bottom() {
            let left = n - i;
            put(
                buf,
                body.x,
                body.bottom() - 1,
                body.width,
                &format!("… +{left}"),
                t.dim,
                false,
            );
            return;
        }
        let over = if e.days_overdue > 0 {
            format!(" · {} {}", s.days_over, e.days_overdue)
        } else {
            String::new()
        };
        let at = e.escalated_at.get(..10).unwrap_or(&e.escalated_at);
        let head = wrap(&format!("{}. {}  {}", i + 1, e.id, e.title), w);
        let detail = wrap(
            &format!(
                "    {} {}{} · {} · {} · {} {} {}",
                s.due_date, e.due, over, e.note, e.unit, s.escalated_by, e.escalated_by, at
            ),
            w,
        );
        let room = share - usize::from(share > 3);
        let head_rows = head.len().min(room.saturating_sub(1).max(1));
        let style = if e.days_overdue > 0 { t.red } else { t.base };
        let lines = head
            .iter()
            .take(head_rows)
            .map(|l| (l, t.title))
            .chain(detail.iter().map(|l| (l, style)))
            .take(room);
        for (line, st) in lines {
            if y >= body.bottom() {
                return;
            }
            put(buf, body.x, y, body.width, line, st, false);
            y += 1;
        }
        if share > 3 {
            y += 1;
        }
    }
}

pub(super) fn quarter_on_quarter(d: &Review, s: &ReviewStrings, t: &Theme, body: Rect, buf: &mut Buffer) {
    let changes = compare(&d.figures.headline, &d.prev.headline);
    let num_w: u16 = if body.width >= 120 { 16 } else { 10 };
    let change_w: u16 = if body.width >= 120 { 20 } else { 14 };
    let name_w = body.width.saturating_sub(2 * num_w + change_w + 3).min(40);
    // The table centred on a wide screen.
    let total = name_w + 2 * num_w + change_w + 3;
    let body = Rect {
        x: body.x + body.width.saturating_sub(total) / 2,
        width: total.min(body.width),
        ..body
    };
    let heads = [
        s.metric.to_string(),
        d.figures.quarter.clone(),
        d.prev.quarter.clone(),
        s.change.to_string(),
    ];
    let xs = [
        body.x,
        body.x + name_w + 1,
        body.x + name_w + num_w + 2,
        body.x + name_w + 2 * num_w + 3,
    ];
    let ws = [name_w, num_w, num_w, change_w];
    for i in 0..4 {
        put(buf, xs[i], body.y, ws[i], &heads[i], t.title, i > 0);
    }
    let step = (body.height as usize / (changes.len() + 3)).clamp(1, 3);
    let opt = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_else(|| "—".into());
    for (i, c) in changes.iter().enumerate() {
        let y = body.y + ((i + 1) * step) as u16;
        if y >= body.bottom() {
            break;
        }
        put(buf, xs[0], y, ws[0], s.metric(c.metric), t.base, false);
        put(buf, xs[1], y, ws[1], &opt(c.this), t.title, true);
        put(buf, xs[2], y, ws[2], &opt(c.prev), t.base, true);
        let (text, style) = match (c.delta(), c.better()) {
            (Some(d), Some(true)) => (
                format!("{} {:+} {}", if d > 0 { "▲" } else { "▼" }, d, s.better),
                t.green,
            ),
            (Some(d), Some(false)) => (format!("{} {:+} {}", if d > 0 { "▲" } else { "▼" }, d, s.worse), t.red),
            (Some(_), None) => (format!("= {}", s.same), t.base),
            (None, _) => ("—".into(), t.dim),
        };
        put(buf, xs[3], y, ws[3], &text, style, true);
    }
    let note = match d.prev_source {
        PrevSource::Snapshot => s.prev_snapshot,
        PrevSource::Recomputed => s.prev_recomputed,
    };
    let y = body.y + ((changes.len() + 1) * step) as u16;
    if y < body.bottom() {
        put(
            buf,
            body.x,
            y,
            body.width,
            &fit(note, body.width as usize),
            t.dim,
            false,
        );
    }
}
