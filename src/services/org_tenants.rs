//! Tenants and users across the organisation: the tenant model of each pool (`[[cognito.pools]]`,
//! else `[cognito]`'s), the tenants of every user pool of one account × region, and a user looked
//! up in every pool of one. Read through [`super::scope::fan_out`] by `tenants list` and `users
//! find` with a wide scope, and by the dashboard (the Tenants pane with the organisation scope,
//! `:user`), so both front ends read the same way at the same cost.

use std::sync::Arc;

use super::scope::{Read, Target};
use super::{Backend, Pace, ServiceError, UserFilter};
use crate::config::{CognitoConfig, TenantModel};
use crate::domain::sanitize::sanitize;
use crate::domain::tenancy::users::{Counts, Membership, Model, Tenancy, tenants_from_scan};
use crate::domain::tenancy::{Tenant, UserPool};

/// The tenant model of each pool: `[[cognito.pools]]` by id or name, else `[cognito]`'s.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Models {
    default: Tenancy,
    pools: Vec<(String, Tenancy)>,
}

impl Models {
    /// The models of the config, each checked like `[cognito]` (`cognito.pools (NAME): ...`).
    pub fn of(c: &CognitoConfig) -> Result<Models, String> {
        let tenancy = |attribute: bool, pattern: &str, attr: &str| {
            Tenancy::new(
                attribute,
                pattern,
                c.roles.clone(),
                attr,
                c.username.usernames(),
            )
        };
        let default = tenancy(
            c.tenant_model == TenantModel::Attribute,
            &c.group_pattern,
            &c.tenant_attribute,
        )
        .map_err(|e| format!("cognito.group_pattern: {e}"))?;
        let mut pools = Vec::new();
        for p in &c.pools {
            let model = p.tenant_model.unwrap_or(c.tenant_model);
            let t = tenancy(
                model == TenantModel::Attribute,
                p.group_pattern.as_deref().unwrap_or(&c.group_pattern),
                p.tenant_attribute.as_deref().unwrap_or(&c.tenant_attribute),
            )
            .map_err(|e| format!("cognito.pools ({}): {e}", sanitize(&p.pool)))?;
            pools.push((p.pool.clone(), t));
        }
        Ok(Models { default, pools })
    }

    /// Every pool with the one model.
    pub fn single(default: Tenancy) -> Models {
        Models {
            default,
            pools: Vec::new(),
        }
    }

    pub fn of_pool(&self, id: &str, name: &str) -> &Tenancy {
        self.pools
            .iter()
            .find(|(p, _)| p == id)
            .or_else(|| self.pools.iter().find(|(p, _)| p == name))
            .map_or(&self.default, |(_, t)| t)
    }
}

/// The tenants of one pool, read with its model.
#[derive(Debug, Clone)]
pub struct PoolTenants {
    pub pool: UserPool,
    pub tenancy: Tenancy,
    /// Every tenant with its user counts per role (empty counts when not `counted`).
    pub tenants: Vec<(Tenant, Counts)>,
    /// Whether the counts were read (always with the attribute model, whose scan gives them).
    pub counted: bool,
}

/// Which pools of a target, and whether to count their tenants' users.
#[derive(Debug, Clone, Copy, Default)]
pub struct TenantsRead<'a> {
    /// Only the pools of this id or name.
    pub only: Option<&'a str>,
    /// Count every tenant's users (groups model: one ListUsersInGroup per role group of each
    /// tenant); without it the dashboard counts the tenants on screen only.
    pub count: bool,
}

/// The tenants of every user pool of one account × region: one ListUserPools, then per pool what
/// `tenants list` reads (groups model: ListGroups and, when counting, one ListUsersInGroup per
/// role group of each tenant; attribute model: a ListUsers scan and one ListUsersInGroup per role
/// group), every call paced. A pool that fails stops the target with what was read before it.
pub async fn tenants_of_target(
    backend: Arc<dyn Backend>,
    target: Target,
    pace: Arc<Pace>,
    models: &Models,
    read_as: TenantsRead<'_>,
) -> Read<PoolTenants> {
    let only = read_as.only;
    let account = target.account.id.as_str();
    let pools = match pace.call(|| backend.user_pools(account)).await {
        Ok(p) => p,
        Err(e) => return Read::failed(e),
    };
    let pools: Vec<UserPool> = pools
        .into_iter()
        .filter(|p| only.is_none_or(|o| p.id == o || p.name == o))
        .collect();
    let mut read = Read::ok(Vec::new(), pools.len());
    for pool in pools {
        let tenancy = models.of_pool(&pool.id, &pool.name).clone();
        let counted = read_as.count || tenancy.model == Model::Attribute;
        let tenants = if counted {
            pool_tenants(backend.as_ref(), account, &pool.id, &tenancy, &pace).await
        } else {
            pace.call(|| backend.groups(account, &pool.id))
                .await
                .map(|groups| {
                    let (tenants, _) = tenancy.tenants_from_groups(&groups);
                    tenants
                        .into_iter()
                        .map(|t| (t, Counts::default()))
                        .collect()
                })
        };
        match tenants {
            Ok(tenants) => read.items.push(PoolTenants {
                pool,
                tenancy,
                tenants,
                counted,
            }),
            Err(e) => {
                read.error = Some(e);
                return read;
            }
        }
    }
    read
}

/// Every tenant of one pool with its counts, each call paced.
pub async fn pool_tenants(
    backend: &dyn Backend,
    account: &str,
    pool: &str,
    tenancy: &Tenancy,
    pace: &Pace,
) -> Result<Vec<(Tenant, Counts)>, ServiceError> {
    let groups = pace.call(|| backend.groups(account, pool)).await?;
    match &tenancy.model {
        Model::Groups(_) => {
            let (tenants, _) = tenancy.tenants_from_groups(&groups);
            let mut out = Vec::with_capacity(tenants.len());
            for tenant in tenants {
                let mut members = Vec::new();
                for role in &tenant.roles {
                    let group = tenancy.role_group(&tenant.id, role);
                    let users = pace
                        .call(|| backend.users_in_group(account, pool, &group))
                        .await?;
                    members.push((
                        role.clone(),
                        users.into_iter().map(|u| u.username).collect(),
                    ));
                }
                out.push((tenant, Counts::from_role_members(&members)));
            }
            Ok(out)
        }
        Model::Attribute => {
            let mut users = Vec::new();
            let mut token = None;
            loop {
                let page = pace
                    .call(|| backend.users_page(account, pool, None, token.clone()))
                    .await?;
                users.extend(page.users);
                match page.next {
                    Some(t) => token = Some(t),
                    None => break,
                }
            }
            let names: Vec<&str> = groups.iter().map(|g| g.name.as_str()).collect();
            let mut role_members = Vec::new();
            for role in &tenancy.roles {
                let members = if names.contains(&role.as_str()) {
                    pace.call(|| backend.users_in_group(account, pool, role))
                        .await?
                        .into_iter()
                        .map(|u| u.username)
                        .collect()
                } else {
                    Vec::new()
                };
                role_members.push((role.clone(), members));
            }
            Ok(tenants_from_scan(tenancy, &users, &role_members))
        }
    }
}

/// A user found in one pool of one account × region.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundUser {
    pub account_id: String,
    pub account_name: String,
    pub region: String,
    pub pool_id: String,
    pub pool_name: String,
    pub username: String,
    pub email: String,
    pub status: String,
    pub enabled: bool,
    pub tenants: Vec<Membership>,
    /// The pool's tenant model, to open the user there.
    pub tenancy: Tenancy,
}

/// A user in every pool of one account × region: one ListUserPools, per pool one ListUsers with
/// a server-side filter (`email = "..."` for an address, `username ^= "..."` kept when equal
/// ignoring case), per user found one AdminListGroupsForUser; every call paced.
pub async fn find_user(
    backend: Arc<dyn Backend>,
    target: Target,
    pace: Arc<Pace>,
    models: &Models,
    query: &str,
) -> Read<FoundUser> {
    let account = target.account.id.as_str();
    let pools = match pace.call(|| backend.user_pools(account)).await {
        Ok(p) => p,
        Err(e) => return Read::failed(e),
    };
    let by_email = query.contains('@');
    let filter = if by_email {
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
                .filter(|u| by_email || u.username.eq_ignore_ascii_case(query))
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
                read.items.push(FoundUser {
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
                    tenancy: tenancy.clone(),
                });
            }
            match page.next {
                // Usernames are unique in a pool: once found, the other prefix matches can wait.
                Some(t) if read.items.len() == before || by_email => token = Some(t),
                _ => break,
            }
        }
    }
    read
}
