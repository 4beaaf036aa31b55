//! Start-up to first complete frame, one frame per pane, and keypress to
//! frame, on sample.db (or the database named by DUDAO_BENCH_DB, e.g. one
//! made with `dudao demo --scale 390` for about a million reports).
//!
//! Run: `cargo bench --bench render` (targets: first frame ≤ 40 ms on
//! sample.db, ≤ 100 ms at a million reports; keypress to frame ≤ 16 ms).

use std::path::PathBuf;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use dudao::db::{self, Mode};
use dudao::i18n::Lang;
use dudao::tui::app::{App, Deps};
use dudao::tui::keymap::Keymap;
use dudao::tui::theme::{Theme, ThemeKind};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::layout::Rect;

const W: u16 = 160;
const H: u16 = 48;

fn deps(path: &std::path::Path) -> Deps {
    let conn = db::open(path, Mode::ReadOnly).expect("open database");
    let today = db::meta(&conn, "demo_as_of")
        .ok()
        .flatten()
        .and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok())
        .unwrap_or_else(|| chrono::Local::now().date_naive());
    Deps {
        conn,
        path: path.to_path_buf(),
        db_label: "bench".into(),
        read_only: true,
        read_only_forced: false,
        today_set: true,
        today,
        lang: Lang::Zh,
        theme: Theme::new(ThemeKind::Default, false),
        keymap: Keymap::default(),
        policy: dudao::db::alerts::AlertPolicy::default(),
        office: dudao::notice::Office {
            name: "自治区推进“双创”领导小组办公室".into(),
            contact: "张明 0891-0000000".into(),
            notices_dir: std::env::temp_dir().join("dudao-test-notices"),
        },
        actor: dudao::db::audit::Actor::os(0, "bench"),
        inbox_dir: None,
        drop_folder: dudao::config::drop_folder_beside(path),
    }
}

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

fn key(app: &mut App, c: char) {
    app.handle_key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
}

fn main() {
    let path = std::env::var_os("DUDAO_BENCH_DB")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("sample.db"));
    let reports: i64 = {
        let c = db::open(&path, Mode::ReadOnly).expect("open database");
        c.query_row("SELECT count(*) FROM reports", [], |r| r.get(0))
            .expect("count")
    };
    println!("database: {} ({reports} reports), screen {W}×{H}", path.display());
    let large = reports > 100_000;
    let runs = if large { 5 } else { 30 };

    let mut first = Vec::new();
    for _ in 0..runs {
        let t0 = Instant::now();
        let app = App::new(deps(&path), Rect::new(0, 0, W, H)).expect("app");
        let mut term = Terminal::new(TestBackend::new(W, H)).expect("terminal");
        term.draw(|f| f.render_widget(&app, f.area())).expect("draw");
        first.push(t0.elapsed());
    }
    report("start-up to first frame", first, Some(if large { 100.0 } else { 40.0 }));

    // What start-up spends its time on, query by query.
    {
        let d = deps(&path);
        let month = dudao::domain::Month::of(d.today).prev();
        let time = |name: &str, f: &mut dyn FnMut()| {
            let v: Vec<Duration> = (0..runs)
                .map(|_| {
                    let t0 = Instant::now();
                    f();
                    t0.elapsed()
                })
                .collect();
            report(&format!("  query: {name}"), v, None);
        };
        time("inbox month", &mut || {
            dudao::db::inbox::month_rows(&d.conn, month, 5, &d.policy.calendar, d.today).expect("inbox");
        });
        time("unread count", &mut || {
            dudao::db::inbox::unread_count(&d.conn).expect("unread");
        });
        time("checklist", &mut || {
            dudao::db::checklist::items(&d.conn).expect("checklist");
        });
        time("alerts", &mut || {
            dudao::db::alerts::list(&d.conn, d.today, &d.policy).expect("alerts");
        });
        time("matrix", &mut || {
            dudao::db::matrix::load(
                &d.conn,
                dudao::domain::Month::of(d.today),
                dudao::db::matrix::EAGER_UNITS,
            )
            .expect("matrix");
        });
    }

    let mut app = App::new(deps(&path), Rect::new(0, 0, W, H)).expect("app");
    let mut term = Terminal::new(TestBackend::new(W, H)).expect("terminal");
    for (pane, k) in [("inbox", '1'), ("checklist", '2'), ("matrix", '3'), ("alerts", '4')] {
        let t0 = Instant::now();
        key(&mut app, k);
        term.draw(|f| f.render_widget(&app, f.area())).expect("draw");
        report(&format!("open {pane} (first time)"), vec![t0.elapsed()], None);
        let mut v = Vec::new();
        for _ in 0..runs * 4 {
            let t0 = Instant::now();
            term.draw(|f| f.render_widget(&app, f.area())).expect("draw");
            v.push(t0.elapsed());
        }
        report(&format!("render {pane}"), v, Some(16.0));
        let mut v = Vec::new();
        for i in 0..runs * 4 {
            let t0 = Instant::now();
            key(&mut app, if i % 2 == 0 { 'j' } else { 'k' });
            term.draw(|f| f.render_widget(&app, f.area())).expect("draw");
            v.push(t0.elapsed());
        }
        report(&format!("keypress to frame, {pane}"), v, Some(16.0));
    }
    let t0 = Instant::now();
    app.reload().expect("reload");
    report("reload after another user's change", vec![t0.elapsed()], None);
    // Peak resident memory of this process (all panes loaded): target ≤ 50 MB.
    if let Ok(status) = std::fs::read_to_string("/proc/self/status")
        && let Some(line) = status.lines().find(|l| l.starts_with("VmHWM:"))
    {
        println!(
            "peak resident memory ({})   target ≤ 50 MB",
            line.split_whitespace().skip(1).collect::<Vec<_>>().join(" ")
        );
    }
}
