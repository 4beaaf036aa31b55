//! The seven pages of the review, each drawn from the figures alone into
//! the body of the screen (below the header and page title, above the
//! keys line).

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::widgets::{Block, BorderType, Borders, Widget};

use crate::db::review::Review;
use crate::domain::AuthorityDomain;
use crate::review::figures::{Figures, PrevSource, compare, num, pct};
use crate::review::strings::ReviewStrings;
use crate::text::{fit, width};
use crate::tui::i18n::Lang;
use crate::tui::theme::Theme;
use crate::tui::widgets::put;

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

/// Draws `text` in big pixel digits of size `SIZES[from]` or smaller, the
/// largest that fits in `area`; as bold text when none does.
fn big(text: &str, style: Style, area: Rect, from: usize, buf: &mut Buffer) {
    use tui_big_text::BigText;
    let n = text.chars().count() as u16;
    for &(size, cw, ch) in SIZES.iter().skip(from) {
        if n * cw <= area.width && ch <= area.height {
            let top = area.y + (area.height - ch) / 2;
            let r = Rect {
                y: top,
                height: ch,
                ..area
            };
            BigText::builder()
                .pixel_size(size)
                .style(style)
                .centered()
                .lines(vec![text.to_string().into()])
                .build()
                .render(r, buf);
            return;
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

fn centered(text: &str, style: Style, x: u16, y: u16, w: u16, buf: &mut Buffer) {
    let tw = (width(text) as u16).min(w);
    put(buf, x + (w - tw) / 2, y, tw, text, style, false);
}

pub(super) fn overview(f: &Figures, s: &ReviewStrings, t: &Theme, body: Rect, buf: &mut Buffer) {
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
    let probe = panel(t, "").inner(Rect::new(0, 0, tw, th));
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
        let block = panel(t, label);
        let inner = block.inner(area);
        block.render(area, buf);
        if inner.height == 0 || inner.width == 0 {
            continue;
        }
        let digits = Rect {
            height: inner.height.saturating_sub(1),
            ..inner
        };
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

/// A gauge of `ratio` (0–1) over `w` cells: solid blocks, then a medium shade.
fn gauge(ratio: f64, w: usize) -> (String, String) {
    let filled = ((ratio.clamp(0.0, 1.0) * w as f64).round() as usize).min(w);
    ("█".repeat(filled), "▒".repeat(w - filled))
}

pub(super) fn targets(f: &Figures, s: &ReviewStrings, t: &Theme, body: Rect, buf: &mut Buffer) {
    let n = f.targets.len();
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
            let ratio = tl.value.map(|v| v / tl.target.max(1e-9)).unwrap_or(0.0);
            let (full, rest) = gauge(ratio, bar_w as usize);
            let style = if tl.on_pace { t.green } else { t.red };
            let bx = x + name_w + 1;
            put(buf, bx, y, bar_w, &full, style, false);
            put(
                buf,
                bx + width(&full) as u16,
                y,
                bar_w - width(&full) as u16,
                &rest,
                t.dim,
                false,
            );
            let value = match tl.value {
                Some(v) => format!("{}/{}{}", num(v), num(tl.target), tl.unit),
                None => format!("{}/{}", s.no_value, num(tl.target)),
            };
            put(buf, bx + bar_w + 1, y, val_w, &value, t.base, true);
            let mark = if tl.met {
                s.met_mark
            } else if tl.on_pace {
                s.on_pace_mark
            } else {
                s.behind_mark
            };
            put(buf, bx + bar_w + val_w + 2, y, mark_w, mark, style, false);
        }
    }
}

pub(super) fn units(f: &Figures, s: &ReviewStrings, t: &Theme, body: Rect, buf: &mut Buffer) {
    // Legend first: the symbols say what the colours say.
    let legend = [
        ("█", s.on_time, t.green),
        ("▓", s.late, t.yellow),
        ("▒", s.missing, t.red),
    ];
    let mut x = body.x;
    for (sym, label, style) in legend {
        put(buf, x, body.y, 2, sym, style, false);
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
    let max_due = f.units.iter().map(|u| u.due()).max().unwrap_or(1).max(1) as u16;
    let name_w: u16 = if colw >= 40 { 14 } else { 10 };
    let count_w: u16 = 8;
    let bar_w = colw.saturating_sub(name_w + count_w + 3);
    let cell = (bar_w / max_due).clamp(1, 12);
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
        let mut bx = x + name_w + 1;
        for (k, sym, style) in [
            (u.on_time, "█", t.green),
            (u.late, "▓", t.yellow),
            (u.missing, "▒", t.red),
        ] {
            let w = k as u16 * cell;
            if w > 0 {
                put(buf, bx, y, w, &sym.repeat(w as usize), style, false);
                bx += w;
            }
        }
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
            let (full, rest) = gauge(p as f64 / 100.0, (bar_w - 6) as usize);
            let bx = tx + total_w + 1;
            put(buf, bx, y, width(&full) as u16, &full, t.blue, false);
            put(
                buf,
                bx + width(&full) as u16,
                y,
                width(&rest) as u16,
                &rest,
                t.dim,
                false,
            );
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
