//! The dashboard's drill-down views, fed hostile data, in a real pseudo-terminal (issue 6).
//!
//! Each test seeds strings built to attack a terminal (tests/support/hostile.rs: OSC title,
//! clipboard and hyperlink sequences, CSI, C0 and C1 controls, bidi overrides, zero-width and
//! combining characters, wide characters, 10,000-character values) into an emulator account of
//! its own with the SDK, runs the real binary in a pty (tests/support/pty.rs) and walks through
//! every view that shows them, at 120x40 and again at 60x20. After each view has loaded it checks:
//!
//! 1. the bytes written since the previous view: a strict tokenizer ([`checker::scan`]) accepts
//!    printable text and exactly the control sequences crossterm and ratatui emit for this app;
//!    anything else (OSC, DCS, APC, PM, SOS, any other ESC sequence, C0 but CR and LF, DEL, C1,
//!    bidi controls, invisible characters) fails, naming the view and showing the bytes around it;
//! 2. the emulated terminal (`vt100`, with [`checker::Recorder`] callbacks): no window title, icon
//!    name, clipboard write, bell or unhandled sequence; the first row is the header, the third
//!    the pane tabs, the last the status bar; no row wrapped (ratatui never relies on autowrap, so
//!    a wrap means a cell was wider on the terminal than the layout thought); and the hostile data
//!    is on screen in its made-safe form (`␛`, `<U+202E>`...), so a view cannot pass by hiding it.
//!
//! Rerun (emulator in execute mode, `OPSDECK_TEST_ENDPOINT` exported): `cargo test --test hostile_tui`
//! (`OPSDECK_TEST_SHOW_SCREENS=1` and `-- --nocapture` print every screen checked).

#[path = "../support/hostile.rs"]
mod hostile;
#[path = "../support/pty.rs"]
mod pty;
#[path = "../support/mod.rs"]
mod support;

mod accounts_dns;
mod checker;
mod tenants;
mod walk;
mod workflows;

use std::process::Command;

use support::TestAccount;

/// The dashboard as `account`, on a known terminal type, with a UI clock faster than `QUIET`:
/// while anything loads the spinner is redrawn every tick, so output quiet for `QUIET` means
/// the view has finished loading, not merely that a tick has not come yet.
fn dashboard(account: &TestAccount) -> Command {
    let config = support::scratch_dir().join("config.toml");
    // Live refresh every 2 s, as an operator has it: a view converges on what AWS holds even
    // when the emulator applies a change (a stop) a moment after answering it.
    std::fs::write(&config, "[ui]\ntick_ms = 100\nrefresh_secs = 2\n")
        .expect("write the test config");
    let mut command = support::opsdeck(account);
    command
        .env("TERM", "xterm-256color")
        .arg("--config")
        .arg(config);
    command
}

fn block_on<F: std::future::Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("cannot build a runtime for the test set-up")
        .block_on(future)
}

const WIDE_SIZE: (u16, u16) = (120, 40);
const NARROW_SIZE: (u16, u16) = (60, 20);
