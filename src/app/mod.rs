//! The TUI core: [`State`], [`Msg`], and `update(&mut State, Msg) -> Vec<Effect>`.
//!
//! Pure and synchronous: no I/O, no clock, no async. The runtime turns [`Effect`]s into tasks and
//! sends their results back as [`Msg`]s tagged with the [`RequestId`] they answer; a result whose id
//! is no longer awaited is dropped. Tests drive it with plain values.

pub mod accounts;
pub mod command;
pub mod layout;
pub mod loadable;
pub mod table;

use chrono::{DateTime, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use tui_input::Input;
use tui_input::backend::crossterm::EventHandler;

use crate::config::keymap::{Action, Keymap};
use crate::domain::account::{Access, Account, AccountList, CallerIdentity};
use crate::services::ServiceError;
use accounts::AccountsPane;
use command::Command;
pub use loadable::{Loadable, RequestId};

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
    pub fn new(session: Session, keymap: Keymap) -> State {
        State {
            session,
            identity: Loadable::NotAsked,
            pane: Pane::Accounts,
            accounts: AccountsPane::default(),
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
        Msg::Key(key) => on_key(state, key),
        Msg::Resize(width, height) => {
            state.size = (width, height);
            let rows = state.table_rows();
            state.accounts.table.scroll_into_view(rows);
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
            let current = state.accounts.table.filter().to_owned();
            state.prompt = Prompt {
                input: Input::new(current),
                ..Prompt::default()
            };
        }
        Action::Up => state.accounts.table.move_by(-1, rows),
        Action::Down => state.accounts.table.move_by(1, rows),
        Action::PageUp => state.accounts.table.move_by(-(rows as isize), rows),
        Action::PageDown => state.accounts.table.move_by(rows as isize, rows),
        Action::Top => state.accounts.table.select_first(rows),
        Action::Bottom => state.accounts.table.select_last(rows),
        Action::Enter => {
            if let Some(account) = state.accounts.selected().cloned() {
                make_current(state, account);
            }
        }
        Action::Back => {
            if !state.accounts.table.filter().is_empty() {
                state.accounts.table.set_filter("");
                state.accounts.refilter();
            }
        }
        Action::Refresh => {
            return vec![state.load_identity(), state.load_accounts()];
        }
        Action::Copy => {
            if let Some(account) = state.accounts.selected() {
                return vec![Effect::Copy {
                    text: account.id.clone(),
                }];
            }
        }
        Action::Export => return export_accounts(state),
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

fn make_current(state: &mut State, account: Account) {
    let label = if account.name.is_empty() {
        account.id.clone()
    } else {
        format!("{} ({})", account.name, account.id)
    };
    state.notify(format!("current account: {label}"), false);
    state.current_account = Some(account);
}

fn export_accounts(state: &State) -> Vec<Effect> {
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
    vec![Effect::Export {
        name: "accounts".into(),
        headers,
        rows,
    }]
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
            state.accounts.table.set_filter("");
        }
        KeyCode::Enter => state.mode = Mode::Normal,
        _ => {
            state
                .prompt
                .input
                .handle_event(&crossterm::event::Event::Key(key));
            let text = state.prompt.input.value().to_owned();
            state.accounts.table.set_filter(&text);
        }
    }
    state.accounts.refilter();
    let rows = state.table_rows();
    state.accounts.table.scroll_into_view(rows);
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
