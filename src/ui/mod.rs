//! Rendering: `render(&State, &Theme, &mut Frame)`, one function per screen region (layout in
//! `app::layout`). Every string that came from AWS goes through the sanitiser here.

mod accounts;
mod confirm;
mod credentials;
mod detail;
mod dns;
pub mod form;
mod help;
mod list;
mod report;
mod table;
mod tenants;
pub mod theme;
mod workflows;
mod wrap;

use std::borrow::Cow;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::app::layout::{HEADER_ROWS, STATUS_ROWS, TAB_ROWS};
use crate::app::{Loadable, Mode, Pane, State};
use crate::domain::sanitize::{sanitize, without_userinfo};
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
        Pane::Tenants => tenants::render(state, theme, frame, body),
        Pane::Dns => dns::render(state, theme, frame, body),
        Pane::Workflows => workflows::render(state, theme, frame, body),
    }
    render_status(state, theme, frame, status);
    match state.mode {
        Mode::Help => help::render(state, theme, frame, body),
        Mode::Confirm => confirm::render(state, theme, frame, body),
        Mode::Report => report::render(state, theme, frame, body),
        Mode::Credentials => credentials::render(state, theme, frame, body),
        Mode::Detail => detail::render(state, theme, frame, body),
        _ => {}
    }
}

/// A string from AWS, made safe for the terminal.
fn safe(s: &str) -> Cow<'_, str> {
    sanitize(s)
}

/// `n` and the noun in the number it agrees with: `1 event`, `3 events`, `0 accounts`.
pub(crate) fn count(n: usize, singular: &str) -> String {
    if n == 1 {
        format!("1 {singular}")
    } else {
        format!("{n} {singular}s")
    }
}

fn spinner(state: &State) -> &'static str {
    SPINNER[(state.tick % SPINNER.len() as u64) as usize]
}

/// " (waiting 12 s)" once what `loadable` waits for is slow, else nothing: a slow call is shown,
/// never hidden behind a spinner.
fn waiting<T>(state: &State, loadable: &Loadable<T>) -> String {
    match loadable {
        Loadable::Loading { request } => waiting_for(state, *request),
        _ => String::new(),
    }
}

fn waiting_for(state: &State, request: crate::app::RequestId) -> String {
    state
        .slow_wait(request)
        .map_or_else(String::new, |s| format!(" (waiting {s} s)"))
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
                .by_id(&value.account_id)
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
    if let Some(scope) = state.scope.label() {
        first.push(sep());
        first.push(Span::styled(
            format!("scope {}", safe(&scope)),
            theme.heading,
        ));
    }
    let profile = vec![
        sep(),
        Span::raw(format!(
            "profile {}",
            session.profile.as_deref().unwrap_or("default")
        )),
    ];
    // The session's time left, after the profile; on its own when the profile gives way.
    let left = state.credentials.left.map(|left| {
        let what = if state.credentials.mfa { "MFA" } else { "SSO" };
        let style = if left <= crate::app::credentials::RENEW_BEFORE {
            theme.error
        } else {
            theme.dim
        };
        (
            format!(
                "{what} session {} left",
                crate::app::credentials::left_text(left)
            ),
            style,
        )
    });
    let badge = session
        .read_only
        .then(|| vec![Span::raw(" "), Span::styled(" READ-ONLY ", theme.badge)]);
    let fits =
        |spans: &[Span]| spans.iter().map(Span::width).sum::<usize>() <= usize::from(area.width);
    let mut whole = first.clone();
    whole.extend(profile);
    if let Some((text, style)) = &left {
        whole.push(Span::styled(format!(" ({text})"), *style));
    }
    whole.extend(badge.clone().unwrap_or_default());
    let first = if fits(&whole) {
        whole
    } else {
        // Too narrow: the profile gives way first; the read-only badge never does (it moves
        // next to the name when even that does not fit).
        let mut short = first;
        if let Some((text, style)) = left {
            short.push(sep());
            short.push(Span::styled(text, style));
        }
        match badge {
            Some(badge) if !fits(&[short.clone(), badge.clone()].concat()) => {
                let mut moved = vec![short.remove(0)];
                moved.push(Span::styled(" READ-ONLY ", theme.badge));
                moved.push(Span::raw(" "));
                moved.extend(short);
                moved
            }
            Some(badge) => [short, badge].concat(),
            None => short,
        }
    };

    let mut second = vec![Span::raw(" ")];
    match &state.identity {
        Loadable::Ready { value, .. } => {
            second.push(Span::styled(safe(&value.arn).into_owned(), theme.dim))
        }
        Loadable::Failed { error } => second.push(Span::styled(
            format!("who am I? {}", safe(&error.to_string())),
            theme.error,
        )),
        Loadable::Loading { request } => second.push(match state.slow_wait(*request) {
            Some(secs) => Span::styled(format!("waiting {secs} s for STS…"), theme.warn),
            None => Span::styled("asking STS who we are…", theme.dim),
        }),
        Loadable::NotAsked => {}
    }
    if let Some(endpoint) = &session.endpoint {
        second.push(sep());
        second.push(Span::styled(
            format!("endpoint {}", safe(&without_userinfo(endpoint))),
            theme.warn,
        ));
    }
    frame.render_widget(
        Paragraph::new(vec![Line::from(first), Line::from(second)]),
        area,
    );
}

fn render_tabs(state: &State, theme: &Theme, frame: &mut Frame, area: Rect) {
    let mut spans = vec![Span::raw(" ")];
    for (pane, label) in crate::app::layout::tab_labels(&state.keymap) {
        let style = if pane == state.pane {
            theme.tab_active
        } else {
            theme.dim
        };
        spans.push(Span::styled(label, style));
        spans.push(Span::raw(" "));
    }
    // How the view on screen keeps itself current, on the right when there is room.
    let tabs = Line::from(spans);
    let room = usize::from(area.width).saturating_sub(tabs.width() + 1);
    let mut live = live_label(state, theme);
    if live.width() > room {
        // Too narrow for the reason: the state alone, the reason is in `?`.
        live = Line::styled("paused ", theme.dim);
    }
    let live = table::fit_line(live, room);
    let [left, right] = Layout::horizontal([
        Constraint::Length(u16::try_from(tabs.width()).unwrap_or(u16::MAX)),
        Constraint::Fill(1),
    ])
    .areas(area);
    frame.render_widget(Paragraph::new(tabs), left);
    frame.render_widget(Paragraph::new(live).right_aligned(), right);
}

/// `live 5s` (the view re-reads itself), `watching`, `live off`, or `paused: why`.
fn live_label(state: &State, theme: &Theme) -> Line<'static> {
    use crate::app::live::Live;
    match state.live_view() {
        Live::Auto if state.live.is_on() => Line::styled(
            format!("live {}s ", state.live.interval.as_secs()),
            theme.dim,
        ),
        Live::Auto => Line::styled("live off ", theme.dim),
        Live::Watching => Line::styled("watching ", theme.ok),
        Live::Paused(why) => Line::styled(format!("paused: {why} "), theme.dim),
    }
}

/// The key hints of the status bar, from the keymap so rebinding shows.
fn hints(state: &State) -> String {
    use crate::config::keymap::Action;
    let pane = state.pane_state(state.pane);
    let mut out = String::new();
    for (action, what) in [
        (Action::Help, "help"),
        (Action::CommandLine, "cmd"),
        (Action::Filter, "filter"),
        (Action::Enter, pane.hint(Action::Enter)),
        // Where there is a row (or a summary) to show whole.
        (
            Action::Describe,
            if pane.rows().is_some() || pane.view_fields().is_some() {
                "whole row"
            } else {
                ""
            },
        ),
        (Action::Back, pane.hint(Action::Back)),
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
        _ if state.progress.is_some() => progress_line(state, theme, area.width),
        // Until the SSO login is approved, what to open and confirm stays in view.
        _ if state.credentials.device.is_some() => {
            let device = state.credentials.device.as_ref().expect("checked above");
            Line::styled(
                format!(
                    " SSO login: open {} and confirm the code {}",
                    safe(&device.url),
                    safe(&device.code)
                ),
                theme.warn,
            )
        }
        // A notice longer than the line ends in `…`, never stops mid-word unmarked.
        _ => match &state.notice {
            Some(n) => table::fit_line(
                Line::styled(
                    format!(" {}", safe(&n.text)),
                    if n.is_error { theme.error } else { theme.ok },
                ),
                usize::from(area.width),
            ),
            None => Line::styled(hints(state), theme.dim),
        },
    };
    frame.render_widget(Paragraph::new(line), area);
}

/// A running change: its title, a bar and the count of calls made.
fn progress_line<'a>(state: &State, theme: &Theme, width: u16) -> Line<'a> {
    let Some(p) = &state.progress else {
        return Line::raw("");
    };
    const BAR: usize = 20;
    let filled = (p.done * BAR).checked_div(p.total).unwrap_or(0).min(BAR);
    let count = format!(" {}/{} ", p.done, p.total);
    let room = usize::from(width).saturating_sub(BAR + count.len() + 6);
    Line::from(vec![
        Span::styled(format!(" {} ", spinner(state)), theme.title),
        Span::raw(format!(
            "{} ",
            crate::domain::sanitize::truncate_to_width(&safe(&p.title), room)
        )),
        Span::styled("█".repeat(filled), theme.ok),
        Span::styled("░".repeat(BAR - filled), theme.dim),
        Span::raw(count),
    ])
}

#[cfg(test)]
mod tests;
