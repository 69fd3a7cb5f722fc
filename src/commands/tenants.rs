//! `opsdeck tenants list|show|create|delete`, and what the `users` commands share with them:
//! opening the pool, reading tenants, and running a plan through the mutation path.

use std::io::{self, BufRead, IsTerminal, Write};

use anyhow::{Context as _, bail};
use futures::{StreamExt, TryStreamExt};
use serde::Serialize;
use serde::ser::SerializeMap;

use super::Context;
use crate::cli::OutputFormat;
use crate::cli::tenancy::{ChangeArgs, PoolArgs, TenantsCommand};
use crate::config::TenantModel;
use crate::domain::sanitize::sanitize;
use crate::domain::tenancy::plan::{CognitoCall, Intent, PoolFacts, Target};
use crate::domain::tenancy::users::{Counts, Model, Tenancy, User, UserDetail};
use crate::domain::tenancy::{Tenant, validate};
use crate::exit;
use crate::mutation::{AuditLog, Plan, Step, confirm_on_terminal, dry_run, execute};
use crate::rows::{Row, write_rows};
use crate::services::tenant_planning::{self as planning, PlanError};
use crate::services::{ServiceError, tenant_queries as queries};

/// Said before a read that a plan needed failed: no call was made, so a rerun is safe.
pub const PLANNING_FAILED: &str = "cannot read the pool to plan the change; nothing was changed";

/// Tenants read in parallel by `tenants list` (each reads its role groups; the adapter paces).
const PARALLEL_TENANTS: usize = 4;

/// The pool a command works on, and how tenants are modelled in it.
pub struct OpenPool {
    pub account: String,
    pub pool: String,
    pub tenancy: Tenancy,
    pub target: Target,
}

/// The tenancy settings of the config.
pub fn tenancy(ctx: &Context) -> anyhow::Result<Tenancy> {
    let c = &ctx.config.cognito;
    Tenancy::new(
        c.tenant_model == TenantModel::Attribute,
        &c.group_pattern,
        c.roles.clone(),
        &c.tenant_attribute,
        c.username.usernames(),
    )
    .map_err(|e| anyhow::anyhow!("cognito.group_pattern: {e}"))
}

/// Resolve the pool: `--pool`, else `cognito.user_pool_id`, else the account's only pool.
pub async fn open(ctx: &Context, args: &PoolArgs) -> anyhow::Result<OpenPool> {
    let tenancy = tenancy(ctx)?;
    let account = ctx
        .backend
        .caller_identity()
        .await
        .context("cannot tell which account the credentials belong to")?
        .account_id;
    let pool = match args
        .pool
        .clone()
        .or_else(|| ctx.config.cognito.user_pool_id.clone())
    {
        Some(pool) => pool,
        None => {
            let pools = ctx.backend.user_pools(&account).await?;
            match pools.as_slice() {
                [only] => only.id.clone(),
                [] => bail!(
                    "no user pool in account {account}, region {}: pass --pool or set \
                     cognito.user_pool_id",
                    ctx.region
                ),
                many => bail!(
                    "account {account} has {} user pools ({}): choose one with --pool or \
                     cognito.user_pool_id",
                    many.len(),
                    many.iter()
                        .map(|p| format!("{} {}", p.id, sanitize(&p.name)))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            }
        }
    };
    let target = Target {
        account_id: account.clone(),
        region: ctx.region.clone(),
        pool_id: pool.clone(),
    };
    Ok(OpenPool {
        account,
        pool,
        tenancy,
        target,
    })
}

impl OpenPool {
    /// The pool's groups; a missing pool is named as such.
    pub async fn groups(
        &self,
        ctx: &Context,
    ) -> anyhow::Result<Vec<crate::domain::tenancy::Group>> {
        ctx.backend
            .groups(&self.account, &self.pool)
            .await
            .map_err(|e| self.missing_pool(e))
    }

    pub fn missing_pool(&self, e: ServiceError) -> anyhow::Error {
        if e.code.as_deref() == Some("ResourceNotFoundException") {
            anyhow::anyhow!(
                "user pool {} not found in account {} ({e}); check --pool or cognito.user_pool_id",
                sanitize(&self.pool),
                self.account
            )
        } else {
            e.into()
        }
    }

    /// What plans depend on: the group names and whether the tenant attribute is defined.
    pub async fn facts(&self, ctx: &Context) -> anyhow::Result<PoolFacts> {
        planning::facts(ctx.backend.as_ref(), &self.target, &self.tenancy)
            .await
            .map_err(|e| self.missing_pool(e))
    }

    /// A user that must exist.
    pub async fn require_user(&self, ctx: &Context, name: &str) -> anyhow::Result<UserDetail> {
        validate::username(name).map_err(anyhow::Error::msg)?;
        let found = planning::find_user(ctx.backend.as_ref(), &self.target, name)
            .await
            .map_err(|e| self.missing_pool(e))?;
        found.ok_or_else(|| {
            anyhow::anyhow!(
                "unknown user {}: no such username or email in pool {}",
                sanitize(name),
                self.pool
            )
        })
    }
}

/// Role counts in role order, serialised as a JSON object `{"<role>": count}`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RoleCounts(pub Vec<(String, usize)>);

impl Serialize for RoleCounts {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (role, count) in &self.0 {
            map.serialize_entry(role, count)?;
        }
        map.end()
    }
}

impl RoleCounts {
    fn of(tenancy: &Tenancy, counts: &Counts) -> RoleCounts {
        RoleCounts(
            tenancy
                .roles
                .iter()
                .map(|r| (r.clone(), counts.roles.get(r).copied().unwrap_or(0)))
                .collect(),
        )
    }

    fn text(&self) -> String {
        self.0
            .iter()
            .map(|(r, n)| format!("{r}={n}"))
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// `tenants list -o json`: one object per tenant.
#[derive(Debug, Serialize)]
pub struct TenantRow {
    pub tenant: String,
    pub description: String,
    pub users: usize,
    pub roles: RoleCounts,
}

impl Row for TenantRow {
    fn headers() -> &'static [&'static str] {
        &["TENANT", "USERS", "ROLES", "DESCRIPTION"]
    }

    fn cells(&self) -> Vec<String> {
        vec![
            self.tenant.clone(),
            self.users.to_string(),
            self.roles.text(),
            self.description.clone(),
        ]
    }
}

/// Every tenant with its counts, and the groups that are no tenant's.
pub async fn tenants_with_counts(
    ctx: &Context,
    pool: &OpenPool,
) -> anyhow::Result<(Vec<(Tenant, Counts)>, Vec<String>)> {
    let groups = pool.groups(ctx).await?;
    let backend = ctx.backend.as_ref();
    match pool.tenancy.model {
        Model::Groups(_) => {
            let (tenants, other) = pool.tenancy.tenants_from_groups(&groups);
            let counted: Vec<(Tenant, Counts)> = futures::stream::iter(tenants)
                .map(|tenant| async move {
                    let members = queries::role_members(
                        backend,
                        &pool.account,
                        &pool.pool,
                        &pool.tenancy,
                        &tenant,
                    )
                    .await?;
                    Ok::<_, ServiceError>((tenant, queries::counts(&members)))
                })
                .buffered(PARALLEL_TENANTS)
                .try_collect()
                .await?;
            Ok((counted, other.into_iter().map(|g| g.name).collect()))
        }
        Model::Attribute => {
            let users =
                queries::scan_users(backend, &pool.account, &pool.pool, None, |_| {}).await?;
            let (index, _) = queries::membership_index(
                backend,
                &pool.account,
                &pool.pool,
                &pool.tenancy,
                &groups,
            )
            .await?;
            let role_members: Vec<(String, Vec<String>)> = pool
                .tenancy
                .roles
                .iter()
                .map(|role| {
                    let members = index
                        .iter()
                        .filter(|(_, ms)| ms.iter().any(|m| &m.role == role))
                        .map(|(u, _)| u.clone())
                        .collect();
                    (role.clone(), members)
                })
                .collect();
            let tenants = crate::domain::tenancy::users::tenants_from_scan(
                &pool.tenancy,
                &users,
                &role_members,
            );
            let other = groups
                .into_iter()
                .filter(|g| !pool.tenancy.roles.contains(&g.name))
                .map(|g| g.name)
                .collect();
            Ok((tenants, other))
        }
    }
}

pub async fn run(
    ctx: &Context,
    command: TenantsCommand,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> anyhow::Result<i32> {
    match command {
        TenantsCommand::List(args) => {
            let pool = open(ctx, &args).await?;
            let (tenants, other) = tenants_with_counts(ctx, &pool).await?;
            let rows: Vec<TenantRow> = tenants
                .iter()
                .map(|(t, c)| TenantRow {
                    tenant: t.id.clone(),
                    description: t.description.clone(),
                    users: c.users,
                    roles: RoleCounts::of(&pool.tenancy, c),
                })
                .collect();
            write_rows(out, args.output, &rows)?;
            if !other.is_empty() && args.output == OutputFormat::Table {
                writeln!(
                    err,
                    "other groups (no tenant): {}",
                    sanitize(&other.join(", "))
                )?;
            }
            Ok(exit::SUCCESS)
        }
        TenantsCommand::Show { tenant, pool: args } => {
            let pool = open(ctx, &args).await?;
            show(ctx, &pool, &tenant, args.output, out).await
        }
        TenantsCommand::Create {
            tenant,
            admin_email,
            name,
            pool: args,
            change,
        } => {
            let intent = Intent::OnboardTenant {
                tenant,
                display_name: name,
                admin_email,
            };
            run_intent(ctx, &args, intent, change, out, err).await
        }
        TenantsCommand::Delete {
            tenant,
            force,
            pool: args,
            change,
        } => {
            let intent = Intent::DeleteTenant { tenant, force };
            run_intent(ctx, &args, intent, change, out, err).await
        }
    }
}

/// Plan an intent against the pool as it is now and run the plan; "nothing to do" is success.
pub async fn run_intent(
    ctx: &Context,
    args: &PoolArgs,
    intent: Intent,
    change: ChangeArgs,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> anyhow::Result<i32> {
    let pool = open(ctx, args).await?;
    let nothing = intent.nothing_to_do();
    match planning::plan(ctx.backend.as_ref(), &pool.tenancy, &pool.target, intent).await {
        Ok(Some(plan)) => run_plan(ctx, &plan, change, out, err).await,
        Ok(None) => {
            writeln!(out, "{nothing}")?;
            Ok(exit::SUCCESS)
        }
        Err(PlanError::Invalid(message)) => Err(anyhow::Error::msg(message)),
        Err(PlanError::Service(e)) => Err(pool.missing_pool(e).context(PLANNING_FAILED)),
    }
}

/// `tenants show -o json`: the tenant and its members, each with the role they hold.
#[derive(Debug, Serialize)]
struct TenantDetail {
    tenant: String,
    description: String,
    users: usize,
    roles: RoleCounts,
    members: Vec<MemberRow>,
}

#[derive(Debug, Serialize)]
struct MemberRow {
    role: String,
    username: String,
    email: String,
    status: String,
    enabled: bool,
    created: Option<String>,
    modified: Option<String>,
}

impl Row for MemberRow {
    fn headers() -> &'static [&'static str] {
        &[
            "ROLE", "USERNAME", "EMAIL", "STATUS", "ENABLED", "CREATED", "MODIFIED",
        ]
    }

    fn cells(&self) -> Vec<String> {
        vec![
            self.role.clone(),
            self.username.clone(),
            self.email.clone(),
            self.status.clone(),
            self.enabled.to_string(),
            self.created.clone().unwrap_or_default(),
            self.modified.clone().unwrap_or_default(),
        ]
    }
}

pub fn date_text(d: Option<chrono::DateTime<chrono::Utc>>) -> Option<String> {
    d.map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
}

/// The members of a tenant per role: the role groups (groups model), or the users carrying the
/// tenant attribute in each role group (attribute model).
pub async fn tenant_members(
    ctx: &Context,
    pool: &OpenPool,
    tenant: &str,
) -> anyhow::Result<Vec<(String, Vec<User>)>> {
    let groups = pool.groups(ctx).await?;
    let names: Vec<&str> = groups.iter().map(|g| g.name.as_str()).collect();
    match pool.tenancy.model {
        Model::Groups(_) => {
            let (tenants, _) = pool.tenancy.tenants_from_groups(&groups);
            let Some(t) = tenants.into_iter().find(|t| t.id == tenant) else {
                bail!(
                    "unknown tenant {}: no group of it in pool {} (see `opsdeck tenants list`)",
                    sanitize(tenant),
                    pool.pool
                );
            };
            Ok(queries::role_members(
                ctx.backend.as_ref(),
                &pool.account,
                &pool.pool,
                &pool.tenancy,
                &t,
            )
            .await?)
        }
        Model::Attribute => {
            let mut out = Vec::new();
            for role in &pool.tenancy.roles {
                let users = if names.contains(&role.as_str()) {
                    ctx.backend
                        .users_in_group(&pool.account, &pool.pool, role)
                        .await?
                } else {
                    Vec::new()
                };
                let users: Vec<User> = users
                    .into_iter()
                    .filter(|u| u.attribute(&pool.tenancy.attribute) == Some(tenant))
                    .collect();
                out.push((role.clone(), users));
            }
            if out.iter().all(|(_, u)| u.is_empty()) {
                bail!(
                    "unknown tenant {}: no user of pool {} has {} = {0} in a role group",
                    sanitize(tenant),
                    pool.pool,
                    pool.tenancy.attribute
                );
            }
            Ok(out)
        }
    }
}

async fn show(
    ctx: &Context,
    pool: &OpenPool,
    tenant: &str,
    format: OutputFormat,
    out: &mut dyn Write,
) -> anyhow::Result<i32> {
    let members = tenant_members(ctx, pool, tenant).await?;
    let description = pool
        .groups(ctx)
        .await?
        .into_iter()
        .find(|g| g.name == pool.tenancy.role_group(tenant, pool.tenancy.admin_role()))
        .map(|g| g.description)
        .unwrap_or_default();
    let counts = queries::counts(&members);
    let rows: Vec<MemberRow> = members
        .iter()
        .flat_map(|(role, users)| {
            users.iter().map(move |u| MemberRow {
                role: role.clone(),
                username: u.username.clone(),
                email: u.email.clone(),
                status: u.status.clone(),
                enabled: u.enabled,
                created: date_text(u.created),
                modified: date_text(u.modified),
            })
        })
        .collect();
    let roles = RoleCounts::of(&pool.tenancy, &counts);
    match format {
        OutputFormat::Json => {
            let detail = TenantDetail {
                tenant: tenant.to_owned(),
                description,
                users: counts.users,
                roles,
                members: rows,
            };
            crate::domain::sanitize::to_json_pretty_safe(&mut *out, &detail)
                .map_err(io::Error::other)?;
            writeln!(out)?;
        }
        OutputFormat::Table => {
            writeln!(
                out,
                "tenant {} ({}): {} users, {}",
                sanitize(tenant),
                sanitize(&description),
                counts.users,
                roles.text()
            )?;
            write_rows(out, format, &rows)?;
        }
        OutputFormat::Csv => write_rows(out, format, &rows)?,
    }
    Ok(exit::SUCCESS)
}

/// Run a plan through the mutation path: refused in read-only mode (exit 3) before anything is
/// shown; `--dry-run` audits and calls nothing; otherwise confirmed on the terminal (or by
/// `--yes`), executed step by step with one audit line per call, and reported.
pub async fn run_plan(
    ctx: &Context,
    plan: &Plan<CognitoCall>,
    change: ChangeArgs,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> anyhow::Result<i32> {
    run_plan_paced(ctx, plan, change, None, out, err).await
}

/// [`run_plan`], with user creations paced to `rate` per second and a progress line on stderr.
pub async fn run_plan_paced(
    ctx: &Context,
    plan: &Plan<CognitoCall>,
    change: ChangeArgs,
    rate: Option<u32>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> anyhow::Result<i32> {
    let policy = ctx.policy();
    if !change.dry_run
        && let Err(refusal) = policy.check(plan)
    {
        writeln!(err, "opsdeck: {refusal}; nothing was changed")?;
        return Ok(refusal.exit_code());
    }
    let audit = AuditLog::open(ctx.audit_path()).context("cannot open the audit log")?;
    let actor = ctx.backend.caller_identity().await?.arn;
    if change.dry_run {
        write!(out, "{plan}")?;
        let execution = dry_run(plan, &audit, &actor);
        for line in execution.report(plan) {
            writeln!(out, "{line}")?;
        }
        return Ok(if execution.is_success() {
            exit::SUCCESS
        } else {
            exit::ERROR
        });
    }
    let stdin = io::stdin();
    let interactive = stdin.is_terminal();
    let approved = match confirm_on_terminal(
        &policy,
        plan,
        change.yes,
        &mut stdin.lock() as &mut dyn BufRead,
        err,
        interactive,
    ) {
        Ok(approved) => approved,
        Err(refusal) => {
            writeln!(err, "opsdeck: {refusal}; nothing was changed")?;
            return Ok(refusal.exit_code());
        }
    };
    let pacer = rate.map(|r| {
        governor::RateLimiter::direct(governor::Quota::per_second(
            std::num::NonZeroU32::new(r).unwrap_or(std::num::NonZeroU32::MIN),
        ))
    });
    let total = plan.steps.len();
    let show_progress = rate.is_some();
    // Whether the progress line on stderr still needs its newline: it must be ended however the
    // run ends, or the next message would be glued to it.
    let mut progress_open = false;
    let backend = ctx.backend.clone();
    let execution = execute(&approved, &audit, &actor, |i, step: &Step<CognitoCall>| {
        let backend = backend.clone();
        let call = step.action.clone();
        let limiter = pacer.as_ref();
        let creates = step.operation == "AdminCreateUser";
        if show_progress && (i % 10 == 0 || i + 1 == total) {
            // A progress line that cannot be written is no reason to stop a change part-way.
            let _ = write!(err, "\rprogress: step {}/{total}", i + 1);
            let _ = err.flush();
            progress_open = true;
        }
        async move {
            if creates && let Some(l) = limiter {
                l.until_ready().await;
            }
            backend.apply(&call).await
        }
    })
    .await;
    if progress_open {
        writeln!(err)?;
    }
    for line in execution.report(plan) {
        writeln!(out, "{line}")?;
    }
    if execution.is_success() {
        Ok(exit::SUCCESS)
    } else {
        // Name the failed step on stderr too: the per-step report on stdout may be piped away.
        for line in execution.failure_summary(plan) {
            writeln!(err, "opsdeck: {line}")?;
        }
        writeln!(
            err,
            "opsdeck: every call made is in the audit log {}; run the same command again to \
             complete the remaining steps: it reads the pool first and makes only the missing \
             calls",
            ctx.audit_path().display()
        )?;
        Ok(exit::ERROR)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_counts_serialise_as_an_object_in_role_order() {
        let counts = RoleCounts(vec![("member".into(), 2), ("admin".into(), 1)]);
        assert_eq!(
            serde_json::to_string(&counts).unwrap(),
            r#"{"member":2,"admin":1}"#
        );
        assert_eq!(counts.text(), "member=2 admin=1");
    }
}
