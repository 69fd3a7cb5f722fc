//! The timeline of an execution, built from its history events: one entry per state entered, with
//! its type, status, times, retries and error, Parallel branches and Map iterations nested under
//! the state that ran them.
//!
//! Events are linked by `previous_id`, not by order: concurrent branches interleave, and the event
//! that ends a branch or starts the next Map iteration may point at any event of an earlier
//! branch. So each event inherits the context (group and innermost open state) of the event it
//! follows, and events that belong to a Parallel or Map state find it by walking up from there.
//! Linear in the number of events.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::{Event, ExecutionStatus};

/// What happened to a state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StateStatus {
    Running,
    Succeeded,
    Failed,
    /// Failed, then caught by a `Catch` (the execution went on).
    Caught,
    Aborted,
    TimedOut,
}

impl StateStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            StateStatus::Running => "running",
            StateStatus::Succeeded => "succeeded",
            StateStatus::Failed => "failed",
            StateStatus::Caught => "caught",
            StateStatus::Aborted => "aborted",
            StateStatus::TimedOut => "timed_out",
        }
    }

    /// Which status wins when one state name ran several times (Map iterations, loops): the one
    /// an operator must see first.
    fn weight(self) -> u8 {
        match self {
            StateStatus::Succeeded => 0,
            StateStatus::Caught => 1,
            StateStatus::Aborted => 2,
            StateStatus::TimedOut => 3,
            StateStatus::Failed => 4,
            StateStatus::Running => 5,
        }
    }
}

/// One state entered. JSON: `{"state", "type", "status", "entered", "exited", "duration_ms",
/// "retries", "error", "cause"}`; the nesting fields are for display only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TimelineEntry {
    pub state: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub status: StateStatus,
    pub entered: DateTime<Utc>,
    pub exited: Option<DateTime<Utc>>,
    pub duration_ms: Option<i64>,
    pub retries: u32,
    pub error: Option<String>,
    pub cause: Option<String>,
    /// 0 at the top level, +1 inside each Parallel branch or Map iteration.
    #[serde(skip)]
    pub depth: usize,
    /// Set on the first entry of a branch: `branch 0`, `iteration 3`.
    #[serde(skip)]
    pub group: Option<String>,
    /// The id of the event that entered the state.
    #[serde(skip)]
    pub event_id: i64,
}

/// The timeline of one execution, in display order (each state followed by its branches).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Timeline {
    pub entries: Vec<TimelineEntry>,
    /// The execution's end, once a terminal event was seen.
    pub status: Option<ExecutionStatus>,
    pub started: Option<DateTime<Utc>>,
    pub ended: Option<DateTime<Utc>>,
    /// The last event's time.
    pub last_event: Option<DateTime<Utc>>,
    /// States entered.
    pub transitions: usize,
}

impl Timeline {
    /// Build from events in any order (they are sorted by id; duplicates are ignored).
    pub fn build(events: &[Event]) -> Timeline {
        let sorted = events.windows(2).all(|w| w[0].id < w[1].id);
        if sorted {
            Builder::default().run(events.iter())
        } else {
            let mut refs: Vec<&Event> = events.iter().collect();
            refs.sort_by_key(|e| e.id);
            refs.dedup_by_key(|e| e.id);
            Builder::default().run(refs.into_iter())
        }
    }

    /// The status each state name shows in the graph: of all its runs, the most urgent.
    pub fn state_statuses(&self) -> HashMap<&str, StateStatus> {
        let mut out: HashMap<&str, StateStatus> = HashMap::new();
        for entry in &self.entries {
            out.entry(entry.state.as_str())
                .and_modify(|s| {
                    if entry.status.weight() > s.weight() {
                        *s = entry.status;
                    }
                })
                .or_insert(entry.status);
        }
        out
    }

    /// The shared time axis of the duration bars: from the start to the end (or `now` while it
    /// runs).
    pub fn span(&self, now: DateTime<Utc>) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
        let start = self
            .started
            .or_else(|| self.entries.iter().map(|e| e.entered).min())?;
        let end = match self.ended {
            Some(end) => end,
            None if self.entries.iter().any(|e| e.exited.is_none()) => {
                now.max(self.last_event.unwrap_or(now))
            }
            None => self.last_event.unwrap_or(now),
        };
        Some((start, end.max(start)))
    }
}

#[derive(Debug)]
struct Row {
    state: String,
    kind: String,
    status: StateStatus,
    entered: DateTime<Utc>,
    exited: Option<DateTime<Utc>>,
    attempts: u32,
    /// The current attempt failed (a later exit means it was caught).
    failing: bool,
    error: Option<String>,
    cause: Option<String>,
    group: usize,
    open: bool,
    event_id: i64,
    /// Groups (branches, iterations) this state ran, in order.
    children: Vec<usize>,
    /// Branches started in the current attempt (Parallel).
    branches: u32,
}

#[derive(Debug)]
struct Group {
    parent: Option<usize>,
    label: Option<String>,
    /// A Map iteration's index.
    index: Option<i64>,
    rows: Vec<usize>,
}

/// Where an event sits: its group, the innermost state it belongs to, and whether the events that
/// follow it start Parallel branches.
#[derive(Debug, Clone, Copy)]
struct Ctx {
    group: usize,
    row: Option<usize>,
    branch_point: bool,
}

const ROOT: Ctx = Ctx {
    group: 0,
    row: None,
    branch_point: false,
};

#[derive(Debug)]
struct Builder {
    rows: Vec<Row>,
    groups: Vec<Group>,
    ctx: HashMap<i64, Ctx>,
    status: Option<ExecutionStatus>,
    started: Option<DateTime<Utc>>,
    ended: Option<DateTime<Utc>>,
    last_event: Option<DateTime<Utc>>,
}

impl Default for Builder {
    fn default() -> Self {
        Builder {
            rows: Vec::new(),
            groups: vec![Group {
                parent: None,
                label: None,
                index: None,
                rows: Vec::new(),
            }],
            ctx: HashMap::new(),
            status: None,
            started: None,
            ended: None,
            last_event: None,
        }
    }
}

fn is_attempt_start(kind: &str) -> bool {
    matches!(
        kind,
        "TaskScheduled" | "ActivityScheduled" | "LambdaFunctionScheduled"
    )
}

fn is_attempt_failure(kind: &str) -> bool {
    matches!(
        kind,
        "TaskFailed"
            | "TaskTimedOut"
            | "TaskStartFailed"
            | "TaskSubmitFailed"
            | "ActivityFailed"
            | "ActivityTimedOut"
            | "ActivityScheduleFailed"
            | "LambdaFunctionFailed"
            | "LambdaFunctionTimedOut"
            | "LambdaFunctionStartFailed"
            | "LambdaFunctionScheduleFailed"
            | "EvaluationFailed"
    )
}

fn is_attempt_success(kind: &str) -> bool {
    matches!(
        kind,
        "TaskSucceeded" | "ActivitySucceeded" | "LambdaFunctionSucceeded"
    )
}

impl Builder {
    fn run<'a>(mut self, events: impl Iterator<Item = &'a Event>) -> Timeline {
        for event in events {
            if self.ctx.contains_key(&event.id) {
                continue;
            }
            let ctx = self.step(event);
            self.ctx.insert(event.id, ctx);
            self.last_event = Some(event.timestamp);
        }
        self.finish()
    }

    fn step(&mut self, e: &Event) -> Ctx {
        let prev = self.ctx.get(&e.previous_id).copied().unwrap_or(ROOT);
        let kind = e.kind.as_str();
        if e.is_state_entered() {
            let group = match (prev.branch_point, prev.row) {
                (true, Some(parallel)) => {
                    let p = &mut self.rows[parallel];
                    let n = p.branches;
                    p.branches += 1;
                    let label = if p.attempts > 1 {
                        format!("branch {n}, attempt {}", p.attempts)
                    } else {
                        format!("branch {n}")
                    };
                    self.new_group(parallel, label, None)
                }
                _ => prev.group,
            };
            let row = self.rows.len();
            self.rows.push(Row {
                state: e.state.clone().unwrap_or_default(),
                kind: e.state_type().unwrap_or_default().to_owned(),
                status: StateStatus::Running,
                entered: e.timestamp,
                exited: None,
                attempts: 0,
                failing: false,
                error: None,
                cause: None,
                group,
                open: true,
                event_id: e.id,
                children: Vec::new(),
                branches: 0,
            });
            self.groups[group].rows.push(row);
            return Ctx {
                group,
                row: Some(row),
                branch_point: false,
            };
        }
        if e.is_state_exited() {
            let name = e.state.as_deref().unwrap_or_default();
            let Some(row) = self.find_up(prev.row, |r| r.state == name) else {
                return prev;
            };
            self.close_descendants(row, e.timestamp, StateStatus::Aborted);
            let r = &mut self.rows[row];
            r.open = false;
            r.exited = Some(e.timestamp);
            r.status = if r.failing {
                StateStatus::Caught
            } else {
                StateStatus::Succeeded
            };
            return self.at(row);
        }
        match kind {
            "ExecutionStarted" => {
                self.started = Some(e.timestamp);
                ROOT
            }
            "ParallelStateStarted" | "MapStateStarted" => {
                let Some(row) = self.find_up(prev.row, |r| r.kind == "Parallel" || r.kind == "Map")
                else {
                    return prev;
                };
                if self.rows[row].attempts > 0 {
                    // A retry: the previous attempt's branches are over.
                    self.close_descendants(row, e.timestamp, StateStatus::Aborted);
                }
                let r = &mut self.rows[row];
                r.attempts += 1;
                r.branches = 0;
                r.failing = false;
                Ctx {
                    branch_point: kind == "ParallelStateStarted",
                    ..self.at(row)
                }
            }
            "MapIterationStarted" => {
                let Some(row) = self.find_up(prev.row, |r| r.kind == "Map") else {
                    return prev;
                };
                let index = e.details.index;
                let label = match index {
                    Some(i) => format!("iteration {i}"),
                    None => format!("iteration {}", self.rows[row].children.len()),
                };
                let group = self.new_group(row, label, index);
                Ctx {
                    group,
                    row: Some(row),
                    branch_point: false,
                }
            }
            "MapIterationFailed" | "MapIterationAborted" => {
                if let Some(row) = self.find_up(prev.row, |r| r.kind == "Map") {
                    let status = if kind == "MapIterationFailed" {
                        StateStatus::Failed
                    } else {
                        StateStatus::Aborted
                    };
                    let groups: Vec<usize> = self.rows[row]
                        .children
                        .iter()
                        .copied()
                        .filter(|&g| {
                            e.details.index.is_none() || self.groups[g].index == e.details.index
                        })
                        .collect();
                    for g in groups {
                        self.close_group(g, e.timestamp, status);
                    }
                }
                prev
            }
            "ParallelStateFailed"
            | "MapStateFailed"
            | "ParallelStateAborted"
            | "MapStateAborted" => {
                let Some(row) = self.find_up(prev.row, |r| r.kind == "Parallel" || r.kind == "Map")
                else {
                    return prev;
                };
                let aborted = kind.ends_with("Aborted");
                self.close_descendants(
                    row,
                    e.timestamp,
                    if aborted {
                        StateStatus::Aborted
                    } else {
                        StateStatus::Failed
                    },
                );
                let inner = self.last_descendant_error(row);
                let r = &mut self.rows[row];
                r.failing = true;
                r.status = if aborted {
                    StateStatus::Aborted
                } else {
                    StateStatus::Failed
                };
                if let Some(error) = e.details.error.clone().filter(|s| !s.is_empty()) {
                    r.error = Some(error);
                    r.cause = e.details.cause.clone();
                } else if let Some((error, cause)) = inner {
                    r.error = Some(error);
                    r.cause = cause;
                }
                self.at(row)
            }
            "ParallelStateSucceeded" | "MapStateSucceeded" => {
                match self.find_up(prev.row, |r| r.kind == "Parallel" || r.kind == "Map") {
                    Some(row) => self.at(row),
                    None => prev,
                }
            }
            k if is_attempt_start(k) => {
                if let Some(row) = self.find_up(prev.row, |_| true) {
                    let r = &mut self.rows[row];
                    r.attempts += 1;
                    r.failing = false;
                }
                prev
            }
            k if is_attempt_failure(k) => {
                if let Some(row) = self.find_up(prev.row, |_| true) {
                    let r = &mut self.rows[row];
                    r.failing = true;
                    r.status = StateStatus::Failed;
                    r.error = e.details.error.clone().or_else(|| Some(k.to_owned()));
                    r.cause = e.details.cause.clone();
                }
                prev
            }
            k if is_attempt_success(k) => {
                if let Some(row) = self.find_up(prev.row, |_| true) {
                    let r = &mut self.rows[row];
                    r.failing = false;
                    r.status = StateStatus::Running;
                }
                prev
            }
            _ => {
                if let Some(status) = e.terminal_status() {
                    self.end(e, prev, status);
                    return ROOT;
                }
                prev
            }
        }
    }

    fn end(&mut self, e: &Event, prev: Ctx, status: ExecutionStatus) {
        self.status = Some(status);
        self.ended = Some(e.timestamp);
        let row_status = match status {
            ExecutionStatus::Succeeded => StateStatus::Succeeded,
            ExecutionStatus::Aborted => StateStatus::Aborted,
            ExecutionStatus::TimedOut => StateStatus::TimedOut,
            ExecutionStatus::Failed
            | ExecutionStatus::Running
            | ExecutionStatus::PendingRedrive => StateStatus::Failed,
        };
        // The state the execution failed in carries the execution's error, unless it has its own.
        if status == ExecutionStatus::Failed
            && let Some(row) = self.find_up(prev.row, |_| true)
            && self.rows[row].error.is_none()
        {
            let error = e.details.error.clone().filter(|s| !s.is_empty());
            self.rows[row].error = error;
            self.rows[row].cause = e.details.cause.clone().filter(|s| !s.is_empty());
        }
        for r in self.rows.iter_mut().filter(|r| r.open) {
            r.open = false;
            r.exited = Some(e.timestamp);
            r.status = row_status;
        }
    }

    fn new_group(&mut self, parent: usize, label: String, index: Option<i64>) -> usize {
        let group = self.groups.len();
        self.groups.push(Group {
            parent: Some(parent),
            label: Some(label),
            index,
            rows: Vec::new(),
        });
        self.rows[parent].children.push(group);
        group
    }

    fn at(&self, row: usize) -> Ctx {
        Ctx {
            group: self.rows[row].group,
            row: Some(row),
            branch_point: false,
        }
    }

    /// The nearest open state from `start` outwards (itself, then the state running its branch...)
    /// that matches; else the latest open state anywhere that matches.
    fn find_up(&self, start: Option<usize>, matches: impl Fn(&Row) -> bool) -> Option<usize> {
        let mut cur = start;
        while let Some(row) = cur {
            let r = &self.rows[row];
            if r.open && matches(r) {
                return Some(row);
            }
            cur = self.groups[r.group].parent;
        }
        self.rows.iter().rposition(|r| r.open && matches(r))
    }

    /// Close every open state inside `row`'s branches. A Fail state that was reached failed; the
    /// rest stopped with `status`.
    fn close_descendants(&mut self, row: usize, at: DateTime<Utc>, status: StateStatus) {
        let groups = self.rows[row].children.clone();
        for g in groups {
            self.close_group(g, at, status);
        }
    }

    fn close_group(&mut self, group: usize, at: DateTime<Utc>, status: StateStatus) {
        let rows = self.groups[group].rows.clone();
        for row in rows {
            self.close_descendants(row, at, status);
            let r = &mut self.rows[row];
            if r.open {
                r.open = false;
                r.exited = Some(at);
                r.status = if r.kind == "Fail" || r.failing {
                    StateStatus::Failed
                } else {
                    status
                };
            }
        }
    }

    /// The error of the last failed state inside `row`'s branches, if any.
    fn last_descendant_error(&self, row: usize) -> Option<(String, Option<String>)> {
        for &g in self.rows[row].children.iter().rev() {
            for &child in self.groups[g].rows.iter().rev() {
                if let Some(found) = self.last_descendant_error(child) {
                    return Some(found);
                }
                let c = &self.rows[child];
                if let Some(error) = &c.error {
                    return Some((error.clone(), c.cause.clone()));
                }
            }
        }
        None
    }

    fn finish(self) -> Timeline {
        let mut entries = Vec::with_capacity(self.rows.len());
        // Depth-first, iteratively: a Map of thousands of iterations must not recurse deeply.
        let mut stack: Vec<(usize, usize, usize)> = vec![(0, 0, 0)];
        while let Some((group, pos, depth)) = stack.pop() {
            let Some(&row) = self.groups[group].rows.get(pos) else {
                continue;
            };
            stack.push((group, pos + 1, depth));
            let r = &self.rows[row];
            let label = if pos == 0 {
                self.groups[group].label.clone()
            } else {
                None
            };
            entries.push(TimelineEntry {
                state: r.state.clone(),
                kind: r.kind.clone(),
                status: r.status,
                entered: r.entered,
                exited: r.exited,
                duration_ms: r.exited.map(|x| (x - r.entered).num_milliseconds().max(0)),
                retries: r.attempts.saturating_sub(1),
                error: r.error.clone(),
                cause: r.cause.clone(),
                depth,
                group: label,
                event_id: r.event_id,
            });
            for &child in r.children.iter().rev() {
                stack.push((child, 0, depth + 1));
            }
        }
        Timeline {
            transitions: self.rows.len(),
            entries,
            status: self.status,
            started: self.started,
            ended: self.ended,
            last_event: self.last_event,
        }
    }
}

/// Test and benchmark histories, shaped like the ones Step Functions writes.
pub mod fixtures {
    use chrono::{DateTime, Duration, Utc};

    use super::super::{Event, EventDetails};

    /// Builds a history event by event, ids from 1, 1 ms apart.
    #[derive(Debug, Default)]
    pub struct History {
        pub events: Vec<Event>,
    }

    impl History {
        pub fn new() -> History {
            let mut h = History::default();
            h.push("ExecutionStarted", 0, None, EventDetails::default());
            h
        }

        /// Add an event after `previous` (0: none); its id.
        pub fn push(
            &mut self,
            kind: &str,
            previous: i64,
            state: Option<&str>,
            details: EventDetails,
        ) -> i64 {
            let id = self.events.len() as i64 + 1;
            let start = DateTime::<Utc>::from_timestamp(1_700_000_000, 0).unwrap_or_default();
            self.events.push(Event {
                id,
                previous_id: previous,
                kind: kind.to_owned(),
                timestamp: start + Duration::milliseconds(id),
                state: state.map(str::to_owned),
                details,
            });
            id
        }

        pub fn last(&self) -> i64 {
            self.events.len() as i64
        }

        /// Enter and exit a state of `kind` after `previous`; the exit's id.
        pub fn state(&mut self, kind: &str, name: &str, previous: i64) -> i64 {
            let entered = self.push(
                &format!("{kind}StateEntered"),
                previous,
                Some(name),
                EventDetails {
                    input: Some("{}".into()),
                    ..EventDetails::default()
                },
            );
            self.push(
                &format!("{kind}StateExited"),
                entered,
                Some(name),
                EventDetails {
                    output: Some("{}".into()),
                    ..EventDetails::default()
                },
            )
        }

        pub fn error(error: &str, cause: &str) -> EventDetails {
            EventDetails {
                error: Some(error.into()),
                cause: Some(cause.into()),
                ..EventDetails::default()
            }
        }
    }

    /// A history of about `n` events: a Map whose iterations each run a retried Task and a Pass,
    /// then success; the shape of a busy, long execution.
    pub fn busy_history(n: usize) -> Vec<Event> {
        let mut h = History::new();
        let entered = h.push(
            "MapStateEntered",
            1,
            Some("ProcessItems"),
            EventDetails::default(),
        );
        let started = h.push("MapStateStarted", entered, None, EventDetails::default());
        let mut index = 0;
        let mut last = started;
        while h.events.len() + 12 < n {
            let it = h.push(
                "MapIterationStarted",
                last,
                Some("ProcessItems"),
                EventDetails {
                    index: Some(index),
                    ..EventDetails::default()
                },
            );
            let task = h.push(
                "TaskStateEntered",
                it,
                Some("Charge"),
                EventDetails::default(),
            );
            let s1 = h.push(
                "TaskScheduled",
                task,
                Some("Charge"),
                EventDetails::default(),
            );
            let f1 = h.push(
                "TaskFailed",
                s1,
                Some("Charge"),
                History::error("Throttled", "slow down"),
            );
            let s2 = h.push("TaskScheduled", f1, Some("Charge"), EventDetails::default());
            let ok = h.push("TaskSucceeded", s2, Some("Charge"), EventDetails::default());
            let exit = h.push(
                "TaskStateExited",
                ok,
                Some("Charge"),
                EventDetails::default(),
            );
            let pass = h.state("Pass", "Record", exit);
            last = h.push(
                "MapIterationSucceeded",
                pass,
                Some("ProcessItems"),
                EventDetails {
                    index: Some(index),
                    ..EventDetails::default()
                },
            );
            index += 1;
        }
        let done = h.push("MapStateSucceeded", last, None, EventDetails::default());
        let exit = h.push(
            "MapStateExited",
            done,
            Some("ProcessItems"),
            EventDetails::default(),
        );
        h.push("ExecutionSucceeded", exit, None, EventDetails::default());
        h.events
    }
}

#[cfg(test)]
mod tests {
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
}
