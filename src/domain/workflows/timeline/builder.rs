//! The timeline's builder: one pass over the events, linking each to the context of the event it
//! follows (its group and innermost open state), then a depth-first walk into display order.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use super::{StateStatus, Timeline, TimelineEntry};
use crate::domain::workflows::{Event, ExecutionStatus};

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
pub(super) struct Builder {
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
    pub(super) fn run<'a>(mut self, events: impl Iterator<Item = &'a Event>) -> Timeline {
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
