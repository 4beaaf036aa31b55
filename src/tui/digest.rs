//! What the tab bar and the dashboard show of the data the panes hold:
//! counted once when data is loaded, never per frame (at a million reports
//! a per-frame pass over every row costs more than the frame).

use crate::db::alerts::{AlertRow, AlertSource};
use crate::db::inbox::InboxRow;
use crate::domain::{InboxStatus, Month};

/// How many rows of each list the dashboard keeps (more than any screen
/// shows).
pub const KEEP: usize = 200;

/// The current reporting month at a glance.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct InboxDigest {
    pub month: Option<Month>,
    /// Rows of each status, in `InboxStatus::ALL` order.
    pub counts: [usize; InboxStatus::ALL.len()],
    /// Units that have not reported, or whose report was returned, in unit
    /// order (at most [`KEEP`]).
    pub waiting: Vec<InboxRow>,
}

impl InboxDigest {
    pub fn of(month: Month, rows: &[InboxRow]) -> InboxDigest {
        let mut counts = [0; InboxStatus::ALL.len()];
        for r in rows {
            counts[r.status as usize] += 1;
        }
        InboxDigest {
            month: Some(month),
            counts,
            waiting: rows
                .iter()
                .filter(|r| matches!(r.status, InboxStatus::Missing | InboxStatus::Returned))
                .take(KEEP)
                .cloned()
                .collect(),
        }
    }

    pub fn count(&self, status: InboxStatus) -> usize {
        self.counts[status as usize]
    }
}

/// The alerts at a glance.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AlertsDigest {
    /// Monthly reports past due and not received.
    pub overdue_reports: usize,
    /// The most urgent alerts not snoozed, most urgent first (at most [`KEEP`]).
    pub urgent: Vec<AlertRow>,
}

impl AlertsDigest {
    pub fn of(rows: &[AlertRow]) -> AlertsDigest {
        let mut idx: Vec<usize> = (0..rows.len()).filter(|&i| !rows[i].snoozed).collect();
        idx.sort_by_key(|&i| urgency(&rows[i]));
        AlertsDigest {
            overdue_reports: rows
                .iter()
                .filter(|r| r.source == AlertSource::MissingReport && r.days_left < 0)
                .count(),
            urgent: idx.into_iter().take(KEEP).map(|i| rows[i].clone()).collect(),
        }
    }
}

/// The order of urgency: level, then days left, then the stable order.
pub fn urgency(r: &AlertRow) -> (crate::domain::AlertLevel, i64) {
    (r.level, r.days_left)
}
