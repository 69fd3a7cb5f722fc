//! The fake's `Tenants`: Cognito user pools read in pages (one recorded call per page) and changed
//! by [`CognitoCall`]s (see `cognito.rs` for how Cognito answers them); the pool and user seeds
//! and the readers tests use to look at a pool afterwards.

use async_trait::async_trait;

use super::cognito::{Pool, already_done, bad_token, standard};
use super::{AwsError, FakeBackend, World, page};
use crate::domain::tenancy::plan::CognitoCall;
use crate::domain::tenancy::users::{User, UserDetail};
use crate::domain::tenancy::{Group, UserPool};
use crate::services::{ServiceError, Tenants, UserFilter, UserPage};

/// A user pool to seed: its id and name, custom attributes, groups and users.
#[derive(Debug, Clone)]
pub struct PoolSeed {
    id: String,
    name: String,
    custom: Vec<String>,
    groups: Vec<Group>,
    users: Vec<UserSeed>,
}

impl PoolSeed {
    pub fn new(id: &str, name: &str) -> PoolSeed {
        PoolSeed {
            id: id.to_owned(),
            name: name.to_owned(),
            custom: Vec::new(),
            groups: Vec::new(),
            users: Vec::new(),
        }
    }

    /// A custom attribute of the schema (`custom:tenant_id` or `tenant_id`).
    pub fn attribute(mut self, name: &str) -> PoolSeed {
        let bare = name.strip_prefix("custom:").unwrap_or(name);
        self.custom.push(format!("custom:{bare}"));
        self
    }

    pub fn group(mut self, name: &str, description: &str, precedence: i32) -> PoolSeed {
        self.groups.push(Group {
            name: name.to_owned(),
            description: description.to_owned(),
            precedence: Some(precedence),
        });
        self
    }

    /// A user; the groups it names must be groups of the seed.
    pub fn user(mut self, user: UserSeed) -> PoolSeed {
        self.users.push(user);
        self
    }
}

/// A user to seed: CONFIRMED and enabled unless told otherwise; a username with an `@` is also
/// the email address.
#[derive(Debug, Clone)]
pub struct UserSeed {
    username: String,
    attributes: Vec<(String, String)>,
    status: String,
    enabled: bool,
    groups: Vec<String>,
    mfa: Vec<String>,
}

impl UserSeed {
    pub fn new(username: &str) -> UserSeed {
        let seed = UserSeed {
            username: username.to_owned(),
            attributes: Vec::new(),
            status: "CONFIRMED".to_owned(),
            enabled: true,
            groups: Vec::new(),
            mfa: Vec::new(),
        };
        if username.contains('@') {
            seed.email(username)
        } else {
            seed
        }
    }

    pub fn email(self, email: &str) -> UserSeed {
        self.attribute("email", email)
            .attribute("email_verified", "true")
    }

    pub fn attribute(mut self, name: &str, value: &str) -> UserSeed {
        self.attributes.retain(|(n, _)| n != name);
        self.attributes.push((name.to_owned(), value.to_owned()));
        self
    }

    /// `FORCE_CHANGE_PASSWORD`, `RESET_REQUIRED`, `UNCONFIRMED`...
    pub fn status(mut self, status: &str) -> UserSeed {
        status.clone_into(&mut self.status);
        self
    }

    pub fn disabled(mut self) -> UserSeed {
        self.enabled = false;
        self
    }

    pub fn in_group(mut self, group: &str) -> UserSeed {
        self.groups.push(group.to_owned());
        self
    }

    /// An MFA method enabled for the user (`SOFTWARE_TOKEN_MFA`), the first one preferred.
    pub fn mfa(mut self, method: &str) -> UserSeed {
        self.mfa.push(method.to_owned());
        self
    }
}

impl FakeBackend {
    /// A user pool in the caller's account.
    pub fn with_pool(self, seed: PoolSeed) -> FakeBackend {
        let account = self.account_id();
        self.with_pool_in(&account, seed)
    }

    /// A user pool in `account`. Panics when a user names a group the seed does not have.
    pub fn with_pool_in(self, account: &str, seed: PoolSeed) -> FakeBackend {
        {
            let mut world = self.lock();
            let mut pool = Pool {
                name: seed.name,
                custom: seed.custom,
                groups: seed
                    .groups
                    .into_iter()
                    .map(|g| (g.name.clone(), g))
                    .collect(),
                users: Vec::new(),
            };
            for u in seed.users {
                let now = world.tick();
                let mut member = world.cognito.new_user(&u.username, &u.attributes, now);
                member.user.status = u.status;
                member.user.enabled = u.enabled;
                member.preferred_mfa = u.mfa.first().cloned();
                member.mfa = u.mfa;
                for g in u.groups {
                    assert!(
                        pool.groups.contains_key(&g),
                        "seed: no group {g} in the pool"
                    );
                    member.groups.insert(g);
                }
                pool.users.push(member);
            }
            world
                .cognito
                .pools
                .insert((account.to_owned(), seed.id), pool);
        }
        self
    }

    /// A user of a pool as AdminGetUser and AdminListGroupsForUser would describe them.
    pub fn pool_user(&self, pool: &str, username: &str) -> Option<UserDetail> {
        let world = self.lock();
        let m = world
            .cognito
            .find(pool)?
            .users
            .iter()
            .find(|m| m.user.username == username)?;
        Some(UserDetail {
            user: m.user.clone(),
            mfa: m.mfa.clone(),
            preferred_mfa: m.preferred_mfa.clone(),
            groups: m.groups.iter().cloned().collect(),
        })
    }

    /// The usernames of a pool, in creation order.
    pub fn usernames(&self, pool: &str) -> Vec<String> {
        let world = self.lock();
        let users = world.cognito.find(pool).map(|p| p.users.as_slice());
        users
            .unwrap_or_default()
            .iter()
            .map(|m| m.user.username.clone())
            .collect()
    }

    /// The groups of a pool, by name.
    pub fn groups_of(&self, pool: &str) -> Vec<Group> {
        let world = self.lock();
        let groups = world.cognito.find(pool).map(|p| p.groups.values());
        groups.into_iter().flatten().cloned().collect()
    }

    /// The usernames of a group's members.
    pub fn members(&self, pool: &str, group: &str) -> Vec<String> {
        let world = self.lock();
        let pool = world.cognito.find(pool);
        let users = pool.map(|p| p.users.as_slice()).unwrap_or_default();
        users
            .iter()
            .filter(|m| m.groups.contains(group))
            .map(|m| m.user.username.clone())
            .collect()
    }

    /// Every invitation sent (created users and resent invitations): (pool, username).
    pub fn invitations(&self) -> Vec<(String, String)> {
        self.lock().cognito.invitations.clone()
    }

    /// A Cognito list read page by page, one recorded call per page.
    fn cognito_pages<T: Clone>(
        &self,
        account: &str,
        operation: &'static str,
        target: &str,
        items: &dyn Fn(&mut World) -> Result<Vec<T>, AwsError>,
    ) -> Result<Vec<T>, ServiceError> {
        let what = format!("Cognito {operation}");
        let (mut all, mut token) = (Vec::new(), None::<String>);
        loop {
            let (found, next) = self.call(account, operation, target, &what, |w| {
                let list = items(w)?;
                page(&list, token.as_deref(), w.page_size).ok_or_else(bad_token)
            })?;
            all.extend(found);
            match next {
                Some(next) => token = Some(next),
                None => return Ok(all),
            }
        }
    }
}

#[async_trait]
impl Tenants for FakeBackend {
    async fn user_pools(&self, account_id: &str) -> Result<Vec<UserPool>, ServiceError> {
        self.call(
            account_id,
            "ListUserPools",
            "",
            "Cognito ListUserPools",
            |w| {
                let pools = w.cognito.pools.iter();
                Ok(pools
                    .filter(|((a, _), _)| a == account_id)
                    .map(|((_, id), p)| UserPool {
                        id: id.clone(),
                        name: p.name.clone(),
                    })
                    .collect())
            },
        )
    }

    async fn groups(&self, account_id: &str, pool_id: &str) -> Result<Vec<Group>, ServiceError> {
        self.cognito_pages(account_id, "ListGroups", pool_id, &|w| {
            let pool = w.cognito.pool(account_id, pool_id)?;
            Ok(pool.groups.values().cloned().collect())
        })
    }

    async fn defines_attribute(
        &self,
        account_id: &str,
        pool_id: &str,
        name: &str,
    ) -> Result<bool, ServiceError> {
        let what = "Cognito DescribeUserPool";
        self.call(account_id, "DescribeUserPool", pool_id, what, |w| {
            let pool = w.cognito.pool(account_id, pool_id)?;
            let custom = format!("custom:{}", name.strip_prefix("custom:").unwrap_or(name));
            Ok(standard(name) || pool.custom.contains(&custom))
        })
    }

    async fn users_in_group(
        &self,
        account_id: &str,
        pool_id: &str,
        group: &str,
    ) -> Result<Vec<User>, ServiceError> {
        self.cognito_pages(account_id, "ListUsersInGroup", group, &|w| {
            w.cognito.pool(account_id, pool_id)?.in_group(group)
        })
    }

    async fn users_page(
        &self,
        account_id: &str,
        pool_id: &str,
        filter: Option<&UserFilter>,
        token: Option<String>,
    ) -> Result<UserPage, ServiceError> {
        self.call(account_id, "ListUsers", pool_id, "Cognito ListUsers", |w| {
            let size = w.page_size;
            let pool = w.cognito.pool(account_id, pool_id)?;
            let users: Vec<User> = pool
                .users
                .iter()
                .map(|m| &m.user)
                .filter(|u| match filter {
                    None => true,
                    Some(UserFilter::Email(e)) => &u.email == e,
                    Some(UserFilter::EmailPrefix(p)) => u.email.starts_with(p.as_str()),
                    Some(UserFilter::UsernamePrefix(p)) => u.username.starts_with(p.as_str()),
                })
                .cloned()
                .collect();
            let (users, next) = page(&users, token.as_deref(), size).ok_or_else(bad_token)?;
            Ok(UserPage { users, next })
        })
    }

    async fn user(
        &self,
        account_id: &str,
        pool_id: &str,
        username: &str,
    ) -> Result<Option<UserDetail>, ServiceError> {
        let found = self.call(
            account_id,
            "AdminGetUser",
            username,
            "Cognito AdminGetUser",
            |w| {
                let member = w.cognito.pool(account_id, pool_id)?.member(username)?;
                Ok((
                    member.user.clone(),
                    member.mfa.clone(),
                    member.preferred_mfa.clone(),
                ))
            },
        );
        let (user, mfa, preferred_mfa) = match found {
            Ok(found) => found,
            // As the adapter: no such user is an answer, not a failure.
            Err(e) if e.code.as_deref() == Some("UserNotFoundException") => return Ok(None),
            Err(e) => return Err(e),
        };
        let groups = self.groups_of_user(account_id, pool_id, username).await?;
        Ok(Some(UserDetail {
            user,
            mfa,
            preferred_mfa,
            groups,
        }))
    }

    async fn groups_of_user(
        &self,
        account_id: &str,
        pool_id: &str,
        username: &str,
    ) -> Result<Vec<String>, ServiceError> {
        self.cognito_pages(account_id, "AdminListGroupsForUser", username, &|w| {
            let member = w.cognito.pool(account_id, pool_id)?.member(username)?;
            Ok(member.groups.iter().cloned().collect())
        })
    }

    async fn apply(&self, call: &CognitoCall) -> Result<(), ServiceError> {
        let (operation, target) = (call.op.operation(), call.op.target());
        let what = format!("Cognito {operation} {target}");
        let result = self.change(&call.account_id, operation, target, &what, |w| {
            let now = w.tick();
            w.cognito.apply(call, now)
        });
        match result {
            // What `aws::tenants` does with these answers: a rerun must not fail on them.
            Err(e)
                if e.code
                    .as_deref()
                    .is_some_and(|c| already_done(&call.op).contains(&c)) =>
            {
                Ok(())
            }
            other => other,
        }
    }
}
