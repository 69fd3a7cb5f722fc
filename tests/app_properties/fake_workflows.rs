//! The fake Step Functions service: state machines, pages of executions, and executions' details
//! and history.

use opsdeck::app::RequestId;
use opsdeck::app::workflows::{WorkflowsEffect, WorkflowsMsg};
use opsdeck::domain::workflows::watch::Fetched;
use opsdeck::domain::workflows::{
    Execution, ExecutionDetail, ExecutionPage, ExecutionStatus, MachineDefinition, MachineType,
    StateMachine,
};

use crate::fake::{ME, at, count, error};
use crate::scenario::Answer;

/// A state machine of `account`: ARNs name the account they were listed in, as AWS's do (the
/// executor acts in the ARN's account).
fn machine(account: &str, i: usize) -> StateMachine {
    StateMachine {
        arn: format!("arn:aws:states:eu-west-1:{account}:stateMachine:m{i}"),
        name: format!("m{i}"),
        kind: if i == 2 {
            MachineType::Express
        } else {
            MachineType::Standard
        },
        created: Some(at()),
    }
}

fn page(machine_arn: &str, variant: u8) -> ExecutionPage {
    let statuses = [
        ExecutionStatus::Running,
        ExecutionStatus::Succeeded,
        ExecutionStatus::Failed,
        ExecutionStatus::TimedOut,
        ExecutionStatus::Aborted,
    ];
    ExecutionPage {
        executions: (0..count(variant, 6))
            .map(|i| execution(machine_arn, i, statuses[i % statuses.len()]))
            .collect(),
        next_token: variant.is_multiple_of(3).then(|| "token".into()),
    }
}

fn execution(machine_arn: &str, i: usize, status: ExecutionStatus) -> Execution {
    Execution {
        arn: format!(
            "{}:e{i}",
            machine_arn.replace(":stateMachine:", ":execution:")
        ),
        name: format!("e{i}"),
        machine_arn: machine_arn.into(),
        status,
        started: at(),
        stopped: None,
    }
}

pub(crate) fn respond_workflows(
    effect: &WorkflowsEffect,
    answer: Answer,
    wrong: Option<RequestId>,
) -> Option<WorkflowsMsg> {
    let Answer { ok, variant } = answer;
    let id = |request: &RequestId| wrong.unwrap_or(*request);
    let fail = || error(variant);
    Some(match effect {
        WorkflowsEffect::LoadMachines {
            request,
            account_id,
        } => WorkflowsMsg::Machines {
            request: id(request),
            result: if ok {
                Ok((0..count(variant, 5))
                    .map(|i| machine(account_id, i))
                    .collect())
            } else {
                Err(fail())
            },
            at: at(),
        },
        WorkflowsEffect::LoadCounts { machine_arn, .. } => WorkflowsMsg::Counts {
            machine_arn: machine_arn.clone(),
            result: if ok {
                Ok(page(machine_arn, variant))
            } else {
                Err(fail())
            },
        },
        WorkflowsEffect::LoadExecutions {
            request,
            machine_arn,
            ..
        } => WorkflowsMsg::Executions {
            request: id(request),
            result: if ok {
                Ok(page(machine_arn, variant))
            } else {
                Err(fail())
            },
            at: at(),
        },
        WorkflowsEffect::LoadExecution { request, arn, .. } => WorkflowsMsg::Execution {
            request: id(request),
            result: if ok {
                // arn:aws:states:REGION:ACCOUNT:execution:MACHINE:NAME
                let parts: Vec<&str> = arn.split(':').collect();
                let machine_arn = format!(
                    "arn:aws:states:eu-west-1:{}:stateMachine:{}",
                    parts.get(4).unwrap_or(&ME),
                    parts.get(6).unwrap_or(&"m0")
                );
                let status = if variant.is_multiple_of(2) {
                    ExecutionStatus::Running
                } else {
                    ExecutionStatus::Failed
                };
                Ok(ExecutionDetail {
                    execution: Execution {
                        arn: arn.clone(),
                        ..execution(&machine_arn, 0, status)
                    },
                    input: Some("{\"tenant\": \"acme\"}".into()),
                    output: None,
                    error: (variant % 2 == 1).then(|| "States.TaskFailed".into()),
                    cause: (variant % 2 == 1).then(|| "boom".into()),
                    machine_version_arn: None,
                    redrive_count: 0,
                })
            } else {
                Err(fail())
            },
            at: at(),
        },
        WorkflowsEffect::LoadDefinition {
            request,
            machine_arn,
            ..
        } => WorkflowsMsg::Definition {
            request: id(request),
            result: if ok {
                Ok(MachineDefinition {
                    arn: machine_arn.clone(),
                    name: "m0".into(),
                    kind: MachineType::Standard,
                    definition: if variant.is_multiple_of(2) {
                        r#"{"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}}"#.into()
                    } else {
                        "not json {".into()
                    },
                    revision_id: None,
                })
            } else {
                Err(fail())
            },
            at: at(),
        },
        // The status check answers as DescribeExecution does (the same detail).
        WorkflowsEffect::CheckStatus {
            request,
            account_id,
            arn,
            ..
        } => {
            let describe = WorkflowsEffect::LoadExecution {
                request: *request,
                account_id: account_id.clone(),
                region: String::new(),
                arn: arn.clone(),
            };
            match respond_workflows(&describe, answer, wrong)? {
                WorkflowsMsg::Execution {
                    request, result, ..
                } => WorkflowsMsg::Status { request, result },
                other => other,
            }
        }
        WorkflowsEffect::LoadActivity { machine_arn, .. } => WorkflowsMsg::Activity {
            machine_arn: machine_arn.clone(),
            result: if ok {
                Ok(vec![opsdeck::app::workflows::Outcomes::default(); 12])
            } else {
                Err(fail())
            },
        },
        // A scoped read: every target answers at once, none failing (an account list that
        // cannot be read when the answer is a failure).
        WorkflowsEffect::LoadScopedMachines { request, .. }
        | WorkflowsEffect::LoadFailures { request, .. } => WorkflowsMsg::ScopeDone {
            request: id(request),
            targets: usize::from(ok),
            error: (!ok).then(fail),
            at: at(),
        },
        WorkflowsEffect::PollHistory { request, .. } => WorkflowsMsg::History {
            request: id(request),
            result: if ok {
                Ok(Fetched {
                    events: Vec::new(),
                    requests: 1,
                    received: 0,
                })
            } else {
                Err(fail())
            },
            at: at(),
        },
    })
}
