//! Route53, read in one account at a time.

use async_trait::async_trait;

use super::ServiceError;
use crate::domain::dns::HostedZone;

/// Route53, read in one account.
#[async_trait]
pub trait Dns: Send + Sync {
    async fn hosted_zones(&self, account_id: &str) -> Result<Vec<HostedZone>, ServiceError>;
}
