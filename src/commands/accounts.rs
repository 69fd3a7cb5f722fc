//! `opsdeck accounts`: the organisation's accounts and whether the role can be assumed in each.

use std::io::Write;

use futures::StreamExt;
use serde::Serialize;

use crate::cli::OutputFormat;
use crate::domain::account::{AccessVia, role_arn};
use crate::rows::Cells;
use crate::rows::write_rows;
use crate::services::{AccountDirectory, Identity, Organization};

/// JSON: one object per account. `assume_role` is `"ok"` or the error message; `access` says how
/// opsdeck reaches the account (`current_credentials` for the caller's own, `assumed_role`, or
/// null when the check failed).
#[derive(Debug, Serialize)]
pub struct AccountRow {
    pub id: String,
    pub name: String,
    pub email: String,
    pub status: String,
    pub role_arn: String,
    pub assume_role: String,
    pub access: Option<AccessVia>,
    pub read_only: bool,
}

impl Cells for AccountRow {
    fn headers() -> &'static [&'static str] {
        &["ID", "NAME", "EMAIL", "STATUS", "ASSUME_ROLE", "ROLE_ARN"]
    }

    fn cells(&self) -> Vec<String> {
        vec![
            self.id.clone(),
            self.name.clone(),
            self.email.clone(),
            self.status.clone(),
            self.assume_role.clone(),
            self.role_arn.clone(),
        ]
    }
}

/// List and check every account (checks in parallel, at most `concurrency` at once). Exit code 4
/// when some account could not be reached; every row is still printed, failures also on stderr.
pub async fn run<B: Identity + Organization + ?Sized>(
    backend: &B,
    directory: &AccountDirectory,
    role_name: &str,
    concurrency: usize,
    format: OutputFormat,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> anyhow::Result<i32> {
    let list = directory.load(backend).await?;
    let checks: Vec<_> = futures::stream::iter(list.accounts.iter())
        .map(|account| async move { backend.check_access(&account.id).await })
        .buffered(concurrency.max(1))
        .collect()
        .await;
    let mut failed = 0;
    let rows: Vec<AccountRow> = list
        .accounts
        .iter()
        .zip(checks)
        .map(|(account, check)| {
            let (assume_role, access) = match check {
                Ok(access) => ("ok".to_owned(), Some(access.via)),
                Err(e) => {
                    failed += 1;
                    let _ = writeln!(
                        err,
                        "opsdeck: account {} ({}): {}",
                        account.id,
                        crate::domain::sanitize::sanitize(&account.name),
                        crate::domain::sanitize::sanitize(&e.to_string())
                    );
                    (e.to_string(), None)
                }
            };
            AccountRow {
                id: account.id.clone(),
                name: account.name.clone(),
                email: account.email.clone(),
                status: account.status.clone(),
                role_arn: role_arn(&account.id, role_name),
                assume_role,
                access,
                read_only: account.read_only,
            }
        })
        .collect();
    write_rows(out, format, &rows)?;
    Ok(if failed > 0 {
        crate::exit::PARTIAL
    } else {
        crate::exit::SUCCESS
    })
}

#[cfg(test)]
mod tests {
    use async_trait::async_trait;

    use super::*;
    use crate::domain::account::{Access, Account, CallerIdentity};
    use crate::services::{ErrorKind, ServiceError};

    /// Three accounts; the role cannot be assumed into the second. (The emulator never denies an
    /// AssumeRole, so denial is shown with a fake of the port.)
    struct OneDenied;

    fn me() -> CallerIdentity {
        CallerIdentity {
            account_id: "111111111111".into(),
            arn: "arn:aws:iam::111111111111:user/ops".into(),
            user_id: "AIDA".into(),
        }
    }

    #[async_trait]
    impl Identity for OneDenied {
        async fn caller_identity(&self) -> Result<CallerIdentity, ServiceError> {
            Ok(me())
        }
    }

    #[async_trait]
    impl Organization for OneDenied {
        async fn list_accounts(&self) -> Result<Vec<Account>, ServiceError> {
            Ok(["111111111111", "222222222222", "333333333333"]
                .map(|id| Account {
                    id: id.into(),
                    name: format!("acct-{}", &id[..1]),
                    email: String::new(),
                    status: "ACTIVE".into(),
                    read_only: false,
                })
                .to_vec())
        }

        async fn check_access(&self, account_id: &str) -> Result<Access, ServiceError> {
            if account_id == "222222222222" {
                return Err(ServiceError::new(
                    ErrorKind::Denied,
                    Some("AccessDenied".into()),
                    "STS AssumeRole failed: not authorized",
                ));
            }
            Ok(Access {
                identity: me(),
                via: AccessVia::AssumedRole,
            })
        }
    }

    #[tokio::test]
    async fn a_denied_account_is_a_row_with_its_error_and_exit_code_4() {
        let directory = AccountDirectory {
            discover: true,
            configured: Vec::new(),
        };
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let code = run(
            &OneDenied,
            &directory,
            "OrganizationAccountAccessRole",
            2,
            OutputFormat::Json,
            &mut out,
            &mut err,
        )
        .await
        .unwrap();
        assert_eq!(code, crate::exit::PARTIAL);
        let rows: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(rows.as_array().unwrap().len(), 3);
        assert_eq!(rows[0]["assume_role"], "ok");
        assert_eq!(
            rows[1]["assume_role"],
            "STS AssumeRole failed: not authorized (AccessDenied)"
        );
        assert_eq!(rows[1]["access"], serde_json::Value::Null);
        assert_eq!(rows[2]["assume_role"], "ok");
        let err = String::from_utf8(err).unwrap();
        assert!(err.contains("222222222222"), "{err}");
        assert_eq!(err.lines().count(), 1);
    }
}
