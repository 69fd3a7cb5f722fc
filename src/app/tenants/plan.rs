//! Planning a change: where it acts, the plan asked of the runtime, and the plan handed to the
//! shell's confirmation dialog.

use super::{TenantsEffect, TenantsPane};
use crate::app::Change;
use crate::app::pane::Ctx;
use crate::domain::plan::Plan;
use crate::domain::tenancy::plan::{CognitoCall, Intent, Target};
use crate::services::onboarding::OnboardRequest;

impl TenantsPane {
    /// Where a change acts: the open place (a tenant of the organisation), else the current
    /// account and region and the pane's pool.
    pub(super) fn target(&self, ctx: &Ctx) -> Option<Target> {
        if let Some(p) = &self.place {
            return Some(Target {
                account_id: p.account_id.clone(),
                region: p.region.clone(),
                pool_id: p.pool.id.clone(),
            });
        }
        Some(Target {
            account_id: ctx.account.clone()?,
            region: ctx.region.clone().unwrap_or_default(),
            pool_id: self.pool.as_ref()?.id.clone(),
        })
    }

    /// Plan a change: the runtime reads the pool and answers with `Planned`.
    pub(super) fn propose(&mut self, intent: Intent, ctx: &mut Ctx) {
        let tenancy = self.tenancy();
        let intent = match intent.validated(&tenancy) {
            Ok(i) => i,
            Err(e) => return ctx.notify(e, true),
        };
        let Some(target) = self.target(ctx) else {
            return ctx.notify("no account or pool yet: wait for them to load", true);
        };
        let request = ctx.request();
        self.planning = Some(request);
        ctx.notify("reading the pool to plan the change…", false);
        ctx.run(self.effect(TenantsEffect::Plan {
            request,
            tenancy,
            target,
            intent,
        }));
    }
}

impl TenantsPane {
    /// Plan onboarding with the `[onboarding]` runbook: the runtime reads the pool, the zone and
    /// the workflow and answers with one plan across them (`PlannedChange`).
    pub(super) fn propose_onboarding(&mut self, intent: Intent, vars: Vec<String>, ctx: &mut Ctx) {
        let tenancy = self.tenancy();
        let Intent::OnboardTenant {
            tenant,
            display_name,
            admin_email,
        } = intent
        else {
            return;
        };
        let Some(target) = self.target(ctx) else {
            return ctx.notify("no account or pool yet: wait for them to load", true);
        };
        let request = ctx.request();
        self.planning = Some(request);
        ctx.notify(
            "reading the pool, the zone and the workflow to plan the onboarding…",
            false,
        );
        ctx.run(self.effect(TenantsEffect::PlanOnboarding {
            request,
            tenancy,
            target,
            onboard: OnboardRequest {
                tenant,
                display_name,
                admin_email,
                vars,
            },
        }));
    }
}

/// The plan's steps carrying the shell's mutation type.
pub(super) fn to_change(plan: Plan<CognitoCall>) -> Plan<Change> {
    plan.map_actions(Change::Tenants)
}
