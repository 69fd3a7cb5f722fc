//! The non-interactive commands: the same services and domain as the TUI, printed as
//! `-o table|json|csv` for scripts and incidents.

pub mod accounts;
pub mod config;
pub mod demo;
pub mod output;
pub mod whoami;
