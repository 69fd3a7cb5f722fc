//! The TUI's event loop: input wins (biased select), results are drained in batches, and the screen
//! is drawn once per batch and only when something changed.

use std::time::Duration;

use anyhow::Context;
use crossterm::event::{Event, EventStream};
use futures::StreamExt;
use tokio::signal::unix::{SignalKind, signal};
use tokio::sync::mpsc;

use super::Runtime;
use crate::app::{Effect, Msg, State, update};
use crate::terminal;
use crate::ui::{self, Theme};

/// Run the dashboard until the operator quits or a signal asks us to stop.
pub async fn run_tui(
    mut state: State,
    mut runtime: Runtime,
    mut results: mpsc::UnboundedReceiver<Msg>,
    theme: Theme,
    tick: Duration,
    mouse: bool,
) -> anyhow::Result<()> {
    let mut terminal = terminal::enter(mouse).context("cannot take over the terminal")?;
    let outcome = drive(
        &mut state,
        &mut runtime,
        &mut results,
        &theme,
        tick,
        &mut terminal,
    )
    .await;
    terminal::leave().context("cannot restore the terminal")?;
    outcome
}

async fn drive(
    state: &mut State,
    runtime: &mut Runtime,
    results: &mut mpsc::UnboundedReceiver<Msg>,
    theme: &Theme,
    tick: Duration,
    terminal: &mut ratatui::DefaultTerminal,
) -> anyhow::Result<()> {
    let mut sigterm = signal(SignalKind::terminate())?;
    let mut sighup = signal(SignalKind::hangup())?;
    let mut sigint = signal(SignalKind::interrupt())?;
    let mut events = EventStream::new();
    let mut ticker = tokio::time::interval(tick);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);

    let size = terminal.size()?;
    state.now = chrono::Utc::now();
    update(state, Msg::Resize(size.width, size.height));
    let effects = state.start();
    perform(effects, runtime, terminal)?;
    terminal.draw(|f| ui::render(state, theme, f))?;
    panic_if_asked_by_a_test();

    while state.running {
        let first = tokio::select! {
            biased;
            event = events.next() => match event {
                Some(Ok(Event::Key(key))) => Msg::Key(key),
                // Only with `ui.mouse = true`: the capture is off otherwise.
                Some(Ok(Event::Mouse(mouse))) => Msg::Mouse(mouse),
                Some(Ok(Event::Resize(w, h))) => Msg::Resize(w, h),
                Some(Ok(_)) => continue,
                Some(Err(e)) => return Err(e).context("reading terminal input"),
                None => break,
            },
            _ = sigterm.recv() => break,
            _ = sighup.recv() => break,
            _ = sigint.recv() => break,
            Some(msg) = results.recv() => msg,
            _ = ticker.tick() => Msg::Tick,
        };
        let mut dirty = apply(state, first, runtime, terminal)?;
        while let Ok(msg) = results.try_recv() {
            dirty |= apply(state, msg, runtime, terminal)?;
        }
        if dirty && state.running {
            terminal.draw(|f| ui::render(state, theme, f))?;
        }
    }
    Ok(())
}

/// Feed one message to the app; say whether the screen needs drawing.
fn apply(
    state: &mut State,
    msg: Msg,
    runtime: &mut Runtime,
    terminal: &mut ratatui::DefaultTerminal,
) -> anyhow::Result<bool> {
    let is_tick = matches!(msg, Msg::Tick);
    let had_notice = state.notice.is_some();
    // The app's clock: ages in lists (`12s ago`) are drawn from it.
    let second = state.now.timestamp();
    state.now = chrono::Utc::now();
    let effects = update(state, msg);
    let suspended = perform(effects, runtime, terminal)?;
    // A tick only matters while something animates, when a notice just expired, or when the
    // second changed (the ages on screen move on).
    Ok(!is_tick
        || suspended
        || state.is_busy()
        || had_notice != state.notice.is_some()
        || second != state.now.timestamp())
}

/// Run effects; terminal effects here, the rest as tasks. Returns whether we were suspended (the
/// screen must be redrawn from scratch).
fn perform(
    effects: Vec<Effect>,
    runtime: &mut Runtime,
    terminal: &mut ratatui::DefaultTerminal,
) -> anyhow::Result<bool> {
    let mut suspended = false;
    for effect in effects {
        match effect {
            Effect::Suspend => {
                terminal::suspend(terminal)?;
                suspended = true;
            }
            Effect::Bell => terminal::bell().context("ringing the terminal bell")?,
            Effect::Copy { text } => {
                let osc52 = terminal::osc52_copy(&text).map_err(|e| e.to_string());
                runtime.copy_to_system_clipboard(text, osc52);
            }
            Effect::EditExternally { pane, text } => {
                let result = terminal::edit_externally(terminal, &text);
                runtime.send(Msg::Edited { pane, result });
                suspended = true;
            }
            other => runtime.spawn(other),
        }
    }
    Ok(suspended)
}

/// The environment variable that makes a debug build panic right after its first frame, so that the
/// pty tests can prove the panic hook gives the terminal back. Release builds ignore it.
#[cfg(debug_assertions)]
pub const TEST_PANIC_ENV: &str = "OPSDECK_TEST_PANIC_AFTER_DRAW";

fn panic_if_asked_by_a_test() {
    #[cfg(debug_assertions)]
    if std::env::var_os(TEST_PANIC_ENV).is_some_and(|v| v == "1") {
        panic!("{TEST_PANIC_ENV}=1: test-only panic after the first draw");
    }
}
