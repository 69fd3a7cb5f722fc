//! One execution open: its tabs (summary, timeline, graph, events), the history watched while it
//! runs (a chain of polls paced by the domain's schedule), and the input/output viewer.

use std::time::Duration;

use chrono::{DateTime, Utc};
use crossterm::event::KeyEvent;

use super::{WorkflowsEffect, WorkflowsPane};
use crate::app::Effect;
use crate::app::loadable::{Loadable, RequestId};
use crate::app::pager::Pager;
use crate::app::pane::Ctx;
use crate::app::table::TableView;
use crate::config::keymap::{Action, Scope};
use crate::domain::workflows::graph::{GraphItem, GraphLine};
use crate::domain::workflows::timeline::Timeline;
use crate::domain::workflows::watch::{
    EventLog, FULL_PAGE_SIZE, Fetched, MAX_FAILED_POLLS, PollSchedule, next_page_size,
};
use crate::domain::workflows::{
    Execution, ExecutionDetail, ExecutionStatus, MachineDefinition, MachineType, StateMachine,
    pretty_json,
};
use crate::services::ServiceError;

/// The tabs of one execution.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DetailTab {
    Summary,
    Timeline,
    Graph,
    Events,
}

impl DetailTab {
    pub const ALL: [DetailTab; 4] = [
        DetailTab::Summary,
        DetailTab::Timeline,
        DetailTab::Graph,
        DetailTab::Events,
    ];

    pub fn title(self) -> &'static str {
        match self {
            DetailTab::Summary => "summary",
            DetailTab::Timeline => "timeline",
            DetailTab::Graph => "graph",
            DetailTab::Events => "events",
        }
    }

    /// The action that opens the tab.
    pub fn action(self) -> Action {
        match self {
            DetailTab::Summary => Action::TabSummary,
            DetailTab::Timeline => Action::TabTimeline,
            DetailTab::Graph => Action::TabGraph,
            DetailTab::Events => Action::TabEvents,
        }
    }
}

/// Where the history of the open execution stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HistoryState {
    Loading,
    Ready {
        fetched_at: DateTime<Utc>,
    },
    Failed {
        error: ServiceError,
    },
    /// Express executions have no history through the API.
    Express,
}

/// One execution, open.
#[derive(Debug)]
pub struct DetailView {
    pub execution: Execution,
    pub machine: StateMachine,
    pub account: String,
    /// The region the execution is in (empty: the current region): every read and change of
    /// the view goes there, in `account`.
    pub region: String,
    pub describe: Loadable<ExecutionDetail>,
    pub definition: Loadable<MachineDefinition>,
    pub graph: Option<Result<Vec<GraphLine>, String>>,
    pub log: EventLog,
    pub timeline: Timeline,
    pub history: HistoryState,
    pub tab: DetailTab,
    pub table: TableView,
    pub watching: bool,
    pub schedule: PollSchedule,
    /// What the next poll asks for: the whole history first, then a little more than the last
    /// poll found.
    pub page_size: i32,
    /// The poll whose answer is awaited.
    pub poll: Option<RequestId>,
    /// The status check awaited between two history polls, and how many more to make before
    /// the history poll is due.
    pub status_check: Option<(RequestId, u32)>,
    /// Requests and events of every poll so far, for the status line.
    pub requests: u32,
    pub received: usize,
    /// An event's input/output, open over the events.
    pub inspect: Option<Inspect>,
}

/// Pretty-printed JSON of one event, scrollable; long lines wrap.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inspect {
    pub title: String,
    pub text: String,
    pub scroll: Pager,
}

impl DetailView {
    pub(super) fn open(
        execution: Execution,
        machine: StateMachine,
        (account, region): (String, String),
        poll: Duration,
        ctx: &mut Ctx,
    ) -> DetailView {
        let mut view = DetailView {
            watching: false,
            history: HistoryState::Loading,
            execution,
            machine,
            account,
            region,
            describe: Loadable::NotAsked,
            definition: Loadable::NotAsked,
            graph: None,
            log: EventLog::default(),
            timeline: Timeline::default(),
            tab: DetailTab::Timeline,
            table: TableView::default(),
            schedule: PollSchedule::new(poll),
            page_size: FULL_PAGE_SIZE,
            poll: None,
            status_check: None,
            requests: 0,
            received: 0,
            inspect: None,
        };
        view.load(ctx);
        view
    }

    /// Describe, definition, and the history from the start (watching while it runs).
    pub(super) fn load(&mut self, ctx: &mut Ctx) {
        let request = ctx.request();
        self.describe = Loadable::Loading { request };
        ctx.run(Effect::Workflows(WorkflowsEffect::LoadExecution {
            request,
            account_id: self.account.clone(),
            region: self.region.clone(),
            arn: self.execution.arn.clone(),
        }));
        let request = ctx.request();
        self.definition = Loadable::Loading { request };
        ctx.run(Effect::Workflows(WorkflowsEffect::LoadDefinition {
            request,
            account_id: self.account.clone(),
            region: self.region.clone(),
            machine_arn: self.machine.arn.clone(),
        }));
        if self.machine.kind == MachineType::Express {
            self.history = HistoryState::Express;
            return;
        }
        self.log = EventLog::default();
        self.timeline = Timeline::default();
        self.page_size = FULL_PAGE_SIZE;
        self.history = HistoryState::Loading;
        self.watching = !self.execution.status.is_terminal();
        self.schedule = PollSchedule::new(self.schedule_base());
        self.poll_now(Duration::ZERO, ctx);
    }

    fn schedule_base(&self) -> Duration {
        let mut s = self.schedule;
        s.active()
    }

    pub(super) fn poll_now(&mut self, delay: Duration, ctx: &mut Ctx) {
        let request = ctx.request();
        self.poll = Some(request);
        ctx.run(Effect::Workflows(WorkflowsEffect::PollHistory {
            request,
            account_id: self.account.clone(),
            region: self.region.clone(),
            arn: self.execution.arn.clone(),
            after: self.log.last_id(),
            page_size: self.page_size,
            delay,
        }));
    }

    pub(super) fn on_history(
        &mut self,
        request: RequestId,
        result: Result<Fetched, ServiceError>,
        at: DateTime<Utc>,
        ctx: &mut Ctx,
    ) {
        if self.poll != Some(request) {
            return;
        }
        self.poll = None;
        match result {
            Ok(fetched) => {
                self.requests += fetched.requests;
                self.received += fetched.received;
                let added = self.log.extend(fetched.events);
                self.page_size = next_page_size(added);
                if added > 0 || !matches!(self.history, HistoryState::Ready { .. }) {
                    self.timeline = Timeline::build(self.log.events());
                    self.refilter();
                }
                self.history = HistoryState::Ready { fetched_at: at };
                if let Some(status) = self.timeline.status {
                    let ended_now = self.watching;
                    self.watching = false;
                    self.status_check = None;
                    self.execution.status = status;
                    self.execution.stopped = self.timeline.ended;
                    if ended_now {
                        ctx.alert(
                            format!(
                                "{} ended: {}",
                                crate::domain::sanitize::sanitize(&self.execution.name),
                                status.as_str()
                            ),
                            status != ExecutionStatus::Succeeded,
                        );
                        // The summary's output, error and cause are final now.
                        let request = ctx.request();
                        self.describe = Loadable::Loading { request };
                        ctx.run(Effect::Workflows(WorkflowsEffect::LoadExecution {
                            request,
                            account_id: self.account.clone(),
                            region: self.region.clone(),
                            arn: self.execution.arn.clone(),
                        }));
                    }
                } else if self.watching {
                    let delay = if added > 0 {
                        self.schedule.active()
                    } else {
                        self.schedule.idle()
                    };
                    self.poll_now(delay, ctx);
                    self.check_status_within(delay, ctx);
                }
            }
            // Throttling, a lost connection, a failure on AWS's side: the watch goes on, slower,
            // and says so; it gives up after MAX_FAILED_POLLS failed polls in a row.
            Err(error) if error.is_transient() && self.watching => {
                let delay = self.schedule.throttled();
                if self.schedule.exhausted() {
                    self.watching = false;
                    self.history = HistoryState::Failed { error };
                } else {
                    ctx.notify(
                        format!(
                            "history poll failed ({} of {MAX_FAILED_POLLS} in a row), polling \
                             again in {:.1} s: {error}",
                            self.schedule.failed_polls(),
                            delay.as_secs_f32()
                        ),
                        true,
                    );
                    self.poll_now(delay, ctx);
                }
            }
            Err(error) => {
                self.watching = false;
                self.history = HistoryState::Failed { error };
            }
        }
    }

    /// While the next history poll is more than one interval away (a quiet execution's polls
    /// slow down), check the status every interval meanwhile: an end is seen within one interval
    /// of happening, and the history is read again only when the execution moved.
    fn check_status_within(&mut self, delay: Duration, ctx: &mut Ctx) {
        let every = self.schedule_base();
        // One check per whole interval before the poll: at 1, 2, 3 and 4 s for a poll in 5 s.
        let checks = delay
            .as_millis()
            .div_ceil(every.as_millis().max(1))
            .saturating_sub(1);
        self.status_check = None;
        if checks >= 1 {
            self.check_status(every, u32::try_from(checks - 1).unwrap_or(u32::MAX), ctx);
        }
    }

    fn check_status(&mut self, delay: Duration, more: u32, ctx: &mut Ctx) {
        let request = ctx.request();
        self.status_check = Some((request, more));
        ctx.run(Effect::Workflows(WorkflowsEffect::CheckStatus {
            request,
            account_id: self.account.clone(),
            region: self.region.clone(),
            arn: self.execution.arn.clone(),
            delay,
        }));
    }

    /// A status check answered: an execution that is no longer running has its history read
    /// now (the poll scheduled for later is dropped when it answers); one still running is
    /// checked again after another interval, until the history poll is due.
    pub(super) fn on_status(
        &mut self,
        request: RequestId,
        result: Result<ExecutionDetail, ServiceError>,
        ctx: &mut Ctx,
    ) {
        let Some((awaited, more)) = self.status_check else {
            return;
        };
        if awaited != request || !self.watching {
            return;
        }
        self.status_check = None;
        match result {
            Ok(d) if d.execution.status != ExecutionStatus::Running => {
                self.schedule.active();
                self.poll_now(Duration::ZERO, ctx);
            }
            // Still running, or the check failed: the history poll comes anyway.
            _ if more > 0 => self.check_status(self.schedule_base(), more - 1, ctx),
            _ => {}
        }
    }

    pub(super) fn set_tab(&mut self, tab: DetailTab) {
        if self.tab != tab {
            self.tab = tab;
            self.table = TableView::default();
            self.inspect = None;
            self.refilter();
        }
    }

    /// The searchable text of each row of the current tab.
    pub(super) fn refilter(&mut self) {
        let haystacks: Vec<String> = match self.tab {
            DetailTab::Summary => Vec::new(),
            DetailTab::Timeline => self
                .timeline
                .entries
                .iter()
                .map(|e| format!("{} {} {}", e.state, e.kind, e.status.as_str()))
                .collect(),
            DetailTab::Graph => self
                .graph
                .as_ref()
                .and_then(|g| g.as_ref().ok())
                .map(|lines| lines.iter().map(graph_text).collect())
                .unwrap_or_default(),
            DetailTab::Events => self
                .log
                .events()
                .iter()
                .map(|e| format!("{} {}", e.kind, e.state.as_deref().unwrap_or("")))
                .collect(),
        };
        // Rebuilt rows (new events) are sorted again.
        self.table.rows_changed();
        self.table.refilter(haystacks.iter().map(String::as_str));
    }

    /// Enter on an event (or a timeline row: the event that entered it): its data, pretty.
    pub(super) fn inspect_selected(&mut self) {
        let Some(index) = self.table.selected_index() else {
            return;
        };
        let event = match self.tab {
            DetailTab::Events => self.log.events().get(index),
            DetailTab::Timeline => self
                .timeline
                .entries
                .get(index)
                .and_then(|entry| self.log.events().iter().find(|e| e.id == entry.event_id)),
            _ => None,
        };
        let Some(event) = event else {
            return;
        };
        // For a state, show what went in and what came out (the matching exit event).
        let exit = event.is_state_entered().then(|| {
            self.log
                .events()
                .iter()
                .find(|x| x.id > event.id && x.is_state_exited() && x.state == event.state)
        });
        let mut text = String::new();
        let mut section = |title: &str, body: &Option<String>| {
            if let Some(body) = body {
                text.push_str(&format!("── {title} ──\n{}\n\n", pretty_json(body)));
            }
        };
        section("input", &event.details.input);
        section("output", &event.details.output);
        if let Some(Some(exit)) = exit {
            section("output", &exit.details.output);
        }
        section("error", &event.details.error);
        section("cause", &event.details.cause);
        section("resource", &event.details.resource);
        // The blank line after the last section would only leave a blank row at the bottom.
        text.truncate(text.trim_end().len());
        if text.is_empty() {
            text = "this event carries no input, output or error".to_owned();
        }
        self.inspect = Some(Inspect {
            title: format!(
                "#{} {} {}",
                event.id,
                event.kind,
                event.state.as_deref().unwrap_or("")
            ),
            text,
            scroll: Pager::default(),
        });
    }

    /// The input this execution ran with, for a rerun.
    pub fn input(&self) -> Option<String> {
        self.describe
            .value()
            .and_then(|d| d.input.clone())
            .or_else(|| {
                self.log
                    .events()
                    .first()
                    .and_then(|e| e.details.input.clone())
            })
    }
}

/// The graph line as searchable text.
pub fn graph_text(line: &GraphLine) -> String {
    match &line.item {
        GraphItem::State { name, kind, .. } => format!("{name} {kind}"),
        GraphItem::Edge { label, target, .. } => format!("{label} {target}"),
        GraphItem::Branch { label } => label.clone(),
    }
}

impl WorkflowsPane {
    pub(super) fn on_inspect_key(&mut self, key: KeyEvent, ctx: &mut Ctx) {
        let Some(detail) = self.detail.as_mut() else {
            return;
        };
        let Some(inspect) = detail.inspect.as_mut() else {
            return;
        };
        // Rows as the viewer last drew them (long lines wrap): every key stops with the last
        // row at the bottom of the box.
        match ctx.action(&[Scope::Global], &key) {
            Some(Action::Back | Action::Enter | Action::Quit) => detail.inspect = None,
            Some(Action::Down) => inspect.scroll.scroll_by(1),
            Some(Action::Up) => inspect.scroll.scroll_by(-1),
            Some(Action::PageDown) => inspect.scroll.page(1, ctx.rows),
            Some(Action::PageUp) => inspect.scroll.page(-1, ctx.rows),
            Some(Action::Top) => inspect.scroll.home(),
            Some(Action::Bottom) => inspect.scroll.end(),
            Some(Action::Copy) => {
                let text = inspect.text.clone();
                ctx.run(Effect::Copy { text });
            }
            _ => {}
        }
    }
}
