//! The `/` filter's search of a table too large to search on the UI thread: what a table hands
//! the runtime to run on a blocking thread ([`Search`]), and what rows are searched in
//! ([`Haystack`]). [`super::table::TableView::refilter`] decides, for every table.

use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering as AtomicOrdering};

use nucleo_matcher::pattern::{CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher, Utf32Str};

/// The most rows a search looks at on the UI thread. A larger one (about 7 ms of fuzzy matching
/// on long rows, the DNS records') runs on a blocking thread ([`Search`]), keeping every key
/// press well under a 60 Hz frame.
pub const SEARCH_ON_UI_ROWS: usize = 5_000;

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

/// Generations of searches, unique in the process (a result names the search it answers).
static GENERATION: AtomicU64 = AtomicU64::new(1);

/// A search of a table's rows to run off the UI thread: the filter, a snapshot of the texts to
/// search and which source rows they are. [`Search::run`] gives the matching source rows, or
/// `None` once a newer search of the same table superseded it (it stops early then).
pub struct Search {
    generation: u64,
    filter: String,
    /// The texts searched; `rows[i]` is the source row of `texts[i]` (`None`: `i` itself).
    texts: Vec<Arc<str>>,
    rows: Option<Vec<usize>>,
    cancelled: AtomicBool,
}

impl Search {
    pub(super) fn new(filter: String, texts: Vec<Arc<str>>, rows: Option<Vec<usize>>) -> Search {
        Search {
            generation: GENERATION.fetch_add(1, AtomicOrdering::Relaxed),
            filter,
            texts,
            rows,
            cancelled: AtomicBool::new(false),
        }
    }

    pub(super) fn cancel(&self) {
        self.cancelled.store(true, AtomicOrdering::Relaxed);
    }

    pub(super) fn filter(&self) -> &str {
        &self.filter
    }

    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// Whether a newer search took this one's place.
    pub fn is_cancelled(&self) -> bool {
        self.cancelled.load(AtomicOrdering::Relaxed)
    }

    /// The source rows that match, in order; `None` when cancelled before the end.
    pub fn run(&self) -> Option<Vec<usize>> {
        let mut matcher = Matcher::new(Config::DEFAULT);
        let mut found = Vec::new();
        for (chunk, texts) in self.texts.chunks(1024).enumerate() {
            if self.is_cancelled() {
                return None;
            }
            let mut matches = matches_filter(&self.filter, &mut matcher);
            let start = chunk * 1024;
            found.extend(
                texts
                    .iter()
                    .enumerate()
                    .filter(|(_, t)| matches(t))
                    .map(|(i, _)| {
                        let i = start + i;
                        self.rows.as_ref().map_or(i, |rows| rows[i])
                    }),
            );
        }
        Some(found)
    }
}

impl fmt::Debug for Search {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Search")
            .field("generation", &self.generation)
            .field("filter", &self.filter)
            .field("rows", &self.texts.len())
            .finish()
    }
}

/// A search is known by its generation.
impl PartialEq for Search {
    fn eq(&self, other: &Self) -> bool {
        self.generation == other.generation
    }
}

impl Eq for Search {}

/// A search handed out and not answered yet.
#[derive(Debug, Clone)]
pub(super) struct Pending {
    pub(super) search: Arc<Search>,
    /// Whether it only narrows the previous matches (they keep their order).
    pub(super) narrowing: bool,
    /// How many source rows there were.
    pub(super) total: usize,
}

impl PartialEq for Pending {
    fn eq(&self, other: &Self) -> bool {
        self.search == other.search
    }
}

impl Eq for Pending {}

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
