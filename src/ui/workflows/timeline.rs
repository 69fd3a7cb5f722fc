//! The timeline tab: one row per state entered, with duration bars on a shared time axis.

use chrono::{DateTime, Utc};
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Modifier;
use ratatui::text::Line;

use super::state_style;
use crate::app::State;
use crate::app::workflows::{DetailView, HistoryState};
use crate::domain::time;
use crate::ui::table::col;
use crate::ui::{Theme, safe, table};

/// The bar of one row on the shared axis: blanks, then the run as `█`, at least one cell.
pub(super) fn bar(
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

pub(super) fn render_timeline(
    state: &State,
    d: &DetailView,
    theme: &Theme,
    frame: &mut Frame,
    area: Rect,
) {
    let now = d.now();
    let span = d.timeline.span(now);
    // The state, its status and duration stay; the bars, the retries, the type and the time
    // entered give way (i shows a row whole).
    let columns = [
        col("STATE", Constraint::Min(30), 8),
        col("TYPE", Constraint::Length(9), 4),
        col("STATUS", Constraint::Length(9), 9),
        col("ENTERED", Constraint::Length(12), 5),
        col("DURATION", Constraint::Length(9), 7),
        col("RETRY", Constraint::Length(5), 3),
        col("TIME", Constraint::Fill(1), 2),
    ];
    let shown = table::shown_columns(area.width, &columns);
    let widths: Vec<Constraint> = shown.iter().map(|&c| columns[c].width).collect();
    let bar_width = shown
        .iter()
        .zip(table::column_widths(area.width, &widths))
        .find(|&(&c, _)| c == columns.len() - 1)
        .map_or(0, |(_, w)| usize::from(w));
    table::draw(state, &d.table, &columns, theme, frame, area, |i| {
        let e = d.timeline.entries.get(i)?;
        let style = state_style(theme, e.status);
        let indent = "  ".repeat(e.depth);
        let name = match &e.group {
            Some(group) => format!("{indent}[{}] {}", safe(group), safe(&e.state)),
            None => format!("{indent}{}", safe(&e.state)),
        };
        let duration = d.entry_duration(e);
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
            Line::raw(time::clock_ms(e.entered)),
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
