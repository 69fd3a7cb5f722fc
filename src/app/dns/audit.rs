//! The audit view: what points into nothing across the organisation (`dns audit`).

use crate::domain::dns::{Finding, Inventory, audit};
use crate::rows::dns::account_label;

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

/// The columns of the audit view.
pub const AUDIT_HEADERS: &[&str] = &[
    "SEVERITY", "KIND", "ACCOUNT", "NAME", "TYPE", "TARGET", "DETAIL",
];

/// The cells of one finding.
pub fn audit_cells(f: &Finding) -> Vec<String> {
    vec![
        f.severity.to_owned(),
        f.kind.to_owned(),
        account_label(&f.account_id, &f.account_name),
        f.name.clone(),
        f.record_type.clone(),
        f.target.clone(),
        f.detail.clone(),
    ]
}
