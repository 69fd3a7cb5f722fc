//! `tenants show T` with a runbook: the tenant's record(s) from `[onboarding.dns]` (read in the
//! zone's account) and its executions of `[onboarding.workflow]` with their status. A part that
//! cannot be read is said on stderr; the rest is still shown.

use std::io::Write;

use super::runbook::env;
use crate::commands::Context;
use crate::domain::sanitize::sanitize;
use crate::rows::tenants::{TenantExecution, TenantRecord};
use crate::services::onboarding;

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
    let read = onboarding::tenant_runbook(&env(ctx), &ctx.config.onboarding, tenant).await;
    let mut view = TenantRunbook::default();
    match read.dns {
        Some(Ok(found)) => {
            view.dns = Some(
                found
                    .records
                    .iter()
                    .map(|r| TenantRecord {
                        name: r.name.clone(),
                        kind: r.kind.clone(),
                        ttl: r.ttl,
                        values: r.values.clone(),
                        alias_target: r
                            .alias
                            .as_ref()
                            .map(|a| format!("{}/{}", a.hosted_zone_id, a.dns_name)),
                        zone: found.zone.clone(),
                        account_id: found.account_id.clone(),
                    })
                    .collect(),
            );
        }
        Some(Err(e)) => writeln!(
            err,
            "opsdeck: the tenant's DNS record could not be read: {}",
            sanitize(&e)
        )?,
        None => {}
    }
    match read.executions {
        Some(Ok(attempts)) => {
            view.executions = Some(
                attempts
                    .into_iter()
                    .map(|a| TenantExecution {
                        name: a.name,
                        status: a.status.as_str().to_owned(),
                        execution_arn: a.arn,
                    })
                    .collect(),
            );
        }
        Some(Err(e)) => writeln!(
            err,
            "opsdeck: the tenant's onboarding executions could not be read: {}",
            sanitize(&e)
        )?,
        None => {}
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
