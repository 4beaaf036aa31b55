//! The whole screen as `impl Widget for &App`: header, tabs, the focused
//! pane, footer hints from the keymap, popups and the help overlay.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Widget};

use super::app::{App, Mode, Pane, Popup};
use super::panes;
use super::widgets::{put, wrap};
use crate::text::{one_line, width};

/// Smallest terminal the console draws in.
pub const MIN_W: u16 = 80;
pub const MIN_H: u16 = 24;

/// (header, tabs, body, footer) of the screen.
pub fn chrome(area: Rect) -> (Rect, Rect, Rect, Rect) {
    let [h, t, b, f] = area.layout(&Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Fill(1),
        Constraint::Length(1),
    ]));
    (h, t, b, f)
}

/// Where the focused pane goes on a screen of `area`.
pub fn pane_area(area: Rect) -> Rect {
    panes::side::split(chrome(area).2, area).0
}

impl Widget for &App {
    fn render(self, area: Rect, buf: &mut Buffer) {
        buf.set_style(area, self.theme.base);
        if area.width < MIN_W || area.height < MIN_H {
            too_small(self, area, buf);
            return;
        }
        let (header, tabs, body, footer) = chrome(area);
        render_header(self, header, buf);
        render_tabs(self, tabs, buf);
        let (body, side) = panes::side::split(body, area);
        if let Some(side) = side {
            panes::side::render(self, side, buf);
        }
        match self.pane {
            Pane::Inbox => panes::inbox::render(self, body, buf),
            Pane::Checklist => panes::checklist::render(self, body, buf),
            Pane::Matrix => panes::matrix::render(self, body, buf),
            Pane::Alerts => panes::alerts::render(self, body, buf),
        }
        render_footer(self, footer, buf);
        if let Some(p) = &self.popup {
            render_popup(self, p, body, buf);
        }
        if self.mode == Mode::Help {
            render_help(self, body, buf);
        }
    }
}

fn too_small(app: &App, area: Rect, buf: &mut Buffer) {
    let s = app.lang.s();
    let text = format!(
        "{} {MIN_W}×{MIN_H}（{} {}×{}）",
        s.too_small, s.current, area.width, area.height
    );
    let lines: Vec<Line> = wrap(&text, area.width.max(1) as usize)
        .into_iter()
        .map(|l| Line::styled(l, app.theme.title))
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
    // Most important last, so whatever must be cut is cut from the front.
    let mut right = one_line(&format!(
        "{} · {} {} · {} {} ",
        app.db_label, s.user, app.user, s.as_of, app.today
    ));
    if let Some(t) = &app.external_update {
        let (word, time) = if wide {
            (s.updated, t.as_str())
        } else {
            (s.updated_short, t.get(..5).unwrap_or(t))
        };
        right = format!("⟳ {word} {time} · {right}");
    }
    if app.read_only {
        right = format!(" {} {right}", s.read_only);
    }
    let room = area.width.saturating_sub(lw) as usize;
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
    let missing = app.overdue_reports();
    let (done, total) = app.checklist.progress();
    let pct = (done * 100).checked_div(total).unwrap_or(0);
    let labels = [
        format!(
            " 1 {} {}{}{} {}{}{} ",
            s.panes[0], s.unread, s.gap, app.unread, s.overdue, s.gap, missing
        ),
        format!(" 2 {} {pct}% ", s.panes[1]),
        format!(" 3 {} ", s.panes[2]),
        format!(
            " 4 {} {}{}{} ",
            s.panes[3],
            s.alert_level(crate::domain::AlertLevel::Red),
            s.gap,
            app.red_alerts()
        ),
    ];
    let mut spans = Vec::new();
    for (i, l) in labels.iter().enumerate() {
        let style = if i == app.pane.index() { th.tab_active } else { th.tab };
        spans.push(Span::styled(l.clone(), style));
        spans.push(Span::styled("│", th.border));
    }
    Paragraph::new(Line::from(spans)).render(area, buf);
}

fn render_footer(app: &App, area: Rect, buf: &mut Buffer) {
    let s = app.lang.s();
    let th = &app.theme;
    if app.mode == Mode::Filter {
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
        put(buf, area.x, area.y, area.width, &one_line(m), th.yellow, false);
        return;
    }
    // Right: position, filter, sort — always shown.
    let mut state = String::new();
    if let Some((sel, total)) = app.position() {
        state.push_str(&format!("{sel}/{total}  "));
    }
    if !app.filter().is_empty() {
        state.push_str(&format!("[{}{}{}]  ", s.filter, s.colon, one_line(app.filter())));
    }
    state.push_str(&format!("{}{}{}", s.sort, s.colon, app.sort_label()));
    let sw = (width(&state) as u16).min(area.width);
    put(buf, area.x + area.width - sw, area.y, sw, &state, th.dim, false);
    // Left: key hints from the keymap, as many as fit.
    let mut x = area.x;
    let limit = area.x + area.width.saturating_sub(sw + 1);
    // Help and quit first (a newcomer needs them), then the pane's own keys.
    let mut hints: Vec<_> = app
        .keymap
        .effective(app.pane.scope())
        .into_iter()
        .filter(|b| b.hint && super::app::applies(b.action, app.pane))
        .collect();
    hints.sort_by_key(|b| match b.action {
        super::action::Action::Help => 0,
        super::action::Action::Quit => 1,
        _ if b.scope != super::keymap::Scope::Global => 2,
        _ => 3,
    });
    for b in hints {
        let key = b.keys.first().map(|k| k.to_string()).unwrap_or_default();
        let label = format!(" {}  ", s.action(b.action).0);
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

/// Clears a popup's area, and blanks a double-width character just left of
/// it, whose right half would otherwise cover the popup's left border.
fn clear_popup(area: Rect, buf: &mut Buffer) {
    Clear.render(area, buf);
    if area.x > 0 {
        for y in area.top()..area.bottom() {
            let cell = &mut buf[(area.x - 1, y)];
            if width(cell.symbol()) > 1 {
                cell.set_symbol(" ");
            }
        }
    }
}

fn centered(area: Rect, w_pct: u16, h_pct: u16) -> Rect {
    let pct = |n: u16, p: u16| (u32::from(n) * u32::from(p) / 100) as u16;
    let w = pct(area.width, w_pct).max(20).min(area.width);
    let h = pct(area.height, h_pct).max(5).min(area.height);
    Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    }
}

fn popup_block<'a>(app: &App, title: &str, more: bool) -> Block<'a> {
    let s = app.lang.s();
    let bottom = if more {
        format!(" {} · {} ", s.close_hint, s.more)
    } else {
        format!(" {} ", s.close_hint)
    };
    Block::default()
        .borders(Borders::ALL)
        .border_style(app.theme.border_focus)
        .title(Span::styled(format!(" {} ", one_line(title)), app.theme.title))
        .title_bottom(Span::styled(bottom, app.theme.dim))
}

/// Where popups go on a screen of `size`.
fn popup_area(size: Rect) -> Rect {
    centered(pane_area(size), 90, 90)
}

/// A popup's title and its lines, wrapped to the popup's width.
fn popup_content(app: &App, p: &Popup) -> (String, Vec<(String, ratatui::style::Style)>) {
    let inner = popup_block(app, "", false).inner(popup_area(app.size));
    let w = inner.width.saturating_sub(1) as usize;
    let (title, text) = popup_text(app, p);
    let lines = text
        .iter()
        .flat_map(|(t, style)| wrap(t, w).into_iter().map(move |l| (l, *style)))
        .collect();
    (title, lines)
}

/// How far the open popup can scroll: its last line at the bottom.
pub fn popup_max_scroll(app: &App) -> u16 {
    let Some(p) = &app.popup else { return 0 };
    let inner = popup_block(app, "", false).inner(popup_area(app.size));
    (popup_content(app, p).1.len() as u16).saturating_sub(inner.height)
}

fn render_popup(app: &App, p: &Popup, _body: Rect, buf: &mut Buffer) {
    let area = popup_area(app.size);
    clear_popup(area, buf);
    let inner = popup_block(app, "", false).inner(area);
    let (title, lines) = popup_content(app, p);
    let max_scroll = (lines.len() as u16).saturating_sub(inner.height);
    let scroll = app.popup_scroll.min(max_scroll);
    popup_block(app, &title, scroll < max_scroll).render(area, buf);
    let lines: Vec<Line> = lines.into_iter().map(|(l, style)| Line::styled(l, style)).collect();
    Paragraph::new(lines).scroll((scroll, 0)).render(inner, buf);
}

/// A popup's title and unwrapped text lines.
fn popup_text(app: &App, p: &Popup) -> (String, Vec<(String, ratatui::style::Style)>) {
    let s = app.lang.s();
    let th = &app.theme;
    match p {
        Popup::Cell(d) => {
            let mut t = vec![];
            let roles: Vec<String> = d
                .roles
                .iter()
                .map(|(r, via)| match via {
                    Some(v) => format!("{}（{} {v}）", s.role_long(*r), s.via),
                    None => s.role_long(*r).to_string(),
                })
                .collect();
            t.push((s.kv(s.role, roles.join("、")), th.title));
            if !d.members.is_empty() {
                t.push((format!("{}{}{}", s.members, s.colon, d.members.join("、")), th.base));
            }
            t.push((d.body.clone(), th.base));
            t.push((String::new(), th.base));
            t.push((format!("{}{c}", s.history, c = s.colon), th.title));
            if d.history.is_empty() {
                t.push((
                    format!("  {}", s.cell_status(crate::db::matrix::CellStatus::NotReported)),
                    th.red,
                ));
            }
            for h in &d.history {
                let (style, sym) = th.progress(h.status);
                t.push((
                    format!("{} {sym} {} {}", h.month, s.progress(h.status), h.progress),
                    style,
                ));
                if !h.difficulties.is_empty() {
                    t.push((
                        format!("    {}{c}{}", s.difficulties, h.difficulties, c = s.colon),
                        th.yellow,
                    ));
                }
            }
            if !d.tasks.is_empty() {
                t.push((String::new(), th.base));
                t.push((format!("{}{c}", s.tasks, c = s.colon), th.title));
                for k in &d.tasks {
                    let mark = if k.done { "✔" } else { "○" };
                    t.push((
                        format!(
                            "{mark} {}. {} （{} {}）",
                            k.ord,
                            k.text,
                            s.col_due,
                            k.due_date.as_deref().unwrap_or("—")
                        ),
                        th.base,
                    ));
                }
            }
            (
                format!("{} {} × {}", s.article(d.article_no), d.article_title, d.unit),
                t,
            )
        }
        Popup::Report(d) => {
            let mut t = vec![(
                format!(
                    "{} {} · {} {} · {} {}",
                    s.version, d.version_no, s.col_due, d.due_date, s.col_received, d.received_at
                ),
                th.dim,
            )];
            if !d.return_reason.is_empty() {
                t.push((
                    format!(
                        "{}{c}{}（{} {}）",
                        s.return_reason,
                        d.return_reason,
                        s.resubmit_by,
                        d.resubmit_by.as_deref().unwrap_or("—"),
                        c = s.colon
                    ),
                    th.magenta,
                ));
            }
            t.push((s.kv(s.summary, &d.summary), th.base));
            t.push((String::new(), th.base));
            t.push((format!("{}{c}", s.progress, c = s.colon), th.title));
            for it in &d.items {
                let (style, sym) = th.progress(it.status);
                t.push((
                    format!(
                        "{sym} {} {} [{}]",
                        s.article(it.article_no),
                        it.article_title,
                        s.progress(it.status)
                    ),
                    style,
                ));
                t.push((format!("    {}", it.progress), th.base));
                if !it.difficulties.is_empty() {
                    t.push((
                        format!("    {}{c}{}", s.difficulties, it.difficulties, c = s.colon),
                        th.yellow,
                    ));
                }
                if !it.next_steps.is_empty() {
                    t.push((
                        format!("    {}{c}{}", s.next_steps, it.next_steps, c = s.colon),
                        th.base,
                    ));
                }
            }
            if !d.indicators.is_empty() {
                t.push((String::new(), th.base));
                t.push((format!("{}{c}", s.indicators, c = s.colon), th.title));
                for i in &d.indicators {
                    t.push((format!("  {}", panes::inbox::indicator_text(i, s)), th.blue));
                }
            }
            (format!("{} · {}", d.unit, d.month), t)
        }
        Popup::Authority(r) => {
            let (style, sym) = th.authority(r.status);
            let t = vec![
                (s.kv(s.col_zone, &r.zone), th.base),
                (
                    format!(
                        "{}{c}{} · {}{c}{}",
                        s.col_domain,
                        s.domain(r.domain),
                        s.col_level,
                        s.level(r.level),
                        c = s.colon
                    ),
                    th.base,
                ),
                (s.kv(s.col_grantor, &r.grantor), th.base),
                (
                    format!("{}{c}{sym} {}", s.col_status, s.authority(r.status), c = s.colon),
                    style,
                ),
                (
                    s.kv(s.col_doc, if r.doc_no.is_empty() { "—" } else { &r.doc_no }),
                    th.base,
                ),
                (
                    s.kv(
                        s.col_due,
                        r.due_date.map(|d| d.to_string()).unwrap_or_else(|| "—".into()),
                    ),
                    th.base,
                ),
                (s.kv(s.proposed, r.proposed_date.as_deref().unwrap_or("—")), th.base),
                (s.kv(s.approved, r.approved_date.as_deref().unwrap_or("—")), th.base),
                (s.kv(s.delegated, r.delegated_date.as_deref().unwrap_or("—")), th.base),
                (s.kv(s.note, &r.note), th.base),
            ];
            (r.name.clone(), t)
        }
        Popup::Alert(r) => {
            let (style, sym) = th.alert(r.level);
            let t = vec![
                (
                    format!(
                        "{sym} {} · {}",
                        s.alert_level(r.level),
                        panes::alerts::days_text(r.days_left, s)
                    ),
                    style,
                ),
                (s.kv(s.col_source, s.source(r.source)), th.base),
                (s.kv(s.col_unit, &r.unit), th.base),
                (s.kv(s.col_due, r.due), th.base),
                (s.kv(s.reminded, r.reminders), th.base),
                (String::new(), th.base),
                (panes::alerts::title(r, s), th.base),
            ];
            (s.source(r.source).to_string(), t)
        }
    }
}

/// The help lines of the focused pane: (keys, description, action name).
pub fn help_lines(app: &App) -> Vec<(String, String, &'static str)> {
    let s = app.lang.s();
    let q = app.help_query.to_lowercase();
    app.keymap
        .effective(app.pane.scope())
        .into_iter()
        .filter(|b| super::app::applies(b.action, app.pane))
        .map(|b| {
            let keys: Vec<String> = b.keys.iter().map(|k| k.to_string()).collect();
            (keys.join(" "), s.action(b.action).1.to_string(), b.action.name())
        })
        .filter(|(k, d, n)| {
            q.is_empty() || k.to_lowercase().contains(&q) || d.to_lowercase().contains(&q) || n.contains(&q)
        })
        .collect()
}

/// The help box on a screen of `size`.
fn help_area(size: Rect) -> Rect {
    centered(pane_area(size), 80, 96)
}

/// Lines of the help list that fit in the box (search line and notes excluded).
pub fn help_list_rows(app: &App) -> usize {
    let inner_h = help_area(app.size).height.saturating_sub(2);
    inner_h.saturating_sub(1 + u16::from(app.read_only)) as usize
}

fn render_help(app: &App, _body: Rect, buf: &mut Buffer) {
    let s = app.lang.s();
    let th = &app.theme;
    let area = help_area(app.size);
    clear_popup(area, buf);
    let items = help_lines(app);
    let rows = help_list_rows(app);
    let scroll = app.help_scroll.min(items.len().saturating_sub(rows));
    let more = scroll + rows < items.len();
    let block = popup_block(app, &format!("{} · {}", s.help, s.panes[app.pane.index()]), more);
    let inner = block.inner(area);
    block.render(area, buf);
    let mut y = inner.y;
    put(
        buf,
        inner.x,
        y,
        inner.width,
        &format!("{}{}{}▏", s.search, s.colon, one_line(&app.help_query)),
        th.key,
        false,
    );
    y += 1;
    if app.read_only {
        put(buf, inner.x, y, inner.width, s.read_only_why, th.yellow, false);
        y += 1;
    }
    if items.is_empty() {
        put(buf, inner.x, y, inner.width, s.no_match, th.dim, false);
    }
    // Key, description (cut with … when long), action name on the right.
    let key_w = 14u16.min(inner.width / 4);
    for (k, d, n) in items.iter().skip(scroll).take(rows) {
        let name = format!("({n})");
        let name_w = (width(&name) as u16).min(inner.width.saturating_sub(key_w + 8));
        let desc_w = inner.width.saturating_sub(key_w + 1 + name_w + 1);
        put(buf, inner.x, y, key_w, k, th.key, false);
        put(buf, inner.x + key_w + 1, y, desc_w, d, th.base, false);
        put(buf, inner.x + inner.width - name_w, y, name_w, &name, th.dim, true);
        y += 1;
    }
}
