//! The whole screen as `impl Widget for &App`: header, tabs, the focused
//! pane, the dashboard column, footer hints from the keymap, and the overlay
//! stack. Everything is laid out from the area being drawn.

use crate::tui::intent::Tone;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use super::action::Action;
use super::app::App;
use super::ctx::RenderCtx;
use super::keymap::Scope;
use super::layout::{self, MIN_H, MIN_W};
use super::overlay::{self, Overlay};
use super::panes::{self, Pane, side::SideData};
use super::widgets::{put, wrap};
use crate::i18n::fill;
use crate::text::{is_dangerous, one_line, width};

impl Widget for &App {
    fn render(self, area: Rect, buf: &mut Buffer) {
        buf.set_style(area, self.theme.base);
        let ctx = self.ctx();
        if layout::too_small(area) {
            let typed = self
                .overlays
                .iter()
                .any(|o| matches!(o, Overlay::Form(f) if f.is_dirty()));
            too_small(&ctx, area, buf, typed, self.small_dropped);
            return;
        }
        let c = layout::chrome(area);
        render_header(self, c.header, buf);
        render_tabs(self, c.tabs, buf);
        if let Some(side) = c.side {
            let data = SideData {
                focused: self.pane,
                inbox_month: self.current_month(),
                inbox: &self.inbox_now,
                alert_counts: std::array::from_fn(|i| self.alerts.count(crate::domain::AlertLevel::ALL[i])),
                alerts: &self.alerts_now,
                checklist: &self.checklist.all,
                selected_alert: self.alerts.list.selected().map(|r| (r, self.alerts.file_of(r.key))),
            };
            panes::side::render(&ctx, &data, side, buf);
        }
        match self.pane {
            Pane::Inbox => panes::inbox::render(&ctx, &self.inbox, c.body, buf),
            Pane::Checklist => panes::checklist::render(&ctx, &self.checklist, c.body, buf),
            Pane::Matrix => match (&self.matrix.focus, &self.matrix.measures) {
                (_, Some(m)) => panes::matrix_views::render_measures(&ctx, m, c.body, buf),
                (Some(f), None) => panes::matrix_views::render_focus(&ctx, f, c.body, buf),
                (None, None) => panes::matrix::render(&ctx, &self.matrix, c.body, buf),
            },
            Pane::Alerts => panes::alerts::render(&ctx, &self.alerts, c.body, buf),
        }
        render_footer(self, &ctx, c.footer, buf);
        for o in &self.overlays {
            match o {
                Overlay::Detail(d) => {
                    let (title, text) = self.detail_text(d);
                    overlay::detail::render(&ctx, &title, &text, d.scroll, area, buf);
                }
                Overlay::Help(h) => {
                    let title = format!("{} · {}", ctx.s.help, ctx.s.panes[self.pane.index()]);
                    overlay::help::render(&ctx, h, &title, &self.help_items(), area, buf);
                }
                Overlay::Form(f) => overlay::form::render(&ctx, f, area, buf),
                Overlay::Confirm(q) => overlay::confirm::render(&ctx, q, area, buf),
                Overlay::Pick(p) => overlay::pick::render(&ctx, p, area, buf),
                Overlay::Filter => {}
            }
        }
        sanitize_frame(area, buf);
    }
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
fn too_small(ctx: &RenderCtx, area: Rect, buf: &mut Buffer, typed: bool, dropped: usize) {
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

fn render_header(app: &App, area: Rect, buf: &mut Buffer) {
    let s = app.lang.s();
    let th = &app.theme;
    buf.set_style(area, th.header);
    let wide = area.width >= 120;
    let office = if wide { s.office } else { s.office_short };
    let left = format!(" 督导 dudao · {office}");
    let lw = (width(&left) as u16 + 2).min(area.width);
    put(buf, area.x, area.y, lw, &left, th.header, false);
    // The parts on the right, most important last; when they do not fit,
    // the file name goes first, then the user, then the sync time's words.
    let sync = |wide: bool| {
        app.external_update.as_ref().map(|t| {
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
            parts.push(one_line(&app.db_label));
        }
        if with_user {
            parts.push(format!("{} {}", s.user, one_line(&app.actor.user)));
        }
        let label = if app.today_set { s.today_set } else { s.as_of };
        parts.push(format!("{label} {} ", app.today));
        let body = parts.join(" · ");
        right = if app.read_only {
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
    if app.read_only && shown.len() == right.len() {
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

fn render_tabs(app: &App, area: Rect, buf: &mut Buffer) {
    let s = app.lang.s();
    let th = &app.theme;
    let loading = app.loads.waiting;
    let unreadable = app.loads.unreadable;
    // A figure still being read shows as "…", one that could not be read
    // as "?": never as a zero.
    let missing = if loading.alerts {
        "…".to_string()
    } else if unreadable.alerts {
        "?".to_string()
    } else {
        app.overdue_reports().to_string()
    };
    let unread = if unreadable.unread {
        "?".to_string()
    } else {
        app.unread.to_string()
    };
    let (done, total) = panes::checklist::progress(&app.checklist.all);
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
                let circular = app.alerts_at(Circular);
                let red = app.alerts_at(Red);
                if circular > 0 {
                    let (_, cs) = app.theme.alert(Circular);
                    let (_, rs) = app.theme.alert(Red);
                    format!(" 4 {} {cs}{circular} {rs}{red} ", s.panes[3])
                } else {
                    format!(" 4 {} {}{}{red} ", s.panes[3], s.alert_level(Red), s.gap)
                }
            }
        },
    ];
    let mut spans = Vec::new();
    for (i, l) in labels.iter().enumerate() {
        let style = if i == app.pane.index() { th.tab_active } else { th.tab };
        spans.push(Span::styled(l.clone(), style));
        spans.push(Span::styled("│", th.border));
    }
    Paragraph::new(Line::from(spans)).render(area, buf);
}

/// Key hints: `(key, label)` of the bindings that do something now.
fn hints(app: &App) -> Vec<(String, &'static str)> {
    let s = app.lang.s();
    let top = app.overlays.last().map(Overlay::scope);
    let scope = top.unwrap_or(app.pane.scope());
    let mut bindings: Vec<_> = app
        .keymap
        .effective(scope)
        .into_iter()
        .filter(|b| b.hint && (!scope.is_pane_layer() || app.enabled(b.action)))
        .collect();
    if scope == Scope::Detail {
        // A detail acts on its row: the pane's edit keys are offered too.
        bindings.extend(app.keymap.effective(app.pane.scope()).into_iter().filter(|b| {
            b.hint
                && matches!(
                    b.action,
                    Action::Help | Action::Accept | Action::Return | Action::Note | Action::Remind | Action::Undo
                )
                && app.enabled(b.action)
        }));
    }
    // Help and quit first (a newcomer needs them), then the pane's own keys.
    bindings.sort_by_key(|b| match b.action {
        Action::Help => 0,
        Action::Quit => 1,
        _ if b.scope != Scope::Global => 2,
        _ => 3,
    });
    bindings
        .into_iter()
        .map(|b| {
            (
                b.keys.first().map(|k| k.to_string()).unwrap_or_default(),
                s.action(b.action).0,
            )
        })
        .collect()
}

fn render_footer(app: &App, ctx: &RenderCtx, area: Rect, buf: &mut Buffer) {
    let s = ctx.s;
    let th = ctx.theme;
    if app.typing_filter() {
        let line = Line::from(vec![
            Span::styled(format!("{}{}", s.filter, s.colon), th.key),
            Span::raw(one_line(app.filter())),
            Span::styled("▏", th.key),
            Span::styled("   Enter ✓  Esc ✗", th.dim),
        ]);
        Paragraph::new(line).render(area, buf);
        return;
    }
    if let Some(m) = &app.message {
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
    if app.overlays.is_empty() {
        let (shown, hidden) = app.mark_counts();
        if shown + hidden > 0 {
            state.push_str(&format!("{} {shown}", s.marked));
            if hidden > 0 {
                state.push_str(&crate::i18n::fill(s.marks_hidden, &[&hidden]));
            }
            state.push_str(&format!(" · {}  ", s.clear_marks));
        }
        if let Some((sel, total)) = app.position() {
            state.push_str(&format!("{sel}/{total}  "));
        }
        if !app.filter().is_empty() {
            state.push_str(&format!("[{}{}{}]  ", s.filter, s.colon, one_line(app.filter())));
        }
        state.push_str(&format!("{}{}{}", s.sort, s.colon, app.sort_label()));
    }
    let sw = (width(&state) as u16).min(area.width);
    put(buf, area.x + area.width - sw, area.y, sw, &state, th.dim, false);
    // Left: key hints, as many as fit.
    let mut x = area.x;
    let limit = area.x + area.width.saturating_sub(sw + 1);
    for (key, label) in hints(app) {
        let label = format!(" {label}  ");
        let w = (width(&key) + width(&label)) as u16;
        if x + w > limit {
            break;
        }
        put(buf, x, area.y, width(&key) as u16, &key, th.key, false);
        put(
            buf,
            x + width(&key) as u16,
            area.y,
            width(&label) as u16,
            &label,
            th.base,
            false,
        );
        x += w;
    }
}
