//! Keys and effects for tests of the app core, written once: every test module, in the crate and in
//! `tests/`, presses keys through these instead of building `KeyEvent`s by hand. (Public so that
//! the integration tests share it; nothing outside tests uses it.)
//!
//! Key strings use the keymap's syntax between angle brackets (helix's habit): `keys(&mut state,
//! "gg<Enter>")`, `"<C-e>"`, `"<Esc>"`, `"<S-Tab>"`; any other character is typed as itself.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};

use super::{Effect, Msg, State, update};
use crate::config::keymap::KeyBinding;

/// A key press without modifiers.
pub fn key(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

/// A key press with Ctrl held.
pub fn ctrl(c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)
}

/// Press one key; the effects it asked for.
pub fn press(state: &mut State, code: KeyCode) -> Vec<Effect> {
    update(state, Msg::Key(key(code)))
}

/// Press one key event (with modifiers); the effects it asked for.
pub fn press_event(state: &mut State, event: KeyEvent) -> Vec<Effect> {
    update(state, Msg::Key(event))
}

/// A left click at `column`, `row` (0-based, as the terminal reports them).
pub fn click(state: &mut State, column: u16, row: u16) -> Vec<Effect> {
    mouse(state, MouseEventKind::Down(MouseButton::Left), column, row)
}

/// One notch of the wheel, down (towards later rows) or up, with the pointer at the table.
pub fn wheel(state: &mut State, down: bool) -> Vec<Effect> {
    let kind = if down {
        MouseEventKind::ScrollDown
    } else {
        MouseEventKind::ScrollUp
    };
    mouse(state, kind, 10, 8)
}

/// A mouse event of `kind` at `column`, `row`.
pub fn mouse(state: &mut State, kind: MouseEventKind, column: u16, row: u16) -> Vec<Effect> {
    update(
        state,
        Msg::Mouse(MouseEvent {
            kind,
            column,
            row,
            modifiers: KeyModifiers::NONE,
        }),
    )
}

/// Type `text` character by character; every effect asked for on the way.
pub fn chars(state: &mut State, text: &str) -> Vec<Effect> {
    text.chars()
        .flat_map(|c| press(state, KeyCode::Char(c)))
        .collect()
}

/// Press a key string such as `"gg<Enter>"` or `"<C-e>x<Esc>"`; every effect asked for on the way.
///
/// # Panics
/// On a `<...>` the keymap syntax does not know: a typo in a test, not a state to handle.
pub fn keys(state: &mut State, script: &str) -> Vec<Effect> {
    let mut effects = Vec::new();
    for event in parse_keys(script) {
        effects.extend(press_event(state, event));
    }
    effects
}

/// The key events of a key string (see [`keys`]).
pub fn parse_keys(script: &str) -> Vec<KeyEvent> {
    let mut events = Vec::new();
    let mut rest = script;
    while let Some(c) = rest.chars().next() {
        if c == '<'
            && let Some(end) = rest.find('>')
            && end > 1
        {
            let name = &rest[1..end];
            let binding: KeyBinding = name
                .parse()
                .unwrap_or_else(|e| panic!("bad key <{name}> in a test: {e}"));
            events.push(KeyEvent::new(binding.code, binding.modifiers));
            rest = &rest[end + 1..];
            continue;
        }
        events.push(key(KeyCode::Char(c)));
        rest = &rest[c.len_utf8()..];
    }
    events
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_string_mixes_typed_characters_and_named_keys() {
        let events = parse_keys("gg<Enter><C-e>x<S-Tab>");
        assert_eq!(
            events,
            vec![
                key(KeyCode::Char('g')),
                key(KeyCode::Char('g')),
                key(KeyCode::Enter),
                ctrl('e'),
                key(KeyCode::Char('x')),
                key(KeyCode::BackTab),
            ]
        );
    }

    #[test]
    fn a_lone_angle_bracket_is_typed() {
        assert_eq!(
            parse_keys("<>a"),
            vec![
                key(KeyCode::Char('<')),
                key(KeyCode::Char('>')),
                key(KeyCode::Char('a'))
            ]
        );
    }
}
