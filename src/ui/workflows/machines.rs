//! The state machines, with their running and failed counts.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::split;
use crate::app::{Loadable, State};
use crate::domain::time;
use crate::domain::workflows::MachineType;
use crate::ui::table::col;
use crate::ui::{Theme, safe, spinner, table};

pub(super) fn render_machines(state: &State, theme: &Theme, frame: &mut Frame, area: Rect) {
    let pane = &state.workflows;
    let list = &pane.machines;
    let (title, body) = split(area);
    let account = safe(list.account.as_deref().unwrap_or("")).into_owned();
    let head = Span::styled(" State machines ", theme.title);
    let line = match &list.list {
        Loadable::NotAsked => Line::from(vec![
            head,
            Span::styled(
                format!(
                    "waiting for the current account…{}",
                    crate::ui::waiting(state, &state.identity)
                ),
                theme.dim,
            ),
        ]),
        Loadable::Loading { .. } => Line::from(vec![
            head,
            Span::raw(format!(
                "{} loading state machines in {account}…{}",
                spinner(state),
                crate::ui::waiting(state, &list.list)
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
                    time::clock(*fetched_at)
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
    // The failures and the name stay; the ARN, the creation time and the type give way.
    let columns = [
        col("NAME", Constraint::Fill(2), 8),
        col("TYPE", Constraint::Length(8), 5),
        col("CREATED", Constraint::Length(9), 3),
        col("RUNNING", Constraint::Length(7), 7),
        col("FAILED", Constraint::Length(6), 9),
        col("24H", Constraint::Length(12), 4),
        col("ARN", Constraint::Fill(1), 2),
    ];
    table::draw(state, &list.table, &columns, theme, frame, body, |i| {
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
                    .map(|t| time::age(t, state.now))
                    .unwrap_or_default(),
            ),
            Line::raw(running),
            Line::styled(failed, failed_style),
            super::scoped::activity_line(m.kind, pane.activity.get(&m.arn), theme),
            Line::raw(safe(&m.arn).into_owned()),
        ])
    });
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
