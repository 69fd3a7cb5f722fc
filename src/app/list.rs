//! A list view of things loaded in one account: the loadable, its table, and which account it
//! came from, so switching accounts reloads it.

use chrono::{DateTime, Utc};

use super::loadable::{Loadable, RequestId};
use super::table::TableView;
use crate::domain::dns::HostedZone;
use crate::domain::tenancy::{Tenant, UserPool};
use crate::domain::workflows::{MachineType, StateMachine};
use crate::services::ServiceError;

/// What a list row shows, copies and exports.
pub trait Listing {
    fn headers() -> &'static [&'static str];
    /// Cell texts, raw (renderers and exports sanitise).
    fn cells(&self) -> Vec<String>;
    /// What `y` copies.
    fn key(&self) -> String;
}

#[derive(Debug)]
pub struct ListPane<T> {
    pub list: Loadable<Vec<T>>,
    pub table: TableView,
    /// The account the list is (being) loaded from.
    pub account: Option<String>,
    haystacks: Vec<String>,
}

impl<T> Default for ListPane<T> {
    fn default() -> Self {
        ListPane {
            list: Loadable::NotAsked,
            table: TableView::default(),
            account: None,
            haystacks: Vec::new(),
        }
    }
}

impl<T: Listing> ListPane<T> {
    pub fn begin(&mut self, request: RequestId, account: &str) {
        self.list = Loadable::Loading { request };
        self.account = Some(account.to_owned());
    }

    /// Apply a result; false when it was stale.
    pub fn loaded(
        &mut self,
        request: RequestId,
        result: Result<Vec<T>, ServiceError>,
        at: DateTime<Utc>,
    ) -> bool {
        if !self.list.settle(request, result, at) {
            return false;
        }
        self.haystacks = self.items().iter().map(|i| i.cells().join(" ")).collect();
        self.refilter();
        true
    }

    /// Is this list loaded (or loading) for `account`?
    pub fn is_for(&self, account: &str) -> bool {
        self.account.as_deref() == Some(account) && !matches!(self.list, Loadable::NotAsked)
    }

    pub fn items(&self) -> &[T] {
        self.list.value().map(Vec::as_slice).unwrap_or_default()
    }

    pub fn selected(&self) -> Option<&T> {
        self.table
            .selected_index()
            .and_then(|i| self.items().get(i))
    }

    pub fn refilter(&mut self) {
        self.table
            .refilter(self.haystacks.iter().map(String::as_str));
    }

    /// The visible rows as exported cells.
    pub fn export_rows(&self) -> Vec<Vec<String>> {
        let items = self.items();
        self.table
            .visible()
            .iter()
            .filter_map(|&i| items.get(i))
            .map(Listing::cells)
            .collect()
    }
}

impl Listing for HostedZone {
    fn headers() -> &'static [&'static str] {
        &["ZONE", "ID", "VISIBILITY", "RECORDS", "COMMENT"]
    }

    fn cells(&self) -> Vec<String> {
        vec![
            self.name.clone(),
            self.id.clone(),
            if self.private { "private" } else { "public" }.into(),
            self.record_count.to_string(),
            self.comment.clone(),
        ]
    }

    fn key(&self) -> String {
        self.id.clone()
    }
}

impl Listing for StateMachine {
    fn headers() -> &'static [&'static str] {
        &["NAME", "TYPE", "CREATED", "ARN"]
    }

    fn cells(&self) -> Vec<String> {
        vec![
            self.name.clone(),
            match self.kind {
                MachineType::Standard => "standard",
                MachineType::Express => "express",
            }
            .into(),
            self.created
                .map(|c| c.format("%Y-%m-%d %H:%M").to_string())
                .unwrap_or_default(),
            self.arn.clone(),
        ]
    }

    fn key(&self) -> String {
        self.arn.clone()
    }
}

impl Listing for UserPool {
    fn headers() -> &'static [&'static str] {
        &["POOL", "ID"]
    }

    fn cells(&self) -> Vec<String> {
        vec![self.name.clone(), self.id.clone()]
    }

    fn key(&self) -> String {
        self.id.clone()
    }
}

impl Listing for Tenant {
    fn headers() -> &'static [&'static str] {
        &["TENANT", "ROLES", "DESCRIPTION"]
    }

    fn cells(&self) -> Vec<String> {
        vec![
            self.id.clone(),
            self.roles.join(" "),
            self.description.clone(),
        ]
    }

    fn key(&self) -> String {
        self.id.clone()
    }
}
