//! Managing people: adding an account, a key, changing a role, disabling
//! and enabling. Each is one audited change through the write path; only a
//! 主任 may make them (or the OS user of a single-user install).

use rusqlite::Connection;
use serde_json::json;

use super::{Context, Refusal};
use crate::db::audit::{self, Entry};
use crate::db::{self, Result};
use crate::domain::account::{AccountRole, MAX_ACCOUNT_NAME, Need};
use crate::domain::input::clean_text;

/// A change to the accounts.
#[derive(Debug, Clone, PartialEq)]
pub enum AccountChange {
    Add {
        name: String,
        role: AccountRole,
        unit: Option<i64>,
    },
    Key {
        name: String,
        fingerprint: String,
        key: String,
    },
    Role {
        name: String,
        role: AccountRole,
        unit: Option<i64>,
    },
    Disable {
        name: String,
    },
    Enable {
        name: String,
    },
}

/// What a change did.
#[derive(Debug, Clone, PartialEq)]
pub enum AccountOutcome {
    Done { audit_id: i64 },
    Refused(Refusal),
}

impl AccountChange {
    fn action(&self) -> &'static str {
        match self {
            AccountChange::Add { .. } => "account_add",
            AccountChange::Key { .. } => "account_key",
            AccountChange::Role { .. } => "account_role",
            AccountChange::Disable { .. } => "account_disable",
            AccountChange::Enable { .. } => "account_enable",
        }
    }

    fn name(&self) -> &str {
        match self {
            AccountChange::Add { name, .. }
            | AccountChange::Key { name, .. }
            | AccountChange::Role { name, .. }
            | AccountChange::Disable { name }
            | AccountChange::Enable { name } => name,
        }
    }
}

/// Whether a name can be an account's: printable, no quotes or backslashes
/// (it goes into a key line's forced command), not too long.
pub fn valid_name(name: &str) -> bool {
    !name.trim().is_empty()
        && name.chars().count() <= MAX_ACCOUNT_NAME
        && !name
            .chars()
            .any(|c| c.is_whitespace() || matches!(c, '"' | '\\' | '\'' | '`' | '$') || crate::text::is_dangerous(c))
}

/// Applies one change in its own transaction.
pub fn change(conn: &mut Connection, ctx: &Context, c: &AccountChange) -> Result<AccountOutcome> {
    if let Some(r) = super::permit::check_need(ctx.actor.person.as_ref(), Need::Director) {
        super::record_not_permitted(conn, ctx, c.action(), "account", c.name(), &r)?;
        return Ok(AccountOutcome::Refused(r));
    }
    db::write_tx(conn, |tx| {
        let at = audit::now_utc();
        let refused = |r| Ok(AccountOutcome::Refused(r));
        let (old, new) = match c {
            AccountChange::Add { name, role, unit } => {
                if !valid_name(name) {
                    return refused(Refusal::Text(crate::domain::input::TextError::Empty));
                }
                if let Err(e) = clean_text(name, MAX_ACCOUNT_NAME, true) {
                    return refused(Refusal::Text(e));
                }
                if (*role == AccountRole::Reporter) != unit.is_some() {
                    return refused(Refusal::NotApplicable);
                }
                if db::accounts::by_name(tx, name)?.is_some() {
                    return refused(Refusal::NameTaken);
                }
                db::accounts::insert(tx, name, *role, *unit, &at, &ctx.actor.user)?;
                (None, json!({ "role": role.code(), "unit": unit }))
            }
            AccountChange::Key { name, fingerprint, key } => {
                let Some(a) = db::accounts::by_name(tx, name)? else {
                    return refused(Refusal::NotFound);
                };
                if !db::accounts::add_key(tx, a.id, fingerprint, key, &at)? {
                    return refused(Refusal::NameTaken);
                }
                (None, json!({ "key": fingerprint }))
            }
            AccountChange::Role { name, role, unit } => {
                let Some(a) = db::accounts::by_name(tx, name)? else {
                    return refused(Refusal::NotFound);
                };
                if (*role == AccountRole::Reporter) != unit.is_some() {
                    return refused(Refusal::NotApplicable);
                }
                db::accounts::set_role(tx, a.id, *role, *unit)?;
                (
                    Some(json!({ "role": a.role.code(), "unit": a.unit })),
                    json!({ "role": role.code(), "unit": unit }),
                )
            }
            AccountChange::Disable { name } | AccountChange::Enable { name } => {
                let Some(a) = db::accounts::by_name(tx, name)? else {
                    return refused(Refusal::NotFound);
                };
                let disable = matches!(c, AccountChange::Disable { .. });
                if a.disabled_at.is_some() == disable {
                    return refused(Refusal::AlreadyWithdrawn);
                }
                db::accounts::set_disabled(tx, a.id, disable.then_some(at.as_str()))?;
                (None, json!({ "disabled": disable }))
            }
        };
        let audit_id = audit::record(
            tx,
            &ctx.actor,
            &Entry {
                at: &at,
                action: c.action(),
                entity: "account",
                entity_id: c.name(),
                old,
                new: Some(new),
                result: "ok",
            },
        )?;
        Ok(AccountOutcome::Done { audit_id })
    })
}
