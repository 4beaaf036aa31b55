//! `dudao account …`, and a session that runs as a person: the key line's
//! forced command (`--as NAME --key-fp FP --db DB`) fixes who and which
//! database; a command given on the ssh line (`SSH_ORIGINAL_COMMAND`) runs
//! as that person if their role allows it, and with none the console opens.

use std::path::{Path, PathBuf};

use super::{Failure, db_path, fail, lang};
use crate::cli::{AccountCommand, Cli, Command, RoleArg, exit};
use crate::config::Settings;
use crate::db::{self, Mode, audit::Actor};
use crate::domain::account::{AccountRole, Person};
use crate::export::{Cell, Writer};
use crate::i18n::fill;
use crate::ops::accounts::{AccountChange, AccountOutcome};
use crate::text::sanitize;

fn words() -> &'static crate::i18n::tasks::Tasks {
    crate::i18n::lang().tasks()
}

pub(super) fn account(c: &AccountCommand, cli: &Cli, settings: &Settings) -> Result<i32, Failure> {
    match c {
        AccountCommand::List(a) => list(a, cli, settings),
        AccountCommand::Add(a) => {
            let path = db_path(a.db.as_ref(), cli, settings)?;
            let mut conn = super::open_for_writing(&path)?;
            let unit = unit(&conn, a.role, a.unit.as_deref())?;
            let ctx = crate::ops::Context::new(Actor::current(), super::today(cli, &conn)?);
            let mut code = apply(
                &mut conn,
                &ctx,
                &AccountChange::Add {
                    name: a.name.clone(),
                    role: role(a.role),
                    unit,
                },
            )?;
            if code == exit::OK
                && let Some(k) = &a.key
            {
                code = add_key(&mut conn, &ctx, &a.name, k)?;
            }
            write_keys(&conn, &path, a.keys_file.as_deref())?;
            Ok(code)
        }
        AccountCommand::Key(a) => {
            let path = db_path(a.db.as_ref(), cli, settings)?;
            let mut conn = super::open_for_writing(&path)?;
            let ctx = crate::ops::Context::new(Actor::current(), super::today(cli, &conn)?);
            let code = add_key(&mut conn, &ctx, &a.name, &a.key)?;
            write_keys(&conn, &path, a.keys_file.as_deref())?;
            Ok(code)
        }
        AccountCommand::Role(a) => {
            let path = db_path(a.db.as_ref(), cli, settings)?;
            let mut conn = super::open_for_writing(&path)?;
            let unit = unit(&conn, a.role, a.unit.as_deref())?;
            let ctx = crate::ops::Context::new(Actor::current(), super::today(cli, &conn)?);
            let code = apply(
                &mut conn,
                &ctx,
                &AccountChange::Role {
                    name: a.name.clone(),
                    role: role(a.role),
                    unit,
                },
            )?;
            write_keys(&conn, &path, a.keys_file.as_deref())?;
            Ok(code)
        }
        AccountCommand::Disable(a) | AccountCommand::Enable(a) => {
            let path = db_path(a.db.as_ref(), cli, settings)?;
            let mut conn = super::open_for_writing(&path)?;
            let ctx = crate::ops::Context::new(Actor::current(), super::today(cli, &conn)?);
            let name = a.name.clone();
            let change = if matches!(c, AccountCommand::Disable(_)) {
                AccountChange::Disable { name }
            } else {
                AccountChange::Enable { name }
            };
            let code = apply(&mut conn, &ctx, &change)?;
            write_keys(&conn, &path, a.keys_file.as_deref())?;
            Ok(code)
        }
    }
}

fn role(r: RoleArg) -> AccountRole {
    match r {
        RoleArg::Director => AccountRole::Director,
        RoleArg::Staff => AccountRole::Staff,
        RoleArg::Observer => AccountRole::Observer,
        RoleArg::Reporter => AccountRole::Reporter,
    }
}

/// A reporter's unit (required for one, refused for others).
fn unit(conn: &rusqlite::Connection, r: RoleArg, name: Option<&str>) -> Result<Option<i64>, Failure> {
    match (r, name) {
        (RoleArg::Reporter, Some(n)) => Ok(Some(
            db::units::resolve(conn, n)
                .map_err(|e| super::flag_failure(exit::INPUT, "--unit", &e))?
                .id,
        )),
        (RoleArg::Reporter, None) => Err(fail(exit::USAGE, words().reporter_needs_unit)),
        (_, Some(_)) => Err(fail(exit::USAGE, words().unit_only_reporter)),
        (_, None) => Ok(None),
    }
}

fn apply(conn: &mut rusqlite::Connection, ctx: &crate::ops::Context, c: &AccountChange) -> Result<i32, Failure> {
    match crate::ops::accounts::change(conn, ctx, c)? {
        AccountOutcome::Done { .. } => {
            let w = words();
            let line = match c {
                AccountChange::Add { name, role, .. } => fill(w.account_added, &[&sanitize(name), &w.role(*role)]),
                AccountChange::Key { name, fingerprint, .. } => fill(w.key_added, &[&sanitize(name), fingerprint]),
                AccountChange::Role { name, role, .. } => fill(w.role_set, &[&sanitize(name), &w.role(*role)]),
                AccountChange::Disable { name } => fill(w.account_disabled_now, &[&sanitize(name)]),
                AccountChange::Enable { name } => fill(w.account_enabled, &[&sanitize(name)]),
            };
            eprintln!("dudao: {line}");
            Ok(exit::OK)
        }
        AccountOutcome::Refused(r) => {
            eprintln!("dudao: {}", crate::i18n::lang().s().refusal(&r));
            Ok(exit::INPUT)
        }
    }
}

/// An SSH public key line's (type, base64 blob, fingerprint `SHA256:…`),
/// or why it is not one.
pub fn parse_key(line: &str) -> Result<(String, String, String), String> {
    use base64::Engine;
    use sha2::{Digest, Sha256};
    let mut parts = line.split_whitespace();
    let (Some(kind), Some(b64)) = (parts.next(), parts.next()) else {
        return Err(words().not_a_key.to_string());
    };
    if !kind.starts_with("ssh-") && !kind.starts_with("ecdsa-") && !kind.starts_with("sk-") {
        return Err(words().not_a_key.to_string());
    }
    let blob = base64::engine::general_purpose::STANDARD
        .decode(b64)
        .map_err(|_| words().not_a_key.to_string())?;
    // The blob starts with its own type name, length-prefixed.
    let named = blob
        .get(4..)
        .and_then(|rest| rest.get(..kind.len()))
        .is_some_and(|n| n == kind.as_bytes());
    if !named {
        return Err(words().not_a_key.to_string());
    }
    let fp = base64::engine::general_purpose::STANDARD_NO_PAD.encode(Sha256::digest(&blob));
    Ok((kind.to_string(), b64.to_string(), format!("SHA256:{fp}")))
}

fn add_key(
    conn: &mut rusqlite::Connection,
    ctx: &crate::ops::Context,
    name: &str,
    file: &Path,
) -> Result<i32, Failure> {
    let text = std::fs::read_to_string(file).map_err(|e| fail(exit::INPUT, format!("{}: {e}", file.display())))?;
    let line = text
        .lines()
        .find(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .unwrap_or("");
    let (kind, b64, fp) = parse_key(line).map_err(|e| fail(exit::INPUT, format!("{}: {e}", file.display())))?;
    apply(
        conn,
        ctx,
        &AccountChange::Key {
            name: name.to_string(),
            fingerprint: fp,
            key: format!("{kind} {b64}"),
        },
    )
}

/// The key lines dudao writes end with this comment, so that rewriting the
/// file keeps every other line as it was.
const MARK: &str = "dudao:";

/// The authorized_keys file of the user running dudao (the service account).
fn default_keys_file() -> Option<PathBuf> {
    dirs::home_dir().map(|h| h.join(".ssh").join("authorized_keys"))
}

/// One person's key line: the forced command runs dudao as them on this
/// database; `restrict` takes away forwarding and the rest, `pty` gives
/// the console its terminal.
fn key_line(exe: &Path, db: &Path, name: &str, fp: &str, key: &str) -> String {
    let q = |s: &str| {
        shlex::try_quote(s)
            .map(|c| c.into_owned())
            .unwrap_or_else(|_| s.to_string())
    };
    let command = format!(
        "{} --as {} --key-fp {} --db {}",
        q(&exe.display().to_string()),
        q(name),
        q(fp),
        q(&db.display().to_string())
    );
    format!(
        "command=\"{}\",restrict,pty {key} {MARK}{name}",
        command.replace('\\', "\\\\").replace('"', "\\\"")
    )
}

/// Rewrites the authorized_keys file: every line dudao did not write kept
/// as it was, dudao's lines made anew from the enabled accounts' keys;
/// written to a new file beside it and renamed over it (never half
/// written), mode 0600.
fn write_keys(conn: &rusqlite::Connection, db_path: &Path, file: Option<&Path>) -> Result<(), Failure> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let Some(file) = file.map(Path::to_path_buf).or_else(default_keys_file) else {
        return Ok(());
    };
    let exe = std::env::current_exe().unwrap_or_else(|_| PathBuf::from("dudao"));
    let db = std::fs::canonicalize(db_path).unwrap_or_else(|_| db_path.to_path_buf());
    let old = match std::fs::read_to_string(&file) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(fail(exit::FAILURE, format!("{}: {e}", file.display()))),
    };
    let mut out: Vec<String> = old
        .lines()
        .filter(|l| !l.split_whitespace().last().is_some_and(|c| c.starts_with(MARK)))
        .map(str::to_string)
        .collect();
    for a in db::accounts::list(conn)? {
        if a.disabled_at.is_some() {
            continue;
        }
        for (fp, key) in &a.keys {
            out.push(key_line(&exe, &db, &a.name, fp, key));
        }
    }
    let dir = file.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| fail(exit::FAILURE, format!("{}: {e}", dir.display())))?;
    let tmp = dir.join(format!(".authorized_keys.dudao-tmp-{}", std::process::id()));
    let write = || -> std::io::Result<()> {
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&tmp)?;
        let mut text = out.join("\n");
        if !text.is_empty() {
            text.push('\n');
        }
        f.write_all(text.as_bytes())?;
        f.sync_all()?;
        std::fs::rename(&tmp, &file)
    };
    write().map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        fail(exit::FAILURE, format!("{}: {e}", file.display()))
    })?;
    eprintln!(
        "dudao: {}",
        fill(words().keys_written, &[&sanitize(&file.display().to_string())])
    );
    Ok(())
}

fn list(a: &crate::cli::AccountListArgs, cli: &Cli, settings: &Settings) -> Result<i32, Failure> {
    let path = db_path(a.db.as_ref(), cli, settings)?;
    let conn = db::open(&path, Mode::ReadOnly)?;
    let w = lang(settings).tasks();
    let human = matches!(a.format, crate::export::Format::Table | crate::export::Format::Md);
    let rows = db::accounts::list(&conn)?;
    let keys = ["name", "role", "unit", "keys", "disabled", "created"];
    let heads = [w.h_name, w.h_role, w.col_unit, w.h_keys, w.h_disabled, w.h_created];
    super::tasks::write_out(|out| {
        let mut wr = Writer::begin(
            a.format,
            out,
            keys.iter().map(|k| k.to_string()).collect(),
            heads.iter().map(|k| k.to_string()).collect(),
        )?;
        for x in &rows {
            wr.row(&[
                Cell::text(&x.name),
                Cell::text(if human { w.role(x.role) } else { x.role.code() }),
                Cell::text(&x.unit_name),
                Cell::text(x.keys.iter().map(|k| k.0.as_str()).collect::<Vec<_>>().join(" ")),
                Cell::opt(x.disabled_at.as_deref()),
                Cell::text(crate::text::local_time(&x.created_at)),
            ])?;
        }
        wr.finish()
    })
}

// ------------------------------------------------------------- sessions

/// A reporter's commands read its own unit: where one names no unit, its
/// own is filled in; with no command, its unit's page is shown.
pub fn scope(cli: &mut Cli, person: &Person, settings: &Settings) -> Result<(), Failure> {
    use crate::cli::{ReportCommand as RC, TaskCommand as T, TemplateCommand as TC};
    if person.role != AccountRole::Reporter {
        return Ok(());
    }
    let path = db_path(None, cli, settings)?;
    let conn = db::open(&path, Mode::ReadOnly)?;
    let own = match person.unit {
        Some(u) => db::units::by_id(&conn, u)?.map(|u| u.full_name),
        None => None,
    };
    drop(conn);
    let fill_unit = |u: &mut Option<String>| {
        if u.is_none() {
            u.clone_from(&own);
        }
    };
    match &mut cli.command {
        None => {
            cli.command = Some(Command::Unit(crate::cli::UnitArgs { unit: own, db: None }));
        }
        Some(Command::Report(RC::List(a))) => fill_unit(&mut a.unit),
        Some(Command::Task(T::List(a))) => fill_unit(&mut a.unit),
        Some(Command::Template(TC::Report(a))) => fill_unit(&mut a.unit),
        Some(Command::Unit(a)) => fill_unit(&mut a.unit),
        _ => {}
    }
    Ok(())
}

/// Flags a command given on the ssh line may not carry: they would change
/// who, which database, or the day.
const FIXED: &[&str] = &["--as", "--key-fp", "--db", "--config", "--no-config", "--today"];

/// The arguments to run for a session whose key line named a person: the
/// key line's own, and the command given on the ssh line, if any (`None`:
/// none was given, the console opens). A command that tries to change who,
/// which database or the day, or is not text, is refused.
pub fn session_args(
    args: &[std::ffi::OsString],
    original: Option<&str>,
) -> Result<Option<Vec<std::ffi::OsString>>, Failure> {
    let Some(given) = original.map(str::trim).filter(|s| !s.is_empty()) else {
        return Ok(None);
    };
    let words_ = shlex::split(given).ok_or_else(|| fail(exit::USAGE, words().ssh_command_unreadable))?;
    // `ssh host dudao report …` and `ssh host report …` both work.
    let words_: Vec<String> = match words_.first().map(String::as_str) {
        Some("dudao") => words_[1..].to_vec(),
        _ => words_,
    };
    for w in &words_ {
        let flag = w.split('=').next().unwrap_or(w);
        if FIXED.contains(&flag) {
            return Err(fail(exit::USAGE, fill(words().ssh_flag_fixed, &[&sanitize(flag)])));
        }
    }
    let mut out = args.to_vec();
    out.extend(words_.into_iter().map(std::ffi::OsString::from));
    Ok(Some(out))
}

/// The person a session runs as, from their account; refused when there
/// is none by that name or it is disabled.
pub fn person(cli: &Cli, settings: &Settings) -> Result<Person, Failure> {
    let name = cli.global.as_person.clone().unwrap_or_default();
    let path = db_path(None, cli, settings)?;
    let conn = db::open(&path, Mode::ReadOnly)?;
    let a = db::accounts::by_name(&conn, &name)?
        .ok_or_else(|| fail(exit::INPUT, fill(words().no_account, &[&sanitize(&name)])))?;
    if a.disabled_at.is_some() {
        return Err(fail(exit::INPUT, fill(words().account_disabled, &[&sanitize(&name)])));
    }
    if let Some(fp) = &cli.global.key_fp
        && !a.keys.iter().any(|k| &k.0 == fp)
    {
        return Err(fail(exit::INPUT, fill(words().key_not_theirs, &[&sanitize(&name)])));
    }
    Ok(Person {
        name: a.name,
        role: a.role,
        unit: a.unit,
        key_fp: cli.global.key_fp.clone(),
    })
}

/// Whether `person` may run `cmd` at all (what a role may do inside a
/// command is the write path's, `ops::permit`), and, for a unit's
/// reporter, that it only reads its own unit's items. A refusal is
/// recorded in the audit log.
pub fn allowed(cmd: Option<&Command>, person: &Person, cli: &Cli, settings: &Settings) -> Result<(), Failure> {
    use crate::cli::{MeetingCommand as M, ReportCommand as RC, TaskCommand as T, TemplateCommand as TC};
    use AccountRole::{Director, Observer, Reporter, Staff};
    let r = person.role;
    let ok = match cmd {
        // The console: every role (an observer's is read-only, a reporter's
        // is the unit's page).
        None => true,
        Some(c) => match c {
            // Never over a forced command: files on the server, other databases.
            Command::Init(_)
            | Command::Demo(_)
            | Command::Restore(_)
            | Command::Backup(_)
            | Command::Completions { .. } => false,
            Command::Config => r != Reporter,
            Command::Account(_) | Command::Snapshot(_) | Command::Circular(_) => r == Director,
            // Reads.
            Command::Report(RC::List(_) | RC::Show(_)) | Command::Unit(_) => true,
            Command::Task(T::List(_) | T::Show(_)) => true,
            Command::Template(TC::Report(_)) => true,
            Command::Export(_) | Command::Alerts(_) | Command::Review(_) | Command::Check(_) => r != Reporter,
            Command::Meeting(M::List(_) | M::Show(_)) | Command::Task(T::Requests(_)) => r != Reporter,
            // A unit's own steps (a note on its report answers a reminder).
            Command::Task(T::Ack(_) | T::Progress(_) | T::RequestClose(_) | T::Ask(_)) => r != Observer,
            Command::Report(RC::Note(_)) => r != Observer,
            Command::Import(a) => match r {
                Reporter => a.files.len() == 1 && a.files[0].as_os_str() == "-" && !a.watch && a.inbox.is_none(),
                Observer => false,
                Director | Staff => true,
            },
            // Files written on the server.
            Command::Notice(a) if a.out.is_some() => false,
            Command::Task(T::Notice(a)) if a.out.is_some() => false,
            // The office's work (the write path checks sign-off steps).
            _ => matches!(r, Director | Staff),
        },
    };
    if !ok {
        deny(person, cli, settings)?;
    }
    if r == Reporter {
        reporter_scope(cmd, person, cli, settings)?;
    }
    Ok(())
}

/// Records and refuses a command outside the person's role.
fn deny(person: &Person, cli: &Cli, settings: &Settings) -> Result<(), Failure> {
    let path = db_path(None, cli, settings)?;
    let what = std::env::args().skip(1).collect::<Vec<_>>().join(" ");
    if let Ok(mut conn) = db::open(&path, Mode::ReadWrite) {
        let ctx = crate::ops::Context::new(Actor::current(), chrono::Local::now().date_naive());
        let r = crate::ops::Refusal::NotPermitted { role: person.role };
        let _ = crate::ops::record_not_permitted(&mut conn, &ctx, "command", "session", &sanitize(&what), &r);
    }
    Err(fail(
        exit::INPUT,
        fill(words().not_permitted, &[&words().role(person.role)]),
    ))
}

/// A reporter reads only its own unit: the unit it names must be its own,
/// and the items it shows.
fn reporter_scope(cmd: Option<&Command>, person: &Person, cli: &Cli, settings: &Settings) -> Result<(), Failure> {
    use crate::cli::{ReportCommand as RC, TaskCommand as T, TemplateCommand as TC};
    let path = db_path(None, cli, settings)?;
    let conn = db::open(&path, Mode::ReadOnly)?;
    let own = person.unit;
    let unit_is_own = |name: Option<&String>| -> Result<bool, Failure> {
        Ok(match name {
            None => true,
            Some(n) => db::units::resolve(&conn, n).ok().map(|u| u.id) == own,
        })
    };
    let fine = match cmd {
        Some(Command::Report(RC::List(a))) => unit_is_own(a.unit.as_ref())?,
        Some(Command::Report(RC::Show(a))) => match db::units::resolve_item(&conn, &a.id) {
            Ok(crate::domain::ItemKey::Report { unit, .. }) => Some(unit) == own,
            _ => false,
        },
        Some(Command::Report(RC::Note(a))) => {
            matches!(db::units::resolve_item(&conn, &a.id), Ok(crate::domain::ItemKey::Report { unit, .. }) if Some(unit) == own)
        }
        Some(Command::Task(T::List(a))) => unit_is_own(a.unit.as_ref())?,
        Some(Command::Task(T::Show(a))) => task_is_own(&conn, &a.id, own)?,
        Some(Command::Task(T::Ack(a) | T::Progress(a) | T::RequestClose(a))) => {
            task_is_own(&conn, &a.id, own)? && unit_is_own(a.unit.as_ref())?
        }
        Some(Command::Task(T::Ask(a))) => task_is_own(&conn, &a.id, own)? && unit_is_own(a.unit.as_ref())?,
        Some(Command::Template(TC::Report(a))) => unit_is_own(a.unit.as_ref())?,
        Some(Command::Unit(a)) => unit_is_own(a.unit.as_ref())?,
        _ => true,
    };
    if fine {
        Ok(())
    } else {
        drop(conn);
        deny_unit(person, cli, settings)
    }
}

fn task_is_own(conn: &rusqlite::Connection, id: &str, own: Option<i64>) -> Result<bool, Failure> {
    let Ok(n) = super::tasks::task_id(conn, id) else {
        return Ok(false);
    };
    Ok(db::tasks::get(conn, n)?.is_some_and(|t| Some(t.lead) == own || t.partners.iter().any(|p| Some(p.0) == own)))
}

fn deny_unit(person: &Person, cli: &Cli, settings: &Settings) -> Result<(), Failure> {
    let path = db_path(None, cli, settings)?;
    let what = std::env::args().skip(1).collect::<Vec<_>>().join(" ");
    if let Ok(mut conn) = db::open(&path, Mode::ReadWrite) {
        let ctx = crate::ops::Context::new(Actor::current(), chrono::Local::now().date_naive());
        let _ = crate::ops::record_not_permitted(
            &mut conn,
            &ctx,
            "command",
            "session",
            &sanitize(&what),
            &crate::ops::Refusal::NotYourUnit,
        );
    }
    let _ = person;
    Err(fail(exit::INPUT, words().not_your_unit))
}
