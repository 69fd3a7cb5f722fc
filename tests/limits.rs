//! The built binary against bad files and a closed stdout, without the emulator: nothing here
//! reaches AWS (the endpoint is a closed local port), every refusal comes first.

use std::os::fd::{FromRawFd, OwnedFd};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// `opsdeck` with dummy credentials, a closed endpoint and its own config and state directories.
fn opsdeck(home: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_opsdeck"));
    command
        .env("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
        .env("AWS_SECRET_ACCESS_KEY", "secret")
        .env("AWS_REGION", "eu-west-1")
        .env("AWS_ENDPOINT_URL", "http://127.0.0.1:9")
        .env("AWS_CONFIG_FILE", home.join("aws-config"))
        .env("AWS_SHARED_CREDENTIALS_FILE", home.join("aws-credentials"))
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_STATE_HOME", home.join("state"))
        .env_remove("AWS_PROFILE")
        .stdin(Stdio::null());
    command
}

/// Runs the command and checks it ended within a second.
fn quick(command: &mut Command) -> Output {
    let started = Instant::now();
    let out = command.output().expect("run opsdeck");
    let took = started.elapsed();
    assert!(took < Duration::from_secs(1), "took {took:?}");
    out
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn fifo(dir: &Path) -> PathBuf {
    let path = dir.join("fifo");
    let c_path = std::ffi::CString::new(path.to_str().unwrap()).unwrap();
    // SAFETY: a valid NUL-terminated path; mkfifo only creates a file.
    assert_eq!(unsafe { libc::mkfifo(c_path.as_ptr(), 0o600) }, 0);
    path
}

#[test]
fn a_device_or_fifo_config_is_refused_at_once() {
    let home = tempfile::tempdir().unwrap();
    let out = quick(opsdeck(home.path()).args(["--config", "/dev/zero", "accounts"]));
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out),
        "opsdeck: /dev/zero: the config file is a character device, not a regular file; name a regular file\n"
    );
    let path = fifo(home.path());
    let out = quick(
        opsdeck(home.path())
            .arg("--config")
            .arg(&path)
            .arg("whoami"),
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("is a FIFO (named pipe)"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn an_import_file_that_is_a_device_is_refused_before_any_call() {
    let home = tempfile::tempdir().unwrap();
    let out = quick(opsdeck(home.path()).args([
        "users",
        "import",
        "--tenant",
        "acme",
        "/dev/zero",
        "--pool",
        "eu-west-1_abc",
        "--yes",
    ]));
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("the import file /dev/zero is a character device"),
        "{}",
        stderr(&out)
    );
}

/// A pipe whose reader is already gone, as `opsdeck ... | head -1` leaves stdout.
fn closed_pipe() -> Stdio {
    let mut fds = [0; 2];
    // SAFETY: pipe fills two descriptors we then own.
    assert_eq!(unsafe { libc::pipe(fds.as_mut_ptr()) }, 0);
    // SAFETY: both descriptors are open and owned by nothing else.
    let (read, write) = unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) };
    drop(read);
    Stdio::from(write)
}

#[test]
fn a_closed_stdout_ends_the_command_quietly_with_0() {
    let home = tempfile::tempdir().unwrap();
    for args in [&["config", "default"][..], &["config", "show"]] {
        let out = opsdeck(home.path())
            .args(args)
            .stdout(closed_pipe())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
        assert_eq!(stderr(&out), "", "{args:?}");
    }
}
