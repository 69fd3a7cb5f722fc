//! Who we are and which accounts we can reach.

use serde::Serialize;

/// The identity behind the current credentials (STS GetCallerIdentity).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CallerIdentity {
    pub account_id: String,
    pub arn: String,
    pub user_id: String,
}

/// An account of the organisation, from Organizations ListAccounts or the config's static list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Account {
    pub id: String,
    pub name: String,
    pub email: String,
    /// ACTIVE, SUSPENDED, PENDING_CLOSURE, ... or `CONFIGURED` for a static entry.
    pub status: String,
    /// Changes to this account are refused (config `read_only` on the account).
    pub read_only: bool,
}

/// The account list as loaded, with where it came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AccountList {
    pub accounts: Vec<Account>,
    pub source: AccountSource,
}

/// How opsdeck reaches an account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AccessVia {
    /// The caller's own account: the credentials as they are.
    CurrentCredentials,
    /// Any other account: the configured role, assumed.
    AssumedRole,
}

/// A successful access check: who we are in the account, and how we got there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Access {
    pub identity: CallerIdentity,
    pub via: AccessVia,
}

/// Where an account list came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AccountSource {
    Organizations,
    Config,
}

/// Apply the config's static account list to a discovered one: per-account `read_only` and names
/// the organisation does not know. Accounts only in the static list are not added: discovery says
/// what exists.
pub fn apply_overrides(discovered: &mut [Account], configured: &[Account]) {
    for account in discovered {
        if let Some(c) = configured.iter().find(|c| c.id == account.id) {
            account.read_only |= c.read_only;
            if account.name.is_empty() {
                account.name = c.name.clone();
            }
        }
    }
}

/// The role assumed into an account.
pub fn role_arn(account_id: &str, role_name: &str) -> String {
    format!("arn:aws:iam::{account_id}:role/{role_name}")
}

/// A 12-digit AWS account id.
pub fn is_account_id(s: &str) -> bool {
    s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_arn_names_the_account_and_role() {
        assert_eq!(
            role_arn("111122223333", "OrganizationAccountAccessRole"),
            "arn:aws:iam::111122223333:role/OrganizationAccountAccessRole"
        );
    }

    #[test]
    fn account_ids_are_twelve_digits() {
        assert!(is_account_id("123456789012"));
        assert!(!is_account_id("12345678901"));
        assert!(!is_account_id("12345678901a"));
    }
}
