//! The records view: the record sets of one zone or of every zone, streaming in as the inventory
//! loads, with `type:` and `sort:` words in the filter.

use crate::app::table::SortKey;
use std::fmt::Write as _;

use crate::app::table::{RowTexts, Texts};
use crate::domain::dns::{
    AccountEntry, Inventory, RecordRef, RecordStore, RecordView, ZoneEntry, ZoneRef,
};

use super::{DnsPane, View};

/// How the records view is sorted (`sort:` in the filter).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortBy {
    /// Account, zone, then Route53's order.
    #[default]
    Listing,
    Name,
    Type,
    Ttl,
    Zone,
    Account,
}

impl SortBy {
    /// The column of [`RECORD_HEADERS`] it sorts by (`None`: the listing's order).
    fn column(self) -> Option<usize> {
        match self {
            SortBy::Listing => None,
            SortBy::Account => Some(0),
            SortBy::Zone => Some(1),
            SortBy::Name => Some(2),
            SortBy::Type => Some(3),
            SortBy::Ttl => Some(4),
        }
    }
}

/// The records view's filter, split: `type:MX` and `sort:ttl` words, and the rest for the fuzzy
/// (or `'exact`) match.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RecordFilter {
    pub kind: Option<String>,
    pub sort: SortBy,
    pub text: String,
}

impl RecordFilter {
    pub fn parse(filter: &str) -> RecordFilter {
        let mut out = RecordFilter::default();
        let mut rest = Vec::new();
        for word in filter.split_whitespace() {
            if let Some(kind) = word.strip_prefix("type:") {
                out.kind = Some(kind.to_ascii_uppercase());
            } else if let Some(key) = word.strip_prefix("sort:") {
                out.sort = match key {
                    "name" => SortBy::Name,
                    "type" => SortBy::Type,
                    "ttl" => SortBy::Ttl,
                    "zone" => SortBy::Zone,
                    "account" => SortBy::Account,
                    _ => SortBy::Listing,
                };
            } else {
                rest.push(word);
            }
        }
        out.text = rest.join(" ");
        out
    }
}

/// The records of `zone` (of every zone when `None`), in account and zone order.
pub(super) fn rows(inv: &Inventory, zone: Option<ZoneRef>) -> Vec<RecordRef> {
    inv.records()
        .filter(|(r, ..)| {
            zone.is_none_or(|z| r.account as usize == z.account && r.zone as usize == z.zone)
        })
        .map(|(at, ..)| at)
        .collect()
}

impl DnsPane {
    /// New record sets arrived in `zone` (those from index `from` on): add them to the records
    /// view if it shows them, without rebuilding what is there.
    pub(super) fn append_records(&mut self, zone: ZoneRef, from: usize) {
        let View::Records { zone: shown } = self.view else {
            if matches!(self.view, View::Accounts | View::OrgZones { .. }) {
                self.rebuild();
            }
            return;
        };
        if shown.is_some_and(|s| s != zone) {
            return;
        }
        let Some(inv) = self.org.as_ref().map(|o| &o.inventory) else {
            return;
        };
        let Some((_, z)) = inv.zone(zone) else {
            return;
        };
        let added: Vec<RecordRef> = (from..z.records.len())
            .map(|i| RecordRef {
                account: zone.account as u32,
                zone: zone.zone as u32,
                record: i as u32,
            })
            .collect();
        // Every record, in account and zone order: a page of an earlier zone goes before the
        // rows of later ones.
        let at = self.all_records.partition_point(|r| {
            (r.account as usize, r.zone as usize) <= (zone.account, zone.zone)
        });
        let count = added.len();
        self.all_records.splice(at..at, added);
        if self.record_filter.kind.is_none() {
            // The rows are every record in order: those on screen keep pointing at themselves
            // until the search of the new ones answers.
            self.records.table.rows_inserted(at, count);
        }
        self.refilter_records();
    }

    /// Apply the records view's `type:` / `sort:` words and the fuzzy filter.
    pub(super) fn refilter_records(&mut self) {
        let full = self.records.table.filter().to_owned();
        let filter = RecordFilter::parse(&full);
        let Some(inv) = self.org.as_ref().map(|o| &o.inventory) else {
            return;
        };
        let records = &self.all_records;
        let built_from = Some((filter.kind.clone(), records.len()));
        if self.records_built_from != built_from {
            let rows: Vec<usize> = (0..records.len())
                .filter(|&i| {
                    filter.kind.as_ref().is_none_or(|k| {
                        inv.record(records[i])
                            .is_some_and(|(_, _, r)| r.kind() == k.as_str())
                    })
                })
                .collect();
            self.records.rows = rows.iter().map(|&i| records[i]).collect();
            self.record_rows = rows;
            self.records.table.rows_changed();
            self.records_built_from = built_from;
        }
        // `sort:` is the table's sort beneath `o` (computed off the UI thread when large).
        self.records.table.set_base_sort(filter.sort.column());
        self.records.table.set_filter(&filter.text);
        let texts = RecordRows::new(inv, &self.records.rows);
        self.records.table.refilter_texts(&texts);
        self.records.table.set_filter(&full);
        self.record_filter = filter;
    }

    /// Records of the records view before its `type:` word.
    pub fn all_record_count(&self) -> usize {
        self.all_records.len()
    }

    pub fn record_filter(&self) -> &RecordFilter {
        &self.record_filter
    }
}

/// What the `/` filter searches in the records view's rows: each record's name, type and data,
/// its zone and account ([`write_hay`]), written when searched, never stored.
struct RecordRows<'a> {
    inv: &'a Inventory,
    rows: &'a [RecordRef],
    /// Each zone's part of the text, by account and zone.
    zones: Vec<Vec<String>>,
}

impl<'a> RecordRows<'a> {
    fn new(inv: &'a Inventory, rows: &'a [RecordRef]) -> Self {
        let zones = inv
            .accounts
            .iter()
            .map(|a| a.zones.iter().map(|z| zone_hay(a, z)).collect())
            .collect();
        RecordRows { inv, rows, zones }
    }
}

impl RowTexts for RecordRows<'_> {
    fn len(&self) -> usize {
        self.rows.len()
    }

    fn text<'b>(&'b self, row: usize, buf: &'b mut String) -> &'b str {
        buf.clear();
        if let Some(&at) = self.rows.get(row)
            && let Some((_, _, r)) = self.inv.record(at)
        {
            write_hay(buf, r, &self.zones[at.account as usize][at.zone as usize]);
        }
        buf
    }

    fn snapshot(&self, rows: Option<&[usize]>) -> Box<dyn Texts> {
        let zones = self
            .inv
            .accounts
            .iter()
            .zip(&self.zones)
            .map(|(a, texts)| {
                a.zones
                    .iter()
                    .zip(texts)
                    .map(|(z, text)| (z.records.clone(), text.clone()))
                    .collect()
            })
            .collect();
        let rows = match rows {
            Some(rows) => rows
                .iter()
                .filter_map(|&i| self.rows.get(i).copied())
                .collect(),
            None => self.rows.to_vec(),
        };
        Box::new(RecordTexts { zones, rows })
    }
}

/// The records a search off the UI thread reads: every zone's records (their pages shared, not
/// copied) with the zone's part of the text, and which record each searched row is.
struct RecordTexts {
    zones: Vec<Vec<(RecordStore, String)>>,
    rows: Vec<RecordRef>,
}

impl Texts for RecordTexts {
    fn len(&self) -> usize {
        self.rows.len()
    }

    fn text<'a>(&'a self, i: usize, buf: &'a mut String) -> &'a str {
        buf.clear();
        let at = self.rows[i];
        if let Some((records, zone)) = self
            .zones
            .get(at.account as usize)
            .and_then(|a| a.get(at.zone as usize))
            && let Some(r) = records.get(at.record as usize)
        {
            write_hay(buf, r, zone);
        }
        buf
    }
}

/// The part of a record's searched text its zone gives: the zone's name, the account's name and
/// id.
fn zone_hay(a: &AccountEntry, z: &ZoneEntry) -> String {
    format!("{} {} {}", z.zone().name, a.account.name, a.account.id)
}

/// A record's searched text into `buf`: its name, type and data, then its zone's part.
fn write_hay(buf: &mut String, r: RecordView<'_>, zone: &str) {
    buf.clear();
    for part in [r.name(), " ", r.kind(), " "] {
        buf.push_str(part);
    }
    // As `RecordView::data_text`, without a string of its own: this runs for every record searched.
    match r.alias() {
        Some(alias) => {
            let _ = write!(buf, "ALIAS {} ({})", alias.dns_name, alias.hosted_zone_id);
        }
        None => {
            for (i, value) in r.values().enumerate() {
                if i > 0 {
                    buf.push_str(" | ");
                }
                buf.push_str(value);
            }
        }
    }
    buf.push(' ');
    buf.push_str(zone);
}

/// The columns of the records view (the account and zone give way first on narrow terminals and
/// are not shown for one zone).
pub const RECORD_HEADERS: &[&str] = &["ACCOUNT", "ZONE", "NAME", "TYPE", "TTL", "DATA", "ROUTING"];

/// The cells of one record set.
pub fn record_cells(inv: &Inventory, at: &RecordRef) -> Vec<String> {
    match inv.record(*at) {
        Some((a, z, r)) => vec![
            if a.account.name.is_empty() {
                a.account.id.clone()
            } else {
                a.account.name.clone()
            },
            z.zone().name.clone(),
            r.name().to_owned(),
            r.kind().to_owned(),
            r.ttl().map(|t| t.to_string()).unwrap_or_default(),
            r.data_text(),
            r.routing_text(),
        ],
        None => vec![String::new(); RECORD_HEADERS.len()],
    }
}

/// What a record set sorts by in `column`, built without its other cells.
pub fn record_key(inv: &Inventory, at: &RecordRef, column: usize) -> SortKey {
    let Some((a, z, r)) = inv.record(*at) else {
        return SortKey::Empty;
    };
    let text = |s: &str| SortKey::cell(s);
    match column {
        0 if a.account.name.is_empty() => text(&a.account.id),
        0 => text(&a.account.name),
        1 => text(&z.zone().name),
        2 => text(r.name()),
        3 => text(r.kind()),
        4 => SortKey::number(r.ttl()),
        5 => text(&r.data_text()),
        6 => text(&r.routing_text()),
        _ => SortKey::Empty,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::dns::fixtures::rec;
    use crate::domain::account::Account;
    use crate::domain::dns::{AliasTarget, InventoryEvent};

    /// An inventory of one account and zone: an `A` record and an alias.
    fn inventory() -> Inventory {
        let mut inv = Inventory::new(vec![Account {
            id: "111111111111".into(),
            name: "prod".into(),
            email: String::new(),
            status: "ACTIVE".into(),
            read_only: false,
        }]);
        inv.apply(InventoryEvent::Zones {
            account: 0,
            zones: vec![crate::app::dns::fixtures::zone("example.com", false)],
        });
        let mut alias = rec("www.example.com", "A", 0, &[]);
        alias.ttl = None;
        alias.alias = Some(AliasTarget {
            dns_name: "lb-1.elb.amazonaws.com".into(),
            hosted_zone_id: "Z35SXDOTRQ7X7K".into(),
            evaluate_target_health: false,
        });
        inv.apply(InventoryEvent::Records {
            account: 0,
            zone: 0,
            records: vec![
                rec("api.example.com", "A", 60, &["192.0.2.1", "192.0.2.2"]),
                alias,
            ],
        });
        inv
    }

    /// The filter searches a record's name, type, data, zone and account, written from the
    /// packed record on the UI thread and from the snapshot a search off it reads, alike.
    #[test]
    fn a_records_searched_text_is_written_from_the_store_on_and_off_the_ui_thread() {
        let inv = inventory();
        let rows = rows(&inv, None);
        let texts = RecordRows::new(&inv, &rows);
        let want = [
            "api.example.com A 192.0.2.1 | 192.0.2.2 example.com prod 111111111111",
            "www.example.com A ALIAS lb-1.elb.amazonaws.com (Z35SXDOTRQ7X7K) example.com prod \
             111111111111",
        ];
        let mut buf = String::new();
        let on_ui: Vec<String> = (0..texts.len())
            .map(|i| texts.text(i, &mut buf).to_owned())
            .collect();
        assert_eq!(on_ui, want);
        let snapshot = texts.snapshot(None);
        let off_ui: Vec<String> = (0..snapshot.len())
            .map(|i| snapshot.text(i, &mut buf).to_owned())
            .collect();
        assert_eq!(off_ui, want);
        let second = texts.snapshot(Some(&[1]));
        assert_eq!((second.len(), second.text(0, &mut buf)), (1, want[1]));
    }
}
