//! The delegation check: for every public zone of the organisation that sits under another public
//! zone of it, does the parent's NS record set for the child's name name the child's name servers?
//! And every other NS record of a parent: does it point at name servers of a zone we have?

use serde::Serialize;

use super::{Inventory, ZoneEntry, is_under, name_server_set};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DelegationStatus {
    /// The parent's NS values differ from the child zone's name servers (stale after a recreate).
    Mismatch,
    /// The parent has no NS record for the child: the child zone is not reachable from the internet.
    Missing,
    /// The parent delegates to our own name servers, but no zone of that name exists in the
    /// organisation: a dangling delegation anyone could claim by creating the zone.
    Dangling,
    /// The parent delegates to name servers of no zone in the organisation (another provider).
    External,
    Ok,
}

impl DelegationStatus {
    pub fn word(self) -> &'static str {
        match self {
            DelegationStatus::Mismatch => "mismatch",
            DelegationStatus::Missing => "missing",
            DelegationStatus::Dangling => "dangling",
            DelegationStatus::External => "external",
            DelegationStatus::Ok => "ok",
        }
    }

    /// Whether an operator must act.
    pub fn is_problem(self) -> bool {
        matches!(
            self,
            DelegationStatus::Mismatch | DelegationStatus::Missing | DelegationStatus::Dangling
        )
    }
}

/// One parent → child hop. Accounts are account ids; `child_account` is `None` when no zone of
/// that name is in the organisation. Name servers are normalised (lower case, no trailing dot).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Delegation {
    pub parent_zone: String,
    pub parent_account: String,
    pub child_zone: String,
    pub child_account: Option<String>,
    pub status: DelegationStatus,
    pub parent_ns: Vec<String>,
    pub child_ns: Vec<String>,
}

/// The name servers a zone publishes at its apex (its NS record set).
pub(super) fn apex_name_servers(zone: &ZoneEntry) -> Vec<String> {
    let name = &zone.zone().name;
    let values: Vec<String> = zone
        .records
        .iter()
        .filter(|r| r.kind() == "NS" && r.name() == name)
        .flat_map(|r| r.values().map(str::to_owned))
        .collect();
    name_server_set(&values)
}

/// The NS values `parent` holds for `name`, or `None` when it has no NS record of that name.
pub(super) fn delegation_in(parent: &ZoneEntry, name: &str) -> Option<Vec<String>> {
    let values: Vec<String> = parent
        .records
        .iter()
        .filter(|r| r.kind() == "NS" && r.name() == name)
        .flat_map(|r| r.values().map(str::to_owned))
        .collect();
    let found = parent
        .records
        .iter()
        .any(|r| r.kind() == "NS" && r.name() == name);
    found.then(|| name_server_set(&values))
}

/// Compare one parent zone with one child zone.
pub(super) fn compare(
    parent: &ZoneEntry,
    parent_account: &str,
    child: &ZoneEntry,
    child_account: &str,
) -> Delegation {
    let child_ns = apex_name_servers(child);
    let (status, parent_ns) = match delegation_in(parent, &child.zone().name) {
        None => (DelegationStatus::Missing, Vec::new()),
        Some(ns) if ns == child_ns => (DelegationStatus::Ok, ns),
        Some(ns) => (DelegationStatus::Mismatch, ns),
    };
    Delegation {
        parent_zone: parent.zone().name.clone(),
        parent_account: parent_account.to_owned(),
        child_zone: child.zone().name.clone(),
        child_account: Some(child_account.to_owned()),
        status,
        parent_ns,
        child_ns,
    }
}

/// Every delegation of the organisation's public zones, problems first, then by child name.
pub fn check_delegations(inventory: &Inventory) -> Vec<Delegation> {
    let public: Vec<(&str, &ZoneEntry)> = inventory
        .zones()
        .filter(|(_, _, z)| !z.zone().private)
        .map(|(_, a, z)| (a.account.id.as_str(), z))
        .collect();
    let ours: Vec<String> = {
        let all: Vec<String> = public
            .iter()
            .flat_map(|(_, z)| apex_name_servers(z))
            .collect();
        name_server_set(&all)
    };
    let mut out = Vec::new();
    for &(child_account, child) in &public {
        let child_name = &child.zone().name;
        let parent = public
            .iter()
            .filter(|(_, p)| {
                let parent_name = &p.zone().name;
                parent_name != child_name && is_under(child_name, parent_name)
            })
            // The closest enclosing zone; among zones of the same name, one that delegates.
            .max_by_key(|(_, p)| (p.zone().name.len(), delegation_in(p, child_name).is_some()));
        if let Some(&(parent_account, parent)) = parent {
            out.push(compare(parent, parent_account, child, child_account));
        }
    }
    for &(parent_account, parent) in &public {
        let apex = &parent.zone().name;
        let mut names: Vec<&str> = parent
            .records
            .iter()
            .filter(|r| r.kind() == "NS" && r.name() != apex)
            .map(|r| r.name())
            .collect();
        names.dedup();
        for name in names {
            if public.iter().any(|(_, z)| z.zone().name == name) {
                continue;
            }
            let parent_ns = delegation_in(parent, name).unwrap_or_default();
            let status = if parent_ns.iter().any(|ns| ours.binary_search(ns).is_ok()) {
                DelegationStatus::Dangling
            } else {
                DelegationStatus::External
            };
            out.push(Delegation {
                parent_zone: apex.clone(),
                parent_account: parent_account.to_owned(),
                child_zone: name.to_owned(),
                child_account: None,
                status,
                parent_ns,
                child_ns: Vec::new(),
            });
        }
    }
    out.sort_by(|a, b| {
        (a.status, &a.child_zone, &a.parent_zone).cmp(&(b.status, &b.child_zone, &b.parent_zone))
    });
    out
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::domain::account::Account;
    use crate::domain::dns::{
        AccountStatus, HostedZone, InventoryEvent, RecordSet, Routing, ZoneDetail,
    };

    pub(crate) fn ns(name: &str, values: &[&str]) -> RecordSet {
        RecordSet {
            name: name.into(),
            kind: "NS".into(),
            ttl: Some(172800),
            values: values.iter().map(|v| (*v).to_owned()).collect(),
            alias: None,
            set_identifier: None,
            routing: Routing {
                policy: "simple".into(),
                ..Routing::default()
            },
        }
    }

    pub(crate) fn a(name: &str, value: &str) -> RecordSet {
        RecordSet {
            kind: "A".into(),
            ttl: Some(300),
            values: vec![value.into()],
            ..ns(name, &[])
        }
    }

    /// A zone: name, private, records.
    pub(crate) type PlannedZone<'a> = (&'a str, bool, Vec<RecordSet>);

    /// Accounts, each with zones, loaded completely.
    pub(crate) fn org(accounts: Vec<(&str, Vec<PlannedZone<'_>>)>) -> Inventory {
        let mut inv = Inventory::new(
            accounts
                .iter()
                .map(|(id, _)| Account {
                    id: (*id).into(),
                    name: format!("acct-{id}"),
                    email: String::new(),
                    status: "ACTIVE".into(),
                    read_only: false,
                })
                .collect(),
        );
        for (ai, (_, zones)) in accounts.into_iter().enumerate() {
            inv.apply(InventoryEvent::Started { account: ai });
            let details = zones
                .iter()
                .map(|(name, private, _)| ZoneDetail {
                    zone: HostedZone {
                        id: format!("Z{}", name.replace('.', "")),
                        name: (*name).into(),
                        private: *private,
                        record_count: 0,
                        comment: String::new(),
                    },
                    vpcs: Vec::new(),
                })
                .collect();
            inv.apply(InventoryEvent::Zones {
                account: ai,
                zones: details,
            });
            for (zi, (_, _, records)) in zones.into_iter().enumerate() {
                inv.apply(InventoryEvent::Records {
                    account: ai,
                    zone: zi,
                    records,
                });
                inv.apply(InventoryEvent::ZoneDone {
                    account: ai,
                    zone: zi,
                });
            }
            inv.apply(InventoryEvent::Finished {
                account: ai,
                status: AccountStatus::Ok,
            });
        }
        inv
    }

    pub(crate) const ROOT_NS: [&str; 2] = ["ns-1.awsdns-01.org.", "ns-2.awsdns-02.com."];
    pub(crate) const DEV_NS: [&str; 2] = ["ns-3.awsdns-03.net.", "ns-4.awsdns-04.co.uk."];
    pub(crate) const PROD_NS: [&str; 2] = ["ns-5.awsdns-05.net.", "ns-6.awsdns-06.co.uk."];

    pub(crate) fn planted() -> Inventory {
        org(vec![
            (
                "111111111111",
                vec![(
                    "example.com",
                    false,
                    vec![
                        ns("example.com", &ROOT_NS),
                        // Upper case and without dots: still the same set.
                        ns(
                            "dev.example.com",
                            &["NS-4.awsdns-04.co.uk", "ns-3.awsdns-03.net"],
                        ),
                        ns("staging.example.com", &["ns-9.awsdns-09.org."]),
                        ns("partner.example.com", &["ns1.partner-dns.net."]),
                        ns("old.example.com", &[ROOT_NS[0]]),
                        a("www.example.com", "192.0.2.1"),
                    ],
                )],
            ),
            (
                "222222222222",
                vec![
                    (
                        "dev.example.com",
                        false,
                        vec![ns("dev.example.com", &DEV_NS)],
                    ),
                    (
                        "sandbox.example.com",
                        false,
                        vec![ns("sandbox.example.com", &DEV_NS)],
                    ),
                ],
            ),
            (
                "333333333333",
                vec![
                    (
                        "staging.example.com",
                        false,
                        vec![ns("staging.example.com", &PROD_NS)],
                    ),
                    (
                        "internal.example.com",
                        true,
                        vec![a("db.internal.example.com", "10.0.0.1")],
                    ),
                ],
            ),
        ])
    }

    #[test]
    fn every_planted_case_gets_its_status_problems_first() {
        let found = check_delegations(&planted());
        let summary: Vec<(&str, &str)> = found
            .iter()
            .map(|d| (d.child_zone.as_str(), d.status.word()))
            .collect();
        assert_eq!(
            summary,
            [
                ("staging.example.com", "mismatch"),
                ("sandbox.example.com", "missing"),
                ("old.example.com", "dangling"),
                ("partner.example.com", "external"),
                ("dev.example.com", "ok"),
            ]
        );
        let staging = &found[0];
        assert_eq!(staging.parent_ns, ["ns-9.awsdns-09.org"]);
        assert_eq!(
            staging.child_ns,
            ["ns-5.awsdns-05.net", "ns-6.awsdns-06.co.uk"]
        );
        assert_eq!(staging.child_account.as_deref(), Some("333333333333"));
        assert_eq!(staging.parent_account, "111111111111");
        assert_eq!(found[3].child_account, None);
    }

    #[test]
    fn private_zones_and_top_level_zones_are_not_delegations() {
        let found = check_delegations(&planted());
        assert!(found.iter().all(|d| d.child_zone != "internal.example.com"));
        assert!(found.iter().all(|d| d.child_zone != "example.com"));
    }

    #[test]
    fn the_closest_enclosing_zone_is_the_parent() {
        let inv = org(vec![(
            "1",
            vec![
                ("example.com", false, vec![ns("example.com", &ROOT_NS)]),
                (
                    "dev.example.com",
                    false,
                    vec![
                        ns("dev.example.com", &DEV_NS),
                        ns("api.dev.example.com", &PROD_NS),
                    ],
                ),
                (
                    "api.dev.example.com",
                    false,
                    vec![ns("api.dev.example.com", &PROD_NS)],
                ),
            ],
        )]);
        let found = check_delegations(&inv);
        let api = found
            .iter()
            .find(|d| d.child_zone == "api.dev.example.com")
            .unwrap();
        assert_eq!(api.parent_zone, "dev.example.com");
        assert_eq!(api.status, DelegationStatus::Ok);
    }
}
