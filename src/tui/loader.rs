//! The reader: a thread with its own read-only connection that loads what
//! the panes show — at start-up, after any change to the database (ours or
//! another user's), for another month, for the matrix — so the keyboard
//! never waits on a large read. Each part comes back on a channel as soon as
//! it is read (the inbox first: it is on screen); the parts of one request
//! are read in one transaction, so they agree with each other. A byte on
//! the console's wake pipe says something came. Requests that pile up while
//! one is read are merged: only the newest state is worth reading.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, Sender, TryRecvError, channel};

use chrono::NaiveDate;

use super::digest::{AlertsDigest, InboxDigest};
use super::wake::Ringer;
use crate::db::alerts::{AlertPolicy, AlertRow};
use crate::db::checklist::AuthorityRow;
use crate::db::inbox::{InboxRow, MonthHead, MonthRead};
use crate::db::matrix::MatrixData;
use crate::db::{self, DbError, Mode};
use crate::domain::Month;

/// What to read.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Want {
    /// The month the inbox shows.
    pub inbox: Option<Month>,
    /// Send the month's figures and this many of its first rows before the
    /// rest (start-up: at 16,000 units the first screen needs a quarter of
    /// the month's reading).
    pub head: Option<usize>,
    /// Months read ahead for the inbox (the ones `[` and `]` go to).
    pub ahead: Vec<Month>,
    /// The current reporting month's digest (when the inbox shows another).
    pub current: Option<Month>,
    pub unread: bool,
    pub alerts: bool,
    pub checklist: bool,
    /// The matrix; `Some(true)` with every unit's statuses.
    pub matrix: Option<bool>,
}

impl Want {
    /// `self` and a later request in one.
    pub fn merge(&mut self, later: Want) {
        self.inbox = later.inbox.or(self.inbox);
        self.head = self.head.or(later.head);
        for m in later.ahead {
            if !self.ahead.contains(&m) {
                self.ahead.push(m);
            }
        }
        self.current = later.current.or(self.current);
        self.unread |= later.unread;
        self.alerts |= later.alerts;
        self.checklist |= later.checklist;
        self.matrix = match (self.matrix, later.matrix) {
            (Some(a), Some(b)) => Some(a || b),
            (a, b) => a.or(b),
        };
    }
}

/// One part read.
#[derive(Debug)]
pub enum Part {
    /// A month's inbox rows: the one shown or one read ahead.
    Inbox(Month, Vec<InboxRow>),
    /// The figures and first rows of the month shown, its rows to follow.
    InboxHead(Month, MonthHead),
    Current(InboxDigest),
    Unread(i64),
    Alerts(Vec<AlertRow>, AlertsDigest),
    Checklist(Vec<AuthorityRow>),
    Matrix(Box<MatrixData>),
    /// A part could not be read (a value this dudao does not know, a
    /// damaged file): what it shows is unknown, not empty.
    Failed(Which, DbError),
    /// Every part of the request was sent.
    Done,
}

/// Which part could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Which {
    Inbox,
    Unread,
    Current,
    Checklist,
    Alerts,
    Matrix,
}

/// A part read, or [`Part::Failed`] naming it.
fn or_failed(which: Which, r: Result<Part, DbError>) -> Result<Part, DbError> {
    Ok(r.unwrap_or_else(|e| Part::Failed(which, e)))
}

/// A part of request `seq`, or why it could not be read.
#[derive(Debug)]
pub struct Loaded {
    pub seq: u64,
    pub part: Result<Part, DbError>,
}

struct Request {
    seq: u64,
    want: Want,
}

/// Handle on the reader thread.
pub struct Loader {
    requests: Option<Sender<Request>>,
    loaded: Receiver<Loaded>,
    thread: Option<std::thread::JoinHandle<()>>,
}

/// What every read needs besides the request: the clock and the rules.
#[derive(Debug, Clone)]
pub struct Setting {
    pub today: NaiveDate,
    pub policy: AlertPolicy,
}

impl Loader {
    /// Starts the reader on the database at `path`; it rings `wake` when a
    /// part is ready.
    pub fn start(path: &Path, setting: Setting, wake: Ringer) -> std::io::Result<Loader> {
        let (req_tx, req_rx) = channel::<Request>();
        let (done_tx, done_rx) = channel::<Loaded>();
        let path: PathBuf = path.to_path_buf();
        let thread = std::thread::Builder::new()
            .name("dudao-reader".into())
            .spawn(move || run(path, setting, req_rx, done_tx, wake))?;
        Ok(Loader {
            requests: Some(req_tx),
            loaded: done_rx,
            thread: Some(thread),
        })
    }

    /// Asks for `want` as request `seq`; false when the reader is gone.
    pub fn request(&self, seq: u64, want: Want) -> bool {
        self.requests
            .as_ref()
            .is_some_and(|r| r.send(Request { seq, want }).is_ok())
    }

    /// A part, if one is waiting.
    pub fn try_recv(&self) -> Option<Loaded> {
        self.loaded.try_recv().ok()
    }

    /// Waits up to `timeout` for a part.
    pub fn recv_timeout(&self, timeout: std::time::Duration) -> Option<Loaded> {
        self.loaded.recv_timeout(timeout).ok()
    }
}

impl Loader {
    /// Stops the reader after its current read and waits up to `timeout`
    /// for its connection to close (the console's must close last: the
    /// last connection to close folds the WAL back into the file).
    pub fn shutdown(&mut self, timeout: std::time::Duration) {
        self.requests = None;
        let deadline = std::time::Instant::now() + timeout;
        while self.thread.as_ref().is_some_and(|t| !t.is_finished()) && std::time::Instant::now() < deadline {
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        if self.thread.as_ref().is_some_and(|t| t.is_finished())
            && let Some(t) = self.thread.take()
        {
            let _ = t.join();
        }
    }
}

impl Drop for Loader {
    fn drop(&mut self) {
        // Closing the channel ends the thread after its current read.
        self.requests = None;
    }
}

fn run(path: PathBuf, setting: Setting, requests: Receiver<Request>, out: Sender<Loaded>, wake: Ringer) {
    let open = || {
        let c = db::open_again(&path, Mode::ReadOnly);
        if let Ok(c) = &c {
            let _ = c.pragma_update(None, "cache_size", db::READER_CACHE_KIB);
        }
        (c, db::FileStamp::of(&path))
    };
    let (mut conn, mut stamp) = open();
    while let Ok(mut req) = requests.recv() {
        // A snapshot of a file another process has changed since is out
        // of date: read the file as it is now.
        if conn.as_ref().is_ok_and(db::is_immutable) && db::FileStamp::of(&path) != stamp {
            (conn, stamp) = open();
        }
        // Merge what piled up meanwhile.
        loop {
            match requests.try_recv() {
                Ok(later) => {
                    req.seq = later.seq;
                    req.want.merge(later.want);
                }
                Err(TryRecvError::Empty) => break,
                Err(TryRecvError::Disconnected) => return,
            }
        }
        let seq = req.seq;
        let send = |part: Result<Part, DbError>| {
            let ok = out.send(Loaded { seq, part }).is_ok();
            wake.ring();
            ok
        };
        let conn = match &conn {
            Ok(c) => c,
            Err(e) => {
                if !send(Err(DbError::Invalid(e.to_string()))) || !send(Ok(Part::Done)) {
                    return;
                }
                continue;
            }
        };
        if !read(conn, &setting, &req.want, &send) {
            return;
        }
    }
}

/// Month `m`'s rows; first its figures and `head` first rows when asked.
/// `None` once the console is gone.
fn month_with_head(
    conn: &rusqlite::Connection,
    st: &Setting,
    m: Month,
    head: Option<usize>,
    send: &dyn Fn(Result<Part, DbError>) -> bool,
) -> Option<Result<Vec<InboxRow>, DbError>> {
    let p = &st.policy;
    let mut read = match MonthRead::read(conn, m, p.due_day, &p.calendar, st.today) {
        Ok(r) => r,
        Err(e) => return Some(Err(e)),
    };
    if let Some(n) = head {
        match read.head(conn, n) {
            Ok(h) => {
                if !send(Ok(Part::InboxHead(m, h))) {
                    return None;
                }
            }
            Err(e) => return Some(Err(e)),
        }
    }
    Some(read.rows(conn))
}

/// Reads `want` in one transaction, sending each part; false once the
/// console is gone.
fn read(conn: &rusqlite::Connection, st: &Setting, want: &Want, send: &dyn Fn(Result<Part, DbError>) -> bool) -> bool {
    let p = &st.policy;
    // One snapshot for every part (a deferred transaction on a read-only
    // connection takes no lock until the first read).
    let tx = conn.unchecked_transaction();
    let rows_of = |m: Month| db::inbox::month_rows(conn, m, p.due_day, &p.calendar, st.today);
    if let Some(m) = want.inbox {
        let Some(read) = month_with_head(conn, st, m, want.head, send) else {
            return false;
        };
        match read {
            Ok(rows) => {
                let digest = (want.current == Some(m)).then(|| InboxDigest::of(m, &rows));
                if !send(Ok(Part::Inbox(m, rows))) {
                    return false;
                }
                if let Some(d) = digest
                    && !send(Ok(Part::Current(d)))
                {
                    return false;
                }
            }
            Err(e) => {
                if !send(Ok(Part::Failed(Which::Inbox, e))) {
                    return false;
                }
            }
        }
    }
    if want.unread
        && !send(or_failed(
            Which::Unread,
            db::inbox::unread_count(conn).map(Part::Unread),
        ))
    {
        return false;
    }
    if let Some(cur) = want.current
        && want.inbox != Some(cur)
        && !send(or_failed(
            Which::Current,
            rows_of(cur).map(|rows| Part::Current(InboxDigest::of(cur, &rows))),
        ))
    {
        return false;
    }
    if want.checklist
        && !send(or_failed(
            Which::Checklist,
            db::checklist::items(conn).map(Part::Checklist),
        ))
    {
        return false;
    }
    if want.alerts
        && !send(or_failed(
            Which::Alerts,
            db::alerts::list(conn, st.today, p).map(|rows| {
                let d = AlertsDigest::of(&rows);
                Part::Alerts(rows, d)
            }),
        ))
    {
        return false;
    }
    if let Some(all) = want.matrix {
        let part = db::matrix::load(conn, Month::of(st.today), db::matrix::EAGER_UNITS).and_then(|mut d| {
            if all && d.status_loaded.len() < d.units.len() {
                db::matrix::fill_statuses(conn, &mut d, None)?;
            }
            Ok(Part::Matrix(Box::new(d)))
        });
        if !send(or_failed(Which::Matrix, part)) {
            return false;
        }
    }
    for &m in &want.ahead {
        if let Ok(rows) = rows_of(m)
            && !send(Ok(Part::Inbox(m, rows)))
        {
            return false;
        }
    }
    drop(tx);
    send(Ok(Part::Done))
}
