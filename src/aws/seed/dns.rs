//! The demo DNS estate, laid out the multi-account way: the root zone `example.com` in the management
//! account delegating to one subdomain zone per environment account.
//!
//! On purpose it also holds what a delegation check must catch: `staging` is delegated to name
//! servers that serve no zone we know (stale after a recreate), `sandbox.example.com` exists in the
//! dev account without any delegation, and `partner.example.com` is delegated to an outside DNS
//! provider. `internal.example.com` is a private zone in prod.
//!
//! The records are planned as plain values first (unit-tested), then written with UPSERT for
//! those a zone does not hold yet.

use std::collections::{BTreeMap, HashMap};

use aws_sdk_route53::Client as Route53Client;
use aws_sdk_route53::types::{
    AliasTarget, Change, ChangeAction, ChangeBatch, HostedZoneConfig, ResourceRecord,
    ResourceRecordSet, ResourceRecordSetFailover, RrType, Vpc, VpcRegion,
};

use super::organization::DemoAccounts;
use super::{DEMO_REGION, Outcome, SeedKind, SeedReport, TENANTS, aws_error};

pub(super) const ROOT_ZONE: &str = "example.com";

/// Where each demo zone lives. The account is `management` or a member account's name.
pub(super) struct ZoneSpec {
    pub name: &'static str,
    pub account: &'static str,
    pub private: bool,
}

pub(super) const ZONES: [ZoneSpec; 6] = [
    ZoneSpec {
        name: ROOT_ZONE,
        account: "management",
        private: false,
    },
    ZoneSpec {
        name: "dev.example.com",
        account: "dev",
        private: false,
    },
    ZoneSpec {
        name: "staging.example.com",
        account: "staging",
        private: false,
    },
    ZoneSpec {
        name: "prod.example.com",
        account: "prod",
        private: false,
    },
    ZoneSpec {
        name: "sandbox.example.com",
        account: "dev",
        private: false,
    },
    ZoneSpec {
        name: "internal.example.com",
        account: "prod",
        private: true,
    },
];

/// Child zones the root delegates to with their real name servers.
pub(super) const DELEGATED: [&str; 2] = ["dev.example.com", "prod.example.com"];

/// Name servers of a `staging.example.com` zone that was deleted and recreated: they serve nothing.
pub(super) const STALE_STAGING_NS: [&str; 4] = [
    "ns-1361.awsdns-42.org.",
    "ns-427.awsdns-53.com.",
    "ns-1747.awsdns-26.co.uk.",
    "ns-828.awsdns-39.net.",
];

pub(super) const PARTNER_NS: [&str; 2] = ["ns1.partner-dns.net.", "ns2.partner-dns.net."];

const PRIVATE_ZONE_VPC: &str = "vpc-0a1b2c3d4e5f60718";

/// Changes per ChangeResourceRecordSets call; AWS allows 1,000, smaller batches keep errors local.
const CHANGE_BATCH_SIZE: usize = 100;

/// The page size asked of ListResourceRecordSets; AWS caps it at 300.
const RECORD_PAGE_SIZE: i32 = 300;

/// A record set to write, independent of the SDK.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct DemoRecord {
    /// Fully qualified, lower case, with the trailing dot.
    pub name: String,
    pub kind: &'static str,
    pub data: RecordData,
    pub routing: Routing,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum RecordData {
    Values {
        ttl: i64,
        values: Vec<String>,
    },
    /// An alias to another record of the same zone (fully qualified name).
    AliasTo(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Routing {
    Simple,
    Weighted { id: String, weight: i64 },
    Failover { id: String, primary: bool },
}

impl DemoRecord {
    fn simple(name: &str, kind: &'static str, ttl: i64, values: &[&str]) -> Self {
        DemoRecord {
            name: fqdn(name),
            kind,
            data: RecordData::Values {
                ttl,
                values: values.iter().map(|v| (*v).to_owned()).collect(),
            },
            routing: Routing::Simple,
        }
    }

    fn alias(name: &str, kind: &'static str, target: &str) -> Self {
        DemoRecord {
            name: fqdn(name),
            kind,
            data: RecordData::AliasTo(fqdn(target)),
            routing: Routing::Simple,
        }
    }

    fn routed(mut self, routing: Routing) -> Self {
        self.routing = routing;
        self
    }

    fn key(&self) -> RecordKey {
        let id = match &self.routing {
            Routing::Simple => None,
            Routing::Weighted { id, .. } | Routing::Failover { id, .. } => Some(id.clone()),
        };
        (self.name.clone(), self.kind.to_owned(), id)
    }
}

/// Name, type and set identifier: what makes a record set unique in a zone.
type RecordKey = (String, String, Option<String>);

fn fqdn(name: &str) -> String {
    let name = name.to_ascii_lowercase();
    if name.ends_with('.') {
        name
    } else {
        format!("{name}.")
    }
}

fn txt(value: &str) -> String {
    format!("\"{value}\"")
}

/// A zone as found or created: its id without the `/hostedzone/` prefix, and its name servers.
#[derive(Debug, Clone)]
pub(super) struct Zone {
    pub id: String,
    pub name_servers: Vec<String>,
}

pub(super) async fn seed(accounts: &DemoAccounts, report: &mut SeedReport) -> anyhow::Result<()> {
    let mut zones = BTreeMap::new();
    for spec in &ZONES {
        let client = Route53Client::new(accounts.config(spec.account));
        let zone = ensure_zone(&client, spec, report).await?;
        zones.insert(spec.name, zone);
    }
    for spec in &ZONES {
        let client = Route53Client::new(accounts.config(spec.account));
        let zone = &zones[spec.name];
        let records = plan_records(spec.name, &zones);
        write_missing(&client, spec.name, zone, &records, report).await?;
    }
    Ok(())
}

/// The records of one demo zone. `zones` supplies the name servers of delegated children.
pub(super) fn plan_records(zone: &str, zones: &BTreeMap<&str, Zone>) -> Vec<DemoRecord> {
    match zone {
        ROOT_ZONE => root_records(zones),
        "dev.example.com" => environment_records("dev", 0),
        "staging.example.com" => environment_records("staging", 1),
        "prod.example.com" => environment_records("prod", 2),
        "sandbox.example.com" => sandbox_records(),
        "internal.example.com" => internal_records(),
        other => panic!("no demo records planned for zone {other}"),
    }
}

fn root_records(zones: &BTreeMap<&str, Zone>) -> Vec<DemoRecord> {
    let mut records = vec![
        DemoRecord::simple(ROOT_ZONE, "A", 300, &["203.0.113.10", "203.0.113.11"]),
        DemoRecord::simple(ROOT_ZONE, "AAAA", 300, &["2001:db8::10"]),
        DemoRecord::simple(
            ROOT_ZONE,
            "MX",
            3600,
            &["10 mx1.example.com.", "20 mx2.example.com."],
        ),
        DemoRecord::simple(
            ROOT_ZONE,
            "TXT",
            3600,
            &[
                &txt("v=spf1 include:amazonses.com -all"),
                &txt("google-site-verification=q3v9Xk2Lr8dPz1mW"),
            ],
        ),
        DemoRecord::simple(
            "_dmarc.example.com",
            "TXT",
            3600,
            &[&txt("v=DMARC1; p=quarantine; rua=mailto:dmarc@example.com")],
        ),
        DemoRecord::simple("mx1.example.com", "A", 3600, &["203.0.113.25"]),
        DemoRecord::simple("mx2.example.com", "A", 3600, &["203.0.113.26"]),
        DemoRecord::alias("www.example.com", "A", ROOT_ZONE),
        DemoRecord::simple("app.example.com", "CNAME", 300, &["edge.prod.example.com."]),
        DemoRecord::simple(
            "docs.example.com",
            "CNAME",
            3600,
            &["example-docs.netlify.app."],
        ),
        DemoRecord::simple(
            "status.example.com",
            "CNAME",
            3600,
            &["example.statuspage.io."],
        ),
        DemoRecord::simple("blog.example.com", "CNAME", 3600, &["example.ghost.io."]),
        DemoRecord::simple(
            "_acme-challenge.example.com",
            "TXT",
            60,
            &[&txt("gJ8tq0vH3kPzR2mN7xYbC5dL1sWfA9eU")],
        ),
        DemoRecord::simple("partner.example.com", "NS", 172800, &PARTNER_NS),
        DemoRecord::simple("staging.example.com", "NS", 172800, &STALE_STAGING_NS),
    ];
    for child in DELEGATED {
        let name_servers: Vec<String> = zones
            .get(child)
            .map(|z| z.name_servers.iter().map(|ns| fqdn(ns)).collect())
            .unwrap_or_default();
        let values: Vec<&str> = name_servers.iter().map(String::as_str).collect();
        records.push(DemoRecord::simple(child, "NS", 172800, &values));
    }
    for (tenant, _) in TENANTS {
        records.push(DemoRecord::simple(
            &format!("{tenant}.example.com"),
            "CNAME",
            300,
            &[&format!("{tenant}.prod.example.com.")],
        ));
    }
    records
}

const SERVICES: [&str; 16] = [
    "admin", "grafana", "kibana", "vault", "ci", "registry", "metrics", "logs", "queue", "cache",
    "search", "sftp", "vpn", "bastion", "webhooks", "billing",
];

const NODES_PER_ENVIRONMENT: u32 = 24;

/// `env_index` keeps each environment's addresses apart (10.10.x.x for dev, 10.11.x.x, ...).
fn environment_records(env: &str, env_index: u8) -> Vec<DemoRecord> {
    let zone = format!("{env}.example.com");
    let net = 10 + env_index;
    let public = |host: u8| format!("198.51.100.{}", env_index * 20 + host);
    let mut records = vec![
        DemoRecord::simple(
            &zone,
            "MX",
            3600,
            &["10 inbound-smtp.us-east-1.amazonaws.com."],
        ),
        DemoRecord::simple(
            &zone,
            "TXT",
            3600,
            &[&txt("v=spf1 include:amazonses.com -all")],
        ),
        DemoRecord::simple(
            &format!("edge.{zone}"),
            "A",
            60,
            &[&public(1), &public(2), &public(3)],
        ),
        DemoRecord::simple(
            &format!("edge.{zone}"),
            "AAAA",
            60,
            &[&format!("2001:db8:{net}::1"), &format!("2001:db8:{net}::2")],
        ),
        DemoRecord::alias(&format!("www.{zone}"), "A", &format!("edge.{zone}")),
    ];
    let api = format!("api.{zone}");
    if env == "dev" {
        records.push(DemoRecord::simple(&api, "A", 60, &[&public(10)]));
    } else {
        // Two records per weighted set: moto cannot page inside a larger one (EMULATOR.md).
        records.push(
            DemoRecord::simple(&api, "A", 60, &[&public(10)]).routed(Routing::Weighted {
                id: format!("{env}-api-blue"),
                weight: 90,
            }),
        );
        records.push(
            DemoRecord::simple(&api, "A", 60, &[&public(11)]).routed(Routing::Weighted {
                id: format!("{env}-api-green"),
                weight: 10,
            }),
        );
    }
    if env == "prod" {
        let status = format!("status.{zone}");
        records.push(DemoRecord::simple(&status, "A", 60, &[&public(15)]).routed(
            Routing::Failover {
                id: "prod-status-primary".to_owned(),
                primary: true,
            },
        ));
        records.push(
            DemoRecord::simple(&status, "A", 60, &["192.0.2.15"]).routed(Routing::Failover {
                id: "prod-status-secondary".to_owned(),
                primary: false,
            }),
        );
    }
    for (i, service) in (1u8..).zip(SERVICES) {
        records.push(DemoRecord::simple(
            &format!("{service}.{zone}"),
            "A",
            300,
            &[&format!("10.{net}.1.{i}")],
        ));
    }
    for node in 1..=NODES_PER_ENVIRONMENT {
        records.push(DemoRecord::simple(
            &format!("node-{node:02}.{zone}"),
            "A",
            300,
            &[&format!("10.{net}.2.{node}")],
        ));
    }
    for (tenant, _) in TENANTS {
        records.extend([
            DemoRecord::simple(
                &format!("{tenant}.{zone}"),
                "CNAME",
                300,
                &[&format!("edge.{zone}.")],
            ),
            DemoRecord::simple(
                &format!("api.{tenant}.{zone}"),
                "CNAME",
                300,
                &[&format!("{api}.")],
            ),
            DemoRecord::simple(
                &format!("auth.{tenant}.{zone}"),
                "CNAME",
                300,
                &[&format!(
                    "{tenant}-{env}.auth.{DEMO_REGION}.amazoncognito.com."
                )],
            ),
            DemoRecord::simple(
                &format!("_verify.{tenant}.{zone}"),
                "TXT",
                300,
                &[&txt(&format!("opsdeck-verification={tenant}-{env}"))],
            ),
        ]);
    }
    records
}

const DEVELOPERS: [&str; 8] = [
    "alex", "bea", "chen", "dana", "emeka", "farah", "goran", "hana",
];

fn sandbox_records() -> Vec<DemoRecord> {
    let mut records = vec![DemoRecord::simple(
        "sandbox.example.com",
        "TXT",
        300,
        &[&txt("owner=platform-team; purpose=experiments")],
    )];
    for (i, dev) in (1u8..).zip(DEVELOPERS) {
        records.push(DemoRecord::simple(
            &format!("{dev}.sandbox.example.com"),
            "A",
            60,
            &[&format!("10.20.0.{i}")],
        ));
    }
    records
}

const INTERNAL_HOSTS: [&str; 14] = [
    "db-primary",
    "db-replica-1",
    "db-replica-2",
    "redis",
    "kafka-1",
    "kafka-2",
    "kafka-3",
    "elastic",
    "vault",
    "consul",
    "nat-a",
    "nat-b",
    "ldap",
    "smtp-relay",
];

fn internal_records() -> Vec<DemoRecord> {
    let zone = "internal.example.com";
    let mut records: Vec<DemoRecord> = (1u8..)
        .zip(INTERNAL_HOSTS)
        .map(|(i, host)| {
            DemoRecord::simple(
                &format!("{host}.{zone}"),
                "A",
                60,
                &[&format!("10.12.8.{i}")],
            )
        })
        .collect();
    records.extend([
        DemoRecord::simple(
            &format!("db.{zone}"),
            "CNAME",
            60,
            &["db-primary.internal.example.com."],
        ),
        DemoRecord::simple(
            &format!("kafka.{zone}"),
            "CNAME",
            60,
            &["kafka-1.internal.example.com."],
        ),
        DemoRecord::alias(&format!("cache.{zone}"), "A", &format!("redis.{zone}")),
        DemoRecord::simple(
            &format!("secrets.{zone}"),
            "CNAME",
            60,
            &["vault.internal.example.com."],
        ),
        DemoRecord::simple(zone, "TXT", 300, &[&txt("managed-by=opsdeck-demo")]),
    ]);
    records
}

/// The zone called `spec.name` with the right visibility in this account, created if missing.
async fn ensure_zone(
    client: &Route53Client,
    spec: &ZoneSpec,
    report: &mut SeedReport,
) -> anyhow::Result<Zone> {
    let wanted = fqdn(spec.name);
    let mut found = None;
    let mut pages = client.list_hosted_zones().into_paginator().items().send();
    while let Some(zone) = pages.next().await {
        let zone = zone.map_err(aws_error("Route53 ListHostedZones"))?;
        let private = zone.config().is_some_and(|c| c.private_zone());
        if fqdn(zone.name()) == wanted && private == spec.private {
            found = Some(zone.id().to_owned());
            break;
        }
    }

    let id = match found {
        Some(id) => {
            report.note(SeedKind::HostedZone, Outcome::Present);
            id
        }
        None => {
            let mut create = client
                .create_hosted_zone()
                .name(spec.name)
                .caller_reference(format!("opsdeck-demo/{}", spec.name))
                .hosted_zone_config(
                    HostedZoneConfig::builder()
                        .comment(format!("opsdeck demo, {} account", spec.account))
                        .private_zone(spec.private)
                        .build(),
                );
            if spec.private {
                create = create.vpc(
                    Vpc::builder()
                        .vpc_id(PRIVATE_ZONE_VPC)
                        .vpc_region(VpcRegion::from(DEMO_REGION))
                        .build(),
                );
            }
            let created = create
                .send()
                .await
                .map_err(aws_error(format!("Route53 CreateHostedZone {}", spec.name)))?;
            report.note(SeedKind::HostedZone, Outcome::Created);
            created
                .hosted_zone()
                .map(|z| z.id().to_owned())
                .ok_or_else(|| anyhow::anyhow!("CreateHostedZone {} returned no zone", spec.name))?
        }
    };

    let id = id.trim_start_matches("/hostedzone/").to_owned();
    let details = client
        .get_hosted_zone()
        .id(&id)
        .send()
        .await
        .map_err(aws_error(format!("Route53 GetHostedZone {}", spec.name)))?;
    let name_servers = details
        .delegation_set()
        .map(|d| d.name_servers().to_vec())
        .unwrap_or_default();
    Ok(Zone { id, name_servers })
}

/// Writes the planned records the zone lacks. NS records are compared by value too, so a
/// delegation follows its child zone if that was recreated.
async fn write_missing(
    client: &Route53Client,
    zone_name: &str,
    zone: &Zone,
    records: &[DemoRecord],
    report: &mut SeedReport,
) -> anyhow::Result<()> {
    let existing = existing_records(client, zone_name, &zone.id).await?;
    let mut changes = Vec::new();
    for record in records {
        let up_to_date = match existing.get(&record.key()) {
            None => false,
            Some(values) if record.kind == "NS" => match &record.data {
                RecordData::Values { values: wanted, .. } => same_values(values, wanted),
                RecordData::AliasTo(_) => true,
            },
            Some(_) => true,
        };
        if up_to_date {
            report.note(SeedKind::RecordSet, Outcome::Present);
        } else {
            changes.push(to_change(record, &zone.id)?);
        }
    }
    for batch in changes.chunks(CHANGE_BATCH_SIZE) {
        client
            .change_resource_record_sets()
            .hosted_zone_id(&zone.id)
            .change_batch(
                ChangeBatch::builder()
                    .comment("opsdeck demo seed")
                    .set_changes(Some(batch.to_vec()))
                    .build()?,
            )
            .send()
            .await
            .map_err(aws_error(format!(
                "Route53 ChangeResourceRecordSets in {zone_name}"
            )))?;
        for _ in batch {
            report.note(SeedKind::RecordSet, Outcome::Created);
        }
    }
    Ok(())
}

fn same_values(have: &[String], want: &[String]) -> bool {
    let normalise = |values: &[String]| {
        let mut v: Vec<String> = values.iter().map(|s| fqdn(s)).collect();
        v.sort();
        v
    };
    normalise(have) == normalise(want)
}

/// Every record set in the zone by key, with its values.
async fn existing_records(
    client: &Route53Client,
    zone_name: &str,
    zone_id: &str,
) -> anyhow::Result<HashMap<RecordKey, Vec<String>>> {
    let mut found = HashMap::new();
    let mut cursor: Option<(String, RrType, Option<String>)> = None;
    loop {
        let mut request = client
            .list_resource_record_sets()
            .hosted_zone_id(zone_id)
            .max_items(RECORD_PAGE_SIZE);
        if let Some((name, kind, id)) = &cursor {
            request = request
                .start_record_name(name)
                .start_record_type(kind.clone())
                .set_start_record_identifier(id.clone());
        }
        let page = request.send().await.map_err(aws_error(format!(
            "Route53 ListResourceRecordSets in {zone_name}"
        )))?;
        for set in page.resource_record_sets() {
            let key = (
                fqdn(set.name()),
                set.r#type().as_str().to_owned(),
                set.set_identifier().map(str::to_owned),
            );
            let values = set
                .resource_records()
                .iter()
                .map(|r| r.value().to_owned())
                .collect();
            found.insert(key, values);
        }
        if !page.is_truncated() {
            return Ok(found);
        }
        let next = match (page.next_record_name(), page.next_record_type()) {
            (Some(name), Some(kind)) => (
                name.to_owned(),
                kind.clone(),
                page.next_record_identifier().map(str::to_owned),
            ),
            _ => anyhow::bail!(
                "ListResourceRecordSets in {zone_name} is truncated but gave no cursor"
            ),
        };
        // The emulator can return the same page forever inside a weighted set (EMULATOR.md).
        if cursor.as_ref() == Some(&next) {
            anyhow::bail!(
                "ListResourceRecordSets in {zone_name} did not advance past {}",
                next.0
            );
        }
        cursor = Some(next);
    }
}

fn to_change(record: &DemoRecord, zone_id: &str) -> anyhow::Result<Change> {
    let mut set = ResourceRecordSet::builder()
        .name(&record.name)
        .r#type(RrType::from(record.kind));
    set = match &record.data {
        RecordData::Values { ttl, values } => {
            let mut set = set.ttl(*ttl);
            for value in values {
                set = set.resource_records(ResourceRecord::builder().value(value).build()?);
            }
            set
        }
        RecordData::AliasTo(target) => set.alias_target(
            AliasTarget::builder()
                .hosted_zone_id(zone_id)
                .dns_name(target)
                .evaluate_target_health(false)
                .build()?,
        ),
    };
    set = match &record.routing {
        Routing::Simple => set,
        Routing::Weighted { id, weight } => set.set_identifier(id).weight(*weight),
        Routing::Failover { id, primary } => set.set_identifier(id).failover(if *primary {
            ResourceRecordSetFailover::Primary
        } else {
            ResourceRecordSetFailover::Secondary
        }),
    };
    Ok(Change::builder()
        .action(ChangeAction::Upsert)
        .resource_record_set(set.build()?)
        .build()?)
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    fn demo_zones() -> BTreeMap<&'static str, Zone> {
        ZONES
            .iter()
            .enumerate()
            .map(|(i, spec)| {
                let zone = Zone {
                    id: format!("Z{i:013}"),
                    name_servers: vec![
                        format!("ns-{i}.awsdns-0{i}.com"),
                        format!("ns-{i}.awsdns-0{i}.net"),
                    ],
                };
                (spec.name, zone)
            })
            .collect()
    }

    fn all_records() -> Vec<(&'static str, DemoRecord)> {
        let zones = demo_zones();
        ZONES
            .iter()
            .flat_map(|spec| {
                plan_records(spec.name, &zones)
                    .into_iter()
                    .map(move |r| (spec.name, r))
            })
            .collect()
    }

    #[test]
    fn the_demo_holds_a_few_hundred_record_sets_of_every_kind() {
        let records = all_records();
        assert!(
            (200..=600).contains(&records.len()),
            "{} records",
            records.len()
        );
        let kinds: HashSet<&str> = records.iter().map(|(_, r)| r.kind).collect();
        for kind in ["A", "AAAA", "CNAME", "TXT", "MX", "NS"] {
            assert!(kinds.contains(kind), "no {kind} record");
        }
        assert!(
            records
                .iter()
                .any(|(_, r)| matches!(r.data, RecordData::AliasTo(_)))
        );
        assert!(
            records
                .iter()
                .any(|(_, r)| matches!(r.routing, Routing::Weighted { .. }))
        );
        assert!(
            records
                .iter()
                .any(|(_, r)| matches!(r.routing, Routing::Failover { .. }))
        );
    }

    #[test]
    fn every_record_belongs_to_its_zone_and_is_lower_case() {
        for (zone, record) in all_records() {
            assert_eq!(record.name, record.name.to_ascii_lowercase());
            let zone = fqdn(zone);
            assert!(
                record.name == zone || record.name.ends_with(&format!(".{zone}")),
                "{} is outside {zone}",
                record.name
            );
        }
    }

    #[test]
    fn no_two_planned_records_share_name_type_and_identifier() {
        let mut seen = HashSet::new();
        for (zone, record) in all_records() {
            assert!(
                seen.insert((zone, record.key())),
                "duplicate {:?}",
                record.key()
            );
        }
    }

    #[test]
    fn weighted_sets_are_small_and_set_identifiers_unique_across_zones() {
        let mut per_set: HashMap<(String, &str), usize> = HashMap::new();
        let mut ids = HashSet::new();
        for (_, record) in all_records() {
            if let Routing::Weighted { id, .. } | Routing::Failover { id, .. } = &record.routing {
                *per_set
                    .entry((record.name.clone(), record.kind))
                    .or_default() += 1;
                // moto deletes every record with an identifier on DELETE, whatever its name.
                assert!(ids.insert(id.clone()), "identifier {id} used twice");
            }
        }
        assert!(per_set.values().all(|&n| n <= 2), "{per_set:?}");
    }

    #[test]
    fn aliases_point_at_a_planned_record_in_the_same_zone() {
        let records = all_records();
        for (zone, record) in &records {
            if let RecordData::AliasTo(target) = &record.data {
                assert!(
                    records
                        .iter()
                        .any(|(z, r)| z == zone && &r.name == target && r.kind == record.kind),
                    "{} aliases {target}, which is not in {zone}",
                    record.name
                );
            }
        }
    }

    #[test]
    fn the_root_delegates_dev_and_prod_to_their_zones_and_staging_to_stale_servers() {
        let zones = demo_zones();
        let root = plan_records(ROOT_ZONE, &zones);
        let ns_of = |name: &str| -> Vec<String> {
            root.iter()
                .find(|r| r.kind == "NS" && r.name == fqdn(name))
                .map(|r| match &r.data {
                    RecordData::Values { values, .. } => values.clone(),
                    RecordData::AliasTo(_) => panic!("alias NS"),
                })
                .unwrap_or_default()
        };
        for child in DELEGATED {
            assert!(
                same_values(&ns_of(child), &zones[child].name_servers),
                "{child}"
            );
        }
        let every_zone_ns: HashSet<String> = zones
            .values()
            .flat_map(|z| z.name_servers.iter().map(|ns| fqdn(ns)))
            .collect();
        assert!(
            ns_of("staging.example.com")
                .iter()
                .all(|ns| !every_zone_ns.contains(ns))
        );
        assert_eq!(ns_of("partner.example.com"), PARTNER_NS);
        assert!(ns_of("sandbox.example.com").is_empty());
    }

    #[test]
    fn name_server_comparison_ignores_order_and_trailing_dots() {
        let have = vec![
            "ns-2.awsdns-2.net.".to_owned(),
            "ns-1.awsdns-1.com.".to_owned(),
        ];
        let want = vec![
            "ns-1.awsdns-1.com".to_owned(),
            "ns-2.awsdns-2.net".to_owned(),
        ];
        assert!(same_values(&have, &want));
        assert!(!same_values(&have, &want[..1]));
    }

    #[test]
    fn records_become_upserts_with_their_routing() {
        let record = DemoRecord::simple("api.prod.example.com", "A", 60, &["198.51.100.50"])
            .routed(Routing::Weighted {
                id: "prod-api-blue".to_owned(),
                weight: 90,
            });
        let change = to_change(&record, "Z1").unwrap();
        assert_eq!(change.action(), &ChangeAction::Upsert);
        let set = change.resource_record_set().unwrap();
        assert_eq!(set.set_identifier(), Some("prod-api-blue"));
        assert_eq!(set.weight(), Some(90));
        assert_eq!(set.resource_records()[0].value(), "198.51.100.50");

        let alias = to_change(
            &DemoRecord::alias("www.example.com", "A", "example.com"),
            "Z1",
        )
        .unwrap();
        let target = alias.resource_record_set().unwrap().alias_target().unwrap();
        assert_eq!(
            (target.hosted_zone_id(), target.dns_name()),
            ("Z1", "example.com.")
        );
    }
}
