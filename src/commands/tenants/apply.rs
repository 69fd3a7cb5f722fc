//! Planning an intent against the pool as it is now, and running a plan through the mutation
//! path: the read-only policy, `--dry-run`, confirmation, paced execution and the report.

use std::io::{self, BufRead, IsTerminal, Write};

use anyhow::Context as _;

use super::open;
use crate::cli::tenants::{ChangeArgs, PoolArgs};
use crate::commands::Context;
use crate::domain::plan::{Plan, Step};
use crate::domain::tenancy::plan::{CognitoCall, Intent};
use crate::exit;
use crate::mutation::{AuditLog, confirm_on_terminal, dry_run, execute};
use crate::services::tenant_planning::{self as planning, PlanError};

/// Said before a read that a plan needed failed: no call was made, so a rerun is safe.
pub const PLANNING_FAILED: &str = "cannot read the pool to plan the change; nothing was changed";

/// Plan an intent against the pool as it is now and run the plan; "nothing to do" is success.
pub async fn run_intent(
    ctx: &Context,
    args: &PoolArgs,
    intent: Intent,
    change: ChangeArgs,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> anyhow::Result<i32> {
    let pool = open(ctx, args).await?;
    let nothing = intent.nothing_to_do();
    match planning::plan(ctx.backend.as_ref(), &pool.tenancy, &pool.target, intent).await {
        Ok(Some(plan)) => run_plan(ctx, &plan, change, out, err).await,
        Ok(None) => {
            writeln!(out, "{nothing}")?;
            Ok(exit::SUCCESS)
        }
        Err(PlanError::Invalid(message)) => Err(anyhow::Error::msg(message)),
        Err(PlanError::Service(e)) => Err(pool.missing_pool(e).context(PLANNING_FAILED)),
    }
}

/// Run a plan through the mutation path: refused in read-only mode (exit 3) before anything is
/// shown; `--dry-run` audits and calls nothing; otherwise confirmed on the terminal (or by
/// `--yes`), executed step by step with one audit line per call, and reported.
pub async fn run_plan(
    ctx: &Context,
    plan: &Plan<CognitoCall>,
    change: ChangeArgs,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> anyhow::Result<i32> {
    run_plan_paced(ctx, plan, change, None, out, err).await
}

/// [`run_plan`], with user creations paced to `rate` per second and a progress line on stderr.
pub async fn run_plan_paced(
    ctx: &Context,
    plan: &Plan<CognitoCall>,
    change: ChangeArgs,
    rate: Option<u32>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> anyhow::Result<i32> {
    let policy = ctx.policy();
    if !change.dry_run
        && let Err(refusal) = policy.check(plan)
    {
        writeln!(err, "opsdeck: {refusal}; nothing was changed")?;
        return Ok(refusal.exit_code());
    }
    let audit = AuditLog::open(ctx.audit_path()).context("cannot open the audit log")?;
    let actor = ctx.backend.caller_identity().await?.arn;
    if change.dry_run {
        write!(out, "{plan}")?;
        let execution = dry_run(plan, &audit, &actor);
        for line in execution.report(plan) {
            writeln!(out, "{line}")?;
        }
        return Ok(if execution.is_success() {
            exit::SUCCESS
        } else {
            exit::ERROR
        });
    }
    let stdin = io::stdin();
    let interactive = stdin.is_terminal();
    let approved = match confirm_on_terminal(
        &policy,
        plan,
        change.yes,
        &mut stdin.lock() as &mut dyn BufRead,
        err,
        interactive,
    ) {
        Ok(approved) => approved,
        Err(refusal) => {
            writeln!(err, "opsdeck: {refusal}; nothing was changed")?;
            return Ok(refusal.exit_code());
        }
    };
    let pacer = rate.map(|r| {
        governor::RateLimiter::direct(governor::Quota::per_second(
            std::num::NonZeroU32::new(r).unwrap_or(std::num::NonZeroU32::MIN),
        ))
    });
    let total = plan.steps.len();
    let show_progress = rate.is_some();
    // Whether the progress line on stderr still needs its newline: it must be ended however the
    // run ends, or the next message would be glued to it.
    let mut progress_open = false;
    let backend = ctx.backend.clone();
    let execution = execute(&approved, &audit, &actor, |i, step: &Step<CognitoCall>| {
        let backend = backend.clone();
        let call = step.action.clone();
        let limiter = pacer.as_ref();
        let creates = step.operation == "AdminCreateUser";
        if show_progress && (i % 10 == 0 || i + 1 == total) {
            // A progress line that cannot be written is no reason to stop a change part-way.
            let _ = write!(err, "\rprogress: step {}/{total}", i + 1);
            let _ = err.flush();
            progress_open = true;
        }
        async move {
            if creates && let Some(l) = limiter {
                l.until_ready().await;
            }
            backend.apply(&call).await
        }
    })
    .await;
    if progress_open {
        writeln!(err)?;
    }
    for line in execution.report(plan) {
        writeln!(out, "{line}")?;
    }
    if execution.is_success() {
        Ok(exit::SUCCESS)
    } else {
        // Name the failed step on stderr too: the per-step report on stdout may be piped away.
        for line in execution.failure_summary(plan) {
            writeln!(err, "opsdeck: {line}")?;
        }
        writeln!(
            err,
            "opsdeck: every call made is in the audit log {}; run the same command again to \
             complete the remaining steps: it reads the pool first and makes only the missing \
             calls",
            ctx.audit_path().display()
        )?;
        Ok(exit::ERROR)
    }
}
