//! Onboarding a tenant: `tenants create` and its rerun, and a rerun after a failure part-way that
//! completes only the missing steps.

use std::collections::BTreeMap;

use aws_sdk_cognitoidentityprovider::Client as Cognito;

use opsdeck::domain::plan::Policy;
use opsdeck::domain::tenancy::plan::{Intent, Target};
use opsdeck::mutation::{AuditLog, confirm_on_terminal, execute};
use opsdeck::services::{ErrorKind, ServiceError, Tenants, tenant_planning};

use crate::{
    audit_lines, aws, groups_model, groups_of, opsdeck_with_state, pool, run, stdout, support,
};

#[tokio::test]
#[ignore = "needs the AWS emulator: run scripts/test"]
async fn tenants_create_onboards_and_a_rerun_does_nothing() {
    let account = support::isolated_account().await;
    let cognito = Cognito::new(&account.sdk);
    let pool = pool(&cognito, "create-test").await;

    let (mut cmd, state) = opsdeck_with_state(&account);
    let out = run(cmd.args([
        "tenants",
        "create",
        "wayne",
        "--admin-email",
        "Bruce@Wayne.com",
        "--name",
        "Wayne Enterprises",
        "--yes",
    ]));
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let groups = cognito
        .list_groups()
        .user_pool_id(&pool)
        .send()
        .await
        .unwrap();
    let mut made: Vec<(String, i32, String)> = groups
        .groups()
        .iter()
        .map(|g| {
            (
                g.group_name().unwrap().to_owned(),
                g.precedence().unwrap(),
                g.description().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    made.sort();
    assert_eq!(
        made,
        [
            ("wayne:admin", 1),
            ("wayne:member", 2),
            ("wayne:readonly", 3)
        ]
        .map(|(g, p)| (g.to_owned(), p, "Wayne Enterprises".to_owned()))
    );
    let admin = cognito
        .admin_get_user()
        .user_pool_id(&pool)
        .username("bruce@wayne.com")
        .send()
        .await
        .unwrap();
    let attrs: BTreeMap<&str, &str> = admin
        .user_attributes()
        .iter()
        .map(|a| (a.name(), a.value().unwrap_or_default()))
        .collect();
    assert_eq!(attrs["email"], "bruce@wayne.com");
    assert_eq!(attrs["email_verified"], "true");
    assert_eq!(attrs["custom:tenant_id"], "wayne");
    assert_eq!(
        groups_of(&cognito, &pool, "bruce@wayne.com").await,
        ["wayne:admin"]
    );
    let audit = audit_lines(&state);
    assert_eq!(audit.len(), 2 * 5, "two lines per call");
    let outcomes: Vec<&str> = audit
        .iter()
        .map(|l| l["outcome"].as_str().unwrap())
        .collect();
    assert_eq!(outcomes, ["intent", "ok"].repeat(5));
    assert!(audit.iter().all(|l| l["pool_id"] == pool.as_str()));
    assert_eq!(audit[2 * 3]["operation"], "AdminCreateUser");
    assert_eq!(audit[2 * 3 + 1]["operation"], "AdminCreateUser");

    let mut again = support::opsdeck(&account);
    again.env("XDG_STATE_HOME", &state);
    let out = run(again.args([
        "tenants",
        "create",
        "wayne",
        "--admin-email",
        "bruce@wayne.com",
        "--yes",
    ]));
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout(&out).contains("nothing to do"), "{}", stdout(&out));
    assert_eq!(audit_lines(&state).len(), 2 * 5, "the rerun made no call");
}

/// A failure part-way (the third call fails), then a rerun: only the missing calls are planned,
/// nothing is duplicated, and the tenant ends complete.
#[tokio::test]
#[ignore = "needs the AWS emulator: run scripts/test"]
async fn a_rerun_after_a_failure_part_way_completes_the_missing_steps() {
    let account = support::isolated_account().await;
    let cognito = Cognito::new(&account.sdk);
    let pool = pool(&cognito, "rerun-test").await;
    let aws = aws(&account);
    let tenancy = groups_model();
    let target = Target {
        account_id: account.id.clone(),
        region: "us-east-1".into(),
        pool_id: pool.clone(),
    };
    let intent = Intent::OnboardTenant {
        tenant: "umbrella".into(),
        display_name: String::new(),
        admin_email: "alice@umbrella.com".into(),
    };
    let plan = tenant_planning::plan(&aws, &tenancy, &target, intent.clone())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(plan.steps.len(), 5);
    let approved = confirm_on_terminal(
        &Policy::default(),
        &plan,
        true,
        &mut &b""[..],
        &mut Vec::new(),
        false,
    )
    .unwrap();
    let dir = support::scratch_dir();
    let audit = AuditLog::open(dir.join("audit.log")).unwrap();
    let execution = execute(&approved, &audit, "tester", |i, step| {
        let call = step.action.clone();
        let aws = &aws;
        async move {
            if i == 2 {
                Err(ServiceError::new(
                    ErrorKind::Throttled,
                    Some("TooManyRequestsException".into()),
                    "injected failure",
                ))
            } else {
                aws.apply(&call).await
            }
        }
    })
    .await;
    assert_eq!(execution.first_failure().map(|(i, _)| i), Some(2));

    let rerun = tenant_planning::plan(&aws, &tenancy, &target, intent.clone())
        .await
        .unwrap()
        .unwrap();
    let ops: Vec<(&str, &str)> = rerun
        .steps
        .iter()
        .map(|s| (s.operation, s.target.as_str()))
        .collect();
    assert_eq!(
        ops,
        [
            ("CreateGroup", "umbrella:readonly"),
            ("AdminCreateUser", "alice@umbrella.com"),
            ("AdminAddUserToGroup", "alice@umbrella.com"),
        ]
    );
    let approved = confirm_on_terminal(
        &Policy::default(),
        &rerun,
        true,
        &mut &b""[..],
        &mut Vec::new(),
        false,
    )
    .unwrap();
    let execution = execute(&approved, &audit, "tester", |_, step| {
        let call = step.action.clone();
        let aws = &aws;
        async move { aws.apply(&call).await }
    })
    .await;
    assert!(execution.is_success());
    assert_eq!(
        tenant_planning::plan(&aws, &tenancy, &target, intent)
            .await
            .unwrap(),
        None
    );
    let lines = std::fs::read_to_string(dir.join("audit.log")).unwrap();
    assert_eq!(
        lines.lines().count(),
        2 * (3 + 3),
        "two lines per call, the failed call too"
    );
}
