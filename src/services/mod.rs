//! Ports: what opsdeck needs from AWS, as traits the `aws` module implements and tests can fake.

mod error;

use async_trait::async_trait;

pub use error::{ErrorKind, ServiceError};

use crate::domain::account::{
    Access, Account, AccountList, AccountSource, CallerIdentity, apply_overrides,
};
use crate::domain::dns::HostedZone;
use crate::domain::tenancy::{Group, UserPool};
use crate::domain::workflows::StateMachine;

/// STS: who the current credentials are.
#[async_trait]
pub trait Identity: Send + Sync {
    async fn caller_identity(&self) -> Result<CallerIdentity, ServiceError>;
}

/// Organizations + STS: the accounts and whether the configured role can be assumed in each.
#[async_trait]
pub trait Organization: Send + Sync {
    /// Every account of the organisation (ListAccounts from the current account).
    async fn list_accounts(&self) -> Result<Vec<Account>, ServiceError>;

    /// Can opsdeck work in this account? The caller's own account is reached with the current
    /// credentials; any other through the configured role, assumed and checked with STS.
    async fn check_access(&self, account_id: &str) -> Result<Access, ServiceError>;
}

/// Route53, read in one account.
#[async_trait]
pub trait Dns: Send + Sync {
    async fn hosted_zones(&self, account_id: &str) -> Result<Vec<HostedZone>, ServiceError>;
}

/// Cognito user pools, read in one account.
#[async_trait]
pub trait Tenants: Send + Sync {
    async fn user_pools(&self, account_id: &str) -> Result<Vec<UserPool>, ServiceError>;
    async fn groups(&self, account_id: &str, pool_id: &str) -> Result<Vec<Group>, ServiceError>;
}

/// Step Functions, read in one account.
#[async_trait]
pub trait Workflows: Send + Sync {
    async fn state_machines(&self, account_id: &str) -> Result<Vec<StateMachine>, ServiceError>;
}

/// Everything the runtime needs from AWS, behind one object so the runtime (and its tests with
/// fakes) stay free of SDK types.
pub trait Backend: Identity + Organization + Dns + Tenants + Workflows {
    /// The same credentials in another region (`:region`).
    fn in_region(&self, region: &str) -> std::sync::Arc<dyn Backend>;
}

/// Where the account list comes from: the organisation (discovery) or the config's static list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AccountDirectory {
    pub discover: bool,
    /// The config's accounts: the whole list without discovery, per-account overrides with it.
    pub configured: Vec<Account>,
}

impl AccountDirectory {
    /// The accounts to show. Without discovery and without a static list, the caller's own account
    /// is the one account there is.
    pub async fn load(&self, backend: &dyn Backend) -> Result<AccountList, ServiceError> {
        if self.discover {
            let mut accounts = backend.list_accounts().await?;
            apply_overrides(&mut accounts, &self.configured);
            return Ok(AccountList {
                accounts,
                source: AccountSource::Organizations,
            });
        }
        let accounts = if self.configured.is_empty() {
            let me = backend.caller_identity().await?;
            vec![Account {
                id: me.account_id,
                name: String::new(),
                email: String::new(),
                status: "CURRENT".into(),
                read_only: false,
            }]
        } else {
            self.configured.clone()
        };
        Ok(AccountList {
            accounts,
            source: AccountSource::Config,
        })
    }
}
