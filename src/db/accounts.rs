//! People's accounts and their SSH keys.

use rusqlite::{Connection, OptionalExtension, params};

use super::Result;
use super::row::{code, opt_text, text};
use crate::domain::account::AccountRole;

/// One account.
#[derive(Debug, Clone, PartialEq)]
pub struct Account {
    pub id: i64,
    pub name: String,
    pub role: AccountRole,
    pub unit: Option<i64>,
    /// The unit's full name, for a reporter.
    pub unit_name: String,
    pub created_at: String,
    pub created_by: String,
    pub disabled_at: Option<String>,
    /// (fingerprint, key line), in the order added.
    pub keys: Vec<(String, String)>,
}

const COLS: &str =
    "a.id, a.name, a.role, a.unit_id, COALESCE(u.full_name, ''), a.created_at, a.created_by, a.disabled_at
    FROM accounts a LEFT JOIN units u ON u.id = a.unit_id";

fn read(r: &rusqlite::Row) -> rusqlite::Result<Account> {
    Ok(Account {
        id: r.get(0)?,
        name: text(r, 1)?,
        role: code(r, 2)?,
        unit: r.get(3)?,
        unit_name: text(r, 4)?,
        created_at: text(r, 5)?,
        created_by: text(r, 6)?,
        disabled_at: opt_text(r, 7)?,
        keys: Vec::new(),
    })
}

fn with_keys(conn: &Connection, mut v: Vec<Account>) -> Result<Vec<Account>> {
    let mut s = conn.prepare_cached("SELECT fingerprint, key FROM account_keys WHERE account_id = ?1 ORDER BY id")?;
    for a in &mut v {
        a.keys = s
            .query_map([a.id], |r| Ok((text(r, 0)?, text(r, 1)?)))?
            .collect::<rusqlite::Result<_>>()?;
    }
    Ok(v)
}

/// Every account, by name.
pub fn list(conn: &Connection) -> Result<Vec<Account>> {
    let mut s = conn.prepare_cached(&format!("SELECT {COLS} ORDER BY a.name"))?;
    let v = s.query_map([], read)?.collect::<rusqlite::Result<Vec<_>>>()?;
    with_keys(conn, v)
}

/// One account by name.
pub fn by_name(conn: &Connection, name: &str) -> Result<Option<Account>> {
    let a = conn
        .query_row(&format!("SELECT {COLS} WHERE a.name = ?1"), [name], read)
        .optional()?;
    Ok(with_keys(conn, a.into_iter().collect())?.pop())
}

/// The account a key belongs to.
pub fn by_key(conn: &Connection, fingerprint: &str) -> Result<Option<String>> {
    Ok(conn
        .query_row(
            "SELECT a.name FROM account_keys k JOIN accounts a ON a.id = k.account_id WHERE k.fingerprint = ?1",
            [fingerprint],
            |r| text(r, 0),
        )
        .optional()?)
}

/// Adds an account; its id.
pub fn insert(conn: &Connection, name: &str, role: AccountRole, unit: Option<i64>, at: &str, by: &str) -> Result<i64> {
    conn.execute(
        "INSERT INTO accounts (name, role, unit_id, created_at, created_by) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![name, role.code(), unit, at, by],
    )?;
    Ok(conn.last_insert_rowid())
}

/// Sets an account's role and unit.
pub fn set_role(conn: &Connection, id: i64, role: AccountRole, unit: Option<i64>) -> Result<()> {
    conn.execute(
        "UPDATE accounts SET role = ?2, unit_id = ?3 WHERE id = ?1",
        params![id, role.code(), unit],
    )?;
    Ok(())
}

/// Disables (or, with `at` `None`, enables) an account.
pub fn set_disabled(conn: &Connection, id: i64, at: Option<&str>) -> Result<()> {
    conn.execute("UPDATE accounts SET disabled_at = ?2 WHERE id = ?1", params![id, at])?;
    Ok(())
}

/// Adds a key to an account; false when the key is someone's already.
pub fn add_key(conn: &Connection, id: i64, fingerprint: &str, key: &str, at: &str) -> Result<bool> {
    Ok(conn.execute(
        "INSERT OR IGNORE INTO account_keys (account_id, fingerprint, key, added_at) VALUES (?1, ?2, ?3, ?4)",
        params![id, fingerprint, key, at],
    )? == 1)
}

/// Removes a key (the undo of adding it).
pub fn remove_key(conn: &Connection, fingerprint: &str) -> Result<bool> {
    Ok(conn.execute("DELETE FROM account_keys WHERE fingerprint = ?1", [fingerprint])? == 1)
}

/// Removes an account with no keys that never acted (the undo of adding it).
pub fn delete_new(conn: &Connection, id: i64) -> Result<bool> {
    Ok(conn.execute(
        "DELETE FROM accounts WHERE id = ?1 AND NOT EXISTS (SELECT 1 FROM account_keys WHERE account_id = ?1)
           AND NOT EXISTS (SELECT 1 FROM audit_log WHERE person = (SELECT name FROM accounts WHERE id = ?1))",
        [id],
    )? == 1)
}
