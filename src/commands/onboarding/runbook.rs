//! The runbook's planning for the commands: `services::onboarding` does it (the dashboard calls
//! it too); these read the command's context into its [`Env`].

use crate::commands::Context;
use crate::services::AccountDirectory;
use crate::services::InventoryPlan;
pub use crate::services::onboarding::{
    DnsPlace, DnsTemplate, Env, WorkflowPlace, WorkflowTemplate, dns_step, render_dns,
    render_workflow, vars, workflow_step,
};

/// The command's credentials, region and organisation, for the runbook's planning.
pub fn env(ctx: &Context) -> Env {
    let c = &ctx.config.concurrency;
    Env {
        backend: ctx.backend.clone(),
        region: ctx.region.clone(),
        directory: AccountDirectory {
            discover: ctx.config.organization.discover,
            configured: ctx.config.organization.static_accounts(),
        },
        inventory: InventoryPlan {
            concurrency: usize::try_from(c.accounts).unwrap_or(1),
            route53_rps: c.route53_rps,
            throttle_patience: c.throttle_patience(),
        },
    }
}

/// Find the runbook's zone in the organisation and read the record's name there.
pub async fn dns_place(ctx: &Context, t: &DnsTemplate) -> anyhow::Result<DnsPlace> {
    crate::services::onboarding::dns_place(&env(ctx), t).await
}

/// Find the machine and the executions of the runbook's name that exist, oldest first.
pub async fn workflow_place(ctx: &Context, t: &WorkflowTemplate) -> anyhow::Result<WorkflowPlace> {
    crate::services::onboarding::workflow_place(&env(ctx), t).await
}
