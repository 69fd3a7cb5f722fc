//! Who serves this name: the zones that serve it, the delegation chain down to them, the
//! records that answer, and the CNAME chain followed inside the organisation.

use super::{DnsPane, View};
use crate::app::pane::Ctx;
use crate::domain::dns::{
    CnameHop, Hop, Inventory, Lookup, MatchKind, RecordRef, ServingZone, find, follow_cnames,
};

/// One row of the "who serves this name" view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FindRow {
    Zone(ServingZone),
    Hop(Hop),
    Answer(RecordRef, MatchKind),
    /// One hop of the CNAME chain from the name.
    Cname(CnameHop),
}

impl DnsPane {
    /// Look a name up in the inventory: the "who serves this name" view.
    pub fn find(&mut self, name: &str, ctx: &mut Ctx) {
        self.ensure_org(ctx);
        self.open(View::Find {
            name: name.to_owned(),
        });
    }
}

/// Look `name` up in the inventory: the lookup, and its rows with what the filter searches in
/// each.
pub(super) fn rows(inv: &Inventory, name: &str) -> (Lookup, Vec<(FindRow, String)>) {
    let lookup = find(inv, name);
    let mut rows: Vec<(FindRow, String)> = lookup
        .zones
        .iter()
        .map(|z| (FindRow::Zone(z.clone()), format!("zone {}", z.zone)))
        .collect();
    rows.extend(lookup.chain.iter().map(|h| {
        (
            FindRow::Hop(h.clone()),
            format!("delegation {}", h.child_zone),
        )
    }));
    rows.extend(lookup.answers.iter().filter_map(|a| {
        let (_, _, r) = inv.record(a.at)?;
        Some((
            FindRow::Answer(a.at, a.matched),
            format!("record {} {}", r.name(), r.kind()),
        ))
    }));
    rows.extend(follow_cnames(inv, name).into_iter().map(|h| {
        let hay = format!("cname {} {} {}", h.name, h.target, h.next);
        (FindRow::Cname(h), hay)
    }));
    (lookup, rows)
}

/// The columns of the "who serves this name" view.
pub const FIND_HEADERS: &[&str] = &["WHAT", "ACCOUNT", "ZONE", "DETAIL"];

/// The cells of one "who serves this name" row: what, account, zone, detail.
pub fn find_cells(inv: &Inventory, row: &FindRow) -> Vec<String> {
    match row {
        FindRow::Zone(z) => vec![
            if z.private {
                "private zone"
            } else {
                "public zone"
            }
            .into(),
            label(&z.account_id, &z.account_name),
            z.zone.clone(),
            if z.vpcs.is_empty() {
                z.zone_id.clone()
            } else {
                format!("{} vpcs={}", z.zone_id, z.vpcs.join(","))
            },
        ],
        FindRow::Hop(h) => vec![
            format!("delegation: {}", h.status.word()),
            h.parent_account.clone(),
            format!("{} → {}", h.parent_zone, h.child_zone),
            h.child_account
                .as_deref()
                .map(|a| format!("child in {a}"))
                .unwrap_or_else(|| "outside the organisation".into()),
        ],
        FindRow::Answer(at, matched) => match inv.record(*at) {
            Some((a, z, r)) => vec![
                match matched {
                    MatchKind::Exact => "record",
                    MatchKind::Wildcard => "record (wildcard)",
                }
                .into(),
                a.label(),
                z.zone().name.clone(),
                format!(
                    "{} {} {} {}",
                    r.name(),
                    r.kind(),
                    r.data_text(),
                    r.routing_text()
                ),
            ],
            None => vec![String::new(); 4],
        },
        FindRow::Cname(h) => vec![
            format!("cname: {}", h.next.replace('_', " ")),
            label(&h.account_id, &h.account_name),
            h.zone.clone(),
            format!("{} → {}", h.name, h.target),
        ],
    }
}

fn label(id: &str, name: &str) -> String {
    if name.is_empty() {
        id.to_owned()
    } else {
        format!("{name} ({id})")
    }
}
