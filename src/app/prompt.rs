//! The text typed at the bottom: the `/` filter of the current table and the `:` command line,
//! its completions and the commands it runs.

use tui_input::Input;
use tui_input::backend::crossterm::EventHandler;

use crossterm::event::KeyEvent;

use crate::config::keymap::{Action, Scope};

use super::command::{self, Command, ScopeWanted};
use super::msg::Effect;
use super::scope::Scope as AppScope;
use super::state::{Mode, Pane, State, make_current_account};

/// The text being typed at the bottom (`:` or `/`), with completion candidates for `:`.
#[derive(Debug, Default)]
pub struct Prompt {
    pub input: Input,
    pub completions: Vec<String>,
    /// Which completion Tab last put in the input.
    pub chosen: Option<usize>,
}

pub(super) fn on_filter_key(state: &mut State, key: KeyEvent) -> Vec<Effect> {
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

pub(super) fn on_command_key(state: &mut State, key: KeyEvent) -> Vec<Effect> {
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

pub(super) fn refresh_completions(state: &mut State) {
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
        &state.credentials.profiles,
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
        Command::User(query) => {
            state.pane = Pane::Tenants;
            let (mut ctx, panes) = state.split();
            panes.tenants.find_user(&query, &mut ctx);
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
        Command::Profile(profile) => return super::credentials::switch_profile(state, profile),
        Command::Login(profile) => return super::credentials::login(state, profile),
        Command::Scope(wanted) => {
            let scope = match wanted {
                ScopeWanted::Here => AppScope::Here,
                ScopeWanted::Organisation(regions) => AppScope::organisation(
                    &regions,
                    &state.session.scope_regions,
                    state.session.region.as_deref(),
                ),
            };
            return switch_scope(state, scope);
        }
        Command::Failures(window) => {
            state.pane = Pane::Workflows;
            let (mut ctx, panes) = state.split();
            panes.workflows.open_failures(window, &mut ctx);
            let asked = ctx.finish();
            return state.apply(asked);
        }
        Command::Region(region) => {
            state.session.region = Some(region.clone());
            // The current account stays: accounts span regions. Everything loaded so far belongs
            // to the old region.
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

/// Read the Tenants and Workflows panes in `scope` from now on: what they hold belongs to the
/// old scope, so they start again (the visible one loads at once, the other when shown).
pub(super) fn switch_scope(state: &mut State, scope: AppScope) -> Vec<Effect> {
    if let AppScope::Organisation { regions } = &scope
        && regions.is_empty()
    {
        state.notify(
            "no region for the organisation scope: give one (:scope org eu-west-1) or set [scope] regions",
            true,
        );
        return Vec::new();
    }
    if scope == state.scope {
        state.notify(format!("scope: {} already", scope_text(&scope)), false);
        return Vec::new();
    }
    state.scope = scope;
    for pane in [Pane::Tenants, Pane::Workflows] {
        state.with_pane(pane, |pane, _| pane.reset());
    }
    let text = format!("scope: {}", scope_text(&state.scope));
    state.notify(text, false);
    // The key's own `ensure_loaded` (after every key) loads the visible pane in the new scope.
    Vec::new()
}

/// `this account and region` or `the organisation × eu-west-1, us-east-1`.
fn scope_text(scope: &AppScope) -> String {
    match scope {
        AppScope::Here => "this account and region".into(),
        AppScope::Organisation { regions } => {
            format!("the organisation × {}", regions.join(", "))
        }
    }
}
