//! Terminal set-up and restore: raw mode and the alternate screen on the way in; restored on
//! normal exit, on error, on panic (ratatui's hook), on signals, and around Ctrl-Z.

use std::io::{self, Write};

use crossterm::execute;
use crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::DefaultTerminal;

/// Take over the terminal. Installs the panic hook that restores it before the panic message.
pub fn enter() -> io::Result<DefaultTerminal> {
    ratatui::try_init()
}

/// Give the terminal back: leave the alternate screen, show the cursor, raw mode off.
pub fn leave() -> io::Result<()> {
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
    terminal.clear()
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

/// Used when the TUI fails to start half-way, so the shell is never left in raw mode.
pub fn emergency_restore() {
    let _ = disable_raw_mode();
    let _ = execute!(io::stdout(), LeaveAlternateScreen, crossterm::cursor::Show);
}
