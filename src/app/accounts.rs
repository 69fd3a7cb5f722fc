//! The Accounts view: the organisation's accounts and whether opsdeck can work in each.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, Utc};

use super::live::Live;
use super::loadable::{Loadable, RequestId};
use super::pane::{Ctx, PaneState};
use super::table::{Rows, SortKey, TableView};
use super::{Effect, access_text};
use crate::config::keymap::Action;
use crate::domain::account::{Access, Account, AccountList};
use crate::services::ServiceError;

/// The result of checking access to one account.
#[derive(Debug, Clone, PartialEq)]
pub enum AccessCheck {
    Checking,
    Ok(Access),
    Failed(ServiceError),
}

#[derive(Debug, Default)]
pub struct AccountsPane {
    pub list: Loadable<AccountList>,
    /// Keyed by account id; tagged by the list request they belong to.
    pub access: HashMap<String, AccessCheck>,
    pub table: TableView,
    /// What the filter searches in each account, shared with a search off the UI thread.
    haystacks: Vec<Arc<str>>,
    /// Account id → position in the list, so lookups by id never scan (frames ask every time).
    by_id: HashMap<String, usize>,
    /// How many entries of `access` are still `Checking`: counted, not scanned, per frame.
    pending: usize,
    /// The list request the access checks in `access` belong to.
    checks_for: Option<RequestId>,
    /// The ids of the listed accounts marked read-only, kept with the list: the shell's policy
    /// asks on every key, and must not walk the whole list.
    read_only: Vec<String>,
}

impl AccountsPane {
    /// Start loading; earlier results become stale.
    pub fn begin(&mut self, request: RequestId) {
        self.list = Loadable::Loading { request };
        self.access.clear();
        self.by_id.clear();
        self.pending = 0;
        self.checks_for = None;
        self.read_only.clear();
    }

    /// Apply the list result. Returns the accounts whose access should now be checked.
    pub fn loaded(
        &mut self,
        request: RequestId,
        result: Result<AccountList, ServiceError>,
        at: DateTime<Utc>,
    ) -> Vec<String> {
        if !self.list.settle(request, result, at) {
            return Vec::new();
        }
        let accounts: &[Account] = self
            .list
            .value()
            .map(|l| l.accounts.as_slice())
            .unwrap_or_default();
        self.haystacks = accounts
            .iter()
            .map(|a| Arc::from(format!("{} {} {} {}", a.name, a.id, a.email, a.status)))
            .collect();
        self.access = accounts
            .iter()
            .map(|a| (a.id.clone(), AccessCheck::Checking))
            .collect();
        self.by_id = accounts
            .iter()
            .enumerate()
            .map(|(i, a)| (a.id.clone(), i))
            .collect();
        self.read_only = accounts
            .iter()
            .filter(|a| a.read_only)
            .map(|a| a.id.clone())
            .collect();
        self.pending = self.access.len();
        let ids = accounts.iter().map(|a| a.id.clone()).collect();
        self.checks_for = Some(request);
        self.table.rows_changed();
        self.refilter();
        ids
    }

    /// Apply one access check; results for an account no longer listed (or a list reloaded since)
    /// are dropped.
    pub fn checked(
        &mut self,
        list_request: RequestId,
        account_id: &str,
        result: Result<Access, ServiceError>,
    ) {
        if self.checks_for != Some(list_request) {
            return;
        }
        if let Some(slot) = self.access.get_mut(account_id)
            && *slot == AccessCheck::Checking
        {
            *slot = match result {
                Ok(access) => AccessCheck::Ok(access),
                Err(error) => AccessCheck::Failed(error),
            };
            self.pending -= 1;
            // Sorted by access, the account takes its place as its check answers.
            self.table.rows_changed();
        }
    }

    pub fn accounts(&self) -> &[Account] {
        self.list
            .value()
            .map(|l| l.accounts.as_slice())
            .unwrap_or_default()
    }

    pub fn selected(&self) -> Option<&Account> {
        self.table
            .selected_index()
            .and_then(|i| self.accounts().get(i))
    }

    /// The ids of the listed accounts marked read-only.
    pub fn read_only_ids(&self) -> &[String] {
        &self.read_only
    }

    /// Access checks still running.
    pub fn pending_checks(&self) -> usize {
        self.pending
    }

    /// The listed account with this id.
    pub fn by_id(&self, id: &str) -> Option<&Account> {
        self.by_id.get(id).and_then(|&i| self.accounts().get(i))
    }

    pub fn refilter(&mut self) {
        self.table.refilter(self.haystacks.iter());
    }

    /// Find an account by id or (case-insensitive) name.
    pub fn find(&self, id_or_name: &str) -> Option<&Account> {
        self.by_id(id_or_name).or_else(|| {
            self.accounts()
                .iter()
                .find(|a| a.name.eq_ignore_ascii_case(id_or_name))
        })
    }
}

impl Rows for AccountsPane {
    fn headers(&self) -> &'static [&'static str] {
        &["NAME", "ID", "ACCESS", "STATUS", "EMAIL", "READ-ONLY"]
    }

    fn count(&self) -> usize {
        self.accounts().len()
    }

    fn cells(&self, row: usize) -> Option<Vec<String>> {
        let a = self.accounts().get(row)?;
        Some(vec![
            a.name.clone(),
            a.id.clone(),
            access_text(self.access.get(&a.id)),
            a.status.clone(),
            a.email.clone(),
            if a.read_only { "yes" } else { "no" }.to_owned(),
        ])
    }

    /// One column's key, without building the row's other cells (100,000 accounts sort in one
    /// pass over the list).
    fn sort_key(&self, row: usize, column: usize) -> SortKey {
        let Some(a) = self.accounts().get(row) else {
            return SortKey::Empty;
        };
        match column {
            0 => SortKey::cell(&a.name),
            1 => SortKey::cell(&a.id),
            2 => SortKey::cell(&access_text(self.access.get(&a.id))),
            3 => SortKey::cell(&a.status),
            4 => SortKey::cell(&a.email),
            _ => SortKey::cell(if a.read_only { "yes" } else { "no" }),
        }
    }
}

impl PaneState for AccountsPane {
    fn table(&self) -> &TableView {
        &self.table
    }

    fn rows(&self) -> Option<Box<dyn Rows + '_>> {
        Some(Box::new(self))
    }

    fn table_mut(&mut self) -> &mut TableView {
        &mut self.table
    }

    fn refilter(&mut self) {
        AccountsPane::refilter(self);
    }

    /// The list is loaded at start and on `r`; nothing depends on the current account.
    fn ensure_loaded(&mut self, _ctx: &mut Ctx) {}

    /// Not live: the organisation's accounts rarely change, and reading them again checks
    /// access to each one (an AssumeRole per account).
    fn live(&self) -> Live {
        Live::Paused("a re-read assumes a role per account")
    }

    fn refresh(&mut self, _ctx: &mut Ctx) {}

    fn reload(&mut self, ctx: &mut Ctx) {
        let request = ctx.request();
        self.begin(request);
        ctx.run(Effect::LoadAccounts { request });
    }

    fn on_action(&mut self, action: Action, ctx: &mut Ctx) {
        match action {
            Action::Enter => {
                if let Some(account) = self.selected().cloned() {
                    ctx.make_current(account);
                }
            }
            Action::Copy => {
                if let Some(account) = self.selected() {
                    ctx.run(Effect::Copy {
                        text: account.id.clone(),
                    });
                }
            }
            Action::Export => {
                let accounts = self.accounts();
                let rows = self
                    .table
                    .visible()
                    .iter()
                    .filter_map(|&i| accounts.get(i))
                    .map(|a| {
                        vec![
                            a.id.clone(),
                            a.name.clone(),
                            a.email.clone(),
                            a.status.clone(),
                            access_text(self.access.get(&a.id)),
                        ]
                    })
                    .collect();
                ctx.run(Effect::Export {
                    name: "accounts".into(),
                    headers: ["id", "name", "email", "status", "access"]
                        .map(str::to_owned)
                        .to_vec(),
                    rows,
                });
            }
            _ => {}
        }
    }

    fn is_busy(&self) -> bool {
        self.list.is_loading() || self.pending_checks() > 0
    }

    /// The shell reloads the list itself after a region switch.
    fn reset(&mut self) {}

    fn hint(&self, action: Action) -> &'static str {
        match action {
            Action::Enter => "select",
            _ => "",
        }
    }
}
