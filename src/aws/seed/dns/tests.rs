//! Tests of the demo DNS plan (no AWS): its size and kinds, names, identifiers, aliases and
//! delegations, and how a record becomes a change.

use std::collections::{BTreeMap, HashMap, HashSet};

use aws_sdk_route53::types::ChangeAction;

use super::plan::plan_records;
use super::records::{DemoRecord, RecordData, Routing, fqdn};
use super::write::{same_values, to_change};
use super::{DELEGATED, PARTNER_NS, ROOT_ZONE, ZONES, Zone};

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
    let record = DemoRecord::simple("api.prod.example.com", "A", 60, &["198.51.100.50"]).routed(
        Routing::Weighted {
            id: "prod-api-blue".to_owned(),
            weight: 90,
        },
    );
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
