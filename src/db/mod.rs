//! The database boundary: every SQL statement lives under `db/`. Opening a
//! file safely (never creating one by accident), pragmas, migrations, and the
//! one-transaction-per-action write helper.

pub mod accounts;
pub mod alerts;
pub mod anchor;
pub mod audit;
pub mod backup;
pub mod check;
pub mod checklist;
pub mod export;
pub mod flags;
pub mod inbox;
pub mod intake;
pub mod items;
pub mod load;
pub mod lock;
pub mod matrix;
pub mod measures;
pub mod meetings;
pub mod notes;
pub mod reports;
pub mod review;
pub mod row;
pub mod schema;
pub mod state;
pub mod tasks;
pub mod units;
pub mod write;

use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags};

pub use schema::{APPLICATION_ID, current_version};
pub use write::{with_retry, write_tx};

/// `cache_size` (negative: KiB) of the console's connections that read or
/// write a few rows at a time (the reader thread keeps SQLite's default).
pub const SMALL_CACHE_KIB: i64 = -256;

/// `cache_size` of the console's reader thread.
pub const READER_CACHE_KIB: i64 = -512;

/// How long a writer waits for another writer before giving up.
pub const BUSY_TIMEOUT_MS: u32 = 10_000;

/// Read-write for staff, read-only for the meeting room and exports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    ReadWrite,
    ReadOnly,
}

/// Why a database could not be opened or written, in words a person can act on.
#[derive(Debug)]
pub enum DbError {
    Missing(PathBuf),
    /// The path could not be looked at (a symlink loop, no permission, …).
    CannotOpen {
        path: PathBuf,
        error: std::io::Error,
    },
    /// A FIFO, socket or device: never opened (reading a FIFO would block).
    NotRegular(PathBuf),
    /// The folder a new database would go in does not exist.
    NoFolder(PathBuf),
    IsDirectory(PathBuf),
    Empty(PathBuf),
    NotSqlite(PathBuf),
    /// The header counts more pages than the file holds, and SQLite's
    /// own check (which sees the WAL) finds the file damaged.
    Truncated {
        path: PathBuf,
        expected: u64,
        actual: u64,
        detail: String,
    },
    /// A rollback journal that must be rolled back, and this user cannot
    /// write the file to let SQLite do it.
    HotJournal(PathBuf),
    NotDudao(PathBuf),
    TooNew {
        path: PathBuf,
        found: i32,
        supported: i32,
    },
    NeedsUpgrade {
        path: PathBuf,
        found: i32,
    },
    Exists(PathBuf),
    Corrupt {
        path: PathBuf,
        detail: String,
    },
    /// SQLite found a damaged page while reading ("database disk image is
    /// malformed"); the path is the database this process opened.
    Damaged(String),
    /// A schema migration failed; the file was left at its version.
    UpgradeFailed {
        path: PathBuf,
        from: i32,
        detail: String,
    },
    /// A stored value this binary cannot read (an unknown status code, …).
    BadData(String),
    /// Another process held the write lock through every retry.
    Busy(Option<String>),
    /// Another process kept the file locked while it was being opened
    /// (an `EXCLUSIVE` lock): nothing could be read.
    Locked(Option<String>),
    /// No unit by that name, or several (the names they could mean).
    Unit {
        name: String,
        could_be: Vec<String>,
    },
    /// Not an item id (`R12-2026-10`, `M5`, `科技厅/2026-10`, …).
    BadId(String),
    /// Not a month (`2026-10`).
    BadMonth(String),
    /// A quarter that has not ended cannot be frozen.
    QuarterRunning {
        quarter: String,
        ends: String,
    },
    /// Input that breaks a rule (bad date, unknown unit, …).
    Invalid(String),
    ReadOnly,
    /// The file was changed behind dudao's back in a way that a write
    /// would build on: nothing more is written to it.
    Tampered {
        path: PathBuf,
        what: Tamper,
    },
    /// The audit anchor next to the database could not be written.
    Anchor {
        path: PathBuf,
        error: std::io::Error,
    },
    Io(std::io::Error),
    Sql(rusqlite::Error),
}

/// A short technical form, for logs and tests; what a person reads comes
/// from `i18n::db_error`, in their language.
impl fmt::Display for DbError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{self:?}")
    }
}

impl std::error::Error for DbError {}

/// What [`DbError::Tampered`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Tamper {
    /// The schema is not as dudao created it.
    Schema(schema::Difference),
    /// Audit rows `from..=to` are gone: the anchor saw row `to` committed.
    RowsMissing { from: i64, to: i64 },
    /// Audit row `id` is there with another hash than the anchor saw committed.
    RowRewritten { id: i64 },
}

impl fmt::Display for Tamper {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{self:?}")
    }
}

impl From<rusqlite::Error> for DbError {
    fn from(e: rusqlite::Error) -> Self {
        if let rusqlite::Error::SqliteFailure(f, _) = &e {
            match f.code {
                rusqlite::ErrorCode::ReadOnly => return DbError::ReadOnly,
                rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked => {
                    return DbError::Busy(None);
                }
                rusqlite::ErrorCode::DatabaseCorrupt => return DbError::Damaged(sqlite_message(&e)),
                _ => {}
            }
        }
        if let Some(m) = row::is_bad_data(&e) {
            return DbError::BadData(m);
        }
        DbError::Sql(e)
    }
}

impl DbError {
    /// True when another writer held the lock (worth retrying).
    pub fn is_busy(&self) -> bool {
        matches!(self, DbError::Busy(_))
    }
}

impl From<std::io::Error> for DbError {
    fn from(e: std::io::Error) -> Self {
        DbError::Io(e)
    }
}

pub type Result<T, E = DbError> = std::result::Result<T, E>;

/// SQLite's own message for an error, without any SQL text it came with
/// (a failed migration must not print the schema).
pub fn sqlite_message(e: &rusqlite::Error) -> String {
    let m = match e {
        rusqlite::Error::SqliteFailure(f, Some(m)) if !m.is_empty() => m.clone(),
        rusqlite::Error::SqliteFailure(f, _) => f.to_string(),
        rusqlite::Error::SqlInputError { msg, .. } => msg.clone(),
        other => other.to_string(),
    };
    let line = m.lines().next().unwrap_or("").to_string();
    if line.chars().count() > 200 {
        line.chars().take(200).collect::<String>() + "…"
    } else {
        line
    }
}

static OPENED: std::sync::Mutex<Option<PathBuf>> = std::sync::Mutex::new(None);

/// Databases this process opened read-only (not as a snapshot).
static READ_ONLY_FRESH: std::sync::Mutex<Vec<PathBuf>> = std::sync::Mutex::new(Vec::new());

/// Once every connection is closed: removes the `-wal`/`-shm` beside the
/// databases this process only read, when the log is empty (a reader's
/// never holds anything) and no other process has the database open
/// (SQLite decides, under its own locks): a command that only reads
/// leaves the folder as it found it, even when another reader made them
/// while it ran.
pub fn tidy_after_reading() {
    let paths = READ_ONLY_FRESH
        .lock()
        .map(|mut g| std::mem::take(&mut *g))
        .unwrap_or_default();
    for p in paths {
        review::tidy_side_files(&p);
    }
}

/// The database this process opened last (named in a damaged-page error
/// and other messages about it).
pub fn opened_path() -> Option<PathBuf> {
    OPENED.lock().ok().and_then(|g| g.clone())
}

const MAGIC: &[u8; 16] = b"SQLite format 3\0";

/// Checks the file before SQLite sees it: exists, regular, non-empty,
/// SQLite header, dudao's application id. Returns the sizes when the
/// header counts more pages than the file holds: in WAL mode that is
/// normal (the pages may still sit in the `-wal`, or a checkpoint may be
/// moving them in), so [`open`] asks SQLite before calling it damaged.
fn preflight(path: &Path) -> Result<Option<(u64, u64)>> {
    let md = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(DbError::Missing(path.into()));
        }
        Err(error) => {
            return Err(DbError::CannotOpen {
                path: path.into(),
                error,
            });
        }
    };
    if md.is_dir() {
        return Err(DbError::IsDirectory(path.into()));
    }
    if !md.is_file() {
        return Err(DbError::NotRegular(path.into()));
    }
    if md.len() == 0 {
        return Err(DbError::Empty(path.into()));
    }
    let mut header = [0u8; 100];
    let cannot = |error| DbError::CannotOpen {
        path: path.into(),
        error,
    };
    let mut f = std::fs::File::open(path).map_err(cannot)?;
    let n = read_up_to(&mut f, &mut header).map_err(cannot)?;
    if n < 100 || &header[..16] != MAGIC {
        return Err(DbError::NotSqlite(path.into()));
    }
    // Every dudao database has its application id in the main file's
    // header from the start (it is made, checkpointed, then linked into
    // place). Another program's database is refused here, before SQLite
    // opens it: opening one could replay its WAL or roll back its journal.
    let app_id = i32::from_be_bytes([header[68], header[69], header[70], header[71]]);
    if app_id != APPLICATION_ID {
        return Err(DbError::NotDudao(path.into()));
    }
    let page_size = match u16::from_be_bytes([header[16], header[17]]) {
        1 => 65536u64,
        n => n as u64,
    };
    let pages = u32::from_be_bytes([header[28], header[29], header[30], header[31]]) as u64;
    let change = &header[24..28];
    let valid_for = &header[92..96];
    if change == valid_for && pages > 0 {
        let expected = pages * page_size;
        let actual = f.metadata().map_err(cannot)?.len();
        if actual < expected {
            return Ok(Some((expected, actual)));
        }
    }
    Ok(None)
}

/// SQLite's own verdict on a file whose header counts more pages than it
/// holds: `PRAGMA quick_check` through a connection that sees the WAL.
/// Only when SQLite finds damage is the file called truncated.
fn confirm_truncated(path: &Path, conn: &Connection, (expected, actual): (u64, u64)) -> Result<()> {
    let verdict: rusqlite::Result<String> = conn.query_row("PRAGMA quick_check", [], |r| r.get(0));
    let detail = match verdict {
        Ok(v) if v == "ok" => return Ok(()),
        Ok(v) => v,
        Err(e) => sqlite_message(&e),
    };
    Err(DbError::Truncated {
        path: path.into(),
        expected,
        actual,
        detail,
    })
}

/// A rollback journal beside the file that SQLite would have to roll back
/// (a writer in rollback mode stopped mid-transaction). A reader cannot;
/// a connection that may write does so on its first read, restoring the
/// last committed state. Done here only for a file known to be dudao's
/// (its header said so) that this user can write; otherwise the error
/// says what is wrong and who can mend it.
fn recover_hot_journal(path: &Path) -> Result<()> {
    let mut j = path.as_os_str().to_owned();
    j.push("-journal");
    let journal = PathBuf::from(j);
    if !std::fs::metadata(&journal).is_ok_and(|m| m.len() > 0) {
        return Ok(());
    }
    if !writable(path) {
        return Err(DbError::HotJournal(path.into()));
    }
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let c = Connection::open_with_flags(path, flags).map_err(|e| classify(path, e))?;
    c.busy_timeout(std::time::Duration::from_millis(BUSY_TIMEOUT_MS as u64))?;
    c.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get::<_, i64>(0))
        .map_err(|e| classify(path, e))?;
    c.close().map_err(|(_, e)| classify(path, e))?;
    Ok(())
}

fn read_up_to(f: &mut std::fs::File, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match f.read(&mut buf[n..])? {
            0 => break,
            k => n += k,
        }
    }
    Ok(n)
}

fn classify(path: &Path, e: rusqlite::Error) -> DbError {
    if let rusqlite::Error::SqliteFailure(f, msg) = &e {
        match f.code {
            rusqlite::ErrorCode::NotADatabase => return DbError::NotSqlite(path.into()),
            rusqlite::ErrorCode::DatabaseCorrupt => {
                return DbError::Corrupt {
                    path: path.into(),
                    detail: msg.clone().unwrap_or_else(|| "malformed".into()),
                };
            }
            _ => {}
        }
    }
    DbError::from(e)
}

/// Sets the per-connection pragmas every dudao connection uses.
pub fn configure(conn: &Connection, mode: Mode) -> rusqlite::Result<()> {
    conn.busy_timeout(std::time::Duration::from_millis(BUSY_TIMEOUT_MS as u64))?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    // A REPLACE's implicit delete then fires the audit log's delete trigger.
    conn.pragma_update(None, "recursive_triggers", "ON")?;
    if mode == Mode::ReadWrite {
        conn.pragma_update(None, "synchronous", "FULL")?;
    } else {
        conn.pragma_update(None, "query_only", "ON")?;
    }
    Ok(())
}

/// Opens an existing dudao database. Never creates a file; refuses anything
/// that is not a dudao database and leaves it untouched. The file is first
/// opened read-only (nothing is checkpointed, replayed or rolled back) and
/// reopened for writing only once its header, application id, version and
/// tables say it is dudao's. Migrates older schemas in read-write mode.
/// While another process holds a lock that keeps the file from being read,
/// it waits up to [`BUSY_TIMEOUT_MS`].
pub fn open(path: &Path, mode: Mode) -> Result<Connection> {
    open_waiting(path, mode, &mut |_| true)
}

/// What [`open_waiting`] is told while another process keeps the file
/// locked: who, when that can be found. It returns false to stop waiting.
pub type OnBusy<'a> = &'a mut dyn FnMut(Option<&lock::Holder>) -> bool;

/// [`open`], telling `on_busy` every quarter of a second while another
/// process holds the file locked (an `EXCLUSIVE` lock, a migration), so
/// that a console can say so and let its user quit.
pub fn open_waiting(path: &Path, mode: Mode, on_busy: OnBusy<'_>) -> Result<Connection> {
    clean_leftovers(
        path.parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new(".")),
    );
    let ahead = preflight(path)?;
    if let Ok(mut g) = OPENED.lock() {
        *g = Some(path.to_path_buf());
    }
    // No one had it open: whatever side files this open makes are removed
    // again if the file is refused (or, for a reader, when it is done).
    let fresh = !review::side_files(path);
    let start = std::time::Instant::now();
    let result = loop {
        match open_checked(path, mode, ahead) {
            Err(e) if e.is_busy() => {
                let holder = lock::blocking_holder(path);
                if start.elapsed() >= std::time::Duration::from_millis(BUSY_TIMEOUT_MS as u64)
                    || !on_busy(holder.as_ref())
                {
                    break Err(DbError::Locked(holder.map(|h| h.to_string())));
                }
            }
            r => break r,
        }
    };
    match &result {
        Err(_) if fresh => review::tidy_side_files(path),
        Ok(_) if mode == Mode::ReadOnly && !needs_snapshot(path) => {
            // This reader may have made -wal/-shm that only a writer
            // removes (or found them left by another reader).
            if let Ok(mut g) = READ_ONLY_FRESH.lock()
                && !g.iter().any(|p| p == path)
            {
                g.push(path.to_path_buf());
            }
        }
        _ => {}
    }
    result
}

/// How long one attempt of [`open_waiting`] waits for a lock.
const OPEN_ATTEMPT_MS: u64 = 250;

fn open_checked(path: &Path, mode: Mode, ahead: Option<(u64, u64)>) -> Result<Connection> {
    open_checked_inner(path, mode, ahead).map_err(|e| match (e, ahead) {
        // SQLite found damage in a file shorter than its header says.
        (DbError::Corrupt { path, detail }, Some((expected, actual))) => DbError::Truncated {
            path,
            expected,
            actual,
            detail,
        },
        (e, _) => e,
    })
}

fn open_checked_inner(path: &Path, mode: Mode, ahead: Option<(u64, u64)>) -> Result<Connection> {
    recover_hot_journal(path)?;
    let attempt = std::time::Duration::from_millis(OPEN_ATTEMPT_MS);
    let version = {
        let ro = connect(path, Mode::ReadOnly)?;
        configure(&ro, Mode::ReadOnly).map_err(|e| classify(path, e))?;
        ro.busy_timeout(attempt)?;
        let app_id: i32 = ro
            .pragma_query_value(None, "application_id", |r| r.get(0))
            .map_err(|e| classify(path, e))?;
        let version: i32 = ro
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .map_err(|e| classify(path, e))?;
        if app_id != APPLICATION_ID {
            return Err(DbError::NotDudao(path.into()));
        }
        if let Some(sizes) = ahead {
            confirm_truncated(path, &ro, sizes)?;
        }
        if version > current_version() {
            return Err(DbError::TooNew {
                path: path.into(),
                found: version,
                supported: current_version(),
            });
        }
        if version == current_version() {
            if let Some(t) = missing_table(&ro).map_err(|e| classify(path, e))? {
                return Err(DbError::Corrupt {
                    path: path.into(),
                    detail: format!("table {t} is missing"),
                });
            }
            if mode == Mode::ReadOnly {
                ro.busy_timeout(std::time::Duration::from_millis(BUSY_TIMEOUT_MS as u64))?;
                return Ok(ro);
            }
        } else if mode == Mode::ReadOnly {
            return Err(DbError::NeedsUpgrade {
                path: path.into(),
                found: version,
            });
        }
        version
    };
    let mut conn = connect(path, mode)?;
    configure(&conn, mode).map_err(|e| classify(path, e))?;
    // A file someone switched to rollback mode goes back to WAL (readers
    // never block the writer), when nobody else has it open that way.
    let journal: String = conn
        .pragma_query_value(None, "journal_mode", |r| r.get(0))
        .map_err(|e| classify(path, e))?;
    if !journal.eq_ignore_ascii_case("wal") {
        let _ = conn.pragma_update(None, "journal_mode", "WAL");
    }
    if version < current_version() {
        conn.busy_timeout(attempt)?;
        migrate(&mut conn).map_err(|e| match e {
            DbError::Sql(e) => DbError::UpgradeFailed {
                path: path.into(),
                from: version,
                detail: sqlite_message(&e),
            },
            other => other,
        })?;
        conn.busy_timeout(std::time::Duration::from_millis(BUSY_TIMEOUT_MS as u64))?;
        // Upgraded to item states: every item's state is recorded once.
        if !state::has_baseline(&conn)? {
            write_tx(&mut conn, |tx| {
                if state::has_baseline(tx)? {
                    return Ok(());
                }
                audit::record_baseline(tx, &audit::Actor::current(), &audit::now_utc()).map(|_| ())
            })?;
        }
    }
    Ok(conn)
}

/// The first table of the current schema the file lacks.
fn missing_table(conn: &Connection) -> rusqlite::Result<Option<String>> {
    static TABLES: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    let want = TABLES.get_or_init(schema::tables);
    let mut s = conn.prepare("SELECT name FROM sqlite_master WHERE type = 'table'")?;
    let have: std::collections::HashSet<String> = s
        .query_map([], |r| r.get::<_, String>(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(want.iter().find(|t| !have.contains(*t)).cloned())
}

/// Another connection to a database this process already opened with
/// [`open`] (the writer thread's). Only SQLite touches the file: opening and
/// closing it any other way (as [`open`]'s checks do) would drop the POSIX
/// locks SQLite holds for the first connection, and another program could
/// then checkpoint and delete the WAL under it.
pub fn open_again(path: &Path, mode: Mode) -> Result<Connection> {
    let conn = connect(path, mode)?;
    configure(&conn, mode).map_err(|e| classify(path, e))?;
    Ok(conn)
}

/// The SQLite connection itself. Read-only where no `-shm` can be made (a
/// read-only folder without one, e.g. an archive or a share mounted
/// read-only): the file is opened as an immutable snapshot, which needs no
/// lock files and writes nothing.
fn connect(path: &Path, mode: Mode) -> Result<Connection> {
    let flags = match mode {
        Mode::ReadWrite => OpenFlags::SQLITE_OPEN_READ_WRITE,
        Mode::ReadOnly => OpenFlags::SQLITE_OPEN_READ_ONLY,
    } | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    if mode == Mode::ReadOnly && needs_snapshot(path) {
        let uri = snapshot_uri(path);
        return Connection::open_with_flags(uri, flags | OpenFlags::SQLITE_OPEN_URI).map_err(|e| classify(path, e));
    }
    Connection::open_with_flags(path, flags).map_err(|e| classify(path, e))
}

/// True when a read-only open of `path` is made as an immutable snapshot:
/// - its folder cannot be written and no `-shm` exists to share, so SQLite
///   could not make the lock files a WAL reader needs (an archive, a share
///   mounted read-only); nobody can make a `-wal` there either;
/// - or the file itself cannot be written and no other process has it open
///   (no `-wal`, no `-shm`): a WAL reader would leave both files behind,
///   since only a writer removes them.
///
/// Nobody else can change the file in either case, so the snapshot is
/// current.
pub fn needs_snapshot(path: &Path) -> bool {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let side = |suffix: &str| {
        let mut p = path.as_os_str().to_owned();
        p.push(suffix);
        Path::new(&p).exists()
    };
    let (wal, shm) = (side("-wal"), side("-shm"));
    (!access_ok(dir, libc::W_OK) && !shm) || (!access_ok(path, libc::W_OK) && !wal && !shm)
}

fn access_ok(p: &Path, how: libc::c_int) -> bool {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    CString::new(p.as_os_str().as_bytes())
        // SAFETY: access reads a NUL-terminated path.
        .map(|c| unsafe { libc::access(c.as_ptr(), how) } == 0)
        .unwrap_or(false)
}

/// Whether `conn` reads its file as an immutable snapshot (see
/// [`needs_snapshot`]): such a connection never sees another process's
/// changes, so a reader keeping it open must look at the file itself
/// ([`FileStamp`]) and open it again when it changed.
pub fn is_immutable(conn: &Connection) -> bool {
    // SAFETY: the handle is valid while `conn` lives; the file name SQLite
    // returns is the one its URI functions take, NUL-terminated, and owned
    // by the connection.
    unsafe {
        let name = rusqlite::ffi::sqlite3_db_filename(conn.handle(), c"main".as_ptr());
        !name.is_null() && rusqlite::ffi::sqlite3_uri_boolean(name, c"immutable".as_ptr(), 0) != 0
    }
}

/// What a reader of an immutable snapshot watches: the file's size, time
/// and inode, and whether a `-wal` or `-shm` sits beside it. Any change
/// means another process changed (or started changing) the database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileStamp {
    len: u64,
    modified: Option<std::time::SystemTime>,
    ino: u64,
    wal: bool,
    shm: bool,
}

impl FileStamp {
    pub fn of(path: &Path) -> Option<FileStamp> {
        use std::os::unix::fs::MetadataExt;
        let md = std::fs::metadata(path).ok()?;
        let side = |suffix: &str| {
            let mut p = path.as_os_str().to_owned();
            p.push(suffix);
            Path::new(&p).exists()
        };
        Some(FileStamp {
            len: md.len(),
            modified: md.modified().ok(),
            ino: md.ino(),
            wal: side("-wal"),
            shm: side("-shm"),
        })
    }
}

/// `file:` URI for an immutable open, with the path percent-encoded.
fn snapshot_uri(path: &Path) -> String {
    use std::os::unix::ffi::OsStrExt;
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut uri = String::from("file:");
    for &b in abs.as_os_str().as_bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'/' | b'-' | b'_' | b'.' | b'~' => uri.push(b as char),
            _ => uri.push_str(&format!("%{b:02X}")),
        }
    }
    uri.push_str("?immutable=1");
    uri
}

/// Creates a new, empty dudao database at `path` (WAL mode, current schema).
/// Refuses if anything exists at `path`.
pub fn create(path: &Path) -> Result<Connection> {
    if path.exists() {
        return Err(DbError::Exists(path.into()));
    }
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let mut conn = Connection::open_with_flags(path, flags)?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "application_id", APPLICATION_ID)?;
    configure(&conn, Mode::ReadWrite)?;
    migrate(&mut conn)?;
    Ok(conn)
}

/// Applies every migration above the file's `user_version`, each in its own
/// immediate transaction together with the version bump.
pub fn migrate(conn: &mut Connection) -> Result<()> {
    loop {
        let done = write::migration_tx(conn, |tx| {
            let v: i32 = tx.pragma_query_value(None, "user_version", |r| r.get(0))?;
            if v > current_version() {
                return Err(DbError::Invalid(format!(
                    "schema version {v} is newer than this binary"
                )));
            }
            let Some(sql) = schema::MIGRATIONS.get(v as usize) else {
                return Ok(true);
            };
            tx.execute_batch(sql)?;
            tx.pragma_update(None, "user_version", v + 1)?;
            // Also readable as data (every migration keeps the meta table).
            tx.execute(
                "INSERT INTO meta (key, value) VALUES ('schema_version', ?1)
                 ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                [(v + 1).to_string()],
            )?;
            Ok(false)
        })?;
        if done {
            return Ok(());
        }
    }
}

/// Builds a database at `path` without ever leaving a half-made file there:
/// it is filled under a temporary name in the same folder, closed, then
/// linked into place (which fails if something appeared at `path` meanwhile).
/// Where a new database `path` is built before it is linked into place:
/// its folder (which must exist) and a name there no other process uses,
/// `.NAME.dudao-tmp-PID` (the form `clean_leftovers` removes once the PID
/// is gone; the `dudao-` makes it dudao's own, never another program's).
pub(crate) fn temp_beside(path: &Path) -> Result<(PathBuf, PathBuf)> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if !dir.is_dir() {
        return Err(DbError::NoFolder(dir));
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}{TEMP_MARK}{}", std::process::id()));
    Ok((dir, tmp))
}

/// Removes a temporary database and its side files.
pub(crate) fn remove_temp(tmp: &Path) {
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let mut p = tmp.as_os_str().to_owned();
        p.push(suffix);
        let _ = std::fs::remove_file(PathBuf::from(p));
    }
}

pub fn create_atomically(path: &Path, fill: impl FnOnce(&mut Connection) -> Result<()>) -> Result<()> {
    if path.exists() {
        return Err(DbError::Exists(path.into()));
    }
    let (dir, tmp) = temp_beside(path)?;
    let cleanup = remove_temp;
    cleanup(&tmp);
    clean_leftovers(&dir);
    let result = (|| {
        let mut conn = create(&tmp)?;
        fill(&mut conn)?;
        conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")?;
        conn.close().map_err(|(_, e)| DbError::Sql(e))?;
        std::fs::hard_link(&tmp, path).map_err(|e| {
            if e.kind() == std::io::ErrorKind::AlreadyExists {
                DbError::Exists(path.into())
            } else {
                DbError::Io(e)
            }
        })
    })();
    cleanup(&tmp);
    // The new name (and the temporary's removal) survive a power cut.
    if result.is_ok() {
        std::fs::File::open(&dir).and_then(|d| d.sync_all())?;
    }
    result
}

/// What names a temporary file as dudao's own: `.NAME.dudao-tmp-PID`.
pub(crate) const TEMP_MARK: &str = ".dudao-tmp-";

/// Removes what killed runs of `init`, `demo` or `restore` left in `dir`:
/// the temporary database `.NAME.dudao-tmp-PID` and its `-wal`, `-shm`,
/// `-journal` and anchor, when process PID is gone. Files of running
/// processes, and anything not named so (another program's `.x.tmp-123`),
/// stay. Errors (a read-only folder) are ignored.
pub fn clean_leftovers(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let file = e.file_name();
        let Some(file) = file.to_str() else {
            continue;
        };
        let Some(pid) = leftover_pid(file) else {
            continue;
        };
        if pid != std::process::id() && !alive(pid) && e.file_type().is_ok_and(|t| t.is_file()) {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

/// The PID in `.NAME.dudao-tmp-PID`, `.NAME.dudao-tmp-PID-wal`, … (and
/// the anchor of a restore's staged copy, `.NAME.dudao-tmp-PID.audit-head`).
fn leftover_pid(file: &str) -> Option<u32> {
    let rest = file.strip_prefix('.')?;
    let (_, tail) = rest.rsplit_once(TEMP_MARK)?;
    let digits = ["-wal", "-shm", "-journal", ".audit-head"]
        .iter()
        .find_map(|s| tail.strip_suffix(s))
        .unwrap_or(tail);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

fn alive(pid: u32) -> bool {
    let Ok(pid) = libc::pid_t::try_from(pid) else {
        return false;
    };
    // SAFETY: signal 0 only checks that the process exists.
    if unsafe { libc::kill(pid, 0) } == 0 {
        return true;
    }
    std::io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
}

/// A value from the `meta` table.
pub fn meta(conn: &Connection, key: &str) -> Result<Option<String>> {
    use rusqlite::OptionalExtension;
    Ok(conn
        .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
        .optional()?)
}

/// Sets a value of the `meta` table (adding the key when new).
pub fn set_meta(conn: &Connection, key: &str, value: &str) -> Result<()> {
    conn.execute(
        "INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        [key, value],
    )?;
    Ok(())
}

/// The earliest month any report is for.
pub fn first_report_month(conn: &Connection) -> Result<Option<crate::domain::Month>> {
    let m: Option<String> = conn.query_row("SELECT min(month) FROM reports", [], |r| r.get(0))?;
    Ok(m.and_then(|m| m.parse().ok()))
}

/// SQLite's `data_version`: changes when another connection commits.
pub fn data_version(conn: &Connection) -> Result<i64> {
    Ok(conn.pragma_query_value(None, "data_version", |r| r.get(0))?)
}

/// The first month reports are expected for (`reporting_start` in meta).
pub fn reporting_start(conn: &Connection) -> Result<Option<crate::domain::Month>> {
    Ok(meta(conn, "reporting_start")?.and_then(|m| m.parse().ok()))
}

/// Whether this user can change the database at `path`: the file is
/// writable, and so is its folder (for the `-wal` and `-shm` files) unless
/// both of those exist and are writable.
pub fn writable(path: &Path) -> bool {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let can_write = |p: &Path| {
        CString::new(p.as_os_str().as_bytes())
            // SAFETY: access reads a NUL-terminated path.
            .map(|c| unsafe { libc::access(c.as_ptr(), libc::W_OK) } == 0)
            .unwrap_or(false)
    };
    let side = |suffix: &str| {
        let mut p = path.as_os_str().to_owned();
        p.push(suffix);
        PathBuf::from(p)
    };
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    can_write(path)
        && (can_write(dir)
            || (side("-wal").exists() && can_write(&side("-wal")) && side("-shm").exists() && can_write(&side("-shm"))))
}

/// True when the file sits on a network or FUSE filesystem, where WAL is unsafe.
pub fn on_network_fs(path: &Path) -> Option<&'static str> {
    // Tests cannot mount NFS: debug builds take the answer from the environment.
    #[cfg(debug_assertions)]
    if std::env::var_os("DUDAO_TEST_NETWORK_FS").is_some() {
        return Some("NFS");
    }
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let c = CString::new(dir.as_os_str().as_bytes()).ok()?;
    // SAFETY: statfs writes into a zeroed struct we own; the path is NUL-terminated.
    let mut s: libc::statfs = unsafe { std::mem::zeroed() };
    if unsafe { libc::statfs(c.as_ptr(), &mut s) } != 0 {
        return None;
    }
    #[allow(clippy::unnecessary_cast)]
    match s.f_type as i64 {
        0x6969 => Some("NFS"),
        0x517B => Some("SMB"),
        0xFF534D42 => Some("CIFS"),
        0xFE534D42 => Some("SMB2"),
        0x65735546 => Some("FUSE"),
        _ => None,
    }
}
