//! The one form: labelled text and choice fields, the focused one, why the last submit was
//! refused, and the keys of `[keymap.form]`. Every pane's form is a `Form<K>`, `K` saying what it
//! is for (a tenant to onboard, an execution to start or stop); `ui::form` draws them all.

use crossterm::event::{Event, KeyCode, KeyEvent};
use tui_input::Input;
use tui_input::backend::crossterm::EventHandler;

use crate::config::keymap::{Action, Keymap, Scope};

/// One field: free text, or a choice among values when `choices` is not empty.
#[derive(Debug, Clone)]
pub struct Field {
    /// Fixed for most forms; a runbook's variable names its own field.
    pub label: std::borrow::Cow<'static, str>,
    pub input: Input,
    pub choices: Vec<String>,
    pub choice: usize,
}

impl Field {
    pub fn text(
        label: impl Into<std::borrow::Cow<'static, str>>,
        value: impl Into<String>,
    ) -> Field {
        Field {
            label: label.into(),
            input: Input::new(value.into()),
            choices: Vec::new(),
            choice: 0,
        }
    }

    pub fn choice(label: &'static str, choices: Vec<String>, choice: usize) -> Field {
        Field {
            label: label.into(),
            input: Input::default(),
            choices,
            choice,
        }
    }

    pub fn is_choice(&self) -> bool {
        !self.choices.is_empty()
    }

    /// The text typed (trimmed), or the value chosen.
    pub fn value(&self) -> String {
        if self.choices.is_empty() {
            self.input.value().trim().to_owned()
        } else {
            self.choices.get(self.choice).cloned().unwrap_or_default()
        }
    }
}

/// What a key did to a form, for its pane to act on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormKey {
    /// The form took the key (typing, moving between fields or choices).
    Handled,
    Submit,
    Cancel,
    /// Edit the focused field in `$EDITOR` (only in forms that offer it).
    Editor,
}

/// A form for `K` (what it is for).
#[derive(Debug, Clone)]
pub struct Form<K> {
    pub kind: K,
    pub fields: Vec<Field>,
    pub focus: usize,
    /// Why the last submit was refused; cleared by typing.
    pub error: Option<String>,
    /// Whether `edit_in_editor` opens the focused field in `$EDITOR`.
    pub editor: bool,
}

impl<K> Form<K> {
    pub fn new(kind: K, fields: Vec<Field>) -> Form<K> {
        Form {
            kind,
            fields,
            focus: 0,
            error: None,
            editor: false,
        }
    }

    /// The same form opening on field `focus`.
    pub fn focused(mut self, focus: usize) -> Form<K> {
        self.focus = focus.min(self.fields.len().saturating_sub(1));
        self
    }

    /// The same form, offering `$EDITOR` for its fields.
    pub fn with_editor(mut self) -> Form<K> {
        self.editor = true;
        self
    }

    /// The value of field `i` (see [`Field::value`]); empty when there is no such field.
    pub fn value(&self, i: usize) -> String {
        self.fields.get(i).map(Field::value).unwrap_or_default()
    }

    /// A key while the form is open: the form keys of the keymap move between fields, choose,
    /// submit or cancel; any other key is typed into a text field, and a letter on a choice field
    /// jumps to the first value starting with it.
    pub fn on_key(&mut self, key: KeyEvent, keymap: &Keymap) -> FormKey {
        let n = self.fields.len().max(1);
        let action = keymap.action_in(&[Scope::Form], &key);
        match action {
            Some(Action::FormCancel) => return FormKey::Cancel,
            Some(Action::FormSubmit) => return FormKey::Submit,
            Some(Action::FormEditor) if self.editor => return FormKey::Editor,
            Some(Action::FormNextField) => {
                self.focus = (self.focus + 1) % n;
                return FormKey::Handled;
            }
            Some(Action::FormPrevField) => {
                self.focus = (self.focus + n - 1) % n;
                return FormKey::Handled;
            }
            _ => {}
        }
        let Some(field) = self.fields.get_mut(self.focus) else {
            return FormKey::Handled;
        };
        let m = field.choices.len();
        match action {
            // Text fields take every other key as typing (Space, Right...).
            _ if m == 0 => {
                field.input.handle_event(&Event::Key(key));
            }
            Some(Action::FormNextChoice) => field.choice = (field.choice + 1) % m,
            Some(Action::FormPrevChoice) => field.choice = (field.choice + m - 1) % m,
            _ => {
                if let KeyCode::Char(c) = key.code
                    && let Some(i) = field.choices.iter().position(|r| r.starts_with(c))
                {
                    field.choice = i;
                }
            }
        }
        self.error = None;
        FormKey::Handled
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::testkit::{ctrl, key, parse_keys};

    fn form() -> Form<()> {
        Form::new(
            (),
            vec![
                Field::text("email", ""),
                Field::choice("role", vec!["admin".into(), "member".into()], 0),
            ],
        )
    }

    fn type_keys(form: &mut Form<()>, script: &str) -> Vec<FormKey> {
        let keymap = Keymap::default();
        parse_keys(script)
            .into_iter()
            .map(|k| form.on_key(k, &keymap))
            .collect()
    }

    #[test]
    fn typing_fills_the_focused_text_field_and_clears_the_error() {
        let mut form = form();
        form.error = Some("give an email".into());
        type_keys(&mut form, "a b@x");
        assert_eq!(form.value(0), "a b@x");
        assert_eq!(form.error, None);
    }

    #[test]
    fn tab_and_arrows_move_and_choose_and_a_letter_jumps() {
        let mut form = form();
        type_keys(&mut form, "<Tab><Right>");
        assert_eq!((form.focus, form.value(1)), (1, "member".to_owned()));
        type_keys(&mut form, "<Left>");
        assert_eq!(form.value(1), "admin");
        type_keys(&mut form, "m");
        assert_eq!(form.value(1), "member");
        type_keys(&mut form, "<BackTab>");
        assert_eq!(form.focus, 0);
    }

    #[test]
    fn enter_submits_esc_cancels_and_the_editor_only_where_offered() {
        let mut form = form();
        let keymap = Keymap::default();
        assert_eq!(form.on_key(key(KeyCode::Enter), &keymap), FormKey::Submit);
        assert_eq!(form.on_key(key(KeyCode::Esc), &keymap), FormKey::Cancel);
        assert_eq!(form.on_key(ctrl('e'), &keymap), FormKey::Handled);
        let mut form = form.with_editor();
        assert_eq!(form.on_key(ctrl('e'), &keymap), FormKey::Editor);
    }

    #[test]
    fn rebound_form_keys_are_used() {
        let mut form = form();
        let keymap: Keymap = toml::from_str("[form]\nsubmit = [\"C-s\"]").unwrap();
        assert_eq!(form.on_key(ctrl('s'), &keymap), FormKey::Submit);
        assert_eq!(form.on_key(key(KeyCode::Enter), &keymap), FormKey::Handled);
    }
}
