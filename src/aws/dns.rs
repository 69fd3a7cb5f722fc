//! Route53 adapter.

use async_trait::async_trait;

use super::{Aws, map_sdk_error};
use crate::domain::dns::{HostedZone, normalise_zone};
use crate::services::{Dns, ServiceError};

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
