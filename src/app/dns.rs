//! The DNS pane. It opens on the hosted zones of the current account; `Esc` goes up to the
//! organisation: every account's Route53 inventory, loaded in parallel and streaming in, with a
//! status per account. From there: an account's zones → a zone's records, all records of every
//! account (filter, `type:` and `sort:` in the filter, export), the delegation check, and
//! "who serves this name?" for a record (`Enter` in a records view).

use chrono::{DateTime, Utc};
use crossterm::event::{KeyCode, KeyEvent};
use serde::Serialize;

use super::Effect;
use super::list::{ListPane, Listing};
use super::loadable::RequestId;
use super::pane::{Ctx, PaneState};
use super::table::TableView;
use crate::config::keymap::Action;
use crate::domain::account::Account;
use crate::domain::dns::{
    AccountEntry, Delegation, Hop, HostedZone, Inventory, InventoryEvent, Lookup, MatchKind,
    RecordRef, ServingZone, ZoneEntry, ZoneRef, check_delegations, find,
};
use crate::rows::dns::{AnswerRow, RecordRow, ZoneRow};
use crate::services::ServiceError;

/// What the pane shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum View {
    /// The current account's hosted zones (where the pane opens).
    #[default]
    Zones,
    /// Every account of the organisation with its load status.
    Accounts,
    /// The zones of one account of the inventory, or of all (`None`).
    OrgZones {
        account: Option<usize>,
    },
    /// The record sets of one zone, or of every zone (`None`).
    Records {
        zone: Option<ZoneRef>,
    },
    Delegations,
    /// Who serves this name.
    Find {
        name: String,
    },
}

/// The organisation-wide load.
#[derive(Debug)]
pub struct Org {
    pub request: RequestId,
    /// The account list: loading, failed, or ready (then the inventory has its accounts).
    pub accounts: super::Loadable<()>,
    pub inventory: Inventory,
    pub started: Option<DateTime<Utc>>,
    pub finished: Option<DateTime<Utc>>,
}

/// The first row of the accounts view opens every record; the second the delegation check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountRow {
    AllRecords,
    Delegations,
    Account(usize),
}

/// One row of the "who serves this name" view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FindRow {
    Zone(ServingZone),
    Hop(Hop),
    Answer(RecordRef, MatchKind),
}

/// Rows of one table, their searchable texts, and the table view over them.
#[derive(Debug)]
pub struct Grid<R> {
    pub table: TableView,
    pub rows: Vec<R>,
    hay: Vec<String>,
}

impl<R> Default for Grid<R> {
    fn default() -> Self {
        Grid {
            table: TableView::default(),
            rows: Vec::new(),
            hay: Vec::new(),
        }
    }
}

impl<R> Grid<R> {
    fn set(&mut self, rows: Vec<(R, String)>) {
        (self.rows, self.hay) = rows.into_iter().unzip();
        self.table.rows_changed();
        self.refilter();
    }

    fn refilter(&mut self) {
        self.table.refilter(self.hay.iter().map(String::as_str));
    }

    pub fn selected(&self) -> Option<&R> {
        self.table.selected_index().and_then(|i| self.rows.get(i))
    }

    fn reset(&mut self) {
        *self = Grid::default();
    }
}

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

#[derive(Debug, Default)]
pub struct DnsPane {
    /// The current account's hosted zones: the view the pane opens on.
    pub zones: ListPane<HostedZone>,
    pub view: View,
    /// Where `Esc` goes back to.
    back: Vec<View>,
    pub org: Option<Org>,
    pub accounts: Grid<AccountRow>,
    pub org_zones: Grid<ZoneRef>,
    pub records: Grid<RecordRef>,
    /// The records of the view before the `type:` filter (rows of `records` are these, filtered).
    all_records: Vec<RecordRef>,
    /// The searchable text of each of `all_records`, built once per record.
    all_hay: Vec<String>,
    record_filter: RecordFilter,
    /// What the records view's rows were last built from: the `type:` and `sort:` words and how
    /// many records there were. While it stays the same, typing only narrows the previous matches.
    records_built_from: Option<(Option<String>, SortBy, usize)>,
    pub delegations: Grid<Delegation>,
    pub found: Grid<FindRow>,
    pub lookup: Option<Lookup>,
    /// `e` pressed in an organisation view: the pane asks "csv or json?" and takes the next key.
    pub export_prompt: bool,
}

/// The file format `e` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    Csv,
    Json,
}

#[derive(Debug)]
pub enum DnsMsg {
    Zones {
        request: RequestId,
        result: Result<Vec<HostedZone>, ServiceError>,
        at: DateTime<Utc>,
    },
    /// The organisation's accounts, before their inventory streams in.
    OrgAccounts {
        request: RequestId,
        result: Result<Vec<Account>, ServiceError>,
        at: DateTime<Utc>,
    },
    /// Progress of the organisation-wide load.
    Inventory {
        request: RequestId,
        event: InventoryEvent,
        at: DateTime<Utc>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DnsEffect {
    LoadZones {
        request: RequestId,
        account_id: String,
    },
    /// Every account (from the account directory) → zones → records, streamed back.
    LoadInventory { request: RequestId },
}

impl DnsPane {
    pub fn on_msg(&mut self, msg: DnsMsg, _ctx: &mut Ctx) {
        match msg {
            DnsMsg::Zones {
                request,
                result,
                at,
            } => {
                self.zones.loaded(request, result, at);
            }
            DnsMsg::OrgAccounts {
                request,
                result,
                at,
            } => {
                let Some(org) = self.org.as_mut().filter(|o| o.request == request) else {
                    return;
                };
                match result {
                    Ok(accounts) => {
                        org.inventory = Inventory::new(accounts);
                        org.accounts = super::Loadable::Ready {
                            value: (),
                            fetched_at: at,
                        };
                        org.started = Some(at);
                    }
                    Err(error) => org.accounts = super::Loadable::Failed { error },
                }
                self.rebuild();
            }
            DnsMsg::Inventory { request, event, at } => {
                let Some(org) = self.org.as_mut().filter(|o| o.request == request) else {
                    return;
                };
                let appended = match &event {
                    InventoryEvent::Records { account, zone, .. } => Some(ZoneRef {
                        account: *account,
                        zone: *zone,
                    }),
                    _ => None,
                };
                let before = appended
                    .and_then(|z| org.inventory.zone(z))
                    .map_or(0, |(_, z)| z.records.len());
                let finished = matches!(event, InventoryEvent::Finished { .. });
                org.inventory.apply(event);
                if org.inventory.is_complete() && org.finished.is_none() {
                    org.finished = Some(at);
                }
                match appended {
                    Some(zone) => self.append_records(zone, before),
                    None => self.rebuild_unless_records(finished),
                }
            }
        }
    }

    /// Start the organisation-wide load unless it is loaded or loading.
    fn ensure_org(&mut self, ctx: &mut Ctx) {
        if self.org.is_none() {
            self.load_org(ctx);
        }
    }

    fn load_org(&mut self, ctx: &mut Ctx) {
        let request = ctx.request();
        self.org = Some(Org {
            request,
            accounts: super::Loadable::Loading { request },
            inventory: Inventory::default(),
            started: None,
            finished: None,
        });
        self.records.reset();
        self.all_records.clear();
        self.all_hay.clear();
        ctx.run(Effect::Dns(DnsEffect::LoadInventory { request }));
        self.rebuild();
    }

    fn inventory(&self) -> Option<&Inventory> {
        self.org.as_ref().map(|o| &o.inventory)
    }

    /// Open a view, remembering where `Esc` goes back to.
    fn open(&mut self, view: View) {
        let from = std::mem::replace(&mut self.view, view);
        self.back.push(from);
        self.records.table = TableView::default();
        self.rebuild();
    }

    /// Look a name up in the inventory: the "who serves this name" view.
    pub fn find(&mut self, name: &str, ctx: &mut Ctx) {
        self.ensure_org(ctx);
        self.open(View::Find {
            name: name.to_owned(),
        });
    }

    /// The delegation check view.
    pub fn show_delegations(&mut self, ctx: &mut Ctx) {
        self.ensure_org(ctx);
        self.open(View::Delegations);
    }

    /// Recompute the rows of the view on screen (not the records: they grow by appending).
    fn rebuild_unless_records(&mut self, account_finished: bool) {
        match self.view {
            View::Records { .. } => {}
            View::Delegations | View::Find { .. } if !account_finished => {}
            _ => self.rebuild(),
        }
    }

    /// Recompute the rows of the view on screen from the inventory.
    fn rebuild(&mut self) {
        let Some(inv) = self.org.as_ref().map(|o| &o.inventory) else {
            return;
        };
        match self.view.clone() {
            View::Zones => {}
            View::Accounts => {
                let mut rows = vec![
                    (AccountRow::AllRecords, "all records".to_owned()),
                    (AccountRow::Delegations, "delegations".to_owned()),
                ];
                rows.extend(inv.accounts.iter().enumerate().map(|(i, a)| {
                    (
                        AccountRow::Account(i),
                        format!("{} {} {}", a.account.id, a.account.name, a.status.word()),
                    )
                }));
                self.accounts.set(rows);
            }
            View::OrgZones { account } => {
                let rows = inv
                    .zones()
                    .filter(|(zr, _, _)| account.is_none_or(|a| zr.account == a))
                    .map(|(zr, a, z)| {
                        (
                            zr,
                            format!("{} {} {}", a.account.name, z.zone().name, z.zone().id),
                        )
                    })
                    .collect();
                self.org_zones.set(rows);
            }
            View::Records { zone } => {
                (self.all_records, self.all_hay) = inv
                    .records()
                    .filter(|(r, ..)| {
                        zone.is_none_or(|z| {
                            r.account as usize == z.account && r.zone as usize == z.zone
                        })
                    })
                    .map(|(at, ..)| (at, record_hay(inv, at)))
                    .unzip();
                self.records_built_from = None;
                self.refilter_records();
            }
            View::Delegations => {
                let rows = check_delegations(inv)
                    .into_iter()
                    .map(|d| {
                        let hay = format!("{} {} {}", d.status.word(), d.parent_zone, d.child_zone);
                        (d, hay)
                    })
                    .collect();
                self.delegations.set(rows);
            }
            View::Find { name } => {
                let lookup = find(inv, &name);
                let mut rows: Vec<(FindRow, String)> = lookup
                    .zones
                    .iter()
                    .map(|z| (FindRow::Zone(z.clone()), format!("zone {}", z.zone)))
                    .collect();
                rows.extend(lookup.chain.iter().map(|h| {
                    (
                        FindRow::Hop(h.clone()),
                        format!("delegation {}", h.child_zone),
                    )
                }));
                rows.extend(lookup.answers.iter().filter_map(|a| {
                    let (_, _, r) = inv.record(a.at)?;
                    Some((
                        FindRow::Answer(a.at, a.matched),
                        format!("record {} {}", r.name, r.kind),
                    ))
                }));
                self.found.set(rows);
                self.lookup = Some(lookup);
            }
        }
    }

    /// New record sets arrived in `zone` (those from index `from` on): add them to the records
    /// view if it shows them, without rebuilding what is there.
    fn append_records(&mut self, zone: ZoneRef, from: usize) {
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
        let (added, hay): (Vec<RecordRef>, Vec<String>) = (from..z.records.len())
            .map(|i| {
                let at = RecordRef {
                    account: zone.account as u32,
                    zone: zone.zone as u32,
                    record: i as u32,
                };
                (at, record_hay(inv, at))
            })
            .unzip();
        // Every record, in account and zone order: a page of an earlier zone goes before the
        // rows of later ones.
        let at = self.all_records.partition_point(|r| {
            (r.account as usize, r.zone as usize) <= (zone.account, zone.zone)
        });
        self.all_records.splice(at..at, added);
        self.all_hay.splice(at..at, hay);
        self.refilter_records();
    }

    /// Apply the records view's `type:` / `sort:` words and the fuzzy filter.
    fn refilter_records(&mut self) {
        let full = self.records.table.filter().to_owned();
        let filter = RecordFilter::parse(&full);
        let Some(inv) = self.org.as_ref().map(|o| &o.inventory) else {
            return;
        };
        let records = &self.all_records;
        let mut rows: Vec<usize> = (0..records.len())
            .filter(|&i| {
                filter
                    .kind
                    .as_ref()
                    .is_none_or(|k| inv.record(records[i]).is_some_and(|(_, _, r)| &r.kind == k))
            })
            .collect();
        let key = |i: &usize| inv.record(records[*i]);
        match filter.sort {
            SortBy::Listing => {}
            SortBy::Name => rows.sort_by_cached_key(|i| key(i).map(|k| k.2.name.clone())),
            SortBy::Type => rows.sort_by_cached_key(|i| key(i).map(|k| k.2.kind.clone())),
            SortBy::Ttl => rows.sort_by_cached_key(|i| key(i).map(|k| k.2.ttl)),
            SortBy::Zone => rows.sort_by_cached_key(|i| key(i).map(|k| k.1.zone().name.clone())),
            SortBy::Account => {
                rows.sort_by_cached_key(|i| key(i).map(|k| k.0.account.name.clone()))
            }
        }
        self.records.rows = rows.iter().map(|&i| records[i]).collect();
        let built_from = Some((filter.kind.clone(), filter.sort, records.len()));
        if self.records_built_from != built_from {
            self.records.table.rows_changed();
            self.records_built_from = built_from;
        }
        self.records.table.set_filter(&filter.text);
        let hay = &self.all_hay;
        self.records
            .table
            .refilter(rows.iter().map(|&i| hay[i].as_str()));
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

    /// The view on screen as a file of `format`.
    fn export(&self, format: ExportFormat) -> Result<Option<Effect>, String> {
        match format {
            ExportFormat::Csv => Ok(self.export_csv()),
            ExportFormat::Json => self.export_json(),
        }
    }

    /// Rows of the view on screen as the `dns` commands print them with `-o json` (the accounts
    /// view, which no command prints, with its CSV columns as keys).
    fn export_json(&self) -> Result<Option<Effect>, String> {
        let inv = self.inventory();
        let (name, json): (&str, String) = match &self.view {
            View::Zones => {
                let account_id = self.zones.account.clone().unwrap_or_default();
                let items = self.zones.items();
                let rows: Vec<ZoneRow> = self
                    .zones
                    .table
                    .visible()
                    .iter()
                    .filter_map(|&i| items.get(i))
                    .map(|z| {
                        // Account name and VPCs only the inventory knows (ListHostedZones has
                        // neither); until it has the zone they stay empty.
                        let known = inv.and_then(|inv| {
                            inv.zones()
                                .find(|(_, a, e)| a.account.id == account_id && e.zone().id == z.id)
                        });
                        ZoneRow {
                            account_id: account_id.clone(),
                            account_name: known
                                .map(|(_, a, _)| a.account.name.clone())
                                .unwrap_or_default(),
                            zone_id: z.id.clone(),
                            zone: z.name.clone(),
                            private: z.private,
                            record_count: z.record_count,
                            comment: z.comment.clone(),
                            vpcs: known
                                .map(|(_, _, e)| e.detail.vpcs.clone())
                                .unwrap_or_default(),
                        }
                    })
                    .collect();
                ("hosted-zones", pretty_json(&rows)?)
            }
            View::Accounts => {
                let Some(inv) = inv else {
                    return Ok(None);
                };
                let rows: Vec<AccountJson> = visible(&self.accounts)
                    .filter_map(|r| match r {
                        AccountRow::Account(i) => inv.accounts.get(*i),
                        _ => None,
                    })
                    .map(|a| AccountJson {
                        account_id: &a.account.id,
                        account_name: &a.account.name,
                        status: a.status.word(),
                        zones: a.zones.len(),
                        records: a.records,
                        error: a.status.error(),
                    })
                    .collect();
                ("dns-accounts", pretty_json(&rows)?)
            }
            View::OrgZones { .. } => {
                let Some(inv) = inv else {
                    return Ok(None);
                };
                let rows: Vec<ZoneRow> = visible(&self.org_zones)
                    .filter_map(|zr| inv.zone(*zr))
                    .map(|(a, z)| zone_row(a, z))
                    .collect();
                ("dns-zones", pretty_json(&rows)?)
            }
            View::Records { .. } => {
                let Some(inv) = inv else {
                    return Ok(None);
                };
                let rows: Vec<RecordRow> = visible(&self.records)
                    .filter_map(|at| inv.record(*at))
                    .map(|(a, z, r)| RecordRow::new(a, z, r))
                    .collect();
                ("dns-records", pretty_json(&rows)?)
            }
            View::Delegations => {
                let rows: Vec<&Delegation> = visible(&self.delegations).collect();
                ("dns-delegations", pretty_json(&rows)?)
            }
            View::Find { name } => {
                let Some(inv) = inv else {
                    return Ok(None);
                };
                let mut doc = FindJson {
                    name: self.lookup.as_ref().map_or(name.as_str(), |l| &l.name),
                    zones: Vec::new(),
                    chain: Vec::new(),
                    answers: Vec::new(),
                };
                for row in visible(&self.found) {
                    match row {
                        FindRow::Zone(z) => doc.zones.push(z),
                        FindRow::Hop(h) => doc.chain.push(h),
                        FindRow::Answer(at, matched) => {
                            if let Some((a, z, r)) = inv.record(*at) {
                                doc.answers.push(AnswerRow {
                                    matched: *matched,
                                    record: RecordRow::new(a, z, r),
                                });
                            }
                        }
                    }
                }
                ("dns-find", pretty_json(&doc)?)
            }
        };
        Ok(Some(Effect::ExportJson {
            name: name.to_owned(),
            json,
        }))
    }

    /// Rows of the view on screen, as exported cells, with their headers and a file name.
    fn export_csv(&self) -> Option<Effect> {
        let inv = self.inventory();
        let (name, headers, rows): (&str, Vec<&str>, Vec<Vec<String>>) = match &self.view {
            View::Zones => return Some(self.zones.export("hosted-zones")),
            View::Accounts => {
                let inv = inv?;
                let rows = visible(&self.accounts)
                    .filter_map(|r| match r {
                        AccountRow::Account(i) => inv.accounts.get(*i),
                        _ => None,
                    })
                    .map(|a| {
                        vec![
                            a.account.id.clone(),
                            a.account.name.clone(),
                            a.status.word().to_owned(),
                            a.zones.len().to_string(),
                            a.records.to_string(),
                            a.status.error().unwrap_or_default().to_owned(),
                        ]
                    })
                    .collect();
                (
                    "dns-accounts",
                    vec![
                        "account_id",
                        "account_name",
                        "status",
                        "zones",
                        "records",
                        "error",
                    ],
                    rows,
                )
            }
            View::OrgZones { .. } => {
                let inv = inv?;
                let rows = visible(&self.org_zones)
                    .filter_map(|zr| inv.zone(*zr))
                    .map(|(a, z)| {
                        vec![
                            a.account.id.clone(),
                            a.account.name.clone(),
                            z.zone().id.clone(),
                            z.zone().name.clone(),
                            z.zone().private.to_string(),
                            z.records.len().to_string(),
                            z.zone().comment.clone(),
                            z.detail.vpcs.join(" "),
                        ]
                    })
                    .collect();
                (
                    "dns-zones",
                    vec![
                        "account_id",
                        "account_name",
                        "zone_id",
                        "zone",
                        "private",
                        "records",
                        "comment",
                        "vpcs",
                    ],
                    rows,
                )
            }
            View::Records { .. } => {
                let inv = inv?;
                let rows = visible(&self.records)
                    .filter_map(|at| inv.record(*at))
                    .map(|(a, z, r)| {
                        vec![
                            a.account.id.clone(),
                            a.account.name.clone(),
                            z.zone().id.clone(),
                            z.zone().name.clone(),
                            z.zone().private.to_string(),
                            r.name.clone(),
                            r.kind.clone(),
                            r.ttl.map(|t| t.to_string()).unwrap_or_default(),
                            r.data_text(),
                            r.set_identifier.clone().unwrap_or_default(),
                            r.routing_text(),
                        ]
                    })
                    .collect();
                (
                    "dns-records",
                    vec![
                        "account_id",
                        "account_name",
                        "zone_id",
                        "zone",
                        "private",
                        "name",
                        "type",
                        "ttl",
                        "data",
                        "set_identifier",
                        "routing",
                    ],
                    rows,
                )
            }
            View::Delegations => {
                let rows = visible(&self.delegations)
                    .map(|d| {
                        vec![
                            d.status.word().to_owned(),
                            d.parent_zone.clone(),
                            d.parent_account.clone(),
                            d.child_zone.clone(),
                            d.child_account.clone().unwrap_or_default(),
                            d.parent_ns.join(" "),
                            d.child_ns.join(" "),
                        ]
                    })
                    .collect();
                (
                    "dns-delegations",
                    vec![
                        "status",
                        "parent_zone",
                        "parent_account",
                        "child_zone",
                        "child_account",
                        "parent_ns",
                        "child_ns",
                    ],
                    rows,
                )
            }
            View::Find { .. } => {
                let inv = inv?;
                let rows = visible(&self.found)
                    .map(|row| find_cells(inv, row))
                    .collect();
                ("dns-find", vec!["what", "account", "zone", "detail"], rows)
            }
        };
        Some(Effect::Export {
            name: name.to_owned(),
            headers: headers.into_iter().map(str::to_owned).collect(),
            rows,
        })
    }

    /// Ask the runtime to write the view as `format`; say why when it cannot be built.
    fn export_as(&self, format: ExportFormat, ctx: &mut Ctx) {
        match self.export(format) {
            Ok(Some(effect)) => ctx.run(effect),
            Ok(None) => {}
            Err(e) => ctx.notify(format!("export failed: {e}"), true),
        }
    }

    /// What `y` copies from the selected row.
    fn copy_text(&self) -> Option<String> {
        let inv = self.inventory();
        match &self.view {
            View::Zones => self.zones.selected().map(Listing::key),
            View::Accounts => match self.accounts.selected()? {
                AccountRow::Account(i) => inv?.accounts.get(*i).map(|a| a.account.id.clone()),
                _ => None,
            },
            View::OrgZones { .. } => inv?
                .zone(*self.org_zones.selected()?)
                .map(|(_, z)| z.zone().id.clone()),
            View::Records { .. } => inv?
                .record(*self.records.selected()?)
                .map(|(_, _, r)| r.name.clone()),
            View::Delegations => self.delegations.selected().map(|d| d.child_zone.clone()),
            View::Find { name } => Some(name.clone()),
        }
    }

    fn enter(&mut self, ctx: &mut Ctx) {
        match self.view.clone() {
            View::Zones => {
                let Some(zone) = self.zones.selected().cloned() else {
                    return;
                };
                let account = self.zones.account.clone();
                self.ensure_org(ctx);
                let found = self.inventory().and_then(|inv| {
                    inv.zones()
                        .find(|(_, a, z)| {
                            Some(&a.account.id) == account.as_ref() && z.zone().id == zone.id
                        })
                        .map(|(zr, ..)| zr)
                });
                match found {
                    Some(zr) => self.open(View::Records { zone: Some(zr) }),
                    None => {
                        ctx.notify(
                            "the organisation's inventory is loading: the zone's records appear here when it is in",
                            false,
                        );
                        self.open(View::Accounts);
                    }
                }
            }
            View::Accounts => match self.accounts.selected().copied() {
                Some(AccountRow::AllRecords) => self.open(View::Records { zone: None }),
                Some(AccountRow::Delegations) => self.open(View::Delegations),
                Some(AccountRow::Account(i)) => self.open(View::OrgZones { account: Some(i) }),
                None => {}
            },
            View::OrgZones { .. } => {
                if let Some(zr) = self.org_zones.selected().copied() {
                    self.open(View::Records { zone: Some(zr) });
                }
            }
            View::Records { .. } => {
                let name = self
                    .records
                    .selected()
                    .and_then(|at| self.inventory()?.record(*at))
                    .map(|(_, _, r)| r.name.clone());
                if let Some(name) = name {
                    self.find(&name, ctx);
                }
            }
            View::Delegations => {
                if let Some(d) = self.delegations.selected() {
                    let name = d.child_zone.clone();
                    self.find(&name, ctx);
                }
            }
            View::Find { .. } => {}
        }
    }

    fn back(&mut self, ctx: &mut Ctx) {
        match self.back.pop() {
            Some(view) => {
                self.view = view;
                self.rebuild();
            }
            None if self.view == View::Zones => {
                self.ensure_org(ctx);
                self.open(View::Accounts);
            }
            None => {}
        }
    }
}

/// JSON of one account of the accounts view: the CSV export's columns.
#[derive(Debug, Serialize)]
struct AccountJson<'a> {
    account_id: &'a str,
    account_name: &'a str,
    status: &'a str,
    zones: usize,
    records: usize,
    error: Option<&'a str>,
}

/// JSON of the "who serves this name" view: the shape of `dns find -o json`, with the rows the
/// view shows.
#[derive(Debug, Serialize)]
struct FindJson<'a> {
    name: &'a str,
    zones: Vec<&'a ServingZone>,
    chain: Vec<&'a Hop>,
    answers: Vec<AnswerRow>,
}

/// A zone of the inventory as `dns zones -o json` prints it.
fn zone_row(a: &AccountEntry, z: &ZoneEntry) -> ZoneRow {
    ZoneRow {
        account_id: a.account.id.clone(),
        account_name: a.account.name.clone(),
        zone_id: z.zone().id.clone(),
        zone: z.zone().name.clone(),
        private: z.zone().private,
        record_count: z.zone().record_count,
        comment: z.zone().comment.clone(),
        vpcs: z.detail.vpcs.clone(),
    }
}

/// Terminal-safe pretty JSON (the file may well be `cat`ed), keys in the commands' order.
fn pretty_json<T: Serialize + ?Sized>(value: &T) -> Result<String, String> {
    let mut json = Vec::new();
    crate::domain::sanitize::to_json_pretty_safe(&mut json, value).map_err(|e| e.to_string())?;
    // serde_json writes UTF-8 only.
    String::from_utf8(json).map_err(|e| e.to_string())
}

/// What the `/` filter searches in a record: name, type, data, zone and account.
fn record_hay(inv: &Inventory, at: RecordRef) -> String {
    match inv.record(at) {
        Some((a, z, r)) => format!(
            "{} {} {} {} {} {}",
            r.name,
            r.kind,
            r.data_text(),
            z.zone().name,
            a.account.name,
            a.account.id
        ),
        None => String::new(),
    }
}

fn visible<R>(grid: &Grid<R>) -> impl Iterator<Item = &R> {
    grid.table
        .visible()
        .iter()
        .filter_map(|&i| grid.rows.get(i))
}

/// The cells of one "who serves this name" row: what, account, zone, detail.
pub fn find_cells(inv: &Inventory, row: &FindRow) -> Vec<String> {
    match row {
        FindRow::Zone(z) => vec![
            if z.private {
                "private zone"
            } else {
                "public zone"
            }
            .into(),
            label(&z.account_id, &z.account_name),
            z.zone.clone(),
            if z.vpcs.is_empty() {
                z.zone_id.clone()
            } else {
                format!("{} vpcs={}", z.zone_id, z.vpcs.join(","))
            },
        ],
        FindRow::Hop(h) => vec![
            format!("delegation: {}", h.status.word()),
            h.parent_account.clone(),
            format!("{} → {}", h.parent_zone, h.child_zone),
            h.child_account
                .as_deref()
                .map(|a| format!("child in {a}"))
                .unwrap_or_else(|| "outside the organisation".into()),
        ],
        FindRow::Answer(at, matched) => match inv.record(*at) {
            Some((a, z, r)) => vec![
                match matched {
                    MatchKind::Exact => "record",
                    MatchKind::Wildcard => "record (wildcard)",
                }
                .into(),
                a.label(),
                z.zone().name.clone(),
                format!(
                    "{} {} {} {}",
                    r.name,
                    r.kind,
                    r.data_text(),
                    r.routing_text()
                ),
            ],
            None => vec![String::new(); 4],
        },
    }
}

fn label(id: &str, name: &str) -> String {
    if name.is_empty() {
        id.to_owned()
    } else {
        format!("{name} ({id})")
    }
}

impl PaneState for DnsPane {
    fn table(&self) -> &TableView {
        match self.view {
            View::Zones => &self.zones.table,
            View::Accounts => &self.accounts.table,
            View::OrgZones { .. } => &self.org_zones.table,
            View::Records { .. } => &self.records.table,
            View::Delegations => &self.delegations.table,
            View::Find { .. } => &self.found.table,
        }
    }

    fn table_mut(&mut self) -> &mut TableView {
        match self.view {
            View::Zones => &mut self.zones.table,
            View::Accounts => &mut self.accounts.table,
            View::OrgZones { .. } => &mut self.org_zones.table,
            View::Records { .. } => &mut self.records.table,
            View::Delegations => &mut self.delegations.table,
            View::Find { .. } => &mut self.found.table,
        }
    }

    fn refilter(&mut self) {
        match self.view {
            View::Zones => self.zones.refilter(),
            View::Accounts => self.accounts.refilter(),
            View::OrgZones { .. } => self.org_zones.refilter(),
            View::Records { .. } => self.refilter_records(),
            View::Delegations => self.delegations.refilter(),
            View::Find { .. } => self.found.refilter(),
        }
    }

    fn ensure_loaded(&mut self, ctx: &mut Ctx) {
        if let Some((request, account_id)) = self.zones.load_if_needed(ctx) {
            ctx.run(Effect::Dns(DnsEffect::LoadZones {
                request,
                account_id,
            }));
        }
    }

    fn reload(&mut self, ctx: &mut Ctx) {
        match self.view {
            View::Zones => {
                self.zones.invalidate();
                self.ensure_loaded(ctx);
            }
            _ => self.load_org(ctx),
        }
    }

    fn on_action(&mut self, action: Action, ctx: &mut Ctx) {
        match action {
            Action::Enter => self.enter(ctx),
            Action::Back => self.back(ctx),
            Action::Copy => {
                if let Some(text) = self.copy_text() {
                    ctx.run(Effect::Copy { text });
                }
            }
            // The zones view of the current account exports CSV at once, as every list pane
            // does; the organisation views ask for the format first.
            Action::Export => self.export_prompt = true,
            _ => {}
        }
    }

    fn captures_keys(&self) -> bool {
        self.export_prompt
    }

    fn on_key(&mut self, key: KeyEvent, ctx: &mut Ctx) {
        if !self.export_prompt {
            return;
        }
        match key.code {
            KeyCode::Char('c' | 'C') => {
                self.export_prompt = false;
                self.export_as(ExportFormat::Csv, ctx);
            }
            KeyCode::Char('j' | 'J') => {
                self.export_prompt = false;
                self.export_as(ExportFormat::Json, ctx);
            }
            KeyCode::Esc => self.export_prompt = false,
            // Anything else keeps the question open: a stray key must not export or navigate.
            _ => {}
        }
    }

    fn is_busy(&self) -> bool {
        self.zones.list.is_loading()
            || self.org.as_ref().is_some_and(|o| {
                o.accounts.is_loading()
                    || (o.accounts.value().is_some() && !o.inventory.is_complete())
            })
    }

    fn reset(&mut self) {
        *self = DnsPane::default();
    }

    fn hint(&self, action: Action) -> &'static str {
        match (action, &self.view) {
            (Action::Enter, View::Zones) => "records",
            (Action::Enter, View::Accounts) => "open",
            (Action::Enter, View::OrgZones { .. }) => "records",
            (Action::Enter, View::Records { .. } | View::Delegations) => "who serves it",
            (Action::Back, View::Zones) => "all accounts",
            (Action::Back, _) => "back",
            _ => "",
        }
    }
}

impl Listing for HostedZone {
    fn headers() -> &'static [&'static str] {
        &["ZONE", "ID", "VISIBILITY", "RECORDS", "COMMENT"]
    }

    fn cells(&self) -> Vec<String> {
        vec![
            self.name.clone(),
            self.id.clone(),
            if self.private { "private" } else { "public" }.into(),
            self.record_count.to_string(),
            self.comment.clone(),
        ]
    }

    fn key(&self) -> String {
        self.id.clone()
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

    use super::*;
    use crate::app::tests::{account, at, loaded_state};
    use crate::app::{Msg, State, update};
    use crate::domain::dns::{AccountStatus, RecordSet, Routing, ZoneDetail};

    fn key(state: &mut State, code: KeyCode) -> Vec<Effect> {
        update(state, Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)))
    }

    fn typed(state: &mut State, text: &str) {
        for c in text.chars() {
            key(state, KeyCode::Char(c));
        }
    }

    pub(crate) fn zone(name: &str, private: bool) -> ZoneDetail {
        ZoneDetail {
            zone: HostedZone {
                id: format!("Z{}", name.replace('.', "").to_uppercase()),
                name: name.into(),
                private,
                record_count: 2,
                comment: format!("{name} zone"),
            },
            vpcs: if private {
                vec!["us-east-1/vpc-0abc".into()]
            } else {
                vec![]
            },
        }
    }

    pub(crate) fn rec(name: &str, kind: &str, ttl: i64, values: &[&str]) -> RecordSet {
        RecordSet {
            name: name.into(),
            kind: kind.into(),
            ttl: Some(ttl),
            values: values.iter().map(|v| (*v).to_owned()).collect(),
            alias: None,
            set_identifier: None,
            routing: Routing {
                policy: "simple".into(),
                ..Routing::default()
            },
        }
    }

    fn event(state: &mut State, request: RequestId, event: InventoryEvent) {
        update(
            state,
            Msg::Dns(DnsMsg::Inventory {
                request,
                event,
                at: at(),
            }),
        );
    }

    /// The DNS pane opened and `Esc` pressed: the organisation's load asked for.
    pub(crate) fn org_view() -> (State, RequestId) {
        let (mut state, _) = loaded_state();
        key(&mut state, KeyCode::Char('2'));
        let effects = key(&mut state, KeyCode::Esc);
        let [Effect::Dns(DnsEffect::LoadInventory { request })] = effects.as_slice() else {
            panic!("expected the inventory load, got {effects:?}")
        };
        assert_eq!(state.dns.view, View::Accounts);
        (state, *request)
    }

    /// The organisation with its accounts: management ok with the root zone, dev ok with two
    /// zones, prod denied; `dev` still loading unless `finish`.
    pub(crate) fn org_loaded(finish: bool) -> (State, RequestId) {
        let (mut state, request) = org_view();
        update(
            &mut state,
            Msg::Dns(DnsMsg::OrgAccounts {
                request,
                result: Ok(vec![
                    account("111111111111", "management"),
                    account("222222222222", "dev"),
                    account("333333333333", "prod"),
                ]),
                at: at(),
            }),
        );
        for account in 0..3 {
            event(&mut state, request, InventoryEvent::Started { account });
        }
        event(
            &mut state,
            request,
            InventoryEvent::Zones {
                account: 0,
                zones: vec![zone("example.com", false)],
            },
        );
        event(
            &mut state,
            request,
            InventoryEvent::Records {
                account: 0,
                zone: 0,
                records: vec![
                    rec("example.com", "NS", 172800, &["ns-1.awsdns-01.org."]),
                    rec("dev.example.com", "NS", 172800, &["ns-1.awsdns-01.org."]),
                    rec("www.example.com", "A", 300, &["192.0.2.1"]),
                ],
            },
        );
        event(
            &mut state,
            request,
            InventoryEvent::Finished {
                account: 0,
                status: AccountStatus::Ok,
            },
        );
        event(
            &mut state,
            request,
            InventoryEvent::Zones {
                account: 1,
                zones: vec![
                    zone("dev.example.com", false),
                    zone("internal.dev.example.com", true),
                ],
            },
        );
        event(
            &mut state,
            request,
            InventoryEvent::Records {
                account: 1,
                zone: 0,
                records: vec![
                    rec("dev.example.com", "NS", 172800, &["ns-1.awsdns-01.org"]),
                    rec("api.dev.example.com", "A", 60, &["192.0.2.10"]),
                    rec("dev.example.com", "MX", 3600, &["10 mx.example.com."]),
                ],
            },
        );
        event(
            &mut state,
            request,
            InventoryEvent::Finished {
                account: 2,
                status: AccountStatus::Denied(
                    "STS AssumeRole failed: not authorized (AccessDenied)".into(),
                ),
            },
        );
        if finish {
            event(
                &mut state,
                request,
                InventoryEvent::Finished {
                    account: 1,
                    status: AccountStatus::Ok,
                },
            );
        }
        (state, request)
    }

    #[test]
    fn escape_from_the_zones_goes_up_to_the_organisation_and_loads_it_once() {
        let (mut state, _) = org_view();
        assert!(state.dns.is_busy());
        // Back down and up again: the load in flight is kept.
        key(&mut state, KeyCode::Esc);
        assert_eq!(state.dns.view, View::Zones);
        assert!(key(&mut state, KeyCode::Esc).is_empty());
        assert_eq!(state.dns.view, View::Accounts);
    }

    #[test]
    fn accounts_show_their_status_and_a_failed_one_stays_a_row() {
        let (state, _) = org_loaded(false);
        let inv = &state.dns.org.as_ref().unwrap().inventory;
        assert_eq!(
            state.dns.accounts.rows.len(),
            5,
            "all records, delegations, 3 accounts"
        );
        assert_eq!(inv.accounts[1].status.word(), "loading");
        assert_eq!(inv.accounts[2].status.word(), "denied");
        assert!(state.dns.is_busy());
    }

    #[test]
    fn events_of_a_superseded_load_are_dropped() {
        let (mut state, old) = org_loaded(false);
        let effects = key(&mut state, KeyCode::Char('r'));
        let [Effect::Dns(DnsEffect::LoadInventory { request })] = effects.as_slice() else {
            panic!("expected a new load, got {effects:?}")
        };
        assert_ne!(*request, old);
        event(
            &mut state,
            old,
            InventoryEvent::Finished {
                account: 1,
                status: AccountStatus::Ok,
            },
        );
        let org = state.dns.org.as_ref().unwrap();
        assert!(org.accounts.is_loading());
        assert!(org.inventory.accounts.is_empty());
    }

    #[test]
    fn all_records_stream_in_account_and_zone_order() {
        let (mut state, request) = org_loaded(false);
        key(&mut state, KeyCode::Enter);
        assert_eq!(state.dns.view, View::Records { zone: None });
        assert_eq!(state.dns.records.rows.len(), 6);
        // A later page of the management zone goes before dev's rows.
        event(
            &mut state,
            request,
            InventoryEvent::Records {
                account: 0,
                zone: 0,
                records: vec![rec("zz.example.com", "TXT", 60, &["\"x\""])],
            },
        );
        let names: Vec<String> = state
            .dns
            .records
            .rows
            .iter()
            .map(|r| {
                state
                    .dns
                    .org
                    .as_ref()
                    .unwrap()
                    .inventory
                    .record(*r)
                    .unwrap()
                    .2
                    .name
                    .clone()
            })
            .collect();
        assert_eq!(
            names,
            [
                "example.com",
                "dev.example.com",
                "www.example.com",
                "zz.example.com",
                "dev.example.com",
                "api.dev.example.com",
                "dev.example.com"
            ]
        );
    }

    #[test]
    fn the_records_filter_takes_type_and_sort_words_and_fuzzy_text() {
        let (mut state, _) = org_loaded(true);
        key(&mut state, KeyCode::Enter);
        key(&mut state, KeyCode::Char('/'));
        typed(&mut state, "type:ns sort:name");
        key(&mut state, KeyCode::Enter);
        assert_eq!(state.dns.records.table.visible_len(), 3);
        assert_eq!(state.dns.record_filter().sort, SortBy::Name);
        key(&mut state, KeyCode::Char('/'));
        typed(&mut state, " 'api");
        key(&mut state, KeyCode::Enter);
        assert_eq!(
            state.dns.records.table.visible_len(),
            0,
            "no NS record is named api"
        );
        assert_eq!(
            RecordFilter::parse("type:mx  sort:ttl mail"),
            RecordFilter {
                kind: Some("MX".into()),
                sort: SortBy::Ttl,
                text: "mail".into()
            }
        );
    }

    #[test]
    fn changing_the_sort_while_typing_searches_the_new_rows_not_the_old_matches() {
        let (mut state, _) = org_loaded(true);
        key(&mut state, KeyCode::Enter);
        key(&mut state, KeyCode::Char('/'));
        typed(&mut state, "www");
        assert_eq!(state.dns.records.table.visible_len(), 1);
        // Same record count, other order: the match must follow the record, not its old row.
        typed(&mut state, " sort:name");
        let inv = &state.dns.org.as_ref().unwrap().inventory;
        let shown: Vec<&str> = state
            .dns
            .records
            .table
            .visible()
            .iter()
            .map(|&i| {
                inv.record(state.dns.records.rows[i])
                    .unwrap()
                    .2
                    .name
                    .as_str()
            })
            .collect();
        assert_eq!(shown, ["www.example.com"]);
    }

    #[test]
    fn enter_on_a_record_shows_who_serves_it_and_escape_comes_back() {
        let (mut state, _) = org_loaded(true);
        key(&mut state, KeyCode::Enter);
        key(&mut state, KeyCode::Char('/'));
        typed(&mut state, "'api.dev");
        key(&mut state, KeyCode::Enter);
        key(&mut state, KeyCode::Enter);
        assert_eq!(
            state.dns.view,
            View::Find {
                name: "api.dev.example.com".into()
            }
        );
        let lookup = state.dns.lookup.as_ref().unwrap();
        assert_eq!(lookup.zones[0].zone, "dev.example.com");
        assert_eq!(lookup.chain.len(), 1);
        assert_eq!(lookup.answers.len(), 1);
        assert_eq!(state.dns.found.rows.len(), 3);
        key(&mut state, KeyCode::Esc);
        assert_eq!(state.dns.view, View::Records { zone: None });
    }

    #[test]
    fn the_delegation_row_opens_the_check_problems_first() {
        let (mut state, _) = org_loaded(true);
        key(&mut state, KeyCode::Char('j'));
        key(&mut state, KeyCode::Enter);
        assert_eq!(state.dns.view, View::Delegations);
        let statuses: Vec<&str> = state
            .dns
            .delegations
            .rows
            .iter()
            .map(|d| d.status.word())
            .collect();
        assert_eq!(statuses, ["ok"]);
    }

    #[test]
    fn an_account_opens_its_zones_then_a_zone_its_records() {
        let (mut state, _) = org_loaded(true);
        for _ in 0..3 {
            key(&mut state, KeyCode::Char('j'));
        }
        key(&mut state, KeyCode::Enter);
        assert_eq!(state.dns.view, View::OrgZones { account: Some(1) });
        assert_eq!(state.dns.org_zones.rows.len(), 2);
        key(&mut state, KeyCode::Enter);
        assert_eq!(
            state.dns.view,
            View::Records {
                zone: Some(ZoneRef {
                    account: 1,
                    zone: 0
                })
            }
        );
        assert_eq!(state.dns.records.rows.len(), 3);
        assert!(key(&mut state, KeyCode::Char('e')).is_empty());
        let effects = key(&mut state, KeyCode::Char('c'));
        assert!(!state.dns.export_prompt);
        let [
            Effect::Export {
                name,
                headers,
                rows,
            },
        ] = effects.as_slice()
        else {
            panic!("expected an export, got {effects:?}")
        };
        assert_eq!(name, "dns-records");
        assert_eq!(headers[5], "name");
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[1][5], "api.dev.example.com");
        let effects = key(&mut state, KeyCode::Char('y'));
        assert_eq!(
            effects,
            [Effect::Copy {
                text: "dev.example.com".into()
            }]
        );
    }

    /// The JSON of an `ExportJson` effect, parsed back.
    fn exported_json(effects: &[Effect], expected_name: &str) -> serde_json::Value {
        let [Effect::ExportJson { name, json }] = effects else {
            panic!("expected a JSON export, got {effects:?}")
        };
        assert_eq!(name, expected_name);
        serde_json::from_str(json).expect("the export is JSON")
    }

    #[test]
    fn export_asks_csv_or_json_and_holds_the_keys_until_answered() {
        let (mut state, _) = org_loaded(true);
        key(&mut state, KeyCode::Enter);
        let selected = state.dns.records.table.selected_index();
        assert!(key(&mut state, KeyCode::Char('e')).is_empty());
        assert!(state.dns.export_prompt);
        // Keys that would move, switch panes or quit are the prompt's while it is open.
        assert!(key(&mut state, KeyCode::Down).is_empty());
        assert!(key(&mut state, KeyCode::Char('2')).is_empty());
        assert!(key(&mut state, KeyCode::Char('q')).is_empty());
        assert!(state.running);
        assert_eq!(state.dns.records.table.selected_index(), selected);
        assert!(state.dns.export_prompt);
        // Esc cancels without exporting and without leaving the view.
        assert!(key(&mut state, KeyCode::Esc).is_empty());
        assert!(!state.dns.export_prompt);
        assert_eq!(state.dns.view, View::Records { zone: None });
        key(&mut state, KeyCode::Char('e'));
        let effects = key(&mut state, KeyCode::Char('j'));
        assert!(!state.dns.export_prompt);
        assert_eq!(
            exported_json(&effects, "dns-records")
                .as_array()
                .unwrap()
                .len(),
            6
        );
    }

    #[test]
    fn the_records_json_export_parses_back_to_the_dns_records_shape() {
        let (mut state, _) = org_loaded(true);
        key(&mut state, KeyCode::Enter);
        key(&mut state, KeyCode::Char('/'));
        typed(&mut state, "type:mx");
        key(&mut state, KeyCode::Enter);
        key(&mut state, KeyCode::Char('e'));
        let json = exported_json(&key(&mut state, KeyCode::Char('j')), "dns-records");
        let rows = json.as_array().unwrap();
        assert_eq!(rows.len(), 1, "only the rows the filter shows");
        let mut keys: Vec<&str> = rows[0]
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        keys.sort_unstable();
        let mut expected = [
            "account_id",
            "account_name",
            "zone_id",
            "zone",
            "private",
            "name",
            "type",
            "ttl",
            "values",
            "alias",
            "set_identifier",
            "routing",
        ];
        expected.sort_unstable();
        assert_eq!(keys, expected);
        // The very object `dns records -o json` prints for this record.
        let inv = &state.dns.org.as_ref().unwrap().inventory;
        let (a, z, r) = inv
            .records()
            .find(|(_, _, _, r)| r.kind == "MX")
            .map(|(_, a, z, r)| (a, z, r))
            .unwrap();
        assert_eq!(
            rows[0],
            serde_json::to_value(RecordRow::new(a, z, r)).unwrap()
        );
        assert_eq!(rows[0]["ttl"], 3600);
        assert_eq!(rows[0]["values"], serde_json::json!(["10 mx.example.com."]));
        assert_eq!(rows[0]["routing"]["policy"], "simple");
    }

    #[test]
    fn the_json_file_keeps_the_command_key_order_and_escapes_terminal_controls() {
        let (mut state, request) = org_loaded(true);
        event(
            &mut state,
            request,
            InventoryEvent::Records {
                account: 0,
                zone: 0,
                records: vec![rec("evil.example.com", "TXT", 60, &["\u{1b}]52;c;x\u{7}"])],
            },
        );
        key(&mut state, KeyCode::Enter);
        key(&mut state, KeyCode::Char('e'));
        let effects = key(&mut state, KeyCode::Char('j'));
        let [Effect::ExportJson { json, .. }] = effects.as_slice() else {
            panic!("expected a JSON export, got {effects:?}")
        };
        assert!(!json.contains('\u{1b}') && !json.contains('\u{7}'));
        let first = json.find("\"account_id\"").unwrap();
        let routing = json.find("\"routing\"").unwrap();
        assert!(first < json.find("\"name\"").unwrap() && json.find("\"name\"").unwrap() < routing);
        let parsed: serde_json::Value = serde_json::from_str(json).unwrap();
        assert_eq!(parsed[3]["values"][0], "\u{1b}]52;c;x\u{7}");
    }

    #[test]
    fn zones_delegations_and_find_export_json_as_their_commands_print() {
        let (mut state, _) = org_loaded(true);
        // Delegations: the `dns delegations` objects.
        key(&mut state, KeyCode::Char('j'));
        key(&mut state, KeyCode::Enter);
        key(&mut state, KeyCode::Char('e'));
        let json = exported_json(&key(&mut state, KeyCode::Char('j')), "dns-delegations");
        assert_eq!(
            json,
            serde_json::to_value(&state.dns.delegations.rows).unwrap()
        );
        assert_eq!(json[0]["child_zone"], "dev.example.com");
        // An account's zones: the `dns zones` objects.
        let (mut state, _) = org_loaded(true);
        for _ in 0..3 {
            key(&mut state, KeyCode::Char('j'));
        }
        key(&mut state, KeyCode::Enter);
        assert_eq!(state.dns.view, View::OrgZones { account: Some(1) });
        key(&mut state, KeyCode::Char('e'));
        let json = exported_json(&key(&mut state, KeyCode::Char('j')), "dns-zones");
        assert_eq!(
            json[1],
            serde_json::json!({
                "account_id": "222222222222",
                "account_name": "dev",
                "zone_id": "ZINTERNALDEVEXAMPLECOM",
                "zone": "internal.dev.example.com",
                "private": true,
                "record_count": 2,
                "comment": "internal.dev.example.com zone",
                "vpcs": ["us-east-1/vpc-0abc"],
            })
        );
        // Who serves a name: the `dns find` document.
        key(&mut state, KeyCode::Enter);
        key(&mut state, KeyCode::Char('j'));
        key(&mut state, KeyCode::Enter);
        assert!(matches!(state.dns.view, View::Find { .. }));
        key(&mut state, KeyCode::Char('e'));
        let json = exported_json(&key(&mut state, KeyCode::Char('j')), "dns-find");
        assert_eq!(json["name"], "api.dev.example.com");
        assert_eq!(json["zones"][0]["zone"], "dev.example.com");
        assert_eq!(json["chain"].as_array().unwrap().len(), 1);
        assert_eq!(json["answers"][0]["match"], "exact");
        assert_eq!(json["answers"][0]["name"], "api.dev.example.com");
        assert_eq!(
            json["answers"][0]["values"],
            serde_json::json!(["192.0.2.10"])
        );
    }

    #[test]
    fn the_current_accounts_zones_export_json_as_dns_zones_prints_them() {
        let (mut state, _) = org_loaded(true);
        key(&mut state, KeyCode::Esc);
        assert_eq!(state.dns.view, View::Zones);
        let request = RequestId(9_000);
        state.dns.zones.begin(request, "222222222222");
        let detail = zone("internal.dev.example.com", true);
        assert!(
            state
                .dns
                .zones
                .loaded(request, Ok(vec![detail.zone.clone()]), at())
        );
        let effect = state.dns.export(ExportFormat::Json).unwrap().unwrap();
        let [row] = exported_json(std::slice::from_ref(&effect), "hosted-zones")
            .as_array()
            .cloned()
            .unwrap()
            .try_into()
            .unwrap();
        // The account name and VPCs come from the organisation's inventory.
        assert_eq!(row["account_name"], "dev");
        assert_eq!(row["vpcs"], serde_json::json!(["us-east-1/vpc-0abc"]));
        assert_eq!(row["record_count"], 2);
    }

    #[test]
    fn a_failed_account_list_fails_the_view_with_its_error() {
        let (mut state, request) = org_view();
        update(
            &mut state,
            Msg::Dns(DnsMsg::OrgAccounts {
                request,
                result: Err(ServiceError::new(
                    crate::services::ErrorKind::Denied,
                    Some("AccessDeniedException".into()),
                    "Organizations ListAccounts failed",
                )),
                at: at(),
            }),
        );
        let org = state.dns.org.as_ref().unwrap();
        assert!(matches!(org.accounts, crate::app::Loadable::Failed { .. }));
        assert!(org.inventory.accounts.is_empty());
    }
}
