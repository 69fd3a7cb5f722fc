//! `tenants create` with a runbook (`[onboarding.dns]`, `[onboarding.workflow]`) against the fake:
//! one plan across Cognito, the zone's account and Step Functions; reruns that plan only what is
//! missing; failures that leave a report; read-only accounts and bad templates refused before any
//! call.

use std::path::Path;
use std::time::Duration;

use opsdeck::commands::Context;
use opsdeck::exit;
use opsdeck::services::fake::{ExecutionSeed, FakeBackend, MachineSeed, ZoneSeed};
use opsdeck::services::{ErrorKind, ServiceError};

use crate::support::{ME, POOL, acme, audit, context, run};

const DNS_ACCOUNT: &str = "222222222222";
const ZONE: &str = "Z0APPS";

fn runbook(wait: bool) -> String {
    format!(
        r#"
[onboarding.dns]
zone = "apps.example.com"
name = "{{tenant}}.apps.example.com"
type = "CNAME"
values = ["edge.apps.example.com"]
ttl = 300

[onboarding.workflow]
state_machine = "tenant-provision"
input = '{{"tenant": "{{tenant}}", "plan": "{{plan}}", "admin": "{{admin_email}}"}}'
name = "onboard-{{tenant}}"
wait = {wait}
timeout_secs = 5
"#
    )
}

fn world() -> FakeBackend {
    FakeBackend::new(ME)
        .with_pool(acme())
        .with_account(DNS_ACCOUNT, "dns")
        .with_zone_in(DNS_ACCOUNT, ZoneSeed::public(ZONE, "apps.example.com"))
        .with_machine(MachineSeed::standard("tenant-provision"))
}

fn ctx_with(fake: &FakeBackend, dir: &Path, text: &str) -> Context {
    let mut ctx = context(fake, dir);
    let parsed = opsdeck::config::parse_str(text, Path::new("/test/config.toml")).unwrap();
    ctx.config.onboarding = parsed.onboarding;
    ctx.config.offboarding = parsed.offboarding;
    ctx.config.workflows.poll_interval_ms = 200;
    ctx
}

const CREATE: &[&str] = &[
    "tenants",
    "create",
    "globex",
    "--admin-email",
    "carol@globex.com",
    "--var",
    "plan=gold",
    "--yes",
];

fn record_of(fake: &FakeBackend, name: &str) -> Vec<String> {
    fake.records(ZONE)
        .into_iter()
        .filter(|r| r.name == name)
        .map(|r| format!("{} {}", r.kind, r.values.join(",")))
        .collect()
}

/// End the execution `name` as soon as it exists (a provisioning workflow running elsewhere).
fn end_when_started(fake: &FakeBackend, name: &str, succeed: bool) -> tokio::task::JoinHandle<()> {
    let fake = fake.clone();
    let arn = fake.execution_arn("tenant-provision", name);
    tokio::spawn(async move {
        loop {
            if fake.execution_detail(&arn).is_some() {
                if succeed {
                    fake.succeed_execution(&arn, "{}");
                } else {
                    fake.fail_execution(&arn, "Provision.Failed", "no capacity");
                }
                return;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
}

#[tokio::test]
async fn one_plan_onboards_cognito_dns_and_the_workflow_in_order() {
    let fake = world();
    let dir = tempfile::tempdir().unwrap();
    let ctx = ctx_with(&fake, dir.path(), &runbook(true));
    let ender = end_when_started(&fake, "onboard-globex", true);
    let ran = run(&ctx, CREATE).await;
    ender.await.unwrap();
    assert_eq!(ran.code(), exit::SUCCESS, "{}\n{}", ran.out, ran.err);
    // One plan, confirmed once, naming every part.
    assert_eq!(ran.err.matches("Plan: ").count(), 1, "{}", ran.err);
    assert!(
        ran.err.contains("DNS globex.apps.example.com"),
        "{}",
        ran.err
    );
    assert!(
        ran.err.contains("(account dns 222222222222)"),
        "{}",
        ran.err
    );
    assert!(ran.err.contains("in sync"), "{}", ran.err);
    assert!(ran.out.contains("SUCCEEDED"), "{}", ran.out);
    let ops: Vec<String> = fake.changes().into_iter().map(|(op, _)| op).collect();
    let first_dns = ops
        .iter()
        .position(|o| o == "ChangeResourceRecordSets")
        .unwrap();
    let start = ops.iter().position(|o| o == "StartExecution").unwrap();
    let last_cognito = ops
        .iter()
        .rposition(|o| o.starts_with("Admin") || o == "CreateGroup");
    assert!(
        last_cognito.unwrap() < first_dns && first_dns < start,
        "{ops:?}"
    );

    assert_eq!(fake.members(POOL, "globex:admin"), ["carol@globex.com"]);
    assert_eq!(
        record_of(&fake, "globex.apps.example.com"),
        ["CNAME edge.apps.example.com"]
    );
    let arn = fake.execution_arn("tenant-provision", "onboard-globex");
    let input = fake.execution_detail(&arn).unwrap().input.unwrap();
    let input: serde_json::Value = serde_json::from_str(&input).unwrap();
    assert_eq!(
        input,
        serde_json::json!({"tenant": "globex", "plan": "gold", "admin": "carol@globex.com"})
    );
    // Each call audited in its own account.
    let lines = audit(&ctx.audit_path());
    let dns_line = lines
        .iter()
        .find(|l| l.operation == "ChangeResourceRecordSets")
        .unwrap();
    assert_eq!(dns_line.account_id, DNS_ACCOUNT);

    // A rerun does nothing: no change call, no execution started.
    fake.clear_calls();
    let again = run(&ctx, CREATE).await;
    assert_eq!(again.code(), exit::SUCCESS, "{}", again.err);
    assert!(again.out.contains("nothing to do"), "{}", again.out);
    assert!(fake.changes().is_empty(), "{:?}", fake.changes());
    let machine = fake.machine_arn("tenant-provision");
    assert_eq!(fake.executions_of(&machine).len(), 1);
}

#[tokio::test]
async fn a_failing_workflow_exits_5_keeps_the_rest_and_a_rerun_starts_the_next_name() {
    let fake = world();
    let dir = tempfile::tempdir().unwrap();
    let ctx = ctx_with(&fake, dir.path(), &runbook(true));
    let ender = end_when_started(&fake, "onboard-globex", false);
    let ran = run(&ctx, CREATE).await;
    ender.await.unwrap();
    assert_eq!(ran.code(), exit::PROBLEMS, "{}\n{}", ran.out, ran.err);
    assert!(
        ran.err.contains("ended FAILED: Provision.Failed"),
        "{}",
        ran.err
    );
    assert!(ran.err.contains("opsdeck sfn show"), "{}", ran.err);
    assert!(ran.err.contains("--var plan=gold"), "{}", ran.err);
    assert_eq!(fake.members(POOL, "globex:admin"), ["carol@globex.com"]);
    assert_eq!(record_of(&fake, "globex.apps.example.com").len(), 1);

    fake.clear_calls();
    let ender = end_when_started(&fake, "onboard-globex-2", true);
    let again = run(&ctx, CREATE).await;
    ender.await.unwrap();
    assert_eq!(again.code(), exit::SUCCESS, "{}", again.err);
    let ops: Vec<(String, String)> = fake.changes();
    assert_eq!(ops.len(), 1, "only the start: {ops:?}");
    assert_eq!(ops[0].0, "StartExecution");
    assert!(
        again.out.contains("onboard-globex-2 SUCCEEDED"),
        "{}",
        again.out
    );
}

#[tokio::test]
async fn a_running_execution_is_watched_not_restarted() {
    let fake = world();
    let dir = tempfile::tempdir().unwrap();
    let ctx = ctx_with(&fake, dir.path(), &runbook(false));
    assert_eq!(run(&ctx, CREATE).await.code(), exit::SUCCESS);
    fake.clear_calls();
    let again = run(&ctx, CREATE).await;
    assert_eq!(again.code(), exit::SUCCESS, "{}", again.err);
    assert!(
        again.out.contains("onboard-globex RUNNING"),
        "{}",
        again.out
    );
    assert!(fake.changes().is_empty(), "{:?}", fake.changes());
}

#[tokio::test]
async fn a_fault_at_the_dns_step_stops_there_and_a_rerun_completes_without_duplicates() {
    let fake = world();
    let dir = tempfile::tempdir().unwrap();
    let ctx = ctx_with(&fake, dir.path(), &runbook(false));
    fake.fail_next_in(
        DNS_ACCOUNT,
        "ChangeResourceRecordSets",
        ServiceError::new(
            ErrorKind::Unavailable,
            Some("ServiceUnavailable".into()),
            "down",
        ),
    );
    let ran = run(&ctx, CREATE).await;
    assert_eq!(ran.code(), exit::ERROR, "{}", ran.err);
    assert!(ran.out.contains("FAILED: "), "{}", ran.out);
    assert!(ran.out.contains("not attempted: "), "{}", ran.out);
    assert!(
        ran.err.contains("run the same command again"),
        "{}",
        ran.err
    );
    let machine = fake.machine_arn("tenant-provision");
    assert!(
        fake.executions_of(&machine).is_empty(),
        "not started after the failure"
    );

    fake.clear_calls();
    let again = run(&ctx, CREATE).await;
    assert_eq!(again.code(), exit::SUCCESS, "{}", again.err);
    let ops: Vec<String> = fake.changes().into_iter().map(|(op, _)| op).collect();
    assert_eq!(
        ops,
        ["ChangeResourceRecordSets", "StartExecution"],
        "only what was missing"
    );
    assert_eq!(fake.members(POOL, "globex:admin"), ["carol@globex.com"]);
    assert_eq!(record_of(&fake, "globex.apps.example.com").len(), 1);
    assert_eq!(fake.executions_of(&machine).len(), 1);
}

#[tokio::test]
async fn a_read_only_dns_account_refuses_the_whole_plan_before_any_change() {
    let fake = world();
    let dir = tempfile::tempdir().unwrap();
    let mut ctx = ctx_with(&fake, dir.path(), &runbook(false));
    ctx.config.organization.accounts = vec![opsdeck::config::AccountConfig {
        id: DNS_ACCOUNT.into(),
        name: "dns".into(),
        read_only: true,
    }];
    let ran = run(&ctx, CREATE).await;
    assert_eq!(ran.code(), exit::REFUSED, "{}", ran.err);
    assert!(
        ran.err.contains("222222222222 is configured as read-only"),
        "{}",
        ran.err
    );
    assert!(
        !ran.err.contains("Plan: "),
        "refused before the plan is shown: {}",
        ran.err
    );
    assert!(fake.changes().is_empty(), "{:?}", fake.changes());
    assert!(
        fake.groups_of(POOL)
            .iter()
            .all(|g| !g.name.starts_with("globex"))
    );
}

#[tokio::test]
async fn an_unknown_placeholder_or_a_bad_json_input_is_refused_before_any_call() {
    let fake = world();
    let dir = tempfile::tempdir().unwrap();
    let ctx = ctx_with(&fake, dir.path(), &runbook(false));
    let without_var: Vec<&str> = CREATE
        .iter()
        .copied()
        .filter(|a| *a != "--var" && *a != "plan=gold")
        .collect();
    let ran = run(&ctx, &without_var).await;
    let e = ran.error();
    assert!(e.contains("key `onboarding.workflow.input`"), "{e}");
    assert!(e.contains("unknown placeholder {plan}"), "{e}");
    assert!(fake.calls().is_empty(), "{:?}", fake.calls());

    // A value is escaped inside its JSON string; a bare placeholder that renders no JSON is
    // refused.
    let text = runbook(false).replace(r#""plan": "{plan}""#, r#""plan": {plan}"#);
    let ctx = ctx_with(&fake, dir.path(), &text);
    let bad = [
        "tenants",
        "create",
        "globex",
        "--admin-email",
        "carol@globex.com",
        "--var",
        "plan=gold x",
        "--yes",
    ];
    let e = run(&ctx, &bad).await.error();
    assert!(e.contains("not JSON"), "{e}");
    assert!(fake.calls().is_empty(), "{:?}", fake.calls());
}

#[tokio::test]
async fn a_record_of_another_tenant_at_the_name_is_not_overwritten() {
    let fake = FakeBackend::new(ME)
        .with_pool(acme())
        .with_account(DNS_ACCOUNT, "dns")
        .with_zone_in(
            DNS_ACCOUNT,
            ZoneSeed::public(ZONE, "apps.example.com").simple(
                "globex.apps.example.com",
                "CNAME",
                &["other-edge.example.net"],
            ),
        )
        .with_machine(MachineSeed::standard("tenant-provision"));
    let dir = tempfile::tempdir().unwrap();
    let ctx = ctx_with(&fake, dir.path(), &runbook(false));
    let e = run(&ctx, CREATE).await.error();
    assert!(e.contains("already exists in zone"), "{e}");
    assert!(e.contains("not overwritten"), "{e}");
    assert!(fake.changes().is_empty(), "{:?}", fake.changes());
}

#[tokio::test]
async fn a_dry_run_prints_the_whole_plan_and_changes_nothing() {
    let fake = world()
        .with_machine(MachineSeed::standard("unrelated").execution(ExecutionSeed::succeeded("x")));
    let dir = tempfile::tempdir().unwrap();
    let ctx = ctx_with(&fake, dir.path(), &runbook(true));
    let mut args = CREATE.to_vec();
    args.push("--dry-run");
    let ran = run(&ctx, &args).await;
    assert_eq!(ran.code(), exit::SUCCESS, "{}", ran.err);
    assert!(ran.out.contains("cognito-idp:CreateGroup"), "{}", ran.out);
    assert!(
        ran.out.contains("route53:ChangeResourceRecordSets"),
        "{}",
        ran.out
    );
    assert!(ran.out.contains("states:StartExecution"), "{}", ran.out);
    assert!(fake.changes().is_empty());
}

#[tokio::test]
async fn tenants_delete_with_offboarding_deletes_the_record_and_starts_the_workflow_once() {
    let fake = world().with_machine(MachineSeed::standard("tenant-deprovision"));
    let dir = tempfile::tempdir().unwrap();
    let text = format!(
        "{}\n[offboarding]\ndelete_dns = true\n[offboarding.workflow]\nstate_machine = \
         \"tenant-deprovision\"\ninput = '{{\"tenant\": \"{{tenant}}\"}}'\nwait = false\n",
        runbook(false)
    );
    let ctx = ctx_with(&fake, dir.path(), &text);
    assert_eq!(run(&ctx, CREATE).await.code(), exit::SUCCESS);
    assert_eq!(record_of(&fake, "globex.apps.example.com").len(), 1);

    let delete = ["tenants", "delete", "globex", "--force", "--yes"];
    let ran = run(&ctx, &delete).await;
    assert_eq!(ran.code(), exit::SUCCESS, "{}\n{}", ran.out, ran.err);
    assert!(
        ran.err.contains("Plan: Offboard tenant globex"),
        "{}",
        ran.err
    );
    assert!(
        fake.groups_of(POOL)
            .iter()
            .all(|g| !g.name.starts_with("globex:"))
    );
    assert!(record_of(&fake, "globex.apps.example.com").is_empty());
    let machine = fake.machine_arn("tenant-deprovision");
    let runs = fake.executions_of(&machine);
    assert_eq!(runs.len(), 1);
    assert_eq!(runs[0].execution.name, "offboard-globex");
    assert_eq!(runs[0].input.as_deref(), Some(r#"{"tenant": "globex"}"#));

    // Run again: the groups and the record are gone, the execution exists: nothing new.
    fake.clear_calls();
    let again = run(&ctx, &delete).await;
    assert_eq!(again.code(), exit::SUCCESS, "{}", again.err);
    assert!(fake.changes().is_empty(), "{:?}", fake.changes());
    assert_eq!(fake.executions_of(&machine).len(), 1);
}

#[tokio::test]
async fn tenants_show_has_the_record_and_the_onboarding_executions() {
    let fake = world();
    let dir = tempfile::tempdir().unwrap();
    let ctx = ctx_with(&fake, dir.path(), &runbook(true));
    let ender = end_when_started(&fake, "onboard-globex", false);
    assert_eq!(run(&ctx, CREATE).await.code(), exit::PROBLEMS);
    ender.await.unwrap();
    let ender = end_when_started(&fake, "onboard-globex-2", true);
    assert_eq!(run(&ctx, CREATE).await.code(), exit::SUCCESS);
    ender.await.unwrap();

    let ran = run(&ctx, &["tenants", "show", "globex", "-o", "json"]).await;
    assert_eq!(ran.code(), exit::SUCCESS, "{}", ran.err);
    let doc: serde_json::Value = serde_json::from_str(&ran.out).unwrap();
    assert_eq!(doc["members"][0]["email"], "carol@globex.com");
    assert_eq!(
        doc["dns"],
        serde_json::json!([{"name": "globex.apps.example.com", "type": "CNAME", "ttl": 300,
            "values": ["edge.apps.example.com"], "alias_target": null,
            "zone": "apps.example.com", "account_id": DNS_ACCOUNT}])
    );
    let runs: Vec<(String, String)> = doc["executions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["name"].as_str().unwrap().to_owned(),
                e["status"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        runs,
        [
            ("onboard-globex".to_owned(), "FAILED".to_owned()),
            ("onboard-globex-2".to_owned(), "SUCCEEDED".to_owned())
        ]
    );
    let table = run(&ctx, &["tenants", "show", "globex"]).await;
    assert!(
        table
            .out
            .contains("dns: globex.apps.example.com CNAME edge.apps.example.com"),
        "{}",
        table.out
    );
    assert!(
        table
            .out
            .contains("onboarding workflow: onboard-globex-2 SUCCEEDED"),
        "{}",
        table.out
    );
}

#[tokio::test]
async fn with_redrive_a_failed_execution_is_redriven_not_started_again() {
    let fake = world();
    let dir = tempfile::tempdir().unwrap();
    let text = runbook(false).replace("timeout_secs = 5", "timeout_secs = 5\nredrive = true");
    let ctx = ctx_with(&fake, dir.path(), &text);
    assert_eq!(run(&ctx, CREATE).await.code(), exit::SUCCESS);
    let arn = fake.execution_arn("tenant-provision", "onboard-globex");
    fake.fail_execution(&arn, "Provision.Failed", "no capacity");
    fake.clear_calls();
    let again = run(&ctx, CREATE).await;
    assert_eq!(again.code(), exit::SUCCESS, "{}", again.err);
    let ops: Vec<String> = fake.changes().into_iter().map(|(op, _)| op).collect();
    assert_eq!(ops, ["RedriveExecution"]);
    assert!(
        again.out.contains("onboard-globex started"),
        "{}",
        again.out
    );
}
