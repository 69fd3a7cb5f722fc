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
    // The window as it fits this area, which can be smaller than the one the keys scrolled for
    // (a view with a tab bar above its table) or larger (after a resize): full, with the
    // selection in it.
    let start = table.window_start(fit);
    let end = (start + fit).min(table.visible_len());
    let selected = table.selected_position().checked_sub(start);
    table.visible()[start.min(end)..end]
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::tests::loaded_state;

    /// The window drawn in an area shorter than the one the keys scrolled for still holds the
    /// selection, highlighted; in a taller one it is full.
    #[test]
    fn the_selected_row_is_drawn_whatever_the_areas_height() {
        let (mut state, _) = loaded_state();
        state.size = (100, 40);
        let texts: Vec<String> = (0..100).map(|i| format!("row {i}")).collect();
        let mut table = TableView::default();
        table.refilter(texts.iter().map(String::as_str));
        let page = table_rows(state.size.1);
        table.move_by(isize::try_from(page).unwrap(), page);
        let theme = Theme::new(false);
        for height in [6u16, 12, 40] {
            let area = Rect::new(0, 0, 100, height);
            let drawn = std::cell::RefCell::new(Vec::new());
            let rows = window_rows(&state, &table, area, &theme, |i| {
                drawn.borrow_mut().push(i);
                Some(vec![Line::raw(texts[i].clone())])
            });
            let drawn = drawn.into_inner();
            let fit = page.min(usize::from(height - 1));
            assert_eq!(rows.len(), fit, "height {height}");
            assert!(
                drawn.contains(&table.selected_position()),
                "height {height}: row {} not among {drawn:?}",
                table.selected_position()
            );
        }
    }
}
