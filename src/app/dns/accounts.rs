//! The organisation view: the organisation-wide load and every account with its load status,
//! below the rows that open every record and the delegation check.

use chrono::{DateTime, Utc};

use crate::app::Loadable;
use crate::app::loadable::RequestId;
use crate::domain::dns::Inventory;

/// The organisation-wide load.
#[derive(Debug)]
pub struct Org {
    pub request: RequestId,
    /// The account list: loading, failed, or ready (then the inventory has its accounts).
    pub accounts: Loadable<()>,
    pub inventory: Inventory,
    pub started: Option<DateTime<Utc>>,
    pub finished: Option<DateTime<Utc>>,
}

/// The first row of the accounts view opens every record; the second the delegation check; the
/// third the audit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountRow {
    AllRecords,
    Delegations,
    Audit,
    Account(usize),
}

/// The rows of the accounts view with what the filter searches in each.
pub(super) fn rows(inv: &Inventory) -> Vec<(AccountRow, String)> {
    let mut rows = vec![
        (AccountRow::AllRecords, "all records".to_owned()),
        (AccountRow::Delegations, "delegations".to_owned()),
        (AccountRow::Audit, "audit".to_owned()),
    ];
    rows.extend(inv.accounts.iter().enumerate().map(|(i, a)| {
        (
            AccountRow::Account(i),
            format!("{} {} {}", a.account.id, a.account.name, a.status.word()),
        )
    }));
    rows
}

/// The columns of the accounts view.
pub const ACCOUNT_HEADERS: &[&str] = &["ACCOUNT", "ZONES", "RECORDS", "STATUS"];

/// The cells of one row of the accounts view.
pub fn account_cells(inv: &Inventory, row: &AccountRow) -> Vec<String> {
    match row {
        AccountRow::AllRecords => vec![
            "▸ all records".into(),
            inv.accounts
                .iter()
                .map(|a| a.zones.len())
                .sum::<usize>()
                .to_string(),
            inv.record_count().to_string(),
            "every record of every account: / filters, type:MX, sort:ttl".into(),
        ],
        AccountRow::Delegations => vec![
            "▸ delegations".into(),
            String::new(),
            String::new(),
            "parent NS records against child zones' name servers".into(),
        ],
        AccountRow::Audit => vec![
            "▸ audit".into(),
            String::new(),
            String::new(),
            "what points into nothing: dangling delegations, CNAMEs, aliases".into(),
        ],
        AccountRow::Account(i) => match inv.accounts.get(*i) {
            Some(a) => vec![
                a.label(),
                a.zones.len().to_string(),
                a.records.to_string(),
                a.status_text(),
            ],
            None => vec![String::new(); 4],
        },
    }
}
