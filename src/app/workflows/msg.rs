//! What the Workflows pane is told (answers from AWS) and what it asks for (loads and polls).

use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::app::loadable::RequestId;
use crate::domain::workflows::watch::Fetched;
use crate::domain::workflows::{
    ExecutionDetail, ExecutionPage, ExecutionStatus, MachineDefinition, StateMachine,
};
use crate::rows::workflows::Place;
use crate::services::ServiceError;
use crate::services::scope::Status;
use crate::services::workflows::scoped::{CountedMachine, FoundExecution};

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
    /// One target of the organisation scope answered the machine list.
    ScopedMachines {
        request: RequestId,
        place: Place,
        status: Status,
        machines: Vec<CountedMachine>,
    },
    /// One target answered the failures view: its failed, timed-out and aborted executions
    /// since `until - window`, with error and cause.
    Failures {
        request: RequestId,
        place: Place,
        status: Status,
        executions: Vec<FoundExecution>,
        /// The end of the window: when the read started.
        until: DateTime<Utc>,
    },
    /// A machine's executions of the last 24 hours by outcome, for the machine lists' column.
    Activity {
        machine_arn: String,
        result: Result<Vec<super::activity::Outcomes>, ServiceError>,
    },
    /// Every target of a scoped read has answered (`targets` of them), or the account list
    /// could not be read (`error`).
    ScopeDone {
        request: RequestId,
        targets: usize,
        error: Option<ServiceError>,
        at: DateTime<Utc>,
    },
}

/// Which targets a scoped read asks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reach {
    /// The current account (`account_id`) in the current region.
    Here { account_id: String, region: String },
    /// Every account of the organisation (the account directory) × these regions.
    Organisation { regions: Vec<String> },
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
        /// The region the execution or machine is in (empty: the current region).
        region: String,
        machine_arn: String,
    },
    LoadExecutions {
        request: RequestId,
        account_id: String,
        /// The region the execution or machine is in (empty: the current region).
        region: String,
        machine_arn: String,
        status: Option<ExecutionStatus>,
        next_token: Option<String>,
    },
    LoadExecution {
        request: RequestId,
        account_id: String,
        /// The region the execution or machine is in (empty: the current region).
        region: String,
        arn: String,
    },
    LoadDefinition {
        request: RequestId,
        account_id: String,
        /// The region the execution or machine is in (empty: the current region).
        region: String,
        machine_arn: String,
    },
    /// Wait `delay`, then read a watched execution's status (DescribeExecution: one small call,
    /// where the history can be pages), to learn that it ended without waiting for a history
    /// poll that quiet periods have spaced out.
    CheckStatus {
        request: RequestId,
        account_id: String,
        /// The region the execution or machine is in (empty: the current region).
        region: String,
        arn: String,
        delay: Duration,
    },
    /// Wait `delay`, then fetch the events after `after`, asking for `page_size` at first.
    PollHistory {
        request: RequestId,
        account_id: String,
        /// The region the execution or machine is in (empty: the current region).
        region: String,
        arn: String,
        after: i64,
        page_size: i32,
        delay: Duration,
    },
    /// Every machine of every target of `reach`, with counts, streaming one target at a time.
    LoadScopedMachines { request: RequestId, reach: Reach },
    /// The failed, timed-out and aborted executions of every target of `reach` started within
    /// `window` of now, with error and cause, streaming one target at a time.
    LoadFailures {
        request: RequestId,
        reach: Reach,
        window: chrono::Duration,
    },
    /// A machine's executions of the last 24 hours (newest first, stopping at the first older
    /// one), by outcome per bucket.
    LoadActivity {
        account_id: String,
        /// The machine's region (empty: the current region).
        region: String,
        machine_arn: String,
    },
}
