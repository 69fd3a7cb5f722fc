//! `opsdeck tenants list --all-accounts [--regions a,b]`: the tenants of every user pool of the
//! scope, each pool read with its own tenant model (`[[cognito.pools]]`, else `[cognito]`'s).
//!
//! Cost, per account × region: one ListUserPools, then per pool one ListGroups and (groups model)
//! one ListUsersInGroup per role group of each tenant, or (attribute model) a ListUsers scan and
//! one ListUsersInGroup per role group; every call paced to `scope.cognito_rps` per account and
//! region, targets in parallel.

use std::io::Write;
use std::sync::Arc;

use super::RoleCounts;
use crate::cli::ScopeArgs;
use crate::cli::tenants::PoolArgs;
use crate::commands::Context;
use crate::commands::scope;
use crate::rows::tenants::OrgTenantRow;
use crate::rows::write_rows;
use crate::services::org_tenants::{PoolTenants, TenantsRead, tenants_of_target};
use crate::services::scope::Target;

pub async fn list(
    ctx: &Context,
    args: &PoolArgs,
    scope_args: &ScopeArgs,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> anyhow::Result<i32> {
    let models = Arc::new(super::find::models(ctx)?);
    let scope = scope::resolve(ctx, scope_args).await?;
    let backend_for = scope::backend_for(ctx);
    let only = Arc::new(args.pool.clone());
    let mut lines = Vec::new();
    let mut outcomes = crate::services::scope::fan_out(
        scope.targets.clone(),
        &backend_for,
        &scope::cognito_plan(ctx, &scope),
        |backend, target, pace| {
            let (models, only) = (models.clone(), only.clone());
            async move {
                let read_as = TenantsRead {
                    only: only.as_deref(),
                    count: true,
                };
                tenants_of_target(backend, target, pace, &models, read_as).await
            }
        },
        |s| {
            let tenants: usize = s.read.items.iter().map(|p| p.tenants.len()).sum();
            let found = format!("{} user pools, {tenants} tenants", s.read.resources);
            let _ = scope::status_line(&scope, s, &found, &mut lines);
        },
    )
    .await;
    err.write_all(&lines)?;
    scope::single_error(&scope, &mut outcomes)?;
    let rows: Vec<OrgTenantRow> = outcomes
        .iter()
        .flat_map(|s| s.read.items.iter().flat_map(|p| rows(&s.target, p)))
        .collect();
    write_rows(out, args.output, &rows)?;
    Ok(scope::exit_code(&outcomes))
}

fn rows<'a>(target: &'a Target, p: &'a PoolTenants) -> impl Iterator<Item = OrgTenantRow> + 'a {
    p.tenants.iter().map(move |(t, c)| OrgTenantRow {
        account_id: target.account.id.clone(),
        account_name: target.account.name.clone(),
        region: target.region.clone(),
        pool_id: p.pool.id.clone(),
        pool_name: p.pool.name.clone(),
        tenant: t.id.clone(),
        description: t.description.clone(),
        users: c.users,
        roles: RoleCounts::of(&p.tenancy, c),
    })
}
