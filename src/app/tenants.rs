//! The Tenants view: the user pool (configured, or chosen from the account's pools), then its
//! tenants as the `groups` model derives them from group names.

use chrono::{DateTime, Utc};

use super::list::ListPane;
use super::loadable::RequestId;
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

    /// Apply the pool's groups; false when stale.
    pub fn groups_loaded(
        &mut self,
        request: RequestId,
        result: Result<Vec<Group>, ServiceError>,
        at: DateTime<Utc>,
    ) -> bool {
        if !self.tenants.list.awaits(request) {
            return false;
        }
        let result = result.map(|groups| {
            let (tenants, other) =
                tenants_from_groups(&groups, &self.settings.pattern, &self.settings.roles);
            self.other_groups = other;
            tenants
        });
        self.tenants.loaded(request, result, at)
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
