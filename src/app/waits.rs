//! How long a request has been waited for, from the tick (the app core has no clock): the tick at
//! which each request id was issued, so a view can say "waiting 12 s for STS…" instead of turning
//! its spinner for ever.

use std::collections::VecDeque;
use std::time::Duration;

use super::loadable::RequestId;

/// A wait shorter than this is not worth a word: the spinner says enough.
pub const SLOW_AFTER: Duration = Duration::from_secs(3);

/// Entries kept: far more than the requests that can be pending at once.
const KEPT: usize = 1024;

/// When request ids were issued: `(highest id issued, tick)`, oldest first. Ids only grow, so the
/// first entry whose id is at least a request's own tells when that request was made.
#[derive(Debug, Clone)]
pub struct Waits {
    issued: VecDeque<(u64, u64)>,
    /// The interval of one tick (`ui.tick_ms`).
    pub tick: Duration,
}

impl Default for Waits {
    fn default() -> Self {
        Waits {
            issued: VecDeque::new(),
            tick: Duration::from_millis(250),
        }
    }
}

impl Waits {
    /// Ids up to `next_request` (the highest issued so far) were issued at `tick` if not before.
    pub fn note(&mut self, next_request: u64, tick: u64) {
        if self
            .issued
            .back()
            .is_some_and(|&(id, _)| id >= next_request)
        {
            return;
        }
        self.issued.push_back((next_request, tick));
        if self.issued.len() > KEPT {
            self.issued.pop_front();
        }
    }

    /// How long `request` has been waited for at `tick`; `None` for a request too old to know.
    pub fn waited(&self, request: RequestId, tick: u64) -> Option<Duration> {
        let &(_, issued) = self.issued.iter().find(|&&(id, _)| id >= request.0)?;
        let ticks = u32::try_from(tick.saturating_sub(issued)).unwrap_or(u32::MAX);
        Some(self.tick.saturating_mul(ticks))
    }

    /// Whole seconds waited for `request`, once the wait is slow ([`SLOW_AFTER`]).
    pub fn slow(&self, request: RequestId, tick: u64) -> Option<u64> {
        self.waited(request, tick)
            .filter(|w| *w >= SLOW_AFTER)
            .map(|w| w.as_secs())
    }
}
