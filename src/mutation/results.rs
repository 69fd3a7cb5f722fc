//! What happened to each step of a run, and the words that tell it: one line per step, and for a
//! run that stopped part-way (failure, audit problem, Ctrl-C) what was done, what is unknown and
//! what was not started.

use super::{Plan, step_line};
use crate::domain::sanitize::sanitize;
use crate::services::{ErrorKind, ServiceError};

/// What the audit line of a call ended by Ctrl-C says.
pub(super) const INTERRUPTED: &str = "interrupted (Ctrl-C) before an answer came back";

/// What happened to one step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StepOutcome {
    /// The call succeeded.
    Done,
    /// Dry run: audited, not called.
    DryRun,
    /// The call failed; execution stopped here.
    Failed(ServiceError),
    /// The call was sent and ended by an interruption (Ctrl-C) before its answer came back: it may
    /// have taken effect. Execution stopped here.
    Interrupted,
    /// Not called: an earlier step failed or was interrupted, or an audit line could not be written.
    NotAttempted,
}

/// Said when a plan made again at apply came out different: nothing was called.
pub const REPLANNED: &str =
    "nothing was changed: what the plan depends on changed since it was made";

/// The result of running a plan: one outcome per step, in plan order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct StepResults {
    pub outcomes: Vec<StepOutcome>,
    /// Set when an audit line could not be written; execution stopped there so that no further call
    /// goes unaudited.
    pub audit_error: Option<String>,
    /// The run was interrupted (Ctrl-C), during a call or between two.
    pub interrupted: bool,
    /// Re-read at apply, what the plan changes had moved so that it no longer applies (an
    /// execution that ended before its stop was confirmed): nothing was called or audited.
    pub nothing_to_do: Option<String>,
    /// Made again at apply, the plan came out different (the pool changed since it was made):
    /// the new plan, for the operator to confirm; nothing was called or audited.
    pub replanned: Option<Plan<crate::domain::plan::Change>>,
}

impl StepResults {
    /// Every step done (or dry-run) and every call audited.
    pub fn is_success(&self) -> bool {
        if self.nothing_to_do.is_some() {
            return true;
        }
        self.audit_error.is_none()
            && !self.interrupted
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
        if let Some(reason) = &self.nothing_to_do {
            return vec![format!("nothing to do: {}", sanitize(reason))];
        }
        if let Some(fresh) = &self.replanned {
            let mut lines = vec![format!("{REPLANNED}; the plan now is:")];
            lines.extend(
                fresh
                    .steps
                    .iter()
                    .enumerate()
                    .map(|(i, step)| format!("{}. {}", i + 1, step_line(step))),
            );
            return lines;
        }
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
                    StepOutcome::Interrupted => {
                        format!("UNKNOWN: {step}: {INTERRUPTED}; it may have taken effect")
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
        if self.interrupted {
            return self.interruption_summary(plan);
        } else if let Some((i, e)) = self.first_failure() {
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
            } else if refused(e) {
                // AWS answered no (not redrivable, denied, invalid): the call changed nothing.
                lines.push(format!(
                    "AWS refused step {}, so it changed nothing{}",
                    i + 1,
                    match e.code.as_deref() {
                        Some(code) if !code.is_empty() => format!(" ({})", sanitize(code)),
                        _ => String::new(),
                    }
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

    /// The run stopped because AWS refused a call (an answer that says no: not redrivable,
    /// denied, invalid), not because of a lost answer or a failure a retry may get past.
    pub fn refused(&self) -> bool {
        !self.interrupted && self.first_failure().is_some_and(|(_, e)| refused(e))
    }

    /// After Ctrl-C: which steps are done, which one's outcome is unknown, which were not started.
    fn interruption_summary<A>(&self, plan: &Plan<A>) -> Vec<String> {
        let total = plan.steps.len();
        let which = |want: fn(&StepOutcome) -> bool| -> Vec<usize> {
            self.outcomes
                .iter()
                .enumerate()
                .filter(|(_, o)| want(o))
                .map(|(i, _)| i + 1)
                .collect()
        };
        let done = which(|o| matches!(o, StepOutcome::Done));
        let unknown = which(|o| matches!(o, StepOutcome::Interrupted));
        let not_started = which(|o| matches!(o, StepOutcome::NotAttempted));
        let mut lines = Vec::new();
        match unknown.first() {
            Some(&n) => lines.push(format!(
                "interrupted (Ctrl-C) during step {n} of {total}: {}; the call was ended before \
                 its answer came back, so it may have taken effect",
                step_line(&plan.steps[n - 1])
            )),
            None => lines.push(format!(
                "interrupted (Ctrl-C) between two steps of {total}; no call was in flight"
            )),
        }
        lines.push(format!(
            "steps done: {}; outcome unknown: {}; not started: {}",
            numbers(&done),
            numbers(&unknown),
            numbers(&not_started)
        ));
        lines
    }
}

/// Step numbers as runs: `1-3, 5`, or `none`.
fn numbers(steps: &[usize]) -> String {
    let mut runs: Vec<(usize, usize)> = Vec::new();
    for &n in steps {
        match runs.last_mut() {
            Some((_, end)) if *end + 1 == n => *end = n,
            _ => runs.push((n, n)),
        }
    }
    if runs.is_empty() {
        return "none".to_owned();
    }
    runs.iter()
        .map(|&(a, b)| {
            if a == b {
                a.to_string()
            } else {
                format!("{a}-{b}")
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Whether a failed call may have taken effect: no AWS answer (hence no error code) came back.
pub(super) fn outcome_unknown(e: &ServiceError) -> bool {
    e.code.as_deref().is_none_or(str::is_empty)
        && matches!(e.kind, ErrorKind::Network | ErrorKind::Other)
}

/// Whether AWS answered a call with a refusal: an answer came back (not a lost one) and it is not
/// a failure that asking again later can get past (throttling, AWS's own failures).
pub(super) fn refused(e: &ServiceError) -> bool {
    !outcome_unknown(e) && !e.is_transient()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mutation::tests::plan;
    use crate::mutation::{Danger, Step};

    fn three_steps() -> Plan {
        let mut p = plan(Danger::Normal);
        p.steps.push(Step::new(
            "cognito-idp",
            "AdminDeleteUser",
            "alice",
            "delete the user",
        ));
        p
    }

    fn denied() -> ServiceError {
        ServiceError::new(
            ErrorKind::Denied,
            Some("AccessDeniedException".into()),
            "not allowed",
        )
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
            interrupted: false,
            nothing_to_do: None,
            replanned: None,
        };
        assert_eq!(
            execution.failure_summary(&plan),
            [
                "step 2 of 3 failed: disable the user (cognito-idp:AdminDisableUser alice): \
                 not allowed (AccessDeniedException)",
                "AWS refused step 2, so it changed nothing (AccessDeniedException)",
                "the change stopped part-way: 1 of 3 step(s) done, 1 not attempted",
            ]
        );
        let success = StepResults {
            outcomes: vec![StepOutcome::Done; 3],
            audit_error: None,
            interrupted: false,
            nothing_to_do: None,
            replanned: None,
        };
        assert!(success.failure_summary(&plan).is_empty());
    }

    #[test]
    fn a_redrive_step_functions_refuses_is_reported_refused_not_unknown() {
        let plan = plan(Danger::Normal);
        let not_redrivable = ServiceError::new(
            ErrorKind::Other,
            Some("ExecutionNotRedrivable".into()),
            "Step Functions RedriveExecution failed: Execution 'run-1' cannot be redriven",
        );
        let run = StepResults {
            outcomes: vec![StepOutcome::Failed(not_redrivable)],
            audit_error: None,
            interrupted: false,
            nothing_to_do: None,
            replanned: None,
        };
        assert!(run.refused());
        let summary = run.failure_summary(&plan).join("\n");
        assert!(summary.contains("cannot be redriven"), "{summary}");
        assert!(
            summary.contains("AWS refused step 1, so it changed nothing (ExecutionNotRedrivable)"),
            "{summary}"
        );
        assert!(!summary.contains("may have taken effect"), "{summary}");
        // A 4xx answer without an error code (mapped to `Invalid`) is a refusal too.
        let bare_400 = ServiceError::new(ErrorKind::Invalid, None, "HTTP 400");
        assert!(refused(&bare_400) && !outcome_unknown(&bare_400));
        // Throttling and AWS's own failures are not refusals: asking again may work.
        for kind in [ErrorKind::Throttled, ErrorKind::Unavailable] {
            let e = ServiceError::new(kind, Some("ThrottlingException".into()), "slow down");
            assert!(!refused(&e), "{kind:?}");
        }
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
            interrupted: false,
            nothing_to_do: None,
            replanned: None,
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
            interrupted: false,
            nothing_to_do: None,
            replanned: None,
        };
        assert!(
            !answered
                .failure_summary(&plan)
                .iter()
                .any(|l| l.contains("may have taken effect"))
        );
    }

    #[test]
    fn step_numbers_are_told_as_runs() {
        assert_eq!(numbers(&[]), "none");
        assert_eq!(numbers(&[2]), "2");
        assert_eq!(numbers(&[1, 2, 3, 5, 7, 8]), "1-3, 5, 7-8");
    }
}
