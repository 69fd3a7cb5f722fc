//! Where opsdeck keeps its state (log files, audit log) and the file-only logging set-up.
//!
//! Logs never go to the terminal: the TUI owns the screen and commands' stdout is for data. They go to
//! `<state dir>/opsdeck.YYYY-MM-DD.log`, rotated daily, keeping the last [`KEPT_LOG_FILES`] days, with
//! `<state dir>/opsdeck.log` a symlink to the current day's file (for `tail -F`). Every file is
//! created readable by the user only (0600), in a directory that is too (0700): see
//! [`private_files`].

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use tracing_appender::non_blocking::WorkerGuard;
use tracing_appender::rolling::{RollingFileAppender, Rotation};
use tracing_subscriber::EnvFilter;

/// Make every file and directory the process creates from now on private to the user (umask
/// 077): the log files (which tracing-appender's rolling writer creates with the default mode,
/// at each day's rotation too), the audit log, exports. Called first thing by `main`.
pub fn private_files() {
    // SAFETY: umask only sets the process's file-creation mask; it cannot fail.
    unsafe {
        libc::umask(0o077);
    }
}

/// The environment variable holding an extra filter in `EnvFilter` syntax, e.g. `aws_smithy_runtime=debug`.
pub const FILTER_ENV: &str = "OPSDECK_LOG";

/// How many daily log files are kept before the oldest is deleted.
pub const KEPT_LOG_FILES: usize = 7;

/// The levels `--log-level` accepts, from least to most verbose.
pub const LEVELS: [&str; 5] = ["error", "warn", "info", "debug", "trace"];

/// `$XDG_STATE_HOME/opsdeck`, or `~/.local/state/opsdeck`; created on demand by whoever writes there.
pub fn state_dir() -> PathBuf {
    state_dir_from(std::env::var_os("XDG_STATE_HOME"), std::env::home_dir())
}

fn state_dir_from(xdg_state_home: Option<OsString>, home: Option<PathBuf>) -> PathBuf {
    // The XDG spec says relative values are invalid and must be ignored.
    if let Some(dir) = xdg_state_home
        .map(PathBuf::from)
        .filter(|d| d.is_absolute())
    {
        return dir.join("opsdeck");
    }
    match home {
        Some(home) => home.join(".local/state/opsdeck"),
        // No home at all (a bare container): keep state next to the process rather than failing.
        None => PathBuf::from(".opsdeck-state"),
    }
}

/// Create `dir` (and parents) if needed; on Unix the directory is private to the user, because logs and
/// the audit log name tenants, users and accounts.
pub fn ensure_private_dir(dir: &Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir)
}

/// Keeps the background log writer alive; dropping it flushes what is still buffered. Hold it in `main`
/// until exit.
#[must_use = "logging stops (and buffered lines are lost) when the guard is dropped"]
pub struct LogGuard {
    _worker: WorkerGuard,
}

impl std::fmt::Debug for LogGuard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("LogGuard")
    }
}

/// Start logging to `dir` (normally [`state_dir`]) and install it as the global subscriber.
///
/// `level` (from `--log-level`, default `info`) applies to opsdeck's own targets; every other crate
/// stays at `warn`, which keeps the AWS SDK's request dumps (with signatures) out of the file.
/// `OPSDECK_LOG` (an `EnvFilter` string) can open other targets up or override opsdeck's default level;
/// an explicit `--log-level` still wins for opsdeck's own targets.
pub fn init(level: Option<&str>, dir: &Path) -> anyhow::Result<LogGuard> {
    let env = std::env::var(FILTER_ENV).ok();
    let filter = build_filter(level, env.as_deref())?;
    let (writer, guard) = file_writer(dir)?;
    tracing_subscriber::fmt()
        .with_writer(writer)
        .with_ansi(false)
        .with_env_filter(filter)
        .try_init()
        .map_err(|e| anyhow::anyhow!("could not start logging: {e}"))?;
    Ok(LogGuard { _worker: guard })
}

/// Log lines waiting for the writer thread. The channel is allocated whole up front: the
/// library's default of 128,000 lines is 4 MiB of every command's memory (a tenth of a streamed
/// `dns records`); a burst beyond this many lines before the thread writes them is dropped.
const BUFFERED_LOG_LINES: usize = 4096;

fn file_writer(
    dir: &Path,
) -> anyhow::Result<(tracing_appender::non_blocking::NonBlocking, WorkerGuard)> {
    ensure_private_dir(dir).with_context(|| {
        format!(
            "cannot create the log directory {}: check its permissions or set XDG_STATE_HOME",
            dir.display()
        )
    })?;
    let appender = RollingFileAppender::builder()
        .rotation(Rotation::DAILY)
        .filename_prefix("opsdeck")
        .filename_suffix("log")
        .max_log_files(KEPT_LOG_FILES)
        .latest_symlink("opsdeck.log")
        .build(dir)
        .with_context(|| {
            format!(
                "cannot open a log file in {}: check its permissions or set XDG_STATE_HOME",
                dir.display()
            )
        })?;
    Ok(
        tracing_appender::non_blocking::NonBlockingBuilder::default()
            .buffered_lines_limit(BUFFERED_LOG_LINES)
            .finish(appender),
    )
}

/// The filter: `warn` for everything, opsdeck's default level, then `OPSDECK_LOG`, then an explicit
/// `--log-level` for opsdeck. Later directives for the same target replace earlier ones.
fn build_filter(level: Option<&str>, env: Option<&str>) -> anyhow::Result<EnvFilter> {
    let level = level.map(parse_level).transpose()?;
    let mut directives = format!("warn,opsdeck={}", level.unwrap_or("info"));
    if let Some(env) = env.map(str::trim).filter(|e| !e.is_empty()) {
        directives.push(',');
        directives.push_str(env);
        if let Some(level) = level {
            directives.push_str(",opsdeck=");
            directives.push_str(level);
        }
    }
    EnvFilter::builder().parse(&directives).with_context(|| {
        format!(
            "{FILTER_ENV} is not a valid filter (example: {FILTER_ENV}=aws_smithy_runtime=debug)"
        )
    })
}

fn parse_level(level: &str) -> anyhow::Result<&'static str> {
    let wanted = level.trim().to_ascii_lowercase();
    match LEVELS.iter().find(|l| **l == wanted) {
        Some(l) => Ok(l),
        None => bail!(
            "unknown log level {level:?}: use one of {}",
            LEVELS.join(", ")
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;
    use std::sync::{Arc, Mutex};

    #[derive(Clone, Default)]
    struct Buffer(Arc<Mutex<Vec<u8>>>);

    impl Write for Buffer {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    /// Emit one event per (target, level) pair under `filter` and return what got through.
    fn logged(filter: EnvFilter) -> String {
        let buffer = Buffer::default();
        let sink = buffer.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_writer(move || sink.clone())
            .with_ansi(false)
            .with_env_filter(filter)
            .finish();
        tracing::subscriber::with_default(subscriber, || {
            tracing::info!(target: "opsdeck::app", "opsdeck-info");
            tracing::debug!(target: "opsdeck::aws", "opsdeck-debug");
            tracing::info!(target: "aws_smithy_runtime::client", "sdk-info");
            tracing::warn!(target: "aws_smithy_runtime::client", "sdk-warn");
            tracing::debug!(target: "hyper", "hyper-debug");
        });
        String::from_utf8(buffer.0.lock().unwrap().clone()).unwrap()
    }

    #[test]
    fn state_dir_prefers_an_absolute_xdg_state_home() {
        let dir = state_dir_from(Some("/x/state".into()), Some("/home/u".into()));
        assert_eq!(dir, PathBuf::from("/x/state/opsdeck"));
    }

    #[test]
    fn state_dir_ignores_a_relative_xdg_state_home_and_falls_back_to_home() {
        let dir = state_dir_from(Some("rel/state".into()), Some("/home/u".into()));
        assert_eq!(dir, PathBuf::from("/home/u/.local/state/opsdeck"));
        let dir = state_dir_from(None, Some("/home/u".into()));
        assert_eq!(dir, PathBuf::from("/home/u/.local/state/opsdeck"));
    }

    #[test]
    fn default_filter_logs_opsdeck_info_and_other_crates_at_warn_only() {
        let text = logged(build_filter(None, None).unwrap());
        assert!(text.contains("opsdeck-info"), "{text}");
        assert!(!text.contains("opsdeck-debug"), "{text}");
        assert!(text.contains("sdk-warn"), "{text}");
        assert!(!text.contains("sdk-info"), "{text}");
        assert!(!text.contains("hyper-debug"), "{text}");
    }

    #[test]
    fn log_level_applies_to_opsdeck_targets_only() {
        let text = logged(build_filter(Some("DEBUG"), None).unwrap());
        assert!(text.contains("opsdeck-debug"), "{text}");
        assert!(!text.contains("sdk-info"), "{text}");
        assert!(!text.contains("hyper-debug"), "{text}");
    }

    #[test]
    fn env_filter_opens_other_crates_up() {
        let text = logged(build_filter(None, Some("aws_smithy_runtime=info")).unwrap());
        assert!(text.contains("sdk-info"), "{text}");
        assert!(text.contains("opsdeck-info"), "{text}");
        assert!(!text.contains("hyper-debug"), "{text}");
    }

    #[test]
    fn explicit_log_level_wins_over_the_env_filter_for_opsdeck() {
        let text = logged(build_filter(Some("error"), Some("opsdeck=debug")).unwrap());
        assert!(!text.contains("opsdeck-info"), "{text}");
        let text = logged(build_filter(None, Some("opsdeck=debug")).unwrap());
        assert!(text.contains("opsdeck-debug"), "{text}");
    }

    #[test]
    fn wrong_level_is_an_error_naming_the_valid_ones() {
        let err = build_filter(Some("verbose"), None).unwrap_err().to_string();
        assert!(err.contains("\"verbose\""), "{err}");
        assert!(err.contains("error, warn, info, debug, trace"), "{err}");
    }

    #[test]
    fn invalid_env_filter_is_an_error_naming_the_variable() {
        let err = build_filter(None, Some("opsdeck=loud")).unwrap_err();
        assert!(format!("{err:#}").contains(FILTER_ENV), "{err:#}");
    }

    #[test]
    fn file_writer_writes_to_the_dated_file_behind_the_opsdeck_log_symlink() {
        // What main does first (process-wide: harmless for the other tests' files).
        private_files();
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("state/opsdeck");
        let (writer, guard) = file_writer(&dir).unwrap();
        let subscriber = tracing_subscriber::fmt()
            .with_writer(writer)
            .with_ansi(false)
            .with_env_filter(build_filter(None, None).unwrap())
            .finish();
        tracing::subscriber::with_default(subscriber, || {
            tracing::info!(target: "opsdeck::test", "hello from the test");
        });
        drop(guard);
        let text = std::fs::read_to_string(dir.join("opsdeck.log")).unwrap();
        assert!(text.contains("hello from the test"), "{text}");
        assert!(
            !text.contains('\x1b'),
            "no colour codes in the file: {text:?}"
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&dir).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o700);
            // The file behind the symlink.
            let mode = std::fs::metadata(dir.join("opsdeck.log"))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600, "the log file is private to the user");
        }
    }
}
