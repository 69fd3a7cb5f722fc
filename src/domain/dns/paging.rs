//! Paging ListResourceRecordSets by hand: its cursor is name + type + set identifier, it has no
//! generated paginator, and a misbehaving service (the emulator, inside weighted sets) can hand back
//! the same cursor forever. The pager de-duplicates record sets and refuses a cursor that does not
//! advance, so a listing always ends.

use std::collections::HashSet;
use std::collections::hash_map::RandomState;
use std::fmt;
use std::hash::BuildHasher;

use super::RecordSet;

/// Where the next page starts, exactly as Route53 sent it (raw, to be sent back unchanged).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordCursor {
    pub name: String,
    pub kind: String,
    pub identifier: Option<String>,
}

impl fmt::Display for RecordCursor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.name, self.kind)?;
        if let Some(id) = &self.identifier {
            write!(f, " (set identifier {id})")?;
        }
        Ok(())
    }
}

/// The listing stopped because the service kept answering without progress.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StuckCursor {
    pub page: usize,
    pub cursor: RecordCursor,
    /// True when the cursor changed but the page brought no record set not seen before.
    pub no_new_records: bool,
}

impl fmt::Display for StuckCursor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.no_new_records {
            write!(
                f,
                "record paging stopped at page {}: the page at {} held no record set not seen before; \
                 the listing is incomplete (the service is misbehaving: try again later)",
                self.page, self.cursor
            )
        } else {
            write!(
                f,
                "record paging stopped at page {}: the service returned the same cursor ({}) twice; \
                 the listing is incomplete (Route53 emulators do this inside weighted/failover sets)",
                self.page, self.cursor
            )
        }
    }
}

/// State of one zone's record listing.
///
/// A record set is known by a 64-bit fingerprint of its name, type and set identifier (hashed with
/// this pager's random keys), not by copies of them: a zone's listing holds 16 bytes per record
/// set instead of about 130 (8 MiB for the 50 zones of ten accounts read at once). Two record
/// sets of one zone sharing a fingerprint (one chance in 10^7 for a zone of a million record sets)
/// would drop the second from the listing; the random keys keep anyone from choosing names that
/// do so.
#[derive(Debug, Default)]
pub struct RecordPager {
    seen: HashSet<u64>,
    keys: RandomState,
    cursor: Option<RecordCursor>,
    pages: usize,
    done: bool,
}

impl RecordPager {
    pub fn new() -> Self {
        RecordPager::default()
    }

    /// Where the next request starts; `None` for the first page.
    pub fn cursor(&self) -> Option<&RecordCursor> {
        self.cursor.as_ref()
    }

    pub fn pages(&self) -> usize {
        self.pages
    }

    pub fn records(&self) -> usize {
        self.seen.len()
    }

    /// The last page was read.
    pub fn is_done(&self) -> bool {
        self.done
    }

    /// Take one page: its record sets and, when it was truncated, the cursor of the next page.
    /// Returns the record sets not seen before, or an error when the cursor does not advance.
    pub fn accept(
        &mut self,
        records: Vec<RecordSet>,
        next: Option<RecordCursor>,
    ) -> Result<Vec<RecordSet>, StuckCursor> {
        self.pages += 1;
        let fresh: Vec<RecordSet> = records
            .into_iter()
            .filter(|r| {
                let fingerprint =
                    self.keys
                        .hash_one((&r.name, &r.kind, r.set_identifier.as_deref()));
                self.seen.insert(fingerprint)
            })
            .collect();
        match next {
            None => self.done = true,
            Some(next) => {
                if self.cursor.as_ref() == Some(&next) {
                    self.done = true;
                    return Err(StuckCursor {
                        page: self.pages,
                        cursor: next,
                        no_new_records: false,
                    });
                }
                if fresh.is_empty() && self.pages > 1 {
                    self.done = true;
                    return Err(StuckCursor {
                        page: self.pages,
                        cursor: next,
                        no_new_records: true,
                    });
                }
                self.cursor = Some(next);
            }
        }
        Ok(fresh)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::dns::Routing;

    fn rec(name: &str, id: Option<&str>) -> RecordSet {
        RecordSet {
            name: name.into(),
            kind: "A".into(),
            ttl: Some(60),
            values: vec!["192.0.2.1".into()],
            alias: None,
            set_identifier: id.map(str::to_owned),
            routing: Routing::default(),
        }
    }

    fn cursor(name: &str, id: Option<&str>) -> RecordCursor {
        RecordCursor {
            name: name.into(),
            kind: "A".into(),
            identifier: id.map(str::to_owned),
        }
    }

    #[test]
    fn pages_follow_the_cursor_until_the_last_one() {
        let mut p = RecordPager::new();
        assert!(p.cursor().is_none());
        let got = p
            .accept(vec![rec("a", None)], Some(cursor("b.", None)))
            .unwrap();
        assert_eq!(got.len(), 1);
        assert_eq!(p.cursor(), Some(&cursor("b.", None)));
        assert!(!p.is_done());
        p.accept(vec![rec("b", None)], None).unwrap();
        assert!(p.is_done());
        assert_eq!((p.pages(), p.records()), (2, 2));
    }

    #[test]
    fn the_same_cursor_twice_stops_with_an_error_naming_it() {
        let mut p = RecordPager::new();
        p.accept(vec![rec("w", Some("1"))], Some(cursor("w.", None)))
            .unwrap();
        let err = p
            .accept(vec![rec("w", Some("1"))], Some(cursor("w.", None)))
            .unwrap_err();
        assert!(!err.no_new_records);
        assert_eq!(err.page, 2);
        assert!(err.to_string().contains("same cursor (w. A)"), "{err}");
        assert!(p.is_done());
    }

    #[test]
    fn a_moving_cursor_with_only_known_records_also_stops() {
        let mut p = RecordPager::new();
        p.accept(vec![rec("a", None)], Some(cursor("b.", None)))
            .unwrap();
        let err = p
            .accept(vec![rec("a", None)], Some(cursor("c.", None)))
            .unwrap_err();
        assert!(err.no_new_records);
    }

    #[test]
    fn record_sets_seen_on_an_earlier_page_are_dropped() {
        let mut p = RecordPager::new();
        p.accept(
            vec![rec("w", Some("1")), rec("w", Some("2"))],
            Some(cursor("w.", Some("3"))),
        )
        .unwrap();
        let got = p
            .accept(vec![rec("w", Some("2")), rec("w", Some("3"))], None)
            .unwrap();
        assert_eq!(got, vec![rec("w", Some("3"))]);
        assert_eq!(p.records(), 3);
    }
}
