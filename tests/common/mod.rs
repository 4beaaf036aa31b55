//! Shared helpers for the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

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
