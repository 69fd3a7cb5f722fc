//! Cognito adapter: pools, groups, users, and the calls of tenant and user plans, each paced per
//! account below Cognito's quotas (docs/tenants.md) so a big pool is never throttled by opsdeck.

use std::num::NonZeroU32;
use std::sync::LazyLock;

use async_trait::async_trait;
use aws_sdk_cognitoidentityprovider::types::{
    AttributeType, DeliveryMediumType, MessageActionType, UserType,
};
use chrono::{DateTime, Utc};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use super::{Aws, map_sdk_error};
use crate::domain::tenancy::plan::{CognitoCall, CognitoOp};
use crate::domain::tenancy::users::{User, UserDetail};
use crate::domain::tenancy::{Group, UserPool};
use crate::services::{ServiceError, Tenants, UserFilter, UserPage};

/// Cognito's maximum page size for ListUserPools, ListGroups, ListUsers and ListUsersInGroup.
const COGNITO_PAGE: i32 = 60;

fn limiter(per_second: u32) -> DefaultKeyedRateLimiter<String> {
    RateLimiter::keyed(Quota::per_second(
        NonZeroU32::new(per_second).unwrap_or(NonZeroU32::MIN),
    ))
}

/// ListUsers and ListUsersInGroup: quota 30 rps per account.
static USER_LIST: LazyLock<DefaultKeyedRateLimiter<String>> = LazyLock::new(|| limiter(25));
/// ListGroups, AdminListGroupsForUser, DescribeUserPool, ListUserPools: quota 20 rps.
static GROUP_READ: LazyLock<DefaultKeyedRateLimiter<String>> = LazyLock::new(|| limiter(18));
/// AdminGetUser and user changes (create, add to group, enable...): quota 25 rps.
static USER_WRITE: LazyLock<DefaultKeyedRateLimiter<String>> = LazyLock::new(|| limiter(20));
/// CreateGroup and DeleteGroup: quota 15 rps, 5 per pool.
static GROUP_WRITE: LazyLock<DefaultKeyedRateLimiter<String>> = LazyLock::new(|| limiter(4));

async fn pace(limiter: &DefaultKeyedRateLimiter<String>, key: &str) {
    limiter.until_key_ready(&key.to_owned()).await;
}

fn date(d: Option<&aws_smithy_types::DateTime>) -> Option<DateTime<Utc>> {
    d.and_then(|d| DateTime::<Utc>::from_timestamp(d.secs(), d.subsec_nanos()))
}

fn attributes(list: &[AttributeType]) -> Vec<(String, String)> {
    list.iter()
        .map(|a| {
            (
                a.name().to_owned(),
                a.value().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

fn user_of(u: UserType) -> User {
    let attributes = attributes(u.attributes());
    let email = attributes
        .iter()
        .find(|(n, _)| n == "email")
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    User {
        username: u.username.clone().unwrap_or_default(),
        email,
        status: u
            .user_status()
            .map(|s| s.as_str().to_owned())
            .unwrap_or_default(),
        enabled: u.enabled(),
        created: date(u.user_create_date()),
        modified: date(u.user_last_modified_date()),
        attributes,
    }
}

fn attribute(name: &str, value: &str) -> Result<AttributeType, ServiceError> {
    AttributeType::builder()
        .name(name)
        .value(value)
        .build()
        .map_err(|e| ServiceError::new(crate::services::ErrorKind::Invalid, None, e.to_string()))
}

/// Quote a value for a ListUsers filter: backslashes and double quotes escaped.
fn quoted(value: &str) -> String {
    format!("\"{}\"", value.replace('\\', "\\\\").replace('"', "\\\""))
}

fn filter_text(filter: &UserFilter) -> String {
    match filter {
        UserFilter::EmailPrefix(p) => format!("email ^= {}", quoted(p)),
        UserFilter::UsernamePrefix(p) => format!("username ^= {}", quoted(p)),
        UserFilter::Email(e) => format!("email = {}", quoted(e)),
    }
}

fn already_done(result: Result<(), ServiceError>, codes: &[&str]) -> Result<(), ServiceError> {
    match result {
        Err(e) if e.code.as_deref().is_some_and(|c| codes.contains(&c)) => {
            tracing::info!(code = ?e.code, "already done by an earlier run");
            Ok(())
        }
        other => other,
    }
}

#[async_trait]
impl Tenants for Aws {
    async fn user_pools(&self, account_id: &str) -> Result<Vec<UserPool>, ServiceError> {
        let clients = self.for_account(account_id).await?;
        let mut pages = clients
            .cognito()
            .list_user_pools()
            .max_results(COGNITO_PAGE)
            .into_paginator()
            .send();
        let mut pools = Vec::new();
        loop {
            pace(&GROUP_READ, account_id).await;
            let Some(page) = pages.next().await else {
                break;
            };
            let page = page.map_err(|e| map_sdk_error(e, "Cognito ListUserPools"))?;
            pools.extend(
                page.user_pools
                    .unwrap_or_default()
                    .into_iter()
                    .map(|p| UserPool {
                        id: p.id.unwrap_or_default(),
                        name: p.name.unwrap_or_default(),
                    }),
            );
        }
        Ok(pools)
    }

    async fn groups(&self, account_id: &str, pool_id: &str) -> Result<Vec<Group>, ServiceError> {
        let clients = self.for_account(account_id).await?;
        let mut pages = clients
            .cognito()
            .list_groups()
            .user_pool_id(pool_id)
            .limit(COGNITO_PAGE)
            .into_paginator()
            .send();
        let mut groups = Vec::new();
        loop {
            pace(&GROUP_READ, account_id).await;
            let Some(page) = pages.next().await else {
                break;
            };
            let page = page.map_err(|e| map_sdk_error(e, "Cognito ListGroups"))?;
            groups.extend(page.groups.unwrap_or_default().into_iter().map(|g| Group {
                name: g.group_name.unwrap_or_default(),
                description: g.description.unwrap_or_default(),
                precedence: g.precedence,
            }));
        }
        Ok(groups)
    }

    async fn defines_attribute(
        &self,
        account_id: &str,
        pool_id: &str,
        name: &str,
    ) -> Result<bool, ServiceError> {
        let clients = self.for_account(account_id).await?;
        pace(&GROUP_READ, account_id).await;
        let out = clients
            .cognito()
            .describe_user_pool()
            .user_pool_id(pool_id)
            .send()
            .await
            .map_err(|e| map_sdk_error(e, "Cognito DescribeUserPool"))?;
        let bare = name.strip_prefix("custom:").unwrap_or(name);
        Ok(out
            .user_pool()
            .map(|p| p.schema_attributes())
            .unwrap_or_default()
            .iter()
            .filter_map(|a| a.name())
            // DescribeUserPool names custom attributes with their prefix.
            .any(|n| n == name || n == bare))
    }

    async fn users_in_group(
        &self,
        account_id: &str,
        pool_id: &str,
        group: &str,
    ) -> Result<Vec<User>, ServiceError> {
        let clients = self.for_account(account_id).await?;
        let mut pages = clients
            .cognito()
            .list_users_in_group()
            .user_pool_id(pool_id)
            .group_name(group)
            .limit(COGNITO_PAGE)
            .into_paginator()
            .send();
        let mut users = Vec::new();
        loop {
            pace(&USER_LIST, account_id).await;
            let Some(page) = pages.next().await else {
                break;
            };
            let page = page.map_err(|e| map_sdk_error(e, "Cognito ListUsersInGroup"))?;
            users.extend(page.users.unwrap_or_default().into_iter().map(user_of));
        }
        Ok(users)
    }

    async fn users_page(
        &self,
        account_id: &str,
        pool_id: &str,
        filter: Option<&UserFilter>,
        token: Option<String>,
    ) -> Result<UserPage, ServiceError> {
        let clients = self.for_account(account_id).await?;
        pace(&USER_LIST, account_id).await;
        let out = clients
            .cognito()
            .list_users()
            .user_pool_id(pool_id)
            .limit(COGNITO_PAGE)
            .set_filter(filter.map(filter_text))
            .set_pagination_token(token)
            .send()
            .await
            .map_err(|e| map_sdk_error(e, "Cognito ListUsers"))?;
        Ok(UserPage {
            next: out.pagination_token.filter(|t| !t.is_empty()),
            users: out
                .users
                .unwrap_or_default()
                .into_iter()
                .map(user_of)
                .collect(),
        })
    }

    async fn user(
        &self,
        account_id: &str,
        pool_id: &str,
        username: &str,
    ) -> Result<Option<UserDetail>, ServiceError> {
        let clients = self.for_account(account_id).await?;
        pace(&USER_WRITE, account_id).await;
        let found = clients
            .cognito()
            .admin_get_user()
            .user_pool_id(pool_id)
            .username(username)
            .send()
            .await;
        let out = match found {
            Ok(out) => out,
            Err(e)
                if e.as_service_error()
                    .is_some_and(|e| e.is_user_not_found_exception()) =>
            {
                return Ok(None);
            }
            Err(e) => return Err(map_sdk_error(e, "Cognito AdminGetUser")),
        };
        let attributes = attributes(out.user_attributes());
        let user = User {
            username: out.username().to_owned(),
            email: attributes
                .iter()
                .find(|(n, _)| n == "email")
                .map(|(_, v)| v.clone())
                .unwrap_or_default(),
            status: out
                .user_status()
                .map(|s| s.as_str().to_owned())
                .unwrap_or_default(),
            enabled: out.enabled(),
            created: date(out.user_create_date()),
            modified: date(out.user_last_modified_date()),
            attributes,
        };
        let groups = self
            .groups_of_user(account_id, pool_id, &user.username)
            .await?;
        Ok(Some(UserDetail {
            mfa: out.user_mfa_setting_list().to_vec(),
            preferred_mfa: out
                .preferred_mfa_setting()
                .filter(|m| !m.is_empty())
                .map(str::to_owned),
            user,
            groups,
        }))
    }

    async fn groups_of_user(
        &self,
        account_id: &str,
        pool_id: &str,
        username: &str,
    ) -> Result<Vec<String>, ServiceError> {
        let clients = self.for_account(account_id).await?;
        let mut pages = clients
            .cognito()
            .admin_list_groups_for_user()
            .user_pool_id(pool_id)
            .username(username)
            .limit(COGNITO_PAGE)
            .into_paginator()
            .send();
        let mut groups = Vec::new();
        loop {
            pace(&GROUP_READ, account_id).await;
            let Some(page) = pages.next().await else {
                break;
            };
            let page = page.map_err(|e| map_sdk_error(e, "Cognito AdminListGroupsForUser"))?;
            groups.extend(
                page.groups
                    .unwrap_or_default()
                    .into_iter()
                    .filter_map(|g| g.group_name),
            );
        }
        Ok(groups)
    }

    async fn apply(&self, call: &CognitoCall) -> Result<(), ServiceError> {
        let clients = self.for_account(&call.account_id).await?;
        let c = clients.cognito();
        let pool = call.pool_id.as_str();
        let what = format!("Cognito {} {}", call.op.operation(), call.op.target());
        let key = format!("{}/{pool}", call.account_id);
        match &call.op {
            CognitoOp::CreateGroup { .. } | CognitoOp::DeleteGroup { .. } => {
                pace(&GROUP_WRITE, &key).await;
            }
            _ => pace(&USER_WRITE, &call.account_id).await,
        }
        match &call.op {
            CognitoOp::CreateGroup {
                group,
                description,
                precedence,
            } => already_done(
                c.create_group()
                    .user_pool_id(pool)
                    .group_name(group)
                    .set_description((!description.is_empty()).then(|| description.clone()))
                    .precedence(*precedence)
                    .send()
                    .await
                    .map(drop)
                    .map_err(|e| map_sdk_error(e, &what)),
                &["GroupExistsException"],
            ),
            CognitoOp::DeleteGroup { group } => already_done(
                c.delete_group()
                    .user_pool_id(pool)
                    .group_name(group)
                    .send()
                    .await
                    .map(drop)
                    .map_err(|e| map_sdk_error(e, &what)),
                &["ResourceNotFoundException"],
            ),
            CognitoOp::CreateUser {
                username,
                email,
                attributes,
            } => {
                let mut request = c
                    .admin_create_user()
                    .user_pool_id(pool)
                    .username(username)
                    .desired_delivery_mediums(DeliveryMediumType::Email)
                    .user_attributes(attribute("email", email)?)
                    .user_attributes(attribute("email_verified", "true")?);
                for (name, value) in attributes {
                    request = request.user_attributes(attribute(name, value)?);
                }
                already_done(
                    request
                        .send()
                        .await
                        .map(drop)
                        .map_err(|e| map_sdk_error(e, &what)),
                    &["UsernameExistsException"],
                )
            }
            CognitoOp::AddToGroup { username, group } => c
                .admin_add_user_to_group()
                .user_pool_id(pool)
                .username(username)
                .group_name(group)
                .send()
                .await
                .map(drop)
                .map_err(|e| map_sdk_error(e, &what)),
            CognitoOp::RemoveFromGroup { username, group } => c
                .admin_remove_user_from_group()
                .user_pool_id(pool)
                .username(username)
                .group_name(group)
                .send()
                .await
                .map(drop)
                .map_err(|e| map_sdk_error(e, &what)),
            CognitoOp::SetAttributes {
                username,
                attributes,
            } => {
                let mut request = c
                    .admin_update_user_attributes()
                    .user_pool_id(pool)
                    .username(username);
                for (name, value) in attributes {
                    request = request.user_attributes(attribute(name, value)?);
                }
                request
                    .send()
                    .await
                    .map(drop)
                    .map_err(|e| map_sdk_error(e, &what))
            }
            CognitoOp::DeleteAttributes { username, names } => c
                .admin_delete_user_attributes()
                .user_pool_id(pool)
                .username(username)
                .set_user_attribute_names(Some(names.clone()))
                .send()
                .await
                .map(drop)
                .map_err(|e| map_sdk_error(e, &what)),
            CognitoOp::DeleteUser { username } => c
                .admin_delete_user()
                .user_pool_id(pool)
                .username(username)
                .send()
                .await
                .map(drop)
                .map_err(|e| map_sdk_error(e, &what)),
            CognitoOp::DisableUser { username } => c
                .admin_disable_user()
                .user_pool_id(pool)
                .username(username)
                .send()
                .await
                .map(drop)
                .map_err(|e| map_sdk_error(e, &what)),
            CognitoOp::EnableUser { username } => c
                .admin_enable_user()
                .user_pool_id(pool)
                .username(username)
                .send()
                .await
                .map(drop)
                .map_err(|e| map_sdk_error(e, &what)),
            CognitoOp::ResetPassword { username } => c
                .admin_reset_user_password()
                .user_pool_id(pool)
                .username(username)
                .send()
                .await
                .map(drop)
                .map_err(|e| map_sdk_error(e, &what)),
            CognitoOp::ResendInvitation { username } => c
                .admin_create_user()
                .user_pool_id(pool)
                .username(username)
                .message_action(MessageActionType::Resend)
                .desired_delivery_mediums(DeliveryMediumType::Email)
                .send()
                .await
                .map(drop)
                .map_err(|e| map_sdk_error(e, &what)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filter_values_are_quoted_and_escaped() {
        assert_eq!(
            filter_text(&UserFilter::EmailPrefix("a\"b\\".into())),
            "email ^= \"a\\\"b\\\\\""
        );
        assert_eq!(
            filter_text(&UserFilter::Email("x@y.com".into())),
            "email = \"x@y.com\""
        );
    }
}
