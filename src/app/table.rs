//! Selection, scrolling and filtering of one table, independent of what the rows are.
//!
//! The view keeps the indices of the rows that pass the filter, recomputed only when the rows or
//! the filter change, so moving and rendering never touch the whole list. A sort by a column is
//! an order of those indices (every source row in the sorted order), never a copy of the rows, so
//! sorting 100,000 records costs one sort of a vector of numbers.
//!
//! A search or a sort of more than [`ON_UI_ROWS`] rows does not run on the UI thread: the view
//! keeps showing the rows it has and hands out a [`TableJob`] (the filter and a snapshot of the
//! texts to search, shared, not copied; or the sorted column's keys) for the runtime to run on a
//! blocking thread; its answer replaces the rows or their order when it comes back
//! ([`TableView::job_done`]), unless a newer search, sort or rows change took its place. Every
//! job has a generation, unique in the process, so a late answer of an older one is recognised
//! and dropped.

use std::sync::Arc;

use nucleo_matcher::{Config, Matcher};

use super::job::Work;
pub use super::job::{JobAnswer, TableJob};
use super::order::{Level, Order};
pub use super::order::{Sort, SortKey};
pub use super::search::{Hays, Haystack, ON_UI_ROWS, RowTexts, Texts};
use super::search::{Pending, Search, matches_filter};

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
    /// A column the pane sorts its rows by beneath `sort` (ascending; the DNS records' `sort:`
    /// word): it decides alone without `sort`, and breaks its ties with it.
    base: Option<usize>,
    /// Under `sort` or `base`, every source row in the sorted order; `None` until the shell
    /// computes it from the rows' sort keys ([`TableView::order_with`]), after the sort or the
    /// rows changed.
    order: Option<Vec<u32>>,
    /// A search running off the UI thread, whose result is to replace `visible`.
    pending: Option<Pending>,
    /// A sort running off the UI thread, whose order is to replace `visible`'s.
    ordering: Option<Arc<TableJob>>,
    /// The keys of the columns of the last order, while the rows stay the same: `O` and the
    /// next sort over a base sort read no row again.
    keys: KeyCache,
}

/// Columns' keys of every source row, each column's shared with the order computed from it.
#[derive(Debug, Clone, Default)]
struct KeyCache(Vec<(usize, Arc<Vec<SortKey>>)>);

/// The same cache: the same columns, the same shared keys.
impl PartialEq for KeyCache {
    fn eq(&self, other: &Self) -> bool {
        self.0.len() == other.0.len()
            && self
                .0
                .iter()
                .zip(&other.0)
                .all(|((a, x), (b, y))| a == b && Arc::ptr_eq(x, y))
    }
}

impl Eq for KeyCache {}

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
    /// again (one running for the old rows is superseded).
    pub fn rows_changed(&mut self) {
        self.searched = None;
        self.keys.0.clear();
        self.drop_order();
    }

    fn drop_order(&mut self) {
        self.order = None;
        if let Some(old) = self.ordering.take() {
            old.cancel();
        }
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
        let sort = headers.get(column).map(|name| Sort {
            column,
            name: (*name).to_owned(),
            descending: false,
        });
        self.set_sort(sort, rows);
    }

    /// `O`: the other direction (unsorted: the first column, descending).
    pub fn reverse_sort(&mut self, headers: &[&str], rows: usize) {
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
        self.set_sort(Some(sort), rows);
    }

    fn set_sort(&mut self, sort: Option<Sort>, rows: usize) {
        self.sort = sort;
        self.drop_order();
        if self.sort.is_none() && self.base.is_none() {
            self.unsort(rows);
        }
    }

    /// The column the pane sorts its rows by beneath the `o` sort (`None`: their own order); the
    /// order is computed again when it changes.
    pub fn set_base_sort(&mut self, column: Option<usize>) {
        if self.base == column {
            return;
        }
        self.base = column;
        self.drop_order();
        if self.sort.is_none() && self.base.is_none() {
            let keep = self.selected_index();
            self.visible.sort_unstable();
            self.selected = keep
                .and_then(|k| self.visible.iter().position(|&i| i == k))
                .unwrap_or(0);
            self.offset = self.offset.min(self.selected);
        }
    }

    /// Whether the rows are to be sorted and their order is neither known nor being computed.
    pub fn needs_order(&self) -> bool {
        (self.sort.is_some() || self.base.is_some())
            && self.order.is_none()
            && self.ordering.is_none()
    }

    /// The columns whose keys the order needs, each with its direction: the sort's, then the
    /// base's.
    pub fn order_columns(&self) -> Vec<(usize, bool)> {
        let mut columns: Vec<(usize, bool)> =
            self.sort.iter().map(|s| (s.column, s.descending)).collect();
        if let Some(base) = self.base
            && self.sort.as_ref().is_none_or(|s| s.column != base)
        {
            columns.push((base, false));
        }
        columns
    }

    /// The keys of `column` of every source row, when the last order read them from the same
    /// rows.
    pub fn known_keys(&self, column: usize) -> Option<Arc<Vec<SortKey>>> {
        self.keys
            .0
            .iter()
            .find(|(c, _)| *c == column)
            .map(|(_, keys)| Arc::clone(keys))
    }

    /// Sort by `keys` (for each of [`TableView::order_columns`], its key of every source row),
    /// keeping the selection on the same row in a window of `rows`. Equal keys keep the rows' own
    /// order, in both directions. Up to [`ON_UI_ROWS`] rows are sorted at once; more are handed
    /// out as a [`TableJob`] ([`TableView::jobs`]): the rows keep their order until it answers,
    /// and the title says `sorting…`.
    pub fn order_with(&mut self, keys: Vec<Arc<Vec<SortKey>>>, rows: usize) {
        let levels = self.order_columns();
        if levels.is_empty() || levels.len() != keys.len() {
            return;
        }
        self.keys = KeyCache(
            levels
                .iter()
                .zip(&keys)
                .map(|(&(column, _), keys)| (column, Arc::clone(keys)))
                .collect(),
        );
        let order = Order::new(
            keys.into_iter()
                .zip(levels)
                .map(|(keys, (_, descending))| Level { keys, descending })
                .collect(),
        );
        self.drop_order();
        if order.len() > ON_UI_ROWS {
            self.ordering = Some(TableJob::new(Work::Order(order)));
        } else if let Some(order) = order.run(&Default::default()) {
            self.install_order(order, rows);
        }
    }

    /// Make `order` the table's, the visible rows in it, the selection on the same row.
    fn install_order(&mut self, order: Vec<u32>, rows: usize) {
        let keep = self.selected_index();
        self.visible = in_order(&self.visible, &order);
        self.order = Some(order);
        self.reselect(keep, rows);
    }

    /// Whether a sort is running off the UI thread: the rows on screen keep their previous order.
    pub fn is_sorting(&self) -> bool {
        self.ordering.is_some()
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
    /// A search of more than [`ON_UI_ROWS`] rows is not run here: it is handed out by
    /// [`TableView::jobs`] (the rows of the previous search stay until its result comes) and
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
            old.job.cancel();
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
        if searched > ON_UI_ROWS {
            let (snapshot, rows) = if narrowing {
                (
                    texts.snapshot(Some(&self.visible)),
                    Some(self.visible.clone()),
                )
            } else {
                (texts.snapshot(None), None)
            };
            self.pending = Some(Pending {
                job: TableJob::new(Work::Search(Search::new(filter.clone(), snapshot, rows))),
                filter,
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
    pub fn search(&self) -> Option<&Arc<TableJob>> {
        self.pending.as_ref().map(|p| &p.job)
    }

    /// The sort this table waits for, to run off the UI thread; `None` when none.
    pub fn sorting(&self) -> Option<&Arc<TableJob>> {
        self.ordering.as_ref()
    }

    /// Every job this table waits for: its search and its sort.
    pub fn jobs(&self) -> impl Iterator<Item = &Arc<TableJob>> {
        self.search().into_iter().chain(self.sorting())
    }

    /// Whether a search is running: the rows on screen are those of the previous filter.
    pub fn is_searching(&self) -> bool {
        self.pending.is_some()
    }

    /// The answer of the job of generation `generation`: a search's matching source rows replace
    /// the visible ones, a sort's order theirs, the selection staying on the same row when it is
    /// among them, in a window of `rows`. False, and nothing changed, when this table is not
    /// waiting for that job (a newer one took its place, or it is another table's).
    pub fn job_done(&mut self, generation: u64, answer: JobAnswer, rows: usize) -> bool {
        match answer {
            JobAnswer::Found(found) => self.searched_off_thread(generation, found, rows),
            JobAnswer::Ordered(order) => {
                if self
                    .ordering
                    .as_ref()
                    .is_none_or(|j| j.generation() != generation)
                {
                    return false;
                }
                self.ordering = None;
                self.install_order(order, rows);
                true
            }
        }
    }

    fn searched_off_thread(&mut self, generation: u64, found: Vec<usize>, rows: usize) -> bool {
        if self
            .pending
            .as_ref()
            .is_none_or(|p| p.job.generation() != generation)
        {
            return false;
        }
        let Some(p) = self.pending.take() else {
            return false;
        };
        self.install(found, p.narrowing, p.total, p.filter);
        self.scroll_into_view(rows);
        true
    }

    /// Make `visible` the rows matching `filter` (of `total` source rows), in the sort's order,
    /// keeping the selection on the same source row.
    fn install(&mut self, visible: Vec<usize>, narrowing: bool, total: usize, filter: String) {
        let keep = self.selected_index();
        let previous = std::mem::replace(&mut self.visible, visible);
        // A new search lists rows in their own order: in the sort's, when it is known for
        // these rows (narrowing keeps the previous order).
        if !narrowing {
            match &self.order {
                Some(order) if order.len() == total => {
                    self.visible = in_order(&self.visible, order);
                }
                _ => {
                    if self.order.take().is_some() {
                        self.keys.0.clear();
                    }
                    if self.sort.is_some() || self.base.is_some() {
                        // Until the sort of these rows answers, rows keep the places they had
                        // (new ones after them): a sorted view does not flash its own order at
                        // every page of rows streaming in.
                        self.visible = in_places(&previous, &self.visible, total);
                    }
                }
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
            old.job.cancel();
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

/// The rows of `visible` (source rows, each once) in `order` (every source row): one pass over
/// each, whatever the sizes. Rows past the end of `order` follow, in their own order.
fn in_order(visible: &[usize], order: &[u32]) -> Vec<usize> {
    if visible.len() == order.len() && visible.iter().all(|&i| i < order.len()) {
        return order.iter().map(|&i| i as usize).collect();
    }
    let mut shown = vec![false; order.len()];
    let mut past = Vec::new();
    for &i in visible {
        match shown.get_mut(i) {
            Some(s) => *s = true,
            None => past.push(i),
        }
    }
    past.sort_unstable();
    let mut out: Vec<usize> = order
        .iter()
        .map(|&i| i as usize)
        .filter(|&i| shown[i])
        .collect();
    out.extend(past);
    out
}

/// The rows of `visible` (source rows, each once, of `total`) in the order they have in
/// `previous`, those not in it after them in their own order: one pass over each.
fn in_places(previous: &[usize], visible: &[usize], total: usize) -> Vec<usize> {
    let mut place = vec![usize::MAX; total];
    for (p, &i) in previous.iter().enumerate() {
        if let Some(slot) = place.get_mut(i) {
            *slot = p;
        }
    }
    let mut placed = vec![usize::MAX; previous.len()];
    let mut rest = Vec::new();
    for &i in visible {
        match place.get(i) {
            Some(&p) if p != usize::MAX => placed[p] = i,
            _ => rest.push(i),
        }
    }
    placed.retain(|&i| i != usize::MAX);
    placed.extend(rest);
    placed
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

    /// Rows streaming in before others: the visible rows keep pointing at the same rows, and a
    /// search running for the old rows is dropped (its indices are from before).
    #[test]
    fn inserted_rows_shift_the_visible_ones_and_supersede_a_running_search() {
        let mut texts: Vec<String> = (0..ON_UI_ROWS + 10).map(|i| format!("row {i}")).collect();
        let mut v = TableView::default();
        v.set_filter("row 1");
        v.refilter(texts.iter());
        let search = v.search().expect("a large search is handed out").clone();
        let found = search.run().unwrap();
        assert!(v.job_done(search.generation(), found, 10));
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
