//! Walking the views in the pty: each step types its keys, waits for the view to load and settle,
//! and checks the bytes written and the emulated screen against what the view must show (`Expect`).

use std::process::Command;
use std::thread;
use std::time::{Duration, Instant};

use crate::checker::{Foreign, Phase, Recorder, context, scan};
use crate::pty::{Tui, vt100_size};

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
pub(crate) const PAGE_DOWN: &str = "\x1b[6~";
/// The confirmation dialog's answer line (the dialog promises it always stays visible).
pub(crate) const ANSWER: &str = "│> ";
/// What the hints of the status bar begin with.
pub(crate) const HINTS: &str = " ? help";
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
pub(crate) struct Expect<'a> {
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
    pub(crate) const fn view(wait: &'a [&'a str]) -> Self {
        Expect {
            wait,
            shows: &SAFE,
            status: &STATUS,
            wait_status: None,
        }
    }

    /// Wait for the status bar to begin with `prefix`, and accept only that there.
    pub(crate) const fn notice(mut self, prefix: &'a str) -> Self {
        self.wait_status = Some(prefix);
        self
    }

    pub(crate) const fn status(mut self, status: &'a [&'a str]) -> Self {
        self.status = status;
        self
    }

    pub(crate) const fn shows(mut self, shows: &'a [&'a str]) -> Self {
        self.shows = shows;
        self
    }
}

/// The dashboard in a pty and the checks of every view it shows.
pub(crate) struct Walk {
    tui: Tui,
    /// What is walked, at which size: the prefix of every failure message.
    name: String,
    pub(crate) terminal: vt100::Parser<Recorder>,
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
    pub(crate) fn start(
        name: &str,
        command: Command,
        (cols, rows): (u16, u16),
        first: Expect,
    ) -> Walk {
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

    pub(crate) fn fail(&self, view: &str, problem: &str) -> ! {
        panic!(
            "{}, view `{view}`: {problem}\nscreen:\n{}",
            self.name,
            self.screen_text()
        );
    }

    /// Press `keys`, then check the view they lead to.
    pub(crate) fn view(&mut self, view: &str, keys: &str, expect: Expect) {
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
    pub(crate) fn resize(&mut self, view: &str, (cols, rows): (u16, u16), expect: Expect) {
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
    pub(crate) fn quit(mut self) -> Vec<(String, Duration)> {
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
