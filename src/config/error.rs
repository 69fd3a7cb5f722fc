//! A configuration that cannot be used, and how it is reported: file, line, key and what to fix.

use std::fmt;
use std::path::{Path, PathBuf};

/// A configuration that cannot be used. Each message names what to fix.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{}: config file not found; check the path given to --config", tilde(.path))]
    NotFound { path: PathBuf },
    /// Too large, not a regular file (a FIFO, a device), not UTF-8 or unreadable.
    #[error("{}: the config file {problem}", tilde(.path))]
    Read {
        path: PathBuf,
        problem: crate::files::ReadError,
    },
    #[error("{0}")]
    Invalid(Box<Invalid>),
    #[error("--{flag}: {message}")]
    Flag { flag: &'static str, message: String },
}

/// A problem inside a config file, with where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid {
    pub file: PathBuf,
    /// 1-based line and column, when the problem is at a place in the file.
    pub position: Option<(usize, usize)>,
    /// Dotted key path, e.g. `organization.accounts[1].id`.
    pub key: Option<String>,
    /// What is wrong and how to fix it.
    pub message: String,
}

impl fmt::Display for Invalid {
    /// `FILE:LINE:COL: key `a.b`: what is wrong; how to fix`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", tilde(&self.file))?;
        if let Some((line, col)) = self.position {
            write!(f, ":{line}:{col}")?;
        }
        if let Some(key) = &self.key {
            write!(f, ": key `{key}`")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// Shows paths under the home directory as `~/...`, the way people type them.
pub(super) fn tilde(path: &Path) -> String {
    if let Some(home) = std::env::var_os("HOME").filter(|h| !h.is_empty() && h != "/")
        && let Ok(rest) = path.strip_prefix(&home)
    {
        return format!("~/{}", rest.display());
    }
    path.display().to_string()
}
