//! Step Functions: state machines and executions.

use async_trait::async_trait;

use super::ServiceError;
use crate::domain::workflows::StateMachine;

/// Step Functions, read in one account.
#[async_trait]
pub trait Workflows: Send + Sync {
    async fn state_machines(&self, account_id: &str) -> Result<Vec<StateMachine>, ServiceError>;
}
