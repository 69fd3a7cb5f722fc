//! Cognito adapter.

use async_trait::async_trait;

use super::{Aws, map_sdk_error};
use crate::domain::tenancy::{Group, UserPool};
use crate::services::{ServiceError, Tenants};

/// Cognito's maximum page size for ListUserPools and ListGroups.
const COGNITO_PAGE: i32 = 60;

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
        while let Some(page) = pages.next().await {
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
        while let Some(page) = pages.next().await {
            let page = page.map_err(|e| map_sdk_error(e, "Cognito ListGroups"))?;
            groups.extend(page.groups.unwrap_or_default().into_iter().map(|g| Group {
                name: g.group_name.unwrap_or_default(),
                description: g.description.unwrap_or_default(),
                precedence: g.precedence,
            }));
        }
        Ok(groups)
    }
}
