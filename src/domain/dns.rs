//! Route53 as opsdeck shows it: hosted zones and record sets, the organisation-wide inventory built
//! from them, name lookup ("who serves this name?") and the delegation check. Pure: no I/O.

use serde::Serialize;

mod audit;
mod change;
mod cname;
mod delegation;
mod fix;
mod inventory;
mod lookup;
mod paging;
mod store;
pub mod values;

pub use audit::{Finding, audit};
pub use change::{
    ChangeAction, DEFAULT_TTL, DnsChange, MAX_BATCH_CHARS, MAX_BATCH_RECORDS, NoPlan, RecordChange,
    RecordSpec, ZoneTarget, batch_plan, choose_zone, deepest_zones, plan_delete, plan_upsert,
    split_batches,
};
pub use cname::{CnameHop, MAX_CNAME_HOPS, chain_names, follow_cnames};
pub use delegation::{Delegation, DelegationStatus, check_delegations};
pub use fix::{DELEGATION_TTL, delegations_of, plan_fix_delegation};
pub use inventory::{
    AccountEntry, AccountStatus, Inventory, InventoryEvent, Listing, RecordRef, ZoneEntry, ZoneRef,
};
pub use lookup::{Answer, Hop, Lookup, MatchKind, ServingZone, find};
pub use paging::{RecordCursor, RecordPager, StuckCursor};
pub use store::{RecordStore, RecordView, Values};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HostedZone {
    /// The id without the `/hostedzone/` prefix.
    pub id: String,
    /// The zone name without the trailing dot.
    pub name: String,
    pub private: bool,
    pub record_count: i64,
    pub comment: String,
}

/// A hosted zone with what only GetHostedZone tells: the VPCs a private zone answers in
/// (`region/vpc-id`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ZoneDetail {
    pub zone: HostedZone,
    pub vpcs: Vec<String>,
}

/// One record set: what makes it unique in a zone is name + type + set identifier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RecordSet {
    /// Lower case, without the trailing dot, `*` for a wildcard label (Route53 sends `\052`).
    pub name: String,
    #[serde(rename = "type")]
    pub kind: String,
    /// `None` for alias records, which have no TTL of their own.
    pub ttl: Option<i64>,
    pub values: Vec<String>,
    pub alias: Option<AliasTarget>,
    pub set_identifier: Option<String>,
    pub routing: Routing,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AliasTarget {
    pub dns_name: String,
    pub hosted_zone_id: String,
    pub evaluate_target_health: bool,
}

/// The routing policy of a record set and its parameters; all `None` for a simple record.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Routing {
    /// `simple`, `weighted`, `failover`, `latency`, `geolocation`, `geoproximity`,
    /// `multivalue` or `cidr`.
    pub policy: String,
    pub weight: Option<i64>,
    /// `PRIMARY` or `SECONDARY`.
    pub failover: Option<String>,
    /// The latency region.
    pub region: Option<String>,
    /// `continent=EU`, `country=DE`, `country=US subdivision=CA`, or a geoproximity location.
    pub geo: Option<String>,
    pub health_check_id: Option<String>,
}

impl RecordSet {
    /// Name, type and set identifier: the record set's identity in its zone.
    pub fn key(&self) -> (String, String, Option<String>) {
        (
            self.name.clone(),
            self.kind.clone(),
            self.set_identifier.clone(),
        )
    }

    /// Values or the alias target, as one line for tables.
    pub fn data_text(&self) -> String {
        data_text(self.alias.as_ref(), self.values.iter().map(String::as_str))
    }

    /// The routing policy and its parameters, as one line for tables.
    pub fn routing_text(&self) -> String {
        routing_text(&self.routing, self.set_identifier.as_deref())
    }
}

/// Values or the alias target of a record set, as one line.
fn data_text<'a>(alias: Option<&AliasTarget>, values: impl Iterator<Item = &'a str>) -> String {
    match alias {
        Some(alias) => format!("ALIAS {} ({})", alias.dns_name, alias.hosted_zone_id),
        None => values.collect::<Vec<_>>().join(" | "),
    }
}

/// A routing policy, its parameters and the set identifier, as one line.
fn routing_text(r: &Routing, set_identifier: Option<&str>) -> String {
    let mut parts = vec![r.policy.clone()];
    if let Some(w) = r.weight {
        parts.push(format!("weight={w}"));
    }
    for (label, value) in [
        ("failover", &r.failover),
        ("region", &r.region),
        ("geo", &r.geo),
        ("health", &r.health_check_id),
    ] {
        if let Some(v) = value {
            parts.push(format!("{label}={v}"));
        }
    }
    if let Some(id) = set_identifier {
        parts.push(format!("id={id}"));
    }
    parts.join(" ")
}

/// Route53 returns `/hostedzone/Z123` and `example.com.`; operators write `Z123` and `example.com`.
pub fn normalise_zone(id: &str, name: &str) -> (String, String) {
    (
        id.trim_start_matches("/hostedzone/").to_owned(),
        normalise_name(name),
    )
}

/// A DNS name as compared and shown: lower case, no trailing dot, Route53's octal escapes
/// (`\052` for `*`) decoded.
pub fn normalise_name(name: &str) -> String {
    let name = name.trim();
    let name = name.strip_suffix('.').unwrap_or(name);
    let mut out = String::with_capacity(name.len());
    let bytes = name.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'\\'
            && i + 3 < bytes.len()
            && bytes[i + 1..i + 4]
                .iter()
                .all(|b| (b'0'..=b'7').contains(b))
        {
            let code = (bytes[i + 1] - b'0') as u32 * 64
                + (bytes[i + 2] - b'0') as u32 * 8
                + (bytes[i + 3] - b'0') as u32;
            if let Some(c) = char::from_u32(code) {
                out.push(c);
                i += 4;
                continue;
            }
        }
        // Multi-byte UTF-8 is copied through whole; names are ASCII in practice.
        let c = name[i..].chars().next().unwrap_or('?');
        out.push(c);
        i += c.len_utf8();
    }
    out.to_lowercase()
}

/// Whether `name` is `zone` or a name under it (label-aligned: `badexample.com` is not under
/// `example.com`). Both normalised.
pub fn is_under(name: &str, zone: &str) -> bool {
    name == zone
        || (name.len() > zone.len()
            && name.ends_with(zone)
            && name.as_bytes()[name.len() - zone.len() - 1] == b'.')
}

/// A set of name servers as compared: normalised, sorted, without duplicates.
pub fn name_server_set(values: &[String]) -> Vec<String> {
    let mut set: Vec<String> = values.iter().map(|v| normalise_name(v)).collect();
    set.sort();
    set.dedup();
    set
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zone_ids_and_names_lose_their_route53_decoration() {
        assert_eq!(
            normalise_zone("/hostedzone/Z0ABC", "dev.example.com."),
            ("Z0ABC".to_owned(), "dev.example.com".to_owned())
        );
        assert_eq!(normalise_zone("Z1", "x.org"), ("Z1".into(), "x.org".into()));
    }

    #[test]
    fn names_are_lower_case_without_dot_and_with_escapes_decoded() {
        assert_eq!(
            normalise_name("\\052.Dev.Example.COM."),
            "*.dev.example.com"
        );
        assert_eq!(normalise_name("a\\100b.com"), "a@b.com");
        assert_eq!(normalise_name("trailing\\"), "trailing\\");
        assert_eq!(normalise_name("x\\05"), "x\\05");
    }

    #[test]
    fn under_is_label_aligned() {
        assert!(is_under("api.dev.example.com", "example.com"));
        assert!(is_under("example.com", "example.com"));
        assert!(!is_under("badexample.com", "example.com"));
        assert!(!is_under("example.com", "api.example.com"));
    }

    #[test]
    fn name_server_sets_ignore_case_order_and_trailing_dots() {
        let a = name_server_set(&["NS-2.awsdns.com.".into(), "ns-1.awsdns.net".into()]);
        let b = name_server_set(&["ns-1.awsdns.net.".into(), "ns-2.awsdns.com".into()]);
        assert_eq!(a, b);
    }

    #[test]
    fn routing_and_data_read_as_one_line() {
        let r = RecordSet {
            name: "api.example.com".into(),
            kind: "A".into(),
            ttl: Some(60),
            values: vec!["192.0.2.1".into(), "192.0.2.2".into()],
            alias: None,
            set_identifier: Some("blue".into()),
            routing: Routing {
                policy: "weighted".into(),
                weight: Some(10),
                health_check_id: Some("hc-1".into()),
                ..Routing::default()
            },
        };
        assert_eq!(r.data_text(), "192.0.2.1 | 192.0.2.2");
        assert_eq!(r.routing_text(), "weighted weight=10 health=hc-1 id=blue");
    }
}
