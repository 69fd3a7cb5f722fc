//! Terminal set-up and restore: raw mode, the alternate screen and (opt-in) mouse capture on the
//! way in; restored on normal exit, on error, on panic (ratatui's hook), on signals, and around
//! Ctrl-Z and the external editor.

use std::io::{self, Write};
use std::sync::atomic::{AtomicBool, Ordering};

use crossterm::event::{DisableMouseCapture, EnableMouseCapture};
use crossterm::execute;
use crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::DefaultTerminal;

/// Whether the dashboard captures the mouse (`ui.mouse = true`), so every way out gives it back.
static MOUSE: AtomicBool = AtomicBool::new(false);

/// Turn mouse capture back on after the terminal was given away, if it was on.
fn capture_mouse_again() -> io::Result<()> {
    if MOUSE.load(Ordering::Relaxed) {
        execute!(io::stdout(), EnableMouseCapture)?;
    }
    Ok(())
}

/// Give the mouse back to the terminal (its own text selection), if it was captured.
fn release_mouse() {
    if MOUSE.load(Ordering::Relaxed) {
        let _ = execute!(io::stdout(), DisableMouseCapture);
    }
}

/// Take over the terminal, with mouse capture when `mouse` (off by default in the config, so the
/// terminal's own text selection keeps working). Installs the panic hook that restores it before
/// the panic message.
pub fn enter(mouse: bool) -> io::Result<DefaultTerminal> {
    let terminal = ratatui::try_init()?;
    MOUSE.store(mouse, Ordering::Relaxed);
    capture_mouse_again()?;
    // ratatui's hook turns raw mode off and leaves the alternate screen but leaves the cursor
    // hidden: it only reappears when unwinding drops the terminal, after the message (and never
    // with panic=abort). Show it first, then let ratatui's hook restore and print.
    let restore_and_report = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        release_mouse();
        let _ = execute!(io::stdout(), crossterm::cursor::Show);
        restore_and_report(info);
    }));
    Ok(terminal)
}

/// Give the terminal back: release the mouse, leave the alternate screen, show the cursor, raw
/// mode off.
pub fn leave() -> io::Result<()> {
    release_mouse();
    ratatui::try_restore()
}

/// Ctrl-Z: give the terminal back, stop like any job, and take it again when the shell resumes us.
pub fn suspend(terminal: &mut DefaultTerminal) -> io::Result<()> {
    leave()?;
    // SAFETY: raise() only sends a signal to this process; SIGTSTP's default action stops it and
    // execution continues here after SIGCONT.
    unsafe {
        libc::raise(libc::SIGTSTP);
    }
    enable_raw_mode()?;
    execute!(io::stdout(), EnterAlternateScreen)?;
    capture_mouse_again()?;
    terminal.clear()
}

/// Give the terminal to the operator's editor ($VISUAL, $EDITOR, else `vi`) on a temporary copy of
/// `text`, and take it back when the editor exits. The edited text, or why the editor failed.
pub fn edit_externally(terminal: &mut DefaultTerminal, text: &str) -> Result<String, String> {
    let edited = (|| {
        let mut file = tempfile::Builder::new()
            .prefix("opsdeck-")
            .suffix(".json")
            .tempfile()
            .map_err(|e| format!("cannot create a temporary file: {e}"))?;
        file.write_all(text.as_bytes())
            .and_then(|()| file.flush())
            .map_err(|e| format!("cannot write the temporary file: {e}"))?;
        let editor = std::env::var("VISUAL")
            .or_else(|_| std::env::var("EDITOR"))
            .unwrap_or_else(|_| "vi".to_owned());
        leave().map_err(|e| e.to_string())?;
        // Through the shell, so an editor with arguments (`code --wait`) works as in git.
        let status = std::process::Command::new("sh")
            .arg("-c")
            .arg(format!("{editor} \"$1\""))
            .arg("opsdeck-editor")
            .arg(file.path())
            .status();
        match status {
            Ok(s) if s.success() => std::fs::read_to_string(file.path())
                .map_err(|e| format!("cannot read the edited file: {e}")),
            Ok(s) => Err(format!("`{editor}` exited with {s}; nothing was changed")),
            Err(e) => Err(format!("cannot run `{editor}`: {e}")),
        }
    })();
    let back = enable_raw_mode()
        .and_then(|()| execute!(io::stdout(), EnterAlternateScreen))
        .and_then(|()| capture_mouse_again())
        .and_then(|()| terminal.clear());
    match back {
        Ok(()) => edited,
        Err(e) => Err(format!("cannot take the terminal back: {e}")),
    }
}

/// Put text on the terminal's clipboard with OSC 52 (works over SSH and in tmux with
/// `set-clipboard on`). The payload is base64, so nothing in `text` can escape the sequence.
pub fn osc52_copy(text: &str) -> io::Result<()> {
    use base64::Engine;
    let payload = base64::engine::general_purpose::STANDARD.encode(text);
    let mut out = io::stdout().lock();
    write!(out, "\x1b]52;c;{payload}\x07")?;
    out.flush()
}

/// Ring the terminal bell (BEL): the terminal beeps, flashes or marks the tab, as its owner set
/// it up.
pub fn bell() -> io::Result<()> {
    let mut out = io::stdout().lock();
    out.write_all(b"\x07")?;
    out.flush()
}

/// Used when the TUI fails to start half-way, so the shell is never left in raw mode.
pub fn emergency_restore() {
    release_mouse();
    let _ = disable_raw_mode();
    let _ = execute!(io::stdout(), LeaveAlternateScreen, crossterm::cursor::Show);
}
