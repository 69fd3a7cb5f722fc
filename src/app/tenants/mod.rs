//! The Tenants pane: the user pool (configured, or chosen from the account's pools), its tenants
//! with user counts per role, a tenant's users grouped by role, and one user's detail; with the
//! onboarding forms and the user actions, each planned from what the pool holds and confirmed
//! through the shell's dialog.
//!
//! This file holds the pane, which view is on screen, and the dispatch of keys and actions;
//! `msg.rs` its messages and effects, `tenant_list.rs` the pools and tenants lists, `user.rs` a
//! tenant's users, the user actions and a user's detail, `forms.rs` the forms (search,
//! onboarding, role, CSV import), `plan.rs` how a change is planned, `rows.rs` the list rows.

mod across;
mod find_user;
mod forms;
mod msg;
mod org;
mod plan;
mod rows;
mod tenant_list;
mod user;

#[cfg(test)]
pub(crate) mod find_user_tests;
#[cfg(test)]
pub(crate) mod fixtures;
#[cfg(test)]
pub(crate) mod org_tests;
#[cfg(test)]
mod tests;

pub use find_user::{Finding, WhereRow};
pub use forms::{Form, FormField, FormKind};
pub use msg::{OrgRead, ScanResult, TenantsEffect, TenantsMsg};
pub use org::{OrgProgress, OrgRow, OrgSettings, Place};
pub use rows::{Counting, FieldRow, FoundRow, MemberRow, TenantRow};
pub use tenant_list::ForceDelete;
pub use user::{UserAction, UserMenu};

use crossterm::event::KeyEvent;

use super::Effect;
use super::list::{ListPane, Listing};
use super::live::Live;
use super::loadable::{Loadable, RequestId};
use super::pane::{Ctx, PaneState};
use super::table::{Rows, TableView};
use crate::config::keymap::Action;
use crate::domain::plan::{Change, Plan};
use crate::domain::tenancy::plan::{CognitoOp, Intent};
use crate::domain::tenancy::users::{Model, Tenancy, User, Usernames};
use crate::domain::tenancy::{Group, GroupPattern, Tenant, UserPool};
use crate::services::UserFilter;

/// How tenants are named in the pool (from the config's `[cognito]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TenancySettings {
    /// The configured pool; without one the operator picks from the account's pools.
    pub pool_id: Option<String>,
    pub pattern: GroupPattern,
    pub roles: Vec<String>,
}

/// The rest of the config's `[cognito]`: the tenant model and the tenant attribute.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TenancyOptions {
    /// `tenant_model = "attribute"`: tenants come from a scan of the users' tenant attribute.
    pub attribute_model: bool,
    pub attribute: String,
}

impl Default for TenancyOptions {
    fn default() -> Self {
        TenancyOptions {
            attribute_model: false,
            attribute: "custom:tenant_id".into(),
        }
    }
}

#[derive(Debug)]
pub struct TenantsPane {
    pub settings: TenancySettings,
    pub options: TenancyOptions,
    /// How new users are named (`cognito.username`); the email unless the config says otherwise.
    pub usernames: Usernames,
    pub pools: ListPane<UserPool>,
    /// The pool whose tenants are shown; `None` while choosing one.
    pub pool: Option<UserPool>,
    pub tenants: ListPane<TenantRow>,
    /// Groups that do not follow the pattern, shown apart.
    pub other_groups: Vec<Group>,
    /// Users read so far by the scan of the attribute model.
    pub scanned: Option<usize>,
    /// The tenant whose users are shown.
    pub tenant: Option<String>,
    pub members: ListPane<MemberRow>,
    /// The user whose detail is shown.
    pub user: Option<String>,
    pub detail: ListPane<FieldRow>,
    /// What the open user's detail last said: enabled, and their tenants with roles. The user's
    /// actions use it when no member list holds the user (a user opened by `:user`).
    pub user_facts: Option<(bool, Vec<crate::domain::tenancy::users::Membership>)>,
    pub form: Option<Form>,
    pub menu: Option<UserMenu>,
    pub force_delete: Option<ForceDelete>,
    /// The server-side user search on screen, and what it found so far.
    pub search: Option<UserFilter>,
    pub found: ListPane<FoundRow>,
    /// The search still reading pages.
    pub searching: Option<RequestId>,
    found_so_far: Vec<User>,
    /// The plan being prepared (reads in flight), if any.
    pub planning: Option<RequestId>,
    /// The request of the tenant list on screen: counts answer it.
    list_request: Option<RequestId>,
    /// The `[onboarding]` runbook's variables (beyond `{tenant}` and `{admin_email}`) when the
    /// config has a runbook: the onboarding form asks for them and plans the combined plan.
    pub runbook: Option<Vec<String>>,
    /// The tenant on screen across services (its record(s) and onboarding executions), one line
    /// each, read in the background when a runbook is configured.
    pub across: Vec<String>,
    across_request: Option<RequestId>,
    /// Which accounts and regions the tenant list reads (`State::scope`, copied before each
    /// call).
    pub scope: crate::app::scope::Scope,
    /// The organisation's tenants (with `Scope::Organisation`), and how far their read has come.
    pub org: ListPane<OrgRow>,
    pub org_progress: OrgProgress,
    org_so_far: Vec<OrgRow>,
    org_request: Option<RequestId>,
    /// The counts asked for rows of the organisation's list: request → the row's key.
    org_counting: std::collections::HashMap<RequestId, String>,
    pub org_settings: OrgSettings,
    /// Where the open tenant or user lives when it was opened from the organisation (or by
    /// `:user`): every read and change of the pane goes there.
    pub place: Option<Place>,
    /// `:user`: the search and the pools the user was found in.
    pub finding: Option<Finding>,
    pub matches: ListPane<WhereRow>,
}

/// Which list is on screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    Pools,
    Tenants,
    Members,
    /// Users found by a server-side search of the pool.
    Search,
    User,
    /// The tenants of every pool of the organisation (`Scope::Organisation`).
    Org,
    /// Where `:user` found the user: one row per pool.
    Where,
}

impl TenantsPane {
    pub fn new(settings: TenancySettings) -> TenantsPane {
        let pool = settings.pool_id.as_ref().map(|id| UserPool {
            id: id.clone(),
            name: String::new(),
        });
        TenantsPane {
            settings,
            options: TenancyOptions::default(),
            usernames: Usernames::Email,
            pools: ListPane::default(),
            pool,
            tenants: ListPane::default(),
            other_groups: Vec::new(),
            scanned: None,
            tenant: None,
            members: ListPane::default(),
            user: None,
            detail: ListPane::default(),
            user_facts: None,
            form: None,
            menu: None,
            force_delete: None,
            search: None,
            found: ListPane::default(),
            searching: None,
            found_so_far: Vec::new(),
            planning: None,
            list_request: None,
            runbook: None,
            across: Vec::new(),
            across_request: None,
            scope: crate::app::scope::Scope::default(),
            org: ListPane::default(),
            org_progress: OrgProgress::default(),
            org_so_far: Vec::new(),
            org_request: None,
            org_counting: std::collections::HashMap::new(),
            org_settings: OrgSettings::default(),
            place: None,
            finding: None,
            matches: ListPane::default(),
        }
    }

    /// The tenancy rules in force: the open place's pool's, else the config's.
    pub fn tenancy(&self) -> Tenancy {
        match &self.place {
            Some(p) => p.tenancy.clone(),
            None => self.tenancy_here(),
        }
    }

    /// The tenancy rules of the config's `[cognito]`.
    pub fn tenancy_here(&self) -> Tenancy {
        Tenancy {
            model: if self.options.attribute_model {
                Model::Attribute
            } else {
                Model::Groups(self.settings.pattern.clone())
            },
            roles: self.settings.roles.clone(),
            attribute: self.options.attribute.clone(),
            usernames: self.usernames,
        }
    }

    pub fn view(&self) -> View {
        if self.place.is_some() {
            return if self.user.is_some() {
                View::User
            } else {
                View::Members
            };
        }
        if self.finding.is_some() {
            return View::Where;
        }
        if self.organisation() {
            return View::Org;
        }
        if self.pool.is_none() {
            View::Pools
        } else if self.user.is_some() {
            View::User
        } else if self.tenant.is_some() {
            View::Members
        } else if self.search.is_some() {
            View::Search
        } else {
            View::Tenants
        }
    }
}

impl PaneState for TenantsPane {
    fn table(&self) -> &TableView {
        match self.view() {
            View::Pools => &self.pools.table,
            View::Tenants => &self.tenants.table,
            View::Members => &self.members.table,
            View::Search => &self.found.table,
            View::User => &self.detail.table,
            View::Org => &self.org.table,
            View::Where => &self.matches.table,
        }
    }

    fn table_mut(&mut self) -> &mut TableView {
        match self.view() {
            View::Pools => &mut self.pools.table,
            View::Tenants => &mut self.tenants.table,
            View::Members => &mut self.members.table,
            View::Search => &mut self.found.table,
            View::User => &mut self.detail.table,
            View::Org => &mut self.org.table,
            View::Where => &mut self.matches.table,
        }
    }

    fn rows(&self) -> Option<Box<dyn Rows + '_>> {
        Some(match self.view() {
            View::Pools => Box::new(&self.pools),
            View::Tenants => Box::new(&self.tenants),
            View::Members => Box::new(&self.members),
            View::Search => Box::new(&self.found),
            View::User => Box::new(&self.detail),
            View::Org => Box::new(&self.org),
            View::Where => Box::new(&self.matches),
        })
    }

    fn refilter(&mut self) {
        match self.view() {
            View::Pools => self.pools.refilter(),
            View::Tenants => self.tenants.refilter(),
            View::Members => self.members.refilter(),
            View::Search => self.found.refilter(),
            View::User => self.detail.refilter(),
            View::Org => self.org.refilter(),
            View::Where => self.matches.refilter(),
        }
    }

    fn ensure_loaded(&mut self, ctx: &mut Ctx) {
        if self.place.is_some() {
            return self.ensure_place_loaded(ctx);
        }
        if self.finding.is_some() {
            return;
        }
        if self.organisation() {
            return self.ensure_org_loaded(ctx);
        }
        let Some(account) = ctx.account.clone() else {
            return;
        };
        if self.settings.pool_id.is_none() {
            // Another account: its pools, and nothing opened in it yet.
            let another = !self.pools.is_for(&account);
            if another {
                self.back_to_pools();
            }
            // That first load, or a re-read of the pools on screen.
            if let Some((request, account_id)) = self.pools.load_if_needed(ctx) {
                ctx.run(Effect::Tenants(TenantsEffect::LoadPools {
                    request,
                    account_id,
                }));
            }
            if another {
                return;
            }
        }
        let Some(pool) = self.pool.clone() else {
            return;
        };
        if self.settings.pool_id.is_some() && !self.tenants.is_for(&account) {
            // A configured pool in another account: nothing opened in it yet.
            self.close_tenant();
        }
        if let Some((request, account_id)) = self.tenants.load_if_needed(ctx) {
            let refresh = self.tenants.refreshing == Some(request);
            self.scanned = None;
            self.list_request = Some(request);
            let effect = if self.options.attribute_model {
                TenantsEffect::ScanTenants {
                    request,
                    account_id,
                    pool_id: pool.id.clone(),
                    tenancy: self.tenancy(),
                }
            } else {
                TenantsEffect::LoadGroups {
                    request,
                    account_id,
                    pool_id: pool.id.clone(),
                }
            };
            ctx.run(Effect::Tenants(effect));
            // A first load comes before what depends on it; a re-read keeps the rows meanwhile.
            if !refresh {
                return;
            }
        }
        match self.view() {
            View::Tenants => self.count_visible(ctx),
            View::Members => {
                let Some(tenant) = self.tenant.clone() else {
                    return;
                };
                let tenant = self
                    .tenants
                    .items()
                    .iter()
                    .find(|r| r.tenant.id == tenant)
                    .map(|r| r.tenant.clone())
                    .unwrap_or(Tenant {
                        id: tenant,
                        description: String::new(),
                        roles: self.settings.roles.clone(),
                    });
                if let Some((request, account_id)) = self.members.load_if_needed(ctx) {
                    self.load_across(&tenant.id, ctx);
                    ctx.run(Effect::Tenants(TenantsEffect::LoadMembers {
                        request,
                        account_id,
                        pool_id: pool.id,
                        tenancy: self.tenancy(),
                        tenant,
                    }));
                }
            }
            View::User => {
                let Some(username) = self.user.clone() else {
                    return;
                };
                if let Some((request, account_id)) = self.detail.load_if_needed(ctx) {
                    ctx.run(Effect::Tenants(TenantsEffect::LoadUser {
                        request,
                        account_id,
                        pool_id: pool.id,
                        username,
                    }));
                }
            }
            View::Search => {
                let Some(filter) = self.search.clone() else {
                    return;
                };
                if let Some((request, account_id)) = self.found.load_if_needed(ctx) {
                    self.searching = Some(request);
                    self.found_so_far.clear();
                    ctx.run(Effect::Tenants(TenantsEffect::SearchUsers {
                        request,
                        account_id,
                        pool_id: pool.id,
                        filter,
                    }));
                }
            }
            View::Pools | View::Org | View::Where => {}
        }
    }

    /// Every view is live but two: the attribute model's tenant list (a scan of every user of
    /// the pool) and a search (run once, as asked).
    fn live(&self) -> Live {
        match self.view() {
            View::Tenants if self.options.attribute_model => {
                Live::Paused("a re-read scans the whole pool")
            }
            View::Search => Live::Paused("a search runs once"),
            View::Org => Live::Paused("a re-read reads every account and region"),
            View::Where => Live::Paused("a search runs once"),
            _ => Live::Auto,
        }
    }

    /// The tenant list is read again without its counts (one ListUsersInGroup per role group
    /// and tenant): those stay as counted, and are counted again after a change to the tenant.
    fn refresh(&mut self, ctx: &mut Ctx) {
        let asked = match self.view() {
            View::Pools => self.pools.refresh(),
            View::Tenants => self.tenants.refresh(),
            View::Members => self.members.refresh(),
            View::User => self.detail.refresh(),
            View::Org => self.org.refresh(),
            View::Search | View::Where => false,
        };
        if asked {
            self.ensure_loaded(ctx);
        }
    }

    /// Disabling or enabling a user shows at once in the tenant's users and the search results.
    fn expect(&mut self, plan: &Plan<Change>) {
        for step in &plan.steps {
            let Change::Tenants(call) = &step.action else {
                continue;
            };
            let (username, enabled) = match &call.op {
                CognitoOp::DisableUser { username } => (username, false),
                CognitoOp::EnableUser { username } => (username, true),
                _ => continue,
            };
            if let Loadable::Ready { value, .. } = &mut self.members.list {
                for row in value.iter_mut().filter(|r| &r.user.username == username) {
                    row.user.enabled = enabled;
                }
            }
            if let Loadable::Ready { value, .. } = &mut self.found.list {
                for row in value.iter_mut().filter(|r| &r.user.username == username) {
                    row.user.enabled = enabled;
                }
            }
        }
    }

    /// A change ended: every list it may have changed is read again in the background (the one
    /// on screen now, the others when shown), and the open tenant is counted again.
    fn changed(&mut self, ctx: &mut Ctx) {
        match self.view() {
            View::Pools => self.pools.reread(),
            // A search is run again as a whole (its pages stream in).
            View::Search => self.found.invalidate(),
            _ => {}
        }
        self.tenants.reread();
        self.members.reread();
        self.detail.reread();
        if let Some(tenant) = self.tenant.clone() {
            self.recount(&tenant);
        }
        self.ensure_loaded(ctx);
    }

    fn reload(&mut self, ctx: &mut Ctx) {
        match self.view() {
            View::Pools => self.pools.invalidate(),
            View::Tenants => self.tenants.invalidate(),
            View::Members => self.members.invalidate(),
            View::Search => self.found.invalidate(),
            View::User => {
                // A change to a user can change the tenant's list too.
                self.detail.invalidate();
                self.members.invalidate();
            }
            View::Org => self.org.invalidate(),
            View::Where => {}
        }
        self.ensure_loaded(ctx);
    }

    fn on_action(&mut self, action: Action, ctx: &mut Ctx) {
        let view = self.view();
        match (action, view) {
            (Action::Enter, View::Pools) => {
                self.pool = self.pools.selected().cloned();
            }
            (Action::Enter, View::Tenants) => {
                if let Some(row) = self.tenants.selected() {
                    self.tenant = Some(row.tenant.id.clone());
                    self.members = ListPane::default();
                }
            }
            (Action::Enter, View::Members) => {
                if let Some(m) = self.selected_member() {
                    self.user = Some(m.user.username.clone());
                    self.detail = ListPane::default();
                }
            }
            (Action::Enter, View::Search) => {
                if let Some(row) = self.found.selected() {
                    self.user = Some(row.user.username.clone());
                    self.detail = ListPane::default();
                }
            }
            (Action::Watch, View::Tenants | View::Search) => self.open_form(FormKind::Search),
            (Action::Watch, View::Members) => {
                if let Some(tenant) = self.tenant.clone() {
                    self.open_form(FormKind::Import { tenant });
                }
            }
            (Action::Back, View::Search) => {
                self.search = None;
                self.searching = None;
                self.found = ListPane::default();
            }
            (Action::Enter, View::Org) => self.open_org_tenant(ctx),
            (Action::Back, View::User) => {
                self.close_user();
                self.leave_place_if_done();
            }
            (Action::Back, View::Members) => {
                self.close_tenant();
                self.leave_place_if_done();
            }
            (Action::Back, View::Org) => {}
            (Action::Enter, View::Where) => self.open_match(),
            (Action::Back, View::Where) => self.close_finding(),
            (Action::Back, _) => {
                self.back_to_pools();
            }
            (Action::New, View::Tenants) => self.open_form(FormKind::OnboardTenant),
            (Action::New, View::Members | View::User) => {
                if let Some(tenant) = self.tenant.clone() {
                    self.open_form(FormKind::OnboardUser { tenant });
                }
            }
            (Action::Edit, View::Members | View::User) => self.open_menu(ctx),
            (Action::Delete, View::Tenants) => {
                if let Some(row) = self.tenants.selected() {
                    match &row.counts {
                        // Ask before forcing; without a count the plan itself refuses a
                        // tenant with users.
                        Counting::Ready(c) if c.users > 0 => {
                            let tenancy = self.tenancy();
                            self.force_delete = Some(ForceDelete {
                                tenant: row.tenant.id.clone(),
                                users: c.users,
                                groups: row
                                    .tenant
                                    .roles
                                    .iter()
                                    .map(|r| tenancy.role_group(&row.tenant.id, r))
                                    .collect(),
                            });
                        }
                        _ => {
                            let intent = Intent::DeleteTenant {
                                tenant: row.tenant.id.clone(),
                                force: false,
                            };
                            self.propose(intent, ctx);
                        }
                    }
                }
            }
            (Action::Delete, View::Members | View::User) => {
                if let (Some((username, _, _)), Some(tenant)) =
                    (self.acting_user(), self.tenant.clone())
                {
                    let intent = Intent::Remove {
                        username,
                        tenant,
                        delete_user: false,
                    };
                    self.propose(intent, ctx);
                }
            }
            (Action::Copy, _) => {
                let key = match view {
                    View::Pools => self.pools.selected().map(Listing::key),
                    View::Tenants => self.tenants.selected().map(Listing::key),
                    View::Members => self.members.selected().map(Listing::key),
                    View::Search => self.found.selected().map(Listing::key),
                    View::User => self.detail.selected().map(Listing::key),
                    View::Org => self.org.selected().map(Listing::key),
                    View::Where => self.matches.selected().map(Listing::key),
                };
                if let Some(text) = key {
                    ctx.run(Effect::Copy { text });
                }
            }
            (Action::Export, View::Pools) => ctx.run(self.pools.export("user-pools")),
            (Action::Export, View::Tenants) => ctx.run(self.tenants.export("tenants")),
            (Action::Export, View::Members) => ctx.run(self.members.export("tenant-users")),
            (Action::Export, View::Search) => ctx.run(self.found.export("users-found")),
            (Action::Export, View::User) => ctx.run(self.detail.export("user")),
            (Action::Export, View::Org) => ctx.run(self.org.export("organisation-tenants")),
            (Action::Export, View::Where) => ctx.run(self.matches.export("user-found")),
            _ => {}
        }
        self.ensure_loaded(ctx);
    }

    fn captures_keys(&self) -> bool {
        self.form.is_some() || self.menu.is_some() || self.force_delete.is_some()
    }

    fn on_key(&mut self, key: KeyEvent, ctx: &mut Ctx) {
        if self.form.is_some() {
            self.on_form_key(key, ctx);
        } else if self.menu.is_some() {
            self.on_menu_key(key, ctx);
        } else if self.force_delete.is_some() {
            self.on_force_key(key, ctx);
        }
    }

    fn is_busy(&self) -> bool {
        self.pools.is_busy()
            || self.tenants.is_busy()
            || self.members.is_busy()
            || self.detail.is_busy()
            || self.searching.is_some()
            || self.planning.is_some()
            || self.org.is_busy()
            || self.org_request.is_some()
            || self.finding.as_ref().is_some_and(|f| f.request.is_some())
    }

    fn reset(&mut self) {
        let options = self.options.clone();
        let runbook = self.runbook.take();
        let org_settings = std::mem::take(&mut self.org_settings);
        let scope = std::mem::take(&mut self.scope);
        *self = TenantsPane::new(self.settings.clone());
        self.options = options;
        self.runbook = runbook;
        self.org_settings = org_settings;
        self.scope = scope;
    }

    fn hint(&self, action: Action) -> &'static str {
        let view = self.view();
        match (action, view) {
            (Action::Enter, View::Pools) => "open",
            (Action::Enter, View::Tenants | View::Org) => "users",
            (Action::Enter, View::Members | View::Search | View::Where) => "user detail",
            (Action::Back, View::Where) => "close",
            (Action::Watch, View::Tenants | View::Search) => "search users",
            (Action::Watch, View::Members) => "import CSV",
            (Action::Back, View::Search) => "tenants",
            (Action::Back, View::Tenants)
                if self.pool.is_some() && self.settings.pool_id.is_none() =>
            {
                "pools"
            }
            (Action::Back, View::Members) => "tenants",
            // A user opened by `:user`: back where the search started.
            (Action::Back, View::User) if self.place.is_some() && self.tenant.is_none() => "back",
            (Action::Back, View::User) => "users",
            (Action::New, View::Tenants) => "onboard tenant",
            (Action::New, View::Members | View::User) => "onboard user",
            (Action::Edit, View::Members | View::User) => "user actions",
            (Action::Delete, View::Tenants) => "delete tenant",
            (Action::Delete, View::Members | View::User) => "remove from tenant",
            _ => "",
        }
    }

    /// A change in an opened place acts in that place's account: read-only is checked for it.
    fn change_account(&self, _action: Action) -> Option<String> {
        self.place.as_ref().map(|p| p.account_id.clone())
    }
}
