//! The Workflows pane: state machines → executions → one execution (summary, timeline, graph,
//! events), watched live while it runs, and the changes an operator makes (start, rerun, stop,
//! redrive) through the shell's confirmation and audit path.
//!
//! Three levels, deepest open wins: `detail` (one execution), `executions` (one machine's), the
//! machine list. Watching is a chain of `PollHistory` effects: each answer schedules the next
//! poll (with the delay [`PollSchedule`] decides) until a terminal event arrives or the operator
//! leaves; answers to a poll no longer awaited are dropped.

use std::collections::HashMap;
use std::time::Duration;

use chrono::{DateTime, Utc};
use crossterm::event::{Event as TermEvent, KeyCode, KeyEvent, KeyModifiers};
use tui_input::Input;
use tui_input::backend::crossterm::EventHandler;

use super::list::{ListPane, Listing};
use super::loadable::{Loadable, RequestId};
use super::pager::Pager;
use super::pane::{Ctx, PaneState};
use super::table::TableView;
use super::{Effect, Mutation, Pane};
use crate::config::keymap::Action;
use crate::domain::workflows::graph::{self, GraphItem, GraphLine};
use crate::domain::workflows::timeline::Timeline;
use crate::domain::workflows::watch::{
    EventLog, FULL_PAGE_SIZE, Fetched, MAX_FAILED_POLLS, PollSchedule, next_page_size,
};
use crate::domain::workflows::{
    Execution, ExecutionDetail, ExecutionPage, ExecutionStatus, MachineDefinition, MachineType,
    StateMachine, WorkflowChange, pretty_json, validate_execution_name, validate_input,
};
use crate::mutation::Plan;
use crate::services::ServiceError;

pub use crate::domain::workflows::plan::change_plan;

/// Executions per ListExecutions page.
pub const EXECUTIONS_PAGE: i32 = 50;
/// Load the next page when the selection gets this close to the end.
const PAGE_AHEAD: usize = 10;

#[derive(Debug)]
pub struct WorkflowsPane {
    pub machines: ListPane<StateMachine>,
    /// Running and failed executions per machine ARN, among the newest loaded.
    pub counts: HashMap<String, (usize, usize)>,
    pub executions: Option<ExecutionsView>,
    pub detail: Option<DetailView>,
    pub form: Option<StartForm>,
    pub stop: Option<StopForm>,
    poll_interval: Duration,
}

impl Default for WorkflowsPane {
    fn default() -> Self {
        WorkflowsPane {
            machines: ListPane::default(),
            counts: HashMap::new(),
            executions: None,
            detail: None,
            form: None,
            stop: None,
            poll_interval: Duration::from_secs(1),
        }
    }
}

/// One machine's executions, newest first, loaded a page at a time.
#[derive(Debug)]
pub struct ExecutionsView {
    pub machine: StateMachine,
    pub account: String,
    /// In display order (newest first, failures first when toggled).
    pub items: Vec<Execution>,
    pub loading: Option<RequestId>,
    pub error: Option<ServiceError>,
    pub next_token: Option<String>,
    pub fetched_at: Option<DateTime<Utc>>,
    pub status: Option<ExecutionStatus>,
    pub failures_first: bool,
    pub table: TableView,
    haystacks: Vec<String>,
}

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

    /// The key that opens the tab.
    pub fn key(self) -> char {
        match self {
            DetailTab::Summary => 's',
            DetailTab::Timeline => 't',
            DetailTab::Graph => 'v',
            DetailTab::Events => 'h',
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

/// Stop an execution: the error and cause recorded with the stop (both optional).
#[derive(Debug)]
pub struct StopForm {
    pub execution_arn: String,
    pub name: String,
    pub account: String,
    pub error: Input,
    pub cause: Input,
    /// 0: error, 1: cause.
    pub focus: usize,
}

impl StopForm {
    pub fn change(&self) -> WorkflowChange {
        let text = |i: &Input| Some(i.value().trim().to_owned()).filter(|t| !t.is_empty());
        WorkflowChange::Stop {
            execution_arn: self.execution_arn.clone(),
            error: text(&self.error),
            cause: text(&self.cause),
        }
    }
}

/// Start an execution: its name and input, checked before the plan is shown.
#[derive(Debug)]
pub struct StartForm {
    pub machine: StateMachine,
    pub account: String,
    pub name: Input,
    pub input: Input,
    /// 0: name, 1: input.
    pub focus: usize,
    pub error: Option<String>,
}

#[derive(Debug)]
pub enum WorkflowsMsg {
    Machines {
        request: RequestId,
        result: Result<Vec<StateMachine>, ServiceError>,
        at: DateTime<Utc>,
    },
    Counts {
        machine_arn: String,
        result: Result<ExecutionPage, ServiceError>,
    },
    Executions {
        request: RequestId,
        result: Result<ExecutionPage, ServiceError>,
        at: DateTime<Utc>,
    },
    Execution {
        request: RequestId,
        result: Result<ExecutionDetail, ServiceError>,
        at: DateTime<Utc>,
    },
    Definition {
        request: RequestId,
        result: Result<MachineDefinition, ServiceError>,
        at: DateTime<Utc>,
    },
    History {
        request: RequestId,
        result: Result<Fetched, ServiceError>,
        at: DateTime<Utc>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WorkflowsEffect {
    LoadMachines {
        request: RequestId,
        account_id: String,
    },
    /// The newest executions of a machine, for its running/failed counts.
    LoadCounts {
        account_id: String,
        machine_arn: String,
    },
    LoadExecutions {
        request: RequestId,
        account_id: String,
        machine_arn: String,
        status: Option<ExecutionStatus>,
        next_token: Option<String>,
    },
    LoadExecution {
        request: RequestId,
        account_id: String,
        arn: String,
    },
    LoadDefinition {
        request: RequestId,
        account_id: String,
        machine_arn: String,
    },
    /// Wait `delay`, then fetch the events after `after`, asking for `page_size` at first.
    PollHistory {
        request: RequestId,
        account_id: String,
        arn: String,
        after: i64,
        page_size: i32,
        delay: Duration,
    },
}

fn as_mutation(plan: Plan<WorkflowChange>) -> Plan<Mutation> {
    Plan {
        title: plan.title,
        account_id: plan.account_id,
        region: plan.region,
        steps: plan
            .steps
            .into_iter()
            .map(|s| {
                let action = Mutation::Workflows(s.action.clone());
                s.with_action(action)
            })
            .collect(),
        danger: plan.danger,
    }
}

impl ExecutionsView {
    fn new(machine: StateMachine, account: String) -> ExecutionsView {
        ExecutionsView {
            machine,
            account,
            items: Vec::new(),
            loading: None,
            error: None,
            next_token: None,
            fetched_at: None,
            status: None,
            failures_first: false,
            table: TableView::default(),
            haystacks: Vec::new(),
        }
    }

    /// Load from the first page again (another filter, or `r`).
    fn restart(&mut self, ctx: &mut Ctx) {
        self.items.clear();
        self.next_token = None;
        self.error = None;
        self.refilter();
        self.load(None, ctx);
    }

    fn load(&mut self, next_token: Option<String>, ctx: &mut Ctx) {
        let request = ctx.request();
        self.loading = Some(request);
        ctx.run(Effect::Workflows(WorkflowsEffect::LoadExecutions {
            request,
            account_id: self.account.clone(),
            machine_arn: self.machine.arn.clone(),
            status: self.status,
            next_token,
        }));
    }

    /// Near the end of what is loaded and more exists: fetch the next page.
    fn load_more_if_near_end(&mut self, ctx: &mut Ctx) {
        if self.loading.is_some() || self.next_token.is_none() || !self.table.filter().is_empty() {
            return;
        }
        let remaining = self
            .table
            .visible_len()
            .saturating_sub(self.table.selected_position() + 1);
        if remaining < PAGE_AHEAD.max(ctx.rows) {
            let token = self.next_token.clone();
            self.load(token, ctx);
        }
    }

    fn loaded(
        &mut self,
        request: RequestId,
        result: Result<ExecutionPage, ServiceError>,
        at: DateTime<Utc>,
    ) -> bool {
        if self.loading != Some(request) {
            return false;
        }
        self.loading = None;
        match result {
            Ok(page) => {
                self.items.extend(page.executions);
                self.next_token = page.next_token;
                self.fetched_at = Some(at);
                self.error = None;
                self.order();
            }
            Err(e) => self.error = Some(e),
        }
        true
    }

    /// Newest first; failures before the rest when toggled.
    fn order(&mut self) {
        let keep = self.selected().map(|e| e.arn.clone());
        self.items.sort_by(|a, b| {
            let fail = |e: &Execution| !(self.failures_first && e.status.is_failure());
            fail(a)
                .cmp(&fail(b))
                .then_with(|| b.started.cmp(&a.started))
        });
        self.refilter();
        if let Some(arn) = keep
            && let Some(pos) = self.items.iter().position(|e| e.arn == arn)
            && let Some(vis) = self.table.visible().iter().position(|&i| i == pos)
        {
            let delta = vis as isize - self.table.selected_position() as isize;
            self.table.move_by(delta, usize::MAX);
        }
    }

    fn refilter(&mut self) {
        self.haystacks = self
            .items
            .iter()
            .map(|e| format!("{} {}", e.name, e.status.as_str()))
            .collect();
        self.table
            .refilter(self.haystacks.iter().map(String::as_str));
    }

    pub fn selected(&self) -> Option<&Execution> {
        self.table.selected_index().and_then(|i| self.items.get(i))
    }

    /// Running and failed executions among those loaded.
    pub fn counts(&self) -> (usize, usize) {
        count(&self.items)
    }
}

fn count(items: &[Execution]) -> (usize, usize) {
    let running = items
        .iter()
        .filter(|e| e.status == ExecutionStatus::Running)
        .count();
    let failed = items.iter().filter(|e| e.status.is_failure()).count();
    (running, failed)
}

impl DetailView {
    fn open(
        execution: Execution,
        machine: StateMachine,
        account: String,
        poll: Duration,
        ctx: &mut Ctx,
    ) -> DetailView {
        let mut view = DetailView {
            watching: false,
            history: HistoryState::Loading,
            execution,
            machine,
            account,
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
            requests: 0,
            received: 0,
            inspect: None,
        };
        view.load(ctx);
        view
    }

    /// Describe, definition, and the history from the start (watching while it runs).
    fn load(&mut self, ctx: &mut Ctx) {
        let request = ctx.request();
        self.describe = Loadable::Loading { request };
        ctx.run(Effect::Workflows(WorkflowsEffect::LoadExecution {
            request,
            account_id: self.account.clone(),
            arn: self.execution.arn.clone(),
        }));
        let request = ctx.request();
        self.definition = Loadable::Loading { request };
        ctx.run(Effect::Workflows(WorkflowsEffect::LoadDefinition {
            request,
            account_id: self.account.clone(),
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

    fn poll_now(&mut self, delay: Duration, ctx: &mut Ctx) {
        let request = ctx.request();
        self.poll = Some(request);
        ctx.run(Effect::Workflows(WorkflowsEffect::PollHistory {
            request,
            account_id: self.account.clone(),
            arn: self.execution.arn.clone(),
            after: self.log.last_id(),
            page_size: self.page_size,
            delay,
        }));
    }

    fn on_history(
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
                    self.execution.status = status;
                    self.execution.stopped = self.timeline.ended;
                    if ended_now {
                        // The summary's output, error and cause are final now.
                        let request = ctx.request();
                        self.describe = Loadable::Loading { request };
                        ctx.run(Effect::Workflows(WorkflowsEffect::LoadExecution {
                            request,
                            account_id: self.account.clone(),
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

    fn set_tab(&mut self, tab: DetailTab) {
        if self.tab != tab {
            self.tab = tab;
            self.table = TableView::default();
            self.inspect = None;
            self.refilter();
        }
    }

    /// The searchable text of each row of the current tab.
    fn refilter(&mut self) {
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
        self.table.refilter(haystacks.iter().map(String::as_str));
    }

    /// Enter on an event (or a timeline row: the event that entered it): its data, pretty.
    fn inspect_selected(&mut self) {
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

impl StartForm {
    fn new(machine: StateMachine, account: String, name: String, input: String) -> StartForm {
        StartForm {
            machine,
            account,
            name: Input::new(name),
            input: Input::new(input),
            focus: 1,
            error: None,
        }
    }

    /// The change the form describes, or what is wrong with it.
    pub fn change(&self) -> Result<WorkflowChange, String> {
        let name = self.name.value().trim().to_owned();
        validate_execution_name(&name)?;
        let input = validate_input(self.input.value())?;
        Ok(WorkflowChange::Start {
            machine_arn: self.machine.arn.clone(),
            name,
            input,
        })
    }
}

impl WorkflowsPane {
    /// The configured poll interval (`workflows.poll_interval_ms`).
    pub fn set_poll_interval(&mut self, interval: Duration) {
        self.poll_interval = interval;
    }

    pub fn on_msg(&mut self, msg: WorkflowsMsg, ctx: &mut Ctx) {
        match msg {
            WorkflowsMsg::Machines {
                request,
                result,
                at,
            } => {
                if self.machines.loaded(request, result, at) {
                    self.counts.clear();
                    let account = self.machines.account.clone().unwrap_or_default();
                    for m in self.machines.items() {
                        if m.kind == MachineType::Standard {
                            ctx.run(Effect::Workflows(WorkflowsEffect::LoadCounts {
                                account_id: account.clone(),
                                machine_arn: m.arn.clone(),
                            }));
                        }
                    }
                }
            }
            WorkflowsMsg::Counts {
                machine_arn,
                result,
            } => {
                if let Ok(page) = result {
                    self.counts.insert(machine_arn, count(&page.executions));
                }
            }
            WorkflowsMsg::Executions {
                request,
                result,
                at,
            } => {
                if let Some(view) = self.executions.as_mut()
                    && view.loaded(request, result, at)
                {
                    self.counts.insert(view.machine.arn.clone(), view.counts());
                    view.load_more_if_near_end(ctx);
                }
            }
            WorkflowsMsg::Execution {
                request,
                result,
                at,
            } => {
                if let Some(detail) = self.detail.as_mut()
                    && detail.describe.settle(request, result, at)
                    && let Some(d) = detail.describe.value()
                {
                    detail.execution.status = d.execution.status;
                    detail.execution.stopped = d.execution.stopped;
                }
            }
            WorkflowsMsg::Definition {
                request,
                result,
                at,
            } => {
                if let Some(detail) = self.detail.as_mut()
                    && detail.definition.settle(request, result, at)
                {
                    detail.graph = detail
                        .definition
                        .value()
                        .map(|d| graph::layout(&d.definition));
                    if detail.tab == DetailTab::Graph {
                        detail.refilter();
                    }
                }
            }
            WorkflowsMsg::History {
                request,
                result,
                at,
            } => {
                if let Some(detail) = self.detail.as_mut() {
                    detail.on_history(request, result, at, ctx);
                }
            }
        }
    }

    fn open_machine(&mut self, ctx: &mut Ctx) {
        let Some(machine) = self.machines.selected().cloned() else {
            return;
        };
        let Some(account) = self.machines.account.clone() else {
            return;
        };
        let mut view = ExecutionsView::new(machine, account);
        view.load(None, ctx);
        self.executions = Some(view);
    }

    fn open_execution(&mut self, ctx: &mut Ctx) {
        let Some(view) = self.executions.as_ref() else {
            return;
        };
        let Some(execution) = view.selected().cloned() else {
            return;
        };
        self.detail = Some(DetailView::open(
            execution,
            view.machine.clone(),
            view.account.clone(),
            self.poll_interval,
            ctx,
        ));
    }

    /// `n` on a machine or its executions: a new execution with `{}`; on an execution: a rerun
    /// form with its input.
    fn new_execution(&mut self, ctx: &mut Ctx) {
        let (machine, account, name, input) = if let Some(detail) = &self.detail {
            (
                detail.machine.clone(),
                detail.account.clone(),
                rerun_name(&detail.execution.name, ctx.request().0),
                detail
                    .input()
                    .map(|i| compact_json(&i))
                    .unwrap_or_else(|| "{}".into()),
            )
        } else if let Some(view) = &self.executions {
            (
                view.machine.clone(),
                view.account.clone(),
                format!("opsdeck-{}", ctx.request().0),
                "{}".to_owned(),
            )
        } else {
            let Some(machine) = self.machines.selected().cloned() else {
                return;
            };
            let Some(account) = self.machines.account.clone() else {
                return;
            };
            (
                machine,
                account,
                format!("opsdeck-{}", ctx.request().0),
                "{}".to_owned(),
            )
        };
        self.form = Some(StartForm::new(machine, account, name, input));
    }

    /// The selected execution in the current view.
    fn selected_execution(&self) -> Option<(&Execution, &str)> {
        if let Some(detail) = &self.detail {
            return Some((&detail.execution, detail.account.as_str()));
        }
        self.executions
            .as_ref()
            .and_then(|v| v.selected().map(|e| (e, v.account.as_str())))
    }

    fn propose(&self, change: WorkflowChange, account: &str, ctx: &mut Ctx) {
        let region = ctx.region.clone().unwrap_or_default();
        ctx.confirm(as_mutation(change_plan(change, account, &region)));
    }

    fn stop_selected(&mut self, ctx: &mut Ctx) {
        let Some((execution, account)) = self.selected_execution() else {
            return;
        };
        if execution.status.is_terminal() {
            ctx.notify(
                format!(
                    "{} is {}: only a running execution can be stopped",
                    execution.name,
                    execution.status.as_str()
                ),
                true,
            );
            return;
        }
        self.stop = Some(StopForm {
            execution_arn: execution.arn.clone(),
            name: execution.name.clone(),
            account: account.to_owned(),
            error: Input::new("Operator.Stopped".into()),
            cause: Input::default(),
            focus: 1,
        });
    }

    fn on_stop_key(&mut self, key: KeyEvent, ctx: &mut Ctx) {
        let Some(form) = self.stop.as_mut() else {
            return;
        };
        match key.code {
            KeyCode::Esc => self.stop = None,
            KeyCode::Tab | KeyCode::BackTab | KeyCode::Up | KeyCode::Down => {
                form.focus = 1 - form.focus;
            }
            KeyCode::Enter => {
                let change = form.change();
                let account = form.account.clone();
                self.stop = None;
                self.propose(change, &account, ctx);
            }
            _ => {
                let field = if form.focus == 0 {
                    &mut form.error
                } else {
                    &mut form.cause
                };
                field.handle_event(&TermEvent::Key(key));
            }
        }
    }

    fn redrive_selected(&mut self, ctx: &mut Ctx) {
        let Some((execution, account)) = self.selected_execution() else {
            return;
        };
        if !matches!(
            execution.status,
            ExecutionStatus::Failed | ExecutionStatus::TimedOut | ExecutionStatus::Aborted
        ) {
            ctx.notify(
                "only a failed, timed-out or aborted execution can be redriven",
                true,
            );
            return;
        }
        let change = WorkflowChange::Redrive {
            execution_arn: execution.arn.clone(),
        };
        let account = account.to_owned();
        self.propose(change, &account, ctx);
    }

    fn on_form_key(&mut self, key: KeyEvent, ctx: &mut Ctx) {
        let Some(form) = self.form.as_mut() else {
            return;
        };
        match key.code {
            KeyCode::Esc => self.form = None,
            KeyCode::Tab | KeyCode::BackTab | KeyCode::Up | KeyCode::Down => {
                form.focus = 1 - form.focus;
            }
            // The input in the operator's editor, pretty-printed when it is JSON already.
            KeyCode::Char('e') if key.modifiers.contains(KeyModifiers::CONTROL) => {
                let raw = form.input.value();
                let text = serde_json::from_str::<serde_json::Value>(raw)
                    .ok()
                    .and_then(|v| serde_json::to_string_pretty(&v).ok())
                    .unwrap_or_else(|| raw.to_owned());
                ctx.run(Effect::EditExternally {
                    pane: Pane::Workflows,
                    text,
                });
            }
            KeyCode::Enter => match form.change() {
                Ok(change) => {
                    let account = form.account.clone();
                    self.form = None;
                    self.propose(change, &account, ctx);
                }
                Err(e) => form.error = Some(e),
            },
            _ => {
                let field = if form.focus == 0 {
                    &mut form.name
                } else {
                    &mut form.input
                };
                field.handle_event(&TermEvent::Key(key));
                form.error = None;
            }
        }
    }

    fn on_inspect_key(&mut self, key: KeyEvent, ctx: &mut Ctx) {
        let Some(detail) = self.detail.as_mut() else {
            return;
        };
        let Some(inspect) = detail.inspect.as_mut() else {
            return;
        };
        // Rows as the viewer last drew them (long lines wrap): every key stops with the last
        // row at the bottom of the box.
        match key.code {
            KeyCode::Esc | KeyCode::Enter | KeyCode::Char('q') => detail.inspect = None,
            KeyCode::Char('j') | KeyCode::Down => inspect.scroll.scroll_by(1),
            KeyCode::Char('k') | KeyCode::Up => inspect.scroll.scroll_by(-1),
            KeyCode::PageDown | KeyCode::Char(' ') => inspect.scroll.page(1, ctx.rows),
            KeyCode::PageUp => inspect.scroll.page(-1, ctx.rows),
            KeyCode::Char('g') | KeyCode::Home => inspect.scroll.home(),
            KeyCode::Char('G') | KeyCode::End => inspect.scroll.end(),
            KeyCode::Char('y') => {
                let text = inspect.text.clone();
                ctx.run(Effect::Copy { text });
            }
            _ => {}
        }
    }

    /// Keys the keymap does not bind: status filters and the failures-first toggle on the
    /// executions, tab keys on an execution.
    fn on_free_key(&mut self, key: KeyEvent, ctx: &mut Ctx) {
        if key
            .modifiers
            .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
        {
            return;
        }
        if let Some(detail) = self.detail.as_mut() {
            let i = DetailTab::ALL
                .iter()
                .position(|t| *t == detail.tab)
                .unwrap_or(0);
            let n = DetailTab::ALL.len();
            match key.code {
                KeyCode::Right => detail.set_tab(DetailTab::ALL[(i + 1) % n]),
                KeyCode::Left => detail.set_tab(DetailTab::ALL[(i + n - 1) % n]),
                KeyCode::Char('x') => self.redrive_selected(ctx),
                KeyCode::Char(c) => {
                    if let Some(tab) = DetailTab::ALL.into_iter().find(|t| t.key() == c) {
                        detail.set_tab(tab);
                    }
                }
                _ => {}
            }
            return;
        }
        let Some(view) = self.executions.as_mut() else {
            return;
        };
        let KeyCode::Char(c) = key.code else {
            return;
        };
        if c == '!' {
            view.failures_first = !view.failures_first;
            view.order();
            ctx.notify(
                if view.failures_first {
                    "failures first"
                } else {
                    "newest first"
                },
                false,
            );
            return;
        }
        let wanted = match c {
            'R' => Some(ExecutionStatus::Running),
            'S' => Some(ExecutionStatus::Succeeded),
            'F' => Some(ExecutionStatus::Failed),
            'T' => Some(ExecutionStatus::TimedOut),
            'A' => Some(ExecutionStatus::Aborted),
            '*' => None,
            _ => return,
        };
        // The same key again clears the filter.
        view.status = if view.status == wanted { None } else { wanted };
        view.restart(ctx);
    }
}

fn rerun_name(name: &str, n: u64) -> String {
    let suffix = format!("-rerun-{n}");
    let keep = 80usize.saturating_sub(suffix.len());
    let base: String = name.chars().take(keep).collect();
    format!("{base}{suffix}")
}

fn compact_json(text: &str) -> String {
    serde_json::from_str::<serde_json::Value>(text)
        .map(|v| v.to_string())
        .unwrap_or_else(|_| text.to_owned())
}

impl PaneState for WorkflowsPane {
    fn table(&self) -> &TableView {
        if let Some(detail) = &self.detail {
            &detail.table
        } else if let Some(view) = &self.executions {
            &view.table
        } else {
            &self.machines.table
        }
    }

    fn table_mut(&mut self) -> &mut TableView {
        if let Some(detail) = &mut self.detail {
            &mut detail.table
        } else if let Some(view) = &mut self.executions {
            &mut view.table
        } else {
            &mut self.machines.table
        }
    }

    fn refilter(&mut self) {
        if let Some(detail) = &mut self.detail {
            detail.refilter();
        } else if let Some(view) = &mut self.executions {
            view.refilter();
        } else {
            self.machines.refilter();
        }
    }

    fn ensure_loaded(&mut self, ctx: &mut Ctx) {
        if let Some((request, account_id)) = self.machines.load_if_needed(ctx) {
            // Another account: what was open belongs to the old one.
            self.executions = None;
            self.detail = None;
            self.form = None;
            self.stop = None;
            ctx.run(Effect::Workflows(WorkflowsEffect::LoadMachines {
                request,
                account_id,
            }));
        }
        if self.detail.is_none()
            && let Some(view) = self.executions.as_mut()
        {
            view.load_more_if_near_end(ctx);
        }
    }

    fn reload(&mut self, ctx: &mut Ctx) {
        if let Some(detail) = self.detail.as_mut() {
            detail.load(ctx);
        } else if let Some(view) = self.executions.as_mut() {
            view.restart(ctx);
        } else {
            self.machines.invalidate();
            self.ensure_loaded(ctx);
        }
    }

    fn on_action(&mut self, action: Action, ctx: &mut Ctx) {
        match action {
            Action::Enter => {
                if let Some(detail) = self.detail.as_mut() {
                    detail.inspect_selected();
                } else if self.executions.is_some() {
                    self.open_execution(ctx);
                } else {
                    self.open_machine(ctx);
                }
            }
            // Leaving an execution drops its watch: the next poll's answer is stale. The table
            // underneath was not told of resizes while it was hidden: fit it to the screen now.
            Action::Back => {
                if self.detail.take().is_none() {
                    self.executions = None;
                }
                self.table_mut().scroll_into_view(ctx.rows);
            }
            Action::Copy => {
                let text = if let Some(detail) = &self.detail {
                    Some(detail.execution.arn.clone())
                } else if let Some(view) = &self.executions {
                    view.selected().map(|e| e.arn.clone())
                } else {
                    self.machines.selected().map(Listing::key)
                };
                if let Some(text) = text {
                    ctx.run(Effect::Copy { text });
                }
            }
            Action::Export => {
                if let Some(detail) = &self.detail {
                    ctx.run(Effect::Export {
                        name: "timeline".into(),
                        headers: [
                            "state",
                            "type",
                            "status",
                            "entered",
                            "exited",
                            "duration_ms",
                            "retries",
                            "error",
                            "cause",
                        ]
                        .map(String::from)
                        .to_vec(),
                        rows: detail
                            .timeline
                            .entries
                            .iter()
                            .map(|e| {
                                vec![
                                    e.state.clone(),
                                    e.kind.clone(),
                                    e.status.as_str().into(),
                                    e.entered.to_rfc3339(),
                                    e.exited.map(|x| x.to_rfc3339()).unwrap_or_default(),
                                    e.duration_ms.map(|d| d.to_string()).unwrap_or_default(),
                                    e.retries.to_string(),
                                    e.error.clone().unwrap_or_default(),
                                    e.cause.clone().unwrap_or_default(),
                                ]
                            })
                            .collect(),
                    });
                } else if let Some(view) = &self.executions {
                    ctx.run(Effect::Export {
                        name: "executions".into(),
                        headers: ["name", "status", "started", "stopped", "arn"]
                            .map(String::from)
                            .to_vec(),
                        rows: view
                            .table
                            .visible()
                            .iter()
                            .filter_map(|&i| view.items.get(i))
                            .map(|e| {
                                vec![
                                    e.name.clone(),
                                    e.status.as_str().into(),
                                    e.started.to_rfc3339(),
                                    e.stopped.map(|x| x.to_rfc3339()).unwrap_or_default(),
                                    e.arn.clone(),
                                ]
                            })
                            .collect(),
                    });
                } else {
                    ctx.run(self.machines.export("state-machines"));
                }
            }
            Action::New => self.new_execution(ctx),
            Action::Edit if self.detail.is_some() => self.new_execution(ctx),
            Action::Delete => self.stop_selected(ctx),
            Action::Watch => {
                if let Some(detail) = self.detail.as_mut() {
                    if detail.history == HistoryState::Express {
                        ctx.notify(
                            "express executions have no history through the API: nothing to watch",
                            true,
                        );
                    } else if detail.watching {
                        detail.watching = false;
                        detail.poll = None;
                        ctx.notify("stopped watching", false);
                    } else if detail.execution.status.is_terminal()
                        && detail.timeline.status.is_some()
                    {
                        ctx.notify("the execution has ended: nothing more will happen", false);
                    } else {
                        detail.watching = true;
                        detail.schedule.active();
                        detail.poll_now(Duration::ZERO, ctx);
                        ctx.notify("watching", false);
                    }
                }
            }
            _ => {}
        }
    }

    fn captures_keys(&self) -> bool {
        self.form.is_some()
            || self.stop.is_some()
            || self.detail.as_ref().is_some_and(|d| d.inspect.is_some())
    }

    fn on_key(&mut self, key: KeyEvent, ctx: &mut Ctx) {
        if self.form.is_some() {
            self.on_form_key(key, ctx);
        } else if self.stop.is_some() {
            self.on_stop_key(key, ctx);
        } else if self.detail.as_ref().is_some_and(|d| d.inspect.is_some()) {
            self.on_inspect_key(key, ctx);
        } else {
            self.on_free_key(key, ctx);
        }
    }

    /// The start form's input, back from the editor: kept on one line (compact when it is JSON);
    /// what is wrong with it is shown, and checked again before any plan.
    fn on_edited(&mut self, text: String, _ctx: &mut Ctx) {
        let Some(form) = self.form.as_mut() else {
            return;
        };
        let one_line = match serde_json::from_str::<serde_json::Value>(&text) {
            Ok(value) => {
                form.error = None;
                value.to_string()
            }
            Err(e) => {
                form.error = Some(format!("the input is not JSON: {e}"));
                text.split_whitespace().collect::<Vec<_>>().join(" ")
            }
        };
        form.input = Input::new(one_line);
        form.focus = 1;
    }

    fn is_busy(&self) -> bool {
        self.machines.list.is_loading()
            || self
                .executions
                .as_ref()
                .is_some_and(|v| v.loading.is_some())
            || self.detail.as_ref().is_some_and(|d| {
                d.describe.is_loading() || d.watching || d.history == HistoryState::Loading
            })
    }

    fn reset(&mut self) {
        self.machines.clear();
        self.counts.clear();
        self.executions = None;
        self.detail = None;
        self.form = None;
        self.stop = None;
    }

    fn hint(&self, action: Action) -> &'static str {
        if let Some(detail) = &self.detail {
            return match action {
                Action::Enter => match detail.tab {
                    DetailTab::Events | DetailTab::Timeline => "input/output",
                    _ => "",
                },
                Action::Back => "executions",
                Action::New | Action::Edit => "rerun",
                Action::Delete if !detail.execution.status.is_terminal() => "stop",
                Action::Watch if detail.watching => "stop watching",
                Action::Watch if !detail.execution.status.is_terminal() => "watch",
                _ => "",
            };
        }
        if let Some(view) = &self.executions {
            return match action {
                Action::Enter => "open execution",
                Action::Back => "state machines",
                Action::New => "start",
                Action::Delete
                    if view
                        .selected()
                        .is_some_and(|e| e.status == ExecutionStatus::Running) =>
                {
                    "stop"
                }
                _ => "",
            };
        }
        match action {
            Action::Enter | Action::New if self.machines.selected().is_none() => "",
            Action::Enter => "executions",
            Action::New => "start",
            _ => "",
        }
    }
}

impl Listing for StateMachine {
    fn headers() -> &'static [&'static str] {
        &["NAME", "TYPE", "CREATED", "ARN"]
    }

    fn cells(&self) -> Vec<String> {
        vec![
            self.name.clone(),
            self.kind.as_str().into(),
            self.created
                .map(|c| c.format("%Y-%m-%d %H:%M").to_string())
                .unwrap_or_default(),
            self.arn.clone(),
        ]
    }

    fn key(&self) -> String {
        self.arn.clone()
    }
}

/// States of the pane at each level, for the update tests here and the snapshots of the views.
#[cfg(test)]
pub(crate) mod fixtures {
    use chrono::Duration as Span;
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

    use super::*;
    use crate::app::tests::{at, loaded_state};
    use crate::app::{Msg, State, update};
    use crate::domain::workflows::EventDetails;
    use crate::domain::workflows::timeline::fixtures::History;

    pub const ACCOUNT: &str = "111111111111";

    pub fn machine(name: &str, kind: MachineType) -> StateMachine {
        StateMachine {
            arn: format!("arn:aws:states:eu-west-1:{ACCOUNT}:stateMachine:{name}"),
            name: name.into(),
            kind,
            created: Some(at() - Span::days(30)),
        }
    }

    pub fn execution(machine: &str, name: &str, status: ExecutionStatus, ago_s: i64) -> Execution {
        let started = at() - Span::seconds(ago_s);
        Execution {
            arn: format!("arn:aws:states:eu-west-1:{ACCOUNT}:execution:{machine}:{name}"),
            name: name.into(),
            machine_arn: format!("arn:aws:states:eu-west-1:{ACCOUNT}:stateMachine:{machine}"),
            status,
            started,
            stopped: status
                .is_terminal()
                .then(|| started + Span::milliseconds(1_500)),
        }
    }

    pub fn press(state: &mut State, code: KeyCode) -> Vec<Effect> {
        update(state, Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)))
    }

    pub fn chars(state: &mut State, text: &str) -> Vec<Effect> {
        text.chars()
            .flat_map(|c| press(state, KeyCode::Char(c)))
            .collect()
    }

    pub fn workflows(effects: Vec<Effect>) -> Vec<WorkflowsEffect> {
        effects
            .into_iter()
            .filter_map(|e| match e {
                Effect::Workflows(w) => Some(w),
                _ => None,
            })
            .collect()
    }

    /// The Workflows pane with its machines loaded (counts answered).
    pub fn machines_state() -> State {
        let (mut state, _) = loaded_state();
        let effects = workflows(press(&mut state, KeyCode::Char('3')));
        let request = match effects.as_slice() {
            [WorkflowsEffect::LoadMachines { request, .. }] => *request,
            other => panic!("unexpected {other:?}"),
        };
        let machines = vec![
            machine("tenant-onboarding", MachineType::Standard),
            machine("invoice-export", MachineType::Standard),
            machine("audit-stream", MachineType::Express),
        ];
        let follow = workflows(update(
            &mut state,
            Msg::Workflows(WorkflowsMsg::Machines {
                request,
                result: Ok(machines),
                at: at(),
            }),
        ));
        for effect in follow {
            if let WorkflowsEffect::LoadCounts { machine_arn, .. } = effect {
                let executions = if machine_arn.ends_with("invoice-export") {
                    vec![
                        execution("invoice-export", "a", ExecutionStatus::Failed, 50),
                        execution("invoice-export", "b", ExecutionStatus::Running, 40),
                    ]
                } else {
                    vec![execution(
                        "tenant-onboarding",
                        "c",
                        ExecutionStatus::Succeeded,
                        10,
                    )]
                };
                update(
                    &mut state,
                    Msg::Workflows(WorkflowsMsg::Counts {
                        machine_arn,
                        result: Ok(ExecutionPage {
                            executions,
                            next_token: None,
                        }),
                    }),
                );
            }
        }
        state
    }

    /// The request of the one `LoadExecutions` among `effects`.
    pub fn executions_request(effects: &[WorkflowsEffect]) -> RequestId {
        effects
            .iter()
            .find_map(|e| match e {
                WorkflowsEffect::LoadExecutions { request, .. } => Some(*request),
                _ => None,
            })
            .unwrap_or_else(|| panic!("no LoadExecutions in {effects:?}"))
    }

    pub fn onboarding_executions() -> Vec<Execution> {
        let m = "tenant-onboarding";
        vec![
            execution(m, "onboard-hooli", ExecutionStatus::Running, 12),
            execution(m, "onboard-initech", ExecutionStatus::Succeeded, 60),
            execution(m, "onboard-umbrella", ExecutionStatus::Failed, 120),
            execution(m, "onboard-stark", ExecutionStatus::Aborted, 180),
            execution(m, "onboard-acme", ExecutionStatus::Succeeded, 240),
        ]
    }

    /// The executions of tenant-onboarding (the first machine), one page.
    pub fn executions_state() -> State {
        let mut state = machines_state();
        let effects = workflows(press(&mut state, KeyCode::Enter));
        let request = executions_request(&effects);
        update(
            &mut state,
            Msg::Workflows(WorkflowsMsg::Executions {
                request,
                result: Ok(ExecutionPage {
                    executions: onboarding_executions(),
                    next_token: None,
                }),
                at: at(),
            }),
        );
        state
    }

    /// What opening an execution asked for: describe, definition and first poll requests.
    pub struct Opened {
        pub describe: RequestId,
        pub definition: RequestId,
        pub poll: Option<RequestId>,
    }

    pub fn opened(effects: &[WorkflowsEffect]) -> Opened {
        let mut o = Opened {
            describe: RequestId(0),
            definition: RequestId(0),
            poll: None,
        };
        for e in effects {
            match e {
                WorkflowsEffect::LoadExecution { request, .. } => o.describe = *request,
                WorkflowsEffect::LoadDefinition { request, .. } => o.definition = *request,
                WorkflowsEffect::PollHistory { request, .. } => o.poll = Some(*request),
                _ => {}
            }
        }
        o
    }

    /// A running onboarding: validated, now in its Parallel, one branch waiting.
    pub fn running_history() -> History {
        let mut h = History::new();
        let v = h.state("Pass", "ValidateRequest", 1);
        let c = h.state("Choice", "CheckPlan", v);
        let p = h.push(
            "ParallelStateEntered",
            c,
            Some("ProvisionTenant"),
            EventDetails {
                input: Some(r#"{"tenant_id":"hooli"}"#.into()),
                ..EventDetails::default()
            },
        );
        let s = h.push("ParallelStateStarted", p, None, EventDetails::default());
        h.state("Pass", "CreateTenantGroups", s);
        let d = h.state("Pass", "ProvisionDns", s);
        h.push(
            "WaitStateEntered",
            d,
            Some("WaitForDnsPropagation"),
            EventDetails::default(),
        );
        h
    }

    pub const DEFINITION: &str = r#"{
      "StartAt": "ValidateRequest",
      "States": {
        "ValidateRequest": {"Type": "Pass", "Next": "CheckPlan"},
        "CheckPlan": {"Type": "Choice",
          "Choices": [{"Variable": "$.plan", "StringEquals": "enterprise", "Next": "Reserve"}],
          "Default": "ProvisionTenant"},
        "Reserve": {"Type": "Pass", "Next": "ProvisionTenant"},
        "ProvisionTenant": {"Type": "Parallel", "Next": "Done",
          "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Failed"}],
          "Branches": [
            {"StartAt": "CreateTenantGroups", "States": {"CreateTenantGroups": {"Type": "Pass", "End": true}}},
            {"StartAt": "ProvisionDns", "States": {
              "ProvisionDns": {"Type": "Pass", "Next": "WaitForDnsPropagation"},
              "WaitForDnsPropagation": {"Type": "Wait", "Seconds": 30, "End": true}}}
          ]},
        "Failed": {"Type": "Fail", "Error": "Onboarding.Failed"},
        "Done": {"Type": "Succeed"}
      }
    }"#;

    /// The running onboard-hooli open on `tab`, with its history, definition and summary loaded.
    pub fn detail_state() -> (State, Option<RequestId>) {
        let mut state = executions_state();
        let effects = workflows(press(&mut state, KeyCode::Enter));
        let o = opened(&effects);
        let execution = onboarding_executions().remove(0);
        update(
            &mut state,
            Msg::Workflows(WorkflowsMsg::Execution {
                request: o.describe,
                result: Ok(ExecutionDetail {
                    execution: execution.clone(),
                    input: Some(r#"{"tenant_id":"hooli"}"#.into()),
                    output: None,
                    error: None,
                    cause: None,
                    machine_version_arn: None,
                    redrive_count: 0,
                }),
                at: at(),
            }),
        );
        update(
            &mut state,
            Msg::Workflows(WorkflowsMsg::Definition {
                request: o.definition,
                result: Ok(MachineDefinition {
                    arn: execution.machine_arn.clone(),
                    name: "tenant-onboarding".into(),
                    kind: MachineType::Standard,
                    definition: DEFINITION.into(),
                    revision_id: None,
                }),
                at: at(),
            }),
        );
        let mut events = running_history().events;
        // Put the history in the execution's time frame.
        let shift = execution.started - events[0].timestamp;
        for e in &mut events {
            e.timestamp += shift + Span::milliseconds(e.id * 700);
        }
        let next = workflows(update(
            &mut state,
            Msg::Workflows(WorkflowsMsg::History {
                request: o.poll.expect("a running execution is polled"),
                result: Ok(Fetched {
                    requests: 1,
                    received: events.len(),
                    events,
                }),
                at: at(),
            }),
        ));
        let poll = next.iter().find_map(|e| match e {
            WorkflowsEffect::PollHistory { request, .. } => Some(*request),
            _ => None,
        });
        (state, poll)
    }
}

#[cfg(test)]
mod tests {
    use crossterm::event::KeyCode;

    use super::fixtures::*;
    use super::*;
    use crate::app::tests::at;
    use crate::app::{Mode, Msg, update};
    use crate::domain::workflows::EventDetails;
    use crate::domain::workflows::timeline::fixtures::History;
    use crate::mutation::Danger;
    use crate::services::ErrorKind;

    #[test]
    fn loaded_machines_ask_for_the_counts_of_standard_machines_only() {
        let state = machines_state();
        let pane = &state.workflows;
        assert_eq!(pane.counts.len(), 2);
        let invoice = machine("invoice-export", MachineType::Standard).arn;
        assert_eq!(pane.counts[&invoice], (1, 1));
    }

    #[test]
    fn enter_opens_the_executions_newest_first_and_esc_goes_back() {
        let mut state = executions_state();
        let view = state.workflows.executions.as_ref().unwrap();
        assert_eq!(view.selected().unwrap().name, "onboard-hooli");
        assert_eq!(view.counts(), (1, 2));
        press(&mut state, KeyCode::Esc);
        assert!(state.workflows.executions.is_none());
    }

    #[test]
    fn status_keys_reload_with_the_filter_and_the_same_key_clears_it() {
        let mut state = executions_state();
        let effects = workflows(chars(&mut state, "F"));
        match effects.as_slice() {
            [
                WorkflowsEffect::LoadExecutions {
                    status, next_token, ..
                },
            ] => {
                assert_eq!(*status, Some(ExecutionStatus::Failed));
                assert_eq!(*next_token, None);
            }
            other => panic!("unexpected {other:?}"),
        }
        assert!(
            state
                .workflows
                .executions
                .as_ref()
                .unwrap()
                .items
                .is_empty()
        );
        let effects = workflows(chars(&mut state, "F"));
        assert!(matches!(
            effects.as_slice(),
            [WorkflowsEffect::LoadExecutions { status: None, .. }]
        ));
    }

    #[test]
    fn failures_first_puts_failed_aborted_and_timed_out_on_top() {
        let mut state = executions_state();
        chars(&mut state, "!");
        let view = state.workflows.executions.as_ref().unwrap();
        let names: Vec<&str> = view.items.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "onboard-umbrella",
                "onboard-stark",
                "onboard-hooli",
                "onboard-initech",
                "onboard-acme"
            ]
        );
        // The selection stays on the execution it was on.
        assert_eq!(view.selected().unwrap().name, "onboard-hooli");
    }

    #[test]
    fn pages_load_lazily_as_the_selection_nears_the_end() {
        let mut state = machines_state();
        let request = executions_request(&workflows(press(&mut state, KeyCode::Enter)));
        let page: Vec<Execution> = (0..60)
            .map(|i| {
                execution(
                    "tenant-onboarding",
                    &format!("run-{i:02}"),
                    ExecutionStatus::Succeeded,
                    1000 - i,
                )
            })
            .collect();
        let effects = workflows(update(
            &mut state,
            Msg::Workflows(WorkflowsMsg::Executions {
                request,
                result: Ok(ExecutionPage {
                    executions: page,
                    next_token: Some("t1".into()),
                }),
                at: at(),
            }),
        ));
        assert!(
            effects.is_empty(),
            "the first page fills the screen: {effects:?}"
        );
        let mut asked = Vec::new();
        for _ in 0..55 {
            asked.extend(workflows(press(&mut state, KeyCode::Char('j'))));
        }
        let tokens: Vec<Option<String>> = asked
            .iter()
            .filter_map(|e| match e {
                WorkflowsEffect::LoadExecutions { next_token, .. } => Some(next_token.clone()),
                _ => None,
            })
            .collect();
        assert_eq!(
            tokens,
            [Some("t1".to_owned())],
            "exactly one next-page load"
        );
    }

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
            [WorkflowsEffect::PollHistory { after, delay, .. }] => {
                assert_eq!(*after, last);
                assert!(*delay > Duration::from_secs(1), "{delay:?}");
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
    fn stopping_a_running_execution_asks_for_its_name() {
        let (mut state, _) = detail_state();
        press(&mut state, KeyCode::Char('d'));
        // The form takes an optional cause (focused) and error.
        assert!(state.workflows.captures_keys());
        chars(&mut state, "INC-42");
        press(&mut state, KeyCode::Enter);
        assert_eq!(state.mode, Mode::Confirm);
        assert!(matches!(
            &state.confirm.as_ref().unwrap().plan.steps[0].action,
            Mutation::Workflows(WorkflowChange::Stop { error, cause, .. })
                if error.as_deref() == Some("Operator.Stopped") && cause.as_deref() == Some("INC-42")
        ));
        let plan = &state.confirm.as_ref().unwrap().plan;
        assert_eq!(
            plan.danger,
            Danger::Destructive {
                confirm_text: "onboard-hooli".into()
            }
        );
        assert_eq!(plan.steps[0].operation, "StopExecution");
        chars(&mut state, "onboard-hooli");
        let effects = press(&mut state, KeyCode::Enter);
        assert!(matches!(effects.as_slice(), [Effect::Execute(_)]));
    }

    #[test]
    fn a_finished_execution_cannot_be_stopped() {
        let mut state = executions_state();
        press(&mut state, KeyCode::Char('j'));
        press(&mut state, KeyCode::Char('d'));
        assert_eq!(state.mode, Mode::Normal);
        assert!(
            state
                .notice
                .as_ref()
                .unwrap()
                .text
                .contains("only a running")
        );
    }

    #[test]
    fn read_only_refuses_a_start_before_any_dialog() {
        let mut state = executions_state();
        state.session.read_only = true;
        press(&mut state, KeyCode::Char('n'));
        press(&mut state, KeyCode::Enter);
        assert_eq!(state.mode, Mode::Normal);
        assert!(state.confirm.is_none());
        assert!(state.notice.as_ref().unwrap().text.contains("read-only"));
    }

    #[test]
    fn an_account_the_config_marks_read_only_is_refused_whatever_the_account_list_says() {
        let mut state = executions_state();
        // The listed account is not read-only (or the list failed): the config still wins.
        let account = state.current_account_id().unwrap().to_owned();
        state.session.read_only_accounts = vec![account];
        press(&mut state, KeyCode::Char('n'));
        press(&mut state, KeyCode::Enter);
        assert_eq!(state.mode, Mode::Normal);
        assert!(state.confirm.is_none());
        assert!(state.notice.as_ref().unwrap().text.contains("read-only"));
    }

    #[test]
    fn a_finished_change_reloads_its_own_pane_even_after_the_operator_moved_on() {
        let mut state = executions_state();
        press(&mut state, KeyCode::Char('n'));
        press(&mut state, KeyCode::Enter);
        assert!(state.confirm.is_some());
        press(&mut state, KeyCode::Char('y'));
        let effects = update(
            &mut state,
            Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)),
        );
        let [Effect::Execute(approved)] = effects.as_slice() else {
            panic!("{effects:?}")
        };
        let title = approved.plan().title.clone();
        press(&mut state, KeyCode::Char('0'));
        let effects = update(
            &mut state,
            Msg::Executed {
                title,
                result: Ok(()),
                steps: vec!["done: 1. start".into()],
            },
        );
        assert!(
            effects.iter().any(|e| matches!(e, Effect::Workflows(_))),
            "the Workflows pane reloads: {effects:?}"
        );
    }

    #[test]
    fn the_start_form_checks_the_input_before_the_plan() {
        let mut state = executions_state();
        press(&mut state, KeyCode::Char('n'));
        assert!(state.workflows.captures_keys());
        // The input field has focus, holding `{}`: make it invalid.
        chars(&mut state, "x");
        press(&mut state, KeyCode::Enter);
        let form = state.workflows.form.as_ref().unwrap();
        assert!(form.error.as_ref().unwrap().contains("not valid JSON"));
        assert!(state.confirm.is_none());
        press(&mut state, KeyCode::Backspace);
        press(&mut state, KeyCode::Enter);
        assert!(state.workflows.form.is_none());
        let plan = &state.confirm.as_ref().unwrap().plan;
        assert_eq!(plan.steps[0].operation, "StartExecution");
        assert!(matches!(
            &plan.steps[0].action,
            Mutation::Workflows(WorkflowChange::Start { input, .. }) if input == "{}"
        ));
    }

    #[test]
    fn ctrl_e_edits_the_input_in_the_editor_and_keeps_it_on_one_line() {
        let (mut state, _) = detail_state();
        press(&mut state, KeyCode::Char('c'));
        let effects = update(
            &mut state,
            Msg::Key(KeyEvent::new(KeyCode::Char('e'), KeyModifiers::CONTROL)),
        );
        let [Effect::EditExternally { pane, text }] = effects.as_slice() else {
            panic!("expected the editor, got {effects:?}")
        };
        assert_eq!(*pane, Pane::Workflows);
        assert_eq!(text, "{\n  \"tenant_id\": \"hooli\"\n}");
        update(
            &mut state,
            Msg::Edited {
                pane: Pane::Workflows,
                result: Ok("{\n  \"tenant_id\": \"acme\",\n  \"dry\": true\n}\n".into()),
            },
        );
        let form = state.workflows.form.as_ref().unwrap();
        assert_eq!(form.input.value(), r#"{"tenant_id":"acme","dry":true}"#);
        assert!(form.error.is_none());
        update(
            &mut state,
            Msg::Edited {
                pane: Pane::Workflows,
                result: Ok("{ broken\n".into()),
            },
        );
        let form = state.workflows.form.as_ref().unwrap();
        assert_eq!(form.input.value(), "{ broken");
        assert!(form.error.as_ref().unwrap().contains("not JSON"));
    }

    #[test]
    fn rerun_starts_from_the_executions_own_input() {
        let (mut state, _) = detail_state();
        press(&mut state, KeyCode::Char('c'));
        let form = state.workflows.form.as_ref().unwrap();
        assert_eq!(form.input.value(), r#"{"tenant_id":"hooli"}"#);
        assert!(form.name.value().starts_with("onboard-hooli-rerun-"));
    }

    #[test]
    fn redrive_is_offered_for_failed_executions_only() {
        let (mut state, _) = detail_state();
        chars(&mut state, "x");
        assert!(state.confirm.is_none());
        assert!(
            state
                .notice
                .as_ref()
                .unwrap()
                .text
                .contains("only a failed")
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

    #[test]
    fn the_executions_fit_a_terminal_resized_while_an_execution_was_open() {
        let mut state = executions_state();
        // Two rows of executions: the last one selected scrolls the table.
        update(&mut state, Msg::Resize(100, 8));
        press(&mut state, KeyCode::Char('G'));
        let table = &state.workflows.executions.as_ref().unwrap().table;
        assert_eq!((table.selected_position(), table.offset()), (4, 3));
        press(&mut state, KeyCode::Enter);
        // Resized while the execution is open: its table is told, the executions' is not.
        update(&mut state, Msg::Resize(100, 40));
        press(&mut state, KeyCode::Esc);
        assert!(state.workflows.detail.is_none());
        let table = &state.workflows.executions.as_ref().unwrap().table;
        assert_eq!(table.offset(), 0, "all five fit");
        assert_eq!(table.window(crate::app::layout::table_rows(40)).len(), 5);
        assert_eq!(table.selected_position(), 4);
    }
}
