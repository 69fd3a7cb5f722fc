//! The log file writer: `<dir>/opsdeck.YYYY-MM-DD.log` (UTC days), a new file each day, the last
//! [`KEPT_LOG_FILES`](super::KEPT_LOG_FILES) kept, `<dir>/opsdeck.log` a symlink to the current one.
//! Every file is created readable by the user only (0600 on Unix): logs name tenants, users and
//! accounts. (tracing-appender's rolling writer creates its files with the umask's mode.)

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use chrono::{NaiveDate, Utc};

const PREFIX: &str = "opsdeck.";
const SUFFIX: &str = ".log";
const LATEST: &str = "opsdeck.log";

/// Appends to the current day's file, switching files when the day changes.
pub(super) struct DailyFile {
    dir: PathBuf,
    keep: usize,
    today: fn() -> NaiveDate,
    current: Option<(NaiveDate, File)>,
}

impl DailyFile {
    /// Open today's file in `dir` (which must exist), so that a file that cannot be opened is an
    /// error at start-up rather than lost lines later.
    pub(super) fn open(dir: &Path, keep: usize) -> io::Result<Self> {
        Self::with_clock(dir, keep, || Utc::now().date_naive())
    }

    fn with_clock(dir: &Path, keep: usize, today: fn() -> NaiveDate) -> io::Result<Self> {
        let mut daily = DailyFile {
            dir: dir.to_owned(),
            keep: keep.max(1),
            today,
            current: None,
        };
        daily.file()?;
        Ok(daily)
    }

    fn path(&self, day: NaiveDate) -> PathBuf {
        self.dir
            .join(format!("{PREFIX}{}{SUFFIX}", day.format("%Y-%m-%d")))
    }

    /// Today's file, opened (and the previous days pruned) when the day has changed.
    fn file(&mut self) -> io::Result<&mut File> {
        let day = (self.today)();
        if self.current.as_ref().is_none_or(|(d, _)| *d != day) {
            let path = self.path(day);
            let file = open_private(&path)?;
            self.current = Some((day, file));
            self.link(&path);
            self.prune();
        }
        match &mut self.current {
            Some((_, file)) => Ok(file),
            None => Err(io::Error::other("no log file")),
        }
    }

    /// Point `opsdeck.log` at `path` (best effort: the log works without it).
    fn link(&self, path: &Path) {
        let link = self.dir.join(LATEST);
        let _ = std::fs::remove_file(&link);
        #[cfg(unix)]
        {
            let _ = std::os::unix::fs::symlink(path, &link);
        }
    }

    /// Delete the oldest daily files beyond `keep` (best effort).
    fn prune(&self) {
        let Ok(entries) = std::fs::read_dir(&self.dir) else {
            return;
        };
        let mut days: Vec<PathBuf> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| {
                p.file_name()
                    .and_then(|n| n.to_str())
                    .and_then(|n| n.strip_prefix(PREFIX)?.strip_suffix(SUFFIX))
                    .is_some_and(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").is_ok())
            })
            .collect();
        days.sort();
        let excess = days.len().saturating_sub(self.keep);
        for old in &days[..excess] {
            let _ = std::fs::remove_file(old);
        }
    }
}

/// Open `path` for appending, creating it readable and writable by the user only.
fn open_private(path: &Path) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.append(true).create(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)
}

impl Write for DailyFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.file()?.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        match &mut self.current {
            Some((_, file)) => file.flush(),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicU32, Ordering};

    use super::*;

    static DAY: AtomicU32 = AtomicU32::new(1);

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 1, DAY.load(Ordering::SeqCst)).unwrap()
    }

    #[test]
    fn a_new_file_each_day_private_linked_and_pruned() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        let mut log = DailyFile::with_clock(dir, 3, day).unwrap();
        for d in 1..=5 {
            DAY.store(d, Ordering::SeqCst);
            writeln!(log, "line of day {d}").unwrap();
        }
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        assert_eq!(
            names,
            [
                "opsdeck.2026-01-03.log",
                "opsdeck.2026-01-04.log",
                "opsdeck.2026-01-05.log",
                "opsdeck.log"
            ]
        );
        let latest = std::fs::read_to_string(dir.join("opsdeck.log")).unwrap();
        assert_eq!(latest, "line of day 5\n");
        #[cfg(unix)]
        for name in &names[..3] {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.join(name))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600, "{name}");
        }
    }
}
