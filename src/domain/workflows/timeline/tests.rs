//! The timeline built from histories of every shape: sequences, branches, iterations, retries,
//! catches, aborts, and events out of order.

use super::fixtures::{History, busy_history};
use super::*;
use crate::domain::workflows::EventDetails;

fn names(t: &Timeline) -> Vec<(usize, &str, StateStatus)> {
    t.entries
        .iter()
        .map(|e| (e.depth, e.state.as_str(), e.status))
        .collect()
}

#[test]
fn sequential_states_are_one_row_each_with_durations() {
    let mut h = History::new();
    let a = h.state("Pass", "A", 1);
    let b = h.state("Wait", "B", a);
    h.push("ExecutionSucceeded", b, None, EventDetails::default());
    let t = Timeline::build(&h.events);
    assert_eq!(
        names(&t),
        [
            (0, "A", StateStatus::Succeeded),
            (0, "B", StateStatus::Succeeded)
        ]
    );
    assert_eq!(t.entries[1].kind, "Wait");
    assert_eq!(t.entries[0].duration_ms, Some(1));
    assert_eq!(t.status, Some(ExecutionStatus::Succeeded));
    assert_eq!(t.transitions, 2);
}

#[test]
fn a_state_still_running_has_no_exit_and_no_duration() {
    let mut h = History::new();
    let a = h.state("Pass", "A", 1);
    h.push("WaitStateEntered", a, Some("B"), EventDetails::default());
    let t = Timeline::build(&h.events);
    assert_eq!(t.entries[1].status, StateStatus::Running);
    assert_eq!(t.entries[1].exited, None);
    assert_eq!(t.entries[1].duration_ms, None);
    assert_eq!(t.status, None);
}

/// The shape the emulator writes for the demo's onboarding: branch ends and the next Map
/// iteration point at events of earlier branches.
#[test]
fn parallel_branches_and_map_iterations_nest_under_their_state() {
    let mut h = History::new();
    let p = h.push(
        "ParallelStateEntered",
        1,
        Some("Provision"),
        EventDetails::default(),
    );
    let ps = h.push("ParallelStateStarted", p, None, EventDetails::default());
    let b0 = h.state("Pass", "Groups", ps);
    let b1a = h.state("Pass", "Dns", ps);
    let b1b = h.state("Wait", "WaitDns", b1a);
    let _ = b0;
    let done = h.push("ParallelStateSucceeded", b1b, None, EventDetails::default());
    let pexit = h.push(
        "ParallelStateExited",
        done,
        Some("Provision"),
        EventDetails::default(),
    );
    let m = h.push(
        "MapStateEntered",
        pexit,
        Some("Seed"),
        EventDetails::default(),
    );
    let ms = h.push("MapStateStarted", m, None, EventDetails::default());
    let iter = |i| EventDetails {
        index: Some(i),
        ..EventDetails::default()
    };
    let i0 = h.push("MapIterationStarted", ms, Some("Seed"), iter(0));
    let x0 = h.state("Pass", "Role", i0);
    // The emulator links the next iteration's start to the previous iteration's exit.
    let i1 = h.push("MapIterationStarted", x0, Some("Seed"), iter(1));
    h.push("MapIterationSucceeded", x0, Some("Seed"), iter(0));
    let x1 = h.state("Pass", "Role", i1);
    h.push("MapIterationSucceeded", x1, Some("Seed"), iter(1));
    let md = h.push("MapStateSucceeded", x1, None, EventDetails::default());
    let mexit = h.push("MapStateExited", md, Some("Seed"), EventDetails::default());
    h.push("ExecutionSucceeded", mexit, None, EventDetails::default());

    let t = Timeline::build(&h.events);
    assert_eq!(
        names(&t),
        [
            (0, "Provision", StateStatus::Succeeded),
            (1, "Groups", StateStatus::Succeeded),
            (1, "Dns", StateStatus::Succeeded),
            (1, "WaitDns", StateStatus::Succeeded),
            (0, "Seed", StateStatus::Succeeded),
            (1, "Role", StateStatus::Succeeded),
            (1, "Role", StateStatus::Succeeded),
        ]
    );
    let groups: Vec<Option<&str>> = t.entries.iter().map(|e| e.group.as_deref()).collect();
    assert_eq!(
        groups,
        [
            None,
            Some("branch 0"),
            Some("branch 1"),
            None,
            None,
            Some("iteration 0"),
            Some("iteration 1")
        ]
    );
}

#[test]
fn a_retried_task_counts_retries_and_keeps_the_last_error() {
    let mut h = History::new();
    let e = h.push(
        "TaskStateEntered",
        1,
        Some("Charge"),
        EventDetails::default(),
    );
    let s = h.push("TaskScheduled", e, None, EventDetails::default());
    let f = h.push("TaskFailed", s, None, History::error("Timeout", "slow"));
    let s = h.push("TaskScheduled", f, None, EventDetails::default());
    let f = h.push("TaskFailed", s, None, History::error("Boom", "broken"));
    h.push("ExecutionFailed", f, None, History::error("Boom", "broken"));
    let t = Timeline::build(&h.events);
    let row = &t.entries[0];
    assert_eq!(row.retries, 1);
    assert_eq!(row.status, StateStatus::Failed);
    assert_eq!(row.error.as_deref(), Some("Boom"));
    assert_eq!(row.cause.as_deref(), Some("broken"));
    assert_eq!(t.status, Some(ExecutionStatus::Failed));
}

#[test]
fn a_caught_failure_is_marked_caught_and_the_fail_state_carries_the_execution_error() {
    // The demo's invoice export, as the emulator writes it.
    let mut h = History::new();
    let w = h.push(
        "ParallelStateEntered",
        1,
        Some("WriteExport"),
        EventDetails::default(),
    );
    let s = h.push("ParallelStateStarted", w, None, EventDetails::default());
    let f = h.push("FailStateEntered", s, Some("Put"), EventDetails::default());
    let s = h.push("ParallelStateStarted", f, None, EventDetails::default());
    let f = h.push("FailStateEntered", s, Some("Put"), EventDetails::default());
    let pf = h.push("ParallelStateFailed", f, None, EventDetails::default());
    let x = h.push(
        "ParallelStateExited",
        pf,
        Some("WriteExport"),
        EventDetails::default(),
    );
    let n = h.state("Pass", "Notify", x);
    let fail = h.push(
        "FailStateEntered",
        n,
        Some("ExportFailed"),
        EventDetails::default(),
    );
    h.push(
        "ExecutionFailed",
        fail,
        None,
        History::error("Export.Denied", "bucket policy"),
    );
    let t = Timeline::build(&h.events);
    assert_eq!(
        names(&t),
        [
            (0, "WriteExport", StateStatus::Caught),
            (1, "Put", StateStatus::Failed),
            (1, "Put", StateStatus::Failed),
            (0, "Notify", StateStatus::Succeeded),
            (0, "ExportFailed", StateStatus::Failed),
        ]
    );
    assert_eq!(t.entries[0].retries, 1);
    let last = &t.entries[4];
    assert_eq!(last.error.as_deref(), Some("Export.Denied"));
    assert_eq!(last.cause.as_deref(), Some("bucket policy"));
}

#[test]
fn aborted_and_timed_out_executions_stop_the_open_states() {
    for (kind, status) in [
        ("ExecutionAborted", StateStatus::Aborted),
        ("ExecutionTimedOut", StateStatus::TimedOut),
    ] {
        let mut h = History::new();
        let a = h.state("Pass", "A", 1);
        h.push("WaitStateEntered", a, Some("B"), EventDetails::default());
        // The emulator links an abort to no event at all.
        h.push(kind, 0, None, EventDetails::default());
        let t = Timeline::build(&h.events);
        assert_eq!(t.entries[1].status, status);
        assert!(t.entries[1].duration_ms.is_some());
        assert_eq!(t.entries[0].status, StateStatus::Succeeded);
    }
}

#[test]
fn events_out_of_order_or_twice_build_the_same_timeline() {
    let events = busy_history(200);
    let expected = Timeline::build(&events);
    let mut shuffled: Vec<Event> = events.iter().rev().cloned().collect();
    shuffled.extend(events.iter().take(50).cloned());
    assert_eq!(Timeline::build(&shuffled), expected);
}

#[test]
fn a_busy_history_of_25000_events_has_one_row_per_state_entered() {
    let events = busy_history(25_000);
    let entered = events.iter().filter(|e| e.is_state_entered()).count();
    let t = Timeline::build(&events);
    assert_eq!(t.entries.len(), entered);
    assert!(t.entries.iter().skip(1).all(|e| e.depth == 1));
    let charge = &t.entries[1];
    assert_eq!((charge.retries, charge.status), (1, StateStatus::Succeeded));
    assert_eq!(t.status, Some(ExecutionStatus::Succeeded));
}

#[test]
fn graph_statuses_prefer_the_most_urgent_run_of_a_state() {
    let mut h = History::new();
    let e = h.state("Pass", "Loop", 1);
    h.push("PassStateEntered", e, Some("Loop"), EventDetails::default());
    let t = Timeline::build(&h.events);
    assert_eq!(t.state_statuses()["Loop"], StateStatus::Running);
}

#[test]
fn timeline_json_has_exactly_the_documented_keys() {
    let mut h = History::new();
    h.state("Pass", "A", 1);
    let t = Timeline::build(&h.events);
    let json = serde_json::to_string(&t.entries[0]).unwrap();
    let keys = [
        "state",
        "type",
        "status",
        "entered",
        "exited",
        "duration_ms",
        "retries",
        "error",
        "cause",
    ];
    let positions: Vec<usize> = keys
        .iter()
        .map(|k| {
            json.find(&format!("\"{k}\":"))
                .unwrap_or_else(|| panic!("{k}: {json}"))
        })
        .collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "{json}");
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(value.as_object().unwrap().len(), keys.len(), "{json}");
}
