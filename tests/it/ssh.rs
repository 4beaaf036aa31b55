//! The console over a real SSH session: an sshd on 127.0.0.1 with a
//! throw-away host key, client key and port, the console run through
//! `ssh -tt` in an 80×24 pseudo-terminal. The screen must be right, and
//! when the client dies (a dropped connection), the remote console must
//! exit within 2 s without spinning.
//!
//! Needs Debian's openssh-server and openssh-client (`.ci/run` installs
//! them); skipped, saying so, where they are absent.

use crate::common::pty;

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::sample_copy;
use pty::Pty;

pub const SSHD: &str = "/usr/sbin/sshd";

pub struct Sshd {
    child: Child,
    pub port: u16,
    pub key: PathBuf,
}

impl Drop for Sshd {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn keygen(path: &Path) {
    let ok = Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-f"])
        .arg(path)
        .status()
        .expect("run ssh-keygen")
        .success();
    assert!(ok, "ssh-keygen failed");
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

pub fn user() -> String {
    // SAFETY: getpwuid returns a pointer into static storage or null.
    unsafe {
        let pw = libc::getpwuid(libc::geteuid());
        assert!(!pw.is_null(), "this user has no passwd entry");
        std::ffi::CStr::from_ptr((*pw).pw_name).to_string_lossy().into_owned()
    }
}

fn start_sshd(dir: &Path) -> Sshd {
    let key = dir.join("client_key");
    keygen(&key);
    let auth = dir.join("authorized_keys");
    std::fs::copy(dir.join("client_key.pub"), &auth).unwrap();
    start_sshd_with(dir, &auth, key)
}

/// An sshd on a free port of 127.0.0.1 reading `auth` for its keys.
pub fn start_sshd_with(dir: &Path, auth: &Path, key: PathBuf) -> Sshd {
    let host = dir.join("host_key");
    keygen(&host);
    // Root's sshd wants its privilege separation folder.
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } == 0 {
        let _ = std::fs::create_dir_all("/run/sshd");
    }
    let port = free_port();
    let config = dir.join("sshd_config");
    std::fs::write(
        &config,
        format!(
            "Port {port}\nListenAddress 127.0.0.1\nHostKey {host}\nAuthorizedKeysFile {auth}\n\
             PidFile {pid}\nStrictModes no\nUsePAM no\nPasswordAuthentication no\n\
             KbdInteractiveAuthentication no\nPubkeyAuthentication yes\nPermitRootLogin yes\n\
             PrintMotd no\nPrintLastLog no\nLogLevel ERROR\n",
            host = host.display(),
            auth = auth.display(),
            pid = dir.join("sshd.pid").display(),
        ),
    )
    .unwrap();
    let child = Command::new(SSHD)
        .args(["-D", "-e", "-f"])
        .arg(&config)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start sshd");
    // Listening once a connection is accepted.
    let deadline = Instant::now() + Duration::from_secs(10);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "sshd did not listen on {port}");
        std::thread::sleep(Duration::from_millis(20));
    }
    Sshd { child, port, key }
}

/// Processes running the dudao binary with `db` on their command line.
fn remote_consoles(db: &Path) -> Vec<i32> {
    let want = db.to_string_lossy().into_owned();
    let exe = std::fs::canonicalize(env!("CARGO_BIN_EXE_dudao")).unwrap();
    let mut found = Vec::new();
    for e in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(pid) = e.file_name().to_string_lossy().parse::<i32>() else {
            continue;
        };
        let Ok(cmd) = std::fs::read(e.path().join("cmdline")) else {
            continue;
        };
        let args: Vec<String> = cmd
            .split(|&b| b == 0)
            .map(|a| String::from_utf8_lossy(a).into_owned())
            .collect();
        let is_dudao = std::fs::read_link(e.path().join("exe")).is_ok_and(|p| p == exe);
        if is_dudao && args.contains(&want) {
            found.push(pid);
        }
    }
    found
}

/// CPU time (user + system, in clock ticks) a process has used.
fn cpu_ticks(pid: i32) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let after = &stat[stat.rfind(')')? + 2..];
    let f: Vec<&str> = after.split_whitespace().collect();
    Some(f.get(11)?.parse::<u64>().ok()? + f.get(12)?.parse::<u64>().ok()?)
}

#[test]
fn the_console_over_ssh_draws_right_and_exits_when_the_client_dies() {
    if !Path::new(SSHD).exists() || Command::new("ssh").arg("-V").output().is_err() {
        eprintln!("skipped: {SSHD} or ssh is not installed (Debian: openssh-server, openssh-client)");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let sshd = start_sshd(dir.path());
    let db = sample_copy(dir.path());
    let port = sshd.port.to_string();
    let key = sshd.key.to_string_lossy().into_owned();
    let target = format!("{}@127.0.0.1", user());
    let wrapper = [
        "ssh",
        "-tt",
        "-p",
        &port,
        "-i",
        &key,
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
        &target,
    ];
    let mut t = Pty::spawn_via(
        24,
        80,
        dir.path(),
        &wrapper,
        &["--today".as_ref(), "2026-11-30".as_ref(), db.as_os_str()],
        &[],
    );
    let screen = t.wait_until("the inbox over ssh", pty::scaled(Duration::from_secs(20)), |s| {
        s.contains("◀ 2026-10 月报 ▶") && s.contains("科技厅") && s.lines().last().is_some_and(|l| l.contains("? 帮助"))
    });
    let rows: Vec<&str> = screen.lines().collect();
    assert_eq!(rows.len(), 24, "the remote console fills 24 rows:\n{screen}");
    assert!(
        rows[0].contains("督导") && rows[1].contains("月报收件箱"),
        "header and tab bar on top:\n{screen}"
    );
    // A key goes through and is answered.
    t.send(b"4");
    t.wait_for("到期预警");

    let remote = remote_consoles(&db);
    assert_eq!(remote.len(), 1, "one console runs behind sshd: {remote:?}");
    let pid = remote[0];
    let ticks_before = cpu_ticks(pid).expect("the console's CPU time");
    // The connection drops: the client is killed, sshd hangs up the session.
    // SAFETY: kill sends a signal to the ssh client we started.
    unsafe { libc::kill(t.pid() as i32, libc::SIGKILL) };
    let killed = Instant::now();
    let mut last_ticks = ticks_before;
    while Path::new(&format!("/proc/{pid}")).exists() && cpu_ticks(pid).is_some() {
        last_ticks = cpu_ticks(pid).unwrap_or(last_ticks);
        assert!(
            killed.elapsed() < pty::scaled(Duration::from_secs(2)),
            "the remote console still runs 2 s after the client died (CPU ticks {ticks_before} → {last_ticks})"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    // Not spinning while it went: well under a second of CPU (100 ticks/s).
    assert!(
        last_ticks.saturating_sub(ticks_before) < 50,
        "the console burnt {} ticks of CPU on its way out",
        last_ticks - ticks_before
    );
    drop(sshd);
}
