//! One machine's executions: status, times and duration; the columns that fit.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{split, status_style};
use crate::app::State;
use crate::app::workflows::ExecutionsView;
use crate::config::keymap::{Action, Keymap};
use crate::domain::time;
use crate::domain::workflows::MachineType;
use crate::ui::table::col;
use crate::ui::{Theme, safe, spinner, table};

pub(super) fn render_executions(
    state: &State,
    view: &ExecutionsView,
    theme: &Theme,
    frame: &mut Frame,
    area: Rect,
) {
    let (title, body) = split(area);
    let mut spans = vec![Span::styled(
        format!(" Executions of {} ", safe(&view.machine.name)),
        theme.title,
    )];
    if let Some(place) = super::elsewhere(state, &view.account, &view.region) {
        spans.push(Span::styled(format!("{} ", place.trim_start()), theme.warn));
    }
    let (running, failed) = view.counts();
    spans.push(Span::raw(format!(
        "{} loaded{}, {running} running, {failed} failed",
        view.items.len(),
        if view.next_token.is_some() {
            " (more below)"
        } else {
            ""
        }
    )));
    if let Some(status) = view.status {
        spans.push(Span::styled(
            format!("  status: {}", status.as_str()),
            theme.warn,
        ));
    }
    if view.failures_first {
        spans.push(Span::styled("  failures first", theme.warn));
    }
    if let Some(request) = view.loading {
        spans.push(Span::raw(format!(
            "  {} loading…{}",
            spinner(state),
            crate::ui::waiting_for(state, request)
        )));
    } else if let Some(at) = view.fetched_at {
        spans.push(Span::styled(format!("  at {}", time::clock(at)), theme.dim));
        spans.extend(crate::ui::list::refresh_note(
            state,
            view.refreshing,
            &view.refresh_error,
            theme,
        ));
    }
    spans.extend(table::filter_note(&view.table, theme));
    // A title longer than the line ends in `…`.
    let line = crate::ui::table::fit_line(Line::from(spans), usize::from(title.width));
    frame.render_widget(Paragraph::new(line), title);

    let (body, foot) = if body.height > 3 {
        let [b, f] = Layout::vertical([Constraint::Fill(1), Constraint::Length(1)]).areas(body);
        (b, Some(f))
    } else {
        (body, None)
    };
    if let Some(error) = &view.error {
        return table::failure(error, "r retries", theme, frame, body);
    }
    let now = view.fetched_at.unwrap_or_default();
    // The status always, then the name and the duration; the stop time and then the start time
    // give way.
    let columns = [
        col("NAME", Constraint::Fill(2), 7),
        col("STATUS", Constraint::Length(15), 9),
        col("STARTED", Constraint::Length(9), 5),
        col("STOPPED", Constraint::Length(9), 4),
        col("DURATION", Constraint::Length(9), 6),
    ];
    table::draw(state, &view.table, &columns, theme, frame, body, |i| {
        let e = view.items.get(i)?;
        Some(vec![
            Line::raw(safe(&e.name).into_owned()),
            Line::styled(e.status.as_str(), status_style(theme, e.status)),
            Line::raw(time::age(e.started, state.now)),
            Line::raw(
                e.stopped
                    .map(|t| time::age(t, state.now))
                    .unwrap_or_default(),
            ),
            Line::raw(e.duration_ms(now).map(time::duration).unwrap_or_default()),
        ])
    });
    if view.loading.is_none() {
        let empty = if view.machine.kind == MachineType::Express {
            " no executions listed: express state machines keep no execution history in the API"
        } else {
            " no executions (with this status)"
        };
        table::empty_note(&view.table, view.items.len(), empty, theme, frame, body);
    }
    if let Some(foot) = foot {
        let text = if view.machine.kind == MachineType::Express {
            " express state machine: its executions have no event history through the API (see CloudWatch Logs)".to_owned()
        } else {
            status_keys(&state.keymap)
        };
        frame.render_widget(Paragraph::new(Line::styled(text, theme.dim)), foot);
    }
}

/// The status filter keys as the keymap binds them: ` R running  S succeeded  ...`.
fn status_keys(keymap: &Keymap) -> String {
    [
        (Action::ShowRunning, "running"),
        (Action::ShowSucceeded, "succeeded"),
        (Action::ShowFailed, "failed"),
        (Action::ShowTimedOut, "timed out"),
        (Action::ShowAborted, "aborted"),
        (Action::ShowAllStatuses, "all"),
        (Action::FailuresFirst, "failures first"),
    ]
    .iter()
    .filter(|(action, _)| !keymap.keys_for(*action).is_empty())
    .map(|(action, what)| format!(" {} {what} ", keymap.label(*action)))
    .collect()
}
