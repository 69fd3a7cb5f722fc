//! Pieces every table view shares: the visible window of rows with the selection, the filter note,
//! a failure in place of the table, and the empty-table line.

use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Row, Table, Wrap};

use unicode_width::UnicodeWidthStr;

use super::{Theme, safe};
use crate::app::State;
use crate::app::layout::table_rows;
use crate::app::table::TableView;
use crate::domain::sanitize::truncate_to_width;
use crate::services::ServiceError;

/// The rows of the visible window only (frame cost does not grow with the list), the selected one
/// highlighted. `cells(i)` builds the cells of source row `i`; a cell longer than its column (as
/// `widths` lays the columns out in `area`, the way ratatui's `Table` does) is cut and ends in
/// `…`, so a cut value never passes for a whole one.
pub fn window_rows<'a>(
    state: &State,
    table: &TableView,
    area: Rect,
    widths: &[Constraint],
    theme: &Theme,
    cells: impl Fn(usize) -> Option<Vec<Line<'a>>>,
) -> Vec<Row<'a>> {
    let columns = column_widths(area.width, widths);
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
            let row = Row::new(fit_cells(cells(i)?, &columns));
            Some(if Some(pos) == selected {
                row.style(theme.selected)
            } else {
                row
            })
        })
        .collect()
}

/// The width of each column of a table `width` cells wide, as ratatui's `Table` lays them out
/// (no selection column, one cell between columns).
pub fn column_widths(width: u16, widths: &[Constraint]) -> Vec<u16> {
    Layout::horizontal(widths.iter().copied())
        .flex(Flex::Start)
        .spacing(1)
        .split(Rect::new(0, 0, width, 1))
        .iter()
        .map(|r| r.width)
        .collect()
}

/// Each cell cut to its column's width, ending in `…` when cut.
pub fn fit_cells<'a>(cells: Vec<Line<'a>>, columns: &[u16]) -> Vec<Line<'a>> {
    cells
        .into_iter()
        .enumerate()
        .map(|(i, line)| match columns.get(i) {
            Some(&w) => fit_line(line, usize::from(w)),
            None => line,
        })
        .collect()
}

/// `line` in at most `width` columns: whole when it fits, else cut with `…` as its last column
/// (the spans keep their styles).
pub fn fit_line(line: Line<'_>, width: usize) -> Line<'_> {
    if line.width() <= width {
        return line;
    }
    if width == 0 {
        return Line::default().style(line.style);
    }
    let mut budget = width - 1;
    let mut spans: Vec<Span> = Vec::new();
    for span in line.spans {
        if budget == 0 {
            break;
        }
        let text = span.content.as_ref();
        if text.width() <= budget {
            budget -= text.width();
            spans.push(span);
            continue;
        }
        let cut = truncate_to_width(text, budget + 1);
        // truncate_to_width ends in its own `…`: keep what precedes it.
        let kept = cut.strip_suffix('…').unwrap_or(&cut).to_owned();
        budget = 0;
        spans.push(Span::styled(kept, span.style));
    }
    let last_style = spans.last().map(|s| s.style).unwrap_or_default();
    spans.push(Span::styled("…", last_style));
    Line::from(spans).style(line.style)
}

/// For the title line: the sort (`↓STATUS`) when the table is sorted, "filter: text" when a
/// filter is set.
pub fn filter_note(table: &TableView, theme: &Theme) -> Vec<Span<'static>> {
    let mut spans = Vec::new();
    if let Some(sort) = table.sort() {
        spans.push(Span::styled(format!("  {}", sort.label()), theme.warn));
    }
    if !table.filter().is_empty() {
        spans.push(Span::styled(
            format!("  filter: {}", safe(table.filter())),
            theme.warn,
        ));
    }
    if table.is_searching() {
        // The rows below are the previous filter's until the search off the UI thread answers.
        spans.push(Span::styled("  filtering…", theme.dim));
    }
    if table.is_sorting() {
        // The rows below keep their previous order until the sort off the UI thread answers.
        spans.push(Span::styled("  sorting…", theme.dim));
    }
    spans
}

/// A column of a table: its heading, its width, and how long it stays as the terminal narrows
/// (`keep`: the columns of the lowest give way first, the rightmost of equal ones first). Status
/// columns keep longest, free text (names, descriptions, ARNs) shrinks and goes first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    pub header: &'static str,
    pub width: Constraint,
    pub keep: u8,
}

pub const fn col(header: &'static str, width: Constraint, keep: u8) -> Column {
    Column {
        header,
        width,
        keep,
    }
}

/// The least width a column needs to be worth showing: its length, or 10 cells per share of a
/// filling one.
fn least(column: &Column) -> u16 {
    match column.width {
        Constraint::Length(n) | Constraint::Min(n) => n,
        Constraint::Max(n) => n.min(10),
        Constraint::Fill(n) => n.max(1).saturating_mul(10),
        Constraint::Percentage(_) | Constraint::Ratio(..) => 10,
    }
}

/// The columns shown in `width` cells, in order: all of them when their least widths fit, else
/// without those that give way first (see [`Column::keep`]); always at least one.
pub fn shown_columns(width: u16, columns: &[Column]) -> Vec<usize> {
    let mut shown: Vec<usize> = (0..columns.len()).collect();
    loop {
        let gaps = u16::try_from(shown.len().saturating_sub(1)).unwrap_or(u16::MAX);
        let need = shown
            .iter()
            .map(|&c| least(&columns[c]))
            .fold(gaps, u16::saturating_add);
        if need <= width || shown.len() <= 1 {
            return shown;
        }
        let drop = shown
            .iter()
            .enumerate()
            .min_by_key(|&(pos, &c)| (columns[c].keep, std::cmp::Reverse(pos)))
            .map_or(0, |(pos, _)| pos);
        shown.remove(drop);
    }
}

/// A table in `area`: the columns that fit (by priority), their headings (the sorted one marked
/// `↑`/`↓`), and the visible window of rows. `cells(i)` gives every column's cell of source row
/// `i`; only the shown ones are drawn, cut with `…` when longer than their column.
pub fn draw<'a>(
    state: &State,
    table: &TableView,
    columns: &[Column],
    theme: &Theme,
    frame: &mut Frame,
    area: Rect,
    cells: impl Fn(usize) -> Option<Vec<Line<'a>>>,
) {
    let shown = shown_columns(area.width, columns);
    let widths: Vec<Constraint> = shown.iter().map(|&c| columns[c].width).collect();
    let rows = window_rows(state, table, area, &widths, theme, |i| {
        let mut all = cells(i)?;
        Some(
            shown
                .iter()
                .map(|&c| all.get_mut(c).map(std::mem::take).unwrap_or_default())
                .collect(),
        )
    });
    let sorted = table.sort();
    // Headings too end in `…` when their column is narrower.
    let headings: Vec<Line> = shown
        .iter()
        .map(|&c| {
            let h = columns[c].header;
            Line::raw(match sorted {
                Some(s) if s.name == h => s.label(),
                _ => h.to_owned(),
            })
        })
        .collect();
    let header =
        Row::new(fit_cells(headings, &column_widths(area.width, &widths))).style(theme.heading);
    frame.render_widget(Table::new(rows, widths).header(header), area);
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
    use ratatui::style::Style;

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
            let rows = window_rows(&state, &table, area, &[Constraint::Fill(1)], &theme, |i| {
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

    /// While a large table's search runs off the UI thread, the title says so next to the filter.
    #[test]
    fn the_title_says_filtering_while_a_search_runs() {
        let texts: Vec<String> = (0..crate::app::table::ON_UI_ROWS + 1)
            .map(|i| format!("row {i}"))
            .collect();
        let mut table = TableView::default();
        table.refilter(texts.iter());
        table.set_filter("row 7");
        table.refilter(texts.iter());
        let note = |t: &TableView| -> String {
            filter_note(t, &Theme::new(false))
                .iter()
                .map(|s| s.content.as_ref())
                .collect()
        };
        assert_eq!(note(&table), "  filter: row 7  filtering…");
        let search = table.search().unwrap().clone();
        table.job_done(search.generation(), search.run().unwrap(), 10);
        assert_eq!(note(&table), "  filter: row 7");
    }

    /// While a large table's sort runs off the UI thread, the title says so next to the sort.
    #[test]
    fn the_title_says_sorting_while_a_sort_runs() {
        use crate::app::table::SortKey;
        let n = crate::app::table::ON_UI_ROWS + 1;
        let texts: Vec<String> = (0..n).map(|i| format!("row {i}")).collect();
        let mut table = TableView::default();
        table.refilter(texts.iter());
        table.next_sort(&["ROW"], 10);
        table.order_with(
            vec![std::sync::Arc::new(
                (0..n).map(|_| SortKey::Empty).collect(),
            )],
            10,
        );
        let note = |t: &TableView| -> String {
            filter_note(t, &Theme::new(false))
                .iter()
                .map(|s| s.content.as_ref())
                .collect()
        };
        assert_eq!(note(&table), "  ↑ROW  sorting…");
        let job = table.sorting().unwrap().clone();
        table.job_done(job.generation(), job.run().unwrap(), 10);
        assert_eq!(note(&table), "  ↑ROW");
    }

    #[test]
    fn columns_give_way_by_priority_free_text_before_status() {
        let columns = [
            col("NAME", Constraint::Fill(1), 7),
            col("DESCRIPTION", Constraint::Fill(2), 2),
            col("STATUS", Constraint::Length(9), 9),
            col("CREATED", Constraint::Length(16), 3),
        ];
        // Least widths 10 + 20 + 9 + 16 and three gaps: 58.
        assert_eq!(shown_columns(200, &columns), [0, 1, 2, 3]);
        assert_eq!(shown_columns(58, &columns), [0, 1, 2, 3]);
        assert_eq!(
            shown_columns(57, &columns),
            [0, 2, 3],
            "the description first"
        );
        assert_eq!(shown_columns(36, &columns), [0, 2], "then the date");
        assert_eq!(shown_columns(19, &columns), [2], "the status last");
        assert_eq!(shown_columns(0, &columns), [2]);
        // Equal priorities: the rightmost gives way first.
        let even = [
            col("A", Constraint::Length(5), 1),
            col("B", Constraint::Length(5), 1),
        ];
        assert_eq!(shown_columns(8, &even), [0]);
    }

    #[test]
    fn a_cell_too_long_for_its_column_ends_in_an_ellipsis() {
        let columns = column_widths(20, &[Constraint::Length(6), Constraint::Fill(1)]);
        assert_eq!(columns, [6, 13]);
        let cells = fit_cells(
            vec![
                Line::raw("ENABLED"),
                Line::from(vec![
                    Span::raw("ab"),
                    Span::styled("cdefghijklmnop", Style::new()),
                ]),
            ],
            &columns,
        );
        assert_eq!(cells[0].to_string(), "ENABL…");
        assert_eq!(cells[1].to_string(), "abcdefghijkl…");
        assert_eq!(cells[1].width(), 13);
        assert_eq!(fit_line(Line::raw("fits"), 4).to_string(), "fits");
        assert_eq!(fit_line(Line::raw("東京都庁"), 5).to_string(), "東京…");
    }
}
