//! Changes to record sets: what an operator asks for (a record set upserted or deleted, a
//! delegation fixed), checked against what the zone holds now, turned into the exact Route53
//! ChangeBatches — split at Route53's limits — and into the plan the one executor runs.

use serde::Serialize;

use super::values::{alias_allowed, record_values};
use super::{AliasTarget, HostedZone, RecordSet, Routing, is_under};
use crate::domain::plan::{Danger, Plan, Step};

/// A ChangeBatch holds at most this many record values (UPSERT counts twice).
pub const MAX_BATCH_RECORDS: usize = 1000;
/// ...and at most this many characters of values (UPSERT counts twice).
pub const MAX_BATCH_CHARS: usize = 32_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ChangeAction {
    #[serde(rename = "CREATE")]
    Create,
    #[serde(rename = "UPSERT")]
    Upsert,
    #[serde(rename = "DELETE")]
    Delete,
}

impl ChangeAction {
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeAction::Create => "CREATE",
            ChangeAction::Upsert => "UPSERT",
            ChangeAction::Delete => "DELETE",
        }
    }
}

/// One change of a ChangeBatch: the record set sent (for a DELETE, exactly as the zone holds it)
/// and, for the operator, what the zone held before.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordChange {
    pub action: ChangeAction,
    pub record: RecordSet,
    pub before: Option<RecordSet>,
}

impl RecordChange {
    /// What this change costs against the batch limits: record values and characters (UPSERT
    /// counts twice, as Route53 counts it).
    fn cost(&self) -> (usize, usize) {
        let factor = if self.action == ChangeAction::Upsert {
            2
        } else {
            1
        };
        let records = self.record.values.len().max(1);
        let chars: usize = self.record.values.iter().map(String::len).sum::<usize>()
            + self.record.alias.as_ref().map_or(0, |a| a.dns_name.len());
        (records * factor, chars * factor)
    }

    /// `UPSERT api.example.com A ttl 60: 192.0.2.1 (before: ttl 300: 192.0.2.9)`.
    pub fn summary(&self) -> String {
        let before = match (&self.before, self.action) {
            (_, ChangeAction::Delete) => String::new(),
            (None, _) => " (new)".to_owned(),
            (Some(b), _) => format!(" (before: {})", record_text(b)),
        };
        format!(
            "{} {} {} {}{before}",
            self.action.as_str(),
            self.record.name,
            self.record.kind,
            record_text(&self.record)
        )
    }
}

/// `ttl 60: a | b`, `ALIAS name (zone) health=yes`, with the routing when it is not simple.
fn record_text(r: &RecordSet) -> String {
    let mut text = match (&r.alias, r.ttl) {
        (Some(a), _) => format!(
            "ALIAS {} ({}){}",
            a.dns_name,
            a.hosted_zone_id,
            if a.evaluate_target_health {
                " evaluate-target-health"
            } else {
                ""
            }
        ),
        (None, Some(ttl)) => format!("ttl {ttl}: {}", r.values.join(" | ")),
        (None, None) => r.values.join(" | "),
    };
    if !matches!(r.routing.policy.as_str(), "" | "simple") || r.set_identifier.is_some() {
        text.push_str(&format!(" [{}]", r.routing_text()));
    }
    text
}

/// One ChangeResourceRecordSets call: the zone (in its account) and its batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DnsChange {
    pub account_id: String,
    pub zone_id: String,
    pub zone: String,
    pub changes: Vec<RecordChange>,
}

/// The hosted zone a change is made in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ZoneTarget {
    pub account_id: String,
    pub account_name: String,
    pub zone: HostedZone,
}

impl ZoneTarget {
    /// `example.com (Z1, public, account prod 111111111111)`.
    pub fn label(&self) -> String {
        let visibility = if self.zone.private {
            "private"
        } else {
            "public"
        };
        format!(
            "{} ({}, {visibility}, account {})",
            self.zone.name,
            self.zone.id,
            account_label(&self.account_id, &self.account_name)
        )
    }
}

fn account_label(id: &str, name: &str) -> String {
    if name.is_empty() {
        id.to_owned()
    } else {
        format!("{name} {id}")
    }
}

/// The deepest zones of the organisation holding `name` (several when a public and a private
/// zone, or zones of the same name in several accounts, hold it equally deep).
pub fn deepest_zones(zones: &[ZoneTarget], name: &str) -> Vec<ZoneTarget> {
    let holding: Vec<&ZoneTarget> = zones
        .iter()
        .filter(|z| is_under(name, &z.zone.name))
        .collect();
    let deepest = holding.iter().map(|z| z.zone.name.len()).max();
    holding
        .into_iter()
        .filter(|z| Some(z.zone.name.len()) == deepest)
        .cloned()
        .collect()
}

/// Which zone holds `name`: the one `wanted` names (id, or name when only one zone has it), else
/// the deepest zone of the organisation holding the name — when several zones are equally deep
/// (a public and a private one, or zones of the same name in two accounts) the operator chooses
/// with `--zone ID`.
pub fn choose_zone(
    zones: &[ZoneTarget],
    name: &str,
    wanted: Option<&str>,
) -> Result<ZoneTarget, String> {
    let list = |zs: &[&ZoneTarget]| zs.iter().map(|z| z.label()).collect::<Vec<_>>().join("; ");
    let candidates: Vec<&ZoneTarget> = match wanted {
        Some(w) => {
            let w = w.trim();
            let by_id: Vec<&ZoneTarget> = zones
                .iter()
                .filter(|z| z.zone.id == w.trim_start_matches("/hostedzone/"))
                .collect();
            if by_id.is_empty() {
                let n = super::normalise_name(w);
                zones.iter().filter(|z| z.zone.name == n).collect()
            } else {
                by_id
            }
        }
        None => {
            let holding: Vec<&ZoneTarget> = zones
                .iter()
                .filter(|z| is_under(name, &z.zone.name))
                .collect();
            let deepest = holding.iter().map(|z| z.zone.name.len()).max();
            holding
                .into_iter()
                .filter(|z| Some(z.zone.name.len()) == deepest)
                .collect()
        }
    };
    match (candidates.as_slice(), wanted) {
        ([], Some(w)) => Err(format!(
            "no zone `{w}` in the organisation; give a zone name or id (opsdeck dns zones lists \
             them)"
        )),
        ([], None) => Err(format!(
            "no zone of the organisation holds {name}; create the zone first or check the name \
             (opsdeck dns zones lists the zones)"
        )),
        ([one], _) => {
            if is_under(name, &one.zone.name) {
                Ok((*one).clone())
            } else {
                Err(format!(
                    "{name} is not in zone {}; give a name that ends in .{}",
                    one.label(),
                    one.zone.name
                ))
            }
        }
        (several, _) => Err(format!(
            "{name} is in {} zones: {}; choose one with --zone ID",
            several.len(),
            list(several)
        )),
    }
}

/// What an operator asks to upsert.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordSpec {
    /// Checked and normalised (`values::record_name`).
    pub name: String,
    /// Upper case.
    pub kind: String,
    pub ttl: Option<i64>,
    /// As typed; checked and normalised by the plan.
    pub values: Vec<String>,
    pub alias: Option<AliasTarget>,
    /// Which record set of a weighted, failover, latency... set.
    pub set_identifier: Option<String>,
}

/// Why there is no plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoPlan {
    /// Bad input or a change Route53 would refuse: nothing is sent.
    Invalid(String),
    /// The zone holds exactly what was asked for already.
    NothingToDo(String),
}

impl std::fmt::Display for NoPlan {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NoPlan::Invalid(why) | NoPlan::NothingToDo(why) => f.write_str(why),
        }
    }
}

/// Default TTL of a new record set.
pub const DEFAULT_TTL: i64 = 300;

/// Route53's TTL range.
const MAX_TTL: i64 = 2_147_483_647;

/// Plan an upsert of `spec` in `target`, given every record set of that name the zone holds now
/// (`existing`). The record set's routing (set identifier, weight, failover, region, location,
/// health check) is kept as it is; a new record set is simple. Apex NS and SOA only with `force`.
pub fn plan_upsert(
    target: &ZoneTarget,
    spec: &RecordSpec,
    existing: &[RecordSet],
    force: bool,
    region: &str,
) -> Result<Plan<DnsChange>, NoPlan> {
    let invalid = |s: String| NoPlan::Invalid(s);
    let zone = &target.zone.name;
    let name = &spec.name;
    let kind = spec.kind.as_str();
    if !is_under(name, zone) {
        return Err(invalid(format!("{name} is not in zone {zone}")));
    }
    let apex = name == zone;
    if apex && kind == "CNAME" {
        return Err(invalid(format!(
            "a CNAME cannot be at the zone apex {zone} (it would hide the zone's SOA and NS); \
             use an alias record (--alias-target) instead"
        )));
    }
    if apex && matches!(kind, "NS" | "SOA") && !force {
        return Err(invalid(format!(
            "changing the apex {kind} of {zone} can take the whole zone off the internet; pass \
             --force if that is really meant"
        )));
    }
    if !apex && kind == "SOA" {
        return Err(invalid("an SOA record exists only at the zone apex".into()));
    }
    let others: Vec<&str> = existing
        .iter()
        .filter(|r| r.name == *name && r.kind != kind)
        .map(|r| r.kind.as_str())
        .collect();
    if kind == "CNAME" && !others.is_empty() {
        return Err(invalid(format!(
            "{name} already has {} record(s); a CNAME cannot be beside other types",
            others.join(", ")
        )));
    }
    if others.contains(&"CNAME") {
        return Err(invalid(format!(
            "{name} is a CNAME; no other type can be beside it (delete the CNAME first)"
        )));
    }
    let ttl = match spec.ttl {
        Some(t) if !(0..=MAX_TTL).contains(&t) => {
            return Err(invalid(format!("TTL {t} must be from 0 to {MAX_TTL}")));
        }
        t => t,
    };
    let before = pick(existing, name, kind, spec.set_identifier.as_deref(), true)?;
    if let Some(b) = &before
        && matches!(b.routing.policy.as_str(), "geoproximity" | "cidr")
    {
        return Err(invalid(format!(
            "{name} {kind} uses {} routing, which opsdeck cannot keep as it is; change it in the \
             Route53 console",
            b.routing.policy
        )));
    }
    let (values, alias, ttl) = match &spec.alias {
        Some(alias) => {
            if !alias_allowed(kind) {
                return Err(invalid(format!("an {kind} record cannot be an alias")));
            }
            if !spec.values.is_empty() {
                return Err(invalid(
                    "an alias record has no values: give either values or --alias-target".into(),
                ));
            }
            if spec.ttl.is_some() {
                return Err(invalid(
                    "an alias record has no TTL of its own (it uses its target's)".into(),
                ));
            }
            (Vec::new(), Some(alias.clone()), None)
        }
        None => {
            let values = record_values(kind, &spec.values).map_err(invalid)?;
            let ttl = ttl
                .or(before.as_ref().and_then(|b| b.ttl))
                .unwrap_or(DEFAULT_TTL);
            (values, None, Some(ttl))
        }
    };
    let record = RecordSet {
        name: name.clone(),
        kind: kind.to_owned(),
        ttl,
        values,
        alias,
        set_identifier: before
            .as_ref()
            .and_then(|b| b.set_identifier.clone())
            .or_else(|| spec.set_identifier.clone()),
        routing: before
            .as_ref()
            .map(|b| b.routing.clone())
            .unwrap_or(Routing {
                policy: "simple".into(),
                ..Routing::default()
            }),
    };
    if record.set_identifier.is_some() && before.is_none() {
        return Err(invalid(format!(
            "no {kind} record {name} with set identifier {} in zone {zone}; opsdeck creates \
             simple records only (a new routing policy is made in the Route53 console)",
            spec.set_identifier.as_deref().unwrap_or_default()
        )));
    }
    if before.as_ref() == Some(&record) {
        return Err(NoPlan::NothingToDo(format!(
            "nothing to do: {name} {kind} already holds exactly that"
        )));
    }
    let verb = if before.is_some() { "Change" } else { "Create" };
    let change = RecordChange {
        action: ChangeAction::Upsert,
        record,
        before,
    };
    batch_plan(
        format!("{verb} {name} {kind} in zone {zone}"),
        target,
        vec![change],
        Danger::Normal,
        region,
    )
    .map_err(invalid)
}

/// Plan the deletion of the record set `name kind` (the one with `set_identifier` in a set).
/// Destructive: the record's name must be typed.
pub fn plan_delete(
    target: &ZoneTarget,
    name: &str,
    kind: &str,
    set_identifier: Option<&str>,
    existing: &[RecordSet],
    force: bool,
    region: &str,
) -> Result<Plan<DnsChange>, NoPlan> {
    let zone = &target.zone.name;
    if !is_under(name, zone) {
        return Err(NoPlan::Invalid(format!("{name} is not in zone {zone}")));
    }
    if name == zone && matches!(kind, "NS" | "SOA") && !force {
        return Err(NoPlan::Invalid(format!(
            "deleting the apex {kind} of {zone} takes the whole zone off the internet; pass \
             --force if that is really meant"
        )));
    }
    let Some(record) = pick(existing, name, kind, set_identifier, false)? else {
        return Err(NoPlan::Invalid(format!(
            "no {kind} record {name}{} in zone {}; nothing to delete (opsdeck dns records --zone \
             {} lists them)",
            set_identifier
                .map(|id| format!(" with set identifier {id}"))
                .unwrap_or_default(),
            target.label(),
            target.zone.id
        )));
    };
    if matches!(record.routing.policy.as_str(), "geoproximity" | "cidr") {
        return Err(NoPlan::Invalid(format!(
            "{name} {kind} uses {} routing, which opsdeck cannot send back exactly; delete it \
             in the Route53 console",
            record.routing.policy
        )));
    }
    let change = RecordChange {
        action: ChangeAction::Delete,
        before: Some(record.clone()),
        record,
    };
    batch_plan(
        format!("Delete {name} {kind} from zone {zone}"),
        target,
        vec![change],
        Danger::Destructive {
            confirm_text: name.to_owned(),
        },
        region,
    )
    .map_err(NoPlan::Invalid)
}

/// The record set `name kind` (with `set_identifier` when given); several without an identifier
/// is an error naming them. `for_upsert`: a set identifier that matches nothing is not an error
/// here (the caller says what it means).
fn pick(
    existing: &[RecordSet],
    name: &str,
    kind: &str,
    set_identifier: Option<&str>,
    for_upsert: bool,
) -> Result<Option<RecordSet>, NoPlan> {
    let same: Vec<&RecordSet> = existing
        .iter()
        .filter(|r| r.name == name && r.kind == kind)
        .collect();
    if let Some(id) = set_identifier {
        let found = same
            .iter()
            .find(|r| r.set_identifier.as_deref() == Some(id));
        if found.is_none() && !for_upsert && !same.is_empty() {
            return Err(NoPlan::Invalid(format!(
                "no {kind} record {name} with set identifier {id}; its set identifiers: {}",
                identifiers(&same)
            )));
        }
        return Ok(found.map(|r| (*r).clone()));
    }
    match same.as_slice() {
        [] => Ok(None),
        [one] if one.set_identifier.is_none() => Ok(Some((*one).clone())),
        several => Err(NoPlan::Invalid(format!(
            "{name} {kind} is a set of {} record sets ({}); choose one with --set-identifier ID",
            several.len(),
            identifiers(several)
        ))),
    }
}

fn identifiers(records: &[&RecordSet]) -> String {
    records
        .iter()
        .map(|r| r.set_identifier.as_deref().unwrap_or("(none)"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Split `changes` into ChangeBatches within Route53's limits, in order. A change that alone
/// exceeds them is an error.
pub fn split_batches(changes: Vec<RecordChange>) -> Result<Vec<Vec<RecordChange>>, String> {
    let mut batches: Vec<Vec<RecordChange>> = Vec::new();
    let (mut records, mut chars) = (0, 0);
    for change in changes {
        let (r, c) = change.cost();
        if r > MAX_BATCH_RECORDS || c > MAX_BATCH_CHARS {
            return Err(format!(
                "{} {} alone exceeds Route53's limits of one change batch ({MAX_BATCH_RECORDS} \
                 values, {MAX_BATCH_CHARS} characters; an UPSERT counts twice): {r} values, {c} \
                 characters",
                change.record.name, change.record.kind
            ));
        }
        match batches.last_mut() {
            Some(batch) if records + r <= MAX_BATCH_RECORDS && chars + c <= MAX_BATCH_CHARS => {
                batch.push(change);
                records += r;
                chars += c;
            }
            _ => {
                batches.push(vec![change]);
                (records, chars) = (r, c);
            }
        }
    }
    Ok(batches)
}

/// The plan of `changes` in `target`: validated whole, one step per ChangeBatch.
pub fn batch_plan(
    title: String,
    target: &ZoneTarget,
    changes: Vec<RecordChange>,
    danger: Danger,
    region: &str,
) -> Result<Plan<DnsChange>, String> {
    for c in &changes {
        if !is_under(&c.record.name, &target.zone.name) {
            return Err(format!(
                "{} is not in zone {}",
                c.record.name, target.zone.name
            ));
        }
    }
    let batches = split_batches(changes)?;
    let count = batches.len();
    let steps = batches
        .into_iter()
        .enumerate()
        .map(|(i, batch)| {
            let mut summary = batch
                .iter()
                .map(RecordChange::summary)
                .collect::<Vec<_>>()
                .join("; ");
            if count > 1 {
                summary = format!(
                    "batch {}/{count}, {} changes: {summary}",
                    i + 1,
                    batch.len()
                );
            }
            Step::new(
                "route53",
                "ChangeResourceRecordSets",
                format!("{} ({})", target.zone.name, target.zone.id),
                summary,
            )
            .with_action(DnsChange {
                account_id: target.account_id.clone(),
                zone_id: target.zone.id.clone(),
                zone: target.zone.name.clone(),
                changes: batch,
            })
        })
        .collect();
    Ok(Plan {
        basis: None,
        title,
        account_id: target.account_id.clone(),
        region: region.to_owned(),
        steps,
        danger,
    })
}

#[cfg(test)]
#[path = "change_tests.rs"]
mod tests;
