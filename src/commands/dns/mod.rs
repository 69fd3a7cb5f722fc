//! `opsdeck dns zones|records|find|delegations`: Route53 across every account of the organisation
//! (or the configured list), read through the assumed role, accounts in parallel, each paced.
//! Exit code 4 with the partial result when some account (or zone) could not be read completely.
//!
//! `run` loads the inventory the command needs and prints it; `find` prints a lookup. The clap
//! definitions are in `cli::dns`, the rows in `rows::dns`.

pub mod change;
mod find;
mod stream;

#[cfg(test)]
mod tests;

use std::io::Write;

use anyhow::bail;

use crate::cli::dns::DnsCommand;
use crate::domain::account::Account;
use crate::domain::dns::{
    Inventory, Listing, RecordView, ZoneDetail, ZoneEntry, audit, check_delegations, find,
    is_under, normalise_name,
};
use crate::domain::sanitize::sanitize;
use crate::rows::dns::{RecordRow, ZoneRow, account_label};
use crate::rows::{OutputFormat, write_rows};
use crate::services::{
    AccountDirectory, Dns, Identity, InventoryPlan, Organization, collect_listed,
};

/// Keep the accounts `wanted` names (ids or names, case-insensitive names); all when empty.
/// Naming an account that is not in the list is an error that lists the known ones.
pub fn restrict(accounts: Vec<Account>, wanted: &[String]) -> anyhow::Result<Vec<Account>> {
    if wanted.is_empty() {
        return Ok(accounts);
    }
    for w in wanted {
        if !accounts
            .iter()
            .any(|a| &a.id == w || (!a.name.is_empty() && a.name.eq_ignore_ascii_case(w)))
        {
            let known: Vec<String> = accounts
                .iter()
                .map(|a| account_label(&a.id, &a.name))
                .collect();
            bail!(
                "no account `{}` in the account list; known accounts: {}",
                sanitize(w),
                sanitize(&known.join(", "))
            );
        }
    }
    Ok(accounts
        .into_iter()
        .filter(|a| {
            wanted
                .iter()
                .any(|w| &a.id == w || (!a.name.is_empty() && a.name.eq_ignore_ascii_case(w)))
        })
        .collect())
}

/// Run one `dns` command. Returns the exit code: 0, or 4 when some account or zone failed
/// (what was read is printed; each failure on stderr).
#[allow(clippy::too_many_arguments)]
pub async fn run<B>(
    backend: &B,
    directory: &AccountDirectory,
    plan: &InventoryPlan,
    command: &DnsCommand,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> anyhow::Result<i32>
where
    B: Identity + Organization + Dns + ?Sized,
{
    let common = command.common();
    let format = common.output.output;
    // Reading an account needs the caller's identity (its own account is read with the current
    // credentials, not through the role): asked beside the account listing, not after it.
    // Without `--account` each page of the listing is read as it arrives; with it the listing
    // comes first, so an unknown account is an error before anything is read.
    let restricted;
    let accounts = if common.accounts.is_empty() {
        directory
    } else {
        let (listed, _) = futures::join!(directory.load(backend), backend.caller_identity());
        restricted = AccountDirectory {
            discover: false,
            configured: restrict(listed?.accounts, &common.accounts)?,
        };
        &restricted
    };
    let wanted: Box<dyn Fn(&ZoneDetail) -> bool + Send + Sync> = match command {
        DnsCommand::Zones(_) => Box::new(|_| false),
        DnsCommand::Records { zone: None, .. } => Box::new(|_| true),
        DnsCommand::Records {
            zone: Some(zone), ..
        } => {
            let zone = zone.clone();
            let name = normalise_name(&zone);
            Box::new(move |z| z.zone.id == zone || z.zone.name == name)
        }
        DnsCommand::Find { name, .. } => {
            let name = normalise_name(name);
            Box::new(move |z| is_under(&name, &z.zone.name))
        }
        DnsCommand::Delegations(_) => Box::new(|z| !z.zone.private),
        DnsCommand::Audit(_) => Box::new(|_| true),
        DnsCommand::Upsert(_) | DnsCommand::Delete(_) | DnsCommand::FixDelegation(_) => {
            bail!(
                "{} changes Route53: it runs through commands::dns::change",
                command.name()
            )
        }
    };
    if let DnsCommand::Records {
        zone, kind, name, ..
    } = command
        && format != OutputFormat::Table
    {
        let filter = RecordFilter::new(zone.as_deref(), kind.as_deref(), name.as_deref());
        return stream::records(
            backend,
            accounts,
            plan,
            wanted.as_ref(),
            &filter,
            format,
            out,
            err,
        )
        .await;
    }
    let (inventory, _) = futures::join!(
        collect_listed(backend, accounts, plan, wanted.as_ref()),
        backend.caller_identity()
    );
    let inventory = inventory?;
    // `dns find` follows CNAMEs, reading the zones each hop reaches.
    let (inventory, cnames) = match command {
        DnsCommand::Find { name, .. } => {
            let accounts: Vec<Account> = inventory
                .accounts
                .iter()
                .map(|a| a.account.clone())
                .collect();
            find::follow(backend, &accounts, plan, name, inventory).await
        }
        _ => (inventory, Vec::new()),
    };
    let failed = report_failures(&inventory, err)?;
    let mut problems = false;
    match command {
        DnsCommand::Zones(_) => {
            let rows: Vec<ZoneRow> = inventory
                .zones()
                .map(|(_, a, z)| ZoneRow {
                    account_id: a.account.id.clone(),
                    account_name: a.account.name.clone(),
                    zone_id: z.zone().id.clone(),
                    zone: z.zone().name.clone(),
                    private: z.zone().private,
                    record_count: z.zone().record_count,
                    comment: z.zone().comment.clone(),
                    vpcs: z.detail.vpcs.clone(),
                })
                .collect();
            write_rows(out, format, &rows)?;
        }
        DnsCommand::Records {
            zone, kind, name, ..
        } => {
            let filter = RecordFilter::new(zone.as_deref(), kind.as_deref(), name.as_deref());
            if let Some((raw, name)) = &filter.zone
                && !inventory
                    .zones()
                    .any(|(_, _, z)| z.zone().id == *raw || &z.zone().name == name)
            {
                bail!("{}", no_such_zone(&inventory, raw, failed));
            }
            let rows: Vec<RecordRow> = inventory
                .records()
                .filter(|(_, _, z, r)| filter.keeps_zone(z) && filter.keeps(*r))
                .map(|(_, a, z, r)| RecordRow::new(a, z, r))
                .collect();
            write_rows(out, format, &rows)?;
        }
        DnsCommand::Find { name, .. } => {
            let lookup = find(&inventory, name);
            find::write_lookup(&inventory, &lookup, &cnames, format, out)?;
            if let Some(last) = cnames.last()
                && last.next != "answered"
                && last.next != "in_org"
            {
                writeln!(
                    err,
                    "opsdeck: the CNAME chain of {} ends at {}: {}",
                    sanitize(&lookup.name),
                    sanitize(&last.target),
                    last.next.replace('_', " ")
                )?;
            }
            if lookup.zones.is_empty() {
                writeln!(
                    err,
                    "opsdeck: no zone of the organisation serves {}",
                    sanitize(&lookup.name)
                )?;
                problems = true;
            }
        }
        DnsCommand::Delegations(_) => {
            let delegations = check_delegations(&inventory);
            problems = delegations.iter().any(|d| d.status.is_problem());
            write_rows(out, format, &delegations)?;
        }
        DnsCommand::Audit(_) => {
            let findings = audit(&inventory);
            problems = !findings.is_empty();
            write_rows(out, format, &findings)?;
        }
        DnsCommand::Upsert(_) | DnsCommand::Delete(_) | DnsCommand::FixDelegation(_) => {}
    }
    // Problems found outrank accounts that could not be read: each failure is on stderr already.
    Ok(if problems {
        crate::exit::PROBLEMS
    } else if failed {
        crate::exit::PARTIAL
    } else {
        crate::exit::SUCCESS
    })
}

/// `dns records --zone/--type/--name`.
pub(crate) struct RecordFilter {
    /// As given (a zone id matches it) and normalised (a zone name matches it).
    zone: Option<(String, String)>,
    kind: Option<String>,
    name: Option<String>,
}

impl RecordFilter {
    fn new(zone: Option<&str>, kind: Option<&str>, name: Option<&str>) -> Self {
        RecordFilter {
            zone: zone.map(|z| (z.to_owned(), normalise_name(z))),
            kind: kind.map(str::to_ascii_uppercase),
            name: name.map(str::to_lowercase),
        }
    }

    fn keeps_zone(&self, z: &ZoneEntry) -> bool {
        self.zone
            .as_ref()
            .is_none_or(|(raw, n)| z.zone().id == *raw || &z.zone().name == n)
    }

    fn keeps(&self, r: RecordView<'_>) -> bool {
        self.kind.as_ref().is_none_or(|k| r.kind() == k)
            && self
                .name
                .as_ref()
                .is_none_or(|n| r.name().contains(n.as_str()))
    }
}

/// `--zone` named no zone of the accounts read: say so and name the zones there are.
fn no_such_zone(inventory: &Inventory, wanted: &str, failed: bool) -> String {
    const SHOWN: usize = 20;
    let mut known: Vec<String> = inventory
        .zones()
        .map(|(_, _, z)| format!("{} ({})", z.zone().name, z.zone().id))
        .collect();
    known.sort();
    known.dedup();
    let total = known.len();
    let mut list = known.into_iter().take(SHOWN).collect::<Vec<_>>().join(", ");
    if total > SHOWN {
        list.push_str(&format!(
            " and {} more (opsdeck dns zones lists them)",
            total - SHOWN
        ));
    }
    let known = if total == 0 {
        "the accounts read have no hosted zones".to_owned()
    } else {
        format!("known zones: {list}")
    };
    let unread = if failed {
        " (some accounts could not be read, see above)"
    } else {
        ""
    };
    sanitize(&format!(
        "no zone `{wanted}` in the accounts read{unread}; give a zone name or id: {known}"
    ))
    .into_owned()
}

pub use crate::services::collect;

/// One stderr line per failed account and per incomplete zone; true when there was any.
pub(crate) fn report_failures(inventory: &Inventory, err: &mut dyn Write) -> std::io::Result<bool> {
    let mut any = false;
    if let Listing::Failed(e) = &inventory.listing {
        any = true;
        writeln!(
            err,
            "opsdeck: the account listing stopped after {} accounts (those were read): {}",
            inventory.accounts.len(),
            sanitize(e)
        )?;
    }
    for a in &inventory.accounts {
        if let Some(e) = a.status.error() {
            any = true;
            writeln!(
                err,
                "opsdeck: account {}: {}: {}",
                sanitize(&a.label()),
                a.status.word(),
                sanitize(e)
            )?;
        }
        for z in &a.zones {
            if let Some(e) = &z.error {
                any = true;
                writeln!(
                    err,
                    "opsdeck: account {} zone {} ({}): incomplete: {}",
                    sanitize(&a.label()),
                    sanitize(&z.zone().name),
                    sanitize(&z.zone().id),
                    sanitize(e)
                )?;
            }
        }
    }
    Ok(any)
}
