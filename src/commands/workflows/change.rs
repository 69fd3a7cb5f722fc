//! `sfn start`, `sfn stop`, `sfn redrive`: the input read and checked, then plan → policy →
//! confirm (or dry run) → execute with audit.

use std::io::{BufRead, Write};
use std::path::PathBuf;

use super::Context;
use crate::domain::plan::Plan;
use crate::domain::workflows::plan::change_plan;
use crate::domain::workflows::{WorkflowChange, validate_input};
use crate::mutation::{AuditLog, confirm_on_terminal, dry_run, execute};
use crate::services::ServiceError;

/// `--input`: JSON text, or `@FILE`; validated before anything is sent.
pub(super) fn read_input(arg: Option<&str>) -> anyhow::Result<String> {
    let text = match arg {
        None => return Ok("{}".to_owned()),
        Some(a) => match a.strip_prefix('@') {
            Some(path) => std::fs::read_to_string(PathBuf::from(path))
                .map_err(|e| anyhow::anyhow!("cannot read the input file {path}: {e}"))?,
            None => a.to_owned(),
        },
    };
    validate_input(&text).map_err(anyhow::Error::msg)
}

#[derive(Debug, Clone, Copy)]
pub(super) struct ChangeOptions {
    pub(super) yes: bool,
    pub(super) dry_run: bool,
}

/// Plan → policy → confirm (or dry run) → execute with audit. The exit code, and the ARN of the
/// execution a start created.
pub(super) async fn change_command(
    ctx: &Context,
    account: &str,
    change: WorkflowChange,
    options: ChangeOptions,
    err: &mut dyn Write,
    input: &mut dyn BufRead,
    interactive: bool,
) -> anyhow::Result<(i32, Option<String>)> {
    let plan: Plan<WorkflowChange> = change_plan(change, account, &ctx.region);
    let policy = ctx.policy();
    if let Err(refusal) = policy.check(&plan) {
        writeln!(err, "opsdeck: {refusal}")?;
        return Ok((refusal.exit_code(), None));
    }
    let audit = AuditLog::open(ctx.audit_path())?;
    let actor = ctx.backend.caller_identity().await?.arn;
    if options.dry_run {
        write!(err, "{plan}")?;
        let run = dry_run(&plan, &audit, &actor);
        for line in run.report(&plan) {
            writeln!(err, "{line}")?;
        }
        return Ok((
            if run.is_success() {
                crate::exit::SUCCESS
            } else {
                crate::exit::ERROR
            },
            None,
        ));
    }
    let approved = match confirm_on_terminal(&policy, &plan, options.yes, input, err, interactive) {
        Ok(a) => a,
        Err(refusal) => {
            writeln!(err, "opsdeck: {refusal}")?;
            return Ok((refusal.exit_code(), None));
        }
    };
    let backend = ctx.backend.clone();
    let started = std::sync::Mutex::new(None);
    let run = execute(&approved, &audit, &actor, |_, step| {
        let backend = backend.clone();
        let change = step.action.clone();
        let account = account.to_owned();
        let started = &started;
        async move {
            let arn = backend.apply_change(&account, &change).await?;
            if let Ok(mut slot) = started.lock() {
                *slot = arn;
            }
            Ok::<(), ServiceError>(())
        }
    })
    .await;
    for line in run.report(&plan) {
        writeln!(err, "{line}")?;
    }
    let arn = started.into_inner().ok().flatten();
    Ok((
        if run.is_success() {
            crate::exit::SUCCESS
        } else {
            crate::exit::ERROR
        },
        arn,
    ))
}
