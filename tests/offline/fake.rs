//! The fake answers as AWS does where our logic depends on it: Cognito's error codes and kinds,
//! "already exists" taken as done like the adapter, injected failures that hit only the next
//! call, Step Functions' history paging and its refusals.

use opsdeck::domain::tenancy::plan::{CognitoCall, CognitoOp};
use opsdeck::domain::workflows::ExecutionStatus;
use opsdeck::services::fake::{ExecutionSeed, FakeBackend, MachineSeed};
use opsdeck::services::{ErrorKind, Tenants, Workflows};

use crate::support::{ME, POOL, denied, fake};

fn call(op: CognitoOp) -> CognitoCall {
    CognitoCall {
        account_id: ME.into(),
        pool_id: POOL.into(),
        op,
    }
}

#[tokio::test]
async fn cognito_calls_fail_with_the_codes_and_kinds_the_adapter_reports() {
    let fake = fake();
    let add = |username: &str, group: &str| {
        call(CognitoOp::AddToGroup {
            username: username.into(),
            group: group.into(),
        })
    };
    let e = fake
        .apply(&add("zed@acme.com", "acme:admin"))
        .await
        .unwrap_err();
    assert_eq!(
        (e.kind, e.code.as_deref()),
        (ErrorKind::NotFound, Some("UserNotFoundException"))
    );
    assert_eq!(
        e.to_string(),
        "Cognito AdminAddUserToGroup zed@acme.com failed: User does not exist. (UserNotFoundException)"
    );
    let e = fake
        .apply(&add("bob@acme.com", "nope:admin"))
        .await
        .unwrap_err();
    assert_eq!(e.code.as_deref(), Some("ResourceNotFoundException"));

    let create = call(CognitoOp::CreateUser {
        username: "eve@acme.com".into(),
        email: "eve@acme.com".into(),
        attributes: vec![("custom:plan".into(), "gold".into())],
    });
    let e = fake.apply(&create).await.unwrap_err();
    assert_eq!(
        (e.kind, e.code.as_deref()),
        (ErrorKind::Invalid, Some("InvalidParameterException"))
    );
    assert!(
        fake.pool_user(POOL, "eve@acme.com").is_none(),
        "nothing created"
    );

    let e = fake.groups(ME, "eu-west-1_gone").await.unwrap_err();
    assert_eq!(e.kind, ErrorKind::NotFound);
    assert!(
        e.message
            .contains("User pool eu-west-1_gone does not exist."),
        "{e}"
    );
}

#[tokio::test]
async fn what_already_exists_is_done_as_the_adapter_takes_it() {
    let fake = fake();
    let group = call(CognitoOp::CreateGroup {
        group: "acme:admin".into(),
        description: "other".into(),
        precedence: 9,
    });
    fake.apply(&group).await.unwrap();
    let kept = fake
        .groups_of(POOL)
        .into_iter()
        .find(|g| g.name == "acme:admin")
        .unwrap();
    assert_eq!(
        kept.description, "Acme Corp",
        "the existing group is left as it was"
    );

    let again = call(CognitoOp::CreateUser {
        username: "bob@acme.com".into(),
        email: "bob@acme.com".into(),
        attributes: vec![],
    });
    fake.apply(&again).await.unwrap();
    assert_eq!(
        fake.pool_user(POOL, "bob@acme.com").unwrap().user.status,
        "CONFIRMED"
    );
    assert!(
        fake.invitations().is_empty(),
        "no invitation for a user that exists"
    );

    let gone = call(CognitoOp::DeleteGroup {
        group: "acme:none".into(),
    });
    fake.apply(&gone).await.unwrap();
    assert_eq!(
        fake.changes().len(),
        3,
        "each call was still made: {:?}",
        fake.changes()
    );
}

#[tokio::test]
async fn an_injected_failure_hits_the_next_call_of_its_operation_only() {
    let fake = fake().with_account("222222222222", "staging");
    fake.fail_next("ListGroups", denied("Cognito ListGroups"));
    fake.fail_next_in(
        "222222222222",
        "ListUserPools",
        denied("Cognito ListUserPools"),
    );

    assert!(fake.user_pools(ME).await.is_ok(), "another account");
    let e = fake.groups(ME, POOL).await.unwrap_err();
    assert_eq!(e.code.as_deref(), Some("AccessDeniedException"));
    assert_eq!(fake.groups(ME, POOL).await.unwrap().len(), 3, "only once");
    assert!(fake.user_pools("222222222222").await.is_err());
    assert!(fake.user_pools("222222222222").await.unwrap().is_empty());

    assert_eq!(
        fake.calls(),
        [
            "ListUserPools",
            "ListGroups",
            "ListGroups",
            "ListUserPools",
            "ListUserPools"
        ]
    );
    assert_eq!(
        fake.calls_in("222222222222"),
        ["ListUserPools", "ListUserPools"]
    );
    assert!(fake.changes().is_empty());
}

#[tokio::test]
async fn lists_come_in_pages_one_call_each() {
    let fake = fake().with_page_size(2);
    let users = opsdeck::services::tenant_queries::scan_users(&fake, ME, POOL, None, |_| {})
        .await
        .unwrap();
    assert_eq!(users.len(), 3);
    assert_eq!(fake.calls(), ["ListUsers", "ListUsers"]);
    let e = fake
        .users_page(ME, POOL, None, Some("never-handed-out".into()))
        .await
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::Invalid);
}

fn orders() -> FakeBackend {
    let mut run = ExecutionSeed::succeeded("run-1");
    for i in 0..20 {
        run = run.state("Task", &format!("step-{i}"));
    }
    FakeBackend::new(ME).with_machine(MachineSeed::standard("orders").execution(run))
}

#[tokio::test]
async fn a_history_is_read_newest_first_in_pages_and_every_event_comes_once() {
    let fake = orders();
    let arn = fake.execution_arn("orders", "run-1");
    // ExecutionStarted, 20 states entered and exited, ExecutionSucceeded.
    let fetched = fake.fetch_new_events(ME, &arn, 0, 5).await.unwrap();
    let ids: Vec<i64> = fetched.events.iter().map(|e| e.id).collect();
    assert_eq!(ids, (1..=42).collect::<Vec<_>>());
    assert_eq!(fetched.events.last().unwrap().kind, "ExecutionSucceeded");
    assert!(fake.calls().len() > 1, "several pages: {:?}", fake.calls());

    let known = fake.fetch_new_events(ME, &arn, 40, 5).await.unwrap();
    assert_eq!(
        known.events.iter().map(|e| e.id).collect::<Vec<_>>(),
        [41, 42]
    );
}

#[tokio::test]
async fn step_functions_refuses_what_aws_refuses() {
    let fake = orders();
    let machine = fake.machine_arn("orders");
    let arn = fake.execution_arn("orders", "run-1");

    let e = fake.stop_execution(ME, &arn, None, None).await.unwrap_err();
    assert_eq!(e.kind, ErrorKind::Invalid, "{e}");
    assert_eq!(
        fake.execution_detail(&arn).unwrap().execution.status,
        ExecutionStatus::Succeeded
    );
    let e = fake.redrive_execution(ME, &arn).await.unwrap_err();
    assert_eq!(e.code.as_deref(), Some("ExecutionNotRedrivable"));
    let e = fake
        .start_execution(ME, &machine, "run-1", "{}")
        .await
        .unwrap_err();
    assert_eq!(e.code.as_deref(), Some("ExecutionAlreadyExists"));
    let e = fake
        .start_execution(ME, &machine, "run 2", "{}")
        .await
        .unwrap_err();
    assert_eq!(e.code.as_deref(), Some("InvalidName"));
    let e = fake.execution(ME, &format!("{arn}-x")).await.unwrap_err();
    assert_eq!(e.code.as_deref(), Some("ExecutionDoesNotExist"));

    // A running execution started again with the same input is the same execution.
    let first = fake
        .start_execution(ME, &machine, "run-2", r#"{"a":1}"#)
        .await
        .unwrap();
    let again = fake
        .start_execution(ME, &machine, "run-2", r#"{"a":1}"#)
        .await
        .unwrap();
    assert_eq!(first, again);
    assert_eq!(fake.executions_of(&machine).len(), 2);
    let e = fake
        .start_execution(ME, &machine, "run-2", r#"{"a":2}"#)
        .await
        .unwrap_err();
    assert_eq!(e.code.as_deref(), Some("ExecutionAlreadyExists"));
}
