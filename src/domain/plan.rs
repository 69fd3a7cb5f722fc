//! Plans of changes to AWS: what will be called, on what, in which account, how dangerous it is,
//! and the policy that may refuse it. Plain data, no I/O: the domain builds plans, services plan on
//! fresh state, and the one executor (`crate::mutation`) confirms, runs and audits them.

use std::collections::HashSet;
use std::fmt;

use serde::Serialize;

use crate::domain::dns::DnsChange;
use crate::domain::sanitize::sanitize;
use crate::domain::tenancy::plan::{Basis, CognitoCall};
use crate::domain::workflows::WorkflowChange;

/// The change one step of a plan makes, one variant per service that opsdeck changes; the executor
/// turns it into the service call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// A Cognito call of a tenant or user plan.
    Tenants(CognitoCall),
    /// A Step Functions start, stop or redrive.
    Workflows(WorkflowChange),
    /// One Route53 ChangeResourceRecordSets call (one change batch in one zone).
    Dns(DnsChange),
}

/// What a plan will do, shown to the operator before anything happens and recorded in the audit log.
///
/// `A` is the typed action each step carries for the code that runs it (the runtime or a command);
/// it is neither shown nor serialised.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(bound = "")]
pub struct Plan<A = ()> {
    /// One line saying what the plan achieves, e.g. "Remove alice@example.com from tenant acme".
    pub title: String,
    pub account_id: String,
    pub region: String,
    pub steps: Vec<Step<A>>,
    pub danger: Danger,
    /// What the plan was made from, so that the executor can make it again on the state at
    /// apply and see whether it still holds (tenant plans); `None` where the executor's re-read
    /// is the call's own (an execution's status before a stop) or nothing depends on state.
    #[serde(skip)]
    pub basis: Option<Box<Basis>>,
}

/// How the operator must confirm a plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Danger {
    /// Answer `y` (the default answer is no).
    Normal,
    /// Type `confirm_text` (e.g. the tenant or user name): for changes that delete or lock people
    /// out for good.
    Destructive { confirm_text: String },
    /// Type `confirm_text` too (the change hurts at once, e.g. a user locked out), but it can be
    /// undone: `undo` says how (e.g. enable the user again).
    Reversible { confirm_text: String, undo: String },
}

impl Danger {
    /// What the operator must type, for the plans that ask for more than `y`.
    pub fn confirm_text(&self) -> Option<&str> {
        match self {
            Danger::Normal => None,
            Danger::Destructive { confirm_text } | Danger::Reversible { confirm_text, .. } => {
                Some(confirm_text)
            }
        }
    }
}

/// One AWS API call of a plan.
///
/// Every field is shown on screen and written to the audit log: never put a secret (password,
/// temporary password, token) in `target` or `summary`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(bound = "")]
pub struct Step<A = ()> {
    /// The AWS service, e.g. `cognito-idp`.
    pub service: &'static str,
    /// The API operation, e.g. `AdminDisableUser`.
    pub operation: &'static str,
    /// What the call acts on, e.g. a user name or a record name.
    pub target: String,
    /// The effect in words, e.g. "disable the user".
    pub summary: String,
    /// Whether the executor spaces this call out (see [`Pace`]).
    #[serde(skip)]
    pub pace: Pace,
    /// What the executor runs for this step.
    #[serde(skip)]
    pub action: A,
}

/// How the executor spaces a step's call out. Declared by whoever builds the step, so the executor
/// never guesses from an operation name.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Pace {
    /// Sent as soon as the previous step is done.
    #[default]
    Free,
    /// One of many creations of a bulk change (e.g. AdminCreateUser of an import): spaced to the
    /// configured creation rate, below the service's quota for that call.
    Creation,
}

impl Step<()> {
    pub fn new(
        service: &'static str,
        operation: &'static str,
        target: impl Into<String>,
        summary: impl Into<String>,
    ) -> Self {
        Step {
            service,
            operation,
            target: target.into(),
            summary: summary.into(),
            pace: Pace::Free,
            action: (),
        }
    }
}

impl<A> Step<A> {
    /// The same step carrying `action` for the executor.
    pub fn with_action<B>(self, action: B) -> Step<B> {
        Step {
            service: self.service,
            operation: self.operation,
            target: self.target,
            summary: self.summary,
            pace: self.pace,
            action,
        }
    }

    /// The same step, spaced out as one of many creations (see [`Pace::Creation`]).
    pub fn paced(mut self) -> Self {
        self.pace = Pace::Creation;
        self
    }
}

impl<A> Plan<A> {
    /// The same plan with each step's action turned into another type (e.g. a pane's calls into
    /// the executor's [`Change`]); everything shown and audited stays as it is.
    pub fn map_actions<B>(self, mut f: impl FnMut(A) -> B) -> Plan<B> {
        Plan {
            title: self.title,
            account_id: self.account_id,
            region: self.region,
            danger: self.danger,
            basis: self.basis,
            steps: self
                .steps
                .into_iter()
                .map(|s| Step {
                    service: s.service,
                    operation: s.operation,
                    target: s.target,
                    summary: s.summary,
                    pace: s.pace,
                    action: f(s.action),
                })
                .collect(),
        }
    }

    /// The plan as display lines (all sanitised), for a terminal prompt or a TUI dialog.
    pub fn lines(&self) -> Vec<String> {
        let mut lines = Vec::with_capacity(self.steps.len() + 4);
        lines.push(format!("Plan: {}", sanitize(&self.title)));
        lines.push(format!(
            "Account {}, region {}",
            sanitize(&self.account_id),
            sanitize(&self.region)
        ));
        for (i, step) in self.steps.iter().enumerate() {
            lines.push(format!("  {}. {}", i + 1, step_line(step)));
        }
        match &self.danger {
            Danger::Normal => {}
            Danger::Destructive { .. } => {
                lines.push("This change is destructive and cannot be undone.".to_owned());
            }
            Danger::Reversible { undo, .. } => {
                lines.push(format!(
                    "This change takes effect at once and can be undone: {}.",
                    sanitize(undo)
                ));
            }
        }
        lines
    }

    /// The question to ask, e.g. `Proceed? [y/N]` or `Type acme to confirm:`.
    pub fn prompt(&self) -> String {
        match self.danger.confirm_text() {
            None => "Proceed? [y/N]".to_owned(),
            Some(confirm_text) => format!("Type {} to confirm:", sanitize(confirm_text)),
        }
    }
}

/// `summary (service:Operation target)`, sanitised.
pub fn step_line<A>(step: &Step<A>) -> String {
    format!(
        "{} ({}:{} {})",
        sanitize(&step.summary),
        step.service,
        step.operation,
        sanitize(&step.target)
    )
}

impl<A> fmt::Display for Plan<A> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for line in self.lines() {
            writeln!(f, "{line}")?;
        }
        Ok(())
    }
}

/// Which changes are allowed at all.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Policy {
    /// Refuse every change (`--read-only` or the config).
    pub read_only: bool,
    /// Refuse changes in these accounts only.
    pub read_only_accounts: HashSet<String>,
}

impl Policy {
    /// Refuse `plan` if read-only mode covers its account. Call before showing any prompt.
    pub fn check<A>(&self, plan: &Plan<A>) -> Result<(), Refusal> {
        self.check_account(&plan.account_id)
    }

    /// Refuse any change in `account_id`: what `check` says of a plan there, before there is a
    /// plan (the dashboard asks before it opens a form).
    pub fn check_account(&self, account_id: &str) -> Result<(), Refusal> {
        if self.read_only {
            return Err(Refusal::ReadOnly {
                reason: "opsdeck is in read-only mode; start it without --read-only (and without \
                         read-only in the config) to make changes"
                    .to_owned(),
            });
        }
        if self.read_only_accounts.contains(account_id) {
            return Err(Refusal::ReadOnly {
                reason: format!(
                    "account {} is configured as read-only; remove it from the read-only accounts \
                     in the config to make changes there",
                    sanitize(account_id)
                ),
            });
        }
        Ok(())
    }
}

/// Why a plan was not executed. Both map to exit code 3.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("refused: {reason}")]
    ReadOnly { reason: String },
    #[error("not confirmed: {reason}")]
    NotConfirmed { reason: String },
}

impl Refusal {
    /// The process exit code for a command that stopped here.
    pub fn exit_code(&self) -> i32 {
        crate::exit::REFUSED
    }
}
