//! Step Functions' side of the fake: state machines, their executions and event histories, and
//! how the service answers a start (names, input, idempotence) and finds machines and executions.
//! The port (`Workflows`), stop, redrive, the seeds and the readers are in `workflows.rs`.

use super::AwsError;
use crate::domain::workflows::{
    Event, EventDetails, Execution, ExecutionDetail, ExecutionStatus, MachineType, StateMachine,
};
use crate::services::ErrorKind;

/// The definition of a seeded machine unless told otherwise: one Pass state.
pub(super) const PASS: &str =
    r#"{"StartAt":"Start","States":{"Start":{"Type":"Pass","End":true}}}"#;

pub(super) type Now = chrono::DateTime<chrono::Utc>;

#[derive(Debug, Default)]
pub(super) struct Sfn {
    /// (account, machine), in creation order.
    pub(super) machines: Vec<(String, Machine)>,
}

#[derive(Debug, Clone)]
pub(super) struct Machine {
    pub(super) machine: StateMachine,
    pub(super) definition: String,
    /// Oldest first.
    pub(super) runs: Vec<Run>,
}

#[derive(Debug, Clone)]
pub(super) struct Run {
    pub(super) detail: ExecutionDetail,
    pub(super) events: Vec<Event>,
}

impl Run {
    pub(super) fn push(&mut self, kind: &str, state: Option<&str>, details: EventDetails, at: Now) {
        let id = self.events.len() as i64 + 1;
        self.events.push(Event {
            id,
            previous_id: id - 1,
            kind: kind.to_owned(),
            timestamp: at,
            state: state.map(str::to_owned),
            details,
        });
    }

    /// End the execution with `status` and its terminal event.
    pub(super) fn end(
        &mut self,
        status: ExecutionStatus,
        output: Option<String>,
        error: Option<String>,
        cause: Option<String>,
        at: Now,
    ) {
        let kind = match status {
            ExecutionStatus::Succeeded => "ExecutionSucceeded",
            ExecutionStatus::Failed => "ExecutionFailed",
            ExecutionStatus::TimedOut => "ExecutionTimedOut",
            _ => "ExecutionAborted",
        };
        let details = EventDetails {
            output: output.clone(),
            error: error.clone(),
            cause: cause.clone(),
            ..EventDetails::default()
        };
        self.push(kind, None, details, at);
        let d = &mut self.detail;
        d.execution.status = status;
        d.execution.stopped = Some(at);
        (d.output, d.error, d.cause) = (output, error, cause);
    }
}

pub(super) fn aws(kind: ErrorKind, code: &'static str, message: String) -> AwsError {
    AwsError::new(kind, code, message)
}

pub(super) fn check_arn(arn: &str) -> Result<(), AwsError> {
    match arn.starts_with("arn:aws:states:") {
        true => Ok(()),
        false => Err(aws(
            ErrorKind::Invalid,
            "InvalidArn",
            format!("Invalid Arn: '{arn}'"),
        )),
    }
}

impl Sfn {
    pub(super) fn machine(&mut self, account: &str, arn: &str) -> Result<&mut Machine, AwsError> {
        check_arn(arn)?;
        let mut machines = self.machines.iter_mut();
        machines
            .find(|(a, m)| a == account && m.machine.arn == arn)
            .map(|(_, m)| m)
            .ok_or_else(|| {
                let message = format!("State Machine Does Not Exist: '{arn}'");
                aws(ErrorKind::Other, "StateMachineDoesNotExist", message)
            })
    }

    /// An execution and the type of its machine.
    pub(super) fn run(
        &mut self,
        account: &str,
        arn: &str,
    ) -> Result<(&mut Run, MachineType), AwsError> {
        check_arn(arn)?;
        let machines = self.machines.iter_mut().filter(|(a, _)| a == account);
        for (_, m) in machines {
            let kind = m.machine.kind;
            if let Some(run) = m.runs.iter_mut().find(|r| r.detail.execution.arn == arn) {
                return Ok((run, kind));
            }
        }
        let message = format!("Execution Does Not Exist: '{arn}'");
        Err(aws(ErrorKind::Other, "ExecutionDoesNotExist", message))
    }

    pub(super) fn find(&self, arn: &str) -> Option<&Run> {
        let mut runs = self.machines.iter().flat_map(|(_, m)| &m.runs);
        runs.find(|r| r.detail.execution.arn == arn)
    }
}

impl Machine {
    /// StartExecution on this machine.
    pub(super) fn start(&mut self, name: &str, input: &str, now: Now) -> Result<String, AwsError> {
        let machine_arn = self.machine.arn.clone();
        let machine_arn = machine_arn.as_str();
        let machine = self;
        const FORBIDDEN: &str = "<>{}[]?*\"#%\\^|~`$&,;:/";
        let bad = |c: char| c.is_whitespace() || c.is_control() || FORBIDDEN.contains(c);
        if name.is_empty() || name.chars().count() > 80 || name.chars().any(bad) {
            return Err(aws(
                ErrorKind::Invalid,
                "InvalidName",
                format!("Invalid Name: '{name}'"),
            ));
        }
        if let Err(e) = serde_json::from_str::<serde_json::Value>(input) {
            let message = format!("Invalid State Machine Execution Input: '{e}'");
            return Err(aws(ErrorKind::Invalid, "InvalidExecutionInput", message));
        }
        let prefix = machine_arn.replacen(":stateMachine:", ":execution:", 1);
        let arn = format!("{prefix}:{name}");
        if let Some(run) = machine
            .runs
            .iter()
            .find(|r| r.detail.execution.name == name)
        {
            let detail = &run.detail;
            // StartExecution is idempotent for a running execution with the same input.
            if detail.execution.status == ExecutionStatus::Running
                && detail.input.as_deref() == Some(input)
            {
                return Ok(arn);
            }
            let message = format!("Execution Already Exists: '{arn}'");
            return Err(aws(ErrorKind::Other, "ExecutionAlreadyExists", message));
        }
        if machine.machine.kind == MachineType::Express {
            // Express executions are not kept: nothing can be listed or described later.
            let express = machine_arn.replacen(":stateMachine:", ":express:", 1);
            return Ok(format!("{express}:{name}:{}", uuid::Uuid::new_v4()));
        }
        let mut run = Run {
            detail: ExecutionDetail {
                execution: Execution {
                    arn: arn.clone(),
                    name: name.to_owned(),
                    machine_arn: machine_arn.to_owned(),
                    status: ExecutionStatus::Running,
                    started: now,
                    stopped: None,
                },
                input: Some(input.to_owned()),
                output: None,
                error: None,
                cause: None,
                machine_version_arn: None,
                redrive_count: 0,
            },
            events: Vec::new(),
        };
        let details = EventDetails {
            input: Some(input.to_owned()),
            ..EventDetails::default()
        };
        run.push("ExecutionStarted", None, details, now);
        machine.runs.push(run);
        Ok(arn)
    }
}

pub(super) fn bad_token() -> AwsError {
    aws(
        ErrorKind::Invalid,
        "InvalidToken",
        "Invalid Token".to_owned(),
    )
}
