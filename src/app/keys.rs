//! What a key does in each mode: the fixed keys, the global and pane actions of the normal mode,
//! help, the report box and the confirmation dialog (the prompts' keys are in `prompt.rs`).

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use tui_input::Input;

use crate::config::keymap::{Action, Scope};

use super::confirm::Answer;
use super::detail::Outcome;
use super::msg::Effect;
use super::pane::{Ctx, PaneState};
use super::prompt::{Prompt, on_command_key, on_filter_key, refresh_completions};
use super::state::{Mode, Pane, State};
use super::{Change, table};

pub(super) fn on_key(state: &mut State, key: KeyEvent) -> Vec<Effect> {
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
        Mode::Detail => on_detail_key(state, key),
        Mode::Filter => on_filter_key(state, key),
        Mode::Command => on_command_key(state, key),
        Mode::Confirm => on_confirm_key(state, key),
        Mode::Credentials => super::credentials::on_key(state, key),
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
        // The command line with `user ` typed: the email or username follows.
        Action::FindUser => {
            state.mode = Mode::Command;
            state.prompt = Prompt {
                input: tui_input::Input::new("user ".into()),
                ..Prompt::default()
            };
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
        Action::SortNext => state.sort_table(true),
        Action::SortReverse => state.sort_table(false),
        Action::Describe => state.open_detail(),
        // Where a row opens nothing else, Enter shows it in full.
        Action::Enter if state.pane_state(state.pane).hint(Action::Enter).is_empty() => {
            state.open_detail();
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
        Action::ToggleScope => {
            let scope = match state.scope {
                crate::app::scope::Scope::Here => crate::app::scope::Scope::organisation(
                    &[],
                    &state.session.scope_regions,
                    state.session.region.as_deref(),
                ),
                crate::app::scope::Scope::Organisation { .. } => crate::app::scope::Scope::Here,
            };
            return super::prompt::switch_scope(state, scope);
        }
        // A change is refused in read-only mode before its form or question opens, so nothing
        // typed is lost to a refusal after Enter.
        Action::New | Action::Edit | Action::Delete | Action::Redrive
            if !state.pane_state(state.pane).hint(action).is_empty()
                && let Some(refusal) = state.refuses_changes_in(
                    state
                        .pane_state(state.pane)
                        .change_account(action)
                        .as_deref(),
                ) =>
        {
            state.notify(format!("{refusal}; nothing was opened"), true);
        }
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

fn on_detail_key(state: &mut State, key: KeyEvent) -> Vec<Effect> {
    let rows = state.table_rows().max(1);
    let action = state.keymap.action_for(&key);
    let Some(detail) = state.detail.as_mut() else {
        state.mode = Mode::Normal;
        return Vec::new();
    };
    match detail.on_action(action, rows) {
        Outcome::Stay => Vec::new(),
        Outcome::Close => {
            state.detail = None;
            state.mode = Mode::Normal;
            Vec::new()
        }
        Outcome::Copy { field, text } => {
            state.notify(format!("copied {field}"), false);
            vec![Effect::Copy { text }]
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
                Some(Change::Tenants(_)) => Pane::Tenants,
                Some(Change::Workflows(_)) => Pane::Workflows,
                Some(Change::Dns(_)) => Pane::Dns,
                None => state.pane,
            };
            state.changing.push(super::state::Changing {
                title: approved.plan().title.clone(),
                pane,
                since: state.tick,
            });
            // Shown at once, confirmed (or put back) by the re-read when the change ends.
            let mut effects = state.with_pane(pane, |p, _| p.expect(approved.plan()));
            effects.push(Effect::Execute(approved));
            effects
        }
    }
}
