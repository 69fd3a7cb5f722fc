//! Org-wide `sfn` commands against the fake: every account × region of the scope, statuses per
//! target on stderr, partial results with exit 4, `--status a,b`, `--since`, `--details`, and
//! executions named instead of given by ARN.

use opsdeck::exit;
use opsdeck::services::fake::{ExecutionSeed, FakeBackend, MachineSeed};
use opsdeck::services::{ErrorKind, ServiceError};

use crate::support::{ME, context, run};

const EU: &str = "222222222222";
const DENIED: &str = "333333333333";
const BUSY: &str = "444444444444";

/// The caller's account (management) with orders; prod-eu with billing; a denied account and
/// one that answers ListStateMachines with throttling.
fn org() -> FakeBackend {
    let fake = FakeBackend::new(ME)
        .with_account(EU, "prod-eu")
        .with_account(DENIED, "locked")
        .with_account(BUSY, "busy")
        .with_denied_account(DENIED)
        .with_machine(
            MachineSeed::standard("orders")
                .execution(ExecutionSeed::succeeded("run-1"))
                .execution(ExecutionSeed::failed("run-2", "Card.Declined", "no funds"))
                .execution(ExecutionSeed::running("run-3")),
        )
        .with_machine_in(
            EU,
            MachineSeed::standard("billing")
                .execution(ExecutionSeed::failed("bill-1", "Lambda.Timeout", "slow"))
                .execution(ExecutionSeed::succeeded("bill-2"))
                .execution(ExecutionSeed::failed(
                    "bill-3",
                    "States.Runtime",
                    "bad path",
                )),
        )
        .with_machine_in(BUSY, MachineSeed::standard("quiet"));
    fake.fail_next_in(
        BUSY,
        "ListStateMachines",
        ServiceError::new(
            ErrorKind::Throttled,
            Some("ThrottlingException".into()),
            "Rate exceeded",
        ),
    );
    fake
}

fn json(text: &str) -> Vec<serde_json::Value> {
    serde_json::from_str::<serde_json::Value>(text)
        .unwrap_or_else(|e| panic!("{e}: {text}"))
        .as_array()
        .unwrap()
        .clone()
}

fn ctx(fake: &FakeBackend, dir: &std::path::Path) -> opsdeck::commands::Context {
    let mut ctx = context(fake, dir);
    // Throttling is reported at once instead of outlasted.
    ctx.config.concurrency.throttle_patience_secs = 0;
    ctx
}

#[tokio::test]
async fn failed_executions_of_every_account_with_details_and_exit_4_for_the_unreadable() {
    let fake = org();
    let dir = tempfile::tempdir().unwrap();
    let args = [
        "sfn",
        "executions",
        "--all-accounts",
        "--status",
        "failed,timed_out,aborted",
        "--details",
        "-o",
        "json",
    ];
    let ran = run(&ctx(&fake, dir.path()), &args).await;
    assert_eq!(ran.code(), exit::PARTIAL, "{}", ran.err);
    let rows = json(&ran.out);
    let got: Vec<(&str, &str, &str, &str, &str, &str)> = rows
        .iter()
        .map(|r| {
            (
                r["account_id"].as_str().unwrap(),
                r["account_name"].as_str().unwrap(),
                r["region"].as_str().unwrap(),
                r["name"].as_str().unwrap(),
                r["error"].as_str().unwrap(),
                r["cause"].as_str().unwrap(),
            )
        })
        .collect();
    // Newest first across accounts (the fake's clock gives each creation the next second).
    assert_eq!(
        got,
        [
            (
                EU,
                "prod-eu",
                "eu-west-1",
                "bill-3",
                "States.Runtime",
                "bad path"
            ),
            (
                EU,
                "prod-eu",
                "eu-west-1",
                "bill-1",
                "Lambda.Timeout",
                "slow"
            ),
            (
                ME,
                "management",
                "eu-west-1",
                "run-2",
                "Card.Declined",
                "no funds"
            ),
        ]
    );
    let keys: Vec<&String> = rows[0].as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        [
            "account_id",
            "account_name",
            "region",
            "name",
            "arn",
            "machine",
            "status",
            "started",
            "stopped",
            "duration_ms",
            "error",
            "cause"
        ]
    );
    for line in [
        "opsdeck: account management (111111111111) eu-west-1: ok: 1 state machines, 1 executions",
        "opsdeck: account prod-eu (222222222222) eu-west-1: ok: 1 state machines, 2 executions",
        "opsdeck: account locked (333333333333) eu-west-1: denied: ",
        "opsdeck: account busy (444444444444) eu-west-1: throttled: ",
    ] {
        assert!(ran.err.contains(line), "{line}\n{}", ran.err);
    }
    // One listing per machine and status, one DescribeExecution per failure kept.
    let eu = fake.calls_in(EU);
    assert_eq!(eu.iter().filter(|c| *c == "ListExecutions").count(), 3);
    assert_eq!(eu.iter().filter(|c| *c == "DescribeExecution").count(), 2);
}

#[tokio::test]
async fn without_details_there_is_no_describe_and_error_is_null() {
    let fake = org();
    let dir = tempfile::tempdir().unwrap();
    let args = ["sfn", "executions", "--status", "failed", "-o", "json"];
    let ran = run(&ctx(&fake, dir.path()), &args).await;
    assert_eq!(ran.code(), exit::SUCCESS, "{}", ran.err);
    let rows = json(&ran.out);
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["name"], "run-2");
    assert_eq!(rows[0]["error"], serde_json::Value::Null);
    assert!(!fake.calls().iter().any(|c| c == "DescribeExecution"));
    // The current account and region alone: no status lines when all is well.
    assert!(ran.err.is_empty(), "{}", ran.err);
}

#[tokio::test]
async fn since_stops_at_older_executions() {
    let fake = org();
    let dir = tempfile::tempdir().unwrap();
    let bill2 = fake
        .execution_detail(&format!(
            "arn:aws:states:eu-west-1:{EU}:execution:billing:bill-2"
        ))
        .unwrap();
    let since = bill2.execution.started.to_rfc3339();
    let args = [
        "sfn",
        "executions",
        "--all-accounts",
        "--since",
        &since,
        "-o",
        "json",
    ];
    let ran = run(&ctx(&fake, dir.path()), &args).await;
    assert_eq!(ran.code(), exit::PARTIAL);
    let names: Vec<String> = json(&ran.out)
        .iter()
        .map(|r| r["name"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(names, ["bill-3", "bill-2"]);
    let ran = run(
        &ctx(&fake, dir.path()),
        &["sfn", "executions", "--since", "1h"],
    )
    .await;
    // The fake's executions are from 2025: none in the last hour.
    assert_eq!(ran.code(), exit::SUCCESS);
    assert_eq!(ran.out.lines().count(), 1, "{}", ran.out);
}

#[tokio::test]
async fn several_regions_are_each_read_and_labelled() {
    let fake = org();
    let dir = tempfile::tempdir().unwrap();
    let args = [
        "sfn",
        "machines",
        "--regions",
        "eu-west-1,us-east-1",
        "-o",
        "json",
    ];
    let ran = run(&ctx(&fake, dir.path()), &args).await;
    assert_eq!(ran.code(), exit::SUCCESS, "{}", ran.err);
    let places: Vec<(String, String)> = json(&ran.out)
        .iter()
        .map(|r| {
            (
                r["region"].as_str().unwrap().to_owned(),
                r["name"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    // The fake shows every region the same resources; what matters is each region is read.
    assert_eq!(
        places,
        [
            ("eu-west-1".to_owned(), "orders".to_owned()),
            ("us-east-1".to_owned(), "orders".to_owned())
        ]
    );
    assert!(
        ran.err.contains("us-east-1: ok: 1 state machines"),
        "{}",
        ran.err
    );
}

#[tokio::test]
async fn a_failure_outside_a_wide_scope_is_the_commands_error() {
    let fake = org();
    fake.fail_next(
        "ListStateMachines",
        ServiceError::new(ErrorKind::Denied, Some("AccessDenied".into()), "no"),
    );
    let dir = tempfile::tempdir().unwrap();
    let ran = run(&ctx(&fake, dir.path()), &["sfn", "machines"]).await;
    assert!(ran.error().contains("no"), "{}", ran.error());
}

#[tokio::test]
async fn executions_are_found_by_machine_and_name_or_by_a_unique_name() {
    let fake = org();
    let dir = tempfile::tempdir().unwrap();
    let c = ctx(&fake, dir.path());
    let ran = run(&c, &["sfn", "show", "orders/run-2", "-o", "json"]).await;
    assert_eq!(ran.code(), exit::SUCCESS, "{}", ran.err);
    let shown: serde_json::Value = serde_json::from_str(&ran.out).unwrap();
    assert_eq!(
        shown["execution"]["arn"],
        fake.execution_arn("orders", "run-2")
    );
    assert_eq!(shown["execution"]["error"], "Card.Declined");

    let ran = run(&c, &["sfn", "history", "run-1", "-o", "json"]).await;
    assert_eq!(ran.code(), exit::SUCCESS, "{}", ran.err);

    // bill-1 lives in another account: found once the scope has every account, and shown from
    // there.
    let ran = run(&c, &["sfn", "show", "bill-1", "-o", "json"]).await;
    assert!(
        ran.error().contains("no execution `bill-1` in"),
        "{}",
        ran.error()
    );
    let ran = run(
        &c,
        &[
            "sfn",
            "show",
            "billing/bill-1",
            "--all-accounts",
            "-o",
            "json",
        ],
    )
    .await;
    assert_eq!(ran.code(), exit::SUCCESS, "{}", ran.err);
    let shown: serde_json::Value = serde_json::from_str(&ran.out).unwrap();
    assert_eq!(shown["execution"]["error"], "Lambda.Timeout");
    assert!(
        shown["execution"]["arn"].as_str().unwrap().contains(EU),
        "{shown}"
    );
}

#[tokio::test]
async fn a_name_several_executions_have_lists_them_and_exits_2() {
    let fake = org().with_machine(
        MachineSeed::standard("refunds").execution(ExecutionSeed::failed("run-2", "X", "y")),
    );
    let dir = tempfile::tempdir().unwrap();
    let c = ctx(&fake, dir.path());
    let ran = run(&c, &["sfn", "stop", "run-2", "--yes"]).await;
    assert_eq!(ran.code(), exit::USAGE);
    assert!(
        ran.err.contains("`run-2` names 2 executions"),
        "{}",
        ran.err
    );
    assert!(
        ran.err.contains(&fake.execution_arn("orders", "run-2")),
        "{}",
        ran.err
    );
    assert!(
        ran.err.contains(&fake.execution_arn("refunds", "run-2")),
        "{}",
        ran.err
    );
    assert!(!fake.calls().iter().any(|c| c == "StopExecution"));

    // A unique name stops that execution.
    let ran = run(&c, &["sfn", "stop", "orders/run-3", "--yes"]).await;
    assert_eq!(ran.code(), exit::SUCCESS, "{}", ran.err);
    assert!(fake.calls().iter().any(|c| c == "StopExecution"));
}

/// alice has a pool in the caller's account (acme admin) and one in prod-eu (globex member).
fn users_org() -> FakeBackend {
    use opsdeck::services::fake::{PoolSeed, UserSeed};
    let fake = FakeBackend::new(ME)
        .with_account(EU, "prod-eu")
        .with_account(DENIED, "locked")
        .with_account(BUSY, "busy")
        .with_denied_account(DENIED)
        .with_pool(crate::support::acme())
        .with_pool_in(
            EU,
            PoolSeed::new("eu-west-1_globex", "globex-users")
                .group("globex:member", "Globex", 2)
                .user(UserSeed::new("alice@acme.com").in_group("globex:member"))
                .user(UserSeed::new("zed@globex.com").in_group("globex:member")),
        )
        .with_pool_in(BUSY, PoolSeed::new("eu-west-1_busy", "busy"));
    fake.fail_next_in(
        BUSY,
        "ListUserPools",
        ServiceError::new(
            ErrorKind::Throttled,
            Some("TooManyRequestsException".into()),
            "Rate exceeded",
        ),
    );
    fake
}

#[tokio::test]
async fn users_find_finds_a_user_in_the_pools_of_two_accounts_with_tenants_and_roles() {
    let fake = users_org();
    let dir = tempfile::tempdir().unwrap();
    let args = [
        "users",
        "find",
        "alice@acme.com",
        "--all-accounts",
        "-o",
        "json",
    ];
    let ran = run(&ctx(&fake, dir.path()), &args).await;
    assert_eq!(ran.code(), exit::PARTIAL, "{}", ran.err);
    let rows = json(&ran.out);
    assert_eq!(
        serde_json::Value::Array(rows),
        serde_json::json!([
            {"account_id": ME, "account_name": "management", "region": "eu-west-1",
             "pool_id": "eu-west-1_acme", "pool_name": "customers", "username": "alice@acme.com",
             "email": "alice@acme.com", "status": "CONFIRMED", "enabled": true,
             "tenants": [{"tenant": "acme", "role": "admin"}]},
            {"account_id": EU, "account_name": "prod-eu", "region": "eu-west-1",
             "pool_id": "eu-west-1_globex", "pool_name": "globex-users",
             "username": "alice@acme.com", "email": "alice@acme.com", "status": "CONFIRMED",
             "enabled": true, "tenants": [{"tenant": "globex", "role": "member"}]}
        ])
    );
    assert!(
        ran.err
            .contains("locked (333333333333) eu-west-1: denied: "),
        "{}",
        ran.err
    );
    assert!(
        ran.err
            .contains("busy (444444444444) eu-west-1: throttled: "),
        "{}",
        ran.err
    );
    assert!(
        ran.err
            .contains("prod-eu (222222222222) eu-west-1: ok: 1 user pools, found in 1"),
        "{}",
        ran.err
    );
    // One filtered ListUsers per pool, one AdminListGroupsForUser per user found.
    let eu = fake.calls_in(EU);
    assert_eq!(eu, ["ListUserPools", "ListUsers", "AdminListGroupsForUser"]);
}

#[tokio::test]
async fn users_find_by_username_keeps_only_the_exact_name_and_says_when_nothing_is_found() {
    let fake = users_org();
    let dir = tempfile::tempdir().unwrap();
    let c = ctx(&fake, dir.path());
    let ran = run(&c, &["users", "find", "bob@acme.com", "-o", "json"]).await;
    assert_eq!(ran.code(), exit::SUCCESS, "{}", ran.err);
    assert_eq!(json(&ran.out).len(), 1);
    let ran = run(&c, &["users", "find", "nobody", "-o", "json"]).await;
    assert_eq!(ran.code(), exit::SUCCESS, "{}", ran.err);
    assert!(json(&ran.out).is_empty());
    assert!(
        ran.err.contains("no user nobody in the 1 user pools"),
        "{}",
        ran.err
    );
}

#[tokio::test]
async fn users_find_reads_tenants_with_each_pools_own_model() {
    use opsdeck::config::{PoolModelConfig, TenantModel};
    use opsdeck::services::fake::{PoolSeed, UserSeed};
    let fake = FakeBackend::new(ME)
        .with_pool(crate::support::acme())
        .with_pool_in(
            EU,
            PoolSeed::new("eu-west-1_attr", "by-attribute")
                .attribute("custom:tenant_id")
                .group("member", "Members", 2)
                .user(
                    UserSeed::new("alice@acme.com")
                        .attribute("custom:tenant_id", "initech")
                        .in_group("member"),
                ),
        );
    let fake = fake.with_account(EU, "prod-eu");
    let dir = tempfile::tempdir().unwrap();
    let mut c = ctx(&fake, dir.path());
    c.config.cognito.pools = vec![PoolModelConfig {
        pool: "by-attribute".into(),
        tenant_model: Some(TenantModel::Attribute),
        group_pattern: None,
        tenant_attribute: None,
    }];
    let ran = run(
        &c,
        &[
            "users",
            "find",
            "alice@acme.com",
            "--all-accounts",
            "-o",
            "json",
        ],
    )
    .await;
    assert_eq!(ran.code(), exit::SUCCESS, "{}", ran.err);
    let tenants: Vec<serde_json::Value> = json(&ran.out)
        .iter()
        .map(|r| r["tenants"].clone())
        .collect();
    assert_eq!(
        tenants,
        [
            serde_json::json!([{"tenant": "acme", "role": "admin"}]),
            serde_json::json!([{"tenant": "initech", "role": "member"}]),
        ]
    );
}
