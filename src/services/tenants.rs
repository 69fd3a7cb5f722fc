//! Cognito user pools: tenants and their users.

use async_trait::async_trait;

use super::ServiceError;
use crate::domain::tenancy::plan::CognitoCall;
use crate::domain::tenancy::users::{User, UserDetail};
use crate::domain::tenancy::{Group, UserPool};

/// A server-side ListUsers filter (Cognito filters on standard attributes only).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UserFilter {
    /// `email ^= "prefix"`.
    EmailPrefix(String),
    /// `username ^= "prefix"`.
    UsernamePrefix(String),
    /// `email = "address"`.
    Email(String),
}

/// One page of ListUsers and the token of the next, if any.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct UserPage {
    pub users: Vec<User>,
    pub next: Option<String>,
}

/// Cognito user pools, read and changed in one account. Reads are paced below Cognito's quotas.
#[async_trait]
pub trait Tenants: Send + Sync {
    async fn user_pools(&self, account_id: &str) -> Result<Vec<UserPool>, ServiceError>;
    async fn groups(&self, account_id: &str, pool_id: &str) -> Result<Vec<Group>, ServiceError>;
    /// Whether the pool's schema has the custom attribute `name` (e.g. `custom:tenant_id`).
    async fn defines_attribute(
        &self,
        account_id: &str,
        pool_id: &str,
        name: &str,
    ) -> Result<bool, ServiceError>;
    /// Every member of a group (all pages).
    async fn users_in_group(
        &self,
        account_id: &str,
        pool_id: &str,
        group: &str,
    ) -> Result<Vec<User>, ServiceError>;
    /// One page of ListUsers (60 users), optionally filtered.
    async fn users_page(
        &self,
        account_id: &str,
        pool_id: &str,
        filter: Option<&UserFilter>,
        token: Option<String>,
    ) -> Result<UserPage, ServiceError>;
    /// A user with MFA settings and groups; `Ok(None)` when no such user.
    async fn user(
        &self,
        account_id: &str,
        pool_id: &str,
        username: &str,
    ) -> Result<Option<UserDetail>, ServiceError>;
    /// The groups a user is in (AdminListGroupsForUser, all pages).
    async fn groups_of_user(
        &self,
        account_id: &str,
        pool_id: &str,
        username: &str,
    ) -> Result<Vec<String>, ServiceError>;
    /// Make one call of a confirmed plan. "Already exists" answers to a create are success, so a
    /// rerun never fails on what an earlier run did.
    async fn apply(&self, call: &CognitoCall) -> Result<(), ServiceError>;
}

/// Queries built from several calls, shared by the commands and the TUI runtime.
pub mod queries {
    use std::collections::HashMap;

    use futures::future::BoxFuture;
    use futures::{StreamExt, TryStreamExt};

    use super::{Tenants, UserFilter};
    use crate::domain::tenancy::users::{Counts, Membership, Model, Tenancy, User};
    use crate::domain::tenancy::{Group, Tenant};
    use crate::services::ServiceError;

    /// A user and the groups they are in.
    type UserGroups<'a> = Result<(&'a User, Vec<String>), ServiceError>;

    /// A group's name (or role) and its members.
    type GroupRead = Result<(String, Vec<User>), ServiceError>;

    /// Role-group reads in flight at once; the adapter paces them anyway.
    const PARALLEL: usize = 8;

    /// Every user of the pool (or those matching `filter`), page by page; `progress` is told
    /// the number read so far after each page.
    pub async fn scan_users<T: Tenants + ?Sized>(
        backend: &T,
        account: &str,
        pool: &str,
        filter: Option<&UserFilter>,
        mut progress: impl FnMut(usize),
    ) -> Result<Vec<User>, ServiceError> {
        let mut users = Vec::new();
        let mut token = None;
        loop {
            let page = backend.users_page(account, pool, filter, token).await?;
            users.extend(page.users);
            progress(users.len());
            match page.next {
                Some(next) => token = Some(next),
                None => return Ok(users),
            }
        }
    }

    /// The members of each role group of one tenant, in role order (missing groups are empty).
    pub async fn role_members<T: Tenants + ?Sized>(
        backend: &T,
        account: &str,
        pool: &str,
        tenancy: &Tenancy,
        tenant: &Tenant,
    ) -> Result<Vec<(String, Vec<User>)>, ServiceError> {
        // Futures built in a loop, not by a closure: a closure's future would not be `Send`
        // for every lifetime, which `tokio::spawn` needs.
        let mut reads: Vec<BoxFuture<'_, GroupRead>> = Vec::new();
        for role in &tenant.roles {
            let group = tenancy.role_group(&tenant.id, role);
            reads.push(Box::pin(async move {
                let users = backend.users_in_group(account, pool, &group).await?;
                Ok((role.clone(), users))
            }));
        }
        futures::stream::iter(reads)
            .buffered(PARALLEL)
            .try_collect()
            .await
    }

    /// The members of a tenant per role in either model: its role groups, or (attribute model)
    /// the members of the pool-wide role groups whose tenant attribute is the tenant.
    pub async fn tenant_members<T: Tenants + ?Sized>(
        backend: &T,
        account: &str,
        pool: &str,
        tenancy: &Tenancy,
        tenant: &Tenant,
    ) -> Result<Vec<(String, Vec<User>)>, ServiceError> {
        let members = role_members(backend, account, pool, tenancy, tenant).await?;
        Ok(match tenancy.model {
            Model::Groups(_) => members,
            Model::Attribute => members
                .into_iter()
                .map(|(role, users)| {
                    let users = users
                        .into_iter()
                        .filter(|u| u.attribute(&tenancy.attribute) == Some(tenant.id.as_str()))
                        .collect();
                    (role, users)
                })
                .collect(),
        })
    }

    /// A tenant's counts from its role groups' members.
    pub fn counts(members: &[(String, Vec<User>)]) -> Counts {
        let names: Vec<(String, Vec<String>)> = members
            .iter()
            .map(|(role, users)| {
                (
                    role.clone(),
                    users.iter().map(|u| u.username.clone()).collect(),
                )
            })
            .collect();
        Counts::from_role_members(&names)
    }

    /// The memberships of each of `users`, one AdminListGroupsForUser per user: cheaper than
    /// [`membership_index`] when there are fewer users than role groups.
    pub async fn memberships_of<T: Tenants + ?Sized>(
        backend: &T,
        account: &str,
        pool: &str,
        tenancy: &Tenancy,
        users: &[User],
    ) -> Result<HashMap<String, Vec<Membership>>, ServiceError> {
        let mut reads: Vec<BoxFuture<'_, UserGroups<'_>>> = Vec::new();
        for user in users {
            reads.push(Box::pin(async move {
                let groups = backend
                    .groups_of_user(account, pool, &user.username)
                    .await?;
                Ok((user, groups))
            }));
        }
        let found: Vec<(&User, Vec<String>)> = futures::stream::iter(reads)
            .buffered(PARALLEL)
            .try_collect()
            .await?;
        Ok(found
            .into_iter()
            .map(|(user, groups)| (user.username.clone(), tenancy.memberships(user, &groups)))
            .collect())
    }

    /// Every member of every role group: username → memberships, and each user once.
    pub async fn membership_index<T: Tenants + ?Sized>(
        backend: &T,
        account: &str,
        pool: &str,
        tenancy: &Tenancy,
        groups: &[Group],
    ) -> Result<(HashMap<String, Vec<Membership>>, Vec<User>), ServiceError> {
        let role_groups: Vec<&Group> = groups
            .iter()
            .filter(|g| match &tenancy.model {
                Model::Groups(pattern) => pattern
                    .split(&g.name)
                    .is_some_and(|(_, r)| tenancy.roles.iter().any(|x| x == r)),
                Model::Attribute => tenancy.roles.contains(&g.name),
            })
            .collect();
        let mut reads: Vec<BoxFuture<'_, GroupRead>> = Vec::new();
        for g in role_groups {
            reads.push(Box::pin(async move {
                let users = backend.users_in_group(account, pool, &g.name).await?;
                Ok((g.name.clone(), users))
            }));
        }
        let members: Vec<(String, Vec<User>)> = futures::stream::iter(reads)
            .buffered(PARALLEL)
            .try_collect()
            .await?;
        let mut groups_of: HashMap<String, Vec<String>> = HashMap::new();
        let mut users: HashMap<String, User> = HashMap::new();
        for (group, list) in members {
            for user in list {
                groups_of
                    .entry(user.username.clone())
                    .or_default()
                    .push(group.clone());
                users.entry(user.username.clone()).or_insert(user);
            }
        }
        let index = users
            .values()
            .map(|u| {
                let groups = groups_of.get(&u.username).cloned().unwrap_or_default();
                (u.username.clone(), tenancy.memberships(u, &groups))
            })
            .collect();
        let mut users: Vec<User> = users.into_values().collect();
        users.sort_by(|a, b| a.username.cmp(&b.username));
        Ok((index, users))
    }
}

/// Planning a change from what the pool holds now, shared by the commands and the TUI.
pub mod planning {
    use std::collections::HashMap;

    use super::queries;
    use super::{Tenants, UserFilter};
    use crate::domain::plan::{Danger, Plan};
    use crate::domain::sanitize::sanitize;
    use crate::domain::tenancy::import::ImportRow;
    use crate::domain::tenancy::plan::{
        Basis, CognitoCall, CognitoOp, Intent, PoolFacts, Target, TenantFacts, onboard_user,
        plan_intent,
    };
    use crate::domain::tenancy::users::{Model, Tenancy, User, UserDetail};
    use crate::domain::tenancy::{Tenant, validate};
    use crate::services::ServiceError;

    /// Group names of the pool and whether it defines the tenant attribute.
    pub async fn facts<T: Tenants + ?Sized>(
        backend: &T,
        target: &Target,
        tenancy: &Tenancy,
    ) -> Result<PoolFacts, ServiceError> {
        let groups = backend
            .groups(&target.account_id, &target.pool_id)
            .await?
            .into_iter()
            .map(|g| g.name)
            .collect();
        let defines_attribute = backend
            .defines_attribute(&target.account_id, &target.pool_id, &tenancy.attribute)
            .await?;
        Ok(PoolFacts {
            groups,
            defines_attribute,
        })
    }

    /// A user by username, or failing that by email address (ListUsers filter).
    pub async fn find_user<T: Tenants + ?Sized>(
        backend: &T,
        target: &Target,
        name: &str,
    ) -> Result<Option<UserDetail>, ServiceError> {
        let (account, pool) = (&target.account_id, &target.pool_id);
        if let Some(found) = backend.user(account, pool, name).await? {
            return Ok(Some(found));
        }
        if !name.contains('@') {
            return Ok(None);
        }
        let filter = UserFilter::Email(name.to_lowercase());
        let page = backend
            .users_page(account, pool, Some(&filter), None)
            .await?;
        match page.users.first() {
            Some(u) => backend.user(account, pool, &u.username).await,
            None => Ok(None),
        }
    }

    /// Why a plan could not be made: AWS failed, or the input is wrong for what the pool holds.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub enum PlanError {
        Service(ServiceError),
        Invalid(String),
    }

    impl std::fmt::Display for PlanError {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            match self {
                PlanError::Service(e) => e.fmt(f),
                PlanError::Invalid(m) => f.write_str(m),
            }
        }
    }

    impl std::error::Error for PlanError {}

    impl From<ServiceError> for PlanError {
        fn from(e: ServiceError) -> Self {
            PlanError::Service(e)
        }
    }

    /// Validate, read what the plan depends on, and plan. `Ok(None)`: nothing to do.
    pub async fn plan<T: Tenants + ?Sized>(
        backend: &T,
        tenancy: &Tenancy,
        target: &Target,
        intent: Intent,
    ) -> Result<Option<Plan<CognitoCall>>, PlanError> {
        let intent = intent.validated(tenancy).map_err(PlanError::Invalid)?;
        let facts = facts(backend, target, tenancy).await?;
        let user = match intent.user() {
            Some(name) => find_user(backend, target, name).await?,
            None => None,
        };
        let tenant = match (&intent, &tenancy.model) {
            (Intent::DeleteTenant { tenant, .. }, Model::Groups(_)) => TenantFacts {
                users: tenant_users(backend, target, tenancy, &facts, tenant).await?,
                admins: Vec::new(),
            },
            (Intent::OnboardTenant { tenant, .. }, _) => TenantFacts {
                users: 0,
                admins: tenant_admins(backend, target, tenancy, &facts, tenant).await?,
            },
            _ => TenantFacts::default(),
        };
        let plan = plan_intent(tenancy, target, &facts, &intent, user.as_ref(), &tenant)
            .map_err(PlanError::Invalid)?;
        // Made again from this at apply, to see whether the pool moved meanwhile.
        Ok(plan.map(|mut plan| {
            plan.basis = Some(Box::new(Basis {
                tenancy: tenancy.clone(),
                target: target.clone(),
                intent,
            }));
            plan
        }))
    }

    /// The number of users of a tenant (groups model), from its role groups.
    async fn tenant_users<T: Tenants + ?Sized>(
        backend: &T,
        target: &Target,
        tenancy: &Tenancy,
        facts: &PoolFacts,
        tenant: &str,
    ) -> Result<usize, ServiceError> {
        let roles = tenancy
            .roles
            .iter()
            .filter(|r| facts.groups.contains(&tenancy.role_group(tenant, r)))
            .cloned()
            .collect();
        let t = Tenant {
            id: tenant.to_owned(),
            description: String::new(),
            roles,
        };
        let members =
            queries::role_members(backend, &target.account_id, &target.pool_id, tenancy, &t)
                .await?;
        Ok(queries::counts(&members).users)
    }

    /// The admins a tenant has now: the members of its admin group (attribute model: of the
    /// pool-wide admin group, with the tenant's id in the tenant attribute).
    async fn tenant_admins<T: Tenants + ?Sized>(
        backend: &T,
        target: &Target,
        tenancy: &Tenancy,
        facts: &PoolFacts,
        tenant: &str,
    ) -> Result<Vec<User>, ServiceError> {
        let group = tenancy.role_group(tenant, tenancy.admin_role());
        if !facts.groups.contains(&group) {
            return Ok(Vec::new());
        }
        let members = backend
            .users_in_group(&target.account_id, &target.pool_id, &group)
            .await?;
        Ok(match tenancy.model {
            Model::Groups(_) => members,
            Model::Attribute => members
                .into_iter()
                .filter(|u| u.attribute(&tenancy.attribute) == Some(tenant))
                .collect(),
        })
    }

    /// One plan for a whole import file: the missing calls of each row (existing users are
    /// added, users already in the tenant with their role skipped, a `name` column written as
    /// the `name` attribute). A row that cannot be onboarded (another role already, another
    /// tenant in the attribute model) fails the whole import before anything changes.
    pub async fn import<T: Tenants + ?Sized>(
        backend: &T,
        tenancy: &Tenancy,
        target: &Target,
        tenant: &str,
        rows: &[ImportRow],
    ) -> Result<Option<Plan<CognitoCall>>, PlanError> {
        validate::tenant_id(tenancy, tenant).map_err(PlanError::Invalid)?;
        let facts = facts(backend, target, tenancy).await?;
        let (account, pool) = (&target.account_id, &target.pool_id);
        let users = queries::scan_users(backend, account, pool, None, |_| {}).await?;
        let by_email: HashMap<String, &User> = users
            .iter()
            .flat_map(|u| [(u.email.to_lowercase(), u), (u.username.to_lowercase(), u)])
            .collect();
        let mut groups_of: HashMap<String, Vec<String>> = HashMap::new();
        for role in &tenancy.roles {
            let group = tenancy.role_group(tenant, role);
            if facts.groups.contains(&group) {
                for u in backend.users_in_group(account, pool, &group).await? {
                    groups_of.entry(u.username).or_default().push(group.clone());
                }
            }
        }
        let mut steps = Vec::new();
        let mut problems = Vec::new();
        // Existing users the import adds, with the index of their first step.
        let mut elsewhere: Vec<(User, usize)> = Vec::new();
        for row in rows {
            let existing = by_email.get(&row.email).map(|u| UserDetail {
                user: (*u).clone(),
                groups: groups_of.get(&u.username).cloned().unwrap_or_default(),
                ..UserDetail::default()
            });
            match onboard_user(
                tenancy,
                target,
                &facts,
                tenant,
                &row.email,
                &row.role,
                existing.as_ref(),
            ) {
                Ok(Some(p)) => {
                    if let Some(u) = by_email.get(&row.email) {
                        elsewhere.push(((*u).clone(), steps.len()));
                    }
                    for mut step in p.steps {
                        if let (CognitoOp::CreateUser { attributes, .. }, Some(name)) =
                            (&mut step.action.op, &row.name)
                        {
                            attributes.push(("name".to_owned(), name.clone()));
                            step.summary = step.action.op.summary();
                        }
                        steps.push(step);
                    }
                }
                Ok(None) => {}
                Err(e) => problems.push(format!("line {}: {e}", row.line)),
            }
        }
        if !problems.is_empty() {
            return Err(PlanError::Invalid(format!(
                "{} row(s) cannot be imported; nothing was changed:\n{}",
                problems.len(),
                problems.join("\n")
            )));
        }
        if steps.is_empty() {
            return Ok(None);
        }
        // Say, in the plan, who already belongs to other tenants.
        let added: Vec<User> = elsewhere.iter().map(|(u, _)| u.clone()).collect();
        let memberships = queries::memberships_of(backend, account, pool, tenancy, &added).await?;
        let mut in_other_tenants = 0;
        for (user, first_step) in &elsewhere {
            let others: Vec<String> = memberships
                .get(&user.username)
                .into_iter()
                .flatten()
                .filter(|m| m.tenant != tenant)
                .map(|m| format!("{} ({})", m.tenant, m.role))
                .collect();
            if others.is_empty() {
                continue;
            }
            in_other_tenants += 1;
            let step = &mut steps[*first_step];
            step.summary = format!(
                "{}; {} already belongs to tenant(s) {}",
                step.summary,
                sanitize(&user.email),
                sanitize(&others.join(", "))
            );
        }
        let also = if in_other_tenants > 0 {
            format!(", {in_other_tenants} of them already in other tenants")
        } else {
            String::new()
        };
        Ok(Some(Plan {
            basis: None,
            title: format!(
                "Import {} user(s) into tenant {}{also}",
                rows.len(),
                sanitize(tenant)
            ),
            account_id: target.account_id.clone(),
            region: target.region.clone(),
            steps,
            danger: Danger::Normal,
        }))
    }
}
