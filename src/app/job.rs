//! Work on a table too large to do on the UI thread: the `/` filter's search and the sort's
//! ordering of more than [`super::search::ON_UI_ROWS`] rows. A [`TableJob`] holds a snapshot of
//! what it needs (never a borrow of the rows), so the runtime runs it on a blocking thread
//! (`Effect::TableJob`) and answers `Msg::TableJobDone`; the table that handed it out takes the
//! answer only if it still waits for that generation.

use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering as AtomicOrdering};

use super::order::Order;
use super::search::Search;

/// Generations of table jobs, unique in the process (an answer names the job it answers).
static GENERATION: AtomicU64 = AtomicU64::new(1);

/// One search or sort of a table's rows, to run off the UI thread. [`TableJob::run`] gives its
/// answer, or `None` once a newer job of the same table superseded it (it stops early then).
pub struct TableJob {
    generation: u64,
    work: Work,
    cancelled: AtomicBool,
}

pub(super) enum Work {
    Search(Search),
    Order(Order),
}

/// What a table job found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JobAnswer {
    /// A search's matching source rows, in order.
    Found(Vec<usize>),
    /// A sort's order: every source row, in the sorted order.
    Ordered(Vec<u32>),
}

impl TableJob {
    pub(super) fn new(work: Work) -> Arc<TableJob> {
        Arc::new(TableJob {
            generation: GENERATION.fetch_add(1, AtomicOrdering::Relaxed),
            work,
            cancelled: AtomicBool::new(false),
        })
    }

    pub fn generation(&self) -> u64 {
        self.generation
    }

    pub(super) fn cancel(&self) {
        self.cancelled.store(true, AtomicOrdering::Relaxed);
    }

    /// Whether a newer job of the same table took this one's place.
    pub fn is_cancelled(&self) -> bool {
        self.cancelled.load(AtomicOrdering::Relaxed)
    }

    /// Whether it is a sort (else a search).
    pub fn is_order(&self) -> bool {
        matches!(self.work, Work::Order(_))
    }

    /// Do the work; `None` when cancelled before the end.
    pub fn run(&self) -> Option<JobAnswer> {
        match &self.work {
            Work::Search(search) => search.run(&self.cancelled).map(JobAnswer::Found),
            Work::Order(order) => order.run(&self.cancelled).map(JobAnswer::Ordered),
        }
    }
}

impl fmt::Debug for TableJob {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("TableJob");
        d.field("generation", &self.generation);
        match &self.work {
            Work::Search(s) => d.field("filter", &s.filter).field("rows", &s.len()),
            Work::Order(o) => d.field("order", &o.len()),
        };
        d.finish()
    }
}

/// A job is known by its generation.
impl PartialEq for TableJob {
    fn eq(&self, other: &Self) -> bool {
        self.generation == other.generation
    }
}

impl Eq for TableJob {}
