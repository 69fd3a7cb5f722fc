//! The audit view: what points into nothing across the organisation (`dns audit`).

use crate::domain::dns::{Finding, Inventory, audit};

/// The findings with what the filter searches in each.
pub(super) fn rows(inv: &Inventory) -> Vec<(Finding, String)> {
    audit(inv)
        .into_iter()
        .map(|f| {
            let hay = format!(
                "{} {} {} {} {} {}",
                f.severity, f.kind, f.account_name, f.zone, f.name, f.target
            );
            (f, hay)
        })
        .collect()
}
