//! A table of one organisation view: its rows, their searchable texts, and the table view over
//! them.

use crate::app::table::TableView;

/// Rows of one table, their searchable texts, and the table view over them.
#[derive(Debug)]
pub struct Grid<R> {
    pub table: TableView,
    pub rows: Vec<R>,
    hay: Vec<String>,
}

impl<R> Default for Grid<R> {
    fn default() -> Self {
        Grid {
            table: TableView::default(),
            rows: Vec::new(),
            hay: Vec::new(),
        }
    }
}

impl<R> Grid<R> {
    pub(super) fn set(&mut self, rows: Vec<(R, String)>) {
        (self.rows, self.hay) = rows.into_iter().unzip();
        self.table.rows_changed();
        self.refilter();
    }

    pub(super) fn refilter(&mut self) {
        self.table.refilter(self.hay.iter().map(String::as_str));
    }

    pub fn selected(&self) -> Option<&R> {
        self.table.selected_index().and_then(|i| self.rows.get(i))
    }

    pub(super) fn reset(&mut self) {
        *self = Grid::default();
    }
}

/// The rows the table shows, filter applied, in order.
pub(super) fn visible<R>(grid: &Grid<R>) -> impl Iterator<Item = &R> {
    grid.table
        .visible()
        .iter()
        .filter_map(|&i| grid.rows.get(i))
}
