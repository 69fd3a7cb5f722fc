//! States of the pane at each level, for the update tests here and the snapshots of the views.

use chrono::Duration as Span;
use crossterm::event::KeyCode;

use super::Reach;
use super::{WorkflowsEffect, WorkflowsMsg};
use crate::app::loadable::RequestId;
use crate::app::testkit::keys;
use crate::app::testkit::press;
use crate::app::tests::{at, loaded_state};
use crate::app::{Effect, Msg, State, update};
use crate::domain::workflows::timeline::fixtures::History;
use crate::domain::workflows::watch::Fetched;
use crate::domain::workflows::{
    EventDetails, Execution, ExecutionDetail, ExecutionPage, ExecutionStatus, MachineDefinition,
    MachineType, StateMachine,
};
use crate::rows::workflows::Place;
use crate::services::scope::Status;
use crate::services::workflows::scoped::{CountedMachine, FoundExecution};

pub const ACCOUNT: &str = "111111111111";

pub fn machine(name: &str, kind: MachineType) -> StateMachine {
    StateMachine {
        arn: format!("arn:aws:states:eu-west-1:{ACCOUNT}:stateMachine:{name}"),
        name: name.into(),
        kind,
        created: Some(at() - Span::days(30)),
    }
}

pub fn execution(machine: &str, name: &str, status: ExecutionStatus, ago_s: i64) -> Execution {
    let started = at() - Span::seconds(ago_s);
    Execution {
        arn: format!("arn:aws:states:eu-west-1:{ACCOUNT}:execution:{machine}:{name}"),
        name: name.into(),
        machine_arn: format!("arn:aws:states:eu-west-1:{ACCOUNT}:stateMachine:{machine}"),
        status,
        started,
        stopped: status
            .is_terminal()
            .then(|| started + Span::milliseconds(1_500)),
    }
}

pub fn workflows(effects: Vec<Effect>) -> Vec<WorkflowsEffect> {
    effects
        .into_iter()
        .filter_map(|e| match e {
            Effect::Workflows(w) => Some(w),
            _ => None,
        })
        .collect()
}

/// The Workflows pane with its machines loaded (counts answered).
pub fn machines_state() -> State {
    let (mut state, _) = loaded_state();
    let effects = workflows(press(&mut state, KeyCode::Char('3')));
    let request = match effects.as_slice() {
        [WorkflowsEffect::LoadMachines { request, .. }] => *request,
        other => panic!("unexpected {other:?}"),
    };
    let machines = vec![
        machine("tenant-onboarding", MachineType::Standard),
        machine("invoice-export", MachineType::Standard),
        machine("audit-stream", MachineType::Express),
    ];
    let follow = workflows(update(
        &mut state,
        Msg::Workflows(WorkflowsMsg::Machines {
            request,
            result: Ok(machines),
            at: at(),
        }),
    ));
    for effect in follow {
        if let WorkflowsEffect::LoadCounts { machine_arn, .. } = effect {
            let executions = if machine_arn.ends_with("invoice-export") {
                vec![
                    execution("invoice-export", "a", ExecutionStatus::Failed, 50),
                    execution("invoice-export", "b", ExecutionStatus::Running, 40),
                ]
            } else {
                vec![execution(
                    "tenant-onboarding",
                    "c",
                    ExecutionStatus::Succeeded,
                    10,
                )]
            };
            update(
                &mut state,
                Msg::Workflows(WorkflowsMsg::Counts {
                    machine_arn,
                    result: Ok(ExecutionPage {
                        executions,
                        next_token: None,
                    }),
                }),
            );
        }
    }
    state
}

/// The request of the one `LoadExecutions` among `effects`.
pub fn executions_request(effects: &[WorkflowsEffect]) -> RequestId {
    effects
        .iter()
        .find_map(|e| match e {
            WorkflowsEffect::LoadExecutions { request, .. } => Some(*request),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no LoadExecutions in {effects:?}"))
}

pub fn onboarding_executions() -> Vec<Execution> {
    let m = "tenant-onboarding";
    vec![
        execution(m, "onboard-hooli", ExecutionStatus::Running, 12),
        execution(m, "onboard-initech", ExecutionStatus::Succeeded, 60),
        execution(m, "onboard-umbrella", ExecutionStatus::Failed, 120),
        execution(m, "onboard-stark", ExecutionStatus::Aborted, 180),
        execution(m, "onboard-acme", ExecutionStatus::Succeeded, 240),
    ]
}

/// The executions of tenant-onboarding (the first machine), one page.
pub fn executions_state() -> State {
    let mut state = machines_state();
    let effects = workflows(press(&mut state, KeyCode::Enter));
    let request = executions_request(&effects);
    update(
        &mut state,
        Msg::Workflows(WorkflowsMsg::Executions {
            request,
            result: Ok(ExecutionPage {
                executions: onboarding_executions(),
                next_token: None,
            }),
            at: at(),
        }),
    );
    state
}

/// What opening an execution asked for: describe, definition and first poll requests.
pub struct Opened {
    pub describe: RequestId,
    pub definition: RequestId,
    pub poll: Option<RequestId>,
}

pub fn opened(effects: &[WorkflowsEffect]) -> Opened {
    let mut o = Opened {
        describe: RequestId(0),
        definition: RequestId(0),
        poll: None,
    };
    for e in effects {
        match e {
            WorkflowsEffect::LoadExecution { request, .. } => o.describe = *request,
            WorkflowsEffect::LoadDefinition { request, .. } => o.definition = *request,
            WorkflowsEffect::PollHistory { request, .. } => o.poll = Some(*request),
            _ => {}
        }
    }
    o
}

/// A running onboarding: validated, now in its Parallel, one branch waiting.
pub fn running_history() -> History {
    let mut h = History::new();
    let v = h.state("Pass", "ValidateRequest", 1);
    let c = h.state("Choice", "CheckPlan", v);
    let p = h.push(
        "ParallelStateEntered",
        c,
        Some("ProvisionTenant"),
        EventDetails {
            input: Some(r#"{"tenant_id":"hooli"}"#.into()),
            ..EventDetails::default()
        },
    );
    let s = h.push("ParallelStateStarted", p, None, EventDetails::default());
    h.state("Pass", "CreateTenantGroups", s);
    let d = h.state("Pass", "ProvisionDns", s);
    h.push(
        "WaitStateEntered",
        d,
        Some("WaitForDnsPropagation"),
        EventDetails::default(),
    );
    h
}

pub const DEFINITION: &str = r#"{
  "StartAt": "ValidateRequest",
  "States": {
    "ValidateRequest": {"Type": "Pass", "Next": "CheckPlan"},
    "CheckPlan": {"Type": "Choice",
      "Choices": [{"Variable": "$.plan", "StringEquals": "enterprise", "Next": "Reserve"}],
      "Default": "ProvisionTenant"},
    "Reserve": {"Type": "Pass", "Next": "ProvisionTenant"},
    "ProvisionTenant": {"Type": "Parallel", "Next": "Done",
      "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Failed"}],
      "Branches": [
        {"StartAt": "CreateTenantGroups", "States": {"CreateTenantGroups": {"Type": "Pass", "End": true}}},
        {"StartAt": "ProvisionDns", "States": {
          "ProvisionDns": {"Type": "Pass", "Next": "WaitForDnsPropagation"},
          "WaitForDnsPropagation": {"Type": "Wait", "Seconds": 30, "End": true}}}
      ]},
    "Failed": {"Type": "Fail", "Error": "Onboarding.Failed"},
    "Done": {"Type": "Succeed"}
  }
}"#;

/// The running onboard-hooli open on `tab`, with its history, definition and summary loaded.
pub fn detail_state() -> (State, Option<RequestId>) {
    let mut state = executions_state();
    let effects = workflows(press(&mut state, KeyCode::Enter));
    let o = opened(&effects);
    let execution = onboarding_executions().remove(0);
    update(
        &mut state,
        Msg::Workflows(WorkflowsMsg::Execution {
            request: o.describe,
            result: Ok(ExecutionDetail {
                execution: execution.clone(),
                input: Some(r#"{"tenant_id":"hooli"}"#.into()),
                output: None,
                error: None,
                cause: None,
                machine_version_arn: None,
                redrive_count: 0,
            }),
            at: at(),
        }),
    );
    update(
        &mut state,
        Msg::Workflows(WorkflowsMsg::Definition {
            request: o.definition,
            result: Ok(MachineDefinition {
                arn: execution.machine_arn.clone(),
                name: "tenant-onboarding".into(),
                kind: MachineType::Standard,
                definition: DEFINITION.into(),
                revision_id: None,
            }),
            at: at(),
        }),
    );
    let mut events = running_history().events;
    // Put the history in the execution's time frame.
    let shift = execution.started - events[0].timestamp;
    for e in &mut events {
        e.timestamp += shift + Span::milliseconds(e.id * 700);
    }
    let next = workflows(update(
        &mut state,
        Msg::Workflows(WorkflowsMsg::History {
            request: o.poll.expect("a running execution is polled"),
            result: Ok(Fetched {
                requests: 1,
                received: events.len(),
                events,
            }),
            at: at(),
        }),
    ));
    let poll = next.iter().find_map(|e| match e {
        WorkflowsEffect::PollHistory { request, .. } => Some(*request),
        _ => None,
    });
    (state, poll)
}

// The organisation scope and the failures view.

pub const STAGING: &str = "333333333333";

pub fn place(account_id: &str, name: &str, region: &str) -> Place {
    Place {
        account_id: account_id.into(),
        account_name: name.into(),
        region: region.into(),
    }
}

pub fn machine_in(account: &str, region: &str, name: &str) -> StateMachine {
    StateMachine {
        arn: format!("arn:aws:states:{region}:{account}:stateMachine:{name}"),
        name: name.into(),
        kind: MachineType::Standard,
        created: Some(at() - Span::days(3)),
    }
}

pub fn failed_in(
    account: &str,
    region: &str,
    machine: &str,
    name: &str,
    status: ExecutionStatus,
    ago_min: i64,
) -> FoundExecution {
    let started = at() - Span::minutes(ago_min);
    FoundExecution {
        execution: Execution {
            arn: format!("arn:aws:states:{region}:{account}:execution:{machine}:{name}"),
            name: name.into(),
            machine_arn: format!("arn:aws:states:{region}:{account}:stateMachine:{machine}"),
            status,
            started,
            stopped: Some(started + Span::seconds(30)),
        },
        error: Some("States.TaskFailed".into()),
        cause: Some(format!("{name} broke")),
    }
}

/// The organisation scope over two regions, switched to from the machine list: its request.
pub fn org_state() -> (State, RequestId) {
    let mut state = machines_state();
    let effects = workflows(keys(&mut state, ":scope org eu-west-1,us-east-1<Enter>"));
    let request = match effects.as_slice() {
        [WorkflowsEffect::LoadScopedMachines { request, reach }] => {
            assert_eq!(
                reach,
                &Reach::Organisation {
                    regions: vec!["eu-west-1".into(), "us-east-1".into()]
                }
            );
            *request
        }
        other => panic!("unexpected {other:?}"),
    };
    (state, request)
}

pub fn answer_org_machines(state: &mut State, request: RequestId) {
    update(
        state,
        Msg::Workflows(WorkflowsMsg::ScopedMachines {
            request,
            place: place(STAGING, "staging", "us-east-1"),
            status: Status::Ok,
            machines: vec![CountedMachine {
                machine: machine_in(STAGING, "us-east-1", "billing"),
                counts: Some((1, 2)),
            }],
        }),
    );
    update(
        state,
        Msg::Workflows(WorkflowsMsg::ScopedMachines {
            request,
            place: place("444444444444", "prod", "eu-west-1"),
            status: Status::Denied("the role could not be assumed".into()),
            machines: Vec::new(),
        }),
    );
}

/// The failures view over the organisation, opened with `E` on the machines: its request.
pub fn failures_state() -> (State, RequestId) {
    let (mut state, request) = org_state();
    answer_org_machines(&mut state, request);
    let effects = workflows(keys(&mut state, "E"));
    let request = match effects.as_slice() {
        [
            WorkflowsEffect::LoadFailures {
                request,
                reach: Reach::Organisation { regions },
                window,
            },
        ] => {
            assert_eq!(regions.len(), 2);
            assert_eq!(*window, Span::hours(24));
            *request
        }
        other => panic!("unexpected {other:?}"),
    };
    let answer = |state: &mut State, place: Place, status: Status, executions| {
        update(
            state,
            Msg::Workflows(WorkflowsMsg::Failures {
                request,
                place,
                status,
                executions,
                until: at(),
            }),
        );
    };
    answer(
        &mut state,
        place(STAGING, "staging", "us-east-1"),
        Status::Ok,
        vec![
            failed_in(
                STAGING,
                "us-east-1",
                "billing",
                "run-old",
                ExecutionStatus::TimedOut,
                600,
            ),
            failed_in(
                STAGING,
                "us-east-1",
                "billing",
                "run-new",
                ExecutionStatus::Failed,
                5,
            ),
        ],
    );
    answer(
        &mut state,
        place("222222222222", "dev", "eu-west-1"),
        Status::Ok,
        vec![failed_in(
            "222222222222",
            "eu-west-1",
            "export",
            "run-mid",
            ExecutionStatus::Aborted,
            90,
        )],
    );
    answer(
        &mut state,
        place("444444444444", "prod", "eu-west-1"),
        Status::Throttled("Rate exceeded".into()),
        Vec::new(),
    );
    update(
        &mut state,
        Msg::Workflows(WorkflowsMsg::ScopeDone {
            request,
            targets: 3,
            error: None,
            at: at(),
        }),
    );
    (state, request)
}
