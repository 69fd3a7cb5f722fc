//! Key presses for tests that drive the app core with `Msg::Key`: the crate's own test kit
//! (`opsdeck::app::testkit`, which its unit tests use too) and two helpers of the integration tests.
//!
//! Key strings use the keymap's syntax between angle brackets (helix's habit): `keys("gg<Enter>")`,
//! `"<C-e>"`, `"<Esc>"`, `"<S-Tab>"`; any other character is typed as itself.
//!
//! Included with `#[path = "support/keys.rs"] mod keys;` (from a test folder's main.rs:
//! `#[path = "../support/keys.rs"]`).

// Each test binary uses its own subset of these helpers.
#![allow(dead_code)]

use crossterm::event::{KeyCode, KeyEvent};

use opsdeck::config::keymap::KeyBinding;

/// A key press without modifiers, a character with Ctrl held, and the events of a key string.
pub use opsdeck::app::testkit::{ctrl, key, parse_keys as keys};

/// A character typed without modifiers.
pub fn ch(c: char) -> KeyEvent {
    key(KeyCode::Char(c))
}

/// The key event of pressing a keymap binding.
pub fn bound_key(binding: KeyBinding) -> KeyEvent {
    KeyEvent::new(binding.code, binding.modifiers)
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
