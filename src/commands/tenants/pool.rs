//! The pool a command works on: which one (`--pool`, the config, or the account's only pool),
//! how tenants are modelled in it, and the reads every command starts with.

use anyhow::{Context as _, bail};

use crate::cli::tenants::PoolArgs;
use crate::commands::Context;
use crate::config::TenantModel;
use crate::domain::sanitize::sanitize;
use crate::domain::tenancy::plan::{PoolFacts, Target};
use crate::domain::tenancy::users::{Tenancy, UserDetail};
use crate::domain::tenancy::validate;
use crate::services::ServiceError;
use crate::services::tenant_planning as planning;

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
