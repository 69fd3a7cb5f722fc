//! A change made from the command line: every command that changes AWS ends here, so they all
//! behave alike.
//!
//! - `--dry-run` prints the plan and the calls it would make on stdout, audits them as `dry_run`,
//!   calls nothing and exits 0, in read-only mode too (it then also says the apply would be refused).
//! - A plan the policy refuses (read-only, globally or for its account) exits 3 with the reason on
//!   stderr before anything else is shown.
//! - Otherwise the plan and the question go to stderr, the answer comes from stdin (or `--yes`), and
//!   the executor runs it. What happened to each step is the command's result, on stdout; a command
//!   whose result is a record of its own (`sfn start -o json` prints the started execution) sends
//!   it to stderr instead, so stdout stays parseable. A part-way failure is also told on stderr,
//!   with the failed step and how to complete the change.
//! - Ctrl-C while the steps run ends the call in flight (audited `unknown`), makes no further call,
//!   says on stderr which steps are done, unknown and not started and how to complete the change,
//!   and exits 130.

use std::io::{BufRead, Write};
use std::path::Path;

use super::executor::{Applied, Executor};
use super::{Change, Plan, Policy, check_policy, confirm_on_terminal};
use crate::domain::sanitize::sanitize;
use crate::domain::workflows::WorkflowChange;
use crate::exit;

/// How the operator asked for the change to be made.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ApplyOptions {
    /// `--yes`: confirmed without asking.
    pub yes: bool,
    /// `--dry-run`: show and audit the plan, call nothing.
    pub dry_run: bool,
    /// Write a progress line on stderr while the steps run (for long plans, e.g. an import).
    pub progress: bool,
    /// Report the steps on stderr: the command prints a result record of its own on stdout.
    pub report_on_stderr: bool,
    /// How to complete the change after a part-way failure, when the command knows better than
    /// the plan (a tenant's onboarding: the same command again).
    pub completion: Option<&'static str>,
}

/// Where the command talks to the operator.
pub struct Terminal<'a> {
    pub out: &'a mut dyn Write,
    pub err: &'a mut dyn Write,
    pub input: &'a mut dyn BufRead,
    /// Whether `input` is a terminal someone can answer on.
    pub interactive: bool,
}

/// How a command's change ended: its exit code and, for a start, the execution it created.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub code: i32,
    pub started: Option<String>,
    /// The Route53 changes made: (account id, change id).
    pub dns_changes: Vec<(String, String)>,
}

impl Outcome {
    fn code(code: i32) -> Outcome {
        Outcome {
            code,
            started: None,
            dns_changes: Vec::new(),
        }
    }
}

/// Plan → policy → confirmation → execution → report, the same for every command.
/// `audit_path` is named in the advice after a part-way failure.
pub async fn apply(
    executor: &Executor,
    policy: &Policy,
    plan: &Plan<Change>,
    options: ApplyOptions,
    audit_path: &Path,
    term: &mut Terminal<'_>,
) -> anyhow::Result<Outcome> {
    let Terminal {
        out,
        err,
        input,
        interactive,
    } = term;
    let interactive = *interactive;
    if options.dry_run {
        write!(out, "{plan}")?;
        if let Err(refusal) = check_policy(policy, plan) {
            writeln!(out, "the apply would be {refusal}")?;
        }
        let actor = executor.actor().await?;
        let steps = executor.dry_run(plan, &actor);
        for line in steps.report(plan) {
            writeln!(out, "{line}")?;
        }
        return Ok(Outcome::code(if steps.is_success() {
            exit::SUCCESS
        } else {
            exit::ERROR
        }));
    }
    if let Err(refusal) = check_policy(policy, plan) {
        writeln!(err, "opsdeck: {refusal}; nothing was changed")?;
        return Ok(Outcome::code(refusal.exit_code()));
    }
    let actor = executor.actor().await?;
    let approved = match confirm_on_terminal(policy, plan, options.yes, input, err, interactive) {
        Ok(approved) => approved,
        Err(refusal) => {
            writeln!(err, "opsdeck: {refusal}; nothing was changed")?;
            return Ok(Outcome::code(refusal.exit_code()));
        }
    };
    // Whether the progress line on stderr still needs its newline: it must be ended however the
    // run ends, or the next message would be glued to it.
    let mut progress_open = false;
    let applied: Applied = executor
        .run_until(
            &approved,
            &actor,
            |i, total| {
                if options.progress && (i % 10 == 0 || i + 1 == total) {
                    // A progress line that cannot be written is no reason to stop a change part-way.
                    let _ = write!(err, "\rprogress: step {}/{total}", i + 1);
                    let _ = err.flush();
                    progress_open = true;
                }
            },
            ctrl_c(),
        )
        .await;
    if progress_open {
        writeln!(err)?;
    }
    let report: &mut dyn Write = if options.report_on_stderr {
        &mut **err
    } else {
        &mut **out
    };
    for line in applied.steps.report(plan) {
        writeln!(report, "{line}")?;
    }
    if applied.is_success() {
        return Ok(Outcome {
            code: exit::SUCCESS,
            started: applied.started,
            dns_changes: applied.dns_changes,
        });
    }
    if applied.steps.replanned.is_some() {
        // Nothing was called: the new plan is above; running the command again confirms it.
        writeln!(
            err,
            "opsdeck: nothing was changed; run the command again to confirm the new plan"
        )?;
        return Ok(Outcome::code(exit::ERROR));
    }
    for line in applied.steps.failure_summary(plan) {
        writeln!(err, "opsdeck: {line}")?;
    }
    writeln!(
        err,
        "opsdeck: every call made is in the audit log {} (`intent` before each call, then `ok`, \
         `error` or `unknown`); {}",
        audit_path.display(),
        options
            .completion
            .map_or_else(|| completion(plan), str::to_owned)
    )?;
    Ok(Outcome {
        code: if applied.steps.interrupted {
            exit::INTERRUPTED
        } else {
            exit::ERROR
        },
        started: applied.started,
        dns_changes: applied.dns_changes,
    })
}

/// Completes on Ctrl-C. If the handler cannot be installed it never completes (the default
/// SIGINT behaviour, ending the process, then stays).
async fn ctrl_c() {
    if tokio::signal::ctrl_c().await.is_err() {
        std::future::pending::<()>().await;
    }
}

/// How to complete a change that stopped part-way (sanitised).
fn completion(plan: &Plan<Change>) -> String {
    let start = plan.steps.iter().find_map(|s| match &s.action {
        Change::Workflows(WorkflowChange::Start { name, .. }) => Some(name),
        _ => None,
    });
    if let Some(name) = start {
        return format!(
            "to complete it, run the same command again with --name {}: Step Functions starts \
             one execution per name, so a start that did take effect is not made twice",
            sanitize(name)
        );
    }
    if plan
        .steps
        .iter()
        .any(|s| matches!(s.action, Change::Workflows(_)))
    {
        return "check the execution (`opsdeck sfn show ARN`) before running the same command \
                again"
            .to_owned();
    }
    "run the same command again to complete the remaining steps: it reads what AWS holds first \
     and makes only the missing calls"
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::workflows::plan::change_plan;

    fn sfn(change: WorkflowChange) -> Plan<Change> {
        change_plan(change, "111111111111", "eu-west-1").map_actions(Change::Workflows)
    }

    #[test]
    fn the_way_to_complete_a_change_fits_its_service() {
        let start = sfn(WorkflowChange::Start {
            machine_arn: "arn:aws:states:eu-west-1:111111111111:stateMachine:orders".into(),
            name: "run-7".into(),
            input: "{}".into(),
        });
        let advice = completion(&start);
        assert!(advice.contains("--name run-7"), "{advice}");
        assert!(advice.contains("not made twice"), "{advice}");

        let stop = sfn(WorkflowChange::Stop {
            execution_arn: "arn:aws:states:eu-west-1:111111111111:execution:orders:run-7".into(),
            error: None,
            cause: None,
        });
        assert!(completion(&stop).contains("opsdeck sfn show"));

        let cognito =
            crate::mutation::tests::plan(crate::mutation::Danger::Normal).map_actions(|()| {
                Change::Tenants(crate::domain::tenancy::plan::CognitoCall {
                    account_id: "111111111111".into(),
                    pool_id: "eu-west-1_Abc".into(),
                    op: crate::domain::tenancy::plan::CognitoOp::DisableUser {
                        username: "alice".into(),
                    },
                })
            });
        assert!(completion(&cognito).contains("makes only the missing calls"));
    }
}
