//! Test and benchmark histories, shaped like the ones Step Functions writes.

use chrono::{DateTime, Duration, Utc};

use crate::domain::workflows::{Event, EventDetails};

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

    /// The one event that ends an execution whose history so far ends at id `last`:
    /// `ExecutionSucceeded`, `ExecutionFailed`... as the next event.
    pub fn ended_after(last: i64, kind: &str) -> Vec<Event> {
        let mut h = History::default();
        for _ in 0..last {
            h.push("Filler", 0, None, EventDetails::default());
        }
        h.push(kind, last, None, EventDetails::default());
        h.events.split_off(last as usize)
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
