//! The pools list and the tenants list: opening a pool, counting the tenants on screen, and the
//! question before deleting a tenant that still has users.

use crossterm::event::KeyEvent;

use super::{Counting, TenantsEffect, TenantsPane};
use crate::app::Effect;
use crate::app::list::ListPane;
use crate::app::loadable::{Loadable, RequestId};
use crate::app::pane::Ctx;
use crate::config::keymap::{Action, Scope};
use crate::domain::tenancy::plan::Intent;

/// The question `d` asks before deleting a tenant that still has users: the forced deletion
/// (the same plan as `tenants delete --force`) removes only its groups; the users stay in the pool.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForceDelete {
    pub tenant: String,
    pub users: usize,
    /// The role groups that would be deleted.
    pub groups: Vec<String>,
}

impl TenantsPane {
    pub(super) fn tenants_request(&self) -> Option<RequestId> {
        self.list_request
    }

    /// Ask for the counts of the tenants on screen that have none yet (groups model: one
    /// ListUsersInGroup per role group, so only what the operator looks at is read).
    pub(super) fn count_visible(&mut self, ctx: &mut Ctx) {
        let (Some(pool), Some(request), Some(account)) = (
            self.pool.clone(),
            self.tenants_request(),
            self.tenants.account.clone(),
        ) else {
            return;
        };
        let window: Vec<usize> = self.tenants.table.window(ctx.rows.max(1)).to_vec();
        let tenancy = self.tenancy();
        if let Loadable::Ready { value, .. } = &mut self.tenants.list {
            for i in window {
                let Some(row) = value.get_mut(i) else {
                    continue;
                };
                if row.counts == Counting::NotAsked {
                    row.counts = Counting::Loading;
                    ctx.run(Effect::Tenants(TenantsEffect::CountTenant {
                        request,
                        account_id: account.clone(),
                        pool_id: pool.id.clone(),
                        tenancy: tenancy.clone(),
                        tenant: row.tenant.clone(),
                    }));
                }
            }
        }
    }

    /// Count `tenant` again when it is next on screen (after a change to it).
    pub(super) fn recount(&mut self, tenant: &str) {
        if let Loadable::Ready { value, .. } = &mut self.tenants.list
            && let Some(row) = value.iter_mut().find(|r| r.tenant.id == tenant)
            && !self.options.attribute_model
        {
            row.counts = Counting::NotAsked;
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
        self.search = None;
        self.searching = None;
        self.found = ListPane::default();
        self.close_tenant();
        true
    }

    pub(super) fn close_tenant(&mut self) {
        self.tenant = None;
        self.members = ListPane::default();
        self.close_user();
    }

    pub(super) fn on_force_key(&mut self, key: KeyEvent, ctx: &mut Ctx) {
        match ctx.action(&[Scope::Dialog, Scope::Global], &key) {
            Some(Action::ForceDelete) => {
                if let Some(ask) = self.force_delete.take() {
                    let intent = Intent::DeleteTenant {
                        tenant: ask.tenant,
                        force: true,
                    };
                    // The shell's dialog still asks for the tenant id to be typed.
                    self.propose(intent, ctx);
                }
            }
            Some(Action::Back | Action::Quit) => {
                self.force_delete = None;
                ctx.notify("cancelled: nothing was changed", false);
            }
            _ => {}
        }
    }
}
