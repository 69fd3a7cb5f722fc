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
mod resolve;
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
    // show, history, watch, stop and redrive act in their execution's account and region, named
    // by its ARN (found first when given by name).
    macro_rules! execution {
        ($text:expr, $scope:expr) => {
            match resolve::execution(ctx, $text, $scope, term.err).await? {
                Ok(arn) => (ctx.in_region(&arn.region), arn),
                Err(code) => return Ok(code),
            }
        };
    }
    match command {
        SfnCommand::Machines(args) => machines(ctx, args, term.out, term.err).await,
        SfnCommand::Executions(args) => executions(ctx, args, term.out, term.err).await,
        SfnCommand::Show(args) => {
            let (there, arn) = execution!(&args.arn, &args.scope);
            let backend = there.backend.as_ref();
            let account = &arn.account_id;
            show(
                backend,
                account,
                &arn.to_string(),
                args.output.output,
                term.out,
            )
            .await
        }
        SfnCommand::History(args) => {
            let (there, arn) = execution!(&args.arn, &args.scope);
            let events = history(there.backend.as_ref(), &arn.account_id, &arn.to_string()).await?;
            write_rows(term.out, args.output.output, &events)?;
            Ok(crate::exit::SUCCESS)
        }
        SfnCommand::Watch(args) => {
            let interval = args
                .interval_ms
                .map(Duration::from_millis)
                .unwrap_or_else(|| ctx.config.workflows.poll_interval());
            let (there, arn) = execution!(&args.arn, &args.scope);
            let backend = there.backend.as_ref();
            let arn_text = arn.to_string();
            watch(
                backend,
                &arn.account_id,
                &arn_text,
                interval,
                term.out,
                term.err,
            )
            .await
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
            let (_, arn) = execution!(&args.change.arn, &args.change.scope);
            execution_change(ctx, &arn.to_string(), stop, options, &mut term).await
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
            let (_, arn) = execution!(&args.arn, &args.scope);
            execution_change(ctx, &arn.to_string(), redrive, options, &mut term).await
        }
    }
}
