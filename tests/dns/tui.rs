//! The DNS pane's changes in a real pseudo-terminal against the emulator: a record deleted from a
//! member account's zone with its name typed, checked with the AWS API.

use std::thread;
use std::time::{Duration, Instant};

use aws_sdk_route53::types::RrType;

use crate::{planted, pty, simple, support, upsert};

const SOON: Duration = Duration::from_secs(20);

#[test]
#[ignore = "needs the AWS emulator: run scripts/test"]
fn d_on_a_record_of_another_accounts_zone_deletes_it_once_its_name_is_typed() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let account = runtime.block_on(support::isolated_account());
    let org = runtime.block_on(planted(&account));
    let dev = &org.members[0];
    runtime.block_on(upsert(
        &dev.sdk,
        &org.dev,
        vec![simple(
            "gone-soon.dev.example.test",
            RrType::A,
            60,
            &["192.0.2.99"],
        )],
    ));
    let mut command = support::opsdeck(&account);
    command.env("TERM", "xterm-256color");
    let mut tui = pty::Tui::spawn(command, 140, 30);
    tui.wait_for(&["opsdeck", "Accounts"], SOON);
    // The organisation's records, filtered to the one record.
    tui.send(b"2");
    tui.wait_for(&["Hosted zones"], SOON);
    tui.send(b"\x1b");
    tui.wait_for(&["Organisation DNS", "\u{25b8} audit", " 3 accounts"], SOON);
    tui.send(b"\r");
    tui.wait_for(&["All records"], SOON);
    tui.send(b"/'gone-soon\r");
    tui.wait_for(&["All records 1 shown", "gone-soon.dev.example.test"], SOON);
    tui.send(b"d");
    tui.wait_for(&["Type gone-soon.dev.example.test to confirm"], SOON);
    tui.send(b"gone-soon.dev.example.test\r");
    let deadline = Instant::now() + SOON;
    loop {
        let left = runtime.block_on(async {
            aws_sdk_route53::Client::new(&dev.sdk)
                .list_resource_record_sets()
                .hosted_zone_id(&org.dev)
                .send()
                .await
                .unwrap()
                .resource_record_sets()
                .iter()
                .any(|r| r.name() == "gone-soon.dev.example.test.")
        });
        if !left {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the record is still there; screen:\n{}",
            tui.screen()
        );
        thread::sleep(Duration::from_millis(100));
    }
    // The inventory is read again after the change: the record is gone from it too.
    tui.wait_for(&["All records 24 shown"], SOON);
    let screen = tui.screen();
    assert!(
        screen
            .lines()
            .filter(|l| l.contains("gone-soon"))
            .all(|l| l.contains("done: Delete gone-soon.dev.example.test")),
        "{screen}"
    );
    tui.send(b"q");
    let run = tui.finish();
    assert!(run.status.success(), "{:?}", run.status);
}
