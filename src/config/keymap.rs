//! The keymap: which key triggers which [`Action`], parsed from `[keymap]` in the config.
//!
//! Owns the action list (names, help texts, stable help order), the key-string syntax
//! (`q`, `G`, `C-b`, `A-x`, `S-Tab`, `PageUp`, `F5`, ...), matching crossterm key events against
//! bindings, and the rules a keymap must satisfy (no key bound to two actions, C-z stays suspend).

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::str::FromStr;

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};

/// Something the user can ask for with a key. Declaration order is the order of the help screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Action {
    Quit,
    Help,
    CommandLine,
    Filter,
    Up,
    Down,
    Top,
    Bottom,
    PageUp,
    PageDown,
    Enter,
    Back,
    Refresh,
    Copy,
    Export,
    New,
    Edit,
    Delete,
    Watch,
    NextPane,
    PrevPane,
    Pane1,
    Pane2,
    Pane3,
    PaneAccounts,
    /// Fixed at C-z: terminals and shells agree on it, so it is not rebindable; shown in help.
    Suspend,
}

impl Action {
    /// Every action in help order.
    pub const ALL: [Action; 26] = [
        Action::Quit,
        Action::Help,
        Action::CommandLine,
        Action::Filter,
        Action::Up,
        Action::Down,
        Action::Top,
        Action::Bottom,
        Action::PageUp,
        Action::PageDown,
        Action::Enter,
        Action::Back,
        Action::Refresh,
        Action::Copy,
        Action::Export,
        Action::New,
        Action::Edit,
        Action::Delete,
        Action::Watch,
        Action::NextPane,
        Action::PrevPane,
        Action::Pane1,
        Action::Pane2,
        Action::Pane3,
        Action::PaneAccounts,
        Action::Suspend,
    ];

    /// The key of this action in `[keymap]`.
    pub fn name(self) -> &'static str {
        match self {
            Action::Quit => "quit",
            Action::Help => "help",
            Action::CommandLine => "command_line",
            Action::Filter => "filter",
            Action::Up => "up",
            Action::Down => "down",
            Action::Top => "top",
            Action::Bottom => "bottom",
            Action::PageUp => "page_up",
            Action::PageDown => "page_down",
            Action::Enter => "enter",
            Action::Back => "back",
            Action::Refresh => "refresh",
            Action::Copy => "copy",
            Action::Export => "export",
            Action::New => "new",
            Action::Edit => "edit",
            Action::Delete => "delete",
            Action::Watch => "watch",
            Action::NextPane => "next_pane",
            Action::PrevPane => "prev_pane",
            Action::Pane1 => "pane_1",
            Action::Pane2 => "pane_2",
            Action::Pane3 => "pane_3",
            Action::PaneAccounts => "pane_accounts",
            Action::Suspend => "suspend",
        }
    }

    /// One line for the `?` help screen.
    pub fn description(self) -> &'static str {
        match self {
            Action::Quit => "Quit opsdeck",
            Action::Help => "Show this help",
            Action::CommandLine => "Open the command line (with completion)",
            Action::Filter => "Filter the current list",
            Action::Up => "Move the selection up",
            Action::Down => "Move the selection down",
            Action::Top => "Jump to the first row",
            Action::Bottom => "Jump to the last row",
            Action::PageUp => "Scroll one page up",
            Action::PageDown => "Scroll one page down",
            Action::Enter => "Open the selected item",
            Action::Back => "Go back, close a dialog or clear the filter",
            Action::Refresh => "Reload the current view from AWS",
            Action::Copy => "Copy the selected value to the clipboard",
            Action::Export => "Export the current view to a file",
            Action::New => "Create: onboard a tenant or user, start an execution",
            Action::Edit => "Change the selected item, e.g. a user's role",
            Action::Delete => "Remove, disable or stop the selected item (asks first)",
            Action::Watch => "Watch the selected execution live",
            Action::NextPane => "Next pane",
            Action::PrevPane => "Previous pane",
            Action::Pane1 => "Tenants pane",
            Action::Pane2 => "DNS pane",
            Action::Pane3 => "Workflows pane",
            Action::PaneAccounts => "Accounts pane",
            Action::Suspend => "Suspend to the shell (fixed, resume with `fg`)",
        }
    }

    /// The action whose config key is `name`.
    pub fn from_name(name: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|a| a.name() == name)
    }

    /// Whether `[keymap]` may rebind this action.
    pub fn is_configurable(self) -> bool {
        self != Action::Suspend
    }

    fn default_keys(self) -> &'static [&'static str] {
        match self {
            Action::Quit => &["q", "C-c"],
            Action::Help => &["?", "F1"],
            Action::CommandLine => &[":"],
            Action::Filter => &["/"],
            Action::Up => &["k", "Up"],
            Action::Down => &["j", "Down"],
            Action::Top => &["g", "Home"],
            Action::Bottom => &["G", "End"],
            Action::PageUp => &["PageUp", "C-b"],
            Action::PageDown => &["PageDown", "C-f"],
            Action::Enter => &["Enter"],
            Action::Back => &["Esc"],
            Action::Refresh => &["r", "C-r"],
            Action::Copy => &["y"],
            Action::Export => &["e"],
            Action::New => &["n"],
            Action::Edit => &["c"],
            Action::Delete => &["d"],
            Action::Watch => &["w"],
            Action::NextPane => &["Tab"],
            Action::PrevPane => &["BackTab"],
            Action::Pane1 => &["1"],
            Action::Pane2 => &["2"],
            Action::Pane3 => &["3"],
            Action::PaneAccounts => &["0"],
            Action::Suspend => &["C-z"],
        }
    }

    fn expected_names() -> String {
        Action::ALL
            .iter()
            .filter(|a| a.is_configurable())
            .map(|a| format!("`{}`", a.name()))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The fixed suspend key.
const SUSPEND: KeyBinding = KeyBinding {
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

/// A key bound to two actions, or to the fixed suspend key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyConflict {
    /// The action whose binding should change (the later one in help order).
    pub action: Action,
    /// Its position in that action's key list.
    pub index: usize,
    pub key: KeyBinding,
    /// The action that already has the key.
    pub taken_by: Action,
}

impl fmt::Display for KeyConflict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.taken_by == Action::Suspend {
            write!(
                f,
                "key `{}` is reserved for suspend; bind `{}` to another key",
                self.key, self.action
            )
        } else {
            write!(
                f,
                "key `{}` is bound to both `{}` and `{}`; give one of them another key \
                 (a [keymap] entry replaces all keys of that action)",
                self.key, self.taken_by, self.action
            )
        }
    }
}

/// Which keys trigger which actions. All actions share one context (the panes); text inputs
/// (command line, filter, forms) take keys raw, so they do not consult the keymap.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keymap {
    keys: BTreeMap<Action, Vec<KeyBinding>>,
}

impl Default for Keymap {
    fn default() -> Keymap {
        let keys = Action::ALL
            .into_iter()
            .filter(|a| a.is_configurable())
            .map(|a| {
                let keys = a
                    .default_keys()
                    .iter()
                    .map(|k| k.parse().expect("built-in key strings parse"))
                    .collect();
                (a, keys)
            })
            .collect();
        Keymap { keys }
    }
}

impl Keymap {
    /// The action a key press triggers; releases trigger nothing.
    pub fn action_for(&self, key: &KeyEvent) -> Option<Action> {
        if key.kind == KeyEventKind::Release {
            return None;
        }
        let pressed = KeyBinding::from_event(key);
        if pressed == SUSPEND {
            return Some(Action::Suspend);
        }
        self.keys
            .iter()
            .find(|(_, keys)| keys.contains(&pressed))
            .map(|(action, _)| *action)
    }

    /// For the help screen: every action with its description and key labels, in a stable order.
    pub fn bindings(&self) -> Vec<(Action, Vec<String>)> {
        Action::ALL
            .into_iter()
            .map(|a| {
                let labels = self.keys_for(a).iter().map(ToString::to_string).collect();
                (a, labels)
            })
            .collect()
    }

    /// The keys bound to `action` (C-z for suspend).
    pub fn keys_for(&self, action: Action) -> &[KeyBinding] {
        if action == Action::Suspend {
            return std::slice::from_ref(&SUSPEND);
        }
        self.keys
            .get(&action)
            .map(Vec::as_slice)
            .unwrap_or_default()
    }

    /// Replaces the keys of one action; suspend cannot be rebound and is left alone.
    pub fn set(&mut self, action: Action, keys: Vec<KeyBinding>) {
        if action.is_configurable() {
            self.keys.insert(action, keys);
        }
    }

    /// Every key that is bound twice (or to C-z), reported on the later action in help order.
    pub fn conflicts(&self) -> Vec<KeyConflict> {
        let mut owner: HashMap<KeyBinding, Action> = HashMap::from([(SUSPEND, Action::Suspend)]);
        let mut conflicts = Vec::new();
        for (action, keys) in &self.keys {
            for (index, key) in keys.iter().enumerate() {
                match owner.get(key) {
                    Some(&taken_by) if taken_by != *action => conflicts.push(KeyConflict {
                        action: *action,
                        index,
                        key: *key,
                        taken_by,
                    }),
                    Some(_) => {}
                    None => {
                        owner.insert(*key, *action);
                    }
                }
            }
        }
        conflicts
    }
}

impl Serialize for Keymap {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.keys.len()))?;
        for (action, keys) in &self.keys {
            map.serialize_entry(action.name(), keys)?;
        }
        map.end()
    }
}

/// A `[keymap]` key: a configurable action name.
struct ActionKey(Action);

impl<'de> Deserialize<'de> for ActionKey {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<ActionKey, D::Error> {
        let name = String::deserialize(deserializer)?;
        match Action::from_name(&name) {
            Some(Action::Suspend) => Err(de::Error::custom(
                "`suspend` is fixed at C-z and cannot be rebound; remove this line",
            )),
            Some(action) => Ok(ActionKey(action)),
            None => Err(de::Error::custom(format!(
                "unknown action `{name}` in [keymap]; expected one of {}",
                Action::expected_names()
            ))),
        }
    }
}

impl<'de> Deserialize<'de> for Keymap {
    /// A `[keymap]` table replaces the keys of the actions it names; the rest keep their defaults.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Keymap, D::Error> {
        struct KeymapVisitor;

        impl<'de> Visitor<'de> for KeymapVisitor {
            type Value = Keymap;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a table of action = [\"key\", ...]")
            }

            fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<Keymap, M::Error> {
                let mut keymap = Keymap::default();
                while let Some(ActionKey(action)) = map.next_key()? {
                    let keys: Vec<KeyBinding> = map.next_value()?;
                    keymap.set(action, keys);
                }
                Ok(keymap)
            }
        }

        deserializer.deserialize_map(KeymapVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn press(code: KeyCode, modifiers: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, modifiers)
    }

    fn key(s: &str) -> KeyBinding {
        s.parse().unwrap()
    }

    #[test]
    fn every_action_name_maps_back_to_its_action() {
        for action in Action::ALL {
            assert_eq!(Action::from_name(action.name()), Some(action));
            assert!(!action.description().is_empty());
        }
        assert_eq!(Action::from_name("colr"), None);
    }

    #[test]
    fn all_lists_every_action_once_in_declaration_order() {
        let mut sorted = Action::ALL.to_vec();
        sorted.sort();
        sorted.dedup();
        assert_eq!(sorted, Action::ALL.to_vec());
    }

    #[test]
    fn key_strings_round_trip_through_their_canonical_form() {
        for s in [
            "q",
            "G",
            "?",
            ":",
            "/",
            "-",
            "0",
            "Enter",
            "Esc",
            "Tab",
            "BackTab",
            "Up",
            "Down",
            "Left",
            "Right",
            "Home",
            "End",
            "PageUp",
            "PageDown",
            "Backspace",
            "Delete",
            "Insert",
            "Space",
            "F1",
            "F12",
            "C-b",
            "A-x",
            "C-A-k",
            "S-Up",
            "C--",
            "A-Enter",
        ] {
            let parsed = key(s);
            assert_eq!(parsed.to_string(), s, "canonical form of {s}");
            assert_eq!(key(&parsed.to_string()), parsed);
        }
    }

    #[test]
    fn key_string_aliases_normalise() {
        assert_eq!(key("S-Tab"), key("BackTab"));
        assert_eq!(key("C-B"), key("C-b"));
        assert_eq!(key("enter"), key("Enter"));
        assert_eq!(key("pgdn"), key("PageDown"));
        assert_eq!(key("M-x"), key("A-x"));
    }

    #[test]
    fn bad_key_strings_are_rejected_with_the_syntax() {
        for s in ["", "Ctrl+x", "F13", "F0", "xy", "C-", "Hyper-x", "\t"] {
            let err = s.parse::<KeyBinding>().unwrap_err().to_string();
            assert!(err.contains(&format!("unknown key `{s}`")), "{s}: {err}");
            assert!(err.contains("C- (Ctrl)"), "{s}: {err}");
        }
        assert!(
            "S-g"
                .parse::<KeyBinding>()
                .unwrap_err()
                .to_string()
                .contains("instead of `S-g`")
        );
        assert!(
            "C-C-x"
                .parse::<KeyBinding>()
                .unwrap_err()
                .to_string()
                .contains("repeats a modifier")
        );
        assert!(
            " ".parse::<KeyBinding>()
                .unwrap_err()
                .to_string()
                .contains("`Space`")
        );
    }

    #[test]
    fn default_keymap_matches_the_documented_keys() {
        let km = Keymap::default();
        let cases = [
            (press(KeyCode::Char('q'), KeyModifiers::NONE), Action::Quit),
            (
                press(KeyCode::Char(':'), KeyModifiers::NONE),
                Action::CommandLine,
            ),
            (
                press(KeyCode::Char('/'), KeyModifiers::NONE),
                Action::Filter,
            ),
            (press(KeyCode::Char('j'), KeyModifiers::NONE), Action::Down),
            (press(KeyCode::Down, KeyModifiers::NONE), Action::Down),
            (press(KeyCode::Char('k'), KeyModifiers::NONE), Action::Up),
            (press(KeyCode::Char('g'), KeyModifiers::NONE), Action::Top),
            (press(KeyCode::End, KeyModifiers::NONE), Action::Bottom),
            (
                press(KeyCode::Char('b'), KeyModifiers::CONTROL),
                Action::PageUp,
            ),
            (
                press(KeyCode::PageDown, KeyModifiers::NONE),
                Action::PageDown,
            ),
            (press(KeyCode::Enter, KeyModifiers::NONE), Action::Enter),
            (press(KeyCode::Esc, KeyModifiers::NONE), Action::Back),
            (
                press(KeyCode::Char('r'), KeyModifiers::NONE),
                Action::Refresh,
            ),
            (press(KeyCode::Char('y'), KeyModifiers::NONE), Action::Copy),
            (
                press(KeyCode::Char('e'), KeyModifiers::NONE),
                Action::Export,
            ),
            (press(KeyCode::Tab, KeyModifiers::NONE), Action::NextPane),
            (press(KeyCode::Char('1'), KeyModifiers::NONE), Action::Pane1),
            (press(KeyCode::Char('2'), KeyModifiers::NONE), Action::Pane2),
            (press(KeyCode::Char('3'), KeyModifiers::NONE), Action::Pane3),
            (
                press(KeyCode::Char('0'), KeyModifiers::NONE),
                Action::PaneAccounts,
            ),
            (
                press(KeyCode::Char('z'), KeyModifiers::CONTROL),
                Action::Suspend,
            ),
        ];
        for (event, action) in cases {
            assert_eq!(km.action_for(&event), Some(action), "{event:?}");
        }
        assert_eq!(
            km.action_for(&press(KeyCode::Char('x'), KeyModifiers::NONE)),
            None
        );
        // Ctrl changes the key: C-q is not q.
        assert_eq!(
            km.action_for(&press(KeyCode::Char('q'), KeyModifiers::CONTROL)),
            None
        );
    }

    #[test]
    fn shift_is_ignored_on_character_keys_and_backtab() {
        let km = Keymap::default();
        for event in [
            press(KeyCode::Char('G'), KeyModifiers::SHIFT),
            press(KeyCode::Char('G'), KeyModifiers::NONE),
            press(KeyCode::Char('g'), KeyModifiers::SHIFT),
        ] {
            assert_eq!(km.action_for(&event), Some(Action::Bottom), "{event:?}");
        }
        assert_eq!(
            km.action_for(&press(KeyCode::Char('?'), KeyModifiers::SHIFT)),
            Some(Action::Help)
        );
        assert_eq!(
            km.action_for(&press(KeyCode::BackTab, KeyModifiers::SHIFT)),
            Some(Action::PrevPane)
        );
        assert_eq!(
            km.action_for(&press(KeyCode::Tab, KeyModifiers::SHIFT)),
            Some(Action::PrevPane)
        );
        assert_eq!(
            km.action_for(&press(
                KeyCode::Char('Z'),
                KeyModifiers::CONTROL | KeyModifiers::SHIFT
            )),
            Some(Action::Suspend)
        );
    }

    #[test]
    fn key_releases_trigger_nothing() {
        let km = Keymap::default();
        let mut event = press(KeyCode::Char('q'), KeyModifiers::NONE);
        event.kind = KeyEventKind::Release;
        assert_eq!(km.action_for(&event), None);
        event.kind = KeyEventKind::Repeat;
        assert_eq!(km.action_for(&event), Some(Action::Quit));
    }

    #[test]
    fn bindings_list_every_action_in_help_order_with_labels() {
        let bindings = Keymap::default().bindings();
        let order: Vec<Action> = bindings.iter().map(|(a, _)| *a).collect();
        assert_eq!(order, Action::ALL.to_vec());
        assert_eq!(bindings[0], (Action::Quit, vec!["q".into(), "C-c".into()]));
        assert_eq!(
            bindings.last().unwrap(),
            &(Action::Suspend, vec!["C-z".to_string()])
        );
    }

    #[test]
    fn default_keymap_has_no_conflicts() {
        assert_eq!(Keymap::default().conflicts(), vec![]);
    }

    #[test]
    fn a_key_bound_twice_is_reported_on_the_later_action() {
        let mut km = Keymap::default();
        km.set(Action::Refresh, vec![key("F5"), key("q")]);
        assert_eq!(
            km.conflicts(),
            vec![KeyConflict {
                action: Action::Refresh,
                index: 1,
                key: key("q"),
                taken_by: Action::Quit,
            }]
        );
        let msg = km.conflicts()[0].to_string();
        assert!(
            msg.contains("key `q` is bound to both `quit` and `refresh`"),
            "{msg}"
        );
    }

    #[test]
    fn binding_the_suspend_key_is_a_conflict() {
        let mut km = Keymap::default();
        km.set(Action::Copy, vec![key("C-z")]);
        let conflicts = km.conflicts();
        assert_eq!(conflicts.len(), 1);
        assert_eq!(conflicts[0].taken_by, Action::Suspend);
        assert!(conflicts[0].to_string().contains("reserved for suspend"));
    }

    #[test]
    fn suspend_cannot_be_rebound_through_set() {
        let mut km = Keymap::default();
        km.set(Action::Suspend, vec![key("x")]);
        assert_eq!(km, Keymap::default());
        assert_eq!(km.keys_for(Action::Suspend), &[SUSPEND]);
    }

    #[test]
    fn a_keymap_table_replaces_only_the_actions_it_names() {
        let km: Keymap = toml::from_str("quit = [\"x\"]\ntop = [\"Home\"]").unwrap();
        assert_eq!(km.keys_for(Action::Quit), &[key("x")]);
        assert_eq!(km.keys_for(Action::Top), &[key("Home")]);
        assert_eq!(
            km.keys_for(Action::Down),
            Keymap::default().keys_for(Action::Down)
        );
    }

    #[test]
    fn keymap_serializes_to_what_it_parses_from() {
        let mut km = Keymap::default();
        km.set(Action::Refresh, vec![key("F5"), key("C-A-r")]);
        let text = toml::to_string(&km).unwrap();
        assert_eq!(toml::from_str::<Keymap>(&text).unwrap(), km);
    }

    #[test]
    fn unknown_and_fixed_actions_are_rejected_by_name() {
        let err = toml::from_str::<Keymap>("colr = [\"x\"]").unwrap_err();
        assert!(err.message().contains("unknown action `colr`"), "{err}");
        assert!(err.message().contains("`quit`"), "{err}");
        let err = toml::from_str::<Keymap>("suspend = [\"x\"]").unwrap_err();
        assert!(err.message().contains("fixed at C-z"), "{err}");
    }
}
