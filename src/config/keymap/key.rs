//! One key as written in the config (`q`, `G`, `C-b`, `A-x`, `S-Tab`, `PageUp`, `F5`) and as matched
//! against terminal key events.

use std::fmt;
use std::str::FromStr;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use serde::de::{self, Deserializer};
use serde::ser::Serializer;
use serde::{Deserialize, Serialize};

/// The fixed suspend key.
pub(super) const SUSPEND: KeyBinding = KeyBinding {
    code: KeyCode::Char('z'),
    modifiers: KeyModifiers::CONTROL,
};

/// One key, as written in the config (`C-b`) and as matched against terminal events.
///
/// Normalised so that equal keys compare equal: character keys never carry SHIFT (the shifted
/// character itself is stored, `G` not `S-g`), Ctrl letters are lower case, and `S-Tab` is `BackTab`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct KeyBinding {
    pub code: KeyCode,
    pub modifiers: KeyModifiers,
}

impl KeyBinding {
    fn normalized(code: KeyCode, modifiers: KeyModifiers) -> KeyBinding {
        let mut modifiers =
            modifiers & (KeyModifiers::CONTROL | KeyModifiers::ALT | KeyModifiers::SHIFT);
        let code = match code {
            // Terminals differ on whether a shifted character arrives as `G`+SHIFT, `G` or `g`+SHIFT.
            KeyCode::Char(c) => {
                let shifted = modifiers.contains(KeyModifiers::SHIFT);
                modifiers.remove(KeyModifiers::SHIFT);
                if modifiers.contains(KeyModifiers::CONTROL) {
                    // Ctrl+letter is case-blind in every terminal encoding.
                    KeyCode::Char(c.to_ascii_lowercase())
                } else if shifted && c.is_ascii_lowercase() {
                    KeyCode::Char(c.to_ascii_uppercase())
                } else {
                    KeyCode::Char(c)
                }
            }
            KeyCode::BackTab => {
                modifiers.remove(KeyModifiers::SHIFT);
                KeyCode::BackTab
            }
            KeyCode::Tab if modifiers.contains(KeyModifiers::SHIFT) => {
                modifiers.remove(KeyModifiers::SHIFT);
                KeyCode::BackTab
            }
            other => other,
        };
        KeyBinding { code, modifiers }
    }

    /// The binding a terminal key event stands for.
    pub fn from_event(event: &KeyEvent) -> KeyBinding {
        KeyBinding::normalized(event.code, event.modifiers)
    }
}

/// A key string that is not a key; the message says what is accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyParseError(String);

impl fmt::Display for KeyParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for KeyParseError {}

const KEY_SYNTAX_HELP: &str = "write one character (`q`, `G`, `?`), a named key (Enter, Esc, Tab, BackTab, \
     Up, Down, Left, Right, Home, End, PageUp, PageDown, Backspace, Delete, Insert, Space, F1..F12), \
     optionally after C- (Ctrl), A- (Alt) or S- (Shift, named keys only), e.g. `C-b`";

fn named_key(name: &str) -> Option<KeyCode> {
    let lower = name.to_ascii_lowercase();
    let code = match lower.as_str() {
        "enter" | "return" => KeyCode::Enter,
        "esc" | "escape" => KeyCode::Esc,
        "tab" => KeyCode::Tab,
        "backtab" => KeyCode::BackTab,
        "up" => KeyCode::Up,
        "down" => KeyCode::Down,
        "left" => KeyCode::Left,
        "right" => KeyCode::Right,
        "home" => KeyCode::Home,
        "end" => KeyCode::End,
        "pageup" | "pgup" => KeyCode::PageUp,
        "pagedown" | "pgdn" => KeyCode::PageDown,
        "backspace" => KeyCode::Backspace,
        "delete" | "del" => KeyCode::Delete,
        "insert" | "ins" => KeyCode::Insert,
        "space" => KeyCode::Char(' '),
        _ => {
            let n: u8 = lower.strip_prefix('f')?.parse().ok()?;
            if (1..=12).contains(&n) {
                KeyCode::F(n)
            } else {
                return None;
            }
        }
    };
    Some(code)
}

impl FromStr for KeyBinding {
    type Err = KeyParseError;

    fn from_str(s: &str) -> Result<KeyBinding, KeyParseError> {
        let unknown = || KeyParseError(format!("unknown key `{s}`; {KEY_SYNTAX_HELP}"));
        let mut modifiers = KeyModifiers::NONE;
        let mut rest = s;
        // `-` alone (or `C--`) is the minus key, so a prefix only counts when something follows it.
        while rest.chars().count() > 2 {
            let (flag, tail) = match rest.split_at_checked(2) {
                Some(("C-" | "c-", tail)) => (KeyModifiers::CONTROL, tail),
                Some(("A-" | "a-" | "M-" | "m-", tail)) => (KeyModifiers::ALT, tail),
                Some(("S-" | "s-", tail)) => (KeyModifiers::SHIFT, tail),
                _ => break,
            };
            if modifiers.contains(flag) {
                return Err(KeyParseError(format!(
                    "`{s}` repeats a modifier; write each of C-, A-, S- at most once"
                )));
            }
            modifiers |= flag;
            rest = tail;
        }
        let mut chars = rest.chars();
        let code = match (chars.next(), chars.next()) {
            (None, _) => return Err(unknown()),
            (Some(c), None) if c.is_control() => return Err(unknown()),
            (Some(' '), None) => {
                return Err(KeyParseError(format!(
                    "`{s}` is a bare space; write the space bar as `Space`"
                )));
            }
            (Some(c), None) => {
                if modifiers.contains(KeyModifiers::SHIFT) {
                    return Err(KeyParseError(format!(
                        "`{s}`: S- only combines with named keys; write the shifted character \
                         itself, e.g. `G` instead of `S-g`"
                    )));
                }
                KeyCode::Char(c)
            }
            _ => named_key(rest).ok_or_else(unknown)?,
        };
        if code == KeyCode::Char(' ') && modifiers.contains(KeyModifiers::SHIFT) {
            return Err(unknown());
        }
        Ok(KeyBinding::normalized(code, modifiers))
    }
}

impl fmt::Display for KeyBinding {
    /// The canonical key string: parses back to the same binding.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.modifiers.contains(KeyModifiers::CONTROL) {
            f.write_str("C-")?;
        }
        if self.modifiers.contains(KeyModifiers::ALT) {
            f.write_str("A-")?;
        }
        if self.modifiers.contains(KeyModifiers::SHIFT) {
            f.write_str("S-")?;
        }
        match self.code {
            KeyCode::Char(' ') => f.write_str("Space"),
            KeyCode::Char(c) => write!(f, "{c}"),
            KeyCode::F(n) => write!(f, "F{n}"),
            KeyCode::Enter => f.write_str("Enter"),
            KeyCode::Esc => f.write_str("Esc"),
            KeyCode::Tab => f.write_str("Tab"),
            KeyCode::BackTab => f.write_str("BackTab"),
            KeyCode::Up => f.write_str("Up"),
            KeyCode::Down => f.write_str("Down"),
            KeyCode::Left => f.write_str("Left"),
            KeyCode::Right => f.write_str("Right"),
            KeyCode::Home => f.write_str("Home"),
            KeyCode::End => f.write_str("End"),
            KeyCode::PageUp => f.write_str("PageUp"),
            KeyCode::PageDown => f.write_str("PageDown"),
            KeyCode::Backspace => f.write_str("Backspace"),
            KeyCode::Delete => f.write_str("Delete"),
            KeyCode::Insert => f.write_str("Insert"),
            // Not producible by the parser; shown the way crossterm names them.
            other => write!(f, "{other:?}"),
        }
    }
}

impl Serialize for KeyBinding {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for KeyBinding {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<KeyBinding, D::Error> {
        let s = String::deserialize(deserializer)?;
        s.parse().map_err(de::Error::custom)
    }
}
