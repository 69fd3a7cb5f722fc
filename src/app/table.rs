//! Selection, scrolling and filtering of one table, independent of what the rows are.
//!
//! The view keeps the indices of the rows that pass the filter, recomputed only when the rows or
//! the filter change, so moving and rendering never touch the whole list. A sort by a column is
//! an order of those indices (the rank of each row under the sort), never a copy of the rows, so
//! sorting 100,000 records costs one sort of a vector of numbers.
//!
//! A search of more than [`SEARCH_ON_UI_ROWS`] rows does not run on the UI thread: the view keeps
//! showing the rows of the previous search and hands out a [`Search`] (the filter and a snapshot
//! of the texts to search, shared, not copied) for the runtime to run on a blocking thread; its
//! result replaces the rows when it comes back ([`TableView::searched_off_thread`]), unless a newer
//! search (another keystroke) took its place. Every search has a generation, unique in the
//! process, so a late result of an older search is recognised and dropped.

use std::cmp::Ordering;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use nucleo_matcher::{Config, Matcher};

pub use super::search::{Hays, Haystack, RowTexts, SEARCH_ON_UI_ROWS, Search, Texts};
use super::search::{Pending, matches_filter};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TableView {
    /// Position within `visible`.
    selected: usize,
    /// First visible row within `visible`.
    offset: usize,
    filter: String,
    visible: Vec<usize>,
    /// The filter and row count `visible` was computed for, while the rows stay the same.
    searched: Option<(String, usize)>,
    /// The column the rows are sorted by, if any (else the rows' own order).
    sort: Option<Sort>,
    /// Under `sort`, the rank of each source row; `None` until the shell computes it from the
    /// rows' sort keys ([`TableView::order_by`]), after the sort or the rows changed.
    rank: Option<Vec<u32>>,
    /// A search running off the UI thread, whose result is to replace `visible`.
    pending: Option<Pending>,
}

/// A sort of a table by one of its columns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sort {
    /// The column's index among the rows' headers ([`Rows::headers`]).
    pub column: usize,
    /// Its heading, for the title (`↑STATUS`).
    pub name: String,
    pub descending: bool,
}

impl Sort {
    /// `↑STATUS` (ascending) or `↓STATUS`.
    pub fn label(&self) -> String {
        format!("{}{}", if self.descending { '↓' } else { '↑' }, self.name)
    }
}

/// What a row is sorted by in one column: numbers, durations and times by value, text without
/// regard to case; empty cells first (last when descending).
#[derive(Debug, Clone, PartialEq)]
pub enum SortKey {
    Empty,
    Number(f64),
    Text(String),
}

impl SortKey {
    /// A cell as shown: a number when it reads as one, else its text.
    pub fn cell(text: &str) -> SortKey {
        let text = text.trim();
        if text.is_empty() {
            SortKey::Empty
        } else if let Ok(n) = text.parse::<f64>()
            && n.is_finite()
        {
            SortKey::Number(n)
        } else {
            SortKey::Text(text.to_lowercase())
        }
    }

    /// A time, by value.
    pub fn time(t: Option<DateTime<Utc>>) -> SortKey {
        t.map_or(SortKey::Empty, |t| {
            SortKey::Number(t.timestamp_millis() as f64)
        })
    }

    /// A count or a duration, by value.
    pub fn number(n: Option<i64>) -> SortKey {
        n.map_or(SortKey::Empty, |n| SortKey::Number(n as f64))
    }

    fn order(&self) -> u8 {
        match self {
            SortKey::Empty => 0,
            SortKey::Number(_) => 1,
            SortKey::Text(_) => 2,
        }
    }

    pub fn compare(&self, other: &SortKey) -> Ordering {
        match (self, other) {
            (SortKey::Number(a), SortKey::Number(b)) => a.total_cmp(b),
            (SortKey::Text(a), SortKey::Text(b)) => a.cmp(b),
            _ => self.order().cmp(&other.order()),
        }
    }
}

/// The rows of a table as the shell sees them, whatever they are: their headers and whole
/// values, for the sort (`o`, `O`) and the detail view (`i`). Built on the one row shape
/// ([`crate::rows::Cells`]) where the table has one.
pub trait Rows {
    /// The columns, in the order of [`Rows::cells`].
    fn headers(&self) -> &'static [&'static str];
    /// How many rows there are (source indices are `0..count()`).
    fn count(&self) -> usize;
    /// Row `row`'s values, whole and raw: the renderer cuts and sanitises them.
    fn cells(&self, row: usize) -> Option<Vec<String>>;
    /// What row `row` sorts by in `column`: its cell, a number when it reads as one. Rows with
    /// times, durations or counts shown as text give their values instead.
    fn sort_key(&self, row: usize, column: usize) -> SortKey {
        self.cells(row)
            .and_then(|c| c.get(column).map(|c| SortKey::cell(c)))
            .unwrap_or(SortKey::Empty)
    }
    /// Every field of row `row` in full, for the detail view: its cells under their headers,
    /// unless the row has more to say than its columns (times in full, a whole error).
    fn fields(&self, row: usize) -> Option<Vec<(String, String)>> {
        let cells = self.cells(row)?;
        Some(
            self.headers()
                .iter()
                .map(|h| (*h).to_owned())
                .zip(cells)
                .collect(),
        )
    }
}

impl<R: Rows + ?Sized> Rows for &R {
    fn headers(&self) -> &'static [&'static str] {
        (**self).headers()
    }
    fn count(&self) -> usize {
        (**self).count()
    }
    fn cells(&self, row: usize) -> Option<Vec<String>> {
        (**self).cells(row)
    }
    fn sort_key(&self, row: usize, column: usize) -> SortKey {
        (**self).sort_key(row, column)
    }
    fn fields(&self, row: usize) -> Option<Vec<(String, String)>> {
        (**self).fields(row)
    }
}

impl TableView {
    /// The rows were replaced: the next `refilter` searches all of them, and a sort is computed
    /// again.
    pub fn rows_changed(&mut self) {
        self.searched = None;
        self.rank = None;
    }

    pub fn sort(&self) -> Option<&Sort> {
        self.sort.as_ref()
    }

    /// `o`: sort by the next of `headers` (the first when unsorted); after the last, back to the
    /// rows' own order. The selection stays on the same row.
    pub fn next_sort(&mut self, headers: &[&str], rows: usize) {
        let column = match &self.sort {
            None => 0,
            Some(s) => s.column + 1,
        };
        match headers.get(column) {
            Some(name) => self.set_sort(Some(Sort {
                column,
                name: (*name).to_owned(),
                descending: false,
            })),
            None => {
                self.set_sort(None);
                self.unsort(rows);
            }
        }
    }

    /// `O`: the other direction (unsorted: the first column, descending).
    pub fn reverse_sort(&mut self, headers: &[&str]) {
        let sort = match self.sort.take() {
            Some(s) => Sort {
                descending: !s.descending,
                ..s
            },
            None => match headers.first() {
                Some(name) => Sort {
                    column: 0,
                    name: (*name).to_owned(),
                    descending: true,
                },
                None => return,
            },
        };
        self.set_sort(Some(sort));
    }

    fn set_sort(&mut self, sort: Option<Sort>) {
        self.sort = sort;
        self.rank = None;
    }

    /// Whether the rows are to be sorted and their order is not known yet.
    pub fn needs_order(&self) -> bool {
        self.sort.is_some() && self.rank.is_none()
    }

    /// Sort by `keys` (the sorted column's key of every source row), keeping the selection on the
    /// same row in a window of `rows`. Equal keys keep the rows' own order, in both directions.
    pub fn order_by(&mut self, keys: &[SortKey], rows: usize) {
        let Some(sort) = &self.sort else {
            return;
        };
        let mut order: Vec<u32> = (0..u32::try_from(keys.len()).unwrap_or(u32::MAX)).collect();
        order.sort_by(|&a, &b| {
            let o = keys[a as usize].compare(&keys[b as usize]);
            if sort.descending { o.reverse() } else { o }
        });
        let mut rank = vec![0u32; order.len()];
        for (r, &i) in order.iter().enumerate() {
            rank[i as usize] = u32::try_from(r).unwrap_or(u32::MAX);
        }
        let keep = self.selected_index();
        self.visible
            .sort_by_key(|&i| rank.get(i).copied().unwrap_or(u32::MAX));
        self.rank = Some(rank);
        self.reselect(keep, rows);
    }

    /// Back to the rows' own order.
    fn unsort(&mut self, rows: usize) {
        let keep = self.selected_index();
        self.visible.sort_unstable();
        self.reselect(keep, rows);
    }

    fn reselect(&mut self, keep: Option<usize>, rows: usize) {
        self.selected = keep
            .and_then(|k| self.visible.iter().position(|&i| i == k))
            .unwrap_or(0);
        self.scroll_into_view(rows);
    }

    /// Recompute the visible rows from the rows' searchable texts and the current filter, keeping
    /// the selection on the same source row when it is still visible.
    ///
    /// While typing, the new filter usually extends the previous one; every row it matches also
    /// matched the shorter filter (more characters, more atoms, anchors and smart case only ever
    /// narrow), so only the previous matches are searched again.
    ///
    /// A search of more than [`SEARCH_ON_UI_ROWS`] rows is not run here: it is handed out by
    /// [`TableView::search`] (the rows of the previous search stay until its result comes) and
    /// supersedes any search still running for this table.
    pub fn refilter<'a, H: Haystack + ?Sized + 'a>(
        &mut self,
        haystacks: impl ExactSizeIterator<Item = &'a H>,
    ) {
        self.refilter_texts(&Hays(haystacks.collect()));
    }

    /// [`TableView::refilter`] over rows whose texts are written on demand ([`RowTexts`]).
    pub fn refilter_texts(&mut self, texts: &dyn RowTexts) {
        if let Some(old) = self.pending.take() {
            old.search.cancel();
        }
        let total = texts.len();
        let narrowing = matches!(
            &self.searched,
            Some((previous, rows)) if *rows == total
                && !previous.is_empty()
                && self.filter.starts_with(previous.as_str())
        );
        let filter = self.filter.clone();
        if filter.is_empty() {
            self.install((0..total).collect(), false, total, filter);
            return;
        }
        let searched = if narrowing { self.visible.len() } else { total };
        if searched > SEARCH_ON_UI_ROWS {
            let (snapshot, rows) = if narrowing {
                (
                    texts.snapshot(Some(&self.visible)),
                    Some(self.visible.clone()),
                )
            } else {
                (texts.snapshot(None), None)
            };
            self.pending = Some(Pending {
                search: Arc::new(Search::new(filter, snapshot, rows)),
                narrowing,
                total,
            });
            return;
        }
        let mut matcher = Matcher::new(Config::DEFAULT);
        let mut matches = matches_filter(&filter, &mut matcher);
        let mut buf = String::new();
        let visible = if narrowing {
            self.visible
                .iter()
                .copied()
                .filter(|&i| i < total && matches(texts.text(i, &mut buf)))
                .collect()
        } else {
            (0..total)
                .filter(|&i| matches(texts.text(i, &mut buf)))
                .collect()
        };
        self.install(visible, narrowing, total, filter);
    }

    /// The search this table waits for, to run off the UI thread; `None` when none.
    pub fn search(&self) -> Option<&Arc<Search>> {
        self.pending.as_ref().map(|p| &p.search)
    }

    /// Whether a search is running: the rows on screen are those of the previous filter.
    pub fn is_searching(&self) -> bool {
        self.pending.is_some()
    }

    /// The result of the search of generation `generation`: the matching source rows replace the
    /// visible ones, the selection staying on the same row when it is among them, in a window of
    /// `rows`. False, and nothing changed, when this table is not waiting for that search (a newer
    /// one took its place, or it is another table's).
    pub fn searched_off_thread(&mut self, generation: u64, found: Vec<usize>, rows: usize) -> bool {
        if self
            .pending
            .as_ref()
            .is_none_or(|p| p.search.generation() != generation)
        {
            return false;
        }
        let Some(p) = self.pending.take() else {
            return false;
        };
        self.install(found, p.narrowing, p.total, p.search.filter().to_owned());
        self.scroll_into_view(rows);
        true
    }

    /// Make `visible` the rows matching `filter` (of `total` source rows), in the sort's order,
    /// keeping the selection on the same source row.
    fn install(&mut self, visible: Vec<usize>, narrowing: bool, total: usize, filter: String) {
        let keep = self.selected_index();
        self.visible = visible;
        // A new search lists rows in their own order: in the sort's, when it is known for
        // these rows (narrowing keeps the previous order).
        if !narrowing {
            match &self.rank {
                Some(rank) if rank.len() == total => {
                    self.visible.sort_by_key(|&i| rank[i]);
                }
                _ => self.rank = None,
            }
        }
        self.searched = Some((filter, total));
        self.selected = keep
            .and_then(|k| self.visible.iter().position(|&i| i == k))
            .unwrap_or(0);
        self.offset = self.offset.min(self.selected);
    }

    /// `count` rows were inserted before source row `at` (rows streaming in): the visible rows
    /// keep pointing at the same rows until the next search replaces them.
    pub fn rows_inserted(&mut self, at: usize, count: usize) {
        // A search running counts rows from before: the caller searches again.
        if let Some(old) = self.pending.take() {
            old.search.cancel();
        }
        for i in &mut self.visible {
            if *i >= at {
                *i += count;
            }
        }
        self.rows_changed();
    }

    pub fn filter(&self) -> &str {
        &self.filter
    }

    pub fn set_filter(&mut self, filter: &str) {
        filter.clone_into(&mut self.filter);
    }

    /// The source index of the selected row.
    pub fn selected_index(&self) -> Option<usize> {
        self.visible.get(self.selected).copied()
    }

    /// The selected position among the visible rows.
    pub fn selected_position(&self) -> usize {
        self.selected
    }

    /// Source indices of every row that passes the filter, in order.
    pub fn visible(&self) -> &[usize] {
        &self.visible
    }

    pub fn visible_len(&self) -> usize {
        self.visible.len()
    }

    /// Source indices of the rows in the window `[offset, offset + rows)`.
    pub fn window(&self, rows: usize) -> &[usize] {
        let start = self.offset.min(self.visible.len());
        let end = (start + rows).min(self.visible.len());
        &self.visible[start..end]
    }

    pub fn offset(&self) -> usize {
        self.offset
    }

    /// Move the selection by `delta` rows, scrolling so it stays within a window of `rows`.
    pub fn move_by(&mut self, delta: isize, rows: usize) {
        if self.visible.is_empty() {
            return;
        }
        let last = self.visible.len() - 1;
        self.selected = self.selected.saturating_add_signed(delta).min(last);
        self.scroll_into_view(rows);
    }

    pub fn select_first(&mut self, rows: usize) {
        self.selected = 0;
        self.scroll_into_view(rows);
    }

    pub fn select_last(&mut self, rows: usize) {
        self.selected = self.visible.len().saturating_sub(1);
        self.scroll_into_view(rows);
    }

    /// Keep the selection inside a window of `rows` after a move or a resize, and the window full
    /// when there are rows enough to fill it (see [`TableView::window_start`]).
    pub fn scroll_into_view(&mut self, rows: usize) {
        self.offset = self.window_start(rows);
    }

    /// Where a window of `rows` starts: an offset left from a smaller window (the terminal grew,
    /// or a filter took rows away) first moves back until the window ends at the last row, then
    /// the window moves to hold the selection. ratatui's `Table` does only the second and would
    /// leave the rows below empty while rows above stay hidden.
    ///
    /// Does not move the stored offset: a renderer can start its window here when the rows it
    /// has differ from those the table was last scrolled for.
    pub fn window_start(&self, rows: usize) -> usize {
        let rows = rows.max(1);
        let start = self.offset.min(self.visible.len().saturating_sub(rows));
        if self.selected < start {
            self.selected
        } else if self.selected >= start + rows {
            self.selected + 1 - rows
        } else {
            start
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view(texts: &[&str]) -> TableView {
        let mut v = TableView::default();
        v.refilter(texts.iter().copied());
        v
    }

    #[test]
    fn moving_clamps_to_the_rows_and_scrolls_the_window() {
        let texts: Vec<String> = (0..10).map(|i| format!("row {i}")).collect();
        let mut v = TableView::default();
        v.refilter(texts.iter().map(String::as_str));
        v.move_by(5, 3);
        assert_eq!(v.selected_index(), Some(5));
        assert_eq!(v.window(3), &[3, 4, 5]);
        v.move_by(100, 3);
        assert_eq!(v.selected_index(), Some(9));
        v.move_by(-100, 3);
        assert_eq!(v.selected_index(), Some(0));
        assert_eq!(v.window(3), &[0, 1, 2]);
    }

    #[test]
    fn filter_is_fuzzy_and_keeps_the_selected_row() {
        let mut v = view(&["dev 111", "staging 222", "prod 333"]);
        v.move_by(2, 10);
        v.set_filter("prd");
        v.refilter(["dev 111", "staging 222", "prod 333"].into_iter());
        assert_eq!(v.visible_len(), 1);
        assert_eq!(v.selected_index(), Some(2));
    }

    #[test]
    fn a_filter_matching_nothing_leaves_no_selection() {
        let mut v = view(&["a", "b"]);
        v.set_filter("zzz");
        v.refilter(["a", "b"].into_iter());
        assert_eq!(v.selected_index(), None);
        v.move_by(1, 5);
        assert_eq!(v.selected_index(), None);
    }

    #[test]
    fn typing_more_narrows_and_deleting_widens_again() {
        let texts = [
            "dev 111",
            "staging 222",
            "prod 333",
            "prod-eu 444",
            "pg 555",
        ];
        let mut v = view(&texts);
        for (filter, expected) in [
            ("p", 3),
            ("pr", 2),
            ("prod", 2),
            ("prod-", 1),
            ("prod", 2),
            ("", 5),
        ] {
            v.set_filter(filter);
            v.refilter(texts.into_iter());
            assert_eq!(v.visible_len(), expected, "filter {filter:?}");
        }
    }

    #[test]
    fn new_rows_are_searched_in_full_even_with_the_same_count() {
        let mut v = view(&["alpha", "beta"]);
        v.set_filter("al");
        v.refilter(["alpha", "beta"].into_iter());
        assert_eq!(v.visible(), &[0]);
        v.rows_changed();
        v.set_filter("alp");
        v.refilter(["beta", "alpine"].into_iter());
        assert_eq!(v.visible(), &[1]);
    }

    #[test]
    fn growing_the_window_scrolls_back_up_instead_of_leaving_empty_rows() {
        let texts: Vec<String> = (0..100).map(|i| format!("row {i}")).collect();
        let mut v = TableView::default();
        v.refilter(texts.iter().map(String::as_str));
        // A small terminal: 5 rows; near the end, the window scrolls.
        v.select_last(5);
        v.move_by(-2, 5);
        assert_eq!(v.selected_index(), Some(97));
        assert_eq!(v.window(5), &[95, 96, 97, 98, 99]);
        // The terminal grows to 34 rows: the window ends at the last row and starts earlier.
        v.scroll_into_view(34);
        assert_eq!(
            v.window(34).len(),
            34,
            "rows above are hidden while rows are empty"
        );
        assert_eq!(v.window(34).first(), Some(&66));
        assert_eq!(v.offset(), 66);
        assert_eq!(v.selected_index(), Some(97));
        // Tall enough for every row: all shown from the first.
        v.scroll_into_view(200);
        assert_eq!(v.window(200).len(), 100);
        assert_eq!(v.offset(), 0);
        // Small again: the selection stays in view.
        v.scroll_into_view(5);
        assert!(v.window(5).contains(&97), "{:?}", v.window(5));
    }

    #[test]
    fn fewer_rows_pull_the_window_back_up() {
        let texts: Vec<String> = (0..50).map(|i| format!("row {i}")).collect();
        let mut v = TableView::default();
        v.refilter(texts.iter().map(String::as_str));
        v.select_last(10);
        v.move_by(-5, 10);
        assert_eq!(v.offset(), 40);
        // A filter leaves 11 rows, the selected one among them: all of them fit in the window.
        v.set_filter("row 4");
        v.refilter(texts.iter().map(String::as_str));
        assert_eq!(v.selected_index(), Some(44));
        v.scroll_into_view(20);
        assert_eq!(v.offset(), 0);
        assert_eq!(v.window(20).len(), v.visible_len());
    }

    #[test]
    fn a_window_of_other_rows_starts_where_it_is_full_and_holds_the_selection() {
        let texts: Vec<String> = (0..50).map(|i| format!("row {i}")).collect();
        let mut v = TableView::default();
        v.refilter(texts.iter().map(String::as_str));
        v.select_last(3);
        assert_eq!(v.offset(), 47);
        assert_eq!(
            v.window_start(10),
            40,
            "taller: full, ending at the last row"
        );
        v.select_first(10);
        v.move_by(9, 10);
        assert_eq!(v.offset(), 0);
        assert_eq!(
            v.window_start(9),
            1,
            "one row shorter: still holds the selection"
        );
        assert_eq!(v.offset(), 0, "the stored offset stays");
    }

    #[test]
    fn numbers_sort_by_value_text_without_case_and_empty_cells_first() {
        let mut keys = ["10", "9", "", "beta", "Alpha", "-1.5"].map(SortKey::cell);
        keys.sort_by(SortKey::compare);
        assert_eq!(
            keys,
            [
                SortKey::Empty,
                SortKey::Number(-1.5),
                SortKey::Number(9.0),
                SortKey::Number(10.0),
                SortKey::Text("alpha".into()),
                SortKey::Text("beta".into()),
            ]
        );
    }

    /// 100,000 rows sorted through the rank vector: in order, ties in the rows' own order (both
    /// directions), the selection on the same row, and a filter keeps the sort without sorting
    /// again.
    #[test]
    fn a_large_table_sorts_by_rank_and_the_filter_keeps_the_order() {
        let n = 100_000;
        let texts: Vec<String> = (0..n).map(|i| format!("row {i}")).collect();
        let keys: Vec<SortKey> = (0..n).map(|i| SortKey::Number((i % 10) as f64)).collect();
        let mut v = TableView::default();
        v.refilter(texts.iter().map(String::as_str));
        v.move_by(7, 20);
        v.next_sort(&["N"], 20);
        assert!(v.needs_order());
        v.order_by(&keys, 20);
        assert!(!v.needs_order());
        assert_eq!(v.selected_index(), Some(7));
        assert_eq!(&v.visible()[..3], &[0, 10, 20], "ties keep their order");
        assert_eq!(v.visible()[n / 10], 1);
        v.reverse_sort(&["N"]);
        v.order_by(&keys, 20);
        assert_eq!(&v.visible()[..3], &[9, 19, 29]);
        assert_eq!(v.selected_index(), Some(7));
        // A new search (not a narrowing one) lists the matches in the sort's order.
        v.set_filter("row 1");
        v.refilter(texts.iter().map(String::as_str));
        assert!(!v.needs_order());
        let first = v.visible()[0];
        assert_eq!(first % 10, 9, "{first}");
        // Past the last column: the rows' own order.
        v.set_filter("");
        v.refilter(texts.iter().map(String::as_str));
        let selected = v.selected_index();
        v.next_sort(&["N"], 20);
        assert!(v.sort().is_none());
        assert_eq!(&v.visible()[..3], &[0, 1, 2]);
        assert_eq!(v.selected_index(), selected);
    }

    /// Rows streaming in before others: the visible rows keep pointing at the same rows, and a
    /// search running for the old rows is dropped (its indices are from before).
    #[test]
    fn inserted_rows_shift_the_visible_ones_and_supersede_a_running_search() {
        let mut texts: Vec<String> = (0..SEARCH_ON_UI_ROWS + 10)
            .map(|i| format!("row {i}"))
            .collect();
        let mut v = TableView::default();
        v.set_filter("row 1");
        v.refilter(texts.iter());
        let search = v.search().expect("a large search is handed out").clone();
        let found = search.run().unwrap();
        assert!(v.searched_off_thread(search.generation(), found, 10));
        let before: Vec<String> = v.visible().iter().map(|&i| texts[i].clone()).collect();
        v.set_filter("ow 12");
        v.refilter(texts.iter());
        let running = v.search().unwrap().clone();
        texts.splice(0..0, ["new a".to_owned(), "new b".to_owned()]);
        v.rows_inserted(0, 2);
        assert!(running.is_cancelled());
        assert!(!v.is_searching());
        let after: Vec<String> = v.visible().iter().map(|&i| texts[i].clone()).collect();
        assert_eq!(before, after);
    }

    #[test]
    fn empty_tables_do_not_panic() {
        let mut v = view(&[]);
        v.select_last(0);
        v.move_by(-1, 0);
        assert_eq!(v.window(10), &[] as &[usize]);
    }
}
