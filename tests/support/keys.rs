//! Key presses for tests that drive the app core with `Msg::Key`, written once: build them here
//! instead of calling `KeyEvent::new` by hand (the crate's unit tests have the same helpers in
//! src/app/testkit.rs).
//!
//! Key strings use the keymap's syntax between angle brackets (helix's habit): `keys("gg<Enter>")`,
//! `"<C-e>"`, `"<Esc>"`, `"<S-Tab>"`; any other character is typed as itself.
//!
//! Included with `#[path = "support/keys.rs"] mod keys;` (from a test folder's main.rs:
//! `#[path = "../support/keys.rs"]`).

// Each test binary uses its own subset of these helpers.
#![allow(dead_code)]

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use opsdeck::config::keymap::KeyBinding;

/// A key press without modifiers.
pub fn key(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

/// A character typed without modifiers.
pub fn ch(c: char) -> KeyEvent {
    key(KeyCode::Char(c))
}

/// A character with Ctrl held.
pub fn ctrl(c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)
}

/// The key event of pressing a keymap binding.
pub fn bound_key(binding: KeyBinding) -> KeyEvent {
    KeyEvent::new(binding.code, binding.modifiers)
}

/// The key events of a key string such as `"gg<Enter>"` or `"<C-e>x<Esc>"`.
///
/// # Panics
/// On a `<...>` the keymap syntax does not know: a typo in a test, not a state to handle.
pub fn keys(script: &str) -> Vec<KeyEvent> {
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
            events.push(bound_key(binding));
            rest = &rest[end + 1..];
            continue;
        }
        events.push(ch(c));
        rest = &rest[c.len_utf8()..];
    }
    events
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_string_mixes_typed_characters_and_named_keys() {
        assert_eq!(
            keys("gg<Enter><C-e>x<S-Tab><>"),
            vec![
                ch('g'),
                ch('g'),
                key(KeyCode::Enter),
                ctrl('e'),
                ch('x'),
                key(KeyCode::BackTab),
                ch('<'),
                ch('>'),
            ]
        );
    }
}
