//! `sfn show` and `sfn history`: one execution's summary and timeline, or its raw events; an
//! express execution says why it has none.

use std::io::Write;

use chrono::Utc;

use crate::cli::OutputFormat;
use crate::domain::sanitize::{sanitize, to_json_pretty_safe};
use crate::domain::workflows::timeline::Timeline;
use crate::domain::workflows::watch::FULL_PAGE_SIZE;
use crate::domain::workflows::{Event, MachineType};
use crate::rows::workflows::{Shown, Summary};
use crate::rows::{write_record, write_rows};
use crate::services::{Backend, Workflows};

/// Whether the execution's machine is express (its executions have no history through the API).
pub(super) async fn is_express(backend: &dyn Workflows, account: &str, machine_arn: &str) -> bool {
    backend
        .state_machine(account, machine_arn)
        .await
        .is_ok_and(|m| m.kind == MachineType::Express)
}

pub(super) async fn history(
    backend: &dyn Backend,
    account: &str,
    arn: &str,
) -> anyhow::Result<Vec<Event>> {
    match backend
        .fetch_new_events(account, arn, 0, FULL_PAGE_SIZE)
        .await
    {
        Ok(fetched) => Ok(fetched.events),
        Err(e) => {
            let detail = backend.execution(account, arn).await?;
            if is_express(backend, account, &detail.execution.machine_arn).await {
                anyhow::bail!(
                    "{} ran on an express state machine: express executions have no event history through the API (see CloudWatch Logs)",
                    sanitize(arn)
                );
            }
            Err(e.into())
        }
    }
}

pub(super) async fn show(
    backend: &dyn Backend,
    account: &str,
    arn: &str,
    format: OutputFormat,
    out: &mut dyn Write,
) -> anyhow::Result<i32> {
    let detail = backend.execution(account, arn).await?;
    let timeline = if is_express(backend, account, &detail.execution.machine_arn).await {
        None
    } else {
        let fetched = backend
            .fetch_new_events(account, arn, 0, FULL_PAGE_SIZE)
            .await?;
        Some(Timeline::build(&fetched.events))
    };
    let summary = Summary::new(&detail, timeline.as_ref(), Utc::now());
    let entries = timeline
        .as_ref()
        .map(|t| t.entries.as_slice())
        .unwrap_or_default();
    match format {
        OutputFormat::Json => {
            let shown = Shown {
                execution: summary,
                timeline: entries,
            };
            to_json_pretty_safe(&mut *out, &shown).map_err(std::io::Error::other)?;
            writeln!(out)?;
        }
        OutputFormat::Table => {
            write_record(out, OutputFormat::Table, &summary)?;
            writeln!(out)?;
            write_rows(out, OutputFormat::Table, entries)?;
        }
        OutputFormat::Csv => write_rows(out, OutputFormat::Csv, entries)?,
    }
    Ok(crate::exit::SUCCESS)
}
