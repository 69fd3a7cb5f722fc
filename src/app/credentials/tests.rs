use std::time::Duration;

use crossterm::event::KeyCode;

use super::*;
use crate::app::Msg;
use crate::app::testkit::{chars, keys, press};
use crate::app::tests::{loaded_state, session, tenancy};
use crate::app::update;
use crate::config::keymap::Keymap;

const SERIAL: &str = "arn:aws:iam::111122223333:mfa/ann";

fn msg(state: &mut State, msg: CredentialsMsg) -> Vec<Effect> {
    update(state, Msg::Credentials(msg))
}

fn waiting_state() -> State {
    let mut state = State::new(session(), Keymap::default(), tenancy());
    start_with_code_prompt(&mut state, "ops".into(), SERIAL.into());
    state
}

#[test]
fn the_first_code_is_asked_before_any_call_and_keys_reach_only_the_prompt() {
    let mut state = waiting_state();
    assert!(state.start().is_empty(), "no call before the code");
    assert_eq!(state.mode, Mode::Credentials);
    // Pane keys and `:` are text for the prompt, not actions.
    assert!(keys(&mut state, "2:r").is_empty());
    assert_eq!(state.pane, Pane::Accounts);
    let prompt = state.credentials.prompt.as_ref().unwrap();
    assert_eq!(prompt.input.value(), "2:r");
}

#[test]
fn a_code_is_six_digits_and_is_sent_once_then_the_panes_load() {
    let mut state = waiting_state();
    chars(&mut state, "12345");
    assert!(press(&mut state, KeyCode::Enter).is_empty());
    let problem = state.credentials.prompt.as_ref().unwrap().problem.clone();
    assert_eq!(
        problem.as_deref(),
        Some("an MFA code is the 6 digits your device shows")
    );
    chars(&mut state, "6");
    let effects = press(&mut state, KeyCode::Enter);
    assert_eq!(
        effects,
        [Effect::Credentials(CredentialsEffect::Code(Code(
            "123456".into()
        )))]
    );
    assert_eq!(
        format!("{effects:?}").matches("123456").count(),
        0,
        "Debug hides the code"
    );
    // While it is checked, more keys do nothing.
    assert!(press(&mut state, KeyCode::Enter).is_empty());

    let effects = msg(
        &mut state,
        CredentialsMsg::Ready {
            profile: Some("ops".into()),
            mfa: true,
            left: Some(Duration::from_secs(3 * 3600 + 12 * 60)),
        },
    );
    assert_eq!(state.mode, Mode::Normal);
    assert!(!state.credentials.waiting);
    assert!(matches!(
        effects.as_slice(),
        [
            Effect::Credentials(CredentialsEffect::Use),
            Effect::LoadIdentity { .. },
            Effect::LoadAccounts { .. }
        ]
    ));
    assert_eq!(left_text(state.credentials.left.unwrap()), "3h12m");
}

#[test]
fn a_refused_code_asks_again_with_the_reason() {
    let mut state = waiting_state();
    chars(&mut state, "000000");
    press(&mut state, KeyCode::Enter);
    msg(
        &mut state,
        CredentialsMsg::NeedCode {
            profile: "ops".into(),
            serial: SERIAL.into(),
            problem: Some("the MFA code was not accepted".into()),
        },
    );
    assert_eq!(state.mode, Mode::Credentials);
    let prompt = state.credentials.prompt.as_ref().unwrap();
    assert_eq!(prompt.input.value(), "", "a fresh prompt");
    assert!(!prompt.checking);
    assert_eq!(
        prompt.problem.as_deref(),
        Some("the MFA code was not accepted")
    );
    assert!(state.credentials.waiting, "still no call");
}

#[test]
fn the_prompt_asks_for_a_new_code_before_an_mfa_session_ends_once() {
    let (mut state, _) = loaded_state();
    state.credentials.mfa = true;
    assert!(
        msg(
            &mut state,
            CredentialsMsg::Left {
                left: Duration::from_secs(3600)
            }
        )
        .is_empty()
    );
    let effects = msg(
        &mut state,
        CredentialsMsg::Left {
            left: Duration::from_secs(240),
        },
    );
    assert_eq!(
        effects,
        [Effect::Credentials(CredentialsEffect::Resolve {
            profile: Some("ops".into()),
            region: Some("eu-west-1".into()),
            fresh: true
        })]
    );
    assert!(
        msg(
            &mut state,
            CredentialsMsg::Left {
                left: Duration::from_secs(200)
            }
        )
        .is_empty()
    );
    msg(
        &mut state,
        CredentialsMsg::NeedCode {
            profile: "ops".into(),
            serial: SERIAL.into(),
            problem: None,
        },
    );
    assert_eq!(state.mode, Mode::Credentials);
    chars(&mut state, "654321");
    press(&mut state, KeyCode::Enter);
    // Renewed for the same profile: the clients change, the panes keep what they show.
    let effects = msg(
        &mut state,
        CredentialsMsg::Ready {
            profile: Some("ops".into()),
            mfa: true,
            left: Some(Duration::from_secs(12 * 3600)),
        },
    );
    assert_eq!(effects, [Effect::Credentials(CredentialsEffect::Use)]);
    assert!(matches!(
        state.accounts.list,
        crate::app::Loadable::Ready { .. }
    ));
}

#[test]
fn profile_switches_reload_every_pane_under_the_new_credentials() {
    let (mut state, _) = loaded_state();
    state.credentials.profiles = vec!["corp".into(), "ops".into()];
    keys(&mut state, ":profile c");
    assert_eq!(state.prompt.completions, ["profile corp"]);
    let effects = keys(&mut state, "<Tab><Enter>");
    assert_eq!(
        effects,
        [Effect::Credentials(CredentialsEffect::Resolve {
            profile: Some("corp".into()),
            region: Some("eu-west-1".into()),
            fresh: false
        })]
    );
    let effects = msg(
        &mut state,
        CredentialsMsg::Ready {
            profile: Some("corp".into()),
            mfa: false,
            left: None,
        },
    );
    assert_eq!(state.session.profile.as_deref(), Some("corp"));
    assert!(matches!(
        effects.as_slice(),
        [
            Effect::Credentials(CredentialsEffect::Use),
            Effect::LoadIdentity { .. },
            Effect::LoadAccounts { .. }
        ]
    ));
    assert!(state.identity.is_loading());
}

#[test]
fn login_is_asked_of_the_runtime_and_failures_are_shown() {
    let (mut state, _) = loaded_state();
    let effects = keys(&mut state, ":login<Enter>");
    assert_eq!(
        effects,
        [Effect::Credentials(CredentialsEffect::Login {
            profile: Some("ops".into()),
            region: Some("eu-west-1".into()),
        })]
    );
    msg(
        &mut state,
        CredentialsMsg::DeviceCode {
            url: "https://device.example/?user_code=AB-CD".into(),
            code: "AB-CD".into(),
        },
    );
    assert!(state.notice.as_ref().unwrap().text.contains("AB-CD"));
    msg(
        &mut state,
        CredentialsMsg::Failed {
            message: "the login was denied in the browser".into(),
        },
    );
    let notice = state.notice.as_ref().unwrap();
    assert!(notice.is_error && notice.text.contains("denied"));
    assert!(state.credentials.device.is_none());
}

#[test]
fn cancelling_the_first_prompt_leaves_the_dashboard_without_calls_and_says_what_to_do() {
    let mut state = waiting_state();
    let effects = press(&mut state, KeyCode::Esc);
    assert!(effects.is_empty());
    assert_eq!(state.mode, Mode::Normal);
    assert!(state.notice.as_ref().unwrap().text.contains(":login"));
    // Moving between panes loads nothing without credentials.
    assert!(keys(&mut state, "23").is_empty());
}

#[test]
fn login_to_a_named_profile_then_uses_it() {
    let (mut state, _) = loaded_state();
    let effects = keys(&mut state, ":login corp<Enter>");
    assert_eq!(
        effects,
        [Effect::Credentials(CredentialsEffect::Login {
            profile: Some("corp".into()),
            region: Some("eu-west-1".into()),
        })]
    );
    let effects = msg(
        &mut state,
        CredentialsMsg::Ready {
            profile: Some("corp".into()),
            mfa: false,
            left: Some(Duration::from_secs(8 * 3600)),
        },
    );
    assert_eq!(state.session.profile.as_deref(), Some("corp"));
    assert_eq!(effects.len(), 3, "{effects:?}");
}
