//! The inbox's other views and filters: the status and unit-kind quick
//! filters (with counts), the imports view (`I`) and the unit × month grid
//! (`m`).

use super::App;
use crate::db;
use crate::tui::intent::Tone;
use crate::tui::overlay::{Detail, DetailKind, Overlay};
use crate::tui::panes::Pane;
use crate::tui::panes::inbox::InboxView;

impl App {
    /// Enter in the imports view (everything about the file, and its
    /// sidecar) or the grid (that unit's report of that month).
    pub(super) fn open_view(&mut self) -> bool {
        match self.inbox.view {
            InboxView::Month => false,
            InboxView::Imports => {
                if let Some(e) = self.inbox.imports.selected().cloned() {
                    let sidecar = self.sidecar_of(&e);
                    self.overlays.push(Overlay::Detail(Detail {
                        kind: DetailKind::Import(Box::new((e, sidecar))),
                        scroll: 0,
                        pick: 0,
                    }));
                }
                true
            }
            InboxView::Grid => {
                let Some(r) = self.inbox.grid.as_ref().and_then(|g| g.selected()).cloned() else {
                    return true;
                };
                let key = r.key();
                self.inbox.view = InboxView::Month;
                let cx = super::cx!(self);
                self.inbox.clear_quick(&cx);
                self.inbox.list.filter.clear();
                if self.inbox.month != r.month {
                    self.inbox.month = r.month;
                    self.inbox.list.marks.clear();
                }
                let s = self.lang.s();
                let page = self.page_of(Pane::Inbox);
                self.report(|app| {
                    let rows =
                        db::inbox::month_rows(&app.conn, r.month, app.policy.due_day, &app.policy.calendar, app.today)?;
                    app.inbox.set_all(rows, s, page);
                    Ok(())
                });
                self.inbox.list.select_key(&key, s, page);
                self.load_inbox_detail();
                true
            }
        }
    }

    /// `v`: what changed in the selected report from its previous version.
    pub(super) fn open_versions(&mut self) {
        let s = self.lang.s();
        if self.inbox.view != InboxView::Month {
            return;
        }
        let Some(id) = self.inbox.list.selected().and_then(|r| r.report_id) else {
            self.say(s.not_received, Tone::Info);
            return;
        };
        match db::inbox::version_diff(&self.conn, id) {
            Ok(Some(d)) => self.overlays.push(Overlay::Detail(Detail {
                kind: DetailKind::Versions(Box::new(d)),
                scroll: 0,
                pick: 0,
            })),
            Ok(None) => self.say(s.one_version, Tone::Info),
            Err(e) => self.fail(&e),
        }
    }

    /// The sidecar kept with a refused file, read from the drop folder
    /// (only a regular file, at most 64 KiB).
    fn sidecar_of(&self, e: &db::intake::LogEntry) -> Option<String> {
        if e.result != db::intake::LogResult::Refused || e.stored_as.is_empty() {
            return None;
        }
        let root = self.inbox_dir.as_ref()?;
        let rel = std::path::Path::new(&e.stored_as);
        if rel.is_absolute() || rel.components().any(|c| matches!(c, std::path::Component::ParentDir)) {
            return None;
        }
        let p = crate::drop_folder::sidecar_of(&root.join(rel));
        let meta = std::fs::symlink_metadata(&p).ok()?;
        if !meta.is_file() || meta.len() > 64 * 1024 {
            return None;
        }
        std::fs::read(&p).ok().map(|b| String::from_utf8_lossy(&b).into_owned())
    }
}
