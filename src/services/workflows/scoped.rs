//! What one target (account × region) of a scope holds in Step Functions: its machines with
//! their counts, and its executions by status and age, read through the target's pace. Shared
//! by `sfn machines|executions` and the dashboard's organisation views; the fan-out over the
//! targets is `services::scope::fan_out`.
//!
//! Costs, per target: one ListStateMachines (100 machines a page); for the counts one
//! ListExecutions (100 newest) per standard machine; for executions, per standard machine (or
//! the one named) and per status asked for (one listing without), one ListExecutions per page of
//! up to `limit` (at most 1000), newest first, stopping at the first execution older than
//! `since` or once `limit` are read; with `details` one DescribeExecution per failed, timed-out
//! or aborted execution kept.

use std::sync::Arc;

use chrono::{DateTime, Utc};

use crate::domain::workflows::{Execution, ExecutionStatus, MachineType, StateMachine};
use crate::services::scope::{Read, Target};
use crate::services::{Backend, Pace};

/// Executions read per machine for its running and failed counts.
pub const COUNT_WINDOW: i32 = 100;

/// A machine of a target with its running and failed executions among the newest
/// [`COUNT_WINDOW`] (`None` for an express machine, or when not counted).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountedMachine {
    pub machine: StateMachine,
    pub counts: Option<(usize, usize)>,
}

/// A target's machines; `count`: read each standard machine's counts (one call each).
pub async fn target_machines(
    backend: Arc<dyn Backend>,
    target: &Target,
    pace: &Pace,
    count: bool,
) -> Read<CountedMachine> {
    let account = target.account.id.as_str();
    let machines = match pace.call(|| backend.state_machines(account)).await {
        Ok(m) => m,
        Err(e) => return Read::failed(e),
    };
    let total = machines.len();
    let mut rows = Vec::with_capacity(total);
    for machine in machines {
        let counts = match machine.kind {
            MachineType::Standard if count => {
                let page = pace
                    .call(|| backend.executions(account, &machine.arn, None, None, COUNT_WINDOW))
                    .await;
                match page {
                    Ok(p) => Some(counts(&p.executions)),
                    Err(e) => {
                        return Read {
                            items: rows,
                            resources: total,
                            error: Some(e),
                        };
                    }
                }
            }
            _ => None,
        };
        rows.push(CountedMachine { machine, counts });
    }
    Read::ok(rows, total)
}

/// Running and failed (failed, timed out, aborted) executions among `items`.
pub fn counts(items: &[Execution]) -> (usize, usize) {
    let running = items
        .iter()
        .filter(|e| e.status == ExecutionStatus::Running)
        .count();
    let failed = items.iter().filter(|e| e.status.is_failure()).count();
    (running, failed)
}

/// What to read of every target's executions.
#[derive(Debug, Clone)]
pub struct ExecutionQuery {
    /// One machine by name or ARN; every standard machine when `None`.
    pub machine: Option<String>,
    /// One listing per status (`None`: every status), each status once.
    pub statuses: Vec<Option<ExecutionStatus>>,
    /// Executions started before are not read.
    pub since: Option<DateTime<Utc>>,
    /// The newest this many per target.
    pub limit: usize,
    /// The error and cause of each failed, timed-out or aborted execution (DescribeExecution).
    pub details: bool,
}

/// An execution with the error and cause of its failure (when asked for with `details`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundExecution {
    pub execution: Execution,
    pub error: Option<String>,
    pub cause: Option<String>,
}

fn wanted(m: &StateMachine, name: Option<&str>) -> bool {
    match name {
        Some(n) => m.name == n || m.arn == n,
        None => m.kind == MachineType::Standard,
    }
}

/// One target's executions, newest first: `resources` counts the machines read.
pub async fn target_executions(
    backend: Arc<dyn Backend>,
    target: &Target,
    pace: &Pace,
    q: &ExecutionQuery,
) -> Read<FoundExecution> {
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
                for e in page.executions {
                    if q.since.is_some_and(|since| e.started < since) {
                        older = true;
                        continue;
                    }
                    taken += 1;
                    read.items.push(FoundExecution {
                        execution: e,
                        error: None,
                        cause: None,
                    });
                }
                match page.next_token {
                    Some(t) if !older && taken < q.limit => token = Some(t),
                    _ => break,
                }
            }
        }
    }
    // Only the newest `limit` are kept: those, then their details.
    newest_first(&mut read.items);
    read.items.truncate(q.limit);
    if q.details && read.error.is_none() {
        for found in read
            .items
            .iter_mut()
            .filter(|f| f.execution.status.is_failure())
        {
            match pace
                .call(|| backend.execution(account, &found.execution.arn))
                .await
            {
                Ok(d) => {
                    found.error = d.error;
                    found.cause = d.cause;
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

/// Newest first, then by ARN (a stable order for executions started at the same instant).
pub fn newest_first(items: &mut [FoundExecution]) {
    items.sort_by(|a, b| {
        b.execution
            .started
            .cmp(&a.execution.started)
            .then_with(|| a.execution.arn.cmp(&b.execution.arn))
    });
}
