//! What a tenant's onboarding (or offboarding) workflow still needs, from the executions of the
//! runbook's name that exist: the first attempt is named as the template says (`onboard-acme`),
//! the next ones `onboard-acme-2`, `onboard-acme-3`... so that every attempt keeps the tenant
//! visible and Step Functions' one-execution-per-name rule makes a start idempotent.

use crate::domain::workflows::ExecutionStatus;

/// At most this many attempts are looked up (and started) for one tenant.
pub const MAX_ATTEMPTS: usize = 20;

/// The name of attempt `n` (1-based) of `base`.
pub fn attempt_name(base: &str, n: usize) -> String {
    if n <= 1 {
        base.to_owned()
    } else {
        format!("{base}-{n}")
    }
}

/// An attempt that exists: its name, ARN and status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attempt {
    pub name: String,
    pub arn: String,
    pub status: ExecutionStatus,
}

/// What the workflow part of a rerun does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Next {
    /// The last attempt succeeded: nothing to do.
    Done(Attempt),
    /// The last attempt is still running: watched, not restarted.
    Watch(Attempt),
    /// Start an execution of this name.
    Start(String),
    /// Redrive the last attempt, which failed (the runbook asks for redrives).
    Redrive(Attempt),
}

/// Decide from the existing attempts, oldest first (`attempts[i]` is named
/// `attempt_name(base, i + 1)`). A failed last attempt is redriven when `redrive`, else the next
/// name is started; `Err` when every allowed name is used up.
pub fn next(base: &str, attempts: &[Attempt], redrive: bool) -> Result<Next, String> {
    let Some(last) = attempts.last() else {
        return Ok(Next::Start(attempt_name(base, 1)));
    };
    match last.status {
        ExecutionStatus::Succeeded => Ok(Next::Done(last.clone())),
        ExecutionStatus::Running | ExecutionStatus::PendingRedrive => Ok(Next::Watch(last.clone())),
        _ if redrive => Ok(Next::Redrive(last.clone())),
        _ if attempts.len() >= MAX_ATTEMPTS => Err(format!(
            "the workflow already failed {} times ({} to {}); look at the last one with `opsdeck \
             sfn show {}` before trying again",
            attempts.len(),
            base,
            last.name,
            last.arn
        )),
        _ => Ok(Next::Start(attempt_name(base, attempts.len() + 1))),
    }
}

/// The ARN of execution `name` of the machine `machine_arn`.
pub fn execution_arn(machine_arn: &str, name: &str) -> String {
    format!(
        "{}:{name}",
        machine_arn.replacen(":stateMachine:", ":execution:", 1)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attempt(n: usize, status: ExecutionStatus) -> Attempt {
        Attempt {
            name: attempt_name("onboard-acme", n),
            arn: format!("arn:x:{n}"),
            status,
        }
    }

    #[test]
    fn a_rerun_starts_nothing_after_a_success_and_watches_a_running_execution() {
        use ExecutionStatus::*;
        assert_eq!(
            next("onboard-acme", &[], false).unwrap(),
            Next::Start("onboard-acme".into())
        );
        let done = [attempt(1, Succeeded)];
        assert_eq!(
            next("onboard-acme", &done, false).unwrap(),
            Next::Done(done[0].clone())
        );
        let running = [attempt(1, Failed), attempt(2, Running)];
        assert_eq!(
            next("onboard-acme", &running, false).unwrap(),
            Next::Watch(running[1].clone())
        );
    }

    #[test]
    fn a_failed_execution_is_started_again_under_the_next_name_or_redriven() {
        use ExecutionStatus::*;
        let failed = [attempt(1, Failed)];
        assert_eq!(
            next("onboard-acme", &failed, false).unwrap(),
            Next::Start("onboard-acme-2".into())
        );
        assert_eq!(
            next("onboard-acme", &failed, true).unwrap(),
            Next::Redrive(failed[0].clone())
        );
        let many: Vec<Attempt> = (1..=MAX_ATTEMPTS).map(|n| attempt(n, TimedOut)).collect();
        assert!(next("onboard-acme", &many, false).is_err());
    }

    #[test]
    fn the_execution_arn_is_the_machine_arn_with_the_name() {
        assert_eq!(
            execution_arn(
                "arn:aws:states:eu-west-1:111111111111:stateMachine:tenant-provision",
                "onboard-acme"
            ),
            "arn:aws:states:eu-west-1:111111111111:execution:tenant-provision:onboard-acme"
        );
    }
}
