//! The organisation-wide record inventory: every account, its zones and their record sets, built
//! from the events a load sends as pages arrive, so a view can show rows streaming in and each
//! account's status while the others are still loading.

use super::{HostedZone, RecordSet, RecordStore, RecordView, ZoneDetail};
use crate::domain::account::Account;

/// How far one account's load got.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AccountStatus {
    /// Not started yet (waiting for a free slot in the fan-out).
    Waiting,
    Loading {
        zones: usize,
        zones_done: usize,
        pages: usize,
    },
    Ok,
    /// The role could not be assumed or Route53 refused: the message says which, with the AWS code.
    Denied(String),
    /// Route53 kept throttling after the SDK's retries.
    Throttled(String),
    Failed(String),
}

impl AccountStatus {
    pub fn is_finished(&self) -> bool {
        !matches!(self, AccountStatus::Waiting | AccountStatus::Loading { .. })
    }

    pub fn is_failure(&self) -> bool {
        matches!(
            self,
            AccountStatus::Denied(_) | AccountStatus::Throttled(_) | AccountStatus::Failed(_)
        )
    }

    /// One word for the status column and JSON: waiting, loading, ok, denied, throttled, failed.
    pub fn word(&self) -> &'static str {
        match self {
            AccountStatus::Waiting => "waiting",
            AccountStatus::Loading { .. } => "loading",
            AccountStatus::Ok => "ok",
            AccountStatus::Denied(_) => "denied",
            AccountStatus::Throttled(_) => "throttled",
            AccountStatus::Failed(_) => "failed",
        }
    }

    /// The error, for failed states.
    pub fn error(&self) -> Option<&str> {
        match self {
            AccountStatus::Denied(e) | AccountStatus::Throttled(e) | AccountStatus::Failed(e) => {
                Some(e)
            }
            _ => None,
        }
    }
}

/// What a load reports, in order per account (`Started`, `Zones`, then the zones' `Records` and
/// `ZoneDone`, interleaved when zones are read side by side, each zone's pages in order, and
/// `Finished` last). Accounts and zones are indices into the inventory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InventoryEvent {
    /// One page of the organisation's account listing: appended, in order, after the accounts
    /// already there (whose indices stay). Sent before any event about these accounts.
    Accounts {
        accounts: Vec<Account>,
    },
    /// The account listing is over: to the end, or stopped by `error` (the accounts listed
    /// before it stay and are read).
    Listed {
        error: Option<String>,
    },
    Started {
        account: usize,
    },
    Zones {
        account: usize,
        zones: Vec<ZoneDetail>,
    },
    /// One page of a zone's record sets (already de-duplicated).
    Records {
        account: usize,
        zone: usize,
        records: Vec<RecordSet>,
    },
    /// A zone's records could not be read completely; what was read stays.
    ZoneFailed {
        account: usize,
        zone: usize,
        error: String,
    },
    /// A zone's records were read to the end, failed, or were not wanted.
    ZoneDone {
        account: usize,
        zone: usize,
    },
    Finished {
        account: usize,
        status: AccountStatus,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ZoneEntry {
    pub detail: ZoneDetail,
    /// The zone's record sets, packed (see [`RecordStore`]).
    pub records: RecordStore,
    /// Set when the records are incomplete.
    pub error: Option<String>,
    /// Whether the records were asked for (commands skip zones they do not need).
    pub records_done: bool,
}

impl ZoneEntry {
    pub fn zone(&self) -> &HostedZone {
        &self.detail.zone
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountEntry {
    pub account: Account,
    pub status: AccountStatus,
    pub zones: Vec<ZoneEntry>,
    pub pages: usize,
    pub records: usize,
}

impl AccountEntry {
    /// The status in words: `loading: 2/5 zones, 14 pages`, `ok: 5 zones, 4012 records`, or the error.
    pub fn status_text(&self) -> String {
        match &self.status {
            AccountStatus::Waiting => "waiting".into(),
            AccountStatus::Loading {
                zones,
                zones_done,
                pages,
            } => format!(
                "loading: {zones_done}/{zones} zones, {pages} pages, {} records",
                self.records
            ),
            AccountStatus::Ok => {
                let incomplete = self.zones.iter().filter(|z| z.error.is_some()).count();
                let mut text = format!("ok: {} zones, {} records", self.zones.len(), self.records);
                if incomplete > 0 {
                    text.push_str(&format!(", {incomplete} incomplete"));
                }
                text
            }
            other => format!("{}: {}", other.word(), other.error().unwrap_or_default()),
        }
    }

    pub fn label(&self) -> String {
        if self.account.name.is_empty() {
            self.account.id.clone()
        } else {
            format!("{} ({})", self.account.name, self.account.id)
        }
    }
}

/// Points at one zone of the inventory.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ZoneRef {
    pub account: usize,
    pub zone: usize,
}

/// Points at one record set of the inventory; compact, for views of 100,000 rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RecordRef {
    pub account: u32,
    pub zone: u32,
    pub record: u32,
}

/// How far the account listing got.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Listing {
    /// Every account is in the inventory.
    #[default]
    Done,
    /// Pages of accounts are still coming ([`InventoryEvent::Accounts`]).
    Going,
    /// The listing stopped: the accounts before the failure are in the inventory.
    Failed(String),
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Inventory {
    pub accounts: Vec<AccountEntry>,
    pub listing: Listing,
}

impl Inventory {
    /// An inventory of these accounts, all known up front.
    pub fn new(accounts: Vec<Account>) -> Self {
        let mut inventory = Inventory::default();
        inventory.append(accounts);
        inventory
    }

    /// An empty inventory whose accounts come page by page ([`InventoryEvent::Accounts`]).
    pub fn listing() -> Self {
        Inventory {
            accounts: Vec::new(),
            listing: Listing::Going,
        }
    }

    fn append(&mut self, accounts: Vec<Account>) {
        self.accounts
            .extend(accounts.into_iter().map(|account| AccountEntry {
                account,
                status: AccountStatus::Waiting,
                zones: Vec::new(),
                pages: 0,
                records: 0,
            }));
    }

    /// Apply one event; events for indices the inventory does not have are ignored.
    pub fn apply(&mut self, event: InventoryEvent) {
        match event {
            InventoryEvent::Accounts { accounts } => self.append(accounts),
            InventoryEvent::Listed { error } => {
                self.listing = error.map_or(Listing::Done, Listing::Failed);
            }
            InventoryEvent::Started { account } => {
                if let Some(a) = self.accounts.get_mut(account) {
                    a.status = AccountStatus::Loading {
                        zones: 0,
                        zones_done: 0,
                        pages: 0,
                    };
                }
            }
            InventoryEvent::Zones { account, zones } => {
                if let Some(a) = self.accounts.get_mut(account) {
                    a.zones = zones
                        .into_iter()
                        .map(|detail| ZoneEntry {
                            detail,
                            records: RecordStore::default(),
                            error: None,
                            records_done: false,
                        })
                        .collect();
                    if let AccountStatus::Loading { zones, .. } = &mut a.status {
                        *zones = a.zones.len();
                    }
                }
            }
            InventoryEvent::Records {
                account,
                zone,
                records,
            } => {
                if let Some(a) = self.accounts.get_mut(account)
                    && let Some(z) = a.zones.get_mut(zone)
                {
                    a.pages += 1;
                    a.records += records.len();
                    z.records.push(records);
                    if let AccountStatus::Loading { pages, .. } = &mut a.status {
                        *pages += 1;
                    }
                }
            }
            InventoryEvent::ZoneFailed {
                account,
                zone,
                error,
            } => {
                if let Some(a) = self.accounts.get_mut(account)
                    && let Some(z) = a.zones.get_mut(zone)
                {
                    z.error = Some(error);
                }
            }
            InventoryEvent::ZoneDone { account, zone } => {
                self.zone_done(ZoneRef { account, zone });
            }
            InventoryEvent::Finished { account, status } => {
                if let Some(a) = self.accounts.get_mut(account) {
                    a.status = status;
                }
            }
        }
    }

    /// Mark a zone's records as read to the end (or given up on).
    pub fn zone_done(&mut self, zone: ZoneRef) {
        if let Some(z) = self
            .accounts
            .get_mut(zone.account)
            .and_then(|a| a.zones.get_mut(zone.zone))
        {
            z.records_done = true;
        }
        if let Some(a) = self.accounts.get_mut(zone.account)
            && let AccountStatus::Loading { zones_done, .. } = &mut a.status
        {
            *zones_done = a.zones.iter().filter(|z| z.records_done).count();
        }
    }

    /// Every account listed and finished.
    pub fn is_complete(&self) -> bool {
        self.listing != Listing::Going && self.accounts.iter().all(|a| a.status.is_finished())
    }

    pub fn zone(&self, r: ZoneRef) -> Option<(&AccountEntry, &ZoneEntry)> {
        let a = self.accounts.get(r.account)?;
        Some((a, a.zones.get(r.zone)?))
    }

    pub fn record(&self, r: RecordRef) -> Option<(&AccountEntry, &ZoneEntry, RecordView<'_>)> {
        let a = self.accounts.get(r.account as usize)?;
        let z = a.zones.get(r.zone as usize)?;
        Some((a, z, z.records.get(r.record as usize)?))
    }

    /// Every zone, in account order.
    pub fn zones(&self) -> impl Iterator<Item = (ZoneRef, &AccountEntry, &ZoneEntry)> {
        self.accounts.iter().enumerate().flat_map(|(ai, a)| {
            a.zones.iter().enumerate().map(move |(zi, z)| {
                (
                    ZoneRef {
                        account: ai,
                        zone: zi,
                    },
                    a,
                    z,
                )
            })
        })
    }

    /// Every record set, in account, zone and listing order.
    pub fn records(
        &self,
    ) -> impl Iterator<Item = (RecordRef, &AccountEntry, &ZoneEntry, RecordView<'_>)> {
        self.zones().flat_map(|(zr, a, z)| {
            z.records.iter().enumerate().map(move |(ri, r)| {
                (
                    RecordRef {
                        account: zr.account as u32,
                        zone: zr.zone as u32,
                        record: ri as u32,
                    },
                    a,
                    z,
                    r,
                )
            })
        })
    }

    pub fn record_count(&self) -> usize {
        self.accounts.iter().map(|a| a.records).sum()
    }

    /// Accounts that failed, with their status.
    pub fn failures(&self) -> impl Iterator<Item = &AccountEntry> {
        self.accounts.iter().filter(|a| a.status.is_failure())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::dns::Routing;

    fn account(id: &str) -> Account {
        Account {
            id: id.into(),
            name: format!("n{id}"),
            email: String::new(),
            status: "ACTIVE".into(),
            read_only: false,
        }
    }

    pub(crate) fn zone(name: &str) -> ZoneDetail {
        ZoneDetail {
            zone: HostedZone {
                id: format!("Z{name}"),
                name: name.into(),
                private: false,
                record_count: 0,
                comment: String::new(),
            },
            vpcs: Vec::new(),
        }
    }

    fn rec(name: &str) -> RecordSet {
        RecordSet {
            name: name.into(),
            kind: "A".into(),
            ttl: Some(1),
            values: vec![],
            alias: None,
            set_identifier: None,
            routing: Routing::default(),
        }
    }

    #[test]
    fn events_build_the_inventory_and_the_status_counts_pages() {
        let mut inv = Inventory::new(vec![account("1"), account("2")]);
        inv.apply(InventoryEvent::Started { account: 0 });
        inv.apply(InventoryEvent::Zones {
            account: 0,
            zones: vec![zone("a.com"), zone("b.com")],
        });
        inv.apply(InventoryEvent::Records {
            account: 0,
            zone: 1,
            records: vec![rec("x.b.com"), rec("y.b.com")],
        });
        inv.apply(InventoryEvent::ZoneDone {
            account: 0,
            zone: 0,
        });
        assert_eq!(
            inv.accounts[0].status_text(),
            "loading: 1/2 zones, 1 pages, 2 records"
        );
        assert_eq!(inv.accounts[1].status, AccountStatus::Waiting);
        assert!(!inv.is_complete());
        inv.apply(InventoryEvent::Finished {
            account: 0,
            status: AccountStatus::Ok,
        });
        inv.apply(InventoryEvent::Finished {
            account: 1,
            status: AccountStatus::Denied("no (AccessDenied)".into()),
        });
        assert!(inv.is_complete());
        assert_eq!(inv.accounts[0].status_text(), "ok: 2 zones, 2 records");
        assert_eq!(inv.accounts[1].status_text(), "denied: no (AccessDenied)");
        assert_eq!(inv.failures().count(), 1);
        let names: Vec<&str> = inv.records().map(|(_, _, _, r)| r.name()).collect();
        assert_eq!(names, ["x.b.com", "y.b.com"]);
        let (first, ..) = inv.records().next().unwrap();
        assert_eq!(inv.record(first).unwrap().2.name(), "x.b.com");
    }

    #[test]
    fn pages_of_accounts_append_with_stable_indices_and_a_failed_listing_keeps_them() {
        let mut inv = Inventory::listing();
        inv.apply(InventoryEvent::Accounts {
            accounts: vec![account("1"), account("2")],
        });
        inv.apply(InventoryEvent::Started { account: 1 });
        inv.apply(InventoryEvent::Finished {
            account: 0,
            status: AccountStatus::Ok,
        });
        inv.apply(InventoryEvent::Finished {
            account: 1,
            status: AccountStatus::Ok,
        });
        // Every account listed so far is done, but more may come.
        assert!(!inv.is_complete());
        inv.apply(InventoryEvent::Accounts {
            accounts: vec![account("3")],
        });
        let ids: Vec<&str> = inv.accounts.iter().map(|a| a.account.id.as_str()).collect();
        assert_eq!(ids, ["1", "2", "3"]);
        assert_eq!(inv.accounts[1].status, AccountStatus::Ok);
        assert_eq!(inv.accounts[2].status, AccountStatus::Waiting);
        inv.apply(InventoryEvent::Listed {
            error: Some("page 2 refused".into()),
        });
        inv.apply(InventoryEvent::Finished {
            account: 2,
            status: AccountStatus::Ok,
        });
        assert!(inv.is_complete());
        assert_eq!(inv.listing, Listing::Failed("page 2 refused".into()));
    }

    #[test]
    fn events_for_unknown_indices_are_ignored() {
        let mut inv = Inventory::new(vec![account("1")]);
        inv.apply(InventoryEvent::Records {
            account: 5,
            zone: 0,
            records: vec![rec("x")],
        });
        inv.apply(InventoryEvent::Finished {
            account: 9,
            status: AccountStatus::Ok,
        });
        assert_eq!(inv.record_count(), 0);
    }
}
