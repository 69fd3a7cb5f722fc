//! The keymap: which key triggers which [`Action`] in which [`Scope`], parsed from `[keymap]`
//! (global actions) and `[keymap.<scope>]` (a pane's, the forms', the questions') in the config.
//!
//! Owns the rules a keymap must satisfy: no key bound to two actions that can be pressed in the
//! same place, C-z stays suspend, forms keep typed characters for their text. The actions
//! themselves, with their help lines and default keys, are data in [`action::SPECS`].

mod action;
mod key;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, Visitor};
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};

pub use action::{Action, SPECS, Scope, Spec};
use key::SUSPEND;
pub use key::{KeyBinding, KeyParseError};

/// A key bound to two actions that can be pressed in the same place, to the fixed suspend key, or
/// a typed character given to a form action.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct KeyConflict {
    /// The action whose binding should change (the later one in help order).
    pub action: Action,
    /// Its position in that action's key list.
    pub index: usize,
    pub key: KeyBinding,
    /// The action that already has the key; `None` when the key is a typed character in a form.
    pub taken_by: Option<Action>,
}

impl fmt::Display for KeyConflict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.taken_by {
            Some(Action::Suspend) => write!(
                f,
                "key `{}` is reserved for suspend; bind `{}` to another key",
                self.key, self.action
            ),
            Some(taken_by) => write!(
                f,
                "key `{}` is bound to both `{}` and `{}`; give one of them another key \
                 (a [keymap] entry replaces all keys of that action)",
                self.key, taken_by, self.action
            ),
            None => write!(
                f,
                "key `{}` would be typed into the form's text fields; bind `{}` to a named key \
                 (Enter, Tab, F5, ...) or a Ctrl/Alt key",
                self.key, self.action
            ),
        }
    }
}

/// Which keys trigger which actions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keymap {
    keys: BTreeMap<Action, Vec<KeyBinding>>,
}

impl Default for Keymap {
    fn default() -> Keymap {
        let keys = Action::all()
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
    /// The action a key press triggers among the `scopes`, the first scope winning; releases
    /// trigger nothing, C-z is always suspend.
    pub fn action_in(&self, scopes: &[Scope], key: &KeyEvent) -> Option<Action> {
        if key.kind == KeyEventKind::Release {
            return None;
        }
        let pressed = KeyBinding::from_event(key);
        if pressed == SUSPEND {
            return Some(Action::Suspend);
        }
        scopes.iter().find_map(|scope| {
            self.keys
                .iter()
                .find(|(action, keys)| action.scope() == *scope && keys.contains(&pressed))
                .map(|(action, _)| *action)
        })
    }

    /// The global action a key press triggers.
    pub fn action_for(&self, key: &KeyEvent) -> Option<Action> {
        self.action_in(&[Scope::Global], key)
    }

    /// For the help screen: the actions of `scope` with their key labels, in help order.
    pub fn bindings(&self, scope: Scope) -> Vec<(Action, Vec<String>)> {
        Action::all()
            .filter(|a| a.scope() == scope)
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

    /// The first key of `action` as the help and hints show it, e.g. `x`; empty when unbound.
    pub fn label(&self, action: Action) -> String {
        self.keys_for(action)
            .first()
            .map(ToString::to_string)
            .unwrap_or_default()
    }

    /// Replaces the keys of one action; suspend cannot be rebound and is left alone.
    pub fn set(&mut self, action: Action, keys: Vec<KeyBinding>) {
        if action.is_configurable() {
            self.keys.insert(action, keys);
        }
    }

    /// A pane's default keys give way to the global keys a config file chose (`prev_pane = ["h"]`
    /// takes `h` from the Workflows pane's events tab, which keeps its other keys): pane keys
    /// never outranked a global binding, and `?` shows what is left.
    fn yield_pane_defaults(&mut self, configured: &[Action]) {
        let taken: Vec<KeyBinding> = configured
            .iter()
            .filter(|a| a.scope() == Scope::Global)
            .flat_map(|a| self.keys_for(*a).to_vec())
            .collect();
        for (action, keys) in &mut self.keys {
            let pane = matches!(
                action.scope(),
                Scope::Tenants | Scope::Dns | Scope::Workflows
            );
            if pane && !configured.contains(action) {
                keys.retain(|k| !taken.contains(k));
            }
        }
    }

    /// Every key bound twice where both could be pressed (or bound to C-z), reported on the later
    /// action in help order, and every typed character given to a form action.
    pub fn conflicts(&self) -> Vec<KeyConflict> {
        let mut conflicts = Vec::new();
        // Each global clash is found once per pane: a set keeps long key lists linear.
        let mut reported = HashSet::new();
        for scope in Scope::ALL {
            let mut owner: HashMap<KeyBinding, Action> =
                HashMap::from([(SUSPEND, Action::Suspend)]);
            // Global keys are pressed together with each pane's: check them with every pane, but
            // report each global clash once (with the global scope itself).
            let together: Vec<Scope> = match scope {
                Scope::Tenants | Scope::Dns | Scope::Workflows => vec![Scope::Global, scope],
                other => vec![other],
            };
            for (action, keys) in &self.keys {
                if !together.contains(&action.scope()) {
                    continue;
                }
                for (index, key) in keys.iter().enumerate() {
                    match owner.get(key) {
                        Some(&taken_by) if taken_by != *action => {
                            let conflict = KeyConflict {
                                action: *action,
                                index,
                                key: *key,
                                taken_by: Some(taken_by),
                            };
                            if reported.insert(conflict.clone()) {
                                conflicts.push(conflict);
                            }
                        }
                        Some(_) => {}
                        None => {
                            owner.insert(*key, *action);
                        }
                    }
                }
            }
        }
        for (action, keys) in &self.keys {
            if !matches!(
                action,
                Action::FormSubmit
                    | Action::FormCancel
                    | Action::FormNextField
                    | Action::FormPrevField
                    | Action::FormEditor
            ) {
                continue;
            }
            for (index, key) in keys.iter().enumerate() {
                let typed = matches!(key.code, KeyCode::Char(_))
                    && !key
                        .modifiers
                        .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
                if typed {
                    conflicts.push(KeyConflict {
                        action: *action,
                        index,
                        key: *key,
                        taken_by: None,
                    });
                }
            }
        }
        conflicts
    }
}

impl Serialize for Keymap {
    /// `[keymap]` with the global actions, then one table per other scope.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        struct Table<'a>(&'a Keymap, Scope);

        impl Serialize for Table<'_> {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let mut map = serializer.serialize_map(None)?;
                for (action, keys) in &self.0.keys {
                    if action.scope() == self.1 {
                        map.serialize_entry(action.name(), keys)?;
                    }
                }
                map.end()
            }
        }

        let mut map = serializer.serialize_map(None)?;
        for (action, keys) in &self.keys {
            if action.scope() == Scope::Global {
                map.serialize_entry(action.name(), keys)?;
            }
        }
        for scope in Scope::ALL {
            let has_actions = self.keys.keys().any(|a| a.scope() == scope);
            if let Some(table) = scope.table()
                && has_actions
            {
                map.serialize_entry(table, &Table(self, scope))?;
            }
        }
        map.end()
    }
}

/// Fills the actions of one scope from a `[keymap]` or `[keymap.<scope>]` table.
struct ScopeTable<'k> {
    keymap: &'k mut Keymap,
    /// The actions the file names, so far.
    configured: &'k mut Vec<Action>,
    scope: Scope,
}

impl<'de> DeserializeSeed<'de> for ScopeTable<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for ScopeTable<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a table of action = [\"key\", ...]")
    }

    fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<(), M::Error> {
        while let Some(entry) = map.next_key_seed(EntryName(self.scope))? {
            match entry {
                Entry::Table(scope) => map.next_value_seed(ScopeTable {
                    keymap: &mut *self.keymap,
                    configured: &mut *self.configured,
                    scope,
                })?,
                Entry::Action(action) => {
                    let keys: Vec<KeyBinding> = map.next_value()?;
                    self.keymap.set(action, keys);
                    self.configured.push(action);
                }
            }
        }
        Ok(())
    }
}

/// What a name in a keymap table stands for.
enum Entry {
    /// `[keymap.<scope>]` inside `[keymap]`.
    Table(Scope),
    Action(Action),
}

/// Reads a name of a keymap table; checked while it is read, so that an error points at it.
struct EntryName(Scope);

impl<'de> DeserializeSeed<'de> for EntryName {
    type Value = Entry;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Entry, D::Error> {
        let name = String::deserialize(deserializer)?;
        if self.0 == Scope::Global
            && let Some(scope) = Scope::from_table(&name)
        {
            return Ok(Entry::Table(scope));
        }
        match Action::from_name(self.0, &name) {
            Some(Action::Suspend) => Err(de::Error::custom(
                "`suspend` is fixed at C-z and cannot be rebound; remove this line",
            )),
            Some(action) => Ok(Entry::Action(action)),
            None => Err(de::Error::custom(unknown_action(self.0, &name))),
        }
    }
}

/// The error for a name that is no action of `scope`, pointing at the table it belongs in.
fn unknown_action(scope: Scope, name: &str) -> String {
    let elsewhere = Scope::ALL
        .into_iter()
        .filter(|s| *s != scope)
        .find(|s| Action::from_name(*s, name).is_some());
    let place = |s: Scope| match s.table() {
        Some(t) => format!("[keymap.{t}]"),
        None => "[keymap]".to_owned(),
    };
    match elsewhere {
        Some(other) => format!(
            "`{name}` belongs in {}, not in {}; move the line there",
            place(other),
            place(scope)
        ),
        None => {
            let tables = if scope == Scope::Global {
                let names: Vec<String> = Scope::ALL
                    .into_iter()
                    .filter_map(Scope::table)
                    .map(|t| format!("`{t}`"))
                    .collect();
                format!(", or a table: {}", names.join(", "))
            } else {
                String::new()
            };
            format!(
                "unknown action `{name}` in {}; expected one of {}{tables}",
                place(scope),
                Action::expected_names(scope)
            )
        }
    }
}

impl<'de> Deserialize<'de> for Keymap {
    /// A `[keymap]` table replaces the keys of the actions it names; the rest keep their defaults.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Keymap, D::Error> {
        let mut keymap = Keymap::default();
        let mut configured = Vec::new();
        ScopeTable {
            keymap: &mut keymap,
            configured: &mut configured,
            scope: Scope::Global,
        }
        .deserialize(deserializer)?;
        keymap.yield_pane_defaults(&configured);
        Ok(keymap)
    }
}

#[cfg(test)]
mod tests;
