//! The bench of PERFORMANCE.md ("the organisation everywhere"): `sfn executions --all-accounts
//! --status failed` and `users find` over 6 accounts × 2 regions against the emulator behind the
//! fault proxy (50 ms of latency on every request, one account throttled for its first 3 s of
//! Step Functions and Cognito), side by side with the sequential boto3 script
//! `benches/org/boto3_sequential.py` through the same proxy. Prints the wall times; run with
//! `cargo test --test org -- --include-ignored --nocapture bench`.

use std::time::{Duration, Instant};

use crate::{FAILING, in_region, json, machine, organisation, pool_with, proxy, run, support};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the AWS emulator: run scripts/test"]
async fn bench_org_wide_failures_and_user_lookup_against_sequential_boto3() {
    let account = support::isolated_account().await;
    let members = organisation(&account, &["a", "b", "c", "d", "e"]).await;
    let regions = ["us-east-1", "eu-west-1"];
    for (id, sdk) in &members {
        for region in regions {
            let sdk = in_region(sdk, region);
            for m in ["billing", "orders"] {
                machine(&sdk, id, m, &[(&format!("{m}-fail"), FAILING)]).await;
            }
        }
    }
    pool_with(&account.sdk, "customers", "alice@acme.com", "acme:admin").await;
    pool_with(
        &in_region(&members[1].1, "eu-west-1"),
        "eu",
        "alice@acme.com",
        "globex:member",
    )
    .await;
    for (_, sdk) in &members[2..] {
        support::user_pool(
            &aws_sdk_cognitoidentityprovider::Client::new(sdk),
            "empty",
            false,
        )
        .await;
    }
    let busy = members[4].0.clone();
    let rules = |throttled: bool| {
        let mut rules = Vec::new();
        if throttled {
            for service in ["states", "cognito-idp"] {
                rules.push(
                    proxy::Rule::on(service, proxy::Fault::Throttle)
                        .account(&busy)
                        .when(proxy::When::For(Duration::from_secs(3))),
                );
            }
        }
        rules.push(proxy::Rule::any(proxy::Fault::Delay(
            Duration::from_millis(50),
        )));
        rules
    };
    let proxy = proxy::Proxy::start(&support::endpoint(), rules(true)).await;
    let mut report = Vec::new();
    for throttled in [true, false] {
        report.push(format!("one account throttled for 3 s: {throttled}"));
        bench_round(&account, &proxy, &mut report, || rules(throttled)).await;
    }
    eprintln!("\n{}", report.join("\n"));
}

async fn bench_round(
    account: &support::TestAccount,
    proxy: &proxy::Proxy,
    report: &mut Vec<String>,
    rules: impl Fn() -> Vec<proxy::Rule>,
) {
    for (what, args) in [
        (
            "sfn executions --all-accounts --regions us-east-1,eu-west-1 --status failed",
            vec![
                "sfn",
                "executions",
                "--all-accounts",
                "--regions",
                "us-east-1,eu-west-1",
                "--status",
                "failed",
                "-o",
                "json",
            ],
        ),
        (
            "users find alice@acme.com --all-accounts --regions us-east-1,eu-west-1",
            vec![
                "users",
                "find",
                "alice@acme.com",
                "--all-accounts",
                "--regions",
                "us-east-1,eu-west-1",
                "-o",
                "json",
            ],
        ),
    ] {
        proxy.set_rules(rules());
        let mut cmd = support::opsdeck(account);
        cmd.env("AWS_ENDPOINT_URL", &proxy.endpoint).args(&args);
        let started = Instant::now();
        let out = tokio::task::spawn_blocking(move || run(&mut cmd))
            .await
            .unwrap();
        let took = started.elapsed();
        assert_eq!(out.status.code(), Some(0));
        let rows = json(&out).as_array().unwrap().len();
        report.push(format!("  opsdeck {what}: {rows} rows in {took:.2?}"));
    }
    proxy.set_rules(rules());
    let python = concat!(env!("CARGO_MANIFEST_DIR"), "/.venv/bin/python");
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/benches/org/boto3_sequential.py"
    );
    let mut cmd = std::process::Command::new(python);
    cmd.args([
        script,
        &proxy.endpoint,
        "us-east-1,eu-west-1",
        "alice@acme.com",
    ])
    .env("AWS_ACCESS_KEY_ID", &account.access_key_id)
    .env("AWS_SECRET_ACCESS_KEY", &account.secret_access_key)
    .env("AWS_SESSION_TOKEN", &account.session_token);
    let started = Instant::now();
    let out = tokio::task::spawn_blocking(move || run(&mut cmd))
        .await
        .unwrap();
    let took = started.elapsed();
    assert!(out.status.success());
    report.push(format!(
        "  boto3 sequential, both questions: {} in {took:.2?}",
        String::from_utf8_lossy(&out.stdout).trim()
    ));
}
