//! The delegation check: every NS record of a parent zone against the name servers of the child
//! zone it delegates to.

use super::{DnsPane, View};
use crate::app::pane::Ctx;
use crate::domain::dns::{Delegation, Inventory, check_delegations};

impl DnsPane {
    /// The delegation check view.
    pub fn show_delegations(&mut self, ctx: &mut Ctx) {
        self.ensure_org(ctx);
        self.open(View::Delegations);
    }
}

/// The rows of the delegation check with what the filter searches in each.
pub(super) fn rows(inv: &Inventory) -> Vec<(Delegation, String)> {
    check_delegations(inv)
        .into_iter()
        .map(|d| {
            let hay = format!("{} {} {}", d.status.word(), d.parent_zone, d.child_zone);
            (d, hay)
        })
        .collect()
}

/// The columns of the delegation check.
pub const DELEGATION_HEADERS: &[&str] = &[
    "STATUS",
    "PARENT",
    "CHILD",
    "CHILD ACCOUNT",
    "PARENT NS",
    "CHILD NS",
];

/// The cells of one delegation.
pub fn delegation_cells(d: &Delegation) -> Vec<String> {
    vec![
        d.status.word().to_owned(),
        d.parent_zone.clone(),
        d.child_zone.clone(),
        d.child_account.clone().unwrap_or_else(|| "-".into()),
        d.parent_ns.join(" "),
        d.child_ns.join(" "),
    ]
}
