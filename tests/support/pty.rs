//! A child process in a real pseudo-terminal, for the tests that drive the dashboard as a user's
//! terminal would: the pty comes from `openpty(3)` (libc is already a dependency), so the binary
//! runs from the very `Command` that `support::opsdeck` builds; a thread collects every byte the
//! child writes, and `vt100` plays the terminal that reads them.
//!
//! Included with `#[path = "support/pty.rs"] mod pty;` by tests/tui_pty.rs and
//! tests/hostile_tui/main.rs (there as `#[path = "../support/pty.rs"]`).

// Each test binary uses its own subset of these helpers.
#![allow(dead_code)]

use std::fs::File;
use std::io::{self, Read, Write};
use std::num::NonZeroU16;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

/// How long a child may take to stop once asked to.
pub const QUIT_TIMEOUT: Duration = Duration::from_secs(5);

/// A child process on the slave side of a pty; everything it writes is collected by a thread.
pub struct Tui {
    child: Child,
    master: File,
    output: Arc<Mutex<Vec<u8>>>,
    reader: Option<JoinHandle<()>>,
    /// Columns, rows.
    pub size: (u16, u16),
}

/// What a finished run left behind.
pub struct Finished {
    pub status: ExitStatus,
    pub output: Vec<u8>,
    /// From the call to `finish` (made right after asking it to stop) to its exit.
    pub took: Duration,
}

fn winsize(cols: u16, rows: u16) -> libc::winsize {
    libc::winsize {
        ws_row: rows,
        ws_col: cols,
        ws_xpixel: 0,
        ws_ypixel: 0,
    }
}

impl Tui {
    pub fn spawn(mut command: Command, cols: u16, rows: u16) -> Tui {
        let (mut master_fd, mut slave_fd) = (-1, -1);
        let size = winsize(cols, rows);
        // SAFETY: openpty writes two fds into the given ints; the name buffer and termios are
        // optional and passed as null; the winsize outlives the call.
        let rc = unsafe {
            libc::openpty(
                &mut master_fd,
                &mut slave_fd,
                std::ptr::null_mut(),
                std::ptr::null(),
                &size,
            )
        };
        assert_eq!(rc, 0, "openpty: {}", io::Error::last_os_error());
        // SAFETY: both fds were just opened by openpty and are owned by nobody else.
        let (master, slave) = unsafe {
            (
                OwnedFd::from_raw_fd(master_fd),
                OwnedFd::from_raw_fd(slave_fd),
            )
        };
        for fd in [&master, &slave] {
            // SAFETY: fcntl on an fd we own. Close-on-exec keeps the fds out of every other child
            // (std dups the slave onto 0-2 without the flag).
            let rc = unsafe { libc::fcntl(fd.as_raw_fd(), libc::F_SETFD, libc::FD_CLOEXEC) };
            assert_eq!(rc, 0, "fcntl: {}", io::Error::last_os_error());
        }
        let stdio = || Stdio::from(slave.try_clone().expect("cannot duplicate the pty slave"));
        command.stdin(stdio()).stdout(stdio()).stderr(stdio());
        // SAFETY: only async-signal-safe calls between fork and exec. A new session with the pty
        // as its controlling terminal is what a terminal emulator gives a shell: the dashboard
        // gets SIGWINCH on resize and reads keys from its own terminal.
        unsafe {
            command.pre_exec(|| {
                if libc::setsid() == -1 || libc::ioctl(0, libc::TIOCSCTTY, 0) == -1 {
                    return Err(io::Error::last_os_error());
                }
                Ok(())
            });
        }
        let child = command.spawn().expect("cannot start opsdeck");
        // The reader sees end-of-file (EIO) only once no slave fd is left open on our side.
        drop(command);
        drop(slave);

        let output = Arc::new(Mutex::new(Vec::new()));
        let mut source = File::from(master.try_clone().expect("cannot duplicate the pty master"));
        let sink = Arc::clone(&output);
        let reader = thread::spawn(move || {
            let mut buf = [0u8; 8192];
            loop {
                match source.read(&mut buf) {
                    Ok(0) => break,
                    Ok(n) => sink.lock().unwrap().extend_from_slice(&buf[..n]),
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                    // Linux answers EIO once the child and its slave fds are gone.
                    Err(_) => break,
                }
            }
        });
        Tui {
            child,
            master: File::from(master),
            output,
            reader: Some(reader),
            size: (cols, rows),
        }
    }

    /// Everything written so far.
    pub fn output(&self) -> Vec<u8> {
        self.output.lock().unwrap().clone()
    }

    /// How many bytes were written so far.
    pub fn output_len(&self) -> usize {
        self.output.lock().unwrap().len()
    }

    /// What was written from byte `from` on.
    pub fn output_since(&self, from: usize) -> Vec<u8> {
        let output = self.output.lock().unwrap();
        output[from.min(output.len())..].to_vec()
    }

    /// The screen as a terminal of the current size shows it.
    pub fn screen(&self) -> String {
        render_screen(&self.output(), self.size)
    }

    /// Wait until the screen shows every one of `texts`; fail with the screen if it does not.
    pub fn wait_for(&mut self, texts: &[&str], timeout: Duration) {
        let deadline = Instant::now() + timeout;
        loop {
            let screen = self.screen();
            if texts.iter().all(|t| screen.contains(t)) {
                return;
            }
            if let Some(status) = self.child.try_wait().expect("cannot poll opsdeck") {
                panic!("opsdeck exited ({status}) before showing {texts:?}; screen:\n{screen}");
            }
            assert!(
                Instant::now() < deadline,
                "the screen did not show {texts:?} within {timeout:?}; screen:\n{screen}\nlast output: {}",
                tail(&self.output())
            );
            thread::sleep(Duration::from_millis(25));
        }
    }

    /// Wait until the output written after byte `mark` contains `text`.
    pub fn wait_for_output(&mut self, mark: usize, text: &str, timeout: Duration) {
        let deadline = Instant::now() + timeout;
        while !contains(&self.output()[mark..], text) {
            if let Some(status) = self.child.try_wait().expect("cannot poll opsdeck") {
                panic!("opsdeck exited ({status}) while we waited for {text:?}");
            }
            assert!(
                Instant::now() < deadline,
                "opsdeck wrote no {text:?} within {timeout:?}; last output: {}",
                tail(&self.output())
            );
            thread::sleep(Duration::from_millis(25));
        }
    }

    pub fn send(&mut self, bytes: &[u8]) {
        self.master
            .write_all(bytes)
            .expect("cannot write to the pty");
    }

    pub fn signal(&self, signal: libc::c_int) {
        let pid = libc::pid_t::try_from(self.child.id()).expect("pid fits pid_t");
        // SAFETY: kill only sends a signal, to our own child.
        let rc = unsafe { libc::kill(pid, signal) };
        assert_eq!(rc, 0, "kill: {}", io::Error::last_os_error());
    }

    /// Resize the pty; the kernel sends SIGWINCH to the dashboard.
    pub fn resize(&mut self, cols: u16, rows: u16) {
        let size = winsize(cols, rows);
        // SAFETY: TIOCSWINSZ reads one winsize from the pointer, which outlives the call.
        let rc = unsafe { libc::ioctl(self.master.as_raw_fd(), libc::TIOCSWINSZ, &size) };
        assert_eq!(rc, 0, "TIOCSWINSZ: {}", io::Error::last_os_error());
        self.size = (cols, rows);
    }

    /// The pty's line discipline as the dashboard left it (the master reports the slave's termios,
    /// which outlives the child as long as we hold the master).
    pub fn termios(&self) -> libc::termios {
        // SAFETY: termios is plain data; tcgetattr fills it from an fd we own.
        let mut termios: libc::termios = unsafe { std::mem::zeroed() };
        let rc = unsafe { libc::tcgetattr(self.master.as_raw_fd(), &mut termios) };
        assert_eq!(rc, 0, "tcgetattr: {}", io::Error::last_os_error());
        termios
    }

    pub fn alive(&mut self) -> bool {
        self.child
            .try_wait()
            .expect("cannot poll opsdeck")
            .is_none()
    }

    /// The exit status, if the child has exited.
    pub fn exited(&mut self) -> Option<ExitStatus> {
        self.child.try_wait().expect("cannot poll opsdeck")
    }

    /// Wait (bounded) for the exit that was just asked for, then for the last of the output.
    pub fn finish(&mut self) -> Finished {
        let asked = Instant::now();
        let status = loop {
            if let Some(status) = self.child.try_wait().expect("cannot poll opsdeck") {
                break status;
            }
            if asked.elapsed() > QUIT_TIMEOUT {
                panic!(
                    "opsdeck did not exit within {QUIT_TIMEOUT:?}; screen:\n{}",
                    self.screen()
                );
            }
            thread::sleep(Duration::from_millis(10));
        };
        let took = asked.elapsed();
        let reader = self.reader.take().expect("finish is called once");
        let drained = Instant::now() + Duration::from_secs(2);
        while !reader.is_finished() && Instant::now() < drained {
            thread::sleep(Duration::from_millis(10));
        }
        Finished {
            status,
            output: self.output(),
            took,
        }
    }
}

impl Drop for Tui {
    /// A failed test must not leave a dashboard running.
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// A vt100 size from pty dimensions (vt100 wants at least one row and column).
pub fn vt100_size(n: u16) -> NonZeroU16 {
    NonZeroU16::new(n.max(1)).expect("at least 1")
}

/// A terminal of the given size that has received `output`.
pub fn emulate(output: &[u8], (cols, rows): (u16, u16)) -> vt100::Parser {
    let mut terminal = vt100::Parser::new(vt100_size(rows), vt100_size(cols), 0);
    terminal.process(output);
    terminal
}

pub fn render_screen(output: &[u8], size: (u16, u16)) -> String {
    emulate(output, size).screen().contents()
}

pub fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

/// The end of the raw output, escapes visible, for failure messages.
pub fn tail(output: &[u8]) -> String {
    let start = output.len().saturating_sub(400);
    format!("{:?}", String::from_utf8_lossy(&output[start..]))
}
