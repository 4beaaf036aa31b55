//! Acting on items named by id on the command line: every id resolved and
//! its command built before anything is written, one transaction, one line
//! per id. Shared by `report`, `alerts` and `checklist`.

use std::path::Path;

use super::{Failure, fail, today};
use crate::cli::{Cli, exit};
use crate::config::Settings;
use crate::db::audit::Actor;
use crate::db::{self, DbError};
use crate::domain::ItemKey;
use crate::i18n::fill;
use crate::ops::{self, Command, Outcome};
use crate::text::{local_time, sanitize};

/// Applies commands built for `ids` (one transaction), reporting one line
/// per id on stderr. `build` turns an id into a command or a refusal.
///
/// Every id is resolved and its command built before anything is written:
/// when any id is unknown, given twice or cannot be acted on, each such id
/// gets its line, nothing is changed and the exit status is 4, so running
/// the corrected command again does not act twice.
pub(super) fn apply_ids(
    path: &Path,
    cli: &Cli,
    settings: &Settings,
    ids: &[String],
    verb: &str,
    build: impl Fn(&rusqlite::Connection, ItemKey) -> Result<Command, String>,
) -> Result<i32, Failure> {
    Ok(apply_ids_keys(path, cli, settings, ids, verb, build)?.code)
}

/// What [`apply_ids`] did.
pub(super) struct IdsDone {
    pub code: i32,
    /// The items changed.
    pub applied: Vec<ItemKey>,
    pub today: chrono::NaiveDate,
}

/// [`apply_ids`], also telling which items were changed.
pub(super) fn apply_ids_keys(
    path: &Path,
    cli: &Cli,
    settings: &Settings,
    ids: &[String],
    verb: &str,
    build: impl Fn(&rusqlite::Connection, ItemKey) -> Result<Command, String>,
) -> Result<IdsDone, Failure> {
    let mut conn = super::open_for_writing(path)?;
    let today = today(cli, &conn)?;
    let cal = settings.calendar().map_err(|e| fail(exit::USAGE, e))?;
    let ctx = ops::Context::new(Actor::current(), today).with_calendar(cal);
    let mut cmds = Vec::new();
    let mut keys: Vec<ItemKey> = Vec::new();
    let mut bad = 0;
    for id in ids {
        let built = match resolve_id(&conn, id, today) {
            Ok(key) => build(&conn, key).map(|c| (key, c)),
            Err(IdError::Refused(e)) => Err(e),
            // A damaged or unreadable database is no refusal of this id.
            Err(IdError::Db(e)) => return Err(e.into()),
        };
        match built {
            Ok((key, _)) if keys.contains(&key) => {
                eprintln!(
                    "dudao: {}",
                    fill(crate::i18n::cli().given_twice, &[&sanitize(id), &key])
                );
                bad += 1;
            }
            Ok((key, c)) => {
                cmds.push(c);
                keys.push(key);
            }
            Err(e) => {
                eprintln!(
                    "dudao: {}",
                    fill(crate::i18n::cli().file_line, &[&sanitize(id), &sanitize(&e)])
                );
                bad += 1;
            }
        }
    }
    if bad > 0 {
        eprintln!(
            "dudao: {}",
            fill(crate::i18n::cli().nothing_changed_ids, &[&bad, &ids.len()])
        );
        return Ok(IdsDone {
            code: exit::INPUT,
            applied: Vec::new(),
            today,
        });
    }
    let names: Vec<String> = keys.iter().map(|k| name(&conn, *k)).collect();
    let outcomes = ops::apply_all(&mut conn, &ctx, &cmds)?;
    let mut code = exit::OK;
    let mut applied = Vec::new();
    for ((o, n), cmd) in outcomes.iter().zip(&names).zip(&cmds) {
        if let Outcome::Applied(a) = o {
            applied.push(a.item);
        }
        code = match (code, say_outcome(n, o, cmd, verb)) {
            (exit::FAILURE, _) | (_, exit::FAILURE) => exit::FAILURE,
            (exit::OK, c) => c,
            (c, _) => c,
        };
    }
    Ok(IdsDone { code, applied, today })
}

/// One line on standard error for what became of a command, in the
/// command line's language; its exit status (0 done, 1 a conflict, 4
/// refused).
pub(super) fn say_outcome(name: &str, o: &Outcome, cmd: &Command, verb: &str) -> i32 {
    let (c, s) = (crate::i18n::cli(), crate::i18n::lang().s());
    let name = sanitize(name);
    match o {
        Outcome::Applied(_) => {
            eprintln!("dudao: {}", fill(c.done, &[&name, &verb]));
            exit::OK
        }
        Outcome::Conflict(x) => {
            let line = match &x.by {
                Some((user, at, action)) => fill(
                    c.conflict,
                    &[&name, &sanitize(user), &local_time(at), &s.audit_action(action)],
                ),
                None => fill(c.conflict_anon, &[&name]),
            };
            eprintln!("dudao: {line}");
            exit::FAILURE
        }
        Outcome::Refused(r) => {
            // Some refusals name the flag that would get past them.
            let why = match r {
                ops::Refusal::LateNeedsConfirm => c.late_flag.to_string(),
                ops::Refusal::NeedsDocNo => c.doc_no_flag.to_string(),
                ops::Refusal::NeedsReason => c.reason_flag.to_string(),
                ops::Refusal::UseChecklist => c.use_checklist_flag.to_string(),
                r => s.refusal_for(r, cmd),
            };
            eprintln!("dudao: {}", fill(c.not_done, &[&name, &why]));
            exit::INPUT
        }
    }
}

/// The item an id names, if the office tracks it on `today` (a report of a
/// month of the schedule, an existing measure, …), or why not.
pub(super) fn resolve_id(conn: &rusqlite::Connection, id: &str, today: chrono::NaiveDate) -> Result<ItemKey, IdError> {
    let key = db::units::resolve_item(conn, id).map_err(IdError::from)?;
    match db::items::absent(conn, key, today) {
        Ok(None) => Ok(key),
        Ok(Some(a)) => Err(IdError::Refused(crate::i18n::lang().s().absent(&a))),
        Err(e) => Err(IdError::from(e)),
    }
}

/// Why an id was not taken: the id itself (refused, the others go on), or
/// the database (damaged, busy, …: the command stops).
pub(super) enum IdError {
    Refused(String),
    Db(DbError),
}

impl From<DbError> for IdError {
    fn from(e: DbError) -> Self {
        match e {
            DbError::BadId(_) => IdError::Refused(crate::i18n::cli().not_an_id.to_string()),
            DbError::Invalid(_) | DbError::BadData(_) | DbError::Unit { .. } | DbError::BadMonth(_) => {
                IdError::Refused(crate::i18n::db_error(&e))
            }
            e => IdError::Db(e),
        }
    }
}

/// "R12-2026-10 科技厅 2026-10" for messages.
pub(super) fn name(conn: &rusqlite::Connection, key: ItemKey) -> String {
    match key {
        ItemKey::Report { unit, month } => match db::units::by_id(conn, unit) {
            Ok(Some(u)) => format!("{key} {} {month}", u.full_name),
            _ => key.to_string(),
        },
        _ => key.to_string(),
    }
}
