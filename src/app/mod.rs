//! The TUI core: [`State`], [`Msg`], and `update(&mut State, Msg) -> Vec<Effect>`.
//!
//! Pure and synchronous: no I/O, no clock, no async. The runtime turns [`Effect`]s into tasks and
//! sends their results back as [`Msg`]s tagged with the [`RequestId`] they answer; a result whose id
//! is no longer awaited is dropped. Tests drive it with plain values.
//!
//! The shell (this file) owns what every pane shares: modes, the `:` command line, the `/` filter
//! prompt, the confirmation dialog for changes, notices, and the current account. Each pane owns
//! its state, messages and effects in `app/<pane>.rs` and implements [`pane::PaneState`].

pub mod accounts;
pub mod command;
pub mod confirm;
pub mod dns;
pub mod form;
pub mod layout;
pub mod list;
pub mod loadable;
pub mod pager;
pub mod pane;
pub mod table;
pub mod tenants;
#[cfg(test)]
pub mod testkit;
pub mod workflows;

use chrono::{DateTime, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use tui_input::Input;
use tui_input::backend::crossterm::EventHandler;

use crate::config::keymap::{Action, Keymap, Scope};
use crate::domain::account::{Access, AccessVia, Account, AccountList, CallerIdentity};
use crate::domain::plan::Policy;
use crate::mutation::Approved;
use crate::services::ServiceError;
use accounts::{AccessCheck, AccountsPane};
use command::Command;
use confirm::{Answer, ConfirmDialog};
use dns::{DnsEffect, DnsMsg, DnsPane};
pub use loadable::{Loadable, RequestId};
use pane::{Ctx, PaneState};
use tenants::{TenancySettings, TenantsEffect, TenantsMsg, TenantsPane};
use workflows::{WorkflowsEffect, WorkflowsMsg, WorkflowsPane};

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
}

/// A change to AWS a pane proposes, carried by each step of its plan to the executor; the
/// confirmation dialog is the shell's, the execution and audit the executor's.
pub use crate::domain::plan::Change as Mutation;

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

/// Ticks a notice stays up (the runtime ticks every `ui.tick_ms`, 250 ms by default).
const NOTICE_TICKS: u64 = 16;

/// The text being typed at the bottom (`:` or `/`), with completion candidates for `:`.
#[derive(Debug, Default)]
pub struct Prompt {
    pub input: Input,
    pub completions: Vec<String>,
    /// Which completion Tab last put in the input.
    pub chosen: Option<usize>,
}

pub struct State {
    pub session: Session,
    pub identity: Loadable<CallerIdentity>,
    pub pane: Pane,
    pub accounts: AccountsPane,
    pub tenants: TenantsPane,
    pub dns: DnsPane,
    pub workflows: WorkflowsPane,
    /// The account the panes work in; `None` until chosen: the caller's own account.
    pub current_account: Option<Account>,
    pub mode: Mode,
    pub prompt: Prompt,
    pub confirm: Option<ConfirmDialog<Mutation>>,
    /// The change being executed, while it runs.
    pub progress: Option<Progress>,
    /// A report on screen (`Mode::Report`).
    pub report: Option<Report>,
    /// The confirmed changes still running, oldest first: each one's title and the pane that
    /// planned it, reloaded when it ends. Several can run at once (the runtime does not wait for
    /// one to end before starting the next).
    changing: Vec<(String, Pane)>,
    pub help_scroll: usize,
    pub keymap: Keymap,
    pub notice: Option<Notice>,
    pub tick: u64,
    /// Terminal size in cells (width, height).
    pub size: (u16, u16),
    pub running: bool,
    next_request: u64,
}

/// Everything that can happen to the app.
#[derive(Debug)]
pub enum Msg {
    Key(KeyEvent),
    Resize(u16, u16),
    Tick,
    Identity {
        request: RequestId,
        result: Result<CallerIdentity, ServiceError>,
        at: DateTime<Utc>,
    },
    Accounts {
        request: RequestId,
        result: Result<AccountList, ServiceError>,
        at: DateTime<Utc>,
    },
    Access {
        /// The account-list request whose accounts are being checked.
        list_request: RequestId,
        account_id: String,
        result: Result<Access, ServiceError>,
    },
    Tenants(TenantsMsg),
    Dns(DnsMsg),
    Workflows(WorkflowsMsg),
    /// A confirmed change is running: `done` of `total` calls made so far.
    Progress {
        title: String,
        done: usize,
        total: usize,
    },
    /// A confirmed change ran: its title and, if it failed, why (the audit log has every call).
    Executed {
        title: String,
        result: Result<(), String>,
        /// One line per step: done, failed (with the error), not attempted.
        steps: Vec<String>,
    },
    /// The clipboard copy finished; the error says why it could not reach any clipboard.
    Copied {
        what: String,
        result: Result<(), String>,
    },
    /// An export was written (the path) or failed.
    Exported {
        result: Result<String, String>,
    },
    /// The external editor closed: the edited text, or why it could not run.
    Edited {
        pane: Pane,
        result: Result<String, String>,
    },
}

/// Work for the runtime.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    LoadIdentity {
        request: RequestId,
    },
    LoadAccounts {
        request: RequestId,
    },
    CheckAccess {
        list_request: RequestId,
        account_id: String,
    },
    Tenants(TenantsEffect),
    Dns(DnsEffect),
    Workflows(WorkflowsEffect),
    /// Run a confirmed change, auditing every call.
    Execute(Approved<Mutation>),
    /// Rebuild every client for another region (before the loads that follow it).
    SwitchRegion {
        region: String,
    },
    /// Put text on the clipboard (OSC 52 and the system clipboard).
    Copy {
        text: String,
    },
    /// Write the current view as CSV under the state directory.
    Export {
        name: String,
        headers: Vec<String>,
        rows: Vec<Vec<String>>,
    },
    /// Write `json` (already terminal-safe) as `<name>-<time>.json` next to the CSV exports.
    ExportJson {
        name: String,
        json: String,
    },
    /// Leave the terminal, stop the process (Ctrl-Z), and come back on SIGCONT.
    Suspend,
    /// Open `text` in the operator's editor ($VISUAL, $EDITOR, else vi) and give the result to
    /// `pane` as [`Msg::Edited`].
    EditExternally {
        pane: Pane,
        text: String,
    },
}

impl State {
    pub fn new(session: Session, keymap: Keymap, tenancy: TenancySettings) -> State {
        State {
            session,
            identity: Loadable::NotAsked,
            pane: Pane::Accounts,
            accounts: AccountsPane::default(),
            tenants: TenantsPane::new(tenancy),
            dns: DnsPane::default(),
            workflows: WorkflowsPane::default(),
            current_account: None,
            mode: Mode::Normal,
            prompt: Prompt::default(),
            confirm: None,
            progress: None,
            report: None,
            changing: Vec::new(),
            help_scroll: 0,
            keymap,
            notice: None,
            tick: 0,
            size: (80, 24),
            running: true,
            next_request: 0,
        }
    }

    /// The effects to run at start: who we are, and the accounts.
    pub fn start(&mut self) -> Vec<Effect> {
        let identity = self.load_identity();
        let mut effects = vec![identity];
        effects.extend(self.with_pane(Pane::Accounts, |pane, ctx| pane.reload(ctx)));
        effects
    }

    fn request(&mut self) -> RequestId {
        self.next_request += 1;
        RequestId(self.next_request)
    }

    fn load_identity(&mut self) -> Effect {
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
                .accounts()
                .iter()
                .filter(|a| a.read_only)
                .map(|a| a.id.clone())
                .chain(self.session.read_only_accounts.iter().cloned())
                .collect(),
        }
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
    fn split(&mut self) -> (Ctx<'_>, Panes<'_>) {
        let account = self.current_account_id().map(str::to_owned);
        let region = self.session.region.clone();
        let rows = self.table_rows();
        (
            Ctx::new(account, region, rows, &self.keymap, &mut self.next_request),
            Panes {
                accounts: &mut self.accounts,
                tenants: &mut self.tenants,
                dns: &mut self.dns,
                workflows: &mut self.workflows,
            },
        )
    }

    /// Call a pane through its [`PaneState`], then apply what it asked for.
    fn with_pane(
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
    fn apply(&mut self, asked: pane::Asked) -> Vec<Effect> {
        let pane::Asked {
            mut effects,
            notice,
            confirm,
            make_current,
            report,
        } = asked;
        if let Some((text, is_error)) = notice {
            self.notify(text, is_error);
        }
        if let Some((title, lines)) = report {
            self.open_report(title, lines);
        }
        if let Some(plan) = confirm {
            match self.policy().check(&plan) {
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

    /// Load what the visible pane shows, if it is not loaded for the current account yet.
    fn ensure_loaded(&mut self) -> Vec<Effect> {
        self.with_pane(self.pane, |pane, ctx| pane.ensure_loaded(ctx))
    }

    fn open_report(&mut self, title: String, lines: Vec<String>) {
        self.report = Some(Report {
            title,
            lines,
            scroll: pager::Pager::default(),
        });
        self.mode = Mode::Report;
    }

    fn notify(&mut self, text: impl Into<String>, is_error: bool) {
        self.notice = Some(Notice {
            text: text.into(),
            is_error,
            until_tick: self.tick + NOTICE_TICKS,
        });
    }

    fn table_rows(&self) -> usize {
        layout::table_rows(self.size.1)
    }
}

/// The panes, borrowed apart from the rest of the state.
struct Panes<'a> {
    accounts: &'a mut AccountsPane,
    tenants: &'a mut TenantsPane,
    dns: &'a mut DnsPane,
    workflows: &'a mut WorkflowsPane,
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

/// Apply one message; return the work it asks for.
pub fn update(state: &mut State, msg: Msg) -> Vec<Effect> {
    match msg {
        Msg::Key(key) if key.kind == KeyEventKind::Release => Vec::new(),
        Msg::Key(key) => {
            let mut effects = on_key(state, key);
            effects.extend(state.ensure_loaded());
            effects
        }
        Msg::Resize(width, height) => {
            state.size = (width, height);
            let rows = state.table_rows();
            state.with_pane(state.pane, |pane, _| {
                pane.table_mut().scroll_into_view(rows)
            })
        }
        Msg::Tick => {
            state.tick += 1;
            if state
                .notice
                .as_ref()
                .is_some_and(|n| n.until_tick <= state.tick)
            {
                state.notice = None;
            }
            Vec::new()
        }
        Msg::Identity {
            request,
            result,
            at,
        } => {
            state.identity.settle(request, result, at);
            state.ensure_loaded()
        }
        Msg::Accounts {
            request,
            result,
            at,
        } => state
            .accounts
            .loaded(request, result, at)
            .into_iter()
            .map(|account_id| Effect::CheckAccess {
                list_request: request,
                account_id,
            })
            .collect(),
        Msg::Access {
            list_request,
            account_id,
            result,
        } => {
            state.accounts.checked(list_request, &account_id, result);
            Vec::new()
        }
        Msg::Tenants(msg) => {
            let (mut ctx, panes) = state.split();
            panes.tenants.on_msg(msg, &mut ctx);
            let asked = ctx.finish();
            state.apply(asked)
        }
        Msg::Dns(msg) => {
            let (mut ctx, panes) = state.split();
            panes.dns.on_msg(msg, &mut ctx);
            let asked = ctx.finish();
            state.apply(asked)
        }
        Msg::Workflows(msg) => {
            let (mut ctx, panes) = state.split();
            panes.workflows.on_msg(msg, &mut ctx);
            let asked = ctx.finish();
            state.apply(asked)
        }
        Msg::Progress { title, done, total } => {
            state.progress = Some(Progress { title, done, total });
            Vec::new()
        }
        Msg::Executed {
            title,
            result,
            steps,
        } => {
            state.progress = None;
            let heading = match &result {
                Ok(()) => format!("done: {title}"),
                Err(_) => format!("stopped: {title}"),
            };
            match result {
                Ok(()) => state.notify(format!("done: {title}"), false),
                Err(e) => state.notify(format!("{title}: {e}"), true),
            }
            // A plan of several calls reports each one (a bulk import: every row).
            if steps.len() > 1 {
                state.open_report(heading, steps);
            }
            // Load again what the change touched: the pane it was planned in, even if the
            // operator has moved to another meanwhile, or approved another change since.
            let changed = state
                .changing
                .iter()
                .position(|(t, _)| *t == title)
                .map_or(state.pane, |i| state.changing.remove(i).1);
            state.with_pane(changed, |pane, ctx| pane.reload(ctx))
        }
        Msg::Copied { what, result } => {
            match result {
                Ok(()) => state.notify(format!("copied {what}"), false),
                Err(e) => state.notify(format!("could not copy: {e}"), true),
            }
            Vec::new()
        }
        Msg::Edited { pane, result } => match result {
            Ok(text) => state.with_pane(pane, |pane, ctx| pane.on_edited(text, ctx)),
            Err(e) => {
                state.notify(format!("the editor did not run: {e}"), true);
                Vec::new()
            }
        },
        Msg::Exported { result } => {
            match result {
                Ok(path) => state.notify(format!("exported to {path}"), false),
                Err(e) => state.notify(format!("export failed: {e}"), true),
            }
            Vec::new()
        }
    }
}

fn on_key(state: &mut State, key: KeyEvent) -> Vec<Effect> {
    // Fixed keys, whatever the mode: terminals and shells agree on these.
    if key.modifiers.contains(KeyModifiers::CONTROL) {
        match key.code {
            KeyCode::Char('c') => {
                state.running = false;
                return Vec::new();
            }
            KeyCode::Char('z') => return vec![Effect::Suspend],
            _ => {}
        }
    }
    match state.mode {
        Mode::Normal if state.pane_state(state.pane).captures_keys() => {
            state.with_pane(state.pane, |pane, ctx| pane.on_key(key, ctx))
        }
        Mode::Normal => match state
            .keymap
            .action_in(&[state.pane.scope(), Scope::Global], &key)
        {
            Some(action) => on_action(state, action),
            None => Vec::new(),
        },
        Mode::Help => {
            match state.keymap.action_for(&key) {
                Some(Action::Down) => state.help_scroll += 1,
                Some(Action::Up) => state.help_scroll = state.help_scroll.saturating_sub(1),
                Some(Action::Back | Action::Help | Action::Quit) => state.mode = Mode::Normal,
                _ => {}
            }
            Vec::new()
        }
        Mode::Report => on_report_key(state, key),
        Mode::Filter => on_filter_key(state, key),
        Mode::Command => on_command_key(state, key),
        Mode::Confirm => on_confirm_key(state, key),
    }
}

fn on_action(state: &mut State, action: Action) -> Vec<Effect> {
    let rows = state.table_rows();
    let page = isize::try_from(rows).unwrap_or(isize::MAX);
    let movement = |f: fn(&mut table::TableView, usize, isize)| {
        move |pane: &mut dyn PaneState, _: &mut Ctx| f(pane.table_mut(), rows, page)
    };
    match action {
        Action::Quit => state.running = false,
        Action::Help => {
            state.mode = Mode::Help;
            state.help_scroll = 0;
        }
        Action::CommandLine => {
            state.mode = Mode::Command;
            state.prompt = Prompt::default();
            refresh_completions(state);
        }
        Action::Filter => {
            state.mode = Mode::Filter;
            let current = state.active_table().filter().to_owned();
            state.prompt = Prompt {
                input: Input::new(current),
                ..Prompt::default()
            };
        }
        Action::Up => return state.with_pane(state.pane, movement(|t, r, _| t.move_by(-1, r))),
        Action::Down => return state.with_pane(state.pane, movement(|t, r, _| t.move_by(1, r))),
        Action::PageUp => {
            return state.with_pane(state.pane, movement(|t, r, p| t.move_by(-p, r)));
        }
        Action::PageDown => {
            return state.with_pane(state.pane, movement(|t, r, p| t.move_by(p, r)));
        }
        Action::Top => return state.with_pane(state.pane, movement(|t, r, _| t.select_first(r))),
        Action::Bottom => {
            return state.with_pane(state.pane, movement(|t, r, _| t.select_last(r)));
        }
        Action::Back if !state.active_table().filter().is_empty() => {
            return state.with_pane(state.pane, |pane, _| {
                pane.table_mut().set_filter("");
                pane.refilter();
            });
        }
        Action::Refresh => {
            let mut effects = Vec::new();
            if state.pane == Pane::Accounts {
                effects.push(state.load_identity());
            }
            effects.extend(state.with_pane(state.pane, |pane, ctx| pane.reload(ctx)));
            return effects;
        }
        Action::NextPane | Action::PrevPane => {
            let i = Pane::ALL.iter().position(|p| *p == state.pane).unwrap_or(0);
            let n = Pane::ALL.len();
            let next = if action == Action::NextPane {
                (i + 1) % n
            } else {
                (i + n - 1) % n
            };
            state.pane = Pane::ALL[next];
        }
        Action::PaneAccounts => state.pane = Pane::Accounts,
        Action::PaneTenants => state.pane = Pane::Tenants,
        Action::PaneDns => state.pane = Pane::Dns,
        Action::PaneWorkflows => state.pane = Pane::Workflows,
        Action::Suspend => return vec![Effect::Suspend],
        Action::Enter
        | Action::Back
        | Action::Copy
        | Action::Export
        | Action::New
        | Action::Edit
        | Action::Delete
        | Action::Watch => {
            return state.with_pane(state.pane, |pane, ctx| pane.on_action(action, ctx));
        }
        // The pane's own actions (the keymap only finds those of the pane on screen).
        _ => return state.with_pane(state.pane, |pane, ctx| pane.on_action(action, ctx)),
    }
    Vec::new()
}

/// Whether an action does something: the shell's own actions always, a pane action when some
/// pane offers it (its hint is not empty). Help lists only these.
pub fn is_available(state: &State, action: Action) -> bool {
    match action {
        Action::Enter | Action::New | Action::Edit | Action::Delete | Action::Watch => Pane::ALL
            .iter()
            .any(|&p| !state.pane_state(p).hint(action).is_empty()),
        _ => true,
    }
}

fn make_current_account(state: &mut State, account: Account) {
    let label = if account.name.is_empty() {
        account.id.clone()
    } else {
        format!("{} ({})", account.name, account.id)
    };
    state.notify(format!("current account: {label}"), false);
    state.current_account = Some(account);
}

/// The access column in words, shared by the table and the export.
pub fn access_text(check: Option<&AccessCheck>) -> String {
    match check {
        None => String::new(),
        Some(AccessCheck::Checking) => "checking".into(),
        Some(AccessCheck::Ok(access)) => match access.via {
            AccessVia::CurrentCredentials => "ok (current credentials)".into(),
            AccessVia::AssumedRole => "ok".into(),
        },
        Some(AccessCheck::Failed(e)) => e.to_string(),
    }
}

fn on_report_key(state: &mut State, key: KeyEvent) -> Vec<Effect> {
    // A page before the first frame; after it, the box's own height.
    let rows = state.table_rows().max(1);
    let action = state.keymap.action_for(&key);
    let Some(report) = state.report.as_mut() else {
        state.mode = Mode::Normal;
        return Vec::new();
    };
    // Rows as the box last drew them (long lines wrap): every key stops with the last row at
    // the bottom of the box.
    match action {
        Some(Action::Down) => report.scroll.scroll_by(1),
        Some(Action::Up) => report.scroll.scroll_by(-1),
        Some(Action::PageDown) => report.scroll.page(1, rows),
        Some(Action::PageUp) => report.scroll.page(-1, rows),
        Some(Action::Top) => report.scroll.home(),
        Some(Action::Bottom) => report.scroll.end(),
        Some(Action::Copy) => {
            return vec![Effect::Copy {
                text: report.lines.join("\n"),
            }];
        }
        Some(Action::Back | Action::Enter | Action::Quit) => {
            state.report = None;
            state.mode = Mode::Normal;
        }
        _ => {}
    }
    Vec::new()
}

fn on_filter_key(state: &mut State, key: KeyEvent) -> Vec<Effect> {
    let text = match state.keymap.action_in(&[Scope::Form], &key) {
        Some(Action::FormCancel) => {
            state.mode = Mode::Normal;
            String::new()
        }
        Some(Action::FormSubmit) => {
            state.mode = Mode::Normal;
            return Vec::new();
        }
        _ => {
            state
                .prompt
                .input
                .handle_event(&crossterm::event::Event::Key(key));
            state.prompt.input.value().to_owned()
        }
    };
    let rows = state.table_rows();
    state.with_pane(state.pane, |pane, _| {
        pane.table_mut().set_filter(&text);
        pane.refilter();
        pane.table_mut().scroll_into_view(rows);
    })
}

fn on_command_key(state: &mut State, key: KeyEvent) -> Vec<Effect> {
    match state.keymap.action_in(&[Scope::Form], &key) {
        Some(Action::FormCancel) => {
            state.mode = Mode::Normal;
            Vec::new()
        }
        Some(action @ (Action::FormNextField | Action::FormPrevField)) => {
            let back = action == Action::FormPrevField;
            let n = state.prompt.completions.len();
            if n > 0 {
                let next = match (state.prompt.chosen, back) {
                    (None, true) => n - 1,
                    (None, false) => 0,
                    (Some(i), true) => (i + n - 1) % n,
                    (Some(i), false) => (i + 1) % n,
                };
                let text = state.prompt.completions[next].clone();
                state.prompt.input = Input::new(text);
                state.prompt.chosen = Some(next);
            }
            Vec::new()
        }
        Some(Action::FormSubmit) => {
            state.mode = Mode::Normal;
            let line = state.prompt.input.value().to_owned();
            match command::parse(&line) {
                Ok(cmd) => run_command(state, cmd),
                Err(message) => {
                    state.notify(message, true);
                    Vec::new()
                }
            }
        }
        _ => {
            state
                .prompt
                .input
                .handle_event(&crossterm::event::Event::Key(key));
            refresh_completions(state);
            Vec::new()
        }
    }
}

fn on_confirm_key(state: &mut State, key: KeyEvent) -> Vec<Effect> {
    let policy = state.policy();
    let Some(dialog) = state.confirm.as_mut() else {
        state.mode = Mode::Normal;
        return Vec::new();
    };
    let answer = dialog.on_key(key, &state.keymap, &policy);
    match answer {
        Answer::Pending => Vec::new(),
        Answer::Cancelled => {
            state.confirm = None;
            state.mode = Mode::Normal;
            state.notify("cancelled: nothing was changed", false);
            Vec::new()
        }
        Answer::Refused(refusal) => {
            state.confirm = None;
            state.mode = Mode::Normal;
            state.notify(format!("{refusal}; nothing was changed"), true);
            Vec::new()
        }
        Answer::Approved(approved) => {
            state.confirm = None;
            state.mode = Mode::Normal;
            state.notify(format!("running: {}", approved.plan().title), false);
            // The plan's own pane: a plan can arrive (and be confirmed) while another pane is on
            // screen.
            let pane = match approved.plan().steps.first().map(|s| &s.action) {
                Some(Mutation::Tenants(_)) => Pane::Tenants,
                Some(Mutation::Workflows(_)) => Pane::Workflows,
                None => state.pane,
            };
            state.changing.push((approved.plan().title.clone(), pane));
            vec![Effect::Execute(approved)]
        }
    }
}

fn refresh_completions(state: &mut State) {
    let accounts: Vec<(String, String)> = state
        .accounts
        .accounts()
        .iter()
        .map(|a| (a.id.clone(), a.name.clone()))
        .collect();
    state.prompt.completions = command::complete(
        state.prompt.input.value(),
        &accounts,
        &state.session.regions,
    );
    state.prompt.chosen = None;
}

fn run_command(state: &mut State, cmd: Command) -> Vec<Effect> {
    match cmd {
        Command::Accounts => state.pane = Pane::Accounts,
        Command::Tenants => state.pane = Pane::Tenants,
        Command::Dns => state.pane = Pane::Dns,
        Command::Workflows => state.pane = Pane::Workflows,
        Command::Help => {
            state.mode = Mode::Help;
            state.help_scroll = 0;
        }
        Command::Quit => state.running = false,
        Command::Find(name) => {
            state.pane = Pane::Dns;
            let (mut ctx, panes) = state.split();
            panes.dns.find(&name, &mut ctx);
            let asked = ctx.finish();
            return state.apply(asked);
        }
        Command::Delegations => {
            state.pane = Pane::Dns;
            let (mut ctx, panes) = state.split();
            panes.dns.show_delegations(&mut ctx);
            let asked = ctx.finish();
            return state.apply(asked);
        }
        Command::Account(wanted) => match state.accounts.find(&wanted).cloned() {
            Some(account) => make_current_account(state, account),
            None if state.accounts.list.is_loading() => state.notify(
                "the account list is still loading: try again in a moment",
                true,
            ),
            None => state.notify(
                format!("no account `{wanted}` in the list: see :accounts for ids and names"),
                true,
            ),
        },
        Command::Region(region) => {
            state.session.region = Some(region.clone());
            state.current_account = None;
            // Everything loaded so far belongs to the old region.
            for pane in Pane::ALL {
                state.with_pane(pane, |pane, _| pane.reset());
            }
            state.notify(format!("region: {region}"), false);
            let mut effects = vec![Effect::SwitchRegion { region }, state.load_identity()];
            effects.extend(state.with_pane(Pane::Accounts, |pane, ctx| pane.reload(ctx)));
            return effects;
        }
    }
    Vec::new()
}

#[cfg(test)]
pub(crate) mod tests;
