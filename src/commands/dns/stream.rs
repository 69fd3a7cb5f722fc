//! `dns records -o json|csv`: rows written as Route53's pages arrive, so neither the wait for the
//! first row nor the memory grows with the organisation. Order: each zone's record sets in
//! Route53's listing order; zones and accounts interleaved as their pages come (every account and
//! several zones of each are read at once). `-o table` holds every row to size its columns.

use std::io::Write;

use futures::future::{Either, select};

use super::{RecordFilter, no_such_zone, report_failures};
use crate::domain::dns::{Inventory, InventoryEvent, RecordStore, ZoneDetail};
use crate::rows::dns::RecordRow;
use crate::rows::{OutputFormat, RowStream};
use crate::services::{
    AccountDirectory, Dns, Identity, InventoryPlan, Organization, load_listed_inventory,
};

/// Load the records of the accounts `accounts` lists (each page of the listing at work while the
/// next is asked for) and write those `filter` keeps, page by page. Returns the exit code as
/// `run` does.
#[allow(clippy::too_many_arguments)]
pub(super) async fn records<B>(
    backend: &B,
    accounts: &AccountDirectory,
    plan: &InventoryPlan,
    wanted: &(dyn Fn(&ZoneDetail) -> bool + Send + Sync),
    filter: &RecordFilter,
    format: OutputFormat,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> anyhow::Result<i32>
where
    B: Identity + Organization + Dns + ?Sized,
{
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let mut inventory = Inventory::listing();
    // Whole blocks to the output, not a write per line (stdout is line-buffered): each account's
    // rows are pushed out when it finishes, and the rest at the end.
    let mut out = std::io::BufWriter::with_capacity(64 * 1024, out);
    let mut stream = RowStream::<RecordRow>::new(&mut out, format);
    {
        let load = async move {
            let (listed, _) = futures::join!(
                load_listed_inventory(backend, accounts, plan, wanted, &tx),
                backend.caller_identity()
            );
            listed
        };
        let write = async {
            while let Some(event) = rx.recv().await {
                let page = match &event {
                    InventoryEvent::Records { account, zone, .. } => Some((*account, *zone)),
                    InventoryEvent::Finished { .. } => {
                        stream.flush()?;
                        None
                    }
                    _ => None,
                };
                inventory.apply(event);
                let Some((a, z)) = page else { continue };
                let Some(account) = inventory.accounts.get_mut(a) else {
                    continue;
                };
                let Some(zone) = account.zones.get(z) else {
                    continue;
                };
                if filter.keeps_zone(zone) {
                    for r in zone.records.iter().filter(|r| filter.keeps(*r)) {
                        stream.write(&RecordRow::new(account, zone, r))?;
                    }
                }
                // Written: the inventory keeps only the counts.
                account.zones[z].records = RecordStore::default();
            }
            Ok::<_, std::io::Error>(())
        };
        futures::pin_mut!(load, write);
        match select(load, write).await {
            // No account could be listed: nothing was read.
            Either::Left((Err(e), _)) => return Err(e.into()),
            // The load is done: write what is left.
            Either::Left((Ok(()), write)) => write.await?,
            // The output failed (a closed pipe): stop reading AWS.
            Either::Right((written, _)) => written?,
        }
    }
    let failed = report_failures(&inventory, err)?;
    if let Some((raw, name)) = &filter.zone
        && !inventory
            .zones()
            .any(|(_, _, z)| z.zone().id == *raw || &z.zone().name == name)
    {
        // No zone matched, so no row was written: the error alone.
        anyhow::bail!("{}", no_such_zone(&inventory, raw, failed));
    }
    stream.finish()?;
    Ok(if failed {
        crate::exit::PARTIAL
    } else {
        crate::exit::SUCCESS
    })
}
