//! STS and Organizations: who we are, and the accounts opsdeck can work in.

use async_trait::async_trait;

use super::ServiceError;
use crate::domain::account::{
    Access, Account, AccountList, AccountSource, CallerIdentity, apply_overrides,
};

/// STS: who the current credentials are.
#[async_trait]
pub trait Identity: Send + Sync {
    async fn caller_identity(&self) -> Result<CallerIdentity, ServiceError>;
}

/// Organizations + STS: the accounts and whether the configured role can be assumed in each.
#[async_trait]
pub trait Organization: Send + Sync {
    /// Every account of the organisation (ListAccounts from the current account).
    async fn list_accounts(&self) -> Result<Vec<Account>, ServiceError>;

    /// The organisation's accounts page by page, each handed to `on_page` as it arrives (while
    /// the next is asked for by the caller's loop, the page's accounts can be at work). A failure
    /// after some pages returns the error; the pages handed over stay handed over. By default one
    /// page: [`Organization::list_accounts`].
    async fn list_account_pages(
        &self,
        on_page: &mut (dyn FnMut(Vec<Account>) + Send),
    ) -> Result<(), ServiceError> {
        on_page(self.list_accounts().await?);
        Ok(())
    }

    /// Can opsdeck work in this account? The caller's own account is reached with the current
    /// credentials; any other through the configured role, assumed and checked with STS.
    async fn check_access(&self, account_id: &str) -> Result<Access, ServiceError>;
}

/// Every account of every page of [`Organization::list_account_pages`]: `list_accounts` for a
/// backend that lists in pages.
pub async fn every_page<O: Organization + ?Sized>(org: &O) -> Result<Vec<Account>, ServiceError> {
    let mut accounts = Vec::new();
    org.list_account_pages(&mut |page| accounts.extend(page))
        .await?;
    Ok(accounts)
}

/// Where the account list comes from: the organisation (discovery) or the config's static list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AccountDirectory {
    pub discover: bool,
    /// The config's accounts: the whole list without discovery, per-account overrides with it.
    pub configured: Vec<Account>,
}

impl AccountDirectory {
    /// The accounts to show. Without discovery and without a static list, the caller's own account
    /// is the one account there is.
    pub async fn load<B>(&self, backend: &B) -> Result<AccountList, ServiceError>
    where
        B: Identity + Organization + ?Sized,
    {
        if self.discover {
            let mut accounts = backend.list_accounts().await?;
            apply_overrides(&mut accounts, &self.configured);
            return Ok(AccountList {
                accounts,
                source: AccountSource::Organizations,
            });
        }
        let accounts = if self.configured.is_empty() {
            let me = backend.caller_identity().await?;
            vec![Account {
                id: me.account_id,
                name: String::new(),
                email: String::new(),
                status: "CURRENT".into(),
                read_only: false,
            }]
        } else {
            self.configured.clone()
        };
        Ok(AccountList {
            accounts,
            source: AccountSource::Config,
        })
    }

    /// [`AccountDirectory::load`] page by page: with discovery each ListAccounts page, the
    /// config's overrides applied, as it arrives; without it the one list. A failure after some
    /// pages returns the error; the pages handed to `on_page` stay.
    pub async fn load_pages<B>(
        &self,
        backend: &B,
        on_page: &mut (dyn FnMut(Vec<Account>) + Send),
    ) -> Result<(), ServiceError>
    where
        B: Identity + Organization + ?Sized,
    {
        if !self.discover {
            on_page(self.load(backend).await?.accounts);
            return Ok(());
        }
        let configured = &self.configured;
        backend
            .list_account_pages(&mut |mut page| {
                apply_overrides(&mut page, configured);
                on_page(page);
            })
            .await
    }
}
