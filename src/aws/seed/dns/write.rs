//! The Route53 calls of the seed: find or create each zone, then write (UPSERT) the planned
//! records it does not hold yet.

use std::collections::HashMap;

use aws_sdk_route53::Client as Route53Client;
use aws_sdk_route53::types::{
    AliasTarget, Change, ChangeAction, ChangeBatch, HostedZoneConfig, ResourceRecord,
    ResourceRecordSet, ResourceRecordSetFailover, RrType, Vpc, VpcRegion,
};

use super::records::{DemoRecord, RecordData, RecordKey, Routing, fqdn};
use super::{Zone, ZoneSpec};
use crate::aws::seed::{DEMO_REGION, Outcome, SeedKind, SeedReport, aws_error};

const PRIVATE_ZONE_VPC: &str = "vpc-0a1b2c3d4e5f60718";

/// Changes per ChangeResourceRecordSets call; AWS allows 1,000, smaller batches keep errors local.
const CHANGE_BATCH_SIZE: usize = 100;

/// The page size asked of ListResourceRecordSets; AWS caps it at 300.
const RECORD_PAGE_SIZE: i32 = 300;

/// The zone called `spec.name` with the right visibility in this account, created if missing.
pub(super) async fn ensure_zone(
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
pub(super) async fn write_missing(
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

pub(super) fn same_values(have: &[String], want: &[String]) -> bool {
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
        // The emulator can return the same page forever inside a weighted set (docs/emulator.md).
        if cursor.as_ref() == Some(&next) {
            anyhow::bail!(
                "ListResourceRecordSets in {zone_name} did not advance past {}",
                next.0
            );
        }
        cursor = Some(next);
    }
}

pub(super) fn to_change(record: &DemoRecord, zone_id: &str) -> anyhow::Result<Change> {
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
