//! STS adapter: who the current credentials are.

use async_trait::async_trait;

use super::Aws;
use crate::domain::account::CallerIdentity;
use crate::services::{Identity, ServiceError};

#[async_trait]
impl Identity for Aws {
    async fn caller_identity(&self) -> Result<CallerIdentity, ServiceError> {
        self.caller().await.cloned()
    }
}
