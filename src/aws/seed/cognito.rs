//! The demo user pool `opsdeck-demo`: tenants modelled as `{tenant}:{role}` groups, with the tenant
//! id also in `custom:tenant_id`, and about sixty users in the states an operator meets (confirmed,
//! waiting for a first password change, disabled, member of two tenants).
//!
//! A second, smaller pool `opsdeck-demo-eu` lives in the `prod` account in eu-west-1 with the
//! European tenants; one of its users has the same username and email as a user of the first
//! pool, so looking that user up across the organisation finds two accounts.

use std::collections::HashSet;

use aws_config::SdkConfig;
use aws_sdk_cognitoidentityprovider::Client as CognitoClient;
use aws_sdk_cognitoidentityprovider::types::{
    AdminCreateUserConfigType, AttributeDataType, AttributeType, MessageActionType,
    SchemaAttributeType, StringAttributeConstraintsType, UserStatusType, VerifiedAttributeType,
};

use super::{Outcome, SeedKind, SeedReport, TENANTS, aws_error};

pub(super) const USER_POOL_NAME: &str = "opsdeck-demo";
pub(super) const EU_USER_POOL_NAME: &str = "opsdeck-demo-eu";

/// The tenants of the eu-west-1 pool: id and display name.
pub(super) const EU_TENANTS: [(&str, &str); 2] = [
    ("wayne", "Wayne Enterprises"),
    ("tyrell", "Tyrell Corporation"),
];

/// The user of the first pool (a consultant of acme and globex) who also works for `wayne`.
pub(super) const SHARED_USERNAME: &str = "elena.eriksen";

/// Roles in precedence order: a user in several role groups of a tenant gets the first.
pub(super) const ROLES: [&str; 3] = ["admin", "member", "readonly"];

const USERS_PER_TENANT: usize = 10;

// The emulator only: these passwords never guard anything real.
const TEMPORARY_PASSWORD: &str = "Demo-Temporary-1!";
const PERMANENT_PASSWORD: &str = "Demo-Password-1!";

const FIRST_NAMES: [&str; 20] = [
    "ava", "ben", "carla", "diego", "elena", "farid", "grace", "hiro", "ines", "jonas", "kemi",
    "liam", "maya", "nikolai", "olga", "pablo", "quinn", "rosa", "sami", "tara",
];
const LAST_NAMES: [&str; 20] = [
    "adams", "brooks", "costa", "dubois", "eriksen", "fischer", "garcia", "haddad", "ivanova",
    "jensen", "kowalski", "lopez", "moreau", "nakamura", "okafor", "petrov", "quist", "rossi",
    "silva", "tanaka",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum UserState {
    Confirmed,
    /// Created by an admin, never signed in: Cognito's FORCE_CHANGE_PASSWORD.
    ForceChangePassword,
    /// Confirmed, then disabled by an admin.
    Disabled,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct DemoUser {
    pub username: String,
    pub email: String,
    pub given_name: String,
    pub family_name: String,
    /// The tenant in `custom:tenant_id`: the user's home tenant.
    pub tenant_id: &'static str,
    /// (tenant, role) pairs; the first is the home tenant.
    pub memberships: Vec<(&'static str, &'static str)>,
    pub state: UserState,
}

pub(super) fn group_name(tenant: &str, role: &str) -> String {
    format!("{tenant}:{role}")
}

fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// The demo users, always the same: ten per tenant (two admins, six members, two read-only).
pub(super) fn demo_users() -> Vec<DemoUser> {
    let mut users = Vec::new();
    for (t, (tenant, _)) in TENANTS.iter().enumerate() {
        for j in 0..USERS_PER_TENANT {
            // Distinct (first, last) pairs: users 20 apart get last names 7 apart.
            let i = t * USERS_PER_TENANT + j;
            let first = FIRST_NAMES[i % 20];
            let last = LAST_NAMES[(i + 7 * (i / 20)) % 20];
            let role = match j {
                0..=1 => "admin",
                2..=7 => "member",
                _ => "readonly",
            };
            let state = match (*tenant, j) {
                ("umbrella", 5) => UserState::Disabled,
                (_, 9) if t < 4 => UserState::ForceChangePassword,
                _ => UserState::Confirmed,
            };
            let mut memberships = vec![(*tenant, role)];
            // A consultant working for two customers.
            if (*tenant, j) == ("acme", 4) {
                memberships.push(("globex", "readonly"));
            }
            users.push(DemoUser {
                username: format!("{first}.{last}"),
                email: format!("{first}.{last}@{tenant}.example"),
                given_name: capitalised(first),
                family_name: capitalised(last),
                tenant_id: tenant,
                memberships,
                state,
            });
        }
    }
    users
}

/// The users of the eu-west-1 pool: a few per tenant, one disabled, and the consultant of the
/// first pool (same username and email) as `wayne`'s read-only user.
pub(super) fn eu_users() -> Vec<DemoUser> {
    let person =
        |first: &str, last: &str, tenant: &'static str, role: &'static str, state: UserState| {
            DemoUser {
                username: format!("{first}.{last}"),
                email: format!("{first}.{last}@{tenant}.example"),
                given_name: capitalised(first),
                family_name: capitalised(last),
                tenant_id: tenant,
                memberships: vec![(tenant, role)],
                state,
            }
        };
    let mut users = vec![
        person("bruce", "wayne", "wayne", "admin", UserState::Confirmed),
        person("lucius", "fox", "wayne", "member", UserState::Confirmed),
        person(
            "alfred",
            "pennyworth",
            "wayne",
            "member",
            UserState::Disabled,
        ),
        person("eldon", "tyrell", "tyrell", "admin", UserState::Confirmed),
        person(
            "rachael",
            "rosen",
            "tyrell",
            "member",
            UserState::ForceChangePassword,
        ),
    ];
    let mut shared = demo_users()
        .into_iter()
        .find(|u| u.username == SHARED_USERNAME)
        .expect("the shared user is one of the demo users");
    shared.tenant_id = "wayne";
    shared.memberships = vec![("wayne", "readonly")];
    users.push(shared);
    users
}

/// The pool of the management account in us-east-1.
pub(super) async fn seed(sdk: &SdkConfig, report: &mut SeedReport) -> anyhow::Result<()> {
    report.user_pool_id = seed_pool(sdk, USER_POOL_NAME, &TENANTS, &demo_users(), report).await?;
    Ok(())
}

/// The pool of the `prod` account in eu-west-1 (`sdk` is that account's, in that region).
pub(super) async fn seed_eu(sdk: &SdkConfig, report: &mut SeedReport) -> anyhow::Result<()> {
    report.eu_user_pool_id =
        seed_pool(sdk, EU_USER_POOL_NAME, &EU_TENANTS, &eu_users(), report).await?;
    Ok(())
}

/// Writes the pool `name` with the groups of `tenants` and `users`; its id.
async fn seed_pool(
    sdk: &SdkConfig,
    name: &str,
    tenants: &[(&str, &str)],
    users: &[DemoUser],
    report: &mut SeedReport,
) -> anyhow::Result<String> {
    let client = CognitoClient::new(sdk);
    let pool_id = ensure_user_pool(&client, name, report).await?;
    ensure_groups(&client, &pool_id, tenants, report).await?;
    for user in users {
        ensure_user(&client, &pool_id, user, report).await?;
    }
    Ok(pool_id)
}

async fn ensure_user_pool(
    client: &CognitoClient,
    name: &str,
    report: &mut SeedReport,
) -> anyhow::Result<String> {
    let mut pages = client
        .list_user_pools()
        .max_results(60)
        .into_paginator()
        .items()
        .send();
    while let Some(pool) = pages.next().await {
        let pool = pool.map_err(aws_error("Cognito ListUserPools"))?;
        if pool.name() == Some(name)
            && let Some(id) = pool.id()
        {
            report.note(SeedKind::UserPool, Outcome::Present);
            return Ok(id.to_owned());
        }
    }

    let created = client
        .create_user_pool()
        .pool_name(name)
        .schema(
            SchemaAttributeType::builder()
                .name("email")
                .attribute_data_type(AttributeDataType::String)
                .required(true)
                .mutable(true)
                .build(),
        )
        .schema(
            SchemaAttributeType::builder()
                .name("tenant_id")
                .attribute_data_type(AttributeDataType::String)
                .mutable(true)
                .string_attribute_constraints(
                    StringAttributeConstraintsType::builder()
                        .min_length("1")
                        .max_length("64")
                        .build(),
                )
                .build(),
        )
        .auto_verified_attributes(VerifiedAttributeType::Email)
        .admin_create_user_config(
            AdminCreateUserConfigType::builder()
                .allow_admin_create_user_only(true)
                .build(),
        )
        .send()
        .await
        .map_err(aws_error("Cognito CreateUserPool"))?;
    report.note(SeedKind::UserPool, Outcome::Created);
    created
        .user_pool()
        .and_then(|p| p.id())
        .map(str::to_owned)
        .ok_or_else(|| anyhow::anyhow!("CreateUserPool returned no pool id"))
}

async fn ensure_groups(
    client: &CognitoClient,
    pool_id: &str,
    tenants: &[(&str, &str)],
    report: &mut SeedReport,
) -> anyhow::Result<()> {
    let mut existing = HashSet::new();
    let mut pages = client
        .list_groups()
        .user_pool_id(pool_id)
        .limit(60)
        .into_paginator()
        .items()
        .send();
    while let Some(group) = pages.next().await {
        let group = group.map_err(aws_error("Cognito ListGroups"))?;
        if let Some(name) = group.group_name() {
            existing.insert(name.to_owned());
        }
    }

    for (tenant, display_name) in tenants {
        for (precedence, role) in (1..).zip(ROLES) {
            let name = group_name(tenant, role);
            if existing.contains(&name) {
                report.note(SeedKind::Group, Outcome::Present);
                continue;
            }
            client
                .create_group()
                .user_pool_id(pool_id)
                .group_name(&name)
                .description(format!("{display_name} — {role}"))
                .precedence(precedence)
                .send()
                .await
                .map_err(aws_error(format!("Cognito CreateGroup {name}")))?;
            report.note(SeedKind::Group, Outcome::Created);
        }
    }
    Ok(())
}

/// Creates the user if missing, then brings status, enablement and group memberships to the
/// planned state, so an interrupted earlier run is completed rather than skipped.
async fn ensure_user(
    client: &CognitoClient,
    pool_id: &str,
    user: &DemoUser,
    report: &mut SeedReport,
) -> anyhow::Result<()> {
    let found = client
        .admin_get_user()
        .user_pool_id(pool_id)
        .username(&user.username)
        .send()
        .await;
    let (status, enabled) = match found {
        Ok(found) => {
            report.note(SeedKind::User, Outcome::Present);
            (found.user_status().cloned(), found.enabled())
        }
        Err(err)
            if err
                .as_service_error()
                .is_some_and(|e| e.is_user_not_found_exception()) =>
        {
            create_user(client, pool_id, user).await?;
            report.note(SeedKind::User, Outcome::Created);
            (Some(UserStatusType::ForceChangePassword), true)
        }
        Err(err) => return Err(aws_error(format!("Cognito AdminGetUser {}", user.username))(err)),
    };

    if user.state != UserState::ForceChangePassword
        && status == Some(UserStatusType::ForceChangePassword)
    {
        client
            .admin_set_user_password()
            .user_pool_id(pool_id)
            .username(&user.username)
            .password(PERMANENT_PASSWORD)
            .permanent(true)
            .send()
            .await
            .map_err(aws_error(format!(
                "Cognito AdminSetUserPassword {}",
                user.username
            )))?;
    }
    for (tenant, role) in &user.memberships {
        // Adding a member twice is a no-op in Cognito, so no need to list memberships first.
        client
            .admin_add_user_to_group()
            .user_pool_id(pool_id)
            .username(&user.username)
            .group_name(group_name(tenant, role))
            .send()
            .await
            .map_err(aws_error(format!(
                "Cognito AdminAddUserToGroup {}",
                user.username
            )))?;
    }
    if user.state == UserState::Disabled && enabled {
        client
            .admin_disable_user()
            .user_pool_id(pool_id)
            .username(&user.username)
            .send()
            .await
            .map_err(aws_error(format!(
                "Cognito AdminDisableUser {}",
                user.username
            )))?;
    }
    Ok(())
}

async fn create_user(client: &CognitoClient, pool_id: &str, user: &DemoUser) -> anyhow::Result<()> {
    let attributes = [
        ("email", user.email.as_str()),
        ("email_verified", "true"),
        ("given_name", user.given_name.as_str()),
        ("family_name", user.family_name.as_str()),
        ("custom:tenant_id", user.tenant_id),
    ];
    let mut request = client
        .admin_create_user()
        .user_pool_id(pool_id)
        .username(&user.username)
        .temporary_password(TEMPORARY_PASSWORD)
        // SUPPRESS: no invitation; RESEND would replace an existing user in the emulator.
        .message_action(MessageActionType::Suppress);
    for (name, value) in attributes {
        request =
            request.user_attributes(AttributeType::builder().name(name).value(value).build()?);
    }
    request.send().await.map_err(aws_error(format!(
        "Cognito AdminCreateUser {}",
        user.username
    )))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sixty_users_with_unique_usernames_and_emails() {
        let users = demo_users();
        assert_eq!(users.len(), 60);
        let names: HashSet<_> = users.iter().map(|u| &u.username).collect();
        let emails: HashSet<_> = users.iter().map(|u| &u.email).collect();
        assert_eq!((names.len(), emails.len()), (60, 60));
        assert!(
            users
                .iter()
                .all(|u| u.username == u.username.to_ascii_lowercase())
        );
    }

    #[test]
    fn every_tenant_has_users_in_every_role() {
        for (tenant, _) in TENANTS {
            for role in ROLES {
                assert!(
                    demo_users()
                        .iter()
                        .any(|u| u.memberships.contains(&(tenant, role))),
                    "nobody is {tenant}:{role}"
                );
            }
        }
    }

    #[test]
    fn exactly_one_user_is_disabled_and_one_belongs_to_two_tenants() {
        let users = demo_users();
        assert_eq!(
            users
                .iter()
                .filter(|u| u.state == UserState::Disabled)
                .count(),
            1
        );
        let multi: Vec<_> = users.iter().filter(|u| u.memberships.len() > 1).collect();
        assert_eq!(multi.len(), 1);
        assert_ne!(multi[0].memberships[0].0, multi[0].memberships[1].0);
    }

    #[test]
    fn a_few_users_wait_for_their_first_password_and_most_are_confirmed() {
        let users = demo_users();
        let waiting = users
            .iter()
            .filter(|u| u.state == UserState::ForceChangePassword)
            .count();
        let confirmed = users
            .iter()
            .filter(|u| u.state == UserState::Confirmed)
            .count();
        assert!((2..=6).contains(&waiting), "{waiting}");
        assert!(confirmed > users.len() / 2);
    }

    #[test]
    fn the_eu_pool_shares_one_user_with_the_first_pool_and_uses_its_own_tenants() {
        let eu = eu_users();
        let first: HashSet<_> = demo_users()
            .into_iter()
            .map(|u| (u.username, u.email))
            .collect();
        let shared: Vec<_> = eu
            .iter()
            .filter(|u| first.contains(&(u.username.clone(), u.email.clone())))
            .collect();
        assert_eq!(shared.len(), 1);
        assert_eq!(shared[0].username, SHARED_USERNAME);
        let eu_tenants: HashSet<&str> = EU_TENANTS.iter().map(|(id, _)| *id).collect();
        for user in &eu {
            for (tenant, role) in &user.memberships {
                assert!(eu_tenants.contains(tenant), "{}: {tenant}", user.username);
                assert!(ROLES.contains(role));
            }
        }
        for (tenant, _) in EU_TENANTS {
            assert!(eu.iter().any(|u| u.memberships[0] == (tenant, "admin")));
        }
        let names: HashSet<_> = eu.iter().map(|u| &u.username).collect();
        assert_eq!(names.len(), eu.len());
    }

    #[test]
    fn the_home_tenant_is_the_first_membership() {
        for user in demo_users() {
            assert_eq!(user.tenant_id, user.memberships[0].0);
            assert!(
                user.email
                    .ends_with(&format!("@{}.example", user.tenant_id))
            );
        }
    }
}
