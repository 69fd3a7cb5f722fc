//! The audit of what points into nothing, across the organisation, from the inventory already
//! read (no other service is asked): dangling delegations, CNAME/MX/SRV targets and aliases that
//! lead to a name no zone of the organisation holds, zones of the same name in several accounts,
//! zones their parent does not delegate to, delegations that name other name servers than the
//! child zone's.

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use super::delegation::{apex_name_servers, delegation_in};
use super::{
    AccountEntry, DelegationStatus, Inventory, RecordView, ZoneEntry, check_delegations, is_under,
    normalise_name,
};

/// One finding. `name`, `type` and `target` describe the record (or delegation) at fault.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// `dangling_delegation`, `dangling_cname`, `dangling_mx`, `dangling_srv`, `dangling_alias`,
    /// `duplicate_zone`, `orphan_zone`, `mismatched_delegation`.
    pub kind: &'static str,
    /// `high` (anyone could take the name over, or it answers wrong), `medium` (it answers
    /// nothing).
    pub severity: &'static str,
    pub account_id: String,
    pub account_name: String,
    pub zone: String,
    pub name: String,
    #[serde(rename = "type")]
    pub record_type: String,
    pub target: String,
    pub detail: String,
}

/// Every finding, high severity first, then by kind, zone and name.
pub fn audit(inventory: &Inventory) -> Vec<Finding> {
    let mut out = Vec::new();
    let duplicates = duplicate_zones(inventory, &mut out);
    delegations(inventory, &duplicates, &mut out);
    targets(inventory, &mut out);
    out.sort_by(|a, b| {
        (
            a.severity != "high",
            a.kind,
            &a.zone,
            &a.name,
            &a.account_id,
        )
            .cmp(&(
                b.severity != "high",
                b.kind,
                &b.zone,
                &b.name,
                &b.account_id,
            ))
    });
    out
}

#[allow(clippy::too_many_arguments)]
fn finding(
    kind: &'static str,
    severity: &'static str,
    account: &AccountEntry,
    zone: &str,
    name: &str,
    record_type: &str,
    target: String,
    detail: String,
) -> Finding {
    Finding {
        kind,
        severity,
        account_id: account.account.id.clone(),
        account_name: account.account.name.clone(),
        zone: zone.to_owned(),
        name: name.to_owned(),
        record_type: record_type.to_owned(),
        target,
        detail,
    }
}

fn account_of<'a>(inventory: &'a Inventory, id: &str) -> Option<&'a AccountEntry> {
    inventory.accounts.iter().find(|a| a.account.id == id)
}

fn complete(z: &ZoneEntry) -> bool {
    z.records_done && z.error.is_none()
}

/// Public zones of the same name held more than once: which one the parent delegates to, and
/// that the others answer nothing. Returns the names of such zones.
fn duplicate_zones(inventory: &Inventory, out: &mut Vec<Finding>) -> Vec<String> {
    let public: Vec<(&AccountEntry, &ZoneEntry)> = inventory
        .zones()
        .filter(|(_, _, z)| !z.zone().private)
        .map(|(_, a, z)| (a, z))
        .collect();
    let mut names: Vec<&str> = public.iter().map(|(_, z)| z.zone().name.as_str()).collect();
    names.sort_unstable();
    let mut seen = Vec::new();
    for pair in names.windows(2) {
        if pair[0] == pair[1] && seen.last() != Some(&pair[0].to_owned()) {
            seen.push(pair[0].to_owned());
        }
    }
    for name in &seen {
        let group: Vec<&(&AccountEntry, &ZoneEntry)> = public
            .iter()
            .filter(|(_, z)| &z.zone().name == name)
            .collect();
        let listed = group
            .iter()
            .map(|(a, z)| format!("{} in account {}", z.zone().id, a.label()))
            .collect::<Vec<_>>()
            .join(", ");
        let parent = public
            .iter()
            .filter(|(_, p)| &p.zone().name != name && is_under(name, &p.zone().name))
            .max_by_key(|(_, p)| p.zone().name.len());
        let delegated: Vec<usize> = match parent.and_then(|(_, p)| delegation_in(p, name)) {
            Some(ns) => group
                .iter()
                .enumerate()
                .filter(|(_, (_, z))| apex_name_servers(z) == ns)
                .map(|(i, _)| i)
                .collect(),
            None => Vec::new(),
        };
        for (i, (a, z)) in group.iter().enumerate() {
            let detail = match (parent, delegated.as_slice()) {
                (Some((pa, p)), [one]) if *one != i => {
                    let (da, dz) = group[*one];
                    format!(
                        "{} public zones named {name} ({listed}); the parent {} (account {}) \
                         delegates to {} in account {}, so this one answers nothing",
                        group.len(),
                        p.zone().name,
                        pa.label(),
                        dz.zone().id,
                        da.label()
                    )
                }
                (Some(_), [one]) if *one == i => continue,
                (Some((pa, p)), _) => format!(
                    "{} public zones named {name} ({listed}); the parent {} (account {}) cannot \
                     be told to delegate to exactly one of them (their name servers {}), so only \
                     one answers and the others answer nothing",
                    group.len(),
                    p.zone().name,
                    pa.label(),
                    if delegated.is_empty() {
                        "match none of its NS values"
                    } else {
                        "are the same"
                    }
                ),
                (None, _) => format!(
                    "{} public zones named {name} ({listed}); only the one the registrar \
                     delegates to answers, the others answer nothing",
                    group.len()
                ),
            };
            out.push(finding(
                "duplicate_zone",
                "medium",
                a,
                name,
                name,
                "NS",
                apex_name_servers(z).join(", "),
                detail,
            ));
        }
    }
    seen
}

/// Dangling, missing (orphan zones) and mismatched delegations, from the delegation check. A
/// zone held more than once is told as a duplicate instead.
fn delegations(inventory: &Inventory, duplicates: &[String], out: &mut Vec<Finding>) {
    for d in check_delegations(inventory) {
        if duplicates.contains(&d.child_zone) && d.status != DelegationStatus::Dangling {
            continue;
        }
        let parent = account_of(inventory, &d.parent_account);
        let child = d
            .child_account
            .as_deref()
            .and_then(|c| account_of(inventory, c));
        let item = match (d.status, parent, child) {
            (DelegationStatus::Dangling, Some(pa), _) => finding(
                "dangling_delegation",
                "high",
                pa,
                &d.parent_zone,
                &d.child_zone,
                "NS",
                d.parent_ns.join(", "),
                format!(
                    "{} delegates {} to Route53 name servers, but no zone {} exists in the \
                     organisation: whoever creates that zone on those name servers answers for it \
                     (opsdeck dns fix-delegation {} deletes the NS record)",
                    d.parent_zone, d.child_zone, d.child_zone, d.child_zone
                ),
            ),
            (DelegationStatus::Missing, _, Some(ca)) => finding(
                "orphan_zone",
                "medium",
                ca,
                &d.child_zone,
                &d.child_zone,
                "NS",
                d.parent_zone.clone(),
                format!(
                    "the parent zone {} (account {}) has no NS record for {}, so this zone \
                     answers nothing on the internet (opsdeck dns fix-delegation {} adds it)",
                    d.parent_zone, d.parent_account, d.child_zone, d.child_zone
                ),
            ),
            (DelegationStatus::Mismatch, Some(pa), _) => finding(
                "mismatched_delegation",
                "high",
                pa,
                &d.parent_zone,
                &d.child_zone,
                "NS",
                d.parent_ns.join(", "),
                format!(
                    "{} delegates {} to {}, but the zone's name servers are {} (a zone created \
                     again?); opsdeck dns fix-delegation {} updates the NS record",
                    d.parent_zone,
                    d.child_zone,
                    d.parent_ns.join(", "),
                    d.child_ns.join(", "),
                    d.child_zone
                ),
            ),
            _ => continue,
        };
        out.push(item);
    }
}

/// CNAME, MX and SRV targets, and aliases to Route53 records of the organisation, that lead to a
/// name no zone of the organisation holds.
fn targets(inventory: &Inventory, out: &mut Vec<Finding>) {
    let names = Names::new(inventory);
    for (_, account, zone, record) in inventory.records() {
        if let Some(alias) = record.alias() {
            let Some((_, tz)) = inventory
                .zones()
                .map(|(_, a, z)| (a, z))
                .find(|(_, z)| z.zone().id == alias.hosted_zone_id)
            else {
                continue; // a load balancer, CloudFront, S3...: not a zone of ours
            };
            let name = normalise_name(&alias.dns_name);
            if complete(tz) && !names.holds(tz, &name) {
                out.push(finding(
                    "dangling_alias",
                    "medium",
                    account,
                    &zone.zone().name,
                    record.name(),
                    record.kind(),
                    format!("{name} ({})", alias.hosted_zone_id),
                    format!(
                        "the alias points at {name} in zone {} ({}), which holds no record of \
                         that name",
                        tz.zone().name,
                        tz.zone().id
                    ),
                ));
            }
            continue;
        }
        let (kind, hosts): (&'static str, Vec<String>) = match record.kind() {
            "CNAME" => (
                "dangling_cname",
                record.values().map(str::to_owned).collect(),
            ),
            "MX" => ("dangling_mx", host_fields(record, 1)),
            "SRV" => ("dangling_srv", host_fields(record, 3)),
            _ => continue,
        };
        for host in hosts {
            let target = normalise_name(&host);
            if target.is_empty() {
                continue;
            }
            if let Some(zones) = dangling(inventory, &names, zone, &target) {
                out.push(finding(
                    kind,
                    "medium",
                    account,
                    &zone.zone().name,
                    record.name(),
                    record.kind(),
                    target.clone(),
                    format!(
                        "{target} is in zone {zones} of the organisation, which holds no record \
                         of that name (nor a wildcard covering it)"
                    ),
                ));
            }
        }
    }
}

/// The host field (`index`) of each MX (`PRIORITY HOST`) or SRV (`PRIORITY WEIGHT PORT HOST`)
/// value.
fn host_fields(record: RecordView<'_>, index: usize) -> Vec<String> {
    record
        .values()
        .filter_map(|v| v.split_whitespace().nth(index).map(str::to_owned))
        .filter(|h| h != ".")
        .collect()
}

/// The record names of every zone, to tell at once whether a zone holds a name.
struct Names<'a> {
    by_zone: HashMap<*const ZoneEntry, HashSet<&'a str>>,
}

impl<'a> Names<'a> {
    fn new(inventory: &'a Inventory) -> Names<'a> {
        let by_zone = inventory
            .zones()
            .map(|(_, _, z)| {
                let names = z.records.iter().map(|r| r.name()).collect();
                (z as *const ZoneEntry, names)
            })
            .collect();
        Names { by_zone }
    }

    /// Whether zone `z` has a record set of `name`, or a wildcard covering it.
    fn holds(&self, z: &ZoneEntry, name: &str) -> bool {
        let Some(names) = self.by_zone.get(&(z as *const ZoneEntry)) else {
            return false;
        };
        if names.contains(name) {
            return true;
        }
        // `*.suffix` for every proper suffix of the name.
        let mut rest = name;
        while let Some((_, suffix)) = rest.split_once('.') {
            if names.contains(format!("*.{suffix}").as_str()) {
                return true;
            }
            rest = suffix;
        }
        false
    }
}

/// When `target` (referred to from zone `from`) lies in zones of the organisation that hold no
/// record of it: the names of those zones. `None` when some zone holds it, no zone of ours
/// contains it, it is delegated away below the zone, or the zones were not read completely.
/// A public zone's records resolve in public zones; a private zone's also in private zones
/// sharing one of its VPCs.
fn dangling(
    inventory: &Inventory,
    names: &Names<'_>,
    from: &ZoneEntry,
    target: &str,
) -> Option<String> {
    let visible = |z: &ZoneEntry| {
        !z.zone().private
            || (from.zone().private && z.detail.vpcs.iter().any(|v| from.detail.vpcs.contains(v)))
            || (from.zone().private && std::ptr::eq(z, from))
    };
    let holding: Vec<&ZoneEntry> = inventory
        .zones()
        .map(|(_, _, z)| z)
        .filter(|z| visible(z) && is_under(target, &z.zone().name))
        .collect();
    let deepest = holding.iter().map(|z| z.zone().name.len()).max()?;
    // A private zone hides a public one of the same name inside its VPCs.
    let best: Vec<&ZoneEntry> = holding
        .into_iter()
        .filter(|z| z.zone().name.len() == deepest)
        .collect();
    let best: Vec<&ZoneEntry> = if best.iter().any(|z| z.zone().private) {
        best.into_iter().filter(|z| z.zone().private).collect()
    } else {
        best
    };
    if best.iter().any(|z| !complete(z)) || best.iter().any(|z| names.holds(z, target)) {
        return None;
    }
    let delegated_away = best.iter().any(|z| {
        z.records
            .iter()
            .any(|r| r.kind() == "NS" && r.name() != z.zone().name && is_under(target, r.name()))
    });
    if delegated_away {
        return None;
    }
    Some(
        best.iter()
            .map(|z| format!("{} ({})", z.zone().name, z.zone().id))
            .collect::<Vec<_>>()
            .join(", "),
    )
}

#[cfg(test)]
#[path = "audit_tests.rs"]
mod tests;
