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

/// A search of a table's rows, to run off the UI thread as a [`super::job::TableJob`]: the
/// filter, a snapshot of the texts to search and which source rows they are.
pub(super) struct Search {
    pub(super) filter: String,
    /// The texts searched; `rows[i]` is the source row of `texts[i]` (`None`: `i` itself).
    texts: Vec<Arc<str>>,
    rows: Option<Vec<usize>>,
}

impl Search {
    pub(super) fn new(filter: String, texts: Vec<Arc<str>>, rows: Option<Vec<usize>>) -> Search {
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
        for (chunk, texts) in self.texts.chunks(1024).enumerate() {
            if cancelled.load(AtomicOrdering::Relaxed) {
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
