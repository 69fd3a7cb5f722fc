//! The non-interactive commands: the same services and domain as the TUI, printed as
//! `-o table|json|csv` for scripts and incidents.

use std::path::PathBuf;
use std::sync::Arc;

use crate::config::Config;
use crate::domain::plan::Policy;
use crate::services::Backend;

pub mod accounts;
pub mod config;
pub mod demo;
pub mod dns;
pub mod tenants;
pub mod whoami;
pub mod workflows;

/// What every command may use, built once by `main`.
pub struct Context {
    pub backend: Arc<dyn Backend>,
    pub config: Config,
    /// The region every client uses.
    pub region: String,
    /// `$XDG_STATE_HOME/opsdeck`: the audit log lives here.
    pub state_dir: PathBuf,
}

impl Context {
    /// Read-only as configured: the global switch (config or `--read-only`) and the accounts
    /// marked read-only in the config.
    pub fn policy(&self) -> Policy {
        Policy {
            read_only: self.config.read_only,
            read_only_accounts: self
                .config
                .organization
                .accounts
                .iter()
                .filter(|a| a.read_only)
                .map(|a| a.id.clone())
                .collect(),
        }
    }

    /// The audit log every change is recorded in.
    pub fn audit_path(&self) -> PathBuf {
        self.state_dir.join("audit.log")
    }
}
