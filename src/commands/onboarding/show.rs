//! `tenants show T` with a runbook: the tenant's record(s) from `[onboarding.dns]` (read in the
//! zone's account) and its executions of `[onboarding.workflow]` with their status. A part that
//! cannot be read is said on stderr; the rest is still shown.

use std::io::Write;

use super::runbook::{WorkflowTemplate, dns_place, render_dns, vars, workflow_place};
use crate::commands::Context;
use crate::domain::sanitize::sanitize;
use crate::domain::template::render;
use crate::rows::tenants::{TenantExecution, TenantRecord};

/// What the runbook says of a tenant: `None` for a part the config does not have.
#[derive(Debug, Default)]
pub struct TenantRunbook {
    pub dns: Option<Vec<TenantRecord>>,
    pub executions: Option<Vec<TenantExecution>>,
}

/// Read the tenant's record and executions; a failure is told on `err` and leaves that part out.
pub async fn tenant_runbook(
    ctx: &Context,
    tenant: &str,
    err: &mut dyn Write,
) -> anyhow::Result<TenantRunbook> {
    let mut view = TenantRunbook::default();
    let vars = vars(tenant, None, &[])?;
    if let Some(dns) = &ctx.config.onboarding.dns {
        let read = async {
            let t = render_dns(dns, &vars)?;
            let place = dns_place(ctx, &t).await?;
            Ok::<_, anyhow::Error>(
                place
                    .existing
                    .iter()
                    .filter(|r| r.name == t.name)
                    .map(|r| TenantRecord {
                        name: r.name.clone(),
                        kind: r.kind.clone(),
                        ttl: r.ttl,
                        values: r.values.clone(),
                        alias_target: r
                            .alias
                            .as_ref()
                            .map(|a| format!("{}/{}", a.hosted_zone_id, a.dns_name)),
                        zone: place.target.zone.name.clone(),
                        account_id: place.target.account_id.clone(),
                    })
                    .collect(),
            )
        };
        match read.await {
            Ok(records) => view.dns = Some(records),
            Err(e) => writeln!(
                err,
                "opsdeck: the tenant's DNS record could not be read: {}",
                sanitize(&format!("{e:#}"))
            )?,
        }
    }
    if let Some(w) = &ctx.config.onboarding.workflow {
        let read = async {
            // Only the name matters here: the input may need --var values show does not take.
            let name = render(
                w.name.as_deref().unwrap_or("onboard-{tenant}"),
                &vars,
                "onboarding.workflow.name",
            )
            .map_err(anyhow::Error::msg)?;
            let t = WorkflowTemplate {
                section: "onboarding",
                state_machine: w.state_machine.clone(),
                account: w.account.clone(),
                region: w.region.clone(),
                input: "{}".into(),
                name,
                wait: false,
                timeout_secs: w.timeout_secs,
                redrive: false,
            };
            let place = workflow_place(ctx, &t).await?;
            Ok::<_, anyhow::Error>(
                place
                    .attempts
                    .into_iter()
                    .map(|a| TenantExecution {
                        name: a.name,
                        status: a.status.as_str().to_owned(),
                        execution_arn: a.arn,
                    })
                    .collect(),
            )
        };
        match read.await {
            Ok(runs) => view.executions = Some(runs),
            Err(e) => writeln!(
                err,
                "opsdeck: the tenant's onboarding executions could not be read: {}",
                sanitize(&format!("{e:#}"))
            )?,
        }
    }
    Ok(view)
}

/// The table form: one line per record and per execution.
pub fn write_text(view: &TenantRunbook, out: &mut dyn Write) -> std::io::Result<()> {
    if let Some(records) = &view.dns {
        if records.is_empty() {
            writeln!(out, "dns: no record")?;
        }
        for r in records {
            let what = r
                .alias_target
                .clone()
                .unwrap_or_else(|| r.values.join(" | "));
            writeln!(
                out,
                "dns: {} {} {} (zone {}, account {})",
                sanitize(&r.name),
                sanitize(&r.kind),
                sanitize(&what),
                sanitize(&r.zone),
                sanitize(&r.account_id)
            )?;
        }
    }
    if let Some(runs) = &view.executions {
        if runs.is_empty() {
            writeln!(out, "onboarding workflow: no execution")?;
        }
        for e in runs {
            writeln!(
                out,
                "onboarding workflow: {} {} ({})",
                sanitize(&e.name),
                e.status,
                sanitize(&e.execution_arn)
            )?;
        }
    }
    Ok(())
}
