//! The failures view in a real terminal: the dashboard of the management account, switched to
//! the organisation scope, lists a failed execution of a member account in another region, and
//! `Enter` opens it there (its summary read from that account and region).

use std::time::Duration;

use crate::pty::Tui;
use crate::{FAILING, in_region, machine, organisation, support};

const TIMEOUT: Duration = Duration::from_secs(20);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the AWS emulator: run scripts/test"]
async fn the_failures_view_drills_into_an_execution_of_another_account_and_region() {
    let account = support::isolated_account().await;
    let members = organisation(&account, &["prod"]).await;
    let (prod, prod_sdk) = &members[0];
    // In eu-west-1 of prod; the dashboard runs in us-east-1 of the management account.
    let prod_eu = in_region(prod_sdk, "eu-west-1");
    machine(&prod_eu, prod, "billing", &[("eu-boom", FAILING)]).await;

    let config = support::scratch_dir().join("config.toml");
    std::fs::write(
        &config,
        "[ui]\ntick_ms = 100\n\n[scope]\nregions = [\"us-east-1\", \"eu-west-1\"]\n",
    )
    .unwrap();
    let mut command = support::opsdeck(&account);
    command
        .env("TERM", "xterm-256color")
        .arg("--config")
        .arg(&config);
    let mut tui = tokio::task::spawn_blocking(move || {
        let mut tui = Tui::spawn(command, 80, 24);
        tui.wait_for(&["opsdeck", "Accounts"], TIMEOUT);
        tui.send(b"3");
        tui.send(b":scope org\r");
        tui.wait_for(&["scope org × 2 regions", "billing", "eu-west-1"], TIMEOUT);
        tui.send(b":failures 1h\r");
        tui.wait_for(&["Failures, last 1h", "eu-boom", "Billing.Denied"], TIMEOUT);
        tui
    })
    .await
    .unwrap();
    let prod = prod.clone();
    tokio::task::spawn_blocking(move || {
        // The management account has no failure: the one row is prod's, selected.
        tui.send(b"\r");
        tui.send(b"s");
        // The summary's error, cause and revision come from DescribeExecution in prod, eu-west-1.
        let arn = format!("arn:aws:states:eu-west-1:{prod}:execution:billing:eu-boom");
        tui.wait_for(
            &["revision", "Billing.Denied", "bucket policy denies", &arn],
            TIMEOUT,
        );
        tui.send(b"q");
        let finished = tui.finish();
        assert!(finished.status.success(), "{:?}", finished.status);
    })
    .await
    .unwrap();
}
