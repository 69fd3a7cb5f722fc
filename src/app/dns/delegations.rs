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
