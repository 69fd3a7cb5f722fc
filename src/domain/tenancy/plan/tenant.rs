//! The plans of a tenant: onboarding it (its role groups and first admin) and deleting it.

use super::user::join_ops;
use super::{CognitoCall, CognitoOp, PoolFacts, Target};
use crate::domain::plan::{Danger, Plan};
use crate::domain::sanitize::sanitize;
use crate::domain::tenancy::users::{Model, Tenancy, User, UserDetail};

/// Creating a tenant never grants admin by accident: when the tenant already has admins
/// (`admins`, the members of its admin role) and `admin_email` (found as `admin`, if in the pool)
/// is none of them, the creation is refused, naming the admins and the command that adds an admin
/// on purpose. A rerun with the same admin, and a tenant left without an admin by a failed run,
/// pass.
pub fn no_admin_by_accident(
    tenancy: &Tenancy,
    tenant: &str,
    admin_email: &str,
    admin: Option<&UserDetail>,
    admins: &[User],
) -> Result<(), String> {
    let is_them = |a: &User| {
        a.email.eq_ignore_ascii_case(admin_email)
            || a.username.eq_ignore_ascii_case(admin_email)
            || admin.is_some_and(|d| d.user.username == a.username)
    };
    if admins.is_empty() || admins.iter().any(is_them) {
        return Ok(());
    }
    let mut names: Vec<&str> = admins
        .iter()
        .map(|a| {
            if a.email.is_empty() {
                a.username.as_str()
            } else {
                a.email.as_str()
            }
        })
        .collect();
    names.sort_unstable();
    names.dedup();
    Err(format!(
        "tenant {tenant} already exists, with admin(s) {admins}; nothing was changed. \
         `tenants create` does not make {email} an admin of an existing tenant (check the tenant \
         id). To add an admin on purpose: opsdeck users onboard --tenant {tenant} --email {email} \
         --role {role}",
        tenant = sanitize(tenant),
        admins = sanitize(&names.join(", ")),
        email = sanitize(admin_email),
        role = sanitize(tenancy.admin_role()),
    ))
}

/// Onboard a tenant: its role groups (precedence by role order), its first admin created (or an
/// existing user added) and put in the admin group. Only the missing steps; `Ok(None)` when the
/// tenant is already complete.
pub fn onboard_tenant(
    tenancy: &Tenancy,
    target: &Target,
    facts: &PoolFacts,
    tenant: &str,
    display_name: &str,
    admin_email: &str,
    admin: Option<&UserDetail>,
) -> Result<Option<Plan<CognitoCall>>, String> {
    let mut ops = Vec::new();
    for (precedence, role) in (1..).zip(&tenancy.roles) {
        let group = tenancy.role_group(tenant, role);
        if !facts.has_group(&group) {
            // The display name is the tenant's description (read back from its groups).
            let description = match (&tenancy.model, display_name.is_empty()) {
                (Model::Attribute, _) => format!("role {role}"),
                (Model::Groups(_), true) => String::new(),
                (Model::Groups(_), false) => display_name.to_owned(),
            };
            ops.push(CognitoOp::CreateGroup {
                group,
                description,
                precedence,
            });
        }
    }
    ops.extend(join_ops(
        tenancy,
        facts,
        tenant,
        tenancy.admin_role(),
        admin_email,
        admin,
    )?);
    if ops.is_empty() {
        return Ok(None);
    }
    let title = format!(
        "Onboard tenant {tenant} with admin {admin_email}",
        tenant = sanitize(tenant),
        admin_email = sanitize(admin_email)
    );
    Ok(Some(target.plan(title, ops, Danger::Normal)))
}

pub(super) fn require_tenant(
    tenancy: &Tenancy,
    facts: &PoolFacts,
    tenant: &str,
) -> Result<(), String> {
    let known = match &tenancy.model {
        Model::Groups(_) => tenancy
            .roles
            .iter()
            .any(|r| facts.has_group(&tenancy.role_group(tenant, r))),
        // A tenant of the attribute model exists once it has a user: any id is acceptable.
        Model::Attribute => true,
    };
    if known {
        Ok(())
    } else {
        Err(format!(
            "unknown tenant {}: no group of it in the pool (see `opsdeck tenants list`)",
            sanitize(tenant)
        ))
    }
}

/// Delete a tenant's role groups (groups model). Refused while it has users unless `force`
/// (deleting a group removes its members from it). Destructive: the tenant id must be typed.
pub fn delete_tenant(
    tenancy: &Tenancy,
    target: &Target,
    facts: &PoolFacts,
    tenant: &str,
    users: usize,
    force: bool,
) -> Result<Plan<CognitoCall>, String> {
    if tenancy.model == Model::Attribute {
        return Err(
            "in the attribute model a tenant is the tenant attribute of its users, not groups: \
             remove its users with `users remove` instead"
                .into(),
        );
    }
    require_tenant(tenancy, facts, tenant)?;
    if users > 0 && !force {
        return Err(format!(
            "tenant {} still has {users} user(s); remove them first, or pass --force to delete \
             its groups anyway (the users stay in the pool)",
            sanitize(tenant)
        ));
    }
    let ops: Vec<CognitoOp> = tenancy
        .roles
        .iter()
        .map(|r| tenancy.role_group(tenant, r))
        .filter(|g| facts.has_group(g))
        .map(|group| CognitoOp::DeleteGroup { group })
        .collect();
    Ok(target.plan(
        format!("Delete tenant {} ({users} user(s))", sanitize(tenant)),
        ops,
        Danger::Destructive {
            confirm_text: tenant.to_owned(),
        },
    ))
}
