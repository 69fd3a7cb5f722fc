//! Running an approved plan (or a dry run of any plan): every call is audited before it is sent
//! (`intent`) and when it has ended (`ok`, `error`, or `unknown` when no answer came back).

use std::future::Future;

use chrono::{SecondsFormat, Utc};
use futures::FutureExt;

use super::audit::{AuditEntry, AuditLog, Audited, Outcome};
use super::results::{INTERRUPTED, StepOutcome, StepResults, outcome_unknown};
use super::{Approved, Plan, Step};
use crate::services::{ErrorKind, ServiceError};

/// Run the steps of an approved plan in order (see [`execute_until`]), never interrupted.
pub async fn execute<A, F, Fut>(
    approved: &Approved<A>,
    audit: &AuditLog,
    actor: &str,
    run_step: F,
) -> StepResults
where
    A: Audited,
    F: FnMut(usize, &Step<A>) -> Fut,
    Fut: Future<Output = Result<(), ServiceError>>,
{
    execute_until(approved, audit, actor, std::future::pending(), run_step).await
}

/// Run the steps of an approved plan in order. Each call gets an `intent` audit line before it is
/// sent (a line that cannot be written stops the plan there: the call is not made) and one when it
/// ended: `ok`, `error` (AWS answered with an error), or `unknown` (no answer came back). Stops at
/// the first failed call; the remaining steps are `NotAttempted`.
///
/// When `interrupt` completes (Ctrl-C), the call in flight is dropped (which ends its request),
/// audited `unknown` and reported [`StepOutcome::Interrupted`]; no further call is made. An
/// interruption between two calls stops before the next one's intent. `run_step` gets the step's
/// index and the step (with its action).
pub async fn execute_until<A, F, Fut, I>(
    approved: &Approved<A>,
    audit: &AuditLog,
    actor: &str,
    interrupt: I,
    mut run_step: F,
) -> StepResults
where
    A: Audited,
    F: FnMut(usize, &Step<A>) -> Fut,
    Fut: Future<Output = Result<(), ServiceError>>,
    I: Future<Output = ()>,
{
    let plan = approved.plan();
    let mut interrupt = std::pin::pin!(interrupt);
    let mut results = StepResults {
        outcomes: vec![StepOutcome::NotAttempted; plan.steps.len()],
        ..StepResults::default()
    };
    for (i, step) in plan.steps.iter().enumerate() {
        // This first poll also sets the interruption up (a signal handler) before anything is sent.
        if interrupt.as_mut().now_or_never().is_some() {
            tracing::warn!("change interrupted between steps; stopping the plan");
            results.interrupted = true;
            break;
        }
        if let Err(e) = audit.record(&entry(plan, i, actor, Outcome::Intent, None)) {
            tracing::error!(error = %e, "audit log write failed; the call is not made");
            results.audit_error = Some(e.to_string());
            break;
        }
        tracing::info!(
            service = step.service,
            operation = step.operation,
            account = %plan.account_id,
            "mutation step {}/{}",
            i + 1,
            plan.steps.len()
        );
        let result = tokio::select! {
            biased;
            () = interrupt.as_mut() => None,
            result = run_step(i, step) => Some(result),
        };
        let line = match &result {
            None => {
                let lost = ServiceError::new(ErrorKind::Other, None, INTERRUPTED);
                entry(plan, i, actor, Outcome::Unknown, Some(&lost))
            }
            Some(Ok(())) => entry(plan, i, actor, Outcome::Ok, None),
            Some(Err(e)) if outcome_unknown(e) => entry(plan, i, actor, Outcome::Unknown, Some(e)),
            Some(Err(e)) => entry(plan, i, actor, Outcome::Error, Some(e)),
        };
        results.outcomes[i] = match result {
            None => {
                tracing::warn!(operation = step.operation, "mutation step interrupted");
                results.interrupted = true;
                StepOutcome::Interrupted
            }
            Some(Ok(())) => StepOutcome::Done,
            Some(Err(e)) => {
                tracing::warn!(operation = step.operation, error = %e, "mutation step failed");
                StepOutcome::Failed(e)
            }
        };
        if let Err(e) = audit.record(&line) {
            tracing::error!(error = %e, "audit log write failed; stopping the plan");
            results.audit_error = Some(e.to_string());
            break;
        }
        if !matches!(results.outcomes[i], StepOutcome::Done) {
            break;
        }
    }
    results
}

/// Audit every step of `plan` as `dry_run` and call nothing. Needs no approval: nothing changes, so it
/// is also what read-only mode and `--dry-run` can offer.
pub fn dry_run<A: Audited>(plan: &Plan<A>, audit: &AuditLog, actor: &str) -> StepResults {
    let mut outcomes = vec![StepOutcome::NotAttempted; plan.steps.len()];
    let mut audit_error = None;
    for (i, outcome) in outcomes.iter_mut().enumerate() {
        if let Err(e) = audit.record(&entry(plan, i, actor, Outcome::DryRun, None)) {
            audit_error = Some(e.to_string());
            break;
        }
        *outcome = StepOutcome::DryRun;
    }
    StepResults {
        outcomes,
        audit_error,
        ..StepResults::default()
    }
}

fn entry<A: Audited>(
    plan: &Plan<A>,
    index: usize,
    actor: &str,
    outcome: Outcome,
    error: Option<&ServiceError>,
) -> AuditEntry {
    let step = &plan.steps[index];
    AuditEntry {
        time: Utc::now().to_rfc3339_opts(SecondsFormat::Millis, true),
        actor: actor.to_owned(),
        account_id: step
            .action
            .account_id()
            .filter(|a| !a.is_empty())
            .unwrap_or(&plan.account_id)
            .to_owned(),
        region: plan.region.clone(),
        pool_id: step.action.pool_id().map(str::to_owned),
        service: step.service.to_owned(),
        operation: step.operation.to_owned(),
        target: step.target.clone(),
        summary: step.summary.clone(),
        outcome,
        error_code: error.and_then(|e| e.code.clone()).filter(|c| !c.is_empty()),
        message: error.map(|e| e.message.clone()),
        plan: plan.title.clone(),
        step: index + 1,
        steps: plan.steps.len(),
    }
}

#[cfg(test)]
mod tests {
    use std::cell::RefCell;

    use super::*;
    use crate::mutation::tests::plan;
    use crate::mutation::{Danger, Policy, approve};
    use crate::services::ErrorKind;

    const ACTOR: &str = "arn:aws:sts::111111111111:assumed-role/Ops/alice";

    fn three_steps() -> Plan<&'static str> {
        let mut p = plan(Danger::Normal);
        p.steps.push(Step::new(
            "cognito-idp",
            "AdminDeleteUser",
            "alice",
            "delete the user",
        ));
        Plan {
            basis: None,
            title: p.title,
            account_id: p.account_id,
            region: p.region,
            steps: p
                .steps
                .into_iter()
                .zip(["remove", "disable", "delete"])
                .map(|(s, a)| s.with_action(a))
                .collect(),
            danger: p.danger,
        }
    }

    fn audit_lines(path: &std::path::Path) -> Vec<AuditEntry> {
        std::fs::read_to_string(path)
            .unwrap_or_default()
            .lines()
            .map(|l| serde_json::from_str(l).expect("each audit line is JSON"))
            .collect()
    }

    fn denied() -> ServiceError {
        ServiceError::new(
            ErrorKind::Denied,
            Some("AccessDeniedException".into()),
            "not allowed",
        )
    }

    #[tokio::test]
    async fn runs_every_step_in_order_and_audits_each() {
        let dir = tempfile::tempdir().unwrap();
        let log = AuditLog::open(dir.path().join("audit.log")).unwrap();
        let approved = approve(&Policy::default(), &three_steps(), "y").unwrap();
        let calls = RefCell::new(Vec::new());
        let execution = execute(&approved, &log, ACTOR, |i, step| {
            calls.borrow_mut().push((i, step.action));
            async { Ok(()) }
        })
        .await;
        assert!(execution.is_success());
        assert_eq!(execution.outcomes, vec![StepOutcome::Done; 3]);
        assert_eq!(
            calls.into_inner(),
            [(0, "remove"), (1, "disable"), (2, "delete")]
        );
        let lines = audit_lines(log.path());
        assert_eq!(lines.len(), 6, "intent and ok for each call");
        assert!(lines.iter().all(|l| l.actor == ACTOR));
        assert_eq!(
            lines
                .iter()
                .map(|l| (l.operation.as_str(), l.outcome))
                .collect::<Vec<_>>(),
            [
                ("AdminRemoveUserFromGroup", Outcome::Intent),
                ("AdminRemoveUserFromGroup", Outcome::Ok),
                ("AdminDisableUser", Outcome::Intent),
                ("AdminDisableUser", Outcome::Ok),
                ("AdminDeleteUser", Outcome::Intent),
                ("AdminDeleteUser", Outcome::Ok),
            ]
        );
        assert_eq!((lines[5].step, lines[5].steps), (3, 3));
        assert!(
            chrono::DateTime::parse_from_rfc3339(&lines[0].time).is_ok(),
            "{}",
            lines[0].time
        );
    }

    #[tokio::test]
    async fn stops_at_the_first_failure_and_audits_only_attempted_steps() {
        let dir = tempfile::tempdir().unwrap();
        let log = AuditLog::open(dir.path().join("audit.log")).unwrap();
        let plan = three_steps();
        let approved = approve(&Policy::default(), &plan, "y").unwrap();
        let mut called = Vec::new();
        let execution = execute(&approved, &log, ACTOR, |i, _| {
            called.push(i);
            async move { if i == 1 { Err(denied()) } else { Ok(()) } }
        })
        .await;

        assert_eq!(called, [0, 1], "the step after the failure is never called");
        assert_eq!(
            execution.outcomes,
            [
                StepOutcome::Done,
                StepOutcome::Failed(denied()),
                StepOutcome::NotAttempted
            ]
        );
        assert!(!execution.is_success());
        assert_eq!(execution.first_failure(), Some((1, &denied())));

        let lines = audit_lines(log.path());
        let outcomes: Vec<_> = lines.iter().map(|l| (l.step, l.outcome)).collect();
        assert_eq!(
            outcomes,
            [
                (1, Outcome::Intent),
                (1, Outcome::Ok),
                (2, Outcome::Intent),
                (2, Outcome::Error)
            ]
        );
        assert_eq!(
            lines[3].error_code.as_deref(),
            Some("AccessDeniedException")
        );
        assert_eq!(lines[3].message.as_deref(), Some("not allowed"));

        let report = execution.report(&plan);
        assert!(report[0].starts_with("done: 1."), "{report:?}");
        assert!(report[1].starts_with("FAILED: 2."), "{report:?}");
        assert!(
            report[1].ends_with("not allowed (AccessDeniedException)"),
            "{report:?}"
        );
        assert!(report[2].starts_with("not attempted: 3."), "{report:?}");
    }

    #[test]
    fn dry_run_audits_dry_run_and_calls_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let log = AuditLog::open(dir.path().join("audit.log")).unwrap();
        let plan = three_steps();
        let execution = dry_run(&plan, &log, ACTOR);
        assert!(execution.is_success());
        assert_eq!(execution.outcomes, vec![StepOutcome::DryRun; 3]);
        let lines = audit_lines(log.path());
        assert_eq!(lines.len(), 3);
        assert!(lines.iter().all(|l| l.outcome == Outcome::DryRun));
        assert!(
            lines
                .iter()
                .all(|l| l.error_code.is_none() && l.message.is_none())
        );
    }

    #[cfg(unix)]
    #[tokio::test]
    async fn a_call_whose_intent_cannot_be_audited_is_not_made() {
        // /dev/full accepts the open but fails every write with ENOSPC.
        let Ok(log) = AuditLog::open("/dev/full") else {
            panic!("/dev/full is needed for this test");
        };
        let approved = approve(&Policy::default(), &three_steps(), "y").unwrap();
        let mut called = 0;
        let execution = execute(&approved, &log, ACTOR, |_, _| {
            called += 1;
            async { Ok(()) }
        })
        .await;
        assert_eq!(called, 0);
        assert_eq!(execution.outcomes, vec![StepOutcome::NotAttempted; 3]);
        assert!(!execution.is_success());
        let report = execution.report(approved.plan());
        assert!(report.last().unwrap().contains("audit log"), "{report:?}");
    }

    #[tokio::test]
    async fn the_intent_is_on_disk_before_the_call_is_sent() {
        let dir = tempfile::tempdir().unwrap();
        let log = AuditLog::open(dir.path().join("audit.log")).unwrap();
        let approved = approve(&Policy::default(), &three_steps(), "y").unwrap();
        let path = log.path().to_owned();
        let seen = RefCell::new(Vec::new());
        execute(&approved, &log, ACTOR, |i, _| {
            let last = audit_lines(&path).pop().unwrap();
            seen.borrow_mut().push((i + 1, last.step, last.outcome));
            async { Ok(()) }
        })
        .await;
        assert_eq!(
            seen.into_inner(),
            [
                (1, 1, Outcome::Intent),
                (2, 2, Outcome::Intent),
                (3, 3, Outcome::Intent)
            ]
        );
    }

    #[tokio::test]
    async fn a_lost_answer_is_audited_unknown() {
        let dir = tempfile::tempdir().unwrap();
        let log = AuditLog::open(dir.path().join("audit.log")).unwrap();
        let approved = approve(&Policy::default(), &three_steps(), "y").unwrap();
        let execution = execute(&approved, &log, ACTOR, |_, _| async {
            Err(ServiceError::new(
                ErrorKind::Network,
                None,
                "connection closed before message completed",
            ))
        })
        .await;
        assert!(matches!(execution.outcomes[0], StepOutcome::Failed(_)));
        let lines = audit_lines(log.path());
        assert_eq!(
            lines.iter().map(|l| l.outcome).collect::<Vec<_>>(),
            [Outcome::Intent, Outcome::Unknown]
        );
        assert_eq!(lines[1].error_code, None);
        assert!(
            lines[1]
                .message
                .as_deref()
                .is_some_and(|m| m.contains("connection closed")),
            "{:?}",
            lines[1]
        );
    }

    #[tokio::test]
    async fn an_interruption_ends_the_call_in_flight_and_audits_it_unknown() {
        let dir = tempfile::tempdir().unwrap();
        let log = AuditLog::open(dir.path().join("audit.log")).unwrap();
        let plan = three_steps();
        let approved = approve(&Policy::default(), &plan, "y").unwrap();
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let tx = RefCell::new(Some(tx));
        let called = RefCell::new(Vec::new());
        let execution = execute_until(
            &approved,
            &log,
            ACTOR,
            async {
                let _ = rx.await;
            },
            |i, _| {
                called.borrow_mut().push(i);
                let interrupt = (i == 1).then(|| tx.borrow_mut().take()).flatten();
                async move {
                    if let Some(tx) = interrupt {
                        // Ctrl-C while this call waits for an answer that never comes.
                        let _ = tx.send(());
                        std::future::pending::<()>().await;
                    }
                    Ok(())
                }
            },
        )
        .await;
        assert_eq!(called.into_inner(), [0, 1]);
        assert!(execution.interrupted);
        assert!(!execution.is_success());
        assert_eq!(
            execution.outcomes,
            [
                StepOutcome::Done,
                StepOutcome::Interrupted,
                StepOutcome::NotAttempted
            ]
        );
        let lines = audit_lines(log.path());
        assert_eq!(
            lines
                .iter()
                .map(|l| (l.step, l.outcome))
                .collect::<Vec<_>>(),
            [
                (1, Outcome::Intent),
                (1, Outcome::Ok),
                (2, Outcome::Intent),
                (2, Outcome::Unknown)
            ]
        );
        assert!(lines[3].message.as_deref().unwrap().contains("Ctrl-C"));

        let report = execution.report(&plan);
        assert!(report[1].starts_with("UNKNOWN: 2."), "{report:?}");
        assert!(report[1].contains("may have taken effect"), "{report:?}");
        assert!(report[2].starts_with("not attempted: 3."), "{report:?}");
        let summary = execution.failure_summary(&plan);
        assert!(
            summary[0].starts_with("interrupted (Ctrl-C) during step 2 of 3: disable the user"),
            "{summary:?}"
        );
        assert!(summary[0].contains("may have taken effect"), "{summary:?}");
        assert_eq!(
            summary[1],
            "steps done: 1; outcome unknown: 2; not started: 3"
        );
    }

    #[tokio::test]
    async fn an_interruption_between_calls_makes_no_further_call() {
        let dir = tempfile::tempdir().unwrap();
        let log = AuditLog::open(dir.path().join("audit.log")).unwrap();
        let plan = three_steps();
        let approved = approve(&Policy::default(), &plan, "y").unwrap();
        let interrupted = std::cell::Cell::new(false);
        let execution = execute_until(
            &approved,
            &log,
            ACTOR,
            std::future::poll_fn(|_| {
                if interrupted.get() {
                    std::task::Poll::Ready(())
                } else {
                    std::task::Poll::Pending
                }
            }),
            |_, _| {
                let interrupted = &interrupted;
                async move {
                    // Ctrl-C just as the first call's answer arrives: that call is done.
                    interrupted.set(true);
                    Ok(())
                }
            },
        )
        .await;
        assert!(execution.interrupted);
        assert_eq!(
            execution.outcomes,
            [
                StepOutcome::Done,
                StepOutcome::NotAttempted,
                StepOutcome::NotAttempted
            ]
        );
        let lines = audit_lines(log.path());
        assert_eq!(
            lines.iter().map(|l| l.outcome).collect::<Vec<_>>(),
            [Outcome::Intent, Outcome::Ok],
            "no intent for a call that is not made"
        );
        let summary = execution.failure_summary(&plan);
        assert_eq!(
            summary,
            [
                "interrupted (Ctrl-C) between two steps of 3; no call was in flight",
                "steps done: 1; outcome unknown: none; not started: 2-3"
            ]
        );
    }

    #[tokio::test]
    async fn cognito_lines_carry_the_pool_id() {
        use crate::domain::tenancy::plan::{CognitoCall, CognitoOp};
        let dir = tempfile::tempdir().unwrap();
        let log = AuditLog::open(dir.path().join("audit.log")).unwrap();
        let p = plan(Danger::Normal);
        let call = CognitoCall {
            account_id: "111111111111".into(),
            pool_id: "eu-west-1_Pool1".into(),
            op: CognitoOp::DisableUser {
                username: "alice".into(),
            },
        };
        let cognito = p.clone().map_actions(|()| call.clone());
        let approved = approve(&Policy::default(), &cognito, "y").unwrap();
        execute(&approved, &log, ACTOR, |_, _| async { Ok(()) }).await;
        dry_run(&p, &log, ACTOR);
        let lines = audit_lines(log.path());
        assert_eq!(lines.len(), 4 + 2);
        for l in &lines[..4] {
            assert_eq!(l.pool_id.as_deref(), Some("eu-west-1_Pool1"));
            assert_eq!(
                (l.account_id.as_str(), l.region.as_str()),
                ("111111111111", "eu-west-1")
            );
        }
        assert!(lines[4..].iter().all(|l| l.pool_id.is_none()));
        let raw = std::fs::read_to_string(log.path()).unwrap();
        assert!(raw.contains(r#""pool_id":"eu-west-1_Pool1""#), "{raw}");
        assert!(raw.contains(r#""pool_id":null"#), "{raw}");
    }
}
