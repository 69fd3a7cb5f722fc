//! Process exit codes, documented in the README.

/// Everything worked.
pub const SUCCESS: i32 = 0;
/// An error stopped the command (AWS, network, configuration, I/O).
pub const ERROR: i32 = 1;
/// The command line was wrong (clap uses 2 as well).
pub const USAGE: i32 = 2;
/// A change was refused: read-only mode, or the operator did not confirm.
pub const REFUSED: i32 = 3;
/// Some accounts failed; what succeeded was still printed.
pub const PARTIAL: i32 = 4;
/// The check ran and found problems: a delegation to fix (`dns delegations`), a name no zone of the
/// organisation serves (`dns find`), a watched execution that ended other than SUCCEEDED
/// (`sfn watch`). Scripts tell "it worked and all is well" (0) from "it worked and found
/// something" (5) from "it could not do what was asked" (1).
pub const PROBLEMS: i32 = 5;
/// A change was interrupted by Ctrl-C (128 + SIGINT, as shells report it); the report on stderr
/// says which steps were done, which one's outcome is unknown, and which were not started.
pub const INTERRUPTED: i32 = 130;

/// An error that is the reader of stdout going away (`opsdeck ... | head -1`): the command ends
/// quietly with 0, as `cat` does when its reader has read enough.
pub fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use anyhow::Context as _;

    #[test]
    fn a_broken_pipe_is_found_under_context() {
        let pipe = std::io::Error::from(std::io::ErrorKind::BrokenPipe);
        let e = Err::<(), _>(pipe).context("writing rows").unwrap_err();
        assert!(is_broken_pipe(&e));
        let other = anyhow::Error::from(std::io::Error::from(std::io::ErrorKind::NotFound));
        assert!(!is_broken_pipe(&other));
        assert!(!is_broken_pipe(&anyhow::anyhow!("Broken pipe")));
    }
}
