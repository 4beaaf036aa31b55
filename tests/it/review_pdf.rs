//! The review's HTML in a real browser: headless Chromium prints it to PDF
//! on A4; the page count is sane and the PDF's text layer (pdftotext, from
//! poppler-utils) holds the headline figures and the units' names.
//!
//! `.ci/run` installs chromium, poppler-utils and a Chinese font and
//! requires the test to run; where Chromium is absent locally the test
//! says so and passes.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::{dudao, repo_root, stderr, stdout};

fn find(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    for dir in std::env::split_paths(&path) {
        for n in names {
            let p = dir.join(n);
            if p.is_file() {
                return Some(p);
            }
        }
    }
    None
}

/// Runs `cmd`, killing it if it has not finished after `limit` (a browser
/// that hangs must not hang the test run).
fn run_bounded(mut cmd: Command, limit: Duration) -> std::process::Output {
    let mut child = cmd.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    let deadline = Instant::now() + limit;
    loop {
        if child.try_wait().unwrap().is_some() {
            return child.wait_with_output().unwrap();
        }
        if Instant::now() >= deadline {
            let _ = child.kill();
            let out = child.wait_with_output().unwrap();
            panic!("{cmd:?} did not finish: {}", String::from_utf8_lossy(&out.stderr));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn pdf_of(html: &Path, dir: &Path, chromium: &Path) -> PathBuf {
    let pdf = dir.join("review.pdf");
    let mut c = Command::new(chromium);
    c.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--no-pdf-header-footer",
    ])
    .arg(format!("--user-data-dir={}", dir.join("profile").display()))
    .arg(format!("--print-to-pdf={}", pdf.display()))
    .arg(format!("file://{}", html.display()))
    .env("HOME", dir);
    let out = run_bounded(c, Duration::from_secs(180));
    assert!(
        pdf.exists(),
        "no PDF: {}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    pdf
}

#[test]
fn html_prints_on_a4_with_its_text() {
    // CI (`.ci/run`) sets DUDAO_REQUIRE_CHROMIUM: there a missing browser fails.
    let required = std::env::var_os("DUDAO_REQUIRE_CHROMIUM").is_some();
    let skip = |why: &str| {
        assert!(!required, "{why}, and DUDAO_REQUIRE_CHROMIUM is set");
        eprintln!("skipped: {why} (apt-get install chromium poppler-utils fonts-wqy-zenhei)");
    };
    let Some(chromium) = find(&["chromium", "chromium-browser", "google-chrome"]) else {
        return skip("Chromium is not installed here");
    };
    let (Some(pdfinfo), Some(pdftotext)) = (find(&["pdfinfo"]), find(&["pdftotext"])) else {
        return skip("poppler-utils (pdfinfo, pdftotext) is not installed here");
    };
    let dir = tempfile::tempdir().unwrap();
    let out = dudao()
        .args([
            "review",
            "--export",
            "html",
            "--quarter",
            "2026Q3",
            "--today",
            "2026-11-30",
        ])
        .arg(repo_root().join("sample.db"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let html = dir.path().join("review.html");
    std::fs::write(&html, &out.stdout).unwrap();
    let pdf = pdf_of(&html, dir.path(), &chromium);

    let info = Command::new(pdfinfo).arg(&pdf).output().unwrap();
    let info = stdout(&info);
    let pages: u32 = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .expect("page count");
    assert!((3..=12).contains(&pages), "{pages} pages\n{info}");
    assert!(info.contains("(A4)"), "not A4:\n{info}");

    let text = Command::new(pdftotext)
        .args(["-layout"])
        .arg(&pdf)
        .arg("-")
        .output()
        .unwrap();
    let text = stdout(&text);
    // The headline figures of 2026Q3 (see tests/golden/review-2026Q3.md).
    for want in [
        "2026年第三季度",
        "88%",
        "17",
        "22%",
        "12/20",
        "科技厅",
        "拉萨高新区",
        "人力资源社会保障厅",
        "与上季度对比",
    ] {
        assert!(text.contains(want), "{want} is not in the PDF's text:\n{text}");
    }
}
