//! The Workflows pane: state machines → executions → one execution (summary, timeline, graph,
//! events), watched live while it runs, and the changes an operator makes (start, rerun, stop,
//! redrive) through the shell's confirmation and audit path.
//!
//! Three levels, deepest open wins: `detail` (one execution), `executions` (one machine's), the
//! machine list. Watching is a chain of `PollHistory` effects: each answer schedules the next
//! poll (with the delay [`PollSchedule`] decides) until a terminal event arrives or the operator
//! leaves; answers to a poll no longer awaited are dropped.
//!
//! Files: `msg` (messages and effects), `executions` (one machine's executions), `detail` (one
//! execution, its tabs, the watch and the input/output viewer), `forms` (start, rerun, stop,
//! redrive), `rows` (the machine list); the plan of a change is `domain::workflows::plan`.

use std::collections::HashMap;
use std::time::Duration;

use crossterm::event::KeyEvent;
use tui_input::Input;

use super::Effect;
use super::list::{ListPane, Listing};
use super::live::Live;
use super::pane::{Ctx, PaneState};
use super::table::{Rows, TableView};
use crate::config::keymap::{Action, Scope};
use crate::domain::plan::{Change, Plan};
use crate::domain::time;
use crate::domain::workflows::graph;
use crate::domain::workflows::{ExecutionStatus, MachineType, StateMachine, WorkflowChange};

mod across;
pub mod activity;
mod detail;
mod executions;
#[cfg(test)]
pub(crate) mod fixtures;
mod forms;
mod msg;
mod rows;
pub mod scoped;
#[cfg(test)]
mod tests;

pub use crate::domain::workflows::plan::change_plan;
pub use activity::{Activity, Outcomes};
pub use detail::{DetailTab, DetailView, HistoryState, Inspect, graph_text};
pub use executions::ExecutionsView;
use executions::count;
pub use forms::{StartForm, StartTarget, StopForm, StopTarget};
pub use msg::{Reach, WorkflowsEffect, WorkflowsMsg};
pub use rows::event_summary;

/// Executions per ListExecutions page.
pub const EXECUTIONS_PAGE: i32 = 50;

/// Machines whose running/failed counts each live re-read of the machine list counts again
/// (one ListExecutions each): at the default `ui.refresh_secs` of 5, under one call a second.
pub const RECOUNTS_PER_REFRESH: usize = 4;

#[derive(Debug)]
pub struct WorkflowsPane {
    pub machines: ListPane<StateMachine>,
    /// Running and failed executions per machine ARN, among the newest loaded.
    pub counts: HashMap<String, (usize, usize)>,
    /// Every machine of the organisation scope, in place of `machines` while the scope is the
    /// organisation.
    pub org: Option<scoped::OrgMachines>,
    /// The failures view (`:failures`), over the machine list.
    pub failures: Option<scoped::FailuresView>,
    /// The last 24 hours of each machine on screen, by machine ARN (`activity.rs`).
    pub activity: HashMap<String, Activity>,
    pub executions: Option<ExecutionsView>,
    pub detail: Option<DetailView>,
    pub form: Option<StartForm>,
    pub stop: Option<StopForm>,
    poll_interval: Duration,
    /// Where the next re-read of the machine list starts counting again.
    recount_from: usize,
}

impl Default for WorkflowsPane {
    fn default() -> Self {
        WorkflowsPane {
            machines: ListPane::default(),
            counts: HashMap::new(),
            org: None,
            failures: None,
            activity: HashMap::new(),
            executions: None,
            detail: None,
            form: None,
            stop: None,
            poll_interval: Duration::from_secs(1),
            recount_from: 0,
        }
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
                let refreshed = self.machines.refreshing == Some(request);
                if !self.machines.loaded(request, result, at) {
                    return;
                }
                let account = self.machines.account.clone().unwrap_or_default();
                let standard: Vec<String> = self
                    .machines
                    .items()
                    .iter()
                    .filter(|m| m.kind == MachineType::Standard)
                    .map(|m| m.arn.clone())
                    .collect();
                // A first load counts every machine; a re-read keeps the counts and counts
                // again a few machines in turn, so that refreshing stays within ListExecutions'
                // quota (a refill of 2 a second) however many machines there are.
                let recount: Vec<String> = if refreshed {
                    self.counts.retain(|arn, _| standard.contains(arn));
                    let start = self.recount_from % standard.len().max(1);
                    self.recount_from = start + RECOUNTS_PER_REFRESH;
                    standard
                        .iter()
                        .cycle()
                        .skip(start)
                        .take(RECOUNTS_PER_REFRESH.min(standard.len()))
                        .cloned()
                        .collect()
                } else {
                    self.counts.clear();
                    self.activity.clear();
                    self.recount_from = 0;
                    standard
                };
                for machine_arn in recount {
                    ctx.run(Effect::Workflows(WorkflowsEffect::LoadCounts {
                        account_id: account.clone(),
                        region: String::new(),
                        machine_arn,
                    }));
                }
            }
            WorkflowsMsg::Counts {
                machine_arn,
                result,
            } => {
                if let Ok(page) = result {
                    self.counts.insert(machine_arn, count(&page.executions));
                    // Sorted by a count, the machines take their place as counts arrive.
                    self.machines.table.rows_changed();
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
            WorkflowsMsg::Status { request, result } => {
                if let Some(detail) = self.detail.as_mut() {
                    detail.on_status(request, result, ctx);
                }
            }
            WorkflowsMsg::Activity {
                machine_arn,
                result,
            } => {
                let activity = match result {
                    Ok(buckets) => Activity::Ready(buckets),
                    Err(_) => Activity::Failed,
                };
                self.activity.insert(machine_arn, activity);
            }
            other => self.on_scoped_msg(other),
        }
        // Rows that came on screen (a list arrived, a read ended): their 24-hour column.
        self.request_activity(ctx);
    }

    /// The pane's own keys (`[keymap.workflows]`): status filters and the failures-first toggle
    /// on the executions, tabs and redrive on an execution.
    fn on_pane_action(&mut self, action: Action, ctx: &mut Ctx) {
        if let Some(detail) = self.detail.as_mut() {
            let i = DetailTab::ALL
                .iter()
                .position(|t| *t == detail.tab)
                .unwrap_or(0);
            let n = DetailTab::ALL.len();
            match action {
                Action::NextTab => detail.set_tab(DetailTab::ALL[(i + 1) % n]),
                Action::PrevTab => detail.set_tab(DetailTab::ALL[(i + n - 1) % n]),
                Action::Redrive => self.redrive_selected(ctx),
                other => {
                    if let Some(tab) = DetailTab::ALL.into_iter().find(|t| t.action() == other) {
                        detail.set_tab(tab);
                    }
                }
            }
            return;
        }
        let Some(view) = self.executions.as_mut() else {
            if action == Action::ShowFailures {
                self.open_failures(
                    chrono::Duration::hours(crate::app::command::FAILURES_WINDOW_HOURS),
                    ctx,
                );
            }
            return;
        };
        let wanted = match action {
            Action::FailuresFirst => {
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
            Action::ShowRunning => Some(ExecutionStatus::Running),
            Action::ShowSucceeded => Some(ExecutionStatus::Succeeded),
            Action::ShowFailed => Some(ExecutionStatus::Failed),
            Action::ShowTimedOut => Some(ExecutionStatus::TimedOut),
            Action::ShowAborted => Some(ExecutionStatus::Aborted),
            Action::ShowAllStatuses => None,
            _ => return,
        };
        // The same key again clears the filter.
        view.status = if view.status == wanted { None } else { wanted };
        view.restart(ctx);
    }
}

impl PaneState for WorkflowsPane {
    fn rows_top(&self) -> Option<u16> {
        // An execution's view has its own tabs and summary above its tables; the failures view
        // its chart (when no executions are open over it).
        if self.detail.is_some() || (self.failures.is_some() && self.executions.is_none()) {
            None
        } else {
            Some(crate::app::layout::TITLE_ROWS + crate::app::layout::COLUMN_ROWS)
        }
    }

    fn table(&self) -> &TableView {
        if let Some(detail) = &self.detail {
            &detail.table
        } else if let Some(view) = &self.executions {
            &view.table
        } else if let Some(view) = &self.failures {
            &view.table
        } else if let Some(org) = &self.org {
            &org.table
        } else {
            &self.machines.table
        }
    }

    fn table_mut(&mut self) -> &mut TableView {
        if let Some(detail) = &mut self.detail {
            &mut detail.table
        } else if let Some(view) = &mut self.executions {
            &mut view.table
        } else if let Some(view) = &mut self.failures {
            &mut view.table
        } else if let Some(org) = &mut self.org {
            &mut org.table
        } else {
            &mut self.machines.table
        }
    }

    fn rows(&self) -> Option<Box<dyn Rows + '_>> {
        if let Some(detail) = &self.detail {
            matches!(detail.tab, DetailTab::Timeline | DetailTab::Events)
                .then(|| Box::new(detail) as Box<dyn Rows>)
        } else if let Some(view) = &self.executions {
            Some(Box::new(view))
        } else if let Some(view) = &self.failures {
            Some(Box::new(view))
        } else if let Some(org) = &self.org {
            Some(Box::new(org))
        } else {
            Some(Box::new(rows::MachineRows {
                list: &self.machines,
                counts: &self.counts,
            }))
        }
    }

    fn view_fields(&self) -> Option<(String, Vec<(String, String)>)> {
        let detail = self.detail.as_ref()?;
        (detail.tab == DetailTab::Summary)
            .then(|| (detail.execution.name.clone(), detail.summary_fields()))
    }

    fn refilter(&mut self) {
        if let Some(detail) = &mut self.detail {
            detail.refilter();
        } else if let Some(view) = &mut self.executions {
            view.refilter();
        } else if let Some(view) = &mut self.failures {
            view.refilter();
        } else if let Some(org) = &mut self.org {
            org.refilter();
        } else {
            self.machines.refilter();
        }
    }

    fn ensure_loaded(&mut self, ctx: &mut Ctx) {
        if self.ensure_org_loaded(ctx) {
            // The organisation's list stands in for the current account's.
        } else if let Some((request, account_id)) = self.machines.load_if_needed(ctx) {
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
        self.request_activity(ctx);
    }

    fn reload(&mut self, ctx: &mut Ctx) {
        if let Some(detail) = self.detail.as_mut() {
            detail.load(ctx);
        } else if let Some(view) = self.executions.as_mut() {
            view.restart(ctx);
        } else if self.failures.is_some() {
            self.reload_failures(ctx);
        } else if self.org.is_some() {
            self.reload_org(ctx);
        } else {
            self.machines.invalidate();
            self.ensure_loaded(ctx);
        }
    }

    fn live(&self) -> Live {
        match (&self.detail, &self.executions) {
            (Some(detail), _) if detail.watching => Live::Watching,
            (Some(detail), _) if detail.history == HistoryState::Express => {
                Live::Paused("express: no history to watch")
            }
            (Some(detail), _) if detail.execution.status.is_terminal() => {
                Live::Paused("the execution ended")
            }
            (Some(_), _) => Live::Paused("not watched: w watches"),
            (None, None) if self.failures.is_some() => {
                Live::Paused("a re-read reads the whole scope: r reloads")
            }
            (None, None) if self.org.is_some() => {
                Live::Paused("a re-read reads the whole organisation: r reloads")
            }
            (None, _) => Live::Auto,
        }
    }

    fn refresh(&mut self, ctx: &mut Ctx) {
        if self.detail.is_some() {
            return;
        }
        if let Some(view) = self.executions.as_mut() {
            view.refresh(ctx);
        } else if self.failures.is_some() || self.org.is_some() {
            // Not re-read on a timer: `r` reads every target again.
        } else if self.machines.refresh() {
            self.ensure_loaded(ctx);
        }
    }

    /// A stop shows the execution ABORTED at once, in the list and in its detail.
    fn expect(&mut self, plan: &Plan<Change>) {
        for step in &plan.steps {
            let Change::Workflows(WorkflowChange::Stop { execution_arn, .. }) = &step.action else {
                continue;
            };
            if let Some(view) = self.executions.as_mut()
                && let Some(e) = view.items.iter_mut().find(|e| &e.arn == execution_arn)
            {
                e.status = ExecutionStatus::Aborted;
                view.refilter();
            }
            if let Some(detail) = self.detail.as_mut()
                && &detail.execution.arn == execution_arn
            {
                detail.execution.status = ExecutionStatus::Aborted;
            }
        }
    }

    /// A change ended (a start, rerun, stop or redrive): the execution on screen is read again,
    /// and the executions list under it re-reads its newest page at once, so the new or stopped
    /// execution is there when the operator goes back.
    fn changed(&mut self, ctx: &mut Ctx) {
        if let Some(view) = self.executions.as_mut() {
            view.reread(ctx);
        }
        if let Some(detail) = self.detail.as_mut() {
            detail.load(ctx);
        } else if self.executions.is_none() && self.failures.is_none() && self.org.is_none() {
            self.machines.reread();
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
                } else if self.failures.is_some() {
                    self.open_failure(ctx);
                } else if self.org.is_some() {
                    self.open_org_machine(ctx);
                } else {
                    self.open_machine(ctx);
                }
            }
            // Leaving an execution drops its watch: the next poll's answer is stale. The table
            // underneath was not told of resizes while it was hidden: fit it to the screen now.
            Action::Back => {
                if self.detail.take().is_none() && self.executions.take().is_none() {
                    self.failures = None;
                }
                self.table_mut().scroll_into_view(ctx.rows);
            }
            Action::Copy => {
                let text = if let Some(detail) = &self.detail {
                    Some(detail.execution.arn.clone())
                } else if let Some(view) = &self.executions {
                    view.selected().map(|e| e.arn.clone())
                } else if let Some(view) = &self.failures {
                    view.selected_failure()
                        .map(|f| f.found.execution.arn.clone())
                } else if let Some(org) = &self.org {
                    match org.selected() {
                        Some(scoped::ScopedRow::Item(m)) => Some(m.machine.arn.clone()),
                        _ => None,
                    }
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
                                    time::rfc3339_ms(e.entered),
                                    e.exited.map(time::rfc3339_ms).unwrap_or_default(),
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
                                    time::rfc3339_ms(e.started),
                                    e.stopped.map(time::rfc3339_ms).unwrap_or_default(),
                                    e.arn.clone(),
                                ]
                            })
                            .collect(),
                    });
                } else if let Some(view) = &self.failures {
                    ctx.run(export_rows("failures", view));
                } else if let Some(org) = &self.org {
                    ctx.run(export_rows("state-machines", org));
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
            action if action.scope() == Scope::Workflows => self.on_pane_action(action, ctx),
            _ => {}
        }
    }

    /// A change from an execution or machine of another account (opened from the organisation
    /// or the failures view) is checked against that account's read-only setting.
    fn change_account(&self, _action: Action) -> Option<String> {
        if let Some(detail) = &self.detail {
            return Some(detail.account.clone());
        }
        if let Some(view) = &self.executions {
            return Some(view.account.clone());
        }
        match self.org.as_ref().and_then(|o| o.selected()) {
            Some(scoped::ScopedRow::Item(m)) => Some(m.place.account_id.clone()),
            _ => None,
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
        form.fields[forms::INPUT].input = Input::new(one_line);
        form.focus = forms::INPUT;
    }

    fn is_busy(&self) -> bool {
        self.machines.is_busy()
            || self.org.as_ref().is_some_and(|o| o.progress.is_busy())
            || self.failures.as_ref().is_some_and(|f| f.progress.is_busy())
            || self
                .executions
                .as_ref()
                .is_some_and(|v| v.loading.is_some() || v.refreshing.is_some())
            || self.detail.as_ref().is_some_and(|d| {
                d.describe.is_loading() || d.watching || d.history == HistoryState::Loading
            })
    }

    fn reset(&mut self) {
        self.machines.clear();
        self.counts.clear();
        self.org = None;
        self.failures = None;
        self.activity.clear();
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
                Action::Back if self.executions.is_none() && self.failures.is_some() => "failures",
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
        if let Some(view) = &self.failures {
            return match action {
                Action::Enter if view.selected_failure().is_some() => "open execution",
                Action::Back => "state machines",
                _ => "",
            };
        }
        if let Some(org) = &self.org {
            return match (action, org.selected()) {
                (Action::Enter, Some(scoped::ScopedRow::Item(_))) => "executions",
                (Action::New, Some(scoped::ScopedRow::Item(_))) => "start",
                (Action::ShowFailures, _) => "failures",
                _ => "",
            };
        }
        match action {
            Action::ShowFailures => "failures",
            Action::Enter | Action::New if self.machines.selected().is_none() => "",
            Action::Enter => "executions",
            Action::New => "start",
            _ => "",
        }
    }
}

/// What `e` exports of a scoped table: the visible rows under its headers.
fn export_rows(name: &str, rows: &dyn Rows) -> Effect {
    Effect::Export {
        name: name.to_owned(),
        headers: rows.headers().iter().map(|h| (*h).to_owned()).collect(),
        rows: (0..rows.count()).filter_map(|i| rows.cells(i)).collect(),
    }
}
