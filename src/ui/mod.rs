//! Rendering: `render(&State, &Theme, &mut Frame)`, one function per screen region (layout in
//! `app::layout`). Every string that came from AWS goes through the sanitiser here.

mod accounts;
mod help;
mod list;
mod table;
pub mod theme;

use std::borrow::Cow;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::app::layout::{HEADER_ROWS, STATUS_ROWS, TAB_ROWS};
use crate::app::{Loadable, Mode, Pane, State};
use crate::domain::sanitize::sanitize;
use list::ListLook;
pub use theme::Theme;

const SPINNER: [&str; 10] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

pub fn render(state: &State, theme: &Theme, frame: &mut Frame) {
    let [header, tabs, body, status] = Layout::vertical([
        Constraint::Length(HEADER_ROWS),
        Constraint::Length(TAB_ROWS),
        Constraint::Fill(1),
        Constraint::Length(STATUS_ROWS),
    ])
    .areas(frame.area());
    render_header(state, theme, frame, header);
    render_tabs(state, theme, frame, tabs);
    match state.pane {
        Pane::Accounts => accounts::render(state, theme, frame, body),
        Pane::Tenants => render_tenants(state, theme, frame, body),
        Pane::Dns => render_dns(state, theme, frame, body),
        Pane::Workflows => render_workflows(state, theme, frame, body),
    }
    render_status(state, theme, frame, status);
    if state.mode == Mode::Help {
        help::render(state, theme, frame, body);
    }
}

/// A string from AWS, made safe for the terminal.
fn safe(s: &str) -> Cow<'_, str> {
    sanitize(s)
}

fn spinner(state: &State) -> &'static str {
    SPINNER[(state.tick % SPINNER.len() as u64) as usize]
}

fn render_header(state: &State, theme: &Theme, frame: &mut Frame, area: Rect) {
    let session = &state.session;
    let mut first = vec![Span::styled(" opsdeck ", theme.title)];
    let sep = || Span::styled(" │ ", theme.dim);
    match (&state.identity, &state.current_account) {
        (_, Some(account)) => {
            first.push(Span::raw(format!("account {}", safe(&account.id))));
            if !account.name.is_empty() {
                first.push(Span::styled(
                    format!(" ({})", safe(&account.name)),
                    theme.heading,
                ));
            }
        }
        (Loadable::Ready { value, .. }, None) => {
            first.push(Span::raw(format!("account {}", safe(&value.account_id))));
            if let Some(name) = state
                .accounts
                .accounts()
                .iter()
                .find(|a| a.id == value.account_id)
                .map(|a| a.name.as_str())
                .filter(|n| !n.is_empty())
            {
                first.push(Span::styled(format!(" ({})", safe(name)), theme.heading));
            }
        }
        (Loadable::Loading { .. }, None) => {
            first.push(Span::raw(format!("account {}", spinner(state))))
        }
        (_, None) => first.push(Span::styled("account ?", theme.error)),
    }
    first.push(sep());
    first.push(Span::raw(
        session.region.as_deref().unwrap_or("no region").to_owned(),
    ));
    first.push(sep());
    first.push(Span::raw(format!(
        "profile {}",
        session.profile.as_deref().unwrap_or("default")
    )));
    if session.read_only {
        first.push(Span::raw(" "));
        first.push(Span::styled(" READ-ONLY ", theme.badge));
    }

    let mut second = vec![Span::raw(" ")];
    match &state.identity {
        Loadable::Ready { value, .. } => {
            second.push(Span::styled(safe(&value.arn).into_owned(), theme.dim))
        }
        Loadable::Failed { error } => second.push(Span::styled(
            format!("who am I? {}", safe(&error.to_string())),
            theme.error,
        )),
        Loadable::Loading { .. } => second.push(Span::styled("asking STS who we are…", theme.dim)),
        Loadable::NotAsked => {}
    }
    if let Some(endpoint) = &session.endpoint {
        second.push(sep());
        second.push(Span::styled(
            format!("endpoint {}", safe(endpoint)),
            theme.warn,
        ));
    }
    frame.render_widget(
        Paragraph::new(vec![Line::from(first), Line::from(second)]),
        area,
    );
}

fn render_tabs(state: &State, theme: &Theme, frame: &mut Frame, area: Rect) {
    let keys = |action| {
        state
            .keymap
            .bindings()
            .into_iter()
            .find(|(a, _)| *a == action)
            .and_then(|(_, keys)| keys.into_iter().next())
            .unwrap_or_default()
    };
    use crate::config::keymap::Action;
    let mut spans = vec![Span::raw(" ")];
    for (pane, action) in [
        (Pane::Accounts, Action::PaneAccounts),
        (Pane::Tenants, Action::Pane1),
        (Pane::Dns, Action::Pane2),
        (Pane::Workflows, Action::Pane3),
    ] {
        let label = format!(" {} {} ", keys(action), pane.title());
        let style = if pane == state.pane {
            theme.tab_active
        } else {
            theme.dim
        };
        spans.push(Span::styled(label, style));
        spans.push(Span::raw(" "));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

fn render_tenants(state: &State, theme: &Theme, frame: &mut Frame, area: Rect) {
    let pane = &state.tenants;
    if pane.choosing_pool() {
        let look = ListLook {
            title: "User pools",
            noun: "user pools",
            widths: &[Constraint::Fill(1), Constraint::Fill(2)],
            empty: " no user pools in this account and region (or set cognito.user_pool_id)",
            footer: Some(Line::styled(" Enter opens the pool's tenants", theme.dim)),
        };
        return list::render(state, &pane.pools, look, theme, frame, area);
    }
    let pool = pane.pool.as_ref().map(|p| {
        if p.name.is_empty() {
            p.id.clone()
        } else {
            format!("{} ({})", p.name, p.id)
        }
    });
    let title = format!("Tenants of {}", safe(pool.as_deref().unwrap_or("")));
    let other: Vec<&str> = pane.other_groups.iter().map(|g| g.name.as_str()).collect();
    let footer = (!other.is_empty()).then(|| {
        Line::from(vec![
            Span::styled(" other groups: ", theme.dim),
            Span::raw(safe(&other.join(", ")).into_owned()),
        ])
    });
    let look = ListLook {
        title: &title,
        noun: "groups",
        widths: &[
            Constraint::Min(12),
            Constraint::Min(22),
            Constraint::Fill(1),
        ],
        empty: " no groups follow the tenant pattern (cognito.group_pattern) in this pool",
        footer,
    };
    list::render(state, &pane.tenants, look, theme, frame, area);
}

fn render_dns(state: &State, theme: &Theme, frame: &mut Frame, area: Rect) {
    let look = ListLook {
        title: "Hosted zones",
        noun: "hosted zones",
        widths: &[
            Constraint::Fill(2),
            Constraint::Min(14),
            Constraint::Length(10),
            Constraint::Length(7),
            Constraint::Fill(1),
        ],
        empty: " no hosted zones in this account",
        footer: None,
    };
    list::render(state, &state.dns, look, theme, frame, area);
}

fn render_workflows(state: &State, theme: &Theme, frame: &mut Frame, area: Rect) {
    let look = ListLook {
        title: "State machines",
        noun: "state machines",
        widths: &[
            Constraint::Fill(1),
            Constraint::Length(8),
            Constraint::Length(16),
            Constraint::Fill(2),
        ],
        empty: " no state machines in this account and region",
        footer: None,
    };
    list::render(state, &state.workflows, look, theme, frame, area);
}

/// The key hints of the status bar, from the keymap so rebinding shows.
fn hints(state: &State) -> String {
    use crate::config::keymap::Action;
    let enter = match state.pane {
        Pane::Accounts => "select",
        Pane::Tenants if state.tenants.choosing_pool() => "open",
        _ => "",
    };
    let back = match state.pane {
        Pane::Tenants
            if state.tenants.pool.is_some() && state.tenants.settings.pool_id.is_none() =>
        {
            "pools"
        }
        _ => "",
    };
    let mut out = String::new();
    for (action, what) in [
        (Action::Help, "help"),
        (Action::CommandLine, "cmd"),
        (Action::Filter, "filter"),
        (Action::Enter, enter),
        (Action::Back, back),
        (Action::Refresh, "reload"),
        (Action::Copy, "copy"),
        (Action::Export, "export"),
        (Action::Quit, "quit"),
    ] {
        if let (false, Some(key)) = (what.is_empty(), state.keymap.keys_for(action).first()) {
            out.push_str(&format!(" {key} {what} "));
        }
    }
    out
}

fn render_status(state: &State, theme: &Theme, frame: &mut Frame, area: Rect) {
    let line = match state.mode {
        Mode::Command | Mode::Filter => {
            let sigil = if state.mode == Mode::Command {
                ":"
            } else {
                "/"
            };
            let mut spans = vec![
                Span::styled(sigil, theme.title),
                Span::raw(safe(state.prompt.input.value()).into_owned()),
            ];
            if state.mode == Mode::Command && !state.prompt.completions.is_empty() {
                spans.push(Span::styled("   ", theme.dim));
                for (i, c) in state.prompt.completions.iter().enumerate().take(8) {
                    let style = if state.prompt.chosen == Some(i) {
                        theme.selected
                    } else {
                        theme.dim
                    };
                    spans.push(Span::styled(safe(c).into_owned(), style));
                    spans.push(Span::raw(" "));
                }
            }
            let cursor_x = area.x + 1 + state.prompt.input.visual_cursor() as u16;
            if area.height > 0 && cursor_x < area.right() {
                frame.set_cursor_position((cursor_x, area.y));
            }
            Line::from(spans)
        }
        _ => match &state.notice {
            Some(n) => Line::styled(
                format!(" {}", safe(&n.text)),
                if n.is_error { theme.error } else { theme.ok },
            ),
            None => Line::styled(hints(state), theme.dim),
        },
    };
    frame.render_widget(Paragraph::new(line), area);
}

#[cfg(test)]
mod tests;
