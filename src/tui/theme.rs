//! Colours. Status is never shown by colour alone: every coloured status also
//! has a symbol or a word. `NO_COLOR` leaves only bold and reverse video.

use ratatui::style::{Color, Modifier, Style};

use crate::db::matrix::CellStatus;
use crate::domain::{AlertLevel, AuthorityStatus, InboxStatus, Progress};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ThemeKind {
    Default,
    HighContrast,
}

/// The styles the views use.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Theme {
    pub base: Style,
    pub header: Style,
    pub tab: Style,
    pub tab_active: Style,
    pub border: Style,
    pub border_focus: Style,
    pub title: Style,
    pub selected: Style,
    pub key: Style,
    pub dim: Style,
    pub red: Style,
    pub yellow: Style,
    pub blue: Style,
    pub green: Style,
    pub magenta: Style,
    pub badge: Style,
    /// The editor a person is typing in.
    pub input: Style,
    /// An editor not focused.
    pub input_idle: Style,
}

impl Theme {
    pub fn new(kind: ThemeKind, no_color: bool) -> Theme {
        if no_color {
            let plain = Style::default();
            let bold = plain.add_modifier(Modifier::BOLD);
            return Theme {
                base: plain,
                header: bold,
                tab: plain,
                tab_active: bold.add_modifier(Modifier::REVERSED),
                border: plain,
                border_focus: bold,
                title: bold,
                selected: plain.add_modifier(Modifier::REVERSED),
                key: bold,
                dim: plain,
                red: bold,
                yellow: plain,
                blue: plain,
                green: plain,
                magenta: plain,
                badge: bold.add_modifier(Modifier::REVERSED),
                input: plain.add_modifier(Modifier::UNDERLINED),
                input_idle: plain,
            };
        }
        match kind {
            ThemeKind::Default => Theme {
                base: Style::default(),
                header: Style::default()
                    .fg(Color::White)
                    .bg(Color::Blue)
                    .add_modifier(Modifier::BOLD),
                tab: Style::default().fg(Color::Gray),
                tab_active: Style::default()
                    .fg(Color::Black)
                    .bg(Color::Cyan)
                    .add_modifier(Modifier::BOLD),
                border: Style::default().fg(Color::DarkGray),
                border_focus: Style::default().fg(Color::Cyan),
                title: Style::default().add_modifier(Modifier::BOLD),
                selected: Style::default().bg(Color::DarkGray).add_modifier(Modifier::BOLD),
                key: Style::default().fg(Color::Cyan).add_modifier(Modifier::BOLD),
                dim: Style::default().fg(Color::DarkGray),
                red: Style::default().fg(Color::Red),
                yellow: Style::default().fg(Color::Yellow),
                blue: Style::default().fg(Color::Blue),
                green: Style::default().fg(Color::Green),
                magenta: Style::default().fg(Color::Magenta),
                badge: Style::default()
                    .fg(Color::Black)
                    .bg(Color::Yellow)
                    .add_modifier(Modifier::BOLD),
                input: Style::default().bg(Color::DarkGray),
                input_idle: Style::default().add_modifier(Modifier::UNDERLINED),
            },
            ThemeKind::HighContrast => Theme {
                base: Style::default().fg(Color::White).bg(Color::Black),
                header: Style::default()
                    .fg(Color::Black)
                    .bg(Color::White)
                    .add_modifier(Modifier::BOLD),
                tab: Style::default().fg(Color::White).bg(Color::Black),
                tab_active: Style::default()
                    .fg(Color::Black)
                    .bg(Color::Yellow)
                    .add_modifier(Modifier::BOLD),
                border: Style::default().fg(Color::White),
                border_focus: Style::default().fg(Color::Yellow).add_modifier(Modifier::BOLD),
                title: Style::default().fg(Color::White).add_modifier(Modifier::BOLD),
                selected: Style::default()
                    .fg(Color::Black)
                    .bg(Color::Yellow)
                    .add_modifier(Modifier::BOLD),
                key: Style::default().fg(Color::Yellow).add_modifier(Modifier::BOLD),
                dim: Style::default().fg(Color::Gray),
                red: Style::default().fg(Color::LightRed).add_modifier(Modifier::BOLD),
                yellow: Style::default().fg(Color::LightYellow).add_modifier(Modifier::BOLD),
                blue: Style::default().fg(Color::LightCyan).add_modifier(Modifier::BOLD),
                green: Style::default().fg(Color::LightGreen).add_modifier(Modifier::BOLD),
                magenta: Style::default().fg(Color::LightMagenta).add_modifier(Modifier::BOLD),
                badge: Style::default()
                    .fg(Color::Black)
                    .bg(Color::LightRed)
                    .add_modifier(Modifier::BOLD),
                input: Style::default().fg(Color::Black).bg(Color::White),
                input_idle: Style::default().fg(Color::White).add_modifier(Modifier::UNDERLINED),
            },
        }
    }

    /// For the Linux console, which draws bright backgrounds (the
    /// selection's dark grey, colour 100) as black: the selected row, and
    /// the editor being typed in, in reverse video instead.
    pub fn on_linux_console(self) -> Theme {
        let grey_bg = |s: Style| s.bg == Some(Color::DarkGray);
        let mut t = self;
        if grey_bg(t.selected) {
            t.selected = Style::default().add_modifier(Modifier::REVERSED | Modifier::BOLD);
        }
        if grey_bg(t.input) {
            t.input = Style::default().add_modifier(Modifier::REVERSED);
        }
        t
    }

    pub fn inbox(&self, s: InboxStatus) -> (Style, &'static str) {
        match s {
            InboxStatus::Pending => (self.dim, "·"),
            InboxStatus::Missing => (self.red, "✗"),
            InboxStatus::New => (self.blue, "●"),
            InboxStatus::Late => (self.yellow, "◆"),
            InboxStatus::Accepted => (self.green, "✔"),
            InboxStatus::Returned => (self.magenta, "↩"),
            InboxStatus::Closed => (self.dim, "⊘"),
        }
    }

    pub fn progress(&self, p: Progress) -> (Style, &'static str) {
        match p {
            Progress::OnTrack => (self.green, "●"),
            Progress::Lagging => (self.yellow, "▲"),
            Progress::Done => (self.blue, "✔"),
        }
    }

    pub fn cell(&self, c: CellStatus) -> (Style, &'static str) {
        match c {
            CellStatus::OnTrack => (self.green, "●"),
            CellStatus::Lagging => (self.yellow, "▲"),
            CellStatus::Done => (self.blue, "✔"),
            CellStatus::NotReported => (self.red, "○"),
            CellStatus::Collective => (self.dim, "◇"),
            CellStatus::NotLoaded => (self.dim, "…"),
        }
    }

    pub fn authority(&self, s: AuthorityStatus) -> (Style, &'static str) {
        match s {
            AuthorityStatus::Proposed => (self.dim, "○"),
            AuthorityStatus::Submitted => (self.blue, "◔"),
            AuthorityStatus::Approved => (self.blue, "◑"),
            AuthorityStatus::Delegated => (self.green, "◕"),
            AuthorityStatus::Undertaken => (self.green, "✔"),
            AuthorityStatus::Suspended => (self.yellow, "‖"),
            AuthorityStatus::Revoked => (self.red, "✗"),
        }
    }

    pub fn alert(&self, l: AlertLevel) -> (Style, &'static str) {
        match l {
            AlertLevel::Circular => (self.magenta.add_modifier(ratatui::style::Modifier::BOLD), "‼"),
            AlertLevel::Red => (self.red, "●"),
            AlertLevel::Yellow => (self.yellow, "◐"),
            AlertLevel::Blue => (self.blue, "○"),
            AlertLevel::Calm => (self.dim, "·"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_linux_console_selects_in_reverse_video() {
        let t = Theme::new(ThemeKind::Default, false).on_linux_console();
        assert_eq!(t.selected.bg, None);
        assert!(t.selected.add_modifier.contains(Modifier::REVERSED));
        assert_eq!(t.input.bg, None);
        // Themes without a grey background keep theirs.
        let hc = Theme::new(ThemeKind::HighContrast, false);
        assert_eq!(hc.on_linux_console(), hc);
    }
}
