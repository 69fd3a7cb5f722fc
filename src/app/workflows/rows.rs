//! The rows of the pane's tables: the machine list's, and a detail's timeline and events (the
//! executions' are in `executions.rs`).

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use super::{DetailTab, DetailView, HistoryState};
use crate::app::list::{ListPane, Listing};
use crate::app::table::{Rows, SortKey};
use crate::domain::time;
use crate::domain::workflows::timeline::TimelineEntry;
use crate::domain::workflows::{Event, MachineType, StateMachine, pretty_json};
use crate::rows::Cells;

impl Cells for StateMachine {
    fn headers() -> &'static [&'static str] {
        &["NAME", "TYPE", "CREATED", "ARN"]
    }

    fn cells(&self) -> Vec<String> {
        vec![
            self.name.clone(),
            self.kind.as_str().into(),
            self.created.map(time::stamp).unwrap_or_default(),
            self.arn.clone(),
        ]
    }
}

impl Listing for StateMachine {
    fn key(&self) -> String {
        self.arn.clone()
    }

    fn screen_cells(&self, now: DateTime<Utc>) -> Vec<String> {
        let mut cells = self.cells();
        cells[2] = self.created.map(|t| time::age(t, now)).unwrap_or_default();
        cells
    }

    fn sort_key(&self, column: usize) -> SortKey {
        match column {
            2 => SortKey::time(self.created),
            _ => self
                .cells()
                .get(column)
                .map_or(SortKey::Empty, |c| SortKey::cell(c)),
        }
    }

    fn fields(&self) -> Vec<(String, String)> {
        vec![
            ("NAME".into(), self.name.clone()),
            ("TYPE".into(), self.kind.as_str().into()),
            (
                "CREATED".into(),
                self.created.map(time::stamp).unwrap_or_default(),
            ),
            ("ARN".into(), self.arn.clone()),
        ]
    }
}

/// The machine list with the running and failed counts the table shows beside each machine.
pub struct MachineRows<'a> {
    pub list: &'a ListPane<StateMachine>,
    pub counts: &'a HashMap<String, (usize, usize)>,
}

impl MachineRows<'_> {
    /// Running and failed executions; `None` for an express machine (no history to count) or
    /// while counting.
    fn counts(&self, m: &StateMachine) -> Option<(usize, usize)> {
        if m.kind == MachineType::Express {
            return None;
        }
        self.counts.get(&m.arn).copied()
    }
}

impl Rows for MachineRows<'_> {
    fn headers(&self) -> &'static [&'static str] {
        &["NAME", "TYPE", "CREATED", "RUNNING", "FAILED", "ARN"]
    }

    fn count(&self) -> usize {
        self.list.items().len()
    }

    fn cells(&self, row: usize) -> Option<Vec<String>> {
        let m = self.list.items().get(row)?;
        let (running, failed) = match (m.kind, self.counts(m)) {
            (MachineType::Express, _) => ("-".to_owned(), "-".to_owned()),
            (_, Some((r, f))) => (r.to_string(), f.to_string()),
            (_, None) => ("…".to_owned(), "…".to_owned()),
        };
        Some(vec![
            m.name.clone(),
            m.kind.as_str().into(),
            m.created.map(time::stamp).unwrap_or_default(),
            running,
            failed,
            m.arn.clone(),
        ])
    }

    fn sort_key(&self, row: usize, column: usize) -> SortKey {
        let Some(m) = self.list.items().get(row) else {
            return SortKey::Empty;
        };
        let count = |pick: fn((usize, usize)) -> usize| {
            SortKey::number(self.counts(m).map(|c| pick(c) as i64))
        };
        match column {
            2 => SortKey::time(m.created),
            3 => count(|(running, _)| running),
            4 => count(|(_, failed)| failed),
            c => self
                .cells(row)
                .and_then(|cells| cells.get(c).map(|c| SortKey::cell(c)))
                .unwrap_or(SortKey::Empty),
        }
    }
}

/// The timeline's and the events' columns.
const TIMELINE_HEADERS: &[&str] = &[
    "STATE", "TYPE", "STATUS", "ENTERED", "DURATION", "RETRIES", "ERROR",
];
const EVENT_HEADERS: &[&str] = &["ID", "TYPE", "TIME", "STATE", "DETAILS"];

impl DetailView {
    /// Until when a state still running has run: the last poll, else the last event.
    pub fn now(&self) -> DateTime<Utc> {
        match &self.history {
            HistoryState::Ready { fetched_at } => *fetched_at,
            _ => self.timeline.last_event.unwrap_or_default(),
        }
    }

    fn timeline_cells(&self, e: &TimelineEntry) -> Vec<String> {
        vec![
            e.state.clone(),
            e.kind.clone(),
            e.status.as_str().to_owned(),
            time::stamp(e.entered),
            self.entry_duration(e),
            e.retries.to_string(),
            e.error.clone().unwrap_or_default(),
        ]
    }

    /// The summary in full, for the detail view: the execution, then what describing it said
    /// (input, output, error and cause whole).
    pub fn summary_fields(&self) -> Vec<(String, String)> {
        let e = &self.execution;
        let mut fields: Vec<(String, String)> = vec![
            ("NAME".into(), e.name.clone()),
            ("STATUS".into(), e.status.as_str().to_owned()),
            ("STARTED".into(), time::stamp(e.started)),
            (
                "STOPPED".into(),
                e.stopped.map(time::stamp).unwrap_or_default(),
            ),
            (
                "DURATION".into(),
                e.duration_ms(self.now())
                    .map(time::duration)
                    .unwrap_or_default(),
            ),
            ("TRANSITIONS".into(), self.timeline.transitions.to_string()),
            ("STATE MACHINE".into(), e.machine_arn.clone()),
            ("ARN".into(), e.arn.clone()),
        ];
        if let Some(d) = self.describe.value() {
            let json = |v: &Option<String>| v.as_deref().map(pretty_json).unwrap_or_default();
            fields.extend([
                ("REVISION".into(), d.revision()),
                ("ERROR".into(), d.error.clone().unwrap_or_default()),
                ("CAUSE".into(), json(&d.cause)),
                ("PARENT".into(), d.parent().unwrap_or_default()),
                ("REDRIVES".into(), d.redrive_count.to_string()),
                ("INPUT".into(), json(&d.input)),
                ("OUTPUT".into(), json(&d.output)),
            ]);
        }
        fields
    }

    /// A state's duration; `…` after it while it runs.
    pub fn entry_duration(&self, e: &TimelineEntry) -> String {
        match e.duration_ms {
            Some(ms) => time::duration(ms),
            None => time::duration((self.now() - e.entered).num_milliseconds()) + "…",
        }
    }
}

/// The short text of an event's details: its error and cause, else its input or output.
pub fn event_summary(e: &Event) -> String {
    e.details
        .error
        .as_ref()
        .map(|err| format!("{} {}", err, e.details.cause.as_deref().unwrap_or_default()))
        .or_else(|| e.details.input.clone().map(|x| format!("in {x}")))
        .or_else(|| e.details.output.clone().map(|x| format!("out {x}")))
        .unwrap_or_default()
}

fn event_cells(e: &Event) -> Vec<String> {
    vec![
        e.id.to_string(),
        e.kind.clone(),
        time::rfc3339_ms(e.timestamp),
        match (e.state.as_deref(), e.details.index) {
            (Some(s), Some(i)) => format!("{s} [{i}]"),
            (Some(s), None) => s.to_owned(),
            (None, _) => String::new(),
        },
        event_summary(e),
    ]
}

/// The rows of the tab on screen: the timeline's states or the events (the summary and the
/// graph have none).
impl Rows for DetailView {
    fn headers(&self) -> &'static [&'static str] {
        match self.tab {
            DetailTab::Events => EVENT_HEADERS,
            _ => TIMELINE_HEADERS,
        }
    }

    fn count(&self) -> usize {
        match self.tab {
            DetailTab::Events => self.log.events().len(),
            DetailTab::Timeline => self.timeline.entries.len(),
            _ => 0,
        }
    }

    fn cells(&self, row: usize) -> Option<Vec<String>> {
        match self.tab {
            DetailTab::Events => self.log.events().get(row).map(event_cells),
            DetailTab::Timeline => self
                .timeline
                .entries
                .get(row)
                .map(|e| self.timeline_cells(e)),
            _ => None,
        }
    }

    fn sort_key(&self, row: usize, column: usize) -> SortKey {
        match self.tab {
            DetailTab::Events => match (self.log.events().get(row), column) {
                (Some(e), 0) => SortKey::number(Some(e.id)),
                (Some(e), 2) => SortKey::time(Some(e.timestamp)),
                (Some(e), c) => event_cells(e)
                    .get(c)
                    .map_or(SortKey::Empty, |c| SortKey::cell(c)),
                (None, _) => SortKey::Empty,
            },
            DetailTab::Timeline => match (self.timeline.entries.get(row), column) {
                (Some(e), 3) => SortKey::time(Some(e.entered)),
                (Some(e), 4) => SortKey::number(Some(
                    e.duration_ms
                        .unwrap_or_else(|| (self.now() - e.entered).num_milliseconds()),
                )),
                (Some(e), 5) => SortKey::number(Some(i64::from(e.retries))),
                (Some(e), c) => self
                    .timeline_cells(e)
                    .get(c)
                    .map_or(SortKey::Empty, |c| SortKey::cell(c)),
                (None, _) => SortKey::Empty,
            },
            _ => SortKey::Empty,
        }
    }

    fn fields(&self, row: usize) -> Option<Vec<(String, String)>> {
        let mut fields = Vec::new();
        let mut push = |name: &str, value: String| fields.push((name.to_owned(), value));
        match self.tab {
            DetailTab::Events => {
                let e = self.log.events().get(row)?;
                push("ID", e.id.to_string());
                push("PREVIOUS ID", e.previous_id.to_string());
                push("TYPE", e.kind.clone());
                push("TIME", time::rfc3339_ms(e.timestamp));
                push("STATE", e.state.clone().unwrap_or_default());
                let d = &e.details;
                for (name, value) in [
                    ("INPUT", &d.input),
                    ("OUTPUT", &d.output),
                    ("ERROR", &d.error),
                    ("CAUSE", &d.cause),
                    ("RESOURCE", &d.resource),
                    ("RESOURCE TYPE", &d.resource_type),
                ] {
                    if let Some(value) = value {
                        push(name, pretty_json(value));
                    }
                }
                if let Some(i) = d.index {
                    push("INDEX", i.to_string());
                }
                if let Some(n) = d.length {
                    push("LENGTH", n.to_string());
                }
            }
            DetailTab::Timeline => {
                let e = self.timeline.entries.get(row)?;
                for (name, value) in TIMELINE_HEADERS.iter().zip(self.timeline_cells(e)) {
                    push(name, value);
                }
                push("EXITED", e.exited.map(time::stamp).unwrap_or_default());
                push(
                    "CAUSE",
                    e.cause.as_deref().map(pretty_json).unwrap_or_default(),
                );
                if let Some(group) = &e.group {
                    push("GROUP", group.clone());
                }
            }
            _ => return None,
        }
        Some(fields)
    }
}
