//! Route53 in the fake: hosted zones (public, or private with their VPCs) and their record sets,
//! listed in pages through the caller's [`Pace`] like the adapter (so throttling injected with
//! `fail_next` meets the same patience).

use async_trait::async_trait;

use super::{AwsError, FakeBackend};
use crate::domain::dns::{ChangeAction, HostedZone, RecordChange, RecordSet, Routing, ZoneDetail};
use crate::services::{Dns, ErrorKind, Pace, ServiceError};

/// ListHostedZones answers 100 zones a page at most.
const ZONE_PAGE: usize = 100;

#[derive(Debug, Default)]
pub(super) struct Route53 {
    /// (account, zone) in creation order.
    zones: Vec<(String, Zone)>,
    /// Record sets per ListResourceRecordSets page (300, as the adapter asks).
    record_page: Option<usize>,
    /// Change ids handed out, with how many more GetChange calls answer PENDING.
    changes: Vec<(String, usize)>,
    /// How many GetChange calls answer PENDING for a new change.
    pending_polls: usize,
}

#[derive(Debug, Clone)]
struct Zone {
    zone: HostedZone,
    vpcs: Vec<String>,
    records: Vec<RecordSet>,
}

/// A hosted zone to seed.
#[derive(Debug, Clone)]
pub struct ZoneSeed {
    zone: Zone,
}

impl ZoneSeed {
    /// A public zone; `id` without `/hostedzone/`, `name` without the trailing dot.
    pub fn public(id: &str, name: &str) -> ZoneSeed {
        ZoneSeed {
            zone: Zone {
                zone: HostedZone {
                    id: id.to_owned(),
                    name: name.to_owned(),
                    private: false,
                    record_count: 0,
                    comment: String::new(),
                },
                vpcs: Vec::new(),
                records: Vec::new(),
            },
        }
    }

    /// A private zone answering in one VPC, `region/vpc-id`.
    pub fn private(id: &str, name: &str, vpc: &str) -> ZoneSeed {
        let mut seed = ZoneSeed::public(id, name);
        seed.zone.zone.private = true;
        seed.zone.vpcs.push(vpc.to_owned());
        seed
    }

    pub fn comment(mut self, comment: &str) -> ZoneSeed {
        comment.clone_into(&mut self.zone.zone.comment);
        self
    }

    pub fn record(mut self, record: RecordSet) -> ZoneSeed {
        self.zone.records.push(record);
        self
    }

    /// A simple record (`A`, `CNAME`, `TXT`...) with a TTL of 300.
    pub fn simple(self, name: &str, kind: &str, values: &[&str]) -> ZoneSeed {
        self.record(RecordSet {
            name: name.to_owned(),
            kind: kind.to_owned(),
            ttl: Some(300),
            values: values.iter().map(|v| (*v).to_owned()).collect(),
            alias: None,
            set_identifier: None,
            routing: Routing {
                policy: "simple".to_owned(),
                ..Routing::default()
            },
        })
    }
}

fn no_zone(id: &str) -> AwsError {
    let message = format!("No hosted zone found with ID: {id}");
    AwsError::new(ErrorKind::NotFound, "NoSuchHostedZone", message)
}

impl Route53 {
    fn zones_of(&self, account: &str) -> Vec<&Zone> {
        let zones = self.zones.iter().filter(|(a, _)| a == account);
        zones.map(|(_, z)| z).collect()
    }

    fn zone_mut(&mut self, account: &str, id: &str) -> Result<&mut Zone, AwsError> {
        let mut zones = self.zones.iter_mut();
        zones
            .find(|(a, z)| a == account && z.zone.id == id)
            .map(|(_, z)| z)
            .ok_or_else(|| no_zone(id))
    }

    /// Apply a change batch whole, or nothing of it, as Route53 does: a CREATE of a record set
    /// that exists, or a DELETE of one that does not exist exactly as given, refuses the batch.
    fn change(
        &mut self,
        account: &str,
        id: &str,
        changes: &[RecordChange],
    ) -> Result<String, AwsError> {
        let zone = self.zone_mut(account, id)?;
        let mut records = zone.records.clone();
        for c in changes {
            let at = records.iter().position(|r| r.key() == c.record.key());
            let refused =
                |why: String| AwsError::new(ErrorKind::Invalid, "InvalidChangeBatch", why);
            match (c.action, at) {
                (ChangeAction::Create, Some(_)) => {
                    return Err(refused(format!(
                        "Tried to create resource record set [name='{}.', type='{}'] but it already exists",
                        c.record.name, c.record.kind
                    )));
                }
                (ChangeAction::Delete, at) if at.is_none_or(|i| records[i] != c.record) => {
                    return Err(refused(format!(
                        "Tried to delete resource record set [name='{}.', type='{}'] but it was not found",
                        c.record.name, c.record.kind
                    )));
                }
                (ChangeAction::Delete, Some(i)) => {
                    records.remove(i);
                }
                (_, Some(i)) => records[i] = c.record.clone(),
                (_, None) => records.push(c.record.clone()),
            }
        }
        zone.records = records;
        zone.zone.record_count = i64::try_from(zone.records.len()).unwrap_or(i64::MAX);
        let change_id = format!("C{:04}", self.changes.len() + 1);
        self.changes.push((change_id.clone(), self.pending_polls));
        Ok(change_id)
    }

    fn zone(&self, account: &str, id: &str) -> Result<&Zone, AwsError> {
        let mut zones = self.zones.iter();
        zones
            .find(|(a, z)| a == account && z.zone.id == id)
            .map(|(_, z)| z)
            .ok_or_else(|| no_zone(id))
    }
}

impl FakeBackend {
    /// A hosted zone in the caller's account.
    pub fn with_zone(self, seed: ZoneSeed) -> FakeBackend {
        let account = self.account_id();
        self.with_zone_in(&account, seed)
    }

    pub fn with_zone_in(self, account: &str, seed: ZoneSeed) -> FakeBackend {
        let mut zone = seed.zone;
        zone.zone.record_count = i64::try_from(zone.records.len()).unwrap_or(i64::MAX);
        self.lock().route53.zones.push((account.to_owned(), zone));
        self
    }

    /// ListResourceRecordSets answers `size` record sets a page (default 300).
    pub fn with_record_page_size(self, size: usize) -> FakeBackend {
        self.lock().route53.record_page = Some(size.max(1));
        self
    }

    /// GetChange answers PENDING `polls` times for each new change, then INSYNC.
    pub fn with_pending_changes(self, polls: usize) -> FakeBackend {
        self.lock().route53.pending_polls = polls;
        self
    }

    /// The record sets of a zone, as seeded and changed.
    pub fn records(&self, zone_id: &str) -> Vec<RecordSet> {
        let world = self.lock();
        let mut zones = world.route53.zones.iter();
        let zone = zones.find(|(_, z)| z.zone.id == zone_id);
        zone.map(|(_, z)| z.records.clone()).unwrap_or_default()
    }

    /// Every zone of the account, one ListHostedZones call per page of 100.
    async fn list_zones(
        &self,
        account: &str,
        pace: &Pace,
    ) -> Result<Vec<HostedZone>, ServiceError> {
        let mut zones = Vec::new();
        loop {
            let from = zones.len();
            let (found, more) = pace
                .call(|| async move {
                    self.call(
                        account,
                        "ListHostedZones",
                        "",
                        "Route53 ListHostedZones",
                        |w| {
                            let all = w.route53.zones_of(account);
                            let end = (from + ZONE_PAGE).min(all.len());
                            let found: Vec<HostedZone> = all[from.min(end)..end]
                                .iter()
                                .map(|z| z.zone.clone())
                                .collect();
                            Ok((found, end < all.len()))
                        },
                    )
                })
                .await?;
            zones.extend(found);
            if !more {
                return Ok(zones);
            }
        }
    }
}

#[async_trait]
impl Dns for FakeBackend {
    async fn hosted_zones(&self, account_id: &str) -> Result<Vec<HostedZone>, ServiceError> {
        self.list_zones(account_id, &Pace::unpaced()).await
    }

    async fn zone_details(
        &self,
        account_id: &str,
        pace: &Pace,
    ) -> Result<Vec<ZoneDetail>, ServiceError> {
        let zones = self.list_zones(account_id, pace).await?;
        let mut details = Vec::with_capacity(zones.len());
        for zone in zones {
            let vpcs = if zone.private {
                let id = zone.id.as_str();
                pace.call(|| async move {
                    self.call(
                        account_id,
                        "GetHostedZone",
                        id,
                        "Route53 GetHostedZone",
                        |w| Ok(w.route53.zone(account_id, id)?.vpcs.clone()),
                    )
                })
                .await?
            } else {
                Vec::new()
            };
            details.push(ZoneDetail { zone, vpcs });
        }
        Ok(details)
    }

    async fn record_sets(
        &self,
        account_id: &str,
        zone_id: &str,
        pace: &Pace,
        on_page: &mut (dyn FnMut(Vec<RecordSet>) + Send),
    ) -> Result<(), ServiceError> {
        let mut from = 0;
        loop {
            let what = "Route53 ListResourceRecordSets";
            let (records, more) = pace
                .call(|| async move {
                    self.call(account_id, "ListResourceRecordSets", zone_id, what, |w| {
                        let size = w.route53.record_page.unwrap_or(300);
                        let all = &w.route53.zone(account_id, zone_id)?.records;
                        let end = (from + size).min(all.len());
                        Ok((all[from.min(end)..end].to_vec(), end < all.len()))
                    })
                })
                .await?;
            from += records.len();
            on_page(records);
            if !more {
                return Ok(());
            }
        }
    }

    async fn records_named(
        &self,
        account_id: &str,
        zone_id: &str,
        name: &str,
    ) -> Result<Vec<RecordSet>, ServiceError> {
        let what = "Route53 ListResourceRecordSets";
        self.call(account_id, "ListResourceRecordSets", zone_id, what, |w| {
            let zone = w.route53.zone(account_id, zone_id)?;
            Ok(zone
                .records
                .iter()
                .filter(|r| r.name == name)
                .cloned()
                .collect())
        })
    }

    async fn change_record_sets(
        &self,
        account_id: &str,
        zone_id: &str,
        changes: &[RecordChange],
    ) -> Result<String, ServiceError> {
        let what = "Route53 ChangeResourceRecordSets";
        self.change(account_id, "ChangeResourceRecordSets", zone_id, what, |w| {
            w.route53.change(account_id, zone_id, changes)
        })
    }

    async fn change_in_sync(
        &self,
        account_id: &str,
        change_id: &str,
    ) -> Result<bool, ServiceError> {
        self.call(
            account_id,
            "GetChange",
            change_id,
            "Route53 GetChange",
            |w| {
                let Some((_, pending)) =
                    w.route53.changes.iter_mut().find(|(id, _)| id == change_id)
                else {
                    let message = format!(
                        "A change with the specified change ID does not exist: {change_id}"
                    );
                    return Err(AwsError::new(ErrorKind::NotFound, "NoSuchChange", message));
                };
                if *pending == 0 {
                    return Ok(true);
                }
                *pending -= 1;
                Ok(false)
            },
        )
    }
}
