//! The confirmation dialog every change to AWS goes through in the TUI: the plan is shown, the
//! operator answers `y` (or types the confirmation text of a destructive plan), and only then is an
//! [`Approved`] plan handed to the runtime.

use crossterm::event::{Event, KeyEvent};
use tui_input::Input;
use tui_input::backend::crossterm::EventHandler;

use crate::config::keymap::{Action, Keymap, Scope};
use crate::domain::plan::{Plan, Policy, Refusal};
use crate::mutation::{Approved, Audited, approve};

#[derive(Debug)]
pub struct ConfirmDialog<A> {
    pub plan: Plan<A>,
    pub input: Input,
    /// Why the last answer did not confirm the plan; the dialog asks again.
    pub error: Option<String>,
}

/// What a key did to the dialog.
#[derive(Debug, PartialEq, Eq)]
pub enum Answer<A> {
    /// Still asking.
    Pending,
    Cancelled,
    Approved(Approved<A>),
    /// Wrong confirmation text, or refused by the policy: nothing is executed.
    Refused(Refusal),
}

impl<A: Clone + Audited> ConfirmDialog<A> {
    pub fn new(plan: Plan<A>) -> Self {
        ConfirmDialog {
            plan,
            input: Input::default(),
            error: None,
        }
    }

    /// What the operator must type.
    pub fn prompt(&self) -> String {
        match self.plan.danger.confirm_text() {
            None => "Proceed? type y and Enter (Esc cancels)".to_owned(),
            Some(_) => format!("{} (Esc cancels)", self.plan.prompt()),
        }
    }

    /// A key while the dialog is open: the form keys cancel or answer, the rest is typed.
    pub fn on_key(&mut self, key: KeyEvent, keymap: &Keymap, policy: &Policy) -> Answer<A> {
        match keymap.action_in(&[Scope::Form], &key) {
            Some(Action::FormCancel) => Answer::Cancelled,
            Some(Action::FormSubmit) => match approve(policy, &self.plan, self.input.value()) {
                Ok(approved) => Answer::Approved(approved),
                // A mistyped name asks again: the change is still wanted, just not typed right.
                // (Anything but yes to a normal plan is a no.)
                Err(Refusal::NotConfirmed { reason })
                    if self.plan.danger.confirm_text().is_some() =>
                {
                    self.error = Some(format!("{reason}; type it again, or Esc to cancel"));
                    self.input = Input::default();
                    Answer::Pending
                }
                Err(refusal) => Answer::Refused(refusal),
            },
            _ => {
                self.input.handle_event(&Event::Key(key));
                Answer::Pending
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crossterm::event::KeyCode;

    use super::*;
    use crate::app::testkit::key;
    use crate::domain::plan::{Danger, Step};

    fn plan(danger: Danger) -> Plan<()> {
        Plan {
            basis: None,
            title: "Disable alice".into(),
            account_id: "111111111111".into(),
            region: "eu-west-1".into(),
            steps: vec![Step::new(
                "cognito-idp",
                "AdminDisableUser",
                "alice",
                "disable the user",
            )],
            danger,
        }
    }

    fn press(dialog: &mut ConfirmDialog<()>, policy: &Policy, keys: &str) -> Answer<()> {
        let mut last = Answer::Pending;
        for c in keys.chars() {
            last = dialog.on_key(key(KeyCode::Char(c)), &Keymap::default(), policy);
        }
        last
    }

    fn enter(dialog: &mut ConfirmDialog<()>, policy: &Policy) -> Answer<()> {
        dialog.on_key(key(KeyCode::Enter), &Keymap::default(), policy)
    }

    #[test]
    fn y_then_enter_approves_a_normal_plan() {
        let policy = Policy::default();
        let mut dialog = ConfirmDialog::new(plan(Danger::Normal));
        assert_eq!(press(&mut dialog, &policy, "y"), Answer::Pending);
        assert!(matches!(enter(&mut dialog, &policy), Answer::Approved(_)));
    }

    #[test]
    fn enter_alone_is_not_a_yes() {
        let policy = Policy::default();
        let mut dialog = ConfirmDialog::new(plan(Danger::Normal));
        assert!(matches!(
            enter(&mut dialog, &policy),
            Answer::Refused(Refusal::NotConfirmed { .. })
        ));
    }

    #[test]
    fn a_destructive_plan_needs_its_text_typed() {
        let policy = Policy::default();
        let danger = Danger::Destructive {
            confirm_text: "acme".into(),
        };
        let mut dialog = ConfirmDialog::new(plan(danger.clone()));
        press(&mut dialog, &policy, "y");
        assert!(matches!(enter(&mut dialog, &policy), Answer::Pending));
        let mut dialog = ConfirmDialog::new(plan(danger));
        press(&mut dialog, &policy, "acme");
        assert!(matches!(enter(&mut dialog, &policy), Answer::Approved(_)));
    }

    #[test]
    fn a_mistyped_name_asks_again_with_the_reason_and_an_empty_answer() {
        let policy = Policy::default();
        let danger = Danger::Destructive {
            confirm_text: "acme".into(),
        };
        let mut dialog = ConfirmDialog::new(plan(danger));
        press(&mut dialog, &policy, "acne");
        assert_eq!(enter(&mut dialog, &policy), Answer::Pending);
        assert_eq!(dialog.input.value(), "");
        assert!(
            dialog
                .error
                .as_deref()
                .unwrap()
                .contains("did not match acme")
        );
        press(&mut dialog, &policy, "acme");
        assert!(matches!(enter(&mut dialog, &policy), Answer::Approved(_)));
    }

    #[test]
    fn read_only_refuses_even_a_typed_yes() {
        let policy = Policy {
            read_only: true,
            ..Policy::default()
        };
        let mut dialog = ConfirmDialog::new(plan(Danger::Normal));
        press(&mut dialog, &policy, "y");
        assert!(matches!(
            enter(&mut dialog, &policy),
            Answer::Refused(Refusal::ReadOnly { .. })
        ));
    }

    #[test]
    fn escape_cancels() {
        let mut dialog = ConfirmDialog::new(plan(Danger::Normal));
        assert_eq!(
            dialog.on_key(key(KeyCode::Esc), &Keymap::default(), &Policy::default()),
            Answer::Cancelled
        );
    }
}
