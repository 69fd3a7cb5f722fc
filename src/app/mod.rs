//! The TUI core: [`State`], [`Msg`], and `update(&mut State, Msg) -> Vec<Effect>`.
//!
//! Pure and synchronous: no I/O, no clock, no async. The runtime turns [`Effect`]s into tasks and
//! sends their results back as [`Msg`]s tagged with the [`RequestId`] they answer; a result whose id
//! is no longer awaited is dropped. Tests drive it with plain values.
//!
//! The shell (the files of this folder outside the pane folders) owns what every pane shares:
//! modes, the `:` command line, the `/` filter prompt, the confirmation dialog for changes,
//! notices, and the current account. Each pane owns its state, messages and effects in
//! `app/<pane>/` and implements [`pane::PaneState`].

mod access;
pub mod accounts;
pub mod command;
pub mod confirm;
pub mod credentials;
pub mod detail;
pub mod dns;
pub mod form;
mod job;
mod keys;
pub mod layout;
pub mod list;
pub mod live;
pub mod loadable;
mod mouse;
mod msg;
mod order;
pub mod pager;
pub mod pane;
mod prompt;
pub mod scope;
pub mod search;
mod state;
pub mod table;
pub mod tenants;
pub mod testkit;
mod update;
pub mod waits;
pub mod workflows;

pub use access::access_text;
pub use keys::is_available;
pub use loadable::{Loadable, RequestId};
pub use msg::{Effect, Msg};
pub use prompt::Prompt;
pub use state::{Mode, Notice, Pane, Progress, Report, Session, State};
pub use update::update;

/// A change to AWS a pane proposes, carried by each step of its plan to the executor; the
/// confirmation dialog is the shell's, the execution and audit the executor's.
pub use crate::domain::plan::Change;

#[cfg(test)]
pub(crate) mod tests;
