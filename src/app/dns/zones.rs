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
