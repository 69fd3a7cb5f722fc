//! The record sets of one zone as the inventory keeps them: packed, for organisations of hundreds
//! of thousands of records.
//!
//! A [`RecordSet`] is some 300 bytes inline plus an allocation per string and value (about 480
//! bytes for an `A` record). A zone's records are kept here in pages instead (one per page Route53
//! answered), each page one text with every name and value in it and 20 bytes a record pointing
//! into it: the type as an index into the known types, the TTL as a `u32`. What few records have
//! beyond that (an alias target, a set identifier, a routing policy other than simple) is kept
//! beside the page; a record that does not fit the packed shape at all (an unknown type, a TTL
//! beyond `u32`, a value holding the separator) is kept whole. Every record reads back exactly as
//! it was given ([`RecordView::to_record_set`]).
//!
//! Pages are shared (`Arc`) and never change once made, so a search on another thread can read a
//! snapshot of a zone's records without copying them.

use std::fmt;
use std::sync::{Arc, LazyLock};

use super::{AliasTarget, RecordSet, Routing};

/// The record types Route53 has, by index (what a packed record stores).
const KINDS: &[&str] = &[
    "A", "AAAA", "CAA", "CNAME", "DS", "HTTPS", "MX", "NAPTR", "NS", "PTR", "SOA", "SPF", "SRV",
    "SSHFP", "SVCB", "TLSA", "TXT",
];
/// No TTL (alias records).
const NO_TTL: u32 = u32::MAX;
/// No extra parts.
const NO_EXTRA: u32 = u32::MAX;
/// Between two values in a page's text: XML, and so Route53, cannot carry it.
const SEPARATOR: char = '\0';

/// The routing of a simple record, which packed records have.
static SIMPLE: LazyLock<Routing> = LazyLock::new(|| Routing {
    policy: "simple".to_owned(),
    ..Routing::default()
});

/// One record in a page: the name at `at` in the page's text, its values right after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Packed {
    at: u32,
    values_len: u32,
    ttl: u32,
    /// Index into the page's extras, or [`NO_EXTRA`].
    extra: u32,
    name_len: u16,
    /// Index into [`KINDS`] (unused for a record kept whole).
    kind: u8,
}

/// What a packed record has beyond its name, type, TTL and values; or the record whole.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Extra {
    Parts {
        alias: Option<AliasTarget>,
        set_identifier: Option<String>,
        routing: Routing,
    },
    Whole(RecordSet),
}

/// One page of a zone's record sets, packed. Never changes once made.
#[derive(Debug, PartialEq, Eq)]
struct RecordPage {
    text: Box<str>,
    records: Box<[Packed]>,
    extras: Box<[Extra]>,
}

impl RecordPage {
    fn new(records: Vec<RecordSet>) -> RecordPage {
        let packable = |r: &RecordSet| {
            KINDS.contains(&r.kind.as_str())
                && r.ttl.is_none_or(|t| (0..i64::from(NO_TTL)).contains(&t))
                && u16::try_from(r.name.len()).is_ok()
                && !r.name.contains(SEPARATOR)
                && r.values
                    .iter()
                    .all(|v| !v.is_empty() && !v.contains(SEPARATOR))
        };
        let size: usize = records
            .iter()
            .filter(|r| packable(r))
            .map(|r| r.name.len() + r.values.iter().map(|v| v.len() + 1).sum::<usize>())
            .sum();
        let mut text = String::with_capacity(size);
        let mut packed = Vec::with_capacity(records.len());
        let mut extras = Vec::new();
        for r in records {
            let at = text.len();
            if !packable(&r) || u32::try_from(size).is_err() {
                packed.push(Packed {
                    at: 0,
                    values_len: 0,
                    ttl: NO_TTL,
                    extra: extras.len() as u32,
                    name_len: 0,
                    kind: 0,
                });
                extras.push(Extra::Whole(r));
                continue;
            }
            text.push_str(&r.name);
            for (i, v) in r.values.iter().enumerate() {
                if i > 0 {
                    text.push(SEPARATOR);
                }
                text.push_str(v);
            }
            let extra = if r.alias.is_none() && r.set_identifier.is_none() && r.routing == *SIMPLE {
                NO_EXTRA
            } else {
                extras.push(Extra::Parts {
                    alias: r.alias,
                    set_identifier: r.set_identifier,
                    routing: r.routing,
                });
                (extras.len() - 1) as u32
            };
            packed.push(Packed {
                at: at as u32,
                values_len: (text.len() - at - r.name.len()) as u32,
                ttl: r.ttl.map_or(NO_TTL, |t| t as u32),
                extra,
                name_len: r.name.len() as u16,
                kind: KINDS.iter().position(|k| *k == r.kind).unwrap_or(0) as u8,
            });
        }
        RecordPage {
            text: text.into_boxed_str(),
            records: packed.into_boxed_slice(),
            extras: extras.into_boxed_slice(),
        }
    }

    fn len(&self) -> usize {
        self.records.len()
    }

    fn get(&self, i: usize) -> Option<RecordView<'_>> {
        Some(RecordView {
            page: self,
            packed: self.records.get(i)?,
        })
    }
}

/// One record set of a store, read in place.
#[derive(Clone, Copy)]
pub struct RecordView<'a> {
    page: &'a RecordPage,
    packed: &'a Packed,
}

impl<'a> RecordView<'a> {
    fn extra(&self) -> Option<&'a Extra> {
        self.page.extras.get(self.packed.extra as usize)
    }

    fn whole(&self) -> Option<&'a RecordSet> {
        match self.extra() {
            Some(Extra::Whole(r)) => Some(r),
            _ => None,
        }
    }

    fn parts(&self) -> Option<(Option<&'a AliasTarget>, Option<&'a str>, &'a Routing)> {
        match self.extra()? {
            Extra::Parts {
                alias,
                set_identifier,
                routing,
            } => Some((alias.as_ref(), set_identifier.as_deref(), routing)),
            Extra::Whole(r) => Some((r.alias.as_ref(), r.set_identifier.as_deref(), &r.routing)),
        }
    }

    /// Lower case, without the trailing dot (see [`RecordSet::name`]).
    pub fn name(&self) -> &'a str {
        if let Some(r) = self.whole() {
            return &r.name;
        }
        let at = self.packed.at as usize;
        &self.page.text[at..at + usize::from(self.packed.name_len)]
    }

    pub fn kind(&self) -> &'a str {
        match self.whole() {
            Some(r) => &r.kind,
            None => KINDS[usize::from(self.packed.kind)],
        }
    }

    /// `None` for alias records.
    pub fn ttl(&self) -> Option<i64> {
        match self.whole() {
            Some(r) => r.ttl,
            None => (self.packed.ttl != NO_TTL).then_some(i64::from(self.packed.ttl)),
        }
    }

    pub fn values(&self) -> Values<'a> {
        if let Some(r) = self.whole() {
            return Values::Whole(r.values.iter());
        }
        let start = self.packed.at as usize + usize::from(self.packed.name_len);
        let text = &self.page.text[start..start + self.packed.values_len as usize];
        if text.is_empty() {
            Values::None
        } else {
            Values::Packed(text.split(SEPARATOR))
        }
    }

    pub fn alias(&self) -> Option<&'a AliasTarget> {
        self.parts().and_then(|(alias, ..)| alias)
    }

    pub fn set_identifier(&self) -> Option<&'a str> {
        self.parts().and_then(|(_, id, _)| id)
    }

    pub fn routing(&self) -> &'a Routing {
        self.parts().map_or(&SIMPLE, |(.., routing)| routing)
    }

    /// The record set as the rest of opsdeck takes it (plans, output), exactly as it was stored.
    pub fn to_record_set(&self) -> RecordSet {
        if let Some(r) = self.whole() {
            return r.clone();
        }
        RecordSet {
            name: self.name().to_owned(),
            kind: self.kind().to_owned(),
            ttl: self.ttl(),
            values: self.values().map(str::to_owned).collect(),
            alias: self.alias().cloned(),
            set_identifier: self.set_identifier().map(str::to_owned),
            routing: self.routing().clone(),
        }
    }

    /// Values or the alias target, as one line for tables (as [`RecordSet::data_text`]).
    pub fn data_text(&self) -> String {
        super::data_text(self.alias(), self.values())
    }

    /// The routing policy and its parameters, as one line (as [`RecordSet::routing_text`]).
    pub fn routing_text(&self) -> String {
        super::routing_text(self.routing(), self.set_identifier())
    }
}

impl fmt::Debug for RecordView<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.to_record_set().fmt(f)
    }
}

impl PartialEq for RecordView<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.name() == other.name()
            && self.kind() == other.kind()
            && self.ttl() == other.ttl()
            && self.values().eq(other.values())
            && self.alias() == other.alias()
            && self.set_identifier() == other.set_identifier()
            && self.routing() == other.routing()
    }
}

impl PartialEq<RecordSet> for RecordView<'_> {
    fn eq(&self, other: &RecordSet) -> bool {
        self.to_record_set() == *other
    }
}

/// The values of a record set, in order.
pub enum Values<'a> {
    None,
    Packed(std::str::Split<'a, char>),
    Whole(std::slice::Iter<'a, String>),
}

impl<'a> Iterator for Values<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        match self {
            Values::None => None,
            Values::Packed(split) => split.next(),
            Values::Whole(values) => values.next().map(String::as_str),
        }
    }
}

/// A zone's record sets, in the order they were added, packed in shared pages.
#[derive(Debug, Clone, Default)]
pub struct RecordStore {
    pages: Vec<Arc<RecordPage>>,
    /// The index of each page's first record.
    starts: Vec<usize>,
    len: usize,
}

impl RecordStore {
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Add one page of record sets after the others.
    pub fn push(&mut self, records: Vec<RecordSet>) {
        if records.is_empty() {
            return;
        }
        let page = RecordPage::new(records);
        self.starts.push(self.len);
        self.len += page.len();
        self.pages.push(Arc::new(page));
    }

    pub fn get(&self, i: usize) -> Option<RecordView<'_>> {
        let page = self.starts.partition_point(|&s| s <= i).checked_sub(1)?;
        self.pages[page].get(i - self.starts[page])
    }

    pub fn iter(&self) -> impl Iterator<Item = RecordView<'_>> + '_ {
        self.pages
            .iter()
            .flat_map(|p| (0..p.len()).filter_map(move |i| p.get(i)))
    }

    /// How many pages the records came in (a clone of the store shares them: what a search on
    /// another thread reads).
    pub fn page_count(&self) -> usize {
        self.pages.len()
    }
}

impl From<Vec<RecordSet>> for RecordStore {
    fn from(records: Vec<RecordSet>) -> RecordStore {
        let mut store = RecordStore::default();
        store.push(records);
        store
    }
}

impl FromIterator<RecordSet> for RecordStore {
    fn from_iter<I: IntoIterator<Item = RecordSet>>(records: I) -> RecordStore {
        RecordStore::from(records.into_iter().collect::<Vec<_>>())
    }
}

/// Two stores are equal when they hold the same record sets in the same order, however paged.
impl PartialEq for RecordStore {
    fn eq(&self, other: &Self) -> bool {
        self.len == other.len && self.iter().eq(other.iter())
    }
}

impl Eq for RecordStore {}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(name: &str, kind: &str, ttl: Option<i64>, values: &[&str]) -> RecordSet {
        RecordSet {
            name: name.into(),
            kind: kind.into(),
            ttl,
            values: values.iter().map(|v| (*v).to_owned()).collect(),
            alias: None,
            set_identifier: None,
            routing: SIMPLE.clone(),
        }
    }

    /// Every shape a record set can have: packed, packed with extras, and kept whole.
    fn shapes() -> Vec<RecordSet> {
        let mut alias = record("www.example.com", "A", None, &[]);
        alias.alias = Some(AliasTarget {
            dns_name: "lb.elb.amazonaws.com".into(),
            hosted_zone_id: "Z35SXDOTRQ7X7K".into(),
            evaluate_target_health: true,
        });
        let mut weighted = record("api.example.com", "CNAME", Some(60), &["blue.example.com"]);
        weighted.set_identifier = Some("blue".into());
        weighted.routing = Routing {
            policy: "weighted".into(),
            weight: Some(10),
            health_check_id: Some("hc-1".into()),
            ..Routing::default()
        };
        let mut bare = record("bare.example.com", "A", Some(1), &["192.0.2.9"]);
        bare.routing = Routing::default();
        vec![
            record(
                "example.com",
                "NS",
                Some(172800),
                &["ns-1.awsdns.com.", "ns-2.awsdns.net."],
            ),
            record("mail.example.com", "MX", Some(300), &["10 mx.example.com."]),
            record("*.example.com", "TXT", Some(0), &["\"a | b\"", "\"c\""]),
            record("empty.example.com", "A", Some(300), &[]),
            alias,
            weighted,
            bare,
            record("odd.example.com", "WKS", Some(300), &["x"]),
            record(
                "big.example.com",
                "A",
                Some(i64::from(u32::MAX) + 5),
                &["192.0.2.1"],
            ),
            record("sep.example.com", "TXT", Some(300), &["\"a\0b\""]),
            record("blank.example.com", "TXT", Some(300), &[""]),
        ]
    }

    #[test]
    fn every_record_set_reads_back_exactly_as_it_was_stored() {
        let shapes = shapes();
        let mut store = RecordStore::default();
        store.push(shapes[..4].to_vec());
        store.push(Vec::new());
        store.push(shapes[4..].to_vec());
        assert_eq!(store.len(), shapes.len());
        let back: Vec<RecordSet> = store.iter().map(|r| r.to_record_set()).collect();
        assert_eq!(back, shapes);
        for (i, want) in shapes.iter().enumerate() {
            let got = store.get(i).unwrap();
            assert_eq!(got.to_record_set(), *want, "record {i}");
            assert_eq!(got.data_text(), want.data_text());
            assert_eq!(got.routing_text(), want.routing_text());
            assert_eq!(got, *want);
        }
        assert!(store.get(shapes.len()).is_none());
        assert_eq!(
            store,
            shapes.into_iter().collect::<RecordStore>(),
            "paging aside"
        );
    }

    #[test]
    fn packed_records_keep_names_and_values_in_the_page_text() {
        let store = RecordStore::from(vec![
            record("a.example.com", "A", Some(60), &["192.0.2.1", "192.0.2.2"]),
            record("b.example.com", "AAAA", Some(60), &["2001:db8::1"]),
        ]);
        let (pages, starts) = (&store.pages, &store.starts);
        assert_eq!((pages.len(), &starts[..]), (1, &[0][..]));
        assert!(
            pages[0].extras.is_empty(),
            "plain records need nothing beside the text"
        );
        assert_eq!(
            &*pages[0].text,
            "a.example.com192.0.2.1\u{0}192.0.2.2b.example.com2001:db8::1"
        );
        assert_eq!(std::mem::size_of::<Packed>(), 20);
        let b = store.get(1).unwrap();
        assert_eq!(
            (b.name(), b.kind(), b.ttl()),
            ("b.example.com", "AAAA", Some(60))
        );
        assert_eq!(b.values().collect::<Vec<_>>(), ["2001:db8::1"]);
        assert_eq!(b.routing().policy, "simple");
    }
}
