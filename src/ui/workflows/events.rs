//! The events tab: the raw history, one row per event.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::{Row, Table};

use crate::app::State;
use crate::app::workflows::DetailView;
use crate::domain::time;
use crate::ui::{Theme, safe, table};

pub(super) fn render_events(
    state: &State,
    d: &DetailView,
    theme: &Theme,
    frame: &mut Frame,
    area: Rect,
) {
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
    let widths: Vec<Constraint> = columns.iter().map(|&(_, _, w)| w).collect();
    let rows = table::window_rows(state, &d.table, area, &widths, theme, |i| {
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
            Line::raw(time::clock_ms(e.timestamp)),
            Line::raw(state_name),
            Line::styled(safe(&detail).into_owned(), theme.dim),
        ];
        Some(columns.iter().map(|&(c, _, _)| cells[c].clone()).collect())
    });
    let header = Row::new(columns.iter().map(|&(_, h, _)| h)).style(theme.heading);
    frame.render_widget(Table::new(rows, widths).header(header), area);
}
