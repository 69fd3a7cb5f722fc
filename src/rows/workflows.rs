//! The rows of `opsdeck sfn ...`: state machines, executions, an execution's summary and
//! timeline, history events, a started execution; and how a duration reads in a cell.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::Cells;
use crate::domain::time;
use crate::domain::workflows::timeline::{Timeline, TimelineEntry};
use crate::domain::workflows::{
    Event, Execution, ExecutionDetail, ExecutionStatus, MachineType, WorkflowChange,
};

/// Where an org-wide row was read: account and region.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Place {
    pub account_id: String,
    pub account_name: String,
    pub region: String,
}

impl Place {
    /// The account's name, else its id.
    pub fn account(&self) -> String {
        if self.account_name.is_empty() {
            self.account_id.clone()
        } else {
            self.account_name.clone()
        }
    }
}

/// `sfn machines`: one state machine. Counts are null for express machines (no execution list).
#[derive(Debug, Serialize)]
pub struct MachineRow {
    #[serde(flatten)]
    pub place: Place,
    pub name: String,
    pub arn: String,
    #[serde(rename = "type")]
    pub kind: MachineType,
    pub created: Option<DateTime<Utc>>,
    pub running: Option<usize>,
    pub failed: Option<usize>,
}

impl Cells for MachineRow {
    fn headers() -> &'static [&'static str] {
        &[
            "ACCOUNT", "REGION", "NAME", "TYPE", "CREATED", "RUNNING", "FAILED", "ARN",
        ]
    }

    fn cells(&self) -> Vec<String> {
        let count = |c: Option<usize>| c.map(|n| n.to_string()).unwrap_or_else(|| "-".into());
        vec![
            self.place.account(),
            self.place.region.clone(),
            self.name.clone(),
            self.kind.as_str().into(),
            self.created.map(time::stamp).unwrap_or_default(),
            count(self.running),
            count(self.failed),
            self.arn.clone(),
        ]
    }
}

/// `sfn executions`: one execution, where it ran; `error` and `cause` only when asked for
/// (`--details`: one DescribeExecution each), else null.
#[derive(Debug, Clone, Serialize)]
pub struct ExecutionRow {
    #[serde(flatten)]
    pub place: Place,
    pub name: String,
    pub arn: String,
    pub machine: String,
    pub status: ExecutionStatus,
    pub started: DateTime<Utc>,
    pub stopped: Option<DateTime<Utc>>,
    pub duration_ms: Option<i64>,
    pub error: Option<String>,
    pub cause: Option<String>,
}

impl ExecutionRow {
    pub fn new(place: Place, e: &Execution, now: DateTime<Utc>) -> ExecutionRow {
        ExecutionRow {
            place,
            name: e.name.clone(),
            arn: e.arn.clone(),
            machine: WorkflowChange::short(&e.machine_arn).to_owned(),
            status: e.status,
            started: e.started,
            stopped: e.stopped,
            duration_ms: e.duration_ms(now),
            error: None,
            cause: None,
        }
    }
}

impl Cells for ExecutionRow {
    fn headers() -> &'static [&'static str] {
        &[
            "ACCOUNT", "REGION", "NAME", "MACHINE", "STATUS", "STARTED", "STOPPED", "DURATION",
            "ERROR", "ARN",
        ]
    }

    fn cells(&self) -> Vec<String> {
        vec![
            self.place.account(),
            self.place.region.clone(),
            self.name.clone(),
            self.machine.clone(),
            self.status.as_str().into(),
            time::stamp(self.started),
            self.stopped.map(time::stamp).unwrap_or_default(),
            self.duration_ms.map(time::duration).unwrap_or_default(),
            self.error.clone().unwrap_or_default(),
            self.arn.clone(),
        ]
    }
}

/// `sfn show`: the summary of one execution.
#[derive(Debug, Serialize)]
pub struct Summary {
    pub name: String,
    pub arn: String,
    pub machine_arn: String,
    pub revision: String,
    pub status: ExecutionStatus,
    pub started: DateTime<Utc>,
    pub stopped: Option<DateTime<Utc>>,
    pub duration_ms: Option<i64>,
    /// States entered; null for express executions (no history).
    pub transitions: Option<usize>,
    pub error: Option<String>,
    pub cause: Option<String>,
    pub parent: Option<String>,
    pub redrive_count: i32,
}

impl Summary {
    pub fn new(
        detail: &ExecutionDetail,
        timeline: Option<&Timeline>,
        now: DateTime<Utc>,
    ) -> Summary {
        let e = &detail.execution;
        Summary {
            name: e.name.clone(),
            arn: e.arn.clone(),
            machine_arn: e.machine_arn.clone(),
            revision: detail.revision(),
            status: e.status,
            started: e.started,
            stopped: e.stopped,
            duration_ms: e.duration_ms(now),
            transitions: timeline.map(|t| t.transitions),
            error: detail.error.clone(),
            cause: detail.cause.clone(),
            parent: detail.parent(),
            redrive_count: detail.redrive_count,
        }
    }
}

impl Cells for Summary {
    fn headers() -> &'static [&'static str] {
        &[
            "NAME",
            "ARN",
            "MACHINE",
            "REVISION",
            "STATUS",
            "STARTED",
            "STOPPED",
            "DURATION",
            "TRANSITIONS",
            "ERROR",
            "CAUSE",
            "PARENT",
            "REDRIVES",
        ]
    }

    fn cells(&self) -> Vec<String> {
        vec![
            self.name.clone(),
            self.arn.clone(),
            self.machine_arn.clone(),
            self.revision.clone(),
            self.status.as_str().into(),
            time::stamp(self.started),
            self.stopped.map(time::stamp).unwrap_or_default(),
            self.duration_ms.map(time::duration).unwrap_or_default(),
            self.transitions
                .map(|t| t.to_string())
                .unwrap_or_else(|| "no history (express)".into()),
            self.error.clone().unwrap_or_default(),
            self.cause.clone().unwrap_or_default(),
            self.parent.clone().unwrap_or_default(),
            self.redrive_count.to_string(),
        ]
    }
}

/// `sfn show -o json`.
#[derive(Debug, Serialize)]
pub struct Shown<'a> {
    pub execution: Summary,
    pub timeline: &'a [TimelineEntry],
}

impl Cells for TimelineEntry {
    fn headers() -> &'static [&'static str] {
        &[
            "STATE", "TYPE", "STATUS", "ENTERED", "DURATION", "RETRIES", "ERROR", "CAUSE",
        ]
    }

    fn cells(&self) -> Vec<String> {
        let indent = "  ".repeat(self.depth);
        let name = match &self.group {
            Some(group) => format!("{indent}[{group}] {}", self.state),
            None => format!("{indent}{}", self.state),
        };
        vec![
            name,
            self.kind.clone(),
            self.status.as_str().into(),
            time::stamp_ms(self.entered),
            self.duration_ms.map(time::duration).unwrap_or_default(),
            self.retries.to_string(),
            self.error.clone().unwrap_or_default(),
            self.cause.clone().unwrap_or_default(),
        ]
    }
}

impl Cells for Event {
    fn headers() -> &'static [&'static str] {
        &["ID", "PREVIOUS", "TYPE", "TIMESTAMP", "STATE", "DETAILS"]
    }

    fn cells(&self) -> Vec<String> {
        vec![
            self.id.to_string(),
            self.previous_id.to_string(),
            self.kind.clone(),
            time::stamp_ms(self.timestamp),
            self.state.clone().unwrap_or_default(),
            serde_json::to_string(&self.details).unwrap_or_default(),
        ]
    }
}

/// `sfn start -o json`.
#[derive(Debug, Serialize)]
pub struct Started {
    pub execution_arn: String,
    pub name: String,
}

impl Cells for Started {
    fn headers() -> &'static [&'static str] {
        &["EXECUTION_ARN", "NAME"]
    }

    fn cells(&self) -> Vec<String> {
        vec![self.execution_arn.clone(), self.name.clone()]
    }
}
