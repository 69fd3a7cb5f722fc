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
use crate::domain::workflows::{ExecutionStatus, MachineType, StateMachine};
use crate::rows::workflows::{ExecutionRow, MachineRow, Place};
use crate::rows::write_rows;
use crate::services::scope::{Read, Target, fan_out};
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
    let account = target.account.id.as_str();
    let machines = match pace.call(|| backend.state_machines(account)).await {
        Ok(m) => m,
        Err(e) => return Read::failed(e),
    };
    let total = machines.len();
    let mut rows = Vec::with_capacity(total);
    for m in machines {
        let (running, failed) = match m.kind {
            MachineType::Express => (None, None),
            MachineType::Standard => {
                let page = pace
                    .call(|| backend.executions(account, &m.arn, None, None, 100))
                    .await;
                let page = match page {
                    Ok(p) => p,
                    Err(e) => {
                        return Read {
                            items: rows,
                            resources: total,
                            error: Some(e),
                        };
                    }
                };
                let count = |f: fn(ExecutionStatus) -> bool| {
                    Some(page.executions.iter().filter(|e| f(e.status)).count())
                };
                (
                    count(|s| s == ExecutionStatus::Running),
                    count(ExecutionStatus::is_failure),
                )
            }
        };
        rows.push(MachineRow {
            place: place(&target),
            name: m.name,
            arn: m.arn,
            kind: m.kind,
            created: m.created,
            running,
            failed,
        });
    }
    Read::ok(rows, total)
}

/// What `sfn executions` asks every target.
struct Query {
    machine: Option<String>,
    statuses: Vec<Option<ExecutionStatus>>,
    since: Option<DateTime<Utc>>,
    limit: usize,
    details: bool,
    now: DateTime<Utc>,
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
    let query = Arc::new(Query {
        machine: args.machine.clone(),
        statuses,
        since: args.since.map(|s| s.resolve(now)),
        limit: args.limit.max(1),
        details: args.details,
        now,
    });
    let backend_for = scope::backend_for(ctx);
    let mut lines = Vec::new();
    let mut outcomes = fan_out(
        scope.targets.clone(),
        &backend_for,
        &scope::sfn_plan(ctx, scope),
        |backend, target, pace| {
            let query = query.clone();
            async move { target_executions(backend, target, pace, &query).await }
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

fn wanted(m: &StateMachine, name: Option<&str>) -> bool {
    match name {
        Some(n) => m.name == n || m.arn == n,
        None => m.kind == MachineType::Standard,
    }
}

/// One target's executions: `resources` counts the machines read.
async fn target_executions(
    backend: Arc<dyn Backend>,
    target: Target,
    pace: Arc<Pace>,
    q: &Query,
) -> Read<ExecutionRow> {
    let account = target.account.id.as_str();
    let machines = match pace.call(|| backend.state_machines(account)).await {
        Ok(m) => m,
        Err(e) => return Read::failed(e),
    };
    let machines: Vec<StateMachine> = machines
        .into_iter()
        .filter(|m| wanted(m, q.machine.as_deref()))
        .collect();
    let mut read = Read::ok(Vec::new(), machines.len());
    let page_size = i32::try_from(q.limit.clamp(1, 1000)).unwrap_or(1000);
    'machines: for m in &machines {
        for status in &q.statuses {
            let mut token = None;
            let mut taken = 0;
            loop {
                let page = pace
                    .call(|| backend.executions(account, &m.arn, *status, token.clone(), page_size))
                    .await;
                let page = match page {
                    Ok(p) => p,
                    Err(e) => {
                        read.error = Some(e);
                        break 'machines;
                    }
                };
                let mut older = false;
                for e in &page.executions {
                    if q.since.is_some_and(|since| e.started < since) {
                        older = true;
                        continue;
                    }
                    taken += 1;
                    read.items.push(ExecutionRow::new(place(&target), e, q.now));
                }
                match page.next_token {
                    Some(t) if !older && taken < q.limit => token = Some(t),
                    _ => break,
                }
            }
        }
    }
    // Only the newest `limit` can be printed: keep those, then ask for their details.
    read.items
        .sort_by(|a, b| b.started.cmp(&a.started).then_with(|| a.arn.cmp(&b.arn)));
    read.items.truncate(q.limit);
    if q.details && read.error.is_none() {
        for row in read.items.iter_mut().filter(|r| r.status.is_failure()) {
            match pace.call(|| backend.execution(account, &row.arn)).await {
                Ok(d) => {
                    row.error = d.error;
                    row.cause = d.cause;
                }
                Err(e) => {
                    read.error = Some(e);
                    break;
                }
            }
        }
    }
    read
}
