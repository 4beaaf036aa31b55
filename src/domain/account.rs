//! People and what they may do: the office's accounts, each with a role,
//! reached over SSH by a key line that names the person (gitolite's and
//! soft-serve's model). No SQL here.

use std::fmt;

use super::{Code, code_enum};

code_enum!(
    /// What a person may do.
    AccountRole ("role") {
        /// 主任: everything staff do, and sign off (办结, 销号), escalate to
        /// the leading group, publish the 通报, freeze a quarter, manage
        /// accounts.
        Director = "director",
        /// 工作人员: daily triage, accept and return, 催办, import, tasks.
        Staff = "staff",
        /// 观察员: reads only (the meeting room, leaders).
        Observer = "observer",
        /// 单位填报员: one unit: sees only that unit's items, submits its
        /// report, acknowledges and reports on its tasks, asks for more time.
        Reporter = "reporter",
    }
);

/// What a change needs, by the kind of step it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// The office's daily work.
    Staff,
    /// The office's sign-off (办结, 销号, escalation, the 通报, snapshots,
    /// accounts).
    Director,
    /// A unit's own step on its own item (its report, its task).
    Unit,
}

impl AccountRole {
    /// Whether the role may take a step that needs `need` (a unit's step
    /// is further checked to be on the person's own unit).
    pub fn may(self, need: Need) -> bool {
        matches!(
            (self, need),
            (AccountRole::Director, _)
                | (AccountRole::Staff, Need::Staff | Need::Unit)
                | (AccountRole::Reporter, Need::Unit)
        )
    }

    /// Whether the role changes anything at all.
    pub fn writes(self) -> bool {
        self != AccountRole::Observer
    }
}

/// The person a session runs as: from the key line's `--as`, checked
/// against the database's accounts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub name: String,
    pub role: AccountRole,
    /// A reporter's unit.
    pub unit: Option<i64>,
    /// The SSH key's fingerprint, when the session came in by one.
    pub key_fp: Option<String>,
}

/// Longest account name, in characters.
pub const MAX_ACCOUNT_NAME: usize = 40;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_take_what_they_may_and_nothing_else() {
        use AccountRole as R;
        for need in [Need::Staff, Need::Director, Need::Unit] {
            assert!(R::Director.may(need));
            assert!(!R::Observer.may(need));
        }
        assert!(R::Staff.may(Need::Staff) && R::Staff.may(Need::Unit) && !R::Staff.may(Need::Director));
        assert!(R::Reporter.may(Need::Unit) && !R::Reporter.may(Need::Staff) && !R::Reporter.may(Need::Director));
        assert!(!R::Observer.writes() && R::Reporter.writes());
    }
}
