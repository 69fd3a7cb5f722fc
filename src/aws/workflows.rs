//! Step Functions adapter.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::{Aws, map_sdk_error};
use crate::domain::workflows::{MachineType, StateMachine};
use crate::services::{ServiceError, Workflows};

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
