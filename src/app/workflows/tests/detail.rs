//! One execution open: the watch (polls, back-off, the end, leaving) and the input/output viewer.

use std::time::Duration;

use crossterm::event::KeyCode;

use crate::app::testkit::{chars, press};
use crate::app::tests::at;
use crate::app::workflows::fixtures::*;
use crate::app::workflows::{DetailTab, HistoryState, WorkflowsEffect, WorkflowsMsg};
use crate::app::{Msg, update};
use crate::domain::workflows::timeline::fixtures::History;
use crate::domain::workflows::watch::{Fetched, MAX_FAILED_POLLS};
use crate::domain::workflows::{EventDetails, ExecutionPage, ExecutionStatus};
use crate::services::{ErrorKind, ServiceError};

#[test]
fn opening_a_running_execution_loads_it_and_starts_polling_from_the_beginning() {
    let mut state = executions_state();
    let effects = workflows(press(&mut state, KeyCode::Enter));
    let poll = effects.iter().find_map(|e| match e {
        WorkflowsEffect::PollHistory { after, delay, .. } => Some((*after, *delay)),
        _ => None,
    });
    assert_eq!(poll, Some((0, Duration::ZERO)));
    assert!(state.workflows.detail.as_ref().unwrap().watching);
}

#[test]
fn each_poll_asks_for_what_follows_the_last_event_slower_when_nothing_changes() {
    let (mut state, poll) = detail_state();
    let detail = state.workflows.detail.as_ref().unwrap();
    let last = detail.log.last_id();
    assert_eq!(detail.timeline.entries.len(), 6);
    let poll = poll.expect("still running: polled again");
    let next = workflows(update(
        &mut state,
        Msg::Workflows(WorkflowsMsg::History {
            request: poll,
            result: Ok(Fetched {
                events: Vec::new(),
                requests: 1,
                received: 100,
            }),
            at: at(),
        }),
    ));
    match next.as_slice() {
        [
            WorkflowsEffect::PollHistory { after, delay, .. },
            // The poll is more than an interval away: the status is checked in between.
            WorkflowsEffect::CheckStatus { delay: check, .. },
        ] => {
            assert_eq!(*after, last);
            assert!(*delay > Duration::from_secs(1), "{delay:?}");
            assert_eq!(*check, Duration::from_secs(1));
        }
        other => panic!("unexpected {other:?}"),
    }
}

#[test]
fn a_terminal_event_stops_the_watch_and_refreshes_the_summary() {
    let (mut state, poll) = detail_state();
    let last = state.workflows.detail.as_ref().unwrap().log.last_id();
    let mut h = History::new();
    h.events.clear();
    let mut events = Vec::new();
    let mut end = History::new();
    end.events.clear();
    for _ in 0..last {
        end.push("Filler", 0, None, EventDetails::default());
    }
    end.push(
        "ExecutionFailed",
        last,
        None,
        History::error("States.Timeout", "took too long"),
    );
    events.extend(end.events.split_off(last as usize));
    let next = workflows(update(
        &mut state,
        Msg::Workflows(WorkflowsMsg::History {
            request: poll.unwrap(),
            result: Ok(Fetched {
                events,
                requests: 1,
                received: 100,
            }),
            at: at(),
        }),
    ));
    assert!(matches!(
        next.as_slice(),
        [WorkflowsEffect::LoadExecution { .. }]
    ));
    let detail = state.workflows.detail.as_ref().unwrap();
    assert!(!detail.watching);
    assert_eq!(detail.execution.status, ExecutionStatus::Failed);
    let waiting = detail
        .timeline
        .entries
        .iter()
        .find(|e| e.state == "WaitForDnsPropagation")
        .unwrap();
    assert_eq!(waiting.error.as_deref(), Some("States.Timeout"));
}

#[test]
fn a_throttled_poll_backs_off_and_a_stale_answer_is_dropped() {
    let (mut state, poll) = detail_state();
    let throttled = ServiceError::new(
        ErrorKind::Throttled,
        Some("ThrottlingException".into()),
        "slow down",
    );
    let next = workflows(update(
        &mut state,
        Msg::Workflows(WorkflowsMsg::History {
            request: poll.unwrap(),
            result: Err(throttled.clone()),
            at: at(),
        }),
    ));
    match next.as_slice() {
        [WorkflowsEffect::PollHistory { delay, .. }] => {
            assert!(*delay >= Duration::from_secs(2))
        }
        other => panic!("unexpected {other:?}"),
    }
    // The same (now stale) answer again changes nothing.
    let again = workflows(update(
        &mut state,
        Msg::Workflows(WorkflowsMsg::History {
            request: poll.unwrap(),
            result: Err(throttled),
            at: at(),
        }),
    ));
    assert!(again.is_empty());
}

#[test]
fn lost_connections_and_server_failures_back_off_and_the_watch_gives_up_after_ten() {
    let (mut state, poll) = detail_state();
    let mut request = poll.unwrap();
    let failures = [
        ServiceError::new(ErrorKind::Network, None, "connection closed"),
        ServiceError::new(
            ErrorKind::Unavailable,
            Some("ServiceUnavailable".into()),
            "503",
        ),
        ServiceError::new(
            ErrorKind::Throttled,
            Some("ThrottlingException".into()),
            "slow",
        ),
    ];
    let mut delays = Vec::new();
    for i in 0..MAX_FAILED_POLLS as usize {
        let next = workflows(update(
            &mut state,
            Msg::Workflows(WorkflowsMsg::History {
                request,
                result: Err(failures[i % failures.len()].clone()),
                at: at(),
            }),
        ));
        let detail = state.workflows.detail.as_ref().unwrap();
        if i + 1 < MAX_FAILED_POLLS as usize {
            match next.as_slice() {
                [
                    WorkflowsEffect::PollHistory {
                        request: r, delay, ..
                    },
                ] => {
                    request = *r;
                    delays.push(*delay);
                }
                other => panic!("poll {i}: unexpected {other:?}"),
            }
            assert!(detail.watching);
            let notice = state.notice.clone().unwrap();
            assert!(
                notice.is_error && notice.text.contains(&format!("{} of 10", i + 1)),
                "{}",
                notice.text
            );
        } else {
            assert!(next.is_empty(), "{next:?}");
            assert!(!detail.watching);
            assert!(matches!(detail.history, HistoryState::Failed { .. }));
        }
    }
    // Each wait at least as long as the one before, up to a minute.
    assert!(delays.windows(2).all(|w| w[0] <= w[1]), "{delays:?}");
    assert!(delays.iter().all(|d| *d <= Duration::from_secs(60)));
}

#[test]
fn a_denied_poll_stops_the_watch_at_once() {
    let (mut state, poll) = detail_state();
    let next = workflows(update(
        &mut state,
        Msg::Workflows(WorkflowsMsg::History {
            request: poll.unwrap(),
            result: Err(ServiceError::new(
                ErrorKind::Denied,
                Some("AccessDeniedException".into()),
                "no",
            )),
            at: at(),
        }),
    ));
    assert!(next.is_empty());
    let detail = state.workflows.detail.as_ref().unwrap();
    assert!(!detail.watching);
    assert!(matches!(detail.history, HistoryState::Failed { .. }));
}

#[test]
fn leaving_the_execution_ends_the_watch() {
    let (mut state, poll) = detail_state();
    press(&mut state, KeyCode::Esc);
    assert!(state.workflows.detail.is_none());
    let next = workflows(update(
        &mut state,
        Msg::Workflows(WorkflowsMsg::History {
            request: poll.unwrap(),
            result: Ok(Fetched {
                events: Vec::new(),
                requests: 1,
                received: 0,
            }),
            at: at(),
        }),
    ));
    assert!(next.is_empty());
}

#[test]
fn an_express_execution_is_never_polled() {
    let mut state = machines_state();
    press(&mut state, KeyCode::Char('G'));
    let request = executions_request(&workflows(press(&mut state, KeyCode::Enter)));
    update(
        &mut state,
        Msg::Workflows(WorkflowsMsg::Executions {
            request,
            result: Ok(ExecutionPage {
                executions: vec![execution("audit-stream", "e1", ExecutionStatus::Running, 5)],
                next_token: None,
            }),
            at: at(),
        }),
    );
    let effects = workflows(press(&mut state, KeyCode::Enter));
    assert!(opened(&effects).poll.is_none());
    assert_eq!(
        state.workflows.detail.as_ref().unwrap().history,
        HistoryState::Express
    );
}

#[test]
fn enter_on_an_event_shows_its_data_pretty_and_esc_closes_it() {
    let (mut state, _) = detail_state();
    chars(&mut state, "h");
    let detail = state.workflows.detail.as_ref().unwrap();
    assert_eq!(detail.tab, DetailTab::Events);
    // The first event is ExecutionStarted; move to the Parallel's entered event (#6).
    for _ in 0..5 {
        press(&mut state, KeyCode::Char('j'));
    }
    press(&mut state, KeyCode::Enter);
    let inspect = state
        .workflows
        .detail
        .as_ref()
        .unwrap()
        .inspect
        .clone()
        .unwrap();
    assert!(
        inspect.title.contains("ParallelStateEntered"),
        "{}",
        inspect.title
    );
    assert!(
        inspect.text.contains("\"tenant_id\": \"hooli\""),
        "{}",
        inspect.text
    );
    press(&mut state, KeyCode::Esc);
    assert!(state.workflows.detail.as_ref().unwrap().inspect.is_none());
}

#[test]
fn the_viewer_keys_stop_where_the_last_row_is_at_the_bottom() {
    let (mut state, _) = detail_state();
    chars(&mut state, "h");
    chars(&mut state, "jjjjj");
    press(&mut state, KeyCode::Enter);
    let scroll = |state: &crate::app::State| {
        let detail = state.workflows.detail.as_ref().unwrap();
        detail.inspect.as_ref().unwrap().scroll.clone()
    };
    // What the renderer does on every frame: the text has 30 rows as drawn, 8 of them fit.
    let frame = |state: &mut crate::app::State| {
        let detail = state.workflows.detail.as_mut().unwrap();
        detail.inspect.as_mut().unwrap().scroll.show(30, 8);
    };
    frame(&mut state);
    for _ in 0..10 {
        press(&mut state, KeyCode::PageDown);
        frame(&mut state);
    }
    assert_eq!(scroll(&state).top(), 22, "PageDown");
    press(&mut state, KeyCode::Char('j'));
    assert_eq!(scroll(&state).top(), 22, "j");
    press(&mut state, KeyCode::PageUp);
    assert_eq!(scroll(&state).top(), 14, "PageUp comes back a page");
    press(&mut state, KeyCode::End);
    assert_eq!(scroll(&state).top(), 22, "End");
    press(&mut state, KeyCode::Char('g'));
    assert_eq!(scroll(&state).top(), 0, "g");
    press(&mut state, KeyCode::Char('G'));
    assert_eq!(scroll(&state).top(), 22, "G");
    press(&mut state, KeyCode::Home);
    assert_eq!(scroll(&state).top(), 0, "Home");
}

#[test]
fn the_viewer_drops_the_blank_line_after_the_last_section() {
    let (mut state, _) = detail_state();
    chars(&mut state, "h");
    chars(&mut state, "jjjjj");
    press(&mut state, KeyCode::Enter);
    let detail = state.workflows.detail.as_ref().unwrap();
    let text = &detail.inspect.as_ref().unwrap().text;
    assert!(text.ends_with('}'), "{text:?}");
}
