//! The TUI core: [`State`], [`Msg`], and `update(&mut State, Msg) -> Vec<Effect>`.
//!
//! Pure and synchronous: no I/O, no clock, no async. The runtime turns [`Effect`]s into tasks and
//! sends their results back as [`Msg`]s tagged with the [`RequestId`] they answer; a result whose id
//! is no longer awaited is dropped. Tests drive it with plain values.

pub mod accounts;
pub mod command;
pub mod layout;
pub mod list;
pub mod loadable;
pub mod table;
pub mod tenants;

use chrono::{DateTime, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use tui_input::Input;
use tui_input::backend::crossterm::EventHandler;

use crate::config::keymap::{Action, Keymap};
use crate::domain::account::{Access, Account, AccountList, CallerIdentity};
use crate::domain::dns::HostedZone;
use crate::domain::tenancy::{Group, UserPool};
use crate::domain::workflows::StateMachine;
use crate::services::ServiceError;
use accounts::AccountsPane;
use command::Command;
use list::{ListPane, Listing};
pub use loadable::{Loadable, RequestId};
use table::TableView;
use tenants::{TenancySettings, TenantsPane};

/// What the header shows about the session; fixed at start except the region.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Session {
    pub profile: Option<String>,
    pub region: Option<String>,
    pub endpoint: Option<String>,
    pub read_only: bool,
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
    pub dns: ListPane<HostedZone>,
    pub workflows: ListPane<StateMachine>,
    /// The account the panes work in; `None` until chosen: the caller's own account.
    pub current_account: Option<Account>,
    pub mode: Mode,
    pub prompt: Prompt,
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
    /// The clipboard copy finished; the error says why it could not reach any clipboard.
    Copied {
        what: String,
        result: Result<(), String>,
    },
    Pools {
        request: RequestId,
        result: Result<Vec<UserPool>, ServiceError>,
        at: DateTime<Utc>,
    },
    Groups {
        request: RequestId,
        result: Result<Vec<Group>, ServiceError>,
        at: DateTime<Utc>,
    },
    Zones {
        request: RequestId,
        result: Result<Vec<HostedZone>, ServiceError>,
        at: DateTime<Utc>,
    },
    Machines {
        request: RequestId,
        result: Result<Vec<StateMachine>, ServiceError>,
        at: DateTime<Utc>,
    },
    /// An export was written (the path) or failed.
    Exported {
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
    LoadPools {
        request: RequestId,
        account_id: String,
    },
    LoadGroups {
        request: RequestId,
        account_id: String,
        pool_id: String,
    },
    LoadZones {
        request: RequestId,
        account_id: String,
    },
    LoadMachines {
        request: RequestId,
        account_id: String,
    },
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
    /// Leave the terminal, stop the process (Ctrl-Z), and come back on SIGCONT.
    Suspend,
}

impl State {
    pub fn new(session: Session, keymap: Keymap, tenancy: TenancySettings) -> State {
        State {
            session,
            identity: Loadable::NotAsked,
            pane: Pane::Accounts,
            accounts: AccountsPane::default(),
            tenants: TenantsPane::new(tenancy),
            dns: ListPane::default(),
            workflows: ListPane::default(),
            current_account: None,
            mode: Mode::Normal,
            prompt: Prompt::default(),
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
        let mut effects = vec![self.load_identity()];
        effects.push(self.load_accounts());
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

    fn load_accounts(&mut self) -> Effect {
        let request = self.request();
        self.accounts.begin(request);
        Effect::LoadAccounts { request }
    }

    /// Is anything in flight (the spinner turns, ticks redraw)?
    pub fn is_busy(&self) -> bool {
        self.identity.is_loading()
            || self.accounts.list.is_loading()
            || self.accounts.pending_checks() > 0
            || self.tenants.pools.list.is_loading()
            || self.tenants.tenants.list.is_loading()
            || self.dns.list.is_loading()
            || self.workflows.list.is_loading()
    }

    /// The table the movement keys and the filter act on.
    pub fn active_table(&self) -> &TableView {
        match self.pane {
            Pane::Accounts => &self.accounts.table,
            Pane::Tenants if self.tenants.choosing_pool() => &self.tenants.pools.table,
            Pane::Tenants => &self.tenants.tenants.table,
            Pane::Dns => &self.dns.table,
            Pane::Workflows => &self.workflows.table,
        }
    }

    fn active_table_mut(&mut self) -> &mut TableView {
        match self.pane {
            Pane::Accounts => &mut self.accounts.table,
            Pane::Tenants if self.tenants.choosing_pool() => &mut self.tenants.pools.table,
            Pane::Tenants => &mut self.tenants.tenants.table,
            Pane::Dns => &mut self.dns.table,
            Pane::Workflows => &mut self.workflows.table,
        }
    }

    fn refilter_active(&mut self) {
        match self.pane {
            Pane::Accounts => self.accounts.refilter(),
            Pane::Tenants if self.tenants.choosing_pool() => self.tenants.pools.refilter(),
            Pane::Tenants => self.tenants.tenants.refilter(),
            Pane::Dns => self.dns.refilter(),
            Pane::Workflows => self.workflows.refilter(),
        }
        let rows = self.table_rows();
        self.active_table_mut().scroll_into_view(rows);
    }

    /// Start loading what the visible pane shows, when it is not loaded for the current account
    /// yet (first visit, or the operator switched accounts). Idempotent.
    fn ensure_loaded(&mut self) -> Vec<Effect> {
        let Some(account) = self.current_account_id().map(str::to_owned) else {
            return Vec::new();
        };
        match self.pane {
            Pane::Accounts => Vec::new(),
            Pane::Dns if !self.dns.is_for(&account) => {
                let request = self.request();
                self.dns.begin(request, &account);
                vec![Effect::LoadZones {
                    request,
                    account_id: account,
                }]
            }
            Pane::Workflows if !self.workflows.is_for(&account) => {
                let request = self.request();
                self.workflows.begin(request, &account);
                vec![Effect::LoadMachines {
                    request,
                    account_id: account,
                }]
            }
            Pane::Tenants => self.ensure_tenants_loaded(account),
            _ => Vec::new(),
        }
    }

    fn ensure_tenants_loaded(&mut self, account: String) -> Vec<Effect> {
        let configured = self.tenants.settings.pool_id.is_some();
        if !configured && !self.tenants.pools.is_for(&account) {
            // Another account: its pools, and nothing opened in it yet.
            self.tenants.back_to_pools();
            let request = self.request();
            self.tenants.pools.begin(request, &account);
            return vec![Effect::LoadPools {
                request,
                account_id: account,
            }];
        }
        match self.tenants.pool.clone() {
            Some(pool) if !self.tenants.tenants.is_for(&account) => {
                let request = self.request();
                self.tenants.tenants.begin(request, &account);
                vec![Effect::LoadGroups {
                    request,
                    account_id: account,
                    pool_id: pool.id,
                }]
            }
            _ => Vec::new(),
        }
    }

    /// Forget what the visible pane loaded, so `ensure_loaded` fetches it again.
    fn reload_active(&mut self) -> Vec<Effect> {
        match self.pane {
            Pane::Accounts => return vec![self.load_identity(), self.load_accounts()],
            Pane::Tenants if self.tenants.choosing_pool() => self.tenants.pools.account = None,
            Pane::Tenants => self.tenants.tenants.account = None,
            Pane::Dns => self.dns.account = None,
            Pane::Workflows => self.workflows.account = None,
        }
        self.ensure_loaded()
    }

    /// The account the panes act on: the chosen one, else the caller's own.
    pub fn current_account_id(&self) -> Option<&str> {
        self.current_account
            .as_ref()
            .map(|a| a.id.as_str())
            .or_else(|| self.identity.value().map(|i| i.account_id.as_str()))
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
            state.active_table_mut().scroll_into_view(rows);
            Vec::new()
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
        Msg::Pools {
            request,
            result,
            at,
        } => {
            if state.tenants.pools.loaded(request, result, at)
                && state.tenants.pools.items().len() == 1
            {
                // One pool: open it instead of asking the operator to pick the only choice.
                state.tenants.pool = state.tenants.pools.items().first().cloned();
                return state.ensure_loaded();
            }
            Vec::new()
        }
        Msg::Groups {
            request,
            result,
            at,
        } => {
            state.tenants.groups_loaded(request, result, at);
            Vec::new()
        }
        Msg::Zones {
            request,
            result,
            at,
        } => {
            state.dns.loaded(request, result, at);
            Vec::new()
        }
        Msg::Machines {
            request,
            result,
            at,
        } => {
            state.workflows.loaded(request, result, at);
            Vec::new()
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
        Msg::Copied { what, result } => {
            match result {
                Ok(()) => state.notify(format!("copied {what}"), false),
                Err(e) => state.notify(format!("could not copy: {e}"), true),
            }
            Vec::new()
        }
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
        Mode::Normal => match state.keymap.action_for(&key) {
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
        Mode::Filter => on_filter_key(state, key),
        Mode::Command => on_command_key(state, key),
    }
}

fn on_action(state: &mut State, action: Action) -> Vec<Effect> {
    let rows = state.table_rows();
    let page = isize::try_from(rows).unwrap_or(isize::MAX);
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
        Action::Up => state.active_table_mut().move_by(-1, rows),
        Action::Down => state.active_table_mut().move_by(1, rows),
        Action::PageUp => state.active_table_mut().move_by(-page, rows),
        Action::PageDown => state.active_table_mut().move_by(page, rows),
        Action::Top => state.active_table_mut().select_first(rows),
        Action::Bottom => state.active_table_mut().select_last(rows),
        Action::Enter => on_enter(state),
        Action::Back => {
            if !state.active_table().filter().is_empty() {
                state.active_table_mut().set_filter("");
                state.refilter_active();
            } else if state.pane == Pane::Tenants {
                state.tenants.back_to_pools();
            }
        }
        Action::Refresh => return state.reload_active(),
        Action::Copy => {
            if let Some(text) = selected_key(state) {
                return vec![Effect::Copy { text }];
            }
        }
        Action::Export => return vec![export(state)],
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
        Action::Pane1 => state.pane = Pane::Tenants,
        Action::Pane2 => state.pane = Pane::Dns,
        Action::Pane3 => state.pane = Pane::Workflows,
        Action::Suspend => return vec![Effect::Suspend],
        Action::New | Action::Edit | Action::Delete | Action::Watch => {}
    }
    Vec::new()
}

fn on_enter(state: &mut State) {
    match state.pane {
        Pane::Accounts => {
            if let Some(account) = state.accounts.selected().cloned() {
                make_current(state, account);
            }
        }
        Pane::Tenants if state.tenants.choosing_pool() => {
            state.tenants.pool = state.tenants.pools.selected().cloned();
        }
        Pane::Tenants | Pane::Dns | Pane::Workflows => {}
    }
}

/// What `y` copies: the selected row's id (account id, pool id, tenant id, zone id, ARN).
fn selected_key(state: &State) -> Option<String> {
    match state.pane {
        Pane::Accounts => state.accounts.selected().map(|a| a.id.clone()),
        Pane::Tenants if state.tenants.choosing_pool() => {
            state.tenants.pools.selected().map(Listing::key)
        }
        Pane::Tenants => state.tenants.tenants.selected().map(Listing::key),
        Pane::Dns => state.dns.selected().map(Listing::key),
        Pane::Workflows => state.workflows.selected().map(Listing::key),
    }
}

/// The visible rows of the current view, for `e`.
fn export(state: &State) -> Effect {
    fn of<T: Listing>(name: &str, pane: &ListPane<T>) -> Effect {
        Effect::Export {
            name: name.to_owned(),
            headers: T::headers().iter().map(|h| h.to_lowercase()).collect(),
            rows: pane.export_rows(),
        }
    }
    match state.pane {
        Pane::Accounts => export_accounts(state),
        Pane::Tenants if state.tenants.choosing_pool() => of("user-pools", &state.tenants.pools),
        Pane::Tenants => of("tenants", &state.tenants.tenants),
        Pane::Dns => of("hosted-zones", &state.dns),
        Pane::Workflows => of("state-machines", &state.workflows),
    }
}

/// Whether an action does something in this build; help lists only those. Creating, changing,
/// deleting and watching arrive with the panes that own them.
pub fn is_available(action: Action) -> bool {
    !matches!(
        action,
        Action::New | Action::Edit | Action::Delete | Action::Watch
    )
}

fn make_current(state: &mut State, account: Account) {
    let label = if account.name.is_empty() {
        account.id.clone()
    } else {
        format!("{} ({})", account.name, account.id)
    };
    state.notify(format!("current account: {label}"), false);
    state.current_account = Some(account);
}

fn export_accounts(state: &State) -> Effect {
    let headers = ["id", "name", "email", "status", "access"]
        .map(str::to_owned)
        .to_vec();
    let accounts = state.accounts.accounts();
    let rows = state
        .accounts
        .table
        .visible()
        .iter()
        .filter_map(|&i| accounts.get(i))
        .map(|a| {
            vec![
                a.id.clone(),
                a.name.clone(),
                a.email.clone(),
                a.status.clone(),
                access_text(state.accounts.access.get(&a.id)),
            ]
        })
        .collect();
    Effect::Export {
        name: "accounts".into(),
        headers,
        rows,
    }
}

/// The access column in words, shared by the table and the export.
pub fn access_text(check: Option<&accounts::AccessCheck>) -> String {
    match check {
        None => String::new(),
        Some(accounts::AccessCheck::Checking) => "checking".into(),
        Some(accounts::AccessCheck::Ok(access)) => match access.via {
            crate::domain::account::AccessVia::CurrentCredentials => {
                "ok (current credentials)".into()
            }
            crate::domain::account::AccessVia::AssumedRole => "ok".into(),
        },
        Some(accounts::AccessCheck::Failed(e)) => e.to_string(),
    }
}

fn on_filter_key(state: &mut State, key: KeyEvent) -> Vec<Effect> {
    match key.code {
        KeyCode::Esc => {
            state.mode = Mode::Normal;
            state.active_table_mut().set_filter("");
        }
        KeyCode::Enter => state.mode = Mode::Normal,
        _ => {
            state
                .prompt
                .input
                .handle_event(&crossterm::event::Event::Key(key));
            let text = state.prompt.input.value().to_owned();
            state.active_table_mut().set_filter(&text);
        }
    }
    state.refilter_active();
    Vec::new()
}

fn on_command_key(state: &mut State, key: KeyEvent) -> Vec<Effect> {
    match key.code {
        KeyCode::Esc => {
            state.mode = Mode::Normal;
            Vec::new()
        }
        KeyCode::Tab | KeyCode::BackTab => {
            let n = state.prompt.completions.len();
            if n > 0 {
                let next = match (state.prompt.chosen, key.code) {
                    (None, KeyCode::BackTab) => n - 1,
                    (None, _) => 0,
                    (Some(i), KeyCode::BackTab) => (i + n - 1) % n,
                    (Some(i), _) => (i + 1) % n,
                };
                let text = state.prompt.completions[next].clone();
                state.prompt.input = Input::new(text);
                state.prompt.chosen = Some(next);
            }
            Vec::new()
        }
        KeyCode::Enter => {
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
        Command::Account(wanted) => match state.accounts.find(&wanted).cloned() {
            Some(account) => make_current(state, account),
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
            state.tenants = TenantsPane::new(state.tenants.settings.clone());
            state.dns = ListPane::default();
            state.workflows = ListPane::default();
            state.notify(format!("region: {region}"), false);
            return vec![
                Effect::SwitchRegion { region },
                state.load_identity(),
                state.load_accounts(),
            ];
        }
    }
    Vec::new()
}

#[cfg(test)]
pub(crate) mod tests;
