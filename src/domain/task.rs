//! 督办: the office's supervision of tasks beyond the policy text: the
//! leading group's decisions (议定事项), leaders' 批示 and the office's own
//! 立项, each a task with a 督办编号, a lead unit and partners, a deadline
//! and a closed loop: 已交办 → 已签收 → 办理中 → 申请办结 → 已办结 (销号),
//! with 退回重办 back into the loop. Units ask (an extension, a change of
//! wording); the office decides. No SQL here.

use std::fmt;

use super::{Code, code_enum};

code_enum!(
    /// Where a task came from.
    TaskSource ("task source") {
        /// A decision (议定事项) of a leading-group meeting.
        Decision = "decision",
        /// A leader's written instruction (批示).
        Instruction = "instruction",
        /// The office's own 立项.
        Office = "office",
    }
);

code_enum!(
    /// Where a task stands in the loop.
    TaskState ("task state") {
        /// 已交办: assigned to its lead unit, not yet acknowledged.
        Assigned = "assigned",
        /// 已签收: the lead unit acknowledged it.
        Acknowledged = "acknowledged",
        /// 办理中: progress has been reported.
        InProgress = "in_progress",
        /// 申请办结: the lead unit asks to close it.
        CloseRequested = "close_requested",
        /// 退回重办: the office did not accept the request to close.
        Returned = "returned",
        /// 已办结 (销号): the office signed it off.
        Closed = "closed",
    }
);

impl TaskState {
    /// Whether the task is still being worked on (everything but 销号).
    pub fn is_open(self) -> bool {
        self != TaskState::Closed
    }

    /// What `step` does from this state, or `None` when it does not apply.
    /// Feedback moves a task into 办理中 (it stays there); the office
    /// closes only what the unit asked to close, or returns it.
    pub fn after(self, step: TaskStep) -> Option<TaskState> {
        use TaskState as S;
        use TaskStep as T;
        match (self, step) {
            (S::Assigned, T::Acknowledge) => Some(S::Acknowledged),
            // Progress from a unit that did not say it received the task
            // says so: it is taken as acknowledged.
            (S::Assigned | S::Acknowledged | S::InProgress | S::Returned, T::Feedback) => Some(S::InProgress),
            (S::Acknowledged | S::InProgress | S::Returned, T::RequestClose) => Some(S::CloseRequested),
            (S::CloseRequested, T::Close) => Some(S::Closed),
            (S::CloseRequested, T::Return) => Some(S::Returned),
            _ => None,
        }
    }
}

/// A step of the loop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TaskStep {
    /// 签收 (the lead unit).
    Acknowledge,
    /// 反馈 progress (a unit on the task).
    Feedback,
    /// 申请办结 (the lead unit).
    RequestClose,
    /// 办结销号 (the office).
    Close,
    /// 退回重办 (the office).
    Return,
}

code_enum!(
    /// What a unit asks about a task.
    RequestKind ("request kind") {
        /// A later deadline (申请延期).
        Extension = "extension",
        /// Another wording of the task (任务表述调整).
        Wording = "wording",
    }
);

code_enum!(
    /// The office's answer to a request.
    RequestStatus ("request status") {
        Pending = "pending",
        Approved = "approved",
        Refused = "refused",
    }
);

code_enum!(
    /// How a feedback entry came: typed by the office, or read from the
    /// unit's monthly report file.
    FeedbackSource ("feedback source") { Typed = "typed", Report = "report" }
);

code_enum!(
    /// Where an agenda item came from.
    AgendaSource ("agenda source") {
        /// An item escalated to the leading group (`x` in the alerts).
        Escalated = "escalated",
        /// A matter a unit submitted for 审定.
        Submitted = "submitted",
        /// Added by the office.
        Office = "office",
    }
);

/// A 督办编号: `双创督〔2026〕12号` (the prefix is configurable; the
/// sequence runs per year).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskNo {
    pub prefix: String,
    pub year: i32,
    pub seq: i64,
}

impl fmt::Display for TaskNo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}〔{}〕{}号", self.prefix, self.year, self.seq)
    }
}

/// The prefix of 督办编号 when the configuration names none.
pub const DEFAULT_TASK_PREFIX: &str = "双创督";

/// Longest task title and text, in characters.
pub const MAX_TASK_TITLE: usize = 80;
pub const MAX_TASK_TEXT: usize = 2000;

/// Whether a task's partners may include `unit`: never its lead unit.
pub fn partners_valid(lead: i64, partners: &[i64]) -> bool {
    !partners.contains(&lead)
}

/// A 督办单's grade: 蓝 the deadline is near, 黄 the task is behind, 红 it
/// is overdue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Grade {
    Blue,
    Yellow,
    Red,
}

/// Working days after 交办 within which the lead unit should 签收.
pub const ACK_WITHIN_DAYS: i64 = 3;

impl Grade {
    /// The grade of an open task `days_left` days before its deadline
    /// (negative: overdue), or `None` while it is on track. Red when
    /// overdue; yellow when within the yellow threshold, returned for
    /// redoing, or not acknowledged `ACK_WITHIN_DAYS` working days after
    /// it was assigned (`days_since_assigned`); blue within the blue
    /// threshold.
    pub fn of(state: TaskState, days_left: i64, days_since_assigned: i64, t: super::AlertThresholds) -> Option<Grade> {
        if !state.is_open() {
            return None;
        }
        if days_left < 0 {
            Some(Grade::Red)
        } else if days_left <= t.yellow_days
            || state == TaskState::Returned
            || (state == TaskState::Assigned && days_since_assigned > ACK_WITHIN_DAYS)
        {
            Some(Grade::Yellow)
        } else if days_left <= t.blue_days {
            Some(Grade::Blue)
        } else {
            None
        }
    }

    /// 蓝色 / 黄色 / 红色 (documents are Chinese).
    pub fn zh(self) -> &'static str {
        match self {
            Grade::Blue => "蓝色",
            Grade::Yellow => "黄色",
            Grade::Red => "红色",
        }
    }

    /// `blue`, `yellow`, `red`: file names and exports.
    pub fn code(self) -> &'static str {
        match self {
            Grade::Blue => "blue",
            Grade::Yellow => "yellow",
            Grade::Red => "red",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_loop_goes_one_way_and_back_only_where_the_office_returns() {
        use TaskState as S;
        use TaskStep as T;
        let mut s = S::Assigned;
        for (step, want) in [
            (T::Acknowledge, S::Acknowledged),
            (T::Feedback, S::InProgress),
            (T::Feedback, S::InProgress),
            (T::RequestClose, S::CloseRequested),
            (T::Return, S::Returned),
            (T::Feedback, S::InProgress),
            (T::RequestClose, S::CloseRequested),
            (T::Close, S::Closed),
        ] {
            s = s.after(step).unwrap_or_else(|| panic!("{s:?} then {step:?}"));
            assert_eq!(s, want);
        }
        // Closed is final; nothing is closed that was not asked to close.
        for step in [T::Acknowledge, T::Feedback, T::RequestClose, T::Close, T::Return] {
            assert_eq!(S::Closed.after(step), None);
        }
        assert_eq!(S::InProgress.after(T::Close), None);
        assert_eq!(S::Assigned.after(T::RequestClose), None);
        assert_eq!(S::Acknowledged.after(T::Acknowledge), None);
    }

    #[test]
    fn grades_follow_the_deadline_and_the_loop() {
        use TaskState as S;
        let t = crate::domain::AlertThresholds {
            yellow_days: 3,
            blue_days: 10,
        };
        assert_eq!(Grade::of(S::InProgress, -1, 40, t), Some(Grade::Red));
        assert_eq!(Grade::of(S::InProgress, 3, 40, t), Some(Grade::Yellow));
        assert_eq!(Grade::of(S::InProgress, 4, 40, t), Some(Grade::Blue));
        assert_eq!(Grade::of(S::InProgress, 11, 40, t), None);
        assert_eq!(Grade::of(S::Returned, 30, 40, t), Some(Grade::Yellow));
        assert_eq!(Grade::of(S::Assigned, 30, 4, t), Some(Grade::Yellow));
        assert_eq!(Grade::of(S::Assigned, 30, 3, t), None);
        assert_eq!(Grade::of(S::Closed, -30, 90, t), None);
    }

    #[test]
    fn a_task_number_reads_as_the_office_writes_it() {
        let n = TaskNo {
            prefix: DEFAULT_TASK_PREFIX.into(),
            year: 2026,
            seq: 12,
        };
        assert_eq!(n.to_string(), "双创督〔2026〕12号");
        assert!(
            TaskState::ALL
                .iter()
                .all(|s| TaskState::from_code(s.code()) == Some(*s))
        );
    }
}
