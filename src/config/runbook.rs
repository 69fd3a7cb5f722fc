//! The tenant runbook: what `tenants create` does beyond Cognito (`[onboarding.dns]`,
//! `[onboarding.workflow]`) and what `tenants delete` does (`[offboarding]`). Every part is
//! optional; templates take `{tenant}`, `{admin_email}` and `--var key=value` placeholders,
//! rendered by `crate::domain::template`.

use serde::{Deserialize, Serialize};

/// `[onboarding]`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct OnboardingConfig {
    /// The tenant's DNS name, in the account that holds the zone.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dns: Option<DnsRunbook>,
    /// The provisioning state machine.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub workflow: Option<WorkflowRunbook>,
}

impl OnboardingConfig {
    /// Nothing beyond Cognito.
    pub fn is_empty(&self) -> bool {
        self.dns.is_none() && self.workflow.is_none()
    }
}

/// `[onboarding.dns]`: one record set per tenant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DnsRunbook {
    /// The hosted zone (name or id), found in the organisation.
    pub zone: String,
    /// The record's name, e.g. `{tenant}.apps.example.com`.
    pub name: String,
    /// The record type.
    #[serde(rename = "type", default = "default_kind")]
    pub kind: String,
    /// The record's values (each a template).
    #[serde(default)]
    pub values: Vec<String>,
    /// `ZONE_ID/NAME` of an alias target, instead of values.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alias_target: Option<String>,
    /// Seconds; default 300 (none for an alias).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ttl: Option<i64>,
}

fn default_kind() -> String {
    "CNAME".to_owned()
}

/// `[onboarding.workflow]` and `[offboarding.workflow]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorkflowRunbook {
    /// The state machine's name or ARN.
    pub state_machine: String,
    /// Account id or name; default: the current account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
    /// Default: the current region.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// The execution's input, a JSON template.
    #[serde(default = "default_input")]
    pub input: String,
    /// The execution's name template; default `onboard-{tenant}` / `offboard-{tenant}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Watch the execution to its end.
    #[serde(default = "yes")]
    pub wait: bool,
    /// Seconds the watch lasts at most.
    #[serde(default = "default_timeout")]
    pub timeout_secs: u64,
    /// Redrive a failed execution (Standard machines, within 14 days of its start) instead of
    /// starting a new one.
    #[serde(default)]
    pub redrive: bool,
}

fn default_input() -> String {
    "{}".to_owned()
}

fn yes() -> bool {
    true
}

fn default_timeout() -> u64 {
    900
}

/// `[offboarding]`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct OffboardingConfig {
    /// Delete the record `[onboarding.dns]` names.
    pub delete_dns: bool,
    /// The deprovisioning state machine.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub workflow: Option<WorkflowRunbook>,
}

impl OffboardingConfig {
    pub fn is_empty(&self) -> bool {
        !self.delete_dns && self.workflow.is_none()
    }
}
