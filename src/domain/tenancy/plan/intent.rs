//! What an operator asks for ([`Intent`]), checked before AWS is asked, and planned from what the
//! pool holds ([`plan_intent`]).

use super::{
    CognitoCall, PoolFacts, Target, delete_tenant, no_admin_by_accident, onboard_tenant,
    onboard_user, remove_user, resend_invitation, reset_password, set_enabled, set_role,
};
use crate::domain::plan::Plan;
use crate::domain::sanitize::sanitize;
use crate::domain::tenancy::users::{Tenancy, User, UserDetail};

/// A change an operator asked for, before the pool was read to plan it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Intent {
    OnboardTenant {
        tenant: String,
        display_name: String,
        admin_email: String,
    },
    DeleteTenant {
        tenant: String,
        force: bool,
    },
    OnboardUser {
        tenant: String,
        email: String,
        role: String,
    },
    SetRole {
        username: String,
        tenant: String,
        role: String,
    },
    Remove {
        username: String,
        tenant: String,
        delete_user: bool,
    },
    SetEnabled {
        username: String,
        enabled: bool,
    },
    ResetPassword {
        username: String,
    },
    ResendInvitation {
        username: String,
    },
}

impl Intent {
    /// Check what can be checked without AWS; returns the intent with the email normalised.
    pub fn validated(self, tenancy: &Tenancy) -> Result<Intent, String> {
        use crate::domain::tenancy::validate;
        Ok(match self {
            Intent::OnboardTenant {
                tenant,
                display_name,
                admin_email,
            } => {
                validate::tenant_id(tenancy, &tenant)?;
                validate::description(&display_name)?;
                Intent::OnboardTenant {
                    tenant,
                    display_name,
                    admin_email: validate::email(&admin_email)?,
                }
            }
            Intent::OnboardUser {
                tenant,
                email,
                role,
            } => {
                validate::tenant_id(tenancy, &tenant)?;
                validate::role(tenancy, &role)?;
                Intent::OnboardUser {
                    tenant,
                    email: validate::email(&email)?,
                    role,
                }
            }
            Intent::SetRole {
                username,
                tenant,
                role,
            } => {
                validate::username(&username)?;
                validate::role(tenancy, &role)?;
                Intent::SetRole {
                    username,
                    tenant,
                    role,
                }
            }
            other => other,
        })
    }

    /// The user the plan depends on, if any (looked up by username, then by email).
    pub fn user(&self) -> Option<&str> {
        match self {
            Intent::OnboardTenant { admin_email, .. } => Some(admin_email),
            Intent::OnboardUser { email, .. } => Some(email),
            Intent::SetRole { username, .. }
            | Intent::Remove { username, .. }
            | Intent::SetEnabled { username, .. }
            | Intent::ResetPassword { username }
            | Intent::ResendInvitation { username } => Some(username),
            Intent::DeleteTenant { .. } => None,
        }
    }

    /// What "nothing to do" means for this intent.
    pub fn nothing_to_do(&self) -> String {
        match self {
            Intent::OnboardTenant {
                tenant,
                admin_email,
                ..
            } => format!(
                "tenant {} already exists with every role group and {} as admin: nothing to do",
                sanitize(tenant),
                sanitize(admin_email)
            ),
            Intent::OnboardUser {
                tenant,
                email,
                role,
            } => format!(
                "{} is already {role} of tenant {}: nothing to do",
                sanitize(email),
                sanitize(tenant)
            ),
            Intent::SetRole {
                username,
                tenant,
                role,
            } => format!(
                "{} is already {role} of tenant {}: nothing to do",
                sanitize(username),
                sanitize(tenant)
            ),
            Intent::SetEnabled { username, enabled } => format!(
                "{} is already {}: nothing to do",
                sanitize(username),
                if *enabled { "enabled" } else { "disabled" }
            ),
            _ => "nothing to do".into(),
        }
    }
}

/// What the pool holds about the tenant an intent names, beyond [`PoolFacts`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TenantFacts {
    /// Its user count (read for a deletion).
    pub users: usize,
    /// Its admins (read for a creation): see [`no_admin_by_accident`].
    pub admins: Vec<User>,
}

/// Plan an intent from what the pool holds: `facts`, the user it names (`None` when there is
/// no such user) and what `tenant` says of the tenant it names. `Ok(None)`: nothing to do.
pub fn plan_intent(
    tenancy: &Tenancy,
    target: &Target,
    facts: &PoolFacts,
    intent: &Intent,
    user: Option<&UserDetail>,
    tenant: &TenantFacts,
) -> Result<Option<Plan<CognitoCall>>, String> {
    let tenant_users = tenant.users;
    match (intent, user) {
        (
            Intent::OnboardTenant {
                tenant: id,
                display_name,
                admin_email,
            },
            admin,
        ) => {
            no_admin_by_accident(tenancy, id, admin_email, admin, &tenant.admins)?;
            onboard_tenant(tenancy, target, facts, id, display_name, admin_email, admin)
        }
        (Intent::DeleteTenant { tenant, force }, _) => {
            delete_tenant(tenancy, target, facts, tenant, tenant_users, *force).map(Some)
        }
        (
            Intent::OnboardUser {
                tenant,
                email,
                role,
            },
            existing,
        ) => onboard_user(tenancy, target, facts, tenant, email, role, existing),
        (Intent::SetRole { tenant, role, .. }, Some(u)) => {
            set_role(tenancy, target, u, tenant, role)
        }
        (
            Intent::Remove {
                tenant,
                delete_user,
                ..
            },
            Some(u),
        ) => remove_user(tenancy, target, u, tenant, *delete_user).map(Some),
        (Intent::SetEnabled { enabled, .. }, Some(u)) => Ok(set_enabled(target, u, *enabled)),
        (Intent::ResetPassword { .. }, Some(u)) => reset_password(target, u).map(Some),
        (Intent::ResendInvitation { .. }, Some(u)) => resend_invitation(target, u).map(Some),
        (_, None) => Err(format!(
            "unknown user {}: no such username or email in pool {}",
            sanitize(intent.user().unwrap_or_default()),
            sanitize(&target.pool_id)
        )),
    }
}
