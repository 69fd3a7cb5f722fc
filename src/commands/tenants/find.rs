//! `opsdeck users find EMAIL_OR_USERNAME`: the user in every pool of the scope.
//!
//! Cost, per account × region: one ListUserPools (60 pools a page), then per pool one ListUsers
//! with a server-side filter (`email = "..."` for an address, `username ^= "..."` for a
//! username, kept when equal ignoring case), and per user found one AdminListGroupsForUser for
//! its tenants and roles (read with the pool's tenant model: `[[cognito.pools]]`, else
//! `[cognito]`'s); every call paced to `scope.cognito_rps` per account and region.

use std::io::Write;
use std::sync::Arc;

use crate::cli::{OutputFormat, ScopeArgs};
use crate::commands::Context;
use crate::commands::scope;
use crate::config::TenantModel;
use crate::domain::sanitize::sanitize;
use crate::domain::tenancy::users::Tenancy;
use crate::rows::tenants::FoundUserRow;
use crate::rows::write_rows;
use crate::services::scope::{Read, Target, fan_out};
use crate::services::{Backend, Pace, UserFilter};

/// The tenant model of each pool: `[[cognito.pools]]` by id or name, else `[cognito]`'s.
pub struct Models {
    default: Tenancy,
    pools: Vec<(String, Tenancy)>,
}

impl Models {
    pub fn of(ctx: &Context) -> anyhow::Result<Models> {
        let c = &ctx.config.cognito;
        let mut pools = Vec::new();
        for p in &c.pools {
            let model = p.tenant_model.unwrap_or(c.tenant_model);
            let tenancy = Tenancy::new(
                model == TenantModel::Attribute,
                p.group_pattern.as_deref().unwrap_or(&c.group_pattern),
                c.roles.clone(),
                p.tenant_attribute.as_deref().unwrap_or(&c.tenant_attribute),
                c.username.usernames(),
            )
            .map_err(|e| anyhow::anyhow!("cognito.pools ({}): {e}", sanitize(&p.pool)))?;
            pools.push((p.pool.clone(), tenancy));
        }
        Ok(Models {
            default: super::tenancy(ctx)?,
            pools,
        })
    }

    pub fn of_pool(&self, id: &str, name: &str) -> &Tenancy {
        self.pools
            .iter()
            .find(|(p, _)| p == id)
            .or_else(|| self.pools.iter().find(|(p, _)| p == name))
            .map_or(&self.default, |(_, t)| t)
    }
}

pub async fn run(
    ctx: &Context,
    query: &str,
    format: OutputFormat,
    args: &ScopeArgs,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> anyhow::Result<i32> {
    let query = query.trim();
    if query.is_empty() {
        writeln!(err, "opsdeck: give an email address or a username to find")?;
        return Ok(crate::exit::USAGE);
    }
    let tenancy = Arc::new(Models::of(ctx)?);
    let scope = scope::resolve(ctx, args).await?;
    let backend_for = scope::backend_for(ctx);
    let wanted = Arc::new(query.to_owned());
    let mut lines = Vec::new();
    let mut outcomes = fan_out(
        scope.targets.clone(),
        &backend_for,
        &scope::cognito_plan(ctx, &scope),
        |backend, target, pace| {
            let (tenancy, wanted) = (tenancy.clone(), wanted.clone());
            async move { find_in(backend, target, pace, &tenancy, &wanted).await }
        },
        |s| {
            let found = format!(
                "{} user pools, found in {}",
                s.read.resources,
                s.read.items.len()
            );
            let _ = scope::status_line(&scope, s, &found, &mut lines);
        },
    )
    .await;
    err.write_all(&lines)?;
    scope::single_error(&scope, &mut outcomes)?;
    let rows: Vec<FoundUserRow> = outcomes
        .iter_mut()
        .flat_map(|s| s.read.items.drain(..))
        .collect();
    if rows.is_empty() {
        let pools: usize = outcomes.iter().map(|s| s.read.resources).sum();
        writeln!(
            err,
            "opsdeck: no user {} in the {pools} user pools of the scope",
            sanitize(query)
        )?;
    }
    write_rows(out, format, &rows)?;
    Ok(scope::exit_code(&outcomes))
}

async fn find_in(
    backend: Arc<dyn Backend>,
    target: Target,
    pace: Arc<Pace>,
    models: &Models,
    query: &str,
) -> Read<FoundUserRow> {
    let account = target.account.id.as_str();
    let pools = match pace.call(|| backend.user_pools(account)).await {
        Ok(p) => p,
        Err(e) => return Read::failed(e),
    };
    let filter = if query.contains('@') {
        UserFilter::Email(query.to_owned())
    } else {
        UserFilter::UsernamePrefix(query.to_owned())
    };
    let mut read = Read::ok(Vec::new(), pools.len());
    for pool in &pools {
        let tenancy = models.of_pool(&pool.id, &pool.name);
        let before = read.items.len();
        let mut token = None;
        loop {
            let page = pace
                .call(|| backend.users_page(account, &pool.id, Some(&filter), token.clone()))
                .await;
            let page = match page {
                Ok(p) => p,
                Err(e) => {
                    read.error = Some(e);
                    return read;
                }
            };
            for user in page
                .users
                .iter()
                .filter(|u| query.contains('@') || u.username.eq_ignore_ascii_case(query))
            {
                let groups = pace
                    .call(|| backend.groups_of_user(account, &pool.id, &user.username))
                    .await;
                let groups = match groups {
                    Ok(g) => g,
                    Err(e) => {
                        read.error = Some(e);
                        return read;
                    }
                };
                read.items.push(FoundUserRow {
                    account_id: target.account.id.clone(),
                    account_name: target.account.name.clone(),
                    region: target.region.clone(),
                    pool_id: pool.id.clone(),
                    pool_name: pool.name.clone(),
                    username: user.username.clone(),
                    email: user.email.clone(),
                    status: user.status.clone(),
                    enabled: user.enabled,
                    tenants: tenancy.memberships(user, &groups),
                });
            }
            match page.next {
                // Usernames are unique in a pool: once found, the other prefix matches can wait.
                Some(t) if read.items.len() == before || query.contains('@') => token = Some(t),
                _ => break,
            }
        }
    }
    read
}
