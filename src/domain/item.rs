//! Identities of the things the office tracks, printable and typable, the
//! same in the console, on the command line and in the audit log.
//!
//! | item | id | stored as (`entity`, `entity_key`) |
//! |---|---|---|
//! | a unit's monthly report (received or not) | `R12-2026-10` | `report`, `12:2026-10` |
//! | a measure (task) of an article | `M37` | `measure`, `37` |
//! | a delegated-authority item | `A5` | `authority`, `5` |
//! | a leading-group meeting | `G3` | `meeting`, `3` |
//! | a policy milestone | `P1` | `milestone`, `1` |
//!
//! A report is named by unit and month, not by its row: the row changes with
//! each resubmitted version, and a missing report has none. Ids are stable
//! for the life of a database. On the command line a report can also be
//! named `UNIT/MONTH` (`科技厅/2026-10`); resolving the unit needs the
//! database, so that form is parsed in `db::units`.

use std::fmt;
use std::str::FromStr;

use super::{Code, Month, code_enum};

/// One tracked item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ItemKey {
    /// The report of a unit (by id) for a month.
    Report {
        unit: i64,
        month: Month,
    },
    Measure(i64),
    Authority(i64),
    Meeting(i64),
    /// A date the policy itself sets (1: the deadline of the 2025 targets).
    Milestone(i64),
    /// A 督办 task.
    Task(i64),
}

impl ItemKey {
    /// The `entity` column of reminders, notes and the audit log.
    pub fn entity(self) -> &'static str {
        match self {
            ItemKey::Report { .. } => "report",
            ItemKey::Measure(_) => "measure",
            ItemKey::Authority(_) => "authority",
            ItemKey::Meeting(_) => "meeting",
            ItemKey::Milestone(_) => "milestone",
            ItemKey::Task(_) => "task",
        }
    }

    /// The `entity_key` column: `12:2026-10` for a report, the id otherwise.
    pub fn entity_key(self) -> String {
        match self {
            ItemKey::Report { unit, month } => format!("{unit}:{month}"),
            ItemKey::Measure(id)
            | ItemKey::Authority(id)
            | ItemKey::Meeting(id)
            | ItemKey::Milestone(id)
            | ItemKey::Task(id) => id.to_string(),
        }
    }

    /// Reads back what [`ItemKey::entity`] and [`ItemKey::entity_key`] wrote.
    pub fn from_stored(entity: &str, key: &str) -> Option<ItemKey> {
        let id = || key.parse::<i64>().ok();
        match entity {
            "report" => {
                let (u, m) = key.split_once(':')?;
                Some(ItemKey::Report {
                    unit: u.parse().ok()?,
                    month: m.parse().ok()?,
                })
            }
            "measure" => id().map(ItemKey::Measure),
            "authority" => id().map(ItemKey::Authority),
            "meeting" => id().map(ItemKey::Meeting),
            "milestone" => id().map(ItemKey::Milestone),
            "task" => id().map(ItemKey::Task),
            _ => None,
        }
    }
}

impl fmt::Display for ItemKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ItemKey::Report { unit, month } => write!(f, "R{unit}-{month}"),
            ItemKey::Measure(id) => write!(f, "M{id}"),
            ItemKey::Authority(id) => write!(f, "A{id}"),
            ItemKey::Meeting(id) => write!(f, "G{id}"),
            ItemKey::Milestone(id) => write!(f, "P{id}"),
            ItemKey::Task(id) => write!(f, "D{id}"),
        }
    }
}

/// Why a text is not an item id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadItemKey(pub String);

impl fmt::Display for BadItemKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:?} is not an item id: expected R12-2026-10 (a unit's report for a month), UNIT/2026-10, M5 (measure), A3 (authority item), G2 (meeting), P1 (milestone) or D7 (督办 task)",
            crate::text::sanitize(&self.0)
        )
    }
}

impl std::error::Error for BadItemKey {}

impl FromStr for ItemKey {
    type Err = BadItemKey;
    /// Parses `R12-2026-10`, `M5`, `A3`, `G2`, `P1`, `D7` (any letter case).
    fn from_str(s: &str) -> Result<ItemKey, BadItemKey> {
        let bad = || BadItemKey(s.to_string());
        let t = s.trim();
        let mut chars = t.chars();
        let kind = chars.next().ok_or_else(bad)?.to_ascii_uppercase();
        let rest = chars.as_str();
        let id = || -> Result<i64, BadItemKey> {
            if rest.is_empty() || !rest.chars().all(|c| c.is_ascii_digit()) {
                return Err(bad());
            }
            rest.parse::<i64>().map_err(|_| bad())
        };
        match kind {
            'R' => {
                let (unit, month) = rest.split_once('-').ok_or_else(bad)?;
                if unit.is_empty() || !unit.chars().all(|c| c.is_ascii_digit()) {
                    return Err(bad());
                }
                Ok(ItemKey::Report {
                    unit: unit.parse().map_err(|_| bad())?,
                    month: month.parse().map_err(|_| bad())?,
                })
            }
            'M' => id().map(ItemKey::Measure),
            'A' => id().map(ItemKey::Authority),
            'G' => id().map(ItemKey::Meeting),
            'P' => id().map(ItemKey::Milestone),
            'D' => id().map(ItemKey::Task),
            _ => Err(bad()),
        }
    }
}

code_enum!(
    /// How a 催办 (reminder) was given.
    Channel ("reminder channel") {
        /// 电话: a phone call.
        Phone = "phone",
        /// 通知单: a written notice (催办通知单).
        Notice = "notice",
        /// 会议: raised at a meeting.
        Meeting = "meeting",
        /// 系统: through this system.
        System = "system",
    }
);

impl Channel {
    /// Parses a code (`phone`) or its Chinese name (电话).
    pub fn parse(s: &str) -> Option<Channel> {
        let t = s.trim();
        Channel::from_code(&t.to_ascii_lowercase()).or(match t {
            "电话" => Some(Channel::Phone),
            "通知单" | "通知" => Some(Channel::Notice),
            "会议" => Some(Channel::Meeting),
            "系统" => Some(Channel::System),
            _ => None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn ids_print_and_parse() {
        let m: Month = "2026-10".parse().unwrap();
        let r = ItemKey::Report { unit: 12, month: m };
        assert_eq!(r.to_string(), "R12-2026-10");
        assert_eq!("r12-2026-10".parse::<ItemKey>().unwrap(), r);
        assert_eq!(" M37 ".parse::<ItemKey>().unwrap(), ItemKey::Measure(37));
        assert_eq!("a5".parse::<ItemKey>().unwrap(), ItemKey::Authority(5));
        assert_eq!("G3".parse::<ItemKey>().unwrap(), ItemKey::Meeting(3));
        for bad in [
            "",
            "R",
            "R12",
            "R12-2026-13",
            "M",
            "M-1",
            "Mx",
            "X1",
            "R-2026-10",
            "科技厅",
        ] {
            assert!(bad.parse::<ItemKey>().is_err(), "{bad:?}");
        }
        assert_eq!((r.entity(), r.entity_key().as_str()), ("report", "12:2026-10"));
        assert_eq!(ItemKey::from_stored("report", "12:2026-10"), Some(r));
        assert_eq!(ItemKey::from_stored("measure", "x"), None);
    }

    #[test]
    fn channels_by_code_or_name() {
        assert_eq!(Channel::parse("电话"), Some(Channel::Phone));
        assert_eq!(Channel::parse("NOTICE"), Some(Channel::Notice));
        assert_eq!(Channel::parse("fax"), None);
        assert_eq!(<Channel as Code>::all().len(), 4);
    }

    proptest! {
        #[test]
        fn every_id_round_trips(kind in 0..5u8, id in 0i64..1_000_000, y in 1000i32..9999, mo in 1u32..=12) {
            let k = match kind {
                0 => ItemKey::Report { unit: id, month: Month::new(y, mo).unwrap() },
                1 => ItemKey::Measure(id),
                2 => ItemKey::Authority(id),
                3 => ItemKey::Meeting(id),
                _ => ItemKey::Milestone(id),
            };
            prop_assert_eq!(k.to_string().parse::<ItemKey>().unwrap(), k);
            prop_assert_eq!(ItemKey::from_stored(k.entity(), &k.entity_key()), Some(k));
        }

        #[test]
        fn parsing_never_panics(s in "\\PC{0,20}") {
            let _ = s.parse::<ItemKey>();
        }
    }
}
