//! `opsdeck sfn ...`: Step Functions state machines and executions for scripts and incidents —
//! list, show (summary + timeline), history, watch until the end, start, stop, redrive.

use std::io::{BufRead, Write};
use std::path::PathBuf;
use std::time::Duration;

use chrono::{DateTime, Utc};
use clap::{Args, Subcommand};
use serde::Serialize;

use super::Context;
use crate::app::workflows::change_plan;
use crate::cli::{OutputArgs, OutputFormat};
use crate::domain::sanitize::{sanitize, to_json_pretty_safe};
use crate::domain::workflows::timeline::{Timeline, TimelineEntry};
use crate::domain::workflows::watch::{
    EventLog, FULL_PAGE_SIZE, MAX_FAILED_POLLS, PollSchedule, is_transition, next_page_size,
};
use crate::domain::workflows::{
    Event, Execution, ExecutionDetail, ExecutionStatus, MachineType, WorkflowChange,
    validate_execution_name, validate_input,
};
use crate::mutation::{AuditLog, Plan, confirm_on_terminal, dry_run, execute};
use crate::rows::{Row, write_record, write_rows};
use crate::services::{Backend, ServiceError, Workflows};

#[derive(Debug, Subcommand)]
pub enum SfnCommand {
    /// State machines of the current account and region, with running/failed counts among their
    /// latest 100 executions.
    Machines(OutputArgs),
    /// Executions, newest first.
    Executions(ExecutionsArgs),
    /// One execution: its summary and its timeline (one row per state entered).
    Show(ArnArgs),
    /// One execution's raw history events.
    History(ArnArgs),
    /// Print each state transition as it happens; exit 0 when the execution succeeds, 1 when it
    /// fails, times out or is aborted.
    Watch(WatchArgs),
    /// Start an execution (asks for confirmation).
    Start(StartArgs),
    /// Stop a running execution (asks for its name to be typed).
    Stop(StopArgs),
    /// Redrive a failed execution from where it failed, where the API supports it.
    Redrive(ChangeArgs),
}

impl SfnCommand {
    pub fn name(&self) -> &'static str {
        match self {
            SfnCommand::Machines(_) => "sfn machines",
            SfnCommand::Executions(_) => "sfn executions",
            SfnCommand::Show(_) => "sfn show",
            SfnCommand::History(_) => "sfn history",
            SfnCommand::Watch(_) => "sfn watch",
            SfnCommand::Start(_) => "sfn start",
            SfnCommand::Stop(_) => "sfn stop",
            SfnCommand::Redrive(_) => "sfn redrive",
        }
    }
}

#[derive(Debug, Args)]
pub struct ExecutionsArgs {
    /// Only this state machine (name or ARN); default: every machine.
    #[arg(long, value_name = "NAME|ARN")]
    pub machine: Option<String>,
    /// Only this status: running, succeeded, failed, timed_out, aborted, pending_redrive.
    #[arg(long, value_name = "STATUS", value_parser = parse_status)]
    pub status: Option<ExecutionStatus>,
    /// At most this many executions.
    #[arg(long, default_value_t = 100, value_name = "N")]
    pub limit: usize,
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Args)]
pub struct ArnArgs {
    /// The execution's ARN.
    pub arn: String,
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Args)]
pub struct WatchArgs {
    /// The execution's ARN.
    pub arn: String,
    /// Poll interval in milliseconds, 200 to 60000 (default: workflows.poll_interval_ms of the
    /// config).
    #[arg(long, value_name = "MS", value_parser = clap::value_parser!(u64).range(200..=60_000))]
    pub interval_ms: Option<u64>,
}

/// What every change command shares.
#[derive(Debug, Args)]
pub struct ChangeArgs {
    /// The execution's ARN.
    pub arn: String,
    /// Confirm without asking (for scripts).
    #[arg(long)]
    pub yes: bool,
    /// Show and audit the plan, change nothing.
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Args)]
pub struct StartArgs {
    /// The state machine (name or ARN).
    pub machine: String,
    /// The input: a JSON document, or @FILE to read it from a file (default {}).
    #[arg(long, value_name = "JSON|@FILE")]
    pub input: Option<String>,
    /// The execution's name (default: opsdeck-<UTC time>).
    #[arg(long)]
    pub name: Option<String>,
    #[arg(long)]
    pub yes: bool,
    #[arg(long)]
    pub dry_run: bool,
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Args)]
pub struct StopArgs {
    #[command(flatten)]
    pub change: ChangeArgs,
    /// The error recorded with the stop.
    #[arg(long)]
    pub error: Option<String>,
    /// The cause recorded with the stop.
    #[arg(long)]
    pub cause: Option<String>,
}

fn parse_status(text: &str) -> Result<ExecutionStatus, String> {
    ExecutionStatus::parse(text).ok_or_else(|| {
        format!(
            "unknown status {text}; use one of running, succeeded, failed, timed_out, aborted, pending_redrive"
        )
    })
}

/// `sfn machines`: one state machine. Counts are null for express machines (no execution list).
#[derive(Debug, Serialize)]
pub struct MachineRow {
    pub name: String,
    pub arn: String,
    #[serde(rename = "type")]
    pub kind: MachineType,
    pub created: Option<DateTime<Utc>>,
    pub running: Option<usize>,
    pub failed: Option<usize>,
}

impl Row for MachineRow {
    fn headers() -> &'static [&'static str] {
        &["NAME", "TYPE", "CREATED", "RUNNING", "FAILED", "ARN"]
    }

    fn cells(&self) -> Vec<String> {
        let count = |c: Option<usize>| c.map(|n| n.to_string()).unwrap_or_else(|| "-".into());
        vec![
            self.name.clone(),
            self.kind.as_str().into(),
            self.created.map(stamp).unwrap_or_default(),
            count(self.running),
            count(self.failed),
            self.arn.clone(),
        ]
    }
}

/// `sfn executions`: one execution.
#[derive(Debug, Serialize)]
pub struct ExecutionRow {
    pub name: String,
    pub arn: String,
    pub machine: String,
    pub status: ExecutionStatus,
    pub started: DateTime<Utc>,
    pub stopped: Option<DateTime<Utc>>,
    pub duration_ms: Option<i64>,
}

impl ExecutionRow {
    fn new(e: &Execution, now: DateTime<Utc>) -> ExecutionRow {
        ExecutionRow {
            name: e.name.clone(),
            arn: e.arn.clone(),
            machine: WorkflowChange::short(&e.machine_arn).to_owned(),
            status: e.status,
            started: e.started,
            stopped: e.stopped,
            duration_ms: e.duration_ms(now),
        }
    }
}

impl Row for ExecutionRow {
    fn headers() -> &'static [&'static str] {
        &[
            "NAME", "MACHINE", "STATUS", "STARTED", "STOPPED", "DURATION", "ARN",
        ]
    }

    fn cells(&self) -> Vec<String> {
        vec![
            self.name.clone(),
            self.machine.clone(),
            self.status.as_str().into(),
            stamp(self.started),
            self.stopped.map(stamp).unwrap_or_default(),
            self.duration_ms.map(duration_text).unwrap_or_default(),
            self.arn.clone(),
        ]
    }
}

/// `sfn show`: the summary of one execution.
#[derive(Debug, Serialize)]
pub struct Summary {
    pub name: String,
    pub arn: String,
    pub machine_arn: String,
    pub revision: String,
    pub status: ExecutionStatus,
    pub started: DateTime<Utc>,
    pub stopped: Option<DateTime<Utc>>,
    pub duration_ms: Option<i64>,
    /// States entered; null for express executions (no history).
    pub transitions: Option<usize>,
    pub error: Option<String>,
    pub cause: Option<String>,
    pub parent: Option<String>,
    pub redrive_count: i32,
}

impl Summary {
    fn new(detail: &ExecutionDetail, timeline: Option<&Timeline>, now: DateTime<Utc>) -> Summary {
        let e = &detail.execution;
        Summary {
            name: e.name.clone(),
            arn: e.arn.clone(),
            machine_arn: e.machine_arn.clone(),
            revision: detail.revision(),
            status: e.status,
            started: e.started,
            stopped: e.stopped,
            duration_ms: e.duration_ms(now),
            transitions: timeline.map(|t| t.transitions),
            error: detail.error.clone(),
            cause: detail.cause.clone(),
            parent: detail.parent(),
            redrive_count: detail.redrive_count,
        }
    }
}

impl Row for Summary {
    fn headers() -> &'static [&'static str] {
        &[
            "NAME",
            "ARN",
            "MACHINE",
            "REVISION",
            "STATUS",
            "STARTED",
            "STOPPED",
            "DURATION",
            "TRANSITIONS",
            "ERROR",
            "CAUSE",
            "PARENT",
            "REDRIVES",
        ]
    }

    fn cells(&self) -> Vec<String> {
        vec![
            self.name.clone(),
            self.arn.clone(),
            self.machine_arn.clone(),
            self.revision.clone(),
            self.status.as_str().into(),
            stamp(self.started),
            self.stopped.map(stamp).unwrap_or_default(),
            self.duration_ms.map(duration_text).unwrap_or_default(),
            self.transitions
                .map(|t| t.to_string())
                .unwrap_or_else(|| "no history (express)".into()),
            self.error.clone().unwrap_or_default(),
            self.cause.clone().unwrap_or_default(),
            self.parent.clone().unwrap_or_default(),
            self.redrive_count.to_string(),
        ]
    }
}

/// `sfn show -o json`.
#[derive(Debug, Serialize)]
pub struct Shown<'a> {
    pub execution: Summary,
    pub timeline: &'a [TimelineEntry],
}

impl Row for TimelineEntry {
    fn headers() -> &'static [&'static str] {
        &[
            "STATE", "TYPE", "STATUS", "ENTERED", "DURATION", "RETRIES", "ERROR", "CAUSE",
        ]
    }

    fn cells(&self) -> Vec<String> {
        let indent = "  ".repeat(self.depth);
        let name = match &self.group {
            Some(group) => format!("{indent}[{group}] {}", self.state),
            None => format!("{indent}{}", self.state),
        };
        vec![
            name,
            self.kind.clone(),
            self.status.as_str().into(),
            self.entered.format("%H:%M:%S%.3f").to_string(),
            self.duration_ms.map(duration_text).unwrap_or_default(),
            self.retries.to_string(),
            self.error.clone().unwrap_or_default(),
            self.cause.clone().unwrap_or_default(),
        ]
    }
}

impl Row for Event {
    fn headers() -> &'static [&'static str] {
        &["ID", "PREVIOUS", "TYPE", "TIMESTAMP", "STATE", "DETAILS"]
    }

    fn cells(&self) -> Vec<String> {
        vec![
            self.id.to_string(),
            self.previous_id.to_string(),
            self.kind.clone(),
            self.timestamp
                .to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
            self.state.clone().unwrap_or_default(),
            serde_json::to_string(&self.details).unwrap_or_default(),
        ]
    }
}

/// `sfn start -o json`.
#[derive(Debug, Serialize)]
pub struct Started {
    pub execution_arn: String,
    pub name: String,
}

impl Row for Started {
    fn headers() -> &'static [&'static str] {
        &["EXECUTION_ARN", "NAME"]
    }

    fn cells(&self) -> Vec<String> {
        vec![self.execution_arn.clone(), self.name.clone()]
    }
}

fn stamp(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%d %H:%M:%S").to_string()
}

/// `850ms`, `12.4s`, `3m05s`, `2h01m`.
pub fn duration_text(ms: i64) -> String {
    let ms = ms.max(0);
    if ms < 1_000 {
        format!("{ms}ms")
    } else if ms < 60_000 {
        format!("{:.1}s", ms as f64 / 1000.0)
    } else if ms < 3_600_000 {
        format!("{}m{:02}s", ms / 60_000, (ms / 1000) % 60)
    } else {
        format!("{}h{:02}m", ms / 3_600_000, (ms / 60_000) % 60)
    }
}

/// Terminal I/O of the change commands, so tests can answer prompts.
pub struct Terminal<'a> {
    pub out: &'a mut dyn Write,
    pub err: &'a mut dyn Write,
    pub input: &'a mut dyn BufRead,
    pub interactive: bool,
}

pub async fn run(ctx: &Context, command: SfnCommand, term: Terminal<'_>) -> anyhow::Result<i32> {
    let backend = ctx.backend.as_ref();
    let account = backend.caller_identity().await?.account_id;
    match command {
        SfnCommand::Machines(args) => machines(backend, &account, args.output, term.out).await,
        SfnCommand::Executions(args) => executions(backend, &account, args, term.out).await,
        SfnCommand::Show(args) => {
            show(backend, &account, &args.arn, args.output.output, term.out).await
        }
        SfnCommand::History(args) => {
            let events = history(backend, &account, &args.arn).await?;
            write_rows(term.out, args.output.output, &events)?;
            Ok(crate::exit::SUCCESS)
        }
        SfnCommand::Watch(args) => {
            let interval = args
                .interval_ms
                .map(Duration::from_millis)
                .unwrap_or_else(|| ctx.config.workflows.poll_interval());
            watch(backend, &account, &args.arn, interval, term.out, term.err).await
        }
        SfnCommand::Start(args) => {
            let machine = backend.find_machine(&account, &args.machine).await?;
            let input = read_input(args.input.as_deref())?;
            let name = args
                .name
                .unwrap_or_else(|| format!("opsdeck-{}", Utc::now().format("%Y%m%dT%H%M%S")));
            validate_execution_name(&name).map_err(anyhow::Error::msg)?;
            let change = WorkflowChange::Start {
                machine_arn: machine.arn,
                name: name.clone(),
                input,
            };
            let options = ChangeOptions {
                yes: args.yes,
                dry_run: args.dry_run,
            };
            let (code, arn) = change_command(
                ctx,
                &account,
                change,
                options,
                term.err,
                term.input,
                term.interactive,
            )
            .await?;
            if let Some(execution_arn) = arn {
                write_record(
                    term.out,
                    args.output.output,
                    &Started {
                        execution_arn,
                        name,
                    },
                )?;
            }
            Ok(code)
        }
        SfnCommand::Stop(args) => {
            let change = WorkflowChange::Stop {
                execution_arn: args.change.arn.clone(),
                error: args.error,
                cause: args.cause,
            };
            let options = ChangeOptions {
                yes: args.change.yes,
                dry_run: args.change.dry_run,
            };
            let (code, _) = change_command(
                ctx,
                &account,
                change,
                options,
                term.err,
                term.input,
                term.interactive,
            )
            .await?;
            Ok(code)
        }
        SfnCommand::Redrive(args) => {
            let change = WorkflowChange::Redrive {
                execution_arn: args.arn.clone(),
            };
            let options = ChangeOptions {
                yes: args.yes,
                dry_run: args.dry_run,
            };
            let (code, _) = change_command(
                ctx,
                &account,
                change,
                options,
                term.err,
                term.input,
                term.interactive,
            )
            .await?;
            Ok(code)
        }
    }
}

/// `--input`: JSON text, or `@FILE`; validated before anything is sent.
fn read_input(arg: Option<&str>) -> anyhow::Result<String> {
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

async fn machines(
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

async fn executions(
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

/// Whether the execution's machine is express (its executions have no history through the API).
async fn is_express(backend: &dyn Workflows, account: &str, machine_arn: &str) -> bool {
    backend
        .state_machine(account, machine_arn)
        .await
        .is_ok_and(|m| m.kind == MachineType::Express)
}

async fn history(backend: &dyn Backend, account: &str, arn: &str) -> anyhow::Result<Vec<Event>> {
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

async fn show(
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

/// Follow an execution until it ends, one line per transition on `out`. A poll that fails with a
/// transient error (throttled, unreachable, lost connection, a server-side failure; the SDK's own
/// retries already spent) waits longer and polls again, saying so on `err`; after
/// [`MAX_FAILED_POLLS`] such polls in a row the watch gives up. Any other failure stops it at once.
pub async fn watch(
    backend: &dyn Workflows,
    account: &str,
    arn: &str,
    interval: Duration,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> anyhow::Result<i32> {
    let mut log = EventLog::default();
    let mut schedule = PollSchedule::new(interval);
    let mut page = FULL_PAGE_SIZE;
    let mut last_answer = tokio::time::Instant::now();
    loop {
        let known = log.last_id();
        let polled = backend.poll_new_events(account, arn, known, page).await;
        let delay = match polled {
            Ok(fetched) => {
                last_answer = tokio::time::Instant::now();
                let before = log.events().len();
                let added = log.extend(fetched.events);
                page = next_page_size(added);
                for event in &log.events()[before..] {
                    if is_transition(event) {
                        writeln!(out, "{}", sanitize(&event.summary()))?;
                    }
                    if let Some(status) = event.terminal_status() {
                        out.flush()?;
                        return Ok(if status == ExecutionStatus::Succeeded {
                            crate::exit::SUCCESS
                        } else {
                            crate::exit::ERROR
                        });
                    }
                }
                out.flush()?;
                if added > 0 {
                    schedule.active()
                } else {
                    schedule.idle()
                }
            }
            Err(e) if e.is_transient() => {
                let delay = schedule.throttled();
                if schedule.exhausted() {
                    anyhow::bail!(
                        "gave up watching {} after {} failed polls in a row ({} without an answer): {e}",
                        sanitize(arn),
                        schedule.failed_polls(),
                        duration_text(
                            i64::try_from(last_answer.elapsed().as_millis()).unwrap_or(i64::MAX)
                        )
                    );
                }
                tracing::warn!(code = ?e.code, "sfn watch: {}", e.message);
                writeln!(
                    err,
                    "opsdeck: {}; polling again in {} ({} of {MAX_FAILED_POLLS} failed polls in a row)",
                    sanitize(&e.to_string()),
                    duration_text(i64::try_from(delay.as_millis()).unwrap_or(i64::MAX)),
                    schedule.failed_polls()
                )?;
                delay
            }
            Err(e) if known == 0 => {
                let detail = backend.execution(account, arn).await?;
                if is_express(backend, account, &detail.execution.machine_arn).await {
                    anyhow::bail!(
                        "{} ran on an express state machine: express executions have no event history to watch",
                        sanitize(arn)
                    );
                }
                return Err(e.into());
            }
            Err(e) => return Err(e.into()),
        };
        tokio::time::sleep(delay).await;
    }
}

#[derive(Debug, Clone, Copy)]
struct ChangeOptions {
    yes: bool,
    dry_run: bool,
}

/// Plan → policy → confirm (or dry run) → execute with audit. The exit code, and the ARN of the
/// execution a start created.
async fn change_command(
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_naturally() {
        assert_eq!(duration_text(850), "850ms");
        assert_eq!(duration_text(12_400), "12.4s");
        assert_eq!(duration_text(185_000), "3m05s");
        assert_eq!(duration_text(7_260_000), "2h01m");
    }

    #[test]
    fn input_is_json_text_or_a_file() {
        assert_eq!(read_input(None).unwrap(), "{}");
        assert!(
            read_input(Some("{oops"))
                .unwrap_err()
                .to_string()
                .contains("not valid JSON")
        );
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("input.json");
        std::fs::write(&file, r#"{"tenant": "acme"}"#).unwrap();
        let arg = format!("@{}", file.display());
        assert_eq!(read_input(Some(&arg)).unwrap(), r#"{"tenant": "acme"}"#);
        let missing = format!("@{}", dir.path().join("nope").display());
        assert!(
            read_input(Some(&missing))
                .unwrap_err()
                .to_string()
                .contains("cannot read")
        );
    }

    #[test]
    fn statuses_parse_from_the_command_line() {
        assert_eq!(parse_status("timed_out"), Ok(ExecutionStatus::TimedOut));
        assert!(parse_status("done").unwrap_err().contains("running"));
    }

    #[test]
    fn a_watch_interval_outside_200_ms_to_a_minute_is_refused() {
        use clap::Parser;

        #[derive(Debug, Parser)]
        struct Cli {
            #[command(subcommand)]
            sfn: SfnCommand,
        }
        for ms in ["0", "199", "60001"] {
            let parsed = Cli::try_parse_from(["sfn", "watch", "arn", "--interval-ms", ms]);
            assert!(parsed.is_err(), "{ms}");
        }
        let parsed = Cli::try_parse_from(["sfn", "watch", "arn", "--interval-ms", "200"]).unwrap();
        assert!(matches!(
            parsed.sfn,
            SfnCommand::Watch(WatchArgs {
                interval_ms: Some(200),
                ..
            })
        ));
    }

    /// `watch` against a scripted Step Functions: each poll gets the next answer of the script
    /// (the last one again once the script is used up), in paused time, so the waits between
    /// polls are exact.
    mod watch_loop {
        use std::collections::VecDeque;
        use std::sync::Mutex;

        use async_trait::async_trait;
        use tokio::time::Instant;

        use super::super::*;
        use crate::domain::workflows::timeline::fixtures::History;
        use crate::domain::workflows::watch::{HistoryPage, HistoryRequest, POLL_TIMEOUT};
        use crate::domain::workflows::{
            EventDetails, ExecutionPage, MachineDefinition, StateMachine,
        };
        use crate::services::ErrorKind;

        const ARN: &str = "arn:aws:states:us-east-1:000000005602:execution:orders:run-1";

        #[derive(Clone)]
        enum Answer {
            /// The history's first n events (the whole history so far, as the emulator answers).
            Events(usize),
            Fail(ServiceError),
            /// No answer at all: a connection that stopped answering.
            Hang,
        }

        struct Scripted {
            history: Vec<Event>,
            script: Mutex<VecDeque<Answer>>,
            polls: Mutex<Vec<Instant>>,
        }

        impl Scripted {
            fn new(script: Vec<Answer>) -> Scripted {
                // 8 events, every one a line of the watch: Pass, Wait, Succeed.
                let mut h = History::new();
                let prepared = h.state("Pass", "Prepare", 1);
                let held = h.state("Wait", "Hold", prepared);
                let ended = h.state("Succeed", "End", held);
                h.push("ExecutionSucceeded", ended, None, EventDetails::default());
                Scripted {
                    history: h.events,
                    script: Mutex::new(script.into()),
                    polls: Mutex::new(Vec::new()),
                }
            }

            /// When each poll was sent, from the first.
            fn poll_times(&self) -> Vec<Duration> {
                let polls = self.polls.lock().unwrap();
                polls.iter().map(|t| *t - polls[0]).collect()
            }
        }

        /// What the fake answers to any call but the history: the watch makes no other, and a test
        /// that made one would see this error rather than a panic in a task.
        fn not_history<T>() -> Result<T, ServiceError> {
            Err(ServiceError::new(
                ErrorKind::Other,
                None,
                "the scripted fake answers GetExecutionHistory only",
            ))
        }

        #[async_trait]
        impl Workflows for Scripted {
            async fn state_machines(&self, _: &str) -> Result<Vec<StateMachine>, ServiceError> {
                not_history()
            }
            async fn state_machine(
                &self,
                _: &str,
                _: &str,
            ) -> Result<MachineDefinition, ServiceError> {
                not_history()
            }
            async fn executions(
                &self,
                _: &str,
                _: &str,
                _: Option<ExecutionStatus>,
                _: Option<String>,
                _: i32,
            ) -> Result<ExecutionPage, ServiceError> {
                not_history()
            }
            async fn execution(&self, _: &str, _: &str) -> Result<ExecutionDetail, ServiceError> {
                not_history()
            }
            async fn history_page(
                &self,
                _: &str,
                _: &str,
                _: HistoryRequest,
            ) -> Result<HistoryPage, ServiceError> {
                self.polls.lock().unwrap().push(Instant::now());
                let answer = {
                    let mut script = self.script.lock().unwrap();
                    if script.len() > 1 {
                        script.pop_front()
                    } else {
                        script.front().cloned()
                    }
                };
                match answer.expect("a script") {
                    Answer::Events(n) => Ok(HistoryPage {
                        events: self.history[..n].to_vec(),
                        next_token: None,
                    }),
                    Answer::Fail(e) => Err(e),
                    Answer::Hang => std::future::pending().await,
                }
            }
            async fn start_execution(
                &self,
                _: &str,
                _: &str,
                _: &str,
                _: &str,
            ) -> Result<String, ServiceError> {
                not_history()
            }
            async fn stop_execution(
                &self,
                _: &str,
                _: &str,
                _: Option<&str>,
                _: Option<&str>,
            ) -> Result<(), ServiceError> {
                not_history()
            }
            async fn redrive_execution(&self, _: &str, _: &str) -> Result<(), ServiceError> {
                not_history()
            }
        }

        fn throttled() -> Answer {
            Answer::Fail(ServiceError::new(
                ErrorKind::Throttled,
                Some("ThrottlingException".into()),
                "Step Functions GetExecutionHistory failed: Rate exceeded",
            ))
        }

        fn lost() -> Answer {
            Answer::Fail(ServiceError::new(
                ErrorKind::Network,
                None,
                "Step Functions GetExecutionHistory: network error: connection closed before message completed",
            ))
        }

        fn server_failure() -> Answer {
            Answer::Fail(ServiceError::new(
                ErrorKind::Unavailable,
                Some("InternalFailure".into()),
                "Step Functions GetExecutionHistory failed: Internal error",
            ))
        }

        fn denied() -> Answer {
            Answer::Fail(ServiceError::new(
                ErrorKind::Denied,
                Some("AccessDeniedException".into()),
                "Step Functions GetExecutionHistory failed: not authorized",
            ))
        }

        /// Run the watch at an interval of 1 s: its result, stdout and stderr.
        async fn run(fake: &Scripted) -> (anyhow::Result<i32>, String, String) {
            let (mut out, mut err) = (Vec::new(), Vec::new());
            let result = watch(
                fake,
                "000000005602",
                ARN,
                Duration::from_secs(1),
                &mut out,
                &mut err,
            )
            .await;
            let text = |b: Vec<u8>| String::from_utf8(b).unwrap();
            (result, text(out), text(err))
        }

        fn secs(s: &[f64]) -> Vec<Duration> {
            s.iter().map(|&s| Duration::from_secs_f64(s)).collect()
        }

        #[tokio::test(start_paused = true)]
        async fn failed_polls_between_answers_neither_repeat_nor_skip_events() {
            let fake = Scripted::new(vec![
                Answer::Events(2),
                throttled(),
                Answer::Events(5),
                lost(),
                server_failure(),
                Answer::Events(5),
                Answer::Events(8),
            ]);
            let (result, out, err) = run(&fake).await;
            assert_eq!(result.unwrap(), crate::exit::SUCCESS);
            let expected: Vec<String> = fake.history.iter().map(|e| e.summary()).collect();
            assert_eq!(out.lines().collect::<Vec<_>>(), expected);
            // Waits: 1 s after news, doubled from 2 s per failed poll in a row, back to the
            // interval after news; a quiet poll after 4 s of back-off waits 5 s (5x at most).
            assert_eq!(
                fake.poll_times(),
                secs(&[0.0, 1.0, 3.0, 4.0, 6.0, 10.0, 15.0])
            );
            let notes: Vec<&str> = err.lines().collect();
            assert_eq!(notes.len(), 3, "{err}");
            assert!(notes[0].contains("Rate exceeded (ThrottlingException); polling again in 2.0s (1 of 10 failed polls in a row)"), "{err}");
            assert!(
                notes[2].contains("(InternalFailure); polling again in 4.0s (2 of 10"),
                "{err}"
            );
        }

        #[tokio::test(start_paused = true)]
        async fn a_watch_that_keeps_failing_gives_up_after_ten_polls_with_the_last_error() {
            let fake = Scripted::new(vec![Answer::Events(4), throttled()]);
            let (result, out, err) = run(&fake).await;
            let e = result.unwrap_err().to_string();
            assert!(
                e.contains("after 10 failed polls in a row") && e.contains("(ThrottlingException)"),
                "{e}"
            );
            assert_eq!(out.lines().count(), 4);
            assert_eq!(
                err.lines().count(),
                9,
                "a note per failed poll but the last: {err}"
            );
            // One answer, then 10 failed polls with back-off doubling from 2 s to a minute.
            assert_eq!(
                fake.poll_times(),
                secs(&[
                    0.0, 1.0, 3.0, 7.0, 15.0, 31.0, 63.0, 123.0, 183.0, 243.0, 303.0
                ])
            );
        }

        #[tokio::test(start_paused = true)]
        async fn a_poll_that_never_answers_times_out_and_the_watch_goes_on() {
            let fake = Scripted::new(vec![Answer::Events(3), Answer::Hang, Answer::Events(8)]);
            let (result, out, err) = run(&fake).await;
            assert_eq!(result.unwrap(), crate::exit::SUCCESS);
            assert_eq!(out.lines().count(), 8);
            assert!(err.contains("did not answer within 120 s"), "{err}");
            let hung = 1.0 + POLL_TIMEOUT.as_secs_f64();
            assert_eq!(fake.poll_times(), secs(&[0.0, 1.0, hung + 2.0]));
        }

        #[tokio::test(start_paused = true)]
        async fn a_permanent_error_mid_watch_stops_it_at_once() {
            let fake = Scripted::new(vec![Answer::Events(3), throttled(), denied()]);
            let (result, out, _) = run(&fake).await;
            let e = result.unwrap_err().to_string();
            assert!(e.contains("AccessDeniedException"), "{e}");
            assert_eq!(out.lines().count(), 3);
            assert_eq!(fake.poll_times(), secs(&[0.0, 1.0, 3.0]));
        }
    }
}
