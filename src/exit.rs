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
