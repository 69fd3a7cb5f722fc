//! `dns upsert`, `dns delete`, `dns fix-delegation`: the input checked first (bad input exits 2
//! with nothing sent), the zone found in the organisation, the plan made from what the zone holds
//! now, then plan → policy (read-only refuses with exit 3, per account) → confirmation (typed for
//! a deletion) or dry run → the one executor, audited. Afterwards opsdeck waits until Route53 says
//! `INSYNC` (GetChange, paced, progress on stderr) and reads the result back: the record sets, or
//! the delegation check of the pair.

use super::{collect, report_failures, restrict};
use crate::cli::OutputFormat;
use crate::cli::dns::{DeleteArgs, DnsChangeArgs, FixDelegationArgs, UpsertArgs};
use crate::commands::Context;
use crate::domain::dns::values::{alias_target, record_name, record_values};
use crate::domain::dns::{
    DnsChange, NoPlan, RecordSpec, ZoneTarget, choose_zone, deepest_zones, delegations_of,
    normalise_name, plan_delete, plan_fix_delegation, plan_upsert,
};
use crate::domain::plan::{Change, Plan};
use crate::domain::sanitize::sanitize;
use crate::exit;
use crate::mutation::terminal::{ApplyOptions, Terminal};
use crate::rows::dns::RecordRow;
use crate::rows::write_rows;
use crate::services::{AccountDirectory, InventoryPlan, Pace, SyncWait, wait_in_sync};

/// Where the change commands read the organisation.
pub struct Org<'a> {
    pub directory: &'a AccountDirectory,
    pub plan: &'a InventoryPlan,
    /// How long to wait for `INSYNC`.
    pub sync: SyncWait,
}

fn options(change: DnsChangeArgs) -> ApplyOptions {
    ApplyOptions {
        yes: change.yes,
        dry_run: change.dry_run,
        progress: false,
        // stdout is the record sets (or the delegation) read back afterwards.
        report_on_stderr: true,
        completion: None,
    }
}

fn usage(term: &mut Terminal<'_>, why: &str) -> anyhow::Result<i32> {
    writeln!(term.err, "opsdeck: {}; nothing was changed", sanitize(why))?;
    Ok(exit::USAGE)
}

/// Every zone of the accounts asked for (no records), each with its account.
async fn org_zones(
    ctx: &Context,
    org: &Org<'_>,
    accounts: &[String],
    term: &mut Terminal<'_>,
) -> anyhow::Result<(Vec<ZoneTarget>, bool)> {
    let backend = ctx.backend.as_ref();
    let listed = restrict(org.directory.load(backend).await?.accounts, accounts)?;
    let inventory = collect(backend, listed, org.plan, &|_| false).await;
    let failed = report_failures(&inventory, term.err)?;
    let zones = inventory
        .zones()
        .map(|(_, a, z)| ZoneTarget {
            account_id: a.account.id.clone(),
            account_name: a.account.name.clone(),
            zone: z.zone().clone(),
        })
        .collect();
    Ok((zones, failed))
}

/// `dns upsert`.
pub async fn upsert(
    ctx: &Context,
    org: &Org<'_>,
    args: &UpsertArgs,
    term: &mut Terminal<'_>,
) -> anyhow::Result<i32> {
    // Everything that can be checked without AWS is checked first.
    let name = match record_name(&args.name) {
        Ok(n) => n,
        Err(why) => return usage(term, &why),
    };
    let alias = match &args.alias_target {
        Some(t) => match alias_target(t, args.evaluate_target_health) {
            Ok(a) => Some(a),
            Err(why) => return usage(term, &why),
        },
        None => None,
    };
    if alias.is_none()
        && let Err(why) = record_values(&args.kind, &args.values)
    {
        return usage(term, &why);
    }
    let spec = RecordSpec {
        name: name.clone(),
        kind: args.kind.clone(),
        ttl: args.ttl,
        values: args.values.clone(),
        alias,
        set_identifier: args.set_identifier.clone(),
    };
    let (zones, failed) = org_zones(ctx, org, &args.common.accounts, term).await?;
    let target = match pick_zone(&zones, &name, args.zone.as_deref(), args.change, term)? {
        Ok(t) => t,
        Err(why) => return usage(term, &unread(&why, failed)),
    };
    let existing = ctx
        .backend
        .records_named(&target.account_id, &target.zone.id, &name)
        .await?;
    let plan = plan_upsert(&target, &spec, &existing, args.force, &ctx.region);
    run_plan(
        ctx,
        org,
        plan,
        &target,
        &name,
        args.change,
        args.common.output.output,
        term,
    )
    .await
}

/// `dns delete`.
pub async fn delete(
    ctx: &Context,
    org: &Org<'_>,
    args: &DeleteArgs,
    term: &mut Terminal<'_>,
) -> anyhow::Result<i32> {
    let name = match record_name(&args.name) {
        Ok(n) => n,
        Err(why) => return usage(term, &why),
    };
    let (zones, failed) = org_zones(ctx, org, &args.common.accounts, term).await?;
    let target = match pick_zone(&zones, &name, args.zone.as_deref(), args.change, term)? {
        Ok(t) => t,
        Err(why) => return usage(term, &unread(&why, failed)),
    };
    let existing = ctx
        .backend
        .records_named(&target.account_id, &target.zone.id, &name)
        .await?;
    let plan = plan_delete(
        &target,
        &name,
        &args.kind,
        args.set_identifier.as_deref(),
        &existing,
        args.force,
        &ctx.region,
    );
    run_plan(
        ctx,
        org,
        plan,
        &target,
        &name,
        args.change,
        args.common.output.output,
        term,
    )
    .await
}

/// The zone of `name` (see [`choose_zone`]); when several are equally deep and nobody said which
/// (`--zone`), the operator is asked on the terminal — never with `--yes`, `--dry-run` or without
/// a terminal, where the choice must be given.
fn pick_zone(
    zones: &[ZoneTarget],
    name: &str,
    wanted: Option<&str>,
    change: DnsChangeArgs,
    term: &mut Terminal<'_>,
) -> anyhow::Result<Result<ZoneTarget, String>> {
    let candidates = deepest_zones(zones, name);
    if wanted.is_some() || candidates.len() < 2 || !term.interactive || change.yes || change.dry_run
    {
        return Ok(choose_zone(zones, name, wanted));
    }
    writeln!(
        term.err,
        "{} is in {} zones:",
        sanitize(name),
        candidates.len()
    )?;
    for (i, z) in candidates.iter().enumerate() {
        writeln!(term.err, "  {}. {}", i + 1, sanitize(&z.label()))?;
    }
    write!(term.err, "Which zone? [1-{}] ", candidates.len())?;
    term.err.flush()?;
    let mut answer = String::new();
    term.input.read_line(&mut answer)?;
    Ok(match answer.trim().parse::<usize>() {
        Ok(n) if (1..=candidates.len()).contains(&n) => Ok(candidates[n - 1].clone()),
        _ => Err(format!(
            "`{}` chooses none of the {} zones; answer with a number, or give --zone ID",
            answer.trim(),
            candidates.len()
        )),
    })
}

fn unread(why: &str, failed: bool) -> String {
    if failed {
        format!("{why} (some accounts could not be read, see above)")
    } else {
        why.to_owned()
    }
}

/// Apply a record change and read the record sets of `name` back once Route53 is in sync.
#[allow(clippy::too_many_arguments)]
async fn run_plan(
    ctx: &Context,
    org: &Org<'_>,
    plan: Result<Plan<DnsChange>, NoPlan>,
    target: &ZoneTarget,
    name: &str,
    change: DnsChangeArgs,
    format: OutputFormat,
    term: &mut Terminal<'_>,
) -> anyhow::Result<i32> {
    let plan = match plan {
        Ok(plan) => plan.map_actions(Change::Dns),
        Err(NoPlan::Invalid(why)) => return usage(term, &why),
        Err(NoPlan::NothingToDo(why)) => {
            writeln!(term.err, "opsdeck: {}", sanitize(&why))?;
            return Ok(exit::SUCCESS);
        }
    };
    let outcome = ctx
        .apply(&plan, options(change), ctx.config.cognito.import_rate, term)
        .await?;
    if outcome.code != exit::SUCCESS || change.dry_run {
        return Ok(outcome.code);
    }
    if !wait(ctx, org, &outcome.dns_changes, term).await? {
        return Ok(exit::ERROR);
    }
    let now = ctx
        .backend
        .records_named(&target.account_id, &target.zone.id, name)
        .await?;
    let rows: Vec<RecordRow> = now.iter().map(|r| RecordRow::in_zone(target, r)).collect();
    write_rows(term.out, format, &rows)?;
    Ok(exit::SUCCESS)
}

/// Wait for `INSYNC` with a progress line on stderr; false (told on stderr) when it did not come
/// in time.
async fn wait(
    ctx: &Context,
    org: &Org<'_>,
    changes: &[(String, String)],
    term: &mut Terminal<'_>,
) -> anyhow::Result<bool> {
    if changes.is_empty() {
        return Ok(true);
    }
    let pace = Pace::per_second(org.plan.route53_rps).with_patience(org.plan.throttle_patience);
    let err = &mut *term.err;
    let progress = |secs: u64| {
        let _ = write!(
            err,
            "\rwaiting for Route53 to apply the change on all its name servers (INSYNC): {secs} s"
        );
        let _ = err.flush();
    };
    let synced = wait_in_sync(ctx.backend.as_ref(), changes, org.sync, &pace, progress).await;
    writeln!(term.err)?;
    match synced {
        Ok(true) => {
            writeln!(term.err, "in sync")?;
            Ok(true)
        }
        Ok(false) => {
            let ids: Vec<&str> = changes.iter().map(|(_, id)| id.as_str()).collect();
            writeln!(
                term.err,
                "opsdeck: the change is made but Route53 did not say INSYNC within {} s (change \
                 {}); it usually does within a minute: check with `aws route53 get-change --id ID`",
                org.sync.timeout.as_secs(),
                sanitize(&ids.join(", "))
            )?;
            Ok(false)
        }
        Err(e) => {
            writeln!(
                term.err,
                "opsdeck: the change is made, but whether it is in sync could not be read: {}",
                sanitize(&e.to_string())
            )?;
            Ok(false)
        }
    }
}

/// `dns fix-delegation CHILD_ZONE`.
pub async fn fix_delegation(
    ctx: &Context,
    org: &Org<'_>,
    args: &FixDelegationArgs,
    term: &mut Terminal<'_>,
) -> anyhow::Result<i32> {
    let child = normalise_name(&args.child_zone);
    let format = args.common.output.output;
    let backend = ctx.backend.as_ref();
    let accounts = restrict(
        org.directory.load(backend).await?.accounts,
        &args.common.accounts,
    )?;
    let public = |z: &crate::domain::dns::ZoneDetail| !z.zone.private;
    let inventory = collect(backend, accounts.clone(), org.plan, &public).await;
    let failed = report_failures(&inventory, term.err)?;
    let plan = match plan_fix_delegation(&inventory, &child, &ctx.region) {
        Ok((_, plan)) => plan.map_actions(Change::Dns),
        Err(NoPlan::Invalid(why)) => return usage(term, &unread(&why, failed)),
        Err(NoPlan::NothingToDo(why)) => {
            writeln!(term.err, "opsdeck: {}", sanitize(&why))?;
            write_rows(term.out, format, &delegations_of(&inventory, &child))?;
            return Ok(exit::SUCCESS);
        }
    };
    let outcome = ctx
        .apply(
            &plan,
            options(args.change),
            ctx.config.cognito.import_rate,
            term,
        )
        .await?;
    if outcome.code != exit::SUCCESS || args.change.dry_run {
        return Ok(outcome.code);
    }
    if !wait(ctx, org, &outcome.dns_changes, term).await? {
        return Ok(exit::ERROR);
    }
    // The check again, on what the zones hold now.
    let after = collect(backend, accounts, org.plan, &public).await;
    report_failures(&after, term.err)?;
    let rows = delegations_of(&after, &child);
    write_rows(term.out, format, &rows)?;
    match rows.iter().find(|d| d.status.is_problem()) {
        None => {
            let word = rows
                .first()
                .map_or("no longer delegated (ok)", |d| d.status.word());
            writeln!(term.err, "opsdeck: {}: {word}", sanitize(&child))?;
            Ok(exit::SUCCESS)
        }
        Some(d) => {
            writeln!(
                term.err,
                "opsdeck: {} is still {} after the change (parent {} has {}, the zone has {})",
                sanitize(&child),
                d.status.word(),
                sanitize(&d.parent_zone),
                sanitize(&d.parent_ns.join(", ")),
                sanitize(&d.child_ns.join(", "))
            )?;
            Ok(exit::PROBLEMS)
        }
    }
}

/// Run one of the change commands.
pub async fn run(
    ctx: &Context,
    org: &Org<'_>,
    command: &crate::cli::dns::DnsCommand,
    term: &mut Terminal<'_>,
) -> anyhow::Result<i32> {
    use crate::cli::dns::DnsCommand;
    match command {
        DnsCommand::Upsert(args) => upsert(ctx, org, args, term).await,
        DnsCommand::Delete(args) => delete(ctx, org, args, term).await,
        DnsCommand::FixDelegation(args) => fix_delegation(ctx, org, args, term).await,
        other => anyhow::bail!(
            "{} changes nothing: it runs through commands::dns::run",
            other.name()
        ),
    }
}
