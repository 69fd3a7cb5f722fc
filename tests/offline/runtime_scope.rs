//! The runtime's scoped reads for the dashboard against the fake: the failures view and the
//! organisation's machines stream one message per account × region (with error and cause, a
//! denied account told as such), and a change to an execution of another region goes there.

use std::time::Duration;

use tokio::sync::mpsc::UnboundedReceiver;

use opsdeck::app::workflows::{Reach, WorkflowsEffect, WorkflowsMsg};
use opsdeck::app::{Effect, Msg, RequestId};
use opsdeck::domain::plan::Change;
use opsdeck::domain::workflows::WorkflowChange;
use opsdeck::domain::workflows::plan::change_plan;
use opsdeck::mutation::{Policy, approve};
use opsdeck::services::fake::{ExecutionSeed, FakeBackend, MachineSeed};
use opsdeck::services::scope::Status;

use crate::support::{ME, next, runtime};

const EU: &str = "222222222222";
const DENIED: &str = "333333333333";

fn org() -> FakeBackend {
    FakeBackend::new(ME)
        .with_account(EU, "prod-eu")
        .with_account(DENIED, "locked")
        .with_denied_account(DENIED)
        .with_machine(
            MachineSeed::standard("orders")
                .execution(ExecutionSeed::succeeded("run-1"))
                .execution(ExecutionSeed::running("run-3")),
        )
        .with_machine_in(
            EU,
            MachineSeed::standard("billing")
                .execution(ExecutionSeed::failed("bill-1", "Lambda.Timeout", "slow"))
                .execution(ExecutionSeed::succeeded("bill-2")),
        )
}

/// Every message of one scoped read, up to its end.
async fn until_done(rx: &mut UnboundedReceiver<Msg>) -> (Vec<WorkflowsMsg>, usize) {
    let mut got = Vec::new();
    loop {
        let msg = tokio::time::timeout(Duration::from_secs(10), rx.recv())
            .await
            .expect("a message within 10 s")
            .expect("the runtime is still there");
        match msg {
            Msg::Workflows(WorkflowsMsg::ScopeDone { targets, error, .. }) => {
                assert!(error.is_none(), "{error:?}");
                return (got, targets);
            }
            Msg::Workflows(m) => got.push(m),
            other => panic!("unexpected {other:?}"),
        }
    }
}

#[tokio::test]
async fn the_failures_of_every_account_and_region_stream_in_with_error_and_cause() {
    let fake = org();
    let dir = tempfile::tempdir().unwrap();
    let (mut rt, mut rx) = runtime(&fake, dir.path());
    rt.spawn(Effect::Workflows(WorkflowsEffect::LoadFailures {
        request: RequestId(9),
        reach: Reach::Organisation {
            regions: vec!["eu-west-1".into(), "us-east-1".into()],
        },
        // The fake's clock is in the past: a window that reaches it.
        window: chrono::Duration::days(3650),
    }));
    let (msgs, targets) = until_done(&mut rx).await;
    assert_eq!(targets, 6);
    let mut seen = Vec::new();
    for m in msgs {
        let WorkflowsMsg::Failures {
            request,
            place,
            status,
            executions,
            ..
        } = m
        else {
            panic!("not a failures answer");
        };
        assert_eq!(request, RequestId(9));
        let names: Vec<String> = executions
            .iter()
            .map(|f| {
                format!(
                    "{} {} {}",
                    f.execution.name,
                    f.error.as_deref().unwrap_or("-"),
                    f.cause.as_deref().unwrap_or("-")
                )
            })
            .collect();
        seen.push((
            place.account_id,
            place.region,
            status.word().to_owned(),
            names.join(","),
        ));
    }
    seen.sort();
    let row = |a: &str, r: &str, s: &str, n: &str| (a.into(), r.into(), s.into(), n.into());
    assert_eq!(
        seen,
        [
            row(ME, "eu-west-1", "ok", ""),
            row(ME, "us-east-1", "ok", ""),
            row(EU, "eu-west-1", "ok", "bill-1 Lambda.Timeout slow"),
            row(EU, "us-east-1", "ok", "bill-1 Lambda.Timeout slow"),
            row(DENIED, "eu-west-1", "denied", ""),
            row(DENIED, "us-east-1", "denied", ""),
        ]
    );
}

#[tokio::test]
async fn the_organisation_machines_come_with_their_counts_and_a_denied_account() {
    let fake = org();
    let dir = tempfile::tempdir().unwrap();
    let (mut rt, mut rx) = runtime(&fake, dir.path());
    rt.spawn(Effect::Workflows(WorkflowsEffect::LoadScopedMachines {
        request: RequestId(4),
        reach: Reach::Organisation {
            regions: vec!["eu-west-1".into()],
        },
    }));
    let (msgs, targets) = until_done(&mut rx).await;
    assert_eq!(targets, 3);
    let mut seen: Vec<(String, String)> = msgs
        .into_iter()
        .map(|m| match m {
            WorkflowsMsg::ScopedMachines {
                place,
                status,
                machines,
                ..
            } => (
                place.account_id,
                match status {
                    Status::Ok => machines
                        .iter()
                        .map(|c| format!("{} {:?}", c.machine.name, c.counts))
                        .collect::<Vec<_>>()
                        .join(","),
                    other => other.word().to_owned(),
                },
            ),
            other => panic!("{other:?}"),
        })
        .collect();
    seen.sort();
    assert_eq!(
        seen,
        [
            (ME.to_owned(), "orders Some((1, 0))".to_owned()),
            (EU.to_owned(), "billing Some((0, 1))".to_owned()),
            (DENIED.to_owned(), "denied".to_owned()),
        ]
    );
}

#[tokio::test]
async fn an_execution_of_another_account_and_region_is_read_and_rerun_there() {
    let fake = org();
    // billing of prod-eu also in us-east-1, with a failed execution there.
    fake.clone().with_region("us-east-1").with_machine_in(
        EU,
        MachineSeed::standard("billing").execution(ExecutionSeed::failed(
            "far-1",
            "Lambda.Timeout",
            "slow",
        )),
    );
    let machine_arn = format!("arn:aws:states:us-east-1:{EU}:stateMachine:billing");
    let arn = format!("arn:aws:states:us-east-1:{EU}:execution:billing:far-1");
    let dir = tempfile::tempdir().unwrap();
    let (mut rt, mut rx) = runtime(&fake, dir.path());
    // What the detail asks for when opened from the failures view.
    rt.spawn(Effect::Workflows(WorkflowsEffect::LoadExecution {
        request: RequestId(1),
        account_id: EU.into(),
        region: "us-east-1".into(),
        arn: arn.clone(),
    }));
    rt.spawn(Effect::Workflows(WorkflowsEffect::PollHistory {
        request: RequestId(2),
        account_id: EU.into(),
        region: "us-east-1".into(),
        arn: arn.clone(),
        after: 0,
        page_size: 100,
        delay: Duration::ZERO,
    }));
    for _ in 0..2 {
        let msg = next(&mut rx).await;
        match msg {
            Msg::Workflows(WorkflowsMsg::Execution { result, .. }) => {
                assert_eq!(result.unwrap().error.as_deref(), Some("Lambda.Timeout"));
            }
            Msg::Workflows(WorkflowsMsg::History { result, .. }) => {
                assert!(!result.unwrap().events.is_empty());
            }
            other => panic!("{other:?}"),
        }
    }
    // The rerun the detail plans (in the ARN's account and region).
    let plan = change_plan(
        WorkflowChange::Start {
            machine_arn,
            name: "far-1-rerun".into(),
            input: "{}".into(),
        },
        EU,
        "us-east-1",
    )
    .map_actions(Change::Workflows);
    rt.spawn(Effect::Execute(
        approve(&Policy::default(), &plan, "y").unwrap(),
    ));
    let Msg::Executed { result, .. } = next(&mut rx).await else {
        panic!("not the end of the change");
    };
    assert!(result.is_ok(), "{result:?}");
    let there = |op: &str| (op.to_owned(), "us-east-1".to_owned());
    assert_eq!(
        fake.calls_in_regions(EU),
        [
            there("DescribeExecution"),
            there("GetExecutionHistory"),
            there("StartExecution")
        ]
    );
}

#[tokio::test]
async fn the_24h_column_of_a_machine_reads_one_page_in_its_region() {
    let fake = org();
    let dir = tempfile::tempdir().unwrap();
    let (mut rt, mut rx) = runtime(&fake, dir.path());
    rt.spawn(Effect::Workflows(WorkflowsEffect::LoadActivity {
        account_id: EU.into(),
        region: "us-east-1".into(),
        machine_arn: format!("arn:aws:states:eu-west-1:{EU}:stateMachine:billing"),
    }));
    let Msg::Workflows(WorkflowsMsg::Activity { result, .. }) = next(&mut rx).await else {
        panic!("not the column");
    };
    // The fake's executions are older than a day: twelve empty buckets, one page read.
    let buckets = result.unwrap();
    assert_eq!(buckets.len(), 12);
    assert!(buckets.iter().all(|b| b.total() == 0));
    assert_eq!(
        fake.calls_in_regions(EU),
        [("ListExecutions".to_owned(), "us-east-1".to_owned())]
    );
}
