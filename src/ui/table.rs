//! Pieces every table view shares: the visible window of rows with the selection, the filter note,
//! a failure in place of the table, and the empty-table line.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Row, Wrap};

use super::{Theme, safe};
use crate::app::State;
use crate::app::layout::table_rows;
use crate::app::table::TableView;
use crate::services::ServiceError;

/// The rows of the visible window only (frame cost does not grow with the list), the selected one
/// highlighted. `cells(i)` builds the cells of source row `i`.
pub fn window_rows<'a>(
    state: &State,
    table: &TableView,
    area: Rect,
    theme: &Theme,
    cells: impl Fn(usize) -> Option<Vec<Line<'a>>>,
) -> Vec<Row<'a>> {
    // One line of the area is the column headings.
    let fit = table_rows(state.size.1).min(usize::from(area.height.saturating_sub(1)));
    let selected = table.selected_position().checked_sub(table.offset());
    table
        .window(fit)
        .iter()
        .enumerate()
        .filter_map(|(pos, &i)| {
            let row = Row::new(cells(i)?);
            Some(if Some(pos) == selected {
                row.style(theme.selected)
            } else {
                row
            })
        })
        .collect()
}

/// "filter: text" for the title line, when a filter is set.
pub fn filter_note(table: &TableView, theme: &Theme) -> Option<Span<'static>> {
    (!table.filter().is_empty())
        .then(|| Span::styled(format!("  filter: {}", safe(table.filter())), theme.warn))
}

/// A failed load, where the table would be: the error in full, then what to do.
pub fn failure(error: &ServiceError, hint: &str, theme: &Theme, frame: &mut Frame, area: Rect) {
    let text = vec![
        Line::styled(format!(" {}", safe(&error.to_string())), theme.error),
        Line::raw(""),
        Line::styled(format!(" {hint}"), theme.dim),
    ];
    frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: false }), area);
}

/// Under the headings of an empty table: why it is empty.
pub fn empty_note(
    table: &TableView,
    total: usize,
    empty: &str,
    theme: &Theme,
    frame: &mut Frame,
    area: Rect,
) {
    if table.visible_len() > 0 || area.height < 2 {
        return;
    }
    let text = if total == 0 {
        empty
    } else {
        " nothing matches the filter (Esc clears it)"
    };
    frame.render_widget(
        Paragraph::new(Line::styled(text.to_owned(), theme.dim)),
        Rect {
            y: area.y + 1,
            height: 1,
            ..area
        },
    );
}
