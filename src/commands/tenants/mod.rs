//! `opsdeck tenants list|show|create|delete`, and what the `users` commands share with them:
//! opening the pool (`pool.rs`), reading tenants, and running a plan through the mutation path
//! (`apply.rs`). The `users` commands are in `users.rs`; their rows in `crate::rows::tenants`.

mod apply;
mod find;
mod org;
mod pool;
pub mod users;

pub use crate::rows::tenants::{RoleCounts, TenantRow};
pub use apply::{PLANNING_FAILED, run_intent, run_plan, run_plan_paced};
pub use pool::{OpenPool, open, tenancy};

use std::io::{self, Write};

use anyhow::bail;
use futures::{StreamExt, TryStreamExt};

use super::Context;
use crate::cli::OutputFormat;
use crate::cli::tenants::TenantsCommand;
use crate::domain::sanitize::sanitize;
use crate::domain::tenancy::Tenant;
use crate::domain::tenancy::plan::Intent;
use crate::domain::tenancy::users::{Counts, Model, User};
use crate::exit;
use crate::rows::tenants::{MemberRow, TenantDetail};
use crate::rows::write_rows;
use crate::services::{ServiceError, tenant_queries as queries};

/// Tenants read in parallel by `tenants list` (each reads its role groups; the adapter paces).
const PARALLEL_TENANTS: usize = 4;

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
        TenantsCommand::List { pool: args, scope }
            if scope.all_accounts || !scope.regions.is_empty() =>
        {
            org::list(ctx, &args, &scope, out, err).await
        }
        TenantsCommand::List { pool: args, .. } => {
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
            show(ctx, &pool, &tenant, args.output, out, err).await
        }
        TenantsCommand::Create {
            tenant,
            admin_email,
            name,
            vars,
            pool: args,
            change,
        } if !ctx.config.onboarding.is_empty() => {
            use crate::commands::onboarding::onboard;
            let request = onboard::Request {
                tenant: &tenant,
                admin_email: &admin_email,
                display_name: name,
                vars: &vars,
            };
            onboard::create(ctx, request, &args, change, out, err).await
        }
        TenantsCommand::Create {
            tenant,
            admin_email,
            name,
            pool: args,
            change,
            ..
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
            vars,
            pool: args,
            change,
        } if !ctx.config.offboarding.is_empty() => {
            crate::commands::onboarding::offboard::delete(
                ctx, &tenant, force, &vars, &args, change, out, err,
            )
            .await
        }
        TenantsCommand::Delete {
            tenant,
            force,
            pool: args,
            change,
            ..
        } => {
            let intent = Intent::DeleteTenant { tenant, force };
            run_intent(ctx, &args, intent, change, out, err).await
        }
    }
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
    err: &mut dyn Write,
) -> anyhow::Result<i32> {
    let members = tenant_members(ctx, pool, tenant).await?;
    // The runbook's parts of the tenant (its record, its onboarding executions), when configured.
    let runbook = if ctx.config.onboarding.is_empty() || format == OutputFormat::Csv {
        Default::default()
    } else {
        crate::commands::onboarding::show::tenant_runbook(ctx, tenant, err).await?
    };
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
                created: u.created,
                modified: u.modified,
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
                dns: runbook.dns,
                executions: runbook.executions,
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
            crate::commands::onboarding::show::write_text(&runbook, out)?;
        }
        OutputFormat::Csv => write_rows(out, format, &rows)?,
    }
    Ok(exit::SUCCESS)
}
