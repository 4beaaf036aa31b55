//! The one way dudao commits: [`write_tx`]. Every change — a console
//! action, a command line's, an import, a snapshot, a restore's audit row,
//! the database `init` and `demo` build, a migration — goes through it:
//!
//! 1. retries while another writer holds the lock (backing off, about ten
//!    seconds in all), then names the process that holds it;
//! 2. `BEGIN IMMEDIATE`: the write lock is taken before anything is read;
//! 3. under that lock, guards the file: the schema is still the one dudao
//!    created (no trigger added behind its back, whatever its name), and
//!    the audit log still holds the newest row its anchor saw committed —
//!    a log cut or rewritten since is never written to again; `P` lines
//!    of writers stopped before their `C` are settled for good;
//! 4. runs the change, whose audit rows the caller writes inside it (each
//!    about an item records the item's state, `db::state`); an item whose
//!    state a later change in the transaction moved gets a `state` row;
//! 5. appends the anchor's `P` line, commits, appends the `C` line.
//!
//! A test fails if any other code in `src/` commits.

use std::time::{Duration, Instant};

use rusqlite::{Connection, Transaction, TransactionBehavior};

use super::{DbError, Result, anchor};

/// How long a writer waits in SQLite for one attempt.
const ATTEMPT_BUSY_MS: u64 = 200;
/// How long all attempts together may take before "busy" is reported.
const RETRY_BUDGET: Duration = Duration::from_secs(10);

/// What is checked under the write lock before a change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Guard {
    /// Schema and audit anchor (every ordinary write).
    Full,
    /// Nothing: a migration changes the schema it would check.
    Migration,
}

/// Runs `f` in one `BEGIN IMMEDIATE` transaction and commits it with its
/// anchor lines: all of `f` or none of it. Busy is retried; an error from
/// `f` rolls everything back.
pub fn write_tx<T>(conn: &mut Connection, mut f: impl FnMut(&Transaction) -> Result<T>) -> Result<T> {
    with_retry(conn, |conn| commit_with(conn, Guard::Full, &mut f))
}

/// [`write_tx`] for a schema migration: no guard (the schema is being
/// changed) and no retry loop (the caller's busy timeout applies).
pub(crate) fn migration_tx<T>(conn: &mut Connection, mut f: impl FnMut(&Transaction) -> Result<T>) -> Result<T> {
    commit_with(conn, Guard::Migration, &mut f)
}

fn commit_with<T>(conn: &mut Connection, guard: Guard, f: &mut impl FnMut(&Transaction) -> Result<T>) -> Result<T> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let since = if guard == Guard::Full {
        super::schema::guard(&tx)?;
        anchor::before_write(&tx)?;
        super::audit::max_id(&tx)?
    } else {
        0
    };
    let v = f(&tx)?;
    let pending = if guard == Guard::Full {
        super::audit::settle(&tx, since)?;
        anchor::prepare(&tx)?
    } else {
        None
    };
    tx.commit()?;
    if let Some(p) = pending {
        p.committed();
    }
    Ok(v)
}

/// Runs `f` until it does not fail with "busy", backing off between
/// attempts, for at most ten seconds; then reports who holds the lock.
pub fn with_retry<T>(conn: &mut Connection, f: impl FnMut(&mut Connection) -> Result<T>) -> Result<T> {
    retry_within(conn, RETRY_BUDGET, f)
}

/// [`with_retry`] with another budget (tests).
pub fn retry_within<T>(
    conn: &mut Connection,
    budget: Duration,
    mut f: impl FnMut(&mut Connection) -> Result<T>,
) -> Result<T> {
    conn.busy_timeout(Duration::from_millis(ATTEMPT_BUSY_MS))?;
    let start = Instant::now();
    let mut delay = Duration::from_millis(10);
    let mut jitter = Jitter::new();
    let result = loop {
        match f(conn) {
            Err(e) if e.is_busy() && start.elapsed() < budget => {
                std::thread::sleep(delay + jitter.upto(delay));
                delay = (delay * 2).min(Duration::from_millis(500));
            }
            Err(e) if e.is_busy() => {
                let holder = conn
                    .path()
                    .filter(|p| !p.is_empty())
                    .and_then(|p| super::lock::write_lock_holder(std::path::Path::new(p)));
                break Err(DbError::Busy(holder.map(|h| h.to_string())));
            }
            r => break r,
        }
    };
    conn.busy_timeout(Duration::from_millis(super::BUSY_TIMEOUT_MS as u64))?;
    result
}

/// A small xorshift so that competing writers do not retry in step.
struct Jitter(u64);

impl Jitter {
    fn new() -> Jitter {
        let t = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos() as u64)
            .unwrap_or(1);
        Jitter(t ^ (std::process::id() as u64) << 32 | 1)
    }
    fn upto(&mut self, d: Duration) -> Duration {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        d.mul_f64((self.0 % 1000) as f64 / 1000.0)
    }
}
