//! `tenants delete` with `[offboarding]`: one destructive plan (the tenant id typed) — the
//! tenant's role groups deleted, the record `[onboarding.dns]` names deleted from its zone
//! (`delete_dns = true`), the deprovisioning workflow started (`[offboarding.workflow]`) — run
//! and followed like an onboarding. A rerun after a part-way failure plans only what is left:
//! groups already gone, a record already deleted, an execution of that name that succeeded are
//! nothing to do.

use std::io::Write;

use anyhow::Context as _;

use super::onboard::{Run, command_line, run_steps};
use super::runbook::{dns_place, render_dns, render_workflow, vars, workflow_place, workflow_step};
use crate::cli::tenants::{ChangeArgs, PoolArgs};
use crate::commands::Context;
use crate::commands::tenants::{PLANNING_FAILED, open};
use crate::domain::dns::{NoPlan, plan_delete};
use crate::domain::plan::{Change, Danger, Step};
use crate::domain::sanitize::sanitize;
use crate::domain::tenancy::plan::Intent;
use crate::domain::tenancy::users::Model;
use crate::services::tenant_planning::{self as planning, PlanError};

/// `tenants delete T [--force] [--var k=v]...` with an `[offboarding]` runbook.
#[allow(clippy::too_many_arguments)]
pub async fn delete(
    ctx: &Context,
    tenant: &str,
    force: bool,
    given: &[String],
    args: &PoolArgs,
    change: ChangeArgs,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> anyhow::Result<i32> {
    let vars = vars(tenant, None, given)?;
    let runbook = &ctx.config.offboarding;
    let dns = match (&ctx.config.onboarding.dns, runbook.delete_dns) {
        (Some(d), true) => Some(render_dns(d, &vars)?),
        _ => None,
    };
    let workflow = runbook
        .workflow
        .as_ref()
        .map(|w| render_workflow(w, "offboarding", &vars))
        .transpose()?;

    let pool = open(ctx, args).await?;
    // Groups already deleted (a rerun after a part-way failure): nothing left in Cognito.
    let groups = pool.groups(ctx).await.context(PLANNING_FAILED)?;
    let has_groups = pool.tenancy.roles.iter().any(|r| {
        groups
            .iter()
            .any(|g| g.name == pool.tenancy.role_group(tenant, r))
    });
    let mut steps: Vec<Step<Change>> = Vec::new();
    let mut basis = None;
    if has_groups || pool.tenancy.model == Model::Attribute {
        let intent = Intent::DeleteTenant {
            tenant: tenant.to_owned(),
            force,
        };
        match planning::plan(ctx.backend.as_ref(), &pool.tenancy, &pool.target, intent).await {
            Ok(Some(plan)) => {
                basis = plan.basis.clone();
                steps.extend(plan.map_actions(Change::Tenants).steps);
            }
            Ok(None) => {}
            Err(PlanError::Invalid(message)) => anyhow::bail!(message),
            Err(PlanError::Service(e)) => {
                return Err(pool.missing_pool(e).context(PLANNING_FAILED));
            }
        }
    }
    if let Some(t) = &dns {
        let place = dns_place(ctx, t).await?;
        if place
            .existing
            .iter()
            .any(|r| r.name == t.name && r.kind == t.kind)
        {
            let plan = plan_delete(
                &place.target,
                &t.name,
                &t.kind,
                None,
                &place.existing,
                false,
                &ctx.region,
            );
            match plan {
                Ok(plan) => steps.extend(plan.map_actions(Change::Dns).steps.into_iter().map(
                    |mut s| {
                        s.summary = format!("{} (account {})", s.summary, place.target.account_id);
                        s
                    },
                )),
                Err(NoPlan::NothingToDo(_)) => {}
                Err(NoPlan::Invalid(why)) => anyhow::bail!(
                    "key `onboarding.dns`: {}; nothing was changed",
                    sanitize(&why)
                ),
            }
        }
    }
    let flow = match &workflow {
        Some(t) => Some((t, workflow_place(ctx, t).await?)),
        None => None,
    };
    if let Some((t, place)) = &flow
        && let Some(step) = workflow_step(t, place)
    {
        steps.push(step);
    }
    let mut parts = vec!["Cognito groups".to_owned()];
    if let Some(t) = &dns {
        parts.push(format!("DNS {}", t.name));
    }
    if let Some((t, _)) = &flow {
        parts.push(format!("workflow {}", t.state_machine));
    }
    let mut rerun = command_line("delete", tenant, None, given);
    if force {
        rerun.push_str(" --force");
    }
    let run = Run {
        title: format!("Offboard tenant {tenant}: {}", parts.join(", ")),
        nothing: format!(
            "nothing to do: tenant {tenant} is offboarded ({})",
            parts.join(", ")
        ),
        account_id: pool.target.account_id.clone(),
        danger: Danger::Destructive {
            confirm_text: tenant.to_owned(),
        },
        basis,
        steps,
        flow: flow.as_ref().map(|(t, p)| (*t, p)),
        rerun,
    };
    run_steps(ctx, run, change, out, err).await
}
