//! People over SSH, as gitolite and soft-serve do it: one service account,
//! each person's key line forcing `dudao --as NAME --key-fp FP --db DB`.
//! A throw-away sshd on 127.0.0.1 with three keys — a 工作人员, an 观察员
//! and a 单位填报员 of 文化厅 — each can see and do exactly its role's part;
//! the unit cannot read another unit's report, export, open another file or
//! get a shell; every action and every refusal is audited with the
//! person's name.
//!
//! Needs openssh-server and openssh-client (`.ci/run` installs them);
//! skipped, saying so, where they are absent.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::*;
use crate::ssh::{SSHD, keygen, start_sshd_with, user};
use rusqlite::Connection;

struct Person {
    key: PathBuf,
}

fn ssh(port: u16, p: &Person, remote: &str, stdin: Option<&[u8]>) -> std::process::Output {
    use std::io::Write;
    let mut c = Command::new("ssh");
    c.args(["-p", &port.to_string(), "-i"])
        .arg(&p.key)
        .args([
            "-F",
            "/dev/null",
            "-o",
            "StrictHostKeyChecking=no",
            "-o",
            "UserKnownHostsFile=/dev/null",
            "-o",
            "BatchMode=yes",
            "-o",
            "LogLevel=ERROR",
            "-o",
            "IdentitiesOnly=yes",
        ])
        .arg(format!("{}@127.0.0.1", user()));
    if !remote.is_empty() {
        c.arg(remote);
    }
    c.stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let mut child = c.spawn().unwrap();
    if let Some(bytes) = stdin {
        child.stdin.take().unwrap().write_all(bytes).unwrap();
    } else {
        drop(child.stdin.take());
    }
    child.wait_with_output().unwrap()
}

fn audited(db: &Path, person: &str, result: &str) -> i64 {
    Connection::open(db)
        .unwrap()
        .query_row(
            "SELECT count(*) FROM audit_log WHERE person = ?1 AND result = ?2",
            [person, result],
            |r| r.get(0),
        )
        .unwrap()
}

#[test]
fn each_person_sees_and_does_exactly_their_roles_part() {
    if !Path::new(SSHD).exists() || Command::new("ssh").arg("-V").output().is_err() {
        eprintln!("skipped: {SSHD} or ssh is not installed (Debian: openssh-server, openssh-client)");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let db = sample_copy(dir.path());
    let auth = dir.path().join("authorized_keys");
    // A line dudao did not write stays.
    std::fs::write(&auth, "# the service account's own notes\n").unwrap();
    let mut people = Vec::new();
    for (name, role, unit) in [
        ("王芳", "staff", None),
        ("李明", "observer", None),
        ("卓玛", "reporter", Some("文化厅")),
    ] {
        let key = dir.path().join(format!("key-{role}"));
        keygen(&key);
        let mut add = dudao();
        add.args(["--today", "2026-11-30", "account", "add", name, "--role", role, "--key"])
            .arg(key.with_extension("pub"))
            .arg("--keys-file")
            .arg(&auth)
            .arg(&db);
        if let Some(u) = unit {
            add.args(["--unit", u]);
        }
        let out = add.output().unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        people.push(Person { key });
    }
    let keys = std::fs::read_to_string(&auth).unwrap();
    assert!(keys.starts_with("# the service account's own notes\n"), "{keys}");
    assert_eq!(keys.lines().filter(|l| l.contains("restrict,pty")).count(), 3, "{keys}");
    let sshd = start_sshd_with(dir.path(), &auth, people[0].key.clone());
    let (staff, observer, unit) = (&people[0], &people[1], &people[2]);
    let port = sshd.port;

    // The unit's reporter: its own page, its own report; nothing else.
    let page = ssh(port, unit, "", None);
    let page_text = stdout(&page);
    assert!(page_text.starts_with("文化厅 · 截至"), "{page_text}\n{}", stderr(&page));
    let own = ssh(port, unit, "report show 文化厅/2026-10", None);
    assert!(own.status.success(), "{}", stderr(&own));
    let other = ssh(port, unit, "report show 科技厅/2026-10", None);
    assert_eq!(other.status.code(), Some(4), "{}", stderr(&other));
    assert!(stderr(&other).contains("只能办理本单位"), "{}", stderr(&other));
    assert!(!stdout(&other).contains("科技厅"), "{}", stdout(&other));
    let export = ssh(port, unit, "export reports", None);
    assert_eq!(export.status.code(), Some(4), "{}", stderr(&export));
    let elsewhere = ssh(port, unit, "report list --db /etc/passwd", None);
    assert_eq!(elsewhere.status.code(), Some(2), "{}", stderr(&elsewhere));
    let shell = ssh(port, unit, "sh -c id", None);
    assert_ne!(shell.status.code(), Some(0));
    assert!(!stdout(&shell).contains("uid="), "no shell: {}", stdout(&shell));
    // Its report comes up over the connection, and lands in the inbox.
    let file = "unit = \"文化厅\"\nmonth = \"2026-11\"\nsummary = \"本月工作概述。\"\n";
    let sent = ssh(port, unit, "import -", Some(file.as_bytes()));
    assert!(sent.status.success(), "{}", stderr(&sent));
    let landed: i64 = Connection::open(&db)
        .unwrap()
        .query_row(
            "SELECT count(*) FROM reports r JOIN units u ON u.id = r.unit_id
             WHERE u.short_name = '文化' AND r.month = '2026-11'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(landed, 1);
    // Another unit's report is refused, quarantined, audited.
    let forged = "unit = \"科技厅\"\nmonth = \"2026-11\"\nsummary = \"冒名\"\n";
    let refused = ssh(port, unit, "import -", Some(forged.as_bytes()));
    assert_eq!(refused.status.code(), Some(4), "{}", stderr(&refused));
    assert!(stderr(&refused).contains("本单位"), "{}", stderr(&refused));

    // The observer reads, changes nothing.
    let list = ssh(port, observer, "report list --month 2026-10", None);
    assert!(
        list.status.success() && stdout(&list).contains("科技厅"),
        "{}",
        stderr(&list)
    );
    let accept = ssh(port, observer, "report accept 科技厅/2026-10", None);
    assert_eq!(accept.status.code(), Some(4), "{}", stderr(&accept));
    assert!(stderr(&accept).contains("观察员"), "{}", stderr(&accept));

    // Staff do the daily work; signing off is the director's.
    let ok = ssh(port, staff, "report note 科技厅/2026-10 --text 已电话联系", None);
    assert!(ok.status.success(), "{}", stderr(&ok));
    let close = ssh(port, staff, "done M1", None);
    assert_eq!(close.status.code(), Some(4), "{}", stderr(&close));
    let accounts = ssh(port, staff, "account list", None);
    assert_eq!(accounts.status.code(), Some(4), "{}", stderr(&accounts));

    // Every action and every refusal, with the person's name.
    assert!(audited(&db, "王芳", "ok") >= 1);
    assert!(audited(&db, "王芳", "refused") >= 2);
    assert!(audited(&db, "李明", "refused") >= 1);
    assert!(audited(&db, "卓玛", "refused") >= 2);
    let fp: String = Connection::open(&db)
        .unwrap()
        .query_row(
            "SELECT key_fp FROM audit_log WHERE person = '王芳' AND result = 'ok' LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(fp.starts_with("SHA256:"), "{fp}");
    let check = dudao().arg("check").arg(&db).output().unwrap();
    assert!(check.status.success(), "{}", stdout(&check));
    drop(sshd);
}
