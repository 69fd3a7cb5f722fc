//! The Workflows pane: state machines (with running/failed counts), one machine's executions, and
//! one execution — summary, timeline with duration bars on a shared time axis, graph of the
//! definition coloured by what happened, raw events with an input/output viewer — plus the start
//! form. Only the visible rows are built.

use chrono::{DateTime, Utc};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Row, Table, Wrap};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use super::wrap::{self, wrap};
use super::{Theme, safe, spinner, table};
use crate::app::layout::TITLE_ROWS;
use crate::app::workflows::{
    DetailTab, DetailView, ExecutionsView, HistoryState, StartForm, StopForm,
};
use crate::app::{Loadable, State};
use crate::domain::sanitize::truncate_to_width;
use crate::domain::workflows::graph::GraphItem;
use crate::domain::workflows::timeline::StateStatus;
use crate::domain::workflows::{ExecutionStatus, MachineType};
use crate::rows::workflows::duration_text;

pub fn render(state: &State, theme: &Theme, frame: &mut Frame, area: Rect) {
    let pane = &state.workflows;
    if let Some(detail) = &pane.detail {
        render_detail(state, detail, theme, frame, area);
    } else if let Some(view) = &pane.executions {
        render_executions(state, view, theme, frame, area);
    } else {
        render_machines(state, theme, frame, area);
    }
    if let Some(form) = &pane.form {
        render_form(form, theme, frame, area);
    }
    if let Some(form) = &pane.stop {
        render_stop_form(form, theme, frame, area);
    }
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

fn render_machines(state: &State, theme: &Theme, frame: &mut Frame, area: Rect) {
    let pane = &state.workflows;
    let list = &pane.machines;
    let (title, body) = split(area);
    let account = safe(list.account.as_deref().unwrap_or("")).into_owned();
    let head = Span::styled(" State machines ", theme.title);
    let line = match &list.list {
        Loadable::NotAsked => Line::from(vec![
            head,
            Span::styled("waiting for the current account…", theme.dim),
        ]),
        Loadable::Loading { .. } => Line::from(vec![
            head,
            Span::raw(format!(
                "{} loading state machines in {account}…",
                spinner(state)
            )),
        ]),
        Loadable::Failed { .. } => Line::from(vec![
            head,
            Span::styled(
                format!("could not load state machines in {account}"),
                theme.error,
            ),
        ]),
        Loadable::Ready { value, fetched_at } => {
            let mut spans = vec![
                head,
                Span::raw(format!(
                    "{} of {} in {account} at {}",
                    list.table.visible_len(),
                    value.len(),
                    fetched_at.format("%H:%M:%S")
                )),
            ];
            spans.extend(table::filter_note(&list.table, theme));
            Line::from(spans)
        }
    };
    frame.render_widget(Paragraph::new(line), title);
    if let Loadable::Failed { error } = &list.list {
        return table::failure(error, "r retries", theme, frame, body);
    }
    let items = list.items();
    let rows = table::window_rows(state, &list.table, body, theme, |i| {
        let m = items.get(i)?;
        let (running, failed) = match (m.kind, pane.counts.get(&m.arn)) {
            (MachineType::Express, _) => ("-".to_owned(), "-".to_owned()),
            (_, Some((r, f))) => (r.to_string(), f.to_string()),
            (_, None) => ("…".to_owned(), "…".to_owned()),
        };
        let failed_style = if failed != "0" && failed != "-" && failed != "…" {
            theme.error
        } else {
            Style::new()
        };
        Some(vec![
            Line::raw(safe(&m.name).into_owned()),
            Line::raw(m.kind.as_str()),
            Line::raw(
                m.created
                    .map(|c| c.format("%Y-%m-%d %H:%M").to_string())
                    .unwrap_or_default(),
            ),
            Line::raw(running),
            Line::styled(failed, failed_style),
            Line::raw(safe(&m.arn).into_owned()),
        ])
    });
    let header =
        Row::new(["NAME", "TYPE", "CREATED", "RUNNING", "FAILED", "ARN"]).style(theme.heading);
    let widths = [
        Constraint::Fill(1),
        Constraint::Length(8),
        Constraint::Length(16),
        Constraint::Length(7),
        Constraint::Length(6),
        Constraint::Fill(2),
    ];
    frame.render_widget(Table::new(rows, widths).header(header), body);
    if list.list.value().is_some() {
        table::empty_note(
            &list.table,
            items.len(),
            " no state machines in this account and region",
            theme,
            frame,
            body,
        );
    }
}

fn render_executions(
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
    if view.loading.is_some() {
        spans.push(Span::raw(format!("  {} loading…", spinner(state))));
    } else if let Some(at) = view.fetched_at {
        spans.push(Span::styled(
            format!("  at {}", at.format("%H:%M:%S")),
            theme.dim,
        ));
    }
    spans.extend(table::filter_note(&view.table, theme));
    frame.render_widget(Paragraph::new(Line::from(spans)), title);

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
    // The columns that fit: the name always (fixed columns alone would take a narrow
    // terminal's whole width and leave it none), the stop time and then the start time give way.
    const COLUMNS: [(&str, Constraint); 5] = [
        ("NAME", Constraint::Fill(1)),
        ("STATUS", Constraint::Length(15)),
        ("STARTED", Constraint::Length(19)),
        ("STOPPED", Constraint::Length(19)),
        ("DURATION", Constraint::Length(9)),
    ];
    let shown: &[usize] = match body.width {
        100.. => &[0, 1, 2, 3, 4],
        70..100 => &[0, 1, 2, 4],
        _ => &[0, 1, 4],
    };
    let rows = table::window_rows(state, &view.table, body, theme, |i| {
        let e = view.items.get(i)?;
        let cells = [
            Line::raw(safe(&e.name).into_owned()),
            Line::styled(e.status.as_str(), status_style(theme, e.status)),
            Line::raw(stamp(e.started)),
            Line::raw(e.stopped.map(stamp).unwrap_or_default()),
            Line::raw(e.duration_ms(now).map(duration_text).unwrap_or_default()),
        ];
        Some(shown.iter().map(|&c| cells[c].clone()).collect())
    });
    let header = Row::new(shown.iter().map(|&c| COLUMNS[c].0)).style(theme.heading);
    let widths: Vec<Constraint> = shown.iter().map(|&c| COLUMNS[c].1).collect();
    frame.render_widget(Table::new(rows, widths).header(header), body);
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
            " express state machine: its executions have no event history through the API (see CloudWatch Logs)"
        } else {
            " R running  S succeeded  F failed  T timed out  A aborted  * all  ! failures first"
        };
        frame.render_widget(Paragraph::new(Line::styled(text, theme.dim)), foot);
    }
}

fn stamp(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%d %H:%M:%S").to_string()
}

fn render_detail(state: &State, d: &DetailView, theme: &Theme, frame: &mut Frame, area: Rect) {
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
    match &d.history {
        HistoryState::Loading => {
            spans.push(Span::raw(format!("  {} loading history…", spinner(state))))
        }
        HistoryState::Ready { fetched_at } => {
            if d.watching {
                spans.push(Span::styled(
                    format!("  {} watching", spinner(state)),
                    theme.title,
                ));
            }
            spans.push(Span::styled(
                format!(
                    "  {} events, {} requests, at {}",
                    d.log.events().len(),
                    d.requests,
                    fetched_at.format("%H:%M:%S")
                ),
                theme.dim,
            ));
        }
        HistoryState::Failed { .. } => spans.push(Span::styled("  history failed", theme.error)),
        HistoryState::Express => spans.push(Span::styled("  express", theme.warn)),
    }
    spans.extend(table::filter_note(&d.table, theme));
    frame.render_widget(Paragraph::new(Line::from(spans)), title);

    let mut tab_spans = vec![Span::raw(" ")];
    for tab in DetailTab::ALL {
        let style = if tab == d.tab {
            theme.tab_active
        } else {
            theme.dim
        };
        tab_spans.push(Span::styled(
            format!(" {} {} ", tab.key(), tab.title()),
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
                    .border_style(theme.title)
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
    let mut rows: Vec<(&str, String, Style)> = vec![
        (
            "status",
            e.status.as_str().to_owned(),
            status_style(theme, e.status),
        ),
        ("started", stamp(e.started), Style::new()),
        (
            "stopped",
            e.stopped.map(stamp).unwrap_or_else(|| "-".into()),
            Style::new(),
        ),
        (
            "duration",
            e.duration_ms(now)
                .map(duration_text)
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
    ];
    match &d.describe {
        Loadable::Ready { value, .. } => {
            rows.push(("revision", value.revision(), Style::new()));
            if let Some(error) = &value.error {
                rows.push(("error", error.clone(), theme.error));
            }
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

/// The bar of one row on the shared axis: blanks, then the run as `█`, at least one cell.
fn bar(
    entered: DateTime<Utc>,
    exited: Option<DateTime<Utc>>,
    span: (DateTime<Utc>, DateTime<Utc>),
    width: usize,
) -> String {
    if width == 0 {
        return String::new();
    }
    let total = (span.1 - span.0).num_milliseconds().max(1) as f64;
    let at = |t: DateTime<Utc>| {
        (((t - span.0).num_milliseconds().max(0) as f64 / total) * width as f64) as usize
    };
    let start = at(entered).min(width - 1);
    let end = at(exited.unwrap_or(span.1)).clamp(start + 1, width);
    let mut s = " ".repeat(start);
    s.push_str(&"█".repeat(end - start));
    s
}

fn render_timeline(state: &State, d: &DetailView, theme: &Theme, frame: &mut Frame, area: Rect) {
    let now = match &d.history {
        HistoryState::Ready { fetched_at } => *fetched_at,
        _ => d.timeline.last_event.unwrap_or_default(),
    };
    let span = d.timeline.span(now);
    // The fixed columns and the six one-cell gaps between the seven columns.
    let fixed: u16 = 30 + 9 + 9 + 12 + 9 + 5 + 6;
    let bar_width = usize::from(area.width.saturating_sub(fixed)).max(4);
    let rows = table::window_rows(state, &d.table, area, theme, |i| {
        let e = d.timeline.entries.get(i)?;
        let style = state_style(theme, e.status);
        let indent = "  ".repeat(e.depth);
        let name = match &e.group {
            Some(group) => format!("{indent}[{}] {}", safe(group), safe(&e.state)),
            None => format!("{indent}{}", safe(&e.state)),
        };
        let duration = match (e.duration_ms, e.status) {
            (Some(ms), _) => duration_text(ms),
            (None, _) => duration_text((now - e.entered).num_milliseconds()) + "…",
        };
        let retries = if e.retries > 0 {
            e.retries.to_string()
        } else {
            String::new()
        };
        let bar_text = span
            .map(|s| bar(e.entered, e.exited, s, bar_width))
            .unwrap_or_default();
        let mut cells = vec![
            Line::raw(name),
            Line::raw(safe(&e.kind).into_owned()),
            Line::styled(e.status.as_str(), style),
            Line::raw(e.entered.format("%H:%M:%S%.3f").to_string()),
            Line::raw(duration),
            Line::raw(retries),
            Line::styled(bar_text, style),
        ];
        if let Some(error) = &e.error {
            cells[0] = Line::styled(
                format!("{}  ✗ {}", cells[0], safe(error)),
                theme.error.add_modifier(Modifier::BOLD),
            );
        }
        Some(cells)
    });
    let header = Row::new([
        "STATE", "TYPE", "STATUS", "ENTERED", "DURATION", "RETRY", "TIME",
    ])
    .style(theme.heading);
    let widths = [
        Constraint::Length(30),
        Constraint::Length(9),
        Constraint::Length(9),
        Constraint::Length(12),
        Constraint::Length(9),
        Constraint::Length(5),
        Constraint::Fill(1),
    ];
    frame.render_widget(Table::new(rows, widths).header(header), area);
    if matches!(d.history, HistoryState::Ready { .. }) {
        table::empty_note(
            &d.table,
            d.timeline.entries.len(),
            " no state entered yet",
            theme,
            frame,
            area,
        );
    }
}

fn render_graph(state: &State, d: &DetailView, theme: &Theme, frame: &mut Frame, area: Rect) {
    let lines = match (&d.graph, &d.definition) {
        (Some(Ok(lines)), _) => lines,
        (Some(Err(problem)), _) => {
            let text = format!(" cannot draw the definition: {}", safe(problem));
            frame.render_widget(Paragraph::new(Line::styled(text, theme.error)), area);
            return;
        }
        (None, Loadable::Failed { error }) => {
            return table::failure(error, "r retries", theme, frame, area);
        }
        _ => {
            let text = format!(" {} loading the definition…", spinner(state));
            frame.render_widget(Paragraph::new(Line::raw(text)), area);
            return;
        }
    };
    let statuses = d.timeline.state_statuses();
    let express = d.history == HistoryState::Express;
    let fit = usize::from(area.height);
    let selected = d.table.selected_index();
    let window = d.table.window(fit);
    let text: Vec<Line> = window
        .iter()
        .filter_map(|&i| lines.get(i).map(|l| (i, l)))
        .map(|(i, l)| {
            let indent = "┊ ".repeat(l.depth);
            let mut line = match &l.item {
                GraphItem::State { name, kind, notes } => {
                    let status = statuses.get(name.as_str()).copied();
                    let (style, word) = match status {
                        Some(s) => (state_style(theme, s), s.as_str()),
                        None if express => (Style::new(), ""),
                        None => (theme.dim, "not reached"),
                    };
                    let mut spans = vec![
                        Span::styled(indent, theme.dim),
                        Span::styled(
                            format!("┃ {} ", safe(name)),
                            style.add_modifier(Modifier::BOLD),
                        ),
                        Span::styled(format!("{} ", safe(kind)), theme.dim),
                        Span::styled(word.to_owned(), style),
                    ];
                    if !notes.is_empty() {
                        spans.push(Span::styled(
                            format!("  ({})", safe(&notes.join("; "))),
                            theme.dim,
                        ));
                    }
                    Line::from(spans)
                }
                GraphItem::Edge {
                    label,
                    target,
                    last,
                } => {
                    let arrow = if *last { "└─▶ " } else { "├─▶ " };
                    let mut spans = vec![
                        Span::styled(indent, theme.dim),
                        Span::styled(arrow, theme.dim),
                    ];
                    if target.is_empty() {
                        spans.push(Span::styled(safe(label).into_owned(), theme.dim));
                    } else {
                        spans.push(Span::raw(safe(target).into_owned()));
                        if label != "next" {
                            spans.push(Span::styled(format!("  {}", safe(label)), theme.warn));
                        }
                    }
                    Line::from(spans)
                }
                GraphItem::Branch { label } => Line::from(vec![
                    Span::styled(indent, theme.dim),
                    Span::styled(format!("╶ {} ╴", safe(label)), theme.heading),
                ]),
            };
            if Some(i) == selected {
                line = line.style(theme.selected);
            }
            line
        })
        .collect();
    frame.render_widget(Paragraph::new(text), area);
}

fn render_events(state: &State, d: &DetailView, theme: &Theme, frame: &mut Frame, area: Rect) {
    let events = d.log.events();
    // (cell, heading, width). On a narrow terminal the time gives way and the state shares the
    // rest with the details (the fixed columns alone would leave the details no room).
    let columns: &[(usize, &str, Constraint)] = if area.width >= 100 {
        &[
            (0, "ID", Constraint::Length(6)),
            (1, "TYPE", Constraint::Length(24)),
            (2, "TIME", Constraint::Length(12)),
            (3, "STATE", Constraint::Length(24)),
            (4, "DETAILS", Constraint::Fill(1)),
        ]
    } else {
        &[
            (0, "ID", Constraint::Length(6)),
            (1, "TYPE", Constraint::Length(24)),
            (3, "STATE", Constraint::Fill(1)),
            (4, "DETAILS", Constraint::Fill(2)),
        ]
    };
    let rows = table::window_rows(state, &d.table, area, theme, |i| {
        let e = events.get(i)?;
        let detail = e
            .details
            .error
            .as_ref()
            .map(|err| format!("{} {}", err, e.details.cause.as_deref().unwrap_or_default()))
            .or_else(|| e.details.input.clone().map(|x| format!("in {x}")))
            .or_else(|| e.details.output.clone().map(|x| format!("out {x}")))
            .unwrap_or_default();
        let style = if e.kind.ends_with("Failed") || e.kind.ends_with("TimedOut") {
            theme.error
        } else {
            Style::new()
        };
        let state_name = match (e.state.as_deref(), e.details.index) {
            (Some(s), Some(i)) => format!("{} [{i}]", safe(s)),
            (Some(s), None) => safe(s).into_owned(),
            (None, _) => String::new(),
        };
        let cells = [
            Line::raw(e.id.to_string()),
            Line::styled(safe(&e.kind).into_owned(), style),
            Line::raw(e.timestamp.format("%H:%M:%S%.3f").to_string()),
            Line::raw(state_name),
            Line::styled(safe(&detail).into_owned(), theme.dim),
        ];
        Some(columns.iter().map(|&(c, _, _)| cells[c].clone()).collect())
    });
    let header = Row::new(columns.iter().map(|&(_, h, _)| h)).style(theme.heading);
    let widths: Vec<Constraint> = columns.iter().map(|&(_, _, w)| w).collect();
    frame.render_widget(Table::new(rows, widths).header(header), area);
}

/// One line of a form: text, wrapped to the box, or a field, on one row whatever its length.
enum FormLine<'a> {
    Text(String, Style),
    Field {
        label: &'static str,
        value: &'a str,
        focused: bool,
    },
}

impl FormLine<'_> {
    fn text(text: impl Into<String>) -> Self {
        FormLine::Text(text.into(), Style::new())
    }
}

/// A field's row: the label, the focus marker and as much of the value as fits. A rerun form
/// comes filled with the execution's name and input, which can be thousands of characters: the
/// focused field shows its end (where typing goes), the other its start; `C-e` edits it all.
fn field<'a>(theme: &Theme, label: &str, value: &str, focused: bool, width: usize) -> Line<'a> {
    const PREFIX: usize = 9;
    let room = width.saturating_sub(PREFIX);
    let value = safe(value);
    let shown = if focused {
        tail_to_width(&value, room)
    } else {
        truncate_to_width(&value, room).into_owned()
    };
    Line::from(vec![
        Span::styled(format!("{label:<7}"), theme.heading),
        Span::styled(if focused { "> " } else { "  " }, theme.title),
        Span::styled(
            shown,
            if focused {
                theme.selected
            } else {
                Style::new()
            },
        ),
    ])
}

/// The end of `s` in at most `width` columns, after a `…` when the start was cut.
fn tail_to_width(s: &str, width: usize) -> String {
    if s.width() <= width {
        return s.to_owned();
    }
    let budget = width.saturating_sub(1);
    let mut used = 0;
    let mut start = s.len();
    for (i, c) in s.char_indices().rev() {
        let w = c.width().unwrap_or(0);
        if used + w > budget {
            break;
        }
        used += w;
        start = i;
    }
    // A combining mark whose base was cut would attach to the ellipsis.
    let tail = s[start..].trim_start_matches(|c: char| c.width() == Some(0));
    if width == 0 {
        String::new()
    } else {
        format!("…{tail}")
    }
}

/// A box in the middle of `area` holding `lines`, as high as their rows: text is wrapped here,
/// so the rows are known and the last lines (an error, the keys) are never pushed out.
fn popup(lines: Vec<FormLine>, title: &str, theme: &Theme, frame: &mut Frame, area: Rect) {
    let width = area.width.min(90);
    let inner = usize::from(width.saturating_sub(2)).max(1);
    let rows: Vec<Line> = lines
        .into_iter()
        .flat_map(|line| match line {
            FormLine::Text(text, style) => wrap(&text, inner)
                .into_iter()
                .map(|row| Line::styled(row, style))
                .collect(),
            FormLine::Field {
                label,
                value,
                focused,
            } => vec![field(theme, label, value, focused, inner)],
        })
        .collect();
    let height = u16::try_from(rows.len() + 2)
        .unwrap_or(u16::MAX)
        .min(area.height);
    let rect = Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height - height) / 2,
        width,
        height,
    };
    frame.render_widget(Clear, rect);
    frame.render_widget(
        Paragraph::new(rows).block(
            Block::default()
                .borders(Borders::ALL)
                .border_style(theme.title)
                .title(format!(" {title} ")),
        ),
        rect,
    );
}

const FORM_KEYS: &str =
    "Tab switches field, C-e edits the input in $EDITOR, Enter reviews the plan, Esc cancels";

fn render_stop_form(form: &StopForm, theme: &Theme, frame: &mut Frame, area: Rect) {
    let lines = vec![
        FormLine::text(format!("Execution {}", safe(&form.name))),
        FormLine::text(""),
        FormLine::Field {
            label: "error",
            value: form.error.value(),
            focused: form.focus == 0,
        },
        FormLine::Field {
            label: "cause",
            value: form.cause.value(),
            focused: form.focus == 1,
        },
        FormLine::text(""),
        FormLine::Text(
            "Both are optional and recorded with the stop.".into(),
            theme.dim,
        ),
        FormLine::Text(FORM_KEYS.into(), theme.dim),
    ];
    popup(lines, "stop an execution", theme, frame, area);
}

fn render_form(form: &StartForm, theme: &Theme, frame: &mut Frame, area: Rect) {
    let mut lines = vec![
        FormLine::text(format!("State machine {}", safe(&form.machine.name))),
        FormLine::text(""),
        FormLine::Field {
            label: "name",
            value: form.name.value(),
            focused: form.focus == 0,
        },
        FormLine::Field {
            label: "input",
            value: form.input.value(),
            focused: form.focus == 1,
        },
        FormLine::text(""),
    ];
    lines.push(match &form.error {
        Some(e) => FormLine::Text(safe(e).into_owned(), theme.error),
        None => FormLine::Text(
            "The input must be JSON; it is checked before the plan is shown.".into(),
            theme.dim,
        ),
    });
    lines.push(FormLine::Text(FORM_KEYS.into(), theme.dim));
    popup(lines, "start an execution", theme, frame, area);
}

#[cfg(test)]
mod tests {
    use crossterm::event::KeyCode;
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;

    use super::*;
    use crate::app::testkit::{chars, press};
    use crate::app::tests::at;
    use crate::app::workflows::WorkflowsMsg;
    use crate::app::workflows::fixtures::*;
    use crate::app::{Msg, update};
    use crate::domain::workflows::ExecutionPage;
    use crate::services::{ErrorKind, ServiceError};

    fn draw(state: &State, width: u16, height: u16) -> String {
        let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
        terminal
            .draw(|f| super::super::render(state, &Theme::new(false), f))
            .unwrap();
        terminal.backend().to_string()
    }

    #[test]
    fn bars_share_one_axis_and_never_vanish() {
        let t = |ms| DateTime::<Utc>::from_timestamp_millis(ms).unwrap();
        let span = (t(0), t(1000));
        assert_eq!(bar(t(0), Some(t(500)), span, 10), "█████");
        assert_eq!(bar(t(500), Some(t(1000)), span, 10), "     █████");
        assert_eq!(bar(t(999), Some(t(999)), span, 10), "         █");
        assert_eq!(bar(t(200), None, span, 10), "  ████████");
        assert_eq!(bar(t(0), None, span, 0), "");
    }

    #[test]
    fn workflows_machines_with_counts() {
        insta::assert_snapshot!(draw(&machines_state(), 110, 10));
    }

    #[test]
    fn workflows_executions_ready() {
        insta::assert_snapshot!(draw(&executions_state(), 100, 14));
    }

    #[test]
    fn workflows_executions_filtered_failures_first() {
        let mut state = executions_state();
        chars(&mut state, "!");
        insta::assert_snapshot!(draw(&state, 100, 14));
    }

    #[test]
    fn workflows_executions_loading_and_failed() {
        let mut state = machines_state();
        let request = executions_request(&workflows(press(&mut state, KeyCode::Enter)));
        let loading = draw(&state, 100, 10);
        update(
            &mut state,
            Msg::Workflows(WorkflowsMsg::Executions {
                request,
                result: Err(ServiceError::new(
                    ErrorKind::Throttled,
                    Some("ThrottlingException".into()),
                    "Step Functions ListExecutions failed: Rate exceeded",
                )),
                at: at(),
            }),
        );
        insta::assert_snapshot!(format!("{loading}\n{}", draw(&state, 100, 10)));
    }

    #[test]
    fn workflows_executions_of_an_express_machine() {
        let mut state = machines_state();
        press(&mut state, KeyCode::Char('G'));
        let request = executions_request(&workflows(press(&mut state, KeyCode::Enter)));
        update(
            &mut state,
            Msg::Workflows(WorkflowsMsg::Executions {
                request,
                result: Ok(ExecutionPage::default()),
                at: at(),
            }),
        );
        insta::assert_snapshot!(draw(&state, 110, 10));
    }

    #[test]
    fn workflows_timeline_while_watching() {
        let (state, _) = detail_state();
        insta::assert_snapshot!(draw(&state, 110, 16));
    }

    #[test]
    fn workflows_timeline_narrow() {
        let (state, _) = detail_state();
        insta::assert_snapshot!(draw(&state, 60, 12));
    }

    #[test]
    fn workflows_graph_coloured_by_progress() {
        let (mut state, _) = detail_state();
        chars(&mut state, "v");
        insta::assert_snapshot!(draw(&state, 100, 30));
    }

    #[test]
    fn workflows_events_and_inspect() {
        let (mut state, _) = detail_state();
        chars(&mut state, "h");
        let events = draw(&state, 110, 16);
        for _ in 0..5 {
            press(&mut state, KeyCode::Char('j'));
        }
        press(&mut state, KeyCode::Enter);
        insta::assert_snapshot!(format!("{events}\n{}", draw(&state, 80, 14)));
    }

    /// The viewer's text rows on screen (between the box's borders), without the box.
    fn viewer_rows(screen: &str) -> Vec<String> {
        let rows: Vec<&str> = screen.lines().collect();
        let top = rows.iter().position(|r| r.contains('┌')).expect("the box");
        let bottom = rows.iter().position(|r| r.contains('└')).expect("the box");
        rows[top + 1..bottom]
            .iter()
            .map(|r| {
                let inner: String = r.split('│').nth(1).unwrap_or_default().into();
                inner.trim_end().to_owned()
            })
            .collect()
    }

    /// The viewer open on the Parallel's entered event, its text replaced by `text`.
    fn viewer(text: String) -> State {
        let (mut state, _) = detail_state();
        chars(&mut state, "h");
        for _ in 0..5 {
            press(&mut state, KeyCode::Char('j'));
        }
        press(&mut state, KeyCode::Enter);
        let detail = state.workflows.detail.as_mut().unwrap();
        detail.inspect.as_mut().unwrap().text = text;
        state
    }

    #[test]
    fn the_input_output_viewer_pages_to_its_last_row_and_back() {
        let text = (1..=40)
            .map(|i| format!("line {i:02}"))
            .collect::<Vec<_>>()
            .join("\n");
        let mut state = viewer(text);
        // 80x14: the box is 9 rows tall, 7 of them text.
        let first = viewer_rows(&draw(&state, 80, 14));
        assert_eq!(first.len(), 7);
        assert_eq!(first[0], "line 01");
        let last_page: Vec<String> = (34..=40).map(|i| format!("line {i:02}")).collect();
        for _ in 0..10 {
            press(&mut state, KeyCode::PageDown);
            draw(&state, 80, 14);
        }
        assert_eq!(viewer_rows(&draw(&state, 80, 14)), last_page, "PageDown");
        press(&mut state, KeyCode::Char('j'));
        assert_eq!(viewer_rows(&draw(&state, 80, 14)), last_page, "j");
        press(&mut state, KeyCode::Home);
        draw(&state, 80, 14);
        press(&mut state, KeyCode::End);
        assert_eq!(viewer_rows(&draw(&state, 80, 14)), last_page, "End");
        // One PageUp is one page back, not the pages PageDown went past the end.
        press(&mut state, KeyCode::PageUp);
        assert_eq!(viewer_rows(&draw(&state, 80, 14))[0], "line 27");
        press(&mut state, KeyCode::Home);
        assert_eq!(viewer_rows(&draw(&state, 80, 14)), first);
    }

    #[test]
    fn the_input_output_viewer_wraps_long_lines_and_reaches_their_end() {
        let cause = format!("START {} END", "word ".repeat(60).trim_end());
        let mut state = viewer(format!("── cause ──\n{cause}\n── resource ──\nlast line"));
        // Tall enough for all of it: the cause in full over several rows, each within the box
        // (74 columns of text in an 80-column terminal), nothing cut at its edge.
        let rows = viewer_rows(&draw(&state, 80, 20));
        assert_eq!(rows[0], "── cause ──");
        let end = rows
            .iter()
            .position(|r| r.ends_with("END"))
            .expect("the end");
        assert!(end > 2, "wrapped over several rows: {rows:#?}");
        assert_eq!(rows[1..=end].join(" "), cause);
        assert!(rows.iter().all(|r| r.chars().count() <= 74), "{rows:#?}");
        assert_eq!(rows[end + 1..end + 3], ["── resource ──", "last line"]);
        // Shorter: the wrapped rows count, End puts the last one at the bottom.
        draw(&state, 80, 12);
        press(&mut state, KeyCode::End);
        let rows = viewer_rows(&draw(&state, 80, 12));
        assert_eq!(rows.len(), 5);
        assert_eq!(rows[3..], ["── resource ──", "last line"], "{rows:#?}");
        assert!(rows[2].ends_with("END"), "{rows:#?}");
    }

    #[test]
    fn workflows_summary() {
        let (mut state, _) = detail_state();
        chars(&mut state, "s");
        insta::assert_snapshot!(draw(&state, 100, 18));
    }

    #[test]
    fn workflows_start_form_with_an_error() {
        let mut state = executions_state();
        press(&mut state, KeyCode::Char('n'));
        chars(&mut state, "x");
        press(&mut state, KeyCode::Enter);
        insta::assert_snapshot!(draw(&state, 100, 16));
    }

    #[test]
    fn workflows_stop_form_then_confirmation() {
        let (mut state, _) = detail_state();
        press(&mut state, KeyCode::Char('d'));
        chars(&mut state, "INC-42");
        let form = draw(&state, 100, 16);
        press(&mut state, KeyCode::Enter);
        insta::assert_snapshot!(format!("{form}\n{}", draw(&state, 100, 16)));
    }

    #[test]
    fn workflows_views_survive_tiny_terminals() {
        let (mut state, _) = detail_state();
        for tab in ["s", "t", "v", "h"] {
            chars(&mut state, tab);
            for (w, h) in [(1, 1), (10, 3), (20, 5), (40, 8)] {
                draw(&state, w, h);
            }
        }
        press(&mut state, KeyCode::Char('n'));
        for (w, h) in [(1, 1), (10, 3), (20, 5)] {
            draw(&state, w, h);
        }
    }

    #[test]
    fn narrow_terminals_keep_the_execution_names_and_the_event_details() {
        let screen = draw(&executions_state(), 60, 14);
        assert!(screen.contains("NAME"), "{screen}");
        assert!(screen.contains("onboard-"), "{screen}");
        let (mut state, _) = detail_state();
        chars(&mut state, "h");
        let screen = draw(&state, 60, 14);
        assert!(screen.contains("DETAILS"), "{screen}");
    }

    #[test]
    fn a_long_cause_comes_last_and_is_cut_with_a_note_keeping_every_other_field() {
        let (mut state, _) = detail_state();
        chars(&mut state, "s");
        if let Some(d) = state.workflows.detail.as_mut()
            && let Loadable::Ready { value, .. } = &mut d.describe
        {
            value.error = Some("States.TaskFailed".into());
            value.cause = Some("boom ".repeat(2_000));
        }
        for (width, height) in [(100, 18), (60, 20), (40, 12)] {
            let screen = draw(&state, width, height);
            assert!(screen.contains(" cause       boom"), "{screen}");
            assert!(screen.contains("cut here"), "{screen}");
            // On a tiny terminal the cause's first row and the note win over the other fields.
            if width >= 60 {
                assert!(screen.contains(" error       States"), "{screen}");
                assert!(screen.contains(" arn "), "{screen}");
            }
        }
    }

    #[test]
    fn a_rerun_form_filled_with_long_values_keeps_its_error_and_keys_in_the_box() {
        let (mut state, _) = detail_state();
        press(&mut state, KeyCode::Char('n'));
        let form = state.workflows.form.as_mut().expect("the rerun form");
        form.name = tui_input::Input::new("n".repeat(300));
        form.input = tui_input::Input::new(format!("{{\"a\": \"{}\"}}", "x".repeat(5_000)));
        press(&mut state, KeyCode::Enter);
        for (width, height) in [(100, 16), (60, 20)] {
            let screen = draw(&state, width, height);
            assert!(screen.contains("1 to 80 characters"), "{screen}");
            assert!(screen.contains("Esc cancels"), "{screen}");
            // The focused input shows its end, where typing goes.
            assert!(screen.contains("xx\"}"), "{screen}");
        }
    }

    #[test]
    fn the_tail_of_a_value_fits_its_width_and_says_it_was_cut() {
        assert_eq!(tail_to_width("abcdef", 6), "abcdef");
        assert_eq!(tail_to_width("abcdef", 4), "…def");
        assert_eq!(tail_to_width("東京都庁舎", 5), "…庁舎");
        assert_eq!(tail_to_width("ae\u{301}b", 2), "…b");
        assert_eq!(tail_to_width("abc", 0), "");
        for width in 0..12 {
            assert!(tail_to_width("a東👩‍💻e\u{301}b", width).width() <= width.max(1));
        }
    }
}
