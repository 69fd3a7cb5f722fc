//! The organisation's accounts flow into the DNS fan-out as ListAccounts pages arrive: an account
//! of the first page is read while the second page is still being asked for, the config's
//! overrides hold on every page, and a page that fails keeps the accounts listed before it.

use std::time::Duration;

use opsdeck::domain::account::Account;
use opsdeck::domain::dns::{Inventory, InventoryEvent, Listing};
use opsdeck::exit;
use opsdeck::services::fake::{FakeBackend, ZoneSeed};
use opsdeck::services::{AccountDirectory, InventoryPlan, load_listed_inventory};

use crate::support::{ME, context, denied, run};

/// The management account and four more, two accounts a ListAccounts page; a zone in each.
fn org() -> FakeBackend {
    let mut fake = FakeBackend::new(ME).with_page_size(2);
    for (id, name) in [
        ("222222222222", "dev"),
        ("333333333333", "prod"),
        ("444444444444", "test"),
        ("555555555555", "shared"),
    ] {
        fake = fake.with_account(id, name).with_zone_in(
            id,
            ZoneSeed::public(&format!("Z{name}"), &format!("{name}.example.com")).simple(
                &format!("www.{name}.example.com"),
                "A",
                &["192.0.2.1"],
            ),
        );
    }
    fake
}

fn plan() -> InventoryPlan {
    InventoryPlan {
        concurrency: 8,
        route53_rps: 0,
        throttle_patience: Duration::ZERO,
    }
}

/// The organisation's accounts, `prod` (on the second page) read-only by the config.
fn directory() -> AccountDirectory {
    AccountDirectory {
        discover: true,
        configured: vec![Account {
            id: "333333333333".into(),
            name: String::new(),
            email: String::new(),
            status: String::new(),
            read_only: true,
        }],
    }
}

/// Events until `until` says stop (failing after 5 s: the load is stuck).
async fn events_until(
    rx: &mut tokio::sync::mpsc::UnboundedReceiver<InventoryEvent>,
    inventory: &mut Inventory,
    until: impl Fn(&InventoryEvent) -> bool,
) {
    loop {
        let event = tokio::time::timeout(Duration::from_secs(5), rx.recv())
            .await
            .expect("the load went on while the second page was held")
            .expect("the load ended early");
        let stop = until(&event);
        inventory.apply(event);
        if stop {
            return;
        }
    }
}

/// The organisation's inventory loading on a task of its own: its result, and its events.
fn start_load(
    fake: &FakeBackend,
) -> (
    tokio::task::JoinHandle<Result<(), opsdeck::services::ServiceError>>,
    tokio::sync::mpsc::UnboundedReceiver<InventoryEvent>,
) {
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    let fake = fake.clone();
    let load = tokio::spawn(async move {
        load_listed_inventory(&fake, &directory(), &plan(), &|_| true, &tx).await
    });
    (load, rx)
}

#[tokio::test]
async fn an_account_of_the_first_page_is_read_before_the_second_page_is_answered() {
    let fake = org();
    let release = fake.hold_accounts_page(1);
    let (load, mut rx) = start_load(&fake);
    let mut inventory = Inventory::listing();
    // The management account's and dev's reads finish with page 2 still unanswered.
    events_until(&mut rx, &mut inventory, |e| {
        matches!(e, InventoryEvent::Finished { account: 1, .. })
    })
    .await;
    assert_eq!(inventory.accounts.len(), 2);
    assert_eq!(inventory.accounts[1].account.name, "dev");
    assert_eq!(
        inventory.accounts[1].status_text(),
        "ok: 1 zones, 1 records"
    );
    assert_eq!(inventory.listing, Listing::Going);
    assert!(!inventory.is_complete());
    let listed = fake.calls().iter().filter(|c| *c == "ListAccounts").count();
    assert_eq!(listed, 1, "{:?}", fake.calls());
    release.send(()).unwrap();
    load.await.unwrap().unwrap();
    while let Some(event) = rx.recv().await {
        inventory.apply(event);
    }
    assert!(inventory.is_complete());
    assert_eq!(inventory.listing, Listing::Done);
    let names: Vec<&str> = inventory
        .accounts
        .iter()
        .map(|a| a.account.name.as_str())
        .collect();
    assert_eq!(names, ["management", "dev", "prod", "test", "shared"]);
    assert!(inventory.accounts.iter().all(|a| a.status.word() == "ok"));
    assert_eq!(inventory.record_count(), 4);
    // The config's override holds for an account of a later page.
    let read_only: Vec<bool> = inventory
        .accounts
        .iter()
        .map(|a| a.account.read_only)
        .collect();
    assert_eq!(read_only, [false, false, true, false, false]);
}

#[tokio::test]
async fn a_failing_second_page_keeps_the_first_pages_accounts_and_says_so() {
    let fake = org();
    let release = fake.hold_accounts_page(1);
    let (load, mut rx) = start_load(&fake);
    let mut inventory = Inventory::listing();
    events_until(&mut rx, &mut inventory, |e| {
        matches!(e, InventoryEvent::Accounts { .. })
    })
    .await;
    fake.fail_next("ListAccounts", denied("Organizations ListAccounts"));
    release.send(()).unwrap();
    // Accounts were listed: the load is no error, the listing's failure is in the inventory.
    load.await.unwrap().unwrap();
    while let Some(event) = rx.recv().await {
        inventory.apply(event);
    }
    assert!(inventory.is_complete());
    assert_eq!(
        inventory.listing,
        Listing::Failed(
            "Organizations ListAccounts failed: not authorized (AccessDeniedException)".into()
        )
    );
    assert_eq!(inventory.accounts.len(), 2);
    assert!(inventory.accounts.iter().all(|a| a.status.word() == "ok"));
    assert_eq!(inventory.record_count(), 1);
}

#[tokio::test]
async fn a_failing_first_page_is_an_error_with_nothing_read() {
    let fake = org();
    fake.fail_next("ListAccounts", denied("Organizations ListAccounts"));
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let result = load_listed_inventory(&fake, &directory(), &plan(), &|_| true, &tx).await;
    drop(tx);
    assert!(result.unwrap_err().to_string().contains("not authorized"));
    let mut inventory = Inventory::listing();
    while let Some(event) = rx.recv().await {
        inventory.apply(event);
    }
    assert!(inventory.accounts.is_empty());
    assert_eq!(fake.calls(), ["ListAccounts"]);
}

/// `dns records -o json` when the second ListAccounts page fails: the first page's records as a
/// valid JSON array, the listing's failure on stderr, exit 4 (partial).
#[tokio::test]
async fn dns_records_json_keeps_the_first_pages_records_when_a_later_page_fails() {
    let fake = org();
    let dir = tempfile::tempdir().unwrap();
    let mut ctx = context(&fake, dir.path());
    ctx.config.organization.discover = true;
    let release = fake.hold_accounts_page(1);
    let fail_page_two = async {
        // Once dev (on page 1) is being read, page 2 is answered with a refusal.
        while !fake
            .calls_in("222222222222")
            .iter()
            .any(|c| c == "ListResourceRecordSets")
        {
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
        fake.fail_next("ListAccounts", denied("Organizations ListAccounts"));
        release.send(()).unwrap();
    };
    let (ran, ()) = tokio::join!(run(&ctx, &["dns", "records", "-o", "json"]), fail_page_two);
    assert_eq!(ran.code(), exit::PARTIAL, "{}", ran.err);
    let rows: serde_json::Value = serde_json::from_str(&ran.out).expect("a JSON array");
    let names: Vec<&str> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["www.dev.example.com"]);
    assert!(
        ran.err
            .contains("the account listing stopped after 2 accounts (those were read)"),
        "{}",
        ran.err
    );
}
