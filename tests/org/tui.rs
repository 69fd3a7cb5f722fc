//! The organisation in a real terminal, against the emulator: the failures view of the
//! management account's dashboard, switched to the organisation scope, lists a failed execution
//! of a member account in another region and `Enter` opens it there; `:user EMAIL` finds a user
//! living in a pool of another account and region and opens it there.

use std::time::Duration;

use crate::pty::Tui;
use crate::{FAILING, in_region, machine, organisation, pool_with, support};

const TIMEOUT: Duration = Duration::from_secs(20);

/// The dashboard of `account` in a real terminal of `width` × `height`, reading the organisation
/// × us-east-1 and eu-west-1.
fn dashboard(account: &support::TestAccount, width: u16, height: u16) -> Tui {
    let config = support::scratch_dir().join("config.toml");
    std::fs::write(
        &config,
        "[ui]\ntick_ms = 100\n\n[scope]\nregions = [\"us-east-1\", \"eu-west-1\"]\n",
    )
    .unwrap();
    let mut command = support::opsdeck(account);
    command
        .env("TERM", "xterm-256color")
        .arg("--config")
        .arg(&config);
    Tui::spawn(command, width, height)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the AWS emulator: run scripts/test"]
async fn the_failures_view_drills_into_an_execution_of_another_account_and_region() {
    let account = support::isolated_account().await;
    let members = organisation(&account, &["prod"]).await;
    let (prod, prod_sdk) = &members[0];
    // In eu-west-1 of prod; the dashboard runs in us-east-1 of the management account.
    let prod_eu = in_region(prod_sdk, "eu-west-1");
    machine(&prod_eu, prod, "billing", &[("eu-boom", FAILING)]).await;

    let mut tui = tokio::task::spawn_blocking(move || {
        let mut tui = dashboard(&account, 80, 24);
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the AWS emulator: run scripts/test"]
async fn user_finds_a_user_of_another_account_and_region_and_opens_it_there() {
    let account = support::isolated_account().await;
    let members = organisation(&account, &["prod"]).await;
    let (prod, prod_sdk) = &members[0];
    pool_with(
        &in_region(prod_sdk, "eu-west-1"),
        "eu-customers",
        "carol@globex.com",
        "globex:admin",
    )
    .await;
    let prod = prod.clone();
    tokio::task::spawn_blocking(move || {
        let mut tui = dashboard(&account, 100, 30);
        tui.wait_for(&["opsdeck", &account.id, "Accounts"], TIMEOUT);
        tui.send(b":user carol@globex.com\r");
        // Opened at once in its own account, region and pool: the user's detail read there.
        tui.wait_for(
            &[
                "User carol@globex.com in prod",
                &prod,
                "eu-west-1",
                "eu-customers",
                "globex",
            ],
            TIMEOUT,
        );
        tui.send(b"q");
        let run = tui.finish();
        assert!(run.status.success(), "{:?}", run.status);
    })
    .await
    .unwrap();
}
