//! The state of the whole app: the session, the panes, the mode the keyboard is in, what is on
//! screen besides the panes (report, progress, notice), and how a pane's requests reach the shell.

use std::sync::Arc;

use chrono::{DateTime, Utc};

use crate::config::keymap::{Keymap, Scope};
use crate::domain::account::{Account, CallerIdentity};
use crate::domain::plan::Policy;

use super::accounts::AccountsPane;
use super::confirm::ConfirmDialog;
use super::detail::Details;
use super::dns::DnsPane;
use super::live::{Live, Refresher};
use super::loadable::{Loadable, RequestId};
use super::msg::Effect;
use super::pane::{self, Ctx, PaneState};
use super::prompt::Prompt;
use super::tenants::{TenancySettings, TenantsPane};
use super::waits::Waits;
use super::workflows::WorkflowsPane;
use super::{Change, layout, pager, table};

/// What the header shows about the session; fixed at start except the region.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Session {
    pub profile: Option<String>,
    pub region: Option<String>,
    pub endpoint: Option<String>,
    pub read_only: bool,
    /// Accounts the config marks read-only: refused even before (or without) the account list.
    pub read_only_accounts: Vec<String>,
    /// Offered by `:region` completion.
    pub regions: Vec<String>,
    /// `[scope] regions` of the config: the regions of `:scope org` when none are given.
    pub scope_regions: Vec<String>,
    /// A random tag of this dashboard session (see [`crate::domain::workflows::session_tag`]),
    /// in the default names of the executions it starts, so two sessions never propose the same.
    pub tag: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pane {
    Accounts,
    Tenants,
    Dns,
    Workflows,
}

impl Pane {
    pub const ALL: [Pane; 4] = [Pane::Accounts, Pane::Tenants, Pane::Dns, Pane::Workflows];

    /// The keymap scope of the pane's own keys (the Accounts pane has none: global keys only).
    pub fn scope(self) -> Scope {
        match self {
            Pane::Accounts => Scope::Global,
            Pane::Tenants => Scope::Tenants,
            Pane::Dns => Scope::Dns,
            Pane::Workflows => Scope::Workflows,
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Pane::Accounts => "Accounts",
            Pane::Tenants => "Tenants",
            Pane::Dns => "DNS",
            Pane::Workflows => "Workflows",
        }
    }
}

/// What the keyboard is talking to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Normal,
    /// Typing a `/` filter for the current table.
    Filter,
    /// Typing a `:` command.
    Command,
    Help,
    /// Answering the confirmation dialog of a change.
    Confirm,
    /// Reading a report (the per-step result of a change, every bad row of a file).
    Report,
    /// Typing an MFA code (`app::credentials`): the prompt has the keyboard.
    Credentials,
    /// Reading every field of a table's row in full (`State::detail`).
    Detail,
}

/// Lines to read in a scrollable box: what a change did, step by step, or everything wrong with
/// an input file. Long lines wrap; the box scrolls by rows as drawn.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub title: String,
    pub lines: Vec<String>,
    pub scroll: pager::Pager,
}

/// How far a running change has come.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Progress {
    pub title: String,
    pub done: usize,
    pub total: usize,
}

/// A one-line message in the status bar, gone after a few seconds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub text: String,
    pub is_error: bool,
    /// The tick after which it disappears.
    pub until_tick: u64,
}

/// A confirmed change still running: its title, the pane that planned it (re-read when it
/// ends) and the tick it started at (a long one rings the bell when it ends).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Changing {
    pub title: String,
    pub pane: Pane,
    pub since: u64,
}

/// Ticks a notice stays up (the runtime ticks every `ui.tick_ms`, 250 ms by default).
pub(super) const NOTICE_TICKS: u64 = 16;

pub struct State {
    pub session: Session,
    /// The MFA prompt, the session's time left, profile switching.
    pub credentials: super::credentials::Credentials,
    pub identity: Loadable<CallerIdentity>,
    pub pane: Pane,
    pub accounts: AccountsPane,
    pub tenants: TenantsPane,
    pub dns: DnsPane,
    pub workflows: WorkflowsPane,
    /// The account the panes work in; `None` until chosen: the caller's own account.
    pub current_account: Option<Account>,
    /// Which accounts and regions the Tenants and Workflows panes read (`:scope`).
    pub scope: super::scope::Scope,
    pub mode: Mode,
    pub prompt: Prompt,
    pub confirm: Option<ConfirmDialog<Change>>,
    /// The change being executed, while it runs.
    pub progress: Option<Progress>,
    /// A report on screen (`Mode::Report`).
    pub report: Option<Report>,
    /// The detail view of a row on screen (`Mode::Detail`).
    pub detail: Option<Details>,
    /// The confirmed changes still running, oldest first: each one's title and the pane that
    /// planned it, reloaded when it ends. Several can run at once (the runtime does not wait for
    /// one to end before starting the next).
    pub(super) changing: Vec<Changing>,
    pub help_scroll: usize,
    pub keymap: Keymap,
    /// When the view on screen re-reads itself (`ui.refresh_secs`), and the bell (`ui.bell`).
    pub live: Refresher,
    pub notice: Option<Notice>,
    pub tick: u64,
    /// The wall clock as the runtime read it before the last message (the core reads no clock of
    /// its own): lists draw their ages (`3m ago`) from it, so they move on as it does.
    pub now: DateTime<Utc>,
    /// When each request was made, in ticks, to say how long a slow one has been waited for.
    pub waits: Waits,
    /// Terminal size in cells (width, height).
    pub size: (u16, u16),
    pub running: bool,
    pub(super) next_request: u64,
    /// The table jobs (searches, sorts) handed to the runtime and not answered yet, while not
    /// superseded.
    pub(super) jobs_in_flight: Vec<Arc<table::TableJob>>,
}

impl State {
    pub fn new(session: Session, keymap: Keymap, tenancy: TenancySettings) -> State {
        State {
            session,
            credentials: Default::default(),
            identity: Loadable::NotAsked,
            pane: Pane::Accounts,
            accounts: AccountsPane::default(),
            tenants: TenantsPane::new(tenancy),
            dns: DnsPane::default(),
            workflows: WorkflowsPane::default(),
            current_account: None,
            scope: super::scope::Scope::Here,
            mode: Mode::Normal,
            prompt: Prompt::default(),
            confirm: None,
            progress: None,
            report: None,
            detail: None,
            changing: Vec::new(),
            help_scroll: 0,
            keymap,
            live: Refresher::default(),
            notice: None,
            tick: 0,
            now: DateTime::<Utc>::UNIX_EPOCH,
            waits: Waits::default(),
            size: (80, 24),
            running: true,
            next_request: 0,
            jobs_in_flight: Vec::new(),
        }
    }

    /// The effects to run at start: who we are, and the accounts.
    pub fn start(&mut self) -> Vec<Effect> {
        if self.credentials.waiting {
            // The MFA prompt is open: the loads follow its answer.
            return Vec::new();
        }
        let identity = self.load_identity();
        let mut effects = vec![identity];
        effects.extend(self.with_pane(Pane::Accounts, |pane, ctx| pane.reload(ctx)));
        self.note_requests();
        effects
    }

    /// Record the tick of the requests issued since the last call (after every message).
    pub(super) fn note_requests(&mut self) {
        self.waits.note(self.next_request, self.tick);
    }

    /// Whole seconds `request` has been waited for, once that is slow (a few seconds); `None`
    /// while it is quick.
    pub fn slow_wait(&self, request: RequestId) -> Option<u64> {
        self.waits.slow(request, self.tick)
    }

    fn request(&mut self) -> RequestId {
        self.next_request += 1;
        RequestId(self.next_request)
    }

    pub(super) fn load_identity(&mut self) -> Effect {
        let request = self.request();
        self.identity = Loadable::Loading { request };
        Effect::LoadIdentity { request }
    }

    /// Is anything in flight (the spinner turns, ticks redraw)?
    pub fn is_busy(&self) -> bool {
        self.identity.is_loading()
            || self.progress.is_some()
            || Pane::ALL.iter().any(|&p| self.pane_state(p).is_busy())
    }

    /// The account the panes act on: the chosen one, else the caller's own.
    pub fn current_account_id(&self) -> Option<&str> {
        self.current_account
            .as_ref()
            .map(|a| a.id.as_str())
            .or_else(|| self.identity.value().map(|i| i.account_id.as_str()))
    }

    /// The read-only policy in force: the global switch and the accounts configured read-only.
    pub fn policy(&self) -> Policy {
        Policy {
            read_only: self.session.read_only,
            read_only_accounts: self
                .accounts
                .read_only_ids()
                .iter()
                .chain(&self.session.read_only_accounts)
                .cloned()
                .collect(),
        }
    }

    /// Why a change in the current account would be refused (read-only, globally or for the
    /// account), if it would.
    pub fn refuses_changes(&self) -> Option<crate::domain::plan::Refusal> {
        self.refuses_changes_in(None)
    }

    /// Why a change in `account` (the current account when `None`) would be refused.
    pub fn refuses_changes_in(
        &self,
        account: Option<&str>,
    ) -> Option<crate::domain::plan::Refusal> {
        let policy = self.policy();
        let account = account.or(self.current_account_id()).unwrap_or_default();
        policy.check_account(account).err()
    }

    pub fn pane_state(&self, pane: Pane) -> &dyn PaneState {
        match pane {
            Pane::Accounts => &self.accounts,
            Pane::Tenants => &self.tenants,
            Pane::Dns => &self.dns,
            Pane::Workflows => &self.workflows,
        }
    }

    /// The table that movement keys and the filter act on.
    pub fn active_table(&self) -> &table::TableView {
        self.pane_state(self.pane).table()
    }

    /// Lend the panes and a context to act with; call [`State::apply`] with what the context
    /// collected once the loan ends.
    pub(super) fn split(&mut self) -> (Ctx<'_>, Panes<'_>) {
        self.tenants.scope.clone_from(&self.scope);
        let account = self.current_account_id().map(str::to_owned);
        let region = self.session.region.clone();
        let rows = self.table_rows();
        let policy = self.policy();
        let mut ctx = Ctx::new(
            account,
            region,
            rows,
            &self.keymap,
            &self.session.tag,
            policy,
            &mut self.next_request,
        );
        ctx.scope = self.scope.clone();
        (
            ctx,
            Panes {
                accounts: &mut self.accounts,
                tenants: &mut self.tenants,
                dns: &mut self.dns,
                workflows: &mut self.workflows,
            },
        )
    }

    /// Call a pane through its [`PaneState`], then apply what it asked for.
    pub(super) fn with_pane(
        &mut self,
        pane: Pane,
        f: impl FnOnce(&mut dyn PaneState, &mut Ctx),
    ) -> Vec<Effect> {
        let (mut ctx, panes) = self.split();
        f(panes.get(pane), &mut ctx);
        let asked = ctx.finish();
        self.apply(asked)
    }

    /// Apply what a pane asked of the shell; return the effects for the runtime.
    pub(super) fn apply(&mut self, asked: pane::Asked) -> Vec<Effect> {
        let pane::Asked {
            mut effects,
            notice,
            confirm,
            make_current,
            report,
            bell,
        } = asked;
        if let Some((text, is_error)) = notice {
            self.notify(text, is_error);
        }
        if bell && self.live.bell {
            effects.push(Effect::Bell);
        }
        if let Some((title, lines)) = report {
            self.open_report(title, lines);
        }
        if let Some(plan) = confirm {
            // Every step's account too: a plan across accounts (onboarding with the tenant's
            // record in the zone's account) is refused whole before the dialog opens.
            match crate::mutation::check_policy(&self.policy(), &plan) {
                // Refused before the dialog opens: nothing to confirm in read-only mode.
                Err(refusal) => self.notify(refusal.to_string(), true),
                // A plan that arrives (a slow pool read) while the operator answers another one
                // must not take that dialog's place, nor the answer being typed into it.
                Ok(()) if self.confirm.is_some() => self.notify(
                    format!(
                        "not shown: `{}` was planned while another change awaited \
                         confirmation; nothing was changed, plan it again",
                        plan.title
                    ),
                    true,
                ),
                Ok(()) => {
                    self.confirm = Some(ConfirmDialog::new(plan));
                    self.mode = Mode::Confirm;
                }
            }
        }
        if let Some(account) = make_current {
            make_current_account(self, account);
            effects.extend(self.ensure_loaded());
        }
        effects
    }

    /// How the view on screen keeps itself current (for the header).
    pub fn live_view(&self) -> Live {
        self.pane_state(self.pane).live()
    }

    /// On every tick: when a re-read is due, ask the view on screen for one (if it is live).
    pub(super) fn refresh_if_due(&mut self) -> Vec<Effect> {
        if !self.live.due(self.tick) || self.live_view() != Live::Auto {
            return Vec::new();
        }
        self.with_pane(self.pane, |pane, ctx| pane.refresh(ctx))
    }

    /// Load what the visible pane shows, if it is not loaded for the current account yet.
    pub(super) fn ensure_loaded(&mut self) -> Vec<Effect> {
        self.with_pane(self.pane, |pane, ctx| pane.ensure_loaded(ctx))
    }

    pub(super) fn open_report(&mut self, title: String, lines: Vec<String>) {
        self.report = Some(Report {
            title,
            lines,
            scroll: pager::Pager::default(),
        });
        self.mode = Mode::Report;
    }

    /// The detail view of the selected row of the table on screen: every field in full.
    pub(super) fn open_detail(&mut self) {
        let pane = self.pane_state(self.pane);
        let row = pane.rows().and_then(|rows| {
            let row = pane.table().selected_index()?;
            let fields = rows.fields(row)?;
            let title = fields
                .first()
                .map(|(_, v)| v.lines().next().unwrap_or_default().to_owned())
                .unwrap_or_default();
            Some((title, fields))
        });
        match row.or_else(|| pane.view_fields()) {
            Some((title, fields)) if !fields.is_empty() => {
                self.detail = Some(Details::new(title, fields));
                self.mode = Mode::Detail;
            }
            _ => self.notify("no row selected: nothing to show in detail", false),
        }
    }

    /// Sort the table on screen by the next column (`next`) or the other way; the order itself
    /// is computed by [`State::order_table`] after the message.
    pub(super) fn sort_table(&mut self, next: bool) {
        let rows = self.table_rows();
        let Some(headers) = self.pane_state(self.pane).rows().map(|r| r.headers()) else {
            self.notify("this view has no columns to sort by", false);
            return;
        };
        self.with_pane(self.pane, |pane, _| {
            let table = pane.table_mut();
            if next {
                table.next_sort(headers, rows);
            } else {
                table.reverse_sort(headers, rows);
            }
        });
    }

    /// Sort the table on screen when its sort is not computed for its rows yet (the sort or the
    /// rows changed): the sorted column's key of every row, then an index sort, at once for a
    /// small table, else handed out by the table to run off the UI thread. Runs after every
    /// message, and costs nothing while the order is known or being computed.
    pub(super) fn order_table(&mut self) {
        let keys: Vec<Arc<Vec<table::SortKey>>> = {
            let pane = self.pane_state(self.pane);
            let table = pane.table();
            if !table.needs_order() {
                return;
            }
            let Some(rows) = pane.rows() else {
                return;
            };
            // A column whose keys the last order read from the same rows is not read again.
            table
                .order_columns()
                .into_iter()
                .map(|(column, _)| {
                    let known = table.known_keys(column).filter(|k| k.len() == rows.count());
                    known.unwrap_or_else(|| {
                        Arc::new(
                            (0..rows.count())
                                .map(|i| rows.sort_key(i, column))
                                .collect(),
                        )
                    })
                })
                .collect()
        };
        let fit = self.table_rows();
        self.with_pane(self.pane, |pane, _| pane.table_mut().order_with(keys, fit));
    }

    /// Hand the jobs the table on screen waits for (a search, a sort) to the runtime, unless
    /// already running (after every message: a keystroke started one, or the view it belongs to
    /// is back on screen after its answer was dropped).
    pub(super) fn dispatch_jobs(&mut self) -> Vec<Effect> {
        self.jobs_in_flight.retain(|j| !j.is_cancelled());
        let jobs: Vec<_> = self.active_table().jobs().cloned().collect();
        let mut effects = Vec::new();
        for job in jobs {
            if !self.jobs_in_flight.contains(&job) {
                self.jobs_in_flight.push(job.clone());
                effects.push(Effect::TableJob(job));
            }
        }
        effects
    }

    /// The answer of a table job: the table on screen takes it if it is the one it waits for.
    pub(super) fn table_job_done(
        &mut self,
        generation: u64,
        answer: table::JobAnswer,
    ) -> Vec<Effect> {
        self.jobs_in_flight.retain(|j| j.generation() != generation);
        let rows = self.table_rows();
        self.with_pane(self.pane, |pane, _| {
            pane.table_mut().job_done(generation, answer, rows);
        })
    }

    pub(super) fn notify(&mut self, text: impl Into<String>, is_error: bool) {
        self.notice = Some(Notice {
            text: text.into(),
            is_error,
            until_tick: self.tick + NOTICE_TICKS,
        });
    }

    pub(super) fn table_rows(&self) -> usize {
        layout::table_rows(self.size.1)
    }
}

/// The panes, borrowed apart from the rest of the state.
pub(super) struct Panes<'a> {
    pub(super) accounts: &'a mut AccountsPane,
    pub(super) tenants: &'a mut TenantsPane,
    pub(super) dns: &'a mut DnsPane,
    pub(super) workflows: &'a mut WorkflowsPane,
}

impl<'a> Panes<'a> {
    fn get(self, pane: Pane) -> &'a mut dyn PaneState {
        match pane {
            Pane::Accounts => self.accounts,
            Pane::Tenants => self.tenants,
            Pane::Dns => self.dns,
            Pane::Workflows => self.workflows,
        }
    }
}

pub(super) fn make_current_account(state: &mut State, account: Account) {
    let label = if account.name.is_empty() {
        account.id.clone()
    } else {
        format!("{} ({})", account.name, account.id)
    };
    state.notify(format!("current account: {label}"), false);
    state.current_account = Some(account);
}
