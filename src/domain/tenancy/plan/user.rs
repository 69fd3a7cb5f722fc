//! The plans of a user: joining a tenant, changing role, removal, enabling and disabling,
//! password reset and a new invitation.

use super::tenant::require_tenant;
use super::{CognitoCall, CognitoOp, PoolFacts, Target};
use crate::domain::plan::{Danger, Plan};
use crate::domain::sanitize::sanitize;
use crate::domain::tenancy::users::{Model, Tenancy, UserDetail};

/// The calls that put `email` (an existing user, or one to create) into `tenant` with `role`,
/// skipping what is already so. An existing user who has another role in the tenant is left as
/// is (changing roles is `set_role`).
pub(super) fn join_ops(
    tenancy: &Tenancy,
    facts: &PoolFacts,
    tenant: &str,
    role: &str,
    email: &str,
    existing: Option<&UserDetail>,
) -> Result<Vec<CognitoOp>, String> {
    if tenancy.model == Model::Attribute && !facts.defines_attribute {
        return Err(format!(
            "the pool has no attribute {}: in the attribute model it holds the tenant id; add it \
             to the pool's schema or set cognito.tenant_attribute",
            tenancy.attribute
        ));
    }
    let group = tenancy.role_group(tenant, role);
    let tenant_attribute = || {
        facts
            .defines_attribute
            .then(|| (tenancy.attribute.clone(), tenant.to_owned()))
    };
    let Some(user) = existing else {
        let username = tenancy.new_username(email);
        return Ok(vec![
            CognitoOp::CreateUser {
                username: username.clone(),
                email: email.to_owned(),
                attributes: tenant_attribute().into_iter().collect(),
            },
            CognitoOp::AddToGroup { username, group },
        ]);
    };
    let username = user.user.username.clone();
    let mut ops = Vec::new();
    match user
        .user
        .attribute(&tenancy.attribute)
        .filter(|v| !v.is_empty())
    {
        Some(other) if other != tenant && tenancy.model == Model::Attribute => {
            return Err(format!(
                "user {} belongs to tenant {} ({}); in the attribute model a user has one \
                 tenant: remove them from it first",
                sanitize(&username),
                sanitize(other),
                tenancy.attribute
            ));
        }
        Some(_) => {}
        // Never overwrite a user's home tenant; set it only when it is empty.
        None => {
            if let Some(attr) = tenant_attribute() {
                ops.push(CognitoOp::SetAttributes {
                    username: username.clone(),
                    attributes: vec![attr],
                });
            }
        }
    }
    let held = tenancy.roles_in(&user.user, &user.groups, tenant);
    if held.is_empty() {
        ops.push(CognitoOp::AddToGroup { username, group });
    }
    Ok(ops)
}

/// Onboard a user into an existing tenant with a role; existing users are added, not recreated.
pub fn onboard_user(
    tenancy: &Tenancy,
    target: &Target,
    facts: &PoolFacts,
    tenant: &str,
    email: &str,
    role: &str,
    existing: Option<&UserDetail>,
) -> Result<Option<Plan<CognitoCall>>, String> {
    require_tenant(tenancy, facts, tenant)?;
    if !facts.has_group(&tenancy.role_group(tenant, role)) {
        return Err(format!(
            "tenant {} has no group for role {role}: rerun `tenants create` to complete it",
            sanitize(tenant)
        ));
    }
    if let Some(user) = existing {
        let held = tenancy.roles_in(&user.user, &user.groups, tenant);
        if !held.is_empty() && !held.iter().any(|r| r == role) {
            return Err(format!(
                "{} is already in tenant {} as {}; change the role with `users set-role`",
                sanitize(&user.user.username),
                sanitize(tenant),
                held.join(", ")
            ));
        }
    }
    let ops = join_ops(tenancy, facts, tenant, role, email, existing)?;
    if ops.is_empty() {
        return Ok(None);
    }
    let title = format!(
        "Onboard {} into tenant {} as {role}",
        sanitize(email),
        sanitize(tenant)
    );
    Ok(Some(target.plan(title, ops, Danger::Normal)))
}

/// Change a user's role in a tenant: add to the new role's group first, then remove from the old
/// ones, so the user never has no role. `Ok(None)` when the user already has exactly that role.
pub fn set_role(
    tenancy: &Tenancy,
    target: &Target,
    user: &UserDetail,
    tenant: &str,
    role: &str,
) -> Result<Option<Plan<CognitoCall>>, String> {
    let held = tenancy.roles_in(&user.user, &user.groups, tenant);
    if held.is_empty() {
        return Err(format!(
            "{} is not in tenant {}; onboard them with `users onboard`",
            sanitize(&user.user.username),
            sanitize(tenant)
        ));
    }
    let username = user.user.username.clone();
    let mut ops = Vec::new();
    if !held.iter().any(|r| r == role) {
        ops.push(CognitoOp::AddToGroup {
            username: username.clone(),
            group: tenancy.role_group(tenant, role),
        });
    }
    for old in held.iter().filter(|r| *r != role) {
        ops.push(CognitoOp::RemoveFromGroup {
            username: username.clone(),
            group: tenancy.role_group(tenant, old),
        });
    }
    if ops.is_empty() {
        return Ok(None);
    }
    let title = format!(
        "Make {} {role} of tenant {} (was {})",
        sanitize(&username),
        sanitize(tenant),
        held.join(", ")
    );
    Ok(Some(target.plan(title, ops, Danger::Normal)))
}

/// Remove a user from a tenant (every role group of it; in the attribute model also the tenant
/// attribute). With `delete_if_orphan`, the user is then deleted when they belong to no tenant
/// any more. Destructive: the username must be typed.
pub fn remove_user(
    tenancy: &Tenancy,
    target: &Target,
    user: &UserDetail,
    tenant: &str,
    delete_if_orphan: bool,
) -> Result<Plan<CognitoCall>, String> {
    let held = tenancy.roles_in(&user.user, &user.groups, tenant);
    if held.is_empty() {
        return Err(format!(
            "{} is not in tenant {}",
            sanitize(&user.user.username),
            sanitize(tenant)
        ));
    }
    let username = user.user.username.clone();
    let mut ops: Vec<CognitoOp> = held
        .iter()
        .map(|role| CognitoOp::RemoveFromGroup {
            username: username.clone(),
            group: tenancy.role_group(tenant, role),
        })
        .collect();
    if tenancy.model == Model::Attribute {
        ops.push(CognitoOp::DeleteAttributes {
            username: username.clone(),
            names: vec![tenancy.attribute.clone()],
        });
    }
    let others = tenancy
        .memberships(&user.user, &user.groups)
        .iter()
        .any(|m| m.tenant != tenant);
    let deleting = delete_if_orphan && !others;
    if deleting {
        ops.push(CognitoOp::DeleteUser {
            username: username.clone(),
        });
    }
    let title = if deleting {
        format!(
            "Remove {} from tenant {} and delete the user",
            sanitize(&username),
            sanitize(tenant)
        )
    } else {
        format!(
            "Remove {} from tenant {}",
            sanitize(&username),
            sanitize(tenant)
        )
    };
    Ok(target.plan(
        title,
        ops,
        Danger::Destructive {
            confirm_text: username,
        },
    ))
}

/// Disable (typed confirmation: the user is locked out at once, until enabled again) or enable a
/// user; `None` when already so.
pub fn set_enabled(target: &Target, user: &UserDetail, enabled: bool) -> Option<Plan<CognitoCall>> {
    if user.user.enabled == enabled {
        return None;
    }
    let username = user.user.username.clone();
    Some(if enabled {
        target.plan(
            format!("Enable {}", sanitize(&username)),
            vec![CognitoOp::EnableUser { username }],
            Danger::Normal,
        )
    } else {
        target.plan(
            format!("Disable {}", sanitize(&username)),
            vec![CognitoOp::DisableUser {
                username: username.clone(),
            }],
            Danger::Reversible {
                undo: format!(
                    "enable the user again (`opsdeck users enable {username}`, or enable in the \
                     user's actions in the dashboard)"
                ),
                confirm_text: username,
            },
        )
    })
}

/// Reset a user's password: they must choose a new one with a code sent to them.
pub fn reset_password(target: &Target, user: &UserDetail) -> Result<Plan<CognitoCall>, String> {
    let username = user.user.username.clone();
    if user.user.status == "FORCE_CHANGE_PASSWORD" {
        // Cognito refuses (NotAuthorizedException): the user has only a temporary password.
        return Err(format!(
            "{} has never signed in (FORCE_CHANGE_PASSWORD): resend the invitation instead",
            sanitize(&username)
        ));
    }
    let verified = |name: &str| user.user.attribute(name) == Some("true");
    if !verified("email_verified") && !verified("phone_number_verified") {
        // Cognito refuses (InvalidParameterException): the code would have nowhere to go.
        return Err(format!(
            "{} has no verified email or phone number to send the reset code to",
            sanitize(&username)
        ));
    }
    Ok(target.plan(
        format!("Reset the password of {}", sanitize(&username)),
        vec![CognitoOp::ResetPassword {
            username: username.clone(),
        }],
        Danger::Destructive {
            confirm_text: username,
        },
    ))
}

/// Resend the invitation: only for users who never signed in (FORCE_CHANGE_PASSWORD).
pub fn resend_invitation(target: &Target, user: &UserDetail) -> Result<Plan<CognitoCall>, String> {
    let username = user.user.username.clone();
    if user.user.status != "FORCE_CHANGE_PASSWORD" {
        return Err(format!(
            "{} is {}, not waiting for a first sign-in: there is no invitation to resend \
             (reset the password instead)",
            sanitize(&username),
            sanitize(&user.user.status)
        ));
    }
    Ok(target.plan(
        format!("Resend the invitation to {}", sanitize(&username)),
        vec![CognitoOp::ResendInvitation { username }],
        Danger::Normal,
    ))
}
