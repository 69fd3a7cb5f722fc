//! A table of one organisation view: the columns that fit, the visible window of its rows, each
//! with a style.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Line;

use crate::app::State;
use crate::app::dns::Grid;
use crate::ui::table::Column;
use crate::ui::{Theme, safe, table};

/// A table of a grid: its columns (one per cell), and the cells (with a style) of one row.
#[allow(clippy::too_many_arguments)]
pub(super) fn grid<R>(
    state: &State,
    g: &Grid<R>,
    total: usize,
    columns: &[Column],
    empty: &str,
    theme: &Theme,
    frame: &mut Frame,
    area: Rect,
    cells: impl Fn(&R) -> (Vec<String>, Style),
) {
    table::draw(state, &g.table, columns, theme, frame, area, |i| {
        let (cells, style) = cells(g.rows.get(i)?);
        Some(
            cells
                .iter()
                .map(|c| Line::styled(safe(c).into_owned(), style))
                .collect(),
        )
    });
    table::empty_note(&g.table, total, empty, theme, frame, area);
}
