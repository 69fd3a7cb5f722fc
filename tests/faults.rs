//! Faults between opsdeck and AWS, injected by the test proxy (tests/support/proxy.rs) in front of
//! the emulator: a live `sfn watch` under transient and permanent faults, and how often the binary
//! retries a read that keeps failing (issue 6). Each test has an account and a proxy of its own.
//!
//! The machines watched here are chosen so that every event of their history is a line of
//! `sfn watch` (states entered and exited, the execution's start and end): "every event printed
//! once, in order" is then checked literally against GetExecutionHistory read with the SDK.

mod support;

#[path = "support/proxy.rs"]
mod proxy;

use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use aws_sdk_sfn::Client as Sfn;
use aws_sdk_sfn::types::{ExecutionStatus, HistoryEvent, StateMachineType};
use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use proxy::{Call, Fault, Proxy, Rule, When};

/// Attempts per call of the binary (src/main.rs: the SDK's standard mode, max_attempts = 3).
const ATTEMPTS: usize = 3;

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Run the binary off the async runtime (the proxy runs on it) and time it.
async fn run(mut cmd: Command) -> (Output, Duration) {
    let started = Instant::now();
    let out = tokio::task::spawn_blocking(move || {
        cmd.stdin(Stdio::null()).output().expect("run opsdeck")
    })
    .await
    .unwrap();
    let took = started.elapsed();
    eprintln!(
        "exit {:?} after {took:?}\nstdout:\n{}\nstderr:\n{}",
        out.status.code(),
        text(&out.stdout),
        text(&out.stderr)
    );
    (out, took)
}

/// The binary as `account`, talking to the emulator through `proxy`.
fn opsdeck(account: &support::TestAccount, proxy: &Proxy, args: &[&str]) -> Command {
    let mut cmd = support::opsdeck(account);
    cmd.env("AWS_ENDPOINT_URL", &proxy.endpoint).args(args);
    cmd
}

/// `Prepare` (Pass), then `waits` Wait states of `seconds` each with a Pass after each, then
/// `end`: a Succeed state, or a Fail state with an error and cause.
fn machine(waits: usize, seconds: u32, fail: bool) -> Value {
    let mut states = serde_json::Map::new();
    states.insert(
        "Prepare".into(),
        json!({"Type": "Pass", "Result": {"ok": true}, "ResultPath": "$.prep", "Next": "Hold0"}),
    );
    for i in 0..waits {
        let next = if i + 1 == waits {
            "End".to_owned()
        } else {
            format!("Hold{}", i + 1)
        };
        states.insert(
            format!("Hold{i}"),
            json!({"Type": "Wait", "Seconds": seconds, "Next": format!("Step{i}")}),
        );
        states.insert(format!("Step{i}"), json!({"Type": "Pass", "Next": next}));
    }
    states.insert(
        "End".into(),
        if fail {
            json!({"Type": "Fail", "Error": "Billing.Denied", "Cause": "the bucket policy denies PutObject"})
        } else {
            json!({"Type": "Succeed"})
        },
    );
    json!({"StartAt": "Prepare", "States": states})
}

/// Create a standard machine and start one execution of it (directly, not through the proxy).
async fn started(sfn: &Sfn, account: &support::TestAccount, definition: Value) -> String {
    let machine = sfn
        .create_state_machine()
        .name("watched")
        .r#type(StateMachineType::Standard)
        .role_arn(format!("arn:aws:iam::{}:role/sfn", account.id))
        .definition(definition.to_string())
        .send()
        .await
        .expect("create state machine")
        .state_machine_arn;
    sfn.start_execution()
        .state_machine_arn(machine)
        .name("run-1")
        .input(r#"{"tenant": "acme"}"#)
        .send()
        .await
        .expect("start execution")
        .execution_arn
}

/// The whole history, read with the SDK once the execution has ended.
async fn history(sfn: &Sfn, arn: &str) -> (ExecutionStatus, Vec<HistoryEvent>) {
    let status = sfn
        .describe_execution()
        .execution_arn(arn)
        .send()
        .await
        .unwrap()
        .status;
    let events = sfn
        .get_execution_history()
        .execution_arn(arn)
        .max_results(1000)
        .send()
        .await
        .unwrap()
        .events;
    (status, events)
}

/// The `sfn watch` line of an event (docs/workflows.md: `HH:MM:SS.mmm  Type  [State]  [error=E]
/// [cause=C]`), written from the SDK's event independently of opsdeck's own conversion.
fn line(e: &HistoryEvent) -> String {
    let at = DateTime::<Utc>::from_timestamp(e.timestamp.secs(), e.timestamp.subsec_nanos())
        .unwrap()
        .format("%H:%M:%S%.3f");
    let mut line = format!("{at}  {}", e.r#type.as_str());
    let state = e
        .state_entered_event_details
        .as_ref()
        .map(|d| d.name.as_str())
        .or(e
            .state_exited_event_details
            .as_ref()
            .map(|d| d.name.as_str()));
    if let Some(state) = state {
        line.push_str(&format!("  {state}"));
    }
    if let Some(failed) = &e.execution_failed_event_details {
        for (key, value) in [("error", &failed.error), ("cause", &failed.cause)] {
            if let Some(value) = value.as_deref().filter(|v| !v.is_empty()) {
                line.push_str(&format!("  {key}={value}"));
            }
        }
    }
    line
}

/// Every event of the history is printed, exactly once, in order.
fn assert_each_event_once_in_order(out: &Output, events: &[HistoryEvent]) {
    let ids: Vec<i64> = events.iter().map(|e| e.id).collect();
    assert_eq!(
        ids,
        (1..=events.len() as i64).collect::<Vec<_>>(),
        "the emulator's history"
    );
    let expected: Vec<String> = events.iter().map(line).collect();
    let printed = text(&out.stdout);
    let printed: Vec<&str> = printed.lines().collect();
    assert_eq!(printed, expected, "watch output vs GetExecutionHistory");
}

fn history_calls(proxy: &Proxy) -> Vec<Call> {
    proxy
        .calls()
        .into_iter()
        .filter(|c| c.service == "states" && c.operation == "GetExecutionHistory")
        .collect()
}

fn injected(calls: &[Call], fault: &Fault) -> usize {
    calls
        .iter()
        .filter(|c| c.fault.as_ref() == Some(fault))
        .count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the AWS emulator: run scripts/test"]
async fn a_live_watch_survives_transient_faults_and_prints_each_event_once_in_order() {
    let account = support::isolated_account().await;
    let sfn = Sfn::new(&account.sdk);
    // About 12 s: the throttling below, then the faults one poll apart (about 7 s in the runs
    // measured, 10 s with unlucky retry jitter), all while it runs: a watch that saw the end
    // first would leave faults unhit.
    let arn = started(&sfn, &account, machine(2, 6, false)).await;

    // The rules are tried in order and each counts only the requests that reach it (not those an
    // earlier rule fired on): after the 2 s of throttling, the n-th of the five Nth rules fires
    // on its (n+1)-th request, so the faults fall on history requests 2, 4, 6, 8 and 10 after the
    // throttling, each followed by a clean one that the SDK's retry or the next poll sends.
    let history_rule = |fault: Fault| Rule::on("states", fault).operation("GetExecutionHistory");
    let rules = vec![
        history_rule(Fault::Throttle).when(When::For(Duration::from_secs(2))),
        history_rule(Fault::Status(500)).when(When::Nth(2)),
        history_rule(Fault::Status(503)).when(When::Nth(3)),
        history_rule(Fault::Drop).when(When::Nth(4)),
        history_rule(Fault::DropAnswer).when(When::Nth(5)),
        history_rule(Fault::Delay(Duration::from_millis(1500))).when(When::Nth(6)),
    ];
    let proxy = Proxy::start(&support::endpoint(), rules).await;
    let (out, took) = run(opsdeck(
        &account,
        &proxy,
        &["sfn", "watch", &arn, "--interval-ms", "200"],
    ))
    .await;

    assert_eq!(out.status.code(), Some(0), "succeeded: exit 0");
    let (status, events) = history(&sfn, &arn).await;
    assert_eq!(status, ExecutionStatus::Succeeded);
    assert_each_event_once_in_order(&out, &events);
    assert!(
        text(&out.stdout)
            .lines()
            .last()
            .unwrap()
            .contains("ExecutionSucceeded"),
        "ends with the real final status"
    );

    let calls = history_calls(&proxy);
    for fault in [
        Fault::Throttle,
        Fault::Status(500),
        Fault::Status(503),
        Fault::Drop,
        Fault::DropAnswer,
        Fault::Delay(Duration::from_millis(1500)),
    ] {
        assert!(
            injected(&calls, &fault) >= 1,
            "{fault:?} was not hit: {calls:#?}"
        );
    }
    for c in &calls {
        eprintln!("{:>8.3}s {:?}", c.at.as_secs_f64(), c.fault);
    }
    eprintln!(
        "{} history requests ({} faulted) in {took:?}",
        calls.len(),
        calls.iter().filter(|c| c.fault.is_some()).count()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the AWS emulator: run scripts/test"]
async fn a_watched_execution_that_fails_ends_with_exit_1_and_its_error_through_faults() {
    let account = support::isolated_account().await;
    let sfn = Sfn::new(&account.sdk);
    let arn = started(&sfn, &account, machine(1, 3, true)).await;
    let history_rule = |fault: Fault| Rule::on("states", fault).operation("GetExecutionHistory");
    // A 503 on the second history request, a dropped connection on the fourth.
    let rules = vec![
        history_rule(Fault::Status(503)).when(When::Nth(2)),
        history_rule(Fault::Drop).when(When::Nth(3)),
    ];
    let proxy = Proxy::start(&support::endpoint(), rules).await;
    let (out, _) = run(opsdeck(
        &account,
        &proxy,
        &["sfn", "watch", &arn, "--interval-ms", "200"],
    ))
    .await;

    assert_eq!(
        out.status.code(),
        Some(5),
        "failed: exit 5, the watch ran and the execution did not succeed (docs/workflows.md)"
    );
    let (status, events) = history(&sfn, &arn).await;
    assert_eq!(status, ExecutionStatus::Failed);
    assert_each_event_once_in_order(&out, &events);
    let last = text(&out.stdout).lines().last().unwrap().to_owned();
    assert!(
        last.contains(
            "ExecutionFailed  error=Billing.Denied  cause=the bucket policy denies PutObject"
        ),
        "{last}"
    );
    assert!(
        text(&out.stderr).trim().is_empty(),
        "an ended execution is no error"
    );
    let calls = history_calls(&proxy);
    assert_eq!(injected(&calls, &Fault::Status(503)), 1, "{calls:#?}");
    assert_eq!(injected(&calls, &Fault::Drop), 1, "{calls:#?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the AWS emulator: run scripts/test"]
async fn a_permanent_denial_ends_the_watch_at_once_with_the_error_and_exit_1() {
    let account = support::isolated_account().await;
    let sfn = Sfn::new(&account.sdk);
    // Runs for a minute: a watch that waited for the end would take that long.
    let arn = started(&sfn, &account, machine(1, 60, false)).await;

    // Denied from the first poll. The watch then describes the execution (is it express, without
    // a history?): that DescribeExecution gets a 503 first, which the SDK retries.
    let denied = Rule::on("states", Fault::AccessDenied).operation("GetExecutionHistory");
    let unavailable = Rule::on("states", Fault::Status(503))
        .operation("DescribeExecution")
        .when(When::First(1));
    let proxy = Proxy::start(&support::endpoint(), vec![denied.clone(), unavailable]).await;
    let (out, took) = run(opsdeck(
        &account,
        &proxy,
        &["sfn", "watch", &arn, "--interval-ms", "200"],
    ))
    .await;
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(
        err.contains("GetExecutionHistory") && err.contains("AccessDeniedException"),
        "{err}"
    );
    assert!(text(&out.stdout).is_empty());
    // A denial is not retried, by the SDK or by the watch.
    assert_eq!(proxy.count("states", "GetExecutionHistory"), 1);
    assert_eq!(
        proxy.count("states", "DescribeExecution"),
        2,
        "the 503 and its retry"
    );
    assert!(took < Duration::from_secs(10), "{took:?}");

    // Denied from the third poll on, after the first transitions were printed.
    let proxy = Proxy::start(
        &support::endpoint(),
        vec![denied.when(When::Span {
            from: 3,
            count: usize::MAX / 2,
        })],
    )
    .await;
    let (out, took) = run(opsdeck(
        &account,
        &proxy,
        &["sfn", "watch", &arn, "--interval-ms", "200"],
    ))
    .await;
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(
        err.contains("GetExecutionHistory") && err.contains("AccessDeniedException"),
        "{err}"
    );
    assert!(
        text(&out.stdout).contains("WaitStateEntered  Hold0"),
        "what was seen before the denial stays printed"
    );
    assert_eq!(proxy.count("states", "GetExecutionHistory"), 3);
    assert!(took < Duration::from_secs(10), "{took:?}");
}

/// A persistent `fault` on one read call: the binary's exit code and stderr, and the times at
/// which the proxy saw the call.
async fn persistently(
    account: &support::TestAccount,
    service: &str,
    operation: &str,
    fault: Fault,
    args: &[&str],
) -> (Output, Vec<Duration>) {
    let rule = Rule::on(service, fault).operation(operation);
    let proxy = Proxy::start(&support::endpoint(), vec![rule]).await;
    let (out, _) = run(opsdeck(account, &proxy, args)).await;
    let at: Vec<Duration> = proxy
        .calls()
        .iter()
        .filter(|c| c.service == service && c.operation == operation)
        .map(|c| c.at)
        .collect();
    (out, at)
}

/// Exactly [`ATTEMPTS`] attempts, spaced as the SDK's standard mode spaces them: before retry n
/// (1, 2) a random wait in [0, 2^(n-1) s) (full jitter on an initial back-off of 1 s).
fn assert_retried_three_times_with_backoff(what: &str, at: &[Duration]) {
    assert_eq!(at.len(), ATTEMPTS, "{what}: attempts at {at:?}");
    let gaps: Vec<Duration> = at.windows(2).map(|w| w[1] - w[0]).collect();
    // Each wait is at most its cap, plus what one attempt costs on this machine.
    let slack = Duration::from_millis(500);
    for (n, gap) in gaps.iter().enumerate() {
        let cap = Duration::from_secs(1 << n);
        assert!(*gap < cap + slack, "{what}: wait {n} {gap:?} over {cap:?}");
    }
    // Jittered, but not nothing: two uniform waits both under 5 ms is a 1-in-200,000 draw.
    let total: Duration = gaps.iter().sum();
    assert!(total > Duration::from_millis(10), "{what}: waits {gaps:?}");
    eprintln!("{what}: waits {gaps:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the AWS emulator: run scripts/test"]
async fn a_step_functions_read_that_keeps_failing_is_tried_three_times_then_reported() {
    let account = support::isolated_account().await;
    let args = ["sfn", "machines", "-o", "json"];
    for (fault, says) in [
        (
            Fault::Throttle,
            "ListStateMachines failed: Rate exceeded (ThrottlingException)",
        ),
        (
            Fault::Status(500),
            "ListStateMachines failed: Internal error (InternalFailure)",
        ),
        (
            Fault::Drop,
            "ListStateMachines: network error: dispatch failure",
        ),
    ] {
        let what = format!("ListStateMachines {fault:?}");
        let (out, at) = persistently(&account, "states", "ListStateMachines", fault, &args).await;
        assert_eq!(out.status.code(), Some(1), "{what}");
        let err = text(&out.stderr);
        assert!(err.contains(says), "{what}: {err}");
        assert!(text(&out.stdout).is_empty(), "{what}");
        assert_retried_three_times_with_backoff(&what, &at);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the AWS emulator: run scripts/test"]
async fn a_cognito_read_that_keeps_failing_is_tried_three_times_then_reported() {
    let account = support::isolated_account().await;
    let cognito = aws_sdk_cognitoidentityprovider::Client::new(&account.sdk);
    let pool = support::user_pool(&cognito, "faults", false).await;
    let args = ["tenants", "list", "--pool", &pool, "-o", "json"];
    for (fault, says) in [
        (
            Fault::Throttle,
            "ListGroups failed: Rate exceeded (TooManyRequestsException)",
        ),
        (
            Fault::Status(500),
            "ListGroups failed: Internal error (InternalFailure)",
        ),
        (Fault::Drop, "ListGroups: network error: dispatch failure"),
    ] {
        let what = format!("ListGroups {fault:?}");
        let (out, at) = persistently(&account, "cognito-idp", "ListGroups", fault, &args).await;
        assert_eq!(out.status.code(), Some(1), "{what}");
        let err = text(&out.stderr);
        assert!(err.contains(says), "{what}: {err}");
        assert!(text(&out.stdout).is_empty(), "{what}");
        assert_retried_three_times_with_backoff(&what, &at);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the AWS emulator: run scripts/test"]
async fn a_watch_backs_off_while_throttled_and_recovers_when_the_throttling_lifts() {
    let account = support::isolated_account().await;
    let sfn = Sfn::new(&account.sdk);
    // Runs past the throttled polls even with the longest retry jitter (4 polls of at most
    // 3 s of SDK back-off each, plus 6 s of the watch's waits), so the recovery can be timed.
    let arn = started(&sfn, &account, machine(1, 22, false)).await;
    let interval = Duration::from_millis(200);
    // The first poll goes through; the next four polls are throttled on all three attempts.
    const THROTTLED_POLLS: usize = 4;
    let rule = Rule::on("states", Fault::Throttle)
        .operation("GetExecutionHistory")
        .when(When::Span {
            from: 2,
            count: THROTTLED_POLLS * ATTEMPTS,
        });
    let proxy = Proxy::start(&support::endpoint(), vec![rule]).await;
    let (out, took) = run(opsdeck(
        &account,
        &proxy,
        &["sfn", "watch", &arn, "--interval-ms", "200"],
    ))
    .await;
    assert_eq!(out.status.code(), Some(0), "recovered and saw the end");
    let (status, events) = history(&sfn, &arn).await;
    assert_eq!(status, ExecutionStatus::Succeeded);
    assert_each_event_once_in_order(&out, &events);

    // One note per throttled poll, with the wait.
    let notes: Vec<String> = text(&out.stderr)
        .lines()
        .filter(|l| l.contains("(ThrottlingException); polling again in"))
        .map(str::to_owned)
        .collect();
    assert_eq!(notes.len(), THROTTLED_POLLS, "{notes:#?}");
    for (note, wait) in notes.iter().zip(["400ms", "800ms", "1.6s", "3.2s"]) {
        assert!(
            note.contains(&format!("polling again in {wait} ")),
            "{note}"
        );
    }

    let calls = history_calls(&proxy);
    for c in &calls {
        eprintln!("{:>8.3}s {:?}", c.at.as_secs_f64(), c.fault);
    }
    let throttled: Vec<usize> = (0..calls.len())
        .filter(|&i| calls[i].fault.is_some())
        .collect();
    assert_eq!(
        throttled,
        (1..=THROTTLED_POLLS * ATTEMPTS).collect::<Vec<_>>(),
        "each throttled poll is three attempts, no more"
    );
    // Between polls the watch waits 2, 4, 8, 16 times the interval (docs/workflows.md: doubled
    // on throttling): the gap from a poll's last attempt to the next poll's first request.
    let slack = Duration::from_millis(700);
    for poll in 1..=THROTTLED_POLLS {
        let last_attempt = calls[poll * ATTEMPTS].at;
        let next = calls[poll * ATTEMPTS + 1].at;
        let wait = interval * (1 << poll);
        let gap = next - last_attempt;
        assert!(
            gap >= wait && gap < wait + slack,
            "after throttled poll {poll}: waited {gap:?}, expected {wait:?}"
        );
    }
    // Recovered: back to polling at about the interval (quiet polls slow to 5x at most).
    let recovered = THROTTLED_POLLS * ATTEMPTS + 1;
    assert!(calls.len() > recovered + 1, "{calls:#?}");
    let gap = calls[recovered + 1].at - calls[recovered].at;
    assert!(gap < interval * 5 + slack, "after recovery: {gap:?}");
    let span = calls[recovered].at - calls[1].at;
    eprintln!(
        "{} throttled requests over {span:?} (a fixed {interval:?} interval would have polled {} times); watch took {took:?}",
        THROTTLED_POLLS * ATTEMPTS,
        span.as_millis() / interval.as_millis()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the AWS emulator: run scripts/test"]
async fn a_watch_rides_out_polls_that_outlast_the_sdk_retries() {
    let account = support::isolated_account().await;
    let sfn = Sfn::new(&account.sdk);
    // About 22 s: four failed polls with their back-off and a clean poll after each take about
    // 12 s, up to 20 s with the longest retry jitter; all must fall before the end.
    let arn = started(&sfn, &account, machine(2, 11, false)).await;
    // Each fault takes all three attempts of one poll, with a clean request between them: rule k
    // sees the requests the rules before it let through (1 + 4 per earlier rule), so its span of
    // three starts at its (k+1)-th.
    let faults = [
        Fault::Drop,
        Fault::Status(500),
        Fault::Status(503),
        Fault::DropAnswer,
    ];
    let rules = faults
        .iter()
        .enumerate()
        .map(|(k, fault)| {
            Rule::on("states", fault.clone())
                .operation("GetExecutionHistory")
                .when(When::Span {
                    from: k + 2,
                    count: ATTEMPTS,
                })
        })
        .collect();
    let proxy = Proxy::start(&support::endpoint(), rules).await;
    let (out, took) = run(opsdeck(
        &account,
        &proxy,
        &["sfn", "watch", &arn, "--interval-ms", "200"],
    ))
    .await;

    assert_eq!(out.status.code(), Some(0), "rode out every failed poll");
    let (status, events) = history(&sfn, &arn).await;
    assert_eq!(status, ExecutionStatus::Succeeded);
    assert_each_event_once_in_order(&out, &events);
    let calls = history_calls(&proxy);
    for fault in &faults {
        assert_eq!(injected(&calls, fault), ATTEMPTS, "{fault:?}: {calls:#?}");
    }
    let err = text(&out.stderr);
    // A note per failed poll; each followed by an answer, so never two in a row. (The wait
    // doubles from the one before: 400 ms after a busy poll, more after quiet ones.)
    let notes: Vec<&str> = err
        .lines()
        .filter(|l| l.contains("polling again in") && l.contains("(1 of 10 failed polls in a row)"))
        .collect();
    assert_eq!(notes.len(), faults.len(), "{err}");
    for says in [
        "GetExecutionHistory: network error: dispatch failure",
        "connection closed before message completed",
        "GetExecutionHistory failed: Internal error (InternalFailure)",
        "GetExecutionHistory failed: Service unavailable (ServiceUnavailable)",
    ] {
        assert!(err.contains(says), "{says}: {err}");
    }
    eprintln!("{} history requests in {took:?}", calls.len());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the AWS emulator: run scripts/test"]
async fn a_watch_interval_below_200_ms_is_refused_before_any_request() {
    let account = support::isolated_account().await;
    let proxy = Proxy::start(&support::endpoint(), Vec::new()).await;
    let arn = format!(
        "arn:aws:states:us-east-1:{}:execution:watched:run-1",
        account.id
    );
    let (out, _) = run(opsdeck(
        &account,
        &proxy,
        &["sfn", "watch", &arn, "--interval-ms", "0"],
    ))
    .await;
    assert_eq!(out.status.code(), Some(2), "a usage error");
    assert!(
        text(&out.stderr).contains("200..=60000"),
        "{}",
        text(&out.stderr)
    );
    assert!(proxy.calls().is_empty(), "{:#?}", proxy.calls());
}
