//! The one change executor against the fake: an approved plan's calls are made in order and
//! audited twice each (`intent` before, how it ended after); a failure stops the plan with a report that names the failed step, and
//! planning again from what AWS then holds completes the change.

use std::sync::Arc;

use opsdeck::domain::plan::{Change, Plan};
use opsdeck::domain::tenancy::plan::{CognitoCall, Intent};
use opsdeck::domain::workflows::plan::change_plan;
use opsdeck::domain::workflows::{ExecutionStatus, WorkflowChange};
use opsdeck::mutation::{Applied, AuditLog, Executor, Outcome, Policy, StepOutcome, approve};
use opsdeck::services::fake::{FakeBackend, MachineSeed};
use opsdeck::services::tenant_planning as planning;
use opsdeck::services::{ErrorKind, ServiceError};

use crate::support::{ME, POOL, audit, denied, fake, target, tenancy};

const ACTOR: &str = "arn:aws:sts::111111111111:assumed-role/Operator/fake";

async fn onboarding(fake: &FakeBackend) -> Plan<Change> {
    let intent = Intent::OnboardTenant {
        tenant: "globex".into(),
        display_name: "Globex Inc".into(),
        admin_email: "carol@globex.com".into(),
    };
    let plan: Plan<CognitoCall> = planning::plan(fake, &tenancy(), &target(), intent)
        .await
        .unwrap()
        .expect("something to do");
    plan.map_actions(Change::Tenants)
}

/// Approve and run `plan` with an audit log in `dir`.
async fn run(fake: &FakeBackend, plan: &Plan<Change>, dir: &std::path::Path) -> Applied {
    let audit = AuditLog::open(dir.join("audit.log")).unwrap();
    let executor = Executor::new(Arc::new(fake.clone()), Arc::new(audit), 1000);
    let approved = approve(&Policy::default(), plan, "y").unwrap();
    let actor = executor.actor().await.unwrap();
    assert_eq!(actor, ACTOR);
    executor.run(&approved, &actor, |_, _| {}).await
}

#[tokio::test]
async fn an_approved_plan_makes_its_calls_in_order_and_audits_each() {
    let fake = fake();
    let plan = onboarding(&fake).await;
    let dir = tempfile::tempdir().unwrap();
    let applied = run(&fake, &plan, dir.path()).await;
    assert!(applied.is_success(), "{:?}", applied.steps);

    let made: Vec<String> = fake.changes().into_iter().map(|(op, _)| op).collect();
    let planned: Vec<&str> = plan.steps.iter().map(|s| s.operation).collect();
    assert_eq!(made, planned);
    let carol = fake.pool_user(POOL, "carol@globex.com").unwrap();
    assert_eq!(carol.user.status, "FORCE_CHANGE_PASSWORD");
    assert_eq!(carol.groups, ["globex:admin"]);
    assert_eq!(carol.user.attribute("custom:tenant_id"), Some("globex"));
    assert_eq!(
        fake.invitations(),
        [(POOL.to_owned(), "carol@globex.com".to_owned())]
    );

    let lines = audit(&dir.path().join("audit.log"));
    assert_eq!(lines.len(), 2 * 5, "intent and ok for each call");
    assert!(lines.iter().all(|l| l.actor == ACTOR));
    assert!(lines.chunks(2).all(|pair| {
        pair[0].outcome == Outcome::Intent
            && pair[1].outcome == Outcome::Ok
            && pair[0].step == pair[1].step
    }));
    assert!(
        lines
            .iter()
            .all(|l| l.plan == "Onboard tenant globex with admin carol@globex.com")
    );
    assert!(lines.iter().all(|l| l.pool_id.as_deref() == Some(POOL)));
    let audited: Vec<&str> = lines
        .iter()
        .step_by(2)
        .map(|l| l.operation.as_str())
        .collect();
    assert_eq!(audited, planned);
    assert_eq!((lines[9].step, lines[9].steps), (5, 5));
}

#[tokio::test]
async fn a_failed_call_stops_the_plan_and_planning_again_makes_only_the_missing_calls() {
    let fake = fake();
    let plan = onboarding(&fake).await;
    fake.fail_next(
        "AdminCreateUser",
        denied("Cognito AdminCreateUser carol@globex.com"),
    );
    let dir = tempfile::tempdir().unwrap();
    let applied = run(&fake, &plan, dir.path()).await;

    assert!(!applied.is_success());
    let outcomes = &applied.steps.outcomes;
    assert_eq!(
        outcomes[..3],
        [StepOutcome::Done, StepOutcome::Done, StepOutcome::Done]
    );
    assert!(matches!(&outcomes[3], StepOutcome::Failed(e) if e.kind == ErrorKind::Denied));
    assert_eq!(outcomes[4], StepOutcome::NotAttempted);
    let called: Vec<String> = fake.changes().into_iter().map(|(op, _)| op).collect();
    assert_eq!(
        called,
        [
            "CreateGroup",
            "CreateGroup",
            "CreateGroup",
            "AdminCreateUser"
        ]
    );
    assert!(fake.pool_user(POOL, "carol@globex.com").is_none());

    let summary = applied.steps.failure_summary(&plan);
    assert_eq!(
        summary,
        [
            "step 4 of 5 failed: create user carol@globex.com, email verified, \
             custom:tenant_id=globex, send the invitation (cognito-idp:AdminCreateUser \
             carol@globex.com): Cognito AdminCreateUser carol@globex.com failed: not authorized \
             (AccessDeniedException)",
            "AWS refused step 4, so it changed nothing (AccessDeniedException)",
            "the change stopped part-way: 3 of 5 step(s) done, 1 not attempted",
        ]
    );
    let lines = audit(&dir.path().join("audit.log"));
    assert_eq!(lines.len(), 2 * 4, "two lines per attempted call");
    assert_eq!(lines[6].outcome, Outcome::Intent);
    assert_eq!(lines[7].outcome, Outcome::Error);
    assert_eq!(
        lines[7].error_code.as_deref(),
        Some("AccessDeniedException")
    );

    let rest = onboarding(&fake).await;
    let ops: Vec<&str> = rest.steps.iter().map(|s| s.operation).collect();
    assert_eq!(ops, ["AdminCreateUser", "AdminAddUserToGroup"]);
    assert!(run(&fake, &rest, dir.path()).await.is_success());
    assert_eq!(fake.members(POOL, "globex:admin"), ["carol@globex.com"]);
}

#[tokio::test]
async fn a_call_without_an_answer_is_said_to_have_maybe_taken_effect() {
    let fake = fake();
    let plan = onboarding(&fake).await;
    let lost = ServiceError::new(
        ErrorKind::Network,
        None,
        "Cognito CreateGroup globex:admin: network error: connection reset",
    );
    fake.fail_next("CreateGroup", lost);
    let dir = tempfile::tempdir().unwrap();
    let applied = run(&fake, &plan, dir.path()).await;
    let summary = applied.steps.failure_summary(&plan);
    assert!(
        summary[0].starts_with("step 1 of 5 failed: "),
        "{summary:?}"
    );
    assert!(
        summary[1].contains("may have taken effect anyway"),
        "{summary:?}"
    );
    assert_eq!(fake.changes().len(), 1, "nothing after the lost call");
    let outcomes: Vec<Outcome> = audit(&dir.path().join("audit.log"))
        .iter()
        .map(|l| l.outcome)
        .collect();
    assert_eq!(outcomes, [Outcome::Intent, Outcome::Unknown]);
}

#[tokio::test]
async fn a_plan_done_meanwhile_is_made_again_at_apply_and_calls_nothing() {
    let fake = fake();
    let plan = onboarding(&fake).await;
    let dir = tempfile::tempdir().unwrap();
    assert!(run(&fake, &plan, dir.path()).await.is_success());
    let made = fake.changes().len();
    // Made again at apply, the plan has nothing left to do: nothing is called or audited, and
    // that is success (not "done").
    let again = run(&fake, &plan, dir.path()).await;
    assert!(again.is_success(), "{:?}", again.steps);
    let reason = again.steps.nothing_to_do.clone().expect("nothing to do");
    assert!(reason.contains("globex already exists"), "{reason}");
    assert!(!reason.ends_with("nothing to do"), "said once: {reason}");
    assert_eq!(fake.changes().len(), made, "no call made");
    assert_eq!(fake.groups_of(POOL).len(), 6);
    assert_eq!(fake.invitations().len(), 1, "no second invitation");
    assert_eq!(audit(&dir.path().join("audit.log")).len(), 2 * 5);
}

#[tokio::test]
async fn a_start_reports_the_execution_it_started() {
    let fake = FakeBackend::new(ME).with_machine(MachineSeed::standard("orders"));
    let change = WorkflowChange::Start {
        machine_arn: fake.machine_arn("orders"),
        name: "rerun-1".into(),
        input: r#"{"order": 7}"#.into(),
    };
    let plan = change_plan(change, ME, "eu-west-1").map_actions(Change::Workflows);
    let dir = tempfile::tempdir().unwrap();
    let applied = run(&fake, &plan, dir.path()).await;
    let arn = fake.execution_arn("orders", "rerun-1");
    assert_eq!(applied.started.as_deref(), Some(arn.as_str()));
    let started = fake.execution_detail(&arn).unwrap();
    assert_eq!(started.execution.status, ExecutionStatus::Running);
    assert_eq!(started.input.as_deref(), Some(r#"{"order": 7}"#));
    assert_eq!(fake.history(&arn)[0].kind, "ExecutionStarted");
}

#[tokio::test]
async fn a_stop_whose_execution_ended_before_it_was_applied_changes_nothing_and_says_so() {
    let fake = FakeBackend::new(ME).with_machine(
        MachineSeed::standard("orders")
            .execution(opsdeck::services::fake::ExecutionSeed::running("run-7")),
    );
    let arn = fake.execution_arn("orders", "run-7");
    // Planned while it ran...
    let stop = WorkflowChange::Stop {
        execution_arn: arn.clone(),
        error: None,
        cause: None,
    };
    let plan = change_plan(stop, ME, "eu-west-1").map_actions(Change::Workflows);
    // ...and it ended before the operator confirmed.
    fake.succeed_execution(&arn, "{}");
    fake.clear_calls();
    let dir = tempfile::tempdir().unwrap();
    let audit_log = AuditLog::open(dir.path().join("audit.log")).unwrap();
    let executor = Executor::new(Arc::new(fake.clone()), Arc::new(audit_log), 1000);
    // A stop is confirmed by typing the execution's name.
    let approved = approve(&Policy::default(), &plan, "run-7").unwrap();
    let applied = executor.run(&approved, ACTOR, |_, _| {}).await;

    assert!(applied.is_success());
    let reason = applied.steps.nothing_to_do.clone().expect("nothing to do");
    assert!(reason.contains("SUCCEEDED"), "{reason}");
    assert_eq!(
        applied.steps.report(&plan),
        [format!("nothing to do: {reason}")]
    );
    assert!(
        !fake.calls().contains(&"StopExecution".to_owned()),
        "{:?}",
        fake.calls()
    );
    assert!(fake.changes().is_empty());
    assert!(
        audit(&dir.path().join("audit.log")).is_empty(),
        "no audit line claims a stop"
    );
    assert_eq!(
        fake.execution_detail(&arn).unwrap().execution.status,
        ExecutionStatus::Succeeded
    );
}

/// A tenant plan made for `intent` on the pool as it is now.
async fn planned(fake: &FakeBackend, intent: Intent) -> Plan<Change> {
    planning::plan(fake, &tenancy(), &target(), intent)
        .await
        .unwrap()
        .expect("something to do")
        .map_actions(Change::Tenants)
}

fn set_role(role: &str) -> Intent {
    Intent::SetRole {
        username: "bob@acme.com".into(),
        tenant: "acme".into(),
        role: role.into(),
    }
}

#[tokio::test]
async fn a_plan_the_pool_moved_under_is_made_again_and_not_run() {
    let fake = fake();
    // Planned: bob from member to admin.
    let plan = planned(&fake, set_role("admin")).await;
    // Meanwhile someone moves bob from member to readonly.
    let elsewhere = tempfile::tempdir().unwrap();
    let other = planned(&fake, set_role("readonly")).await;
    assert!(run(&fake, &other, elsewhere.path()).await.is_success());
    let made = fake.changes().len();

    let dir = tempfile::tempdir().unwrap();
    let applied = run(&fake, &plan, dir.path()).await;
    assert!(!applied.is_success(), "not what was confirmed: not done");
    assert_eq!(fake.changes().len(), made, "no call made");
    let fresh = applied
        .steps
        .replanned
        .clone()
        .expect("the plan made again");
    let steps: Vec<(&str, &str)> = fresh
        .steps
        .iter()
        .map(|s| (s.operation, s.summary.as_str()))
        .collect();
    assert!(
        steps
            .iter()
            .any(|(op, summary)| *op == "AdminRemoveUserFromGroup"
                && summary.contains("acme:readonly")),
        "the new plan takes bob out of the group he is in now: {steps:?}"
    );
    let report = applied.steps.report(&plan).join("\n");
    assert!(report.contains("nothing was changed"), "{report}");
    assert!(
        report.contains("acme:readonly"),
        "the new plan is shown: {report}"
    );

    // The same plan on an unchanged pool runs as confirmed.
    let fake = super::support::fake();
    let plan = planned(&fake, set_role("admin")).await;
    let applied = run(&fake, &plan, dir.path()).await;
    assert!(applied.is_success(), "{:?}", applied.steps);
    assert!(applied.steps.replanned.is_none());
}
