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
//!
//! Here: where each zone lives and the seeding itself; `records` is the SDK-free record model,
//! `plan` what each zone holds, `write` the Route53 calls that find or create a zone and write the
//! records it lacks.

mod plan;
mod records;
mod write;

#[cfg(test)]
mod tests;

use std::collections::BTreeMap;

use aws_sdk_route53::Client as Route53Client;

use super::SeedReport;
use super::organization::DemoAccounts;
use plan::plan_records;
use write::{ensure_zone, write_missing};

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
