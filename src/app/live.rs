//! Views that keep themselves current (k9s' live tables): every `ui.refresh_secs` the shell asks
//! the pane on screen to re-read what it shows, in the background, keeping the rows and the
//! selection until the answer replaces them. A view whose re-read would be expensive (every
//! account of the organisation, a scan of every user) is paused and says why; `r` still reloads it.
//!
//! Only the view on screen is refreshed, one re-read at a time: a view whose previous re-read is
//! still in flight is skipped, so a slow AWS never piles requests up.

use std::time::Duration;

/// How the view on screen keeps itself current.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Live {
    /// Re-read in the background every `ui.refresh_secs`.
    Auto,
    /// A running execution watched: polled at `workflows.poll_interval_ms` by its own watch.
    Watching,
    /// Not refreshed by itself, and why; `r` reloads it.
    Paused(&'static str),
}

/// When the next background re-read is due, counted in ticks of the app's clock.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refresher {
    /// Ticks between re-reads; 0: never (`ui.refresh_secs = 0`).
    every: u64,
    /// The tick of the last re-read (or of the last manual reload).
    last: u64,
    /// The configured interval, for the header.
    pub interval: Duration,
    /// Ring the terminal bell when a watched execution ends or a long change finishes
    /// (`ui.bell`).
    pub bell: bool,
}

impl Default for Refresher {
    fn default() -> Self {
        Refresher::new(DEFAULT_REFRESH, Duration::from_millis(250), true)
    }
}

/// `ui.refresh_secs` when the config says nothing.
pub const DEFAULT_REFRESH: Duration = Duration::from_secs(5);

/// A change that took at least this long rings the bell when it finishes.
pub const LONG_CHANGE: Duration = Duration::from_secs(10);

impl Refresher {
    /// Re-read every `interval` (zero: never) on a clock ticking every `tick`.
    pub fn new(interval: Duration, tick: Duration, bell: bool) -> Refresher {
        let tick_ms = tick.as_millis().max(1);
        let every = if interval.is_zero() {
            0
        } else {
            u64::try_from(interval.as_millis().div_ceil(tick_ms))
                .unwrap_or(u64::MAX)
                .max(1)
        };
        Refresher {
            every,
            last: 0,
            interval,
            bell,
        }
    }

    /// Whether live refresh is on at all.
    pub fn is_on(&self) -> bool {
        self.every > 0
    }

    /// Is a re-read due at `tick`? When it is, the next one is a full interval away.
    pub fn due(&mut self, tick: u64) -> bool {
        if self.every == 0 || tick.saturating_sub(self.last) < self.every {
            return false;
        }
        self.last = tick;
        true
    }

    /// The view was just loaded by hand (`r`, another view): the next re-read is a full
    /// interval away.
    pub fn restart(&mut self, tick: u64) {
        self.last = tick;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refresh_is_due_once_per_interval() {
        let mut r = Refresher::new(Duration::from_secs(5), Duration::from_millis(250), true);
        let due: Vec<u64> = (1..=60).filter(|&t| r.due(t)).collect();
        assert_eq!(due, vec![20, 40, 60]);
    }

    #[test]
    fn a_manual_reload_pushes_the_next_refresh_back() {
        let mut r = Refresher::new(Duration::from_secs(1), Duration::from_millis(250), true);
        r.restart(3);
        assert!(!r.due(4));
        assert!(!r.due(6));
        assert!(r.due(7));
    }

    #[test]
    fn zero_turns_refresh_off() {
        let mut r = Refresher::new(Duration::ZERO, Duration::from_millis(250), true);
        assert!(!r.is_on());
        assert!((0..1000).all(|t| !r.due(t)));
    }
}
