//! The pool with the SDK, straight to the emulator (never through the proxy): setting it up, and
//! reading its state, normalised, as a comparable `Snapshot`.

use std::collections::{BTreeMap, BTreeSet};

use aws_sdk_cognitoidentityprovider::Client as Cognito;
use aws_sdk_cognitoidentityprovider::types::{AttributeType, MessageActionType};

use crate::support;

/// A pool whose schema has `custom:tenant_id`, as a multi-tenant pool has.
pub(crate) async fn pool(cognito: &Cognito) -> String {
    support::user_pool(cognito, "faults", true).await
}

pub(crate) async fn group(
    cognito: &Cognito,
    pool: &str,
    name: &str,
    description: &str,
    precedence: i32,
) {
    cognito
        .create_group()
        .user_pool_id(pool)
        .group_name(name)
        .description(description)
        .precedence(precedence)
        .send()
        .await
        .unwrap();
}

fn attr(name: &str, value: &str) -> AttributeType {
    AttributeType::builder()
        .name(name)
        .value(value)
        .build()
        .unwrap()
}

/// A user named `name` (its email is `name`, or `name@example.com` when it is no address).
pub(crate) async fn user(
    cognito: &Cognito,
    pool: &str,
    name: &str,
    tenant: Option<&str>,
    groups: &[&str],
) {
    let email = if name.contains('@') {
        name.to_owned()
    } else {
        format!("{name}@example.com")
    };
    let mut request = cognito
        .admin_create_user()
        .user_pool_id(pool)
        .username(name)
        .message_action(MessageActionType::Suppress)
        .user_attributes(attr("email", &email))
        .user_attributes(attr("email_verified", "true"));
    if let Some(t) = tenant {
        request = request.user_attributes(attr("custom:tenant_id", t));
    }
    request.send().await.unwrap();
    for g in groups {
        cognito
            .admin_add_user_to_group()
            .user_pool_id(pool)
            .username(name)
            .group_name(*g)
            .send()
            .await
            .unwrap();
    }
}

// ---------------------------------------------------------------------------------------------
// The pool's state, normalised

/// What a run leaves in the pool, with ids, dates and generated usernames left out: users are
/// keyed by email (the test fails if two users share one), memberships name users by email.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Snapshot {
    /// name → (description, precedence)
    groups: BTreeMap<String, (String, Option<i32>)>,
    /// email → user
    users: BTreeMap<String, UserState>,
    /// group → emails of its members
    members: BTreeMap<String, BTreeSet<String>>,
}

#[derive(Debug, PartialEq, Eq)]
struct UserState {
    /// The username, or `<uuid>` for a generated UUID v4.
    username: String,
    status: String,
    enabled: bool,
    /// Every attribute but `sub` (a generated id).
    attributes: BTreeMap<String, String>,
}

pub(crate) fn normalise(text: &str) -> String {
    match uuid::Uuid::parse_str(text) {
        Ok(u) if u.get_version_num() == 4 => "<uuid>".to_owned(),
        _ => text.to_owned(),
    }
}

pub(crate) async fn snapshot(cognito: &Cognito, pool: &str) -> Snapshot {
    let mut groups = BTreeMap::new();
    let mut pages = cognito
        .list_groups()
        .user_pool_id(pool)
        .limit(60)
        .into_paginator()
        .items()
        .send();
    while let Some(g) = pages.next().await {
        let g = g.unwrap();
        groups.insert(
            g.group_name().unwrap().to_owned(),
            (
                g.description().unwrap_or_default().to_owned(),
                g.precedence(),
            ),
        );
    }
    let mut users = BTreeMap::new();
    let mut email_of = BTreeMap::new();
    let mut pages = cognito
        .list_users()
        .user_pool_id(pool)
        .limit(60)
        .into_paginator()
        .items()
        .send();
    while let Some(u) = pages.next().await {
        let u = u.unwrap();
        let attributes: BTreeMap<String, String> = u
            .attributes()
            .iter()
            .filter(|a| a.name() != "sub")
            .map(|a| {
                (
                    a.name().to_owned(),
                    a.value().unwrap_or_default().to_owned(),
                )
            })
            .collect();
        let email = attributes.get("email").cloned().unwrap_or_default();
        let username = u.username().unwrap().to_owned();
        email_of.insert(username.clone(), email.clone());
        let state = UserState {
            username: normalise(&username),
            status: u.user_status().map(|s| s.as_str().to_owned()).unwrap(),
            enabled: u.enabled(),
            attributes,
        };
        if let Some(other) = users.insert(email.clone(), state) {
            panic!("two users with the email {email}: {other:?} and {username}");
        }
    }
    let mut members = BTreeMap::new();
    for g in groups.keys() {
        let mut pages = cognito
            .list_users_in_group()
            .user_pool_id(pool)
            .group_name(g)
            .limit(60)
            .into_paginator()
            .items()
            .send();
        let mut emails = BTreeSet::new();
        while let Some(u) = pages.next().await {
            let name = u.unwrap().username().unwrap().to_owned();
            emails.insert(email_of[&name].clone());
        }
        members.insert(g.clone(), emails);
    }
    Snapshot {
        groups,
        users,
        members,
    }
}
