//! The DNS pane. It opens on the hosted zones of the current account; `Esc` goes up to the
//! organisation: every account's Route53 inventory, loaded in parallel and streaming in, with a
//! status per account. From there: an account's zones → a zone's records, all records of every
//! account (filter, `type:` and `sort:` in the filter, export), the delegation check, and
//! "who serves this name?" for a record (`Enter` in a records view), the audit of what points
//! into nothing; and the changes (`changes`): `n`/`c`/`d` on records, `f` on delegations.
//!
//! This file holds the pane's state, its navigation between views and its key handling; each view
//! builds its rows in its own file (`accounts`, `zones`, `records`, `delegations`, `find`, over the
//! tables of `grid`), `export` writes the view on screen as CSV or JSON, `rows` lists the current
//! account's zones, and `msg` has the messages and effects.

mod accounts;
mod audit;
mod changes;
mod delegations;
mod export;
mod find;
mod grid;
mod msg;
mod records;
mod rows;
mod zones;

#[cfg(test)]
pub(crate) mod fixtures;
#[cfg(test)]
mod tests;

pub use accounts::{ACCOUNT_HEADERS, AccountRow, Org, account_cells};
pub use audit::{AUDIT_HEADERS, audit_cells};
pub use changes::{RecordForm, RecordTarget};
pub use delegations::{DELEGATION_HEADERS, delegation_cells};
pub use export::ExportFormat;
pub use find::{FIND_HEADERS, FindRow, find_cells};
pub use grid::Grid;
pub use msg::{DnsEffect, DnsMsg};
pub use records::{RECORD_HEADERS, RecordFilter, SortBy, record_cells};
pub use zones::{ZONE_HEADERS, zone_cells};

use crossterm::event::KeyEvent;

use super::Effect;
use super::list::{ListPane, Listing};
use super::live::Live;
use super::pane::{Ctx, PaneState};
use super::table::{Rows, TableView};
use crate::config::keymap::{Action, Scope};
use crate::domain::dns::{
    Delegation, Finding, HostedZone, Inventory, InventoryEvent, Lookup, RecordRef, ZoneRef,
};
use grid::GridRows;

/// What the pane shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum View {
    /// The current account's hosted zones (where the pane opens).
    #[default]
    Zones,
    /// Every account of the organisation with its load status.
    Accounts,
    /// The zones of one account of the inventory, or of all (`None`).
    OrgZones {
        account: Option<usize>,
    },
    /// The record sets of one zone, or of every zone (`None`).
    Records {
        zone: Option<ZoneRef>,
    },
    Delegations,
    /// What points into nothing.
    Audit,
    /// Who serves this name.
    Find {
        name: String,
    },
}

#[derive(Debug, Default)]
pub struct DnsPane {
    /// The current account's hosted zones: the view the pane opens on.
    pub zones: ListPane<HostedZone>,
    pub view: View,
    /// Where `Esc` goes back to.
    back: Vec<View>,
    pub org: Option<Org>,
    pub accounts: Grid<AccountRow>,
    pub org_zones: Grid<ZoneRef>,
    pub records: Grid<RecordRef>,
    /// The records of the view before the `type:` filter (rows of `records` are these, filtered).
    all_records: Vec<RecordRef>,
    /// Which of `all_records` the records view shows (`type:` applied; `sort:` is the table's
    /// base sort): rebuilt only when that word or the records change, not on every keystroke.
    record_rows: Vec<usize>,
    record_filter: RecordFilter,
    /// What the records view's rows were last built from: the `type:` word and how many records
    /// there were. While it stays the same, typing only narrows the previous matches.
    records_built_from: Option<(Option<String>, usize)>,
    pub delegations: Grid<Delegation>,
    pub findings: Grid<Finding>,
    pub found: Grid<FindRow>,
    pub lookup: Option<Lookup>,
    /// `e` pressed in an organisation view: the pane asks "csv or json?" and takes the next key.
    pub export_prompt: bool,
    /// The record form (`n`, `c`), while open.
    pub form: Option<RecordForm>,
}

impl DnsPane {
    pub fn on_msg(&mut self, msg: DnsMsg, _ctx: &mut Ctx) {
        match msg {
            DnsMsg::Zones {
                request,
                result,
                at,
            } => {
                self.zones.loaded(request, result, at);
            }
            DnsMsg::OrgAccounts {
                request,
                result,
                at,
            } => {
                let Some(org) = self.org.as_mut().filter(|o| o.request == request) else {
                    return;
                };
                match result {
                    Ok(accounts) => {
                        org.inventory = Inventory::new(accounts);
                        org.accounts = super::Loadable::Ready {
                            value: (),
                            fetched_at: at,
                        };
                        org.started = Some(at);
                    }
                    Err(error) => org.accounts = super::Loadable::Failed { error },
                }
                self.rebuild();
            }
            DnsMsg::Inventory { request, event, at } => {
                let Some(org) = self.org.as_mut().filter(|o| o.request == request) else {
                    return;
                };
                let appended = match &event {
                    InventoryEvent::Records { account, zone, .. } => Some(ZoneRef {
                        account: *account,
                        zone: *zone,
                    }),
                    _ => None,
                };
                let before = appended
                    .and_then(|z| org.inventory.zone(z))
                    .map_or(0, |(_, z)| z.records.len());
                let finished = matches!(
                    event,
                    InventoryEvent::Finished { .. } | InventoryEvent::Listed { .. }
                );
                // The first page of the organisation's accounts: the list is there (and grows).
                if matches!(
                    event,
                    InventoryEvent::Accounts { .. } | InventoryEvent::Listed { error: None }
                ) && !matches!(org.accounts, super::Loadable::Ready { .. })
                {
                    org.accounts = super::Loadable::Ready {
                        value: (),
                        fetched_at: at,
                    };
                    org.started = Some(at);
                }
                org.inventory.apply(event);
                if org.inventory.is_complete() && org.finished.is_none() {
                    org.finished = Some(at);
                }
                match appended {
                    Some(zone) => self.append_records(zone, before),
                    None => self.rebuild_unless_records(finished),
                }
            }
        }
    }

    /// Start the organisation-wide load unless it is loaded or loading.
    fn ensure_org(&mut self, ctx: &mut Ctx) {
        if self.org.is_none() {
            self.load_org(ctx);
        }
    }

    fn load_org(&mut self, ctx: &mut Ctx) {
        let request = ctx.request();
        self.org = Some(Org {
            request,
            accounts: super::Loadable::Loading { request },
            inventory: Inventory::listing(),
            started: None,
            finished: None,
        });
        self.records.reset();
        self.all_records.clear();
        self.record_rows.clear();
        self.records_built_from = None;
        ctx.run(Effect::Dns(DnsEffect::LoadInventory { request }));
        self.rebuild();
    }

    fn inventory(&self) -> Option<&Inventory> {
        self.org.as_ref().map(|o| &o.inventory)
    }

    /// Open a view, remembering where `Esc` goes back to.
    fn open(&mut self, view: View) {
        let from = std::mem::replace(&mut self.view, view);
        self.back.push(from);
        self.records.table = TableView::default();
        self.rebuild();
    }

    /// Recompute the rows of the view on screen (not the records: they grow by appending).
    fn rebuild_unless_records(&mut self, account_finished: bool) {
        match self.view {
            View::Records { .. } => {}
            View::Delegations | View::Audit | View::Find { .. } if !account_finished => {}
            _ => self.rebuild(),
        }
    }
    /// Recompute the rows of the view on screen from the inventory.
    fn rebuild(&mut self) {
        let Some(inv) = self.org.as_ref().map(|o| &o.inventory) else {
            return;
        };
        match self.view.clone() {
            View::Zones => {}
            View::Accounts => self.accounts.set(accounts::rows(inv)),
            View::OrgZones { account } => self.org_zones.set(zones::rows(inv, account)),
            View::Records { zone } => {
                self.all_records = records::rows(inv, zone);
                self.records_built_from = None;
                self.refilter_records();
            }
            View::Delegations => self.delegations.set(delegations::rows(inv)),
            View::Audit => self.findings.set(audit::rows(inv)),
            View::Find { name } => {
                let (lookup, rows) = find::rows(inv, &name);
                self.found.set(rows);
                self.lookup = Some(lookup);
            }
        }
    }

    /// What `y` copies from the selected row.
    fn copy_text(&self) -> Option<String> {
        let inv = self.inventory();
        match &self.view {
            View::Zones => self.zones.selected().map(Listing::key),
            View::Accounts => match self.accounts.selected()? {
                AccountRow::Account(i) => inv?.accounts.get(*i).map(|a| a.account.id.clone()),
                _ => None,
            },
            View::OrgZones { .. } => inv?
                .zone(*self.org_zones.selected()?)
                .map(|(_, z)| z.zone().id.clone()),
            View::Records { .. } => inv?
                .record(*self.records.selected()?)
                .map(|(_, _, r)| r.name().to_owned()),
            View::Delegations => self.delegations.selected().map(|d| d.child_zone.clone()),
            View::Audit => self.findings.selected().map(|f| f.name.clone()),
            View::Find { name } => Some(name.clone()),
        }
    }

    fn enter(&mut self, ctx: &mut Ctx) {
        match self.view.clone() {
            View::Zones => {
                let Some(zone) = self.zones.selected().cloned() else {
                    return;
                };
                let account = self.zones.account.clone();
                self.ensure_org(ctx);
                let found = self.inventory().and_then(|inv| {
                    inv.zones()
                        .find(|(_, a, z)| {
                            Some(&a.account.id) == account.as_ref() && z.zone().id == zone.id
                        })
                        .map(|(zr, ..)| zr)
                });
                match found {
                    Some(zr) => self.open(View::Records { zone: Some(zr) }),
                    None => {
                        ctx.notify(
                            "the organisation's inventory is loading: the zone's records appear here when it is in",
                            false,
                        );
                        self.open(View::Accounts);
                    }
                }
            }
            View::Accounts => match self.accounts.selected().copied() {
                Some(AccountRow::AllRecords) => self.open(View::Records { zone: None }),
                Some(AccountRow::Delegations) => self.open(View::Delegations),
                Some(AccountRow::Audit) => self.open(View::Audit),
                Some(AccountRow::Account(i)) => self.open(View::OrgZones { account: Some(i) }),
                None => {}
            },
            View::OrgZones { .. } => {
                if let Some(zr) = self.org_zones.selected().copied() {
                    self.open(View::Records { zone: Some(zr) });
                }
            }
            View::Records { .. } => {
                let name = self
                    .records
                    .selected()
                    .and_then(|at| self.inventory()?.record(*at))
                    .map(|(_, _, r)| r.name().to_owned());
                if let Some(name) = name {
                    self.find(&name, ctx);
                }
            }
            View::Delegations => {
                if let Some(d) = self.delegations.selected() {
                    let name = d.child_zone.clone();
                    self.find(&name, ctx);
                }
            }
            View::Audit => {
                if let Some(f) = self.findings.selected() {
                    let name = f.name.clone();
                    self.find(&name, ctx);
                }
            }
            View::Find { .. } => {}
        }
    }

    fn back(&mut self, ctx: &mut Ctx) {
        match self.back.pop() {
            Some(view) => {
                self.view = view;
                self.rebuild();
            }
            None if self.view == View::Zones => {
                self.ensure_org(ctx);
                self.open(View::Accounts);
            }
            None => {}
        }
    }
}

impl PaneState for DnsPane {
    fn table(&self) -> &TableView {
        match self.view {
            View::Zones => &self.zones.table,
            View::Accounts => &self.accounts.table,
            View::OrgZones { .. } => &self.org_zones.table,
            View::Records { .. } => &self.records.table,
            View::Delegations => &self.delegations.table,
            View::Audit => &self.findings.table,
            View::Find { .. } => &self.found.table,
        }
    }

    fn table_mut(&mut self) -> &mut TableView {
        match self.view {
            View::Zones => &mut self.zones.table,
            View::Accounts => &mut self.accounts.table,
            View::OrgZones { .. } => &mut self.org_zones.table,
            View::Records { .. } => &mut self.records.table,
            View::Delegations => &mut self.delegations.table,
            View::Audit => &mut self.findings.table,
            View::Find { .. } => &mut self.found.table,
        }
    }

    fn rows(&self) -> Option<Box<dyn Rows + '_>> {
        if self.view == View::Zones {
            return Some(Box::new(&self.zones));
        }
        let inv = &self.org.as_ref()?.inventory;
        Some(match &self.view {
            View::Zones => Box::new(&self.zones),
            View::Accounts => Box::new(GridRows {
                grid: &self.accounts,
                headers: ACCOUNT_HEADERS,
                cells: Box::new(move |r| account_cells(inv, r)),
                key: None,
            }),
            View::OrgZones { .. } => Box::new(GridRows {
                grid: &self.org_zones,
                headers: ZONE_HEADERS,
                cells: Box::new(move |r| zone_cells(inv, r)),
                key: None,
            }),
            View::Records { .. } => Box::new(GridRows {
                grid: &self.records,
                headers: RECORD_HEADERS,
                cells: Box::new(move |r| record_cells(inv, r)),
                key: Some(Box::new(move |r, column| {
                    records::record_key(inv, r, column)
                })),
            }),
            View::Delegations => Box::new(GridRows {
                grid: &self.delegations,
                headers: DELEGATION_HEADERS,
                cells: Box::new(delegation_cells),
                key: None,
            }),
            View::Audit => Box::new(GridRows {
                grid: &self.findings,
                headers: AUDIT_HEADERS,
                cells: Box::new(audit_cells),
                key: None,
            }),
            View::Find { .. } => Box::new(GridRows {
                grid: &self.found,
                headers: FIND_HEADERS,
                cells: Box::new(move |r| find_cells(inv, r)),
                key: None,
            }),
        })
    }

    fn refilter(&mut self) {
        match self.view {
            View::Zones => self.zones.refilter(),
            View::Accounts => self.accounts.refilter(),
            View::OrgZones { .. } => self.org_zones.refilter(),
            View::Records { .. } => self.refilter_records(),
            View::Delegations => self.delegations.refilter(),
            View::Audit => self.findings.refilter(),
            View::Find { .. } => self.found.refilter(),
        }
    }

    fn ensure_loaded(&mut self, ctx: &mut Ctx) {
        if let Some((request, account_id)) = self.zones.load_if_needed(ctx) {
            ctx.run(Effect::Dns(DnsEffect::LoadZones {
                request,
                account_id,
            }));
        }
    }

    /// The current account's zones are live; the organisation's views are not: a re-read
    /// reads every zone and record of every account.
    fn live(&self) -> Live {
        match self.view {
            View::Zones => Live::Auto,
            _ => Live::Paused("a re-read reads the whole organisation"),
        }
    }

    fn refresh(&mut self, ctx: &mut Ctx) {
        if self.view == View::Zones && self.zones.refresh() {
            self.ensure_loaded(ctx);
        }
    }

    fn reload(&mut self, ctx: &mut Ctx) {
        match self.view {
            View::Zones => {
                self.zones.invalidate();
                self.ensure_loaded(ctx);
            }
            _ => self.load_org(ctx),
        }
    }

    fn on_action(&mut self, action: Action, ctx: &mut Ctx) {
        match action {
            Action::Enter => self.enter(ctx),
            Action::Back => self.back(ctx),
            Action::Copy => {
                if let Some(text) = self.copy_text() {
                    ctx.run(Effect::Copy { text });
                }
            }
            // The zones view of the current account exports CSV at once, as every list pane
            // does; the organisation views ask for the format first.
            Action::Export => self.export_prompt = true,
            Action::New => self.new_record(ctx),
            Action::Edit => self.change_record(ctx),
            Action::Delete => self.delete_record(ctx),
            Action::FixDelegation if self.view == View::Delegations => self.fix_delegation(ctx),
            _ => {}
        }
    }

    fn captures_keys(&self) -> bool {
        self.export_prompt || self.form.is_some()
    }

    fn on_key(&mut self, key: KeyEvent, ctx: &mut Ctx) {
        if self.form.is_some() {
            return self.on_form_key(key, ctx);
        }
        if !self.export_prompt {
            return;
        }
        match ctx.action(&[Scope::Dialog, Scope::Global], &key) {
            Some(Action::ExportCsv) => {
                self.export_prompt = false;
                self.export_as(ExportFormat::Csv, ctx);
            }
            Some(Action::ExportJson) => {
                self.export_prompt = false;
                self.export_as(ExportFormat::Json, ctx);
            }
            Some(Action::Back) => self.export_prompt = false,
            // Anything else keeps the question open: a stray key must not export or navigate.
            _ => {}
        }
    }

    fn is_busy(&self) -> bool {
        self.zones.is_busy()
            || self.org.as_ref().is_some_and(|o| {
                o.accounts.is_loading()
                    || (o.accounts.value().is_some() && !o.inventory.is_complete())
            })
    }

    fn reset(&mut self) {
        *self = DnsPane::default();
    }

    fn change_account(&self, action: Action) -> Option<String> {
        self.change_account_of(action)
    }

    fn hint(&self, action: Action) -> &'static str {
        match (action, &self.view) {
            (Action::Enter, View::Zones) => "records",
            (Action::Enter, View::Accounts) => "open",
            (Action::Enter, View::OrgZones { .. }) => "records",
            (Action::Enter, View::Records { .. } | View::Delegations | View::Audit) => {
                "who serves it"
            }
            (Action::New, View::Records { .. } | View::OrgZones { .. }) => "new record",
            (Action::Edit, View::Records { .. }) => "change record",
            (Action::Delete, View::Records { .. }) => "delete record",
            (Action::FixDelegation, View::Delegations) => "fix delegation",
            (Action::Back, View::Zones) => "all accounts",
            (Action::Back, _) => "back",
            _ => "",
        }
    }
}
