//! What every renderer may read besides its own state: theme, strings,
//! keymap, the date. Renderers never see the `App`.

use chrono::NaiveDate;

use super::keymap::Keymap;
use super::loader::Which;
use super::theme::Theme;
use crate::domain::AlertThresholds;
use crate::i18n::Strings;

#[derive(Clone, Copy)]
pub struct RenderCtx<'a> {
    pub theme: &'a Theme,
    pub s: &'static Strings,
    pub keymap: &'a Keymap,
    pub today: NaiveDate,
    pub read_only: bool,
    /// Read-only because the file cannot be written (not asked for).
    pub read_only_forced: bool,
    /// The database's drop folder, and whether this console watches it.
    pub drop_folder: (&'a std::path::Path, bool),
    pub thresholds: AlertThresholds,
    /// Day counts are working days.
    pub working_days: bool,
    /// Parts still being read for the first time (shown as 读取中…).
    pub loading: Waiting,
    /// Parts that could not be read (their figures are unknown, not zeros).
    pub unreadable: Unreadable,
}

/// Parts still being read for the first time.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Waiting {
    pub inbox: bool,
    pub alerts: bool,
    pub checklist: bool,
    pub matrix: bool,
}

/// Parts whose last reading failed (the reason was shown): what they
/// would show is unknown, and is never shown as zeros.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Unreadable {
    /// The month the inbox shows.
    pub inbox: bool,
    pub unread: bool,
    /// The current reporting month's digest.
    pub current: bool,
    pub checklist: bool,
    pub alerts: bool,
    pub matrix: bool,
}

impl Unreadable {
    pub fn mark(&mut self, which: Which) {
        let flag = match which {
            Which::Inbox => &mut self.inbox,
            Which::Unread => &mut self.unread,
            Which::Current => &mut self.current,
            Which::Checklist => &mut self.checklist,
            Which::Alerts => &mut self.alerts,
            Which::Matrix => &mut self.matrix,
        };
        *flag = true;
    }
}
