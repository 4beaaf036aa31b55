//! A form: text fields (a `ratatui-textarea` editor, multi-line where
//! wanted, Chinese input as typed), date fields (`2026-12-05`, `12-05`,
//! `+7`, …, read as the person types and checked before saving) and choice
//! fields (←/→). Ctrl-S saves, Tab moves on, Esc cancels. The form checks
//! what it can alone (required texts, length, date shape); the console
//! checks the rest and puts any message under the field.

use chrono::NaiveDate;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::widgets::Widget;
use ratatui_textarea::{TextArea, WrapMode};

use crate::domain::input::{DateError, TextError, clean_text, parse_date_input};
use crate::i18n::{Strings, fill};
use crate::text::is_dangerous;
use crate::tui::action::Action;
use crate::tui::ctx::RenderCtx;
use crate::tui::layout;
use crate::tui::widgets::put;

/// What a form's values are for, decided when it was opened.
pub type Purpose = crate::tui::intent::FormPurpose;

pub enum FieldKind {
    Text {
        area: TextArea<'static>,
        max: usize,
        required: bool,
        /// Rows of the editor (1: a single line, Enter moves on).
        rows: u16,
    },
    Date {
        area: TextArea<'static>,
        /// Earliest and latest dates allowed.
        min: Option<NaiveDate>,
        max: Option<NaiveDate>,
        /// May be left empty (no date).
        optional: bool,
    },
    Choice {
        options: Vec<String>,
        selected: usize,
        /// Letters typed in a row: the option they match is chosen, by the
        /// same matcher as the `/` filter (`scj` reaches 市场监管局).
        typed: String,
    },
    /// Several of a list (owners): ←/→ move, Space picks.
    Multi {
        options: Vec<String>,
        chosen: Vec<bool>,
        cursor: usize,
    },
}

pub struct Field {
    pub label: String,
    pub kind: FieldKind,
    /// A message under the field (a bad date, an empty required text, …).
    pub error: Option<String>,
    /// The text the field started with, to tell whether anything was typed.
    initial: String,
    /// When a text is needed only in some cases: the rule, shown instead
    /// of 必填/选填.
    rule: Option<&'static str>,
}

fn editor(text: &str, single_line: bool) -> TextArea<'static> {
    let mut a = TextArea::new(if text.is_empty() {
        vec![String::new()]
    } else {
        text.lines().map(str::to_string).collect()
    });
    a.set_cursor_line_style(Style::default());
    a.set_cursor_style(Style::default().add_modifier(Modifier::REVERSED));
    if !single_line {
        a.set_wrap_mode(WrapMode::WordOrGlyph);
    }
    a.move_cursor(ratatui_textarea::CursorMove::End);
    a.move_cursor(ratatui_textarea::CursorMove::Bottom);
    a.move_cursor(ratatui_textarea::CursorMove::End);
    a
}

impl Field {
    /// A text field; `rows` > 1 makes it multi-line.
    pub fn text(label: impl Into<String>, max: usize, required: bool, rows: u16) -> Field {
        Field {
            label: label.into(),
            kind: FieldKind::Text {
                area: editor("", rows <= 1),
                max,
                required,
                rows: rows.max(1),
            },
            error: None,
            initial: String::new(),
            rule: None,
        }
    }

    /// The field's note says when it must be filled in (the check itself
    /// is the write path's).
    pub fn with_rule(mut self, rule: &'static str) -> Field {
        self.rule = Some(rule);
        self
    }

    /// The field starting with `text` as its initial value (a prefill: Esc
    /// does not ask before closing a form nobody typed in).
    pub fn prefilled(mut self, text: &str) -> Field {
        if text.is_empty() {
            return self;
        }
        match &mut self.kind {
            FieldKind::Text { area, rows, .. } => *area = editor(text, *rows <= 1),
            FieldKind::Date { area, .. } => *area = editor(text, true),
            FieldKind::Choice { .. } | FieldKind::Multi { .. } => return self,
        }
        self.initial = text.to_string();
        self
    }

    /// The field starting with `text` (offered again after a failed save);
    /// it still counts as typed, so Esc asks before throwing it away.
    pub fn with_text(mut self, text: Option<&String>) -> Field {
        let Some(t) = text.filter(|t| !t.is_empty()) else {
            return self;
        };
        match &mut self.kind {
            FieldKind::Text { area, rows, .. } => *area = editor(t, *rows <= 1),
            FieldKind::Date { area, .. } => *area = editor(t, true),
            FieldKind::Choice { .. } | FieldKind::Multi { .. } => {}
        }
        self
    }

    /// A date field starting with `value`, allowed from `min` to `max`.
    pub fn date(label: impl Into<String>, value: NaiveDate, min: Option<NaiveDate>, max: Option<NaiveDate>) -> Field {
        let v = value.to_string();
        Field {
            label: label.into(),
            kind: FieldKind::Date {
                area: editor(&v, true),
                min,
                max,
                optional: false,
            },
            error: None,
            initial: v,
            rule: None,
        }
    }

    /// A date field that may be left empty.
    pub fn date_opt(
        label: impl Into<String>,
        value: Option<NaiveDate>,
        min: Option<NaiveDate>,
        max: Option<NaiveDate>,
    ) -> Field {
        let v = value.map(|d| d.to_string()).unwrap_or_default();
        Field {
            label: label.into(),
            kind: FieldKind::Date {
                area: editor(&v, true),
                min,
                max,
                optional: true,
            },
            error: None,
            initial: v,
            rule: None,
        }
    }

    /// Several of `options`, those in `chosen` picked.
    pub fn multi(label: impl Into<String>, options: Vec<String>, chosen: Vec<bool>) -> Field {
        let initial = format!("{chosen:?}");
        Field {
            label: label.into(),
            kind: FieldKind::Multi {
                options,
                chosen,
                cursor: 0,
            },
            error: None,
            initial,
            rule: None,
        }
    }

    pub fn choice<S: Into<String>>(label: impl Into<String>, options: Vec<S>, selected: usize) -> Field {
        let options: Vec<String> = options.into_iter().map(Into::into).collect();
        Field {
            label: label.into(),
            kind: FieldKind::Choice {
                options,
                selected,
                typed: String::new(),
            },
            error: None,
            initial: selected.to_string(),
            rule: None,
        }
    }

    fn raw(&self) -> String {
        match &self.kind {
            FieldKind::Text { area, .. } | FieldKind::Date { area, .. } => area.lines().join("\n"),
            FieldKind::Choice { .. } | FieldKind::Multi { .. } => String::new(),
        }
    }

    /// Rows the field takes: label, editor, message.
    fn height(&self) -> u16 {
        let editor = match &self.kind {
            FieldKind::Text { rows, .. } => *rows,
            _ => 1,
        };
        1 + editor + 1
    }
}

/// What a key did to the form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormEvent {
    None,
    Save,
    Cancel,
}

pub struct Form {
    pub title: String,
    pub fields: Vec<Field>,
    pub focus: usize,
    pub purpose: Purpose,
}

impl Form {
    pub fn new(title: String, fields: Vec<Field>, purpose: Purpose) -> Form {
        Form {
            title,
            fields,
            focus: 0,
            purpose,
        }
    }

    /// Whether anything was typed (Esc then asks before throwing it away).
    pub fn is_dirty(&self) -> bool {
        self.fields.iter().any(|f| match &f.kind {
            FieldKind::Text { .. } | FieldKind::Date { .. } => f.raw().trim() != f.initial.trim(),
            FieldKind::Choice { selected, .. } => selected.to_string() != f.initial,
            FieldKind::Multi { chosen, .. } => format!("{chosen:?}") != f.initial,
        })
    }

    /// Text pasted into the focused field: forbidden characters are left
    /// out (and the field says so), a one-line field gets spaces for newlines.
    pub fn paste(&mut self, text: &str, s: &Strings) {
        let Some(field) = self.fields.get_mut(self.focus) else {
            return;
        };
        let one_line = match &field.kind {
            FieldKind::Text { rows, .. } => *rows <= 1,
            FieldKind::Date { .. } => true,
            FieldKind::Choice { .. } | FieldKind::Multi { .. } => return,
        };
        let mut dropped = false;
        let clean: String = text
            .replace("\r\n", "\n")
            .chars()
            .filter_map(|c| match c {
                '\n' | '\r' if one_line => Some(' '),
                '\r' => Some('\n'),
                '\t' => Some(' '),
                c if is_dangerous(c) => {
                    dropped = true;
                    None
                }
                c => Some(c),
            })
            .collect();
        if let FieldKind::Text { area, .. } | FieldKind::Date { area, .. } = &mut field.kind {
            area.insert_str(clean);
        }
        field.error = dropped.then(|| s.control_dropped.to_string());
    }

    /// Handles a key: `action` is what the form's scope binds it to.
    pub fn handle(&mut self, action: Option<Action>, ev: KeyEvent, s: &Strings) -> FormEvent {
        match action {
            Some(Action::Save) => return FormEvent::Save,
            Some(Action::Cancel) => return FormEvent::Cancel,
            Some(Action::NextField) => {
                self.focus = (self.focus + 1) % self.fields.len().max(1);
                return FormEvent::None;
            }
            Some(Action::PrevField) => {
                let n = self.fields.len().max(1);
                self.focus = (self.focus + n - 1) % n;
                return FormEvent::None;
            }
            _ => {}
        }
        let last = self.focus + 1 >= self.fields.len();
        let Some(field) = self.fields.get_mut(self.focus) else {
            return FormEvent::None;
        };
        match &mut field.kind {
            FieldKind::Choice {
                options,
                selected,
                typed,
            } => {
                let is_letter = matches!(ev.code, KeyCode::Char(c) if c.is_ascii_alphabetic());
                if !is_letter {
                    typed.clear();
                }
                match ev.code {
                    KeyCode::Left | KeyCode::Up => *selected = (*selected + options.len() - 1) % options.len().max(1),
                    KeyCode::Right | KeyCode::Down | KeyCode::Char(' ') => {
                        *selected = (*selected + 1) % options.len().max(1)
                    }
                    KeyCode::Char(c) if c.is_ascii_digit() => {
                        let n = c.to_digit(10).unwrap_or(0) as usize;
                        if (1..=options.len()).contains(&n) {
                            *selected = n - 1;
                        }
                    }
                    // Letters typed in a row choose the option they match,
                    // as the `/` filter matches (initials of the whole name);
                    // a letter that matches nothing with them starts anew.
                    KeyCode::Char(c) => {
                        let n = options.len();
                        let find = |q: &str, from: usize| {
                            (0..n)
                                .map(|d| (from + d) % n)
                                .find(|&k| crate::tui::list::matches(q, &[&options[k]]))
                        };
                        typed.push(c);
                        let found = find(typed, *selected).or_else(|| {
                            typed.clear();
                            typed.push(c);
                            find(typed, (*selected + 1) % n.max(1))
                        });
                        if let Some(k) = found {
                            *selected = k;
                        }
                    }
                    KeyCode::Enter if last => return FormEvent::Save,
                    KeyCode::Enter => self.focus += 1,
                    _ => {}
                }
            }
            FieldKind::Multi {
                options,
                chosen,
                cursor,
            } => match ev.code {
                KeyCode::Left | KeyCode::Up => *cursor = cursor.saturating_sub(1),
                KeyCode::Right | KeyCode::Down => *cursor = (*cursor + 1).min(options.len().saturating_sub(1)),
                KeyCode::Char(' ') | KeyCode::Char('x') => {
                    if let Some(c) = chosen.get_mut(*cursor) {
                        *c = !*c;
                    }
                    field.error = None;
                }
                KeyCode::Enter if last => return FormEvent::Save,
                KeyCode::Enter => self.focus += 1,
                _ => {}
            },
            // Control and direction-changing characters never go into a text.
            FieldKind::Text { .. } | FieldKind::Date { .. } if matches!(ev.code, KeyCode::Char(c) if is_dangerous(c)) =>
            {
                field.error = Some(s.control_dropped.to_string());
            }
            FieldKind::Text { area, rows, .. } if *rows > 1 => {
                area.input(ev);
                field.error = None;
            }
            FieldKind::Text { area, .. } | FieldKind::Date { area, .. } => {
                // Single line: Enter moves on (or saves on the last field).
                if ev.code == KeyCode::Enter && !ev.modifiers.contains(KeyModifiers::ALT) {
                    if last {
                        return FormEvent::Save;
                    }
                    self.focus += 1;
                } else {
                    area.input(ev);
                    field.error = None;
                }
            }
        }
        FormEvent::None
    }

    /// Checks required texts, lengths and dates; puts a message under each
    /// bad field and focuses the first. Returns whether all are good.
    pub fn check(&mut self, s: &Strings, today: NaiveDate) -> bool {
        let mut first_bad = None;
        for (i, f) in self.fields.iter_mut().enumerate() {
            let raw = f.raw();
            f.error = match &f.kind {
                FieldKind::Text { max, required, .. } => match clean_text(&raw, *max, *required) {
                    Ok(_) => None,
                    Err(TextError::Empty) => Some(s.text_empty.to_string()),
                    Err(e) => Some(s.text_error(&e)),
                },
                FieldKind::Date { optional: true, .. } if raw.trim().is_empty() => None,
                FieldKind::Date { min, max, .. } => match parse_date_input(&raw, today) {
                    Ok(d) => date_bounds(d, *min, *max, s),
                    Err(DateError::Shape) => Some(s.date_shape.to_string()),
                    Err(DateError::NoSuchDay) => Some(s.date_no_day.to_string()),
                },
                FieldKind::Choice { .. } | FieldKind::Multi { .. } => None,
            };
            if f.error.is_some() && first_bad.is_none() {
                first_bad = Some(i);
            }
        }
        if let Some(i) = first_bad {
            self.focus = i;
        }
        first_bad.is_none()
    }

    /// Puts a message under field `i` and focuses it.
    pub fn set_error(&mut self, i: usize, msg: String) {
        if let Some(f) = self.fields.get_mut(i) {
            f.error = Some(msg);
            self.focus = i;
        }
    }

    /// The text of field `i`, trimmed.
    pub fn text(&self, i: usize) -> String {
        self.fields
            .get(i)
            .map(|f| f.raw().trim().to_string())
            .unwrap_or_default()
    }

    /// The date of field `i` (after [`Form::check`] passed).
    pub fn date(&self, i: usize, today: NaiveDate) -> Option<NaiveDate> {
        parse_date_input(&self.fields.get(i)?.raw(), today).ok()
    }

    /// The option chosen in field `i`.
    pub fn choice(&self, i: usize) -> usize {
        match self.fields.get(i).map(|f| &f.kind) {
            Some(FieldKind::Choice { selected, .. }) => *selected,
            _ => 0,
        }
    }

    /// The options picked in multi-select field `i`.
    pub fn picked(&self, i: usize) -> Vec<usize> {
        match self.fields.get(i).map(|f| &f.kind) {
            Some(FieldKind::Multi { chosen, .. }) => {
                chosen.iter().enumerate().filter(|(_, c)| **c).map(|(k, _)| k).collect()
            }
            _ => Vec::new(),
        }
    }

    /// Rows the whole form takes, borders and hint line included.
    pub fn height(&self) -> u16 {
        self.fields.iter().map(Field::height).sum::<u16>() + 3
    }
}

/// The first field to draw so that the focused one fits in `rows`.
fn first_shown(form: &Form, rows: u16) -> usize {
    let h: Vec<u16> = form.fields.iter().map(Field::height).collect();
    let focus = form.focus.min(h.len().saturating_sub(1));
    let mut first = 0;
    while first < focus && h[first..=focus].iter().sum::<u16>() > rows {
        first += 1;
    }
    first
}

/// Options side by side on one line; when they do not fit, a window
/// around `at` with ‹ and › saying there are more.
fn draw_window(
    buf: &mut Buffer,
    area: Rect,
    labels: &[String],
    styles: &[Style],
    at: usize,
    th: &crate::tui::theme::Theme,
) {
    let w: Vec<u16> = labels.iter().map(|l| crate::text::width(l) as u16 + 1).collect();
    let room = area.width.saturating_sub(4);
    let mut first = 0;
    while first < at && w[first..=at].iter().sum::<u16>() > room {
        first += 1;
    }
    let mut x = area.x;
    if first > 0 {
        put(buf, x, area.y, 2, "‹ ", th.key, false);
        x += 2;
    }
    let mut k = first;
    while k < labels.len() {
        if x + w[k] > area.right().saturating_sub(2) && k > at {
            put(buf, area.right().saturating_sub(2), area.y, 2, " ›", th.key, false);
            break;
        }
        put(buf, x, area.y, w[k].saturating_sub(1), &labels[k], styles[k], false);
        x += w[k];
        k += 1;
    }
}

/// Why a date is outside its field's range, if it is.
fn date_bounds(d: NaiveDate, min: Option<NaiveDate>, max: Option<NaiveDate>, s: &Strings) -> Option<String> {
    if min.is_some_and(|m| d < m) {
        return Some(s.date_past.to_string());
    }
    max.filter(|m| d > *m).map(|m| fill(s.date_after, &[&m]))
}

/// Draws the form centred on the screen `screen`.
pub fn render(ctx: &RenderCtx, form: &Form, screen: Rect, buf: &mut Buffer) {
    let s = ctx.s;
    let th = ctx.theme;
    let area = layout::form_area(screen, form.height());
    super::clear(area, buf);
    let hint = if form.fields.len() > 1 {
        s.form_hint
    } else {
        s.form_hint_one
    };
    let block = super::block(ctx, &form.title, hint);
    let inner = block.inner(area);
    block.render(area, buf);
    // A form taller than the screen scrolls to keep the focused field in
    // view; arrows on the right say there is more above or below.
    let first = first_shown(form, inner.height);
    if first > 0 {
        put(buf, inner.right().saturating_sub(2), inner.y, 2, "↑", th.key, false);
    }
    let mut y = inner.y;
    let bottom = inner.bottom();
    for (i, f) in form.fields.iter().enumerate().skip(first) {
        if y >= bottom {
            put(buf, inner.right().saturating_sub(2), bottom - 1, 2, "↓", th.key, false);
            break;
        }
        let focused = i == form.focus;
        let label_style = if focused { th.key } else { th.title };
        // Label line: name, then a note on the right (required, count, preview).
        let note = match &f.kind {
            FieldKind::Text {
                area, max, required, ..
            } => {
                let n = area.lines().join("\n").trim().chars().count();
                let req = match f.rule {
                    Some(rule) => rule,
                    None if *required => s.required,
                    None => s.optional,
                };
                format!("{req} · {}", fill(s.chars_used, &[&n, max]))
            }
            FieldKind::Date {
                area,
                min,
                max,
                optional,
            } => match parse_date_input(&area.lines().join(""), ctx.today) {
                Ok(d) => match date_bounds(d, *min, *max, s) {
                    Some(_) => format!("→ {d} ✗"),
                    None => format!("→ {d}"),
                },
                Err(_) if *optional => s.optional.to_string(),
                Err(_) => String::new(),
            },
            FieldKind::Choice { .. } => s.choice_hint.to_string(),
            FieldKind::Multi { .. } => s.multi_hint.to_string(),
        };
        let marker = if focused { "▶ " } else { "  " };
        put(
            buf,
            inner.x,
            y,
            inner.width,
            &format!("{marker}{}", f.label),
            label_style,
            false,
        );
        let nw = crate::text::width(&note) as u16;
        if nw + 4 < inner.width {
            put(buf, inner.x + inner.width - nw, y, nw, &note, th.dim, false);
        }
        y += 1;
        let rows = match &f.kind {
            FieldKind::Text { rows, .. } => *rows,
            _ => 1,
        };
        let field_area = Rect {
            x: inner.x + 2,
            y,
            width: inner.width.saturating_sub(2),
            height: rows.min(bottom.saturating_sub(y)),
        };
        match &f.kind {
            FieldKind::Text { area, .. } | FieldKind::Date { area, .. } => {
                let style = if focused { th.input } else { th.input_idle };
                buf.set_style(field_area, style);
                if focused {
                    area.render(field_area, buf);
                } else {
                    // Unfocused editors show their lines as they are, without a cursor.
                    let mut quiet = area.clone();
                    quiet.set_cursor_style(style);
                    quiet.set_style(style);
                    quiet.render(field_area, buf);
                }
            }
            FieldKind::Choice { options, selected, .. } => {
                let labels: Vec<String> = options
                    .iter()
                    .enumerate()
                    .map(|(k, o)| {
                        if k == *selected {
                            format!("[{} {o}]", k + 1)
                        } else if k < 9 {
                            format!(" {} {o} ", k + 1)
                        } else {
                            format!(" {o} ")
                        }
                    })
                    .collect();
                let styles: Vec<Style> = (0..options.len())
                    .map(|k| {
                        if k != *selected {
                            th.base
                        } else if focused {
                            th.selected
                        } else {
                            th.title.add_modifier(Modifier::REVERSED)
                        }
                    })
                    .collect();
                draw_window(buf, field_area, &labels, &styles, *selected, th);
            }
            FieldKind::Multi {
                options,
                chosen,
                cursor,
            } => {
                let labels: Vec<String> = options
                    .iter()
                    .zip(chosen)
                    .map(|(o, c)| format!("{} {o}", if *c { "☑" } else { "☐" }))
                    .collect();
                let styles: Vec<Style> = (0..options.len())
                    .map(|k| {
                        if focused && k == *cursor {
                            th.selected
                        } else if chosen.get(k) == Some(&true) {
                            th.title
                        } else {
                            th.base
                        }
                    })
                    .collect();
                draw_window(buf, field_area, &labels, &styles, *cursor, th);
            }
        }
        y += rows;
        if y < bottom {
            if let Some(e) = &f.error {
                put(
                    buf,
                    inner.x + 2,
                    y,
                    inner.width.saturating_sub(2),
                    &format!("✗ {e}"),
                    th.red,
                    false,
                );
            }
            y += 1;
        }
    }
}
