//! `opsdeck sfn ...`: Step Functions state machines and executions — list, show, history, watch,
//! start, stop, redrive.

use clap::{Args, Subcommand};

use super::{OutputArgs, ScopeArgs};
use crate::domain::time::Since;
use crate::domain::workflows::ExecutionStatus;

#[derive(Debug, Subcommand)]
pub enum SfnCommand {
    /// State machines of the scope (the current account and region, or --all-accounts ×
    /// --regions), with running/failed counts among their latest 100 executions.
    Machines(MachinesArgs),
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
pub struct MachinesArgs {
    #[command(flatten)]
    pub output: OutputArgs,
    #[command(flatten)]
    pub scope: ScopeArgs,
}

#[derive(Debug, Args)]
pub struct ExecutionsArgs {
    /// Only this state machine (name or ARN); default: every machine.
    #[arg(long, value_name = "NAME|ARN")]
    pub machine: Option<String>,
    /// Only these statuses, comma-separated: running, succeeded, failed, timed_out, aborted,
    /// pending_redrive (one ListExecutions listing per machine and status).
    #[arg(long = "status", value_name = "STATUS,...", value_delimiter = ',', value_parser = parse_status)]
    pub statuses: Vec<ExecutionStatus>,
    /// Only executions started since then: an age (30m, 1h, 2d) or a time (2026-12-01T00:00Z);
    /// each machine's listing stops at the first older execution.
    #[arg(long, value_name = "AGE|TIME", value_parser = Since::parse)]
    pub since: Option<Since>,
    /// Add error and cause of failed, timed-out and aborted executions (one DescribeExecution
    /// each).
    #[arg(long)]
    pub details: bool,
    /// At most this many executions.
    #[arg(long, default_value_t = 100, value_name = "N")]
    pub limit: usize,
    #[command(flatten)]
    pub output: OutputArgs,
    #[command(flatten)]
    pub scope: ScopeArgs,
}

#[derive(Debug, Args)]
pub struct ArnArgs {
    /// The execution: its ARN, MACHINE/EXECUTION (names), or an execution name unique in the
    /// scope.
    #[arg(value_name = "EXECUTION")]
    pub arn: String,
    #[command(flatten)]
    pub output: OutputArgs,
    #[command(flatten)]
    pub scope: ScopeArgs,
}

#[derive(Debug, Args)]
pub struct WatchArgs {
    /// The execution: its ARN, MACHINE/EXECUTION (names), or an execution name unique in the
    /// scope.
    #[arg(value_name = "EXECUTION")]
    pub arn: String,
    #[command(flatten)]
    pub scope: ScopeArgs,
    /// Poll interval in milliseconds, 200 to 60000 (default: workflows.poll_interval_ms of the
    /// config).
    #[arg(long, value_name = "MS", value_parser = clap::value_parser!(u64).range(200..=60_000))]
    pub interval_ms: Option<u64>,
}

/// What every change command shares.
#[derive(Debug, Args)]
pub struct ChangeArgs {
    /// The execution: its ARN, MACHINE/EXECUTION (names), or an execution name unique in the
    /// scope.
    #[arg(value_name = "EXECUTION")]
    pub arn: String,
    #[command(flatten)]
    pub scope: ScopeArgs,
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
