//! Watching an execution without refetching its history: which GetExecutionHistory requests to
//! send for the events that are new since the last poll, and how long to wait between polls.
//!
//! With AWS semantics, `reverseOrder=true` returns the newest events first and `nextToken` goes
//! further back in time. So a poll asks for the newest page and stops paging as soon as a page
//! reaches an event it already has: a poll with nothing new costs one small request. Every event
//! is kept once by id, so a server that ignores paging and order (the emulator returns the whole
//! history oldest first every time) gives the same result.

use std::collections::HashSet;
use std::time::Duration;

use super::Event;

/// The most events a watch poll asks for at first; a poll that finds more follows the token with
/// pages four times larger.
pub const WATCH_PAGE_SIZE: i32 = 100;
/// Events per request when reading a whole history (the API's maximum).
pub const FULL_PAGE_SIZE: i32 = 1000;

/// One GetExecutionHistory request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryRequest {
    pub reverse_order: bool,
    pub max_results: i32,
    pub next_token: Option<String>,
}

/// One GetExecutionHistory response.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct HistoryPage {
    pub events: Vec<Event>,
    pub next_token: Option<String>,
}

/// The paging of one poll: the events newer than `known_max`, collected page by page.
#[derive(Debug)]
pub struct NewEvents {
    known_max: i64,
    page_size: i32,
    collected: Vec<Event>,
    seen: HashSet<i64>,
    /// Requests sent so far in this poll.
    pub requests: u32,
    /// Events received so far in this poll, new or not.
    pub received: usize,
}

impl NewEvents {
    /// A poll for what follows event `known_max` (0: the whole history).
    pub fn after(known_max: i64, page_size: i32) -> NewEvents {
        NewEvents {
            known_max,
            page_size,
            collected: Vec::new(),
            seen: HashSet::new(),
            requests: 0,
            received: 0,
        }
    }

    pub fn first_request(&self) -> HistoryRequest {
        HistoryRequest {
            reverse_order: true,
            max_results: self.page_size,
            next_token: None,
        }
    }

    /// Take a page; the next request to send, or `None` when the poll is complete.
    pub fn on_page(&mut self, page: HistoryPage) -> Option<HistoryRequest> {
        self.requests += 1;
        self.received += page.events.len();
        let mut reached_known = false;
        for event in page.events {
            if event.id <= self.known_max {
                reached_known = true;
            } else if self.seen.insert(event.id) {
                self.collected.push(event);
            }
        }
        match page.next_token {
            Some(token) if !reached_known => {
                // More is new than this page held: larger pages for the rest of the poll.
                self.page_size = (self.page_size.saturating_mul(4)).min(FULL_PAGE_SIZE);
                Some(HistoryRequest {
                    reverse_order: true,
                    max_results: self.page_size,
                    next_token: Some(token),
                })
            }
            _ => None,
        }
    }

    /// The new events, oldest first.
    pub fn finish(mut self) -> Vec<Event> {
        self.collected.sort_by_key(|e| e.id);
        self.collected
    }

    /// The new events with what the poll cost.
    pub fn finish_counted(self) -> Fetched {
        let (requests, received) = (self.requests, self.received);
        Fetched {
            events: self.finish(),
            requests,
            received,
        }
    }
}

/// What one incremental read fetched, and what it cost.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fetched {
    /// Events after the known one, oldest first, each once.
    pub events: Vec<Event>,
    pub requests: u32,
    /// Events received, new or not.
    pub received: usize,
}

/// The page size of the next poll: a little more than the last poll found, so a quiet poll asks
/// for one event and a busy one rarely needs a second request; at most [`WATCH_PAGE_SIZE`].
pub fn next_page_size(last_new: usize) -> i32 {
    let wanted = last_new.saturating_add(last_new / 2).saturating_add(1);
    i32::try_from(wanted)
        .unwrap_or(i32::MAX)
        .clamp(1, WATCH_PAGE_SIZE)
}

/// The events of a watched execution so far, each once.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EventLog {
    events: Vec<Event>,
}

impl EventLog {
    /// The highest event id held (0 when empty): the next poll asks for what follows it.
    pub fn last_id(&self) -> i64 {
        self.events.last().map_or(0, |e| e.id)
    }

    pub fn events(&self) -> &[Event] {
        &self.events
    }

    /// Append new events (ids above [`EventLog::last_id`], oldest first); the number appended.
    pub fn extend(&mut self, new: Vec<Event>) -> usize {
        let before = self.events.len();
        for event in new {
            if event.id > self.last_id() {
                self.events.push(event);
            }
        }
        self.events.len() - before
    }
}

/// How long to wait before the next poll: the configured interval while events arrive, slower
/// while nothing changes, and backing off further when AWS throttles or a poll fails.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PollSchedule {
    base: Duration,
    current: Duration,
    /// Polls failed in a row (throttled or another transient failure) since the last answer.
    failed: u32,
}

/// Quiet polls slow down to this many times the interval.
const IDLE_FACTOR: u32 = 5;
/// Throttled polls back off up to this.
const MAX_BACKOFF: Duration = Duration::from_secs(60);
/// The shortest interval a schedule polls at, whatever it is given (the config and `sfn watch
/// --interval-ms` refuse less): with an interval of zero, quiet polls and throttled polls would
/// follow each other without any wait.
pub const MIN_POLL_INTERVAL: Duration = Duration::from_millis(200);
/// How long one poll (all its pages, the SDK's retries included) may take before it counts as a
/// failed poll. Each call of a poll is bounded by the `[aws]` timeouts too; this bounds the poll as
/// a whole (a history of many pages, each answering slowly).
pub const POLL_TIMEOUT: Duration = Duration::from_secs(120);
/// A watch that fails this many polls in a row gives up: with the waits doubling from twice the
/// interval up to a minute, about 5 minutes at the default interval of 1 s (2.7 minutes at the
/// shortest, 200 ms), plus the SDK's own retries of each poll.
pub const MAX_FAILED_POLLS: u32 = 10;

impl PollSchedule {
    pub fn new(base: Duration) -> PollSchedule {
        let base = base.max(MIN_POLL_INTERVAL);
        PollSchedule {
            base,
            current: base,
            failed: 0,
        }
    }

    pub fn delay(&self) -> Duration {
        self.current
    }

    /// Polls failed in a row since the last answer.
    pub fn failed_polls(&self) -> u32 {
        self.failed
    }

    /// Whether a watcher that stops on its own should give up now ([`MAX_FAILED_POLLS`]).
    pub fn exhausted(&self) -> bool {
        self.failed >= MAX_FAILED_POLLS
    }

    /// Something new arrived: back to the configured interval.
    pub fn active(&mut self) -> Duration {
        self.failed = 0;
        self.current = self.base;
        self.current
    }

    /// Nothing new: wait half as long again, up to five times the interval.
    pub fn idle(&mut self) -> Duration {
        self.failed = 0;
        let slower = self.current + self.current / 2;
        self.current = slower.min(self.base * IDLE_FACTOR).max(self.base);
        self.current
    }

    /// Throttled (or another transient failure): double the wait, up to a minute.
    pub fn throttled(&mut self) -> Duration {
        self.failed = self.failed.saturating_add(1);
        self.current = (self.current * 2).max(self.base * 2).min(MAX_BACKOFF);
        self.current
    }
}

/// Whether `sfn watch` prints the event: state transitions, failures, and the execution's end.
pub fn is_transition(event: &Event) -> bool {
    let kind = event.kind.as_str();
    event.is_state_entered()
        || event.is_state_exited()
        || kind.starts_with("Execution")
        || kind.ends_with("Failed")
        || kind.ends_with("TimedOut")
        || kind.ends_with("Aborted")
        || kind.starts_with("MapIteration")
}

/// GetExecutionHistory's paging as AWS defines it — order by `reverse_order`, pages of
/// `max_results`, an opaque token to the next page — over a known history. The reference the
/// watcher is tested and measured against (the emulator ignores all three).
pub fn paged_like_aws(all: &[Event], request: &HistoryRequest) -> HistoryPage {
    let n = all.len();
    let start: usize = request
        .next_token
        .as_deref()
        .and_then(|t| t.parse().ok())
        .unwrap_or(0)
        .min(n);
    let size = usize::try_from(request.max_results.max(1)).unwrap_or(1);
    let end = (start + size).min(n);
    let events = if request.reverse_order {
        all[n - end..n - start].iter().rev().cloned().collect()
    } else {
        all[start..end].to_vec()
    };
    HistoryPage {
        events,
        next_token: (end < n).then(|| end.to_string()),
    }
}

/// What watching one execution cost.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WatchCost {
    pub polls: u32,
    pub requests: u32,
    /// Events transferred, new or not.
    pub events: usize,
}

/// How a watcher reads the history at each poll.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Strategy {
    /// Newest first, stopping at known events ([`NewEvents`]).
    Incremental,
    /// The whole history again, in pages of 1,000.
    Refetch,
}

/// Watch `history` for `length`, its events appearing evenly over `length`, polling with
/// [`PollSchedule`] from `interval`, against AWS's paging semantics: what it costs.
pub fn simulate_watch(
    history: &[Event],
    length: Duration,
    interval: Duration,
    strategy: Strategy,
) -> WatchCost {
    let mut schedule = PollSchedule::new(interval);
    let mut cost = WatchCost {
        polls: 0,
        requests: 0,
        events: 0,
    };
    let mut known = 0i64;
    let mut page = FULL_PAGE_SIZE;
    let mut now = Duration::ZERO;
    while now <= length {
        let visible = ((now.as_secs_f64() / length.as_secs_f64()) * history.len() as f64) as usize;
        let visible = &history[..visible.min(history.len()).max(1)];
        cost.polls += 1;
        let before = known;
        match strategy {
            Strategy::Incremental => {
                let mut fetch = NewEvents::after(known, page);
                let mut request = Some(fetch.first_request());
                while let Some(r) = request {
                    request = fetch.on_page(paged_like_aws(visible, &r));
                }
                cost.requests += fetch.requests;
                cost.events += fetch.received;
                let new = fetch.finish();
                page = next_page_size(new.len());
                if let Some(last) = new.last() {
                    known = last.id;
                }
            }
            Strategy::Refetch => {
                let mut request = Some(HistoryRequest {
                    reverse_order: false,
                    max_results: FULL_PAGE_SIZE,
                    next_token: None,
                });
                while let Some(r) = request {
                    let page = paged_like_aws(visible, &r);
                    cost.requests += 1;
                    cost.events += page.events.len();
                    known = known.max(page.events.last().map_or(0, |e| e.id));
                    request = page.next_token.map(|t| HistoryRequest {
                        next_token: Some(t),
                        ..r
                    });
                }
            }
        }
        now += if known > before {
            schedule.active()
        } else {
            schedule.idle()
        };
    }
    cost
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::workflows::timeline::fixtures::busy_history;

    fn aws_page(all: &[Event], request: &HistoryRequest) -> HistoryPage {
        paged_like_aws(all, request)
    }

    fn poll(all: &[Event], known: i64, page: i32) -> (Vec<Event>, u32, usize) {
        let mut fetch = NewEvents::after(known, page);
        let mut request = Some(fetch.first_request());
        while let Some(r) = request {
            request = fetch.on_page(aws_page(all, &r));
        }
        let (requests, received) = (fetch.requests, fetch.received);
        (fetch.finish(), requests, received)
    }

    #[test]
    fn a_poll_with_nothing_new_costs_one_small_request() {
        let all = busy_history(500);
        let last = all.last().unwrap().id;
        let (new, requests, received) = poll(&all, last, WATCH_PAGE_SIZE);
        assert!(new.is_empty());
        assert_eq!(requests, 1);
        assert_eq!(received, WATCH_PAGE_SIZE as usize);
    }

    #[test]
    fn a_poll_fetches_only_the_new_events_oldest_first() {
        let all = busy_history(500);
        let (new, requests, _) = poll(&all, 480, WATCH_PAGE_SIZE);
        let ids: Vec<i64> = new.iter().map(|e| e.id).collect();
        assert_eq!(ids, (481..=all.len() as i64).collect::<Vec<_>>());
        assert_eq!(requests, 1);
    }

    #[test]
    fn more_new_events_than_a_page_follow_the_token_until_known_events() {
        let all = busy_history(500);
        let (new, requests, received) = poll(&all, 250, WATCH_PAGE_SIZE);
        assert_eq!(new.len(), all.len() - 250);
        // 100 newest, then a page four times larger that reaches the known events.
        assert_eq!(requests, 2);
        assert_eq!(received, all.len().min(500));
    }

    #[test]
    fn the_first_poll_reads_the_whole_history_in_full_pages() {
        let all = busy_history(2_500);
        let (new, requests, received) = poll(&all, 0, FULL_PAGE_SIZE);
        assert_eq!(new.len(), all.len());
        assert_eq!(requests, 3);
        assert_eq!(received, all.len());
    }

    #[test]
    fn a_server_ignoring_paging_and_order_still_gives_each_event_once() {
        // The emulator: every page is the whole history, oldest first, with no token.
        let all = busy_history(300);
        let mut log = EventLog::default();
        for known_cut in [0usize, 120, all.len()] {
            let visible = &all[..known_cut.max(1)];
            let mut fetch = NewEvents::after(log.last_id(), WATCH_PAGE_SIZE);
            let next = fetch.on_page(HistoryPage {
                events: visible.to_vec(),
                next_token: None,
            });
            assert_eq!(next, None);
            log.extend(fetch.finish());
        }
        let ids: Vec<i64> = log.events().iter().map(|e| e.id).collect();
        assert_eq!(ids, (1..=all.len() as i64).collect::<Vec<_>>());
    }

    #[test]
    fn duplicate_events_in_one_response_are_kept_once() {
        let all = busy_history(50);
        let mut doubled = all.clone();
        doubled.extend(all.iter().cloned());
        let mut fetch = NewEvents::after(0, FULL_PAGE_SIZE);
        fetch.on_page(HistoryPage {
            events: doubled,
            next_token: None,
        });
        assert_eq!(fetch.finish().len(), all.len());
    }

    #[test]
    fn polls_slow_down_when_quiet_and_reset_when_events_arrive() {
        let base = Duration::from_secs(1);
        let mut s = PollSchedule::new(base);
        let quiet: Vec<Duration> = (0..6).map(|_| s.idle()).collect();
        assert!(quiet.windows(2).all(|w| w[0] <= w[1]));
        assert_eq!(*quiet.last().unwrap(), base * 5);
        assert_eq!(s.active(), base);
    }

    #[test]
    fn throttling_backs_off_to_a_minute_at_most() {
        let mut s = PollSchedule::new(Duration::from_secs(1));
        assert_eq!(s.throttled(), Duration::from_secs(2));
        assert_eq!(s.throttled(), Duration::from_secs(4));
        for _ in 0..10 {
            s.throttled();
        }
        assert_eq!(s.delay(), Duration::from_secs(60));
        assert_eq!(s.active(), Duration::from_secs(1));
    }

    #[test]
    fn an_interval_of_zero_still_waits_between_polls() {
        let mut s = PollSchedule::new(Duration::ZERO);
        assert_eq!(s.delay(), MIN_POLL_INTERVAL);
        assert_eq!(s.idle(), MIN_POLL_INTERVAL * 3 / 2);
        assert_eq!(s.active(), MIN_POLL_INTERVAL);
        assert_eq!(s.throttled(), MIN_POLL_INTERVAL * 2);
        assert_eq!(s.throttled(), MIN_POLL_INTERVAL * 4);
    }

    #[test]
    fn failed_polls_count_until_an_answer_and_exhaust_after_the_limit() {
        let mut s = PollSchedule::new(Duration::from_secs(1));
        let waits: Vec<Duration> = (0..MAX_FAILED_POLLS).map(|_| s.throttled()).collect();
        assert!(s.exhausted());
        assert_eq!(s.failed_polls(), MAX_FAILED_POLLS);
        // What giving up costs at the default interval: the waits before the last poll.
        let before_giving_up: Duration = waits[..waits.len() - 1].iter().sum();
        assert_eq!(
            before_giving_up,
            Duration::from_secs(2 + 4 + 8 + 16 + 32 + 60 * 4)
        );
        s.idle();
        assert_eq!((s.failed_polls(), s.exhausted()), (0, false));
        s.throttled();
        s.active();
        assert_eq!(s.failed_polls(), 0);
    }

    #[test]
    fn reverse_pages_go_from_the_newest_back_to_the_oldest() {
        let all = busy_history(250);
        let request = |token: Option<String>| HistoryRequest {
            reverse_order: true,
            max_results: 100,
            next_token: token,
        };
        let first = paged_like_aws(&all, &request(None));
        assert_eq!(first.events[0].id, all.len() as i64);
        let last = paged_like_aws(&all, &request(first.next_token.clone()));
        let last = paged_like_aws(&all, &request(last.next_token));
        assert_eq!(last.events.last().unwrap().id, 1);
        assert_eq!(last.next_token, None);
    }

    #[test]
    fn page_sizes_follow_what_the_last_poll_found() {
        assert_eq!(next_page_size(0), 1);
        assert_eq!(next_page_size(10), 16);
        assert_eq!(next_page_size(5_000), WATCH_PAGE_SIZE);
    }

    #[test]
    fn a_ten_minute_watch_costs_a_fraction_of_refetching() {
        let history = busy_history(24_000);
        let ten_minutes = Duration::from_secs(600);
        let second = Duration::from_secs(1);
        let watch = simulate_watch(&history, ten_minutes, second, Strategy::Incremental);
        let refetch = simulate_watch(&history, ten_minutes, second, Strategy::Refetch);
        assert_eq!(watch.polls, refetch.polls);
        // One request per poll, plus the first full read: no page twice.
        assert!(watch.requests <= watch.polls + 24, "{watch:?}");
        // Each event about once (plus the one known event each quiet poll's page ends on).
        assert!(
            watch.events <= history.len() + watch.polls as usize * 100,
            "{watch:?}"
        );
        assert!(
            refetch.requests > 10 * watch.requests,
            "{refetch:?} vs {watch:?}"
        );
        assert!(refetch.events > 100 * history.len(), "{refetch:?}");
    }

    #[test]
    fn transitions_are_state_changes_failures_and_the_end() {
        let all = busy_history(30);
        let kinds: Vec<&str> = all
            .iter()
            .filter(|e| is_transition(e))
            .map(|e| e.kind.as_str())
            .collect();
        assert!(kinds.contains(&"TaskFailed"));
        assert!(kinds.contains(&"ExecutionStarted"));
        assert!(!kinds.contains(&"TaskScheduled"));
    }
}
