//! What can be configured: the config structs, their defaults (the values of
//! `config/default.toml`) and the accessors the rest of the program reads them through.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::domain::account::Account;

use super::keymap::Keymap;

/// The shipped defaults, documented line by line; `opsdeck config default` prints it.
pub const DEFAULT_TOML: &str = include_str!("../../config/default.toml");

/// The whole configuration.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// Refuse every change to AWS.
    pub read_only: bool,
    pub aws: AwsConfig,
    pub organization: OrganizationConfig,
    pub concurrency: ConcurrencyConfig,
    pub scope: ScopeConfig,
    pub cognito: CognitoConfig,
    pub workflows: WorkflowsConfig,
    /// What `tenants create` does beyond Cognito.
    pub onboarding: super::runbook::OnboardingConfig,
    /// What `tenants delete` does beyond Cognito.
    pub offboarding: super::runbook::OffboardingConfig,
    pub ui: UiConfig,
    pub theme: super::theme::ThemeConfig,
    pub keymap: Keymap,
}

/// Which AWS account and region to talk to. `None` leaves the choice to the SDK (AWS_PROFILE,
/// AWS_REGION, AWS_ENDPOINT_URL, ~/.aws/config).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AwsConfig {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub profile: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// Offered by `:region` completion.
    pub regions: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub endpoint_url: Option<String>,
    /// Seconds to open a connection to an endpoint.
    pub connect_timeout_secs: u32,
    /// Seconds one attempt of a call may take until its answer is read.
    pub read_timeout_secs: u32,
    /// Seconds one call may take, all attempts and the waits between them included.
    pub operation_timeout_secs: u32,
    /// Hours an MFA session (STS GetSessionToken) lasts, for profiles with `mfa_serial`.
    pub mfa_session_hours: u32,
}

impl Default for AwsConfig {
    fn default() -> AwsConfig {
        let regions = [
            "us-east-1",
            "us-east-2",
            "us-west-1",
            "us-west-2",
            "ca-central-1",
            "sa-east-1",
            "eu-west-1",
            "eu-west-2",
            "eu-west-3",
            "eu-central-1",
            "eu-north-1",
            "eu-south-1",
            "ap-south-1",
            "ap-northeast-1",
            "ap-northeast-2",
            "ap-southeast-1",
            "ap-southeast-2",
        ];
        AwsConfig {
            profile: None,
            region: None,
            regions: regions.map(String::from).to_vec(),
            endpoint_url: None,
            connect_timeout_secs: 5,
            read_timeout_secs: 20,
            operation_timeout_secs: 45,
            mfa_session_hours: 12,
        }
    }
}

/// The bounds of every AWS call, as the config gives them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CallTimeouts {
    pub connect: Duration,
    pub read: Duration,
    pub operation: Duration,
}

impl AwsConfig {
    pub fn timeouts(&self) -> CallTimeouts {
        let secs = |s: u32| Duration::from_secs(s.into());
        CallTimeouts {
            connect: secs(self.connect_timeout_secs),
            read: secs(self.read_timeout_secs),
            operation: secs(self.operation_timeout_secs),
        }
    }
}

/// How the organisation's accounts are found and entered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct OrganizationConfig {
    pub role_name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
    pub session_name: String,
    /// List accounts with Organizations ListAccounts.
    pub discover: bool,
    /// Accounts used in addition to (or without discovery, instead of) the discovered ones.
    pub accounts: Vec<AccountConfig>,
}

impl Default for OrganizationConfig {
    fn default() -> OrganizationConfig {
        OrganizationConfig {
            role_name: "OrganizationAccountAccessRole".into(),
            external_id: None,
            session_name: "opsdeck".into(),
            discover: true,
            accounts: Vec::new(),
        }
    }
}

impl OrganizationConfig {
    /// The static accounts as domain accounts (status `CONFIGURED`, no e-mail known).
    pub fn static_accounts(&self) -> Vec<Account> {
        self.accounts
            .iter()
            .map(|a| Account {
                id: a.id.clone(),
                name: a.name.clone(),
                email: String::new(),
                status: "CONFIGURED".into(),
                read_only: a.read_only,
            })
            .collect()
    }
}

/// One `[[organization.accounts]]` entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccountConfig {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub read_only: bool,
}

/// Parallelism and pacing of AWS calls.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ConcurrencyConfig {
    /// Accounts checked or fetched at the same time: a bound on sockets and memory only (every
    /// account is paced on its own), so in the hundreds.
    pub accounts: u32,
    /// Route53 requests per second, per account.
    pub route53_rps: u32,
    /// Seconds a throttled Route53 call keeps backing off before its account is reported throttled.
    pub throttle_patience_secs: u32,
}

impl Default for ConcurrencyConfig {
    fn default() -> ConcurrencyConfig {
        ConcurrencyConfig {
            accounts: 256,
            route53_rps: 5,
            throttle_patience_secs: 30,
        }
    }
}

impl ConcurrencyConfig {
    pub fn throttle_patience(&self) -> std::time::Duration {
        std::time::Duration::from_secs(self.throttle_patience_secs.into())
    }
}

/// The regions and pacing of org-wide reads (`--all-accounts`, `--regions`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ScopeConfig {
    /// Regions read by `--all-accounts` without `--regions`; empty: the current region.
    pub regions: Vec<String>,
    /// Step Functions requests per second, per account and region.
    pub sfn_rps: u32,
    /// Cognito requests per second, per account and region.
    pub cognito_rps: u32,
}

impl Default for ScopeConfig {
    fn default() -> ScopeConfig {
        ScopeConfig {
            regions: Vec::new(),
            sfn_rps: 5,
            cognito_rps: 10,
        }
    }
}

/// How a user belongs to a tenant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TenantModel {
    /// One group per tenant and role, named by `group_pattern`.
    Groups,
    /// The tenant id in a custom attribute; roles are pool-wide groups.
    Attribute,
}

/// How the username of a user opsdeck creates is chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UsernameKind {
    /// The email address is the username.
    #[default]
    Email,
    /// A random UUID v4, with the email as an attribute (pools where the email is an alias).
    Uuid,
}

impl UsernameKind {
    /// The domain's equivalent.
    pub fn usernames(self) -> crate::domain::tenancy::users::Usernames {
        use crate::domain::tenancy::users::Usernames;
        match self {
            UsernameKind::Email => Usernames::Email,
            UsernameKind::Uuid => Usernames::Uuid,
        }
    }
}

/// The Cognito user pool and the tenant model.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CognitoConfig {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_pool_id: Option<String>,
    pub tenant_model: TenantModel,
    /// Contains `{tenant}` and `{role}`.
    pub group_pattern: String,
    pub tenant_attribute: String,
    pub roles: Vec<String>,
    /// Users created per second during a bulk import.
    pub import_rate: u32,
    /// The username of a user opsdeck creates.
    pub username: UsernameKind,
    /// Pools whose tenant model differs from the one above (`[[cognito.pools]]`), for the reads
    /// that span every pool of the scope (`users find`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub pools: Vec<PoolModelConfig>,
}

/// One `[[cognito.pools]]` entry: a pool (by id or name) and how tenants are modelled in it; a
/// key left out takes the `[cognito]` value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PoolModelConfig {
    /// The pool's id or name.
    pub pool: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tenant_model: Option<TenantModel>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group_pattern: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tenant_attribute: Option<String>,
}

impl Default for CognitoConfig {
    fn default() -> CognitoConfig {
        CognitoConfig {
            user_pool_id: None,
            tenant_model: TenantModel::Groups,
            group_pattern: "{tenant}:{role}".into(),
            tenant_attribute: "custom:tenant_id".into(),
            roles: vec!["admin".into(), "member".into(), "readonly".into()],
            import_rate: 10,
            username: UsernameKind::Email,
            pools: Vec::new(),
        }
    }
}

/// Step Functions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct WorkflowsConfig {
    pub poll_interval_ms: u64,
}

impl Default for WorkflowsConfig {
    fn default() -> WorkflowsConfig {
        WorkflowsConfig {
            poll_interval_ms: 1000,
        }
    }
}

impl WorkflowsConfig {
    pub fn poll_interval(&self) -> Duration {
        Duration::from_millis(self.poll_interval_ms)
    }
}

/// The terminal interface.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct UiConfig {
    /// Interval of the clock driving spinners and relative times.
    pub tick_ms: u64,
    /// Seconds between the background re-reads of the view on screen; 0 turns them off.
    pub refresh_secs: u64,
    /// Ring the terminal bell when a watched execution ends or a long change finishes.
    pub bell: bool,
    /// Show times in UTC instead of the local time zone (`TZ`, else the system's).
    pub utc: bool,
    /// Capture the mouse: the wheel scrolls, a click selects a row or a tab. Off by default so
    /// the terminal's own text selection keeps working.
    pub mouse: bool,
}

impl Default for UiConfig {
    fn default() -> UiConfig {
        UiConfig {
            tick_ms: 250,
            refresh_secs: 5,
            bell: true,
            utc: false,
            mouse: false,
        }
    }
}

impl UiConfig {
    pub fn tick(&self) -> Duration {
        Duration::from_millis(self.tick_ms)
    }

    pub fn refresh(&self) -> Duration {
        Duration::from_secs(self.refresh_secs)
    }

    /// The zone human-readable times are shown in.
    pub fn time_zone(&self) -> crate::domain::time::Zone {
        use crate::domain::time::Zone;
        if self.utc { Zone::Utc } else { Zone::Local }
    }
}

impl Config {
    /// Regions for `:region` completion: the configured region first, then the list, no repeats.
    pub fn region_choices(&self) -> Vec<String> {
        let mut out: Vec<String> = self.aws.region.iter().cloned().collect();
        for r in &self.aws.regions {
            if !out.contains(r) {
                out.push(r.clone());
            }
        }
        out
    }
}
