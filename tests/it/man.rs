//! The man page documents every command and flag, and renders cleanly.

use crate::common;

use std::process::Command;

fn man_text() -> String {
    std::fs::read_to_string(common::repo_root().join("man/dudao.1")).unwrap()
}

/// Every long flag of a command and its subcommands.
fn flags(cmd: &clap::Command, out: &mut Vec<(String, String)>) {
    for a in cmd.get_arguments() {
        if let Some(l) = a.get_long() {
            out.push((cmd.get_name().to_string(), l.to_string()));
        }
    }
    for s in cmd.get_subcommands() {
        flags(s, out);
    }
}

#[test]
fn every_command_and_flag_is_in_the_man_page() {
    let man = man_text().replace("\\-", "-");
    let cmd = dudao::cli::Cli::command();
    for s in cmd.get_subcommands() {
        let name = s.get_name();
        assert!(
            man.contains(&format!(".SS {name}")) || man.contains(&format!(".B dudao {name}")),
            "command {name} missing"
        );
    }
    let mut fl = Vec::new();
    flags(&cmd, &mut fl);
    assert!(fl.len() > 10);
    for (owner, long) in fl {
        if long == "help" || long == "version" {
            continue;
        }
        assert!(
            man.contains(&format!("--{long}")),
            "flag --{long} of {owner} missing from man/dudao.1"
        );
    }
    for section in [
        "NAME",
        "SYNOPSIS",
        "DESCRIPTION",
        "COMMANDS",
        "OPTIONS",
        "KEYS",
        "FILES",
        "ENVIRONMENT",
        "EXIT STATUS",
        "EXAMPLES",
    ] {
        assert!(
            man.contains(&format!(".SH {section}")) || man.contains(&format!(".SH \"{section}\"")),
            "section {section} missing"
        );
    }
    for code in [
        dudao::cli::exit::FAILURE,
        dudao::cli::exit::USAGE,
        dudao::cli::exit::DATABASE,
        dudao::cli::exit::INPUT,
    ] {
        assert!(man.contains(&format!(".B {code}\n")), "exit code {code} undocumented");
    }
}

#[test]
fn man_page_renders_without_warnings() {
    let path = common::repo_root().join("man/dudao.1");
    let out = Command::new("man")
        .args(["--warnings", "-l"])
        .arg(&path)
        .env("MANWIDTH", "80")
        .env("MANPAGER", "cat")
        .env("PAGER", "cat")
        .output()
        .expect("man(1) is needed for this test; .ci/run installs man-db");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "man failed: {stderr}");
    assert!(stderr.trim().is_empty(), "warnings: {stderr}");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("EXIT STATUS") && text.contains("dudao"));
}

#[test]
fn every_default_key_and_action_is_in_the_man_page() {
    let man = man_text().replace("\\-", "-");
    let keys = man
        .split(".SH KEYS")
        .nth(1)
        .and_then(|k| k.split(".SH ").next())
        .expect("KEYS section");
    for b in dudao::tui::keymap::Keymap::default().bindings {
        let name = b.action.name();
        assert!(
            keys.contains(&format!("\\fB{name}\\fR")),
            "action {name} missing from KEYS"
        );
        for k in &b.keys {
            let long = k.long_name();
            assert!(keys.contains(&long), "key {long} ({name}) missing from KEYS");
        }
    }
}
