//! The organisation everywhere, end to end: the built binary against the emulator as the
//! management account of an organisation of its own, reading member accounts through the assumed
//! role in two regions; one member denied and one throttled through the fault proxy.

#[path = "../support/proxy.rs"]
mod proxy;
#[path = "../support/pty.rs"]
mod pty;
#[path = "../support/mod.rs"]
mod support;

mod bench;
mod tenants;
mod tui;

use std::process::Output;
use std::time::Duration;

use aws_config::{Region, SdkConfig};
use aws_sdk_cognitoidentityprovider::Client as Cognito;
use aws_sdk_cognitoidentityprovider::types::AttributeType;
use aws_sdk_sfn::Client as Sfn;
use aws_sdk_sfn::types::ExecutionStatus;
use serde_json::Value;

pub(crate) fn run(cmd: &mut std::process::Command) -> Output {
    let out = cmd.output().expect("run opsdeck");
    eprintln!(
        "stderr of {:?}:\n{}",
        cmd.get_args().collect::<Vec<_>>(),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

pub(crate) fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}): {}",
            String::from_utf8_lossy(&out.stdout)
        )
    })
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Member accounts of a new organisation in `account`: (id, SDK config inside it, us-east-1).
pub(crate) async fn organisation(
    account: &support::TestAccount,
    names: &[&str],
) -> Vec<(String, SdkConfig)> {
    support::organisation(account, names).await
}

fn role_of(id: &str) -> String {
    format!("arn:aws:iam::{id}:role/OrganizationAccountAccessRole")
}

pub(crate) fn in_region(sdk: &SdkConfig, region: &str) -> SdkConfig {
    sdk.to_builder()
        .region(Region::new(region.to_owned()))
        .build()
}

pub(crate) const FAILING: &str = r#"{"StartAt": "Boom", "States": {"Boom": {"Type": "Fail", "Error": "Billing.Denied", "Cause": "the bucket policy denies PutObject"}}}"#;
const PASSING: &str = r#"{"StartAt": "Done", "States": {"Done": {"Type": "Succeed"}}}"#;

/// A standard machine `name` in `account` (created with the first definition), one execution per
/// (name, definition) pair, each waited for until it ends.
pub(crate) async fn machine(sdk: &SdkConfig, account: &str, name: &str, runs: &[(&str, &str)]) {
    let sfn = Sfn::new(sdk);
    for (run, definition) in runs {
        let arn = match sfn
            .create_state_machine()
            .name(name)
            .role_arn(format!("arn:aws:iam::{account}:role/sfn"))
            .definition(*definition)
            .send()
            .await
        {
            Ok(out) => out.state_machine_arn,
            Err(_) => sfn
                .list_state_machines()
                .send()
                .await
                .unwrap()
                .state_machines()
                .iter()
                .find(|m| m.name() == name)
                .unwrap()
                .state_machine_arn()
                .to_owned(),
        };
        let exec = sfn
            .start_execution()
            .state_machine_arn(&arn)
            .name(*run)
            .send()
            .await
            .expect("start execution")
            .execution_arn;
        for _ in 0..100 {
            let status = sfn
                .describe_execution()
                .execution_arn(&exec)
                .send()
                .await
                .unwrap()
                .status;
            if status != ExecutionStatus::Running {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

/// A pool with the group `{tenant}:{role}` and `email` in it.
pub(crate) async fn pool_with(sdk: &SdkConfig, name: &str, email: &str, group: &str) -> String {
    let cognito = Cognito::new(sdk);
    let pool = support::user_pool(&cognito, name, false).await;
    cognito
        .create_group()
        .user_pool_id(&pool)
        .group_name(group)
        .send()
        .await
        .expect("create group");
    cognito
        .admin_create_user()
        .user_pool_id(&pool)
        .username(email)
        .user_attributes(
            AttributeType::builder()
                .name("email")
                .value(email)
                .build()
                .unwrap(),
        )
        .send()
        .await
        .expect("create user");
    cognito
        .admin_add_user_to_group()
        .user_pool_id(&pool)
        .username(email)
        .group_name(group)
        .send()
        .await
        .expect("add to group");
    pool
}

fn config(patience: u32) -> std::path::PathBuf {
    let file = support::scratch_dir().join("config.toml");
    std::fs::write(
        &file,
        format!("[concurrency]\nthrottle_patience_secs = {patience}\n"),
    )
    .unwrap();
    file
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the AWS emulator: run scripts/test"]
async fn failures_and_users_of_every_account_and_region_with_one_denied_and_one_throttled() {
    let account = support::isolated_account().await;
    let members = organisation(&account, &["prod", "locked", "busy"]).await;
    let (prod, prod_sdk) = &members[0];
    let (locked, _) = &members[1];
    let (busy, busy_sdk) = &members[2];
    machine(&account.sdk, &account.id, "orders", &[("m-fail", FAILING)]).await;
    machine(prod_sdk, prod, "billing", &[("us-fail", FAILING)]).await;
    let prod_eu = in_region(prod_sdk, "eu-west-1");
    machine(&prod_eu, prod, "billing", &[("eu-fail", FAILING)]).await;
    machine(busy_sdk, busy, "quiet", &[("q-ok", PASSING)]).await;
    pool_with(&account.sdk, "customers", "alice@acme.com", "acme:admin").await;
    pool_with(&prod_eu, "eu-customers", "alice@acme.com", "globex:member").await;

    let proxy = proxy::Proxy::start(
        &support::endpoint(),
        vec![
            proxy::Rule::assume_role(&role_of(locked), proxy::Fault::AccessDenied),
            proxy::Rule::on("states", proxy::Fault::Throttle).account(busy),
            proxy::Rule::on("cognito-idp", proxy::Fault::Throttle).account(busy),
        ],
    )
    .await;
    let config = config(2);
    let mut cmd = support::opsdeck(&account);
    cmd.env("AWS_ENDPOINT_URL", &proxy.endpoint)
        .arg("--config")
        .arg(&config)
        .args([
            "sfn",
            "executions",
            "--all-accounts",
            "--regions",
            "us-east-1,eu-west-1",
            "--status",
            "failed,timed_out,aborted",
            "--details",
            "-o",
            "json",
        ]);
    let out = tokio::task::spawn_blocking(move || run(&mut cmd))
        .await
        .unwrap();
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
    let mut got: Vec<(String, String, String, String, String)> = json(&out)
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let s = |k: &str| r[k].as_str().unwrap_or_default().to_owned();
            (
                s("account_id"),
                s("region"),
                s("name"),
                s("error"),
                s("cause"),
            )
        })
        .collect();
    got.sort();
    let cause = "the bucket policy denies PutObject";
    let mut want = vec![
        (account.id.clone(), "us-east-1".into(), "m-fail".into()),
        (prod.clone(), "us-east-1".into(), "us-fail".into()),
        (prod.clone(), "eu-west-1".into(), "eu-fail".into()),
    ]
    .into_iter()
    .map(|(a, r, n): (String, String, String)| (a, r, n, "Billing.Denied".into(), cause.into()))
    .collect::<Vec<_>>();
    want.sort();
    assert_eq!(got, want);
    let err = stderr(&out);
    for (id, word) in [(locked, "denied"), (busy, "throttled")] {
        for region in ["us-east-1", "eu-west-1"] {
            assert!(
                err.lines().any(|l| l.contains(id.as_str())
                    && l.contains(region)
                    && l.contains(&format!(": {word}: "))),
                "{id} {region} {word}: {err}"
            );
        }
    }
    assert!(
        err.lines()
            .any(|l| l.contains(prod.as_str()) && l.contains("eu-west-1: ok: 1 state machines")),
        "{err}"
    );

    // The same user in pools of two accounts, found in both with its tenant and role.
    let mut cmd = support::opsdeck(&account);
    cmd.env("AWS_ENDPOINT_URL", &proxy.endpoint)
        .arg("--config")
        .arg(&config)
        .args([
            "users",
            "find",
            "alice@acme.com",
            "--all-accounts",
            "--regions",
            "us-east-1,eu-west-1",
            "-o",
            "json",
        ]);
    let out = tokio::task::spawn_blocking(move || run(&mut cmd))
        .await
        .unwrap();
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
    let mut found: Vec<(String, String, String)> = json(&out)
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["account_id"].as_str().unwrap().to_owned(),
                r["region"].as_str().unwrap().to_owned(),
                format!("{}:{}", r["tenants"][0]["tenant"], r["tenants"][0]["role"]),
            )
        })
        .collect();
    found.sort();
    let mut want = vec![
        (
            account.id.clone(),
            "us-east-1".to_owned(),
            r#""acme":"admin""#.to_owned(),
        ),
        (
            prod.clone(),
            "eu-west-1".to_owned(),
            r#""globex":"member""#.to_owned(),
        ),
    ];
    want.sort();
    assert_eq!(found, want);

    // An execution of another account and region, by MACHINE/NAME.
    let mut cmd = support::opsdeck(&account);
    cmd.args([
        "sfn",
        "show",
        "billing/eu-fail",
        "--all-accounts",
        "--regions",
        "us-east-1,eu-west-1",
        "-o",
        "json",
    ]);
    let out = tokio::task::spawn_blocking(move || run(&mut cmd))
        .await
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let shown = json(&out);
    let arn = shown["execution"]["arn"].as_str().unwrap();
    assert!(
        arn.contains(":eu-west-1:") && arn.contains(prod.as_str()),
        "{arn}"
    );
    assert_eq!(shown["execution"]["error"], "Billing.Denied");
}
