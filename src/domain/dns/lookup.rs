//! "Who serves this name?": the zones of the organisation that could answer for a name, the
//! delegation chain from the top zone down, and the record sets that answer.

use serde::Serialize;

use super::delegation::{compare, delegation_in};
use super::{DelegationStatus, Inventory, RecordRef, ZoneRef, is_under, normalise_name};

/// A zone that could answer for the name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ServingZone {
    #[serde(skip)]
    pub at: ZoneRef,
    pub account_id: String,
    pub account_name: String,
    pub zone_id: String,
    pub zone: String,
    pub private: bool,
    /// The VPCs of a private zone.
    pub vpcs: Vec<String>,
}

/// One step of the delegation chain, parent → child. `child_account` is `None` when the parent
/// delegates the name to a zone outside the organisation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Hop {
    pub parent_zone: String,
    pub parent_account: String,
    pub child_zone: String,
    pub child_account: Option<String>,
    pub status: DelegationStatus,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchKind {
    Exact,
    Wildcard,
}

/// A record set that answers for the name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub at: RecordRef,
    pub matched: MatchKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lookup {
    /// The name as looked up (normalised).
    pub name: String,
    /// The longest matching public zones (several when accounts hold zones of the same name),
    /// then the longest matching private zones.
    pub zones: Vec<ServingZone>,
    pub chain: Vec<Hop>,
    pub answers: Vec<Answer>,
}

/// Look a name up in the inventory.
pub fn find(inventory: &Inventory, name: &str) -> Lookup {
    let name = normalise_name(name);
    let matching: Vec<_> = inventory
        .zones()
        .filter(|(_, _, z)| is_under(&name, &z.zone().name))
        .collect();
    let longest = |private: bool| {
        let best = matching
            .iter()
            .filter(|(_, _, z)| z.zone().private == private)
            .map(|(_, _, z)| z.zone().name.len())
            .max();
        matching
            .iter()
            .filter(move |(_, _, z)| {
                z.zone().private == private && Some(z.zone().name.len()) == best
            })
            .copied()
            .collect::<Vec<_>>()
    };
    let mut serving = longest(false);
    serving.extend(longest(true));

    // The chain: the public zones on the way down, shortest first.
    let mut public: Vec<_> = matching
        .iter()
        .filter(|(_, _, z)| !z.zone().private)
        .copied()
        .collect();
    public.sort_by_key(|(_, _, z)| z.zone().name.len());
    let mut chain = Vec::new();
    for pair in public.windows(2) {
        let (_, pa, p) = pair[0];
        let (_, ca, c) = pair[1];
        if p.zone().name == c.zone().name {
            continue;
        }
        let d = compare(p, &pa.account.id, c, &ca.account.id);
        chain.push(Hop {
            parent_zone: d.parent_zone,
            parent_account: d.parent_account,
            child_zone: d.child_zone,
            child_account: d.child_account,
            status: d.status,
        });
    }
    // Below the deepest zone we have, the name may be delegated away by an NS record.
    let mut cut_at = None;
    if let Some(&(_, pa, deepest)) = public.last() {
        let cut = deepest
            .records
            .iter()
            .filter(|r| {
                r.kind() == "NS" && r.name() != deepest.zone().name && is_under(&name, r.name())
            })
            .map(|r| r.name())
            .min_by_key(|n| n.len());
        if let Some(cut) = cut {
            let status = if delegation_in(deepest, cut).is_some() {
                DelegationStatus::External
            } else {
                DelegationStatus::Missing
            };
            chain.push(Hop {
                parent_zone: deepest.zone().name.clone(),
                parent_account: pa.account.id.clone(),
                child_zone: cut.to_owned(),
                child_account: None,
                status,
            });
            cut_at = Some(cut);
        }
    }

    let mut answers = Vec::new();
    for &(zr, _, z) in &serving {
        if !z.zone().private && cut_at.is_some() {
            // The public answer comes from outside the organisation.
            continue;
        }
        for (ri, r) in z.records.iter().enumerate() {
            let matched = if r.name() == name {
                Some(MatchKind::Exact)
            } else if let Some(suffix) = r.name().strip_prefix("*.") {
                (name != suffix && is_under(&name, suffix)).then_some(MatchKind::Wildcard)
            } else {
                None
            };
            if let Some(matched) = matched {
                answers.push(Answer {
                    at: RecordRef {
                        account: zr.account as u32,
                        zone: zr.zone as u32,
                        record: ri as u32,
                    },
                    matched,
                });
            }
        }
    }
    // Exact answers hide wildcards of the same zone, as in DNS.
    let exact_zones: Vec<(u32, u32)> = answers
        .iter()
        .filter(|a| a.matched == MatchKind::Exact)
        .map(|a| (a.at.account, a.at.zone))
        .collect();
    answers.retain(|a| {
        a.matched == MatchKind::Exact || !exact_zones.contains(&(a.at.account, a.at.zone))
    });

    Lookup {
        name,
        zones: serving
            .iter()
            .map(|&(at, a, z)| ServingZone {
                at,
                account_id: a.account.id.clone(),
                account_name: a.account.name.clone(),
                zone_id: z.zone().id.clone(),
                zone: z.zone().name.clone(),
                private: z.zone().private,
                vpcs: z.detail.vpcs.clone(),
            })
            .collect(),
        chain,
        answers,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::dns::delegation::tests::{a, ns, org, planted};

    fn answer_names(inv: &Inventory, l: &Lookup) -> Vec<(String, MatchKind)> {
        l.answers
            .iter()
            .map(|ans| (inv.record(ans.at).unwrap().2.name().to_owned(), ans.matched))
            .collect()
    }

    #[test]
    fn the_longest_public_zone_answers_with_the_chain_from_the_root() {
        let mut inv = planted();
        inv.accounts[1].zones[0]
            .records
            .push(vec![a("api.dev.example.com", "192.0.2.7")]);
        let l = find(&inv, "API.dev.example.com.");
        assert_eq!(l.name, "api.dev.example.com");
        assert_eq!(l.zones.len(), 1);
        assert_eq!(l.zones[0].zone, "dev.example.com");
        assert_eq!(l.zones[0].account_id, "222222222222");
        assert_eq!(l.chain.len(), 1);
        assert_eq!(l.chain[0].parent_zone, "example.com");
        assert_eq!(l.chain[0].status, DelegationStatus::Ok);
        assert_eq!(
            answer_names(&inv, &l),
            [("api.dev.example.com".to_owned(), MatchKind::Exact)]
        );
    }

    #[test]
    fn a_broken_hop_shows_in_the_chain() {
        let l = find(&planted(), "www.staging.example.com");
        assert_eq!(l.chain[0].status, DelegationStatus::Mismatch);
    }

    #[test]
    fn private_zones_answer_beside_public_ones() {
        let inv = org(vec![(
            "1",
            vec![
                ("example.com", false, vec![a("db.example.com", "192.0.2.1")]),
                ("example.com", true, vec![a("db.example.com", "10.0.0.1")]),
            ],
        )]);
        let l = find(&inv, "db.example.com");
        assert_eq!(l.zones.len(), 2);
        assert!(!l.zones[0].private && l.zones[1].private);
        assert_eq!(l.answers.len(), 2);
    }

    #[test]
    fn wildcards_answer_only_without_an_exact_match() {
        let inv = org(vec![(
            "1",
            vec![(
                "example.com",
                false,
                vec![
                    a("*.example.com", "192.0.2.9"),
                    a("www.example.com", "192.0.2.1"),
                ],
            )],
        )]);
        assert_eq!(
            answer_names(&inv, &find(&inv, "x.y.example.com")),
            [("*.example.com".to_owned(), MatchKind::Wildcard)]
        );
        assert_eq!(
            answer_names(&inv, &find(&inv, "www.example.com")),
            [("www.example.com".to_owned(), MatchKind::Exact)]
        );
        assert!(find(&inv, "example.com").answers.is_empty());
    }

    #[test]
    fn a_name_delegated_outside_ends_the_chain_with_an_external_hop() {
        let l = find(&planted(), "api.partner.example.com");
        let last = l.chain.last().unwrap();
        assert_eq!(last.child_zone, "partner.example.com");
        assert_eq!(last.status, DelegationStatus::External);
        assert!(l.answers.is_empty());
    }

    #[test]
    fn a_name_no_zone_serves_finds_nothing() {
        let l = find(&planted(), "example.org");
        assert!(l.zones.is_empty() && l.chain.is_empty() && l.answers.is_empty());
        let _ = ns;
    }
}
