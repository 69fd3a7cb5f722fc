//! The DNS organisation view while the organisation's accounts are still being listed: each page
//! of accounts becomes rows of the Accounts view at once, with indices that stay, and the view
//! knows the listing is going, done, or stopped.

use crate::app::dns::AccountRow;
use crate::app::dns::fixtures::{event, org_view};
use crate::app::tests::account;
use crate::domain::dns::{AccountStatus, InventoryEvent, Listing};

fn account_rows(state: &crate::app::State) -> Vec<AccountRow> {
    state
        .dns
        .accounts
        .rows
        .iter()
        .copied()
        .filter(|r| matches!(r, AccountRow::Account(_)))
        .collect()
}

#[test]
fn the_accounts_view_grows_page_by_page_while_the_listing_goes_on() {
    let (mut state, request) = org_view();
    assert!(state.dns.org.as_ref().unwrap().accounts.is_loading());
    event(
        &mut state,
        request,
        InventoryEvent::Accounts {
            accounts: vec![
                account("111111111111", "management"),
                account("222222222222", "dev"),
            ],
        },
    );
    let org = state.dns.org.as_ref().unwrap();
    assert!(matches!(org.accounts, crate::app::Loadable::Ready { .. }));
    assert_eq!(org.inventory.listing, Listing::Going);
    assert_eq!(
        account_rows(&state),
        [AccountRow::Account(0), AccountRow::Account(1)]
    );
    event(&mut state, request, InventoryEvent::Started { account: 1 });
    event(
        &mut state,
        request,
        InventoryEvent::Finished {
            account: 0,
            status: AccountStatus::Ok,
        },
    );
    event(
        &mut state,
        request,
        InventoryEvent::Finished {
            account: 1,
            status: AccountStatus::Ok,
        },
    );
    // Every account listed so far is read, but more are coming: not complete.
    assert!(!state.dns.org.as_ref().unwrap().inventory.is_complete());
    assert!(state.dns.org.as_ref().unwrap().finished.is_none());
    event(
        &mut state,
        request,
        InventoryEvent::Accounts {
            accounts: vec![account("333333333333", "prod")],
        },
    );
    assert_eq!(account_rows(&state).len(), 3);
    let inv = &state.dns.org.as_ref().unwrap().inventory;
    assert_eq!(inv.accounts[1].status, AccountStatus::Ok);
    assert_eq!(inv.accounts[2].account.name, "prod");
    event(&mut state, request, InventoryEvent::Listed { error: None });
    event(
        &mut state,
        request,
        InventoryEvent::Finished {
            account: 2,
            status: AccountStatus::Ok,
        },
    );
    let org = state.dns.org.as_ref().unwrap();
    assert_eq!(org.inventory.listing, Listing::Done);
    assert!(org.inventory.is_complete());
    assert!(org.finished.is_some());
}

#[test]
fn a_listing_that_stops_after_a_page_keeps_its_accounts() {
    let (mut state, request) = org_view();
    event(
        &mut state,
        request,
        InventoryEvent::Accounts {
            accounts: vec![account("111111111111", "management")],
        },
    );
    event(
        &mut state,
        request,
        InventoryEvent::Listed {
            error: Some("Organizations ListAccounts failed: Rate exceeded".into()),
        },
    );
    let org = state.dns.org.as_ref().unwrap();
    assert!(matches!(org.accounts, crate::app::Loadable::Ready { .. }));
    assert_eq!(account_rows(&state), [AccountRow::Account(0)]);
    assert_eq!(
        org.inventory.listing,
        Listing::Failed("Organizations ListAccounts failed: Rate exceeded".into())
    );
}
