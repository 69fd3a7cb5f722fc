//! Step Functions: state machines, executions, their history, and the changes an operator makes
//! (start, stop, redrive), with the incremental history read every watcher and command shares.

use async_trait::async_trait;

pub mod scoped;

use super::{ErrorKind, ServiceError};
use crate::domain::workflows::watch::{
    Fetched, HistoryPage, HistoryRequest, NewEvents, POLL_TIMEOUT,
};
use crate::domain::workflows::{
    ExecutionDetail, ExecutionPage, ExecutionStatus, MachineDefinition, StateMachine,
    WorkflowChange,
};

/// Step Functions, read and changed in one account.
#[async_trait]
pub trait Workflows: Send + Sync {
    async fn state_machines(&self, account_id: &str) -> Result<Vec<StateMachine>, ServiceError>;

    /// A state machine with its definition.
    async fn state_machine(
        &self,
        account_id: &str,
        machine_arn: &str,
    ) -> Result<MachineDefinition, ServiceError>;

    /// One page of a state machine's executions, newest first.
    async fn executions(
        &self,
        account_id: &str,
        machine_arn: &str,
        status: Option<ExecutionStatus>,
        next_token: Option<String>,
        max_results: i32,
    ) -> Result<ExecutionPage, ServiceError>;

    async fn execution(
        &self,
        account_id: &str,
        execution_arn: &str,
    ) -> Result<ExecutionDetail, ServiceError>;

    /// One GetExecutionHistory call.
    async fn history_page(
        &self,
        account_id: &str,
        execution_arn: &str,
        request: HistoryRequest,
    ) -> Result<HistoryPage, ServiceError>;

    /// Start an execution; its ARN.
    async fn start_execution(
        &self,
        account_id: &str,
        machine_arn: &str,
        name: &str,
        input: &str,
    ) -> Result<String, ServiceError>;

    async fn stop_execution(
        &self,
        account_id: &str,
        execution_arn: &str,
        error: Option<&str>,
        cause: Option<&str>,
    ) -> Result<(), ServiceError>;

    async fn redrive_execution(
        &self,
        account_id: &str,
        execution_arn: &str,
    ) -> Result<(), ServiceError>;

    /// The events after `known_max` (0: the whole history), paging newest-first and stopping at
    /// the first page that reaches a known event.
    async fn fetch_new_events(
        &self,
        account_id: &str,
        execution_arn: &str,
        known_max: i64,
        page_size: i32,
    ) -> Result<Fetched, ServiceError> {
        let mut fetch = NewEvents::after(known_max, page_size);
        let mut request = Some(fetch.first_request());
        while let Some(r) = request {
            let page = self.history_page(account_id, execution_arn, r).await?;
            request = fetch.on_page(page);
        }
        Ok(fetch.finish_counted())
    }

    /// One poll of a watch: [`Workflows::fetch_new_events`], failing as a network error when it
    /// has not answered within [`POLL_TIMEOUT`] (a connection that stopped answering).
    async fn poll_new_events(
        &self,
        account_id: &str,
        execution_arn: &str,
        known_max: i64,
        page_size: i32,
    ) -> Result<Fetched, ServiceError> {
        let poll = self.fetch_new_events(account_id, execution_arn, known_max, page_size);
        tokio::time::timeout(POLL_TIMEOUT, poll)
            .await
            .unwrap_or_else(|_| {
                Err(ServiceError::new(
                    ErrorKind::Network,
                    None,
                    format!(
                        "Step Functions GetExecutionHistory did not answer within {} s",
                        POLL_TIMEOUT.as_secs()
                    ),
                ))
            })
    }

    /// Make one change; the ARN of the execution it started, if it started one.
    async fn apply_change(
        &self,
        account_id: &str,
        change: &WorkflowChange,
    ) -> Result<Option<String>, ServiceError> {
        match change {
            WorkflowChange::Start {
                machine_arn,
                name,
                input,
            } => self
                .start_execution(account_id, machine_arn, name, input)
                .await
                .map(Some),
            WorkflowChange::Stop {
                execution_arn,
                error,
                cause,
            } => self
                .stop_execution(
                    account_id,
                    execution_arn,
                    error.as_deref(),
                    cause.as_deref(),
                )
                .await
                .map(|()| None),
            WorkflowChange::Redrive { execution_arn } => self
                .redrive_execution(account_id, execution_arn)
                .await
                .map(|()| None),
        }
    }

    /// A machine by name or ARN among the account's machines.
    async fn find_machine(
        &self,
        account_id: &str,
        name_or_arn: &str,
    ) -> Result<StateMachine, ServiceError> {
        let machines = self.state_machines(account_id).await?;
        machines
            .into_iter()
            .find(|m| m.arn == name_or_arn || m.name == name_or_arn)
            .ok_or_else(|| {
                ServiceError::new(
                    super::ErrorKind::NotFound,
                    None,
                    format!(
                        "no state machine {name_or_arn} in account {account_id}: see `opsdeck sfn machines`"
                    ),
                )
            })
    }
}
