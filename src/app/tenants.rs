//! The Tenants pane: the user pool (configured, or chosen from the account's pools), then its
//! tenants as the `groups` model derives them from group names.

use chrono::{DateTime, Utc};

use super::Effect;
use super::list::{ListPane, Listing};
use super::loadable::RequestId;
use super::pane::{Ctx, PaneState};
use super::table::TableView;
use crate::config::keymap::Action;
use crate::domain::tenancy::{Group, GroupPattern, Tenant, UserPool, tenants_from_groups};
use crate::services::ServiceError;

/// How tenants are named in the pool (from the config's `[cognito]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TenancySettings {
    /// The configured pool; without one the operator picks from the account's pools.
    pub pool_id: Option<String>,
    pub pattern: GroupPattern,
    pub roles: Vec<String>,
}

#[derive(Debug)]
pub struct TenantsPane {
    pub settings: TenancySettings,
    pub pools: ListPane<UserPool>,
    /// The pool whose tenants are shown; `None` while choosing one.
    pub pool: Option<UserPool>,
    pub tenants: ListPane<Tenant>,
    /// Groups that do not follow the pattern, shown apart.
    pub other_groups: Vec<Group>,
}

#[derive(Debug)]
pub enum TenantsMsg {
    Pools {
        request: RequestId,
        result: Result<Vec<UserPool>, ServiceError>,
        at: DateTime<Utc>,
    },
    Groups {
        request: RequestId,
        result: Result<Vec<Group>, ServiceError>,
        at: DateTime<Utc>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TenantsEffect {
    LoadPools {
        request: RequestId,
        account_id: String,
    },
    LoadGroups {
        request: RequestId,
        account_id: String,
        pool_id: String,
    },
}

impl TenantsPane {
    pub fn new(settings: TenancySettings) -> TenantsPane {
        let pool = settings.pool_id.as_ref().map(|id| UserPool {
            id: id.clone(),
            name: String::new(),
        });
        TenantsPane {
            settings,
            pools: ListPane::default(),
            pool,
            tenants: ListPane::default(),
            other_groups: Vec::new(),
        }
    }

    pub fn on_msg(&mut self, msg: TenantsMsg, ctx: &mut Ctx) {
        match msg {
            TenantsMsg::Pools {
                request,
                result,
                at,
            } => {
                if self.pools.loaded(request, result, at) && self.pools.items().len() == 1 {
                    // One pool: open it instead of asking the operator to pick the only choice.
                    self.pool = self.pools.items().first().cloned();
                    self.ensure_loaded(ctx);
                }
            }
            TenantsMsg::Groups {
                request,
                result,
                at,
            } => {
                if !self.tenants.list.awaits(request) {
                    return;
                }
                let result = result.map(|groups| {
                    let (tenants, other) =
                        tenants_from_groups(&groups, &self.settings.pattern, &self.settings.roles);
                    self.other_groups = other;
                    tenants
                });
                self.tenants.loaded(request, result, at);
            }
        }
    }

    /// Is the operator choosing a pool (no pool configured, none opened)?
    pub fn choosing_pool(&self) -> bool {
        self.pool.is_none()
    }

    /// Leave the tenants of a chosen pool for the pool list; a configured pool has no list.
    pub fn back_to_pools(&mut self) -> bool {
        if self.settings.pool_id.is_some() || self.pool.is_none() {
            return false;
        }
        self.pool = None;
        self.tenants = ListPane::default();
        self.other_groups.clear();
        true
    }
}

impl PaneState for TenantsPane {
    fn table(&self) -> &TableView {
        if self.choosing_pool() {
            &self.pools.table
        } else {
            &self.tenants.table
        }
    }

    fn table_mut(&mut self) -> &mut TableView {
        if self.choosing_pool() {
            &mut self.pools.table
        } else {
            &mut self.tenants.table
        }
    }

    fn refilter(&mut self) {
        if self.choosing_pool() {
            self.pools.refilter();
        } else {
            self.tenants.refilter();
        }
    }

    fn ensure_loaded(&mut self, ctx: &mut Ctx) {
        let Some(account) = ctx.account.clone() else {
            return;
        };
        if self.settings.pool_id.is_none() && !self.pools.is_for(&account) {
            // Another account: its pools, and nothing opened in it yet.
            self.back_to_pools();
            if let Some((request, account_id)) = self.pools.load_if_needed(ctx) {
                ctx.run(Effect::Tenants(TenantsEffect::LoadPools {
                    request,
                    account_id,
                }));
            }
            return;
        }
        if let Some(pool) = self.pool.clone()
            && let Some((request, account_id)) = self.tenants.load_if_needed(ctx)
        {
            ctx.run(Effect::Tenants(TenantsEffect::LoadGroups {
                request,
                account_id,
                pool_id: pool.id,
            }));
        }
    }

    fn reload(&mut self, ctx: &mut Ctx) {
        if self.choosing_pool() {
            self.pools.invalidate();
        } else {
            self.tenants.invalidate();
        }
        self.ensure_loaded(ctx);
    }

    fn on_action(&mut self, action: Action, ctx: &mut Ctx) {
        match action {
            Action::Enter if self.choosing_pool() => {
                self.pool = self.pools.selected().cloned();
                self.ensure_loaded(ctx);
            }
            Action::Back => {
                self.back_to_pools();
            }
            Action::Copy => {
                let key = if self.choosing_pool() {
                    self.pools.selected().map(Listing::key)
                } else {
                    self.tenants.selected().map(Listing::key)
                };
                if let Some(text) = key {
                    ctx.run(Effect::Copy { text });
                }
            }
            Action::Export if self.choosing_pool() => ctx.run(self.pools.export("user-pools")),
            Action::Export => ctx.run(self.tenants.export("tenants")),
            _ => {}
        }
    }

    fn is_busy(&self) -> bool {
        self.pools.list.is_loading() || self.tenants.list.is_loading()
    }

    fn reset(&mut self) {
        *self = TenantsPane::new(self.settings.clone());
    }

    fn hint(&self, action: Action) -> &'static str {
        match action {
            Action::Enter if self.choosing_pool() => "open",
            Action::Back if self.pool.is_some() && self.settings.pool_id.is_none() => "pools",
            _ => "",
        }
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
