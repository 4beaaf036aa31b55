//! Pure types and rules of the office's work: units, roles, months, report and
//! checklist states, alert levels. No SQL and no terminal code here.

pub mod account;
pub mod calendar;
pub mod deadline;
pub mod input;
pub mod item;
pub mod quarter;
pub mod task;

pub use calendar::Month;
pub use item::{Channel, ItemKey};
pub use quarter::Quarter;

use std::fmt;

/// An enum stored in the database by a stable code. Reading an unknown code
/// back is an error (see `db::code`), never a silent default.
pub trait Code: Sized + Copy + 'static {
    /// What the values are, for messages ("report status").
    const WHAT: &'static str;
    /// The stable code stored in the database.
    fn code(self) -> &'static str;
    /// Parses a stored code.
    fn from_code(s: &str) -> Option<Self>;
    /// Every value, in declaration order.
    fn all() -> &'static [Self];
}

macro_rules! code_enum {
    ($(#[$m:meta])* $name:ident ($what:literal) { $($(#[$vm:meta])* $var:ident = $code:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($(#[$vm])* $var),+ }
        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$var),+];
            /// How many values there are (word lists are this long: a new
            /// value does not compile until every language names it).
            pub const COUNT: usize = $name::ALL.len();
            /// The value's place in [`Self::ALL`].
            pub const fn index(self) -> usize {
                let mut i = 0;
                $(if matches!(self, $name::$var) { return i; } i += 1;)+
                let _ = i;
                0
            }
            /// The stable code stored in the database and used in exports.
            pub fn code(self) -> &'static str { match self { $($name::$var => $code),+ } }
            /// Parses a stored code.
            pub fn from_code(s: &str) -> Option<Self> { match s { $($code => Some($name::$var),)+ _ => None } }
        }
        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result { f.write_str(self.code()) }
        }
        impl Code for $name {
            const WHAT: &'static str = $what;
            fn code(self) -> &'static str { $name::code(self) }
            fn from_code(s: &str) -> Option<Self> { $name::from_code(s) }
            fn all() -> &'static [Self] { $name::ALL }
        }
    };
}
pub(crate) use code_enum;

code_enum!(
    /// A unit's role on an article (牵头 / 配合).
    Role ("role") { Lead = "lead", Partner = "partner" }
);

code_enum!(
    /// What kind of body a unit is; decides its column group in the matrix.
    UnitKind ("unit kind") {
        Department = "department",
        PartyOffice = "party_office",
        Regulator = "regulator",
        Prefecture = "prefecture",
        Zone = "zone",
        Office = "office",
        Collective = "collective",
    }
);

impl UnitKind {
    /// Column group in the task matrix (and the unit-kind filters).
    pub fn group(self) -> KindGroup {
        match self {
            UnitKind::Department | UnitKind::PartyOffice | UnitKind::Regulator => KindGroup::Departments,
            UnitKind::Prefecture => KindGroup::Prefectures,
            UnitKind::Zone => KindGroup::Zones,
            UnitKind::Office | UnitKind::Collective => KindGroup::Offices,
        }
    }
}

/// Groups of units, as the matrix's columns group them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum KindGroup {
    Departments,
    Prefectures,
    Zones,
    Offices,
}

impl KindGroup {
    pub const ALL: [KindGroup; 4] = [
        KindGroup::Departments,
        KindGroup::Prefectures,
        KindGroup::Zones,
        KindGroup::Offices,
    ];

    pub fn of(k: UnitKind) -> KindGroup {
        k.group()
    }
}

code_enum!(
    /// State of a received report (the stored part of the inbox status).
    ReportStatus ("report status") { New = "new", Accepted = "accepted", Returned = "returned" }
);

code_enum!(
    /// What the inbox shows for one unit and month, received or not.
    InboxStatus ("inbox status") {
        /// 待报: not received, not yet due.
        Pending = "pending",
        /// 逾期未报: not received, past due.
        Missing = "missing",
        /// 未阅: received on time, not yet read.
        New = "new",
        /// 补报: received after the due date, not yet read.
        Late = "late",
        /// 已阅: accepted.
        Accepted = "accepted",
        /// 退回: returned for revision.
        Returned = "returned",
        /// 办结: settled without arriving (marked done).
        Closed = "closed",
    }
);

impl InboxStatus {
    /// Derives the inbox status of one unit-month.
    pub fn derive(
        stored: Option<ReportStatus>,
        received: Option<chrono::NaiveDate>,
        due: chrono::NaiveDate,
        today: chrono::NaiveDate,
        closed: bool,
    ) -> Self {
        // A report that exists is received even if its date could not be read.
        match (stored, received) {
            (None, _) if closed => InboxStatus::Closed,
            (None, _) if today > due => InboxStatus::Missing,
            (None, _) => InboxStatus::Pending,
            (Some(ReportStatus::Accepted), _) => InboxStatus::Accepted,
            (Some(ReportStatus::Returned), _) => InboxStatus::Returned,
            (Some(ReportStatus::New), Some(r)) if r > due => InboxStatus::Late,
            (Some(ReportStatus::New), _) => InboxStatus::New,
        }
    }
}

code_enum!(
    /// Progress of a unit on an article as reported (正常 / 滞后 / 完成).
    Progress ("progress status") { OnTrack = "on_track", Lagging = "lagging", Done = "done" }
);

code_enum!(
    /// Status of a measure (a trackable task of an article).
    MeasureStatus ("measure status") { Open = "open", Done = "done" }
);

code_enum!(
    /// State of a leading-group meeting.
    MeetingStatus ("meeting status") { Planned = "planned", Held = "held" }
);

code_enum!(
    /// Life cycle of a delegated-authority item.
    AuthorityStatus ("authority status") {
        Proposed = "proposed",
        Submitted = "submitted",
        Approved = "approved",
        Delegated = "delegated",
        Undertaken = "undertaken",
        Suspended = "suspended",
        Revoked = "revoked",
    }
);

impl AuthorityStatus {
    /// The workflow's main line: 拟下放 → 已报批 → 已批准 → 已下放 → 已承接.
    pub const CHAIN: [AuthorityStatus; 5] = [
        AuthorityStatus::Proposed,
        AuthorityStatus::Submitted,
        AuthorityStatus::Approved,
        AuthorityStatus::Delegated,
        AuthorityStatus::Undertaken,
    ];

    fn rank(self) -> Option<usize> {
        Self::CHAIN.iter().position(|s| *s == self)
    }

    /// The next step on the main line (`>`), if there is one.
    pub fn next(self) -> Option<AuthorityStatus> {
        Self::CHAIN.get(self.rank()? + 1).copied()
    }

    /// Whether an item may move from `self` to `to`: forward on the main
    /// line (steps may be skipped), to 暂缓 from an open or delegated item,
    /// back to any step of the line from 暂缓, and to 收回 from anything
    /// but 收回 (收回 is final; nothing is deleted).
    pub fn may_become(self, to: AuthorityStatus) -> bool {
        use AuthorityStatus as S;
        if self == to || self == S::Revoked {
            return false;
        }
        match (self, to) {
            (_, S::Revoked) => true,
            (S::Suspended, t) => t.rank().is_some(),
            (S::Undertaken, S::Suspended) => false,
            (_, S::Suspended) => true,
            (f, t) => matches!((f.rank(), t.rank()), (Some(a), Some(b)) if b > a),
        }
    }

    /// Every status an item in `self` may move to, in workflow order.
    pub fn moves(self) -> Vec<AuthorityStatus> {
        Self::ALL.iter().copied().filter(|t| self.may_become(*t)).collect()
    }

    /// Moving here needs the document number (文号) and a date.
    pub fn needs_doc(self) -> bool {
        matches!(self, AuthorityStatus::Delegated | AuthorityStatus::Undertaken)
    }

    /// Moving here needs a reason.
    pub fn needs_reason(self) -> bool {
        matches!(self, AuthorityStatus::Suspended | AuthorityStatus::Revoked)
    }

    /// Counts as finished for progress: delegated with a document, or undertaken.
    pub fn is_done(self) -> bool {
        matches!(self, AuthorityStatus::Delegated | AuthorityStatus::Undertaken)
    }
    /// Still moving (a due date applies).
    pub fn is_open(self) -> bool {
        matches!(
            self,
            AuthorityStatus::Proposed | AuthorityStatus::Submitted | AuthorityStatus::Approved
        )
    }
}

code_enum!(
    /// The nine domains of article 16 in which powers are granted.
    AuthorityDomain ("authority domain") {
        SciTech = "sci_tech",
        Planning = "planning",
        Industry = "industry",
        Talent = "talent",
        MarketAccess = "market_access",
        ProjectApproval = "project_approval",
        Finance = "finance",
        Infrastructure = "infrastructure",
        Environment = "environment",
    }
);

code_enum!(
    /// Level of a granted power: region (自治区级) or prefecture (地（市）级).
    AuthorityLevel ("authority level") { Region = "region", Prefecture = "prefecture" }
);

code_enum!(
    /// How a target is measured.
    TargetKind ("target kind") {
        Count = "count",
        Amount = "amount",
        GrowthRate = "growth_rate",
        Coverage = "coverage",
        PerZone = "per_zone",
    }
);

code_enum!(
    /// Traffic-light urgency of a dated item.
    AlertLevel ("alert level") {
        /// 通报: raised past red by unanswered reminders; named in the circular.
        Circular = "circular",
        Red = "red",
        Yellow = "yellow",
        Blue = "blue",
        Calm = "calm",
    }
);

/// Day thresholds for alert levels (configurable).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AlertThresholds {
    /// Due within this many days: yellow.
    pub yellow_days: i64,
    /// Due within this many days: blue.
    pub blue_days: i64,
}

impl Default for AlertThresholds {
    fn default() -> Self {
        AlertThresholds {
            yellow_days: 7,
            blue_days: 30,
        }
    }
}

impl AlertLevel {
    /// Level for an item `days_left` days before its due date (negative =
    /// overdue), raised one step per reminder (see [`deadline`] for the
    /// ladder the alerts use).
    pub fn classify(days_left: i64, reminders: u32, t: AlertThresholds) -> AlertLevel {
        let base = if days_left < 0 {
            AlertLevel::Red
        } else if days_left <= t.yellow_days {
            AlertLevel::Yellow
        } else if days_left <= t.blue_days {
            AlertLevel::Blue
        } else {
            AlertLevel::Calm
        };
        deadline::raise(base, reminders as usize, &deadline::Ladder::default())
    }

    /// Whether the item is past due (red or beyond).
    pub fn is_overdue_level(self) -> bool {
        matches!(self, AlertLevel::Red | AlertLevel::Circular)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn codes_round_trip() {
        for s in AuthorityStatus::ALL {
            assert_eq!(AuthorityStatus::from_code(s.code()), Some(*s));
        }
        assert_eq!(AuthorityDomain::ALL.len(), 9);
        assert_eq!(Role::from_code("boss"), None);
    }

    #[test]
    fn authority_workflow() {
        use AuthorityStatus as S;
        assert_eq!(S::Proposed.next(), Some(S::Submitted));
        assert_eq!(S::Delegated.next(), Some(S::Undertaken));
        assert_eq!(S::Undertaken.next(), None);
        assert_eq!(S::Suspended.next(), None);
        assert!(S::Proposed.may_become(S::Approved), "steps may be skipped");
        assert!(!S::Approved.may_become(S::Submitted), "no way back but undo");
        assert!(S::Approved.may_become(S::Suspended));
        assert!(S::Suspended.may_become(S::Approved));
        assert!(!S::Undertaken.may_become(S::Suspended));
        assert!(S::Undertaken.may_become(S::Revoked));
        assert!(S::Revoked.moves().is_empty(), "收回 is final");
        assert_eq!(S::Delegated.moves(), vec![S::Undertaken, S::Suspended, S::Revoked]);
        assert!(S::Delegated.needs_doc() && S::Undertaken.needs_doc() && !S::Approved.needs_doc());
        assert!(S::Revoked.needs_reason() && S::Suspended.needs_reason());
    }

    #[test]
    fn inbox_status_rules() {
        let due = d("2026-11-05");
        use InboxStatus as I;
        assert_eq!(I::derive(None, None, due, d("2026-11-05"), false), I::Pending);
        assert_eq!(I::derive(None, None, due, d("2026-11-06"), false), I::Missing);
        let r = Some(ReportStatus::New);
        assert_eq!(I::derive(r, Some(d("2026-11-03")), due, d("2026-11-20"), false), I::New);
        assert_eq!(
            I::derive(r, Some(d("2026-11-09")), due, d("2026-11-20"), false),
            I::Late
        );
        let a = Some(ReportStatus::Accepted);
        assert_eq!(
            I::derive(a, Some(d("2026-11-09")), due, d("2026-11-20"), false),
            I::Accepted
        );
        // An unreadable arrival date: still received, not missing, not late.
        assert_eq!(I::derive(r, None, due, d("2026-11-20"), false), I::New);
        // Settled without arriving; a report that did arrive keeps its status.
        assert_eq!(I::derive(None, None, due, d("2026-11-20"), true), I::Closed);
        assert_eq!(
            I::derive(a, Some(d("2026-11-09")), due, d("2026-11-20"), true),
            I::Accepted
        );
    }

    #[test]
    fn alert_levels_and_escalation() {
        let t = AlertThresholds::default();
        assert_eq!(AlertLevel::classify(-1, 0, t), AlertLevel::Red);
        assert_eq!(AlertLevel::classify(7, 0, t), AlertLevel::Yellow);
        assert_eq!(AlertLevel::classify(8, 0, t), AlertLevel::Blue);
        assert_eq!(AlertLevel::classify(31, 0, t), AlertLevel::Calm);
        assert_eq!(AlertLevel::classify(20, 1, t), AlertLevel::Yellow);
        assert_eq!(AlertLevel::classify(20, 5, t), AlertLevel::Circular);
        assert_eq!(AlertLevel::classify(-3, 1, t), AlertLevel::Circular);
    }
}
