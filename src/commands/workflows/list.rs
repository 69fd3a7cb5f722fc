//! `sfn machines` and `sfn executions`: the state machines with their counts, and executions
//! newest first across machines.

use std::io::Write;

use chrono::Utc;

use crate::cli::OutputFormat;
use crate::cli::workflows::ExecutionsArgs;
use crate::domain::workflows::{ExecutionStatus, MachineType};
use crate::rows::workflows::{ExecutionRow, MachineRow};
use crate::rows::write_rows;
use crate::services::Backend;

pub(super) async fn machines(
    backend: &dyn Backend,
    account: &str,
    format: OutputFormat,
    out: &mut dyn Write,
) -> anyhow::Result<i32> {
    let machines = backend.state_machines(account).await?;
    let mut rows = Vec::with_capacity(machines.len());
    for m in machines {
        let (running, failed) = match m.kind {
            MachineType::Express => (None, None),
            MachineType::Standard => {
                let page = backend.executions(account, &m.arn, None, None, 100).await?;
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
            name: m.name,
            arn: m.arn,
            kind: m.kind,
            created: m.created,
            running,
            failed,
        });
    }
    write_rows(out, format, &rows)?;
    Ok(crate::exit::SUCCESS)
}

pub(super) async fn executions(
    backend: &dyn Backend,
    account: &str,
    args: ExecutionsArgs,
    out: &mut dyn Write,
) -> anyhow::Result<i32> {
    let machines = match &args.machine {
        Some(m) => vec![backend.find_machine(account, m).await?],
        None => backend.state_machines(account).await?,
    };
    let page_size = i32::try_from(args.limit.clamp(1, 1000)).unwrap_or(1000);
    let mut all = Vec::new();
    for m in machines
        .iter()
        .filter(|m| m.kind == MachineType::Standard || args.machine.is_some())
    {
        let mut token = None;
        let mut taken = 0;
        loop {
            let page = backend
                .executions(account, &m.arn, args.status, token, page_size)
                .await?;
            taken += page.executions.len();
            all.extend(page.executions);
            match page.next_token {
                Some(t) if taken < args.limit => token = Some(t),
                _ => break,
            }
        }
    }
    all.sort_by_key(|e| std::cmp::Reverse(e.started));
    all.truncate(args.limit);
    let now = Utc::now();
    let rows: Vec<ExecutionRow> = all.iter().map(|e| ExecutionRow::new(e, now)).collect();
    write_rows(out, args.output.output, &rows)?;
    Ok(crate::exit::SUCCESS)
}
