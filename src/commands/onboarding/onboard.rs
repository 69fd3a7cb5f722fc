//! `tenants create` with a runbook (`[onboarding.dns]`, `[onboarding.workflow]`): one plan across
//! services and accounts — the Cognito groups and first admin, the tenant's DNS record in the
//! zone's account, the provisioning workflow's start — validated whole before anything is shown
//! (the zone and the state machine exist, the input renders to JSON, the record clashes with no
//! other), refused whole when any of its accounts is read-only, confirmed once and run in order by
//! the one executor. Then Route53 is waited for (`INSYNC`) and the execution watched to its end,
//! its transitions on stderr. A rerun plans only what is missing.

use std::io::{self, IsTerminal, Write};
use std::time::Duration;

use super::runbook::{WorkflowPlace, WorkflowTemplate, env};
use crate::cli::tenants::{ChangeArgs, PoolArgs};
use crate::commands::Context;
use crate::commands::tenants::{PLANNING_FAILED, open};
use crate::domain::plan::{Change, Danger, Plan, Step};
use crate::domain::sanitize::sanitize;
use crate::domain::tenancy::onboarding::Next;
use crate::domain::workflows::ExecutionStatus;
use crate::exit;
use crate::mutation::terminal::{ApplyOptions, Terminal};
use crate::services::onboarding::{self, OnboardError, OnboardRequest};
use crate::services::tenant_planning::PlanError;
use crate::services::{Pace, SyncWait, wait_in_sync};

/// Said after a part-way failure: every part is read again first, so a rerun is safe.
pub const RERUN: &str = "to complete it, run the same command again: it reads the pool, the \
                         record and the executions of the workflow first and makes only the \
                         missing calls (a start that did take effect is found by its name)";

/// What `tenants create` was asked.
pub struct Request<'a> {
    pub tenant: &'a str,
    pub admin_email: &'a str,
    pub display_name: String,
    pub vars: &'a [String],
}

/// `tenants create T --admin-email E [--var k=v]...` with a runbook.
pub async fn create(
    ctx: &Context,
    request: Request<'_>,
    args: &PoolArgs,
    change: ChangeArgs,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> anyhow::Result<i32> {
    let tenant = request.tenant;
    let asked = OnboardRequest {
        tenant: tenant.to_owned(),
        display_name: request.display_name,
        admin_email: request.admin_email.to_owned(),
        vars: request.vars.to_vec(),
    };
    // Every template is rendered and checked before any call.
    let runbook = &ctx.config.onboarding;
    onboarding::templates(runbook, &asked)?;
    let pool = open(ctx, args).await?;
    let made =
        match onboarding::plan_onboarding(&env(ctx), runbook, &pool.tenancy, &pool.target, asked)
            .await
        {
            Ok(made) => made,
            Err(OnboardError::Cognito(PlanError::Invalid(message))) => anyhow::bail!(message),
            Err(OnboardError::Cognito(PlanError::Service(e))) => {
                return Err(pool.missing_pool(e).context(PLANNING_FAILED));
            }
            Err(OnboardError::Runbook(e)) => return Err(e),
        };
    let run = Run {
        title: made.title,
        nothing: made.nothing,
        account_id: made.account_id,
        danger: Danger::Normal,
        basis: made.basis,
        steps: made.steps,
        flow: made.flow.as_ref().map(|(t, p)| (t, p)),
        rerun: command_line("create", tenant, Some(request.admin_email), request.vars),
    };
    run_steps(ctx, run, change, out, err).await
}

/// A runbook's plan, made: what `run_steps` shows, confirms and runs.
pub struct Run<'a> {
    pub title: String,
    /// Said when there are no steps (and no execution to watch).
    pub nothing: String,
    /// The account of the plan (Cognito's); every step names its own.
    pub account_id: String,
    pub danger: Danger,
    pub basis: Option<Box<crate::domain::tenancy::plan::Basis>>,
    pub steps: Vec<Step<Change>>,
    pub flow: Option<(&'a WorkflowTemplate, &'a WorkflowPlace)>,
    /// The command that completes the change.
    pub rerun: String,
}

/// Show, confirm and run the plan through the one executor; then wait for `INSYNC` and watch the
/// workflow (0 all done, 5 the workflow did not succeed, 1 an error).
pub async fn run_steps(
    ctx: &Context,
    run: Run<'_>,
    change: ChangeArgs,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> anyhow::Result<i32> {
    let mut code = exit::SUCCESS;
    let mut started = None;
    if run.steps.is_empty() {
        writeln!(out, "{}", sanitize(&run.nothing))?;
    } else {
        let plan = Plan {
            title: run.title,
            account_id: run.account_id,
            region: ctx.region.clone(),
            steps: run.steps,
            danger: run.danger,
            basis: run.basis,
        };
        let options = ApplyOptions {
            yes: change.yes,
            dry_run: change.dry_run,
            progress: false,
            report_on_stderr: false,
            completion: Some(RERUN),
        };
        let stdin = io::stdin();
        let interactive = stdin.is_terminal();
        let mut term = Terminal {
            out: &mut *out,
            err: &mut *err,
            input: &mut stdin.lock(),
            interactive,
        };
        let outcome = ctx
            .apply(&plan, options, ctx.config.cognito.import_rate, &mut term)
            .await?;
        if outcome.code != exit::SUCCESS || change.dry_run {
            if matches!(outcome.code, exit::ERROR | exit::INTERRUPTED) {
                writeln!(err, "opsdeck: to complete it: {}", sanitize(&run.rerun))?;
            }
            return Ok(outcome.code);
        }
        if !outcome.dns_changes.is_empty() && !in_sync(ctx, &outcome.dns_changes, err).await? {
            code = exit::ERROR;
        }
        started = outcome.started;
    }

    // The workflow: the one just started (or redriven), or one still running.
    let Some((t, place)) = run.flow else {
        return Ok(code);
    };
    let (execution, fresh) = match (&place.next, started) {
        (_, Some(arn)) => (arn, true),
        (Next::Redrive(a), None) => (a.arn.clone(), true),
        (Next::Watch(a), None) => (a.arn.clone(), false),
        (Next::Done(a), None) => {
            writeln!(
                out,
                "workflow: {} {}",
                sanitize(&a.arn),
                ExecutionStatus::Succeeded.as_str()
            )?;
            return Ok(code);
        }
        (Next::Start(_), None) => return Ok(code),
    };
    if !t.wait {
        let how = if fresh { "started" } else { "RUNNING" };
        writeln!(out, "workflow: {} {how}", sanitize(&execution))?;
        return Ok(code);
    }
    let ended = follow(ctx, t, place, &execution, out, err).await?;
    Ok(match ended {
        Followed::Ended(Some(ExecutionStatus::Succeeded)) => code,
        Followed::Interrupted => exit::INTERRUPTED,
        Followed::Ended(_) => {
            writeln!(
                err,
                "opsdeck: the steps before the workflow are done and stay; look at the execution \
                 (`opsdeck sfn show {}`), fix the cause, then run `{}` again: {}",
                sanitize(&execution),
                sanitize(&run.rerun),
                if t.redrive {
                    "it redrives the failed execution"
                } else {
                    "it starts the workflow again under the next name (…-2, …-3)"
                }
            )?;
            exit::PROBLEMS
        }
    })
}

/// `opsdeck tenants create T --admin-email E --var k=v...` (or `delete`), for the operator's
/// next try.
pub fn command_line(
    verb: &str,
    tenant: &str,
    admin_email: Option<&str>,
    vars: &[String],
) -> String {
    let mut cli = format!("opsdeck tenants {verb} {}", shell_word(tenant));
    if let Some(email) = admin_email {
        cli.push_str(&format!(" --admin-email {}", shell_word(email)));
    }
    for v in vars {
        cli.push_str(&format!(" --var {}", shell_word(v)));
    }
    cli
}

fn shell_word(s: &str) -> String {
    if s.chars()
        .all(|c| c.is_ascii_alphanumeric() || "=-_.,@:/+".contains(c))
    {
        s.to_owned()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

/// Wait until Route53 says `INSYNC`; false (told on stderr) when it did not in time.
pub async fn in_sync(
    ctx: &Context,
    changes: &[(String, String)],
    err: &mut dyn Write,
) -> anyhow::Result<bool> {
    let c = &ctx.config.concurrency;
    let pace = Pace::per_second(c.route53_rps).with_patience(c.throttle_patience());
    let wait = SyncWait::default();
    let synced = wait_in_sync(ctx.backend.as_ref(), changes, wait, &pace, |_| {}).await;
    match synced {
        Ok(true) => {
            writeln!(err, "DNS: the record is in sync (INSYNC)")?;
            Ok(true)
        }
        Ok(false) => {
            writeln!(
                err,
                "opsdeck: the record is made but Route53 did not say INSYNC within {} s; run the \
                 same command again later to go on",
                wait.timeout.as_secs()
            )?;
            Ok(false)
        }
        Err(e) => {
            writeln!(
                err,
                "opsdeck: the record is made, but whether it is in sync could not be read: {}",
                sanitize(&e.to_string())
            )?;
            Ok(false)
        }
    }
}

/// How a watch ended.
pub enum Followed {
    /// The execution's status then; `None` when it could not be read.
    Ended(Option<ExecutionStatus>),
    /// Ctrl-C: the execution goes on.
    Interrupted,
}

/// Completes on Ctrl-C (never, when the handler cannot be installed).
async fn ctrl_c() {
    if tokio::signal::ctrl_c().await.is_err() {
        std::future::pending::<()>().await;
    }
}

/// Watch the execution to its end (transitions on stderr), at most `timeout_secs`, or until
/// Ctrl-C. Says on stderr how it ended.
pub async fn follow(
    ctx: &Context,
    t: &WorkflowTemplate,
    place: &WorkflowPlace,
    execution: &str,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> anyhow::Result<Followed> {
    let timeout_secs = t.timeout_secs;
    let there = ctx.in_region(&place.region);
    let interval = ctx.config.workflows.poll_interval();
    writeln!(err, "workflow: watching {}", sanitize(execution))?;
    let mut notices: Vec<u8> = Vec::new();
    let watch = tokio::time::timeout(
        Duration::from_secs(timeout_secs),
        crate::commands::workflows::watch(
            there.backend.as_ref(),
            &place.account_id,
            execution,
            interval,
            &mut *err,
            &mut notices,
        ),
    );
    let watched = tokio::select! {
        watched = watch => Some(watched),
        () = ctrl_c() => None,
    };
    err.write_all(&notices)?;
    let Some(watched) = watched else {
        writeln!(
            err,
            "\nopsdeck: stopped watching (Ctrl-C); the execution goes on in Step Functions: \
             `opsdeck sfn watch {}` follows it, and running the same command again watches it",
            sanitize(execution)
        )?;
        return Ok(Followed::Interrupted);
    };
    if let Ok(Err(e)) = &watched {
        writeln!(err, "opsdeck: {}", sanitize(&format!("{e:#}")))?;
    }
    let detail = match there.backend.execution(&place.account_id, execution).await {
        Ok(d) => d,
        Err(e) => {
            writeln!(
                err,
                "opsdeck: cannot read the execution's status: {}",
                sanitize(&e.to_string())
            )?;
            return Ok(Followed::Ended(None));
        }
    };
    let status = detail.execution.status;
    writeln!(out, "workflow: {} {}", sanitize(execution), status.as_str())?;
    if status == ExecutionStatus::Running {
        writeln!(
            err,
            "opsdeck: the execution is still RUNNING after {timeout_secs} s \
             ({}.workflow.timeout_secs); running the same command again watches it",
            t.section
        )?;
    } else if status != ExecutionStatus::Succeeded {
        writeln!(
            err,
            "opsdeck: the workflow ended {}{}{}",
            status.as_str(),
            detail
                .error
                .as_deref()
                .map(|e| format!(": {}", sanitize(e)))
                .unwrap_or_default(),
            detail
                .cause
                .as_deref()
                .map(|c| format!(" ({})", sanitize(c)))
                .unwrap_or_default(),
        )?;
    }
    Ok(Followed::Ended(Some(status)))
}
