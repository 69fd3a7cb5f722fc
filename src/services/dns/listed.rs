//! The organisation's inventory while its accounts are still being listed: each ListAccounts
//! page's accounts join the fan-out as the page arrives, while the next page is asked for.

use futures::StreamExt;
use tokio::sync::mpsc::UnboundedSender;

use super::{Dns, InventoryPlan, ZoneWanted, fan_out};
use crate::domain::account::Account;
use crate::domain::dns::{Inventory, InventoryEvent};
use crate::services::{AccountDirectory, Identity, Organization, ServiceError};

/// Load the inventory of the accounts `directory` lists (for an inventory made with
/// [`Inventory::listing`]): each page of accounts is sent as
/// [`InventoryEvent::Accounts`] and its accounts start loading as soon as it arrives, while the
/// next page is asked for; [`InventoryEvent::Listed`] ends the listing. A listing that fails
/// after some pages keeps their accounts (the `Listed` event carries the error); one that fails
/// before any account returns the error, with nothing loaded.
pub async fn load_listed_inventory<B>(
    backend: &B,
    directory: &AccountDirectory,
    plan: &InventoryPlan,
    wanted: ZoneWanted<'_>,
    events: &UnboundedSender<InventoryEvent>,
) -> Result<(), ServiceError>
where
    B: Identity + Organization + Dns + ?Sized,
{
    let (pages, mut arrived) = tokio::sync::mpsc::unbounded_channel::<Vec<Account>>();
    let list = async move {
        let mut listed = 0;
        let result = directory
            .load_pages(backend, &mut |page| {
                listed += page.len();
                let _ = events.send(InventoryEvent::Accounts {
                    accounts: page.clone(),
                });
                let _ = pages.send(page);
            })
            .await;
        let _ = events.send(InventoryEvent::Listed {
            error: result.as_ref().err().map(ToString::to_string),
        });
        // Dropping `pages` here ends the fan-out's stream once it has taken every account.
        match result {
            Err(e) if listed == 0 => Err(e),
            _ => Ok(()),
        }
    };
    let accounts =
        futures::stream::poll_fn(move |cx| arrived.poll_recv(cx)).flat_map(futures::stream::iter);
    let (listed, ()) = futures::join!(list, fan_out(backend, accounts, plan, wanted, events));
    listed
}

/// [`load_listed_inventory`] into an inventory: the accounts as `directory` lists them, each page
/// at work while the next is asked for. `Err` only when no account could be listed.
pub async fn collect_listed<B>(
    backend: &B,
    directory: &AccountDirectory,
    plan: &InventoryPlan,
    wanted: ZoneWanted<'_>,
) -> Result<Inventory, ServiceError>
where
    B: Identity + Organization + Dns + ?Sized,
{
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    load_listed_inventory(backend, directory, plan, wanted, &tx).await?;
    drop(tx);
    let mut inventory = Inventory::listing();
    while let Some(event) = rx.recv().await {
        inventory.apply(event);
    }
    Ok(inventory)
}
