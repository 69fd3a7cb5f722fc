//! The order of a table's rows under a sort: what a row sorts by in a column ([`SortKey`]), and
//! the sort of every source row by one or more columns ([`Order`]), run at once for a small
//! table and as a [`super::job::TableJob`] off the UI thread for a large one.

use std::cmp::Ordering;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering as AtomicOrdering};

use chrono::{DateTime, Utc};

/// A sort of a table by one of its columns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sort {
    /// The column's index among the rows' headers ([`Rows::headers`]).
    pub column: usize,
    /// Its heading, for the title (`↑STATUS`).
    pub name: String,
    pub descending: bool,
}

impl Sort {
    /// `↑STATUS` (ascending) or `↓STATUS`.
    pub fn label(&self) -> String {
        format!("{}{}", if self.descending { '↓' } else { '↑' }, self.name)
    }
}

/// What a row is sorted by in one column: numbers, durations and times by value, text without
/// regard to case; empty cells first (last when descending).
#[derive(Debug, Clone, PartialEq)]
pub enum SortKey {
    Empty,
    Number(f64),
    Text(String),
}

impl SortKey {
    /// A cell as shown: a number when it reads as one, else its text.
    pub fn cell(text: &str) -> SortKey {
        let text = text.trim();
        if text.is_empty() {
            SortKey::Empty
        } else if let Ok(n) = text.parse::<f64>()
            && n.is_finite()
        {
            SortKey::Number(n)
        } else {
            SortKey::Text(text.to_lowercase())
        }
    }

    /// A time, by value.
    pub fn time(t: Option<DateTime<Utc>>) -> SortKey {
        t.map_or(SortKey::Empty, |t| {
            SortKey::Number(t.timestamp_millis() as f64)
        })
    }

    /// A count or a duration, by value.
    pub fn number(n: Option<i64>) -> SortKey {
        n.map_or(SortKey::Empty, |n| SortKey::Number(n as f64))
    }

    fn order(&self) -> u8 {
        match self {
            SortKey::Empty => 0,
            SortKey::Number(_) => 1,
            SortKey::Text(_) => 2,
        }
    }

    pub fn compare(&self, other: &SortKey) -> Ordering {
        match (self, other) {
            (SortKey::Number(a), SortKey::Number(b)) => a.total_cmp(b),
            (SortKey::Text(a), SortKey::Text(b)) => a.cmp(b),
            _ => self.order().cmp(&other.order()),
        }
    }
}

/// The sort of every source row of a table: the keys of each sorted column (the first decides,
/// the next breaks its ties, then the rows' own order).
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Order {
    levels: Vec<Level>,
}

#[derive(Debug, Clone, PartialEq)]
pub(super) struct Level {
    /// The column's key of every source row (kept by the table for the next sort while its rows
    /// stay the same).
    pub(super) keys: Arc<Vec<SortKey>>,
    pub(super) descending: bool,
}

impl Order {
    pub(super) fn new(levels: Vec<Level>) -> Order {
        Order { levels }
    }

    /// How many source rows it orders.
    pub(super) fn len(&self) -> usize {
        self.levels.first().map_or(0, |l| l.keys.len())
    }

    /// Every source row, in the sorted order (equal keys keep the rows' own order, in both
    /// directions); `None` when `cancelled` turned true first.
    pub(super) fn run(&self, cancelled: &AtomicBool) -> Option<Vec<u32>> {
        let n = u32::try_from(self.len()).unwrap_or(u32::MAX);
        let mut order: Vec<u32> = (0..n).collect();
        if cancelled.load(AtomicOrdering::Relaxed) {
            return None;
        }
        order.sort_by(|&a, &b| {
            for level in &self.levels {
                let o = level.keys[a as usize].compare(&level.keys[b as usize]);
                let o = if level.descending { o.reverse() } else { o };
                if o != Ordering::Equal {
                    return o;
                }
            }
            Ordering::Equal
        });
        (!cancelled.load(AtomicOrdering::Relaxed)).then_some(order)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_sort_by_value_text_without_case_and_empty_cells_first() {
        let mut keys = ["10", "9", "", "beta", "Alpha", "-1.5"].map(SortKey::cell);
        keys.sort_by(SortKey::compare);
        assert_eq!(
            keys,
            [
                SortKey::Empty,
                SortKey::Number(-1.5),
                SortKey::Number(9.0),
                SortKey::Number(10.0),
                SortKey::Text("alpha".into()),
                SortKey::Text("beta".into()),
            ]
        );
    }
}
