//! The runbook's parts beyond Cognito, planned on what AWS holds now: the tenant's DNS record
//! (`[onboarding.dns]`, in the account of the zone that holds it) and the provisioning or
//! deprovisioning workflow (`[onboarding.workflow]`, `[offboarding.workflow]`). Templates are
//! rendered and checked before any call; `onboard.rs` puts the parts into one plan.

use anyhow::{Context as _, bail};

use crate::commands::Context;
use crate::commands::dns::collect;
use crate::config::{DnsRunbook, WorkflowRunbook};
use crate::domain::account::is_account_id;
use crate::domain::dns::values::{alias_target, record_name};
use crate::domain::dns::{RecordSet, ZoneTarget, choose_zone};
use crate::domain::plan::{Change, Step};
use crate::domain::sanitize::sanitize;
use crate::domain::template::{Vars, parse_var, render, render_json};
use crate::domain::tenancy::onboarding::{
    Attempt, MAX_ATTEMPTS, Next, attempt_name, execution_arn, next,
};
use crate::domain::workflows::plan::change_plan;
use crate::domain::workflows::{
    StateMachine, WorkflowChange, validate_execution_name, validate_input,
};
use crate::services::{AccountDirectory, InventoryPlan};

/// `{tenant}`, `{admin_email}` (when known) and every `--var key=value`.
pub fn vars(tenant: &str, admin_email: Option<&str>, given: &[String]) -> anyhow::Result<Vars> {
    let mut vars = Vars::new();
    for text in given {
        let (k, v) = parse_var(text).map_err(anyhow::Error::msg)?;
        vars.insert(k, v);
    }
    vars.insert("tenant".into(), tenant.to_owned());
    if let Some(email) = admin_email {
        vars.insert("admin_email".into(), email.trim().to_lowercase());
    }
    Ok(vars)
}

/// `[onboarding.dns]` rendered and checked, before any call.
#[derive(Debug, Clone)]
pub struct DnsTemplate {
    pub zone: String,
    pub name: String,
    pub kind: String,
    pub values: Vec<String>,
    pub alias: Option<crate::domain::dns::AliasTarget>,
    pub ttl: Option<i64>,
}

pub fn render_dns(dns: &DnsRunbook, vars: &Vars) -> anyhow::Result<DnsTemplate> {
    let at = |k: &str| format!("onboarding.dns.{k}");
    let name = render(&dns.name, vars, &at("name")).map_err(anyhow::Error::msg)?;
    let name = record_name(&name).map_err(|e| anyhow::anyhow!("key `{}`: {e}", at("name")))?;
    let values = dns
        .values
        .iter()
        .map(|v| render(v, vars, &at("values")))
        .collect::<Result<Vec<_>, _>>()
        .map_err(anyhow::Error::msg)?;
    let alias = match &dns.alias_target {
        Some(t) => {
            let t = render(t, vars, &at("alias_target")).map_err(anyhow::Error::msg)?;
            Some(
                alias_target(&t, false)
                    .map_err(|e| anyhow::anyhow!("key `{}`: {e}", at("alias_target")))?,
            )
        }
        None => None,
    };
    Ok(DnsTemplate {
        zone: render(&dns.zone, vars, &at("zone")).map_err(anyhow::Error::msg)?,
        name,
        kind: dns.kind.clone(),
        values,
        alias,
        ttl: if dns.alias_target.is_some() {
            None
        } else {
            dns.ttl
        },
    })
}

/// `[*.workflow]` rendered and checked, before any call.
#[derive(Debug, Clone)]
pub struct WorkflowTemplate {
    /// `onboarding` or `offboarding`.
    pub section: &'static str,
    pub state_machine: String,
    pub account: Option<String>,
    pub region: Option<String>,
    pub input: String,
    pub name: String,
    pub wait: bool,
    pub timeout_secs: u64,
    pub redrive: bool,
}

pub fn render_workflow(
    w: &WorkflowRunbook,
    section: &'static str,
    vars: &Vars,
) -> anyhow::Result<WorkflowTemplate> {
    let at = |k: &str| format!("{section}.workflow.{k}");
    let input = render_json(&w.input, vars, &at("input")).map_err(anyhow::Error::msg)?;
    let input =
        validate_input(&input).map_err(|e| anyhow::anyhow!("key `{}`: {e}", at("input")))?;
    let default_name = format!("{}-{{tenant}}", &section[..section.len() - 3]);
    let name = render(
        w.name.as_deref().unwrap_or(&default_name),
        vars,
        &at("name"),
    )
    .map_err(anyhow::Error::msg)?;
    // The longest name a rerun may use must be valid too.
    validate_execution_name(&attempt_name(&name, MAX_ATTEMPTS))
        .map_err(|e| anyhow::anyhow!("key `{}`: `{}`: {e}", at("name"), sanitize(&name)))?;
    Ok(WorkflowTemplate {
        section,
        state_machine: w.state_machine.clone(),
        account: w.account.clone(),
        region: w.region.clone(),
        input,
        name,
        wait: w.wait,
        timeout_secs: w.timeout_secs,
        redrive: w.redrive,
    })
}

/// The organisation's accounts (for a zone or a workflow account given by name).
pub async fn accounts(ctx: &Context) -> anyhow::Result<Vec<crate::domain::account::Account>> {
    let directory = AccountDirectory {
        discover: ctx.config.organization.discover,
        configured: ctx.config.organization.static_accounts(),
    };
    Ok(directory.load(ctx.backend.as_ref()).await?.accounts)
}

fn inventory_plan(ctx: &Context) -> InventoryPlan {
    let c = &ctx.config.concurrency;
    InventoryPlan {
        concurrency: usize::try_from(c.accounts).unwrap_or(1),
        route53_rps: c.route53_rps,
        throttle_patience: c.throttle_patience(),
    }
}

/// The tenant's record where it stands: the zone (in its account) and the record sets of its
/// name that the zone holds now.
#[derive(Debug, Clone)]
pub struct DnsPlace {
    pub target: ZoneTarget,
    pub existing: Vec<RecordSet>,
}

/// Find the runbook's zone in the organisation and read the record's name there.
pub async fn dns_place(ctx: &Context, t: &DnsTemplate) -> anyhow::Result<DnsPlace> {
    let listed = accounts(ctx).await?;
    let inventory = collect(ctx.backend.as_ref(), listed, &inventory_plan(ctx), &|_| {
        false
    })
    .await;
    let zones: Vec<ZoneTarget> = inventory
        .zones()
        .map(|(_, a, z)| ZoneTarget {
            account_id: a.account.id.clone(),
            account_name: a.account.name.clone(),
            zone: z.zone().clone(),
        })
        .collect();
    let target = choose_zone(&zones, &t.name, Some(&t.zone)).map_err(|e| {
        anyhow::anyhow!(
            "key `onboarding.dns.zone`: {}; nothing was changed",
            sanitize(&e)
        )
    })?;
    let existing = ctx
        .backend
        .records_named(&target.account_id, &target.zone.id, &t.name)
        .await
        .with_context(|| format!("cannot read {} in zone {}", t.name, target.zone.name))?;
    Ok(DnsPlace { target, existing })
}

/// The workflow where it stands: the machine (in its account and region) and what a run does.
#[derive(Debug, Clone)]
pub struct WorkflowPlace {
    pub account_id: String,
    pub region: String,
    pub machine: StateMachine,
    /// The executions of the runbook's names that exist, oldest first.
    pub attempts: Vec<Attempt>,
    pub next: Next,
}

/// Find the machine and the executions of the runbook's name that exist, oldest first.
pub async fn workflow_place(ctx: &Context, t: &WorkflowTemplate) -> anyhow::Result<WorkflowPlace> {
    let section = t.section;
    let account_id = match &t.account {
        None => ctx.backend.caller_identity().await?.account_id,
        Some(a) if is_account_id(a) => a.clone(),
        Some(a) => {
            let listed = accounts(ctx).await?;
            match listed
                .iter()
                .find(|x| !x.name.is_empty() && x.name.eq_ignore_ascii_case(a))
            {
                Some(x) => x.id.clone(),
                None => bail!(
                    "key `{section}.workflow.account`: no account named `{}` in the account list",
                    sanitize(a)
                ),
            }
        }
    };
    let region = t.region.clone().unwrap_or_else(|| ctx.region.clone());
    let there = ctx.in_region(&region);
    let machine = there
        .backend
        .find_machine(&account_id, &t.state_machine)
        .await
        .map_err(|e| {
            anyhow::anyhow!(
                "key `{section}.workflow.state_machine`: {}; nothing was changed",
                sanitize(&e.to_string())
            )
        })?;
    let mut attempts = Vec::new();
    for n in 1..=MAX_ATTEMPTS {
        let name = attempt_name(&t.name, n);
        let arn = execution_arn(&machine.arn, &name);
        match there.backend.execution(&account_id, &arn).await {
            Ok(detail) => attempts.push(Attempt {
                name,
                arn,
                status: detail.execution.status,
            }),
            Err(e) if is_missing(&e) => break,
            Err(e) => {
                return Err(anyhow::Error::new(e)
                    .context(format!("cannot read execution {name}; nothing was changed")));
            }
        }
    }
    let next = next(&t.name, &attempts, t.redrive).map_err(anyhow::Error::msg)?;
    Ok(WorkflowPlace {
        account_id,
        region,
        machine,
        attempts,
        next,
    })
}

fn is_missing(e: &crate::services::ServiceError) -> bool {
    e.kind == crate::services::ErrorKind::NotFound
        || e.code.as_deref() == Some("ExecutionDoesNotExist")
}

/// The workflow's step, if a run starts or redrives one; its summary names the account and region.
pub fn workflow_step(t: &WorkflowTemplate, place: &WorkflowPlace) -> Option<Step<Change>> {
    let change = match &place.next {
        Next::Start(name) => WorkflowChange::Start {
            machine_arn: place.machine.arn.clone(),
            name: name.clone(),
            input: t.input.clone(),
        },
        Next::Redrive(a) => WorkflowChange::Redrive {
            execution_arn: a.arn.clone(),
        },
        Next::Done(_) | Next::Watch(_) => return None,
    };
    let plan = change_plan(change, &place.account_id, &place.region);
    plan.steps.into_iter().next().map(|s| {
        let action = Change::Workflows(s.action.clone());
        let mut s = s.with_action(action);
        s.summary = format!(
            "{} (account {}, {})",
            s.summary, place.account_id, place.region
        );
        s
    })
}
