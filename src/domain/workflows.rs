//! Step Functions state machines as opsdeck shows them.

use chrono::{DateTime, Utc};
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MachineType {
    Standard,
    /// Express executions have no event history through the API.
    Express,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StateMachine {
    pub arn: String,
    pub name: String,
    pub kind: MachineType,
    pub created: Option<DateTime<Utc>>,
}
