//! The plans of every change to tenants and users: one step per Cognito call, computed from what
//! the pool holds now, so that a rerun after a failure part-way only makes the missing calls.

use super::users::{Model, Tenancy, UserDetail};
use crate::domain::plan::{Danger, Pace, Plan, Step};
use crate::domain::sanitize::sanitize;

/// One Cognito call: what the executor runs for one plan step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CognitoOp {
    CreateGroup {
        group: String,
        description: String,
        precedence: i32,
    },
    DeleteGroup {
        group: String,
    },
    /// AdminCreateUser with the email verified and the invitation sent by Cognito.
    CreateUser {
        username: String,
        email: String,
        /// Extra attributes, e.g. the tenant attribute.
        attributes: Vec<(String, String)>,
    },
    AddToGroup {
        username: String,
        group: String,
    },
    RemoveFromGroup {
        username: String,
        group: String,
    },
    SetAttributes {
        username: String,
        attributes: Vec<(String, String)>,
    },
    DeleteAttributes {
        username: String,
        names: Vec<String>,
    },
    DeleteUser {
        username: String,
    },
    DisableUser {
        username: String,
    },
    EnableUser {
        username: String,
    },
    ResetPassword {
        username: String,
    },
    /// AdminCreateUser with MessageAction=RESEND (real Cognito resends the invitation).
    ResendInvitation {
        username: String,
    },
}

impl CognitoOp {
    pub fn operation(&self) -> &'static str {
        match self {
            CognitoOp::CreateGroup { .. } => "CreateGroup",
            CognitoOp::DeleteGroup { .. } => "DeleteGroup",
            CognitoOp::CreateUser { .. } | CognitoOp::ResendInvitation { .. } => "AdminCreateUser",
            CognitoOp::AddToGroup { .. } => "AdminAddUserToGroup",
            CognitoOp::RemoveFromGroup { .. } => "AdminRemoveUserFromGroup",
            CognitoOp::SetAttributes { .. } => "AdminUpdateUserAttributes",
            CognitoOp::DeleteAttributes { .. } => "AdminDeleteUserAttributes",
            CognitoOp::DeleteUser { .. } => "AdminDeleteUser",
            CognitoOp::DisableUser { .. } => "AdminDisableUser",
            CognitoOp::EnableUser { .. } => "AdminEnableUser",
            CognitoOp::ResetPassword { .. } => "AdminResetUserPassword",
        }
    }

    /// What the call acts on (a group or a username).
    pub fn target(&self) -> &str {
        match self {
            CognitoOp::CreateGroup { group, .. } | CognitoOp::DeleteGroup { group } => group,
            CognitoOp::CreateUser { username, .. }
            | CognitoOp::AddToGroup { username, .. }
            | CognitoOp::RemoveFromGroup { username, .. }
            | CognitoOp::SetAttributes { username, .. }
            | CognitoOp::DeleteAttributes { username, .. }
            | CognitoOp::DeleteUser { username }
            | CognitoOp::DisableUser { username }
            | CognitoOp::EnableUser { username }
            | CognitoOp::ResetPassword { username }
            | CognitoOp::ResendInvitation { username } => username,
        }
    }

    /// The effect in words (no secrets: there are none in these calls).
    pub fn summary(&self) -> String {
        match self {
            CognitoOp::CreateGroup {
                group, precedence, ..
            } => format!("create group {group} (precedence {precedence})"),
            CognitoOp::DeleteGroup { group } => format!("delete group {group}"),
            CognitoOp::CreateUser {
                email, attributes, ..
            } => {
                let extra: Vec<String> =
                    attributes.iter().map(|(n, v)| format!("{n}={v}")).collect();
                if extra.is_empty() {
                    format!("create user {email}, email verified, send the invitation")
                } else {
                    format!(
                        "create user {email}, email verified, {}, send the invitation",
                        extra.join(", ")
                    )
                }
            }
            CognitoOp::AddToGroup { group, .. } => format!("add to group {group}"),
            CognitoOp::RemoveFromGroup { group, .. } => format!("remove from group {group}"),
            CognitoOp::SetAttributes { attributes, .. } => {
                let set: Vec<String> = attributes.iter().map(|(n, v)| format!("{n}={v}")).collect();
                format!("set {}", set.join(", "))
            }
            CognitoOp::DeleteAttributes { names, .. } => format!("clear {}", names.join(", ")),
            CognitoOp::DeleteUser { .. } => "delete the user".into(),
            CognitoOp::DisableUser { .. } => "disable the user (cannot sign in)".into(),
            CognitoOp::EnableUser { .. } => "enable the user".into(),
            CognitoOp::ResetPassword { .. } => {
                "reset the password (the user must set a new one with a code)".into()
            }
            CognitoOp::ResendInvitation { .. } => "resend the invitation".into(),
        }
    }
}

/// One step's action: a Cognito call in one account's pool.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CognitoCall {
    pub account_id: String,
    pub pool_id: String,
    pub op: CognitoOp,
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
        use super::validate;
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

/// Plan an intent from what the pool holds: `facts`, the user it names (`None` when there is
/// no such user) and, for a tenant deletion, the tenant's user count. `Ok(None)`: nothing to do.
pub fn plan_intent(
    tenancy: &Tenancy,
    target: &Target,
    facts: &PoolFacts,
    intent: &Intent,
    user: Option<&UserDetail>,
    tenant_users: usize,
) -> Result<Option<Plan<CognitoCall>>, String> {
    match (intent, user) {
        (
            Intent::OnboardTenant {
                tenant,
                display_name,
                admin_email,
            },
            admin,
        ) => onboard_tenant(
            tenancy,
            target,
            facts,
            tenant,
            display_name,
            admin_email,
            admin,
        ),
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

/// The calls that put `email` (an existing user, or one to create) into `tenant` with `role`,
/// skipping what is already so. An existing user who has another role in the tenant is left as
/// is (changing roles is `set_role`).
fn join_ops(
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

fn require_tenant(tenancy: &Tenancy, facts: &PoolFacts, tenant: &str) -> Result<(), String> {
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

/// Disable (destructive: the user is locked out) or enable a user; `None` when already so.
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
            Danger::Destructive {
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

#[cfg(test)]
mod tests {
    use super::super::GroupPattern;
    use super::super::users::User;
    use super::*;

    fn tenancy() -> Tenancy {
        Tenancy {
            model: Model::Groups(GroupPattern::parse("{tenant}:{role}").unwrap()),
            roles: ["admin", "member", "readonly"].map(String::from).to_vec(),
            attribute: "custom:tenant_id".into(),
            usernames: Default::default(),
        }
    }

    fn target() -> Target {
        Target {
            account_id: "111111111111".into(),
            region: "eu-west-1".into(),
            pool_id: "eu-west-1_x".into(),
        }
    }

    fn facts(groups: &[&str]) -> PoolFacts {
        PoolFacts {
            groups: groups.iter().map(|g| (*g).to_owned()).collect(),
            defines_attribute: true,
        }
    }

    fn detail(name: &str, groups: &[&str], tenant: Option<&str>) -> UserDetail {
        UserDetail {
            user: User {
                username: name.into(),
                email: format!("{name}@example.com"),
                status: "CONFIRMED".into(),
                enabled: true,
                attributes: tenant
                    .map(|t| vec![("custom:tenant_id".to_owned(), t.to_owned())])
                    .unwrap_or_default(),
                ..User::default()
            },
            groups: groups.iter().map(|g| (*g).to_owned()).collect(),
            ..UserDetail::default()
        }
    }

    fn ops(plan: &Plan<CognitoCall>) -> Vec<String> {
        plan.steps
            .iter()
            .map(|s| format!("{} {}", s.operation, s.summary))
            .collect()
    }

    #[test]
    fn onboarding_a_new_tenant_creates_groups_in_role_order_then_the_admin() {
        let plan = onboard_tenant(
            &tenancy(),
            &target(),
            &facts(&[]),
            "acme",
            "Acme Corp",
            "jane@acme.com",
            None,
        )
        .unwrap()
        .unwrap();
        assert_eq!(
            ops(&plan),
            [
                "CreateGroup create group acme:admin (precedence 1)",
                "CreateGroup create group acme:member (precedence 2)",
                "CreateGroup create group acme:readonly (precedence 3)",
                "AdminCreateUser create user jane@acme.com, email verified, \
                 custom:tenant_id=acme, send the invitation",
                "AdminAddUserToGroup add to group acme:admin",
            ]
        );
        let CognitoOp::CreateGroup { description, .. } = &plan.steps[0].action.op else {
            unreachable!()
        };
        assert_eq!(description, "Acme Corp");
        assert_eq!(plan.steps[0].action.pool_id, "eu-west-1_x");
    }

    #[test]
    fn a_rerun_after_a_partial_failure_only_makes_the_missing_calls() {
        let admin = detail("jane@acme.com", &[], Some("acme"));
        let plan = onboard_tenant(
            &tenancy(),
            &target(),
            &facts(&["acme:admin", "acme:member"]),
            "acme",
            "",
            "jane@acme.com",
            Some(&admin),
        )
        .unwrap()
        .unwrap();
        assert_eq!(
            ops(&plan),
            [
                "CreateGroup create group acme:readonly (precedence 3)",
                "AdminAddUserToGroup add to group acme:admin",
            ]
        );
        let done = detail("jane@acme.com", &["acme:admin"], Some("acme"));
        let complete = onboard_tenant(
            &tenancy(),
            &target(),
            &facts(&["acme:admin", "acme:member", "acme:readonly"]),
            "acme",
            "",
            "jane@acme.com",
            Some(&done),
        )
        .unwrap();
        assert_eq!(complete, None);
    }

    #[test]
    fn an_existing_user_is_added_not_recreated_and_their_tenant_attribute_kept() {
        let user = detail("ava", &["globex:member"], Some("globex"));
        let plan = onboard_user(
            &tenancy(),
            &target(),
            &facts(&["acme:admin", "acme:member"]),
            "acme",
            "ava@example.com",
            "member",
            Some(&user),
        )
        .unwrap()
        .unwrap();
        assert_eq!(ops(&plan), ["AdminAddUserToGroup add to group acme:member"]);
        assert_eq!(plan.steps[0].target, "ava");
    }

    #[test]
    fn onboarding_into_an_unknown_tenant_or_over_another_role_is_refused() {
        let err = onboard_user(
            &tenancy(),
            &target(),
            &facts(&["acme:admin"]),
            "nope",
            "a@b.com",
            "admin",
            None,
        )
        .unwrap_err();
        assert!(err.contains("unknown tenant nope"), "{err}");
        let user = detail("ava", &["acme:admin"], None);
        let err = onboard_user(
            &tenancy(),
            &target(),
            &facts(&["acme:admin", "acme:member"]),
            "acme",
            "ava@example.com",
            "member",
            Some(&user),
        )
        .unwrap_err();
        assert!(err.contains("set-role"), "{err}");
    }

    #[test]
    fn set_role_adds_the_new_role_before_removing_the_old() {
        let user = detail("ava", &["acme:member", "globex:admin"], None);
        let plan = set_role(&tenancy(), &target(), &user, "acme", "admin")
            .unwrap()
            .unwrap();
        assert_eq!(
            ops(&plan),
            [
                "AdminAddUserToGroup add to group acme:admin",
                "AdminRemoveUserFromGroup remove from group acme:member",
            ]
        );
        let same = detail("ava", &["acme:admin"], None);
        assert_eq!(
            set_role(&tenancy(), &target(), &same, "acme", "admin").unwrap(),
            None
        );
        assert!(set_role(&tenancy(), &target(), &same, "globex", "admin").is_err());
    }

    #[test]
    fn removing_deletes_the_user_only_when_asked_and_in_no_other_tenant() {
        let two = detail("ava", &["acme:member", "globex:admin"], None);
        let plan = remove_user(&tenancy(), &target(), &two, "acme", true).unwrap();
        assert_eq!(
            ops(&plan),
            ["AdminRemoveUserFromGroup remove from group acme:member"]
        );
        assert_eq!(
            plan.danger,
            Danger::Destructive {
                confirm_text: "ava".into()
            }
        );
        let one = detail("ava", &["acme:member"], None);
        let plan = remove_user(&tenancy(), &target(), &one, "acme", true).unwrap();
        assert_eq!(plan.steps.last().unwrap().operation, "AdminDeleteUser");
        let plan = remove_user(&tenancy(), &target(), &one, "acme", false).unwrap();
        assert_eq!(plan.steps.len(), 1);
    }

    #[test]
    fn with_uuid_usernames_a_new_user_gets_a_uuid_and_an_existing_one_is_not_recreated() {
        let t = Tenancy {
            usernames: super::super::users::Usernames::Uuid,
            ..tenancy()
        };
        let f = facts(&["acme:admin", "acme:member"]);
        let plan = onboard_user(&t, &target(), &f, "acme", "ava@x.com", "member", None)
            .unwrap()
            .unwrap();
        let CognitoOp::CreateUser {
            username, email, ..
        } = &plan.steps[0].action.op
        else {
            panic!("{:?}", plan.steps[0])
        };
        assert_eq!(email, "ava@x.com");
        assert!(uuid::Uuid::parse_str(username).is_ok(), "{username}");
        // Every later call names the user by the same username.
        assert_eq!(plan.steps[1].target, *username);
        // Found by email (as the lookup does), the user is added, not created again.
        let existing = detail("0b7c1a3e-5f0a-4c61-9d7e-2f1b8e4a6c90", &[], Some("acme"));
        let plan = onboard_user(
            &t,
            &target(),
            &f,
            "acme",
            "ava@x.com",
            "member",
            Some(&existing),
        )
        .unwrap()
        .unwrap();
        assert_eq!(plan.steps.len(), 1);
        assert_eq!(plan.steps[0].operation, "AdminAddUserToGroup");
        assert_eq!(plan.steps[0].target, existing.user.username);
    }

    #[test]
    fn attribute_model_keeps_one_tenant_per_user() {
        let t = Tenancy {
            model: Model::Attribute,
            ..tenancy()
        };
        let user = detail("ava", &["member"], Some("globex"));
        let err = onboard_user(
            &t,
            &target(),
            &facts(&["admin", "member"]),
            "acme",
            "ava@x.com",
            "member",
            Some(&user),
        )
        .unwrap_err();
        assert!(err.contains("belongs to tenant globex"), "{err}");
        let plan = remove_user(&t, &target(), &user, "globex", false).unwrap();
        assert_eq!(plan.steps[1].operation, "AdminDeleteUserAttributes");
        let no_attribute = PoolFacts {
            defines_attribute: false,
            ..facts(&["admin"])
        };
        let err =
            onboard_tenant(&t, &target(), &no_attribute, "acme", "", "a@b.com", None).unwrap_err();
        assert!(err.contains("has no attribute custom:tenant_id"), "{err}");
    }

    #[test]
    fn delete_tenant_is_refused_while_it_has_users_unless_forced() {
        let f = facts(&["acme:admin", "acme:member"]);
        let err = delete_tenant(&tenancy(), &target(), &f, "acme", 3, false).unwrap_err();
        assert!(err.contains("--force"), "{err}");
        let plan = delete_tenant(&tenancy(), &target(), &f, "acme", 3, true).unwrap();
        assert_eq!(plan.steps.len(), 2);
        assert_eq!(
            plan.danger,
            Danger::Destructive {
                confirm_text: "acme".into()
            }
        );
        assert!(delete_tenant(&tenancy(), &target(), &f, "zzz", 0, false).is_err());
    }

    #[test]
    fn disable_is_destructive_enable_is_not_and_no_op_gives_no_plan() {
        let user = detail("ava", &[], None);
        assert!(set_enabled(&target(), &user, true).is_none());
        let plan = set_enabled(&target(), &user, false).unwrap();
        assert!(matches!(plan.danger, Danger::Destructive { .. }));
    }

    #[test]
    fn invitations_are_resent_only_to_users_who_never_signed_in() {
        let mut user = detail("ava", &[], None);
        assert!(resend_invitation(&target(), &user).is_err());
        user.user.status = "FORCE_CHANGE_PASSWORD".into();
        let plan = resend_invitation(&target(), &user).unwrap();
        assert_eq!(plan.steps[0].operation, "AdminCreateUser");
        let err = reset_password(&target(), &user).unwrap_err();
        assert!(err.contains("resend the invitation"), "{err}");
    }
}
