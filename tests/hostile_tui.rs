//! The dashboard's drill-down views, fed hostile data, in a real pseudo-terminal (issue 6).
//!
//! Each test seeds strings built to attack a terminal (tests/support/hostile.rs: OSC title,
//! clipboard and hyperlink sequences, CSI, C0 and C1 controls, bidi overrides, zero-width and
//! combining characters, wide characters, 10,000-character values) into an emulator account of
//! its own with the SDK, runs the real binary in a pty (tests/support/pty.rs) and walks through
//! every view that shows them, at 120x40 and again at 60x20. After each view has loaded it checks:
//!
//! 1. the bytes written since the previous view: a strict tokenizer ([`scan`]) accepts printable
//!    text and exactly the control sequences crossterm and ratatui emit for this app; anything
//!    else (OSC, DCS, APC, PM, SOS, any other ESC sequence, C0 but CR and LF, DEL, C1, bidi
//!    controls, invisible characters) fails, naming the view and showing the bytes around it;
//! 2. the emulated terminal (`vt100`, with [`Recorder`] callbacks): no window title, icon name,
//!    clipboard write, bell or unhandled sequence; the first row is the header, the third the
//!    pane tabs, the last the status bar; no row wrapped (ratatui never relies on autowrap, so a
//!    wrap means a cell was wider on the terminal than the layout thought); and the hostile data
//!    is on screen in its made-safe form (`␛`, `<U+202E>`...), so a view cannot pass by hiding it.
//!
//! Rerun (emulator in execute mode, `OPSDECK_TEST_ENDPOINT` exported): `cargo test --test hostile_tui`
//! (`OPSDECK_TEST_SHOW_SCREENS=1` and `-- --nocapture` print every screen checked).

#[path = "support/hostile.rs"]
mod hostile;
#[path = "support/pty.rs"]
mod pty;
mod support;

use std::path::Path;
use std::process::Command;
use std::thread;
use std::time::{Duration, Instant};

use aws_sdk_cognitoidentityprovider::Client as Cognito;
use aws_sdk_route53::Client as Route53;
use aws_sdk_route53::types::RrType;
use aws_sdk_sfn::Client as Sfn;
use aws_sdk_sfn::types::{ExecutionStatus, StateMachineType};
use serde_json::json;

use hostile::{
    BIDI, C0, C1, CSI, HOSTILE, OSC_CLIPBOARD, OSC_HYPERLINK, OSC_TITLE, WIDE,
    ZERO_WIDTH_AND_COMBINING, long_value,
};
use pty::{Tui, vt100_size};
use support::TestAccount;

// ---------------------------------------------------------------- the output stream

/// Where in the run a control sequence is legitimate. Entering the alternate screen and
/// clearing it are what the dashboard does when it starts and after a resize; in any other
/// step those bytes can only have come from data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// The first frame: enter the alternate screen, hide the cursor, clear.
    Start,
    /// The full redraw after a resize: crossterm clears the screen first.
    Resized,
    /// Any other step: frames are diffs of cells.
    Steady,
}

/// A byte sequence the dashboard does not emit: where it starts and what it is.
#[derive(Debug)]
struct Foreign {
    at: usize,
    len: usize,
    what: String,
}

/// The SGR parameters crossterm writes for the dashboard's styles with `NO_COLOR` set (every
/// test here runs with it, from `support::opsdeck`): reset (`ESC[m`, `ESC[0m`), bold, dim,
/// italic, underline and reverse on and off, and the colour *resets* ratatui ends a frame with.
/// Nothing that sets a colour: data such as `ESC[31m` cannot pass as the dashboard's own. (A
/// run showed `m 0 1 4 7 22 24 27`; the others are the same attributes' pairs.)
const OUR_SGR: [&str; 14] = [
    "", "0", "1", "2", "3", "4", "7", "22", "23", "24", "27", "39", "49", "59",
];

fn our_sgr(params: &str) -> bool {
    params.split(';').all(|p| OUR_SGR.contains(&p))
}

/// `ESC [ ...` with its parameters: whether the dashboard writes it in `phase`. Cursor
/// positions always carry both coordinates (crossterm's `MoveTo`); a bare `ESC[H`, cursor
/// reports (`6n`), mode changes other than the cursor's visibility, and everything else are
/// foreign.
fn our_csi(private: bool, params: &str, intermediates: &str, fin: u8, phase: Phase) -> bool {
    if !intermediates.is_empty() {
        return false;
    }
    let numbers = |n: usize| {
        let parts: Vec<&str> = params.split(';').collect();
        parts.len() == n
            && parts
                .iter()
                .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
    };
    match (private, fin) {
        (false, b'H') => numbers(2),
        (false, b'm') => our_sgr(params),
        (false, b'J') => params == "2" && phase != Phase::Steady,
        (true, b'h' | b'l') if params == "25" => true,
        (true, b'h') => params == "1049" && phase == Phase::Start,
        _ => false,
    }
}

/// A character that must never reach the terminal: C0 (except CR and LF), DEL, C1, the bidi
/// embeddings, overrides, isolates and marks, and the invisible characters the sanitiser shows
/// as `<U+...>` (zero-width space and non-joiner, word joiner and invisible operators, line and
/// paragraph separators, BOM). The zero-width joiner and combining marks are text.
fn foreign_char(c: char) -> bool {
    (c < ' ' && c != '\r' && c != '\n')
        || c == '\x7f'
        || ('\u{80}'..='\u{9f}').contains(&c)
        || matches!(
            c,
            '\u{202a}'..='\u{202e}'
                | '\u{2066}'..='\u{2069}'
                | '\u{200e}'
                | '\u{200f}'
                | '\u{061c}'
                | '\u{200b}'
                | '\u{200c}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{2060}'..='\u{2064}'
                | '\u{feff}'
        )
}

/// Check `bytes` token by token. Returns how many bytes form complete tokens (a sequence cut
/// off at the end is left for the next call), or the first foreign one.
///
/// A byte stream cannot tell `ESC[0m` or `ESC[3;4H` written by data from the same bytes
/// written by the dashboard, so those few would pass alone; every hostile string carries
/// other sequences or characters with them (`ESC[2J` outside a start or resize, a bare
/// `ESC[H`, a colour under `NO_COLOR`, `ESC[6n`, OSC, C1, bidi), so data that leaks is caught.
fn scan(bytes: &[u8], phase: Phase) -> Result<usize, Foreign> {
    let foreign = |at: usize, len: usize, what: String| Err(Foreign { at, len, what });
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == 0x1b {
            let Some(&next) = bytes.get(i + 1) else {
                return Ok(i);
            };
            if next != b'[' {
                let what = match next {
                    b']' => "OSC (ESC ])",
                    b'P' => "DCS (ESC P)",
                    b'_' => "APC (ESC _)",
                    b'^' => "PM (ESC ^)",
                    b'X' => "SOS (ESC X)",
                    _ => "an escape sequence other than CSI",
                };
                return foreign(i, 2, what.to_owned());
            }
            // CSI: parameter bytes, intermediate bytes, one final byte (ECMA-48 5.4).
            let mut j = i + 2;
            let private = bytes.get(j) == Some(&b'?');
            if private {
                j += 1;
            }
            let params_start = j;
            while j < bytes.len() && (0x30..=0x3f).contains(&bytes[j]) {
                j += 1;
            }
            let params_end = j;
            while j < bytes.len() && (0x20..=0x2f).contains(&bytes[j]) {
                j += 1;
            }
            let Some(&fin) = bytes.get(j) else {
                return Ok(i);
            };
            let text = |a: usize, b: usize| String::from_utf8_lossy(&bytes[a..b]).into_owned();
            if !(0x40..=0x7e).contains(&fin) {
                return foreign(i, j + 1 - i, "a malformed CSI sequence".to_owned());
            }
            let (params, intermediates) = (text(params_start, params_end), text(params_end, j));
            if !our_csi(private, &params, &intermediates, fin, phase) {
                return foreign(
                    i,
                    j + 1 - i,
                    format!("a CSI sequence the dashboard does not write ({phase:?})"),
                );
            }
            i = j + 1;
            continue;
        }
        if b < 0x80 {
            if foreign_char(char::from(b)) {
                return foreign(i, 1, format!("the control character {b:#04x}"));
            }
            i += 1;
            continue;
        }
        // UTF-8: take one whole character; a character cut off at the end waits.
        let len = match b {
            0xc2..=0xdf => 2,
            0xe0..=0xef => 3,
            0xf0..=0xf4 => 4,
            _ => return foreign(i, 1, format!("the byte {b:#04x}, not UTF-8")),
        };
        if i + len > bytes.len() {
            return Ok(i);
        }
        let Some(c) = std::str::from_utf8(&bytes[i..i + len])
            .ok()
            .and_then(|s| s.chars().next())
        else {
            return foreign(i, len, "invalid UTF-8".to_owned());
        };
        if foreign_char(c) {
            return foreign(i, len, format!("the character U+{:04X}", c as u32));
        }
        i += len;
    }
    Ok(i)
}

/// The bytes around a foreign sequence, escaped, for the failure message.
fn context(bytes: &[u8], f: &Foreign) -> String {
    let from = f.at.saturating_sub(120);
    let to = (f.at + f.len + 120).min(bytes.len());
    format!(
        "{:?} >>> {:?} <<< {:?}",
        String::from_utf8_lossy(&bytes[from..f.at]),
        String::from_utf8_lossy(&bytes[f.at..f.at + f.len]),
        String::from_utf8_lossy(&bytes[f.at + f.len..to]),
    )
}

// ---------------------------------------------------------------- the emulated terminal

/// What the emulated terminal was asked to do besides drawing cells. Every one of these from
/// the dashboard's output would be data acting on the terminal. (vt100 0.18 keeps no window
/// title or icon name on its `Screen`, as older versions did: it reports them through these
/// callbacks, so recording them is how "the title stays unset" is checked.)
#[derive(Debug, Default)]
struct Recorder {
    events: Vec<String>,
}

impl vt100::Callbacks for Recorder {
    fn audible_bell(&mut self, _: &mut vt100::Screen) {
        self.events.push("audible bell".into());
    }
    fn visual_bell(&mut self, _: &mut vt100::Screen) {
        self.events.push("visual bell".into());
    }
    fn resize(&mut self, _: &mut vt100::Screen, request: (u16, u16)) {
        self.events.push(format!("resize request {request:?}"));
    }
    fn set_window_icon_name(&mut self, _: &mut vt100::Screen, name: &[u8]) {
        self.events.push(format!(
            "icon name set to {:?}",
            String::from_utf8_lossy(name)
        ));
    }
    fn set_window_title(&mut self, _: &mut vt100::Screen, title: &[u8]) {
        self.events.push(format!(
            "window title set to {:?}",
            String::from_utf8_lossy(title)
        ));
    }
    fn copy_to_clipboard(&mut self, _: &mut vt100::Screen, ty: &[u8], data: &[u8]) {
        self.events.push(format!(
            "clipboard {:?} written: {:?}",
            String::from_utf8_lossy(ty),
            String::from_utf8_lossy(data)
        ));
    }
    fn paste_from_clipboard(&mut self, _: &mut vt100::Screen, ty: &[u8]) {
        self.events
            .push(format!("clipboard {:?} read", String::from_utf8_lossy(ty)));
    }
    fn unhandled_char(&mut self, _: &mut vt100::Screen, c: char) {
        self.events
            .push(format!("unhandled character U+{:04X}", c as u32));
    }
    fn unhandled_control(&mut self, _: &mut vt100::Screen, b: u8) {
        self.events.push(format!("unhandled control {b:#04x}"));
    }
    fn unhandled_escape(&mut self, _: &mut vt100::Screen, i1: Option<u8>, i2: Option<u8>, b: u8) {
        self.events.push(format!(
            "unhandled escape {i1:?} {i2:?} {:?}",
            char::from(b)
        ));
    }
    fn unhandled_csi(
        &mut self,
        _: &mut vt100::Screen,
        i1: Option<u8>,
        i2: Option<u8>,
        params: &[&[u16]],
        c: char,
    ) {
        self.events
            .push(format!("unhandled CSI {i1:?} {i2:?} {params:?} {c:?}"));
    }
    fn unhandled_osc(&mut self, _: &mut vt100::Screen, params: &[&[u8]]) {
        let params: Vec<_> = params.iter().map(|p| String::from_utf8_lossy(p)).collect();
        self.events.push(format!("unhandled OSC {params:?}"));
    }
}

// ---------------------------------------------------------------- walking the views

/// How long a view may take to appear (emulator calls included).
const VIEW_TIMEOUT: Duration = Duration::from_secs(20);
/// Output quiet for this long means the frame is complete and nothing is loading: the dashboard
/// draws only when something changed (a loading view's spinner changes every 100 ms tick, see
/// [`dashboard`]), and ratatui may flush one frame in several writes, so the screen is read only
/// once the writes have stopped (not a fixed sleep: it ends as soon as output is quiet).
const QUIET: Duration = Duration::from_millis(150);
/// How long a loaded view may keep drawing (a spinner) before the test gives up on it.
const SETTLE_TIMEOUT: Duration = Duration::from_secs(10);

/// The markers of the made-safe data: the Control Pictures of ESC and BEL, and the `<U+...>`
/// notation of C1, bidi and invisible characters.
const SAFE: [&str; 6] = ["␛", "␇", "<U+202E>", "<U+009B>", "<U+2066>", "<U+200B>"];

/// The Esc key in the keys a step types (a bare `\x1b` there would be ambiguous with the
/// escape sequences of other keys, such as [`PAGE_DOWN`]).
const ESC: char = '⎋';
/// The PageDown key as xterm sends it.
const PAGE_DOWN: &str = "\x1b[6~";
/// The confirmation dialog's answer line (the dialog promises it always stays visible).
const ANSWER: &str = "│> ";
/// What the hints of the status bar begin with.
const HINTS: &str = " ? help";
/// The status bar as it may be after a step: the hints, or one of the notices the steps cause
/// (a notice stays up for 4 s, so it can still be there a step or two later). Steps that open a
/// prompt or cause a notice with data in it say what they expect instead.
const STATUS: [&str; 8] = [
    HINTS,
    " reading the pool to plan",
    " cancelled: nothing was changed",
    " failures first",
    " newest first",
    " checking the file",
    // The import report's notice: the CSV file's path, then how many rows were bad.
    " /",
    // The failed redrive's error, naming the execution.
    " Redrive execution fails␛]0;",
];

/// What one view must show once it has loaded.
struct Expect<'a> {
    /// Texts that tell the view has loaded (all of them on screen).
    wait: &'a [&'a str],
    /// At least one of these is on screen: the hostile data in its made-safe form. Empty only
    /// for a view with no data on screen (the help over a narrow screen, a form not filled yet,
    /// a list filtered down to a plain row).
    shows: &'a [&'a str],
    /// What the last row may begin with: the hints, a notice, or a prompt.
    status: &'a [&'a str],
    /// What the last row must begin with before the view counts as loaded (a change's result
    /// comes only as a notice).
    wait_status: Option<&'a str>,
}

impl<'a> Expect<'a> {
    const fn view(wait: &'a [&'a str]) -> Self {
        Expect {
            wait,
            shows: &SAFE,
            status: &STATUS,
            wait_status: None,
        }
    }

    /// Wait for the status bar to begin with `prefix`, and accept only that there.
    const fn notice(mut self, prefix: &'a str) -> Self {
        self.wait_status = Some(prefix);
        self
    }

    const fn status(mut self, status: &'a [&'a str]) -> Self {
        self.status = status;
        self
    }

    const fn shows(mut self, shows: &'a [&'a str]) -> Self {
        self.shows = shows;
        self
    }
}

/// The dashboard in a pty and the checks of every view it shows.
struct Walk {
    tui: Tui,
    /// What is walked, at which size: the prefix of every failure message.
    name: String,
    terminal: vt100::Parser<Recorder>,
    /// Bytes fed to `terminal` so far.
    fed: usize,
    /// Bytes checked by `scan` so far (always at a token boundary).
    checked: usize,
    phase: Phase,
    /// The views visited and how long each took, for the test's output.
    visited: Vec<(String, Duration)>,
    started: Instant,
}

impl Walk {
    fn start(name: &str, command: Command, (cols, rows): (u16, u16), first: Expect) -> Walk {
        let tui = Tui::spawn(command, cols, rows);
        let terminal = vt100::Parser::new_with_callbacks(
            vt100_size(rows),
            vt100_size(cols),
            0,
            Recorder::default(),
        );
        let mut walk = Walk {
            tui,
            name: format!("{name} at {cols}x{rows}"),
            terminal,
            fed: 0,
            checked: 0,
            phase: Phase::Start,
            visited: Vec::new(),
            started: Instant::now(),
        };
        walk.expect("the first screen", first);
        walk.phase = Phase::Steady;
        walk
    }

    /// Feed what the dashboard wrote since the last call to the emulated terminal.
    fn feed(&mut self) {
        let new = self.tui.output_since(self.fed);
        self.fed += new.len();
        self.terminal.process(&new);
    }

    fn screen_text(&self) -> String {
        let screen = self.terminal.screen();
        let (rows, cols) = screen.size();
        screen
            .rows(0, cols.get())
            .take(usize::from(rows.get()))
            .enumerate()
            .map(|(i, row)| format!("{i:>2}|{row}"))
            .collect::<Vec<_>>()
            .join("\n")
    }

    fn fail(&self, view: &str, problem: &str) -> ! {
        panic!(
            "{}, view `{view}`: {problem}\nscreen:\n{}",
            self.name,
            self.screen_text()
        );
    }

    /// Press `keys`, then check the view they lead to.
    fn view(&mut self, view: &str, keys: &str, expect: Expect) {
        self.press(view, keys);
        self.expect(view, expect);
    }

    /// Type `keys` (`⎋` is the Esc key). A terminal tells the Esc key from the start of an Alt-key sequence (ESC and
    /// a character) only by the time between them, as a person's key presses are apart: each
    /// ESC goes out alone and is followed by waiting for the dashboard to have reacted (its
    /// output quiet again).
    fn press(&mut self, view: &str, keys: &str) {
        let mut rest = keys;
        while let Some(at) = rest.find(ESC) {
            self.tui.send(&rest.as_bytes()[..at]);
            self.tui.send(b"\x1b");
            self.settle(view);
            rest = &rest[at + ESC.len_utf8()..];
        }
        self.tui.send(rest.as_bytes());
    }

    /// Resize the terminal, then check the redrawn view.
    fn resize(&mut self, view: &str, (cols, rows): (u16, u16), expect: Expect) {
        self.tui.resize(cols, rows);
        self.terminal
            .screen_mut()
            .set_size(vt100_size(rows), vt100_size(cols));
        self.phase = Phase::Resized;
        self.expect(&format!("{view}, resized to {cols}x{rows}"), expect);
        self.phase = Phase::Steady;
    }

    /// Wait until the dashboard has written nothing for `QUIET`.
    fn settle(&mut self, view: &str) {
        let deadline = Instant::now() + SETTLE_TIMEOUT;
        let mut last = (self.tui.output_len(), Instant::now());
        loop {
            thread::sleep(Duration::from_millis(25));
            let len = self.tui.output_len();
            if len != last.0 {
                last = (len, Instant::now());
            } else if last.1.elapsed() >= QUIET {
                return;
            }
            if Instant::now() > deadline {
                self.fail(
                    view,
                    "the screen kept changing: is something still loading?",
                );
            }
        }
    }

    fn expect(&mut self, view: &str, expect: Expect) {
        let began = Instant::now();
        // 1. The view has loaded: its markers are on screen.
        let deadline = began + VIEW_TIMEOUT;
        loop {
            self.feed();
            let contents = self.terminal.screen().contents();
            let status_row = contents.lines().nth(usize::from(self.tui.size.1) - 1);
            let status_ok = expect
                .wait_status
                .is_none_or(|p| status_row.is_some_and(|row| row.starts_with(p)));
            if status_ok && expect.wait.iter().all(|t| contents.contains(t)) {
                break;
            }
            if let Some(status) = self.tui.exited() {
                self.fail(view, &format!("opsdeck exited ({status})"));
            }
            if Instant::now() > deadline {
                self.fail(
                    view,
                    &format!("{:?} not on screen within {VIEW_TIMEOUT:?}", expect.wait),
                );
            }
            thread::sleep(Duration::from_millis(20));
        }
        // 2. The frame is complete.
        self.settle(view);
        self.feed();
        self.check(view, &expect);
        if std::env::var_os("OPSDECK_TEST_SHOW_SCREENS").is_some() {
            eprintln!("{}, view `{view}`:\n{}", self.name, self.screen_text());
        }
        self.visited.push((view.to_owned(), began.elapsed()));
    }

    fn check(&mut self, view: &str, expect: &Expect) {
        // The raw bytes since the previous view.
        let output = self.tui.output();
        match scan(&output[self.checked..self.fed], self.phase) {
            Ok(n) => self.checked += n,
            Err(f) => {
                let at = Foreign {
                    at: self.checked + f.at,
                    ..f
                };
                self.fail(
                    view,
                    &format!(
                        "the output holds {} at byte {}: {}",
                        at.what,
                        at.at,
                        context(&output, &at)
                    ),
                );
            }
        }
        // What the terminal was made to do.
        if !self.terminal.callbacks().events.is_empty() {
            let events = self.terminal.callbacks().events.join("; ");
            self.fail(view, &format!("the terminal was acted on: {events}"));
        }
        // The layout.
        let screen = self.terminal.screen();
        let (rows, cols) = screen.size();
        let lines: Vec<String> = screen.rows(0, cols.get()).collect();
        if let Some(row) = (0..rows.get()).find(|&r| screen.row_wrapped(r)) {
            self.fail(view, &format!("row {row} wrapped onto the next row"));
        }
        if !lines[0].starts_with(" opsdeck ") {
            self.fail(view, "the first row is not the header");
        }
        let tabs = lines[2].trim_end();
        if !(tabs.starts_with("  0 Accounts ") || cols.get() < 20) {
            self.fail(view, "the third row is not the pane tabs");
        }
        let status = &lines[usize::from(rows.get()) - 1];
        let allowed = expect
            .wait_status
            .as_ref()
            .map_or(expect.status, std::slice::from_ref);
        if !allowed.iter().any(|s| status.starts_with(s)) {
            self.fail(
                view,
                &format!(
                    "the last row is not the status bar (expected it to begin with one of {:?})",
                    allowed
                ),
            );
        }
        if status.starts_with(HINTS) && !status.is_ascii() {
            self.fail(view, "data leaked into the status bar's hints");
        }
        // The data is shown, visibly.
        let contents = screen.contents();
        if !expect.shows.is_empty() && !expect.shows.iter().any(|s| contents.contains(s)) {
            self.fail(
                view,
                &format!(
                    "none of {:?} is on screen: the hostile data is not shown",
                    expect.shows
                ),
            );
        }
    }

    /// Quit with `q`; the rest of the output (restoring the terminal) is checked too.
    fn quit(mut self) -> Vec<(String, Duration)> {
        self.tui.send(b"q");
        let run = self.tui.finish();
        assert!(
            run.status.success(),
            "{}: opsdeck exited with {}",
            self.name,
            run.status
        );
        // Leaving the alternate screen and showing the cursor are the last bytes; everything
        // before them is still checked.
        let rest = &run.output[self.checked..];
        let end = rest
            .windows(8)
            .rposition(|w| w == b"\x1b[?1049l")
            .unwrap_or(rest.len());
        if let Err(f) = scan(&rest[..end], Phase::Steady) {
            panic!(
                "{}: after the last view the output holds {}: {}",
                self.name,
                f.what,
                context(rest, &f)
            );
        }
        eprintln!("{} took {:?}:", self.name, self.started.elapsed());
        for (view, took) in &self.visited {
            eprintln!("  {took:>10.2?}  {view}");
        }
        self.visited
    }
}

/// The dashboard as `account`, on a known terminal type, with a UI clock faster than `QUIET`:
/// while anything loads the spinner is redrawn every tick, so output quiet for `QUIET` means
/// the view has finished loading, not merely that a tick has not come yet.
fn dashboard(account: &TestAccount) -> Command {
    let config = support::scratch_dir().join("config.toml");
    std::fs::write(&config, "[ui]\ntick_ms = 100\n").expect("write the test config");
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

// ---------------------------------------------------------------- self-tests

/// Bytes shaped like a frame of the dashboard: position, style, text, resets.
fn frame_with(text: &str) -> Vec<u8> {
    let mut out = b"\x1b[3;1H\x1b[1m opsdeck \x1b[0m\x1b[4;2H".to_vec();
    out.extend_from_slice(text.as_bytes());
    out.extend_from_slice(b"\x1b[39m\x1b[49m\x1b[59m\x1b[0m\x1b[?25l");
    out
}

#[test]
fn the_stream_checker_catches_every_attack_written_raw() {
    // Every hostile string but the wide one (which is plain text) is caught raw, in any phase,
    // and each of them again inside the 10,000-character value's mix.
    for attack in HOSTILE.iter().copied().filter(|&s| s != WIDE) {
        let bytes = frame_with(attack);
        for phase in [Phase::Start, Phase::Resized, Phase::Steady] {
            assert!(
                scan(&bytes, phase).is_err(),
                "{attack:?} passed the checker in {phase:?}"
            );
        }
    }
    assert_eq!(
        scan(&frame_with(WIDE), Phase::Steady).unwrap(),
        frame_with(WIDE).len()
    );
    for piece in ["\u{202e}", "\u{9b}"] {
        assert!(scan(&frame_with(&format!("漢e\u{301}{piece}x")), Phase::Steady).is_err());
    }
    // The long value starts with a colour; NO_COLOR frames have none.
    assert!(scan(&frame_with(&long_value()), Phase::Steady).is_err());
    // Sequences that look like the dashboard's own but are not, in a steady frame.
    for foreign in [
        "\x1b[2J",
        "\x1b[H",
        "\x1b[?1049l",
        "\x1b[?1049h",
        "\x1b[6n",
        "\x1b[31m",
        "\x1b[38;5;1m",
        "\x1b[?1000h",
        "\x1bc",
        "\x1b7",
        "\x1b[1 q",
        "\u{9b}2J",
    ] {
        assert!(
            scan(&frame_with(foreign), Phase::Steady).is_err(),
            "{foreign:?} passed the checker"
        );
    }
}

#[test]
fn the_stream_checker_accepts_the_dashboards_own_output_and_waits_for_cut_sequences() {
    let safe = format!("{WIDE} e\u{301}\u{302} nj\u{200d}j ␛]0;title␇ <U+202E>");
    let frame = frame_with(&safe);
    assert_eq!(scan(&frame, Phase::Steady).unwrap(), frame.len());
    let start = b"\x1b[?1049h\x1b[?25l\x1b[2J\x1b[1;1Hx";
    assert_eq!(scan(start, Phase::Start).unwrap(), start.len());
    assert!(scan(start, Phase::Steady).is_err());
    assert!(scan(b"\x1b[2J", Phase::Resized).is_ok());
    // A sequence or character cut off by a read boundary is left for the next read.
    assert_eq!(scan(b"ab\x1b[12;", Phase::Steady).unwrap(), 2);
    assert_eq!(scan(b"ab\x1b", Phase::Steady).unwrap(), 2);
    assert_eq!(
        scan("ab漢".as_bytes().split_at(4).0, Phase::Steady).unwrap(),
        2
    );
}

#[test]
fn the_emulated_terminal_marks_a_row_written_past_its_width() {
    // The layout check relies on this: a cell wider on the terminal than ratatui thought pushes
    // the rest of its row past the last column, and the terminal wraps it onto the next row.
    let mut terminal = vt100::Parser::new(vt100_size(3), vt100_size(10), 0);
    terminal.process("\x1b[1;1H0123456789".as_bytes());
    assert!(!terminal.screen().row_wrapped(0));
    terminal.process("\x1b[2;1H漢字漢字漢x".as_bytes());
    assert!(terminal.screen().row_wrapped(1));
}

#[test]
fn the_emulated_terminal_reports_what_the_attacks_would_do() {
    for attack in [OSC_TITLE, OSC_CLIPBOARD, OSC_HYPERLINK, CSI, C0, C1] {
        let mut terminal = vt100::Parser::new_with_callbacks(
            vt100_size(24),
            vt100_size(80),
            0,
            Recorder::default(),
        );
        terminal.process(attack.as_bytes());
        assert!(
            !terminal.callbacks().events.is_empty(),
            "{attack:?} did nothing the recorder saw"
        );
    }
}

// ---------------------------------------------------------------- Accounts and DNS

/// Names of the member accounts: an OSC title, CSI and C0, C1 and bidi with invisible and
/// wide characters, and 10,000 characters. Organizations speaks JSON, so C0 gets through.
fn account_names() -> Vec<String> {
    vec![
        format!("acct {OSC_TITLE}"),
        format!("acct {CSI}{C0}"),
        format!("acct {C1}{BIDI}{ZERO_WIDTH_AND_COMBINING}{WIDE}"),
        long_value(),
    ]
}

/// The apex of the hostile zones.
const APEX: &str = "hostile.example.test";
/// A zone under it whose name carries an OSC title as Route 53 octal escapes (names are shown
/// decoded, so the dashboard gets a real ESC and BEL).
const ESCAPED_CHILD: &str = "k\\033]0;zone-title\\007.hostile.example.test";

/// An organisation of hostile-named accounts managed by `account`, and Route 53 data in it:
/// TXT values, record and zone names, zone comments, and a stale delegation.
async fn seed_org_and_dns(account: &TestAccount) {
    let org = aws_sdk_organizations::Client::new(&account.sdk);
    org.create_organization()
        .feature_set(aws_sdk_organizations::types::OrganizationFeatureSet::All)
        .send()
        .await
        .expect("create organization");
    for (i, name) in account_names().into_iter().enumerate() {
        org.create_account()
            .account_name(name)
            .email(format!("ops+{i}{}@example.com", HOSTILE[i % HOSTILE.len()]))
            .send()
            .await
            .expect("the emulator takes hostile account names");
    }

    let r53 = Route53::new(&account.sdk);
    // XML carries no C0: comments and values get C1, bidi, invisible and wide characters.
    let long: String = long_value().chars().filter(|&c| c >= ' ').collect();
    let long = long.repeat(2).chars().take(10_000).collect::<String>();
    let zone = hostile::create_zone(&r53, APEX, Some(&format!("{C1}{BIDI}"))).await;
    hostile::create_zone(&r53, ESCAPED_CHILD, Some(&long)).await;
    let dns_escaped = "\\033]0;title\\007 \\033[2J \\233";
    for (i, value) in [C1, BIDI, ZERO_WIDTH_AND_COMBINING, WIDE, dns_escaped, &long]
        .into_iter()
        .enumerate()
    {
        hostile::upsert_txt(
            &r53,
            &zone,
            &format!("t{i}.{APEX}"),
            &format!("\"{value}\""),
        )
        .await
        .unwrap_or_else(|e| panic!("the emulator rejects TXT {value:?}: {e}"));
    }
    for name in [
        format!("e\\033]0;record-title\\007.{APEX}"),
        format!("c\\233x.{APEX}"),
        // Bidi controls go in raw (names allow no spaces, so not the whole BIDI string).
        format!("b\u{202e}fdp\u{2066}x.{APEX}"),
    ] {
        hostile::upsert_txt(&r53, &zone, &name, &format!("\"{C1}\""))
            .await
            .unwrap_or_else(|e| panic!("the emulator rejects the name {name:?}: {e}"));
    }
    // The parent's NS set names servers the child zone does not have: a stale delegation.
    hostile::upsert_record(
        &r53,
        &zone,
        ESCAPED_CHILD,
        RrType::Ns,
        &["ns-1.stale.example.net.", "ns-2.stale.example.net."],
    )
    .await
    .expect("NS record of the child");
}

/// Accounts, then DNS: hosted zones → the organisation's accounts → all records → one
/// account's zones → a zone's records → who serves a record → delegations → `:find`; help,
/// the filter prompt; and last a hostile-named account made current (its name in the header).
fn walk_accounts_and_dns(account: &TestAccount, size: (u16, u16)) {
    let name_marker = "␛]0;pwned";
    let mut walk = Walk::start(
        "accounts and DNS",
        dashboard(account),
        size,
        Expect::view(&["Accounts", "NAME", "ok"]),
    );
    walk.view(
        "help over the accounts",
        "?",
        Expect::view(&["Keys", "help: j/k scroll"]).shows(&[]),
    );
    walk.view("accounts", "⎋", Expect::view(&["NAME", "ID"]).shows(&["␛"]));
    walk.view(
        "the filter prompt over the accounts",
        "/acct",
        Expect::view(&["NAME"]).status(&["/acct"]),
    );
    walk.view("accounts, filtered", "\r", Expect::view(&["filter:"]));
    walk.view("accounts", "⎋", Expect::view(&["NAME"]));

    walk.view(
        "DNS hosted zones",
        "2",
        Expect::view(&["Hosted zones", "hostile.example"]),
    );
    walk.view(
        "DNS organisation accounts",
        "⎋",
        Expect::view(&["Organisation DNS", "5 accounts at"]),
    );
    walk.view(
        "DNS all records",
        "\r",
        Expect::view(&["All records", "t0.hostile"]),
    );
    walk.view(
        "DNS all records, scrolled",
        "G",
        Expect::view(&["All records"]),
    );
    // A resize redraws everything after clearing the screen: the one other time `ESC[2J` is
    // the dashboard's own. Wide characters and long values must hold the layout at any size.
    for to in [(80, 24), (41, 13), size] {
        walk.resize("DNS all records", to, Expect::view(&["All records"]));
    }
    walk.view(
        "DNS organisation accounts",
        "⎋",
        Expect::view(&["Organisation DNS"]),
    );
    walk.view(
        "DNS zones of a hostile-named account (none)",
        "/after-title\r\r",
        Expect::view(&["Zones of acct ␛]0;pwned"]),
    );
    walk.view(
        "DNS organisation accounts, filtered",
        "⎋",
        Expect::view(&["Organisation DNS"]),
    );
    walk.view(
        "DNS organisation accounts",
        "⎋",
        Expect::view(&["Organisation DNS 7 shown"]),
    );
    // The rows: all records, delegations, then the accounts in the inventory's order; the
    // management account has the zones.
    walk.view(
        "DNS accounts, filtered to the management account",
        &format!("/{}\r", account.id),
        Expect::view(&["Organisation DNS 1 shown"]).shows(&[]),
    );
    walk.view(
        "DNS zones of the management account",
        "\r",
        Expect::view(&["Zones of", "hostile.e"]),
    );
    walk.view(
        "DNS records of the apex zone",
        &format!("/'{APEX} \r\r"),
        Expect::view(&["Records of hostile.example", "t1.hostile"]),
    );
    walk.view(
        "DNS who serves a hostile-named record",
        "/record-title\r\r",
        Expect::view(&["Who serves e␛]0;record-title␇"]),
    );
    walk.view(
        "DNS delegations",
        ":delegations\r",
        Expect::view(&["Delegations"]),
    );
    walk.view(
        "DNS who serves the hostile child zone",
        "\r",
        Expect::view(&["Who serves k␛]0;zone-title␇"]),
    );
    // Typed with Route 53's octal escape, which finds the record whose decoded name holds a C1
    // CSI.
    walk.view(
        "DNS :find of a name typed with an escaped C1 control",
        &format!(":find c\\233x.{APEX}\r"),
        Expect::view(&["Who serves c\\233x.hostile", "record"]).shows(&["c<U+009B>x"]),
    );

    walk.view("Accounts again", "0", Expect::view(&["NAME"]));
    walk.view(
        "a hostile-named account made current",
        "/after-title\r\r",
        Expect::view(&["●"])
            .shows(&[name_marker])
            .status(&[" current account: acct ␛]0;pwned", HINTS]),
    );
    if walk
        .terminal
        .screen()
        .contents()
        .lines()
        .next()
        .is_none_or(|l| !l.contains(name_marker))
    {
        walk.fail(
            "a hostile-named account made current",
            "the header does not show the current account's name",
        );
    }
    walk.quit();
}

#[test]
fn accounts_and_dns_views_show_hostile_names_records_and_zones_harmlessly() {
    let account = block_on(support::isolated_account());
    block_on(seed_org_and_dns(&account));
    walk_accounts_and_dns(&account, WIDE_SIZE);
    walk_accounts_and_dns(&account, NARROW_SIZE);
}

// ---------------------------------------------------------------- Tenants

/// A pool named with an OSC title and bidi controls, and a plain one, so the pool list shows.
const POOL: &str = "tenants";

/// The hostile pool's tenants (`acme`, one named with an OSC title, one with bidi controls),
/// group descriptions, users with hostile emails, `name` attributes and usernames.
async fn seed_tenants(account: &TestAccount) {
    let cognito = Cognito::new(&account.sdk);
    let pool = hostile::create_pool(&cognito, &format!("{POOL} {OSC_TITLE}{BIDI}")).await;
    hostile::create_pool(&cognito, "plain").await;
    let osc_tenant = format!("{OSC_TITLE}:admin");
    let bidi_tenant = format!("{BIDI}:member");
    let all = HOSTILE.join(" | ");
    let long = long_value();
    for (group, description) in [
        ("acme:admin", all.as_str()),
        ("acme:member", long.as_str()),
        (osc_tenant.as_str(), CSI),
        (bidi_tenant.as_str(), C0),
    ] {
        hostile::create_group(&cognito, &pool, group, description).await;
    }
    for (i, name) in HOSTILE.iter().copied().chain([long.as_str()]).enumerate() {
        let hostile = HOSTILE[i % HOSTILE.len()];
        let group = if i % 2 == 0 {
            "acme:admin"
        } else {
            "acme:member"
        };
        hostile::create_user(
            &cognito,
            &pool,
            &format!("user{i}"),
            &format!("user{i}{hostile}@example.com"),
            name,
            group,
        )
        .await;
    }
    let evil = format!("evil-user {OSC_TITLE}{BIDI}");
    hostile::create_user(
        &cognito,
        &pool,
        &evil,
        &format!("evil{CSI}@example.com"),
        OSC_HYPERLINK,
        &osc_tenant,
    )
    .await;
    cognito
        .admin_add_user_to_group()
        .user_pool_id(&pool)
        .username(&evil)
        .group_name("acme:admin")
        .send()
        .await
        .unwrap();
}

/// A CSV file whose bad rows quote hostile text back in the import report.
fn hostile_csv(dir: &Path) -> String {
    let path = dir.join("hostile.csv");
    let mut text = String::from("email,role,name\n");
    text.push_str(&format!("\"{OSC_TITLE}@example.com\",admin,x\n"));
    text.push_str(&format!("\"ok{C1}@example.com\",\"{CSI}\",\"{BIDI}\"\n"));
    text.push_str(&format!(
        "\"{WIDE}{ZERO_WIDTH_AND_COMBINING}@example.com\",member,y\n"
    ));
    std::fs::write(&path, text).expect("write the CSV file");
    path.display().to_string()
}

/// Pools → tenants → a tenant's users → a user → user actions → the removal plan → CSV import
/// report → the force-delete question of a hostile tenant → the user search and its results
/// → a found user.
fn walk_tenants(account: &TestAccount, size: (u16, u16), csv: &str) {
    let mut walk = Walk::start(
        "tenants",
        dashboard(account),
        size,
        Expect::view(&["NAME", "from Organizations at"]).shows(&[]),
    );
    walk.view("user pools", "1", Expect::view(&["User pools", "plain"]));
    walk.view(
        "tenants of the hostile pool",
        &format!("/^{POOL}\r\r"),
        Expect::view(&["Tenants of", "acme", "admin="]),
    );
    walk.view(
        "help over the tenants",
        "?",
        Expect::view(&["Keys", "help: j/k scroll"]).shows(&[]),
    );
    walk.view("tenants", "⎋", Expect::view(&["Tenants of"]));
    walk.view(
        "users of acme",
        "/^acme\r\r",
        Expect::view(&["Users of tenant acme", "user1"]),
    );
    walk.view(
        "users of acme, the last page",
        "G",
        Expect::view(&["Users of tenant acme"]),
    );
    walk.view(
        "a user with a hostile username",
        "/'evil-user\r\r",
        Expect::view(&["User evil-user", "preferred MFA"]),
    );
    walk.view(
        "the user's actions",
        "c",
        Expect::view(&["change role", "resend"]),
    );
    walk.view("the user again", "⎋", Expect::view(&["User evil-user"]));
    walk.view(
        "the plan to remove the user",
        "d",
        Expect::view(&["confirm a change", "(Esc cancels)", ANSWER]),
    );
    walk.view("the user again", "⎋", Expect::view(&["User evil-user"]));
    walk.view(
        "users of acme",
        "⎋",
        Expect::view(&["Users of tenant acme"]),
    );
    walk.view(
        "a user with a 10,000-character name",
        "⎋/'user9\r\r",
        Expect::view(&["User user9", "preferred MFA"]),
    );
    walk.view(
        "users of acme",
        "⎋⎋",
        Expect::view(&["Users of tenant acme"]),
    );
    walk.view(
        "the CSV import form",
        "w",
        Expect::view(&["Import users"]).shows(&[]),
    );
    walk.view(
        "the CSV import report",
        &format!("{csv}\r"),
        Expect::view(&["line 2: `␛]0;pwned", "line 4"]),
    );
    walk.view(
        "users of acme",
        "⎋",
        Expect::view(&["Users of tenant acme"]),
    );
    walk.view("tenants", "⎋⎋", Expect::view(&["Tenants of"]));
    walk.view(
        "the force-delete question of a hostile tenant",
        // The tenant named with an OSC title sorts first (ESC sorts before letters).
        "gd",
        Expect::view(&[
            "Delete tenant ␛]0;pw",
            "delete its groups anyway?",
            "f force",
        ]),
    );
    walk.view("tenants", "⎋", Expect::view(&["Tenants of"]));
    walk.view(
        "the user search form",
        "w",
        Expect::view(&["Search the pool"]).shows(&[]),
    );
    walk.view(
        "users found by email prefix",
        "user\r",
        Expect::view(&["Users whose email starts with user", "user9"]),
    );
    walk.view(
        "a found user",
        "/'user3\r\r",
        Expect::view(&["User user3", "preferred MFA"]),
    );
    walk.quit();
}

#[test]
fn tenants_views_show_hostile_pools_tenants_users_and_reports_harmlessly() {
    let account = block_on(support::isolated_account());
    block_on(seed_tenants(&account));
    let csv = hostile_csv(&support::scratch_dir());
    walk_tenants(&account, WIDE_SIZE, &csv);
    walk_tenants(&account, NARROW_SIZE, &csv);
}

// ---------------------------------------------------------------- Workflows

const FAILED: &str = "fails";
const SUCCEEDED: &str = "succeeds";
const RUNNING: &str = "waits";

/// The running execution the pass at `size` stops: CSI and C1 in the name.
fn running_name((cols, _): (u16, u16)) -> String {
    format!("{RUNNING}{cols}{CSI}{C1}")
}

/// The machine of tests/hostile.rs (a state named with CSI and bidi controls, a Pass result
/// with OSC 52, a Fail with an OSC 8 error and a cause of OSC title, C0, C1 and 10,000
/// characters), plus a task no execution reaches with a hostile resource, retry and catch, and
/// executions named with hostile strings; a second machine waits an hour, so
/// one hostile-named execution runs.
async fn seed_workflows(account: &TestAccount) {
    let sfn = Sfn::new(&account.sdk);
    let long = long_value();
    let state = format!("Step {CSI}{BIDI}");
    let cause = format!("{OSC_TITLE}{C0}{C1}{long}");
    let error = format!("Err.{OSC_HYPERLINK}");
    let definition = json!({
        "StartAt": state,
        "States": {
            state.clone(): {"Type": "Pass", "Result": {"echo": OSC_CLIPBOARD}, "ResultPath": "$.echo", "Next": "Decide"},
            "Decide": {"Type": "Choice", "Choices": [
                {"Variable": "$.fail", "BooleanEquals": true, "Next": "Boom"},
                {"Variable": "$.never", "BooleanEquals": true, "Next": "Unreached"}
            ], "Default": "Done"},
            // Never run, only drawn in the graph: a resource, retry and catch of hostile text.
            "Unreached": {
                "Type": "Task",
                "Resource": format!("arn:aws:lambda:us-east-1:{}:function:f{OSC_TITLE}", account.id),
                "Retry": [{"ErrorEquals": [format!("Err.{CSI}")]}],
                "Catch": [{"ErrorEquals": [format!("Err.{BIDI}")], "Next": "Boom"}],
                "End": true
            },
            "Boom": {"Type": "Fail", "Error": error, "Cause": cause},
            "Done": {"Type": "Succeed"}
        }
    });
    let role = format!("arn:aws:iam::{}:role/sfn", account.id);
    let create = |name: &'static str, definition: String| {
        let sfn = &sfn;
        let role = &role;
        async move {
            sfn.create_state_machine()
                .name(name)
                .r#type(StateMachineType::Standard)
                .role_arn(role)
                .definition(definition)
                .send()
                .await
                .expect("the emulator takes hostile state names")
                .state_machine_arn
        }
    };
    let machine = create("hostile", definition.to_string()).await;
    let waiter = create(
        "waiter",
        json!({"StartAt": "Wait", "States": {"Wait": {"Type": "Wait", "Seconds": 3600, "End": true}}})
            .to_string(),
    )
    .await;
    for (prefix, fail) in [(FAILED, true), (SUCCEEDED, false)] {
        let input = json!({"fail": fail, "hostile": HOSTILE, "long": long}).to_string();
        let arn = sfn
            .start_execution()
            .state_machine_arn(&machine)
            .name(format!("{prefix}{OSC_TITLE}{BIDI}"))
            .input(&input)
            .send()
            .await
            .expect("the emulator takes hostile execution names")
            .execution_arn;
        let expected = if fail {
            ExecutionStatus::Failed
        } else {
            ExecutionStatus::Succeeded
        };
        assert_eq!(hostile::wait_for_end(&sfn, &arn).await, expected);
    }
    // One per pass of the walk: each pass stops one.
    for size in [WIDE_SIZE, NARROW_SIZE] {
        sfn.start_execution()
            .state_machine_arn(&waiter)
            .name(running_name(size))
            .input(json!({"hostile": HOSTILE}).to_string())
            .send()
            .await
            .expect("start the waiting execution");
    }
}

/// Machines → executions (status filters, failures first) → a failed execution: summary,
/// timeline and its input/output, graph, events and an event's JSON, the rerun form and its
/// error → a succeeded execution's events and output → the running execution's stop form and
/// plan.
fn walk_workflows(account: &TestAccount, size: (u16, u16)) {
    let mut walk = Walk::start(
        "workflows",
        dashboard(account),
        size,
        Expect::view(&["NAME", "from Organizations at"]).shows(&[]),
    );
    walk.view(
        "state machines",
        "3",
        Expect::view(&["State machines", "hostil", "waiter"]).shows(&[]),
    );
    walk.view(
        "executions of the hostile machine",
        "/^hostile\r\r",
        Expect::view(&["Executions of hostile", "FAILED", "SUCCEEDED"]),
    );
    walk.view(
        "failed executions",
        "F",
        Expect::view(&["Executions of hostile 1 loaded, 0 running, 1 failed"]),
    );
    walk.view(
        "the failed execution: summary",
        "\rs",
        Expect::view(&["cause", "error"]),
    );
    walk.view(
        "the failed execution: timeline",
        "t",
        Expect::view(&["STATE", "Boom"]),
    );
    walk.view(
        "the first state's input and output",
        "g\r",
        Expect::view(&["Esc close"]),
    );
    walk.view(
        "the input and output, scrolled",
        "jjjj",
        Expect::view(&["Esc close"]),
    );
    walk.view(
        "the input and output, a page on",
        PAGE_DOWN,
        Expect::view(&["Esc close"]),
    );
    walk.view(
        "the failed execution: graph",
        "⎋v",
        Expect::view(&["┃ Decide", "┃ Unreached"]),
    );
    walk.view(
        "the failed execution: events",
        "h",
        Expect::view(&["ExecutionStart"]),
    );
    walk.view(
        "the failed execution: the first event's JSON",
        "g\r",
        Expect::view(&["Esc close"]),
    );
    walk.view(
        "the failed execution: the last event's JSON",
        "⎋G\r",
        Expect::view(&["Esc close"]),
    );
    walk.view(
        "the rerun form",
        "⎋n",
        Expect::view(&["start an execution", "State machine hostile", "Esc cancels"]),
    );
    walk.view(
        "the rerun form's error",
        "\r",
        Expect::view(&["an execution name cannot contain"]),
    );
    walk.view(
        "the plan to redrive the failed execution",
        "⎋x",
        Expect::view(&["confirm a change", "Proceed?", ANSWER]),
    );
    // The emulator has no redrive (HTTP 500): the change fails; its report and its error
    // notice name the execution.
    walk.view(
        "the failed redrive's report and error",
        "y\r",
        Expect::view(&["stopped: Redrive execution fails␛]0;", "FAILED: 1."])
            .notice(" Redrive execution fails␛]0;"),
    );
    walk.view(
        "the failed execution, the report closed",
        "⎋",
        Expect::view(&["ExecutionFailed"]),
    );
    walk.view(
        "executions, failed only",
        "⎋",
        Expect::view(&["Executions of hostile 1 loaded, 0 running, 1 failed"]),
    );
    walk.view(
        "succeeded executions",
        "S",
        Expect::view(&["Executions of hostile 1 loaded, 0 running, 0 failed"]),
    );
    walk.view(
        "the succeeded execution: events",
        "\rh",
        Expect::view(&["ExecutionSucceeded"]),
    );
    walk.view(
        "the succeeded execution: its output",
        "G\r",
        Expect::view(&["Esc close"]),
    );
    walk.view(
        "every execution, failures first",
        "⎋⎋*!",
        Expect::view(&["Executions of hostile 2 loaded"]),
    );
    walk.view(
        "executions of the waiting machine",
        "⎋⎋/^waiter\r\r",
        Expect::view(&["Executions of waiter", "RUNNING"]),
    );
    let running = running_name(size);
    walk.view(
        "the running execution this pass stops",
        &format!("/'{RUNNING}{}\r", size.0),
        Expect::view(&["Executions of waiter", "RUNNING"]),
    );
    walk.view(
        "the stop form of the running execution",
        "d",
        Expect::view(&["stop an execution"]),
    );
    walk.view(
        "the plan to stop it",
        "\r",
        Expect::view(&["confirm a change", "(Esc cancels)", ANSWER]),
    );
    // A destructive plan wants the name typed as the screen shows it: made safe.
    let typed = opsdeck::domain::sanitize::sanitize(&running).into_owned();
    walk.view(
        "the plan, the execution's name typed",
        &typed,
        Expect::view(&[&format!("│> {RUNNING}{}␛[2J", size.0)]),
    );
    let done = format!(" done: Stop execution {RUNNING}{}␛[2J", size.0);
    walk.view(
        "the stopped execution, and the notice naming it",
        "\r",
        Expect::view(&["ABORTED"]).notice(&done),
    );
    walk.quit();
}

#[test]
fn workflows_views_show_hostile_executions_states_and_causes_harmlessly() {
    let account = block_on(support::isolated_account());
    block_on(seed_workflows(&account));
    walk_workflows(&account, WIDE_SIZE);
    walk_workflows(&account, NARROW_SIZE);
}
