//! `opsdeck sfn ...`: Step Functions state machines and executions for scripts and incidents —
//! list, show (summary + timeline), history, watch until the end, start, stop, redrive.
//!
//! The clap definitions are in `cli::workflows`, the output rows in `rows::workflows`; here is the
//! logic: `run` dispatches to listing (`list`), one execution (`show`), following one (`watch`)
//! and the changes (`change`).

use std::time::Duration;

use chrono::Utc;

use super::Context;
use crate::cli::workflows::SfnCommand;
use crate::domain::time;
use crate::domain::workflows::{WorkflowChange, validate_execution_name};
use crate::mutation::terminal::ApplyOptions;
use crate::rows::workflows::Started;
use crate::rows::{write_record, write_rows};

mod change;
mod list;
mod show;
#[cfg(test)]
mod tests;
mod watch;

use change::{change_command, execution_change, read_input};
use list::{executions, machines};
use show::{history, show};
pub use watch::watch;

/// Terminal I/O of the commands, so tests can answer prompts.
pub use crate::mutation::terminal::Terminal;

pub async fn run(
    ctx: &Context,
    command: SfnCommand,
    mut term: Terminal<'_>,
) -> anyhow::Result<i32> {
    let backend = ctx.backend.as_ref();
    // A stop or a redrive acts in its ARN's account and region: no need to ask who we are; a
    // start asks once its input and name are checked.
    let account = match &command {
        SfnCommand::Stop(_) | SfnCommand::Redrive(_) | SfnCommand::Start(_) => String::new(),
        _ => backend.caller_identity().await?.account_id,
    };
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
            // What would be sent is checked before any call.
            let input = read_input(args.input.as_deref())?;
            let name = args.name.unwrap_or_else(|| {
                format!(
                    "opsdeck-{}-{}",
                    time::file_stamp(Utc::now()),
                    crate::domain::workflows::session_tag()
                )
            });
            validate_execution_name(&name).map_err(anyhow::Error::msg)?;
            let account = backend.caller_identity().await?.account_id;
            let machine = backend.find_machine(&account, &args.machine).await?;
            let change = WorkflowChange::Start {
                machine_arn: machine.arn,
                name: name.clone(),
                input,
            };
            let options = ApplyOptions {
                yes: args.yes,
                dry_run: args.dry_run,
                progress: false,
                report_on_stderr: true,
                completion: None,
            };
            let outcome = change_command(ctx, &account, change, options, &mut term).await?;
            if let Some(execution_arn) = outcome.started {
                write_record(
                    term.out,
                    args.output.output,
                    &Started {
                        execution_arn,
                        name,
                    },
                )?;
            }
            Ok(outcome.code)
        }
        SfnCommand::Stop(args) => {
            let options = ApplyOptions {
                yes: args.change.yes,
                dry_run: args.change.dry_run,
                progress: false,
                report_on_stderr: false,
                completion: None,
            };
            let (error, cause) = (args.error, args.cause);
            let stop = |execution_arn| WorkflowChange::Stop {
                execution_arn,
                error,
                cause,
            };
            execution_change(ctx, &args.change.arn, stop, options, &mut term).await
        }
        SfnCommand::Redrive(args) => {
            let options = ApplyOptions {
                yes: args.yes,
                dry_run: args.dry_run,
                progress: false,
                report_on_stderr: false,
                completion: None,
            };
            let redrive = |execution_arn| WorkflowChange::Redrive { execution_arn };
            execution_change(ctx, &args.arn, redrive, options, &mut term).await
        }
    }
}
