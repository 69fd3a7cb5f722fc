//! The tenant across services, under its users: its record(s) from `[onboarding.dns]` and its
//! executions of `[onboarding.workflow]` with their status, read in the background when the
//! config has a runbook (what `tenants show T` prints).

use super::{TenantsEffect, TenantsPane};
use crate::app::pane::Ctx;
use crate::services::onboarding::TenantRunbook;

impl TenantsPane {
    /// Read what the runbook says of `tenant` (nothing without a runbook).
    pub(super) fn load_across(&mut self, tenant: &str, ctx: &mut Ctx) {
        self.across.clear();
        self.across_request = None;
        if self.runbook.is_none() {
            return;
        }
        let request = ctx.request();
        self.across_request = Some(request);
        self.across = vec!["reading the tenant's DNS record and onboarding executions…".into()];
        ctx.run(self.effect(TenantsEffect::LoadRunbook {
            request,
            tenant: tenant.to_owned(),
            region: ctx.region.clone().unwrap_or_default(),
        }));
    }
}

/// One line per record and per execution, or why a part could not be read.
pub(super) fn lines(view: &TenantRunbook) -> Vec<String> {
    let mut out = Vec::new();
    match &view.dns {
        Some(Ok(found)) if found.records.is_empty() => out.push(format!(
            "DNS: no record (zone {}, account {})",
            found.zone, found.account_id
        )),
        Some(Ok(found)) => {
            for r in &found.records {
                let what = r.alias.as_ref().map_or_else(
                    || r.values.join(" | "),
                    |a| format!("alias {}/{}", a.hosted_zone_id, a.dns_name),
                );
                out.push(format!(
                    "DNS: {} {} {what} (zone {}, account {})",
                    r.name, r.kind, found.zone, found.account_id
                ));
            }
        }
        Some(Err(e)) => out.push(format!("DNS: the tenant's record could not be read: {e}")),
        None => {}
    }
    match &view.executions {
        Some(Ok(runs)) if runs.is_empty() => out.push("onboarding: no execution".into()),
        Some(Ok(runs)) => {
            for a in runs {
                out.push(format!("onboarding: {} {}", a.name, a.status.as_str()));
            }
        }
        Some(Err(e)) => out.push(format!("onboarding: the executions could not be read: {e}")),
        None => {}
    }
    out
}
