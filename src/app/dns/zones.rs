//! The organisation's zones view: the hosted zones of one account of the inventory, or of all.

use crate::domain::dns::{Inventory, ZoneRef};

/// The rows of the zones view (of `account`, of every account when `None`) with what the filter
/// searches in each.
pub(super) fn rows(inv: &Inventory, account: Option<usize>) -> Vec<(ZoneRef, String)> {
    inv.zones()
        .filter(|(zr, _, _)| account.is_none_or(|a| zr.account == a))
        .map(|(zr, a, z)| {
            (
                zr,
                format!("{} {} {}", a.account.name, z.zone().name, z.zone().id),
            )
        })
        .collect()
}

/// The columns of the organisation's zones view.
pub const ZONE_HEADERS: &[&str] = &[
    "ACCOUNT",
    "ZONE",
    "ID",
    "VISIBILITY",
    "RECORDS",
    "COMMENT",
    "VPCS",
];

/// The cells of one zone of the organisation's zones view (a zone that failed to load shows its
/// error as its comment).
pub fn zone_cells(inv: &Inventory, zr: &ZoneRef) -> Vec<String> {
    match inv.zone(*zr) {
        Some((a, z)) => vec![
            a.label(),
            z.zone().name.clone(),
            z.zone().id.clone(),
            if z.zone().private {
                "private"
            } else {
                "public"
            }
            .into(),
            if z.records_done || !z.records.is_empty() {
                z.records.len().to_string()
            } else {
                z.zone().record_count.to_string()
            },
            z.error.clone().unwrap_or_else(|| z.zone().comment.clone()),
            z.detail.vpcs.join(" "),
        ],
        None => vec![String::new(); ZONE_HEADERS.len()],
    }
}
