//! The Workflows pane's adapter and every `sfn` command against the emulator in execute mode,
//! with state machines created here (each test in an account of its own).

mod support;

use std::io::Write;
use std::process::{Output, Stdio};
use std::time::Duration;

use aws_sdk_sfn::Client as Sfn;
use aws_sdk_sfn::types::{ExecutionStatus, StateMachineType};
use serde_json::{Value, json};

use opsdeck::aws::{Aws, AwsSettings};
use opsdeck::domain::workflows::MachineType;
use opsdeck::domain::workflows::timeline::Timeline;
use opsdeck::domain::workflows::watch::{FULL_PAGE_SIZE, WATCH_PAGE_SIZE};
use opsdeck::services::Workflows;

fn aws(account: &support::TestAccount) -> Aws {
    Aws::new(
        account.sdk.clone(),
        AwsSettings {
            role_name: "OrganizationAccountAccessRole".into(),
            session_name: "opsdeck-test".into(),
            max_attempts: 2,
            ..AwsSettings::default()
        },
    )
}

fn run(cmd: &mut std::process::Command) -> Output {
    let out = cmd.stdin(Stdio::null()).output().expect("run opsdeck");
    eprintln!(
        "stderr of {:?}:\n{}",
        cmd.get_args().collect::<Vec<_>>(),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}): {}",
            String::from_utf8_lossy(&out.stdout)
        )
    })
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Pass, a Wait of `wait` seconds, then success.
fn waiting(wait: u32) -> Value {
    json!({
        "StartAt": "Prepare",
        "States": {
            "Prepare": {"Type": "Pass", "Result": {"ok": true}, "ResultPath": "$.prep", "Next": "Hold"},
            "Hold": {"Type": "Wait", "Seconds": wait, "Next": "Finish"},
            "Finish": {"Type": "Succeed"}
        }
    })
}

/// A Parallel whose branch fails, caught, then a Fail state.
fn failing() -> Value {
    json!({
        "StartAt": "Work",
        "States": {
            "Work": {
                "Type": "Parallel",
                "Branches": [{"StartAt": "Boom", "States": {"Boom": {"Type": "Fail", "Error": "Inner", "Cause": "inner"}}}],
                "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "GiveUp"}],
                "Next": "Done"
            },
            "GiveUp": {"Type": "Fail", "Error": "Billing.Denied", "Cause": "the bucket policy denies PutObject"},
            "Done": {"Type": "Succeed"}
        }
    })
}

async fn create(
    sfn: &Sfn,
    account: &support::TestAccount,
    name: &str,
    definition: Value,
    kind: StateMachineType,
) -> String {
    sfn.create_state_machine()
        .name(name)
        .r#type(kind)
        .role_arn(format!("arn:aws:iam::{}:role/sfn", account.id))
        .definition(definition.to_string())
        .send()
        .await
        .expect("create state machine")
        .state_machine_arn
}

async fn start(sfn: &Sfn, machine: &str, name: &str) -> String {
    sfn.start_execution()
        .state_machine_arn(machine)
        .name(name)
        .input(r#"{"tenant": "acme"}"#)
        .send()
        .await
        .expect("start execution")
        .execution_arn
}

async fn wait_for_end(sfn: &Sfn, arn: &str) -> ExecutionStatus {
    for _ in 0..100 {
        let out = sfn
            .describe_execution()
            .execution_arn(arn)
            .send()
            .await
            .unwrap();
        if out.status != ExecutionStatus::Running {
            return out.status;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{arn} still running after 10 s: is the emulator in execute mode?");
}

fn keys(v: &Value) -> Vec<&str> {
    let mut k: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    k.sort_unstable();
    k
}

#[tokio::test]
#[ignore = "needs the AWS emulator: run scripts/test"]
async fn machines_and_executions_match_what_the_emulator_holds() {
    let account = support::isolated_account().await;
    let sfn = Sfn::new(&account.sdk);
    let ok = create(
        &sfn,
        &account,
        "quick",
        waiting(0),
        StateMachineType::Standard,
    )
    .await;
    let bad = create(
        &sfn,
        &account,
        "broken",
        failing(),
        StateMachineType::Standard,
    )
    .await;
    create(
        &sfn,
        &account,
        "stream",
        waiting(0),
        StateMachineType::Express,
    )
    .await;
    for i in 0..3 {
        let arn = start(&sfn, &ok, &format!("ok-{i}")).await;
        wait_for_end(&sfn, &arn).await;
    }
    let failed = start(&sfn, &bad, "bad-1").await;
    assert_eq!(wait_for_end(&sfn, &failed).await, ExecutionStatus::Failed);

    let out = run(support::opsdeck(&account).args(["sfn", "machines", "-o", "json"]));
    assert_eq!(out.status.code(), Some(0));
    let machines = json(&out);
    let by_name = |n: &str| {
        machines
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["name"] == n)
            .unwrap()
            .clone()
    };
    assert_eq!(by_name("stream")["type"], "express");
    assert_eq!(by_name("stream")["running"], Value::Null);
    assert_eq!(by_name("broken")["failed"], 1);
    assert_eq!(by_name("quick")["failed"], 0);

    let out = run(support::opsdeck(&account).args([
        "sfn",
        "executions",
        "--machine",
        "quick",
        "-o",
        "json",
    ]));
    let rows = json(&out);
    let listed = sfn
        .list_executions()
        .state_machine_arn(&ok)
        .send()
        .await
        .unwrap();
    let expected: Vec<&str> = listed.executions().iter().map(|e| e.name()).collect();
    let got: Vec<&str> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    assert_eq!(got, expected, "newest first, as the API lists them");
    assert_eq!(
        keys(&rows[0]),
        [
            "account_id",
            "account_name",
            "arn",
            "cause",
            "duration_ms",
            "error",
            "machine",
            "name",
            "region",
            "started",
            "status",
            "stopped"
        ]
    );

    let out = run(support::opsdeck(&account).args([
        "sfn",
        "executions",
        "--status",
        "failed",
        "-o",
        "json",
    ]));
    let rows = json(&out);
    let names: Vec<&str> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["bad-1"]);

    let out =
        run(support::opsdeck(&account).args(["sfn", "executions", "--limit", "2", "-o", "csv"]));
    assert_eq!(stdout(&out).lines().count(), 3, "{}", stdout(&out));
}

#[tokio::test]
#[ignore = "needs the AWS emulator: run scripts/test"]
async fn show_gives_the_summary_and_a_timeline_with_the_failure() {
    let account = support::isolated_account().await;
    let sfn = Sfn::new(&account.sdk);
    let bad = create(
        &sfn,
        &account,
        "broken",
        failing(),
        StateMachineType::Standard,
    )
    .await;
    let arn = start(&sfn, &bad, "bad-1").await;
    wait_for_end(&sfn, &arn).await;

    let out = run(support::opsdeck(&account).args(["sfn", "show", &arn, "-o", "json"]));
    assert_eq!(out.status.code(), Some(0));
    let shown = json(&out);
    let execution = &shown["execution"];
    assert_eq!(execution["status"], "FAILED");
    assert_eq!(execution["error"], "Billing.Denied");
    assert_eq!(execution["cause"], "the bucket policy denies PutObject");
    assert_eq!(execution["transitions"], 3);
    let timeline = shown["timeline"].as_array().unwrap();
    let states: Vec<(&str, &str)> = timeline
        .iter()
        .map(|e| (e["state"].as_str().unwrap(), e["status"].as_str().unwrap()))
        .collect();
    assert_eq!(
        states,
        [("Work", "caught"), ("Boom", "failed"), ("GiveUp", "failed")]
    );
    assert_eq!(
        keys(&timeline[0]),
        [
            "cause",
            "duration_ms",
            "entered",
            "error",
            "exited",
            "retries",
            "state",
            "status",
            "type"
        ]
    );
    assert_eq!(timeline[2]["error"], "Billing.Denied");

    let table = run(support::opsdeck(&account).args(["sfn", "show", &arn]));
    let text = stdout(&table);
    assert!(text.contains("STATUS       FAILED"), "{text}");
    assert!(text.contains("  [branch 0] Boom"), "{text}");
}

#[tokio::test]
#[ignore = "needs the AWS emulator: run scripts/test"]
async fn history_lists_every_event_once_with_the_documented_shape() {
    let account = support::isolated_account().await;
    let sfn = Sfn::new(&account.sdk);
    let m = create(
        &sfn,
        &account,
        "quick",
        waiting(0),
        StateMachineType::Standard,
    )
    .await;
    let arn = start(&sfn, &m, "run-1").await;
    wait_for_end(&sfn, &arn).await;
    let sdk_events = sfn
        .get_execution_history()
        .execution_arn(&arn)
        .send()
        .await
        .unwrap()
        .events
        .len();

    let out = run(support::opsdeck(&account).args(["sfn", "history", &arn, "-o", "json"]));
    let events = json(&out);
    let events = events.as_array().unwrap();
    assert_eq!(events.len(), sdk_events);
    let ids: Vec<i64> = events.iter().map(|e| e["id"].as_i64().unwrap()).collect();
    assert_eq!(ids, (1..=sdk_events as i64).collect::<Vec<_>>());
    assert_eq!(
        keys(&events[0]),
        ["details", "id", "previous_id", "state", "timestamp", "type"]
    );
    assert_eq!(events[0]["type"], "ExecutionStarted");
    assert_eq!(events[0]["details"]["input"], r#"{"tenant": "acme"}"#);
    assert_eq!(events[1]["state"], "Prepare");
}

#[tokio::test]
#[ignore = "needs the AWS emulator: run scripts/test"]
async fn the_adapter_fetches_only_new_events_even_though_the_emulator_ignores_paging() {
    let account = support::isolated_account().await;
    let sfn = Sfn::new(&account.sdk);
    let m = create(
        &sfn,
        &account,
        "quick",
        waiting(0),
        StateMachineType::Standard,
    )
    .await;
    let arn = start(&sfn, &m, "run-1").await;
    wait_for_end(&sfn, &arn).await;
    let aws = aws(&account);

    let all = aws
        .fetch_new_events(&account.id, &arn, 0, FULL_PAGE_SIZE)
        .await
        .unwrap();
    assert_eq!(all.requests, 1);
    let last = all.events.last().unwrap().id;
    let tail = aws
        .fetch_new_events(&account.id, &arn, last - 2, WATCH_PAGE_SIZE)
        .await
        .unwrap();
    let ids: Vec<i64> = tail.events.iter().map(|e| e.id).collect();
    assert_eq!(ids, [last - 1, last]);
    let none = aws
        .fetch_new_events(&account.id, &arn, last, WATCH_PAGE_SIZE)
        .await
        .unwrap();
    assert!(none.events.is_empty());
    assert_eq!(none.requests, 1);

    let timeline = Timeline::build(&all.events);
    assert_eq!(timeline.entries.len(), 3);
    let definition = aws.state_machine(&account.id, &m).await.unwrap();
    assert_eq!(definition.kind, MachineType::Standard);
    assert!(definition.definition.contains("Hold"));
}

#[tokio::test]
#[ignore = "needs the AWS emulator: run scripts/test"]
async fn watch_prints_each_transition_once_in_order_and_exits_by_outcome() {
    let account = support::isolated_account().await;
    let sfn = Sfn::new(&account.sdk);
    let slow = create(
        &sfn,
        &account,
        "slow",
        waiting(2),
        StateMachineType::Standard,
    )
    .await;
    let arn = start(&sfn, &slow, "run-1").await;

    let out = run(support::opsdeck(&account).args(["sfn", "watch", &arn, "--interval-ms", "200"]));
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    let kinds: Vec<&str> = text
        .lines()
        .map(|l| l.split_whitespace().nth(1).unwrap())
        .collect();
    assert_eq!(
        kinds,
        [
            "ExecutionStarted",
            "PassStateEntered",
            "PassStateExited",
            "WaitStateEntered",
            "WaitStateExited",
            "SucceedStateEntered",
            "SucceedStateExited",
            "ExecutionSucceeded"
        ],
        "{text}"
    );

    let bad = create(
        &sfn,
        &account,
        "broken",
        failing(),
        StateMachineType::Standard,
    )
    .await;
    let arn = start(&sfn, &bad, "bad-1").await;
    let out = run(support::opsdeck(&account).args(["sfn", "watch", &arn, "--interval-ms", "200"]));
    assert_eq!(
        out.status.code(),
        Some(5),
        "the watch ran; the execution failed"
    );
    let text = stdout(&out);
    assert!(
        text.lines()
            .last()
            .unwrap()
            .contains("ExecutionFailed  error=Billing.Denied"),
        "{text}"
    );
}

#[tokio::test]
#[ignore = "needs the AWS emulator: run scripts/test"]
async fn start_and_stop_go_through_confirmation_and_the_audit_log() {
    let account = support::isolated_account().await;
    let sfn = Sfn::new(&account.sdk);
    let slow = create(
        &sfn,
        &account,
        "slow",
        waiting(60),
        StateMachineType::Standard,
    )
    .await;

    // Without a terminal and without --yes nothing is started.
    let out = run(support::opsdeck(&account).args(["sfn", "start", "slow", "--name", "r1"]));
    assert_eq!(out.status.code(), Some(3));
    // Invalid input is refused before any plan.
    let out =
        run(support::opsdeck(&account).args(["sfn", "start", "slow", "--input", "{nope", "--yes"]));
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not valid JSON"));
    // Read-only refuses.
    let out = run(support::opsdeck(&account).args([
        "sfn",
        "start",
        "slow",
        "--name",
        "r1",
        "--yes",
        "--read-only",
    ]));
    assert_eq!(out.status.code(), Some(3));
    let listed = sfn
        .list_executions()
        .state_machine_arn(&slow)
        .send()
        .await
        .unwrap();
    assert!(listed.executions().is_empty());

    let home = support::scratch_dir();
    let input = home.join("input.json");
    std::fs::File::create(&input)
        .unwrap()
        .write_all(br#"{"tenant": "initech"}"#)
        .unwrap();
    let out = run(support::opsdeck(&account)
        .env("XDG_STATE_HOME", home.join("state"))
        .args([
            "sfn", "start", "slow", "--name", "r1", "--yes", "-o", "json",
        ])
        .arg("--input")
        .arg(format!("@{}", input.display())));
    assert_eq!(out.status.code(), Some(0));
    let started = json(&out);
    let arn = started["execution_arn"].as_str().unwrap().to_owned();
    let described = sfn
        .describe_execution()
        .execution_arn(&arn)
        .send()
        .await
        .unwrap();
    assert_eq!(described.input(), Some(r#"{"tenant": "initech"}"#));

    // A dry run changes nothing; a stop without the typed name is refused.
    let out = run(support::opsdeck(&account)
        .env("XDG_STATE_HOME", home.join("state"))
        .args(["sfn", "stop", &arn, "--dry-run"]));
    assert_eq!(out.status.code(), Some(0));
    let out = run(support::opsdeck(&account).args(["sfn", "stop", &arn]));
    assert_eq!(out.status.code(), Some(3));
    assert_eq!(
        sfn.describe_execution()
            .execution_arn(&arn)
            .send()
            .await
            .unwrap()
            .status,
        ExecutionStatus::Running
    );

    let out = run(support::opsdeck(&account)
        .env("XDG_STATE_HOME", home.join("state"))
        .args([
            "sfn", "stop", &arn, "--yes", "--error", "Ops.Stop", "--cause", "test",
        ]));
    assert_eq!(out.status.code(), Some(0));
    // The emulator applies a stop in its execution thread: give it a moment (bounded).
    let mut status = ExecutionStatus::Running;
    for _ in 0..50 {
        status = sfn
            .describe_execution()
            .execution_arn(&arn)
            .send()
            .await
            .unwrap()
            .status;
        if status != ExecutionStatus::Running {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(status, ExecutionStatus::Aborted);

    let audit = std::fs::read_to_string(home.join("state/opsdeck/audit.log")).unwrap();
    let lines: Vec<Value> = audit
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let ops: Vec<(&str, &str)> = lines
        .iter()
        .map(|l| {
            (
                l["operation"].as_str().unwrap(),
                l["outcome"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        ops,
        [
            ("StartExecution", "intent"),
            ("StartExecution", "ok"),
            ("StopExecution", "dry_run"),
            ("StopExecution", "intent"),
            ("StopExecution", "ok")
        ]
    );
    assert!(
        lines
            .iter()
            .all(|l| l["pool_id"].is_null() && l["region"].is_string()),
        "{lines:#?}"
    );
}

#[tokio::test]
#[ignore = "needs the AWS emulator: run scripts/test"]
async fn redrive_says_plainly_when_the_endpoint_does_not_support_it() {
    let account = support::isolated_account().await;
    let sfn = Sfn::new(&account.sdk);
    let bad = create(
        &sfn,
        &account,
        "broken",
        failing(),
        StateMachineType::Standard,
    )
    .await;
    let arn = start(&sfn, &bad, "bad-1").await;
    wait_for_end(&sfn, &arn).await;
    let out = run(support::opsdeck(&account).args(["sfn", "redrive", &arn, "--yes"]));
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("redrive is not supported by this endpoint"),
        "{err}"
    );
    // An answer saying no, not a lost one: refused, never "may have taken effect".
    assert!(
        err.contains("AWS refused step 1, so it changed nothing"),
        "{err}"
    );
    assert!(!err.contains("may have taken effect"), "{err}");
}

#[tokio::test]
#[ignore = "needs the AWS emulator: run scripts/test"]
async fn human_times_are_in_the_local_zone_with_its_offset_or_utc_and_json_stays_utc() {
    let account = support::isolated_account().await;
    let sfn = Sfn::new(&account.sdk);
    create(
        &sfn,
        &account,
        "quick",
        waiting(0),
        StateMachineType::Standard,
    )
    .await;
    let created = |config: Option<&str>, format: &str| {
        let mut cmd = support::opsdeck(&account);
        cmd.env("TZ", "Asia/Kolkata");
        if let Some(text) = config {
            let file = support::scratch_dir().join("config.toml");
            std::fs::write(&file, text).unwrap();
            cmd.arg("--config").arg(file);
        }
        let out = run(cmd.args(["sfn", "machines", "-o", format]));
        assert_eq!(out.status.code(), Some(0));
        out
    };
    // -o csv: ACCOUNT,REGION,NAME,TYPE,CREATED,...
    let csv = stdout(&created(None, "csv"));
    let cell = csv
        .lines()
        .nth(1)
        .unwrap()
        .split(',')
        .nth(4)
        .unwrap()
        .to_owned();
    assert!(cell.ends_with(" +05:30"), "TZ is honoured: {csv}");
    let csv = stdout(&created(Some("[ui]\nutc = true\n"), "csv"));
    let cell = csv
        .lines()
        .nth(1)
        .unwrap()
        .split(',')
        .nth(4)
        .unwrap()
        .to_owned();
    assert!(cell.ends_with(" +00:00"), "ui.utc wins over TZ: {csv}");
    let machines = json(&created(None, "json"));
    let stamp = machines[0]["created"].as_str().unwrap();
    assert!(stamp.ends_with('Z') && stamp.contains('T'), "{stamp}");
}

/// The status of an execution once it has left RUNNING, or RUNNING after 5 s.
async fn settled(sfn: &Sfn, arn: &str) -> ExecutionStatus {
    let mut status = ExecutionStatus::Running;
    for _ in 0..50 {
        status = sfn
            .describe_execution()
            .execution_arn(arn)
            .send()
            .await
            .unwrap()
            .status;
        if status != ExecutionStatus::Running {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    status
}

#[tokio::test]
#[ignore = "needs the AWS emulator: run scripts/test"]
async fn a_stop_acts_in_the_account_of_its_arn_and_respects_that_accounts_read_only() {
    let caller = support::isolated_account().await;
    let other = support::isolated_account().await;
    let sfn = Sfn::new(&other.sdk);
    let slow = create(
        &sfn,
        &other,
        "slow",
        waiting(60),
        StateMachineType::Standard,
    )
    .await;
    let arn = start(&sfn, &slow, "far-1").await;

    // Marked read-only in the caller's config: refused, and it keeps running.
    let home = support::scratch_dir();
    let config = home.join("opsdeck.toml");
    std::fs::write(
        &config,
        format!(
            "[[organization.accounts]]\nid = \"{}\"\nname = \"other\"\nread_only = true\n",
            other.id
        ),
    )
    .unwrap();
    let out = run(support::opsdeck(&caller)
        .arg("--config")
        .arg(&config)
        .args(["sfn", "stop", &arn, "--yes"]));
    assert_eq!(
        out.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("is configured as read-only"));
    assert_eq!(settled(&sfn, &arn).await, ExecutionStatus::Running);

    // Otherwise the stop is sent there (through the assumed role), not in the caller's account.
    let out = run(support::opsdeck(&caller).args(["sfn", "stop", &arn, "--yes"]));
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(settled(&sfn, &arn).await, ExecutionStatus::Aborted);
    // Now it has ended: nothing to do.
    let out = run(support::opsdeck(&caller).args(["sfn", "stop", &arn, "--yes"]));
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout(&out).starts_with("nothing to do: execution far-1 is ABORTED"));
}
