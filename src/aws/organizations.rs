//! Organizations + STS adapter: the organisation's accounts and assume-role checks.

use async_trait::async_trait;

use super::{Aws, map_sdk_error};
use std::sync::Arc;

use crate::domain::account::{Access, AccessVia, Account, CallerIdentity};
use crate::services::{Backend, Organization, ServiceError, every_page};

#[async_trait]
impl Organization for Aws {
    async fn list_accounts(&self) -> Result<Vec<Account>, ServiceError> {
        every_page(self).await
    }

    async fn list_account_pages(
        &self,
        on_page: &mut (dyn FnMut(Vec<Account>) + Send),
    ) -> Result<(), ServiceError> {
        let mut pages = self
            .current()
            .organizations()
            .list_accounts()
            .into_paginator()
            .send();
        while let Some(page) = pages.next().await {
            let page = page.map_err(|e| map_sdk_error(e, "Organizations ListAccounts"))?;
            on_page(
                page.accounts
                    .unwrap_or_default()
                    .into_iter()
                    .map(|a| Account {
                        id: a.id.unwrap_or_default(),
                        name: a.name.unwrap_or_default(),
                        email: a.email.unwrap_or_default(),
                        status: a
                            .state
                            .map(|s| s.as_str().to_owned())
                            .or_else(|| a.status.map(|s| s.as_str().to_owned()))
                            .unwrap_or_default(),
                        read_only: false,
                    })
                    .collect(),
            );
        }
        Ok(())
    }

    async fn check_access(&self, account_id: &str) -> Result<Access, ServiceError> {
        let caller = self.caller().await?;
        if caller.account_id == account_id {
            return Ok(Access {
                identity: caller.clone(),
                via: AccessVia::CurrentCredentials,
            });
        }
        let clients = self.assumed(account_id).await;
        let out = clients
            .sts()
            .get_caller_identity()
            .send()
            .await
            .map_err(|e| map_sdk_error(e, "STS AssumeRole"))?;
        Ok(Access {
            identity: CallerIdentity {
                account_id: out.account.unwrap_or_default(),
                arn: out.arn.unwrap_or_default(),
                user_id: out.user_id.unwrap_or_default(),
            },
            via: AccessVia::AssumedRole,
        })
    }
}

impl Backend for Aws {
    fn in_region(&self, region: &str) -> Arc<dyn Backend> {
        Arc::new(Aws::in_region(self, region))
    }
}
