//! A list view of things loaded in one account: the loadable, its table, and which account it
//! came from, so switching accounts reloads it.

use std::sync::Arc;

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

    /// The cells as the list shows them at `now`: [`Cells::cells`] (absolute times, as exports
    /// write them) but for times, which read as ages (`3m ago`), computed when drawn.
    fn screen_cells(&self, _now: DateTime<Utc>) -> Vec<String> {
        self.cells()
    }

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
    /// A background re-read in flight: the rows on screen stay until it answers.
    pub refreshing: Option<RequestId>,
    /// Why the last background re-read failed (the rows on screen are from before it).
    pub refresh_error: Option<ServiceError>,
    /// A re-read is wanted: the next [`ListPane::load_if_needed`] starts it, keeping the rows.
    stale: bool,
    /// What the filter searches in each row, shared with a search running off the UI thread.
    haystacks: Vec<Arc<str>>,
}

impl<T> Default for ListPane<T> {
    fn default() -> Self {
        ListPane {
            list: Loadable::NotAsked,
            table: TableView::default(),
            account: None,
            refreshing: None,
            refresh_error: None,
            stale: false,
            haystacks: Vec::new(),
        }
    }
}

impl<T: Listing> ListPane<T> {
    pub fn begin(&mut self, request: RequestId, account: &str) {
        self.list = Loadable::Loading { request };
        self.account = Some(account.to_owned());
    }

    /// Is `request` the load or the background re-read this list waits for?
    pub fn awaits(&self, request: RequestId) -> bool {
        self.list.awaits(request) || self.refreshing == Some(request)
    }

    /// A load or a re-read in flight (the spinner turns).
    pub fn is_busy(&self) -> bool {
        self.list.is_loading() || self.refreshing.is_some()
    }

    /// Apply a result; false when it was stale. The answer to a background re-read replaces the
    /// rows and keeps the selection on the same item ([`Listing::key`]); when the re-read failed,
    /// the rows stay and [`ListPane::refresh_error`] says why.
    pub fn loaded(
        &mut self,
        request: RequestId,
        result: Result<Vec<T>, ServiceError>,
        at: DateTime<Utc>,
    ) -> bool {
        if self.refreshing == Some(request) {
            self.refreshing = None;
            match result {
                Ok(items) => {
                    let keep = self.selected().map(Listing::key);
                    self.refresh_error = None;
                    self.list = Loadable::Ready {
                        value: items,
                        fetched_at: at,
                    };
                    self.rows_replaced();
                    if let Some(key) = keep {
                        self.select_key(&key);
                    }
                }
                Err(error) => self.refresh_error = Some(error),
            }
            return true;
        }
        if !self.list.settle(request, result, at) {
            return false;
        }
        self.refresh_error = None;
        self.rows_replaced();
        true
    }

    fn rows_replaced(&mut self) {
        self.haystacks = self
            .items()
            .iter()
            .map(|i| Arc::from(i.cells().join(" ")))
            .collect();
        self.table.rows_changed();
        self.refilter();
    }

    /// Put the selection on the visible row whose [`Listing::key`] is `key`, if there is one.
    pub fn select_key(&mut self, key: &str) {
        let items = self.items();
        if let Some(position) = self
            .table
            .visible()
            .iter()
            .position(|&i| items.get(i).is_some_and(|item| item.key() == key))
        {
            let delta = position as isize - self.table.selected_position() as isize;
            self.table.move_by(delta, usize::MAX);
        }
    }

    /// Ask for a background re-read of the rows on screen (they stay until it answers); the next
    /// [`ListPane::load_if_needed`] starts it. False, and nothing asked, while one is already in
    /// flight or nothing is loaded yet.
    pub fn refresh(&mut self) -> bool {
        if self.is_busy() || self.list.value().is_none() {
            return false;
        }
        self.stale = true;
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
        self.table.refilter(self.haystacks.iter());
    }

    /// Forget what was loaded (another region), keeping nothing stale on screen.
    pub fn clear(&mut self) {
        *self = ListPane::default();
    }

    /// Mark the list as not loaded for any account, so the next `ensure_loaded` fetches it.
    pub fn invalidate(&mut self) {
        self.account = None;
    }

    /// Read the list again after a change: in the background when rows are on screen (an answer
    /// already in flight predates the change and is dropped), else from scratch.
    pub fn reread(&mut self) {
        if self.list.value().is_some() {
            self.refreshing = None;
            self.stale = true;
        } else {
            self.invalidate();
        }
    }

    /// Start loading for `ctx.account` unless the list is already for it (or start the
    /// background re-read [`ListPane::refresh`] asked for); the request id to send, or `None`
    /// when nothing needs loading.
    pub fn load_if_needed(&mut self, ctx: &mut super::pane::Ctx) -> Option<(RequestId, String)> {
        let account = ctx.account.clone()?;
        if self.is_for(&account) {
            if !std::mem::take(&mut self.stale) || self.is_busy() || self.list.value().is_none() {
                return None;
            }
            let request = ctx.request();
            self.refreshing = Some(request);
            return Some((request, account));
        }
        self.stale = false;
        self.refreshing = None;
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
