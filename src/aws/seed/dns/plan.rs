//! What each demo zone holds: the root's mail, web and delegations, each environment's services,
//! nodes and tenants, the sandbox's developers and the private zone's internal hosts.

use std::collections::BTreeMap;

use super::records::{DemoRecord, Routing, fqdn, txt};
use super::{DELEGATED, PARTNER_NS, ROOT_ZONE, STALE_STAGING_NS, Zone};
use crate::aws::seed::{DEMO_REGION, TENANTS};

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
        // Two records per weighted set: moto cannot page inside a larger one (docs/emulator.md).
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
