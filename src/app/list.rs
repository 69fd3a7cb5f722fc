//! A list view of things loaded in one account: the loadable, its table, and which account it
//! came from, so switching accounts reloads it.

use chrono::{DateTime, Utc};

use super::loadable::{Loadable, RequestId};
use super::table::{Rows, SortKey, TableView};
use crate::rows::Cells;
use crate::services::ServiceError;

/// A row of a list: its columns (the one row shape, [`Cells`], shared with the commands' output)
/// and what `y` copies.
pub trait Listing: Cells {
    /// What `y` copies.
    fn key(&self) -> String;

    /// What the row sorts by in `column`: its cell (see [`SortKey::cell`]); rows whose cells
    /// show times or counts as text give their values.
    fn sort_key(&self, column: usize) -> SortKey {
        self.cells()
            .get(column)
            .map_or(SortKey::Empty, |c| SortKey::cell(c))
    }

    /// Every field in full for the detail view: the cells under their headers, unless the row
    /// has more to say (times in full).
    fn fields(&self) -> Vec<(String, String)> {
        Self::headers()
            .iter()
            .map(|h| (*h).to_owned())
            .zip(self.cells())
            .collect()
    }
}

impl<T: Listing> Rows for ListPane<T> {
    fn headers(&self) -> &'static [&'static str] {
        T::headers()
    }

    fn count(&self) -> usize {
        self.items().len()
    }

    fn cells(&self, row: usize) -> Option<Vec<String>> {
        self.items().get(row).map(Cells::cells)
    }

    fn sort_key(&self, row: usize, column: usize) -> SortKey {
        self.items()
            .get(row)
            .map_or(SortKey::Empty, |r| r.sort_key(column))
    }

    fn fields(&self, row: usize) -> Option<Vec<(String, String)>> {
        self.items().get(row).map(Listing::fields)
    }
}

#[derive(Debug)]
pub struct ListPane<T> {
    pub list: Loadable<Vec<T>>,
    pub table: TableView,
    /// The account the list is (being) loaded from.
    pub account: Option<String>,
    haystacks: Vec<String>,
}

impl<T> Default for ListPane<T> {
    fn default() -> Self {
        ListPane {
            list: Loadable::NotAsked,
            table: TableView::default(),
            account: None,
            haystacks: Vec::new(),
        }
    }
}

impl<T: Listing> ListPane<T> {
    pub fn begin(&mut self, request: RequestId, account: &str) {
        self.list = Loadable::Loading { request };
        self.account = Some(account.to_owned());
    }

    /// Apply a result; false when it was stale.
    pub fn loaded(
        &mut self,
        request: RequestId,
        result: Result<Vec<T>, ServiceError>,
        at: DateTime<Utc>,
    ) -> bool {
        if !self.list.settle(request, result, at) {
            return false;
        }
        self.haystacks = self.items().iter().map(|i| i.cells().join(" ")).collect();
        self.table.rows_changed();
        self.refilter();
        true
    }

    /// Is this list loaded (or loading) for `account`?
    pub fn is_for(&self, account: &str) -> bool {
        self.account.as_deref() == Some(account) && !matches!(self.list, Loadable::NotAsked)
    }

    pub fn items(&self) -> &[T] {
        self.list.value().map(Vec::as_slice).unwrap_or_default()
    }

    pub fn selected(&self) -> Option<&T> {
        self.table
            .selected_index()
            .and_then(|i| self.items().get(i))
    }

    pub fn refilter(&mut self) {
        self.table
            .refilter(self.haystacks.iter().map(String::as_str));
    }

    /// Forget what was loaded (another region), keeping nothing stale on screen.
    pub fn clear(&mut self) {
        *self = ListPane::default();
    }

    /// Mark the list as not loaded for any account, so the next `ensure_loaded` fetches it.
    pub fn invalidate(&mut self) {
        self.account = None;
    }

    /// Start loading for `ctx.account` unless the list is already for it; the request id to
    /// send, or `None` when nothing needs loading.
    pub fn load_if_needed(&mut self, ctx: &mut super::pane::Ctx) -> Option<(RequestId, String)> {
        let account = ctx.account.clone()?;
        if self.is_for(&account) {
            return None;
        }
        let request = ctx.request();
        self.begin(request, &account);
        Some((request, account))
    }

    /// What `e` exports: the visible rows under the list's headers.
    pub fn export(&self, name: &str) -> super::Effect {
        super::Effect::Export {
            name: name.to_owned(),
            headers: T::headers().iter().map(|h| (*h).to_owned()).collect(),
            rows: self.export_rows(),
        }
    }

    /// The visible rows as exported cells.
    pub fn export_rows(&self) -> Vec<Vec<String>> {
        let items = self.items();
        self.table
            .visible()
            .iter()
            .filter_map(|&i| items.get(i))
            .map(Cells::cells)
            .collect()
    }
}
