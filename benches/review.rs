//! The quarterly review: reading a quarter's figures (one transaction,
//! this quarter and the previous), drawing each page at 200×60, a page
//! change, and resident memory across thousands of kiosk page changes (it
//! must not grow). On sample.db, or the database named by DUDAO_BENCH_DB
//! (e.g. `dudao demo --scale 390`, about a million reports).
//!
//! Run: `cargo bench --bench review` (targets: figures ≤ 200 ms on
//! sample.db; a page drawn ≤ 16 ms).

use std::path::PathBuf;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use dudao::db::{self, Mode};
use dudao::i18n::Lang;
use dudao::tui::review::{PAGES, ReviewDeps, ReviewScreen};
use dudao::tui::theme::{Theme, ThemeKind};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn report(name: &str, samples: Vec<Duration>, target_ms: Option<f64>) {
    let max = *samples.iter().max().expect("samples");
    let m = median(samples);
    let verdict = match target_ms {
        Some(t) if m.as_secs_f64() * 1000.0 <= t => format!("ok (target ≤ {t} ms)"),
        Some(t) => format!("OVER target ≤ {t} ms"),
        None => String::new(),
    };
    println!(
        "{name:<34} median {:>8.2} ms   max {:>8.2} ms   {verdict}",
        m.as_secs_f64() * 1000.0,
        max.as_secs_f64() * 1000.0
    );
}

fn rss_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn main() {
    let path = std::env::var_os("DUDAO_BENCH_DB")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("sample.db"));
    let conn = db::open(&path, Mode::ReadOnly).expect("open database");
    let today = db::meta(&conn, "demo_as_of")
        .ok()
        .flatten()
        .and_then(|d| d.parse::<NaiveDate>().ok())
        .unwrap_or_else(|| chrono::Local::now().date_naive());
    let quarter = dudao::domain::Quarter::of(today).prev();
    let policy = dudao::db::alerts::AlertPolicy::default();
    println!("database: {}, quarter {quarter}, today {today}", path.display());

    let v: Vec<Duration> = (0..10)
        .map(|_| {
            let t0 = Instant::now();
            dudao::figures::review(&conn, quarter, today, &policy).expect("figures");
            t0.elapsed()
        })
        .collect();
    report("figures (this and previous quarter)", v, Some(200.0));

    let mut s = ReviewScreen::new(ReviewDeps {
        conn,
        path: path.clone(),
        quarter,
        today,
        policy,
        lang: Lang::Zh,
        theme: Theme::new(ThemeKind::HighContrast, false),
        kiosk: None,
        immutable: false,
    })
    .expect("review");
    let area = Rect::new(0, 0, 200, 60);
    for page in 0..PAGES {
        s.key(KeyEvent::new(
            KeyCode::Char(char::from(b'1' + page as u8)),
            KeyModifiers::NONE,
        ));
        let v: Vec<Duration> = (0..50)
            .map(|_| {
                let mut b = Buffer::empty(area);
                let t0 = Instant::now();
                s.render(area, &mut b);
                t0.elapsed()
            })
            .collect();
        report(&format!("draw page {} at 200×60", page + 1), v, Some(16.0));
    }

    // The kiosk left running: page after page, memory stays flat.
    let before = rss_kb();
    let t0 = Instant::now();
    for _ in 0..5000 {
        s.key(KeyEvent::new(KeyCode::Right, KeyModifiers::NONE));
        let mut b = Buffer::empty(area);
        s.render(area, &mut b);
    }
    let each = t0.elapsed() / 5000;
    report("page change and frame", vec![each], Some(16.0));
    if let (Some(a), Some(b)) = (before, rss_kb()) {
        println!("resident memory over 5000 page changes: {a} kB → {b} kB");
    }
}
