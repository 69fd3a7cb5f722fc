//! The non-interactive commands: the same services and domain as the TUI, printed as
//! `-o table|json|csv` for scripts and incidents.

use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Context as _;

use crate::config::Config;
use crate::domain::plan::Policy;
use crate::domain::plan::{Change, Plan};
use crate::mutation::terminal::{self, ApplyOptions, Outcome, Terminal};
use crate::mutation::{AuditLog, Executor};
use crate::services::Backend;

pub mod accounts;
pub mod config;
pub mod demo;
pub mod dns;
pub mod login;
pub mod onboarding;
pub mod scope;
pub mod shell;
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

    /// The same context with its clients in `region` (an execution ARN's, say): a change planned
    /// there is sent there.
    pub fn in_region(&self, region: &str) -> Context {
        Context {
            backend: if region == self.region {
                self.backend.clone()
            } else {
                self.backend.in_region(region)
            },
            config: self.config.clone(),
            region: region.to_owned(),
            state_dir: self.state_dir.clone(),
        }
    }

    /// The audit log every change is recorded in.
    pub fn audit_path(&self) -> PathBuf {
        self.state_dir.join("audit.log")
    }

    /// The one change executor, auditing to [`Context::audit_path`]; creations spaced to
    /// `creations_per_second`.
    pub fn executor(&self, creations_per_second: u32) -> anyhow::Result<Executor> {
        let audit = AuditLog::open(self.audit_path()).context("cannot open the audit log")?;
        Ok(
            Executor::new(self.backend.clone(), Arc::new(audit), creations_per_second)
                .in_region(&self.region),
        )
    }

    /// Run a plan the way every command does (see [`crate::mutation::terminal`]).
    pub async fn apply(
        &self,
        plan: &Plan<Change>,
        options: ApplyOptions,
        creations_per_second: u32,
        term: &mut Terminal<'_>,
    ) -> anyhow::Result<Outcome> {
        let executor = self.executor(creations_per_second)?;
        terminal::apply(
            &executor,
            &self.policy(),
            plan,
            options,
            &self.audit_path(),
            term,
        )
        .await
    }
}
