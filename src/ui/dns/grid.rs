//! A table of one organisation view: the visible window of its rows, each with a style.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::{Row, Table};

use crate::app::State;
use crate::app::dns::Grid;
use crate::ui::{Theme, safe, table};

/// A table of a grid: headers, widths, and the cells (with a style) of one row.
#[allow(clippy::too_many_arguments)]
pub(super) fn grid<'a, R>(
    state: &State,
    g: &Grid<R>,
    total: usize,
    headers: &'a [&'a str],
    widths: &[Constraint],
    empty: &str,
    theme: &Theme,
    frame: &mut Frame,
    area: Rect,
    cells: impl Fn(&R) -> (Vec<String>, Style),
) {
    let rows = table::window_rows(state, &g.table, area, widths, theme, |i| {
        let (cells, style) = cells(g.rows.get(i)?);
        Some(
            cells
                .iter()
                .map(|c| Line::styled(safe(c).into_owned(), style))
                .collect(),
        )
    });
    let header = Row::new(headers.iter().copied()).style(theme.heading);
    frame.render_widget(
        Table::new(rows, widths.iter().copied()).header(header),
        area,
    );
    table::empty_note(&g.table, total, empty, theme, frame, area);
}
