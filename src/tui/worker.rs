//! The writer: a thread with its own connection that applies commands
//! through [`crate::ops`], so the console never waits on the database for a
//! write. Results come back on a channel; a byte on a pipe wakes the
//! console's poll loop, which waits on that pipe next to stdin.
//! After gitui's `asyncjob`: one job at a time, in order.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::time::Duration;

use crate::db::{self, DbError, Mode};
use crate::drop_folder::{DropFolder, FileReport, Watch};
use crate::ops::{self, Batch, Command, Context};
use crate::tui::wake::Ringer;

/// How often the drop folder is looked at (a file is imported once it has
/// not changed between two looks).
pub const WATCH_EVERY: Duration = Duration::from_secs(1);

/// What watching the drop folder found.
#[derive(Debug)]
pub enum WatchEvent {
    /// Files imported, found duplicate or refused.
    Files(Vec<FileReport>),
    /// The folder or the database could not be used (said once until it changes).
    Failed(String),
}

/// A finished job.
#[derive(Debug)]
pub struct Done {
    pub id: u64,
    pub result: Result<Batch, DbError>,
}

struct Job {
    id: u64,
    cmds: Vec<Command>,
}

/// Handle on the writer thread.
pub struct Worker {
    jobs: Option<Sender<Job>>,
    thread: Option<std::thread::JoinHandle<()>>,
    done: Receiver<Done>,
    /// Jobs sent and not yet answered.
    in_flight: Arc<AtomicUsize>,
    watched: Receiver<WatchEvent>,
}

impl Worker {
    /// Starts the writer on the database at `path`. Its connection is opened
    /// on the thread; a failure to open comes back as the first job's error.
    /// With `watch`, between jobs it imports the files that arrive in that
    /// drop folder (the one writer, so imports and edits never collide).
    /// It rings `wake` when a job is done or files were looked at.
    pub fn start(path: &Path, ctx: Context, watch: Option<PathBuf>, wake: Ringer) -> std::io::Result<Worker> {
        let (jobs_tx, jobs_rx) = channel::<Job>();
        let (done_tx, done_rx) = channel::<Done>();
        let (watch_tx, watch_rx) = channel::<WatchEvent>();
        let in_flight = Arc::new(AtomicUsize::new(0));
        let path: PathBuf = path.to_path_buf();
        let thread = std::thread::Builder::new().name("dudao-writer".into()).spawn(move || {
            run(
                path,
                ctx,
                jobs_rx,
                done_tx,
                wake,
                watch.map(|d| (Watch::new(DropFolder::new(d)), watch_tx)),
            )
        })?;
        Ok(Worker {
            jobs: Some(jobs_tx),
            thread: Some(thread),
            done: done_rx,
            in_flight,
            watched: watch_rx,
        })
    }

    /// What watching the drop folder found, if anything is waiting.
    pub fn try_watched(&self) -> Option<WatchEvent> {
        self.watched.try_recv().ok()
    }

    /// Queues a job. Returns false when the writer is gone.
    pub fn submit(&self, id: u64, cmds: Vec<Command>) -> bool {
        self.in_flight.fetch_add(1, Ordering::SeqCst);
        let sent = self.jobs.as_ref().is_some_and(|j| j.send(Job { id, cmds }).is_ok());
        if !sent {
            self.in_flight.fetch_sub(1, Ordering::SeqCst);
        }
        sent
    }

    /// A finished job, if one is waiting.
    pub fn try_recv(&self) -> Option<Done> {
        self.done.try_recv().ok()
    }

    /// Waits up to `timeout` for a finished job (tests drive the console this way).
    pub fn recv_timeout(&self, timeout: Duration) -> Option<Done> {
        self.done.recv_timeout(timeout).ok()
    }

    /// Jobs sent whose results have not been taken yet.
    pub fn busy(&self) -> bool {
        self.in_flight.load(Ordering::SeqCst) > 0
    }

    /// Called once a result was taken.
    pub fn taken(&self) {
        let _ = self
            .in_flight
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1));
    }
}

impl Worker {
    /// Stops the writer after its current job and waits up to `timeout` for
    /// its connection to close (so the last connection to close can fold the
    /// WAL back into the database file).
    pub fn shutdown(&mut self, timeout: Duration) {
        self.jobs = None;
        let deadline = std::time::Instant::now() + timeout;
        while self.thread.as_ref().is_some_and(|t| !t.is_finished()) && std::time::Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(5));
        }
        if self.thread.as_ref().is_some_and(|t| t.is_finished())
            && let Some(t) = self.thread.take()
        {
            let _ = t.join();
        }
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        // Closing the channel ends the thread after its current job; it is
        // not joined, so a signal never waits on a busy database.
        self.jobs = None;
    }
}

fn run(
    path: PathBuf,
    ctx: Context,
    jobs: Receiver<Job>,
    done: Sender<Done>,
    wake: Ringer,
    mut watch: Option<(Watch, Sender<WatchEvent>)>,
) {
    use std::sync::mpsc::RecvTimeoutError;
    let mut conn = db::open_again(&path, Mode::ReadWrite);
    if let Ok(c) = &conn {
        // Writes touch a few pages each: a small page cache is enough.
        let _ = c.pragma_update(None, "cache_size", db::SMALL_CACHE_KIB);
    }
    let ring = || wake.ring();
    let mut last_look = std::time::Instant::now();
    let mut last_failure: Option<String> = None;
    loop {
        let wait = if watch.is_some() {
            WATCH_EVERY.saturating_sub(last_look.elapsed())
        } else {
            Duration::from_secs(3600)
        };
        match jobs.recv_timeout(wait) {
            Ok(job) => {
                let result = match &mut conn {
                    Ok(c) => ops::apply_batch(c, &ctx, &job.cmds),
                    Err(e) => Err(DbError::Invalid(e.to_string())),
                };
                if done.send(Done { id: job.id, result }).is_err() {
                    break;
                }
                ring();
            }
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => break,
        }
        // A look at the drop folder, every second even while jobs keep coming.
        if let (Some((w, tx)), Ok(c)) = (&mut watch, &mut conn)
            && last_look.elapsed() >= WATCH_EVERY
        {
            last_look = std::time::Instant::now();
            let event = match w.round(c, &ctx) {
                Ok(files) if files.is_empty() => None,
                Ok(files) => {
                    last_failure = None;
                    Some(WatchEvent::Files(files))
                }
                Err(e) if last_failure.as_deref() == Some(e.as_str()) => None,
                Err(e) => {
                    last_failure = Some(e.clone());
                    Some(WatchEvent::Failed(e))
                }
            };
            if let Some(ev) = event {
                if tx.send(ev).is_err() {
                    break;
                }
                ring();
            }
        }
    }
}
