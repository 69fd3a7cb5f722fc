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

mod builder;
pub mod fixtures;
#[cfg(test)]
mod tests;

use builder::Builder;

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
