//! Planning an intent against the pool as it is now, and running the plan through the one change
//! path every command takes (`mutation::terminal::apply`): the read-only policy, `--dry-run`,
//! confirmation, paced execution and the report.

use std::io::{self, IsTerminal, Write};

use super::open;
use crate::cli::tenants::{ChangeArgs, PoolArgs};
use crate::commands::Context;
use crate::domain::plan::{Change, Plan};
use crate::domain::tenancy::plan::{CognitoCall, Intent};
use crate::exit;
use crate::mutation::terminal::{ApplyOptions, Terminal};
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
    let plan = plan.clone().map_actions(Change::Tenants);
    let options = ApplyOptions {
        yes: change.yes,
        dry_run: change.dry_run,
        progress: rate.is_some(),
        report_on_stderr: false,
        completion: None,
    };
    let stdin = io::stdin();
    let interactive = stdin.is_terminal();
    let mut term = Terminal {
        out,
        err,
        input: &mut stdin.lock(),
        interactive,
    };
    let rate = rate.unwrap_or(ctx.config.cognito.import_rate);
    Ok(ctx.apply(&plan, options, rate, &mut term).await?.code)
}
