//! Running an approved plan (or a dry run of any plan) with one audit line per call.

use std::future::Future;

use chrono::{SecondsFormat, Utc};

use super::audit::{AuditEntry, AuditLog, Outcome};
use super::{Approved, Plan, Step, step_line};
use crate::domain::sanitize::sanitize;
use crate::services::{ErrorKind, ServiceError};

/// What happened to one step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StepOutcome {
    /// The call succeeded.
    Done,
    /// Dry run: audited, not called.
    DryRun,
    /// The call failed; execution stopped here.
    Failed(ServiceError),
    /// Not called because an earlier step failed (or the audit log could not be written).
    NotAttempted,
}

/// The result of running a plan: one outcome per step, in plan order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepResults {
    pub outcomes: Vec<StepOutcome>,
    /// Set when an audit line could not be written; execution stopped there so that no further call
    /// goes unaudited.
    pub audit_error: Option<String>,
}

impl StepResults {
    /// Every step done (or dry-run) and every call audited.
    pub fn is_success(&self) -> bool {
        self.audit_error.is_none()
            && self
                .outcomes
                .iter()
                .all(|o| matches!(o, StepOutcome::Done | StepOutcome::DryRun))
    }

    /// The failed step (index from 0) and its error.
    pub fn first_failure(&self) -> Option<(usize, &ServiceError)> {
        self.outcomes.iter().enumerate().find_map(|(i, o)| match o {
            StepOutcome::Failed(e) => Some((i, e)),
            _ => None,
        })
    }

    /// One sanitised line per step saying what happened to it, then the audit problem if any.
    pub fn report<A>(&self, plan: &Plan<A>) -> Vec<String> {
        let mut lines: Vec<String> = plan
            .steps
            .iter()
            .zip(&self.outcomes)
            .enumerate()
            .map(|(i, (step, outcome))| {
                let step = format!("{}. {}", i + 1, step_line(step));
                match outcome {
                    StepOutcome::Done => format!("done: {step}"),
                    StepOutcome::DryRun => format!("dry run (not called): {step}"),
                    StepOutcome::Failed(e) => {
                        format!("FAILED: {step}: {}", sanitize(&e.to_string()))
                    }
                    StepOutcome::NotAttempted => format!("not attempted: {step}"),
                }
            })
            .collect();
        if let Some(e) = &self.audit_error {
            lines.push(format!(
                "stopped: the audit log could not be written ({}); no further call was made",
                sanitize(e)
            ));
        }
        lines
    }

    /// For a run that did not complete: the failed step named with its position, call, target and
    /// error; whether its effect is unknown (no answer came back); what was done and what not.
    /// Sanitised lines for stderr, after the per-step report. Empty when the run succeeded.
    pub fn failure_summary<A>(&self, plan: &Plan<A>) -> Vec<String> {
        let total = plan.steps.len();
        let done = self
            .outcomes
            .iter()
            .filter(|o| matches!(o, StepOutcome::Done))
            .count();
        let not_attempted = self
            .outcomes
            .iter()
            .filter(|o| matches!(o, StepOutcome::NotAttempted))
            .count();
        let mut lines = Vec::new();
        if let Some((i, e)) = self.first_failure() {
            lines.push(format!(
                "step {} of {total} failed: {}: {}",
                i + 1,
                step_line(&plan.steps[i]),
                sanitize(&e.to_string())
            ));
            if outcome_unknown(e) {
                // A lost answer (dropped connection, timeout) says nothing about the call: the
                // change may well have been made. The operator must not conclude it was not.
                lines.push(format!(
                    "no answer came back for step {}, so it may have taken effect anyway",
                    i + 1
                ));
            }
        } else if let Some(e) = &self.audit_error {
            lines.push(format!(
                "the audit log could not be written ({}); no further call was made",
                sanitize(e)
            ));
        } else {
            return lines;
        }
        lines.push(format!(
            "the change stopped part-way: {done} of {total} step(s) done, {not_attempted} not \
             attempted"
        ));
        lines
    }
}

/// Whether a failed call may have taken effect: no AWS answer (hence no error code) came back.
fn outcome_unknown(e: &ServiceError) -> bool {
    e.code.as_deref().is_none_or(str::is_empty)
        && matches!(e.kind, ErrorKind::Network | ErrorKind::Other)
}

/// Run the steps of an approved plan in order, one audit line per call with its outcome. Stops at the
/// first failed call, or as soon as an audit line cannot be written; the remaining steps are
/// `NotAttempted`. `run_step` gets the step's index and the step (with its action).
pub async fn execute<A, F, Fut>(
    approved: &Approved<A>,
    audit: &AuditLog,
    actor: &str,
    mut run_step: F,
) -> StepResults
where
    F: FnMut(usize, &Step<A>) -> Fut,
    Fut: Future<Output = Result<(), ServiceError>>,
{
    let plan = approved.plan();
    let mut outcomes = vec![StepOutcome::NotAttempted; plan.steps.len()];
    let mut audit_error = None;
    for (i, step) in plan.steps.iter().enumerate() {
        tracing::info!(
            service = step.service,
            operation = step.operation,
            account = %plan.account_id,
            "mutation step {}/{}",
            i + 1,
            plan.steps.len()
        );
        let result = run_step(i, step).await;
        let entry = match &result {
            Ok(()) => entry(plan, i, actor, Outcome::Ok, None),
            Err(e) => entry(plan, i, actor, Outcome::Error, Some(e)),
        };
        outcomes[i] = match result {
            Ok(()) => StepOutcome::Done,
            Err(e) => {
                tracing::warn!(operation = step.operation, error = %e, "mutation step failed");
                StepOutcome::Failed(e)
            }
        };
        if let Err(e) = audit.record(&entry) {
            tracing::error!(error = %e, "audit log write failed; stopping the plan");
            audit_error = Some(e.to_string());
            break;
        }
        if matches!(outcomes[i], StepOutcome::Failed(_)) {
            break;
        }
    }
    StepResults {
        outcomes,
        audit_error,
    }
}

/// Audit every step of `plan` as `dry_run` and call nothing. Needs no approval: nothing changes, so it
/// is also what read-only mode and `--dry-run` can offer.
pub fn dry_run<A>(plan: &Plan<A>, audit: &AuditLog, actor: &str) -> StepResults {
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
    }
}

fn entry<A>(
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
        account_id: plan.account_id.clone(),
        region: plan.region.clone(),
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
        assert_eq!(lines.len(), 3);
        assert!(
            lines
                .iter()
                .all(|l| l.outcome == Outcome::Ok && l.actor == ACTOR)
        );
        assert_eq!(
            lines
                .iter()
                .map(|l| l.operation.as_str())
                .collect::<Vec<_>>(),
            [
                "AdminRemoveUserFromGroup",
                "AdminDisableUser",
                "AdminDeleteUser"
            ]
        );
        assert_eq!((lines[2].step, lines[2].steps), (3, 3));
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
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0].outcome, Outcome::Ok);
        assert_eq!(lines[1].outcome, Outcome::Error);
        assert_eq!(
            lines[1].error_code.as_deref(),
            Some("AccessDeniedException")
        );
        assert_eq!(lines[1].message.as_deref(), Some("not allowed"));

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
    fn the_failure_summary_names_the_step_and_what_was_done() {
        let plan = three_steps();
        let execution = StepResults {
            outcomes: vec![
                StepOutcome::Done,
                StepOutcome::Failed(denied()),
                StepOutcome::NotAttempted,
            ],
            audit_error: None,
        };
        assert_eq!(
            execution.failure_summary(&plan),
            [
                "step 2 of 3 failed: disable the user (cognito-idp:AdminDisableUser alice): \
                 not allowed (AccessDeniedException)",
                "the change stopped part-way: 1 of 3 step(s) done, 1 not attempted",
            ]
        );
        let success = StepResults {
            outcomes: vec![StepOutcome::Done; 3],
            audit_error: None,
        };
        assert!(success.failure_summary(&plan).is_empty());
    }

    #[test]
    fn a_call_without_an_answer_may_have_taken_effect() {
        let plan = three_steps();
        let lost = ServiceError::new(
            ErrorKind::Other,
            None,
            "dispatch failure: connection closed before message completed",
        );
        let execution = StepResults {
            outcomes: vec![
                StepOutcome::Failed(lost),
                StepOutcome::NotAttempted,
                StepOutcome::NotAttempted,
            ],
            audit_error: None,
        };
        let summary = execution.failure_summary(&plan);
        assert!(
            summary[0].starts_with("step 1 of 3 failed: "),
            "{summary:?}"
        );
        assert!(
            summary[1].contains("may have taken effect anyway"),
            "{summary:?}"
        );
        // An AWS answer, even a failure, tells what happened: no such warning.
        let answered = StepResults {
            outcomes: vec![
                StepOutcome::Failed(denied()),
                StepOutcome::NotAttempted,
                StepOutcome::NotAttempted,
            ],
            audit_error: None,
        };
        assert!(
            !answered
                .failure_summary(&plan)
                .iter()
                .any(|l| l.contains("may have taken effect"))
        );
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
    async fn an_unwritable_audit_log_stops_before_the_next_call() {
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
        assert_eq!(called, 1);
        assert_eq!(
            execution.outcomes,
            [
                StepOutcome::Done,
                StepOutcome::NotAttempted,
                StepOutcome::NotAttempted
            ]
        );
        assert!(!execution.is_success());
        let report = execution.report(approved.plan());
        assert!(report.last().unwrap().contains("audit log"), "{report:?}");
    }
}
