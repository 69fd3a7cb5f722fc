//! One execution: its header (status, watch, requests), the tab bar, the summary, and the
//! input/output viewer over the events.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use super::events::render_events;
use super::graph::render_graph;
use super::status_style;
use super::timeline::render_timeline;
use crate::app::workflows::{DetailTab, DetailView, HistoryState};
use crate::app::{Loadable, State};
use crate::domain::time;
use crate::ui::wrap::{self, wrap};
use crate::ui::{Theme, count, safe, spinner, table};

pub(super) fn render_detail(
    state: &State,
    d: &DetailView,
    theme: &Theme,
    frame: &mut Frame,
    area: Rect,
) {
    let [title, tabs, body] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Fill(1),
    ])
    .areas(area);
    let mut spans = vec![
        Span::styled(format!(" {} ", safe(&d.execution.name)), theme.title),
        Span::styled(
            d.execution.status.as_str(),
            status_style(theme, d.execution.status),
        ),
        Span::styled(format!("  {}", safe(&d.machine.name)), theme.dim),
    ];
    // Where it is read and acted on, before anything that may be cut.
    if let Some(place) = super::elsewhere(state, &d.account, &d.region) {
        spans.push(Span::styled(place, theme.warn));
    }
    match &d.history {
        HistoryState::Loading => spans.push(Span::raw(format!(
            "  {} loading history…{}",
            spinner(state),
            d.poll
                .map_or_else(String::new, |r| crate::ui::waiting_for(state, r))
        ))),
        HistoryState::Ready { fetched_at } => {
            if d.watching {
                spans.push(Span::styled(
                    format!("  {} watching", spinner(state)),
                    theme.title,
                ));
            }
            spans.push(Span::styled(
                format!(
                    "  {}, {}, at {}",
                    count(d.log.events().len(), "event"),
                    count(d.requests as usize, "request"),
                    time::clock(*fetched_at)
                ),
                theme.dim,
            ));
        }
        HistoryState::Failed { .. } => spans.push(Span::styled("  history failed", theme.error)),
        HistoryState::Express => spans.push(Span::styled("  express", theme.warn)),
    }
    spans.extend(table::filter_note(&d.table, theme));
    // A title longer than the line ends in `…`.
    let line = crate::ui::table::fit_line(Line::from(spans), usize::from(title.width));
    frame.render_widget(Paragraph::new(line), title);

    let mut tab_spans = vec![Span::raw(" ")];
    for tab in DetailTab::ALL {
        let style = if tab == d.tab {
            theme.tab_active
        } else {
            theme.dim
        };
        tab_spans.push(Span::styled(
            format!(" {} {} ", state.keymap.label(tab.action()), tab.title()),
            style,
        ));
        tab_spans.push(Span::raw(" "));
    }
    frame.render_widget(Paragraph::new(Line::from(tab_spans)), tabs);

    let history_note = match &d.history {
        HistoryState::Express => Some((
            " This execution ran on an express state machine: express executions have no event \
             history through the API, so there is no timeline, graph progress or event list. \
             See the machine's CloudWatch Logs."
                .to_owned(),
            theme.warn,
        )),
        HistoryState::Failed { error } => Some((
            format!(" {} (r retries)", safe(&error.to_string())),
            theme.error,
        )),
        _ => None,
    };
    match d.tab {
        DetailTab::Summary => render_summary(d, theme, frame, body),
        _ if history_note.is_some() && d.tab != DetailTab::Graph => {
            if let Some((text, style)) = history_note {
                frame.render_widget(
                    Paragraph::new(Line::styled(text, style)).wrap(Wrap { trim: false }),
                    body,
                );
            }
        }
        DetailTab::Timeline => render_timeline(state, d, theme, frame, body),
        DetailTab::Graph => render_graph(state, d, theme, frame, body),
        DetailTab::Events => render_events(state, d, theme, frame, body),
    }
    if let Some(inspect) = &d.inspect {
        let width = area.width.saturating_sub(4).max(10).min(area.width);
        let popup = Rect {
            x: area.x + (area.width - width) / 2,
            y: area.y + 1,
            width,
            height: area.height.saturating_sub(1),
        };
        // Long lines (a cause, a long value) wrap so they can be read in full; the viewer's keys
        // scroll by the rows drawn here.
        let text: Vec<&str> = inspect.text.lines().collect();
        let lines: Vec<Line> = wrap::page(
            &text,
            usize::from(popup.width.saturating_sub(2)),
            usize::from(popup.height.saturating_sub(2)),
            &inspect.scroll,
        )
        .into_iter()
        .map(|(_, row)| Line::raw(row))
        .collect();
        frame.render_widget(Clear, popup);
        frame.render_widget(
            Paragraph::new(lines).block(
                Block::default()
                    .borders(Borders::ALL)
                    .border_style(theme.border)
                    .title(format!(" {} ", safe(&inspect.title)))
                    .title_bottom(" j/k scroll  y copy  Esc close "),
            ),
            popup,
        );
    }
}

fn render_summary(d: &DetailView, theme: &Theme, frame: &mut Frame, area: Rect) {
    let e = &d.execution;
    let now = match &d.history {
        HistoryState::Ready { fetched_at } => *fetched_at,
        _ => d.timeline.last_event.unwrap_or(e.started),
    };
    // The status and the error first: on a small terminal they stay in view (Enter shows every
    // field whole, scrollable).
    let mut rows: Vec<(&str, String, Style)> = vec![(
        "status",
        e.status.as_str().to_owned(),
        status_style(theme, e.status),
    )];
    if let Loadable::Ready { value, .. } = &d.describe
        && let Some(error) = &value.error
    {
        rows.push(("error", error.clone(), theme.error));
    }
    rows.extend([
        ("started", time::stamp(e.started), Style::new()),
        (
            "stopped",
            e.stopped.map(time::stamp).unwrap_or_else(|| "-".into()),
            Style::new(),
        ),
        (
            "duration",
            e.duration_ms(now)
                .map(time::duration)
                .unwrap_or_else(|| "-".into()),
            Style::new(),
        ),
        (
            "transitions",
            match d.history {
                HistoryState::Express => "no history (express)".to_owned(),
                _ => d.timeline.transitions.to_string(),
            },
            Style::new(),
        ),
        ("machine", e.machine_arn.clone(), Style::new()),
    ]);
    match &d.describe {
        Loadable::Ready { value, .. } => {
            rows.push(("revision", value.revision(), Style::new()));
            rows.push((
                "parent",
                value.parent().unwrap_or_else(|| "-".into()),
                Style::new(),
            ));
            if value.redrive_count > 0 {
                rows.push(("redrives", value.redrive_count.to_string(), Style::new()));
            }
        }
        Loadable::Failed { error } => {
            rows.push(("describe", error.to_string(), theme.error));
        }
        _ => rows.push(("details", "loading…".into(), theme.dim)),
    }
    rows.push(("arn", e.arn.clone(), theme.dim));
    // Values wrap under themselves (a hanging indent past the labels). The cause comes last,
    // in the rows left: it can be 32,768 characters, and everything else must stay in view.
    const LABEL: usize = 13;
    let height = usize::from(area.height);
    let value_width = usize::from(area.width).saturating_sub(LABEL).max(1);
    let label = |i: usize, k: &str| {
        if i == 0 {
            format!(" {k:<12}")
        } else {
            " ".repeat(LABEL)
        }
    };
    let cause = match &d.describe {
        Loadable::Ready { value, .. } => value.cause.as_deref(),
        _ => None,
    }
    .map(|c| wrap(&safe(c), value_width));
    // At least the cause's first row and the note where to read the rest stay on screen, even
    // when long values above (an ARN on a narrow terminal) would fill it.
    let reserved = cause.as_ref().map_or(0, |c| c.len().min(2));
    let mut lines: Vec<Line> = Vec::new();
    for (k, v, style) in rows {
        for (i, row) in wrap(&safe(&v), value_width).into_iter().enumerate() {
            lines.push(Line::from(vec![
                Span::styled(label(i, k), theme.heading),
                Span::styled(row, style),
            ]));
        }
    }
    lines.truncate(height.saturating_sub(reserved));
    if let Some(mut cause) = cause
        && lines.len() < height
    {
        let room = height - lines.len();
        let cut = cause.len() > room;
        cause.truncate(if cut { room - 1 } else { room });
        let rows = cause.len();
        for (i, row) in cause.into_iter().enumerate() {
            lines.push(Line::from(vec![
                Span::styled(label(i, "cause"), theme.heading),
                Span::styled(row, theme.error),
            ]));
        }
        if cut {
            lines.push(Line::from(vec![
                Span::styled(label(rows, "cause"), theme.heading),
                Span::styled("… cut here: h events, Enter shows it in full", theme.dim),
            ]));
        }
    }
    frame.render_widget(Paragraph::new(lines), area);
}
