//! The whole screen as `impl Widget for &App`: header, tabs, the focused
//! pane, footer hints from the keymap, popups and the help overlay.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Widget};

use super::app::{App, Mode, Pane, Popup};
use super::panes;
use super::widgets::{put, wrap};
use crate::domain::InboxStatus;
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
    let office = if area.width >= 120 { s.office } else { s.office_short };
    let left = format!(" 督导 dudao · {office}");
    let mut right = format!(
        "{} · {} {} · {} {} ",
        app.db_label, s.user, app.user, s.as_of, app.today
    );
    if let Some(t) = &app.external_update {
        right = format!("⟳ {} {t} · {right}", s.updated);
    }
    let badge = if app.read_only {
        format!(" {} ", s.read_only)
    } else {
        String::new()
    };
    let rw = (width(&one_line(&right)) + width(&badge)) as u16;
    let lw = area.width.saturating_sub(rw + 1);
    put(buf, area.x, area.y, lw, &left, th.header, false);
    let x = area.x + area.width.saturating_sub(rw);
    if !badge.is_empty() {
        put(buf, x, area.y, width(&badge) as u16, &badge, th.badge, false);
    }
    let bw = width(&badge) as u16;
    put(buf, x + bw, area.y, rw - bw, &one_line(&right), th.header, false);
}

fn render_tabs(app: &App, area: Rect, buf: &mut Buffer) {
    let s = app.lang.s();
    let th = &app.theme;
    let missing = app
        .inbox
        .rows
        .iter()
        .filter(|r| r.status == InboxStatus::Missing)
        .count();
    let (done, total) = app.checklist.progress();
    let pct = (done * 100).checked_div(total).unwrap_or(0);
    let labels = [
        format!(" 1 {} {}{} {}{} ", s.panes[0], s.unread, app.unread, s.overdue, missing),
        format!(" 2 {} {pct}% ", s.panes[1]),
        format!(" 3 {} ", s.panes[2]),
        format!(" 4 {} {}{} ", s.panes[3], s.overdue, app.red_alerts()),
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
    let line = if app.mode == Mode::Filter {
        Line::from(vec![
            Span::styled(format!("{}: ", s.filter), th.key),
            Span::raw(one_line(app.filter())),
            Span::styled("▏", th.key),
            Span::styled("   Enter ✓  Esc ✗", th.dim),
        ])
    } else if let Some(m) = &app.message {
        Line::styled(one_line(m), th.yellow)
    } else {
        let mut spans = Vec::new();
        for b in app.keymap.effective(app.pane.scope()).into_iter().filter(|b| b.hint) {
            let key = b.keys.first().map(|k| k.to_string()).unwrap_or_default();
            spans.push(Span::styled(key, th.key));
            spans.push(Span::raw(format!(" {}  ", s.action(b.action).0)));
        }
        if !app.filter().is_empty() {
            spans.push(Span::styled(
                format!("[{}: {}] ", s.filter, one_line(app.filter())),
                th.yellow,
            ));
        }
        spans.push(Span::styled(format!("{}: {}", s.sort, app.sort_label()), th.dim));
        Line::from(spans)
    };
    Paragraph::new(line).render(area, buf);
}

fn centered(area: Rect, w_pct: u16, h_pct: u16) -> Rect {
    let w = (area.width * w_pct / 100).max(20).min(area.width);
    let h = (area.height * h_pct / 100).max(5).min(area.height);
    Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    }
}

fn popup_block<'a>(app: &App, title: &str) -> Block<'a> {
    Block::default()
        .borders(Borders::ALL)
        .border_style(app.theme.border_focus)
        .title(Span::styled(format!(" {} ", one_line(title)), app.theme.title))
        .title_bottom(Span::styled(format!(" {} ", app.lang.s().close_hint), app.theme.dim))
}

fn render_popup(app: &App, p: &Popup, body: Rect, buf: &mut Buffer) {
    let s = app.lang.s();
    let th = &app.theme;
    let area = centered(body, 90, 90);
    Clear.render(area, buf);
    let (title, text): (String, Vec<(String, ratatui::style::Style)>) = match p {
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
            t.push((format!("{}：{}", s.role, roles.join("、")), th.title));
            t.push((d.body.clone(), th.base));
            t.push((String::new(), th.base));
            t.push((format!("{}：", s.history), th.title));
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
                    t.push((format!("    {}：{}", s.difficulties, h.difficulties), th.yellow));
                }
            }
            if !d.tasks.is_empty() {
                t.push((String::new(), th.base));
                t.push((format!("{}：", s.tasks), th.title));
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
            (format!("第{}条 {} × {}", d.article_no, d.article_title, d.unit), t)
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
                        "{}：{}（{} {}）",
                        s.return_reason,
                        d.return_reason,
                        s.resubmit_by,
                        d.resubmit_by.as_deref().unwrap_or("—")
                    ),
                    th.magenta,
                ));
            }
            t.push((format!("{}：{}", s.summary, d.summary), th.base));
            t.push((String::new(), th.base));
            t.push((format!("{}：", s.progress), th.title));
            for it in &d.items {
                let (style, sym) = th.progress(it.status);
                t.push((
                    format!(
                        "{sym} 第{}条 {} [{}]",
                        it.article_no,
                        it.article_title,
                        s.progress(it.status)
                    ),
                    style,
                ));
                t.push((format!("    {}", it.progress), th.base));
                if !it.difficulties.is_empty() {
                    t.push((format!("    {}：{}", s.difficulties, it.difficulties), th.yellow));
                }
                if !it.next_steps.is_empty() {
                    t.push((format!("    {}：{}", s.next_steps, it.next_steps), th.base));
                }
            }
            if !d.indicators.is_empty() {
                t.push((String::new(), th.base));
                t.push((format!("{}：", s.indicators), th.title));
                for i in &d.indicators {
                    let fmt = panes::inbox::fmt_num;
                    t.push((
                        format!("  {} {} / {} {}", i.name, fmt(i.value), fmt(i.target), i.unit),
                        th.blue,
                    ));
                }
            }
            (format!("{} · {}", d.unit, d.month), t)
        }
        Popup::Authority(r) => {
            let (style, sym) = th.authority(r.status);
            let t = vec![
                (format!("{}：{}", s.col_zone, r.zone), th.base),
                (
                    format!(
                        "{}：{} · {}：{}",
                        s.col_domain,
                        s.domain(r.domain),
                        s.col_level,
                        s.level(r.level)
                    ),
                    th.base,
                ),
                (format!("{}：{}", s.col_grantor, r.grantor), th.base),
                (format!("{}：{sym} {}", s.col_status, s.authority(r.status)), style),
                (
                    format!("{}：{}", s.col_doc, if r.doc_no.is_empty() { "—" } else { &r.doc_no }),
                    th.base,
                ),
                (
                    format!(
                        "{}：{}",
                        s.col_due,
                        r.due_date.map(|d| d.to_string()).unwrap_or_else(|| "—".into())
                    ),
                    th.base,
                ),
                (format!("{}：{}", s.note, r.note), th.base),
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
                (format!("{}：{}", s.col_source, s.source(r.source)), th.base),
                (format!("{}：{}", s.col_unit, r.unit), th.base),
                (format!("{}：{}", s.col_due, r.due), th.base),
                (format!("{}：{}", s.reminded, r.reminders), th.base),
                (String::new(), th.base),
                (r.title.clone(), th.base),
            ];
            (s.source(r.source).to_string(), t)
        }
    };
    let block = popup_block(app, &title);
    let inner = block.inner(area);
    block.render(area, buf);
    let w = inner.width.saturating_sub(1) as usize;
    let lines: Vec<Line> = text
        .iter()
        .flat_map(|(t, style)| wrap(t, w).into_iter().map(move |l| Line::styled(l, *style)))
        .collect();
    let max_scroll = (lines.len() as u16).saturating_sub(inner.height);
    Paragraph::new(lines)
        .scroll((app.popup_scroll.min(max_scroll), 0))
        .render(inner, buf);
}

/// The help lines of the focused pane: (keys, description, action name).
pub fn help_lines(app: &App) -> Vec<(String, String, &'static str)> {
    let s = app.lang.s();
    let q = app.help_query.to_lowercase();
    app.keymap
        .effective(app.pane.scope())
        .into_iter()
        .map(|b| {
            let keys: Vec<String> = b.keys.iter().map(|k| k.to_string()).collect();
            (keys.join(" "), s.action(b.action).1.to_string(), b.action.name())
        })
        .filter(|(k, d, n)| {
            q.is_empty() || k.to_lowercase().contains(&q) || d.to_lowercase().contains(&q) || n.contains(&q)
        })
        .collect()
}

fn render_help(app: &App, body: Rect, buf: &mut Buffer) {
    let s = app.lang.s();
    let th = &app.theme;
    let area = centered(body, 80, 96);
    Clear.render(area, buf);
    let block = popup_block(app, &format!("{} · {}", s.help, s.panes[app.pane.index()]));
    let inner = block.inner(area);
    block.render(area, buf);
    let mut lines = vec![Line::from(vec![
        Span::styled(format!("{}: ", s.search), th.key),
        Span::raw(one_line(&app.help_query)),
        Span::styled("▏", th.key),
    ])];
    if app.read_only {
        lines.push(Line::styled(s.read_only_why, th.yellow));
    }
    let items = help_lines(app);
    if items.is_empty() {
        lines.push(Line::styled(s.no_match, th.dim));
    }
    let key_w = 16;
    for (k, d, n) in items.iter().skip(app.help_scroll) {
        lines.push(Line::from(vec![
            Span::styled(crate::text::fit(k, key_w), th.key),
            Span::raw(format!(" {d} ")),
            Span::styled(format!("({n})"), th.dim),
        ]));
    }
    Paragraph::new(lines).render(inner, buf);
}
