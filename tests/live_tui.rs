//! Live views in a real terminal, against the emulator: with the dashboard open on a state
//! machine's executions and no key pressed, an execution started from outside appears, and its
//! end changes its status on screen; an execution watched live ends with a notice and the bell.

#[path = "support/pty.rs"]
mod pty;
mod support;

use std::thread;
use std::time::{Duration, Instant};

use aws_sdk_sfn::Client as Sfn;
use serde_json::json;

use pty::Tui;
use support::{TestAccount, isolated_account};

const START_TIMEOUT: Duration = Duration::from_secs(15);

fn block_on<F: std::future::Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("cannot build a runtime for the test set-up")
        .block_on(future)
}

/// A machine that passes, waits `wait` seconds, then succeeds; its ARN.
async fn machine(sfn: &Sfn, account: &TestAccount, name: &str, wait: u32) -> String {
    let definition = json!({
        "StartAt": "Prepare",
        "States": {
            "Prepare": {"Type": "Pass", "Next": "Hold"},
            "Hold": {"Type": "Wait", "Seconds": wait, "Next": "Finish"},
            "Finish": {"Type": "Succeed"}
        }
    });
    sfn.create_state_machine()
        .name(name)
        .role_arn(format!("arn:aws:iam::{}:role/sfn", account.id))
        .definition(definition.to_string())
        .send()
        .await
        .expect("create state machine")
        .state_machine_arn
}

async fn start(sfn: &Sfn, machine: &str, name: &str) {
    sfn.start_execution()
        .state_machine_arn(machine)
        .name(name)
        .input("{}")
        .send()
        .await
        .expect("start execution");
}

/// The dashboard as `account` at 80x24, re-reading the view on screen every `refresh` seconds.
fn dashboard(account: &TestAccount, refresh: u64) -> Tui {
    let config = support::scratch_dir().join("config.toml");
    std::fs::write(
        &config,
        format!("[ui]\ntick_ms = 100\nrefresh_secs = {refresh}\n"),
    )
    .expect("write the test config");
    let mut command = support::opsdeck(account);
    command
        .env("TERM", "xterm-256color")
        .arg("--config")
        .arg(config);
    let mut tui = Tui::spawn(command, 80, 24);
    tui.wait_for(&["opsdeck", &account.id, "Accounts"], START_TIMEOUT);
    tui
}

/// Wait until one line of the screen holds every one of `texts`.
fn wait_for_line(tui: &mut Tui, texts: &[&str], timeout: Duration) -> String {
    let deadline = Instant::now() + timeout;
    loop {
        let screen = tui.screen();
        if let Some(line) = screen
            .lines()
            .find(|line| texts.iter().all(|t| line.contains(t)))
        {
            return line.to_owned();
        }
        assert!(
            Instant::now() < deadline,
            "no line showed {texts:?} within {timeout:?}; screen:\n{screen}"
        );
        thread::sleep(Duration::from_millis(50));
    }
}

#[test]
#[ignore = "needs the AWS emulator: run scripts/test"]
fn an_execution_started_outside_appears_and_ends_on_screen_without_a_key() {
    let account = block_on(isolated_account());
    let sfn = Sfn::new(&account.sdk);
    let arn = block_on(machine(&sfn, &account, "live-orders", 3));
    let mut tui = dashboard(&account, 1);
    tui.send(b"3");
    tui.wait_for(&["live-orders"], START_TIMEOUT);
    tui.send(b"\r");
    tui.wait_for(&["live-orders", "live 1s"], START_TIMEOUT);

    // Started by someone else while the operator only looks.
    block_on(start(&sfn, &arn, "from-outside"));
    let line = wait_for_line(
        &mut tui,
        &["from-outside", "RUNNING"],
        Duration::from_secs(5),
    );
    assert!(line.contains("RUNNING"), "{line}");
    // The Wait of 3 s ends: the status changes on screen, still without a key.
    wait_for_line(
        &mut tui,
        &["from-outside", "SUCCEEDED"],
        Duration::from_secs(10),
    );
    tui.send(b"q");
    let run = tui.finish();
    assert!(run.status.success(), "{:?}", run.status);
}

#[test]
#[ignore = "needs the AWS emulator: run scripts/test"]
fn a_watched_execution_ends_with_a_notice_and_the_bell() {
    let account = block_on(isolated_account());
    let sfn = Sfn::new(&account.sdk);
    let arn = block_on(machine(&sfn, &account, "live-watch", 4));
    block_on(start(&sfn, &arn, "watched-run"));
    let mut tui = dashboard(&account, 5);
    tui.send(b"3");
    tui.wait_for(&["live-watch"], START_TIMEOUT);
    tui.send(b"\r");
    tui.wait_for(&["watched-run"], START_TIMEOUT);
    tui.send(b"\r");
    tui.wait_for(&["watching"], START_TIMEOUT);
    let mark = tui.output_len();
    tui.wait_for(&["watched-run ended: SUCCEEDED"], Duration::from_secs(12));
    let after = tui.output_since(mark);
    // Nothing else the dashboard draws writes BEL (no copy was asked, so no OSC 52).
    assert!(
        after.contains(&0x07),
        "no bell in the output after the watch began"
    );
    tui.wait_for(&["paused"], Duration::from_secs(2));
    tui.send(b"q");
    let run = tui.finish();
    assert!(run.status.success(), "{:?}", run.status);
}
