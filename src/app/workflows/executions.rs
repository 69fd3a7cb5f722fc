//! One machine's executions: loaded a page at a time as the selection nears the end, filtered by
//! status, newest (or failures) first; Enter opens one.

use chrono::{DateTime, Utc};

use super::detail::DetailView;
use super::{WorkflowsEffect, WorkflowsPane};
use crate::app::Effect;
use crate::app::loadable::RequestId;
use crate::app::pane::Ctx;
use crate::app::table::{Rows, SortKey, TableView};
use crate::domain::time;
use crate::domain::workflows::{Execution, ExecutionPage, ExecutionStatus, StateMachine};
use crate::services::ServiceError;

/// Load the next page when the selection gets this close to the end.
const PAGE_AHEAD: usize = 10;

/// One machine's executions, newest first, loaded a page at a time.
#[derive(Debug)]
pub struct ExecutionsView {
    pub machine: StateMachine,
    pub account: String,
    /// The machine's region (empty: the current region).
    pub region: String,
    /// In display order (newest first, failures first when toggled).
    pub items: Vec<Execution>,
    pub loading: Option<RequestId>,
    /// A background re-read of the newest page in flight: the rows stay until it answers.
    pub refreshing: Option<RequestId>,
    pub error: Option<ServiceError>,
    /// Why the last background re-read failed (the rows are from before it).
    pub refresh_error: Option<ServiceError>,
    pub next_token: Option<String>,
    pub fetched_at: Option<DateTime<Utc>>,
    pub status: Option<ExecutionStatus>,
    pub failures_first: bool,
    pub table: TableView,
    haystacks: Vec<String>,
}

impl ExecutionsView {
    pub(super) fn new(machine: StateMachine, account: String, region: String) -> ExecutionsView {
        ExecutionsView {
            machine,
            account,
            region,
            items: Vec::new(),
            loading: None,
            refreshing: None,
            error: None,
            refresh_error: None,
            next_token: None,
            fetched_at: None,
            status: None,
            failures_first: false,
            table: TableView::default(),
            haystacks: Vec::new(),
        }
    }

    /// Load from the first page again (another filter, or `r`).
    pub(super) fn restart(&mut self, ctx: &mut Ctx) {
        self.items.clear();
        self.next_token = None;
        self.error = None;
        self.refresh_error = None;
        // A re-read under the old filter would merge the wrong executions.
        self.refreshing = None;
        self.refilter();
        self.load(None, ctx);
    }

    fn load(&mut self, next_token: Option<String>, ctx: &mut Ctx) {
        let request = ctx.request();
        self.loading = Some(request);
        ctx.run(Effect::Workflows(WorkflowsEffect::LoadExecutions {
            request,
            account_id: self.account.clone(),
            region: self.region.clone(),
            machine_arn: self.machine.arn.clone(),
            status: self.status,
            next_token,
        }));
    }

    /// Re-read the newest page in the background (live refresh, or after a change): executions
    /// started since appear on top, and those that moved on take their new status, while the
    /// rows stay on screen. Nothing while a load or a re-read is in flight, or before the first
    /// page came.
    pub(super) fn refresh(&mut self, ctx: &mut Ctx) {
        if self.loading.is_some() || self.refreshing.is_some() || self.fetched_at.is_none() {
            return;
        }
        self.reread_newest(ctx);
    }

    /// Read again after a change: the newest page in the background when rows are on screen
    /// (a re-read already in flight predates the change: its answer is dropped), else from the
    /// first page.
    pub(super) fn reread(&mut self, ctx: &mut Ctx) {
        if self.loading.is_none() && self.fetched_at.is_some() {
            self.reread_newest(ctx);
        } else {
            self.restart(ctx);
        }
    }

    fn reread_newest(&mut self, ctx: &mut Ctx) {
        let request = ctx.request();
        self.refreshing = Some(request);
        ctx.run(Effect::Workflows(WorkflowsEffect::LoadExecutions {
            request,
            account_id: self.account.clone(),
            region: self.region.clone(),
            machine_arn: self.machine.arn.clone(),
            status: self.status,
            next_token: None,
        }));
    }

    /// Near the end of what is loaded and more exists: fetch the next page.
    pub(super) fn load_more_if_near_end(&mut self, ctx: &mut Ctx) {
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

    pub(super) fn loaded(
        &mut self,
        request: RequestId,
        result: Result<ExecutionPage, ServiceError>,
        at: DateTime<Utc>,
    ) -> bool {
        if self.refreshing == Some(request) {
            self.refreshing = None;
            match result {
                Ok(page) => {
                    self.merge(page.executions);
                    self.fetched_at = Some(at);
                    self.error = None;
                }
                // The rows on screen stay; the next re-read (or `r`) tries again.
                Err(e) => self.refresh_error = Some(e),
            }
            return true;
        }
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

    /// Take the newest page read again: each execution already listed takes its new status and
    /// stop time, the others are added; then the order is restored, the selection kept.
    fn merge(&mut self, newest: Vec<Execution>) {
        self.refresh_error = None;
        for execution in newest {
            match self.items.iter_mut().find(|e| e.arn == execution.arn) {
                Some(known) => *known = execution,
                None => self.items.push(execution),
            }
        }
        self.table.rows_changed();
        self.order();
    }

    /// Newest first; failures before the rest when toggled.
    pub(super) fn order(&mut self) {
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

    /// The rows are rebuilt (a page arrived, another order): searched again, sorted again.
    pub(super) fn refilter(&mut self) {
        self.table.rows_changed();
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

impl Rows for ExecutionsView {
    fn headers(&self) -> &'static [&'static str] {
        &["NAME", "STATUS", "STARTED", "STOPPED", "DURATION"]
    }

    fn count(&self) -> usize {
        self.items.len()
    }

    fn cells(&self, row: usize) -> Option<Vec<String>> {
        let e = self.items.get(row)?;
        let now = self.fetched_at.unwrap_or_default();
        Some(vec![
            e.name.clone(),
            e.status.as_str().to_owned(),
            time::stamp(e.started),
            e.stopped.map(time::stamp).unwrap_or_default(),
            e.duration_ms(now).map(time::duration).unwrap_or_default(),
        ])
    }

    fn sort_key(&self, row: usize, column: usize) -> SortKey {
        let Some(e) = self.items.get(row) else {
            return SortKey::Empty;
        };
        match column {
            0 => SortKey::cell(&e.name),
            1 => SortKey::cell(e.status.as_str()),
            2 => SortKey::time(Some(e.started)),
            3 => SortKey::time(e.stopped),
            _ => SortKey::number(e.duration_ms(self.fetched_at.unwrap_or_default())),
        }
    }

    fn fields(&self, row: usize) -> Option<Vec<(String, String)>> {
        let e = self.items.get(row)?;
        let mut fields: Vec<(String, String)> = self
            .headers()
            .iter()
            .map(|h| (*h).to_owned())
            .zip(self.cells(row)?)
            .collect();
        fields.push(("ARN".into(), e.arn.clone()));
        fields.push(("STATE MACHINE".into(), e.machine_arn.clone()));
        Some(fields)
    }
}

pub(super) fn count(items: &[Execution]) -> (usize, usize) {
    let running = items
        .iter()
        .filter(|e| e.status == ExecutionStatus::Running)
        .count();
    let failed = items.iter().filter(|e| e.status.is_failure()).count();
    (running, failed)
}

impl WorkflowsPane {
    pub(super) fn open_machine(&mut self, ctx: &mut Ctx) {
        let Some(machine) = self.machines.selected().cloned() else {
            return;
        };
        let Some(account) = self.machines.account.clone() else {
            return;
        };
        let mut view = ExecutionsView::new(machine, account, String::new());
        view.load(None, ctx);
        self.executions = Some(view);
    }

    pub(super) fn open_execution(&mut self, ctx: &mut Ctx) {
        let Some(view) = self.executions.as_ref() else {
            return;
        };
        let Some(execution) = view.selected().cloned() else {
            return;
        };
        self.detail = Some(DetailView::open(
            execution,
            view.machine.clone(),
            (view.account.clone(), view.region.clone()),
            self.poll_interval,
            ctx,
        ));
    }
}
