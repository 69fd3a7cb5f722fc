//! The Tenants pane's adapter, planning and commands against the emulator, each test in an
//! account of its own with a pool it builds itself.

#[path = "../support/mod.rs"]
mod support;

mod adapter;
mod import;
mod listing;
mod onboarding;
mod refusals;
mod users;

use std::path::Path;
use std::process::Output;

use aws_sdk_cognitoidentityprovider::Client as Cognito;
use aws_sdk_cognitoidentityprovider::types::{AttributeType, MessageActionType};
use serde_json::Value;

use opsdeck::aws::{Aws, AwsSettings};
use opsdeck::domain::tenancy::GroupPattern;
use opsdeck::domain::tenancy::users::{Model, Tenancy, Usernames};

fn run(cmd: &mut std::process::Command) -> Output {
    let out = cmd.output().expect("run opsdeck");
    eprintln!(
        "stderr of {:?}:\n{}",
        cmd.get_args().collect::<Vec<_>>(),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {}", stdout(out)))
}

fn aws(account: &support::TestAccount) -> Aws {
    Aws::new(
        account.sdk.clone(),
        AwsSettings {
            max_attempts: 2,
            ..AwsSettings::default()
        },
    )
}

fn groups_model() -> Tenancy {
    Tenancy {
        model: Model::Groups(GroupPattern::parse("{tenant}:{role}").unwrap()),
        roles: ["admin", "member", "readonly"].map(String::from).to_vec(),
        attribute: "custom:tenant_id".into(),
        usernames: Usernames::Email,
    }
}

/// A pool with the `custom:tenant_id` attribute, as a real multi-tenant pool has.
async fn pool(cognito: &Cognito, name: &str) -> String {
    support::user_pool(cognito, name, true).await
}

async fn group(cognito: &Cognito, pool: &str, name: &str, description: &str) {
    cognito
        .create_group()
        .user_pool_id(pool)
        .group_name(name)
        .description(description)
        .send()
        .await
        .unwrap();
}

/// A user (invitation suppressed: the emulator sends nothing anyway) in the given groups.
async fn user(cognito: &Cognito, pool: &str, name: &str, tenant: Option<&str>, groups: &[&str]) {
    let mut request = cognito
        .admin_create_user()
        .user_pool_id(pool)
        .username(name)
        .message_action(MessageActionType::Suppress)
        .user_attributes(
            AttributeType::builder()
                .name("email")
                .value(format!("{name}@example.com"))
                .build()
                .unwrap(),
        )
        .user_attributes(
            AttributeType::builder()
                .name("email_verified")
                .value("true")
                .build()
                .unwrap(),
        );
    if let Some(t) = tenant {
        request = request.user_attributes(
            AttributeType::builder()
                .name("custom:tenant_id")
                .value(t)
                .build()
                .unwrap(),
        );
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

/// acme (3 roles, 3 users, one of them also in globex) and globex (admin only), plus a
/// pool-wide group that is no tenant's.
async fn two_tenants(cognito: &Cognito) -> String {
    let pool = pool(cognito, "tenants-test").await;
    for (g, d) in [
        ("acme:admin", "Acme"),
        ("acme:member", "Acme"),
        ("acme:readonly", "Acme"),
        ("globex:admin", "Globex"),
        ("Staff", "everyone"),
    ] {
        group(cognito, &pool, g, d).await;
    }
    user(cognito, &pool, "ann", Some("acme"), &["acme:admin"]).await;
    user(
        cognito,
        &pool,
        "bob",
        Some("acme"),
        &["acme:member", "globex:admin"],
    )
    .await;
    user(
        cognito,
        &pool,
        "cid",
        Some("acme"),
        &["acme:member", "Staff"],
    )
    .await;
    user(cognito, &pool, "dan", None, &[]).await;
    pool
}

async fn groups_of(cognito: &Cognito, pool: &str, username: &str) -> Vec<String> {
    let mut groups: Vec<String> = cognito
        .admin_list_groups_for_user()
        .user_pool_id(pool)
        .username(username)
        .send()
        .await
        .unwrap()
        .groups()
        .iter()
        .filter_map(|g| g.group_name().map(str::to_owned))
        .collect();
    groups.sort();
    groups
}

fn audit_lines(dir: &Path) -> Vec<Value> {
    std::fs::read_to_string(dir.join("opsdeck/audit.log"))
        .unwrap_or_default()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// The command with the test's own state dir, to read its audit log afterwards.
fn opsdeck_with_state(
    account: &support::TestAccount,
) -> (std::process::Command, std::path::PathBuf) {
    let state = support::scratch_dir();
    let mut cmd = support::opsdeck(account);
    cmd.env("XDG_STATE_HOME", &state);
    (cmd, state)
}
