//! The screen's frame: the header, the tab bar and the footer, drawn from a
//! [`Chrome`] snapshot; the screen too small to use; and the last pass over
//! every frame (nothing dangerous leaves, each row is what this terminal
//! shows). The console (`app/view.rs`) draws the panes and overlays
//! between them.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use super::ctx::RenderCtx;
use super::intent::{Message, Tone};
use super::layout::{MIN_H, MIN_W};
use super::panes::Pane;
use super::widgets::{put, wrap};
use crate::i18n::fill;
use crate::text::{is_dangerous, one_line, width};

/// What the header, the tab bar and the footer show: a snapshot the
/// console takes for each frame, as the panes are drawn from their state
/// and the [`RenderCtx`].
pub struct Chrome<'a> {
    /// The database file's name.
    pub db_label: &'a str,
    pub user: &'a str,
    /// "Today" was set (`--today`, a sample's date), not read off the clock.
    pub today_set: bool,
    /// When another user's change was last read.
    pub external_update: Option<&'a str>,
    pub pane: Pane,
    /// Monthly reports past due and not received.
    pub overdue_reports: usize,
    pub unread: i64,
    /// Checklist items done, of all.
    pub checklist_progress: (usize, usize),
    /// Alerts at 通报 and red (snoozed ones left out).
    pub circular: usize,
    pub red: usize,
    pub message: Option<&'a Message>,
    /// The filter line is open.
    pub typing_filter: bool,
    /// The focused pane's filter.
    pub filter: &'a str,
    /// An overlay is open (the footer's list state is left out).
    pub overlay_open: bool,
    /// Rows marked: (shown, hidden by the filter).
    pub marks: (usize, usize),
    pub position: Option<(usize, usize)>,
    pub sort_label: &'static str,
    /// Key hints: (key, what it does), those that do something now.
    pub hints: Vec<(String, &'static str)>,
}

/// The last line of defence: no control, bidi or other forbidden character
/// leaves in a frame, whichever widget drew it (the text editor draws what
/// was typed or pasted as it is). Then each row is made what this terminal
/// will show (see [`reflow`]).
pub fn sanitize_frame(area: Rect, buf: &mut Buffer) {
    for y in area.top()..area.bottom() {
        for x in area.left()..area.right() {
            let cell = &mut buf[(x, y)];
            if cell.symbol().chars().any(is_dangerous) {
                cell.set_symbol("\u{FFFD}");
            }
        }
    }
    if crate::text::ambiguous_wide() || crate::text::gbk_only() {
        for y in area.top()..area.bottom() {
            reflow(buf, area, y);
        }
    }
}

/// Line drawing and block characters as ASCII, for terminals that draw
/// them two cells wide (a whole border would not fit, nor pixel digits).
fn ascii_of(sym: &str) -> Option<&'static str> {
    let mut chars = sym.chars();
    let c = chars.next()?;
    if chars.next().is_some() {
        return None;
    }
    Some(match c {
        '─' | '━' | '═' | '┄' | '┅' | '┈' | '┉' | '╌' | '╍' | '╴' | '╶' | '╸' | '╺' => "-",
        '│' | '┃' | '║' | '┆' | '┇' | '┊' | '┋' | '╎' | '╏' | '╵' | '╷' | '╹' | '╻' => "|",
        '\u{2500}'..='\u{257f}' => "+",
        '░' => ".",
        '▏' | '▎' | '▕' => "|",
        '\u{2580}'..='\u{259f}' => "#",
        _ => return None,
    })
}

/// The symbol a cell is sent as on this terminal: box drawing as ASCII
/// where ambiguous characters are wide, characters GBK lacks as their
/// stand-ins on a GBK terminal. `None`: as it is.
fn shown_as(sym: &str) -> Option<String> {
    if crate::text::ambiguous_wide()
        && let Some(a) = ascii_of(sym)
    {
        return Some(a.to_string());
    }
    if crate::text::gbk_only() && !sym.chars().all(crate::text::in_gbk) {
        return Some(sym.chars().map(crate::text::gbk_stand_in).collect());
    }
    None
}

/// Makes row `y` what this terminal shows. Each cell is sent as
/// [`shown_as`] says; a symbol the terminal draws wider than ratatui laid it
/// out (an ambiguous character where those are wide, a stand-in such as ！
/// for ‼) gets the cells it covers, marked as a wide character's second
/// half, and the row gives back as many blanks after it: preferably one of
/// two or more blanks in a row (padding), so that "● 未阅" keeps its space,
/// else the first blank. Text is measured the same way ([`crate::text::width`]),
/// so every column keeps the blanks this needs; a row never grows past the
/// screen, and a wide character cut in half at the edge becomes a blank.
pub fn reflow(buf: &mut Buffer, area: Rect, y: u16) {
    use ratatui::style::Modifier;
    use unicode_width::UnicodeWidthStr;
    let mut out: Vec<ratatui::buffer::Cell> = Vec::with_capacity(area.width as usize + 4);
    // Cells a blank may be taken from, and where the owed ones were added.
    let mut free: Vec<bool> = Vec::with_capacity(area.width as usize + 4);
    let mut added: Vec<usize> = Vec::new();
    // Cells covered by the wide character before them (kept as they are).
    let mut covered = 0usize;
    for x in area.left()..area.right() {
        let mut c = buf[(x, y)].clone();
        if covered > 0 {
            covered -= 1;
            out.push(c);
            free.push(false);
            continue;
        }
        let placed = UnicodeWidthStr::width(c.symbol());
        covered = placed.saturating_sub(1);
        if let Some(s) = shown_as(c.symbol()) {
            c.set_symbol(&s);
        }
        let shown = crate::text::width(c.symbol());
        let blank = c.symbol() == " " && !c.modifier.contains(Modifier::REVERSED);
        out.push(c.clone());
        free.push(blank);
        for _ in placed.max(1)..shown {
            // The second half, as ratatui marks a wide character's.
            let mut rest = c.clone();
            rest.set_symbol("");
            out.push(rest);
            free.push(false);
            added.push(out.len() - 1);
        }
    }
    // Give the blanks back, rightmost debt first so that indices before it hold.
    for &at in added.iter().rev() {
        let run = (at + 1..out.len()).find(|&j| free[j] && (j + 1 == out.len() || free[j + 1]));
        if let Some(j) = run.or_else(|| (at + 1..out.len()).find(|&j| free[j])) {
            out.remove(j);
            free.remove(j);
        }
    }
    let w = area.width as usize;
    out.truncate(w);
    // A wide character cut in half at the edge becomes a blank.
    if out.len() == w
        && let Some(last) = out.last_mut()
        && crate::text::width(last.symbol()) > 1
    {
        last.set_symbol(" ");
    }
    while out.len() < w {
        out.push(ratatui::buffer::Cell::default());
    }
    for (i, c) in out.into_iter().enumerate() {
        buf[(area.x + i as u16, y)] = c;
    }
}

/// The screen below the smallest usable size: what to do, whether a
/// form's typed text is kept (q then does not quit), and how many keys
/// were not acted on.
pub fn too_small(ctx: &RenderCtx, area: Rect, buf: &mut Buffer, typed: bool, dropped: usize) {
    let s = ctx.s;
    let mut text = format!(
        "{} {MIN_W}×{MIN_H}（{} {}×{}）",
        if typed { s.too_small_form } else { s.too_small },
        s.current,
        area.width,
        area.height
    );
    if dropped > 0 {
        text.push_str(&fill(s.keys_dropped, &[&dropped]));
    }
    let lines: Vec<Line> = wrap(&text, area.width.max(1) as usize)
        .into_iter()
        .map(|l| Line::styled(l, ctx.theme.title))
        .collect();
    let h = (lines.len() as u16).min(area.height);
    let y = area.y + (area.height - h) / 2;
    Paragraph::new(lines).render(Rect { y, height: h, ..area }, buf);
}

pub fn render_header(ctx: &RenderCtx, c: &Chrome, area: Rect, buf: &mut Buffer) {
    let s = ctx.s;
    let th = ctx.theme;
    buf.set_style(area, th.header);
    let wide = area.width >= 120;
    let office = if wide { s.office } else { s.office_short };
    let left = format!(" 督导 dudao · {office}");
    let lw = (width(&left) as u16 + 2).min(area.width);
    put(buf, area.x, area.y, lw, &left, th.header, false);
    // The parts on the right, most important last; when they do not fit,
    // the file name goes first, then the user, then the sync time's words.
    let sync = |wide: bool| {
        c.external_update.map(|t| {
            if wide {
                format!("⟳ {} {t}", s.updated)
            } else {
                format!("⟳ {} {}", s.updated_short, t.get(..5).unwrap_or(t))
            }
        })
    };
    let room = area.width.saturating_sub(lw) as usize;
    let candidates = [
        (wide, true, true),
        (false, true, true),
        (false, false, true),
        (false, false, false),
    ];
    let mut right = String::new();
    for (wide_sync, with_db, with_user) in candidates {
        let mut parts: Vec<String> = Vec::new();
        parts.extend(sync(wide_sync));
        if with_db {
            parts.push(one_line(c.db_label));
        }
        if with_user {
            parts.push(format!("{} {}", s.user, one_line(c.user)));
        }
        let label = if c.today_set { s.today_set } else { s.as_of };
        parts.push(format!("{label} {} ", ctx.today));
        let body = parts.join(" · ");
        right = if ctx.read_only {
            format!(" {} {body}", s.read_only)
        } else {
            body
        };
        if width(&right) <= room {
            break;
        }
    }
    // Still too long: cut from the front.
    let mut shown = right.as_str();
    while width(shown) > room {
        let mut chars = shown.chars();
        chars.next();
        shown = chars.as_str();
    }
    let rw = width(shown) as u16;
    let x = area.x + area.width - rw;
    put(buf, x, area.y, rw, shown, th.header, false);
    if ctx.read_only && shown.len() == right.len() {
        let bw = (width(s.read_only) as u16 + 2).min(rw);
        buf.set_style(
            Rect {
                x,
                y: area.y,
                width: bw,
                height: 1,
            },
            th.badge,
        );
    }
}

pub fn render_tabs(ctx: &RenderCtx, c: &Chrome, area: Rect, buf: &mut Buffer) {
    let s = ctx.s;
    let th = ctx.theme;
    let loading = ctx.loading;
    let unreadable = ctx.unreadable;
    // A figure still being read shows as "…", one that could not be read
    // as "?": never as a zero.
    let missing = if loading.alerts {
        "…".to_string()
    } else if unreadable.alerts {
        "?".to_string()
    } else {
        c.overdue_reports.to_string()
    };
    let unread = if unreadable.unread {
        "?".to_string()
    } else {
        c.unread.to_string()
    };
    let (done, total) = c.checklist_progress;
    let pct = match (done * 100).checked_div(total) {
        _ if loading.checklist => "…".to_string(),
        _ if unreadable.checklist => "?".to_string(),
        p => format!("{}%", p.unwrap_or(0)),
    };
    let labels = [
        format!(
            " 1 {} {}{}{unread} {}{}{} ",
            s.panes[0], s.unread, s.gap, s.overdue, s.gap, missing
        ),
        format!(" 2 {} {pct} ", s.panes[1]),
        format!(" 3 {} ", s.panes[2]),
        {
            if loading.alerts {
                format!(" 4 {} … ", s.panes[3])
            } else if unreadable.alerts {
                format!(" 4 {} ? ", s.panes[3])
            } else {
                use crate::domain::AlertLevel::{Circular, Red};
                // With 通报 items, both counts by their symbols (the tab bar fits 80 columns).
                let (circular, red) = (c.circular, c.red);
                if circular > 0 {
                    let (_, cs) = th.alert(Circular);
                    let (_, rs) = th.alert(Red);
                    format!(" 4 {} {cs}{circular} {rs}{red} ", s.panes[3])
                } else {
                    format!(" 4 {} {}{}{red} ", s.panes[3], s.alert_level(Red), s.gap)
                }
            }
        },
    ];
    let mut spans = Vec::new();
    for (i, l) in labels.iter().enumerate() {
        let style = if i == c.pane.index() { th.tab_active } else { th.tab };
        spans.push(Span::styled(l.clone(), style));
        spans.push(Span::styled("│", th.border));
    }
    Paragraph::new(Line::from(spans)).render(area, buf);
}

pub fn render_footer(ctx: &RenderCtx, c: &Chrome, area: Rect, buf: &mut Buffer) {
    let s = ctx.s;
    let th = ctx.theme;
    if c.typing_filter {
        let line = Line::from(vec![
            Span::styled(format!("{}{}", s.filter, s.colon), th.key),
            Span::raw(one_line(c.filter)),
            Span::styled("▏", th.key),
            Span::styled("   Enter ✓  Esc ✗", th.dim),
        ]);
        Paragraph::new(line).render(area, buf);
        return;
    }
    if let Some(m) = c.message {
        let style = match m.tone {
            Tone::Info => th.yellow,
            Tone::Good => th.green,
            Tone::Bad => th.red,
        };
        put(buf, area.x, area.y, area.width, &one_line(&m.text), style, false);
        return;
    }
    // Right: marks, position, filter, sort — always shown.
    let mut state = String::new();
    if !c.overlay_open {
        let (shown, hidden) = c.marks;
        if shown + hidden > 0 {
            state.push_str(&format!("{} {shown}", s.marked));
            if hidden > 0 {
                state.push_str(&crate::i18n::fill(s.marks_hidden, &[&hidden]));
            }
            state.push_str(&format!(" · {}  ", s.clear_marks));
        }
        if let Some((sel, total)) = c.position {
            state.push_str(&format!("{sel}/{total}  "));
        }
        if !c.filter.is_empty() {
            state.push_str(&format!("[{}{}{}]  ", s.filter, s.colon, one_line(c.filter)));
        }
        state.push_str(&format!("{}{}{}", s.sort, s.colon, c.sort_label));
    }
    let sw = (width(&state) as u16).min(area.width);
    put(buf, area.x + area.width - sw, area.y, sw, &state, th.dim, false);
    // Left: key hints, as many as fit.
    let mut x = area.x;
    let limit = area.x + area.width.saturating_sub(sw + 1);
    for (key, label) in c.hints.iter().map(|(k, l)| (k.as_str(), *l)) {
        let label = format!(" {label}  ");
        let w = (width(key) + width(&label)) as u16;
        if x + w > limit {
            break;
        }
        put(buf, x, area.y, width(key) as u16, key, th.key, false);
        put(
            buf,
            x + width(key) as u16,
            area.y,
            width(&label) as u16,
            &label,
            th.base,
            false,
        );
        x += w;
    }
}
