//! `sfn start`, `sfn stop`, `sfn redrive`: the input read and checked, then plan → policy →
//! confirm (or dry run) → execute with audit.

use std::path::PathBuf;

use super::Context;
use crate::domain::plan::Change;
use crate::domain::sanitize::sanitize;
use crate::domain::workflows::arn::ExecutionArn;
use crate::domain::workflows::plan::{change_plan, nothing_to_do};
use crate::domain::workflows::{WorkflowChange, validate_input};
use crate::exit;
use crate::mutation::terminal::{ApplyOptions, Outcome, Terminal};

/// `--input`: JSON text, or `@FILE`; validated before anything is sent.
pub(super) fn read_input(arg: Option<&str>) -> anyhow::Result<String> {
    let text = match arg {
        None => return Ok("{}".to_owned()),
        Some(a) => match a.strip_prefix('@') {
            Some(path) => crate::files::read_text(&PathBuf::from(path), crate::files::INPUT)
                .map_err(|e| anyhow::anyhow!("the input file {path} {e}"))?,
            None => a.to_owned(),
        },
    };
    validate_input(&text).map_err(anyhow::Error::msg)
}

/// Plan the change in `account` and run it the way every command does (plan → policy →
/// confirmation or dry run → the executor, audited): the exit code and a started execution's ARN.
pub(super) async fn change_command(
    ctx: &Context,
    account: &str,
    change: WorkflowChange,
    options: ApplyOptions,
    term: &mut Terminal<'_>,
) -> anyhow::Result<Outcome> {
    let plan = change_plan(change, account, &ctx.region).map_actions(Change::Workflows);
    ctx.apply(&plan, options, ctx.config.cognito.import_rate, term)
        .await
}

/// `sfn stop` and `sfn redrive`: the ARN parsed first (not an execution ARN: a usage error, exit
/// 2, nothing called), the execution's status read in the ARN's account and region
/// (DescribeExecution), "nothing to do" (exit 0, no call, no audit line) when the change cannot
/// apply to that status, otherwise the change planned in the ARN's account and region — so that
/// account's read-only setting applies — and run like every change. `change` is built from the
/// parsed ARN.
pub(super) async fn execution_change(
    ctx: &Context,
    arn_text: &str,
    change: impl FnOnce(String) -> WorkflowChange,
    options: ApplyOptions,
    term: &mut Terminal<'_>,
) -> anyhow::Result<i32> {
    let arn = match ExecutionArn::parse(arn_text.trim()) {
        Ok(arn) => arn,
        Err(why) => {
            writeln!(term.err, "opsdeck: {}", sanitize(&why))?;
            return Ok(exit::USAGE);
        }
    };
    let change = change(arn.to_string());
    let there = ctx.in_region(&arn.region);
    let detail = there
        .backend
        .execution(&arn.account_id, &arn.to_string())
        .await?;
    if let Some(why) = nothing_to_do(&change, detail.execution.status) {
        writeln!(term.out, "{}", sanitize(&why))?;
        return Ok(exit::SUCCESS);
    }
    let outcome = change_command(&there, &arn.account_id, change, options, term).await?;
    Ok(outcome.code)
}
