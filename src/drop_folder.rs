//! Files on disk: reading one safely (regular files only, never following
//! a link, never blocking on a FIFO, a size cap), the drop folder
//! (`inbox_dir`) with `processed/` and `quarantine/` beside the files, a
//! lock so two consoles never import the same file at once, and the
//! whole import of one file: read, parse, record, file away.

use std::collections::HashMap;
use std::fs::{File, OpenOptions};
use std::io::{self, Read};
use std::os::unix::fs::{FileTypeExt, OpenOptionsExt};
use std::os::unix::io::AsRawFd;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use rusqlite::Connection;
use sha2::{Digest, Sha256};

use crate::db;
use crate::intake::{Catalog, MAX_FILE_BYTES, Reason, Refusal};
use crate::ops::Context;
use crate::ops::intake::{FileMeta, ImportOutcome, ParseResult, record_file};
use crate::text::sanitize;

/// A file's bytes, read safely.
#[derive(Debug, Clone)]
pub struct Bytes {
    pub bytes: Vec<u8>,
    pub sha256: String,
}

/// What kind of thing a path is when it is not a regular file.
fn odd_kind(ft: &std::fs::FileType) -> Option<&'static str> {
    if ft.is_symlink() {
        Some("symlink")
    } else if ft.is_dir() {
        Some("directory")
    } else if ft.is_fifo() {
        Some("fifo")
    } else if ft.is_block_device() || ft.is_char_device() {
        Some("device")
    } else if ft.is_socket() {
        Some("socket")
    } else {
        None
    }
}

/// Reads a regular file of at most [`MAX_FILE_BYTES`]: links are not
/// followed, FIFOs and devices are not opened, a file that grows while it
/// is read is still capped.
// A refusal is returned once per file; its size does not matter.
#[allow(clippy::result_large_err)]
pub fn read_file(path: &Path) -> Result<Bytes, (Refusal, Option<u64>)> {
    let unreadable = |e: io::Error| (Refusal::new(Reason::Unreadable { error: e.to_string() }), None);
    let meta = std::fs::symlink_metadata(path).map_err(unreadable)?;
    if let Some(kind) = odd_kind(&meta.file_type()) {
        return Err((Refusal::new(Reason::NotRegular { kind: kind.into() }), None));
    }
    // O_NOFOLLOW: a link swapped in after the check is not followed;
    // O_NONBLOCK: a FIFO swapped in does not hang the import.
    let file = OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK | libc::O_CLOEXEC)
        .open(path)
        .map_err(|e| match e.raw_os_error() {
            Some(libc::ELOOP) => (Refusal::new(Reason::NotRegular { kind: "symlink".into() }), None),
            _ => unreadable(e),
        })?;
    let meta = file.metadata().map_err(unreadable)?;
    if let Some(kind) = odd_kind(&meta.file_type()) {
        return Err((Refusal::new(Reason::NotRegular { kind: kind.into() }), None));
    }
    let size = meta.len();
    if size > MAX_FILE_BYTES {
        return Err((
            Refusal::new(Reason::TooLarge {
                size,
                max: MAX_FILE_BYTES,
            }),
            Some(size),
        ));
    }
    let mut bytes = Vec::with_capacity(size as usize);
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(unreadable)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err((
            Refusal::new(Reason::TooLarge {
                size: bytes.len() as u64,
                max: MAX_FILE_BYTES,
            }),
            Some(bytes.len() as u64),
        ));
    }
    let sha256 = hex(&Sha256::digest(&bytes));
    Ok(Bytes { bytes, sha256 })
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// The drop folder: files arrive at its top level; imported ones move to
/// `processed/`, refused ones to `quarantine/` with a sidecar saying why.
#[derive(Debug, Clone)]
pub struct DropFolder {
    pub root: PathBuf,
}

/// Where a file goes after its import.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dest {
    Processed,
    Quarantine,
}

/// Names of files still being written (SFTP clients, editors) or hidden.
fn in_progress(name: &str) -> bool {
    let lower = name.to_lowercase();
    name.starts_with('.')
        || name.ends_with('~')
        || [".part", ".tmp", ".filepart", ".partial", ".crdownload", ".swp", ".lock"]
            .iter()
            .any(|s| lower.ends_with(s))
        || name.ends_with(".reason.txt")
}

/// Held while this process imports from the folder; dropping it unlocks.
pub struct FolderLock(#[allow(dead_code)] File);

impl DropFolder {
    pub fn new(root: impl Into<PathBuf>) -> DropFolder {
        DropFolder { root: root.into() }
    }

    pub fn dir(&self, d: Dest) -> PathBuf {
        self.root.join(match d {
            Dest::Processed => "processed",
            Dest::Quarantine => "quarantine",
        })
    }

    /// Creates the folder and its two subfolders if they are missing.
    pub fn ensure(&self) -> io::Result<()> {
        std::fs::create_dir_all(&self.root)?;
        std::fs::create_dir_all(self.dir(Dest::Processed))?;
        std::fs::create_dir_all(self.dir(Dest::Quarantine))
    }

    /// Takes the folder's import lock without waiting; `None` when another
    /// process holds it (it is importing; this one skips the round).
    pub fn try_lock(&self) -> io::Result<Option<FolderLock>> {
        let p = self.root.join(".dudao-import.lock");
        let f = match OpenOptions::new().read(true).open(&p) {
            Ok(f) => f,
            Err(e) if e.kind() == io::ErrorKind::NotFound => OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(false)
                .mode(0o666)
                .open(&p)?,
            Err(e) => return Err(e),
        };
        // SAFETY: flock on a descriptor we own.
        let rc = unsafe { libc::flock(f.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) };
        if rc == 0 {
            Ok(Some(FolderLock(f)))
        } else {
            let e = io::Error::last_os_error();
            if e.raw_os_error() == Some(libc::EWOULDBLOCK) {
                Ok(None)
            } else {
                Err(e)
            }
        }
    }

    /// The entries waiting at the top level (not hidden, not being
    /// written, not directories), by name.
    pub fn waiting(&self) -> io::Result<Vec<(PathBuf, Stamp)>> {
        let mut out = Vec::new();
        for e in std::fs::read_dir(&self.root)? {
            let e = e?;
            let name = e.file_name();
            let Some(name) = name.to_str() else {
                // A name that is not UTF-8 is still a file to deal with.
                out.push((e.path(), Stamp::of(&e.path())));
                continue;
            };
            if in_progress(name) {
                continue;
            }
            let Ok(ft) = e.file_type() else { continue };
            if ft.is_dir() {
                continue;
            }
            out.push((e.path(), Stamp::of(&e.path())));
        }
        out.sort();
        Ok(out)
    }

    /// Whether `path` sits at the top of this folder.
    pub fn holds(&self, path: &Path) -> bool {
        let parent = path
            .parent()
            .map(|p| p.canonicalize().unwrap_or_else(|_| p.to_path_buf()));
        let root = self.root.canonicalize().unwrap_or_else(|_| self.root.clone());
        parent.as_deref() == Some(root.as_path())
    }

    /// A free name in `d` for a file called `name` met at `at` (UTC).
    pub fn plan(&self, d: Dest, name: &str, at: &str) -> PathBuf {
        let stamp: String = at.chars().filter(|c| c.is_ascii_alphanumeric()).collect();
        let dir = self.dir(d);
        let mut p = dir.join(format!("{stamp}_{name}"));
        let mut n = 2;
        while std::fs::symlink_metadata(&p).is_ok() || std::fs::symlink_metadata(sidecar_of(&p)).is_ok() {
            p = dir.join(format!("{stamp}_{n}_{name}"));
            n += 1;
        }
        p
    }
}

/// The sidecar of a quarantined file.
pub fn sidecar_of(p: &Path) -> PathBuf {
    let mut s = p.as_os_str().to_os_string();
    s.push(".reason.txt");
    PathBuf::from(s)
}

/// A file's size and modification time, to tell when it stopped changing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Stamp {
    len: u64,
    mtime: Option<SystemTime>,
}

impl Stamp {
    fn of(p: &Path) -> Stamp {
        match std::fs::symlink_metadata(p) {
            Ok(m) => Stamp {
                len: m.len(),
                mtime: m.modified().ok(),
            },
            Err(_) => Stamp { len: 0, mtime: None },
        }
    }
}

/// Remembers what the folder looked like, so a file is imported only once
/// it has stopped changing between two looks (an upload in progress is left
/// alone).
#[derive(Debug, Default)]
pub struct Settle {
    seen: HashMap<PathBuf, Stamp>,
}

impl Settle {
    /// Of the files waiting now, those unchanged since the last look.
    pub fn ready(&mut self, waiting: Vec<(PathBuf, Stamp)>) -> Vec<PathBuf> {
        let mut ready = Vec::new();
        let mut next = HashMap::new();
        for (p, st) in waiting {
            if self.seen.get(&p) == Some(&st) {
                ready.push(p.clone());
            }
            next.insert(p, st);
        }
        self.seen = next;
        ready
    }
}

/// Watching the drop folder: each look imports the files that have stopped
/// changing since the previous look (one process at a time, by the lock).
#[derive(Debug)]
pub struct Watch {
    pub folder: DropFolder,
    settle: Settle,
}

impl Watch {
    pub fn new(folder: DropFolder) -> Watch {
        Watch {
            folder,
            settle: Settle::default(),
        }
    }

    /// One look at the folder. A missing folder is created; a folder that
    /// cannot be read, or a database that cannot be written, is an error
    /// (the files stay where they are for the next look).
    pub fn round(&mut self, conn: &mut Connection, ctx: &Context) -> Result<Vec<FileReport>, String> {
        let f = &self.folder;
        if std::fs::symlink_metadata(&f.root).is_err() || std::fs::symlink_metadata(f.dir(Dest::Quarantine)).is_err() {
            f.ensure()
                .map_err(|e| format!("drop folder {}: {e}", f.root.display()))?;
        }
        let waiting = f
            .waiting()
            .map_err(|e| format!("drop folder {}: {e}", f.root.display()))?;
        let ready = self.settle.ready(waiting);
        if ready.is_empty() {
            return Ok(Vec::new());
        }
        let Some(_lock) = f
            .try_lock()
            .map_err(|e| format!("drop folder {}: {e}", f.root.display()))?
        else {
            // Another console or service is importing; it takes these files.
            return Ok(Vec::new());
        };
        let cat = db::intake::catalog(conn, ctx.today).map_err(|e| e.to_string())?;
        let mut out = Vec::new();
        for p in ready {
            // Another process may have taken it between the look and the lock.
            if std::fs::symlink_metadata(&p).is_err() {
                continue;
            }
            out.push(import_path(conn, ctx, &cat, f, &p, Keep::Move).map_err(|e| e.to_string())?);
        }
        Ok(out)
    }
}

/// One file's import, as reported to the person.
#[derive(Debug, Clone, PartialEq)]
pub struct FileReport {
    /// The file as named (a path on the command line, a name in the folder).
    pub name: String,
    pub outcome: ImportOutcome,
    /// Where the file (or its copy) was put.
    pub stored_as: Option<PathBuf>,
    /// Why it could not be put there (it stays where it was).
    pub file_error: Option<String>,
}

impl FileReport {
    pub fn refused(&self) -> bool {
        matches!(self.outcome, ImportOutcome::Refused { .. })
    }
}

/// How a file reaches its folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keep {
    /// Moved (a file in the drop folder).
    Move,
    /// Copied (a file named on the command line stays where it is).
    Copy,
}

/// Imports one file: reads it safely, parses and checks it against `cat`,
/// records the outcome in one transaction, then files it away (moved or
/// copied into `processed/` or `quarantine/`, with a sidecar for a refusal).
pub fn import_path(
    conn: &mut Connection,
    ctx: &Context,
    cat: &Catalog,
    folder: &DropFolder,
    path: &Path,
    keep: Keep,
) -> db::Result<FileReport> {
    let name = match keep {
        Keep::Move => path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        Keep::Copy => path.display().to_string(),
    };
    let base = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "file".into());
    let read = read_file(path);
    let (parsed, sha, size): (ParseResult, String, Option<u64>) = match &read {
        Ok(b) => (
            crate::intake::parse(&b.bytes, cat),
            b.sha256.clone(),
            Some(b.bytes.len() as u64),
        ),
        Err((r, size)) => (Err((r.clone(), None, None)), String::new(), *size),
    };
    let dest = if parsed.is_ok() {
        Dest::Processed
    } else {
        Dest::Quarantine
    };
    // A copy is only made of what could be read; a link, FIFO or device
    // named on the command line stays where it is.
    let can_file = keep == Keep::Move || read.is_ok();
    let now = crate::db::audit::now_utc();
    let planned = can_file.then(|| folder.plan(dest, &base, &now));
    let stored_rel = planned.as_ref().map(|p| relative(&folder.root, p)).unwrap_or_default();
    let meta = FileMeta {
        file_name: &name,
        stored_as: &stored_rel,
        sha256: &sha,
        size,
    };
    let outcome = record_file(conn, ctx, &meta, &parsed)?;
    let mut file_error = None;
    let mut stored_as = None;
    if let Some(target) = planned {
        let moved = match keep {
            Keep::Move => std::fs::rename(path, &target),
            Keep::Copy => read
                .as_ref()
                .map_err(|_| io::Error::other("unreadable"))
                .and_then(|b| write_new(&target, &b.bytes)),
        };
        match moved {
            Ok(()) => stored_as = Some(target.clone()),
            Err(e) => file_error = Some(e.to_string()),
        }
        if let ImportOutcome::Refused { refusal, .. } = &outcome
            && file_error.is_none()
        {
            let text = sidecar_text(&name, &target, &now, ctx, &sha, size, &parsed, refusal);
            if let Err(e) = write_new(&sidecar_of(&target), text.as_bytes()) {
                file_error = Some(format!("sidecar: {e}"));
            }
        }
    }
    Ok(FileReport {
        name,
        outcome,
        stored_as,
        file_error,
    })
}

/// Writes a new file (never over an existing one).
fn write_new(p: &Path, bytes: &[u8]) -> io::Result<()> {
    use std::io::Write;
    let mut f = OpenOptions::new().write(true).create_new(true).mode(0o644).open(p)?;
    f.write_all(bytes)?;
    f.sync_all()
}

fn relative(root: &Path, p: &Path) -> String {
    p.strip_prefix(root).unwrap_or(p).display().to_string()
}

#[allow(clippy::too_many_arguments)]
fn sidecar_text(
    name: &str,
    stored: &Path,
    at: &str,
    ctx: &Context,
    sha: &str,
    size: Option<u64>,
    parsed: &ParseResult,
    refusal: &Refusal,
) -> String {
    let (enc, fmt) = match parsed {
        Err((_, e, f)) => (e.map(|e| e.code()).unwrap_or("—"), f.map(|f| f.code()).unwrap_or("—")),
        Ok(p) => (p.encoding.code(), p.format.code()),
    };
    let opt = |v: Option<usize>| v.map(|v| v.to_string()).unwrap_or_else(|| "—".into());
    let text = format!(
        "dudao: this file was refused and kept here; nothing was imported.\n\
         dudao：此文件未导入，已隔离保存；数据库未作任何改动。\n\n\
         file:     {name}\n\
         kept as:  {}\n\
         time:     {at}\n\
         user:     {} (uid {})\n\
         sha256:   {}\n\
         size:     {}\n\
         encoding: {enc}\n\
         format:   {fmt}\n\
         line:     {}\n\
         column:   {}\n\
         reason:   {}\n\
         原因：    {}\n\n\
         Fix the file and put it in the drop folder again (or run `dudao import FILE`).\n\
         请修改后重新放入收件目录（或运行 dudao import 文件）。\n",
        stored.display(),
        ctx.actor.user,
        ctx.actor.uid,
        if sha.is_empty() { "—" } else { sha },
        size.map(|s| format!("{s} bytes")).unwrap_or_else(|| "—".into()),
        opt(refusal.line),
        opt(refusal.col),
        crate::i18n::intake::reason(&refusal.reason, crate::i18n::Lang::En),
        crate::i18n::intake::refusal(refusal, crate::i18n::Lang::Zh),
    );
    sanitize(&text).into_owned()
}

/// One line for standard error about a file's import: imported (as which
/// version, with how many figures), a duplicate, or refused and why; where
/// the file went.
pub fn import_line(r: &FileReport) -> String {
    use crate::i18n::fill;
    use crate::ops::intake::ImportOutcome;
    let c = crate::i18n::cli();
    let lang = crate::i18n::lang();
    let values = |n: usize| match n {
        0 => c.no_values.to_string(),
        1 => c.one_value.to_string(),
        n => fill(c.n_values, &[&n]),
    };
    let what = match &r.outcome {
        ImportOutcome::Imported {
            unit,
            month,
            report: Some((_, v)),
            values: n,
            ..
        } => fill(c.imported_version, &[unit, month, v, &values(*n)]),
        ImportOutcome::Imported {
            unit, month, values: n, ..
        } => fill(c.imported_values, &[unit, month, &values(*n)]),
        ImportOutcome::Duplicate { earlier, .. } => fill(
            c.duplicate,
            &[&crate::text::local_time(&earlier.at), &earlier.file_name],
        ),
        ImportOutcome::Refused { refusal, .. } => fill(c.refused, &[&crate::i18n::intake::refusal(refusal, lang)]),
    };
    let mut line = fill(c.file_line, &[&r.name, &what]);
    if let Some(p) = &r.stored_as {
        line.push_str(&fill(c.stored_as, &[&p.display()]));
    }
    if let Some(e) = &r.file_error {
        line.push_str(&fill(c.file_stays, &[e]));
    }
    crate::text::sanitize(&line).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_being_written_are_left_alone() {
        for n in [
            ".hidden.toml",
            "a.toml.part",
            "b.filepart",
            "c.tmp",
            "d~",
            "x.toml.reason.txt",
        ] {
            assert!(in_progress(n), "{n}");
        }
        for n in ["科技厅-2026-10.toml", "a.json", "b.csv", "report"] {
            assert!(!in_progress(n), "{n}");
        }
    }

    #[test]
    fn a_file_is_ready_once_it_stops_changing() {
        let mut s = Settle::default();
        let p = PathBuf::from("/x/a.toml");
        let st = |len| Stamp { len, mtime: None };
        assert!(s.ready(vec![(p.clone(), st(10))]).is_empty());
        assert!(s.ready(vec![(p.clone(), st(20))]).is_empty(), "still growing");
        assert_eq!(s.ready(vec![(p.clone(), st(20))]), vec![p.clone()]);
        assert!(s.ready(vec![]).is_empty());
        assert!(s.ready(vec![(p.clone(), st(20))]).is_empty(), "forgotten once gone");
    }

    #[test]
    fn refuses_what_is_not_a_regular_file() {
        let dir = tempfile::tempdir().unwrap();
        let kind = |p: &Path| match read_file(p) {
            Err((
                Refusal {
                    reason: Reason::NotRegular { kind },
                    ..
                },
                _,
            )) => kind,
            other => panic!("{p:?}: {other:?}"),
        };
        assert_eq!(kind(dir.path()), "directory");
        let f = dir.path().join("f.toml");
        std::fs::write(&f, "x").unwrap();
        let l = dir.path().join("l.toml");
        std::os::unix::fs::symlink(&f, &l).unwrap();
        assert_eq!(kind(&l), "symlink");
        let fifo = dir.path().join("p.toml");
        let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        // SAFETY: a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
        assert_eq!(kind(&fifo), "fifo");
        assert_eq!(kind(Path::new("/dev/null")), "device");
        let big = dir.path().join("big.toml");
        std::fs::write(&big, vec![b'#'; MAX_FILE_BYTES as usize + 1]).unwrap();
        assert!(matches!(
            read_file(&big),
            Err((
                Refusal {
                    reason: Reason::TooLarge { .. },
                    ..
                },
                Some(_)
            ))
        ));
        assert_eq!(read_file(&f).unwrap().sha256.len(), 64);
    }
}
