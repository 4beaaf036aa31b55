//! Backups and restores with SQLite's online backup API: a consistent copy
//! of the database while others keep writing (one read transaction, no
//! writer blocked), made under a temporary name and linked into place, with
//! the audit anchor that matches the copy.

use std::io::Write;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags};

use super::{DbError, Result, anchor};

fn side(path: &Path, suffix: &str) -> PathBuf {
    let mut p = path.as_os_str().to_owned();
    p.push(suffix);
    PathBuf::from(p)
}

fn sync_folder(dir: &Path) -> Result<()> {
    std::fs::File::open(dir).and_then(|d| d.sync_all())?;
    Ok(())
}

/// Copies the open database `src` (a connection from [`super::open`]) to a
/// new file `dest` that must not exist, in WAL mode, with the anchor lines
/// of every audit row the copy holds as `dest.audit-head`. Returns the
/// copy's newest audit id.
pub fn copy_to(src: &Connection, src_path: &Path, dest: &Path) -> Result<i64> {
    for p in [dest.to_path_buf(), anchor::path_for(dest)] {
        if std::fs::symlink_metadata(&p).is_ok() {
            return Err(DbError::Exists(p));
        }
    }
    let (dir, tmp) = super::temp_beside(dest)?;
    let cleanup = super::remove_temp;
    cleanup(&tmp);
    let result = (|| {
        let mut to = Connection::open_with_flags(
            &tmp,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        {
            let b = rusqlite::backup::Backup::new(src, &mut to)?;
            // All pages in one step: one read transaction on the source, a
            // consistent snapshot whatever other processes commit meanwhile.
            loop {
                match b.step(-1)? {
                    rusqlite::backup::StepResult::Done => break,
                    rusqlite::backup::StepResult::More => {}
                    _ => std::thread::sleep(std::time::Duration::from_millis(20)),
                }
            }
        }
        to.pragma_update(None, "journal_mode", "WAL")?;
        let ok: String = to.query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
        if ok != "ok" {
            return Err(DbError::Corrupt {
                path: dest.into(),
                detail: format!("the copy fails integrity_check: {ok}"),
            });
        }
        let head = anchor::head(&to)?.map(|h| h.0).unwrap_or(0);
        to.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")?;
        to.close().map_err(|(_, e)| DbError::Sql(e))?;
        if let Ok(md) = std::fs::metadata(src_path) {
            let _ = std::fs::set_permissions(&tmp, std::fs::Permissions::from_mode(md.mode() & 0o7777));
        }
        std::fs::File::open(&tmp)?.sync_all()?;
        write_anchor(src_path, dest, head)?;
        std::fs::hard_link(&tmp, dest).map_err(|e| {
            let _ = std::fs::remove_file(anchor::path_for(dest));
            if e.kind() == std::io::ErrorKind::AlreadyExists {
                DbError::Exists(dest.into())
            } else {
                DbError::Io(e)
            }
        })?;
        Ok(head)
    })();
    cleanup(&tmp);
    if result.is_ok() {
        sync_folder(&dir)?;
    }
    result
}

/// The copy's anchor: the source anchor's lines for rows up to `head`
/// (read after the snapshot, so every row of the copy has its line).
fn write_anchor(src_path: &Path, dest: &Path, head: i64) -> Result<()> {
    let src_anchor = anchor::path_for(src_path);
    let text = match std::fs::read_to_string(&src_anchor) {
        Ok(t) => t,
        // Not anchored yet: neither is the copy.
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => {
            return Err(DbError::Anchor {
                path: src_anchor,
                error: e,
            });
        }
    };
    let mut out = format!(
        "# dudao audit anchor, copied by dudao backup from {} at {}\n",
        src_path.display(),
        super::audit::now_utc()
    );
    for line in text.lines() {
        let id = line.split(' ').nth(1).and_then(|s| s.parse::<i64>().ok());
        if (line.starts_with("P ") || line.starts_with("C ")) && id.is_some_and(|id| id <= head) {
            out.push_str(line);
            out.push('\n');
        }
    }
    let path = anchor::path_for(dest);
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .map_err(|e| DbError::Anchor {
            path: path.clone(),
            error: e,
        })?;
    if let Ok(md) = std::fs::metadata(&src_anchor) {
        let _ = f.set_permissions(std::fs::Permissions::from_mode(md.mode() & 0o666));
    }
    f.write_all(out.as_bytes())
        .and_then(|()| f.sync_all())
        .map_err(|e| DbError::Anchor { path, error: e })
}

/// Replaces the database at `db` (which no process may have open) with
/// the backup `src` (a connection from [`super::open`] on `src_path`).
/// The file replaced is kept, with its anchor, as `saved`.
pub fn replace(src: &Connection, src_path: &Path, db: &Path, saved: &Path) -> Result<()> {
    // The current database, WAL included, kept whole.
    {
        let cur = super::open(db, super::Mode::ReadOnly)?;
        copy_to(&cur, db, saved)?;
    }
    // Named as `clean_leftovers` knows, should this process be killed.
    let (dir, staged) = super::temp_beside(db)?;
    let _ = std::fs::remove_file(&staged);
    let _ = std::fs::remove_file(anchor::path_for(&staged));
    copy_to(src, src_path, &staged)?;
    if let Ok(md) = std::fs::metadata(db) {
        let _ = std::fs::set_permissions(&staged, std::fs::Permissions::from_mode(md.mode() & 0o7777));
        // Keep the group (a staff group on a setgid folder).
        let c = std::ffi::CString::new(std::os::unix::ffi::OsStrExt::as_bytes(staged.as_os_str()))
            .map_err(|e| DbError::Invalid(e.to_string()))?;
        // SAFETY: a NUL-terminated path; -1 leaves the owner as it is.
        unsafe { libc::chown(c.as_ptr(), u32::MAX, md.gid()) };
    }
    // The old WAL and shared memory belong to the old file: never let them
    // be replayed into the restored one.
    for suffix in ["-wal", "-shm"] {
        match std::fs::remove_file(side(db, suffix)) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e.into()),
            _ => {}
        }
    }
    std::fs::rename(anchor::path_for(&staged), anchor::path_for(db)).or_else(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            // The backup had no anchor yet: neither has the restored file.
            let _ = std::fs::remove_file(anchor::path_for(db));
            Ok(())
        } else {
            Err(e)
        }
    })?;
    std::fs::rename(&staged, db)?;
    sync_folder(&dir)
}
