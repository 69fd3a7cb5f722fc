//! The `/` filter's search of a table too large to search on the UI thread: what a table hands
//! the runtime to run on a blocking thread (a [`Search`] in a [`TableJob`]), and what rows are
//! searched in ([`Haystack`]). [`super::table::TableView::refilter`] decides, for every table.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering as AtomicOrdering};

use nucleo_matcher::pattern::{CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher, Utf32Str};

use super::job::TableJob;

/// The most rows a search looks at, or a sort orders, on the UI thread. A larger search (about
/// 7 ms of fuzzy matching on long rows, the DNS records') or sort runs on a blocking thread (a
/// [`TableJob`]), keeping every key press well under a 60 Hz frame.
pub const ON_UI_ROWS: usize = 5_000;

/// What a row is searched in: its text, and a shared copy of it for a search off the UI thread.
/// Tables that can grow large keep their texts as `Arc<str>`, so the snapshot a search takes
/// costs a pointer per row, not a copy of the text.
pub trait Haystack {
    fn text(&self) -> &str;
    fn shared(&self) -> Arc<str>;
}

impl Haystack for str {
    fn text(&self) -> &str {
        self
    }
    fn shared(&self) -> Arc<str> {
        Arc::from(self)
    }
}

impl Haystack for String {
    fn text(&self) -> &str {
        self
    }
    fn shared(&self) -> Arc<str> {
        Arc::from(self.as_str())
    }
}

impl Haystack for Arc<str> {
    fn text(&self) -> &str {
        self
    }
    fn shared(&self) -> Arc<str> {
        Arc::clone(self)
    }
}

/// The texts a search off the UI thread reads, one per row searched: held, or written on demand
/// from what the rows are made of (the DNS records' are written from the packed records, so
/// 100,000 rows cost no text of their own).
pub trait Texts: Send + Sync {
    fn len(&self) -> usize;
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// The text of row `i`: borrowed, or written into `buf`.
    fn text<'a>(&'a self, i: usize, buf: &'a mut String) -> &'a str;
}

impl Texts for Vec<Arc<str>> {
    fn len(&self) -> usize {
        Vec::len(self)
    }
    fn text<'a>(&'a self, i: usize, _: &'a mut String) -> &'a str {
        &self[i]
    }
}

/// What a table's rows are searched in, as [`super::table::TableView::refilter_texts`] reads
/// them: the text of each source row, and a snapshot of some of them for a search off the UI
/// thread.
pub trait RowTexts {
    fn len(&self) -> usize;
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// The text of source row `row`: borrowed, or written into `buf`.
    fn text<'a>(&'a self, row: usize, buf: &'a mut String) -> &'a str;
    /// The texts of `rows` (every row when `None`), in that order, for a search on another
    /// thread; it must not borrow the table.
    fn snapshot(&self, rows: Option<&[usize]>) -> Box<dyn Texts>;
}

/// Rows whose texts are at hand ([`Haystack`]s); a snapshot shares them (`Arc<str>`) or copies
/// them.
pub struct Hays<'a, H: ?Sized>(pub Vec<&'a H>);

impl<H: Haystack + ?Sized> RowTexts for Hays<'_, H> {
    fn len(&self) -> usize {
        self.0.len()
    }
    fn text<'a>(&'a self, row: usize, _: &'a mut String) -> &'a str {
        self.0[row].text()
    }
    fn snapshot(&self, rows: Option<&[usize]>) -> Box<dyn Texts> {
        let texts: Vec<Arc<str>> = match rows {
            Some(rows) => rows
                .iter()
                .filter_map(|&i| self.0.get(i).map(|t| t.shared()))
                .collect(),
            None => self.0.iter().map(|t| t.shared()).collect(),
        };
        Box::new(texts)
    }
}

/// A search of a table's rows, to run off the UI thread as a [`super::job::TableJob`]: the
/// filter, a snapshot of the texts to search and which source rows they are.
pub(super) struct Search {
    pub(super) filter: String,
    /// The texts searched; `rows[i]` is the source row of text `i` (`None`: `i` itself).
    texts: Box<dyn Texts>,
    rows: Option<Vec<usize>>,
}

impl Search {
    pub(super) fn new(filter: String, texts: Box<dyn Texts>, rows: Option<Vec<usize>>) -> Search {
        Search {
            filter,
            texts,
            rows,
        }
    }

    pub(super) fn len(&self) -> usize {
        self.texts.len()
    }

    /// The source rows that match, in order; `None` when `cancelled` turned true before the end
    /// (it is looked at every 1,024 rows).
    pub(super) fn run(&self, cancelled: &AtomicBool) -> Option<Vec<usize>> {
        let mut matcher = Matcher::new(Config::DEFAULT);
        let mut found = Vec::new();
        let mut buf = String::new();
        let total = self.texts.len();
        for start in (0..total).step_by(1024) {
            if cancelled.load(AtomicOrdering::Relaxed) {
                return None;
            }
            let mut matches = matches_filter(&self.filter, &mut matcher);
            for i in start..total.min(start + 1024) {
                if matches(self.texts.text(i, &mut buf)) {
                    found.push(self.rows.as_ref().map_or(i, |rows| rows[i]));
                }
            }
        }
        Some(found)
    }
}

/// A search handed out and not answered yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Pending {
    pub(super) job: Arc<TableJob>,
    pub(super) filter: String,
    /// Whether it only narrows the previous matches (they keep their order).
    pub(super) narrowing: bool,
    /// How many source rows there were.
    pub(super) total: usize,
}

/// `filter`'s matcher: whether a text matches (fuzzy, smart case; see nucleo's pattern syntax).
pub(super) fn matches_filter<'m>(
    filter: &str,
    matcher: &'m mut Matcher,
) -> impl FnMut(&str) -> bool + 'm {
    let pattern = Pattern::parse(filter, CaseMatching::Smart, Normalization::Smart);
    let mut buf = Vec::new();
    move |text: &str| {
        pattern
            .score(Utf32Str::new(text, &mut buf), matcher)
            .is_some()
    }
}
