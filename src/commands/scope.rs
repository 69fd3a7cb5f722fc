//! The scope of a command (`--all-accounts`, `--regions`): which accounts × regions it reads, the
//! clients of each region, the pacing, and the status lines on stderr. Shared by `sfn` and
//! `users find`; the fan-out itself is `services::scope`.

use std::io::Write;
use std::sync::Arc;

use super::Context;
use crate::cli::ScopeArgs;
use crate::domain::account::Account;
use crate::domain::sanitize::sanitize;
use crate::services::scope::{ScopePlan, Scoped, Target, targets};
use crate::services::{AccountDirectory, Backend};

/// The targets of a command and whether it reaches beyond the current account and region.
#[derive(Debug, Clone)]
pub struct Scope {
    pub targets: Vec<Target>,
    /// More than the current account and region: every target's status is printed, and one that
    /// fails makes the result partial (exit 4) instead of failing the command.
    pub wide: bool,
}

/// The regions asked for: `--regions`, else (with `--all-accounts`) `scope.regions` of the
/// config, else the current region.
pub fn regions(ctx: &Context, args: &ScopeArgs) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let from = if !args.regions.is_empty() {
        args.regions.clone()
    } else if args.all_accounts && !ctx.config.scope.regions.is_empty() {
        ctx.config.scope.regions.clone()
    } else {
        vec![ctx.region.clone()]
    };
    for r in from {
        if !out.contains(&r) {
            out.push(r);
        }
    }
    out
}

/// Resolve the scope: every account of the directory with `--all-accounts` (the organisation or
/// the configured list, as `opsdeck accounts` reads it), else the caller's own account.
pub async fn resolve(ctx: &Context, args: &ScopeArgs) -> anyhow::Result<Scope> {
    let regions = regions(ctx, args);
    let accounts = if args.all_accounts {
        let directory = AccountDirectory {
            discover: ctx.config.organization.discover,
            configured: ctx.config.organization.static_accounts(),
        };
        directory.load(ctx.backend.as_ref()).await?.accounts
    } else {
        let id = ctx.backend.caller_identity().await?.account_id;
        let configured = ctx.config.organization.static_accounts();
        vec![
            configured
                .into_iter()
                .find(|a| a.id == id)
                .unwrap_or_else(|| Account {
                    id,
                    name: String::new(),
                    email: String::new(),
                    status: "ACTIVE".into(),
                    read_only: false,
                }),
        ]
    };
    let wide = args.all_accounts || regions != [ctx.region.clone()];
    Ok(Scope {
        targets: targets(&accounts, &regions),
        wide,
    })
}

/// The clients of each region: the context's own for its region, `in_region` for the others.
pub fn backend_for(ctx: &Context) -> impl Fn(&str) -> Arc<dyn Backend> + Send + Sync + '_ {
    move |region: &str| {
        if region == ctx.region {
            ctx.backend.clone()
        } else {
            ctx.backend.in_region(region)
        }
    }
}

/// Step Functions reads: `scope.sfn_rps` per account and region.
pub fn sfn_plan(ctx: &Context, scope: &Scope) -> ScopePlan {
    plan(ctx, scope, ctx.config.scope.sfn_rps)
}

/// Cognito reads: `scope.cognito_rps` per account and region.
pub fn cognito_plan(ctx: &Context, scope: &Scope) -> ScopePlan {
    plan(ctx, scope, ctx.config.scope.cognito_rps)
}

/// A wide scope outlasts throttling the way the DNS inventory does (`concurrency.
/// throttle_patience_secs`), so one busy account completes late rather than not at all; the
/// current account and region alone fail after the SDK's own attempts, as before scopes.
fn plan(ctx: &Context, scope: &Scope, rps: u32) -> ScopePlan {
    ScopePlan {
        concurrency: usize::try_from(ctx.config.concurrency.accounts).unwrap_or(1),
        rps,
        throttle_patience: if scope.wide {
            ctx.config.concurrency.throttle_patience()
        } else {
            std::time::Duration::ZERO
        },
    }
}

/// One stderr line for a target that has answered: every target of a wide scope (`ok: 3 state
/// machines, 12 executions`), only a failure otherwise.
pub fn status_line<T>(
    scope: &Scope,
    s: &Scoped<T>,
    found: &str,
    err: &mut dyn Write,
) -> std::io::Result<()> {
    let what = match s.status.error() {
        Some(e) => format!("{}: {}", s.status.word(), sanitize(e)),
        None if !scope.wide => return Ok(()),
        None => format!("{}: {found}", s.status.word()),
    };
    writeln!(
        err,
        "opsdeck: account {}: {what}",
        sanitize(&s.target.label())
    )
}

/// The exit code of a scoped read: 4 when some target could not be read completely.
pub fn exit_code<T>(outcomes: &[Scoped<T>]) -> i32 {
    if crate::services::scope::partial(outcomes) {
        crate::exit::PARTIAL
    } else {
        crate::exit::SUCCESS
    }
}

/// Outside a wide scope, the one target's error is the command's error (exit 1), as before
/// scopes existed.
pub fn single_error<T>(scope: &Scope, outcomes: &mut [Scoped<T>]) -> anyhow::Result<()> {
    if scope.wide {
        return Ok(());
    }
    match outcomes.iter_mut().find_map(|s| s.read.error.take()) {
        Some(e) => Err(e.into()),
        None => Ok(()),
    }
}
