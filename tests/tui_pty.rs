//! The dashboard in a real pseudo-terminal, against the emulator: it draws the header and the
//! Accounts view, survives any terminal size, honours `NO_COLOR`, and gives the terminal back
//! (alternate screen left, cursor shown, raw mode off) when it quits on `q`, Ctrl-C, SIGTERM or
//! SIGHUP, and when it panics (a debug-build-only trigger, `OPSDECK_TEST_PANIC_AFTER_DRAW=1`).
//!
//! The pty helpers (`openpty(3)`, a reader thread, `vt100` as the terminal) are in
//! tests/support/pty.rs, shared with tests/hostile_tui.rs.

#[path = "support/proxy.rs"]
mod proxy;
#[path = "support/pty.rs"]
mod pty;
mod support;

use std::process::Command;
use std::thread;
use std::time::{Duration, Instant};

use pty::{Finished, QUIT_TIMEOUT, Tui, contains, emulate, tail};
use support::{TestAccount, isolated_account, opsdeck};

/// How long the dashboard may take to show its first screen (first emulator calls included).
const START_TIMEOUT: Duration = Duration::from_secs(15);
/// How long to wait for the redraw that follows a resize.
const REDRAW_TIMEOUT: Duration = Duration::from_secs(5);

const LEAVE_ALTERNATE_SCREEN: &str = "\x1b[?1049l";
const SHOW_CURSOR: &str = "\x1b[?25h";
/// crossterm clears the whole screen before the full redraw that follows a resize.
const CLEAR_SCREEN: &str = "\x1b[2J";

fn account() -> TestAccount {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("cannot build a runtime for the test set-up")
        .block_on(isolated_account())
}

/// The dashboard's command for `account`, on a known terminal type.
fn dashboard(account: &TestAccount) -> Command {
    let mut command = opsdeck(account);
    command.env("TERM", "xterm-256color");
    command
}

/// Start the dashboard at 80x24 and wait for its first full screen.
fn started(account: &TestAccount, command: Command) -> Tui {
    let mut tui = Tui::spawn(command, 80, 24);
    tui.wait_for(&["opsdeck", &account.id, "Accounts", "NAME"], START_TIMEOUT);
    tui
}

/// The control sequences (`ESC [ params final`) in `output`, as (params, final byte, end offset).
fn csi_sequences(output: &[u8]) -> Vec<(String, u8, usize)> {
    let mut found = Vec::new();
    let mut i = 0;
    while i + 1 < output.len() {
        if output[i] != 0x1b || output[i + 1] != b'[' {
            i += 1;
            continue;
        }
        let start = i + 2;
        let mut end = start;
        while end < output.len() && (0x30..=0x3f).contains(&output[end]) {
            end += 1;
        }
        if end < output.len() && (0x40..=0x7e).contains(&output[end]) {
            let params = String::from_utf8_lossy(&output[start..end]).into_owned();
            found.push((params, output[end], end + 1));
        }
        i = end;
    }
    found
}

/// What was written after the last cell of the last frame: ratatui positions the cursor (CUP,
/// `ESC [ row ; col H`) before every run of cells it draws.
fn after_last_draw(output: &[u8]) -> &[u8] {
    let end = csi_sequences(output)
        .into_iter()
        .rev()
        .find(|(params, fin, _)| {
            *fin == b'H' && params.bytes().all(|b| b.is_ascii_digit() || b == b';')
        })
        .map_or(0, |(_, _, end)| end);
    &output[end..]
}

/// The SGR sequences that set a colour (foreground, background or underline; 8, 16, 256 or
/// RGB). Resets to the default colour (39, 49, 59) and attributes (bold, reverse…) are not colour.
fn colour_sequences(output: &[u8]) -> Vec<String> {
    csi_sequences(output)
        .into_iter()
        .filter(|(params, fin, _)| *fin == b'm' && sets_colour(params))
        .map(|(params, _, _)| format!("ESC[{params}m"))
        .collect()
}

fn sets_colour(params: &str) -> bool {
    params.split(';').any(|p| {
        let code: u16 = p
            .split(':')
            .next()
            .and_then(|c| c.parse().ok())
            .unwrap_or(0);
        matches!(code, 30..=38 | 40..=48 | 58 | 90..=97 | 100..=107)
    })
}

/// Exit 0, no panic, and the terminal handed back after the last frame.
fn assert_restored(run: &Finished) {
    let text = String::from_utf8_lossy(&run.output);
    assert!(
        run.status.success(),
        "opsdeck exited with {}; last output: {}",
        run.status,
        tail(&run.output)
    );
    assert!(
        !text.contains("panicked"),
        "opsdeck panicked: {}",
        tail(&run.output)
    );
    let after = after_last_draw(&run.output);
    assert!(
        contains(after, LEAVE_ALTERNATE_SCREEN) && contains(after, SHOW_CURSOR),
        "after its last frame opsdeck must leave the alternate screen and show the cursor; it wrote {:?}",
        String::from_utf8_lossy(after)
    );
    let terminal = emulate(&run.output, (80, 24));
    assert!(
        !terminal.screen().alternate_screen(),
        "the terminal is left on the alternate screen"
    );
    assert!(
        !terminal.screen().hide_cursor(),
        "the terminal is left with a hidden cursor"
    );
}

/// Canonical mode and echo are what a shell's line editing needs; raw mode clears both.
fn is_cooked(termios: &libc::termios) -> bool {
    termios.c_lflag & libc::ICANON != 0 && termios.c_lflag & libc::ECHO != 0
}

fn assert_raw_mode_off(tui: &Tui) {
    let termios = tui.termios();
    assert!(
        is_cooked(&termios),
        "opsdeck left the terminal in raw mode (c_lflag {:#o}: ICANON or ECHO missing)",
        termios.c_lflag
    );
}

#[test]
#[ignore = "needs the AWS emulator: run scripts/test"]
fn q_quits_with_status_0_and_restores_the_terminal() {
    let account = account();
    let mut tui = started(&account, dashboard(&account));
    tui.send(b"q");
    let run = tui.finish();
    assert_restored(&run);
}

#[test]
#[ignore = "needs the AWS emulator: run scripts/test"]
fn ctrl_c_is_a_key_that_quits_and_restores_the_terminal() {
    let account = account();
    let mut tui = started(&account, dashboard(&account));
    tui.send(&[0x03]);
    let run = tui.finish();
    assert_restored(&run);
}

#[test]
#[ignore = "needs the AWS emulator: run scripts/test"]
fn sigterm_quits_promptly_and_restores_the_terminal() {
    let account = account();
    let mut tui = started(&account, dashboard(&account));
    tui.signal(libc::SIGTERM);
    let run = tui.finish();
    assert_restored(&run);
    assert_raw_mode_off(&tui);
    assert!(run.took < QUIT_TIMEOUT, "SIGTERM took {:?}", run.took);
}

#[test]
#[ignore = "needs the AWS emulator: run scripts/test"]
fn a_panic_restores_the_terminal_before_printing_its_message() {
    const MESSAGE: &str = "test-only panic after the first draw";
    let account = account();
    let mut command = dashboard(&account);
    command
        .env("OPSDECK_TEST_PANIC_AFTER_DRAW", "1")
        .env("RUST_BACKTRACE", "0");
    let mut tui = Tui::spawn(command, 80, 24);
    let deadline = Instant::now() + START_TIMEOUT;
    while tui.alive() {
        assert!(Instant::now() < deadline, "the test-only panic never came");
        thread::sleep(Duration::from_millis(10));
    }
    let run = tui.finish();
    assert!(
        !run.status.success(),
        "a panic must end with a failure status, got {}",
        run.status
    );
    assert!(
        contains(&run.output, "\x1b[?1049h") && contains(&run.output, "opsdeck"),
        "the trigger fires after the first frame, yet none was drawn: {}",
        tail(&run.output)
    );
    let after = after_last_draw(&run.output);
    let at = |needle: &str| {
        after
            .windows(needle.len())
            .position(|w| w == needle.as_bytes())
            .unwrap_or_else(|| {
                panic!(
                    "no {needle:?} after the last frame; it wrote {:?}",
                    String::from_utf8_lossy(after)
                )
            })
    };
    let message = at(MESSAGE);
    assert!(
        at(LEAVE_ALTERNATE_SCREEN) < message && at(SHOW_CURSOR) < message,
        "the panic message must come after the terminal is restored; it wrote {:?}",
        String::from_utf8_lossy(after)
    );
    let terminal = emulate(&run.output, (80, 24));
    assert!(!terminal.screen().alternate_screen());
    assert!(!terminal.screen().hide_cursor());
    assert!(
        terminal.screen().contents().contains(MESSAGE),
        "the panic message must be readable on the main screen"
    );
    assert_raw_mode_off(&tui);
}

#[test]
#[ignore = "needs the AWS emulator: run scripts/test"]
fn sighup_quits_promptly_and_restores_the_terminal() {
    let account = account();
    let mut tui = started(&account, dashboard(&account));
    tui.signal(libc::SIGHUP);
    let run = tui.finish();
    assert_restored(&run);
    assert!(run.took < QUIT_TIMEOUT, "SIGHUP took {:?}", run.took);
}

/// Every file under `dir`, recursively.
fn files_under(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else if path.is_file() {
                found.push(path);
            }
        }
    }
    found
}

#[test]
#[ignore = "needs the AWS emulator: run scripts/test"]
fn the_dashboard_never_shows_or_logs_the_secret_key_or_session_token() {
    let account = account();
    let state = support::scratch_dir();
    let mut command = dashboard(&account);
    command
        .args(["--log-level", "trace"])
        .env("OPSDECK_LOG", "trace")
        .env("XDG_STATE_HOME", &state);
    let mut tui = started(&account, command);
    for pane in [b"1", b"2", b"3"] {
        let mark = tui.output().len();
        tui.send(pane);
        tui.wait_for_output(mark, "\x1b[", REDRAW_TIMEOUT);
        // Let the pane's first calls go out and come back, so their logging is in the files.
        thread::sleep(Duration::from_millis(300));
    }
    tui.send(b"q");
    let run = tui.finish();
    assert_restored(&run);
    let secrets = [
        ("secret access key", account.secret_access_key.as_str()),
        ("session token", account.session_token.as_str()),
    ];
    let mut leaks = Vec::new();
    let files = files_under(&state);
    assert!(
        files
            .iter()
            .any(|f| f.extension().is_some_and(|e| e == "log")),
        "the dashboard wrote no log under {}",
        state.display()
    );
    let mut sources = vec![("the terminal output".to_owned(), run.output.clone())];
    for file in files {
        let text = std::fs::read(&file).expect("cannot read a state file");
        sources.push((file.display().to_string(), text));
    }
    for (what, text) in &sources {
        for (name, secret) in secrets {
            if contains(text, secret) {
                leaks.push(format!("the {name} appears in {what}"));
            }
        }
    }
    assert!(
        leaks.is_empty(),
        "credentials leaked:\n{}",
        leaks.join("\n")
    );
}

#[test]
#[ignore = "needs the AWS emulator: run scripts/test"]
fn tiny_terminals_neither_panic_nor_stop_the_dashboard() {
    let account = account();
    let mut tui = started(&account, dashboard(&account));
    for (cols, rows) in [(10, 3), (1, 1), (0, 0), (1, 1)] {
        let mark = tui.output().len();
        tui.resize(cols, rows);
        tui.wait_for_output(mark, CLEAR_SCREEN, REDRAW_TIMEOUT);
        // Keys at this size go through update and a redraw too.
        tui.send(b"j");
        thread::sleep(Duration::from_millis(100));
        assert!(tui.alive(), "opsdeck stopped at {cols}x{rows}");
    }
    tui.resize(80, 24);
    tui.wait_for(
        &["opsdeck", &account.id, "Accounts", "NAME"],
        REDRAW_TIMEOUT,
    );
    tui.send(b"q");
    let run = tui.finish();
    assert_restored(&run);
}

#[test]
#[ignore = "needs the AWS emulator: run scripts/test"]
fn no_color_draws_without_colour_sequences() {
    let account = account();
    let mut command = dashboard(&account);
    command.env("NO_COLOR", "1");
    let mut tui = started(&account, command);
    tui.send(b"q");
    let run = tui.finish();
    assert_restored(&run);
    let colours = colour_sequences(&run.output);
    assert!(
        colours.is_empty(),
        "NO_COLOR is set, yet opsdeck set colours: {colours:?}"
    );
}

#[test]
#[ignore = "needs the AWS emulator: run scripts/test"]
fn without_no_color_the_dashboard_draws_in_colour() {
    let account = account();
    let mut command = dashboard(&account);
    command.env_remove("NO_COLOR");
    let mut tui = started(&account, command);
    tui.send(b"q");
    let run = tui.finish();
    assert_restored(&run);
    assert!(
        !colour_sequences(&run.output).is_empty(),
        "without NO_COLOR the dashboard should use colour; it wrote: {}",
        tail(&run.output)
    );
}

#[test]
#[ignore = "needs the AWS emulator: run scripts/test"]
fn a_dashboard_killed_outright_is_seen_leaving_the_terminal_unrestored() {
    // SIGKILL gives opsdeck no chance to restore anything: the checks above must see that in
    // real output, or they would pass whatever the app did.
    let account = account();
    let mut tui = started(&account, dashboard(&account));
    tui.signal(libc::SIGKILL);
    let run = tui.finish();
    assert!(!run.status.success());
    assert!(!contains(
        after_last_draw(&run.output),
        LEAVE_ALTERNATE_SCREEN
    ));
    assert!(emulate(&run.output, (80, 24)).screen().alternate_screen());
    assert!(
        !is_cooked(&tui.termios()),
        "after SIGKILL the pty must still be in raw mode, or the raw-mode check sees nothing"
    );
}

#[test]
fn colour_detection_tells_colours_from_resets_and_attributes() {
    let drawn = b"\x1b[1;3H\x1b[38;5;14mA\x1b[39m\x1b[49m\x1b[59m\x1b[0m\x1b[1mB\x1b[7m";
    assert_eq!(colour_sequences(drawn), ["ESC[38;5;14m"]);
    assert!(colour_sequences(b"\x1b[39m\x1b[49m\x1b[0m\x1b[1;7m\x1b[4m").is_empty());
    assert_eq!(colour_sequences(b"\x1b[1;41m"), ["ESC[1;41m"]);
}

#[test]
fn the_last_draw_ends_at_the_last_cursor_position() {
    let output = b"\x1b[?1049h\x1b[1;1Hab\x1b[2;5Hcd\x1b[?1049l\x1b[?25h";
    assert_eq!(after_last_draw(output), b"cd\x1b[?1049l\x1b[?25h");
}

/// The UI never waits on the network: with every AWS call held back for 30 s by the proxy, the
/// dashboard draws, answers keys (help, every pane) and quits at once; each of those screens is
/// seen before any answer could have come back.
#[test]
#[ignore = "needs the AWS emulator: run scripts/test"]
fn with_aws_answering_slowly_the_dashboard_still_draws_answers_keys_and_quits() {
    const HELD: Duration = Duration::from_secs(30);
    let account = account();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("cannot build a runtime for the proxy");
    let proxy = runtime.block_on(proxy::Proxy::start(
        &support::endpoint(),
        vec![proxy::Rule::any(proxy::Fault::Delay(HELD))],
    ));
    let mut command = dashboard(&account);
    command.env("AWS_ENDPOINT_URL", &proxy.endpoint);
    let started = Instant::now();
    let mut tui = Tui::spawn(command, 80, 24);
    let soon = Duration::from_secs(10);
    tui.wait_for(&["opsdeck", "Accounts"], soon);
    tui.send(b"?");
    tui.wait_for(&["help: j/k scroll"], soon);
    tui.send(b"\x1b");
    // Until the help is gone: a key sent right after ESC would be read as Alt+key.
    let deadline = Instant::now() + soon;
    while tui.screen().contains("help: j/k scroll") {
        assert!(Instant::now() < deadline, "Esc did not close the help");
        thread::sleep(Duration::from_millis(25));
    }
    // Each pane says what it waits for (the caller's identity, itself held back).
    for (key, shows) in [
        (b"1", "User pools waiting for the current account"),
        (b"2", "Hosted zones waiting for the current account"),
        (b"3", "State machines waiting for the current account"),
        (b"0", "loading the organisation's accounts"),
    ] {
        tui.send(key);
        tui.wait_for(&[shows], soon);
    }
    let seen = started.elapsed();
    let asked = proxy.calls();
    assert!(!asked.is_empty(), "the dashboard asked AWS nothing");
    assert!(
        asked
            .iter()
            .all(|c| c.fault == Some(proxy::Fault::Delay(HELD))),
        "{asked:#?}"
    );
    assert!(
        seen < HELD,
        "the screens took {seen:?}: they may have waited for an answer"
    );
    tui.send(b"q");
    let run = tui.finish();
    assert_restored(&run);
    eprintln!(
        "{} calls held; every screen drawn within {seen:?}; quit in {:?}",
        asked.len(),
        run.took
    );
}

/// The mouse capture on (`?1000h`, clicks and the wheel) as crossterm turns it on.
const MOUSE_ON: &str = "\x1b[?1000h";

#[test]
#[ignore = "needs the AWS emulator: run scripts/test"]
fn the_mouse_is_left_to_the_terminal_unless_the_config_asks_for_it() {
    let account = account();
    let mut tui = started(&account, dashboard(&account));
    tui.send(b"q");
    let run = tui.finish();
    assert!(
        !contains(&run.output, MOUSE_ON),
        "mouse captured by default: the terminal's text selection would not work"
    );

    let config = support::scratch_dir().join("config.toml");
    std::fs::write(&config, "[ui]\nmouse = true\n").unwrap();
    let mut command = dashboard(&account);
    command.arg("--config").arg(&config);
    let mut tui = started(&account, command);
    assert!(contains(&tui.output(), MOUSE_ON), "{}", tail(&tui.output()));
    // A click (SGR encoding, 1-based) on the Workflows tab, on the third row.
    let screen = tui.screen();
    let tabs = screen.lines().nth(2).unwrap();
    let column = tabs.find("Workflows").expect("the Workflows tab") + 3;
    tui.send(format!("\x1b[<0;{column};3M\x1b[<0;{column};3m").as_bytes());
    tui.wait_for(&["state machines in"], START_TIMEOUT);
    tui.send(b"q");
    let run = tui.finish();
    assert_restored(&run);
    assert!(
        contains(&run.output, "\x1b[?1000l"),
        "the mouse is given back at the end"
    );
}

/// An MFA role profile: the dashboard's code prompt takes the keyboard before any AWS call, asks
/// again after a refused code, and the panes load once the right one is typed; the header shows
/// the session's time left. The proxy plays IAM's MFA condition (moto checks none).
#[test]
#[ignore = "needs the AWS emulator: run scripts/test"]
fn the_mfa_prompt_comes_before_any_call_and_asks_again_after_a_refused_code() {
    const CODE: &str = "864209";
    let account = account();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("cannot build a runtime for the proxy");
    let proxy = runtime.block_on(proxy::Proxy::start(&support::endpoint(), Vec::new()));
    let role = format!("arn:aws:iam::{}:role/ops", account.id);
    let serial = format!("arn:aws:iam::{}:mfa/ann", account.id);
    proxy.require_mfa(&role, CODE);
    let home = support::scratch_dir();
    std::fs::write(
        home.join("aws-config"),
        format!(
            "[profile ops]\nrole_arn = {role}\nsource_profile = base\nmfa_serial = {serial}\n\
             region = us-east-1\n"
        ),
    )
    .unwrap();
    std::fs::write(
        home.join("aws-credentials"),
        format!(
            "[base]\naws_access_key_id = {}\naws_secret_access_key = {}\n",
            account.access_key_id, account.secret_access_key
        ),
    )
    .unwrap();
    let mut command = dashboard(&account);
    command
        .env("AWS_ENDPOINT_URL", &proxy.endpoint)
        .env("HOME", &home)
        .env("AWS_CONFIG_FILE", home.join("aws-config"))
        .env("AWS_SHARED_CREDENTIALS_FILE", home.join("aws-credentials"))
        .env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY")
        .env_remove("AWS_SESSION_TOKEN")
        .args(["--profile", "ops"]);
    let mut tui = Tui::spawn(command, 100, 30);
    let soon = Duration::from_secs(15);
    tui.wait_for(&["MFA code", "needs a code from the MFA device"], soon);
    // Pane keys go to the prompt, and nothing was called.
    tui.send(b"000000\r");
    tui.wait_for(&["the MFA code was not accepted", "codes last 30 s"], soon);
    let before = proxy.calls();
    assert_eq!(
        before.len(),
        1,
        "only the refused code was sent: {before:?}"
    );
    assert_eq!(before[0].operation, "GetSessionToken");
    tui.send(format!("{CODE}\r").as_bytes());
    tui.wait_for(&[&account.id, "Accounts", "MFA session", "left)"], soon);
    assert!(!tui.screen().contains("needs a code from"));
    assert_eq!(proxy.count("sts", "GetSessionToken"), 2);
    tui.send(b"q");
    let finished = tui.finish();
    assert!(finished.status.success(), "{}", tail(&finished.output));
}

/// `:profile NAME` (completed from the config file) puts every pane under that profile's
/// credentials: the header shows the other account.
#[test]
#[ignore = "needs the AWS emulator: run scripts/test"]
fn profile_switches_reload_the_dashboard_under_the_new_credentials() {
    let first = account();
    let second = account();
    let home = support::scratch_dir();
    std::fs::write(
        home.join("aws-config"),
        "[profile first]\nregion = us-east-1\n\n[profile second]\nregion = us-east-1\n",
    )
    .unwrap();
    let keys = |name: &str, a: &TestAccount| {
        format!(
            "[{name}]\naws_access_key_id = {}\naws_secret_access_key = {}\naws_session_token = {}\n",
            a.access_key_id, a.secret_access_key, a.session_token
        )
    };
    std::fs::write(
        home.join("aws-credentials"),
        keys("first", &first) + &keys("second", &second),
    )
    .unwrap();
    let mut command = dashboard(&first);
    command
        .env("AWS_CONFIG_FILE", home.join("aws-config"))
        .env("AWS_SHARED_CREDENTIALS_FILE", home.join("aws-credentials"))
        .env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY")
        .env_remove("AWS_SESSION_TOKEN")
        .args(["--profile", "first"]);
    let mut tui = Tui::spawn(command, 100, 30);
    tui.wait_for(&[&first.id, "profile first"], START_TIMEOUT);
    tui.send(b":profile s\t");
    tui.wait_for(&[":profile second"], REDRAW_TIMEOUT);
    tui.send(b"\r");
    tui.wait_for(&[&second.id, "profile second"], START_TIMEOUT);
    assert!(!tui.screen().contains(&first.id));
    tui.send(b"q");
    let finished = tui.finish();
    assert!(finished.status.success(), "{}", tail(&finished.output));
}
