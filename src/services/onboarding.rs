//! The tenant runbook's planning, shared by `tenants create` / `tenants delete` and the
//! dashboard's onboarding form: the templates (`[onboarding.dns]`, `[*.workflow]`) rendered and
//! checked before any call, each part read where it lives (the zone's account, the workflow's
//! account and region), and the one combined plan of onboarding (Cognito, the tenant's record,
//! the provisioning workflow's start). It sits in `services` because both front ends call it.

use std::sync::Arc;

use anyhow::{Context as _, bail};

use super::tenant_planning::{self as planning, PlanError};
use super::{AccountDirectory, Backend, InventoryPlan, collect};
use crate::config::{DnsRunbook, OnboardingConfig, WorkflowRunbook};
use crate::domain::account::is_account_id;
use crate::domain::dns::values::{alias_target, record_name};
use crate::domain::dns::{NoPlan, RecordSet, RecordSpec, ZoneTarget, choose_zone, plan_upsert};
use crate::domain::plan::{Change, Danger, Plan, Step};
use crate::domain::sanitize::sanitize;
use crate::domain::template::{Vars, parse_var, placeholders, render, render_json};
use crate::domain::tenancy::onboarding::{
    Attempt, MAX_ATTEMPTS, Next, attempt_name, execution_arn, next,
};
use crate::domain::tenancy::plan::{Basis, Intent, Target};
use crate::domain::tenancy::users::Tenancy;
use crate::domain::workflows::plan::change_plan;
use crate::domain::workflows::{
    StateMachine, WorkflowChange, validate_execution_name, validate_input,
};

/// Where the runbook is planned: the credentials, the current region, the organisation's
/// accounts and how fast the DNS inventory may read them.
#[derive(Clone)]
pub struct Env {
    pub backend: Arc<dyn Backend>,
    /// The current region (a workflow without `region` runs here).
    pub region: String,
    pub directory: AccountDirectory,
    pub inventory: InventoryPlan,
}

impl Env {
    /// The same credentials in `region`.
    pub fn in_region(&self, region: &str) -> Arc<dyn Backend> {
        if region == self.region {
            self.backend.clone()
        } else {
            self.backend.in_region(region)
        }
    }
}

/// The variables the `[onboarding]` templates use beyond `{tenant}` and `{admin_email}`, in the
/// order they appear (what `--var` or the onboarding form must give).
pub fn variables(runbook: &OnboardingConfig) -> Vec<String> {
    let mut templates: Vec<&str> = Vec::new();
    if let Some(d) = &runbook.dns {
        templates.extend([d.zone.as_str(), d.name.as_str()]);
        templates.extend(d.values.iter().map(String::as_str));
        templates.extend(d.alias_target.as_deref());
    }
    if let Some(w) = &runbook.workflow {
        templates.extend(w.name.as_deref());
        templates.push(&w.input);
    }
    let mut out: Vec<String> = Vec::new();
    for name in templates.into_iter().flat_map(placeholders) {
        if name != "tenant" && name != "admin_email" && !out.contains(&name) {
            out.push(name);
        }
    }
    out
}

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
pub async fn accounts(env: &Env) -> anyhow::Result<Vec<crate::domain::account::Account>> {
    Ok(env.directory.load(env.backend.as_ref()).await?.accounts)
}

/// The tenant's record where it stands: the zone (in its account) and the record sets of its
/// name that the zone holds now.
#[derive(Debug, Clone)]
pub struct DnsPlace {
    pub target: ZoneTarget,
    pub existing: Vec<RecordSet>,
}

/// Find the runbook's zone in the organisation and read the record's name there.
pub async fn dns_place(env: &Env, t: &DnsTemplate) -> anyhow::Result<DnsPlace> {
    let listed = accounts(env).await?;
    let inventory = collect(env.backend.as_ref(), listed, &env.inventory, &|_| false).await;
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
    let existing = env
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
pub async fn workflow_place(env: &Env, t: &WorkflowTemplate) -> anyhow::Result<WorkflowPlace> {
    let section = t.section;
    let account_id = match &t.account {
        None => env.backend.caller_identity().await?.account_id,
        Some(a) if is_account_id(a) => a.clone(),
        Some(a) => {
            let listed = accounts(env).await?;
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
    let region = t.region.clone().unwrap_or_else(|| env.region.clone());
    let there = env.in_region(&region);
    let machine = there
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
        match there.execution(&account_id, &arn).await {
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

/// The DNS step of the plan, if the record is missing; an error when the name holds another
/// record (another tenant's, or one made by hand).
pub fn dns_step(
    t: &DnsTemplate,
    place: &DnsPlace,
    region: &str,
) -> anyhow::Result<Option<Step<Change>>> {
    let spec = RecordSpec {
        name: t.name.clone(),
        kind: t.kind.clone(),
        ttl: t.ttl,
        values: t.values.clone(),
        alias: t.alias.clone(),
        set_identifier: None,
    };
    let plan = match plan_upsert(&place.target, &spec, &place.existing, false, region) {
        Ok(plan) => plan,
        Err(NoPlan::NothingToDo(_)) => return Ok(None),
        Err(NoPlan::Invalid(why)) => bail!(
            "key `onboarding.dns`: {}; nothing was changed",
            sanitize(&why)
        ),
    };
    if let Some(before) = plan
        .steps
        .iter()
        .flat_map(|s| &s.action.changes)
        .find_map(|c| c.before.as_ref())
    {
        bail!(
            "{} {} already exists in zone {} with other values ({}): it belongs to another tenant \
             or was made by hand; it is not overwritten. Nothing was changed",
            sanitize(&before.name),
            sanitize(&before.kind),
            sanitize(&place.target.label()),
            sanitize(&before.values.join(" | "))
        );
    }
    let target = &place.target;
    Ok(plan.steps.into_iter().next().map(|s| {
        let action = Change::Dns(s.action.clone());
        let mut s = s.with_action(action);
        s.summary = format!(
            "{} (account {})",
            s.summary,
            if target.account_name.is_empty() {
                target.account_id.clone()
            } else {
                format!("{} {}", target.account_name, target.account_id)
            }
        );
        s
    }))
}

/// What onboarding was asked: the tenant, its first admin and the `key=value` variables.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OnboardRequest {
    pub tenant: String,
    pub display_name: String,
    pub admin_email: String,
    pub vars: Vec<String>,
}

/// The one plan of onboarding, made from what AWS holds now.
#[derive(Debug, Clone)]
pub struct Onboarding {
    pub title: String,
    /// Said when there are no steps.
    pub nothing: String,
    /// The Cognito pool's account; every step names its own.
    pub account_id: String,
    pub basis: Option<Box<Basis>>,
    /// Cognito, then the record, then the workflow's start: only what is missing.
    pub steps: Vec<Step<Change>>,
    /// The workflow, where it stands (what to watch after the steps).
    pub flow: Option<(WorkflowTemplate, WorkflowPlace)>,
}

impl Onboarding {
    /// The plan to confirm, in `region`; `None` when there is nothing to do.
    pub fn plan(&self, region: &str) -> Option<Plan<Change>> {
        (!self.steps.is_empty()).then(|| Plan {
            title: self.title.clone(),
            account_id: self.account_id.clone(),
            region: region.to_owned(),
            steps: self.steps.clone(),
            danger: Danger::Normal,
            basis: self.basis.clone(),
        })
    }
}

/// Why onboarding could not be planned.
#[derive(Debug)]
pub enum OnboardError {
    /// The Cognito part (the pool could not be read, or the intent is invalid).
    Cognito(PlanError),
    /// A template, the zone, the record or the workflow.
    Runbook(anyhow::Error),
}

impl std::fmt::Display for OnboardError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            OnboardError::Cognito(PlanError::Invalid(m)) => f.write_str(m),
            OnboardError::Cognito(PlanError::Service(e)) => {
                write!(f, "could not plan the change: {e}")
            }
            OnboardError::Runbook(e) => write!(f, "{e:#}"),
        }
    }
}

/// The `[onboarding]` templates rendered and checked for `request`, before any call.
pub fn templates(
    runbook: &OnboardingConfig,
    request: &OnboardRequest,
) -> anyhow::Result<(Option<DnsTemplate>, Option<WorkflowTemplate>)> {
    let vars = vars(&request.tenant, Some(&request.admin_email), &request.vars)?;
    let dns = runbook
        .dns
        .as_ref()
        .map(|d| render_dns(d, &vars))
        .transpose()?;
    let workflow = runbook
        .workflow
        .as_ref()
        .map(|w| render_workflow(w, "onboarding", &vars))
        .transpose()?;
    Ok((dns, workflow))
}

/// Plan onboarding with the `[onboarding]` runbook: every template rendered and checked first,
/// then the pool, the zone and the workflow read, and the missing steps put into one plan.
pub async fn plan_onboarding(
    env: &Env,
    runbook: &OnboardingConfig,
    tenancy: &Tenancy,
    target: &Target,
    request: OnboardRequest,
) -> Result<Onboarding, OnboardError> {
    let tenant = request.tenant.as_str();
    let admin = request.admin_email.trim().to_lowercase();
    let (dns, workflow) = templates(runbook, &request).map_err(OnboardError::Runbook)?;

    // Cognito, as `tenants create` always did.
    let intent = Intent::OnboardTenant {
        tenant: tenant.to_owned(),
        display_name: request.display_name.clone(),
        admin_email: request.admin_email.clone(),
    };
    let cognito = planning::plan(env.backend.as_ref(), tenancy, target, intent)
        .await
        .map_err(OnboardError::Cognito)?;

    // The other parts, each read where it lives.
    let dns_part = match dns {
        Some(t) => {
            let place = dns_place(env, &t).await.map_err(OnboardError::Runbook)?;
            Some((t, place))
        }
        None => None,
    };
    let flow = match workflow {
        Some(t) => {
            let place = workflow_place(env, &t)
                .await
                .map_err(OnboardError::Runbook)?;
            Some((t, place))
        }
        None => None,
    };

    let mut steps: Vec<Step<Change>> = Vec::new();
    let mut basis = None;
    if let Some(plan) = cognito {
        basis = plan.basis.clone();
        steps.extend(plan.map_actions(Change::Tenants).steps);
    }
    if let Some((t, place)) = &dns_part
        && let Some(step) = dns_step(t, place, &env.region).map_err(OnboardError::Runbook)?
    {
        steps.push(step);
    }
    if let Some((t, place)) = &flow
        && let Some(step) = workflow_step(t, place)
    {
        steps.push(step);
    }

    let mut parts = vec!["Cognito".to_owned()];
    if let Some((t, _)) = &dns_part {
        parts.push(format!("DNS {}", t.name));
    }
    if let Some((t, _)) = &flow {
        parts.push(format!("workflow {}", t.state_machine));
    }
    Ok(Onboarding {
        title: format!(
            "Onboard tenant {tenant} with admin {admin}: {}",
            parts.join(", ")
        ),
        nothing: format!(
            "nothing to do: tenant {tenant} is onboarded ({})",
            parts.join(", ")
        ),
        account_id: target.account_id.clone(),
        basis,
        steps,
        flow,
    })
}

/// The tenant's record(s) from `[onboarding.dns]`, where the zone holds them.
#[derive(Debug, Clone, PartialEq)]
pub struct TenantRecords {
    pub zone: String,
    pub account_id: String,
    /// The record sets of the tenant's name (none: no record).
    pub records: Vec<RecordSet>,
}

/// What the runbook says of a tenant: `None` for a part the config does not have, an error
/// (said whole) for a part that could not be read.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TenantRunbook {
    pub dns: Option<Result<TenantRecords, String>>,
    /// Its executions of `[onboarding.workflow]`, oldest first.
    pub executions: Option<Result<Vec<Attempt>, String>>,
}

/// Read the tenant's record and its onboarding executions (`tenants show`, the tenant's view).
pub async fn tenant_runbook(env: &Env, runbook: &OnboardingConfig, tenant: &str) -> TenantRunbook {
    let mut view = TenantRunbook::default();
    let vars = match vars(tenant, None, &[]) {
        Ok(vars) => vars,
        Err(e) => {
            let e = format!("{e:#}");
            view.dns = runbook.dns.as_ref().map(|_| Err(e.clone()));
            view.executions = runbook.workflow.as_ref().map(|_| Err(e));
            return view;
        }
    };
    if let Some(dns) = &runbook.dns {
        let read = async {
            let t = render_dns(dns, &vars)?;
            let place = dns_place(env, &t).await?;
            Ok::<_, anyhow::Error>(TenantRecords {
                zone: place.target.zone.name.clone(),
                account_id: place.target.account_id.clone(),
                records: place
                    .existing
                    .into_iter()
                    .filter(|r| r.name == t.name)
                    .collect(),
            })
        };
        view.dns = Some(read.await.map_err(|e| format!("{e:#}")));
    }
    if let Some(w) = &runbook.workflow {
        let read = async {
            // Only the name matters here: the input may need variables a reader does not give.
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
            Ok::<_, anyhow::Error>(workflow_place(env, &t).await?.attempts)
        };
        view.executions = Some(read.await.map_err(|e| format!("{e:#}")));
    }
    view
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variables_are_the_placeholders_beyond_tenant_and_admin_email_in_order() {
        let runbook: OnboardingConfig = toml::from_str(
            r#"
            [dns]
            zone = "apps.example.com"
            name = "{tenant}.{region_code}.apps.example.com"
            values = ["{edge}.example.com"]
            [workflow]
            state_machine = "tenant-provision"
            input = '{"tenant": "{tenant}", "plan": "{plan}", "edge": "{edge}", "a": "{admin_email}"}'
            "#,
        )
        .unwrap();
        assert_eq!(variables(&runbook), ["region_code", "edge", "plan"]);
        assert!(variables(&OnboardingConfig::default()).is_empty());
    }
}
