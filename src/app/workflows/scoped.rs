//! The pane across a scope: the organisation's state machines (every account × region) and the
//! failures view (the failed, timed-out and aborted executions of the scope within a window,
//! newest first, with a chart per time bucket). Both fill in as targets answer (the runtime's
//! fan-out is `services::scope`); a target that could not be read is a row of its own saying
//! why, as in the DNS organisation views.

use chrono::{DateTime, Duration, Utc};

use super::msg::Reach;
use crate::app::loadable::RequestId;
use crate::app::table::{Rows, SortKey, TableView};
use crate::domain::time;
use crate::domain::workflows::{ExecutionStatus, MachineType, StateMachine, WorkflowChange};
use crate::rows::workflows::Place;
use crate::services::ServiceError;
use crate::services::scope::Status;
use crate::services::workflows::scoped::{CountedMachine, FoundExecution};

/// Time buckets of the failures chart.
pub const BUCKETS: usize = 24;

/// A target that could not be read (completely): its place and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unread {
    pub place: Place,
    pub status: Status,
}

impl Unread {
    /// `denied: the role could not be assumed…`
    pub fn text(&self) -> String {
        format!(
            "{}: {}",
            self.status.word(),
            self.status.error().unwrap_or_default()
        )
    }
}

/// How far a scoped read has come.
#[derive(Debug, Default)]
pub struct Progress {
    /// The read in flight; answers to another are dropped.
    pub request: Option<RequestId>,
    pub answered: usize,
    /// How many targets the scope has, once every one answered.
    pub targets: Option<usize>,
    /// The account list could not be read: nothing was.
    pub error: Option<ServiceError>,
    pub finished: Option<DateTime<Utc>>,
    pub unread: Vec<Unread>,
}

impl Progress {
    fn start(request: RequestId) -> Progress {
        Progress {
            request: Some(request),
            ..Progress::default()
        }
    }

    /// Still reading.
    pub fn is_busy(&self) -> bool {
        self.request.is_some() && self.finished.is_none() && self.error.is_none()
    }

    /// A target answered: counted, and kept when it failed.
    fn answered(&mut self, place: Place, status: Status) {
        self.answered += 1;
        if status.error().is_some() {
            self.unread.push(Unread { place, status });
        }
    }

    fn done(&mut self, targets: usize, error: Option<ServiceError>, at: DateTime<Utc>) {
        self.targets = Some(targets);
        self.error = error;
        self.finished = Some(at);
    }
}

/// A state machine of the organisation with where it lives and its counts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgMachine {
    pub place: Place,
    pub machine: StateMachine,
    pub counts: Option<(usize, usize)>,
}

/// Every state machine of every account × region of the organisation scope.
#[derive(Debug, Default)]
pub struct OrgMachines {
    pub regions: Vec<String>,
    /// Targets that failed first, then the machines in the order they arrived.
    pub items: Vec<OrgMachine>,
    pub progress: Progress,
    pub table: TableView,
    haystacks: Vec<String>,
}

/// One row of a scoped table: a target that could not be read, or an item.
pub enum ScopedRow<'a, T> {
    Unread(&'a Unread),
    Item(&'a T),
}

impl OrgMachines {
    pub(super) fn new(regions: Vec<String>, request: RequestId) -> OrgMachines {
        OrgMachines {
            regions,
            progress: Progress::start(request),
            ..OrgMachines::default()
        }
    }

    pub(super) fn on_target(
        &mut self,
        request: RequestId,
        place: Place,
        status: Status,
        machines: Vec<CountedMachine>,
    ) {
        if self.progress.request != Some(request) {
            return;
        }
        self.progress.answered(place.clone(), status);
        self.items.extend(machines.into_iter().map(|c| OrgMachine {
            place: place.clone(),
            machine: c.machine,
            counts: c.counts,
        }));
        self.refilter();
    }

    pub(super) fn on_done(
        &mut self,
        request: RequestId,
        targets: usize,
        error: Option<ServiceError>,
        at: DateTime<Utc>,
    ) {
        if self.progress.request == Some(request) {
            self.progress.done(targets, error, at);
        }
    }

    /// Row `i`: the unread targets first, then the machines.
    pub fn row(&self, i: usize) -> Option<ScopedRow<'_, OrgMachine>> {
        let unread = &self.progress.unread;
        match unread.get(i) {
            Some(u) => Some(ScopedRow::Unread(u)),
            None => self.items.get(i - unread.len()).map(ScopedRow::Item),
        }
    }

    pub fn selected(&self) -> Option<ScopedRow<'_, OrgMachine>> {
        self.table.selected_index().and_then(|i| self.row(i))
    }

    pub(super) fn refilter(&mut self) {
        self.table.rows_changed();
        self.haystacks = (0..self.count())
            .filter_map(|i| self.cells(i))
            .map(|c| c.join(" "))
            .collect();
        self.table
            .refilter(self.haystacks.iter().map(String::as_str));
    }
}

impl Rows for OrgMachines {
    fn headers(&self) -> &'static [&'static str] {
        &[
            "NAME", "ACCOUNT", "REGION", "TYPE", "RUNNING", "FAILED", "ARN",
        ]
    }

    fn count(&self) -> usize {
        self.progress.unread.len() + self.items.len()
    }

    fn cells(&self, row: usize) -> Option<Vec<String>> {
        Some(match self.row(row)? {
            ScopedRow::Unread(u) => vec![
                u.text(),
                u.place.account(),
                u.place.region.clone(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
            ],
            ScopedRow::Item(m) => {
                let (running, failed) = match (m.machine.kind, m.counts) {
                    (MachineType::Express, _) => ("-".to_owned(), "-".to_owned()),
                    (_, Some((r, f))) => (r.to_string(), f.to_string()),
                    (_, None) => ("…".to_owned(), "…".to_owned()),
                };
                vec![
                    m.machine.name.clone(),
                    m.place.account(),
                    m.place.region.clone(),
                    m.machine.kind.as_str().into(),
                    running,
                    failed,
                    m.machine.arn.clone(),
                ]
            }
        })
    }

    fn sort_key(&self, row: usize, column: usize) -> SortKey {
        let count = |pick: fn((usize, usize)) -> usize| match self.row(row) {
            Some(ScopedRow::Item(m)) => SortKey::number(m.counts.map(|c| pick(c) as i64)),
            _ => SortKey::Empty,
        };
        match column {
            4 => count(|(running, _)| running),
            5 => count(|(_, failed)| failed),
            c => self
                .cells(row)
                .and_then(|cells| cells.get(c).map(|v| SortKey::cell(v)))
                .unwrap_or(SortKey::Empty),
        }
    }

    fn fields(&self, row: usize) -> Option<Vec<(String, String)>> {
        let mut fields: Vec<(String, String)> = self
            .headers()
            .iter()
            .map(|h| (*h).to_owned())
            .zip(self.cells(row)?)
            .collect();
        if let Some(ScopedRow::Item(m)) = self.row(row) {
            fields.insert(2, ("ACCOUNT ID".into(), m.place.account_id.clone()));
        }
        Some(fields)
    }
}

/// A failed, timed-out or aborted execution and where it ran.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub place: Place,
    pub found: FoundExecution,
}

impl Failure {
    /// When it failed: its stop, else its start.
    pub fn at(&self) -> DateTime<Utc> {
        self.found
            .execution
            .stopped
            .unwrap_or(self.found.execution.started)
    }

    /// The machine's name (from its ARN).
    pub fn machine(&self) -> &str {
        WorkflowChange::short(&self.found.execution.machine_arn)
    }

    /// A machine to open the execution under: its ARN and name (only standard machines have
    /// executions to list).
    pub fn state_machine(&self) -> StateMachine {
        StateMachine {
            arn: self.found.execution.machine_arn.clone(),
            name: self.machine().to_owned(),
            kind: MachineType::Standard,
            created: None,
        }
    }
}

/// The failed, timed-out and aborted executions of a scope within a window, newest first.
#[derive(Debug)]
pub struct FailuresView {
    pub reach: Reach,
    pub window: Duration,
    /// The end of the window: when the read started (the runtime's clock).
    pub until: Option<DateTime<Utc>>,
    /// Newest first.
    pub items: Vec<Failure>,
    pub progress: Progress,
    pub table: TableView,
    haystacks: Vec<String>,
}

/// Failed, timed-out and aborted executions in one time bucket.
pub type Bucket = [u64; 3];

impl FailuresView {
    pub(super) fn new(reach: Reach, window: Duration, request: RequestId) -> FailuresView {
        FailuresView {
            reach,
            window,
            until: None,
            items: Vec::new(),
            progress: Progress::start(request),
            table: TableView::default(),
            haystacks: Vec::new(),
        }
    }

    pub(super) fn on_target(
        &mut self,
        request: RequestId,
        place: Place,
        status: Status,
        executions: Vec<FoundExecution>,
        until: DateTime<Utc>,
    ) {
        if self.progress.request != Some(request) {
            return;
        }
        self.until.get_or_insert(until);
        self.progress.answered(place.clone(), status);
        let keep = self
            .selected_failure()
            .map(|f| f.found.execution.arn.clone());
        self.items
            .extend(executions.into_iter().map(|found| Failure {
                place: place.clone(),
                found,
            }));
        // Newest first by the time the AGE column shows and the chart counts: when it ended (a
        // long run that failed a minute ago comes before a short one that failed an hour ago).
        self.items.sort_by(|a, b| {
            b.at()
                .cmp(&a.at())
                .then_with(|| a.found.execution.arn.cmp(&b.found.execution.arn))
        });
        self.refilter();
        if let Some(arn) = keep {
            self.select_arn(&arn);
        }
    }

    pub(super) fn on_done(
        &mut self,
        request: RequestId,
        targets: usize,
        error: Option<ServiceError>,
        at: DateTime<Utc>,
    ) {
        if self.progress.request == Some(request) {
            self.until.get_or_insert(at);
            self.progress.done(targets, error, at);
        }
    }

    fn select_arn(&mut self, arn: &str) {
        let unread = self.progress.unread.len();
        let Some(pos) = self.items.iter().position(|f| f.found.execution.arn == arn) else {
            return;
        };
        if let Some(vis) = self.table.visible().iter().position(|&i| i == pos + unread) {
            let delta = vis as isize - self.table.selected_position() as isize;
            self.table.move_by(delta, usize::MAX);
        }
    }

    /// Row `i`: the unread targets first, then the failures.
    pub fn row(&self, i: usize) -> Option<ScopedRow<'_, Failure>> {
        let unread = &self.progress.unread;
        match unread.get(i) {
            Some(u) => Some(ScopedRow::Unread(u)),
            None => self.items.get(i - unread.len()).map(ScopedRow::Item),
        }
    }

    pub fn selected_failure(&self) -> Option<&Failure> {
        match self.table.selected_index().and_then(|i| self.row(i)) {
            Some(ScopedRow::Item(f)) => Some(f),
            _ => None,
        }
    }

    pub(super) fn refilter(&mut self) {
        self.table.rows_changed();
        self.haystacks = (0..self.count())
            .filter_map(|i| self.cells(i))
            .map(|c| c.join(" "))
            .collect();
        self.table
            .refilter(self.haystacks.iter().map(String::as_str));
    }

    /// Failed, timed-out and aborted executions per time bucket, oldest bucket first: `n`
    /// buckets of `window / n` each, ending at [`FailuresView::until`]; each execution counted
    /// at the time it failed (see [`Failure::at`]).
    pub fn buckets(&self, n: usize) -> Vec<Bucket> {
        let mut out = vec![[0u64; 3]; n.max(1)];
        let Some(until) = self.until else {
            return out;
        };
        let since = until - self.window;
        let span = self.window.num_milliseconds().max(1);
        for f in &self.items {
            let series = match f.found.execution.status {
                ExecutionStatus::Failed => 0,
                ExecutionStatus::TimedOut => 1,
                ExecutionStatus::Aborted => 2,
                _ => continue,
            };
            let offset = (f.at() - since).num_milliseconds().clamp(0, span - 1);
            let i = usize::try_from(offset * out.len() as i64 / span).unwrap_or(0);
            let last = out.len() - 1;
            out[i.min(last)][series] += 1;
        }
        out
    }

    /// `1h`, `24h`, `7d`: the window as typed.
    pub fn window_text(&self) -> String {
        window_text(self.window)
    }
}

/// A window as `:failures` takes it: whole days as `7d`, whole hours as `24h`, else minutes.
pub fn window_text(window: Duration) -> String {
    let minutes = window.num_minutes();
    if minutes % (24 * 60) == 0 && minutes >= 24 * 60 && minutes / (24 * 60) != 1 {
        format!("{}d", minutes / (24 * 60))
    } else if minutes % 60 == 0 {
        format!("{}h", minutes / 60)
    } else {
        format!("{minutes}m")
    }
}

impl Rows for FailuresView {
    fn headers(&self) -> &'static [&'static str] {
        &[
            "AGE", "STATUS", "ACCOUNT", "REGION", "MACHINE", "NAME", "ERROR", "CAUSE",
        ]
    }

    fn count(&self) -> usize {
        self.progress.unread.len() + self.items.len()
    }

    fn cells(&self, row: usize) -> Option<Vec<String>> {
        Some(match self.row(row)? {
            ScopedRow::Unread(u) => vec![
                String::new(),
                u.status.word().to_owned(),
                u.place.account(),
                u.place.region.clone(),
                String::new(),
                String::new(),
                u.status.error().unwrap_or_default().to_owned(),
                String::new(),
            ],
            ScopedRow::Item(f) => vec![
                time::age(f.at(), self.until.unwrap_or_default()),
                f.found.execution.status.as_str().to_owned(),
                f.place.account(),
                f.place.region.clone(),
                f.machine().to_owned(),
                f.found.execution.name.clone(),
                f.found.error.clone().unwrap_or_default(),
                f.found.cause.clone().unwrap_or_default(),
            ],
        })
    }

    fn sort_key(&self, row: usize, column: usize) -> SortKey {
        match (column, self.row(row)) {
            (0, Some(ScopedRow::Item(f))) => SortKey::time(Some(f.at())),
            (c, _) => self
                .cells(row)
                .and_then(|cells| cells.get(c).map(|v| SortKey::cell(v)))
                .unwrap_or(SortKey::Empty),
        }
    }

    fn fields(&self, row: usize) -> Option<Vec<(String, String)>> {
        let mut fields: Vec<(String, String)> = self
            .headers()
            .iter()
            .map(|h| (*h).to_owned())
            .zip(self.cells(row)?)
            .collect();
        if let Some(ScopedRow::Item(f)) = self.row(row) {
            fields[0] = ("FAILED AT".into(), time::stamp(f.at()));
            fields.push(("STARTED".into(), time::stamp(f.found.execution.started)));
            fields.push(("ACCOUNT ID".into(), f.place.account_id.clone()));
            fields.push(("ARN".into(), f.found.execution.arn.clone()));
        }
        Some(fields)
    }
}
