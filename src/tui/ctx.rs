//! What every renderer may read besides its own state: theme, strings,
//! keymap, the date. Renderers never see the `App`.

use chrono::NaiveDate;

use super::keymap::Keymap;
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
    pub loading: super::loading::Waiting,
    /// Parts that could not be read (their figures are unknown, not zeros).
    pub unreadable: super::loading::Unreadable,
}
