//! The pane keeping itself current: the executions list and the machine list re-read in the
//! background, and a watched execution's end seen between two spaced-out history polls.

use std::time::Duration;

use crate::app::live::Live;
use crate::app::loadable::RequestId;
use crate::app::pane::PaneState;
use crate::app::tests::at;
use crate::app::workflows::fixtures::*;
use crate::app::workflows::{WorkflowsEffect, WorkflowsMsg};
use crate::app::{Effect, Msg, State, update};
use crate::domain::workflows::watch::Fetched;
use crate::domain::workflows::{Execution, ExecutionDetail, ExecutionPage, ExecutionStatus};
use crate::domain::workflows::{MachineType, StateMachine};

/// Tick the clock until the next background re-read is due; what that tick asked for.
fn until_refresh(state: &mut State) -> Vec<Effect> {
    for _ in 0..1000 {
        let effects = update(state, Msg::Tick);
        if !effects.is_empty() {
            return effects;
        }
    }
    panic!("no refresh within 1000 ticks");
}

fn executions(state: &State) -> Vec<(String, ExecutionStatus)> {
    let view = state.workflows.executions.as_ref().unwrap();
    view.table
        .visible()
        .iter()
        .map(|&i| (view.items[i].name.clone(), view.items[i].status))
        .collect()
}

fn answer_page(state: &mut State, request: RequestId, executions: Vec<Execution>) {
    update(
        state,
        Msg::Workflows(WorkflowsMsg::Executions {
            request,
            result: Ok(ExecutionPage {
                executions,
                next_token: None,
            }),
            at: at(),
        }),
    );
}

#[test]
fn the_executions_list_refreshes_itself_keeping_rows_and_selection() {
    let mut state = executions_state();
    assert_eq!(state.live_view(), Live::Auto);
    // The operator looks at the third execution.
    crate::app::testkit::chars(&mut state, "jj");
    let selected = |s: &State| {
        let view = s.workflows.executions.as_ref().unwrap();
        view.selected().unwrap().name.clone()
    };
    assert_eq!(selected(&state), "onboard-umbrella");

    let effects = workflows(until_refresh(&mut state));
    let request = match effects.as_slice() {
        [
            WorkflowsEffect::LoadExecutions {
                request,
                next_token: None,
                ..
            },
        ] => *request,
        other => panic!("unexpected {other:?}"),
    };
    // Meanwhile the rows stay on screen.
    assert_eq!(executions(&state).len(), 5);
    // Nothing more is asked while that re-read is in flight.
    let again = workflows(until_refresh_or_none(&mut state));
    assert!(again.is_empty(), "{again:?}");

    // Since the last read: a new execution started from outside, and hooli ended.
    let m = "tenant-onboarding";
    let mut newest = onboarding_executions();
    newest[0].status = ExecutionStatus::Failed;
    newest.insert(
        0,
        execution(m, "onboard-globex", ExecutionStatus::Running, 1),
    );
    answer_page(&mut state, request, newest);

    let rows = executions(&state);
    assert_eq!(rows[0], ("onboard-globex".into(), ExecutionStatus::Running));
    assert_eq!(rows[1], ("onboard-hooli".into(), ExecutionStatus::Failed));
    assert_eq!(rows.len(), 6);
    assert_eq!(selected(&state), "onboard-umbrella", "the selection stays");
}

/// Ticks up to one refresh interval: the effects of a due refresh (none when skipped).
fn until_refresh_or_none(state: &mut State) -> Vec<Effect> {
    let mut out = Vec::new();
    for _ in 0..20 {
        out.extend(update(state, Msg::Tick));
    }
    out
}

#[test]
fn a_failed_refresh_keeps_the_rows_and_says_so() {
    let mut state = executions_state();
    let effects = workflows(until_refresh(&mut state));
    let request = executions_request(&effects);
    update(
        &mut state,
        Msg::Workflows(WorkflowsMsg::Executions {
            request,
            result: Err(crate::services::ServiceError::new(
                crate::services::ErrorKind::Throttled,
                Some("ThrottlingException".into()),
                "slow down",
            )),
            at: at(),
        }),
    );
    let view = state.workflows.executions.as_ref().unwrap();
    assert_eq!(view.items.len(), 5);
    assert!(view.error.is_none());
    assert!(view.refresh_error.is_some());
}

#[test]
fn refresh_off_asks_for_nothing() {
    let mut state = executions_state();
    state.live = crate::app::live::Refresher::new(Duration::ZERO, Duration::from_millis(250), true);
    let effects = until_refresh_or_none(&mut state);
    assert!(effects.is_empty(), "{effects:?}");
}

#[test]
fn the_machine_list_refreshes_with_a_few_counts_at_a_time() {
    let mut state = machines_state();
    let effects = workflows(until_refresh(&mut state));
    let request = match effects.as_slice() {
        [WorkflowsEffect::LoadMachines { request, .. }] => *request,
        other => panic!("unexpected {other:?}"),
    };
    let many: Vec<StateMachine> = (0..10)
        .map(|i| machine(&format!("m{i}"), MachineType::Standard))
        .collect();
    let follow = workflows(update(
        &mut state,
        Msg::Workflows(WorkflowsMsg::Machines {
            request,
            result: Ok(many),
            at: at(),
        }),
    ));
    let counted: Vec<&str> = follow
        .iter()
        .filter_map(|e| match e {
            WorkflowsEffect::LoadCounts { machine_arn, .. } => Some(machine_arn.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(counted.len(), crate::app::workflows::RECOUNTS_PER_REFRESH);
    assert_eq!(state.workflows.machines.items().len(), 10);
}

/// A quiet execution: the answer to a history poll that brought nothing, and what it asked.
fn quiet_poll(state: &mut State, poll: RequestId) -> Vec<WorkflowsEffect> {
    workflows(update(
        state,
        Msg::Workflows(WorkflowsMsg::History {
            request: poll,
            result: Ok(Fetched {
                events: Vec::new(),
                requests: 1,
                received: 0,
            }),
            at: at(),
        }),
    ))
}

fn described(status: ExecutionStatus) -> ExecutionDetail {
    let mut execution = onboarding_executions().remove(0);
    execution.status = status;
    ExecutionDetail {
        execution,
        input: None,
        output: None,
        error: None,
        cause: None,
        machine_version_arn: None,
        redrive_count: 0,
    }
}

#[test]
fn a_watched_execution_that_ends_between_polls_is_read_at_once() {
    let (mut state, poll) = detail_state();
    assert_eq!(state.live_view(), Live::Watching);
    // Quiet polls space out until the next one is several intervals away.
    let mut poll = poll.unwrap();
    let mut check = None;
    for _ in 0..4 {
        let next = quiet_poll(&mut state, poll);
        poll = next
            .iter()
            .find_map(|e| match e {
                WorkflowsEffect::PollHistory { request, .. } => Some(*request),
                _ => None,
            })
            .unwrap();
        check = next.iter().find_map(|e| match e {
            WorkflowsEffect::CheckStatus { request, delay, .. } => Some((*request, *delay)),
            _ => None,
        });
    }
    let (check, delay) = check.expect("a status check before a poll that far away");
    assert_eq!(delay, Duration::from_secs(1));

    // Still running: checked again one interval later.
    let next = workflows(update(
        &mut state,
        Msg::Workflows(WorkflowsMsg::Status {
            request: check,
            result: Ok(described(ExecutionStatus::Running)),
        }),
    ));
    let check = match next.as_slice() {
        [WorkflowsEffect::CheckStatus { request, delay, .. }] => {
            assert_eq!(*delay, Duration::from_secs(1));
            *request
        }
        other => panic!("unexpected {other:?}"),
    };
    // It ended: its history is read now, not when the spaced-out poll comes.
    let next = workflows(update(
        &mut state,
        Msg::Workflows(WorkflowsMsg::Status {
            request: check,
            result: Ok(described(ExecutionStatus::Succeeded)),
        }),
    ));
    let now = match next.as_slice() {
        [WorkflowsEffect::PollHistory { request, delay, .. }] => {
            assert_eq!(*delay, Duration::ZERO);
            *request
        }
        other => panic!("unexpected {other:?}"),
    };
    assert_ne!(now, poll);
    // The poll scheduled earlier answers late: dropped.
    assert!(quiet_poll(&mut state, poll).is_empty());
}

/// A watched execution's history answers with the event that ends it: what that asked for.
fn ends(state: &mut State, poll: Option<RequestId>, kind: &str) -> Vec<Effect> {
    let end = crate::domain::workflows::timeline::fixtures::History::ended_after(
        state.workflows.detail.as_ref().unwrap().log.last_id(),
        kind,
    );
    update(
        state,
        Msg::Workflows(WorkflowsMsg::History {
            request: poll.unwrap(),
            result: Ok(Fetched {
                events: end,
                requests: 1,
                received: 1,
            }),
            at: at(),
        }),
    )
}

#[test]
fn the_end_of_a_watched_execution_raises_a_notice_and_the_bell() {
    let (mut state, poll) = detail_state();
    let effects = ends(&mut state, poll, "ExecutionFailed");
    assert!(effects.contains(&Effect::Bell), "{effects:?}");
    let notice = state.notice.as_ref().unwrap();
    assert!(
        notice.text.contains("onboard-hooli ended: FAILED"),
        "{notice:?}"
    );
    assert!(notice.is_error);
    assert_eq!(
        state.live_view(),
        Live::Paused("the execution ended"),
        "nothing left to watch"
    );

    // With `ui.bell = false`, the notice comes without the bell.
    let (mut state, poll) = detail_state();
    state.live.bell = false;
    let effects = ends(&mut state, poll, "ExecutionSucceeded");
    assert!(!effects.contains(&Effect::Bell));
    assert!(!state.notice.as_ref().unwrap().is_error);
}

#[test]
fn a_view_of_an_ended_execution_is_paused_and_says_why() {
    let (mut state, _) = detail_state();
    state.workflows.detail.as_mut().unwrap().watching = false;
    assert_eq!(
        state.workflows.live(),
        Live::Paused("not watched: w watches")
    );
}
