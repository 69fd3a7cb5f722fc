//! Tenant onboarding with a runbook against the emulator: the built binary, run as the management
//! account of an organisation of its own, with the tenant's zone in a member account and a
//! provisioning state machine (Pass/Choice/Fail, execute mode) in the management account. A full
//! onboarding, a rerun that changes nothing, a failing workflow (exit 5), a fault at the DNS and
//! the workflow step then a rerun without duplicates, a read-only DNS account and a template that
//! renders no JSON refused before any change call.

#[path = "support/proxy.rs"]
mod proxy;
#[allow(dead_code)]
#[path = "support/mod.rs"]
mod support;

use std::path::PathBuf;
use std::process::{Output, Stdio};

use aws_config::SdkConfig;
use aws_sdk_cognitoidentityprovider::Client as Cognito;
use aws_sdk_route53::Client as Route53;
use aws_sdk_sfn::Client as Sfn;
use serde_json::json;

struct World {
    account: support::TestAccount,
    dns: String,
    dns_sdk: SdkConfig,
    zone: String,
    pool: String,
    machine: String,
}

async fn world() -> World {
    let account = support::isolated_account().await;
    let (dns, dns_sdk) = support::organisation(&account, &["dns"])
        .await
        .pop()
        .expect("the dns account");
    let zone = Route53::new(&dns_sdk)
        .create_hosted_zone()
        .name("apps.example.test")
        .caller_reference("onboarding-test")
        .send()
        .await
        .expect("create zone")
        .hosted_zone()
        .unwrap()
        .id()
        .trim_start_matches("/hostedzone/")
        .to_owned();
    let pool = support::user_pool(&Cognito::new(&account.sdk), "customers", false).await;
    // Provisioning: fails for plan "broken", succeeds otherwise.
    let definition = json!({
        "StartAt": "Check",
        "States": {
            "Check": {"Type": "Choice", "Choices": [
                {"Variable": "$.plan", "StringEquals": "broken", "Next": "Broken"}],
                "Default": "Provision"},
            "Broken": {"Type": "Fail", "Error": "Provision.Failed", "Cause": "no capacity"},
            "Provision": {"Type": "Pass", "Result": {"ok": true}, "ResultPath": "$.done", "End": true}
        }
    });
    let machine = Sfn::new(&account.sdk)
        .create_state_machine()
        .name("tenant-provision")
        .role_arn(format!("arn:aws:iam::{}:role/sfn", account.id))
        .definition(definition.to_string())
        .send()
        .await
        .expect("create state machine")
        .state_machine_arn;
    World {
        account,
        dns,
        dns_sdk,
        zone,
        pool,
        machine,
    }
}

fn config(w: &World, input: &str, extra: &str) -> PathBuf {
    let path = support::scratch_dir().join("opsdeck.toml");
    std::fs::write(
        &path,
        format!(
            r#"
[cognito]
user_pool_id = "{pool}"

[onboarding.dns]
zone = "apps.example.test"
name = "{{tenant}}.apps.example.test"
type = "CNAME"
values = ["edge.apps.example.test"]

[onboarding.workflow]
state_machine = "tenant-provision"
input = '{input}'
timeout_secs = 60
{extra}
"#,
            pool = w.pool
        ),
    )
    .unwrap();
    path
}

const INPUT: &str = r#"{"tenant": "{tenant}", "plan": "{plan}"}"#;

fn create(w: &World, config: &PathBuf, endpoint: Option<&str>, tenant: &str, plan: &str) -> Output {
    let mut cmd = support::opsdeck(&w.account);
    if let Some(e) = endpoint {
        cmd.env("AWS_ENDPOINT_URL", e);
    }
    cmd.arg("--config").arg(config).args([
        "tenants",
        "create",
        tenant,
        "--admin-email",
        &format!("admin@{tenant}.example"),
        "--var",
        &format!("plan={plan}"),
        "--yes",
    ]);
    let out = cmd.stdin(Stdio::null()).output().expect("run opsdeck");
    eprintln!(
        "stdout:\n{}\nstderr:\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

async fn record(w: &World, name: &str) -> Vec<String> {
    let out = Route53::new(&w.dns_sdk)
        .list_resource_record_sets()
        .hosted_zone_id(&w.zone)
        .send()
        .await
        .expect("list records");
    out.resource_record_sets()
        .iter()
        .filter(|r| r.name().trim_end_matches('.') == name)
        .map(|r| {
            let values: Vec<&str> = r.resource_records().iter().map(|v| v.value()).collect();
            format!("{} {}", r.r#type().as_str(), values.join(","))
        })
        .collect()
}

async fn groups(w: &World, tenant: &str) -> Vec<String> {
    let out = Cognito::new(&w.account.sdk)
        .list_groups()
        .user_pool_id(&w.pool)
        .send()
        .await
        .expect("list groups");
    out.groups()
        .iter()
        .filter_map(|g| g.group_name())
        .filter(|g| g.starts_with(&format!("{tenant}:")))
        .map(str::to_owned)
        .collect()
}

/// (name, status, input) of every execution of the machine.
async fn executions(w: &World) -> Vec<(String, String, String)> {
    let sfn = Sfn::new(&w.account.sdk);
    let list = sfn
        .list_executions()
        .state_machine_arn(&w.machine)
        .send()
        .await
        .expect("list executions");
    let mut out = Vec::new();
    for e in list.executions() {
        let d = sfn
            .describe_execution()
            .execution_arn(e.execution_arn())
            .send()
            .await
            .expect("describe execution");
        out.push((
            e.name().to_owned(),
            d.status().as_str().to_owned(),
            d.input().unwrap_or_default().to_owned(),
        ));
    }
    out.sort();
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the AWS emulator: run scripts/test"]
async fn a_full_onboarding_a_rerun_that_does_nothing_and_a_failing_workflow() {
    let w = world().await;
    let config = config(&w, INPUT, "");
    let out = create(&w, &config, None, "acme", "gold");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("ExecutionSucceeded"),
        "transitions on stderr"
    );
    assert_eq!(groups(&w, "acme").await.len(), 3);
    assert_eq!(
        record(&w, "acme.apps.example.test").await,
        ["CNAME edge.apps.example.test"]
    );
    let runs = executions(&w).await;
    assert_eq!(runs.len(), 1, "{runs:?}");
    assert_eq!(
        (runs[0].0.as_str(), runs[0].1.as_str()),
        ("onboard-acme", "SUCCEEDED")
    );
    let input: serde_json::Value = serde_json::from_str(&runs[0].2).unwrap();
    assert_eq!(input, json!({"tenant": "acme", "plan": "gold"}));

    // Again: nothing new anywhere.
    let proxy = proxy::Proxy::start(&support::endpoint(), Vec::new()).await;
    let out = create(&w, &config, Some(&proxy.endpoint), "acme", "gold");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("nothing to do"));
    for (service, op) in [
        ("cognito-idp", "CreateGroup"),
        ("cognito-idp", "AdminCreateUser"),
        ("route53", "ChangeResourceRecordSets"),
        ("states", "StartExecution"),
    ] {
        assert_eq!(proxy.count(service, op), 0, "{op}");
    }
    assert_eq!(executions(&w).await.len(), 1);

    // A tenant whose workflow fails: exit 5, its Cognito part and record stay.
    let out = create(&w, &config, None, "globex", "broken");
    assert_eq!(out.status.code(), Some(5), "{}", stderr(&out));
    assert!(stderr(&out).contains("ended FAILED"), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("opsdeck sfn show"),
        "{}",
        stderr(&out)
    );
    assert_eq!(groups(&w, "globex").await.len(), 3);
    assert_eq!(record(&w, "globex.apps.example.test").await.len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the AWS emulator: run scripts/test"]
async fn a_fault_at_the_dns_or_the_workflow_step_then_a_rerun_completes_without_duplicates() {
    let w = world().await;
    let config = config(&w, INPUT, "");
    let faults = [
        ("cognito-idp", "AdminCreateUser", "initech"),
        ("route53", "ChangeResourceRecordSets", "acme"),
        ("states", "StartExecution", "globex"),
    ];
    for (service, op, tenant) in faults {
        let proxy = proxy::Proxy::start(
            &support::endpoint(),
            vec![proxy::Rule::on(service, proxy::Fault::AccessDenied).operation(op)],
        )
        .await;
        let out = create(&w, &config, Some(&proxy.endpoint), tenant, "gold");
        assert_eq!(out.status.code(), Some(1), "{op}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("run the same command again"),
            "{}",
            stderr(&out)
        );
        assert!(
            stderr(&out).contains(&format!("opsdeck tenants create {tenant} --admin-email")),
            "{}",
            stderr(&out)
        );
        let out = create(&w, &config, None, tenant, "gold");
        assert_eq!(out.status.code(), Some(0), "{op}: {}", stderr(&out));
        assert_eq!(groups(&w, tenant).await.len(), 3);
        assert_eq!(
            record(&w, &format!("{tenant}.apps.example.test"))
                .await
                .len(),
            1
        );
    }
    let runs = executions(&w).await;
    let names: Vec<&str> = runs.iter().map(|r| r.0.as_str()).collect();
    assert_eq!(names, ["onboard-acme", "onboard-globex", "onboard-initech"]);
    assert!(runs.iter().all(|r| r.1 == "SUCCEEDED"), "{runs:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the AWS emulator: run scripts/test"]
async fn a_read_only_dns_account_or_a_template_without_json_is_refused_before_any_change() {
    let w = world().await;
    let read_only = format!(
        "[[organization.accounts]]\nid = \"{}\"\nname = \"dns\"\nread_only = true\n",
        w.dns
    );
    let config_ro = config(&w, INPUT, &read_only);
    let proxy = proxy::Proxy::start(&support::endpoint(), Vec::new()).await;
    let out = create(&w, &config_ro, Some(&proxy.endpoint), "acme", "gold");
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("is configured as read-only"),
        "{}",
        stderr(&out)
    );
    for (service, op) in [
        ("cognito-idp", "CreateGroup"),
        ("route53", "ChangeResourceRecordSets"),
        ("states", "StartExecution"),
    ] {
        assert_eq!(proxy.count(service, op), 0, "{op}");
    }
    assert!(groups(&w, "acme").await.is_empty());

    // A bare placeholder whose value is no JSON: refused before any call at all.
    let config_bad = config(&w, r#"{"tenant": {tenant}}"#, "");
    proxy.clear_calls();
    let out = create(&w, &config_bad, Some(&proxy.endpoint), "acme", "gold");
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("onboarding.workflow.input"),
        "{}",
        stderr(&out)
    );
    assert!(stderr(&out).contains("not JSON"), "{}", stderr(&out));
    assert!(proxy.calls().is_empty(), "{:?}", proxy.calls().len());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the AWS emulator: run scripts/test"]
async fn tenants_delete_with_offboarding_removes_the_record_and_runs_the_offboarding_workflow() {
    let w = world().await;
    let offboarding = "[offboarding]\ndelete_dns = true\n[offboarding.workflow]\n\
                       state_machine = \"tenant-provision\"\n\
                       input = '{\"tenant\": \"{tenant}\", \"plan\": \"offboard\"}'\n";
    let config = config(&w, INPUT, offboarding);
    let out = create(&w, &config, None, "acme", "gold");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(record(&w, "acme.apps.example.test").await.len(), 1);

    let mut cmd = support::opsdeck(&w.account);
    cmd.arg("--config")
        .arg(&config)
        .args(["tenants", "delete", "acme", "--force", "--yes"]);
    let out = cmd.stdin(Stdio::null()).output().expect("run opsdeck");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(groups(&w, "acme").await.is_empty());
    assert!(record(&w, "acme.apps.example.test").await.is_empty());
    let runs = executions(&w).await;
    let offboard: Vec<_> = runs.iter().filter(|r| r.0 == "offboard-acme").collect();
    assert_eq!(offboard.len(), 1, "{runs:?}");
    assert_eq!(offboard[0].1, "SUCCEEDED");
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&offboard[0].2).unwrap(),
        json!({"tenant": "acme", "plan": "offboard"})
    );
}
