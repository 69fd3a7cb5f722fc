//! STS and Organizations in the fake: the caller, the organisation's accounts, and the accounts
//! whose role cannot be assumed (every call there fails as the adapters report it).

use async_trait::async_trait;

use super::{AwsError, FakeBackend};
use crate::domain::account::{Access, AccessVia, Account, CallerIdentity, role_arn};
use crate::services::{ErrorKind, Identity, Organization, ServiceError, every_page};

/// The role the fake pretends to assume in the other accounts.
const ROLE: &str = "OrganizationAccountAccessRole";

#[derive(Debug)]
pub(super) struct Directory {
    pub(super) caller: CallerIdentity,
    /// `None`: the caller's account is in no organisation.
    organization: Option<Vec<Account>>,
    /// Accounts whose role cannot be assumed.
    denied: Vec<String>,
    /// ListAccounts pages (from 0) answered only once the test releases them.
    held: Vec<(usize, tokio::sync::oneshot::Receiver<()>)>,
}

impl Directory {
    pub(super) fn new(account_id: &str) -> Directory {
        Directory {
            caller: CallerIdentity {
                account_id: account_id.to_owned(),
                arn: format!("arn:aws:sts::{account_id}:assumed-role/Operator/fake"),
                user_id: "AROAFAKEOPERATOR:fake".to_owned(),
            },
            organization: None,
            denied: Vec::new(),
            held: Vec::new(),
        }
    }

    /// The failure of any call in `account` when its role cannot be assumed, in the words of
    /// `aws::error` (STS's answer, wrapped in the name of the call).
    pub(super) fn refusal(&self, account: &str, what: &str) -> Option<ServiceError> {
        if account == self.caller.account_id || !self.denied.iter().any(|d| d == account) {
            return None;
        }
        Some(ServiceError::new(
            ErrorKind::Denied,
            Some("AccessDenied".to_owned()),
            format!(
                "{what}: the role could not be assumed: User: {} is not authorized to perform: \
                 sts:AssumeRole on resource: {} (AccessDenied)",
                self.caller.arn,
                role_arn(account, ROLE)
            ),
        ))
    }
}

fn account(id: &str, name: &str) -> Account {
    Account {
        id: id.to_owned(),
        name: name.to_owned(),
        email: format!("aws+{id}@example.com"),
        status: "ACTIVE".to_owned(),
        read_only: false,
    }
}

impl FakeBackend {
    /// The caller's ARN (default `arn:aws:sts::<account>:assumed-role/Operator/fake`).
    pub fn with_caller_arn(self, arn: &str) -> FakeBackend {
        arn.clone_into(&mut self.lock().accounts.caller.arn);
        self
    }

    /// An account of the organisation (the caller's own account is its first, named
    /// `management`, once there is an organisation).
    pub fn with_account(self, id: &str, name: &str) -> FakeBackend {
        {
            let mut world = self.lock();
            let directory = &mut world.accounts;
            let caller = directory.caller.account_id.clone();
            let accounts = directory
                .organization
                .get_or_insert_with(|| vec![account(&caller, "management")]);
            if let Some(existing) = accounts.iter_mut().find(|a| a.id == id) {
                name.clone_into(&mut existing.name);
            } else {
                accounts.push(account(id, name));
            }
        }
        self
    }

    /// ListAccounts page `page` (from 0; pages hold `with_page_size` accounts) is answered only
    /// once the returned sender is used or dropped; a failure injected meanwhile with
    /// `fail_next("ListAccounts", ..)` is its answer.
    pub fn hold_accounts_page(&self, page: usize) -> tokio::sync::oneshot::Sender<()> {
        let (release, held) = tokio::sync::oneshot::channel();
        self.lock().accounts.held.push((page, held));
        release
    }

    /// An account whose role cannot be assumed: every call in it fails as denied.
    pub fn with_denied_account(self, id: &str) -> FakeBackend {
        self.lock().accounts.denied.push(id.to_owned());
        self
    }
}

#[async_trait]
impl Identity for FakeBackend {
    async fn caller_identity(&self) -> Result<CallerIdentity, ServiceError> {
        let me = self.account_id();
        self.call(&me, "GetCallerIdentity", "", "STS GetCallerIdentity", |w| {
            Ok(w.accounts.caller.clone())
        })
    }
}

#[async_trait]
impl Organization for FakeBackend {
    async fn list_accounts(&self) -> Result<Vec<Account>, ServiceError> {
        every_page(self).await
    }

    /// Pages of `with_page_size` accounts, one ListAccounts call each.
    async fn list_account_pages(
        &self,
        on_page: &mut (dyn FnMut(Vec<Account>) + Send),
    ) -> Result<(), ServiceError> {
        let me = self.account_id();
        for page in 0.. {
            let held = {
                let mut world = self.lock();
                let held = &mut world.accounts.held;
                held.iter()
                    .position(|(p, _)| *p == page)
                    .map(|at| held.remove(at).1)
            };
            if let Some(held) = held {
                let _ = held.await;
            }
            let accounts =
                self.call(&me, "ListAccounts", "", "Organizations ListAccounts", |w| {
                    let size = w.page_size;
                    let all = w.accounts.organization.as_ref().ok_or_else(|| {
                        AwsError::new(
                            ErrorKind::Denied,
                            "AWSOrganizationsNotInUseException",
                            "Your account is not a member of an organization.",
                        )
                    })?;
                    Ok((
                        all.iter()
                            .skip(page * size)
                            .take(size)
                            .cloned()
                            .collect::<Vec<_>>(),
                        all.len() > (page + 1) * size,
                    ))
                })?;
            let (accounts, more) = accounts;
            on_page(accounts);
            if !more {
                break;
            }
        }
        Ok(())
    }

    async fn check_access(&self, account_id: &str) -> Result<Access, ServiceError> {
        let caller = self.caller_identity().await?;
        if caller.account_id == account_id {
            return Ok(Access {
                identity: caller,
                via: AccessVia::CurrentCredentials,
            });
        }
        self.call(
            account_id,
            "AssumeRole",
            account_id,
            "STS AssumeRole",
            |_| {
                Ok(Access {
                    identity: CallerIdentity {
                        account_id: account_id.to_owned(),
                        arn: format!("arn:aws:sts::{account_id}:assumed-role/{ROLE}/opsdeck"),
                        user_id: "AROAFAKEASSUMED:opsdeck".to_owned(),
                    },
                    via: AccessVia::AssumedRole,
                })
            },
        )
    }
}
