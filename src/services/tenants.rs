//! Cognito user pools: tenants and their users.

use async_trait::async_trait;

use super::ServiceError;
use crate::domain::tenancy::{Group, UserPool};

/// Cognito user pools, read in one account.
#[async_trait]
pub trait Tenants: Send + Sync {
    async fn user_pools(&self, account_id: &str) -> Result<Vec<UserPool>, ServiceError>;
    async fn groups(&self, account_id: &str, pool_id: &str) -> Result<Vec<Group>, ServiceError>;
}
