//! Route53, Cognito and Step Functions adapters for the panes' list views, each read in the
//! account the operator made current.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::{Aws, map_sdk_error};
use crate::domain::dns::{HostedZone, normalise_zone};
use crate::domain::tenancy::{Group, UserPool};
use crate::domain::workflows::{MachineType, StateMachine};
use crate::services::{Dns, ServiceError, Tenants, Workflows};

/// Cognito's maximum page size for ListUserPools and ListGroups.
const COGNITO_PAGE: i32 = 60;

#[async_trait]
impl Dns for Aws {
    async fn hosted_zones(&self, account_id: &str) -> Result<Vec<HostedZone>, ServiceError> {
        let clients = self.for_account(account_id).await?;
        let mut pages = clients
            .route53()
            .list_hosted_zones()
            .into_paginator()
            .send();
        let mut zones = Vec::new();
        while let Some(page) = pages.next().await {
            let page = page.map_err(|e| map_sdk_error(e, "Route53 ListHostedZones"))?;
            zones.extend(page.hosted_zones.into_iter().map(|z| {
                let (id, name) = normalise_zone(&z.id, &z.name);
                let config = z.config;
                HostedZone {
                    id,
                    name,
                    private: config.as_ref().is_some_and(|c| c.private_zone),
                    record_count: z.resource_record_set_count.unwrap_or_default(),
                    comment: config.and_then(|c| c.comment).unwrap_or_default(),
                }
            }));
        }
        Ok(zones)
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

#[async_trait]
impl Workflows for Aws {
    async fn state_machines(&self, account_id: &str) -> Result<Vec<StateMachine>, ServiceError> {
        let clients = self.for_account(account_id).await?;
        let mut pages = clients.sfn().list_state_machines().into_paginator().send();
        let mut machines = Vec::new();
        while let Some(page) = pages.next().await {
            let page = page.map_err(|e| map_sdk_error(e, "Step Functions ListStateMachines"))?;
            machines.extend(page.state_machines.into_iter().map(|m| StateMachine {
                arn: m.state_machine_arn,
                name: m.name,
                kind: match m.r#type {
                    aws_sdk_sfn::types::StateMachineType::Express => MachineType::Express,
                    _ => MachineType::Standard,
                },
                created: DateTime::<Utc>::from_timestamp(
                    m.creation_date.secs(),
                    m.creation_date.subsec_nanos(),
                ),
            }));
        }
        Ok(machines)
    }
}
