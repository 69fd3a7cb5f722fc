//! A table of one organisation view: its rows, their searchable texts, and the table view over
//! them.

use std::sync::Arc;

use crate::app::table::{Rows, SortKey, TableView};

/// Rows of one table, their searchable texts, and the table view over them.
#[derive(Debug)]
pub struct Grid<R> {
    pub table: TableView,
    pub rows: Vec<R>,
    hay: Vec<Arc<str>>,
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
        (self.rows, self.hay) = rows
            .into_iter()
            .map(|(row, hay)| (row, Arc::from(hay)))
            .unzip();
        self.table.rows_changed();
        self.refilter();
    }

    pub(super) fn refilter(&mut self) {
        self.table.refilter(self.hay.iter());
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

/// The cells of a row (which may need the inventory it points into).
pub(super) type CellsOf<'a, R> = Box<dyn Fn(&R) -> Vec<String> + 'a>;
/// A row's sort key in one column.
pub(super) type KeyOf<'a, R> = Box<dyn Fn(&R, usize) -> SortKey + 'a>;

/// A grid's rows as the shell sees them: their headers, and their cells, which may need the
/// inventory the rows point into.
pub(super) struct GridRows<'a, R> {
    pub grid: &'a Grid<R>,
    pub headers: &'static [&'static str],
    pub cells: CellsOf<'a, R>,
    /// A row's key in one column without building all its cells (the records view sorts
    /// 100,000 rows); `None`: from the cells.
    pub key: Option<KeyOf<'a, R>>,
}

impl<R> Rows for GridRows<'_, R> {
    fn headers(&self) -> &'static [&'static str] {
        self.headers
    }

    fn count(&self) -> usize {
        self.grid.rows.len()
    }

    fn cells(&self, row: usize) -> Option<Vec<String>> {
        self.grid.rows.get(row).map(|r| (self.cells)(r))
    }

    fn sort_key(&self, row: usize, column: usize) -> SortKey {
        let Some(r) = self.grid.rows.get(row) else {
            return SortKey::Empty;
        };
        match &self.key {
            Some(key) => key(r, column),
            None => (self.cells)(r)
                .get(column)
                .map_or(SortKey::Empty, |c| SortKey::cell(c)),
        }
    }
}
