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
use crate::domain::sanitize::sanitize;
use crate::rows::tenants::FoundUserRow;
use crate::rows::write_rows;
use crate::services::org_tenants::{FoundUser, Models, find_user};
use crate::services::scope::fan_out;

/// The tenant model of each pool of the config.
pub fn models(ctx: &Context) -> anyhow::Result<Models> {
    Models::of(&ctx.config.cognito).map_err(anyhow::Error::msg)
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
    let tenancy = Arc::new(models(ctx)?);
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
            async move { find_user(backend, target, pace, &tenancy, &wanted).await }
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
        .map(row)
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

fn row(u: FoundUser) -> FoundUserRow {
    FoundUserRow {
        account_id: u.account_id,
        account_name: u.account_name,
        region: u.region,
        pool_id: u.pool_id,
        pool_name: u.pool_name,
        username: u.username,
        email: u.email,
        status: u.status,
        enabled: u.enabled,
        tenants: u.tenants,
    }
}
