//! The whole screen: the frame (`tui::view`) from a [`Chrome`] snapshot,
//! the focused pane through [`PaneState::render`], the dashboard column,
//! and the overlay stack. Everything is laid out from the area being drawn.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::widgets::Widget;

use super::App;
use crate::domain::AlertLevel;
use crate::tui::action::Action;
use crate::tui::keymap::Scope;
use crate::tui::layout;
use crate::tui::overlay::{self, Overlay};
use crate::tui::panes;
use crate::tui::panes::side::SideData;
use crate::tui::view::{self, Chrome};

impl Widget for &App {
    fn render(self, area: Rect, buf: &mut Buffer) {
        buf.set_style(area, self.theme.base);
        let ctx = self.ctx();
        if layout::too_small(area) {
            let typed = self
                .overlays
                .iter()
                .any(|o| matches!(o, Overlay::Form(f) if f.is_dirty()));
            view::too_small(&ctx, area, buf, typed, self.small_dropped);
            return;
        }
        let c = layout::chrome(area);
        let chrome = self.chrome();
        view::render_header(&ctx, &chrome, c.header, buf);
        view::render_tabs(&ctx, &chrome, c.tabs, buf);
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
        self.focused().render(&ctx, c.body, buf);
        view::render_footer(&ctx, &chrome, c.footer, buf);
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
        view::sanitize_frame(area, buf);
    }
}

impl App {
    /// What the header, tabs and footer show now.
    fn chrome(&self) -> Chrome<'_> {
        Chrome {
            db_label: &self.db_label,
            user: &self.actor.user,
            today_set: self.today_set,
            external_update: self.external_update.as_deref(),
            pane: self.pane,
            overdue_reports: self.overdue_reports(),
            unread: self.unread,
            checklist_progress: panes::checklist::progress(&self.checklist.all),
            circular: self.alerts_at(AlertLevel::Circular),
            red: self.alerts_at(AlertLevel::Red),
            message: self.message.as_ref(),
            typing_filter: self.typing_filter(),
            filter: self.filter(),
            overlay_open: !self.overlays.is_empty(),
            marks: self.mark_counts(),
            position: self.position(),
            sort_label: self.sort_label(),
            hints: self.hints(),
        }
    }

    /// Key hints: `(key, label)` of the bindings that do something now.
    fn hints(&self) -> Vec<(String, &'static str)> {
        let s = self.lang.s();
        let top = self.overlays.last().map(Overlay::scope);
        let scope = top.unwrap_or(self.pane.scope());
        let mut bindings: Vec<_> = self
            .keymap
            .effective(scope)
            .into_iter()
            .filter(|b| b.hint && (!scope.is_pane_layer() || self.enabled(b.action)))
            .collect();
        if scope == Scope::Detail {
            // A detail acts on its row: the pane's edit keys are offered too.
            bindings.extend(self.keymap.effective(self.pane.scope()).into_iter().filter(|b| {
                b.hint
                    && matches!(
                        b.action,
                        Action::Help | Action::Accept | Action::Return | Action::Note | Action::Remind | Action::Undo
                    )
                    && self.enabled(b.action)
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
}
