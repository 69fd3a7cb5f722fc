//! `opsdeck demo seed` refuses, before sending anything, when any service it calls would go
//! somewhere other than this machine: each per-service endpoint variable and the AWS profile's
//! `services` section, with the global endpoint on loopback (a proxy in front of the emulator that
//! counts what reaches it). 192.0.2.1 (TEST-NET-1) is never contacted: the refusal comes first.

mod support;

#[path = "support/proxy.rs"]
mod proxy;

use proxy::Proxy;
use support::{isolated_account, opsdeck, scratch_dir};

const REMOTE: &str = "http://192.0.2.1:9";

const PER_SERVICE: [&str; 5] = [
    "AWS_ENDPOINT_URL_STS",
    "AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER",
    "AWS_ENDPOINT_URL_ROUTE_53",
    "AWS_ENDPOINT_URL_SFN",
    "AWS_ENDPOINT_URL_ORGANIZATIONS",
];

fn refused(output: &std::process::Output, names: &str) {
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "stderr: {stderr}");
    assert!(stderr.contains(names), "stderr: {stderr}");
    assert!(stderr.contains(REMOTE), "stderr: {stderr}");
    assert!(stderr.contains("nothing was sent"), "stderr: {stderr}");
    assert!(output.stdout.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the AWS emulator: run scripts/test"]
async fn demo_seed_refuses_a_remote_per_service_endpoint_before_any_request() {
    let account = isolated_account().await;
    let proxy = Proxy::start(&support::endpoint(), Vec::new()).await;
    for variable in PER_SERVICE {
        let output = opsdeck(&account)
            .env("AWS_ENDPOINT_URL", &proxy.endpoint)
            .env(variable, REMOTE)
            .args(["demo", "seed"])
            .output()
            .expect("run opsdeck");
        refused(&output, variable);
    }
    assert!(proxy.calls().is_empty(), "{:?}", proxy.calls().len());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the AWS emulator: run scripts/test"]
async fn demo_seed_refuses_a_remote_endpoint_in_the_profiles_services_section() {
    let account = isolated_account().await;
    let proxy = Proxy::start(&support::endpoint(), Vec::new()).await;
    let dir = scratch_dir();
    let config = dir.join("aws-config");
    std::fs::write(
        &config,
        [
            "[default]",
            &format!("endpoint_url = {}", proxy.endpoint),
            "services = remote",
            "",
            "[services remote]",
            "sfn =",
            &format!("  endpoint_url = {REMOTE}"),
            "",
        ]
        .join("\n"),
    )
    .unwrap();
    // The global endpoint from the profile too: AWS_ENDPOINT_URL would take precedence over the
    // profile's services section.
    let output = opsdeck(&account)
        .env_remove("AWS_ENDPOINT_URL")
        .env("AWS_CONFIG_FILE", &config)
        .args(["demo", "seed"])
        .output()
        .expect("run opsdeck");
    refused(&output, "its SFN requests");
    assert!(proxy.calls().is_empty(), "{:?}", proxy.calls().len());
}
