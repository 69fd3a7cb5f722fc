//! The Workflows pane: state machines (with running/failed counts), one machine's executions, and
//! one execution — summary, timeline with duration bars on a shared time axis, graph of the
//! definition coloured by what happened, raw events with an input/output viewer — plus the start
//! form. Only the visible rows are built.
//!
//! One file per view, named as in `app::workflows`: `machines`, `executions`, `detail` (the
//! execution's header, tabs, summary and input/output viewer) with its tabs `timeline`, `graph`
//! and `events`, and `forms` (start and stop).

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;

use super::Theme;
use crate::app::State;
use crate::app::layout::TITLE_ROWS;
use crate::domain::workflows::ExecutionStatus;
use crate::domain::workflows::timeline::StateStatus;

mod detail;
mod events;
mod executions;
mod forms;
mod graph;
mod machines;
mod scoped;
#[cfg(test)]
mod tests;
mod timeline;

use detail::render_detail;
use executions::render_executions;
use forms::{render_form, render_stop_form};
use machines::render_machines;

pub fn render(state: &State, theme: &Theme, frame: &mut Frame, area: Rect) {
    let pane = &state.workflows;
    if let Some(detail) = &pane.detail {
        render_detail(state, detail, theme, frame, area);
    } else if let Some(view) = &pane.executions {
        render_executions(state, view, theme, frame, area);
    } else if !scoped::render_list(state, pane, theme, frame, area) {
        render_machines(state, theme, frame, area);
    }
    if let Some(form) = &pane.form {
        render_form(form, &state.keymap, theme, frame, area);
    }
    if let Some(form) = &pane.stop {
        render_stop_form(form, &state.keymap, theme, frame, area);
    }
}

/// ` in prod (551001843020) eu-west-1` for a view that reads another account or region than the
/// header's (an execution opened from the organisation's lists); `None` in the current ones.
fn elsewhere(state: &State, account_id: &str, region: &str) -> Option<String> {
    let current = state.current_account_id().unwrap_or_default();
    let session_region = state.session.region.as_deref().unwrap_or_default();
    let account_id = if account_id.is_empty() {
        current
    } else {
        account_id
    };
    let region = if region.is_empty() {
        session_region
    } else {
        region
    };
    if account_id == current && region == session_region {
        return None;
    }
    let account = match state.accounts.by_id(account_id).map(|a| a.name.as_str()) {
        Some(name) if !name.is_empty() => format!("{name} ({account_id})"),
        _ => account_id.to_owned(),
    };
    Some(format!(
        " in {} {}",
        super::safe(&account),
        super::safe(region)
    ))
}

fn split(area: Rect) -> (Rect, Rect) {
    let [title, body] =
        Layout::vertical([Constraint::Length(TITLE_ROWS), Constraint::Fill(1)]).areas(area);
    (title, body)
}

fn status_style(theme: &Theme, status: ExecutionStatus) -> Style {
    match status {
        ExecutionStatus::Succeeded => theme.ok,
        ExecutionStatus::Running | ExecutionStatus::PendingRedrive => theme.title,
        ExecutionStatus::Aborted => theme.warn,
        ExecutionStatus::Failed | ExecutionStatus::TimedOut => theme.error,
    }
}

fn state_style(theme: &Theme, status: StateStatus) -> Style {
    match status {
        StateStatus::Succeeded => theme.ok,
        StateStatus::Running => theme.title,
        StateStatus::Caught | StateStatus::Aborted => theme.warn,
        StateStatus::Failed | StateStatus::TimedOut => theme.error,
    }
}
