//! Reading the files a user names (the config, an import CSV, `sfn start --input @FILE`): a size
//! cap per kind of file, and only regular files. `/dev/zero` would otherwise be read until memory
//! runs out, and opening a FIFO would block until a writer comes.

use std::io::Read;
use std::path::Path;

/// How much of one kind of file opsdeck reads, and what to call that file in a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    pub bytes: u64,
    /// "a config file", said in the message that refuses a larger one.
    pub what: &'static str,
}

/// A config file: a few KiB in practice; 1 MiB leaves room for long account lists.
pub const CONFIG: Limit = Limit {
    bytes: 1 << 20,
    what: "a config file",
};
/// A `users import` CSV: 16 MiB is some 200,000 users.
pub const CSV: Limit = Limit {
    bytes: 16 << 20,
    what: "an import file",
};
/// `sfn start --input @FILE`: Step Functions accepts at most 256 KiB of input.
pub const INPUT: Limit = Limit {
    bytes: 256 << 10,
    what: "an execution input (the Step Functions limit)",
};

/// Why a file was not read, said after what it is: `the input file x.json <this>`.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("does not exist; check the path")]
    NotFound,
    #[error("is {kind}, not a regular file; name a regular file")]
    NotAFile { kind: &'static str },
    #[error("is larger than {}, the most opsdeck reads for {}; check that this is the file you meant", size(.limit.bytes), .limit.what)]
    TooLarge { limit: Limit },
    #[error("is not UTF-8 text; save it as UTF-8")]
    NotUtf8,
    #[error("could not be read: {0}")]
    Io(std::io::Error),
}

impl ReadError {
    fn io(e: std::io::Error) -> Self {
        if e.kind() == std::io::ErrorKind::NotFound {
            ReadError::NotFound
        } else {
            ReadError::Io(e)
        }
    }
}

/// `1 MiB`, `256 KiB`, `10 bytes`.
pub fn size(bytes: u64) -> String {
    if bytes >= 1 << 20 && bytes.is_multiple_of(1 << 20) {
        format!("{} MiB", bytes >> 20)
    } else if bytes >= 1 << 10 && bytes.is_multiple_of(1 << 10) {
        format!("{} KiB", bytes >> 10)
    } else {
        format!("{bytes} bytes")
    }
}

/// What a path is when it is not a regular file, in words.
fn kind_of(file_type: std::fs::FileType) -> Option<&'static str> {
    if file_type.is_file() {
        return None;
    }
    if file_type.is_dir() {
        return Some("a directory");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return Some("a FIFO (named pipe)");
        }
        if file_type.is_char_device() {
            return Some("a character device");
        }
        if file_type.is_block_device() {
            return Some("a block device");
        }
        if file_type.is_socket() {
            return Some("a socket");
        }
    }
    Some("a special file")
}

/// The whole text of the regular file at `path` (symlinks followed), or why not: a special file
/// is refused before it is opened, a file over `limit` before more than `limit` bytes are read.
pub fn read_text(path: &Path, limit: Limit) -> Result<String, ReadError> {
    let metadata = std::fs::metadata(path).map_err(ReadError::io)?;
    if let Some(kind) = kind_of(metadata.file_type()) {
        return Err(ReadError::NotAFile { kind });
    }
    if metadata.len() > limit.bytes {
        return Err(ReadError::TooLarge { limit });
    }
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    // Should the path become a FIFO between the check and the open, the open must not block.
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path).map_err(ReadError::io)?;
    if let Some(kind) = kind_of(file.metadata().map_err(ReadError::io)?.file_type()) {
        return Err(ReadError::NotAFile { kind });
    }
    // A file that grows while it is read (or lies about its size) still stops at the limit.
    let mut bytes = Vec::with_capacity(usize::try_from(metadata.len()).unwrap_or(0));
    file.take(limit.bytes + 1)
        .read_to_end(&mut bytes)
        .map_err(ReadError::io)?;
    if bytes.len() as u64 > limit.bytes {
        return Err(ReadError::TooLarge { limit });
    }
    String::from_utf8(bytes).map_err(|_| ReadError::NotUtf8)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, Instant};

    const SMALL: Limit = Limit {
        bytes: 10,
        what: "a test file",
    };

    #[test]
    fn a_regular_file_within_the_limit_is_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f.txt");
        std::fs::write(&path, "0123456789").unwrap();
        assert_eq!(read_text(&path, SMALL).unwrap(), "0123456789");
    }

    #[test]
    fn a_file_over_the_limit_is_refused_with_the_limit_named() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f.txt");
        std::fs::write(&path, "01234567890").unwrap();
        let e = read_text(&path, SMALL).unwrap_err();
        assert!(matches!(e, ReadError::TooLarge { .. }), "{e:?}");
        assert_eq!(
            e.to_string(),
            "is larger than 10 bytes, the most opsdeck reads for a test file; check that this is the file you meant"
        );
    }

    #[test]
    fn missing_directory_and_non_utf8_files_say_so() {
        let dir = tempfile::tempdir().unwrap();
        assert!(matches!(
            read_text(&dir.path().join("nope"), SMALL),
            Err(ReadError::NotFound)
        ));
        let e = read_text(dir.path(), SMALL).unwrap_err();
        assert_eq!(
            e.to_string(),
            "is a directory, not a regular file; name a regular file"
        );
        let path = dir.path().join("bin");
        std::fs::write(&path, [0xff, 0xfe]).unwrap();
        assert!(matches!(read_text(&path, SMALL), Err(ReadError::NotUtf8)));
    }

    #[cfg(unix)]
    #[test]
    fn dev_zero_is_refused_at_once_as_a_device() {
        let started = Instant::now();
        let e = read_text(Path::new("/dev/zero"), CONFIG).unwrap_err();
        assert!(
            matches!(
                e,
                ReadError::NotAFile {
                    kind: "a character device"
                }
            ),
            "{e:?}"
        );
        assert!(started.elapsed() < Duration::from_secs(1));
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_is_refused_without_blocking() {
        use std::os::unix::ffi::OsStrExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("fifo");
        let c_path = std::ffi::CString::new(path.as_os_str().as_bytes()).unwrap();
        // SAFETY: a valid NUL-terminated path; mkfifo only creates a file.
        assert_eq!(unsafe { libc::mkfifo(c_path.as_ptr(), 0o600) }, 0);
        let started = Instant::now();
        let e = read_text(&path, CONFIG).unwrap_err();
        assert_eq!(
            e.to_string(),
            "is a FIFO (named pipe), not a regular file; name a regular file"
        );
        assert!(started.elapsed() < Duration::from_secs(1));
    }

    #[test]
    fn sizes_read_the_way_people_write_them() {
        assert_eq!(size(CONFIG.bytes), "1 MiB");
        assert_eq!(size(CSV.bytes), "16 MiB");
        assert_eq!(size(INPUT.bytes), "256 KiB");
        assert_eq!(size(1000), "1000 bytes");
    }
}
