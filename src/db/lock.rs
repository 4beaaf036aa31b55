//! Who holds the database's write lock, so that "busy" can name a person.
//!
//! SQLite takes POSIX advisory locks: in WAL mode the writer holds byte 120
//! of the `-shm` file (the WAL write lock); in rollback mode, the RESERVED
//! byte of the main file. The kernel lists every lock in `/proc/locks` with
//! the holder's PID, and `/proc` tells its user and command.
//!
//! The files themselves are never opened here: closing any descriptor of a
//! file drops every POSIX lock this process holds on it, SQLite's included.

use std::os::unix::fs::MetadataExt;
use std::path::Path;

/// A process holding the write lock.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holder {
    pub pid: i32,
    pub user: Option<String>,
    pub command: Option<String>,
}

impl std::fmt::Display for Holder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (&self.user, &self.command) {
            (Some(u), Some(c)) => write!(f, "{u} ({c}, pid {})", self.pid),
            (Some(u), None) => write!(f, "{u} (pid {})", self.pid),
            (None, Some(c)) => write!(f, "{c} (pid {})", self.pid),
            (None, None) => write!(f, "process {}", self.pid),
        }
    }
}

/// Byte of the `-shm` file that the WAL writer locks.
const WAL_WRITE_LOCK: u64 = 120;
/// The RESERVED lock byte of a rollback-mode database file.
const RESERVED_BYTE: u64 = 0x4000_0001;

/// The PID of a process (not this one) holding a write lock on `byte` of
/// the file at `path`, from a `/proc/locks` text.
fn holder_in(locks: &str, path: &Path, byte: u64) -> Option<i32> {
    let md = std::fs::metadata(path).ok()?;
    let ino = md.ino();
    let me = std::process::id() as i32;
    locks.lines().find_map(|line| {
        // "1: POSIX  ADVISORY  WRITE 1234 08:01:5678 120 120"
        let f: Vec<&str> = line.split_whitespace().collect();
        let at = f.iter().position(|x| *x == "WRITE")?;
        let pid: i32 = f.get(at + 1)?.parse().ok()?;
        let file_ino: u64 = f.get(at + 2)?.rsplit(':').next()?.parse().ok()?;
        let start: u64 = f.get(at + 3)?.parse().ok()?;
        let end = match *f.get(at + 4)? {
            "EOF" => u64::MAX,
            e => e.parse().ok()?,
        };
        (file_ino == ino && pid > 0 && pid != me && start <= byte && byte <= end).then_some(pid)
    })
}

/// The process holding the write lock of the database at `db`, if any can be found.
pub fn write_lock_holder(db: &Path) -> Option<Holder> {
    let locks = std::fs::read_to_string("/proc/locks").ok()?;
    let mut shm = db.as_os_str().to_owned();
    shm.push("-shm");
    let pid = holder_in(&locks, Path::new(&shm), WAL_WRITE_LOCK).or_else(|| holder_in(&locks, db, RESERVED_BYTE))?;
    Some(describe(pid))
}

/// First and last byte of the range SQLite locks on the database file
/// itself (PENDING, RESERVED and the SHARED range): a process that holds
/// any of it for writing keeps readers out (`locking_mode=EXCLUSIVE`, a
/// rollback-mode writer about to commit).
const LOCK_RANGE: (u64, u64) = (0x4000_0000, 0x4000_01FF);

/// The process that keeps others from reading or writing the database
/// at `db`: the WAL writer, or whoever holds part of the file's lock range.
pub fn blocking_holder(db: &Path) -> Option<Holder> {
    if let Some(h) = write_lock_holder(db) {
        return Some(h);
    }
    let locks = std::fs::read_to_string("/proc/locks").ok()?;
    let (lo, hi) = LOCK_RANGE;
    let pid = (lo..=hi)
        .step_by(0x100)
        .chain([hi])
        .find_map(|byte| holder_in(&locks, db, byte))?;
    Some(describe(pid))
}

/// Every other process with the database at `db` open through SQLite:
/// each connection holds a lock on its `-shm` file (WAL mode) or a shared
/// lock on the file itself while it reads (rollback mode).
pub fn openers(db: &Path) -> Vec<Holder> {
    let Ok(locks) = std::fs::read_to_string("/proc/locks") else {
        return Vec::new();
    };
    let mut shm = db.as_os_str().to_owned();
    shm.push("-shm");
    let inodes: Vec<u64> = [Path::new(&shm), db]
        .iter()
        .filter_map(|p| std::fs::metadata(p).ok().map(|m| m.ino()))
        .collect();
    let me = std::process::id() as i32;
    let mut pids: Vec<i32> = locks
        .lines()
        .filter_map(|line| {
            let f: Vec<&str> = line.split_whitespace().collect();
            let at = f.iter().position(|x| *x == "READ" || *x == "WRITE")?;
            let pid: i32 = f.get(at + 1)?.parse().ok()?;
            let ino: u64 = f.get(at + 2)?.rsplit(':').next()?.parse().ok()?;
            (inodes.contains(&ino) && pid > 0 && pid != me).then_some(pid)
        })
        .collect();
    pids.sort_unstable();
    pids.dedup();
    pids.into_iter().map(describe).collect()
}

/// User and command of a process, from `/proc`.
pub fn describe(pid: i32) -> Holder {
    let proc = Path::new("/proc").join(pid.to_string());
    let uid = std::fs::read_to_string(proc.join("status")).ok().and_then(|s| {
        s.lines()
            .find_map(|l| l.strip_prefix("Uid:"))
            .and_then(|v| v.split_whitespace().next()?.parse::<u32>().ok())
    });
    let command = std::fs::read(proc.join("cmdline")).ok().and_then(|b| {
        // The program's name (not its path) and its first short arguments.
        let parts: Vec<String> = b
            .split(|c| *c == 0)
            .filter(|p| !p.is_empty())
            .map(|p| String::from_utf8_lossy(p).into_owned())
            .enumerate()
            .take_while(|(i, a)| *i == 0 || (a.chars().count() <= 24 && !a.chars().any(char::is_control)))
            .take(3)
            .map(|(i, a)| {
                if i == 0 {
                    a.rsplit('/').next().unwrap_or(&a).to_string()
                } else {
                    a
                }
            })
            .collect();
        (!parts.is_empty()).then(|| parts.join(" "))
    });
    Holder {
        pid,
        user: uid.and_then(super::audit::user_name),
        command,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proc_locks_lines_are_read() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("x.db-shm");
        std::fs::write(&f, b"x").unwrap();
        let ino = std::fs::metadata(&f).unwrap().ino();
        let text = format!(
            "1: POSIX  ADVISORY  READ  77 08:01:{ino} 128 128\n2: POSIX  ADVISORY  WRITE 4242 fd:01:{ino} 120 120\n3: FLOCK  ADVISORY  WRITE 99 08:01:{ino} 0 EOF\n"
        );
        assert_eq!(holder_in(&text, &f, 120), Some(4242));
        assert_eq!(
            holder_in(&text, &f, 121),
            Some(99),
            "a whole-file lock covers every byte"
        );
        assert_eq!(holder_in("", &f, 120), None);
    }

    #[test]
    fn a_writer_in_another_process_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("x.db");
        let c = rusqlite::Connection::open(&db).unwrap();
        c.execute_batch("PRAGMA journal_mode=WAL; CREATE TABLE t(x);").unwrap();
        // No one holds it now.
        assert_eq!(write_lock_holder(&db), None);
        // A writer in a child process (sqlite3 may be missing: python is on every CI machine).
        let script = format!(
            "import sqlite3,time,sys\nc=sqlite3.connect({:?}, isolation_level=None)\nc.execute('BEGIN IMMEDIATE')\nc.execute('INSERT INTO t VALUES (1)')\nprint('locked', flush=True)\ntime.sleep(3)\n",
            db.display().to_string()
        );
        let Ok(mut child) = std::process::Command::new("python3")
            .args(["-c", &script])
            .stdout(std::process::Stdio::piped())
            .spawn()
        else {
            eprintln!("python3 not available; skipped");
            return;
        };
        let mut out = child.stdout.take().unwrap();
        let mut buf = [0u8; 7];
        use std::io::Read;
        out.read_exact(&mut buf).unwrap();
        let h = write_lock_holder(&db).expect("the writer is found");
        assert_eq!(h.pid as u32, child.id());
        assert!(h.command.as_deref().unwrap_or("").contains("python3"), "{h:?}");
        assert!(h.user.is_some(), "{h:?}");
        let _ = child.kill();
        let _ = child.wait();
    }
}
