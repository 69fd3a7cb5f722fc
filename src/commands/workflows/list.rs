//! `sfn machines` and `sfn executions`: the state machines with their counts, and executions
//! newest first across machines — of the current account and region, or of every account ×
//! region of the scope, read in parallel and paced (`services::scope`).
//!
//! What `sfn executions` costs, per account × region: one ListStateMachines (100 machines a
//! page), then per standard machine and per status asked for (one listing without `--status`)
//! one ListExecutions per page of up to `--limit` (at most 1000) executions, newest first,
//! stopping at the first execution older than `--since`, or once `--limit` are read; with
//! `--details` one DescribeExecution per failed, timed-out or aborted execution kept.

use std::io::Write;
use std::sync::Arc;

use chrono::{DateTime, Utc};

use crate::cli::workflows::{ExecutionsArgs, MachinesArgs};
use crate::commands::Context;
use crate::commands::scope::{self, Scope};
use crate::domain::sanitize::sanitize;
use crate::domain::workflows::ExecutionStatus;
use crate::rows::workflows::{ExecutionRow, MachineRow, Place};
use crate::rows::write_rows;
use crate::services::scope::{Read, Target, fan_out};
use crate::services::workflows::scoped::{self, ExecutionQuery};
use crate::services::{Backend, Pace};

fn place(t: &Target) -> Place {
    Place {
        account_id: t.account.id.clone(),
        account_name: t.account.name.clone(),
        region: t.region.clone(),
    }
}

pub(super) async fn machines(
    ctx: &Context,
    args: MachinesArgs,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> anyhow::Result<i32> {
    let scope = scope::resolve(ctx, &args.scope).await?;
    let backend_for = scope::backend_for(ctx);
    let mut lines = Vec::new();
    let mut outcomes = fan_out(
        scope.targets.clone(),
        &backend_for,
        &scope::sfn_plan(ctx, &scope),
        |backend, target, pace| async move { target_machines(backend, target, pace).await },
        |s| {
            let found = format!("{} state machines", s.read.items.len());
            let _ = scope::status_line(&scope, s, &found, &mut lines);
        },
    )
    .await;
    err.write_all(&lines)?;
    scope::single_error(&scope, &mut outcomes)?;
    let rows: Vec<MachineRow> = outcomes
        .iter_mut()
        .flat_map(|s| s.read.items.drain(..))
        .collect();
    write_rows(out, args.output.output, &rows)?;
    Ok(scope::exit_code(&outcomes))
}

async fn target_machines(
    backend: Arc<dyn Backend>,
    target: Target,
    pace: Arc<Pace>,
) -> Read<MachineRow> {
    let read = scoped::target_machines(backend, &target, &pace, true).await;
    Read {
        items: read
            .items
            .into_iter()
            .map(|c| MachineRow {
                place: place(&target),
                name: c.machine.name,
                arn: c.machine.arn,
                kind: c.machine.kind,
                created: c.machine.created,
                running: c.counts.map(|(r, _)| r),
                failed: c.counts.map(|(_, f)| f),
            })
            .collect(),
        resources: read.resources,
        error: read.error,
    }
}

pub(super) async fn executions(
    ctx: &Context,
    args: ExecutionsArgs,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> anyhow::Result<i32> {
    let scope = scope::resolve(ctx, &args.scope).await?;
    let rows = scoped_executions(ctx, &scope, &args, err).await?;
    write_rows(out, args.output.output, &rows.0)?;
    Ok(rows.1)
}

/// The executions of the scope, newest first, and the exit code (4 when some target failed).
async fn scoped_executions(
    ctx: &Context,
    scope: &Scope,
    args: &ExecutionsArgs,
    err: &mut dyn Write,
) -> anyhow::Result<(Vec<ExecutionRow>, i32)> {
    let now = Utc::now();
    let mut statuses: Vec<Option<ExecutionStatus>> = Vec::new();
    for s in &args.statuses {
        if !statuses.contains(&Some(*s)) {
            statuses.push(Some(*s));
        }
    }
    if statuses.is_empty() {
        statuses.push(None);
    }
    let query = Arc::new(ExecutionQuery {
        machine: args.machine.clone(),
        statuses,
        since: args.since.map(|s| s.resolve(now)),
        limit: args.limit.max(1),
        details: args.details,
    });
    let backend_for = scope::backend_for(ctx);
    let mut lines = Vec::new();
    let mut outcomes = fan_out(
        scope.targets.clone(),
        &backend_for,
        &scope::sfn_plan(ctx, scope),
        |backend, target, pace| {
            let query = query.clone();
            async move { target_executions(backend, target, pace, &query, now).await }
        },
        |s| {
            let found = format!(
                "{} state machines, {} executions",
                s.read.resources,
                s.read.items.len()
            );
            let _ = scope::status_line(scope, s, &found, &mut lines);
        },
    )
    .await;
    err.write_all(&lines)?;
    scope::single_error(scope, &mut outcomes)?;
    if let Some(m) = &args.machine
        && outcomes
            .iter()
            .all(|s| s.read.error.is_none() && s.read.resources == 0)
    {
        anyhow::bail!(
            "no state machine {} in the scope ({}): see `opsdeck sfn machines`",
            sanitize(m),
            scope
                .targets
                .iter()
                .map(Target::label)
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    let mut all: Vec<ExecutionRow> = outcomes
        .iter_mut()
        .flat_map(|s| s.read.items.drain(..))
        .collect();
    all.sort_by(|a, b| b.started.cmp(&a.started).then_with(|| a.arn.cmp(&b.arn)));
    all.truncate(query.limit);
    Ok((all, scope::exit_code(&outcomes)))
}

/// One target's executions as rows.
async fn target_executions(
    backend: Arc<dyn Backend>,
    target: Target,
    pace: Arc<Pace>,
    q: &ExecutionQuery,
    now: DateTime<Utc>,
) -> Read<ExecutionRow> {
    let read = scoped::target_executions(backend, &target, &pace, q).await;
    Read {
        items: read
            .items
            .into_iter()
            .map(|f| ExecutionRow {
                error: f.error,
                cause: f.cause,
                ..ExecutionRow::new(place(&target), &f.execution, now)
            })
            .collect(),
        resources: read.resources,
        error: read.error,
    }
}
