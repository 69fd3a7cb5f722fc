//! Following CNAMEs inside the organisation: from a name, each CNAME hop with the zone and account
//! that answer it, until a name that is no CNAME, a target outside every zone of the organisation
//! (the chain leaves it), a loop, or too many hops.

use serde::Serialize;

use super::{Inventory, find, is_under, normalise_name};

/// Hops followed at most (resolvers give up around here too).
pub const MAX_CNAME_HOPS: usize = 16;

/// One CNAME: `name` in `zone` (of `account_id`) points to `target`; `next` says what follows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CnameHop {
    pub name: String,
    pub target: String,
    pub account_id: String,
    pub account_name: String,
    pub zone_id: String,
    pub zone: String,
    pub private: bool,
    /// `in_org` (the target is in a zone of the organisation, the next hop follows),
    /// `answered` (the target has records of its own in the organisation: the chain ends there),
    /// `dangling` (the target is in a zone of the organisation that holds no record of it),
    /// `leaves_org` (no zone of the organisation holds the target), `loop` (the target was seen
    /// before), `too_long` (more than [`MAX_CNAME_HOPS`] hops).
    pub next: &'static str,
}

/// The CNAME chain from `name`. The zones each name is in must have been read (their records);
/// [`chain_names`] says which names a caller must read the zones of.
pub fn follow_cnames(inventory: &Inventory, name: &str) -> Vec<CnameHop> {
    let mut current = normalise_name(name);
    let mut seen = vec![current.clone()];
    let mut hops: Vec<CnameHop> = Vec::new();
    loop {
        let lookup = find(inventory, &current);
        let answer = lookup
            .answers
            .iter()
            .filter_map(|a| inventory.record(a.at))
            .filter(|(_, _, r)| {
                r.kind() == "CNAME" && r.alias().is_none() && r.values().next().is_some()
            })
            // A public answer first: that is what the internet sees.
            .min_by_key(|(_, z, _)| z.zone().private);
        let Some((account, zone, record)) = answer else {
            if let Some(last) = hops.last_mut()
                && last.next == "in_org"
            {
                last.next = if lookup.answers.is_empty() {
                    "dangling"
                } else {
                    "answered"
                };
            }
            return hops;
        };
        let target = normalise_name(record.values().next().unwrap_or_default());
        let in_org = inventory
            .zones()
            .any(|(_, _, z)| is_under(&target, &z.zone().name));
        let next = if seen.contains(&target) {
            "loop"
        } else if !in_org {
            "leaves_org"
        } else if hops.len() + 1 >= MAX_CNAME_HOPS {
            "too_long"
        } else {
            "in_org"
        };
        hops.push(CnameHop {
            name: current.clone(),
            target: target.clone(),
            account_id: account.account.id.clone(),
            account_name: account.account.name.clone(),
            zone_id: zone.zone().id.clone(),
            zone: zone.zone().name.clone(),
            private: zone.zone().private,
            next,
        });
        if next != "in_org" {
            return hops;
        }
        seen.push(target.clone());
        current = target;
    }
}

/// The names a chain visits: the first name and every in-organisation target.
pub fn chain_names(name: &str, hops: &[CnameHop]) -> Vec<String> {
    let mut names = vec![normalise_name(name)];
    for hop in hops {
        if matches!(hop.next, "in_org" | "answered" | "dangling") && !names.contains(&hop.target) {
            names.push(hop.target.clone());
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::dns::RecordSet;
    use crate::domain::dns::delegation::tests::{a, org};

    fn cname(name: &str, target: &str) -> RecordSet {
        RecordSet {
            kind: "CNAME".into(),
            values: vec![target.into()],
            ..a(name, "x")
        }
    }

    fn next(hops: &[CnameHop]) -> Vec<(&str, &str, &str, &str)> {
        hops.iter()
            .map(|h| {
                (
                    h.name.as_str(),
                    h.target.as_str(),
                    h.account_id.as_str(),
                    h.next,
                )
            })
            .collect()
    }

    #[test]
    fn a_chain_across_two_accounts_ends_at_a_record_or_where_it_leaves_the_org() {
        let inv = org(vec![
            (
                "1",
                vec![(
                    "example.com",
                    false,
                    vec![
                        cname("www.example.com", "app.dev.example.com."),
                        cname("shop.example.com", "shops.myshopify.com"),
                        cname("a.example.com", "b.example.com"),
                        cname("b.example.com", "a.example.com"),
                        cname("gone.example.com", "nothing.dev.example.com"),
                    ],
                )],
            ),
            (
                "2",
                vec![(
                    "dev.example.com",
                    false,
                    vec![
                        cname("app.dev.example.com", "lb.dev.example.com"),
                        a("lb.dev.example.com", "192.0.2.1"),
                    ],
                )],
            ),
        ]);
        let hops = follow_cnames(&inv, "WWW.example.com.");
        assert_eq!(
            next(&hops),
            [
                ("www.example.com", "app.dev.example.com", "1", "in_org"),
                ("app.dev.example.com", "lb.dev.example.com", "2", "answered"),
            ]
        );
        assert_eq!(hops[1].zone, "dev.example.com");
        assert_eq!(
            chain_names("www.example.com", &hops),
            [
                "www.example.com",
                "app.dev.example.com",
                "lb.dev.example.com"
            ]
        );
        assert_eq!(
            next(&follow_cnames(&inv, "shop.example.com")),
            [("shop.example.com", "shops.myshopify.com", "1", "leaves_org")]
        );
        assert_eq!(
            next(&follow_cnames(&inv, "a.example.com")),
            [
                ("a.example.com", "b.example.com", "1", "in_org"),
                ("b.example.com", "a.example.com", "1", "loop"),
            ]
        );
        assert_eq!(
            next(&follow_cnames(&inv, "gone.example.com")),
            [(
                "gone.example.com",
                "nothing.dev.example.com",
                "1",
                "dangling"
            )]
        );
        assert!(follow_cnames(&inv, "lb.dev.example.com").is_empty());
    }

    #[test]
    fn a_long_chain_stops() {
        let records: Vec<RecordSet> = (0..40)
            .map(|i| {
                cname(
                    &format!("h{i}.example.com"),
                    &format!("h{}.example.com", i + 1),
                )
            })
            .collect();
        let inv = org(vec![("1", vec![("example.com", false, records)])]);
        let hops = follow_cnames(&inv, "h0.example.com");
        assert_eq!(hops.len(), MAX_CNAME_HOPS);
        assert_eq!(hops.last().unwrap().next, "too_long");
    }
}
