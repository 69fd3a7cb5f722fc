//! Update tests of the Workflows pane, one file per part of it (as the pane's own files).

mod detail;
mod executions;
mod forms;
mod live;
mod scope;
