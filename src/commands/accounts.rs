//! `opsdeck accounts`: the organisation's accounts and whether the role can be assumed in each.

use std::io::Write;

use futures::StreamExt;
use serde::Serialize;

use super::output::{Row, write_rows};
use crate::cli::OutputFormat;
use crate::domain::account::{AccessVia, role_arn};
use crate::services::{AccountDirectory, Backend};

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

impl Row for AccountRow {
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
pub async fn run(
    backend: &dyn Backend,
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
