//! `tenants list --all-accounts` against the fake: the tenants of every pool of every account,
//! each pool read with its own tenant model, a status per target, partial results with exit 4.

use opsdeck::config::{PoolModelConfig, TenantModel};
use opsdeck::exit;
use opsdeck::services::fake::{FakeBackend, PoolSeed, UserSeed};
use opsdeck::services::{ErrorKind, ServiceError};

use crate::support::{ME, context, run};

const EU: &str = "222222222222";
const DENIED: &str = "333333333333";
const BUSY: &str = "444444444444";

fn org() -> FakeBackend {
    let fake = FakeBackend::new(ME)
        .with_account(EU, "prod-eu")
        .with_account(DENIED, "locked")
        .with_account(BUSY, "busy")
        .with_denied_account(DENIED)
        .with_pool(crate::support::acme())
        .with_pool_in(
            EU,
            PoolSeed::new("eu-west-1_attr", "by-attribute")
                .attribute("custom:tenant_id")
                .group("admin", "Admins", 1)
                .group("member", "Members", 2)
                .user(
                    UserSeed::new("zed@initech.com")
                        .attribute("custom:tenant_id", "initech")
                        .in_group("admin"),
                )
                .user(
                    UserSeed::new("amy@initech.com")
                        .attribute("custom:tenant_id", "initech")
                        .in_group("member"),
                ),
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

fn ctx(fake: &FakeBackend, dir: &std::path::Path) -> opsdeck::commands::Context {
    let mut ctx = context(fake, dir);
    ctx.config.concurrency.throttle_patience_secs = 0;
    ctx.config.cognito.pools = vec![PoolModelConfig {
        pool: "by-attribute".into(),
        tenant_model: Some(TenantModel::Attribute),
        group_pattern: None,
        tenant_attribute: None,
    }];
    ctx
}

#[tokio::test]
async fn tenants_of_every_pool_of_every_account_each_with_its_model_and_exit_4() {
    let fake = org();
    let dir = tempfile::tempdir().unwrap();
    let args = ["tenants", "list", "--all-accounts", "-o", "json"];
    let ran = run(&ctx(&fake, dir.path()), &args).await;
    assert_eq!(ran.code(), exit::PARTIAL, "{}", ran.err);
    let rows: serde_json::Value = serde_json::from_str(&ran.out).unwrap();
    assert_eq!(
        rows,
        serde_json::json!([
            {"account_id": ME, "account_name": "management", "region": "eu-west-1",
             "pool_id": "eu-west-1_acme", "pool_name": "customers", "tenant": "acme",
             "description": "Acme Corp", "users": 2,
             "roles": {"admin": 1, "member": 1, "readonly": 0}},
            {"account_id": EU, "account_name": "prod-eu", "region": "eu-west-1",
             "pool_id": "eu-west-1_attr", "pool_name": "by-attribute", "tenant": "initech",
             "description": "", "users": 2,
             "roles": {"admin": 1, "member": 1, "readonly": 0}}
        ])
    );
    for line in [
        "management (111111111111) eu-west-1: ok: 1 user pools, 1 tenants",
        "prod-eu (222222222222) eu-west-1: ok: 1 user pools, 1 tenants",
        "locked (333333333333) eu-west-1: denied: ",
        "busy (444444444444) eu-west-1: throttled: ",
    ] {
        assert!(ran.err.contains(line), "{line}: {}", ran.err);
    }
}

#[tokio::test]
async fn pool_narrows_the_org_list_and_a_table_names_where_each_tenant_lives() {
    let fake = org();
    let dir = tempfile::tempdir().unwrap();
    let args = [
        "tenants",
        "list",
        "--regions",
        "eu-west-1",
        "--pool",
        "customers",
    ];
    let ran = run(&ctx(&fake, dir.path()), &args).await;
    assert_eq!(ran.code(), exit::SUCCESS, "{}", ran.err);
    let header = ran.out.lines().next().unwrap();
    assert!(header.starts_with("ACCOUNT"), "{}", ran.out);
    assert!(
        ran.out.contains("111111111111  eu-west-1")
            && ran.out.contains("customers (eu-west-1_acme)"),
        "{}",
        ran.out
    );
    assert_eq!(ran.out.lines().count(), 2, "{}", ran.out);
}
