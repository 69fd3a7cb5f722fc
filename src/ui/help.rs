//! The `?` help screen, built from the keymap so it always tells the truth: the global keys, then
//! the keys of the pane on screen, of forms and of questions, then the `:` commands.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};
use unicode_width::UnicodeWidthStr;

use super::Theme;
use crate::app::State;
use crate::app::command::COMMANDS;
use crate::config::keymap::Scope;

/// How `/` matches, said once under the keys.
const FILTER_HELP: &str = "/ filters fuzzily (acm finds acme); 'acme-prod matches exactly, \
                           ^acme at the start, !test excludes";

pub fn render(state: &State, theme: &Theme, frame: &mut Frame, area: Rect) {
    let width = area.width.min(72);
    let popup = Rect {
        x: area.x + (area.width - width) / 2,
        width,
        ..area
    };
    let mut lines: Vec<Line> = Vec::new();
    let pane_scope = state.pane.scope();
    let mut scopes = vec![Scope::Global];
    if pane_scope != Scope::Global {
        scopes.push(pane_scope);
    }
    scopes.extend([Scope::Form, Scope::Dialog]);
    let sections: Vec<(Scope, Vec<(String, &str)>)> = scopes
        .into_iter()
        .map(|scope| {
            let keys = state
                .keymap
                .bindings(scope)
                .into_iter()
                .filter(|(action, _)| crate::app::is_available(state, *action))
                .map(|(action, keys)| (keys.join(" "), action.description()))
                .collect();
            (scope, keys)
        })
        .collect();
    // Keys in one column as wide as the widest label (rebound keys can be long).
    let column = sections
        .iter()
        .flat_map(|(_, keys)| keys.iter().map(|(k, _)| k.width()))
        .max()
        .unwrap_or(0)
        .clamp(12, 24)
        + 2;
    for (scope, keys) in sections {
        if keys.is_empty() {
            continue;
        }
        if !lines.is_empty() {
            lines.push(Line::raw(""));
        }
        lines.push(Line::styled(scope.title(), theme.heading));
        for (label, description) in keys {
            lines.push(Line::from(vec![
                Span::styled(format!("{label:<column$}"), theme.title),
                Span::raw(description),
            ]));
        }
    }
    lines.push(Line::raw(""));
    lines.push(Line::raw(FILTER_HELP));
    lines.push(Line::raw(live_help(state)));
    lines.push(Line::raw(""));
    lines.push(Line::styled(
        "Commands (after :, Tab completes)",
        theme.heading,
    ));
    for (word, what) in COMMANDS {
        lines.push(Line::from(vec![
            Span::styled(format!(":{word:<w$}", w = column - 1), theme.title),
            Span::raw(*what),
        ]));
    }
    let inner_rows = usize::from(popup.height.saturating_sub(2));
    let scroll = state
        .help_scroll
        .min(lines.len().saturating_sub(inner_rows));
    frame.render_widget(Clear, popup);
    frame.render_widget(
        // A description longer than the box ends in `…` rather than stopping mid-word.
        Paragraph::new(
            lines
                .into_iter()
                .map(|l| super::table::fit_line(l, usize::from(popup.width.saturating_sub(2))))
                .collect::<Vec<_>>(),
        )
        .scroll((u16::try_from(scroll).unwrap_or(u16::MAX), 0))
        .block(
            Block::default()
                .borders(Borders::ALL)
                .border_style(theme.border)
                .title(" help: j/k scroll, Esc closes "),
        ),
        popup,
    );
}

/// What the view on screen does by itself (the header says it in short).
fn live_help(state: &State) -> String {
    use crate::app::live::Live;
    let every = state.live.interval.as_secs();
    match state.live_view() {
        Live::Auto if state.live.is_on() => {
            format!("This view re-reads itself every {every} s (ui.refresh_secs); r reloads now")
        }
        Live::Auto => "Live refresh is off (ui.refresh_secs = 0); r reloads".to_owned(),
        Live::Watching => "The execution is watched live; w stops watching".to_owned(),
        Live::Paused(why) => format!("This view is not refreshed by itself: {why}; r reloads"),
    }
}
