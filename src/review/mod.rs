//! The quarterly review (季度审议, article 17): the documents made from
//! the quarter's figures (`crate::figures`) with their labels in both
//! languages ([`strings`]): the review as Markdown, HTML or CSV
//! ([`doc`]) and the 通报 ([`circular`]). The presentation is
//! `tui::review`; the reads are `db::review`; freezing is `ops::snapshot`.

pub mod circular;
pub mod doc;
/// The review's words (they live with every other word, in [`crate::i18n`]).
pub use crate::i18n::review as strings;
