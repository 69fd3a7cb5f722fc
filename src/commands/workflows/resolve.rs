//! Names instead of ARNs: `sfn show|history|watch|stop|redrive` take an execution ARN,
//! `MACHINE/EXECUTION` (names), or an execution name unique in the scope.
//!
//! Cost, per account × region of the scope: one ListStateMachines, then one DescribeExecution per
//! candidate machine (the machine named, or every standard machine for a bare name): the ARN of
//! an execution is its machine's ARN with `execution` and its name, so it is asked for directly
//! instead of listing executions.

use std::io::Write;
use std::sync::Arc;

use crate::cli::ScopeArgs;
use crate::commands::Context;
use crate::commands::scope;
use crate::domain::sanitize::sanitize;
use crate::domain::workflows::MachineType;
use crate::domain::workflows::arn::ExecutionArn;
use crate::exit;
use crate::services::scope::{Read, Target, fan_out};
use crate::services::{Backend, ErrorKind, Pace, ServiceError};

/// The execution `text` names, or the exit code after saying why there is none (2: not an ARN,
/// or a name several executions have, listed).
pub(super) async fn execution(
    ctx: &Context,
    text: &str,
    args: &ScopeArgs,
    err: &mut dyn Write,
) -> anyhow::Result<Result<ExecutionArn, i32>> {
    let text = text.trim();
    if text.starts_with("arn:") {
        return Ok(match ExecutionArn::parse(text) {
            Ok(arn) => Ok(arn),
            Err(why) => {
                writeln!(err, "opsdeck: {}", sanitize(&why))?;
                Err(exit::USAGE)
            }
        });
    }
    let (machine, name) = match text.split_once('/') {
        Some((m, n)) => (Some(m.to_owned()), n.to_owned()),
        None => (None, text.to_owned()),
    };
    if name.is_empty() || machine.as_deref() == Some("") {
        writeln!(
            err,
            "opsdeck: `{}` names no execution: give its ARN, MACHINE/EXECUTION or an execution name",
            sanitize(text)
        )?;
        return Ok(Err(exit::USAGE));
    }
    let scope = scope::resolve(ctx, args).await?;
    let backend_for = scope::backend_for(ctx);
    let wanted = Arc::new((machine.clone(), name.clone()));
    let mut lines = Vec::new();
    let mut outcomes = fan_out(
        scope.targets.clone(),
        &backend_for,
        &scope::sfn_plan(ctx, &scope),
        |backend, target, pace| {
            let wanted = wanted.clone();
            async move { candidates(backend, target, pace, &wanted.0, &wanted.1).await }
        },
        |s| {
            if s.status.error().is_some() {
                let _ = scope::status_line(&scope, s, "", &mut lines);
            }
        },
    )
    .await;
    err.write_all(&lines)?;
    scope::single_error(&scope, &mut outcomes)?;
    let mut found: Vec<String> = outcomes
        .iter_mut()
        .flat_map(|s| s.read.items.drain(..))
        .collect();
    found.sort();
    match found.as_slice() {
        [one] => Ok(Ok(ExecutionArn::parse(one).map_err(anyhow::Error::msg)?)),
        [] => {
            let unread = if scope::exit_code(&outcomes) == exit::PARTIAL {
                " (some accounts could not be read, see above)"
            } else {
                ""
            };
            let place = scope
                .targets
                .iter()
                .map(Target::label)
                .collect::<Vec<_>>()
                .join(", ");
            anyhow::bail!(
                "no execution `{}` in {place}{unread}: give its ARN, or widen the scope with \
                 --all-accounts / --regions",
                sanitize(text)
            )
        }
        many => {
            writeln!(
                err,
                "opsdeck: `{}` names {} executions; give one of them (its ARN or MACHINE/EXECUTION):",
                sanitize(text),
                many.len()
            )?;
            for arn in many {
                writeln!(err, "  {}", sanitize(arn))?;
            }
            Ok(Err(exit::USAGE))
        }
    }
}

fn not_found(e: &ServiceError) -> bool {
    e.kind == ErrorKind::NotFound
        || e.code.as_deref() == Some("ExecutionDoesNotExist")
        || e.code.as_deref() == Some("StateMachineDoesNotExist")
}

/// The ARNs of the executions named `name` (of `machine`, when given) in one target.
async fn candidates(
    backend: Arc<dyn Backend>,
    target: Target,
    pace: Arc<Pace>,
    machine: &Option<String>,
    name: &str,
) -> Read<String> {
    let account = target.account.id.as_str();
    let machines = match pace.call(|| backend.state_machines(account)).await {
        Ok(m) => m,
        Err(e) => return Read::failed(e),
    };
    let machines: Vec<_> = machines
        .into_iter()
        .filter(|m| match machine {
            Some(n) => &m.name == n,
            None => m.kind == MachineType::Standard,
        })
        .collect();
    let mut read = Read::ok(Vec::new(), machines.len());
    for m in &machines {
        let Some(arn) = execution_arn(&m.arn, name) else {
            continue;
        };
        match pace.call(|| backend.execution(account, &arn)).await {
            Ok(d) => read.items.push(d.execution.arn),
            Err(e) if not_found(&e) => {}
            Err(e) => {
                read.error = Some(e);
                break;
            }
        }
    }
    read
}

/// `arn:P:states:R:A:stateMachine:M` and `NAME` → `arn:P:states:R:A:execution:M:NAME`.
fn execution_arn(machine_arn: &str, name: &str) -> Option<String> {
    let (head, machine) = machine_arn.split_once(":stateMachine:")?;
    Some(format!("{head}:execution:{machine}:{name}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_execution_arn_is_its_machine_arn_with_its_name() {
        assert_eq!(
            execution_arn(
                "arn:aws:states:eu-west-1:111111111111:stateMachine:orders",
                "r1"
            )
            .as_deref(),
            Some("arn:aws:states:eu-west-1:111111111111:execution:orders:r1")
        );
        assert_eq!(execution_arn("arn:aws:states:x:1:activity:a", "r"), None);
    }
}
