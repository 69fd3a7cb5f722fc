//! Fixing a delegation from the check that found it: a `missing` or `mismatch` delegation gets
//! the parent's NS record set to exactly the child zone's apex name servers (in the parent zone's
//! account, with the TTL the parent uses for its delegations); a `dangling` one loses the parent's
//! NS record set (typed confirmation).

use super::change::{ChangeAction, DnsChange, NoPlan, RecordChange, ZoneTarget, batch_plan};
use super::delegation::delegation_in;
use super::{
    Delegation, DelegationStatus, Inventory, RecordSet, Routing, ZoneEntry, check_delegations,
    normalise_name,
};
use crate::domain::plan::{Danger, Plan};

/// The TTL of a delegation when the parent has none to copy: two days, as registries use.
pub const DELEGATION_TTL: i64 = 172_800;

/// The delegation check's rows for `child` (normalised), problems first.
pub fn delegations_of(inventory: &Inventory, child: &str) -> Vec<Delegation> {
    let child = normalise_name(child);
    check_delegations(inventory)
        .into_iter()
        .filter(|d| d.child_zone == child)
        .collect()
}

/// The plan that fixes the delegation of `child`, with the row it fixes.
pub fn plan_fix_delegation(
    inventory: &Inventory,
    child: &str,
    region: &str,
) -> Result<(Delegation, Plan<DnsChange>), NoPlan> {
    let child = normalise_name(child);
    let rows = delegations_of(inventory, &child);
    let Some(row) = rows.iter().find(|d| d.status.is_problem()).cloned() else {
        return Err(match rows.first() {
            None => NoPlan::Invalid(format!(
                "no delegation of {child}: no public zone of the organisation of that name sits \
                 under another of its zones, and no parent zone has an NS record of that name \
                 (opsdeck dns delegations lists them)"
            )),
            Some(d) => NoPlan::NothingToDo(format!(
                "nothing to do: the delegation of {child} from {} is {}",
                d.parent_zone,
                d.status.word()
            )),
        });
    };
    let Some((target, parent)) = parent_zone(inventory, &row) else {
        return Err(NoPlan::Invalid(format!(
            "the parent zone {} of {child} could not be read",
            row.parent_zone
        )));
    };
    if let Some(e) = &parent.error {
        return Err(NoPlan::Invalid(format!(
            "the parent zone {} was not read completely ({e}); try again",
            row.parent_zone
        )));
    }
    let existing: Vec<RecordSet> = parent
        .records
        .iter()
        .filter(|r| r.kind() == "NS" && r.name() == child)
        .map(|r| r.to_record_set())
        .collect();
    if existing.len() > 1 {
        return Err(NoPlan::Invalid(format!(
            "{} holds {} NS record sets named {child}; fix them in the Route53 console",
            row.parent_zone,
            existing.len()
        )));
    }
    let before = existing.into_iter().next();
    let (title, change, danger) = match row.status {
        DelegationStatus::Dangling => {
            let Some(record) = before else {
                return Err(NoPlan::Invalid(format!(
                    "{} has no NS record {child} to delete",
                    row.parent_zone
                )));
            };
            (
                format!(
                    "Delete the dangling delegation of {child} from {} (no zone {child} exists in \
                     the organisation)",
                    row.parent_zone
                ),
                RecordChange {
                    action: ChangeAction::Delete,
                    before: Some(record.clone()),
                    record,
                },
                Danger::Destructive {
                    confirm_text: child.clone(),
                },
            )
        }
        _ => {
            if row.child_ns.is_empty() {
                return Err(NoPlan::Invalid(format!(
                    "the zone {child} has no apex NS record to delegate to (or it was not read)"
                )));
            }
            let ttl = before
                .as_ref()
                .and_then(|b| b.ttl)
                .unwrap_or_else(|| usual_delegation_ttl(parent));
            let record = RecordSet {
                name: child.clone(),
                kind: "NS".into(),
                ttl: Some(ttl),
                values: row.child_ns.iter().map(|ns| format!("{ns}.")).collect(),
                alias: None,
                set_identifier: None,
                routing: Routing {
                    policy: "simple".into(),
                    ..Routing::default()
                },
            };
            let verb = if before.is_some() { "Update" } else { "Create" };
            (
                format!(
                    "{verb} the delegation of {child} in {} to the name servers of zone {child}",
                    row.parent_zone
                ),
                RecordChange {
                    action: ChangeAction::Upsert,
                    record,
                    before,
                },
                Danger::Normal,
            )
        }
    };
    let plan = batch_plan(title, &target, vec![change], danger, region).map_err(NoPlan::Invalid)?;
    Ok((row, plan))
}

/// The parent zone of a delegation row: the public zone of that name in the parent's account
/// (one that delegates the child when there are several).
fn parent_zone<'a>(
    inventory: &'a Inventory,
    row: &Delegation,
) -> Option<(ZoneTarget, &'a ZoneEntry)> {
    inventory
        .zones()
        .filter(|(_, a, z)| {
            a.account.id == row.parent_account
                && !z.zone().private
                && z.zone().name == row.parent_zone
        })
        .max_by_key(|(_, _, z)| delegation_in(z, &row.child_zone).is_some())
        .map(|(_, a, z)| {
            (
                ZoneTarget {
                    account_id: a.account.id.clone(),
                    account_name: a.account.name.clone(),
                    zone: z.zone().clone(),
                },
                z,
            )
        })
}

/// The TTL the parent gives its delegations: the most common TTL of its NS records below the
/// apex, else that of its apex NS record, else two days.
fn usual_delegation_ttl(parent: &ZoneEntry) -> i64 {
    let apex = &parent.zone().name;
    let mut counts: Vec<(i64, usize)> = Vec::new();
    for r in parent
        .records
        .iter()
        .filter(|r| r.kind() == "NS" && r.name() != apex)
    {
        if let Some(ttl) = r.ttl() {
            match counts.iter_mut().find(|(t, _)| *t == ttl) {
                Some((_, n)) => *n += 1,
                None => counts.push((ttl, 1)),
            }
        }
    }
    counts
        .iter()
        .max_by_key(|(ttl, n)| (*n, *ttl))
        .map(|(ttl, _)| *ttl)
        .or_else(|| {
            parent
                .records
                .iter()
                .find(|r| r.kind() == "NS" && r.name() == apex)
                .and_then(|r| r.ttl())
        })
        .unwrap_or(DELEGATION_TTL)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::dns::delegation::tests::{PROD_NS, ns, org, planted};

    #[test]
    fn a_mismatch_becomes_an_upsert_of_exactly_the_child_name_servers_in_the_parent_account() {
        let inv = planted();
        let (row, plan) = plan_fix_delegation(&inv, "Staging.Example.com.", "us-east-1").unwrap();
        assert_eq!(row.status, DelegationStatus::Mismatch);
        assert_eq!(plan.account_id, "111111111111");
        assert_eq!(plan.danger, Danger::Normal);
        let change = &plan.steps[0].action.changes[0];
        assert_eq!(change.action, ChangeAction::Upsert);
        assert_eq!(change.record.values, PROD_NS);
        assert_eq!(change.record.ttl, Some(172800), "the existing record's TTL");
        assert_eq!(plan.steps[0].action.zone, "example.com");
        assert!(change.before.is_some());
    }

    #[test]
    fn a_missing_delegation_takes_the_parents_usual_ttl() {
        let mut inv = planted();
        // The parent's delegations use one hour.
        for z in &mut inv.accounts[0].zones {
            z.records = z
                .records
                .iter()
                .map(|r| {
                    let mut r = r.to_record_set();
                    if r.kind == "NS" && r.name != "example.com" {
                        r.ttl = Some(3600);
                    }
                    r
                })
                .collect();
        }
        let (row, plan) = plan_fix_delegation(&inv, "sandbox.example.com", "r").unwrap();
        assert_eq!(row.status, DelegationStatus::Missing);
        let change = &plan.steps[0].action.changes[0];
        assert_eq!(change.record.ttl, Some(3600));
        assert_eq!(change.record.name, "sandbox.example.com");
        assert!(change.before.is_none());
        assert!(
            plan.title.starts_with("Create the delegation"),
            "{}",
            plan.title
        );
    }

    #[test]
    fn a_dangling_delegation_is_deleted_with_its_name_typed() {
        let (row, plan) = plan_fix_delegation(&planted(), "old.example.com", "r").unwrap();
        assert_eq!(row.status, DelegationStatus::Dangling);
        assert_eq!(
            plan.danger,
            Danger::Destructive {
                confirm_text: "old.example.com".into()
            }
        );
        let change = &plan.steps[0].action.changes[0];
        assert_eq!(change.action, ChangeAction::Delete);
        assert_eq!(change.record.values, ["ns-1.awsdns-01.org."]);
    }

    #[test]
    fn ok_external_and_unknown_delegations_are_not_changed() {
        let inv = planted();
        let nothing = |name: &str| plan_fix_delegation(&inv, name, "r").unwrap_err();
        assert!(
            matches!(nothing("dev.example.com"), NoPlan::NothingToDo(s) if s.contains("is ok"))
        );
        assert!(
            matches!(nothing("partner.example.com"), NoPlan::NothingToDo(s) if s.contains("external"))
        );
        assert!(
            matches!(nothing("nope.example.com"), NoPlan::Invalid(s) if s.contains("no delegation of nope"))
        );
        let flat = org(vec![(
            "1",
            vec![("a.com", false, vec![ns("a.com", &PROD_NS)])],
        )]);
        assert!(matches!(
            plan_fix_delegation(&flat, "a.com", "r"),
            Err(NoPlan::Invalid(_))
        ));
    }
}
