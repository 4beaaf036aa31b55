//! Shared helpers for the integration tests.
#![allow(dead_code)]

pub mod emu;
pub mod looks;
pub mod pty;
pub mod screen;
pub mod through;

use std::cell::{Cell, RefCell};
use std::path::{Path, PathBuf};
use std::rc::{Rc, Weak};
use std::sync::{RwLock, RwLockReadGuard, RwLockWriteGuard};

use assert_cmd::Command;

/// The `dudao` binary with a clean environment: no user config is read.
pub fn dudao() -> Command {
    let mut c = Command::new(assert_cmd::cargo::cargo_bin!("dudao"));
    c.arg("--no-config");
    c.env_remove("NO_COLOR");
    c
}

pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A fresh demo database in a temporary folder.
pub fn demo_db(dir: &Path) -> PathBuf {
    let p = dir.join("demo.db");
    dudao().args(["demo", "--out"]).arg(&p).assert().success();
    p
}

/// A copy of the committed sample.db in `dir`.
pub fn sample_copy(dir: &Path) -> PathBuf {
    let p = dir.join("sample.db");
    std::fs::copy(repo_root().join("sample.db"), &p).expect("copy sample.db");
    p
}

pub fn stdout(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// [`dudao`] speaking English (`--lang en`), for tests that check its words.
pub fn dudao_en() -> Command {
    let mut c = dudao();
    c.args(["--lang", "en"]);
    c
}

/// How text is measured (`dudao::text::set_ambiguous_wide`,
/// `set_gbk_only`) is one setting for the whole process, and the tests of
/// every file run in this process side by side: a test that changes it
/// holds this for writing, one that measures or draws text for reading.
static TEXT_SETTINGS: RwLock<()> = RwLock::new(());

thread_local! {
    /// This thread holds [`TextExclusive`].
    static CHANGING: Cell<bool> = const { Cell::new(false) };
    /// The read lock this thread holds, shared by its [`TextShared`]s: a
    /// second read of the lock on one thread would wait behind a waiting
    /// writer that waits for the first.
    static SHARED: RefCell<Weak<RwLockReadGuard<'static, ()>>> = const { RefCell::new(Weak::new()) };
}

/// Held while a test measures or draws text in this process: meanwhile
/// no test changes how text is measured. On the thread of a test holding
/// [`TextExclusive`] it holds nothing (that test draws as it set).
pub struct TextShared(Option<Rc<RwLockReadGuard<'static, ()>>>);

pub fn text_shared() -> TextShared {
    if CHANGING.get() {
        return TextShared(None);
    }
    SHARED.with(|held| {
        if let Some(guard) = held.borrow().upgrade() {
            return TextShared(Some(guard));
        }
        let guard = Rc::new(TEXT_SETTINGS.read().unwrap_or_else(|e| e.into_inner()));
        *held.borrow_mut() = Rc::downgrade(&guard);
        TextShared(Some(guard))
    })
}

/// Held by a test that changes how text is measured: no other test
/// measures or draws meanwhile, and the defaults (ambiguous characters
/// narrow, not GBK only) are back when it ends, passed or failed.
pub struct TextExclusive(RwLockWriteGuard<'static, ()>);

pub fn text_exclusive() -> TextExclusive {
    let guard = TEXT_SETTINGS.write().unwrap_or_else(|e| e.into_inner());
    CHANGING.set(true);
    TextExclusive(guard)
}

impl Drop for TextExclusive {
    fn drop(&mut self) {
        dudao::text::set_ambiguous_wide(false);
        dudao::text::set_gbk_only(false);
        CHANGING.set(false);
    }
}
