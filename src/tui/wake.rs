//! One pipe that wakes the console's poll loop: the writer and the reader
//! threads each write a byte when they have something; the loop waits on
//! the read end beside the terminal.

use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::sync::Arc;

/// The read end, kept by the console.
pub struct Wake {
    read: OwnedFd,
    write: Arc<OwnedFd>,
}

/// A write end, handed to a thread.
#[derive(Clone)]
pub struct Ringer(Arc<OwnedFd>);

impl Wake {
    pub fn new() -> std::io::Result<Wake> {
        let mut fds = [0; 2];
        // SAFETY: fds is a valid array of two ints for pipe2 to fill.
        let rc = unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC | libc::O_NONBLOCK) };
        if rc != 0 {
            return Err(std::io::Error::last_os_error());
        }
        // SAFETY: pipe2 succeeded: both descriptors are open and owned by us.
        let (read, write) = unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) };
        Ok(Wake {
            read,
            write: Arc::new(write),
        })
    }

    pub fn ringer(&self) -> Ringer {
        Ringer(Arc::clone(&self.write))
    }

    /// The descriptor that becomes readable when a thread rings.
    pub fn fd(&self) -> RawFd {
        self.read.as_raw_fd()
    }

    /// Empties the pipe.
    pub fn drain(&self) {
        let mut buf = [0u8; 64];
        // SAFETY: reading into a local buffer from our own non-blocking pipe.
        while unsafe { libc::read(self.read.as_raw_fd(), buf.as_mut_ptr().cast(), buf.len()) } > 0 {}
    }
}

impl Ringer {
    pub fn ring(&self) {
        // SAFETY: one byte from a local onto our own non-blocking pipe; a
        // full pipe (EAGAIN) already wakes the reader.
        unsafe {
            libc::write(self.0.as_raw_fd(), [1u8].as_ptr().cast(), 1);
        }
    }
}
