//! What the Workflows pane is told (answers from AWS) and what it asks for (loads and polls).

use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::app::loadable::RequestId;
use crate::domain::workflows::watch::Fetched;
use crate::domain::workflows::{
    ExecutionDetail, ExecutionPage, ExecutionStatus, MachineDefinition, StateMachine,
};
use crate::services::ServiceError;

#[derive(Debug)]
pub enum WorkflowsMsg {
    Machines {
        request: RequestId,
        result: Result<Vec<StateMachine>, ServiceError>,
        at: DateTime<Utc>,
    },
    Counts {
        machine_arn: String,
        result: Result<ExecutionPage, ServiceError>,
    },
    Executions {
        request: RequestId,
        result: Result<ExecutionPage, ServiceError>,
        at: DateTime<Utc>,
    },
    Execution {
        request: RequestId,
        result: Result<ExecutionDetail, ServiceError>,
        at: DateTime<Utc>,
    },
    Definition {
        request: RequestId,
        result: Result<MachineDefinition, ServiceError>,
        at: DateTime<Utc>,
    },
    History {
        request: RequestId,
        result: Result<Fetched, ServiceError>,
        at: DateTime<Utc>,
    },
    /// A watched execution's status, checked between two history polls.
    Status {
        request: RequestId,
        result: Result<ExecutionDetail, ServiceError>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WorkflowsEffect {
    LoadMachines {
        request: RequestId,
        account_id: String,
    },
    /// The newest executions of a machine, for its running/failed counts.
    LoadCounts {
        account_id: String,
        machine_arn: String,
    },
    LoadExecutions {
        request: RequestId,
        account_id: String,
        machine_arn: String,
        status: Option<ExecutionStatus>,
        next_token: Option<String>,
    },
    LoadExecution {
        request: RequestId,
        account_id: String,
        arn: String,
    },
    LoadDefinition {
        request: RequestId,
        account_id: String,
        machine_arn: String,
    },
    /// Wait `delay`, then read a watched execution's status (DescribeExecution: one small call,
    /// where the history can be pages), to learn that it ended without waiting for a history
    /// poll that quiet periods have spaced out.
    CheckStatus {
        request: RequestId,
        account_id: String,
        arn: String,
        delay: Duration,
    },
    /// Wait `delay`, then fetch the events after `after`, asking for `page_size` at first.
    PollHistory {
        request: RequestId,
        account_id: String,
        arn: String,
        after: i64,
        page_size: i32,
        delay: Duration,
    },
}
