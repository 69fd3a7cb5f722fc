//! `opsdeck sfn ...` against the fake: listing machines and executions, and the changes (start,
//! stop, redrive) through confirmation, dry run and the executor, with their exit codes and what
//! the executions are afterwards.

use opsdeck::domain::workflows::ExecutionStatus;
use opsdeck::exit;
use opsdeck::services::fake::{ExecutionSeed, FakeBackend, MachineSeed};
use opsdeck::services::{ErrorKind, ServiceError};

use crate::support::{ME, audit, context, run, run_with};

/// Machine orders (a running, a failed and a succeeded execution) and the express machine
/// clicks.
fn sfn() -> FakeBackend {
    FakeBackend::new(ME)
        .with_machine(
            MachineSeed::standard("orders")
                .execution(ExecutionSeed::succeeded("run-1").state("Task", "Charge"))
                .execution(ExecutionSeed::failed("run-2", "Card.Declined", "no funds"))
                .execution(ExecutionSeed::running("run-3").input(r#"{"order": 3}"#)),
        )
        .with_machine(MachineSeed::express("clicks"))
}

fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

#[tokio::test]
async fn machines_show_their_running_and_failed_counts() {
    let fake = sfn();
    let dir = tempfile::tempdir().unwrap();
    let ran = run(
        &context(&fake, dir.path()),
        &["sfn", "machines", "-o", "json"],
    )
    .await;
    assert_eq!(ran.code(), exit::SUCCESS);
    let rows = json(&ran.out);
    let counts: Vec<(&str, &str, serde_json::Value, serde_json::Value)> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            let name = m["name"].as_str().unwrap();
            (
                name,
                m["type"].as_str().unwrap(),
                m["running"].clone(),
                m["failed"].clone(),
            )
        })
        .collect();
    assert_eq!(
        counts,
        [
            ("orders", "standard", 1.into(), 1.into()),
            (
                "clicks",
                "express",
                serde_json::Value::Null,
                serde_json::Value::Null
            ),
        ]
    );
    assert_eq!(
        fake.calls(),
        ["GetCallerIdentity", "ListStateMachines", "ListExecutions"]
    );
}

#[tokio::test]
async fn executions_are_newest_first_and_filtered_by_status() {
    let fake = sfn();
    let dir = tempfile::tempdir().unwrap();
    let ctx = context(&fake, dir.path());
    let ran = run(&ctx, &["sfn", "executions", "-o", "json"]).await;
    let names: Vec<String> = json(&ran.out)
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["name"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(names, ["run-3", "run-2", "run-1"]);

    let ran = run(
        &ctx,
        &["sfn", "executions", "--status", "failed", "-o", "json"],
    )
    .await;
    let rows = json(&ran.out);
    assert_eq!(rows.as_array().unwrap().len(), 1);
    assert_eq!(rows[0]["name"], "run-2");
    assert_eq!(rows[0]["status"], "FAILED");
}

#[tokio::test]
async fn start_with_yes_prints_the_started_execution_and_reports_on_stderr() {
    let fake = sfn();
    let dir = tempfile::tempdir().unwrap();
    let ctx = context(&fake, dir.path());
    let args = [
        "sfn",
        "start",
        "orders",
        "--name",
        "run-9",
        "--input",
        r#"{"order": 9}"#,
        "--yes",
        "-o",
        "json",
    ];
    let ran = run(&ctx, &args).await;
    assert_eq!(ran.code(), exit::SUCCESS, "{}", ran.err);
    let arn = fake.execution_arn("orders", "run-9");
    assert_eq!(
        json(&ran.out),
        serde_json::json!({"execution_arn": arn, "name": "run-9"})
    );
    assert!(ran.err.contains("done: 1. start run-9"), "{}", ran.err);
    let started = fake.execution_detail(&arn).unwrap();
    assert_eq!(started.execution.status, ExecutionStatus::Running);
    assert_eq!(started.input.as_deref(), Some(r#"{"order": 9}"#));
}

#[tokio::test]
async fn start_as_a_dry_run_or_of_an_unknown_machine_starts_nothing() {
    let fake = sfn();
    let dir = tempfile::tempdir().unwrap();
    let ctx = context(&fake, dir.path());
    let ran = run(
        &ctx,
        &["sfn", "start", "orders", "--name", "run-9", "--dry-run"],
    )
    .await;
    assert_eq!(ran.code(), exit::SUCCESS);
    assert!(
        ran.out.contains("dry run (not called): 1. start run-9"),
        "{}",
        ran.out
    );
    let ran = run(&ctx, &["sfn", "start", "invoices", "--yes"]).await;
    assert!(
        ran.error().contains("no state machine invoices"),
        "{}",
        ran.error()
    );
    assert!(fake.changes().is_empty());
    assert_eq!(fake.executions_of(&fake.machine_arn("orders")).len(), 3);
}

#[tokio::test]
async fn stop_with_yes_aborts_the_running_execution_with_its_error_and_cause() {
    let fake = sfn();
    let dir = tempfile::tempdir().unwrap();
    let ctx = context(&fake, dir.path());
    let arn = fake.execution_arn("orders", "run-3");
    let args = [
        "sfn", "stop", &arn, "--yes", "--error", "Ops.Stop", "--cause", "stuck",
    ];
    let ran = run(&ctx, &args).await;
    assert_eq!(ran.code(), exit::SUCCESS, "{}", ran.err);
    assert!(
        ran.out
            .contains("done: 1. stop the execution, error Ops.Stop"),
        "{}",
        ran.out
    );
    let stopped = fake.execution_detail(&arn).unwrap();
    assert_eq!(stopped.execution.status, ExecutionStatus::Aborted);
    assert_eq!(
        (stopped.error.as_deref(), stopped.cause.as_deref()),
        (Some("Ops.Stop"), Some("stuck"))
    );
    let last = fake.history(&arn).pop().unwrap();
    assert_eq!(
        (last.kind.as_str(), last.details.error.as_deref()),
        ("ExecutionAborted", Some("Ops.Stop"))
    );
}

#[tokio::test]
async fn stopping_an_execution_that_has_ended_is_nothing_to_do() {
    let fake = sfn();
    let dir = tempfile::tempdir().unwrap();
    let ctx = context(&fake, dir.path());
    let arn = fake.execution_arn("orders", "run-1");
    let ran = run(&ctx, &["sfn", "stop", &arn, "--yes"]).await;
    assert_eq!(ran.code(), exit::SUCCESS, "{}", ran.err);
    assert_eq!(
        ran.out,
        "nothing to do: execution run-1 is SUCCEEDED; only a RUNNING execution can be stopped\n"
    );
    assert_eq!(fake.calls(), ["DescribeExecution"]);
    assert!(audit(&ctx.audit_path()).is_empty());
    assert_eq!(
        fake.execution_detail(&arn).unwrap().execution.status,
        ExecutionStatus::Succeeded
    );
}

#[tokio::test]
async fn an_interactive_stop_needs_the_execution_name_typed() {
    let fake = sfn();
    let dir = tempfile::tempdir().unwrap();
    let ctx = context(&fake, dir.path());
    let arn = fake.execution_arn("orders", "run-3");
    let ran = run_with(&ctx, &["sfn", "stop", &arn], "y\n", true).await;
    assert_eq!(ran.code(), exit::REFUSED);
    assert!(ran.err.contains("Type run-3 to confirm:"), "{}", ran.err);
    assert!(
        ran.err.contains("the typed text did not match run-3"),
        "{}",
        ran.err
    );
    assert!(fake.changes().is_empty());

    let ran = run_with(&ctx, &["sfn", "stop", &arn], "run-3\n", true).await;
    assert_eq!(ran.code(), exit::SUCCESS, "{}", ran.err);
    assert_eq!(
        fake.execution_detail(&arn).unwrap().execution.status,
        ExecutionStatus::Aborted
    );

    // Without a terminal and without --yes nothing is asked: refused.
    let other = fake.execution_arn("orders", "run-2");
    let ran = run_with(&ctx, &["sfn", "redrive", &other], "y\n", false).await;
    assert_eq!(ran.code(), exit::REFUSED);
}

#[tokio::test]
async fn redrive_runs_a_failed_execution_again_and_has_nothing_to_do_otherwise() {
    let fake = sfn();
    let dir = tempfile::tempdir().unwrap();
    let ctx = context(&fake, dir.path());
    let failed = fake.execution_arn("orders", "run-2");
    let ran = run(&ctx, &["sfn", "redrive", &failed, "--yes"]).await;
    assert_eq!(ran.code(), exit::SUCCESS, "{}", ran.err);
    let redriven = fake.execution_detail(&failed).unwrap();
    assert_eq!(redriven.execution.status, ExecutionStatus::Running);
    assert_eq!((redriven.redrive_count, redriven.error), (1, None));

    // Running now, and a succeeded one: nothing to do, nothing called but the read.
    for name in ["run-2", "run-1"] {
        fake.clear_calls();
        let arn = fake.execution_arn("orders", name);
        let ran = run(&ctx, &["sfn", "redrive", &arn, "--yes"]).await;
        assert_eq!(ran.code(), exit::SUCCESS, "{}", ran.err);
        assert!(
            ran.out.starts_with("nothing to do: execution "),
            "{}",
            ran.out
        );
        assert!(
            ran.out
                .contains("only a FAILED, TIMED_OUT or ABORTED execution can be redriven"),
            "{}",
            ran.out
        );
        assert_eq!(fake.calls(), ["DescribeExecution"]);
    }
    assert_eq!(
        audit(&ctx.audit_path()).len(),
        2,
        "the one redrive: its intent and its outcome"
    );
}

#[tokio::test]
async fn a_redrive_step_functions_refuses_is_told_refused_with_its_reason_not_unknown() {
    let fake = sfn();
    let dir = tempfile::tempdir().unwrap();
    let ctx = context(&fake, dir.path());
    let failed = fake.execution_arn("orders", "run-2");
    // What Step Functions answers for a failed execution past its redrive window (HTTP 400).
    fake.fail_next(
        "RedriveExecution",
        ServiceError::new(
            ErrorKind::Other,
            Some("ExecutionNotRedrivable".into()),
            "Step Functions RedriveExecution failed: Execution can no longer be redriven",
        ),
    );
    let ran = run(&ctx, &["sfn", "redrive", &failed, "--yes"]).await;
    assert_eq!(ran.code(), exit::ERROR, "{}", ran.err);
    assert!(
        ran.err.contains("Execution can no longer be redriven"),
        "{}",
        ran.err
    );
    assert!(
        ran.err
            .contains("AWS refused step 1, so it changed nothing (ExecutionNotRedrivable)"),
        "{}",
        ran.err
    );
    assert!(!ran.err.contains("may have taken effect"), "{}", ran.err);
    let detail = fake.execution_detail(&failed).unwrap();
    assert_eq!(detail.execution.status, ExecutionStatus::Failed);
}

#[tokio::test]
async fn a_stop_of_anything_but_an_execution_arn_is_a_usage_error_before_any_call() {
    let fake = sfn();
    let dir = tempfile::tempdir().unwrap();
    let ctx = context(&fake, dir.path());
    let lambda = format!("arn:aws:lambda:eu-west-1:{ME}:function:charge");
    let machine = fake.machine_arn("orders");
    for (command, arn, why) in [
        ("stop", lambda.as_str(), "its service is \"lambda\""),
        ("stop", "arn:garbage", "an ARN has the form"),
        (
            "redrive",
            machine.as_str(),
            "its resource type is \"stateMachine\"",
        ),
        (
            "stop",
            "arn:aws:states:eu-west-1:1:execution:m:n",
            "not 12 digits",
        ),
    ] {
        let ran = run(&ctx, &["sfn", command, arn, "--yes"]).await;
        assert_eq!(ran.code(), exit::USAGE, "{arn}");
        assert!(
            ran.err.contains("is not a Step Functions execution ARN"),
            "{}",
            ran.err
        );
        assert!(ran.err.contains(why), "{}", ran.err);
        assert!(ran.out.is_empty(), "{}", ran.out);
    }
    assert!(fake.calls().is_empty(), "{:?}", fake.calls());
    assert!(audit(&ctx.audit_path()).is_empty());
}

/// Another account of the organisation, and its machine orders with a running execution, whose
/// ARN names region us-east-1.
const OTHER: &str = "222222222222";

fn other_account() -> (FakeBackend, String) {
    let fake = sfn();
    fake.clone().with_region("us-east-1").with_machine_in(
        OTHER,
        MachineSeed::standard("orders").execution(ExecutionSeed::running("far-1")),
    );
    let arn = format!("arn:aws:states:us-east-1:{OTHER}:execution:orders:far-1");
    assert!(fake.execution_detail(&arn).is_some());
    (fake, arn)
}

#[tokio::test]
async fn a_stop_is_planned_and_sent_in_the_account_and_region_of_its_arn() {
    let (fake, arn) = other_account();
    let dir = tempfile::tempdir().unwrap();
    let ctx = context(&fake, dir.path());
    let ran = run(&ctx, &["sfn", "stop", &arn, "--dry-run"]).await;
    assert_eq!(ran.code(), exit::SUCCESS, "{}", ran.err);
    assert!(
        ran.out
            .contains(&format!("Account {OTHER}, region us-east-1")),
        "{}",
        ran.out
    );
    let ran = run(&ctx, &["sfn", "stop", &arn, "--yes"]).await;
    assert_eq!(ran.code(), exit::SUCCESS, "{}", ran.err);
    // The dry run's read, the apply's read to plan, the executor's re-read just before the
    // stop (is it still running?), then the stop.
    assert_eq!(
        fake.calls_in(OTHER),
        [
            "DescribeExecution",
            "DescribeExecution",
            "DescribeExecution",
            "StopExecution"
        ]
    );
    assert_eq!(
        fake.execution_detail(&arn).unwrap().execution.status,
        ExecutionStatus::Aborted
    );
    let lines = audit(&ctx.audit_path());
    let last = lines.last().unwrap();
    assert_eq!(
        (last.account_id.as_str(), last.region.as_str()),
        (OTHER, "us-east-1")
    );
}

#[tokio::test]
async fn a_stop_in_an_account_the_config_marks_read_only_is_refused_and_it_keeps_running() {
    let (fake, arn) = other_account();
    let dir = tempfile::tempdir().unwrap();
    let mut ctx = context(&fake, dir.path());
    ctx.config
        .organization
        .accounts
        .push(opsdeck::config::AccountConfig {
            id: OTHER.into(),
            name: "payments".into(),
            read_only: true,
        });
    let ran = run(&ctx, &["sfn", "stop", &arn, "--yes"]).await;
    assert_eq!(ran.code(), exit::REFUSED);
    assert!(
        ran.err
            .contains(&format!("account {OTHER} is configured as read-only")),
        "{}",
        ran.err
    );
    assert!(fake.changes().is_empty(), "{:?}", fake.changes());
    assert_eq!(
        fake.execution_detail(&arn).unwrap().execution.status,
        ExecutionStatus::Running
    );
    // The caller's own account is not read-only: a stop there goes through.
    let mine = fake.execution_arn("orders", "run-3");
    let ran = run(&ctx, &["sfn", "stop", &mine, "--yes"]).await;
    assert_eq!(ran.code(), exit::SUCCESS, "{}", ran.err);
}

#[tokio::test]
async fn a_start_with_an_input_over_256_kib_or_a_bidi_name_calls_nothing() {
    let fake = sfn();
    let dir = tempfile::tempdir().unwrap();
    let ctx = context(&fake, dir.path());
    let big = format!("{{\"blob\": \"{}\"}}", "x".repeat(300_000));
    let ran = run(&ctx, &["sfn", "start", "orders", "--input", &big, "--yes"]).await;
    let error = ran.error();
    assert!(
        error.contains("Step Functions accepts at most 256 KiB"),
        "{error}"
    );
    let ran = run(
        &ctx,
        &["sfn", "start", "orders", "--name", "a\u{202E}b", "--yes"],
    )
    .await;
    let error = ran.error();
    assert!(
        error.contains("U+202E (a bidirectional control character)"),
        "{error}"
    );
    assert!(fake.calls().is_empty(), "{:?}", fake.calls());
    assert!(audit(&ctx.audit_path()).is_empty());
}
