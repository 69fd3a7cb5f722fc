//! The plans of every change to tenants and users: one step per Cognito call, computed from what
//! the pool holds now, so that a rerun after a failure part-way only makes the missing calls.
//!
//! `ops` names the Cognito calls, `intent` what an operator asked for and how it is planned,
//! `tenant` and `user` the plans themselves; where a plan acts ([`Target`]) and what it depends
//! on ([`PoolFacts`]) are here.

mod intent;
mod ops;
mod tenant;
mod user;

#[cfg(test)]
mod tests;

pub use intent::{Intent, TenantFacts, plan_intent};
pub use ops::{CognitoCall, CognitoOp};
pub use tenant::{delete_tenant, no_admin_by_accident, onboard_tenant};
pub use user::{
    onboard_user, remove_user, resend_invitation, reset_password, set_enabled, set_role,
};

use crate::domain::plan::{Danger, Pace, Plan, Step};

/// What a tenant plan was made from: the rules, the pool, and what the operator asked. The
/// executor plans it again from this on the pool as it is at apply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Basis {
    pub tenancy: crate::domain::tenancy::users::Tenancy,
    pub target: Target,
    pub intent: Intent,
}

/// Where a plan acts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub account_id: String,
    pub region: String,
    pub pool_id: String,
}

impl Target {
    fn plan(&self, title: String, ops: Vec<CognitoOp>, danger: Danger) -> Plan<CognitoCall> {
        Plan {
            basis: None,
            title,
            account_id: self.account_id.clone(),
            region: self.region.clone(),
            steps: ops
                .into_iter()
                .map(|op| Step {
                    service: "cognito-idp",
                    operation: op.operation(),
                    target: op.target().to_owned(),
                    summary: op.summary(),
                    // Creations come in bulk (an import): spaced below AdminCreateUser's quota.
                    pace: if matches!(op, CognitoOp::CreateUser { .. }) {
                        Pace::Creation
                    } else {
                        Pace::Free
                    },
                    action: CognitoCall {
                        account_id: self.account_id.clone(),
                        pool_id: self.pool_id.clone(),
                        op,
                    },
                })
                .collect(),
            danger,
        }
    }
}

/// What the pool holds that a plan depends on.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PoolFacts {
    /// Every group name in the pool.
    pub groups: Vec<String>,
    /// Whether the pool's schema has the tenant attribute.
    pub defines_attribute: bool,
}

impl PoolFacts {
    fn has_group(&self, group: &str) -> bool {
        self.groups.iter().any(|g| g == group)
    }
}
