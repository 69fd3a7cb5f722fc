//! `sfn start`, `sfn stop`, `sfn redrive`: the input read and checked, then plan → policy →
//! confirm (or dry run) → execute with audit.

use std::path::PathBuf;

use super::Context;
use crate::domain::plan::Change;
use crate::domain::workflows::plan::change_plan;
use crate::domain::workflows::{WorkflowChange, validate_input};
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
