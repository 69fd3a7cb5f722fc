//! `opsdeck sfn ...` against the fake: listing machines and executions, and the changes (start,
//! stop, redrive) through confirmation, dry run and the executor, with their exit codes and what
//! the executions are afterwards.

use opsdeck::domain::workflows::ExecutionStatus;
use opsdeck::exit;
use opsdeck::services::fake::{ExecutionSeed, FakeBackend, MachineSeed};

use crate::support::{ME, context, run, run_with};

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
async fn stopping_an_execution_that_has_ended_fails_and_changes_nothing() {
    let fake = sfn();
    let dir = tempfile::tempdir().unwrap();
    let ctx = context(&fake, dir.path());
    let arn = fake.execution_arn("orders", "run-1");
    let ran = run(&ctx, &["sfn", "stop", &arn, "--yes"]).await;
    assert_eq!(ran.code(), exit::ERROR);
    assert!(
        ran.out.contains("FAILED: 1. stop the execution"),
        "{}",
        ran.out
    );
    assert!(
        ran.err.contains("opsdeck: step 1 of 1 failed"),
        "{}",
        ran.err
    );
    assert_eq!(
        fake.execution_detail(&arn).unwrap().execution.status,
        ExecutionStatus::Succeeded
    );
    assert_eq!(
        fake.history(&arn).last().unwrap().kind,
        "ExecutionSucceeded"
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
async fn redrive_runs_a_failed_execution_again_and_refuses_a_succeeded_one() {
    let fake = sfn();
    let dir = tempfile::tempdir().unwrap();
    let ctx = context(&fake, dir.path());
    let failed = fake.execution_arn("orders", "run-2");
    let ran = run(&ctx, &["sfn", "redrive", &failed, "--yes"]).await;
    assert_eq!(ran.code(), exit::SUCCESS, "{}", ran.err);
    let redriven = fake.execution_detail(&failed).unwrap();
    assert_eq!(redriven.execution.status, ExecutionStatus::Running);
    assert_eq!((redriven.redrive_count, redriven.error), (1, None));

    let succeeded = fake.execution_arn("orders", "run-1");
    let ran = run(&ctx, &["sfn", "redrive", &succeeded, "--yes"]).await;
    assert_eq!(ran.code(), exit::ERROR);
    assert!(ran.out.contains("(ExecutionNotRedrivable)"), "{}", ran.out);
}
